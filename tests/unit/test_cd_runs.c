/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CD checks a run at a time (smmu_cd_check_entries, used when a walk has
 * no per-entry callback) against the same checks one CD at a time (a walk
 * with an on_entry): generated tables whose CDs repeat a configuration,
 * change it, put ASIDs and TTB0s on both sides of every limit the run loop
 * compares with a mask, reuse ASIDs, and leave CDs invalid. The findings,
 * their order and text, and the walk's counts must be the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rule_harness.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int visit_each(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	(void)w, (void)ssid, (void)addr, (void)raw;
	return 0;
}

static const struct pt_walk_ops each_ops = { NULL, NULL, visit_each, NULL };

/* TTB0 values on both sides of the limits values_clean checks: the output
 * size (40, 44, 48 bits), 2^48 without DS, bit 51 (QEMU before 11.0), bits
 * above 51 (RES0 for VMSAv8-64), the start-table alignment. */
static const uint64_t ttb_edges[] = {
	UINT64_C(1) << 40, (UINT64_C(1) << 40) - 0x1000, UINT64_C(1) << 44,
	(UINT64_C(1) << 44) - 0x1000, UINT64_C(1) << 48, (UINT64_C(1) << 48) - 0x1000,
	UINT64_C(1) << 51, UINT64_C(1) << 52, UINT64_C(1) << 55, 0x200040, 0x200010,
	0x200ff0, 0x201000, 0,
};

/* ASIDs on both sides of 8 bits. */
static const uint64_t asid_edges[] = { 0xff, 0x100, 0xffff, 0x8000, 0, 1 };

/* The output size of the CDs: one the caps under test accept. */
static unsigned cd_ips = 5;

static void clean_cd(uint8_t *cd, uint64_t asid, int config)
{
	memset(cd, 0, SMMU_CD_SIZE);
	smmu_cd_format.entry_defaults(cd);
	h_set(cd, CD_IPS, cd_ips);
	if (config == 1) {
		/* Another clean configuration: the 64K granule. */
		h_set(cd, CD_TG0, 1);
		h_set(cd, CD_T0SZ, 25);
	} else if (config == 2) {
		/* No walk through TTB0 (its value is still judged): TTB1's. */
		h_set(cd, CD_EPD0, 1);
		h_set(cd, CD_EPD1, 0);
		h_set(cd, CD_T1SZ, 16);
		h_set(cd, CD_TG1, 2);
		h_set(cd, CD_TTB1, 0x20000);
	}
	h_set(cd, CD_ASID, asid);
	h_set(cd, CD_TTB0, UINT64_C(0x10000000) + (asid << 16));
}

static void fill_cd(uint8_t *table, uint32_t i, int *config)
{
	uint8_t *cd = table + (uint64_t)i * SMMU_CD_SIZE;
	uint64_t r = rnd();
	uint64_t asid = (r >> 8) % 24;
	switch (r % 24) {
	case 0:
		memset(cd, 0, SMMU_CD_SIZE);
		return;
	case 1: /* invalid, not zero */
		clean_cd(cd, asid, *config);
		h_set(cd, CD_V, 0);
		return;
	case 2: /* one or two bits flipped anywhere */
	case 3:
		clean_cd(cd, asid, *config);
		for (uint64_t k = 0; k <= (r >> 20) % 2; k++) {
			uint64_t bit = rnd() % (SMMU_CD_SIZE * 8);
			cd[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
		return;
	case 4:
	case 5:
		clean_cd(cd, asid, *config);
		h_set(cd, CD_TTB0, ttb_edges[(r >> 16) % (sizeof ttb_edges / sizeof ttb_edges[0])]);
		return;
	case 6:
		clean_cd(cd, asid_edges[(r >> 16) % (sizeof asid_edges / sizeof asid_edges[0])],
			 *config);
		return;
	case 7: /* an ASID seen before with another table */
		clean_cd(cd, asid, *config);
		h_set(cd, CD_TTB0, UINT64_C(0x20000000) + ((r >> 32) % 4) * 0x1000);
		return;
	case 8:
		*config = (*config + 1) % 3;
		clean_cd(cd, asid, *config);
		return;
	default:
		clean_cd(cd, asid, *config);
		return;
	}
}

/* Everything a finding says, one line each, in order. */
static char *findings_text(const struct harness *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	fprintf(f, "read %llu valid %llu counts %llu %llu %llu dropped %llu\n",
		(unsigned long long)h->entries_read, (unsigned long long)h->entries_valid,
		(unsigned long long)h->diags.counts[PT_SEV_NOTE],
		(unsigned long long)h->diags.counts[PT_SEV_WARNING],
		(unsigned long long)h->diags.counts[PT_SEV_ERROR],
		(unsigned long long)h->diags.dropped);
	for (uint32_t i = 0; i < h->diags.nitems; i++) {
		const struct pt_diag *d = &h->diags.items[i];
		fprintf(f, "%s %d %d 0x%llx %d %u %s x%u %s\n", d->rule->id, (int)d->severity,
			d->has_addr, (unsigned long long)d->addr, (int)d->scope, d->scope_id,
			d->field ? d->field : "-", d->repeat, d->msg);
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The table walked a run at a time and one CD at a time: the same text. */
static void same_both_ways(struct harness *h, const char *what)
{
	h->ops = NULL;
	h_run(h);
	char *runs = findings_text(h);
	h->ops = &each_ops;
	h_run(h);
	char *each = findings_text(h);
	if (strcmp(runs, each) != 0)
		fail_msg("%s: run-at-a-time findings differ\n--- runs:\n%s--- one by one:\n%s", what,
			 runs, each);
	free(runs);
	free(each);
	pt_diag_free(&h->diags);
}

/* Caps, and an IPS within their OAS so that the CDs are clean. */
static const struct {
	const char *caps;
	unsigned ips;
} caps_list[] = {
	{ "generic", 5 }, { "generic,asid16=0", 5 }, { "qemu", 4 }, { "qemu,qemu=9.0", 4 },
	{ "generic,oas=52", 6 }, { "generic,oas=40", 2 }, { "linux-host", 5 },
	{ "generic,term-model=1,stall-model=1", 5 }, { "generic,gran16k=0", 5 },
	{ "qemu,qemu=9.0,oas=52", 6 },
};
#define NCAPS (sizeof caps_list / sizeof caps_list[0])

static void generated_linear_tables(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	for (unsigned seed = 1; seed <= 60; seed++) {
		h_init(h);
		rng_state = UINT64_C(0x9e3779b97f4a7c15) * seed;
		h->ssid_bits = 6 + seed % 6;
		h->caps = caps_list[seed % NCAPS].caps;
		cd_ips = caps_list[seed % NCAPS].ips;
		h->ste.present = seed % 3 == 0;
		h->ste.s1dss = seed % 2 ? 2 : 0;
		h->ste.strw = seed % 5 == 0 ? 2 : 0;
		int config = 0;
		for (uint32_t i = 0; i < (UINT32_C(1) << h->ssid_bits); i++)
			fill_cd(h_cd(h, 0), i, &config);
		/* SSID 0 invalid: an error when the STE's S1DSS uses it. */
		if (seed % 2)
			h_set(h_cd(h, 0), CD_V, 0);
		char what[64];
		snprintf(what, sizeof what, "seed %u (%s)", seed, h->caps);
		same_both_ways(h, what);
		h->one_ssid = 1;
		h->ssid = (uint32_t)(rnd() % (UINT32_C(1) << h->ssid_bits));
		same_both_ways(h, what);
	}
	free(h);
}

/* A table of one clean configuration (each of three) and ASIDs 0..15
 * (each twice, the same table) is clean, and each CD changed on either side of a limit
 * reports what one CD at a time reports: the run loop's masks hold the
 * limits exactly. */
static void limits_one_by_one(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	for (size_t c = 0; c < NCAPS; c++) {
		for (size_t e = 0; e < 3 * (sizeof ttb_edges / sizeof ttb_edges[0] + 1); e++) {
			int config = (int)(e % 3);
			size_t edge = e / 3;
			h_init(h);
			h->caps = caps_list[c].caps;
			cd_ips = caps_list[c].ips;
			h->ssid_bits = 5;
			for (uint32_t i = 0; i < 32; i++)
				clean_cd(h_cd(h, i), i % 16, config);
			if (h_run(h) != 0)
				fail_msg("%s, config %d: the baseline is not clean (%s)",
					 caps_list[c].caps, config, h->diags.items[0].rule->id);
			if (edge < sizeof ttb_edges / sizeof ttb_edges[0])
				h_set(h_cd(h, 20), CD_TTB0, ttb_edges[edge]);
			else
				h_set(h_cd(h, 20), CD_ASID, 0x100);
			char what[64];
			snprintf(what, sizeof what, "%s, config %d, edge %zu", caps_list[c].caps,
				 config, edge);
			same_both_ways(h, what);
		}
	}
	free(h);
}

/* A 2-level table: leaves of 64 CDs, one repeated and one invalid L1
 * descriptor, walked with budgets that end before, inside and after the
 * entries (the run falls back to one entry at a time when the budget does
 * not cover it). */
static void two_level_and_budgets(void **state)
{
	(void)state;
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	static const uint64_t budgets[] = { 0, 1, 8, 9, 10, 40, 71, 72, 73, 200, 264, 265, 266 };
	for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
		h_init(h);
		memset(h->mem, 0, sizeof h->mem);
		rng_state = UINT64_C(0x2545f4914f6cdd1d) + b;
		cd_ips = 5;
		h->layout = "2lvl-4k";
		h->ssid_bits = 9;
		int config = 0;
		for (uint32_t l = 0; l < 8; l++) {
			uint64_t leaf = H_BASE + 0x1000 * (1 + (l == 5 ? 2 : l));
			if (l != 6)
				smmu_cd_format.dir_make(h_at(h, H_BASE + 8 * l), leaf);
			for (uint32_t i = 0; i < 64; i++)
				fill_cd(h_at(h, leaf), i, &config);
		}
		h->max_entries = budgets[b];
		char what[64];
		snprintf(what, sizeof what, "budget %llu", (unsigned long long)budgets[b]);
		same_both_ways(h, what);
	}
	free(h);
}

/* Leaf tables reached in any address order: one reached twice is
 * TABLE-LEAF-SHARED whether the descriptors list leaves in ascending order
 * or not (the overlap check sorts only when they are not in order). */
static unsigned shared_leaves(const uint64_t *leaf_pages, unsigned n, unsigned distinct)
{
	struct harness *h = malloc(sizeof *h);
	assert_non_null(h);
	h_init(h);
	memset(h->mem, 0, sizeof h->mem);
	h->layout = "2lvl-4k";
	h->ssid_bits = 8;
	for (unsigned i = 0; i < n; i++) {
		uint64_t leaf = H_BASE + 0x1000 * leaf_pages[i];
		smmu_cd_format.dir_make(h_at(h, H_BASE + 8 * i), leaf);
		clean_cd(h_at(h, leaf), 1, 0);
	}
	cd_ips = 5;
	h_run(h);
	/* A leaf reached again is not walked again. */
	assert_int_equal(h->entries_read, 64 * distinct);
	unsigned count = h_count(h, "TABLE-LEAF-SHARED");
	pt_diag_free(&h->diags);
	free(h);
	return count;
}

static void leaf_order(void **state)
{
	(void)state;
	static const uint64_t up[] = { 1, 2, 3 }, down[] = { 3, 2, 1 };
	static const uint64_t up_twice[] = { 1, 2, 2 }, down_twice[] = { 2, 1, 2 };
	static const uint64_t last_first[] = { 3, 1, 2, 3 };
	assert_int_equal(shared_leaves(up, 3, 3), 0);
	assert_int_equal(shared_leaves(down, 3, 3), 0);
	assert_int_equal(shared_leaves(up_twice, 3, 2), 1);
	assert_int_equal(shared_leaves(down_twice, 3, 2), 1);
	assert_int_equal(shared_leaves(last_first, 4, 3), 1);
}

/* A 2-level table over a source of several ranges: leaves in data, in
 * zero-filled memory, in a gap, straddling the end of a range (one in the
 * range of the L1 table, one in another), and in memory the dump excluded.
 * The walker skips probing what it knows holds data; the counts and
 * findings say it still sees each kind. */
struct run_counts {
	uint64_t read, valid, zero, excluded, absent, shared;
	unsigned unmapped, leaf_shared;
};

static void ranged_walk(const struct pt_walk_ops *ops, struct run_counts *rc)
{
	static uint8_t mem[0x8000];
	memset(mem, 0, sizeof mem);
	cd_ips = 5;
	static const uint64_t leaves[8] = { 0x1000, 0x2000, 0x3000, 0x4000,
					    0x5000, 0x6000, 0x7000, 0x1000 };
	for (unsigned i = 0; i < 8; i++) {
		smmu_cd_format.dir_make(mem + 8 * i, H_BASE + leaves[i]);
		for (unsigned j = 0; j < 64 && leaves[i] != 0x3000; j++)
			clean_cd(mem + leaves[i] + 64 * j, (i * 64 + j) & 0xffff, 0);
	}
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "mem", NULL);
	struct pt_source src;
	pt_source_init(&src, "mem");
	int f = pt_source_add_buffer(&src, "mem", mem, sizeof mem);
	pt_source_add_range(&src, H_BASE, 0x2800, (uint32_t)f, 0, 0x2800);
	pt_source_add_range(&src, H_BASE + 0x3000, 0x1000, (uint32_t)f, 0x3000, 0);
	pt_source_add_range(&src, H_BASE + 0x5000, 0x1800, (uint32_t)f, 0x5000, 0x1800);
	pt_source_add_excluded(&src, H_BASE + 0x7000, 0x1000, (uint32_t)f);
	assert_int_equal(pt_source_finish(&src, &diags), 0);
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &smmu_cd_format;
	cfg.layout = pt_format_layout(&smmu_cd_format, "2lvl-4k");
	cfg.base = H_BASE;
	cfg.ssid_bits = 9;
	char err[200];
	struct smmu_caps *caps = smmu_caps_parse("generic", err, sizeof err);
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &src;
	w.diags = &diags;
	w.caps = caps;
	w.validate = 1;
	w.ops = ops;
	/* A stale cache from an earlier walk must not count. */
	w.data_lo = 0;
	w.data_hi = UINT64_MAX;
	assert_int_equal(pt_walk_run(&w), 0);
	*rc = (struct run_counts){ w.entries_read, w.entries_valid, w.entries_zero,
				   w.entries_excluded, w.entries_absent, w.leaves_shared, 0, 0 };
	for (uint32_t i = 0; i < diags.nitems; i++) {
		unsigned k = 1 + diags.items[i].repeat;   /* folded repeats too */
		rc->unmapped += strcmp(diags.items[i].rule->id, "TABLE-UNMAPPED") == 0 ? k : 0;
		rc->leaf_shared += strcmp(diags.items[i].rule->id, "TABLE-LEAF-SHARED") == 0 ? k : 0;
	}
	smmu_caps_free(caps);
	pt_diag_free(&diags);
	pt_source_free(&src);
}

static void data_runs(void **state)
{
	(void)state;
	struct run_counts runs, each;
	ranged_walk(NULL, &runs);
	ranged_walk(&each_ops, &each);
	assert_memory_equal(&runs, &each, sizeof runs);
	/* Leaves 0x1000 and 0x5000 whole, the first halves of 0x2000 and
	 * 0x6000; 0x3000 reads as zero; 0x4000 is in no range; 0x7000 was
	 * excluded (those two and the two straddling leaves are
	 * TABLE-UNMAPPED); 0x1000 reached again is shared. */
	assert_int_equal(runs.read, 64 * 2 + 32 * 2 + 64);
	assert_int_equal(runs.valid, 64 * 2 + 32 * 2);
	assert_int_equal(runs.zero, 64);
	assert_int_equal(runs.excluded, 64);
	assert_int_equal(runs.absent, 32 + 64 + 32);
	assert_int_equal(runs.shared, 1);
	assert_int_equal(runs.unmapped, 4);
	assert_int_equal(runs.leaf_shared, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_linear_tables),
		cmocka_unit_test(limits_one_by_one),
		cmocka_unit_test(two_level_and_budgets),
		cmocka_unit_test(leaf_order),
		cmocka_unit_test(data_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
