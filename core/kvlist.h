/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The syntax of option values such as --caps: comma-separated words, each a
 * bare NAME (a profile) or KEY=VALUE, applied left to right. */
#ifndef PT_KVLIST_H
#define PT_KVLIST_H

#include <stddef.h>

struct pt_kvlist_ops {
	/* Each returns 0, or -1 after writing a message to err. */
	int (*name)(void *ctx, const char *name, char *err, size_t errlen);
	int (*pair)(void *ctx, const char *key, const char *value, char *err, size_t errlen);
};

int pt_kvlist_parse(const char *spec, const struct pt_kvlist_ops *ops, void *ctx, char *err,
		    size_t errlen);

#endif
