#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build checks what it wrote (findings as warnings, --no-check), chooses the
# S1DSS of its ATTACH_TABLE requests from the CD 0 it wrote, and attach
# takes --rule like validate: the man page's build-and-check example holds.
. tests/cli/tap.sh

cat > "$TMP/no0.json" <<'EOF2'
{"tables": [{"layout": "2lvl-4k", "base": "0x80000000", "ssid_bits": 8,
  "entries": [{"ssid": 1, "fields": {"asid": 1, "ttb0": "0x81000000"}}]}]}
EOF2
cat > "$TMP/with0.json" <<'EOF2'
{"tables": [{"layout": "linear", "base": "0x80000000", "ssid_bits": 2,
  "entries": [{"ssid": 0, "fields": {"asid": 1}}, {"ssid": 1, "fields": {"asid": 2}}]}]}
EOF2
cat > "$TMP/tg0.json" <<'EOF2'
{"tables": [{"layout": "linear", "base": "0x80000000", "ssid_bits": 2,
  "entries": [{"ssid": 0, "fields": {"asid": 1, "tg0": 3}}]}]}
EOF2

s1dss() {
	"$PASIDTOOL" attach decode "$1" --json | jq -r '.requests[0].fields.s1dss'
}

# Without a CD 0: terminate, and build says so.
"$PASIDTOOL" build "$TMP/no0.json" -o "$TMP/cd.bin" --attach-out "$TMP/req.bin" 2> "$TMP/err"
check "build without CD 0 says it chose S1DSS = terminate" grep -q 'S1DSS = terminate' "$TMP/err"
if [ "$(s1dss "$TMP/req.bin")" = 0 ]; then ok "and the request says S1DSS 0 (terminate)"; else
	not_ok "and the request says S1DSS 0 (terminate)" "$(s1dss "$TMP/req.bin")"; fi
status "attach validate --dump of what build wrote exits 0" 0 \
	"$PASIDTOOL" attach validate "$TMP/req.bin" --dump "$TMP/cd.bin@0x80000000"

# With a valid CD 0: ssid0.
"$PASIDTOOL" build "$TMP/with0.json" -o "$TMP/cd0.bin" --attach-out "$TMP/req0.bin" 2> "$TMP/err0"
check "build with CD 0 says it chose S1DSS = ssid0" grep -q 'S1DSS = ssid0' "$TMP/err0"
if [ "$(s1dss "$TMP/req0.bin")" = 2 ]; then ok "and the request says S1DSS 2 (ssid0)"; else
	not_ok "and the request says S1DSS 2 (ssid0)" "$(s1dss "$TMP/req0.bin")"; fi
status "and attach validate --dump exits 0" 0 \
	"$PASIDTOOL" attach validate "$TMP/req0.bin" --dump "$TMP/cd0.bin@0x80000000"
"$PASIDTOOL" build "$TMP/with0.json" -o "$TMP/q.bin" --attach-out "$TMP/q.req" -q 2> "$TMP/errq"
if [ ! -s "$TMP/errq" ]; then ok "-q keeps build silent"; else not_ok "-q keeps build silent" "$(cat "$TMP/errq")"; fi

# Reserved encodings are written, with a warning; --no-check skips the check.
status "build of TG0 = 3 succeeds" 0 "$PASIDTOOL" build "$TMP/tg0.json" -o "$TMP/tg0.bin"
"$PASIDTOOL" build "$TMP/tg0.json" -o "$TMP/tg0.bin" 2> "$TMP/errw"
check "and warns about it" grep -q 'tg0.bin:0x80000000: warning: .*\[CD-TG0-RESERVED\]' "$TMP/errw"
"$PASIDTOOL" build "$TMP/tg0.json" -o "$TMP/tg0b.bin" --no-check 2> "$TMP/errn"
if ! grep -q 'CD-TG0-RESERVED' "$TMP/errn"; then ok "--no-check does not check"; else
	not_ok "--no-check does not check" "$(cat "$TMP/errn")"; fi
check "the same bytes either way" cmp "$TMP/tg0.bin" "$TMP/tg0b.bin"
"$PASIDTOOL" build "$TMP/with0.json" -o "$TMP/clean.bin" 2> "$TMP/errc"
if ! grep -q 'warning' "$TMP/errc"; then ok "a clean table gives no warning"; else
	not_ok "a clean table gives no warning" "$(cat "$TMP/errc")"; fi

# The check reads the image region by region, whatever their number: 63
# and 64 leaves (64 and 65 regions with the L1 table, at and past the 64
# files a source holds).
for leaves in 63 64; do
	python3 - "$leaves" "$TMP/leaves.json" <<'EOF2'
import json, sys
n = int(sys.argv[1])
ents = [{"ssid": 64 * k, "fields": {"asid": k + 1}} for k in range(n)]
json.dump({"tables": [{"layout": "2lvl-4k", "base": "0x80000000", "ssid_bits": 13,
                       "entries": ents}]}, open(sys.argv[2], "w"))
EOF2
	status "build of $leaves leaves checks what it wrote (exit 0)" 0 \
		"$PASIDTOOL" build "$TMP/leaves.json" -o "$TMP/leaves.bin"
	n=$("$PASIDTOOL" validate "$TMP/leaves.bin" --base 0x80000000 --layout 2lvl-4k \
		--ssid-bits 13 --json | jq '.summary.entries_valid')
	if [ "$n" = "$leaves" ]; then ok "and validate finds its $leaves CDs"; else
		not_ok "and validate finds its $leaves CDs" "$n"; fi
done

# attach --rule, as validate's.
"$PASIDTOOL" build "$TMP/tg0.json" -o "$TMP/t.bin" --attach-out "$TMP/t.req" 2> /dev/null
status "attach validate finds the reserved TG0 (exit 1)" 1 \
	"$PASIDTOOL" attach validate "$TMP/t.req" --dump "$TMP/t.bin@0x80000000"
status "attach --rule CD-TG0-RESERVED=warning demotes it (exit 0)" 0 \
	"$PASIDTOOL" attach validate "$TMP/t.req" --dump "$TMP/t.bin@0x80000000" --rule CD-TG0-RESERVED=warning
status "attach --rule with an unknown id exits 2" 2 \
	"$PASIDTOOL" attach validate "$TMP/t.req" --rule CD-TG0-RESRVED=off
status "attach decode --rule exits 2 (it belongs to validate)" 2 \
	"$PASIDTOOL" attach decode "$TMP/t.req" --rule CD-TG0-RESERVED=off

done_testing
