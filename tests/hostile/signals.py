#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Kill a large build at several points with INT, TERM, HUP and PIPE: the
target must be the old file or the whole new one, and nothing else may be
left in its directory. TAP on stdout.

  signals.py PASIDTOOL WORKDIR"""
import json
import os
import signal
import sys
import time

# Fractions of the time the reference build takes: most of it is reading
# the spec, the write comes last.
POINTS = [0.0, 0.3, 0.6, 0.75, 0.85, 0.9, 0.95, 1.0]
SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE]
n = failed = 0


def check(ok, name, why=""):
    global n, failed
    n += 1
    failed += not ok
    print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
    if not ok and why:
        print("# " + why)


def spawn(argv):
    # Whatever the caller ignores or blocks, the build gets the defaults a
    # terminal would give it (a background job of sh ignores SIGINT).
    return os.posix_spawn(argv[0], argv, os.environ, setsigdef=SIGNALS,
                          setsigmask=[], file_actions=[
                              (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])


def main():
    tool, work = sys.argv[1], sys.argv[2]
    spec = os.path.join(work, "dense.json")
    # A CD in every 4 KiB block of a 64 MiB table: no holes, a long write.
    with open(spec, "w") as f:
        json.dump({"tables": [{"layout": "linear", "base": "0x80000000", "ssid_bits": 20,
                               "entries": [{"ssid": i, "fields": {"asid": 1}}
                                           for i in range(0, 1 << 20, 64)]}]}, f)
    ref = os.path.join(work, "ref.bin")
    took = None
    for _ in range(2):
        t0 = time.monotonic()
        pid = spawn([tool, "build", spec, "-o", ref])
        check(os.waitpid(pid, 0)[1] == 0, "the reference build succeeds")
        took = min(took or 1e9, time.monotonic() - t0)
    with open(ref, "rb") as f:
        want = f.read()
    d = os.path.join(work, "sig")
    os.mkdir(d)
    target = os.path.join(d, "big.bin")
    died = 0
    for point in POINTS:
        for sig in SIGNALS:
            with open(target, "wb") as f:
                f.write(b"old")
            pid = spawn([tool, "build", spec, "-o", target])
            time.sleep(point * took)
            os.kill(pid, sig)
            st = os.waitpid(pid, 0)[1]
            name = "%s at %d%% of a build" % (signal.Signals(sig).name, point * 100)
            with open(target, "rb") as f:
                got = f.read()
            if os.WIFSIGNALED(st):
                died += 1
                check(os.WTERMSIG(st) == sig, name + ": died of it",
                      "signal %d" % os.WTERMSIG(st))
                # A signal after the rename finds the whole new file.
                check(got in (b"old", want), name + ": the old file or the whole new one",
                      "%d bytes" % len(got))
            else:
                check(os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0 and got == want,
                      name + ": finished first with the whole image")
            left = sorted(os.listdir(d))
            check(left == ["big.bin"], name + ": nothing else in the directory", str(left))
    # Kills must land during builds, or the test proves little (the
    # machine's load moves the points).
    check(died >= 2 * len(SIGNALS), "%d of %d builds were killed mid-way" % (
        died, len(POINTS) * len(SIGNALS)))
    print("1..%d" % n)


if __name__ == "__main__":
    main()
