/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Writing page tables from a list of mappings, for any format the walker
 * knows (core/ptwalk.h): `build` makes translation regimes on demand, tests
 * make random ones. Tables are placed in a pt_image after the root. */
#ifndef PT_PTBUILD_H
#define PT_PTBUILD_H

#include <jansson.h>

#include "image.h"
#include "ptwalk.h"

struct pt_ptb {
	struct pt_image *img;
	const struct pt_ptw_format *f;
	int start_level;
	unsigned ia_bits;
	uint64_t root;
	uint64_t next;          /* where the next table is looked for */
	uint64_t tables;        /* tables written, root included */
};

/* The shallowest start level that resolves ia_bits without concatenation. */
int pt_ptb_start_level(const struct pt_ptw_format *f, unsigned ia_bits);

/* Allocate the (zeroed) start table at root. 0, or -1 with err. */
int pt_ptb_init(struct pt_ptb *b, struct pt_image *img, const struct pt_ptw_format *f,
		int start_level, unsigned ia_bits, uint64_t root, char *err, size_t errlen);

/* Map [ia, ia + 2^level_shift) to oa with one leaf at `level`; leaf_bits and
 * table_bits are OR'ed into the new leaf and the new table descriptors.
 * Fails on overlap with an existing mapping or a misaligned address. */
int pt_ptb_map(struct pt_ptb *b, uint64_t ia, uint64_t oa, int level, uint64_t leaf_bits,
	       uint64_t table_bits, char *err, size_t errlen);

/* Map a range with the largest leaves alignment allows (down to max_level). */
int pt_ptb_map_range(struct pt_ptb *b, uint64_t ia, uint64_t oa, uint64_t size, int min_level,
		     uint64_t leaf_bits, uint64_t table_bits, char *err, size_t errlen);

/* Page-table formats by name, for build descriptions. */
void pt_ptw_format_register(const struct pt_ptw_format *f);
const struct pt_ptw_format *pt_ptw_format_find(const char *name);
size_t pt_ptw_format_count(void);
const struct pt_ptw_format *pt_ptw_format_at(size_t i);

/* Build every object of a description's "page_tables" array:
 * {"format": "vmsav8-64-s1-4k", "ia_bits": 48, "root": "0x...",
 *  ["start_level": L,] "mappings": [{"iova", "pa", "size", ["level",]
 *  ["attrs": {leaf field: value}], ["table_attrs": {...}]}]}.
 * Attribute names are the descriptor structures' field names. */
int pt_ptb_build_spec(struct pt_image *img, const json_t *page_tables, char *err, size_t errlen);

#endif
