#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "emit.h"

struct pt_cli_common pt_cli;

int pt_cli_set_color(const char *when, FILE *stream)
{
	if (!when || strcmp(when, "auto") == 0) {
		const char *nc = getenv("NO_COLOR");
		pt_cli.color = isatty(fileno(stream)) && !(nc && *nc);
	} else if (strcmp(when, "always") == 0) {
		pt_cli.color = 1;
	} else if (strcmp(when, "never") == 0) {
		pt_cli.color = 0;
	} else {
		return -1;
	}
	return 0;
}

int pt_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("pasidtool: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return PT_EXIT_USAGE;
}

int pt_cli_u64(const char *opt, const char *arg, uint64_t *out)
{
	if (pt_parse_u64(arg, out) != 0) {
		pt_cli_usage_error("%s: '%s' is not a number (decimal or 0x-hex)", opt, arg);
		return -1;
	}
	return 0;
}

/* Optimal string alignment distance, bounded: names are short. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 99;
	size_t d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *pt_cli_suggest(const char *word, const char *const *words)
{
	const char *best = NULL;
	size_t bestd = 3; /* farther than this is not a typo */
	for (size_t i = 0; words[i]; i++) {
		size_t dd = distance(word, words[i]);
		if (dd < bestd) {
			bestd = dd;
			best = words[i];
		}
	}
	for (size_t i = 0; !best && words[i] && *word; i++)
		if (strncmp(word, words[i], strlen(word)) == 0)
			best = words[i];
	return best;
}
