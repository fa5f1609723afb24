/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>

#include "cli.h"
#include "inspect.h"

static const char doc[] =
	"Decode PASID tables from a raw image or an ELF memory dump, as text or JSON: an "
	"SMMUv3 CD table (linear or 2-level), a stream table walked down to every CD "
	"(--strtab, --ste), or another format (--format).\v"
	"Examples:\n"
	"  pasidtool decode guest.elf --strtab 0x483d9000 --strtab-cfg 0x10210 --sid 8\n"
	"  pasidtool decode cd.bin --base 0x80000000 --ssid-bits 4\n"
	"  pasidtool decode l1.bin --base 0x80000000 --layout 2lvl-64k --ssid-bits 16 --json\n"
	"  pasidtool decode guest.elf --cd-table 0x41230000 --ssid-bits 0 --save-pages bug.elf\n";

static const struct argp argp = { NULL, pt_inspect_parent_parse, "INPUT...", doc, pt_inspect_children, NULL, NULL };

int cmd_decode(int argc, char **argv)
{
	struct pt_inspect_opts o;
	pt_inspect_defaults(&o);
	o.show_entries = 1;
	argp_program_version = "pasidtool " PT_VERSION;
	if (argp_parse(&argp, argc, argv, 0, NULL, &o) != 0)
		return PT_EXIT_USAGE;
	return pt_inspect_run(&o, "pasidtool.decode/1");
}
