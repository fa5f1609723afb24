/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SMMUv3 events as the Linux driver logs them: the raw form every version
 * prints ("event 0x10 received:" then four "0x%016llx" lines) and the decoded
 * form newer ones add ("event: F_TRANSLATION client: 0000:00:03.0 sid: 0x8
 * ssid: 0x0 iova: 0x... ipa: 0x..." and "unpriv data read s1 \"Input address
 * caused fault\" stall stag: 0x0"), behind any dmesg or journalctl prefix.
 * Each logged event becomes a 32-byte record decoded by the event field
 * tables like one read from the event queue. */
#ifndef PT_SMMUV3_EVTLOG_H
#define PT_SMMUV3_EVTLOG_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "rule.h"
#include "smmuv3_queue.h"

/* Caps against hostile logs. */
#define SMMU_EVTLOG_MAX_EVENTS 4096u
#define SMMU_EVTLOG_MAX_LINE 4096u
/* Lines of other messages allowed between "received:" and its words. */
#define SMMU_EVTLOG_MAX_GAP 8u

struct smmu_logged_event {
	uint8_t raw[SMMU_EVT_SIZE];
	int have_raw;            /* the four words were in the log */
	int have_decoded;        /* the "event: NAME client: ..." line was */
	char client[64];         /* device named by the decoded line, or "" */
	unsigned line;           /* first line of the event (1-based) */
	uint64_t offset;         /* byte offset of that line */
};

struct smmu_evtlog {
	struct smmu_logged_event *ev;
	size_t n, cap;
	uint64_t dropped;        /* events beyond SMMU_EVTLOG_MAX_EVENTS */
};

/* Parse a log excerpt. Findings (EVTLOG-* rules) go to diags, with the byte
 * offset of the line as address. Returns the number of events found, or -1
 * when memory runs out. */
long smmu_evtlog_parse(const char *text, size_t len, struct smmu_evtlog *log,
		       struct pt_diag_sink *diags);
void smmu_evtlog_free(struct smmu_evtlog *log);

/* An event from four words "W0,W1,W2,W3" (--event); 0, or -1 with err set. */
int smmu_event_from_words(const char *spec, uint8_t raw[SMMU_EVT_SIZE], char *err,
			  size_t errlen);

enum smmu_evtlog_rule_id {
	R_EVTLOG_INCOMPLETE, R_EVTLOG_MISMATCH, R_EVTLOG_UNKNOWN, R_EVTLOG_TOO_MANY,
	R_EVTLOG_LINE, R_EVTLOG_NONE,
	R_EVTLOG_COUNT
};
extern const struct pt_rule smmu_evtlog_rule_list[R_EVTLOG_COUNT];
extern const struct pt_rule_set smmu_evtlog_rules;

#endif
