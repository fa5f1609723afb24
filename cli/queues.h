/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `queues`: options and the run, shared with `explain --evtq` (which reads
 * the event queue and the command history through the same code). */
#ifndef PT_CLI_QUEUES_H
#define PT_CLI_QUEUES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "smmuv3_queue.h"

struct argp;

#define PT_QUEUES_MAX_INPUTS 64u

struct pt_queue_opt {
	unsigned have;           /* bit 0 BASE, bit 1 PROD, bit 2 CONS */
	struct smmu_queue_vals vals;
};

struct pt_queues_opts {
	const char *inputs[PT_QUEUES_MAX_INPUTS];
	size_t ninputs;
	uint64_t base;
	int use_vaddr;
	struct pt_queue_opt q[SMMU_Q_COUNT];
	const char *regs;        /* --regs FILE */
	const char *caps;
	uint64_t strtab_cfg;
	int have_strtab_cfg;
	int all, json, quiet, strict;
	const char *color;
};

extern const struct argp pt_queues_argp;
/* --cmdq/--evtq/--priq with -prod and -cons: an argp child whose input is a
 * struct pt_queues_opts (explain uses it too). */
extern const struct argp pt_queue_regs_argp;
int pt_queues_run(struct pt_queues_opts *o);
/* Copy the option layer's --json, --quiet and --color into o. */
void pt_queues_take_common(struct pt_queues_opts *o);

/* --regs: read o->regs into r and let it describe the queues in `kinds`
 * (bit k: enum smmu_queue_kind k) register by register where the options
 * did not, bound their sizes by IDR1, layer its caps under --caps and take
 * STRTAB_BASE_CFG for the StreamID checks. 0 or an exit status; without
 * --regs, 0 and r empty. */
int pt_queues_apply_regs(struct pt_queues_opts *o, unsigned kinds, struct smmu_regs *r);

/* Check that each queue named has BASE, PROD and CONS, and fill the
 * defaults the registers did not give (IDR1's queue sizes: 19). Prints a
 * usage error and returns PT_EXIT_USAGE, or 0. `need_one`: at least one
 * queue must be given. */
int pt_queues_opts_check(struct pt_queues_opts *o, int need_one);

/* decode --regs: each queue the registers describe as one line on `out`
 * ("INPUT: evtq @ 0x...: 2^15 entries, 12 pending, ...") or, when `arr` is
 * given, one object appended to it. Findings about the registers are `queues`'
 * business; the line says what they mean. Returns the number of queues. */
unsigned pt_queues_summary(const struct smmu_regs *r, struct pt_source *src, const char *input,
			   FILE *out, json_t *arr);

#endif
