/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `decode --json` of one table, as the pieces a walk's callbacks call: which
 * entries are printed, the table header, the "l1" and entries arrays. The
 * CLI and the fuzz harnesses both print through these, so the fuzzers check
 * the very output users get. */
#ifndef PT_DECODE_JSON_H
#define PT_DECODE_JSON_H

#include <stdint.h>

#include <jansson.h>

#include "emit.h"
#include "table.h"

struct pt_decode_json {
	struct pt_emit *emit;
	int all;                 /* --all: every entry and descriptor */
	int array_open;
	uint64_t items;          /* descriptors and entries printed */
};

/* {"format", "layout", "base", "<index>_bits"[, "leaf_bits"]}: callers may
 * add members before handing it to pt_emit_table_begin. */
json_t *pt_decode_json_header(const struct pt_table_cfg *cfg);

/* Printed: valid ones, all with --all or a single SSID asked for, and
 * invalid ones that are not all zero (so decode --json | build gives back
 * every byte). */
int pt_decode_json_want(const struct pt_decode_json *d, const struct pt_walk *w, int valid,
			const uint8_t *raw, size_t n);

void pt_decode_json_phase(struct pt_decode_json *d, const struct pt_walk *w,
			  enum pt_walk_phase phase);
/* Print the descriptor or entry when pt_decode_json_want says so. */
void pt_decode_json_dir(struct pt_decode_json *d, const struct pt_walk *w, uint32_t index,
			uint64_t addr, const uint8_t *raw, int valid);
void pt_decode_json_entry(struct pt_decode_json *d, const struct pt_walk *w, uint32_t index,
			  uint64_t addr, const uint8_t *raw);

#endif
