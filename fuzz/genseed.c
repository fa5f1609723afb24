/* SPDX-License-Identifier: GPL-2.0-or-later */
/* genseed OUTDIR [TESTDATA]: write the seed corpora of every harness into
 * OUTDIR/NAME/seed-*, deterministically:
 *   - tables of every format and layout built with the library (pt_build),
 *     as the cdtable/strtab header + image, as ELF cores (pt_image_write_elf),
 *     as the hand-written description and as decode --json of the image
 *     (buildjson, build_roundtrip), their entries for cd_roundtrip, and the
 *     ATTACH_TABLE/INVALIDATE requests a guest sends for them (viommu);
 *   - the samples of TESTDATA (default testdata): the images of
 *     testdata/{cd,strtab}/cases with the table shape their arguments give,
 *     the request files of testdata/attach/cases, the ELF cores, and the
 *     JSON specs and decode outputs. Images above MAX_SEED bytes are left
 *     out so the committed corpora stay small.
 * Run by fuzz/gen-seeds.sh (make fuzz-seeds). */
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "elf_write.h"
#include "fuzz.h"
#include "smmuv3.h"
#include "viommu.h"

#include "../tests/tools/kdump_gen.h"

#define MAX_SEED (64u * 1024u + 4096u)

static const char *outdir;
static unsigned nseeds;

static void put(const char *harness, const char *name, const void *bytes, size_t len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", outdir, harness);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/%s/seed-%s", outdir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "genseed: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	nseeds++;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *n = realloc(buf, cap);
			if (!n)
				break;
			buf = n;
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		if (got == 0)
			break;
		*len += got;
	}
	fclose(f);
	return buf;
}

/* ---- images built by the library ---- */

/* [lo, end) of an image as one flat buffer, gaps zero. */
static uint8_t *flatten(const struct pt_image *img, uint64_t *lo, size_t *len)
{
	uint64_t end;
	pt_image_extent(img, lo, &end);
	*len = (size_t)(end - *lo);
	uint8_t *buf = calloc(1, *len ? *len : 1);
	for (size_t i = 0; buf && i < img->n; i++)
		memcpy(buf + (img->regions[i].addr - *lo), img->regions[i].data,
		       img->regions[i].size);
	return buf;
}

static char *decode_json(const struct pt_image *img, const struct pt_table_cfg *cfgs, size_t n,
			 size_t *len)
{
	struct pt_source src;
	pt_source_init(&src, "seed");
	for (size_t i = 0; i < img->n; i++) {
		int f = pt_source_add_buffer(&src, "seed", img->regions[i].data, img->regions[i].size);
		if (f >= 0)
			pt_source_add_range(&src, img->regions[i].addr, img->regions[i].size,
					    (uint32_t)f, 0, img->regions[i].size);
	}
	pt_source_finish(&src, NULL);
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	struct pt_diag_sink diags;
	pt_diag_init(&diags, "seed", NULL);
	struct fz_decode d;
	memset(&d, 0, sizeof d);
	d.emit.out = out;
	d.emit.json = 1;
	json_t *source = json_object();
	json_object_set_new(source, "kind", json_string("raw"));
	pt_emit_begin(&d.emit, "pasidtool.decode/1", source);
	for (size_t i = 0; i < n; i++) {
		struct pt_walk w;
		fz_decode_table(&d, &w, &src, &cfgs[i], &diags);
	}
	pt_emit_end(&d.emit, &diags, NULL);
	fclose(out);
	pt_diag_free(&diags);
	pt_source_free(&src);
	return buf;
}

/* A hand-written description: entries with a few fields set from the
 * field table (enum fields cycled through their names). */
static json_t *describe(const struct pt_format *fmt, const struct pt_layout *layout,
			uint64_t base, unsigned bits, unsigned variant)
{
	json_t *t = json_object();
	json_object_set_new(t, "format", json_string(fmt->name));
	json_object_set_new(t, "layout", json_string(layout->name));
	json_object_set_new(t, "base", pt_json_hex(base));
	char key[32];
	snprintf(key, sizeof key, "%s_bits", pt_format_index_name(fmt));
	json_object_set_new(t, key, json_integer(bits));
	json_t *entries = json_array();
	uint64_t n = UINT64_C(1) << bits;
	uint64_t idx[3] = { 0, n > 1 ? 1 : 0, n - 1 };
	for (int k = 0; k < 3; k++) {
		if (k && idx[k] == idx[k - 1])
			continue;
		json_t *e = json_object();
		json_object_set_new(e, pt_format_index_name(fmt), json_integer((json_int_t)idx[k]));
		json_t *fields = json_object();
		unsigned nenum = 0;
		for (size_t i = 0; i < fmt->entry->nfields; i++) {
			const struct pt_field *f = &fmt->entry->fields[i];
			if (f->kind != PT_FK_ENUM || f->nenums == 0)
				continue;
			if ((nenum++ + variant + (unsigned)k) % 3 != 0)
				continue;
			const char *name = f->enums[(variant + (unsigned)k) % f->nenums];
			if (name)
				json_object_set_new(fields, f->name, json_string(name));
		}
		const struct pt_field *asid = pt_struct_field(fmt->entry, "asid");
		if (asid)
			json_object_set_new(fields, "asid", json_integer((json_int_t)(idx[k] + 1)));
		json_object_set_new(e, "fields", fields);
		json_array_append_new(entries, e);
	}
	json_object_set_new(t, pt_format_entries_key(fmt), entries);
	json_t *tables = json_array();
	json_array_append_new(tables, t);
	json_t *root = json_object();
	json_object_set_new(root, "tables", tables);
	return root;
}

static void cd_roundtrip_seeds(const char *tag, const uint8_t *raw, size_t size,
			       const struct pt_struct *st)
{
	size_t which = 0, total = 0;
	/* The selector byte fuzz_cd_roundtrip.c uses: formats' entry and dir
	 * first, then the extra structures, each once. */
	const struct pt_struct *all[256];
	for (size_t i = 0; i < pt_format_count(); i++) {
		all[total++] = pt_format_at(i)->entry;
		if (pt_format_at(i)->dir)
			all[total++] = pt_format_at(i)->dir;
	}
	for (size_t i = 0; i < pt_struct_extra_count() && total < 256; i++)
		all[total++] = pt_struct_extra_at(i);
	for (size_t i = 0; i < total; i++)
		if (all[i] == st)
			which = i;
	uint8_t buf[1 + PT_MAX_ENTRY_SIZE];
	buf[0] = (uint8_t)which;
	memcpy(buf + 1, raw, size);
	put("cd_roundtrip", tag, buf, 1 + size);
}

/* One table of `fmt`: built, then written as seeds for every harness that
 * reads tables. */
static void table_seeds(const struct pt_format *fmt, size_t l, unsigned bits, unsigned variant)
{
	const struct pt_layout *layout = &fmt->layouts[l];
	uint64_t base = UINT64_C(0x80000000) + (uint64_t)variant * 0x100000;
	json_t *spec = describe(fmt, layout, base, bits, variant);
	struct pt_image img;
	struct fz_build b;
	pt_image_init(&img);
	if (fz_build_spec(spec, &img, &b, UINT64_MAX, UINT64_MAX) != 0) {
		fprintf(stderr, "genseed: %s %s %u bits: %s\n", fmt->name, layout->name, bits, b.err);
		exit(1);
	}
	char tag[128];
	snprintf(tag, sizeof tag, "%s-%s-%u-%u", fmt->name, layout->name, bits, variant);
	char *text = json_dumps(spec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	put("buildjson", tag, text, strlen(text));
	put("build_roundtrip", tag, text, strlen(text));
	free(text);
	size_t jlen;
	char *dec = decode_json(&img, b.cfg, b.ncfg, &jlen);
	char dtag[160];
	snprintf(dtag, sizeof dtag, "%s-decoded", tag);
	put("buildjson", dtag, dec, jlen);
	put("build_roundtrip", dtag, dec, jlen);
	free(dec);

	uint64_t lo;
	size_t len;
	uint8_t *flat = flatten(&img, &lo, &len);
	if (flat && len <= MAX_SEED) {
		uint8_t *seed = malloc(FZ_CD_HDR_SIZE + len);
		if (fmt != &smmu_strtab_format) {
			unsigned fi = 0;
			for (size_t k = 0; k < pt_format_count(); k++)
				if (pt_format_at(k) == fmt)
					fi = (unsigned)k;
			struct fz_cd_hdr h;
			memset(&h, 0, sizeof h);
			h.flags = (uint8_t)l;
			if (variant & 1)
				h.flags |= FZ_CD_TEXT | FZ_CD_STE;
			if (variant & 2)
				h.flags |= FZ_CD_ONE_SSID;
			h.ssid_bits = (uint8_t)bits;
			h.caps = (uint8_t)(variant % FZ_NCAPS | fi << 4);
			h.ste = (uint8_t)(variant * 0x25);
			h.ssid = variant & 2 ? 1 : 0;
			h.base = lo;
			h.table_off = base - lo;
			fz_cd_hdr_write(seed, &h);
			memcpy(seed + FZ_CD_HDR_SIZE, flat, len);
			put("cdtable", tag, seed, FZ_CD_HDR_SIZE + len);
		} else if (fmt == &smmu_strtab_format) {
			uint8_t regs[8];
			pt_put_le64(regs, 0, 0);
			const struct pt_field *lf = &smmu_strtab_cfg_fields[STRTAB_CFG_LOG2SIZE];
			pt_field_set(regs, lf, bits);
			pt_field_set(regs, &smmu_strtab_cfg_fields[STRTAB_CFG_FMT],
				     l == SMMU_STRTAB_LINEAR ? 0 : 1);
			pt_field_set(regs, &smmu_strtab_cfg_fields[STRTAB_CFG_SPLIT],
				     layout->nlevels > 1 ? layout->leaf_bits : 0);
			seed[0] = (uint8_t)(0x10 | (variant & 2 ? 2 : 0) | 0x20);
			seed[1] = (uint8_t)(variant % FZ_NCAPS);
			seed[2] = seed[3] = 0;
			fz_put(seed + 4, variant & 2 ? 1 : 0, 4);
			fz_put(seed + 8, lo, 8);
			fz_put(seed + 16, base - lo, 8);
			fz_put(seed + 24, pt_le64(regs, 0), 8);
			memcpy(seed + 32, flat, len);
			put("strtab", tag, seed, 32 + len);
		}
		free(seed);
	}
	free(flat);
	if (img.n && img.regions[0].size >= fmt->entry->size) {
		/* The last entry the description wrote, for the field round trip. */
		const struct pt_image_region *r = &img.regions[img.n - 1];
		cd_roundtrip_seeds(tag, r->data + r->size - fmt->entry->size, fmt->entry->size,
				   fmt->entry);
	}
	char path[600];
	snprintf(path, sizeof path, "%s/elf", outdir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/elf/seed-%s", outdir, tag);
	char err[256];
	if (img.total <= MAX_SEED && pt_image_write_elf(&img, path, err, sizeof err) != 0) {
		fprintf(stderr, "genseed: %s: %s\n", path, err);
		exit(1);
	}
	nseeds++;
	/* What a virtio-iommu guest sends for a CD table: ATTACH_TABLE in every
	 * variant, the INVALIDATEs after changing SSIDs 0 and 1, and the table
	 * as the dump. */
	if (fmt == &smmu_cd_format && img.total <= MAX_SEED) {
		for (unsigned v = 0; v < PT_VV_COUNT; v++) {
			const struct pt_viommu_variant_desc *vd = pt_viommu_variant((enum pt_viommu_variant)v);
			uint8_t req[4096];
			size_t rlen = 0, ilen = 0;
			if (pt_viommu_attach_from_cfg(&b.cfg[0], 1, 0, vd->name, req, sizeof req,
						      &rlen) != 0)
				continue;
			uint32_t ssids[2] = { 0, 1 };
			if (pt_viommu_invalidations(&b.cfg[0], 1, vd->name, ssids, 2, req + rlen,
						    sizeof req - rlen, &ilen) != 0)
				ilen = 0;
			uint64_t dlo;
			size_t dlen;
			uint8_t *dump = flatten(&img, &dlo, &dlen);
			if (!dump || dlen > MAX_SEED / 2) {
				free(dump);
				continue;
			}
			size_t n = 16 + rlen + ilen + dlen;
			uint8_t *seed = malloc(n);
			seed[0] = (uint8_t)(v | 0x20 | (variant & 1 ? 0x40 : 0));
			seed[1] = (uint8_t)variant;
			fz_put(seed + 2, 0, 2);
			fz_put(seed + 4, rlen + ilen, 2);
			fz_put(seed + 6, 0, 2);
			fz_put(seed + 8, dlo, 8);
			memcpy(seed + 16, req, rlen + ilen);
			memcpy(seed + 16 + rlen + ilen, dump, dlen);
			char vtag[200];
			snprintf(vtag, sizeof vtag, "%s-%s", tag, vd->name);
			put("viommu", vtag, seed, n);
			/* The same requests as attach decode --json prints them, for
			 * attach build. */
			struct pt_viommu_ctx ctx = { (enum pt_viommu_variant)v,
						     PT_VIOMMU_DEFAULT_PROBE_SIZE, 0 };
			struct pt_diag_sink diags;
			pt_diag_init(&diags, "seed", NULL);
			json_t *reqs = json_array();
			for (size_t off = 0; off < rlen + ilen;) {
				struct pt_viommu_req q;
				if (pt_viommu_next(&ctx, req + off, rlen + ilen - off, off, &q, &diags) != 0)
					break;
				json_array_append_new(reqs, pt_viommu_json(&ctx, &q));
				off += q.size;
			}
			pt_diag_free(&diags);
			json_t *doc = json_object();
			json_object_set_new(doc, "requests", reqs);
			char *jt = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
			put("viommu_build", vtag, jt, strlen(jt));
			free(jt);
			json_decref(doc);
			free(seed);
			free(dump);
		}
	}
	pt_image_free(&img);
	json_decref(spec);
}

static void generated(void)
{
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		for (size_t l = 0; l < fmt->nlayouts; l++) {
			unsigned lb = fmt->layouts[l].leaf_bits;
			if (fmt->layouts[l].nlevels <= 1) {
				table_seeds(fmt, l, 0, 0);
				table_seeds(fmt, l, 3, 1);
				table_seeds(fmt, l, 5, 2);
			} else if (lb <= 8) {
				table_seeds(fmt, l, lb + 1, 0);
				table_seeds(fmt, l, lb > 2 ? lb - 2 : 1, 3);
			} else {
				table_seeds(fmt, l, 4, 0);
			}
		}
	}
	/* Every structure's defaults or zeros, for cd_roundtrip. */
	for (size_t i = 0; i < pt_struct_extra_count(); i++) {
		const struct pt_struct *st = pt_struct_extra_at(i);
		uint8_t raw[PT_MAX_ENTRY_SIZE];
		memset(raw, 0xa5, sizeof raw);
		if (st->size <= sizeof raw)
			cd_roundtrip_seeds(st->name, raw, st->size, st);
	}
}

/* ---- testdata ---- */

/* The value after `opt` in an argument line, or NULL. */
static const char *arg(const char *line, const char *opt, char *buf, size_t len)
{
	size_t n = strlen(opt);
	for (const char *p = strstr(line, opt); p; p = strstr(p + 1, opt)) {
		if ((p != line && p[-1] != ' ' && p[-1] != '\t') || (p[n] != ' ' && p[n] != '='))
			continue;
		p += n + 1;
		size_t k = 0;
		while (p[k] && p[k] != ' ' && p[k] != '\t' && p[k] != '\n' && k + 1 < len) {
			buf[k] = p[k];
			k++;
		}
		buf[k] = '\0';
		return buf;
	}
	return NULL;
}

static uint64_t num(const char *s, uint64_t dflt)
{
	uint64_t v;
	return s && pt_parse_u64(s, &v) == 0 ? v : dflt;
}

static size_t caps_index(const char *caps)
{
	for (size_t i = 0; caps && i < FZ_NCAPS; i++)
		if (strcmp(fz_caps_specs[i], caps) == 0)
			return i;
	return 0;
}

static void testdata_cd(const char *td)
{
	char path[512], line[1024], buf[128];
	snprintf(path, sizeof path, "%s/cd/cases", td);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char name[128];
		if (line[0] == '#' || sscanf(line, "%127s", name) != 1)
			continue;
		snprintf(path, sizeof path, "%s/cd/%s.bin", td, name);
		size_t len;
		uint8_t *img = slurp(path, &len);
		if (!img || len > MAX_SEED) {
			free(img);
			continue;
		}
		const struct pt_format *fmt = &smmu_cd_format;
		const char *lay = arg(line, "--layout", buf, sizeof buf);
		const struct pt_layout *layout = lay ? pt_format_layout(fmt, lay) : &fmt->layouts[0];
		struct fz_cd_hdr h;
		memset(&h, 0, sizeof h);
		h.flags = (uint8_t)(layout ? layout - fmt->layouts : 0);
		h.ssid_bits = (uint8_t)num(arg(line, "--ssid-bits", buf, sizeof buf), 0);
		h.base = num(arg(line, "--base", buf, sizeof buf), 0);
		h.caps = (uint8_t)caps_index(arg(line, "--caps", buf, sizeof buf));
		uint8_t *seed = malloc(FZ_CD_HDR_SIZE + len);
		fz_cd_hdr_write(seed, &h);
		memcpy(seed + FZ_CD_HDR_SIZE, img, len);
		char tag[160];
		snprintf(tag, sizeof tag, "testdata-cd-%s", name);
		put("cdtable", tag, seed, FZ_CD_HDR_SIZE + len);
		free(seed);
		free(img);
	}
	fclose(f);
}

static void testdata_strtab(const char *td)
{
	char path[512], line[1024], buf[128];
	snprintf(path, sizeof path, "%s/strtab/cases", td);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char name[128], image[128];
		if (line[0] == '#' || sscanf(line, "%127s %127s", name, image) != 2)
			continue;
		snprintf(path, sizeof path, "%s/strtab/%s", td, image);
		size_t len;
		uint8_t *img = slurp(path, &len);
		if (!img || len > MAX_SEED || (len >= 4 && memcmp(img, "\177ELF", 4) == 0)) {
			free(img);
			continue;
		}
		uint64_t base = num(arg(line, "--base", buf, sizeof buf), 0);
		uint8_t *seed = malloc(32 + len);
		seed[0] = 0x10;
		seed[1] = (uint8_t)caps_index(arg(line, "--caps", buf, sizeof buf));
		seed[2] = seed[3] = 0;
		fz_put(seed + 4, 0, 4);
		fz_put(seed + 8, base, 8);
		fz_put(seed + 16, num(arg(line, "--strtab", buf, sizeof buf), 0), 8);
		fz_put(seed + 24, num(arg(line, "--strtab-cfg", buf, sizeof buf), 0), 8);
		memcpy(seed + 32, img, len);
		char tag[160];
		snprintf(tag, sizeof tag, "testdata-strtab-%s", name);
		put("strtab", tag, seed, 32 + len);
		free(seed);
		free(img);
	}
	fclose(f);
}

static void testdata_attach(const char *td)
{
	char path[512], line[1024], buf[128];
	snprintf(path, sizeof path, "%s/attach/cases", td);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		char name[128];
		if (line[0] == '#' || sscanf(line, "%127s", name) != 1)
			continue;
		snprintf(path, sizeof path, "%s/attach/%s.bin", td, name);
		size_t len;
		uint8_t *req = slurp(path, &len);
		if (!req || len > 0xffff) {
			free(req);
			continue;
		}
		enum pt_viommu_variant v = PT_VV_RFC1;
		const char *vs = arg(line, "--variant", buf, sizeof buf);
		if (vs)
			pt_viommu_variant_parse(vs, &v);
		uint64_t probe = num(arg(line, "--probe-size", buf, sizeof buf), 0);
		uint8_t *seed = malloc(16 + len);
		seed[0] = (uint8_t)((unsigned)v | (probe ? 8u : 0u) | 0x10u);
		seed[1] = strstr(line, "pasid_bits=10") ? 1 : 0;
		fz_put(seed + 2, probe, 2);
		fz_put(seed + 4, len, 2);
		fz_put(seed + 6, 0, 2);
		fz_put(seed + 8, 0, 8);
		memcpy(seed + 16, req, len);
		char tag[160];
		snprintf(tag, sizeof tag, "testdata-attach-%s", name);
		put("viommu", tag, seed, 16 + len);
		free(seed);
		free(req);
	}
	fclose(f);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && strcmp(s + n - k, suf) == 0;
}

/* ELF cores and JSON table specs anywhere in testdata (one level down). */
static void testdata_files(const char *td)
{
	DIR *top = opendir(td);
	if (!top)
		return;
	struct dirent *d;
	char names[64][128];
	size_t nd = 0;
	while ((d = readdir(top)) != NULL && nd < 64)
		if (d->d_name[0] != '.')
			snprintf(names[nd++], sizeof names[0], "%.120s", d->d_name);
	closedir(top);
	for (size_t i = 0; i < nd; i++) {
		char dir[512];
		snprintf(dir, sizeof dir, "%.300s/%.120s", td, names[i]);
		DIR *sub = opendir(dir);
		if (!sub)
			continue;
		while ((d = readdir(sub)) != NULL) {
			char path[800], tag[300];
			if (d->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%.500s/%.250s", dir, d->d_name);
			snprintf(tag, sizeof tag, "testdata-%.100s-%.150s", names[i], d->d_name);
			size_t len;
			uint8_t *b = slurp(path, &len);
			if (!b)
				continue;
			if (len >= 4 && memcmp(b, "\177ELF", 4) == 0 && len <= MAX_SEED)
				put("elf", tag, b, len);
			else if (strcmp(names[i], "elf") == 0 && len <= MAX_SEED)
				put("elf", tag, b, len); /* hostile non-ELF samples too */
			else if (has_suffix(d->d_name, ".json") && len <= MAX_SEED) {
				json_t *j = json_loadb((const char *)b, len, 0, NULL);
				if (j && json_is_array(json_object_get(j, "tables"))) {
					put("buildjson", tag, b, len);
					put("build_roundtrip", tag, b, len);
				} else if (j && strcmp(names[i], "attach") == 0) {
					put("viommu_build", tag, b, len);
				}
				json_decref(j);
			}
			free(b);
		}
		closedir(sub);
	}
}

/* kdump-compressed files of 1 KiB pages in every layout and method, a
 * split part and a flattened stream (tests/tools/kdump_gen.h). */
static void kdump_seeds(void)
{
	static uint8_t text[1024], noise[1024], zero[1024];
	uint32_t x = 7;
	for (unsigned i = 0; i < sizeof text; i++) {
		text[i] = (uint8_t)("VMCOREINFO page "[i % 16] + i / 128);
		x = x * 1103515245u + 12345u;
		noise[i] = (uint8_t)(x >> 16);
	}
	const struct kg_page pages[] = { { 2, text }, { 3, zero }, { 5, NULL }, { 6, noise },
					 { 40, text } };
	static const struct { const char *tag; enum kg_abi abi; int be; uint32_t method; int zero; }
	variants[] = {
		{ "lp64-zlib-zero", KG_LP64, 0, 1, 1 }, { "lp64-lzo", KG_LP64, 0, 2, 0 },
		{ "i386-snappy-be", KG_I386, 1, 4, 1 }, { "arm-zstd", KG_ARM, 0, 0x20, 0 },
		{ "lp64-none-be", KG_LP64, 1, 0, 1 },
	};
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		struct kg_opts o = { 0 };
		o.abi = variants[v].abi;
		o.be = variants[v].be;
		o.method = variants[v].method;
		o.zero_page = variants[v].zero;
		o.block = 1024;
		o.version = 6;
		o.max_mapnr = 64;
		o.phys_base = 0x40000000;
		o.vmcoreinfo = "OSRELEASE=6.1.0\nPAGESIZE=1024\n";
		uint8_t *buf, *flat;
		size_t len = kg_write(&o, pages, sizeof pages / sizeof pages[0], &buf);
		char tag[64];
		snprintf(tag, sizeof tag, "kdump-%s", variants[v].tag);
		put("kdump", tag, buf, len);
		if (v == 0) {
			size_t flen = kg_flatten(buf, len, 700, &flat);
			put("kdump", "flat-lp64-zlib-zero", flat, flen);
			free(flat);
			o.split = 1;
			o.start_pfn = 6;
			o.end_pfn = 64;
			free(buf);
			len = kg_write(&o, pages, sizeof pages / sizeof pages[0], &buf);
			put("kdump", "kdump-split-part", buf, len);
		}
		free(buf);
	}
}

/* scan: the header (fuzz/fuzz_scan.c) + a dump that holds tables: the
 * bundled guest's, the stream-table and CD samples (raw at their address). */
static void scan_seed(const char *td, const char *file, unsigned flags, uint64_t base)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", td, file);
	size_t len;
	uint8_t *b = slurp(path, &len);
	if (!b || len > MAX_SEED) {
		free(b);
		return;
	}
	uint8_t *seed = calloc(1, 16 + len);
	if (!seed)
		exit(1);
	seed[0] = (uint8_t)flags;
	fz_put(seed + 8, base, 8);
	memcpy(seed + 16, b, len);
	char tag[128];
	snprintf(tag, sizeof tag, "%s", file);
	for (char *c = tag; *c; c++)
		if (*c == '/')
			*c = '-';
	put("scan", tag, seed, 16 + len);
	free(seed);
	free(b);
}

static void scan_seeds(const char *td)
{
	scan_seed(td, "dumps/guest.elf", 0, 0);
	scan_seed(td, "strtab/two-level.elf", 0, 0);
	scan_seed(td, "strtab/two-level.bin", 1, 0);
	scan_seed(td, "strtab/linear.bin", 1, 0);
	scan_seed(td, "cd/linear.bin", 1, 0x40);
	scan_seed(td, "cd/2lvl-4k.bin", 1, 0);
	scan_seed(td, "cd/2lvl-64k.bin", 1, 0);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: genseed OUTDIR [TESTDATA]\n");
		return 2;
	}
	fz_init();
	outdir = argv[1];
	mkdir(outdir, 0777);
	const char *td = argc > 2 ? argv[2] : "testdata";
	generated();
	testdata_cd(td);
	testdata_strtab(td);
	testdata_attach(td);
	testdata_files(td);
	kdump_seeds();
	scan_seeds(td);
	printf("genseed: %u seeds in %s\n", nseeds, outdir);
	return 0;
}
