#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --regs FILE: SMMU register values (issue 17 item 3) give decode/validate
# the stream-table root and the caps, in every accepted form; bad files are
# findings at the offset of the line, exit 2. Values are those QEMU 7.2
# reported for the bundled guest (testdata/dumps/expected.json).
. tests/cli/tap.sh
dump=testdata/dumps/guest.elf
root="--strtab 0x4836d000 --strtab-cfg 0x10210"

"$PASIDTOOL" decode "$dump" $root --json > "$TMP/want.json" 2>/dev/null

cat > "$TMP/lines.txt" <<'R'
# pasted from QEMU's monitor and the kernel log
SMMU_IDR0=0x0d40101a
IDR1 0x02730010
idr3: 0x1404
SMMU_IDR5 = 0x74
STRTAB_BASE=0x400000004836d000
STRTAB_BASE_CFG 0x10210
EVTQ_PROD=0
R
"$PASIDTOOL" decode "$dump" --regs "$TMP/lines.txt" --json > "$TMP/lines.json" 2> "$TMP/lines.err"
check "NAME=VALUE / NAME VALUE lines give the stream table root" \
	cmp "$TMP/want.json" "$TMP/lines.json"
check "... without a finding" test ! -s "$TMP/lines.err"

printf '{"SMMU_STRTAB_BASE": "0x400000004836d000", "STRTAB_BASE_CFG": {"value": "0x10210"}}\n' \
	> "$TMP/regs.json"
"$PASIDTOOL" decode "$dump" --regs "$TMP/regs.json" --json > "$TMP/json.json" 2>/dev/null
check "a JSON object of both value forms gives the same" cmp "$TMP/want.json" "$TMP/json.json"

status "validate under the guest's own ID registers: no error" 0 \
	"$PASIDTOOL" validate "$dump" --regs "$TMP/lines.txt"
# The registers are caps too: SIDSIZE 16 from IDR1 makes SID 65536 out of range.
"$PASIDTOOL" validate "$dump" --regs "$TMP/lines.txt" --sid 65535 > "$TMP/sid.txt" 2>&1
check "IDR1.SIDSIZE from --regs bounds --sid (65535 in range)" \
	grep -q 'sid 65535: the directory descriptor for this sid is not valid' "$TMP/sid.txt"
"$PASIDTOOL" validate "$dump" --regs "$TMP/lines.txt" --sid 65536 > "$TMP/sid.txt" 2>&1
check "... and 65536 beyond it" grep -q 'STRTAB-SID-RANGE' "$TMP/sid.txt"
# --caps on top of --regs: the user's keys win over the registers'.
"$PASIDTOOL" validate "$dump" --regs "$TMP/lines.txt" --caps oas=32 > "$TMP/oas.txt" 2>&1
check "--caps keys override the registers' (oas=32 caps the CDs' IPS 44)" \
	grep -q 'IPS 44 bits on an SMMUv3.1 with a 32-bit OAS.*CD-IPS-CAPPED' "$TMP/oas.txt"
status "an explicit root wins over STRTAB_BASE" 0 \
	"$PASIDTOOL" decode "$dump" --regs "$TMP/lines.txt" --ste 0x5b660200

printf 'STRTAB_BASE=0x4836d000\n' > "$TMP/half.txt"
status "STRTAB_BASE without STRTAB_BASE_CFG is a usage error" 2 \
	"$PASIDTOOL" decode "$dump" --regs "$TMP/half.txt"

printf 'STRTAB_BASE=0x400000004836d000\nSTRTAB_BASE_CFG=0x10210\nSTRTAB_BAS=1\n' > "$TMP/typo.txt"
"$PASIDTOOL" decode "$dump" --regs "$TMP/typo.txt" > "$TMP/typo.out" 2>&1
check "an unknown name is a warning with a suggestion, at its line's offset" \
	grep -q "typo.txt:0x37: warning: unknown register 'STRTAB_BAS'; did you mean STRTAB_BASE?" \
	"$TMP/typo.out"
status "... and the run goes on" 0 "$PASIDTOOL" decode "$dump" --regs "$TMP/typo.txt"

printf 'IDR0=0x100000000\n' > "$TMP/wide.txt"
status "a 33-bit value for a 32-bit register exits 2" 2 \
	"$PASIDTOOL" validate "$dump" $root --regs "$TMP/wide.txt"
printf 'IDR0=0xffffffff\n' > "$TMP/max.txt"
status "0xffffffff is accepted" 1 "$PASIDTOOL" validate "$dump" $root --regs "$TMP/max.txt"
printf 'IDR0 = 1 2\n' > "$TMP/three.txt"
"$PASIDTOOL" validate "$dump" $root --regs "$TMP/three.txt" > "$TMP/three.out" 2>&1
check "three words are REGS-SYNTAX" grep -q 'three.txt:0x0: error: .*\[REGS-SYNTAX\]' "$TMP/three.out"
status "a missing file exits 2" 2 "$PASIDTOOL" decode "$dump" --regs "$TMP/nope.txt"
head -c 65537 /dev/zero | tr '\0' '\n' > "$TMP/big.txt"
status "a file over 64 KiB exits 2" 2 "$PASIDTOOL" decode "$dump" $root --regs "$TMP/big.txt"
head -c 65536 /dev/zero | tr '\0' '\n' > "$TMP/edge.txt"
status "a 64 KiB file is read" 0 "$PASIDTOOL" decode "$dump" $root --regs "$TMP/edge.txt"
status "a directory exits 2" 2 "$PASIDTOOL" decode "$dump" $root --regs "$TMP"

done_testing
