/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page-table walks at scale: `maps` of an address space of 2^20 mapped 4K
 * pages (as one merged range, and as 2^20 ranges that cannot merge), and
 * `translate` of one IOVA whose tables sit in a 4 GiB ELF core that is
 * mostly holes. The regimes are written in this process with the library's
 * page-table builder and the CD field table; the real binary is measured. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "image.h"
#include "ptbuild.h"
#include "smmuv3.h"
#include "vmsa_pt.h"

#define PAGES (UINT64_C(1) << 20)
#define CD_ADDR UINT64_C(0x40000000)
#define ROOT UINT64_C(0x40001000)
#define GIB (UINT64_C(1) << 30)

/* A stage-1 CD for a 48-bit TTB0 with the 4K granule. */
static int put_cd(struct pt_image *img, uint64_t ttb0)
{
	char err[200];
	uint8_t *cd = pt_image_alloc(img, CD_ADDR, SMMU_CD_SIZE, err, sizeof err);
	if (!cd)
		return -1;
	static const struct { enum smmu_cd_field_id id; uint64_t v; } f[] = {
		{ CD_T0SZ, 16 }, { CD_EPD1, 1 }, { CD_V, 1 }, { CD_IPS, 5 }, { CD_AA64, 1 },
		{ CD_R, 1 }, { CD_A, 1 }, { CD_ASET, 1 }, { CD_ASID, 1 }, { CD_MAIR0, 0xff04ff44 },
	};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (pt_field_set(cd, &smmu_cd_fields[f[i].id], f[i].v) != 0)
			return -1;
	return pt_field_set(cd, &smmu_cd_fields[CD_TTB0], ttb0);
}

/* 2^20 pages from IOVA 0; merged: PA runs on, else it runs backwards. */
static int write_regime(const char *path, int merged)
{
	struct pt_image img;
	struct pt_ptb b;
	char err[200];
	int rc = -1;
	pt_image_init(&img);
	const struct pt_ptw_format *f = vmsa_pt_format(1, VMSA_4K, 0);
	uint64_t leaf = UINT64_C(1) << 10 | 1 << 2 | 3 << 8; /* AF, AttrIndx 1, ISH */
	if (put_cd(&img, ROOT) != 0 || pt_ptb_init(&b, &img, f, 0, 48, ROOT, err, sizeof err) != 0)
		goto out;
	for (uint64_t i = 0; i < PAGES; i++) {
		uint64_t pa = UINT64_C(0x100000000) + (merged ? i : PAGES - 1 - i) * 4096;
		if (pt_ptb_map(&b, i * 4096, pa, 3, leaf, 0, err, sizeof err) != 0)
			goto out;
	}
	rc = pt_image_write_elf(&img, path, err, sizeof err);
out:
	if (rc != 0)
		fprintf(stderr, "bench: page tables: %s\n", err);
	pt_image_free(&img);
	return rc;
}

int bench_ptw_maps(const char *tool, const char *dir, int merged, struct bench_ptw *res)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/maps-%s.elf", dir, merged ? "merged" : "split");
	fprintf(stderr, "bench: maps of 2^20 4K pages (%s)\n", merged ? "one range" : "2^20 ranges");
	memset(res, 0, sizeof *res);
	if (write_regime(path, merged) != 0)
		return -1;
	const char *argv[] = { tool, "maps", path, "--cd-table", "0x40000000", "--quiet", NULL };
	int rc = bench_child_best(argv, 3, &res->run);
	unlink(path);
	res->ok = rc == 0 && res->run.status == 0;
	return res->ok ? 0 : -1;
}

/* ---- translate in a 4 GiB core that is mostly holes ---- */

/* Four 1 GiB PT_LOADs of RAM from 0x40000000; only the CD's and the
 * tables' pages are written, at the file offsets of their addresses. */
int bench_ptw_translate(const char *tool, const char *dir, struct bench_ptw *res)
{
	char path[4096], err[200];
	snprintf(path, sizeof path, "%s/translate-4g.elf", dir);
	fprintf(stderr, "bench: translate in a sparse 4 GiB ELF core\n");
	memset(res, 0, sizeof *res);
	struct pt_image img;
	struct pt_ptb b;
	pt_image_init(&img);
	const struct pt_ptw_format *f = vmsa_pt_format(1, VMSA_4K, 0);
	uint64_t root = CD_ADDR + 3 * GIB + UINT64_C(0x12345000);
	int rc = -1;
	if (put_cd(&img, root) != 0 || pt_ptb_init(&b, &img, f, 0, 48, root, err, sizeof err) != 0 ||
	    pt_ptb_map(&b, UINT64_C(0x7f1234567000), UINT64_C(0x80000000), 3,
		       UINT64_C(1) << 10, 0, err, sizeof err) != 0)
		goto out;
	if (bench_sparse_core(path, CD_ADDR, 4, &img) != 0)
		goto out;
	const char *argv[] = { tool, "translate", path, "--cd-table", "0x40000000", "--quiet",
			       "0x7f1234567abc", NULL };
	rc = bench_child_best(argv, 5, &res->run);
	res->ok = rc == 0 && res->run.status == 0;
	rc = res->ok ? 0 : -1;
out:
	unlink(path);
	pt_image_free(&img);
	return rc;
}
