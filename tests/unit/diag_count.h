/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings of one rule in a sink, for the source and ELF reader tests: how
 * many (a folded finding counts each of its repeats), and the first. */
#ifndef PT_TEST_DIAG_COUNT_H
#define PT_TEST_DIAG_COUNT_H

#include <stdint.h>
#include <string.h>

#include "diag.h"

static inline unsigned count_rule(const struct pt_diag_sink *s, const char *id)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].rule->id, id) == 0)
			n += 1 + s->items[i].repeat;
	return n;
}

static inline const struct pt_diag *find_rule(const struct pt_diag_sink *s, const char *id)
{
	for (uint32_t i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].rule->id, id) == 0)
			return &s->items[i];
	return NULL;
}

#endif
