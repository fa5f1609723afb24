/* SPDX-License-Identifier: GPL-2.0-or-later */
/* elf: the ELF core source (core/source_elf.c) and the bounds-checked reader
 * over the ranges it produces (core/source.c).
 *
 * Input: an ELF file. Byte 15 of e_ident (padding, ignored by the parser)
 * picks p_vaddr instead of p_paddr when its bit 0 is set, and no diagnostic
 * sink when its bit 1 is. After
 * pt_source_add_elf + pt_source_finish the ranges must be sorted, disjoint,
 * inside the file, and every read must return the file's bytes (zeros past
 * p_filesz) or fail exactly where no range covers the address. A small CD
 * walk then runs over the lowest segment.
 *
 * The custom mutator edits the ELF header and program headers as fields
 * (counts, offsets, sizes, addresses set to boundary values or to values
 * taken from other segments), which byte flips reach only by luck. */
#include <elf.h>

#include "fuzz.h"

/* Reads at interesting addresses: every range's edges, one past them, and a
 * read spanning the gap to the next range. */
static void check_ranges(struct pt_source *src, const uint8_t *data, size_t size)
{
	for (uint32_t i = 0; i < src->nranges; i++) {
		const struct pt_range *r = &src->ranges[i];
		FZ_CHECK(r->size > 0 && r->filesz <= r->size, "range %u: size 0x%llx filesz 0x%llx",
			 i, (unsigned long long)r->size, (unsigned long long)r->filesz);
		FZ_CHECK(r->addr + (r->size - 1) >= r->addr, "range %u wraps", i);
		FZ_CHECK(r->data >= data && r->filesz <= size && r->data - data <= (ptrdiff_t)(size - r->filesz),
			 "range %u data outside the file", i);
		if (i) {
			const struct pt_range *p = &src->ranges[i - 1];
			FZ_CHECK(p->addr < r->addr && r->addr - p->addr >= p->size,
				 "ranges %u and %u overlap or are unsorted", i - 1, i);
		}
		uint64_t probes[4] = { r->addr, r->addr + r->size - 1, r->addr + r->filesz,
				       r->addr + r->filesz - 1 };
		for (int k = 0; k < 4; k++) {
			uint64_t a = probes[k];
			if (a - r->addr >= r->size)
				continue;
			uint8_t b = 0xaa;
			FZ_CHECK(pt_source_read(src, a, &b, 1) == PT_READ_OK, "read 0x%llx failed",
				 (unsigned long long)a);
			uint64_t off = a - r->addr;
			uint8_t want = off < r->filesz ? r->data[off] : 0;
			FZ_CHECK(b == want, "byte at 0x%llx: read 0x%02x, file holds 0x%02x",
				 (unsigned long long)a, b, want);
			FZ_CHECK(pt_source_covers(src, a, 1), "0x%llx not covered",
				 (unsigned long long)a);
		}
		/* Just past the range: mapped only when the next range starts there. */
		uint64_t past = r->addr + r->size;
		if (past != 0) {
			int next = i + 1 < src->nranges && src->ranges[i + 1].addr == past;
			uint8_t b;
			enum pt_read_status st = pt_source_read(src, past, &b, 1);
			FZ_CHECK((st == PT_READ_OK) == next, "read just past range %u: %d", i, st);
			FZ_CHECK(pt_source_covers(src, past, 1) == next, "covers past range %u", i);
		}
		/* A read across the end of this range into whatever follows. */
		uint8_t buf[64];
		uint64_t from = r->size > 32 ? r->addr + r->size - 32 : r->addr;
		enum pt_read_status st = pt_source_read(src, from, buf, sizeof buf);
		int covered = pt_source_covers(src, from, sizeof buf);
		FZ_CHECK((st == PT_READ_OK) == (covered != 0), "read and covers disagree at 0x%llx",
			 (unsigned long long)from);
	}
	uint64_t lo, hi;
	uint64_t total = pt_source_span(src, &lo, &hi);
	if (src->nranges)
		FZ_CHECK(lo == src->ranges[0].addr && total >= src->ranges[0].size, "span");
	/* The very top of the address space: reads must not wrap. */
	uint8_t b[2];
	FZ_CHECK(pt_source_read(src, UINT64_MAX, b, 2) == PT_READ_OVERFLOW, "read wraps 2^64");
}

static void small_walk(struct pt_source *src, struct pt_diag_sink *diags)
{
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = pt_format_find("smmuv3-cd");
	cfg.layout = &cfg.fmt->layouts[0];
	cfg.base = src->ranges[0].addr;
	cfg.ssid_bits = 3;
	struct pt_walk w;
	memset(&w, 0, sizeof w);
	w.cfg = &cfg;
	w.src = src;
	w.diags = diags;
	w.validate = 1;
	pt_walk_run(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	struct pt_source src;
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "fuzz.elf", NULL);
	pt_source_init(&src, "fuzz.elf");
	int f = pt_source_add_buffer(&src, "fuzz.elf", data, size);
	FZ_CHECK(f == 0, "add_buffer gave %d", f);
	int use_vaddr = size > EI_PAD + 7 && (data[EI_NIDENT - 1] & 1);
	/* A caller without a sink (bit 1 of the same padding byte). */
	int quiet = size > EI_PAD + 7 && (data[EI_NIDENT - 1] & 2);
	int rc = pt_source_add_elf(&src, 0, use_vaddr, quiet ? NULL : &diags);
	int fin = pt_source_finish(&src, &diags);
	if (rc == 0)
		FZ_CHECK(fin == 0, "segments were added but none survived finish");
	check_ranges(&src, data, size);
	if (src.nranges)
		small_walk(&src, &diags);
	pt_diag_flush_text(&diags, fz_null());
	pt_source_free(&src);
	pt_diag_free(&diags);
	return 0;
}

/* ---- structure-aware mutations ---- */

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/* Turn arbitrary bytes into a valid core with one PT_LOAD carrying them. */
static size_t wrap_in_elf(uint8_t *data, size_t size, size_t max_size, uint32_t *s)
{
	size_t hdr = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
	if (max_size < hdr)
		return size;
	size_t keep = size < max_size - hdr ? size : max_size - hdr;
	memmove(data + hdr, data, keep);
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
	eh.e_phnum = 1;
	Elf64_Phdr ph;
	memset(&ph, 0, sizeof ph);
	ph.p_type = PT_LOAD;
	ph.p_offset = hdr;
	ph.p_paddr = ph.p_vaddr = (uint64_t)(fz_rand(s) % 16) << 28;
	ph.p_filesz = keep;
	ph.p_memsz = keep + (fz_rand(s) % 2 ? 0 : 0x1000);
	memcpy(data, &eh, sizeof eh);
	memcpy(data + sizeof eh, &ph, sizeof ph);
	return hdr + keep;
}

/* A value for a program header field: boundaries, the file's own edges,
 * and the values of other segments (to make overlaps and adjacency). */
static uint64_t pick(uint32_t *s, size_t size, const uint8_t *data, uint64_t phoff,
		     uint64_t phnum, uint64_t phentsize, size_t field_off)
{
	switch (fz_rand(s) % 10) {
	case 0: return 0;
	case 1: return size;
	case 2: return size ? fz_rand(s) % size : 0;
	case 3: return UINT64_MAX - fz_rand(s) % 64;
	case 4: return (uint64_t)1 << (fz_rand(s) % 64);
	case 5: return ((uint64_t)1 << (fz_rand(s) % 64)) - 1;
	case 6: { /* the same field of another segment, nudged */
		if (!phnum)
			return 0;
		uint64_t j = fz_rand(s) % phnum;
		uint64_t at = phoff + j * phentsize + field_off;
		uint64_t v = at <= size && size - at >= 8 ? get(data + at, 8) : 0;
		int64_t nudge = (int64_t)(fz_rand(s) % 129) - 64;
		return v + (uint64_t)nudge;
	}
	case 7: return (uint64_t)(fz_rand(s) % 16) << 28;
	case 8: return fz_rand(s) % 0x2000;
	default: return fz_rand64(s);
	}
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint32_t s = seed;
	if (fz_rand(&s) % 3 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	if (size < sizeof(Elf64_Ehdr) || memcmp(data, ELFMAG, SELFMAG) != 0)
		return wrap_in_elf(data, size, max_size, &s);
	uint64_t phoff = get(data + offsetof(Elf64_Ehdr, e_phoff), 8);
	uint64_t phentsize = get(data + offsetof(Elf64_Ehdr, e_phentsize), 2);
	uint64_t phnum = get(data + offsetof(Elf64_Ehdr, e_phnum), 2);
	unsigned op = fz_rand(&s) % 8;
	if (op == 0) { /* header fields */
		static const size_t offs[] = { offsetof(Elf64_Ehdr, e_phoff),
					       offsetof(Elf64_Ehdr, e_phentsize),
					       offsetof(Elf64_Ehdr, e_phnum),
					       offsetof(Elf64_Ehdr, e_shoff),
					       offsetof(Elf64_Ehdr, e_type) };
		static const unsigned widths[] = { 8, 2, 2, 8, 2 };
		unsigned k = fz_rand(&s) % 5;
		uint64_t v = pick(&s, size, data, phoff, phnum, phentsize, 0);
		if (k == 2 && fz_rand(&s) % 2)
			v = fz_rand(&s) % 2 ? PN_XNUM : fz_rand(&s) % 8;
		if (k == 1 && fz_rand(&s) % 2)
			v = fz_rand(&s) % 2 ? sizeof(Elf64_Phdr) : fz_rand(&s) % 128;
		fz_put(data + offs[k], v, widths[k]);
		return size;
	}
	if (op == 1 && size + sizeof(Elf64_Phdr) <= max_size && phentsize == sizeof(Elf64_Phdr) &&
	    phnum < 64 && phoff + phnum * phentsize == size) {
		/* The table is at the end of the file: append one more PT_LOAD. */
		Elf64_Phdr ph;
		memset(&ph, 0, sizeof ph);
		ph.p_type = PT_LOAD;
		ph.p_offset = fz_rand(&s) % (size + 1);
		ph.p_filesz = fz_rand(&s) % (size - ph.p_offset + 1);
		ph.p_memsz = ph.p_filesz + (fz_rand(&s) % 2 ? 0 : fz_rand(&s) % 0x2000);
		ph.p_paddr = ph.p_vaddr = pick(&s, size, data, phoff, phnum, phentsize,
					       offsetof(Elf64_Phdr, p_paddr));
		memcpy(data + size, &ph, sizeof ph);
		fz_put(data + offsetof(Elf64_Ehdr, e_phnum), phnum + 1, 2);
		return size + sizeof ph;
	}
	if (op == 1 && phnum && phnum < 64 && phentsize >= sizeof(Elf64_Phdr) &&
	    phoff <= size && phnum * phentsize <= size - phoff &&
	    size + phnum * sizeof(Elf64_Phdr) + sizeof(Elf64_Phdr) <= max_size) {
		/* Move the table to the end of the file, so the case above applies. */
		uint64_t at = size;
		for (uint64_t i = 0; i < phnum; i++)
			memmove(data + at + i * sizeof(Elf64_Phdr), data + phoff + i * phentsize,
				sizeof(Elf64_Phdr));
		fz_put(data + offsetof(Elf64_Ehdr, e_phoff), at, 8);
		fz_put(data + offsetof(Elf64_Ehdr, e_phentsize), sizeof(Elf64_Phdr), 2);
		return size + phnum * sizeof(Elf64_Phdr);
	}
	if (op == 2) { /* PN_XNUM with a section header 0 that says how many */
		uint64_t shoff = get(data + offsetof(Elf64_Ehdr, e_shoff), 8);
		if (shoff > size || size - shoff < sizeof(Elf64_Shdr)) {
			if (size + sizeof(Elf64_Shdr) > max_size)
				return LLVMFuzzerMutate(data, size, max_size);
			memset(data + size, 0, sizeof(Elf64_Shdr));
			shoff = size;
			size += sizeof(Elf64_Shdr);
			fz_put(data + offsetof(Elf64_Ehdr, e_shoff), shoff, 8);
		}
		fz_put(data + offsetof(Elf64_Ehdr, e_phnum), PN_XNUM, 2);
		uint64_t n = fz_rand(&s) % 4 ? phnum : pick(&s, size, data, phoff, phnum, phentsize, 0);
		fz_put(data + shoff + offsetof(Elf64_Shdr, sh_info), n, 4);
		return size;
	}
	if (phnum == 0 || phnum == PN_XNUM || phentsize < sizeof(Elf64_Phdr) || phoff > size)
		return LLVMFuzzerMutate(data, size, max_size);
	/* One field of one program header. */
	uint64_t avail = (size - phoff) / phentsize;
	if (avail == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	uint64_t i = fz_rand(&s) % (phnum < avail ? phnum : avail);
	uint64_t at = phoff + i * phentsize;
	static const size_t pfields[] = { offsetof(Elf64_Phdr, p_offset), offsetof(Elf64_Phdr, p_paddr),
					  offsetof(Elf64_Phdr, p_vaddr), offsetof(Elf64_Phdr, p_filesz),
					  offsetof(Elf64_Phdr, p_memsz) };
	if (op == 3) {
		uint32_t types[] = { PT_LOAD, PT_NOTE, PT_NULL, PT_PHDR, fz_rand(&s) };
		fz_put(data + at + offsetof(Elf64_Phdr, p_type), types[fz_rand(&s) % 5], 4);
		return size;
	}
	size_t fo = pfields[fz_rand(&s) % 5];
	fz_put(data + at + fo, pick(&s, size, data, phoff, phnum, phentsize, fo), 8);
	return size;
}
