/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "family.h"

uint32_t pt_family_key(const struct pt_family *fam, const uint8_t *buf)
{
	return (uint32_t)pt_field_get(buf, fam->key);
}

/* Binary search: a ring of 2^19 commands looks every one up. */
const struct pt_struct *pt_family_member_struct(const struct pt_family *fam, uint32_t key)
{
	size_t lo = 0, hi = fam->nmembers;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pt_family_member *m = &fam->members[mid];
		if (key < m->lo)
			hi = mid;
		else if (key > m->hi)
			lo = mid + 1;
		else
			return m->st;
	}
	return NULL;
}

const struct pt_struct *pt_family_struct(const struct pt_family *fam, const uint8_t *buf)
{
	const struct pt_struct *st = pt_family_member_struct(fam, pt_family_key(fam, buf));
	return st ? st : fam->unknown;
}

const struct pt_struct *pt_family_struct_at(const struct pt_family *fam, size_t i)
{
	if (i < fam->nmembers)
		return fam->members[i].st;
	return i == fam->nmembers ? fam->unknown : NULL;
}
