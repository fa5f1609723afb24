/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A full command queue: 2^19 commands (the largest SMMUv3 queue) in the
 * pattern Linux issues them (CFGI_STE, CFGI_CD, TLBI_NH_VA over a range,
 * CMD_SYNC polled by MSI), for `queues` text and JSON at scale. */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "field.h"

int bench_queue_write(const char *path, unsigned log2, char *args, size_t len)
{
	size_t n = (size_t)1 << log2;
	uint8_t *buf = calloc(n, 16);
	if (!buf)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t d0, d1, slot = BENCH_QUEUE_BASE + 16 * i;
		switch (i % 4) {
		case 0: d0 = 0x03 | (uint64_t)(i & 0xffff) << 32; d1 = 1; break;
		case 1: d0 = 0x05 | (uint64_t)(i & 0xffff) << 32; d1 = 1; break;
		case 2: d0 = 0x12 | 1u << 12 | (uint64_t)(i & 0xffff) << 48;
			d1 = 1 | 3u << 8 | 1u << 10 | (i << 12); break;
		default: d0 = 0; d1 = slot; break; /* a completed MSI-polled CMD_SYNC */
		}
		pt_put_le64(buf + 16 * i, 0, d0);
		pt_put_le64(buf + 16 * i, 1, d1);
	}
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(buf, 16, n, f) == n;
	if (f && fclose(f) != 0)
		ok = 0;
	free(buf);
	snprintf(args, len, "0x%llx", (unsigned long long)(BENCH_QUEUE_BASE | log2));
	return ok ? 0 : -1;
}
