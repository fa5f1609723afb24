#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Record maps' outputs on testdata/ptw/regimes.elf (tests/cli/maps.t).
# Run from the top of the tree after a deliberate change; review the diff.
set -u
P=${PASIDTOOL:-build/rel/pasidtool}
d=testdata/ptw
for c in "s0:--sid 0" "s1:--sid 1 --ssid 1" "s2:--sid 2" "all:--all-sids" "ends:--sid 6" "nested:--sid 3"; do
	name=maps-${c%%:*}
	args=${c#*:}
	# shellcheck disable=SC2086
	"$P" maps "$d/regimes.elf" --strtab 0x90000000 --strtab-cfg 4 $args > "$d/$name.txt" 2>&1
	# shellcheck disable=SC2086
	"$P" maps "$d/regimes.elf" --strtab 0x90000000 --strtab-cfg 4 $args --json > "$d/$name.json" 2>/dev/null
done
