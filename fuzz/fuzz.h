/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the fuzz harnesses (fuzz/fuzz_*.c): the libFuzzer entry
 * points, a reader of structured input (integers and strings taken from the
 * front of the fuzzer's bytes, zero once they run out), the one-time library
 * set-up, the table-shape header of the cdtable harness, and the decode-to-
 * JSON walk that mirrors `pasidtool decode --json` (cli/inspect.c) with the
 * same library calls. Header-only (static inline) because every harness is
 * linked alone with libpasid.a, by libFuzzer or by fuzz/replay.c. */
#ifndef PT_FUZZ_H
#define PT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "build.h"
#include "build_spec.h"
#include "diag.h"
#include "decode_json.h"
#include "emit.h"
#include "image.h"
#include "json_item.h"
#include "json_stream.h"
#include "field.h"
#include "formats.h"
#include "rule.h"
#include "source.h"
#include "table.h"

/* libFuzzer's interface (FuzzerInterface.h). Harnesses always return 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* A logic disagreement (round trip, oracle): report and abort so that the
 * fuzzer saves the input. Never used for "the input is malformed". */
#define FZ_CHECK(cond, ...)                                                        \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "fuzz: %s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                                  \
			fprintf(stderr, __VA_ARGS__);                              \
			fputc('\n', stderr);                                       \
			abort();                                                   \
		}                                                                  \
	} while (0)

/* Register formats and rule sets once; give jansson's hash a fixed seed so
 * that a replayed input takes the same path as when it was found. */
static inline void fz_init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	json_object_seed(1);
	pt_formats_init();
}

/* A sink for output nobody reads (text printers still run in full). */
static inline FILE *fz_null(void)
{
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	if (!null)
		abort();
	return null;
}

/* ---- structured input ---- */

struct fz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_uint(struct fz_in *in, unsigned bytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		uint64_t b = 0;
		if (in->n) {
			b = *in->p++;
			in->n--;
		}
		v |= b << (8 * i);
	}
	return v;
}

static inline uint8_t fz_u8(struct fz_in *in)
{
	return (uint8_t)fz_uint(in, 1);
}

static inline uint32_t fz_u32(struct fz_in *in)
{
	return (uint32_t)fz_uint(in, 4);
}

static inline uint64_t fz_u64(struct fz_in *in)
{
	return fz_uint(in, 8);
}

/* A NUL-terminated string of at most max-1 bytes into buf (consumes the
 * NUL when present). */
static inline void fz_str(struct fz_in *in, char *buf, size_t max)
{
	size_t n = 0;
	while (in->n && n + 1 < max) {
		uint8_t c = *in->p++;
		in->n--;
		if (c == 0)
			break;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
}

static inline void fz_put(uint8_t *out, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		out[i] = (uint8_t)(v >> (8 * i));
}

/* Cheap PRNG for custom mutators (seeded by libFuzzer). */
static inline uint32_t fz_rand(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static inline uint64_t fz_rand64(uint32_t *s)
{
	return (uint64_t)fz_rand(s) << 32 | fz_rand(s);
}

/* ---- the cdtable harness's input: a table shape, then the image ---- */

#define FZ_CD_HDR_SIZE 32u

enum {
	FZ_CD_ONE_SSID = 1u << 2,  /* decode --ssid N */
	FZ_CD_ALL = 1u << 3,       /* --all */
	FZ_CD_TEXT = 1u << 4,      /* also print text */
	FZ_CD_NOFOLD = 1u << 5,    /* --all-findings */
	FZ_CD_SPLIT = 1u << 6,     /* image split into two ranges with a gap */
	FZ_CD_STE = 1u << 7,       /* the walk comes from an STE (vendor[0] set) */
};

/* Caps profiles the validate pass picks from (byte 2 of the header, low 7
 * bits); with bit 7 set the spec is a string that follows the header. */
static const char *const fz_caps_specs[] = {
	"generic",
	"qemu",
	"linux-host",
	"generic,oas=32,asid16=0,cd2l=0,version=0",
	"generic,httu=3,stt=1,vax=2,ds=1,s1pi=1,e0pd=1,epan=1,the=1,aie=1,pbha=1,oas=52,version=4",
	"generic,ttendian=3,stall-model=2,ttf=1,gran4k=0,term-model=1",
	"generic,ttendian=2,stall-model=1,ttf=3,gran16k=0,gran64k=0,httu=1,vax=1,had=0",
	"qemu,oas=56,version=3,stt=1",
};
#define FZ_NCAPS (sizeof fz_caps_specs / sizeof fz_caps_specs[0])

struct fz_cd_hdr {
	uint8_t flags;       /* bits 0-1: layout index; FZ_CD_* */
	uint8_t ssid_bits;   /* > 20 tests the geometry check */
	uint8_t caps;        /* bits 0-3: index into fz_caps_specs; bits 4-6: table
			      * format (pt_format_at, 0 = smmuv3-cd); bit 7: a caps
			      * string follows the header */
	uint8_t ste;         /* STE context bits when FZ_CD_STE */
	uint32_t ssid;
	uint64_t base;       /* address of the image's first byte */
	uint64_t table_off;  /* table root = base + table_off (mod 2^64) */
	uint32_t split;      /* FZ_CD_SPLIT: second range starts at this offset */
	uint32_t gap;        /* ... and this many bytes further on */
};

static inline void fz_cd_hdr_read(struct fz_in *in, struct fz_cd_hdr *h)
{
	h->flags = fz_u8(in);
	h->ssid_bits = fz_u8(in);
	h->caps = fz_u8(in);
	h->ste = fz_u8(in);
	h->ssid = fz_u32(in);
	h->base = fz_u64(in);
	h->table_off = fz_u64(in);
	h->split = fz_u32(in);
	h->gap = fz_u32(in);
}

/* The table format a cdtable header names. */
static inline const struct pt_format *fz_cd_format(const struct fz_cd_hdr *h)
{
	size_t n = pt_format_count();
	return pt_format_at(((h->caps >> 4) & 7u) % (n ? n : 1));
}

static inline void fz_cd_hdr_write(uint8_t out[FZ_CD_HDR_SIZE], const struct fz_cd_hdr *h)
{
	out[0] = h->flags;
	out[1] = h->ssid_bits;
	out[2] = h->caps;
	out[3] = h->ste;
	fz_put(out + 4, h->ssid, 4);
	fz_put(out + 8, h->base, 8);
	fz_put(out + 16, h->table_off, 8);
	fz_put(out + 24, h->split, 4);
	fz_put(out + 28, h->gap, 4);
}

/* ---- decode --json, as cli/inspect.c prints it ----
 * The table header, "l1" and entry objects are made with the same library
 * calls as cli/inspect.c (pt_emit_*, pt_struct_raw_json,
 * pt_struct_fields_json); the index key ("ssid"/"sid"), the entries array
 * and "<index>_bits" follow the format, as pt_build_table reads them. */

struct fz_decode {
	struct pt_emit emit;
	int all;
	int one_ssid;          /* decode --ssid N */
	uint32_t ssid;
	uint64_t items;        /* l1 descriptors and entries printed */
	uint64_t last_entry;   /* address of the last entry visited */
	int entry_seen;
	const struct pt_walk_ops *ops; /* NULL: fz_decode_ops */
	struct pt_decode_json dj; /* the library's decode --json, over emit */
};

static inline int fz_nonzero(const uint8_t *raw, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (raw[i])
			return 1;
	return 0;
}

/* The printing is the library's (core/decode_json.c), the code the CLI's
 * decode --json runs; the harness only keeps its own counters. */
static inline struct pt_decode_json *fz_dj(struct fz_decode *d)
{
	d->dj.emit = &d->emit;
	d->dj.all = d->all;
	return &d->dj;
}

static inline int fz_on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
			    const struct pt_dir_view *dv)
{
	struct fz_decode *d = w->user;
	pt_decode_json_dir(fz_dj(d), w, index, addr, raw, dv->valid);
	d->items = d->dj.items;
	return 0;
}

static inline int fz_on_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	struct fz_decode *d = w->user;
	d->last_entry = addr;
	d->entry_seen = 1;
	pt_decode_json_entry(fz_dj(d), w, ssid, addr, raw);
	d->items = d->dj.items;
	return 0;
}

static inline void fz_on_phase(struct pt_walk *w, enum pt_walk_phase phase)
{
	pt_decode_json_phase(fz_dj(w->user), w, phase);
}

static const struct pt_walk_ops fz_decode_ops = { fz_on_phase, fz_on_dir, fz_on_entry };

/* Walk one table and print it as decode --json does: table header (when
 * the geometry is usable), "l1" and "entries" arrays. The caller has called
 * pt_emit_begin on d->emit and calls pt_emit_end. Returns pt_walk_run's
 * result; w is left filled in for the caller's checks. */
static inline int fz_decode_table(struct fz_decode *d, struct pt_walk *w, struct pt_source *src,
				  const struct pt_table_cfg *cfg, struct pt_diag_sink *diags)
{
	memset(w, 0, sizeof *w);
	w->cfg = cfg;
	w->src = src;
	w->diags = diags;
	w->ops = d->ops ? d->ops : &fz_decode_ops;
	w->user = d;
	w->one_ssid = d->one_ssid;
	w->ssid = d->ssid;
	struct pt_geometry g;
	if (pt_geometry(cfg, &g) != 0)
		return pt_walk_run(w);
	pt_emit_table_begin(&d->emit, pt_decode_json_header(cfg));
	int rc = pt_walk_run(w);
	pt_emit_table_end(&d->emit);
	return rc;
}

/* ---- checks shared by the walking harnesses ---- */

/* Printed items parsed back by jansson and compared, per array; the others
 * are read by the library's fast item reader (core/json_item.c), as build
 * reads decode's output, and jansson takes any it declines. The buildjson
 * harness holds the fast reader to jansson (never text jansson refuses,
 * the same bytes), so one item per array is enough: four took a fifth of
 * cdtable's time in jansson's allocations. */
#define FZ_CHECK_ITEMS_MAX 1u
/* Most bytes of decode --json one item may take (a CD is about 2 KiB). */
#define FZ_ITEM_WINDOW ((size_t)16 << 10)

/* The bytes an item gives back are the source's at its address. */
static inline void fz_check_item_bytes(const struct pt_struct *st, uint64_t addr,
				       const uint8_t *got, struct pt_source *src)
{
	uint8_t want[PT_MAX_ENTRY_SIZE];
	FZ_CHECK(pt_source_read(src, addr, want, st->size) == PT_READ_OK,
		 "printed %s at 0x%llx cannot be read back", st->name, (unsigned long long)addr);
	FZ_CHECK(memcmp(want, got, st->size) == 0,
		 "%s at 0x%llx: JSON raw+fields do not give back its bytes", st->name,
		 (unsigned long long)addr);
}

/* One printed l1 descriptor or entry, parsed by jansson: its index and
 * address, and its "raw" and "fields" rebuild the bytes at that address. */
static inline void fz_check_item(const json_t *item, const struct pt_struct *st,
				 const char *id_key, struct pt_source *src)
{
	uint8_t got[PT_MAX_ENTRY_SIZE];
	uint64_t addr;
	char err[256];
	FZ_CHECK(json_is_integer(json_object_get(item, id_key)), "%s missing", id_key);
	FZ_CHECK(pt_json_u64(json_object_get(item, "address"), &addr) == 0, "bad address");
	memset(got, 0, sizeof got);
	FZ_CHECK(pt_struct_from_json(st, item, got, err, sizeof err) == 0,
		 "printed %s does not parse back: %s", st->name, err);
	fz_check_item_bytes(st, addr, got, src);
}

/* ---- decode --json read back a value at a time ----
 * Parsing the whole document with jansson cost a dozen allocations per
 * field (most of each exec in cdtable and strtab, under ASan); the library's
 * streamed reader (core/json_stream.c) checks the punctuation between
 * values, and each value is parsed on its own. */

#define FZ_JS_CHECK(s, ok, what)                                                        \
	FZ_CHECK((ok), "decode --json printed invalid JSON at %s (line %lu col %lu: %s)", \
		 (what), (s)->err_line, (s)->err_column, (s)->err)

/* Keys of one object, refused twice (jansson's JSON_REJECT_DUPLICATES). */
struct fz_keys {
	char *k[32];
	size_t n;
};

static inline void fz_keys_add(struct fz_keys *ks, char *key)
{
	for (size_t i = 0; i < ks->n; i++)
		FZ_CHECK(strcmp(ks->k[i], key) != 0, "duplicate key \"%s\"", key);
	FZ_CHECK(ks->n < sizeof ks->k / sizeof ks->k[0], "more than %zu keys",
		 sizeof ks->k / sizeof ks->k[0]);
	ks->k[ks->n++] = key;
}

static inline void fz_keys_free(struct fz_keys *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		free(ks->k[i]);
	ks->n = 0;
}

/* Any value, parsed by jansson and dropped. */
static inline void fz_js_skip_value(struct pt_jstream *s, const char *what)
{
	json_t *v = pt_js_value(s);
	FZ_JS_CHECK(s, v != NULL, what);
	json_decref(v);
}

/* The next item of an "l1" or entries array. Past the first
 * FZ_CHECK_ITEMS_MAX, the fast reader reads it when it can. */
static inline void fz_js_item(struct pt_jstream *s, const struct pt_struct *st,
			      const char *id_key, size_t i, struct pt_source *src)
{
	static struct pt_item_text it;
	if (!st) {
		fz_js_skip_value(s, "an item");
		return;
	}
	if (i >= FZ_CHECK_ITEMS_MAX) {
		const char *text;
		size_t avail;
		FZ_JS_CHECK(s, pt_js_window(s, FZ_ITEM_WINDOW, &text, &avail) == 0, "an item");
		size_t used = pt_item_text_read(st, id_key, text, avail, &it);
		uint8_t got[PT_MAX_ENTRY_SIZE];
		memset(got, 0, sizeof got);
		if (used && it.has_address && pt_item_text_apply(st, &it, got) == 0) {
			fz_check_item_bytes(st, it.address, got, src);
			pt_js_skip(s, used);
			return;
		}
	}
	json_t *item = pt_js_value(s);
	FZ_JS_CHECK(s, item != NULL, "an item");
	fz_check_item(item, st, id_key, src);
	json_decref(item);
}

/* An array of items; returns how many. */
static inline uint64_t fz_js_items(struct pt_jstream *s, const struct pt_struct *st,
				   const char *id_key, struct pt_source *src)
{
	size_t n = 0;
	int rc;
	FZ_JS_CHECK(s, pt_js_expect(s, '[', "'[' expected") == 0, "an array");
	while ((rc = pt_js_item(s, &n)) == 1)
		fz_js_item(s, st, id_key, n - 1, src);
	FZ_JS_CHECK(s, rc == 0, "an array");
	return n;
}

/* One table object: its format before its arrays (decode prints the
 * settings first); returns the items of its "l1" and entries arrays. */
static inline uint64_t fz_js_table(struct pt_jstream *s, size_t ti, struct pt_source *src)
{
	struct fz_keys ks = { .n = 0 };
	const struct pt_format *fmt = NULL;
	uint64_t items = 0;
	size_t n = 0;
	char *key;
	int rc;
	FZ_JS_CHECK(s, pt_js_expect(s, '{', "'{' expected") == 0, "a table");
	while ((rc = pt_js_member(s, &n, &key)) == 1) {
		fz_keys_add(&ks, key);
		if (strcmp(key, "format") == 0) {
			json_t *v = pt_js_value(s);
			FZ_JS_CHECK(s, v != NULL, "a table's format");
			const char *name = json_string_value(v);
			fmt = name ? pt_format_find(name) : NULL;
			json_decref(v);
			FZ_CHECK(fmt, "table %zu names no known format", ti);
		} else if (pt_js_peek(s) == '[' && fmt &&
			   (strcmp(key, "l1") == 0 || strcmp(key, pt_format_entries_key(fmt)) == 0)) {
			int l1 = strcmp(key, "l1") == 0;
			items += fz_js_items(s, l1 ? fmt->dir : fmt->entry,
					     l1 ? "index" : pt_format_index_name(fmt), src);
		} else {
			FZ_CHECK(fmt || pt_js_peek(s) != '[', "table %zu: \"%s\" before its format",
				 ti, key);
			fz_js_skip_value(s, key);
		}
	}
	FZ_JS_CHECK(s, rc == 0, "a table");
	FZ_CHECK(fmt, "table %zu names no known format", ti);
	fz_keys_free(&ks);
	return items;
}

/* The decode --json text is one object with a "tables" and a "diagnostics"
 * array, holds `items` l1 descriptors and entries in all, and each gives
 * back the bytes at its address. */
static inline void fz_check_decoded(const char *buf, size_t len, struct pt_source *src,
				    uint64_t items)
{
	FZ_CHECK(len > 0, "decode --json printed nothing");
	FILE *f = fmemopen((void *)(uintptr_t)buf, len, "r");
	if (!f)
		abort();
	struct pt_jstream s;
	pt_js_init(&s, f, len + 1);
	struct fz_keys ks = { .n = 0 };
	int tables = 0, diagnostics = 0, rc;
	uint64_t seen = 0;
	size_t n = 0;
	char *key;
	FZ_JS_CHECK(&s, pt_js_expect(&s, '{', "'{' expected") == 0, "the document");
	while ((rc = pt_js_member(&s, &n, &key)) == 1) {
		fz_keys_add(&ks, key);
		if (strcmp(key, "tables") == 0) {
			size_t ti = 0;
			int r;
			tables = 1;
			FZ_JS_CHECK(&s, pt_js_expect(&s, '[', "'[' expected") == 0, "tables");
			while ((r = pt_js_item(&s, &ti)) == 1)
				seen += fz_js_table(&s, ti - 1, src);
			FZ_JS_CHECK(&s, r == 0, "tables");
		} else {
			json_t *v = pt_js_value(&s);
			FZ_JS_CHECK(&s, v != NULL, key);
			if (strcmp(key, "diagnostics") == 0)
				diagnostics = json_is_array(v);
			json_decref(v);
		}
	}
	FZ_JS_CHECK(&s, rc == 0 && pt_js_end(&s) == 0, "the document");
	FZ_CHECK(tables, "no \"tables\" array");
	FZ_CHECK(diagnostics, "no diagnostics array");
	FZ_CHECK(seen == items, "printed %llu items, the JSON holds %llu",
		 (unsigned long long)items, (unsigned long long)seen);
	fz_keys_free(&ks);
	pt_js_free(&s);
	fclose(f);
}

/* Every finding counted was stored, folded into a stored one, or dropped. */
static inline void fz_check_counts(const struct pt_diag_sink *diags)
{
	uint64_t reported = diags->counts[PT_SEV_NOTE] + diags->counts[PT_SEV_WARNING] +
			    diags->counts[PT_SEV_ERROR];
	uint64_t kept = diags->dropped;
	for (uint32_t i = 0; i < diags->nitems; i++)
		kept += 1u + diags->items[i].repeat;
	FZ_CHECK(reported == kept, "%llu findings counted, %llu kept",
		 (unsigned long long)reported, (unsigned long long)kept);
}

/* ---- build, as cmd_build does it: every table of "tables", in order ---- */

#define FZ_BUILD_MAX_TABLES 8u

struct fz_build {
	struct pt_built_table tables[FZ_BUILD_MAX_TABLES];
	struct pt_table_cfg cfg[FZ_BUILD_MAX_TABLES];
	size_t ncfg;
	char err[512];
};

/* 0 when every table was built, -1 when one failed (the error is in
 * b->err, as `pasidtool build` would print it), 1 when the description is
 * beyond the harness's budget (more tables than FZ_BUILD_MAX_TABLES, or a
 * table of more than max_entries entries or max_root root bytes). The
 * building is the library's pt_build_spec, the code `pasidtool build` runs,
 * stream-table short forms and nested CD tables included. */
static inline int fz_build_spec(json_t *spec, struct pt_image *img, struct fz_build *b,
				uint64_t max_entries, uint64_t max_root)
{
	b->ncfg = 0;
	b->err[0] = '\0';
	const json_t *tables = json_object_get(spec, "tables");
	if (json_is_array(tables) && json_array_size(tables) > FZ_BUILD_MAX_TABLES)
		return 1;
	struct pt_build_limits lim = { max_entries, max_root };
	size_t n = 0;
	int rc = pt_build_spec(img, spec, &lim, b->tables, FZ_BUILD_MAX_TABLES, &n, b->err,
			       sizeof b->err);
	for (size_t i = 0; i < n; i++)
		b->cfg[i] = b->tables[i].cfg;
	b->ncfg = n;
	return rc;
}

/* Regions of a built image are disjoint, counted in total, and found again
 * by pt_image_at. */
static inline void fz_check_image(const struct pt_image *img)
{
	uint64_t total = 0;
	for (size_t i = 0; i < img->n; i++) {
		const struct pt_image_region *r = &img->regions[i];
		FZ_CHECK(r->size && r->addr + (r->size - 1) >= r->addr, "region %zu wraps", i);
		FZ_CHECK(pt_image_at(img, r->addr, r->size) == r->data, "region %zu not found", i);
		for (size_t j = 0; j < i && img->n <= 512; j++) {
			const struct pt_image_region *q = &img->regions[j];
			FZ_CHECK(r->addr - q->addr >= q->size && q->addr - r->addr >= r->size,
				 "regions %zu and %zu overlap", j, i);
		}
		total += r->size;
	}
	FZ_CHECK(total == img->total, "image total 0x%llx, regions add up to 0x%llx",
		 (unsigned long long)img->total, (unsigned long long)total);
}

/* Every field name, enum name, layout and format name the library knows:
 * tokens for the JSON mutator (the same tables gendict prints). */
struct fz_words {
	const char *w[1024];
	size_t n;
};

static inline void fz_words_add(struct fz_words *ws, const char *s)
{
	if (!s || ws->n >= sizeof ws->w / sizeof ws->w[0])
		return;
	for (size_t i = 0; i < ws->n; i++)
		if (strcmp(ws->w[i], s) == 0)
			return;
	ws->w[ws->n++] = s;
}

static inline void fz_words_struct(struct fz_words *ws, const struct pt_struct *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		fz_words_add(ws, f->name);
		for (unsigned e = 0; f->enums && e < f->nenums; e++)
			fz_words_add(ws, f->enums[e]);
	}
}

static inline const struct fz_words *fz_words(void)
{
	static struct fz_words ws;
	if (ws.n)
		return &ws;
	fz_init();
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		fz_words_add(&ws, fmt->name);
		for (size_t l = 0; l < fmt->nlayouts; l++)
			fz_words_add(&ws, fmt->layouts[l].name);
		fz_words_struct(&ws, fmt->entry);
		fz_words_struct(&ws, fmt->dir);
	}
	for (size_t i = 0; i < pt_struct_extra_count(); i++)
		fz_words_struct(&ws, pt_struct_extra_at(i));
	return &ws;
}

#endif
