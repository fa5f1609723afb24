/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build_spec.h"

#include <stdio.h>
#include <stdlib.h>

#include "build.h"
#include "emit.h"
#include "ptbuild.h"

int pt_spec_over_limits(const struct pt_spec_run *r, const struct pt_table_cfg *cfg)
{
	struct pt_geometry g;
	return r->limits && pt_geometry(cfg, &g) == 0 &&
	       (g.nentries > r->limits->max_entries || g.root_bytes > r->limits->max_root_bytes);
}

struct pt_built_table *pt_spec_record(struct pt_spec_run *r, const struct pt_table_cfg *cfg,
				      const json_t *t, const json_t *owner)
{
	if (r->n >= r->cap)
		return NULL;
	struct pt_built_table *b = &r->out[r->n++];
	uint64_t v = 0;
	b->cfg = *cfg;
	b->table = t;
	b->has_owner = owner && pt_json_u64(owner, &v) == 0 && v <= UINT32_MAX;
	b->owner = (uint32_t)v;
	b->written = NULL;
	b->nwritten = 0;
	return b;
}

int pt_spec_build_one(struct pt_spec_run *r, const json_t *t, const char *what, size_t i,
		      const json_t *owner)
{
	struct pt_table_cfg cfg;
	char why[400];
	if (pt_build_table_cfg(t, &cfg, why, sizeof why) != 0)
		goto fail;
	if (pt_spec_over_limits(r, &cfg))
		return 1;
	if (pt_build_table(r->img, &cfg, t, why, sizeof why) != 0)
		goto fail;
	pt_spec_record(r, &cfg, t, owner);
	return 0;
fail:
	snprintf(r->err, r->errlen, "%s[%zu]: %.400s", what, i, why);
	return -1;
}

static const struct pt_format *table_format(const json_t *t)
{
	const char *name = json_string_value(json_object_get(t, "format"));
	return pt_format_find(name ? name : "smmuv3-cd");
}

int pt_spec_expand(json_t *t, json_t *later, char *err, size_t errlen)
{
	const struct pt_format *fmt = table_format(t);
	if (!fmt || !fmt->spec_expand)
		return 0;
	return fmt->spec_expand(t, later, err, errlen);
}

int pt_spec_expand_entry(const json_t *t, json_t *entry, json_t *later, char *err, size_t errlen)
{
	const struct pt_format *fmt = table_format(t);
	if (!fmt || !fmt->spec_expand_entry || !json_is_object(entry))
		return 0;
	return fmt->spec_expand_entry(entry, later, err, errlen);
}

static int build_top(struct pt_spec_run *r, json_t *tables, json_t *later)
{
	size_t i;
	json_t *t;
	json_array_foreach(tables, i, t) {
		char why[200];
		if (!json_is_object(t) || pt_spec_expand(t, later, why, sizeof why) != 0) {
			snprintf(r->err, r->errlen, "tables[%zu]: %s", i,
				 json_is_object(t) ? why : "not an object");
			return -1;
		}
		int rc = pt_spec_build_one(r, t, "tables", i, NULL);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int pt_spec_finish(struct pt_spec_run *r, const json_t *later, const json_t *page_tables)
{
	size_t i;
	const json_t *item;
	json_array_foreach(later, i, item) {
		int rc = pt_spec_build_one(r, json_object_get(item, "table"), "nested table", i,
					   json_object_get(item, "owner"));
		if (rc != 0)
			return rc;
	}
	/* After the PASID tables, so new page tables go where they are not. */
	return page_tables ? pt_ptb_build_spec(r->img, page_tables, r->err, r->errlen) : 0;
}

int pt_build_spec(struct pt_image *img, json_t *spec, const struct pt_build_limits *limits,
		  struct pt_built_table *out, size_t cap, size_t *n, char *err, size_t errlen)
{
	struct pt_spec_run r = { img, limits, out, cap, 0, err, errlen };
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
	if (rc == 0)
		rc = pt_spec_finish(&r, later, page_tables);
	json_decref(later);
	*n = r.n;
	return rc;
}

void pt_built_free(struct pt_built_table *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].written);
		t[i].written = NULL;
		t[i].nwritten = 0;
	}
}
