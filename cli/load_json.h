/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a JSON input (build and attach build specs) from a file or "-". */
#ifndef PT_LOAD_JSON_H
#define PT_LOAD_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "json_stream.h"

/* The document in PATH ("-": stdin), read with at most max_bytes held in
 * memory whatever the input is (a pipe has no size to check first). NULL
 * after a message on stderr that says what the input is: missing, a
 * directory, larger than the cap, or where its JSON breaks. */
json_t *pt_cli_load_json(const char *path, uint64_t max_bytes);

/* PATH opened for a streamed read (stdin for "-"), or NULL after a message
 * (missing, a directory). pt_cli_close_json closes what this opened. */
FILE *pt_cli_open_json(const char *path);
void pt_cli_close_json(const char *path, FILE *f);
/* The stream's error as "PATH:LINE:COLUMN: error: ..." (or what made the
 * read fail) on stderr. */
void pt_cli_json_error(const char *path, const struct pt_jstream *s);

#endif
