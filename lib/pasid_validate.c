/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation: the walk validate runs (a stream table's STEs, then each CD
 * table they reach, once, through the library's table set), its findings
 * handed over as a list. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "smmuv3_resolve.h"

struct pasid_findings {
	struct pt_diag_sink diags;
	pasid_finding *items;
	size_t n;
};

struct check {
	pasid_table *t;
	struct pt_diag_sink *diags;
	void *caps;
	struct pt_budget budget;
	struct smmu_streams streams;
	int rc;
};

static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	(void)index, (void)addr, (void)raw;
	struct check *c = w->user;
	smmu_streams_on_dir(&c->streams, w, dv);
	return 0;
}

static int on_entry(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw)
{
	(void)addr;
	struct check *c = w->user;
	struct smmu_ste_outcome r;
	smmu_streams_on_entry(&c->streams, w, index, raw, &r);
	return 0;
}

static const struct pt_walk_ops check_ops = { NULL, on_dir, on_entry, NULL };
/* A CD table's entries lead nowhere: checked a run at a time. */
static const struct pt_walk_ops cd_ops = { NULL, on_dir, NULL, NULL };

static int walk(void *user, const struct pt_table_cfg *cfg)
{
	struct check *c = user;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.src = &c->t->src->src;
	w.diags = c->diags;
	w.ops = cfg->fmt == &smmu_strtab_format ? &check_ops : &cd_ops;
	w.user = c;
	w.caps = c->caps;
	w.validate = 1;
	w.budget = &c->budget;
	return pt_walk_run(&w);
}

static int walk_cd_table(void *user, const struct pt_tset_table *t,
			 const struct pt_table_cfg *cfg, int again)
{
	(void)t, (void)again;
	return walk(user, cfg);
}

static void run_checks(struct check *c)
{
	const struct pt_table_cfg *cfg = &c->t->cfg;
	int strtab = cfg->fmt == &smmu_strtab_format;
	if (c->t->strtab) {
		struct smmu_strtab st;
		const struct smmu_caps *k = c->caps;
		smmu_strtab_decode(c->t->strtab_base, c->t->strtab_cfg, k->sid_bits, &st);
		smmu_strtab_check(&st, k, c->diags);
	}
	/* A CD table reached from an STE: its findings name the StreamID, as
	 * validate's do when it walks the stream table. */
	if (!strtab && cfg->has_sid) {
		c->diags->ctx_has_sid = 1;
		c->diags->ctx_sid = cfg->sid;
	}
	struct smmu_strtab_walk sw = { &c->streams, c->diags, 1, walk, walk_cd_table, c };
	if (smmu_strtab_walk(&sw, cfg) != 0)
		c->rc = -1;
}

static void list_findings(pasid_findings *f)
{
	for (uint32_t i = 0; i < f->diags.nitems; i++) {
		const struct pt_diag *d = &f->diags.items[i];
		pasid_finding *o = &f->items[f->n++];
		memset(o, 0, sizeof *o);
		o->rule = d->rule->id;
		o->severity = (int)d->severity;
		o->has_address = d->has_addr;
		o->address = d->addr;
		o->has_sid = d->has_sid || d->scope == PT_SCOPE_SID;
		o->sid = d->has_sid ? d->sid : d->scope_id;
		o->has_ssid = d->scope == PT_SCOPE_SSID;
		o->ssid = o->has_ssid ? d->scope_id : 0;
		o->has_l1_index = d->scope == PT_SCOPE_INDEX;
		o->l1_index = o->has_l1_index ? d->scope_id : 0;
		o->field = d->field;
		o->message = d->msg;
		o->repeat = d->repeat;
	}
}

PASID_API int pasid_table_validate(pasid_table *t, const char *caps, pasid_findings **out,
				   pasid_error *err)
{
	if (out)
		*out = NULL;
	if (!t || !out)
		return pasid_fail(err, PASID_ERR_ARG, "pasid_table_validate: no handle");
	const struct pt_format *fmt = t->cfg.fmt;
	const char *spec = caps ? caps : t->caps[0] ? t->caps : "generic";
	char why[256];
	struct check c;
	memset(&c, 0, sizeof c);
	c.t = t;
	c.budget.max = PT_DEFAULT_MAX_ENTRIES;
	if (fmt->caps_parse && !(c.caps = fmt->caps_parse(spec, why, sizeof why)))
		return pasid_fail(err, PASID_ERR_ARG, "caps: %s", why);
	pasid_findings *f = calloc(1, sizeof *f);
	if (!f) {
		if (c.caps)
			fmt->caps_free(c.caps);
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	}
	pt_diag_init(&f->diags, t->src->name, NULL);
	f->diags.fold = 1;
	c.diags = &f->diags;
	smmu_streams_init(&c.streams, fmt == &smmu_strtab_format ? c.caps : NULL);
	run_checks(&c);
	smmu_streams_free(&c.streams);
	if (c.caps)
		fmt->caps_free(c.caps);
	f->items = calloc(f->diags.nitems ? f->diags.nitems : 1, sizeof *f->items);
	if (!f->items) {
		pasid_findings_free(f);
		return pasid_fail(err, PASID_ERR_NOMEM, "out of memory");
	}
	list_findings(f);
	if (c.rc != 0) {
		int rc = pasid_fail_diag(err, PASID_ERR_ARG, &f->diags, "the table cannot be walked");
		pasid_findings_free(f);
		return rc;
	}
	*out = f;
	return pasid_ok(err);
}

PASID_API size_t pasid_findings_count(const pasid_findings *f)
{
	return f ? f->n : 0;
}

PASID_API const pasid_finding *pasid_findings_at(const pasid_findings *f, size_t i)
{
	return f && i < f->n ? &f->items[i] : NULL;
}

PASID_API uint64_t pasid_findings_total(const pasid_findings *f, int severity)
{
	if (!f || severity < PASID_NOTE || severity > PASID_ERROR)
		return 0;
	return f->diags.counts[severity];
}

PASID_API void pasid_findings_free(pasid_findings *f)
{
	if (!f)
		return;
	pt_diag_free(&f->diags);
	free(f->items);
	free(f);
}
