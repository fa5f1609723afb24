#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# maps on the regimes of testdata/ptw: every valid mapping of an address
# space merged into ranges, stage 1 (both TTB halves), stage 2, --all-sids
# with shared address spaces named once, and tables the input lacks.
. tests/cli/tap.sh
d=testdata/ptw
img=$d/regimes.elf
R="--strtab 0x90000000 --strtab-cfg 4"

for c in "s0:--sid 0" "s1:--sid 1 --ssid 1" "s2:--sid 2" "all:--all-sids" "ends:--sid 6" "nested:--sid 3"; do
	name=maps-${c%%:*}
	args=${c#*:}
	# shellcheck disable=SC2086
	"$PASIDTOOL" maps "$img" $R $args > "$TMP/out.txt" 2>&1
	same "$name: text" "$d/$name.txt" "$TMP/out.txt"
	# shellcheck disable=SC2086
	"$PASIDTOOL" maps "$img" $R $args --json > "$TMP/out.json" 2>/dev/null
	same "$name: JSON" "$d/$name.json" "$TMP/out.json"
done

# Every range maps, address by address, where translate says it does: the
# two commands share one walker but not one loop.
python3 - "$d/maps-s1.json" > "$TMP/probe" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["maps"]:
    iova, pa, size = (int(m[k], 16) for k in ("iova", "pa", "size"))
    for off in (0, size // 2, size - 1):
        print(hex(iova + off), hex(pa + off))
PY
iovas=$(cut -d' ' -f1 "$TMP/probe" | tr '\n' ' ')
# shellcheck disable=SC2086
"$PASIDTOOL" translate "$img" $R --sid 1 --ssid 1 $iovas --json |
	python3 -c 'import json,sys; [print(t["iova"], t["pa"]) for t in json.load(sys.stdin)["translations"]]' > "$TMP/got"
same "maps --sid 1 --ssid 1 (TTB0 and TTB1): every range translates as listed" "$TMP/probe" "$TMP/got"
want=$(printf '%s\n' 0x10000 0x80000000 0x3000 0x200000 0x82000000 0x1000 0x40000000 0xc0000000 0x40000000)
got=$(python3 -c 'import json,sys; [print(m["iova"]+"\n"+m["pa"]+"\n"+m["size"]) for m in json.load(open(sys.argv[1]))["maps"][:3]]' "$d/maps-s0.json")
if [ "$got" = "$want" ]; then ok "maps --sid 0: the 3-page run, the page with AF = 0 and the 1 GiB block"; else
	not_ok "maps --sid 0: the 3-page run, the page with AF = 0 and the 1 GiB block" "$got"; fi

status "maps exits 0 on clean tables" 0 "$PASIDTOOL" maps "$img" $R --sid 1 --ssid 1
status "maps exits 1 when an output is beyond IPS (TT-ADDR-SIZE)" 1 "$PASIDTOOL" maps "$img" $R --sid 0
status "maps exits 1 when a table is not in the input" 1 "$PASIDTOOL" maps "$img" $R --sid 6
status "maps exits 1 when the STE asked for is not in the input" 1 "$PASIDTOOL" maps "$img" --ste 0x7000000000
status "maps: an IOVA argument is a usage error" 2 "$PASIDTOOL" maps "$img" $R --sid 0 0x1000
status "maps: --all-sids without --strtab is a usage error" 2 "$PASIDTOOL" maps "$img" --ste 0x90000000 --all-sids
"$PASIDTOOL" maps "$img" $R --sid 0 --max-entries 3 > /dev/null 2> "$TMP/budget"
if grep -q 'TT-BUDGET' "$TMP/budget"; then ok "--max-entries 3 stops the walk with TT-BUDGET"; else not_ok "--max-entries 3 stops the walk with TT-BUDGET" "$(cat "$TMP/budget")"; fi

# --all-sids lists the valid STEs the stream-table walk finds, not every
# StreamID the registers allow: a 32-bit table (linear, 256 GiB of STEs
# mostly outside the input) lists the same streams as the 4-bit one.
"$PASIDTOOL" maps "$img" $R --all-sids --json > "$TMP/all4.json" 2>/dev/null
"$PASIDTOOL" maps "$img" --strtab 0x90000000 --strtab-cfg 0x20 --caps sid-bits=32 --all-sids --json \
	> "$TMP/all32.json" 2>/dev/null
n4=$(jq -c '[.maps[].sid] | unique' "$TMP/all4.json")
n32=$(jq -c '[.maps[].sid] | unique' "$TMP/all32.json")
if [ "$n4" = "$n32" ] && [ "$n4" != "[]" ]; then ok "--all-sids on a 32-bit linear table: the streams of the 4-bit one ($n4)"; else
	not_ok "--all-sids on a 32-bit linear table: the streams of the 4-bit one" "$n4 vs $n32"; fi
status "--all-sids on a 32-bit 2-level table whose leaves are not in the input exits 1" 1 \
	"$PASIDTOOL" maps "$img" --strtab 0x90000000 --strtab-cfg 0x10220 --caps sid-bits=32 --all-sids

done_testing
