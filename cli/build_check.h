/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What `build` does after laying tables out: walk each table it wrote with
 * the format's rules (findings are warnings: a test image with a deliberate
 * mistake is a legitimate build), and choose the S1DSS of the ATTACH_TABLE
 * requests from the CD 0 it actually wrote. */
#ifndef PT_BUILD_CHECK_H
#define PT_BUILD_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "build_spec.h"
#include "image.h"

/* Walk every built table in img with its format's default caps; print
 * findings to stderr as warnings under the name `out`. Returns the number
 * of findings (folded repeats included), or -1 when the image could not be
 * read back. */
long pt_build_check(const struct pt_image *img, const struct pt_built_table *tables, size_t n,
		    const char *out, int color);
/* The same read back from the file just written (a raw image at base, or
 * an ELF core) through the source reader, which hands each page back as
 * the walk leaves it: memory holds none of the image. */
long pt_build_check_file(const char *path, uint64_t base, const struct pt_built_table *tables,
			 size_t n, int color);

/* For CD tables no STE describes, the S1DSS their ATTACH_TABLE says:
 * ssid0 when CD 0 is valid in img, else terminate (DMA without a PASID
 * would otherwise use a CD that is not there). Sets cds[i].cfg.vendor[0]
 * and prints the choice on stderr unless quiet. */
void pt_build_choose_s1dss(const struct pt_image *img, struct pt_built_table *cds, size_t n,
			   const char *out, int quiet);

#endif
