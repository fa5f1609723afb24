#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Rebuild testdata/ptw from regimes.json and record translate's outputs.
# Run from the top of the tree after a deliberate change; review the diff.
set -eu
P=${PASIDTOOL:-build/rel/pasidtool}
d=testdata/ptw
"$P" build "$d/regimes.json" --elf -o "$d/regimes.elf"
grep -v '^#' "$d/cases" | while IFS='	' read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	"$P" translate "$d/regimes.elf" $args > "$d/$name.txt" 2>&1 || true
	# shellcheck disable=SC2086
	"$P" translate "$d/regimes.elf" $args --json > "$d/$name.json" 2>/dev/null || true
done
