#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pasidtool iommufd: the committed samples (built from their JSON, decoded and
# validated to the committed outputs), build round trips, --hex and stdin,
# the CD table behind a vSTE walked in a dump as validate walks it, the
# nested STE, the JSON schema against real output, and hostile sizes.
# QEMU 7.2 cannot run arm-smmuv3,accel=on (it needs a host SMMUv3 and
# iommufd), so the samples are written from the uAPI and QEMU's
# hw/arm/smmuv3-accel.c as read: abort {V}, bypass {V, Config 4}, and the
# guest's stage-1 STE masked to the nesting bits.
. tests/cli/tap.sh

dir=testdata/iommufd
for t in vste invalidate hw-info vevent; do
	"$PASIDTOOL" iommufd build "$dir/$t.json" --type "$t" -o "$TMP/$t.bin"
	check "$t: build from the spec gives the committed sample" cmp "$dir/$t.bin" "$TMP/$t.bin"
	"$PASIDTOOL" iommufd validate "$dir/$t.bin" --type "$t" > "$TMP/$t.validate.txt" 2>&1
	same "$t: validate prints the committed output" "$dir/$t.validate.txt" "$TMP/$t.validate.txt"
	"$PASIDTOOL" iommufd decode "$dir/$t.bin" --type "$t" --json > "$TMP/$t.decode.json"
	same "$t: decode --json prints the committed output" "$dir/$t.decode.json" "$TMP/$t.decode.json"
	"$PASIDTOOL" iommufd build "$TMP/$t.decode.json" --type "$t" -o "$TMP/$t.again.bin"
	check "$t: decode --json | build gives back every byte" cmp "$dir/$t.bin" "$TMP/$t.again.bin"
	"$PASIDTOOL" iommufd validate "$dir/$t.bin" --type "$t" --json > "$TMP/$t.validate.json"
done
status "vste: validate exits 1 (the kernel rejects 3 records)" 1 \
	"$PASIDTOOL" iommufd validate "$dir/vste.bin" --type vste
status "hw-info: validate exits 0 (warnings only)" 0 \
	"$PASIDTOOL" iommufd validate "$dir/hw-info.bin" --type hw-info
n=$(jq '[.records[] | select(.accepted == false)] | length' "$TMP/vste.validate.json")
r=$(jq -r '[.records[] | select(.accepted == false) | .rule] | join(",")' "$TMP/vste.validate.json")
check "vste: 3 records rejected, by the mask, Config and EATS rules ($r)" \
	test "$n/$r" = "3/IOMMUFD-VSTE-BITS,IOMMUFD-VSTE-CONFIG,IOMMUFD-VSTE-EATS"
check "vste: a rejected record says EIO since 6.13" \
	test "$(jq -r '.records[5] | .errno + " " + .since' "$TMP/vste.validate.json")" = "EIO 6.13"

# invalidate: the kernel stops at CMD_SYNC (index 7): entry_num 7, nothing
# of the unissued batch reaches the SMMU, the last two are never read.
status "invalidate: validate exits 1 (CMD_SYNC and CFGI_STE are not forwarded)" 1 \
	"$PASIDTOOL" iommufd validate "$dir/invalidate.bin" --type invalidate
got=$(jq -c '.batch' "$TMP/invalidate.validate.json")
check "invalidate: the batch stops at entry 7 ($got)" test "$got" = \
	'{"rejected":true,"errno":"EIO","entry_num":7,"issued":0,"dropped":7,"not_reached":2}'
got=$(jq -r '[.records[] | select(.accepted == false) | "\(.index):\(.rule)"] | join(",")' \
	"$TMP/invalidate.validate.json")
check "invalidate: CMD_SYNC and CMD_CFGI_STE are IOMMUFD-INVAL-OPCODE ($got)" \
	test "$got" = "7:IOMMUFD-INVAL-OPCODE,8:IOMMUFD-INVAL-OPCODE"
check "invalidate: without --vdevice the vSIDs are noted as unchecked" \
	test "$(grep -c 'IOMMUFD-INVAL-VSID-UNCHECKED' "$dir/invalidate.validate.txt")" -eq 2
check "invalidate: the CMDQ rules judge a forwarded command (empty range)" \
	grep -q 'warning: invalidate\[6\]: CMDQ-RANGE-EMPTY: .*\[IOMMUFD-INVAL-SMMU\]' \
	"$dir/invalidate.validate.txt"
"$PASIDTOOL" iommufd validate "$dir/invalidate.bin" --type invalidate --vdevice 9=0x101 \
	> "$TMP/vdev9.txt"
check "--vdevice without vSID 8: CFGI_CD(8) is rejected first (entry_num 0)" \
	grep -q 'invalidate\[0\] rejected: entry_num = 0' "$TMP/vdev9.txt"
"$PASIDTOOL" iommufd validate "$dir/invalidate.bin" --type invalidate --vdevice 8=0x100 \
	> "$TMP/vdev8.txt"
check "--vdevice 8=0x100: ATC_INV is issued to StreamID 0x100" \
	grep -q 'invalidate\[3\]: CMD_ATC_INV: vSID 0x8 issued as StreamID 0x100' "$TMP/vdev8.txt"
check "--vdevice 8=0x100: no vSID is unchecked or unknown" \
	test "$(grep -c 'IOMMUFD-INVAL-VSID' "$TMP/vdev8.txt")" -eq 0
status "invalidate: the forwarded commands alone exit 0" 0 \
	"$PASIDTOOL" iommufd validate --type invalidate --hex 0x1000000000011,0
status "--vdevice needs VSID=PSID" 2 \
	"$PASIDTOOL" iommufd validate "$dir/invalidate.bin" --type invalidate --vdevice 8
status "--vdevice belongs to validate" 2 \
	"$PASIDTOOL" iommufd decode "$dir/invalidate.bin" --type invalidate --vdevice 8=1

# --entry-len: entries as the ioctl's entry_len frames them (copy_struct_from_user).
python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
e = [d[i:i + 16] for i in range(0, len(d), 16)]
open(sys.argv[2], "wb").write(b"".join(x + bytes(8) for x in e))
t = [x + bytes(8) for x in e]
t[5] = e[5] + b"\x01" + bytes(7)
open(sys.argv[3], "wb").write(b"".join(t))
open(sys.argv[4], "wb").write(b"".join(x[:8] for x in e))
' "$dir/invalidate.bin" "$TMP/inv24.bin" "$TMP/inv24bad.bin" "$TMP/inv8.bin"
"$PASIDTOOL" iommufd validate "$TMP/inv24.bin" --type invalidate --entry-len 24 --json \
	> "$TMP/inv24.json"
check "--entry-len 24 with zero tails: the same verdicts and batch as 16" test \
	"$(jq -c '[.batch, [.records[].accepted]]' "$TMP/inv24.json")" = \
	"$(jq -c '[.batch, [.records[].accepted]]' "$TMP/invalidate.validate.json")"
"$PASIDTOOL" iommufd validate "$TMP/inv24bad.bin" --type invalidate --entry-len 24 --json \
	> "$TMP/inv24bad.json"
check "--entry-len 24, a tail byte set: E2BIG, entry_num 0, nothing issued" test \
	"$(jq -c '.batch' "$TMP/inv24bad.json")" = \
	'{"rejected":true,"errno":"E2BIG","entry_num":0,"issued":0,"dropped":0,"not_reached":10}'
check "--entry-len 24: the entry with the tail is IOMMUFD-INVAL-ENTRY-LEN" \
	test "$(jq -r '.records[5].rule + " " + .records[5].errno' "$TMP/inv24bad.json")" = \
	"IOMMUFD-INVAL-ENTRY-LEN E2BIG"
"$PASIDTOOL" iommufd decode "$TMP/inv8.bin" --type invalidate --entry-len 8 --json > "$TMP/inv8.json"
check "--entry-len 8: word 1 is zero-extended" test \
	"$(jq -r '[.records[].raw[1]] | unique | join(",")' "$TMP/inv8.json")" = "0x0"
status "--entry-len 0 is refused (the kernel says EINVAL)" 2 \
	"$PASIDTOOL" iommufd validate "$TMP/inv8.bin" --type invalidate --entry-len 0
head -c 4096 /dev/zero > "$TMP/inv4096.bin"
status "--entry-len 4096 is the largest" 0 \
	"$PASIDTOOL" iommufd decode "$TMP/inv4096.bin" --type invalidate --entry-len 4096
status "--entry-len 4097 is refused" 2 \
	"$PASIDTOOL" iommufd decode "$TMP/inv8.bin" --type invalidate --entry-len 4097
status "--entry-len belongs to invalidate" 2 \
	"$PASIDTOOL" iommufd decode "$dir/vste.bin" --type vste --entry-len 16
status "--entry-len 24 over a file of 16-byte entries: the last is cut short" 2 \
	"$PASIDTOOL" iommufd decode "$dir/invalidate.bin" --type invalidate --entry-len 24

# vevent: three delivered faults, a LOST_EVENTS header (events 3..9), a gap
# (11..13), then records this kernel never writes.
status "vevent: validate exits 1 (4 records the kernel never writes)" 1 \
	"$PASIDTOOL" iommufd validate "$dir/vevent.bin" --type vevent
got=$(jq -r '[.records[] | select(.accepted == false) | "\(.index):\(.rule):\(.errno)"] | join(",")' \
	"$TMP/vevent.validate.json")
check "vevent: walk abort, S2, stall and a bad flag are not the kernel's ($got)" test "$got" = \
	"6:IOMMUFD-VEVENT-ID:EOPNOTSUPP,7:IOMMUFD-VEVENT-S2:EOPNOTSUPP,8:IOMMUFD-VEVENT-STALL:null,9:IOMMUFD-VEVENT-FLAGS:null"
check "vevent: the LOST_EVENTS header counts 7 lost events" \
	grep -q 'vevent\[3\]: sequence 9 after 2: 7 events lost.*\[IOMMUFD-VEVENT-LOST\]' \
	"$dir/vevent.validate.txt"
check "vevent: the gap 10 -> 14 counts 3 lost events" \
	grep -q 'vevent\[5\]: sequence 14 after 10: 3 events lost.*\[IOMMUFD-VEVENT-GAP\]' \
	"$dir/vevent.validate.txt"
check "vevent: a LOST_EVENTS header is 8 bytes with no record" \
	test "$(jq -c '.records[3] | [.offset, .header.fields.lost_events, has("raw")]' \
	"$TMP/vevent.decode.json")" = '["0x78",1,false]'
"$PASIDTOOL" iommufd validate "$dir/vevent.bin" --type vevent --vdevice 8=0x100 > "$TMP/vev8.txt"
check "vevent --vdevice 8=0x100: the record for StreamID 9 names no vDEVICE" \
	test "$(grep -c 'IOMMUFD-VEVENT-VSID' "$TMP/vev8.txt")" -eq 1
"$PASIDTOOL" iommufd validate "$dir/vevent.bin" --type vevent --vdevice 8=0x100 \
	--vdevice 9=0x101 > "$TMP/vev89.txt"
check "vevent --vdevice 8 and 9: every StreamID is a vSID" \
	test "$(grep -c 'IOMMUFD-VEVENT-VSID' "$TMP/vev89.txt")" -eq 0
head -c 47 "$dir/vevent.bin" > "$TMP/vshort.bin"
status "vevent: a record cut inside its 32 bytes is an input error" 2 \
	"$PASIDTOOL" iommufd decode "$TMP/vshort.bin" --type vevent

# hw-info: the IDRs through the register model; --hw-info gives validate
# the SMMU (S1CDMax 17 needs SSIDSIZE >= 17).
check "hw-info: decode --json decodes IDR1 with the register model (SSIDSIZE 20)" \
	test "$(jq '.records[0].registers.idr1.ssidsize' "$TMP/hw-info.decode.json")" = 20
check "hw-info: an SMMU without stage 2 cannot nest" \
	grep -q 'hw-info\[1\]: IDR0 = 0x8001002: S1P = 1, S2P = 0.*\[IOMMUFD-HWINFO-NESTING\]' \
	"$dir/hw-info.validate.txt"
check "hw-info: IDR fields outside the kdoc's list are noted" \
	grep -q 'hw-info\[0\]: IDR0 S2P, S1P, COHACC, BTM.*\[IOMMUFD-HWINFO-UNLISTED\]' \
	"$dir/hw-info.validate.txt"
for s in 16 17; do
	printf '{"idr0": "0x0f0d4ebf", "idr1": "0x%x", "idr5": "0x75"}\n' $((s * 64 + 16)) \
		> "$TMP/hwi$s.json"
	"$PASIDTOOL" iommufd build "$TMP/hwi$s.json" --type hw-info -o "$TMP/hwi$s.bin"
	"$PASIDTOOL" iommufd validate --type vste --hex 0x880000008000000b,0xd4 \
		--hw-info "$TMP/hwi$s.bin" > "$TMP/hwi$s.txt" 2>&1
done
check "--hw-info SSIDSIZE 16: S1CDMax 17 is beyond it (STE-S1CDMAX-RANGE)" \
	grep -q 'STE-S1CDMAX-RANGE: S1CDMax = 17 with SSIDSIZE = 16' "$TMP/hwi16.txt"
check "--hw-info SSIDSIZE 17: S1CDMax 17 fits" test "$(grep -c 'STE-' "$TMP/hwi17.txt")" -eq 0
"$PASIDTOOL" iommufd validate --type vste --hex 0x880000008000000b,0xd4 \
	--hw-info "$TMP/hwi17.bin" --caps ssid-bits=16 > "$TMP/hwicaps.txt" 2>&1
check "--caps keys win over --hw-info's registers" \
	grep -q 'S1CDMax = 17 with SSIDSIZE = 16' "$TMP/hwicaps.txt"
status "--hw-info needs exactly one 40-byte record" 2 \
	"$PASIDTOOL" iommufd validate "$dir/vste.bin" --type vste --hw-info "$dir/hw-info.bin"
status "--hw-info belongs to validate and nest" 2 \
	"$PASIDTOOL" iommufd decode "$dir/vste.bin" --type vste --hw-info "$TMP/hwi16.bin"
status "nest takes --hw-info" 0 \
	"$PASIDTOOL" iommufd nest --hex 0x8000000b,0xd6 --s2-ste "0xd,0x100000000000,0x044d359000000001,0x43210000" \
	--hw-info "$TMP/hwi17.bin"

# --hex and standard input give the same record as the file.
"$PASIDTOOL" iommufd decode --type vste --hex 0x200000008000000b,0xd6 --json \
	| jq -c '.records[0].fields' > "$TMP/hex.json"
dd if="$dir/vste.bin" bs=16 skip=2 count=1 2> /dev/null \
	| "$PASIDTOOL" iommufd decode - --type vste --json | jq -c '.records[0].fields' > "$TMP/stdin.json"
same "--hex and stdin decode the same vSTE" "$TMP/hex.json" "$TMP/stdin.json"
check "--hex: S1ContextPtr and EATS read from the words" \
	test "$(jq -r '.s1contextptr + " " + (.eats|tostring)' "$TMP/hex.json")" = "0x80000000 0"

# --dump: the CD table behind the stage-1 vSTEs is walked once, with the
# same CD findings as validate finds in the table itself.
"$PASIDTOOL" iommufd validate "$dir/vste.bin" --type vste \
	--dump testdata/cd/linear.bin@0x80000000 > "$TMP/dump.txt"
"$PASIDTOOL" validate testdata/cd/linear.bin --base 0x80000000 --ssid-bits 4 > "$TMP/direct.txt"
a=$(grep -c '\[CD-' "$TMP/dump.txt")
b=$(grep -c '\[CD-' "$TMP/direct.txt")
check "--dump: the vSTE's CD table has the findings validate gives it ($a = $b)" test "$a" -eq "$b" -a "$a" -gt 0
check "--dump: CD findings name the dump" grep -q '^testdata/cd/linear.bin@0x80000000:0x800000c0: error: ssid 3:' "$TMP/dump.txt"
"$PASIDTOOL" iommufd validate "$dir/vste.bin" --type vste --dump testdata/cd/linear.bin@0x90000000 \
	> "$TMP/unmapped.txt"
check "--dump: a table outside the dump is TABLE-UNMAPPED" grep -q 'TABLE-UNMAPPED' "$TMP/unmapped.txt"
"$PASIDTOOL" iommufd validate "$dir/vste.bin" --type vste --dump testdata/cd/linear.bin@0x80000000 \
	--json > "$TMP/dump.json"

# nest: Config 7 over the stage-2 STE, MEV, EATS from the vSTE and --no-ats.
s2=0xd,0x100000000000,0x044d359000000001,0x43210000
"$PASIDTOOL" iommufd nest --vste "$dir/vste.bin" --s2-ste "$s2" --json -o "$TMP/nested.bin" \
	> "$TMP/nest.json"
status "nest exits 1: the vSTE file has rejected records" 1 \
	"$PASIDTOOL" iommufd nest --vste "$dir/vste.bin" --s2-ste "$s2"
check "nest: 6 accepted vSTEs give 6 nested STEs of 64 bytes" test "$(wc -c < "$TMP/nested.bin")" -eq 384
got=$(jq -r '.records[3].nested.raw[0:4] | join(",")' "$TMP/nest.json")
check "nest: stage-1 vSTE over the stage-2 STE ($got)" \
	test "$got" = "0x200000008000000f,0x1000100800d6,0x44d359000000001,0x43210000"
got=$(jq -r '.records[1].nested.raw[0:2] | join(",")' "$TMP/nest.json")
check "nest: bypass installs the stage-2 STE ($got)" test "$got" = "0xd,0x100000000000"
got=$(jq -r '.records[7].nested.raw | join(",")' "$TMP/nest.json")
check "nest: V = 0 installs an abort STE" test "$got" = "0x1,0x0,0x0,0x0,0x0,0x0,0x0,0x0"
"$PASIDTOOL" iommufd nest --hex 0x8000000b,0x100000d6 --s2-ste "$s2" --no-ats --json > "$TMP/noats.json"
check "nest --no-ats: EATS stays 0" test "$(jq -r '.records[0].nested.fields.eats' "$TMP/noats.json")" = 0
status "nest of accepted vSTEs over a good stage-2 STE exits 0" 0 \
	"$PASIDTOOL" iommufd nest --hex 0x8000000b,0xd6 --s2-ste "$s2"
status "nest: a stage-2 STE the STE rules reject exits 1" 1 \
	"$PASIDTOOL" iommufd nest --hex 0x8000000b,0xd6 --s2-ste 0xd,0,0x0d0012a500000001
status "nest refuses to overwrite its input" 2 \
	"$PASIDTOOL" iommufd nest --vste "$TMP/nested.bin" --s2-ste "$s2" -o "$TMP/nested.bin"

# The JSON documents match docs/schema/iommufd.json; a decode document of
# another command does not.
if python3 - docs/schema/iommufd.json "$TMP/vste.decode.json" "$TMP/vste.validate.json" \
	"$TMP/hw-info.decode.json" "$TMP/hw-info.validate.json" "$TMP/dump.json" "$TMP/nest.json" \
	"$TMP/invalidate.decode.json" "$TMP/invalidate.validate.json" \
	"$TMP/vevent.decode.json" "$TMP/vevent.validate.json" \
	> "$TMP/schema.out" 2>&1 <<'PY'
import glob, json, sys
from jsonschema import Draft202012Validator
store = {}
for path in glob.glob("docs/schema/*.json"):
    s = json.load(open(path))
    store[s["$id"]] = s
schema = json.load(open(sys.argv[1]))
try:
    from referencing import Registry, Resource
    reg = Registry().with_resources([(k, Resource.from_contents(v)) for k, v in store.items()])
    v = Draft202012Validator(schema, registry=reg)
except ImportError:
    from jsonschema import RefResolver
    v = Draft202012Validator(schema, resolver=RefResolver.from_schema(schema, store=store))
bad = 0
for path in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(path))):
        print(path, e.message)
        bad += 1
# not vacuous: a verdict that is not a boolean, an unknown key, fail
d = json.load(open(sys.argv[3]))
d["records"][0]["accepted"] = "yes"
if not list(v.iter_errors(d)):
    print("a non-boolean verdict passed")
    bad += 1
d = json.load(open(sys.argv[2]))
d["records"][0]["colour"] = 1
if not list(v.iter_errors(d)):
    print("an undocumented key passed")
    bad += 1
sys.exit(1 if bad else 0)
PY
then ok "iommufd --json outputs match docs/schema/iommufd.json (and bad ones do not)"; else
	not_ok "iommufd --json outputs match docs/schema/iommufd.json (and bad ones do not)" \
		"$(cat "$TMP/schema.out")"; fi

# Hostile sizes: a record cut short, one byte too many, empty input.
head -c 31 "$dir/vste.bin" > "$TMP/short.bin"
status "a truncated vSTE is an input error (exit 2)" 2 \
	"$PASIDTOOL" iommufd validate "$TMP/short.bin" --type vste
"$PASIDTOOL" iommufd decode "$TMP/short.bin" --type vste > /dev/null 2> "$TMP/short.err"
check "truncated: FILE:0xADDR: error: ... [IOMMUFD-TRUNCATED]" \
	grep -q '^.*short.bin:0x10: error: vste record needs 16 bytes, only 15 left .*\[IOMMUFD-TRUNCATED\]' "$TMP/short.err"
{ cat "$dir/hw-info.bin"; printf 'x'; } > "$TMP/long.bin"
status "hw_info with a byte too many is an input error (exit 2)" 2 \
	"$PASIDTOOL" iommufd decode "$TMP/long.bin" --type hw-info
: > "$TMP/empty.bin"
status "an empty file holds no record (exit 0)" 0 \
	"$PASIDTOOL" iommufd validate "$TMP/empty.bin" --type vste
status "--hex with a word too many for a vSTE is an input error" 2 \
	"$PASIDTOOL" iommufd decode --type vste --hex 1,2,3
status "--type is required" 2 "$PASIDTOOL" iommufd decode "$dir/vste.bin"
status "an unknown --type is a usage error" 2 "$PASIDTOOL" iommufd decode "$dir/vste.bin" --type vst
status "a build record of another type is refused" 2 \
	sh -c "echo '{\"type\": \"hw-info\"}' | \"$PASIDTOOL\" iommufd build - --type vste -o '$TMP/x.bin'"
status "a build field the vSTE does not have is refused" 2 \
	sh -c "echo '{\"s2vmid\": 1}' | \"$PASIDTOOL\" iommufd build - --type vste -o '$TMP/x.bin'"

done_testing
