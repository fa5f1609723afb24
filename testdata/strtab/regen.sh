#!/bin/sh
# Rebuild the stream-table samples from their JSON specs (raw images, and an
# ELF core of two-level.json) and record the expected outputs of decode and
# validate (text and JSON). Run from the repository root after a deliberate
# output change, then review the diff:
#   PASIDTOOL=build/rel/pasidtool sh testdata/strtab/regen.sh
set -eu
: "${PASIDTOOL:=build/rel/pasidtool}"
dir=testdata/strtab
"$PASIDTOOL" build "$dir/two-level.json" -o "$dir/two-level.bin"
"$PASIDTOOL" build "$dir/two-level.json" --elf -o "$dir/two-level.elf"
"$PASIDTOOL" build "$dir/linear.json" -o "$dir/linear.bin"
grep -v '^#' "$dir/cases" | while IFS='	' read -r name img args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	{
		"$PASIDTOOL" decode "$dir/$img" $args > "$dir/$name.decode.txt" 2>&1 || true
		"$PASIDTOOL" decode "$dir/$img" $args --json > "$dir/$name.decode.json" || true
		"$PASIDTOOL" validate "$dir/$img" $args > "$dir/$name.validate.txt" || true
		"$PASIDTOOL" validate "$dir/$img" $args --json > "$dir/$name.validate.json" || true
	}
done
