#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --regs FILE for `queues` and `explain` (the queues, IDR1's sizes, the caps
# and the stream table from the register file, options overriding it one
# register at a time) and `decode --regs`'s one line per queue, text and
# JSON. Images: testdata/queues/all.bin (every opcode, event id and PRI
# request) and testdata/explain (a history, an event queue, a stream table).
. tests/cli/tap.sh
. tests/cli/schema.sh
img=testdata/queues/all.bin@0x10000
strtab=testdata/strtab/linear.bin@0x90000000

# The register values of testdata/queues/all.args, as a register file.
cat > "$TMP/q.regs" <<'R'
CMDQ_BASE=0x10006
CMDQ_PROD=44
CMDQ_CONS=30
EVENTQ_BASE=0x10405
EVENTQ_PROD=0x35
EVENTQ_CONS=0x33
PRIQ_BASE=0x10802
PRIQ_PROD=2
PRIQ_CONS=1
R

# ---- queues --regs ----
"$PASIDTOOL" queues "$img" --regs "$TMP/q.regs" > "$TMP/all.txt" 2> "$TMP/all.err"
same "--regs gives the queues the options give" testdata/queues/all.txt "$TMP/all.txt"
same "... with the same findings" testdata/queues/all.err "$TMP/all.err"
"$PASIDTOOL" queues "$img" --regs "$TMP/q.regs" --json > "$TMP/all.json" 2>/dev/null
same "... and the same JSON" testdata/queues/all.json "$TMP/all.json"

"$PASIDTOOL" queues "$img" --regs "$TMP/q.regs" --cmdq-cons 31 > "$TMP/o.txt" 2>/dev/null
check "an option overrides its register (CONS), the file gives the rest" \
	grep -q '^cmdq @ 0x10000: 2^6 entries of 16 bytes; PROD 0x2c (index 44, wrap 0), CONS 0x1f (index 31' "$TMP/o.txt"
check "... and the other queues still come from the file" grep -q '^priq @ 0x10800' "$TMP/o.txt"

grep -v '^PRIQ_CONS' "$TMP/q.regs" > "$TMP/nocons.regs"
status "a queue's BASE without its CONS is a usage error" 2 \
	"$PASIDTOOL" queues "$img" --regs "$TMP/nocons.regs"
"$PASIDTOOL" queues "$img" --regs "$TMP/nocons.regs" --priq-cons 1 > "$TMP/nc.txt" 2>/dev/null
check "... that --priq-cons completes" grep -q '^priq @ 0x10800: .*1 pending' "$TMP/nc.txt"
printf 'PRIQ_PROD=2\nPRIQ_CONS=1\n' > "$TMP/nobase.regs"
status "PROD and CONS without a BASE describe no queue" 2 \
	"$PASIDTOOL" queues "$img" --regs "$TMP/nobase.regs"
printf 'SMMU_IDR0=0x0d40101a\n' > "$TMP/noq.regs"
status "a register file without queues is a usage error" 2 \
	"$PASIDTOOL" queues "$img" --regs "$TMP/noq.regs"
printf 'CMDQ_BASE=0x10006\nCMDQ_PROD=44\nCMDQ_CONS=zz\n' > "$TMP/bad.regs"
status "a bad register file is a usage error" 2 "$PASIDTOOL" queues "$img" --regs "$TMP/bad.regs"

# IDR1.CMDQS bounds LOG2SIZE (6): 6 is allowed, 5 is not.
for cmdqs in 6 5; do
	idr1=$(printf '0x%x' $((cmdqs << 21)))
	{ cat "$TMP/q.regs"; echo "IDR1=$idr1"; } > "$TMP/idr1.regs"
	"$PASIDTOOL" queues "$img" --regs "$TMP/idr1.regs" > "$TMP/idr1.txt" 2> "$TMP/idr1.err"
	if [ "$cmdqs" = 6 ]; then
		if grep -q 'cmdq.*QUEUE-LOG2SIZE' "$TMP/idr1.err"; then
			not_ok "IDR1.CMDQS = 6 allows LOG2SIZE 6"
		else ok "IDR1.CMDQS = 6 allows LOG2SIZE 6"; fi
	else
		check "IDR1.CMDQS = 5 caps LOG2SIZE 6" \
			grep -q 'cmdq BASE.LOG2SIZE = 6, the SMMU allows 5.*\[QUEUE-LOG2SIZE\]' "$TMP/idr1.err"
		check "... and the ring has 2^5 slots" grep -q '^cmdq @ 0x10000: 2^5 entries' "$TMP/idr1.txt"
	fi
done

# The caps come from the ID registers: IDR0 with S2P = 0 makes the stage-2
# TLBI illegal; the same IDR0 with S2P = 1 does not.
for idr0 in 0x0d40101a 0x0d40101b; do
	{ cat "$TMP/q.regs"; echo "IDR0=$idr0"; } > "$TMP/idr0.regs"
	"$PASIDTOOL" queues "$img" --regs "$TMP/idr0.regs" > /dev/null 2> "$TMP/idr0.err"
	if [ "$idr0" = 0x0d40101a ]; then
		check "IDR0.S2P = 0: stage-2 TLBI is illegal" \
			grep -q 'cmdq\[19\] CMD_TLBI_S12_VMALL on an SMMU without stage 2.*\[CMDQ-STAGE\]' "$TMP/idr0.err"
	elif grep -q 'CMD_TLBI_S12_VMALL.*CMDQ-STAGE' "$TMP/idr0.err"; then
		not_ok "IDR0.S2P = 1: stage-2 TLBI is legal" "$(grep CMDQ-STAGE "$TMP/idr0.err")"
	else ok "IDR0.S2P = 1: stage-2 TLBI is legal"; fi
done
# IDR0.Hyp (bit 9) and IDR0.ATS (bit 10): EL2 TLBIs and ATC_INV are illegal
# without them, legal with them.
{ cat "$TMP/q.regs"; echo "IDR0=0x0d40101a"; } > "$TMP/idr0.regs"
"$PASIDTOOL" queues "$img" --regs "$TMP/idr0.regs" > /dev/null 2> "$TMP/nohyp.err"
check "IDR0.Hyp = 0: CMD_TLBI_EL2_ALL is illegal" \
	grep -q 'cmdq\[15\] CMD_TLBI_EL2_ALL (caps generic): .*\[CMDQ-HYP\]' "$TMP/nohyp.err"
check "IDR0.ATS = 0: CMD_ATC_INV is illegal" \
	grep -q 'cmdq\[22\] CMD_ATC_INV (caps generic): .*\[CMDQ-ATS\]' "$TMP/nohyp.err"
{ cat "$TMP/q.regs"; echo "IDR0=0x0d40161a"; } > "$TMP/hyp.regs"
"$PASIDTOOL" queues "$img" --regs "$TMP/hyp.regs" > /dev/null 2> "$TMP/hyp.err"
if grep -q 'CMDQ-HYP\|CMDQ-ATS' "$TMP/hyp.err"; then
	not_ok "IDR0.Hyp = IDR0.ATS = 1: EL2 TLBIs and ATC_INV are legal" "$(grep 'CMDQ-HYP\|CMDQ-ATS' "$TMP/hyp.err")"
else ok "IDR0.Hyp = IDR0.ATS = 1: EL2 TLBIs and ATC_INV are legal"; fi
"$PASIDTOOL" queues "$img" --regs "$TMP/idr0.regs" --caps s2p=1 > /dev/null 2> "$TMP/over.err"
if grep -q 'CMD_TLBI_S12_VMALL.*CMDQ-STAGE' "$TMP/over.err"; then
	not_ok "--caps KEY=VALUE overrides the registers"
else ok "--caps KEY=VALUE overrides the registers"; fi

# STRTAB_BASE_CFG from the file bounds StreamIDs like --strtab-cfg.
{ cat "$TMP/q.regs"; echo "STRTAB_BASE_CFG=3"; } > "$TMP/cfg.regs"
"$PASIDTOOL" queues "$img" --regs "$TMP/cfg.regs" > /dev/null 2> "$TMP/cfg.err"
check "STRTAB_BASE_CFG in --regs: a command beyond the stream table" \
	grep -q 'cmdq\[2\] CMD_CFGI_STE: StreamID 0x8, the stream table holds 2^3.*\[CMDQ-SID-RANGE\]' "$TMP/cfg.err"
"$PASIDTOOL" queues "$img" --regs "$TMP/cfg.regs" --strtab-cfg 4 > /dev/null 2> "$TMP/cfg4.err"
if grep -q 'cmdq\[2\] CMD_CFGI_STE: StreamID 0x8.*CMDQ-SID-RANGE' "$TMP/cfg4.err"; then
	not_ok "--strtab-cfg overrides STRTAB_BASE_CFG (2^4 StreamIDs hold 8)"
else ok "--strtab-cfg overrides STRTAB_BASE_CFG (2^4 StreamIDs hold 8)"; fi

# ---- explain --regs ----
dir=testdata/explain
caps="--caps generic,stall-model=1,cd2l=0"
cat > "$TMP/e.regs" <<'R'
STRTAB_BASE=0x90000000
STRTAB_BASE_CFG=4
CMDQ_BASE=0x98000005
CMDQ_PROD=16
CMDQ_CONS=15
EVENTQ_BASE=0x98001003
EVENTQ_PROD=6
EVENTQ_CONS=0
R
# shellcheck disable=SC2086
"$PASIDTOOL" explain "$strtab" "$dir/queues.bin@0x98000000" $caps --regs "$TMP/e.regs" \
	> "$TMP/e.txt" 2> "$TMP/e.err"
same "explain --regs: the event queue, history and stream table of the file" "$dir/evtq.txt" "$TMP/e.txt"
same "... with the same findings" "$dir/evtq.err" "$TMP/e.err"
# shellcheck disable=SC2086
"$PASIDTOOL" explain "$strtab" "$dir/queues.bin@0x98000000" $caps --regs "$TMP/e.regs" \
	--event-log "$dir/dmesg.txt" --json > "$TMP/elog.json" 2>/dev/null
python3 - "$TMP/elog.json" > "$TMP/elog.out" 2>&1 <<'EOF'
import json, sys
ev = json.load(open(sys.argv[1]))["events"]
assert len(ev) == 6, len(ev)
assert all(e["from"].startswith("testdata/explain/dmesg.txt line") for e in ev), ev[0]["from"]
assert any(e["history"] for e in ev), "no history from CMDQ_* of --regs"
assert all(e["ste"] is not None or e["event"]["fields"]["name"] == "C_BAD_STREAMID" for e in ev)
EOF
check "--event-log with --regs: the log's events, the file's history and stream table" \
	test ! -s "$TMP/elog.out"
grep -v '^STRTAB_BASE=' "$TMP/e.regs" > "$TMP/half.regs"
status "STRTAB_BASE_CFG without STRTAB_BASE is a usage error" 2 \
	"$PASIDTOOL" explain "$strtab" --regs "$TMP/half.regs"
grep -v '^EVENTQ' "$TMP/e.regs" > "$TMP/noevt.regs"
status "--regs without the event queue and no other events is a usage error" 2 \
	"$PASIDTOOL" explain "$strtab" --regs "$TMP/noevt.regs"
status "--event with --evtq is a usage error" 2 "$PASIDTOOL" explain "$strtab" \
	--event 0x10,0,0,0 --evtq 0x98001003 --evtq-prod 6 --evtq-cons 0

# ---- decode --regs: one line per queue ----
{ cat "$TMP/q.regs"; printf 'STRTAB_BASE=0x90000000\nSTRTAB_BASE_CFG=4\n'; } > "$TMP/d.regs"
"$PASIDTOOL" decode "$strtab" "$img" --regs "$TMP/d.regs" > "$TMP/d.txt" 2>/dev/null
cat > "$TMP/d.want" <<'W'
testdata/strtab/linear.bin@0x90000000: cmdq @ 0x10000: 2^6 entries, 14 pending, 30 consumed still in memory
testdata/strtab/linear.bin@0x90000000: evtq @ 0x10400: 2^5 entries, 2 pending, 19 consumed still in memory
testdata/strtab/linear.bin@0x90000000: priq @ 0x10800: 2^2 entries, 1 pending, 1 consumed still in memory
W
tail -n 3 "$TMP/d.txt" > "$TMP/d.got"
same "decode --regs: a line per queue after the summary" "$TMP/d.want" "$TMP/d.got"
"$PASIDTOOL" decode "$strtab" "$img" --regs "$TMP/d.regs" --quiet > "$TMP/dq.txt" 2>/dev/null
if grep -q 'pending' "$TMP/dq.txt"; then not_ok "--quiet: no queue lines"
else ok "--quiet: no queue lines"; fi
"$PASIDTOOL" decode "$strtab" --strtab 0x90000000 --strtab-cfg 4 > "$TMP/nq.txt" 2>/dev/null
if grep -q 'pending' "$TMP/nq.txt"; then not_ok "without --regs: no queue lines"
else ok "without --regs: no queue lines"; fi

# Errors, overflow, inconsistent indexes and a BASE alone, said on the line.
cat > "$TMP/h.regs" <<'R'
STRTAB_BASE=0x90000000
STRTAB_BASE_CFG=4
CMDQ_BASE=0x10006
CMDQ_PROD=44
CMDQ_CONS=0x01000025
EVENTQ_BASE=0x10405
EVENTQ_PROD=0x80000035
EVENTQ_CONS=0x36
PRIQ_BASE=0x10802
R
"$PASIDTOOL" decode "$strtab" "$img" --regs "$TMP/h.regs" > "$TMP/h.txt" 2> "$TMP/h.err"
check "CMDQ_CONS.ERR on the line" grep -q ': cmdq @ 0x10000: 2^6 entries, 7 pending, .*, stopped: CERROR_ILL$' "$TMP/h.txt"
check "overflow and PROD behind CONS on the line" \
	grep -q ': evtq @ 0x10400: .*, overflowed, PROD/CONS inconsistent$' "$TMP/h.txt"
check "a BASE without PROD and CONS on the line" grep -q ': priq: BASE without PROD or CONS$' "$TMP/h.txt"
if grep -q 'QUEUE-\|CMDQ-\|EVTQ-' "$TMP/h.err"; then
	not_ok "decode leaves queue findings to \`queues\`" "$(cat "$TMP/h.err")"
else ok "decode leaves queue findings to \`queues\`"; fi

"$PASIDTOOL" decode "$strtab" "$img" --regs "$TMP/h.regs" --json > "$TMP/h.json" 2>/dev/null
validate_json "decode --regs --json matches schema/decode.json" decode.json "$TMP/h.json"
python3 - "$TMP/h.json" > "$TMP/hj.out" 2>&1 <<'EOF'
import json, sys
q = json.load(open(sys.argv[1]))["summary"]["queues"]
assert [x["queue"] for x in q] == ["cmdq", "evtq", "priq"], q
c, e, p = q
assert c["walkable"] and c["pending"] == 7 and c["err"] == "ill" and c["consistent"], c
assert c["consumed"] + c["pending"] <= 64 and c["unmapped"] == 0, c
assert e["overflow"] and not e["consistent"] and e["prod_index"] == 21 and e["cons_index"] == 22, e
assert p == {"queue": "priq", "base": "0x10802", "walkable": False}, p
EOF
check "decode --regs --json: summary.queues says pending, ERR, overflow, consistency" \
	test ! -s "$TMP/hj.out"
"$PASIDTOOL" decode "$strtab" --strtab 0x90000000 --strtab-cfg 4 --json > "$TMP/nq.json" 2>/dev/null
python3 -c 'import json,sys; sys.exit("queues" in json.load(open(sys.argv[1]))["summary"])' \
	"$TMP/nq.json"
check "decode --json without --regs: no summary.queues" test $? = 0
done_testing
