#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-or-later
# ClusterFuzzLite / OSS-Fuzz build script (google/clusterfuzzlite
# docs/build_integration.md): every fuzz/fuzz_NAME.c becomes $OUT/NAME,
# linked with $LIB_FUZZING_ENGINE, next to NAME_seed_corpus.zip (fuzz/corpus/NAME
# and fuzz/regressions/NAME), NAME.dict and NAME.options. Honours $CC,
# $CFLAGS, $LIB_FUZZING_ENGINE, $OUT, $SRC (and $WORK for intermediates);
# flags are not hard-coded. tests/cli/fuzz-build.t runs it outside Docker.

# The repository: where this script lives (../), the working directory, or
# $SRC/pasidtool, whichever holds the fuzz harnesses.
here=$(cd "$(dirname "$0")" && pwd)
for repo in "$here/.." "$PWD" "$SRC/pasidtool"; do
	[ -f "$repo/fuzz/replay.c" ] && break
done
cd "$repo"

work=${WORK:-$(mktemp -d)}/pasidtool-fuzz
mkdir -p "$work" "$OUT"

# The library, instrumented as the engine asks, with the project's own rules.
make -s BUILD="$work/lib" SAN=0 CC="$CC" CFLAGS="$CFLAGS" WERROR= "$work/lib/libpasid.a"

# Link jansson statically when possible: the runner image has no libjansson.
jdir=$(pkg-config --variable=libdir jansson 2>/dev/null || true)
if [ -n "$jdir" ] && [ -f "$jdir/libjansson.a" ]; then
	jansson="$jdir/libjansson.a"
else
	jansson=-ljansson
fi
cppflags="-D_GNU_SOURCE -Icore -Iformats -Icli -Ifuzz $(pkg-config --cflags jansson 2>/dev/null || true)"

# The libraries libpasid reads dumps with (libelf; zlib, lzo, snappy, zstd
# for kdump pages): static archives when installed, for the same reason.
deps=""
for spec in libelf:elf zlib:z lzo2:lzo2 snappy:snappy libzstd:zstd; do
	pkg=${spec%%:*} lib=${spec#*:}
	pkg-config --exists "$pkg" 2>/dev/null || continue
	dir=$(pkg-config --variable=libdir "$pkg")
	if [ -f "$dir/lib$lib.a" ]; then
		deps="$deps $dir/lib$lib.a"
		[ "$lib" = snappy ] && deps="$deps -lstdc++"
	else
		deps="$deps -l$lib"
	fi
done
[ -n "$deps" ] || deps="-lelf -lz"

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	# shellcheck disable=SC2086
	$CC $CFLAGS -std=c11 $cppflags -c "$src" -o "$work/$name.o"
	# shellcheck disable=SC2086
	$CC $CFLAGS "$work/$name.o" -o "$OUT/$name" $LIB_FUZZING_ENGINE "$work/lib/libpasid.a" $jansson \
		$deps
	[ -f "fuzz/dicts/$name.dict" ] && cp "fuzz/dicts/$name.dict" "$OUT/$name.dict"
	[ -f "fuzz/$name.options" ] && cp "fuzz/$name.options" "$OUT/$name.options"
	rm -f "$OUT/${name}_seed_corpus.zip"
	for d in "fuzz/corpus/$name" "fuzz/regressions/$name"; do
		[ -d "$d" ] && (cd "$d" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
	done
done
echo "build.sh: $(ls fuzz/fuzz_*.c | wc -l) harnesses in $OUT"
