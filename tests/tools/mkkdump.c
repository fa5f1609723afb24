/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkkdump [OPTIONS] IN.elf OUT...: the memory of an ELF core written as a
 * kdump-compressed dump by tests/tools/kdump_gen.h, in the variants Debian's
 * makedumpfile cannot write (snappy, zstd, 32-bit and big-endian headers)
 * and with chosen pages excluded, so CLI tests can compare every variant's
 * decode with the ELF core's.
 *
 *   --method none|zlib|lzo|snappy|zstd   page compression (default zlib)
 *   --abi lp64|i386|arm                  header layout (default lp64)
 *   --be                                 big-endian header fields
 *   --zero                               share one zero page (dump_level 1)
 *   --exclude ADDR                       leave the page at ADDR out (repeatable)
 *   --flat                               write a flattened stream (-F)
 *   several OUT files                    a --split dump, one part each */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"

#include "kdump_gen.h"

#define PAGE 4096u
#define MAX_PAGES (1u << 20)
#define MAX_EXCLUDE 64u

struct args {
	struct kg_opts o;
	int flat;
	uint64_t exclude[MAX_EXCLUDE];
	unsigned nexclude;
	const char *in;
	const char *out[8];
	unsigned nout;
};

static int parse_method(const char *s, uint32_t *m)
{
	static const char *const names[] = { "none", "zlib", "lzo", "snappy", "zstd" };
	static const uint32_t bits[] = { 0, 1, 2, 4, 0x20 };
	for (unsigned i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0) {
			*m = bits[i];
			return 0;
		}
	return -1;
}

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof *a);
	a->o.block = PAGE;
	a->o.version = 6;
	a->o.method = 1;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--method") == 0 && i + 1 < argc) {
			if (parse_method(argv[++i], &a->o.method) != 0)
				return -1;
		} else if (strcmp(s, "--abi") == 0 && i + 1 < argc) {
			s = argv[++i];
			a->o.abi = strcmp(s, "i386") == 0 ? KG_I386 : strcmp(s, "arm") == 0 ? KG_ARM
											: KG_LP64;
		} else if (strcmp(s, "--be") == 0) {
			a->o.be = 1;
		} else if (strcmp(s, "--zero") == 0) {
			a->o.zero_page = 1;
		} else if (strcmp(s, "--flat") == 0) {
			a->flat = 1;
		} else if (strcmp(s, "--exclude") == 0 && i + 1 < argc && a->nexclude < MAX_EXCLUDE) {
			a->exclude[a->nexclude++] = strtoull(argv[++i], NULL, 0) / PAGE;
		} else if (!a->in) {
			a->in = s;
		} else if (a->nout < 8) {
			a->out[a->nout++] = s;
		} else {
			return -1;
		}
	}
	return a->in && a->nout ? 0 : -1;
}

static int excluded(const struct args *a, uint64_t pfn)
{
	for (unsigned i = 0; i < a->nexclude; i++)
		if (a->exclude[i] == pfn)
			return 1;
	return 0;
}

/* Every page the ELF core covers, in pfn order (ranges are sorted). */
static size_t collect(struct pt_source *src, const struct args *a, struct kg_page *pages)
{
	size_t n = 0;
	for (uint32_t r = 0; r < src->nranges; r++) {
		uint64_t lo = src->ranges[r].addr / PAGE;
		uint64_t hi = (src->ranges[r].addr + src->ranges[r].size + PAGE - 1) / PAGE;
		for (uint64_t pfn = lo; pfn < hi && n < MAX_PAGES; pfn++) {
			if (n && pages[n - 1].pfn == pfn)
				continue;
			uint8_t *buf = calloc(1, PAGE);
			if (!buf)
				exit(1);
			pt_source_read(src, pfn * PAGE, buf, PAGE);
			pages[n].pfn = pfn;
			pages[n].data = excluded(a, pfn) ? NULL : buf;
			if (!pages[n].data)
				free(buf);
			n++;
		}
	}
	return n;
}

static int write_out(const char *path, const uint8_t *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;
	if (parse(argc, argv, &a) != 0) {
		fprintf(stderr, "usage: mkkdump [--method M] [--abi A] [--be] [--zero] "
				"[--exclude ADDR]... [--flat] IN.elf OUT...\n");
		return 2;
	}
	struct pt_source src;
	struct pt_diag_sink sink;
	struct pt_open_opts oo = { 0 };
	pt_diag_init(&sink, a.in, stderr);
	pt_source_init(&src, a.in);
	if (pt_source_open(&src, &a.in, 1, &oo, &sink) != 0)
		return 1;
	struct kg_page *pages = calloc(MAX_PAGES, sizeof *pages);
	if (!pages)
		return 1;
	size_t n = collect(&src, &a, pages);
	a.o.max_mapnr = n ? pages[n - 1].pfn + 1 : 0;
	a.o.split = a.nout > 1;
	int rc = 0;
	for (unsigned part = 0; part < a.nout && rc == 0; part++) {
		/* Parts split the pages evenly by count, as makedumpfile does. */
		size_t from = n * part / a.nout, to = n * (part + 1) / a.nout;
		a.o.start_pfn = part == 0 ? 0 : pages[from].pfn;
		a.o.end_pfn = part + 1 == a.nout ? a.o.max_mapnr : pages[to].pfn;
		uint8_t *buf, *flat;
		size_t len = kg_write(&a.o, pages, n, &buf);
		if (a.flat) {
			size_t flen = kg_flatten(buf, len, 4096, &flat);
			rc = write_out(a.out[part], flat, flen);
			free(flat);
		} else {
			rc = write_out(a.out[part], buf, len);
		}
		free(buf);
	}
	for (size_t i = 0; i < n; i++)
		free((void *)(uintptr_t)pages[i].data);
	free(pages);
	pt_source_free(&src);
	pt_diag_free(&sink);
	return rc ? 1 : 0;
}
