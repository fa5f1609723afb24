#!/bin/sh
# Replay every fuzz corpus and saved reproducer through the standalone
# drivers (no libFuzzer needed); record the counts in $BUILD/results/replay.
BUILD=$1
out="$BUILD/results/replay"
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
	if "$bin" $dirs > "$log" 2>&1; then st=pass; nf=0; else st=fail; nf=1; fi
	n=$(sed -n 's/^replayed \([0-9]*\) inputs.*/\1/p' "$log" | tail -n 1)
	echo "replay $name: $st (${n:-0} inputs)"
	[ "$st" = fail ] && tail -n 20 "$log"
	echo "$st replay-$name ${n:-0} $nf" >> "$out"
done
exit 0
