/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The floor validate is measured against: the same bytes, in the same order,
 * read from the same mapping with nothing done to them but a checksum. No
 * bounds checks, no decoding, no rules; what is left is the cost of moving
 * the table through the memory hierarchy. */
#include <string.h>

#include "bench.h"
#include "table.h"

/* Bytes [addr, addr + len) when one file-backed range holds them all. */
static const uint8_t *mapped(const struct pt_source *src, uint64_t addr, uint64_t len)
{
	uint32_t lo = 0, hi = src->nranges;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct pt_range *r = &src->ranges[mid];
		if (addr < r->addr)
			hi = mid;
		else if (addr - r->addr >= r->size)
			lo = mid + 1;
		else
			return addr - r->addr + len <= r->filesz ? r->data + (addr - r->addr) : NULL;
	}
	return NULL;
}

/* Sum of the 64-bit words: each one must be loaded, nothing else happens. */
static uint64_t fold(const uint8_t *p, uint64_t len)
{
	uint64_t sum = 0;
	for (uint64_t i = 0; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, sizeof w);
		sum += w;
	}
	return sum;
}

static uint64_t floor_linear(const struct pt_source *src, const struct pt_table_cfg *cfg,
			     const struct pt_geometry *g, uint64_t *bytes)
{
	const uint8_t *p = mapped(src, cfg->base, g->leaf_bytes);
	*bytes += p ? g->leaf_bytes : 0;
	return p ? fold(p, g->leaf_bytes) : 0;
}

uint64_t bench_floor_read(const struct pt_source *src, const struct pt_table_cfg *cfg,
			  uint64_t *bytes)
{
	struct pt_geometry g;
	*bytes = 0;
	if (pt_geometry(cfg, &g) != 0)
		return 0;
	if (!g.ndir)
		return floor_linear(src, cfg, &g, bytes);
	uint32_t dsize = cfg->fmt->dir->size;
	const uint8_t *l1 = mapped(src, cfg->base, g.root_bytes);
	if (!l1)
		return 0;
	/* The walker reads every descriptor once, then again to follow it. */
	uint64_t sum = fold(l1, g.root_bytes);
	*bytes += g.root_bytes;
	uint64_t per_leaf = (UINT64_C(1) << g.leaf_bits) * cfg->fmt->entry->size;
	for (uint64_t i = 0; i < g.ndir; i++) {
		struct pt_dir_view dv;
		cfg->fmt->dir_view(l1 + i * dsize, &dv);
		const uint8_t *leaf = dv.valid ? mapped(src, dv.next, per_leaf) : NULL;
		if (!leaf)
			continue;
		sum += fold(leaf, per_leaf);
		*bytes += per_leaf;
	}
	return sum;
}
