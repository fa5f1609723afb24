#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerate the seed part of the fuzz corpora (fuzz/corpus/NAME/seed-*) from
# the library's own tables and from testdata/ (make fuzz-seeds). Files the
# fuzzer found (named by content hash, merged with make fuzz-merge) are kept.
set -eu
BUILD=${1:-build/rel}
mkdir -p fuzz/corpus
for d in fuzz/corpus/*/; do
	[ -d "$d" ] && rm -f "$d"seed-*
done
"$BUILD/fuzztools/genseed" fuzz/corpus testdata
for d in fuzz/corpus/*/; do
	printf '  %-16s %4d files %6d KiB\n' "$(basename "$d")" "$(ls "$d" | wc -l)" \
		"$(du -sk "$d" | cut -f1)"
done
