/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdio.h>

#include "cli.h"
#include "inspect.h"
#include "smmuv3.h"

static const char doc[] =
	"Check tables against the architecture's rules for the SMMU given by --caps: CDs "
	"and L1 descriptors (IHI 0070 CdIllegal), STEs and the CD tables they point at, "
	"or another format's entries (--format). Exit status 1 when errors are found.\v";

static const char *const examples[] = {
	"pasidtool validate guest.elf --strtab 0x4836d000 --strtab-cfg 0x10210 --caps qemu",
	"pasidtool validate cd.bin --base 0x80000000 --ssid-bits 4",
	"pasidtool validate dump.elf --cd-table 0x41230000 --caps qemu --json | jq .summary",
	"pasidtool validate cd.bin --rule 'CD-RES0*=off' --rule CD-EPD-BOTH=error",
	NULL,
};

static char *help_filter(int key, const char *text, void *input)
{
	(void)input;
	if (key != ARGP_KEY_HELP_EXTRA)
		return (char *)(uintptr_t)text;
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		return NULL;
	fputs(smmu_caps_help, f);
	fputs("Keys:\n", f);
	for (size_t i = 0; i < smmu_caps_nkeys(); i++) {
		const char *d;
		const char *k = smmu_caps_key(i, &d);
		fprintf(f, "  %-12s %s\n", k, d);
	}
	fclose(f);
	return s;
}

static const struct argp argp = { NULL, pt_inspect_parent_parse, "INPUT...", doc,
				  pt_inspect_children, help_filter, NULL };
static const struct pt_cli_cmd cli = { "validate", &argp, PT_CLI_ALL, examples };

int cmd_validate(int argc, char **argv)
{
	struct pt_inspect_opts o;
	pt_inspect_defaults(&o);
	o.validate = 1;
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	pt_inspect_common(&o);
	return pt_inspect_run(&o, "pasidtool.validate/1");
}
