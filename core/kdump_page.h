/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One page of a kdump-compressed dump, decompressed: the per-page methods of
 * makedumpfile (diskdump_mod.h DUMP_DH_COMPRESSED_*), each capped at one page
 * of output whatever the input claims. */
#ifndef PT_KDUMP_PAGE_H
#define PT_KDUMP_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define PT_KDUMP_ZLIB 0x1u
#define PT_KDUMP_LZO 0x2u
#define PT_KDUMP_SNAPPY 0x4u
#define PT_KDUMP_INCOMPLETE 0x8u
#define PT_KDUMP_EXCLUDED_VMEMMAP 0x10u
#define PT_KDUMP_ZSTD 0x20u
#define PT_KDUMP_METHODS (PT_KDUMP_ZLIB | PT_KDUMP_LZO | PT_KDUMP_SNAPPY | PT_KDUMP_ZSTD)

/* Name of one method bit ("zlib"), or NULL. */
const char *pt_kdump_method_name(uint32_t flag);

/* True when this build links the library for the method. */
int pt_kdump_method_built(uint32_t flag);

/* Decompress in[0, inlen) with the method in flags into exactly outlen
 * bytes. 0 on success; -1 with the reason in why (corrupt data, output not
 * exactly one page, a method this build lacks). */
int pt_kdump_inflate(uint32_t flags, const uint8_t *in, size_t inlen, uint8_t *out,
		     size_t outlen, char *why, size_t whylen);

#endif
