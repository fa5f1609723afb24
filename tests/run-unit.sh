#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the cmocka unit-test binaries; record one line per test program in
# $BUILD/results/unit ("pass NAME N" / "fail NAME N" with the test count).
BUILD=$1
shift
out="$BUILD/results/unit"
: > "$out"
for bin in "$@"; do
	name=$(basename "$bin")
	log="$BUILD/results/$name.log"
	if "$bin" > "$log" 2>&1; then st=pass; else st=fail; fi
	# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
	np=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	nf=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	echo "unit $name: $st (${np:-0} passed, ${nf:-0} failed)"
	[ "$st" = fail ] && sed -n '/FAILED\|ERROR\|Failure\|runtime error\|Sanitizer/p' "$log" | head -n 20
	echo "$st $name ${np:-0} ${nf:-0}" >> "$out"
done
exit 0
