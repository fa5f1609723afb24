# SPDX-License-Identifier: GPL-2.0-or-later
"""scan on inputs built to make it slow or greedy: every word a plausible
directory descriptor, every slot a clean CD or a valid STE, STEs that name
more CD tables than the candidate cap, tens of thousands of STE pages from a
small ELF core, and sparse cores that claim terabytes. Each must end within
the runner's limits with scan's documented status: 0 a candidate, 1 none,
2 an input it cannot read. The entries are Linux's own (the bundled guest's
CD and STE words, as decode prints them)."""
import struct

PAGE = 4096
MIB = 1 << 20
# A clean stage-1 CD of the bundled guest (ASID 1) without its TTB0.
CD_W0, CD_W3 = 0x1e204c0003510, 0xfffffffff404ff44
# A valid STE, Config S1 translate, as Linux writes it (DW1 0xd6).
STE_W0_FLAGS, STE_W1 = 0xb, 0xd6


def cd(ttb0, asid=1):
    w0 = (CD_W0 & ~(0xffff << 48)) | (asid << 48)
    return struct.pack("<8Q", w0, ttb0, 0, CD_W3, 0, 0, 0, 0)


def ste(ctxptr):
    return struct.pack("<8Q", (ctxptr & ~0x3f) | STE_W0_FLAGS, STE_W1, 0, 0, 0, 0, 0, 0)


def table_page(target):
    """A page-table page: 512 valid table descriptors at target."""
    return struct.pack("<Q", target | 3) * (PAGE // 8)


def elf_core(segments, data):
    """An ELF64 core whose PT_LOAD segments (paddr, offset, filesz, memsz)
    point into data, which follows the program headers."""
    n = len(segments)
    off = 64 + 56 * n
    e = bytearray(b"\x7fELF" + bytes([2, 1, 1]) + bytes(9))
    e += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, n, 0, 0, 0)
    for paddr, doff, filesz, memsz in segments:
        e += struct.pack("<IIQQQQQQ", 1, 6, off + doff, paddr, paddr, filesz, memsz, PAGE)
    return bytes(e) + data


def generate(c):
    scan = lambda name, path, *extra, status=(0, 1): c.case(  # noqa: E731
        name, ["scan", path] + list(extra), status=status)
    base = 0x40000000
    # 1 MiB, every slot a clean CD whose TTB0 is a page of the image.
    cds = b"".join(cd(base + (i % 256) * PAGE, asid=i % 65536) for i in range(MIB // 64))
    p = c.file("all-cds.bin", cds)
    scan("1 MiB of clean CDs, every slot", p + "@0x40000000")
    scan("1 MiB of clean CDs, JSON", p + "@0x40000000", "--json")
    # Half CD pages, half L1 CD descriptors naming them: every word plausible.
    half = MIB // 2
    l1cd = b"".join(struct.pack("<Q", (base + (i % (half // PAGE)) * PAGE) | 1)
                    for i in range(half // 8))
    p = c.file("l1cd-over-cds.bin", cds[:half] + l1cd)
    scan("512 KiB of L1 CD descriptors naming 512 KiB of CDs", p + "@0x40000000")
    # STE pages whose S1ContextPtr names the CD pages, under L1 stream-table
    # descriptors (Span 8, SPLIT 7's leaf of 128 STEs, 8 KiB aligned).
    quarter = MIB // 4
    stes = b"".join(ste(base + (i % (quarter // 64)) * 64) for i in range(quarter // 64))
    l1std = b"".join(struct.pack("<Q", (base + quarter + (i % (quarter // 8192)) * 8192) | 8)
                     for i in range(half // 8))
    p = c.file("l1std-over-stes.bin", cds[:quarter] + stes + l1std)
    scan("L1 stream-table descriptors over pages of STEs over CDs", p + "@0x40000000")
    scan("the same, JSON", p + "@0x40000000", "--json", "--kind", "smmuv3-strtab")
    # Every word a page-table descriptor, every slot a VT-d-like entry.
    p = c.file("table-words.bin", b"".join(table_page(base + i * PAGE) for i in range(256)))
    scan("1 MiB of page-table descriptors", p + "@0x40000000")
    # 16384 S1 STEs, each naming its own CD table: far more candidates than
    # the cap (1024); the best are kept and the rest counted.
    stes = b"".join(ste(base + MIB + i * 64) for i in range(MIB // 64))
    p = c.file("stes-distinct-cds.bin", stes + cds)
    scan("16384 STEs naming 16384 CD tables", p + "@0x40000000")
    scan("16384 STEs naming 16384 CD tables, JSON", p + "@0x40000000", "--json")
    # One page of STEs seen at 10000 addresses (the file holds it once).
    page = b"".join(ste(0x1000000000 + i * 64) for i in range(PAGE // 64))
    segs = [(base + i * 2 * PAGE, 0, PAGE, PAGE) for i in range(10000)]
    p = c.file("stes-10000-pages.elf", elf_core(segs, page))
    scan("10000 pages of STEs from a 600 KiB ELF core", p)
    segs = [(base + i * PAGE, 0, PAGE, PAGE) for i in range(10000)]
    p = c.file("stes-10000-contiguous.elf", elf_core(segs, page))
    scan("10000 contiguous pages of STEs from a 600 KiB ELF core", p)
    # Sparse cores: terabytes of zero-filled memory around a page of CDs.
    segs = [(0, 0, 0, 1 << 40), (1 << 40, 0, PAGE, PAGE), ((1 << 40) + PAGE, 0, 0, 1 << 44)]
    p = c.file("sparse-2e44.elf", elf_core(segs, cds[:PAGE]))
    scan("a page of CDs between 2^40 and 2^44 bytes of zero fill", p)
    segs = [(i << 36, 0, PAGE if i % 2 else 0, 1 << 36) for i in range(4096)]
    p = c.file("sparse-4096-segments.elf", elf_core(segs, cds[:PAGE]))
    scan("4096 segments of 2^36 bytes, every other one a page of CDs", p)
    segs = [((1 << 64) - PAGE, 0, PAGE, PAGE)]
    p = c.file("top-page.elf", elf_core(segs, cds[:PAGE]))
    scan("a page of CDs in the last page of the address space", p)
    # The budget: a scan that stops says so and still exits 0 or 1.
    p = c.file("all-cds-budget.bin", cds)
    c.case("--max-entries 3 stops the scan", ["scan", p, "--max-entries", "3"], status=(0, 1),
           stderr="budget stopped the scan")
    c.case("--max-entries of 2^64-1", ["scan", p, "--max-entries", str((1 << 64) - 1)],
           status=(0, 1))
    c.case("--min-score 101", ["scan", p, "--min-score", "101"], status=(2,))
    c.case("an empty file", ["scan", c.file("empty.bin", b"")], status=(2,))
