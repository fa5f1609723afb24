/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What the public handles of <pasid/pasid.h> hold, shared by the files of
 * lib/ only: the library's layer over formats/ and core/. */
#ifndef PT_LIB_API_H
#define PT_LIB_API_H

#include <pasid/pasid.h>

#include "diag.h"
#include "source.h"
#include "smmuv3.h"
#include "table.h"

struct pasid_source {
	struct pt_source src;
	/* Findings a source reports while it is read (a kdump page that does
	 * not decompress) outlive any one call. */
	struct pt_diag_sink diags;
	void *copy;              /* pasid_source_open_memory's bytes */
	char name[4096];         /* the first input, as findings name it */
};

struct pasid_table {
	pasid_source *src;
	struct pt_table_cfg cfg;
	int strtab;              /* an SMMUv3 stream table from its registers */
	uint64_t strtab_base, strtab_cfg;
	char caps[256];          /* the --caps the table was opened with, or "" */
};

/* Formats and rules registered once, whichever thread asks first. */
void pasid_lib_init(void);

/* Set err (when not NULL) and return code. */
int pasid_fail(pasid_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A call that succeeds leaves err saying so. */
int pasid_ok(pasid_error *err);

/* The first of diags' most severe findings, as validate prints it, into
 * err; `fallback` when there is none. */
int pasid_fail_diag(pasid_error *err, int code, const struct pt_diag_sink *diags,
		    const char *fallback);

#endif
