/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the emitters' per-structure plans share (emit_item.c for JSON,
 * emit_text.c for text): a field cut out of the structure's words from
 * sixteen bytes instead of the field table's row, and the few plans a thread
 * keeps. Both print a million entries of sixty fields each, so the cut is
 * read in the per-field loop and the plan looked up once per entry. */
#ifndef PT_FIELD_PLAN_H
#define PT_FIELD_PLAN_H

#include <stdint.h>

#include "field.h"

/* A field as pt_field_from_words cuts it, and how its emitter writes it. */
struct pt_field_cut {
	uint64_t mask;
	uint8_t word, lsb, shl;
	uint8_t straddle;   /* runs into the next word */
	uint8_t hide_zero;  /* a zero value is left out */
	uint8_t style;      /* how the value reads, in the emitter's own codes */
	uint8_t slotlen;    /* of the emitter's key or label slot; 0: the slow path */
	uint8_t is_enum;
};

/* The cut of f; the emitter fills hide_zero, style and slotlen. */
static inline void pt_field_cut_make(struct pt_field_cut *c, const struct pt_field *f)
{
	c->mask = f->width < 64 ? (UINT64_C(1) << f->width) - 1 : UINT64_MAX;
	c->word = (uint8_t)f->word;
	c->lsb = f->lsb;
	c->shl = f->kind == PT_FK_ADDR ? f->shift : 0;
	c->straddle = f->lsb && f->lsb + f->width > 64;
	c->hide_zero = 0;
	c->style = 0;
	c->slotlen = 0;
	c->is_enum = f->kind == PT_FK_ENUM;
}

static inline uint64_t pt_field_cut_value(const struct pt_field_cut *c, const uint64_t *w)
{
	uint64_t v = w[c->word] >> c->lsb;
	if (c->straddle)
		v |= w[c->word + 1] << (64 - c->lsb);
	return (v & c->mask) << c->shl;
}

/* A run prints a few structures; a plan is only ever used for the
 * structure, field array and field count it was made from. */
#define PT_NPLANS 4u

struct pt_plan_cache {
	struct {
		const struct pt_struct *st;
		const struct pt_field *fields;
		size_t nfields;
	} key[PT_NPLANS];
	unsigned next;
};

/* The slot (below PT_NPLANS) of st's plan; *fresh says it must be made
 * there, over the plan made longest ago. */
static inline unsigned pt_plan_slot(struct pt_plan_cache *c, const struct pt_struct *st,
				    int *fresh)
{
	for (unsigned i = 0; i < PT_NPLANS; i++)
		if (c->key[i].st == st && c->key[i].fields == st->fields &&
		    c->key[i].nfields == st->nfields) {
			*fresh = 0;
			return i;
		}
	unsigned i = c->next++ % PT_NPLANS;
	c->key[i].st = st;
	c->key[i].fields = st->fields;
	c->key[i].nfields = st->nfields;
	*fresh = 1;
	return i;
}

#endif
