#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The licence: LICENSE holds the GPL version 2 text, and every source file,
# script and makefile of the project names its licence in an SPDX line.
. tests/cli/tap.sh

if grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE && grep -q 'Version 2, June 1991' LICENSE; then
	ok "LICENSE is the GPL version 2 text"
else
	not_ok "LICENSE is the GPL version 2 text"
fi

# Which files need the line: code and scripts, by name; data and docs do not.
needs_spdx() {
	case $1 in
	testdata/* | fuzz/corpus/* | fuzz/regressions/*) return 1 ;;
	*.c | *.h | *.sh | *.t | *.py | *.mk | Makefile | .ci/run | *.bash) return 0 ;;
	esac
	head -n 1 "$1" | grep -q '^#!'
}

if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -type f ! -path './build/*' ! -path './.git/*' | sed 's|^\./||')
fi
n=0 missing=""
for f in $files; do
	[ -f "$f" ] || continue
	needs_spdx "$f" || continue
	n=$((n + 1))
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-or-later' || missing="$missing $f"
done
if [ "$n" -gt 100 ] && [ -z "$missing" ]; then
	ok "all $n source files carry SPDX-License-Identifier: GPL-2.0-or-later"
else
	not_ok "all $n source files carry an SPDX line" "missing:$missing"
fi
echo "1..$TAP_N"
