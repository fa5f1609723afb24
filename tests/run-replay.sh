#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Replay every fuzz corpus and saved reproducer (fuzz/corpus/NAME,
# fuzz/regressions/NAME) through the standalone drivers $BUILD/replay/NAME
# (fuzz/replay.c: no libFuzzer, same compiler and sanitizers as the build);
# record the counts in $BUILD/results/replay. A driver must print
# "replayed N inputs" and exit 0; when one fails, it is run again naming
# each file, so the log ends with the input that crashed.
BUILD=$1
out="$BUILD/results/replay"
mkdir -p "$BUILD/results"
: > "$out"
for bin in "$BUILD"/replay/*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	dirs=""
	for d in "fuzz/corpus/$name" "fuzz/regressions/$name"; do
		[ -d "$d" ] && dirs="$dirs $d"
	done
	[ -n "$dirs" ] || continue
	log="$BUILD/results/replay-$name.log"
	# shellcheck disable=SC2086
	if "$bin" $dirs > "$log" 2>&1 && grep -q '^replayed [0-9]* inputs' "$log"; then
		st=pass; nf=0
	else
		st=fail; nf=1
		# shellcheck disable=SC2086
		REPLAY_VERBOSE=1 "$bin" $dirs >> "$log" 2>&1
	fi
	n=$(sed -n 's/^replayed \([0-9]*\) inputs.*/\1/p' "$log" | tail -n 1)
	echo "replay $name: $st (${n:-0} inputs)"
	if [ "$st" = fail ]; then
		grep '^replay: ' "$log" | tail -n 1
		tail -n 20 "$log"
	fi
	echo "$st replay-$name ${n:-0} $nf" >> "$out"
done
exit 0
