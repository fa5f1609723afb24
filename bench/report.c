/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark's table: printed on the terminal and written into
 * docs/performance.md between two markers, so the prose around it (what
 * dominated, what changed) survives every run while the figures are always
 * this run's. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define BEGIN_MARK "<!-- bench:begin (written by `make bench`; edits here are lost) -->"
#define END_MARK "<!-- bench:end -->"
#define NCOLS 6
#define CELL 96

struct row {
	char col[NCOLS][CELL];
};

struct bench_report {
	struct row *rows;
	size_t n, cap;
	char notes[4096];
};

static const char *const heads[NCOLS] = { "group", "case", "figure", "value", "target",
					   "verdict" };

struct bench_report *bench_report_new(void)
{
	return calloc(1, sizeof(struct bench_report));
}

void bench_report_free(struct bench_report *r)
{
	if (r)
		free(r->rows);
	free(r);
}

void bench_report_row(struct bench_report *r, const char *group, const char *what,
		      const char *figure, const char *value, const char *target,
		      const char *verdict)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 32;
		struct row *n = realloc(r->rows, ncap * sizeof *n);
		if (!n)
			return;
		r->rows = n;
		r->cap = ncap;
	}
	const char *v[NCOLS] = { group, what, figure, value, target, verdict };
	struct row *row = &r->rows[r->n++];
	for (int c = 0; c < NCOLS; c++)
		snprintf(row->col[c], CELL, "%s", v[c] ? v[c] : "");
}

void bench_report_note(struct bench_report *r, const char *fmt, ...)
{
	size_t used = strlen(r->notes);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->notes + used, sizeof r->notes - used, fmt, ap);
	va_end(ap);
}

void bench_report_print(const struct bench_report *r)
{
	size_t w[NCOLS];
	for (int c = 0; c < NCOLS; c++) {
		w[c] = strlen(heads[c]);
		for (size_t i = 0; i < r->n; i++)
			if (strlen(r->rows[i].col[c]) > w[c])
				w[c] = strlen(r->rows[i].col[c]);
	}
	for (int c = 0; c < NCOLS; c++)
		printf("%-*s%s", (int)w[c], heads[c], c + 1 < NCOLS ? "  " : "\n");
	for (size_t i = 0; i < r->n; i++)
		for (int c = 0; c < NCOLS; c++)
			printf(c == 3 ? "%*s%s" : "%-*s%s", (int)w[c], r->rows[i].col[c],
			       c + 1 < NCOLS ? "  " : "\n");
	fputs(r->notes, stdout);
}

static void write_table(const struct bench_report *r, FILE *f, const char *machine)
{
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "%s\n\nMeasured %s on:\n\n%s\n", BEGIN_MARK, when, machine);
	fprintf(f, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|--:|---|---|\n", heads[0],
		heads[1], heads[2], heads[3], heads[4], heads[5]);
	for (size_t i = 0; i < r->n; i++) {
		const struct row *row = &r->rows[i];
		fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", row->col[0], row->col[1],
			row->col[2], row->col[3], row->col[4], row->col[5]);
	}
	fprintf(f, "\n%s\n%s\n", r->notes, END_MARK);
}

/* The whole file, or NULL when it does not exist yet. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[4096];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

int bench_report_markdown(const struct bench_report *r, const char *path, const char *machine)
{
	char *old = slurp(path);
	const char *b = old ? strstr(old, "<!-- bench:begin") : NULL;
	const char *e = b ? strstr(b, END_MARK) : NULL;
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		free(old);
		return -1;
	}
	if (b && e) {
		fwrite(old, 1, (size_t)(b - old), f);
		write_table(r, f, machine);
		fputs(e + strlen(END_MARK) + (e[strlen(END_MARK)] == '\n'), f);
	} else {
		fputs("# Performance\n\n", f);
		write_table(r, f, machine);
	}
	free(old);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		remove(tmp);
		return -1;
	}
	return 0;
}
