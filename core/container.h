/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bytes of one dump file as the format inside it sees them: either the
 * file itself, or a makedumpfile flattened stream (-F) whose records say
 * where each run of bytes belongs. Flattened files are read in place: the
 * records are indexed once, nothing is rearranged or copied to disk.
 * Reads are copies: pread() from the file's descriptor when there is one
 * (nothing of a multi-GiB dump stays mapped into the process), else from
 * the caller's bytes (fuzzing, tests). */
#ifndef PT_CONTAINER_H
#define PT_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

/* At most this many flattened records are indexed (24 bytes each)... */
#define PT_FLAT_MAX_RECORDS (1u << 22)
/* ...and no more than PT_FLAT_FREE_RECORDS plus one per PT_FLAT_MIN_AVG
 * bytes of the file: makedumpfile writes its data through a cache of
 * page_size << block_order (64 KiB by default) and flushes it whole, so
 * real records average tens of KiB; the index stays under 2.5% of the
 * file however small a hostile file's records are. */
#define PT_FLAT_FREE_RECORDS 4096u
#define PT_FLAT_MIN_AVG 1024u
/* The flattened header block: signature, type, version, zero padding. */
#define PT_FLAT_HEADER_SIZE 4096u

struct pt_flat_rec {
	uint64_t dst;   /* offset in the file the stream describes */
	uint64_t size;
	uint64_t src;   /* offset of the payload in the flattened file */
};

struct pt_container {
	const uint8_t *base;      /* the file's bytes (read when fd < 0) */
	int fd;                   /* the file, read with pread; or -1 */
	uint64_t size;            /* its length */
	uint64_t lsize;           /* length of the file the format sees */
	struct pt_flat_rec *recs; /* flattened: sorted by dst, disjoint; else NULL */
	uint32_t nrecs;
};

/* The plain view of a file: its descriptor (or -1) and its bytes. */
void pt_container_plain(struct pt_container *c, int fd, const uint8_t *base, uint64_t size);

/* True when the bytes start like a flattened stream ("makedumpfile\0"). */
int pt_flat_detect(const uint8_t *base, uint64_t size);

/* Index a flattened stream. -1 with a message (what is wrong and the file
 * offset it is at, in *at) when a record is malformed, runs past the end of
 * the file, overlaps another one, or the end marker is missing. */
int pt_flat_index(struct pt_container *c, int fd, const uint8_t *base, uint64_t size, char *err,
		  size_t errlen, uint64_t *at);

void pt_container_free(struct pt_container *c);

/* Copy len bytes at logical offset off: 0, or -1 when any byte lies past the
 * logical end. Gaps between flattened records read as zero, as they would in
 * the file makedumpfile -R rebuilds. */
int pt_container_read(const struct pt_container *c, uint64_t off, void *buf, size_t len);

#endif
