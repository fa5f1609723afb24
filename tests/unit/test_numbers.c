/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Numbers on the command line and in specs: decimal, or hex after 0x; a
 * leading 0 is decimal, and anything else is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "emit.h"

static void accepts(const char *s, uint64_t want)
{
	uint64_t v = 12345;
	if (pt_parse_u64(s, &v) != 0 || v != want)
		fail_msg("'%s' should be %llu, got %llu", s, (unsigned long long)want,
			 (unsigned long long)v);
}

static void refuses(const char *s)
{
	uint64_t v = 12345;
	if (pt_parse_u64(s, &v) == 0)
		fail_msg("'%s' should be refused, got %llu", s, (unsigned long long)v);
	assert_int_equal(v, 12345);
}

static void test_leading_zero_is_decimal(void **state)
{
	(void)state;
	accepts("010", 10);
	accepts("08", 8);
	accepts("0", 0);
	accepts("00", 0);
	accepts("0009", 9);
}

static void test_hex(void **state)
{
	(void)state;
	accepts("0x10", 16);
	accepts("0X1f", 31);
	accepts("0x0", 0);
	accepts("0xffffffffffffffff", UINT64_MAX);
	refuses("0x10000000000000000");
	refuses("0x");
	refuses("0x0x5");
	refuses("0xg");
	refuses("0x-1");
	refuses("0x 1");
}

static void test_decimal_limits(void **state)
{
	(void)state;
	accepts("18446744073709551615", UINT64_MAX);
	refuses("18446744073709551616");
	accepts("1", 1);
}

static void test_garbage(void **state)
{
	(void)state;
	refuses(NULL);
	refuses("");
	refuses(" 5");
	refuses("\t5");
	refuses("-1");
	refuses("+1");
	refuses("1a");
	refuses("5 ");
	refuses("x10");
	refuses("1e3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leading_zero_is_decimal),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_decimal_limits),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
