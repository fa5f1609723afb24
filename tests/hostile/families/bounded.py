# SPDX-License-Identifier: GPL-2.0-or-later
"""Work bounded by the input (issue 10 item 4): inputs of a few KiB that
claim huge zero-filled memory, point many STEs or L1 descriptors at the same
huge tables, or lay CD tables over the stream table must end as fast as any
other (make bench holds them to 1 s; here the 10 s limit catches a return
of the minutes they once took)."""
import struct

STE_S1 = 1 | (5 << 1)          # V, Config = S1 translate, S2 bypass


def memsz_core(memsz):
    e = bytearray(b"\x7fELF" + bytes([2, 1, 1]) + bytes(9))
    e += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    e += struct.pack("<IIQQQQQQ", 1, 7, 120, 0, 0, 0, memsz, 0x1000)
    return bytes(e)


def stes(n, ctxptr, cdmax, fmt=0):
    """n linear STEs, every one at the same CD table of 2^cdmax entries."""
    w0 = STE_S1 | (fmt << 4) | (ctxptr & ~0x3f & ((1 << 52) - 1)) | (cdmax << 59)
    return (struct.pack("<Q", w0) + bytes(56)) * n


def l1_to_one_leaf(n, leaf):
    """n valid L1 CD descriptors (V=1) all naming the leaf at `leaf`."""
    return struct.pack("<Q", leaf | 1) * n


def generate(c):
    core = c.file("memsz-2e40.elf", memsz_core(1 << 40))
    c.case("p_memsz 2^40 and p_filesz 0 under a stream table",
           ["decode", core, "--strtab", "0", "--strtab-cfg", "32"])
    c.case("p_memsz 2^40 and p_filesz 0 under a CD table",
           ["validate", core, "--cd-table", "0", "--ssid-bits", "20", "--json"])
    for n in (256, 4096):
        img = c.file("stes-%d.bin" % n, stes(n, 0, 20))
        log2 = str(n.bit_length() - 1)
        c.case("%d STEs at one 2^20-entry CD table over the stream table" % n,
               ["validate", img, "--strtab", "0", "--strtab-cfg", log2])
        c.case("%d STEs at one 2^20-entry CD table, JSON" % n,
               ["decode", img, "--strtab", "0", "--strtab-cfg", log2, "--json", "--all"])
        far = c.file("stes-far-%d.bin" % n, stes(n, 0x100000000, 20))
        c.case("%d STEs at a 2^20-entry CD table outside the input" % n,
               ["validate", far, "--strtab", "0", "--strtab-cfg", log2])
    # 4096 L1 descriptors (2lvl-4k: 64 CDs a leaf) naming one leaf after them.
    leaf = 4096 * 8
    img = c.file("l1-one-leaf.bin", l1_to_one_leaf(4096, leaf) + bytes(4096))
    c.case("4096 L1 descriptors naming one leaf",
           ["validate", img, "--layout", "2lvl-4k", "--ssid-bits", "18", "--json"])
    # ATTACH_TABLE requests over a zero dump.
    reqs = c.testdata("attach/rfc1-dump.bin")
    reqs = (reqs * (8192 // max(len(reqs), 1) + 1))[:8192]
    zero = c.file("zero.bin", bytes(1 << 20))
    req = c.file("attach-8k.bin", reqs)
    c.case("8 KiB of requests over a zero dump",
           ["attach", "validate", req, "--dump", "%s@0x40000000" % zero])
