/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A structure's fields as text: "LABEL=value" pieces wrapped at 96 columns
 * (emit.h, pt_struct_print_text). Text decode prints one such block per
 * entry of tables of a million entries, so the block is assembled in memory
 * from a plan of the structure made once: each field's cut, whether a zero
 * hides it, how its value reads, and "LABEL=" in a slot of fixed size. */
#include <string.h>

#include "emit.h"
#include "field_plan.h"
#include "linebuf.h"

/* Pieces longer than this were cut here by the snprintf into 96 bytes the
 * text has always been made with; a cut piece takes the slow path. */
#define PIECE_MAX 95u
#define WRAP 96u
#define PLAN_FIELDS 128u
#define LABEL_SLOT 24u

enum style { ST_HEX, ST_ENUM_OR_HEX, ST_ENUM_OR_DEC, ST_DEC };

/* A cut's style is an enum style; its slotlen the length of LABEL. */
struct text_plan {
	struct pt_field_cut cut[PLAN_FIELDS];
	char label[PLAN_FIELDS][LABEL_SLOT]; /* "LABEL=" and zero padding */
};

static void plan_field(struct pt_field_cut *c, char *slot, const struct pt_struct *st,
		       const struct pt_field *f)
{
	pt_field_cut_make(c, f);
	c->hide_zero = f->kind == PT_FK_RES0 ||
		       ((st->flags & PT_SF_COMPACT) && !(f->flags & PT_FF_SHOW_ZERO));
	if (f->kind == PT_FK_ADDR || f->kind == PT_FK_RES0 || f->width > 32)
		c->style = ST_HEX;
	else if (f->flags & PT_FF_HEX)
		c->style = f->enums ? ST_ENUM_OR_HEX : ST_HEX;
	else
		c->style = f->enums ? ST_ENUM_OR_DEC : ST_DEC;
	size_t len = strlen(f->label);
	memset(slot, 0, LABEL_SLOT);
	if (len + 1 < LABEL_SLOT) {
		memcpy(slot, f->label, len);
		slot[len] = '=';
		c->slotlen = (uint8_t)len;
	}
}

static const struct text_plan *plan_for(const struct pt_struct *st)
{
	static _Thread_local struct pt_plan_cache cache;
	static _Thread_local struct text_plan plans[PT_NPLANS];
	if (st->nfields > PLAN_FIELDS)
		return NULL;
	int fresh;
	struct text_plan *p = &plans[pt_plan_slot(&cache, st, &fresh)];
	for (size_t i = 0; fresh && i < st->nfields; i++)
		plan_field(&p->cut[i], p->label[i], st, &st->fields[i]);
	return p;
}

/* The enum name a value reads as, if its style has one. */
static const char *value_name(const struct pt_field *f, enum style style, uint64_t v)
{
	return style == ST_ENUM_OR_HEX || style == ST_ENUM_OR_DEC ? pt_field_enum_name(f, v)
								 : NULL;
}

/* Length of what value_put writes, worked out without writing it. */
static size_t value_len(const char *name, size_t nl, enum style style, uint64_t v)
{
	if (name)
		return nl + 2 + (v < 10 ? 1 : pt_dec_len(v));
	if (style == ST_DEC || style == ST_ENUM_OR_DEC)
		return v < 10 ? 1 : pt_dec_len(v);
	return 2 + (v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1);
}

/* The value as text (what follows "LABEL="): at most 20 digits, or an enum
 * name of nl bytes (at most PIECE_MAX) and its number; o holds
 * PIECE_MAX + 24. */
static size_t value_put(char *o, const char *name, size_t nl, enum style style, uint64_t v)
{
	size_t n = 0;
	if (name) {
		memcpy(o, name, nl);
		n = nl;
		o[n++] = '(';
		n += pt_fmt_dec(o + n, v);
		o[n++] = ')';
	} else if (style == ST_DEC || style == ST_ENUM_OR_DEC) {
		n = pt_fmt_dec(o, v);
	} else {
		o[0] = '0';
		o[1] = 'x';
		n = 2 + pt_fmt_hex(o + 2, v);
	}
	return n;
}

struct wrap {
	struct pt_linebuf *lb;
	const char *indent;
	size_t ind, col;
	int color;
};

/* The separator before a piece of n bytes: the indent, a new line, or a
 * space. */
static inline void separate(struct wrap *w, size_t n)
{
	if (w->col == 0) {
		pt_lb_mem(w->lb, w->indent, w->ind);
		w->col = w->ind;
	} else if (w->col + 1 + n > WRAP) {
		pt_lb_ch(w->lb, '\n');
		pt_lb_mem(w->lb, w->indent, w->ind);
		w->col = w->ind;
	} else {
		pt_lb_ch(w->lb, ' ');
		w->col++;
	}
	w->col += n;
}

/* One piece: LABEL (green with colour), then "=value"; label and value
 * together cut at PIECE_MAX. */
static void piece(struct wrap *w, const char *label, size_t lablen, const char *val,
		  size_t vn)
{
	char buf[2 * PIECE_MAX + 32];
	lablen = lablen > PIECE_MAX ? PIECE_MAX : lablen;
	memcpy(buf, label, lablen);
	buf[lablen] = '=';
	memcpy(buf + lablen + 1, val, vn);
	size_t n = lablen + 1 + vn;
	n = n > PIECE_MAX ? PIECE_MAX : n;
	lablen = lablen < n ? lablen : n;
	separate(w, n);
	if (w->color) {
		pt_lb_str(w->lb, "\033[32m");
		pt_lb_mem(w->lb, buf, lablen);
		pt_lb_str(w->lb, "\033[0m");
		pt_lb_mem(w->lb, buf + lablen, n - lablen);
	} else {
		pt_lb_mem(w->lb, buf, n);
	}
}

void pt_struct_print_text(FILE *out, const struct pt_struct *st, const uint8_t *raw,
			  const char *indent, int color)
{
	struct pt_linebuf lb;
	pt_lb_init(&lb, out);
	pt_struct_text(&lb, st, raw, indent, color);
	pt_lb_flush(&lb);
}

void pt_struct_text(struct pt_linebuf *lb, const struct pt_struct *st, const uint8_t *raw,
		    const char *indent, int color)
{
	struct wrap w;
	uint64_t words[32];
	int have_words = PT_STRUCT_WORDS(st->size) <= sizeof words / sizeof words[0];
	if (have_words)
		pt_struct_words(st, raw, words);
	const struct text_plan *plan = have_words ? plan_for(st) : NULL;
	w.lb = lb;
	w.indent = indent;
	w.ind = strlen(indent);
	w.col = 0;
	w.color = color;
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		struct pt_field_cut own;
		char slot[LABEL_SLOT];
		const struct pt_field_cut *c = plan ? &plan->cut[i] : &own;
		if (!plan)
			plan_field(&own, slot, st, f);
		uint64_t v = plan ? pt_field_cut_value(c, words) : pt_field_get(raw, f);
		if (v == 0 && c->hide_zero)
			continue;
		const char *name = value_name(f, (enum style)c->style, v);
		size_t nl = name ? strlen(name) : 0;
		nl = nl > PIECE_MAX ? PIECE_MAX : nl;
		size_t vn = value_len(name, nl, (enum style)c->style, v);
		size_t n = c->slotlen + 1 + vn;
		if (plan && c->slotlen && !color && n <= PIECE_MAX) {
			/* The common case: the label slot copied whole, the
			 * value formatted in place. */
			separate(&w, n);
			char *o = pt_lb_room(lb, LABEL_SLOT + PIECE_MAX + 24);
			memcpy(o, plan->label[i], LABEL_SLOT);
			value_put(o + c->slotlen + 1, name, nl, (enum style)c->style, v);
			lb->n += n;
			continue;
		}
		char val[PIECE_MAX + 24];
		vn = value_put(val, name, nl, (enum style)c->style, v);
		piece(&w, f->label, strlen(f->label), val, vn);
	}
	if (w.col)
		pt_lb_ch(lb, '\n');
}
