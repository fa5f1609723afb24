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

# virtio-iommu requests: decode names them, attach build checks the names.
for c in rfc1-stream v07 intel qcom; do
	opts=$(grep "^$c	" testdata/attach/cases | cut -f2)
	[ "$opts" = - ] && opts=
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach decode testdata/attach/$c.bin $opts --json > "$TMP/at-$c.json"
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach build "$TMP/at-$c.json" $opts -o "$TMP/at-$c.bin"
	check "attach build: $c decode --json with names gives back every byte" cmp testdata/attach/$c.bin "$TMP/at-$c.bin"
done
validate_json "attach decode --json with names matches schema/attach.json" attach.json "$TMP/at-rfc1-stream.json" "$TMP/at-v07.json" "$TMP/at-intel.json" "$TMP/at-qcom.json"
at="$TMP/at-rfc1-stream.json"
check "attach: ATTACH_TABLE names S1DSS, S1Fmt and the format" \
	test "$(jq -c '.requests[1].names | [.s1dss, .s1fmt, .format, .type]' "$at")" = '["ssid0","2lvl-64k","arm_smmuv3","attach_table"]'
check "attach: PROBE names its status with the head's fields" test "$(jq -c '.requests[0].names' "$at")" = '{"type":"probe","status":"ok"}'
check "attach: a PROBE property names its format" test "$(jq -r '.requests[0].properties[3].names.format' "$at")" = arm_smmuv3
check "attach: a property without enum fields has no names" test "$(jq '.requests[0].properties[0] | has("names")' "$at")" = false
check "attach: the number stays in fields" test "$(jq '.requests[1].fields.s1dss' "$at")" = 2
# Either side of the name's value: S1DSS 2 is ssid0, 1 and 3 are not.
for v in 1 2 3; do
	printf '{"type":"attach_table","format":"arm_smmuv3","s1dss":%s,"names":{"s1dss":"ssid0"}}' "$v" > "$TMP/ah$v.json"
done
status "attach build: names s1dss ssid0 with s1dss = 2" 0 "$PASIDTOOL" attach build "$TMP/ah2.json" -o "$TMP/ah2.bin"
status "attach build: names s1dss ssid0 with s1dss = 1" 2 "$PASIDTOOL" attach build "$TMP/ah1.json" -o "$TMP/ah1.bin"
check "attach build: ... the error names the request, the name and the number" \
	grep -q 'requests\[0\]: "names" says s1dss is "ssid0", but "raw"/"fields" make it 1 (bypass)' "$TMP/status.out"
check "attach build: ... nothing written" test ! -e "$TMP/ah1.bin"
status "attach build: names s1dss ssid0 with s1dss = 3" 2 "$PASIDTOOL" attach build "$TMP/ah3.json" -o "$TMP/ah3.bin"
check "attach build: ... 3 has no name" grep -q 'make it 3: the numbers' "$TMP/status.out"
jq -c '.requests[1].fields.s1dss = 1' "$at" > "$TMP/at-edit.json"
status "attach build: decode output with an edited number and its old name exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-edit.json" --probe-size 64 -o "$TMP/at-e.bin"
check "attach build: ... naming request 1" grep -q 'requests\[1\]: "names" says s1dss is "ssid0"' "$TMP/status.out"
jq -c 'del(.. | .names?) | .requests[1].fields.s1dss = 1' "$at" > "$TMP/at-drop.json"
status "attach build: ... the same edit with names dropped builds" 0 "$PASIDTOOL" attach build "$TMP/at-drop.json" --probe-size 64 -o "$TMP/at-d.bin"
jq -c '.requests[1].fields.s1dss = 1 | .requests[1].names.s1dss = "bypass"' "$at" > "$TMP/at-both.json"
status "attach build: ... and with both edited" 0 "$PASIDTOOL" attach build "$TMP/at-both.json" --probe-size 64 -o "$TMP/at-b.bin"
check "attach build: the two edits give the same bytes" cmp "$TMP/at-d.bin" "$TMP/at-b.bin"
# PROBE: status lives in the tail, and so does its name.
jq -c '.requests[0].names.status = "ioerr"' "$at" > "$TMP/at-st.json"
status "attach build: PROBE names status ioerr over status 0 exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-st.json" --probe-size 64 -o "$TMP/at-s.bin"
check "attach build: ... saying so" grep -q 'requests\[0\]: "names" says status is "ioerr", but "raw"/"fields" make it 0 (ok)' "$TMP/status.out"
jq -c '.requests[0].fields.status = 1 | .requests[0].names.status = "ioerr"' "$at" > "$TMP/at-st1.json"
status "attach build: PROBE names status ioerr over status 1 builds" 0 "$PASIDTOOL" attach build "$TMP/at-st1.json" --probe-size 64 -o "$TMP/at-s1.bin"
jq -c '.requests[0].properties[3].names.format = "arm_lpae"' "$at" > "$TMP/at-prop.json"
status "attach build: a property name that disagrees exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-prop.json" --probe-size 64 -o "$TMP/at-p.bin"
check "attach build: ... saying so" grep -q '"names" says format is "arm_lpae", but "raw"/"fields" make it 2 (arm_smmuv3)' "$TMP/status.out"
jq -c '.requests[0].properties[3].names.format = "arm_smmuv3"' "$at" > "$TMP/at-prop1.json"
status "attach build: ... the name that agrees builds" 0 "$PASIDTOOL" attach build "$TMP/at-prop1.json" --probe-size 64 -o "$TMP/at-p1.bin"
printf '{"type":"probe","probe_size":16,"properties":[{"type":"pasid_table_fmt","format":%s,"names":{"format":"arm_smmuv3"}}]}' 2 > "$TMP/ap2.json"
printf '{"type":"probe","probe_size":16,"properties":[{"type":"pasid_table_fmt","format":%s,"names":{"format":"arm_smmuv3"}}]}' 1 > "$TMP/ap1.json"
status "attach build: hand-written property, names format arm_smmuv3 with format 2" 0 "$PASIDTOOL" attach build "$TMP/ap2.json" -o "$TMP/ap2.bin"
status "attach build: hand-written property, names format arm_smmuv3 with format 1" 2 "$PASIDTOOL" attach build "$TMP/ap1.json" -o "$TMP/ap1.bin"
# A property whose length is not its layout's is shown with the generic
# structure (no enum fields): its names are checked against what decode used.
for len in 12 8; do
	python3 -c "import sys; sys.stdout.buffer.write(bytes([5, 0, 0, 0, 8]) + bytes(67) + bytes([6, 0, $len, 0, 1, 0, 16, 0]) + bytes(12))" > "$TMP/pl$len.bin"
	"$PASIDTOOL" attach decode "$TMP/pl$len.bin" --probe-size 16 --json > "$TMP/pl$len.json"
	"$PASIDTOOL" attach build "$TMP/pl$len.json" --probe-size 16 -o "$TMP/pl$len.out"
	check "attach build: PROBE property of length $len, decode --json gives back every byte" cmp "$TMP/pl$len.bin" "$TMP/pl$len.out"
done
check "attach: page_table_fmt of its layout's length names its format" test "$(jq -c '.requests[0].properties[0].names' "$TMP/pl12.json")" = '{"format":"arm_lpae"}'
check "attach: page_table_fmt of another length has no names" test "$(jq '.requests[0].properties[0] | has("names")' "$TMP/pl8.json")" = false
jq -c '.requests[0].properties[0].names = {"format": "arm_lpae"}' "$TMP/pl8.json" > "$TMP/pl8n.json"
status "attach build: names on a property decode shows without a layout exits 2" 2 "$PASIDTOOL" attach build "$TMP/pl8n.json" --probe-size 16 -o "$TMP/pl8n.out"
jq -c '.requests[0].properties[0].offset = 4' "$TMP/pl12.json" > "$TMP/plo.json"
status "attach build: names on a property at an offset where none starts exits 2" 2 "$PASIDTOOL" attach build "$TMP/plo.json" --probe-size 16 -o "$TMP/plo.out"
check "attach build: ... saying so" grep -q 'properties\[0\]: "names" but no property at its "offset"' "$TMP/status.out"
jq -c '.requests[1].names = {"s1dds": "ssid0"}' "$at" > "$TMP/at-key.json"
status "attach build: an unknown field in names exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-key.json" --probe-size 64 -o "$TMP/at-k.bin"
check "attach build: ... with a suggestion" grep -q "unknown viommu-attach-pst-arm enum field \"s1dds\"; did you mean 's1dss'" "$TMP/status.out"
jq -c '.requests[1].names.s1dss = "ssid1"' "$at" > "$TMP/at-name.json"
status "attach build: a name the field does not have exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-name.json" --probe-size 64 -o "$TMP/at-n.bin"
check "attach build: ... with a suggestion" grep -q "\"ssid1\" is not a name of s1dss; did you mean 'ssid0'" "$TMP/status.out"
jq -c '.requests[1].names.domain = "x"' "$at" > "$TMP/at-num.json"
status "attach build: a name for a number field exits 2" 2 "$PASIDTOOL" attach build "$TMP/at-num.json" --probe-size 64 -o "$TMP/at-u.bin"
check "attach build: ... saying it is not an enum" grep -q 'field "domain" is not an enum' "$TMP/status.out"

done_testing
