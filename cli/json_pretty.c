/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --pretty: stdout becomes a stream that re-indents the compact JSON written
 * to it on the fly. Commands stream their JSON (an entry at a time), so a
 * filter keeps --pretty as flat in memory as the compact form and needs no
 * change in any command. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct pretty {
	FILE *out;
	unsigned depth;
	int in_string, escape;
	int open_pending;     /* a '{' or '[' whose first member is not yet seen */
	int wrote;
};

static struct pretty pp;
static FILE *real_stdout;

static void indent(struct pretty *p)
{
	fputc('\n', p->out);
	for (unsigned i = 0; i < p->depth; i++)
		fputs("  ", p->out);
}

static void before_value(struct pretty *p)
{
	if (p->open_pending) {
		p->open_pending = 0;
		indent(p);
	}
}

/* One byte of compact (or already indented) JSON: whitespace outside
 * strings is dropped and written anew. */
static void feed(struct pretty *p, char c)
{
	p->wrote = 1;
	if (p->in_string) {
		fputc(c, p->out);
		if (p->escape)
			p->escape = 0;
		else if (c == '\\')
			p->escape = 1;
		else if (c == '"')
			p->in_string = 0;
		return;
	}
	switch (c) {
	case ' ': case '\t': case '\n': case '\r':
		return;
	case '{': case '[':
		before_value(p);
		fputc(c, p->out);
		p->depth++;
		p->open_pending = 1;
		return;
	case '}': case ']':
		if (p->depth)
			p->depth--;
		if (!p->open_pending)
			indent(p);
		p->open_pending = 0;
		fputc(c, p->out);
		if (p->depth == 0)
			fputc('\n', p->out); /* one document a line, as JSON Lines */
		return;
	case ',':
		fputc(c, p->out);
		indent(p);
		return;
	case ':':
		fputs(": ", p->out);
		return;
	case '"':
		p->in_string = 1;
		/* fall through */
	default:
		before_value(p);
		fputc(c, p->out);
	}
}

static ssize_t pretty_write(void *cookie, const char *buf, size_t len)
{
	struct pretty *p = cookie;
	for (size_t i = 0; i < len; i++)
		feed(p, buf[i]);
	return ferror(p->out) ? -1 : (ssize_t)len;
}

int pt_json_pretty_begin(void)
{
	if (real_stdout)
		return 0;
	memset(&pp, 0, sizeof pp);
	pp.out = stdout;
	cookie_io_functions_t io = { NULL, pretty_write, NULL, NULL };
	FILE *f = fopencookie(&pp, "w", io);
	if (!f)
		return -1;
	real_stdout = stdout;
	stdout = f;
	return 0;
}

/* Returns 0, or the errno of the first failure (EIO when none was set):
 * the caller reports it, and a later fflush of the real stdout, its error
 * flag already set, no longer knows why. */
int pt_json_pretty_end(void)
{
	if (!real_stdout)
		return 0;
	FILE *f = stdout;
	int e = 0;
	errno = 0;
	if (fflush(f) != 0 || ferror(f))
		e = errno ? errno : EIO;
	stdout = real_stdout;
	real_stdout = NULL;
	errno = 0;
	if (fclose(f) != 0 && !e)
		e = errno ? errno : EIO;
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && !e)
		e = errno ? errno : EIO;
	return e;
}
