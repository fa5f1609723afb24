/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool queues: the SMMUv3 command, event and PRI queues in a dump, each
 * entry named and with its operands, oldest first: the consumed history the
 * ring still holds, then what is pending. Registers come from options (or
 * --regs); the ring walk, entry layouts and checks are library code. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "emit.h"
#include "emit_line.h"
#include "queues.h"
#include "smmuv3.h"
#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"

static const char doc[] =
	"Decode the SMMUv3 command, event and PRI queues held in a raw image or memory dump, "
	"from their BASE, PROD and CONS register values (options or --regs): every entry "
	"named with its "
	"operands, oldest first (the consumed history still in memory, then the pending "
	"entries), with checks of what the SMMU would reject.";

static const char *const examples[] = {
	"pasidtool queues guest.elf --cmdq 0x4800000a --cmdq-prod 0x83 --cmdq-cons 0x83",
	"pasidtool queues guest.elf --regs smmu-regs.txt",
	"pasidtool queues guest.elf --cmdq 0x4800000a --cmdq-prod 0x83 --cmdq-cons 0x83 "
	"--evtq 0x48010007 --evtq-prod 2 --evtq-cons 1 --json",
	NULL,
};

enum {
	OPT_BASE = 0x100, OPT_VADDR, OPT_CAPS, OPT_STRTAB_CFG, OPT_ALL, OPT_STRICT,
	OPT_REGS = 0x1ff,
	OPT_Q0 = 0x200, /* OPT_Q0 + 3 * queue + {0 base, 1 prod, 2 cons}: pt_queue_regs_argp */
};

/* The BASE/PROD/CONS options of the three queues, shared with `explain`
 * (an argp child whose input is the struct pt_queues_opts). */
static const struct argp_option queue_reg_options[] = {
	{ NULL, 0, NULL, 0, "Queue registers (values as the SMMU holds them):", 2 },
	{ "regs", OPT_REGS, "FILE", 0,
	  "SMMU register values (NAME=VALUE lines or JSON, see decode --help): the queues, "
	  "IDR1's queue sizes, the caps, STRTAB_BASE_CFG; options override them", 2 },
	{ "cmdq", OPT_Q0 + 0, "BASE", 0, "SMMU_CMDQ_BASE (ADDR and LOG2SIZE)", 2 },
	{ "cmdq-prod", OPT_Q0 + 1, "P", 0, "SMMU_CMDQ_PROD", 2 },
	{ "cmdq-cons", OPT_Q0 + 2, "C", 0, "SMMU_CMDQ_CONS (with ERR)", 2 },
	{ "evtq", OPT_Q0 + 3, "BASE", 0, "SMMU_EVENTQ_BASE", 2 },
	{ "evtq-prod", OPT_Q0 + 4, "P", 0, "SMMU_EVENTQ_PROD (with OVFLG)", 2 },
	{ "evtq-cons", OPT_Q0 + 5, "C", 0, "SMMU_EVENTQ_CONS (with OVACKFLG)", 2 },
	{ "priq", OPT_Q0 + 6, "BASE", 0, "SMMU_PRIQ_BASE", 2 },
	{ "priq-prod", OPT_Q0 + 7, "P", 0, "SMMU_PRIQ_PROD", 2 },
	{ "priq-cons", OPT_Q0 + 8, "C", 0, "SMMU_PRIQ_CONS", 2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static int num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out);

static error_t queue_reg_parse(int key, char *arg, struct argp_state *st)
{
	struct pt_queues_opts *o = st->input;
	uint64_t v;
	if (key == OPT_REGS) {
		o->regs = arg;
		return 0;
	}
	if (key < OPT_Q0 || key >= OPT_Q0 + 3 * SMMU_Q_COUNT)
		return ARGP_ERR_UNKNOWN;
	unsigned q = (unsigned)(key - OPT_Q0) / 3, which = (unsigned)(key - OPT_Q0) % 3;
	static const char *const names[] = { "--cmdq", "--cmdq-prod", "--cmdq-cons",
					     "--evtq", "--evtq-prod", "--evtq-cons",
					     "--priq", "--priq-prod", "--priq-cons" };
	num(st, names[key - OPT_Q0], arg, which ? UINT32_MAX : UINT64_MAX, &v);
	o->q[q].have |= 1u << which;
	if (which == 0)
		o->q[q].vals.base_reg = v;
	else if (which == 1)
		o->q[q].vals.prod = (uint32_t)v;
	else
		o->q[q].vals.cons = (uint32_t)v;
	return 0;
}

const struct argp pt_queue_regs_argp = { queue_reg_options, queue_reg_parse, NULL, NULL, NULL,
					 NULL, NULL };

static const struct argp_child children[] = { { &pt_queue_regs_argp, 0, NULL, 0 },
					       { NULL, 0, NULL, 0 } };

static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ NULL, 0, NULL, 0, "Checks:", 3 },
	{ "strtab-cfg", OPT_STRTAB_CFG, "VALUE", 0,
	  "SMMU_STRTAB_BASE_CFG: StreamIDs in commands and events are checked against it", 3 },
	{ "caps", OPT_CAPS, "SPEC", 0, "the SMMU the checks assume (see validate --help)", 3 },
	{ NULL, 0, NULL, 0, "Listing and exit status:", 4 },
	{ "all", OPT_ALL, NULL, 0, "also show empty slots (never written since allocation)", 4 },
	{ "strict", OPT_STRICT, NULL, 0, "exit 1 when a check reports an error", 4 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static int num(struct argp_state *st, const char *opt, const char *arg, uint64_t max,
	       uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0 || *out > max)
		pt_cli_opt_error(st, "%s %s: expected a number up to 0x%llx", opt, arg,
				 (unsigned long long)max);
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct pt_queues_opts *o = st->input;
	switch (key) {
	case ARGP_KEY_INIT: st->child_inputs[0] = o; return 0;
	case OPT_BASE: num(st, "--base", arg, UINT64_MAX, &o->base); return 0;
	case OPT_VADDR: o->use_vaddr = 1; return 0;
	case OPT_CAPS: o->caps = arg; return 0;
	case OPT_STRTAB_CFG:
		num(st, "--strtab-cfg", arg, UINT64_MAX, &o->strtab_cfg);
		o->have_strtab_cfg = 1;
		return 0;
	case OPT_ALL: o->all = 1; return 0;
	case OPT_STRICT: o->strict = 1; return 0;
	case ARGP_KEY_ARG:
		if (o->ninputs >= PT_QUEUES_MAX_INPUTS)
			pt_cli_opt_error(st, "at most %u inputs", PT_QUEUES_MAX_INPUTS);
		o->inputs[o->ninputs++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->ninputs == 0)
			pt_cli_opt_error(st, "no input file (a raw image or an ELF core; '-' for "
					     "stdin)");
		return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

const struct argp pt_queues_argp = { options, parse_opt, "INPUT...", doc, children, NULL, NULL };
static const struct pt_cli_cmd cli = { "queues", &pt_queues_argp, PT_CLI_ALL, examples };

/* The run reads the shared output options from its own struct, which
 * explain fills the same way. */
void pt_queues_take_common(struct pt_queues_opts *o)
{
	o->json = pt_cli.json;
	o->quiet = pt_cli.quiet;
	o->color = pt_cli.color_when;
}

int cmd_queues(int argc, char **argv)
{
	struct pt_queues_opts o;
	memset(&o, 0, sizeof o);
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	pt_queues_take_common(&o);
	return pt_queues_run(&o);
}
