/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel log parser: both forms Linux prints, with dmesg and journalctl
 * prefixes, several events, the raw and decoded forms of one event merged,
 * and hostile logs (cut short, mismatched, unknown names, long lines, too
 * many events); and --event's four words. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmuv3_evtlog.h"

static struct pt_diag_sink sink;
static struct smmu_evtlog log_;

static long parse(const char *text)
{
	smmu_evtlog_free(&log_);
	pt_diag_free(&sink);
	pt_diag_init(&sink, "log", NULL);
	return smmu_evtlog_parse(text, strlen(text), &log_, &sink);
}

static unsigned count(const char *rule)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < sink.nitems; i++)
		if (strcmp(sink.items[i].rule->id, rule) == 0)
			n += 1 + sink.items[i].repeat;
	return n;
}

static uint64_t field(const struct smmu_logged_event *e, const char *name)
{
	uint64_t v = UINT64_MAX;
	assert_int_equal(smmu_entry_field(smmu_evt_struct(e->raw[0]), e->raw, name, &v), 0);
	return v;
}

static void raw_form_with_dmesg_and_journal_prefixes(void **state)
{
	(void)state;
	const char *text =
		"[   12.345678] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:\n"
		"[   12.345690] arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000800000010\n"
		"[   12.345695] arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000020800000000\n"
		"[   12.345699] arm-smmu-v3 arm-smmu-v3.0.auto: \t0x00000000dead0000\n"
		"[   12.345703] arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000\n"
		"[   12.4] e1000e: some other message\n"
		"Nov 29 04:00:01 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: event 0x04 received:\n"
		"Nov 29 04:00:01 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000900000004\n"
		"Nov 29 04:00:01 host kernel: unrelated line between the words\n"
		"Nov 29 04:00:01 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000\n"
		"Nov 29 04:00:01 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000\n"
		"Nov 29 04:00:01 host kernel: arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000";
	assert_int_equal(parse(text), 2);
	assert_int_equal(sink.nitems, 0);
	struct smmu_logged_event *e = &log_.ev[0];
	assert_true(e->have_raw);
	assert_false(e->have_decoded);
	assert_int_equal(e->line, 1);
	assert_int_equal(e->raw[0], 0x10);
	assert_int_equal(field(e, "sid"), 8);
	assert_int_equal(field(e, "rnw"), 1);
	assert_int_equal(field(e, "class"), 2);
	assert_int_equal(field(e, "address"), 0xdead0000);
	e = &log_.ev[1];
	assert_int_equal(e->line, 7);
	assert_int_equal(e->raw[0], 0x04);
	assert_int_equal(field(e, "sid"), 9);
}

static void new_kernels_raw_then_decoded_is_one_event(void **state)
{
	(void)state;
	const char *text =
		"arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000800000010\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000020800000000\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x00000000dead0000\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: \t0x0000000000000000\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: event: F_TRANSLATION client: 0000:00:03.0 sid: 0x8 "
		"ssid: 0x0 iova: 0xdead0000 ipa: 0x0\n"
		"arm-smmu-v3 arm-smmu-v3.0.auto: unpriv data read s1 \"Input address caused fault\" "
		"stag: 0x0\n";
	assert_int_equal(parse(text), 1);
	assert_true(log_.ev[0].have_raw);
	assert_true(log_.ev[0].have_decoded);
	assert_string_equal(log_.ev[0].client, "0000:00:03.0");
}

static void decoded_form_alone_rebuilds_the_record(void **state)
{
	(void)state;
	const char *text =
		"[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: event: F_PERMISSION client: (unassigned sid) "
		"sid: 0x1f ssid: 0x3 iova: 0x40001000 ipa: 0x80002000\n"
		"[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: priv inst write s2 \"Stage 1 translation table "
		"fetch\" ttd_read stall stag: 0x2a\n"
		"[ 2.0] arm-smmu-v3 arm-smmu-v3.0.auto: event: C_BAD_STE client: 0000:00:01.0 sid: 0x9 "
		"ssid: 0x0\n";
	assert_int_equal(parse(text), 2);
	struct smmu_logged_event *e = &log_.ev[0];
	assert_false(e->have_raw);
	assert_true(e->have_decoded);
	assert_string_equal(e->client, "(unassigned sid)");
	assert_int_equal(e->raw[0], 0x13);
	assert_int_equal(field(e, "sid"), 0x1f);
	assert_int_equal(field(e, "ssid"), 3);
	assert_int_equal(field(e, "ssv"), 1);
	assert_int_equal(field(e, "address"), 0x40001000);
	assert_int_equal(field(e, "ipa"), 0x80002000);
	assert_int_equal(field(e, "pnu"), 1);
	assert_int_equal(field(e, "ind"), 1);
	assert_int_equal(field(e, "rnw"), 0);
	assert_int_equal(field(e, "s2"), 1);
	assert_int_equal(field(e, "class"), 1);
	assert_int_equal(field(e, "ttrnw"), 1);
	assert_int_equal(field(e, "stall"), 1);
	assert_int_equal(field(e, "stag"), 0x2a);
	e = &log_.ev[1];
	assert_int_equal(e->raw[0], 0x04);
	assert_int_equal(field(e, "sid"), 9);
	assert_int_equal(field(e, "ssv"), 0);
}

static void hostile_logs(void **state)
{
	(void)state;
	/* Cut short by another header, and by the end of the log. */
	assert_int_equal(parse("event 0x10 received:\n\t0x0000000800000010\n"
			       "event 0x04 received:\n\t0x0000000000000004\n"), 0);
	assert_int_equal(count("EVTLOG-INCOMPLETE"), 2);
	assert_int_equal(count("EVTLOG-NONE"), 1);
	/* Too many other lines between the header and its words. */
	char gap[1024] = "event 0x10 received:\n";
	for (unsigned i = 0; i < SMMU_EVTLOG_MAX_GAP + 1; i++)
		strcat(gap, "noise\n");
	strcat(gap, "\t0x0000000800000010\n\t0x0\n");
	assert_int_equal(parse(gap), 0);
	assert_int_equal(count("EVTLOG-INCOMPLETE"), 1);
	/* ... one fewer is fine. */
	strcpy(gap, "event 0x10 received:\n");
	for (unsigned i = 0; i < SMMU_EVTLOG_MAX_GAP; i++)
		strcat(gap, "noise\n");
	strcat(gap, ": 0x0000000800000010\n: 0x0000000000000000\n: 0x0000000000000000\n"
		    ": 0x0000000000000000\n");
	assert_int_equal(parse(gap), 1);
	assert_int_equal(sink.nitems, 0);
	/* Header and word 0 disagree. */
	assert_int_equal(parse("event 0x11 received:\n: 0x0000000800000010\n: 0x0000000000000000\n"
			       ": 0x0000000000000000\n: 0x0000000000000000\n"), 1);
	assert_int_equal(count("EVTLOG-MISMATCH"), 1);
	/* Words must be 16 digits; 17 is not a word. */
	assert_int_equal(parse("event 0x10 received:\n: 0x00000000800000010\n"), 0);
	assert_int_equal(count("EVTLOG-INCOMPLETE"), 1);
	/* A name pasidtool does not know. */
	assert_int_equal(parse("event: UNKNOWN client: x sid: 0x1 ssid: 0x0\n"), 0);
	assert_int_equal(count("EVTLOG-UNKNOWN"), 1);
	/* A truncated detail line is ignored, not read past its end. */
	assert_int_equal(parse("event: F_TRANSLATION client: x sid: 0x1 ssid: 0x0 iova: 0x1000 "
			       "ipa: 0x0\n: unpriv dat"), 1);
	/* A line longer than the cap is skipped with a note. */
	size_t big = SMMU_EVTLOG_MAX_LINE + 10;
	char *longl = malloc(big + 1);
	assert_non_null(longl);
	memset(longl, 'a', big);
	longl[big] = 0;
	assert_int_equal(parse(longl), 0);
	assert_int_equal(count("EVTLOG-LINE"), 1);
	free(longl);
	/* More events than the cap: the rest are counted, not stored. */
	const char *one = "event: C_BAD_STE client: x sid: 0x1 ssid: 0x0\n";
	size_t n = SMMU_EVTLOG_MAX_EVENTS + 3, ol = strlen(one);
	char *many = malloc(n * ol + 1);
	assert_non_null(many);
	for (size_t i = 0; i < n; i++)
		memcpy(many + i * ol, one, ol);
	many[n * ol] = 0;
	assert_int_equal(parse(many), SMMU_EVTLOG_MAX_EVENTS);
	assert_int_equal(log_.dropped, 3);
	assert_int_equal(count("EVTLOG-TOO-MANY"), 1);
	free(many);
	smmu_evtlog_free(&log_);
	pt_diag_free(&sink);
}

static void event_words(void **state)
{
	(void)state;
	uint8_t raw[SMMU_EVT_SIZE];
	char err[128];
	assert_int_equal(smmu_event_from_words("0x800000010,0x20800000000,0xdead0000,0", raw, err,
					       sizeof err), 0);
	assert_int_equal(pt_le64(raw, 0), 0x800000010);
	assert_int_equal(pt_le64(raw, 2), 0xdead0000);
	assert_int_equal(smmu_event_from_words("1,2,3", raw, err, sizeof err), -1);
	assert_int_equal(smmu_event_from_words("1,2,3,4,5", raw, err, sizeof err), -1);
	assert_int_equal(smmu_event_from_words("1,,3,4", raw, err, sizeof err), -1);
	assert_int_equal(smmu_event_from_words("1,2,3,zz", raw, err, sizeof err), -1);
	assert_int_equal(smmu_event_from_words("0x10000000000000000,2,3,4", raw, err, sizeof err),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_form_with_dmesg_and_journal_prefixes),
		cmocka_unit_test(new_kernels_raw_then_decoded_is_one_event),
		cmocka_unit_test(decoded_form_alone_rebuilds_the_record),
		cmocka_unit_test(hostile_logs),
		cmocka_unit_test(event_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
