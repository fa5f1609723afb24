/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Resolution (formats/smmuv3_resolve.c) and the table set (core/tableset.c):
 * a (StreamID, SubstreamID) reaches the STE, CD and regime the architecture
 * says, or the event IHI 0070 §7.3 names, at each boundary; a table reached
 * several times is one table that remembers every referrer; overlapping
 * tables are marked at the exact byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "formats.h"
#include "smmuv3.h"
#include "smmuv3_resolve.h"
#include "source.h"
#include "tableset.h"

#define BASE UINT64_C(0x100000)
#define SIZE 0x20000u
#define STRTAB BASE               /* linear, 4 SID bits: 16 STEs */
#define CDTAB (BASE + 0x1000)     /* linear, 4 CDs */
#define SID_BITS 4u

struct mem {
	uint8_t b[SIZE];
	struct pt_source src;
	struct pt_diag_sink diags;
	struct pt_table_cfg strtab;
	struct smmu_caps *caps;
};

static uint8_t *at(struct mem *m, uint64_t addr)
{
	return m->b + (addr - BASE);
}

static void ste_set(struct mem *m, uint32_t sid, enum smmu_ste_field_id id, uint64_t v)
{
	pt_field_set(at(m, STRTAB + sid * SMMU_STE_SIZE), &smmu_ste_fields[id], v);
}

/* A stage-1 STE as Linux writes one for a PASID-capable device. */
static void s1_ste(struct mem *m, uint32_t sid, uint64_t cdtab, unsigned cdmax, unsigned s1dss)
{
	ste_set(m, sid, STE_V, 1);
	ste_set(m, sid, STE_CONFIG, SMMU_STE_S1);
	ste_set(m, sid, STE_S1FMT, 0);
	ste_set(m, sid, STE_S1CONTEXTPTR, cdtab);
	ste_set(m, sid, STE_S1CDMAX, cdmax);
	ste_set(m, sid, STE_S1DSS, s1dss);
	ste_set(m, sid, STE_S1CIR, 1);
	ste_set(m, sid, STE_S1COR, 1);
	ste_set(m, sid, STE_S1CSH, 3);
}

static void valid_cd(struct mem *m, uint64_t cdtab, uint32_t ssid)
{
	uint8_t *cd = at(m, cdtab + ssid * SMMU_CD_SIZE);
	smmu_cd_format.entry_defaults(cd);
	pt_field_set(cd, &smmu_cd_fields[CD_ASID], 1 + ssid);
	pt_field_set(cd, &smmu_cd_fields[CD_TTB0], 0x200000 + ssid * 0x1000);
}

static int setup(void **state)
{
	pt_formats_init();
	struct mem *m = calloc(1, sizeof *m);
	assert_non_null(m);
	pt_diag_init(&m->diags, "mem", NULL);
	pt_source_init(&m->src, "mem");
	int f = pt_source_add_buffer(&m->src, "mem", m->b, SIZE);
	pt_source_add_range(&m->src, BASE, SIZE, (uint32_t)f, 0, SIZE);
	assert_int_equal(pt_source_finish(&m->src, &m->diags), 0);
	m->strtab.fmt = &smmu_strtab_format;
	m->strtab.layout = &smmu_strtab_format.layouts[SMMU_STRTAB_LINEAR];
	m->strtab.base = STRTAB;
	m->strtab.ssid_bits = SID_BITS;
	char err[128];
	m->caps = smmu_caps_parse("generic", err, sizeof err);
	assert_non_null(m->caps);
	/* sid 1: 4 CDs (S1CDMax 2), S1DSS = SSID0; CDs 0-3 valid but for 2. */
	s1_ste(m, 1, CDTAB, 2, 2);
	for (uint32_t i = 0; i < 4; i++)
		if (i != 2)
			valid_cd(m, CDTAB, i);
	*state = m;
	return 0;
}

static int teardown(void **state)
{
	struct mem *m = *state;
	smmu_caps_free(m->caps);
	pt_source_free(&m->src);
	pt_diag_free(&m->diags);
	free(m);
	return 0;
}

static void resolve(struct mem *m, uint32_t sid, int has_ssid, uint32_t ssid,
		    struct smmu_resolution *r)
{
	assert_int_equal(smmu_resolve(&m->src, &m->strtab, m->caps, sid, has_ssid, ssid, r), 0);
}

static void expect_event(struct mem *m, uint32_t sid, int has_ssid, uint32_t ssid, unsigned ev)
{
	struct smmu_resolution r;
	resolve(m, sid, has_ssid, ssid, &r);
	if (r.outcome != SMMU_TERMINATED || r.event != ev)
		fail_msg("sid %u ssid %u: outcome %d event %s (%s), expected %s", sid, ssid,
			 r.outcome, smmu_event_name(r.event) ? smmu_event_name(r.event) : "none",
			 r.reason, smmu_event_name(ev));
}

static void test_stage1_cd(void **state)
{
	struct mem *m = *state;
	struct smmu_resolution r;
	resolve(m, 1, 1, 3, &r);
	if (r.outcome != SMMU_RESOLVED)
		fail_msg("sid 1 ssid 3: %s", r.reason);
	assert_true(r.s1);
	assert_false(r.s2);
	assert_true(r.have_ste && r.have_cd && r.have_cd_table);
	assert_int_equal(r.ste_addr, STRTAB + SMMU_STE_SIZE);
	assert_int_equal(r.cd_table.base, CDTAB);
	assert_int_equal(r.cd_table.ssid_bits, 2);
	assert_int_equal(r.cd_index, 3);
	assert_int_equal(r.cd_addr, CDTAB + 3 * SMMU_CD_SIZE);
	assert_int_equal(smmu_cd(r.cd, CD_ASID), 4);
	/* Without a SubstreamID, S1DSS = SSID0 uses CD 0. */
	resolve(m, 1, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_RESOLVED);
	assert_int_equal(r.cd_index, 0);
	assert_int_equal(r.cd_addr, CDTAB);
}

/* SSID 3 is the last of 2^2: 4 is C_BAD_SUBSTREAMID; SSID 0 with S1DSS =
 * SSID0 is F_STREAM_DISABLED (IHI 0070 §7.3.7, §7.3.9). */
static void test_substream_bounds(void **state)
{
	struct mem *m = *state;
	expect_event(m, 1, 1, 4, SMMU_EVT_C_BAD_SUBSTREAMID);
	expect_event(m, 1, 1, 0, SMMU_EVT_F_STREAM_DISABLED);
	expect_event(m, 1, 1, 2, SMMU_EVT_C_BAD_CD);
	struct smmu_resolution r;
	resolve(m, 1, 1, 2, &r);
	assert_string_equal(r.rule, "CD-NOT-VALID");
	assert_int_equal(r.addr, CDTAB + 2 * SMMU_CD_SIZE);
	/* A stream without substreams takes no SubstreamID. */
	s1_ste(m, 2, CDTAB, 0, 0);
	expect_event(m, 2, 1, 1, SMMU_EVT_C_BAD_SUBSTREAMID);
	resolve(m, 2, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_RESOLVED);
	assert_int_equal(r.cd_addr, CDTAB);
}

static void test_s1dss(void **state)
{
	struct mem *m = *state;
	struct smmu_resolution r;
	s1_ste(m, 3, CDTAB, 2, 0);
	expect_event(m, 3, 0, 0, SMMU_EVT_F_STREAM_DISABLED);
	ste_set(m, 3, STE_S1DSS, 3);
	expect_event(m, 3, 0, 0, SMMU_EVT_F_STREAM_DISABLED);
	ste_set(m, 3, STE_S1DSS, 1);
	resolve(m, 3, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_RESOLVED);
	assert_false(r.s1);
	assert_false(r.have_cd);
	/* With a SubstreamID S1DSS does not apply. */
	resolve(m, 3, 1, 1, &r);
	assert_int_equal(r.outcome, SMMU_RESOLVED);
	assert_true(r.s1);
}

/* SID 15 is the last of 2^4: 16 is C_BAD_STREAMID; an invalid STE is C_BAD_STE. */
static void test_stream_bounds(void **state)
{
	struct mem *m = *state;
	expect_event(m, 15, 0, 0, SMMU_EVT_C_BAD_STE);
	expect_event(m, 16, 0, 0, SMMU_EVT_C_BAD_STREAMID);
	struct smmu_resolution r;
	resolve(m, 15, 0, 0, &r);
	assert_true(r.have_ste);
	assert_string_equal(r.rule, "STE-NOT-VALID");
	assert_int_equal(r.ste_addr, STRTAB + 15 * SMMU_STE_SIZE);
}

static void test_config(void **state)
{
	struct mem *m = *state;
	struct smmu_resolution r;
	ste_set(m, 4, STE_V, 1);
	resolve(m, 4, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_ABORTED);
	ste_set(m, 4, STE_CONFIG, SMMU_STE_BYPASS);
	resolve(m, 4, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_RESOLVED);
	assert_false(r.s1 || r.s2);
	expect_event(m, 4, 1, 1, SMMU_EVT_C_BAD_SUBSTREAMID);
}

/* A CD table outside the input: the dump ends there, not an SMMU event. */
static void test_not_in_input(void **state)
{
	struct mem *m = *state;
	struct smmu_resolution r;
	s1_ste(m, 5, UINT64_C(0x40000000), 0, 0);
	resolve(m, 5, 0, 0, &r);
	assert_int_equal(r.outcome, SMMU_NOT_IN_INPUT);
	assert_int_equal(r.event, SMMU_EVT_NONE);
	assert_true(r.have_cd_table);
	assert_false(r.have_cd);
}

/* ---- the table set ---- */

static struct pt_table_cfg cd_cfg(uint64_t base, unsigned bits)
{
	struct pt_table_cfg c;
	memset(&c, 0, sizeof c);
	c.fmt = &smmu_cd_format;
	c.layout = &smmu_cd_format.layouts[SMMU_LAYOUT_LINEAR];
	c.base = base;
	c.ssid_bits = bits;
	return c;
}

static void test_tset_sharers(void **state)
{
	(void)state;
	struct pt_tset ts;
	struct pt_tset_table *t, *t2;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg c = cd_cfg(0x1000, 2);
	assert_int_equal(pt_tset_add(&ts, &c, 3, &t), PT_TSET_NEW);
	assert_int_equal(pt_tset_add(&ts, &c, 4, &t2), PT_TSET_SHARED);
	assert_ptr_equal(t, t2);
	pt_tset_add(&ts, &c, 5, &t2);
	pt_tset_add(&ts, &c, 9, &t2);
	/* Another size at the same base is another table. */
	struct pt_table_cfg d = cd_cfg(0x1000, 3);
	assert_int_equal(pt_tset_add(&ts, &d, 6, &t2), PT_TSET_NEW);
	assert_int_equal(ts.n, 2);
	t = &ts.v[0];
	assert_int_equal(t->nrefs, 4);
	assert_int_equal(t->nranges, 2);
	assert_int_equal(t->refs[0].first, 3);
	assert_int_equal(t->refs[0].last, 5);
	assert_int_equal(t->refs[1].first, 9);
	uint32_t ref;
	assert_int_equal(pt_tset_ref_at(t, 3, &ref), 0);
	assert_int_equal(ref, 9);
	assert_int_equal(pt_tset_ref_at(t, 4, &ref), -1);
	/* A finding in sid 4's context names 3, 5 and 9. */
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "x", NULL);
	pt_tset_diag_begin(&ts, t, 4, &sink);
	assert_int_equal(sink.ctx_sid, 4);
	assert_int_equal(sink.ctx_nalso, 3);
	assert_int_equal(sink.ctx_also[0].first, 3);
	assert_int_equal(sink.ctx_also[0].last, 3);
	assert_int_equal(sink.ctx_also[1].first, 5);
	assert_int_equal(sink.ctx_also[2].first, 9);
	pt_diag_report(&sink, &pt_core_rule_list[PT_R_TABLE_UNMAPPED], 1, 0x1000, PT_SCOPE_NONE,
		       0, NULL, "m");
	pt_tset_diag_end(&sink);
	assert_int_equal(sink.nitems, 1);
	assert_int_equal(sink.items[0].nalso, 3);
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	pt_diag_print(&sink, &sink.items[0], f);
	fclose(f);
	assert_non_null(strstr(txt, "sid 4 (and sid 3, 5, 9): m"));
	free(txt);
	pt_diag_free(&sink);
	pt_tset_free(&ts);
}

/* Ranges past PT_TSET_RANGES are counted, not listed. */
static void test_tset_many_sharers(void **state)
{
	(void)state;
	struct pt_tset ts;
	struct pt_tset_table *t;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg c = cd_cfg(0x1000, 0);
	for (uint32_t i = 0; i < 2 * (PT_TSET_RANGES + 4); i += 2)
		pt_tset_add(&ts, &c, i, &t);
	assert_int_equal(t->nranges, PT_TSET_RANGES);
	assert_int_equal(t->unlisted, 4);
	assert_int_equal(t->nrefs, PT_TSET_RANGES + 4);
	pt_tset_free(&ts);
}

static void test_tset_contexts(void **state)
{
	(void)state;
	struct pt_tset ts;
	struct pt_tset_table *t;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg c = cd_cfg(0x1000, 0);
	pt_tset_add(&ts, &c, 1, &t);
	c.vendor[0] = 7;
	pt_tset_add(&ts, &c, 2, &t);
	pt_tset_add(&ts, &c, 3, &t);
	assert_int_equal(ts.n, 1);
	assert_int_equal(t->nctx, 1);
	assert_int_equal(t->ctx[0], 7);
	assert_int_equal(t->ctx_ref[0], 2);
	pt_tset_free(&ts);
}

/* A 4-CD table (256 bytes) at 0x1000: a table starting at 0x10ff overlaps
 * it, one at 0x1100 does not; a reserved span wins over any table. */
static void test_tset_overlap(void **state)
{
	(void)state;
	struct pt_tset ts;
	struct pt_tset_table *t;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg a = cd_cfg(0x1000, 2), b = cd_cfg(0x1100, 0), c = cd_cfg(0x10c0, 0);
	pt_tset_add(&ts, &a, 0, &t);
	pt_tset_add(&ts, &b, 1, &t);
	pt_tset_settle(&ts);
	assert_false(ts.v[0].overlaps);
	assert_false(ts.v[1].overlaps);
	pt_tset_add(&ts, &c, 2, &t);
	pt_tset_settle(&ts);
	assert_true(ts.v[2].overlaps);
	assert_int_equal(ts.v[2].overlap_addr, 0x1000);
	assert_int_equal(ts.v[2].overlap_ref, 0);
	assert_false(ts.v[0].overlaps);
	pt_tset_free(&ts);

	pt_tset_init(&ts, "sid");
	pt_tset_add(&ts, &a, 0, &t);
	pt_tset_reserve(&ts, 0x1100, 64, "the stream table");
	pt_tset_settle(&ts);
	assert_false(ts.v[0].overlaps);
	pt_tset_reserve(&ts, 0x10ff, 1, "the stream table");
	pt_tset_settle(&ts);
	assert_true(ts.v[0].overlaps);
	assert_string_equal(ts.v[0].overlap_what, "the stream table");
	pt_tset_free(&ts);
}

struct walked {
	uint32_t n;
	uint64_t base[8];
	int again[8];
};

static int record(void *user, const struct pt_tset_table *t, const struct pt_table_cfg *cfg,
		  int again)
{
	struct walked *w = user;
	(void)t;
	if (w->n < 8) {
		w->base[w->n] = cfg->base;
		w->again[w->n++] = again;
	}
	return 0;
}

/* Each table once in the order reached, overlapping ones reported, then
 * the other contexts. */
static void test_tset_walk_all(void **state)
{
	(void)state;
	struct pt_tset ts;
	struct pt_tset_table *t;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg a = cd_cfg(0x2000, 0), b = cd_cfg(0x1000, 2), c = cd_cfg(0x1040, 0);
	pt_tset_add(&ts, &a, 0, &t);
	pt_tset_add(&ts, &b, 1, &t);
	pt_tset_add(&ts, &c, 2, &t);
	a.vendor[0] = 5;
	pt_tset_add(&ts, &a, 3, &t);
	pt_tset_settle(&ts);
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "x", NULL);
	struct walked w = { 0, { 0 }, { 0 } };
	pt_tset_walk_all(&ts, &sink, 1, record, &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.base[0], 0x2000);
	assert_int_equal(w.base[1], 0x1000);
	assert_int_equal(w.base[2], 0x2000);
	assert_int_equal(w.again[2], 1);
	assert_int_equal(sink.nitems, 1);
	assert_string_equal(sink.items[0].rule->id, "TABLE-OVERLAP");
	assert_int_equal(sink.items[0].sid, 2);
	pt_diag_free(&sink);
	pt_tset_free(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stage1_cd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_substream_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_s1dss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_in_input, setup, teardown),
		cmocka_unit_test(test_tset_sharers),
		cmocka_unit_test(test_tset_many_sharers),
		cmocka_unit_test(test_tset_contexts),
		cmocka_unit_test(test_tset_overlap),
		cmocka_unit_test(test_tset_walk_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
