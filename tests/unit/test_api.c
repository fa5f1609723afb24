/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libpasid's public API (<pasid/pasid.h>): every call's refusals (bad
 * handles and arguments, missing files, roots and indexes at both sides
 * of their limits) and a round trip build -> open -> walk -> decode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <jansson.h>
#include <pasid/pasid.h>

/* Sixteen linear CDs at 0x80000000; SSIDs 0, 1 and 5 valid, 9 invalid
 * with fields set, TG0 reserved in SSID 5. */
static const char spec[] =
	"{\"tables\": [{\"format\": \"smmuv3-cd\", \"layout\": \"linear\", "
	"\"base\": \"0x80000000\", \"ssid_bits\": 4, \"entries\": ["
	"{\"ssid\": 0, \"fields\": {\"asid\": 1, \"ttb0\": \"0x90000000\"}},"
	"{\"ssid\": 1, \"fields\": {\"asid\": 2, \"ttb0\": \"0x90001000\"}},"
	"{\"ssid\": 5, \"fields\": {\"asid\": 3, \"ttb0\": \"0x90002000\", \"tg0\": \"reserved\"}},"
	"{\"ssid\": 9, \"fields\": {\"v\": 0, \"asid\": 4, \"ttb0\": \"0x90003000\"}}]}]}";

#define BASE UINT64_C(0x80000000)

struct built {
	uint8_t *img;
	size_t len;
	uint64_t base;
	pasid_source *src;
	pasid_table *cds;
};

static int setup(void **state)
{
	struct built *b = calloc(1, sizeof *b);
	pasid_error err;
	if (!b || pasid_build(spec, sizeof spec - 1, &b->img, &b->len, &b->base, &err) != PASID_OK ||
	    pasid_source_open_memory(&b->src, "cds", b->img, b->len, b->base, &err) != PASID_OK ||
	    pasid_table_open(&b->cds, b->src, "smmuv3-cd", BASE, NULL, 4, &err) != PASID_OK) {
		fprintf(stderr, "setup: %s\n", err.message);
		return -1;
	}
	*state = b;
	return 0;
}

static int teardown(void **state)
{
	struct built *b = *state;
	pasid_table_close(b->cds);
	pasid_source_close(b->src);
	pasid_free(b->img);
	free(b);
	return 0;
}

static void version_is_the_programs(void **state)
{
	(void)state;
	assert_string_equal(pasid_version(), PT_VERSION);
}

static void source_open_refuses_bad_arguments(void **state)
{
	(void)state;
	pasid_error err;
	pasid_source *s = (pasid_source *)&err;
	const char *missing[] = { "/nonexistent/pasid-test.bin" };
	const char *empty[] = { "" };
	assert_int_equal(pasid_source_open(NULL, missing, 1, 0, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_open(&s, NULL, 1, 0, &err), PASID_ERR_ARG);
	assert_null(s);
	assert_int_equal(pasid_source_open(&s, missing, 0, 0, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_open(&s, empty, 1, 0, &err), PASID_ERR_ARG);
	assert_int_equal(err.code, PASID_ERR_ARG);
	/* No error structure: the status alone. */
	assert_int_equal(pasid_source_open(&s, missing, 1, 0, NULL), PASID_ERR_INPUT);
	assert_int_equal(pasid_source_open(&s, missing, 1, 0, &err), PASID_ERR_INPUT);
	assert_null(s);
	assert_int_equal(err.code, PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "/nonexistent/pasid-test.bin"));
	assert_non_null(strstr(err.message, "[SRC-UNREADABLE]"));
	pasid_source_close(NULL);
}

static void source_open_reads_a_file_at_its_base(void **state)
{
	struct built *b = *state;
	char path[] = "/tmp/pasid-api-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->img, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
	char at[64];
	snprintf(at, sizeof at, "%s@0x%llx", path, (unsigned long long)BASE);
	const char *in1[] = { path }, *in2[] = { at };
	pasid_source *s1 = NULL, *s2 = NULL;
	pasid_error err;
	assert_int_equal(pasid_source_open(&s1, in1, 1, BASE, &err), PASID_OK);
	assert_int_equal(err.code, PASID_OK);
	assert_string_equal(err.message, "");
	assert_int_equal(pasid_source_open(&s2, in2, 1, 0, &err), PASID_OK);
	assert_string_equal(pasid_source_kind(s1), "raw");
	uint8_t a[64], c[64];
	assert_int_equal(pasid_source_read(s1, BASE, a, sizeof a, &err), PASID_OK);
	assert_int_equal(pasid_source_read(s2, BASE, c, sizeof c, &err), PASID_OK);
	assert_memory_equal(a, b->img, sizeof a);
	assert_memory_equal(c, b->img, sizeof c);
	/* The last byte reads; one past it does not. */
	assert_int_equal(pasid_source_read(s1, BASE + b->len - 1, a, 1, &err), PASID_OK);
	assert_int_equal(pasid_source_read(s1, BASE + b->len - 1, a, 2, &err), PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "not in the input"));
	assert_int_equal(pasid_source_read(s1, BASE - 1, a, 1, &err), PASID_ERR_INPUT);
	assert_int_equal(pasid_source_read(NULL, BASE, a, 1, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_read(s1, BASE, NULL, 1, &err), PASID_ERR_ARG);
	pasid_source_close(s1);
	pasid_source_close(s2);
	unlink(path);
}

static void source_open_memory_refuses_bad_arguments(void **state)
{
	(void)state;
	uint8_t bytes[2] = { 1, 2 };
	pasid_source *s = NULL;
	pasid_error err;
	assert_int_equal(pasid_source_open_memory(NULL, "m", bytes, 2, 0, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_open_memory(&s, "m", NULL, 2, 0, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_open_memory(&s, "m", bytes, 0, 0, &err), PASID_ERR_ARG);
	/* The last byte of the address space holds a byte; two do not fit. */
	assert_int_equal(pasid_source_open_memory(&s, "m", bytes, 2, UINT64_MAX, &err),
			 PASID_ERR_ARG);
	assert_null(s);
	assert_non_null(strstr(err.message, "past the end of the address space"));
	assert_int_equal(pasid_source_open_memory(&s, NULL, bytes, 1, UINT64_MAX, &err), PASID_OK);
	uint8_t v = 0;
	assert_int_equal(pasid_source_read(s, UINT64_MAX, &v, 1, &err), PASID_OK);
	assert_int_equal(v, 1);
	pasid_source_close(s);
	assert_int_equal(pasid_source_open_memory(&s, "m", bytes, 2, UINT64_MAX - 1, &err), PASID_OK);
	/* The bytes were copied: the caller may reuse its buffer. */
	bytes[1] = 9;
	assert_int_equal(pasid_source_read(s, UINT64_MAX, &v, 1, &err), PASID_OK);
	assert_int_equal(v, 2);
	assert_null(pasid_source_kind(NULL));
	pasid_source_close(s);
}

static void source_open_segments_refuses_overlaps(void **state)
{
	(void)state;
	uint8_t a[64], b[64];
	memset(a, 0xaa, sizeof a);
	memset(b, 0xbb, sizeof b);
	pasid_segment segs[2] = { { 0x1000, a, sizeof a }, { 0x2000, b, sizeof b } };
	pasid_source *s = NULL;
	pasid_error err;
	assert_int_equal(pasid_source_open_segments(&s, "m", segs, 0, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_source_open_segments(&s, "m", NULL, 1, &err), PASID_ERR_ARG);
	/* Touching is fine, one byte of overlap is not. */
	segs[1].base = 0x1040;
	assert_int_equal(pasid_source_open_segments(&s, "m", segs, 2, &err), PASID_OK);
	uint8_t v[2];
	assert_int_equal(pasid_source_read(s, 0x103f, v, 2, &err), PASID_OK);
	assert_int_equal(v[0], 0xaa);
	assert_int_equal(v[1], 0xbb);
	pasid_source_close(s);
	segs[1].base = 0x103f;
	assert_int_equal(pasid_source_open_segments(&s, "m", segs, 2, &err), PASID_ERR_ARG);
	assert_null(s);
	assert_non_null(strstr(err.message, "[SRC-OVERLAP]"));
	segs[1].buf = NULL;
	assert_int_equal(pasid_source_open_segments(&s, "m", segs, 2, &err), PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "segment 1: no bytes"));
}

static void table_open_refuses_bad_arguments(void **state)
{
	struct built *b = *state;
	pasid_table *t = NULL;
	pasid_error err;
	assert_int_equal(pasid_table_open(NULL, b->src, "smmuv3-cd", BASE, NULL, 4, &err),
			 PASID_ERR_ARG);
	assert_int_equal(pasid_table_open(&t, NULL, "smmuv3-cd", BASE, NULL, 4, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_open(&t, b->src, NULL, BASE, NULL, 4, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cdd", BASE, NULL, 4, &err),
			 PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "smmuv3-cdd"));
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", BASE, "2lvl-8k", 4, &err),
			 PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "2lvl-8k"));
	/* 20 SSID bits is the most a CD table indexes. */
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", BASE, "2lvl-64k", 21, &err),
			 PASID_ERR_ARG);
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", BASE, "2lvl-64k", 20, &err),
			 PASID_OK);
	pasid_table_close(t);
	pasid_table_close(NULL);
}

static void table_root_must_be_in_the_source(void **state)
{
	struct built *b = *state;
	pasid_table *t = NULL;
	pasid_error err;
	uint64_t end = b->base + b->len;
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", end, NULL, 0, &err),
			 PASID_ERR_INPUT);
	assert_null(t);
	assert_non_null(strstr(err.message, "not in the input"));
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", BASE - 64, NULL, 0, &err),
			 PASID_ERR_INPUT);
	assert_int_equal(pasid_table_open(&t, b->src, "smmuv3-cd", end - 64, NULL, 0, &err),
			 PASID_OK);
	pasid_table_close(t);
}

static void strtab_open_refuses_bad_registers(void **state)
{
	struct built *b = *state;
	pasid_table *t = NULL, *cd = NULL;
	pasid_error err;
	assert_int_equal(pasid_table_open_strtab(NULL, b->src, BASE, 0x4, NULL, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_open_strtab(&t, NULL, BASE, 0x4, NULL, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_open_strtab(&t, b->src, BASE, 0x4, "generic,nosuchkey=1", &err),
			 PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "caps"));
	/* FMT = 0b10 is reserved. */
	assert_int_equal(pasid_table_open_strtab(&t, b->src, BASE, 0x20004, NULL, &err),
			 PASID_ERR_ARG);
	assert_null(t);
	assert_int_equal(pasid_table_open_strtab(&t, b->src, BASE + b->len, 0x4, NULL, &err),
			 PASID_ERR_INPUT);
	/* A linear table of 2^4 STEs over the CD bytes: open, and STE 0's
	 * bytes are a CD, not an STE leading to a CD table. */
	assert_int_equal(pasid_table_open_strtab(&t, b->src, BASE, 0x4, "generic", &err), PASID_OK);
	assert_int_equal(pasid_table_open_cd(&cd, t, 16, &err), PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "outside a table of 4 SID bits"));
	assert_int_equal(pasid_table_open_cd(&cd, t, 15, &err), PASID_ERR_INPUT);
	assert_int_equal(pasid_table_open_cd(&cd, NULL, 15, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_open_cd(&cd, b->cds, 0, &err), PASID_ERR_ARG);
	assert_non_null(strstr(err.message, "has no STEs"));
	assert_null(cd);
	char *h = NULL;
	assert_int_equal(pasid_table_header_json(t, &h, &err), PASID_OK);
	assert_non_null(strstr(h, "\"sid_bits\":4"));
	assert_non_null(strstr(h, "\"strtab_base_cfg\":\"0x4\""));
	pasid_free(h);
	pasid_table_close(t);
}

/* The CD-TG0-RESERVED finding about SSID 5 of the CDs setup built. */
static const pasid_finding *tg0_finding(const pasid_findings *f)
{
	for (size_t i = 0; i < pasid_findings_count(f); i++)
		if (strcmp(pasid_findings_at(f, i)->rule, "CD-TG0-RESERVED") == 0)
			return pasid_findings_at(f, i);
	return NULL;
}

/* A linear stream table of two STEs at 0x1000: STE 0 invalid, STE 1
 * pointing at the CD table of setup (stage 1, S1CDMax 4, linear). */
static void strtab_leads_to_its_cd_table(void **state)
{
	struct built *b = *state;
	uint8_t strtab[2 * 64];
	memset(strtab, 0, sizeof strtab);
	uint64_t w0 = 1 | (5u << 1) | BASE | (UINT64_C(4) << 59);
	for (int i = 0; i < 8; i++)
		strtab[64 + i] = (uint8_t)(w0 >> (8 * i));
	pasid_source *alone = NULL, *both = NULL;
	pasid_table *st = NULL, *cd = NULL;
	pasid_findings *f = NULL;
	pasid_error err;
	assert_int_equal(pasid_source_open_memory(&alone, "ste", strtab, sizeof strtab, 0x1000,
						  &err), PASID_OK);
	assert_int_equal(pasid_table_open_strtab(&st, alone, 0x1000, 0x1, "generic", &err), PASID_OK);
	assert_int_equal(pasid_table_open_cd(&cd, st, 0, &err), PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "not valid"));
	/* Without the CDs in the source, STE 1's table is not in the input. */
	assert_int_equal(pasid_table_open_cd(&cd, st, 1, &err), PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "not in the input"));
	assert_int_equal(pasid_table_open_cd(&cd, st, 2, &err), PASID_ERR_ARG);
	pasid_table_close(st);

	pasid_segment segs[2] = { { 0x1000, strtab, sizeof strtab }, { BASE, b->img, b->len } };
	assert_int_equal(pasid_source_open_segments(&both, "dump", segs, 2, &err), PASID_OK);
	assert_int_equal(pasid_table_open_strtab(&st, both, 0x1000, 0x1, NULL, &err), PASID_OK);
	assert_int_equal(pasid_table_open_cd(&cd, st, 1, &err), PASID_OK);
	char *h = NULL;
	assert_int_equal(pasid_table_header_json(cd, &h, &err), PASID_OK);
	assert_string_equal(h, "{\"format\":\"smmuv3-cd\",\"layout\":\"linear\",\"base\":"
			       "\"0x80000000\",\"ssid_bits\":4}");
	pasid_free(h);
	/* Validating the CD table alone or the stream table names the same
	 * CD and the StreamID that reaches it. */
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(pasid_table_validate(pass ? st : cd, NULL, &f, &err), PASID_OK);
		const pasid_finding *d = tg0_finding(f);
		assert_non_null(d);
		assert_true(d->has_sid);
		assert_int_equal(d->sid, 1);
		assert_true(d->has_ssid);
		assert_int_equal(d->ssid, 5);
		assert_int_equal(d->address, BASE + 5 * 64);
		pasid_findings_free(f);
	}
	pasid_table_close(cd);
	pasid_table_close(st);
	pasid_source_close(both);
	pasid_source_close(alone);
}

struct seen {
	int n, dirs, stop_at;
	uint32_t index[32];
	char *json[32];
};

static int collect(const pasid_entry *e, void *user)
{
	struct seen *s = user;
	if (e->kind == PASID_DIR)
		s->dirs++;
	if (s->n < 32) {
		s->index[s->n] = e->index;
		s->json[s->n] = e->json ? strdup(e->json) : NULL;
	}
	s->n++;
	return s->stop_at && s->n == s->stop_at;
}

static void seen_free(struct seen *s)
{
	for (int i = 0; i < s->n && i < 32; i++)
		free(s->json[i]);
}

static void walk_refuses_bad_arguments_and_stops(void **state)
{
	struct built *b = *state;
	struct seen s;
	pasid_error err;
	memset(&s, 0, sizeof s);
	assert_int_equal(pasid_table_walk(NULL, 0, collect, &s, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_walk(b->cds, 0, NULL, &s, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_walk(b->cds, 4, collect, &s, &err), PASID_ERR_ARG);
	assert_int_equal(s.n, 0);
	s.stop_at = 2;
	assert_int_equal(pasid_table_walk(b->cds, 0, collect, &s, &err), PASID_STOPPED);
	assert_int_equal(s.n, 2);
	seen_free(&s);
	/* Every entry with PASID_WALK_ALL; without it, the ones decode
	 * --json prints (valid, or invalid but not all zero). */
	memset(&s, 0, sizeof s);
	assert_int_equal(pasid_table_walk(b->cds, PASID_WALK_ALL, collect, &s, &err), PASID_OK);
	assert_int_equal(s.n, 16);
	assert_null(s.json[0]);
	seen_free(&s);
	memset(&s, 0, sizeof s);
	assert_int_equal(pasid_table_walk(b->cds, 0, collect, &s, &err), PASID_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.index[0], 0);
	assert_int_equal(s.index[1], 1);
	assert_int_equal(s.index[2], 5);
	assert_int_equal(s.index[3], 9);
	seen_free(&s);
}

static void entry_json_checks_the_index(void **state)
{
	struct built *b = *state;
	char dummy[] = "x";
	char *json = dummy;
	pasid_error err;
	assert_int_equal(pasid_table_entry_json(b->cds, 16, &json, &err), PASID_ERR_ARG);
	assert_null(json);
	assert_non_null(strstr(err.message, "ssid 16 is outside a table of 4 ssid bits"));
	assert_int_equal(pasid_table_entry_json(NULL, 0, &json, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_entry_json(b->cds, 0, NULL, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_entry_json(b->cds, 15, &json, &err), PASID_OK);
	assert_non_null(strstr(json, "{\"ssid\":15,\"address\":\"0x800003c0\""));
	pasid_free(json);
	assert_int_equal(pasid_table_header_json(NULL, &json, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_header_json(b->cds, &json, &err), PASID_OK);
	assert_string_equal(json, "{\"format\":\"smmuv3-cd\",\"layout\":\"linear\",\"base\":"
				  "\"0x80000000\",\"ssid_bits\":4}");
	pasid_free(json);
}

/* What was built decodes to what the spec said, and the decoded entries
 * build back into the same bytes. */
static void round_trip_build_walk_decode(void **state)
{
	struct built *b = *state;
	assert_int_equal(b->base, BASE);
	assert_int_equal(b->len, 16 * 64);
	struct seen s;
	pasid_error err;
	memset(&s, 0, sizeof s);
	assert_int_equal(pasid_table_walk(b->cds, PASID_WALK_JSON, collect, &s, &err), PASID_OK);
	assert_int_equal(s.n, 4);
	static const uint64_t asid[] = { 1, 2, 3, 4 };
	static const char *const ttb0[] = { "0x90000000", "0x90001000", "0x90002000", "0x90003000" };
	json_t *entries = json_array();
	for (int i = 0; i < 4; i++) {
		json_t *e = json_loads(s.json[i], 0, NULL);
		assert_non_null(e);
		json_t *f = json_object_get(e, "fields");
		assert_int_equal(json_integer_value(json_object_get(f, "asid")), asid[i]);
		assert_string_equal(json_string_value(json_object_get(f, "ttb0")), ttb0[i]);
		char *one = NULL;
		assert_int_equal(pasid_table_entry_json(b->cds, s.index[i], &one, &err), PASID_OK);
		assert_string_equal(one, s.json[i]);
		pasid_free(one);
		json_array_append_new(entries, e);
	}
	json_t *doc = json_pack("{s:[{s:s,s:s,s:s,s:i,s:o}]}", "tables", "format", "smmuv3-cd",
				"layout", "linear", "base", "0x80000000", "ssid_bits", 4,
				"entries", entries);
	char *text = json_dumps(doc, 0);
	json_decref(doc);
	uint8_t *img = NULL;
	size_t len = 0;
	uint64_t base = 0;
	assert_int_equal(pasid_build(text, strlen(text), &img, &len, &base, &err), PASID_OK);
	free(text);
	assert_int_equal(base, BASE);
	assert_int_equal(len, b->len);
	assert_memory_equal(img, b->img, len);
	pasid_free(img);
	seen_free(&s);
}

static void validate_lists_findings(void **state)
{
	struct built *b = *state;
	pasid_findings *f = NULL;
	pasid_error err;
	assert_int_equal(pasid_table_validate(NULL, NULL, &f, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_validate(b->cds, NULL, NULL, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_table_validate(b->cds, "nosuchprofile", &f, &err), PASID_ERR_ARG);
	assert_null(f);
	assert_int_equal(pasid_table_validate(b->cds, "qemu", &f, &err), PASID_OK);
	assert_true(pasid_findings_count(f) >= 1);
	assert_null(pasid_findings_at(f, pasid_findings_count(f)));
	int tg0 = 0;
	for (size_t i = 0; i < pasid_findings_count(f); i++) {
		const pasid_finding *d = pasid_findings_at(f, i);
		if (strcmp(d->rule, "CD-TG0-RESERVED") != 0)
			continue;
		tg0++;
		assert_int_equal(d->severity, PASID_ERROR);
		assert_true(d->has_address);
		assert_int_equal(d->address, BASE + 5 * 64);
		assert_true(d->has_ssid);
		assert_int_equal(d->ssid, 5);
		assert_false(d->has_sid);
		assert_string_equal(d->field, "tg0");
		assert_non_null(strstr(d->message, "reserved"));
	}
	assert_int_equal(tg0, 1);
	assert_true(pasid_findings_total(f, PASID_ERROR) >= 1);
	assert_int_equal(pasid_findings_total(f, 0), 0);
	assert_int_equal(pasid_findings_total(f, 4), 0);
	assert_int_equal(pasid_findings_count(NULL), 0);
	pasid_findings_free(f);
	pasid_findings_free(NULL);
}

static void build_refuses_bad_specs(void **state)
{
	(void)state;
	uint8_t *img = NULL;
	size_t len;
	uint64_t base;
	pasid_error err;
	assert_int_equal(pasid_build(NULL, 1, &img, &len, &base, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_build("{}", 0, &img, &len, &base, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_build("{}", 2, NULL, &len, &base, &err), PASID_ERR_ARG);
	assert_int_equal(pasid_build("{\"tables\": [}", 13, &img, &len, &base, &err),
			 PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "spec:1:"));
	assert_int_equal(pasid_build("[1]", 3, &img, &len, &base, &err), PASID_ERR_INPUT);
	assert_int_equal(pasid_build("{\"tables\": []}", 14, &img, &len, &base, &err),
			 PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "non-empty"));
	static const char bad[] = "{\"tables\": [{\"format\": \"smmuv3-cd\", \"base\": \"0x1000\", "
				  "\"ssid_bits\": 0, \"entries\": [{\"ssid\": 0, \"fields\": "
				  "{\"asidd\": 1}}]}]}";
	assert_int_equal(pasid_build(bad, sizeof bad - 1, &img, &len, &base, &err),
			 PASID_ERR_INPUT);
	assert_non_null(strstr(err.message, "asidd"));
	assert_null(img);
}

struct nested {
	pasid_table *other;
	int inner, rc;
};

static int walk_other(const pasid_entry *e, void *user)
{
	(void)e;
	struct nested *n = user;
	struct seen s;
	pasid_error err;
	memset(&s, 0, sizeof s);
	n->rc |= pasid_table_walk(n->other, PASID_WALK_JSON, collect, &s, &err);
	n->inner += s.n;
	seen_free(&s);
	return 0;
}

/* A walk inside another's callback, and errors kept apart: handles share
 * nothing. */
static void handles_do_not_interfere(void **state)
{
	struct built *b = *state;
	pasid_source *src2 = NULL;
	pasid_table *t2 = NULL, *bad = NULL;
	pasid_error e1, e2;
	assert_int_equal(pasid_source_open_memory(&src2, "two", b->img, b->len, b->base, &e2),
			 PASID_OK);
	assert_int_equal(pasid_table_open(&t2, src2, "smmuv3-cd", BASE, "linear", 4, &e2), PASID_OK);
	struct nested n = { t2, 0, 0 };
	assert_int_equal(pasid_table_walk(b->cds, PASID_WALK_JSON, walk_other, &n, &e1), PASID_OK);
	assert_int_equal(n.rc, 0);
	assert_int_equal(n.inner, 4 * 4);
	assert_int_equal(pasid_table_open(&bad, b->src, "vtd-nope", BASE, NULL, 4, &e1),
			 PASID_ERR_ARG);
	pasid_findings *f = NULL;
	assert_int_equal(pasid_table_validate(t2, NULL, &f, &e2), PASID_OK);
	pasid_findings_free(f);
	assert_int_equal(e1.code, PASID_ERR_ARG);
	assert_non_null(strstr(e1.message, "vtd-nope"));
	assert_int_equal(e2.code, PASID_OK);
	pasid_table_close(t2);
	pasid_source_close(src2);
}

struct worker {
	const struct built *b;
	int entries, errors, failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 20; i++) {
		pasid_source *s = NULL;
		pasid_table *t = NULL;
		pasid_findings *f = NULL;
		struct seen seen;
		pasid_error err;
		memset(&seen, 0, sizeof seen);
		if (pasid_source_open_memory(&s, "t", w->b->img, w->b->len, w->b->base, &err) ||
		    pasid_table_open(&t, s, "smmuv3-cd", BASE, NULL, 4, &err) ||
		    pasid_table_walk(t, PASID_WALK_JSON, collect, &seen, &err) ||
		    pasid_table_validate(t, "qemu", &f, &err))
			w->failures++;
		w->entries += seen.n;
		w->errors += (int)pasid_findings_total(f, PASID_ERROR);
		seen_free(&seen);
		pasid_findings_free(f);
		pasid_table_close(t);
		pasid_source_close(s);
	}
	return NULL;
}

/* Four threads, each with its own handles, see what one thread sees. */
static void threads_with_their_own_handles(void **state)
{
	struct built *b = *state;
	struct worker one = { b, 0, 0, 0 }, w[4];
	work(&one);
	assert_int_equal(one.failures, 0);
	assert_int_equal(one.entries, 20 * 4);
	assert_true(one.errors > 0);
	pthread_t th[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ b, 0, 0, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
		assert_int_equal(w[i].entries, one.entries);
		assert_int_equal(w[i].errors, one.errors);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_is_the_programs),
		cmocka_unit_test(source_open_refuses_bad_arguments),
		cmocka_unit_test(source_open_memory_refuses_bad_arguments),
		cmocka_unit_test(source_open_segments_refuses_overlaps),
		cmocka_unit_test(build_refuses_bad_specs),
		cmocka_unit_test_setup_teardown(source_open_reads_a_file_at_its_base, setup, teardown),
		cmocka_unit_test_setup_teardown(table_open_refuses_bad_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(table_root_must_be_in_the_source, setup, teardown),
		cmocka_unit_test_setup_teardown(strtab_open_refuses_bad_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(strtab_leads_to_its_cd_table, setup, teardown),
		cmocka_unit_test_setup_teardown(walk_refuses_bad_arguments_and_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_json_checks_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(round_trip_build_walk_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(validate_lists_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(handles_do_not_interfere, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_with_their_own_handles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
