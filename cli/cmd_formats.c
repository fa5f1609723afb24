/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <argp.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "table.h"

static const char *const kind_names[] = { "uint", "bool", "enum", "address", "res0" };

static const char doc[] =
	"List the table formats, their layouts and every field of their structures, read "
	"from the same field tables the decoder uses.";

static const char *const examples[] = {
	"pasidtool formats",
	"pasidtool formats smmuv3-strtab",
	"pasidtool formats --json | jq '.formats[0].entry.fields[].name'",
	NULL,
};

/* The formats named on the command line (none: all). */
#define MAX_NAMED 16
struct formats_opts {
	const struct pt_format *only[MAX_NAMED];
	size_t n;
};

static void name_format(struct argp_state *st, struct formats_opts *o, const char *name)
{
	const char *names[MAX_NAMED + 1] = { NULL };
	size_t k = 0;
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		if (strcmp(fmt->name, name) == 0) {
			if (o->n == MAX_NAMED)
				pt_cli_opt_error(st, "at most %d format names", MAX_NAMED);
			o->only[o->n++] = fmt;
			return;
		}
		if (k < MAX_NAMED)
			names[k++] = fmt->name;
	}
	char msg[512];
	pt_cli_opt_error(st, "%s", pt_cli_unknown("format", name, names, msg, sizeof msg));
}

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	switch (key) {
	case ARGP_KEY_ARG: name_format(st, st->input, arg); return 0;
	default: return ARGP_ERR_UNKNOWN;
	}
}

static int wanted(const struct formats_opts *o, const struct pt_format *fmt)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->only[i] == fmt)
			return 1;
	return o->n == 0;
}

static const struct argp argp = { NULL, parse_opt, "[FORMAT...]", doc, NULL, NULL, NULL };
static const struct pt_cli_cmd cli = { "formats", &argp, PT_CLI_JSON | PT_CLI_COLOR, examples };

static json_t *format_json(const struct pt_format *fmt)
{
	json_t *j = json_object();
	json_object_set_new(j, "name", json_string(fmt->name));
	json_object_set_new(j, "label", json_string(fmt->label));
	json_t *layouts = json_array();
	for (size_t i = 0; i < fmt->nlayouts; i++) {
		json_t *l = json_object();
		json_object_set_new(l, "name", json_string(fmt->layouts[i].name));
		json_object_set_new(l, "levels", json_integer(fmt->layouts[i].nlevels));
		json_object_set_new(l, "leaf_bits", json_integer(fmt->layouts[i].leaf_bits));
		json_object_set_new(l, "doc", json_string(fmt->layouts[i].doc));
		json_array_append_new(layouts, l);
	}
	json_object_set_new(j, "layouts", layouts);
	json_object_set_new(j, "entry", pt_struct_desc_json(fmt->entry));
	if (fmt->dir)
		json_object_set_new(j, "directory", pt_struct_desc_json(fmt->dir));
	return j;
}

/* Field names in the colour decode gives them, padded outside the escapes. */
static void print_struct(const struct pt_struct *st, int color)
{
	printf("  %s: %s, %u bytes\n", st->name, st->label, st->size);
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		unsigned abs = f->word * 64u + f->lsb;
		if (color)
			printf("    \033[32m%s\033[0m%*s", f->label, (int)(14 - strlen(f->label)), "");
		else
			printf("    %-14s", f->label);
		printf(" dw%u[%2u:%2u] bits [%3u:%3u] %-7s %s", f->word,
		       f->lsb + f->width - 1 > 63 ? 63 : f->lsb + f->width - 1, f->lsb,
		       abs + f->width - 1, abs, kind_names[f->kind], f->doc);
		if (f->enums) {
			printf(" (");
			for (unsigned k = 0; k < f->nenums; k++)
				printf("%s%u=%s", k ? ", " : "", k, f->enums[k] ? f->enums[k] : "?");
			printf(")");
		}
		putchar('\n');
	}
}

int cmd_formats(int argc, char **argv)
{
	struct formats_opts o;
	memset(&o, 0, sizeof o);
	int rc = pt_cli_parse(&cli, argc, argv, &o);
	if (rc)
		return rc;
	int color = pt_cli.color;
	if (pt_cli.json) {
		json_t *root = json_object();
		json_object_set_new(root, "schema", json_string("pasidtool.formats/1"));
		json_t *arr = json_array();
		for (size_t i = 0; i < pt_format_count(); i++)
			if (wanted(&o, pt_format_at(i)))
				json_array_append_new(arr, format_json(pt_format_at(i)));
		json_object_set_new(root, "formats", arr);
		json_t *extra = json_array();
		for (size_t i = 0; o.n == 0 && i < pt_struct_extra_count(); i++)
			json_array_append_new(extra, pt_struct_desc_json(pt_struct_extra_at(i)));
		json_object_set_new(root, "structures", extra);
		json_dumpf(root, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(root);
		return PT_EXIT_OK;
	}
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		if (!wanted(&o, fmt))
			continue;
		printf("%s: %s\n  layouts:", fmt->name, fmt->label);
		for (size_t l = 0; l < fmt->nlayouts; l++)
			printf(" %s", fmt->layouts[l].name);
		putchar('\n');
		print_struct(fmt->entry, color);
		if (fmt->dir)
			print_struct(fmt->dir, color);
	}
	for (size_t i = 0; o.n == 0 && i < pt_struct_extra_count(); i++) {
		printf("structure:\n");
		print_struct(pt_struct_extra_at(i), color);
	}
	return PT_EXIT_OK;
}
