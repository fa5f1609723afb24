#!/bin/sh
# Rebuild the sample images from their JSON specs and record the expected
# outputs of decode and validate (text and JSON). Run from the repository
# root after a deliberate output change, then review the diff:
#   PASIDTOOL=build/rel/pasidtool sh testdata/vtd/regen.sh
set -eu
: "${PASIDTOOL:=build/rel/pasidtool}"
dir=testdata/vtd
grep -v '^#' "$dir/cases" | while IFS='	' read -r name args; do
	[ -n "$name" ] || continue
	"$PASIDTOOL" build "$dir/$name.json" -o "$dir/$name.bin"
	# shellcheck disable=SC2086
	{
		"$PASIDTOOL" decode "$dir/$name.bin" $args > "$dir/$name.decode.txt" || true
		"$PASIDTOOL" decode "$dir/$name.bin" $args --json > "$dir/$name.decode.json" || true
		"$PASIDTOOL" decode "$dir/$name.bin" $args --all > "$dir/$name.decode-all.txt" || true
		"$PASIDTOOL" validate "$dir/$name.bin" $args > "$dir/$name.validate.txt" || true
		"$PASIDTOOL" validate "$dir/$name.bin" $args --json > "$dir/$name.validate.json" || true
	}
done
