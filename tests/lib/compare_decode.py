#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare what a libpasid program printed with what pasidtool printed.

  compare_decode.py cd DECODE.json EXAMPLE.out
      the example's JSON lines are the l1 descriptors and entries of the
      first table of `pasidtool decode --json`, in order;
  compare_decode.py strtab DECODE.json EXAMPLE.out
      strtab_cds's STEs, CD table headers and valid CDs are the ones
      `pasidtool decode --strtab ... --json` reaches.
Exit 0 when they agree; otherwise say where they differ, exit 1."""
import json
import sys


def items_of(table):
    return table.get("l1", []) + table.get("entries", table.get("stes", []))


def example_json(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("{"):
                out.append(json.loads(line))
    return out


def compare_cd(decode, example):
    want = items_of(decode["tables"][0])
    got = example_json(example)
    if not want:
        return "pasidtool decoded no entry"
    if got != want:
        return "libpasid printed %d objects, pasidtool %d; first difference: %s" % (
            len(got), len(want),
            next((json.dumps(g) for g, w in zip(got, want) if g != w), "(length)"))
    return None


def compare_strtab(decode, example):
    tables = decode["tables"]
    stes = {e["sid"]: e for t in tables if t["format"] == "smmuv3-strtab"
            for e in t.get("stes", [])}
    cds = {t["sid"]: t for t in tables if t["format"] == "smmuv3-cd"}
    sid, seen = None, 0
    with open(example) as f:
        for line in f:
            if line.startswith("{"):
                ste = json.loads(line)
                sid = ste["sid"]
                if stes.get(sid) != ste:
                    return "sid %d: the STE differs" % sid
            elif line.startswith("sid "):
                head = json.loads(line.split(" ", 2)[2])
                t = cds.get(sid)
                if t is None or any(t[k] != v for k, v in head.items()):
                    return "sid %d: the CD table header differs" % sid
                want = [e for e in t["entries"] if e["fields"].get("v") == 1]
                got = []
                seen += 1
            elif line.startswith("  {"):
                got.append(json.loads(line))
                if got != want[:len(got)]:
                    return "sid %d: CD %s differs" % (sid, got[-1].get("ssid"))
    if seen != len(cds):
        return "libpasid reached %d CD tables, pasidtool %d" % (seen, len(cds))
    return None


def main():
    mode, decode_path, example = sys.argv[1:4]
    with open(decode_path) as f:
        decode = json.load(f)
    why = (compare_cd if mode == "cd" else compare_strtab)(decode, example)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
