/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vendor-neutral PASID table model: a table config (format, base, layout,
 * SSID bits, vendor words), per-format ops registered in one list, a neutral
 * view of an entry, and the walker that turns an SSID into entry addresses.
 * Nothing here knows a vendor; formats/ fill these structures in. */
#ifndef PT_TABLE_H
#define PT_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "field.h"
#include "rule.h"
#include "source.h"

#define PT_MAX_SSID_BITS 20u
/* Widest index any format may declare (stream tables: 32 StreamID bits). */
#define PT_MAX_INDEX_BITS 32u
#define PT_MAX_LEVELS 3u
#define PT_MAX_ENTRY_SIZE 128u
#define PT_MAX_DIR_SIZE 16u

/* A layout, as data: how many index bits each level takes. Levels are listed
 * from the root down; the last level holds entries. A level with bits == 0
 * takes whatever SSID bits the levels below it do not ("the rest"). */
struct pt_layout {
	const char *name;        /* "linear", "2lvl-4k", "2lvl-64k" */
	unsigned nlevels;        /* 1 = linear */
	unsigned leaf_bits;      /* SSID bits indexed in a leaf table (ignored when linear) */
	const char *doc;
};

/* What a directory (non-leaf) descriptor says. */
struct pt_dir_view {
	int valid;
	uint64_t next;           /* address of the next-level table */
	/* Entries the leaf holds, counted from its start: 0 means a full leaf.
	 * A descriptor may describe a shorter leaf (SMMUv3 L1STD.Span); indexes
	 * past it are not in the table. */
	uint64_t count;
};

/* Neutral view of an entry: what a user compares across vendors. */
struct pt_entry_view {
	int valid;
	int has_asid;
	uint32_t asid;           /* address-space id (ASID, DID, GSCID, ...) */
	int has_root;
	uint64_t root;           /* page-table root (TTB0, FLPTPTR, GCR3, ...) */
	const char *pgtable;     /* page-table format name, e.g. "vmsav8-64 4k" */
};

struct pt_table_cfg;
struct pt_walk;
struct json_t;

struct pt_format {
	const char *name;        /* "smmuv3-cd" */
	const char *label;       /* "Arm SMMUv3 Context Descriptor table" */
	const struct pt_struct *entry;   /* leaf entry structure */
	const struct pt_struct *dir;     /* directory descriptor, NULL if none */
	const struct pt_layout *layouts; /* layouts[0] is the default */
	size_t nlayouts;
	const struct pt_rule_set *rules;
	/* Reported when an SSID that was asked for sits behind an invalid
	 * directory descriptor (what the hardware raises for it). */
	const struct pt_rule *dir_invalid_rule;
	/* Decode a directory descriptor. */
	void (*dir_view)(const uint8_t *raw, struct pt_dir_view *out);
	/* Build a directory descriptor that points at `next`. */
	void (*dir_make)(uint8_t *raw, uint64_t next);
	/* Starting bytes of an entry written by hand (no "raw" in the spec). */
	void (*entry_defaults)(uint8_t *raw);
	/* Cheap validity test, used for counts and for skipping invalid entries. */
	int (*entry_valid)(const uint8_t *raw);
	/* Neutral view of an entry. */
	void (*entry_view)(const uint8_t *raw, struct pt_entry_view *out);
	/* Check one directory descriptor / entry; findings go to w->diags. */
	void (*check_dir)(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw);
	void (*check_entry)(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw);
	/* Optional: check_entry on n consecutive entries (entry i is index
	 * first + i at addr + i * size, its bytes at raw + i * size), the same
	 * findings in the same order; returns how many of them are valid. A
	 * table repeats one configuration for thousands of entries, and a
	 * loop that knows the entry's layout judges those without a call each. */
	uint64_t (*check_entries)(struct pt_walk *w, uint32_t first, uint64_t addr,
				  const uint8_t *raw, uint64_t n);
	/* Whole-table checks once the walk is over (aliases, overlaps). */
	void (*check_done)(struct pt_walk *w);
	/* Validation context: caps parsed from "--caps" (format-owned). */
	void *(*caps_parse)(const char *spec, char *err, size_t errlen);
	void (*caps_free)(void *caps);
	/* The index of an entry: NULL means "ssid"; stream tables say "sid". It
	 * names the JSON key of an entry's index and the table's "<name>_bits". */
	const char *index_name;
	/* Scope of findings about one entry: PT_SCOPE_NONE means SSID. */
	enum pt_diag_scope index_scope;
	/* JSON array holding the entries; NULL means "entries". */
	const char *entries_key;
	/* Widest index; 0 means PT_MAX_SSID_BITS. At most PT_MAX_INDEX_BITS. */
	unsigned max_index_bits;
	/* Like dir_make, for formats whose descriptor also records how many
	 * entries its leaf holds (2^leaf_bits); NULL when dir_make suffices. */
	void (*dir_make_sized)(uint8_t *raw, uint64_t next, unsigned leaf_bits);
	/* Before a table description of this format is built: fill what a
	 * shorter form leaves out (e.g. layout from a register value) and
	 * queue tables nested in entries by appending {"table": T, "owner": N}
	 * objects to `later` (N: the entry's index). NULL when not needed.
	 * 0, or -1 with err set. */
	int (*spec_expand)(struct json_t *table, struct json_t *later, char *err, size_t errlen);
	/* The part of spec_expand that concerns one entry, for descriptions
	 * read an entry at a time (core/build_stream.c): spec_expand is then
	 * called on the table without its entries. NULL when not needed. */
	int (*spec_expand_entry)(struct json_t *entry, struct json_t *later, char *err,
				 size_t errlen);
};

/* Defaults of the naming members above. */
const char *pt_format_index_name(const struct pt_format *fmt);
const char *pt_format_entries_key(const struct pt_format *fmt);
unsigned pt_format_max_index_bits(const struct pt_format *fmt);
enum pt_diag_scope pt_format_index_scope(const struct pt_format *fmt);

/* Formats register from formats/; the core keeps the list. */
void pt_format_register(const struct pt_format *fmt);
size_t pt_format_count(void);
const struct pt_format *pt_format_at(size_t i);
const struct pt_format *pt_format_find(const char *name);
const struct pt_layout *pt_format_layout(const struct pt_format *fmt, const char *name);

/* Other structures (STE, requests) listed by `formats`, docs and dictionaries. */
void pt_struct_register(const struct pt_struct *st);
size_t pt_struct_extra_count(void);
const struct pt_struct *pt_struct_extra_at(size_t i);

struct pt_table_cfg {
	const struct pt_format *fmt;
	const struct pt_layout *layout;
	uint64_t base;           /* address of the root table */
	unsigned ssid_bits;      /* index bits (SSID or SID): 2^ssid_bits entries */
	unsigned leaf_bits;      /* overrides layout->leaf_bits when non-zero (SPLIT) */
	uint64_t vendor[4];      /* format-specific words (e.g. the STE's S1DSS) */
	int has_sid;             /* the table was reached from a stream id */
	uint32_t sid;
};

/* Geometry derived from a config, computed once per walk. */
struct pt_geometry {
	unsigned leaf_bits;      /* SSID bits inside one leaf table */
	unsigned dir_bits;       /* SSID bits used to index the root directory */
	uint64_t nentries;       /* 2^ssid_bits */
	uint64_t ndir;           /* root directory descriptors (0 when linear) */
	uint64_t leaf_bytes;     /* size of one leaf table */
	uint64_t root_bytes;     /* size of the root table */
};

int pt_geometry(const struct pt_table_cfg *cfg, struct pt_geometry *g);

enum pt_walk_phase { PT_PHASE_DIRS, PT_PHASE_ENTRIES, PT_PHASE_END };

/* Callbacks of a walk; any may be NULL. Returning non-zero stops the walk.
 * on_phase tells when directory descriptors start, entries start, and the
 * walk ends, so a streaming printer can open and close its arrays. */
struct pt_walk_ops {
	void (*on_phase)(struct pt_walk *w, enum pt_walk_phase phase);
	int (*on_dir)(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		      const struct pt_dir_view *dv);
	int (*on_entry)(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw);
	/* Without on_entry, entries are visited a run at a time (no call per
	 * entry); this hears of each run: n entries from index first (progress). */
	void (*on_entries)(struct pt_walk *w, uint32_t first, uint64_t n);
};

/* One budget for all the walks of a run (--max-entries): each entry or
 * directory descriptor read costs 1, and so does each run of memory skipped
 * in bulk, so a run's time is bounded whatever its input claims. Once spent,
 * the walk that spent it stops with a TABLE-BUDGET finding, and every later
 * walk sharing the budget stops at its first read. */
struct pt_budget {
	uint64_t max;            /* 0: unlimited */
	uint64_t used;
	int exhausted;
};

/* The default of --max-entries: well above the 2^20-entry tables real
 * systems have, and small enough that a hostile input stops within seconds
 * (docs/performance.md). */
#define PT_DEFAULT_MAX_ENTRIES (UINT64_C(1) << 24)

struct pt_walk {
	const struct pt_table_cfg *cfg;
	struct pt_geometry geo;
	struct pt_source *src;
	struct pt_diag_sink *diags;
	const struct pt_walk_ops *ops;
	void *user;              /* caller's state for the callbacks */
	void *caps;              /* format caps for checks, or NULL when not validating */
	void *fmt_state;         /* format's per-walk state; freed by check_done */
	int alone;               /* each entry is judged on its own (scan): no
				  * per-walk state, nothing compared across entries */
	int validate;            /* run the format's checks */
	/* Restrict to one SSID (decode --ssid). */
	int one_ssid;
	uint32_t ssid;
	/* Visit entries in zero-filled memory one by one (decode --all prints
	 * each); otherwise a run of them costs one visit and a count. */
	int visit_zero;
	struct pt_budget *budget; /* NULL: unlimited */
	/* Results. entries_read counts entries in zero-filled memory too. */
	uint64_t entries_read, entries_valid, dirs_read, dirs_valid;
	uint64_t entries_zero;      /* in memory the input says is zero: all invalid */
	uint64_t entries_excluded;  /* in pages the dump did not save: not read */
	uint64_t entries_absent;    /* in memory no range of the input covers */
	uint64_t leaves_shared;     /* leaf tables not walked again (reached before) */
	int stopped;
	/* The walker's own: the last run of memory the source said holds data
	 * (pt_source_probe), so that the descriptors and leaves in it are not
	 * probed one by one. Reset by pt_walk_run. */
	uint64_t data_lo, data_hi;
};

/* Walk the table: every directory descriptor, then the entries of each
 * distinct leaf that a valid descriptor reaches (or every entry of a linear
 * table). Unreadable memory becomes a diagnostic, never a failure. Memory the
 * input does not hold with data (zero-filled, excluded, absent: see
 * pt_source_probe) is skipped a run at a time and counted, so the time a walk
 * takes follows the data the input holds, not the size the table claims; an
 * all-zero entry or descriptor must be invalid, and the format's checks may
 * only report one at index 0 of a leaf or when it was asked for, since a run
 * of them is visited at its first entry only. Returns 0, or -1 when the
 * config itself is unusable. */
int pt_walk_run(struct pt_walk *w);

/* Address of the entry for one SSID, reading directory descriptors through
 * the source. 0 on success; -1 with *why set (descriptor invalid, unmapped,
 * or the index lies past the entries the descriptor's leaf holds). */
int pt_entry_address(struct pt_source *src, const struct pt_table_cfg *cfg, uint32_t ssid,
		     uint64_t *addr, const char **why);

/* Core rules that are not about a vendor structure (unreadable memory, bad
 * geometry): declared in core/walk.c. */
enum pt_core_rule_id {
	PT_R_TABLE_UNMAPPED,     /* a table or entry is not in the input */
	PT_R_TABLE_GEOMETRY,     /* ssid bits / layout make no sense */
	PT_R_L2_OVERLAP,         /* a leaf table overlaps the root or another leaf */
	PT_R_L2_SHARED,          /* two descriptors point at the same leaf */
	PT_R_TABLE_OVERLAP,      /* a table overlaps another structure of the run */
	PT_R_TABLE_BUDGET,       /* the --max-entries budget stopped the walk */
	PT_R_CORE_COUNT
};
extern const struct pt_rule pt_core_rule_list[PT_R_CORE_COUNT];
extern const struct pt_rule_set pt_core_rules;

#endif
