#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# INT, TERM, HUP and PIPE at several points of a large build leave the old
# target or the whole new one, and no temporary file (tests/hostile/signals.py).
: "${PASIDTOOL:?PASIDTOOL must name the pasidtool binary}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/hostile/signals.py "$PASIDTOOL" "$work"
