#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""QEMU as the reference for pasidtool: read QEMU's own SMMUv3 trace, ask
QEMU's monitor (QMP) for the raw bytes of the structures it used, take the
memory dump, and write what QEMU saw as expected.json.

Subcommands (see tests/qemu/run.sh):
  trace TRACE.log                   print what the trace says, as JSON
  wait-console CONSOLE.log MARKER SECONDS
  snapshot --qmp SOCK --trace TRACE.log --dump OUT.elf --expected OUT.json
           [--meta KEY=VALUE ...]   stop the guest, read raw STE/CD/L1STD with
                                    'xp', dump-guest-memory (plain ELF), quit

Only QEMU decides the expected values: every address, ASID, TTB and size in
expected.json comes from a trace event of QEMU 7.2's hw/arm/smmuv3.c or
smmu-common.c, and every raw dword from QEMU's 'xp' monitor command.
Values QEMU does not print but guarantees by translating at all are listed
separately under "implied", each with the reason.
"""
import json
import re
import socket
import sys
import time

# SMMUv3 register offsets (Arm IHI 0070, 6.3) that QEMU's smmuv3_write_mmio
# and smmuv3_read_mmio events report.
REG_IDR0, REG_IDR1, REG_IDR3, REG_IDR5 = 0x0, 0x4, 0xC, 0x14
REG_CR0, REG_CR1, REG_CR2 = 0x20, 0x28, 0x2C
REG_STRTAB_BASE, REG_STRTAB_BASE_HI, REG_STRTAB_BASE_CFG = 0x80, 0x84, 0x88

OAS_BITS = {0: 32, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48, 6: 52, 7: 56}


def hx(v):
    return "0x%x" % v


def _num(s):
    return int(s, 0)


# ---------------------------------------------------------------------------
# Trace parsing. Formats are those of Debian 12's QEMU 7.2 (hw/arm/trace-events);
# an optional "PID@SEC.USEC:" prefix (-msg timestamp=on) is accepted.
PATTERNS = {
    "write_mmio": r"smmuv3_write_mmio addr: (0x[0-9a-f]+) val:(0x[0-9a-f]+) size: (0x[0-9a-f]+)",
    "read_mmio": r"smmuv3_read_mmio addr: (0x[0-9a-f]+) val:(0x[0-9a-f]+) size: (0x[0-9a-f]+)",
    "cache": r"smmuv3_config_cache_(?:hit|miss) Config cache (?:HIT|MISS) for sid=(0x[0-9a-f]+)",
    "find_ste": r"smmuv3_find_ste sid=(0x[0-9a-f]+) features:(0x[0-9a-f]+), sid_split:(0x[0-9a-f]+)",
    "find_ste_2lvl": r"smmuv3_find_ste_2lvl strtab_base:(0x[0-9a-f]+) l1ptr:(0x[0-9a-f]+) "
                     r"l1_off:(0x[0-9a-f]+), l2ptr:(0x[0-9a-f]+) l2_off:(0x[0-9a-f]+) max_l2_ste:(\d+)",
    "get_ste": r"smmuv3_get_ste STE addr: (0x[0-9a-f]+)",
    "get_cd": r"smmuv3_get_cd CD addr: (0x[0-9a-f]+)",
    "decode_cd": r"smmuv3_decode_cd oas=(\d+)",
    "decode_cd_tt": r"smmuv3_decode_cd_tt TT\[(\d)\]:tsz:(\d+) ttb:(0x[0-9a-f]+) granule_sz:(\d+) had:(\d+)",
    "iotlb": r"smmu_iotlb_(?:lookup_hit|lookup_miss|insert) .*?asid=(-?\d+)",
    "range_inval": r"smmuv3_s1_range_inval vmid=(-?\d+) asid=(-?\d+)",
    "tlbi_asid": r"smmuv3_cmdq_tlbi_nh_asid asid=(-?\d+)",
    "ok": r"smmuv3_translate_success (\S+) sid=(0x[0-9a-f]+) iova=(0x[0-9a-f]+) translated=(0x[0-9a-f]+)",
    "bypass": r"smmuv3_translate_bypass (\S+) sid=(0x[0-9a-f]+)",
    "abort": r"smmuv3_translate_abort (\S+) sid=(0x[0-9a-f]+)",
    "disable": r"smmuv3_translate_disable (\S+) sid=(0x[0-9a-f]+)",
    "event": r"smmuv3_record_event (\S+) sid=(0x[0-9a-f]+)",
    "ptw0": r"smmu_ptw_level level=0 iova=(0x[0-9a-f]+) subpage_sz=(0x[0-9a-f]+) baseaddr=(0x[0-9a-f]+)",
}
COMPILED = {k: re.compile(r"(?:\d+@[\d.]+:)?" + v) for k, v in PATTERNS.items()}


def parse_trace(path):
    """Fold the trace into what QEMU saw, per StreamID. The last decode of a
    StreamID wins (QEMU re-reads an STE after CFGI_STE)."""
    regs = {}            # last value written to each register offset
    idr = {}             # ID registers the driver read
    sids = {}            # sid -> record
    cur = None           # sid whose config QEMU looked up last
    inval_asids = set()  # ASIDs of TLBI commands the driver issued
    counts = {}
    with open(path, errors="replace") as f:
        for line in f:
            for kind, rx in COMPILED.items():
                m = rx.match(line)
                if m:
                    break
            else:
                continue
            counts[kind] = counts.get(kind, 0) + 1
            g = m.groups()
            if kind == "write_mmio":
                off, val, size = _num(g[0]), _num(g[1]), _num(g[2])
                if off == REG_STRTAB_BASE and size == 4:
                    val = (regs.get(REG_STRTAB_BASE, 0) & ~0xFFFFFFFF) | val
                elif off == REG_STRTAB_BASE_HI:
                    off = REG_STRTAB_BASE
                    val = (regs.get(REG_STRTAB_BASE, 0) & 0xFFFFFFFF) | (val << 32)
                regs[off] = val
            elif kind == "read_mmio":
                off = _num(g[0])
                if off in (REG_IDR0, REG_IDR1, REG_IDR3, REG_IDR5):
                    idr["idr%d" % (off // 4)] = _num(g[1])
            elif kind in ("cache", "find_ste"):
                cur = _num(g[0])
                rec = sids.setdefault(cur, {"sid": cur, "asids": set(), "outcomes": set(),
                                            "translations": 0})
                if kind == "find_ste":
                    rec["split"] = _num(g[2])
                    # a fresh decode: forget what the previous one said
                    for k in ("l1", "ste", "cd", "oas", "tt", "ptw_base"):
                        rec.pop(k, None)
                    rec["asids"] = set()
            elif cur is None:
                continue
            elif kind == "find_ste_2lvl":
                rec = sids[cur]
                rec["l1"] = {"strtab_base": _num(g[0]), "address": _num(g[1]),
                             "index": _num(g[2]), "l2ptr": _num(g[3]),
                             "l2_index": _num(g[4]), "max_l2_ste": int(g[5])}
            elif kind == "get_ste":
                sids[cur]["ste"] = _num(g[0])
            elif kind == "get_cd":
                sids[cur]["cd"] = _num(g[0])
            elif kind == "decode_cd":
                sids[cur]["oas"] = int(g[0])
                sids[cur]["tt"] = {}
            elif kind == "decode_cd_tt":
                sids[cur].setdefault("tt", {})[int(g[0])] = {
                    "tsz": int(g[1]), "ttb": _num(g[2]), "granule_sz": int(g[3]),
                    "had": int(g[4])}
            elif kind == "ptw0":
                sids[cur].setdefault("ptw_base", set()).add(_num(g[2]))
            elif kind in ("iotlb", "range_inval", "tlbi_asid"):
                asid = int(g[-1])
                if kind == "iotlb":
                    sids[cur]["asids"].add(asid)
                else:       # a command, not tied to a StreamID
                    inval_asids.add(asid)
            elif kind in ("ok", "bypass", "abort", "disable", "event"):
                sid = _num(g[1])
                rec = sids.setdefault(sid, {"sid": sid, "asids": set(), "outcomes": set(),
                                            "translations": 0})
                rec["outcomes"].add("translate_success" if kind == "ok" else
                                    "event:" + g[0] if kind == "event" else
                                    "translate_" + kind)
                if kind == "ok":
                    rec["translations"] += 1
    return {"regs": regs, "idr": idr, "sids": sids, "counts": counts,
            "inval_asids": inval_asids}


def trace_summary(t):
    """JSON-friendly view of parse_trace()."""
    out = {"registers": {}, "idr": {k: hx(v) for k, v in sorted(t["idr"].items())},
           "events": dict(sorted(t["counts"].items())), "tlbi_asids": sorted(t["inval_asids"]),
           "streams": []}
    if REG_STRTAB_BASE in t["regs"]:
        out["registers"]["strtab_base"] = hx(t["regs"][REG_STRTAB_BASE])
    if REG_STRTAB_BASE_CFG in t["regs"]:
        out["registers"]["strtab_base_cfg"] = hx(t["regs"][REG_STRTAB_BASE_CFG])
    for sid in sorted(t["sids"]):
        r = t["sids"][sid]
        s = {"sid": sid, "outcomes": sorted(r["outcomes"]), "translations": r["translations"]}
        if "ste" in r:
            s["ste_address"] = hx(r["ste"])
        if "l1" in r:
            s["l1"] = {k: (hx(v) if k in ("strtab_base", "address", "l2ptr") else v)
                       for k, v in r["l1"].items()}
        if "cd" in r:
            s["cd_address"] = hx(r["cd"])
        if "oas" in r:
            s["oas"] = r["oas"]
        if "tt" in r:
            s["tt"] = {str(i): dict(v, ttb=hx(v["ttb"])) for i, v in sorted(r["tt"].items())}
        s["asids"] = sorted(r["asids"])
        if r.get("ptw_base"):
            s["ptw_level0_base"] = [hx(v) for v in sorted(r["ptw_base"])]
        out["streams"].append(s)
    return out


# ---------------------------------------------------------------------------
# QMP
class QMP:
    def __init__(self, path, timeout=120):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.sock.settimeout(timeout)
        self.buf = b""
        greeting = self._read()
        if "QMP" not in greeting:
            raise RuntimeError("not a QMP greeting: %r" % greeting)
        self.execute("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def execute(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self._read()
            if "event" in r:
                continue
            if "error" in r:
                raise RuntimeError("QMP %s: %s" % (cmd, r["error"]))
            return r.get("return")

    def hmp(self, line):
        return self.execute("human-monitor-command", **{"command-line": line})

    def read_dwords(self, addr, n):
        """n little-endian 64-bit words of guest-physical memory, read by QEMU."""
        text = self.hmp("xp /%dgx 0x%x" % (n, addr))
        words = []
        for ln in text.splitlines():
            if ":" in ln:
                words += [int(w, 16) for w in ln.split(":", 1)[1].split()]
        if len(words) != n:
            raise RuntimeError("xp 0x%x: unexpected reply %r" % (addr, text))
        return words


# ---------------------------------------------------------------------------
def gran_to_tg0(granule_sz):
    # CD.TG0: 0 = 4KB, 1 = 64KB, 2 = 16KB (Arm IHI 0070, 5.4)
    return {12: 0, 16: 1, 14: 2}[granule_sz]


def build_expected(t, q, meta):
    regs, idr = t["regs"], t["idr"]
    if REG_STRTAB_BASE not in regs or REG_STRTAB_BASE_CFG not in regs:
        raise RuntimeError("the trace has no STRTAB_BASE/STRTAB_BASE_CFG write")
    base, cfg = regs[REG_STRTAB_BASE], regs[REG_STRTAB_BASE_CFG]
    exp = {
        "comment": "Generated by tests/qemu/run.sh from QEMU's SMMUv3 trace events and "
                   "its 'xp' monitor command; do not edit by hand.",
        "meta": meta,
        "smmu": dict({k: hx(v) for k, v in sorted(idr.items())},
                     **{name: hx(regs[off]) for name, off in (("cr0", REG_CR0), ("cr1", REG_CR1),
                                                              ("cr2", REG_CR2)) if off in regs}),
        "strtab_base": hx(base),
        "strtab_base_cfg": hx(cfg),
        "strtab": {"fmt": (cfg >> 16) & 3, "split": (cfg >> 6) & 0x1F, "log2size": cfg & 0x3F,
                   "address": hx(base & ((1 << 56) - 1) & ~0x3F)},
        "l1": [], "stes": [], "cds": [], "implied": {},
    }
    if "idr1" in idr:
        exp["smmu_decoded"] = {"ssidsize": (idr["idr1"] >> 6) & 0x1F, "sidsize": idr["idr1"] & 0x3F}
    if "idr5" in idr:
        exp.setdefault("smmu_decoded", {})["oas_bits"] = OAS_BITS[idr["idr5"] & 7]
    seen_l1 = set()
    for sid in sorted(t["sids"]):
        r = t["sids"][sid]
        if "ste" not in r:
            continue
        ste = {"sid": sid, "address": hx(r["ste"]), "raw": [hx(w) for w in q.read_dwords(r["ste"], 8)],
               "qemu_outcomes": sorted(r["outcomes"]), "translations": r["translations"]}
        if "l1" in r:
            l1 = r["l1"]
            ste["l1_index"] = l1["index"]
            if l1["address"] not in seen_l1:
                seen_l1.add(l1["address"])
                exp["l1"].append({"index": l1["index"], "address": hx(l1["address"]),
                                  "raw": hx(q.read_dwords(l1["address"], 1)[0]),
                                  "l2ptr": hx(l1["l2ptr"])})
        if "cd" in r:
            # QEMU 7.2 ignores SubstreamIDs: it reads the CD at S1ContextPtr.
            ste["s1contextptr"] = hx(r["cd"])
        exp["stes"].append(ste)
        if "cd" in r and "translate_success" in r["outcomes"]:
            cd = {"sid": sid, "ssid": 0, "address": hx(r["cd"]),
                  "raw": [hx(w) for w in q.read_dwords(r["cd"], 8)], "oas": r.get("oas")}
            for i, tt in sorted(r.get("tt", {}).items()):
                cd["ttb%d" % i] = hx(tt["ttb"])
                cd["t%dsz" % i] = tt["tsz"]
                cd["tg%d" % i] = gran_to_tg0(tt["granule_sz"])
                cd["had%d" % i] = tt["had"]
            if len(r["asids"]) == 1:
                cd["asid"] = next(iter(r["asids"]))
            elif r["asids"]:
                cd["asids_seen"] = sorted(r["asids"])
            if r.get("ptw_base"):
                cd["ptw_level0_base"] = [hx(v) for v in sorted(r["ptw_base"])]
            exp["cds"].append(cd)
    exp["implied"] = {
        "why": "QEMU 7.2 does not print these, but it only reaches "
               "smmuv3_translate_success for an STE with V=1, Config=0b101 (stage 1 "
               "translate; 7.2 has no stage 2) and S1CDMax=0 (decode_ste rejects "
               "substreams), and for a CD with V=1, AA64=1 (decode_cd)",
        "ste_fields": {"v": 1, "config": 5, "s1cdmax": 0},
        "cd_fields": {"v": 1, "aa64": 1},
    }
    return exp


# SMMUv3 programming interface on QEMU's virt machine (hw/arm/virt.c
# VIRT_SMMU) and the queue registers `pasidtool queues` needs (IHI 0070
# 6.3.26-6.3.33, 6.3.95-6.3.98); QEMU aliases page 1 onto page 0.
VIRT_SMMU = 0x09050000
QUEUE_REGS = (("cmdq_base", 0x90, 8), ("cmdq_prod", 0x98, 4), ("cmdq_cons", 0x9C, 4),
              ("eventq_base", 0xA0, 8), ("eventq_prod", 0x100A8, 4),
              ("eventq_cons", 0x100AC, 4), ("idr1", 0x4, 4))


def read_queue_regs(q, t):
    """The queue registers as QEMU holds them, read through its MMIO handler
    with 'xp'; the last value in the trace when 'xp' cannot read them."""
    out = {}
    for name, off, size in QUEUE_REGS:
        try:
            text = q.hmp("xp /1%sx 0x%x" % ("g" if size == 8 else "w", VIRT_SMMU + off))
            out[name] = hx(int(text.split(":", 1)[1].split()[0], 16))
            out.setdefault("_source", "xp")
        except (RuntimeError, IndexError, ValueError):
            if off in t["regs"]:
                out[name] = hx(t["regs"][off])
                out["_source"] = "trace"
    return out


def cmd_snapshot(argv):
    import argparse
    ap = argparse.ArgumentParser(prog="qemu_ref.py snapshot")
    ap.add_argument("--qmp", required=True)
    ap.add_argument("--trace", required=True)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--meta", action="append", default=[])
    ap.add_argument("--no-quit", action="store_true")
    a = ap.parse_args(argv)
    q = QMP(a.qmp)
    q.execute("stop")     # freeze the guest: trace, raw reads and dump agree
    ver = q.execute("query-version")
    meta = dict(m.split("=", 1) for m in a.meta)
    meta["qemu"] = "%d.%d.%d %s" % (ver["qemu"]["major"], ver["qemu"]["minor"],
                                    ver["qemu"]["micro"], ver.get("package", "").strip())
    # The trace file is flushed as it is written; the guest is stopped, so it
    # is complete for our purpose.
    t = parse_trace(a.trace)
    exp = build_expected(t, q, meta)
    exp["trace"] = trace_summary(t)
    exp["queue_registers"] = read_queue_regs(q, t)
    q.execute("dump-guest-memory", paging=False, protocol="file:" + a.dump)
    with open(a.expected, "w") as f:
        json.dump(exp, f, indent=2, sort_keys=False)
        f.write("\n")
    if not a.no_quit:
        try:
            q.execute("quit")
        except RuntimeError:
            pass
    return 0


def cmd_wait_console(argv):
    path, marker, secs = argv[0], argv[1], float(argv[2])
    deadline = time.time() + secs
    while time.time() < deadline:
        try:
            with open(path, errors="replace") as f:
                if marker in f.read():
                    return 0
        except FileNotFoundError:
            pass
        time.sleep(0.25)
    return 1


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, argv = sys.argv[1], sys.argv[2:]
    if cmd == "trace":
        json.dump(trace_summary(parse_trace(argv[0])), sys.stdout, indent=2)
        print()
        return 0
    if cmd == "snapshot":
        return cmd_snapshot(argv)
    if cmd == "wait-console":
        return cmd_wait_console(argv)
    print("unknown subcommand %r" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
