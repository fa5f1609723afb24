/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kvlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pt_kvlist_parse(const char *spec, const struct pt_kvlist_ops *ops, void *ctx, char *err,
		    size_t errlen)
{
	char *copy = strdup(spec ? spec : "");
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok && rc == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			rc = ops->name(ctx, tok, err, errlen);
			continue;
		}
		*eq = '\0';
		rc = ops->pair(ctx, tok, eq + 1, err, errlen);
	}
	free(copy);
	return rc;
}
