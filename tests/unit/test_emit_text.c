/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text and JSON of an entry, written by hand for speed (core/emit_text.c,
 * core/emit_item.c), against the writers they replaced: the text printer
 * made of one snprintf per field (kept below as the reference) and the
 * jansson object of pt_struct_raw_json and pt_struct_json_set ("fields"
 * and "names") dumped compact. Every structure of every registered format, random words with
 * runs of zeros, with and without colour; and a structure made for the
 * test with what the real tables do not have: labels longer than the label
 * slot, an enum name that makes a piece longer than the 95 bytes a piece
 * was cut at, and the wrap at 96 columns on both sides. */
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
#include "formats.h"
#include "table.h"

/* ---- the reference: the text printer as it was ---- */

static size_t ref_format_field(char *buf, size_t len, const struct pt_field *f, uint64_t v)
{
	const char *name = pt_field_enum_name(f, v);
	unsigned long long x = v;
	if (f->kind == PT_FK_ADDR || f->kind == PT_FK_RES0 || f->width > 32)
		snprintf(buf, len, "%s=0x%llx", f->label, x);
	else if (name)
		snprintf(buf, len, "%s=%s(%llu)", f->label, name, x);
	else if (f->flags & PT_FF_HEX)
		snprintf(buf, len, "%s=0x%llx", f->label, x);
	else
		snprintf(buf, len, "%s=%llu", f->label, x);
	return strlen(f->label);
}

static void ref_print_text(FILE *out, const struct pt_struct *st, const uint8_t *raw,
			   const char *indent, int color)
{
	size_t col = 0, ind = strlen(indent);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		uint64_t v = pt_field_get(raw, f);
		if (v == 0 && (st->flags & PT_SF_COMPACT) && !(f->flags & PT_FF_SHOW_ZERO))
			continue;
		if (f->kind == PT_FK_RES0 && v == 0)
			continue;
		char buf[96];
		size_t lablen = ref_format_field(buf, sizeof buf, f, v);
		size_t n = strlen(buf);
		if (col == 0) {
			fputs(indent, out);
			col = ind;
		} else if (col + 1 + n > 96) {
			fprintf(out, "\n%s", indent);
			col = ind;
		} else {
			fputc(' ', out);
			col++;
		}
		if (color)
			fprintf(out, "\033[32m%.*s\033[0m%s", (int)lablen, buf, buf + lablen);
		else
			fputs(buf, out);
		col += n;
	}
	if (col)
		fputc('\n', out);
}

typedef void (*printer)(FILE *, const struct pt_struct *, const uint8_t *, const char *, int);

static char *capture(printer p, const struct pt_struct *st, const uint8_t *raw,
		     const char *indent, int color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	p(f, st, raw, indent, color);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void text_same(const struct pt_struct *st, const uint8_t *raw)
{
	static const char *const indents[] = { "", " ", "    " };
	for (int color = 0; color < 2; color++)
		for (size_t k = 0; k < 3; k++) {
			char *want = capture(ref_print_text, st, raw, indents[k], color);
			char *got = capture(pt_struct_print_text, st, raw, indents[k], color);
			if (strcmp(want, got) != 0)
				fail_msg("%s, colour %d, indent %zu:\nwant %s\ngot  %s", st->name,
					 color, k, want, got);
			free(want);
			free(got);
		}
}

/* Random words, some of them zero or all ones, so that each field is seen
 * zero, small and at its widest. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint8_t *raw, size_t size, uint64_t *seed)
{
	for (size_t w = 0; w < size / 8; w++) {
		uint64_t r = next_rand(seed), pick = r % 8;
		uint64_t v = pick == 0 ? 0 : pick == 1 ? UINT64_MAX : pick == 2 ? r & 0xf0f
			   : next_rand(seed);
		pt_put_le64(raw, w, v);
	}
}

static void each_struct(void (*check)(const struct pt_struct *, const uint8_t *))
{
	uint64_t seed = 0x9e3779b97f4a7c15u;
	uint8_t raw[PT_MAX_ENTRY_SIZE];
	pt_formats_init();
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		const struct pt_struct *sts[2] = { fmt->entry, fmt->dir };
		for (int s = 0; s < 2; s++) {
			if (!sts[s] || sts[s]->size > sizeof raw)
				continue;
			memset(raw, 0, sizeof raw);
			check(sts[s], raw);
			for (int r = 0; r < 200; r++) {
				fill(raw, sts[s]->size, &seed);
				check(sts[s], raw);
			}
		}
	}
}

static void text_of_every_format(void **state)
{
	(void)state;
	each_struct(text_same);
}

/* What the real tables do not hold: a label past the label slot, an enum
 * name that takes its piece past 95 bytes (cut there), names by value with
 * and without PT_FF_HEX, a field straddling two words, a wide value. */
static const char *const long_names[] = {
	"short",
	"a-name-long-enough-that-label-equals-name-and-number-run-past-the-ninety-five-byte-piece",
	NULL,
	"three",
};
static const struct pt_field odd_fields[] = {
	{ "a", "A_LABEL_LONGER_THAN_THE_SLOT_HOLDS", 0, 0, 4, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "e", "ENUM", 0, 4, 2, PT_FK_ENUM, 0, long_names, 4, "", 0 },
	{ "h", "HEXENUM", 0, 6, 2, PT_FK_ENUM, 0, long_names, 4, "", PT_FF_HEX },
	{ "x", "X", 0, 8, 16, PT_FK_UINT, 0, NULL, 0, "", PT_FF_HEX | PT_FF_SHOW_ZERO },
	{ "s", "STRADDLE", 0, 60, 10, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "w", "WIDE", 1, 6, 58, PT_FK_UINT, 0, NULL, 0, "", 0 },
	{ "r", "RES", 2, 0, 64, PT_FK_RES0, 0, NULL, 0, "", 0 },
	{ "ad", "ADDR", 3, 12, 40, PT_FK_ADDR, 12, NULL, 0, "", 0 },
	{ "b", "B", 3, 0, 1, PT_FK_BOOL, 0, NULL, 0, "", PT_FF_SHOW_ZERO },
};
static const struct pt_struct odd = { "odd", "Odd", 32, odd_fields,
				      sizeof odd_fields / sizeof odd_fields[0], "", 0 };
static const struct pt_struct odd_compact = { "odd-compact", "Odd", 32, odd_fields,
					      sizeof odd_fields / sizeof odd_fields[0], "",
					      PT_SF_COMPACT };

static void text_of_odd_fields(void **state)
{
	(void)state;
	uint64_t seed = 12345;
	uint8_t raw[32];
	for (int r = 0; r < 2000; r++) {
		fill(raw, sizeof raw, &seed);
		text_same(&odd, raw);
		text_same(&odd_compact, raw);
	}
	/* The long enum name, in each of the two enum fields. */
	memset(raw, 0, sizeof raw);
	pt_put_le64(raw, 0, 1u << 4 | 1u << 6);
	text_same(&odd, raw);
	char *got = capture(pt_struct_print_text, &odd, raw, "", 0);
	assert_non_null(strstr(got, "ENUM=a-name-long-enough"));
	free(got);
}

/* A line that ends at 96 columns and one that would end at 97. */
static const struct pt_field wrap_fields[] = {
	{ "a", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0, 0, 32, PT_FK_UINT, 0, NULL, 0,
	  "", PT_FF_SHOW_ZERO },
	{ "b", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", 1, 0, 32, PT_FK_UINT, 0, NULL, 0,
	  "", PT_FF_SHOW_ZERO },
};
static const struct pt_struct wrap = { "wrap", "Wrap", 16, wrap_fields, 2, "", 0 };

static void wrap_at_both_sides(void **state)
{
	(void)state;
	uint8_t raw[16] = { 0 };
	for (uint64_t v = 0; v < 100000; v = v * 10 + 9) {
		pt_put_le64(raw, 0, 0);
		pt_put_le64(raw, 1, v);
		text_same(&wrap, raw);
		pt_put_le64(raw, 0, v);
		text_same(&wrap, raw);
	}
	/* "A...=0" (48) " " "B...=9" (47): 96 columns, one line; B = 99
	 * makes it 97: two lines. */
	pt_put_le64(raw, 0, 0);
	pt_put_le64(raw, 1, 9);
	char *one = capture(pt_struct_print_text, &wrap, raw, "", 0);
	assert_int_equal(strlen(one), 97);
	assert_ptr_equal(strchr(one, '\n'), one + 96);
	free(one);
	pt_put_le64(raw, 1, 99);
	char *two = capture(pt_struct_print_text, &wrap, raw, "", 0);
	assert_ptr_equal(strchr(two, '\n'), two + 48);
	free(two);
}

/* ---- JSON ---- */

static char *item_of(const struct pt_struct *st, const uint8_t *raw)
{
	return emit_capture(1, "ssid", 12345, UINT64_C(0xfedcba9876543210), st, raw);
}

static void json_same(const struct pt_struct *st, const uint8_t *raw)
{
	json_t *o = json_object();
	json_object_set_new(o, "ssid", json_integer(12345));
	json_object_set_new(o, "address", pt_json_hex(UINT64_C(0xfedcba9876543210)));
	json_object_set_new(o, "raw", pt_struct_raw_json(st, raw));
	pt_struct_json_set(o, st, raw);
	char *dumped = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	size_t n = strlen(dumped);
	char *want = malloc(n + 2);
	assert_non_null(want);
	want[0] = '\n';
	memcpy(want + 1, dumped, n + 1);
	char *got = item_of(st, raw);
	if (strcmp(want, got) != 0)
		fail_msg("%s:\nwant %s\ngot  %s", st->name, want, got);
	free(got);
	free(want);
	free(dumped);
	json_decref(o);
}

static void json_of_every_format(void **state)
{
	(void)state;
	each_struct(json_same);
}

static void json_of_odd_fields(void **state)
{
	(void)state;
	uint64_t seed = 777;
	uint8_t raw[32];
	for (int r = 0; r < 2000; r++) {
		fill(raw, sizeof raw, &seed);
		json_same(&odd, raw);
	}
}

/* A plan is made for one structure, field array and field count: the same
 * structure grown, shrunk or given other fields is planned again, and more
 * structures than a thread keeps plans for take turns. */
static void plans_follow_the_structure(void **state)
{
	(void)state;
	uint64_t seed = 4242;
	uint8_t raw[32];
	struct pt_struct var = odd;
	const size_t counts[] = { 3, sizeof odd_fields / sizeof odd_fields[0], 2 };
	for (int r = 0; r < 20; r++) {
		fill(raw, sizeof raw, &seed);
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			var.fields = odd_fields;
			var.nfields = counts[c];
			text_same(&var, raw);
			json_same(&var, raw);
		}
		var.fields = wrap_fields;
		var.nfields = 2;
		text_same(&var, raw);
		json_same(&var, raw);
		const struct pt_struct *turns[] = { &odd, &odd_compact, &wrap, &var, &odd };
		for (size_t t = 0; t < sizeof turns / sizeof turns[0]; t++) {
			text_same(turns[t], raw);
			json_same(turns[t], raw);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_of_every_format),
		cmocka_unit_test(text_of_odd_fields),
		cmocka_unit_test(wrap_at_both_sides),
		cmocka_unit_test(json_of_every_format),
		cmocka_unit_test(json_of_odd_fields),
		cmocka_unit_test(plans_follow_the_structure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
