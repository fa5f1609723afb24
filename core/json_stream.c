/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json_stream.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Read in pieces this large; a value must fit the buffer whole, so the
 * buffer grows (up to max_value) only for a value that needs it. */
#define CHUNK ((size_t)1 << 18)

void pt_js_init(struct pt_jstream *s, FILE *f, size_t max_value)
{
	memset(s, 0, sizeof *s);
	s->f = f;
	s->max_value = max_value;
	s->line = 1;
}

void pt_js_free(struct pt_jstream *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->pos = s->cap = 0;
}

/* jansson counts a column for every byte that can start a UTF-8 sequence
 * (utf8_check_first), so positions agree with a whole-document parse. */
static int starts_char(unsigned char c)
{
	return c < 0x80 || (c >= 0xc2 && c <= 0xf4);
}

static void advance(unsigned long *line, unsigned long *col, const char *p, size_t n)
{
	const char *end = p + n, *nl = memrchr(p, '\n', n);
	if (nl) {
		for (const char *q = memchr(p, '\n', n); q;
		     q = q < nl ? memchr(q + 1, '\n', (size_t)(nl - q)) : NULL)
			++*line;
		*col = 0;
		p = nl + 1;
	}
	for (; p < end; p++)
		*col += starts_char((unsigned char)*p);
}

/* Line and column after buf[0..at). */
static void position(const struct pt_jstream *s, size_t at, unsigned long *line,
		     unsigned long *col)
{
	*line = s->line;
	*col = s->column;
	advance(line, col, s->buf, at);
}

static int fail_at(struct pt_jstream *s, unsigned long line, unsigned long col, const char *fmt,
		   va_list ap) __attribute__((format(printf, 4, 0)));
static int fail_at(struct pt_jstream *s, unsigned long line, unsigned long col, const char *fmt,
		   va_list ap)
{
	if (s->failed)
		return -1;
	s->failed = 1;
	s->err_line = line;
	s->err_column = col;
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	return -1;
}

/* An error whose position is just after buf[0..at), as jansson places an
 * error after the token it could not use. */
static int fail_after(struct pt_jstream *s, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_after(struct pt_jstream *s, size_t at, const char *fmt, ...)
{
	unsigned long line, col;
	position(s, at, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	fail_at(s, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int pt_js_fail(struct pt_jstream *s, const char *fmt, ...)
{
	unsigned long line, col;
	position(s, s->pos, &line, &col);
	va_list ap;
	va_start(ap, fmt);
	fail_at(s, line, col + 1, fmt, ap);
	va_end(ap);
	return -1;
}

int pt_js_fail_key(struct pt_jstream *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fail_at(s, s->key_line, s->key_column, fmt, ap);
	va_end(ap);
	return -1;
}

/* Drop what was consumed and read more: 1 when bytes were added, 0 at the
 * end of the input, -1 on error (too large, read error). */
static int fill(struct pt_jstream *s)
{
	if (s->pos) {
		advance(&s->line, &s->column, s->buf, s->pos);
		memmove(s->buf, s->buf + s->pos, s->len - s->pos);
		s->consumed += s->pos;
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->eof || s->failed)
		return s->failed ? -1 : 0;
	if (s->cap - s->len < CHUNK / 2) {
		size_t cap = s->cap ? s->cap * 2 : CHUNK;
		char *nb = realloc(s->buf, cap);
		if (!nb)
			return fail_after(s, 0, "out of memory");
		s->buf = nb;
		s->cap = cap;
	}
	size_t n = fread(s->buf + s->len, 1, s->cap - s->len, s->f);
	s->len += n;
	if (n == 0) {
		s->eof = 1;
		if (ferror(s->f)) {
			s->read_error = 1;
			return fail_after(s, 0, "read error");
		}
	}
	return n ? 1 : 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int pt_js_peek(struct pt_jstream *s)
{
	for (;;) {
		while (s->pos < s->len && is_space((unsigned char)s->buf[s->pos]))
			s->pos++;
		if (s->pos < s->len)
			return (unsigned char)s->buf[s->pos];
		if (fill(s) <= 0)
			return -1;
	}
}

/* Where a scalar token (number, literal, string) starting at buf[from]
 * ends, relative to buf, reading more as needed; from is kept in memory. */
struct scan {
	int depth, in_string, escaped;
};

static int scan_byte(struct scan *st, unsigned char c, int first)
{
	if (st->in_string) {
		if (st->escaped)
			st->escaped = 0;
		else if (c == '\\')
			st->escaped = 1;
		else if (c == '"')
			st->in_string = 0;
		return st->depth == 0 && !st->in_string;
	}
	switch (c) {
	case '"': st->in_string = 1; return 0;
	case '{': case '[': st->depth++; return 0;
	case '}': case ']':
		if (first)
			return 1;
		return --st->depth <= 0;
	default: return 0;
	}
}

/* A scalar ends before punctuation or white space. */
static int ends_scalar(unsigned char c)
{
	return is_space(c) || c == ',' || c == ':' || c == '{' || c == '}' || c == '[' ||
	       c == ']' || c == '"';
}

/* Length of the value at s->pos (kept in memory, s->pos unchanged): up to
 * its closing bracket or quote, or the end of a scalar, or the end of the
 * input when it does not close (jansson then says what is missing). */
static int value_length(struct pt_jstream *s, size_t *out)
{
	struct scan st = { 0, 0, 0 };
	size_t i = 0;
	unsigned char c0 = (unsigned char)s->buf[s->pos];
	int scalar = c0 != '{' && c0 != '[' && c0 != '"';
	for (;;) {
		for (; s->pos + i < s->len; i++) {
			unsigned char c = (unsigned char)s->buf[s->pos + i];
			/* Held whole, so capped: a byte more than allowed is too
			 * many unless it ends a scalar. */
			if (i >= s->max_value && !(scalar && ends_scalar(c))) {
				s->too_big = 1;
				return fail_after(s, s->pos, "a JSON value larger than %zu bytes",
						  s->max_value);
			}
			if (scalar) {
				if (i > 0 && ends_scalar(c)) {
					*out = i;
					return 0;
				}
				continue;
			}
			if (scan_byte(&st, c, i == 0)) {
				*out = i + 1;
				return 0;
			}
		}
		int rc = fill(s);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			*out = i;
			return 0;
		}
	}
}

/* The token at s->pos, for a message: "near 'x'". */
static void near(struct pt_jstream *s, char *buf, size_t len, size_t *tok)
{
	size_t n = 0;
	if (s->pos < s->len && value_length(s, &n) == 0 && n) {
		unsigned char c = (unsigned char)s->buf[s->pos];
		/* Brackets are tokens of one byte. */
		if (c == '{' || c == '[')
			n = 1;
		snprintf(buf, len, "near '%.*s'", (int)(n < 20 ? n : 20), s->buf + s->pos);
	} else {
		snprintf(buf, len, "near end of file");
	}
	*tok = n;
}

static int unexpected(struct pt_jstream *s, const char *what)
{
	char nb[40];
	size_t n;
	near(s, nb, sizeof nb, &n);
	return fail_after(s, s->pos + (n ? n : 0), "%s %s", what, nb);
}

int pt_js_expect(struct pt_jstream *s, int c, const char *what)
{
	if (pt_js_peek(s) == c) {
		s->pos++;
		return 0;
	}
	return s->failed ? -1 : unexpected(s, what);
}

int pt_js_item(struct pt_jstream *s, size_t *n)
{
	int c = pt_js_peek(s);
	if (c == ']') {
		s->pos++;
		return 0;
	}
	if (*n && pt_js_expect(s, ',', "',' or ']' expected") != 0)
		return -1;
	++*n;
	return s->failed ? -1 : 1;
}

int pt_js_member(struct pt_jstream *s, size_t *n, char **key)
{
	*key = NULL;
	int c = pt_js_peek(s);
	if (c == '}' && *n == 0) {
		s->pos++;
		return 0;
	}
	if (*n) {
		if (c == '}') {
			s->pos++;
			return 0;
		}
		if (pt_js_expect(s, ',', "',' or '}' expected") != 0)
			return -1;
	}
	if (pt_js_peek(s) != '"')
		return s->failed ? -1 : unexpected(s, "string or '}' expected");
	json_t *k = pt_js_value(s);
	if (!k)
		return -1;
	*key = strdup(json_string_value(k));
	json_decref(k);
	position(s, s->pos, &s->key_line, &s->key_column);
	if (!*key)
		return pt_js_fail(s, "out of memory");
	if (pt_js_expect(s, ':', "':' expected") != 0) {
		free(*key);
		*key = NULL;
		return -1;
	}
	++*n;
	return 1;
}

int pt_js_extent(struct pt_jstream *s, const char **text, size_t *len)
{
	if (pt_js_peek(s) < 0)
		return s->failed ? -1 : unexpected(s, "a value expected");
	size_t n;
	if (value_length(s, &n) != 0)
		return -1;
	*text = s->buf + s->pos;
	*len = n;
	s->pos += n;
	return 0;
}

static json_t *parse(struct pt_jstream *s, const char *text, size_t len, size_t flags)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, flags | JSON_REJECT_DUPLICATES, &je);
	if (j)
		return j;
	unsigned long line, col;
	position(s, (size_t)(text - s->buf), &line, &col);
	if (je.line <= 1)
		col += je.column > 0 ? (unsigned long)je.column : 0;
	else {
		line += (unsigned long)je.line - 1;
		col = je.column > 0 ? (unsigned long)je.column : 0;
	}
	if (!s->failed) {
		s->failed = 1;
		s->err_line = line;
		s->err_column = col;
		snprintf(s->err, sizeof s->err, "%s", je.text);
	}
	return NULL;
}

json_t *pt_js_parse_extent(struct pt_jstream *s, const char *text, size_t len)
{
	return parse(s, text, len, JSON_DECODE_ANY);
}

json_t *pt_js_value(struct pt_jstream *s)
{
	const char *text;
	size_t len;
	if (pt_js_extent(s, &text, &len) != 0)
		return NULL;
	return pt_js_parse_extent(s, text, len);
}

json_t *pt_js_document(struct pt_jstream *s)
{
	const char *text;
	size_t len;
	/* At the end of the input, jansson words the error. */
	if (pt_js_peek(s) < 0 && !s->failed)
		return parse(s, s->buf + s->pos, 0, 0);
	if (pt_js_extent(s, &text, &len) != 0)
		return NULL;
	json_t *j = parse(s, text, len, 0);
	if (j && pt_js_end(s) != 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int pt_js_window(struct pt_jstream *s, size_t want, const char **text, size_t *avail)
{
	if (pt_js_peek(s) < 0)
		return s->failed ? -1 : unexpected(s, "a value expected");
	while (s->len - s->pos < want) {
		int rc = fill(s);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
	}
	*text = s->buf + s->pos;
	*avail = s->len - s->pos;
	return 0;
}

void pt_js_skip(struct pt_jstream *s, size_t n)
{
	s->pos += n <= s->len - s->pos ? n : s->len - s->pos;
}

int pt_js_end(struct pt_jstream *s)
{
	if (pt_js_peek(s) < 0)
		return s->failed ? -1 : 0;
	return unexpected(s, "end of file expected");
}
