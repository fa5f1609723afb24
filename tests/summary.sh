#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Add up the results of every run and print the closing line CI reads:
# "N passed, N failed". Exit 1 when anything failed or nothing ran.
passed=0
failed=0
for dir in "$@"; do
	for f in "$dir"/unit "$dir"/cli "$dir"/replay; do
		[ -f "$f" ] || continue
		while read -r st name np nf; do
			passed=$((passed + np))
			failed=$((failed + nf))
			[ "$st" = fail ] && [ "$nf" -eq 0 ] && failed=$((failed + 1))
			: "$name"
		done < "$f"
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
