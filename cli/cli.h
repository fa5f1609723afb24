/* Shared plumbing of the commands: each command lives in cli/cmd_NAME.c as
 * `int cmd_NAME(int argc, char **argv)` (argv[0] is the command name) and
 * returns an exit status from the contract below. */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <stdint.h>
#include <stdio.h>

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
int cmd_formats(int argc, char **argv);
int cmd_rules(int argc, char **argv);

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

/* Print "pasidtool: error: ..." to stderr; returns PT_EXIT_USAGE. */
int pt_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse a number (decimal or 0x-hex) for an option; prints a usage error. */
int pt_cli_u64(const char *opt, const char *arg, uint64_t *out);

/* Closest word in a NULL-terminated list (edit distance), or NULL. */
const char *pt_cli_suggest(const char *word, const char *const *words);

#endif
