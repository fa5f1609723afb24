/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Register files (--regs FILE): the values a user copied from a kernel log,
 * QEMU's monitor or iommufd's hw_info, as NAME=VALUE or NAME VALUE lines or
 * as a JSON object. The file is input like a dump: its size and line
 * lengths are capped, every problem is a REGS-* finding at the byte offset
 * of the line that has it. */
#include <ctype.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "smmuv3_regs.h"
#include "source.h"

const struct pt_rule smmu_regs_rule_list[R_REGS_COUNT] = {
	[R_REGS_SYNTAX] = { "REGS-SYNTAX", PT_SEV_ERROR, NULL,
		"a line of a register file is not NAME=VALUE or NAME VALUE, or the JSON is malformed",
		"the file is refused", "pasidtool --regs format" },
	[R_REGS_UNKNOWN] = { "REGS-UNKNOWN", PT_SEV_WARNING, NULL,
		"a register name that is not an SMMUv3 register pasidtool uses",
		"the line is ignored", "IHI 0070 G.b §6.2 (register names)" },
	[R_REGS_VALUE] = { "REGS-VALUE", PT_SEV_ERROR, NULL,
		"a register value is not a number, or is wider than the register",
		"the file is refused", "IHI 0070 G.b §6.3 (register sizes)" },
	[R_REGS_DUPLICATE] = { "REGS-DUPLICATE", PT_SEV_WARNING, NULL,
		"a register is given twice", "the later value is used", "pasidtool --regs format" },
	[R_REGS_TOO_LARGE] = { "REGS-TOO-LARGE", PT_SEV_ERROR, NULL,
		"a register file larger than 64 KiB or a line longer than 256 bytes",
		"the file is refused", "pasidtool limit" },
};

const struct pt_rule_set smmu_regs_rules = { "smmuv3-regs", smmu_regs_rule_list, R_REGS_COUNT };

/* Report rule `id` at byte offset off; 1 when it counts as an error. */
static int report(struct pt_diag_sink *d, enum smmu_regs_rule_id id, size_t off,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int report(struct pt_diag_sink *d, enum smmu_regs_rule_id id, size_t off,
		  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum pt_severity sev = pt_diag_vfinding(d, &smmu_regs_rule_list[id], off, PT_SCOPE_NONE,
						0, NULL, fmt, ap);
	va_end(ap);
	return sev == PT_SEV_ERROR;
}

/* One NAME and VALUE: the register set, or a finding. Returns errors. */
static int set_one(struct smmu_regs *r, const char *name, const char *val, size_t off,
		   struct pt_diag_sink *d)
{
	enum smmu_reg id;
	if (smmu_reg_lookup(name, &id) != 0) {
		const char *near = smmu_reg_suggest(name);
		if (near)
			return report(d, R_REGS_UNKNOWN, off, "unknown register '%s'; did you mean %s?",
				      name, near);
		return report(d, R_REGS_UNKNOWN, off, "unknown register '%s'", name);
	}
	uint64_t v;
	const struct smmu_reg_info *info = smmu_reg_info(id);
	if (pt_parse_u64(val, &v) != 0)
		return report(d, R_REGS_VALUE, off, "%s: '%s' is not a number", info->name, val);
	if (info->bytes == 4 && v > UINT32_MAX)
		return report(d, R_REGS_VALUE, off, "%s: '%s' is wider than the 32-bit register",
			      info->name, val);
	if (smmu_regs_have(r, id))
		report(d, R_REGS_DUPLICATE, off, "%s given again", info->name);
	smmu_regs_set(r, id, v);
	return 0;
}

/* Split a line (NUL-terminated, comments cut) into NAME and VALUE at '=',
 * ':' or blanks; 0, or -1 when it is not two words. */
static int split(char *line, char **name, char **val)
{
	char *p = line;
	while (isspace((unsigned char)*p))
		p++;
	*name = p;
	while (*p && !isspace((unsigned char)*p) && *p != '=' && *p != ':')
		p++;
	if (p == *name)
		return -1;
	char *end = p;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '=' || *p == ':')
		p++;
	while (isspace((unsigned char)*p))
		p++;
	*end = '\0';
	*val = p;
	while (*p && !isspace((unsigned char)*p))
		p++;
	char *vend = p;
	while (isspace((unsigned char)*p))
		p++;
	*vend = '\0';
	return **val && !*p ? 0 : -1;
}

static int parse_lines(struct smmu_regs *r, const char *text, size_t len,
		       struct pt_diag_sink *d)
{
	int errors = 0;
	size_t off = 0;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) : len - off;
		if (n >= SMMU_REGS_MAX_LINE)
			return errors + report(d, R_REGS_TOO_LARGE, off,
					       "line longer than %u bytes",
					       SMMU_REGS_MAX_LINE - 1);
		char line[SMMU_REGS_MAX_LINE];
		memcpy(line, text + off, n);
		line[n] = '\0';
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strlen(line) != n && !hash)
			errors += report(d, R_REGS_SYNTAX, off, "NUL byte in the line");
		else {
			char *name, *val, *p = line;
			while (isspace((unsigned char)*p))
				p++;
			if (*p && split(line, &name, &val) != 0)
				errors += report(d, R_REGS_SYNTAX, off,
						 "expected NAME=VALUE or NAME VALUE");
			else if (*p)
				errors += set_one(r, name, val, off, d);
		}
		off += n + 1;
	}
	return errors;
}

/* A JSON value as text for set_one: a number, a string, or {"value": ...}. */
static int json_text(json_t *v, char *buf, size_t len)
{
	if (json_is_object(v))
		v = json_object_get(v, "value");
	if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	return -1;
}

static int parse_json(struct smmu_regs *r, const char *text, size_t len,
		      struct pt_diag_sink *d)
{
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		int e = report(d, R_REGS_SYNTAX, j ? 0 : (size_t)je.position, "%s",
			       j ? "expected a JSON object of register values" : je.text);
		json_decref(j);
		return e;
	}
	int errors = 0;
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		char val[64];
		if (json_text(v, val, sizeof val) != 0) {
			errors += report(d, R_REGS_VALUE, 0,
					 "%s: expected \"0x...\", a number or {\"value\": ...}", key);
			continue;
		}
		errors += set_one(r, key, val, 0, d);
	}
	json_decref(j);
	return errors;
}

int smmu_regs_parse(struct smmu_regs *r, const char *text, size_t len,
		    struct pt_diag_sink *diags)
{
	if (len > SMMU_REGS_MAX_FILE)
		return report(diags, R_REGS_TOO_LARGE, 0, "file larger than %u bytes",
				SMMU_REGS_MAX_FILE);
	size_t i = 0;
	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i < len && text[i] == '{')
		return parse_json(r, text, len, diags);
	return parse_lines(r, text, len, diags);
}

int smmu_regs_load(struct smmu_regs *r, const char *path, struct pt_diag_sink *diags)
{
	struct pt_source src;
	char err[256];
	pt_source_init(&src, path);
	int file = pt_source_map_file(&src, path, err, sizeof err);
	if (file < 0) {
		int e = report(diags, R_REGS_SYNTAX, 0, "cannot read the register file: %s", err);
		pt_source_free(&src);
		return e ? e : 1;
	}
	size_t size = src.files[file].size;
	int errors;
	if (size > SMMU_REGS_MAX_FILE) {
		errors = report(diags, R_REGS_TOO_LARGE, 0, "file larger than %u bytes",
				SMMU_REGS_MAX_FILE);
	} else {
		char *buf = malloc(size + 1);
		if (!buf) {
			pt_source_free(&src);
			return 1;
		}
		if (size && (pt_source_add_range(&src, 0, size, (uint32_t)file, 0, size) != 0 ||
			     pt_source_finish(&src, NULL) != 0 ||
			     pt_source_read(&src, 0, buf, size) != PT_READ_OK))
			errors = report(diags, R_REGS_SYNTAX, 0, "cannot read the register file");
		else
			errors = smmu_regs_parse(r, buf, size, diags);
		free(buf);
	}
	pt_source_free(&src);
	return errors;
}
