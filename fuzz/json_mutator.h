/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A structure-aware mutator for JSON build descriptions (buildjson,
 * build_roundtrip): parse, change the tree, print again. Byte flips on JSON
 * mostly break the syntax or produce numbers no table accepts; changing a
 * value to a field maximum, an address next to another address of the
 * document, a known field or enum name, or duplicating an entry reaches the
 * builder's checks instead. Unparsable input is replaced by a small valid
 * description (built from the registered formats, not typed in) half of the
 * time and byte-mutated otherwise. */
#ifndef PT_FUZZ_JSON_MUTATOR_H
#define PT_FUZZ_JSON_MUTATOR_H

#include "fuzz.h"

#define FZ_JM_MAX_NODES 4096u

struct fz_jm_node {
	json_t *node;
	json_t *parent;      /* NULL for the root */
	const char *key;     /* member name when parent is an object */
	size_t index;        /* element index when parent is an array */
};

struct fz_jm {
	struct fz_jm_node n[FZ_JM_MAX_NODES];
	size_t count;
	uint64_t addrs[64]; /* numbers and hex strings seen, for nearby values */
	size_t naddrs;
};

static inline void fz_jm_collect(struct fz_jm *m, json_t *node, json_t *parent, const char *key,
				 size_t index)
{
	if (m->count >= FZ_JM_MAX_NODES)
		return;
	m->n[m->count++] = (struct fz_jm_node){ node, parent, key, index };
	uint64_t v;
	if ((json_is_string(node) || json_is_integer(node)) && pt_json_u64(node, &v) == 0 &&
	    m->naddrs < sizeof m->addrs / sizeof m->addrs[0])
		m->addrs[m->naddrs++] = v;
	if (json_is_object(node)) {
		const char *k;
		json_t *v2;
		json_object_foreach(node, k, v2)
			fz_jm_collect(m, v2, node, k, 0);
	} else if (json_is_array(node)) {
		size_t i;
		json_t *v2;
		json_array_foreach(node, i, v2)
			fz_jm_collect(m, v2, node, NULL, i);
	}
}

static inline json_t *fz_jm_hex(uint64_t v)
{
	return pt_json_hex(v);
}

/* A value likely to matter to the builder. */
static inline json_t *fz_jm_value(struct fz_jm *m, uint32_t *s)
{
	const struct fz_words *ws = fz_words();
	switch (fz_rand(s) % 12) {
	case 0: return json_integer(fz_rand(s) % 4);
	case 1: return json_integer(fz_rand(s) % 34);              /* bit counts */
	case 2: return json_integer((json_int_t)((UINT64_C(1) << (fz_rand(s) % 63)) - fz_rand(s) % 2));
	case 3: return fz_jm_hex(fz_rand64(s));
	case 4: return fz_jm_hex((uint64_t)(fz_rand(s) % 0x100) << 24 | (uint64_t)(fz_rand(s) % 16) << 12);
	case 5: /* next to an address of the document */
		if (m->naddrs) {
			uint64_t a = m->addrs[fz_rand(s) % m->naddrs];
			int64_t d = ((int64_t)(fz_rand(s) % 33) - 16) * (fz_rand(s) % 2 ? 0x1000 : 0x40);
			return fz_jm_hex(a + (uint64_t)d);
		}
		return json_integer(0);
	case 6: return json_string(ws->w[fz_rand(s) % ws->n]);
	case 7: return fz_rand(s) % 2 ? json_true() : json_false();
	case 8: return json_integer(-(json_int_t)(fz_rand(s) % 3) - 1);
	case 9: return fz_jm_hex(UINT64_MAX - fz_rand(s) % 0x10000);
	case 10: {
		char buf[24];
		snprintf(buf, sizeof buf, "%u", fz_rand(s));
		return json_string(buf);
	}
	default: return json_null();
	}
}

static inline void fz_jm_replace(struct fz_jm_node *n, json_t *v)
{
	if (!n->parent) {
		json_decref(v);
		return;
	}
	if (json_is_object(n->parent)) {
		char key[256];
		snprintf(key, sizeof key, "%s", n->key);
		json_object_set_new(n->parent, key, v);
	} else
		json_array_set_new(n->parent, n->index, v);
}

/* A small description of a table of some registered format. */
static inline json_t *fz_jm_dummy(uint32_t *s)
{
	fz_init();
	const struct pt_format *fmt = pt_format_at(fz_rand(s) % pt_format_count());
	json_t *t = json_object();
	json_object_set_new(t, "format", json_string(fmt->name));
	json_object_set_new(t, "layout",
			    json_string(fmt->layouts[fz_rand(s) % fmt->nlayouts].name));
	json_object_set_new(t, "base", fz_jm_hex((uint64_t)(1 + fz_rand(s) % 8) << 28));
	char key[32];
	snprintf(key, sizeof key, "%s_bits", pt_format_index_name(fmt));
	unsigned bits = fz_rand(s) % 9;
	json_object_set_new(t, key, json_integer(bits));
	json_t *entries = json_array();
	unsigned n = 1 + fz_rand(s) % 3;
	for (unsigned i = 0; i < n; i++) {
		json_t *e = json_object();
		json_object_set_new(e, pt_format_index_name(fmt),
				    json_integer(fz_rand(s) % (1u << bits)));
		json_t *fields = json_object();
		const struct pt_field *f = &fmt->entry->fields[fz_rand(s) % fmt->entry->nfields];
		json_object_set_new(fields, f->name, json_integer(0));
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

static inline size_t fz_jm_store(json_t *root, uint8_t *data, size_t size, size_t max_size)
{
	size_t need = json_dumpb(root, NULL, 0, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (need == 0 || need > max_size) {
		json_decref(root);
		return LLVMFuzzerMutate(data, size, max_size);
	}
	json_dumpb(root, (char *)data, need, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return need;
}

static inline void fz_jm_mutate_tree(struct fz_jm *m, uint32_t *s)
{
	const struct fz_words *ws = fz_words();
	struct fz_jm_node *n = &m->n[fz_rand(s) % m->count];
	switch (fz_rand(s) % 9) {
	case 0: case 1: /* a scalar gets a new value */
		if (!json_is_object(n->node) && !json_is_array(n->node))
			fz_jm_replace(n, fz_jm_value(m, s));
		else if (json_is_object(n->node))
			json_object_set_new(n->node, ws->w[fz_rand(s) % ws->n], fz_jm_value(m, s));
		break;
	case 2: /* a known field name added to some object */
		for (size_t k = 0; k < m->count; k++) {
			struct fz_jm_node *o = &m->n[(fz_rand(s) + k) % m->count];
			if (json_is_object(o->node)) {
				json_object_set_new(o->node, ws->w[fz_rand(s) % ws->n],
						    fz_jm_value(m, s));
				break;
			}
		}
		break;
	case 3: /* a member or element removed */
		if (n->parent && json_is_object(n->parent)) {
			char key[256];
			snprintf(key, sizeof key, "%s", n->key);
			json_object_del(n->parent, key);
		} else if (n->parent)
			json_array_remove(n->parent, n->index);
		break;
	case 4: /* an array element duplicated (an entry, an l1 descriptor) */
		if (n->parent && json_is_array(n->parent) && json_array_size(n->parent) < 512) {
			json_t *copy = json_deep_copy(n->node);
			if (copy && json_is_object(copy)) {
				const char *k;
				json_t *v;
				json_object_foreach(copy, k, v) {
					if (json_is_integer(v) && fz_rand(s) % 2)
						json_object_set_new(copy, k,
								    json_integer(json_integer_value(v) +
										 1 + fz_rand(s) % 4));
					break;
				}
			}
			json_array_append_new(n->parent, copy);
		}
		break;
	case 5: /* a string becomes a known name */
		if (json_is_string(n->node))
			fz_jm_replace(n, json_string(ws->w[fz_rand(s) % ws->n]));
		break;
	case 6: /* an integer nudged */
		if (json_is_integer(n->node)) {
			json_int_t v = json_integer_value(n->node);
			fz_jm_replace(n, json_integer(v + (json_int_t)(fz_rand(s) % 5) - 2));
		}
		break;
	case 7: /* an address string nudged by a page or an entry */
		if (json_is_string(n->node)) {
			uint64_t v;
			if (pt_json_u64(n->node, &v) == 0) {
				uint64_t step = fz_rand(s) % 2 ? 0x1000 : 0x8;
				fz_jm_replace(n, fz_jm_hex(fz_rand(s) % 2 ? v + step : v - step));
			}
		}
		break;
	default: /* two elements of an array swapped */
		if (json_is_array(n->node) && json_array_size(n->node) > 1) {
			size_t a = fz_rand(s) % json_array_size(n->node);
			size_t b = fz_rand(s) % json_array_size(n->node);
			json_t *x = json_incref(json_array_get(n->node, a));
			json_array_set(n->node, a, json_array_get(n->node, b));
			json_array_set_new(n->node, b, x);
		}
		break;
	}
}

static inline size_t fz_json_mutate(uint8_t *data, size_t size, size_t max_size, unsigned seed)
{
	fz_init();
	uint32_t s = seed;
	if (fz_rand(&s) % 5 == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	json_error_t je;
	json_t *root = json_loadb((const char *)data, size, 0, &je);
	if (!root) {
		if (fz_rand(&s) % 2)
			return LLVMFuzzerMutate(data, size, max_size);
		return fz_jm_store(fz_jm_dummy(&s), data, size, max_size);
	}
	static struct fz_jm m; /* big: not on the stack */
	unsigned rounds = 1 + fz_rand(&s) % 3;
	for (unsigned r = 0; r < rounds; r++) {
		m.count = m.naddrs = 0;
		fz_jm_collect(&m, root, NULL, NULL, 0);
		fz_jm_mutate_tree(&m, &s);
	}
	return fz_jm_store(root, data, size, max_size);
}

#endif
