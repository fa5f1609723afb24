/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool: the command dispatcher. Each command parses its options through
 * the option layer (cli/options.c); this file picks the command, answers the
 * top-level --help/--usage/--version and finishes --pretty output. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "formats.h"
#include "hints.h"
#include "inspect.h"
#include "explain.h"
#include "output.h"
#include "queues.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* A new command: one line here, and see cli/cli.h. */
static const struct command commands[] = {
	{ "decode", cmd_decode, "decode PASID tables from a raw image or memory dump" },
	{ "validate", cmd_validate, "check tables against the architecture's rules" },
	{ "build", cmd_build, "build table images (and requests) from a JSON description" },
	{ "attach", cmd_attach, "decode, validate or build virtio-iommu requests" },
	{ "iommufd", cmd_iommufd, "decode, validate or build iommufd nested-SMMUv3 records" },
	{ "queues", cmd_queues, "decode the SMMUv3 command, event and PRI queues in a dump" },
	{ "explain", cmd_explain, "say why the SMMU raised an event (kernel log, words or queue)" },
	{ "translate", cmd_translate, "where a StreamID's DMA to an IOVA goes (page-table walk)" },
	{ "maps", cmd_maps, "every mapping of a StreamID's address space, merged into ranges" },
	{ "scan", cmd_scan, "find stream tables and CD tables in a dump without register values" },
	{ "formats", cmd_formats, "list the structures and fields pasidtool knows" },
	{ "rules", cmd_rules, "list or explain the validation rules" },
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
	/* --pretty: flush the re-indenting stream into the real stdout first. */
	int pe = pt_json_pretty_end();
	int out = pt_output_close_stdout(err, sizeof err);
	if (pe == EPIPE)
		out = 1;
	else if (pe) {
		snprintf(err, sizeof err, "write error: %s", strerror(pe));
		out = -1;
	}
	switch (out) {
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
	pt_rules_register(&pt_hint_rules);
	return finish(run(argc, argv));
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PT_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0 ||
	    strcmp(cmd, "-?") == 0) {
		usage(stdout);
		return PT_EXIT_OK;
	}
	if (strcmp(cmd, "--usage") == 0) {
		printf("Usage: pasidtool");
		for (size_t i = 0; i < NCOMMANDS; i++)
			printf("%s%s", i ? "|" : " {", commands[i].name);
		printf("} [OPTION...] [ARG...]\n");
		return PT_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("pasidtool %s\n", PT_VERSION);
		return PT_EXIT_OK;
	}
	/* argp names the program after argv[0] in its messages. */
	char name[64];
	argp_err_exit_status = PT_EXIT_USAGE;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
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
	if (cmd[0] == '-')
		fprintf(stderr, "pasidtool: error: unknown option '%s' before the command", cmd);
	else
		fprintf(stderr, "pasidtool: error: unknown command '%s'", cmd);
	if (near)
		fprintf(stderr, "; did you mean '%s'?", near);
	fprintf(stderr, "\nTry 'pasidtool --help'.\n");
	return PT_EXIT_USAGE;
}
