/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "tableset.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS (2u * PT_TSET_MAX_TABLES)

void pt_tset_init(struct pt_tset *ts, const char *ref_name)
{
	memset(ts, 0, sizeof *ts);
	ts->ref_name = ref_name;
}

void pt_tset_free(struct pt_tset *ts)
{
	free(ts->v);
	pt_slots_free(&ts->slots);
	free(ts->spans);
	memset(ts, 0, sizeof *ts);
}

static uint64_t hash(const struct pt_table_cfg *cfg)
{
	uint64_t h = cfg->base * UINT64_C(0x9e3779b97f4a7c15);
	h ^= (uint64_t)cfg->ssid_bits << 7 ^ (uint64_t)cfg->leaf_bits << 13 ^
	     (uint64_t)(uintptr_t)cfg->layout;
	return h * UINT64_C(0xff51afd7ed558ccd);
}

static uint64_t table_key(const void *ctx, uint32_t i)
{
	const struct pt_tset *ts = ctx;
	return hash(&ts->v[i].cfg);
}

/* One table: same memory read the same way. The referrer's context words
 * are not part of it: they change what the checks say, not the bytes. */
static int same_table(const struct pt_table_cfg *a, const struct pt_table_cfg *b)
{
	return a->fmt == b->fmt && a->base == b->base && a->layout == b->layout &&
	       a->ssid_bits == b->ssid_bits && a->leaf_bits == b->leaf_bits;
}

static void add_ref(struct pt_tset_table *t, uint32_t ref)
{
	t->nrefs++;
	struct pt_id_range *last = t->nranges ? &t->refs[t->nranges - 1] : NULL;
	if (last && last->last != UINT32_MAX && ref == last->last + 1 && !t->unlisted) {
		last->last = ref;
		return;
	}
	if (t->nranges < PT_TSET_RANGES && !t->unlisted)
		t->refs[t->nranges++] = (struct pt_id_range){ ref, ref };
	else
		t->unlisted++;
}

static void add_ctx(struct pt_tset_table *t, const struct pt_table_cfg *cfg, uint32_t ref)
{
	if (cfg->vendor[0] == t->cfg.vendor[0])
		return;
	for (uint32_t i = 0; i < t->nctx; i++)
		if (t->ctx[i] == cfg->vendor[0])
			return;
	if (t->nctx < PT_TSET_MAX_CTX) {
		t->ctx[t->nctx] = cfg->vendor[0];
		t->ctx_ref[t->nctx++] = ref;
	}
}

static struct pt_tset_table *append(struct pt_tset *ts, const struct pt_table_cfg *cfg)
{
	if (ts->n == PT_TSET_MAX_TABLES)
		return NULL;
	if (ts->n == ts->cap) {
		uint32_t ncap = ts->cap ? ts->cap * 2 : 16;
		struct pt_tset_table *nv = realloc(ts->v, ncap * sizeof *nv);
		if (!nv)
			return NULL;
		ts->v = nv;
		ts->cap = ncap;
	}
	struct pt_tset_table *t = &ts->v[ts->n++];
	memset(t, 0, sizeof *t);
	t->cfg = *cfg;
	struct pt_geometry g;
	t->bytes = pt_geometry(cfg, &g) == 0 ? g.root_bytes : 0;
	return t;
}

enum pt_tset_added pt_tset_add(struct pt_tset *ts, const struct pt_table_cfg *cfg, uint32_t ref,
			       struct pt_tset_table **out)
{
	*out = NULL;
	if (pt_slots_reserve(&ts->slots, SLOTS, ts, table_key) != 0) {
		ts->dropped++;
		return PT_TSET_FULL;
	}
	uint32_t *slot = pt_slots_first(&ts->slots, hash(cfg));
	for (; *slot; slot = pt_slots_next(&ts->slots, slot)) {
		struct pt_tset_table *t = &ts->v[*slot - 1];
		if (same_table(&t->cfg, cfg)) {
			*out = t;
			add_ref(t, ref);
			add_ctx(t, cfg, ref);
			return PT_TSET_SHARED;
		}
	}
	struct pt_tset_table *t = append(ts, cfg);
	if (t) {
		pt_slots_put(&ts->slots, slot, ts->n - 1);
		add_ref(t, ref);
		*out = t;
		return PT_TSET_NEW;
	}
	ts->dropped++;
	return PT_TSET_FULL;
}

void pt_tset_reserve(struct pt_tset *ts, uint64_t addr, uint64_t bytes, const char *what)
{
	if (!bytes)
		return;
	if (ts->nspans == ts->spans_cap) {
		uint32_t ncap = ts->spans_cap ? ts->spans_cap * 2 : 16;
		struct pt_tset_span *nv = ncap <= PT_TSET_MAX_SPANS
						  ? realloc(ts->spans, ncap * sizeof *nv) : NULL;
		if (!nv) {
			ts->spans_dropped++;
			return;
		}
		ts->spans = nv;
		ts->spans_cap = ncap;
	}
	ts->spans[ts->nspans++] = (struct pt_tset_span){ addr, bytes, what };
}

/* A structure in address order for the overlap sweep: a reserved span
 * (table < 0) or table number `table`. */
struct item {
	uint64_t lo, hi;             /* inclusive; hi saturates at 2^64 - 1 */
	int64_t table;
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	/* Reserved spans, then tables in the order they were reached: the
	 * earlier of two overlapping structures is the one kept. */
	return x->table < y->table ? -1 : x->table > y->table;
}

static uint64_t last_byte(uint64_t addr, uint64_t bytes)
{
	return addr + (bytes - 1) < addr ? UINT64_MAX : addr + (bytes - 1);
}

static void mark(struct pt_tset *ts, const struct item *victim, const struct item *other)
{
	struct pt_tset_table *t = &ts->v[victim->table];
	if (t->overlaps)
		return;
	t->overlaps = 1;
	if (other->table < 0) {
		const struct pt_tset_span *s = &ts->spans[-other->table - 1];
		t->overlap_addr = s->addr;
		t->overlap_what = s->what;
		return;
	}
	const struct pt_tset_table *o = &ts->v[other->table];
	t->overlap_addr = o->cfg.base;
	t->overlap_what = o->cfg.fmt->name;
	t->overlap_ref = o->refs[0].first;
	t->overlap_is_table = 1;
}

/* Of two overlapping structures the table reached later gives way; a
 * reserved span never does. */
static void judge(struct pt_tset *ts, const struct item *a, const struct item *b)
{
	if (a->table < 0 && b->table < 0)
		return;
	if (a->table < 0 || (b->table >= 0 && a->table < b->table))
		mark(ts, b, a);
	else
		mark(ts, a, b);
}

void pt_tset_settle(struct pt_tset *ts)
{
	size_t n = 0, cap = (size_t)ts->n + ts->nspans;
	if (cap < 2)
		return;
	struct item *v = malloc(cap * sizeof *v);
	if (!v)
		return;
	for (uint32_t i = 0; i < ts->nspans; i++)
		v[n++] = (struct item){ ts->spans[i].addr,
					last_byte(ts->spans[i].addr, ts->spans[i].bytes),
					-(int64_t)i - 1 };
	for (uint32_t i = 0; i < ts->n; i++)
		if (ts->v[i].bytes)
			v[n++] = (struct item){ ts->v[i].cfg.base,
						last_byte(ts->v[i].cfg.base, ts->v[i].bytes), i };
	qsort(v, n, sizeof *v, cmp_item);
	/* Sweep in address order, keeping the structure that reaches furthest:
	 * anything starting before its end overlaps it. */
	size_t cover = 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i].lo <= v[cover].hi)
			judge(ts, &v[cover], &v[i]);
		if (v[i].hi > v[cover].hi)
			cover = i;
	}
	free(v);
}

void pt_tset_report_overlap(const struct pt_tset *ts, const struct pt_tset_table *t,
			    struct pt_diag_sink *diags)
{
	char other[96];
	if (t->overlap_is_table)
		snprintf(other, sizeof other, "the %s table at 0x%llx (%s %u)", t->overlap_what,
			 (unsigned long long)t->overlap_addr, ts->ref_name, t->overlap_ref);
	else
		snprintf(other, sizeof other, "%s at 0x%llx", t->overlap_what,
			 (unsigned long long)t->overlap_addr);
	pt_diag_report(diags, &pt_core_rule_list[PT_R_TABLE_OVERLAP], 1, t->cfg.base,
		       PT_SCOPE_NONE, 0, NULL,
		       "%s table of 0x%llx bytes overlaps %s: its entries are that structure's "
		       "bytes; not walked again", t->cfg.fmt->name, (unsigned long long)t->bytes,
		       other);
}

/* Append range r minus `ref` to the sink's list of other referrers. */
static void also_add(struct pt_diag_sink *d, struct pt_id_range r, uint32_t ref)
{
	struct pt_id_range parts[2];
	int n = 0;
	if (ref < r.first || ref > r.last) {
		parts[n++] = r;
	} else {
		if (ref > r.first)
			parts[n++] = (struct pt_id_range){ r.first, ref - 1 };
		if (ref < r.last)
			parts[n++] = (struct pt_id_range){ ref + 1, r.last };
	}
	for (int i = 0; i < n; i++) {
		if (d->ctx_nalso < PT_DIAG_ALSO)
			d->ctx_also[d->ctx_nalso++] = parts[i];
		else
			d->ctx_also_unlisted += parts[i].last - parts[i].first + 1;
	}
}

void pt_tset_diag_begin(const struct pt_tset *ts, const struct pt_tset_table *t, uint32_t ref,
			struct pt_diag_sink *diags)
{
	(void)ts;
	diags->ctx_has_sid = 1;
	diags->ctx_sid = ref;
	diags->ctx_nalso = 0;
	diags->ctx_also_unlisted = t->unlisted;
	for (uint32_t i = 0; i < t->nranges; i++)
		also_add(diags, t->refs[i], ref);
}

void pt_tset_diag_end(struct pt_diag_sink *diags)
{
	diags->ctx_has_sid = 0;
	diags->ctx_nalso = 0;
	diags->ctx_also_unlisted = 0;
}

int pt_tset_ref_at(const struct pt_tset_table *t, uint32_t n, uint32_t *ref)
{
	for (uint32_t i = 0; i < t->nranges; i++) {
		uint64_t len = (uint64_t)t->refs[i].last - t->refs[i].first + 1;
		if (n < len) {
			*ref = t->refs[i].first + n;
			return 0;
		}
		n -= (uint32_t)len;
	}
	return -1;
}

int pt_tset_walk_all(const struct pt_tset *ts, struct pt_diag_sink *diags, int contexts,
		     pt_tset_walk_fn walk, void *user)
{
	int rc = 0;
	for (uint32_t i = 0; i < ts->n; i++) {
		const struct pt_tset_table *t = &ts->v[i];
		pt_tset_diag_begin(ts, t, t->refs[0].first, diags);
		if (t->overlaps)
			pt_tset_report_overlap(ts, t, diags);
		else if (walk(user, t, &t->cfg, 0) != 0)
			rc = -1;
		pt_tset_diag_end(diags);
	}
	for (uint32_t i = 0; contexts && i < ts->n; i++) {
		const struct pt_tset_table *t = &ts->v[i];
		for (uint32_t k = 0; k < t->nctx && !t->overlaps; k++) {
			struct pt_table_cfg c = t->cfg;
			c.vendor[0] = t->ctx[k];
			pt_tset_diag_begin(ts, t, t->ctx_ref[k], diags);
			walk(user, t, &c, 1);
			pt_tset_diag_end(diags);
		}
	}
	return rc;
}
