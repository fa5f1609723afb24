/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The scan driver (core/scan.c): which pages scanners see (data only, not
 * all-zero ones, pages a range cuts), the budget at its boundary, the
 * candidate cap and ranking; and the SMMUv3 scanner on tables built in
 * memory: a 2-level stream table and its Span limit, a linear one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "field.h"
#include "formats.h"
#include "scan.h"
#include "smmuv3.h"
#include "viommu.h"

static uint8_t mem[0x30000];

/* ---- A scanner that records what it is shown ---- */

#define MAX_SEEN 64
static uint64_t seen[MAX_SEEN];
static size_t nseen;
static int fake_on;

static void *fake_start(struct pt_scan *s)
{
	(void)s;
	nseen = 0;
	return &nseen;
}

static void fake_page(struct pt_scan *s, void *st, uint64_t addr, const uint8_t *page)
{
	(void)s;
	(void)st;
	(void)page;
	if (fake_on && nseen < MAX_SEEN)
		seen[nseen++] = addr;
}

static void fake_finish(struct pt_scan *s, void *st)
{
	(void)st;
	if (fake_on && nseen)
		pt_scan_add(s, "fake", seen[0], 1);
}

static void fake_free(void *st)
{
	(void)st;
}

static const struct pt_scanner fake = { "fake", fake_start, fake_page, fake_finish, fake_free };

/* mem at 0x40000000: page 0 data, page 1 all zero bytes, page 2 data, then
 * 0x1000 bytes of data at 0x40003800 (a page the range cuts in two), and a
 * zero-filled tail the scan skips. */
static void layout(struct pt_source *src)
{
	memset(mem, 0, sizeof mem);
	mem[0x10] = 1;
	mem[0x2ff8] = 2;
	mem[0x3900] = 3;
	mem[0x4000] = 4;
	pt_source_init(src, "mem");
	assert_int_equal(pt_source_add_buffer(src, "mem", mem, sizeof mem), 0);
	assert_int_equal(pt_source_add_range(src, 0x40000000, 0x3000, 0, 0, 0x3000), 0);
	assert_int_equal(pt_source_add_range(src, 0x40003800, 0x100000, 0, 0x3800, 0x1000), 0);
	assert_int_equal(pt_source_finish(src, NULL), 0);
}

static void shows_data_pages_only(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	layout(&src);
	fake_on = 1;
	pt_scan_init(&s, &src, 0);
	assert_int_equal(pt_scan_run(&s), 0);
	assert_int_equal(nseen, 4);
	assert_true(seen[0] == 0x40000000);
	assert_true(seen[1] == 0x40002000);
	/* The cut pages: 0x40003800.. is in the page at 0x40003000 and
	 * spills into 0x40004000. */
	assert_true(seen[2] == 0x40003000);
	assert_true(seen[3] == 0x40004000);
	assert_int_equal(s.pages_zero, 1);
	assert_int_equal(s.pages_data, 4);
	/* The zero-filled tail (0x100000 - 0x1000 bytes) is skipped unread. */
	assert_true(s.bytes_skipped >= 0x100000 - 0x1800);
	assert_false(s.stopped);
	pt_scan_free(&s);
	fake_on = 0;
	pt_source_free(&src);
}

static uint64_t units_for_whole_scan(void)
{
	struct pt_source src;
	struct pt_scan s;
	layout(&src);
	pt_scan_init(&s, &src, 0);
	assert_int_equal(pt_scan_run(&s), 0);
	uint64_t used = s.budget.used;
	pt_scan_free(&s);
	pt_source_free(&src);
	return used;
}

static void budget_boundary(void **state)
{
	(void)state;
	uint64_t need = units_for_whole_scan();
	assert_true(need >= 5);
	struct pt_source src;
	struct pt_scan s;
	layout(&src);
	pt_scan_init(&s, &src, need);
	pt_scan_run(&s);
	assert_false(s.stopped);
	pt_scan_free(&s);
	pt_scan_init(&s, &src, need - 1);
	pt_scan_run(&s);
	assert_true(s.stopped);
	assert_int_equal(s.budget.used, need - 1);
	pt_scan_free(&s);
	pt_source_free(&src);
}

static void candidate_cap_and_ranking(void **state)
{
	(void)state;
	struct pt_scan s;
	pt_scan_init(&s, NULL, 0);
	for (unsigned i = 0; i < PT_SCAN_MAX_CANDIDATES; i++)
		assert_non_null(pt_scan_add(&s, "smmuv3-cd", i * 64u, (int)(i % 101)));
	assert_null(pt_scan_add(&s, "smmuv3-cd", 1, 1));
	assert_int_equal(s.dropped, 1);
	pt_scan_free(&s);

	pt_scan_init(&s, NULL, 0);
	assert_int_equal(pt_scan_add(&s, "smmuv3-cd", 0, -5)->score, 0);
	assert_int_equal(pt_scan_add(&s, "smmuv3-cd", 64, 101)->score, 100);
	struct pt_scan_candidate *c = pt_scan_add(&s, "smmuv3-strtab", 128, 100);
	assert_ptr_equal(pt_scan_find(&s, "smmuv3-strtab", 128), c);
	assert_null(pt_scan_find(&s, "smmuv3-cd", 128));
	/* Four option pairs fit; a fifth is left out whole. */
	for (int i = 0; i < 5; i++)
		pt_scan_arg(c, "--opt", "%d", i);
	assert_int_equal(c->nargs, PT_SCAN_MAX_ARGS);
	assert_string_equal(c->args[7], "3");
	pt_scan_free(&s);
}

static void log2_ceil(void **state)
{
	(void)state;
	assert_int_equal(pt_scan_log2_ceil(0), 0);
	assert_int_equal(pt_scan_log2_ceil(1), 0);
	assert_int_equal(pt_scan_log2_ceil(2), 1);
	assert_int_equal(pt_scan_log2_ceil(3), 2);
	assert_int_equal(pt_scan_log2_ceil(4), 2);
	assert_int_equal(pt_scan_log2_ceil(5), 3);
	assert_int_equal(pt_scan_log2_ceil(UINT64_C(1) << 40), 40);
	assert_int_equal(pt_scan_log2_ceil((UINT64_C(1) << 40) + 1), 41);
}

/* ---- The SMMUv3 scanner on tables in memory ---- */

#define BASE UINT64_C(0x80000000)

static void set(uint8_t *raw, const struct pt_field *f, uint64_t v)
{
	assert_int_equal(pt_field_set(raw, f, v), 0);
}

/* An L1 table at BASE + 0x1000 (descriptor `index` with Span `span`) and a
 * level-2 table of 4 abort STEs at BASE + 0x20000 (aligned for any Span) (SID index*256 + 0..3). */
static void two_level_at(struct pt_source *src, uint64_t base, unsigned index, unsigned span)
{
	memset(mem, 0, sizeof mem);
	uint8_t *l1 = mem + 0x1000 + index * 8;
	set(l1, &smmu_l1std_fields[L1STD_SPAN], span);
	set(l1, &smmu_l1std_fields[L1STD_L2PTR], (base + 0x20000) & ((UINT64_C(1) << 52) - 1));
	for (unsigned i = 0; i < 4; i++)
		set(mem + 0x20000 + i * SMMU_STE_SIZE, &smmu_ste_fields[STE_V], 1);
	pt_source_init(src, "mem");
	assert_int_equal(pt_source_add_buffer(src, "mem", mem, sizeof mem), 0);
	assert_int_equal(pt_source_add_range(src, base, sizeof mem, 0, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(src, NULL), 0);
}

static void two_level(struct pt_source *src, unsigned index, unsigned span)
{
	two_level_at(src, BASE, index, span);
}

static const struct pt_scan_candidate *first_of(const struct pt_scan *s, const char *kind)
{
	for (size_t i = 0; i < s->ncands; i++)
		if (strcmp(s->cands[i].kind, kind) == 0)
			return &s->cands[i];
	return NULL;
}

static void smmu_two_level(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	two_level(&src, 2, 9);
	pt_scan_init(&s, &src, 0);
	assert_int_equal(pt_scan_run(&s), 0);
	const struct pt_scan_candidate *c = first_of(&s, "smmuv3-strtab");
	assert_non_null(c);
	/* Descriptor 2 of a table aligned to 4 descriptors: the base is the
	 * L1 table's, LOG2SIZE 8 + 2, SPLIT 8 from Span 9. */
	assert_true(c->base == BASE + 0x1000);
	assert_int_equal(c->nargs, 4);
	assert_string_equal(c->args[0], "--strtab");
	assert_string_equal(c->args[1], "0x80001000");
	assert_string_equal(c->args[3], "0x1020a");
	pt_scan_free(&s);
	pt_source_free(&src);
}

static void smmu_span_limit(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	/* Span 11 (SPLIT 10) is the largest an L1 descriptor holds... */
	two_level(&src, 0, 11);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	const struct pt_scan_candidate *c = first_of(&s, "smmuv3-strtab");
	assert_non_null(c);
	assert_string_equal(c->args[3], "0x1028a");
	pt_scan_free(&s);
	pt_source_free(&src);
	/* A Span below SPLIT + 1 is legal: Span 8 needs SPLIT 7, which is not
	 * architected, so SPLIT 8. */
	two_level(&src, 0, 8);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	c = first_of(&s, "smmuv3-strtab");
	assert_non_null(c);
	assert_string_equal(c->args[3], "0x10208");
	pt_scan_free(&s);
	pt_source_free(&src);
	/* ...Span 12 is reserved: no 2-level table; the STEs alone are a
	 * linear table (4 valid, filled as Linux fills one). */
	two_level(&src, 0, 12);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	c = first_of(&s, "smmuv3-strtab");
	assert_non_null(c);
	assert_true(c->base == BASE + 0x20000);
	assert_string_equal(c->args[3], "0x2");
	pt_scan_free(&s);
	pt_source_free(&src);
}

static void smmu_linear_needs_a_full_table(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	/* 3 valid STEs of a 4-entry table, no CD: not filled as Linux fills
	 * one, and leading nowhere: not listed. */
	two_level(&src, 0, 12);
	memset(mem + 0x20000 + 3 * SMMU_STE_SIZE, 0, SMMU_STE_SIZE);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	assert_null(first_of(&s, "smmuv3-strtab"));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* STRTAB_BASE.ADDR is bits [51:6]: a linear table of STEs ending just
 * below 2^52 is a candidate, one starting at 2^52 (an ELF core may put
 * memory there) is not. */
static void smmu_strtab_below_2_52(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	const uint64_t top = UINT64_C(1) << 52;
	two_level_at(&src, top - 0x21000, 0, 12);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	const struct pt_scan_candidate *c = first_of(&s, "smmuv3-strtab");
	assert_non_null(c);
	assert_true(c->base == top - 0x1000);
	pt_scan_free(&s);
	pt_source_free(&src);
	two_level_at(&src, top - 0x20000, 0, 12);
	pt_scan_init(&s, &src, 0);
	pt_scan_run(&s);
	assert_null(first_of(&s, "smmuv3-strtab"));
	pt_scan_free(&s);
	pt_source_free(&src);
}

static void other_format_takes_a_slot(void **state)
{
	(void)state;
	uint8_t raw[64];
	/* Linux's abort STE (V = 1, nothing else) is nobody else's entry. */
	memset(raw, 0, sizeof raw);
	set(raw, &smmu_ste_fields[STE_V], 1);
	assert_int_equal(pt_scan_other_format_clean(&smmu_strtab_format, BASE, raw, 64), 0);
	/* A CD as written by hand (the defaults, valid, a TTB0) is a CD... */
	memset(raw, 0, sizeof raw);
	smmu_cd_format.entry_defaults(raw);
	set(raw, &smmu_cd_fields[CD_V], 1);
	set(raw, &smmu_cd_fields[CD_TTB0], 0x48000000);
	assert_int_equal(pt_scan_other_format_clean(&smmu_strtab_format, BASE, raw, 64), 1);
	/* ...but not to the CD format itself, and not with an error. */
	assert_int_equal(pt_scan_other_format_clean(&smmu_cd_format, BASE, raw, 64), 0);
	set(raw, &smmu_cd_fields[CD_TG0], 3);  /* reserved: CD-TG0-RESERVED */
	assert_int_equal(pt_scan_other_format_clean(&smmu_strtab_format, BASE, raw, 64), 0);
	/* Entries of another size are not compared. */
	assert_int_equal(pt_scan_other_format_clean(&smmu_strtab_format, BASE, raw, 32), 0);
}

/* ---- CDs nothing points at: counted only on a page table ---- */

#define LONE_CD 0x1400u   /* the CD, alone in its page */
#define CHAIN 0x4000u     /* tables at CHAIN, + 0x1000, ...: each entry 0 the next */
#define PAGE_DESC(pa) ((pa) | 3u | (1u << 10))  /* table or page, AF set */

/* A lone valid CD at BASE + LONE_CD with T0SZ t0sz, TTB0 ttb0; the rest of
 * mem is left to the caller. */
static void lone_cd(uint64_t ttb0, unsigned t0sz)
{
	memset(mem, 0, sizeof mem);
	uint8_t *cd = mem + LONE_CD;
	smmu_cd_format.entry_defaults(cd);
	set(cd, &smmu_cd_fields[CD_T0SZ], t0sz);
	set(cd, &smmu_cd_fields[CD_ASID], 7);
	set(cd, &smmu_cd_fields[CD_TTB0], ttb0);
}

static void put_desc(uint64_t at, uint64_t desc)
{
	pt_put_le64(mem + at, 0, desc);
}

/* T0SZ 16, 4 KiB: four levels from CHAIN, each table's entry 0 the next
 * one, the last a page of the dump. */
static void chain4(void)
{
	for (unsigned i = 0; i < 3; i++)
		put_desc(CHAIN + i * 0x1000, PAGE_DESC(BASE + CHAIN + (i + 1) * 0x1000));
	put_desc(CHAIN + 0x3000, PAGE_DESC(BASE + 0x8000));
}

static const struct pt_scan_candidate *lone_scan(struct pt_scan *s, struct pt_source *src)
{
	pt_source_init(src, "mem");
	assert_int_equal(pt_source_add_buffer(src, "mem", mem, sizeof mem), 0);
	assert_int_equal(pt_source_add_range(src, BASE, sizeof mem, 0, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(src, NULL), 0);
	pt_scan_init(s, src, 0);
	assert_int_equal(pt_scan_run(s), 0);
	const struct pt_scan_candidate *c = first_of(s, "smmuv3-cd");
	return c && c->base == BASE + LONE_CD ? c : NULL;
}

static int has_evidence(const struct pt_scan_candidate *c, const char *text)
{
	for (unsigned i = 0; i < c->nevidence; i++)
		if (strstr(c->evidence[i], text))
			return 1;
	return 0;
}

static void lone_cd_on_a_page_table(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + CHAIN, 16);
	chain4();
	const struct pt_scan_candidate *c = lone_scan(&s, &src);
	assert_non_null(c);
	assert_true(has_evidence(c, "is a page table in the dump: 4 tables walked to 1 mapping,"));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* The same chain with a reserved encoding beside it (a block at
	 * level 0): other data. */
	lone_cd(BASE + CHAIN, 16);
	chain4();
	put_desc(CHAIN + 8, BASE | 1u);
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* The CDs a real guest's dump held: kernel words with bit 31 set whose
 * TTB0 lands on other data. */
static void lone_cd_on_other_data(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	/* TTB0 on a page of pointers (bit 0 clear: not descriptors). */
	lone_cd(BASE + CHAIN, 16);
	for (unsigned i = 0; i < 8; i++)
		put_desc(CHAIN + i * 8, BASE + 0x100 * i);
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* TTB0 not in the dump. */
	lone_cd(BASE + sizeof mem, 16);
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* Both halves disabled: a CD that translates nothing. */
	lone_cd(BASE + CHAIN, 16);
	set(mem + LONE_CD, &smmu_cd_fields[CD_EPD0], 1);
	put_desc(CHAIN, PAGE_DESC(BASE + 0x5000));
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* One table of blocks is a page table when a block maps memory the dump
 * holds, and other data (a page of odd numbers) when none does. T0SZ 25
 * with 4 KiB pages starts at level 1, where 1 GiB blocks are allowed. */
static void lone_cd_one_table_of_blocks(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + CHAIN, 25);
	put_desc(CHAIN, BASE | 1u | (1u << 10));
	const struct pt_scan_candidate *c = lone_scan(&s, &src);
	assert_non_null(c);
	assert_true(has_evidence(c, "1 tables walked to 1 mapping, 1 of them in the dump"));
	pt_scan_free(&s);
	pt_source_free(&src);
	lone_cd(BASE + CHAIN, 25);
	put_desc(CHAIN, (BASE + 0x40000000) | 1u | (1u << 10));
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* Runs of CDs nothing points at: two that translate through different
 * tables are a table (the samples of testdata/cd), two through the same
 * one are no more than one CD. */
static void lone_cd_runs(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + 0x10000000, 16);
	memcpy(mem + LONE_CD + 2 * SMMU_CD_SIZE, mem + LONE_CD, SMMU_CD_SIZE);
	set(mem + LONE_CD + 2 * SMMU_CD_SIZE, &smmu_cd_fields[CD_TTB0], BASE + 0x10001000);
	const struct pt_scan_candidate *c = lone_scan(&s, &src);
	assert_non_null(c);
	assert_true(has_evidence(c, "2 of them translate through a table"));
	pt_scan_free(&s);
	pt_source_free(&src);
	set(mem + LONE_CD + 2 * SMMU_CD_SIZE, &smmu_cd_fields[CD_TTB0], BASE + 0x10000000);
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* Two kernel words a real guest's dump held 0x80 bytes apart, the rest of
 * their slots zero: each passes for a CD (one with TTB0 0, one with EPD0
 * set and TTB1 0), the first without an error; not a CD table. */
static void lone_cd_kernel_words(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	memset(mem, 0, sizeof mem);
	pt_put_le64(mem + LONE_CD, 0, UINT64_C(0x011373d99f42b173));
	pt_put_le64(mem + LONE_CD + 0x80, 0, UINT64_C(0x7eec73d99c5d4f73));
	assert_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* The first word made a CD Linux could write (TTB1 off, T0SZ and TG0
	 * for 4 KiB, little-endian tables) with a TTB0 a page table is at. */
	pt_put_le64(mem + LONE_CD + 0x80, 0, 0);
	set(mem + LONE_CD, &smmu_cd_fields[CD_EPD1], 1);
	set(mem + LONE_CD, &smmu_cd_fields[CD_TTB0], BASE + CHAIN);
	set(mem + LONE_CD, &smmu_cd_fields[CD_T0SZ], 16);
	set(mem + LONE_CD, &smmu_cd_fields[CD_TG0], 0);
	set(mem + LONE_CD, &smmu_cd_fields[CD_ENDI], 0);
	chain4();
	assert_non_null(lone_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* ---- virtio-iommu ATTACH_TABLE requests ---- */

#define REQ 0x2040u  /* a request buffer, 8-byte aligned */

/* An RFC1 ATTACH_TABLE at BASE + REQ naming a linear PASID table at ptr. */
static void put_request(uint64_t ptr, unsigned s1cdmax)
{
	char err[160];
	size_t len;
	json_t *o = json_pack("{s:s, s:i, s:i, s:I, s:i, s:s}", "type", "attach_table", "domain", 3,
			      "endpoint", 8, "s1contextptr", (json_int_t)ptr, "s1cdmax",
			      (int)s1cdmax, "s1fmt", "linear");
	assert_int_equal(pt_viommu_build(o, PT_VV_RFC1, 0, PT_VIOMMU_DEFAULT_PROBE_SIZE,
					 mem + REQ, PT_VIOMMU_MAX_FIXED, &len, err, sizeof err), 0);
	json_decref(o);
}

static const struct pt_scan_candidate *request_scan(struct pt_scan *s, struct pt_source *src)
{
	lone_scan(s, src);
	const struct pt_scan_candidate *c = first_of(s, "viommu-attach-pst-arm");
	return c && c->base == BASE + REQ ? c : NULL;
}

/* A request naming a CD table the scan lists (a lone CD on a page table):
 * found, with the arguments of `attach decode`, and the table's score
 * raised by it. */
static void request_names_a_cd_table(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + CHAIN, 16);
	chain4();
	put_request(BASE + LONE_CD, 0);
	const struct pt_scan_candidate *c = request_scan(&s, &src);
	assert_non_null(c);
	assert_string_equal(c->command, "attach decode");
	assert_int_equal(c->nargs, 2);
	assert_string_equal(c->args[0], "--at");
	assert_string_equal(c->args[1], "0x80002040");
	assert_true(has_evidence(c, "which the scan lists"));
	const struct pt_scan_candidate *t = first_of(&s, "smmuv3-cd");
	assert_non_null(t);
	assert_true(has_evidence(t, "ATTACH_TABLE request at 0x80002040 names it"));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* A lone CD the SMMU scanner passes over (its TTB0 is not in the dump) is
 * listed once a request names it; a request naming zeros is nothing. */
static void request_names_a_lone_cd(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + sizeof mem, 16);
	put_request(BASE + LONE_CD, 0);
	const struct pt_scan_candidate *c = request_scan(&s, &src);
	assert_non_null(c);
	assert_true(has_evidence(c, "whose CD 0 at 0x80001400 is valid, no errors"));
	const struct pt_scan_candidate *t = first_of(&s, "smmuv3-cd");
	assert_non_null(t);
	assert_true(t->base == BASE + LONE_CD);
	assert_string_equal(t->args[3], "linear");
	pt_scan_free(&s);
	pt_source_free(&src);
	lone_cd(BASE + sizeof mem, 16);
	put_request(BASE + LONE_CD + SMMU_CD_SIZE, 0);
	assert_null(request_scan(&s, &src));
	assert_null(first_of(&s, "smmuv3-cd"));
	pt_scan_free(&s);
	pt_source_free(&src);
}

/* Near misses of request_names_a_cd_table: the head's reserved bytes
 * set, the table pointer's low bits set, another format code. */
static void request_near_misses(void **state)
{
	(void)state;
	struct pt_source src;
	struct pt_scan s;
	lone_cd(BASE + CHAIN, 16);
	chain4();
	put_request(BASE + LONE_CD, 0);
	mem[REQ + 3] = 1;
	assert_null(request_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* S1ContextPtr with bits 5:0 set (ATTACH-PTR-LOW), though the table
	 * it names after masking is the CD found above. */
	put_request(BASE + LONE_CD + 8, 0);
	mem[REQ + 3] = 0;
	assert_null(request_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
	/* A page-table format code instead of the PASID table's: no PASID
	 * table is named. */
	put_request(BASE + LONE_CD, 0);
	const struct pt_field *f = pt_struct_field(
		pt_viommu_kind_find(PT_VV_RFC1, "attach_table", NULL)->st, "format");
	assert_non_null(f);
	uint64_t pst = pt_field_get(mem + REQ, f);
	assert_int_equal(pt_field_set(mem + REQ, f, pst + 1), 0);
	assert_null(request_scan(&s, &src));
	pt_scan_free(&s);
	pt_source_free(&src);
}

int main(void)
{
	pt_scanner_register(&fake);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shows_data_pages_only),
		cmocka_unit_test(budget_boundary),
		cmocka_unit_test(candidate_cap_and_ranking),
		cmocka_unit_test(log2_ceil),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	pt_formats_init();
	const struct CMUnitTest smmu[] = {
		cmocka_unit_test(smmu_two_level),
		cmocka_unit_test(smmu_span_limit),
		cmocka_unit_test(smmu_linear_needs_a_full_table),
		cmocka_unit_test(smmu_strtab_below_2_52),
		cmocka_unit_test(other_format_takes_a_slot),
		cmocka_unit_test(lone_cd_on_a_page_table),
		cmocka_unit_test(lone_cd_on_other_data),
		cmocka_unit_test(lone_cd_one_table_of_blocks),
		cmocka_unit_test(lone_cd_runs),
		cmocka_unit_test(lone_cd_kernel_words),
		cmocka_unit_test(request_names_a_cd_table),
		cmocka_unit_test(request_names_a_lone_cd),
		cmocka_unit_test(request_near_misses),
	};
	return rc | cmocka_run_group_tests(smmu, NULL, NULL);
}
