/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Two whole-process yardsticks validate is held to, run as the benchmark
 * binary itself (`bench --floor IMAGE`, `bench --qemu-cd IMAGE ...`) so that
 * they pay what pasidtool pays: exec, mapping the file, its page faults.
 *
 * The floor maps the image and reads every 64-bit word of it.
 *
 * The decode_cd loop walks the same table and runs on each CD the checks
 * QEMU's hw/arm/smmuv3.c decode_cd() makes (read from its source, commit
 * 017a913): V and AA64 set, A set (TERM_MODEL), S clear, HA and HD clear;
 * the output size min(IPS, IDR5.OAS) through oas2bits (IPS 6 and 7 are
 * refused here: that QEMU has no 52-bit entry); then for each half not
 * disabled by EPDx: TxSZ in 16..39, TGx a 4K or 64K granule (TG1 has its own
 * encoding), ENDI clear, TTBx as CD_TTB reads it (ADDR[50:4]) inside the
 * output size; it reads TBI, ASID, HADx and R as decode_cd does. The bit
 * positions are the architecture's (IHI 0070, Context Descriptor), written
 * out as constants the way QEMU's CD_* macros are: this is the plain loop,
 * not pasidtool's field tables (bench_qemu_cd_self_check holds the two to
 * the same positions). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "smmuv3.h"

static const uint8_t *map_image(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	*size = (size_t)st.st_size;
	return p == MAP_FAILED ? NULL : p;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

int bench_floor_main(const char *image)
{
	size_t size;
	const uint8_t *p = map_image(image, &size);
	if (!p)
		return 2;
	uint64_t sum = 0;
	for (size_t i = 0; i + 8 <= size; i += 8)
		sum += le64(p + i);
	printf("%llu\n", (unsigned long long)sum);
	return 0;
}

/* QEMU's oas2bits for IPS 0..5; -1 for what this loop refuses. */
static int oas2bits(unsigned ips)
{
	static const int bits[] = { 32, 36, 40, 42, 44, 48 };
	return ips < 6 ? bits[ips] : -1;
}

/* QEMU's tg2granule: log2 of the granule, 0 for a reserved encoding. */
static int tg2granule(unsigned tg, int tg1)
{
	static const int t0[4] = { 12, 16, 14, 0 }, t1[4] = { 0, 14, 12, 16 };
	return tg1 ? t1[tg & 3] : t0[tg & 3];
}

#define BIT(w, n) (((w) >> (n)) & 1u)

struct qemu_cfg {
	int oas, tbi, r;
	unsigned asid;
	uint64_t ttb[2];
	int granule[2], tsz[2], had[2], disabled[2];
};

/* 0 when decode_cd accepts the CD, -1 for C_BAD_CD. */
static int decode_cd(const uint8_t *cd, unsigned idr5_oas, struct qemu_cfg *cfg)
{
	uint64_t w0 = le64(cd);
	if (!BIT(w0, 31) || !BIT(w0, 41))        /* V, AA64 */
		return -1;
	if (!BIT(w0, 46) || BIT(w0, 44))         /* A, S */
		return -1;
	if (BIT(w0, 43) || BIT(w0, 42))          /* HA, HD */
		return -1;
	unsigned ips = (unsigned)(w0 >> 32) & 7;
	int oas = oas2bits(ips), max = oas2bits(idr5_oas);
	if (oas < 0 || max < 0)
		return -1;
	cfg->oas = oas < max ? oas : max;
	cfg->tbi = (int)(w0 >> 38) & 3;
	cfg->asid = (unsigned)(w0 >> 48);
	for (int i = 0; i < 2; i++) {
		cfg->disabled[i] = (int)BIT(w0, i ? 30 : 14);  /* EPDx */
		if (cfg->disabled[i])
			continue;
		int tsz = (int)(w0 >> (i ? 16 : 0)) & 63;
		if (tsz < 16 || tsz > 39)
			return -1;
		int g = tg2granule((unsigned)(w0 >> (i ? 22 : 6)) & 3, i);
		if ((g != 12 && g != 16) || BIT(w0, 15))     /* ENDI */
			return -1;
		uint64_t tt = le64(cd + 8 * (1 + i));
		uint64_t ttb = tt & UINT64_C(0x0007fffffffffff0);
		if (ttb & ~((UINT64_C(1) << cfg->oas) - 1))
			return -1;
		cfg->tsz[i] = tsz;
		cfg->granule[i] = g;
		cfg->ttb[i] = ttb;
		cfg->had[i] = (int)BIT(tt, 1);
	}
	cfg->r = (int)BIT(w0, 45);
	return 0;
}

int bench_qemu_cd_main(const char *image, uint64_t base, unsigned leaf_bits, unsigned ssid_bits)
{
	size_t size;
	const uint8_t *p = map_image(image, &size);
	if (!p || leaf_bits >= ssid_bits)
		return 2;
	uint64_t ndesc = UINT64_C(1) << (ssid_bits - leaf_bits), good = 0, bad = 0, sum = 0;
	uint64_t leaf = (UINT64_C(64) << leaf_bits);
	if (ndesc * 8 > size)
		return 2;
	for (uint64_t i = 0; i < ndesc; i++) {
		uint64_t d = le64(p + 8 * i);
		uint64_t l2 = d & UINT64_C(0x00fffffffffff000);   /* L1CD.L2Ptr */
		if (!(d & 1) || l2 < base || l2 - base > size || size - (l2 - base) < leaf)
			continue;
		const uint8_t *cds = p + (l2 - base);
		for (uint64_t j = 0; j < leaf; j += 64) {
			struct qemu_cfg cfg = { 0 };
			if (decode_cd(cds + j, 5, &cfg) == 0) {
				good++;
				sum += cfg.asid ^ cfg.ttb[0] ^ (uint64_t)cfg.oas;
			} else {
				bad++;
			}
		}
	}
	printf("%llu accepted, %llu C_BAD_CD (%llx)\n", (unsigned long long)good,
	       (unsigned long long)bad, (unsigned long long)sum);
	return 0;
}

/* The constants above against the field table: a drift would make the
 * yardstick check other bits than the ones pasidtool checks. */
int bench_qemu_cd_self_check(void)
{
	static const struct { enum smmu_cd_field_id id; unsigned word, lsb, width; } want[] = {
		{ CD_T0SZ, 0, 0, 6 }, { CD_TG0, 0, 6, 2 }, { CD_EPD0, 0, 14, 1 },
		{ CD_ENDI, 0, 15, 1 }, { CD_T1SZ, 0, 16, 6 }, { CD_TG1, 0, 22, 2 },
		{ CD_EPD1, 0, 30, 1 }, { CD_V, 0, 31, 1 }, { CD_IPS, 0, 32, 3 },
		{ CD_TBI0, 0, 38, 1 }, { CD_AA64, 0, 41, 1 }, { CD_HD, 0, 42, 1 },
		{ CD_HA, 0, 43, 1 }, { CD_S, 0, 44, 1 }, { CD_R, 0, 45, 1 }, { CD_A, 0, 46, 1 },
		{ CD_ASID, 0, 48, 16 }, { CD_HAD0, 1, 1, 1 }, { CD_TTB0, 1, 4, 52 },
		{ CD_HAD1, 2, 1, 1 }, { CD_TTB1, 2, 4, 52 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct pt_field *f = &smmu_cd_fields[want[i].id];
		if (f->word != want[i].word || f->lsb != want[i].lsb || f->width != want[i].width) {
			fprintf(stderr, "bench: the decode_cd loop's %s is not where the field "
				"table has it\n", f->name);
			return -1;
		}
	}
	return 0;
}
