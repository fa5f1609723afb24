/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seeded property tests: thousands of random CDs (encode -> decode gives back
 * every field, decode -> encode every bit) and random table shapes (build ->
 * walk -> build gives back every byte of every table). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "emit.h"
#include "formats.h"
#include "image.h"
#include "smmuv3.h"

#define SEED UINT64_C(0x5eed5eed12345678)

static uint64_t rng = SEED;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t below(uint64_t n)
{
	return n ? next() % n : 0;
}

static void random_bytes(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next();
}

static void cd_encode_decode_gives_every_field(void **state)
{
	(void)state;
	for (int iter = 0; iter < 5000; iter++) {
		uint8_t cd[64] = { 0 };
		uint64_t want[CD_NFIELDS];
		for (size_t i = 0; i < CD_NFIELDS; i++) {
			const struct pt_field *f = &smmu_cd_fields[i];
			uint64_t v = next() & pt_field_max(f);
			if (f->kind == PT_FK_ADDR)
				v <<= f->shift;
			want[i] = v;
			assert_int_equal(pt_field_set(cd, f, v), 0);
		}
		for (size_t i = 0; i < CD_NFIELDS; i++)
			if (pt_field_get(cd, &smmu_cd_fields[i]) != want[i])
				fail_msg("iteration %d: field %s", iter, smmu_cd_fields[i].name);
	}
}

static void cd_decode_encode_gives_every_bit(void **state)
{
	(void)state;
	for (int iter = 0; iter < 5000; iter++) {
		uint8_t in[64], out[64] = { 0 };
		random_bytes(in, sizeof in);
		for (size_t i = 0; i < CD_NFIELDS; i++)
			pt_field_set(out, &smmu_cd_fields[i], pt_field_get(in, &smmu_cd_fields[i]));
		if (memcmp(in, out, sizeof in) != 0)
			fail_msg("iteration %d: bytes differ", iter);
	}
}

/* JSON text through jansson: what a decode prints, what build reads. */
static json_t *entry_json(const struct pt_struct *st, const char *key, uint64_t id,
			  const uint8_t *raw)
{
	json_t *j = json_object();
	json_object_set_new(j, key, json_integer((json_int_t)id));
	json_object_set_new(j, "raw", st->size == 8 ? pt_json_hex(pt_le64(raw, 0))
						     : pt_struct_raw_json(st, raw));
	json_object_set_new(j, "fields", pt_struct_fields_json(st, raw));
	return j;
}

static int nonzero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 1;
	return 0;
}

struct collect {
	json_t *l1, *entries;
};

static int on_dir(struct pt_walk *w, uint32_t index, uint64_t addr, const uint8_t *raw,
		  const struct pt_dir_view *dv)
{
	(void)addr;
	(void)dv;
	struct collect *c = w->user;
	if (nonzero(raw, w->cfg->fmt->dir->size)) {
		json_t *j = entry_json(w->cfg->fmt->dir, "index", index, raw);
		json_array_append_new(c->l1, j);
	}
	return 0;
}

static int on_entry(struct pt_walk *w, uint32_t ssid, uint64_t addr, const uint8_t *raw)
{
	(void)addr;
	struct collect *c = w->user;
	if (nonzero(raw, w->cfg->fmt->entry->size))
		json_array_append_new(c->entries, entry_json(w->cfg->fmt->entry, "ssid", ssid, raw));
	return 0;
}

static const struct pt_walk_ops collect_ops = { NULL, on_dir, on_entry };

static json_t *random_table(struct pt_table_cfg *cfg)
{
	const struct pt_format *fmt = &smmu_cd_format;
	cfg->fmt = fmt;
	cfg->layout = &fmt->layouts[below(fmt->nlayouts)];
	cfg->ssid_bits = (unsigned)below(13);
	cfg->base = (below(64) + 1) << 20;
	json_t *t = json_object();
	json_object_set_new(t, "format", json_string(fmt->name));
	json_object_set_new(t, "layout", json_string(cfg->layout->name));
	json_object_set_new(t, "base", pt_json_hex(cfg->base));
	json_object_set_new(t, "ssid_bits", json_integer(cfg->ssid_bits));
	json_t *entries = json_array();
	uint64_t n = below(20);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t raw[64];
		random_bytes(raw, sizeof raw);
		json_array_append_new(entries, entry_json(fmt->entry, "ssid",
							  below(UINT64_C(1) << cfg->ssid_bits), raw));
	}
	json_object_set_new(t, "entries", entries);
	return t;
}

static void image_source(const struct pt_image *img, struct pt_source *src)
{
	pt_source_init(src, "image");
	for (size_t i = 0; i < img->n; i++) {
		int f = pt_source_add_buffer(src, "image", img->regions[i].data,
					     (size_t)img->regions[i].size);
		assert_true(f >= 0);
		assert_int_equal(pt_source_add_range(src, img->regions[i].addr, img->regions[i].size,
						     (uint32_t)f, 0, img->regions[i].size), 0);
	}
	assert_int_equal(pt_source_finish(src, NULL), 0);
}

static void images_equal(const struct pt_image *a, const struct pt_image *b)
{
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const uint8_t *p = pt_image_at(b, a->regions[i].addr, a->regions[i].size);
		assert_non_null(p);
		assert_memory_equal(a->regions[i].data, p, a->regions[i].size);
	}
}

static void table_build_walk_build_gives_every_byte(void **state)
{
	(void)state;
	pt_formats_init();
	for (int iter = 0; iter < 1500; iter++) {
		struct pt_table_cfg cfg;
		memset(&cfg, 0, sizeof cfg);
		json_t *spec = random_table(&cfg);
		struct pt_image a, b;
		pt_image_init(&a);
		pt_image_init(&b);
		char err[256];
		if (pt_build_table(&a, &cfg, spec, err, sizeof err) != 0)
			fail_msg("iteration %d: build: %s", iter, err);

		struct pt_source src;
		image_source(&a, &src);
		struct collect c = { json_array(), json_array() };
		struct pt_diag_sink diags;
		pt_diag_init(&diags, "image", NULL);
		struct pt_walk w;
		memset(&w, 0, sizeof w);
		w.cfg = &cfg;
		w.src = &src;
		w.diags = &diags;
		w.ops = &collect_ops;
		w.user = &c;
		assert_int_equal(pt_walk_run(&w), 0);
		assert_int_equal(diags.counts[PT_SEV_ERROR], 0);

		json_t *again = json_object();
		json_object_set_new(again, "format", json_string(cfg.fmt->name));
		json_object_set_new(again, "layout", json_string(cfg.layout->name));
		json_object_set_new(again, "base", pt_json_hex(cfg.base));
		json_object_set_new(again, "ssid_bits", json_integer(cfg.ssid_bits));
		if (cfg.layout->nlevels > 1)
			json_object_set_new(again, "l1", c.l1);
		else
			json_decref(c.l1);
		json_object_set_new(again, "entries", c.entries);
		/* Through text, as decode --json | build goes. */
		char *text = json_dumps(again, JSON_COMPACT);
		json_t *parsed = json_loads(text, 0, NULL);
		assert_non_null(parsed);
		if (pt_build_table(&b, &cfg, parsed, err, sizeof err) != 0)
			fail_msg("iteration %d: rebuild: %s", iter, err);
		images_equal(&a, &b);

		free(text);
		json_decref(parsed);
		json_decref(again);
		json_decref(spec);
		pt_diag_free(&diags);
		pt_source_free(&src);
		pt_image_free(&a);
		pt_image_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cd_encode_decode_gives_every_field),
		cmocka_unit_test(cd_decode_encode_gives_every_bit),
		cmocka_unit_test(table_build_walk_build_gives_every_byte),
	};
	printf("# property tests, seed 0x%llx\n", (unsigned long long)SEED);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
