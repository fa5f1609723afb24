/* SPDX-License-Identifier: GPL-2.0-or-later */
/* queue: an SMMUv3 queue in a dump as `pasidtool queues` reads it: the ring
 * walker (core/ring.c), the queue model and slot classification
 * (formats/smmuv3_queue.c), the CMDQ/EVTQ/PRIQ checks and the entry field
 * tables.
 *
 * Input: a 24-byte header, then the dump (placed at address 0):
 *   byte 0   queue kind (mod 3); byte 1 caps (index into caps_specs)
 *   byte 2   IDR1 queue size cap; byte 3 bit 0: a stream table size given,
 *            bits 4-7: its SID bits
 *   u64 BASE register; u32 PROD; u32 CONS; u32 spare
 * Checks: every slot is visited once, in order, inside the ring; each
 * non-empty entry decodes with the layout classification picks, prints as
 * JSON and builds back into its bytes; the checks run on every entry. */
#include "fuzz.h"
#include "smmuv3.h"
#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"

#define HDR 24u

static const char *const caps_specs[] = { "generic", "qemu", "linux-host", "generic,s1p=0" };
#define NCAPS (sizeof caps_specs / sizeof caps_specs[0])

struct run {
	struct smmu_queue q;
	struct smmu_queue_ctx ctx;
	struct pt_diag_sink diags;
	uint32_t seen;
	const struct pt_struct *last_st; /* the last slot round-tripped */
	uint8_t last[PT_RING_MAX_ENTRY];
};

/* A slot's fields through jansson and back. The round trip depends on the
 * bytes and layout alone, so a slot like the one before it (runs of zeros,
 * a ring filled with one command) is not done again: jansson's allocations
 * for thousands of identical slots were most of an execution. */
static void round_trip(struct run *r, const struct pt_struct *st, const uint8_t *raw)
{
	if (st == r->last_st && memcmp(raw, r->last, st->size) == 0)
		return;
	r->last_st = st;
	memcpy(r->last, raw, st->size);
	json_t *obj = json_object();
	json_object_set_new(obj, "fields", pt_struct_fields_json(st, raw));
	uint8_t back[PT_RING_MAX_ENTRY] = { 0 };
	char err[256];
	FZ_CHECK(pt_struct_from_json(st, obj, back, err, sizeof err) == 0, "%s: %s", st->name,
		 err);
	FZ_CHECK(memcmp(back, raw, st->size) == 0, "%s: fields do not build back", st->name);
	json_decref(obj);
}

static int on_slot(void *user, const struct pt_ring_slot *s)
{
	struct run *r = user;
	FZ_CHECK(s->order == r->seen, "slot %u visited as %u", r->seen, s->order);
	FZ_CHECK(s->index < r->q.geom.slots, "index %u of %u", s->index, r->q.geom.slots);
	FZ_CHECK(s->addr == r->q.ring.base + (uint64_t)s->index * r->q.ring.entry_size,
		 "slot %u at 0x%llx", s->index, (unsigned long long)s->addr);
	r->seen++;
	if (!s->mapped)
		return 0;
	struct smmu_qentry e;
	smmu_queue_classify(&r->q, s, &e);
	FZ_CHECK(e.st && e.name && e.st->size == r->q.ring.entry_size, "slot %u: no layout",
		 s->index);
	round_trip(r, e.st, s->raw);
	if (e.state == SMMU_QE_EMPTY)
		return 0;
	switch (r->q.kind) {
	case SMMU_Q_CMD: smmu_cmd_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	case SMMU_Q_EVT: smmu_evt_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	default: smmu_priq_check(&r->diags, &r->ctx, s->index, s->addr, s->raw); break;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct fz_in in = { data, size < HDR ? size : HDR };
	enum smmu_queue_kind kind = (enum smmu_queue_kind)(fz_u8(&in) % SMMU_Q_COUNT);
	const char *spec = caps_specs[fz_u8(&in) % NCAPS];
	unsigned max = fz_u8(&in) % 24;
	uint8_t st = fz_u8(&in);
	struct smmu_queue_vals v = { fz_u64(&in), fz_u32(&in), fz_u32(&in), max };
	/* Rings of 2^19 slots are legal but slow to fuzz: keep them small. */
	if ((v.base_reg & 0x1f) > 12)
		v.base_reg = (v.base_reg & ~UINT64_C(0x1f)) | 12;
	struct run r;
	memset(&r, 0, sizeof r);
	char err[256];
	struct smmu_caps *caps = smmu_caps_parse(spec, err, sizeof err);
	FZ_CHECK(caps, "caps %s: %s", spec, err);
	r.ctx.caps = caps;
	r.ctx.have_strtab = st & 1;
	r.ctx.strtab_sid_bits = st >> 4;
	r.ctx.queue = smmu_queue_name(kind);
	pt_diag_init(&r.diags, "dump", NULL);
	struct pt_source src;
	pt_source_init(&src, "dump");
	size_t dlen = size > HDR ? size - HDR : 0;
	int have = dlen && pt_source_add_buffer(&src, "dump", data + HDR, dlen) >= 0 &&
		   pt_source_add_range(&src, 0, dlen, 0, 0, dlen) == 0 &&
		   pt_source_finish(&src, &r.diags) == 0;
	if (smmu_queue_setup(&r.q, kind, &v, &r.diags) == 0) {
		if (have)
			smmu_queue_scan(&r.q, &src);
		if (have && pt_ring_walk(&r.q.ring, &src, on_slot, &r) == 0)
			FZ_CHECK(r.seen == r.q.geom.slots, "%u of %u slots", r.seen,
				 r.q.geom.slots);
	}
	pt_source_free(&src);
	pt_diag_free(&r.diags);
	smmu_caps_free(caps);
	return 0;
}
