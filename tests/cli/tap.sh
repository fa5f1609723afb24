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

done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
