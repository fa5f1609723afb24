#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Outputs (docs/pasidtool.1, OUTPUTS): "-" is stdout, links are followed and
# kept, devices and FIFOs are written through, regular files are replaced
# atomically and sparsely, no output lands on an input or on another output,
# and every write is checked, stdout included.
. "$(dirname "$0")/tap.sh"

cd_spec=testdata/cd/2lvl-4k.json
cd_img=testdata/cd/2lvl-4k.bin
dump=testdata/dumps/guest.elf
gargs="--strtab 0x4836d000 --strtab-cfg 0x10210"
cp "$cd_spec" "$TMP/spec.json"

# "-" is stdout, not a file named "-".
(cd "$TMP" && "$PASIDTOOL" build spec.json -o - > out.stdout)
check "-o - writes the image to stdout" cmp "$cd_img" "$TMP/out.stdout"
check "-o - creates no file named -" test ! -e "$TMP/-"

# A symbolic link: the target is replaced, the link stays.
printf old > "$TMP/target.bin"
ln -s target.bin "$TMP/link.bin"
"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/link.bin"
check "-o LINK keeps the link" test -L "$TMP/link.bin"
check "-o LINK writes the link's target" cmp "$cd_img" "$TMP/target.bin"

# A FIFO is written through, not replaced.
mkfifo "$TMP/fifo"
cat "$TMP/fifo" > "$TMP/fifo.out" &
reader=$!
"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/fifo"
wait $reader
check "-o FIFO stays a FIFO" test -p "$TMP/fifo"
check "-o FIFO sends the image through it" cmp "$cd_img" "$TMP/fifo.out"

# Character devices: copies made with mknod (never the real /dev nodes).
if [ "$(id -u)" = 0 ] && mknod "$TMP/null" c 1 3 2>/dev/null; then
	status "-o a copy of /dev/null exits 0" 0 "$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/null"
	check "the device node is still a character device" test -c "$TMP/null"
	mknod "$TMP/full" c 1 7
	"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/full" 2> "$TMP/full.err"
	check "-o a copy of /dev/full exits 2" test $? -eq 2
	check "and says why" grep -q 'write error: No space left on device' "$TMP/full.err"
	check "/dev/full copy is still a character device" test -c "$TMP/full"
	"$PASIDTOOL" formats > "$TMP/full" 2> "$TMP/formats-full.err"
	check "formats > /dev/full exits 2" test $? -eq 2
	check "with 'pasidtool: error: write error: No space left on device'" \
		grep -qx 'pasidtool: error: write error: No space left on device' "$TMP/formats-full.err"
	"$PASIDTOOL" decode "$dump" $gargs --json > "$TMP/full" 2> "$TMP/decode-full.err"
	check "decode --json > /dev/full exits 2" test $? -eq 2
	check "and says why" grep -q 'write error: No space left on device' "$TMP/decode-full.err"
	# scan and explain print their JSON through stdout too: checked, in
	# both layouts.
	ex_args=$(tr '\n' ' ' < testdata/explain/args)
	for p in "" --pretty; do
		"$PASIDTOOL" scan "$dump" --json $p > "$TMP/full" 2> "$TMP/scan-full.err"
		check "scan --json $p > /dev/full exits 2" test $? -eq 2
		check "and says why" grep -qx 'pasidtool: error: write error: No space left on device' "$TMP/scan-full.err"
		# shellcheck disable=SC2086
		"$PASIDTOOL" explain $ex_args --json $p > "$TMP/full" 2> "$TMP/explain-full.err"
		check "explain --json $p > /dev/full exits 2" test $? -eq 2
		check "and says why" grep -qx 'pasidtool: error: write error: No space left on device' "$TMP/explain-full.err"
	done
	"$PASIDTOOL" scan "$dump" --json > "$TMP/null"
	check "scan --json > /dev/null exits 0" test $? -eq 0
	# shellcheck disable=SC2086
	"$PASIDTOOL" explain $ex_args --json > "$TMP/null"
	check "explain --json > /dev/null exits 0" test $? -eq 0
	"$PASIDTOOL" decode "$dump" $gargs --json --save-pages "$TMP/full" > "$TMP/sp.json" 2> /dev/null
	check "decode --json --save-pages /dev/full exits 2" test $? -eq 2
	check "and its document counts the OUT-WRITE error" \
		jq -e '.summary.errors == 1 and .diagnostics[-1].rule == "OUT-WRITE"' "$TMP/sp.json"
else
	echo "# skipped: mknod needs root; device outputs are not tested here"
fi

# A file size limit stops a write half way: exit 2, and no partial file.
(ulimit -f 4 && "$PASIDTOOL" decode "$dump" $gargs --json > "$TMP/limited.json") 2> "$TMP/ulimit.err"
check "decode --json under ulimit -f exits 2" test $? -eq 2
check "and says it could not write" grep -q 'write error' "$TMP/ulimit.err"
printf old > "$TMP/small.bin"
(ulimit -f 4 && "$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/small.bin") 2> "$TMP/ulimit-o.err"
check "build -o under ulimit -f exits 2" test $? -eq 2
check "the old output is kept" grep -qx old "$TMP/small.bin"
check "no temporary file is left" test -z "$(find "$TMP" -name '.small.bin.*')"

# A closed pipe ends a filter quietly.
"$PASIDTOOL" formats 2> "$TMP/pipe.err" | head -n 1 > /dev/null
check "formats | head says nothing on stderr" test ! -s "$TMP/pipe.err"
# More than a pipe holds, so that the write really fails.
(trap '' PIPE; "$PASIDTOOL" formats --json 2> "$TMP/epipe.err"; echo $? > "$TMP/epipe.rc") | head -c 10 > /dev/null
check "with SIGPIPE ignored, a closed pipe is exit 2" test "$(cat "$TMP/epipe.rc")" -eq 2
check "and nothing on stderr" test ! -s "$TMP/epipe.err"
# (SIGPIPE set to its default whatever this script inherited.)
(python3 -c 'import os, signal, sys; signal.signal(signal.SIGPIPE, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$PASIDTOOL" formats --json 2> "$TMP/sigpipe.err"
 echo $? > "$TMP/sigpipe.rc") | head -c 10 > /dev/null
check "otherwise SIGPIPE ends it (status 141)" test "$(cat "$TMP/sigpipe.rc")" -eq 141
check "and nothing on stderr" test ! -s "$TMP/sigpipe.err"

# Outputs never land on an input or another output; refused before writing.
cp "$cd_img" "$TMP/img.bin"
"$PASIDTOOL" decode "$TMP/img.bin@0x80000000" --ssid-bits 8 --layout 2lvl-4k --json > "$TMP/placed.json"
status "-o the FILE of a spec decoded from FILE@ADDR exits 2" 2 \
	"$PASIDTOOL" build "$TMP/placed.json" -o "$TMP/img.bin"
check "the image is untouched" cmp "$cd_img" "$TMP/img.bin"
mkdir "$TMP/sub"
cp "$cd_img" "$TMP/sub/img.bin"
(cd "$TMP/sub" && "$PASIDTOOL" decode img.bin --base 0x80000000 --ssid-bits 8 --layout 2lvl-4k --json > d.json)
status "-o sub/img.bin of a spec decoded inside sub/ exits 2" 2 \
	"$PASIDTOOL" build "$TMP/sub/d.json" -o "$TMP/sub/img.bin"
check "sub/img.bin is untouched" cmp "$cd_img" "$TMP/sub/img.bin"
status "--attach-out equal to the spec exits 2" 2 \
	"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/a.bin" --attach-out "$TMP/spec.json"
status "--emit-invalidations equal to the spec exits 2" 2 \
	"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/a.bin" --emit-invalidations "$TMP/spec.json"
check "the spec is untouched" cmp "$cd_spec" "$TMP/spec.json"
status "--attach-out equal to -o exits 2" 2 \
	"$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/two.bin" --attach-out "$TMP/./two.bin"
check "and writes neither" test ! -e "$TMP/two.bin"
status "build - -o SPEC < SPEC exits 2" 2 sh -c '"$1" build - -o "$2" < "$2"' sh "$PASIDTOOL" "$TMP/spec.json"
check "the spec read from stdin is untouched" cmp "$cd_spec" "$TMP/spec.json"
status "-o - twice exits 2" 2 "$PASIDTOOL" build "$TMP/spec.json" -o - --attach-out -
ln -s spec.json "$TMP/spec-link"
status "-o a link to the spec exits 2" 2 "$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/spec-link"
check "the spec is untouched" cmp "$cd_spec" "$TMP/spec.json"
cp "$dump" "$TMP/guest.elf"
status "decode X --save-pages X exits 2" 2 "$PASIDTOOL" decode "$TMP/guest.elf" $gargs --save-pages "$TMP/guest.elf"
check "the dump is untouched" cmp "$dump" "$TMP/guest.elf"
"$PASIDTOOL" decode "$dump" $gargs --save-pages - > "$TMP/sp.out" 2> "$TMP/sp.err"
check "--save-pages - exits 2 (stdout carries the decode)" test $? -eq 2
check "and writes nothing on stdout" test ! -s "$TMP/sp.out"
status "-o a directory exits 2" 2 "$PASIDTOOL" build "$TMP/spec.json" -o "$TMP/sub"

# A raw image of a dump is sparse, and build says how much it wrote.
"$PASIDTOOL" decode "$dump" $gargs --json > "$TMP/guest.json"
"$PASIDTOOL" build "$TMP/guest.json" -o "$TMP/guest.raw" 2> "$TMP/sparse.err"
check "build of a dump's spec says how much it wrote" grep -q 'wrote .*guest.raw: 387 MiB, of which 34 KiB data and the rest holes' "$TMP/sparse.err"
blocks=$(stat -c %b "$TMP/guest.raw")
check "the 387 MiB image takes under 1 MiB of disk" test $((blocks * 512)) -lt 1048576
# The image starts where the dump's lowest page does.
"$PASIDTOOL" decode "$TMP/guest.raw@$(jq -r .source.base "$TMP/guest.json")" $gargs > "$TMP/raw.txt"
"$PASIDTOOL" decode "$dump" $gargs > "$TMP/elf.txt"
sed 's/^[^:]*: //' "$TMP/raw.txt" > "$TMP/raw.cut"
sed 's/^[^:]*: //' "$TMP/elf.txt" > "$TMP/elf.cut"
same "the sparse image decodes like the dump" "$TMP/elf.cut" "$TMP/raw.cut"

done_testing
