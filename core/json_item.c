/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json_item.h"

#include <string.h>
#include <strings.h>

/* A cursor over the item's text; any byte outside the plain subset stops
 * the fast reader (ok = 0) and the slow path takes over. */
struct cur {
	const char *p, *end;
	int ok;
};

enum { C_WS = 1, C_PLAIN = 2 };

/* JSON white space; the bytes a plain string holds (printable ASCII but
 * the quote and the backslash). */
static const uint8_t cls[256] = {
	[' '] = C_WS | C_PLAIN, ['\t'] = C_WS, ['\n'] = C_WS, ['\r'] = C_WS,
	['!'] = C_PLAIN, ['#'] = C_PLAIN, ['$'] = C_PLAIN, ['%'] = C_PLAIN, ['&'] = C_PLAIN,
	['\''] = C_PLAIN, ['('] = C_PLAIN, [')'] = C_PLAIN, ['*'] = C_PLAIN, ['+'] = C_PLAIN,
	[','] = C_PLAIN, ['-'] = C_PLAIN, ['.'] = C_PLAIN, ['/'] = C_PLAIN,
	['0'] = C_PLAIN, ['1'] = C_PLAIN, ['2'] = C_PLAIN, ['3'] = C_PLAIN, ['4'] = C_PLAIN,
	['5'] = C_PLAIN, ['6'] = C_PLAIN, ['7'] = C_PLAIN, ['8'] = C_PLAIN, ['9'] = C_PLAIN,
	[':'] = C_PLAIN, [';'] = C_PLAIN, ['<'] = C_PLAIN, ['='] = C_PLAIN, ['>'] = C_PLAIN,
	['?'] = C_PLAIN, ['@'] = C_PLAIN,
	['A'] = C_PLAIN, ['B'] = C_PLAIN, ['C'] = C_PLAIN, ['D'] = C_PLAIN, ['E'] = C_PLAIN,
	['F'] = C_PLAIN, ['G'] = C_PLAIN, ['H'] = C_PLAIN, ['I'] = C_PLAIN, ['J'] = C_PLAIN,
	['K'] = C_PLAIN, ['L'] = C_PLAIN, ['M'] = C_PLAIN, ['N'] = C_PLAIN, ['O'] = C_PLAIN,
	['P'] = C_PLAIN, ['Q'] = C_PLAIN, ['R'] = C_PLAIN, ['S'] = C_PLAIN, ['T'] = C_PLAIN,
	['U'] = C_PLAIN, ['V'] = C_PLAIN, ['W'] = C_PLAIN, ['X'] = C_PLAIN, ['Y'] = C_PLAIN,
	['Z'] = C_PLAIN, ['['] = C_PLAIN, [']'] = C_PLAIN, ['^'] = C_PLAIN, ['_'] = C_PLAIN,
	['`'] = C_PLAIN,
	['a'] = C_PLAIN, ['b'] = C_PLAIN, ['c'] = C_PLAIN, ['d'] = C_PLAIN, ['e'] = C_PLAIN,
	['f'] = C_PLAIN, ['g'] = C_PLAIN, ['h'] = C_PLAIN, ['i'] = C_PLAIN, ['j'] = C_PLAIN,
	['k'] = C_PLAIN, ['l'] = C_PLAIN, ['m'] = C_PLAIN, ['n'] = C_PLAIN, ['o'] = C_PLAIN,
	['p'] = C_PLAIN, ['q'] = C_PLAIN, ['r'] = C_PLAIN, ['s'] = C_PLAIN, ['t'] = C_PLAIN,
	['u'] = C_PLAIN, ['v'] = C_PLAIN, ['w'] = C_PLAIN, ['x'] = C_PLAIN, ['y'] = C_PLAIN,
	['z'] = C_PLAIN, ['{'] = C_PLAIN, ['|'] = C_PLAIN, ['}'] = C_PLAIN, ['~'] = C_PLAIN,
};

static void ws(struct cur *c)
{
	while (c->p < c->end && (cls[(unsigned char)*c->p] & C_WS))
		c->p++;
}

static int take(struct cur *c, char ch)
{
	ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/* A string of printable ASCII without escapes; *s, *n its contents. */
static int plain_string(struct cur *c, const char **s, size_t *n)
{
	ws(c);
	if (c->p >= c->end || *c->p != '"')
		return c->ok = 0;
	const char *q = ++c->p;
	while (q < c->end && (cls[(unsigned char)*q] & C_PLAIN))
		q++;
	if (q >= c->end || *q != '"')
		return c->ok = 0;
	*s = c->p;
	*n = (size_t)(q - c->p);
	c->p = q + 1;
	return 1;
}

/* Hex digits' values plus one (0: not a hex digit): one load per digit of
 * the million "raw" words decode prints. */
static const uint8_t hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static int digit_value(char ch, unsigned base)
{
	int d = hexval[(unsigned char)ch] - 1;
	return base == 16 || d < 10 ? d : -1;
}

/* pt_parse_u64's language: decimal digits, or 0x/0X and hex digits, no
 * sign or space, at most 2^64 - 1. */
static int text_u64(const char *s, size_t n, uint64_t *v)
{
	unsigned base = 10;
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n == 0)
		return -1;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		int d = digit_value(s[i], base);
		if (d < 0 || __builtin_mul_overflow(x, base, &x) ||
		    __builtin_add_overflow(x, (uint64_t)d, &x))
			return -1;
	}
	*v = x;
	return 0;
}

static int ends_number(const struct cur *c)
{
	if (c->p >= c->end)
		return 0;  /* cut short: the window may end inside the number */
	char ch = *c->p;
	return ch == ',' || ch == '}' || ch == ']' || ch == ' ' || ch == '\n' || ch == '\t' ||
	       ch == '\r';
}

/* A JSON integer jansson holds exactly (no sign, no leading zero, 18 digits
 * at most). */
static int plain_integer(struct cur *c, uint64_t *v)
{
	ws(c);
	const char *s = c->p;
	uint64_t x = 0;
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && c->p - s <= 18)
		x = x * 10 + (uint64_t)(*c->p++ - '0');
	size_t n = (size_t)(c->p - s);
	if (n == 0 || n > 18 || (n > 1 && s[0] == '0') || !ends_number(c))
		return c->ok = 0;
	*v = x;
	return 1;
}

/* "0x..." read in one pass: 1, or 0 when it is not just hex digits (the
 * general path then reads it). */
static int hex_string(struct cur *c, uint64_t *v)
{
	const char *p = c->p;
	if (c->end - p < 4 || p[1] != '0' || (p[2] != 'x' && p[2] != 'X'))
		return 0;
	uint64_t x = 0;
	for (p += 3; p < c->end; p++) {
		int d = digit_value(*p, 16);
		if (d < 0)
			break;
		if (x >> 60)
			return 0;
		x = x << 4 | (uint64_t)d;
	}
	if (p >= c->end || *p != '"' || p == c->p + 3)
		return 0;
	c->p = p + 1;
	*v = x;
	return 1;
}

/* A value pt_json_u64 reads: an integer or a number in a string. When e
 * is an enum field, a string may be one of its names (as field_from_json). */
static int plain_u64(struct cur *c, const struct pt_field *e, uint64_t *v)
{
	ws(c);
	if (c->p >= c->end)
		return c->ok = 0;
	if (*c->p != '"')
		return plain_integer(c, v);
	/* An enum's name comes before the number a string holds. */
	if ((!e || e->kind != PT_FK_ENUM) && hex_string(c, v))
		return 1;
	const char *s;
	size_t n;
	if (!plain_string(c, &s, &n))
		return 0;
	if (e && e->kind == PT_FK_ENUM && n < 64) {
		char name[64];
		memcpy(name, s, n);
		name[n] = 0;
		if (pt_field_enum_value(e, name, v) == 0)
			return 1;
	}
	return text_u64(s, n, v) == 0 ? 1 : (c->ok = 0);
}

/* What reading and setting a structure's fields needs, worked out once per
 * thread for the few structures a run reads: each field's key as decode
 * prints it ("name": with no space), compared in place with one memcmp
 * instead of a walk over the table, and the field's place in the words
 * (mask, shift, word), set without going back to the table. A plan is only
 * used for the structure, field array and field count it was made from. */
#define PLAN_FIELDS 128u
#define KEY_SLOT 24u
#define NPLANS 4u

struct read_cut {
	uint64_t max;            /* largest bits value (not shifted) */
	uint8_t word, lsb, shift;
	uint8_t straddle;        /* runs into the next word */
	uint8_t keylen;          /* of `"name":`; 0: found by name only */
	uint8_t res0;            /* decode leaves it out when zero */
	uint8_t is_enum;
};

struct pt_item_plan {
	const struct pt_struct *st;
	const struct pt_field *fields;
	size_t nfields;
	int words_ok;            /* whole words, every field inside: set in words */
	struct read_cut cut[PLAN_FIELDS];
	char key[PLAN_FIELDS][KEY_SLOT];
};

static void plan_make(struct pt_item_plan *p, const struct pt_struct *st)
{
	size_t nwords = st->size / 8;
	p->st = st;
	p->fields = st->fields;
	p->nfields = st->nfields;
	p->words_ok = st->size % 8 == 0 && nwords <= PT_MAX_ENTRY_SIZE / 8;
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		struct read_cut *k = &p->cut[i];
		size_t n = strlen(f->name), j = 0;
		while (j < n && (cls[(unsigned char)f->name[j]] & C_PLAIN))
			j++;
		memset(k, 0, sizeof *k);
		memset(p->key[i], 0, KEY_SLOT);
		if (j == n && n && n + 3 <= KEY_SLOT) {
			p->key[i][0] = '"';
			memcpy(p->key[i] + 1, f->name, n);
			memcpy(p->key[i] + 1 + n, "\":", 2);
			k->keylen = (uint8_t)(n + 3);
		}
		k->max = f->width >= 64 ? UINT64_MAX : (UINT64_C(1) << f->width) - 1;
		k->word = (uint8_t)f->word;
		k->lsb = f->lsb;
		k->shift = f->kind == PT_FK_ADDR ? f->shift : 0;
		k->straddle = f->lsb && f->lsb + f->width > 64;
		k->res0 = f->kind == PT_FK_RES0;
		k->is_enum = f->kind == PT_FK_ENUM;
		if (f->width == 0 || f->width > 64 || f->lsb > 63 || k->shift > 63 ||
		    (size_t)f->word + 1 + k->straddle > nwords)
			p->words_ok = 0;
	}
}

static const struct pt_item_plan *plan_for(const struct pt_struct *st)
{
	static _Thread_local struct pt_item_plan plans[NPLANS];
	static _Thread_local unsigned next;
	for (unsigned i = 0; i < NPLANS; i++)
		if (plans[i].st == st && plans[i].fields == st->fields &&
		    plans[i].nfields == st->nfields)
			return &plans[i];
	if (st->nfields > PLAN_FIELDS)
		return NULL;
	struct pt_item_plan *p = &plans[next++ % NPLANS];
	plan_make(p, st);
	return p;
}

/* The key of field i as decode prints it, at the cursor: consumed with
 * its colon. */
static int plan_key_at(struct cur *c, const struct pt_item_plan *p, size_t i)
{
	size_t n = p->cut[i].keylen;
	if (!n || (size_t)(c->end - c->p) < n || memcmp(c->p, p->key[i], n) != 0)
		return 0;
	c->p += n;
	return 1;
}

/* k holds no NUL, so a shorter name differs at its end. */
static int key_is(const char *k, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (name[i] != k[i])
			return 0;
	return name[n] == 0;
}

/* Decode prints fields in table order: try the one after the last first. */
static const struct pt_field *find_field(const struct pt_struct *st, struct pt_item_text *it,
					 const char *k, size_t n)
{
	/* Decode leaves out zero RES0 fields: look further on first. */
	for (size_t tries = 0, i = it->hint; tries < st->nfields; tries++, i++) {
		if (i >= st->nfields)
			i = 0;
		if (key_is(k, n, st->fields[i].name)) {
			it->hint = i + 1;
			return &st->fields[i];
		}
	}
	return NULL;
}

/* A key the plan did not foresee: any field of the structure by name. */
static const struct pt_field *key_by_name(struct cur *c, const struct pt_struct *st,
					  struct pt_item_text *it)
{
	const char *k;
	size_t n;
	if (!plain_string(c, &k, &n))
		return NULL;
	const struct pt_field *f = find_field(st, it, k, n);
	return f && take(c, ':') ? f : NULL;
}

/* The key of a field and its colon: first the plan's key of the field
 * decode prints next (field-table order, zero RES0 fields left out), then
 * any field by name. */
static const struct pt_field *field_key(struct cur *c, const struct pt_struct *st,
					struct pt_item_text *it)
{
	const struct pt_item_plan *p = it->plan;
	ws(c);
	for (size_t i = it->hint; p && i < p->nfields; i++) {
		if (plan_key_at(c, p, i)) {
			it->hint = i + 1;
			return &st->fields[i];
		}
		if (!p->cut[i].res0)
			break;
	}
	return key_by_name(c, st, it);
}

/* The key of an enum field in "names": the plan's keys of the enum fields
 * after the last one first (decode names those whose value has a name, in
 * table order), then any field by name. */
static const struct pt_field *name_key(struct cur *c, const struct pt_struct *st,
				       struct pt_item_text *it)
{
	const struct pt_item_plan *p = it->plan;
	ws(c);
	for (size_t i = it->hint; p && i < p->nfields; i++) {
		if (p->cut[i].is_enum && plan_key_at(c, p, i)) {
			it->hint = i + 1;
			return &st->fields[i];
		}
	}
	return key_by_name(c, st, it);
}

/* Each field once in an object: 0 for a repeated one (jansson's error). */
static int first_time(uint64_t *seen, const struct pt_struct *st, const struct pt_field *f)
{
	size_t fi = (size_t)(f - st->fields);
	uint64_t bit = UINT64_C(1) << (fi % 64);
	if (seen[fi / 64] & bit)
		return 0;
	seen[fi / 64] |= bit;
	return 1;
}

/* The value of an enum name, as pt_field_enum_value (case-insensitive, the
 * first that matches) without copying the name. */
static int enum_value(const struct pt_field *f, const char *s, size_t n, uint64_t *v)
{
	for (unsigned i = 0; f->enums && i < f->nenums; i++) {
		const char *e = f->enums[i];
		if (e && strncasecmp(e, s, n) == 0 && e[n] == 0) {
			*v = i;
			return 0;
		}
	}
	return -1;
}

static int read_raw(struct cur *c, const struct pt_struct *st, struct pt_item_text *it)
{
	size_t nwords = st->size / 8;
	ws(c);
	if (nwords == 1 && c->p < c->end && *c->p == '"') {
		uint64_t v;
		const char *s;
		size_t n;
		if (!plain_string(c, &s, &n) || text_u64(s, n, &v) != 0)
			return c->ok = 0;
		it->words[0] = v;
		return 1;
	}
	if (!take(c, '['))
		return c->ok = 0;
	for (size_t w = 0; w < nwords; w++)
		if ((w && !take(c, ',')) || !plain_u64(c, NULL, &it->words[w]))
			return c->ok = 0;
	return take(c, ']') ? 1 : (c->ok = 0);
}

static int read_fields(struct cur *c, const struct pt_struct *st, struct pt_item_text *it)
{
	uint64_t seen[PT_ITEM_MAX_FIELDS / 64] = { 0 };
	if (!take(c, '{') || st->nfields > PT_ITEM_MAX_FIELDS)
		return c->ok = 0;
	if (take(c, '}'))
		return 1;
	it->hint = 0;
	do {
		const struct pt_field *f = field_key(c, st, it);
		if (!f || !first_time(seen, st, f))
			return c->ok = 0;
		if (!plain_u64(c, f, &it->set[it->nset].v))
			return 0;
		it->set[it->nset++].f = f;
	} while (take(c, ','));
	return take(c, '}') ? 1 : (c->ok = 0);
}

/* {"tg0": "4k", ...}: enum fields and names of theirs; anything else (an
 * unknown field or name) is the slow path's error to word. */
static int read_names(struct cur *c, const struct pt_struct *st, struct pt_item_text *it)
{
	uint64_t seen[PT_ITEM_MAX_FIELDS / 64] = { 0 };
	if (!take(c, '{') || st->nfields > PT_ITEM_MAX_FIELDS)
		return c->ok = 0;
	if (take(c, '}'))
		return 1;
	it->hint = 0;
	do {
		const char *s;
		size_t sn;
		const struct pt_field *f = name_key(c, st, it);
		if (!f || !plain_string(c, &s, &sn) || f->kind != PT_FK_ENUM ||
		    !first_time(seen, st, f) || enum_value(f, s, sn, &it->names[it->nnames].v) != 0)
			return c->ok = 0;
		it->names[it->nnames++].f = f;
	} while (take(c, ','));
	return take(c, '}') ? 1 : (c->ok = 0);
}

enum { K_INDEX = 1, K_ADDRESS = 2, K_RAW = 4, K_FIELDS = 8, K_NAMES = 16 };

static int read_member(struct cur *c, const struct pt_struct *st, const char *idkey,
		       struct pt_item_text *it, unsigned *seen)
{
	const char *k;
	size_t n;
	if (!plain_string(c, &k, &n) || !take(c, ':'))
		return c->ok = 0;
	unsigned which = key_is(k, n, idkey) ? K_INDEX : key_is(k, n, "address") ? K_ADDRESS
		       : key_is(k, n, "raw") ? K_RAW : key_is(k, n, "fields") ? K_FIELDS
		       : key_is(k, n, "names") ? K_NAMES : 0;
	if (!which || (*seen & which))
		return c->ok = 0;
	*seen |= which;
	switch (which) {
	case K_INDEX: return plain_u64(c, NULL, &it->index);
	case K_ADDRESS: return it->has_address = plain_u64(c, NULL, &it->address);
	case K_RAW: return it->has_raw = read_raw(c, st, it);
	case K_NAMES: return read_names(c, st, it);
	default: return read_fields(c, st, it);
	}
}

/* decode prints "fields" and "names" from the bytes "raw" gives: when the
 * text that follows "raw" is what decode prints for them, byte for byte,
 * setting those fields changes nothing and every name agrees, so the item
 * is its "raw" (one memcmp instead of sixty keys and values read). */
static int says_raw(struct cur *c, const struct pt_struct *st, struct pt_item_text *it)
{
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	size_t nwords = st->size / 8;
	if (st->size % 8 || (size_t)(c->end - c->p) < 10 || memcmp(c->p, ",\"fields\":", 10) != 0)
		return 0;
	for (size_t w = 0; w < nwords; w++)
		pt_put_le64(raw, w, it->words[w]);
	size_t n = pt_emit_struct_members(st, raw, it->expect, sizeof it->expect);
	if (!n || (size_t)(c->end - c->p) < n || memcmp(c->p, it->expect, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

size_t pt_item_text_read(const struct pt_struct *st, const char *idkey, const char *text,
			 size_t len, struct pt_item_text *it)
{
	struct cur c = { text, text + len, 1 };
	unsigned seen = 0;
	it->has_raw = 0;
	it->has_address = 0;
	it->nset = 0;
	it->nnames = 0;
	it->hint = 0;
	it->plan = plan_for(st);
	if (st->size / 8 > PT_MAX_ENTRY_SIZE / 8 || !take(&c, '{') || take(&c, '}'))
		return 0;
	do {
		if (!read_member(&c, st, idkey, it, &seen))
			return 0;
		if (it->has_raw && !(seen & (K_FIELDS | K_NAMES)) && says_raw(&c, st, it))
			seen |= K_FIELDS | K_NAMES;
	} while (take(&c, ','));
	if (!take(&c, '}') || !c.ok || !(seen & K_INDEX))
		return 0;
	return (size_t)(c.p - text);
}

/* Field k set to v in the structure's words, as pt_field_set: -1 when v
 * does not fit (the words are then the caller's to drop). */
static int set_words(uint64_t *w, const struct read_cut *k, uint64_t v)
{
	if (k->shift && (v & ((UINT64_C(1) << k->shift) - 1)))
		return -1;
	uint64_t bits = v >> k->shift;
	if (bits > k->max)
		return -1;
	w[k->word] = (w[k->word] & ~(k->max << k->lsb)) | bits << k->lsb;
	if (k->straddle) {
		unsigned lo = 64u - k->lsb;
		w[k->word + 1] = (w[k->word + 1] & ~(k->max >> lo)) | bits >> lo;
	}
	return 0;
}

static uint64_t get_words(const uint64_t *w, const struct read_cut *k)
{
	uint64_t v = w[k->word] >> k->lsb;
	if (k->straddle)
		v |= w[k->word + 1] << (64u - k->lsb);
	return (v & k->max) << k->shift;
}

/* The item applied to the structure's words in registers and stored once. */
static int apply_words(const struct pt_item_plan *p, const struct pt_item_text *it,
		       uint8_t *raw)
{
	size_t nwords = p->st->size / 8;
	uint64_t w[PT_MAX_ENTRY_SIZE / 8];
	for (size_t i = 0; i < nwords; i++)
		w[i] = it->has_raw ? it->words[i] : pt_le64(raw, i);
	for (size_t i = 0; i < it->nset; i++)
		if (set_words(w, &p->cut[it->set[i].f - p->fields], it->set[i].v) != 0)
			return -1;
	for (size_t i = 0; i < it->nnames; i++)
		if (get_words(w, &p->cut[it->names[i].f - p->fields]) != it->names[i].v)
			return -1;
	for (size_t i = 0; i < nwords; i++)
		pt_put_le64(raw, i, w[i]);
	return 0;
}

int pt_item_text_apply(const struct pt_struct *st, const struct pt_item_text *it, uint8_t *raw)
{
	const struct pt_item_plan *p = it->plan;
	if (p && p->words_ok && p->st == st && p->fields == st->fields &&
	    p->nfields == st->nfields)
		return apply_words(p, it, raw);
	if (it->has_raw)
		for (size_t w = 0; w < st->size / 8; w++)
			pt_put_le64(raw, w, it->words[w]);
	for (size_t i = 0; i < it->nset; i++)
		if (pt_field_set_sized(raw, st->size, it->set[i].f, it->set[i].v) != 0)
			return -1;
	for (size_t i = 0; i < it->nnames; i++)
		if (pt_field_get(raw, it->names[i].f) != it->names[i].v)
			return -1;
	return 0;
}
