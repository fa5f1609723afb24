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

/* An item is assembled here and written with one fwrite. */
struct jbuf {
	FILE *out;
	size_t n;
	char b[4096];
};

/* Make room for `need` more bytes (need is at most a few dozen). */
static char *jb_room(struct jbuf *j, size_t need)
{
	if (j->n + need > sizeof j->b) {
		fwrite(j->b, 1, j->n, j->out);
		j->n = 0;
	}
	return j->b + j->n;
}

static void jb_lit(struct jbuf *j, const char *s)
{
	size_t len = strlen(s);
	memcpy(jb_room(j, len), s, len);
	j->n += len;
}

static void jb_ch(struct jbuf *j, char c)
{
	*jb_room(j, 1) = c;
	j->n++;
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
	if (len && len < sizeof j->b - 2) {
		char *o = jb_room(j, len + 2);
		o[0] = '"';
		memcpy(o + 1, s, len);
		o[len + 1] = '"';
		j->n += len + 2;
		return;
	}
	jb_ch(j, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char *o = jb_room(j, 6);
		const char *esc = *p == '"' ? "\\\"" : *p == '\\' ? "\\\\" : *p == '\b' ? "\\b"
				: *p == '\f' ? "\\f" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r"
				: *p == '\t' ? "\\t" : NULL;
		if (esc) {
			memcpy(o, esc, 2);
			j->n += 2;
		} else if (*p < 0x20) {
			memcpy(o, "\\u00", 4);
			o[4] = hexd[*p >> 4];
			o[5] = hexd[*p & 15];
			j->n += 6;
		} else {
			*o = (char)*p;
			j->n++;
		}
	}
	jb_ch(j, '"');
}

/* What pt_json_hex dumps: "0x" and lower-case digits, no leading zeros. */
static void jb_hex(struct jbuf *j, uint64_t v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	char *o = jb_room(j, (size_t)n + 4);
	*o++ = '"';
	*o++ = '0';
	*o++ = 'x';
	while (n)
		*o++ = tmp[--n];
	*o = '"';
	j->n += (size_t)(o + 1 - (j->b + j->n));
}

static void jb_uint(struct jbuf *j, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char *o = jb_room(j, (size_t)n);
	for (int i = 0; i < n; i++)
		o[i] = tmp[n - 1 - i];
	j->n += (size_t)n;
}

static void jb_key(struct jbuf *j, const char *key, int first)
{
	if (!first)
		jb_ch(j, ',');
	jb_str(j, key);
	jb_ch(j, ':');
}

/* pt_struct_fields_json's choice (pt_field_json_hex): hex strings or
 * integers; zero RES0 fields left out. */
static void jb_fields(struct jbuf *j, const struct pt_struct *st, const uint8_t *raw)
{
	uint64_t words[32];
	int have_words = PT_STRUCT_WORDS(st->size) <= sizeof words / sizeof words[0];
	if (have_words)
		pt_struct_words(st, raw, words);
	int first = 1;
	jb_ch(j, '{');
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = have_words ? pt_field_from_words(words, f) : pt_field_get(raw, f);
		if (f->kind == PT_FK_RES0 && v == 0)
			continue;
		jb_key(j, f->name, first);
		first = 0;
		if (pt_field_json_hex(f))
			jb_hex(j, v);
		else
			jb_uint(j, v);
	}
	jb_ch(j, '}');
}

/* pt_struct_names_json's object: the enum fields whose value has a name. */
static void jb_names(struct jbuf *j, const struct pt_struct *st, const uint8_t *raw)
{
	int first = 1;
	jb_ch(j, '{');
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		if (f->kind != PT_FK_ENUM)
			continue;
		const char *name = pt_field_enum_name(f, pt_field_get(raw, f));
		if (!name)
			continue;
		jb_key(j, f->name, first);
		first = 0;
		jb_str(j, name);
	}
	jb_ch(j, '}');
}

void pt_emit_struct_item(struct pt_emit *e, const char *idkey, uint64_t id, uint64_t addr,
			 const struct pt_struct *st, const uint8_t *raw, int raw_words)
{
	if (!e->json)
		return;
	struct jbuf j;
	j.out = e->out;
	j.n = 0;
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
		jb_lit(&j, "[");
		for (size_t w = 0; w < st->size / 8; w++) {
			if (w)
				jb_lit(&j, ",");
			jb_hex(&j, pt_le64(raw, w));
		}
		jb_lit(&j, "]");
	} else {
		jb_hex(&j, pt_le64(raw, 0));
	}
	jb_key(&j, "fields", 0);
	jb_fields(&j, st, raw);
	if (pt_struct_has_enums(st)) {
		jb_key(&j, "names", 0);
		jb_names(&j, st, raw);
	}
	jb_lit(&j, "}");
	fwrite(j.b, 1, j.n, j.out);
}
