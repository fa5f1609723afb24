/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The page-table walker against two independent oracles:
 *  - a reference walk written from the Arm ARM's translation-table-walk
 *    pseudocode (DDI 0487, AArch64.TranslationTableWalk of the 48-bit
 *    VMSAv8-64 formats: one loop over "addrselecttop/bottom" with raw bit
 *    arithmetic, no field tables), on random descriptors: both must fault
 *    alike or agree on the output address and leaf level, for 4K and 64K,
 *    stage 1 and stage 2 (with concatenated start tables);
 *  - random regimes written by the builder from lists of mappings: every
 *    mapping translates back, every other address faults, and the tree walk
 *    lists exactly the mappings;
 * and hostile trees: loops, tables outside the input, the budget. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "image.h"
#include "ptbuild.h"
#include "ptwalk.h"
#include "vmsa_pt.h"

static uint64_t rng = UINT64_C(0x7a1c5eed0badf00d);

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

/* ---- the reference walk ---- */

enum ref_result { REF_OK, REF_TRANSLATION, REF_ADDR_SIZE, REF_ACCESS, REF_NOMEM };

struct ref_mem {
	uint64_t base;
	const uint8_t *bytes;
	size_t size;
};

static int ref_read(const struct ref_mem *m, uint64_t pa, uint64_t *desc)
{
	if (pa < m->base || pa - m->base + 8 > m->size)
		return -1;
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | m->bytes[pa - m->base + (uint64_t)i];
	*desc = v;
	return 0;
}

static uint64_t bits(uint64_t x, unsigned hi, unsigned lo)
{
	uint64_t v = x >> lo;
	unsigned w = hi - lo + 1;
	return w >= 64 ? v : v & ((UINT64_C(1) << w) - 1);
}

/* Levels at which the 48-bit formats allow blocks (DDI 0487 D8.2). */
static int ref_block_ok(unsigned grainsize, int level)
{
	if (grainsize == 12)
		return level == 1 || level == 2;
	return level == 2;
}

static enum ref_result ref_walk(const struct ref_mem *m, unsigned grainsize, unsigned inputsize,
				int startlevel, uint64_t ttb, unsigned outputsize, int af_ignored,
				uint64_t inputaddr, uint64_t *outputaddress, int *faultlevel)
{
	unsigned stride = grainsize - 3;
	int level = startlevel;
	unsigned baselowerbound = 3 + inputsize - ((3 - (unsigned)level) * stride + grainsize);
	uint64_t baseaddress = bits(ttb, 47, baselowerbound) << baselowerbound;
	unsigned addrselecttop = inputsize - 1;
	unsigned addrselectbottom;
	uint64_t desc;
	*faultlevel = level;
	if (inputsize < 64 && inputaddr >> inputsize)
		return REF_TRANSLATION;
	if (outputsize < 48 && bits(baseaddress, 47, outputsize))
		return REF_ADDR_SIZE;
	for (;;) {
		addrselectbottom = (3 - (unsigned)level) * stride + grainsize;
		uint64_t index = bits(inputaddr, addrselecttop, addrselectbottom) << 3;
		uint64_t descaddr = baseaddress | index;
		*faultlevel = level;
		if (ref_read(m, descaddr, &desc) != 0)
			return REF_NOMEM;
		if (!(desc & 1))
			return REF_TRANSLATION;
		int is_table_or_page = (desc & 2) != 0;
		if (!is_table_or_page && (level == 3 || !ref_block_ok(grainsize, level)))
			return REF_TRANSLATION;
		if (!is_table_or_page || level == 3)
			break;
		if (outputsize < 48 && bits(desc, 47, outputsize))
			return REF_ADDR_SIZE;
		baseaddress = bits(desc, 47, grainsize) << grainsize;
		level++;
		addrselecttop = addrselectbottom - 1;
	}
	if (outputsize < 48 && bits(desc, 47, outputsize))
		return REF_ADDR_SIZE;
	if (!af_ignored && !(desc & (1u << 10)))
		return REF_ACCESS;
	*outputaddress = bits(desc, 47, addrselectbottom) << addrselectbottom |
			 bits(inputaddr, addrselectbottom - 1, 0);
	return REF_OK;
}

/* ---- random descriptors ---- */

#define POOL 24

struct arena {
	uint64_t base;        /* start of the root (16 granules, concatenation) */
	size_t size;
	uint8_t *bytes;
	unsigned g;
};

static uint64_t pool_table(const struct arena *a, unsigned k)
{
	return a->base + ((uint64_t)16 << a->g) + ((uint64_t)k << a->g);
}

static uint64_t random_desc(const struct arena *a, unsigned oa_bits)
{
	uint64_t d = 0;
	if (below(10) < 7)
		d |= 1;
	if (below(10) < 6)
		d |= 2;
	if (below(10) < 9)
		d |= 1u << 10;
	uint64_t addr;
	switch (below(6)) {
	case 0: addr = below(UINT64_C(1) << (oa_bits + 1)) & ~((UINT64_C(1) << a->g) - 1); break;
	case 1: addr = UINT64_C(0x7f0000000000) & ~((UINT64_C(1) << a->g) - 1); break;
	default: addr = pool_table(a, (unsigned)below(POOL + 2)); break; /* +2: past the arena */
	}
	d |= addr & UINT64_C(0x0000ffffffffffff) & ~((UINT64_C(1) << a->g) - 1);
	/* Attribute noise the walk must not care about. */
	d |= (next() & UINT64_C(0x7ff0000000000000));
	d |= (next() & 0x3fc) & ~(uint64_t)(1u << 10) & ~3u;
	return d;
}

static void fill_arena(struct arena *a, unsigned oa_bits)
{
	for (size_t i = 0; i + 8 <= a->size; i += 8) {
		uint64_t d = random_desc(a, oa_bits);
		for (int b = 0; b < 8; b++)
			a->bytes[i + (size_t)b] = (uint8_t)(d >> (8 * b));
	}
}

static enum ref_result from_fault(enum pt_ptw_fault k)
{
	switch (k) {
	case PT_PTF_TRANSLATION: return REF_TRANSLATION;
	case PT_PTF_ADDR_SIZE: return REF_ADDR_SIZE;
	case PT_PTF_ACCESS: return REF_ACCESS;
	case PT_PTF_NOT_IN_DUMP: return REF_NOMEM;
	default: return REF_OK;
	}
}

static void cross_check(unsigned stage, enum vmsa_granule gr, unsigned ia_bits, int start,
			unsigned oa_bits, int iters)
{
	struct arena a;
	a.g = vmsa_granule_bits(gr);
	a.base = UINT64_C(1) << 32;
	a.size = (size_t)(16 + POOL) << a.g;
	a.bytes = calloc(1, a.size);
	assert_non_null(a.bytes);
	struct pt_source src;
	pt_source_init(&src, "arena");
	assert_true(pt_source_add_buffer(&src, "arena", a.bytes, a.size) >= 0);
	assert_int_equal(pt_source_add_range(&src, a.base, a.size, 0, 0, a.size), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	struct ref_mem m = { a.base, a.bytes, a.size };
	struct pt_ptw_regime r;
	memset(&r, 0, sizeof r);
	r.fmt = vmsa_pt_format(stage, gr, 0);
	r.stage = stage;
	r.root = a.base;
	r.start_level = start;
	r.ia_bits = ia_bits;
	r.oa_bits = oa_bits;
	const char *why;
	assert_int_equal(pt_ptw_check_regime(&r, &why), 0);
	unsigned agree = 0, faults = 0;
	static struct pt_ptw_result res;
	for (int round = 0; round < iters / 500; round++) {
		fill_arena(&a, oa_bits);
		for (int i = 0; i < 500; i++) {
			r.af_ignored = (int)below(2);
			uint64_t ia = below(UINT64_C(1) << ia_bits);
			if (below(50) == 0)
				ia |= UINT64_C(1) << ia_bits; /* out of range */
			uint64_t want_pa = 0;
			int want_level;
			enum ref_result want = ref_walk(&m, a.g, ia_bits, start, r.root, oa_bits,
						       r.af_ignored, ia, &want_pa, &want_level);
			pt_ptw_translate(&src, &r, ia, PT_PTW_FOR_INPUT, NULL, &res);
			enum ref_result got = res.ok ? REF_OK : from_fault(res.fault.kind);
			if (got != want || (got == REF_OK && (res.oa != want_pa ||
							      res.leaf_level != want_level)) ||
			    (got != REF_OK && res.fault.level != want_level))
				fail_msg("stage %u %s ia_bits %u start %d ia 0x%llx: reference %d "
					 "(pa 0x%llx level %d), walker %d (pa 0x%llx level %d/%d): %s",
					 stage, vmsa_granule_name(gr), ia_bits, start,
					 (unsigned long long)ia, want, (unsigned long long)want_pa,
					 want_level, got, (unsigned long long)res.oa, res.leaf_level,
					 res.fault.level, res.fault.reason);
			agree++;
			faults += got != REF_OK;
		}
	}
	/* Both outcomes were exercised, or the comparison proves little. */
	assert_true(faults > 0 && faults < agree);
	pt_source_free(&src);
	free(a.bytes);
}

static void reference_4k_stage1(void **state)
{
	(void)state;
	cross_check(1, VMSA_4K, 48, 0, 48, 20000);
	cross_check(1, VMSA_4K, 39, 1, 40, 20000);
	cross_check(1, VMSA_4K, 32, 1, 36, 10000);
}

static void reference_64k_stage1(void **state)
{
	(void)state;
	cross_check(1, VMSA_64K, 48, 1, 48, 20000);
	cross_check(1, VMSA_64K, 42, 2, 44, 20000);
}

static void reference_4k_stage2_concatenated(void **state)
{
	(void)state;
	cross_check(2, VMSA_4K, 40, 1, 40, 20000);  /* 2 tables at level 1 */
	cross_check(2, VMSA_4K, 42, 1, 44, 10000);  /* 8 tables */
	cross_check(2, VMSA_4K, 34, 2, 40, 10000);  /* 16 tables at level 2 */
}

static void reference_64k_stage2(void **state)
{
	(void)state;
	cross_check(2, VMSA_64K, 42, 2, 44, 20000);
	cross_check(2, VMSA_64K, 46, 2, 48, 10000); /* 16 tables at level 2 */
}

/* ---- random regimes from mappings ---- */

struct mapping {
	uint64_t ia, oa;
	int level;
	unsigned shift;
};

static int by_ia(const void *x, const void *y)
{
	const struct mapping *a = x, *b = y;
	return a->ia < b->ia ? -1 : a->ia > b->ia;
}

struct seen {
	struct mapping *v;
	size_t n, cap;
};

static int on_leaf(void *user, const struct pt_ptw_leaf *lf)
{
	struct seen *s = user;
	if (s->n < s->cap)
		s->v[s->n++] = (struct mapping){ lf->ia, lf->oa, lf->level, lf->size_bits };
	return 0;
}

static const struct mapping *covering(const struct mapping *m, size_t n, uint64_t ia)
{
	for (size_t i = 0; i < n; i++)
		if (ia >= m[i].ia && ia - m[i].ia < (UINT64_C(1) << m[i].shift))
			return &m[i];
	return NULL;
}

static void one_regime(unsigned stage, enum vmsa_granule gr, unsigned ia_bits)
{
	const struct pt_ptw_format *f = vmsa_pt_format(stage, gr, 0);
	struct pt_image img;
	struct pt_ptb b;
	char err[200];
	pt_image_init(&img);
	int start = pt_ptb_start_level(f, ia_bits);
	uint64_t root = UINT64_C(0x40000000);
	assert_int_equal(pt_ptb_init(&b, &img, f, start, ia_bits, root, err, sizeof err), 0);
	struct mapping maps[64];
	size_t n = 0;
	for (int tries = 0; tries < 200 && n < 64; tries++) {
		int level = start + (int)below((uint64_t)(f->last_level - start + 1));
		if (level < f->last_level && !((f->block_levels >> (level + 1)) & 1))
			level = f->last_level;
		unsigned shift = pt_ptw_level_shift(f, level);
		uint64_t ia = below(UINT64_C(1) << ia_bits) & ~((UINT64_C(1) << shift) - 1);
		uint64_t oa = below(UINT64_C(1) << 44) & ~((UINT64_C(1) << shift) - 1);
		if (pt_ptb_map(&b, ia, oa, level, UINT64_C(1) << 10, 0, err, sizeof err) == 0)
			maps[n++] = (struct mapping){ ia, oa, level, shift };
	}
	assert_true(n > 4);
	/* The builder places tables one after another: one buffer holds them. */
	uint64_t lo, end;
	pt_image_extent(&img, &lo, &end);
	uint8_t *flat = calloc(1, end - lo);
	assert_non_null(flat);
	for (size_t i = 0; i < img.n; i++)
		memcpy(flat + (img.regions[i].addr - lo), img.regions[i].data, img.regions[i].size);
	struct pt_source src;
	pt_source_init(&src, "regime");
	assert_true(pt_source_add_buffer(&src, "regime", flat, end - lo) >= 0);
	assert_int_equal(pt_source_add_range(&src, lo, end - lo, 0, 0, end - lo), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	struct pt_ptw_regime r;
	memset(&r, 0, sizeof r);
	r.fmt = f;
	r.stage = stage;
	r.root = root;
	r.start_level = start;
	r.ia_bits = ia_bits;
	r.oa_bits = 48;
	static struct pt_ptw_result res;
	for (size_t i = 0; i < n; i++) {
		uint64_t off = below(UINT64_C(1) << maps[i].shift);
		pt_ptw_translate(&src, &r, maps[i].ia + off, PT_PTW_FOR_INPUT, NULL, &res);
		if (!res.ok || res.oa != maps[i].oa + off || res.leaf_level != maps[i].level)
			fail_msg("%s: mapping 0x%llx -> 0x%llx L%d: got ok=%d 0x%llx L%d (%s)", f->name,
				 (unsigned long long)maps[i].ia, (unsigned long long)maps[i].oa,
				 maps[i].level, res.ok, (unsigned long long)res.oa, res.leaf_level,
				 res.fault.reason);
	}
	for (int i = 0; i < 500; i++) {
		uint64_t ia = below(UINT64_C(1) << ia_bits);
		const struct mapping *m = covering(maps, n, ia);
		pt_ptw_translate(&src, &r, ia, PT_PTW_FOR_INPUT, NULL, &res);
		if (m)
			assert_true(res.ok && res.oa == m->oa + (ia - m->ia));
		else
			assert_true(!res.ok && res.fault.kind == PT_PTF_TRANSLATION);
	}
	struct mapping got[64];
	struct seen s = { got, 0, 64 };
	struct pt_ptw_visit_ops ops = { on_leaf, NULL, NULL, NULL };
	struct pt_ptw_visit_stats st;
	assert_int_equal(pt_ptw_visit(&src, &r, 0, &ops, &s, &st), 0);
	qsort(maps, n, sizeof maps[0], by_ia);
	assert_int_equal(s.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].ia, maps[i].ia);
		assert_int_equal(got[i].oa, maps[i].oa);
		assert_int_equal(got[i].level, maps[i].level);
	}
	assert_int_equal(st.tables, b.tables);
	pt_source_free(&src);
	pt_image_free(&img);
	free(flat);
}

static void regimes_from_mappings(void **state)
{
	(void)state;
	for (int i = 0; i < 40; i++) {
		enum vmsa_granule g = (enum vmsa_granule)below(3);
		unsigned gb = vmsa_granule_bits(g);
		unsigned ia_bits = gb + 3 + (unsigned)below(48 - gb - 2);
		one_regime(1 + (unsigned)below(2), g, ia_bits);
	}
}

/* ---- hostile trees ---- */

struct events {
	unsigned n[8];
};

static void on_event(void *user, enum pt_ptw_event ev, int level, uint64_t addr, uint64_t ia,
		     const char *what)
{
	(void)level, (void)addr, (void)ia, (void)what;
	((struct events *)user)->n[ev]++;
}

static void hostile_loops_and_holes(void **state)
{
	(void)state;
	/* One 4K table whose every entry points at itself: each level would
	 * read it again; the walk must notice the loop at the first step. */
	static uint8_t t[4096];
	uint64_t base = 0x80000000;
	for (int i = 0; i < 512; i++) {
		uint64_t d = base | 3;
		if (i == 7)
			d = UINT64_C(0xdead000) | 3; /* a table outside the input */
		for (int k = 0; k < 8; k++)
			t[i * 8 + k] = (uint8_t)(d >> (8 * k));
	}
	struct pt_source src;
	pt_source_init(&src, "loop");
	assert_true(pt_source_add_buffer(&src, "loop", t, sizeof t) >= 0);
	assert_int_equal(pt_source_add_range(&src, base, sizeof t, 0, 0, sizeof t), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	struct pt_ptw_regime r;
	memset(&r, 0, sizeof r);
	r.fmt = vmsa_pt_format(1, VMSA_4K, 0);
	r.stage = 1;
	r.root = base;
	r.ia_bits = 48;
	r.oa_bits = 48;
	struct events ev;
	memset(&ev, 0, sizeof ev);
	struct pt_ptw_visit_ops ops = { NULL, NULL, NULL, on_event };
	struct pt_ptw_visit_stats st;
	assert_int_equal(pt_ptw_visit(&src, &r, 0, &ops, &ev, &st), 0);
	if (ev.n[PT_PTW_EV_LOOP] != 511)
		fail_msg("loops %u not-in-dump %u reserved %u addr %u descriptors %llu",
			 ev.n[PT_PTW_EV_LOOP], ev.n[PT_PTW_EV_NOT_IN_DUMP], ev.n[PT_PTW_EV_RESERVED],
			 ev.n[PT_PTW_EV_ADDR_SIZE], (unsigned long long)st.descriptors);
	assert_int_equal(ev.n[PT_PTW_EV_NOT_IN_DUMP], 1);
	assert_int_equal(st.descriptors, 512);
	/* The budget stops a walk at exactly the number asked. */
	memset(&ev, 0, sizeof ev);
	assert_int_equal(pt_ptw_visit(&src, &r, 100, &ops, &ev, &st), 0);
	assert_int_equal(st.descriptors, 100);
	assert_int_equal(ev.n[PT_PTW_EV_BUDGET], 1);
	assert_true(st.budget_hit);
	/* One walk through the same table: four reads, a level each, no loop. */
	static struct pt_ptw_result res;
	pt_ptw_translate(&src, &r, 0, PT_PTW_FOR_INPUT, NULL, &res);
	assert_int_equal(res.nsteps, 4);
	/* ...the last read as a page whose access flag is clear. */
	assert_int_equal(res.fault.kind, PT_PTF_ACCESS);
	pt_source_free(&src);
}

/* A 64 GiB block (16K granule, 52-bit descriptors, level 1) under a 32-bit
 * output size: its base is 0, so only the offset the input address adds can
 * go past the output size; the last address below 2^32 translates, the first
 * at 2^32 is an address-size fault. */
static void wide_block_beyond_output_size(void **state)
{
	(void)state;
	static uint8_t t[16384];
	uint64_t base = 0x80000000, d = 1 | (UINT64_C(1) << 10);
	for (int k = 0; k < 8; k++)
		t[k] = (uint8_t)(d >> (8 * k));
	struct pt_source src;
	pt_source_init(&src, "wide");
	assert_true(pt_source_add_buffer(&src, "wide", t, sizeof t) >= 0);
	assert_int_equal(pt_source_add_range(&src, base, sizeof t, 0, 0, sizeof t), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	struct pt_ptw_regime r;
	memset(&r, 0, sizeof r);
	r.fmt = vmsa_pt_format(1, VMSA_16K, 1);
	r.stage = 1;
	r.root = base;
	r.ia_bits = 47;
	r.start_level = 1;
	r.oa_bits = 32;
	static struct pt_ptw_result res;
	pt_ptw_translate(&src, &r, UINT64_C(0xffffffff), PT_PTW_FOR_INPUT, NULL, &res);
	assert_true(res.ok);
	assert_int_equal(res.oa, UINT64_C(0xffffffff));
	assert_int_equal(res.leaf_level, 1);
	pt_ptw_translate(&src, &r, UINT64_C(0x100000000), PT_PTW_FOR_INPUT, NULL, &res);
	assert_false(res.ok);
	assert_int_equal(res.fault.kind, PT_PTF_ADDR_SIZE);
	pt_source_free(&src);
}

/* RES0 bits per stage, granule, output size, kind and level, each at the
 * bit where it starts or ends and the bit next to it that is a field. */
struct res0_case {
	unsigned stage;
	enum vmsa_granule g;
	int wide, level;
	enum pt_ptw_decision d;
	unsigned bit;
	int res0;
};

static const struct res0_case res0_cases[] = {
	{ 1, VMSA_4K, 0, 3, PT_PTW_DEC_PAGE, 48, 1 },   /* [50:48] */
	{ 1, VMSA_4K, 0, 3, PT_PTW_DEC_PAGE, 47, 0 },   /* OA[47] */
	{ 1, VMSA_4K, 0, 3, PT_PTW_DEC_PAGE, 50, 0 },   /* GP */
	{ 2, VMSA_4K, 0, 3, PT_PTW_DEC_PAGE, 50, 1 },   /* stage 2 has no GP */
	{ 1, VMSA_4K, 1, 3, PT_PTW_DEC_PAGE, 48, 0 },   /* DS: OA[48] */
	{ 1, VMSA_4K, 1, 0, PT_PTW_DEC_TABLE, 50, 1 },
	{ 1, VMSA_4K, 0, 0, PT_PTW_DEC_TABLE, 50, 1 },
	{ 1, VMSA_4K, 0, 0, PT_PTW_DEC_TABLE, 51, 0 },  /* IGNORED */
	{ 2, VMSA_4K, 0, 1, PT_PTW_DEC_TABLE, 59, 1 },  /* no PXNTable at stage 2 */
	{ 2, VMSA_4K, 0, 1, PT_PTW_DEC_TABLE, 58, 0 },
	{ 1, VMSA_16K, 0, 3, PT_PTW_DEC_PAGE, 13, 1 },
	{ 1, VMSA_16K, 0, 3, PT_PTW_DEC_PAGE, 14, 0 },
	{ 1, VMSA_16K, 0, 2, PT_PTW_DEC_TABLE, 12, 1 },
	{ 1, VMSA_64K, 0, 3, PT_PTW_DEC_PAGE, 15, 1 },
	{ 1, VMSA_64K, 0, 3, PT_PTW_DEC_PAGE, 16, 0 },
	{ 1, VMSA_64K, 1, 3, PT_PTW_DEC_PAGE, 15, 0 },  /* LPA: OA[51] */
	{ 1, VMSA_4K, 0, 1, PT_PTW_DEC_BLOCK, 29, 1 },  /* 1G block: [29:17] */
	{ 1, VMSA_4K, 0, 1, PT_PTW_DEC_BLOCK, 30, 0 },
	{ 1, VMSA_4K, 0, 2, PT_PTW_DEC_BLOCK, 21, 0 },  /* 2M block: OA[21] */
	{ 1, VMSA_4K, 0, 2, PT_PTW_DEC_BLOCK, 20, 1 },
	{ 1, VMSA_4K, 0, 2, PT_PTW_DEC_BLOCK, 16, 0 },  /* nT */
	{ 1, VMSA_4K, 0, 2, PT_PTW_DEC_BLOCK, 15, 1 },
	{ 1, VMSA_64K, 1, 1, PT_PTW_DEC_BLOCK, 41, 1 }, /* 4T block: [41:17] */
	{ 1, VMSA_64K, 1, 1, PT_PTW_DEC_BLOCK, 42, 0 },
	{ 1, VMSA_64K, 1, 1, PT_PTW_DEC_BLOCK, 12, 0 }, /* OA[48] */
};

static void res0_bits_at_boundaries(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof res0_cases / sizeof res0_cases[0]; i++) {
		const struct res0_case *c = &res0_cases[i];
		const struct pt_ptw_format *f = vmsa_pt_format(c->stage, c->g, c->wide);
		uint64_t bit = UINT64_C(1) << c->bit;
		uint64_t got = pt_ptw_res0_bits(f, c->level, bit | 3, c->d);
		if (got != (c->res0 ? bit : 0))
			fail_msg("case %zu (%s level %d bit %u): got 0x%llx", i, f->name, c->level,
				 c->bit, (unsigned long long)got);
	}
	/* Invalid and reserved descriptors have no RES0 verdict. */
	assert_int_equal(pt_ptw_res0_bits(vmsa_pt_format(1, VMSA_4K, 0), 3,
					  UINT64_C(1) << 48, PT_PTW_DEC_INVALID), 0);
}

int main(void)
{
	pt_formats_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference_4k_stage1),
		cmocka_unit_test(reference_64k_stage1),
		cmocka_unit_test(reference_4k_stage2_concatenated),
		cmocka_unit_test(reference_64k_stage2),
		cmocka_unit_test(regimes_from_mappings),
		cmocka_unit_test(hostile_loops_and_holes),
		cmocka_unit_test(wide_block_beyond_output_size),
		cmocka_unit_test(res0_bits_at_boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
