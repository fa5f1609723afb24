/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

#define MAX_SCANNERS 8u

static const struct pt_scanner *scanners[MAX_SCANNERS];
static size_t nscanners;

void pt_scanner_register(const struct pt_scanner *sc)
{
	for (size_t i = 0; i < nscanners; i++)
		if (scanners[i] == sc)
			return;
	if (nscanners < MAX_SCANNERS)
		scanners[nscanners++] = sc;
}

size_t pt_scanner_count(void)
{
	return nscanners;
}

void pt_scan_init(struct pt_scan *s, struct pt_source *src, uint64_t max_entries)
{
	memset(s, 0, sizeof *s);
	s->src = src;
	s->budget.max = max_entries;
	if (src)
		s->span_bytes = pt_source_span(src, &s->span_lo, &s->span_hi);
}

void pt_scan_free(struct pt_scan *s)
{
	free(s->cands);
	s->cands = NULL;
	s->ncands = s->cap = 0;
}

int pt_scan_spend(struct pt_scan *s, uint64_t addr)
{
	if (s->stopped)
		return 0;
	if (s->budget.max && s->budget.used >= s->budget.max) {
		s->stopped = 1;
		s->budget.exhausted = 1;
		s->stopped_at = addr;
		return 0;
	}
	s->budget.used++;
	return 1;
}

struct pt_scan_candidate *pt_scan_add(struct pt_scan *s, const char *kind, uint64_t base,
				      int score)
{
	if (s->ncands >= PT_SCAN_MAX_CANDIDATES) {
		s->dropped++;
		return NULL;
	}
	if (s->ncands == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct pt_scan_candidate *n = realloc(s->cands, cap * sizeof *n);
		if (!n) {
			s->dropped++;
			return NULL;
		}
		s->cands = n;
		s->cap = cap;
	}
	struct pt_scan_candidate *c = &s->cands[s->ncands++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->base = base;
	c->score = score < 0 ? 0 : score > 100 ? 100 : score;
	return c;
}

struct pt_scan_candidate *pt_scan_find(struct pt_scan *s, const char *kind, uint64_t base)
{
	for (size_t i = 0; i < s->ncands; i++)
		if (s->cands[i].base == base && strcmp(s->cands[i].kind, kind) == 0)
			return &s->cands[i];
	return NULL;
}

void pt_scan_arg(struct pt_scan_candidate *c, const char *opt, const char *fmt, ...)
{
	if (!c || c->nargs + 2 > PT_SCAN_MAX_ARGS)
		return;
	snprintf(c->args[c->nargs++], PT_SCAN_ARG_LEN, "%s", opt);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->args[c->nargs++], PT_SCAN_ARG_LEN, fmt, ap);
	va_end(ap);
}

void pt_scan_evidence(struct pt_scan_candidate *c, const char *fmt, ...)
{
	if (!c || c->nevidence >= PT_SCAN_MAX_EVIDENCE)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->evidence[c->nevidence++], PT_SCAN_EVIDENCE_LEN, fmt, ap);
	va_end(ap);
}

/* What one check of an entry said, kept by what the checks read: the table
 * config, the index and the entry's bytes (never its address: entry checks
 * only print it). A hostile dump can show one page at a million addresses
 * (ELF segments sharing file bytes, kdump descriptors sharing data); it
 * costs one judgement, not a million. */
#define MEMO_BITS 10u
#define MEMO_RAW 64u

struct memo {
	int used, dir;
	const struct pt_format *fmt;
	const struct pt_layout *layout;
	uint64_t base, vendor[4];
	unsigned ssid_bits, leaf_bits;
	int has_sid;
	uint32_t sid, index;
	uint8_t raw[MEMO_RAW];
	struct pt_scan_verdict v;
};

static int memo_match(const struct memo *m, const struct pt_format *fmt,
		      const struct pt_table_cfg *cfg, int dir, uint32_t index, const uint8_t *raw,
		      size_t size)
{
	return m->used && m->fmt == fmt && m->dir == dir && m->index == index &&
	       m->layout == cfg->layout && m->base == cfg->base &&
	       m->ssid_bits == cfg->ssid_bits && m->leaf_bits == cfg->leaf_bits &&
	       m->has_sid == cfg->has_sid && m->sid == cfg->sid &&
	       !memcmp(m->vendor, cfg->vendor, sizeof m->vendor) && !memcmp(m->raw, raw, size);
}

static void memo_keep(struct memo *m, const struct pt_format *fmt,
		      const struct pt_table_cfg *cfg, int dir, uint32_t index, const uint8_t *raw,
		      size_t size, const struct pt_scan_verdict *v)
{
	m->used = 1;
	m->fmt = fmt;
	m->dir = dir;
	m->index = index;
	m->layout = cfg->layout;
	m->base = cfg->base;
	m->ssid_bits = cfg->ssid_bits;
	m->leaf_bits = cfg->leaf_bits;
	m->has_sid = cfg->has_sid;
	m->sid = cfg->sid;
	memcpy(m->vendor, cfg->vendor, sizeof m->vendor);
	memcpy(m->raw, raw, size);
	m->v = *v;
}

static void check_once(const struct pt_format *fmt, const struct pt_table_cfg *cfg, int dir,
		       uint32_t index, uint64_t addr, const uint8_t *raw, struct pt_scan_verdict *v)
{
	struct pt_diag_sink sink;
	struct pt_walk w;
	pt_diag_init(&sink, "scan", NULL);
	sink.fold = 0;  /* folding allocates a hash table per sink: not for one entry */
	sink.count_only = 1;  /* counts and first rules: no message per entry */
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.diags = &sink;
	w.validate = 1;
	w.alone = 1;
	if (pt_geometry(cfg, &w.geo) == 0) {
		if (dir && fmt->check_dir)
			fmt->check_dir(&w, index, addr, raw);
		else if (!dir && fmt->check_entry)
			fmt->check_entry(&w, index, addr, raw);
	}
	v->errors = (unsigned)sink.counts[PT_SEV_ERROR];
	v->warnings = (unsigned)sink.counts[PT_SEV_WARNING];
	const struct pt_rule *first = sink.first[PT_SEV_ERROR] ? sink.first[PT_SEV_ERROR]
							       : sink.first[PT_SEV_WARNING];
	v->first = first ? first->id : NULL;
	/* Not check_done: its whole-table checks read the source and judge a
	 * throwaway table. The per-walk state formats keep is one block. */
	free(w.fmt_state);
	pt_diag_free(&sink);
}

void pt_scan_check(const struct pt_format *fmt, const struct pt_table_cfg *cfg, int dir,
		   uint32_t index, uint64_t addr, const uint8_t *raw, struct pt_scan_verdict *v)
{
	static _Thread_local struct memo memo[1u << MEMO_BITS];
	size_t size = dir ? (fmt->dir ? fmt->dir->size : 8) : fmt->entry->size;
	if (size > MEMO_RAW) {
		check_once(fmt, cfg, dir, index, addr, raw, v);
		return;
	}
	uint64_t h = (uint64_t)(uintptr_t)fmt ^ index;
	for (size_t i = 0; i < size; i += 8) {
		uint64_t w = 0;
		memcpy(&w, raw + i, size - i < 8 ? size - i : 8);
		h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 29;
	}
	struct memo *m = &memo[h >> (64 - MEMO_BITS)];
	if (memo_match(m, fmt, cfg, dir, index, raw, size)) {
		*v = m->v;
		return;
	}
	check_once(fmt, cfg, dir, index, addr, raw, v);
	memo_keep(m, fmt, cfg, dir, index, raw, size, v);
}

int pt_scan_other_format_clean(const struct pt_format *mine, uint64_t addr, const uint8_t *raw,
			       size_t size)
{
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *f = pt_format_at(i);
		if (f == mine || f->entry->size != size || !f->entry_valid || !f->entry_valid(raw) ||
		    !pt_scan_res0_clear(f->entry, raw))
			continue;
		struct pt_table_cfg cfg;
		memset(&cfg, 0, sizeof cfg);
		cfg.fmt = f;
		cfg.layout = &f->layouts[0];
		/* The smallest table the format allows (VT-d: 13 PASID bits). */
		while (pt_geometry(&cfg, &(struct pt_geometry){ 0 }) != 0 &&
		       cfg.ssid_bits < PT_MAX_SSID_BITS)
			cfg.ssid_bits++;
		struct pt_scan_verdict v;
		pt_scan_check(f, &cfg, 0, 0, addr, raw, &v);
		if (!v.errors)
			return 1;
	}
	return 0;
}

/* The RES0 bits of a structure as a mask of its 64-bit words, built from
 * the field table once per structure and thread: one AND per word is what
 * lets the page pass turn most data away cheaply (it tests every word of
 * every page). The cache is direct-mapped by the structure's address. */
#define MASK_WORDS 8u
#define MASK_CACHE_BITS 6u

struct res0_mask {
	const struct pt_struct *st;
	unsigned words;
	uint64_t m[MASK_WORDS];
};

static void res0_mask_build(struct res0_mask *r, const struct pt_struct *st)
{
	uint8_t bytes[MASK_WORDS * 8] = { 0 };
	for (size_t i = 0; i < st->nfields; i++)
		if (st->fields[i].kind == PT_FK_RES0)
			pt_field_set_sized(bytes, sizeof bytes, &st->fields[i],
					   pt_field_max(&st->fields[i]));
	r->words = (st->size + 7) / 8;
	for (unsigned w = 0; w < MASK_WORDS; w++)
		r->m[w] = pt_le64(bytes, w);
	r->st = st;
}

static uint64_t load_le64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

int pt_scan_res0_clear(const struct pt_struct *st, const uint8_t *raw)
{
	static _Thread_local struct res0_mask cache[1u << MASK_CACHE_BITS];
	if (st->size > MASK_WORDS * 8) {
		for (size_t i = 0; i < st->nfields; i++)
			if (st->fields[i].kind == PT_FK_RES0 && pt_field_bits(raw, &st->fields[i]))
				return 0;
		return 1;
	}
	uint64_t h = (uint64_t)(uintptr_t)st * UINT64_C(0x9e3779b97f4a7c15);
	struct res0_mask *r = &cache[h >> (64 - MASK_CACHE_BITS)];
	if (r->st != st)
		res0_mask_build(r, st);
	for (unsigned w = 0; w < r->words; w++) {
		size_t n = st->size - w * 8 < 8 ? st->size - w * 8 : 8;
		if (load_le64(raw + w * 8, n) & r->m[w])
			return 0;
	}
	return 1;
}

uint64_t pt_scan_res0_word(const struct pt_struct *st)
{
	struct res0_mask r;
	res0_mask_build(&r, st);
	return r.m[0];
}

int pt_scan_in_span(struct pt_scan *s, uint64_t addr)
{
	return s->span_bytes && addr >= s->span_lo && addr <= s->span_hi;
}

int pt_scan_has_data(struct pt_scan *s, uint64_t addr)
{
	uint64_t run;
	return pt_source_probe(s->src, addr, &run) == PT_MEM_DATA;
}

unsigned pt_scan_log2_ceil(uint64_t count)
{
	unsigned n = 0;
	while (n < 63 && (UINT64_C(1) << n) < count)
		n++;
	return n;
}

int pt_scan_cmp_word(const void *a, const void *b)
{
	const struct pt_scan_word *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void *pt_scan_push(void *arrp, size_t *n, size_t *cap, size_t max, size_t elem,
		   uint64_t *dropped)
{
	void **arr = arrp;
	if (*n >= max) {
		(*dropped)++;
		return NULL;
	}
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		void *g = realloc(*arr, c * elem);
		if (!g) {
			(*dropped)++;
			return NULL;
		}
		*arr = g;
		*cap = c;
	}
	return (uint8_t *)*arr + (*n)++ * elem;
}

void pt_scan_sort(void *arr, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(arr, n, size, cmp);
}

int pt_scan_zero(const uint8_t *raw, size_t size)
{
	for (size_t i = 0; i < size; i++)
		if (raw[i])
			return 0;
	return 1;
}

uint64_t pt_scan_foreign(struct pt_scan *s, uint64_t from, uint64_t to,
			 pt_scan_plausible_fn plausible)
{
	static uint8_t buf[PT_SCAN_PAGE];
	uint64_t bad = 0;
	/* One probe and one read per run of up to a page: a probe of a
	 * compressed dump is not cheap. */
	for (uint64_t a = from; a < to;) {
		uint64_t run;
		enum pt_mem_kind k = pt_source_probe(s->src, a, &run);
		uint64_t n = to - a;
		n = n < run ? n : run;
		n = n < PT_SCAN_PAGE - (a & (PT_SCAN_PAGE - 1)) ? n : PT_SCAN_PAGE - (a & (PT_SCAN_PAGE - 1));
		n = n < 8 ? 8 : n & ~UINT64_C(7);
		if (k == PT_MEM_ZERO) {
			a += n;
			continue;
		}
		if (k != PT_MEM_DATA || pt_source_read(s->src, a, buf, (size_t)n) != PT_READ_OK) {
			bad += n / 8;
			a += n;
			continue;
		}
		for (uint64_t i = 0; i < n; i += 8) {
			uint64_t val = load_le64(buf + i, 8);
			bad += val && !plausible(val);
		}
		a += n;
	}
	return bad;
}

uint64_t pt_scan_field_mask(const struct pt_field *f)
{
	if (f->lsb >= 64)
		return 0;
	uint64_t m = f->width >= 64 ? UINT64_MAX : (UINT64_C(1) << f->width) - 1;
	return m << f->lsb;
}

void pt_scan_collect_words(struct pt_scan *s, uint64_t addr, const uint8_t *page,
			   const struct pt_scan_word_filter *filter,
			   pt_scan_plausible_fn plausible, pt_scan_ptr_fn ptr_of,
			   struct pt_scan_word **words, size_t *n, size_t *cap, size_t max,
			   uint64_t *dropped)
{
	for (unsigned i = 0; i < PT_SCAN_PAGE; i += 8) {
		uint64_t val = load_le64(page + i, 8);
		if ((val & filter->res0) || !(val & filter->any))
			continue;
		/* Only pointers into the dump can be confirmed. */
		if (!plausible(val) || !pt_scan_in_span(s, ptr_of(val)))
			continue;
		struct pt_scan_word *w = pt_scan_push(words, n, cap, max, sizeof *w, dropped);
		if (w)
			*w = (struct pt_scan_word){ addr + i, val };
	}
}

size_t pt_scan_group(struct pt_scan *s, const struct pt_scan_word *w, size_t first, size_t n,
		     uint64_t gap, uint64_t reach, uint64_t align, pt_scan_plausible_fn plausible,
		     uint64_t max_foreign)
{
	uint64_t lo = w[first].addr & ~(align - 1);
	size_t j = first + 1;
	while (j < n && w[j].addr - w[j - 1].addr <= gap && (w[j].addr & ~(align - 1)) - lo < reach &&
	       pt_scan_foreign(s, w[j - 1].addr + 8, w[j].addr, plausible) <= max_foreign)
		j++;
	return j;
}

uint64_t pt_scan_table_start(struct pt_scan *s, uint64_t first, pt_scan_plausible_fn plausible)
{
	uint64_t page = first & ~(uint64_t)(PT_SCAN_PAGE - 1), a = first;
	while (a > page && pt_scan_foreign(s, a - 8, a, plausible) == 0)
		a -= 8;
	return a;
}

int pt_scan_table_base(uint64_t lowest, uint64_t first, uint64_t last, unsigned max_k,
		       uint64_t *base, unsigned *k)
{
	for (*k = 0; *k <= max_k; (*k)++) {
		uint64_t align = (UINT64_C(8) << *k) < 64 ? 64 : (UINT64_C(8) << *k);
		*base = (lowest + align - 1) & ~(align - 1);
		if (*base <= first && (last - *base) / 8 < (UINT64_C(1) << *k))
			return 0;
	}
	return -1;
}

static int all_zero(const uint8_t *p)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < PT_SCAN_PAGE; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	return acc == 0;
}

/* The page at addr (aligned) into buf: the bytes that hold data, zero
 * elsewhere. whole: the source said all of it holds data. 1 when any byte
 * of it does. */
static int load_page(struct pt_scan *s, uint64_t addr, int whole, uint8_t *buf,
		     const uint8_t **out)
{
	uint64_t run;
	if (whole) {
		const uint8_t *d = pt_source_direct(s->src, addr, PT_SCAN_PAGE);
		if (d) {
			*out = d;
			return 1;
		}
		if (pt_source_read(s->src, addr, buf, PT_SCAN_PAGE) == PT_READ_OK) {
			*out = buf;
			return 1;
		}
	}
	/* A page the ranges cut (or one that did not read whole): the parts
	 * that hold data. */
	memset(buf, 0, PT_SCAN_PAGE);
	int any = 0;
	for (uint64_t off = 0; off < PT_SCAN_PAGE;) {
		enum pt_mem_kind k = pt_source_probe(s->src, addr + off, &run);
		uint64_t n = run < PT_SCAN_PAGE - off ? run : PT_SCAN_PAGE - off;
		if (n == 0)
			break;
		if (k == PT_MEM_DATA &&
		    pt_source_read(s->src, addr + off, buf + off, (size_t)n) == PT_READ_OK)
			any = 1;
		off += n;
	}
	*out = buf;
	return any;
}

/* Show every page that holds data to every scanner. The loop advances by a
 * page or by a whole run the source says holds no data, so its length
 * follows the data the input holds; the budget bounds it besides. One probe
 * covers a run of data pages. */
static void walk_pages(struct pt_scan *s, void **states)
{
	uint64_t lo, hi, run;
	static uint8_t buf[PT_SCAN_PAGE];
	if (pt_source_span(s->src, &lo, &hi) == 0)
		return;
	uint64_t addr = lo & ~(uint64_t)(PT_SCAN_PAGE - 1);
	uint64_t released = addr, data_end = addr; /* [addr, data_end) is known data */
	for (;;) {
		int whole = data_end > addr && data_end - addr >= PT_SCAN_PAGE;
		if (!whole) {
			enum pt_mem_kind k = pt_source_probe(s->src, addr, &run);
			uint64_t in_page = PT_SCAN_PAGE - (addr & (PT_SCAN_PAGE - 1));
			if (k != PT_MEM_DATA && run >= in_page) {
				/* Skip to the page holding the first byte past the run. */
				if (!pt_scan_spend(s, addr))
					return;
				s->runs_skipped++;
				s->bytes_skipped += run;
				if (run > hi - addr)
					return;
				addr = (addr + run) & ~(uint64_t)(PT_SCAN_PAGE - 1);
				continue;
			}
			if (k == PT_MEM_DATA && (addr & (PT_SCAN_PAGE - 1)) == 0) {
				data_end = run > UINT64_MAX - addr ? UINT64_MAX : addr + run;
				whole = run >= PT_SCAN_PAGE;
			}
			addr &= ~(uint64_t)(PT_SCAN_PAGE - 1);
		}
		if (!pt_scan_spend(s, addr))
			return;
		const uint8_t *page;
		if (load_page(s, addr, whole, buf, &page)) {
			if (all_zero(page)) {
				s->pages_zero++;
			} else {
				s->pages_data++;
				for (size_t i = 0; i < nscanners; i++)
					if (states[i])
						scanners[i]->page(s, states[i], addr, page);
			}
		}
		if (addr - released >= (UINT64_C(1) << 24)) {
			/* Hand mapped pages back: a 4 GiB scan keeps a flat RSS. */
			pt_source_release(s->src, released, addr - released);
			released = addr;
		}
		if (hi - addr < PT_SCAN_PAGE)
			break;
		addr += PT_SCAN_PAGE;
	}
	pt_source_release(s->src, released, hi - released + 1);
}

static int kind_rank(const char *kind)
{
	/* Roots first: a stream table leads to the CD tables, a directory to
	 * the PASID tables. Unknown kinds go last. */
	static const char *const order[] = { "smmuv3-strtab", "smmuv3-cd", "vtd-pasid",
					      NULL };
	for (int i = 0; order[i]; i++)
		if (strcmp(order[i], kind) == 0)
			return i;
	return 99;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct pt_scan_candidate *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	int kx = kind_rank(x->kind), ky = kind_rank(y->kind);
	if (kx != ky)
		return kx - ky;
	int c = strcmp(x->kind, y->kind);
	if (c)
		return c;
	return x->base < y->base ? -1 : x->base > y->base;
}

int pt_scan_run(struct pt_scan *s)
{
	void *states[MAX_SCANNERS] = { 0 };
	int rc = 0;
	for (size_t i = 0; i < nscanners; i++) {
		states[i] = scanners[i]->start(s);
		if (!states[i])
			rc = -1;
	}
	if (rc == 0) {
		walk_pages(s, states);
		for (size_t i = 0; i < nscanners; i++)
			scanners[i]->finish(s, states[i]);
	}
	for (size_t i = 0; i < nscanners; i++)
		if (states[i])
			scanners[i]->free(states[i]);
	if (s->ncands > 1)
		qsort(s->cands, s->ncands, sizeof s->cands[0], cmp_cand);
	return rc;
}
