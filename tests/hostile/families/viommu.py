# SPDX-License-Identifier: GPL-2.0-or-later
"""virtio-iommu request streams in every layout variant, mutated, decoded
and validated (with and without the table dump they describe)."""

SEEDS = [("rfc1-stream", "rfc1"), ("rfc1-faults", "rfc1"), ("rfc1-dump", "rfc1"),
         ("v07", "v07"), ("v09d", "v09d"), ("intel", "intel"), ("qcom", "qcom")]
PER_SEED = 14


def generate(c):
    cd = c.file("cd.bin", c.testdata("cd/2lvl-4k.bin"))
    for name, variant in SEEDS:
        data = c.testdata("attach/%s.bin" % name)
        for i, m in enumerate(c.mutants(data, PER_SEED, [0x40000000, 0x40001000])):
            p = c.file("%s-%d.bin" % (name, i), m)
            sub = "validate" if i % 2 else "decode"
            extra = ["--json"] if i % 3 == 0 else []
            if sub == "validate" and i % 4 == 1:
                extra += ["--dump", "%s@0x40000000" % cd]
            c.case("%s mutant %d %s" % (name, i, sub),
                   ["attach", sub, p, "--variant", variant] + extra)
    # Streams of one repeated byte, at sizes around a request header.
    for b in (0x00, 0x01, 0xff):
        for n in (0, 1, 3, 4, 5, 8, 64, 4096):
            p = c.file("fill-%02x-%d.bin" % (b, n), bytes([b]) * n)
            c.case("%d bytes of 0x%02x" % (n, b), ["attach", "validate", p, "--json"])
