/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reading a JSON input (build and attach build specs) from a file or "-". */
#ifndef PT_LOAD_JSON_H
#define PT_LOAD_JSON_H

#include <jansson.h>
#include <stdint.h>

/* The document in PATH ("-": stdin), read with at most max_bytes held in
 * memory whatever the input is (a pipe has no size to check first). NULL
 * after a message on stderr that says what the input is: missing, a
 * directory, larger than the cap, or where its JSON breaks. */
json_t *pt_cli_load_json(const char *path, uint64_t max_bytes);

#endif
