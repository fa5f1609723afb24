/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `explain`: options (cli/cmd_explain.c) and the run (cli/explain.c). */
#ifndef PT_CLI_EXPLAIN_H
#define PT_CLI_EXPLAIN_H

#include <stdint.h>

#include "queues.h"

struct explain_opts {
	struct pt_queues_opts q;    /* inputs, --evtq/--cmdq, caps, json, quiet, color */
	int have_strtab, have_strtab_cfg;
	uint64_t strtab, strtab_cfg;
	const char *log;
	const char *event;
};

extern const struct argp pt_explain_argp;
int pt_explain_run(struct explain_opts *o);

#endif
