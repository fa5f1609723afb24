/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hand-made number formatting of core/linebuf.h against printf's
 * "%llu" and "%llx" at every digit-count boundary (10^k - 1 and 10^k,
 * 16^k - 1 and 16^k), and a buffer that fills: what reaches the stream is
 * every byte, in order, whatever the sizes of the pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linebuf.h"

static void dec_is(uint64_t v)
{
	char want[32], got[32];
	int n = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
	size_t len = pt_fmt_dec(got, v);
	got[len] = 0;
	assert_int_equal(len, (size_t)n);
	assert_string_equal(got, want);
}

static void hex_is(uint64_t v)
{
	char want[32], got[32];
	int n = snprintf(want, sizeof want, "%llx", (unsigned long long)v);
	size_t len = pt_fmt_hex(got, v);
	got[len] = 0;
	assert_int_equal(len, (size_t)n);
	assert_string_equal(got, want);
}

static void decimal_at_every_boundary(void **state)
{
	(void)state;
	uint64_t p = 1;
	dec_is(0);
	for (int k = 1; k <= 19; k++) {
		p *= 10;
		dec_is(p - 1);
		dec_is(p);
		dec_is(p + 1);
	}
	dec_is(UINT64_MAX);
	dec_is(UINT64_MAX - 1);
	for (uint64_t v = 0; v < 100000; v++)
		dec_is(v);
}

static void hex_at_every_boundary(void **state)
{
	(void)state;
	hex_is(0);
	for (int k = 1; k < 16; k++) {
		uint64_t p = UINT64_C(1) << (4 * k);
		hex_is(p - 1);
		hex_is(p);
	}
	for (int b = 0; b < 64; b++)
		hex_is(UINT64_C(1) << b);
	hex_is(UINT64_MAX);
}

static void dec_len_agrees(void **state)
{
	(void)state;
	char buf[32];
	uint64_t v = 1;
	for (int i = 0; i < 2000; i++) {
		assert_int_equal(pt_dec_len(v), pt_fmt_dec(buf, v));
		v = v * 3 + (uint64_t)i; /* wraps: all sizes, in no order */
		if (!v)
			v = 1;
	}
}

/* Pieces of every size up to past the buffer, numbers in between: the
 * stream gets exactly what a plain FILE would. */
static void buffer_keeps_order_across_flushes(void **state)
{
	(void)state;
	char *got = NULL, *want = NULL;
	size_t glen = 0, wlen = 0;
	FILE *g = open_memstream(&got, &glen), *w = open_memstream(&want, &wlen);
	assert_non_null(g);
	assert_non_null(w);
	static char big[PT_LINEBUF_SIZE + 100];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	struct pt_linebuf lb;
	pt_lb_init(&lb, g);
	for (size_t len = 0; len <= sizeof big; len += 97) {
		pt_lb_mem(&lb, big, len);
		fwrite(big, 1, len, w);
		pt_lb_dec(&lb, len);
		fprintf(w, "%zu", len);
		pt_lb_ch(&lb, ',');
		fputc(',', w);
		pt_lb_hex(&lb, len * 0x10001u);
		fprintf(w, "0x%zx", len * 0x10001u);
	}
	pt_lb_flush(&lb);
	assert_int_equal(fclose(g), 0);
	assert_int_equal(fclose(w), 0);
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	free(got);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decimal_at_every_boundary),
		cmocka_unit_test(hex_at_every_boundary),
		cmocka_unit_test(dec_len_agrees),
		cmocka_unit_test(buffer_keeps_order_across_flushes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
