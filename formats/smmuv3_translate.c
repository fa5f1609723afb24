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

static int check_ste(const struct smmu_caps *caps, struct smmu_stream *s)
{
	struct pt_diag_sink d;
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &smmu_strtab_format;
	cfg.layout = &smmu_strtab_format.layouts[0];
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.diags = &d;
	w.caps = (void *)(uintptr_t)caps;
	w.validate = 1;
	w.one_ssid = 1;
	pt_diag_init(&d, "", NULL);
	smmu_ste_check_entry(&w, s->sid, s->ste_addr, s->ste);
	const struct pt_diag *x = illegal(&d, "C_BAD_STE");
	if (x)
		smmu_fault_set(&s->fault, "C_BAD_STE", 0x04, "STE is illegal: %s [%s]", x->msg,
			       x->rule->id);
	pt_diag_free(&d);
	return x ? -1 : 0;
}

static int check_cd(const struct smmu_caps *caps, const struct pt_table_cfg *cfg,
		    struct smmu_stream *s)
{
	struct pt_diag_sink d;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.diags = &d;
	w.caps = (void *)(uintptr_t)caps;
	w.validate = 1;
	w.one_ssid = 1;
	w.ssid = s->ssid;
	pt_diag_init(&d, "", NULL);
	smmu_cd_check_entry(&w, s->has_ssid ? s->ssid : 0, s->cd_addr, s->cd);
	const struct pt_diag *x = illegal(&d, "C_BAD_CD");
	if (x)
		smmu_fault_set(&s->fault, "C_BAD_CD", 0x0a, "CD is illegal: %s [%s]", x->msg,
			       x->rule->id);
	/* Frees the checks' per-walk state; its whole-table findings come
	 * after the verdict and do not change it. */
	smmu_cd_check_done(&w);
	pt_diag_free(&d);
	return x ? -1 : 0;
}

static int fetch_ste(struct pt_source *src, const struct smmu_root *root, struct smmu_stream *s)
{
	if (root->kind == SMMU_ROOT_STE) {
		s->ste_addr = root->ste;
	} else {
		struct pt_table_cfg cfg;
		const char *why;
		if (smmu_strtab_table_cfg(&root->strtab, &cfg, &why) != 0) {
			smmu_fault_set(&s->fault, "C_BAD_STREAMID", 0x02, "%s", why);
			return -1;
		}
		if (root->strtab.sid_bits < 32 && s->sid >> root->strtab.sid_bits) {
			smmu_fault_set(&s->fault, "C_BAD_STREAMID", 0x02,
				       "StreamID %u is beyond the %u-bit stream table", s->sid,
				       root->strtab.sid_bits);
			return -1;
		}
		if (pt_entry_address(src, &cfg, s->sid, &s->ste_addr, &why) != 0) {
			if (strstr(why, "not in the input"))
				dump_ends(&s->fault, cfg.base, "the level-1 stream table descriptor");
			else
				smmu_fault_set(&s->fault, "C_BAD_STREAMID", 0x02, "%s", why);
			return -1;
		}
	}
	if (pt_source_read(src, s->ste_addr, s->ste, SMMU_STE_SIZE) != PT_READ_OK) {
		dump_ends(&s->fault, s->ste_addr, "the STE");
		return -1;
	}
	s->has_ste = 1;
	return 0;
}

/* IHI 0070 §3.3.2 / R-SS-01..09: what the SubstreamID (or its absence)
 * does. 1: stage 1 bypassed; 0: use CD s->ssid (0 without one); -1: event. */
static int substream(const struct smmu_caps *caps, struct smmu_stream *s)
{
	unsigned cdmax = (unsigned)smmu_ste(s->ste, STE_S1CDMAX);
	unsigned s1dss = (unsigned)smmu_ste(s->ste, STE_S1DSS);
	int substreams = cdmax != 0 && caps->ssid_bits != 0;
	if (s->has_ssid) {
		if (!substreams) {
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
				       "a SubstreamID was given but the STE has no substreams "
				       "(S1CDMax = %u, SSIDSIZE = %u)", cdmax, caps->ssid_bits);
			return -1;
		}
		if (cdmax < 32 && s->ssid >> cdmax) {
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
				       "SubstreamID %u is beyond the 2^%u CDs of S1CDMax", s->ssid, cdmax);
			return -1;
		}
		if (s->ssid == 0 && s1dss == 2) {
			smmu_fault_set(&s->fault, "F_STREAM_DISABLED", 0x06,
				       "SubstreamID 0 while S1DSS = ssid0 reserves CD 0 for traffic "
				       "without one");
			return -1;
		}
		return 0;
	}
	if (!substreams)
		return 0;
	if (s1dss == 1)
		return 1;
	if (s1dss == 2)
		return 0;
	smmu_fault_set(&s->fault, "F_STREAM_DISABLED", 0x06,
		       "no SubstreamID and S1DSS = %s", s1dss == 0 ? "terminate" : "reserved (terminate)");
	return -1;
}

/* Read len bytes at an address of stage 1's own space: an IPA when nested. */
static int read_ipa(struct pt_source *src, struct smmu_stream *s, uint64_t addr, void *buf,
		    size_t len, const char *what)
{
	uint64_t pa = addr;
	if (s->has_s2) {
		static const struct pt_ptw_access rd = { 0, 0, 1 };
		if (!pt_ptw_translate(src, &s->s2.r, addr, PT_PTW_FOR_CONTEXT, &rd, &s->cd_walk)) {
			smmu_fault_from_walk(&s->cd_walk, &s->fault);
			return -1;
		}
		pa = s->cd_walk.oa;
	}
	if (pt_source_read(src, pa, buf, len) != PT_READ_OK) {
		dump_ends(&s->fault, pa, what);
		return -1;
	}
	return 0;
}

static int fetch_cd(struct pt_source *src, const struct smmu_caps *caps,
		    const struct smmu_root *root, struct smmu_stream *s)
{
	struct pt_table_cfg cfg;
	const char *why;
	if (root->kind == SMMU_ROOT_CD_TABLE) {
		cfg = root->cd_cfg;
	} else {
		/* The CD table's geometry does not depend on nesting; only how
		 * its addresses are read does. */
		uint8_t ste[SMMU_STE_SIZE];
		memcpy(ste, s->ste, sizeof ste);
		pt_field_set(ste, &smmu_ste_fields[STE_CONFIG], SMMU_STE_S1);
		if (smmu_ste_cd_cfg(ste, caps, &cfg, &why) != 0) {
			smmu_fault_set(&s->fault, "C_BAD_STE", 0x04, "%s", why);
			return -1;
		}
	}
	uint32_t idx = s->has_ssid ? s->ssid : 0;
	struct pt_geometry g;
	if (pt_geometry(&cfg, &g) != 0 || idx >= g.nentries) {
		smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
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
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
				       "the L1 CD descriptor at 0x%llx is not valid",
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

int smmu_stream_resolve(struct pt_source *src, const struct smmu_caps *caps,
			const struct smmu_root *root, uint32_t sid, int has_ssid, uint32_t ssid,
			struct smmu_stream *s)
{
	memset(s, 0, sizeof *s);
	s->sid = sid;
	s->has_ssid = has_ssid;
	s->ssid = ssid;
	if (root->kind == SMMU_ROOT_CD_TABLE) {
		s->config = SMMU_STE_S1;
		return fetch_cd(src, caps, root, s);
	}
	if (fetch_ste(src, root, s) != 0)
		return -1;
	if (!smmu_ste(s->ste, STE_V)) {
		smmu_fault_set(&s->fault, "C_BAD_STE", 0x04, "STE.V = 0");
		return -1;
	}
	s->config = (unsigned)smmu_ste(s->ste, STE_CONFIG);
	s->strw = (unsigned)smmu_ste(s->ste, STE_STRW);
	if (s->config < SMMU_STE_BYPASS) {
		smmu_fault_set(&s->fault, NULL, 0,
			       "STE.Config = abort: the transaction is terminated without an event");
		return -1;
	}
	if (check_ste(caps, s) != 0)
		return -1;
	if (s->config == SMMU_STE_BYPASS) {
		if (has_ssid) {
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
				       "a SubstreamID was given but stage 1 does not translate");
			return -1;
		}
		s->s1_bypass = 1;
		return 0;
	}
	if (smmu_ste_s2(s->config)) {
		const char *why;
		if (smmu_s2_regime(s->ste, caps, &s->s2, &why) != 0) {
			smmu_fault_set(&s->fault, "C_BAD_STE", 0x04, "%s", why);
			return -1;
		}
		s->has_s2 = 1;
	}
	if (!smmu_ste_s1(s->config)) {
		if (has_ssid) {
			smmu_fault_set(&s->fault, "C_BAD_SUBSTREAMID", 0x08,
				       "a SubstreamID was given but stage 1 does not translate");
			return -1;
		}
		s->s1_bypass = 1;
		return 0;
	}
	int ss = substream(caps, s);
	if (ss < 0)
		return -1;
	if (ss == 1) {
		s->s1_bypass = 1;
		return 0;
	}
	return fetch_cd(src, caps, root, s);
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
		if (smmu_s1_regime(s->cd, caps, s->strw, caps->e2h, iova, &x->s1, &ia, &x->fault) != 0)
			return 0;
		x->has_s1 = 1;
		if (s->has_s2)
			x->s1.r.next = &s->s2.r;
		pt_ptw_translate(src, &x->s1.r, ia, PT_PTW_FOR_INPUT, acc, &x->walk);
	}
	if (!x->walk.ok) {
		smmu_fault_from_walk(&x->walk, &x->fault);
		return 0;
	}
	x->pa = x->walk.oa;
	x->ok = 1;
	return 1;
}
