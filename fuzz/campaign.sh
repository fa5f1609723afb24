#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A fuzzing campaign on this machine: every harness (or those named) for
# SECONDS each, JOBS at a time, in fork mode so that a crash is saved and
# fuzzing goes on. Corpora grow in build/fuzz/corpus/NAME (seeded from
# fuzz/corpus/NAME), findings land in build/fuzz/artifacts/NAME/, logs in
# build/fuzz/campaign/NAME.log. Afterwards: make fuzz-merge, and move each
# reproducer to fuzz/regressions/NAME/ once fixed.
#   sh fuzz/campaign.sh [-t SECONDS] [-j JOBS] [NAME...]
set -eu
SECONDS_EACH=600
JOBS=2
while getopts t:j: o; do
	case $o in
	t) SECONDS_EACH=$OPTARG ;;
	j) JOBS=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
names=${*:-$(ls fuzz/fuzz_*.c | sed 's,fuzz/fuzz_\(.*\)\.c,\1,')}
mkdir -p build/fuzz/campaign
run() {
	n=$1
	mkdir -p "build/fuzz/corpus/$n" "build/fuzz/artifacts/$n"
	dict=
	[ -f "fuzz/dicts/$n.dict" ] && dict="-dict=fuzz/dicts/$n.dict"
	maxlen=$(sed -n 's/^max_len *= *//p' "fuzz/$n.options" 2>/dev/null || true)
	# shellcheck disable=SC2086
	"build/fuzz/$n" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 \
		-artifact_prefix="build/fuzz/artifacts/$n/" $dict ${maxlen:+-max_len=$maxlen} \
		"build/fuzz/corpus/$n" "fuzz/corpus/$n" > "build/fuzz/campaign/$n.log" 2>&1 || true
	echo "campaign: $n done: $(ls "build/fuzz/artifacts/$n" | wc -l) artifacts"
}
set -- $names
while [ $# -gt 0 ]; do
	i=0
	while [ $i -lt "$JOBS" ] && [ $# -gt 0 ]; do
		run "$1" &
		shift
		i=$((i + 1))
	done
	wait
done
