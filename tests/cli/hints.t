#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hints for common mistakes (HINT-* notes with the corrected command): a raw
# image without --base, a stream table read with the other FMT, a CD table
# read with the other layout. Each at both sides: the right command gets no
# hint, the hint's command is the right one, notes leave the exit status alone.
. tests/cli/tap.sh
# A 2-level CD table with 64 KiB leaves at 0x80000000 (leaves 0x80010000, 0x80020000).
printf '{"tables":[{"layout":"2lvl-64k","base":"0x80000000","ssid_bits":12,"entries":[%s,%s]}]}' \
	'{"ssid":1,"fields":{"asid":1,"ttb0":"0x81000000"}}' \
	'{"ssid":2000,"fields":{"asid":2,"ttb0":"0x81000000"}}' > "$TMP/l2.json"
"$PASIDTOOL" build "$TMP/l2.json" -o "$TMP/l2.bin" 2>/dev/null
cd "$TMP" || exit 1

# hint_cmd FILE RULE: the corrected command a RULE note in FILE ends with.
hint_cmd() {
	grep "\[$2\]" "$1" | sed 's/.*: \(pasidtool .*\) \[[A-Z-]*\]$/\1/' | head -n 1
}
# runs_clean NAME COMMAND: the command exits 0 and gives no hint.
runs_clean() {
	tap_name=$1
	shift
	if "$@" > "$TMP/out.txt" 2> "$TMP/err.txt" && ! grep -q HINT- "$TMP/out.txt" "$TMP/err.txt"; then ok "$tap_name"
	else not_ok "$tap_name" "$(cat "$TMP/err.txt")"; fi
}

# --base: the L1 pointers say where the image sits.
"$PASIDTOOL" decode l2.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> base.txt
check "no --base: HINT-BASE says 0x80000000" grep -q 'at base 0x80000000 every one lands inside it: pasidtool decode l2.bin --layout 2lvl-64k --ssid-bits 12 --base 0x80000000 \[HINT-BASE\]' base.txt
check "the hint is a note" grep -q 'note: no --base' base.txt
status "decode with the hint still exits 0" 0 "$PASIDTOOL" decode l2.bin --layout 2lvl-64k --ssid-bits 12
cmd=$(hint_cmd base.txt HINT-BASE)
# shellcheck disable=SC2086
runs_clean "the hint's command decodes without a hint" "$PASIDTOOL" ${cmd#pasidtool }
"$PASIDTOOL" validate l2.bin --layout 2lvl-64k --ssid-bits 12 --json > base.json
check "validate --json: the hint is a diagnostic with severity note" \
	test "$(jq -r '.diagnostics[] | select(.rule == "HINT-BASE") | .severity' base.json)" = note
check "validate --json: summary counts it as a note" test "$(jq '.summary.notes' base.json)" = 1
# The image cut to end where the last leaf's first CD ends: the base still
# fits. Cut inside the first leaf, the leaves (0x10040 bytes apart) span more
# than the image holds at any base, and nothing is hinted.
head -c $((0x20040)) l2.bin > cut.bin
"$PASIDTOOL" decode cut.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> cut.txt
check "leaves that just fit: HINT-BASE 0x80000000" grep -q 'at base 0x80000000 every one' cut.txt
head -c $((0x10000)) l2.bin > short.bin
"$PASIDTOOL" decode short.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> short.txt
check "leaves wider than the image: no HINT-BASE" sh -c '! grep -q HINT-BASE short.txt'
# Cut inside its last leaf, after SSID 2000: only 0x80000000 puts a valid
# CD in every leaf (0x7fff8000 would put leaf 0 on empty bytes).
head -c $((0x2f440)) l2.bin > lastleaf.bin
"$PASIDTOOL" decode lastleaf.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> lastleaf.txt
check "cut inside the last leaf: HINT-BASE 0x80000000" grep -q 'at base 0x80000000 every one' lastleaf.txt
# The same table at 0x80001000 (leaves 64 KiB aligned after it): the aligned
# 0x80000000 puts the pointers inside the image and leaf 1 on SSID 2000,
# but leaf 0 on empty bytes; the bases tried that fit are not the table's,
# and the hint says it cannot tell rather than suggest one.
sed 's/"base":"0x80000000"/"base":"0x80001000"/' "$TMP/l2.json" > off.json
"$PASIDTOOL" build off.json -o off.bin 2>/dev/null
"$PASIDTOOL" decode off.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> off.txt
check "a base one leaf refutes is not hinted" sh -c '! grep -q "base 0x80000000" off.txt'
check "bases that fit alike: HINT-BASE says the image does not tell" \
	grep -q 'bases put every leaf on entries: the image does not say where it sits, give --base \[HINT-BASE\]' off.txt
check "... and gives no command" sh -c '! grep "HINT-BASE" off.txt | grep -q "pasidtool decode"'
runs_clean "that table with its --base: no hint" "$PASIDTOOL" decode off.bin --base 0x80001000 --layout 2lvl-64k --ssid-bits 12
# Every CD valid: shifted by half a leaf, every leaf still holds CDs, but
# the last leaf then runs past the image's end; only 0x80000000 holds every
# leaf whole.
jq -n '{tables: [{layout: "2lvl-64k", base: "0x80000000", ssid_bits: 12,
	entries: [range(0; 2048) | {ssid: ., fields: {asid: 1, ttb0: "0x81000000"}}]}]}' > dense.json
"$PASIDTOOL" build dense.json -o dense.bin 2>/dev/null
"$PASIDTOOL" decode dense.bin --layout 2lvl-64k --ssid-bits 12 > /dev/null 2> dense.txt
check "every CD valid: HINT-BASE 0x80000000, the base that cuts no leaf" \
	grep -q 'at base 0x80000000 every one lands inside it: pasidtool decode dense.bin' dense.txt
runs_clean "--base given: no hint" "$PASIDTOOL" decode l2.bin --base 0x80000000 --layout 2lvl-64k --ssid-bits 12
runs_clean "FILE@ADDR: no hint" "$PASIDTOOL" decode l2.bin@0x80000000 --layout 2lvl-64k --ssid-bits 12
# A stream table whose root is not in the image (exit 2 as before) names the base.
"$PASIDTOOL" decode "$OLDPWD/testdata/strtab/two-level.bin" --strtab 0x80000000 --strtab-cfg 0x10210 > /dev/null 2> root.txt
check "--strtab outside a raw image without --base: HINT-BASE with the table's address" \
	grep -q 'if it starts at the table: pasidtool decode .*two-level.bin --strtab 0x80000000 --strtab-cfg 0x10210 --base 0x80000000 \[HINT-BASE\]' root.txt

# --layout: L1 descriptors read as CDs, and CDs read as L1 descriptors.
"$PASIDTOOL" decode l2.bin --base 0x80000000 --ssid-bits 12 > /dev/null 2> lin.txt
check "linear on a 2-level table: HINT-LAYOUT 2lvl-64k" \
	grep -q 'not smmuv3-cd entries: a 2-level layout reads them: pasidtool decode l2.bin --base 0x80000000 --ssid-bits 12 --layout 2lvl-64k \[HINT-LAYOUT\]' lin.txt
"$PASIDTOOL" decode l2.bin --base 0x80000000 --layout=linear > /dev/null 2> lin2.txt
check "--layout=linear without --ssid-bits: the hint sets both" \
	grep -q 'pasidtool decode l2.bin --base 0x80000000 --layout 2lvl-64k --ssid-bits 11 \[HINT-LAYOUT\]' lin2.txt
cmd=$(hint_cmd lin2.txt HINT-LAYOUT)
# shellcheck disable=SC2086
runs_clean "the layout hint's command decodes without a hint" "$PASIDTOOL" ${cmd#pasidtool }
cd "$OLDPWD" || exit 1
"$PASIDTOOL" decode testdata/cd/linear.bin --base 0x80000000 --layout 2lvl-4k --ssid-bits 4 > /dev/null 2> "$TMP/l1.txt"
check "2-level on a linear table: HINT-LAYOUT linear" \
	grep -q 'the root holds valid smmuv3-cd entries, not smmuv3-l1cd descriptors: the linear layout reads them: pasidtool decode testdata/cd/linear.bin --base 0x80000000 --layout linear --ssid-bits 4 \[HINT-LAYOUT\]' "$TMP/l1.txt"
for c in linear:"--base 0x80000000 --ssid-bits 4" 2lvl-4k:"--base 0x40000000 --layout 2lvl-4k --ssid-bits 8" \
	2lvl-64k:"--base 0x100000000 --layout 2lvl-64k --ssid-bits 12"; do
	# shellcheck disable=SC2086
	runs_clean "testdata/cd/${c%%:*}.bin as its cases say: no hint" "$PASIDTOOL" decode "testdata/cd/${c%%:*}.bin" ${c#*:}
done

# --strtab-cfg FMT: L1STDs read as STEs, and STEs read as L1STDs.
s=testdata/strtab
"$PASIDTOOL" decode $s/two-level.bin --base 0x80000000 --strtab 0x80000000 --strtab-cfg 0x210 > /dev/null 2> "$TMP/fmt0.txt"
check "FMT 0 on a 2-level stream table: HINT-STRTAB-FMT 0x10210" \
	grep -q 'not STEs: FMT 1 (2-level) reads them: pasidtool decode .*two-level.bin --base 0x80000000 --strtab 0x80000000 --strtab-cfg 0x10210 \[HINT-STRTAB-FMT\]' "$TMP/fmt0.txt"
"$PASIDTOOL" decode $s/linear.bin --base 0x90000000 --strtab 0x90000000 --strtab-cfg=0x10184 > /dev/null 2> "$TMP/fmt1.txt"
check "FMT 1 on a linear stream table: HINT-STRTAB-FMT 0x4" \
	grep -q 'FMT 0 (linear) reads them: pasidtool decode .*linear.bin --base 0x90000000 --strtab 0x90000000 --strtab-cfg 0x4 \[HINT-STRTAB-FMT\]' "$TMP/fmt1.txt"
runs_clean "the two-level stream table with its FMT: no hint" "$PASIDTOOL" decode $s/two-level.bin --base 0x80000000 --strtab 0x80000000 --strtab-cfg 0x10210
runs_clean "the linear stream table with its FMT: no hint" "$PASIDTOOL" decode $s/linear.bin --base 0x90000000 --strtab 0x90000000 --strtab-cfg 4
runs_clean "the guest dump: no hint" "$PASIDTOOL" decode testdata/dumps/guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210

check "rules HINT-BASE explains the hint" sh -c "'$PASIDTOOL' rules HINT-BASE | grep -q 'note'"
done_testing
