/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Files that appear whole or not at all: written to a temporary file in the
 * target's directory, synced, then renamed over the target. */
#ifndef PT_ATOMIC_H
#define PT_ATOMIC_H

#include <stddef.h>
#include <stdint.h>

struct pt_atomic {
	const char *path;
	char *tmp;
	int fd;
};

int pt_atomic_begin(struct pt_atomic *a, const char *path, char *err, size_t errlen);
int pt_atomic_write(struct pt_atomic *a, const void *buf, uint64_t len, char *err, size_t errlen);
/* Append len zero bytes. */
int pt_atomic_zeros(struct pt_atomic *a, uint64_t len, char *err, size_t errlen);
int pt_atomic_commit(struct pt_atomic *a, char *err, size_t errlen);
void pt_atomic_abort(struct pt_atomic *a);

/* True when both paths name the same existing file. */
int pt_same_file(const char *a, const char *b);

#endif
