#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Inputs that are not regular files: standard input, pipes and FIFOs are
# spooled to an unlinked file and mapped (at most --max-input bytes);
# directories and oversized streams get a message saying what they are.
. tests/cli/tap.sh
dump=testdata/dumps/guest.elf
args="--strtab 0x4836d000 --strtab-cfg 0x10210"
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$dump" $args --json | jq -S 'del(.source)' > "$TMP/want.json"

# same_decode NAME: decode --json of stdin ($TMP/got.json) equals the file's.
same_decode() {
	jq -S 'del(.source)' "$TMP/got.json" > "$TMP/got.sorted" 2>&1
	same "$1" "$TMP/want.json" "$TMP/got.sorted"
}

# shellcheck disable=SC2086
"$PASIDTOOL" decode - $args --json < "$dump" > "$TMP/got.json"
same_decode "stdin redirected from a file decodes like the file"
# shellcheck disable=SC2086
cat "$dump" | "$PASIDTOOL" decode - $args --json > "$TMP/got.json"
same_decode "stdin from a pipe decodes like the file"

mkfifo "$TMP/fifo"
cat "$dump" > "$TMP/fifo" &
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$TMP/fifo" $args --json > "$TMP/got.json"
wait
same_decode "a FIFO decodes like the file"

# The spool is unlinked: nothing is left in TMPDIR.
mkdir "$TMP/spool"
# shellcheck disable=SC2086
cat "$dump" | TMPDIR="$TMP/spool" "$PASIDTOOL" decode - $args > /dev/null
check "the spool file leaves nothing behind" test -z "$(ls -A "$TMP/spool")"

size=$(wc -c < "$dump")
# shellcheck disable=SC2086
status "--max-input equal to the input's size: accepted" 0 \
	sh -c "cat '$dump' | '$PASIDTOOL' decode - --max-input $size $args"
# shellcheck disable=SC2086
status "--max-input one byte short: exit 2" 2 \
	sh -c "cat '$dump' | '$PASIDTOOL' decode - --max-input $((size - 1)) $args"
check "the message names --max-input and standard input" \
	grep -q "standard input is larger than --max-input ($((size - 1)) bytes)" "$TMP/status.out"
mkfifo "$TMP/fifo2"
cat "$dump" > "$TMP/fifo2" 2> /dev/null &
# shellcheck disable=SC2086
status "a FIFO over --max-input: exit 2" 2 "$PASIDTOOL" decode "$TMP/fifo2" --max-input 100 $args
wait
check "the message says it is a FIFO" grep -q "a FIFO is larger than --max-input (100 bytes)" \
	"$TMP/status.out"

# shellcheck disable=SC2086
status "a directory: exit 2" 2 "$PASIDTOOL" decode "$TMP" $args
check "the message says it is a directory" grep -q "is a directory \[SRC-UNREADABLE\]" \
	"$TMP/status.out"
# shellcheck disable=SC2086
status "a missing file: exit 2" 2 "$PASIDTOOL" decode "$TMP/none" $args
check "the message says why" grep -q "cannot open: No such file or directory" "$TMP/status.out"
# A placed input is named by the line's prefix, whole however long, and the
# message says why (repeating the name there pushed the reason out).
long="$TMP/$(printf 'd%.0s' $(seq 200))/$(printf 'f%.0s' $(seq 200))"
# shellcheck disable=SC2086
status "a missing placed file with a 400-byte path: exit 2" 2 \
	"$PASIDTOOL" decode "$long@0x80000000" $args
check "the message names the whole path and says why" grep -qF \
	"$long@0x80000000: error: cannot open: No such file or directory [SRC-UNREADABLE]" \
	"$TMP/status.out"
# shellcheck disable=SC2086
status "empty standard input: exit 2" 2 sh -c "'$PASIDTOOL' decode - $args < /dev/null"
check "the message says it is empty" grep -q "empty file \[SRC-EMPTY\]" "$TMP/status.out"
# shellcheck disable=SC2086
status "--max-input that is not a number: usage error" 2 \
	"$PASIDTOOL" decode "$dump" --max-input lots $args

# A kdump-compressed dump through a pipe reads the same way.
if command -v makedumpfile > /dev/null 2>&1; then
	python3 tests/tools/vmcore-wrap.py "$dump" "$TMP/wrap.elf"
	makedumpfile -c -d 1 "$TMP/wrap.elf" "$TMP/z.kd" > /dev/null 2>&1
	# shellcheck disable=SC2086
	cat "$TMP/z.kd" | "$PASIDTOOL" decode - $args --json > "$TMP/got.json"
	same_decode "a kdump-compressed dump on a pipe decodes like the ELF core"
else
	not_ok "makedumpfile is installed (tests/deps.sh installs it)"
fi

echo "1..$TAP_N"
