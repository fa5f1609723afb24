/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Findings about the run's outputs, so that a JSON document of a run whose
 * output failed carries the failure in its diagnostics. */
#include "output.h"

const struct pt_rule pt_output_rule_list[PT_R_OUT_COUNT] = {
	[PT_R_OUT_WRITE] = { "OUT-WRITE", PT_SEV_ERROR, NULL,
		"an output file (--save-pages, ...) could not be written: a full disk, a "
		"file size limit, a missing directory",
		"the old file, if any, is kept; exit status 2", "pasidtool" },
};

const struct pt_rule_set pt_output_rules = { "output", pt_output_rule_list, PT_R_OUT_COUNT };
