#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# exec/s of each fuzz harness as CI's smoke run sees it: one process, ASan +
# UBSan (build/fuzz), from the committed corpus into an empty one, with the
# harness's dictionary and max_len, for SECONDS each. libFuzzer's own
# figure divides by wall time, which on a shared machine says as much about
# the neighbours as about the harness; the CPU figure divides the same
# executions by the process's user + system time. The time the committed
# corpus takes to load (libFuzzer's INITED line) is shown apart.
#   sh fuzz/bench.sh [-t SECONDS] [NAME...]
set -eu
SECONDS_EACH=20
while getopts t: o; do
	case $o in
	t) SECONDS_EACH=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
names=${*:-$(ls fuzz/fuzz_*.c | sed 's,fuzz/fuzz_\(.*\)\.c,\1,')}
work=build/fuzz/bench
mkdir -p "$work"
printf '%-16s %9s %9s %9s %10s %8s\n' harness execs 'exec/s' 'cpu s' 'exec/cpu-s' 'init s'
for n in $names; do
	rm -rf "$work/corpus" && mkdir -p "$work/corpus"
	dict=
	[ -f "fuzz/dicts/$n.dict" ] && dict="-dict=fuzz/dicts/$n.dict"
	maxlen=$(sed -n 's/^max_len *= *//p' "fuzz/$n.options" 2>/dev/null || true)
	log="$work/$n.log"
	# shellcheck disable=SC2086
	/usr/bin/time -f 'cpu %U %S' -o "$work/$n.time" "build/fuzz/$n" -seed=1 \
		-max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" $dict ${maxlen:+-max_len=$maxlen} \
		"$work/corpus" "fuzz/corpus/$n" > "$log" 2>&1 ||
		{ tail -n 30 "$log"; echo "bench-fuzz: $n FAILED" >&2; exit 1; }
	awk -v n="$n" '
		/^stat::number_of_executed_units:/ { execs = $2 }
		/^stat::average_exec_per_sec:/ { eps = $2 }
		/INITED/ && !init { init = 1; ie = substr($1, 2);
			for (i = 1; i < NF; i++) if ($i == "exec/s:") ieps = $(i + 1) }
		/^cpu / { cpu = $2 + $3 }
		END {
			printf "%-16s %9d %9d %9.1f %10d %8.1f\n", n, execs, eps, cpu,
				(cpu > 0 ? execs / cpu : 0), (ieps > 0 ? ie / ieps : 0)
		}' "$log" "$work/$n.time"
done
