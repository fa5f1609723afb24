/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "load_json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

struct reader {
	FILE *f;
	uint64_t left;       /* bytes still allowed */
	int too_big;
};

/* jansson pulls the input through here, so the cap holds for pipes too. */
static size_t pull(void *buf, size_t len, void *data)
{
	struct reader *r = data;
	if (r->left == 0) {
		/* One byte more than allowed tells "too large" from "exactly full". */
		if (fgetc(r->f) != EOF) {
			r->too_big = 1;
			return (size_t)-1;
		}
		return 0;
	}
	if (len > r->left)
		len = (size_t)r->left;
	size_t n = fread(buf, 1, len, r->f);
	r->left -= n;
	return n == 0 && ferror(r->f) ? (size_t)-1 : n;
}

FILE *pt_cli_open_json(const char *path)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	struct stat st;
	if (!f) {
		pt_cli_usage_error("%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(f);
		pt_cli_usage_error("%s: is a directory", path);
		return NULL;
	}
	return f;
}

void pt_cli_close_json(const char *path, FILE *f)
{
	if (f && strcmp(path, "-") != 0)
		fclose(f);
}

void pt_cli_json_error(const char *path, const struct pt_jstream *s)
{
	if (s->too_big)
		pt_cli_usage_error("%s: holds a JSON value larger than %zu bytes", path,
				   s->max_value);
	else if (s->read_error)
		pt_cli_usage_error("%s: read error", path);
	else
		fprintf(stderr, "%s:%lu:%lu: error: %s\n", path, s->err_line, s->err_column,
			s->err);
}

json_t *pt_cli_load_json(const char *path, uint64_t max_bytes)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = pt_cli_open_json(path);
	if (!f)
		return NULL;
	struct reader r = { f, max_bytes, 0 };
	json_error_t je;
	json_t *j = json_load_callback(pull, &r, JSON_REJECT_DUPLICATES, &je);
	int read_error = ferror(f);
	if (!is_stdin)
		fclose(f);
	if (j)
		return j;
	if (r.too_big)
		pt_cli_usage_error("%s: larger than %llu bytes", path, (unsigned long long)max_bytes);
	else if (read_error)
		pt_cli_usage_error("%s: read error", path);
	else
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, je.line, je.column, je.text);
	return NULL;
}
