/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One structure as one line of operands, the way a disassembler prints an
 * instruction: "sid=0x8 ssid=0x1 leaf tg=4k address=0x40001000". */
#ifndef PT_EMIT_LINE_H
#define PT_EMIT_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "field.h"

/* Fields that are non-zero or flagged PT_FF_SHOW_ZERO (non-zero RES0 bits
 * too, so nothing set goes unseen), keyed by their JSON names, except
 * `skip` (the discriminator the caller prints as the name). Flags print as
 * their bare name, enums by name, ids, addresses and RES0 in hex. Always
 * NUL-terminates; a line that does not fit ends in "...". */
void pt_struct_operands(char *buf, size_t len, const struct pt_struct *st, const uint8_t *raw,
			const struct pt_field *skip);

#endif
