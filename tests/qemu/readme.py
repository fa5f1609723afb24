#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""readme.py OUT EXPECTED.json DECODE_ARGS: write testdata/dumps/README for
the boot EXPECTED.json describes (tests/qemu/run.sh --update)."""
import json
import sys


def main():
    out, exp_path, args = sys.argv[1], sys.argv[2], sys.argv[3]
    e = json.load(open(exp_path))
    m = e["meta"]
    stes = "\n".join("  sid %d: STE %s, S1ContextPtr %s" % (s["sid"], s["address"], s["s1contextptr"])
                     for s in e["stes"])
    cds = "\n".join("  sid %d: CD %s, ASID %d, TTB0 %s" % (c["sid"], c["address"], c["asid"], c["ttb0"])
                    for c in e["cds"] if "asid" in c)
    text = f"""A real guest's SMMUv3 tables, cut from a QEMU memory dump.

guest.elf      the pages of a dump-guest-memory ELF (QEMU {m['qemu']}) of a
               Debian 12 arm64 guest (kernel {m['kernel']}) under
               qemu-system-aarch64 -M {m['machine']}.
               DMA devices: {m['dma_devices']}.
               Cut with `pasidtool validate ... --page-tables --save-pages`
               from the {m['full_dump_bytes']}-byte dump down to the pages the
               decode below reads (L1 stream table, level-2 STE tables, CDs)
               and the page tables of every CD, so translate and maps work.
guest.kdump    the same pages as a kdump-compressed vmcore (zlib), for the
               README's example: build/rel/tools/mkkdump --method zlib
               testdata/dumps/guest.elf testdata/dumps/guest.kdump
regs.txt       the SMMU register values QEMU's trace recorded in that boot
               (python3 tests/qemu/compare.py --regs expected.json), for
               `validate --regs`.
expected.json  what QEMU itself reported during that boot: its SMMUv3 trace
               events (STRTAB_BASE/STRTAB_BASE_CFG writes, find_ste, get_ste,
               get_cd, decode_cd, decode_cd_tt, IOTLB ASIDs) and the raw
               dwords read with its `xp` monitor command just before the dump.

Decode command (make demo and tests/cli/qemu-dump.t run exactly this line):

    pasidtool decode testdata/dumps/guest.elf {args}

STRTAB_BASE {e['strtab_base']} (RA set), STRTAB_BASE_CFG {e['strtab_base_cfg']}
(2-level, SPLIT {e['strtab']['split']}, LOG2SIZE {e['strtab']['log2size']}).
StreamIDs QEMU translated for:
{stes}
{cds}

Regenerate these files together (addresses change from boot to boot)
with `make update-qemu-dump`; see docs/qemu-guest.md. Do not edit by hand.
"""
    with open(out, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
