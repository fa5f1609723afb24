/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The streamed JSON reader (core/json_stream.c): values across its read
 * chunks, its cap on a value held whole, error positions equal to jansson's
 * on the whole document; the fast item reader (core/json_item.c): the
 * plain subset it takes, at both sides of each of its limits, and the same
 * bytes as jansson + pt_struct_from_json wherever it answers; the streamed
 * build (core/build_stream.c): keys out of order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_stream.h"
#include "emit.h"
#include "formats.h"
#include "json_item.h"
#include "json_stream.h"
#include "smmuv3.h"

static int setup(void **state)
{
	(void)state;
	pt_formats_init();
	return 0;
}

/* A stream over a copy of text (fmemopen keeps the pointer). */
struct mem {
	char *text;
	FILE *f;
	struct pt_jstream s;
};

static void mem_open(struct mem *m, const char *text, size_t len, size_t max_value)
{
	m->text = malloc(len + 1);
	assert_non_null(m->text);
	memcpy(m->text, text, len);
	m->f = fmemopen(m->text, len ? len : 1, "rb");
	assert_non_null(m->f);
	if (!len)
		fgetc(m->f);
	pt_js_init(&m->s, m->f, max_value);
}

static void mem_close(struct mem *m)
{
	pt_js_free(&m->s);
	fclose(m->f);
	free(m->text);
}

/* Read text member by member (every value through jansson) and return
 * whether it was read; on error, line and column must be jansson's. */
static int walk(const char *text, size_t len, size_t max_value, int *too_big)
{
	struct mem m;
	mem_open(&m, text, len, max_value);
	size_t n = 0;
	char *key;
	json_t *seen = json_object();
	int rc = pt_js_expect(&m.s, '{', "'{' expected");
	while (rc == 0 && (rc = pt_js_member(&m.s, &n, &key)) == 1) {
		/* Duplicate keys are the caller's to refuse, at the key. */
		json_t *v = json_object_get(seen, key) ? NULL : pt_js_value(&m.s);
		rc = v ? 0 : json_object_get(seen, key) ? pt_js_fail_key(&m.s, "duplicate") : -1;
		json_object_set_new(seen, key, json_true());
		free(key);
		json_decref(v);
	}
	json_decref(seen);
	if (rc == 0)
		rc = pt_js_end(&m.s);
	if (rc != 0 && !m.s.too_big) {
		json_error_t je;
		json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
		assert_null(j);
		if ((unsigned long)je.line != m.s.err_line ||
		    (unsigned long)je.column != m.s.err_column)
			fail_msg("jansson %d:%d '%s', streamed %lu:%lu '%s'", je.line, je.column,
				 je.text, m.s.err_line, m.s.err_column, m.s.err);
	}
	*too_big = m.s.too_big;
	mem_close(&m);
	return rc == 0;
}

/* {"a": "xxx...x", "b": 1, ... } with a string of n bytes, over chunks. */
static char *long_member(size_t n, const char *tail, size_t *len)
{
	size_t tl = strlen(tail);
	char *t = malloc(n + tl + 16);
	assert_non_null(t);
	memcpy(t, "{\"a\": \"", 7);
	memset(t + 7, 'x', n);
	memcpy(t + 7 + n, "\"", 1);
	memcpy(t + 8 + n, tail, tl);
	*len = 8 + n + tl;
	return t;
}

static void test_values_across_chunks(void **state)
{
	(void)state;
	size_t len;
	int big;
	char *t = long_member(600000, ",\n \"b\": [1, 2, {\"c\": \"\xc3\xa9\"}]}", &len);
	assert_true(walk(t, len, SIZE_MAX, &big));
	free(t);
}

static void test_error_positions_match_jansson(void **state)
{
	(void)state;
	static const char *const tails[] = {
		",\n \"b\": [1, 2 3]}", ",\n\n  \"b\" 1}", ", \"\xc3\xa9\xc3\xa9\": tru}",
		", \"b\": 1, \"b\": 2}", ", \"b\": 1} x", ", \"b\": [1,]}", ", \"b\": 1",
		",\n\"b\": {\"c\": 1,\n \"c\": 2}}", ", 5: 1}",
	};
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		size_t len;
		int big;
		/* Small and long enough to be read in several chunks. */
		for (size_t n = 10; n <= 700000; n += 699990) {
			char *t = long_member(n, tails[i], &len);
			assert_false(walk(t, len, SIZE_MAX, &big));
			free(t);
		}
	}
	int big;
	assert_false(walk("", 0, 100, &big));
	assert_false(walk("\n\n  #", 5, 100, &big));
}

/* The cap counts the bytes of one value: max_value of them are read, one
 * more is refused. */
static void test_value_cap_boundary(void **state)
{
	(void)state;
	size_t len;
	int big;
	char *t = long_member(300000, "}", &len);
	size_t value = 300002;  /* the string with its quotes */
	assert_true(walk(t, len, value, &big));
	assert_false(big);
	assert_false(walk(t, len, value - 1, &big));
	assert_true(big);
	free(t);
	const char *num = "{\"a\": 12345}";
	assert_true(walk(num, strlen(num), 5, &big));
	assert_false(walk(num, strlen(num), 4, &big));
	assert_true(big);
}

/* ---- the fast item reader ---- */

/* Read text as a CD entry fast and through jansson; 1 when the fast
 * reader answered (and then agreed), 0 when it left it to jansson. */
static int item(const char *text)
{
	const struct pt_struct *st = smmu_cd_format.entry;
	static struct pt_item_text it;
	uint8_t fast[PT_MAX_ENTRY_SIZE], slow[PT_MAX_ENTRY_SIZE];
	size_t used = pt_item_text_read(st, "ssid", text, strlen(text), &it);
	if (!used)
		return 0;
	memset(fast, 0, sizeof fast);
	if (!it.has_raw)
		smmu_cd_format.entry_defaults(fast);
	memcpy(slow, fast, sizeof slow);
	if (pt_item_text_apply(st, &it, fast) != 0)
		return 0;
	json_error_t je;
	json_t *j = json_loadb(text, used, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(j);
	uint64_t ssid;
	char err[200];
	assert_int_equal(pt_json_u64(json_object_get(j, "ssid"), &ssid), 0);
	assert_int_equal(ssid, it.index);
	assert_int_equal(pt_struct_from_json(st, j, slow, err, sizeof err), 0);
	assert_memory_equal(fast, slow, st->size);
	json_decref(j);
	return 1;
}

/* "names" as decode prints it: read fast when it agrees with the bytes;
 * a disagreement, an unknown field or name is jansson's path, whose error
 * is the message (test_enum_names). */
static void test_item_names(void **state)
{
	(void)state;
	assert_true(item("{\"ssid\": 1, \"fields\": {\"tg0\": 1}, \"names\": {\"tg0\": \"64k\"}}"));
	assert_true(item("{\"ssid\": 1, \"names\": {\"tg0\": \"4k\", \"sh0\": \"ish\"}}"));
	assert_true(item("{\"ssid\": 1, \"names\": {}}"));
	assert_false(item("{\"ssid\": 1, \"fields\": {\"tg0\": 2}, \"names\": {\"tg0\": \"64k\"}}"));
	assert_false(item("{\"ssid\": 1, \"fields\": {\"tg0\": 0}, \"names\": {\"tg0\": \"64k\"}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {\"tgo\": \"4k\"}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {\"asid\": \"4k\"}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {\"tg0\": \"8k\"}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {\"tg0\": \"4k\", \"tg0\": \"4k\"}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {\"tg0\": 0}}"));
	assert_false(item("{\"ssid\": 1, \"names\": {}, \"names\": {}}"));
}

static void test_item_integers(void **state)
{
	(void)state;
	assert_true(item("{\"ssid\": 999999999999999999}"));           /* 18 digits */
	assert_false(item("{\"ssid\": 1000000000000000000}"));          /* 19: jansson's */
	assert_true(item("{\"ssid\": 0}"));
	assert_false(item("{\"ssid\": 01}"));                            /* not JSON */
	assert_false(item("{\"ssid\": -1}"));
	assert_false(item("{\"ssid\": 1.0}"));
	assert_false(item("{\"ssid\": 1e2}"));
	assert_false(item("{\"ssid\": true}"));
	assert_true(item("{\"ssid\": \"010\"}"));                        /* decimal ten */
	assert_true(item("{\"ssid\": 3, \"fields\": {\"asid\": 65535}}"));
	assert_false(item("{\"ssid\": 3, \"fields\": {\"asid\": 65536}}")); /* does not fit */
}

static void test_item_hex(void **state)
{
	(void)state;
	assert_true(item("{\"ssid\": 1, \"fields\": {\"mair0\": \"0xffffffff\"}}"));
	assert_true(item("{\"ssid\": 1, \"raw\": [\"0xffffffffffffffff\", 0, 0, 0, 0, 0, 0, "
			 "\"0x0\"]}"));
	assert_false(item("{\"ssid\": 1, \"raw\": [\"0x10000000000000000\", 0, 0, 0, 0, 0, "
			  "0, 0]}"));
	assert_true(item("{\"ssid\": 1, \"raw\": [\"0x00000000000000001\", 0, 0, 0, 0, 0, 0, "
			 "0]}"));                                          /* 17 digits, fits */
	assert_false(item("{\"ssid\": 1, \"raw\": [\"0x\", 0, 0, 0, 0, 0, 0, 0]}"));
	assert_false(item("{\"ssid\": 1, \"raw\": [\"0x0x1\", 0, 0, 0, 0, 0, 0, 0]}"));
	assert_false(item("{\"ssid\": 1, \"raw\": [0, 0, 0, 0, 0, 0, 0]}")); /* 7 words */
	assert_true(item("{\"ssid\": 1, \"fields\": {\"ttb0\": \"0x1000\"}}"));
	assert_false(item("{\"ssid\": 1, \"fields\": {\"ttb0\": \"0x1001\"}}")); /* unaligned */
}

static void test_item_subset(void **state)
{
	(void)state;
	assert_true(item("{\"ssid\": 1, \"address\": \"0x80000040\", \"fields\": {}}"));
	assert_true(item(" {\n\"fields\": {\"v\": 0}, \"ssid\": 2 }"));
	assert_false(item("{\"fields\": {\"v\": 0}}"));                  /* no index */
	assert_false(item("{}"));
	assert_false(item("{\"ssid\": 1, \"ssid\": 2}"));                /* duplicate */
	assert_false(item("{\"ssid\": 1, \"fields\": {\"v\": 1, \"v\": 1}}"));
	assert_false(item("{\"ssid\": 1, \"fields\": {\"nosuch\": 1}}"));
	assert_false(item("{\"ssid\": 1, \"comment\": \"x\"}"));         /* other keys */
	assert_false(item("{\"ssid\": 1, \"fields\": {\"t\\u0030sz\": 1}}")); /* escapes */
	assert_false(item("{\"ssid\": \"\xc3\xa9\"}"));
	assert_false(item("{\"ssid\": 1"));                              /* cut short */
	assert_true(item("{\"ssid\": 1, \"fields\": {\"tg0\": \"4K\"}}")); /* an enum name */
}

/* Fields in the table's order, and out of it: the same bytes. */
static void test_item_field_order(void **state)
{
	(void)state;
	assert_true(item("{\"ssid\": 4, \"fields\": {\"v\": 1, \"t0sz\": 20, \"asid\": 9}}"));
	assert_true(item("{\"ssid\": 4, \"fields\": {\"asid\": 9, \"t0sz\": 20, \"v\": 1}}"));
}

/* ---- the streamed build ---- */

static int build_text(const char *text, char *err, size_t errlen, struct pt_jstream *out)
{
	struct mem m;
	struct pt_image img;
	struct pt_built_table built[4];
	size_t n;
	json_t *spec;
	mem_open(&m, text, strlen(text), 1 << 20);
	pt_image_init(&img);
	int rc = pt_build_spec_stream(&m.s, &img, NULL, 0, built, 4, &n, &spec, err, errlen);
	*out = m.s;
	out->buf = NULL;
	pt_built_free(built, n);
	json_decref(spec);
	pt_image_free(&img);
	mem_close(&m);
	return rc;
}

static void test_settings_after_entries(void **state)
{
	(void)state;
	char err[512];
	struct pt_jstream s;
	/* Settings first: built as read. */
	assert_int_equal(build_text("{\"tables\": [{\"base\": \"0x1000\", \"ssid_bits\": 2, "
				    "\"entries\": [{\"ssid\": 1}], \"note\": 1}]}",
				    err, sizeof err, &s), PT_BS_OK);
	/* Entries before the settings: read whole, as before. */
	assert_int_equal(build_text("{\"tables\": [{\"entries\": [{\"ssid\": 1}], "
				    "\"base\": \"0x1000\", \"ssid_bits\": 2}]}",
				    err, sizeof err, &s), PT_BS_OK);
	/* A setting after entries that were built: said, at its key. */
	assert_int_equal(build_text("{\"tables\": [{\"base\": \"0x1000\", \"ssid_bits\": 2, "
				    "\"entries\": [{\"ssid\": 1}], \"layout\": \"linear\"}]}",
				    err, sizeof err, &s), PT_BS_JSON);
	assert_non_null(strstr(s.err, "\"layout\" comes after \"entries\""));
	assert_int_equal(s.err_line, 1);
	assert_int_equal(s.err_column, 81);  /* just after "layout", like a duplicate key */
	/* "l1" after entries that created their own descriptors. */
	assert_int_equal(build_text("{\"tables\": [{\"base\": \"0x1000\", \"ssid_bits\": 8, "
				    "\"layout\": \"2lvl-4k\", \"entries\": [{\"ssid\": 1}], "
				    "\"l1\": []}]}", err, sizeof err, &s), PT_BS_JSON);
	assert_non_null(strstr(s.err, "\"l1\" comes after"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_across_chunks),
		cmocka_unit_test(test_error_positions_match_jansson),
		cmocka_unit_test(test_value_cap_boundary),
		cmocka_unit_test(test_item_names),
		cmocka_unit_test(test_item_integers),
		cmocka_unit_test(test_item_hex),
		cmocka_unit_test(test_item_subset),
		cmocka_unit_test(test_item_field_order),
		cmocka_unit_test(test_settings_after_entries),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
