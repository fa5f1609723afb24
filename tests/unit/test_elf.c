/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF core input (core/source_elf.c) and output (core/elf_write.c): well-formed
 * dumps read at the right addresses, hostile headers are refused or clipped
 * with the right rule, and what the writer writes reads back byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "elf_write.h"
#include "pageset.h"
#include "source.h"

#include "diag_count.h"
#include "tmpdir.h"

static void tmp_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static uint8_t *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	uint8_t *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void pattern(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 13u + (i >> 8) + seed * 71u + 1u);
}

/* ---- Hand-made ELF images ---- */

static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

struct ph {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct img {
	uint8_t *buf;
	size_t size;
};

/* An ELF64 LE header with e_phnum = n program headers right after it, in a
 * zeroed buffer of `size` bytes. Callers then poke whatever they break. */
static struct img make_img(size_t size, const struct ph *ph, size_t n)
{
	struct img im = { calloc(1, size), size };
	assert_non_null(im.buf);
	assert_true(size >= 64 + 56 * n);
	uint8_t *b = im.buf;
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS64;
	b[EI_DATA] = ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put(b + 16, ET_CORE, 2);
	put(b + 18, EM_AARCH64, 2);
	put(b + 20, EV_CURRENT, 4);
	put(b + 32, n ? 64 : 0, 8);   /* e_phoff */
	put(b + 52, 64, 2);           /* e_ehsize */
	put(b + 54, 56, 2);           /* e_phentsize */
	put(b + 56, n, 2);            /* e_phnum */
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = b + 64 + 56 * i;
		put(p + 0, ph[i].type, 4);
		put(p + 4, PF_R | PF_W, 4);
		put(p + 8, ph[i].offset, 8);
		put(p + 16, ph[i].vaddr, 8);
		put(p + 24, ph[i].paddr, 8);
		put(p + 32, ph[i].filesz, 8);
		put(p + 40, ph[i].memsz, 8);
		put(p + 48, 1, 8);
	}
	return im;
}

/* Writes the image to tmpdir/name and opens it; returns pt_source_open's
 * result. The path stays valid (static) for message checks. */
static int open_img(struct img *im, size_t write_len, const char *name, int use_vaddr,
		    struct pt_source *src, struct pt_diag_sink *sink, char *path, size_t pathlen)
{
	tmp_path(path, pathlen, name);
	write_file(path, im->buf, write_len);
	free(im->buf);
	im->buf = NULL;
	const char *inputs[] = { path };
	struct pt_open_opts opts = { .use_vaddr = use_vaddr };
	pt_diag_init(sink, name, NULL);
	pt_source_init(src, name);
	return pt_source_open(src, inputs, 1, &opts, sink);
}

static void close_src(struct pt_source *src, struct pt_diag_sink *sink)
{
	pt_source_free(src);
	pt_diag_free(sink);
}

/* ---- Reading ---- */

/* A PT_NOTE holding a CORE note and then VMCOREINFO: the text is kept as
 * the source's metadata; a note that runs past its segment is ignored. */
static void test_vmcoreinfo_note(void **state)
{
	(void)state;
	static const char text[] = "OSRELEASE=6.1.0-56-cloud-arm64\nPAGESIZE=4096\n"
				   "NUMBER(PHYS_OFFSET)=0x40000000\nCONFIG_ARM64_VA_BITS=48\n";
	const size_t tlen = sizeof text - 1, nsz = 12 + 8 + 8 + 12 + 12 + ((tlen + 3) & ~3u);
	struct ph ph[2] = { { PT_NOTE, 0x100, 0, 0, nsz, 0 },
			    { PT_LOAD, 0x400, 0, 0x40000000, 0x100, 0x100 } };
	for (int broken = 0; broken < 2; broken++) {
		struct img im = make_img(0x500, ph, 2);
		uint8_t *n = im.buf + 0x100;
		put(n, 5, 4); put(n + 4, 8, 4); put(n + 8, 1, 4);
		memcpy(n + 12, "CORE", 5);
		n += 12 + 8 + 8;
		put(n, 11, 4); put(n + 4, broken ? 0x1000 : tlen, 4); put(n + 8, 0, 4);
		memcpy(n + 12, "VMCOREINFO", 11);
		memcpy(n + 24, text, tlen);
		struct pt_source src;
		struct pt_diag_sink sink;
		char path[512], v[64];
		assert_int_equal(open_img(&im, im.size, "note.elf", 0, &src, &sink, path, sizeof path), 0);
		if (broken) {
			assert_null(src.meta.vmcoreinfo);
			assert_int_equal(pt_source_vmcoreinfo(&src, "OSRELEASE", v, sizeof v), -1);
		} else {
			assert_int_equal(pt_source_vmcoreinfo(&src, "OSRELEASE", v, sizeof v), 0);
			assert_string_equal(v, "6.1.0-56-cloud-arm64");
			struct pt_kernel_info k;
			assert_int_equal(pt_source_kernel(&src, &k), 0);
			assert_int_equal(k.page_size, 4096);
			assert_true(k.has_phys_base);
			assert_int_equal(k.phys_base, 0x40000000);
			assert_string_equal(k.configs, "CONFIG_ARM64_VA_BITS=48");
		}
		close_src(&src, &sink);
	}
}

static void test_multi_segment(void **state)
{
	(void)state;
	static uint8_t a[0x2000], b[0x1000], c[100], d[0x1000];
	pattern(a, sizeof a, 1);
	pattern(b, sizeof b, 2);
	pattern(c, sizeof c, 3);
	pattern(d, sizeof d, 4);
	const struct pt_elf_segment segs[] = {
		{ 0x80000000, c, sizeof c },
		{ 0x40004000, b, sizeof b },
		{ 0x40000000, a, sizeof a },
		{ 0x40005000, d, sizeof d },   /* adjacent to b: merged */
	};
	char path[512], err[256] = "";
	tmp_path(path, sizeof path, "multi.elf");
	assert_int_equal(pt_elf_write(path, segs, 4, err, sizeof err), 0);
	assert_string_equal(err, "");

	const char *inputs[] = { path };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	uint8_t got[64];
	pt_diag_init(&sink, "multi", NULL);
	pt_source_init(&src, "multi");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.kind, PT_SRC_ELF);
	assert_int_equal(src.nranges, 3);

	assert_int_equal(pt_source_read(&src, 0x40000000, got, 64), PT_READ_OK);
	assert_memory_equal(got, a, 64);
	assert_int_equal(pt_source_read(&src, 0x40001fe0, got, 32), PT_READ_OK);
	assert_memory_equal(got, a + 0x1fe0, 32);
	assert_int_equal(pt_source_read(&src, 0x40002000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x40004ff0, got, 32), PT_READ_OK);
	assert_memory_equal(got, b + 0xff0, 16);
	assert_memory_equal(got + 16, d, 16);
	assert_int_equal(pt_source_read(&src, 0x80000000 + 36, got, 64), PT_READ_OK);
	assert_memory_equal(got, c + 36, 64);
	assert_int_equal(pt_source_read(&src, 0x80000000 + 37, got, 64), PT_READ_UNMAPPED);
	uint64_t lo, hi;
	assert_int_equal(pt_source_span(&src, &lo, &hi), 0x2000 + 0x2000 + 100);
	assert_int_equal(lo, 0x40000000);
	assert_int_equal(hi, 0x80000000 + 99);
	close_src(&src, &sink);
}

static void test_zero_fill_memsz(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_NOTE, 200, 0, 0, 16, 0 },
		{ PT_LOAD, 256, 0, 0x1000, 0x10, 0x100 },
	};
	struct img im = make_img(256 + 0x10, ph, 2);
	pattern(im.buf + 256, 0x10, 5);
	uint8_t want[0x10], got[0x100], zero[0xf0] = { 0 };
	memcpy(want, im.buf + 256, sizeof want);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "bss.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.nranges, 1);
	assert_int_equal(src.ranges[0].size, 0x100);
	assert_int_equal(src.ranges[0].filesz, 0x10);
	memset(got, 0xee, sizeof got);
	assert_int_equal(pt_source_read(&src, 0x1000, got, 0x100), PT_READ_OK);
	assert_memory_equal(got, want, 0x10);
	assert_memory_equal(got + 0x10, zero, 0xf0);
	assert_int_equal(pt_source_read(&src, 0x10ff, got, 2), PT_READ_UNMAPPED);
	close_src(&src, &sink);
}

static void test_use_vaddr(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 128, 0xffff800000001000ull, 0x1000, 64, 64 } };
	uint8_t want[64], got[64];
	for (int use_vaddr = 0; use_vaddr <= 1; use_vaddr++) {
		struct img im = make_img(128 + 64, ph, 1);
		pattern(im.buf + 128, 64, 6);
		memcpy(want, im.buf + 128, 64);
		struct pt_source src;
		struct pt_diag_sink sink;
		char path[512];
		assert_int_equal(open_img(&im, im.size, "vaddr.elf", use_vaddr, &src, &sink, path,
					  sizeof path), 0);
		uint64_t here = use_vaddr ? 0xffff800000001000ull : 0x1000;
		uint64_t there = use_vaddr ? 0x1000 : 0xffff800000001000ull;
		assert_int_equal(pt_source_read(&src, here, got, 64), PT_READ_OK);
		assert_memory_equal(got, want, 64);
		assert_int_equal(pt_source_read(&src, there, got, 1), PT_READ_UNMAPPED);
		close_src(&src, &sink);
	}
}

/* QEMU writes p_vaddr 0 for every RAM block: with --vaddr they all collide. */
static void test_use_vaddr_qemu_zero(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_LOAD, 256, 0, 0x40000000, 16, 16 },
		{ PT_LOAD, 272, 0, 0x80000000, 16, 16 },
	};
	struct img im = make_img(288, ph, 2);
	pattern(im.buf + 256, 32, 7);
	uint8_t want[16], got[16];
	memcpy(want, im.buf + 256, 16);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "qemu0.elf", 1, &src, &sink, path, sizeof path), 0);
	assert_int_equal(count_rule(&sink, "SRC-OVERLAP"), 1);
	assert_int_equal(src.nranges, 1);
	assert_int_equal(pt_source_read(&src, 0, got, 16), PT_READ_OK);
	assert_memory_equal(got, want, 16);
	close_src(&src, &sink);
}

static void expect_refused(struct img *im, size_t len, const char *name, const char *rule,
			   const char *text)
{
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(im, len, name, 0, &src, &sink, path, sizeof path), -1);
	assert_int_equal(count_rule(&sink, rule), 1);
	const struct pt_diag *d = find_rule(&sink, rule);
	assert_int_equal(d->severity, PT_SEV_ERROR);
	assert_non_null(strstr(d->msg, path));
	if (text && !strstr(d->msg, text))
		fail_msg("message \"%s\" lacks \"%s\"", d->msg, text);
	assert_int_equal(src.nranges, 0);
	assert_int_equal(pt_diag_errors(&sink), 1);
	close_src(&src, &sink);
}

/* Field n bytes wide at p in the given byte order. */
static void put_order(uint8_t *p, uint64_t v, unsigned n, int be)
{
	for (unsigned i = 0; i < n; i++)
		p[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* An ET_CORE of either class and byte order, as QEMU or a 32-bit kdump
 * kernel writes it: a PT_NOTE with VMCOREINFO, then two PT_LOADs (the
 * second with a zero tail). */
static struct img make_core(int cls64, int be)
{
	struct img im = { calloc(1, 0x400), 0x400 };
	assert_non_null(im.buf);
	uint8_t *b = im.buf;
	unsigned eh = cls64 ? 64 : 52, phs = cls64 ? 56 : 32, w = cls64 ? 8 : 4;
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = cls64 ? ELFCLASS64 : ELFCLASS32;
	b[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	b[EI_VERSION] = EV_CURRENT;
	put_order(b + 16, ET_CORE, 2, be);
	put_order(b + 18, cls64 ? EM_AARCH64 : EM_ARM, 2, be);
	put_order(b + 20, EV_CURRENT, 4, be);
	put_order(b + (cls64 ? 32 : 28), eh, w, be);          /* e_phoff */
	put_order(b + (cls64 ? 52 : 40), eh, 2, be);          /* e_ehsize */
	put_order(b + (cls64 ? 54 : 42), phs, 2, be);         /* e_phentsize */
	put_order(b + (cls64 ? 56 : 44), 3, 2, be);           /* e_phnum */
	static const uint64_t type[3] = { PT_NOTE, PT_LOAD, PT_LOAD };
	static const uint64_t off[3] = { 0x100, 0x200, 0x300 };
	static const uint64_t addr[3] = { 0, 0x80000000, 0x80100000 };
	static const uint64_t filesz[3] = { 0x60, 0x100, 0x80 }, memsz[3] = { 0, 0x100, 0x1000 };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t *p = b + eh + phs * i;
		put_order(p, type[i], 4, be);
		/* 64-bit: type, flags, offset, vaddr, paddr, filesz, memsz;
		 * 32-bit: type, offset, vaddr, paddr, filesz, memsz, flags. */
		uint8_t *q = p + (cls64 ? 8 : 4);
		put_order(q, off[i], w, be);
		put_order(q + w, addr[i], w, be);
		put_order(q + 2 * w, addr[i], w, be);
		put_order(q + 3 * w, filesz[i], w, be);
		put_order(q + 4 * w, memsz[i], w, be);
	}
	uint8_t *n = b + 0x100;
	static const char text[] = "OSRELEASE=5.10.0-armmp\nPAGESIZE=4096\n";
	put_order(n, 11, 4, be);
	put_order(n + 4, sizeof text - 1, 4, be);
	memcpy(n + 12, "VMCOREINFO", 11);
	memcpy(n + 24, text, sizeof text - 1);
	pattern(b + 0x200, 0x180, cls64 * 2 + be);
	return im;
}

static void test_every_class_and_order(void **state)
{
	(void)state;
	for (int cls64 = 0; cls64 < 2; cls64++)
		for (int be = 0; be < 2; be++) {
			struct img im = make_core(cls64, be);
			uint8_t want[0x180], got[0x100], zero[0x100] = { 0 };
			memcpy(want, im.buf + 0x200, sizeof want);
			struct pt_source src;
			struct pt_diag_sink sink;
			char path[512], v[64];
			assert_int_equal(open_img(&im, im.size, "core.elf", 0, &src, &sink, path,
						  sizeof path), 0);
			assert_int_equal(sink.nitems, 0);
			assert_int_equal(src.kind, PT_SRC_ELF);
			assert_int_equal(src.nranges, 2);
			assert_int_equal(pt_source_read(&src, 0x80000000, got, 0x100), PT_READ_OK);
			assert_memory_equal(got, want, 0x100);
			assert_int_equal(pt_source_read(&src, 0x80100000, got, 0x80), PT_READ_OK);
			assert_memory_equal(got, want + 0x100, 0x80);
			assert_int_equal(pt_source_read(&src, 0x80100f00, got, 0x100), PT_READ_OK);
			assert_memory_equal(got, zero, 0x100);
			uint64_t run;
			assert_int_equal(pt_source_probe(&src, 0x80100080, &run), PT_MEM_ZERO);
			assert_int_equal(run, 0x1000 - 0x80);
			assert_int_equal(pt_source_vmcoreinfo(&src, "OSRELEASE", v, sizeof v), 0);
			assert_string_equal(v, "5.10.0-armmp");
			close_src(&src, &sink);
		}
}

static void test_unknown_class_refused(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0, 0, 0, 0, 0 } };
	struct img im = make_img(200, ph, 1);
	im.buf[EI_CLASS] = 7;
	expect_refused(&im, 200, "class7.elf", "SRC-ELF-CLASS", "unknown ELF class");
	/* A 40-byte ELF32 header: truncated, named as the 32-bit header it is. */
	im = make_img(200, ph, 1);
	im.buf[EI_CLASS] = ELFCLASS32;
	expect_refused(&im, 40, "elf32.elf", "SRC-ELF-HEADER", "(40 of 52 bytes)");
	im = make_img(200, ph, 1);
	im.buf[EI_DATA] = 0;
	expect_refused(&im, 200, "data0.elf", "SRC-ELF-CLASS", "unknown ELF data encoding");
}

static void test_truncated_header(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_LOAD, 256, 0, 0x1000, 8, 8 },
		{ PT_LOAD, 264, 0, 0x2000, 8, 8 },
	};
	struct img im = make_img(272, ph, 2);
	expect_refused(&im, 10, "ident.elf", "SRC-ELF-HEADER", "identification truncated");
	im = make_img(272, ph, 2);
	expect_refused(&im, 63, "ehdr.elf", "SRC-ELF-HEADER", "ELF header truncated");
	im = make_img(272, ph, 2);
	/* The second program header is cut in half. */
	expect_refused(&im, 64 + 56 + 28, "phdr.elf", "SRC-ELF-HEADER", "program header table");
	im = make_img(272, ph, 2);
	put(im.buf + 32, UINT64_MAX - 8, 8); /* e_phoff that wraps with the table size */
	expect_refused(&im, 272, "phoff.elf", "SRC-ELF-HEADER", "program header table");
	im = make_img(272, ph, 2);
	put(im.buf + 54, 32, 2);             /* e_phentsize smaller than Elf64_Phdr */
	expect_refused(&im, 272, "phent.elf", "SRC-ELF-HEADER", "e_phentsize 32");
	im = make_img(272, ph, 2);
	put(im.buf + 56, PN_XNUM, 2);        /* extended count, but no section header */
	expect_refused(&im, 272, "xnum.elf", "SRC-ELF-HEADER", "PN_XNUM");
}

static void test_no_loads(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_NOTE, 120, 0, 0, 8, 0 } };
	struct img im = make_img(128, ph, 1);
	expect_refused(&im, 128, "noload.elf", "SRC-EMPTY", "no usable PT_LOAD");
	im = make_img(128, ph, 0);
	expect_refused(&im, 128, "nophdr.elf", "SRC-EMPTY", "no usable PT_LOAD");
}

static void test_segment_past_eof(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_LOAD, 0x800, 0, 0x40000000, 0x1000, 0x1000 },  /* half there */
		{ PT_LOAD, 0x10000, 0, 0x50000000, 0x100, 0x100 },  /* not at all */
		{ PT_LOAD, UINT64_MAX, 0, 0x60000000, 0x100, 0x100 }, /* offset + size wraps */
		{ PT_LOAD, 0x200, 0, 0x70000000, 0x10, 0x10 },      /* fine */
	};
	struct img im = make_img(0x1000, ph, 4);
	pattern(im.buf + 0x200, 0x1000 - 0x200, 8);
	uint8_t want[0x800], got[16];
	memcpy(want, im.buf + 0x800, sizeof want);
	uint8_t want4[0x10];
	memcpy(want4, im.buf + 0x200, sizeof want4);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "cut.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(count_rule(&sink, "SRC-SEG-PAST-EOF"), 3);
	const struct pt_diag *d = find_rule(&sink, "SRC-SEG-PAST-EOF");
	char want_msg[700];
	snprintf(want_msg, sizeof want_msg,
		 "%s: segment 0 (p_offset 0x800, p_filesz 0x1000) runs past the end of the file "
		 "(size 0x1000); truncated", path);
	assert_string_equal(d->msg, want_msg);
	assert_true(d->has_addr);
	assert_int_equal(d->addr, 0x40000000);
	assert_int_equal(d->severity, PT_SEV_WARNING);
	assert_non_null(strstr(sink.items[1].msg, "segment 1"));
	assert_non_null(strstr(sink.items[1].msg, "; ignored"));
	assert_int_equal(pt_diag_errors(&sink), 0);

	assert_int_equal(src.nranges, 2);
	assert_int_equal(pt_source_read(&src, 0x400007f0, got, 16), PT_READ_OK);
	assert_memory_equal(got, want + 0x7f0, 16);
	assert_int_equal(pt_source_read(&src, 0x400007f8, got, 16), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x50000000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x60000000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x70000000, got, 16), PT_READ_OK);
	assert_memory_equal(got, want4, 16);
	close_src(&src, &sink);
}

/* When the report's lines start with the file name, messages do not repeat it. */
static void test_message_names_file_once(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0x100, 0, 0x1000, 0x100, 0x100 } };
	struct img im = make_img(0x180, ph, 1);
	char path[512];
	tmp_path(path, sizeof path, "once.elf");
	write_file(path, im.buf, im.size);
	free(im.buf);
	const char *inputs[] = { path };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, path, NULL);
	pt_source_init(&src, path);
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), 0);
	assert_int_equal(sink.nitems, 1);
	assert_string_equal(sink.items[0].msg, "segment 0 (p_offset 0x100, p_filesz 0x100) runs "
			    "past the end of the file (size 0x180); truncated");
	close_src(&src, &sink);
}

/* p_filesz 0 needs no file bytes, so a p_offset past EOF is no problem. */
static void test_filesz_zero_offset_ignored(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0xffffffff00ull, 0, 0x3000, 0, 0x1000 } };
	struct img im = make_img(128, ph, 1);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	uint8_t got[8], zero[8] = { 0 };
	assert_int_equal(open_img(&im, im.size, "bssonly.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(pt_source_read(&src, 0x3ff8, got, 8), PT_READ_OK);
	assert_memory_equal(got, zero, 8);
	close_src(&src, &sink);
}

static void test_overlapping_segments(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_LOAD, 0x200, 0, 0x2000, 0x100, 0x100 },
		{ PT_LOAD, 0x100, 0, 0x1000, 0x100, 0x1100 },   /* reaches into 0x2000 */
		{ PT_LOAD, 0x300, 0, 0x3000, 0x100, 0x100 },
	};
	struct img im = make_img(0x400, ph, 3);
	pattern(im.buf + 0x100, 0x300, 9);
	uint8_t first[0x100], third[0x100], got[0x100], zero[0x100] = { 0 };
	memcpy(first, im.buf + 0x100, sizeof first);
	memcpy(third, im.buf + 0x300, sizeof third);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "overlap.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(count_rule(&sink, "SRC-OVERLAP"), 1);
	assert_int_equal(find_rule(&sink, "SRC-OVERLAP")->addr, 0x2000);
	assert_int_equal(src.nranges, 2);
	assert_int_equal(pt_source_read(&src, 0x1000, got, 0x100), PT_READ_OK);
	assert_memory_equal(got, first, 0x100);
	/* 0x2000 belongs to the lower segment's zero tail, not to the dropped one. */
	assert_int_equal(pt_source_read(&src, 0x2000, got, 0x100), PT_READ_OK);
	assert_memory_equal(got, zero, 0x100);
	assert_int_equal(pt_source_read(&src, 0x3000, got, 0x100), PT_READ_OK);
	assert_memory_equal(got, third, 0x100);
	close_src(&src, &sink);
}

static void test_bad_sizes(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_LOAD, 0x200, 0, 0x1000, 0x10, UINT64_MAX },            /* 2^64-1 bytes */
		{ PT_LOAD, 0x200, 0, 0xfffffffffffff000ull, 0x10, 0x2000 }, /* wraps */
		{ PT_LOAD, 0x200, 0, 0x5000, 0x20, 0x10 },                  /* filesz > memsz */
		{ PT_LOAD, 0x200, 0, 0x6000, 0x10, 0 },                     /* ditto, memsz 0 */
		{ PT_LOAD, 0x200, 0, 0x7000, 0, 0 },                        /* empty: silent */
		{ PT_LOAD, 0x200, 0, 0xfffffffffffff000ull, 0x10, 0x1000 }, /* ends at 2^64-1: fine */
		{ PT_LOAD, 0x200, 0, 0x8000, 0x10, 0x10 },                  /* fine */
	};
	struct img im = make_img(0x210, ph, 7);
	pattern(im.buf + 0x200, 0x10, 10);
	uint8_t want[0x10], got[0x10];
	memcpy(want, im.buf + 0x200, sizeof want);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "sizes.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(count_rule(&sink, "SRC-SEG-SIZE"), 4);
	assert_int_equal(sink.nitems, 4);
	assert_non_null(strstr(sink.items[0].msg, "segment 0"));
	assert_non_null(strstr(sink.items[0].msg, "wraps"));
	assert_non_null(strstr(sink.items[1].msg, "segment 1"));
	assert_non_null(strstr(sink.items[2].msg, "p_filesz is larger than p_memsz"));
	assert_int_equal(sink.items[2].addr, 0x5000);
	assert_int_equal(src.nranges, 2);
	assert_int_equal(pt_source_read(&src, 0x8000, got, 0x10), PT_READ_OK);
	assert_memory_equal(got, want, 0x10);
	assert_int_equal(pt_source_read(&src, UINT64_MAX - 0xfff, got, 0x10), PT_READ_OK);
	assert_memory_equal(got, want, 0x10);
	assert_int_equal(pt_source_read(&src, 0x1000, got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x5000, got, 1), PT_READ_UNMAPPED);
	close_src(&src, &sink);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* 70000 one-byte segments need PN_XNUM; the first 65536 are read and the
 * rest reported, quickly. */
static void test_too_many_segments(void **state)
{
	(void)state;
	enum { N = 70000 };
	struct pt_elf_segment *segs = calloc(N, sizeof *segs);
	uint8_t *bytes = malloc(N);
	assert_non_null(segs);
	assert_non_null(bytes);
	for (size_t i = 0; i < N; i++) {
		bytes[i] = (uint8_t)(i * 37u + 5u);
		/* Not adjacent, so the writer cannot merge them; written in reverse. */
		segs[i] = (struct pt_elf_segment){ 0x100000 + 2 * (uint64_t)(N - 1 - i),
						    &bytes[N - 1 - i], 1 };
	}
	char path[512], err[256];
	tmp_path(path, sizeof path, "many.elf");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pt_elf_write(path, segs, N, err, sizeof err), 0);

	size_t len;
	uint8_t *file = read_whole(path, &len);
	assert_int_equal(get(file + 56, 2), PN_XNUM);
	uint64_t shoff = get(file + 40, 8);
	assert_true(shoff + 64 <= len);
	assert_int_equal(get(file + shoff + 44, 4), N);   /* sh_info */
	assert_int_equal(len, 64 + 56 * (size_t)N + 64 + N);
	free(file);

	const char *inputs[] = { path };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "many", NULL);
	pt_source_init(&src, "many");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), 0);
	assert_int_equal(src.nranges, PT_SOURCE_MAX_RANGES);
	assert_int_equal(count_rule(&sink, "SRC-TOO-MANY"), 1);
	assert_int_equal(sink.nitems, 1);
	char want[80];
	snprintf(want, sizeof want, "the %u PT_LOAD", N - PT_SOURCE_MAX_RANGES);
	assert_non_null(strstr(sink.items[0].msg, want));
	uint8_t got;
	assert_int_equal(pt_source_read(&src, 0x100000, &got, 1), PT_READ_OK);
	assert_int_equal(got, bytes[0]);
	uint64_t last = 0x100000 + 2 * (uint64_t)(PT_SOURCE_MAX_RANGES - 1);
	assert_int_equal(pt_source_read(&src, last, &got, 1), PT_READ_OK);
	assert_int_equal(got, bytes[PT_SOURCE_MAX_RANGES - 1]);
	assert_int_equal(pt_source_read(&src, last + 2, &got, 1), PT_READ_UNMAPPED);
	assert_int_equal(pt_source_read(&src, 0x100001, &got, 1), PT_READ_UNMAPPED);
	close_src(&src, &sink);
	free(segs);
	free(bytes);
	/* Generous for sanitizer builds; the point is that nothing is quadratic. */
	assert_true(seconds_since(&t0) < 10.0);
}

/* A hostile PN_XNUM count far beyond the table in the file. */
static void test_xnum_hostile(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0x100, 0, 0x1000, 0x10, 0x10 } };
	struct img im = make_img(0x200, ph, 1);
	put(im.buf + 56, PN_XNUM, 2);
	put(im.buf + 40, 0x180, 8);             /* e_shoff */
	put(im.buf + 0x180 + 44, 0xffffffff, 4); /* sh_info */
	expect_refused(&im, 0x200, "xnum-big.elf", "SRC-ELF-HEADER", "4294967295 entries");

	im = make_img(0x200, ph, 1);
	put(im.buf + 56, PN_XNUM, 2);
	put(im.buf + 40, 0x1c8, 8);             /* section header cut by EOF */
	expect_refused(&im, 0x200, "xnum-cut.elf", "SRC-ELF-HEADER", "PN_XNUM");

	/* A correct extended count of 1 reads like e_phnum = 1. */
	im = make_img(0x200, ph, 1);
	put(im.buf + 56, PN_XNUM, 2);
	put(im.buf + 40, 0x180, 8);
	put(im.buf + 0x180 + 44, 1, 4);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "xnum1.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(src.nranges, 1);
	assert_int_equal(src.ranges[0].addr, 0x1000);
	close_src(&src, &sink);
}

static void test_ehsize_8_and_type(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_NOTE, 0x100, 0, 0, 0x10, 0 },
		{ PT_LOAD, 0x110, 0, 0x40000000, 0x20, 0x20 },
	};
	struct img im = make_img(0x130, ph, 2);
	put(im.buf + 52, 8, 2);   /* QEMU 7.2: sizeof a pointer */
	pattern(im.buf + 0x110, 0x20, 11);
	uint8_t want[0x20], got[0x20];
	memcpy(want, im.buf + 0x110, sizeof want);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "qemu72.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(pt_source_read(&src, 0x40000000, got, 0x20), PT_READ_OK);
	assert_memory_equal(got, want, 0x20);
	close_src(&src, &sink);

	/* ET_EXEC: warned about, read anyway. */
	im = make_img(0x130, ph, 2);
	put(im.buf + 16, ET_EXEC, 2);
	pattern(im.buf + 0x110, 0x20, 11);
	assert_int_equal(open_img(&im, im.size, "exec.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(count_rule(&sink, "SRC-ELF-TYPE"), 1);
	assert_int_equal(find_rule(&sink, "SRC-ELF-TYPE")->severity, PT_SEV_WARNING);
	assert_int_equal(pt_diag_errors(&sink), 0);
	assert_int_equal(pt_source_read(&src, 0x40000000, got, 0x20), PT_READ_OK);
	assert_memory_equal(got, want, 0x20);
	close_src(&src, &sink);
}

/* Larger program header entries are stepped over by e_phentsize. */
static void test_wide_phentsize(void **state)
{
	(void)state;
	struct img im = { calloc(1, 0x200), 0x200 };
	assert_non_null(im.buf);
	memcpy(im.buf, ELFMAG, SELFMAG);
	im.buf[EI_CLASS] = ELFCLASS64;
	im.buf[EI_DATA] = ELFDATA2LSB;
	put(im.buf + 16, ET_CORE, 2);
	put(im.buf + 32, 64, 8);
	put(im.buf + 54, 64, 2);   /* 8 bytes of padding per entry */
	put(im.buf + 56, 2, 2);
	for (unsigned i = 0; i < 2; i++) {
		uint8_t *p = im.buf + 64 + 64 * i;
		put(p, PT_LOAD, 4);
		put(p + 8, 0x100 + 0x10 * i, 8);
		put(p + 24, 0x1000 + 0x1000 * i, 8);
		put(p + 32, 0x10, 8);
		put(p + 40, 0x10, 8);
	}
	pattern(im.buf + 0x100, 0x20, 12);
	uint8_t want[0x20], got[0x10];
	memcpy(want, im.buf + 0x100, sizeof want);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512];
	assert_int_equal(open_img(&im, im.size, "wide.elf", 0, &src, &sink, path, sizeof path), 0);
	assert_int_equal(src.nranges, 2);
	assert_int_equal(pt_source_read(&src, 0x2000, got, 0x10), PT_READ_OK);
	assert_memory_equal(got, want + 0x10, 0x10);
	close_src(&src, &sink);
}

/* Direct call without a sink must not crash. */
static void test_add_elf_without_sink(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0x800, 0, 0x1000, 0x100, 0x100 } };
	struct img im = make_img(0x100, ph, 1);
	char path[512], err[256];
	tmp_path(path, sizeof path, "nosink.elf");
	write_file(path, im.buf, im.size);
	free(im.buf);
	struct pt_source src;
	pt_source_init(&src, "nosink");
	int f = pt_source_map_file(&src, path, err, sizeof err);
	assert_int_equal(f, 0);
	assert_int_equal(pt_source_add_elf(&src, (uint32_t)f, 0, NULL), -1);
	assert_int_equal(pt_source_add_elf(&src, 5, 0, NULL), -1);
	assert_int_equal(src.nranges, 0);
	pt_source_free(&src);
}

/* Every prefix of a valid core opens or fails cleanly, never reading out of
 * bounds (the sanitizer build checks the "never"). */
static void test_every_truncation(void **state)
{
	(void)state;
	const struct ph ph[] = {
		{ PT_NOTE, 0xe8, 0, 0, 0x8, 0 },
		{ PT_LOAD, 0xf0, 0, 0x1000, 0x20, 0x40 },
		{ PT_LOAD, 0x110, 0, 0x2000, 0x20, 0x20 },
	};
	struct img full = make_img(0x130, ph, 3);
	pattern(full.buf + 0xe8, 0x130 - 0xe8, 13);
	char path[512];
	tmp_path(path, sizeof path, "prefix.elf");
	unsigned opened = 0;
	for (size_t len = 0; len <= full.size; len++) {
		write_file(path, full.buf, len);
		const char *inputs[] = { path };
		struct pt_open_opts opts = { 0 };
		struct pt_diag_sink sink;
		struct pt_source src;
		pt_diag_init(&sink, "prefix", NULL);
		pt_source_init(&src, "prefix");
		int rc = pt_source_open(&src, inputs, 1, &opts, &sink);
		/* 1 to 3 bytes are not yet ELF: a raw image at 0. From 4 bytes on
		 * the file is ELF and needs its headers and a first segment byte. */
		if (len >= 1 && len < 4)
			assert_int_equal(rc, 0);
		else if (len <= 0xf0)
			assert_int_equal(rc, -1);
		else
			assert_int_equal(rc, 0);
		if (rc == 0 && len > 0xf0) {
			uint8_t got;
			assert_int_equal(pt_source_read(&src, 0x1000, &got, 1), PT_READ_OK);
			assert_int_equal(got, full.buf[0xf0]);
			assert_int_equal(count_rule(&sink, "SRC-SEG-PAST-EOF"), len < 0x130 ? 1 + (len < 0x110) : 0);
		}
		opened += rc == 0;
		close_src(&src, &sink);
	}
	assert_int_equal(opened, 3 + (0x130 - 0xf1 + 1));
	free(full.buf);
}

/* ---- Writing ---- */

static void test_write_round_trip(void **state)
{
	(void)state;
	static uint8_t a[0x3000], b[0x1000];
	pattern(a, sizeof a, 14);
	pattern(b, sizeof b, 15);
	const struct pt_elf_segment segs[] = {
		{ 0x90000000, b, sizeof b },
		{ 0x80000000, a, sizeof a },
		{ 0x70000000, a, 0 },         /* empty: left out */
	};
	char path[512], err[256] = "";
	tmp_path(path, sizeof path, "rt.elf");
	unsigned before = tmpdir_entries();
	assert_int_equal(pt_elf_write(path, segs, 3, err, sizeof err), 0);
	assert_int_equal(tmpdir_entries(), before + 1);

	size_t len;
	uint8_t *f = read_whole(path, &len);
	assert_memory_equal(f, ELFMAG, SELFMAG);
	assert_int_equal(f[EI_CLASS], ELFCLASS64);
	assert_int_equal(f[EI_DATA], ELFDATA2LSB);
	assert_int_equal(f[EI_VERSION], EV_CURRENT);
	assert_int_equal(get(f + 16, 2), ET_CORE);
	assert_int_equal(get(f + 18, 2), EM_AARCH64);
	assert_int_equal(get(f + 32, 8), 64);       /* e_phoff */
	assert_int_equal(get(f + 52, 2), 64);       /* e_ehsize */
	assert_int_equal(get(f + 54, 2), 56);       /* e_phentsize */
	assert_int_equal(get(f + 56, 2), 2);        /* e_phnum */
	assert_int_equal(len, 0x1000 + 0x3000 + 0x1000);
	const uint64_t addr[2] = { 0x80000000, 0x90000000 }, size[2] = { 0x3000, 0x1000 };
	const uint8_t *data[2] = { a, b };
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *p = f + 64 + 56 * i;
		uint64_t off = get(p + 8, 8);
		assert_int_equal(get(p, 4), PT_LOAD);
		assert_int_equal(get(p + 16, 8), addr[i]);  /* p_vaddr */
		assert_int_equal(get(p + 24, 8), addr[i]);  /* p_paddr */
		assert_int_equal(get(p + 32, 8), size[i]);
		assert_int_equal(get(p + 40, 8), size[i]);
		assert_int_equal(get(p + 48, 8), 4096);
		assert_int_equal(off % 4096, 0);
		assert_true(off + size[i] <= len);
		assert_memory_equal(f + off, data[i], size[i]);
	}
	free(f);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

	/* Unaligned segments are packed with p_align 1; overwriting is atomic. */
	const struct pt_elf_segment odd[] = { { 0x1003, b, 5 }, { 0x2000, a, 7 } };
	assert_int_equal(pt_elf_write(path, odd, 2, err, sizeof err), 0);
	f = read_whole(path, &len);
	assert_int_equal(len, 64 + 2 * 56 + 12);
	assert_int_equal(get(f + 64 + 48, 8), 1);
	assert_int_equal(get(f + 64 + 8, 8), 64 + 2 * 56);
	assert_memory_equal(f + 64 + 2 * 56, b, 5);
	assert_memory_equal(f + 64 + 2 * 56 + 5, a, 7);
	free(f);
	assert_int_equal(tmpdir_entries(), before + 1);
}

static void test_write_errors(void **state)
{
	(void)state;
	uint8_t a[64] = { 0 };
	char path[512], err[256];
	tmp_path(path, sizeof path, "bad.elf");
	unsigned before = tmpdir_entries();
	const struct pt_elf_segment overlap[] = { { 0x1000, a, 64 }, { 0x1020, a, 64 } };
	err[0] = '\0';
	assert_int_equal(pt_elf_write(path, overlap, 2, err, sizeof err), -1);
	assert_non_null(strstr(err, "overlaps"));
	const struct pt_elf_segment wrap[] = { { UINT64_MAX - 10, a, 64 } };
	assert_int_equal(pt_elf_write(path, wrap, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "wraps"));
	const struct pt_elf_segment nodata[] = { { 0x1000, NULL, 64 } };
	assert_int_equal(pt_elf_write(path, nodata, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "no data"));
	assert_int_equal(tmpdir_entries(), before);
	assert_int_equal(access(path, F_OK), -1);

	char nodir[600];
	snprintf(nodir, sizeof nodir, "%s/missing/dir/out.elf", tmpdir);
	const struct pt_elf_segment ok[] = { { 0x1000, a, 64 } };
	assert_int_equal(pt_elf_write(nodir, ok, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "temporary"));
	/* A directory is refused before any temporary file is made. */
	char dir[600];
	snprintf(dir, sizeof dir, "%s/adir", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(pt_elf_write(dir, ok, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "is a directory"));
	assert_int_equal(tmpdir_entries(), before + 1);
	assert_int_equal(rmdir(dir), 0);
}

static void test_write_empty(void **state)
{
	(void)state;
	char path[512], err[256];
	tmp_path(path, sizeof path, "none.elf");
	assert_int_equal(pt_elf_write(path, NULL, 0, err, sizeof err), 0);
	size_t len;
	uint8_t *f = read_whole(path, &len);
	assert_int_equal(len, 64);
	assert_int_equal(get(f + 56, 2), 0);
	free(f);
	/* Which reads back as a core with nothing in it. */
	const char *inputs[] = { path };
	struct pt_open_opts opts = { 0 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "none", NULL);
	pt_source_init(&src, "none");
	assert_int_equal(pt_source_open(&src, inputs, 1, &opts, &sink), -1);
	assert_int_equal(count_rule(&sink, "SRC-EMPTY"), 1);
	close_src(&src, &sink);
}

static void test_write_pages_round_trip(void **state)
{
	(void)state;
	/* Raw memory: 5 pages at 0x80000000 and 4 KiB at 0x90000800, which
	 * covers half of page 0x90000 and half of page 0x90001. */
	static uint8_t ram[0x5000], odd[0x1000];
	pattern(ram, sizeof ram, 16);
	pattern(odd, sizeof odd, 17);
	char p0[512], p1[512], i0[600], i1[600];
	tmp_path(p0, sizeof p0, "ram.bin");
	tmp_path(p1, sizeof p1, "odd.bin");
	write_file(p0, ram, sizeof ram);
	write_file(p1, odd, sizeof odd);
	snprintf(i0, sizeof i0, "%s@0x80000000", p0);
	snprintf(i1, sizeof i1, "%s@0x90000800", p1);
	const char *inputs[] = { i0, i1 };
	struct pt_open_opts opts = { .track_pages = 1 };
	struct pt_diag_sink sink;
	struct pt_source src;
	pt_diag_init(&sink, "pages", NULL);
	pt_source_init(&src, "pages");
	assert_int_equal(pt_source_open(&src, inputs, 2, &opts, &sink), 0);
	uint8_t got[16];
	assert_int_equal(pt_source_read(&src, 0x80001000, got, 16), PT_READ_OK);

	const uint64_t pages[] = { 0x80003, 0x80000, 0x80001, 0x80001, 0x12345, 0x90001,
				   0x90000, UINT64_MAX };
	char out[512], err[256] = "";
	tmp_path(out, sizeof out, "saved.elf");
	assert_int_equal(pt_elf_write_pages(out, &src, pages, 8, err, sizeof err), 0);
	assert_string_equal(err, "");
	/* Writing read every saved page, but that is not a decode's read. */
	const uint64_t *touched;
	assert_int_equal(pt_pageset_sorted(src.touched, &touched), 1);
	assert_int_equal(touched[0], 0x80001);
	close_src(&src, &sink);

	size_t len;
	uint8_t *f = read_whole(out, &len);
	assert_int_equal(get(f + 56, 2), 3);
	assert_int_equal(get(f + 64 + 48, 8), 1);   /* one unaligned run: packed */
	free(f);

	const char *again[] = { out };
	struct pt_open_opts plain = { 0 };
	pt_diag_init(&sink, "saved", NULL);
	pt_source_init(&src, "saved");
	assert_int_equal(pt_source_open(&src, again, 1, &plain, &sink), 0);
	assert_int_equal(sink.nitems, 0);
	assert_int_equal(src.nranges, 3);
	assert_int_equal(src.ranges[0].addr, 0x80000000);
	assert_int_equal(src.ranges[0].size, 0x2000);
	assert_int_equal(src.ranges[1].addr, 0x80003000);
	assert_int_equal(src.ranges[1].size, 0x1000);
	assert_int_equal(src.ranges[2].addr, 0x90000800);
	assert_int_equal(src.ranges[2].size, 0x1000);
	static uint8_t back[0x2000];
	assert_int_equal(pt_source_read(&src, 0x80000000, back, 0x2000), PT_READ_OK);
	assert_memory_equal(back, ram, 0x2000);
	assert_int_equal(pt_source_read(&src, 0x80003000, back, 0x1000), PT_READ_OK);
	assert_memory_equal(back, ram + 0x3000, 0x1000);
	assert_int_equal(pt_source_read(&src, 0x90000800, back, 0x1000), PT_READ_OK);
	assert_memory_equal(back, odd, 0x1000);
	assert_int_equal(pt_source_read(&src, 0x80002000, back, 1), PT_READ_UNMAPPED);
	close_src(&src, &sink);
}

/* Whole aligned pages come out page-aligned, zero tails included. */
static void test_write_pages_aligned(void **state)
{
	(void)state;
	const struct ph ph[] = { { PT_LOAD, 0x1000, 0, 0x40000000, 0x800, 0x3000 } };
	struct img im = make_img(0x1800, ph, 1);
	pattern(im.buf + 0x1000, 0x800, 18);
	uint8_t want[0x800];
	memcpy(want, im.buf + 0x1000, sizeof want);
	struct pt_source src;
	struct pt_diag_sink sink;
	char path[512], out[512], err[256];
	assert_int_equal(open_img(&im, im.size, "tail.elf", 0, &src, &sink, path, sizeof path), 0);
	const uint64_t pages[] = { 0x40000, 0x40002 };
	tmp_path(out, sizeof out, "tail-saved.elf");
	assert_int_equal(pt_elf_write_pages(out, &src, pages, 2, err, sizeof err), 0);
	close_src(&src, &sink);

	size_t len;
	uint8_t *f = read_whole(out, &len);
	assert_int_equal(get(f + 56, 2), 2);
	assert_int_equal(len, 0x1000 + 0x2000);
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *p = f + 64 + 56 * i;
		assert_int_equal(get(p + 48, 8), 4096);
		assert_int_equal(get(p + 24, 8), 0x40000000 + 0x2000 * i);
		assert_int_equal(get(p + 8, 8), 0x1000 + 0x1000 * i);
	}
	assert_memory_equal(f + 0x1000, want, 0x800);
	for (size_t i = 0x1800; i < len; i++)
		assert_int_equal(f[i], 0);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multi_segment),
		cmocka_unit_test(test_vmcoreinfo_note),
		cmocka_unit_test(test_zero_fill_memsz),
		cmocka_unit_test(test_use_vaddr),
		cmocka_unit_test(test_use_vaddr_qemu_zero),
		cmocka_unit_test(test_every_class_and_order),
		cmocka_unit_test(test_unknown_class_refused),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_no_loads),
		cmocka_unit_test(test_segment_past_eof),
		cmocka_unit_test(test_message_names_file_once),
		cmocka_unit_test(test_filesz_zero_offset_ignored),
		cmocka_unit_test(test_overlapping_segments),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_too_many_segments),
		cmocka_unit_test(test_xnum_hostile),
		cmocka_unit_test(test_ehsize_8_and_type),
		cmocka_unit_test(test_wide_phentsize),
		cmocka_unit_test(test_add_elf_without_sink),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_write_round_trip),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_write_empty),
		cmocka_unit_test(test_write_pages_round_trip),
		cmocka_unit_test(test_write_pages_aligned),
	};
	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
