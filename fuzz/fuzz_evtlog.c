/* SPDX-License-Identifier: GPL-2.0-or-later */
/* evtlog: a kernel log excerpt as `explain --event-log` reads it
 * (formats/smmuv3_evtlog.c). Input: the log text, any bytes.
 * Checks: the parser stays inside the text and under its caps; every event
 * it returns decodes with its event's field table, prints as JSON and
 * builds back from that JSON into the same 32 bytes; an event with logged
 * words has an id that is its word 0's low byte. */
#include "fuzz.h"
#include "smmuv3_evtlog.h"

static void check_event(const struct smmu_logged_event *e)
{
	const struct pt_struct *st = pt_family_struct(&smmu_evt_family, e->raw);
	FZ_CHECK(st && st->size == SMMU_EVT_SIZE, "event 0x%02x: no layout", e->raw[0]);
	json_t *obj = json_object();
	json_object_set_new(obj, "raw", pt_struct_raw_json(st, e->raw));
	json_object_set_new(obj, "fields", pt_struct_fields_json(st, e->raw));
	uint8_t back[SMMU_EVT_SIZE] = { 0 };
	char err[256];
	FZ_CHECK(pt_struct_from_json(st, obj, back, err, sizeof err) == 0, "%s: %s", st->name,
		 err);
	FZ_CHECK(memcmp(back, e->raw, SMMU_EVT_SIZE) == 0, "%s: JSON does not build back",
		 st->name);
	/* Without "raw" the fields alone must give the same bytes too. */
	json_object_del(obj, "raw");
	memset(back, 0, sizeof back);
	FZ_CHECK(pt_struct_from_json(st, obj, back, err, sizeof err) == 0, "%s: %s", st->name,
		 err);
	FZ_CHECK(memcmp(back, e->raw, SMMU_EVT_SIZE) == 0, "%s: fields alone do not build back",
		 st->name);
	json_decref(obj);
	FZ_CHECK(e->client[sizeof e->client - 1] == 0, "client name not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "log", NULL);
	struct smmu_evtlog log;
	memset(&log, 0, sizeof log);
	long n = smmu_evtlog_parse((const char *)data, size, &log, &diags);
	FZ_CHECK(n >= 0 && (size_t)n == log.n && log.n <= SMMU_EVTLOG_MAX_EVENTS,
		 "%ld events", n);
	for (size_t i = 0; i < log.n; i++) {
		FZ_CHECK(log.ev[i].offset < size || size == 0, "event %zu outside the log", i);
		check_event(&log.ev[i]);
	}
	smmu_evtlog_free(&log);
	pt_diag_free(&diags);
	return 0;
}
