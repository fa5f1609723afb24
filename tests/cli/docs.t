#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The documentation against the program: real JSON output of every command
# against docs/schema/*, docs/rules.md and docs/pasidtool.1 against what
# generates them, the man page against every option and --caps key, install
# and uninstall file by file, and the bash completion.
. tests/cli/tap.sh
# make check passes BUILD; run by hand, the binary's directory is the build.
: "${BUILD:=$(dirname "$PASIDTOOL")}"
dir=testdata/cd

. tests/cli/schema.sh

# ---- JSON schemas against real output ----

"$PASIDTOOL" rules --json > "$TMP/rules.json"
validate_json "rules --json matches schema/rules.json" rules.json "$TMP/rules.json"
"$PASIDTOOL" formats --json > "$TMP/formats.json"
validate_json "formats --json matches schema/formats.json" formats.json "$TMP/formats.json"
# shellcheck disable=SC2046
validate_json "translate --json (every testdata/ptw case) matches schema/translate.json" \
	translate.json $(ls testdata/ptw/*.json | grep -v 'regimes.json\|maps-')
# shellcheck disable=SC2046
validate_json "maps --json (every testdata/ptw maps case) matches schema/maps.json" \
	maps.json $(ls testdata/ptw/maps-*.json)

grep -v '^#' "$dir/cases" > "$TMP/cases"
decoded=""
validated=""
while IFS='	' read -r name args; do
	[ -n "$name" ] || continue
	for extra in "" "--all" "--strict"; do
		# shellcheck disable=SC2086
		"$PASIDTOOL" decode "$dir/$name.bin" $args $extra --json > "$TMP/$name.decode$extra.json"
		decoded="$decoded $TMP/$name.decode$extra.json"
	done
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$dir/$name.bin" $args --json > "$TMP/$name.validate.json"
	# shellcheck disable=SC2086
	"$PASIDTOOL" validate "$dir/$name.bin" $args --all-findings --json \
		> "$TMP/$name.validate-all.json"
	validated="$validated $TMP/$name.validate.json $TMP/$name.validate-all.json"
done < "$TMP/cases"
# Findings about unreadable input and an unmapped table, --ssid selection.
"$PASIDTOOL" decode "$TMP/missing.bin" --json > "$TMP/missing.json"
"$PASIDTOOL" decode "$dir/linear.bin" --base 0x80000000 --cd-table 0x90000000 --ssid-bits 2 \
	--json > "$TMP/unmapped.json"
"$PASIDTOOL" decode "$dir/2lvl-4k.bin" --base 0x40000000 --layout 2lvl-4k --ssid-bits 8 \
	--ssid 64 --strict --json > "$TMP/one.json"
# Stream tables: the bundled QEMU dump (with its README's command) and the
# linear sample with its mistakes: STEs, then the CD tables they point at.
gargs=$(sed -n 's|^ *pasidtool decode testdata/dumps/guest\.elf \(.*\)$|\1|p' testdata/dumps/README | head -n 1)
# shellcheck disable=SC2086
"$PASIDTOOL" decode testdata/dumps/guest.elf $gargs --json > "$TMP/guest.decode.json"
# shellcheck disable=SC2086
"$PASIDTOOL" validate testdata/dumps/guest.elf $gargs --json > "$TMP/guest.validate.json"
sargs="--base 0x90000000 --strtab 0x90000000 --strtab-cfg 0x4"
# shellcheck disable=SC2086
"$PASIDTOOL" decode testdata/strtab/linear.bin $sargs --all --json > "$TMP/strtab.decode.json"
# shellcheck disable=SC2086
"$PASIDTOOL" validate testdata/strtab/linear.bin $sargs --caps qemu --json > "$TMP/strtab.validate.json"
decoded="$decoded $TMP/guest.decode.json $TMP/strtab.decode.json"
validated="$validated $TMP/guest.validate.json $TMP/strtab.validate.json"
got=$(jq -r '[.tables[0].format, (.tables[0].stes | length),
	(.tables[] | select(.format == "smmuv3-cd" and .base == "0x90001000") | .sid, .shared_with[0])]
	| @tsv' "$TMP/strtab.decode.json")
if [ "$got" = "$(printf 'smmuv3-strtab\t16\t0\t2')" ]; then
	ok "strtab sample: 16 STEs, then the CD table at 0x90001000 of SID 0, shared with SID 2"
else
	not_ok "strtab sample: 16 STEs, then the CD table at 0x90001000 of SID 0, shared with SID 2" "$got"
fi

# shellcheck disable=SC2086
validate_json "decode --json (CD and stream-table samples, --all, --strict, errors) matches schema/decode.json" \
	decode.json $decoded "$TMP/missing.json" "$TMP/unmapped.json" "$TMP/one.json"
# shellcheck disable=SC2086
validate_json "validate --json (every sample) matches schema/validate.json" validate.json $validated

# The schemas are not vacuous: output of one command fails another's, and a
# diagnostic with an unknown key or a decimal address fails.
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["schema"]); sys.exit(d["schema"] != "pasidtool.decode/1")' "$TMP/linear.decode.json" > /dev/null; then
	ok "decode --json names its schema pasidtool.decode/1"
else
	not_ok "decode --json names its schema pasidtool.decode/1"
fi
if ( validate_json x validate.json "$TMP/linear.decode.json" ) | grep -q '^not ok'; then
	ok "decode output does not pass as validate output"
else
	not_ok "decode output does not pass as validate output"
fi
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["diagnostics"] = [{"rule": "CD-TG0-RESERVED", "severity": "error", "message": "m",
                     "address": 2147487040, "colour": "red"}]
json.dump(d, open(sys.argv[2], "w"))' "$TMP/linear.validate.json" "$TMP/bad.json"
if ( validate_json x validate.json "$TMP/bad.json" ) | grep -q 'colour'; then
	ok "a diagnostic with an undocumented key or an integer address is rejected"
else
	not_ok "a diagnostic with an undocumented key or an integer address is rejected"
fi

# Build specs: the committed hand-written specs and decode's own output.
validate_json "build specs (hand-written and decode --json) match schema/build-spec.json" \
	build-spec.json "$dir/linear.json" "$dir/2lvl-4k.json" "$dir/2lvl-64k.json" \
	"$TMP/linear.decode.json" "$TMP/2lvl-4k.decode--all.json" testdata/strtab/linear.json \
	"$TMP/guest.decode.json"

# attach: build requests, decode and validate them (with the CD table they
# point at), and check all three documents.
cat > "$TMP/req.json" <<'EOF'
{"requests": [{"type": "attach_table", "domain": 1, "endpoint": 8,
  "s1contextptr": "0x40000000", "s1cdmax": 8, "s1fmt": "2lvl-4k"},
 {"type": "probe", "endpoint": 8}]}
EOF
"$PASIDTOOL" attach build "$TMP/req.json" -o "$TMP/req.bin"
"$PASIDTOOL" attach decode "$TMP/req.bin" --json > "$TMP/attach-decode.json"
"$PASIDTOOL" attach validate "$TMP/req.bin" --json > "$TMP/attach-validate.json"
"$PASIDTOOL" attach validate "$TMP/req.bin" --dump "$dir/2lvl-4k.bin@0x40000000" --json \
	> "$TMP/attach-dump.json"
validate_json "attach decode/validate --json (with --dump) match schema/attach.json" attach.json \
	"$TMP/attach-decode.json" "$TMP/attach-validate.json" "$TMP/attach-dump.json"
n=$(jq '.requests | length' "$TMP/attach-decode.json")
if [ "$n" = 2 ] && [ "$(jq -r '.requests[0].fields.s1contextptr' "$TMP/attach-decode.json")" = 0x40000000 ]; then
	ok "attach decode --json gives the 2 requests built, S1ContextPtr 0x40000000"
else
	not_ok "attach decode --json gives the 2 requests built, S1ContextPtr 0x40000000" "$n"
fi
if jq -e '[.diagnostics[] | select(.input == "testdata/cd/2lvl-4k.bin@0x40000000")] | length > 0' \
	"$TMP/attach-dump.json" > /dev/null; then
	ok "attach validate --dump names the dump in its CD findings"
else
	not_ok "attach validate --dump names the dump in its CD findings"
fi

# ---- generated documents are up to date ----

"$PASIDTOOL" rules --markdown > "$TMP/rules.md"
same "docs/rules.md is what 'pasidtool rules --markdown' prints (run make rules-md)" \
	docs/rules.md "$TMP/rules.md"
if command -v scdoc > /dev/null 2>&1; then
	# The date on .TH depends on SOURCE_DATE_EPOCH: compare the rest.
	scdoc < docs/pasidtool.1.scd | grep -v '^\.TH ' > "$TMP/man.gen"
	grep -v '^\.TH ' docs/pasidtool.1 > "$TMP/man.committed"
	same "docs/pasidtool.1 is generated from docs/pasidtool.1.scd (run make man)" \
		"$TMP/man.committed" "$TMP/man.gen"
else
	ok "# SKIP scdoc not installed: docs/pasidtool.1 not regenerated"
fi
if command -v groff > /dev/null 2>&1; then
	warn=$(groff -man -Tutf8 -ww -z docs/pasidtool.1 2>&1)
	if [ -z "$warn" ]; then ok "man page formats without groff warnings"; else
		not_ok "man page formats without groff warnings" "$warn"; fi
else
	ok "# SKIP groff not installed"
fi

# Every command has a section, every long option of every command and
# every --caps key is documented, and the exit statuses are listed.
missing=""
for c in decode validate build attach iommufd queues explain translate maps scan formats rules; do
	grep -q "^## $c\$" docs/pasidtool.1.scd || missing="$missing section:$c"
	for o in $("$PASIDTOOL" "$c" --help | sed -n 's/^ *\(-[a-zA-Z?], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p'); do
		grep -q -- "--$o\\*" docs/pasidtool.1.scd || missing="$missing $c:--$o"
	done
done
for k in $("$PASIDTOOL" validate --help | sed -n '/^Keys:/,$s/^  \([a-z0-9-]*\) .*/\1/p'); do
	grep -q "^$k  *" docs/pasidtool.1.scd || missing="$missing caps:$k"
done
for s in 0 1 2 3; do
	grep -q "^\\*$s\\*\$" docs/pasidtool.1.scd || missing="$missing exit:$s"
done
for s in decode validate attach iommufd queues explain translate maps scan formats rules; do
	grep -q "pasidtool\\.$s/1" docs/pasidtool.1.scd || missing="$missing schema:$s"
	grep -q "pasidtool\\.$s/1" docs/json.md || missing="$missing json.md:$s"
done
if [ -z "$missing" ]; then ok "man page documents every command, option, --caps key, exit status and schema"; else
	not_ok "man page documents every command, option, --caps key, exit status and schema" "missing:$missing"; fi

# ---- --help and --version ----

"$PASIDTOOL" --version > "$TMP/version" 2>&1
status "--version exits 0" 0 "$PASIDTOOL" --version
if [ "$(cat "$TMP/version")" = "pasidtool $(cat VERSION)" ]; then ok "--version prints 'pasidtool $(cat VERSION)'"; else
	not_ok "--version prints 'pasidtool VERSION'" "$(cat "$TMP/version")"; fi
"$PASIDTOOL" --help > "$TMP/help"
missing=""
for c in decode validate build attach iommufd queues explain translate maps scan formats rules; do
	grep -q "^  $c " "$TMP/help" || missing="$missing $c"
done
if [ -z "$missing" ]; then ok "--help lists every command"; else not_ok "--help lists every command" "$missing"; fi
status "no command is a usage error (exit 2)" 2 "$PASIDTOOL"
for c in decode validate build attach iommufd queues explain translate maps scan formats rules; do
	if "$PASIDTOOL" "$c" --help > "$TMP/h" 2>&1 && grep -q "^Usage: pasidtool $c " "$TMP/h"; then
		ok "$c --help exits 0 and says 'Usage: pasidtool $c'"
	else
		not_ok "$c --help exits 0 and says 'Usage: pasidtool $c'" "$(head -n 3 "$TMP/h")"
	fi
done
if [ "$("$PASIDTOOL" rules --version)" = "pasidtool $(cat VERSION)" ]; then ok "COMMAND --version prints the version"; else
	not_ok "COMMAND --version prints the version"; fi

# ---- install and uninstall ----

dest="$TMP/dest"
# -o: never rebuild (the sanitizer build must stay a sanitizer build).
make -s -o "$BUILD/pasidtool" install DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" > "$TMP/install.log" 2>&1
bad=""
for f in usr/bin/pasidtool usr/share/man/man1/pasidtool.1 \
	usr/share/bash-completion/completions/pasidtool; do
	[ -f "$dest/$f" ] || bad="$bad missing:$f"
done
[ -x "$dest/usr/bin/pasidtool" ] || bad="$bad not-executable:bin"
cmp -s "$dest/usr/share/man/man1/pasidtool.1" docs/pasidtool.1 || bad="$bad man-differs"
cmp -s "$dest/usr/share/bash-completion/completions/pasidtool" docs/completion/pasidtool.bash ||
	bad="$bad completion-differs"
cmp -s "$dest/usr/bin/pasidtool" "$PASIDTOOL" || bad="$bad binary-differs"
if [ -z "$bad" ]; then ok "make install DESTDIR= puts binary, man page and completion in place"; else
	not_ok "make install DESTDIR= puts binary, man page and completion in place" "$bad $(cat "$TMP/install.log")"; fi
if [ "$("$dest/usr/bin/pasidtool" --version)" = "pasidtool $(cat VERSION)" ]; then
	ok "the installed binary runs"
else
	not_ok "the installed binary runs"
fi
if command -v man > /dev/null 2>&1; then
	if MANWIDTH=80 man -l "$dest/usr/share/man/man1/pasidtool.1" 2>/dev/null | grep -q 'EXIT STATUS'; then
		ok "the installed man page renders with man -l"
	else
		not_ok "the installed man page renders with man -l"
	fi
else
	ok "# SKIP man not installed"
fi
make -s -o "$BUILD/pasidtool" uninstall DESTDIR="$dest" PREFIX=/usr BUILD="$BUILD" > "$TMP/uninstall.log" 2>&1
left=$(find "$dest" -type f)
if [ -z "$left" ]; then ok "make uninstall removes every installed file"; else
	not_ok "make uninstall removes every installed file" "$left"; fi

# ---- bash completion ----

check "completion script passes bash -n" bash -n docs/completion/pasidtool.bash
cat > "$TMP/comp.bash" <<'EOF'
. docs/completion/pasidtool.bash
c() {
	COMP_WORDS=("$PASIDTOOL" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_pasidtool
	printf '%s\n' "${COMPREPLY[*]}"
}
c ""
c de
c decode --ssid
c decode x.bin --layout 2lvl
c decode x.bin --layout = 2lvl-6
c validate x.bin --caps qemu,asid
c validate x.bin --rule CD-TG0-R
c attach ""
c attach decode --variant ""
c formats --color a
c build --
complete -p pasidtool
EOF
bash "$TMP/comp.bash" > "$TMP/comp.out" 2>&1
cat > "$TMP/comp.want" <<'EOF'
decode validate build attach iommufd queues explain translate maps scan formats rules
decode
--ssid-bits --ssid
2lvl-4k 2lvl-64k
2lvl-64k
qemu,asid16=
CD-TG0-RESERVED=
decode validate build
rfc1 v09d v07 intel qcom
auto always
--elf --no-check --output --attach-out --domain --emit-invalidations --endpoint --variant --color --quiet --help --usage --version
complete -F _pasidtool pasidtool
EOF
cp "$TMP/comp.out" "$TMP/comp.got"
same "completion of commands, options and option values" "$TMP/comp.want" "$TMP/comp.got"

done_testing
