/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A family of structures told apart by a discriminator (a command opcode, an
 * event id, a request type): one field table per member, keyed by the value
 * of a field every member shares. Decoders, rules, `formats` and fuzz
 * dictionaries find a member's field table here instead of switching on the
 * discriminator themselves. */
#ifndef PT_FAMILY_H
#define PT_FAMILY_H

#include <stddef.h>
#include <stdint.h>

#include "field.h"

/* Members with keys lo..hi (inclusive) share one field table. */
struct pt_family_member {
	uint32_t lo, hi;
	const struct pt_struct *st;
};

struct pt_family {
	const char *name;            /* "smmuv3-cmd" */
	const char *label;           /* "SMMUv3 command" */
	uint32_t size;               /* bytes of every member */
	const struct pt_field *key;  /* the discriminator, at the same bits in every member */
	const struct pt_family_member *members; /* sorted by lo, ranges disjoint */
	size_t nmembers;
	/* The layout of a key no member claims (reserved values): the
	 * discriminator and the remaining bits as plain numbers. */
	const struct pt_struct *unknown;
};

/* Discriminator of a raw entry (buf holds fam->size bytes). */
uint32_t pt_family_key(const struct pt_family *fam, const uint8_t *buf);
/* Field table of a key, or NULL when no member claims it. */
const struct pt_struct *pt_family_member_struct(const struct pt_family *fam, uint32_t key);
/* Field table to decode a raw entry with: its member's, else fam->unknown. */
const struct pt_struct *pt_family_struct(const struct pt_family *fam, const uint8_t *buf);
/* Every distinct field table of the family (members, then unknown), for
 * listings: call with i = 0, 1, ... until NULL. */
const struct pt_struct *pt_family_struct_at(const struct pt_family *fam, size_t i);

#endif
