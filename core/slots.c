/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "slots.h"

#include <stdlib.h>

#define FIRST_CAP 64u

void pt_slots_free(struct pt_slots *s)
{
	free(s->v);
	s->v = NULL;
	s->cap = s->used = 0;
}

/* Fibonacci hashing: the top bits of h times 2^64/phi pick the slot, so a
 * caller's hash need not spread its low bits. */
static uint32_t home(uint32_t cap, uint64_t h)
{
	unsigned bits = (unsigned)__builtin_ctz(cap);
	return (uint32_t)((h * UINT64_C(0x9e3779b97f4a7c15)) >> (64 - bits));
}

int pt_slots_reserve(struct pt_slots *s, uint32_t max, const void *ctx, pt_slots_hash_fn hash)
{
	if (s->cap && (uint64_t)(s->used + 1) * 2 <= s->cap)
		return 0;
	uint32_t ncap = s->cap ? s->cap * 2 : FIRST_CAP;
	if (ncap > max || ncap < s->cap) {
		/* At its largest: fill it up to one free slot (probes end). */
		return s->cap && s->used + 1 < s->cap ? 0 : -1;
	}
	uint32_t *nv = calloc(ncap, sizeof *nv);
	if (!nv)
		return s->cap && s->used + 1 < s->cap ? 0 : -1;
	for (uint32_t k = 0; k < s->cap; k++) {
		uint32_t v = s->v[k];
		if (!v)
			continue;
		uint32_t h = home(ncap, hash(ctx, v - 1));
		while (nv[h])
			h = (h + 1) & (ncap - 1);
		nv[h] = v;
	}
	free(s->v);
	s->v = nv;
	s->cap = ncap;
	return 0;
}

uint32_t *pt_slots_first(const struct pt_slots *s, uint64_t h)
{
	return &s->v[home(s->cap, h)];
}

uint32_t *pt_slots_next(const struct pt_slots *s, uint32_t *slot)
{
	return &s->v[(uint32_t)(slot - s->v + 1) & (s->cap - 1)];
}

void pt_slots_put(struct pt_slots *s, uint32_t *slot, uint32_t i)
{
	*slot = i + 1;
	s->used++;
}
