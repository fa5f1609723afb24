#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vmcore-wrap.py IN.elf OUT.elf: the PT_LOAD memory of an ELF64 little-endian
core re-wrapped as makedumpfile accepts it. Debian's makedumpfile 1.7.2
refuses QEMU 7.2's aarch64 dump-guest-memory cores ("Can't get the number of
PT_LOAD"); it takes an x86_64 ET_CORE with one PT_NOTE (a "CORE" NT_PRSTATUS)
and PT_LOADs whose p_vaddr is a kernel direct-map address
(../shared/spec/kdump-compressed.md section 11). Physical addresses and bytes
are kept, so a kdump made from OUT decodes like IN."""
import struct
import sys

DIRECT_MAP = 0xFFFF888000000000


def loads(core):
    phoff, = struct.unpack_from('<Q', core, 32)
    phentsize, phnum = struct.unpack_from('<HH', core, 54)
    for i in range(phnum):
        p_type, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from(
            '<IIQQQQQQ', core, phoff + i * phentsize)
        if p_type == 1:
            yield paddr, core[off:off + filesz], memsz


def main(src, dst):
    segs = list(loads(open(src, 'rb').read()))
    note = struct.pack('<III', 5, 336, 1) + b'CORE\0\0\0\0' + bytes(336)
    n = 1 + len(segs)
    hdr = bytearray(64 + 56 * n)
    struct.pack_into('<16sHHIQQQIHHHHHH', hdr, 0, b'\x7fELF\x02\x01\x01' + bytes(9),
                     4, 62, 1, 0, 64, 0, 0, 64, 56, n, 0, 0, 0)
    struct.pack_into('<IIQQQQQQ', hdr, 64, 4, 0, len(hdr), 0, 0, len(note), 0, 4)
    body = bytearray(note)
    pos = (len(hdr) + len(body) + 4095) & ~4095
    body += bytes(pos - len(hdr) - len(body))
    for i, (paddr, data, memsz) in enumerate(segs):
        struct.pack_into('<IIQQQQQQ', hdr, 64 + 56 * (i + 1), 1, 7, pos,
                         DIRECT_MAP + paddr, paddr, len(data), memsz, 4096)
        body += data
        pos += len(data)
    with open(dst, 'wb') as f:
        f.write(bytes(hdr) + bytes(body))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
