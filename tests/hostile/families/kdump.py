# SPDX-License-Identifier: GPL-2.0-or-later
"""kdump-compressed dumps (makedumpfile's format, written by tests/tools/
mkkdump from the committed guest core): header and sub-header fields at
their edges (block sizes, bitmaps and descriptors past the end), page
descriptors whose payload is larger than a page, outside the file or a
decompression bomb, flattened streams with records that lie, and split dumps
with parts missing, repeated or disagreeing. Offsets: LP64 layout
(docs/kdump.md; the spec notes' section 3, 4 and 6)."""
import os
import struct
import subprocess
import zlib

# struct disk_dump_header (LP64)
HDR = {"header_version": (8, 4), "status": (424, 4), "block_size": (428, 4),
       "sub_hdr_size": (432, 4), "bitmap_blocks": (436, 4), "max_mapnr": (440, 4),
       "nr_cpus": (460, 4)}
# struct kdump_sub_header (LP64), at block_size
SUB = {"phys_base": (0, 8), "dump_level": (8, 4), "split": (12, 4), "start_pfn": (16, 8),
       "end_pfn": (24, 8), "offset_vmcoreinfo": (32, 8), "size_vmcoreinfo": (40, 8),
       "offset_note": (48, 8), "size_note": (56, 8), "offset_eraseinfo": (64, 8),
       "size_eraseinfo": (72, 8), "start_pfn_64": (80, 8), "end_pfn_64": (88, 8),
       "max_mapnr_64": (96, 8)}
PAGE = 4096
DESC = 24


def put(data, at, size, value):
    b = bytearray(data)
    if at + size <= len(b):
        b[at:at + size] = (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little")
    return bytes(b)


def get(data, at, size):
    return int.from_bytes(data[at:at + size], "little")


def edges(size, extra):
    top = (1 << (8 * size)) - 1
    return sorted({0, 1, top, top >> 1, (top >> 1) + 1} | {v & top for v in extra})


def mkkdump(c, args):
    """Run tests/tools/mkkdump of the build that holds PASIDTOOL; None when
    that build has no tools (the cases are then recorded as not run)."""
    tool = os.path.join(os.path.dirname(os.environ.get("PASIDTOOL", "")), "tools", "mkkdump")
    if not os.access(tool, os.X_OK):
        return None
    r = subprocess.run([tool] + args, capture_output=True)
    return r.returncode == 0


def generate(c):
    readme = c.testdata("dumps/README").decode()
    line = [ln for ln in readme.split("\n") if "pasidtool decode testdata/dumps/guest.elf" in ln][0]
    root = line.split("guest.elf", 1)[1].split()
    elf = c.file("guest.elf", c.testdata("dumps/guest.elf"))
    kd = c.path("guest.kd")
    if not mkkdump(c, ["--zero", elf, kd]):
        c.skip("every kdump case", "no tools/mkkdump next to %s (make tools)"
               % os.environ.get("PASIDTOOL", "pasidtool"))
        return
    good = open(kd, "rb").read()
    block = get(good, *HDR["block_size"])
    sub_blocks = get(good, *HDR["sub_hdr_size"])
    bitmap_blocks = get(good, *HDR["bitmap_blocks"])
    data_off = (1 + sub_blocks + bitmap_blocks) * block

    def run(name, data, json=False, status=(0, 1, 2)):
        p = c.file(name.replace(" ", "-").replace("/", "-") + ".kd", data)
        c.case(name, ["validate" if not json else "decode", p] + root
               + (["--json"] if json else []), status=status)

    run("well-formed", good, status=(0, 1))
    n = len(good)
    for f, (at, size) in HDR.items():
        for v in edges(size, [2, 6, 512, 4097, 1 << 16, n // block + 1]):
            run("header %s=0x%x" % (f, v), put(good, at, size, v), json=v % 2 == 1)
    for f, (at, size) in SUB.items():
        for v in edges(size, [n + 1, data_off, 1 << 40]):
            run("sub-header %s=0x%x" % (f, v), put(good, block + at, size, v), json=v % 2 == 1)
    descriptors(c, good, data_off, run)
    for cut in sorted({0, 8, 464, block, block + 104, data_off - 1, data_off, data_off + DESC,
                       n - 1}):
        run("cut at %d" % cut, good[:cut])
    for i, m in enumerate(c.mutants(good[:data_off + 8 * DESC], 24, [block, data_off, n])):
        run("mutant %d" % i, m + good[len(m):] if len(m) == data_off + 8 * DESC else m,
            json=i % 2 == 1)
    flattened(c, elf, root)
    split(c, elf, root)


def descriptors(c, good, data_off, run):
    """The first page descriptors, one field at a time; then a zlib bomb:
    a few KiB that inflate to 64 MiB, named by a descriptor whose size is
    the bomb's and whose flags say zlib."""
    ndesc = min(4, (len(good) - data_off) // DESC)
    n = len(good)
    for i in range(ndesc):
        at = data_off + i * DESC
        for v in (0, n - 1, n, (1 << 64) - 1):
            run("descriptor %d offset=0x%x" % (i, v), put(good, at, 8, v), json=i % 2 == 1)
        for v in (0, 1, PAGE - 1, PAGE + 1, 2 * PAGE, 0xffffffff):
            run("descriptor %d size=0x%x" % (i, v), put(good, at + 8, 4, v))
        for v in (0, 2, 4, 8, 0x20, 0xffffffff):
            run("descriptor %d flags=0x%x" % (i, v), put(good, at + 12, 4, v))
    bomb = zlib_zeros(64)
    for i in range(min(4, ndesc)):
        at = data_off + i * DESC
        b = put(good, at, 8, n)
        b = put(b, at + 8, 4, len(bomb))
        b = put(b, at + 12, 4, 1)
        run("descriptor %d: zlib bomb of 64 MiB in %d bytes" % (i, len(bomb)), b + bomb)
        one_page = zlib.compress(bytes(PAGE + 1))
        b = put(good, at, 8, n)
        b = put(b, at + 8, 4, len(one_page))
        b = put(b, at + 12, 4, 1)
        run("descriptor %d: inflates to a page and a byte" % i, b + one_page)
        junk = bytes(c.rand.randrange(256) for _ in range(64))
        b = put(b, at + 8, 4, len(junk))
        run("descriptor %d: payload that is no zlib stream" % i, b[:n] + junk)


def zlib_zeros(mib):
    """A zlib stream of mib MiB of zeros, made a MiB at a time: the runner's
    RSS (which a spawned child inherits in ru_maxrss) stays small."""
    z, mb = zlib.compressobj(9), bytes(1 << 20)
    return b"".join(z.compress(mb) for _ in range(mib)) + z.flush()


def flat_records(data):
    """(header offset, target offset, size) of each record of a flattened file."""
    out, pos = [], PAGE
    while pos + 16 <= len(data):
        off, size = struct.unpack(">qq", data[pos:pos + 16])
        out.append((pos, off, size))
        if off < 0 or size < 0:
            break
        pos += 16 + size
    return out


def flattened(c, elf, root):
    fp = c.path("guest.mdf")
    if not mkkdump(c, ["--flat", elf, fp]):
        c.skip("flattened kdump cases", "mkkdump --flat failed")
        return
    good = open(fp, "rb").read()

    def run(name, data):
        p = c.file("flat-" + name.replace(" ", "-") + ".mdf", data)
        c.case("flattened: " + name, ["validate", p] + root)

    run("well-formed", good)
    recs = flat_records(good)
    for pos, off, size in recs[:4]:
        for v in (-2, -1, 0, 1 << 40, (1 << 63) - 1):
            run("record at 0x%x offset %d" % (pos, v), good[:pos] + struct.pack(">q", v)
                + good[pos + 8:])
        for v in (-1, 0, size + 1, 1 << 40, (1 << 63) - 1):
            run("record at 0x%x size %d" % (pos, v), good[:pos + 8] + struct.pack(">q", v)
                + good[pos + 16:])
    run("no end marker", good[:-16])
    run("only the header", good[:PAGE])
    run("signature only", good[:16])
    run("type 2", good[:16] + struct.pack(">qq", 2, 1) + good[32:])
    if recs:
        pos, off, size = recs[0]
        dup = good[PAGE:pos + 16 + size]
        run("the first record 1000 times", good[:PAGE] + dup * 1000 + good[PAGE:])


def split(c, elf, root):
    parts = [c.path("part%d.kd" % i) for i in range(3)]
    if not mkkdump(c, [elf] + parts):
        c.skip("split kdump cases", "mkkdump with three outputs failed")
        return
    data = [open(p, "rb").read() for p in parts]
    p0, p1, p2 = parts
    c.case("split: every part", ["validate", p0, p1, p2] + root, status=(0, 1))
    c.case("split: a part missing", ["validate", p0, p2] + root)
    c.case("split: one part twice", ["validate", p0, p1, p1, p2] + root)
    c.case("split: out of order", ["validate", p2, p0, p1] + root, status=(0, 1))
    c.case("split: one part alone", ["validate", p1] + root)
    block = get(data[0], *HDR["block_size"])
    for f in ("start_pfn_64", "end_pfn_64", "split", "max_mapnr_64"):
        at, size = SUB[f]
        for v in (0, 1, get(data[1], block + at, size) + 1, (1 << 64) - 1):
            q = c.file("part1-%s-%x.kd" % (f, v), put(data[1], block + at, size, v))
            c.case("split: part 1 with %s=0x%x" % (f, v), ["validate", p0, q, p2] + root)
    other = c.file("part1-other-block.kd", put(data[1], HDR["block_size"][0], 4, 2 * block))
    c.case("split: parts that disagree on the page size", ["validate", p0, other, p2] + root)
