/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "emit.h"

struct pt_cli_common pt_cli;

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

/* Optimal string alignment distance, bounded: names are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *pt_cli_suggest(const char *word, const char *const *words)
{
	const char *best = NULL;
	size_t bestd = 3; /* farther than this is not a typo */
	for (size_t i = 0; words[i]; i++) {
		size_t dd = distance(word, words[i]);
		if (dd < bestd) {
			bestd = dd;
			best = words[i];
		}
	}
	for (size_t i = 0; !best && words[i] && *word; i++)
		if (strncmp(word, words[i], strlen(word)) == 0)
			best = words[i];
	return best;
}

/* ---- unknown long options ---- */

#define MAX_LONG_OPTS 128

struct optlist {
	const char *names[MAX_LONG_OPTS + 1];
	int takes_arg[MAX_LONG_OPTS];
	size_t n;
	/* Short options: key -> takes an argument (1) or not (0), -1 unknown. */
	signed char short_arg[128];
};

static int opt_is_end(const struct argp_option *o)
{
	return !o->key && !o->name && !o->doc && !o->group;
}

static void add_long(struct optlist *l, const char *name, int arg)
{
	if (l->n < MAX_LONG_OPTS) {
		l->names[l->n] = name;
		l->takes_arg[l->n++] = arg;
		l->names[l->n] = NULL;
	}
}

static void collect(struct optlist *l, const struct argp *argp, unsigned depth)
{
	if (!argp || depth > 8)
		return;
	int arg = 0;
	for (const struct argp_option *o = argp->options; o && !opt_is_end(o); o++) {
		if (o->flags & OPTION_DOC)
			continue;
		/* An alias shares the argument of the option before it. */
		if (!(o->flags & OPTION_ALIAS))
			arg = o->arg && !(o->flags & OPTION_ARG_OPTIONAL);
		if (o->name)
			add_long(l, o->name, arg);
		if (o->key > ' ' && o->key < 127)
			l->short_arg[o->key] = (signed char)arg;
	}
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		collect(l, c->argp, depth + 1);
}

/* Index of the option `name` (length len) selects: exact, or the one option
 * it abbreviates; -1 unknown, -2 ambiguous (getopt explains that itself). */
static int lookup(const struct optlist *l, const char *name, size_t len)
{
	int found = -1;
	for (size_t i = 0; i < l->n; i++) {
		if (strncmp(l->names[i], name, len) != 0)
			continue;
		if (l->names[i][len] == '\0')
			return (int)i;
		found = found == -1 ? (int)i : -2;
	}
	return found;
}

int pt_cli_check_options(const struct argp *argp, const char *cmd, int argc, char **argv)
{
	static struct optlist l;
	memset(&l, 0, sizeof l);
	memset(l.short_arg, -1, sizeof l.short_arg);
	collect(&l, argp, 0);
	/* argp's own options, present in every command. */
	add_long(&l, "help", 0);
	add_long(&l, "usage", 0);
	add_long(&l, "version", 0);
	add_long(&l, "program-name", 1);
	add_long(&l, "HANG", 0);
	l.short_arg['?'] = 0;
	l.short_arg['V'] = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (a[1] != '-') {
			/* A cluster "-qo FILE": skip the argument of the first
			 * short option that takes one. */
			for (const char *c = a + 1; *c; c++) {
				int k = (unsigned char)*c < 128 ? l.short_arg[(unsigned char)*c] : -1;
				if (k == 1) {
					if (c[1] == '\0')
						i++;
					break;
				}
				if (k < 0)
					break; /* argp reports it */
			}
			continue;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		int idx = lookup(&l, name, len);
		if (idx >= 0) {
			if (l.takes_arg[idx] && !eq)
				i++;
			continue;
		}
		if (idx == -2)
			continue;
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), name);
		const char *near = pt_cli_suggest(word, l.names);
		fprintf(stderr, "pasidtool: error: %s: unknown option '--%s'", cmd, word);
		if (near)
			fprintf(stderr, "; did you mean '--%s'?", near);
		fprintf(stderr, "\nTry 'pasidtool %s --help'.\n", cmd);
		return PT_EXIT_USAGE;
	}
	return 0;
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
	if (!p->enabled || ++p->calls % PROGRESS_CHECK_EVERY)
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
