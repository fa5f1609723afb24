#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make mutate: does the test suite notice when the code is wrong?

Applies one single-token mutation at a time to core/ and formats/ (comparison
operators, integer constants +-1, swapped enum-name rows, deleted reports,
dropped guard clauses), rebuilds in a private copy of the tree, runs the fast
tests and counts the mutants they kill. A mutant that does not compile is
"stillborn" and not counted. Mutants listed in tests/mutate/equivalent.txt
(with the reason they cannot be told apart from the original) are counted
separately; the score is killed / (killed + survived) over the rest.

Usage: mutate.py [--mutants N] [--seed S] [--jobs J] [--files GLOB...]
                 [--list] [--only ID...] [--survivors LOG] [--first TEST...]
                 [--subset] [--report FILE]

While iterating on tests, re-run only what survived a previous run
(--survivors LOG reads the ids from a report or a progress log) and name the
new tests with --first: they run before the others, so a mutant they kill
costs one test instead of the suite. --subset runs only the --first tests: a
mutant they do not kill is "unkilled" (not "survived") and no score is given.
"""
import argparse
import concurrent.futures
import fnmatch
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EQUIV_FILE = os.path.join(ROOT, "tests", "mutate", "equivalent.txt")

# The fast tests: every unit test and the CLI scripts that finish in seconds
# (docs.t renders the man page and fuzz-build.t builds the fuzzers: minutes).
SLOW_CLI = {"docs.t", "fuzz-build.t", "licence.t"}
TEST_TIMEOUT = 120

PUNCT = sorted("""<<= >>= ... -> ++ -- << >> <= >= == != && || += -= *= /= %= &= ^= |= ##
               { } [ ] ( ) ; : , . ? ~ ! + - * / % & | ^ = < > #""".split(), key=len, reverse=True)
TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<number>0[xX][0-9a-fA-F]+[uUlL]*|[0-9]+[uUlL]*(?![.eE0-9]))
  | (?P<float>[0-9]*\.[0-9]+(?:[eE][-+]?[0-9]+)?[fFlL]?)
  | (?P<ident>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>""" + "|".join(re.escape(p) for p in PUNCT) + r""")
""", re.S | re.X)

REPORT_CALL = re.compile(r"^(pt_diag_\w+|pt_report\w*|report\w*|\w*_report|\w*finding\w*|add_diag\w*)$")
REL_SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
GUARD_EXITS = {"return", "goto", "continue", "break"}


def tokenize(text):
    toks = []
    pos = 0
    line = 1
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:  # an odd character: keep it as a one-byte token
            toks.append(("other", text[pos], pos, line))
            pos += 1
            continue
        kind = m.lastgroup
        val = m.group(kind)
        if kind not in ("ws", "comment"):
            toks.append((kind, val, pos, line))
        line += val.count("\n")
        pos = m.end()
    return toks


def preproc_lines(text):
    """Lines that belong to preprocessor directives (including continuations)."""
    out = set()
    cont = False
    for i, ln in enumerate(text.split("\n"), 1):
        if cont or ln.lstrip().startswith("#"):
            out.add(i)
            cont = ln.rstrip().endswith("\\")
        else:
            cont = False
    return out


def match_paren(toks, i):
    """Index of the token closing the bracket at toks[i], or None."""
    open_, close = toks[i][1], {"(": ")", "[": "]", "{": "}"}[toks[i][1]]
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][1] == open_:
            depth += 1
        elif toks[j][1] == close:
            depth -= 1
            if depth == 0:
                return j
    return None


def statement_end(toks, i):
    depth = 0
    for j in range(i, len(toks)):
        v = toks[j][1]
        if v in "([{":
            depth += 1
        elif v in ")]}":
            depth -= 1
            if depth < 0:
                return None
        elif v == ";" and depth == 0:
            return j
    return None


def sites(path, text):
    """Every mutant of one file: (id, op, start, end, replacement, line, desc)."""
    toks = tokenize(text)
    pp = preproc_lines(text)
    out = []

    def add(op, a, b, repl, line, desc):
        key = f"{path}:{line}:{op}:{text[a:b]}->{repl}:{a}"
        mid = hashlib.sha1(key.encode()).hexdigest()[:10]
        out.append((mid, op, a, b, repl, line, desc))

    for i, (kind, val, pos, line) in enumerate(toks):
        if line in pp:
            continue
        end = pos + len(val)
        if kind == "punct" and val in REL_SWAP:
            # '<' and '>' of a declaration never occur in C, so every one is a comparison.
            add("relop", pos, end, REL_SWAP[val], line, f"'{val}' -> '{REL_SWAP[val]}'")
        elif kind == "number":
            m = re.match(r"(0[xX][0-9a-fA-F]+|[0-9]+)([uUlL]*)$", val)
            if re.match(r"0[0-7]", m.group(1)):
                continue  # octal file modes: not logic
            n = int(m.group(1), 0)
            hexa = m.group(1).lower().startswith("0x")
            for d in (1, -1):
                if n + d < 0:
                    continue
                rep = (hex(n + d) if hexa else str(n + d)) + m.group(2)
                add("const", pos, end, rep, line, f"{val} -> {rep}")
        elif kind == "ident" and REPORT_CALL.match(val) and i + 1 < len(toks) and toks[i + 1][1] == "(":
            prev = toks[i - 1][1] if i else ";"
            if prev not in (";", "{", "}", ")", "else"):
                continue  # its value is used: not a statement of its own
            j = statement_end(toks, i)
            if j is None:
                continue
            add("noreport", pos, toks[j][2] + 1, "(void)0;", line, f"{val}(...) deleted")
        elif kind == "ident" and val == "if" and i + 1 < len(toks) and toks[i + 1][1] == "(":
            j = match_paren(toks, i + 1)
            if j is None or j + 1 >= len(toks):
                continue
            if toks[j + 1][1] in GUARD_EXITS:
                a, b = toks[i + 1][2], toks[j][2] + 1
                add("noguard", a, b, "(0)", line, "guard clause dropped")
        # enum-name rows: adjacent string literals in an initialiser
        # `static const char *const NAME[] = { "a", "b", ... }`.
        if kind == "ident" and val.endswith("_names") and i + 3 < len(toks) and toks[i + 1][1] == "[":
            k = i + 1
            while k < len(toks) and toks[k][1] != "{" and toks[k][1] != ";":
                k += 1
            if k < len(toks) and toks[k][1] == "{":
                close = match_paren(toks, k)
                strs = [t for t in toks[k + 1:close or k] if t[0] == "string"]
                for a_, b_ in zip(strs, strs[1:]):
                    if a_[1] == b_[1]:
                        continue
                    # swap two neighbouring rows: one edit spanning both
                    seg = text[a_[2]:b_[2] + len(b_[1])]
                    mid = seg[len(a_[1]):len(seg) - len(b_[1])]
                    add("enumswap", a_[2], b_[2] + len(b_[1]), b_[1] + mid + a_[1], a_[3],
                        f"{a_[1]} <-> {b_[1]}")
    return out


def all_sites(patterns):
    files = []
    for d in ("core", "formats"):
        for f in sorted(os.listdir(os.path.join(ROOT, d))):
            p = f"{d}/{f}"
            if f.endswith(".c") and any(fnmatch.fnmatch(p, g) for g in patterns):
                files.append(p)
    res = []
    for p in files:
        with open(os.path.join(ROOT, p), encoding="utf-8") as fh:
            text = fh.read()
        for s in sites(p, text):
            res.append((p,) + s)
    return res


def stratified(every, n, rng):
    """n mutants with an equal share per operator, so the few enum swaps and
    deleted reports are not drowned by the thousands of constants; an
    operator with fewer sites than its share gives the rest to the others."""
    by_op = {}
    for s in every:
        by_op.setdefault(s[2], []).append(s)
    chosen = []
    ops = sorted(by_op, key=lambda o: len(by_op[o]))
    left = min(n, len(every))
    for i, op in enumerate(ops):
        share = left // (len(ops) - i)
        pick = by_op[op] if len(by_op[op]) <= share else rng.sample(by_op[op], share)
        chosen += pick
        left -= len(pick)
    return chosen


def load_equivalent():
    eq = {}
    if os.path.exists(EQUIV_FILE):
        with open(EQUIV_FILE, encoding="utf-8") as fh:
            for ln in fh:
                ln = ln.strip()
                if ln and not ln.startswith("#"):
                    mid, _, why = ln.partition(" ")
                    eq[mid] = why.strip()
    return eq


def make_copy(dest):
    """Bring the private copy in line with the work tree (tracked and new
    files), keeping its build directory so a second run rebuilds only what
    changed. A changed file gets a new mtime, so make sees it."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    want = set()
    for f in files:
        src = os.path.join(ROOT, f)
        if not f or not os.path.isfile(src):
            continue
        want.add(f)
        dst = os.path.join(dest, f)
        if os.path.isfile(dst):
            with open(src, "rb") as a, open(dst, "rb") as b:
                if a.read() == b.read():
                    continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
    for top, dirs, names in os.walk(dest):
        rel = os.path.relpath(top, dest)
        if rel == "build" or rel.startswith("build" + os.sep):
            dirs[:] = []
            continue
        for n in names:
            f = os.path.normpath(os.path.join(rel, n))
            if f not in want:
                os.remove(os.path.join(top, n))


def build(copy, subset=None):
    """Build the tool and the unit tests (with --subset: only the named ones)."""
    unit = sorted(f[:-2] for f in os.listdir(os.path.join(copy, "tests", "unit"))
                  if f.startswith("test_") and f.endswith(".c"))
    if subset is not None:
        unit = [u for u in unit if u in subset]
    targets = ["build/m/pasidtool"] + [f"build/m/tests/{u}" for u in unit]
    r = subprocess.run(["make", "-s", "BUILD=build/m", "WERROR=", "OPT=-O1"] + targets,
                       cwd=copy, capture_output=True, text=True)
    return r.returncode == 0, unit


def test_order(copy, unit, first, subset):
    """The fast tests, the --first ones ahead (or alone with --subset)."""
    cli = [t for t in sorted(os.listdir(os.path.join(copy, "tests", "cli")))
           if t.endswith(".t") and t not in SLOW_CLI]
    every = unit + cli
    ahead = [t for t in first if t in every]
    if subset:
        return ahead
    return ahead + [t for t in every if t not in ahead]


def run_tests(copy, unit, first=(), subset=False):
    """True when every test run passes (the mutant survives)."""
    env = dict(os.environ, PASIDTOOL=os.path.join(copy, "build/m/pasidtool"), BUILD="build/m")
    for u in test_order(copy, unit, first, subset):
        if u.endswith(".t"):
            ok, by = run_cli(copy, env, u)
            if not ok:
                return False, by
            continue
        try:
            r = subprocess.run([os.path.join(copy, "build/m/tests", u)], cwd=copy, env=env,
                               capture_output=True, timeout=TEST_TIMEOUT)
        except subprocess.TimeoutExpired:
            return False, f"{u}: timeout"
        if r.returncode != 0:
            return False, u
    return True, ""


def run_cli(copy, env, t):
    try:
        r = subprocess.run(["sh", f"tests/cli/{t}"], cwd=copy, env=env, capture_output=True,
                           text=True, timeout=TEST_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False, f"{t}: timeout"
    out = r.stdout
    if r.returncode != 0 or re.search(r"^not ok ", out, re.M) or not re.search(r"^1\.\.\d+", out, re.M):
        return False, t
    return True, ""


def survivor_ids(path):
    """Mutant ids marked as survivors in a report or a progress log."""
    ids = []
    with open(path, encoding="utf-8") as fh:
        for ln in fh:
            m = re.match(r"\s*(?:\[\d+/\d+\]\s+(?:survived|unkilled)\s+)?([0-9a-f]{10}) \S+:\d+ ", ln)
            if m and (ln.startswith("  ") or "survived" in ln or "unkilled" in ln):
                ids.append(m.group(1))
    return ids


def run_mutant(copy, site, baseline_texts, first=(), subset=False):
    path, mid, op, a, b, repl, line, desc = site
    text = baseline_texts[path]
    target = os.path.join(copy, path)
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(text[:a] + repl + text[b:])
    try:
        ok, unit = build(copy, first if subset else None)
        if not ok:
            return "stillborn", ""
        survived, by = run_tests(copy, unit, first, subset)
        if survived:
            return ("unkilled" if subset else "survived"), ""
        return "killed", by
    finally:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
        # the restored file must be newer than the mutant's object
        os.utime(target, None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mutants", type=int, default=300, help="how many mutants to try (sampled)")
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--files", nargs="*", default=["core/*.c", "formats/*.c"])
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--only", nargs="*", help="these mutant ids only")
    ap.add_argument("--survivors", metavar="LOG", help="the survivors of a previous report or log only")
    ap.add_argument("--first", nargs="*", default=[], help="tests to run before the others (test_x, x.t)")
    ap.add_argument("--subset", action="store_true", help="run only the --first tests (no score)")
    ap.add_argument("--report", default=os.path.join(ROOT, "build", "mutate", "report.txt"))
    args = ap.parse_args()

    every = all_sites(args.files)
    eq = load_equivalent()
    if args.survivors:
        args.only = (args.only or []) + survivor_ids(args.survivors)
    if args.only:
        want = set(args.only)
        chosen = [s for s in every if s[1] in want]
        missing = want - {s[1] for s in chosen}
        if missing:
            print("mutate: not in the current code (moved or gone): " + " ".join(sorted(missing)),
                  file=sys.stderr)
    else:
        chosen = stratified(every, args.mutants, random.Random(args.seed))
        chosen.sort(key=lambda s: (s[0], s[2]))
    if args.list:
        for s in chosen:
            print(f"{s[1]} {s[0]}:{s[6]} {s[2]} {s[7]}")
        print(f"{len(chosen)} of {len(every)} mutants")
        return 0

    texts = {}
    for s in chosen:
        if s[0] not in texts:
            with open(os.path.join(ROOT, s[0]), encoding="utf-8") as fh:
                texts[s[0]] = fh.read()
    work = os.path.join(ROOT, "build", "mutate")
    copies = [os.path.join(work, f"w{i}") for i in range(max(1, args.jobs))]
    for c in copies:
        make_copy(c)
        ok, unit = build(c, args.first if args.subset else None)
        if not ok:
            print("mutate: the unmutated tree does not build", file=sys.stderr)
            return 2
        survived, by = run_tests(c, unit, args.first, args.subset)
        if not survived:
            print(f"mutate: the fast tests fail without any mutation ({by})", file=sys.stderr)
            return 2

    results = []
    t0 = time.time()
    free = list(copies)
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(copies)) as ex:
        pending = {}
        queue = list(chosen)
        while queue or pending:
            while queue and free:
                c = free.pop()
                s = queue.pop(0)
                pending[ex.submit(run_mutant, c, s, texts, args.first, args.subset)] = (c, s)
            done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for f in done:
                c, s = pending.pop(f)
                free.append(c)
                verdict, by = f.result()
                if verdict == "survived" and s[1] in eq:
                    verdict = "equivalent"
                results.append((s, verdict, by))
                n = len(results)
                print(f"[{n}/{len(chosen)}] {verdict:10} {s[1]} {s[0]}:{s[6]} {s[2]} {s[7]}"
                      + (f" (killed by {by})" if by else ""), flush=True)

    counts = {}
    per_op = {}
    for s, v, _ in results:
        counts[v] = counts.get(v, 0) + 1
        per_op.setdefault(s[2], {}).setdefault(v, 0)
        per_op[s[2]][v] += 1
    killed, surv = counts.get("killed", 0), counts.get("survived", 0)
    score = 100.0 * killed / (killed + surv) if killed + surv else 0.0
    lines = [f"mutants: {len(results)} sampled of {len(every)} (seed {args.seed}) in {time.time() - t0:.0f} s",
             "verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))]
    for op, c in sorted(per_op.items()):
        k, sv = c.get("killed", 0), c.get("survived", 0)
        lines.append(f"  {op:9} killed {k:4}  survived {sv:4}  equivalent {c.get('equivalent', 0):3}"
                     f"  stillborn {c.get('stillborn', 0):3}")
    lines.append("survivors:")
    for s, v, _ in sorted(results, key=lambda r: (r[0][0], r[0][6])):
        if v in ("survived", "unkilled"):
            lines.append(f"  {s[1]} {s[0]}:{s[6]} {s[2]} {s[7]}")
    if args.subset:
        lines.append(f"subset of the tests ({' '.join(args.first)}): no score; "
                     f"{counts.get('unkilled', 0)} not killed by it")
    else:
        lines.append(f"mutation score: {score:.1f}% ({killed} killed of {killed + surv} non-equivalent mutants)")
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
