/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building a description read from a stream, an entry at a time: what
 * pt_build_spec does with a whole jansson document, in the memory of one
 * entry however large the description (docs/performance.md).
 *
 * The "l1" and entries arrays of each table are built as they are read,
 * once the table's settings are known: decode --json prints the settings
 * first, and so does any description that lists "format", "layout",
 * "base" and the index bits before the arrays. A table whose arrays come
 * before its settings is read whole and built at its end, as before; a
 * setting that comes after entries were built is an error that says so.
 * The top-level "diagnostics" array (decode's findings) is read an item
 * at a time too, and dropped. */
#ifndef PT_BUILD_STREAM_H
#define PT_BUILD_STREAM_H

#include "build_spec.h"
#include "json_stream.h"

enum pt_build_stream_rc {
	PT_BS_OK = 0,
	PT_BS_LIMITS = 1,        /* limits refused a table */
	PT_BS_NOT_OBJECT = 2,    /* the document is not an object (*spec holds it) */
	PT_BS_BUILD = -1,        /* err says why */
	PT_BS_JSON = -2,         /* the stream's error (line, column) says why */
};

/* Read the description from s and build it into img, listing the tables
 * in out (up to cap; *n set). record: keep each streamed table's written
 * indexes (pt_built_table.written). *spec gets the description without the
 * streamed arrays (each left as an empty array), for the caller's other
 * members ("source", "image"); free it after out. */
int pt_build_spec_stream(struct pt_jstream *s, struct pt_image *img,
			 const struct pt_build_limits *limits, int record,
			 struct pt_built_table *out, size_t cap, size_t *n, json_t **spec,
			 char *err, size_t errlen);

#endif
