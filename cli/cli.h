/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared plumbing of the commands: each command lives in cli/cmd_NAME.c as
 * `int cmd_NAME(int argc, char **argv)` (argv[0] is the command name) and
 * returns an exit status from the contract below. */
#ifndef PT_CLI_H
#define PT_CLI_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

struct argp;
struct argp_state;

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
int cmd_translate(int argc, char **argv);
int cmd_maps(int argc, char **argv);
int cmd_scan(int argc, char **argv);

/* ---- The option layer (cli/options.c) ----
 *
 * How a command plugs in (decode, validate, build, attach, formats and rules
 * all do it this way; new commands should too):
 *
 *   1. In cli/cmd_NAME.c, describe only the command's own options in a
 *      struct argp (options, parser, "ARGS", doc). Do not define --json,
 *      --pretty, --quiet, --color, --help, --usage or --version: the layer
 *      adds them, with -j -p -q -h -V. Short keys j p q h V ? are taken.
 *   2. Write examples as whole commands, one per string, NULL-terminated;
 *      --help prints them unwrapped under "Examples:".
 *   3.   static const struct pt_cli_cmd cli = { "NAME", &argp,
 *                PT_CLI_JSON | PT_CLI_QUIET | PT_CLI_COLOR, examples };
 *        int cmd_NAME(int argc, char **argv) {
 *                struct name_opts o = {0};
 *                int rc = pt_cli_parse(&cli, argc, argv, &o);
 *                if (rc)
 *                        return rc;
 *                ... read pt_cli.json / pt_cli.quiet / pt_cli.color ...
 *        }
 *   4. In the parser, report a bad value with pt_cli_opt_error(st, ...)
 *      (never argp_error: one error style), and a name that is not known
 *      (format, layout, rule id, field, caps key, variant) with
 *      pt_cli_unknown() so the user gets "did you mean".
 *   5. Add a line to the command table in cli/main.c, the command's section
 *      to docs/pasidtool.1.scd (tests/cli/options.t checks that the man page
 *      lists exactly the options --help prints) and, if an option takes a
 *      fixed set of values, a case in docs/completion/pasidtool.bash.
 *
 * JSON goes to stdout through stdio (printf, json_dumpf(stdout)): under
 * --pretty stdout is a filter stream that re-indents it, so never write
 * JSON to file descriptor 1 directly. */

/* Options every command shares, set by pt_cli_parse. */
struct pt_cli_common {
	const char *cmd;        /* "decode": for messages */
	int json;
	int pretty;             /* implies json */
	int quiet;
	const char *color_when; /* "auto" | "always" | "never" */
	int color;              /* resolved for stdout (0 with --json) */
	int all_findings;       /* do not fold repeated findings */
};
extern struct pt_cli_common pt_cli;

/* Which shared output options a command takes (help/usage/version: all). */
enum { PT_CLI_JSON = 1u, PT_CLI_QUIET = 2u, PT_CLI_COLOR = 4u };
#define PT_CLI_ALL (PT_CLI_JSON | PT_CLI_QUIET | PT_CLI_COLOR)

struct pt_cli_cmd {
	const char *name;              /* "decode" */
	const struct argp *argp;       /* the command's own options and parser */
	unsigned common;               /* PT_CLI_* */
	const char *const *examples;   /* whole commands, NULL-terminated */
};

/* Check argv (unknown options with a suggestion, missing arguments), then
 * parse it with the command's argp wrapped in the shared options. input is
 * the command's argp input. 0, or the exit status to return (usage error).
 * --help, --usage and --version print and exit. */
int pt_cli_parse(const struct pt_cli_cmd *cmd, int argc, char **argv, void *input);

/* "pasidtool: error: CMD: ...\nTry 'pasidtool CMD --help'." and exit 2 (or
 * return, under ARGP_NO_EXIT). For option values inside an argp parser. */
void pt_cli_opt_error(struct argp_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "unknown WHAT 'word'; did you mean 'x'?" (or the list of known names)
 * into buf, returned. */
const char *pt_cli_unknown(const char *what, const char *word, const char *const *names,
			   char *buf, size_t len);

/* --pretty: re-indent stdout until pt_json_pretty_end (cli/json_pretty.c).
 * end returns 0, or the errno of the first write that failed. */
int pt_json_pretty_begin(void);
int pt_json_pretty_end(void);

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

/* Every rule id, NULL-terminated, for suggestions (the sets are static). */
const char *const *pt_cli_rule_ids(void);

/* --rule ARG that pt_rules_override refused: the usage error, with the
 * closest rule id when ARG names one almost. Does not return. */
void pt_cli_rule_error(struct argp_state *st, const char *arg);

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
/* The same after n units at once (a run of entries visited together). */
void pt_cli_progress_update_n(struct pt_cli_progress *p, uint64_t done, uint64_t n);
void pt_cli_progress_clear(struct pt_cli_progress *p);

#endif
