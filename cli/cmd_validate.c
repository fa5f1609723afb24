/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"pasidtool validate guest.elf --cd-table 0x48330000 --ssid-bits 0 --caps qemu --json | jq .summary",
	"pasidtool validate cd.bin --rule 'CD-RES0*=off' --rule CD-EPD-BOTH=error",
	NULL,
};

/* "  KEY  description", the description wrapped under itself within
 * argp's 79 columns (argp would wrap it to column 0). */
#define KEY_COL 17
#define HELP_COLS 76
static void key_line(FILE *f, const char *k, const char *d)
{
	int col = fprintf(f, "  %-*s", KEY_COL - 3, k);
	if (col >= KEY_COL) {
		fprintf(f, "\n%*s", KEY_COL - 1, "");
		col = KEY_COL - 1;
	}
	while (*d) {
		size_t w = strcspn(d, " ");
		if (col + 1 + (int)w > HELP_COLS && col > KEY_COL - 1) {
			fprintf(f, "\n%*s", KEY_COL - 1, "");
			col = KEY_COL - 1;
		}
		col += fprintf(f, " %.*s", (int)w, d);
		d += w;
		d += strspn(d, " ");
	}
	fputc('\n', f);
}

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
		key_line(f, k, d);
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
	return pt_inspect_main(&cli, argc, argv, &o, "pasidtool.validate/1");
}
