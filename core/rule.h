/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Validation rules as data: every rule id pasidtool can report is declared once
 * in a table like this, and `pasidtool rules`, docs/rules.md and the checks
 * themselves all read that declaration. */
#ifndef PT_RULE_H
#define PT_RULE_H

#include <stddef.h>

enum pt_severity {
	PT_SEV_OFF = 0, /* a rule the user turned off */
	PT_SEV_NOTE,
	PT_SEV_WARNING,
	PT_SEV_ERROR,
};

struct pt_rule {
	const char *id;          /* stable, upper case: "CD-TG0-RESERVED" */
	enum pt_severity severity; /* default severity */
	const char *field;       /* field the rule is about, lower case, or NULL */
	const char *summary;     /* one line: the condition that is reported */
	const char *effect;      /* what the hardware or model does: "C_BAD_CD (0x0a)" */
	const char *source;      /* where the rule comes from: "IHI 0070 G.b §5.4.2" */
};

struct pt_rule_set {
	const char *name;        /* "smmuv3-cd", "source", ... */
	const struct pt_rule *rules;
	size_t nrules;
};

/* Rule sets register themselves (from formats/ and core/) so that listing and
 * per-id severity overrides do not need to know who declared what. */
void pt_rules_register(const struct pt_rule_set *set);
size_t pt_rules_count_sets(void);
const struct pt_rule_set *pt_rules_set(size_t i);
const struct pt_rule *pt_rule_find(const char *id);

const char *pt_severity_name(enum pt_severity sev);
int pt_severity_parse(const char *s, enum pt_severity *out);

/* User overrides: "CD-TG0-RESERVED=off", "CD-*=warning". Later ones win.
 * Returns 0, or -1 when the spec is malformed or matches no rule. */
int pt_rules_override(const char *spec);
enum pt_severity pt_rule_severity(const struct pt_rule *rule);
void pt_rules_reset_overrides(void);

#endif
