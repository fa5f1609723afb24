# SPDX-License-Identifier: GPL-2.0-or-later
"""ELF cores: a small core holding a CD table, with every header field set
to the values around its limits, truncated at every header boundary, and
mutated at random; plus the zero-filled memory of p_memsz beyond p_filesz."""
import struct

BASE = 0x80000000
EHDR, PHDR = 64, 56
# Ehdr: (offset, size) of the fields worth breaking.
EHDR_FIELDS = {"e_ident_class": (4, 1), "e_ident_data": (5, 1), "e_ident_version": (6, 1),
               "e_type": (16, 2), "e_machine": (18, 2), "e_phoff": (32, 8),
               "e_ehsize": (52, 2), "e_phentsize": (54, 2), "e_phnum": (56, 2)}
PHDR_FIELDS = {"p_type": (0, 4), "p_offset": (8, 8), "p_paddr": (24, 8), "p_filesz": (32, 8),
               "p_memsz": (40, 8)}


def core(payload, nload=1, memsz=None):
    """An ELF64 LE ET_CORE with nload PT_LOADs of payload at BASE, BASE+len..."""
    phoff, dataoff = EHDR, EHDR + PHDR * nload
    e = bytearray(b"\x7fELF" + bytes([2, 1, 1]) + bytes(9))
    e += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, phoff, 0, 0, EHDR, PHDR, nload, 0, 0, 0)
    for i in range(nload):
        off = dataoff + i * len(payload)
        paddr = BASE + i * len(payload)
        e += struct.pack("<IIQQQQQQ", 1, 7, off, paddr, paddr, len(payload),
                         memsz if memsz is not None else len(payload), 0x1000)
    return bytes(e) + payload * nload


def put(data, at, size, value):
    b = bytearray(data)
    b[at:at + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    return bytes(b)


def edges(size, extra):
    top = (1 << (8 * size)) - 1
    return sorted({0, 1, top, top >> 1, (top >> 1) + 1} | {v & top for v in extra})


def generate(c):
    table = c.testdata("cd/linear.bin")
    good = core(table)
    val = ["validate", None, "--cd-table", hex(BASE), "--ssid-bits", "4"]
    dec = ["decode", None, "--cd-table", hex(BASE), "--ssid-bits", "4", "--json"]

    def run(name, data, args=val, status=(0, 1, 2)):
        p = c.file(name + ".elf", data)
        a = list(args)
        a[1] = p
        c.case(name, a, status=status)

    run("well-formed", good, status=(0, 1))
    n = len(good)
    for f, (at, size) in EHDR_FIELDS.items():
        for v in edges(size, [2, 8, 55, 56, 57, 64, 65, n, n - 1, n + 1]):
            run("%s=0x%x" % (f, v), put(good, at, size, v))
    for f, (at, size) in PHDR_FIELDS.items():
        for v in edges(size, [len(table), len(table) + 1, n, n + 1, 1 << 40, BASE,
                              (1 << 64) - len(table)]):
            run("%s=0x%x" % (f, v), put(good, EHDR + at, size, v),
                args=dec if v % 2 else val)
    for cut in range(0, EHDR + PHDR + 9, 8):
        run("cut at %d" % cut, good[:cut])
    for i, m in enumerate(c.mutants(good, 40, [BASE, BASE | 1, n, 1 << 40])):
        run("mutant %d" % i, m, args=dec if i % 2 else val)
    # Many segments, all naming the same memory.
    run("64 loads", core(table, nload=64), status=(0, 1, 2))
    # Memory the core says is zero without holding it (bounded by the walk).
    run("p_memsz beyond p_filesz", core(table, memsz=len(table) + 0x100000), status=(0, 1))
