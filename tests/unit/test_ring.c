/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ring walker: PROD/CONS with wrap bits at every boundary (empty, full,
 * one pending, the two impossible pairs), slot order oldest first, slots the
 * input does not hold, and the size and address caps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "ring.h"

static struct pt_ring ring(unsigned log2, uint32_t prod, uint32_t cons)
{
	struct pt_ring r = { 0x1000, log2, 16, prod, cons };
	return r;
}

static void geometry_of_every_pointer_pair(void **state)
{
	(void)state;
	struct pt_ring_geom g;
	struct pt_ring r = ring(3, 5, 5);
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.slots, 8);
	assert_int_equal(g.pending, 0);
	assert_int_equal(g.order, PT_RING_ORDERED);
	r = ring(3, 5 | 8, 5); /* full: same index, wraps differ */
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.pending, 8);
	assert_int_equal(g.order, PT_RING_ORDERED);
	r = ring(3, 6, 5);
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.pending, 1);
	r = ring(3, 0 | 8, 7); /* wrapped once, one pending */
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.pending, 1);
	assert_int_equal(g.order, PT_RING_ORDERED);
	r = ring(3, 4, 5); /* same wrap, PROD behind CONS */
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.order, PT_RING_PROD_BEHIND);
	assert_int_equal(g.pending, 7);
	r = ring(3, 6 | 8, 5); /* more than a lap ahead */
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.order, PT_RING_OVERLAP);
	assert_int_equal(g.pending, 1);
	/* Bits above the wrap bit (CONS.ERR, OVFLG) do not count. */
	r = ring(3, 6 | 0x80000000u, 5 | 0x7f000000u);
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.pending, 1);
	assert_int_equal(g.order, PT_RING_ORDERED);
}

static void size_and_address_caps(void **state)
{
	(void)state;
	struct pt_ring_geom g;
	struct pt_ring r = ring(PT_RING_MAX_LOG2, 0, 0);
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.slots, 1u << PT_RING_MAX_LOG2);
	r = ring(PT_RING_MAX_LOG2 + 1, 0, 0);
	assert_int_equal(pt_ring_geometry(&r, &g), -1);
	r = ring(0, 0, 0);
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	assert_int_equal(g.slots, 1);
	r = ring(4, 0, 0);
	r.base = UINT64_MAX - 16 * 16 + 1; /* last slot ends at 2^64 - 1 */
	assert_int_equal(pt_ring_geometry(&r, &g), 0);
	r.base++;
	assert_int_equal(pt_ring_geometry(&r, &g), -1);
	r = ring(4, 0, 0);
	r.entry_size = PT_RING_MAX_ENTRY + 1;
	assert_int_equal(pt_ring_geometry(&r, &g), -1);
	r.entry_size = 0;
	assert_int_equal(pt_ring_geometry(&r, &g), -1);
}

struct seen {
	uint32_t n;
	uint32_t index[16];
	int64_t age[16];
	enum pt_ring_state state[16];
	int mapped[16];
	uint8_t first[16];
	uint32_t stop_after;
};

static int record(void *user, const struct pt_ring_slot *s)
{
	struct seen *v = user;
	assert_int_equal(s->order, v->n);
	v->index[v->n] = s->index;
	v->age[v->n] = s->age;
	v->state[v->n] = s->state;
	v->mapped[v->n] = s->mapped;
	v->first[v->n] = s->raw[0];
	assert_int_equal(s->addr, 0x1000 + 16u * s->index);
	v->n++;
	return v->stop_after && v->n == v->stop_after;
}

static void walks_oldest_first_and_marks_unmapped_slots(void **state)
{
	(void)state;
	/* Slots 0..6 in the input (slot i's first byte is i + 1), slot 7 not. */
	uint8_t mem[7 * 16] = { 0 };
	for (unsigned i = 0; i < 7; i++)
		mem[i * 16] = (uint8_t)(i + 1);
	struct pt_source src;
	pt_source_init(&src, "t");
	assert_true(pt_source_add_buffer(&src, "t", mem, sizeof mem) >= 0);
	assert_int_equal(pt_source_add_range(&src, 0x1000, sizeof mem, 0, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	struct pt_ring r = ring(3, 2 | 8, 6); /* pending: 6, 7, 0, 1 */
	struct seen v;
	memset(&v, 0, sizeof v);
	assert_int_equal(pt_ring_walk(&r, &src, record, &v), 0);
	assert_int_equal(v.n, 8);
	static const uint32_t want[8] = { 2, 3, 4, 5, 6, 7, 0, 1 };
	static const int64_t age[8] = { -4, -3, -2, -1, 0, 1, 2, 3 };
	for (unsigned k = 0; k < 8; k++) {
		assert_int_equal(v.index[k], want[k]);
		assert_int_equal(v.age[k], age[k]);
		assert_int_equal(v.state[k], k < 4 ? PT_RING_CONSUMED : PT_RING_PENDING);
		assert_int_equal(v.mapped[k], want[k] != 7);
		assert_int_equal(v.first[k], want[k] != 7 ? want[k] + 1 : 0);
	}
	/* A callback can stop the walk. */
	memset(&v, 0, sizeof v);
	v.stop_after = 3;
	assert_int_equal(pt_ring_walk(&r, &src, record, &v), 0);
	assert_int_equal(v.n, 3);
	/* An unwalkable ring calls nothing. */
	memset(&v, 0, sizeof v);
	r.log2size = PT_RING_MAX_LOG2 + 1;
	assert_int_equal(pt_ring_walk(&r, &src, record, &v), -1);
	assert_int_equal(v.n, 0);
	pt_source_free(&src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geometry_of_every_pointer_pair),
		cmocka_unit_test(size_and_address_caps),
		cmocka_unit_test(walks_oldest_first_and_marks_unmapped_slots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
