/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The paragraph of an explanation: what was raised, for which stream and
 * address; the STE and CD the dump holds for it and the checks they fail;
 * the event-specific cause; the commands that matter. Each sentence comes
 * from a fact found in the dump, never from the event alone. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smmuv3_explain.h"

struct text {
	char *buf;
	size_t len, at;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	if (t->at >= t->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->at, t->len - t->at, fmt, ap);
	va_end(ap);
	t->at = n < 0 ? t->len : t->at + (size_t)n;
}

static uint64_t evf(const struct smmu_explain *x, const char *name, int *has)
{
	uint64_t v = 0;
	int h = smmu_entry_field(x->evt_st, x->evt, name, &v) == 0;
	if (has)
		*has = h;
	return v;
}

static const char *field_name(const struct pt_struct *st, const uint8_t *raw, const char *f)
{
	const struct pt_field *fl = pt_struct_field(st, f);
	const char *n = fl ? pt_field_enum_name(fl, pt_field_get(raw, fl)) : NULL;
	return n ? n : "?";
}

static void head(struct text *t, const struct smmu_explain *x)
{
	add(t, "%s (event 0x%02x) for StreamID 0x%x", x->evt_st->label, x->id, x->sid);
	if (x->ssv)
		add(t, ", SubstreamID 0x%x", x->ssid);
	int has;
	uint64_t rnw = evf(x, "rnw", &has);
	if (x->has_addr) {
		add(t, " at 0x%llx", (unsigned long long)x->addr);
		if (has)
			add(t, " (%s", rnw ? "read" : "write");
		uint64_t s2 = evf(x, "s2", &has);
		if (has)
			add(t, ", stage %d", s2 ? 2 : 1);
		uint64_t cls = evf(x, "class", &has);
		/* Stage-1 faults are CLASS=IN (IHI 0070 §7.3.13); QEMU leaves it 0. */
		if (has && (s2 || cls == 2))
			add(t, ", %s", cls == 0 ? "CD fetch" : cls == 1 ? "table walk"
				       : cls == 2 ? "input address" : "reserved class");
		if (evf(x, "rnw", &has), has)
			add(t, ")");
	}
	add(t, ". ");
}

static void structures(struct text *t, const struct smmu_explain *x)
{
	int told = x->have_resolution && x->res.outcome == SMMU_TERMINATED;
	if (!x->have_ste) {
		if (told)
			add(t, "It has no STE. ");
		else
			add(t, "Its STE was not found: %s. ",
			    x->ste_missing ? x->ste_missing : "unknown");
		return;
	}
	add(t, "Its STE at 0x%llx is %s, Config %s", (unsigned long long)x->ste_addr,
	    smmu_ste(x->ste, STE_V) ? "valid" : "not valid",
	    field_name(&smmu_ste_struct, x->ste, "config"));
	if (x->have_cd)
		add(t, "; CD %u at 0x%llx is %s, ASID 0x%llx, TTB0 0x%llx", x->cd_index,
		    (unsigned long long)x->cd_addr, smmu_cd(x->cd, CD_V) ? "valid" : "not valid",
		    (unsigned long long)smmu_cd(x->cd, CD_ASID),
		    (unsigned long long)smmu_cd(x->cd, CD_TTB0));
	else if (x->cd_missing && !told && smmu_ste_s1((unsigned)smmu_ste(x->ste, STE_CONFIG)))
		add(t, "; no CD: %s", x->cd_missing);
	add(t, ". ");
}

/* What the SMMU would do with the transaction by the dump as it is now. */
static void resolution(struct text *t, const struct smmu_explain *x)
{
	if (!x->have_resolution)
		return;
	const struct smmu_resolution *r = &x->res;
	switch (r->outcome) {
	case SMMU_TERMINATED: {
		/* The condition, without the effect the rule appends. */
		const char *cut = strstr(r->reason, ": the ");
		int n = cut ? (int)(cut - r->reason) : (int)strlen(r->reason);
		if (r->event == x->id)
			add(t, "The dump still shows why: %.*s. ", n, r->reason);
		else
			add(t, "Resolved in the dump now, it would stop with %s instead: %.*s. ",
			    smmu_evt_name(r->event) ? smmu_evt_name(r->event) : "an event", n,
			    r->reason);
		break;
	}
	case SMMU_RESOLVED:
		if (x->id >= SMMU_EVT_C_BAD_STREAMID && x->id <= SMMU_EVT_C_BAD_CD &&
		    x->id != SMMU_EVT_F_BAD_ATS_TREQ && x->id != SMMU_EVT_F_TRANSL_FORBIDDEN)
			add(t, "Resolved in the dump now, the stream reaches a %s regime: the "
			       "configuration the event complained about has changed since. ",
			    r->s1 && r->s2 ? "nested" : r->s1 ? "stage-1" : r->s2 ? "stage-2"
							       : "bypass");
		break;
	case SMMU_ABORTED:
		add(t, "The STE now aborts the stream's traffic without an event. ");
		break;
	default:
		break;
	}
}

/* Error findings of the STE and CD checks, by rule id. */
static unsigned failed_checks(struct text *t, const struct smmu_explain *x)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < x->findings.nitems; i++) {
		const struct pt_diag *d = &x->findings.items[i];
		if (d->severity != PT_SEV_ERROR)
			continue;
		if (n < 3)
			add(t, "%s%s", n ? ", " : "The dump's structures fail ", d->rule->id);
		n++;
	}
	if (n > 3)
		add(t, " and %u more", n - 3);
	if (n)
		add(t, " (see the diagnostics). ");
	return n;
}

static void newest(struct text *t, const struct smmu_explain *x, const char *what)
{
	if (!x->nhist) {
		if (x->hist_known)
			add(t, "No command in the history touched %s. ", what);
		return;
	}
	const struct smmu_explain_cmd *c = &x->hist[0];
	const char *name = smmu_cmd_name(c->raw[0]);
	add(t, "The newest command that touched %s is cmdq[%u] %s (%s, %lld %s CONS). ", what,
	    c->index, name ? name : "?", c->why, (long long)(c->age < 0 ? -c->age : c->age),
	    c->age < 0 ? "before" : "at or after");
}

static void translation_cause(struct text *t, const struct smmu_explain *x)
{
	if (x->maps_now == 1) {
		add(t, "The dump maps 0x%llx now: the mapping was probably made after the fault, "
		       "or the SMMU used a stale TLB entry. ", (unsigned long long)x->addr);
		newest(t, x, "this stream or address");
		return;
	}
	if (x->maps_now == 0)
		add(t, "The dump has no valid mapping for 0x%llx either: the device used an "
		       "address its driver never mapped, or had already unmapped. ",
		    (unsigned long long)x->addr);
	newest(t, x, "this stream or address");
}

static void cause(struct text *t, const struct smmu_explain *x, unsigned failed)
{
	int has;
	uint64_t fetch;
	/* The resolution already said why (and with which rule). */
	int said = x->have_resolution && x->res.outcome == SMMU_TERMINATED &&
		   x->res.event == x->id;
	switch (x->id) {
	case SMMU_EVT_C_BAD_STREAMID:
		if (x->have_ste)
			add(t, "The dump's stream table does cover it now: the table (or its L1 "
			       "descriptor) was probably written after the event. ");
		break;
	case SMMU_EVT_C_BAD_STE:
	case SMMU_EVT_C_BAD_CD:
		if (said)
			;
		else if (x->id == SMMU_EVT_C_BAD_CD && x->have_cd && !smmu_cd(x->cd, CD_V))
			add(t, "CD %u is not valid (V = 0): that alone raises C_BAD_CD. ",
			    x->cd_index);
		else if (x->id == SMMU_EVT_C_BAD_STE && x->have_ste && !smmu_ste(x->ste, STE_V))
			add(t, "The STE is not valid (V = 0): that alone raises C_BAD_STE. ");
		else if (!failed && (x->id == SMMU_EVT_C_BAD_STE ? x->have_ste : x->have_cd))
			add(t, "The %s in the dump passes every check: it was probably rewritten "
			       "after the event. ", x->id == SMMU_EVT_C_BAD_STE ? "STE" : "CD");
		newest(t, x, "this stream");
		break;
	case SMMU_EVT_F_STREAM_DISABLED:
		if (x->have_ste && !said)
			add(t, "The STE has S1DSS = %s and S1CDMax = %llu: that is what refused the "
			       "transaction's SubstreamID (or its lack of one). ",
			    field_name(&smmu_ste_struct, x->ste, "s1dss"),
			    (unsigned long long)smmu_ste(x->ste, STE_S1CDMAX));
		break;
	case SMMU_EVT_C_BAD_SUBSTREAMID:
		if (x->have_ste && !said)
			add(t, "The STE's CD table holds 2^%llu CDs (S1CDMax): SubstreamID 0x%x "
			       "%s. ", (unsigned long long)smmu_ste(x->ste, STE_S1CDMAX), x->ssid,
			    x->have_cd ? "is inside it now" : "has no CD there");
		break;
	case SMMU_EVT_F_STE_FETCH:
	case SMMU_EVT_F_CD_FETCH:
	case SMMU_EVT_F_VMS_FETCH:
	case SMMU_EVT_F_WALK_EABT:
		fetch = evf(x, "fetch_addr", &has);
		if (!fetch && x->has_addr && x->id == SMMU_EVT_F_CD_FETCH)
			fetch = x->addr; /* QEMU puts the CD address in InputAddr */
		add(t, "The fetch from 0x%llx aborted. ", (unsigned long long)fetch);
		break;
	case SMMU_EVT_F_TRANSLATION:
	case SMMU_EVT_F_ADDR_SIZE:
	case SMMU_EVT_F_ACCESS:
	case SMMU_EVT_F_PERMISSION:
		translation_cause(t, x);
		break;
	default:
		newest(t, x, "this stream");
		break;
	}
}

void smmu_explain_write(struct smmu_explain *x)
{
	struct text t = { x->text, sizeof x->text, 0 };
	x->text[0] = 0;
	head(&t, x);
	structures(&t, x);
	resolution(&t, x);
	unsigned failed = failed_checks(&t, x);
	cause(&t, x, failed);
	/* No trailing space. */
	size_t n = strlen(x->text);
	while (n && x->text[n - 1] == ' ')
		x->text[--n] = 0;
}
