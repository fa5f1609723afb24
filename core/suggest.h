/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "Did you mean": the closest known name to a word the user typed, for
 * every place that looks a name up (options, formats, rule ids, fields,
 * caps keys), so all of them suggest the same way. */
#ifndef PT_SUGGEST_H
#define PT_SUGGEST_H

#include <stddef.h>

/* Closest word in a NULL-terminated list (at most 2 edits, adjacent swaps
 * count one), else the first word `word` is a prefix of, else NULL. */
const char *pt_suggest(const char *word, const char *const *words);

/* Append "; did you mean 'x'?" to buf (of size len) when there is a close
 * word; returns buf. */
char *pt_suggest_append(char *buf, size_t len, const char *word, const char *const *words);

#endif
