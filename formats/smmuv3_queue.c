/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The three SMMUv3 queues: their entry structures (registered for `formats`,
 * docs and fuzz dictionaries), the ring their registers describe, and what
 * each slot holds, including the traces Linux leaves in a command history. */
#include <string.h>

#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"
#include "table.h"

static void register_family(const struct pt_family *fam)
{
	const struct pt_struct *st;
	for (size_t i = 0; (st = pt_family_struct_at(fam, i)) != NULL; i++)
		pt_struct_register(st);
}

void smmu_queue_register(void)
{
	register_family(&smmu_cmd_family);
	register_family(&smmu_evt_family);
	pt_struct_register(&smmu_priq_struct);
}

static const struct {
	const char *name;
	unsigned entry_size;
} qtypes[SMMU_Q_COUNT] = {
	[SMMU_Q_CMD] = { "cmdq", SMMU_CMD_SIZE },
	[SMMU_Q_EVT] = { "evtq", SMMU_EVT_SIZE },
	[SMMU_Q_PRI] = { "priq", SMMU_PRIQ_SIZE },
};

const char *smmu_queue_name(enum smmu_queue_kind kind)
{
	return qtypes[kind].name;
}

unsigned smmu_queue_entry_size(enum smmu_queue_kind kind)
{
	return qtypes[kind].entry_size;
}

const char *smmu_cerror_name(unsigned err)
{
	static const char *const names[] = { "none", "ill", "abt", "atc_inv_sync" };
	return err < 4 ? names[err] : NULL;
}

const char *smmu_cerror_label(unsigned err)
{
	static const char *const labels[] = { "CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
					      "CERROR_ATC_INV_SYNC" };
	return err < 4 ? labels[err] : "CERROR_reserved";
}

const char *smmu_qe_state_name(enum smmu_qe_state s)
{
	static const char *const names[] = { "pending", "consumed", "empty" };
	return names[s];
}

unsigned smmu_queue_vals_from_regs(const struct smmu_regs *r, enum smmu_queue_kind kind,
				   struct smmu_queue_vals *v)
{
	_Static_assert((int)SMMU_Q_CMD == (int)SMMU_CMDQ && (int)SMMU_Q_EVT == (int)SMMU_EVENTQ &&
			       (int)SMMU_Q_PRI == (int)SMMU_PRIQ,
		       "the register model's queues are in the order of the kinds");
	struct smmu_queue_regs q;
	smmu_regs_queue(r, (enum smmu_queue_id)kind, &q);
	memset(v, 0, sizeof *v);
	v->max_log2size = q.max_log2size;
	v->base_reg = q.base_reg;
	v->prod = q.prod;
	v->cons = q.cons;
	return (q.have_base ? 1u : 0) | (q.have_prod ? 2u : 0) | (q.have_cons ? 4u : 0);
}

/* The largest queue the architecture allows (IHI 0070 G.b §3.5.1). */
#define SMMU_QUEUE_MAX_LOG2 19u
/* PROD.WR / CONS.RD: index and wrap bit live in bits [19:0]. */
#define SMMU_QUEUE_PTR_BITS 20u

static void check_pointer(struct pt_diag_sink *diags, const struct smmu_queue *q,
			  const char *reg, uint32_t v)
{
	uint32_t ptr = v & ((UINT32_C(1) << SMMU_QUEUE_PTR_BITS) - 1);
	unsigned used = q->ring.log2size + 1;
	if (used < SMMU_QUEUE_PTR_BITS && (ptr >> used))
		smmu_queue_report(diags, R_QUEUE_INDEX_RES0, q->vals.base_reg, 0, 0, NULL,
				  "%s %s = 0x%x: bits above the wrap bit (bit %u) are set",
				  smmu_queue_name(q->kind), reg, v, q->ring.log2size);
}

static void check_state(struct smmu_queue *q, struct pt_diag_sink *diags)
{
	const char *n = smmu_queue_name(q->kind);
	const struct pt_ring_geom *g = &q->geom;
	if (g->order != PT_RING_ORDERED)
		smmu_queue_report(diags, g->order == PT_RING_PROD_BEHIND ? R_QUEUE_PROD_BEHIND
									 : R_QUEUE_OVERLAP,
				  q->ring.base, 0, 0, NULL,
				  "%s PROD index %u wrap %u, CONS index %u wrap %u", n,
				  g->prod_index, g->prod_wrap, g->cons_index, g->cons_wrap);
	check_pointer(diags, q, "PROD", q->vals.prod);
	check_pointer(diags, q, "CONS", q->vals.cons);
	if (q->kind == SMMU_Q_CMD) {
		q->err = (q->vals.cons >> 24) & 0x7f;
		if (q->err)
			smmu_queue_report(diags, R_CMDQ_ERROR, q->ring.base + (uint64_t)g->cons_index *
								    q->ring.entry_size,
					  0, 0, NULL, "CMDQ_CONS.ERR = %u (%s) at cmdq[%u]",
					  q->err, smmu_cerror_label(q->err), g->cons_index);
		return;
	}
	q->overflow = (q->vals.prod >> 31) != (q->vals.cons >> 31);
	if (q->overflow)
		smmu_queue_report(diags, q->kind == SMMU_Q_EVT ? R_EVTQ_OVERFLOW : R_PRIQ_OVERFLOW,
				  q->ring.base, 0, 0, NULL, "%s PROD 0x%x, CONS 0x%x", n,
				  q->vals.prod, q->vals.cons);
}

int smmu_queue_setup(struct smmu_queue *q, enum smmu_queue_kind kind,
		     const struct smmu_queue_vals *v, struct pt_diag_sink *diags)
{
	memset(q, 0, sizeof *q);
	q->kind = kind;
	q->vals = *v;
	unsigned max = v->max_log2size < SMMU_QUEUE_MAX_LOG2 ? v->max_log2size
							      : SMMU_QUEUE_MAX_LOG2;
	q->log2size_reg = (unsigned)(v->base_reg & 0x1f);
	uint64_t addr = v->base_reg & UINT64_C(0x00ffffffffffffe0);
	const char *n = smmu_queue_name(kind);
	if (q->log2size_reg > max)
		smmu_queue_report(diags, R_QUEUE_LOG2SIZE, addr, 0, 0, NULL,
				  "%s BASE.LOG2SIZE = %u, the SMMU allows %u", n, q->log2size_reg,
				  max);
	q->ring.log2size = q->log2size_reg < max ? q->log2size_reg : max;
	q->ring.entry_size = smmu_queue_entry_size(kind);
	q->ring.prod = v->prod;
	q->ring.cons = v->cons;
	/* The SMMU reads the base as aligned to the queue's size (at least 32). */
	uint64_t bytes = (uint64_t)q->ring.entry_size << q->ring.log2size;
	uint64_t align = bytes > 32 ? bytes : 32;
	q->ring.base = addr & ~(align - 1);
	if (q->ring.base != addr)
		smmu_queue_report(diags, R_QUEUE_BASE_ALIGN, addr, 0, 0, NULL,
				  "%s BASE.ADDR 0x%llx, queue of 0x%llx bytes: read as 0x%llx", n,
				  (unsigned long long)addr, (unsigned long long)bytes,
				  (unsigned long long)q->ring.base);
	if (pt_ring_geometry(&q->ring, &q->geom) < 0) {
		smmu_queue_report(diags, R_QUEUE_GEOMETRY, addr, 0, 0, NULL,
				  "%s at 0x%llx, 2^%u entries", n, (unsigned long long)q->ring.base,
				  q->ring.log2size);
		return -1;
	}
	check_state(q, diags);
	return 0;
}

static int all_zero(const uint8_t *raw, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (raw[i])
			return 0;
	return 1;
}

/* Linux polls a CMD_SYNC with MSIAddr = the SYNC's own slot and MSIData = 0:
 * the SMMU's MSI write zeroes word 0 when the SYNC completes (LNX-C
 * arm_smmu_cmdq_build_sync_cmd, __arm_smmu_cmdq_poll_until_msi). */
static int sync_msi_zeroed(const struct pt_ring_slot *s)
{
	uint64_t d1 = pt_le64(s->raw, 1);
	return pt_le64(s->raw, 0) == 0 && d1 != 0 && (d1 & UINT64_C(0x00fffffffffffffc)) == s->addr;
}

static int sync_msi_self(const struct pt_ring_slot *s)
{
	return s->raw[0] == SMMU_CMD_SYNC &&
	       (pt_le64(s->raw, 1) & UINT64_C(0x00fffffffffffffc)) == s->addr;
}

static int scan_slot(void *user, const struct pt_ring_slot *s)
{
	struct smmu_queue *q = user;
	if (s->mapped && (sync_msi_zeroed(s) || sync_msi_self(s)))
		q->msi_polled = 1;
	return q->msi_polled;
}

void smmu_queue_scan(struct smmu_queue *q, struct pt_source *src)
{
	q->msi_polled = 0;
	if (q->kind == SMMU_Q_CMD)
		pt_ring_walk(&q->ring, src, scan_slot, q);
}

/* After CERROR_ILL Linux overwrites the bad command in place with a CMD_SYNC
 * built without an MSI address (CS = SEV) and lets the SMMU go on
 * (LNX-C __arm_smmu_cmdq_skip_err). In a history whose other SYNCs are
 * MSI-polled, such a SYNC marks where an illegal command was. */
static int sync_replaced(const struct smmu_queue *q, const struct pt_ring_slot *s)
{
	uint64_t d0 = pt_le64(s->raw, 0);
	return q->msi_polled && s->raw[0] == SMMU_CMD_SYNC && pt_le64(s->raw, 1) == 0 &&
	       ((d0 >> 12) & 3) == 2;
}

static void classify_cmd(const struct smmu_queue *q, const struct pt_ring_slot *s,
			 struct smmu_qentry *e)
{
	if (q->msi_polled && sync_msi_zeroed(s)) {
		e->st = smmu_cmd_struct(SMMU_CMD_SYNC);
		e->note = "completed CMD_SYNC: the SMMU's MSI (MSIData 0 to this slot) zeroed "
			  "word 0, as Linux's MSI polling expects";
	} else if (sync_replaced(q, s)) {
		e->st = smmu_cmd_struct(SMMU_CMD_SYNC);
		e->note = "CMD_SYNC without MSI among MSI-polled SYNCs: Linux wrote it over a "
			  "command the SMMU rejected with CERROR_ILL";
	} else {
		e->st = smmu_cmd_struct(s->raw[0]);
	}
	if (!e->st) {
		e->st = smmu_cmd_family.unknown;
		e->name = "RESERVED";
	} else if (s->raw[0] == SMMU_CMD_CFGI_STE_RANGE && (s->raw[8] & 0x1f) == 31) {
		e->name = "CMD_CFGI_ALL"; /* what the spec (§4.3.6) and Linux call Range 31 */
	} else {
		e->name = e->st->label;
	}
	e->stopped_here = q->err && s->state == PT_RING_PENDING && s->age == 0;
}

void smmu_queue_classify(const struct smmu_queue *q, const struct pt_ring_slot *s,
			 struct smmu_qentry *e)
{
	memset(e, 0, sizeof *e);
	e->state = s->state == PT_RING_PENDING ? SMMU_QE_PENDING : SMMU_QE_CONSUMED;
	/* Consumed slots never written since the queue was allocated (Linux
	 * allocates them zeroed). Pending ones are entries, zero or not. */
	if (e->state == SMMU_QE_CONSUMED && all_zero(s->raw, q->ring.entry_size))
		e->state = SMMU_QE_EMPTY;
	switch (q->kind) {
	case SMMU_Q_CMD:
		classify_cmd(q, s, e);
		break;
	case SMMU_Q_EVT:
		e->st = smmu_evt_struct(s->raw[0]);
		e->name = e->st ? e->st->label : "RESERVED";
		if (!e->st)
			e->st = smmu_evt_family.unknown;
		break;
	default:
		e->st = &smmu_priq_struct;
		e->name = "PRI_REQUEST";
		break;
	}
}

struct count {
	const struct smmu_queue *q;
	struct smmu_queue_counts *c;
};

static int count_slot(void *user, const struct pt_ring_slot *s)
{
	struct count *k = user;
	struct smmu_qentry e;
	if (!s->mapped) {
		k->c->unmapped++;
		return 0;
	}
	smmu_queue_classify(k->q, s, &e);
	k->c->consumed += e.state == SMMU_QE_CONSUMED;
	k->c->empty += e.state == SMMU_QE_EMPTY;
	return 0;
}

void smmu_queue_count(const struct smmu_queue *q, struct pt_source *src,
		      struct smmu_queue_counts *c)
{
	struct count k = { q, c };
	memset(c, 0, sizeof *c);
	pt_ring_walk(&q->ring, src, count_slot, &k);
}

void smmu_queue_summary(const struct smmu_queue *q, struct pt_source *src, char *buf,
			size_t len)
{
	struct smmu_queue_counts c;
	smmu_queue_count(q, src, &c);
	int n = snprintf(buf, len, "%s @ 0x%llx: 2^%u entries, %u pending, %llu consumed still "
				   "in memory", smmu_queue_name(q->kind),
			 (unsigned long long)q->ring.base, q->ring.log2size, q->geom.pending,
			 (unsigned long long)c.consumed);
	size_t at = n < 0 ? len : (size_t)n;
	if (at < len && q->kind == SMMU_Q_CMD && q->err)
		at += (size_t)snprintf(buf + at, len - at, ", stopped: %s",
				       smmu_cerror_label(q->err));
	if (at < len && q->overflow)
		at += (size_t)snprintf(buf + at, len - at, ", overflowed");
	if (at < len && q->geom.order != PT_RING_ORDERED)
		at += (size_t)snprintf(buf + at, len - at, ", PROD/CONS inconsistent");
	if (at < len && c.unmapped)
		snprintf(buf + at, len - at, ", %llu slots not in the dump",
			 (unsigned long long)c.unmapped);
}
