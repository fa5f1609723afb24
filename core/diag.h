/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagnostics: one sink collects every finding (rule, severity, address, SSID
 * or SID, field, message), counts them, folds repeats, and prints them as
 * compiler-style text or as JSON objects. */
#ifndef PT_DIAG_H
#define PT_DIAG_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "rule.h"
#include "slots.h"

/* Stored findings are capped; beyond the cap only counts are kept. */
#define PT_DIAG_MAX_STORED 65536u
#define PT_DIAG_MSG_MAX 240

enum pt_diag_scope { PT_SCOPE_NONE, PT_SCOPE_SSID, PT_SCOPE_SID, PT_SCOPE_INDEX };

/* Consecutive stream ids (or other referrers) first..last. */
struct pt_id_range {
	uint32_t first, last;
};
/* Other referrers of a shared table a finding names, as ranges. */
#define PT_DIAG_ALSO 4u

struct pt_diag {
	const struct pt_rule *rule;
	enum pt_severity severity;   /* after user overrides */
	int has_addr;
	uint64_t addr;
	enum pt_diag_scope scope;
	uint32_t scope_id;           /* ssid, sid or L1 index */
	uint32_t sid;                /* stream id, when the walk started from an STE */
	int has_sid;
	/* The other stream ids that reach the same table (has_sid only). */
	uint32_t nalso;
	struct pt_id_range also[PT_DIAG_ALSO];
	uint32_t also_unlisted;      /* further ids not in `also` */
	const char *field;           /* static string or NULL */
	char msg[PT_DIAG_MSG_MAX];
	uint32_t repeat;             /* folded identical findings beyond the first */
};

struct pt_diag_sink {
	const char *input;           /* name printed before the address */
	FILE *text;                  /* print findings as they come (NULL: store only) */
	int color;                   /* ANSI colour on text output */
	int fold;                    /* fold repeats of the same rule+field+message */
	struct pt_diag *items;
	uint32_t nitems, cap;
	uint64_t dropped;            /* findings not stored because of the cap */
	uint64_t counts[PT_SEV_ERROR + 1];
	/* Context set by walkers so rules need not pass it down. */
	int ctx_has_sid;
	uint32_t ctx_sid;
	uint32_t ctx_nalso;          /* other referrers of the table walked */
	struct pt_id_range ctx_also[PT_DIAG_ALSO];
	uint32_t ctx_also_unlisted;
	struct pt_slots fold_slots;  /* index of stored findings, for folding */
	/* The first rule reported at each severity; with count_only, findings
	 * are counted and nothing else (no message is formatted or stored):
	 * for callers that judge thousands of candidates by their checks. */
	const struct pt_rule *first[PT_SEV_ERROR + 1];
	int count_only;
};

void pt_diag_init(struct pt_diag_sink *sink, const char *input, FILE *text);
void pt_diag_free(struct pt_diag_sink *sink);

/* Report a finding of `rule` (severity from overrides). addr_valid says
 * whether addr means anything. Returns the effective severity. */
enum pt_severity pt_diag_report(struct pt_diag_sink *sink, const struct pt_rule *rule,
				int addr_valid, uint64_t addr, enum pt_diag_scope scope,
				uint32_t scope_id, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* A finding whose message ends with what the hardware does (the rule's
 * effect), with the rule's own field when field is NULL: the form every
 * format's checks use. */
enum pt_severity pt_diag_vfinding(struct pt_diag_sink *sink, const struct pt_rule *rule,
				  uint64_t addr, enum pt_diag_scope scope, uint32_t scope_id,
				  const char *field, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));
enum pt_severity pt_diag_finding(struct pt_diag_sink *sink, const struct pt_rule *rule,
				 uint64_t addr, enum pt_diag_scope scope, uint32_t scope_id,
				 const char *field, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Print one finding as text: "INPUT:0xADDR: error: ssid 5: msg [RULE]". */
void pt_diag_print(const struct pt_diag_sink *sink, const struct pt_diag *d, FILE *out);

/* " (and sid 3, 5-9 and 2 more)": the other referrers of a shared table. */
void pt_diag_print_also(const struct pt_diag *d, FILE *out);

/* Print every stored finding (folded ones with their count). */
void pt_diag_flush_text(const struct pt_diag_sink *sink, FILE *out);

uint64_t pt_diag_errors(const struct pt_diag_sink *sink);

/* "2 errors, 1 warning, 0 notes" */
void pt_print_counts(FILE *out, uint64_t errors, uint64_t warnings, uint64_t notes);

#endif
