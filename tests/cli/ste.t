#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests of decode/validate/build on the stream-table samples in
# testdata/strtab (raw images and an ELF core built from their specs): the
# StreamID -> STE -> CD table -> CD walk, shared CD tables, round trips
# through JSON, single-stream selection, and hostile tables.
. tests/cli/tap.sh
dir=testdata/strtab

"$PASIDTOOL" build "$dir/two-level.json" -o "$TMP/two-level.bin"
check "two-level: build from the spec gives the committed image" cmp "$dir/two-level.bin" "$TMP/two-level.bin"
"$PASIDTOOL" build "$dir/two-level.json" --elf -o "$TMP/two-level.elf"
check "two-level: build --elf gives the committed ELF core" cmp "$dir/two-level.elf" "$TMP/two-level.elf"
"$PASIDTOOL" build "$dir/linear.json" -o "$TMP/linear.bin"
check "linear: build from the spec gives the committed image" cmp "$dir/linear.bin" "$TMP/linear.bin"

grep -v '^#' "$dir/cases" > "$TMP/cases"
while IFS='	' read -r name img args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$dir/$img" $args > "$TMP/out.txt" 2>&1
	same "$name: decode text" "$dir/$name.decode.txt" "$TMP/out.txt"
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$dir/$img" $args > "$TMP/out.txt" 2>/dev/null
	same "$name: validate text" "$dir/$name.validate.txt" "$TMP/out.txt"
	for mode in decode validate; do
		# shellcheck disable=SC2086
		"$PASIDTOOL" $mode "$dir/$img" $args --json > "$TMP/out.json" 2>/dev/null
		same "$name: $mode JSON" "$dir/$name.$mode.json" "$TMP/out.json"
		check "$name: $mode JSON parses" python3 -m json.tool "$TMP/out.json"
	done
	errors=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["errors"])' "$dir/$name.validate.json")
	want=0
	[ "$errors" -gt 0 ] && want=1
	# shellcheck disable=SC2086
	status "$name: validate exits $want" "$want" "$PASIDTOOL" validate "$dir/$img" $args
	# shellcheck disable=SC2086
	status "$name: decode exits 0" 0 "$PASIDTOOL" decode "$dir/$img" $args
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$dir/$img" $args --json > "$TMP/rt.json"
	"$PASIDTOOL" build "$TMP/rt.json" -o "$TMP/rt.bin"
	raw=$dir/${img%.*}.bin
	check "$name: decode --json | build gives back every byte of $raw" cmp "$raw" "$TMP/rt.bin"
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$dir/$img" $args --all --json > "$TMP/rt-all.json"
	"$PASIDTOOL" build "$TMP/rt-all.json" -o "$TMP/rt-all.bin"
	check "$name: decode --all --json | build gives back every byte" cmp "$raw" "$TMP/rt-all.bin"
done < "$TMP/cases"

two="$dir/two-level.bin --base 0x80000000 --strtab 0x80000000 --strtab-cfg 0x10210"
lin="$dir/linear.bin --base 0x90000000 --strtab 0x90000000 --strtab-cfg 4"

# Several StreamIDs of one device share a CD table: decoded once, and said so.
# shellcheck disable=SC2086
"$PASIDTOOL" decode $two > "$TMP/two.txt"
check "sid 9 says its CD table is shared with sid 8" grep -q \
	'^sid 9 @ 0x80004240: valid, s1-trans, CD table 0x80010000 (linear, 0 SSID bits): shared with sid 8$' "$TMP/two.txt"
check "the shared CD table is printed once" test "$(grep -c '^smmuv3-cd table @ 0x80010000' "$TMP/two.txt")" -eq 1
check "its header names the other StreamID" grep -q '^smmuv3-cd table @ 0x80010000 (sid 8): .*also used by sid 9$' "$TMP/two.txt"
check "the bypass STE has no CD table" grep -q '^sid 257 @ 0x80008040: valid, bypass$' "$TMP/two.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" decode $two --json > "$TMP/two.json"
python3 - "$TMP/two.json" > "$TMP/shape.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tables"]
print(t[0]["format"], t[0]["layout"], t[0]["sid_bits"], t[0]["leaf_bits"], t[0]["strtab_base_cfg"])
print(" ".join(str(s["sid"]) for s in t[0]["stes"]))
for c in t[1:]:
    print(c["format"], c["base"], c["ssid_bits"], c["sid"], c["shared_with"], len(c["entries"]))
print(d["summary"]["cd_tables"], d["summary"]["cd_entries_valid"])
PY
cat > "$TMP/shape.want" <<'EOF2'
smmuv3-strtab 2lvl 16 8 0x10210
8 9 256 257
smmuv3-cd 0x80010000 0 8 [9] 1
smmuv3-cd 0x80010400 4 256 [] 2
2 3
EOF2
same "JSON: stream table, then each CD table once with its StreamIDs" "$TMP/shape.want" "$TMP/shape.txt"

# One stream: --sid walks SID -> L1STD -> STE -> CD table.
# shellcheck disable=SC2086
"$PASIDTOOL" decode $two --sid 256 > "$TMP/one.txt"
check "--sid 256 prints its L1 descriptor" grep -q '^l1\[1\] @ 0x80000008: Span=9 L2Ptr=0x80008000$' "$TMP/one.txt"
check "--sid 256 prints its STE" grep -q '^sid 256 @ 0x80008000: valid, s1-trans' "$TMP/one.txt"
check "--sid 256 prints only its STE" test "$(grep -c '^sid ' "$TMP/one.txt")" -eq 1
check "--sid 256 prints its CD table" grep -q '^ssid 3 @ 0x800104c0: valid, asid 0x3' "$TMP/one.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" decode $two --sid 256 --ssid 3 > "$TMP/one.txt"
check "--sid 256 --ssid 3 prints that CD only" test "$(grep -c '^ssid ' "$TMP/one.txt")" -eq 1
# shellcheck disable=SC2086
status "--sid of an invalid STE is an error" 1 "$PASIDTOOL" validate $two --sid 10
# shellcheck disable=SC2086
"$PASIDTOOL" validate $two --sid 10 > "$TMP/v.txt"
check "--sid of an invalid STE gives STE-NOT-VALID" grep -q 'sid 10: V = 0.*\[STE-NOT-VALID\]' "$TMP/v.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" validate $two --sid 512 > "$TMP/v.txt"
check "--sid behind a Span 0 L1STD gives L1STD-NOT-VALID" grep -q 'sid 512: .*\[L1STD-NOT-VALID\]' "$TMP/v.txt"
# shellcheck disable=SC2086
status "--sid outside 2^LOG2SIZE: exit 2" 2 "$PASIDTOOL" decode $two --sid 65536
# shellcheck disable=SC2086
"$PASIDTOOL" decode $two --sid 65536 > "$TMP/v.txt" 2>&1
check "--sid outside 2^LOG2SIZE gives STRTAB-SID-RANGE" grep -q '\[STRTAB-SID-RANGE\]' "$TMP/v.txt"
# --ste starts from one STE.
"$PASIDTOOL" decode "$dir/two-level.elf" --ste 0x80008000 > "$TMP/ste.txt"
check "--ste walks to that STE's CD table" grep -q '^ssid 3 @ 0x800104c0: valid, asid 0x3' "$TMP/ste.txt"
"$PASIDTOOL" decode "$dir/two-level.elf" --ste 0x80008000 --json > "$TMP/ste.json"
"$PASIDTOOL" build "$TMP/ste.json" --elf -o "$TMP/ste.elf"
"$PASIDTOOL" decode "$TMP/ste.elf" --ste 0x80008000 > "$TMP/ste2.txt"
check "--ste --json | build --elf | decode --ste gives the same STE and CDs" \
	sh -c "sed 1,999s#$dir/two-level.elf## '$TMP/ste.txt' | grep -v '^: ' > '$TMP/a'; sed 1,999s#$TMP/ste.elf## '$TMP/ste2.txt' | grep -v '^: ' > '$TMP/b'; cmp '$TMP/a' '$TMP/b'"

# STE <-> CD table consistency (linear sample, under a no-stall, no-CD2L SMMU).
# shellcheck disable=SC2086
"$PASIDTOOL" validate $lin --caps generic,stall-model=1,cd2l=0 > "$TMP/lin.txt"
check "S1DSS = ssid0 over an invalid CD 0 gives CD-NOT-VALID with the StreamID" \
	grep -q 'sid 1: ssid 0: V = 0.*\[CD-NOT-VALID\]' "$TMP/lin.txt"
check "a CD table outside the dump gives TABLE-UNMAPPED" grep -q '0xdead0000: error: sid 5: .*\[TABLE-UNMAPPED\]' "$TMP/lin.txt"
check "S1Fmt 2-level without CD2L gives STE-S1FMT-CD2L" grep -q 'sid 4: .*\[STE-S1FMT-CD2L\]' "$TMP/lin.txt"
# shellcheck disable=SC2086
status "with the default (stall, CD2L) SMMU those two rules are quiet" 0 sh -c \
	"'$PASIDTOOL' validate $lin | grep -q 'STE-S1FMT-CD2L\|STE-S1STALLD' && exit 1 || exit 0"

# Usage errors.
status "--strtab without --strtab-cfg" 2 "$PASIDTOOL" decode "$dir/two-level.elf" --strtab 0x80000000
status "--sid without --strtab" 2 "$PASIDTOOL" decode "$dir/two-level.elf" --ste 0x80004200 --sid 8
status "--ssid with --strtab but no --sid" 2 "$PASIDTOOL" decode "$dir/two-level.elf" \
	--strtab 0x80000000 --strtab-cfg 0x10210 --ssid 1
status "--layout with --strtab" 2 "$PASIDTOOL" decode "$dir/two-level.elf" \
	--strtab 0x80000000 --strtab-cfg 0x10210 --layout 2lvl-4k
status "two roots" 2 "$PASIDTOOL" decode "$dir/two-level.elf" --ste 0x80004200 --cd-table 0x80010000

# Hostile tables: a diagnostic or exit 2, never a crash or a hang.
# An L1STD (Span 9) pointing at the L1 table itself.
printf '\011\020\000\000\000\000\000\000' > "$TMP/self.bin"
head -c 4088 /dev/zero >> "$TMP/self.bin"
status "L1STD pointing into its own table: exit 1" 1 "$PASIDTOOL" validate "$TMP/self.bin" \
	--base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209
"$PASIDTOOL" validate "$TMP/self.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209 > "$TMP/h.txt"
check "self-pointing L1STD gives TABLE-LEAF-OVERLAP" grep -q '\[TABLE-LEAF-OVERLAP\]' "$TMP/h.txt"
# Span 0 and Span 31 (reserved, behaves as 0).
printf '\000\040\000\000\000\000\000\000\037\040\000\000\000\000\000\000' > "$TMP/span.bin"
head -c 8176 /dev/zero >> "$TMP/span.bin"
"$PASIDTOOL" validate "$TMP/span.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209 > "$TMP/h.txt"
check "Span 31 gives L1STD-SPAN" grep -q 'l1\[1\]: Span = 31.*\[L1STD-SPAN\]' "$TMP/h.txt"
check "Span 0 and 31 reach no STE" grep -q ': 0 of 0 STEs valid, 0 of 2 L1 descriptors valid' "$TMP/h.txt"
"$PASIDTOOL" validate "$TMP/span.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209 --sid 256 > "$TMP/h.txt"
check "a StreamID behind Span 31 gives L1STD-NOT-VALID" grep -q 'sid 256: .*\[L1STD-NOT-VALID\]' "$TMP/h.txt"
"$PASIDTOOL" validate "$TMP/span.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209 --sid 3 > "$TMP/h.txt"
check "a StreamID behind Span 0 gives L1STD-NOT-VALID" grep -q 'sid 3: .*\[L1STD-NOT-VALID\]' "$TMP/h.txt"
# Span 2 = 2 STEs: StreamID 2 is past the leaf.
printf '\002\040\000\000\000\000\000\000' > "$TMP/short.bin"
head -c 8184 /dev/zero >> "$TMP/short.bin"
"$PASIDTOOL" validate "$TMP/short.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10209 --sid 2 > "$TMP/h.txt"
check "a StreamID past Span gives L1STD-NOT-VALID" grep -q 'leaf holds 2 entries; this sid is entry 2.*\[L1STD-NOT-VALID\]' "$TMP/h.txt"
# LOG2SIZE 32 (and 63) over a 4 KiB dump: bounded by the dump, not the table.
head -c 4096 /dev/zero > "$TMP/zero.bin"
status "linear LOG2SIZE 32 over a tiny dump decodes" 0 "$PASIDTOOL" decode "$TMP/zero.bin" \
	--base 0x1000 --strtab 0x1000 --strtab-cfg 0x20
status "linear LOG2SIZE 63 over a tiny dump validates with findings" 1 "$PASIDTOOL" validate \
	"$TMP/zero.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x3f
status "2-level LOG2SIZE 32, SPLIT 6 over a tiny dump" 1 "$PASIDTOOL" validate "$TMP/zero.bin" \
	--base 0x1000 --strtab 0x1000 --strtab-cfg 0x101a0
# SPLIT above LOG2SIZE: one L1 descriptor.
"$PASIDTOOL" decode "$TMP/span.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x10284 > "$TMP/h.txt"
check "SPLIT > LOG2SIZE: one L1 descriptor" grep -q '2lvl, 4 SID bits (16 entries), 1 L1 descriptors, 16 entries per leaf' "$TMP/h.txt"
# Reserved register encodings.
status "FMT 2 (reserved): exit 2" 2 "$PASIDTOOL" decode "$TMP/zero.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x20210
"$PASIDTOOL" decode "$TMP/zero.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x20210 > "$TMP/h.txt" 2>&1
check "FMT 2 gives STRTAB-FMT-RESERVED" grep -q '\[STRTAB-FMT-RESERVED\]' "$TMP/h.txt"
status "SPLIT 7 (reserved): exit 2" 2 "$PASIDTOOL" decode "$TMP/zero.bin" --base 0x1000 --strtab 0x1000 --strtab-cfg 0x101d0
# All-ones STEs: every field set, every rule may fire, nothing breaks.
head -c 4096 /dev/zero | tr '\0' '\377' > "$TMP/ones.bin"
status "all-ones stream table validates with findings" 1 "$PASIDTOOL" validate "$TMP/ones.bin" \
	--base 0x1000 --strtab 0x1000 --strtab-cfg 6
status "all-ones STE decodes" 0 "$PASIDTOOL" decode "$TMP/ones.bin" --base 0x1000 --ste 0x1000
# An STE cut by the end of the dump.
status "STE cut by the end of the dump: exit 1" 1 "$PASIDTOOL" validate "$TMP/ones.bin" --base 0x1000 --ste 0x1fe0
"$PASIDTOOL" validate "$TMP/ones.bin" --base 0x1000 --ste 0x1fe0 > "$TMP/h.txt"
check "STE cut by the end of the dump gives TABLE-UNMAPPED" grep -q '\[TABLE-UNMAPPED\]' "$TMP/h.txt"

done_testing
