#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate the hostile-input corpus: every module in families/ gets a
Corpus and adds files and cases to it; the result is a directory of inputs
and cases.json, which run.py executes (make check) and measures (make bench).

A family is one file, families/NAME.py, with `def generate(c)`; see
docs/testing.md. Generation is deterministic (seeded per family)."""
import importlib.util
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Every tmpfs mounted so far, for the runner to unmount whatever happens.
MOUNTED = []


class Corpus:
    """What a family sees: a place for input files and a list of cases."""

    def __init__(self, outdir, family):
        self.dir = os.path.join(outdir, family)
        os.makedirs(self.dir, exist_ok=True)
        self.family = family
        self.rand = random.Random("pasidtool-hostile-" + family)
        self.cases = []
        self.not_run = []
        self.mounts = []
        self.root = ROOT
        self.is_root = os.geteuid() == 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def file(self, name, data):
        p = self.path(name)
        with open(p, "wb") as f:
            f.write(data)
        return p

    def text(self, name, s):
        return self.file(name, s.encode())

    def testdata(self, rel):
        with open(os.path.join(ROOT, "testdata", rel), "rb") as f:
            return f.read()

    def case(self, name, args, status=(0, 1, 2), outputs=(), stdin=None, fifo_readers=(),
             stderr=None, stdout_empty=False, absent=(), stdout=None):
        """One run of pasidtool ARGS.

        status: the exit statuses allowed (exit 2 must say why on stderr);
        outputs: files the run may write (all other existing files named in
        args, devices included, must be unchanged afterwards);
        stdin: a file fed to standard input; fifo_readers: FIFOs the runner
        drains while the case runs; stderr: a regular expression stderr must
        match; absent: paths (globs) that must not exist afterwards;
        stdout: a file (or device) standard output goes to instead of the
        runner's capture."""
        self.cases.append({
            "name": "%s: %s" % (self.family, name), "args": [str(a) for a in args],
            "status": sorted(set(status)), "outputs": list(outputs), "stdin": stdin,
            "fifo_readers": list(fifo_readers), "stderr": stderr,
            "stdout_empty": stdout_empty, "absent": list(absent), "stdout": stdout})

    def mount_tmpfs(self, name, size):
        """A tmpfs of size bytes at a new directory (root only); the runner
        unmounts it. None, with the reason recorded, when it cannot."""
        d = self.path(name)
        os.makedirs(d, exist_ok=True)
        if not self.is_root:
            self.skip("a full filesystem", "mounting a tmpfs needs root")
            return None
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d" % size, "tmpfs", d],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skip("a full filesystem", "mount -t tmpfs failed: " + r.stderr.strip())
            return None
        self.mounts.append(d)
        MOUNTED.append(d)
        return d

    def skip(self, what, why):
        """Cases that cannot run here, with the reason (never counted as passed)."""
        self.not_run.append("%s: %s: %s" % (self.family, what, why))

    # Mutations shared by the binary families.
    INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0xffffffff, 1 << 63, (1 << 64) - 1]

    def mutants(self, data, n, words=None):
        """n variants of data: bytes set, 64-bit words set to values that
        hit edges (words: extra values such as addresses inside the image),
        and truncations."""
        out = []
        values = self.INTERESTING + list(words or [])
        for i in range(n):
            b = bytearray(data)
            kind = i % 3
            if kind == 0 and len(b):
                for _ in range(self.rand.randint(1, 16)):
                    b[self.rand.randrange(len(b))] = self.rand.choice([0, 0xff, self.rand.randrange(256)])
            elif kind == 1 and len(b) >= 8:
                for _ in range(self.rand.randint(1, 4)):
                    at = self.rand.randrange(len(b) // 8) * 8
                    v = self.rand.choice(values) & ((1 << 64) - 1)
                    b[at:at + 8] = v.to_bytes(8, "little")
            else:
                b = b[:self.rand.randrange(len(b) + 1)]
            out.append(bytes(b))
        return out


def load_families(only=None):
    fams = []
    d = os.path.join(HERE, "families")
    for fn in sorted(os.listdir(d)):
        if not fn.endswith(".py") or fn.startswith("_"):
            continue
        name = fn[:-3]
        if only and name not in only:
            continue
        spec = importlib.util.spec_from_file_location("family_" + name, os.path.join(d, fn))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        fams.append((name, mod))
    return fams


def generate(outdir, only=None):
    cases, not_run, mounts = [], [], []
    for name, mod in load_families(only):
        c = Corpus(outdir, name)
        mod.generate(c)
        cases += c.cases
        not_run += c.not_run
        mounts += c.mounts
    doc = {"cases": cases, "not_run": not_run, "mounts": mounts}
    with open(os.path.join(outdir, "cases.json"), "w") as f:
        json.dump(doc, f, indent=1)
    return doc


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: generate.py OUTDIR [FAMILY...]")
    d = generate(sys.argv[1], sys.argv[2:] or None)
    print("%d cases, %d not run" % (len(d["cases"]), len(d["not_run"])))
