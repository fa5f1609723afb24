/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The findings sink: one with a text stream that does not fold repeats
 * (--all-findings; folding is the default) prints each finding as it is
 * reported, a folding one only at the end; a finding's own text is cut
 * short so that the rule's effect always fits after it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rule.h"

static const struct pt_rule test_rule = {
	"TEST-FINDING", PT_SEV_ERROR, NULL, "a finding of the test", "C_BAD_X", "this file",
};

/* A sink that prints to memory, folding repeats or not. */
struct captured {
	char *buf;
	size_t len;
	FILE *out;
	struct pt_diag_sink sink;
};

static void capture_open(struct captured *c, int fold)
{
	c->buf = NULL;
	c->len = 0;
	c->out = open_memstream(&c->buf, &c->len);
	assert_non_null(c->out);
	pt_diag_init(&c->sink, "img.bin", c->out);
	c->sink.fold = fold;
}

static void capture_close(struct captured *c)
{
	pt_diag_free(&c->sink);
	assert_int_equal(fclose(c->out), 0);
	free(c->buf);
}

static void printed_as_reported(void **state)
{
	(void)state;
	struct captured c;
	capture_open(&c, 0);
	pt_diag_report(&c.sink, &test_rule, 1, 0x1040, PT_SCOPE_NONE, 0, NULL, "first %d", 1);
	assert_int_equal(fflush(c.out), 0);
	assert_non_null(strstr(c.buf, "first 1"));
	assert_non_null(strstr(c.buf, "[TEST-FINDING]"));
	assert_non_null(strstr(c.buf, "0x1040"));
	capture_close(&c);
}

static void folding_prints_nothing_yet(void **state)
{
	(void)state;
	struct captured c;
	capture_open(&c, 1);
	pt_diag_report(&c.sink, &test_rule, 1, 0x1040, PT_SCOPE_NONE, 0, NULL, "folded");
	assert_int_equal(fflush(c.out), 0);
	assert_int_equal(c.len, 0);
	assert_int_equal(c.sink.nitems, 1);
	capture_close(&c);
}

/* PT_DIAG_MSG_MAX - 64 bytes (with the NUL) for the finding's text, then
 * ": " and the effect: a message of any length ends with the effect. */
static void the_effect_always_fits(void **state)
{
	(void)state;
	struct pt_diag_sink sink;
	pt_diag_init(&sink, "img.bin", NULL);
	char longer[400];
	memset(longer, 'm', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	pt_diag_finding(&sink, &test_rule, 0x2000, PT_SCOPE_NONE, 0, NULL, "%s", longer);
	assert_int_equal(sink.nitems, 1);
	const char *msg = sink.items[0].msg;
	size_t cut = PT_DIAG_MSG_MAX - 64 - 1;
	assert_int_equal(strlen(msg), cut + strlen(": C_BAD_X"));
	assert_string_equal(msg + cut, ": C_BAD_X");
	pt_diag_free(&sink);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printed_as_reported),
		cmocka_unit_test(folding_prints_nothing_yet),
		cmocka_unit_test(the_effect_always_fits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
