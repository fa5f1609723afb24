/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define MAX_FORMATS 32

static const struct pt_format *formats[MAX_FORMATS];
static size_t nformats;

void pt_format_register(const struct pt_format *fmt)
{
	for (size_t i = 0; i < nformats; i++)
		if (formats[i] == fmt)
			return;
	if (nformats >= MAX_FORMATS)
		abort();
	formats[nformats++] = fmt;
	if (fmt->rules)
		pt_rules_register(fmt->rules);
}

size_t pt_format_count(void)
{
	return nformats;
}

const struct pt_format *pt_format_at(size_t i)
{
	return i < nformats ? formats[i] : NULL;
}

const struct pt_format *pt_format_find(const char *name)
{
	for (size_t i = 0; i < nformats; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

const char *pt_format_index_name(const struct pt_format *fmt)
{
	return fmt->index_name ? fmt->index_name : "ssid";
}

const char *pt_format_entries_key(const struct pt_format *fmt)
{
	return fmt->entries_key ? fmt->entries_key : "entries";
}

unsigned pt_format_max_index_bits(const struct pt_format *fmt)
{
	unsigned m = fmt->max_index_bits ? fmt->max_index_bits : PT_MAX_SSID_BITS;
	return m < PT_MAX_INDEX_BITS ? m : PT_MAX_INDEX_BITS;
}

enum pt_diag_scope pt_format_index_scope(const struct pt_format *fmt)
{
	return fmt->index_scope != PT_SCOPE_NONE ? fmt->index_scope : PT_SCOPE_SSID;
}

const struct pt_layout *pt_format_layout(const struct pt_format *fmt, const char *name)
{
	for (size_t i = 0; i < fmt->nlayouts; i++)
		if (strcmp(fmt->layouts[i].name, name) == 0)
			return &fmt->layouts[i];
	return NULL;
}

/* Structures that are not the entry or directory of a table format (STEs,
 * virtio-iommu requests) register here so `formats`, docs and fuzz
 * dictionaries list them from the same tables. */
#define MAX_STRUCTS 256

static const struct pt_struct *structs[MAX_STRUCTS];
static size_t nstructs;

void pt_struct_register(const struct pt_struct *st)
{
	for (size_t i = 0; i < nstructs; i++)
		if (structs[i] == st)
			return;
	/* A full list is a programming error, not an input one: fail loudly. */
	if (nstructs >= MAX_STRUCTS)
		abort();
	structs[nstructs++] = st;
}

size_t pt_struct_extra_count(void)
{
	return nstructs;
}

const struct pt_struct *pt_struct_extra_at(size_t i)
{
	return i < nstructs ? structs[i] : NULL;
}
