/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool explain: why the SMMU raised an event. The event comes from a
 * kernel log excerpt, from its four words, or from the event queue in the
 * dump; the library (formats/smmuv3_explain.c) finds its STE, CD and the
 * commands that touched it; this file reads the options and prints. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "emit.h"
#include "emit_line.h"
#include "explain.h"
#include "queues.h"
#include "smmuv3.h"
#include "smmuv3_evtlog.h"
#include "smmuv3_explain.h"

static const char doc[] =
	"Explain SMMUv3 events: decode each one, find the STE and CD the SMMU used for it in "
	"the dump (from the stream table), the commands of the command queue that touched "
	"its stream, ASID or address, and say in one paragraph why the SMMU raised it. The "
	"events come from a kernel log excerpt (--event-log: \"event 0x10 received:\" with "
	"its four words, or the decoded \"event: F_TRANSLATION client: ...\" lines, any "
	"dmesg or journalctl prefix), from four words (--event), or from the event queue in "
	"the dump (--evtq with -prod and -cons, or --regs).";

static const char *const examples[] = {
	"pasidtool explain guest.elf --strtab 0x48000000 --strtab-cfg 0x10210 "
	"--event-log dmesg.txt",
	"pasidtool explain guest.elf --strtab 0x48000000 --strtab-cfg 0x10210 "
	"--event 0x10000000010,0x20000000000,0x1000,0 --cmdq 0x4800000a --cmdq-prod 0x83 "
	"--cmdq-cons 0x83",
	"pasidtool explain guest.elf --regs smmu-regs.txt",
	NULL,
};

enum { OPT_BASE = 0x100, OPT_VADDR, OPT_CAPS, OPT_STRTAB, OPT_STRTAB_CFG, OPT_LOG, OPT_EVENT };


static const struct argp_option options[] = {
	{ NULL, 0, NULL, 0, "Input and the stream table:", 1 },
	{ "base", OPT_BASE, "ADDR", 0, "address of the first byte of a raw image (default 0)", 1 },
	{ "vaddr", OPT_VADDR, NULL, 0, "ELF cores: place segments at p_vaddr, not p_paddr", 1 },
	{ "strtab", OPT_STRTAB, "ADDR", 0, "SMMU_STRTAB_BASE: the stream table", 1 },
	{ "strtab-cfg", OPT_STRTAB_CFG, "VALUE", 0, "SMMU_STRTAB_BASE_CFG", 1 },
	{ "caps", OPT_CAPS, "SPEC", 0, "the SMMU the checks assume (see validate --help)", 1 },
	{ NULL, 0, NULL, 0, "The events (one of):", 2 },
	{ "event-log", OPT_LOG, "FILE", 0, "a kernel log excerpt ('-' for standard input)", 2 },
	{ "event", OPT_EVENT, "W0,W1,W2,W3", 0, "one event record as its four 64-bit words", 2 },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const struct argp_child children[] = {
	{ &pt_queue_regs_argp, 0, "The event queue (--evtq) and the command history (--cmdq):",
	  3 },
	{ NULL, 0, NULL, 0 },
};

static void num(struct argp_state *st, const char *opt, const char *arg, uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0)
		pt_cli_opt_error(st, "%s %s: expected a number", opt, arg);
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct explain_opts *o = st->input;
	switch (key) {
	case ARGP_KEY_INIT: st->child_inputs[0] = &o->q; return 0;
	case OPT_BASE: num(st, "--base", arg, &o->q.base); return 0;
	case OPT_VADDR: o->q.use_vaddr = 1; return 0;
	case OPT_CAPS: o->q.caps = arg; return 0;
	case OPT_STRTAB: num(st, "--strtab", arg, &o->strtab); o->have_strtab = 1; return 0;
	case OPT_STRTAB_CFG:
		num(st, "--strtab-cfg", arg, &o->strtab_cfg);
		o->have_strtab_cfg = 1;
		return 0;
	case OPT_LOG: o->log = arg; return 0;
	case OPT_EVENT: o->event = arg; return 0;
	case ARGP_KEY_ARG:
		if (o->q.ninputs >= PT_QUEUES_MAX_INPUTS)
			pt_cli_opt_error(st, "at most %u inputs", PT_QUEUES_MAX_INPUTS);
		o->q.inputs[o->q.ninputs++] = arg;
		return 0;
	case ARGP_KEY_END:
		if (o->q.ninputs == 0)
			pt_cli_opt_error(st, "no input file (a raw image or an ELF core; '-' for "
					     "stdin)");
		return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

const struct argp pt_explain_argp = { options, parse_opt, "INPUT...", doc, children, NULL,
				      NULL };
static const struct pt_cli_cmd cli = { "explain", &pt_explain_argp, PT_CLI_ALL, examples };

int cmd_explain(int argc, char **argv)
{
	struct explain_opts o;
	memset(&o, 0, sizeof o);
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	pt_queues_take_common(&o.q);
	return pt_explain_run(&o);
}
