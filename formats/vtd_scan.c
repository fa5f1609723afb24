/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a dump holds Intel VT-d scalable-mode PASID directories, without the
 * context entry that names them: pages of present PASID-table entries the
 * VTD rules find clean, and directory entries whose SMPTBLPTR lands on
 * them. Judged by the field tables and checks decode and validate use. */
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "vtd.h"
#include "vtd_scan.h"

#define MAX_PE_PAGES 65536u
#define MAX_WORDS (1u << 18)
/* A directory holds at most 2^14 entries (PDTS 7): 128 KiB. */
#define MAX_DIR_BITS 14u
#define DIR_GAP (UINT64_C(128) << 10)
#define MAX_FOREIGN 4u

struct pe_page {
	uint64_t addr;
	uint16_t valid, clean;
	uint8_t claimed;
};

struct state {
	struct pt_table_cfg cfg;
	struct pe_page *pages;
	size_t npages, cpages;
	struct pt_scan_word *pde;
	size_t npde, cpde;
	uint64_t dropped;
};

static void *start(struct pt_scan *s)
{
	(void)s;
	struct state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->cfg.fmt = &vtd_pasid_format;
	st->cfg.layout = &vtd_pasid_format.layouts[0];
	st->cfg.ssid_bits = VTD_MIN_PASID_BITS;
	return st;
}

static void free_state(void *p)
{
	struct state *st = p;
	free(st->pages);
	free(st->pde);
	free(st);
}

/* A PASID table: every 64-byte slot present, zero, or torn down (P clear,
 * FPD set as Linux leaves it, RES0 clear), and at least one present entry
 * the VTD rules find no error in. */
static void pe_page(struct state *st, uint64_t addr, const uint8_t *p)
{
	for (unsigned i = 0; i < PT_SCAN_PAGE / VTD_PE_SIZE; i++) {
		const uint8_t *raw = p + i * VTD_PE_SIZE;
		if (!pt_scan_field(raw, &vtd_pe_fields[PE_P]) && !pt_scan_zero(raw, VTD_PE_SIZE) &&
		    !pt_scan_res0_clear(&vtd_pe_struct, raw))
			return;
	}
	struct pe_page pg = { addr, 0, 0, 0 };
	for (unsigned i = 0; i < PT_SCAN_PAGE / VTD_PE_SIZE; i++) {
		const uint8_t *raw = p + i * VTD_PE_SIZE;
		if (!vtd_pe(raw, PE_P))
			continue;
		struct pt_scan_verdict v;
		pt_scan_check(&vtd_pasid_format, &st->cfg, 0, i, addr + i * VTD_PE_SIZE, raw, &v);
		pg.valid++;
		if (!v.errors)
			pg.clean++;
	}
	if (!pg.clean)
		return;
	struct pe_page *e = pt_scan_push(&st->pages, &st->npages, &st->cpages, MAX_PE_PAGES,
					 sizeof *e, &st->dropped);
	if (e)
		*e = pg;
}

/* The first test of a directory entry, from its field table (set when
 * the scanner registers): each word of each page meets it. */
static struct pt_scan_word_filter pde_filter;

/* What a PASID directory entry may hold: P set, RES0 clear, a pointer. */
static int pde_plausible(uint64_t val)
{
	return !(val & pde_filter.res0) && pt_scan_word_field(val, &vtd_pde_fields[PDE_P]) &&
	       pt_scan_word_field(val, &vtd_pde_fields[PDE_SMPTBLPTR]);
}

/* A word a directory may hold besides present entries: one torn down (P
 * clear, FPD set, no pointer). */
static int pde_acceptable(uint64_t val)
{
	return pde_plausible(val) ||
	       (!(val & pde_filter.res0) && !pt_scan_word_field(val, &vtd_pde_fields[PDE_P]) &&
		!pt_scan_word_field(val, &vtd_pde_fields[PDE_SMPTBLPTR]));
}

static uint64_t pde_ptr(uint64_t val)
{
	return pt_scan_word_field(val, &vtd_pde_fields[PDE_SMPTBLPTR]);
}

static void page(struct pt_scan *s, void *p, uint64_t addr, const uint8_t *pg)
{
	struct state *st = p;
	pe_page(st, addr, pg);
	pt_scan_collect_words(s, addr, pg, &pde_filter, pde_plausible, pde_ptr, &st->pde, &st->npde, &st->cpde,
			      MAX_WORDS, &st->dropped);
}

static int cmp_page(const void *a, const void *b)
{
	const struct pe_page *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static struct pe_page *find_page(struct state *st, uint64_t addr)
{
	struct pe_page key = { addr, 0, 0, 0 };
	return st->npages ? bsearch(&key, st->pages, st->npages, sizeof key, cmp_page) : NULL;
}

static void add_dir(struct pt_scan *s, struct state *st, const struct pt_scan_word *w, size_t n)
{
	/* A directory is 4 KiB aligned (the context entry's PASIDDIRPTR). */
	uint64_t base = w[0].addr & ~(uint64_t)(PT_SCAN_PAGE - 1);
	int aligned = pt_scan_table_start(s, w[0].addr, pde_acceptable) == base;
	unsigned k = pt_scan_log2_ceil((w[n - 1].addr - base) / 8 + 1);
	unsigned bits = k + VTD_LEAF_BITS < VTD_MIN_PASID_BITS ? VTD_MIN_PASID_BITS
							       : k + VTD_LEAF_BITS;
	if (bits > PT_MAX_SSID_BITS)
		return;
	uint64_t valid = 0, clean = 0;
	for (size_t i = 0; i < n; i++) {
		struct pe_page *pg = find_page(st, pde_ptr(w[i].val));
		if (pg) {
			valid += pg->valid;
			clean += pg->clean;
			pg->claimed = 1;
		}
	}
	uint64_t foreign = pt_scan_foreign(s, base, w[n - 1].addr + 8, pde_acceptable);
	int score = 50 + (n > 1 ? 10 : 0) + (foreign ? 0 : 10) + (clean == valid ? 10 : 0) +
		    (aligned ? 10 : 0);
	struct pt_scan_candidate *c = pt_scan_add(s, vtd_pasid_format.name, base, score);
	if (!c)
		return;
	pt_scan_arg(c, "--format", "%s", vtd_pasid_format.name);
	pt_scan_arg(c, "--cd-table", "0x%llx", (unsigned long long)base);
	pt_scan_arg(c, "--layout", "%s", vtd_pasid_format.layouts[0].name);
	pt_scan_arg(c, "--ssid-bits", "%u", bits);
	pt_scan_evidence(c, "PASID directory: %zu present entries (index %llu to %llu) point at "
			    "PASID tables of %llu present entries, %llu without errors",
			 n, (unsigned long long)((w[0].addr - base) / 8),
			 (unsigned long long)((w[n - 1].addr - base) / 8),
			 (unsigned long long)valid, (unsigned long long)clean);
	pt_scan_evidence(c, "%u PASID bits (PDTS %u) is the smallest directory that reaches every "
			    "present entry found", bits, bits - VTD_MIN_PASID_BITS);
	if (foreign)
		pt_scan_evidence(c, "%llu words of the directory are not directory entries",
				 (unsigned long long)foreign);
	if (!aligned)
		pt_scan_evidence(c, "other data precedes the first entry in its page");
}

static void finish(struct pt_scan *s, void *p)
{
	struct state *st = p;
	pt_scan_sort(st->pages, st->npages, sizeof st->pages[0], cmp_page);
	pt_scan_sort(st->pde, st->npde, sizeof st->pde[0], pt_scan_cmp_word);
	size_t n = 0;
	for (size_t i = 0; i < st->npde; i++) {
		struct pe_page *pg = find_page(st, pde_ptr(st->pde[i].val));
		/* A directory entry inside a PASID table is that entry's word. */
		if (pg && !find_page(st, st->pde[i].addr & ~(uint64_t)(PT_SCAN_PAGE - 1)))
			st->pde[n++] = st->pde[i];
	}
	for (size_t i = 0; i < n;) {
		size_t j = pt_scan_group(s, st->pde, i, n, DIR_GAP, UINT64_C(8) << MAX_DIR_BITS,
					 PT_SCAN_PAGE, pde_acceptable, MAX_FOREIGN);
		add_dir(s, st, &st->pde[i], j - i);
		i = j;
	}
	s->overflow += st->dropped;
}

static const struct pt_scanner vtd_scanner = { "vtd", start, page, finish, free_state };

void vtd_scan_register(void)
{
	pde_filter.res0 = pt_scan_res0_word(&vtd_pde_struct);
	pde_filter.any = pt_scan_field_mask(&vtd_pde_fields[PDE_P]);
	pt_scanner_register(&vtd_scanner);
}
