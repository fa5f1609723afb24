#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# .clusterfuzzlite/build.sh, run as ClusterFuzzLite/OSS-Fuzz would (no Docker
# here): CC, CFLAGS, LIB_FUZZING_ENGINE, OUT, SRC set; every harness, its
# seed corpus zip, dictionary and options must land in $OUT, and one harness
# must run 100 inputs. Skipped without clang, zip or bash.
. tests/cli/tap.sh

names=$(ls fuzz/fuzz_*.c 2>/dev/null | sed 's,fuzz/fuzz_\(.*\)\.c,\1,')
if ! command -v clang >/dev/null || ! command -v zip >/dev/null || ! command -v bash >/dev/null ||
	[ -z "$names" ]; then
	echo "1..0 # SKIP needs clang, zip, bash and fuzz harnesses"
	exit 0
fi

OUT="$TMP/out"
mkdir -p "$OUT" "$TMP/work"
# ASan of the surrounding build must not leak into clang or the harness.
env -u ASAN_OPTIONS -u UBSAN_OPTIONS CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$OUT" SRC="$(cd .. && pwd)" WORK="$TMP/work" \
	bash .clusterfuzzlite/build.sh > "$TMP/build.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "build.sh exits 0"; else
	not_ok "build.sh exits 0" "$(tail -n 30 "$TMP/build.log")"; fi

for n in $names; do
	check "$n: harness binary in \$OUT" test -x "$OUT/$n"
	check "$n: seed corpus zip in \$OUT, not empty" sh -c \
		"unzip -l '$OUT/${n}_seed_corpus.zip' | grep -q ' 1 file\| [0-9][0-9]* files'"
	check "$n: dictionary in \$OUT" test -s "$OUT/$n.dict"
	check "$n: options name the dictionary" grep -q "^dict = $n.dict" "$OUT/$n.options"
done

check "project.yaml: language c, address and undefined" sh -c \
	"grep -q '^language: c' .clusterfuzzlite/project.yaml &&
	 grep -q '^  - address' .clusterfuzzlite/project.yaml &&
	 grep -q '^  - undefined' .clusterfuzzlite/project.yaml"
check "Dockerfile: base-builder, libelf-dev, libjansson-dev" sh -c \
	"grep -q '^FROM gcr.io/oss-fuzz-base/base-builder' .clusterfuzzlite/Dockerfile &&
	 grep -q 'libelf-dev' .clusterfuzzlite/Dockerfile &&
	 grep -q 'libjansson-dev' .clusterfuzzlite/Dockerfile"

first=$(echo "$names" | head -n 1)
mkdir -p "$TMP/corpus"
(cd "$TMP/corpus" && unzip -q "$OUT/${first}_seed_corpus.zip")
env -u ASAN_OPTIONS -u UBSAN_OPTIONS "$OUT/$first" -runs=100 -dict="$OUT/$first.dict" \
	"$TMP/corpus" > "$TMP/run.log" 2>&1
rc=$?
# -runs=100 counts mutations after the seed corpus has been read.
if [ "$rc" -eq 0 ] && grep -q "^Done [0-9]* runs" "$TMP/run.log"; then
	ok "$first runs its seed corpus and 100 more inputs"
else
	not_ok "$first runs its seed corpus and 100 more inputs" "$(tail -n 20 "$TMP/run.log")"
fi
done_testing
