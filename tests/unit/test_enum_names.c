/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "names" member of an entry's JSON: what the field tables name each
 * enum value, and build's check that it agrees with the bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "enum_names.h"
#include "field.h"
#include "smmuv3.h"

/* A 2-bit enum with a hole (1) and a value past its names (3). */
static const char *const holey_names[] = { "zero", NULL, "two" };
static const struct pt_field holey_fields[] = {
	{ "mode", "MODE", 0, 0, 2, PT_FK_ENUM, 0, holey_names, 3, "", 0 },
	{ "count", "COUNT", 0, 2, 6, PT_FK_UINT, 0, NULL, 0, "", 0 },
};
static const struct pt_struct holey = { "holey", "Holey", 8, holey_fields, 2, "", 0 };

static const struct pt_field plain_fields[] = {
	{ "count", "COUNT", 0, 0, 8, PT_FK_UINT, 0, NULL, 0, "", 0 },
};
static const struct pt_struct plain = { "plain", "Plain", 8, plain_fields, 1, "", 0 };

static const char *name_of(const struct pt_struct *st, uint64_t word0, const char *key)
{
	static char buf[32];
	uint8_t raw[8];
	pt_put_le64(raw, 0, word0);
	json_t *n = pt_struct_names_json(st, raw);
	assert_non_null(n);
	const char *s = json_string_value(json_object_get(n, key));
	snprintf(buf, sizeof buf, "%s", s ? s : "(absent)");
	json_decref(n);
	return buf;
}

static void names_follow_the_table(void **state)
{
	(void)state;
	assert_string_equal(name_of(&holey, 0, "mode"), "zero");
	assert_string_equal(name_of(&holey, 2, "mode"), "two");
	/* No name, no key: the number in "fields" is all there is. */
	assert_string_equal(name_of(&holey, 1, "mode"), "(absent)");
	assert_string_equal(name_of(&holey, 3, "mode"), "(absent)");
	/* Only enum fields are named. */
	assert_string_equal(name_of(&holey, 0xfc, "count"), "(absent)");
	uint8_t raw[8] = { 0 };
	assert_null(pt_struct_names_json(&plain, raw));
	assert_false(pt_struct_has_enums(&plain));
	assert_true(pt_struct_has_enums(&smmu_cd_struct));
}

static void cd_tg0_names(void **state)
{
	(void)state;
	const struct pt_field *tg0 = pt_struct_field(&smmu_cd_struct, "tg0");
	uint8_t raw[64] = { 0 };
	static const char *const want[] = { "4k", "64k", "16k", "reserved" };
	for (uint64_t v = 0; v < 4; v++) {
		assert_int_equal(pt_field_set(raw, tg0, v), 0);
		json_t *n = pt_struct_names_json(&smmu_cd_struct, raw);
		assert_string_equal(json_string_value(json_object_get(n, "tg0")), want[v]);
		json_decref(n);
	}
}

/* pt_struct_names_check on the holey structure with word 0 = w. */
static int check(uint64_t w, const char *names, char *err, size_t errlen)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, w);
	json_error_t je;
	json_t *j = json_loads(names, JSON_DECODE_ANY, &je);
	assert_non_null(j);
	err[0] = 0;
	int rc = pt_struct_names_check(&holey, j, raw, err, errlen);
	json_decref(j);
	return rc;
}

static void check_agrees_or_says_why(void **state)
{
	(void)state;
	char err[300];
	assert_int_equal(check(2, "{\"mode\": \"two\"}", err, sizeof err), 0);
	assert_int_equal(check(2, "{\"mode\": \"TWO\"}", err, sizeof err), 0);
	assert_int_equal(check(2, "{}", err, sizeof err), 0);
	/* One value either side of the name's. */
	assert_int_equal(check(1, "{\"mode\": \"two\"}", err, sizeof err), -1);
	assert_non_null(strstr(err, "\"names\" says mode is \"two\""));
	assert_non_null(strstr(err, "make it 1:"));
	assert_int_equal(check(3, "{\"mode\": \"two\"}", err, sizeof err), -1);
	assert_int_equal(check(0, "{\"mode\": \"two\"}", err, sizeof err), -1);
	assert_non_null(strstr(err, "make it 0 (zero)"));
	assert_int_equal(check(2, "{\"mdoe\": \"two\"}", err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown holey enum field \"mdoe\"; did you mean 'mode'?"));
	assert_int_equal(check(2, "{\"count\": \"two\"}", err, sizeof err), -1);
	assert_non_null(strstr(err, "field \"count\" is not an enum"));
	assert_int_equal(check(2, "{\"mode\": \"one\"}", err, sizeof err), -1);
	assert_non_null(strstr(err, "\"one\" is not a name of mode"));
	assert_int_equal(check(2, "{\"mode\": 2}", err, sizeof err), -1);
	assert_int_equal(check(2, "[\"two\"]", err, sizeof err), -1);
	assert_non_null(strstr(err, "must be an object"));
}

/* Build's reader: names in the item are checked after raw and fields. */
static void from_json_checks_names(void **state)
{
	(void)state;
	const struct pt_struct *st = &smmu_cd_struct;
	uint8_t raw[64] = { 0 };
	char err[300];
	json_error_t je;
	json_t *ok = json_loads("{\"fields\": {\"tg0\": 1}, \"names\": {\"tg0\": \"64k\"}}", 0, &je);
	json_t *bad = json_loads("{\"fields\": {\"tg0\": 2}, \"names\": {\"tg0\": \"64k\"}}", 0, &je);
	assert_int_equal(pt_struct_from_json(st, ok, raw, err, sizeof err), 0);
	assert_int_equal(pt_struct_from_json(st, bad, raw, err, sizeof err), -1);
	assert_non_null(strstr(err, "make it 2 (16k)"));
	json_t *typo = json_loads("{\"fields\": {\"tgO\": 1}}", 0, &je);
	assert_int_equal(pt_struct_from_json(st, typo, raw, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown smmuv3-cd field \"tgO\"; did you mean 'tg0'?"));
	json_decref(ok);
	json_decref(bad);
	json_decref(typo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_follow_the_table),
		cmocka_unit_test(cd_tg0_names),
		cmocka_unit_test(check_agrees_or_says_why),
		cmocka_unit_test(from_json_checks_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
