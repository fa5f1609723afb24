#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `pasidtool queues` on testdata/queues/all.bin (every opcode, every event id,
# PRI requests; written by mkqueues.py from the architecture's bit positions):
# golden text and JSON, the schema, --all, the Linux CMD_SYNC quirks, and
# hostile register values (LOG2SIZE beyond the dump, PROD behind CONS,
# inconsistent wrap bits, stray index bits, CONS.ERR, overflow).
. tests/cli/tap.sh
. tests/cli/schema.sh
dir=testdata/queues
img=$dir/all.bin@0x10000

python3 "$dir/mkqueues.py" "$TMP/all.bin" > "$TMP/all.args"
check "mkqueues.py gives the committed image" cmp "$dir/all.bin" "$TMP/all.bin"
same "mkqueues.py gives the committed register values" "$dir/all.args" "$TMP/all.args"
args=$(cat "$dir/all.args")

# shellcheck disable=SC2086
"$PASIDTOOL" queues "$img" $args > "$TMP/all.txt" 2> "$TMP/all.err"
same "text: every entry, oldest first" "$dir/all.txt" "$TMP/all.txt"
same "text: findings" "$dir/all.err" "$TMP/all.err"
# shellcheck disable=SC2086
"$PASIDTOOL" queues "$img" $args --json > "$TMP/all.json" 2>/dev/null
same "JSON" "$dir/all.json" "$TMP/all.json"
validate_json "queues --json matches schema/queues.json" queues.json "$TMP/all.json"
# shellcheck disable=SC2086
status "findings alone exit 0" 0 "$PASIDTOOL" queues "$img" $args
# shellcheck disable=SC2086
status "--strict exits 1 on errors" 1 "$PASIDTOOL" queues "$img" $args --strict
status "--strict exits 0 without errors" 0 "$PASIDTOOL" queues "$img" \
	--priq 0x10802 --priq-prod 1 --priq-cons 1 --strict

# Every defined opcode and event id appears by name, none as RESERVED.
for n in PREFETCH_CONFIG PREFETCH_ADDR CFGI_STE CFGI_ALL CFGI_CD CFGI_CD_ALL CFGI_VMS_PIDM \
	TLBI_NH_ALL TLBI_NH_ASID TLBI_NH_VA TLBI_NH_VAA TLBI_EL3_ALL TLBI_EL3_VA TLBI_EL2_ALL \
	TLBI_EL2_ASID TLBI_EL2_VA TLBI_EL2_VAA TLBI_S12_VMALL TLBI_S2_IPA TLBI_NSNH_ALL ATC_INV \
	PRI_RESP RESUME STALL_TERM SYNC TLBI_S_EL2_ALL TLBI_S_EL2_ASID TLBI_S_EL2_VA \
	TLBI_S_EL2_VAA TLBI_S_S12_VMALL TLBI_S_S2_IPA TLBI_SNH_ALL DPTI_ALL DPTI_PA IMPDEF; do
	grep -q " CMD_$n\( \|$\)" "$TMP/all.txt" || missing="$missing $n"
done
if [ -z "${missing:-}" ]; then ok "every opcode is named"; else not_ok "every opcode is named" "$missing"; fi
missing=""
for n in F_UUT C_BAD_STREAMID F_STE_FETCH C_BAD_STE F_BAD_ATS_TREQ F_STREAM_DISABLED \
	F_TRANSL_FORBIDDEN C_BAD_SUBSTREAMID F_CD_FETCH C_BAD_CD F_WALK_EABT F_TRANSLATION \
	F_ADDR_SIZE F_ACCESS F_PERMISSION F_TLB_CONFLICT F_CFG_CONFLICT E_PAGE_REQUEST \
	F_VMS_FETCH IMPDEF_EVENT; do
	grep -q " $n\( \|$\)" "$TMP/all.txt" || missing="$missing $n"
done
if [ -z "$missing" ]; then ok "every event id is named"; else not_ok "every event id is named" "$missing"; fi

check "a CMD_SYNC zeroed by its own MSI is named and explained" \
	grep -A1 -q 'cmdq\[3\] 0x10030 consumed CMD_SYNC .*msiaddr=0x10030' "$TMP/all.txt"
check "a SEV CMD_SYNC among MSI-polled ones is read as Linux's CERROR_ILL repair" \
	grep -q 'note: CMD_SYNC without MSI among MSI-polled SYNCs' "$TMP/all.txt"
check "pending ones are marked" grep -q 'cmdq\[30\] 0x101e0 pending ' "$TMP/all.txt"
check "the event queue wrapped: history starts after PROD" \
	sh -c "grep '^  evtq' '$TMP/all.txt' | head -n 1 | grep -q 'evtq\[0\] .* consumed F_UUT'"

# --all: empty slots too (20 in the command queue, 11 in the event queue, 2 PRI).
# shellcheck disable=SC2086
"$PASIDTOOL" queues "$img" $args --all > "$TMP/alls.txt" 2>/dev/null
n=$(grep -c ' empty ' "$TMP/alls.txt")
if [ "$n" = 33 ]; then ok "--all shows the 33 empty slots"; else not_ok "--all shows the 33 empty slots" "$n"; fi
n=$(grep -c ' empty ' "$TMP/all.txt")
if [ "$n" = 0 ]; then ok "without --all no empty slot"; else not_ok "without --all no empty slot" "$n"; fi

# Checks that need the SMMU or the stream table.
# shellcheck disable=SC2086
"$PASIDTOOL" queues "$img" $args --strtab-cfg 0x3 > /dev/null 2> "$TMP/sid.err"
check "--strtab-cfg: a command for a StreamID beyond the stream table" \
	grep -q 'cmdq\[2\] CMD_CFGI_STE: StreamID 0x8, the stream table holds 2^3.*\[CMDQ-SID-RANGE\]' "$TMP/sid.err"
check "--strtab-cfg: an event for a StreamID beyond the stream table" \
	grep -q 'evtq\[0\] F_UUT: the stream table holds 2^3 StreamIDs.*\[EVTQ-SID-RANGE\]' "$TMP/sid.err"
if grep -q 'evtq\[1\] C_BAD_STREAMID.*EVTQ-SID-RANGE' "$TMP/sid.err"; then
	not_ok "C_BAD_STREAMID is the one event that may name such a StreamID"
else ok "C_BAD_STREAMID is the one event that may name such a StreamID"; fi
if grep -q 'cmdq\[4\].*CMDQ-SID-RANGE' "$TMP/sid.err"; then
	not_ok "CMD_CFGI_ALL names no StreamID"
else ok "CMD_CFGI_ALL names no StreamID"; fi
"$PASIDTOOL" queues "$img" --cmdq 0x10006 --cmdq-prod 44 --cmdq-cons 0 --caps qemu \
	> /dev/null 2> "$TMP/qemu.err"
check "--caps qemu: stage-2 TLBI on a stage-1-only SMMU" \
	grep -q 'cmdq\[19\] CMD_TLBI_S12_VMALL on an SMMU without stage 2.*\[CMDQ-STAGE\]' "$TMP/qemu.err"
check "--caps qemu: CMD_RESUME without stalls" \
	grep -q 'cmdq\[24\] CMD_RESUME.*\[CMDQ-STALL-MODEL\]' "$TMP/qemu.err"
if grep -q 'CMDQ-STAGE' "$TMP/all.err"; then not_ok "the generic SMMU has both stages"
else ok "the generic SMMU has both stages"; fi

# ---- hostile registers ----
q() { "$PASIDTOOL" queues "$img" "$@" > "$TMP/h.out" 2> "$TMP/h.err"; }
q --cmdq 0x10013 --cmdq-prod 0 --cmdq-cons 0
check "LOG2SIZE 19 beyond the dump: one QUEUE-UNMAPPED finding" \
	grep -q 'cmdq: 524156 of 524288 slots are not in the input (first at 0x0).*\[QUEUE-UNMAPPED\]' "$TMP/h.err"
q --cmdq 0x10014 --cmdq-prod 0 --cmdq-cons 0
check "LOG2SIZE 20 is capped at 19" grep -q 'LOG2SIZE = 20, the SMMU allows 19.*\[QUEUE-LOG2SIZE\]' "$TMP/h.err"
check "... and the ring has 2^19 slots" grep -q '^cmdq @ 0x0: 2^19 entries' "$TMP/h.out"
q --cmdq 0x10006 --cmdq-prod 3 --cmdq-cons 5
check "PROD behind CONS (same wrap)" grep -q 'PROD index 3 wrap 0, CONS index 5 wrap 0.*\[QUEUE-PROD-BEHIND\]' "$TMP/h.err"
check "... entries still shown" grep -q '62 pending' "$TMP/h.out"
q --cmdq 0x10006 --cmdq-prod 0x45 --cmdq-cons 3
check "PROD more than a lap ahead (wraps differ)" grep -q '\[QUEUE-OVERLAP\]' "$TMP/h.err"
q --cmdq 0x10006 --cmdq-prod 0x85 --cmdq-cons 5
check "bits above the wrap bit" grep -q 'PROD = 0x85: bits above the wrap bit (bit 6).*\[QUEUE-INDEX-RES0\]' "$TMP/h.err"
check "... are ignored" grep -q '0 pending' "$TMP/h.out"
q --cmdq 0x10106 --cmdq-prod 0 --cmdq-cons 0
check "BASE not aligned to the queue size" grep -q 'read as 0x10000.*\[QUEUE-BASE-ALIGN\]' "$TMP/h.err"
q --cmdq 0x10006 --cmdq-prod 44 --cmdq-cons 0x01000025
check "CONS.ERR = CERROR_ILL" grep -q 'CMDQ_CONS.ERR = 1 (CERROR_ILL) at cmdq\[37\].*\[CMDQ-ERROR\]' "$TMP/h.err"
check "... marks the command at CONS" grep -q 'cmdq\[37\] .*RESERVED  <- CONS: CERROR_ILL' "$TMP/h.out"
q --evtq 0x10405 --evtq-prod 0x80000035 --evtq-cons 0x33
check "event queue overflow" grep -q '\[EVTQ-OVERFLOW\]' "$TMP/h.err"
q --priq 0x10802 --priq-prod 0x80000002 --priq-cons 1
check "PRI queue overflow" grep -q '\[PRIQ-OVERFLOW\]' "$TMP/h.err"
q --cmdq 0xffffffffffffffff --cmdq-prod 0xffffffff --cmdq-cons 0xffffffff
check "all-ones registers are read, not trusted" grep -q '\[QUEUE-UNMAPPED\]' "$TMP/h.err"
status "a queue without PROD is a usage error" 2 "$PASIDTOOL" queues "$img" --cmdq 0x10006 --cmdq-cons 0
status "no queue is a usage error" 2 "$PASIDTOOL" queues "$img"
status "a missing input is an input error" 2 "$PASIDTOOL" queues "$TMP/nope.bin" \
	--cmdq 0x10006 --cmdq-prod 0 --cmdq-cons 0
status "a value too wide for PROD is a usage error" 2 "$PASIDTOOL" queues "$img" \
	--cmdq 0x10006 --cmdq-prod 0x100000000 --cmdq-cons 0
"$PASIDTOOL" queues "$TMP/nope.bin" --cmdq 0x10006 --cmdq-prod 0 --cmdq-cons 0 --json \
	> "$TMP/nope.json" 2>/dev/null
validate_json "an unreadable input still gives schema-valid JSON" queues.json "$TMP/nope.json"
"$PASIDTOOL" queues "$img" --cmdq 0x10013 --cmdq-prod 0x7ffff --cmdq-cons 0 --json > "$TMP/big.json" 2>/dev/null
validate_json "hostile registers give schema-valid JSON" queues.json "$TMP/big.json"
done_testing
