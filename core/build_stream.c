/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "build_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "json_item.h"
#include "ptbuild.h"

/* The fast reader sees this much of the input at once; an item longer than
 * that (decode prints about 750 bytes per CD) takes the jansson path. */
#define WINDOW ((size_t)16 << 10)

struct stream_run {
	struct pt_jstream *s;
	struct pt_spec_run r;
	int record;
	json_t *later;           /* tables nested in entries, built last */
	json_t *tables;          /* the table descriptions, arrays left empty */
	int tables_streamed;
	struct pt_item_text it;  /* the fast reader's result, reused */
};

struct table_run {
	json_t *t;               /* members read so far */
	size_t index;            /* in "tables" */
	int streaming;           /* the builder has begun */
	int held;                /* an array was read whole: build at the end */
	char first[16];          /* the first array built as it came */
	struct pt_table_cfg cfg;
	struct pt_builder b;
	char why[400];
};

static int build_error(struct stream_run *sr, size_t index, const char *why)
{
	snprintf(sr->r.err, sr->r.errlen, "tables[%zu]: %.400s", index, why);
	return PT_BS_BUILD;
}

static const struct pt_format *format_of(const json_t *t)
{
	const char *name = json_string_value(json_object_get(t, "format"));
	return pt_format_find(name ? name : "smmuv3-cd");
}

/* Keys whose value decides how the arrays are built. */
static int is_setting(const char *key)
{
	static const char *const names[] = { "format", "layout", "base", "leaf_bits",
					     "strtab_base_cfg", "l1" };
	size_t n = strlen(key);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(key, names[i]) == 0)
			return 1;
	return n > 5 && strcmp(key + n - 5, "_bits") == 0;
}

/* Begin building tr from the members read so far: 0, 1 when they do not
 * say enough yet (the array is then read whole), or an error. */
static int start_table(struct stream_run *sr, struct table_run *tr, const char *key)
{
	const struct pt_format *fmt = format_of(tr->t);
	if (!fmt || json_object_get(tr->t, "l1") ||
	    json_object_get(tr->t, pt_format_entries_key(fmt)))
		return 1;
	/* On a copy: a description that is not complete yet stays as read. */
	json_t *copy = json_copy(tr->t);
	char why[200];
	if (!copy)
		return build_error(sr, tr->index, "out of memory");
	if (pt_spec_expand(copy, sr->later, why, sizeof why) != 0) {
		json_decref(copy);
		return build_error(sr, tr->index, why);
	}
	if (pt_build_table_cfg(copy, &tr->cfg, why, sizeof why) != 0) {
		json_decref(copy);
		return 1;
	}
	if (pt_spec_over_limits(&sr->r, &tr->cfg)) {
		json_decref(copy);
		return PT_BS_LIMITS;
	}
	json_decref(tr->t);
	tr->t = copy;
	if (pt_build_begin(&tr->b, sr->r.img, &tr->cfg, strcmp(key, "l1") != 0, tr->why,
			   sizeof tr->why) != 0)
		return build_error(sr, tr->index, tr->why);
	tr->b.record = sr->record;
	tr->streaming = 1;
	snprintf(tr->first, sizeof tr->first, "%s", key);
	return 0;
}

typedef int (*build_text_fn)(struct pt_builder *, const struct pt_item_text *);

/* The next item through the fast reader (st NULL: not at all): 0 when it
 * was built, 1 when jansson must read it, or an error. */
static int fast_item(struct stream_run *sr, struct table_run *tr, const struct pt_struct *st,
		     const char *idkey, build_text_fn build)
{
	const char *text;
	size_t avail;
	if (pt_js_window(sr->s, WINDOW, &text, &avail) != 0)
		return PT_BS_JSON;
	size_t used = st ? pt_item_text_read(st, idkey, text, avail, &sr->it) : 0;
	if (!used)
		return 1;
	int rc = build(&tr->b, &sr->it);
	if (rc < 0)
		return build_error(sr, tr->index, tr->why);
	if (rc == 0)
		pt_js_skip(sr->s, used);
	return rc;
}

/* One "l1" item: the fast reader, else jansson. */
static int one_dir(struct stream_run *sr, struct table_run *tr)
{
	const struct pt_struct *ds = tr->cfg.fmt->dir;
	/* A linear table has no descriptors to write: they are only read. */
	int place = ds && tr->b.g.ndir;
	int rc = fast_item(sr, tr, place ? ds : NULL, "index", pt_build_dir_text);
	if (rc <= 0)
		return rc;
	json_t *j = pt_js_value(sr->s);
	if (!j)
		return PT_BS_JSON;
	rc = place ? pt_build_dir(&tr->b, j) : 0;
	json_decref(j);
	return rc ? build_error(sr, tr->index, tr->why) : 0;
}

static int one_entry(struct stream_run *sr, struct table_run *tr, size_t i)
{
	const struct pt_format *fmt = tr->cfg.fmt;
	int frc = fast_item(sr, tr, fmt->entry, pt_format_index_name(fmt), pt_build_entry_text);
	if (frc <= 0)
		return frc;
	json_t *j = pt_js_value(sr->s);
	if (!j)
		return PT_BS_JSON;
	char why[160];
	int rc = 0;
	if (pt_spec_expand_entry(tr->t, j, sr->later, why, sizeof why) != 0) {
		snprintf(tr->why, sizeof tr->why, "%s[%zu]: %s", pt_format_entries_key(fmt), i,
			 why);
		rc = -1;
	} else {
		rc = pt_build_entry(&tr->b, j);
	}
	json_decref(j);
	return rc ? build_error(sr, tr->index, tr->why) : 0;
}

static int stream_array(struct stream_run *sr, struct table_run *tr, const char *key)
{
	size_t n = 0;
	int rc;
	if (pt_js_expect(sr->s, '[', "'[' expected") != 0)
		return PT_BS_JSON;
	int dirs = strcmp(key, "l1") == 0;
	while ((rc = pt_js_item(sr->s, &n)) == 1) {
		if (n > PT_BUILD_MAX_ENTRIES) {
			snprintf(tr->why, sizeof tr->why, "\"%s\" must be an array of at most %u "
				 "items", key, PT_BUILD_MAX_ENTRIES);
			return build_error(sr, tr->index, tr->why);
		}
		rc = dirs ? one_dir(sr, tr) : one_entry(sr, tr, n - 1);
		if (rc != 0)
			return rc;
	}
	return rc < 0 ? PT_BS_JSON : 0;
}

static int set_member(json_t *obj, const char *key, json_t *v)
{
	if (!v)
		return PT_BS_JSON;
	json_object_set_new(obj, key, v);
	return 0;
}

static int table_member(struct stream_run *sr, struct table_run *tr, const char *key)
{
	struct pt_jstream *s = sr->s;
	if (json_object_get(tr->t, key)) {
		pt_js_fail_key(s, "duplicate object key near '\"%s\"'", key);
		return PT_BS_JSON;
	}
	if (tr->streaming && is_setting(key)) {
		pt_js_fail_key(s, "\"%s\" comes after \"%s\": build reads a table's entries as "
			       "they come, so its settings and \"l1\" go first (as decode --json "
			       "prints them)", key, tr->first);
		return PT_BS_JSON;
	}
	const struct pt_format *fmt = format_of(tr->t);
	int array_key = strcmp(key, "l1") == 0 ||
			(fmt && strcmp(key, pt_format_entries_key(fmt)) == 0);
	if (!array_key || tr->held)
		return set_member(tr->t, key, pt_js_value(s));
	if (tr->streaming && pt_js_peek(s) != '[') {
		snprintf(tr->why, sizeof tr->why, "\"%s\" must be an array of at most %u items",
			 key, PT_BUILD_MAX_ENTRIES);
		return build_error(sr, tr->index, tr->why);
	}
	int rc = pt_js_peek(s) != '[' ? 1 : tr->streaming ? 0 : start_table(sr, tr, key);
	if (rc == 1) {
		tr->held = pt_js_peek(s) == '[';
		return set_member(tr->t, key, pt_js_value(s));
	}
	if (rc == 0)
		rc = stream_array(sr, tr, key);
	if (rc == 0)
		json_object_set_new(tr->t, key, json_array());
	return rc;
}

/* After the table's closing brace: record it, or build it whole. */
static int finish_table(struct stream_run *sr, struct table_run *tr)
{
	json_array_append(sr->tables, tr->t);
	if (tr->streaming) {
		struct pt_built_table *rec = pt_spec_record(&sr->r, &tr->cfg, tr->t, NULL);
		if (rec && sr->record) {
			rec->written = tr->b.written;
			rec->nwritten = tr->b.nwritten;
			tr->b.written = NULL;
		}
		return 0;
	}
	char why[200];
	if (pt_spec_expand(tr->t, sr->later, why, sizeof why) != 0)
		return build_error(sr, tr->index, why);
	int rc = pt_spec_build_one(&sr->r, tr->t, "tables", tr->index, NULL);
	return rc < 0 ? PT_BS_BUILD : rc;
}

static int one_table(struct stream_run *sr, size_t index)
{
	struct pt_jstream *s = sr->s;
	if (pt_js_peek(s) != '{') {
		json_t *v = pt_js_value(s);
		json_decref(v);
		if (!v)
			return PT_BS_JSON;
		snprintf(sr->r.err, sr->r.errlen, "tables[%zu]: not an object", index);
		return PT_BS_BUILD;
	}
	struct table_run tr;
	memset(&tr, 0, sizeof tr);
	tr.t = json_object();
	tr.index = index;
	size_t n = 0;
	char *key;
	int rc = pt_js_expect(s, '{', "'{' expected") ? PT_BS_JSON : 0;
	while (rc == 0 && (rc = pt_js_member(s, &n, &key)) == 1) {
		rc = table_member(sr, &tr, key);
		free(key);
	}
	if (rc < 0 && s->failed)
		rc = PT_BS_JSON;
	if (rc == 0)
		rc = finish_table(sr, &tr);
	pt_build_end(&tr.b);
	json_decref(tr.t);
	return rc;
}

static int stream_tables(struct stream_run *sr)
{
	size_t n = 0;
	int rc;
	sr->tables_streamed = 1;
	if (pt_js_expect(sr->s, '[', "'[' expected") != 0)
		return PT_BS_JSON;
	while ((rc = pt_js_item(sr->s, &n)) == 1) {
		if (n > PT_BUILD_MAX_TABLES) {
			snprintf(sr->r.err, sr->r.errlen, "more than %u tables", PT_BUILD_MAX_TABLES);
			return PT_BS_BUILD;
		}
		rc = one_table(sr, n - 1);
		if (rc != 0)
			return rc;
	}
	return rc < 0 ? PT_BS_JSON : 0;
}

/* Decode's findings: each checked as JSON, none kept. */
static int drop_items(struct pt_jstream *s)
{
	size_t n = 0;
	int rc;
	if (pt_js_expect(s, '[', "'[' expected") != 0)
		return PT_BS_JSON;
	while ((rc = pt_js_item(s, &n)) == 1) {
		json_t *v = pt_js_value(s);
		if (!v)
			return PT_BS_JSON;
		json_decref(v);
	}
	return rc < 0 ? PT_BS_JSON : 0;
}

static int top_member(struct stream_run *sr, json_t *top, const char *key)
{
	struct pt_jstream *s = sr->s;
	if (json_object_get(top, key)) {
		pt_js_fail_key(s, "duplicate object key near '\"%s\"'", key);
		return PT_BS_JSON;
	}
	int c = pt_js_peek(s);
	if (c == '[' && strcmp(key, "tables") == 0) {
		int rc = stream_tables(sr);
		json_object_set(top, key, sr->tables);
		return rc;
	}
	if (c == '[' && strcmp(key, "diagnostics") == 0) {
		int rc = drop_items(s);
		json_object_set_new(top, key, json_array());
		return rc;
	}
	return set_member(top, key, pt_js_value(s));
}

/* Once the document is read: nested tables and page tables, as
 * pt_build_spec does after its "tables". */
static int finish_spec(struct stream_run *sr, json_t *top)
{
	const json_t *page_tables = json_object_get(top, "page_tables");
	if (!sr->tables_streamed && page_tables && !json_object_get(top, "tables"))
		return pt_ptb_build_spec(sr->r.img, page_tables, sr->r.err, sr->r.errlen)
			       ? PT_BS_BUILD : 0;
	if (!sr->tables_streamed || json_array_size(sr->tables) == 0) {
		snprintf(sr->r.err, sr->r.errlen, "\"tables\" must be a non-empty array");
		return PT_BS_BUILD;
	}
	int rc = pt_spec_finish(&sr->r, sr->later, page_tables);
	return rc < 0 ? PT_BS_BUILD : rc;
}

static int read_top(struct stream_run *sr, json_t *top)
{
	size_t n = 0;
	char *key;
	int rc = 0;
	while (rc == 0 && (rc = pt_js_member(sr->s, &n, &key)) == 1) {
		rc = top_member(sr, top, key);
		free(key);
	}
	if (rc < 0 && sr->s->failed)
		return PT_BS_JSON;
	if (rc == 0 && pt_js_end(sr->s) != 0)
		return PT_BS_JSON;
	return rc ? rc : finish_spec(sr, top);
}

int pt_build_spec_stream(struct pt_jstream *s, struct pt_image *img,
			 const struct pt_build_limits *limits, int record,
			 struct pt_built_table *out, size_t cap, size_t *n, json_t **spec,
			 char *err, size_t errlen)
{
	*n = 0;
	*spec = NULL;
	if (pt_js_peek(s) != '{') {
		json_t *v = pt_js_document(s);
		if (!v)
			return PT_BS_JSON;
		*spec = v;
		return PT_BS_NOT_OBJECT;
	}
	struct stream_run *sr = calloc(1, sizeof *sr);
	if (!sr) {
		snprintf(err, errlen, "out of memory");
		return PT_BS_BUILD;
	}
	sr->s = s;
	sr->r = (struct pt_spec_run){ img, limits, out, cap, 0, err, errlen };
	sr->record = record;
	sr->later = json_array();
	sr->tables = json_array();
	json_t *top = json_object();
	pt_js_expect(s, '{', "'{' expected");
	int rc = read_top(sr, top);
	*n = sr->r.n;
	json_decref(sr->later);
	json_decref(sr->tables);
	free(sr);
	*spec = top;
	return rc;
}
