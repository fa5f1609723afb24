/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streaming JSON writer for table entries (pt_emit_struct_item) against
 * the jansson writer it stands in for (pt_struct_fields_json): the same keys,
 * escaped the same way, whatever bytes a name holds; nothing at all in text
 * mode. The field tables hold plain names today, so only a table made for
 * the test reaches the escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "emit_capture.h"
#include "enum_names.h"
#include "field.h"
#include "smmuv3.h"

/* One name per escape of RFC 8259 §7, one control byte without a short
 * escape, and a plain name to show the two paths agree. */
static const struct pt_field odd_fields[] = {
	{ "q\"uote", "Q", 0, 0, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "back\\slash", "B", 0, 1, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "bs\b", "BS", 0, 2, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "ff\f", "FF", 0, 3, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "nl\n", "NL", 0, 4, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "cr\r", "CR", 0, 5, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "tab\t", "TAB", 0, 6, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "bell\a", "BEL", 0, 7, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "unit\x1f", "US", 0, 8, 1, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "plain", "P", 0, 9, 55, PT_FK_UINT, 0, NULL, 0, "", 0 },
};
static const struct pt_struct odd = { "odd", "Odd", 8, odd_fields,
				      sizeof odd_fields / sizeof odd_fields[0], "", 0 };

/* What pt_emit_struct_item wrote, with the separator it starts with. */
static char *emit(int json, const struct pt_struct *st, const uint8_t *raw, const char *idkey)
{
	return emit_capture(json, idkey, 7, 0x1000, st, raw);
}

static void keys_escaped_as_jansson_does(void **state)
{
	(void)state;
	uint8_t raw[8];
	pt_put_le64(raw, 0, UINT64_C(0x5a5a5a5a5a5a5a5a));
	char *out = emit(1, &odd, raw, "id\"x");
	json_error_t err;
	json_t *item = json_loads(out, 0, &err);
	assert_non_null(item);
	json_t *want = pt_struct_fields_json(&odd, raw);
	assert_true(json_equal(json_object_get(item, "fields"), want));
	assert_int_equal(json_integer_value(json_object_get(item, "id\"x")), 7);
	/* Byte for byte as jansson writes each key. */
	for (size_t i = 0; i < odd.nfields; i++) {
		json_t *k = json_string(odd_fields[i].name);
		char *enc = json_dumps(k, JSON_ENCODE_ANY);
		assert_non_null(strstr(out, enc));
		free(enc);
		json_decref(k);
	}
	json_decref(want);
	json_decref(item);
	free(out);
}

/* A CD (enum fields: "names" follows "fields"): the whole item byte for
 * byte what jansson dumps of pt_struct_fields_json and
 * pt_struct_names_json, for each value of every enum field. */
static void cd_item_as_jansson_dumps_it(void **state)
{
	(void)state;
	const struct pt_struct *st = &smmu_cd_struct;
	uint8_t raw[64];
	for (unsigned v = 0; v < 8; v++) {
		memset(raw, 0, sizeof raw);
		for (size_t i = 0; i < st->nfields; i++)
			if (st->fields[i].kind == PT_FK_ENUM)
				pt_field_set(raw, &st->fields[i], v & pt_field_max(&st->fields[i]));
		char *out = emit(1, st, raw, "ssid");
		json_t *want = json_object();
		json_object_set_new(want, "ssid", json_integer(7));
		json_object_set_new(want, "address", pt_json_hex(0x1000));
		json_object_set_new(want, "raw", pt_struct_raw_json(st, raw));
		pt_struct_json_set(want, st, raw);
		char *enc = json_dumps(want, JSON_COMPACT);
		assert_string_equal(out + 1, enc);
		assert_non_null(strstr(out, "\"names\":{\"tg0\":"));
		free(enc);
		json_decref(want);
		free(out);
	}
	/* No enum field, no "names". */
	pt_put_le64(raw, 0, 0);
	char *out = emit(1, &odd, raw, "index");
	assert_null(strstr(out, "names"));
	free(out);
}

/* pt_emit_struct_members: the item's text after "raw", byte for byte (build
 * compares decoded items with it); nothing for a structure the writer's
 * fast path does not take, or with less room than it asks. */
static void members_as_the_item_prints_them(void **state)
{
	(void)state;
	const struct pt_struct *st = &smmu_cd_struct;
	static char buf[PT_EMIT_MEMBERS_MAX];
	uint8_t raw[64];
	for (unsigned v = 0; v < 4; v++) {
		memset(raw, 0x5a + (int)v, sizeof raw);
		char *out = emit(1, st, raw, "ssid");
		char *tail = strstr(out, ",\"fields\":");
		assert_non_null(tail);
		size_t n = pt_emit_struct_members(st, raw, buf, sizeof buf);
		assert_int_equal(n, strlen(tail) - 1);  /* all but the item's '}' */
		assert_memory_equal(buf, tail, n);
		free(out);
	}
	assert_int_equal(pt_emit_struct_members(st, raw, buf, PT_EMIT_MEMBERS_MAX - 1), 0);
	assert_int_equal(pt_emit_struct_members(&odd, raw, buf, sizeof buf), 0);
}

static void nothing_in_text_mode(void **state)
{
	(void)state;
	uint8_t raw[8] = { 0 };
	char *out = emit(0, &odd, raw, "index");
	assert_string_equal(out, "");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keys_escaped_as_jansson_does),
		cmocka_unit_test(cd_item_as_jansson_dumps_it),
		cmocka_unit_test(members_as_the_item_prints_them),
		cmocka_unit_test(nothing_in_text_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
