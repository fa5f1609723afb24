/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool: the command dispatcher. Each command parses its own options
 * with argp; this file only picks the command and answers --help/--version. */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "formats.h"
#include "inspect.h"
#include "explain.h"
#include "output.h"
#include "queues.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	/* The command's options, checked for typos before it parses them
	 * (NULL: the command's argp reports unknown options by itself). */
	const struct argp *opts;
};

static const struct command commands[] = {
	{ "decode", cmd_decode, "decode PASID tables from a raw image or memory dump",
	  &pt_inspect_argp },
	{ "validate", cmd_validate, "check tables against the architecture's rules",
	  &pt_inspect_argp },
	{ "build", cmd_build, "build table images (and requests) from a JSON description", NULL },
	{ "attach", cmd_attach, "decode, validate or build virtio-iommu requests", NULL },
	{ "iommufd", cmd_iommufd, "decode, validate or build iommufd nested-SMMUv3 records",
	  &pt_iommufd_argp },
	{ "queues", cmd_queues, "decode the SMMUv3 command, event and PRI queues in a dump",
	  &pt_queues_argp },
	{ "explain", cmd_explain, "say why the SMMU raised an event (kernel log, words or queue)",
	  &pt_explain_argp },
	{ "formats", cmd_formats, "list the structures and fields pasidtool knows",
	  &pt_formats_argp },
	{ "rules", cmd_rules, "list every validation rule", &pt_rules_argp },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
	fprintf(out, "Usage: pasidtool COMMAND [OPTION...] [ARG...]\n\n"
		     "Inspect, validate and build IOMMU PASID tables (Arm SMMUv3 Context\n"
		     "Descriptor tables, stream tables) and virtio-iommu requests.\n\nCommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'pasidtool COMMAND --help' lists a command's options.\n"
		     "Example: pasidtool decode guest.elf --strtab 0x48000000 --strtab-cfg 0x10210\n"
		     "Exit status: 0 no error, 1 validation errors, 2 usage or input error, "
		     "3 internal error.\n");
}

/* Whatever the command printed must have reached stdout: a full disk or a
 * closed file is exit 2, a reader that went away ends the run quietly the
 * way SIGPIPE ends other filters. */
static int finish(int rc)
{
	char err[256];
	switch (pt_output_close_stdout(err, sizeof err)) {
	case 0: return rc;
	case 1: return rc == PT_EXIT_OK ? PT_EXIT_USAGE : rc;
	default:
		fprintf(stderr, "pasidtool: error: %s\n", err);
		return rc > PT_EXIT_USAGE ? rc : PT_EXIT_USAGE;
	}
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
	pt_output_init();
	pt_formats_init();
	return finish(run(argc, argv));
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PT_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return PT_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("pasidtool %s\n", PT_VERSION);
		return PT_EXIT_OK;
	}
	/* argp names the program after argv[0] in its messages. */
	char name[64];
	argp_err_exit_status = PT_EXIT_USAGE;
	argp_program_version = "pasidtool " PT_VERSION;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			if (commands[i].opts) {
				int rc = pt_cli_check_options(commands[i].opts, cmd, argc - 1,
							      argv + 1);
				if (rc)
					return rc;
			}
			snprintf(name, sizeof name, "pasidtool %s", cmd);
			argv[1] = name;
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	const char *names[NCOMMANDS + 1];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	names[NCOMMANDS] = NULL;
	const char *near = pt_cli_suggest(cmd, names);
	fprintf(stderr, "pasidtool: error: unknown command '%s'", cmd);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fprintf(stderr, "\nTry 'pasidtool --help'.\n");
	return PT_EXIT_USAGE;
}
