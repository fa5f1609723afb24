#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare what pasidtool decoded from a guest dump with what QEMU saw.

  compare.py [--cd-only] EXPECTED.json DECODE.json...
                                            one "ok - ..." / "not ok - ..."
                                            line per check; exit 1 on failure
  compare.py --args EXPECTED.json [--pasidtool PATH]
                                            the decode arguments (table root),
                                            one line per decode to run
  compare.py --caps EXPECTED.json          a --caps spec of the SMMU QEMU emulated
                                            (its ID registers and CR2), decoded here
  compare.py --idr-caps EXPECTED.json      the same registers as raw values for
                                            pasidtool to decode (--caps idr0=...)
  compare.py --regs EXPECTED.json          a --regs file: the ID registers, CR2 and
                                            the stream-table registers
  compare.py --same-tables A.json B.json    exit 0 when both decodes list the
                                            same tables (the source may differ)

DECODE.json is `pasidtool decode --json` output (schema pasidtool.decode/1,
docs/json.md, DESIGN.md section 5): STE objects {"sid", "address", "raw",
"fields": {"config", "s1contextptr", "s1cdmax", ...}}, L1 descriptors
{"index", "address", "raw", "fields": {"l2ptr", ...}} and CD objects
{"ssid", "address", "raw", "fields": {"asid", "ttb0", ...}}, wherever they
sit in the document. Several DECODE files are merged (e.g. one per table).
"""
import json
import subprocess
import sys

OAS_BITS = {0: 32, 1: 36, 2: 40, 3: 42, 4: 44, 5: 48, 6: 52, 7: 56}


def num(v):
    if isinstance(v, str):
        return int(v, 0)
    return int(v)


def walk(o):
    if isinstance(o, dict):
        yield o
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)


def docs_tables(docs):
    for d in docs:
        for t in d.get("tables", []):
            if isinstance(t, dict):
                yield t


def collect(docs):
    stes, cds, l1s = [], [], []
    for d in docs:
        for o in walk(d.get("tables", [])):
            if not isinstance(o.get("fields"), dict) or "address" not in o:
                continue
            if "sid" in o:
                stes.append(o)
            elif "ssid" in o:
                cds.append(o)
            elif "index" in o and "l2ptr" in o["fields"]:
                l1s.append(o)
    return stes, cds, l1s


class Checks:
    def __init__(self):
        self.failed = 0
        self.n = 0

    def check(self, cond, desc, detail=""):
        self.n += 1
        if cond:
            print("ok - %s" % desc)
        else:
            self.failed += 1
            print("not ok - %s%s" % (desc, (": " + detail) if detail else ""))

    def eq(self, got, want, desc):
        self.check(got == want, desc, "pasidtool %r, QEMU %r" % (got, want))


def raw_list(o):
    r = o.get("raw")
    if isinstance(r, list):
        return [num(x) for x in r]
    if r is None:
        return None
    return [num(r)]


def field(o, name):
    v = o["fields"].get(name)
    return None if v is None else num(v)


def compare(exp, docs, cd_only=False):
    c = Checks()
    stes, cds, l1s = collect(docs)
    imp = exp.get("implied", {})
    ste_imp = imp.get("ste_fields", {})
    cd_imp = imp.get("cd_fields", {})
    oas_max = exp.get("smmu_decoded", {}).get("oas_bits", 64)

    if exp.get("stes") and not cd_only:
        c.check(bool(stes), "pasidtool decoded a stream table (%d STEs listed)" % len(stes),
                "no STE objects in the decode output")
    if stes:
        st = [t for t in docs_tables(docs) if "stes" in t or "strtab_base_cfg" in t]
        c.check(len(st) == 1, "one stream table in the output", "%d found" % len(st))
        if st:
            t = st[0]
            sc = exp["strtab"]
            c.eq(num(t.get("base", -1)), num(sc["address"]), "stream table base is STRTAB_BASE.ADDR")
            if "strtab_base_cfg" in t:
                c.eq(num(t["strtab_base_cfg"]), num(exp["strtab_base_cfg"]), "STRTAB_BASE_CFG echoed")
            c.eq(t.get("layout"), {0: "linear", 1: "2lvl"}.get(sc["fmt"]), "stream table layout (CFG.FMT)")
            if "sid_bits" in t:
                c.eq(t["sid_bits"], sc["log2size"], "SID bits (CFG.LOG2SIZE)")
            if "leaf_bits" in t and sc["fmt"] == 1:
                c.eq(t["leaf_bits"], sc["split"], "level-2 index bits (CFG.SPLIT)")
        for l1 in exp.get("l1", []):
            got = [o for o in l1s if num(o["address"]) == num(l1["address"])]
            if not got:
                # L1 descriptors may be printed only with --all; not an error
                continue
            o = got[0]
            c.eq(o.get("index"), l1["index"], "L1STD %d: index" % l1["index"])
            c.eq(raw_list(o), [num(l1["raw"])], "L1STD %d: raw descriptor" % l1["index"])
            c.eq(field(o, "l2ptr"), num(l1["l2ptr"]), "L1STD %d: l2ptr" % l1["index"])
        for s in exp.get("stes", []):
            sid = s["sid"]
            got = [o for o in stes if num(o["sid"]) == sid]
            c.check(len(got) == 1, "STE for sid %d found" % sid,
                    "%d STE objects for it" % len(got))
            if not got:
                continue
            o = got[0]
            c.eq(num(o["address"]), num(s["address"]), "sid %d: STE address" % sid)
            c.eq(raw_list(o), [num(x) for x in s["raw"]], "sid %d: STE raw dwords" % sid)
            if "s1contextptr" in s:
                c.eq(field(o, "s1contextptr"), num(s["s1contextptr"]),
                     "sid %d: s1contextptr is the CD address QEMU read" % sid)
            if "translate_success" in s.get("qemu_outcomes", []):
                for k, v in sorted(ste_imp.items()):
                    c.eq(field(o, k), v, "sid %d: %s (implied by QEMU translating)" % (sid, k))

    for e in exp.get("cds", []):
        where = "sid %d ssid %d CD" % (e["sid"], e["ssid"])
        got = [o for o in cds if num(o["address"]) == num(e["address"])]
        c.check(len(got) >= 1, "%s at %s found" % (where, e["address"]), "not in the decode output")
        if not got:
            continue
        o = got[0]
        c.eq(num(o["ssid"]), e["ssid"], "%s: ssid" % where)
        owners = [t for t in docs_tables(docs) if "sid" in t and "entries" in t
                  and any(num(x["address"]) == num(e["address"]) for x in t["entries"])]
        if owners and not cd_only:
            c.check(any(num(t["sid"]) == e["sid"] or e["sid"] in [num(x) for x in t.get("shared_with", [])]
                        for t in owners),
                    "%s: reached from the STE of sid %d" % (where, e["sid"]),
                    "CD table listed under sid %s" % [t["sid"] for t in owners])
        c.eq(raw_list(o), [num(x) for x in e["raw"]], "%s: raw dwords" % where)
        if "asid" in e:
            c.eq(field(o, "asid"), e["asid"], "%s: asid" % where)
        for i in (0, 1):
            if "ttb%d" % i not in e:
                continue
            c.eq(field(o, "ttb%d" % i), num(e["ttb%d" % i]), "%s: ttb%d" % (where, i))
            c.eq(field(o, "t%dsz" % i), e["t%dsz" % i], "%s: t%dsz" % (where, i))
            c.eq(field(o, "tg%d" % i), e["tg%d" % i], "%s: tg%d (QEMU granule)" % (where, i))
            c.eq(field(o, "had%d" % i), e["had%d" % i], "%s: had%d" % (where, i))
        if e.get("oas") is not None and field(o, "ips") is not None:
            bits = OAS_BITS.get(field(o, "ips"))
            c.eq(min(bits, oas_max) if bits else None, e["oas"],
                 "%s: ips, capped at the SMMU's OAS, is QEMU's oas" % where)
        for k, v in sorted(cd_imp.items()):
            c.eq(field(o, k), v, "%s: %s (implied by QEMU translating)" % (where, k))
    c.check(c.n > 0, "compared something")
    return c


def decode_args(exp, pasidtool=None):
    """The table root options for a dump described by EXPECTED."""
    has_strtab = True
    if pasidtool:
        try:
            h = subprocess.run([pasidtool, "decode", "--help"], capture_output=True,
                               text=True, timeout=30).stdout
            has_strtab = "--strtab" in h
        except OSError:
            pass
    if has_strtab:
        return "--strtab %s --strtab-cfg %s" % (exp["strtab"]["address"], exp["strtab_base_cfg"])
    return "\n".join("--cd-table %s --ssid-bits 0" % cd["address"] for cd in exp["cds"])


# --caps keys (formats/smmuv3_caps.c) and where QEMU's registers hold them:
# (key, register, lsb, width)
CAPS_BITS = [
    ("s2p", "idr0", 0, 1), ("s1p", "idr0", 1, 1), ("ttf", "idr0", 2, 2), ("httu", "idr0", 6, 2),
    ("asid16", "idr0", 12, 1), ("vmid16", "idr0", 18, 1), ("cd2l", "idr0", 19, 1),
    ("ttendian", "idr0", 21, 2), ("stall-model", "idr0", 24, 2), ("term-model", "idr0", 26, 1),
    ("sid-bits", "idr1", 0, 6), ("ssid-bits", "idr1", 6, 5),
    ("had", "idr3", 2, 1), ("pbha", "idr3", 3, 1), ("stt", "idr3", 9, 1), ("e0pd", "idr3", 13, 1),
    ("epan", "idr3", 17, 1), ("s1pi", "idr3", 18, 1), ("the", "idr3", 21, 1), ("aie", "idr3", 23, 1),
    ("oas", "idr5", 0, 3), ("gran4k", "idr5", 4, 1), ("gran16k", "idr5", 5, 1),
    ("gran64k", "idr5", 6, 1), ("ds", "idr5", 7, 1), ("vax", "idr5", 10, 2),
    ("e2h", "cr2", 0, 1),
]


def caps_from_registers(exp):
    """A --caps spec describing the SMMU QEMU emulated, from the ID
    registers the driver read and the CR2 it wrote."""
    regs = {k: num(v) for k, v in exp.get("smmu", {}).items()}
    out = []
    for key, reg, lsb, width in CAPS_BITS:
        if reg not in regs:
            continue
        v = (regs[reg] >> lsb) & ((1 << width) - 1)
        if key == "oas":
            v = OAS_BITS[v]
        out.append("%s=%d" % (key, v))
    return ",".join(out)


# Registers --caps takes as whole values (formats/smmuv3_idr.c decodes them).
CAPS_REGS = ["idr0", "idr1", "idr3", "idr5", "aidr", "cr2"]


def idr_caps(exp):
    regs = exp.get("smmu", {})
    return ",".join("%s=%s" % (r, regs[r]) for r in CAPS_REGS if r in regs)


def regs_file(exp):
    """NAME=VALUE lines as --regs reads them, from what the driver wrote
    and read."""
    lines = ["# SMMU registers QEMU's trace recorded for this boot"]
    for r, v in sorted(exp.get("smmu", {}).items()):
        lines.append("SMMU_%s=%s" % (r.upper(), v))
    for key, name in (("strtab_base", "STRTAB_BASE"), ("strtab_base_cfg", "STRTAB_BASE_CFG")):
        if key in exp:
            lines.append("%s %s" % (name, exp[key]))
    return "\n".join(lines)


def main(argv):
    if argv[:1] == ["--caps"]:
        print(caps_from_registers(json.load(open(argv[1]))))
        return 0
    if argv[:1] == ["--idr-caps"]:
        print(idr_caps(json.load(open(argv[1]))))
        return 0
    if argv[:1] == ["--regs"]:
        print(regs_file(json.load(open(argv[1]))))
        return 0
    if argv[:1] == ["--args"]:
        exp = json.load(open(argv[1]))
        pt = argv[3] if argv[2:3] == ["--pasidtool"] else None
        print(decode_args(exp, pt))
        return 0
    if argv[:1] == ["--same-tables"]:
        a, b = (json.load(open(p)) for p in argv[1:3])
        return 0 if a.get("tables") == b.get("tables") and a.get("tables") else 1
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cd_only = argv[:1] == ["--cd-only"]
    if cd_only:
        argv = argv[1:]
    exp = json.load(open(argv[0]))
    docs = []
    for p in argv[1:]:
        try:
            docs.append(json.load(open(p)))
        except (OSError, ValueError) as e:
            print("not ok - %s is pasidtool JSON: %s" % (p, e))
            return 1
    c = compare(exp, docs, cd_only)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
