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
};

void pt_image_init(struct pt_image *img);
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
