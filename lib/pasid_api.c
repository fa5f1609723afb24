/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The library's version, its one-time setup and how calls report failure. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "formats.h"

PASID_API const char *pasid_version(void)
{
	return PT_VERSION;
}

PASID_API void pasid_free(void *p)
{
	free(p);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* The format and rule lists are filled once and only read afterwards, so
 * handles in several threads share them safely. */
void pasid_lib_init(void)
{
	pthread_once(&init_once, pt_formats_init);
}

int pasid_fail(pasid_error *err, int code, const char *fmt, ...)
{
	if (!err)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	err->code = code;
	return code;
}

int pasid_ok(pasid_error *err)
{
	if (err) {
		err->code = PASID_OK;
		err->message[0] = '\0';
	}
	return PASID_OK;
}

int pasid_fail_diag(pasid_error *err, int code, const struct pt_diag_sink *diags,
		    const char *fallback)
{
	const struct pt_diag *first = NULL;
	for (uint32_t i = 0; i < diags->nitems; i++)
		if (!first || diags->items[i].severity > first->severity)
			first = &diags->items[i];
	if (!first || !err)
		return pasid_fail(err, code, "%s", fallback);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return pasid_fail(err, code, "%s", first->msg);
	pt_diag_print(diags, first, f);
	fclose(f);
	if (len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	pasid_fail(err, code, "%s", text);
	free(text);
	return code;
}
