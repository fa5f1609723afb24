/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Initialisers for field tables indexed by an enum of field ids (word + lsb
 * positions, as the Arm specifications number bits). One set of macros for
 * every such table, so each entry reads like a row of the spec's table. */
#ifndef PT_FIELD_INIT_H
#define PT_FIELD_INIT_H

#include "field.h"

#define ENUM(n) n, (uint8_t)(sizeof n / sizeof n[0])

/* Plain, enum, address and reserved fields. */
#define F(id, key, lab, w, l, wd, k, doc) [id] = { key, lab, w, l, wd, k, 0, NULL, 0, doc, 0 }
#define E(id, key, lab, w, l, wd, names, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_ENUM, 0, ENUM(names), doc, 0 }
#define A(id, key, lab, w, l, wd, sh, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_ADDR, sh, NULL, 0, doc, 0 }
#define R(id, key, lab, w, l, wd) \
	[id] = { key, lab, w, l, wd, PT_FK_RES0, 0, NULL, 0, "reserved", 0 }

/* Numbers read in hex (ids, attribute words): "ASID=0x1f", "MAIR0=0xf404ff44". */
#define HF(id, key, lab, w, l, wd, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_HEX }

/* Shown in text even when zero: what a reader looks for first. */
#define SF(id, key, lab, w, l, wd, k, doc) \
	[id] = { key, lab, w, l, wd, k, 0, NULL, 0, doc, PT_FF_SHOW_ZERO }
#define SE(id, key, lab, w, l, wd, names, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_ENUM, 0, ENUM(names), doc, PT_FF_SHOW_ZERO }
#define SA(id, key, lab, w, l, wd, sh, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_ADDR, sh, NULL, 0, doc, PT_FF_SHOW_ZERO }
#define SHF(id, key, lab, w, l, wd, doc) \
	[id] = { key, lab, w, l, wd, PT_FK_UINT, 0, NULL, 0, doc, PT_FF_SHOW_ZERO | PT_FF_HEX }

#endif
