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
	/* A table whose entries were streamed (core/build_stream.c) has an
	 * empty "entries" in its description; when asked, the indexes it
	 * wrote are kept here instead (pt_built_free). */
	uint32_t *written;
	size_t nwritten;
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

void pt_built_free(struct pt_built_table *t, size_t n);

/* The steps of pt_build_spec, for the streamed reader of a description. */
struct pt_spec_run {
	struct pt_image *img;
	const struct pt_build_limits *limits;
	struct pt_built_table *out;
	size_t cap, n;
	char *err;
	size_t errlen;
};
/* The format's expansion of a table description (spec_expand), and of one
 * of its entries (spec_expand_entry). 0, or -1 with err set. */
int pt_spec_expand(json_t *t, json_t *later, char *err, size_t errlen);
int pt_spec_expand_entry(const json_t *t, json_t *entry, json_t *later, char *err,
			 size_t errlen);
int pt_spec_over_limits(const struct pt_spec_run *r, const struct pt_table_cfg *cfg);
/* Build a whole table description: 0, 1 (limits), -1 with r->err set as
 * "WHAT[I]: why". */
int pt_spec_build_one(struct pt_spec_run *r, const json_t *t, const char *what, size_t i,
		      const json_t *owner);
/* List a table built (NULL when out is full). */
struct pt_built_table *pt_spec_record(struct pt_spec_run *r, const struct pt_table_cfg *cfg,
				      const json_t *t, const json_t *owner);
/* The tables nested in entries (queued in later), then "page_tables". */
int pt_spec_finish(struct pt_spec_run *r, const json_t *later, const json_t *page_tables);

#endif
