/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json_item.h"

#include <string.h>

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

static int digit_value(char ch, unsigned base)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (base == 16 && ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (base == 16 && ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
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

/* The key of a field, compared in place with the name decode prints next
 * (field-table order) before the general lookup. */
static const struct pt_field *field_key(struct cur *c, const struct pt_struct *st,
					struct pt_item_text *it)
{
	ws(c);
	if (it->hint < st->nfields && c->p < c->end && *c->p == '"') {
		const char *name = st->fields[it->hint].name, *p = c->p + 1;
		size_t i = 0;
		while (p + i < c->end && name[i] && p[i] == name[i] &&
		       (cls[(unsigned char)name[i]] & C_PLAIN))
			i++;
		if (!name[i] && i && p + i < c->end && p[i] == '"') {
			c->p = p + i + 1;
			return &st->fields[it->hint++];
		}
	}
	const char *k;
	size_t n;
	if (!plain_string(c, &k, &n))
		return NULL;
	return find_field(st, it, k, n);
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
	do {
		const struct pt_field *f = field_key(c, st, it);
		if (!f || !take(c, ':'))
			return c->ok = 0;
		size_t fi = (size_t)(f - st->fields);
		if (seen[fi / 64] & (UINT64_C(1) << (fi % 64)))
			return c->ok = 0;  /* a duplicate key: jansson's error */
		seen[fi / 64] |= UINT64_C(1) << (fi % 64);
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
	do {
		const char *k, *s;
		size_t n, sn;
		if (!plain_string(c, &k, &n) || !take(c, ':') || !plain_string(c, &s, &sn))
			return c->ok = 0;
		const struct pt_field *f = find_field(st, it, k, n);
		if (!f || f->kind != PT_FK_ENUM || sn >= 64)
			return c->ok = 0;
		size_t fi = (size_t)(f - st->fields);
		if (seen[fi / 64] & (UINT64_C(1) << (fi % 64)))
			return c->ok = 0;
		seen[fi / 64] |= UINT64_C(1) << (fi % 64);
		char name[64];
		memcpy(name, s, sn);
		name[sn] = 0;
		if (pt_field_enum_value(f, name, &it->names[it->nnames].v) != 0)
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
	if (st->size / 8 > PT_MAX_ENTRY_SIZE / 8 || !take(&c, '{') || take(&c, '}'))
		return 0;
	do {
		if (!read_member(&c, st, idkey, it, &seen))
			return 0;
	} while (take(&c, ','));
	if (!take(&c, '}') || !c.ok || !(seen & K_INDEX))
		return 0;
	return (size_t)(c.p - text);
}

int pt_item_text_apply(const struct pt_struct *st, const struct pt_item_text *it, uint8_t *raw)
{
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
