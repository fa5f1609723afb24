/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Every vendor format pasidtool knows, and the one call that registers them
 * with the core. Adding a format means adding its files here and one line in
 * formats/registry.c; core/ is not touched. */
#ifndef PT_FORMATS_H
#define PT_FORMATS_H

#include "table.h"

/* Register every format and rule set with the core (idempotent). */
void pt_formats_init(void);

#endif
