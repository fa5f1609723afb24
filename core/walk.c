/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "slots.h"
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
	[PT_R_TABLE_OVERLAP] = { "TABLE-OVERLAP", PT_SEV_ERROR, NULL,
		"a table reached from an STE or request overlaps another structure of the "
		"run (the stream table, or another table with a different base or size)",
		"the hardware reads one structure's bytes as the other's, and a write to one "
		"corrupts the other; the table is reported, not walked again",
		"table consistency" },
	[PT_R_TABLE_BUDGET] = { "TABLE-BUDGET", PT_SEV_ERROR, NULL,
		"the walks read more entries than --max-entries allows",
		"the rest of the input was not read: findings and counts are incomplete",
		"pasidtool's work bound (--max-entries)" },
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

/* Spend one unit of the run's budget on a read at addr; 0 when the walk may
 * go on. The walk that runs out reports it; later walks stop silently. */
static int spend(struct pt_walk *w, uint64_t addr)
{
	struct pt_budget *b = w->budget;
	if (!b || !b->max)
		return 0;
	if (b->exhausted || ++b->used > b->max) {
		if (!b->exhausted)
			pt_diag_report(w->diags, core_rule(PT_R_TABLE_BUDGET), 1, addr,
				       PT_SCOPE_NONE, 0, NULL,
				       "stopped after %llu entries (--max-entries): this and later "
				       "entries and tables were not read",
				       (unsigned long long)b->max);
		b->exhausted = 1;
		w->stopped = 1;
		return -1;
	}
	return 0;
}

/* How many items of `size` bytes from addr on (at most n) lie wholly in
 * memory the input holds no data for, and what backs them; 0 when the item
 * at addr has data (or straddles a change of backing: read it). */
static int in_data_run(const struct pt_walk *w, uint64_t addr)
{
	return addr >= w->data_lo && addr < w->data_hi;
}

static uint64_t hole_items(struct pt_walk *w, uint64_t addr, uint64_t size, uint64_t n,
			   enum pt_mem_kind *kind)
{
	uint64_t run;
	if (in_data_run(w, addr)) {
		*kind = PT_MEM_DATA;
		return 0;
	}
	*kind = pt_source_probe(w->src, addr, &run);
	if (*kind == PT_MEM_DATA) {
		w->data_lo = addr;
		w->data_hi = run > UINT64_MAX - addr ? UINT64_MAX : addr + run;
	}
	if (*kind == PT_MEM_DATA || (*kind == PT_MEM_ZERO && w->visit_zero))
		return 0;
	uint64_t items = run / size;
	return items < n ? items : n;
}

/* Count n entries skipped in memory of `kind`. Entries in zero-filled memory
 * are read (as zero) and invalid; the others are not read at all. */
static void count_hole(struct pt_walk *w, enum pt_mem_kind kind, uint64_t n)
{
	switch (kind) {
	case PT_MEM_ZERO:
		w->entries_read += n;
		w->entries_zero += n;
		break;
	case PT_MEM_EXCLUDED: w->entries_excluded += n; break;
	default: w->entries_absent += n; break;
	}
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
	if (spend(w, dir_addr(w, index)) != 0 ||
	    pt_source_read(w->src, dir_addr(w, index), raw, dsize) != PT_READ_OK)
		return -1;
	memset(dv, 0, sizeof *dv);
	w->cfg->fmt->dir_view(raw, dv);
	return 0;
}

static void report_unmapped(struct pt_walk *w, uint64_t addr, uint64_t len,
			    enum pt_diag_scope scope, uint32_t id, const char *what)
{
	pt_diag_report(w->diags, core_rule(PT_R_TABLE_UNMAPPED), 1, addr, scope, id, NULL,
		       "%s (0x%llx bytes) %s", what, (unsigned long long)len,
		       pt_source_why_unreadable(w->src, addr, len));
}

/* Descriptors (or entries) of `size` bytes from addr on, at most n, that lie
 * in one run of memory without data, and in *kind what backs them; spends
 * one unit of budget for the run. 0 when the first has data; UINT64_MAX
 * when the budget is spent. */
static uint64_t hole_run(struct pt_walk *w, uint64_t addr, uint64_t size, uint64_t n,
			 enum pt_mem_kind *kind)
{
	uint64_t items = hole_items(w, addr, size, n, kind);
	if (items == 0)
		return 0;
	return spend(w, addr) == 0 ? items : UINT64_MAX;
}

static void visit_dir(struct pt_walk *w, uint64_t i)
{
	const struct pt_format *fmt = w->cfg->fmt;
	uint8_t raw[PT_MAX_DIR_SIZE];
	struct pt_dir_view dv;
	if (read_dir(w, i, raw, &dv) != 0)
		return;
	w->dirs_read++;
	if (dv.valid)
		w->dirs_valid++;
	if (w->validate && fmt->check_dir)
		fmt->check_dir(w, (uint32_t)i, dir_addr(w, i), raw);
	if (w->ops && w->ops->on_dir && w->ops->on_dir(w, (uint32_t)i, dir_addr(w, i), raw, &dv))
		w->stopped = 1;
}

/* Phase 1: every directory descriptor, in index order. A run of them in
 * zero-filled memory is visited at its first (printed with --all or
 * --json, like any descriptor) and counted; one without bytes is skipped. */
static int walk_dirs(struct pt_walk *w)
{
	uint64_t dsize = w->cfg->fmt->dir->size;
	if (!pt_source_covers(w->src, w->cfg->base, w->geo.root_bytes))
		report_unmapped(w, w->cfg->base, w->geo.root_bytes, PT_SCOPE_NONE, 0,
				"root table");
	for (uint64_t i = 0; i < w->geo.ndir && !w->stopped; i++) {
		enum pt_mem_kind kind;
		uint64_t n = hole_run(w, dir_addr(w, i), dsize, w->geo.ndir - i, &kind);
		if (n == UINT64_MAX)
			break;
		if (n == 0 || kind == PT_MEM_ZERO)
			visit_dir(w, i);
		if (n && kind == PT_MEM_ZERO)
			w->dirs_read += n - 1;
		if (n)
			i += n - 1;
	}
	return 0;
}

static void visit_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	const struct pt_format *fmt = w->cfg->fmt;
	if (spend(w, addr) != 0)
		return;
	w->entries_read++;
	if (fmt->entry_valid(raw))
		w->entries_valid++;
	if (w->validate && fmt->check_entry)
		fmt->check_entry(w, ssid, addr, raw);
	if (w->ops && w->ops->on_entry && w->ops->on_entry(w, ssid, addr, raw))
		w->stopped = 1;
	else if (w->ops && !w->ops->on_entry && w->ops->on_entries)
		w->ops->on_entries(w, ssid, 1);
}

/* The budget covers n more entries: they can be spent in one step. */
static int spend_run(struct pt_walk *w, uint64_t n)
{
	struct pt_budget *b = w->budget;
	if (!b || !b->max)
		return 1;
	if (b->exhausted || b->used > b->max || n > b->max - b->used)
		return 0;
	b->used += n;
	return 1;
}

/* n entries in place, as n visit_entry calls would visit them, when nothing
 * is called per entry and the budget covers them all: counted and checked a
 * run at a time. Returns the entries visited. */
static uint64_t visit_run(struct pt_walk *w, uint32_t first, uint64_t addr, const uint8_t *p,
			  uint64_t n)
{
	const struct pt_format *fmt = w->cfg->fmt;
	uint32_t esize = fmt->entry->size;
	uint64_t k;
	if ((w->ops && w->ops->on_entry) || !spend_run(w, n)) {
		for (k = 0; k < n && !w->stopped; k++)
			visit_entry(w, first + (uint32_t)k, addr + k * esize, p + k * esize);
		return k;
	}
	w->entries_read += n;
	if (w->validate && fmt->check_entries) {
		w->entries_valid += fmt->check_entries(w, first, addr, p, n);
	} else {
		for (k = 0; k < n; k++) {
			const uint8_t *raw = p + k * esize;
			w->entries_valid += fmt->entry_valid(raw) != 0;
			if (w->validate && fmt->check_entry)
				fmt->check_entry(w, first + (uint32_t)k, addr + k * esize, raw);
		}
	}
	if (w->ops && w->ops->on_entries)
		w->ops->on_entries(w, first, n);
	return n;
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
	uint64_t k = visit_run(w, first_ssid + (uint32_t)j, addr, p, n);
	pt_source_release(w->src, addr, k * esize);
	return k ? k : 1;
}

/* One entry through the copying reader; unreadable bytes are skipped (the
 * leaf as a whole was reported when it is not in the input). */
static void read_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr)
{
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	if (pt_source_read(w->src, addr, raw, w->cfg->fmt->entry->size) == PT_READ_OK)
		visit_entry(w, ssid, addr, raw);
	else
		spend(w, addr);
}

/* Entries of one leaf: `count` entries from `first_ssid`, at `leaf`. A run
 * of them in zero-filled memory is visited at its first entry and counted
 * (all invalid); one in memory the input lacks is counted and not read. */
static void walk_leaf(struct pt_walk *w, uint64_t leaf, uint32_t first_ssid, uint64_t count,
		      uint32_t dir_index)
{
	uint32_t esize = w->cfg->fmt->entry->size;
	uint64_t bytes = count * esize;
	int known = in_data_run(w, leaf) && bytes <= w->data_hi - leaf;
	if (leaf + (bytes - 1) < leaf || (!known && !pt_source_covers(w->src, leaf, bytes))) {
		report_unmapped(w, leaf, bytes, is_two_level(w) ? PT_SCOPE_INDEX : PT_SCOPE_NONE,
				dir_index, is_two_level(w) ? "leaf table" : "table");
		if (leaf + (bytes - 1) < leaf)
			return;
	}
	for (uint64_t j = 0; j < count && !w->stopped;) {
		uint64_t addr = leaf + j * esize;
		enum pt_mem_kind kind;
		uint64_t n = hole_run(w, addr, esize, count - j, &kind);
		if (n == UINT64_MAX)
			break;
		if (n && kind == PT_MEM_ZERO) {
			read_entry(w, first_ssid + (uint32_t)j, addr);
			w->entries_zero++;
			count_hole(w, kind, n - 1);
		} else if (n) {
			count_hole(w, kind, n);
		} else {
			n = walk_direct(w, leaf, first_ssid, j, count);
			if (!n) {
				read_entry(w, first_ssid + (uint32_t)j, addr);
				n = 1;
			}
		}
		j += n;
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
	/* Tables are usually built with their leaves in index order. */
	size_t sorted = 1;
	while (sorted < n && leaves[sorted - 1].addr <= leaves[sorted].addr)
		sorted++;
	if (sorted < n)
		qsort(leaves, n, sizeof *leaves, cmp_span);
	for (size_t i = 1; i < n; i++)
		if (leaves[i].addr - leaves[i - 1].addr < leaves[i - 1].bytes)
			pt_diag_report(w->diags, core_rule(PT_R_L2_SHARED), 1, leaves[i].addr,
				       PT_SCOPE_NONE, 0, "l2ptr",
				       "leaf table shares memory with the leaf at 0x%llx",
				       (unsigned long long)leaves[i - 1].addr);
}

/* Leaves remembered for the overlap check and for walking each distinct
 * leaf once; past this many neither covers the rest, so memory stays
 * bounded whatever the input says (the budget bounds the time). */
#define MAX_CHECKED_LEAVES (1u << 20)
#define LEAF_SLOTS (2u * MAX_CHECKED_LEAVES)

struct leaf_list {
	struct leaf_span *v;
	size_t n, cap;
	/* Index of v by address, built once a leaf comes at or below the
	 * last one: until then none can have been reached before. */
	int indexed;
	struct pt_slots slots;
};

static uint64_t leaf_key(const void *ctx, uint32_t i)
{
	const struct leaf_list *l = ctx;
	return l->v[i].addr;
}

/* Append a leaf to the list; 0 when the list is at its cap. */
static int append_leaf(struct leaf_list *l, uint64_t addr, uint64_t bytes)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		if (ncap > MAX_CHECKED_LEAVES)
			return 0;
		struct leaf_span *nv = realloc(l->v, ncap * sizeof *nv);
		if (!nv)
			return 0;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = (struct leaf_span){ addr, bytes };
	return 1;
}

/* The index of the leaves listed so far, all at distinct addresses. */
static int index_leaves(struct leaf_list *l)
{
	l->indexed = 1;
	for (size_t i = 0; i < l->n; i++) {
		if (pt_slots_reserve(&l->slots, LEAF_SLOTS, l, leaf_key) != 0)
			return -1;
		uint32_t *slot = pt_slots_first(&l->slots, l->v[i].addr);
		while (*slot)
			slot = pt_slots_next(&l->slots, slot);
		pt_slots_put(&l->slots, slot, (uint32_t)i);
	}
	return 0;
}

/* Remember a leaf (a repeat too: the overlap check reports it); 1 when a
 * leaf at the same address and at least as large was remembered before, so
 * its entries were walked already. */
static int remember_leaf(struct leaf_list *l, uint64_t addr, uint64_t bytes)
{
	if (!l->indexed && (l->n == 0 || addr > l->v[l->n - 1].addr)) {
		append_leaf(l, addr, bytes);
		return 0;
	}
	if (!l->indexed && index_leaves(l) != 0)
		return 0;
	if (pt_slots_reserve(&l->slots, LEAF_SLOTS, l, leaf_key) != 0)
		return 0;
	uint32_t *slot = pt_slots_first(&l->slots, addr);
	int seen = 0;
	for (; *slot; slot = pt_slots_next(&l->slots, slot)) {
		if (l->v[*slot - 1].addr == addr && l->v[*slot - 1].bytes >= bytes) {
			seen = 1;
			break;
		}
	}
	if (!append_leaf(l, addr, bytes))
		return seen;
	if (!seen)
		pt_slots_put(&l->slots, slot, (uint32_t)(l->n - 1));
	return seen;
}

/* Phase 2: the entries of every distinct leaf a valid descriptor reaches.
 * A leaf reached again from another descriptor is not walked again: its
 * entries are the same bytes (TABLE-LEAF-SHARED says so when validating). */
static void walk_leaves(struct pt_walk *w)
{
	struct leaf_list leaves = { NULL, 0, 0, 0, { NULL, 0, 0 } };
	uint64_t dsize = w->cfg->fmt->dir->size;
	uint32_t esize = w->cfg->fmt->entry->size;
	for (uint64_t i = 0; i < w->geo.ndir && !w->stopped; i++) {
		uint8_t raw[PT_MAX_DIR_SIZE];
		struct pt_dir_view dv;
		enum pt_mem_kind kind;
		uint64_t n = hole_run(w, dir_addr(w, i), dsize, w->geo.ndir - i, &kind);
		if (n == UINT64_MAX)
			break;
		if (n) {
			i += n - 1;
			continue;
		}
		if (read_dir(w, i, raw, &dv) != 0 || !dv.valid)
			continue;
		uint64_t count = leaf_count(w, &dv);
		if (remember_leaf(&leaves, dv.next, count * esize)) {
			w->leaves_shared++;
			continue;
		}
		walk_leaf(w, dv.next, (uint32_t)(i << w->geo.leaf_bits), count, (uint32_t)i);
	}
	if (w->validate)
		check_leaf_overlaps(w, leaves.v, leaves.n);
	free(leaves.v);
	pt_slots_free(&leaves.slots);
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
			/* The descriptor the SSID needs counts as read. */
			w->dirs_read++;
			w->dirs_valid += dv.valid != 0;
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
	w->data_lo = w->data_hi = 0;
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
