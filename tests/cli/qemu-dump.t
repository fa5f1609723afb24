#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A real guest's tables without booting one: testdata/dumps/guest.elf was
# cut by tests/qemu/run.sh from a dump-guest-memory of a Debian arm64 guest
# under QEMU 7.2's SMMUv3; expected.json holds what QEMU's trace events and
# monitor reported in that same boot. Decode the dump with the command from
# testdata/dumps/README and compare (tests/qemu/compare.py).
. tests/cli/tap.sh
dir=testdata/dumps

args=$(sed -n 's|^ *pasidtool decode testdata/dumps/guest\.elf \(.*\)$|\1|p' "$dir/README" | head -n 1)
check "README gives the decode command" test -n "$args"

# shellcheck disable=SC2086
status "the README's decode command exits 0" 0 "$PASIDTOOL" decode "$dir/guest.elf" $args
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dir/guest.elf" $args --json > "$TMP/decode.json" 2> "$TMP/decode.err"
check "decode --json parses" python3 -m json.tool "$TMP/decode.json"

python3 tests/qemu/compare.py "$dir/expected.json" "$TMP/decode.json" > "$TMP/cmp.txt" 2>&1
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "QEMU: ${line#ok - }" ;;
	"not ok - "*) not_ok "QEMU: ${line#not ok - }" ;;
	*) not_ok "compare.py: $line" ;;
	esac
done < "$TMP/cmp.txt"
check "compare.py ran checks" grep -q '^ok - ' "$TMP/cmp.txt"

# The text output names each StreamID QEMU translated for and its ASID.
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dir/guest.elf" $args > "$TMP/decode.txt" 2>&1
python3 - "$dir/expected.json" > "$TMP/want.txt" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))
for s in e["stes"]:
    print("sid %d @ %s: valid, s1-trans" % (s["sid"], s["address"]))
for c in e["cds"]:
    print("ASID=0x%x TTB0=%s" % (c["asid"], c["ttb0"]))
EOF
while IFS= read -r want; do
	check "text output has '$want'" grep -q -F "$want" "$TMP/decode.txt"
done < "$TMP/want.txt"

# Real Linux tables under the QEMU profile, and under the SMMU QEMU really
# emulated (its ID registers and CR2, from the trace): no errors.
# shellcheck disable=SC2086
status "validate --caps qemu finds no error" 0 "$PASIDTOOL" validate "$dir/guest.elf" $args --caps qemu
caps=$(python3 tests/qemu/compare.py --caps "$dir/expected.json")
check "QEMU's ID registers give a --caps spec" test -n "$caps"
# shellcheck disable=SC2086
status "validate --caps <QEMU's registers> finds no error" 0 \
	"$PASIDTOOL" validate "$dir/guest.elf" $args --caps "$caps"
# The same registers as raw values, decoded by pasidtool itself (issue 11):
# every STE and CD of the dump, no error.
idrcaps=$(python3 tests/qemu/compare.py --idr-caps "$dir/expected.json")
check "QEMU's ID registers as raw values ($idrcaps)" test -n "$idrcaps"
# shellcheck disable=SC2086
status "validate --caps idr0=...,idr1=...,idr3=...,idr5=...,cr2=... finds no error" 0 \
	"$PASIDTOOL" validate "$dir/guest.elf" $args --caps "$idrcaps"
# shellcheck disable=SC2086
status "... and under the QEMU 7.2 notes" 0 \
	"$PASIDTOOL" validate "$dir/guest.elf" $args --caps "qemu,$idrcaps,qemu=7.2"
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$dir/guest.elf" $args --caps "qemu,qemu=7.2" > "$TMP/notes.txt" 2>&1
check "QEMU 7.2 has no note on Linux's tables" sh -c "! grep -q 'QEMU-' '$TMP/notes.txt'"
python3 tests/qemu/compare.py --regs "$dir/expected.json" > "$TMP/regs.txt"
"$PASIDTOOL" decode "$dir/guest.elf" --regs "$TMP/regs.txt" --json > "$TMP/regs.json" 2>/dev/null
check "--regs with the guest's registers decodes like the README's root" \
	python3 tests/qemu/compare.py --same-tables "$TMP/decode.json" "$TMP/regs.json"
status "validate --regs <the guest's registers> finds no error" 0 \
	"$PASIDTOOL" validate "$dir/guest.elf" --regs "$TMP/regs.txt"

# Cutting the cut again keeps every page the decode needs.
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dir/guest.elf" $args --json --save-pages "$TMP/again.elf" > /dev/null 2>&1
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$TMP/again.elf" $args --json > "$TMP/again.json" 2>/dev/null
check "--save-pages of the cut dump decodes the same" \
	python3 tests/qemu/compare.py --same-tables "$TMP/decode.json" "$TMP/again.json"
size=$(wc -c < "$dir/guest.elf")
check "the committed dump is small ($size bytes)" test "$size" -le 131072

done_testing
