#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests of decode/validate/build on the CD-table samples in
# testdata/cd, round trips through JSON, and hostile images.
. tests/cli/tap.sh
dir=testdata/cd

golden_cases "$dir"

# Single SSID selection.
"$PASIDTOOL" decode "$dir/2lvl-4k.bin" --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 --ssid 192 > "$TMP/one.txt"
check "--ssid prints that SSID" grep -q '^ssid 192 @ 0x40002000: valid' "$TMP/one.txt"
status "--ssid behind an invalid L1 descriptor is an error" 1 \
	"$PASIDTOOL" validate "$dir/2lvl-4k.bin" --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 --ssid 64
"$PASIDTOOL" validate "$dir/2lvl-4k.bin" --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 --ssid 64 > "$TMP/l1.txt"
check "invalid L1 gives L1CD-NOT-VALID" grep -q 'L1CD-NOT-VALID' "$TMP/l1.txt"
status "--ssid on an invalid CD is an error" 1 \
	"$PASIDTOOL" validate "$dir/linear.bin" --base 0x80000000 --ssid-bits 4 --ssid 12

# Rule steering.
status "--rule turns an error off" 0 "$PASIDTOOL" validate "$dir/2lvl-4k.bin" --base 0x40000000 \
	--layout 2lvl-4k --ssid-bits 8 --rule CD-HTTU=off --rule 'CD-ASID-*=warning'
status "--rule with an unknown id is a usage error" 2 "$PASIDTOOL" validate "$dir/linear.bin" \
	--base 0x80000000 --rule NO-SUCH-RULE=off

# Usage errors.
status "unknown layout" 2 "$PASIDTOOL" decode "$dir/linear.bin" --layout 3lvl
status "bad number" 2 "$PASIDTOOL" decode "$dir/linear.bin" --base 0xZZ
status "ssid bits above 20" 2 "$PASIDTOOL" decode "$dir/linear.bin" --ssid-bits 21
status "missing input" 2 "$PASIDTOOL" decode
status "missing file" 2 "$PASIDTOOL" decode "$TMP/nope.bin"
status "2-level without --ssid-bits" 2 "$PASIDTOOL" decode "$dir/linear.bin" --layout 2lvl-4k
status "build refuses to overwrite its input" 2 "$PASIDTOOL" build "$dir/linear.json" -o "$dir/linear.json"
"$PASIDTOOL" decode "$dir/linear.bin" --base 0x80000000 --ssid-bits 4 --json > "$TMP/lin.json"
cp "$dir/linear.bin" "$TMP/linear-copy.bin"
sed "s#$dir/linear.bin#$TMP/linear-copy.bin#" "$TMP/lin.json" > "$TMP/lin2.json"
status "build refuses to overwrite the decoded image" 2 "$PASIDTOOL" build "$TMP/lin2.json" -o "$TMP/linear-copy.bin"
check "refused build left the image alone" cmp "$dir/linear.bin" "$TMP/linear-copy.bin"
printf '{"tables": [{"base": "0x0", "ssid_bits": 2, "entries": [{"ssid": 9}]}]}' > "$TMP/bad.json"
status "build of a bad spec fails" 2 "$PASIDTOOL" build "$TMP/bad.json" -o "$TMP/bad.bin"
check "a failed build leaves no output" test ! -e "$TMP/bad.bin"
check "a failed build leaves no temporary file" sh -c "! ls -A '$TMP' | grep -q '^\.bad'"

# Hostile images: a diagnostic or exit 2, never a crash or a hang.
head -c 100 "$dir/linear.bin" > "$TMP/trunc.bin"
status "truncated linear table: error, exit 1" 1 "$PASIDTOOL" validate "$TMP/trunc.bin" --ssid-bits 4
"$PASIDTOOL" validate "$TMP/trunc.bin" --ssid-bits 4 > "$TMP/trunc.txt"
check "truncated table reports TABLE-UNMAPPED" grep -q 'TABLE-UNMAPPED' "$TMP/trunc.txt"
head -c 4096 /dev/zero | tr '\0' '\377' > "$TMP/ones.bin"
status "all-ones image decodes" 0 "$PASIDTOOL" decode "$TMP/ones.bin" --layout 2lvl-4k --ssid-bits 9
status "all-ones image validates with findings" 1 "$PASIDTOOL" validate "$TMP/ones.bin" --ssid-bits 6
status "--ssid-bits 20 over a tiny image" 1 "$PASIDTOOL" validate "$TMP/ones.bin" --layout 2lvl-64k --ssid-bits 20
status "--ssid-bits 20 linear over a tiny image" 1 "$PASIDTOOL" validate "$dir/linear.bin" --base 0x80000000 --ssid-bits 20
# An L1 descriptor pointing at the L1 table itself (0x1001 = L2Ptr 0x1000, V).
printf '\001\020\000\000\000\000\000\000' > "$TMP/self.bin"
head -c 8184 /dev/zero >> "$TMP/self.bin"
status "L1 pointing into its own table" 1 "$PASIDTOOL" validate "$TMP/self.bin" --base 0x1000 --layout 2lvl-4k --ssid-bits 8
"$PASIDTOOL" validate "$TMP/self.bin" --base 0x1000 --layout 2lvl-4k --ssid-bits 8 > "$TMP/self.txt"
check "self-pointing L1 gives TABLE-LEAF-OVERLAP" grep -q 'TABLE-LEAF-OVERLAP' "$TMP/self.txt"
printf '\001\000\000\000\377\377\000\000' > "$TMP/far.bin"
head -c 56 /dev/zero >> "$TMP/far.bin"
status "L1 pointing outside the image" 1 "$PASIDTOOL" validate "$TMP/far.bin" --layout 2lvl-64k --ssid-bits 13
: > "$TMP/empty.bin"
status "empty image" 2 "$PASIDTOOL" decode "$TMP/empty.bin"
status "table base past the end of the address space" 2 "$PASIDTOOL" validate "$dir/linear.bin" --cd-table 0xffffffffffffffc0 --ssid-bits 4
status "table root outside the input is exit 2" 2 "$PASIDTOOL" decode "$dir/linear.bin" --base 0x80000000 --cd-table 0x1000 --ssid-bits 2
"$PASIDTOOL" decode "$dir/linear.bin" --base 0x80000000 --cd-table 0x1000 --ssid-bits 2 2> "$TMP/root.txt"
check "and the message says where the input is" grep -q 'not in the input, which holds 0x80000000-0x800003ff' "$TMP/root.txt"
status "stdin input" 0 sh -c "'$PASIDTOOL' decode - --base 0x80000000 --ssid-bits 4 < '$dir/linear.bin' > /dev/null"

done_testing
