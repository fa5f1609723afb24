/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "ring.h"

int pt_ring_geometry(const struct pt_ring *r, struct pt_ring_geom *g)
{
	memset(g, 0, sizeof *g);
	if (r->log2size > PT_RING_MAX_LOG2 || r->entry_size == 0 ||
	    r->entry_size > PT_RING_MAX_ENTRY)
		return -1;
	g->slots = UINT32_C(1) << r->log2size;
	g->bytes = (uint64_t)g->slots * r->entry_size;
	if (r->base > UINT64_MAX - (g->bytes - 1))
		return -1;
	uint32_t mask = g->slots - 1;
	g->prod_index = r->prod & mask;
	g->cons_index = r->cons & mask;
	g->prod_wrap = (r->prod >> r->log2size) & 1u;
	g->cons_wrap = (r->cons >> r->log2size) & 1u;
	if (g->prod_wrap == g->cons_wrap) {
		g->order = g->prod_index >= g->cons_index ? PT_RING_ORDERED : PT_RING_PROD_BEHIND;
		g->pending = (g->prod_index - g->cons_index) & mask;
	} else {
		g->order = g->prod_index <= g->cons_index ? PT_RING_ORDERED : PT_RING_OVERLAP;
		/* One lap ahead: a full ring when the indexes meet. */
		g->pending = g->order == PT_RING_ORDERED
				     ? g->slots - g->cons_index + g->prod_index
				     : (g->prod_index - g->cons_index) & mask;
	}
	return 0;
}

int pt_ring_walk(const struct pt_ring *r, struct pt_source *src, pt_ring_fn fn, void *user)
{
	struct pt_ring_geom g;
	if (pt_ring_geometry(r, &g) < 0)
		return -1;
	uint8_t buf[PT_RING_MAX_ENTRY];
	uint32_t consumed = g.slots - g.pending;
	/* The oldest slot is the one the producer writes next. */
	uint32_t start = (g.cons_index + g.pending) & (g.slots - 1);
	for (uint32_t k = 0; k < g.slots; k++) {
		struct pt_ring_slot s;
		s.order = k;
		s.index = (start + k) & (g.slots - 1);
		s.addr = r->base + (uint64_t)s.index * r->entry_size;
		s.state = k < consumed ? PT_RING_CONSUMED : PT_RING_PENDING;
		s.age = k < consumed ? -(int64_t)(consumed - k) : (int64_t)(k - consumed);
		s.mapped = pt_source_read(src, s.addr, buf, r->entry_size) == PT_READ_OK;
		if (!s.mapped)
			memset(buf, 0, r->entry_size);
		s.raw = buf;
		if (fn(user, &s))
			break;
	}
	return 0;
}
