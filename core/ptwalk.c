/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ptwalk.h"

static const char *const decision_names[PT_PTW_DEC_COUNT] = {
	[PT_PTW_DEC_TABLE] = "table",
	[PT_PTW_DEC_BLOCK] = "block",
	[PT_PTW_DEC_PAGE] = "page",
	[PT_PTW_DEC_INVALID] = "invalid",
	[PT_PTW_DEC_RESERVED] = "reserved",
	[PT_PTW_DEC_ADDR_SIZE] = "address-size",
	[PT_PTW_DEC_NO_ACCESS] = "access-flag",
	[PT_PTW_DEC_NOT_IN_DUMP] = "not-in-dump",
};

const char *pt_ptw_decision_name(enum pt_ptw_decision d)
{
	return (unsigned)d < PT_PTW_DEC_COUNT ? decision_names[d] : "?";
}

static uint64_t low_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

unsigned pt_ptw_level_shift(const struct pt_ptw_format *f, int level)
{
	return f->granule_bits + f->stride * (unsigned)(f->last_level - level);
}

/* Index bits of the start level: whatever the levels below leave over. */
static int start_bits(const struct pt_ptw_regime *r, unsigned *bits)
{
	unsigned shift = pt_ptw_level_shift(r->fmt, r->start_level);
	if (r->ia_bits <= shift)
		return -1;
	*bits = r->ia_bits - shift;
	return 0;
}

int pt_ptw_check_regime(const struct pt_ptw_regime *r, const char **why)
{
	const struct pt_ptw_format *f = r->fmt;
	unsigned bits;
	if (!f || r->start_level < f->first_level || r->start_level > f->last_level) {
		*why = "start level outside the levels of this granule";
		return -1;
	}
	if (r->ia_bits > 64 || r->oa_bits > 64 || start_bits(r, &bits) != 0) {
		*why = "input size leaves no index bits at the start level";
		return -1;
	}
	if (bits > f->stride + PT_PTW_MAX_CONCAT_BITS) {
		*why = "input size needs more start tables than may be concatenated";
		return -1;
	}
	if (r->next && r->next->next) {
		*why = "more than two stages";
		return -1;
	}
	return 0;
}

uint64_t pt_ptw_root_bytes(const struct pt_ptw_regime *r)
{
	unsigned bits = 0;
	if (start_bits(r, &bits) != 0)
		return 0;
	return (uint64_t)r->fmt->desc_bytes << bits;
}

uint64_t pt_ptw_desc_addr(const struct pt_field *const *fields, uint64_t desc)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, desc);
	uint64_t a = 0;
	for (size_t i = 0; fields && fields[i]; i++)
		a |= pt_field_get(raw, fields[i]);
	return a;
}

static uint64_t field_of(const struct pt_field *f, uint64_t desc)
{
	uint8_t raw[8];
	pt_put_le64(raw, 0, desc);
	return pt_field_get(raw, f);
}

static enum pt_read_status read_desc(struct pt_source *src, const struct pt_ptw_regime *r,
				     uint64_t addr, uint64_t *desc)
{
	uint8_t b[8] = { 0 };
	enum pt_read_status st = pt_source_read(src, addr, b, r->fmt->desc_bytes);
	if (st != PT_READ_OK)
		return st;
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)b[r->big_endian ? 7 - i : i] << (8 * i);
	*desc = v;
	return PT_READ_OK;
}

/* What one stage's walk ended on. */
struct stage_out {
	uint64_t oa, leaf, leaf_address, hier_or, hier_and;
	int level;
	unsigned size_bits;
};

static struct pt_ptw_step *add_step(struct pt_ptw_result *res)
{
	if (res->nsteps >= PT_PTW_MAX_STEPS)
		return NULL;
	struct pt_ptw_step *s = &res->steps[res->nsteps++];
	memset(s, 0, sizeof *s);
	return s;
}

static int fail(struct pt_ptw_result *res, const struct pt_ptw_regime *r, enum pt_ptw_fault kind,
		int level, enum pt_ptw_purpose purpose, uint64_t ia, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static int fail(struct pt_ptw_result *res, const struct pt_ptw_regime *r, enum pt_ptw_fault kind,
		int level, enum pt_ptw_purpose purpose, uint64_t ia, const char *fmt, ...)
{
	struct pt_ptw_fault_info *fi = &res->fault;
	fi->kind = kind;
	fi->stage = r->stage;
	fi->level = level;
	fi->purpose = purpose;
	fi->addr = ia;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fi->reason, sizeof fi->reason, fmt, ap);
	va_end(ap);
	res->ok = 0;
	return -1;
}

static int walk_stage(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t ia,
		      enum pt_ptw_purpose purpose, const struct pt_ptw_access *acc,
		      struct pt_ptw_result *res, struct stage_out *out);

/* A nested stage's address (table or descriptor) made physical. */
static int through_next(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t addr,
			enum pt_ptw_purpose purpose, const struct pt_ptw_access *acc,
			struct pt_ptw_result *res, uint64_t *pa)
{
	if (!r->next) {
		*pa = addr;
		return 0;
	}
	struct stage_out o;
	if (walk_stage(src, r->next, addr, purpose, acc, res, &o) != 0)
		return -1;
	*pa = o.oa;
	return 0;
}

static int leaf_kind(const struct pt_ptw_format *f, int level, uint64_t desc,
		     enum pt_ptw_decision *d)
{
	uint64_t type = f->type ? field_of(f->type, desc) : 0;
	if (level < f->last_level) {
		if (!f->type || type == f->type_table) {
			*d = PT_PTW_DEC_TABLE;
			return 0;
		}
		*d = (f->block_levels >> (level + 1)) & 1 ? PT_PTW_DEC_BLOCK : PT_PTW_DEC_RESERVED;
		return 0;
	}
	*d = !f->type || type == f->type_page ? PT_PTW_DEC_PAGE : PT_PTW_DEC_RESERVED;
	return 0;
}

static int walk_leaf(const struct pt_ptw_regime *r, uint64_t ia, int level, uint64_t desc,
		     enum pt_ptw_purpose purpose, struct pt_ptw_step *step,
		     struct pt_ptw_result *res, struct stage_out *out)
{
	const struct pt_ptw_format *f = r->fmt;
	unsigned shift = pt_ptw_level_shift(f, level);
	uint64_t base = pt_ptw_desc_addr(f->leaf_addr, desc) & ~low_mask(shift);
	/* The offset counts too: a block wider than the output size (a 64 GiB
	 * 16K-granule block under a 32-bit OAS) would otherwise reach past it
	 * from a base of 0. */
	uint64_t oa = base | (ia & low_mask(shift));
	if (r->oa_bits < 64 && oa >> r->oa_bits) {
		if (step)
			step->decision = PT_PTW_DEC_ADDR_SIZE;
		return fail(res, r, PT_PTF_ADDR_SIZE, level, purpose, ia,
			    "output address 0x%llx is beyond the %u-bit output size",
			    (unsigned long long)oa, r->oa_bits);
	}
	if (f->af && !r->af_ignored && field_of(f->af, desc) == 0) {
		if (step)
			step->decision = PT_PTW_DEC_NO_ACCESS;
		return fail(res, r, PT_PTF_ACCESS, level, purpose, ia,
			    "access flag is 0 and the hardware does not update it");
	}
	out->oa = oa;
	out->leaf = desc;
	out->level = level;
	out->size_bits = shift;
	return 0;
}

static int walk_stage(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t ia,
		      enum pt_ptw_purpose purpose, const struct pt_ptw_access *acc,
		      struct pt_ptw_result *res, struct stage_out *out)
{
	const struct pt_ptw_format *f = r->fmt;
	const char *why;
	unsigned nbits = 0;
	memset(out, 0, sizeof *out);
	out->hier_and = UINT64_MAX;
	if (pt_ptw_check_regime(r, &why) != 0)
		return fail(res, r, PT_PTF_TRANSLATION, -2, purpose, ia, "%s", why);
	start_bits(r, &nbits);
	if (r->ia_bits < 64 && ia >> r->ia_bits)
		return fail(res, r, PT_PTF_TRANSLATION, r->start_level, purpose, ia,
			    "input address 0x%llx is beyond the %u-bit input region",
			    (unsigned long long)ia, r->ia_bits);
	/* Bits of the base below the start table's size are treated as 0. */
	uint64_t table = r->root & ~(pt_ptw_root_bytes(r) - 1);
	if (r->oa_bits < 64 && table >> r->oa_bits)
		return fail(res, r, PT_PTF_ADDR_SIZE, r->start_level, purpose, ia,
			    "start table 0x%llx is beyond the %u-bit output size",
			    (unsigned long long)table, r->oa_bits);
	static const struct pt_ptw_access table_read = { 0, 0, 1 };
	for (int level = r->start_level; level <= f->last_level; level++) {
		unsigned shift = pt_ptw_level_shift(f, level);
		unsigned bits = level == r->start_level ? nbits : f->stride;
		uint64_t index = (ia >> shift) & low_mask(bits);
		uint64_t pte_ia = table + index * f->desc_bytes;
		uint64_t pte_pa;
		(void)acc;
		if (through_next(src, r, pte_ia, PT_PTW_FOR_TABLE, &table_read, res, &pte_pa) != 0)
			return -1;
		struct pt_ptw_step *s = add_step(res);
		if (s) {
			s->stage = r->stage;
			s->level = level;
			s->purpose = purpose;
			s->ia = ia;
			s->table = table;
			s->index = (uint32_t)index;
			s->pte_address = pte_ia;
		}
		uint64_t desc = 0;
		enum pt_read_status st = read_desc(src, r, pte_pa, &desc);
		if (st != PT_READ_OK) {
			if (s)
				s->decision = PT_PTW_DEC_NOT_IN_DUMP;
			res->fault.fetch = pte_pa;
			res->fault.read = st;
			return fail(res, r, PT_PTF_NOT_IN_DUMP, level, purpose, ia,
				    st == PT_READ_EXCLUDED
					    ? "the level-%d descriptor at 0x%llx is in a page the dump left out"
					    : "the level-%d descriptor at 0x%llx is not in the input",
				    level, (unsigned long long)pte_pa);
		}
		if (s)
			s->pte = desc;
		if (field_of(f->valid, desc) == 0) {
			if (s)
				s->decision = PT_PTW_DEC_INVALID;
			return fail(res, r, PT_PTF_TRANSLATION, level, purpose, ia,
				    "level-%d descriptor is invalid", level);
		}
		enum pt_ptw_decision d;
		leaf_kind(f, level, desc, &d);
		if (s)
			s->decision = d;
		if (d == PT_PTW_DEC_RESERVED)
			return fail(res, r, PT_PTF_TRANSLATION, level, purpose, ia,
				    level < f->last_level
					    ? "level-%d block descriptor where the granule has no blocks"
					    : "level-%d descriptor has the reserved type encoding",
				    level);
		if (d == PT_PTW_DEC_TABLE) {
			table = pt_ptw_desc_addr(f->table_addr, desc) & ~low_mask(f->granule_bits);
			if (r->oa_bits < 64 && table >> r->oa_bits) {
				if (s)
					s->decision = PT_PTW_DEC_ADDR_SIZE;
				return fail(res, r, PT_PTF_ADDR_SIZE, level, purpose, ia,
					    "next-level table 0x%llx is beyond the %u-bit output size",
					    (unsigned long long)table, r->oa_bits);
			}
			if (!r->hier_disabled) {
				out->hier_or |= desc & f->hier_or;
				out->hier_and &= desc | ~f->hier_and;
			}
			continue;
		}
		out->leaf_address = pte_ia;
		return walk_leaf(r, ia, level, desc, purpose, s, res, out);
	}
	return fail(res, r, PT_PTF_TRANSLATION, f->last_level, purpose, ia, "walk ran past the last level");
}

int pt_ptw_translate(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t ia,
		     enum pt_ptw_purpose purpose, const struct pt_ptw_access *acc,
		     struct pt_ptw_result *res)
{
	memset(res, 0, sizeof *res);
	res->ia = ia;
	res->leaf_level = -2;
	struct stage_out o;
	if (walk_stage(src, r, ia, purpose, acc, res, &o) != 0)
		return 0;
	res->leaf = o.leaf;
	res->leaf_level = o.level;
	res->leaf_address = o.leaf_address;
	res->size_bits = o.size_bits;
	res->hier_or = o.hier_or;
	res->hier_and = o.hier_and;
	res->oa = o.oa;
	const char *why = NULL;
	if (acc && r->permits && r->permits(r, res, acc, &why) != 0) {
		fail(res, r, PT_PTF_PERMISSION, o.level, purpose, ia, "%s", why ? why : "not permitted");
		return 0;
	}
	if (r->next) {
		struct pt_ptw_result sub;
		/* The output stage judges the access too; its result borrows
		 * our step list so the whole walk reads top to bottom. */
		memset(&sub, 0, sizeof sub);
		struct stage_out o2;
		res->fault.kind = PT_PTF_NONE;
		if (walk_stage(src, r->next, o.oa, purpose, acc, res, &o2) != 0)
			return 0;
		res->has_next_leaf = 1;
		res->next_leaf = o2.leaf;
		res->next_leaf_level = o2.level;
		res->next_size_bits = o2.size_bits;
		res->next_hier_or = o2.hier_or;
		res->next_hier_and = o2.hier_and;
		res->oa = o2.oa;
		if (acc && r->next->permits) {
			sub = *res;
			sub.leaf = o2.leaf;
			sub.leaf_level = o2.level;
			sub.size_bits = o2.size_bits;
			sub.hier_or = o2.hier_or;
			sub.hier_and = o2.hier_and;
			if (r->next->permits(r->next, &sub, acc, &why) != 0) {
				fail(res, r->next, PT_PTF_PERMISSION, o2.level, purpose, o.oa, "%s",
				     why ? why : "not permitted");
				return 0;
			}
		}
	}
	res->ok = 1;
	return 1;
}

static uint64_t field_mask(const struct pt_field *x)
{
	return low_mask(x->width) << x->lsb;
}

uint64_t pt_ptw_res0_bits(const struct pt_ptw_format *f, int level, uint64_t desc,
			  enum pt_ptw_decision d)
{
	const struct pt_struct *st = d == PT_PTW_DEC_TABLE   ? f->table
				     : d == PT_PTW_DEC_BLOCK ? f->block
				     : d == PT_PTW_DEC_PAGE  ? f->page
							     : NULL;
	if (!st)
		return 0;
	/* A block's address field starts at the smallest block size; a
	 * larger block leaves the bits below its own size RES0. */
	unsigned below = d == PT_PTW_DEC_BLOCK ? pt_ptw_level_shift(f, level) : 0;
	uint64_t m = 0;
	for (size_t i = 0; i < st->nfields; i++) {
		const struct pt_field *x = &st->fields[i];
		if (x->kind == PT_FK_RES0)
			m |= field_mask(x);
		else if (x->kind == PT_FK_ADDR && x->shift < below) {
			unsigned n = below - x->shift;
			m |= low_mask(n < x->width ? n : x->width) << x->lsb;
		}
	}
	return desc & m;
}

/* ---- Tree walk ---- */

struct frame {
	int level;
	uint64_t table;      /* address of the table (an IPA when nested) */
	uint64_t table_pa;   /* where it is read */
	uint64_t ia;         /* input address of entry 0 */
	uint64_t n, i;       /* entries, next one to read */
	uint64_t hier_or, hier_and;
	const uint8_t *direct;
};

static void event(const struct pt_ptw_visit_ops *ops, void *user, enum pt_ptw_event ev, int level,
		  uint64_t addr, uint64_t ia, const char *what)
{
	if (ops->event)
		ops->event(user, ev, level, addr, ia, what);
}

static int on_path(const struct frame *stack, int depth, uint64_t table)
{
	for (int i = 0; i < depth; i++)
		if (stack[i].table == table)
			return 1;
	return 0;
}

static int push(struct pt_source *src, const struct pt_ptw_regime *r, struct frame *stack,
		int *depth, int level, uint64_t table, uint64_t ia, uint64_t n, uint64_t hor,
		uint64_t hand, const struct pt_ptw_visit_ops *ops, void *user,
		struct pt_ptw_visit_stats *st)
{
	uint64_t bytes = n * r->fmt->desc_bytes;
	if (on_path(stack, *depth, table)) {
		event(ops, user, PT_PTW_EV_LOOP, level, table, ia,
		      "table is one of its own ancestors");
		return 0;
	}
	uint64_t pa = table;
	if (r->next) {
		/* Nested: the table's own address goes through the next stage.
		 * One translation per table: its stage-2 page holds all of it
		 * unless the stage-2 granule is smaller than this one's tables. */
		static const struct pt_ptw_access rd = { 0, 0, 1 };
		static struct pt_ptw_result sub;
		if (!pt_ptw_translate(src, r->next, table, PT_PTW_FOR_TABLE, &rd, &sub)) {
			event(ops, user, sub.fault.kind == PT_PTF_NOT_IN_DUMP ? PT_PTW_EV_NOT_IN_DUMP
									       : PT_PTW_EV_NEXT_STAGE,
			      level, table, ia, "the next stage does not translate the table's address");
			return 0;
		}
		pa = sub.oa;
	}
	if (!pt_source_covers(src, pa, r->fmt->desc_bytes)) {
		/* A table only partly held is walked as far as it is. */
		event(ops, user, PT_PTW_EV_NOT_IN_DUMP, level, table, ia, "table is not in the input");
		return 0;
	}
	if (ops->table) {
		int t = ops->table(user, level, table, bytes, ia);
		if (t == PT_PTW_SKIP)
			return 0;
		if (t)
			return 1;
	}
	st->tables++;
	struct frame *fr = &stack[(*depth)++];
	fr->level = level;
	fr->table = table;
	fr->table_pa = pa;
	fr->ia = ia;
	fr->n = n;
	fr->i = 0;
	fr->hier_or = hor;
	fr->hier_and = hand;
	fr->direct = r->big_endian ? NULL : pt_source_direct(src, pa, bytes);
	return 0;
}

static int read_entry(struct pt_source *src, const struct pt_ptw_regime *r,
		      const struct frame *fr, uint64_t i, uint64_t *desc)
{
	if (fr->direct) {
		*desc = pt_le64(fr->direct, i);
		return 0;
	}
	uint64_t addr = fr->table_pa + i * r->fmt->desc_bytes;
	return read_desc(src, r, addr, desc) == PT_READ_OK ? 0 : -1;
}

int pt_ptw_visit(struct pt_source *src, const struct pt_ptw_regime *r, uint64_t budget,
		 const struct pt_ptw_visit_ops *ops, void *user, struct pt_ptw_visit_stats *st)
{
	const struct pt_ptw_format *f = r->fmt;
	const char *why;
	struct frame stack[PT_PTW_MAX_LEVELS];
	int depth = 0;
	memset(st, 0, sizeof *st);
	if (pt_ptw_check_regime(r, &why) != 0)
		return -1;
	unsigned nbits = 0;
	start_bits(r, &nbits);
	uint64_t root = r->root & ~(pt_ptw_root_bytes(r) - 1);
	if (r->oa_bits < 64 && root >> r->oa_bits) {
		event(ops, user, PT_PTW_EV_ADDR_SIZE, r->start_level, root, 0,
		      "start table is beyond the output size");
		return 0;
	}
	if (push(src, r, stack, &depth, r->start_level, root, 0, UINT64_C(1) << nbits, 0,
		 UINT64_MAX, ops, user, st))
		goto stopped;
	while (depth > 0) {
		struct frame *fr = &stack[depth - 1];
		if (fr->i >= fr->n) {
			if (fr->direct)
				pt_source_release(src, fr->table_pa, fr->n * f->desc_bytes);
			depth--;
			continue;
		}
		if (budget && st->descriptors >= budget) {
			st->budget_hit = 1;
			event(ops, user, PT_PTW_EV_BUDGET, fr->level, fr->table, fr->ia,
			      "descriptor budget reached");
			return 0;
		}
		uint64_t addr = fr->table + fr->i * f->desc_bytes;
		unsigned shift = pt_ptw_level_shift(f, fr->level);
		uint64_t ia = fr->ia + (fr->i << shift);
		uint64_t desc;
		int level = fr->level;
		uint64_t i = fr->i++;
		if (read_entry(src, r, fr, i, &desc) != 0) {
			event(ops, user, PT_PTW_EV_NOT_IN_DUMP, level, addr, ia,
			      "descriptor is not in the input");
			/* The rest of a partly held table is skipped in one go. */
			fr->i = fr->n;
			continue;
		}
		st->descriptors++;
		if (field_of(f->valid, desc) == 0)
			continue;
		enum pt_ptw_decision d;
		leaf_kind(f, level, desc, &d);
		if (ops->desc && ops->desc(user, level, addr, desc, d))
			goto stopped;
		if (d == PT_PTW_DEC_RESERVED) {
			event(ops, user, PT_PTW_EV_RESERVED, level, addr, ia,
			      level < f->last_level ? "block descriptor where the granule has no blocks"
						    : "reserved descriptor type at the last level");
			continue;
		}
		if (d == PT_PTW_DEC_TABLE) {
			uint64_t next = pt_ptw_desc_addr(f->table_addr, desc) & ~low_mask(f->granule_bits);
			if (r->oa_bits < 64 && next >> r->oa_bits) {
				event(ops, user, PT_PTW_EV_ADDR_SIZE, level, addr, ia,
				      "next-level table is beyond the output size");
				continue;
			}
			uint64_t hor = fr->hier_or, hand = fr->hier_and;
			if (!r->hier_disabled) {
				hor |= desc & f->hier_or;
				hand &= desc | ~f->hier_and;
			}
			if (push(src, r, stack, &depth, level + 1, next, ia, UINT64_C(1) << f->stride,
				 hor, hand, ops, user, st))
				goto stopped;
			continue;
		}
		uint64_t base = pt_ptw_desc_addr(f->leaf_addr, desc) & ~low_mask(shift);
		if (r->oa_bits < 64 && base >> r->oa_bits) {
			event(ops, user, PT_PTW_EV_ADDR_SIZE, level, addr, ia,
			      "output address is beyond the output size");
			continue;
		}
		struct pt_ptw_leaf lf = { ia, base, shift, level, desc, addr, fr->hier_or,
					  fr->hier_and };
		st->leaves++;
		if (ops->leaf && ops->leaf(user, &lf))
			goto stopped;
	}
	return 0;
stopped:
	st->stopped = 1;
	return 0;
}

/* ---- Ranges ---- */

void pt_ptw_range_start(const struct pt_ptw_format *f, struct pt_ptw_range *cur,
			const struct pt_ptw_leaf *leaf)
{
	cur->open = 1;
	cur->ia = leaf->ia;
	cur->oa = leaf->oa;
	cur->size = UINT64_C(1) << leaf->size_bits;
	cur->attrs = leaf->desc & f->leaf_attr_mask;
	cur->hier_or = leaf->hier_or;
	cur->hier_and = leaf->hier_and;
	cur->first = *leaf;
}

int pt_ptw_range_extends(const struct pt_ptw_format *f, struct pt_ptw_range *cur,
			 const struct pt_ptw_leaf *leaf)
{
	if (!cur->open)
		return 1;
	if (leaf->ia != cur->ia + cur->size || leaf->oa != cur->oa + cur->size ||
	    (leaf->desc & f->leaf_attr_mask) != cur->attrs || leaf->hier_or != cur->hier_or ||
	    leaf->hier_and != cur->hier_and)
		return 1;
	uint64_t add = UINT64_C(1) << leaf->size_bits;
	if (cur->size + add < cur->size)
		return 1;
	cur->size += add;
	return 0;
}
