/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommufd records: the kernel's verdict on vSTEs at every boundary (each bit
 * of words 0-1 outside and inside the masks, each Config, each EATS, V = 0),
 * random vSTEs against a model of arm_smmu_validate_vste() written here from
 * the kernel's rules (Linux v6.13..v6.18 arm-smmu-v3-iommufd.c), the batch
 * arithmetic of arm_vsmmu_cache_invalidate(), each command opcode and vSID
 * against arm_vsmmu_convert_user_cmd(), the nested STE of
 * arm_smmu_make_nested_domain_ste(), and JSON round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "formats.h"
#include "iommufd.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"

/* ---- the model: facts of arm_smmu_validate_vste, not its code ----
 * STRTAB_STE_0_NESTING_ALLOWED = V | CFG[3:1] | S1FMT[5:4] | S1CTXPTR[51:6] |
 * S1CDMAX[63:59]; STRTAB_STE_1_NESTING_ALLOWED = S1DSS[1:0] | S1CIR[3:2] |
 * S1COR[5:4] | S1CSH[7:6] | S1STALLD[27] | EATS[29:28]. A vSTE with V = 0 is
 * accepted; otherwise bits outside either mask, Config other than 0, 4, 5,
 * or EATS above 1 give EIO. */
static uint64_t bits(unsigned hi, unsigned lo)
{
	return (hi == 63 ? ~UINT64_C(0) : (UINT64_C(1) << (hi + 1)) - 1) & ~((UINT64_C(1) << lo) - 1);
}

static int model_accepts(uint64_t w0, uint64_t w1)
{
	uint64_t m0 = 1 | bits(3, 1) | bits(5, 4) | bits(51, 6) | bits(63, 59);
	uint64_t m1 = bits(1, 0) | bits(3, 2) | bits(5, 4) | bits(7, 6) | bits(27, 27) |
		      bits(29, 28);
	if (!(w0 & 1))
		return 1;
	if ((w0 & ~m0) || (w1 & ~m1))
		return 0;
	unsigned cfg = (unsigned)(w0 >> 1) & 7, eats = (unsigned)(w1 >> 28) & 3;
	return (cfg == 0 || cfg == 4 || cfg == 5) && eats <= 1;
}

static void vste_rec(uint64_t w0, uint64_t w1, struct pt_iommufd_rec *rec)
{
	uint8_t b[16];
	char err[128];
	pt_put_le64(b, 0, w0);
	pt_put_le64(b, 1, w1);
	assert_int_equal(pt_iommufd_from_bytes(PT_IOMMUFD_VSTE, b, 16, rec, err, sizeof err), 0);
}

static int verdict(uint64_t w0, uint64_t w1, struct pt_iommufd_verdict *v)
{
	struct pt_iommufd_ctx ctx;
	struct pt_iommufd_rec rec;
	pt_iommufd_ctx_init(&ctx, NULL);
	vste_rec(w0, w1, &rec);
	pt_iommufd_verdict(&ctx, &rec, v);
	if (!v->accepted) {
		assert_string_equal(v->err, "EIO");
		assert_non_null(v->rule);
	} else {
		assert_null(v->err);
	}
	assert_string_equal(v->since, "6.13");
	return v->accepted;
}

static const char *rule_of(uint64_t w0, uint64_t w1)
{
	struct pt_iommufd_verdict v;
	verdict(w0, w1, &v);
	return v.rule ? v.rule->id : "accepted";
}

#define S1 UINT64_C(0xb) /* V = 1, Config = 5 */

static void test_masks_are_the_kernels(void **state)
{
	(void)state;
	assert_true(PT_IOMMUFD_VSTE0_ALLOWED == UINT64_C(0xf80fffffffffffff));
	assert_true(PT_IOMMUFD_VSTE1_ALLOWED == UINT64_C(0x380000ff));
	assert_true(PT_IOMMUFD_VSTE0_ALLOWED == (1 | bits(3, 1) | bits(5, 4) | bits(51, 6) |
						 bits(63, 59)));
}

/* Every single bit of both words, on a valid stage-1 vSTE: inside the mask
 * accepted (EATS bit 29 alone is EATS = 2: rejected by the EATS rule),
 * outside rejected by the mask rule. */
static void test_each_bit(void **state)
{
	(void)state;
	unsigned rejected = 0;
	for (unsigned b = 1; b < 64; b++) {
		uint64_t w0 = S1 | (UINT64_C(1) << b);
		int in = (PT_IOMMUFD_VSTE0_ALLOWED >> b) & 1;
		struct pt_iommufd_verdict v;
		assert_int_equal(verdict(w0, 0, &v), model_accepts(w0, 0));
		if (!in)
			assert_string_equal(v.rule->id, "IOMMUFD-VSTE-BITS");
		rejected += !v.accepted;
	}
	/* bits 52..58 outside the mask, and bit 2 making Config 7 */
	assert_int_equal(rejected, 8);
	assert_string_equal(rule_of(S1 | UINT64_C(1) << 51, 0), "accepted");
	assert_string_equal(rule_of(S1 | UINT64_C(1) << 52, 0), "IOMMUFD-VSTE-BITS");
	assert_string_equal(rule_of(S1 | UINT64_C(1) << 58, 0), "IOMMUFD-VSTE-BITS");
	assert_string_equal(rule_of(S1 | UINT64_C(1) << 59, 0), "accepted");
	for (unsigned b = 0; b < 64; b++) {
		uint64_t w1 = UINT64_C(1) << b;
		int in = (PT_IOMMUFD_VSTE1_ALLOWED >> b) & 1;
		const char *want = !in ? "IOMMUFD-VSTE-BITS" : b == 29 ? "IOMMUFD-VSTE-EATS"
									: "accepted";
		assert_string_equal(rule_of(S1, w1), want);
	}
}

static void test_each_config(void **state)
{
	(void)state;
	static const char *const want[8] = { "accepted", "IOMMUFD-VSTE-CONFIG",
		"IOMMUFD-VSTE-CONFIG", "IOMMUFD-VSTE-CONFIG", "accepted", "accepted",
		"IOMMUFD-VSTE-CONFIG", "IOMMUFD-VSTE-CONFIG" };
	for (unsigned c = 0; c < 8; c++)
		assert_string_equal(rule_of(1 | (uint64_t)c << 1, 0), want[c]);
}

static void test_each_eats(void **state)
{
	(void)state;
	static const char *const want[4] = { "accepted", "accepted", "IOMMUFD-VSTE-EATS",
					     "IOMMUFD-VSTE-EATS" };
	for (unsigned e = 0; e < 4; e++) {
		assert_string_equal(rule_of(S1, (uint64_t)e << 28), want[e]);
		/* the same for bypass and abort vSTEs */
		assert_string_equal(rule_of(9, (uint64_t)e << 28), want[e]);
		assert_string_equal(rule_of(1, (uint64_t)e << 28), want[e]);
	}
}

/* V = 0: accepted whatever else is set (the kernel zeroes the vSTE). */
static void test_not_valid(void **state)
{
	(void)state;
	assert_string_equal(rule_of(0, 0), "accepted");
	assert_string_equal(rule_of(~UINT64_C(1), ~UINT64_C(0)), "accepted");
	assert_string_equal(rule_of(0xe, UINT64_C(3) << 28), "accepted");
	/* the first failing check names the verdict: masks before Config */
	assert_string_equal(rule_of(0xf | UINT64_C(1) << 52, 0), "IOMMUFD-VSTE-BITS");
	assert_string_equal(rule_of(0xf, UINT64_C(3) << 28), "IOMMUFD-VSTE-CONFIG");
}

static uint64_t rnd64(void)
{
	uint64_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 16 | (uint64_t)(rand() & 0xffff);
	return v;
}

/* 200000 random vSTEs, a quarter raw, the rest inside the masks with a
 * random Config and EATS: the library agrees with the model on each. */
static void test_random_against_model(void **state)
{
	(void)state;
	srand(1306);
	unsigned accepted = 0, rejected = 0;
	for (unsigned i = 0; i < 200000; i++) {
		uint64_t w0 = rnd64(), w1 = rnd64();
		if (i % 4) {
			w0 = (w0 & PT_IOMMUFD_VSTE0_ALLOWED) | 1;
			w1 &= PT_IOMMUFD_VSTE1_ALLOWED;
			if (i % 3 == 0)
				w0 &= ~bits(51, 48);
		}
		struct pt_iommufd_verdict v;
		int got = verdict(w0, w1, &v);
		if (got != model_accepts(w0, w1))
			fail_msg("vSTE 0x%016llx 0x%016llx: library %d, model %d",
				 (unsigned long long)w0, (unsigned long long)w1, got,
				 model_accepts(w0, w1));
		accepted += (unsigned)got;
		rejected += (unsigned)!got;
	}
	/* both outcomes were exercised in bulk */
	assert_true(accepted > 20000 && rejected > 20000);
}

/* ---- IOMMU_HWPT_INVALIDATE batches: 63 commands per issue ---- */

static void batch_for(uint64_t ncmds, int rejected, uint64_t k, struct pt_iommufd_batch *b)
{
	struct pt_iommufd_ctx ctx;
	pt_iommufd_ctx_init(&ctx, NULL);
	ctx.rejected = rejected;
	ctx.first_rejected = k;
	pt_iommufd_batch(&ctx, ncmds, b);
}

static void test_batch(void **state)
{
	(void)state;
	static const struct { uint64_t n, k, issued, dropped, not_reached; } cases[] = {
		{ 1, 0, 0, 0, 0 }, { 10, 0, 0, 0, 9 }, { 100, 1, 0, 1, 98 },
		{ 100, 62, 0, 62, 37 }, { 100, 63, 63, 0, 36 }, { 100, 64, 63, 1, 35 },
		{ 200, 125, 63, 62, 74 }, { 200, 126, 126, 0, 73 }, { 127, 126, 126, 0, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pt_iommufd_batch b;
		batch_for(cases[i].n, 1, cases[i].k, &b);
		assert_true(b.rejected);
		assert_int_equal(b.entry_num, cases[i].k);
		assert_int_equal(b.issued, cases[i].issued);
		assert_int_equal(b.dropped, cases[i].dropped);
		assert_int_equal(b.not_reached, cases[i].not_reached);
		assert_int_equal(b.issued + b.dropped + 1 + b.not_reached, cases[i].n);
	}
	struct pt_iommufd_batch b;
	/* an entry's tail not zero: the copy fails before any conversion */
	struct pt_iommufd_ctx ctx;
	pt_iommufd_ctx_init(&ctx, NULL);
	ctx.copy_failed = 1;
	ctx.rejected = 1;
	ctx.first_rejected = 70;
	pt_iommufd_batch(&ctx, 100, &b);
	assert_true(b.rejected);
	assert_string_equal(b.err, "E2BIG");
	assert_int_equal(b.entry_num, 0);
	assert_int_equal(b.issued, 0);
	assert_int_equal(b.not_reached, 100);
	batch_for(100, 1, 70, &b);
	assert_string_equal(b.err, "EIO");
	batch_for(300, 0, 0, &b);
	assert_false(b.rejected);
	assert_int_equal(b.entry_num, 300);
	assert_int_equal(b.issued, 300);
}


/* ---- invalidation commands: facts of arm_vsmmu_convert_user_cmd ----
 * Opcodes passed: CFGI_CD 0x05, CFGI_CD_ALL 0x06, TLBI_NH_ALL 0x10, NH_ASID
 * 0x11, NH_VA 0x12, NH_VAA 0x13, TLBI_NSNH_ALL 0x30, ATC_INV 0x40; every
 * other opcode is EIO. ATC_INV/CFGI_CD/CFGI_CD_ALL carry a vSID in bits
 * 63:32 of word 0: EIO when no vDEVICE has it. */
static int model_opcode_passes(unsigned op)
{
	static const unsigned ok[] = { 0x05, 0x06, 0x10, 0x11, 0x12, 0x13, 0x30, 0x40 };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == op)
			return 1;
	return 0;
}

static void cmd_verdict(const struct pt_iommufd_ctx *ctx, uint64_t w0, uint64_t w1,
			struct pt_iommufd_verdict *v)
{
	uint8_t b[16];
	char err[128];
	struct pt_iommufd_rec rec;
	pt_put_le64(b, 0, w0);
	pt_put_le64(b, 1, w1);
	assert_int_equal(pt_iommufd_from_bytes(PT_IOMMUFD_INVALIDATE, b, 16, &rec, err,
					       sizeof err), 0);
	pt_iommufd_verdict(ctx, &rec, v);
}

static void test_each_opcode(void **state)
{
	(void)state;
	struct pt_iommufd_ctx ctx;
	pt_iommufd_ctx_init(&ctx, NULL);
	unsigned passed = 0;
	for (unsigned op = 0; op < 256; op++) {
		struct pt_iommufd_verdict v;
		cmd_verdict(&ctx, op | UINT64_C(8) << 32, 0, &v);
		if (v.accepted != model_opcode_passes(op))
			fail_msg("opcode 0x%02x: library %d, model %d", op, v.accepted,
				 model_opcode_passes(op));
		assert_int_equal(pt_iommufd_cmd_forwarded(op), v.accepted);
		if (!v.accepted) {
			assert_string_equal(v.err, "EIO");
			assert_string_equal(v.rule->id, "IOMMUFD-INVAL-OPCODE");
		}
		assert_string_equal(v.since, "6.13");
		passed += (unsigned)v.accepted;
	}
	assert_int_equal(passed, 8);
}

static void test_vsid(void **state)
{
	(void)state;
	struct pt_iommufd_ctx ctx;
	struct pt_iommufd_verdict v;
	char err[128];
	static const unsigned with_sid[] = { 0x05, 0x06, 0x40 }, without[] = { 0x10, 0x11, 0x12,
									  0x13, 0x30 };
	pt_iommufd_ctx_init(&ctx, NULL);
	/* no --vdevice: nothing to check the vSID against */
	for (size_t i = 0; i < 3; i++) {
		cmd_verdict(&ctx, with_sid[i] | UINT64_C(9) << 32, 0, &v);
		assert_true(v.accepted);
	}
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "8=0x100", err, sizeof err), 0);
	for (size_t i = 0; i < 3; i++) {
		for (uint64_t vsid = 7; vsid <= 9; vsid++) {
			cmd_verdict(&ctx, with_sid[i] | vsid << 32, 0, &v);
			assert_int_equal(v.accepted, vsid == 8);
			if (vsid != 8) {
				assert_string_equal(v.rule->id, "IOMMUFD-INVAL-VSID");
				assert_string_equal(v.err, "EIO");
			}
		}
	}
	/* bits 63:32 of a TLBI are VMID/ASID, not a vSID */
	for (size_t i = 0; i < 5; i++) {
		cmd_verdict(&ctx, without[i] | UINT64_C(9) << 32, 0, &v);
		assert_true(v.accepted);
	}
}

static void issued(const struct pt_iommufd_ctx *ctx, uint64_t w0, uint64_t w1, uint64_t out[2])
{
	uint8_t b[16], o[16];
	pt_put_le64(b, 0, w0);
	pt_put_le64(b, 1, w1);
	pt_iommufd_cmd_issued(ctx, b, o);
	out[0] = pt_le64(o, 0);
	out[1] = pt_le64(o, 1);
}

static void test_issued(void **state)
{
	(void)state;
	struct pt_iommufd_ctx ctx;
	char err[128];
	uint64_t o[2];
	pt_iommufd_ctx_init(&ctx, NULL);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "8=0x100", err, sizeof err), 0);
	/* NSNH_ALL: only the NH_ALL opcode survives (VMID is the vSMMU's) */
	issued(&ctx, 0xffffffffffffff30, 0x1234, o);
	assert_true(o[0] == 0x10 && o[1] == 0);
	/* NH_VA: VMID (47:32) cleared, ASID and address kept */
	issued(&ctx, 0x0003000500000012, 0x7f0000000001, o);
	assert_true(o[0] == 0x0003000000000012 && o[1] == 0x7f0000000001);
	/* ATC_INV, CFGI_CD: vSID 8 becomes StreamID 0x100, the rest kept */
	issued(&ctx, 0x0000000800001a40, 0x34, o);
	assert_true(o[0] == 0x0000010000001a40 && o[1] == 0x34);
	issued(&ctx, 0x0000000800005005, 1, o);
	assert_true(o[0] == 0x0000010000005005 && o[1] == 1);
	/* an unknown vSID stays (the kernel would have refused it) */
	issued(&ctx, 0x0000000900000006, 0, o);
	assert_true(o[0] == 0x0000000900000006);
}


/* ---- vEVENTs: facts of arm_smmu_handle_event and iommufd_vevent_handler ----
 * Forwarded ids: 0x04 C_BAD_STE, 0x06 F_STREAM_DISABLED, 0x08
 * C_BAD_SUBSTREAMID, 0x0a C_BAD_CD, 0x10-0x13 F_TRANSLATION, F_ADDR_SIZE,
 * F_ACCESS, F_PERMISSION. Never forwarded: Stall (bit 31 of word 1) or S2
 * (bit 39 of word 1). Header: flags bit 0 LOST_EVENTS (no record follows),
 * sequence 0..INT_MAX, each event (lost ones too) takes the next number. */
static int model_event_forwarded(unsigned id)
{
	return id == 0x04 || id == 0x06 || id == 0x08 || id == 0x0a || (id >= 0x10 && id <= 0x13);
}

static void vevent_bytes(uint8_t b[40], uint32_t flags, uint32_t seq, uint64_t w0, uint64_t w1)
{
	memset(b, 0, 40);
	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(flags >> (8 * i));
		b[4 + i] = (uint8_t)(seq >> (8 * i));
	}
	pt_put_le64(b + 8, 0, w0);
	pt_put_le64(b + 8, 1, w1);
}

static int vevent_verdict(uint32_t flags, uint32_t seq, uint64_t w0, uint64_t w1,
			  struct pt_iommufd_verdict *v)
{
	uint8_t b[40];
	char err[128];
	struct pt_iommufd_ctx ctx;
	struct pt_iommufd_rec rec;
	vevent_bytes(b, flags, seq, w0, w1);
	pt_iommufd_ctx_init(&ctx, NULL);
	assert_int_equal(pt_iommufd_from_bytes(PT_IOMMUFD_VEVENT, b, flags & 1 ? 8 : 40, &rec, err,
					       sizeof err), 0);
	pt_iommufd_verdict(&ctx, &rec, v);
	assert_string_equal(v->since, "6.15");
	return v->accepted;
}

static void test_each_event_id(void **state)
{
	(void)state;
	unsigned passed = 0;
	for (unsigned id = 0; id < 256; id++) {
		struct pt_iommufd_verdict v;
		int got = vevent_verdict(0, id, id | UINT64_C(8) << 32, 0, &v);
		if (got != model_event_forwarded(id))
			fail_msg("event 0x%02x: library %d, model %d", id, got,
				 model_event_forwarded(id));
		assert_int_equal(pt_iommufd_evt_forwarded(id), got);
		if (!got) {
			assert_string_equal(v.rule->id, "IOMMUFD-VEVENT-ID");
			assert_string_equal(v.err, "EOPNOTSUPP");
		}
		passed += (unsigned)got;
	}
	assert_int_equal(passed, 8);
}

static void test_vevent_bits(void **state)
{
	(void)state;
	struct pt_iommufd_verdict v;
	/* Stall and S2 at the same bits of every forwarded record, each bit of
	 * word 1 around them harmless */
	for (unsigned id = 0; id < 256; id++) {
		if (!model_event_forwarded(id))
			continue;
		assert_false(vevent_verdict(0, 0, id, UINT64_C(1) << 31, &v));
		assert_string_equal(v.rule->id, "IOMMUFD-VEVENT-STALL");
		assert_false(vevent_verdict(0, 0, id, UINT64_C(1) << 39, &v));
		assert_string_equal(v.rule->id, "IOMMUFD-VEVENT-S2");
		assert_true(vevent_verdict(0, 0, id, UINT64_C(1) << 30 | UINT64_C(1) << 32 |
					   UINT64_C(1) << 38 | UINT64_C(1) << 40, &v));
	}
	/* the header: every flag bit but LOST_EVENTS, sequence bit 31 */
	for (unsigned bit = 1; bit < 32; bit++) {
		assert_false(vevent_verdict(UINT32_C(1) << bit, 0, 0x10, 0, &v));
		assert_string_equal(v.rule->id, "IOMMUFD-VEVENT-FLAGS");
	}
	assert_true(vevent_verdict(1, 0x7fffffff, 0, 0, &v));
	assert_true(vevent_verdict(0, 0x7fffffff, 0x10, 0, &v));
	assert_false(vevent_verdict(0, 0x80000000, 0x10, 0, &v));
	assert_string_equal(v.rule->id, "IOMMUFD-VEVENT-SEQ");
	assert_false(vevent_verdict(1, 0x80000000, 0, 0, &v));
}

/* A stream of headers: lost events counted from gaps and LOST headers,
 * INT_MAX followed by 0 is no gap. */
static uint64_t stream_lost(const uint32_t *seqs, size_t n, uint64_t *gaps)
{
	struct pt_iommufd_ctx ctx;
	struct pt_diag_sink d;
	pt_iommufd_ctx_init(&ctx, NULL);
	pt_diag_init(&d, "t", NULL);
	d.fold = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b[40];
		char err[128];
		struct pt_iommufd_rec rec;
		struct pt_iommufd_verdict v;
		int lost = (seqs[i] >> 31) != 0;  /* the test's marker: a LOST header */
		vevent_bytes(b, (uint32_t)lost, seqs[i] & 0x7fffffff, 0x10, 0);
		assert_int_equal(pt_iommufd_from_bytes(PT_IOMMUFD_VEVENT, b, lost ? 8 : 40, &rec,
						       err, sizeof err), 0);
		pt_iommufd_check(&ctx, &rec, &v, &d);
	}
	*gaps = 0;
	for (uint32_t i = 0; i < d.nitems; i++)
		*gaps += strcmp(d.items[i].rule->id, "IOMMUFD-VEVENT-GAP") == 0;
	pt_diag_free(&d);
	return ctx.lost_events;
}

static void test_vevent_sequence(void **state)
{
	(void)state;
	uint64_t gaps;
	const uint32_t in_order[] = { 0, 1, 2, 3 };
	assert_int_equal(stream_lost(in_order, 4, &gaps), 0);
	assert_int_equal(gaps, 0);
	const uint32_t wrap[] = { 0x7ffffffe, 0x7fffffff, 0, 1 };
	assert_int_equal(stream_lost(wrap, 4, &gaps), 0);
	assert_int_equal(gaps, 0);
	const uint32_t one_gap[] = { 5, 7 };
	assert_int_equal(stream_lost(one_gap, 2, &gaps), 1);
	assert_int_equal(gaps, 1);
	const uint32_t wrap_gap[] = { 0x7fffffff, 2 };
	assert_int_equal(stream_lost(wrap_gap, 2, &gaps), 2);
	/* LOST header: its sequence is the last event lost (3..9), then on */
	const uint32_t lost[] = { 0, 1, 2, 0x80000009, 10, 14 };
	assert_int_equal(stream_lost(lost, 6, &gaps), 7 + 3);
	assert_int_equal(gaps, 1);
}


/* ---- hw_info: the register model's fields, the kdoc's list, nesting ---- */

static void hw_info_findings(uint32_t idr[6], struct pt_diag_sink *d)
{
	uint8_t b[40] = { 0 };
	char err[128];
	struct pt_iommufd_rec rec;
	struct pt_iommufd_ctx ctx;
	struct pt_iommufd_verdict v;
	for (int i = 0; i < 6; i++)
		for (int k = 0; k < 4; k++)
			b[8 + 4 * i + k] = (uint8_t)(idr[i] >> (8 * k));
	assert_int_equal(pt_iommufd_from_bytes(PT_IOMMUFD_HW_INFO, b, 40, &rec, err, sizeof err), 0);
	pt_iommufd_ctx_init(&ctx, NULL);
	pt_diag_init(d, "t", NULL);
	d->fold = 0;
	pt_iommufd_check(&ctx, &rec, &v, d);
	assert_true(v.accepted);
}

static int has_rule(const struct pt_diag_sink *d, const char *id)
{
	for (uint32_t i = 0; i < d->nitems; i++)
		if (strcmp(d->items[i].rule->id, id) == 0)
			return 1;
	return 0;
}

static void test_hw_info_fields(void **state)
{
	(void)state;
	struct pt_diag_sink d;
	/* S1P (bit 1) and S2P (bit 0): nesting needs both */
	for (uint32_t s = 0; s < 4; s++) {
		uint32_t idr[6] = { s };
		hw_info_findings(idr, &d);
		assert_int_equal(has_rule(&d, "IOMMUFD-HWINFO-NESTING"), s != 3);
		pt_diag_free(&d);
	}
	/* the listed fields alone (ST_LEVEL 28:27, TERM_MODEL 26, STALL_MODEL
	 * 25:24, TTENDIAN 22:21, CD2L 19, ASID16 12, TTF 3:2; SIDSIZE 5:0,
	 * SSIDSIZE 10:6; BBML 12:11, RIL 10; VAX 11:10, GRAN64K 6, GRAN16K 5,
	 * GRAN4K 4) are not noted; any other field set is */
	uint32_t listed[6] = { 0x1f68100c, 0x7ff, 0, 0x1c00, 0, 0xc70 };
	hw_info_findings(listed, &d);
	assert_false(has_rule(&d, "IOMMUFD-HWINFO-UNLISTED"));
	pt_diag_free(&d);
	static const struct { int reg; uint32_t bit; } unlisted[] = {
		{ 0, 1u << 0 }, { 0, 1u << 1 }, { 0, 1u << 4 }, { 0, 1u << 13 }, { 0, 1u << 18 },
		{ 1, 1u << 11 }, { 1, 1u << 21 }, { 3, 1u << 2 }, { 3, 1u << 13 }, { 5, 1u << 0 },
		{ 5, 1u << 7 }, { 4, 1u << 0 }, { 2, 1u << 0 },
	};
	for (size_t i = 0; i < sizeof unlisted / sizeof unlisted[0]; i++) {
		uint32_t idr[6];
		memcpy(idr, listed, sizeof idr);
		idr[unlisted[i].reg] |= unlisted[i].bit;
		hw_info_findings(idr, &d);
		if (!has_rule(&d, "IOMMUFD-HWINFO-UNLISTED"))
			fail_msg("IDR%d bit 0x%x is not noted", unlisted[i].reg, unlisted[i].bit);
		pt_diag_free(&d);
	}
}

static void test_hw_info_regs(void **state)
{
	(void)state;
	uint8_t b[40];
	struct smmu_regs r;
	for (int i = 0; i < 40; i++)
		b[i] = (uint8_t)(0x11 * i);
	pt_iommufd_hw_info_regs(b, &r);
	for (int i = 0; i < 8; i++) {
		assert_true(smmu_regs_have(&r, (enum smmu_reg)(SMMU_IDR0 + i)));
		assert_int_equal(r.value[SMMU_IDR0 + i], pt_iommufd_hw_info_word(b, HWI_IDR0 + (unsigned)i));
	}
	assert_false(smmu_regs_have(&r, SMMU_CR0));
	assert_int_equal(r.value[SMMU_IDR0], 0xbbaa9988u);
	assert_int_equal(r.value[SMMU_AIDR], 0x97867564u);
}

/* ---- the nested STE ---- */

static const uint64_t s2[8] = { 0xd, UINT64_C(1) << 44 | UINT64_C(1) << 28,
				UINT64_C(0x044d359000000001), 0x43210000, 0, 0, 0, 0 };

static void nest(uint64_t w0, uint64_t w1, int ats, uint64_t out[8])
{
	uint8_t v[16], s[64], o[64];
	pt_put_le64(v, 0, w0);
	pt_put_le64(v, 1, w1);
	for (int i = 0; i < 8; i++)
		pt_put_le64(s, (size_t)i, s2[i]);
	pt_iommufd_nest(v, s, ats, o);
	for (int i = 0; i < 8; i++)
		out[i] = pt_le64(o, (size_t)i);
}

static void test_nest(void **state)
{
	(void)state;
	uint64_t o[8];
	/* stage 1: Config 7, vSTE word 0, S2 words 2-3 kept, MEV set, EATS from ATS */
	uint64_t w0 = 0x4000000b | (UINT64_C(4) << 59) , w1 = 0xd5 | (UINT64_C(1) << 28);
	nest(w0, w1, 1, o);
	assert_true(o[0] == ((w0 & ~UINT64_C(0xe)) | 0xe));
	assert_true(o[1] == (0xd5 | UINT64_C(1) << 44 | UINT64_C(1) << 19 | UINT64_C(1) << 28));
	assert_true(o[2] == s2[2] && o[3] == s2[3]);
	/* the device without ATS: EATS 0 even though the vSTE asked */
	nest(w0, w1, 0, o);
	assert_true(o[1] == (0xd5 | UINT64_C(1) << 44 | UINT64_C(1) << 19));
	/* bypass: the stage-2 STE, ATS off */
	nest(9, UINT64_C(1) << 28, 1, o);
	assert_true(o[0] == 0xd && o[1] == UINT64_C(1) << 44 && o[2] == s2[2]);
	/* abort and V = 0: an abort STE, nothing else */
	nest(1, 0, 1, o);
	assert_true(o[0] == 1 && o[1] == 0 && o[2] == 0 && o[3] == 0);
	nest(0xa, 0xff, 1, o);
	assert_true(o[0] == 1 && o[1] == 0 && o[2] == 0);
}

/* ---- build from JSON, decode's JSON back ---- */

static void roundtrip(enum pt_iommufd_type t, const uint8_t *bytes, size_t len)
{
	struct pt_iommufd_rec rec;
	struct pt_iommufd_verdict v;
	struct pt_iommufd_ctx ctx;
	char err[200];
	uint8_t out[64];
	size_t n;
	pt_iommufd_ctx_init(&ctx, NULL);
	assert_int_equal(pt_iommufd_from_bytes(t, bytes, len, &rec, err, sizeof err), 0);
	pt_iommufd_verdict(&ctx, &rec, &v);
	json_t *j = pt_iommufd_json(&rec, &v, 1);
	if (pt_iommufd_build(t, j, out, sizeof out, &n, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(n, len);
	assert_memory_equal(out, bytes, len);
	json_decref(j);
}

static void test_roundtrip(void **state)
{
	(void)state;
	srand(17);
	for (int i = 0; i < 2000; i++) {
		uint8_t b[40];
		for (size_t k = 0; k < sizeof b; k++)
			b[k] = (uint8_t)rand();
		roundtrip(PT_IOMMUFD_VSTE, b, 16);
		roundtrip(PT_IOMMUFD_HW_INFO, b, 40);
		roundtrip(PT_IOMMUFD_INVALIDATE, b, 16);
		b[0] = (uint8_t)(i % 256);  /* every opcode's layout, not just random ones */
		roundtrip(PT_IOMMUFD_INVALIDATE, b, 16);
		b[0] &= 1;  /* header flags: a record, or LOST_EVENTS alone */
		b[1] = b[2] = b[3] = 0;
		roundtrip(PT_IOMMUFD_VEVENT, b, b[0] ? 8 : 40);
	}
}

static void test_short_form(void **state)
{
	(void)state;
	char err[200];
	uint8_t out[64];
	size_t n;
	json_error_t je;
	json_t *j = json_loads("{\"s1contextptr\": \"0x40000000\", \"s1cdmax\": 4, "
			       "\"s1fmt\": \"2lvl-64k\"}", 0, &je);
	assert_int_equal(pt_iommufd_build(PT_IOMMUFD_VSTE, j, out, sizeof out, &n, err,
					  sizeof err), 0);
	assert_int_equal(n, 16);
	/* V, Config 5, S1Fmt 2, ptr, CDMax 4; S1CIR/S1COR wbra, S1CSH ish */
	assert_true(pt_le64(out, 0) == (0x4000002b | UINT64_C(4) << 59));
	assert_true(pt_le64(out, 1) == 0xd4);
	json_decref(j);
	j = json_loads("{\"s2vmid\": 1}", 0, &je);
	assert_int_equal(pt_iommufd_build(PT_IOMMUFD_VSTE, j, out, sizeof out, &n, err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "s2vmid"));
	json_decref(j);
	/* a command by its opcode's name, with or without CMD_, fields on its layout */
	j = json_loads("{\"asid\": 3, \"op\": \"tlbi_nh_asid\"}", 0, &je);
	assert_int_equal(pt_iommufd_build(PT_IOMMUFD_INVALIDATE, j, out, sizeof out, &n, err,
					  sizeof err), 0);
	assert_int_equal(n, 16);
	assert_true(pt_le64(out, 0) == (0x11 | UINT64_C(3) << 48) && pt_le64(out, 1) == 0);
	json_decref(j);
	j = json_loads("{\"op\": \"CMD_NOPE\"}", 0, &je);
	assert_int_equal(pt_iommufd_build(PT_IOMMUFD_INVALIDATE, j, out, sizeof out, &n, err,
					  sizeof err), -1);
	assert_non_null(strstr(err, "op"));
	json_decref(j);
	j = json_loads("{\"type\": \"vevent\"}", 0, &je);
	assert_int_equal(pt_iommufd_build(PT_IOMMUFD_VSTE, j, out, sizeof out, &n, err,
					  sizeof err), -1);
	json_decref(j);
}

/* ---- framing through the source: truncated and oversized inputs ---- */

static int frame_all(enum pt_iommufd_type t, const uint8_t *buf, size_t len, uint64_t *nrec)
{
	struct pt_source src;
	struct pt_diag_sink d;
	pt_source_init(&src, "t");
	pt_diag_init(&d, "t", NULL);
	int file = pt_source_add_buffer(&src, "t", buf, len);
	if (len)
		pt_source_add_range(&src, 0, len, (uint32_t)file, 0, len);
	pt_source_finish(&src, &d);
	uint64_t off = 0;
	int rc = 0;
	*nrec = 0;
	while (off < len) {
		struct pt_iommufd_rec rec;
		if (pt_iommufd_next(t, &src, off, len, *nrec, &rec, &d) != 0) {
			rc = -1;
			assert_int_equal(d.nitems, 1);
			assert_string_equal(d.items[0].rule->id, "IOMMUFD-TRUNCATED");
			break;
		}
		++*nrec;
		off += rec.size;
	}
	pt_diag_free(&d);
	pt_source_free(&src);
	return rc;
}

static void test_framing(void **state)
{
	(void)state;
	uint8_t buf[200];
	uint64_t n;
	memset(buf, 0, sizeof buf);
	assert_int_equal(frame_all(PT_IOMMUFD_VSTE, buf, 32, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(frame_all(PT_IOMMUFD_VSTE, buf, 31, &n), -1);
	assert_int_equal(n, 1);
	assert_int_equal(frame_all(PT_IOMMUFD_VSTE, buf, 33, &n), -1);
	assert_int_equal(frame_all(PT_IOMMUFD_HW_INFO, buf, 40, &n), 0);
	assert_int_equal(frame_all(PT_IOMMUFD_HW_INFO, buf, 39, &n), -1);
	assert_int_equal(frame_all(PT_IOMMUFD_HW_INFO, buf, 41, &n), -1);
	/* vEVENTs: header + record, a LOST_EVENTS header alone */
	assert_int_equal(frame_all(PT_IOMMUFD_VEVENT, buf, 80, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(frame_all(PT_IOMMUFD_VEVENT, buf, 79, &n), -1);
	assert_int_equal(frame_all(PT_IOMMUFD_VEVENT, buf, 7, &n), -1);
	buf[40] = 1;
	assert_int_equal(frame_all(PT_IOMMUFD_VEVENT, buf, 48, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(frame_all(PT_IOMMUFD_VEVENT, buf, 49, &n), -1);
	buf[40] = 0;
	assert_int_equal(frame_all(PT_IOMMUFD_INVALIDATE, buf, 32, &n), 0);
	assert_int_equal(frame_all(PT_IOMMUFD_INVALIDATE, buf, 17, &n), -1);
	assert_int_equal(frame_all(PT_IOMMUFD_VSTE, buf, 0, &n), 0);
	assert_int_equal(n, 0);
}

/* entry_len framing: zero-extended below 16, zero tails above */
static int frame_cmd(const uint8_t *buf, size_t len, uint32_t entry_len, int *tail_set,
		     uint64_t *w1)
{
	struct pt_source src;
	struct pt_diag_sink d;
	struct pt_iommufd_rec rec;
	pt_source_init(&src, "t");
	pt_diag_init(&d, "t", NULL);
	int file = pt_source_add_buffer(&src, "t", buf, len);
	pt_source_add_range(&src, 0, len, (uint32_t)file, 0, len);
	pt_source_finish(&src, &d);
	int rc = pt_iommufd_next_cmd(&src, 0, len, 0, entry_len, &rec, &d);
	if (rc == 0) {
		assert_int_equal(rec.size, entry_len);
		*tail_set = rec.tail_set;
		*w1 = pt_le64(rec.body, 1);
	}
	pt_diag_free(&d);
	pt_source_free(&src);
	return rc;
}

static void test_entry_len(void **state)
{
	(void)state;
	uint8_t buf[64];
	int tail;
	uint64_t w1;
	memset(buf, 0xee, sizeof buf);
	assert_int_equal(frame_cmd(buf, 64, 8, &tail, &w1), 0);
	assert_false(tail);
	assert_true(w1 == 0);
	assert_int_equal(frame_cmd(buf, 64, 16, &tail, &w1), 0);
	assert_false(tail);
	assert_int_equal(frame_cmd(buf, 64, 17, &tail, &w1), 0);
	assert_true(tail);
	memset(buf + 16, 0, 48);
	assert_int_equal(frame_cmd(buf, 64, 64, &tail, &w1), 0);
	assert_false(tail);
	buf[63] = 1;
	assert_int_equal(frame_cmd(buf, 64, 64, &tail, &w1), 0);
	assert_true(tail);
	assert_int_equal(frame_cmd(buf, 63, 64, &tail, &w1), -1);
}

static void test_vdevice(void **state)
{
	(void)state;
	struct pt_iommufd_ctx ctx;
	char err[128];
	uint32_t p;
	pt_iommufd_ctx_init(&ctx, NULL);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "8=0x100", err, sizeof err), 0);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "0xffffffff=1", err, sizeof err), 0);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "0x100000000=1", err, sizeof err), -1);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "8=9", err, sizeof err), -1);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "8", err, sizeof err), -1);
	assert_int_equal(pt_iommufd_add_vdevice(&ctx, "-1=2", err, sizeof err), -1);
	assert_int_equal(pt_iommufd_vsid_lookup(&ctx, 8, &p), 0);
	assert_int_equal(p, 0x100);
	assert_int_equal(pt_iommufd_vsid_lookup(&ctx, 9, &p), -1);
}

int main(void)
{
	pt_formats_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masks_are_the_kernels),
		cmocka_unit_test(test_each_bit),
		cmocka_unit_test(test_each_config),
		cmocka_unit_test(test_each_eats),
		cmocka_unit_test(test_not_valid),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_each_opcode),
		cmocka_unit_test(test_vsid),
		cmocka_unit_test(test_issued),
		cmocka_unit_test(test_each_event_id),
		cmocka_unit_test(test_vevent_bits),
		cmocka_unit_test(test_vevent_sequence),
		cmocka_unit_test(test_hw_info_fields),
		cmocka_unit_test(test_hw_info_regs),
		cmocka_unit_test(test_nest),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_short_form),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_vdevice),
		cmocka_unit_test(test_entry_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
