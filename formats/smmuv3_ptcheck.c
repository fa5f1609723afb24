/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "smmuv3_ptcheck.h"

#include <stdio.h>
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
	/* The first path that reached it, for the aliasing findings. */
	uint32_t space;              /* index into the spaces */
	uint32_t seq;                /* order first reached */
	uint64_t ia;                 /* input address of its entry 0 */
};

struct smmu_ptcheck_span {
	uint64_t addr, bytes;
	const char *what;
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
	free(c->spans);
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

void smmu_ptcheck_add_cd_checked(struct smmu_ptcheck *c, struct pt_diag_sink *diags, int has_sid,
				 uint32_t sid, uint32_t ssid, uint64_t addr, const uint8_t *cd,
				 const struct pt_table_cfg *cfg, unsigned strw)
{
	if (!smmu_cd(cd, CD_V))
		return;
	char why[160];
	const struct pt_rule *rule = smmu_entry_illegal(c->caps, cfg, ssid, addr, cd, "C_BAD_CD",
							why, sizeof why);
	if (!rule) {
		smmu_ptcheck_add_cd(c, has_sid, sid, ssid, cd, strw);
		return;
	}
	c->not_walked++;
	pt_diag_finding(diags, &pt_ptw_rule_list[PT_R_TT_NOT_WALKED], addr, PT_SCOPE_SSID, ssid,
			NULL, "translation tables not walked (%s: %s)", rule->id, why);
}

void smmu_ptcheck_add_ste_checked(struct smmu_ptcheck *c, struct pt_diag_sink *diags,
				  uint32_t sid, uint64_t addr, const uint8_t *ste,
				  const struct pt_table_cfg *cfg)
{
	if (!smmu_ste(ste, STE_V) || !smmu_ste_s2((unsigned)smmu_ste(ste, STE_CONFIG)))
		return;
	char why[160];
	const struct pt_rule *rule = smmu_entry_illegal(c->caps, cfg, sid, addr, ste, "C_BAD_STE",
							why, sizeof why);
	if (!rule) {
		smmu_ptcheck_add_ste(c, sid, ste);
		return;
	}
	c->not_walked++;
	pt_diag_finding(diags, &pt_ptw_rule_list[PT_R_TT_NOT_WALKED], addr, PT_SCOPE_SID, sid,
			NULL, "stage-2 translation tables not walked (%s: %s)", rule->id, why);
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
	c->tables[k].seq = c->ntables++;
	return 0;
}

struct run {
	struct smmu_ptcheck *c;
	const struct smmu_ptcheck_space *s;
	struct pt_diag_sink *diags;
	/* RES0 bits of the space's format by kind (table, block, page) and
	 * level + 1: worked out once, not per descriptor. */
	uint64_t res0[3][PT_PTW_MAX_LEVELS];
};

static void res0_masks(struct run *x)
{
	static const enum pt_ptw_decision kinds[3] = { PT_PTW_DEC_TABLE, PT_PTW_DEC_BLOCK,
						       PT_PTW_DEC_PAGE };
	for (int k = 0; k < 3; k++)
		for (int l = 0; l < PT_PTW_MAX_LEVELS; l++)
			x->res0[k][l] = pt_ptw_res0_bits(x->s->r.fmt, l - 1, UINT64_MAX, kinds[k]);
}

static int on_table(void *user, int level, uint64_t table, uint64_t bytes, uint64_t ia)
{
	struct run *x = user;
	struct smmu_ptcheck_table key = { table, bytes, x->s->r.fmt, level, x->s->r.oa_bits,
					  x->s->r.big_endian, (uint32_t)(x->s - x->c->v), 0, ia };
	return seen_table(x->c, &key) ? PT_PTW_SKIP : 0;
}

/* Each table is entered once, so each RES0 finding is reported once. */
static int on_desc(void *user, int level, uint64_t addr, uint64_t desc,
		   enum pt_ptw_decision d)
{
	struct run *x = user;
	const struct smmu_ptcheck_space *s = x->s;
	int k = d == PT_PTW_DEC_TABLE ? 0 : d == PT_PTW_DEC_BLOCK ? 1 : d == PT_PTW_DEC_PAGE ? 2 : -1;
	if (k < 0 || level < -1 || level + 1 >= PT_PTW_MAX_LEVELS)
		return 0;
	uint64_t bits = desc & x->res0[k][level + 1];
	if (bits) {
		char what[96];
		snprintf(what, sizeof what, "%s descriptor 0x%016llx has RES0 bits 0x%llx set",
			 pt_ptw_decision_name(d), (unsigned long long)desc,
			 (unsigned long long)bits);
		pt_diag_finding(x->diags, &pt_ptw_rule_list[PT_R_TT_RES0], addr, s->scope, s->ssid,
				NULL, "stage %u level %d: %s", s->r.stage, level, what);
	}
	return 0;
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

/* ---- aliasing: tables reached at two levels or laid over other memory ---- */

void smmu_ptcheck_reserve(struct smmu_ptcheck *c, uint64_t addr, uint64_t bytes,
			  const char *what)
{
	if (!bytes || c->nspans >= SMMU_PTCHECK_MAX_SPANS)
		return;
	if (c->nspans == c->spans_cap) {
		uint32_t cap = c->spans_cap ? c->spans_cap * 2 : 64;
		struct smmu_ptcheck_span *v = realloc(c->spans, (size_t)cap * sizeof *v);
		if (!v)
			return;
		c->spans = v;
		c->spans_cap = cap;
	}
	c->spans[c->nspans++] = (struct smmu_ptcheck_span){ addr, bytes, what };
}

/* A structure in address order: a span (table < 0) or a table slot. */
struct item {
	uint64_t lo, hi;             /* inclusive */
	int64_t table;               /* slot in c->tables, or -1 - span */
	uint32_t seq;                /* spans 0: they come first at one address */
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if ((x->table < 0) != (y->table < 0))
		return x->table < 0 ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t last_byte(uint64_t addr, uint64_t bytes)
{
	return addr + (bytes - 1) < addr ? UINT64_MAX : addr + (bytes - 1);
}

struct sweep {
	struct smmu_ptcheck *c;
	struct pt_diag_sink *diags;
	uint8_t *reported;           /* per table slot */
};

static unsigned stage_of(const struct smmu_ptcheck *c, const struct smmu_ptcheck_table *t)
{
	return c->v[t->space].r.stage;
}

/* Same level, stage and granule: the same descriptors mean the same
 * thing, whoever reaches the table (sharing, not aliasing). */
static int same_role(const struct smmu_ptcheck *c, const struct smmu_ptcheck_table *a,
		     const struct smmu_ptcheck_table *b)
{
	return a->level == b->level && stage_of(c, a) == stage_of(c, b) &&
	       a->fmt->granule_bits == b->fmt->granule_bits;
}

/* "sid 3 ssid 1, stage 1 4K level 2 at 0x...": who reaches a table, where. */
static void path_text(const struct smmu_ptcheck *c, const struct smmu_ptcheck_table *t,
		      char *buf, size_t len)
{
	const struct smmu_ptcheck_space *s = &c->v[t->space];
	char who[48] = "";
	if (s->has_sid && s->scope == PT_SCOPE_SSID)
		snprintf(who, sizeof who, "sid %u ssid %u, ", s->sid, s->ssid);
	else if (s->has_sid)
		snprintf(who, sizeof who, "sid %u, ", s->sid);
	else if (s->scope == PT_SCOPE_SSID)
		snprintf(who, sizeof who, "ssid %u, ", s->ssid);
	snprintf(buf, len, "%sstage %u %uK level %d at input address 0x%llx", who, s->r.stage,
		 (1u << t->fmt->granule_bits) >> 10, t->level,
		 (unsigned long long)(s->va_base + t->ia));
}

static void report_alias(struct sweep *w, int64_t victim, const struct item *other)
{
	struct smmu_ptcheck *c = w->c;
	if (w->reported[victim])
		return;
	w->reported[victim] = 1;
	const struct smmu_ptcheck_table *t = &c->tables[victim];
	const struct smmu_ptcheck_space *s = &c->v[t->space];
	const struct pt_rule *rule = &pt_ptw_rule_list[PT_R_TT_OVERLAP];
	char theirs[160];
	if (other->table < 0) {
		const struct smmu_ptcheck_span *sp = &c->spans[-other->table - 1];
		snprintf(theirs, sizeof theirs, "overlaps %s at 0x%llx (0x%llx bytes)", sp->what,
			 (unsigned long long)sp->addr, (unsigned long long)sp->bytes);
	} else {
		const struct smmu_ptcheck_table *o = &c->tables[other->table];
		char path[112];
		path_text(c, o, path, sizeof path);
		if (o->table == t->table && o->level != t->level) {
			rule = &pt_ptw_rule_list[PT_R_TT_LEVEL_ALIAS];
			snprintf(theirs, sizeof theirs, "is also reached from %s", path);
		} else {
			snprintf(theirs, sizeof theirs, "overlaps the table at 0x%llx reached from %s",
				 (unsigned long long)o->table, path);
		}
	}
	context(w->diags, s);
	pt_diag_finding(w->diags, rule, t->table, s->scope, s->ssid, NULL,
			"stage %u %uK level-%d table (0x%llx bytes, input address 0x%llx) %s",
			s->r.stage, (1u << t->fmt->granule_bits) >> 10, t->level,
			(unsigned long long)t->bytes, (unsigned long long)(s->va_base + t->ia),
			theirs);
	no_context(w->diags);
}

/* Of two overlapping structures the table reached later is reported; a
 * span is never the one reported. */
static void judge(struct sweep *w, const struct item *a, const struct item *b)
{
	if (a->table < 0 && b->table < 0)
		return;
	if (a->table >= 0 && b->table >= 0 &&
	    same_role(w->c, &w->c->tables[a->table], &w->c->tables[b->table]))
		return;
	if (a->table < 0 || (b->table >= 0 && a->seq < b->seq))
		report_alias(w, b->table, a);
	else
		report_alias(w, a->table, b);
}

static void smmu_ptcheck_aliases(struct smmu_ptcheck *c, struct pt_diag_sink *diags)
{
	size_t n = 0, cap = (size_t)c->ntables + c->nspans;
	if (cap < 2)
		return;
	struct item *v = malloc(cap * sizeof *v);
	uint8_t *reported = calloc(c->tables_cap ? c->tables_cap : 1, 1);
	if (!v || !reported) {
		free(v);
		free(reported);
		return;
	}
	for (uint32_t i = 0; i < c->nspans; i++)
		v[n++] = (struct item){ c->spans[i].addr,
					last_byte(c->spans[i].addr, c->spans[i].bytes),
					-(int64_t)i - 1, 0 };
	for (uint32_t k = 0; k < c->tables_cap; k++) {
		const struct smmu_ptcheck_table *t = &c->tables[k];
		if (t->fmt && t->bytes)
			v[n++] = (struct item){ t->table, last_byte(t->table, t->bytes), k, t->seq };
	}
	qsort(v, n, sizeof *v, cmp_item);
	/* In address order, each structure meets the one reaching furthest
	 * so far and its neighbour (two tables at one address meet even when
	 * a larger one covers both). */
	struct sweep w = { c, diags, reported };
	size_t cover = 0;
	for (size_t i = 1; i < n; i++) {
		if (v[i].lo <= v[cover].hi)
			judge(&w, &v[cover], &v[i]);
		if (cover != i - 1 && v[i].lo <= v[i - 1].hi)
			judge(&w, &v[i - 1], &v[i]);
		if (v[i].hi > v[cover].hi)
			cover = i;
	}
	free(reported);
	free(v);
}

/* ---- the run ---- */

static void walk_spaces(struct smmu_ptcheck *c, struct pt_source *src,
			struct pt_diag_sink *diags, struct pt_budget *budget)
{
	static const struct pt_ptw_visit_ops ops = { NULL, on_table, on_desc, on_event };
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
		res0_masks(&x);
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

void smmu_ptcheck_run(struct smmu_ptcheck *c, struct pt_source *src,
		      struct pt_diag_sink *diags, struct pt_budget *budget)
{
	walk_spaces(c, src, diags, budget);
	smmu_ptcheck_aliases(c, diags);
}
