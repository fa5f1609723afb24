/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

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

const char *pt_suggest(const char *word, const char *const *words)
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

char *pt_suggest_append(char *buf, size_t len, const char *word, const char *const *words)
{
	const char *near = pt_suggest(word, words);
	size_t n = strlen(buf);
	if (near && n < len)
		snprintf(buf + n, len - n, "; did you mean '%s'?", near);
	return buf;
}
