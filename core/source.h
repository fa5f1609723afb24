/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one bounds-checked reader of input memory: a set of address ranges, each
 * backed by bytes of a mapped file (or by zeroes past a segment's file size),
 * by a page provider (a compressed dump decompressed on demand), or marked
 * excluded (the dump says the memory existed but did not save it). Every read
 * of table memory in pasidtool goes through pt_source_read(). */
#ifndef PT_SOURCE_H
#define PT_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

struct pt_diag_sink;
struct pt_pageset;

/* Caps that keep hostile input from making us allocate or loop without bound. */
#define PT_SOURCE_MAX_RANGES 65536u
#define PT_SOURCE_MAX_FILES 64u
/* Inputs that cannot be mapped in place (standard input, pipes, FIFOs,
 * character devices) are copied to an unlinked file up to this many bytes
 * (--max-input). */
#define PT_MAX_INPUT_DEFAULT (UINT64_C(4) << 30)

/* Results of a read. */
enum pt_read_status {
	PT_READ_OK = 0,
	PT_READ_UNMAPPED = -1,   /* some byte is not covered by any range */
	PT_READ_OVERFLOW = -2,   /* addr + len wraps around 2^64 */
	PT_READ_EXCLUDED = -3,   /* some byte is in memory the dump left out
				  * (a finding distinct from "outside the dump") */
	PT_READ_CORRUPT = -4,    /* the container's own data for the bytes is
				  * malformed (a page that does not decompress) */
};

/* What backs a byte of the address space (pt_source_probe). */
enum pt_mem_kind {
	PT_MEM_DATA,      /* bytes the input holds */
	PT_MEM_ZERO,      /* the input says these bytes are zero without holding them
			   * (p_memsz beyond p_filesz, a kdump zero page, a known hole) */
	PT_MEM_EXCLUDED,  /* the dump says the page existed but was not saved */
	PT_MEM_UNMAPPED,  /* no range covers it */
};

struct pt_source;

/* A range whose bytes are produced on demand (pages of a compressed dump).
 * Addresses passed in are absolute and inside the range; the provider owns
 * its context and checks every read of its container itself. */
struct pt_provider_ops {
	/* As pt_source_probe, with *run clamped to the range by the caller. */
	enum pt_mem_kind (*probe)(void *ctx, uint64_t addr, uint64_t *run);
	/* Copy len bytes at addr; PT_READ_EXCLUDED / PT_READ_UNMAPPED /
	 * PT_READ_CORRUPT when any byte cannot be produced. */
	enum pt_read_status (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	void (*free)(void *ctx);
};

enum pt_range_kind {
	PT_RANGE_FILE,      /* data[0, filesz) from a mapping, zero up to size */
	PT_RANGE_EXCLUDED,  /* no bytes: the dump left them out */
	PT_RANGE_PROVIDER,  /* bytes from ops->read */
};

struct pt_range {
	uint64_t addr;      /* first address the range covers */
	uint64_t size;      /* bytes of address space covered */
	uint64_t filesz;    /* bytes backed by the file; the rest reads as zero */
	const uint8_t *data; /* filesz bytes, inside a mapping owned by the source */
	uint32_t file;      /* index into the source's file list */
	uint64_t offset;    /* file offset of data, for messages */
	enum pt_range_kind kind;
	const struct pt_provider_ops *ops; /* PT_RANGE_PROVIDER only */
	void *ctx;
};

struct pt_mapping {
	const char *path;   /* as given by the user, for messages */
	const uint8_t *base; /* mmap()ed, malloc()ed or borrowed bytes */
	size_t size;
	int is_mmap;
	int borrowed;       /* caller's bytes (pt_source_add_buffer): not freed */
	int fd;             /* kept open for pread (a compressed dump's random
			     * reads), or -1 */
};

enum pt_source_kind { PT_SRC_RAW, PT_SRC_ELF, PT_SRC_KDUMP };

/* What the dump says about the machine that wrote it: the VMCOREINFO note
 * (ELF PT_NOTE or the kdump sub-header) and the kdump header's utsname.
 * Kept as read, looked up by pt_source_vmcoreinfo (core/vmcoreinfo.c). */
struct pt_source_meta {
	char *vmcoreinfo;        /* the note's text, NUL-terminated; NULL if none */
	size_t vmcoreinfo_len;
	char release[66];        /* utsname.release of a kdump header, or "" */
	char machine[66];        /* utsname.machine of a kdump header, or "" */
	uint32_t page_size;      /* kdump block size, 0 when unknown */
	uint64_t phys_base;      /* kdump sub-header phys_base */
	int flattened;           /* the kdump file was a flattened stream (-F) */
	uint32_t split_files;    /* kdump files of a --split dump, 0 if not split */
	char method[32];         /* kdump compression: "zlib", "lzo", ..., "none" */
};

struct pt_source {
	enum pt_source_kind kind;
	const char *name;           /* first input's name, used in diagnostics */
	struct pt_mapping files[PT_SOURCE_MAX_FILES];
	uint32_t nfiles;
	struct pt_range *ranges;    /* sorted by addr, non-overlapping */
	uint32_t nranges;
	uint32_t last_hit;          /* index of the range that served the last read */
	/* Page tracking for --save-pages: NULL unless enabled. */
	struct pt_pageset *touched;
	/* Mapped bytes a walk is done with, not yet handed back to the kernel
	 * (pt_source_release batches contiguous runs into one madvise). */
	const uint8_t *drop_lo, *drop_hi;
	char *owned[PT_SOURCE_MAX_FILES]; /* strings the source allocated */
	uint32_t nowned;
	struct pt_source_meta meta;
	uint64_t max_input;         /* spooling cap; 0: PT_MAX_INPUT_DEFAULT */
};

void pt_source_init(struct pt_source *src, const char *name);
void pt_source_free(struct pt_source *src);

/* Map a whole file read-only; standard input ("-") and other streams are
 * spooled to an unlinked file first (at most max_input bytes). Returns the
 * file index or -1 with a message written to errbuf ("is a directory",
 * "cannot open: Permission denied", "a FIFO is larger than --max-input"). */
int pt_source_map_file(struct pt_source *src, const char *path, char *errbuf,
		       size_t errlen);

/* Use the caller's bytes (which must outlive the source) as a file: for
 * fuzzing and tests. Returns the file index or -1. */
int pt_source_add_buffer(struct pt_source *src, const char *name, const uint8_t *buf,
			 size_t len);

/* Add a range; ranges may be added in any order (checked by finish). */
int pt_source_add_range(struct pt_source *src, uint64_t addr, uint64_t size,
			uint32_t file, uint64_t offset, uint64_t filesz);

/* [addr, addr+size) reads the caller's size bytes at data (which must
 * outlive the source), named after file, a pt_source_add_buffer: an image
 * held as many separate buffers is one source whatever their number (the
 * file list is capped, the range list far less so). */
int pt_source_add_bytes(struct pt_source *src, uint64_t addr, const uint8_t *data,
			uint64_t size, uint32_t file);

/* [addr, addr+size) existed in the dumped machine but holds no bytes. */
int pt_source_add_excluded(struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file);

/* [addr, addr+size) is produced by ops; on success the source owns ctx and
 * calls ops->free(ctx) in pt_source_free (on failure the caller still owns it). */
int pt_source_add_provider(struct pt_source *src, uint64_t addr, uint64_t size, uint32_t file,
			   const struct pt_provider_ops *ops, void *ctx);

/* Sort and check the ranges once all are added; overlapping ranges are
 * dropped and reported as SRC-OVERLAP. 0 when at least one range is left. */
int pt_source_finish(struct pt_source *src, struct pt_diag_sink *diags);

/* Rules about the input itself (declared in core/source_rules.c). */
enum pt_source_rule_id {
	PT_R_SRC_UNREADABLE,   /* file cannot be opened or mapped */
	PT_R_SRC_EMPTY,        /* nothing to read */
	PT_R_SRC_OVERLAP,      /* two segments claim the same address */
	PT_R_SRC_ELF_HEADER,   /* malformed ELF header */
	PT_R_SRC_ELF_CLASS,    /* unknown ELF class or byte order */
	PT_R_SRC_ELF_TYPE,     /* not ET_CORE */
	PT_R_SRC_SEG_PAST_EOF, /* segment data past the end of the file */
	PT_R_SRC_SEG_SIZE,     /* absurd segment size or address wrap */
	PT_R_SRC_TOO_MANY,     /* more segments than the cap */
	PT_R_SRC_KDUMP,        /* kdump pages in a method this build lacks */
	PT_R_SRC_BAD_ADDR,     /* malformed FILE@ADDR */
	PT_R_SRC_KDUMP_HEADER, /* malformed kdump-compressed header */
	PT_R_SRC_KDUMP_BITMAP, /* bitmaps missing or too small */
	PT_R_SRC_KDUMP_PAGE,   /* a page's descriptor or data is unusable */
	PT_R_SRC_KDUMP_SPLIT,  /* files of a --split dump that do not fit together */
	PT_R_SRC_KDUMP_INCOMPLETE, /* the dump says it was cut short */
	PT_R_SRC_FLAT,         /* malformed flattened stream */
	PT_R_SRC_COUNT
};
extern const struct pt_rule pt_source_rule_list[PT_R_SRC_COUNT];
extern const struct pt_rule_set pt_source_rules;

/* What backs addr, and in *run how many bytes from addr on are backed the
 * same way (saturating at UINT64_MAX - addr + 1, i.e. UINT64_MAX for addr 0).
 * Walkers skip ZERO/EXCLUDED/UNMAPPED runs in bulk instead of reading them. */
enum pt_mem_kind pt_source_probe(struct pt_source *src, uint64_t addr, uint64_t *run);

/* Copy len bytes at addr into buf. Bytes of a range past its filesz read as 0. */
enum pt_read_status pt_source_read(struct pt_source *src, uint64_t addr, void *buf,
				   size_t len);

/* Bytes [addr, addr+len) in place, when one file range backs all of them with
 * file data and pages are not being tracked; NULL otherwise (use
 * pt_source_read). For walkers that visit thousands of entries in a row:
 * no copy per entry. The pointer is valid until pt_source_free. */
const uint8_t *pt_source_direct(struct pt_source *src, uint64_t addr, uint64_t len);

/* The caller is done with [addr, addr+len): the whole pages of it that come
 * from a file mapping are dropped from this process (they stay in the page
 * cache; a later read faults them back in). This keeps a walk of a 64 MiB
 * table from holding all of it resident: memory stays flat. */
void pt_source_release(struct pt_source *src, uint64_t addr, uint64_t len);

/* True when every byte of [addr, addr+len) reads (data or known zero): an
 * excluded page or a hole inside a compressed dump's range does not. */
int pt_source_covers(const struct pt_source *src, uint64_t addr, uint64_t len);

/* Why [addr, addr+len) does not read, as the end of a sentence about it:
 * "is not in the input" (no range covers a byte), "is in pages the dump
 * excluded (makedumpfile -d)" or "is in a page the dump holds damaged".
 * Walks use it so that a filtered-out page is not called missing memory. */
const char *pt_source_why_unreadable(struct pt_source *src, uint64_t addr, uint64_t len);

/* Total bytes of address space covered and the lowest/highest address. */
uint64_t pt_source_span(const struct pt_source *src, uint64_t *lo, uint64_t *hi);


/* ---- Opening inputs (core/source_open.c, core/source_elf.c) ---- */

struct pt_open_opts {
	uint64_t base;      /* address of byte 0 of a raw image without @ADDR */
	int use_vaddr;      /* ELF: place segments at p_vaddr instead of p_paddr */
	int track_pages;    /* remember the pages read, for --save-pages */
	uint64_t max_input; /* spooling cap for streams; 0: PT_MAX_INPUT_DEFAULT */
};

/* Open every input: "FILE", "FILE@ADDR" (raw image placed at ADDR, crash's
 * convention) or "-" (standard input). ELF cores are detected by their magic.
 * Problems are reported to diags with SRC-* rules; returns 0 when the source
 * is usable, -1 otherwise (exit status 2). */
int pt_source_open(struct pt_source *src, const char *const *inputs, size_t ninputs,
		   const struct pt_open_opts *opts, struct pt_diag_sink *diags);

/* Name of the source's kind for output: "raw", "elf", "kdump". */
const char *pt_source_kind_name(const struct pt_source *src);

/* The value of KEY=VALUE in the VMCOREINFO note into out; 0 when found. */
int pt_source_vmcoreinfo(const struct pt_source *src, const char *key, char *out,
			 size_t outlen);

/* What a vmcore says about the kernel that wrote it. */
struct pt_kernel_info {
	char release[66];        /* OSRELEASE, or the kdump header's utsname */
	char machine[66];        /* utsname.machine ("" when not recorded) */
	uint32_t page_size;      /* PAGESIZE, or the kdump block size; 0 unknown */
	int has_phys_base;
	uint64_t phys_base;      /* NUMBER(PHYS_OFFSET) / NUMBER(phys_base) */
	char configs[160];       /* "CONFIG_ARM64_VA_BITS=48 ..." that were found */
};

/* Fill k; 0 when the source says anything about its kernel. */
int pt_source_kernel(const struct pt_source *src, struct pt_kernel_info *k);

/* Keep a copy of a VMCOREINFO note's text (capped, NUL-terminated). */
int pt_source_set_vmcoreinfo(struct pt_source *src, const uint8_t *text, size_t len);

/* Add the kdump-compressed dumps (plain or flattened) mapped as the given
 * file indexes: one file, or the files of a makedumpfile --split dump.
 * Reports SRC-KDUMP-* / SRC-FLAT findings; diags must outlive the source
 * (pages that turn out corrupt are reported when they are read). */
int pt_source_add_kdump(struct pt_source *src, const uint32_t *files, uint32_t nfiles,
			struct pt_diag_sink *diags);

/* True when the mapped bytes start like a kdump-compressed file or a
 * makedumpfile flattened stream. */
int pt_source_is_kdump(const uint8_t *base, size_t size);

/* Add the PT_LOAD segments of the ELF core mapped as file index `file`. */
int pt_source_add_elf(struct pt_source *src, uint32_t file, int use_vaddr,
		      struct pt_diag_sink *diags);

#endif
