/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mkelf OUTDIR: writes the small ELF cores of testdata/elf/, well-formed and
 * hostile, so that CLI tests and fuzz seeds can name them. The bytes are built
 * by hand (not with core/elf_write.c) because most of them are deliberately
 * wrong. Deterministic: running it again gives identical files. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMG_MAX 1024u

struct ph {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

struct sample {
	const char *name;
	const char *what;
	size_t size;               /* bytes written */
	struct ph ph[4];
	unsigned nph;
	/* Header damage applied after the image is built. */
	unsigned cls, data, type, ehsize, phentsize, phnum;
	uint64_t phoff;            /* 0: right after the ELF header */
	uint64_t shoff;            /* PN_XNUM samples: section header 0 */
	uint32_t sh_info;
};

static const struct sample samples[] = {
	{ "two-segments.elf", "PT_NOTE, a RAM block at 0x40000000 and one at 0x80000000 "
	  "whose last 0x40 bytes are a zero tail (p_filesz < p_memsz)", 0x200,
	  { { PT_NOTE, 0x100, 0, 0x20, 0 }, { PT_LOAD, 0x120, 0x40000000, 0x80, 0x80 },
	    { PT_LOAD, 0x1a0, 0x80000000, 0x40, 0x80 } }, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "qemu72-ehsize8.elf", "QEMU 7.2 dump-guest-memory: e_ehsize 8; accepted", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, 0, 0, 8, 0, 0, 0, 0, 0 },
	{ "not-core.elf", "e_type ET_EXEC: SRC-ELF-TYPE warning, read anyway", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, 0, ET_EXEC, 0, 0, 0, 0, 0, 0 },
	{ "elf32.elf", "ELFCLASS32 core (32-bit kdump kernel): a RAM block at 0x40000000; "
	  "accepted", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, ELFCLASS32, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "big-endian.elf", "ELFDATA2MSB core (s390x, ppc64): a RAM block at 0x40000000; "
	  "accepted", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, ELFDATA2MSB, 0, 0, 0, 0, 0, 0, 0 },
	{ "elf32-be.elf", "ELFCLASS32 ELFDATA2MSB core (32-bit PowerPC): a RAM block at "
	  "0x40000000; accepted", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, ELFCLASS32, ELFDATA2MSB, 0, 0, 0, 0, 0,
	  0, 0 },
	{ "truncated-header.elf", "40 bytes of a 64-byte header: SRC-ELF-HEADER", 40,
	  { { 0 } }, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "truncated-phdrs.elf", "e_phnum 3, the table ends mid-entry: SRC-ELF-HEADER", 150,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0 },
	{ "small-phentsize.elf", "e_phentsize 32: SRC-ELF-HEADER", 0x180,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, 0, 0, 0, 32, 0, 0, 0, 0 },
	{ "xnum-hostile.elf", "e_phnum PN_XNUM, sh_info 0xffffffff: SRC-ELF-HEADER", 0x200,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 } }, 1, 0, 0, 0, 0, 0, PN_XNUM, 0, 0x180,
	  0xffffffffu },
	{ "seg-past-eof.elf", "segment 0 half past EOF (truncated), segment 1 wholly past "
	  "(ignored): SRC-SEG-PAST-EOF x2", 0x180,
	  { { PT_LOAD, 0x140, 0x40000000, 0x80, 0x80 }, { PT_LOAD, 0x1000, 0x50000000, 0x80, 0x80 } },
	  2, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "seg-size.elf", "p_memsz 2^64-1, an address wrap and p_filesz > p_memsz: "
	  "SRC-SEG-SIZE x3; one good segment at 0x40000000", 0x200,
	  { { PT_LOAD, 0x100, 0x1000, 0x80, UINT64_MAX },
	    { PT_LOAD, 0x100, 0xfffffffffffff000ull, 0x80, 0x2000 },
	    { PT_LOAD, 0x100, 0x2000, 0x80, 0x40 }, { PT_LOAD, 0x180, 0x40000000, 0x80, 0x80 } },
	  4, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "overlap.elf", "segment 1 starts inside segment 0: SRC-OVERLAP", 0x200,
	  { { PT_LOAD, 0x100, 0x40000000, 0x80, 0x80 }, { PT_LOAD, 0x180, 0x40000040, 0x80, 0x80 } },
	  2, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "no-load.elf", "only a PT_NOTE: SRC-EMPTY", 0x180,
	  { { PT_NOTE, 0x100, 0, 0x20, 0 } }, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static int big_endian;

/* n bytes of v at p in the byte order of the file being built. */
static void put(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[big_endian ? n - 1 - i : i] = (uint8_t)v;
}

/* Payload bytes that differ at every offset, so misplaced reads show. */
static void fill(uint8_t *b, size_t size)
{
	for (size_t i = 0; i < size; i++)
		b[i] = (uint8_t)(i * 13u + 7u);
}

/* ELF32 headers: the same fields at other offsets and widths. */
static void build32(const struct sample *s, uint8_t *b)
{
	memset(b, 0, 52 + 32 * (size_t)s->nph);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = ELFCLASS32;
	b[EI_DATA] = (uint8_t)(s->data ? s->data : ELFDATA2LSB);
	b[EI_VERSION] = EV_CURRENT;
	put(b + 16, s->type ? s->type : ET_CORE, 2);
	put(b + 18, EM_ARM, 2);
	put(b + 20, EV_CURRENT, 4);
	put(b + 28, s->phoff ? s->phoff : 52, 4);
	put(b + 40, s->ehsize ? s->ehsize : 52, 2);
	put(b + 42, s->phentsize ? s->phentsize : 32, 2);
	put(b + 44, s->phnum ? s->phnum : s->nph, 2);
	for (unsigned i = 0; i < s->nph; i++) {
		uint8_t *p = b + 52 + 32 * i;
		put(p, s->ph[i].type, 4);
		put(p + 4, s->ph[i].offset, 4);
		put(p + 12, s->ph[i].paddr, 4);
		put(p + 16, s->ph[i].filesz, 4);
		put(p + 20, s->ph[i].memsz, 4);
		put(p + 24, PF_R | PF_W | PF_X, 4);
		put(p + 28, 1, 4);
	}
}

static void build(const struct sample *s, uint8_t *b)
{
	fill(b, IMG_MAX);
	big_endian = s->data == ELFDATA2MSB;
	if (s->cls == ELFCLASS32) {
		build32(s, b);
		return;
	}
	memset(b, 0, 64 + 56 * (size_t)s->nph);
	memcpy(b, ELFMAG, SELFMAG);
	b[EI_CLASS] = (uint8_t)(s->cls ? s->cls : ELFCLASS64);
	b[EI_DATA] = (uint8_t)(s->data ? s->data : ELFDATA2LSB);
	b[EI_VERSION] = EV_CURRENT;
	put(b + 16, s->type ? s->type : ET_CORE, 2);
	put(b + 18, EM_AARCH64, 2);
	put(b + 20, EV_CURRENT, 4);
	put(b + 32, s->phoff ? s->phoff : 64, 8);
	put(b + 52, s->ehsize ? s->ehsize : 64, 2);
	put(b + 54, s->phentsize ? s->phentsize : 56, 2);
	put(b + 56, s->phnum ? s->phnum : s->nph, 2);
	for (unsigned i = 0; i < s->nph; i++) {
		uint8_t *p = b + 64 + 56 * i;
		put(p, s->ph[i].type, 4);
		put(p + 4, PF_R | PF_W | PF_X, 4);
		put(p + 8, s->ph[i].offset, 8);
		put(p + 24, s->ph[i].paddr, 8);
		put(p + 32, s->ph[i].filesz, 8);
		put(p + 40, s->ph[i].memsz, 8);
		put(p + 48, 1, 8);
	}
	if (s->shoff) {
		put(b + 40, s->shoff, 8);
		put(b + 58, 64, 2);
		put(b + 60, 1, 2);
		memset(b + s->shoff, 0, 64);
		put(b + s->shoff + 44, s->sh_info, 4);
	}
}

static int write_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkelf OUTDIR\n");
		return 2;
	}
	static uint8_t b[IMG_MAX];
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		build(&samples[i], b);
		if (write_file(argv[1], samples[i].name, b, samples[i].size) != 0)
			return 1;
		printf("%-22s %s\n", samples[i].name, samples[i].what);
	}
	/* Not ELF at all: the kdump-compressed signature. */
	memset(b, 0, 512);
	memcpy(b, "KDUMP   ", 8);
	if (write_file(argv[1], "kdump-compressed.bin", b, 512) != 0)
		return 1;
	printf("%-22s %s\n", "kdump-compressed.bin",
	       "\"KDUMP   \" signature and nothing else: SRC-KDUMP-HEADER");
	return 0;
}
