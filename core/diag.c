/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_SLOTS (PT_DIAG_MAX_STORED * 2u)

void pt_diag_init(struct pt_diag_sink *sink, const char *input, FILE *text)
{
	memset(sink, 0, sizeof *sink);
	sink->input = input;
	sink->text = text;
	sink->fold = 1;
}

void pt_diag_free(struct pt_diag_sink *sink)
{
	free(sink->items);
	pt_slots_free(&sink->fold_slots);
	sink->items = NULL;
	sink->nitems = sink->cap = 0;
}

static uint64_t fold_hash(const struct pt_rule *rule, const char *field, const char *msg)
{
	uint32_t h = 2166136261u;
	uintptr_t r = (uintptr_t)rule;
	for (unsigned i = 0; i < sizeof r; i++)
		h = (h ^ (uint8_t)(r >> (8 * i))) * 16777619u;
	for (const char *p = field ? field : ""; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (const char *p = msg; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

static int same_kind(const struct pt_diag *d, const struct pt_rule *rule, const char *field,
		     const char *msg)
{
	if (d->rule != rule)
		return 0;
	if ((d->field == NULL) != (field == NULL))
		return 0;
	if (field && strcmp(d->field, field) != 0)
		return 0;
	return strcmp(d->msg, msg) == 0;
}

static uint64_t item_key(const void *ctx, uint32_t i)
{
	const struct pt_diag *d = &((const struct pt_diag_sink *)ctx)->items[i];
	return fold_hash(d->rule, d->field, d->msg);
}

/* Returns the stored finding this one folds into, or NULL (then *slot_out
 * is where a new one goes, or NULL when the index is full). */
static struct pt_diag *fold_find(struct pt_diag_sink *sink, const struct pt_rule *rule,
				 const char *field, const char *msg, uint32_t **slot_out)
{
	*slot_out = NULL;
	if (pt_slots_reserve(&sink->fold_slots, FOLD_SLOTS, sink, item_key) != 0)
		return NULL;
	uint32_t *slot = pt_slots_first(&sink->fold_slots, fold_hash(rule, field, msg));
	for (; *slot; slot = pt_slots_next(&sink->fold_slots, slot))
		if (same_kind(&sink->items[*slot - 1], rule, field, msg))
			return &sink->items[*slot - 1];
	*slot_out = slot;
	return NULL;
}

static struct pt_diag *new_item(struct pt_diag_sink *sink)
{
	if (sink->nitems >= PT_DIAG_MAX_STORED)
		return NULL;
	if (sink->nitems == sink->cap) {
		uint32_t ncap = sink->cap ? sink->cap * 2 : 64;
		if (ncap > PT_DIAG_MAX_STORED)
			ncap = PT_DIAG_MAX_STORED;
		struct pt_diag *n = realloc(sink->items, ncap * sizeof *n);
		if (!n)
			return NULL;
		sink->items = n;
		sink->cap = ncap;
	}
	struct pt_diag *d = &sink->items[sink->nitems++];
	memset(d, 0, sizeof *d);
	return d;
}

enum pt_severity pt_diag_report(struct pt_diag_sink *sink, const struct pt_rule *rule,
				int addr_valid, uint64_t addr, enum pt_diag_scope scope,
				uint32_t scope_id, const char *field, const char *fmt, ...)
{
	enum pt_severity sev = pt_rule_severity(rule);
	if (sev == PT_SEV_OFF)
		return sev;
	sink->counts[sev]++;
	if (!sink->first[sev])
		sink->first[sev] = rule;
	if (sink->count_only)
		return sev;

	char msg[PT_DIAG_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	uint32_t *slot = NULL;
	if (sink->fold) {
		struct pt_diag *prev = fold_find(sink, rule, field, msg, &slot);
		if (prev) {
			prev->repeat++;
			return sev;
		}
	}
	struct pt_diag *d = new_item(sink);
	if (!d) {
		sink->dropped++;
		return sev;
	}
	d->rule = rule;
	d->severity = sev;
	d->has_addr = addr_valid;
	d->addr = addr;
	d->scope = scope;
	d->scope_id = scope_id;
	d->has_sid = sink->ctx_has_sid;
	d->sid = sink->ctx_sid;
	if (sink->ctx_has_sid) {
		d->nalso = sink->ctx_nalso;
		memcpy(d->also, sink->ctx_also, sizeof d->also);
		d->also_unlisted = sink->ctx_also_unlisted;
	}
	d->field = field;
	memcpy(d->msg, msg, sizeof msg);
	if (slot)
		pt_slots_put(&sink->fold_slots, slot, sink->nitems - 1);
	if (sink->text && !sink->fold)
		pt_diag_print(sink, d, sink->text);
	return sev;
}

enum pt_severity pt_diag_vfinding(struct pt_diag_sink *sink, const struct pt_rule *rule,
				  uint64_t addr, enum pt_diag_scope scope, uint32_t scope_id,
				  const char *field, const char *fmt, va_list ap)
{
	if (sink->count_only)
		return pt_diag_report(sink, rule, 1, addr, scope, scope_id, field, "%s", "");
	char msg[PT_DIAG_MSG_MAX - 64];
	vsnprintf(msg, sizeof msg, fmt, ap);
	return pt_diag_report(sink, rule, 1, addr, scope, scope_id, field ? field : rule->field,
			      "%s: %s", msg, rule->effect);
}

enum pt_severity pt_diag_finding(struct pt_diag_sink *sink, const struct pt_rule *rule,
				 uint64_t addr, enum pt_diag_scope scope, uint32_t scope_id,
				 const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum pt_severity sev = pt_diag_vfinding(sink, rule, addr, scope, scope_id, field, fmt, ap);
	va_end(ap);
	return sev;
}

void pt_diag_print_also(const struct pt_diag *d, FILE *out)
{
	if (!d->nalso && !d->also_unlisted)
		return;
	fputs(" (and sid", out);
	for (uint32_t i = 0; i < d->nalso && i < PT_DIAG_ALSO; i++) {
		fprintf(out, "%s %u", i ? "," : "", d->also[i].first);
		if (d->also[i].last != d->also[i].first)
			fprintf(out, "-%u", d->also[i].last);
	}
	if (d->also_unlisted)
		fprintf(out, "%s %u more", d->nalso ? " and" : "", d->also_unlisted);
	fputc(')', out);
}

static const char *const sev_color[] = { "", "\033[1;36m", "\033[1;35m", "\033[1;31m" };

void pt_diag_print(const struct pt_diag_sink *sink, const struct pt_diag *d, FILE *out)
{
	fputs(sink->input ? sink->input : "<input>", out);
	if (d->has_addr)
		fprintf(out, ":0x%llx", (unsigned long long)d->addr);
	if (sink->color)
		fprintf(out, ": %s%s\033[0m: ", sev_color[d->severity], pt_severity_name(d->severity));
	else
		fprintf(out, ": %s: ", pt_severity_name(d->severity));
	if (d->has_sid) {
		fprintf(out, "sid %u", d->sid);
		pt_diag_print_also(d, out);
		fputs(": ", out);
	}
	switch (d->scope) {
	case PT_SCOPE_SSID: fprintf(out, "ssid %u: ", d->scope_id); break;
	case PT_SCOPE_SID: fprintf(out, "sid %u: ", d->scope_id); break;
	case PT_SCOPE_INDEX: fprintf(out, "l1[%u]: ", d->scope_id); break;
	case PT_SCOPE_NONE: break;
	}
	fputs(d->msg, out);
	if (d->repeat)
		fprintf(out, " (and %u more like this)", d->repeat);
	fprintf(out, " [%s]\n", d->rule->id);
}

void pt_diag_flush_text(const struct pt_diag_sink *sink, FILE *out)
{
	for (uint32_t i = 0; i < sink->nitems; i++)
		pt_diag_print(sink, &sink->items[i], out);
	if (sink->dropped)
		fprintf(out, "%s: note: %llu further findings not shown (limit %u)\n",
			sink->input ? sink->input : "<input>", (unsigned long long)sink->dropped,
			PT_DIAG_MAX_STORED);
}

uint64_t pt_diag_errors(const struct pt_diag_sink *sink)
{
	return sink->counts[PT_SEV_ERROR];
}

void pt_print_counts(FILE *out, uint64_t errors, uint64_t warnings, uint64_t notes)
{
	static const char *const names[] = { "error", "warning", "note" };
	const uint64_t n[] = { errors, warnings, notes };
	for (int i = 0; i < 3; i++)
		fprintf(out, "%s%llu %s%s", i ? ", " : "", (unsigned long long)n[i], names[i],
			n[i] == 1 ? "" : "s");
}
