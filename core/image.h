/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A memory image being built: disjoint regions of zero-initialised bytes at
 * physical addresses, written out as one raw file or as an ELF core. */
#ifndef PT_IMAGE_H
#define PT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* A built image never needs more than this (a full 2^20-SSID table is 64 MiB). */
#define PT_IMAGE_MAX_BYTES (UINT64_C(1) << 30)
#define PT_IMAGE_MAX_REGIONS 65536u

struct pt_image_region {
	uint64_t addr, size;
	uint8_t *data;
};

struct pt_image {
	struct pt_image_region *regions;
	size_t n, cap;
	uint64_t total;
	/* pt_image_use_file: regions are pages of an unlinked scratch file,
	 * mapped shared, handed back to the page cache as the build moves on. */
	int backed, fd;
	uint8_t *window;         /* the scratch file's one mapping, window_len long */
	uint64_t window_len;
	uint64_t file_end;       /* bytes of the scratch file in use */
	size_t released;         /* regions before this one were handed back */
	uint64_t fresh;          /* bytes allocated since then */
	size_t touched[256];     /* regions written again since the last release */
	size_t ntouched;
	uint64_t touched_bytes;
};

void pt_image_init(struct pt_image *img);
/* Put the regions allocated from now on in a scratch file (TMPDIR, else
 * /tmp) instead of the heap, so that the process holds only the pages in
 * use: a 64 MiB table is built in a few MiB of memory. 0, or -1 with err
 * set (the image then stays in memory). Call before any pt_image_alloc. */
int pt_image_use_file(struct pt_image *img, char *err, size_t errlen);
/* Hand the pages of the regions allocated since the last call back (the
 * bytes stay in the scratch file; a later access reads them back). Done
 * by pt_image_alloc every few MiB; a no-op for an image in memory. */
void pt_image_release(struct pt_image *img);
/* The builder moved on to writing region i (allocated earlier): its pages
 * are handed back with the others written since, every few MiB. */
void pt_image_touched(struct pt_image *img, size_t i);
void pt_image_free(struct pt_image *img);
/* New zeroed region; refuses overlap with existing regions and the caps. */
uint8_t *pt_image_alloc(struct pt_image *img, uint64_t addr, uint64_t size, char *err,
			size_t errlen);
/* Pointer to [addr, addr+len) when one region holds all of it, else NULL. */
uint8_t *pt_image_at(const struct pt_image *img, uint64_t addr, uint64_t len);
/* Lowest address and one past the highest. */
void pt_image_extent(const struct pt_image *img, uint64_t *lo, uint64_t *end);
/* First address >= from, aligned to align, free for size bytes. */
uint64_t pt_image_free_at(const struct pt_image *img, uint64_t from, uint64_t size,
			  uint64_t align);

/* Raw file covering [base, base+size) (gaps read as zero) through the
 * output writer: zero pages of a replaced file are holes. *data (may be
 * NULL) gets the bytes actually written. */
int pt_image_write_raw(const struct pt_image *img, const char *path, uint64_t base,
		       uint64_t size, uint64_t *data, char *err, size_t errlen);
/* ELF core with one PT_LOAD per region. */
int pt_image_write_elf(const struct pt_image *img, const char *path, char *err, size_t errlen);

#endif
