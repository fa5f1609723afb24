/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build_spec.h"

#include <stdio.h>

#include "build.h"
#include "emit.h"
#include "ptbuild.h"

struct spec_run {
	struct pt_image *img;
	const struct pt_build_limits *limits;
	struct pt_built_table *out;
	size_t cap, n;
	char *err;
	size_t errlen;
};

static int over_limits(const struct spec_run *r, const struct pt_table_cfg *cfg)
{
	struct pt_geometry g;
	return r->limits && pt_geometry(cfg, &g) == 0 &&
	       (g.nentries > r->limits->max_entries || g.root_bytes > r->limits->max_root_bytes);
}

static int build_one(struct spec_run *r, const json_t *t, const char *what, size_t i,
		     const json_t *owner)
{
	struct pt_table_cfg cfg;
	char why[400];
	if (pt_build_table_cfg(t, &cfg, why, sizeof why) != 0)
		goto fail;
	if (over_limits(r, &cfg))
		return 1;
	if (pt_build_table(r->img, &cfg, t, why, sizeof why) != 0)
		goto fail;
	if (r->n < r->cap) {
		struct pt_built_table *b = &r->out[r->n++];
		uint64_t v = 0;
		b->cfg = cfg;
		b->table = t;
		b->has_owner = owner && pt_json_u64(owner, &v) == 0 && v <= UINT32_MAX;
		b->owner = (uint32_t)v;
	}
	return 0;
fail:
	snprintf(r->err, r->errlen, "%s[%zu]: %.400s", what, i, why);
	return -1;
}

/* The format named by a table description, if it has an expansion. */
static int expand(json_t *t, json_t *later, char *err, size_t errlen)
{
	const char *name = json_string_value(json_object_get(t, "format"));
	const struct pt_format *fmt = pt_format_find(name ? name : "smmuv3-cd");
	if (!fmt || !fmt->spec_expand)
		return 0;
	return fmt->spec_expand(t, later, err, errlen);
}

static int build_top(struct spec_run *r, json_t *tables, json_t *later)
{
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t) {
		char why[200];
		if (!json_is_object(t) || expand(t, later, why, sizeof why) != 0) {
			snprintf(r->err, r->errlen, "tables[%zu]: %s", i,
				 json_is_object(t) ? why : "not an object");
			return -1;
		}
		int rc = build_one(r, t, "tables", i, NULL);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int pt_build_spec(struct pt_image *img, json_t *spec, const struct pt_build_limits *limits,
		  struct pt_built_table *out, size_t cap, size_t *n, char *err, size_t errlen)
{
	struct spec_run r = { img, limits, out, cap, 0, err, errlen };
	json_t *tables = json_object_get(spec, "tables");
	json_t *page_tables = json_object_get(spec, "page_tables");
	*n = 0;
	/* A description of page tables alone needs no PASID table. */
	if (page_tables && !tables)
		return pt_ptb_build_spec(img, page_tables, err, errlen);
	if (!json_is_array(tables) || json_array_size(tables) == 0) {
		snprintf(err, errlen, "\"tables\" must be a non-empty array");
		return -1;
	}
	if (json_array_size(tables) > PT_BUILD_MAX_TABLES) {
		snprintf(err, errlen, "more than %u tables", PT_BUILD_MAX_TABLES);
		return -1;
	}
	json_t *later = json_array();
	int rc = build_top(&r, tables, later);
	size_t i;
	json_t *item;
	json_array_foreach(later, i, item) {
		if (rc != 0)
			break;
		rc = build_one(&r, json_object_get(item, "table"), "nested table", i,
			       json_object_get(item, "owner"));
	}
	json_decref(later);
	*n = r.n;
	/* After the PASID tables, so new page tables go where they are not. */
	if (rc == 0 && page_tables)
		rc = pt_ptb_build_spec(img, page_tables, err, errlen);
	return rc;
}
