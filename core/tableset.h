/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The set of distinct tables a run reaches. However many referrers (stream
 * IDs, requests, descriptors) point at one table, it is walked once; every
 * referrer is remembered so that findings about the table can name them all;
 * a table whose memory overlaps another table of the set, or memory reserved
 * for another structure (the stream table the referrers live in), is reported
 * and not walked again. Vendor neutral: a referrer is a number whose meaning
 * (SID, request index) the caller names with `ref_name`. */
#ifndef PT_TABLESET_H
#define PT_TABLESET_H

#include <stdint.h>

#include "diag.h"
#include "slots.h"
#include "table.h"

/* Distinct tables remembered; later ones are counted in `dropped`. */
#define PT_TSET_MAX_TABLES 65536u
/* Referrers are kept as ranges of consecutive numbers (the StreamIDs of one
 * device are usually consecutive); past this many ranges they are counted. */
#define PT_TSET_RANGES 16u
/* Distinct check contexts (cfg.vendor[0]) a shared table is checked in. */
#define PT_TSET_MAX_CTX 4u
/* Reserved spans checked for overlap; later ones are not. */
#define PT_TSET_MAX_SPANS 65536u

struct pt_tset_table {
	struct pt_table_cfg cfg;       /* as the first referrer gave it */
	uint64_t bytes;                /* bytes of its root table */
	uint32_t nrefs;                /* referrers, the first included */
	uint32_t nranges;
	struct pt_id_range refs[PT_TSET_RANGES];
	uint32_t unlisted;             /* referrers past the listed ranges */
	/* Referrers whose context word (cfg.vendor[0]: what an STE tells the
	 * CD checks) differs from the first one's: the table is checked again
	 * in each such context. */
	uint32_t nctx;
	uint64_t ctx[PT_TSET_MAX_CTX];
	uint32_t ctx_ref[PT_TSET_MAX_CTX];
	/* After pt_tset_settle: non-zero when the table shares memory with
	 * another structure of the set; it is then not walked. */
	int overlaps;
	uint64_t overlap_addr;         /* the other structure's address */
	const char *overlap_what;      /* what it is ("the stream table", a format name) */
	uint32_t overlap_ref;          /* the other table's first referrer (tables only) */
	int overlap_is_table;
};

struct pt_tset_span {
	uint64_t addr, bytes;
	const char *what;
};

struct pt_tset {
	const char *ref_name;          /* "sid", "request" */
	struct pt_tset_table *v;
	uint32_t n, cap;
	struct pt_slots slots;         /* index of v by table */
	uint64_t dropped;              /* referrers whose new table did not fit */
	struct pt_tset_span *spans;
	uint32_t nspans, spans_cap;
	uint64_t spans_dropped;
};

enum pt_tset_added {
	PT_TSET_NEW,                   /* first referrer of this table */
	PT_TSET_SHARED,                /* a table already in the set */
	PT_TSET_FULL,                  /* not remembered: the set is full */
};

void pt_tset_init(struct pt_tset *ts, const char *ref_name);
void pt_tset_free(struct pt_tset *ts);

/* Referrer `ref` reaches the table cfg describes (format, base, layout,
 * index bits and leaf bits identify it). *out is the set's record, or NULL
 * when the set is full. */
enum pt_tset_added pt_tset_add(struct pt_tset *ts, const struct pt_table_cfg *cfg, uint32_t ref,
			       struct pt_tset_table **out);

/* Memory of another structure that tables must not overlap (the stream
 * table, a leaf of it); `what` is a static string. */
void pt_tset_reserve(struct pt_tset *ts, uint64_t addr, uint64_t bytes, const char *what);

/* Once every referrer has been added: mark each table that shares memory
 * with a reserved span or with a table added before it. O(n log n). */
void pt_tset_settle(struct pt_tset *ts);

/* Report TABLE-OVERLAP for table t (one marked by pt_tset_settle). */
void pt_tset_report_overlap(const struct pt_tset *ts, const struct pt_tset_table *t,
			    struct pt_diag_sink *diags);

/* Findings reported between begin and end are about table t: they carry
 * its first referrer (or `ref` when checking in another referrer's
 * context) and name the others. */
void pt_tset_diag_begin(const struct pt_tset *ts, const struct pt_tset_table *t, uint32_t ref,
			struct pt_diag_sink *diags);
void pt_tset_diag_end(struct pt_diag_sink *diags);

/* Walk every table of the set once, in the order first reached: `walk`
 * is called with the table's own config (again = 0), findings carrying its
 * first referrer and naming the others; a table marked by pt_tset_settle is
 * reported (TABLE-OVERLAP) instead. With `contexts`, each table is then
 * walked again in every other context its referrers gave (again = 1), the
 * findings carrying the referrer of that context. Returns -1 when a walk
 * did, 0 otherwise. */
typedef int (*pt_tset_walk_fn)(void *user, const struct pt_tset_table *t,
			       const struct pt_table_cfg *cfg, int again);
int pt_tset_walk_all(const struct pt_tset *ts, struct pt_diag_sink *diags, int contexts,
		     pt_tset_walk_fn walk, void *user);

/* The n-th referrer of t in order (n < PT_TSET_RANGES ranges' worth), for
 * listings; -1 past the listed ones. */
int pt_tset_ref_at(const struct pt_tset_table *t, uint32_t n, uint32_t *ref);

#endif
