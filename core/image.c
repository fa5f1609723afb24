/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "output.h"
#include "elf_write.h"

/* Regions handed back once this much more was allocated: the pages a
 * build holds at once. */
#define RELEASE_EVERY (UINT64_C(4) << 20)

void pt_image_init(struct pt_image *img)
{
	memset(img, 0, sizeof *img);
	img->fd = -1;
}

static uint64_t page_round(uint64_t size)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	return (size + page - 1) & ~(page - 1);
}

void pt_image_free(struct pt_image *img)
{
	if (img->backed) {
		munmap(img->window, (size_t)img->window_len);
		close(img->fd);
	} else {
		for (size_t i = 0; i < img->n; i++)
			free(img->regions[i].data);
	}
	free(img->regions);
	pt_image_init(img);
}

int pt_image_use_file(struct pt_image *img, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	if (img->n) {
		snprintf(err, errlen, "the image already holds regions");
		return -1;
	}
	snprintf(path, sizeof path, "%s/pasidtool-image-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a scratch file in %s", dir && *dir ? dir : "/tmp");
		return -1;
	}
	unlink(path);
	/* One mapping for every region the caps allow, each rounded up to a
	 * page: a mapping per region would run into vm.max_map_count (65530
	 * by default) before PT_IMAGE_MAX_REGIONS. Pages past the file's end
	 * are never touched: the file grows before a region is handed out. */
	uint64_t len = PT_IMAGE_MAX_BYTES + (uint64_t)PT_IMAGE_MAX_REGIONS * page_round(1);
	void *w = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, fd, 0);
	if (w == MAP_FAILED) {
		close(fd);
		snprintf(err, errlen, "cannot map a scratch file in %s", dir && *dir ? dir : "/tmp");
		return -1;
	}
	img->fd = fd;
	img->window = w;
	img->window_len = len;
	img->backed = 1;
	return 0;
}

static void release_region(const struct pt_image *img, const struct pt_image_region *r)
{
	if (img->backed)
		madvise(r->data, (size_t)page_round(r->size), MADV_DONTNEED);
}

void pt_image_release(struct pt_image *img)
{
	for (; img->released < img->n; img->released++)
		release_region(img, &img->regions[img->released]);
	for (size_t i = 0; i < img->ntouched; i++)
		release_region(img, &img->regions[img->touched[i]]);
	img->ntouched = 0;
	img->touched_bytes = 0;
	img->fresh = 0;
}

void pt_image_touched(struct pt_image *img, size_t i)
{
	if (!img->backed || i >= img->n || i >= img->released)
		return;  /* new regions are released as they come */
	size_t cap = sizeof img->touched / sizeof img->touched[0];
	img->touched[img->ntouched++] = i;
	img->touched_bytes += img->regions[i].size;
	if (img->ntouched == cap || img->touched_bytes >= RELEASE_EVERY) {
		for (size_t k = 0; k < img->ntouched; k++)
			release_region(img, &img->regions[img->touched[k]]);
		img->ntouched = 0;
		img->touched_bytes = 0;
	}
}

/* Zeroed bytes for a region: the heap, or the next pages of the scratch
 * file (a hole until written). */
static uint8_t *region_bytes(struct pt_image *img, uint64_t size)
{
	if (!img->backed)
		return calloc(1, (size_t)size);
	uint64_t len = page_round(size);
	if (len > img->window_len - img->file_end ||
	    ftruncate(img->fd, (off_t)(img->file_end + len)) != 0)
		return NULL;
	uint8_t *p = img->window + img->file_end;
	img->file_end += len;
	if ((img->fresh += len) >= RELEASE_EVERY)
		pt_image_release(img);
	return p;
}

static int overlaps(const struct pt_image *img, uint64_t addr, uint64_t size)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		if (addr < r->addr + r->size && r->addr < addr + size)
			return 1;
	}
	return 0;
}

uint8_t *pt_image_alloc(struct pt_image *img, uint64_t addr, uint64_t size, char *err,
			size_t errlen)
{
	if (size == 0 || addr + size < addr) {
		snprintf(err, errlen, "region of 0x%llx bytes at 0x%llx wraps the address space",
			 (unsigned long long)size, (unsigned long long)addr);
		return NULL;
	}
	if (size > PT_IMAGE_MAX_BYTES - img->total || img->n >= PT_IMAGE_MAX_REGIONS) {
		snprintf(err, errlen, "image would exceed %llu bytes or %u regions",
			 (unsigned long long)PT_IMAGE_MAX_BYTES, PT_IMAGE_MAX_REGIONS);
		return NULL;
	}
	if (overlaps(img, addr, size)) {
		snprintf(err, errlen, "0x%llx bytes at 0x%llx overlap another table",
			 (unsigned long long)size, (unsigned long long)addr);
		return NULL;
	}
	if (img->n == img->cap) {
		size_t ncap = img->cap ? img->cap * 2 : 8;
		struct pt_image_region *nr = realloc(img->regions, ncap * sizeof *nr);
		if (!nr)
			goto nomem;
		img->regions = nr;
		img->cap = ncap;
	}
	uint8_t *data = region_bytes(img, size);
	if (!data)
		goto nomem;
	img->regions[img->n++] = (struct pt_image_region){ addr, size, data };
	img->total += size;
	return data;
nomem:
	snprintf(err, errlen, "out of memory");
	return NULL;
}

uint8_t *pt_image_at(const struct pt_image *img, uint64_t addr, uint64_t len)
{
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		if (addr >= r->addr && addr - r->addr <= r->size && len <= r->size - (addr - r->addr))
			return r->data + (addr - r->addr);
	}
	return NULL;
}

void pt_image_extent(const struct pt_image *img, uint64_t *lo, uint64_t *end)
{
	*lo = UINT64_MAX;
	*end = 0;
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		if (r->addr < *lo)
			*lo = r->addr;
		if (r->addr + r->size > *end)
			*end = r->addr + r->size;
	}
	if (img->n == 0)
		*lo = 0;
}

uint64_t pt_image_free_at(const struct pt_image *img, uint64_t from, uint64_t size,
			  uint64_t align)
{
	uint64_t a = (from + align - 1) & ~(align - 1);
	/* Each retry moves past one region, so n + 1 tries are enough. */
	for (size_t tries = 0; tries <= img->n; tries++) {
		int moved = 0;
		for (size_t i = 0; i < img->n; i++) {
			const struct pt_image_region *r = &img->regions[i];
			if (a < r->addr + r->size && r->addr < a + size) {
				a = (r->addr + r->size + align - 1) & ~(align - 1);
				moved = 1;
			}
		}
		if (!moved)
			break;
	}
	return a;
}

static int cmp_region(const void *x, const void *y)
{
	const struct pt_image_region *a = x, *b = y;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

int pt_image_write_raw(const struct pt_image *img, const char *path, uint64_t base,
		       uint64_t size, uint64_t *data, char *err, size_t errlen)
{
	if (size > PT_IMAGE_MAX_BYTES) {
		snprintf(err, errlen, "a raw image of 0x%llx bytes is too large; use --elf",
			 (unsigned long long)size);
		return -1;
	}
	struct pt_image_region *sorted = malloc((img->n ? img->n : 1) * sizeof *sorted);
	if (!sorted) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(sorted, img->regions, img->n * sizeof *sorted);
	qsort(sorted, img->n, sizeof *sorted, cmp_region);
	struct pt_output a;
	int rc = pt_output_open(&a, path, err, errlen);
	uint64_t pos = base, end = base + size;
	for (size_t i = 0; rc == 0 && i < img->n; i++) {
		const struct pt_image_region *r = &sorted[i];
		if (r->addr < base || r->addr + r->size > end) {
			snprintf(err, errlen, "table at 0x%llx lies outside the image [0x%llx, 0x%llx)",
				 (unsigned long long)r->addr, (unsigned long long)base,
				 (unsigned long long)end);
			rc = -1;
			break;
		}
		rc = pt_output_zeros(&a, r->addr - pos, err, errlen);
		if (rc == 0)
			rc = pt_output_write(&a, r->data, r->size, err, errlen);
		release_region(img, r);
		pos = r->addr + r->size;
	}
	if (rc == 0)
		rc = pt_output_zeros(&a, end - pos, err, errlen);
	if (rc == 0 && data)
		*data = a.data;
	if (rc == 0)
		rc = pt_output_commit(&a, err, errlen);
	else
		pt_output_abort(&a);
	free(sorted);
	return rc;
}

int pt_image_write_elf(const struct pt_image *img, const char *path, char *err, size_t errlen)
{
	struct pt_elf_segment *segs = malloc((img->n ? img->n : 1) * sizeof *segs);
	if (!segs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < img->n; i++)
		segs[i] = (struct pt_elf_segment){ img->regions[i].addr, img->regions[i].data,
						   img->regions[i].size };
	int rc = pt_elf_write(path, segs, img->n, err, errlen);
	free(segs);
	return rc;
}
