/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A 4 GiB guest as makedumpfile -c -d 1 would save it: a kdump-compressed
 * vmcore (written by tests/tools/kdump_gen.h) whose RAM is mostly zero pages
 * (one shared copy), one page in 16 holding zlib-compressed data, and the
 * pages of one 2-level CD table. Decoding the table must cost the pages it
 * reads (bitmap counts, descriptors, a few decompressions), not the dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "image.h"

#include "../tests/tools/kdump_gen.h"

#define PAGE 4096u
#define RAM_PFN UINT64_C(0x40000)            /* RAM at 1 GiB, as on QEMU virt */
#define RAM_PAGES UINT64_C(0x100000)         /* 4 GiB */
#define TABLE_L1 (UINT64_C(0x40000000) + UINT64_C(0xb2340000))
#define DATA_EVERY 16u
#define NPATTERNS 16u

static uint64_t leaf_addr(unsigned k)
{
	return UINT64_C(0x40000000) + (uint64_t)(k % 4) * (UINT64_C(1) << 30) +
	       UINT64_C(0x1230000) + (uint64_t)(k / 4) * 0x10000;
}

/* The table's bytes, page by page: pages[i] gets a copy when the image
 * writes into pfn RAM_PFN + i. */
static int place_table(const struct pt_image *img, uint8_t **table_pages)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		for (uint64_t off = 0; off < r->size;) {
			uint64_t a = r->addr + off, pfn = a / PAGE - RAM_PFN, in = a % PAGE;
			uint64_t n = PAGE - in < r->size - off ? PAGE - in : r->size - off;
			if (pfn >= RAM_PAGES)
				return -1;
			if (!table_pages[pfn] && !(table_pages[pfn] = calloc(1, PAGE)))
				return -1;
			memcpy(table_pages[pfn] + in, r->data + off, n);
			off += n;
		}
	}
	return 0;
}

int bench_kdump_create(const char *path, struct bench_sparse *s)
{
	static uint8_t zero[PAGE], patterns[NPATTERNS][PAGE];
	for (unsigned p = 0; p < NPATTERNS; p++)
		for (unsigned i = 0; i < PAGE; i++)
			patterns[p][i] = (uint8_t)(i % (p + 3) == 0 ? i * 7 + p : 0);
	struct pt_image img;
	pt_image_init(&img);
	uint8_t **table_pages = calloc(RAM_PAGES, sizeof *table_pages);
	struct kg_page *pages = calloc(RAM_PAGES, sizeof *pages);
	uint8_t *buf = NULL;
	int rc = -1;
	if (!table_pages || !pages || bench_sparse_table(s, TABLE_L1, leaf_addr, &img) != 0 ||
	    place_table(&img, table_pages) != 0)
		goto out;
	for (uint64_t i = 0; i < RAM_PAGES; i++) {
		pages[i].pfn = RAM_PFN + i;
		pages[i].data = table_pages[i] ? table_pages[i]
			      : i % DATA_EVERY == 0 ? patterns[(i / DATA_EVERY) % NPATTERNS] : zero;
	}
	struct kg_opts o = { 0 };
	o.block = PAGE;
	o.version = 6;
	o.method = 1;
	o.zero_page = 1;
	o.max_mapnr = RAM_PFN + RAM_PAGES;
	o.vmcoreinfo = "OSRELEASE=6.1.0-bench\nPAGESIZE=4096\n";
	size_t len = kg_write(&o, pages, RAM_PAGES, &buf);
	FILE *f = fopen(path, "wb");
	if (f && fwrite(buf, 1, len, f) == len && fclose(f) == 0) {
		rc = 0;
		s->apparent = RAM_PAGES * PAGE;
		s->allocated = len;
	} else if (f) {
		fclose(f);
	}
out:
	if (table_pages)
		for (uint64_t i = 0; i < RAM_PAGES; i++)
			free(table_pages[i]);
	free(table_pages);
	free(pages);
	free(buf);
	pt_image_free(&img);
	return rc;
}
