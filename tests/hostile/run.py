#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the hostile-input corpus (generate.py) against a pasidtool binary.

  run.py --tap PASIDTOOL WORKDIR [FAMILY...]    TAP, one line per case (make check)
  run.py --bench PASIDTOOL WORKDIR [FAMILY...]  time and peak RSS of every case (make bench)

FAMILY names families/FAMILY.py (default: all of them).

Each case must end within HANG_LIMIT seconds with an allowed exit status
(never a signal, never exit 3 or a sanitizer's 86), say why on stderr when it
exits 2, and leave every input and device node it names unchanged."""
import glob
import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

HANG_LIMIT = 10.0
SANITIZER_EXIT = 86
TARGET_SECONDS = 1.0
TARGET_RSS_KIB = 64 * 1024
SMALL_INPUT = 1 << 20


def snapshot(path):
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISREG(st.st_mode):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return ("file", st.st_mode, h.hexdigest())
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return ("dev", st.st_mode, st.st_rdev)
    return ("other", st.st_mode)


def named_files(case):
    """Existing files named by the case's arguments (FILE@ADDR as FILE),
    outputs excluded: these must not change."""
    seen = {}
    outs = set(case["outputs"])
    cands = list(case["args"]) + ([case["stdin"]] if case["stdin"] else [])
    for a in cands:
        for p in (a, a.rsplit("@", 1)[0]):
            if os.path.isabs(p) and p not in outs and p not in seen and os.path.lexists(p):
                seen[p] = snapshot(p)
    return seen


def input_bytes(case):
    n = 0
    for a in case["args"] + ([case["stdin"]] if case["stdin"] else []):
        p = a.rsplit("@", 1)[0] if not os.path.exists(a) else a
        if os.path.isabs(p) and os.path.isfile(p) and p not in case["outputs"]:
            n += os.path.getsize(p)
    return n


def spawn(tool, case, out, err):
    stdin = os.open(case["stdin"] or "/dev/null", os.O_RDONLY)
    actions = [(os.POSIX_SPAWN_DUP2, stdin, 0), (os.POSIX_SPAWN_DUP2, out, 1),
               (os.POSIX_SPAWN_DUP2, err, 2)]
    try:
        return os.posix_spawn(tool, [tool] + case["args"], os.environ, file_actions=actions)
    finally:
        os.close(stdin)


def drain_while_running(pid, readers):
    """Read the FIFOs the case writes to until it exits (a writer blocks
    when nobody reads)."""
    while True:
        got, st, ru = os.wait4(pid, os.WNOHANG)
        for r in readers:
            try:
                while os.read(r, 65536):
                    pass
            except BlockingIOError:
                pass
        if got:
            return st, ru
        time.sleep(0.002)


def run_case(tool, case, tmp):
    """(status, seconds, maxrss KiB, stdout bytes, stderr text); status is
    the exit code, -SIG for a signal, None for a hang."""
    readers = [os.open(p, os.O_RDONLY | os.O_NONBLOCK) for p in case["fifo_readers"]]
    outp, errp = os.path.join(tmp, "out"), os.path.join(tmp, "err")
    out = os.open(outp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if case["stdout"]:
        os.close(out)
        out = os.open(case["stdout"], os.O_WRONLY)
    err = os.open(errp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    t0 = time.monotonic()
    pid = spawn(tool, case, out, err)
    os.close(out)
    os.close(err)
    hung = []

    def kill():
        hung.append(True)
        os.kill(pid, signal.SIGKILL)

    timer = threading.Timer(HANG_LIMIT, kill)
    timer.start()
    if readers:
        st, ru = drain_while_running(pid, readers)
    else:
        _, st, ru = os.wait4(pid, 0)
    timer.cancel()
    status = None if hung else os.waitstatus_to_exitcode(st)
    secs = time.monotonic() - t0
    for r in readers:
        os.close(r)
    with open(errp, "rb") as f:
        errtext = f.read(1 << 16).decode("utf-8", "replace")
    return status, secs, ru.ru_maxrss, os.path.getsize(outp), errtext


def judge(case, before, status, nout, errtext):
    """Why the case failed, or None."""
    if status is None:
        return "no exit within %g s" % HANG_LIMIT
    if status < 0:
        return "killed by signal %d" % -status
    if status not in case["status"]:
        return "exit %d, allowed %s" % (status, case["status"])
    if status == 2 and not errtext.strip():
        return "exit 2 with nothing on stderr"
    if case["stderr"] and not re.search(case["stderr"], errtext):
        return "stderr does not match /%s/" % case["stderr"]
    if case["stdout_empty"] and nout:
        return "%d bytes on stdout" % nout
    for p, snap in before.items():
        if not os.path.lexists(p):
            return "%s was removed" % p
        if snapshot(p) != snap:
            return "%s changed" % p
    for g in case["absent"]:
        left = glob.glob(g)
        if left:
            return "left behind: %s" % ", ".join(left)
    return None


def environment():
    # A sanitizer report must not pass for "findings" (exit 1).
    for var, opts in (("ASAN_OPTIONS", "exitcode=%d" % SANITIZER_EXIT),
                      ("UBSAN_OPTIONS", "halt_on_error=1:exitcode=%d" % SANITIZER_EXIT)):
        os.environ[var] = (os.environ.get(var, "") + ":" + opts).lstrip(":")
    os.environ["LC_ALL"] = "C"
    os.environ.pop("PASIDTOOL_PROGRESS_DELAY", None)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("--tap", "--bench"):
        sys.exit(__doc__)
    mode, tool, work = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    environment()
    os.environ["PASIDTOOL"] = tool   # families may ask the binary what it can do
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus, exist_ok=True)
    try:
        doc = generate.generate(corpus, sys.argv[4:] or None)
        return run_all(mode, tool, work, doc)
    finally:
        for m in generate.MOUNTED:
            subprocess.run(["umount", m])


def run_all(mode, tool, work, doc):
    tmp = os.path.join(work, "run")
    os.makedirs(tmp, exist_ok=True)
    by_status, failed, rows, by_family = {}, 0, [], {}
    for i, case in enumerate(doc["cases"], 1):
        before = named_files(case)
        status, secs, rss, nout, errtext = run_case(tool, case, tmp)
        why = judge(case, before, status, nout, errtext)
        key = "hang" if status is None else ("signal" if status < 0 else str(status))
        by_status[key] = by_status.get(key, 0) + 1
        fam = by_family.setdefault(case["name"].split(":", 1)[0], {})
        fam[key] = fam.get(key, 0) + 1
        rows.append((secs, rss, input_bytes(case), case["name"]))
        if mode == "--tap":
            if why:
                failed += 1
                print("not ok %d - %s" % (i, case["name"]))
                print("# %s\n# args: %s\n# stderr: %s" % (why, " ".join(case["args"]),
                                                          errtext[:400].replace("\n", "\n#   ")))
            else:
                print("ok %d - %s" % (i, case["name"]))
    counts = ", ".join("exit %s: %d" % (k, by_status[k]) for k in sorted(by_status))
    print("# %d cases; %s" % (len(doc["cases"]), counts))
    for name in sorted(by_family):
        f = by_family[name]
        print("#   %s: %d cases; %s" % (name, sum(f.values()),
                                        ", ".join("exit %s: %d" % (k, f[k]) for k in sorted(f))))
    for n in doc["not_run"]:
        print("# not run: %s" % n)
    if mode == "--tap":
        print("1..%d" % len(doc["cases"]))
        return 0
    return bench_report(rows)


def bench_report(rows):
    small = [r for r in rows if r[2] < SMALL_INPUT]
    slow = max(small, key=lambda r: r[0])
    big = max(small, key=lambda r: r[1])
    print("hostile corpus: %d cases, %d with inputs under 1 MiB" % (len(rows), len(small)))
    print("  slowest: %.3f s (target <= %.0f s) %s: %s" % (
        slow[0], TARGET_SECONDS, "ok" if slow[0] <= TARGET_SECONDS else "OVER", slow[3]))
    print("  largest RSS: %.1f MiB (target <= %d MiB) %s: %s" % (
        big[1] / 1024, TARGET_RSS_KIB // 1024, "ok" if big[1] <= TARGET_RSS_KIB else "OVER", big[3]))
    over = sorted((r for r in small if r[0] > TARGET_SECONDS or r[1] > TARGET_RSS_KIB),
                  key=lambda r: -r[0])
    for r in over[:20]:
        print("  over target: %.3f s, %.1f MiB: %s" % (r[0], r[1] / 1024, r[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
