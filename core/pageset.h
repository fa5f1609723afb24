/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A set of page numbers: the pages of the input a decode read, so that
 * --save-pages can write just those into a small ELF core for bug reports. */
#ifndef PT_PAGESET_H
#define PT_PAGESET_H

#include <stddef.h>
#include <stdint.h>

#define PT_PAGE_SHIFT 12u
/* A decode never needs more pages than this; beyond it tracking stops. */
#define PT_PAGESET_MAX (1u << 20)

struct pt_pageset;

struct pt_pageset *pt_pageset_new(void);
void pt_pageset_free(struct pt_pageset *set);
void pt_pageset_add_range(struct pt_pageset *set, uint64_t addr, uint64_t len);
/* Pages in ascending order; returns the count, *out owned by the set. */
size_t pt_pageset_sorted(struct pt_pageset *set, const uint64_t **out);
int pt_pageset_overflowed(const struct pt_pageset *set);

#endif
