#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write a gzip-compressed newc cpio archive (an initramfs) without cpio(1)
or root: mkcpio.py OUT.cpio.gz DEST=SRC... where SRC is a file, or
'dir', 'chr:MAJOR:MINOR' or 'sym:TARGET'."""
import gzip
import os
import sys


def entry(out, ino, name, mode, data=b"", rdev=(0, 0)):
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
        len(name_b), 0))
    out.write(hdr.encode() + name_b)
    out.write(b"\0" * (-(110 + len(name_b)) % 4))
    out.write(data)
    out.write(b"\0" * (-len(data) % 4))


def main():
    out_path, specs = sys.argv[1], sys.argv[2:]
    with gzip.open(out_path, "wb", compresslevel=6) as out:
        for ino, spec in enumerate(specs, start=1):
            dest, src = spec.split("=", 1)
            if src == "dir":
                entry(out, ino, dest, 0o040755)
            elif src.startswith("chr:"):
                _, major, minor = src.split(":")
                entry(out, ino, dest, 0o020600, rdev=(int(major), int(minor)))
            elif src.startswith("sym:"):
                entry(out, ino, dest, 0o120777, src[4:].encode())
            else:
                with open(src, "rb") as f:
                    data = f.read()
                mode = 0o100755 if os.access(src, os.X_OK) else 0o100644
                entry(out, ino, dest, mode, data)
        entry(out, 0, "TRAILER!!!", 0)


if __name__ == "__main__":
    main()
