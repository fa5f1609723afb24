#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The docs' examples run: every `pasidtool ...` line in a fenced block of
# README.md, docs/*.md and the man page is read from the docs themselves
# (never copied here) and run, in one directory per file, from the top of
# the tree (testdata/ is the repository's; files written by an earlier
# example of the same file are there). The docs state what is checked:
#  - the exit status is the "(exit N)" of the example's comment; without
#    one, 0 and no error printed;
#  - "$ pasidtool ..." lines must print exactly the lines that follow them;
#  - an example that cannot run here says "(not run: REASON)" in its
#    comment: it is counted and listed, and every other example must find
#    the files it reads, or the test fails.
# A jq line that writes a file runs too (it makes the next example's input).
. tests/cli/tap.sh

repo=$(pwd)
bindir=$TMP/bin
mkdir -p "$bindir"
ln -s "$PASIDTOOL" "$bindir/pasidtool"

# One line per example: FILE<TAB>BLOCK<TAB>KIND<TAB>COMMAND, KIND "$" when
# the docs show its output (the lines up to the next "$ " or the fence
# follow as FILE<TAB>BLOCK<TAB>><TAB>LINE); a block of JSON comes as
# FILE<TAB>BLOCK<TAB>{<TAB>LINE, and the first that is a build spec (the
# hand form) is the spec.json of the examples after it. Backslash continuations are
# joined; the man page's source writes a backslash as "\\".
extract() {
	awk '
	/^[ \t]*```/ { inb = !inb; blk++; shown = 0; json = 0; first = inb; next }
	!inb { next }
	first && /^[ \t]*\{/ { json = 1 }
	{ first = 0 }
	json { print FILENAME "\t" blk "\t{\t" $0; next }
	{
		line = $0
		if (shown && line !~ /^\$ /) { print FILENAME "\t" blk "\t>\t" line; next }
		shown = 0
		sub(/^[ \t]+/, "", line)
		if (cont != "") { line = cont " " line; cont = "" }
		if (line ~ /\\$/) { sub(/\\\\?$/, "", line); cont = line; next }
		kind = "-"
		if (line ~ /^\$ /) { sub(/^\$ /, "", line); kind = "$"; shown = 1 }
		if (line ~ /(^|[|;(] *)pasidtool / || line ~ /^jq .*> [a-z.]+$/) print FILENAME "\t" blk "\t" kind "\t" line
	}' README.md docs/*.md docs/pasidtool.1.scd
}

# The files an example reads: operands that look like files, not the ones
# it writes (-o, --attach-out, --emit-invalidations, --save-pages, >).
inputs() {
	printf '%s\n' "$1" | sed 's/ #.*//' | tr ' ' '\n' | awk '
	out { out = 0; next }
	/^(-o|--output|--attach-out|--emit-invalidations|--save-pages|>)$/ { out = 1; next }
	/^-/ { next }
	/^(vmcore|\/.*)$/ || /\.(elf|bin|json|txt|zst)(@0x[0-9a-fA-F]+)?$/ {
		sub(/@0x[0-9a-fA-F]+$/, ""); print }'
}

extract > "$TMP/examples"
lastdir=
nrun=0
nskip=0
while IFS='	' read -r file blk kind cmd; do
	dir="$TMP/run/$(echo "$file" | tr '/.' '__')"
	if [ "$kind" = ">" ]; then
		[ "$dir" = "$lastdir" ] && [ -f "$TMP/want" ] && printf '%s\n' "$cmd" >> "$TMP/want"
		continue
	fi
	if [ "$kind" = "{" ]; then
		# The first block that opens with "tables" in a file is its spec.
		mkdir -p "$dir"
		if [ ! -e "$dir/spec.json" ] && printf '%s' "$cmd" | grep -q '^{"tables"'; then
			specblk=$blk
		fi
		[ "$blk" = "$specblk" ] && printf '%s\n' "$cmd" >> "$dir/spec.json"
		continue
	fi
	# The output shown after the previous "$ " example is complete.
	if [ -f "$TMP/want" ]; then
		same "$wantname: prints what the docs show" "$TMP/want" "$TMP/got"
		rm -f "$TMP/want"
	fi
	if [ "$dir" != "$lastdir" ]; then
		mkdir -p "$dir"
		[ -e "$dir/testdata" ] || ln -s "$repo/testdata" "$dir/testdata"
		lastdir=$dir
	fi
	name="$file: $(printf '%s' "$cmd" | cut -c 1-100)"
	why=$(printf '%s\n' "$cmd" | sed -n 's/.*#.*(not run: \([^)]*\)).*/\1/p')
	if [ -n "$why" ]; then
		echo "# not run ($why): $name"
		nskip=$((nskip + 1))
		continue
	fi
	missing=
	for f in $(inputs "$cmd"); do
		[ "$f" = "-" ] || [ -e "$dir/$f" ] || missing="$missing $f"
	done
	if [ -n "$missing" ]; then
		not_ok "$name: its inputs exist" "missing$missing: name bundled files, or say (not run: REASON)"
		continue
	fi
	nrun=$((nrun + 1))
	(cd "$dir" && PATH="$bindir:$PATH" sh -c "$cmd") > "$TMP/got" 2> "$TMP/err"
	rc=$?
	want=$(printf '%s\n' "$cmd" | sed -n 's/.*#.*(exit \([0-9]\)).*/\1/p')
	# Without a stated status, 0 and no error printed; a stated (exit 0)
	# says the errors the example prints are findings.
	stated=$want
	want=${want:-0}
	if [ "$rc" = "$want" ] && { [ -n "$stated" ] || ! grep -q ': error: ' "$TMP/err"; }; then
		ok "$name: exits $want"
	else
		not_ok "$name: exits $want" "exit $rc: $(head -c 1500 "$TMP/err") $(head -c 500 "$TMP/got")"
	fi
	if [ "$kind" = "$" ]; then
		: > "$TMP/want"
		wantname=$name
	fi
done < "$TMP/examples"
if [ -f "$TMP/want" ]; then
	same "$wantname: prints what the docs show" "$TMP/want" "$TMP/got"
fi
echo "# $nrun examples run, $nskip marked (not run: ...)"
if [ "$nrun" -ge 10 ]; then ok "at least 10 examples of the docs run ($nrun)"; else
	not_ok "at least 10 examples of the docs run" "$nrun"; fi

done_testing
