/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The options decode and validate share (input, table root, output), and the
 * engine that opens the input, walks the table and prints what was asked. */
#ifndef PT_INSPECT_H
#define PT_INSPECT_H

#include <argp.h>
#include <stdint.h>

#include "diag.h"
#include "emit.h"
#include "source.h"
#include "table.h"

struct pt_cli_cmd;

#define PT_MAX_INPUTS 64
#define PT_MAX_RULE_OPTS 64

struct pt_inspect_opts {
	const char *inputs[PT_MAX_INPUTS];
	size_t ninputs;
	uint64_t base;
	int has_base;
	/* The command line as given, for the corrected command of a hint. */
	int argc;
	char **argv;
	uint64_t max_input;     /* --max-input, 0: the default */
	int use_vaddr;
	/* --cd-table root */
	int has_cd_table;
	uint64_t cd_table;
	const char *layout;
	int has_layout;
	unsigned ssid_bits;
	int has_ssid_bits;
	/* stream-table roots */
	int has_ste;
	uint64_t ste;
	int has_strtab;
	uint64_t strtab, strtab_cfg;
	int has_strtab_cfg;
	int has_sid;
	uint32_t sid;
	/* selection and output */
	int has_ssid;
	uint32_t ssid;
	int all;
	int json;
	int strict;
	int validate;          /* run the rules (validate, decode --strict) */
	int show_entries;      /* print entries (decode) */
	const char *caps;
	const char *regs;      /* --regs FILE */
	const char *color;
	const char *save_pages;
	int quiet;
	int all_findings;
	uint64_t max_entries;  /* --max-entries: 0 means no limit */
	int page_tables;       /* --page-tables: walk the translation tables too */
};

/* argp children: input/root options and output options. A command's argp
 * takes pt_inspect_children with pt_inspect_parent_parse as its parser,
 * which hands the command's struct pt_inspect_opts to them. */
extern const struct argp pt_inspect_argp;
extern const struct argp_child pt_inspect_children[];
error_t pt_inspect_parent_parse(int key, char *arg, struct argp_state *st);

void pt_inspect_defaults(struct pt_inspect_opts *o);
/* Take --json, --quiet and --color from the option layer (pt_cli). */
void pt_inspect_common(struct pt_inspect_opts *o);
/* Run decode or validate; returns the exit status. */
int pt_inspect_run(struct pt_inspect_opts *o, const char *schema);
/* The whole command: argv parsed by cli into o (its defaults set), then run. */
int pt_inspect_main(const struct pt_cli_cmd *cli, int argc, char **argv,
		    struct pt_inspect_opts *o, const char *schema);

#endif
