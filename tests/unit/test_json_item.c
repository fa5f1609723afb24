/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fast item reader's two shortcuts (core/json_item.c): an item whose
 * "fields" and "names" are byte for byte what decode prints after its "raw"
 * is taken as its "raw" (pt_emit_struct_members), and keys in the order
 * decode prints them are matched with the reading plan. Each answer is
 * held to jansson + pt_struct_from_json, at both sides of every limit of
 * the plan (key length, field count, a field across two words). */
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
#include "formats.h"
#include "json_item.h"
#include "smmuv3.h"

static int setup(void **state)
{
	(void)state;
	pt_formats_init();
	return 0;
}

static struct pt_item_text it;

/* text read fast and through jansson: the bytes must agree. Returns the
 * fast reader's answer (0: left to jansson, 1: read, -1: read but a value
 * does not fit, as jansson also says). */
static int read_both(const struct pt_struct *st, const char *text, uint8_t *out)
{
	uint8_t fast[PT_MAX_ENTRY_SIZE], slow[PT_MAX_ENTRY_SIZE];
	memset(fast, 0, sizeof fast);
	memset(slow, 0, sizeof slow);
	size_t used = pt_item_text_read(st, "ssid", text, strlen(text), &it);
	if (!used)
		return 0;
	int fast_rc = pt_item_text_apply(st, &it, fast);
	json_error_t je;
	json_t *j = json_loadb(text, used, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(j);
	char err[200];
	int slow_rc = pt_struct_from_json(st, j, slow, err, sizeof err);
	json_decref(j);
	assert_int_equal(fast_rc == 0, slow_rc == 0);
	if (fast_rc != 0)
		return -1;
	assert_memory_equal(fast, slow, st->size);
	if (out)
		memcpy(out, fast, st->size);
	return 1;
}

/* What decode --json prints for one entry (without the separator). */
static char *decoded(const struct pt_struct *st, const uint8_t *raw)
{
	char *buf = emit_capture(1, "ssid", 5, 0x80010140, st, raw);
	memmove(buf, buf + 1, strlen(buf));  /* the "\n" before the first item */
	return buf;
}

static void cd_bytes(uint8_t *raw)
{
	memset(raw, 0, PT_MAX_ENTRY_SIZE);
	smmu_cd_format.entry_defaults(raw);
	const struct pt_struct *st = smmu_cd_format.entry;
	assert_int_equal(pt_field_set(raw, pt_struct_field(st, "asid"), 77), 0);
	assert_int_equal(pt_field_set(raw, pt_struct_field(st, "ttb0"), 0x12345000), 0);
}

/* A decoded CD is its "raw": no field is read one by one. */
static void decoded_item_is_its_raw(void **state)
{
	(void)state;
	const struct pt_struct *st = smmu_cd_format.entry;
	uint8_t raw[PT_MAX_ENTRY_SIZE], got[PT_MAX_ENTRY_SIZE];
	cd_bytes(raw);
	char *text = decoded(st, raw);
	size_t len = strlen(text);
	assert_int_equal(read_both(st, text, got), 1);
	assert_memory_equal(got, raw, st->size);
	assert_int_equal(it.nset, 0);
	assert_int_equal(it.nnames, 0);
	assert_true(it.has_raw);
	/* The whole item is needed: one byte short and the reader says so. */
	assert_int_equal(pt_item_text_read(st, "ssid", text, len, &it), len);
	assert_int_equal(pt_item_text_read(st, "ssid", text, len - 1, &it), 0);
	free(text);
}

/* One field that says something else than "raw": every field is read (in
 * decode's order, by the plan) and the edited one wins, as in jansson. */
static void edited_field_is_read(void **state)
{
	(void)state;
	const struct pt_struct *st = smmu_cd_format.entry;
	uint8_t raw[PT_MAX_ENTRY_SIZE], got[PT_MAX_ENTRY_SIZE];
	cd_bytes(raw);
	char *text = decoded(st, raw);
	char *asid = strstr(text, "\"asid\":77");
	assert_non_null(asid);
	asid[8] = '8';
	assert_int_equal(read_both(st, text, got), 1);
	assert_int_not_equal(it.nset, 0);
	assert_int_equal(pt_field_get(got, pt_struct_field(st, "asid")), 78);
	/* A name that disagrees with the bytes: jansson's error. */
	asid[8] = '7';
	char *names = strstr(text, "\"names\":");
	assert_non_null(names);
	char *t0 = strstr(names, "\"tg0\":\"4k\"");
	assert_non_null(t0);
	t0[7] = '5';  /* "5k" is no name of TG0 */
	assert_int_equal(read_both(st, text, NULL), 0);
	t0[7] = '4';
	t0[8] = 'K';  /* names are case-insensitive */
	assert_int_equal(read_both(st, text, got), 1);
	assert_memory_equal(got, raw, st->size);
	free(text);
}

/* Keys out of decode's order, repeated, or after "names" came first:
 * still read, or refused, as jansson reads them. */
static void keys_out_of_order(void **state)
{
	(void)state;
	const struct pt_struct *cd = smmu_cd_format.entry;
	assert_int_equal(read_both(cd, "{\"ssid\":1,\"fields\":{\"asid\":3,\"v\":1}}", NULL), 1);
	assert_int_equal(read_both(cd, "{\"ssid\":1,\"fields\":{\"v\":1,\"asid\":3,\"v\":1}}",
				   NULL), 0);
	assert_int_equal(read_both(cd, "{\"ssid\":1,\"fields\":{\"v\":1,\"asid\":3,\"asid\":3}}",
				   NULL), 0);
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	cd_bytes(raw);
	char *text = decoded(cd, raw);
	/* "names" twice: the copy before "raw" and decode's after it. */
	char *dup = malloc(strlen(text) + 32);
	assert_non_null(dup);
	sprintf(dup, "{\"names\":{},%s", text + 1);
	assert_int_equal(read_both(cd, dup, NULL), 0);
	free(dup);
	free(text);
}

/* A made-up structure of n fields, each one bit, named "f0".."f{n-1}",
 * and a field across words 0 and 1. */
#define MAX_TEST_FIELDS 130
static struct pt_field many[MAX_TEST_FIELDS];
static char names[MAX_TEST_FIELDS][8];

static struct pt_struct many_st[2];

static const struct pt_struct *many_struct(size_t n)
{
	struct pt_struct *st = &many_st[n & 1];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "f%zu", i);
		many[i] = (struct pt_field){ names[i], names[i], (uint16_t)(i / 60),
					     (uint8_t)(i % 60), 1, PT_FK_UINT, 0, NULL, 0, "", 0 };
	}
	*st = (struct pt_struct){ "many", "Many", 24, many, n, "", 0 };
	return st;
}

static char *fields_text(size_t n, size_t set)
{
	size_t cap = 32 + n * 16;
	char *t = malloc(cap);
	assert_non_null(t);
	size_t k = (size_t)snprintf(t, cap, "{\"ssid\":2,\"fields\":{");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(t + k, cap - k, "%s\"f%zu\":%d", i ? "," : "", i, i == set);
	snprintf(t + k, cap - k, "}}");
	return t;
}

/* The plan holds 128 fields; a structure of 129 is read by name. */
static void plan_field_count_boundary(void **state)
{
	(void)state;
	for (size_t n = 128; n <= 129; n++) {
		const struct pt_struct *st = many_struct(n);
		uint8_t got[PT_MAX_ENTRY_SIZE];
		char *text = fields_text(n, n - 1);
		assert_int_equal(read_both(st, text, got), 1);
		assert_int_equal(pt_field_get(got, &many[n - 1]), 1);
		assert_int_equal(it.nset, n);
		free(text);
	}
}

/* Key slots hold `"name":` in 24 bytes: a 21-byte name has its slot, a
 * 22-byte one is found by name; both read the same. */
static void plan_key_length_boundary(void **state)
{
	(void)state;
	static const char *const nm[] = { "abcdefghijklmnopqrstu", "abcdefghijklmnopqrstuv" };
	/* Tables live as long as the run, as the real ones do (plans are kept
	 * per table). */
	static const struct pt_field f[2][2] = {
		{ { "lo", "LO", 0, 0, 4, PT_FK_UINT, 0, NULL, 0, "", 0 },
		  { "abcdefghijklmnopqrstu", "X", 0, 4, 8, PT_FK_UINT, 0, NULL, 0, "", 0 } },
		{ { "lo", "LO", 0, 0, 4, PT_FK_UINT, 0, NULL, 0, "", 0 },
		  { "abcdefghijklmnopqrstuv", "X", 0, 4, 8, PT_FK_UINT, 0, NULL, 0, "", 0 } },
	};
	static const struct pt_struct sts[2] = { { "k21", "K", 8, f[0], 2, "", 0 },
						 { "k22", "K", 8, f[1], 2, "", 0 } };
	for (int i = 0; i < 2; i++) {
		const struct pt_struct *stp = &sts[i];
		char text[128];
		uint8_t got[PT_MAX_ENTRY_SIZE];
		snprintf(text, sizeof text, "{\"ssid\":1,\"fields\":{\"lo\":3,\"%s\":255}}", nm[i]);
		assert_int_equal(read_both(stp, text, got), 1);
		assert_int_equal(pt_le64(got, 0), 0xff3);
		snprintf(text, sizeof text, "{\"ssid\":1,\"fields\":{\"lo\":3,\"%s\":256}}", nm[i]);
		assert_int_equal(read_both(stp, text, NULL), -1);
	}
}

/* A field across two words, an address with its low bits shifted out: set
 * in words as pt_field_set sets them, at the largest value and one above. */
static void field_across_words(void **state)
{
	(void)state;
	static const struct pt_field f[] = {
		{ "span", "SPAN", 0, 60, 8, PT_FK_UINT, 0, NULL, 0, "", 0 },
		{ "addr", "ADDR", 1, 12, 20, PT_FK_ADDR, 12, NULL, 0, "", 0 },
	};
	static const struct pt_struct st = { "span", "Span", 16, f, 2, "", 0 };
	uint8_t got[PT_MAX_ENTRY_SIZE];
	assert_int_equal(read_both(&st, "{\"ssid\":1,\"raw\":[\"0xffffffffffffffff\",\"0x1\"],"
				   "\"fields\":{\"span\":165}}", got), 1);
	assert_int_equal(pt_le64(got, 0), 0x5fffffffffffffffULL);
	assert_int_equal(pt_le64(got, 1), 0xa);
	assert_int_equal(read_both(&st, "{\"ssid\":1,\"fields\":{\"span\":255,"
				   "\"addr\":\"0xfffff000\"}}", got), 1);
	assert_int_equal(read_both(&st, "{\"ssid\":1,\"fields\":{\"span\":256}}", NULL), -1);
	assert_int_equal(read_both(&st, "{\"ssid\":1,\"fields\":{\"addr\":\"0x100000000\"}}",
				   NULL), -1);
	assert_int_equal(read_both(&st, "{\"ssid\":1,\"fields\":{\"addr\":\"0xfffff001\"}}",
				   NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decoded_item_is_its_raw),
		cmocka_unit_test(edited_field_is_read),
		cmocka_unit_test(keys_out_of_order),
		cmocka_unit_test(plan_field_count_boundary),
		cmocka_unit_test(plan_key_length_boundary),
		cmocka_unit_test(field_across_words),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
