# SPDX-License-Identifier: GPL-2.0-or-later
# Small TAP helpers for the CLI tests (sourced). Each check prints one
# "ok N - name" or "not ok N - name" line; done_testing prints the plan.
: "${PASIDTOOL:?PASIDTOOL must name the pasidtool binary}"
TAP_N=0
TAP_FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/# /' | head -n 40
	return 0
}

# check NAME COMMAND...: passes when the command exits 0.
check() {
	tap_name=$1
	shift
	if tap_out=$("$@" 2>&1); then ok "$tap_name"; else not_ok "$tap_name" "$tap_out"; fi
}

# same NAME EXPECTED_FILE ACTUAL_FILE
same() {
	if tap_d=$(diff -u "$2" "$3" 2>&1); then ok "$1"; else not_ok "$1" "$tap_d"; fi
}

# status NAME EXPECTED_STATUS COMMAND...: passes when the exit status matches.
status() {
	tap_name=$1
	tap_want=$2
	shift 2
	"$@" > "$TMP/status.out" 2>&1
	tap_got=$?
	if [ "$tap_got" -eq "$tap_want" ]; then ok "$tap_name"; else
		not_ok "$tap_name" "exit $tap_got, wanted $tap_want: $(head -c 2000 "$TMP/status.out")"; fi
}

# golden_cases DIR: for every line "NAME<TAB>ARGS" of DIR/cases, the image
# DIR/NAME.bin built from DIR/NAME.json must be the committed one; decode,
# decode --all and validate (text and JSON) must print the committed
# outputs; validate and decode --strict exit 1 exactly when there are
# errors; and decode --json | build gives back every byte.
golden_cases() {
	dir=$1
	grep -v '^#' "$dir/cases" > "$TMP/cases"
	while IFS='	' read -r name args; do
		[ -n "$name" ] || continue
		img="$dir/$name.bin"
		"$PASIDTOOL" build "$dir/$name.json" -o "$TMP/$name.bin"
		check "$name: build from the spec gives the committed image" cmp "$img" "$TMP/$name.bin"
		for mode in decode decode-all validate; do
			case $mode in
			decode) cmd="decode" extra="" ;;
			decode-all) cmd="decode" extra="--all" ;;
			validate) cmd="validate" extra="" ;;
			esac
			# shellcheck disable=SC2086
			"$PASIDTOOL" $cmd "$img" $args $extra > "$TMP/out.txt" 2>/dev/null
			same "$name: $mode text" "$dir/$name.$mode.txt" "$TMP/out.txt"
		done
		for mode in decode validate; do
			# shellcheck disable=SC2086
			"$PASIDTOOL" $mode "$img" $args --json > "$TMP/out.json" 2>/dev/null
			same "$name: $mode JSON" "$dir/$name.$mode.json" "$TMP/out.json"
			check "$name: $mode JSON parses" python3 -m json.tool "$TMP/out.json"
		done
		errors=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["errors"])' "$dir/$name.validate.json")
		want=0
		[ "$errors" -gt 0 ] && want=1
		# shellcheck disable=SC2086
		status "$name: validate exits $want" "$want" "$PASIDTOOL" validate "$img" $args
		# shellcheck disable=SC2086
		"$PASIDTOOL" decode "$img" $args --json > "$TMP/rt.json"
		"$PASIDTOOL" build "$TMP/rt.json" -o "$TMP/rt.bin"
		check "$name: decode --json | build gives back every byte" cmp "$img" "$TMP/rt.bin"
		# shellcheck disable=SC2086
		"$PASIDTOOL" decode "$img" $args --all --json > "$TMP/rt-all.json"
		"$PASIDTOOL" build "$TMP/rt-all.json" -o "$TMP/rt-all.bin"
		check "$name: decode --all --json | build gives back every byte" cmp "$img" "$TMP/rt-all.bin"
		# shellcheck disable=SC2086
		status "$name: decode --strict exits like validate" "$want" "$PASIDTOOL" decode "$img" $args --strict
	done < "$TMP/cases"
}

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
