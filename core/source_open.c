/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "pageset.h"
#include "source.h"

static const struct pt_rule *rule(enum pt_source_rule_id id)
{
	return &pt_source_rule_list[id];
}

/* Messages name the file only when it is not the one every line already
 * starts with ("FILE" or "FILE@ADDR"): the prefix is printed whole, while
 * a message is cut at PT_DIAG_MSG_MAX, so a long name repeated there would
 * push out the reason. */
static int names_input(const struct pt_diag_sink *diags, const char *name)
{
	if (!diags->input)
		return 0;
	size_t n = strlen(name);
	return strncmp(diags->input, name, n) == 0 &&
	       (diags->input[n] == '\0' || diags->input[n] == '@');
}

static const char *who(const struct pt_diag_sink *diags, const char *name)
{
	return names_input(diags, name) ? "" : name;
}

static const char *sep(const struct pt_diag_sink *diags, const char *name)
{
	return names_input(diags, name) ? "" : ": ";
}

/* "FILE@ADDR" splits at the last '@' when what follows is a number; a path
 * that merely contains '@' stays whole. */
static int split_at(const char *in, char *path, size_t pathlen, uint64_t *addr)
{
	const char *at = strrchr(in, '@');
	if (!at || at == in || pt_parse_u64(at + 1, addr) != 0)
		return 0;
	size_t n = (size_t)(at - in);
	if (n >= pathlen)
		return 0;
	memcpy(path, in, n);
	path[n] = '\0';
	return 1;
}

static int is_elf(const struct pt_mapping *m)
{
	return m->size >= 4 && memcmp(m->base, "\177ELF", 4) == 0;
}

static int add_raw(struct pt_source *src, uint32_t file, uint64_t base,
		   struct pt_diag_sink *diags)
{
	const struct pt_mapping *m = &src->files[file];
	if (m->size == 0) {
		pt_diag_report(diags, rule(PT_R_SRC_EMPTY), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%s%sempty file", who(diags, m->path), sep(diags, m->path));
		return -1;
	}
	if (base + (m->size - 1) < base) {
		pt_diag_report(diags, rule(PT_R_SRC_BAD_ADDR), 1, base, PT_SCOPE_NONE, 0, NULL,
			       "%s%s%zu bytes at 0x%llx run past the end of the address space",
			       who(diags, m->path), sep(diags, m->path), m->size, (unsigned long long)base);
		return -1;
	}
	if (pt_source_add_range(src, base, m->size, file, 0, m->size) != 0) {
		pt_diag_report(diags, rule(PT_R_SRC_TOO_MANY), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%s%scannot add another range", who(diags, m->path),
			       sep(diags, m->path));
		return -1;
	}
	return 0;
}

/* Map one input; a kdump file is only noted in *kdump (all of them are
 * added together, as the parts of a split dump may be). */
static int open_one(struct pt_source *src, const char *input, const struct pt_open_opts *opts,
		    struct pt_diag_sink *diags, uint32_t *kdump, uint32_t *nkdump)
{
	char path[4096];
	uint64_t addr = opts->base;
	int placed = split_at(input, path, sizeof path, &addr);
	const char *name = input;
	char err[256];
	if (placed) {
		char *dup = strdup(path);
		if (!dup || src->nowned >= PT_SOURCE_MAX_FILES) {
			free(dup);
			return -1;
		}
		src->owned[src->nowned++] = dup;
		name = dup;
	}
	int file = pt_source_map_file(src, name, err, sizeof err);
	if (file < 0) {
		pt_diag_report(diags, rule(PT_R_SRC_UNREADABLE), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%s%s%s", who(diags, name), sep(diags, name), err);
		return -1;
	}
	const struct pt_mapping *m = &src->files[file];
	if (!placed && pt_source_is_kdump(m->base, m->size)) {
		src->kind = PT_SRC_KDUMP;
		kdump[(*nkdump)++] = (uint32_t)file;
		return 0;
	}
	if (is_elf(m) && !placed) {
		src->kind = PT_SRC_ELF;
		return pt_source_add_elf(src, (uint32_t)file, opts->use_vaddr, diags);
	}
	return add_raw(src, (uint32_t)file, addr, diags);
}

int pt_source_open(struct pt_source *src, const char *const *inputs, size_t ninputs,
		   const struct pt_open_opts *opts, struct pt_diag_sink *diags)
{
	uint32_t kdump[PT_SOURCE_MAX_FILES], nkdump = 0;
	src->max_input = opts->max_input;
	if (ninputs > PT_SOURCE_MAX_FILES) {
		pt_diag_report(diags, rule(PT_R_SRC_TOO_MANY), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "%zu inputs given, at most %u are read", ninputs,
			       PT_SOURCE_MAX_FILES);
		return -1;
	}
	for (size_t i = 0; i < ninputs; i++)
		if (open_one(src, inputs[i], opts, diags, kdump, &nkdump) != 0)
			return -1;
	if (nkdump && pt_source_add_kdump(src, kdump, nkdump, diags) != 0)
		return -1;
	if (pt_source_finish(src, diags) != 0) {
		pt_diag_report(diags, rule(PT_R_SRC_EMPTY), 0, 0, PT_SCOPE_NONE, 0, NULL,
			       "no readable memory in the input");
		return -1;
	}
	if (opts->track_pages)
		src->touched = pt_pageset_new();
	return 0;
}
