/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "enum_names.h"

#include <stdio.h>

#include "emit.h"
#include "suggest.h"

int pt_struct_has_enums(const struct pt_struct *st)
{
	for (size_t i = 0; i < st->nfields; i++)
		if (st->fields[i].kind == PT_FK_ENUM)
			return 1;
	return 0;
}

json_t *pt_struct_names_json(const struct pt_struct *st, const uint8_t *raw)
{
	if (!pt_struct_has_enums(st))
		return NULL;
	json_t *obj = json_object();
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		const char *name = f->kind == PT_FK_ENUM ? pt_field_enum_name(f, pt_field_get(raw, f))
							 : NULL;
		if (name)
			json_object_set_new(obj, f->name, json_string(name));
	}
	return obj;
}

void pt_struct_json_set(json_t *obj, const struct pt_struct *st, const uint8_t *raw)
{
	json_object_set_new(obj, "fields", pt_struct_fields_json(st, raw));
	json_t *names = pt_struct_names_json(st, raw);
	if (names)
		json_object_set_new(obj, "names", names);
}

/* A key of "names" that is no enum field of st: say which, and what was
 * probably meant among the enum fields. */
static int unknown_key(const struct pt_struct *st, const char *key, const struct pt_field *f,
		       char *err, size_t errlen)
{
	const char *words[257];
	size_t n = 0;
	for (size_t i = 0; i < st->nfields && n < 256; i++)
		if (st->fields[i].kind == PT_FK_ENUM)
			words[n++] = st->fields[i].name;
	words[n] = NULL;
	if (f)
		snprintf(err, errlen, "\"names\": %s field \"%s\" is not an enum", st->name, key);
	else
		snprintf(err, errlen, "\"names\": unknown %s enum field \"%s\"", st->name, key);
	pt_suggest_append(err, errlen, key, words);
	return -1;
}

/* A value of "names" that is none of the field's names: say so, and which
 * of them was probably meant. */
static int unknown_name(const struct pt_field *f, const char *s, char *err, size_t errlen)
{
	const char *words[257];
	size_t n = 0;
	for (unsigned i = 0; i < f->nenums; i++)
		if (f->enums[i])
			words[n++] = f->enums[i];
	words[n] = NULL;
	snprintf(err, errlen, "\"names\": \"%s\" is not a name of %s", s ? s : "(not a string)",
		 f->name);
	if (s)
		pt_suggest_append(err, errlen, s, words);
	return -1;
}

int pt_struct_names_check(const struct pt_struct *st, const json_t *names, const uint8_t *raw,
			  char *err, size_t errlen)
{
	if (!json_is_object(names)) {
		snprintf(err, errlen, "\"names\" must be an object of enum names");
		return -1;
	}
	const char *key;
	const json_t *jv;
	size_t hint = 0;
	json_object_foreach((json_t *)(uintptr_t)names, key, jv) {
		const struct pt_field *f = pt_struct_field_next(st, key, &hint);
		if (!f || f->kind != PT_FK_ENUM)
			return unknown_key(st, key, f, err, errlen);
		uint64_t said, built = pt_field_get(raw, f);
		const char *s = json_string_value(jv);
		if (!s || pt_field_enum_value(f, s, &said) != 0)
			return unknown_name(f, s, err, errlen);
		if (said != built) {
			const char *bn = pt_field_enum_name(f, built);
			snprintf(err, errlen, "\"names\" says %s is \"%s\", but \"raw\"/\"fields\" make it "
				 "%llu%s%s%s: the numbers are what is built; make the two agree or drop "
				 "\"names\"", f->name, s, (unsigned long long)built, bn ? " (" : "",
				 bn ? bn : "", bn ? ")" : "");
			return -1;
		}
	}
	return 0;
}
