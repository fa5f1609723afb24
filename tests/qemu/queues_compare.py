#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare what `pasidtool queues --json` decoded from the guest dump with
QEMU's trace of the same run, command for command and event for event.

  queues_compare.py TRACE.log QUEUES.json
  queues_compare.py --explain TRACE.log EXPECTED.json EXPLAIN.json

QEMU traces every command it consumes (smmuv3_cmdq_opcode, plus
smmuv3_cmdq_cfgi_ste with the StreamID) and every event it records
(smmuv3_record_event NAME sid=...). The command queue in memory holds the
last 2^LOG2SIZE of them: the dump's consumed history, oldest first, must be
the tail of the trace's sequence. Prints TAP lines; exit 1 on a mismatch."""
import json
import re
import sys

OPCODE = re.compile(r"smmuv3_cmdq_opcode\b.*?(SMMU_CMD_[A-Z0-9_]+)")
CFGI_STE = re.compile(r"smmuv3_cmdq_cfgi_ste\b[^_].*?(0x[0-9a-f]+|\d+)\s*$")
EVENT = re.compile(r"smmuv3_record_event\b\s+(\S+)\s+sid=(0x[0-9a-f]+)")
# QEMU's names where they differ from the architecture's (hw/arm/smmuv3-internal.h):
# Range 31 of CFGI_STE_RANGE is the spec's (and Linux's) CMD_CFGI_ALL.
SAME = {"CFGI_ALL": "CFGI_STE_RANGE"}


def trace(path):
    ops, stes, events = [], [], []
    with open(path, errors="replace") as f:
        for line in f:
            m = OPCODE.search(line)
            if m:
                ops.append(m.group(1)[len("SMMU_CMD_"):])
                continue
            m = CFGI_STE.search(line)
            if m:
                stes.append(int(m.group(1), 0))
                continue
            m = EVENT.search(line)
            if m:
                events.append((m.group(1).replace("SMMU_EVT_", ""), int(m.group(2), 16)))
    return ops, stes, events


def name(entry):
    n = entry["fields"]["name"]
    n = n[len("CMD_"):] if n.startswith("CMD_") else n
    return SAME.get(n, n)


def explain_main(trace_path, expected_path, explain_path):
    """`explain --event-log console.log --json` against QEMU: every logged
    event is one QEMU recorded, and the STE and CD explain found for it are
    the ones QEMU read (expected.json)."""
    _, _, events = trace(trace_path)
    exp = json.load(open(expected_path))
    ste_at = {s["sid"]: int(s["address"], 16) for s in exp.get("stes", [])}
    cd_at = {c["sid"]: int(c["address"], 16) for c in exp.get("cds", []) if "sid" in c}
    doc = json.load(open(explain_path))
    recorded = set(events)
    n = bad = 0
    for e in doc["events"]:
        f = e["event"]["fields"]
        sid = f["sid"]
        checks = [((f["name"], sid) in recorded, "%s sid 0x%x is an event QEMU recorded"
                   % (f["name"], sid)),
                  (e["ste"] is not None and int(e["ste"]["address"], 16) == ste_at.get(sid),
                   "the STE explain found for sid 0x%x is the one QEMU read" % sid),
                  (e["cd"] is not None and int(e["cd"]["address"], 16) == cd_at.get(sid),
                   "the CD explain found for sid 0x%x is the one QEMU read" % sid)]
        for cond, what in checks:
            n += 1
            bad += not cond
            print("%s %d - %s: %s" % ("ok" if cond else "not ok", n, e["from"], what))
    print("# agreement: explain %d/%d checks over %d logged events" % (n - bad, n,
                                                                    len(doc["events"])))
    if doc["events"]:
        print("# example: " + doc["events"][0]["explanation"])
    return 1 if bad or not doc["events"] else 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--explain":
        return explain_main(sys.argv[2], sys.argv[3], sys.argv[4])
    ops, stes, events = trace(sys.argv[1])
    doc = json.load(open(sys.argv[2]))
    queues = {q["queue"]: q for q in doc["queues"]}
    bad = 0
    n = 0

    def ok(cond, what, detail=""):
        nonlocal bad, n
        n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", n, what))
        if not cond:
            bad += 1
            if detail:
                print("# " + detail)

    cq = queues.get("cmdq")
    ok(cq is not None, "the dump's command queue was decoded")
    if cq:
        hist = [e for e in cq["entries"] if e["state"] != "empty"]
        mine = [name(e) for e in hist]
        ok(cq["pending"] == 0, "no command pending in a stopped guest (%d)" % cq["pending"])
        ok(len(ops) > 0, "QEMU traced %d commands" % len(ops))
        tail = ops[-len(mine):] if mine else []
        agree = sum(1 for a, b in zip(mine, tail) if a == b)
        first = next((i for i, (a, b) in enumerate(zip(mine, tail)) if a != b), None)
        ok(len(mine) == min(len(ops), 1 << cq["log2size"]) and agree == len(mine),
           "command for command: %d of %d commands in the dump agree with the last %d "
           "the trace holds (%d traced in all)" % (agree, len(mine), len(tail), len(ops)),
           "" if first is None else "first difference at history entry %d: dump %s, trace %s"
           % (first, mine[first], tail[first]))
        sids = [e["fields"]["sid"] for e in hist if name(e) == "CFGI_STE"]
        ste_tail = stes[-len(sids):] if sids else []
        ok(sids == ste_tail, "CMD_CFGI_STE StreamIDs agree: %d of %d" %
           (sum(1 for a, b in zip(sids, ste_tail) if a == b), len(sids)))
        print("# agreement: commands %d/%d, CFGI_STE StreamIDs %d/%d" %
              (agree, len(mine), sum(1 for a, b in zip(sids, ste_tail) if a == b), len(sids)))
    eq = queues.get("evtq")
    if eq:
        mine = [(e["fields"]["name"], e["fields"]["sid"]) for e in eq["entries"]
                if e["state"] != "empty"]
        tail = events[-len(mine):] if mine else []
        agree = sum(1 for a, b in zip(mine, tail) if a == b)
        ok(len(events) > 0, "QEMU recorded %d events" % len(events))
        ok(mine == tail, "event for event: %d of %d events in the dump agree with the trace"
           % (agree, len(mine)), "dump %r, trace %r" % (mine[:4], tail[:4]))
        print("# agreement: events %d/%d" % (agree, len(mine)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
