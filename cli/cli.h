/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared plumbing of the commands: each command lives in cli/cmd_NAME.c as
 * `int cmd_NAME(int argc, char **argv)` (argv[0] is the command name) and
 * returns an exit status from the contract below. */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct argp;

/* Exit statuses (contract, DESIGN.md §3). */
enum {
	PT_EXIT_OK = 0,       /* no error found */
	PT_EXIT_FINDINGS = 1, /* validation errors found */
	PT_EXIT_USAGE = 2,    /* usage error or unreadable/malformed input */
	PT_EXIT_INTERNAL = 3,
};

int cmd_decode(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_iommufd(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_queues(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* Options every command shares, set by cli/common.c. */
struct pt_cli_common {
	int json;
	int pretty;
	int quiet;
	int color;            /* resolved: 1 only on a TTY without NO_COLOR */
	int all_findings;     /* do not fold repeated findings */
};
extern struct pt_cli_common pt_cli;

/* "auto" | "always" | "never"; 0 on success. */
int pt_cli_set_color(const char *when, FILE *stream);
/* The same choice for another stream: "auto" asks whether that stream is a
 * TTY, so diagnostics on stderr are not coloured into a file while entries on
 * stdout go to a terminal (or the other way round). -1 for a bad WHEN. */
int pt_cli_color_for(const char *when, FILE *stream);

/* Print "pasidtool: error: ..." to stderr; returns PT_EXIT_USAGE. */
int pt_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a number (decimal or 0x-hex) for an option; prints a usage error. */
int pt_cli_u64(const char *opt, const char *arg, uint64_t *out);

/* Closest word in a NULL-terminated list (edit distance), or NULL. */
const char *pt_cli_suggest(const char *word, const char *const *words);

/* Look for long options that `argp` (and its children) do not know, before
 * argp_parse sees them: argp would only say "unrecognized option". Prints
 * "unknown option '--jsn'; did you mean '--json'?" and returns PT_EXIT_USAGE,
 * or 0 when every option is known (or an abbreviation getopt accepts). */
int pt_cli_check_options(const struct argp *argp, const char *cmd, int argc, char **argv);

/* A progress line on stderr for long walks: only on a TTY, not with --quiet,
 * first shown after half a second and then redrawn at most four times a
 * second, erased before anything else is printed. */
struct pt_cli_progress {
	int enabled;
	int shown;
	const char *what;        /* "cd.bin" */
	uint64_t total;          /* units of the walk (SSIDs) */
	uint32_t calls;
	struct timespec next;    /* earliest time of the next redraw */
};
void pt_cli_progress_start(struct pt_cli_progress *p, const char *what, uint64_t total,
			   int quiet);
void pt_cli_progress_update(struct pt_cli_progress *p, uint64_t done);
void pt_cli_progress_clear(struct pt_cli_progress *p);

/* Formats and rules list their options here so the dispatcher can check them. */
extern const struct argp pt_formats_argp;
extern const struct argp pt_rules_argp;
extern const struct argp pt_iommufd_argp;

#endif
