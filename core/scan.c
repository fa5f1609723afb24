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

void pt_scan_check(const struct pt_format *fmt, const struct pt_table_cfg *cfg, int dir,
		   uint32_t index, uint64_t addr, const uint8_t *raw, struct pt_scan_verdict *v)
{
	struct pt_diag_sink sink;
	struct pt_walk w;
	pt_diag_init(&sink, "scan", NULL);
	memset(&w, 0, sizeof w);
	w.cfg = cfg;
	w.diags = &sink;
	w.validate = 1;
	if (pt_geometry(cfg, &w.geo) == 0) {
		if (dir && fmt->check_dir)
			fmt->check_dir(&w, index, addr, raw);
		else if (!dir && fmt->check_entry)
			fmt->check_entry(&w, index, addr, raw);
	}
	v->errors = (unsigned)sink.counts[PT_SEV_ERROR];
	v->warnings = (unsigned)sink.counts[PT_SEV_WARNING];
	v->first = NULL;
	for (int sev = PT_SEV_ERROR; sev >= PT_SEV_WARNING && !v->first; sev--)
		for (uint32_t i = 0; i < sink.nitems && !v->first; i++)
			if ((int)sink.items[i].severity == sev)
				v->first = sink.items[i].rule->id;
	/* check_done frees the format's per-walk state; what it says about
	 * the whole (throwaway) table is not about this entry. */
	if (fmt->check_done)
		fmt->check_done(&w);
	free(w.fmt_state);
	pt_diag_free(&sink);
}

int pt_scan_res0_clear(const struct pt_struct *st, const uint8_t *raw)
{
	for (size_t i = 0; i < st->nfields; i++)
		if (st->fields[i].kind == PT_FK_RES0 && pt_field_bits(raw, &st->fields[i]))
			return 0;
	return 1;
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
 * elsewhere. 1 when any byte of it holds data. */
static int load_page(struct pt_scan *s, uint64_t addr, uint8_t *buf, const uint8_t **out)
{
	uint64_t run;
	if (pt_source_probe(s->src, addr, &run) == PT_MEM_DATA && run >= PT_SCAN_PAGE) {
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
	/* A page the ranges cut: read the parts that hold data. */
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
 * follows the data the input holds; the budget bounds it besides. */
static void walk_pages(struct pt_scan *s, void **states)
{
	uint64_t lo, hi, run;
	static uint8_t buf[PT_SCAN_PAGE];
	if (pt_source_span(s->src, &lo, &hi) == 0)
		return;
	uint64_t addr = lo & ~(uint64_t)(PT_SCAN_PAGE - 1);
	uint64_t released = addr;
	for (;;) {
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
		addr &= ~(uint64_t)(PT_SCAN_PAGE - 1);
		if (!pt_scan_spend(s, addr))
			return;
		const uint8_t *page;
		if (load_page(s, addr, buf, &page)) {
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
