/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hints for common mistakes in a decode/validate command line, each a note
 * (HINT-* rules) that ends with the corrected command: a raw image decoded
 * without --base whose L1 pointers say where it sits, a stream-table FMT or
 * a CD-table layout that reads directory descriptors as entries (or the
 * reverse). Notes never change the exit status. */
#ifndef PT_HINTS_H
#define PT_HINTS_H

#include "diag.h"
#include "rule.h"
#include "source.h"
#include "table.h"

extern const struct pt_rule_set pt_hint_rules;

/* What the command line said, for the corrected command. */
struct pt_hint_args {
	int argc;
	char **argv;             /* argv[0] is "pasidtool CMD" */
	int has_base;            /* --base given, or an input as FILE@ADDR */
	int root_given;          /* the root came from an option, not the image start */
	int has_ssid_bits;
	int has_strtab;          /* --strtab with --strtab-cfg VALUE: */
	uint64_t strtab_cfg;
};

/* After the walk of cfg (the table the options named): the hints that
 * apply, as notes in diags. */
void pt_hints_table(struct pt_source *src, const struct pt_table_cfg *cfg,
		    const struct pt_hint_args *a, struct pt_diag_sink *diags);

/* A root that is not in a raw image given without --base: the image
 * probably starts at the table. */
void pt_hints_root(struct pt_source *src, uint64_t root, const struct pt_hint_args *a,
		   struct pt_diag_sink *diags);

#endif
