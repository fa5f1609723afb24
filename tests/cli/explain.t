#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `pasidtool explain` over testdata/strtab/linear.bin (a stream table with
# known mistakes) and testdata/explain/queues.bin (a command history and an
# event queue written by mkexplain.py): one event of each kind the table
# explains, from the event queue, from a kernel log in both forms and from
# four words; golden text and JSON, the schema, and hostile logs and options.
. tests/cli/tap.sh
. tests/cli/schema.sh
dir=testdata/explain

python3 "$dir/mkexplain.py" "$TMP/queues.bin" "$TMP/dmesg.txt" > "$TMP/args"
check "mkexplain.py gives the committed queue image" cmp "$dir/queues.bin" "$TMP/queues.bin"
check "mkexplain.py gives the committed log" cmp "$dir/dmesg.txt" "$TMP/dmesg.txt"
same "mkexplain.py gives the committed register values" "$dir/args" "$TMP/args"
root=$(sed -n 1p "$dir/args")
evtq=$(sed -n 2p "$dir/args")

# shellcheck disable=SC2086
"$PASIDTOOL" explain $root $evtq > "$TMP/evtq.txt" 2> "$TMP/evtq.err"
same "--evtq: text" "$dir/evtq.txt" "$TMP/evtq.txt"
same "--evtq: findings of the STE and CD checks" "$dir/evtq.err" "$TMP/evtq.err"
# shellcheck disable=SC2086
"$PASIDTOOL" explain $root $evtq --json > "$TMP/evtq.json" 2>/dev/null
same "--evtq: JSON" "$dir/evtq.json" "$TMP/evtq.json"
validate_json "explain --json matches schema/explain.json" explain.json "$TMP/evtq.json"

# The log holds the same six events, in both of Linux's forms.
# shellcheck disable=SC2086
"$PASIDTOOL" explain $root --event-log "$dir/dmesg.txt" --json > "$TMP/log.json" 2>/dev/null
validate_json "--event-log JSON matches the schema" explain.json "$TMP/log.json"
python3 - "$TMP/evtq.json" "$TMP/log.json" > "$TMP/cmp.out" 2>&1 <<'EOF'
import json, sys
q = json.load(open(sys.argv[1]))["events"]
l = json.load(open(sys.argv[2]))["events"]
assert len(q) == len(l) == 6, (len(q), len(l))
for a, b in zip(q, l):
    fa, fb = a["event"]["fields"], b["event"]["fields"]
    for k in ("id", "name", "sid"):
        assert fa[k] == fb[k], (k, fa[k], fb[k])
    assert a["ste"] == b["ste"] and a["cd"] == b["cd"], fa["name"]
    assert a["explanation"] == b["explanation"], (a["explanation"], b["explanation"])
print("ok")
EOF
check "the log and the event queue give the same explanations" grep -qx ok "$TMP/cmp.out"

# The explanations say what the dump shows (one per line, unwrapped).
expl() { python3 -c 'import json,sys; [print(e["explanation"]) for e in json.load(open(sys.argv[1]))["events"]]' "$1"; }
expl "$TMP/evtq.json" > "$TMP/expl.txt"
check "F_TRANSLATION: the TLBI that covered the address" \
	grep -q 'newest command that touched this stream or address is cmdq\[6\] CMD_TLBI_NH_VA (ASID and address' "$TMP/expl.txt"
check "C_BAD_STE: the checks the STE fails" \
	grep -q 'fail STE-S1STALLD-STALL-MODEL, STE-STRW-RESERVED' "$TMP/expl.txt"
check "C_BAD_CD: CD 0 is not valid" grep -q 'CD 0 at 0x90002000 is not valid.*The dump still shows why: V = 0. The dump.s structures fail CD-NOT-VALID' "$TMP/expl.txt"
check "C_BAD_SUBSTREAMID: the CD table's size" grep -q 'The dump still shows why: SubstreamID 9 is outside the STE.s 2^2 CDs (S1CDMax)' "$TMP/expl.txt"
check "F_CD_FETCH: the CD is not in the dump" grep -q 'The fetch from 0xdead0000 aborted' "$TMP/expl.txt"
check "C_BAD_STREAMID: beyond the stream table" grep -q 'It has no STE. The dump still shows why: sid is outside a table of 2^4 entries' "$TMP/expl.txt"
check "history: newest first" sh -c "grep -A3 'history cmdq\\[6\\]' '$TMP/evtq.txt' | sed -n 2p | grep -q 'cmdq\\[4\\] CMD_CFGI_CD'"

# --event: four words.
# shellcheck disable=SC2086
"$PASIDTOOL" explain $root --event 0x10,0x20800000000,0x1000,0 --json > "$TMP/w.json" 2>/dev/null
expl "$TMP/w.json" > "$TMP/w.txt"
check "--event: the same F_TRANSLATION" grep -q 'F_TRANSLATION (event 0x10) for StreamID 0x0 at 0x1000 (read, stage 1, input' "$TMP/w.txt"
# Without the stream table or the history, what cannot be known is said.
"$PASIDTOOL" explain testdata/strtab/linear.bin@0x90000000 --event 0x10,0,0x1000,0 --json > "$TMP/n.json" 2>/dev/null
expl "$TMP/n.json" > "$TMP/n.txt"
check "no stream table: said" grep -q 'Its STE was not found: no stream table given' "$TMP/n.txt"

# ---- hostile logs and options ----
printf 'nothing to see\n' > "$TMP/empty.log"
# shellcheck disable=SC2086
status "a log without events is an input error" 2 "$PASIDTOOL" explain $root --event-log "$TMP/empty.log"
check "... that says so" grep -q '\[EVTLOG-NONE\]' "$TMP/status.out"
printf '[ 1.0] x: event 0x10 received:\n[ 1.0] x: \t0x0000000000000010\n' > "$TMP/cut.log"
# shellcheck disable=SC2086
status "a log cut short is an input error" 2 "$PASIDTOOL" explain $root --event-log "$TMP/cut.log"
check "... naming the log and the line" grep -q "cut.log: line 1: event 0x10: 1 of 4 words.*\\[EVTLOG-INCOMPLETE\\]" "$TMP/status.out"
head -c 100000 /dev/zero | tr '\0' 'a' > "$TMP/long.log"
cat "$dir/dmesg.txt" >> "$TMP/long.log"
# shellcheck disable=SC2086
status "a 100 kB line is skipped, the rest read" 0 "$PASIDTOOL" explain $root --event-log "$TMP/long.log" -q
check "... with a note" grep -q '\[EVTLOG-LINE\]' "$TMP/status.out"
# shellcheck disable=SC2086
status "a missing log is an input error" 2 "$PASIDTOOL" explain $root --event-log "$TMP/nope.log"
# shellcheck disable=SC2086
status "--event needs four words" 2 "$PASIDTOOL" explain $root --event 1,2,3
# shellcheck disable=SC2086
status "two event sources are a usage error" 2 "$PASIDTOOL" explain $root --event 1,2,3,4 --event-log "$dir/dmesg.txt"
# shellcheck disable=SC2086
status "no event source is a usage error" 2 "$PASIDTOOL" explain $root
status "--strtab without --strtab-cfg is a usage error" 2 "$PASIDTOOL" explain testdata/strtab/linear.bin@0x90000000 \
	--strtab 0x90000000 --event 1,2,3,4
# The walk of the event's address, through the same call translate makes,
# on the bundled guest (its page tables are in the dump): 0xffffd000 is
# mapped now, 0xffff0000 is not (level-3 descriptor invalid).
guest="testdata/dumps/guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --caps qemu"
# shellcheck disable=SC2086
"$PASIDTOOL" explain $guest --event 0x800000010,0,0xffffd000,0 > "$TMP/mapped.txt" 2>/dev/null
check "a mapped address: the walk reaches its page" \
	grep -q '^  walk     sid 8 iova 0xffffd000 -> pa 0x4835b000 ' "$TMP/mapped.txt"
check "... and the paragraph says the dump maps it now" grep -q 'The dump maps 0xffffd000 now' "$TMP/mapped.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" explain $guest --event 0x800000010,0,0xffff0000,0 > "$TMP/unmapped.txt" 2>/dev/null
check "an unmapped address: where the walk stops and why" \
	grep -q '^  walk     sid 8 iova 0xffff0000: fault F_TRANSLATION (0x10) stage 1 level 3 class IN: level-3 descriptor is invalid' "$TMP/unmapped.txt"
check "... and the paragraph says the dump has no mapping either" \
	grep -q 'The dump has no valid' "$TMP/unmapped.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" explain $guest --event 0x800000010,0,0xffff0000,0 --json > "$TMP/unmapped.json" 2>/dev/null
# shellcheck disable=SC2086
"$PASIDTOOL" translate testdata/dumps/guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 \
	--caps qemu --sid 8 0xffff0000 --json > "$TMP/tr.json" 2>/dev/null
python3 - "$TMP/unmapped.json" "$TMP/tr.json" > "$TMP/tr.out" 2>&1 <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["events"][0]["translation"]
t = json.load(open(sys.argv[2]))["translations"][0]
assert e == t, (e, t)
assert e["fault"]["level"] == 3 and e["walk"][-1]["decision"] == "invalid", e
PY
check "explain's translation is the object translate prints" test ! -s "$TMP/tr.out"
validate_json "explain --json with a walk matches the schema" explain.json "$TMP/unmapped.json"
# shellcheck disable=SC2086
"$PASIDTOOL" explain $guest --event 0x800000002,0,0,0 --json > "$TMP/nowalk.json" 2>/dev/null
python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["events"][0]["translation"] is not None)' \
	"$TMP/nowalk.json"
check "an event without an address (C_BAD_STREAMID) has no walk" test $? = 0
done_testing
