#!/bin/sh
# Rebuild the request samples from their JSON specs with `attach build`, and
# record the expected outputs of `attach decode` and `attach validate` (text
# and JSON). Run from the repository root after a deliberate change, then
# review the diff:
#   PASIDTOOL=build/rel/pasidtool sh testdata/attach/regen.sh
set -eu
: "${PASIDTOOL:=build/rel/pasidtool}"
dir=testdata/attach
grep -v '^#' "$dir/cases" | while IFS='	' read -r name opts vopts; do
	[ -n "$name" ] || continue
	[ "$opts" = - ] && opts=
	[ "$vopts" = - ] && vopts=
	# shellcheck disable=SC2086
	{
		"$PASIDTOOL" attach build "$dir/$name.json" -o "$dir/$name.bin" $opts
		"$PASIDTOOL" attach decode "$dir/$name.bin" $opts > "$dir/$name.decode.txt" 2>/dev/null || true
		"$PASIDTOOL" attach decode "$dir/$name.bin" $opts --json > "$dir/$name.decode.json" || true
		"$PASIDTOOL" attach validate "$dir/$name.bin" $opts $vopts > "$dir/$name.validate.txt" || true
		"$PASIDTOOL" attach validate "$dir/$name.bin" $opts $vopts --json > "$dir/$name.validate.json" || true
	}
done
