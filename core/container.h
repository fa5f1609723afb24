/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bytes of one dump file as the format inside it sees them: either the
 * mapped file itself, or a makedumpfile flattened stream (-F) whose records
 * say where each run of bytes belongs. Flattened files are read in place:
 * the records are indexed once, nothing is rearranged or copied to disk. */
#ifndef PT_CONTAINER_H
#define PT_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

/* At most this many flattened records are indexed (24 bytes each). */
#define PT_FLAT_MAX_RECORDS (1u << 22)
/* The flattened header block: signature, type, version, zero padding. */
#define PT_FLAT_HEADER_SIZE 4096u

struct pt_flat_rec {
	uint64_t dst;   /* offset in the file the stream describes */
	uint64_t size;
	uint64_t src;   /* offset of the payload in the flattened file */
};

struct pt_container {
	const uint8_t *base;      /* the mapped file */
	uint64_t size;            /* its length */
	uint64_t lsize;           /* length of the file the format sees */
	struct pt_flat_rec *recs; /* flattened: sorted by dst, disjoint; else NULL */
	uint32_t nrecs;
	int mapped;               /* base is an mmap of the file: drop is allowed */
};

/* The plain view of a mapped file. */
void pt_container_plain(struct pt_container *c, const uint8_t *base, uint64_t size);

/* True when the bytes start like a flattened stream ("makedumpfile\0"). */
int pt_flat_detect(const uint8_t *base, uint64_t size);

/* Index a flattened stream. -1 with a message (what is wrong and the file
 * offset it is at, in *at) when a record is malformed, runs past the end of
 * the file, overlaps another one, or the end marker is missing. */
int pt_flat_index(struct pt_container *c, const uint8_t *base, uint64_t size, char *err,
		  size_t errlen, uint64_t *at);

void pt_container_free(struct pt_container *c);

/* Copy len bytes at logical offset off: 0, or -1 when any byte lies past the
 * logical end. Gaps between flattened records read as zero, as they would in
 * the file makedumpfile -R rebuilds. */
int pt_container_read(const struct pt_container *c, uint64_t off, void *buf, size_t len);

/* The caller is done with logical bytes [off, off+len): the whole pages of
 * the mapping that hold them are handed back (they stay in the page cache).
 * A compressed dump's reads hop across the file; without this, every page
 * touched (and the large folio around it) would stay resident. */
void pt_container_drop(const struct pt_container *c, uint64_t off, uint64_t len);

/* The bytes in place when one mapped run holds all of them; NULL otherwise. */
const uint8_t *pt_container_ptr(const struct pt_container *c, uint64_t off, uint64_t len);

#endif
