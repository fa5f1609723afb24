# SPDX-License-Identifier: GPL-2.0-or-later
"""Outputs onto what must not be replaced: device nodes (mknod copies, never
the real /dev nodes), FIFOs, symbolic links, the run's own inputs, another
output, and a full filesystem."""
import os

DEVICES = {"null": (1, 3), "zero": (1, 5), "full": (1, 7)}


def generate(c):
    spec = c.file("spec.json", c.testdata("cd/2lvl-4k.json"))
    img = c.file("img.bin", c.testdata("cd/2lvl-4k.bin"))
    req = c.file("req.json", c.testdata("attach/v07.json"))
    dump = c.file("guest.elf", c.testdata("dumps/guest.elf"))
    gargs = ["--strtab", "0x4836d000", "--strtab-cfg", "0x10210"]
    new = c.path("new.bin")
    tmps = [c.path(".*.??????")]
    writers = [  # (what, args with OUT for the output)
        ("build -o", ["build", spec, "-o", "OUT"]),
        ("build --elf -o", ["build", spec, "--elf", "-o", "OUT"]),
        ("build --attach-out", ["build", spec, "-o", new, "--attach-out", "OUT"]),
        ("build --emit-invalidations", ["build", spec, "-o", new, "--emit-invalidations", "OUT"]),
        ("attach build -o", ["attach", "build", req, "-o", "OUT", "--variant", "v07"]),
        ("decode --save-pages", ["decode", dump] + gargs + ["--save-pages", "OUT"]),
    ]

    def each(out, label, **kw):
        for what, args in writers:
            a = [out if x == "OUT" else x for x in args]
            c.case("%s %s" % (what, label), a, outputs=[new], absent=tmps, **kw)

    # Devices: written through, never replaced; a full one is a write error.
    if c.is_root:
        for name, (major, minor) in DEVICES.items():
            p = c.path("dev-" + name)
            os.mknod(p, 0o666 | 0o020000, os.makedev(major, minor))
            if name == "full":
                each(p, "a copy of /dev/full", status=(2,), stderr="No space left on device")
                for cmd in (["formats"], ["rules"], ["decode", dump] + gargs + ["--json"]):
                    c.case("%s > a copy of /dev/full" % cmd[0], cmd, stdout=p, status=(2,),
                           stderr="write error: No space left on device")
            else:
                each(p, "a copy of /dev/" + name, status=(0,))
    else:
        c.skip("outputs onto device nodes", "mknod needs root")
    # FIFOs: written through while the runner reads.
    fifo = c.path("fifo")
    os.mkfifo(fifo)
    each(fifo, "a FIFO", status=(0,), fifo_readers=[fifo])
    # Links to inputs are inputs.
    for target, label in ((spec, "spec"), (img, "image"), (req, "request spec"),
                          (dump, "dump")):
        link = c.path("link-to-" + os.path.basename(target))
        os.symlink(os.path.basename(target), link)
        for what, args in writers:
            if target in args or target == dump and "--save-pages" in args:
                a = [link if x == "OUT" else x for x in args]
                c.case("%s a link to its %s" % (what, label), a, status=(2,),
                       stderr="input", outputs=[new], absent=tmps)
    # The inputs themselves, FILE@ADDR and decoded-from paths included.
    c.case("build -o its spec", ["build", spec, "-o", spec], status=(2,))
    c.case("build --attach-out its spec", ["build", spec, "-o", new, "--attach-out", spec],
           status=(2,), outputs=[new])
    twice = c.path("twice.bin")
    c.case("build --attach-out = -o", ["build", spec, "-o", twice, "--attach-out", twice],
           status=(2,), absent=[twice])
    c.case("build -o - --attach-out -", ["build", spec, "-o", "-", "--attach-out", "-"],
           status=(2,), stdout_empty=True)
    c.case("decode X --save-pages X", ["decode", dump] + gargs + ["--save-pages", dump],
           status=(2,))
    placed = c.text("placed.json", '{"source": {"inputs": ["%s@0x80000000"]}, "tables": '
                    '[{"layout": "linear", "base": "0x80000000", "ssid_bits": 1, '
                    '"entries": []}]}' % img)
    c.case("build -o the FILE of FILE@ADDR in the spec", ["build", placed, "-o", img],
           status=(2,))
    rel = c.text("relative.json", '{"source": {"inputs": ["img.bin"]}, "tables": '
                 '[{"layout": "linear", "base": "0x80000000", "ssid_bits": 1, "entries": []}]}')
    c.case("build -o an image recorded relative to the spec", ["build", rel, "-o", img],
           status=(2,))
    att = c.text("attach-src.json", '{"source": {"path": "%s"}, "requests": '
                 '[{"type": "attach", "domain": 1, "endpoint": 2}]}' % req)
    c.case("attach build -o the file its JSON was decoded from", ["attach", "build", att, "-o",
                                                                   req], status=(2,))
    # A directory, a missing directory, an unwritable place.
    c.case("build -o a directory", ["build", spec, "-o", c.dir], status=(2,),
           stderr="is a directory")
    c.case("build -o in a missing directory", ["build", spec, "-o", c.path("no/such/x.bin")],
           status=(2,))
    # A full filesystem: the old output stays, nothing is left behind.
    full = c.mount_tmpfs("fullfs", 1 << 20)
    if full:
        fill_up(c, full, spec, dump, gargs, writers)


def fill_up(c, full, spec, dump, gargs, writers):
    old = os.path.join(full, "old.bin")
    with open(old, "wb") as f:
        f.write(b"old")
    out = os.path.join(full, "stdout.json")
    open(out, "wb").close()
    # Every byte taken, so that even a small output finds no room.
    fd = os.open(os.path.join(full, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, bytes([0xa5]) * 4096) > 0:
            pass
    except OSError:
        pass
    os.close(fd)
    for what, args in writers:
        a = [old if x == "OUT" else x for x in args]
        c.case("%s onto a full filesystem" % what, a, status=(2,),
               stderr="No space left on device", absent=[os.path.join(full, ".*")],
               outputs=[c.path("new.bin")])
    c.case("decode --json > a full filesystem", ["decode", dump] + gargs + ["--json"],
           stdout=out, status=(2,), stderr="write error: No space left on device")
