#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Failed runs: exit 2, the reason on stderr, and on stdout either nothing or
# (with --json) a document whose diagnostics carry the error and whose
# summary counts it. Numbers are decimal or 0x-hex; a leading 0 is decimal.
. "$(dirname "$0")/tap.sh"

img=testdata/cd/2lvl-4k.bin
mkdir "$TMP/dir"

# fails NAME ARGS...: exit 2, a message on stderr, and stdout empty or a
# JSON document counting at least one error.
fails() {
	tap_name=$1
	shift
	"$PASIDTOOL" "$@" > "$TMP/f.out" 2> "$TMP/f.err"
	tap_rc=$?
	if [ "$tap_rc" -ne 2 ]; then
		not_ok "$tap_name" "exit $tap_rc, wanted 2: $(cat "$TMP/f.out" "$TMP/f.err")"
	elif [ ! -s "$TMP/f.err" ]; then
		not_ok "$tap_name" "nothing on stderr; stdout: $(head -c 500 "$TMP/f.out")"
	elif [ -s "$TMP/f.out" ] && ! jq -e '.summary.errors >= 1 and (.diagnostics | length) >= 1' \
		"$TMP/f.out" > /dev/null 2>&1; then
		not_ok "$tap_name" "stdout is not empty and counts no error: $(head -c 500 "$TMP/f.out")"
	else
		ok "$tap_name"
	fi
}

for json in "" --json; do
	for cmd in decode validate; do
		fails "$cmd $json: a missing input" $cmd "$TMP/missing.bin" --ssid-bits 0 $json
		fails "$cmd $json: a directory" $cmd "$TMP/dir" --ssid-bits 0 $json
		fails "$cmd $json: an unknown layout" $cmd "$img" --layout bogus $json
		fails "$cmd $json: a bad number" $cmd "$img" --base 0x $json
		fails "$cmd $json: hex with trailing garbage" \
			$cmd "$img" --base 0x8x $json
		fails "$cmd $json: a root outside the input" $cmd "$img" --cd-table 0x99999999 --ssid-bits 0 $json
	done
	for sub in decode validate; do
		fails "attach $sub $json: a missing file" attach $sub "$TMP/missing.bin" $json
		fails "attach $sub $json: a directory" attach $sub "$TMP/dir" $json
	done
	fails "formats $json: an unknown format" formats no-such-format $json
	fails "rules $json: an unknown option" rules --no-such-option $json
done
fails "build: a missing spec" build "$TMP/missing.json" -o "$TMP/x.bin"
fails "build: a directory as spec" build "$TMP/dir" -o "$TMP/x.bin"
fails "attach build: a missing spec" attach build "$TMP/missing.json" -o "$TMP/x.bin"
fails "an unknown command" no-such-command

"$PASIDTOOL" build "$TMP/dir" -o "$TMP/x.bin" 2> "$TMP/bdir.err"
check "build DIR says it is a directory" grep -q 'is a directory' "$TMP/bdir.err"
"$PASIDTOOL" build "$TMP/missing.json" -o "$TMP/x.bin" 2> "$TMP/bmiss.err"
check "build MISSING says it cannot open it" grep -q 'missing.json: cannot open: No such file' "$TMP/bmiss.err"
# A spec on a pipe is held to the same cap as a file: stopped, not read whole.
{ printf '['; head -c 268439552 /dev/zero | tr '\000' ' '; } 2>/dev/null |
	"$PASIDTOOL" attach build - -o "$TMP/x.bin" 2> "$TMP/big.err"
check "attach build - of a 256 MiB pipe says it is larger than the cap" grep -q 'larger than' "$TMP/big.err"
"$PASIDTOOL" attach decode "$TMP/dir" 2> "$TMP/dir.err"
check "attach decode DIR says it is a directory" grep -q 'is a directory' "$TMP/dir.err"
"$PASIDTOOL" validate "$TMP/missing.bin" --ssid-bits 0 > "$TMP/v.out" 2> "$TMP/v.err"
check "validate: an unreadable input is reported on stderr" grep -q 'SRC-UNREADABLE' "$TMP/v.err"
check "validate: and not on stdout" test ! -s "$TMP/v.out"
"$PASIDTOOL" validate "$img" --layout bogus --json > "$TMP/u.out" 2> /dev/null
check "a usage error with --json prints no document saying errors: 0" test ! -s "$TMP/u.out"

# --base 010 is ten, not octal eight: the table root moves by 10 bytes.
"$PASIDTOOL" decode "$img" --base 010 --ssid-bits 8 --layout 2lvl-4k 2>/dev/null | head -n 1 > "$TMP/b.txt"
check "--base 010 is decimal ten" grep -q '@ 0xa:' "$TMP/b.txt"
"$PASIDTOOL" decode "$img" --base 0x10 --ssid-bits 8 --layout 2lvl-4k 2>/dev/null | head -n 1 > "$TMP/b.txt"
check "--base 0x10 is sixteen" grep -q '@ 0x10:' "$TMP/b.txt"
"$PASIDTOOL" decode "$img@010" --ssid-bits 8 --layout 2lvl-4k 2>/dev/null | head -n 1 > "$TMP/b.txt"
check "FILE@010 is decimal ten" grep -q '@ 0xa:' "$TMP/b.txt"

done_testing
