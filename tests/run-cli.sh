#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every TAP script tests/cli/*.t against $BUILD/pasidtool; record the
# counts in $BUILD/results/cli.
BUILD=$1
PASIDTOOL=$(cd "$BUILD" && pwd)/pasidtool
export PASIDTOOL BUILD
out="$BUILD/results/cli"
: > "$out"
for t in tests/cli/*.t; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .t)
	log="$BUILD/results/cli-$name.log"
	sh "$t" > "$log" 2>&1
	rc=$?
	np=$(grep -c '^ok ' "$log")
	nf=$(grep -c '^not ok ' "$log")
	plan=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$log" | head -n 1)
	if [ "$rc" -ne 0 ] || [ "$nf" -ne 0 ] || [ -z "$plan" ] || [ "$plan" -ne $((np + nf)) ]; then
		st=fail
		[ "$nf" -eq 0 ] && nf=1
	else
		st=pass
	fi
	echo "cli $name: $st ($np passed, $nf failed)"
	[ "$st" = fail ] && grep -A3 '^not ok' "$log" | head -n 30
	echo "$st $name $np $nf" >> "$out"
done
exit 0
