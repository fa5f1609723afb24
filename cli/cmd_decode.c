/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>

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
	"pasidtool decode guest.elf --cd-table 0x48330000 --ssid-bits 0 --save-pages bug.elf",
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
	return pt_inspect_main(&cli, argc, argv, &o, "pasidtool.decode/1");
}
