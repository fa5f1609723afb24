/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An open-addressing index over a caller's array of items: each slot holds
 * an item's index + 1, 0 when free. It starts small and doubles when half
 * full, so its memory follows what was added. A table sized for the most
 * items allowed (2^21 slots for a walk's leaves) cost every walk megabytes
 * of zeroed memory and page faults however few it held: most of each
 * sanitized fuzz run went there. */
#ifndef PT_SLOTS_H
#define PT_SLOTS_H

#include <stdint.h>

struct pt_slots {
	uint32_t *v;
	uint32_t cap;      /* 0 or a power of two */
	uint32_t used;
};

/* The caller's hash of the item at index i (its own array). */
typedef uint64_t (*pt_slots_hash_fn)(const void *ctx, uint32_t i);

/* A zero-filled struct pt_slots is an empty index. */
void pt_slots_free(struct pt_slots *s);

/* Room for one more item: grows (rehashing the items already held) when
 * half full, up to max slots (a power of two, at least 64). 0, or -1 when
 * it cannot hold another (out of memory, or full at max). */
int pt_slots_reserve(struct pt_slots *s, uint32_t max, const void *ctx, pt_slots_hash_fn hash);

/* The probe sequence of hash h: the first slot, then pt_slots_next until a
 * slot holding 0, where an item with that hash would go. Call only once
 * pt_slots_reserve succeeded (the index then has a free slot). */
uint32_t *pt_slots_first(const struct pt_slots *s, uint64_t h);
uint32_t *pt_slots_next(const struct pt_slots *s, uint32_t *slot);

/* Store item i (0-based) in the free slot the probe ended at. */
void pt_slots_put(struct pt_slots *s, uint32_t *slot, uint32_t i);

#endif
