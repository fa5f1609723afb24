/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "kdump_page.h"

#include <pthread.h>
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
/* lzo_init() once per process: two library handles in two threads may meet
 * their first LZO page at the same moment. */
static pthread_once_t lzo_once = PTHREAD_ONCE_INIT;
static int lzo_ready;

static void lzo_start(void)
{
	lzo_ready = lzo_init() == LZO_E_OK;
}

static int inflate_lzo(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	pthread_once(&lzo_once, lzo_start);
	if (!lzo_ready)
		return -1;
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
/* A decompression context holds the state of the frame being read: one
 * per thread, so that handles in different threads never share one, freed
 * when its thread ends. */
static pthread_once_t zstd_once = PTHREAD_ONCE_INIT;
static pthread_key_t zstd_key;
static int zstd_keyed;

static void zstd_free(void *dctx)
{
	ZSTD_freeDCtx(dctx);
}

static void zstd_start(void)
{
	zstd_keyed = pthread_key_create(&zstd_key, zstd_free) == 0;
}

static ZSTD_DCtx *zstd_dctx(void)
{
	pthread_once(&zstd_once, zstd_start);
	if (!zstd_keyed)
		return NULL;
	ZSTD_DCtx *dctx = pthread_getspecific(zstd_key);
	if (dctx)
		return dctx;
	dctx = ZSTD_createDCtx();
	/* A page needs no window beyond a MiB; a frame asking for more is
	 * refused instead of allocating for it. */
	if (!dctx || ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 20)) ||
	    pthread_setspecific(zstd_key, dctx) != 0) {
		ZSTD_freeDCtx(dctx);
		return NULL;
	}
	return dctx;
}

static int inflate_zstd(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen)
{
	ZSTD_DCtx *dctx = zstd_dctx();
	if (!dctx)
		return -1;
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
