#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""libpasid from Python: decode and validate a CD table, printing what
examples/decode_cd.c prints (pasidtool decode --json's entries, one a
line, then validate's findings).

    decode_cd.py IMAGE BASE LAYOUT SSID_BITS [CAPS]"""
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
    if len(argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    image, base, layout, bits = argv[1], int(argv[2], 0), argv[3], int(argv[4], 0)
    caps = argv[5] if len(argv) > 5 else None
    try:
        with pasid.Source.open(image, base=base) as src, \
                src.table("smmuv3-cd", base, bits, layout) as cds:
            for item in cds.walk(dirs=True):
                print(json.dumps(item, separators=(",", ":")))
            findings = cds.validate(caps)
    except pasid.Error as e:
        print("decode_cd.py: %s" % e, file=sys.stderr)
        return 2
    for f in findings:
        print(finding_line(image, f))
    return 1 if any(f.severity == "error" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
