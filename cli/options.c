/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one option layer: every command's argp is wrapped with the options all
 * commands share (help, usage, version, json, pretty, quiet, color), argv is
 * checked before argp sees it so every usage error has one style and a
 * suggestion, and help prints whole-command examples unwrapped. */
#include <argp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "suggest.h"

struct pt_cli_common pt_cli;

enum {
	OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_JSON = 'j',
	OPT_PRETTY = 'p',
	OPT_QUIET = 'q',
	OPT_USAGE = 0x7000,
	OPT_COLOR,
};

/* Group numbers far above any command's, so the shared options come last. */
#define GROUP_OUTPUT 90
#define GROUP_HELP -1

static const struct argp_option output_options[] = {
	{ NULL, 0, NULL, 0, "Output:", GROUP_OUTPUT },
	{ "json", OPT_JSON, NULL, 0, "JSON output (schema pasidtool.COMMAND/N)", GROUP_OUTPUT },
	{ "pretty", OPT_PRETTY, NULL, 0, "indented JSON (implies --json)", GROUP_OUTPUT },
	{ "quiet", OPT_QUIET, NULL, 0, "print nothing but findings and errors", GROUP_OUTPUT },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "auto (default), always (a bare --color) or never; NO_COLOR is honoured",
	  GROUP_OUTPUT },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

static const struct argp_option help_options[] = {
	{ "help", OPT_HELP, NULL, 0, "this help, with examples", GROUP_HELP },
	{ NULL, '?', NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, GROUP_HELP },
	{ "usage", OPT_USAGE, NULL, 0, "a short usage message", GROUP_HELP },
	{ "version", OPT_VERSION, NULL, 0, "print the version", GROUP_HELP },
	{ NULL, 0, NULL, 0, NULL, 0 },
};

/* What the wrapper parser needs while argp runs. */
struct wrap {
	const struct pt_cli_cmd *cmd;
	void *input;
};

static void print_examples(const struct pt_cli_cmd *cmd, FILE *out)
{
	if (!cmd->examples || !cmd->examples[0])
		return;
	fputs("\nExamples:\n", out);
	for (size_t i = 0; cmd->examples[i]; i++)
		fprintf(out, "  %s\n", cmd->examples[i]);
}

static void help_and_exit(struct argp_state *st, const struct pt_cli_cmd *cmd)
{
	argp_state_help(st, stdout, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK);
	print_examples(cmd, stdout);
	exit(fflush(stdout) == 0 && !ferror(stdout) ? PT_EXIT_OK : PT_EXIT_INTERNAL);
}

static void set_color(struct argp_state *st, const char *arg)
{
	const char *when = arg ? arg : "always";
	if (pt_cli_color_for(when, stdout) < 0)
		pt_cli_opt_error(st, "--color=%s: expected auto, always or never", arg);
	pt_cli.color_when = when;
}

static error_t common_parse(int key, char *arg, struct argp_state *st)
{
	const struct wrap *w = st->input;
	switch (key) {
	case ARGP_KEY_INIT:
		st->child_inputs[0] = w->input;
		return 0;
	case OPT_HELP:
	case '?':
		help_and_exit(st, w->cmd);
		return 0;
	case OPT_USAGE:
		argp_state_help(st, stdout, ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		return 0;
	case OPT_VERSION:
		printf("pasidtool %s\n", PT_VERSION);
		exit(fflush(stdout) == 0 ? PT_EXIT_OK : PT_EXIT_INTERNAL);
	case OPT_JSON: pt_cli.json = 1; return 0;
	case OPT_PRETTY: pt_cli.json = pt_cli.pretty = 1; return 0;
	case OPT_QUIET: pt_cli.quiet = 1; return 0;
	case OPT_COLOR: set_color(st, arg); return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

/* The options a command offers: its own plus the shared ones it takes. */
static void shared_options(const struct pt_cli_cmd *cmd, struct argp_option *out)
{
	size_t n = 0;
	for (const struct argp_option *o = output_options; o->name || o->doc; o++) {
		int want = o->key == 0 || (o->key == OPT_JSON && (cmd->common & PT_CLI_JSON)) ||
			   (o->key == OPT_PRETTY && (cmd->common & PT_CLI_JSON)) ||
			   (o->key == OPT_QUIET && (cmd->common & PT_CLI_QUIET)) ||
			   (o->key == OPT_COLOR && (cmd->common & PT_CLI_COLOR));
		if (want)
			out[n++] = *o;
	}
	if (n == 1) /* no output option: drop the header too */
		n = 0;
	for (const struct argp_option *o = help_options; o->name || o->doc || o->key; o++)
		out[n++] = *o;
	memset(&out[n], 0, sizeof out[n]);
}

/* ---- the check of argv before argp ---- */

#define MAX_LONG_OPTS 160

struct optlist {
	const char *names[MAX_LONG_OPTS + 1];
	signed char takes_arg[MAX_LONG_OPTS]; /* 1 required, 2 optional, 0 none */
	size_t n;
	signed char short_arg[128];           /* same, per short key; -1 unknown */
};

static int opt_is_end(const struct argp_option *o)
{
	return !o->key && !o->name && !o->doc && !o->group;
}

static void add_long(struct optlist *l, const char *name, int arg)
{
	if (l->n < MAX_LONG_OPTS) {
		l->names[l->n] = name;
		l->takes_arg[l->n++] = (signed char)arg;
		l->names[l->n] = NULL;
	}
}

static void collect_options(struct optlist *l, const struct argp_option *opts)
{
	int arg = 0;
	for (const struct argp_option *o = opts; o && !opt_is_end(o); o++) {
		if (o->flags & OPTION_DOC)
			continue;
		/* An alias shares the argument of the option before it. */
		if (!(o->flags & OPTION_ALIAS))
			arg = !o->arg ? 0 : (o->flags & OPTION_ARG_OPTIONAL) ? 2 : 1;
		if (o->name)
			add_long(l, o->name, arg);
		if (o->key > ' ' && o->key < 127)
			l->short_arg[o->key] = (signed char)arg;
	}
}

static void collect(struct optlist *l, const struct argp *argp, unsigned depth)
{
	if (!argp || depth > 8)
		return;
	collect_options(l, argp->options);
	for (const struct argp_child *c = argp->children; c && c->argp; c++)
		collect(l, c->argp, depth + 1);
}

/* Index of the option `name` (length len) selects: exact, or the one option
 * it abbreviates; -1 unknown, -2 ambiguous. */
static int lookup(const struct optlist *l, const char *name, size_t len)
{
	int found = -1;
	for (size_t i = 0; i < l->n; i++) {
		if (strncmp(l->names[i], name, len) != 0)
			continue;
		if (l->names[i][len] == '\0')
			return (int)i;
		found = found == -1 ? (int)i : -2;
	}
	return found;
}

static int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pasidtool: error: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pasidtool %s --help'.\n", cmd);
	return PT_EXIT_USAGE;
}

static int check_short(const struct optlist *l, const char *cmd, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	for (const char *c = a + 1; *c; c++) {
		unsigned char k = (unsigned char)*c;
		int t = k < 128 ? l->short_arg[k] : -1;
		if (t < 0)
			return usage_error(cmd, "unknown option '-%c'", *c);
		if (t == 2)
			return 0; /* the rest of the cluster is its argument */
		if (t == 1) {
			if (c[1] != '\0')
				return 0;
			if (*i + 1 >= argc)
				return usage_error(cmd, "option '-%c' needs an argument", *c);
			++*i;
			return 0;
		}
	}
	return 0;
}

static int check_long(const struct optlist *l, const char *cmd, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	char word[64];
	snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), name);
	int idx = lookup(l, name, len);
	if (idx == -2)
		return usage_error(cmd, "option '--%s' is ambiguous; give more of its name", word);
	if (idx < 0) {
		const char *near = pt_cli_suggest(word, l->names);
		if (near)
			return usage_error(cmd, "unknown option '--%s'; did you mean '--%s'?", word,
					   near);
		return usage_error(cmd, "unknown option '--%s'", word);
	}
	if (l->takes_arg[idx] == 0 && eq)
		return usage_error(cmd, "option '--%s' takes no argument", l->names[idx]);
	if (l->takes_arg[idx] == 1 && !eq) {
		if (*i + 1 >= argc)
			return usage_error(cmd, "option '--%s' needs an argument", l->names[idx]);
		++*i;
	}
	return 0;
}

static int check_argv(const struct argp *argp, const char *cmd, int argc, char **argv)
{
	static struct optlist l;
	memset(&l, 0, sizeof l);
	memset(l.short_arg, -1, sizeof l.short_arg);
	collect(&l, argp, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int rc = 0;
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		rc = a[1] == '-' ? check_long(&l, cmd, argc, argv, &i)
				 : check_short(&l, cmd, argc, argv, &i);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- parse ---- */

/* Output, help and the end marker. */
#define MAX_SHARED (sizeof output_options / sizeof output_options[0] + \
		    sizeof help_options / sizeof help_options[0])

int pt_cli_parse(const struct pt_cli_cmd *cmd, int argc, char **argv, void *input)
{
	static struct argp_option shared[MAX_SHARED];
	shared_options(cmd, shared);
	const struct argp_child children[] = {
		{ cmd->argp, 0, NULL, 0 },
		{ NULL, 0, NULL, 0 },
	};
	const struct argp wrapper = { shared, common_parse, NULL, NULL, children, NULL, NULL };
	struct wrap w = { cmd, input };

	pt_cli.cmd = cmd->name;
	if (!pt_cli.color_when)
		pt_cli.color_when = "auto";
	int rc = check_argv(&wrapper, cmd->name, argc, argv);
	if (rc)
		return rc;
	if (argp_parse(&wrapper, argc, argv, ARGP_NO_HELP, NULL, &w) != 0)
		return PT_EXIT_USAGE;
	pt_cli.color = pt_cli_color_for(pt_cli.color_when, stdout) == 1 && !pt_cli.json;
	if (pt_cli.pretty && pt_json_pretty_begin() != 0)
		return pt_cli_usage_error("--pretty: cannot set up the output stream");
	return 0;
}

void pt_cli_opt_error(struct argp_state *st, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "pasidtool: error: %s: ", pt_cli.cmd ? pt_cli.cmd : "pasidtool");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pasidtool %s --help'.\n", pt_cli.cmd ? pt_cli.cmd : "");
	if (!st || !(st->flags & ARGP_NO_EXIT))
		exit(PT_EXIT_USAGE);
}

/* Up to this many known names are listed with the error. */
#define LIST_MAX 8

const char *pt_cli_unknown(const char *what, const char *word, const char *const *names,
			   char *buf, size_t len)
{
	size_t count = 0;
	while (names[count])
		count++;
	size_t n = (size_t)snprintf(buf, len, "unknown %s '%s'", what, word);
	if (count <= LIST_MAX) {
		for (size_t i = 0; i < count && n < len; i++)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : " (", names[i]);
		if (count && n < len)
			snprintf(buf + n, len - n, ")");
	}
	return pt_suggest_append(buf, len, word, names);
}
