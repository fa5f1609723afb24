#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare `pasidtool translate` on the guest dump with what QEMU's SMMUv3
model translated during the same run.

  translate_compare.py PASIDTOOL DUMP EXPECTED.json TRACE.log

QEMU traces each translation it completes (smmuv3_translate_success sid=
iova= translated=) and, on an IOTLB miss, each level of the walk just before
it (smmu_ptw_level level= iova= baseaddr= offset= => pte=). The dump is taken
after the guest stopped, so the kernel may have unmapped or remapped an IOVA
after its last traced use. For every distinct (StreamID, IOVA) the last
traced translation is compared with translate on the dump:

  same PA          translate gives the PA QEMU gave;
  remapped since   a different PA, but the walk reads the tables the trace
                   read down to the leaf, whose PTE the kernel rewrote;
  unmapped since   F_TRANSLATION at an invalid PTE at the very address the
                   trace read a valid one (same table and index);
  anything else    a disagreement (not ok).

Walk levels: for each same-PA pair, every level translate read is compared
with QEMU's last walk of that page for that stream (table, index, PTE). Prints TAP lines and a summary; exit 1 on a disagreement or when the
trace has no translation."""
import json
import re
import subprocess
import sys

SUCCESS = re.compile(r"smmuv3_translate_success\b.*?sid=(0x[0-9a-f]+|\d+)\s+"
                     r"iova=(0x[0-9a-f]+)\s+translated=(0x[0-9a-f]+)")
LEVEL = re.compile(r"smmu_ptw_level\b.*?level=(\d+)\s+iova=(0x[0-9a-f]+).*?"
                   r"baseaddr=(0x[0-9a-f]+)\s+offset=(\d+)\s+=>\s+pte=(0x[0-9a-f]+)")
# translate takes at most this many IOVAs per run (cli/ptw_cli.h).
CHUNK = 4096


GRANULE = re.compile(r"smmuv3_decode_cd_tt\b.*?granule_sz:(\d+)")


def trace(path):
    """{(sid, iova): (pa, walk or None)} for the last translation of each;
    walk is [(level, table, index, pte)], the last walk QEMU did for that
    page of that stream (an IOTLB hit reuses it)."""
    last, pending, walks = {}, {}, {}
    page_bits = None
    with open(path, errors="replace") as f:
        for line in f:
            m = LEVEL.search(line)
            if m:
                level, iova = int(m.group(1)), int(m.group(2), 16)
                walk = pending.setdefault(iova >> (page_bits or 12), [])
                # A level not deeper than the last one starts a new walk.
                if walk and level <= walk[-1][0]:
                    walk.clear()
                walk.append((level, int(m.group(3), 16), int(m.group(4)), int(m.group(5), 16)))
                continue
            m = SUCCESS.search(line)
            if m:
                sid, iova, pa = int(m.group(1), 0), int(m.group(2), 16), int(m.group(3), 16)
                page = iova >> (page_bits or 12)
                if page in pending:
                    walks[(sid, page)] = pending.pop(page)
                last[(sid, iova)] = (pa, walks.get((sid, page)))
                continue
            m = GRANULE.search(line)
            if m:
                # The smallest granule any CD uses keys walks by page.
                g = int(m.group(1))
                page_bits = g if page_bits is None else min(page_bits, g)
    return last


def translate(tool, dump, root, sid, iovas):
    out = []
    for i in range(0, len(iovas), CHUNK):
        part = iovas[i:i + CHUNK]
        r = subprocess.run([tool, "translate", dump] + root + ["--sid", str(sid), "--json"] +
                           [hex(v) for v in part], capture_output=True, text=True)
        if r.returncode not in (0, 1):
            raise SystemExit("translate failed (%d): %s" % (r.returncode, r.stderr.strip()))
        out += json.loads(r.stdout)["translations"]
    return out


def steps(t):
    return [(s["level"], int(s["table"], 16), s["index"],
             None if s["pte"] is None else int(s["pte"], 16))
            for s in t["walk"] if s["stage"] == 1]


def classify(t, pa, walk):
    """'same', 'remapped', 'unmapped' or a reason for not ok."""
    got = steps(t)
    if t["pa"] is not None and int(t["pa"], 16) == pa:
        return "same"
    if walk is None:
        return "no traced walk to explain PA %s (QEMU 0x%x)" % (t["pa"], pa)
    # Every level above the last must be the walk QEMU did.
    if [g[:3] for g in got[:-1]] != [w[:3] for w in walk[:len(got) - 1]] or not got:
        return "walk differs from QEMU's: %s vs %s" % (got, walk)
    leaf = got[-1]
    traced = [w for w in walk if w[0] == leaf[0]]
    if not traced or traced[0][1:3] != leaf[1:3]:
        return "level %d reads another PTE than QEMU did" % leaf[0]
    fault = t["fault"] or {}
    if t["pa"] is not None:
        return "remapped"
    if fault.get("event") == "F_TRANSLATION" and t["walk"][-1]["decision"] == "invalid":
        return "unmapped"
    return "fault %s where QEMU translated" % fault.get("event") if fault else "dump ends"


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    tool, dump, expected, trace_path = sys.argv[1:]
    e = json.load(open(expected))
    root = ["--strtab", e["strtab_base"], "--strtab-cfg", e["strtab_base_cfg"]]
    last = trace(trace_path)
    counts = {"same": 0, "remapped": 0, "unmapped": 0, "bad": 0}
    lv_total = lv_same = 0
    for sid in sorted({s for s, _ in last}):
        iovas = [i for s, i in last if s == sid]
        for t in translate(tool, dump, root, sid, iovas):
            iova = int(t["iova"], 16)
            pa, walk = last[(sid, iova)]
            kind = classify(t, pa, walk)
            if kind in counts:
                counts[kind] += 1
            else:
                counts["bad"] += 1
                print("not ok - sid %d iova 0x%x: %s" % (sid, iova, kind))
            if kind == "same" and walk:
                traced = {w[0]: w[1:] for w in walk}
                for g in steps(t):
                    lv_total += 1
                    if traced.get(g[0]) == g[1:]:
                        lv_same += 1
                    else:
                        counts["bad"] += 1
                        print("not ok - sid %d iova 0x%x level %d: table/index/PTE %s, QEMU %s"
                              % (sid, iova, g[0], g[1:], traced.get(g[0])))
    n = len(last)
    print("%s - translate agrees with QEMU's trace on %d distinct (sid, iova): %d same PA, "
          "%d remapped since (same tables, new leaf), %d unmapped since (invalid PTE where "
          "QEMU read a valid one), %d disagree"
          % ("ok" if n and not counts["bad"] else "not ok", n, counts["same"],
             counts["remapped"], counts["unmapped"], counts["bad"]))
    print("%s - walk levels of the same-PA translations QEMU walked: %d of %d same table, "
          "index and PTE" % ("ok" if lv_same == lv_total else "not ok", lv_same, lv_total))
    return 0 if n and not counts["bad"] else 1


if __name__ == "__main__":
    sys.exit(main())
