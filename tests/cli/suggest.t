#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# "Did you mean": a typo'd rule id in --rule (validate, attach) and a
# typo'd --caps key get the closest name; a name too far from any gets none;
# the right name is accepted.
. tests/cli/tap.sh
cd_args="testdata/cd/linear.bin --base 0x80000000 --ssid-bits 4"

# shellcheck disable=SC2086
status "--rule with a known id: accepted" 1 "$PASIDTOOL" validate $cd_args --rule CD-TG0-RESERVED=warning
# shellcheck disable=SC2086
status "--rule with a typo'd id: exit 2" 2 "$PASIDTOOL" validate $cd_args --rule CD-TG0-RESERVD=off
check "... and the closest id is suggested" grep -q "did you mean 'CD-TG0-RESERVED'?" "$TMP/status.out"
# shellcheck disable=SC2086
status "--rule with a far-off id: exit 2" 2 "$PASIDTOOL" validate $cd_args --rule NO-SUCH-THING=off
check "... and no suggestion" sh -c "! grep -q 'did you mean' '$TMP/status.out'"
status "attach --rule with a typo'd id: exit 2" 2 "$PASIDTOOL" attach validate \
	testdata/attach/rfc1-dump.bin --rule ATTACH-S1DS=off
check "... and the closest id is suggested" grep -q "did you mean 'ATTACH-S1DSS'?" "$TMP/status.out"

# shellcheck disable=SC2086
status "--caps with a known key: accepted" 0 "$PASIDTOOL" decode $cd_args --caps ssid-bits=4
# shellcheck disable=SC2086
status "--caps with the underscore spelling: exit 2" 2 "$PASIDTOOL" validate $cd_args --caps ssid_bits=4
check "... and the key's one spelling is suggested" grep -q "did you mean 'ssid-bits'?" "$TMP/status.out"
# shellcheck disable=SC2086
status "--caps with a far-off key: exit 2" 2 "$PASIDTOOL" validate $cd_args --caps frobnicate=1
check "... and no suggestion" sh -c "! grep -q 'did you mean' '$TMP/status.out'"
done_testing
