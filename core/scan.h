/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding tables in a dump that comes without register values: a driver that
 * goes through the input a page at a time, only where it holds data
 * (pt_source_probe skips zero, excluded and unmapped runs), and shows every
 * page to each registered scanner ("does this page look like your table?").
 * Once every page has been seen, each scanner ties its pages together into
 * candidates: a table kind (a format name `pasidtool formats` prints), a base,
 * a score from 0 to 100, the evidence, and the arguments that decode it.
 * The driver knows no vendor; formats/ register the scanners. */
#ifndef PT_SCAN_H
#define PT_SCAN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "field.h"
#include "source.h"
#include "table.h"

/* The unit the scan hands to scanners. Tables of every format pasidtool
 * knows start on (at least) 64-byte boundaries inside such a page. */
#define PT_SCAN_PAGE 4096u
/* Caps: a hostile dump can make every page look like a table. Past the cap
 * a scan keeps its best candidates and says how many it dropped. */
#define PT_SCAN_MAX_CANDIDATES 1024u
#define PT_SCAN_MAX_ARGS 8u
#define PT_SCAN_ARG_LEN 24u
#define PT_SCAN_MAX_EVIDENCE 6u
#define PT_SCAN_EVIDENCE_LEN 200u

struct pt_scan_candidate {
	const char *kind;        /* format name: "smmuv3-strtab", "smmuv3-cd", ... */
	const char *command;     /* the pasidtool command args are for; NULL: "decode" */
	uint64_t base;
	int score;               /* 0..100: how sure the scanner is */
	/* Options that decode it, after the input name: --strtab ADDR ... */
	char args[PT_SCAN_MAX_ARGS][PT_SCAN_ARG_LEN];
	unsigned nargs;
	char evidence[PT_SCAN_MAX_EVIDENCE][PT_SCAN_EVIDENCE_LEN];
	unsigned nevidence;
};

struct pt_scan;

/* One vendor's scanner. page() sees each page that holds data and is not
 * all zero; finish() turns what it saw into candidates (it may read the
 * source again, a bounded number of times). State lives in *state. */
struct pt_scanner {
	const char *name;
	void *(*start)(struct pt_scan *s);
	void (*page)(struct pt_scan *s, void *state, uint64_t addr, const uint8_t *page);
	void (*finish)(struct pt_scan *s, void *state);
	void (*free)(void *state);
};

/* Scanners register from formats/ (pt_formats_init); the core keeps the list. */
void pt_scanner_register(const struct pt_scanner *sc);
size_t pt_scanner_count(void);

struct pt_scan {
	struct pt_source *src;
	/* --max-entries: each page shown to the scanners and each run skipped
	 * in bulk costs 1 (shared with the reads scanners make in finish). */
	struct pt_budget budget;
	uint64_t span_lo, span_hi, span_bytes;  /* pt_source_span, once */
	/* Results */
	uint64_t pages_data;     /* pages shown to scanners */
	uint64_t pages_zero;     /* data pages that held only zero bytes */
	uint64_t bytes_skipped;  /* zero, excluded and unmapped bytes not read */
	uint64_t runs_skipped;
	struct pt_scan_candidate *cands;
	size_t ncands, cap;
	uint64_t dropped;        /* candidates beyond PT_SCAN_MAX_CANDIDATES */
	uint64_t overflow;       /* entries scanners could not remember (their caps) */
	int stopped;             /* the budget ran out before the end */
	uint64_t stopped_at;
};

void pt_scan_init(struct pt_scan *s, struct pt_source *src, uint64_t max_entries);
void pt_scan_free(struct pt_scan *s);

/* Go through the source, let the scanners tie pages together, rank the
 * candidates (score, then kind, then base). 0, or -1 when out of memory. */
int pt_scan_run(struct pt_scan *s);

/* A new candidate (NULL when the cap is reached: counted in dropped). */
struct pt_scan_candidate *pt_scan_add(struct pt_scan *s, const char *kind, uint64_t base,
				      int score);
/* The candidate of that kind at that base, if one was added already. */
struct pt_scan_candidate *pt_scan_find(struct pt_scan *s, const char *kind, uint64_t base);
void pt_scan_arg(struct pt_scan_candidate *c, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pt_scan_evidence(struct pt_scan_candidate *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Spend one unit of the budget; 0 when it is spent (the scan stops). */
int pt_scan_spend(struct pt_scan *s, uint64_t addr);

/* What a format's own checks say about one entry. */
struct pt_scan_verdict {
	unsigned errors, warnings;
	const char *first;       /* first error's rule id, else first warning's; or NULL */
};

/* Run a format's own checks on one entry (or directory descriptor when dir)
 * with the format's default caps. The scan judges what it finds by the
 * rules decode and validate use, never by a second decoder. */
void pt_scan_check(const struct pt_format *fmt, const struct pt_table_cfg *cfg, int dir,
		   uint32_t index, uint64_t addr, const uint8_t *raw, struct pt_scan_verdict *v);

/* 1 when every RES0 field of the structure is zero: the cheap first test
 * that turns most of a page of other data away before the checks run. */
int pt_scan_res0_clear(const struct pt_struct *st, const uint8_t *raw);

/* 1 when a registered table format other than `mine`, whose entries are
 * `size` bytes, finds raw a valid entry its checks report no error about.
 * A structure with few constraints (an STE: V and Config) yields a slot
 * to one that has more (a CD, a VT-d PASID entry). */
int pt_scan_other_format_clean(const struct pt_format *mine, uint64_t addr, const uint8_t *raw,
			       size_t size);

/* ---- Helpers the scanners share ---- */

/* A word of a page remembered for later (a directory descriptor). */
struct pt_scan_word {
	uint64_t addr, val;
};
int pt_scan_cmp_word(const void *a, const void *b);   /* by address */

/* A free slot at the end of *arrp (an array of elem-byte items, *n used,
 * *cap allocated), grown up to max items; NULL past it or out of memory,
 * counted in *dropped. */
void *pt_scan_push(void *arrp, size_t *n, size_t *cap, size_t max, size_t elem,
		   uint64_t *dropped);
/* qsort that accepts an array still NULL (nothing found). */
void pt_scan_sort(void *arr, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* 1 when the size bytes at raw are all zero. */
int pt_scan_zero(const uint8_t *raw, size_t size);

/* A field of word w of an entry (the word that holds it), as pt_field_get
 * gives it, for fields inside one 64-bit word. */
static inline uint64_t pt_scan_word_field(uint64_t w, const struct pt_field *f)
{
	uint64_t v = w >> f->lsb;
	if (f->width < 64)
		v &= (UINT64_C(1) << f->width) - 1;
	return f->kind == PT_FK_ADDR ? v << f->shift : v;
}

/* A field of an entry in a page the scan looks at: the same value as
 * pt_field_get, cut from one little-endian word when the field lies in one
 * (the page pass reads a few fields of every slot of every page). */
static inline uint64_t pt_scan_field(const uint8_t *raw, const struct pt_field *f)
{
	if (f->lsb + f->width > 64)
		return pt_field_get(raw, f);
	uint64_t w;
	__builtin_memcpy(&w, raw + 8u * f->word, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return pt_scan_word_field(w, f);
}

/* The RES0 bits of a structure of at most 8 bytes as one word mask, from
 * its field table: a directory descriptor's first test is one AND. */
uint64_t pt_scan_res0_word(const struct pt_struct *st);

/* Tables of 8-byte directory descriptors (little-endian words). plausible()
 * says whether a non-zero word may be one of the format's descriptors. */
typedef int (*pt_scan_plausible_fn)(uint64_t val);
/* Words in [from, to) that are neither zero nor plausible; memory the
 * dump does not hold counts too. */
uint64_t pt_scan_foreign(struct pt_scan *s, uint64_t from, uint64_t to,
			 pt_scan_plausible_fn plausible);
/* The first test of a word, made inline on every word of every page: none
 * of the res0 bits set and one of the any bits set (a V bit, a Span), both
 * masks from the format's field table. */
struct pt_scan_word_filter {
	uint64_t res0, any;
};
/* The bits of its word a field occupies. */
uint64_t pt_scan_field_mask(const struct pt_field *f);
/* The page pass of a directory format: every word of the page that passes
 * the filter and plausible(), and whose pointer (ptr_of) lies in the
 * input's span, is remembered in *words (n used, cap allocated, at most
 * max). */
typedef uint64_t (*pt_scan_ptr_fn)(uint64_t val);
void pt_scan_collect_words(struct pt_scan *s, uint64_t addr, const uint8_t *page,
			   const struct pt_scan_word_filter *filter,
			   pt_scan_plausible_fn plausible, pt_scan_ptr_fn ptr_of,
			   struct pt_scan_word **words, size_t *n, size_t *cap, size_t max,
			   uint64_t *dropped);
/* Descriptors that belong to one table, from w[first] on (w sorted by
 * address): each within gap bytes of the one before with at most
 * max_foreign other words between, all within reach bytes of the first
 * one's address rounded down to align. Returns the end of the group. */
size_t pt_scan_group(struct pt_scan *s, const struct pt_scan_word *w, size_t first, size_t n,
		     uint64_t gap, uint64_t reach, uint64_t align, pt_scan_plausible_fn plausible,
		     uint64_t max_foreign);
/* Where a table holding the descriptor at first may start: back over zero
 * words and descriptors, not past the start of its page (tables are
 * page-aligned when Linux allocates them, and inside one page otherwise). */
uint64_t pt_scan_table_start(struct pt_scan *s, uint64_t first, pt_scan_plausible_fn plausible);
/* The lowest base from `lowest` on, aligned to the table's size (at least
 * 64 bytes), of a table of 2^k descriptors that holds first and reaches
 * last; -1 when none of at most 2^max_k does. */
int pt_scan_table_base(uint64_t lowest, uint64_t first, uint64_t last, unsigned max_k,
		       uint64_t *base, unsigned *k);

/* 1 when addr lies between the lowest and highest address the input
 * covers: the cheap test for pointers the page pass remembers (a probe of a
 * compressed dump reads its bitmaps and descriptors). */
int pt_scan_in_span(struct pt_scan *s, uint64_t addr);

/* 1 when addr lies in memory the input holds with data. */
int pt_scan_has_data(struct pt_scan *s, uint64_t addr);

/* The smallest n with 2^n >= count (0 for count <= 1). */
unsigned pt_scan_log2_ceil(uint64_t count);

#endif
