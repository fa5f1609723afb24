/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One transaction's (StreamID, SubstreamID) → STE → CD → regime. Each
 * structure is fetched through the core walker with the rules on, so a
 * structure `validate` calls illegal stops resolution with the event the
 * SMMU records for it (IHI 0070 §7.3; priority order §7.3.22: stream ID,
 * STE, substream ID, stream disabled, CD). */
#include "smmuv3_resolve.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *smmu_event_name(unsigned id)
{
	return smmu_evt_name(id);
}

/* Which event a rule's error stands for, by the structure its id names. */
static const struct {
	const char *prefix;
	unsigned event;
} rule_events[] = {
	{ "L1STD-L2PTR-RANGE", SMMU_EVT_F_STE_FETCH },
	{ "L1STD-", SMMU_EVT_C_BAD_STREAMID },
	{ "STE-", SMMU_EVT_C_BAD_STE },
	{ "L1CD-", SMMU_EVT_C_BAD_SUBSTREAMID },
	{ "CD-", SMMU_EVT_C_BAD_CD },
};

/* The entry a one-index walk visited. */
struct fetched {
	int have;
	uint64_t addr;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
};

static int fetch_entry(struct pt_walk *w, uint32_t idx, uint64_t addr, const uint8_t *raw)
{
	struct fetched *f = w->user;
	(void)idx;
	f->have = 1;
	f->addr = addr;
	memcpy(f->raw, raw, w->cfg->fmt->entry->size);
	return 0;
}

static const struct pt_walk_ops fetch_ops = { NULL, NULL, fetch_entry };

static void stop(struct smmu_resolution *r, enum smmu_outcome outcome, unsigned event,
		 uint64_t addr, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void stop(struct smmu_resolution *r, enum smmu_outcome outcome, unsigned event,
		 uint64_t addr, const char *rule, const char *fmt, ...)
{
	va_list ap;
	r->outcome = outcome;
	r->event = event;
	r->addr = addr;
	r->rule = rule;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

/* Fetch entry idx of the table cfg describes with the rules on. 0 when it
 * was read and nothing the rules say stops the SMMU; otherwise r says why
 * (the first error, in the order the walk met them: directory first). */
static int fetch(struct pt_source *src, const struct pt_table_cfg *cfg, void *caps,
		 uint32_t idx, struct fetched *f, struct smmu_resolution *r)
{
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "resolve", NULL);
	sink.fold = 0;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	memset(f, 0, sizeof *f);
	w.cfg = cfg;
	w.src = src;
	w.diags = &sink;
	w.ops = &fetch_ops;
	w.user = f;
	w.caps = caps;
	w.validate = 1;
	w.one_ssid = 1;
	w.ssid = idx;
	pt_walk_run(&w);
	int rc = 0;
	for (uint32_t i = 0; i < sink.nitems && rc == 0; i++) {
		const struct pt_diag *d = &sink.items[i];
		if (d->severity != PT_SEV_ERROR)
			continue;
		rc = -1;
		if (d->rule == &pt_core_rule_list[PT_R_TABLE_UNMAPPED]) {
			stop(r, SMMU_NOT_IN_INPUT, SMMU_EVT_NONE, d->addr, d->rule->id,
			     "the input does not hold what the SMMU reads here: %s", d->msg);
			break;
		}
		/* An index outside the table: the stream or substream is bad. */
		unsigned event = cfg->fmt == &smmu_strtab_format ? SMMU_EVT_C_BAD_STREAMID
								 : SMMU_EVT_C_BAD_SUBSTREAMID;
		for (size_t k = 0; k < sizeof rule_events / sizeof rule_events[0]; k++)
			if (strncmp(d->rule->id, rule_events[k].prefix,
				    strlen(rule_events[k].prefix)) == 0) {
				event = rule_events[k].event;
				break;
			}
		stop(r, SMMU_TERMINATED, event, d->addr, d->rule->id, "%s", d->msg);
	}
	if (rc == 0 && !f->have) {
		stop(r, SMMU_NOT_IN_INPUT, SMMU_EVT_NONE, cfg->base, NULL,
		     "the entry could not be read from the input");
		rc = -1;
	}
	pt_diag_free(&sink);
	return rc;
}

/* Stage 1 with substreams: which CD a transaction uses (S1DSS for traffic
 * without a SubstreamID). 0 and *index, 1 when stage 1 is bypassed, -1
 * when the transaction is terminated. */
static int pick_cd(struct smmu_resolution *r, const struct smmu_caps *caps, uint32_t *index)
{
	unsigned cdmax = (unsigned)smmu_ste(r->ste, STE_S1CDMAX);
	unsigned s1dss = (unsigned)smmu_ste(r->ste, STE_S1DSS);
	int substreams = cdmax != 0 && caps->ssid_bits != 0;
	*index = 0;
	if (r->has_ssid) {
		if (!substreams) {
			stop(r, SMMU_TERMINATED, SMMU_EVT_C_BAD_SUBSTREAMID, r->ste_addr, NULL,
			     "a SubstreamID on a stream without substreams (S1CDMax = %u, "
			     "SSIDSIZE = %u)", cdmax, caps->ssid_bits);
			return -1;
		}
		if (cdmax <= PT_MAX_SSID_BITS && r->ssid >> cdmax) {
			stop(r, SMMU_TERMINATED, SMMU_EVT_C_BAD_SUBSTREAMID, r->ste_addr, NULL,
			     "SubstreamID %u is outside the STE's 2^%u CDs (S1CDMax)", r->ssid,
			     cdmax);
			return -1;
		}
		if (r->ssid == 0 && s1dss == 2) {
			stop(r, SMMU_TERMINATED, SMMU_EVT_F_STREAM_DISABLED, r->ste_addr, NULL,
			     "SubstreamID 0 with S1DSS = SSID0: CD 0 serves traffic without a "
			     "SubstreamID only");
			return -1;
		}
		*index = r->ssid;
		return 0;
	}
	if (!substreams || s1dss == 2)
		return 0;
	if (s1dss == 1)
		return 1;
	stop(r, SMMU_TERMINATED, SMMU_EVT_F_STREAM_DISABLED, r->ste_addr, NULL,
	     "traffic without a SubstreamID and S1DSS = %s", s1dss == 0 ? "terminate"
								     : "reserved (as terminate)");
	return -1;
}

static void take_cd(struct smmu_resolution *r, const struct fetched *f)
{
	if (!f->have)
		return;
	r->have_cd = 1;
	r->cd_addr = f->addr;
	memcpy(r->cd, f->raw, SMMU_CD_SIZE);
}

static void resolve_s1(struct pt_source *src, struct smmu_caps *caps, struct smmu_resolution *r)
{
	uint32_t index;
	int s1 = pick_cd(r, caps, &index);
	if (s1 < 0)
		return;
	r->s2 = smmu_ste_s2(r->config);
	if (s1 == 1) {
		r->outcome = SMMU_RESOLVED;
		return;
	}
	const char *why;
	if (smmu_ste_cd_cfg(r->ste, caps, &r->cd_table, &why) != 0) {
		/* Only nesting gets here: the STE checks caught the rest. */
		r->have_cd_table = r->config == SMMU_STE_NESTED;
		if (r->have_cd_table) {
			r->cd_table.base = smmu_ste(r->ste, STE_S1CONTEXTPTR);
			r->cd_index = index;
		}
		stop(r, r->have_cd_table ? SMMU_NESTED_CD : SMMU_TERMINATED,
		     r->have_cd_table ? SMMU_EVT_NONE : SMMU_EVT_C_BAD_STE, r->ste_addr, NULL, "%s",
		     why);
		return;
	}
	r->cd_table.has_sid = 1;
	r->cd_table.sid = r->sid;
	r->have_cd_table = 1;
	r->cd_index = index;
	struct fetched f;
	int rc = fetch(src, &r->cd_table, caps, index, &f, r);
	take_cd(r, &f);
	if (rc != 0)
		return;
	r->s1 = 1;
	r->outcome = SMMU_RESOLVED;
}

int smmu_resolve_cd(struct pt_source *src, const struct pt_table_cfg *cds,
		    struct smmu_caps *caps, int has_ssid, uint32_t ssid,
		    struct smmu_resolution *r)
{
	memset(r, 0, sizeof *r);
	r->has_ssid = has_ssid;
	r->ssid = ssid;
	if (cds->fmt != &smmu_cd_format)
		return -1;
	r->config = SMMU_STE_S1;
	r->have_cd_table = 1;
	r->cd_table = *cds;
	r->cd_index = has_ssid ? ssid : 0;
	struct fetched f;
	int rc = fetch(src, cds, caps, r->cd_index, &f, r);
	take_cd(r, &f);
	if (rc != 0)
		return 0;
	r->s1 = 1;
	r->outcome = SMMU_RESOLVED;
	return 0;
}

int smmu_resolve(struct pt_source *src, const struct pt_table_cfg *strtab,
		 struct smmu_caps *caps, uint32_t sid, int has_ssid, uint32_t ssid,
		 struct smmu_resolution *r)
{
	memset(r, 0, sizeof *r);
	r->sid = sid;
	r->has_ssid = has_ssid;
	r->ssid = ssid;
	if (strtab->fmt != &smmu_strtab_format)
		return -1;
	struct fetched f;
	int rc = fetch(src, strtab, caps, sid, &f, r);
	if (f.have) {
		r->have_ste = 1;
		r->ste_addr = f.addr;
		memcpy(r->ste, f.raw, SMMU_STE_SIZE);
		r->config = (unsigned)smmu_ste(r->ste, STE_CONFIG);
	}
	if (rc != 0)
		return 0;
	if (r->config == SMMU_STE_ABORT) {
		stop(r, SMMU_ABORTED, SMMU_EVT_NONE, r->ste_addr, NULL,
		     "STE.Config = abort: the transaction is terminated without an event");
		return 0;
	}
	if (smmu_ste_s1(r->config)) {
		resolve_s1(src, caps, r);
		return 0;
	}
	if (has_ssid) {
		stop(r, SMMU_TERMINATED, SMMU_EVT_C_BAD_SUBSTREAMID, r->ste_addr, NULL,
		     "a SubstreamID on a stream whose stage 1 does not translate (Config = %s)",
		     pt_field_enum_name(&smmu_ste_fields[STE_CONFIG], r->config));
		return 0;
	}
	r->s2 = smmu_ste_s2(r->config);
	r->outcome = SMMU_RESOLVED;
	return 0;
}
