/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Field initialisers by absolute bit position in the whole structure, the
 * way IHI 0070 draws commands ([127:64]), event records ([255:0]) and PRI
 * entries: "[79:64]" is written 79, 64 and becomes word 1, bits 15:0. A
 * field never crosses a 64-bit word here. */
#ifndef PT_FIELD_BITS_H
#define PT_FIELD_BITS_H

#include "field.h"

#define PT_BITS_N(n) (uint8_t)(sizeof n / sizeof n[0])

#define FBITS(key, lab, hi, lo, kind, shift, enums, nenums, doc, flags)                     \
	{ key, lab, (lo) / 64, (lo) % 64, (hi) - (lo) + 1, kind, shift, enums, nenums, doc, \
	  flags }

/* Plain number, shown when non-zero. */
#define BU(key, lab, hi, lo, doc) FBITS(key, lab, hi, lo, PT_FK_UINT, 0, NULL, 0, doc, 0)
/* One-bit flag. */
#define BB(key, lab, bit, doc) FBITS(key, lab, bit, bit, PT_FK_BOOL, 0, NULL, 0, doc, 0)
/* Number read in hex (ids, attributes, raw operands). */
#define BH(key, lab, hi, lo, doc) FBITS(key, lab, hi, lo, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_HEX)
/* Id shown in hex even when zero: what a reader looks for first. */
#define BID(key, lab, hi, lo, doc)                                             \
	FBITS(key, lab, hi, lo, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_HEX | PT_FF_SHOW_ZERO)
/* Number shown even when zero. */
#define BZ(key, lab, hi, lo, doc)                                              \
	FBITS(key, lab, hi, lo, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_SHOW_ZERO)
#define BE(key, lab, hi, lo, names, doc) BEF(key, lab, hi, lo, names, doc, 0)
#define BEF(key, lab, hi, lo, names, doc, flags)                               \
	FBITS(key, lab, hi, lo, PT_FK_ENUM, 0, names, PT_BITS_N(names), doc, flags)
/* Address bits [hi:lo] of the entry hold address bits [hi%64:lo%64]. */
#define BA(key, lab, hi, lo, doc)                                              \
	FBITS(key, lab, hi, lo, PT_FK_ADDR, (lo) % 64, NULL, 0, doc, PT_FF_SHOW_ZERO)
/* Reserved, named by its absolute bits: "res0_127_65". */
#define BR(hi, lo)                                                              \
	FBITS("res0_" #hi "_" #lo, "RES0[" #hi ":" #lo "]", hi, lo, PT_FK_RES0, 0, NULL, 0, \
	      "reserved", 0)

#define NFIELDS(a) (sizeof a / sizeof a[0])

#endif
