/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "table.h"

const struct pt_rule pt_core_rule_list[PT_R_CORE_COUNT] = {
	[PT_R_TABLE_UNMAPPED] = { "TABLE-UNMAPPED", PT_SEV_ERROR, NULL,
		"a table, leaf table or entry the walk must read is not in the input",
		"the hardware's fetch of that structure aborts or reads memory outside the dump",
		"walk of the table as configured" },
	[PT_R_TABLE_GEOMETRY] = { "TABLE-GEOMETRY", PT_SEV_ERROR, NULL,
		"the table config cannot describe a table: SSID bits out of range, "
		"the table wraps the address space, or an unknown layout",
		"nothing is walked", "format's layout definition" },
	[PT_R_L2_OVERLAP] = { "TABLE-LEAF-OVERLAP", PT_SEV_ERROR, NULL,
		"a leaf table overlaps the root table (directory) it hangs from",
		"writing an entry corrupts directory descriptors", "table consistency" },
	[PT_R_L2_SHARED] = { "TABLE-LEAF-SHARED", PT_SEV_WARNING, NULL,
		"two directory descriptors point at the same leaf table, or leaf tables overlap",
		"legal, but SSIDs of both ranges share entries", "table consistency" },
};

const struct pt_rule_set pt_core_rules = { "table", pt_core_rule_list, PT_R_CORE_COUNT };

static const struct pt_rule *core_rule(enum pt_core_rule_id id)
{
	return &pt_core_rule_list[id];
}

int pt_geometry(const struct pt_table_cfg *cfg, struct pt_geometry *g)
{
	memset(g, 0, sizeof *g);
	if (!cfg->fmt || !cfg->layout || cfg->ssid_bits > pt_format_max_index_bits(cfg->fmt))
		return -1;
	uint64_t esize = cfg->fmt->entry->size;
	g->nentries = UINT64_C(1) << cfg->ssid_bits;
	if (cfg->layout->nlevels <= 1 || !cfg->fmt->dir) {
		g->leaf_bits = cfg->ssid_bits;
		g->leaf_bytes = g->nentries * esize;
		g->root_bytes = g->leaf_bytes;
	} else {
		unsigned lb = cfg->leaf_bits ? cfg->leaf_bits : cfg->layout->leaf_bits;
		if (lb > PT_MAX_INDEX_BITS)
			return -1;
		g->leaf_bits = lb < cfg->ssid_bits ? lb : cfg->ssid_bits;
		g->dir_bits = cfg->ssid_bits - g->leaf_bits;
		g->ndir = UINT64_C(1) << g->dir_bits;
		/* A leaf always has its full architectural size even when fewer
		 * SSIDs reach it. */
		g->leaf_bytes = (UINT64_C(1) << lb) * esize;
		g->root_bytes = g->ndir * cfg->fmt->dir->size;
	}
	if (cfg->base + (g->root_bytes - 1) < cfg->base)
		return -1;
	return 0;
}

static int is_two_level(const struct pt_walk *w)
{
	return w->geo.ndir != 0;
}

static enum pt_diag_scope index_scope(const struct pt_walk *w)
{
	return pt_format_index_scope(w->cfg->fmt);
}

/* Lowest address >= addr the input has bytes for, or UINT64_MAX: lets the
 * loops below skip holes, so a table far larger than the dump costs time in
 * proportion to the dump, not to the table. */
static uint64_t next_mapped(const struct pt_source *src, uint64_t addr)
{
	uint32_t lo = 0, hi = src->nranges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct pt_range *r = &src->ranges[mid];
		if (r->addr + (r->size - 1) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == src->nranges)
		return UINT64_MAX;
	return src->ranges[lo].addr > addr ? src->ranges[lo].addr : addr;
}

/* Index of the first item of size `size` at base + i * size, i >= from, that
 * may be mapped; `n` when none is. */
static uint64_t skip_hole(const struct pt_source *src, uint64_t base, uint64_t from, uint64_t n,
			  uint64_t size)
{
	uint64_t next = next_mapped(src, base + from * size);
	if (next == UINT64_MAX || next < base)
		return n;
	uint64_t i = (next - base) / size;
	return i > from ? (i < n ? i : n) : from + 1;
}

/* Entries a leaf described by dv holds. */
static uint64_t leaf_count(const struct pt_walk *w, const struct pt_dir_view *dv)
{
	uint64_t full = UINT64_C(1) << w->geo.leaf_bits;
	return dv->count && dv->count < full ? dv->count : full;
}

static uint64_t dir_addr(const struct pt_walk *w, uint64_t index)
{
	return w->cfg->base + index * w->cfg->fmt->dir->size;
}

static int read_dir(struct pt_walk *w, uint64_t index, uint8_t *raw, struct pt_dir_view *dv)
{
	size_t dsize = w->cfg->fmt->dir->size;
	if (pt_source_read(w->src, dir_addr(w, index), raw, dsize) != PT_READ_OK)
		return -1;
	memset(dv, 0, sizeof *dv);
	w->cfg->fmt->dir_view(raw, dv);
	return 0;
}

static void report_unmapped(struct pt_walk *w, uint64_t addr, uint64_t len,
			    enum pt_diag_scope scope, uint32_t id, const char *what)
{
	pt_diag_report(w->diags, core_rule(PT_R_TABLE_UNMAPPED), 1, addr, scope, id, NULL,
		       "%s (0x%llx bytes) is not in the input", what, (unsigned long long)len);
}

/* Phase 1: every directory descriptor, in index order. */
static int walk_dirs(struct pt_walk *w)
{
	const struct pt_format *fmt = w->cfg->fmt;
	uint64_t dsize = fmt->dir->size;
	if (!pt_source_covers(w->src, w->cfg->base, w->geo.root_bytes))
		report_unmapped(w, w->cfg->base, w->geo.root_bytes, PT_SCOPE_NONE, 0,
				"root table");
	for (uint64_t i = 0; i < w->geo.ndir && !w->stopped; i++) {
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		if (read_dir(w, i, raw, &dv) != 0) {
			i = skip_hole(w->src, w->cfg->base, i, w->geo.ndir, dsize) - 1;
			continue;
		}
		if (dv.valid)
			w->dirs_valid++;
		if (w->validate && fmt->check_dir)
			fmt->check_dir(w, (uint32_t)i, dir_addr(w, i), raw);
		if (w->ops && w->ops->on_dir && w->ops->on_dir(w, (uint32_t)i, dir_addr(w, i), raw, &dv))
			w->stopped = 1;
	}
	return 0;
}

static void visit_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	const struct pt_format *fmt = w->cfg->fmt;
	w->entries_read++;
	if (fmt->entry_valid(raw))
		w->entries_valid++;
	if (w->validate && fmt->check_entry)
		fmt->check_entry(w, ssid, addr, raw);
	if (w->ops && w->ops->on_entry && w->ops->on_entry(w, ssid, addr, raw))
		w->stopped = 1;
}

/* Entries read in place, a chunk at a time, when the source maps all of the
 * chunk from a file: no copy per entry, and the chunk's pages are released
 * once visited so a 2^20-entry table is never resident all at once. Returns
 * the entries visited, 0 when the chunk must go through pt_source_read. */
#define WALK_CHUNK (UINT64_C(256) << 10)

static uint64_t walk_direct(struct pt_walk *w, uint64_t leaf, uint32_t first_ssid, uint64_t j,
			    uint64_t count)
{
	uint32_t esize = w->cfg->fmt->entry->size;
	uint64_t n = count - j, addr = leaf + j * esize;
	if (n > WALK_CHUNK / esize)
		n = WALK_CHUNK / esize;
	const uint8_t *p = pt_source_direct(w->src, addr, n * esize);
	if (!p)
		return 0;
	uint64_t k;
	for (k = 0; k < n && !w->stopped; k++)
		visit_entry(w, first_ssid + (uint32_t)(j + k), addr + k * esize, p + k * esize);
	pt_source_release(w->src, addr, k * esize);
	return k;
}

/* Entries of one leaf: `count` entries from `first_ssid`, at `leaf`. */
static void walk_leaf(struct pt_walk *w, uint64_t leaf, uint32_t first_ssid, uint64_t count,
		      uint32_t dir_index)
{
	uint32_t esize = w->cfg->fmt->entry->size;
	uint64_t bytes = count * esize;
	if (leaf + (bytes - 1) < leaf || !pt_source_covers(w->src, leaf, bytes)) {
		report_unmapped(w, leaf, bytes, is_two_level(w) ? PT_SCOPE_INDEX : PT_SCOPE_NONE,
				dir_index, is_two_level(w) ? "leaf table" : "table");
		if (leaf + (bytes - 1) < leaf)
			return;
	}
	for (uint64_t j = 0; j < count && !w->stopped; j++) {
		uint64_t done = walk_direct(w, leaf, first_ssid, j, count);
		if (done) {
			j += done - 1;
			continue;
		}
		uint8_t raw[PT_MAX_ENTRY_SIZE];
		uint64_t addr = leaf + j * esize;
		if (pt_source_read(w->src, addr, raw, esize) != PT_READ_OK) {
			j = skip_hole(w->src, leaf, j, count, esize) - 1;
			continue;
		}
		visit_entry(w, first_ssid + (uint32_t)j, addr, raw);
	}
}

struct leaf_span {
	uint64_t addr, bytes;
};

static int cmp_span(const void *a, const void *b)
{
	uint64_t x = ((const struct leaf_span *)a)->addr, y = ((const struct leaf_span *)b)->addr;
	return x < y ? -1 : x > y;
}

/* Leaf tables that overlap the directory or each other make writes to one
 * SSID land in another's entry; found by sorting the leaf addresses. */
static void check_leaf_overlaps(struct pt_walk *w, struct leaf_span *leaves, size_t n)
{
	uint64_t root = w->cfg->base, root_end = root + w->geo.root_bytes;
	for (size_t i = 0; i < n; i++) {
		uint64_t end = leaves[i].addr + leaves[i].bytes;
		if (leaves[i].addr < root_end && root < end)
			pt_diag_report(w->diags, core_rule(PT_R_L2_OVERLAP), 1, leaves[i].addr,
				       PT_SCOPE_NONE, 0, "l2ptr",
				       "leaf table overlaps the root table at 0x%llx",
				       (unsigned long long)root);
	}
	if (n < 2) /* qsort(NULL, 0, ...) is undefined: no valid leaf, no list */
		return;
	qsort(leaves, n, sizeof *leaves, cmp_span);
	for (size_t i = 1; i < n; i++)
		if (leaves[i].addr - leaves[i - 1].addr < leaves[i - 1].bytes)
			pt_diag_report(w->diags, core_rule(PT_R_L2_SHARED), 1, leaves[i].addr,
				       PT_SCOPE_NONE, 0, "l2ptr",
				       "leaf table shares memory with the leaf at 0x%llx",
				       (unsigned long long)leaves[i - 1].addr);
}

/* Leaves remembered for the overlap check; past this many the check covers
 * the first ones only, so memory stays bounded whatever the input says. */
#define MAX_CHECKED_LEAVES (1u << 20)

struct leaf_list {
	struct leaf_span *v;
	size_t n, cap;
};

static void remember_leaf(struct leaf_list *l, uint64_t addr, uint64_t bytes)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		if (ncap > MAX_CHECKED_LEAVES)
			return;
		struct leaf_span *nv = realloc(l->v, ncap * sizeof *nv);
		if (!nv)
			return;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = (struct leaf_span){ addr, bytes };
}

/* Phase 2: the entries of every leaf a valid descriptor reaches. */
static void walk_leaves(struct pt_walk *w)
{
	struct leaf_list leaves = { NULL, 0, 0 };
	uint64_t dsize = w->cfg->fmt->dir->size;
	uint32_t esize = w->cfg->fmt->entry->size;
	for (uint64_t i = 0; i < w->geo.ndir && !w->stopped; i++) {
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		if (read_dir(w, i, raw, &dv) != 0) {
			i = skip_hole(w->src, w->cfg->base, i, w->geo.ndir, dsize) - 1;
			continue;
		}
		if (!dv.valid)
			continue;
		uint64_t count = leaf_count(w, &dv);
		if (w->validate)
			remember_leaf(&leaves, dv.next, count * esize);
		walk_leaf(w, dv.next, (uint32_t)(i << w->geo.leaf_bits), count, (uint32_t)i);
	}
	if (w->validate)
		check_leaf_overlaps(w, leaves.v, leaves.n);
	free(leaves.v);
}

static void phase(struct pt_walk *w, enum pt_walk_phase p)
{
	if (w->ops && w->ops->on_phase)
		w->ops->on_phase(w, p);
}

static int walk_one(struct pt_walk *w)
{
	uint64_t addr;
	const char *why;
	if (w->ssid >= w->geo.nentries) {
		pt_diag_report(w->diags, core_rule(PT_R_TABLE_GEOMETRY), 1, w->cfg->base,
			       index_scope(w), w->ssid, NULL,
			       "%s is outside a table of 2^%u entries",
			       pt_format_index_name(w->cfg->fmt), w->cfg->ssid_bits);
		return -1;
	}
	if (is_two_level(w)) {
		phase(w, PT_PHASE_DIRS);
		uint64_t idx = (uint64_t)w->ssid >> w->geo.leaf_bits;
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		if (read_dir(w, idx, raw, &dv) == 0) {
			if (w->validate && w->cfg->fmt->check_dir)
				w->cfg->fmt->check_dir(w, (uint32_t)idx, dir_addr(w, idx), raw);
			if (w->ops && w->ops->on_dir)
				w->ops->on_dir(w, (uint32_t)idx, dir_addr(w, idx), raw, &dv);
			uint64_t in_leaf = w->ssid & ((UINT64_C(1) << w->geo.leaf_bits) - 1);
			if (!dv.valid && w->cfg->fmt->dir_invalid_rule) {
				pt_diag_report(w->diags, w->cfg->fmt->dir_invalid_rule, 1,
					       dir_addr(w, idx), index_scope(w), w->ssid, NULL,
					       "the directory descriptor for this %s is not valid: %s",
					       pt_format_index_name(w->cfg->fmt),
					       w->cfg->fmt->dir_invalid_rule->effect);
				return 0;
			}
			if (dv.valid && in_leaf >= leaf_count(w, &dv) &&
			    w->cfg->fmt->dir_invalid_rule) {
				pt_diag_report(w->diags, w->cfg->fmt->dir_invalid_rule, 1,
					       dir_addr(w, idx), index_scope(w), w->ssid, NULL,
					       "the directory descriptor's leaf holds %llu entries; "
					       "this %s is entry %llu: %s",
					       (unsigned long long)leaf_count(w, &dv),
					       pt_format_index_name(w->cfg->fmt),
					       (unsigned long long)in_leaf,
					       w->cfg->fmt->dir_invalid_rule->effect);
				return 0;
			}
		}
	}
	if (pt_entry_address(w->src, w->cfg, w->ssid, &addr, &why) != 0) {
		pt_diag_report(w->diags, core_rule(PT_R_TABLE_UNMAPPED), 1, w->cfg->base,
			       index_scope(w), w->ssid, NULL, "entry cannot be reached: %s", why);
		return 0;
	}
	phase(w, PT_PHASE_ENTRIES);
	walk_leaf(w, addr, w->ssid, 1, (uint32_t)((uint64_t)w->ssid >> w->geo.leaf_bits));
	return 0;
}

int pt_walk_run(struct pt_walk *w)
{
	if (pt_geometry(w->cfg, &w->geo) != 0) {
		pt_diag_report(w->diags, core_rule(PT_R_TABLE_GEOMETRY), 1, w->cfg->base,
			       PT_SCOPE_NONE, 0, NULL,
			       "table of 2^%u entries at this address cannot be walked",
			       w->cfg->ssid_bits);
		return -1;
	}
	int rc = 0;
	if (w->one_ssid) {
		rc = walk_one(w);
	} else if (is_two_level(w)) {
		phase(w, PT_PHASE_DIRS);
		walk_dirs(w);
		phase(w, PT_PHASE_ENTRIES);
		walk_leaves(w);
	} else {
		phase(w, PT_PHASE_ENTRIES);
		walk_leaf(w, w->cfg->base, 0, w->geo.nentries, 0);
	}
	phase(w, PT_PHASE_END);
	if (w->validate && w->cfg->fmt->check_done)
		w->cfg->fmt->check_done(w);
	return rc;
}

int pt_entry_address(struct pt_source *src, const struct pt_table_cfg *cfg, uint32_t ssid,
		     uint64_t *addr, const char **why)
{
	struct pt_geometry g;
	if (pt_geometry(cfg, &g) != 0 || ssid >= g.nentries) {
		*why = "SSID outside the table";
		return -1;
	}
	uint64_t esize = cfg->fmt->entry->size;
	uint64_t leaf = cfg->base;
	if (g.ndir) {
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		uint64_t idx = (uint64_t)ssid >> g.leaf_bits;
		uint64_t daddr = cfg->base + idx * cfg->fmt->dir->size;
		if (pt_source_read(src, daddr, raw, cfg->fmt->dir->size) != PT_READ_OK) {
			*why = "directory descriptor not in the input";
			return -1;
		}
		memset(&dv, 0, sizeof dv);
		cfg->fmt->dir_view(raw, &dv);
		if (!dv.valid) {
			*why = "directory descriptor not valid";
			return -1;
		}
		uint64_t in_leaf = ssid & ((UINT64_C(1) << g.leaf_bits) - 1);
		if (dv.count && in_leaf >= dv.count) {
			*why = "past the entries the directory descriptor's leaf holds";
			return -1;
		}
		leaf = dv.next;
	}
	uint64_t off = (ssid & ((UINT64_C(1) << g.leaf_bits) - 1)) * esize;
	if (leaf + off < leaf) {
		*why = "entry address wraps";
		return -1;
	}
	*addr = leaf + off;
	return 0;
}
