/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A circular queue in memory with producer and consumer indexes that carry a
 * wrap bit above the index (the SMMUv3 command, event and PRI queues, and
 * any ring built the same way). The walker visits every slot once, oldest
 * first: the consumed history the producer has not overwritten yet, then the
 * pending entries between the consumer and the producer. Nothing here knows
 * what an entry means. */
#ifndef PT_RING_H
#define PT_RING_H

#include <stdint.h>

#include "source.h"

/* Largest ring walked: 2^20 slots (SMMUv3 allows 2^19). */
#define PT_RING_MAX_LOG2 20u
#define PT_RING_MAX_ENTRY 64u

struct pt_ring {
	uint64_t base;           /* address of slot 0 */
	unsigned log2size;       /* 2^log2size slots */
	unsigned entry_size;     /* bytes per slot, 1..PT_RING_MAX_ENTRY */
	uint32_t prod, cons;     /* index | wrap << log2size; higher bits ignored */
};

/* How PROD and CONS relate. Equal wrap bits need PROD >= CONS; different
 * wrap bits need PROD <= CONS (the producer is one lap ahead). The other
 * two combinations cannot happen on a working queue. */
enum pt_ring_order {
	PT_RING_ORDERED,         /* a consistent pair */
	PT_RING_PROD_BEHIND,     /* same wrap, PROD index below CONS index */
	PT_RING_OVERLAP,         /* wraps differ, PROD index above CONS index */
};

struct pt_ring_geom {
	uint32_t slots;          /* 2^log2size */
	uint32_t prod_index, cons_index;
	unsigned prod_wrap, cons_wrap;
	uint32_t pending;        /* slots between CONS and PROD */
	enum pt_ring_order order;
	uint64_t bytes;          /* slots * entry_size */
};

/* 0, or -1 when the ring cannot be walked (log2size above the cap, entry
 * size out of range, or the ring wraps the address space). For an
 * inconsistent pair, pending is what the indexes give when the wrap bits
 * are ignored, so the entries can still be shown. */
int pt_ring_geometry(const struct pt_ring *r, struct pt_ring_geom *g);

enum pt_ring_state { PT_RING_CONSUMED, PT_RING_PENDING };

struct pt_ring_slot {
	uint32_t order;          /* 0 = oldest */
	uint32_t index;          /* slot number in the ring */
	uint64_t addr;
	enum pt_ring_state state;
	/* Distance from CONS: pending slots count 0, 1, ... from CONS; consumed
	 * ones -1 (newest, just before CONS), -2, ... */
	int64_t age;
	int mapped;              /* the input holds every byte of the slot */
	const uint8_t *raw;      /* entry_size bytes (zeroes when not mapped) */
};

/* Called for each slot, oldest first; non-zero stops the walk. */
typedef int (*pt_ring_fn)(void *user, const struct pt_ring_slot *slot);

/* Visit all 2^log2size slots (each exactly once: the loop is bounded by the
 * ring size, not by anything read from it). Returns 0, or -1 when the ring
 * cannot be walked. */
int pt_ring_walk(const struct pt_ring *r, struct pt_source *src, pt_ring_fn fn, void *user);

#endif
