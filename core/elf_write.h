/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small writer of ELF64 little-endian ET_CORE files (EM_AARCH64), the same
 * shape as QEMU's dump-guest-memory output, so that pasidtool's own outputs
 * (decode --save-pages, build --elf) read back like any other dump. */
#ifndef PT_ELF_WRITE_H
#define PT_ELF_WRITE_H

#include <stddef.h>
#include <stdint.h>

struct pt_source;

struct pt_elf_segment {
	uint64_t paddr;       /* physical address of data[0] (p_paddr = p_vaddr) */
	const uint8_t *data;  /* size bytes */
	uint64_t size;        /* 0: the segment is left out */
};

/* Write segs (any order; they must not overlap or wrap 2^64) as one PT_LOAD
 * each, address-adjacent ones merged, through the output writer (output.h):
 * a regular file appears atomically: it is
 * written to a temporary file in the same directory, synced and renamed;
 * on failure nothing is left behind. 0 on success, -1 with err filled
 * (err does not repeat the path: callers print it). */
int pt_elf_write(const char *path, const struct pt_elf_segment *segs, size_t n, char *err,
		 size_t errlen);

/* Write the 4 KiB pages numbered in pages[] (address = page << 12, any
 * order, duplicates allowed) with their contents read from src. Pages the
 * source does not cover are skipped; of a page covered in part only the
 * covered bytes are written. Runs of consecutive bytes become one segment. */
int pt_elf_write_pages(const char *path, struct pt_source *src, const uint64_t *pages,
		       size_t npages, char *err, size_t errlen);

#endif
