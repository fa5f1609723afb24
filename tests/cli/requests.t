#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build --attach-out / --emit-invalidations: the requests that go with the
# tables build lays out, checked by the attach decoder and by attach validate
# --dump against the very image build wrote.
. tests/cli/tap.sh

spec=testdata/cd/2lvl-4k.json
"$PASIDTOOL" build "$spec" -o "$TMP/cd.bin" --attach-out "$TMP/req.bin" \
	--emit-invalidations "$TMP/inv.bin" --endpoint 8 --domain 3
check "image built with the requests is the committed one" cmp testdata/cd/2lvl-4k.bin "$TMP/cd.bin"
check "one 80-byte ATTACH_TABLE" test "$(wc -c < "$TMP/req.bin")" -eq 80
"$PASIDTOOL" attach decode "$TMP/req.bin" --json > "$TMP/req.json"
field() {
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["requests"][int(sys.argv[2])]; print(r["fields"][sys.argv[3]])' "$@"
}
check "request is an ATTACH_TABLE" grep -q '"type":"attach_table"' "$TMP/req.json"
check "domain from --domain" test "$(field "$TMP/req.json" 0 domain)" = 3
check "endpoint from --endpoint" test "$(field "$TMP/req.json" 0 endpoint)" = 8
check "s1contextptr is the table base" test "$(field "$TMP/req.json" 0 s1contextptr)" = 0x40000000
check "s1cdmax is the SSID bits" test "$(field "$TMP/req.json" 0 s1cdmax)" = 8
check "s1fmt is the 4K-leaf layout" test "$(field "$TMP/req.json" 0 s1fmt)" = 1
"$PASIDTOOL" attach validate "$TMP/req.bin" --dump "$TMP/cd.bin@0x40000000" > "$TMP/val.txt"
check "attach validate --dump walks the built table (same CD findings)" grep -q 'CD-HTTU' "$TMP/val.txt"
"$PASIDTOOL" validate "$TMP/cd.bin" --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 > "$TMP/direct.txt"
a=$(grep -c '\[CD-' "$TMP/val.txt")
b=$(grep -c '\[CD-' "$TMP/direct.txt")
check "same number of CD findings through the request as directly ($a)" test "$a" -eq "$b"
n=$(python3 -c 'import json; print(len(json.load(open("testdata/cd/2lvl-4k.json"))["tables"][0]["entries"]))')
check "one INVALIDATE per written SSID ($n)" test "$(wc -c < "$TMP/inv.bin")" -eq $((n * 64))
"$PASIDTOOL" attach decode "$TMP/inv.bin" --json > "$TMP/inv.json"
check "invalidations decode as INVALIDATE" test "$(jq '[.requests[] | select(.type == "invalidate")] | length' "$TMP/inv.json")" -eq "$n"
"$PASIDTOOL" attach build "$TMP/req.json" -o "$TMP/req2.bin"
check "attach decode --json | attach build gives the request back" cmp "$TMP/req.bin" "$TMP/req2.bin"

# A stream table: one ATTACH_TABLE per STE's CD table, endpoint = StreamID.
"$PASIDTOOL" build testdata/strtab/two-level.json -o "$TMP/st.bin" --attach-out "$TMP/sreq.bin"
"$PASIDTOOL" attach decode "$TMP/sreq.bin" --json > "$TMP/sreq.json"
check "stream table: endpoint of the first request is its SID" test "$(field "$TMP/sreq.json" 0 endpoint)" = 8
check "stream table: endpoint of the second request is its SID" test "$(field "$TMP/sreq.json" 1 endpoint)" = 256

# Other variants.
"$PASIDTOOL" build "$spec" -o "$TMP/cdq.bin" --attach-out "$TMP/reqq.bin" --variant qcom
check "QCOM variant request is 128 bytes" test "$(wc -c < "$TMP/reqq.bin")" -eq 128
status "QCOM request decodes with --variant qcom" 0 "$PASIDTOOL" attach decode "$TMP/reqq.bin" --variant qcom

# Failures leave nothing behind.
printf '{"tables": [{"format": "smmuv3-strtab", "layout": "linear", "base": "0x1000", "sid_bits": 1}]}' > "$TMP/nocd.json"
status "no CD table to attach is an error" 2 "$PASIDTOOL" build "$TMP/nocd.json" -o "$TMP/nocd.bin" --attach-out "$TMP/nocd.req"
check "no request file after the failure" test ! -e "$TMP/nocd.req"
status "bad --domain" 2 "$PASIDTOOL" build "$spec" -o "$TMP/x.bin" --domain 0x1ffffffff

done_testing
