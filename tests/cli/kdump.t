#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kdump-compressed dumps: the bundled guest's memory written by Debian's
# makedumpfile as zlib, lzo, uncompressed, per-page (-d 0), flattened (-F)
# and split files must decode exactly like the ELF core they came from.
. tests/cli/tap.sh
. tests/cli/schema.sh
dump=testdata/dumps/guest.elf
args="--strtab 0x4836d000 --strtab-cfg 0x10210"

if ! command -v makedumpfile > /dev/null 2>&1; then
	not_ok "makedumpfile is installed (tests/deps.sh installs it)"
	echo "1..$TAP_N"
	exit 0
fi

python3 tests/tools/vmcore-wrap.py "$dump" "$TMP/wrap.elf"
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dump" $args --json | jq -S 'del(.source)' > "$TMP/want.json"
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$TMP/wrap.elf" $args --json | jq -S 'del(.source)' > "$TMP/wrap.json"
same "the re-wrapped core decodes like the original" "$TMP/want.json" "$TMP/wrap.json"

mdf() {
	makedumpfile "$@" > "$TMP/mdf.log" 2>&1 || { cat "$TMP/mdf.log"; return 1; }
}

# decoded NAME KIND FILE...: decode --json equals the ELF core's, the
# source says KIND, and the text output exits 0.
decoded() {
	name=$1 kind=$2
	shift 2
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$@" $args --json > "$TMP/got.json" 2> "$TMP/got.err"
	jq -S 'del(.source)' "$TMP/got.json" > "$TMP/got.sorted" 2>&1
	same "$name: decodes like the ELF core" "$TMP/want.json" "$TMP/got.sorted"
	check "$name: source kind $kind" test "$(jq -r .source.kind "$TMP/got.json")" = "$kind"
	check "$name: nothing on stderr" test ! -s "$TMP/got.err"
	# shellcheck disable=SC2086
	status "$name: text decode exits 0" 0 "$PASIDTOOL" decode "$@" $args
}

mdf -c -d 1 "$TMP/wrap.elf" "$TMP/zlib.kd" && decoded "zlib -d 1" kdump "$TMP/zlib.kd"
mdf -l -d 1 "$TMP/wrap.elf" "$TMP/lzo.kd" && decoded "lzo -d 1" kdump "$TMP/lzo.kd"
mdf -d 1 "$TMP/wrap.elf" "$TMP/raw.kd" && decoded "uncompressed -d 1" kdump "$TMP/raw.kd"
mdf -c -d 0 "$TMP/wrap.elf" "$TMP/zlib0.kd" && decoded "zlib -d 0" kdump "$TMP/zlib0.kd"
makedumpfile -F -c -d 1 "$TMP/wrap.elf" > "$TMP/flat.mdf" 2> "$TMP/mdf.log"
decoded "flattened zlib" kdump "$TMP/flat.mdf"
makedumpfile -F -l -d 1 "$TMP/wrap.elf" > "$TMP/flat-lzo.mdf" 2> "$TMP/mdf.log"
decoded "flattened lzo" kdump "$TMP/flat-lzo.mdf"
mdf -c -d 1 --split "$TMP/wrap.elf" "$TMP/split1.kd" "$TMP/split2.kd" &&
	decoded "split" kdump "$TMP/split1.kd" "$TMP/split2.kd"

# shellcheck disable=SC2086
"$PASIDTOOL" decode "$TMP/zlib.kd" $args --json > "$TMP/zlib.json"
validate_json "kdump decode --json matches schema/decode.json" decode.json "$TMP/zlib.json"
check "kdump source: page size from the header" \
	test "$(jq -r .source.kernel.page_size "$TMP/zlib.json")" = 4096
# Every command that reads a dump describes it with the one source object.
jq -S .source "$TMP/zlib.json" > "$TMP/src-decode.json"
"$PASIDTOOL" scan "$TMP/zlib.kd" --json | jq -S .source > "$TMP/src-scan.json"
same "scan --json: the same source object as decode (kind kdump, kernel)" \
	"$TMP/src-decode.json" "$TMP/src-scan.json"
"$PASIDTOOL" queues "$TMP/zlib.kd" --cmdq 0x48230008 --cmdq-prod 0x9c --cmdq-cons 0x9c --json |
	jq -S .source > "$TMP/src-queues.json"
same "queues --json: the same source object as decode (kind kdump, kernel)" \
	"$TMP/src-decode.json" "$TMP/src-queues.json"
# The bundled vmcore of the README's example holds the bundled dump's pages.
for f in guest.elf guest.kdump; do
	"$PASIDTOOL" decode testdata/dumps/$f --strtab 0x4836d000 --strtab-cfg 0x10210 --json |
		jq -c 'del(.source)' > "$TMP/bundled-$f.json"
done
same "testdata/dumps/guest.kdump decodes as guest.elf does" "$TMP/bundled-guest.elf.json" "$TMP/bundled-guest.kdump.json"
"$PASIDTOOL" translate "$TMP/zlib.kd" --strtab 0x4836d000 --strtab-cfg 0x10210 --sid 8 0xffffd000 --json |
	jq -S .source > "$TMP/src-translate.json"
same "translate --json: the same source object as decode (kind kdump, kernel)" \
	"$TMP/src-decode.json" "$TMP/src-translate.json"
"$PASIDTOOL" maps "$TMP/zlib.kd" --strtab 0x4836d000 --strtab-cfg 0x10210 --sid 8 --json |
	jq -S .source > "$TMP/src-maps.json"
same "maps --json: the same source object as decode (kind kdump, kernel)" \
	"$TMP/src-decode.json" "$TMP/src-maps.json"
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$TMP/zlib.kd" $args > "$TMP/zlib.txt"
check "kdump text output names the page size" grep -q '^dump of Linux .*4096-byte pages$' "$TMP/zlib.txt"

# What Debian's makedumpfile cannot write, from the test writer
# (tests/tools/mkkdump.c): every method, 32-bit and big-endian headers,
# flattened and split variants of the same memory.
mk=${BUILD:-build/rel}/tools/mkkdump
for v in "none" "zlib --zero" "lzo" "snappy --zero" "zstd" "zstd --abi i386" \
	"snappy --abi arm --be" "zlib --be --zero" "lzo --abi i386 --be --flat"; do
	# shellcheck disable=SC2086
	"$mk" --method $v "$dump" "$TMP/gen.kd" && decoded "mkkdump --method $v" kdump "$TMP/gen.kd"
done
"$mk" --method zstd --zero "$dump" "$TMP/p1.kd" "$TMP/p2.kd" "$TMP/p3.kd" &&
	decoded "mkkdump split in three" kdump "$TMP/p1.kd" "$TMP/p2.kd" "$TMP/p3.kd"
"$mk" --method snappy --flat "$dump" "$TMP/f1.mdf" "$TMP/f2.mdf" &&
	decoded "mkkdump flattened split in two" kdump "$TMP/f1.mdf" "$TMP/f2.mdf"

# A CD table in a page the dump excluded is "excluded", not "not in the input".
"$mk" --method zlib --exclude 0x48330000 "$dump" "$TMP/excl.kd"
# shellcheck disable=SC2086
status "a CD table in an excluded page: validate exits 1" 1 \
	"$PASIDTOOL" validate "$TMP/excl.kd" $args
check "the finding says the dump excluded it" \
	grep -q '0x48330000: error: .*is in pages the dump excluded (makedumpfile -d) \[TABLE-UNMAPPED\]' \
	"$TMP/status.out"
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$dump" $args > "$TMP/elf-validate.txt" 2>&1
check "the ELF core itself has no such finding" test "$(grep -c TABLE-UNMAPPED "$TMP/elf-validate.txt")" = 0

# The flattened file is read in place: no rebuilt copy appears next to it.
mkdir "$TMP/inplace"
cp "$TMP/flat.mdf" "$TMP/inplace/"
# shellcheck disable=SC2086
(cd "$TMP/inplace" && "$PASIDTOOL" decode flat.mdf $args > /dev/null 2>&1)
check "flattened: nothing written beside the input" test "$(ls "$TMP/inplace")" = flat.mdf

# A split part alone with a non-split file is refused.
status "split part with a non-split dump: exit 2" 2 \
	"$PASIDTOOL" decode "$TMP/split1.kd" "$TMP/zlib.kd" $args
grep -q 'SRC-KDUMP-SPLIT' "$TMP/status.out" && ok "split mix names SRC-KDUMP-SPLIT" ||
	not_ok "split mix names SRC-KDUMP-SPLIT" "$(cat "$TMP/status.out")"

# Truncated files: a clean finding, never a crash.
for n in 100 4096 6000 9000 20000; do
	head -c "$n" "$TMP/zlib.kd" > "$TMP/cut.kd"
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$TMP/cut.kd" $args > "$TMP/cut.out" 2>&1
	rc=$?
	case $rc in
	1 | 2) ok "kdump cut at $n bytes: exit $rc" ;;
	*) not_ok "kdump cut at $n bytes: exit $rc" "$(cat "$TMP/cut.out")" ;;
	esac
	grep -q 'SRC-KDUMP-\|SRC-FLAT\|TABLE-' "$TMP/cut.out" && ok "kdump cut at $n bytes: a finding" ||
		not_ok "kdump cut at $n bytes: a finding" "$(cat "$TMP/cut.out")"
done
head -c 60000 "$TMP/flat.mdf" > "$TMP/cut.mdf"
# shellcheck disable=SC2086
status "flattened file cut short: exit 2" 2 "$PASIDTOOL" decode "$TMP/cut.mdf" $args
grep -q 'SRC-FLAT' "$TMP/status.out" && ok "cut flattened file names SRC-FLAT" ||
	not_ok "cut flattened file names SRC-FLAT" "$(cat "$TMP/status.out")"

echo "1..$TAP_N"
