#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `formats --json` describes every field with its kind, read from the field
# tables: a field of each kind says the right one (a JSON consumer picks the
# value's type from it).
. tests/cli/tap.sh

"$PASIDTOOL" formats --json smmuv3-cd > "$TMP/cd.json"
check "formats --json smmuv3-cd exits 0" test -s "$TMP/cd.json"
python3 - "$TMP/cd.json" > "$TMP/kinds.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["formats"][0]["entry"]["fields"]:
    print(f["name"], f["kind"])
PY
for want in "t0sz uint" "epd0 bool" "tg0 enum" "ips enum" "ttb0 address" "res0_121_120 res0" "asid uint" "v bool"; do
	check "field kind: $want" grep -qx "$want" "$TMP/kinds.txt"
done

done_testing
