#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 11 end to end: the QEMU-* notes on a stream table whose STEs QEMU
# would refuse (testdata/strtab/linear.bin: S1CDMax 2 and 12 with
# SSIDSIZE 0, which the architecture ignores; QEMU decode_ste() raises
# C_BAD_STE), the qemu=VERSION key, and caps from raw ID registers.
# shellcheck disable=SC2086
. tests/cli/tap.sh
img=testdata/strtab/linear.bin
root="--base 0x90000000 --strtab 0x90000000 --strtab-cfg 4"

"$PASIDTOOL" validate $img $root --caps qemu,qemu=7.2 > "$TMP/q72.txt" 2>&1
check "qemu=7.2: S1CDMax 2 of sid 1 is a QEMU note" \
	grep -q 'sid 1: QEMU 7.2 rejects S1CDMax = 2 .*\[QEMU-STE-S1CDMAX\]' "$TMP/q72.txt"
check "... and S1CDMax 12 of sid 4" grep -q 'sid 4: QEMU 7.2 rejects S1CDMax = 12' "$TMP/q72.txt"
"$PASIDTOOL" validate $img $root --caps generic,ssid-bits=0 > "$TMP/arch.txt" 2>&1
check "without a QEMU version there is no QEMU note" sh -c "! grep -q 'QEMU-' '$TMP/arch.txt'"
"$PASIDTOOL" validate $img $root --caps qemu > "$TMP/q.txt" 2>&1
check "the qemu profile notes for QEMU 10.1" grep -q 'QEMU 10.1 rejects S1CDMax' "$TMP/q.txt"
"$PASIDTOOL" validate $img $root --caps qemu,qemu=7.2 --json > "$TMP/q72.json" 2>/dev/null
check "notes are JSON diagnostics with severity note" python3 -c "
import json, sys
d = json.load(open('$TMP/q72.json'))
n = [x for x in d['diagnostics'] if x['rule'] == 'QEMU-STE-S1CDMAX']
sys.exit(0 if len(n) == 2 and all(x['severity'] == 'note' for x in n) else 1)"
status "qemu=7 is not a release: exit 2" 2 "$PASIDTOOL" validate $img $root --caps qemu=7
status "qemu=1.0 is not a release QEMU had an SMMUv3 in: exit 2" 2 \
	"$PASIDTOOL" validate $img $root --caps qemu=1.0
# IDR0 of QEMU (no Hyp): STRW = 1 of sid 2 is RES0, not reserved.
"$PASIDTOOL" validate $img $root --caps idr0=0x0d40101a > "$TMP/idr.txt" 2>&1
check "idr0 without Hyp: STRW 1 is STE-RES0-FEATURE" grep -q 'sid 2: STRW = 1 .*STE-RES0-FEATURE' "$TMP/idr.txt"
check "... not STE-STRW-RESERVED" sh -c "! grep -q 'STE-STRW-RESERVED' '$TMP/idr.txt'"
"$PASIDTOOL" validate $img $root --caps generic > "$TMP/gen.txt" 2>&1
check "generic (Hyp): STRW 1 is STE-STRW-RESERVED" grep -q 'sid 2: STRW = 1 is reserved' "$TMP/gen.txt"
status "idr0=0x100000000 is wider than the register: exit 2" 2 \
	"$PASIDTOOL" validate $img $root --caps idr0=0x100000000

done_testing
