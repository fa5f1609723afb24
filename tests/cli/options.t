#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The option layer (cli/options.c): every command's --help against its man
# page section and the bash completion, one error style with suggestions,
# the shared options (-h --usage -V -j -p -q --color), and --pretty.
. tests/cli/tap.sh
man=docs/pasidtool.1.scd

commands=$("$PASIDTOOL" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
if [ "$(echo "$commands" | wc -l)" -ge 6 ]; then ok "--help lists the commands"; else
	not_ok "--help lists the commands" "$commands"; fi


# Long options a command's --help prints, sorted.
help_opts() {
	"$PASIDTOOL" "$1" --help | sed -n 's/^ *\(-[a-zA-Z?], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/--\2/p' |
		sort -u
}

# The long options a man page section names: "## NAME" up to the next
# heading.
section_opts() {
	awk -v h="$1" '$0 == h { on = 1; next } /^#/ { on = 0 } on' "$man" |
		grep -o -- '\*--[a-z][a-z0-9-]*' | sed 's/^\*//'
}

# A command's options as the man page documents them: its section, the
# sections it points at, and the help options every command has.
man_opts() {
	{
		section_opts "## $1"
		case $1 in
		decode) section_opts "# TABLE ROOTS" ;;
		validate) section_opts "## decode"; section_opts "# TABLE ROOTS" ;;
		esac
		printf '%s\n' --help --usage --version
	} | sort -u
}

cat > "$TMP/comp.bash" <<'EOF2'
. docs/completion/pasidtool.bash
COMP_WORDS=("$PASIDTOOL" "$1" --)
COMP_CWORD=2
COMPREPLY=()
_pasidtool
printf '%s\n' "${COMPREPLY[@]}"
EOF2

for c in $commands; do
	status "$c --help exits 0" 0 "$PASIDTOOL" "$c" --help
	help_opts "$c" > "$TMP/help.$c"
	man_opts "$c" > "$TMP/man.$c"
	same "$c: the man page documents exactly the options --help lists" "$TMP/help.$c" "$TMP/man.$c"
	PASIDTOOL=$PASIDTOOL bash "$TMP/comp.bash" "$c" > "$TMP/comp-raw.$c"
	sort -u "$TMP/comp-raw.$c" > "$TMP/comp.$c"
	same "$c: completion offers exactly the options --help lists" "$TMP/help.$c" "$TMP/comp.$c"
	dup=$(sort "$TMP/comp-raw.$c" | uniq -d)
	if [ -z "$dup" ]; then ok "$c: completion offers no option twice"; else
		not_ok "$c: completion offers no option twice" "$dup"; fi
	"$PASIDTOOL" "$c" -h > "$TMP/h.$c"
	"$PASIDTOOL" "$c" --help > "$TMP/help-full.$c"
	same "$c: -h is --help" "$TMP/help-full.$c" "$TMP/h.$c"
	# Examples are whole commands, one a line, never wrapped.
	sed -n '/^Examples:$/,$p' "$TMP/help-full.$c" | sed 1d > "$TMP/ex.$c"
	if grep -q "^  pasidtool $c\( \|\$\)" "$TMP/ex.$c" && ! grep -v "^  pasidtool " "$TMP/ex.$c" > /dev/null; then
		ok "$c: --help ends with examples that are whole '$c' commands"
	else
		not_ok "$c: --help ends with examples that are whole '$c' commands" "$(cat "$TMP/ex.$c")"
	fi
	"$PASIDTOOL" "$c" --usage > "$TMP/u.$c"
	if grep -q "^Usage: pasidtool $c" "$TMP/u.$c"; then ok "$c --usage"; else
		not_ok "$c --usage" "$(cat "$TMP/u.$c")"; fi
	if [ "$("$PASIDTOOL" "$c" -V)" = "pasidtool $(cat VERSION)" ]; then ok "$c -V"; else
		not_ok "$c -V"; fi
	# One error style: "pasidtool: error: CMD: ..." and where to look.
	"$PASIDTOOL" "$c" --no-such-option > /dev/null 2> "$TMP/e.$c"
	printf "pasidtool: error: %s: unknown option '--no-such-option'\nTry 'pasidtool %s --help'.\n" \
		"$c" "$c" > "$TMP/e.want"
	same "$c: unknown option in the one error style" "$TMP/e.want" "$TMP/e.$c"
	status "$c: unknown option exits 2" 2 "$PASIDTOOL" "$c" --no-such-option
	status "$c: unknown short option exits 2" 2 "$PASIDTOOL" "$c" -Z
	status "$c: --color=blue exits 2" 2 "$PASIDTOOL" "$c" --color=blue
done

# Suggestions, for every kind of name.
suggests() {
	name=$1 want=$2
	shift 2
	"$PASIDTOOL" "$@" > /dev/null 2> "$TMP/s.err"
	rc=$?
	if [ "$rc" = 2 ] && grep -q "did you mean '$want'?" "$TMP/s.err"; then ok "$name"; else
		not_ok "$name" "exit $rc: $(cat "$TMP/s.err")"; fi
}
suggests "unknown option: did you mean --json" --json decode x.bin --jsn
suggests "unknown option of build: did you mean --output" --output build x.json --outptu y
suggests "unknown command: did you mean decode" decode decdoe
suggests "unknown rule id: did you mean CD-TG0-RESERVED" CD-TG0-RESERVED rules CD-TG0-RESERVD
suggests "unknown format name (formats): did you mean smmuv3-cd" smmuv3-cd formats smmuv3-dc
suggests "unknown format name (--format): did you mean vtd-pasid" vtd-pasid decode x --format vtd-pasd
suggests "unknown variant: did you mean v07" v07 attach decode x --variant v7
suggests "unknown attach caps key: did you mean pasid-bits" pasid-bits attach validate \
	testdata/attach/rfc1-faults.bin --caps pasid-bit=8
suggests "unknown attach action: did you mean validate" validate attach valdate x
status "a missing option argument exits 2" 2 "$PASIDTOOL" decode x.bin --base
"$PASIDTOOL" decode x.bin --base 2> "$TMP/m.err"
check "and says so" grep -q "option '--base' needs an argument" "$TMP/m.err"
status "an ambiguous abbreviation exits 2" 2 "$PASIDTOOL" decode x.bin --ss 1
status "an unambiguous abbreviation works" 0 "$PASIDTOOL" rules --mark
status "pasidtool --usage exits 0" 0 "$PASIDTOOL" --usage
status "pasidtool -h exits 0" 0 "$PASIDTOOL" -h

# Caps keys: one spelling (kebab-case, as validate's), the old one still read.
req=testdata/attach/rfc1-faults.bin
"$PASIDTOOL" attach validate "$req" --caps pasid-bits=10,asid-bits=8 --json > "$TMP/k1.json"
"$PASIDTOOL" attach validate "$req" --caps pasid_bits=10,asid_bits=8 --json > "$TMP/k2.json"
same "attach --caps: pasid_bits is read as pasid-bits" "$TMP/k1.json" "$TMP/k2.json"
"$PASIDTOOL" attach validate "$req" --json > "$TMP/k0.json"
if ! cmp -s "$TMP/k0.json" "$TMP/k1.json"; then ok "and the caps change the findings"; else
	not_ok "and the caps change the findings"; fi

# rules ID explains the rule.
"$PASIDTOOL" rules CD-TG0-RESERVED > "$TMP/r.txt"
if grep -q '^CD-TG0-RESERVED (error' "$TMP/r.txt" && grep -q 'condition: .*TG0 = 3' "$TMP/r.txt" &&
	[ "$(grep -c '^[A-Z]' "$TMP/r.txt")" = 1 ]; then
	ok "rules CD-TG0-RESERVED explains that one rule"
else
	not_ok "rules CD-TG0-RESERVED explains that one rule" "$(cat "$TMP/r.txt")"
fi
n=$("$PASIDTOOL" rules 'STE-*' --json | jq '[.rules[].id | select(startswith("STE-") | not)] | length')
m=$("$PASIDTOOL" rules 'STE-*' --json | jq '.rules | length')
if [ "$n" = 0 ] && [ "$m" -gt 3 ]; then ok "rules 'STE-*' --json lists only STE rules ($m)"; else
	not_ok "rules 'STE-*' --json lists only STE rules" "$n $m"; fi
"$PASIDTOOL" formats smmuv3-strtab > "$TMP/f.txt"
if grep -q '^smmuv3-strtab:' "$TMP/f.txt" && ! grep -q '^smmuv3-cd:' "$TMP/f.txt"; then
	ok "formats NAME lists that format only"
else
	not_ok "formats NAME lists that format only" "$(head -n 3 "$TMP/f.txt")"
fi

# --color: bare means always; NO_COLOR only changes "auto".
"$PASIDTOOL" rules --color > "$TMP/c1.txt"
if grep -q "$(printf '\033')" "$TMP/c1.txt"; then ok "a bare --color colours"; else not_ok "a bare --color colours"; fi
NO_COLOR=1 "$PASIDTOOL" rules --color=always > "$TMP/c2.txt"
check "--color=always wins over NO_COLOR" cmp "$TMP/c1.txt" "$TMP/c2.txt"
"$PASIDTOOL" rules > "$TMP/c3.txt"
if ! grep -q "$(printf '\033')" "$TMP/c3.txt"; then ok "auto does not colour a file"; else
	not_ok "auto does not colour a file"; fi

# --pretty: the same document, indented; -p implies --json.
pretty_same() {
	name=$1
	shift
	"$PASIDTOOL" "$@" --json > "$TMP/p1.json"
	"$PASIDTOOL" "$@" -p > "$TMP/p2.json"
	a=$(jq -cS . "$TMP/p1.json" 2>&1) && b=$(jq -cS . "$TMP/p2.json" 2>&1)
	l1=$(wc -l < "$TMP/p1.json")
	l2=$(wc -l < "$TMP/p2.json")
	if [ -n "$a" ] && [ "$a" = "$b" ] && [ "$l2" -gt "$l1" ] && grep -q '^  "schema": "pasidtool\.' "$TMP/p2.json"; then
		ok "$name: --pretty is --json indented"
	else
		not_ok "$name: --pretty is --json indented" "$l1 $l2 $(head -c 300 "$TMP/p2.json")"
	fi
}
pretty_same decode decode testdata/cd/2lvl-4k.bin --base 0x40000000 --layout 2lvl-4k --ssid-bits 8
pretty_same validate validate testdata/cd/2lvl-4k.bin --base 0x40000000 --layout 2lvl-4k --ssid-bits 8
pretty_same "attach decode" attach decode "$req"
pretty_same rules rules
pretty_same formats formats
# Strings holding JSON punctuation pass through untouched.
"$PASIDTOOL" rules -p | jq -r '.rules[].summary' > "$TMP/s1"
"$PASIDTOOL" rules --json | jq -r '.rules[].summary' > "$TMP/s2"
same "--pretty leaves strings alone" "$TMP/s2" "$TMP/s1"
"$PASIDTOOL" decode testdata/cd/2lvl-4k.bin --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 -p \
	> /dev/full 2> "$TMP/full.err"
rc=$?
if [ "$rc" -ne 0 ]; then ok "--pretty to a full disk fails (exit $rc)"; else
	not_ok "--pretty to a full disk fails"; fi

# --caps values: the profiles and every key of validate --help, each once,
# never an empty key from a wrapped description line.
cat > "$TMP/caps.bash" <<'EOF2'
. docs/completion/pasidtool.bash
COMP_WORDS=("$PASIDTOOL" validate --caps "")
COMP_CWORD=3
COMPREPLY=()
_pasidtool
printf '%s\n' "${COMPREPLY[@]}"
EOF2
PASIDTOOL=$PASIDTOOL bash "$TMP/caps.bash" > "$TMP/caps.comp"
"$PASIDTOOL" validate --help | sed -n '/^Keys:/,/^$/s/^  \([a-z0-9-]\{1,\}\) .*/\1=/p' > "$TMP/caps.keys"
printf '%s\n' generic qemu linux-host | cat - "$TMP/caps.keys" > "$TMP/caps.want"
same "validate --caps completion: the profiles and every key once" "$TMP/caps.want" "$TMP/caps.comp"
check "validate --caps completion: the keys include attr-types-ovr" grep -qx 'attr-types-ovr=' "$TMP/caps.comp"

done_testing
