/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The rule registry: a set registered twice is listed once (`pasidtool
 * rules` would print it twice), and --rule overrides are bounded by the
 * size of their table and of a pattern, each limit tested at both sides. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rule.h"
#include "table.h"

static const struct pt_rule other_list[] = {
	{ "TEST-OTHER", PT_SEV_NOTE, NULL, "a rule of the test", "none", "this file" },
};
static const struct pt_rule_set other = { "test", other_list, 1 };

static void a_set_registered_twice_is_listed_once(void **state)
{
	(void)state;
	pt_rules_register(&pt_core_rules);
	size_t n = pt_rules_count_sets();
	pt_rules_register(&pt_core_rules);
	assert_int_equal(pt_rules_count_sets(), n);
	pt_rules_register(&other);
	assert_int_equal(pt_rules_count_sets(), n + 1);
	pt_rules_register(&other);
	assert_int_equal(pt_rules_count_sets(), n + 1);
	assert_ptr_equal(pt_rules_set(n), &other);
	assert_null(pt_rules_set(n + 1));
}

static void override_patterns_fit_their_buffer(void **state)
{
	(void)state;
	pt_rules_register(&pt_core_rules);
	pt_rules_reset_overrides();
	char spec[128];
	/* 63 bytes of pattern fit the 64-byte buffer with its NUL; 64 do not. */
	memset(spec, '*', 63);
	strcpy(spec + 63, "=note");
	assert_int_equal(pt_rules_override(spec), 0);
	memset(spec, '*', 64);
	strcpy(spec + 64, "=note");
	assert_int_equal(pt_rules_override(spec), -1);
	assert_int_equal(pt_rules_override("=note"), -1);
	assert_int_equal(pt_rules_override("TABLE-OVERLAP"), -1);
	assert_int_equal(pt_rules_override("TABLE-OVERLAP=loud"), -1);
	assert_int_equal(pt_rules_override("NO-SUCH-RULE=note"), -1);
	pt_rules_reset_overrides();
}

/* 128 overrides are kept; the 129th is refused, not written past the
 * table, and the last one kept still decides. */
static void at_most_128_overrides(void **state)
{
	(void)state;
	pt_rules_register(&pt_core_rules);
	pt_rules_reset_overrides();
	const struct pt_rule *r = pt_rule_find("table-overlap");
	assert_non_null(r);
	assert_int_equal(pt_rule_severity(r), PT_SEV_ERROR);
	for (int i = 0; i < 127; i++)
		assert_int_equal(pt_rules_override("TABLE-OVERLAP=warning"), 0);
	assert_int_equal(pt_rules_override("TABLE-OVERLAP=note"), 0);
	assert_int_equal(pt_rule_severity(r), PT_SEV_NOTE);
	assert_int_equal(pt_rules_override("TABLE-OVERLAP=off"), -1);
	assert_int_equal(pt_rule_severity(r), PT_SEV_NOTE);
	pt_rules_reset_overrides();
	assert_int_equal(pt_rule_severity(r), PT_SEV_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_set_registered_twice_is_listed_once),
		cmocka_unit_test(override_patterns_fit_their_buffer),
		cmocka_unit_test(at_most_128_overrides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
