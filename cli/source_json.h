/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "source" object of every command that reads a dump (decode.json's
 * $defs/source): the inputs as given, the container kind, the address span
 * and, when the dump says, the kernel that wrote it. One helper, so that a
 * kdump vmcore is called "kdump" by every command. */
#ifndef PT_CLI_SOURCE_JSON_H
#define PT_CLI_SOURCE_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "source.h"

json_t *pt_cli_source_json(const char *const *inputs, size_t ninputs,
			   const struct pt_source *src);

#endif
