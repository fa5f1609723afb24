/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a makedumpfile flattened stream (-F) in place. Layout (makedumpfile
 * makedumpfile.h, write_start_flat_header/write_buffer): a 4096-byte header
 * "makedumpfile", big-endian type 1 and version 1; then records of a
 * big-endian (offset, size) pair followed by size bytes; an end marker whose
 * offset and size are both -1. */
#include "container.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void pt_container_plain(struct pt_container *c, int fd, const uint8_t *base, uint64_t size)
{
	memset(c, 0, sizeof *c);
	c->base = base;
	c->fd = fd;
	c->size = size;
	c->lsize = size;
}

/* len bytes at file offset off (inside the file: callers check). */
static int file_read(const struct pt_container *c, uint64_t off, void *buf, size_t len)
{
	if (c->fd < 0) {
		memcpy(buf, c->base + off, len);
		return 0;
	}
	uint8_t *p = buf;
	while (len) {
		ssize_t got = pread(c->fd, p, len, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		off += (uint64_t)got;
		len -= (size_t)got;
	}
	return 0;
}

int pt_flat_detect(const uint8_t *base, uint64_t size)
{
	/* The signature is compared with its NUL, as crash does: a file that
	 * merely starts with the word is not a stream. */
	return size >= 13 && memcmp(base, "makedumpfile", 13) == 0;
}

void pt_container_free(struct pt_container *c)
{
	free(c->recs);
	c->recs = NULL;
	c->nrecs = 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct pt_flat_rec *x = a, *y = b;
	if (x->dst != y->dst)
		return x->dst < y->dst ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

/* Walk the records once: count them (n NULL) or fill n of them. Each
 * record's header is read on its own: the payloads are not touched. */
static int scan(const struct pt_container *c, struct pt_flat_rec *out, uint32_t *n,
		char *err, size_t errlen, uint64_t *at)
{
	uint64_t pos = PT_FLAT_HEADER_SIZE, size = c->size;
	uint64_t limit = PT_FLAT_FREE_RECORDS + size / PT_FLAT_MIN_AVG;
	uint32_t k = 0;
	limit = limit < PT_FLAT_MAX_RECORDS ? limit : PT_FLAT_MAX_RECORDS;
	for (;;) {
		uint8_t h[16];
		*at = pos;
		if (size - pos < 16) {
			snprintf(err, errlen, "flattened stream ends without its end marker");
			return -1;
		}
		if (file_read(c, pos, h, sizeof h) != 0) {
			snprintf(err, errlen, "flattened record header unreadable");
			return -1;
		}
		uint64_t dst = be64(h), len = be64(h + 8);
		if (dst == UINT64_MAX && len == UINT64_MAX)
			break;
		if (dst >> 62 || len >> 62) {
			snprintf(err, errlen, "flattened record with offset 0x%llx size 0x%llx",
				 (unsigned long long)dst, (unsigned long long)len);
			return -1;
		}
		if (len > size - pos - 16) {
			snprintf(err, errlen, "flattened record of 0x%llx bytes runs past the end of the file",
				 (unsigned long long)len);
			return -1;
		}
		if (len) {
			if (k >= limit) {
				snprintf(err, errlen, "more than %llu flattened records in %llu "
					 "bytes (makedumpfile writes records of up to 64 KiB; "
					 "rebuild the file with makedumpfile -R)",
					 (unsigned long long)limit, (unsigned long long)size);
				return -1;
			}
			if (out)
				out[k] = (struct pt_flat_rec){ dst, len, pos + 16 };
			k++;
		}
		pos += 16 + len;
	}
	*n = k;
	return 0;
}

static int check_header(const uint8_t *base, uint64_t size, char *err, size_t errlen)
{
	if (size < PT_FLAT_HEADER_SIZE) {
		snprintf(err, errlen, "flattened header truncated (%llu of %u bytes)",
			 (unsigned long long)size, PT_FLAT_HEADER_SIZE);
		return -1;
	}
	uint64_t type = be64(base + 16), version = be64(base + 24);
	if (type != 1 || version != 1) {
		snprintf(err, errlen, "flattened header type %llu version %llu (expected 1 and 1)",
			 (unsigned long long)type, (unsigned long long)version);
		return -1;
	}
	return 0;
}

int pt_flat_index(struct pt_container *c, int fd, const uint8_t *base, uint64_t size, char *err,
		  size_t errlen, uint64_t *at)
{
	pt_container_plain(c, fd, base, size);
	*at = 0;
	if (check_header(base, size, err, errlen) != 0)
		return -1;
	uint32_t n;
	if (scan(c, NULL, &n, err, errlen, at) != 0)
		return -1;
	c->recs = calloc(n ? n : 1, sizeof *c->recs);
	if (!c->recs) {
		snprintf(err, errlen, "out of memory indexing %u flattened records", n);
		return -1;
	}
	uint32_t again;
	if (scan(c, c->recs, &again, err, errlen, at) != 0 || again != n) {
		/* The file changed between the two passes. */
		snprintf(err, errlen, "flattened stream changed while it was read");
		pt_container_free(c);
		return -1;
	}
	c->nrecs = n;
	qsort(c->recs, n, sizeof *c->recs, cmp_rec);
	c->lsize = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct pt_flat_rec *r = &c->recs[i];
		/* makedumpfile writes every byte once; two records for one byte
		 * would make the order of the stream matter, so they are refused
		 * rather than guessed at. */
		if (i && r->dst < c->lsize) {
			*at = r->src - 16;
			snprintf(err, errlen, "flattened record for 0x%llx overlaps an earlier one "
				 "(rebuild the file with makedumpfile -R)", (unsigned long long)r->dst);
			pt_container_free(c);
			return -1;
		}
		c->lsize = r->dst + r->size;
	}
	*at = 0;
	return 0;
}

/* Index of the last record starting at or below off, or -1. */
static long rec_at(const struct pt_container *c, uint64_t off)
{
	uint32_t lo = 0, hi = c->nrecs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->recs[mid].dst <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

int pt_container_read(const struct pt_container *c, uint64_t off, void *buf, size_t len)
{
	if (off > c->lsize || len > c->lsize - off)
		return -1;
	uint8_t *out = buf;
	if (!c->recs)
		return file_read(c, off, out, len);
	long i = rec_at(c, off);
	/* Each step consumes a record or the gap before the next one. */
	while (len) {
		const struct pt_flat_rec *r = i >= 0 ? &c->recs[i] : NULL;
		uint64_t n;
		if (r && off - r->dst < r->size) {
			n = r->size - (off - r->dst);
			n = n < len ? n : len;
			if (file_read(c, r->src + (off - r->dst), out, (size_t)n) != 0)
				return -1;
		} else {
			uint64_t next = (uint32_t)(i + 1) < c->nrecs ? c->recs[i + 1].dst : c->lsize;
			n = next - off < len ? next - off : len;
			memset(out, 0, n);
		}
		out += n;
		off += n;
		len -= n;
		if (len && (uint32_t)(i + 1) < c->nrecs && c->recs[i + 1].dst <= off)
			i++;
	}
	return 0;
}
