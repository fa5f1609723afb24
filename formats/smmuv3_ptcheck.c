/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "smmuv3_ptcheck.h"

#include <stdlib.h>
#include <string.h>

#include "smmuv3_ptw.h"

/* One address space: what the walk depends on, and who reaches it. */
struct smmu_ptcheck_space {
	struct pt_ptw_regime r;      /* permits, vendor, next: unused here */
	uint64_t va_base;            /* VA of input address 0 (TTB1 halves) */
	int has_sid;
	uint32_t sid;
	enum pt_diag_scope scope;    /* SSID for stage 1, none for stage 2 */
	uint32_t ssid;
	uint32_t nalso;
	struct pt_id_range also[PT_DIAG_ALSO];
	uint32_t also_unlisted;
};

/* A table checked: the same memory at the same level of the same format
 * (and output size) means the same descriptors, so its subtree holds the
 * same findings. */
struct smmu_ptcheck_table {
	uint64_t table;
	uint64_t bytes;              /* a start table may be smaller or concatenated */
	const struct pt_ptw_format *fmt;
	int level;
	unsigned oa_bits;
	int big_endian;
};

void smmu_ptcheck_init(struct smmu_ptcheck *c, struct smmu_caps *caps)
{
	memset(c, 0, sizeof *c);
	c->caps = caps;
}

void smmu_ptcheck_free(struct smmu_ptcheck *c)
{
	free(c->v);
	free(c->slots);
	free(c->tables);
	memset(c, 0, sizeof *c);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + UINT64_C(0x9e3779b97f4a7c15) + (h << 6) + (h >> 2);
	return h;
}

static int same_space(const struct smmu_ptcheck_space *a, const struct pt_ptw_regime *r,
		      uint64_t va_base)
{
	return a->r.fmt == r->fmt && a->r.stage == r->stage && a->r.root == r->root &&
	       a->r.start_level == r->start_level && a->r.ia_bits == r->ia_bits &&
	       a->r.oa_bits == r->oa_bits && a->r.big_endian == r->big_endian &&
	       a->va_base == va_base;
}

static uint64_t space_hash(const struct pt_ptw_regime *r, uint64_t va_base)
{
	uint64_t h = mix(0, (uint64_t)(uintptr_t)r->fmt);
	h = mix(h, r->root);
	h = mix(h, ((uint64_t)r->stage << 32) | ((uint64_t)(r->start_level + 1) << 16) |
			   (r->ia_bits << 8) | r->oa_bits);
	return mix(h, va_base ^ (uint64_t)r->big_endian);
}

static int grow_spaces(struct smmu_ptcheck *c)
{
	uint32_t cap = c->cap ? c->cap * 2 : 64;
	struct smmu_ptcheck_space *v = realloc(c->v, (size_t)cap * sizeof *v);
	uint32_t *slots = calloc((size_t)cap * 2, sizeof *slots);
	if (!v || !slots) {
		if (v)
			c->v = v;
		free(slots);
		return -1;
	}
	c->v = v;
	free(c->slots);
	c->slots = slots;
	c->cap = cap;
	for (uint32_t i = 0; i < c->n; i++) {
		uint32_t k = (uint32_t)(space_hash(&v[i].r, v[i].va_base) % (cap * 2u));
		while (slots[k])
			k = (k + 1) % (cap * 2u);
		slots[k] = i + 1;
	}
	return 0;
}

/* Another StreamID reaches the space: kept as ranges for the findings. */
static void add_also(struct smmu_ptcheck_space *s, uint32_t sid)
{
	if (!s->has_sid || sid == s->sid)
		return;
	for (uint32_t i = 0; i < s->nalso; i++) {
		struct pt_id_range *r = &s->also[i];
		if (sid >= r->first && sid <= r->last)
			return;
		if (r->last != UINT32_MAX && sid == r->last + 1) {
			r->last = sid;
			return;
		}
	}
	if (s->nalso < PT_DIAG_ALSO)
		s->also[s->nalso++] = (struct pt_id_range){ sid, sid };
	else
		s->also_unlisted++;
}

static void add_space(struct smmu_ptcheck *c, const struct pt_ptw_regime *r, uint64_t va_base,
		      int has_sid, uint32_t sid, enum pt_diag_scope scope, uint32_t ssid)
{
	if (c->cap) {
		uint32_t k = (uint32_t)(space_hash(r, va_base) % (c->cap * 2u));
		for (; c->slots[k]; k = (k + 1) % (c->cap * 2u)) {
			struct smmu_ptcheck_space *s = &c->v[c->slots[k] - 1];
			if (same_space(s, r, va_base)) {
				if (has_sid)
					add_also(s, sid);
				return;
			}
		}
	}
	if (c->n >= SMMU_PTCHECK_MAX_SPACES || (c->n == c->cap && grow_spaces(c) != 0)) {
		c->dropped++;
		return;
	}
	struct smmu_ptcheck_space *s = &c->v[c->n];
	memset(s, 0, sizeof *s);
	s->r = *r;
	s->r.permits = NULL;
	s->r.vendor = NULL;
	s->r.next = NULL;
	s->va_base = va_base;
	s->has_sid = has_sid;
	s->sid = sid;
	s->scope = scope;
	s->ssid = ssid;
	uint32_t k = (uint32_t)(space_hash(r, va_base) % (c->cap * 2u));
	while (c->slots[k])
		k = (k + 1) % (c->cap * 2u);
	c->slots[k] = ++c->n;
}

void smmu_ptcheck_add_cd(struct smmu_ptcheck *c, int has_sid, uint32_t sid, uint32_t ssid,
			 const uint8_t *cd, unsigned strw)
{
	if (!smmu_cd(cd, CD_V))
		return;
	for (int ttb = 0; ttb < 2; ttb++) {
		struct smmu_regime g;
		uint64_t va_base;
		const char *why;
		/* A half the SMMU does not walk (EPDx, no TTB1 in this world,
		 * AArch32, reserved granule) has no tables to check; the CD
		 * rules say why where it matters. */
		if (smmu_s1_half(cd, c->caps, strw, c->caps->e2h, ttb, &g, &va_base, &why) != 0)
			continue;
		add_space(c, &g.r, va_base, has_sid, sid, PT_SCOPE_SSID, ssid);
	}
}

void smmu_ptcheck_add_ste(struct smmu_ptcheck *c, uint32_t sid, const uint8_t *ste)
{
	if (!smmu_ste(ste, STE_V) || !smmu_ste_s2((unsigned)smmu_ste(ste, STE_CONFIG)))
		return;
	struct smmu_regime g;
	const char *why;
	if (smmu_s2_regime(ste, c->caps, &g, &why) != 0)
		return;
	add_space(c, &g.r, 0, 1, sid, PT_SCOPE_NONE, 0);
}

/* ---- the walk ---- */

static uint64_t table_hash(const struct smmu_ptcheck_table *t)
{
	uint64_t h = mix(0, t->table);
	h = mix(h, t->bytes);
	h = mix(h, (uint64_t)(uintptr_t)t->fmt);
	return mix(h, ((uint64_t)(t->level + 1) << 16) | (t->oa_bits << 1) | (unsigned)t->big_endian);
}

static int same_table(const struct smmu_ptcheck_table *a, const struct smmu_ptcheck_table *b)
{
	return a->table == b->table && a->bytes == b->bytes && a->fmt == b->fmt && a->level == b->level &&
	       a->oa_bits == b->oa_bits && a->big_endian == b->big_endian;
}

static int grow_tables(struct smmu_ptcheck *c)
{
	uint32_t cap = c->tables_cap ? c->tables_cap * 2 : 1024;
	struct smmu_ptcheck_table *t = calloc(cap, sizeof *t);
	if (!t)
		return -1;
	for (uint32_t i = 0; i < c->tables_cap; i++) {
		const struct smmu_ptcheck_table *o = &c->tables[i];
		if (!o->fmt)
			continue;
		uint32_t k = (uint32_t)(table_hash(o) % cap);
		while (t[k].fmt)
			k = (k + 1) % cap;
		t[k] = *o;
	}
	free(c->tables);
	c->tables = t;
	c->tables_cap = cap;
	return 0;
}

/* 1 when the table was checked before; otherwise it is remembered. */
static int seen_table(struct smmu_ptcheck *c, const struct smmu_ptcheck_table *key)
{
	if (c->tables_cap) {
		uint32_t k = (uint32_t)(table_hash(key) % c->tables_cap);
		for (; c->tables[k].fmt; k = (k + 1) % c->tables_cap)
			if (same_table(&c->tables[k], key))
				return 1;
	}
	/* Half full at most, so probes stay short. */
	if (c->ntables >= SMMU_PTCHECK_MAX_TABLES ||
	    ((c->ntables + 1) * 2 > c->tables_cap && grow_tables(c) != 0))
		return 0;
	uint32_t k = (uint32_t)(table_hash(key) % c->tables_cap);
	while (c->tables[k].fmt)
		k = (k + 1) % c->tables_cap;
	c->tables[k] = *key;
	c->ntables++;
	return 0;
}

struct run {
	struct smmu_ptcheck *c;
	const struct smmu_ptcheck_space *s;
	struct pt_diag_sink *diags;
};

static int on_table(void *user, int level, uint64_t table, uint64_t bytes, uint64_t ia)
{
	struct run *x = user;
	(void)ia;
	struct smmu_ptcheck_table key = { table, bytes, x->s->r.fmt, level, x->s->r.oa_bits,
					  x->s->r.big_endian };
	return seen_table(x->c, &key) ? PT_PTW_SKIP : 0;
}

static void on_event(void *user, enum pt_ptw_event ev, int level, uint64_t addr, uint64_t ia,
		     const char *what)
{
	struct run *x = user;
	const struct smmu_ptcheck_space *s = x->s;
	pt_ptw_report_in(x->diags, ev, s->r.stage, level, addr, s->va_base + ia, what, s->scope,
			 s->ssid);
}

static void context(struct pt_diag_sink *d, const struct smmu_ptcheck_space *s)
{
	d->ctx_has_sid = s->has_sid;
	d->ctx_sid = s->sid;
	d->ctx_nalso = s->nalso;
	memcpy(d->ctx_also, s->also, sizeof d->ctx_also);
	d->ctx_also_unlisted = s->also_unlisted;
}

static void no_context(struct pt_diag_sink *d)
{
	d->ctx_has_sid = 0;
	d->ctx_nalso = 0;
	d->ctx_also_unlisted = 0;
}

void smmu_ptcheck_run(struct smmu_ptcheck *c, struct pt_source *src,
		      struct pt_diag_sink *diags, struct pt_budget *budget)
{
	static const struct pt_ptw_visit_ops ops = { NULL, on_table, NULL, on_event };
	struct run x = { c, NULL, diags };
	if (c->dropped)
		pt_diag_finding(diags, &pt_ptw_rule_list[PT_R_TT_BUDGET], 0, PT_SCOPE_NONE, 0, NULL,
				"more than %u distinct address spaces: %llu not walked",
				SMMU_PTCHECK_MAX_SPACES, (unsigned long long)c->dropped);
	for (uint32_t i = 0; i < c->n; i++) {
		const struct smmu_ptcheck_space *s = &c->v[i];
		uint64_t left = 0;
		if (budget && budget->max) {
			if (budget->used >= budget->max) {
				budget->exhausted = 1;
				context(diags, s);
				pt_ptw_report_in(diags, PT_PTW_EV_BUDGET, s->r.stage, s->r.start_level,
						 s->r.root, s->va_base, "--max-entries reached before "
						 "this address space", s->scope, s->ssid);
				no_context(diags);
				return;
			}
			left = budget->max - budget->used;
		}
		struct pt_ptw_visit_stats st;
		x.s = s;
		context(diags, s);
		pt_ptw_visit(src, &s->r, left, &ops, &x, &st);
		no_context(diags);
		c->spaces_walked++;
		c->tables_read += st.tables;
		c->descriptors += st.descriptors;
		c->leaves += st.leaves;
		if (budget) {
			budget->used += st.descriptors;
			if (st.budget_hit) {
				budget->exhausted = 1;
				return;
			}
		}
	}
}
