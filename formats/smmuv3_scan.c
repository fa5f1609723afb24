/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a dump holds an SMMUv3's stream table and CD tables, without the
 * register values: pages of well-formed STEs, L1 descriptors whose L2Ptr
 * lands on them, CDs the CD rules find clean, and the CD tables STEs point
 * at. Every entry is judged by the same field tables and checks decode and
 * validate use (pt_scan_check). */
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "smmuv3.h"
#include "smmuv3_ptw.h"
#include "smmuv3_scan.h"

/* Caps on what one scan remembers (a hostile dump can make every page look
 * like STEs); beyond them the scan says what it dropped. */
#define MAX_STE_PAGES 65536u
#define MAX_WORDS (1u << 18)
#define MAX_CD_SLOTS 65536u
#define MAX_S1_STES 16384u
/* A table may hold a few descriptors with reserved bits set (findings for
 * validate); more words of other data than this between two descriptors
 * and they are different tables. */
#define MAX_FOREIGN 4u
/* L1 descriptors further apart than this are different tables. */
#define L1_GAP (UINT64_C(64) << 10)
/* The widest L1 stream table the scan rebuilds (2^20 StreamIDs at SPLIT 6). */
#define MAX_L1_BYTES (UINT64_C(1) << 20)

struct ste_page {
	uint64_t addr;
	uint16_t valid, clean, s1;
	uint16_t fill;           /* valid STEs equal to the page's first one */
	uint8_t first, last;     /* first and last valid slot */
	uint8_t claimed;         /* CLAIMED_*: part of a 2-level table found */
};
enum { CLAIMED_L2 = 1, CLAIMED_L1 = 2 };

struct cd_slot {
	uint64_t addr;
	uint16_t errors, warnings;
	uint8_t claimed;         /* inside a CD table already reported */
};

struct s1_ste {
	uint64_t addr;
	uint32_t mark;           /* counted by the table whose mark this is */
	uint8_t raw[SMMU_STE_SIZE];
};

struct state {
	struct pt_table_cfg ste_cfg, cd_cfg;
	struct smmu_caps caps;
	struct ste_page *pages;
	size_t npages, cpages;
	struct pt_scan_word *l1, *l1cd;
	size_t nl1, cl1, nl1cd, cl1cd;
	struct cd_slot *cds;
	size_t ncds, ccds;
	struct s1_ste *s1;       /* sorted by address in finish */
	size_t ns1, cs1;
	uint32_t mark;
	uint64_t ttb_descs;      /* page-table descriptors read by ttb_look */
	uint64_t dropped;
};

static void *start(struct pt_scan *s)
{
	(void)s;
	struct state *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->ste_cfg.fmt = &smmu_strtab_format;
	st->ste_cfg.layout = &smmu_strtab_format.layouts[SMMU_STRTAB_LINEAR];
	st->cd_cfg.fmt = &smmu_cd_format;
	st->cd_cfg.layout = &smmu_cd_format.layouts[SMMU_LAYOUT_LINEAR];
	smmu_caps_default(&st->caps);
	return st;
}

static void free_state(void *p)
{
	struct state *st = p;
	free(st->pages);
	free(st->l1);
	free(st->l1cd);
	free(st->cds);
	free(st->s1);
	free(st);
}

/* ---- The page pass ---- */

/* A page of STEs: every 64-byte slot valid or all zero, and at least one
 * valid STE the STE rules find no error in. */
static void ste_page(struct pt_scan *s, struct state *st, uint64_t addr, const uint8_t *p)
{
	unsigned valid = 0;
	for (unsigned i = 0; i < PT_SCAN_PAGE / SMMU_STE_SIZE; i++) {
		const uint8_t *raw = p + i * SMMU_STE_SIZE;
		if (pt_scan_field(raw, &smmu_ste_fields[STE_V]))
			valid++;
		else if (!pt_scan_zero(raw, SMMU_STE_SIZE))
			return;
	}
	if (!valid)
		return;
	struct ste_page pg = { addr, 0, 0, 0, 0, 0xff, 0, 0 };
	for (unsigned i = 0; i < PT_SCAN_PAGE / SMMU_STE_SIZE; i++) {
		const uint8_t *raw = p + i * SMMU_STE_SIZE;
		/* A slot a CD or a VT-d PASID entry passes for cleanly is one:
		 * real STEs fail their rules (Linux's STEs set T0SZ bits that
		 * are V, Config and S1Fmt, and PGTT 0 is reserved). */
		if (!smmu_ste(raw, STE_V) ||
		    pt_scan_other_format_clean(&smmu_strtab_format, addr + i * SMMU_STE_SIZE, raw,
					       SMMU_STE_SIZE))
			continue;
		struct pt_scan_verdict v;
		pt_scan_check(&smmu_strtab_format, &st->ste_cfg, 0, i, addr + i * SMMU_STE_SIZE, raw,
			      &v);
		pg.valid++;
		pg.first = pg.first == 0xff ? (uint8_t)i : pg.first;
		if (!memcmp(raw, p + pg.first * SMMU_STE_SIZE, SMMU_STE_SIZE))
			pg.fill++;
		pg.last = (uint8_t)i;
		if (v.errors)
			continue;
		if (!v.warnings)
			pg.clean++;
		unsigned config = (unsigned)smmu_ste(raw, STE_CONFIG);
		if (!smmu_ste_s1(config) || config == SMMU_STE_NESTED)
			continue;
		pg.s1++;
		struct s1_ste *e = pt_scan_push(&st->s1, &st->ns1, &st->cs1, MAX_S1_STES, sizeof *e,
					&st->dropped);
		if (e) {
			e->addr = addr + i * SMMU_STE_SIZE;
			e->mark = 0;
			memcpy(e->raw, raw, SMMU_STE_SIZE);
		}
	}
	if (!pg.clean && !pg.s1)
		return;
	struct ste_page *e = pt_scan_push(&st->pages, &st->npages, &st->cpages, MAX_STE_PAGES, sizeof *e,
				  &st->dropped);
	if (e)
		*e = pg;
	(void)s;
}

/* Valid CDs with their RES0 bits clear (which turns most other data away
 * before the checks run), and what the CD rules say about them. */
static void cd_page(struct state *st, uint64_t addr, const uint8_t *p)
{
	for (unsigned i = 0; i < PT_SCAN_PAGE / SMMU_CD_SIZE; i++) {
		const uint8_t *raw = p + i * SMMU_CD_SIZE;
		if (!pt_scan_field(raw, &smmu_cd_fields[CD_V]) ||
		    !pt_scan_res0_clear(&smmu_cd_struct, raw))
			continue;
		struct pt_scan_verdict v;
		pt_scan_check(&smmu_cd_format, &st->cd_cfg, 0, 0, addr + i * SMMU_CD_SIZE, raw, &v);
		struct cd_slot *e = pt_scan_push(&st->cds, &st->ncds, &st->ccds, MAX_CD_SLOTS, sizeof *e,
					 &st->dropped);
		if (e) {
			e->addr = addr + i * SMMU_CD_SIZE;
			e->errors = (uint16_t)(v.errors > 0xffff ? 0xffff : v.errors);
			e->warnings = (uint16_t)(v.warnings > 0xffff ? 0xffff : v.warnings);
			e->claimed = 0;
		}
	}
}

/* The first test of the two L1 descriptors, from their field tables (set
 * when the scanner registers): each word of each page meets them. */
static struct pt_scan_word_filter l1cd_filter, l1std_filter;

/* What an L1 CD descriptor may hold: V set, RES0 clear, an L2Ptr. */
static int l1cd_plausible(uint64_t val)
{
	return !(val & l1cd_filter.res0) && pt_scan_word_field(val, &smmu_l1cd_fields[L1CD_V]) &&
	       pt_scan_word_field(val, &smmu_l1cd_fields[L1CD_L2PTR]);
}

/* What an L1 stream-table descriptor may hold: Span 1..11, RES0 clear, an
 * L2Ptr aligned to the leaf it describes. */
static int l1std_plausible(uint64_t val)
{
	if (val & l1std_filter.res0)
		return 0;
	uint64_t span = pt_scan_word_field(val, &smmu_l1std_fields[L1STD_SPAN]);
	uint64_t l2 = pt_scan_word_field(val, &smmu_l1std_fields[L1STD_L2PTR]);
	if (span == 0 || span > 11 || !l2)
		return 0;
	return (l2 & ((UINT64_C(64) << (span - 1)) - 1)) == 0;
}

static uint64_t l1std_l2ptr(uint64_t val)
{
	return pt_scan_word_field(val, &smmu_l1std_fields[L1STD_L2PTR]);
}

static uint64_t l1cd_l2ptr(uint64_t val)
{
	return pt_scan_word_field(val, &smmu_l1cd_fields[L1CD_L2PTR]);
}

static void l1_words(struct pt_scan *s, struct state *st, uint64_t addr, const uint8_t *p)
{
	pt_scan_collect_words(s, addr, p, &l1std_filter, l1std_plausible, l1std_l2ptr, &st->l1, &st->nl1, &st->cl1,
			      MAX_WORDS, &st->dropped);
	pt_scan_collect_words(s, addr, p, &l1cd_filter, l1cd_plausible, l1cd_l2ptr, &st->l1cd, &st->nl1cd,
			      &st->cl1cd, MAX_WORDS, &st->dropped);
}

static void page(struct pt_scan *s, void *p, uint64_t addr, const uint8_t *pg)
{
	struct state *st = p;
	ste_page(s, st, addr, pg);
	cd_page(st, addr, pg);
	l1_words(s, st, addr, pg);
}

/* ---- Tying pages together ---- */

static int cmp_page(const void *a, const void *b)
{
	const struct ste_page *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_cd(const void *a, const void *b)
{
	const struct cd_slot *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmp_s1(const void *a, const void *b)
{
	const struct s1_ste *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static struct ste_page *find_page(struct state *st, uint64_t addr)
{
	struct ste_page key = { addr & ~(uint64_t)(PT_SCAN_PAGE - 1), 0, 0, 0, 0, 0, 0, 0 };
	return st->npages ? bsearch(&key, st->pages, st->npages, sizeof key, cmp_page) : NULL;
}

static struct cd_slot *find_cd(struct state *st, uint64_t addr)
{
	struct cd_slot key = { addr, 0, 0, 0 };
	return st->ncds ? bsearch(&key, st->cds, st->ncds, sizeof key, cmp_cd) : NULL;
}

/* A valid CD the CD rules find no error in, at exactly addr. */
static int clean_cd(struct state *st, uint64_t addr)
{
	struct cd_slot *c = find_cd(st, addr);
	return c && !c->errors;
}

/* Stage-1 STEs in [lo, hi) not counted yet under the current mark whose
 * S1ContextPtr is a clean CD. Each STE counts once per table however many
 * descriptors reach its leaf, and finding them costs a binary search. */
static uint64_t s1_to_clean_cds(struct state *st, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = st->ns1;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (st->s1[m].addr < lo)
			a = m + 1;
		else
			b = m;
	}
	uint64_t n = 0;
	for (; a < st->ns1 && st->s1[a].addr < hi; a++) {
		struct s1_ste *e = &st->s1[a];
		if (e->mark == st->mark)
			continue;
		e->mark = st->mark;
		n += (uint64_t)clean_cd(st, smmu_ste(e->raw, STE_S1CONTEXTPTR));
	}
	return n;
}

static uint64_t span_of(uint64_t val)
{
	return pt_scan_word_field(val, &smmu_l1std_fields[L1STD_SPAN]);
}

static uint64_t l2ptr_of(uint64_t val)
{
	return l1std_l2ptr(val);
}

/* An L1 descriptor is confirmed when the level-2 table it describes holds
 * valid STEs the page pass kept. */
static int l1_confirmed(struct state *st, uint64_t val)
{
	uint64_t l2 = l2ptr_of(val), bytes = UINT64_C(64) << (span_of(val) - 1);
	for (uint64_t a = l2 & ~(uint64_t)(PT_SCAN_PAGE - 1); a < l2 + bytes; a += PT_SCAN_PAGE) {
		struct ste_page *pg = find_page(st, a);
		if (!pg)
			continue;
		uint64_t lo = pg->addr + pg->first * SMMU_STE_SIZE;
		uint64_t hi = pg->addr + pg->last * SMMU_STE_SIZE;
		if (hi >= l2 && lo < l2 + bytes)
			return 1;
	}
	return 0;
}

/* STEs a level-2 table holds, from the pages the page pass kept. */
static void count_leaf(struct state *st, uint64_t l2, uint64_t bytes, uint64_t *valid,
		       uint64_t *clean, uint64_t *s1, int claim)
{
	for (uint64_t a = l2 & ~(uint64_t)(PT_SCAN_PAGE - 1); a < l2 + bytes; a += PT_SCAN_PAGE) {
		struct ste_page *pg = find_page(st, a);
		if (!pg)
			continue;
		*valid += pg->valid;
		*clean += pg->clean;
		*s1 += pg->s1;
		if (claim)
			pg->claimed = CLAIMED_L2;
	}
}

/* The SPLIT a set of Spans implies: Linux writes Span = SPLIT + 1; a
 * smaller Span is legal, so the smallest architected SPLIT (6, 8, 10) that
 * holds the widest leaf. */
static unsigned split_for(unsigned max_span)
{
	unsigned need = max_span ? max_span - 1 : 0;
	return need <= 6 ? 6 : need <= 8 ? 8 : 10;
}

/* STRTAB_BASE holds ADDR[51:6]: a run of STE-like words above that (an ELF
 * core may place memory anywhere in 64 bits) is not a table an SMMU can use. */
static int strtab_addressable(uint64_t base)
{
	struct smmu_strtab st;
	smmu_strtab_decode(base, 0, 32, &st);
	return st.base == base;
}

static void add_2lvl(struct pt_scan *s, struct state *st, const struct pt_scan_word *w, size_t n)
{
	unsigned max_span = 0;
	for (size_t i = 0; i < n; i++)
		if (span_of(w[i].val) > max_span)
			max_span = (unsigned)span_of(w[i].val);
	unsigned split = split_for(max_span);
	uint64_t first = w[0].addr, last = w[n - 1].addr;
	uint64_t base;
	unsigned k;
	if (pt_scan_table_base(pt_scan_table_start(s, first, l1std_plausible), first, last, 32 - split, &base,
		       &k) != 0 || !strtab_addressable(base))
		return;
	unsigned log2size = split + k;
	uint64_t foreign = pt_scan_foreign(s, base, last + 8, l1std_plausible);
	/* The L1 table's own words can pass for STEs (Span's bit 0 is STE.V). */
	for (uint64_t a = base & ~(uint64_t)(PT_SCAN_PAGE - 1); a <= last; a += PT_SCAN_PAGE) {
		struct ste_page *pg = find_page(st, a);
		if (pg && !pg->claimed)
			pg->claimed = CLAIMED_L1;
	}
	uint64_t valid = 0, clean = 0, s1 = 0, cds = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t span = span_of(w[i].val);
		count_leaf(st, l2ptr_of(w[i].val), UINT64_C(64) << (span - 1), &valid, &clean, &s1,
			   1);
	}
	struct pt_table_cfg cfg = { &smmu_strtab_format,
				    &smmu_strtab_format.layouts[SMMU_STRTAB_2LVL],
				    base, log2size, split, { 0 }, 0, 0 };
	unsigned dir_errors = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t raw[8];
		struct pt_scan_verdict v;
		pt_put_le64(raw, 0, w[i].val);
		pt_scan_check(&smmu_strtab_format, &cfg, 1, (uint32_t)((w[i].addr - base) / 8),
			      w[i].addr, raw, &v);
		dir_errors += v.errors;
	}
	st->mark++;
	for (size_t j = 0; j < n; j++) {
		uint64_t l2 = l2ptr_of(w[j].val);
		uint64_t bytes = UINT64_C(64) << (span_of(w[j].val) - 1);
		cds += s1_to_clean_cds(st, l2, l2 + bytes);
	}
	/* Linux writes Span = SPLIT + 1 (SPLIT 6..10); leaves of a few STEs
	 * are legal but most often other structures' words. */
	int small = max_span < 7;
	int score = 60 + (n > 1 ? 10 : 5) + (foreign ? 0 : 10) + (dir_errors ? 0 : 5) +
		    (clean == valid ? 5 : 0) + (cds ? 10 : 0) - (small ? 30 : 0);
	struct pt_scan_candidate *c = pt_scan_add(s, smmu_strtab_format.name, base, score);
	if (!c)
		return;
	uint64_t cfg_reg = ((uint64_t)SMMU_STRTAB_2LVL << 16) | ((uint64_t)split << 6) | log2size;
	pt_scan_arg(c, "--strtab", "0x%llx", (unsigned long long)base);
	pt_scan_arg(c, "--strtab-cfg", "0x%llx", (unsigned long long)cfg_reg);
	pt_scan_evidence(c, "2-level: %zu valid L1 descriptors (index %llu to %llu, Span up to %u) "
			    "point at level-2 tables of STEs",
			 n, (unsigned long long)((first - base) / 8),
			 (unsigned long long)((last - base) / 8), max_span);
	pt_scan_evidence(c, "%llu valid STEs in them, %llu clean (no error or warning), %llu translating "
			    "stage 1; %llu point at a clean CD",
			 (unsigned long long)valid, (unsigned long long)clean,
			 (unsigned long long)s1, (unsigned long long)cds);
	pt_scan_evidence(c, "SPLIT %u from Span %u; LOG2SIZE %u is the smallest that reaches every "
			    "valid L1 descriptor (the SMMU's may be larger)",
			 split, max_span, log2size);
	if (foreign)
		pt_scan_evidence(c, "%llu words between the L1 base and the last descriptor are "
				    "not L1 descriptors", (unsigned long long)foreign);
	if (small)
		pt_scan_evidence(c, "leaves of at most %u STEs (Span %u): legal, but Linux writes "
				    "Span = SPLIT + 1, at least 7", 1u << (max_span - 1), max_span);
	if (dir_errors)
		pt_scan_evidence(c, "the L1STD rules report %u errors", dir_errors);
}

/* Confirmed L1 descriptors, grouped into tables: consecutive ones closer
 * than L1_GAP with nothing but zero or L1 descriptors between them. */
static void find_2lvl(struct pt_scan *s, struct state *st)
{
	pt_scan_sort(st->l1, st->nl1, sizeof st->l1[0], pt_scan_cmp_word);
	size_t n = 0;
	for (size_t i = 0; i < st->nl1; i++)
		if (l1_confirmed(st, st->l1[i].val))
			st->l1[n++] = st->l1[i];
	struct cluster { size_t first, n; uint64_t reach; } *cl = calloc(n ? n : 1, sizeof *cl);
	if (!cl) {
		st->dropped += n;
		return;
	}
	size_t ncl = 0;
	for (size_t i = 0; i < n;) {
		size_t j = pt_scan_group(s, st->l1, i, n, L1_GAP, MAX_L1_BYTES, 1, l1std_plausible,
					 MAX_FOREIGN);
		uint64_t valid = 0, clean = 0, s1 = 0;
		for (size_t k = i; k < j; k++)
			count_leaf(st, l2ptr_of(st->l1[k].val),
				   UINT64_C(64) << (span_of(st->l1[k].val) - 1), &valid, &clean, &s1,
				   0);
		cl[ncl++] = (struct cluster){ i, j - i, clean };
		i = j;
	}
	/* The table that reaches the most clean STEs first: a word inside a
	 * level-2 table it claims is an STE, not another table's descriptor. */
	for (size_t done = 0; done < ncl; done++) {
		size_t best = ncl;
		for (size_t k = 0; k < ncl; k++)
			if (cl[k].n && (best == ncl || cl[k].reach > cl[best].reach))
				best = k;
		struct cluster c = cl[best];
		cl[best].n = 0;
		struct ste_page *pg = find_page(st, st->l1[c.first].addr);
		if (pg && pg->claimed == CLAIMED_L2)
			continue;
		add_2lvl(s, st, &st->l1[c.first], c.n);
	}
	free(cl);
}

/* Runs of pages of STEs no L1 descriptor reaches: linear stream tables. */
static void find_linear(struct pt_scan *s, struct state *st)
{
	for (size_t i = 0; i < st->npages;) {
		if (st->pages[i].claimed) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < st->npages && !st->pages[j].claimed &&
		       st->pages[j].addr == st->pages[j - 1].addr + PT_SCAN_PAGE)
			j++;
		uint64_t base = st->pages[i].addr + st->pages[i].first * SMMU_STE_SIZE;
		uint64_t end = st->pages[j - 1].addr + (st->pages[j - 1].last + 1u) * SMMU_STE_SIZE;
		uint64_t valid = 0, clean = 0, s1 = 0, cds = 0;
		count_leaf(st, base, end - base, &valid, &clean, &s1, 0);
		st->mark++;
		cds = s1_to_clean_cds(st, base, end);
		unsigned log2size = pt_scan_log2_ceil((end - base) / SMMU_STE_SIZE);
		int aligned = (base & ((UINT64_C(64) << log2size) - 1)) == 0;
		/* Linux fills a linear table with copies of one valid STE (abort
		 * or bypass) before it writes the streams it knows; "STEs" that
		 * lead nowhere and are not such a fill are other data. */
		int full = valid == (UINT64_C(1) << log2size);
		uint64_t fill = 0;
		for (size_t k = i; k < j; k++)
			fill += st->pages[k].fill;
		int filled = fill * 4 >= valid * 3;
		if ((!cds && (clean != valid || valid < 2 || !full || !filled)) ||
		    !strtab_addressable(base)) {
			i = j;
			continue;
		}
		int score = 30 + (full ? 10 : 0) + (aligned ? 10 : 0) + (cds ? 20 : 0);
		struct pt_scan_candidate *c = pt_scan_add(s, smmu_strtab_format.name, base, score);
		i = j;
		if (!c)
			continue;
		pt_scan_arg(c, "--strtab", "0x%llx", (unsigned long long)base);
		pt_scan_arg(c, "--strtab-cfg", "0x%x", log2size);
		pt_scan_evidence(c, "linear: %llu valid STEs in %llu bytes, %llu clean, "
				    "%llu translating stage 1; %llu point at a clean CD",
				 (unsigned long long)valid, (unsigned long long)(end - base),
				 (unsigned long long)clean, (unsigned long long)s1,
				 (unsigned long long)cds);
		pt_scan_evidence(c, "no L1 descriptor in the dump points at it%s",
				 aligned ? "" : "; the base is not aligned to the table's size");
	}
}

/* What a CD's translation table base points at. A CD is 64 bytes of
 * mostly free-form fields: kernel data with bit 31 set and RES0 clear
 * passes the CD rules often enough (a real guest's dump gave eight such
 * CDs), so a CD nothing points at counts only when its table base is the
 * root of a page table the walker can follow down to a mapping. */
enum ttb_kind {
	TTB_ABSENT,   /* both halves disabled, or the base is not in the dump */
	TTB_DATA,     /* in the dump, but not a page table */
	TTB_TABLE,    /* a page table: walked to a mapping, nothing reserved */
};

struct ttb_look {
	struct pt_scan *s;
	const struct pt_ptw_format *fmt;
	unsigned half;            /* 0: TTB0, 1: TTB1 */
	uint64_t base;
	uint64_t leaves, in_dump; /* mappings reached, outputs the dump holds */
	uint64_t bad;             /* reserved encodings, RES0 set, out of range, loops */
	uint64_t missing;         /* tables the dump does not hold */
	uint64_t tables;
};

/* Descriptors one look may read, and all looks of one scan together
 * (a hostile dump can hold 65536 CDs whose bases are page tables). The
 * first mapping of a 4-level table is at most four tables away. */
#define TTB_LOOK_DESCS 4096u
#define TTB_LOOK_LEAVES 16u
#define TTB_SCAN_DESCS (UINT64_C(1) << 22)

static int look_leaf(void *u, const struct pt_ptw_leaf *l)
{
	struct ttb_look *t = u;
	t->leaves++;
	t->in_dump += (uint64_t)pt_scan_has_data(t->s, l->oa);
	return t->leaves >= TTB_LOOK_LEAVES;
}

static int look_desc(void *u, int level, uint64_t addr, uint64_t desc, enum pt_ptw_decision d)
{
	struct ttb_look *t = u;
	(void)addr;
	t->bad += pt_ptw_res0_bits(t->fmt, level, desc, d) != 0;
	return 0;
}

static void look_event(void *u, enum pt_ptw_event ev, int level, uint64_t addr, uint64_t ia,
		       const char *what)
{
	struct ttb_look *t = u;
	(void)level;
	(void)addr;
	(void)ia;
	(void)what;
	if (ev == PT_PTW_EV_NOT_IN_DUMP)
		t->missing++;
	else if (ev != PT_PTW_EV_BUDGET)
		t->bad++;
}

/* Nonzero words of the start table that are not valid descriptors. */
static unsigned root_other(struct pt_scan *s, const struct smmu_regime *g)
{
	uint8_t buf[PT_SCAN_PAGE];
	uint64_t bytes = pt_ptw_root_bytes(&g->r);
	uint64_t root = g->r.root & ~(bytes - 1);
	size_t len = PT_SCAN_PAGE - (size_t)(root & (PT_SCAN_PAGE - 1));
	len = bytes < len ? (size_t)bytes : len;
	if (pt_source_read(s->src, root, buf, len) != PT_READ_OK)
		return 1;
	unsigned other = 0;
	for (size_t i = 0; i + 8 <= len; i += 8)
		other += pt_le64(buf + i, 0) && !pt_field_get(buf + i, g->r.fmt->valid);
	return other;
}

static enum ttb_kind ttb_look(struct pt_scan *s, struct state *st, const uint8_t *cd,
			      struct ttb_look *t)
{
	struct smmu_regime g;
	uint64_t va_base;
	const char *why;
	memset(t, 0, sizeof *t);
	t->s = s;
	t->half = 0;
	if (smmu_s1_half(cd, &st->caps, 0, 0, 0, &g, &va_base, &why) != 0) {
		t->half = 1;
		if (smmu_s1_half(cd, &st->caps, 0, 0, 1, &g, &va_base, &why) != 0)
			return TTB_ABSENT;
	}
	t->base = g.r.root;
	t->fmt = g.r.fmt;
	if (!pt_scan_has_data(s, g.r.root))
		return TTB_ABSENT;
	if (st->ttb_descs >= TTB_SCAN_DESCS || root_other(s, &g))
		return TTB_DATA;
	static const struct pt_ptw_visit_ops ops = { look_leaf, NULL, look_desc, look_event };
	struct pt_ptw_visit_stats vs;
	if (pt_ptw_visit(s->src, &g.r, TTB_LOOK_DESCS, &ops, t, &vs) != 0)
		return TTB_DATA;
	st->ttb_descs += vs.descriptors;
	t->tables = vs.tables;
	/* One table of blocks the dump does not hold is what a page of odd
	 * numbers looks like; real tables lead to more tables or to memory. */
	if (!t->leaves || t->bad || (vs.tables < 2 && !t->in_dump))
		return TTB_DATA;
	return TTB_TABLE;
}

static void cd_evidence_ttb0(struct pt_scan *s, struct state *st, struct pt_scan_candidate *c,
			     const uint8_t *cd, int *score)
{
	struct ttb_look t;
	enum ttb_kind k = ttb_look(s, st, cd, &t);
	unsigned long long base = (unsigned long long)t.base;
	if (k == TTB_TABLE) {
		*score += 15;
		pt_scan_evidence(c, "TTB%u 0x%llx is a page table in the dump: %llu tables walked "
				    "to %llu%s mapping%s, %llu of them in the dump",
				 t.half, base, (unsigned long long)t.tables,
				 (unsigned long long)t.leaves,
				 t.leaves >= TTB_LOOK_LEAVES ? " (or more)" : "",
				 t.leaves == 1 ? "" : "s", (unsigned long long)t.in_dump);
	} else if (k == TTB_DATA) {
		*score += 5;
		pt_scan_evidence(c, "TTB%u 0x%llx is in the dump but does not look like a page "
				    "table", t.half, base);
	} else if (t.base || t.half == 0) {
		pt_scan_evidence(c, "TTB%u 0x%llx is not in the dump", t.half, base);
	} else {
		pt_scan_evidence(c, "both TTB0 and TTB1 are disabled (EPD0, EPD1) or unusable");
	}
}

/* The first CD slot at or above addr (cds are sorted by address). */
static size_t first_cd(const struct state *st, uint64_t addr)
{
	size_t a = 0, b = st->ncds;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (st->cds[m].addr < addr)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

static void claim_cds(struct state *st, uint64_t base, uint64_t bytes)
{
	for (size_t i = first_cd(st, base); i < st->ncds && st->cds[i].addr - base < bytes; i++)
		st->cds[i].claimed = 1;
}

/* The CDs of a table an STE points at are that table's, not tables of
 * their own: mark them (a 2-level table's leaves through its first
 * MAX_CLAIM_L1 descriptors). */
#define MAX_CLAIM_L1 1024u

static void claim_table(struct pt_scan *s, struct state *st, const struct pt_table_cfg *cfg)
{
	if (cfg->layout == &smmu_cd_format.layouts[SMMU_LAYOUT_LINEAR]) {
		claim_cds(st, cfg->base, (uint64_t)SMMU_CD_SIZE << cfg->ssid_bits);
		return;
	}
	unsigned leaf = cfg->layout->leaf_bits;
	uint64_t n = cfg->ssid_bits > leaf ? UINT64_C(1) << (cfg->ssid_bits - leaf) : 1;
	for (uint64_t i = 0; i < n && i < MAX_CLAIM_L1; i++) {
		uint8_t raw[8];
		if (pt_source_read(s->src, cfg->base + i * 8, raw, 8) != PT_READ_OK)
			continue;
		uint64_t l2 = l1cd_l2ptr(pt_le64(raw, 0));
		if (pt_field_get(raw, &smmu_l1cd_fields[L1CD_V]) && l2)
			claim_cds(st, l2, (uint64_t)SMMU_CD_SIZE << leaf);
	}
}

/* Every CD table a clean stage-1 STE points at, as decode would walk it. */
static void cds_from_stes(struct pt_scan *s, struct state *st)
{
	for (size_t i = 0; i < st->ns1; i++) {
		struct pt_table_cfg cfg;
		const char *why;
		if (smmu_ste_cd_cfg(st->s1[i].raw, &st->caps, &cfg, &why) != 0)
			continue;
		struct pt_scan_candidate *c = pt_scan_find(s, smmu_cd_format.name, cfg.base);
		if (c) {
			continue;
		}
		uint8_t cd[SMMU_CD_SIZE];
		uint64_t cd0;
		int score = 70;
		int have = pt_entry_address(s->src, &cfg, 0, &cd0, &why) == 0 &&
			   pt_source_read(s->src, cd0, cd, sizeof cd) == PT_READ_OK;
		struct pt_scan_verdict v = { 0, 0, NULL };
		if (have && smmu_cd(cd, CD_V)) {
			pt_scan_check(&smmu_cd_format, &cfg, 0, 0, cd0, cd, &v);
			score += v.errors ? 0 : 10;
		}
		c = pt_scan_add(s, smmu_cd_format.name, cfg.base, score);
		if (!c)
			continue;
		pt_scan_arg(c, "--cd-table", "0x%llx", (unsigned long long)cfg.base);
		pt_scan_arg(c, "--layout", "%s", cfg.layout->name);
		pt_scan_arg(c, "--ssid-bits", "%u", cfg.ssid_bits);
		pt_scan_evidence(c, "S1ContextPtr of the STE at 0x%llx (Config %s, S1Fmt %llu, "
				    "S1CDMax %llu)",
				 (unsigned long long)st->s1[i].addr,
				 pt_field_enum_name(&smmu_ste_fields[STE_CONFIG],
						    smmu_ste(st->s1[i].raw, STE_CONFIG)),
				 (unsigned long long)smmu_ste(st->s1[i].raw, STE_S1FMT),
				 (unsigned long long)smmu_ste(st->s1[i].raw, STE_S1CDMAX));
		if (!have)
			pt_scan_evidence(c, "CD 0 is not in the dump");
		else if (!smmu_cd(cd, CD_V))
			pt_scan_evidence(c, "CD 0 at 0x%llx is not valid", (unsigned long long)cd0);
		else if (v.errors)
			pt_scan_evidence(c, "CD 0 at 0x%llx: the CD rules report %u errors (first %s)",
					 (unsigned long long)cd0, v.errors, v.first);
		else
			pt_scan_evidence(c, "CD 0 at 0x%llx is valid, no errors (%u warnings), ASID "
					    "0x%llx", (unsigned long long)cd0, v.warnings,
					 (unsigned long long)smmu_cd(cd, CD_ASID));
		if (have && smmu_cd(cd, CD_V))
			cd_evidence_ttb0(s, st, c, cd, &score);
		c->score = score > 100 ? 100 : score;
		claim_table(s, st, &cfg);
	}
}

/* Valid CDs in [lo, hi): how many, how many clean, the first one. */
static size_t cds_in(struct state *st, uint64_t lo, uint64_t hi, size_t *clean,
		     const struct cd_slot **first, int claim)
{
	size_t n = 0;
	*clean = 0;
	*first = NULL;
	for (size_t i = first_cd(st, lo); i < st->ncds && st->cds[i].addr < hi; i++) {
		struct cd_slot *c = &st->cds[i];
		n++;
		*clean += !c->errors;
		if (!*first)
			*first = c;
		if (claim)
			c->claimed = 1;
	}
	return n;
}

/* The leaf an L1 CD descriptor points at: 64 KiB (S1Fmt 2) when the
 * pointer is aligned to it and valid CDs lie past the first 4 KiB. */
static unsigned l1cd_leaf_bits(struct state *st, uint64_t l2)
{
	size_t clean;
	const struct cd_slot *first;
	if ((l2 & 0xffff) == 0 && cds_in(st, l2 + PT_SCAN_PAGE, l2 + 0x10000, &clean, &first, 0))
		return 10;
	return 6;
}

static void add_2lvl_cd(struct pt_scan *s, struct state *st, const struct pt_scan_word *w, size_t n)
{
	uint64_t base;
	unsigned k, leaf_bits = 6;
	for (size_t i = 0; i < n; i++)
		if (l1cd_leaf_bits(st, l1cd_l2ptr(w[i].val)) == 10)
			leaf_bits = 10;
	if (pt_scan_table_base(pt_scan_table_start(s, w[0].addr, l1cd_plausible), w[0].addr, w[n - 1].addr,
		       PT_MAX_SSID_BITS - leaf_bits, &base, &k) != 0 ||
	    pt_scan_find(s, smmu_cd_format.name, base))
		return;
	size_t cds = 0, clean = 0;
	const struct cd_slot *first = NULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t l2 = l1cd_l2ptr(w[i].val);
		size_t c;
		const struct cd_slot *f;
		cds += cds_in(st, l2, l2 + ((uint64_t)SMMU_CD_SIZE << leaf_bits), &c, &f, 1);
		clean += c;
		first = first ? first : f;
	}
	if (!clean || !first)
		return;
	uint64_t foreign = pt_scan_foreign(s, base, w[n - 1].addr + 8, l1cd_plausible);
	int score = 45 + (n > 1 ? 10 : 0) + (foreign ? 0 : 10) + (clean == cds ? 5 : 0);
	uint8_t cd[SMMU_CD_SIZE];
	if (pt_source_read(s->src, first->addr, cd, sizeof cd) != PT_READ_OK)
		return;
	struct pt_scan_candidate *c = pt_scan_add(s, smmu_cd_format.name, base, score);
	if (!c)
		return;
	const char *layout = smmu_cd_format.layouts[leaf_bits == 10 ? SMMU_LAYOUT_64K
								   : SMMU_LAYOUT_4K].name;
	pt_scan_arg(c, "--cd-table", "0x%llx", (unsigned long long)base);
	pt_scan_arg(c, "--layout", "%s", layout);
	pt_scan_arg(c, "--ssid-bits", "%u", leaf_bits + k);
	pt_scan_evidence(c, "2-level (%s): %zu valid L1 descriptors point at leaves of %zu valid "
			    "CDs, %zu of them without errors; no STE in the dump points at it",
			 layout, n, cds, clean);
	if (foreign)
		pt_scan_evidence(c, "%llu words between the L1 base and the last descriptor are "
				    "not L1 descriptors", (unsigned long long)foreign);
	cd_evidence_ttb0(s, st, c, cd, &score);
	c->score = score;
}

/* Confirmed L1 CD descriptors (their leaf holds valid CDs), grouped into
 * tables like the stream table's. */
static void find_2lvl_cd(struct pt_scan *s, struct state *st)
{
	pt_scan_sort(st->l1cd, st->nl1cd, sizeof st->l1cd[0], pt_scan_cmp_word);
	size_t n = 0;
	for (size_t i = 0; i < st->nl1cd; i++) {
		size_t clean;
		const struct cd_slot *f;
		uint64_t l2 = l1cd_l2ptr(st->l1cd[i].val);
		uint64_t bytes = (uint64_t)SMMU_CD_SIZE << l1cd_leaf_bits(st, l2);
		if (cds_in(st, l2, l2 + bytes, &clean, &f, 0) && clean)
			st->l1cd[n++] = st->l1cd[i];
	}
	for (size_t i = 0; i < n;) {
		size_t j = pt_scan_group(s, st->l1cd, i, n, L1_GAP, UINT64_MAX, 1, l1cd_plausible,
					 MAX_FOREIGN);
		add_2lvl_cd(s, st, &st->l1cd[i], j - i);
		i = j;
	}
}

/* 1 when the CD slots in [lo, hi) are all zero (unused SubstreamIDs). */
static int zero_between(struct pt_scan *s, uint64_t lo, uint64_t hi)
{
	uint8_t buf[SMMU_CD_SIZE];
	for (uint64_t a = lo; a < hi; a += SMMU_CD_SIZE)
		if (pt_source_read(s->src, a, buf, sizeof buf) != PT_READ_OK ||
		    !pt_scan_zero(buf, sizeof buf))
			return 0;
	return 1;
}

/* Valid CDs no STE or L1 descriptor in the dump points at: runs of them
 * (unused SubstreamIDs between may be zero) are linear CD tables, scored
 * lower: a table whose STE was not dumped, a stale one, or other data that
 * passes the rules. */
#define CD_GAP 16u

/* The base of the table a CD translates through: TTB0, or TTB1 when TTB0
 * is disabled; 0 when neither half can be walked. */
static uint64_t cd_table_base(const struct state *st, const uint8_t *cd)
{
	struct smmu_regime g;
	uint64_t va_base;
	const char *why;
	for (int half = 0; half < 2; half++)
		if (smmu_s1_half(cd, &st->caps, 0, 0, half, &g, &va_base, &why) == 0)
			return g.r.root;
	return 0;
}

/* CDs of the run cds[i..j) that translate through a table (a half the SMMU
 * can walk, from a base other than 0: kernel words that pass for CDs
 * mostly have both halves disabled or a zero word for TTB0), and whether
 * two of them use different tables. */
static size_t run_translating(struct pt_scan *s, struct state *st, size_t i, size_t j,
			      int *distinct)
{
	size_t n = 0;
	uint64_t first = 0;
	*distinct = 0;
	for (size_t k = i; k < j; k++) {
		uint8_t cd[SMMU_CD_SIZE];
		if (pt_source_read(s->src, st->cds[k].addr, cd, sizeof cd) != PT_READ_OK)
			continue;
		uint64_t b = cd_table_base(st, cd);
		if (!b)
			continue;
		n++;
		first = first ? first : b;
		*distinct |= b != first;
	}
	return n;
}

/* The end of the run of CDs from cds[i]: unused SubstreamIDs between them
 * may be zero. */
static size_t cd_run_end(struct pt_scan *s, struct state *st, size_t i, size_t *clean)
{
	size_t j = i + 1;
	*clean = !st->cds[i].errors;
	while (j < st->ncds && !st->cds[j].claimed &&
	       st->cds[j].addr - st->cds[j - 1].addr <= CD_GAP * SMMU_CD_SIZE &&
	       zero_between(s, st->cds[j - 1].addr + SMMU_CD_SIZE, st->cds[j].addr))
		*clean += !st->cds[j++].errors;
	return j;
}

static void cds_alone(struct pt_scan *s, struct state *st)
{
	for (size_t i = 0; i < st->ncds;) {
		if (st->cds[i].claimed) {
			i++;
			continue;
		}
		size_t clean, j = cd_run_end(s, st, i, &clean);
		uint64_t base = st->cds[i].addr;
		uint64_t slots = (st->cds[j - 1].addr - base) / SMMU_CD_SIZE + 1;
		size_t n = j - i;
		int distinct;
		size_t xlate = run_translating(s, st, i, j, &distinct);
		i = j;
		uint8_t cd[SMMU_CD_SIZE];
		/* Mostly clean CDs, or it is other data that sets bit 31. */
		if (clean * 2 < n || pt_source_read(s->src, base, cd, sizeof cd) != PT_READ_OK)
			continue;
		/* CDs that translate through different tables, or one whose
		 * table is a page table: anything less explains nothing. */
		struct ttb_look look;
		if (!distinct && ttb_look(s, st, cd, &look) != TTB_TABLE)
			continue;
		int score = 20 + (n > 1 ? 15 : 0) + (clean == n ? 5 : 0);
		struct pt_scan_candidate *c = pt_scan_add(s, smmu_cd_format.name, base, score);
		if (!c)
			continue;
		pt_scan_arg(c, "--cd-table", "0x%llx", (unsigned long long)base);
		pt_scan_arg(c, "--layout", "%s", "linear");
		pt_scan_arg(c, "--ssid-bits", "%u", pt_scan_log2_ceil(slots));
		pt_scan_evidence(c, "linear: %zu valid CD%s in %llu slots, %zu without errors, first "
				    "ASID 0x%llx; no STE or L1 descriptor in the dump points at %s",
				 n, n > 1 ? "s" : "", (unsigned long long)slots, clean,
				 (unsigned long long)smmu_cd(cd, CD_ASID), n > 1 ? "them" : "it");
		if (n > 1)
			pt_scan_evidence(c, "%zu of them translate through a table (TTB0, or TTB1 "
					    "when EPD0 is set, not 0)%s", xlate,
					 distinct ? ", not all the same one" : "");
		cd_evidence_ttb0(s, st, c, cd, &score);
		c->score = score;
	}
}

static void finish(struct pt_scan *s, void *p)
{
	struct state *st = p;
	pt_scan_sort(st->pages, st->npages, sizeof st->pages[0], cmp_page);
	pt_scan_sort(st->cds, st->ncds, sizeof st->cds[0], cmp_cd);
	pt_scan_sort(st->s1, st->ns1, sizeof st->s1[0], cmp_s1);
	find_2lvl(s, st);
	find_linear(s, st);
	cds_from_stes(s, st);
	find_2lvl_cd(s, st);
	cds_alone(s, st);
	s->overflow += st->dropped;
}

static const struct pt_scanner smmu_scanner = { "smmuv3", start, page, finish, free_state };

void smmu_scan_register(void)
{
	l1cd_filter.res0 = pt_scan_res0_word(&smmu_l1cd_struct);
	l1cd_filter.any = pt_scan_field_mask(&smmu_l1cd_fields[L1CD_V]);
	l1std_filter.res0 = pt_scan_res0_word(&smmu_l1std_struct);
	l1std_filter.any = pt_scan_field_mask(&smmu_l1std_fields[L1STD_SPAN]);
	pt_scanner_register(&smmu_scanner);
}
