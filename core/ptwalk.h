/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The page-table walker: radix translation tables described as data (a
 * descriptor format per granule and stage) walked one level at a time. The
 * walker knows no vendor: it yields one step per level read (stage, level,
 * table, index, descriptor address and value, what the level decided), and a
 * fault as a neutral kind plus the stage and level; formats/ turn that into
 * the event their hardware records. Permissions, memory types and which
 * table gives a walk its root belong to formats/.
 *
 * Arm VMSAv8-64 (stage 1 and 2, 4K/16K/64K, 52-bit) is the first user; an
 * x86-style table (VT-d first level) fits the same shape: a present bit as
 * `valid`, PS as `type` with its own table/leaf values, 512 entries a level
 * and the U/S, R/W bits as `hier_and` (docs/vendors.md). */
#ifndef PT_PTWALK_H
#define PT_PTWALK_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "field.h"
#include "rule.h"
#include "source.h"

/* Deepest walk: levels -1..3 of one stage. A nested walk also walks stage 2
 * for every stage-1 table and the output: (5 + 1) * 5 + 5 steps. */
#define PT_PTW_MAX_LEVELS 5
#define PT_PTW_MAX_STEPS 48
/* Widest start table: stride + 4 concatenation bits (16 tables). */
#define PT_PTW_MAX_CONCAT_BITS 4u

/* Descriptors as data: what one granule and stage of a format looks like. */
struct pt_ptw_format {
	const char *name;             /* "vmsav8-64-s1-4k" */
	unsigned granule_bits;        /* log2 bytes of a full table and of a page */
	unsigned stride;              /* index bits a level resolves */
	unsigned desc_bytes;          /* 8 */
	int first_level, last_level;  /* deepest tree this format can describe */
	const struct pt_struct *table, *block, *page;
	const struct pt_field *valid; /* set on every descriptor the walk may use */
	/* Above the last level `type` tells a table (type_table) from a block;
	 * at the last level it must equal type_page or the encoding is
	 * reserved. NULL type: above the last level always a table, at it
	 * always a page. */
	const struct pt_field *type;
	uint64_t type_table, type_page;
	uint64_t type_block;          /* what a builder writes for a block */
	uint32_t block_levels;        /* bit (level + 1): a block may sit at level */
	/* The address a table / leaf descriptor holds: the OR of these address
	 * fields (PT_FK_ADDR), NULL-terminated. */
	const struct pt_field *const *table_addr;
	const struct pt_field *const *leaf_addr;
	const struct pt_field *af;    /* access flag (0 faults), NULL: none */
	const struct pt_field *contig;/* contiguous hint, NULL: none */
	uint8_t contig_bits[PT_PTW_MAX_LEVELS]; /* log2 entries a hint spans, by level + 1 */
	/* Table-descriptor bits that restrict everything below them: OR'ed
	 * (a set bit takes a right away) and AND'ed (a clear bit does). */
	uint64_t hier_or, hier_and;
	/* Leaf bits that make two mappings different for `maps` (attributes,
	 * not address). */
	uint64_t leaf_attr_mask;
};

/* Why a level stopped or went on. */
enum pt_ptw_decision {
	PT_PTW_DEC_TABLE,       /* next-level table */
	PT_PTW_DEC_BLOCK,       /* leaf above the last level */
	PT_PTW_DEC_PAGE,        /* leaf at the last level */
	PT_PTW_DEC_INVALID,     /* valid bit clear */
	PT_PTW_DEC_RESERVED,    /* reserved encoding (page type at the last level, block where none may be) */
	PT_PTW_DEC_ADDR_SIZE,   /* next table or output beyond the output size */
	PT_PTW_DEC_NO_ACCESS,   /* access flag clear and no hardware update */
	PT_PTW_DEC_NOT_IN_DUMP, /* descriptor memory not in the input */
	PT_PTW_DEC_COUNT
};
const char *pt_ptw_decision_name(enum pt_ptw_decision d);

/* Neutral fault kinds; formats/ map them to their events. */
enum pt_ptw_fault {
	PT_PTF_NONE = 0,
	PT_PTF_TRANSLATION,   /* no valid mapping, reserved encoding, input out of range */
	PT_PTF_ADDR_SIZE,     /* an address beyond the output size */
	PT_PTF_ACCESS,        /* access flag clear */
	PT_PTF_PERMISSION,    /* the access is not allowed */
	PT_PTF_NOT_IN_DUMP,   /* not a hardware fault: the input ends here */
};

/* What the address being translated is for (SMMU event CLASS). */
enum pt_ptw_purpose {
	PT_PTW_FOR_INPUT = 0, /* the transaction's own address */
	PT_PTW_FOR_CONTEXT,   /* a context structure fetch (SMMU CD) */
	PT_PTW_FOR_TABLE,     /* a table of the stage above */
};

struct pt_ptw_access {
	int write, exec, priv;  /* one access: read unless write or exec */
};

struct pt_ptw_regime;
struct pt_ptw_result;

/* The format's judgement of a leaf for an access: 0 allowed, or -1 with
 * *why. NULL: every access is allowed. */
typedef int (*pt_ptw_permits_fn)(const struct pt_ptw_regime *r, const struct pt_ptw_result *res,
				 const struct pt_ptw_access *acc, const char **why);

/* One translation regime: a format plus the registers that place it. */
struct pt_ptw_regime {
	const struct pt_ptw_format *fmt;
	unsigned stage;          /* 1 or 2: named in steps and faults */
	uint64_t root;           /* first start-level table (others follow when concatenated) */
	int start_level;
	unsigned ia_bits;        /* input addresses are below 2^ia_bits */
	unsigned oa_bits;        /* tables and outputs must be below 2^oa_bits */
	int big_endian;
	int af_ignored;          /* AF = 0 does not fault (hardware update or AFFD) */
	int hier_disabled;       /* table descriptors' restrictions ignored */
	pt_ptw_permits_fn permits;
	const void *vendor;      /* the format's context for permits */
	/* Stage that turns this regime's addresses (tables, output) into
	 * physical ones; NULL: they already are. */
	const struct pt_ptw_regime *next;
};

/* Start geometry of a regime: 0, or -1 when ia_bits/start_level cannot be
 * walked with this format (more concatenation than allowed, too wide). */
int pt_ptw_check_regime(const struct pt_ptw_regime *r, const char **why);
/* Bytes of the start table (all concatenated tables). */
uint64_t pt_ptw_root_bytes(const struct pt_ptw_regime *r);
/* Address bits below which a level's descriptors map (block/page size). */
unsigned pt_ptw_level_shift(const struct pt_ptw_format *f, int level);

struct pt_ptw_step {
	unsigned stage;
	int level;
	enum pt_ptw_purpose purpose; /* why this walk ran (stage-2 steps of a nested walk) */
	uint64_t ia;                 /* input address of this stage's walk */
	uint64_t table;              /* table the descriptor was read from */
	uint32_t index;
	uint64_t pte_address;
	uint64_t pte;
	enum pt_ptw_decision decision;
};

struct pt_ptw_fault_info {
	enum pt_ptw_fault kind;
	unsigned stage;
	int level;                   /* -2 when before any level (input range) */
	enum pt_ptw_purpose purpose;
	uint64_t addr;               /* input address of the faulting stage */
	uint64_t fetch;              /* NOT_IN_DUMP: the address not held */
	enum pt_read_status read;    /* NOT_IN_DUMP: what the source said */
	char reason[160];
};

struct pt_ptw_result {
	int ok;
	uint64_t ia, oa;             /* input and final output address */
	/* The leaf of the first stage walked (the regime passed in). */
	uint64_t leaf;
	int leaf_level;
	uint64_t leaf_address;
	unsigned size_bits;          /* log2 bytes the leaf maps */
	uint64_t hier_or, hier_and;  /* table restrictions gathered on the way */
	/* The leaf of the next stage for the output (nested), when ok. */
	int has_next_leaf;
	uint64_t next_leaf;
	int next_leaf_level;
	unsigned next_size_bits;
	uint64_t next_hier_or, next_hier_and;
	struct pt_ptw_step steps[PT_PTW_MAX_STEPS];
	unsigned nsteps;
	struct pt_ptw_fault_info fault;
};

/* Translate one input address. acc NULL: report what is mapped, fault only
 * on translation, address size and access flag; otherwise the regime's
 * permits() judges the access. With r->next set, each table address goes
 * through that stage first (as a read for PT_PTW_FOR_TABLE) and then the
 * output (for `purpose`). Reads go through src only; returns res->ok. */
int pt_ptw_translate(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t ia,
		     enum pt_ptw_purpose purpose, const struct pt_ptw_access *acc,
		     struct pt_ptw_result *res);

/* A leaf descriptor's address and attributes in neutral form. */
uint64_t pt_ptw_desc_addr(const struct pt_field *const *fields, uint64_t desc);

/* ---- Every mapping of a regime (maps, validate --page-tables) ---- */

struct pt_ptw_leaf {
	uint64_t ia, oa;
	unsigned size_bits;
	int level;
	uint64_t desc, desc_address;
	uint64_t hier_or, hier_and;
};

/* What the tree walk found that is not a mapping. */
enum pt_ptw_event {
	PT_PTW_EV_NOT_IN_DUMP,  /* a table the tree needs is not in the input */
	PT_PTW_EV_LOOP,         /* a table is its own ancestor */
	PT_PTW_EV_ADDR_SIZE,    /* table or output address beyond the output size */
	PT_PTW_EV_RESERVED,     /* reserved encoding */
	PT_PTW_EV_BUDGET,       /* more descriptors than the budget allows */
	PT_PTW_EV_NEXT_STAGE,   /* nested: the next stage faults on a table's address */
	PT_PTW_EV_RES0,         /* a valid descriptor has RES0 bits set (validate's desc hook) */
};

enum { PT_PTW_SKIP = -1 };

struct pt_ptw_visit_ops {
	/* Return non-zero to stop. */
	int (*leaf)(void *user, const struct pt_ptw_leaf *leaf);
	/* Every table about to be entered; may be NULL. Positive: stop;
	 * PT_PTW_SKIP: do not enter it (validate: a table already checked at
	 * this level); 0: enter it. */
	int (*table)(void *user, int level, uint64_t table, uint64_t bytes, uint64_t ia);
	/* Every descriptor that is valid (validate); may be NULL. */
	int (*desc)(void *user, int level, uint64_t addr, uint64_t desc,
		    enum pt_ptw_decision decision);
	void (*event)(void *user, enum pt_ptw_event ev, int level, uint64_t addr, uint64_t ia,
		      const char *what);
};

struct pt_ptw_visit_stats {
	uint64_t descriptors, tables, leaves;
	int stopped, budget_hit;
};

/* Visit every valid leaf of a regime in input-address order (nested: table
 * addresses go through r->next; leaves give this stage's output),
 * depth first with an explicit stack (no recursion), reading each table once
 * per path and skipping tables on the current path (loops). `budget` caps
 * the descriptors read (0: no cap). Unreadable tables become events. */
int pt_ptw_visit(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t budget,
		 const struct pt_ptw_visit_ops *ops, void *user, struct pt_ptw_visit_stats *st);

/* Bits of valid descriptor `desc` (decided `d` at `level`) that its format
 * calls RES0 there: the RES0 fields of its kind (table, block, page) and,
 * for a block, the address bits below the block's size. 0: none. */
uint64_t pt_ptw_res0_bits(const struct pt_ptw_format *f, int level, uint64_t desc,
			  enum pt_ptw_decision d);

/* Findings about translation tables (core/ptwalk_rules.c): TT-* rules. */
enum pt_ptw_rule_id {
	PT_R_TT_NOT_IN_DUMP, PT_R_TT_LOOP, PT_R_TT_ADDR_SIZE, PT_R_TT_RESERVED, PT_R_TT_BUDGET,
	PT_R_TT_NEXT_STAGE, PT_R_TT_RES0, PT_R_TT_LEVEL_ALIAS, PT_R_TT_OVERLAP,
	PT_R_TT_NOT_WALKED, PT_R_TT_COUNT
};
extern const struct pt_rule pt_ptw_rule_list[PT_R_TT_COUNT];
extern const struct pt_rule_set pt_ptw_rules;
struct pt_diag_sink;
/* A tree-walk event as a finding at addr (ia: the input address it is about). */
void pt_ptw_report(struct pt_diag_sink *diags, enum pt_ptw_event ev, unsigned stage, int level,
		   uint64_t addr, uint64_t ia, const char *what);
/* The same about the address space of one SubstreamID (scope) or other
 * referrer: the sink's context names the StreamID. */
void pt_ptw_report_in(struct pt_diag_sink *diags, enum pt_ptw_event ev, unsigned stage,
		      int level, uint64_t addr, uint64_t ia, const char *what,
		      enum pt_diag_scope scope, uint32_t scope_id);

/* ---- Merging leaves into ranges (maps) ---- */

struct pt_ptw_range {
	int open;
	uint64_t ia, oa, size;
	uint64_t attrs;              /* leaf & leaf_attr_mask */
	uint64_t hier_or, hier_and;
	struct pt_ptw_leaf first;    /* the first leaf of the range */
};
/* Fold leaf into *cur when it continues it (input and output run on and the
 * attributes match); otherwise return 1 and leave *cur as the finished range
 * for the caller to print, who then calls pt_ptw_range_start. */
int pt_ptw_range_extends(const struct pt_ptw_format *f, struct pt_ptw_range *cur,
			 const struct pt_ptw_leaf *leaf);
void pt_ptw_range_start(const struct pt_ptw_format *f, struct pt_ptw_range *cur,
			const struct pt_ptw_leaf *leaf);

#endif
