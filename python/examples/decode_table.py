#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""libpasid from Python: decode and validate a table of any format
`pasidtool formats` lists, printing what examples/decode_cd.c prints for a
CD table (pasidtool decode --json's descriptors and entries, one a line,
then validate's findings, as validate prints them).

    decode_table.py IMAGE FORMAT BASE LAYOUT INDEX_BITS [CAPS]
    decode_table.py cd.bin smmuv3-cd 0x80000000 linear 4
    decode_table.py pasid.bin vtd-pasid 0x10000000 default 13

LAYOUT "default" takes the format's first layout."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pasid  # noqa: E402


def finding_line(name, f):
    where = ":0x%x" % f.address if f.address is not None else ""
    scope = "".join(["sid %d: " % f.sid if f.sid is not None else "",
                     "ssid %d: " % f.ssid if f.ssid is not None else "",
                     "l1[%d]: " % f.l1_index if f.l1_index is not None else ""])
    more = " (and %d more like this)" % f.repeat if f.repeat else ""
    return "%s%s: %s: %s%s%s [%s]" % (name, where, f.severity, scope, f.message, more, f.rule)


def main(argv):
    if len(argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    image, fmt, base, layout = argv[1], argv[2], int(argv[3], 0), argv[4]
    bits = int(argv[5], 0)
    caps = argv[6] if len(argv) > 6 else None
    try:
        with pasid.Source.open(image, base=base) as src, \
                src.table(fmt, base, bits, None if layout == "default" else layout) as t:
            for item in t.walk(dirs=True):
                print(json.dumps(item, separators=(",", ":")))
            findings = t.validate(caps)
    except pasid.Error as e:
        print("decode_table.py: %s" % e, file=sys.stderr)
        return 2
    for f in findings:
        print(finding_line(image, f))
    return 1 if any(f.severity == "error" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
