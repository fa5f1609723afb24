/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF core input: the PT_LOAD segments of a QEMU dump-guest-memory file or a
 * kdump vmcore become ranges of the source.
 *
 * The headers are parsed here by hand rather than through libelf: the input
 * is a read-only mapping (elf_memory() wants a writable char *), the files are
 * hostile until proven otherwise, and the few fields needed are read with one
 * explicit bounds check each. Fields are decoded as little-endian bytes at the
 * offsets <elf.h> gives, so the host's byte order and alignment do not matter. */
#include <elf.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "source.h"

struct elf_info {
	const char *path;
	const char *who;    /* "path: ", or "" when every line already starts with it */
	const uint8_t *base;
	uint64_t size;
	uint64_t phoff;
	uint64_t phnum;
	uint64_t phentsize;
};

struct elf_seg {
	uint64_t index;
	uint64_t offset, filesz, memsz, addr;
};

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = n; i > 0; i--)
		v = (v << 8) | p[i - 1];
	return v;
}

/* A member of the structure that starts at file offset `at`; callers check
 * first that the whole structure lies inside the file. */
#define FIELD(info, at, type, member) \
	get_le((info)->base + (at) + offsetof(type, member), sizeof(((type *)0)->member))

static const struct pt_rule *rule(enum pt_source_rule_id id)
{
	return &pt_source_rule_list[id];
}

/* Class and byte order come first so that a 32-bit or big-endian file is
 * named as such, not as a truncated 64-bit one. */
static int check_ident(const struct elf_info *e, struct pt_diag_sink *diags)
{
	if (e->size < EI_NIDENT) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sELF identification truncated (%llu of %u bytes)", e->who,
			       (unsigned long long)e->size, EI_NIDENT);
		return -1;
	}
	unsigned cls = e->base[EI_CLASS], data = e->base[EI_DATA];
	const char *why = NULL;
	if (cls == ELFCLASS32)
		why = "32-bit ELF cores are not supported";
	else if (cls != ELFCLASS64)
		why = "unknown ELF class";
	else if (data == ELFDATA2MSB)
		why = "big-endian ELF is not supported";
	else if (data != ELFDATA2LSB)
		why = "unknown ELF data encoding";
	if (!why)
		return 0;
	pt_diag_report(diags, rule(PT_R_SRC_ELF_CLASS), 0, 0, PT_SCOPE_NONE, 0, NULL,
		       "%s%s (EI_CLASS %u, EI_DATA %u); pasidtool reads 64-bit little-endian "
		       "cores", e->who, why, cls, data);
	return -1;
}

/* With PN_XNUM the real program header count lives in section header 0's
 * sh_info (gABI extended numbering; QEMU and Linux use it past 65534). */
static int extended_phnum(struct elf_info *e, struct pt_diag_sink *diags)
{
	uint64_t shoff = FIELD(e, 0, Elf64_Ehdr, e_shoff);
	if (shoff == 0 || shoff > e->size || e->size - shoff < sizeof(Elf64_Shdr)) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_phnum is PN_XNUM but section header 0 (e_shoff 0x%llx) "
			       "is not inside the file (size 0x%llx)", e->who,
			       (unsigned long long)shoff, (unsigned long long)e->size);
		return -1;
	}
	e->phnum = FIELD(e, shoff, Elf64_Shdr, sh_info);
	return 0;
}

static int parse_ehdr(struct elf_info *e, struct pt_diag_sink *diags)
{
	if (e->size < sizeof(Elf64_Ehdr)) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sELF header truncated (%llu of %zu bytes)", e->who,
			       (unsigned long long)e->size, sizeof(Elf64_Ehdr));
		return -1;
	}
	/* e_ehsize is deliberately not checked: QEMU 7.2 writes 8 there. */
	uint64_t type = FIELD(e, 0, Elf64_Ehdr, e_type);
	if (type != ET_CORE)
		pt_diag_report(diags, rule(PT_R_SRC_ELF_TYPE), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_type is %llu, not ET_CORE (4); reading its PT_LOAD "
			       "segments anyway", e->who, (unsigned long long)type);
	e->phoff = FIELD(e, 0, Elf64_Ehdr, e_phoff);
	e->phentsize = FIELD(e, 0, Elf64_Ehdr, e_phentsize);
	e->phnum = FIELD(e, 0, Elf64_Ehdr, e_phnum);
	if (e->phnum == PN_XNUM && extended_phnum(e, diags) != 0)
		return -1;
	if (e->phnum && e->phentsize < sizeof(Elf64_Phdr)) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_phentsize %llu is smaller than a program header (%zu)",
			       e->who, (unsigned long long)e->phentsize, sizeof(Elf64_Phdr));
		return -1;
	}
	/* phnum < 2^32 and phentsize < 2^16, so the product cannot wrap. */
	uint64_t table = e->phnum * e->phentsize;
	if (e->phoff > e->size || table > e->size - e->phoff) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sprogram header table (e_phoff 0x%llx, %llu entries of %llu "
			       "bytes) runs past the end of the file (size 0x%llx)", e->who,
			       (unsigned long long)e->phoff, (unsigned long long)e->phnum,
			       (unsigned long long)e->phentsize, (unsigned long long)e->size);
		return -1;
	}
	return 0;
}

static int read_phdr(const struct elf_info *e, uint64_t i, int use_vaddr, struct elf_seg *s)
{
	uint64_t at = e->phoff + i * e->phentsize;
	if (FIELD(e, at, Elf64_Phdr, p_type) != PT_LOAD)
		return 0;
	s->index = i;
	s->offset = FIELD(e, at, Elf64_Phdr, p_offset);
	s->filesz = FIELD(e, at, Elf64_Phdr, p_filesz);
	s->memsz = FIELD(e, at, Elf64_Phdr, p_memsz);
	s->addr = use_vaddr ? FIELD(e, at, Elf64_Phdr, p_vaddr) : FIELD(e, at, Elf64_Phdr, p_paddr);
	return 1;
}

/* Sizes that cannot describe memory: the segment is reported and ignored. */
static int bad_size(const struct elf_info *e, const struct elf_seg *s,
		    struct pt_diag_sink *diags)
{
	const char *why = NULL;
	if (s->filesz > s->memsz)
		why = "p_filesz is larger than p_memsz";
	else if (s->addr + (s->memsz - 1) < s->addr)
		why = "the address range wraps past 2^64";
	if (!why)
		return 0;
	pt_diag_report(diags, rule(PT_R_SRC_SEG_SIZE), 1, s->addr, PT_SCOPE_NONE, 0, NULL,
		       "%ssegment %llu (address 0x%llx, p_filesz 0x%llx, p_memsz 0x%llx): "
		       "%s; ignored", e->who, (unsigned long long)s->index,
		       (unsigned long long)s->addr, (unsigned long long)s->filesz,
		       (unsigned long long)s->memsz, why);
	return 1;
}

/* A dump cut short keeps what it has: the segment shrinks to the bytes that
 * exist, and what is missing (including any zero tail) stays unreadable. */
static void clip_to_file(const struct elf_info *e, struct elf_seg *s,
			 struct pt_diag_sink *diags)
{
	if (s->filesz == 0) {
		/* Nothing is read from the file, so p_offset is meaningless. */
		s->offset = s->offset < e->size ? s->offset : e->size;
		return;
	}
	if (s->offset <= e->size && s->filesz <= e->size - s->offset)
		return;
	uint64_t have = s->offset < e->size ? e->size - s->offset : 0;
	pt_diag_report(diags, rule(PT_R_SRC_SEG_PAST_EOF), 1, s->addr, PT_SCOPE_NONE, 0, NULL,
		       "%ssegment %llu (p_offset 0x%llx, p_filesz 0x%llx) runs past the end "
		       "of the file (size 0x%llx); %s", e->who, (unsigned long long)s->index,
		       (unsigned long long)s->offset, (unsigned long long)s->filesz,
		       (unsigned long long)e->size, have ? "truncated" : "ignored");
	s->filesz = have;
	s->memsz = have;
}

/* The VMCOREINFO note in PT_NOTE segment data [off, off+len) of the file
 * (a crashed kernel's, copied by kdump tools and QEMU's dump-guest-memory).
 * Each step moves past one note header and its padded name and
 * descriptor, so the walk ends within len. */
static void find_vmcoreinfo(struct pt_source *src, const struct elf_info *e, uint64_t off,
			    uint64_t len)
{
	static const char name[] = "VMCOREINFO";
	if (off > e->size || len > e->size - off)
		return;
	const uint8_t *p = e->base + off, *end = p + len;
	while (end - p >= 12) {
		uint64_t namesz = get_le(p, 4), descsz = get_le(p + 4, 4);
		uint64_t name_pad = (namesz + 3) & ~UINT64_C(3), desc_pad = (descsz + 3) & ~UINT64_C(3);
		p += 12;
		if (name_pad > (uint64_t)(end - p) || desc_pad > (uint64_t)(end - p) - name_pad)
			return;
		if (namesz == sizeof name && memcmp(p, name, sizeof name) == 0) {
			pt_source_set_vmcoreinfo(src, p + name_pad, (size_t)descsz);
			return;
		}
		p += name_pad + desc_pad;
	}
}

static void read_notes(struct pt_source *src, const struct elf_info *e)
{
	for (uint64_t i = 0; i < e->phnum && !src->meta.vmcoreinfo; i++) {
		uint64_t at = e->phoff + i * e->phentsize;
		if (FIELD(e, at, Elf64_Phdr, p_type) == PT_NOTE)
			find_vmcoreinfo(src, e, FIELD(e, at, Elf64_Phdr, p_offset),
					FIELD(e, at, Elf64_Phdr, p_filesz));
	}
}

/* Counts the PT_LOAD segments from index `from` on, for the cap message. */
static uint64_t count_loads(const struct elf_info *e, uint64_t from)
{
	uint64_t n = 0;
	for (uint64_t i = from; i < e->phnum; i++) {
		uint64_t at = e->phoff + i * e->phentsize;
		if (FIELD(e, at, Elf64_Phdr, p_type) == PT_LOAD &&
		    FIELD(e, at, Elf64_Phdr, p_memsz) != 0)
			n++;
	}
	return n;
}

enum add_result { ADD_OK, ADD_SKIPPED, ADD_FULL, ADD_FAILED };

static enum add_result add_segment(struct pt_source *src, uint32_t file,
				   const struct elf_info *e, struct elf_seg *s,
				   struct pt_diag_sink *diags)
{
	if (s->memsz == 0 && s->filesz == 0)
		return ADD_SKIPPED;
	if (bad_size(e, s, diags))
		return ADD_SKIPPED;
	clip_to_file(e, s, diags);
	if (s->memsz == 0)
		return ADD_SKIPPED;
	if (src->nranges >= PT_SOURCE_MAX_RANGES)
		return ADD_FULL;
	if (pt_source_add_range(src, s->addr, s->memsz, file, s->offset, s->filesz) != 0)
		return ADD_FAILED;
	return ADD_OK;
}

static void report_full(const struct elf_info *e, uint64_t from, struct pt_diag_sink *diags)
{
	pt_diag_report(diags, rule(PT_R_SRC_TOO_MANY), 0, 0, PT_SCOPE_NONE, 0, NULL,
		       "%smore than %u segments; segment %llu and the %llu PT_LOAD segments "
		       "from it on are ignored", e->who, PT_SOURCE_MAX_RANGES,
		       (unsigned long long)from, (unsigned long long)count_loads(e, from));
}

static int add_segments(struct pt_source *src, uint32_t file, const struct elf_info *e,
			int use_vaddr, struct pt_diag_sink *diags)
{
	uint64_t added = 0;
	for (uint64_t i = 0; i < e->phnum; i++) {
		struct elf_seg s;
		if (!read_phdr(e, i, use_vaddr, &s))
			continue;
		enum add_result r = add_segment(src, file, e, &s, diags);
		if (r == ADD_FULL) {
			report_full(e, i, diags);
			break;
		}
		if (r == ADD_FAILED) {
			pt_diag_report(diags, rule(PT_R_SRC_UNREADABLE), 0, 0, PT_SCOPE_NONE, 0,
				       NULL, "%sout of memory adding segment %llu", e->who,
				       (unsigned long long)i);
			return -1;
		}
		added += r == ADD_OK;
	}
	if (added)
		return 0;
	pt_diag_report(diags, rule(PT_R_SRC_EMPTY), 0, 0, PT_SCOPE_NONE, 0, NULL,
		       "%sELF file has no usable PT_LOAD segment", e->who);
	return -1;
}

/* Like core/source_open.c: messages name the file only when the lines of
 * the report do not already start with it. */
static void name_file(struct elf_info *e, const struct pt_diag_sink *diags, char *buf,
		      size_t len)
{
	buf[0] = '\0';
	if (!diags->input || strcmp(diags->input, e->path) != 0)
		snprintf(buf, len, "%s: ", e->path);
	e->who = buf;
}

int pt_source_add_elf(struct pt_source *src, uint32_t file, int use_vaddr,
		      struct pt_diag_sink *diags)
{
	if (file >= src->nfiles)
		return -1;
	/* Findings need a sink; a caller without one gets them dropped. */
	struct pt_diag_sink local;
	if (!diags) {
		pt_diag_init(&local, NULL, NULL);
		diags = &local;
	}
	const struct pt_mapping *m = &src->files[file];
	struct elf_info e = { .path = m->path ? m->path : "<input>", .base = m->base,
			      .size = m->size };
	char who[300];
	name_file(&e, diags, who, sizeof who);
	int rc = -1;
	if (check_ident(&e, diags) == 0 && parse_ehdr(&e, diags) == 0) {
		rc = add_segments(src, file, &e, use_vaddr, diags);
		read_notes(src, &e);
	}
	if (diags == &local)
		pt_diag_free(&local);
	return rc;
}
