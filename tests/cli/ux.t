#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The everyday interface: colour only where asked or on a terminal (and
# never with NO_COLOR), --quiet, the progress line, suggestions for typos,
# exit statuses of usage errors, errors that name the file and the address.
. tests/cli/tap.sh
dir=testdata/cd
img=$dir/2lvl-4k.bin
root="--base 0x40000000 --layout 2lvl-4k --ssid-bits 8"
esc=$(printf '\033')

# has_esc FILE: the file holds an ANSI escape.
has_esc() { grep -q "$esc\\[" "$1"; }

# ---- colour ----

# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root --color=always > "$TMP/always.txt" 2>&1
if grep -q "$esc\\[1;31merror$esc\\[0m: " "$TMP/always.txt"; then
	ok "--color=always: severities in bold red (error)"
else
	not_ok "--color=always: severities in bold red (error)" "$(head -n 3 "$TMP/always.txt")"
fi
# shellcheck disable=SC2086
"$PASIDTOOL" decode "$img" $root --color=always > "$TMP/always-decode.txt" 2>/dev/null
if grep -q "$esc\\[32mASID$esc\\[0m=0x10" "$TMP/always-decode.txt"; then
	ok "--color=always: field names in green (ASID=0x10)"
else
	not_ok "--color=always: field names in green (ASID=0x10)" "$(head -n 3 "$TMP/always-decode.txt")"
fi
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root --color=never > "$TMP/never.txt" 2>&1
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root > "$TMP/auto.txt" 2>&1
if has_esc "$TMP/never.txt" || has_esc "$TMP/auto.txt"; then
	not_ok "--color=never and auto into a pipe print no escapes"
else
	ok "--color=never and auto into a pipe print no escapes"
fi
sed "s/$esc\\[[0-9;]*m//g" "$TMP/always.txt" > "$TMP/stripped.txt"
same "coloured and plain output differ only in escapes" "$TMP/never.txt" "$TMP/stripped.txt"
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root --json --color=always > "$TMP/color.json"
if has_esc "$TMP/color.json"; then not_ok "JSON is never coloured"; else ok "JSON is never coloured"; fi
status "--color=sometimes is a usage error" 2 "$PASIDTOOL" validate "$img" --color=sometimes
"$PASIDTOOL" rules --color=always > "$TMP/rules.txt"
if grep -q "^CD-TG0-RESERVED  *$esc\\[1;31merror$esc\\[0m " "$TMP/rules.txt"; then
	ok "rules --color=always colours severities"
else
	not_ok "rules --color=always colours severities" "$(grep CD-TG0-RESERVED "$TMP/rules.txt")"
fi
"$PASIDTOOL" formats --color=always > "$TMP/formats.txt"
if grep -q "^    $esc\\[32mT0SZ$esc\\[0m  " "$TMP/formats.txt"; then
	ok "formats --color=always colours field names"
else
	not_ok "formats --color=always colours field names" "$(sed -n 4p "$TMP/formats.txt")"
fi

# On a terminal (script(1) gives one): auto colours, NO_COLOR stops it,
# --color=always wins over NO_COLOR.
if command -v script > /dev/null 2>&1 && script -qec true /dev/null > /dev/null 2>&1; then
	on_tty() { script -qec "$1" /dev/null < /dev/null; }
	on_tty "env -u NO_COLOR '$PASIDTOOL' validate '$img' $root" > "$TMP/tty.txt" 2>&1
	if has_esc "$TMP/tty.txt"; then ok "auto colours on a terminal"; else
		not_ok "auto colours on a terminal" "$(head -n 3 "$TMP/tty.txt")"; fi
	on_tty "NO_COLOR=1 '$PASIDTOOL' validate '$img' $root" > "$TMP/tty-nc.txt" 2>&1
	if has_esc "$TMP/tty-nc.txt"; then not_ok "NO_COLOR=1 stops colour on a terminal"; else
		ok "NO_COLOR=1 stops colour on a terminal"; fi
	on_tty "NO_COLOR= '$PASIDTOOL' validate '$img' $root" > "$TMP/tty-empty.txt" 2>&1
	if has_esc "$TMP/tty-empty.txt"; then ok "an empty NO_COLOR is ignored (no-color.org)"; else
		not_ok "an empty NO_COLOR is ignored (no-color.org)"; fi
	on_tty "NO_COLOR=1 '$PASIDTOOL' validate '$img' $root --color=always" > "$TMP/tty-al.txt" 2>&1
	if has_esc "$TMP/tty-al.txt"; then ok "--color=always wins over NO_COLOR"; else
		not_ok "--color=always wins over NO_COLOR"; fi
	# Findings on a terminal, entries into a file: only the findings are coloured.
	on_tty "env -u NO_COLOR '$PASIDTOOL' decode '$img' $root --strict > '$TMP/entries.txt'" > "$TMP/tty-err.txt" 2>&1
	if has_esc "$TMP/tty-err.txt" && ! has_esc "$TMP/entries.txt"; then
		ok "auto decides per stream: findings on the terminal coloured, entries in a file not"
	else
		not_ok "auto decides per stream: findings on the terminal coloured, entries in a file not"
	fi

	# ---- progress ----
	truncate -s 64M "$TMP/big.bin"
	on_tty "PASIDTOOL_PROGRESS_DELAY=0 '$PASIDTOOL' validate '$TMP/big.bin' --ssid-bits 20 2>&1 >/dev/null" \
		> "$TMP/progress.txt" 2>&1
	# Validate visits CDs a run of 4096 (256 KiB) at a time: the first
	# redraw comes after the first run.
	if grep -q "big.bin: 4096 of 1048576 SSIDs (0%)" "$TMP/progress.txt" &&
		[ "$(tail -c 4 "$TMP/progress.txt" | od -An -c | tr -d ' ')" = '\r033[K' ]; then
		ok "progress line on a terminal, erased at the end"
	else
		not_ok "progress line on a terminal, erased at the end" "$(od -c "$TMP/progress.txt" | head)"
	fi
	redraws=$(tr '\r' '\n' < "$TMP/progress.txt" | grep -c 'SSIDs')
	on_tty "PASIDTOOL_PROGRESS_DELAY=0 '$PASIDTOOL' validate '$TMP/big.bin' --ssid-bits 20 --quiet 2>&1 >/dev/null" \
		> "$TMP/progress-q.txt" 2>&1
	if [ -s "$TMP/progress-q.txt" ]; then not_ok "--quiet: no progress line" "$(od -c "$TMP/progress-q.txt" | head -n 3)"; else
		ok "--quiet: no progress line"; fi
	on_tty "'$PASIDTOOL' validate '$TMP/big.bin' --ssid-bits 20 2>&1 >/dev/null" > "$TMP/progress-d.txt" 2>&1
	if grep -q SSIDs "$TMP/progress-d.txt"; then
		# Only a slow machine takes half a second for this walk.
		ok "# SKIP the walk took longer than the default delay"
	else
		ok "no progress line for a walk shorter than the default delay"
	fi
	if [ "$redraws" -ge 1 ] && [ "$redraws" -le 40 ]; then
		ok "progress redraws are rate-limited ($redraws for 2^20 SSIDs)"
	else
		not_ok "progress redraws are rate-limited" "$redraws redraws"
	fi
else
	for n in 1 2 3 4 5 6 7 8 9; do ok "# SKIP script(1) cannot give a terminal"; done
fi
truncate -s 64M "$TMP/big.bin"
PASIDTOOL_PROGRESS_DELAY=0 "$PASIDTOOL" validate "$TMP/big.bin" --ssid-bits 20 > "$TMP/out.txt" 2> "$TMP/err.txt"
if [ -s "$TMP/err.txt" ]; then not_ok "no progress line when stderr is not a terminal" "$(head -c 200 "$TMP/err.txt")"; else
	ok "no progress line when stderr is not a terminal"; fi

# ---- --quiet ----

# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root --quiet > "$TMP/quiet.txt" 2>&1
# shellcheck disable=SC2086
"$PASIDTOOL" validate "$img" $root > "$TMP/loud.txt" 2>&1
grep -v ' entries valid' "$TMP/loud.txt" > "$TMP/loud-findings.txt"
same "validate --quiet prints the findings and no summary line" "$TMP/loud-findings.txt" "$TMP/quiet.txt"
# shellcheck disable=SC2086
status "validate --quiet keeps exit status 1 on errors" 1 "$PASIDTOOL" validate "$img" $root --quiet

# ---- typos ----

"$PASIDTOOL" decode "$img" --jsn > "$TMP/typo.txt" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^pasidtool: error: decode: unknown option '--jsn'; did you mean '--json'?\$" "$TMP/typo.txt" &&
	grep -q "^Try 'pasidtool decode --help'.\$" "$TMP/typo.txt"; then
	ok "unknown option: exit 2 and 'did you mean --json?'"
else
	not_ok "unknown option: exit 2 and 'did you mean --json?'" "exit $rc: $(cat "$TMP/typo.txt")"
fi
"$PASIDTOOL" validate "$img" --ssidbits=4 > "$TMP/typo2.txt" 2>&1
if grep -q "unknown option '--ssidbits'; did you mean '--ssid-bits'?" "$TMP/typo2.txt"; then
	ok "unknown option with =VALUE: suggests --ssid-bits"
else
	not_ok "unknown option with =VALUE: suggests --ssid-bits" "$(cat "$TMP/typo2.txt")"
fi
"$PASIDTOOL" rules --markdwn > "$TMP/typo3.txt" 2>&1
if grep -q "did you mean '--markdown'?" "$TMP/typo3.txt"; then ok "rules: suggests --markdown"; else
	not_ok "rules: suggests --markdown" "$(cat "$TMP/typo3.txt")"; fi
"$PASIDTOOL" decode "$img" --zzzzzz > "$TMP/typo4.txt" 2>&1
if grep -q "unknown option '--zzzzzz'\$" "$TMP/typo4.txt"; then ok "no suggestion when nothing is close"; else
	not_ok "no suggestion when nothing is close" "$(cat "$TMP/typo4.txt")"; fi
# Abbreviations getopt accepts stay accepted; an option's argument that
# looks like an option is not checked.
# shellcheck disable=SC2086
status "unambiguous abbreviation --qui is accepted" 1 "$PASIDTOOL" validate "$img" $root --qui
status "an option's argument is not taken for an option" 2 "$PASIDTOOL" decode "$img" --layout --jsn
if grep -q "unknown option" "$TMP/status.out"; then not_ok "--layout --jsn: the value is not reported as an option"; else
	ok "--layout --jsn: the value is not reported as an option"; fi
"$PASIDTOOL" valdate > "$TMP/cmd.txt" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "unknown command 'valdate'; did you mean 'validate'?" "$TMP/cmd.txt"; then
	ok "unknown command: exit 2 and 'did you mean validate?'"
else
	not_ok "unknown command: exit 2 and 'did you mean validate?'" "exit $rc: $(cat "$TMP/cmd.txt")"
fi
status "argp usage errors exit 2, not 64" 2 "$PASIDTOOL" build
status "an invalid short option exits 2" 2 "$PASIDTOOL" decode -x "$img"
"$PASIDTOOL" decode "$img" --layout 2lvl4k --ssid-bits 8 > "$TMP/layout.txt" 2>&1
if grep -q "did you mean 2lvl-4k" "$TMP/layout.txt"; then ok "unknown layout suggests 2lvl-4k"; else
	not_ok "unknown layout suggests 2lvl-4k" "$(cat "$TMP/layout.txt")"; fi

# ---- errors name the file, the address and what to do ----

"$PASIDTOOL" decode "$TMP/nonexistent.bin" > "$TMP/nofile.txt" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^$TMP/nonexistent.bin: error: .*No such file" "$TMP/nofile.txt"; then
	ok "a missing input: exit 2, the message names the file"
else
	not_ok "a missing input: exit 2, the message names the file" "exit $rc: $(cat "$TMP/nofile.txt")"
fi
"$PASIDTOOL" decode "$dir/linear.bin" --base 0x80000000 --cd-table 0x90000000 --ssid-bits 2 \
	> "$TMP/unmapped.txt" 2>&1
if grep -q "^$dir/linear.bin:0x90000000: error: " "$TMP/unmapped.txt"; then
	ok "a table outside the input: the finding names the file and the address"
else
	not_ok "a table outside the input: the finding names the file and the address" "$(cat "$TMP/unmapped.txt")"
fi
"$PASIDTOOL" decode "$img" --base 0x4000000g > "$TMP/num.txt" 2>&1
if grep -q "'0x4000000g' is not a number" "$TMP/num.txt"; then ok "a bad number names the option's value"; else
	not_ok "a bad number names the option's value" "$(cat "$TMP/num.txt")"; fi
"$PASIDTOOL" validate "$img" --rule CD-TG0-RESERVD=off > "$TMP/rule.txt" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "see 'pasidtool rules'" "$TMP/rule.txt"; then
	ok "an unknown rule id is a usage error that says where to look"
else
	not_ok "an unknown rule id is a usage error that says where to look" "exit $rc: $(cat "$TMP/rule.txt")"
fi

done_testing
