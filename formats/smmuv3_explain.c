/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Building the explanation of one event: the stream table gives the STE
 * (pt_entry_address, the walker's checks restricted to that StreamID), the
 * STE gives the CD table and the CD (smmu_ste_cd_cfg), the command queue's
 * ring gives the history. The paragraph is assembled from those facts. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smmuv3_explain.h"

static uint64_t evf(const struct smmu_explain *x, const char *name, int *has)
{
	uint64_t v = 0;
	int h = x->evt_st && smmu_entry_field(x->evt_st, x->evt, name, &v) == 0;
	if (has)
		*has = h;
	return v;
}

static void check_one(const struct smmu_explain_ctx *ctx, struct smmu_explain *x,
		      const struct pt_table_cfg *cfg, uint32_t index)
{
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.src = ctx->src;
	w.diags = &x->findings;
	w.caps = (void *)(uintptr_t)ctx->caps;
	w.validate = 1;
	w.one_ssid = 1;
	w.ssid = index;
	pt_walk_run(&w);
}

/* The STE and CD through the library's resolution, as the SMMU looks them
 * up for this transaction now; then every check of the two, so the
 * explanation can name all that is wrong, not only what stops first. */
static void resolve(const struct smmu_explain_ctx *ctx, struct smmu_explain *x)
{
	struct pt_table_cfg cfg;
	const char *why = NULL;
	if (!ctx->strtab) {
		x->ste_missing = "no stream table given (--strtab, --strtab-cfg)";
		return;
	}
	if (smmu_strtab_table_cfg(ctx->strtab, &cfg, &why) < 0) {
		x->ste_missing = why;
		return;
	}
	struct smmu_resolution *r = &x->res;
	if (smmu_resolve(ctx->src, &cfg, ctx->caps, x->sid, x->ssv, x->ssid, r) != 0)
		return;
	x->have_resolution = 1;
	x->have_ste = r->have_ste;
	x->ste_addr = r->ste_addr;
	memcpy(x->ste, r->ste, SMMU_STE_SIZE);
	if (!r->have_ste)
		x->ste_missing = r->reason[0] ? r->reason : "not found";
	x->have_cd = r->have_cd;
	x->cd_index = r->cd_index;
	x->cd_addr = r->cd_addr;
	memcpy(x->cd, r->cd, SMMU_CD_SIZE);
	if (!r->have_cd)
		x->cd_missing = r->reason[0] ? r->reason : "not found";
	if (r->have_ste)
		check_one(ctx, x, &cfg, x->sid);
	if (r->have_cd_table && x->cd_index < (UINT64_C(1) << r->cd_table.ssid_bits))
		check_one(ctx, x, &r->cd_table, x->cd_index);
}

/* ---- history ---- */

static int covers(const struct pt_struct *st, const uint8_t *cmd, uint64_t addr)
{
	uint64_t a, tg = 0, num = 0, scale = 0;
	if (smmu_entry_field(st, cmd, "address", &a) != 0)
		return 0;
	smmu_entry_field(st, cmd, "tg", &tg);
	smmu_entry_field(st, cmd, "num", &num);
	smmu_entry_field(st, cmd, "scale", &scale);
	if (tg == 0) /* no range: the 4 KiB page (smallest granule) holding Address */
		return (a >> 12) == (addr >> 12);
	unsigned g = tg == 1 ? 12 : tg == 2 ? 14 : 16;
	unsigned shift = (unsigned)scale + g;
	uint64_t len = shift >= 58 ? UINT64_MAX : (num + 1) << shift;
	return addr >= a && addr - a < len;
}

/* Why a command concerns the event, or NULL. */
static const char *touches(const struct smmu_explain *x, const uint8_t *cmd)
{
	const struct pt_struct *st = smmu_cmd_struct(cmd[0]);
	uint64_t v;
	if (!st)
		return NULL;
	unsigned op = cmd[0];
	if (op == SMMU_CMD_CFGI_STE_RANGE) {
		unsigned r = cmd[8] & 0x1f;
		uint64_t sid = pt_le64(cmd, 0) >> 32, mask = (UINT64_C(2) << r) - 1;
		return r == 31 ? "every STE" : ((sid & ~mask) == (x->sid & ~mask) ? "StreamID range"
										  : NULL);
	}
	if (op == SMMU_CMD_SYNC)
		return NULL;
	if (smmu_entry_field(st, cmd, "sid", &v) == 0)
		return v == x->sid ? "StreamID" : NULL;
	int asid_known = x->have_cd;
	uint32_t asid = asid_known ? (uint32_t)smmu_cd(x->cd, CD_ASID) : 0;
	switch (op) {
	case SMMU_CMD_TLBI_NH_ALL:
	case SMMU_CMD_TLBI_NSNH_ALL:
	case SMMU_CMD_TLBI_EL2_ALL:
	case SMMU_CMD_TLBI_S12_VMALL:
		return "all TLB entries";
	case SMMU_CMD_TLBI_NH_ASID:
	case SMMU_CMD_TLBI_EL2_ASID:
		smmu_entry_field(st, cmd, "asid", &v);
		return asid_known && v == asid ? "ASID" : NULL;
	case SMMU_CMD_TLBI_NH_VA:
	case SMMU_CMD_TLBI_EL2_VA:
		smmu_entry_field(st, cmd, "asid", &v);
		return asid_known && v == asid && x->has_addr && covers(st, cmd, x->addr)
			       ? "ASID and address" : NULL;
	case SMMU_CMD_TLBI_NH_VAA:
	case SMMU_CMD_TLBI_EL2_VAA:
		return x->has_addr && covers(st, cmd, x->addr) ? "address" : NULL;
	default:
		return NULL;
	}
}

struct hist_walk {
	struct smmu_explain *x;
	const struct smmu_queue *q;
	/* the last SMMU_EXPLAIN_MAX_HISTORY matches, oldest first, as a ring */
	struct smmu_explain_cmd ring[SMMU_EXPLAIN_MAX_HISTORY];
	uint64_t n;
};

static int hist_slot(void *user, const struct pt_ring_slot *s)
{
	struct hist_walk *h = user;
	if (!s->mapped)
		return 0;
	struct smmu_qentry e;
	smmu_queue_classify(h->q, s, &e);
	if (e.state == SMMU_QE_EMPTY || e.note)
		return 0;
	const char *why = touches(h->x, s->raw);
	if (!why)
		return 0;
	struct smmu_explain_cmd *c = &h->ring[h->n++ % SMMU_EXPLAIN_MAX_HISTORY];
	c->index = s->index;
	c->addr = s->addr;
	c->age = s->age;
	memcpy(c->raw, s->raw, SMMU_CMD_SIZE);
	c->why = why;
	return 0;
}

static void find_history(const struct smmu_explain_ctx *ctx, struct smmu_explain *x)
{
	if (!ctx->cmdq)
		return;
	struct hist_walk h;
	memset(&h, 0, sizeof h);
	h.x = x;
	h.q = ctx->cmdq;
	pt_ring_walk(&ctx->cmdq->ring, ctx->src, hist_slot, &h);
	x->hist_known = 1;
	x->hist_matches = h.n;
	unsigned keep = h.n < SMMU_EXPLAIN_MAX_HISTORY ? (unsigned)h.n : SMMU_EXPLAIN_MAX_HISTORY;
	for (unsigned i = 0; i < keep; i++)
		x->hist[i] = h.ring[(h.n - 1 - i) % SMMU_EXPLAIN_MAX_HISTORY];
	x->nhist = keep;
}

void smmu_explain_event(const struct smmu_explain_ctx *ctx, const uint8_t evt[SMMU_EVT_SIZE],
			struct smmu_explain *out)
{
	memset(out, 0, sizeof *out);
	pt_diag_init(&out->findings, "dump", NULL);
	memcpy(out->evt, evt, SMMU_EVT_SIZE);
	out->id = evt[0];
	out->evt_st = pt_family_struct(&smmu_evt_family, evt);
	out->sid = (uint32_t)evf(out, "sid", NULL);
	out->ssid = (uint32_t)evf(out, "ssid", NULL);
	int has_ssv;
	out->ssv = (int)evf(out, "ssv", &has_ssv);
	if (out->id == SMMU_EVT_C_BAD_SUBSTREAMID)
		out->ssv = 1; /* its SubstreamID is always valid */
	out->addr = evf(out, "address", &out->has_addr);
	out->maps_now = -1;
	resolve(ctx, out);
	find_history(ctx, out);
	smmu_explain_write(out);
}

void smmu_explain_free(struct smmu_explain *out)
{
	pt_diag_free(&out->findings);
}
