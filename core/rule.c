/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "rule.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SETS 32
#define MAX_OVERRIDES 128

static const struct pt_rule_set *sets[MAX_SETS];
static size_t nsets;

struct override {
	char pattern[64];
	enum pt_severity sev;
};
static struct override overrides[MAX_OVERRIDES];
static size_t noverrides;

void pt_rules_register(const struct pt_rule_set *set)
{
	for (size_t i = 0; i < nsets; i++)
		if (sets[i] == set)
			return;
	if (nsets < MAX_SETS)
		sets[nsets++] = set;
}

size_t pt_rules_count_sets(void)
{
	return nsets;
}

const struct pt_rule_set *pt_rules_set(size_t i)
{
	return i < nsets ? sets[i] : NULL;
}

const struct pt_rule *pt_rule_find(const char *id)
{
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s]->nrules; i++)
			if (strcasecmp(sets[s]->rules[i].id, id) == 0)
				return &sets[s]->rules[i];
	return NULL;
}

static const char *const sev_names[] = { "off", "note", "warning", "error" };

const char *pt_severity_name(enum pt_severity sev)
{
	return sev <= PT_SEV_ERROR ? sev_names[sev] : "?";
}

int pt_severity_parse(const char *s, enum pt_severity *out)
{
	for (unsigned i = 0; i <= PT_SEV_ERROR; i++) {
		if (strcasecmp(s, sev_names[i]) == 0) {
			*out = (enum pt_severity)i;
			return 0;
		}
	}
	if (strcasecmp(s, "warn") == 0) {
		*out = PT_SEV_WARNING;
		return 0;
	}
	return -1;
}

static int matches_any(const char *pattern)
{
	for (size_t s = 0; s < nsets; s++)
		for (size_t i = 0; i < sets[s]->nrules; i++)
			if (fnmatch(pattern, sets[s]->rules[i].id, FNM_CASEFOLD) == 0)
				return 1;
	return 0;
}

int pt_rules_override(const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof overrides[0].pattern)
		return -1;
	if (noverrides >= MAX_OVERRIDES)
		return -1;
	struct override *o = &overrides[noverrides];
	memcpy(o->pattern, spec, (size_t)(eq - spec));
	o->pattern[eq - spec] = '\0';
	if (pt_severity_parse(eq + 1, &o->sev) != 0 || !matches_any(o->pattern))
		return -1;
	noverrides++;
	return 0;
}

enum pt_severity pt_rule_severity(const struct pt_rule *rule)
{
	enum pt_severity sev = rule->severity;
	for (size_t i = 0; i < noverrides; i++)
		if (fnmatch(overrides[i].pattern, rule->id, FNM_CASEFOLD) == 0)
			sev = overrides[i].sev;
	return sev;
}

void pt_rules_reset_overrides(void)
{
	noverrides = 0;
}
