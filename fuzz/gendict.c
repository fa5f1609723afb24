/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gendict NAME: print the libFuzzer dictionary of harness NAME, derived from
 * what the library declares (field tables, enum names, layouts, formats,
 * --caps keys, virtio-iommu kinds and properties, <elf.h> constants), never
 * typed by hand. `make fuzz-dicts` writes fuzz/dicts/NAME.dict. */
#include <elf.h>

#include "fuzz.h"
#include "iommufd.h"
#include "smmuv3_queue.h"
#include "smmuv3.h"
#include "smmuv3_regs.h"
#include "viommu.h"

static unsigned nwords;

/* Tokens printed so far, to print each once. */
static char *seen[8192];
static size_t nseen;

static void token(const char *what, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;
	if (len == 0 || len > 64)
		return;
	char esc[64 * 4 + 1];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			n += (size_t)sprintf(esc + n, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			esc[n++] = (char)p[i];
		else
			n += (size_t)sprintf(esc + n, "\\x%02x", p[i]);
	}
	esc[n] = '\0';
	for (size_t i = 0; i < nseen; i++)
		if (strcmp(seen[i], esc) == 0)
			return;
	if (nseen < sizeof seen / sizeof seen[0])
		seen[nseen++] = strdup(esc);
	printf("%s_%u=\"%s\"\n", what, nwords++, esc);
}

static void text(const char *what, const char *s)
{
	token(what, s, strlen(s));
}

/* "name" as a JSON string, and "name": as a key. */
static void json_word(const char *s)
{
	char buf[128];
	snprintf(buf, sizeof buf, "\"%s\"", s);
	text("json", buf);
}

static void json_key(const char *s)
{
	char buf[128];
	snprintf(buf, sizeof buf, "\"%s\":", s);
	text("key", buf);
}

static void le(const char *what, uint64_t v, unsigned bytes)
{
	uint8_t b[8];
	fz_put(b, v, bytes);
	token(what, b, bytes);
}

/* For every enum value of every enum field: the 64-bit word holding it with
 * that value (and a "v" bit set when the structure has one), as the bytes a
 * table would hold. */
static void struct_words(const struct pt_struct *st)
{
	if (!st)
		return;
	const struct pt_field *v = pt_struct_field(st, "v");
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *f = &st->fields[i];
		if (f->kind != PT_FK_ENUM)
			continue;
		for (unsigned e = 0; e < f->nenums; e++) {
			if (!f->enums[e])
				continue;
			uint8_t raw[PT_MAX_ENTRY_SIZE * 2];
			memset(raw, 0, sizeof raw);
			if (v)
				pt_field_set(raw, v, 1);
			pt_field_set(raw, f, e);
			token(st->name, raw + f->word * 8u, 8);
		}
	}
}

static void formats_binary(void)
{
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		struct_words(fmt->entry);
		struct_words(fmt->dir);
		uint8_t raw[PT_MAX_ENTRY_SIZE];
		if (fmt->entry_defaults) {
			memset(raw, 0, sizeof raw);
			fmt->entry_defaults(raw);
			token("defaults", raw, fmt->entry->size);
			token("defaults", raw, 8);
		}
		/* Directory descriptors pointing at a 4K and a 64K leaf. */
		for (unsigned k = 0; k < 2 && fmt->dir; k++) {
			memset(raw, 0, sizeof raw);
			fmt->dir_make(raw, k ? 0x80010000u : 0x80001000u);
			token("dir", raw, fmt->dir->size);
		}
	}
}

static void caps_words(void)
{
	for (size_t i = 0; i < smmu_caps_nkeys(); i++) {
		const char *doc;
		char buf[64];
		snprintf(buf, sizeof buf, "%s=", smmu_caps_key(i, &doc));
		text("caps", buf);
	}
}

/* Every key decode --json prints: a table of each format and layout built
 * with one entry, decoded through the same calls as the CLI. */
static void decoded_keys(void)
{
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		for (size_t l = 0; l < fmt->nlayouts; l++) {
			struct pt_table_cfg cfg;
			memset(&cfg, 0, sizeof cfg);
			cfg.fmt = fmt;
			cfg.layout = &fmt->layouts[l];
			cfg.base = 0x80000000u;
			cfg.ssid_bits = 1;
			struct pt_image img;
			pt_image_init(&img);
			json_t *t = json_object();
			json_t *e = json_object();
			json_object_set_new(e, pt_format_index_name(fmt), json_integer(1));
			json_t *arr = json_array();
			json_array_append_new(arr, e);
			json_object_set_new(t, pt_format_entries_key(fmt), arr);
			char err[256];
			if (pt_build_table(&img, &cfg, t, err, sizeof err) != 0) {
				json_decref(t);
				pt_image_free(&img);
				continue;
			}
			json_decref(t);
			struct pt_source src;
			pt_source_init(&src, "x");
			for (size_t r = 0; r < img.n; r++) {
				int f = pt_source_add_buffer(&src, "x", img.regions[r].data,
							     img.regions[r].size);
				if (f >= 0)
					pt_source_add_range(&src, img.regions[r].addr, img.regions[r].size,
							    (uint32_t)f, 0, img.regions[r].size);
			}
			pt_source_finish(&src, NULL);
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);
			struct pt_diag_sink diags;
			pt_diag_init(&diags, "x", NULL);
			struct fz_decode d;
			memset(&d, 0, sizeof d);
			d.emit.out = out;
			d.emit.json = 1;
			pt_emit_begin(&d.emit, "pasidtool.decode/1", json_object());
			struct pt_walk w;
			fz_decode_table(&d, &w, &src, &cfg, &diags);
			pt_emit_end(&d.emit, &diags, NULL);
			fclose(out);
			json_t *j = json_loadb(buf, len, 0, NULL);
			/* Collect the keys of every object, depth first. */
			json_t *stack[64];
			int sp = 0;
			if (j)
				stack[sp++] = j;
			while (sp) {
				json_t *n = stack[--sp];
				if (json_is_object(n)) {
					const char *k;
					json_t *v;
					json_object_foreach(n, k, v) {
						if (!pt_struct_field(fmt->entry, k) &&
						    !(fmt->dir && pt_struct_field(fmt->dir, k)))
							json_key(k);
						if (sp < 64)
							stack[sp++] = v;
					}
				} else if (json_is_array(n)) {
					size_t x;
					json_t *v;
					json_array_foreach(n, x, v)
						if (sp < 64)
							stack[sp++] = v;
				}
			}
			json_decref(j);
			free(buf);
			pt_diag_free(&diags);
			pt_source_free(&src);
			pt_image_free(&img);
		}
	}
}

static void json_dict(void)
{
	const struct fz_words *ws = fz_words();
	for (size_t i = 0; i < ws->n; i++)
		json_word(ws->w[i]);
	for (size_t i = 0; i < pt_format_count(); i++) {
		const struct pt_format *fmt = pt_format_at(i);
		const struct pt_struct *sts[2] = { fmt->entry, fmt->dir };
		for (int s = 0; s < 2; s++)
			for (size_t f = 0; sts[s] && f < sts[s]->nfields; f++) {
				const struct pt_field *fd = &sts[s]->fields[f];
				json_key(fd->name);
				/* "names" values and enum fields given by name */
				for (unsigned e = 0; e < fd->nenums; e++)
					if (fd->enums[e])
						json_word(fd->enums[e]);
			}
	}
	decoded_keys();
	text("hex", "\"0x");
}

/* Register names in every spelling --regs accepts, and value forms. */
static void regs_dict(void)
{
	for (unsigned i = 0; i < SMMU_NREGS; i++) {
		char buf[40];
		const char *name = smmu_reg_info((enum smmu_reg)i)->name;
		text("reg", name);
		snprintf(buf, sizeof buf, "SMMU_%s=", name);
		text("reg", buf);
		snprintf(buf, sizeof buf, "\"%s\": ", name);
		text("reg", buf);
	}
	text("alias", "EVTQ_");
	text("value", "0x");
	text("value", "0xffffffff");
	text("value", "0x4000000000000000");
	text("value", "{\"value\": \"0x");
	text("comment", "# ");
}

static void elf_dict(void)
{
	uint8_t ident[EI_NIDENT] = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
				     EV_CURRENT };
	token("ident", ident, 7);
	token("ident", ident, 4);
	le("class", ELFCLASS32, 1);
	le("data", ELFDATA2MSB, 1);
	le("type", ET_CORE, 2);
	le("type", ET_EXEC, 2);
	le("machine", EM_AARCH64, 2);
	le("phentsize", sizeof(Elf64_Phdr), 2);
	le("ehsize", sizeof(Elf64_Ehdr), 2);
	le("phnum", PN_XNUM, 2);
	le("p_type", PT_LOAD, 4);
	le("p_type", PT_NOTE, 4);
	le("p_flags", PF_R | PF_W | PF_X, 4);
	le("addr", 0x40000000u, 8);
	le("addr", 0x80000000u, 8);
	le("size", UINT64_MAX, 8);
	le("size", 0x1000, 8);
}

static void viommu_dict(void)
{
	for (unsigned v = 0; v < PT_VV_COUNT; v++) {
		const struct pt_viommu_variant_desc *d = pt_viommu_variant((enum pt_viommu_variant)v);
		if (!d)
			continue;
		text("variant", d->name);
		for (size_t k = 0; k < d->nkinds; k++) {
			const struct pt_viommu_kind *kind = &d->kinds[k];
			uint8_t head[4] = { kind->type, 0, 0, 0 };
			token("head", head, 4);
			if (kind->sel_field) {
				const struct pt_field *f = pt_struct_field(kind->st, kind->sel_field);
				if (f)
					le("selector", kind->sel_value, (f->width + 7u) / 8u);
			}
			struct_words(kind->st);
		}
		for (size_t p = 0; p < d->nprops; p++) {
			const struct pt_viommu_prop *prop = &d->props[p];
			uint8_t h[4];
			fz_put(h, prop->type, 2);
			fz_put(h + 2, prop->st ? prop->st->size - 4u : 0, 2);
			token("prop", h, 4);
			token("prop", h, 2);
		}
		le("pst_format", d->pst_format, 2);
		if (d->pgt_format)
			le("pgt_format", d->pgt_format, 2);
	}
}

/* Keys and names of attach decode --json and attach build: field names of
 * every request kind, kind/view/variant names, and the keys pt_viommu_json
 * prints for the requests a guest sends for a small CD table. */
static void collect_keys(const json_t *j)
{
	const char *k;
	json_t *v;
	size_t i;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)(uintptr_t)j, k, v) {
			json_key(k);
			collect_keys(v);
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			collect_keys(v);
	}
}

static void viommu_json_dict(void)
{
	struct pt_table_cfg cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.fmt = &smmu_cd_format;
	cfg.layout = &smmu_cd_format.layouts[SMMU_LAYOUT_4K];
	cfg.base = 0x80000000u;
	cfg.ssid_bits = 8;
	for (unsigned v = 0; v < PT_VV_COUNT; v++) {
		const struct pt_viommu_variant_desc *d = pt_viommu_variant((enum pt_viommu_variant)v);
		if (!d)
			continue;
		json_word(d->name);
		for (size_t k = 0; k < d->nkinds; k++) {
			const struct pt_viommu_kind *kind = &d->kinds[k];
			json_word(kind->name);
			if (kind->view_name)
				json_word(kind->view_name);
			for (size_t f = 0; kind->st && f < kind->st->nfields; f++) {
				json_key(kind->st->fields[f].name);
				for (unsigned e = 0; e < kind->st->fields[f].nenums; e++)
					if (kind->st->fields[f].enums[e])
						json_word(kind->st->fields[f].enums[e]);
			}
		}
		for (size_t p = 0; p < d->nprops; p++) {
			json_word(d->props[p].name);
			for (size_t f = 0; d->props[p].st && f < d->props[p].st->nfields; f++)
				json_key(d->props[p].st->fields[f].name);
		}
		uint8_t buf[4096];
		size_t len = 0, ilen = 0;
		uint32_t ssids[1] = { 1 };
		if (pt_viommu_attach_from_cfg(&cfg, 1, 2, d->name, buf, sizeof buf, &len) != 0)
			len = 0;
		if (pt_viommu_invalidations(&cfg, 1, d->name, ssids, 1, buf + len, sizeof buf - len,
					    &ilen) != 0)
			ilen = 0;
		struct pt_viommu_ctx ctx = { (enum pt_viommu_variant)v, PT_VIOMMU_DEFAULT_PROBE_SIZE, 0 };
		struct pt_diag_sink diags;
		pt_diag_init(&diags, "x", NULL);
		for (size_t off = 0; off < len + ilen;) {
			struct pt_viommu_req req;
			if (pt_viommu_next(&ctx, buf + off, len + ilen - off, off, &req, &diags) != 0)
				break;
			json_t *j = pt_viommu_json(&ctx, &req);
			collect_keys(j);
			json_decref(j);
			off += req.size;
		}
		pt_diag_free(&diags);
	}
	text("hex", "\"0x");
}

/* The signatures and the values a kdump header's fields take. */
static void kdump_dict(void)
{
	printf("kdump_sig=\"KDUMP   \"\ndiskdump_sig=\"DISKDUMP\"\n");
	printf("flat_sig=\"makedumpfile\\x00\\x00\\x00\\x00\"\n");
	printf("flat_one=\"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\"\n");
	printf("flat_end=\"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\"\n");
	printf("vmcoreinfo=\"OSRELEASE=\"\npagesize=\"PAGESIZE=\"\n");
	static const uint32_t words[] = { 1, 2, 4, 6, 8, 0x10, 0x20, 1024, 4096, 65536 };
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		printf("u32_%zu=\"\\x%02x\\x%02x\\x%02x\\x%02x\"\n", i, words[i] & 0xff,
		       words[i] >> 8 & 0xff, words[i] >> 16 & 0xff, words[i] >> 24);
}

/* The words of Linux's event log lines (formats/smmuv3_evtlog.c) and every
 * event name the field tables know. */
static void evtlog_dict(void)
{
	static const char *const words[] = {
		"event 0x", " received:", "\t0x0000000000000000", "event: ", " client: ",
		" sid: 0x", " ssid: 0x", " iova: 0x", " ipa: 0x", " fetch_addr: 0x", ": unpriv ",
		": priv ", "data ", "inst ", "read ", "write ", "s1 ", "s2 ",
		"\"Input address caused fault\"", "\"CD fetch\"",
		"\"Stage 1 translation table fetch\"", " ttd_read", " stall", " stag: 0x",
		"kernel: ", "arm-smmu-v3 arm-smmu-v3.0.auto: ",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		text("log", words[i]);
	const struct pt_struct *st;
	for (size_t i = 0; (st = pt_family_struct_at(&smmu_evt_family, i)) != NULL; i++)
		text("event", st->label);
}

/* Every command and event layout's enum encodings. */
static void queue_dict(void)
{
	const struct pt_struct *st;
	for (size_t i = 0; (st = pt_family_struct_at(&smmu_cmd_family, i)) != NULL; i++)
		struct_words(st);
	for (size_t i = 0; (st = pt_family_struct_at(&smmu_evt_family, i)) != NULL; i++)
		struct_words(st);
	struct_words(&smmu_priq_struct);
}

/* iommufd records: the kernel's nesting masks, the opcodes it forwards,
 * the vEVENT flag, and the layouts of vSTEs, commands and events. */
static void iommufd_dict(void)
{
	le("mask", PT_IOMMUFD_VSTE0_ALLOWED, 8);
	le("mask", PT_IOMMUFD_VSTE1_ALLOWED, 8);
	le("flags", PT_IOMMUFD_VEVENT_LOST, 4);
	le("sequence", PT_IOMMUFD_SEQ_MASK, 4);
	for (unsigned op = 0; op < 256; op++)
		if (pt_iommufd_cmd_forwarded(op))
			le("opcode", op, 1);
	struct_words(&pt_iommufd_vste_struct);
	queue_dict();
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gendict HARNESS\n");
		return 2;
	}
	fz_init();
	const char *n = argv[1];
	printf("# libFuzzer dictionary for fuzz/fuzz_%s.c, generated by fuzz/gendict.c from the\n"
	       "# library's tables (make fuzz-dicts). Do not edit.\n", n);
	if (strcmp(n, "buildjson") == 0 || strcmp(n, "build_roundtrip") == 0) {
		json_dict();
	} else if (strcmp(n, "cdtable") == 0) {
		struct_words(&smmu_cd_struct);
		struct_words(&smmu_l1cd_struct);
		formats_binary();
		caps_words();
	} else if (strcmp(n, "strtab") == 0) {
		formats_binary();
		struct_words(&smmu_strtab_cfg_struct);
		struct_words(&smmu_strtab_base_struct);
	} else if (strcmp(n, "cd_roundtrip") == 0) {
		formats_binary();
		for (size_t i = 0; i < pt_struct_extra_count(); i++)
			struct_words(pt_struct_extra_at(i));
	} else if (strcmp(n, "evtlog") == 0) {
		evtlog_dict();
	} else if (strcmp(n, "queue") == 0) {
		queue_dict();
	} else if (strcmp(n, "iommufd") == 0) {
		iommufd_dict();
	} else if (strcmp(n, "ptwalk") == 0) {
		/* The descriptors: every VMSAv8-64 structure the walker reads. */
		for (size_t i = 0; i < pt_struct_extra_count(); i++)
			if (strncmp(pt_struct_extra_at(i)->name, "vmsa-", 5) == 0)
				struct_words(pt_struct_extra_at(i));
	} else if (strcmp(n, "elf") == 0) {
		elf_dict();
	} else if (strcmp(n, "regs") == 0) {
		regs_dict();
	} else if (strcmp(n, "kdump") == 0) {
		kdump_dict();
	} else if (strcmp(n, "scan") == 0) {
		/* What the scanners look for, and the containers a dump comes in. */
		formats_binary();
		elf_dict();
		kdump_dict();
	} else if (strcmp(n, "viommu") == 0) {
		viommu_dict();
	} else if (strcmp(n, "viommu_build") == 0) {
		viommu_json_dict();
	} else {
		fprintf(stderr, "gendict: no dictionary for %s\n", n);
		return 1;
	}
	return 0;
}
