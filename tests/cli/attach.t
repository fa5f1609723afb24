#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Golden tests of `attach decode|validate|build` on the request samples in
# testdata/attach (built from their JSON specs), decode -> build round trips,
# exit statuses, and hostile request files.
. tests/cli/tap.sh
dir=testdata/attach

grep -v '^#' "$dir/cases" > "$TMP/cases"
while IFS='	' read -r name opts vopts; do
	[ -n "$name" ] || continue
	[ "$opts" = - ] && opts=
	[ "$vopts" = - ] && vopts=
	bin="$dir/$name.bin"
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach build "$dir/$name.json" -o "$TMP/$name.bin" $opts
	check "$name: build from the spec gives the committed requests" cmp "$bin" "$TMP/$name.bin"
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach decode "$bin" $opts > "$TMP/out.txt" 2>/dev/null
	same "$name: decode text" "$dir/$name.decode.txt" "$TMP/out.txt"
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach decode "$bin" $opts --json > "$TMP/out.json" 2>/dev/null
	same "$name: decode JSON" "$dir/$name.decode.json" "$TMP/out.json"
	check "$name: decode JSON parses" python3 -m json.tool "$TMP/out.json"
	# shellcheck disable=SC2086
	status "$name: decode exits 0" 0 "$PASIDTOOL" attach decode "$bin" $opts
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach validate "$bin" $opts $vopts > "$TMP/out.txt" 2>/dev/null
	same "$name: validate text" "$dir/$name.validate.txt" "$TMP/out.txt"
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach validate "$bin" $opts $vopts --json > "$TMP/out.json" 2>/dev/null
	same "$name: validate JSON" "$dir/$name.validate.json" "$TMP/out.json"
	errors=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["errors"])' "$dir/$name.validate.json")
	want=0
	[ "$errors" -gt 0 ] && want=1
	# shellcheck disable=SC2086
	status "$name: validate exits $want" "$want" "$PASIDTOOL" attach validate "$bin" $opts $vopts
	# shellcheck disable=SC2086
	"$PASIDTOOL" attach decode "$bin" $opts --json > "$TMP/rt.json"
	"$PASIDTOOL" attach build "$TMP/rt.json" -o "$TMP/rt.bin"
	check "$name: decode --json | build gives back every byte" cmp "$bin" "$TMP/rt.bin"
done < "$TMP/cases"

# The PASID-table request is byte-identical in RFC1 and V09D.
"$PASIDTOOL" attach build "$dir/rfc1-dump.json" -o "$TMP/v09d.bin" --variant v09d
check "rfc1 and v09d ATTACH_TABLE bytes agree" cmp "$dir/rfc1-dump.bin" "$TMP/v09d.bin"

# Another variant's bytes: a note says which, and the stream does not frame.
"$PASIDTOOL" attach decode "$dir/intel.bin" > /dev/null 2> "$TMP/err.txt"
check "intel bytes read as rfc1: VIOMMU-VARIANT names intel" grep -q 'variant intel.*VIOMMU-VARIANT' "$TMP/err.txt"
status "intel bytes read as rfc1 exit 2" 2 "$PASIDTOOL" attach decode "$dir/intel.bin"

# Hostile files: diagnostic and exit 2, never a crash.
head -c 50 "$dir/v09d.bin" > "$TMP/trunc.bin"
status "truncated request exits 2" 2 "$PASIDTOOL" attach decode "$TMP/trunc.bin" --variant v09d
"$PASIDTOOL" attach validate "$TMP/trunc.bin" --variant v09d > "$TMP/out.txt" 2>&1
check "truncated request: VIOMMU-TRUNCATED" grep -q 'needs 80 bytes, only 50 left \[VIOMMU-TRUNCATED\]' "$TMP/out.txt"
{ cat "$dir/v07.bin"; printf 'xy'; } > "$TMP/tail.bin"
"$PASIDTOOL" attach decode "$TMP/tail.bin" --variant v07 > /dev/null 2> "$TMP/err.txt"
status "garbage tail exits 2" 2 "$PASIDTOOL" attach decode "$TMP/tail.bin" --variant v07
check "garbage tail: VIOMMU-TRAILING at its offset" grep -q '0xf0: error: 2 trailing bytes.*VIOMMU-TRAILING' "$TMP/err.txt"
printf '\011\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$TMP/unknown.bin"
status "unknown type exits 2" 2 "$PASIDTOOL" attach validate "$TMP/unknown.bin"
"$PASIDTOOL" attach decode "$TMP/unknown.bin" --json > "$TMP/out.json" 2>/dev/null
check "unknown type: JSON still well formed" python3 -m json.tool "$TMP/out.json"
: > "$TMP/empty.bin"
status "empty file exits 2" 2 "$PASIDTOOL" attach decode "$TMP/empty.bin"
status "missing file exits 2" 2 "$PASIDTOOL" attach decode "$TMP/nonexistent.bin"
head -c 100000 /dev/urandom > "$TMP/random.bin" 2>/dev/null
for v in rfc1 v09d v07 intel qcom; do
	"$PASIDTOOL" attach validate "$TMP/random.bin" --variant "$v" > /dev/null 2>&1
	rc=$?
	if [ "$rc" -le 2 ]; then ok "random bytes as $v: exit $rc, no crash"; else not_ok "random bytes as $v: exit $rc"; fi
done

# Capabilities: from a PROBE request, or as key=value.
"$PASIDTOOL" attach validate "$dir/rfc1-faults.bin" --probe "$dir/rfc1-stream.bin" --probe-size 64 > "$TMP/out.txt"
check "--probe: caps of endpoint 8 warn for endpoint 9" grep -q 'endpoint 9, PROBE was for 8 \[ATTACH-CAPS-ENDPOINT\]' "$TMP/out.txt"
status "--probe with a non-PROBE file exits 2" 2 "$PASIDTOOL" attach validate "$dir/v09d.bin" --probe "$dir/rfc1-dump.bin"
status "--caps and --probe together exit 2" 2 "$PASIDTOOL" attach validate "$dir/v09d.bin" --caps oas=44 --probe "$dir/rfc1-stream.bin"
status "bad --caps key exits 2" 2 "$PASIDTOOL" attach validate "$dir/v09d.bin" --caps nope=1
status "--caps cd2l=0 turns the 64K-leaf attach into an error" 1 "$PASIDTOOL" attach validate "$dir/rfc1-stream.bin" --probe-size 64 --caps cd2l=0
status "--dump pointing nowhere useful exits 1" 1 "$PASIDTOOL" attach validate "$dir/rfc1-dump.bin" --dump "$dir/v07.bin@0x10"

# Usage.
status "unknown variant exits 2" 2 "$PASIDTOOL" attach decode "$dir/v07.bin" --variant v7
"$PASIDTOOL" attach decode "$dir/v07.bin" --variant v7 2> "$TMP/err.txt"
check "unknown variant suggests v07" grep -q "did you mean 'v07'" "$TMP/err.txt"
status "unknown action exits 2" 2 "$PASIDTOOL" attach decoed "$dir/v07.bin"
status "--dump with decode exits 2" 2 "$PASIDTOOL" attach decode "$dir/v07.bin" --dump "$dir/v07.bin"
"$PASIDTOOL" attach --help > "$TMP/help.txt"
check "--help lists the options and an example" grep -q 'pasidtool attach validate req.bin --probe' "$TMP/help.txt"

# build: atomic output, never over its input.
cp "$dir/v07.json" "$TMP/spec.json"
status "build refuses to overwrite its spec" 2 "$PASIDTOOL" attach build "$TMP/spec.json" -o "$TMP/spec.json" --variant v07
check "the spec is untouched" cmp "$dir/v07.json" "$TMP/spec.json"
cp "$dir/v07.bin" "$TMP/v07.bin"
"$PASIDTOOL" attach decode "$TMP/v07.bin" --variant v07 --json > "$TMP/v07.decode.json"
status "build refuses to overwrite the file the JSON was decoded from" 2 "$PASIDTOOL" attach build "$TMP/v07.decode.json" -o "$TMP/v07.bin"
echo '{"requests": [{"type": "attach_table", "s1fmt": "3lvl"}]}' > "$TMP/bad.json"
printf 'old' > "$TMP/keep.bin"
status "bad spec exits 2" 2 "$PASIDTOOL" attach build "$TMP/bad.json" -o "$TMP/keep.bin"
check "a failed build leaves the old output" grep -q '^old$' "$TMP/keep.bin"
status "--variant against the JSON's variant exits 2" 2 "$PASIDTOOL" attach build "$dir/v07.decode.json" -o "$TMP/x.bin" --variant qcom
echo '{"type": "attach", "domain": 1, "endpoint": 2}' > "$TMP/one.json"
"$PASIDTOOL" attach build "$TMP/one.json" -o "$TMP/one.bin"
check "a single request object builds a 24-byte ATTACH" test "$(wc -c < "$TMP/one.bin")" -eq 24

# The rules are listed by `pasidtool rules`.
"$PASIDTOOL" rules > "$TMP/rules.txt" 2>&1
for r in ATTACH-S1FMT PROBE-OVERRUN INVAL-PASID VIOMMU-TRUNCATED; do
	check "rules lists $r" grep -q "$r" "$TMP/rules.txt"
done

done_testing
