/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building table images from JSON descriptions: what `decode --json` prints,
 * or a shorter hand-written form whose omitted parts take defaults. */
#ifndef PT_BUILD_H
#define PT_BUILD_H

#include <jansson.h>

#include "image.h"
#include "json_item.h"
#include "table.h"

/* Cap on entries one table description may list (2^20 SSIDs). */
#define PT_BUILD_MAX_ENTRIES (1u << PT_MAX_SSID_BITS)

/* Parse a table object's config: format, layout, base, ssid_bits. */
int pt_build_table_cfg(const json_t *table, struct pt_table_cfg *cfg, char *err, size_t errlen);

/* Lay out one table in img: the root at cfg->base, leaves where "l1"
 * descriptors say or, when they are omitted, placed after the tables already
 * in the image and pointed at by new descriptors. */
int pt_build_table(struct pt_image *img, const struct pt_table_cfg *cfg, const json_t *table,
		   char *err, size_t errlen);

/* One table laid out item by item, for callers that read its description
 * a piece at a time (core/build_stream.c); pt_build_table is begin, every
 * "l1" item, every entry, end. */
struct pt_builder {
	struct pt_image *img;
	const struct pt_table_cfg *cfg;
	struct pt_geometry g;
	uint8_t *root;
	char *err;
	size_t errlen;
	size_t hit;              /* image region of the last entry placed, + 1 */
	int auto_dirs;           /* no "l1": create leaves and descriptors */
	int record;              /* keep the indexes of the entries written */
	uint32_t *written;
	size_t nwritten, wcap;
};

/* Check the geometry and allocate the root; auto_dirs when the description
 * has no "l1" (even an empty one). 0, or -1 with err set. */
int pt_build_begin(struct pt_builder *b, struct pt_image *img, const struct pt_table_cfg *cfg,
		   int auto_dirs, char *err, size_t errlen);
/* One "l1" item, one entry: 0, or -1 with the builder's err set. */
int pt_build_dir(struct pt_builder *b, const json_t *item);
int pt_build_entry(struct pt_builder *b, const json_t *item);
/* The same from the fast reader's result: 0, -1 with err set, or 1 when a
 * value does not fit (nothing written: the JSON path words the error). */
int pt_build_dir_text(struct pt_builder *b, const struct pt_item_text *it);
int pt_build_entry_text(struct pt_builder *b, const struct pt_item_text *it);
/* Free what the builder kept (the recorded indexes). */
void pt_build_end(struct pt_builder *b);

#endif
