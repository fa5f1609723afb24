#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The yardstick `make bench` holds `decode --json` to: a CD table decoder
written the way one would write it in Python (struct.unpack, a dict per
entry, json.dumps), fed the field tables pasidtool itself describes
(`pasidtool formats --json`), so that both print the same fields.

Usage: pydecode.py PASIDTOOL IMAGE BASE LAYOUT SSID_BITS > out.json
"""
import json
import struct
import subprocess
import sys


def field_value(words, f):
    """A field's value from the entry's 64-bit words."""
    v = words[f["word"]] >> f["lsb"]
    if f["lsb"] + f["width"] > 64:
        v |= words[f["word"] + 1] << (64 - f["lsb"])
    v &= (1 << f["width"]) - 1
    return v << f.get("shift", 0) if f["kind"] == "address" else v


def fields_json(words, fields):
    out = {}
    for f in fields:
        v = field_value(words, f)
        if f["kind"] == "res0" and v == 0:
            continue
        wide = f["kind"] in ("address", "res0") or f["width"] > 32
        out[f["name"]] = hex(v) if wide else v
    return out


def main():
    tool, image, base, layout, bits = sys.argv[1:6]
    base, bits = int(base, 0), int(bits)
    fmts = json.loads(subprocess.run([tool, "formats", "--json"], check=True,
                                     capture_output=True).stdout)
    cd = next(f for f in fmts["formats"] if f["name"] == "smmuv3-cd")
    leaf_bits = next(x["leaf_bits"] for x in cd["layouts"] if x["name"] == layout)
    entry, l1 = cd["entry"], cd["directory"]
    size = entry["size"]
    with open(image, "rb") as fh:
        data = fh.read()
    out = sys.stdout
    out.write('{"tables":[{"entries":[')
    first = True
    for i in range(1 << (bits - leaf_bits)):
        (desc,) = struct.unpack_from("<Q", data, 8 * i)
        d = {f["name"]: field_value([desc], f) for f in l1["fields"]}
        if not d["v"]:
            continue
        for j in range(1 << leaf_bits):
            addr = d["l2ptr"] + j * size
            words = struct.unpack_from("<%dQ" % (size // 8), data, addr - base)
            item = {"ssid": (i << leaf_bits) + j, "address": hex(addr),
                    "raw": [hex(w) for w in words], "fields": fields_json(words, entry["fields"])}
            if not item["fields"]["v"]:
                continue
            out.write(("\n" if first else ",\n") + json.dumps(item, separators=(",", ":")))
            first = False
    out.write("]}]}\n")


if __name__ == "__main__":
    main()
