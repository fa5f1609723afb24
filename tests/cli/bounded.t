#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Work proportional to the input (issue 10 item 4): the slow inputs of the
# issue, each checked by its findings and counts (not by time): memory the
# input holds no data for is skipped in bulk and counted, each distinct table
# is walked once however many STEs, descriptors or requests name it, tables
# laid over other tables are reported (TABLE-OVERLAP), and --max-entries
# stops a walk with TABLE-BUDGET. bench/ times the same inputs.
. tests/cli/tap.sh

# gen KIND OUT: the hostile inputs, written by python3 (a test dependency).
gen() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
kind, out = sys.argv[1], sys.argv[2]

def elf_zero(memsz, data=b""):
    # ELF64 core, one PT_LOAD at 0 holding `data`, zero-filled up to memsz:
    # 120 bytes when data is empty.
    eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    eh += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 1, 4, 120, 0, 0, len(data), memsz, 0)
    return eh + ph + data

def ste(ctxptr, cdmax, s1fmt=0):
    # V, Config = stage 1, S1Fmt, S1ContextPtr [55:6], S1CDMax [63:59]
    w0 = 1 | 5 << 1 | s1fmt << 4 | (ctxptr & ((1 << 56) - 1) & ~63) | cdmax << 59
    w1 = 2 | 1 << 2 | 1 << 4 | 3 << 6          # S1DSS ssid0, cacheable walks
    return struct.pack("<QQ", w0, w1) + bytes(48)

data = b""
if kind == "elf-2^40":
    data = elf_zero(1 << 40)
elif kind == "stes-distinct":
    # 256 STEs (16 KiB) naming 2^20-CD tables at distinct bases past the image
    data = b"".join(ste(0x100000000 + i * (64 << 20), 20) for i in range(256))
elif kind == "stes-zero-elf":
    # the same 256 STEs in a core whose segment is zero-filled to 2^40:
    # every CD table is 2^20 CDs of zero-filled memory
    stes = b"".join(ste(0x100000000 + i * (64 << 20), 20) for i in range(256))
    data = elf_zero(1 << 40, stes)
elif kind == "attach-zero":
    # 8 KiB of ATTACH_TABLE requests (rfc1: 80 bytes each) naming 2^20-CD
    # tables; each request a distinct table, every other one repeated
    req = lambda ptr: struct.pack("<IIIHBBQI", 6, 1, 8, 2, 0, 0, ptr, 20) + bytes(52)
    data = b"".join(req(0x100000000 + (i // 2) * (64 << 20)) for i in range(102))
elif kind == "stes-shared":
    # 256 STEs naming one 2^20-CD table past the image
    data = b"".join(ste(0x100000000, 20) for i in range(256))
elif kind == "stes-over-strtab":
    # 1024 STEs (64 KiB) whose 2^20-CD tables are laid over the stream table
    data = b"".join(ste(i * 64, 20) for i in range(1024))
elif kind == "l1std-one-leaf":
    # 2-level stream table: 4096 L1STDs (32 KiB) naming one 1024-STE leaf
    # at 0x8000 (Span 11), the leaf holding STE 0 only
    leaf = 0x8000
    l1 = struct.pack("<Q", 11 | leaf) * 4096
    data = l1 + ste(0x100000000, 0) + bytes(1023 * 64)
elif kind == "l1cd-one-leaf":
    # 2-level CD table (4K leaves): 4096 L1CDs naming one leaf at 0x8000
    l1 = struct.pack("<Q", 1 | 0x8000) * 4096
    data = l1 + bytes(4096)
open(out, "wb").write(data)
EOF
}

pt() {
	"$PASIDTOOL" "$@" > "$TMP/out" 2> "$TMP/err"
	echo $? > "$TMP/rc"
}

has() { # has NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "$(cat "$2")"; fi
}

# jq_is NAME FILTER EXPECTED: a value of the last JSON output.
jq_is() {
	got=$(jq -r "$2" "$TMP/out" 2>&1)
	if [ "$got" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$got', expected '$3'"; fi
}

# 1. A 120-byte ELF core whose PT_LOAD has p_memsz 2^40 and p_filesz 0: the
# stream table is all zero-filled memory, skipped as one run.
gen elf-2^40 "$TMP/z.elf"
pt decode "$TMP/z.elf" --strtab 0 --strtab-cfg 32 --json
jq_is "2^40 zero ELF: every STE in zero-filled memory is counted" \
	'.summary.entries_zero == .summary.entries_read and .summary.entries_read > 65536' true
jq_is "2^40 zero ELF: none valid" .summary.entries_valid 0
pt decode "$TMP/z.elf" --strtab 0 --strtab-cfg 20
has "2^40 zero ELF: text summary says what was skipped" "$TMP/out" \
	"0 of 1048576 STEs valid; 0 CD tables, 0 of 0 CDs valid; 1048576 entries in zero-filled memory, all invalid"
pt decode "$TMP/z.elf" --cd-table 0x1000 --ssid-bits 20
has "2^40 zero ELF: a 2^20-CD table in it" "$TMP/out" \
	"1048576 entries in zero-filled memory, all invalid"
pt decode "$TMP/z.elf" --cd-table 0 --layout 2lvl-4k --ssid-bits 20 --max-entries 8
has "2^40 zero ELF: 2^14 zero L1CDs cost a few reads of the budget" "$TMP/out" \
	"0 of 0 entries valid, 0 of 16384 L1 descriptors valid; 0 errors"

# 2. 256 STEs in 16 KiB naming 2^20-CD tables outside the image: each table
# is one run of absent memory.
gen stes-distinct "$TMP/d.bin"
pt validate "$TMP/d.bin" --strtab 0 --strtab-cfg 8 --json
jq_is "256 STEs, distinct tables outside: 256 CD tables" .summary.cd_tables 256
jq_is "256 STEs, distinct tables outside: no CD read" .summary.cd_entries_read 0
jq_is "256 STEs, distinct tables outside: each is TABLE-UNMAPPED" \
	'[.diagnostics[] | select(.rule == "TABLE-UNMAPPED") | 1 + (.repeat // 0)] | add' 256

# 2b. The same STEs in an ELF core whose segment is zero-filled to 2^40:
# 2^28 CDs of zero-filled memory, each table a run.
gen stes-zero-elf "$TMP/dz.elf"
pt validate "$TMP/dz.elf" --strtab 0 --strtab-cfg 8 --json
jq_is "256 STEs, zero-filled tables: 2^28 CDs in zero-filled memory, none valid" \
	'[.summary.cd_tables, .summary.cd_entries_read, .summary.cd_entries_valid, .summary.entries_zero] | join(" ")' \
	"256 268435456 0 268435456"

# 2c. 8 KiB of ATTACH_TABLE requests over the zero dump: 51 distinct tables,
# each walked once as a run of zero-filled memory.
gen attach-zero "$TMP/req.bin"
pt attach validate "$TMP/req.bin" --dump "$TMP/z.elf" --json
jq_is "ATTACH_TABLE over a zero dump: 102 requests" '.requests | length' 102
# Read entry by entry, 51 tables of 2^20 CDs would spend the default budget
# (2^24) and stop with TABLE-BUDGET.
jq_is "ATTACH_TABLE over a zero dump: zero-filled tables cost no budget" \
	'[.diagnostics[] | select(.rule == "TABLE-BUDGET")] | length' 0
jq_is "ATTACH_TABLE over a zero dump: no error" .summary.errors 0

# 3. The same 256 STEs naming one table: walked once, the finding names every SID.
gen stes-shared "$TMP/s.bin"
pt validate "$TMP/s.bin" --strtab 0 --strtab-cfg 8 --json
jq_is "256 STEs, one table: one CD table" .summary.cd_tables 1
jq_is "256 STEs, one table: its finding names sid 0 and sid 1-255" \
	'[.diagnostics[] | select(.rule == "TABLE-UNMAPPED")][0] | [.sid, .shared_with[0].first, .shared_with[0].last] | join(" ")' \
	"0 1 255"
pt validate "$TMP/s.bin" --strtab 0 --strtab-cfg 8
has "256 STEs, one table: text names every SID" "$TMP/out" "error: sid 0 (and sid 1-255): "

# 4. CD tables laid over a 64 KiB stream table: reported, not walked.
gen stes-over-strtab "$TMP/o.bin"
pt validate "$TMP/o.bin" --strtab 0 --strtab-cfg 10 --json
jq_is "CD tables over the stream table: 1024 tables, each TABLE-OVERLAP" \
	'[.diagnostics[] | select(.rule == "TABLE-OVERLAP") | 1 + (.repeat // 0)] | add' 1024
jq_is "CD tables over the stream table: no CD read" .summary.cd_entries_read 0
pt decode "$TMP/o.bin" --strtab 0 --strtab-cfg 10 --json
out_size=$(wc -c < "$TMP/out")
if [ "$out_size" -lt 4000000 ]; then ok "CD tables over the stream table: decode --json stays small ($out_size bytes)"
else not_ok "CD tables over the stream table: decode --json is $out_size bytes"; fi
pt validate "$TMP/o.bin" --strtab 0 --strtab-cfg 10
has "CD tables over the stream table: the finding says what it overlaps" "$TMP/out" \
	"overlaps the stream table at 0x0"

# 5. 4096 L1 descriptors naming one leaf: the leaf is walked once.
gen l1std-one-leaf "$TMP/l.bin"
pt decode "$TMP/l.bin" --strtab 0 --strtab-cfg 0x10296 --json
jq_is "4096 L1STDs, one leaf: 1024 STEs read, not 4M" .summary.entries_read 1024
jq_is "4096 L1STDs, one leaf: every descriptor valid" .summary.l1_valid 4096
pt validate "$TMP/l.bin" --strtab 0 --strtab-cfg 0x10296 --json
jq_is "4096 L1STDs, one leaf: TABLE-LEAF-SHARED for the other 4095" \
	'[.diagnostics[] | select(.rule == "TABLE-LEAF-SHARED") | 1 + (.repeat // 0)] | add' 4095
gen l1cd-one-leaf "$TMP/c.bin"
pt decode "$TMP/c.bin" --cd-table 0 --layout 2lvl-4k --ssid-bits 18 --json
jq_is "4096 L1CDs, one leaf: 64 CDs read" .summary.entries_read 64

# 6. --max-entries: the budget stops the walk with its own finding, at the
# exact count (a 16-STE table: 16 passes, 15 stops).
head -c 1024 "$TMP/s.bin" > "$TMP/16.bin"
pt validate "$TMP/16.bin" --strtab 0 --strtab-cfg 4 --max-entries 17 --json
jq_is "--max-entries 17: 16 STEs and the shared CD table's run fit" \
	'[.diagnostics[] | select(.rule == "TABLE-BUDGET")] | length' 0
pt validate "$TMP/16.bin" --strtab 0 --strtab-cfg 4 --max-entries 16 --json
jq_is "--max-entries 16: the CD table is not reached" \
	'[.diagnostics[] | select(.rule == "TABLE-BUDGET")] | length' 1
pt validate "$TMP/16.bin" --strtab 0 --strtab-cfg 4 --max-entries 15 --json
jq_is "--max-entries 15: stops in the stream table" .summary.entries_read 15
if [ "$(cat "$TMP/rc")" = 1 ]; then ok "--max-entries 15: exit 1 (TABLE-BUDGET is an error)"
else not_ok "--max-entries 15: exit $(cat "$TMP/rc"), expected 1"; fi
pt validate "$TMP/16.bin" --strtab 0 --strtab-cfg 4 --max-entries 15
has "--max-entries 15: the finding" "$TMP/out" "stopped after 15 entries (--max-entries)"
pt validate "$TMP/16.bin" --strtab 0 --strtab-cfg 4 --max-entries 0 --json
jq_is "--max-entries 0: no limit" '[.diagnostics[] | select(.rule == "TABLE-BUDGET")] | length' 0

# 7. --sid counts what it read: one valid L1 descriptor, one STE (issue 10:
# "--sid 8 prints a valid L1 descriptor and then counts 0 of 256").
pt decode "$TMP/l.bin" --strtab 0 --strtab-cfg 0x10296 --sid 1024
has "--sid 1024 of a 2-level table counts the descriptor it read" "$TMP/out" \
	"1 of 1 STEs valid, 1 of 1 L1 descriptors valid"

# 8. The new summary and diagnostic keys match the schemas (real output).
. tests/cli/schema.sh
"$PASIDTOOL" validate "$TMP/s.bin" --strtab 0 --strtab-cfg 8 --json > "$TMP/v.json"
"$PASIDTOOL" decode "$TMP/z.elf" --strtab 0 --strtab-cfg 20 --json > "$TMP/d.json"
validate_json "shared_with in validate --json matches its schema" validate.json "$TMP/v.json"
validate_json "entries_zero in decode --json matches its schema" decode.json "$TMP/d.json"

done_testing
