/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libpasid: the decoders, checks and builder of pasidtool, to embed.
 *
 * Handles are opaque. Every call that can fail returns a pasid_status and,
 * when the caller passes a pasid_error, says why there; nothing is kept in
 * global or thread-local state, so handles used side by side (or from
 * different threads, one handle per thread) never see each other's errors.
 * docs/library.md holds the ABI policy and a walk through the calls. */
#ifndef PASID_PASID_H
#define PASID_PASID_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PASID_API __attribute__((visibility("default")))
#else
#define PASID_API
#endif

typedef struct pasid_source pasid_source;
typedef struct pasid_table pasid_table;
typedef struct pasid_findings pasid_findings;

enum pasid_status {
	PASID_OK = 0,
	PASID_STOPPED = 1,       /* a walk callback returned non-zero */
	PASID_ERR_ARG = -1,      /* a NULL handle, unknown name, value out of range */
	PASID_ERR_INPUT = -2,    /* input that cannot be opened, read or parsed */
	PASID_ERR_NOMEM = -3,
};

/* Filled by a failing call (code != PASID_OK); left as PASID_OK and "" by
 * one that succeeds. */
typedef struct pasid_error {
	int code;
	char message[256];
} pasid_error;

/* The library's version, "MAJOR.MINOR.PATCH" (pasidtool's). */
PASID_API const char *pasid_version(void);

/* Free a string the library returned (JSON text, built images). */
PASID_API void pasid_free(void *p);

/* ---- sources: the memory tables are read from ---- */

/* Open inputs as decode takes them: "FILE" (raw image at `base`, ELF core
 * or kdump-compressed dump, by its magic), "FILE@ADDR" (raw image at ADDR),
 * several files of one dump (makedumpfile --split). *out is NULL on
 * failure. */
PASID_API int pasid_source_open(pasid_source **out, const char *const *inputs, size_t ninputs,
				uint64_t base, pasid_error *err);
/* The caller's bytes as a raw image whose first byte is at `base` (memory
 * read from a live system or a debugger). The bytes are copied. */
PASID_API int pasid_source_open_memory(pasid_source **out, const char *name, const void *buf,
				       size_t len, uint64_t base, pasid_error *err);
/* A piece of memory the caller read: len bytes whose first is at base. */
typedef struct pasid_segment {
	uint64_t base;
	const void *buf;
	size_t len;
} pasid_segment;
/* Several pieces (a table's root and leaves read one by one from a live
 * system or a debugger), copied; they may not overlap. */
PASID_API int pasid_source_open_segments(pasid_source **out, const char *name,
					 const pasid_segment *segs, size_t nsegs,
					 pasid_error *err);
/* NULL is accepted. Tables opened on a source must be closed first. */
PASID_API void pasid_source_close(pasid_source *src);
/* "raw", "elf" or "kdump". */
PASID_API const char *pasid_source_kind(const pasid_source *src);
/* Copy len bytes at physical address addr. */
PASID_API int pasid_source_read(pasid_source *src, uint64_t addr, void *buf, size_t len,
				pasid_error *err);

/* ---- tables ---- */

/* A table of a format `pasidtool formats` lists ("smmuv3-cd", "vtd-pasid",
 * ...) rooted at base: layout NULL for the format's default, index_bits the
 * SSID (or SID) bits it indexes. */
PASID_API int pasid_table_open(pasid_table **out, pasid_source *src, const char *format,
			       uint64_t base, const char *layout, unsigned index_bits,
			       pasid_error *err);
/* The SMMUv3 stream table that SMMU_STRTAB_BASE and SMMU_STRTAB_BASE_CFG
 * describe; caps as validate's --caps (NULL: "generic"; IDR1.SIDSIZE limits
 * the table). */
PASID_API int pasid_table_open_strtab(pasid_table **out, pasid_source *src, uint64_t strtab_base,
				      uint64_t strtab_base_cfg, const char *caps,
				      pasid_error *err);
/* The CD table STE `sid` of a stream table points at, as the SMMU finds it. */
PASID_API int pasid_table_open_cd(pasid_table **out, pasid_table *strtab, uint32_t sid,
				  pasid_error *err);
/* NULL is accepted. */
PASID_API void pasid_table_close(pasid_table *t);
/* decode --json's table header: {"format", "layout", "base", "ssid_bits"}
 * (a stream table says "sid_bits"). Free with pasid_free. */
PASID_API int pasid_table_header_json(const pasid_table *t, char **json, pasid_error *err);

enum pasid_entry_kind {
	PASID_ENTRY = 0,         /* a leaf entry: CD, STE, PASID entry */
	PASID_DIR = 1,           /* a level-1 (directory) descriptor */
};

/* What a walk hands its callback; valid during the call only. */
typedef struct pasid_entry {
	int kind;                /* enum pasid_entry_kind */
	uint32_t index;          /* SSID or SID of an entry, index of a descriptor */
	uint64_t address;
	int valid;
	const uint8_t *raw;
	size_t size;
	/* With PASID_WALK_JSON: the object decode --json prints for it. */
	const char *json;
} pasid_entry;

typedef int (*pasid_walk_fn)(const pasid_entry *e, void *user);

enum pasid_walk_flags {
	PASID_WALK_JSON = 1,     /* fill pasid_entry.json */
	PASID_WALK_ALL = 2,      /* invalid entries too (decode --all) */
};

/* Walk the table: its level-1 descriptors, then its entries, in order.
 * Without PASID_WALK_ALL the walk hands over what decode --json prints:
 * valid entries and invalid ones that are not all zero. A callback that
 * returns non-zero stops the walk (PASID_STOPPED). */
PASID_API int pasid_table_walk(pasid_table *t, unsigned flags, pasid_walk_fn fn, void *user,
			       pasid_error *err);
/* The entry for one SSID (or SID), as decode --json prints it. Free with
 * pasid_free. */
PASID_API int pasid_table_entry_json(pasid_table *t, uint32_t index, char **json,
				     pasid_error *err);

/* ---- validation ---- */

enum pasid_severity {
	PASID_NOTE = 1,
	PASID_WARNING = 2,
	PASID_ERROR = 3,
};

/* One finding, as validate prints it; strings live as long as the list. */
typedef struct pasid_finding {
	const char *rule;        /* "CD-TG0-RESERVED" */
	int severity;            /* enum pasid_severity */
	int has_address;
	uint64_t address;
	int has_sid;             /* the StreamID whose STE reached the structure */
	uint32_t sid;
	int has_ssid;
	uint32_t ssid;
	int has_l1_index;        /* about a level-1 descriptor */
	uint32_t l1_index;
	const char *field;       /* lower-case field name, or NULL */
	const char *message;
	uint32_t repeat;         /* identical findings folded into this one */
} pasid_finding;

/* Check the table as validate does (a stream table: its STEs and every CD
 * table they reach); caps as validate's --caps, NULL for "generic". */
PASID_API int pasid_table_validate(pasid_table *t, const char *caps, pasid_findings **out,
				   pasid_error *err);
PASID_API size_t pasid_findings_count(const pasid_findings *f);
/* NULL past the end. */
PASID_API const pasid_finding *pasid_findings_at(const pasid_findings *f, size_t i);
/* Findings of a severity, counting folded repeats (validate's summary). */
PASID_API uint64_t pasid_findings_total(const pasid_findings *f, int severity);
PASID_API void pasid_findings_free(pasid_findings *f);

/* ---- building ---- */

/* Build the tables a JSON description (what decode --json prints, or
 * build's hand form) lays out: *image gets the bytes from the lowest
 * address a table uses (*base) to the end of the highest (*len), gaps
 * zero. Free *image with pasid_free. */
PASID_API int pasid_build(const char *spec, size_t spec_len, uint8_t **image, size_t *len,
			  uint64_t *base, pasid_error *err);

#ifdef __cplusplus
}
#endif

#endif
