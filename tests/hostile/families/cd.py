# SPDX-License-Identifier: GPL-2.0-or-later
"""SMMUv3 CD tables (linear, 2-level 4k/64k): the committed samples with
bytes, words and lengths mutated, decoded and validated, text and JSON."""

SEEDS = [  # image, base, arguments (as in testdata/cd/cases)
    ("cd/linear.bin", 0x80000000, ["--ssid-bits", "4"]),
    ("cd/2lvl-4k.bin", 0x40000000, ["--layout", "2lvl-4k", "--ssid-bits", "8"]),
    ("cd/2lvl-64k.bin", 0x100000000, ["--layout", "2lvl-64k", "--ssid-bits", "12",
                                      "--caps", "qemu,asid16=0"]),
]
PER_SEED = 34


def generate(c):
    for img, base, args in SEEDS:
        data = c.testdata(img)
        name = img.split("/")[1][:-4]
        # Addresses inside, at the end of and just past the image, so that
        # mutated L1 descriptors point at the table itself.
        words = [base | 1, base + 0x1000 | 1, base + len(data) | 1, base + len(data) - 8 | 1]
        for i, m in enumerate(c.mutants(data, PER_SEED, words)):
            p = c.file("%s-%d.bin" % (name, i), m)
            cmd = "validate" if i % 2 else "decode"
            extra = ["--json"] if i % 4 < 2 else ["--all"]
            c.case("%s mutant %d %s" % (name, i, cmd),
                   [cmd, p, "--base", hex(base)] + args + extra)
    # The root at each edge of a small image.
    p = c.file("edge.bin", c.testdata("cd/linear.bin"))
    size = len(c.testdata("cd/linear.bin"))
    for root, want in ((0, (0, 1)), (size - 64, (0, 1)), (size - 63, (1,)), (size, (2,))):
        c.case("root at 0x%x of a 0x%x-byte image" % (root, size),
               ["validate", p, "--cd-table", hex(root), "--ssid-bits", "0"], status=want)
