/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The VMCOREINFO note a crashed kernel leaves for its dump tools: KEY=VALUE
 * lines (kernel/vmcore_info.c: OSRELEASE, PAGESIZE, NUMBER(PHYS_OFFSET),
 * CONFIG_*, SYMBOL(...)), kept as metadata of the source. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

/* Notes larger than this are not VMCOREINFO (the kernel's is one page). */
#define VMCOREINFO_MAX (1u << 16)

int pt_source_set_vmcoreinfo(struct pt_source *src, const uint8_t *text, size_t len)
{
	if (len > VMCOREINFO_MAX)
		len = VMCOREINFO_MAX;
	/* Text up to the first NUL: the note's descriptor is padded. */
	const uint8_t *nul = memchr(text, 0, len);
	if (nul)
		len = (size_t)(nul - text);
	char *copy = malloc(len + 1);
	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free(src->meta.vmcoreinfo);
	src->meta.vmcoreinfo = copy;
	src->meta.vmcoreinfo_len = len;
	return 0;
}

int pt_source_vmcoreinfo(const struct pt_source *src, const char *key, char *out, size_t outlen)
{
	const char *p = src->meta.vmcoreinfo;
	size_t klen = strlen(key);
	if (!p || !outlen)
		return -1;
	/* Each step moves to the next line: bounded by the text's length. */
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t line = eol ? (size_t)(eol - p) : strlen(p);
		if (line > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t n = line - klen - 1;
			if (n >= outlen)
				n = outlen - 1;
			memcpy(out, p + klen + 1, n);
			out[n] = '\0';
			return 0;
		}
		p += line + (eol ? 1 : 0);
	}
	return -1;
}

const char *pt_source_kind_name(const struct pt_source *src)
{
	switch (src->kind) {
	case PT_SRC_ELF: return "elf";
	case PT_SRC_KDUMP: return "kdump";
	case PT_SRC_RAW:
	default: return "raw";
	}
}

int pt_source_kernel(const struct pt_source *src, struct pt_kernel_info *k)
{
	memset(k, 0, sizeof *k);
	char v[32];
	if (pt_source_vmcoreinfo(src, "OSRELEASE", k->release, sizeof k->release) != 0)
		snprintf(k->release, sizeof k->release, "%s", src->meta.release);
	snprintf(k->machine, sizeof k->machine, "%s", src->meta.machine);
	k->page_size = src->meta.page_size;
	if (pt_source_vmcoreinfo(src, "PAGESIZE", v, sizeof v) == 0)
		k->page_size = (uint32_t)strtoul(v, NULL, 10);
	/* arm64 records memstart_addr as NUMBER(PHYS_OFFSET), x86_64 its
	 * phys_base as NUMBER(phys_base) (kernel vmcore_info); makedumpfile
	 * stores either in the sub-header's phys_base. */
	k->has_phys_base = 1;
	if (pt_source_vmcoreinfo(src, "NUMBER(PHYS_OFFSET)", v, sizeof v) == 0 ||
	    pt_source_vmcoreinfo(src, "NUMBER(phys_base)", v, sizeof v) == 0)
		k->phys_base = strtoull(v, NULL, 0);
	else if (src->kind == PT_SRC_KDUMP)
		k->phys_base = src->meta.phys_base;
	else
		k->has_phys_base = 0;
	static const char *const configs[] = { "CONFIG_ARM64_PA_BITS", "CONFIG_ARM64_VA_BITS",
		"CONFIG_ARM64_PAGE_SHIFT", "CONFIG_PGTABLE_LEVELS" };
	for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
		if (pt_source_vmcoreinfo(src, configs[i], v, sizeof v) != 0 &&
		    pt_source_vmcoreinfo(src, configs[i] + 7, v, sizeof v) != 0)
			continue;
		size_t n = strlen(k->configs);
		snprintf(k->configs + n, sizeof k->configs - n, "%s%s=%s", n ? " " : "",
			 configs[i], v);
	}
	return k->release[0] || k->page_size || src->meta.vmcoreinfo ? 0 : -1;
}
