/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A transaction's path through an SMMUv3, in the order the SMMU takes it and
 * records the first event (IHI 0070 G.b §3.3, §7.3.22): StreamID -> STE ->
 * SubstreamID rules -> CD (through stage 2 when nested) -> stage-1 walk ->
 * stage-2 walk of the output. STE and CD legality come from the same rules
 * `validate` applies: an error whose effect is C_BAD_STE or C_BAD_CD ends
 * the transaction with that event. */
#include <stdio.h>
#include <string.h>

#include "smmuv3_ptw.h"
#include "smmuv3_resolve.h"

static void dump_ends(struct smmu_fault *f, uint64_t addr, const char *what)
{
	memset(f, 0, sizeof *f);
	f->happened = 1;
	f->dump_ends = 1;
	f->dump_addr = addr;
	f->level = -2;
	snprintf(f->reason, sizeof f->reason, "%s at 0x%llx is not in the input", what,
		 (unsigned long long)addr);
}

/* First error of `rules` whose effect names `event`, from checks run into a
 * private sink: the SMMU stops at the structure such a rule condemns. */
static const struct pt_diag *illegal(const struct pt_diag_sink *d, const char *event)
{
	for (uint32_t i = 0; i < d->nitems; i++) {
		const struct pt_diag *x = &d->items[i];
		if (x->severity == PT_SEV_ERROR && x->rule->effect &&
		    strstr(x->rule->effect, event))
			return x;
	}
	return NULL;
}

/* A finding's message without the rule's effect the sink appended to it:
 * the verdict's reason, for messages that state the effect themselves. */
static void condition_only(char *buf, size_t len, const struct pt_diag *x)
{
	snprintf(buf, len, "%s", x->msg);
	size_t n = strlen(buf), e = x->rule->effect ? strlen(x->rule->effect) : 0;
	if (e && n >= e + 2 && strcmp(buf + n - e, x->rule->effect) == 0 &&
	    strncmp(buf + n - e - 2, ": ", 2) == 0)
		buf[n - e - 2] = 0;
}

const struct pt_rule *smmu_entry_illegal(const struct smmu_caps *caps,
					 const struct pt_table_cfg *cfg, uint32_t idx, uint64_t addr,
					 const uint8_t *raw, const char *event, char *why, size_t len)
{
	struct pt_diag_sink d;
	struct pt_walk w;
	if (!cfg->fmt->check_entry)
		return NULL;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.diags = &d;
	w.caps = (void *)(uintptr_t)caps;
	w.validate = 1;
	w.one_ssid = 1;
	w.ssid = idx;
	pt_diag_init(&d, "", NULL);
	cfg->fmt->check_entry(&w, idx, addr, raw);
	const struct pt_diag *x = illegal(&d, event);
	const struct pt_rule *rule = x ? x->rule : NULL;
	if (x && why)
		condition_only(why, len, x);
	/* Frees the checks' per-walk state; its whole-table findings come
	 * after the verdict and do not change it. */
	if (cfg->fmt->check_done)
		cfg->fmt->check_done(&w);
	pt_diag_free(&d);
	return rule;
}

/* A nested CD, read through stage 2: the library's resolution stops at its
 * IPA, so the CD rules run here on what the walk fetched. */
static int check_cd(const struct smmu_caps *caps, const struct pt_table_cfg *cfg,
		    struct smmu_stream *s)
{
	char why[160];
	const struct pt_rule *rule = smmu_entry_illegal(caps, cfg, s->has_ssid ? s->ssid : 0,
							s->cd_addr, s->cd, "C_BAD_CD", why,
							sizeof why);
	if (rule)
		smmu_fault_set(&s->fault, "C_BAD_CD", SMMU_EVT_C_BAD_CD, "CD is illegal: %s [%s]",
			       why, rule->id);
	return rule ? -1 : 0;
}

/* Read len bytes at an IPA of a nested stream, through stage 2. */
static int read_ipa(struct pt_source *src, struct smmu_stream *s, uint64_t addr, void *buf,
		    size_t len, const char *what)
{
	static const struct pt_ptw_access rd = { 0, 0, 1 };
	if (!pt_ptw_translate(src, &s->s2.r, addr, PT_PTW_FOR_CONTEXT, &rd, &s->cd_walk)) {
		smmu_fault_from_walk(&s->cd_walk, &s->fault);
		return -1;
	}
	uint64_t pa = s->cd_walk.oa;
	if (pt_source_read(src, pa, buf, len) != PT_READ_OK) {
		dump_ends(&s->fault, pa, what);
		return -1;
	}
	return 0;
}

/* Nested: CD `idx` of the table at the STE's S1ContextPtr, an IPA (IHI 0070
 * §3.3.3: the CD and L1CD fetches go through stage 2 with CLASS = CD). */
static int fetch_nested_cd(struct pt_source *src, const struct smmu_caps *caps, uint32_t idx,
			   struct smmu_stream *s)
{
	/* The CD table's geometry does not depend on nesting; only how its
	 * addresses are read does. */
	struct pt_table_cfg cfg;
	const char *why;
	uint8_t ste[SMMU_STE_SIZE];
	memcpy(ste, s->ste, sizeof ste);
	pt_field_set(ste, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S1);
	if (smmu_ste_cd_cfg(ste, caps, &cfg, &why) != 0) {
		smmu_fault_set(&s->fault, "C_BAD_STE", SMMU_EVT_C_BAD_STE, "%s", why);
		return -1;
	}
	struct pt_geometry g;
	if (pt_geometry(&cfg, &g) != 0 || idx >= g.nentries) {
		smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", SMMU_EVT_C_BAD_SUBSTREAMID,
			       "SubstreamID %u is outside the CD table", idx);
		return -1;
	}
	uint64_t leaf = cfg.base;
	if (g.ndir) {
		uint8_t l1[SMMU_L1CD_SIZE];
		uint64_t a = cfg.base + ((uint64_t)idx >> g.leaf_bits) * SMMU_L1CD_SIZE;
		if (read_ipa(src, s, a, l1, sizeof l1, "the L1 CD descriptor") != 0)
			return -1;
		if (!pt_field_get(l1, &smmu_l1cd_fields[L1CD_V])) {
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", SMMU_EVT_C_BAD_SUBSTREAMID,
				       "the L1 CD descriptor at IPA 0x%llx is not valid",
				       (unsigned long long)a);
			return -1;
		}
		leaf = pt_field_get(l1, &smmu_l1cd_fields[L1CD_L2PTR]);
	}
	s->cd_addr = leaf + (idx & ((UINT64_C(1) << g.leaf_bits) - 1)) * SMMU_CD_SIZE;
	if (read_ipa(src, s, s->cd_addr, s->cd, SMMU_CD_SIZE, "the CD") != 0)
		return -1;
	s->has_cd = 1;
	return check_cd(caps, &cfg, s);
}

/* What the library's resolution found, as the transaction's path. */
static void take_resolution(const struct smmu_resolution *r, struct smmu_stream *s)
{
	if (r->have_ste) {
		s->has_ste = 1;
		s->ste_addr = r->ste_addr;
		memcpy(s->ste, r->ste, SMMU_STE_SIZE);
		s->strw = (unsigned)smmu_ste(s->ste, STE_STRW);
	}
	s->config = r->config;
	if (r->have_cd) {
		s->has_cd = 1;
		s->cd_addr = r->cd_addr;
		memcpy(s->cd, r->cd, SMMU_CD_SIZE);
	}
	switch (r->outcome) {
	case SMMU_TERMINATED: {
		const char *name = smmu_event_name(r->event);
		smmu_fault_set(&s->fault, name ? name : "C_BAD_STE", r->event, "%s%s%s%s", r->reason,
			       r->rule ? " [" : "", r->rule ? r->rule : "", r->rule ? "]" : "");
		break;
	}
	case SMMU_ABORTED:
		smmu_fault_set(&s->fault, NULL, 0, "%s", r->reason);
		break;
	case SMMU_NOT_IN_INPUT:
		memset(&s->fault, 0, sizeof s->fault);
		s->fault.happened = 1;
		s->fault.dump_ends = 1;
		s->fault.dump_addr = r->addr;
		s->fault.level = -2;
		snprintf(s->fault.reason, sizeof s->fault.reason, "%s", r->reason);
		break;
	case SMMU_RESOLVED:
	case SMMU_NESTED_CD:
		break;
	}
}

/* The library's resolution for the root: the stream table (or one STE as
 * a one-entry table) or a bare CD table. */
static void resolve_root(struct pt_source *src, struct smmu_caps *caps,
			 const struct smmu_root *root, struct smmu_stream *s,
			 struct smmu_resolution *r)
{
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	memset(r, 0, sizeof *r);
	if (root->kind == SMMU_ROOT_CD_TABLE) {
		smmu_resolve_cd(src, &root->cd_cfg, caps, s->has_ssid, s->ssid, r);
		return;
	}
	uint32_t index = s->sid;
	if (root->kind == SMMU_ROOT_STE) {
		cfg.fmt = &smmu_strtab_format;
		cfg.layout = &smmu_strtab_format.layouts[SMMU_STRTAB_LINEAR];
		cfg.base = root->ste;
		index = 0;
	} else {
		const char *why;
		if (smmu_strtab_table_cfg(&root->strtab, &cfg, &why) != 0) {
			r->outcome = SMMU_TERMINATED;
			r->event = SMMU_EVT_C_BAD_STREAMID;
			snprintf(r->reason, sizeof r->reason, "%s", why);
			return;
		}
	}
	smmu_resolve(src, &cfg, caps, index, s->has_ssid, s->ssid, r);
}

int smmu_stream_resolve(struct pt_source *src, struct smmu_caps *caps,
			const struct smmu_root *root, uint32_t sid, int has_ssid, uint32_t ssid,
			struct smmu_stream *s)
{
	struct smmu_resolution r;
	memset(s, 0, sizeof *s);
	s->sid = sid;
	s->has_ssid = has_ssid;
	s->ssid = ssid;
	resolve_root(src, caps, root, s, &r);
	take_resolution(&r, s);
	if (s->fault.happened)
		return -1;
	if (r.s2 || r.outcome == SMMU_NESTED_CD) {
		const char *why;
		if (smmu_s2_regime(s->ste, caps, &s->s2, &why) != 0) {
			smmu_fault_set(&s->fault, "C_BAD_STE", SMMU_EVT_C_BAD_STE, "%s", why);
			return -1;
		}
		s->has_s2 = 1;
	}
	if (r.outcome == SMMU_NESTED_CD)
		return fetch_nested_cd(src, caps, r.cd_index, s);
	s->s1_bypass = !r.s1;
	return 0;
}

void smmu_fault_recording(const struct smmu_stream *s, struct smmu_fault *f)
{
	if (!f->happened || !f->event || f->id < SMMU_EVT_F_TRANSLATION ||
	    f->id > SMMU_EVT_F_PERMISSION)
		return;
	if (f->stage == 1 && s->has_cd && !s->s1_bypass) {
		/* A legal CD has S = 1 only where stalls are allowed (CdIllegal
		 * with STE.S1STALLD or STALL_MODEL); S = 1 overrides R. */
		if (smmu_cd(s->cd, CD_S)) {
			f->stall = 1;
			f->control = "CD.S = 1";
			f->response = "stall";
		} else {
			f->not_recorded = !smmu_cd(s->cd, CD_R);
			f->control = f->not_recorded ? "CD.R = 0" : "CD.R = 1";
			f->response = smmu_cd(s->cd, CD_A) ? "abort" : "raz-wi";
		}
		return;
	}
	if (f->stage == 2 && s->has_ste) {
		if (smmu_ste(s->ste, STE_S2S)) {
			f->stall = 1;
			f->control = "STE.S2S = 1";
			f->response = "stall";
		} else {
			/* Stage 2 has no A bit: a terminated transaction aborts. */
			f->not_recorded = !smmu_ste(s->ste, STE_S2R);
			f->control = f->not_recorded ? "STE.S2R = 0" : "STE.S2R = 1";
			f->response = "abort";
		}
	}
}

static unsigned oas(const struct smmu_caps *caps)
{
	return caps->oas_bits > 52 ? 52 : caps->oas_bits;
}

int smmu_translate(struct pt_source *src, const struct smmu_caps *caps, struct smmu_stream *s,
		   uint64_t iova, const struct pt_ptw_access *acc, struct smmu_xlate *x)
{
	memset(x, 0, sizeof *x);
	x->iova = iova;
	if (s->fault.happened) {
		x->fault = s->fault;
		smmu_fault_recording(s, &x->fault);
		return 0;
	}
	if (s->s1_bypass && !s->has_s2) {
		x->path = "bypass";
		/* Bypassed input beyond the output size is an address-size fault. */
		if (oas(caps) < 64 && iova >> oas(caps)) {
			smmu_fault_set(&x->fault, "F_ADDR_SIZE", 0x11,
				       "bypassed address is beyond the %u-bit output size", oas(caps));
			x->fault.stage = 1;
			x->fault.cls = "IN";
			return 0;
		}
		x->pa = iova;
		x->ok = 1;
		return 1;
	}
	if (s->s1_bypass) {
		x->path = "s2";
		pt_ptw_translate(src, &s->s2.r, iova, PT_PTW_FOR_INPUT, acc, &x->walk);
	} else {
		uint64_t ia;
		x->path = s->has_s2 ? "nested" : "s1";
		if (smmu_s1_regime(s->cd, caps, s->strw, caps->e2h, iova, &x->s1, &ia, &x->fault) != 0) {
			smmu_fault_recording(s, &x->fault);
			return 0;
		}
		x->has_s1 = 1;
		if (s->has_s2)
			x->s1.r.next = &s->s2.r;
		pt_ptw_translate(src, &x->s1.r, ia, PT_PTW_FOR_INPUT, acc, &x->walk);
	}
	if (!x->walk.ok) {
		smmu_fault_from_walk(&x->walk, &x->fault);
		smmu_fault_recording(s, &x->fault);
		return 0;
	}
	x->pa = x->walk.oa;
	x->ok = 1;
	return 1;
}
