#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Decode a CD table from the memory of a drgn Program, with libpasid.

    drgn_cd_table.py [--core DUMP] BASE SSID_BITS [LAYOUT]

drgn reads physical memory (a vmcore, a QEMU dump-guest-memory ELF, or the
running kernel without --core); libpasid decodes what it read. A two-level
table is read the way the SMMU reads it: its L1 table first, then each leaf
an L1 descriptor that libpasid decodes as valid points at. Prints the L1
descriptors and CDs as pasidtool decode --json prints them, one a line."""
import argparse
import json
import os
import sys

import drgn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pasid  # noqa: E402

CD_SIZE, L1CD_SIZE = 64, 8
# SSID bits a leaf of each layout indexes (IHI 0070 §5.2, STE.S1Fmt: a 4 KiB
# or 64 KiB leaf of 64-byte CDs).
LEAF_BITS = {"2lvl-4k": 6, "2lvl-64k": 10}


def read_table(prog, base, bits, layout):
    """The (address, bytes) pieces of the table the SMMU would read."""
    if layout == "linear":
        return [(base, prog.read(base, CD_SIZE << bits, True))]
    leaf = min(LEAF_BITS[layout], bits)
    root = (base, prog.read(base, L1CD_SIZE << (bits - leaf), True))
    pieces = [root]
    with pasid.Source.from_segments([root], name="l1") as src, \
            src.table("smmuv3-cd", base, bits, layout) as t:
        for d in t.walk(dirs=True):
            if "index" in d and d["fields"]["v"] == 1:
                l2 = int(d["fields"]["l2ptr"], 16)
                if all(l2 != p[0] for p in pieces):
                    pieces.append((l2, prog.read(l2, CD_SIZE << leaf, True)))
    return pieces


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--core", help="a vmcore or ELF core (default: the running kernel)")
    ap.add_argument("base", type=lambda v: int(v, 0))
    ap.add_argument("ssid_bits", type=int)
    ap.add_argument("layout", nargs="?", default="linear")
    a = ap.parse_args()
    prog = drgn.Program()
    if a.core:
        prog.set_core_dump(a.core)
    else:
        prog = drgn.program_from_kernel()
    try:
        pieces = read_table(prog, a.base, a.ssid_bits, a.layout)
        with pasid.Source.from_segments(pieces, name="drgn") as src, \
                src.table("smmuv3-cd", a.base, a.ssid_bits, a.layout) as t:
            for item in t.walk(dirs=True):
                print(json.dumps(item, separators=(",", ":")))
    except (drgn.FaultError, pasid.Error) as e:
        print("drgn_cd_table.py: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
