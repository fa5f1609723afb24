/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A guest memory dump as big as a real one and as cheap to keep as a small
 * one: an ELF core whose PT_LOAD segments cover 8 GiB of guest-physical
 * memory, of which only the headers and the pages of one CD table are
 * written; the rest of the file is holes (ftruncate + pwrite). Decoding the
 * table must cost the pages it reads, not the size of the dump. The table
 * and the sparse core are also what kdump.c and ptw.c write theirs with. */
#include <elf.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "build.h"
#include "image.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF headers below are written in host order, which must be little-endian"
#endif

#define GIB (UINT64_C(1) << 30)
#define NSEGS 8u                             /* 8 x 1 GiB of RAM */
#define RAM_BASE UINT64_C(0x40000000)        /* where QEMU's virt machine puts RAM */
#define DATA_OFFSET UINT64_C(0x1000)         /* segment data starts page-aligned */
#define TABLE_L1 (RAM_BASE + 3 * GIB + UINT64_C(0x2340000))
#define LEAF_EVERY 128u                      /* one valid L1 descriptor in this many */
#define CD_EVERY 16u                         /* one valid CD in this many per leaf */

static int write_at(int fd, const void *buf, uint64_t len, uint64_t off)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);
		if (n <= 0)
			return -1;
		p += n;
		len -= (uint64_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* nsegs PT_LOADs of 1 GiB of RAM from ram_base, each segment's data at
 * DATA_OFFSET plus its distance from ram_base. */
static int write_headers(int fd, uint64_t ram_base, unsigned nsegs)
{
	Elf64_Ehdr eh;
	memset(&eh, 0, sizeof eh);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_CORE;
	eh.e_machine = EM_AARCH64;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof eh;
	eh.e_ehsize = sizeof eh;
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)nsegs;
	if (write_at(fd, &eh, sizeof eh, 0) != 0)
		return -1;
	for (unsigned i = 0; i < nsegs; i++) {
		Elf64_Phdr ph = { PT_LOAD, PF_R | PF_W | PF_X, DATA_OFFSET + i * GIB,
				  ram_base + i * GIB, ram_base + i * GIB, GIB, GIB, 0x1000 };
		if (write_at(fd, &ph, sizeof ph, sizeof eh + i * sizeof ph) != 0)
			return -1;
	}
	return 0;
}

int bench_sparse_core(const char *path, uint64_t ram_base, unsigned nsegs,
		      const struct pt_image *img)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	int bad = ftruncate(fd, (off_t)(DATA_OFFSET + nsegs * GIB)) != 0 ||
		  write_headers(fd, ram_base, nsegs) != 0;
	for (size_t i = 0; i < img->n && !bad; i++) {
		const struct pt_image_region *r = &img->regions[i];
		bad = r->addr < ram_base || r->addr - ram_base + r->size > nsegs * GIB ||
		      write_at(fd, r->data, r->size, DATA_OFFSET + (r->addr - ram_base)) != 0;
	}
	bad |= close(fd) != 0;
	return bad ? -1 : 0;
}

static json_t *table_spec(const struct bench_sparse *s, uint64_t (*leaf_addr)(unsigned))
{
	json_t *t = json_pack("{s:s, s:s, s:I, s:i}", "format", "smmuv3-cd", "layout", s->layout,
			      "base", (json_int_t)s->table, "ssid_bits", (int)s->ssid_bits);
	json_t *l1 = json_array(), *entries = json_array();
	unsigned per_leaf = 1u << 10;
	for (unsigned k = 0; k < s->leaves; k++) {
		unsigned index = k * LEAF_EVERY;
		json_array_append_new(l1, json_pack("{s:i, s:{s:i, s:I}}", "index", (int)index,
						    "fields", "v", 1, "l2ptr",
						    (json_int_t)leaf_addr(k)));
		for (unsigned j = 0; j < per_leaf; j += CD_EVERY) {
			uint32_t ssid = index * per_leaf + j;
			json_array_append_new(entries, json_pack(
				"{s:I, s:{s:I, s:I}}", "ssid", (json_int_t)ssid, "fields", "asid",
				(json_int_t)bench_spec_asid(ssid), "ttb0",
				(json_int_t)bench_spec_ttb0(ssid)));
		}
	}
	json_object_set_new(t, "l1", l1);
	json_object_set_new(t, "entries", entries);
	return t;
}

/* The table encoded by the same code `pasidtool build` uses. */
int bench_sparse_table(struct bench_sparse *s, uint64_t table, uint64_t (*leaf_addr)(unsigned),
		       struct pt_image *img)
{
	memset(s, 0, sizeof *s);
	s->table = table;
	s->ssid_bits = 20;
	s->layout = "2lvl-64k";
	s->leaves = (1u << (s->ssid_bits - 10)) / LEAF_EVERY;
	s->valid_cds = s->leaves * ((1u << 10) / CD_EVERY);
	char err[256];
	struct pt_table_cfg cfg;
	json_t *t = table_spec(s, leaf_addr);
	int rc = t && pt_build_table_cfg(t, &cfg, err, sizeof err) == 0 &&
			 pt_build_table(img, &cfg, t, err, sizeof err) == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "bench: sparse table: %s\n", err);
	json_decref(t);
	return rc;
}

/* Leaves spread over every GiB of the dump so the walk touches far-apart
 * parts of the file. */
static uint64_t leaf_addr(unsigned k)
{
	return RAM_BASE + (k % NSEGS) * GIB + UINT64_C(0x1230000) + (k / NSEGS) * 0x10000;
}

int bench_sparse_create(const char *path, struct bench_sparse *s)
{
	struct pt_image img;
	pt_image_init(&img);
	int rc = bench_sparse_table(s, TABLE_L1, leaf_addr, &img) == 0 &&
			 bench_sparse_core(path, RAM_BASE, NSEGS, &img) == 0 ? 0 : -1;
	struct stat st;
	if (rc == 0 && stat(path, &st) == 0) {
		s->apparent = (uint64_t)st.st_size;
		s->allocated = (uint64_t)st.st_blocks * 512u;
	}
	pt_image_free(&img);
	return rc;
}
