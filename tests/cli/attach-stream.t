#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# attach build reads its spec a request at a time (cli/cmd_attach.c through
# core/json_stream.c): the same requests from a pipe and from any JSON
# layout, errors at jansson's positions, a request's JSON capped at 16 MiB
# (both sides of the cap), and a "source" named after the requests that is
# the output refused before anything is replaced.
. tests/cli/tap.sh
dir=testdata/attach

"$PASIDTOOL" attach decode "$dir/rfc1-dump.bin" --json > "$TMP/d.json" 2>/dev/null
"$PASIDTOOL" attach build "$TMP/d.json" -o "$TMP/a.bin"
check "decode --json -> build gives the requests back" cmp "$dir/rfc1-dump.bin" "$TMP/a.bin"
"$PASIDTOOL" attach decode "$dir/rfc1-dump.bin" --json 2>/dev/null |
	"$PASIDTOOL" attach build - -o "$TMP/pipe.bin"
check "... through a pipe" cmp "$dir/rfc1-dump.bin" "$TMP/pipe.bin"
"$PASIDTOOL" attach decode "$dir/rfc1-dump.bin" --json --pretty > "$TMP/pretty.json" 2>/dev/null
"$PASIDTOOL" attach build "$TMP/pretty.json" -o "$TMP/pretty.bin"
check "... from the --pretty document" cmp "$dir/rfc1-dump.bin" "$TMP/pretty.bin"

# "source" after "requests": its file is still an input the output may not
# replace; the requests already written go nowhere.
python3 - "$TMP/d.json" "$TMP/late.json" "$TMP/late.bin" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
src = d.pop("source")
src["path"] = sys.argv[3]
d["source"] = src
json.dump(d, open(sys.argv[2], "w"))
PY
printf 'old' > "$TMP/late.bin"
status "a late \"source\" that is the output: exit 2" 2 "$PASIDTOOL" attach build "$TMP/late.json" -o "$TMP/late.bin"
check "... said as for an early one" grep -q "refusing to overwrite an input of this run" "$TMP/status.out"
check "... and the output is untouched" grep -q '^old$' "$TMP/late.bin"
python3 - "$TMP/late.json" "$TMP/late-ok.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["source"]["path"] = "elsewhere.bin"
json.dump(d, open(sys.argv[2], "w"))
PY
"$PASIDTOOL" attach build "$TMP/late-ok.json" -o "$TMP/late-ok.bin"
check "a late \"source\" naming another file builds" cmp "$dir/rfc1-dump.bin" "$TMP/late-ok.bin"

# Errors: in a request (its index), in the JSON after requests were written
# (line and column, the output not replaced), a repeated "requests".
printf '{"requests": [{"type": "attach", "domain": 1, "endpoint": 2},\n {"type": "attach", "domain": 1, "endpoint": 2, "nosuch": 1}]}\n' > "$TMP/bad1.json"
printf 'old' > "$TMP/keep.bin"
status "a bad second request: exit 2" 2 "$PASIDTOOL" attach build "$TMP/bad1.json" -o "$TMP/keep.bin"
check "... named by its index" grep -q 'bad1.json: error: requests\[1\]: unknown field "nosuch"' "$TMP/status.out"
check "... the output untouched" grep -q '^old$' "$TMP/keep.bin"
printf '{"requests": [{"type": "attach", "domain": 1, "endpoint": 2}],\n  "note" 1}\n' > "$TMP/bad2.json"
status "a syntax error after the requests: exit 2" 2 "$PASIDTOOL" attach build "$TMP/bad2.json" -o "$TMP/keep.bin"
check "... at jansson's line and column" grep -q "bad2.json:2:10: error: ':' expected" "$TMP/status.out"
check "... the output untouched" grep -q '^old$' "$TMP/keep.bin"
printf '{"requests": [], "requests": []}' > "$TMP/dup.json"
status "\"requests\" twice: exit 2" 2 "$PASIDTOOL" attach build "$TMP/dup.json" -o "$TMP/x.bin"
check "... a duplicate key" grep -q "duplicate object key" "$TMP/status.out"
check "... nothing written" test ! -e "$TMP/x.bin"

# One request's JSON is held whole up to 16 MiB: white space inside it
# counts. 16777216 bytes build; one more is refused.
req() {
	python3 - "$1" "$2" <<'PY'
import sys
size, path = int(sys.argv[1]), sys.argv[2]
head, tail = '{"type": "attach", "domain": 1,', ' "endpoint": 2}'
with open(path, "w") as f:
    f.write('{"requests": [' + head + ' ' * (size - len(head) - len(tail)) + tail + ']}\n')
PY
}
req 16777216 "$TMP/cap.json"
status "a request of 16 MiB builds" 0 "$PASIDTOOL" attach build "$TMP/cap.json" -o "$TMP/cap.bin"
check "... one ATTACH" test "$(wc -c < "$TMP/cap.bin")" -eq 24
req 16777217 "$TMP/over.json"
status "a request of 16 MiB + 1 byte: exit 2" 2 "$PASIDTOOL" attach build "$TMP/over.json" -o "$TMP/over.bin"
check "... said" grep -q "holds a JSON value larger than 16777216 bytes" "$TMP/status.out"

done_testing
