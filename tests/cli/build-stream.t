#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build reads its spec an entry at a time (core/build_stream.c): from a
# pipe, in any JSON layout (one entry a line, one line, indented), with the
# table's settings after its entries (read whole) or a setting after entries
# it already built (an error at that key); error positions stay jansson's.
. tests/cli/tap.sh

img=testdata/cd/2lvl-4k.bin
dec="--base 0x40000000 --layout 2lvl-4k --ssid-bits 8"
"$PASIDTOOL" decode "$img" $dec --json > "$TMP/d.json"
"$PASIDTOOL" decode "$img" $dec --json | "$PASIDTOOL" build - -o "$TMP/pipe.bin"
check "decode --json | build - gives back every byte (a pipe)" cmp "$img" "$TMP/pipe.bin"
"$PASIDTOOL" decode "$img" $dec --json --pretty > "$TMP/pretty.json"
"$PASIDTOOL" build "$TMP/pretty.json" -o "$TMP/pretty.bin"
check "the --pretty document builds the same image" cmp "$img" "$TMP/pretty.bin"
python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2], "w"), separators=(",", ":"))' \
	"$TMP/d.json" "$TMP/one-line.json"
"$PASIDTOOL" build "$TMP/one-line.json" -o "$TMP/one-line.bin"
check "the document on one line builds the same image" cmp "$img" "$TMP/one-line.bin"
# Findings in the document are read (as JSON) and dropped.
python3 - "$TMP/d.json" "$TMP/diags.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["diagnostics"] = [{"rule": "CD-HTTU", "severity": "warning", "message": "m"}] * 3
json.dump(d, open(sys.argv[2], "w"))
EOF
"$PASIDTOOL" build "$TMP/diags.json" -o "$TMP/diags.bin"
check "a document with findings builds the same image" cmp "$img" "$TMP/diags.bin"
sed 's/"severity": "warning"/"severity" "warning"/' "$TMP/diags.json" > "$TMP/diags-bad.json"
status "a broken finding is still a syntax error" 2 "$PASIDTOOL" build "$TMP/diags-bad.json" -o "$TMP/x.bin"

# Settings after the entries: the table is read whole, as it always was.
python3 - "$TMP/d.json" "$TMP/late.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["tables"][0]
d["tables"][0] = {"entries": t["entries"], "l1": t["l1"], "ssid_bits": t["ssid_bits"],
                  "layout": t["layout"], "base": t["base"]}
json.dump(d, open(sys.argv[2], "w"))
EOF
"$PASIDTOOL" build "$TMP/late.json" -o "$TMP/late.bin"
check "entries before the table's settings still build the same image" cmp "$img" "$TMP/late.bin"

# A setting after entries already built is refused where it stands.
printf '{"tables": [{"base": "0x1000", "ssid_bits": 2, "entries": [{"ssid": 1}],\n  "layout": "linear"}]}\n' \
	> "$TMP/after.json"
status "a setting after built entries: exit 2" 2 "$PASIDTOOL" build "$TMP/after.json" -o "$TMP/x.bin"
check "... said at the key, line 2 column 10" \
	grep -q "after.json:2:10: error: \"layout\" comes after \"entries\"" "$TMP/status.out"
check "... and nothing written" test ! -e "$TMP/x.bin"

# An error deep in the entries: its line and column in the whole document.
line=$(grep -n '"ssid":' "$TMP/d.json" | tail -n 1 | cut -d: -f1)
sed "${line}s/\"asid\":/\"asid\" /" "$TMP/d.json" > "$TMP/bad.json"
col=$(sed -n "${line}p" "$TMP/bad.json" | python3 -c 'import re,sys; s=sys.stdin.read(); m=re.search(r"\"asid\" (\d+)", s); print(m.end())')
status "a syntax error in the last entry: exit 2" 2 "$PASIDTOOL" build "$TMP/bad.json" -o "$TMP/x.bin"
check "... at line $line, column $col" grep -q "bad.json:$line:$col: error: ':' expected" "$TMP/status.out"

# A value held whole is capped (1 GiB); the cap is not on the stream: a
# spec larger than any value it holds is read.
status "an empty spec: exit 2" 2 "$PASIDTOOL" build /dev/null -o "$TMP/x.bin"
check "... said at 1:0" grep -q "null:1:0: error:" "$TMP/status.out"

# --emit-invalidations: the SSIDs the streamed entries wrote.
"$PASIDTOOL" build "$TMP/d.json" -o "$TMP/inv-img.bin" --emit-invalidations "$TMP/inv.bin"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["tables"][0]["entries"]))' "$TMP/d.json")
check "one INVALIDATE per streamed entry ($n)" test "$(wc -c < "$TMP/inv.bin")" -eq $((n * 64))

done_testing
