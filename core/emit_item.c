/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One table entry (or directory descriptor) as JSON, written straight to the
 * stream: the same bytes as building the jansson object of emit.h
 * (pt_struct_fields_json, pt_struct_raw_json, pt_struct_names_json) and
 * dumping it compact, without the ~80 allocations, the key hashing and the
 * per-token stdio calls that cost 30 us per CD and held decode --json of a
 * 2^20-entry table to 19 MB/s. */
#include <string.h>

#include "emit.h"
#include "enum_names.h"
#include "field_plan.h"
#include "linebuf.h"

/* An item is assembled here and written with one fwrite. */
struct jbuf {
	struct pt_linebuf lb;
};

static void jb_lit(struct jbuf *j, const char *s)
{
	pt_lb_str(&j->lb, s);
}

static void jb_ch(struct jbuf *j, char c)
{
	pt_lb_ch(&j->lb, c);
}

/* Length of s when no byte of it needs escaping (field names never do), or
 * 0 when some does. */
static size_t plain_len(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == '"' || s[i] == '\\')
			return 0;
	return i;
}

/* A JSON string, escaped the way jansson's dump escapes it. */
static void jb_str(struct jbuf *j, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t len = plain_len(s);
	if (len && len < sizeof j->lb.b / 2) {
		char *o = pt_lb_room(&j->lb, len + 2);
		o[0] = '"';
		memcpy(o + 1, s, len);
		o[len + 1] = '"';
		j->lb.n += len + 2;
		return;
	}
	jb_ch(j, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char *o = pt_lb_room(&j->lb, 6);
		const char *esc = *p == '"' ? "\\\"" : *p == '\\' ? "\\\\" : *p == '\b' ? "\\b"
				: *p == '\f' ? "\\f" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r"
				: *p == '\t' ? "\\t" : NULL;
		if (esc) {
			memcpy(o, esc, 2);
			j->lb.n += 2;
		} else if (*p < 0x20) {
			memcpy(o, "\\u00", 4);
			o[4] = hexd[*p >> 4];
			o[5] = hexd[*p & 15];
			j->lb.n += 6;
		} else {
			*o = (char)*p;
			j->lb.n++;
		}
	}
	jb_ch(j, '"');
}

/* What pt_json_hex dumps: "0x" and lower-case digits, no leading zeros. */
static void jb_hex(struct jbuf *j, uint64_t v)
{
	char *o = pt_lb_room(&j->lb, 20);
	o[0] = '"';
	o[1] = '0';
	o[2] = 'x';
	size_t n = 3 + pt_fmt_hex(o + 3, v);
	o[n] = '"';
	j->lb.n += n + 1;
}

static void jb_uint(struct jbuf *j, uint64_t v)
{
	pt_lb_dec(&j->lb, v);
}

/* ,"key": for a key of len bytes that needs no escaping. */
static void jb_plain_key(struct jbuf *j, const char *key, size_t len, int first)
{
	char *o = pt_lb_room(&j->lb, len + 4);
	size_t n = 0;
	if (!first)
		o[n++] = ',';
	o[n++] = '"';
	memcpy(o + n, key, len);
	n += len;
	o[n++] = '"';
	o[n++] = ':';
	j->lb.n += n;
}

static void jb_key(struct jbuf *j, const char *key, int first)
{
	size_t len = plain_len(key);
	if (len && len < 256) {
		jb_plain_key(j, key, len, first);
		return;
	}
	if (!first)
		jb_ch(j, ',');
	jb_str(j, key);
	jb_ch(j, ':');
}

/* What the per-field loop needs of a structure, worked out once per thread
 * for the few structures a run prints: each field's `,"name":` in a slot of
 * fixed size, so that writing it is one fixed-size copy and a length (a
 * name that needs escaping or does not fit takes the slow path, len 0), and
 * whether its value is a hex string (style: pt_field_json_hex). A zero is
 * left out of RES0 fields only; enum fields are named in "names". */
#define PLAN_FIELDS 128u
#define KEY_SLOT 32u
#define PLAN_NAMES 256u
#define NAME_SLOT 24u

struct field_plan {
	size_t nfields;
	int all_plain;         /* every key has its slot: the fast loop applies */
	int has_enums;         /* the item carries "names" */
	struct pt_field_cut cut[PLAN_FIELDS];
	char key[PLAN_FIELDS][KEY_SLOT];
	/* "names": each enum field's names, quoted, in slots (first[i] is the
	 * slot of field i's value 0); a name that does not fit or needs
	 * escaping leaves the fast path to the whole object. */
	int names_fast;
	uint16_t first[PLAN_FIELDS];
	char name[PLAN_NAMES][NAME_SLOT];
	uint8_t namelen[PLAN_NAMES];  /* 0: no name for that value */
};

static void plan_cut(struct pt_field_cut *c, const struct pt_field *f)
{
	pt_field_cut_make(c, f);
	c->hide_zero = f->kind == PT_FK_RES0;
	c->style = (uint8_t)pt_field_json_hex(f);
}

static void plan_names(struct field_plan *p, const struct pt_struct *st)
{
	size_t next = 0;
	p->names_fast = p->all_plain;
	memset(p->name, 0, sizeof p->name);
	memset(p->namelen, 0, sizeof p->namelen);
	for (size_t i = 0; i < st->nfields && p->names_fast; i++) {
		const struct pt_field *f = &st->fields[i];
		if (f->kind != PT_FK_ENUM)
			continue;
		if (next + f->nenums > PLAN_NAMES) {
			p->names_fast = 0;
			break;
		}
		p->first[i] = (uint16_t)next;
		for (size_t v = 0; v < f->nenums; v++, next++) {
			const char *name = f->enums ? f->enums[v] : NULL;
			size_t len = name ? plain_len(name) : 0;
			if (name && (!len || len + 2 > NAME_SLOT)) {
				p->names_fast = 0;
				break;
			}
			if (!name)
				continue;
			p->name[next][0] = '"';
			memcpy(p->name[next] + 1, name, len);
			p->name[next][len + 1] = '"';
			p->namelen[next] = (uint8_t)(len + 2);
		}
	}
}

static void plan_make(struct field_plan *p, const struct pt_struct *st)
{
	p->nfields = st->nfields;
	p->all_plain = 1;
	p->has_enums = pt_struct_has_enums(st);
	memset(p->key, 0, sizeof p->key);
	for (size_t i = 0; i < st->nfields; i++) {
		const char *name = st->fields[i].name;
		size_t len = plain_len(name);
		struct pt_field_cut *c = &p->cut[i];
		plan_cut(c, &st->fields[i]);
		if (len && len + 4 <= KEY_SLOT) {
			p->key[i][0] = ',';
			p->key[i][1] = '"';
			memcpy(p->key[i] + 2, name, len);
			p->key[i][len + 2] = '"';
			p->key[i][len + 3] = ':';
			c->slotlen = (uint8_t)(len + 4);
		}
		p->all_plain &= c->slotlen != 0;
	}
	plan_names(p, st);
}

static const struct field_plan *plan_for(const struct pt_struct *st)
{
	static _Thread_local struct pt_plan_cache cache;
	static _Thread_local struct field_plan plans[PT_NPLANS];
	if (st->nfields > PLAN_FIELDS)
		return NULL;
	int fresh;
	struct field_plan *p = &plans[pt_plan_slot(&cache, st, &fresh)];
	if (fresh)
		plan_make(p, st);
	return p;
}

/* The slot is copied whole (one fixed-size move); only its length counts. */
static void jb_plan_key(struct jbuf *j, const struct field_plan *p, size_t i, int first)
{
	char *o = pt_lb_room(&j->lb, KEY_SLOT);
	memcpy(o, p->key[i] + first, KEY_SLOT - 1);
	j->lb.n += p->cut[i].slotlen - (size_t)first;
}

static void jb_value(struct jbuf *j, int hex, uint64_t v)
{
	if (hex)
		jb_hex(j, v);
	else
		jb_uint(j, v);
}

/* Most one field can take: its key slot, and 20 digits or "0x" and 16
 * digits in quotes. */
#define FIELD_MAX (KEY_SLOT + 24u)

/* The fields object into o, which has room for every field at FIELD_MAX:
 * no room check, no escaping, the position kept in a register. */
static size_t fields_fast(char *o, const struct field_plan *p, const uint64_t *w)
{
	char *start = o;
	int first = 1;
	*o++ = '{';
	for (size_t i = 0; i < p->nfields; i++) {
		const struct pt_field_cut *c = &p->cut[i];
		uint64_t v = pt_field_cut_value(c, w);
		if (c->hide_zero && v == 0)
			continue;
		memcpy(o, p->key[i] + first, KEY_SLOT - 1);
		o += c->slotlen - first;
		first = 0;
		if (c->style) {
			memcpy(o, "\"0x", 3);
			o += 3 + pt_fmt_hex(o + 3, v);
			*o++ = '"';
		} else {
			o += pt_fmt_dec(o, v);
		}
	}
	*o++ = '}';
	return (size_t)(o - start);
}

/* pt_struct_fields_json's choice (pt_field_json_hex): hex strings or
 * integers; zero RES0 fields left out. */
static void jb_fields(struct jbuf *j, const struct pt_struct *st, const uint8_t *raw)
{
	uint64_t words[32];
	int have_words = PT_STRUCT_WORDS(st->size) <= sizeof words / sizeof words[0];
	if (have_words)
		pt_struct_words(st, raw, words);
	const struct field_plan *plan = plan_for(st);
	if (plan && plan->all_plain && have_words) {
		char *o = pt_lb_room(&j->lb, 2 + st->nfields * FIELD_MAX);
		j->lb.n += fields_fast(o, plan, words);
		return;
	}
	int first = 1;
	jb_ch(j, '{');
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = have_words ? pt_field_from_words(words, f) : pt_field_get(raw, f);
		if (f->kind == PT_FK_RES0 && v == 0)
			continue;
		if (plan && plan->cut[i].slotlen)
			jb_plan_key(j, plan, i, first);
		else
			jb_key(j, f->name, first);
		first = 0;
		jb_value(j, plan ? plan->cut[i].style : pt_field_json_hex(f), v);
	}
	jb_ch(j, '}');
}

/* The names object into o, which has room for every field at FIELD_MAX. */
static size_t names_fast(char *o, const struct field_plan *p, const struct pt_field *f,
			 const uint64_t *w)
{
	char *start = o;
	int first = 1;
	*o++ = '{';
	for (size_t i = 0; i < p->nfields; i++) {
		const struct pt_field_cut *c = &p->cut[i];
		if (!c->is_enum)
			continue;
		uint64_t v = pt_field_cut_value(c, w);
		if (v >= f[i].nenums || !p->namelen[p->first[i] + v])
			continue;
		size_t k = p->first[i] + (size_t)v;
		memcpy(o, p->key[i] + first, KEY_SLOT - 1);
		o += c->slotlen - first;
		first = 0;
		memcpy(o, p->name[k], NAME_SLOT);
		o += p->namelen[k];
	}
	*o++ = '}';
	return (size_t)(o - start);
}

/* pt_struct_names_json's object: the enum fields whose value has a name. */
static void jb_names(struct jbuf *j, const struct pt_struct *st, const uint8_t *raw)
{
	uint64_t words[32];
	const struct field_plan *plan = PT_STRUCT_WORDS(st->size) <= 32 ? plan_for(st) : NULL;
	if (plan)
		pt_struct_words(st, raw, words);
	if (plan && plan->names_fast) {
		char *o = pt_lb_room(&j->lb, 2 + st->nfields * FIELD_MAX);
		j->lb.n += names_fast(o, plan, st->fields, words);
		return;
	}
	int first = 1;
	jb_ch(j, '{');
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		if (f->kind != PT_FK_ENUM)
			continue;
		uint64_t v = plan ? pt_field_cut_value(&plan->cut[i], words) : pt_field_get(raw, f);
		const char *name = pt_field_enum_name(f, v);
		if (!name)
			continue;
		if (plan && plan->cut[i].slotlen)
			jb_plan_key(j, plan, i, first);
		else
			jb_key(j, f->name, first);
		first = 0;
		jb_str(j, name);
	}
	jb_ch(j, '}');
}

_Static_assert(2 * (2 + PLAN_FIELDS * FIELD_MAX) + 32 <= PT_EMIT_MEMBERS_MAX,
	       "room for both objects of the largest plan");

size_t pt_emit_struct_members(const struct pt_struct *st, const uint8_t *raw, char *o,
			      size_t cap)
{
	uint64_t words[32];
	const struct field_plan *plan = PT_STRUCT_WORDS(st->size) <= 32 ? plan_for(st) : NULL;
	if (!plan || !plan->all_plain || (plan->has_enums && !plan->names_fast) ||
	    cap < PT_EMIT_MEMBERS_MAX)
		return 0;
	pt_struct_words(st, raw, words);
	char *start = o;
	memcpy(o, ",\"fields\":", 10);
	o += 10;
	o += fields_fast(o, plan, words);
	if (plan->has_enums) {
		memcpy(o, ",\"names\":", 9);
		o += 9;
		o += names_fast(o, plan, st->fields, words);
	}
	return (size_t)(o - start);
}

/* "raw" as the array of its words: "0x..." strings, comma-separated. */
static void jb_raw_words(struct jbuf *j, const uint8_t *raw, size_t n)
{
	if (n > 128) {
		jb_lit(j, "[");
		for (size_t w = 0; w < n; w++) {
			if (w)
				jb_lit(j, ",");
			jb_hex(j, pt_le64(raw, w));
		}
		jb_lit(j, "]");
		return;
	}
	char *o = pt_lb_room(&j->lb, 2 + n * 21), *start = o;
	*o++ = '[';
	for (size_t w = 0; w < n; w++) {
		if (w)
			*o++ = ',';
		memcpy(o, "\"0x", 3);
		o += 3;
		o += pt_fmt_hex(o, pt_le64(raw, w));
		*o++ = '"';
	}
	*o++ = ']';
	j->lb.n += (size_t)(o - start);
}

void pt_emit_struct_item(struct pt_emit *e, const char *idkey, uint64_t id, uint64_t addr,
			 const struct pt_struct *st, const uint8_t *raw, int raw_words)
{
	if (!e->json)
		return;
	struct jbuf j;
	pt_lb_init(&j.lb, e->out);
	/* The separator pt_emit_item writes before each item. */
	jb_lit(&j, e->first_item ? "\n" : ",\n");
	e->first_item = 0;
	jb_lit(&j, "{");
	jb_key(&j, idkey, 1);
	jb_uint(&j, id);
	jb_key(&j, "address", 0);
	jb_hex(&j, addr);
	jb_key(&j, "raw", 0);
	if (raw_words) {
		jb_raw_words(&j, raw, st->size / 8);
	} else {
		jb_hex(&j, pt_le64(raw, 0));
	}
	jb_key(&j, "fields", 0);
	jb_fields(&j, st, raw);
	const struct field_plan *plan = plan_for(st);
	if (plan ? plan->has_enums : pt_struct_has_enums(st)) {
		jb_key(&j, "names", 0);
		jb_names(&j, st, raw);
	}
	jb_lit(&j, "}");
	pt_lb_flush(&j.lb);
}
