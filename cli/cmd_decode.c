/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "inspect.h"

static const char doc[] =
	"Decode PASID tables from a raw image or an ELF memory dump, as text or JSON: an "
	"SMMUv3 CD table (linear or 2-level), a stream table walked down to every CD "
	"(--strtab, --ste), or another format (--format).";

static const char *const examples[] = {
	"pasidtool decode guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --sid 8",
	"pasidtool decode cd.bin --base 0x80000000 --ssid-bits 4",
	"pasidtool decode l1.bin --base 0x80000000 --layout 2lvl-64k --ssid-bits 16 --json",
	"pasidtool decode guest.elf --cd-table 0x41230000 --ssid-bits 0 --save-pages bug.elf",
	NULL,
};

static const struct argp argp = { NULL, pt_inspect_parent_parse, "INPUT...", doc,
				  pt_inspect_children, NULL, NULL };
static const struct pt_cli_cmd cli = { "decode", &argp, PT_CLI_ALL, examples };

int cmd_decode(int argc, char **argv)
{
	struct pt_inspect_opts o;
	pt_inspect_defaults(&o);
	o.show_entries = 1;
	/* argp reorders argv; hints quote the command as it was typed. */
	char **typed = calloc((size_t)argc + 1, sizeof *typed);
	if (!typed)
		return PT_EXIT_INTERNAL;
	memcpy(typed, argv, (size_t)argc * sizeof *typed);
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc) {
		free(typed);
		return rc;
	}
	o.argc = argc;
	o.argv = typed;
	pt_inspect_common(&o);
	rc = pt_inspect_run(&o, "pasidtool.decode/1");
	free(typed);
	return rc;
}
