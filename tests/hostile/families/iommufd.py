# SPDX-License-Identifier: GPL-2.0-or-later
"""iommufd records (vSTEs, hw_info): files that are not a whole number of
records, mutants of the committed samples, vSTEs whose CD tables are huge,
outside the dump or over the vSTE memory, --hex with the wrong number of
words, nest with stage-2 STEs at every edge, and build specs that are not
what build expects; outputs only ever where the case says."""
import json
import struct

DUMP = 0x80000000


def vste(w0, w1=0):
    return struct.pack("<QQ", w0 & ((1 << 64) - 1), w1 & ((1 << 64) - 1))


def generate(c):
    samples = {"vste": c.testdata("iommufd/vste.bin"), "hw-info": c.testdata("iommufd/hw-info.bin")}
    size = {"vste": 16, "hw-info": 40}
    dump = "%s@0x%x" % (c.file("linear.bin", c.testdata("cd/linear.bin")), DUMP)
    zero = "%s@0x%x" % (c.file("zero.bin", bytes(1 << 16)), DUMP)
    for t, data in samples.items():
        for cut in sorted({0, 1, size[t] - 1, size[t] + 1, len(data) - 1}):
            p = c.file("%s-cut-%d.bin" % (t, cut), data[:cut])
            for sub in ("decode", "validate"):
                c.case("%s %s cut to %d bytes" % (sub, t, cut), ["iommufd", sub, p, "--type", t],
                       status=(0,) if cut == 0 else (2,), stderr=None if cut == 0 else r"TRUNCATED")
                c.case("%s %s cut to %d bytes, JSON" % (sub, t, cut),
                       ["iommufd", sub, p, "--type", t, "--json"],
                       status=(0,) if cut == 0 else (2,), stderr=None if cut == 0 else r"TRUNCATED")
        for i, m in enumerate(c.mutants(data, 30, [DUMP, DUMP | 0xb, 1 << 63])):
            p = c.file("%s-mutant-%d.bin" % (t, i), m)
            args = ["iommufd", "decode", p, "--type", t] + (["--json"] if i % 3 == 0 else [])
            if t == "vste" and i % 4 == 1:
                args += ["--dump", dump]
            c.case("%s decode mutant %d" % (t, i), args)
        c.case("%s read as the other type" % t,
               ["iommufd", "decode", c.file("%s-as-other.bin" % t, data),
                "--type", "hw-info" if t == "vste" else "vste"])
    # vSTEs whose stage-1 CD tables are the largest there are, outside the
    # dump, at its last byte, or over zero memory: bounded walks.
    s1 = 1 | (5 << 1)
    tables = {
        "2^31 CDs over zero memory": vste(s1 | DUMP | (31 << 59), 2),
        "2lvl table outside the dump": vste(s1 | (1 << 4) | 0x7000000000 | (20 << 59), 2),
        "CD table at the dump's last byte": vste(s1 | (DUMP + (1 << 16) - 64) | (1 << 59), 2),
        "CD pointer past 52 bits": vste(s1 | ((1 << 56) - 64), 2),
        "every reserved Config": b"".join(vste(1 | (k << 1)) for k in range(8)),
    }
    for name, rec in tables.items():
        p = c.file("vste-%s.bin" % name.replace(" ", "-").replace("^", ""), rec * 64)
        c.case("vste: %s" % name, ["iommufd", "validate", p, "--type", "vste", "--dump", zero])
        c.case("vste: %s, JSON" % name, ["iommufd", "validate", p, "--type", "vste",
                                         "--dump", dump, "--json"])
    for hexw in ("", "0x1", "0x1,0x2,0x3", "0x8000000b,0x100000d6,0", "x,0",
                 "0x10000000000000000,0", ",", "0x1,,0x2"):
        c.case("--hex '%s'" % hexw, ["iommufd", "decode", "--type", "vste", "--hex", hexw])
    s2 = "0xd,0x100000000000,0x044d359000000001,0x43210000"
    v = c.file("vste.bin", samples["vste"])
    for s2w in (s2, "0", "0xd", s2 + ",0,0,0,0", s2 + ",0,0,0,0,0", "0xffffffffffffffff," * 7
                + "0xffffffffffffffff", "0x1,0,0,0", "zz"):
        c.case("nest --s2-ste '%s'" % s2w[:40], ["iommufd", "nest", "--vste", v, "--s2-ste", s2w])
    out = c.path("nested.bin")
    c.case("nest -o onto the vSTE file", ["iommufd", "nest", "--vste", v, "--s2-ste", s2,
                                          "-o", v], status=(2,), stderr=r".")
    c.case("nest -o a new file", ["iommufd", "nest", "--vste", v, "--s2-ste", s2, "-o", out],
           outputs=[out])
    spec_cases(c)


def spec_cases(c):
    for t in ("vste", "hw-info"):
        good = json.loads(c.testdata("iommufd/%s.json" % t))
        recs = good["records"]
        broken = {
            "not JSON": "{",
            "records not a list": json.dumps({"records": 5}),
            "a record not an object": json.dumps({"records": [1]}),
            "unknown field": json.dumps({"records": [dict(recs[0], nosuch=1)]}),
            "value too wide": json.dumps({"records": [{k: (1 << 64) for k in recs[0]}]}),
            "negative value": json.dumps({"records": [{k: -1 for k in recs[0]}]}),
            "enum name unknown": json.dumps({"records": [{k: "nosuch" for k in recs[0]}]}),
            "10000 records": json.dumps({"records": [recs[0]] * 10000}),
            "deep nesting": "[" * 100000 + "]" * 100000,
        }
        for name, text in broken.items():
            p = c.text("%s-spec-%s.json" % (t, name.replace(" ", "-")), text)
            o = c.path("%s-out-%s.bin" % (t, name.replace(" ", "-")))
            c.case("%s build: %s" % (t, name), ["iommufd", "build", p, "--type", t, "-o", o],
                   outputs=[o])
