/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --regs FILE for the commands: the register file read through the library's
 * register model (formats/smmuv3_regs.h), its findings printed, and its
 * values turned into what a command takes (a stream-table root, a --caps
 * spec). */
#ifndef PT_CLI_REGS_H
#define PT_CLI_REGS_H

#include "smmuv3_regs.h"

struct pt_inspect_opts;

/* Read FILE into r, printing REGS-* findings to stderr as FILE:0xOFFSET;
 * 0, or PT_EXIT_USAGE when the file has errors. */
int pt_cli_regs_load(const char *path, struct smmu_regs *r);
/* The --caps spec that applies the registers' caps under the user's own:
 * the user's profile names first, then the registers, then the user's
 * KEY=VALUE pairs. Points into static storage; NULL when too long. */
const char *pt_cli_regs_caps(const struct smmu_regs *r, const char *user_caps);
/* decode/validate: o->regs read into r (kept for the queue summary), the
 * stream-table root taken from it unless another root was given, the caps
 * layered under --caps. 0 or an exit status; r is empty without --regs. */
int pt_cli_regs_apply(struct pt_inspect_opts *o, struct smmu_regs *r);

#endif
