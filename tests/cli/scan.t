#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scan: the bundled guest's stream table and CD tables found without
# register values (ranked first, arguments that decode what the registers
# decode, no false candidates), on every container the source reads, the
# 2-level and linear CD samples, selection, budget and exit statuses.
. tests/cli/tap.sh
. tests/cli/schema.sh
dump=testdata/dumps/guest.elf
# What QEMU traced for the bundled dump (make update-qemu-dump rewrites it).
strtab=$(jq -r .strtab.address testdata/dumps/expected.json)
regs="--strtab $strtab --strtab-cfg $(jq -r .strtab_base_cfg testdata/dumps/expected.json)"
cds=$(jq -r '[.stes[].s1contextptr] | unique | .[]' testdata/dumps/expected.json)
ncds=$(echo "$cds" | wc -l)

"$PASIDTOOL" scan "$dump" --json > "$TMP/guest.json"
status "scan of the bundled dump exits 0" 0 "$PASIDTOOL" scan "$dump"
validate_json "scan --json matches schema/scan.json" scan.json "$TMP/guest.json"

first=$(jq -r '[.candidates[] | select(.kind == "smmuv3-strtab")][0] | .base' "$TMP/guest.json")
check "the stream table the SMMU uses ($strtab) ranks first among stream tables" \
	test "$first" = "$strtab"
check "... and first of all candidates" \
	test "$(jq -r '.candidates[0].kind + " " + .candidates[0].base' "$TMP/guest.json")" = \
	"smmuv3-strtab $strtab"

# Its arguments reach every valid STE and CD the register values reach.
args=$(jq -r '.candidates[0].args | join(" ")' "$TMP/guest.json")
entries='[.tables[] | {format, base, e: [(.stes // .entries)[] | {address, raw}]}]'
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dump" $regs --json | jq -S "$entries" > "$TMP/want"
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dump" $args --json | jq -S "$entries" > "$TMP/got"
same "decode with the scan's arguments ($args) shows the STEs and CDs the registers do" \
	"$TMP/want" "$TMP/got"
check "the registers' decode has 512 valid STEs and $ncds CD tables (the comparison is not empty)" \
	test "$(jq -r '[(.[0].e | length), length] | map(tostring) | join(" ")' "$TMP/want")" = "512 $((ncds + 1))"

# Every CD table an STE points at (QEMU's trace) is a candidate that
# decodes; nothing else is listed.
for cd in $cds; do
	a=$(jq -r --arg b "$cd" '.candidates[] | select(.kind == "smmuv3-cd" and .base == $b) |
		.args | join(" ")' "$TMP/guest.json")
	# shellcheck disable=SC2086
	if [ -n "$a" ] && "$PASIDTOOL" validate "$dump" $a > "$TMP/cd.out" 2>&1; then
		ok "the CD table at $cd is found and validates with its arguments ($a)"
	else
		not_ok "the CD table at $cd is found and validates with its arguments" "$a $(cat "$TMP/cd.out")"
	fi
done
check "no false candidates on the bundled dump ($((ncds + 1)) in all)" \
	test "$(jq '.candidates | length' "$TMP/guest.json")" = $((ncds + 1))
check "summary.candidates counts them" test "$(jq .summary.candidates "$TMP/guest.json")" = $((ncds + 1))

# The same tables from every container: kdump-compressed, flattened, split
# (tests/tools/mkkdump.c) and raw images.
jq -S .candidates "$TMP/guest.json" > "$TMP/want.cands"
mk=${BUILD:-build/rel}/tools/mkkdump
scanned() {
	name=$1
	shift
	"$PASIDTOOL" scan "$@" --json > "$TMP/c.json" 2> "$TMP/c.err"
	jq -S .candidates "$TMP/c.json" > "$TMP/got.cands"
	same "$name: the same candidates as the ELF core" "$TMP/want.cands" "$TMP/got.cands"
}
"$mk" --method zlib --zero "$dump" "$TMP/z.kd" && scanned "kdump zlib" "$TMP/z.kd"
"$mk" --method lzo --abi i386 --be --flat "$dump" "$TMP/f.mdf" && scanned "flattened lzo, 32-bit BE" "$TMP/f.mdf"
"$mk" --method zstd "$dump" "$TMP/p1.kd" "$TMP/p2.kd" && scanned "split in two" "$TMP/p1.kd" "$TMP/p2.kd"
check "the kdump scan skipped the pages the dump does not hold" \
	test "$(jq -r .summary.skipped "$TMP/c.json")" != 0x0

d=testdata/strtab
"$PASIDTOOL" scan "$d/two-level.elf" --json > "$TMP/t.json"
jq -S .candidates "$TMP/t.json" > "$TMP/want.cands"
scanned "raw image at an address (FILE@ADDR)" "$d/two-level.bin@0x80000000"
scanned "raw image with --base" "$d/two-level.bin" --base 0x80000000
check "two-level.elf: 2-level stream table at 0x80000000, SPLIT 8" \
	test "$(jq -r '.candidates[0] | .kind + " " + (.args | join(" "))' "$TMP/t.json")" = \
	"smmuv3-strtab --strtab 0x80000000 --strtab-cfg 0x10209"
"$PASIDTOOL" scan "$d/two-level.bin@0x80000000" > "$TMP/t.txt"
check "the text output prints the decode command with the input as given" \
	grep -qx '    pasidtool decode testdata/strtab/two-level.bin@0x80000000 --strtab 0x80000000 --strtab-cfg 0x10209' "$TMP/t.txt"
"$PASIDTOOL" scan "$d/two-level.bin" --base 0x80000000 > "$TMP/t.txt"
check "... and --base when it was given" \
	grep -qx '    pasidtool decode testdata/strtab/two-level.bin --base 0x80000000 --strtab 0x80000000 --strtab-cfg 0x10209' "$TMP/t.txt"
"$PASIDTOOL" scan "$d/linear.bin" --base 0x90000000 --json > "$TMP/l.json"
check "a linear stream table with faulty STEs is still found (its STEs point at clean CDs)" \
	test "$(jq -r '[.candidates[] | select(.kind == "smmuv3-strtab")][0].base' "$TMP/l.json")" = 0x90000000

# CD tables nothing points at: the samples of testdata/cd.
cdscan() {
	"$PASIDTOOL" scan "$1" --json | jq -r '.candidates[0] | .kind + " " + (.args | join(" "))'
}
check "2-level CD table with 4 KiB leaves (L1 descriptors 0 and 3)" \
	test "$(cdscan testdata/cd/2lvl-4k.bin@0x40000000)" = \
	"smmuv3-cd --cd-table 0x40000000 --layout 2lvl-4k --ssid-bits 8"
check "2-level CD table with 64 KiB leaves" \
	test "$(cdscan testdata/cd/2lvl-64k.bin@0x100000000)" = \
	"smmuv3-cd --cd-table 0x100000000 --layout 2lvl-64k --ssid-bits 12"
check "linear CD table" \
	test "$(cdscan testdata/cd/linear.bin@0x80000000 | cut -d' ' -f1-5)" = \
	"smmuv3-cd --cd-table 0x80000000 --layout linear"

# VT-d PASID directories (testdata/vtd): the directory found, with the
# arguments that decode it, ahead of any SMMU reading of the same words.
vtdscan() {
	"$PASIDTOOL" scan "testdata/vtd/$1" --json | jq -r '.candidates[0] | .kind + " " + (.args | join(" "))'
}
check "VT-d: Linux's directory (a torn-down entry and one at index 100)" \
	test "$(vtdscan linux.bin@0x10000000)" = \
	"vtd-pasid --format vtd-pasid --cd-table 0x10000000 --layout 2lvl --ssid-bits 13"
check "VT-d: QEMU's directory" \
	test "$(vtdscan qemu.bin@0x10000000)" = \
	"vtd-pasid --format vtd-pasid --cd-table 0x10000000 --layout 2lvl --ssid-bits 13"
check "VT-d: a directory of faulty entries still ranks first" \
	test "$(vtdscan faults.bin@0x40000000 | cut -d' ' -f1-4)" = "vtd-pasid --format vtd-pasid --cd-table"
"$PASIDTOOL" scan testdata/vtd/linux.bin@0x10000000 --json > "$TMP/v.json"
validate_json "scan --json with a VT-d candidate matches schema/scan.json" scan.json "$TMP/v.json"
a=$(jq -r '.candidates[0].args | join(" ")' "$TMP/v.json")
# shellcheck disable=SC2086
status "VT-d: the scan's arguments validate the directory cleanly" 0 \
	"$PASIDTOOL" validate testdata/vtd/linux.bin@0x10000000 $a
check "VT-d: no SMMU candidate in an x86 sample" \
	test "$(jq '[.candidates[] | select(.kind != "vtd-pasid")] | length' "$TMP/v.json")" = 0

# virtio-iommu ATTACH_TABLE requests left in memory: a raw image of the
# linear CD sample at 0x80000000 and a request naming it at 0x80002000.
reqimg() {  # VARIANT JSON OUT: the sample, then the request, then zeros
	printf '%s\n' "$2" > "$TMP/req.json"
	"$PASIDTOOL" attach build "$TMP/req.json" --variant "$1" -o "$TMP/req.bin" || return 1
	{ cat testdata/cd/linear.bin
	  head -c $((0x2000 - $(wc -c < testdata/cd/linear.bin))) /dev/zero
	  cat "$TMP/req.bin"
	  head -c 4096 /dev/zero; } > "$3"
}
req='{"type": "attach_table", "domain": 1, "endpoint": 8, "s1cdmax": 4, "s1fmt": "linear"'
reqimg rfc1 "$req, \"s1contextptr\": \"0x80000000\"}" "$TMP/req.img"
"$PASIDTOOL" scan "$TMP/req.img@0x80000000" --json > "$TMP/r.json"
validate_json "scan --json with a virtio-iommu request matches schema/scan.json" scan.json "$TMP/r.json"
check "an ATTACH_TABLE request naming the CD sample is found, with the command that decodes it" \
	test "$(jq -r '.candidates[] | select(.kind == "viommu-attach-pst-arm") |
		[.base, .command, (.args | join(" "))] | join(" ")' "$TMP/r.json")" = \
	"0x80002000 attach decode --at 0x80002000"
check "... and the CD table it names says so" \
	test "$(jq -r '[.candidates[] | select(.kind == "smmuv3-cd") | .evidence[] |
		select(test("request at 0x80002000 names it"))] | length' "$TMP/r.json")" = 1
a=$(jq -r '.candidates[] | select(.kind == "viommu-attach-pst-arm") | .args | join(" ")' "$TMP/r.json")
# shellcheck disable=SC2086
"$PASIDTOOL" attach decode "$TMP/req.img@0x80000000" $a --json > "$TMP/rd.json"
check "attach decode with the scan's arguments shows the request ($a)" \
	test "$(jq -r '.requests | length, .[0].type, .[0].offset, .[0].fields.s1contextptr' "$TMP/rd.json" |
		tr '\n' ' ')" = "1 attach_table 2147491840 0x80000000 "
# shellcheck disable=SC2086
status "attach validate with them walks the CD sample in the same dump (its faulty CDs: exit 1)" 1 \
	"$PASIDTOOL" attach validate "$TMP/req.img@0x80000000" $a
check "... with the CD rules" grep -q 'CD-TG0-RESERVED' "$TMP/status.out"
"$PASIDTOOL" scan "$TMP/req.img@0x80000000" > "$TMP/r.txt"
check "the text output prints attach decode" \
	grep -qx "    pasidtool attach decode $TMP/req.img@0x80000000 --at 0x80002000" "$TMP/r.txt"
reqimg v07 '{"type": "attach_table", "domain": 1, "endpoint": 8, "base": "0x80000000", "size": 4}' \
	"$TMP/req7.img"
a=$("$PASIDTOOL" scan "$TMP/req7.img@0x80000000" --kind viommu-attach-pst-arm-v07 --json |
	jq -r '.candidates[0].args | join(" ")')
check "a v07 request: --variant v07 in its arguments" test "$a" = "--at 0x80002000 --variant v07"
# shellcheck disable=SC2086
check "... which decode it" test "$("$PASIDTOOL" attach decode "$TMP/req7.img@0x80000000" $a --json |
	jq -r '.requests[0].fields.base')" = 0x80000000
# Near misses: a request naming memory of zeros; one whose pointer has
# bits 5:0 set (ATTACH-PTR-LOW).
for p in 0x80001000 0x80000008; do
	reqimg rfc1 "$req, \"s1contextptr\": \"$p\"}" "$TMP/miss.img"
	check "a request naming $p is not listed" test "$("$PASIDTOOL" scan "$TMP/miss.img@0x80000000" \
		--json | jq '[.candidates[] | select(.command != "decode")] | length')" = 0
done
status "attach --at outside the dump: exit 2" 2 \
	"$PASIDTOOL" attach decode "$TMP/req.img@0x80000000" --at 0x90000000
check "... saying so" grep -q '0x90000000 is not in the dump' "$TMP/status.out"
status "attach --at with --dump: usage error" 2 \
	"$PASIDTOOL" attach validate "$TMP/req.img@0x80000000" --at 0x80002000 --dump "$dump"

# Selection.
n=$("$PASIDTOOL" scan "$dump" --kind smmuv3-cd --json | jq '[.candidates[].kind] | unique | join(" ")')
check "--kind smmuv3-cd lists only CD tables" test "$n" = '"smmuv3-cd"'
n=$("$PASIDTOOL" scan "$dump" --min-score 100 --json | jq '.candidates | length')
check "--min-score 100 keeps the candidate scoring 100" test "$n" = 1
n=$("$PASIDTOOL" scan "$dump" --min-score 96 --json | jq '.candidates | length')
m=$("$PASIDTOOL" scan "$dump" --min-score 95 --json | jq '.candidates | length')
check "--min-score 95 keeps the CD tables scoring 95, 96 does not" test "$n $m" = "1 4"
status "--min-score 101 is a usage error" 2 "$PASIDTOOL" scan "$dump" --min-score 101
status "--kind with an unknown format is a usage error" 2 "$PASIDTOOL" scan "$dump" --kind smmuv3-std
check "... that suggests the right name" grep -q "smmuv3-strtab" "$TMP/status.out"

# Exit statuses and bad inputs.
status "nothing found: exit 1" 1 "$PASIDTOOL" scan testdata/cd/linear.json
status "a missing input: exit 2" 2 "$PASIDTOOL" scan "$TMP/none.elf"
check "... with SRC-UNREADABLE" grep -q 'SRC-UNREADABLE' "$TMP/status.out"
"$PASIDTOOL" scan "$TMP/none.elf" --json > "$TMP/none.json" 2> /dev/null
validate_json "scan --json of an unreadable input matches schema/scan.json" scan.json "$TMP/none.json"
status "no input: usage error" 2 "$PASIDTOOL" scan

# The budget: one unit per page of data and per run skipped (the exact
# boundary is tests/unit/test_scan.c's); the bundled dump holds runs of data
# between runs without, so its pages alone are not enough.
pages=$(jq '.summary.pages' "$TMP/guest.json")
check "the bundled dump has pages of data" test "$pages" -gt 4
"$PASIDTOOL" scan "$dump" --max-entries $((pages * 4)) --json > "$TMP/b.json" 2> "$TMP/b.err"
check "--max-entries of 4 units a page covers the bundled dump" test "$(jq .summary.stopped "$TMP/b.json")" = false
"$PASIDTOOL" scan "$dump" --max-entries "$pages" --json > "$TMP/b.json" 2> "$TMP/b.err"
check "--max-entries of one unit a page stops the scan (summary.stopped)" test "$(jq .summary.stopped "$TMP/b.json")" = true
check "... and says where on stderr" grep -q 'budget stopped the scan at 0x' "$TMP/b.err"
"$PASIDTOOL" scan "$dump" --max-entries 2 --json > "$TMP/b.json" 2> "$TMP/b.err"
check "--max-entries 2 stops before the tables' pages: fewer candidates" \
	test "$(jq '.candidates | length' "$TMP/b.json")" -lt $((ncds + 1))
"$PASIDTOOL" scan "$dump" --max-entries 0 --json > "$TMP/b.json"
check "--max-entries 0: no limit" test "$(jq '.summary.stopped' "$TMP/b.json")" = false

done_testing
