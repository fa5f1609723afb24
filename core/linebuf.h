/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Output assembled in memory and handed to stdio in one fwrite: the per-entry
 * paths of decode (JSON items, text field lines) print a million entries of
 * sixty fields each, where a stdio call or a printf per number costs more
 * than everything else the entry needs. Numbers are formatted by hand, in
 * the forms printf's "%llu" and "%llx" give. */
#ifndef PT_LINEBUF_H
#define PT_LINEBUF_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PT_LINEBUF_SIZE 16384u

struct pt_linebuf {
	FILE *out;
	size_t n;
	char b[PT_LINEBUF_SIZE];
};

static inline void pt_lb_init(struct pt_linebuf *l, FILE *out)
{
	l->out = out;
	l->n = 0;
}

/* The caller's stream keeps the error flag a failed write sets: the output
 * writer checks stdout once, at exit. */
static inline void pt_lb_flush(struct pt_linebuf *l)
{
	if (l->n)
		fwrite(l->b, 1, l->n, l->out);
	l->n = 0;
}

/* Room for `need` more bytes (need at most half the buffer). */
static inline char *pt_lb_room(struct pt_linebuf *l, size_t need)
{
	if (l->n + need > sizeof l->b)
		pt_lb_flush(l);
	return l->b + l->n;
}

/* Bytes of any length: longer ones than the buffer go straight through. */
static inline void pt_lb_mem(struct pt_linebuf *l, const char *s, size_t len)
{
	if (len > sizeof l->b / 2) {
		pt_lb_flush(l);
		fwrite(s, 1, len, l->out);
		return;
	}
	memcpy(pt_lb_room(l, len), s, len);
	l->n += len;
}

static inline void pt_lb_str(struct pt_linebuf *l, const char *s)
{
	pt_lb_mem(l, s, strlen(s));
}

static inline void pt_lb_ch(struct pt_linebuf *l, char c)
{
	*pt_lb_room(l, 1) = c;
	l->n++;
}

/* Digits of v in decimal (v >= 1): log10 from the bit length (1233/4096
 * is just above log10(2)), then one comparison to settle it. */
static inline size_t pt_dec_len(uint64_t v)
{
	static const uint64_t p10[20] = {
		UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
		UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
		UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
		UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
		UINT64_C(1000000000000000), UINT64_C(10000000000000000),
		UINT64_C(100000000000000000), UINT64_C(1000000000000000000),
		UINT64_C(10000000000000000000),
	};
	size_t n = ((size_t)(64 - __builtin_clzll(v | 1)) * 1233) >> 12;
	return n + (v >= p10[n]);
}

/* "%llu" of v into o (at least 20 bytes); returns its length. The digits
 * are written from the end, two at a time. */
static inline size_t pt_fmt_dec(char *o, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	if (v < 10) {
		o[0] = (char)('0' + v);
		return 1;
	}
	size_t n = pt_dec_len(v);
	char *p = o + n;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	return n;
}

/* "%llx" of v into o (at least 16 bytes); returns its length. */
static inline size_t pt_fmt_hex(char *o, uint64_t v)
{
	size_t n = v ? (size_t)(67 - __builtin_clzll(v)) / 4 : 1;
	for (size_t i = n; i-- > 0; v >>= 4)
		o[i] = "0123456789abcdef"[v & 15];
	return n;
}

static inline void pt_lb_dec(struct pt_linebuf *l, uint64_t v)
{
	l->n += pt_fmt_dec(pt_lb_room(l, 20), v);
}

/* "0x" and the digits of "%llx". */
static inline void pt_lb_hex(struct pt_linebuf *l, uint64_t v)
{
	char *o = pt_lb_room(l, 18);
	o[0] = '0';
	o[1] = 'x';
	l->n += 2 + pt_fmt_hex(o + 2, v);
}

#endif
