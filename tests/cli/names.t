#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Enum names in JSON ("names" beside "fields", docs/json.md "Enum names"):
# what decode prints for CDs and STEs, build taking its own output back,
# and build refusing names that contradict the numbers or name no field.
. tests/cli/tap.sh
. tests/cli/schema.sh
cd_args="--base 0x80000000 --ssid-bits 4"
"$PASIDTOOL" decode testdata/cd/linear.bin $cd_args --json > "$TMP/cd.json"
# SSID 3 has TG0 = 3 (reserved), SSID 2 TG0 = 1 (64k).
check "decode: TG0 3 is named reserved" test "$(jq -r '.tables[0].entries[] | select(.ssid == 3) | .names.tg0' "$TMP/cd.json")" = reserved
check "decode: TG0 1 is named 64k" test "$(jq -r '.tables[0].entries[] | select(.ssid == 2) | .names.tg0' "$TMP/cd.json")" = 64k
check "decode: the number stays in fields" test "$(jq -r '.tables[0].entries[] | select(.ssid == 3) | .fields.tg0' "$TMP/cd.json")" = 3
check "decode: only enum fields are named" test "$(jq -r '.tables[0].entries[0].names | has("asid")' "$TMP/cd.json")" = false
"$PASIDTOOL" decode testdata/cd/linear.bin $cd_args > "$TMP/text.txt"
check "decode: names are what text prints" grep -q 'TG0=64k(1)' "$TMP/text.txt"
"$PASIDTOOL" decode testdata/strtab/two-level.bin --base 0x80000000 --strtab 0x80000000 \
	--strtab-cfg 0x10210 --json > "$TMP/ste.json" 2>/dev/null
check "decode: an STE names its Config" test "$(jq -r '[.tables[] | select(.format == "smmuv3-strtab") | .stes[] | .names.config][0]' "$TMP/ste.json")" = s1-trans
check "decode: L1 descriptors without enum fields have no names" test "$(jq '[.tables[].l1[]? | has("names")] | any' "$TMP/cd.json")" = false
validate_json "decode --json with names matches schema/decode.json" decode.json "$TMP/cd.json" "$TMP/ste.json"
validate_json "decode --json with names is a build spec (schema/build-spec.json)" build-spec.json "$TMP/cd.json"

# build takes its own output: names agree, every byte comes back.
"$PASIDTOOL" build "$TMP/cd.json" -o "$TMP/rt.bin" 2>/dev/null
check "build: decode --json with names gives back every byte" cmp testdata/cd/linear.bin "$TMP/rt.bin"

# A name that contradicts its number: refused, saying which entry and why.
jq -c '(.tables[0].entries[] | select(.ssid == 2) | .fields.tg0) = 0' "$TMP/cd.json" > "$TMP/edited.json"
status "build: a name that disagrees with its number exits 2" 2 "$PASIDTOOL" build "$TMP/edited.json" -o "$TMP/e.bin"
check "build: the error names the entry, the name and the number" \
	grep -q 'ssid 2: "names" says tg0 is "64k", but "raw"/"fields" make it 0 (4k)' "$TMP/status.out"
check "build: nothing written on a disagreement" test ! -e "$TMP/e.bin"
jq -c 'del(.. | .names?) | (.tables[0].entries[] | select(.ssid == 2) | .fields.tg0) = 0' "$TMP/cd.json" > "$TMP/dropped.json"
status "build: the edit with names dropped builds" 0 "$PASIDTOOL" build "$TMP/dropped.json" -o "$TMP/d.bin"
jq -c '(.tables[0].entries[] | select(.ssid == 2)) |= (.fields.tg0 = 0 | .names.tg0 = "4k")' "$TMP/cd.json" > "$TMP/both.json"
status "build: the edit with both changed builds" 0 "$PASIDTOOL" build "$TMP/both.json" -o "$TMP/b.bin"
check "build: the two edits give the same bytes" cmp "$TMP/d.bin" "$TMP/b.bin"
# Either side of the name's value: 1 (64k) is accepted, 0 and 2 are not.
for v in 0 1 2; do
	printf '{"tables":[{"base":"0x80000000","ssid_bits":2,"entries":[{"ssid":1,"fields":{"tg0":%s},"names":{"tg0":"64k"}}]}]}' "$v" > "$TMP/h$v.json"
done
status "build: hand form, names tg0 64k with tg0 = 1" 0 "$PASIDTOOL" build "$TMP/h1.json" -o "$TMP/h1.bin"
status "build: hand form, names tg0 64k with tg0 = 0" 2 "$PASIDTOOL" build "$TMP/h0.json" -o "$TMP/h0.bin"
status "build: hand form, names tg0 64k with tg0 = 2" 2 "$PASIDTOOL" build "$TMP/h2.json" -o "$TMP/h2.bin"
jq -c '.tables[0].entries[0].names = {"tgo": "4k"}' "$TMP/cd.json" > "$TMP/typo.json"
status "build: an unknown field in names exits 2" 2 "$PASIDTOOL" build "$TMP/typo.json" -o "$TMP/t.bin"
check "build: ... with a suggestion" grep -q "unknown smmuv3-cd enum field \"tgo\"; did you mean 'tg0'" "$TMP/status.out"
jq -c '.tables[0].entries[0].names.tg0 = "8k"' "$TMP/cd.json" > "$TMP/badname.json"
status "build: a name the field does not have exits 2" 2 "$PASIDTOOL" build "$TMP/badname.json" -o "$TMP/t.bin"
check "build: ... saying so" grep -q '"8k" is not a name of tg0' "$TMP/status.out"
# A typo'd field name in "fields" gets a suggestion too.
printf '{"tables":[{"base":"0x80000000","ssid_bits":2,"entries":[{"ssid":1,"fields":{"tgo":1}}]}]}' > "$TMP/ftypo.json"
status "build: an unknown field exits 2" 2 "$PASIDTOOL" build "$TMP/ftypo.json" -o "$TMP/t.bin"
check "build: ... with a suggestion" grep -q "unknown smmuv3-cd field \"tgo\"; did you mean 'tg0'" "$TMP/status.out"

# The other producers of decoded structures follow the same rule.
"$PASIDTOOL" iommufd decode testdata/iommufd/vste.bin --type vste --json > "$TMP/vste.json"
check "iommufd: a vSTE names its Config" test "$(jq -r '.records[1].names.config' "$TMP/vste.json")" = bypass
status "iommufd build: decode's output with names builds" 0 "$PASIDTOOL" iommufd build "$TMP/vste.json" --type vste -o "$TMP/vste.bin"
check "iommufd build: ... giving back every byte" cmp testdata/iommufd/vste.bin "$TMP/vste.bin"
jq -c '.records[1].names.config = "s1-trans"' "$TMP/vste.json" > "$TMP/vste-bad.json"
status "iommufd build: a name that disagrees exits 2" 2 "$PASIDTOOL" iommufd build "$TMP/vste-bad.json" --type vste -o "$TMP/vste2.bin"
check "iommufd build: ... saying so" grep -q '"names" says config is "s1-trans"' "$TMP/status.out"
check "queues: commands name their enum fields" grep -q '"names":{"cs":"none","msh":"nsh"}' testdata/queues/all.json
check "explain: the event and the STE carry names" \
	test "$(jq -c '[(.events[0].event | has("names")), (.events[0].ste | has("names"))]' testdata/explain/evtq.json 2>/dev/null)" = '[true,true]'

done_testing
