/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The growable index (core/slots.c) and what it indexes: it doubles when
 * half full and finds every item after each growth, fills up to one free
 * slot at its largest, and the walker's leaves, the table set and the
 * folding of findings still find their repeats past the first growths. */
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
#include "slots.h"
#include "smmuv3.h"
#include "source.h"
#include "table.h"
#include "tableset.h"

struct keys {
	uint64_t v[4096];
	uint32_t n;
	uint64_t (*h)(uint64_t);   /* the hash of a key */
};

static uint64_t key_at(const void *ctx, uint32_t i)
{
	const struct keys *k = ctx;
	return k->h(k->v[i]);
}

/* Every key held is found; a key never added is not. */
static void assert_all_found(const struct pt_slots *s, const struct keys *k, uint64_t (*h)(uint64_t))
{
	for (uint32_t i = 0; i <= k->n; i++) {
		uint64_t want = i < k->n ? k->v[i] : UINT64_MAX;
		uint32_t *slot = pt_slots_first(s, h(want));
		while (*slot && k->v[*slot - 1] != want)
			slot = pt_slots_next(s, slot);
		if (i < k->n)
			assert_int_equal(*slot, i + 1);
		else
			assert_int_equal(*slot, 0);
	}
}

static uint64_t spread(uint64_t v)
{
	return v * 3;
}

static uint64_t same(uint64_t v)
{
	(void)v;
	return 42;
}

/* Add keys 0, 7, 14, ... under hash h; returns the index. */
static void add_keys(struct pt_slots *s, struct keys *k, uint32_t n, uint32_t max,
		     uint64_t (*h)(uint64_t))
{
	for (uint32_t i = 0; i < n; i++) {
		uint64_t key = (uint64_t)k->n * 7;
		k->h = h;
		assert_int_equal(pt_slots_reserve(s, max, k, key_at), 0);
		uint32_t *slot = pt_slots_first(s, h(key));
		while (*slot)
			slot = pt_slots_next(s, slot);
		k->v[k->n] = key;
		pt_slots_put(s, slot, k->n++);
	}
}

/* 64 slots hold 32 items; the 33rd doubles the index, and so on. */
static void grows_at_half(void **state)
{
	(void)state;
	static struct keys k;
	struct pt_slots s;
	memset(&s, 0, sizeof s);
	k.n = 0;
	add_keys(&s, &k, 32, 1u << 20, spread);
	assert_int_equal(s.cap, 64);
	assert_int_equal(s.used, 32);
	assert_all_found(&s, &k, spread);
	add_keys(&s, &k, 1, 1u << 20, spread);
	assert_int_equal(s.cap, 128);
	assert_all_found(&s, &k, spread);
	add_keys(&s, &k, 3000, 1u << 20, spread);
	assert_int_equal(s.cap, 8192);
	assert_all_found(&s, &k, spread);
	pt_slots_free(&s);
	assert_null(s.v);
}

/* One hash for all: every probe runs on past the others, across growths. */
static void one_hash_for_all(void **state)
{
	(void)state;
	static struct keys k;
	struct pt_slots s;
	memset(&s, 0, sizeof s);
	k.n = 0;
	add_keys(&s, &k, 100, 1u << 20, same);
	assert_int_equal(s.cap, 256);
	assert_all_found(&s, &k, same);
	pt_slots_free(&s);
}

/* At its largest, 128 slots hold 127 items: the 128th is refused, so a
 * probe always ends at a free slot. */
static void full_at_max(void **state)
{
	(void)state;
	static struct keys k;
	struct pt_slots s;
	memset(&s, 0, sizeof s);
	k.n = 0;
	add_keys(&s, &k, 127, 128, spread);
	assert_int_equal(s.cap, 128);
	assert_int_equal(pt_slots_reserve(&s, 128, &k, key_at), -1);
	assert_all_found(&s, &k, spread);
	pt_slots_free(&s);
}

/* A 2-level CD table of 2^12 SSIDs (64 L1 descriptors): 40 distinct 4K
 * leaves, and 24 descriptors pointing at leaves named before. Each leaf is
 * walked once and every repeat is found, past the index's first growth. */
#define W_BASE UINT64_C(0x100000)
#define W_LEAVES 40u

static void walk_finds_shared_leaves(void **state)
{
	(void)state;
	static uint8_t mem[0x1000 + W_LEAVES * 0x1000];
	memset(mem, 0, sizeof mem);
	pt_formats_init();
	const struct pt_format *fmt = &smmu_cd_format;
	for (uint32_t i = 0; i < 64; i++) {
		uint64_t leaf = W_BASE + 0x1000 + (uint64_t)(i % W_LEAVES) * 0x1000;
		fmt->dir_make(mem + i * fmt->dir->size, leaf);
	}
	struct pt_source src;
	struct pt_diag_sink diags;
	pt_source_init(&src, "mem");
	pt_diag_init(&diags, "mem", NULL);
	assert_int_equal(pt_source_add_buffer(&src, "mem", mem, sizeof mem), 0);
	assert_int_equal(pt_source_add_range(&src, W_BASE, sizeof mem, 0, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(&src, &diags), 0);
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = fmt;
	cfg.layout = &fmt->layouts[SMMU_LAYOUT_4K];
	cfg.base = W_BASE;
	cfg.ssid_bits = 12;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = &src;
	w.diags = &diags;
	w.validate = 1;
	assert_int_equal(pt_walk_run(&w), 0);
	assert_int_equal(w.dirs_valid, 64);
	assert_int_equal(w.leaves_shared, 64 - W_LEAVES);
	assert_int_equal(w.entries_read, W_LEAVES * 64);
	pt_diag_free(&diags);
	pt_source_free(&src);
}

/* 200 tables, each added twice: new, then shared. */
static void tableset_finds_repeats(void **state)
{
	(void)state;
	pt_formats_init();
	struct pt_tset ts;
	pt_tset_init(&ts, "sid");
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &smmu_cd_format;
	cfg.layout = &smmu_cd_format.layouts[SMMU_LAYOUT_LINEAR];
	cfg.ssid_bits = 3;
	for (uint32_t pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < 200; i++) {
			struct pt_tset_table *t;
			cfg.base = UINT64_C(0x40000000) + (uint64_t)i * 0x1000;
			assert_int_equal(pt_tset_add(&ts, &cfg, pass * 200 + i, &t),
					 pass ? PT_TSET_SHARED : PT_TSET_NEW);
			assert_non_null(t);
			assert_int_equal(t->cfg.base, cfg.base);
		}
	}
	assert_int_equal(ts.n, 200);
	pt_tset_free(&ts);
}

static const struct pt_rule fold_rule = {
	"TEST-FOLD", PT_SEV_ERROR, NULL, "a finding of the test", "C_BAD_X", "this file",
};

/* 300 distinct findings, each reported three times: 300 stored, each with
 * two repeats. */
static void findings_fold_past_growth(void **state)
{
	(void)state;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "mem", NULL);
	for (uint32_t pass = 0; pass < 3; pass++)
		for (uint32_t i = 0; i < 300; i++)
			pt_diag_report(&sink, &fold_rule, 1, i, PT_SCOPE_NONE, 0, NULL,
				       "finding %u", i);
	assert_int_equal(sink.nitems, 300);
	for (uint32_t i = 0; i < sink.nitems; i++)
		assert_int_equal(sink.items[i].repeat, 2);
	pt_diag_free(&sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_at_half),
		cmocka_unit_test(one_hash_for_all),
		cmocka_unit_test(full_at_max),
		cmocka_unit_test(walk_finds_shared_leaves),
		cmocka_unit_test(tableset_finds_repeats),
		cmocka_unit_test(findings_fold_past_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
