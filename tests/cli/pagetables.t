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

# Reserved bits: a page's bit 48 is RES0 without DS, bit 51 is DBM; a table
# descriptor's bit 50 is RES0, bit 51 IGNORED; a 1 GiB block's bit 21 is
# RES0, a 2 MiB block's is an address bit.
for c in "page bit 48:0x91003080:0x0061000080000f07:TT-RES0@0x91003080/0/0" \
	"page bit 51:0x91003080:0x0068000080000f07:none" \
	"table bit 50:0x91000000:0x0004000091001003:TT-RES0@0x91000000/0/0" \
	"table bit 51:0x91000000:0x0008000091001003:none" \
	"1G block bit 21:0x91001008:0x00000000c02004c9:TT-RES0@0x91001008/0/0" \
	"2M block bit 21:0x91006010:0x0000000082600445:none"; do
	what=${c%%:*}; rest=${c#*:}; addr=${rest%%:*}; rest=${rest#*:}
	val=${rest%%:*}; want=${rest#*:}
	patch "$TMP/below.elf" "$TMP/res0.elf" "$addr" "$val"
	expect "RES0: $what" "$(tt "$TMP/res0.elf" --sid 0)" "$want"
done

# Aliasing: level-0 entry 2 naming the level-2 table reads it at level 1
# (and what it names one level up too); naming the level-1 table is sharing
# (shared.elf, above); naming the CD table or the stream table overlaps them.
patch "$TMP/below.elf" "$TMP/alias.elf" 0x91000010 0x91002003
got=$(tt "$TMP/alias.elf" --sid 0 | tr ' ' '\n' | grep -v NOT-IN-DUMP | tr '\n' ' ')
expect "a table reached at levels 1 and 2 is TT-LEVEL-ALIAS, once per table" "$got" \
	"TT-LEVEL-ALIAS@0x91002000/0/0 TT-LEVEL-ALIAS@0x91003000/0/0 TT-LEVEL-ALIAS@0x91004000/0/0 TT-LEVEL-ALIAS@0x91007000/0/0 "
"$PASIDTOOL" validate "$TMP/alias.elf" $root --sid 0 --page-tables > "$TMP/alias.txt" 2>&1
check "TT-LEVEL-ALIAS names both paths" grep -q \
	'0x91002000: error: sid 0: ssid 0: stage 1 4K level-1 table (0x1000 bytes, input address 0x10000000000) is also reached from sid 0 ssid 0, stage 1 4K level 2 at input address 0x0: .*\[TT-LEVEL-ALIAS\]' \
	"$TMP/alias.txt"
patch "$TMP/below.elf" "$TMP/over-cd.elf" 0x91000010 0x90001003
expect "a table laid over the CD table is TT-OVERLAP" \
	"$(tt "$TMP/over-cd.elf" --sid 0 | tr ' ' '\n' | grep -v NOT-IN-DUMP)" "TT-OVERLAP@0x90001000/0/0"
patch "$TMP/below.elf" "$TMP/over-st.elf" 0x91000010 0x90000003
"$PASIDTOOL" validate "$TMP/over-st.elf" $root --page-tables > "$TMP/over-st.txt" 2>&1
check "a table laid over the stream table is TT-OVERLAP, naming it" grep -q \
	'0x90000000: error: sid 0 (and sid 10-12): ssid 0: .* overlaps the stream table at 0x90000000 (0x400 bytes): .*\[TT-OVERLAP\]' \
	"$TMP/over-st.txt"

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
	grep -q 'sid 0 (and sid 10-12): ssid 0: stage 1 level 3, input address 0x800000: .*\[TT-ADDR-SIZE\]' "$TMP/all.txt"
check "every stream: sid 15's CD is illegal (S = 1 with S1STALLD): its tables are not walked" \
	grep -q '0x90009000: note: sid 15: ssid 0: translation tables not walked (CD-S-STALLD: .*\[TT-NOT-WALKED\]' "$TMP/all.txt"
patch "$TMP/below.elf" "$TMP/bad-ste.elf" 0x90000090 0x040d007f00000001
"$PASIDTOOL" validate "$TMP/bad-ste.elf" $root --page-tables > "$TMP/bad-ste.txt" 2>&1
check "sid 2's STE with S2T0SZ 63 is illegal (C_BAD_STE): its stage 2 is not walked" \
	grep -q '0x90000080: note: sid 2: stage-2 translation tables not walked (STE-S2T0SZ-RANGE: S2T0SZ = 63 is outside 16..39): .*\[TT-NOT-WALKED\]' "$TMP/bad-ste.txt"
check "sid 2's STE with S2T0SZ 24 is walked" sh -c "! grep -q 'TT-NOT-WALKED.*sid 2:\|sid 2: .*TT-NOT-WALKED' '$TMP/all.txt'"
check "every stream: sid 12's CD (S = 1, S1STALLD = 0) is legal and walked" \
	sh -c "! grep -q 'sid 12: .*TT-NOT-WALKED' '$TMP/all.txt'"
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
