#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libpasid as a user gets it: the shared library exports exactly the
# functions <pasid/pasid.h> declares, under a versioned soname; make install
# DESTDIR= puts library, header and pkg-config file in place; the examples
# compile against that copy with pkg-config (shared and static) and print
# what pasidtool decode and validate print about the same tables.
. tests/cli/tap.sh
# make check passes BUILD; run by hand, the binary's directory is the build.
: "${BUILD:=$(dirname "$PASIDTOOL")}"
CC=${CC:-cc}
ver=$(cat VERSION)
major=${ver%%.*}
so="$BUILD/libpasid.so.$ver"

# ---- the ABI: the header's functions, nothing else ----

# The functions the header declares (each declaration names its function
# on its PASID_API line).
sed -n 's/^PASID_API .*[ *]\(pasid_[a-z0-9_]*\)(.*/\1/p' include/pasid/pasid.h | sort > "$TMP/api.h.txt"
# Version nodes of the version script are defined (absolute) symbols too.
sed -n 's/^\(PASID_[0-9_]*\) *{.*/\1/p' lib/pasid.map | sort > "$TMP/nodes.txt"
nm -D --defined-only "$so" > "$TMP/nm.txt"
awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' "$TMP/nm.txt" | sort > "$TMP/api.so.txt"
awk '$2 != "T" { print $3 }' "$TMP/nm.txt" | sort > "$TMP/other.so.txt"
if [ "$(wc -l < "$TMP/api.h.txt")" -ge 15 ]; then
	same "the library exports exactly the functions pasid.h declares" "$TMP/api.h.txt" "$TMP/api.so.txt"
else
	not_ok "the header declares the API" "$(cat "$TMP/api.h.txt")"
fi
same "its only other symbols are the version script's nodes" "$TMP/nodes.txt" "$TMP/other.so.txt"
bad=$(awk '$2 == "T" && $3 !~ /@@PASID_[0-9]+$/' "$TMP/nm.txt")
if [ -z "$bad" ]; then ok "every export carries a version node"; else
	not_ok "every export carries a version node" "$bad"; fi
soname=$(readelf -d "$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" = "libpasid.so.$major" ] && [ "$(readlink "$BUILD/libpasid.so.$major")" = "libpasid.so.$ver" ]; then
	ok "soname libpasid.so.$major, real name libpasid.so.$ver"
else
	not_ok "soname libpasid.so.$major, real name libpasid.so.$ver" "soname '$soname'"
fi
if ar t "$BUILD/libpasid.a" | grep -q '^pasid_table\.o$' && ! ar t "$BUILD/libpasid.a" | grep -q '^cmd_'; then
	ok "the static library the CLI links holds the API and no CLI code"
else
	not_ok "the static library the CLI links holds the API and no CLI code"
fi

# ---- make install DESTDIR= ----

dest="$TMP/dest"
# -o: never rebuild (the sanitizer build must stay a sanitizer build).
make -s -o "$BUILD/pasidtool" -o "$BUILD/libpasid.a" -o "$so" install DESTDIR="$dest" \
	PREFIX=/usr BUILD="$BUILD" > "$TMP/install.log" 2>&1
lib="$dest/usr/lib"
bad=""
for f in lib/libpasid.a "lib/libpasid.so.$ver" include/pasid/pasid.h lib/pkgconfig/pasid.pc; do
	[ -f "$dest/usr/$f" ] || bad="$bad missing:$f"
done
[ "$(readlink "$lib/libpasid.so.$major")" = "libpasid.so.$ver" ] || bad="$bad link:so.$major"
[ "$(readlink "$lib/libpasid.so")" = "libpasid.so.$major" ] || bad="$bad link:so"
cmp -s include/pasid/pasid.h "$dest/usr/include/pasid/pasid.h" || bad="$bad header-differs"
cmp -s "$so" "$lib/libpasid.so.$ver" || bad="$bad so-differs"
if [ -z "$bad" ]; then ok "make install puts libpasid, its header and pasid.pc in place"; else
	not_ok "make install puts libpasid, its header and pasid.pc in place" "$bad $(cat "$TMP/install.log")"; fi

pc() {
	PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --define-variable=prefix="$dest/usr" "$@" pasid
}
if [ "$(pc --modversion)" = "$ver" ] && pc --cflags | grep -q -- "-I$dest/usr/include" &&
	pc --libs | grep -q -- "-L$lib -lpasid"; then
	ok "pkg-config finds the DESTDIR copy (version, -I, -L -lpasid)"
else
	not_ok "pkg-config finds the DESTDIR copy" "$(pc --modversion) $(pc --cflags --libs)"
fi

printf '#include <pasid/pasid.h>\nint main(void) { return pasid_version() == 0; }\n' > "$TMP/hdr.c"
cp "$TMP/hdr.c" "$TMP/hdr.cc"
if $CC -std=c99 -Wall -Wextra -Wpedantic -Werror -I"$dest/usr/include" -fsyntax-only "$TMP/hdr.c" &&
	c++ -std=c++11 -Wall -Wextra -Werror -I"$dest/usr/include" -fsyntax-only "$TMP/hdr.cc"; then
	ok "the installed header compiles alone as C99 and C++11"
else
	not_ok "the installed header compiles alone as C99 and C++11"
fi

# A sanitizer build of the library needs its runtime in the program too.
san=""
readelf -d "$so" | grep -q 'libasan' && san="-fsanitize=address,undefined"
strict="-std=c11 -Wall -Wextra -Wpedantic -Werror"
# shellcheck disable=SC2046,SC2086
$CC $strict $san examples/decode_cd.c $(pc --cflags --libs) -Wl,-rpath,"$lib" \
	-o "$TMP/decode_cd" > "$TMP/cc.log" 2>&1
# shellcheck disable=SC2046,SC2086
$CC $strict $san examples/decode_cd.c $(pc --cflags) $(pc --libs-only-L) -Wl,-Bstatic -lpasid \
	-Wl,-Bdynamic $(pc --static --libs-only-l | sed 's/-lpasid//') -o "$TMP/decode_cd_static" \
	>> "$TMP/cc.log" 2>&1
# shellcheck disable=SC2046,SC2086
$CC $strict $san examples/strtab_cds.c $(pc --cflags --libs) -Wl,-rpath,"$lib" \
	-o "$TMP/strtab_cds" >> "$TMP/cc.log" 2>&1
needs() { readelf -d "$1" 2>/dev/null | grep -q "NEEDED.*\[libpasid.so.$major\]"; }
if needs "$TMP/decode_cd" && needs "$TMP/strtab_cds"; then
	ok "the examples build with pkg-config and load libpasid.so.$major"
else
	not_ok "the examples build with pkg-config and load libpasid.so.$major" "$(cat "$TMP/cc.log")"
fi
if [ -x "$TMP/decode_cd_static" ] && ! needs "$TMP/decode_cd_static"; then
	ok "decode_cd links libpasid.a statically (pkg-config --static)"
else
	not_ok "decode_cd links libpasid.a statically (pkg-config --static)" "$(cat "$TMP/cc.log")"
fi

# ---- the examples print what pasidtool prints ----

arg() { printf '%s\n' "$2" | sed -n "s/.*--$1 \([^ ]*\).*/\1/p"; }
grep -v '^#' testdata/cd/cases > "$TMP/cases"
while IFS='	' read -r name args; do
	[ -n "$name" ] || continue
	img=testdata/cd/$name.bin
	base=$(arg base "$args")
	layout=$(arg layout "$args")
	bits=$(arg ssid-bits "$args")
	caps=$(arg caps "$args")
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode "$img" $args --json > "$TMP/decode.json"
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$img" $args > "$TMP/validate.txt"
	want=$?
	sed '$d' "$TMP/validate.txt" > "$TMP/findings.want"
	for kind in shared static; do
		bin="$TMP/decode_cd"
		[ $kind = static ] && bin="$TMP/decode_cd_static"
		# shellcheck disable=SC2086
		"$bin" "$img" "$base" "${layout:-linear}" "$bits" $caps > "$TMP/ex.out" 2> "$TMP/ex.err"
		got=$?
		check "$name ($kind): decode_cd's entries are decode --json's" \
			python3 tests/lib/compare_decode.py cd "$TMP/decode.json" "$TMP/ex.out"
		grep "^$img" "$TMP/ex.out" > "$TMP/findings.got"
		same "$name ($kind): decode_cd's findings are validate's" "$TMP/findings.want" "$TMP/findings.got"
		if [ "$got" -eq "$want" ]; then ok "$name ($kind): decode_cd exits $want as validate does"; else
			not_ok "$name ($kind): decode_cd exits $want as validate does" "exit $got: $(cat "$TMP/ex.err")"; fi
	done
done < "$TMP/cases"

dump=testdata/dumps/guest.elf
root=$(sed -n "s|^ *pasidtool decode $dump ||p" testdata/dumps/README)
# shellcheck disable=SC2086
"$PASIDTOOL" decode $dump $root --json > "$TMP/guest.json"
# shellcheck disable=SC2086
set -- $root
"$TMP/strtab_cds" $dump "$2" "$4" > "$TMP/strtab.out" 2>&1
ncd=$(grep -c '^sid ' "$TMP/strtab.out")
if [ "$ncd" -ge 3 ]; then
	check "strtab_cds reaches the STEs, CD tables and CDs decode --strtab reaches" \
		python3 tests/lib/compare_decode.py strtab "$TMP/guest.json" "$TMP/strtab.out"
else
	not_ok "strtab_cds reaches the guest's CD tables" "$(head -c 2000 "$TMP/strtab.out")"
fi
# The same dump as makedumpfile writes it (kdump-compressed, zlib and lzo):
# the library opens it as decode does.
python3 tests/tools/vmcore-wrap.py $dump "$TMP/wrap.elf"
for m in c l; do
	if makedumpfile -$m -d 1 "$TMP/wrap.elf" "$TMP/dump-$m.kd" > "$TMP/mdf.log" 2>&1; then
		"$TMP/strtab_cds" "$TMP/dump-$m.kd" "$2" "$4" > "$TMP/kd.out" 2>&1
		check "strtab_cds on a kdump-compressed dump (makedumpfile -$m) reaches what decode does" \
			python3 tests/lib/compare_decode.py strtab "$TMP/guest.json" "$TMP/kd.out"
	else
		not_ok "makedumpfile -$m writes the guest dump (tests/deps.sh installs it)" "$(cat "$TMP/mdf.log")"
	fi
done
status "decode_cd: a missing file is exit 2 with the reason" 2 "$TMP/decode_cd" /nonexistent.bin 0 linear 0
grep -q "nonexistent.bin.*SRC-UNREADABLE" "$TMP/status.out" && ok "decode_cd: the reason names the file and rule" ||
	not_ok "decode_cd: the reason names the file and rule" "$(cat "$TMP/status.out")"

# ---- Python (ctypes) over the installed copy ----

# python3 is the system's when it has drgn (Debian's python3-drgn).
py=python3
/usr/bin/python3 -c 'import drgn' 2>/dev/null && py=/usr/bin/python3
pyrun() {
	if [ -n "$san" ]; then
		# A sanitized library loaded into python needs its runtimes first;
		# python's own allocations are not the library's leaks.
		LD_PRELOAD="$($CC -print-file-name=libasan.so) $($CC -print-file-name=libubsan.so)" \
			ASAN_OPTIONS=detect_leaks=0 PASID_LIBRARY="$lib/libpasid.so.$major" "$py" "$@"
	else
		PASID_LIBRARY="$lib/libpasid.so.$major" "$py" "$@"
	fi
}
# Every bundled CD and VT-d PASID table case, decoded and validated from
# Python as pasidtool does.
for set in cd vtd; do
	grep -v '^#' testdata/$set/cases | sed "s|^|$set	|"
done > "$TMP/pycases"
while IFS='	' read -r set name args; do
	[ -n "$name" ] || continue
	img=testdata/$set/$name.bin
	fmt=$(arg format "$args")
	layout=$(arg layout "$args")
	# shellcheck disable=SC2086
	"$PASIDTOOL" decode $img $args --json > "$TMP/decode.json"
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate $img $args > "$TMP/validate.txt"
	want=$?
	sed '$d' "$TMP/validate.txt" > "$TMP/findings.want"
	pyrun python/examples/decode_table.py $img "${fmt:-smmuv3-cd}" "$(arg base "$args")" \
		"${layout:-default}" "$(arg ssid-bits "$args")" "$(arg caps "$args")" \
		> "$TMP/py.out" 2> "$TMP/py.err"
	got=$?
	check "python $set/$name: entries are decode --json's" \
		python3 tests/lib/compare_decode.py cd "$TMP/decode.json" "$TMP/py.out"
	grep "^$img" "$TMP/py.out" > "$TMP/findings.got"
	same "python $set/$name: findings are validate's" "$TMP/findings.want" "$TMP/findings.got"
	if [ "$got" -eq "$want" ]; then ok "python $set/$name: exits $want as validate does"; else
		not_ok "python $set/$name: exits $want as validate does" "exit $got: $(cat "$TMP/py.err")"; fi
done < "$TMP/pycases"
pyrun python/tests/test_pasid.py > "$TMP/pyunit.out" 2>&1
if [ $? -eq 0 ] && grep -q '^OK' "$TMP/pyunit.out"; then ok "python/tests/test_pasid.py passes"; else
	not_ok "python/tests/test_pasid.py passes" "$(tail -n 30 "$TMP/pyunit.out")"; fi

# drgn (Debian's python3-drgn, tests/deps.sh) reads the memory: the guest
# dump's CD table, and a two-level table in an ELF core build writes.
if /usr/bin/python3 -c 'import drgn' 2>/dev/null; then
	"$PASIDTOOL" build testdata/cd/2lvl-4k.json --elf --no-check -o "$TMP/2lvl.elf"
	"$PASIDTOOL" decode testdata/cd/2lvl-4k.bin --base 0x40000000 --layout 2lvl-4k \
		--ssid-bits 8 --json > "$TMP/2lvl.json"
	pyrun python/examples/drgn_cd_table.py --core "$TMP/2lvl.elf" 0x40000000 8 2lvl-4k \
		> "$TMP/drgn.out" 2>&1
	check "drgn_cd_table.py: a two-level table read through drgn decodes as decode --json" \
		python3 tests/lib/compare_decode.py cd "$TMP/2lvl.json" "$TMP/drgn.out"
	"$PASIDTOOL" decode $dump --cd-table 0x48330000 --ssid-bits 0 --json > "$TMP/cd8.json"
	pyrun python/examples/drgn_cd_table.py --core $dump 0x48330000 0 > "$TMP/drgn.out" 2>&1
	check "drgn_cd_table.py: the guest dump's CD table through drgn decodes as decode --json" \
		python3 tests/lib/compare_decode.py cd "$TMP/cd8.json" "$TMP/drgn.out"
else
	not_ok "drgn is importable by /usr/bin/python3 (python3-drgn, tests/deps.sh)"
fi

# ---- make uninstall ----

make -s -o "$BUILD/pasidtool" -o "$BUILD/libpasid.a" -o "$so" uninstall DESTDIR="$dest" \
	PREFIX=/usr BUILD="$BUILD" > "$TMP/uninstall.log" 2>&1
left=$(find "$dest" -type f -o -type l)
if [ -z "$left" ]; then ok "make uninstall removes the library files too"; else
	not_ok "make uninstall removes the library files too" "$left"; fi

done_testing
