#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# translate on regimes built from lists of mappings (testdata/ptw): stage 1
# with 4K and 64K granules, TTB0/TTB1, blocks, AF, address size, table
# restrictions and access checks; stage 2 only; nested; the SubstreamID and
# STE rules that stop a transaction before any walk; the dump ending.
. tests/cli/tap.sh
d=testdata/ptw

"$PASIDTOOL" build "$d/regimes.json" --elf -o "$TMP/regimes.elf"
check "build of page tables from mappings gives the committed image" cmp "$d/regimes.elf" "$TMP/regimes.elf"

grep -v '^#' "$d/cases" > "$TMP/cases"
while IFS='	' read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	"$PASIDTOOL" translate "$d/regimes.elf" $args > "$TMP/out.txt" 2>&1
	same "$name: text" "$d/$name.txt" "$TMP/out.txt"
	# shellcheck disable=SC2086
	"$PASIDTOOL" translate "$d/regimes.elf" $args --json > "$TMP/out.json" 2>/dev/null
	same "$name: JSON" "$d/$name.json" "$TMP/out.json"
	want=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(0 if s["translated"] == s["translations"] else 1)' "$d/$name.json")
	# shellcheck disable=SC2086
	status "$name: exits $want" "$want" "$PASIDTOOL" translate "$d/regimes.elf" $args
done < "$TMP/cases"

# The facts the goldens rest on, asserted on their own so a regenerated
# golden cannot quietly change them.
pa() { python3 -c 'import json,sys; print(" ".join(str(t["pa"]) if t["pa"] else (t["fault"] or {}).get("event") or "dump-ends" for t in json.load(open(sys.argv[1]))["translations"]))' "$1"; }
check_pa() {
	got=$(pa "$d/$1.json")
	if [ "$got" = "$2" ]; then ok "$1: $2"; else not_ok "$1: $2" "got $got"; fi
}
check_pa s1-4k "0x80000000 0x80001234 F_TRANSLATION 0xc0000000 F_ACCESS 0x82400000 F_ADDR_SIZE F_TRANSLATION"
check_pa s1-4k-write "F_PERMISSION F_PERMISSION F_PERMISSION"
check_pa s1-64k-ttb1 "0x84000000 0x8401fffc 0xa0001234 0x86000fff F_TRANSLATION F_TRANSLATION"
check_pa s2-only "0x40000000 0x88000123 F_TRANSLATION F_TRANSLATION"
check_pa s2-write "0x40000000 F_PERMISSION"
check_pa nested "0x88000000 F_TRANSLATION F_TRANSLATION"
check_pa bypass "0x1234"
check_pa dump-ends "dump-ends"
check_pa bad-ste "C_BAD_STE"
check_pa sid-range "C_BAD_STREAMID"
check_pa ssid-range "C_BAD_SUBSTREAMID"
check_pa cd-r0 "F_PERMISSION F_TRANSLATION F_ACCESS F_PERMISSION"
check_pa cd-stall "F_TRANSLATION 0x82400000 F_TRANSLATION"
check_pa s2-r0 "0x40000000 F_TRANSLATION"
check_pa s1stalld "C_BAD_CD"

# Where a walk stops is told whether or not the SMMU records the event:
# CD.R/CD.S/CD.A for stage 1, STE.S2R/STE.S2S for stage 2 (IHI 0070 §5.5).
rec() { python3 -c 'import json,sys; print(" ".join("-" if not t["fault"] else "%s/%s/%s/%s" % (str(t["fault"]["recorded"]).lower(), str(t["fault"]["stall"]).lower(), t["fault"]["control"], t["fault"]["response"]) for t in json.load(open(sys.argv[1]))["translations"]))' "$1"; }
check_rec() {
	got=$(rec "$d/$1.json")
	if [ "$got" = "$2" ]; then ok "$1 recording: $2"; else not_ok "$1 recording: $2" "got $got"; fi
}
check_rec s1-4k "- - true/false/CD.R = 1/abort - true/false/CD.R = 1/abort - true/false/CD.R = 1/abort true/false/CD.R = 1/abort"
check_rec cd-r0 "false/false/CD.R = 0/abort false/false/CD.R = 0/abort false/false/CD.R = 0/abort false/false/CD.R = 0/abort"
check_rec cd-r0-a0 "false/false/CD.R = 0/raz-wi"
check_rec cd-stall "true/true/CD.S = 1/stall - true/true/CD.S = 1/stall"
check_rec s2-only "- - true/false/STE.S2R = 1/abort true/false/STE.S2R = 1/abort"
check_rec s2-r0 "- false/false/STE.S2R = 0/abort"
check_rec s2-stall "true/true/STE.S2S = 1/stall"
check_rec nested "- true/false/STE.S2R = 1/abort true/false/CD.R = 1/abort"
check_rec bad-ste "true/false/None/None"

# The bundled guest dump holds its page tables: README's example is what
# translate prints, maps lists ranges, validate --page-tables finds nothing.
g=testdata/dumps/guest.elf
groot=$(sed -n 's|^ *pasidtool decode testdata/dumps/guest\.elf \(.*\)$|\1|p' testdata/dumps/README | head -n 1)
sed -n '/^\$ pasidtool translate testdata\/dumps\/guest.elf/,/^```/p' README.md > "$TMP/readme.block"
cmd=$(head -n 1 "$TMP/readme.block" | sed 's/^\$ pasidtool //; s/ *#.*$//')
sed '1d;$d' "$TMP/readme.block" > "$TMP/readme.want"
check "README shows a translate on the bundled dump" test -s "$TMP/readme.want"
# shellcheck disable=SC2086
"$PASIDTOOL" $cmd > "$TMP/readme.got" 2>&1
same "README's translate example prints what translate prints" "$TMP/readme.want" "$TMP/readme.got"
# shellcheck disable=SC2086
"$PASIDTOOL" maps "$g" $groot --sid 8 > "$TMP/gmaps.txt" 2>&1
check "maps of sid 8 on the bundled dump lists the README's page" \
	grep -q '^0x00000000ffffd000-0x00000000ffffdfff -> 0x4835b000 1 x (s1 page L3 4K' "$TMP/gmaps.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$g" $groot --page-tables --caps qemu > "$TMP/gval.txt" 2>&1
check "validate --page-tables on the bundled dump: every CD's tables, no finding" \
	grep -q 'page tables: 3 address spaces, 12 tables, 6144 descriptors; 0 errors, 0 warnings, 0 notes' "$TMP/gval.txt"

status "no IOVA is a usage error" 2 "$PASIDTOOL" translate "$d/regimes.elf" --ste 0x90000000
status "two roots are a usage error" 2 "$PASIDTOOL" translate "$d/regimes.elf" --ste 0x90000000 --cd-table 0x90001000 0x1
status "--strtab without --sid is a usage error" 2 "$PASIDTOOL" translate "$d/regimes.elf" --strtab 0x90000000 --strtab-cfg 4 0x1
status "--access q is a usage error" 2 "$PASIDTOOL" translate "$d/regimes.elf" --ste 0x90000000 --access q 0x1
status "an IOVA that is not a number is a usage error" 2 "$PASIDTOOL" translate "$d/regimes.elf" --ste 0x90000000 0xzz
status "a missing input is an input error" 2 "$PASIDTOOL" translate "$TMP/none.elf" --ste 0x90000000 0x1
if "$PASIDTOOL" translate "$d/regimes.elf" --ste 0x90000000 0x10000 > /dev/full 2>/dev/null; then
	not_ok "a failed write of the output is an error"
else
	ok "a failed write of the output is an error"
fi

done_testing
