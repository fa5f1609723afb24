/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kdump_page.h"

#include <stdio.h>
#include <string.h>

#include <zlib.h>
#ifdef PT_HAVE_LZO
#include <lzo1x.h>
#endif
#ifdef PT_HAVE_SNAPPY
#include <snappy-c.h>
#endif
#ifdef PT_HAVE_ZSTD
#include <zstd.h>
#endif

const char *pt_kdump_method_name(uint32_t flag)
{
	switch (flag) {
	case PT_KDUMP_ZLIB: return "zlib";
	case PT_KDUMP_LZO: return "lzo";
	case PT_KDUMP_SNAPPY: return "snappy";
	case PT_KDUMP_ZSTD: return "zstd";
	default: return NULL;
	}
}

int pt_kdump_method_built(uint32_t flag)
{
	switch (flag) {
	case PT_KDUMP_ZLIB: return 1;
#ifdef PT_HAVE_LZO
	case PT_KDUMP_LZO: return 1;
#endif
#ifdef PT_HAVE_SNAPPY
	case PT_KDUMP_SNAPPY: return 1;
#endif
#ifdef PT_HAVE_ZSTD
	case PT_KDUMP_ZSTD: return 1;
#endif
	default: return 0;
	}
}

static int inflate_zlib(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	uLongf got = outlen;
	/* uncompress() never writes past outlen: a bomb ends as Z_BUF_ERROR. */
	return uncompress(out, &got, in, (uLong)inlen) == Z_OK && got == outlen ? 0 : -1;
}

#ifdef PT_HAVE_LZO
static int inflate_lzo(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	static int ready;
	if (!ready && lzo_init() != LZO_E_OK)
		return -1;
	ready = 1;
	lzo_uint got = outlen;
	/* The _safe variant checks both buffers' bounds on every step. */
	return lzo1x_decompress_safe(in, inlen, out, &got, NULL) == LZO_E_OK && got == outlen
		       ? 0 : -1;
}
#endif

#ifdef PT_HAVE_SNAPPY
static int inflate_snappy(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	size_t want;
	if (snappy_uncompressed_length((const char *)in, inlen, &want) != SNAPPY_OK ||
	    want != outlen)
		return -1;
	size_t got = outlen;
	return snappy_uncompress((const char *)in, inlen, (char *)out, &got) == SNAPPY_OK &&
			       got == outlen ? 0 : -1;
}
#endif

#ifdef PT_HAVE_ZSTD
static int inflate_zstd(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	static ZSTD_DCtx *dctx;
	if (!dctx) {
		dctx = ZSTD_createDCtx();
		/* A page needs no window beyond a MiB; a frame asking for more
		 * is refused instead of allocating for it. */
		if (!dctx || ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 20)))
			return -1;
	}
	size_t got = ZSTD_decompressDCtx(dctx, out, outlen, in, inlen);
	return !ZSTD_isError(got) && got == outlen ? 0 : -1;
}
#endif

int pt_kdump_inflate(uint32_t flags, const uint8_t *in, size_t inlen, uint8_t *out,
		     size_t outlen, char *why, size_t whylen)
{
	uint32_t m = flags & PT_KDUMP_METHODS;
	int rc = -1;
	if (m && (m & (m - 1))) {
		snprintf(why, whylen, "page flags 0x%x name more than one compression method",
			 flags);
		return -1;
	}
	if (!pt_kdump_method_built(m)) {
		snprintf(why, whylen, "page compressed with %s, which this pasidtool was built without",
			 pt_kdump_method_name(m) ? pt_kdump_method_name(m) : "an unknown method");
		return -1;
	}
	switch (m) {
	case PT_KDUMP_ZLIB: rc = inflate_zlib(in, inlen, out, outlen); break;
#ifdef PT_HAVE_LZO
	case PT_KDUMP_LZO: rc = inflate_lzo(in, inlen, out, outlen); break;
#endif
#ifdef PT_HAVE_SNAPPY
	case PT_KDUMP_SNAPPY: rc = inflate_snappy(in, inlen, out, outlen); break;
#endif
#ifdef PT_HAVE_ZSTD
	case PT_KDUMP_ZSTD: rc = inflate_zstd(in, inlen, out, outlen); break;
#endif
	default: break;
	}
	if (rc != 0)
		snprintf(why, whylen, "%s data does not decompress to exactly one %zu-byte page",
			 pt_kdump_method_name(m), outlen);
	return rc;
}
