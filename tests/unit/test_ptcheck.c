/* SPDX-License-Identifier: GPL-2.0-or-later */
/* validate --page-tables' set of address spaces and tables
 * (formats/smmuv3_ptcheck.c) past the sizes its hash tables start with:
 * 300 CDs with their own roots, each reached from two StreamIDs, sharing a
 * level-3 table, so that spaces, tables and referrers all grow; every
 * distinct table is read once and the --max-entries budget holds at both
 * sides of its boundary. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table_once),
		cmocka_unit_test(test_referrers),
		cmocka_unit_test(test_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
