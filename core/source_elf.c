/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ELF core input: the PT_LOAD segments of a QEMU dump-guest-memory file or a
 * kdump vmcore become ranges of the source; a VMCOREINFO note becomes its
 * metadata.
 *
 * Headers are read through libelf's class- and byte-order-neutral gelf
 * calls, so 32-bit and big-endian cores work like 64-bit little-endian
 * ones. libelf is not trusted with the bounds a hostile file could abuse:
 * the header size, e_phentsize, PN_XNUM's section header and the program
 * header table are checked here first (libelf silently clamps a table that
 * runs past the end of the file; we report it). e_ehsize is not checked,
 * by us or by libelf: QEMU 7.2 writes 8 there. */
#include <elf.h>
#include <gelf.h>
#include <libelf.h>
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
	Elf *elf;
	int is64, be;
	int raw_phdrs;      /* libelf cannot read this table: read it from the bytes */
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

/* n bytes at file offset at in the file's byte order; callers check first
 * that they lie inside the file. */
static uint64_t get_raw(const struct elf_info *e, uint64_t at, unsigned n)
{
	const uint8_t *p = e->base + at;
	if (!e->be)
		return get_le(p, n);
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static const struct pt_rule *rule(enum pt_source_rule_id id)
{
	return &pt_source_rule_list[id];
}

/* Class and byte order come first so that a file libelf cannot describe is
 * named as such, not as a truncated one. */
static int check_ident(struct elf_info *e, struct pt_diag_sink *diags)
{
	if (e->size < EI_NIDENT) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sELF identification truncated (%llu of %u bytes)", e->who,
			       (unsigned long long)e->size, EI_NIDENT);
		return -1;
	}
	unsigned cls = e->base[EI_CLASS], data = e->base[EI_DATA];
	const char *why = NULL;
	if (cls != ELFCLASS32 && cls != ELFCLASS64)
		why = "unknown ELF class";
	else if (data != ELFDATA2MSB && data != ELFDATA2LSB)
		why = "unknown ELF data encoding";
	if (!why) {
		e->is64 = cls == ELFCLASS64;
		e->be = data == ELFDATA2MSB;
		uint64_t ehsize = e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
		if (e->size >= ehsize)
			return 0;
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%sELF header truncated (%llu of %llu bytes)", e->who,
			       (unsigned long long)e->size, (unsigned long long)ehsize);
		return -1;
	}
	pt_diag_report(diags, rule(PT_R_SRC_ELF_CLASS), 0, 0, PT_SCOPE_NONE, 0, NULL,
		       "%s%s (EI_CLASS %u, EI_DATA %u)", e->who, why, cls, data);
	return -1;
}

static int libelf_error(const struct elf_info *e, const char *what, struct pt_diag_sink *diags)
{
	pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
		       "%s%s: %s", e->who, what, elf_errmsg(-1));
	return -1;
}

/* With PN_XNUM the real program header count lives in section header 0's
 * sh_info (gABI extended numbering; QEMU and Linux use it past 65534). */
static int extended_phnum(struct elf_info *e, uint64_t shoff, struct pt_diag_sink *diags)
{
	uint64_t shsize = e->is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	if (shoff == 0 || shoff > e->size || e->size - shoff < shsize) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_phnum is PN_XNUM but section header 0 (e_shoff 0x%llx) "
			       "is not inside the file (size 0x%llx)", e->who,
			       (unsigned long long)shoff, (unsigned long long)e->size);
		return -1;
	}
	e->phnum = get_raw(e, shoff + (e->is64 ? offsetof(Elf64_Shdr, sh_info)
					       : offsetof(Elf32_Shdr, sh_info)), 4);
	return 0;
}

/* The ELF header as libelf reads it or, for a file libelf refuses (an
 * e_version or EI_VERSION that is not EV_CURRENT, say), from the bytes:
 * the few fields used, at the class's offsets. */
static void get_ehdr(struct elf_info *e, GElf_Ehdr *eh)
{
	if (e->elf && gelf_getehdr(e->elf, eh))
		return;
	e->raw_phdrs = 1;
	memset(eh, 0, sizeof *eh);
	eh->e_type = (Elf64_Half)get_raw(e, offsetof(Elf64_Ehdr, e_type), 2);
	if (e->is64) {
		eh->e_phoff = get_raw(e, offsetof(Elf64_Ehdr, e_phoff), 8);
		eh->e_shoff = get_raw(e, offsetof(Elf64_Ehdr, e_shoff), 8);
		eh->e_phentsize = (Elf64_Half)get_raw(e, offsetof(Elf64_Ehdr, e_phentsize), 2);
		eh->e_phnum = (Elf64_Half)get_raw(e, offsetof(Elf64_Ehdr, e_phnum), 2);
	} else {
		eh->e_phoff = get_raw(e, offsetof(Elf32_Ehdr, e_phoff), 4);
		eh->e_shoff = get_raw(e, offsetof(Elf32_Ehdr, e_shoff), 4);
		eh->e_phentsize = (Elf64_Half)get_raw(e, offsetof(Elf32_Ehdr, e_phentsize), 2);
		eh->e_phnum = (Elf64_Half)get_raw(e, offsetof(Elf32_Ehdr, e_phnum), 2);
	}
}

static int parse_ehdr(struct elf_info *e, struct pt_diag_sink *diags)
{
	uint64_t phsize = e->is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	GElf_Ehdr eh;
	get_ehdr(e, &eh);
	if (eh.e_type != ET_CORE)
		pt_diag_report(diags, rule(PT_R_SRC_ELF_TYPE), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_type is %u, not ET_CORE (4); reading its PT_LOAD "
			       "segments anyway", e->who, (unsigned)eh.e_type);
	e->phoff = eh.e_phoff;
	e->phentsize = eh.e_phentsize;
	e->phnum = eh.e_phnum;
	if (e->phnum == PN_XNUM && extended_phnum(e, eh.e_shoff, diags) != 0)
		return -1;
	if (e->phnum && e->phentsize < phsize) {
		pt_diag_report(diags, rule(PT_R_SRC_ELF_HEADER), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%se_phentsize %llu is smaller than a program header (%llu)",
			       e->who, (unsigned long long)e->phentsize, (unsigned long long)phsize);
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
	/* libelf reads entries of its own size only, and with PN_XNUM but no
	 * e_shnum (QEMU and Linux write 1) it guesses another count: such
	 * tables, already checked against the file above, are read from the
	 * bytes. Any entry libelf cannot give is read that way too. */
	size_t n;
	GElf_Phdr probe;
	e->raw_phdrs = e->raw_phdrs || e->phentsize != phsize || elf_getphdrnum(e->elf, &n) != 0 ||
		       n != e->phnum || (e->phnum && !gelf_getphdr(e->elf, 0, &probe));
	return 0;
}

/* Program header i as libelf reads it, or, when libelf will not (an entry
 * wider than the class's, PN_XNUM without e_shnum), from the bytes, which
 * parse_ehdr has bounds-checked. */
static void get_phdr(const struct elf_info *e, uint64_t i, GElf_Phdr *ph)
{
	if (!e->raw_phdrs && gelf_getphdr(e->elf, (int)i, ph))
		return;
	uint64_t at = e->phoff + i * e->phentsize;
	memset(ph, 0, sizeof *ph);
	ph->p_type = (Elf64_Word)get_raw(e, at, 4);
	if (e->is64) {
		ph->p_offset = get_raw(e, at + offsetof(Elf64_Phdr, p_offset), 8);
		ph->p_vaddr = get_raw(e, at + offsetof(Elf64_Phdr, p_vaddr), 8);
		ph->p_paddr = get_raw(e, at + offsetof(Elf64_Phdr, p_paddr), 8);
		ph->p_filesz = get_raw(e, at + offsetof(Elf64_Phdr, p_filesz), 8);
		ph->p_memsz = get_raw(e, at + offsetof(Elf64_Phdr, p_memsz), 8);
	} else {
		ph->p_offset = get_raw(e, at + offsetof(Elf32_Phdr, p_offset), 4);
		ph->p_vaddr = get_raw(e, at + offsetof(Elf32_Phdr, p_vaddr), 4);
		ph->p_paddr = get_raw(e, at + offsetof(Elf32_Phdr, p_paddr), 4);
		ph->p_filesz = get_raw(e, at + offsetof(Elf32_Phdr, p_filesz), 4);
		ph->p_memsz = get_raw(e, at + offsetof(Elf32_Phdr, p_memsz), 4);
	}
}

/* 1 for a PT_LOAD (s filled), 0 for another type. */
static int read_phdr(const struct elf_info *e, uint64_t i, int use_vaddr, struct elf_seg *s)
{
	GElf_Phdr ph;
	get_phdr(e, i, &ph);
	if (ph.p_type != PT_LOAD)
		return 0;
	s->index = i;
	s->offset = ph.p_offset;
	s->filesz = ph.p_filesz;
	s->memsz = ph.p_memsz;
	s->addr = use_vaddr ? ph.p_vaddr : ph.p_paddr;
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
		uint64_t at = (uint64_t)(p - e->base);
		uint64_t namesz = get_raw(e, at, 4), descsz = get_raw(e, at + 4, 4);
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
		GElf_Phdr ph;
		get_phdr(e, i, &ph);
		if (ph.p_type == PT_NOTE)
			find_vmcoreinfo(src, e, ph.p_offset, ph.p_filesz);
	}
}

/* Counts the PT_LOAD segments from index `from` on, for the cap message. */
static uint64_t count_loads(const struct elf_info *e, uint64_t from)
{
	uint64_t n = 0;
	for (uint64_t i = from; i < e->phnum; i++) {
		GElf_Phdr ph;
		get_phdr(e, i, &ph);
		if (ph.p_type == PT_LOAD && ph.p_memsz != 0)
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

/* libelf over the mapped bytes. elf_memory() takes a char * but only
 * reads an image opened this way (headers in a foreign byte order are
 * converted into libelf's own copies), so the read-only mapping is safe. */
static int open_elf(struct elf_info *e, struct pt_diag_sink *diags)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return libelf_error(e, "libelf", diags);
	e->elf = elf_memory((char *)(uintptr_t)e->base, (size_t)e->size);
	if (e->elf && elf_kind(e->elf) != ELF_K_ELF) {
		elf_end(e->elf);
		e->elf = NULL;
	}
	return 0;
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
	if (check_ident(&e, diags) == 0 && open_elf(&e, diags) == 0) {
		if (parse_ehdr(&e, diags) == 0) {
			rc = add_segments(src, file, &e, use_vaddr, diags);
			read_notes(src, &e);
		}
		if (e.elf)
			elf_end(e.elf);
	}
	if (diags == &local)
		pt_diag_free(&local);
	return rc;
}
