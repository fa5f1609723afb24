# SPDX-License-Identifier: GPL-2.0-or-later
"""SMMUv3 stream tables (linear and 2-level) with STEs and L1 descriptors
mutated to point into, over and past the image."""

SEEDS = [
    ("strtab/two-level.bin", 0x80000000, "0x10210", []),
    ("strtab/linear.bin", 0x90000000, "4", ["--caps", "generic,stall-model=1,cd2l=0"]),
]
PER_SEED = 45
CFGS = ["0", "1", "0x10006", "0x10208", "0x1020a", "0x20", "0x3f", "0x10000"]


def generate(c):
    for img, base, cfg, args in SEEDS:
        data = c.testdata(img)
        name = img.split("/")[1][:-4]
        words = [base | 1, base + 0x40 | 1, base + len(data) | 1, (base + 0x1000) | 0x9,
                 base | 0x5, 0x0000000100000000]
        for i, m in enumerate(c.mutants(data, PER_SEED, words)):
            p = c.file("%s-%d.bin" % (name, i), m)
            cmd = "validate" if i % 2 else "decode"
            extra = ["--json"] if i % 3 == 0 else []
            c.case("%s mutant %d %s" % (name, i, cmd),
                   [cmd, "%s@%s" % (p, hex(base)), "--strtab", hex(base), "--strtab-cfg", cfg]
                   + args + extra)
        # Every STRTAB_BASE_CFG shape on the unchanged image.
        p = c.file("%s.bin" % name, data)
        for k in CFGS:
            c.case("%s with --strtab-cfg %s" % (name, k),
                   ["validate", "%s@%s" % (p, hex(base)), "--strtab", hex(base),
                    "--strtab-cfg", k] + args)
