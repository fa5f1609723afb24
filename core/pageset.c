/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "pageset.h"

#include <stdlib.h>

/* Open addressing over page numbers + 1 (0 marks an empty slot). */
struct pt_pageset {
	uint64_t *slots;
	size_t cap, count;
	uint64_t *sorted;
	int overflow;
};

struct pt_pageset *pt_pageset_new(void)
{
	return calloc(1, sizeof(struct pt_pageset));
}

void pt_pageset_free(struct pt_pageset *set)
{
	if (!set)
		return;
	free(set->slots);
	free(set->sorted);
	free(set);
}

static int insert(uint64_t *slots, size_t cap, uint64_t key)
{
	size_t i = (size_t)((key * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & (cap - 1);
	while (slots[i]) {
		if (slots[i] == key)
			return 0;
		i = (i + 1) & (cap - 1);
	}
	slots[i] = key;
	return 1;
}

static int grow(struct pt_pageset *set)
{
	size_t ncap = set->cap ? set->cap * 2 : 1024;
	uint64_t *n = calloc(ncap, sizeof *n);
	if (!n)
		return -1;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			insert(n, ncap, set->slots[i]);
	free(set->slots);
	set->slots = n;
	set->cap = ncap;
	return 0;
}

void pt_pageset_add_range(struct pt_pageset *set, uint64_t addr, uint64_t len)
{
	if (!len || set->overflow)
		return;
	uint64_t first = addr >> PT_PAGE_SHIFT;
	uint64_t last = (addr + (len - 1)) >> PT_PAGE_SHIFT;
	for (uint64_t p = first; p <= last; p++) {
		if (set->count >= PT_PAGESET_MAX) {
			set->overflow = 1;
			return;
		}
		if (set->count * 2 >= set->cap && grow(set) != 0) {
			set->overflow = 1;
			return;
		}
		set->count += (size_t)insert(set->slots, set->cap, p + 1);
		if (p == UINT64_MAX >> PT_PAGE_SHIFT)
			break;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t pt_pageset_sorted(struct pt_pageset *set, const uint64_t **out)
{
	free(set->sorted);
	set->sorted = malloc((set->count ? set->count : 1) * sizeof(uint64_t));
	if (!set->sorted) {
		*out = NULL;
		return 0;
	}
	size_t n = 0;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i])
			set->sorted[n++] = set->slots[i] - 1;
	qsort(set->sorted, n, sizeof(uint64_t), cmp_u64);
	*out = set->sorted;
	return n;
}

int pt_pageset_overflowed(const struct pt_pageset *set)
{
	return set->overflow;
}
