/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading one JSON document a value at a time, so that a caller can walk the
 * outer objects and arrays itself and hold only the value in hand: a build
 * description of a million entries costs the memory of one entry.
 *
 * The reader checks the punctuation between values (braces, brackets,
 * colons, commas) and finds where each value ends; the value itself is
 * parsed by jansson, or by a caller's faster reader of the same text.
 * Errors carry the line and column jansson gives for the same document. */
#ifndef PT_JSON_STREAM_H
#define PT_JSON_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

struct pt_jstream {
	FILE *f;
	char *buf;
	size_t len, pos, cap;    /* bytes held, next unread, allocated */
	size_t max_value;        /* largest value held whole */
	uint64_t consumed;       /* bytes before buf[0] */
	unsigned long line;      /* jansson's line and column at buf[0] */
	unsigned long column;
	int eof;
	int failed;              /* set once; the first error is kept */
	int too_big;             /* a value larger than max_value */
	int read_error;
	unsigned long err_line, err_column;
	unsigned long key_line, key_column;  /* just after the last member's key */
	char err[200];
};

/* The document comes from f (not closed here). A value larger than
 * max_value bytes is refused. */
void pt_js_init(struct pt_jstream *s, FILE *f, size_t max_value);
void pt_js_free(struct pt_jstream *s);

/* The next byte that is not white space, not consumed; -1 at the end. */
int pt_js_peek(struct pt_jstream *s);
/* Consume the byte c (after white space), or fail. 0 or -1. */
int pt_js_expect(struct pt_jstream *s, int c, const char *what);

/* Walk the members of an object after its '{' was consumed: 1 with the key
 * (jansson decodes it) and the ':' consumed, 0 after the closing '}', -1 on
 * error. *n counts the members seen so far (start at 0). The key is the
 * caller's to free. */
int pt_js_member(struct pt_jstream *s, size_t *n, char **key);
/* Walk the items of an array after its '[' was consumed: 1 when an item
 * follows, 0 after the ']', -1 on error. */
int pt_js_item(struct pt_jstream *s, size_t *n);

/* The next value's text, whole in memory until the next call, consumed. */
int pt_js_extent(struct pt_jstream *s, const char **text, size_t *len);
/* Parse text pt_js_extent just returned with jansson (any value, duplicate
 * keys refused); NULL with the error placed in the document. */
json_t *pt_js_parse_extent(struct pt_jstream *s, const char *text, size_t len);
/* pt_js_extent + pt_js_parse_extent. */
json_t *pt_js_value(struct pt_jstream *s);
/* For a caller's own reader of a value: the unread input from the next
 * value on, at least `want` bytes of it unless the input ends first. The
 * caller consumes what it read with pt_js_skip, or nothing and falls back
 * to pt_js_extent (the text stays valid until the next call). */
int pt_js_window(struct pt_jstream *s, size_t want, const char **text, size_t *avail);
void pt_js_skip(struct pt_jstream *s, size_t n);
/* The rest of the input as one whole document, as jansson's json_load
 * reads it (an object or an array, nothing after it). */
json_t *pt_js_document(struct pt_jstream *s);
/* Only white space may follow. 0 or -1. */
int pt_js_end(struct pt_jstream *s);

/* Fail at the start of the value or punctuation about to be read (the
 * caller's own findings: a key in the wrong place). Returns -1. */
int pt_js_fail(struct pt_jstream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Fail just after the key of the member last read (where jansson reports a
 * duplicate key). Returns -1. */
int pt_js_fail_key(struct pt_jstream *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
