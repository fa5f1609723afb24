/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "emit.h"
#include "rule.h"
#include "suggest.h"

int pt_cli_color_for(const char *when, FILE *stream)
{
	if (!when || strcmp(when, "auto") == 0) {
		/* no-color.org: any non-empty NO_COLOR turns "auto" off. */
		const char *nc = getenv("NO_COLOR");
		return isatty(fileno(stream)) && !(nc && *nc);
	}
	if (strcmp(when, "always") == 0)
		return 1;
	if (strcmp(when, "never") == 0)
		return 0;
	return -1;
}

int pt_cli_set_color(const char *when, FILE *stream)
{
	int c = pt_cli_color_for(when, stream);
	if (c < 0)
		return -1;
	pt_cli.color = c;
	return 0;
}

int pt_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("pasidtool: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PT_EXIT_USAGE;
}

int pt_cli_u64(const char *opt, const char *arg, uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0) {
		pt_cli_usage_error("%s: '%s' is not a number (decimal or 0x-hex)", opt, arg);
		return -1;
	}
	return 0;
}

const char *pt_cli_suggest(const char *word, const char *const *words)
{
	return pt_suggest(word, words);
}

const char *const *pt_cli_rule_ids(void)
{
	static const char *ids[1024];
	size_t k = 0;
	for (size_t s = 0; s < pt_rules_count_sets(); s++) {
		const struct pt_rule_set *set = pt_rules_set(s);
		for (size_t i = 0; i < set->nrules && k + 1 < sizeof ids / sizeof ids[0]; i++)
			ids[k++] = set->rules[i].id;
	}
	ids[k] = NULL;
	return ids;
}

void pt_cli_rule_error(struct argp_state *st, const char *arg)
{
	const char *const *ids = pt_cli_rule_ids();
	char id[128];
	size_t n = strcspn(arg, "=");
	snprintf(id, sizeof id, "%.*s", (int)(n < sizeof id ? n : sizeof id - 1), arg);
	/* A prefix ("CD-*") is matched as typed: only a whole id is suggested. */
	const char *near = strchr(id, '*') ? NULL : pt_cli_suggest(id, ids);
	pt_cli_opt_error(st, "--rule %s: expected RULE-ID=off|note|warning|error with a known "
			 "rule id or prefix (see 'pasidtool rules')%s%s%s", arg,
			 near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
}

/* ---- progress ---- */

#define PROGRESS_FIRST_NS 500000000L   /* quick runs never show a line */
#define PROGRESS_MAX_DELAY_S 3600.0
#define PROGRESS_EVERY_NS 250000000L   /* at most four redraws a second */
#define PROGRESS_CHECK_EVERY 1024u     /* reading the clock per entry costs more than a CD */

static void after(struct timespec *t, long ns)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ns / 1000000000L;
	t->tv_nsec += ns % 1000000000L;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

void pt_cli_progress_start(struct pt_cli_progress *p, const char *what, uint64_t total,
			   int quiet)
{
	memset(p, 0, sizeof *p);
	p->enabled = !quiet && total > 0 && isatty(STDERR_FILENO);
	p->what = what ? what : "input";
	p->total = total;
	if (!p->enabled)
		return;
	/* Like git's GIT_PROGRESS_DELAY: seconds before the first line, so
	 * tests (and impatient users) can see it on small inputs. */
	long first = PROGRESS_FIRST_NS;
	const char *d = getenv("PASIDTOOL_PROGRESS_DELAY");
	if (d && *d) {
		char *end;
		double sec = strtod(d, &end);
		if (*end == '\0' && sec >= 0 && sec <= PROGRESS_MAX_DELAY_S)
			first = (long)(sec * 1e9);
	}
	after(&p->next, first);
}

void pt_cli_progress_update(struct pt_cli_progress *p, uint64_t done)
{
	pt_cli_progress_update_n(p, done, 1);
}

void pt_cli_progress_update_n(struct pt_cli_progress *p, uint64_t done, uint64_t n)
{
	if (!p->enabled)
		return;
	uint32_t before = p->calls;
	p->calls += (uint32_t)n;
	if (before / PROGRESS_CHECK_EVERY == p->calls / PROGRESS_CHECK_EVERY &&
	    n < PROGRESS_CHECK_EVERY)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < p->next.tv_sec ||
	    (now.tv_sec == p->next.tv_sec && now.tv_nsec < p->next.tv_nsec))
		return;
	if (done > p->total)
		done = p->total;
	fprintf(stderr, "\r%s: %llu of %llu SSIDs (%u%%)\033[K", p->what,
		(unsigned long long)done, (unsigned long long)p->total,
		(unsigned)(done * 100 / p->total));
	fflush(stderr);
	p->shown = 1;
	after(&p->next, PROGRESS_EVERY_NS);
}

void pt_cli_progress_clear(struct pt_cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->shown = 0;
	p->enabled = 0;
}
