/* SPDX-License-Identifier: GPL-2.0-or-later */
/* validate --page-tables' set of address spaces and tables
 * (formats/smmuv3_ptcheck.c) past the sizes its hash tables start with:
 * 300 CDs with their own roots, each reached from two StreamIDs, sharing a
 * level-3 table, so that spaces, tables and referrers all grow; every
 * distinct table is read once and the --max-entries budget holds at both
 * sides of its boundary. Aliasing: a table at two levels, a table over
 * another structure's memory (one byte either side), RES0 bits, and a CD
 * the SMMU rejects whose tables are not walked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "smmuv3.h"
#include "smmuv3_ptcheck.h"

#define NCD 300u
#define BASE UINT64_C(0x100000000)
#define PAGE 4096u
/* Tables: NCD roots (level 1), NCD level-2 tables, one shared level 3. */
#define NTABLES (2 * NCD + 1)

struct world {
	uint8_t *mem;
	size_t size;
	struct pt_source src;
	struct smmu_caps *caps;
	uint8_t cd[NCD][SMMU_CD_SIZE];
};

static uint64_t table_addr(unsigned i)
{
	return BASE + (uint64_t)i * PAGE;
}

static void put(struct world *w, uint64_t addr, uint64_t v)
{
	for (int b = 0; b < 8; b++)
		w->mem[addr - BASE + (uint64_t)b] = (uint8_t)(v >> (8 * b));
}

static void make_world(struct world *w)
{
	char err[128];
	memset(w, 0, sizeof *w);
	w->size = (size_t)NTABLES * PAGE;
	w->mem = calloc(1, w->size);
	assert_non_null(w->mem);
	uint64_t l3 = table_addr(2 * NCD);
	/* One page mapped at IA 0 of every space. */
	put(w, l3, UINT64_C(0x80000000) | 0x403 | (1u << 10));
	for (unsigned i = 0; i < NCD; i++) {
		put(w, table_addr(i), table_addr(NCD + i) | 3);
		put(w, table_addr(NCD + i), l3 | 3);
		uint8_t *cd = w->cd[i];
		smmu_cd_format.entry_defaults(cd);
		pt_field_set(cd, &smmu_cd_fields[CD_T0SZ], 25);
		pt_field_set(cd, &smmu_cd_fields[CD_TTB0], table_addr(i));
		pt_field_set(cd, &smmu_cd_fields[CD_ASID], i + 1);
	}
	pt_source_init(&w->src, "ptcheck");
	assert_true(pt_source_add_buffer(&w->src, "ptcheck", w->mem, w->size) >= 0);
	assert_int_equal(pt_source_add_range(&w->src, BASE, w->size, 0, 0, w->size), 0);
	assert_int_equal(pt_source_finish(&w->src, NULL), 0);
	w->caps = smmu_caps_parse("generic", err, sizeof err);
	assert_non_null(w->caps);
}

static void free_world(struct world *w)
{
	pt_source_free(&w->src);
	smmu_caps_free(w->caps);
	free(w->mem);
}

static void fill(struct smmu_ptcheck *c, struct world *w)
{
	smmu_ptcheck_init(c, w->caps);
	for (unsigned i = 0; i < NCD; i++)
		smmu_ptcheck_add_cd(c, 1, i, 0, w->cd[i], 0);
	/* The same address spaces again from other StreamIDs: no new space. */
	for (unsigned i = 0; i < NCD; i++)
		smmu_ptcheck_add_cd(c, 1, 1000 + i, 0, w->cd[i], 0);
}

static void test_every_table_once(void **state)
{
	(void)state;
	struct world w;
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	make_world(&w);
	fill(&c, &w);
	assert_int_equal(c.n, NCD);
	pt_diag_init(&d, "ptcheck", NULL);
	smmu_ptcheck_run(&c, &w.src, &d, NULL);
	assert_int_equal(d.nitems, 0);
	assert_int_equal(c.spaces_walked, NCD);
	assert_int_equal(c.tables_read, NTABLES);
	assert_int_equal(c.descriptors, (uint64_t)NTABLES * 512);
	assert_int_equal(c.ntables, NTABLES);
	pt_diag_free(&d);
	smmu_ptcheck_free(&c);
	free_world(&w);
}

/* A finding names the first StreamID and the other one as "also". */
static void test_referrers(void **state)
{
	(void)state;
	struct world w;
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	make_world(&w);
	/* Space 7's level-2 table points past the memory held. */
	put(&w, table_addr(NCD + 7), table_addr(NTABLES) | 3);
	fill(&c, &w);
	pt_diag_init(&d, "ptcheck", NULL);
	d.fold = 0;
	smmu_ptcheck_run(&c, &w.src, &d, NULL);
	assert_int_equal(d.nitems, 1);
	assert_string_equal(d.items[0].rule->id, "TT-NOT-IN-DUMP");
	assert_int_equal(d.items[0].has_sid, 1);
	assert_int_equal(d.items[0].sid, 7);
	assert_int_equal(d.items[0].nalso, 1);
	assert_int_equal(d.items[0].also[0].first, 1007);
	assert_int_equal(d.items[0].also[0].last, 1007);
	pt_diag_free(&d);
	smmu_ptcheck_free(&c);
	free_world(&w);
}

static void budget_case(uint64_t max, int stops)
{
	struct world w;
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	struct pt_budget b = { max, 0, 0 };
	make_world(&w);
	fill(&c, &w);
	pt_diag_init(&d, "ptcheck", NULL);
	smmu_ptcheck_run(&c, &w.src, &d, &b);
	assert_int_equal(b.exhausted, stops);
	assert_int_equal(d.nitems, (uint32_t)stops);
	if (stops)
		assert_string_equal(d.items[0].rule->id, "TT-BUDGET");
	assert_true(b.used <= max);
	pt_diag_free(&d);
	smmu_ptcheck_free(&c);
	free_world(&w);
}

static void test_budget(void **state)
{
	(void)state;
	budget_case((uint64_t)NTABLES * 512, 0);
	budget_case((uint64_t)NTABLES * 512 - 1, 1);
}

/* Findings of one run over the world (one space per CD, first n CDs). */
static void run_world(struct world *w, unsigned n, struct pt_diag_sink *d,
		      void (*before)(struct smmu_ptcheck *c))
{
	struct smmu_ptcheck c;
	smmu_ptcheck_init(&c, w->caps);
	for (unsigned i = 0; i < n; i++)
		smmu_ptcheck_add_cd(&c, 1, i, 0, w->cd[i], 0);
	if (before)
		before(&c);
	pt_diag_init(d, "ptcheck", NULL);
	d->fold = 0;
	smmu_ptcheck_run(&c, &w->src, d, NULL);
	smmu_ptcheck_free(&c);
}

static unsigned count_rule(const struct pt_diag_sink *d, const char *id)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < d->nitems; i++)
		n += strcmp(d->items[i].rule->id, id) == 0;
	return n;
}

/* Space 1's level-2 table names space 0's level-2 table as its level 3:
 * that table is read at levels 2 and 3, and is reported once, at its
 * address, naming space 0's path. Space 1's level-1 table naming it is
 * sharing at one level. */
static void test_level_alias(void **state)
{
	(void)state;
	struct world w;
	struct pt_diag_sink d;
	make_world(&w);
	put(&w, table_addr(NCD + 1) + 8, table_addr(NCD + 0) | 3);
	run_world(&w, 2, &d, NULL);
	assert_int_equal(count_rule(&d, "TT-LEVEL-ALIAS"), 1);
	assert_int_equal(count_rule(&d, "TT-OVERLAP"), 0);
	const struct pt_diag *x = &d.items[0];
	assert_string_equal(x->rule->id, "TT-LEVEL-ALIAS");
	assert_int_equal(x->addr, table_addr(NCD + 0));
	assert_int_equal(x->sid, 1);
	assert_non_null(strstr(x->msg, "level-3 table"));
	assert_non_null(strstr(x->msg, "sid 0 ssid 0, stage 1 4K level 2"));
	pt_diag_free(&d);

	put(&w, table_addr(NCD + 1) + 8, 0);
	put(&w, table_addr(1) + 8, table_addr(NCD + 0) | 3);
	run_world(&w, 2, &d, NULL);
	assert_int_equal(d.nitems, 0);
	pt_diag_free(&d);
	free_world(&w);
}

static uint64_t span_lo, span_bytes;

static void reserve_span(struct smmu_ptcheck *c)
{
	smmu_ptcheck_reserve(c, span_lo, span_bytes, "a CD table");
}

static unsigned overlaps_with(struct world *w, uint64_t lo, uint64_t bytes)
{
	struct pt_diag_sink d;
	span_lo = lo;
	span_bytes = bytes;
	run_world(w, 1, &d, reserve_span);
	unsigned n = count_rule(&d, "TT-OVERLAP");
	if (n)
		assert_int_equal(d.items[0].addr, table_addr(NCD + 0));
	pt_diag_free(&d);
	return n;
}

/* Another structure's memory up to the byte before a table, from the byte
 * after it, or over its last or first byte. */
static void test_overlap_span(void **state)
{
	(void)state;
	struct world w;
	make_world(&w);
	uint64_t t = table_addr(NCD + 0);
	assert_int_equal(overlaps_with(&w, t - 0x40, 0x40), 0);
	assert_int_equal(overlaps_with(&w, t - 0x40, 0x41), 1);
	assert_int_equal(overlaps_with(&w, t + PAGE, 0x40), 0);
	assert_int_equal(overlaps_with(&w, t + PAGE - 1, 0x40), 1);
	free_world(&w);
}

/* Space 1 starts with a 2-entry level-1 table (T0SZ 33): laid over the
 * last 16 bytes of space 0's level-2 table it is TT-OVERLAP; ending where
 * that table starts it is nothing; at the same address, TT-LEVEL-ALIAS, and
 * once more for the level-3 table its entry 0 then names at level 2. */
static void other_level_case(struct world *w, uint64_t root, unsigned overlap, unsigned alias)
{
	struct pt_diag_sink d;
	pt_field_set(w->cd[1], &smmu_cd_fields[CD_T0SZ], 33);
	pt_field_set(w->cd[1], &smmu_cd_fields[CD_TTB0], root);
	run_world(w, 2, &d, NULL);
	assert_int_equal(count_rule(&d, "TT-OVERLAP"), overlap);
	assert_int_equal(count_rule(&d, "TT-LEVEL-ALIAS"), alias);
	pt_diag_free(&d);
}

static void test_overlap_other_level(void **state)
{
	(void)state;
	struct world w;
	make_world(&w);
	uint64_t t = table_addr(NCD + 0);
	other_level_case(&w, t + PAGE - 16, 1, 0);
	other_level_case(&w, t - 16, 0, 0);
	other_level_case(&w, t, 0, 2);
	free_world(&w);
}

/* A page descriptor with bit 48 set (RES0 without DS) is TT-RES0, once
 * however many spaces share its table; bit 51 (DBM) is a field. */
static void test_res0(void **state)
{
	(void)state;
	struct world w;
	struct pt_diag_sink d;
	make_world(&w);
	uint64_t l3 = table_addr(2 * NCD);
	put(&w, l3, UINT64_C(0x80000000) | 0x403 | (UINT64_C(1) << 48));
	run_world(&w, 3, &d, NULL);
	assert_int_equal(d.nitems, 1);
	assert_string_equal(d.items[0].rule->id, "TT-RES0");
	assert_int_equal(d.items[0].addr, l3);
	pt_diag_free(&d);
	put(&w, l3, UINT64_C(0x80000000) | 0x403 | (UINT64_C(1) << 51));
	run_world(&w, 3, &d, NULL);
	assert_int_equal(d.nitems, 0);
	pt_diag_free(&d);
	free_world(&w);
}

/* A CD with T0SZ outside the granule's range is rejected (C_BAD_CD): its
 * tables join nothing and TT-NOT-WALKED names the CD rule; T0SZ 39, the
 * edge of the range, is walked. */
static void test_not_walked(void **state)
{
	(void)state;
	struct world w;
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	make_world(&w);
	struct pt_table_cfg cfg = { &smmu_cd_format, &smmu_cd_format.layouts[0], 0x1000, 0 };
	for (unsigned t0sz = 39; t0sz <= 40; t0sz++) {
		pt_field_set(w.cd[0], &smmu_cd_fields[CD_T0SZ], t0sz);
		smmu_ptcheck_init(&c, w.caps);
		pt_diag_init(&d, "ptcheck", NULL);
		smmu_ptcheck_add_cd_checked(&c, &d, 1, 0, 0, 0x1000, w.cd[0], &cfg, 0);
		assert_int_equal(c.n, t0sz == 39 ? 1 : 0);
		assert_int_equal(c.not_walked, t0sz == 39 ? 0 : 1);
		assert_int_equal(count_rule(&d, "TT-NOT-WALKED"), t0sz == 39 ? 0 : 1);
		if (t0sz == 40)
			assert_non_null(strstr(d.items[0].msg, "CD-T0SZ-RANGE"));
		pt_diag_free(&d);
		smmu_ptcheck_free(&c);
	}
	free_world(&w);
}

/* A stage-2-only STE with S2T0SZ 40 (4K, start level 2) is rejected
 * (C_BAD_STE): not walked, TT-NOT-WALKED names the STE rule; 39 is walked. */
static void test_ste_not_walked(void **state)
{
	(void)state;
	struct world w;
	struct smmu_ptcheck c;
	struct pt_diag_sink d;
	make_world(&w);
	struct pt_table_cfg cfg = { &smmu_strtab_format, &smmu_strtab_format.layouts[0],
				    0x1000, 4 };
	uint8_t ste[SMMU_STE_SIZE];
	for (unsigned t0sz = 39; t0sz <= 40; t0sz++) {
		memset(ste, 0, sizeof ste);  /* entry_defaults sets fields, not the rest */
		smmu_strtab_format.entry_defaults(ste);
		pt_field_set(ste, &smmu_ste_fields[STE_V], 1);
		pt_field_set(ste, &smmu_ste_fields[STE_CONFIG], 6);
		pt_field_set(ste, &smmu_ste_fields[STE_S2AA64], 1);
		pt_field_set(ste, &smmu_ste_fields[STE_S2PS], 2);
		pt_field_set(ste, &smmu_ste_fields[STE_S2SL0], 0);
		pt_field_set(ste, &smmu_ste_fields[STE_S2T0SZ], t0sz);
		pt_field_set(ste, &smmu_ste_fields[STE_S2TTB], table_addr(NCD + 0));
		smmu_ptcheck_init(&c, w.caps);
		pt_diag_init(&d, "ptcheck", NULL);
		smmu_ptcheck_add_ste_checked(&c, &d, 3, 0x1000 + 3 * SMMU_STE_SIZE, ste, &cfg);
		assert_int_equal(c.n, t0sz == 39 ? 1 : 0);
		assert_int_equal(c.not_walked, t0sz == 39 ? 0 : 1);
		assert_int_equal(count_rule(&d, "TT-NOT-WALKED"), t0sz == 39 ? 0 : 1);
		if (t0sz == 40)
			assert_non_null(strstr(d.items[0].msg, "STE-S2T0SZ-RANGE"));
		pt_diag_free(&d);
		smmu_ptcheck_free(&c);
	}
	free_world(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table_once),
		cmocka_unit_test(test_referrers),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_level_alias),
		cmocka_unit_test(test_overlap_span),
		cmocka_unit_test(test_overlap_other_level),
		cmocka_unit_test(test_res0),
		cmocka_unit_test(test_not_walked),
		cmocka_unit_test(test_ste_not_walked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
