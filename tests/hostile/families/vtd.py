# SPDX-License-Identifier: GPL-2.0-or-later
"""Intel VT-d PASID directories and tables, mutated."""

SEEDS = [
    ("vtd/linux.bin", ["--base", "0x10000000", "--ssid-bits", "13"]),
    ("vtd/faults.bin", ["--base", "0x40000000", "--ssid-bits", "14", "--caps", "generic,nd=2"]),
    ("vtd/qemu.bin", ["--base", "0x10000000", "--ssid-bits", "13", "--caps", "qemu"]),
]
PER_SEED = 30


def generate(c):
    for img, args in SEEDS:
        data = c.testdata(img)
        name = img.split("/")[1][:-4]
        base = int(args[1], 16)
        words = [base | 1, base + 0x1000 | 1, base + len(data) | 1]
        for i, m in enumerate(c.mutants(data, PER_SEED, words)):
            p = c.file("%s-%d.bin" % (name, i), m)
            cmd = "validate" if i % 2 else "decode"
            extra = ["--json"] if i % 3 == 0 else []
            c.case("%s mutant %d %s" % (name, i, cmd),
                   [cmd, p, "--format", "vtd-pasid"] + args + extra)
