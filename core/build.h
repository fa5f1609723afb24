/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building table images from JSON descriptions: what `decode --json` prints,
 * or a shorter hand-written form whose omitted parts take defaults. */
#ifndef PT_BUILD_H
#define PT_BUILD_H

#include <jansson.h>

#include "image.h"
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

#endif
