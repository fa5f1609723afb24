#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# validate --page-tables: the translation tables of every valid CD and
# stage-2 STE, each address space and each table walked once, findings
# (TT-*) carrying the StreamID and SubstreamID that reach them. Each rule at
# both sides of its boundary, on copies of testdata/ptw/regimes.elf with one
# descriptor changed.
. tests/cli/tap.sh
d=testdata/ptw
root="--strtab 0x90000000 --strtab-cfg 4"

# patch IN OUT ADDR VALUE: OUT is IN with the 8 bytes at physical ADDR set
# to VALUE (little endian), found through the ELF program headers.
patch() {
	python3 - "$@" <<'PY'
import struct, sys
src, dst, addr, val = sys.argv[1], sys.argv[2], int(sys.argv[3], 0), int(sys.argv[4], 0)
b = bytearray(open(src, "rb").read())
phoff, = struct.unpack_from("<Q", b, 0x20)
phentsize, phnum = struct.unpack_from("<HH", b, 0x36)
for i in range(phnum):
    o = phoff + i * phentsize
    typ, = struct.unpack_from("<I", b, o)
    off, _, paddr, filesz = struct.unpack_from("<QQQQ", b, o + 8)
    if typ == 1 and paddr <= addr and addr + 8 <= paddr + filesz:
        struct.pack_into("<Q", b, off + addr - paddr, val)
        open(dst, "wb").write(b)
        sys.exit(0)
sys.exit("address not in the image")
PY
}

# tt FILE ARGS...: the TT-* findings of validate --page-tables --json as
# "RULE@ADDR/sid/ssid" words, then "budget-used" facts.
tt() {
	f=$1; shift
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$f" $root --page-tables --json "$@" 2>/dev/null |
		python3 -c 'import json,sys
j = json.load(sys.stdin)
print(" ".join("%s@%s/%s/%s" % (x["rule"], x.get("address"), x.get("sid"), x.get("ssid")) for x in j["diagnostics"] if x["rule"].startswith("TT-")) or "none")'
}
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $3; got: $2"; fi
}

expect "sid 0: an output at 2^IPS is TT-ADDR-SIZE, with its sid and ssid" \
	"$(tt $d/regimes.elf --sid 0)" "TT-ADDR-SIZE@0x91007000/0/0"
patch $d/regimes.elf "$TMP/below.elf" 0x91007000 0xfffffff403
expect "sid 0: an output just below 2^IPS is not" "$(tt "$TMP/below.elf" --sid 0)" "none"

expect "sid 6: a root outside the dump is TT-NOT-IN-DUMP" \
	"$(tt $d/regimes.elf --sid 6)" "TT-NOT-IN-DUMP@0xdead0000/6/0"
patch "$TMP/below.elf" "$TMP/end-in.elf" 0x91000010 0x91007003
patch "$TMP/below.elf" "$TMP/end-out.elf" 0x91000010 0x91008003
expect "a table in the dump's last page is read" \
	"$(tt "$TMP/end-in.elf" --sid 0 | tr ' ' '\n' | grep -c 'NOT-IN-DUMP@0x91007000')" "0"
expect "a table just past the dump is TT-NOT-IN-DUMP" \
	"$(tt "$TMP/end-out.elf" --sid 0)" "TT-NOT-IN-DUMP@0x91008000/0/0"

patch "$TMP/below.elf" "$TMP/loop.elf" 0x91000010 0x91000003
expect "a table that points at its own root is TT-LOOP" \
	"$(tt "$TMP/loop.elf" --sid 0)" "TT-LOOP@0x91000000/0/0"
patch "$TMP/below.elf" "$TMP/shared.elf" 0x91000010 0x91001003
expect "a table reached twice at the same level is no loop" "$(tt "$TMP/shared.elf" --sid 0)" "none"

patch "$TMP/below.elf" "$TMP/l3-res.elf" 0x91003098 0x80013001
expect "a level-3 descriptor of type 0b01 is TT-RESERVED" \
	"$(tt "$TMP/l3-res.elf" --sid 0)" "TT-RESERVED@0x91003098/0/0"
patch "$TMP/below.elf" "$TMP/l3-page.elf" 0x91003098 0x80013003
expect "a level-3 descriptor of type 0b11 is a page" "$(tt "$TMP/l3-page.elf" --sid 0)" "none"
patch "$TMP/below.elf" "$TMP/l0-block.elf" 0x91000010 0x40000001
expect "a 4K level-0 block is TT-RESERVED" \
	"$(tt "$TMP/l0-block.elf" --sid 0)" "TT-RESERVED@0x91000010/0/0"

# Each table once: a second path to the same level-1 table reads no table
# again; the summary counts what was read.
summary() {
	"$PASIDTOOL" validate "$1" $root --sid 0 --page-tables --json --max-entries "${2:-0}" 2>/dev/null |
		python3 -c 'import json,sys; s = json.load(sys.stdin)["summary"]; print(s["pt_spaces"], s["pt_tables"], s["pt_descriptors"])'
}
expect "regimes.elf sid 0: one address space, its tables and descriptors" "$(summary "$TMP/below.elf")" "1 8 4096"
expect "a shared table is walked once" "$(summary "$TMP/shared.elf")" "1 8 4096"

# The budget is --max-entries for the whole run: one STE, one CD, then the
# descriptors. Exactly enough is no finding; one fewer is TT-BUDGET.
expect "--max-entries 4098 reads every descriptor" "$(tt "$TMP/below.elf" --sid 0 --max-entries 4098)" "none"
got=$(tt "$TMP/below.elf" --sid 0 --max-entries 4097)
case $got in TT-BUDGET@*/0/0) ok "--max-entries 4097 stops the walk with TT-BUDGET" ;;
*) not_ok "--max-entries 4097 stops the walk with TT-BUDGET" "got $got" ;; esac

# Every stream: address spaces shared by several StreamIDs are walked once
# and their findings name the others.
"$PASIDTOOL" validate $d/regimes.elf $root --page-tables > "$TMP/all.txt" 2>&1
check "every stream: the shared address space's finding names the other sids" \
	grep -q 'sid 0 (and sid 10-12, 15): ssid 0: stage 1 level 3, input address 0x800000: .*\[TT-ADDR-SIZE\]' "$TMP/all.txt"
check "every stream: the summary counts the address spaces walked" \
	grep -q 'page tables: 5 address spaces' "$TMP/all.txt"
status "findings that are errors exit 1" 1 "$PASIDTOOL" validate "$TMP/loop.elf" $root --sid 0 --page-tables
status "no finding exits 0" 0 "$PASIDTOOL" validate "$TMP/below.elf" $root --sid 0 --page-tables
status "decode --page-tables without --strict is a usage error" 2 \
	"$PASIDTOOL" decode $d/regimes.elf $root --page-tables
status "--page-tables on VT-d tables is a usage error" 2 \
	"$PASIDTOOL" validate testdata/vtd/pasid-dir.bin --format vtd-pasid --ssid-bits 20 --page-tables
. tests/cli/schema.sh
"$PASIDTOOL" validate $d/regimes.elf $root --page-tables --json > "$TMP/all.json" 2>/dev/null
validate_json "validate --page-tables --json matches schema/validate.json" validate.json "$TMP/all.json"

done_testing
