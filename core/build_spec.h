/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building every table of a description: the "tables" array, formats'
 * expansions of shorter forms, then the tables nested in entries (a stream
 * table's STEs holding their CD tables). The CLI's build and the fuzz
 * harnesses both build through this. */
#ifndef PT_BUILD_SPEC_H
#define PT_BUILD_SPEC_H

#include <jansson.h>

#include "image.h"
#include "table.h"

/* Tables of one description, at most. */
#define PT_BUILD_MAX_TABLES 4096u

struct pt_built_table {
	struct pt_table_cfg cfg;
	const json_t *table;     /* its description (owned by the spec) */
	int has_owner;           /* nested in an entry of another table */
	uint32_t owner;          /* that entry's index (an STE's StreamID) */
};

/* Refuse tables larger than these (return 1): callers that must stay fast
 * on hostile descriptions, such as fuzz harnesses. */
struct pt_build_limits {
	uint64_t max_entries, max_root_bytes;
};

/* Build spec's tables into img and list them in out (up to cap, *n set).
 * Formats may fill defaults in spec, so it is not const. Returns 0, -1 with
 * err set, or 1 when limits refused a table. */
int pt_build_spec(struct pt_image *img, json_t *spec, const struct pt_build_limits *limits,
		  struct pt_built_table *out, size_t cap, size_t *n, char *err, size_t errlen);

#endif
