# SPDX-License-Identifier: GPL-2.0-or-later
"""Page tables for translate and maps: a stream table whose StreamIDs reach
stage-1 tables that loop back on themselves or a level up, lie outside the
dump or over the stream table, map the whole 48-bit space with blocks, or
share one table at every level (2^36 pages from 16 KiB); plus random
mutants of the image. Every walk must end within the limit."""
import struct

BASE = 0x90000000
SIZE = 0x20000
NSID = 16
OUTSIDE = 0x7000000000          # far beyond the image
TABLE, BLOCK, PAGE = 3, 1, 3
AF = 1 << 10


def ste_s1(cd):
    """V, Config = stage 1 translate with stage 2 bypass, one CD at cd."""
    return struct.pack("<Q", 1 | (5 << 1) | (cd & ((1 << 52) - 1) & ~0x3f)) + bytes(56)


def cd(ttb0, t0sz=16):
    """V, AA64, 4K granule TTB0 walks with T0SZ, EPD1, IPS 48 bits."""
    w0 = t0sz | (1 << 30) | (1 << 31) | (5 << 32) | (1 << 41) | (1 << 48)
    w1 = ttb0 & ((1 << 52) - 1) & ~0xf
    return struct.pack("<QQ", w0, w1) + bytes(48)


def table(entries):
    b = bytearray(4096)
    for i, v in entries.items():
        b[i * 8:i * 8 + 8] = struct.pack("<Q", v & ((1 << 64) - 1))
    return b


def image():
    """Stream table at BASE (16 STEs), CDs at +0x1000, tables from +0x2000."""
    img = bytearray(SIZE)
    t = [BASE + 0x2000 + i * 0x1000 for i in range(30)]
    roots = [
        t[0],                       # 0: L0[0] is L0 itself
        t[1],                       # 1: L0[0] names an L1 outside the dump
        t[2],                       # 2: L1 of 512 1-GiB blocks
        t[4],                       # 3: one table at every level: 2^36 pages
        OUTSIDE,                    # 4: TTB0 outside the dump
        BASE,                       # 5: TTB0 over the stream table
        t[8],                       # 6: a table address past the output size
        t[9],                       # 7: L0 -> L1 -> L0: a loop across levels
        t[11],                      # 8: every L0 entry at the same L1 of blocks
        t[12],                      # 9: L3 page whose output is past 2^48
        BASE + SIZE - 8,            # 10: TTB0 at the last 8 bytes of the image
        t[0] | 0xff0,               # 11: TTB0 with low bits set
    ]
    for sid in range(NSID):
        root = roots[sid] if sid < len(roots) else t[0]
        img[sid * 64:sid * 64 + 64] = ste_s1(BASE + 0x1000 + sid * 64)
        img[0x1000 + sid * 64:0x1000 + sid * 64 + 64] = cd(root)

    def put(n, entries):
        off = t[n] - BASE
        img[off:off + 4096] = table(entries)

    put(0, {0: t[0] | TABLE})
    put(1, {0: OUTSIDE | TABLE, 1: t[1] | TABLE})
    put(2, {0: t[3] | TABLE})
    put(3, {i: (i << 30) | AF | BLOCK for i in range(512)})
    put(4, {i: t[5] | TABLE for i in range(512)})
    put(5, {i: t[6] | TABLE for i in range(512)})
    put(6, {i: t[7] | TABLE for i in range(512)})
    put(7, {i: (0x40000000 + (i << 12)) | AF | PAGE for i in range(512)})
    put(8, {0: (1 << 52) - 4096 | TABLE})
    put(9, {0: t[10] | TABLE})
    put(10, {0: t[9] | TABLE, 1: t[10] | TABLE})
    put(11, {i: t[3] | TABLE for i in range(512)})
    put(12, {0: t[13] | TABLE})
    put(13, {0: t[14] | TABLE})
    put(14, {0: t[15] | TABLE})
    put(15, {i: ((1 << 48) - 4096 - (i << 12)) | AF | PAGE for i in range(512)})
    return bytes(img)


def generate(c):
    img = image()
    p = c.file("regimes.bin", img)
    at = "%s@0x%x" % (p, BASE)
    root = ["--strtab", hex(BASE), "--strtab-cfg", "4"]
    iovas = ["0x0", "0x1000", "0x40000000", "0x7fffffffffff", "0x800000000000",
             "0xffffffffffffffff"]
    # SID 3 names one table at every level (2^36 pages): the default budget
    # (2^23 descriptors) stops it; --all-sids walks it and SIDs 8 and 11.
    shared = ["--max-entries", "100000"]
    for sid in range(NSID):
        c.case("translate sid %d" % sid, ["translate", at] + root + ["--sid", str(sid)] + iovas)
        c.case("translate sid %d, write, JSON" % sid,
               ["translate", at] + root + ["--sid", str(sid), "--access", "w", "--json",
                                           "0x1000", "0x7ffffffff000"])
        c.case("maps sid %d" % sid, ["maps", at] + root + ["--sid", str(sid)])
        c.case("maps sid %d, JSON" % sid, ["maps", at] + root + ["--sid", str(sid), "--json"])
    c.case("maps --all-sids --max-entries 100000", ["maps", at] + root + ["--all-sids"] + shared)
    c.case("maps --all-sids", ["maps", at] + root + ["--all-sids"])
    c.case("maps --all-sids --max-entries 1", ["maps", at] + root + ["--all-sids",
                                                                     "--max-entries", "1"])
    c.case("translate a bare CD table", ["translate", at, "--cd-table", hex(BASE + 0x1000),
                                         "--ssid-bits", "4", "--ssid", "3", "0x1000"])
    c.case("maps from --ste at the image's last byte",
           ["maps", at, "--ste", hex(BASE + SIZE - 1)], status=(1,), stderr=r"not in the input")
    c.case("translate: an IOVA that is no number", ["translate", at] + root
           + ["--sid", "0", "0x"], status=(2,), stderr=r"not a number")
    for i, m in enumerate(c.mutants(img, 48, [BASE | 3, BASE + 0x2000 | 3, OUTSIDE | 3,
                                            (1 << 48) - 1, 0x40000000 | AF | 1])):
        mp = c.file("mutant-%d.bin" % i, m)
        sid = str(i % 12 if i % 12 != 3 else 2)
        cmd = "maps" if i % 2 else "translate"
        args = [cmd, "%s@0x%x" % (mp, BASE)] + root + ["--sid", sid]
        c.case("%s mutant %d" % (cmd, i), args + ([] if i % 2 else iovas[:4]))
