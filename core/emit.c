/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "emit.h"
#include "enum_names.h"
#include "suggest.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

json_t *pt_json_hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "0x%" PRIx64, v);
	return json_string(buf);
}

/* Decimal, or hex after 0x: a leading 0 is decimal (010 is ten), never
 * octal, and no sign, space or second prefix is accepted. */
int pt_parse_u64(const char *s, uint64_t *v)
{
	if (!s)
		return -1;
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	unsigned char c = (unsigned char)digits[0];
	if (!(hex ? isxdigit(c) : isdigit(c)))
		return -1;
	/* strtoull(.., 16) would take a second "0x". */
	if (hex && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(digits, &end, hex ? 16 : 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

int pt_json_u64(const json_t *j, uint64_t *v)
{
	if (json_is_integer(j)) {
		json_int_t i = json_integer_value(j);
		if (i < 0)
			return -1;
		*v = (uint64_t)i;
		return 0;
	}
	if (json_is_true(j) || json_is_false(j)) {
		*v = json_is_true(j) ? 1 : 0;
		return 0;
	}
	if (json_is_string(j))
		return pt_parse_u64(json_string_value(j), v);
	return -1;
}

/* Values that fit 32 bits stay JSON integers; wider ones and addresses are
 * hex strings so that jq and JavaScript keep every bit. */
int pt_field_json_hex(const struct pt_field *f)
{
	return f->kind == PT_FK_ADDR || f->width > 32 || f->kind == PT_FK_RES0;
}

static json_t *field_value_json(const struct pt_field *f, uint64_t v)
{
	if (pt_field_json_hex(f))
		return pt_json_hex(v);
	return json_integer((json_int_t)v);
}

json_t *pt_struct_fields_json(const struct pt_struct *st, const uint8_t *raw)
{
	json_t *obj = json_object();
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = pt_field_get(raw, f);
		if (f->kind == PT_FK_RES0 && v == 0)
			continue;
		json_object_set_new(obj, f->name, field_value_json(f, v));
	}
	return obj;
}

json_t *pt_struct_raw_json(const struct pt_struct *st, const uint8_t *raw)
{
	json_t *arr = json_array();
	for (size_t w = 0; w < st->size / 8; w++)
		json_array_append_new(arr, pt_json_hex(pt_le64(raw, w)));
	return arr;
}

static int raw_from_json(const struct pt_struct *st, const json_t *jraw, uint8_t *raw,
			 char *err, size_t errlen)
{
	size_t nwords = st->size / 8;
	if (json_is_string(jraw) && nwords == 1) {
		uint64_t v;
		if (pt_json_u64(jraw, &v) != 0)
			goto bad;
		pt_put_le64(raw, 0, v);
		return 0;
	}
	if (!json_is_array(jraw) || json_array_size(jraw) != nwords) {
		snprintf(err, errlen, "\"raw\" must be an array of %zu 64-bit words", nwords);
		return -1;
	}
	for (size_t w = 0; w < nwords; w++) {
		uint64_t v;
		if (pt_json_u64(json_array_get(jraw, w), &v) != 0)
			goto bad;
		pt_put_le64(raw, w, v);
	}
	return 0;
bad:
	snprintf(err, errlen, "\"raw\" holds a value that is not a number or hex string");
	return -1;
}

static int field_from_json(const struct pt_field *f, const json_t *jv, uint8_t *raw, char *err,
			   size_t errlen)
{
	uint64_t v;
	if (json_is_string(jv) && f->kind == PT_FK_ENUM &&
	    pt_field_enum_value(f, json_string_value(jv), &v) == 0) {
		/* enum given by name */
	} else if (pt_json_u64(jv, &v) != 0) {
		snprintf(err, errlen, "field \"%s\": not a number%s", f->name,
			 f->kind == PT_FK_ENUM ? " or a known name" : "");
		return -1;
	}
	if (pt_field_set(raw, f, v) != 0) {
		snprintf(err, errlen, "field \"%s\": value 0x%llx does not fit %u bits%s", f->name,
			 (unsigned long long)v, f->width,
			 f->kind == PT_FK_ADDR ? " (or is not aligned)" : "");
		return -1;
	}
	return 0;
}

/* A field name the table does not have: the closest one it does. */
static int unknown_field(const struct pt_struct *st, const char *key, char *err, size_t errlen)
{
	const char *words[257];
	size_t n = 0;
	for (; n < st->nfields && n < 256; n++)
		words[n] = st->fields[n].name;
	words[n] = NULL;
	snprintf(err, errlen, "unknown %s field \"%s\"", st->name, key);
	pt_suggest_append(err, errlen, key, words);
	return -1;
}

static int fields_from_json(const struct pt_struct *st, const json_t *fields, uint8_t *raw,
			    char *err, size_t errlen)
{
	if (!json_is_object(fields)) {
		snprintf(err, errlen, "\"fields\" must be an object");
		return -1;
	}
	const char *key;
	const json_t *jv;
	size_t hint = 0;
	json_object_foreach((json_t *)(uintptr_t)fields, key, jv) {
		const struct pt_field *f = pt_struct_field_next(st, key, &hint);
		if (!f)
			return unknown_field(st, key, err, errlen);
		if (field_from_json(f, jv, raw, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int pt_struct_from_json(const struct pt_struct *st, const json_t *obj, uint8_t *raw, char *err,
			size_t errlen)
{
	const json_t *jraw = json_object_get(obj, "raw");
	if (jraw && raw_from_json(st, jraw, raw, err, errlen) != 0)
		return -1;
	const json_t *fields = json_object_get(obj, "fields");
	if (fields && fields_from_json(st, fields, raw, err, errlen) != 0)
		return -1;
	/* Decode's view of the numbers: checked against what was built. */
	const json_t *names = json_object_get(obj, "names");
	return names ? pt_struct_names_check(st, names, raw, err, errlen) : 0;
}

/* ---- Streamed JSON envelope ----
 * The envelope is written by hand and each table header, entry and
 * diagnostic is a small jansson object dumped and freed at once, so memory
 * stays flat however many entries a table has. */

/* One item per line, compact: diff-friendly and cheap to stream. */
static void dump(struct pt_emit *e, json_t *j)
{
	json_dumpf(j, e->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(j);
}

static void sep(struct pt_emit *e, int *first)
{
	if (!*first)
		fputc(',', e->out);
	*first = 0;
	fputc('\n', e->out);
}

void pt_emit_begin(struct pt_emit *e, const char *schema, json_t *source)
{
	if (!e->json) {
		json_decref(source);
		return;
	}
	fputs("{\"schema\":", e->out);
	dump(e, json_string(schema));
	fputs(",\"source\":", e->out);
	dump(e, source ? source : json_object());
	fputs(",\"tables\":[", e->out);
	e->first_table = 1;
}

/* header is an object without its closing brace: we print its members and
 * leave it open so arrays of entries can follow. */
void pt_emit_table_begin(struct pt_emit *e, json_t *header)
{
	if (!e->json) {
		json_decref(header);
		return;
	}
	sep(e, &e->first_table);
	char *s = json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(header);
	if (!s)
		return;
	size_t n = strlen(s);
	/* Drop the closing brace so more members can be appended. */
	fwrite(s, 1, n - 1, e->out);
	e->table_has_members = n > 2;
	free(s);
	e->in_table = 1;
}

void pt_emit_array_begin(struct pt_emit *e, const char *key)
{
	if (!e->json)
		return;
	if (e->table_has_members)
		fputc(',', e->out);
	e->table_has_members = 1;
	dump(e, json_string(key));
	fputs(":[", e->out);
	e->first_item = 1;
}

void pt_emit_item(struct pt_emit *e, json_t *item)
{
	if (!e->json) {
		json_decref(item);
		return;
	}
	sep(e, &e->first_item);
	dump(e, item);
}

void pt_emit_array_end(struct pt_emit *e)
{
	if (e->json)
		fputs("]", e->out);
}

void pt_emit_table_end(struct pt_emit *e)
{
	if (e->json && e->in_table)
		fputs("}", e->out);
	e->in_table = 0;
}

json_t *pt_diag_json(const struct pt_diag *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "rule", json_string(d->rule->id));
	json_object_set_new(o, "severity", json_string(pt_severity_name(d->severity)));
	if (d->has_addr)
		json_object_set_new(o, "address", pt_json_hex(d->addr));
	if (d->has_sid)
		json_object_set_new(o, "sid", json_integer(d->sid));
	if (d->has_sid && (d->nalso || d->also_unlisted)) {
		json_t *a = json_array();
		for (uint32_t i = 0; i < d->nalso && i < PT_DIAG_ALSO; i++) {
			json_t *r = json_object();
			json_object_set_new(r, "first", json_integer(d->also[i].first));
			json_object_set_new(r, "last", json_integer(d->also[i].last));
			json_array_append_new(a, r);
		}
		json_object_set_new(o, "shared_with", a);
		if (d->also_unlisted)
			json_object_set_new(o, "shared_unlisted", json_integer(d->also_unlisted));
	}
	if (d->scope == PT_SCOPE_SSID)
		json_object_set_new(o, "ssid", json_integer(d->scope_id));
	else if (d->scope == PT_SCOPE_SID)
		json_object_set_new(o, "sid", json_integer(d->scope_id));
	else if (d->scope == PT_SCOPE_INDEX)
		json_object_set_new(o, "index", json_integer(d->scope_id));
	if (d->field)
		json_object_set_new(o, "field", json_string(d->field));
	json_object_set_new(o, "message", json_string(d->msg));
	if (d->repeat)
		json_object_set_new(o, "repeat", json_integer(d->repeat));
	return o;
}

void pt_emit_diagnostics(struct pt_emit *e, const struct pt_diag_sink *diags)
{
	int first = 1;
	fputs("\"diagnostics\":[", e->out);
	for (uint32_t i = 0; diags && i < diags->nitems; i++) {
		sep(e, &first);
		dump(e, pt_diag_json(&diags->items[i]));
	}
	fputs("]", e->out);
}

json_t *pt_diag_summary(const struct pt_diag_sink *diags)
{
	json_t *o = json_object();
	json_object_set_new(o, "errors", json_integer((json_int_t)diags->counts[PT_SEV_ERROR]));
	json_object_set_new(o, "warnings",
			    json_integer((json_int_t)diags->counts[PT_SEV_WARNING]));
	json_object_set_new(o, "notes", json_integer((json_int_t)diags->counts[PT_SEV_NOTE]));
	if (diags->dropped)
		json_object_set_new(o, "not_shown", json_integer((json_int_t)diags->dropped));
	return o;
}

void pt_emit_end(struct pt_emit *e, const struct pt_diag_sink *diags, json_t *summary)
{
	if (!e->json) {
		json_decref(summary);
		return;
	}
	fputs("],", e->out);
	pt_emit_diagnostics(e, diags);
	fputs(",\"summary\":", e->out);
	json_t *s = diags ? pt_diag_summary(diags) : json_object();
	if (summary)
		json_object_update(s, summary);
	json_decref(summary);
	dump(e, s);
	fputs("}\n", e->out);
}

static const char *const kind_names[] = { "uint", "bool", "enum", "address", "res0" };

static json_t *field_json(const struct pt_field *f)
{
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(f->name));
	json_object_set_new(j, "label", json_string(f->label));
	json_object_set_new(j, "word", json_integer(f->word));
	json_object_set_new(j, "lsb", json_integer(f->lsb));
	json_object_set_new(j, "width", json_integer(f->width));
	json_object_set_new(j, "kind", json_string(kind_names[f->kind]));
	if (f->kind == PT_FK_ADDR)
		json_object_set_new(j, "shift", json_integer(f->shift));
	if (f->enums) {
		json_t *e = json_object();
		for (unsigned i = 0; i < f->nenums; i++)
			if (f->enums[i]) {
				char k[8];
				snprintf(k, sizeof k, "%u", i);
				json_object_set_new(e, k, json_string(f->enums[i]));
			}
		json_object_set_new(j, "enums", e);
	}
	json_object_set_new(j, "doc", json_string(f->doc));
	return j;
}

json_t *pt_struct_desc_json(const struct pt_struct *st)
{
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(st->name));
	json_object_set_new(j, "label", json_string(st->label));
	json_object_set_new(j, "size", json_integer(st->size));
	json_t *fields = json_array();
	for (size_t i = 0; i < st->nfields; i++)
		json_array_append_new(fields, field_json(&st->fields[i]));
	json_object_set_new(j, "fields", fields);
	return j;
}

