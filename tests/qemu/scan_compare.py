#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scan (issue 17) on the real guest's full dump, against what QEMU's trace
says the SMMU used (expected.json): the stream table ranks first among stream
tables, its --strtab-cfg reaches every STE the decode with the real register
reaches, and every CD table a traced STE points at is a candidate. Prints the
counts and the candidates no trace names (false candidates); exit 1 on a miss.

usage: scan_compare.py PASIDTOOL DUMP EXPECTED.json"""
import json
import subprocess
import sys


def run_json(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("FAIL: %s exited %d: %s" % (" ".join(argv), r.returncode,
                                                     r.stderr.strip()[:300]))
    return json.loads(r.stdout)


def reached(tool, dump, args):
    """The valid STEs (StreamID, address, words) and the CD tables (base,
    entries) a decode with these arguments reaches."""
    d = run_json([tool, "decode", dump, "--json"] + args)
    stes, cdt = [], []
    for t in d.get("tables", []):
        if t.get("format") == "smmuv3-strtab":
            stes += [(e["sid"], e["address"], tuple(e["raw"])) for e in t.get("stes", [])
                     if e.get("fields", {}).get("v") == 1]
        elif t.get("format") == "smmuv3-cd":
            cdt.append((t["base"], json.dumps(t.get("entries"), sort_keys=True)))
    return sorted(stes), sorted(cdt)


def main():
    tool, dump, exp_path = sys.argv[1:4]
    exp = json.load(open(exp_path))
    mask = (1 << 52) - 1
    strtab = int(exp["strtab_base"], 16) & mask & ~0x3f
    cds = sorted({int(s["s1contextptr"], 16) for s in exp["stes"] if "s1contextptr" in s})
    scan = run_json([tool, "scan", dump, "--json"])
    cands = scan["candidates"]
    fail = 0
    tables = [c for c in cands if c["kind"] == "smmuv3-strtab"]
    if not tables or int(tables[0]["base"], 16) != strtab:
        print("FAIL: the stream table 0x%x does not rank first among %d stream-table candidates"
              % (strtab, len(tables)))
        fail = 1
    else:
        real = ["--strtab", hex(strtab), "--strtab-cfg", exp["strtab_base_cfg"]]
        want, got = reached(tool, dump, real), reached(tool, dump, tables[0]["args"])
        if want != got or not want[0]:
            print("FAIL: scan's %s reaches %d valid STEs and %d CD tables, the real register "
                  "%d and %d" % (" ".join(tables[0]["args"]), len(got[0]), len(got[1]),
                                 len(want[0]), len(want[1])))
            fail = 1
        else:
            print("ok: the stream table 0x%x ranks first (score %d); %s reaches the same %d "
                  "valid STEs and %d CD tables as the real register"
                  % (strtab, tables[0]["score"], " ".join(tables[0]["args"][2:4]),
                     len(want[0]), len(want[1])))
    found = {int(c["base"], 16) for c in cands if c["kind"] == "smmuv3-cd"}
    missing = [hex(a) for a in cds if a not in found]
    if missing or not cds:
        print("FAIL: CD tables the trace names and scan misses: %s" % ", ".join(missing))
        fail = 1
    else:
        print("ok: all %d CD tables the traced STEs point at are candidates" % len(cds))
    true = {strtab} | set(cds)
    false = [c for c in cands if int(c["base"], 16) not in true]
    print("scan: %d candidates, %d false: %s" % (len(cands), len(false), ", ".join(
        "%s 0x%x (score %d)" % (c["kind"], int(c["base"], 16), c["score"]) for c in false[:8])
        or "none"))
    trues = [c["score"] for c in cands if int(c["base"], 16) in true]
    if trues and false:
        print("scan: true candidates score %d..%d, false ones %d..%d"
              % (min(trues), max(trues), min(c["score"] for c in false),
                 max(c["score"] for c in false)))
    return fail


if __name__ == "__main__":
    sys.exit(main())
