/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The queue model over a small command queue in memory: geometry from the
 * register values, what each slot holds (a CMD_SYNC its own MSI zeroed, one
 * Linux wrote over an illegal command, never-written slots), the one-line
 * summary, and register findings at their boundaries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "smmuv3_queue.h"
#include "smmuv3_queue_rules.h"

#define BASE 0x4000u

static uint8_t mem[8 * SMMU_CMD_SIZE];
static struct pt_source src;
static struct pt_diag_sink diags;

static void slot(unsigned i, uint64_t d0, uint64_t d1)
{
	pt_put_le64(mem + i * SMMU_CMD_SIZE, 0, d0);
	pt_put_le64(mem + i * SMMU_CMD_SIZE, 1, d1);
}

static int setup_mem(void **state)
{
	(void)state;
	memset(mem, 0, sizeof mem);
	slot(0, 0x03 | UINT64_C(8) << 32, 1);                   /* CFGI_STE sid 8 */
	slot(1, 0, BASE + 1 * SMMU_CMD_SIZE);                   /* SYNC, zeroed by its MSI */
	slot(2, 0x46 | 2u << 12 | 3u << 22 | 0xfu << 24, 0);    /* SEV SYNC: a repaired ILL */
	slot(3, 0x46 | 1u << 12, BASE + 3 * SMMU_CMD_SIZE);     /* SYNC, MSI, pending */
	pt_source_init(&src, "m");
	assert_true(pt_source_add_buffer(&src, "m", mem, sizeof mem) >= 0);
	assert_int_equal(pt_source_add_range(&src, BASE, sizeof mem, 0, 0, sizeof mem), 0);
	assert_int_equal(pt_source_finish(&src, NULL), 0);
	pt_diag_init(&diags, "m", NULL);
	return 0;
}

static int teardown_mem(void **state)
{
	(void)state;
	pt_source_free(&src);
	pt_diag_free(&diags);
	return 0;
}

static unsigned count(const char *rule)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < diags.nitems; i++)
		n += strcmp(diags.items[i].rule->id, rule) == 0;
	return n;
}

struct seen {
	const struct smmu_queue *q;
	struct smmu_qentry e[8];
	unsigned n;
};

static int record(void *user, const struct pt_ring_slot *s)
{
	struct seen *v = user;
	smmu_queue_classify(v->q, s, &v->e[s->index]);
	v->n++;
	return 0;
}

static void linux_history_is_read_as_linux_wrote_it(void **state)
{
	(void)state;
	struct smmu_queue q;
	struct smmu_queue_vals v = { BASE | 3, 4, 3, 19 };
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(diags.nitems, 0);
	smmu_queue_scan(&q, &src);
	assert_true(q.msi_polled);
	struct seen s = { &q, { { 0 } }, 0 };
	pt_ring_walk(&q.ring, &src, record, &s);
	assert_int_equal(s.n, 8);
	assert_string_equal(s.e[0].name, "CMD_CFGI_STE");
	assert_null(s.e[0].note);
	assert_int_equal(s.e[0].state, SMMU_QE_CONSUMED);
	assert_string_equal(s.e[1].name, "CMD_SYNC");
	assert_non_null(strstr(s.e[1].note, "zeroed word 0"));
	assert_non_null(strstr(s.e[2].note, "CERROR_ILL"));
	assert_int_equal(s.e[3].state, SMMU_QE_PENDING);
	assert_null(s.e[3].note);
	assert_int_equal(s.e[5].state, SMMU_QE_EMPTY);
	char line[160];
	smmu_queue_summary(&q, &src, line, sizeof line);
	assert_string_equal(line, "cmdq @ 0x4000: 2^3 entries, 1 pending, 3 consumed still in "
				  "memory");
	/* Without MSI-polled SYNCs elsewhere, a SEV SYNC is just a SYNC and a
	 * zero first word is a Reserved opcode. */
	slot(1, 0x46 | 2u << 12, 0);
	slot(3, 0x46 | 2u << 12, 0);
	smmu_queue_scan(&q, &src);
	assert_false(q.msi_polled);
	pt_ring_walk(&q.ring, &src, record, &s);
	assert_null(s.e[2].note);
	teardown_mem(NULL);
	setup_mem(NULL);
}

static void register_findings_at_their_boundaries(void **state)
{
	(void)state;
	struct smmu_queue q;
	/* LOG2SIZE equal to IDR1's limit is fine; one more is capped. */
	struct smmu_queue_vals v = { BASE | 8, 0, 0, 8 };
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(count("QUEUE-LOG2SIZE"), 0);
	v.base_reg = 0x10000 | 9;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(count("QUEUE-LOG2SIZE"), 1);
	assert_int_equal(q.ring.log2size, 8);
	/* A base aligned to the queue's bytes is fine; 32 bytes less is not. */
	v.base_reg = 0x1000 | 8; /* 2^8 * 16 = 0x1000 */
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(count("QUEUE-BASE-ALIGN"), 0);
	v.base_reg = 0x0fe0 | 8;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(count("QUEUE-BASE-ALIGN"), 1);
	assert_int_equal(q.ring.base, 0);
	/* RA (bit 62) and bits above 55 are not address bits. */
	v.base_reg = UINT64_C(0x4000000000001000) | 8;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(q.ring.base, 0x1000);
	/* CONS.ERR: 0 is silent, 1 is CERROR_ILL at CONS. */
	v.cons = 0x01000003;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	assert_int_equal(q.err, SMMU_CERROR_ILL);
	assert_int_equal(count("CMDQ-ERROR"), 1);
	/* Event queue overflow: flags equal is fine, different is reported. */
	struct smmu_queue_vals e = { 0x2000 | 2, 0x80000001, 0x80000000, 19 };
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_EVT, &e, &diags), 0);
	assert_int_equal(count("EVTQ-OVERFLOW"), 0);
	e.cons = 0;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_EVT, &e, &diags), 0);
	assert_int_equal(count("EVTQ-OVERFLOW"), 1);
	/* Index bits: the wrap bit is bit LOG2SIZE; the bit above it is RES0. */
	struct smmu_queue_vals p = { 0x3000 | 2, 0x4, 0, 19 };
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_PRI, &p, &diags), 0);
	assert_int_equal(count("QUEUE-INDEX-RES0"), 0);
	p.prod = 0x8;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_PRI, &p, &diags), 0);
	assert_int_equal(count("QUEUE-INDEX-RES0"), 1);
}

/* The register model gives a queue's values one register at a time, with
 * IDR1's size limit for it (bits [25:21] for the command queue, [20:16] for
 * the event queue); masked hint bits stay out of BASE. */
static void values_from_the_register_model(void **state)
{
	(void)state;
	struct smmu_regs r;
	struct smmu_queue_vals v;
	memset(&r, 0, sizeof r);
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_CMD, &v), 0);
	assert_int_equal(v.max_log2size, 19);
	smmu_regs_set(&r, SMMU_CMDQ_BASE, UINT64_C(0x4000000000004003));
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_CMD, &v), 1);
	assert_int_equal(v.base_reg, 0x4003);
	smmu_regs_set(&r, SMMU_CMDQ_CONS, 0x01000002);
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_CMD, &v), 5);
	assert_int_equal(v.cons, 0x01000002);
	smmu_regs_set(&r, SMMU_CMDQ_PROD, 3);
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_CMD, &v), SMMU_QUEUE_VALS_ALL);
	assert_int_equal(v.prod, 3);
	/* The other queues are not described by the command queue's registers. */
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_EVT, &v), 0);
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_PRI, &v), 0);
	smmu_regs_set(&r, SMMU_IDR1, UINT32_C(7) << 21 | UINT32_C(5) << 16);
	smmu_queue_vals_from_regs(&r, SMMU_Q_CMD, &v);
	assert_int_equal(v.max_log2size, 7);
	smmu_queue_vals_from_regs(&r, SMMU_Q_EVT, &v);
	assert_int_equal(v.max_log2size, 5);
	smmu_regs_set(&r, SMMU_EVENTQ_PROD, 1);
	assert_int_equal(smmu_queue_vals_from_regs(&r, SMMU_Q_EVT, &v), 2);
}

/* Counting the ring: consumed slots that hold something, never-written
 * ones, and slots outside the input. */
static void counts_of_a_ring(void **state)
{
	(void)state;
	struct smmu_queue q;
	struct smmu_queue_counts c;
	/* 8 slots, PROD 4, CONS 3: slot 3 pending; 4..7 consumed but zero;
	 * 0..2 consumed history. */
	struct smmu_queue_vals v = { BASE | 3, 4, 3, 19 };
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	smmu_queue_count(&q, &src, &c);
	assert_int_equal(c.consumed, 3);
	assert_int_equal(c.empty, 4);
	assert_int_equal(c.unmapped, 0);
	/* 16 slots: the second half is not in the input. */
	v.base_reg = BASE | 4;
	assert_int_equal(smmu_queue_setup(&q, SMMU_Q_CMD, &v, &diags), 0);
	smmu_queue_count(&q, &src, &c);
	assert_int_equal(c.unmapped, 8);
	assert_int_equal(c.consumed + c.empty + c.unmapped + q.geom.pending, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linux_history_is_read_as_linux_wrote_it),
		cmocka_unit_test(register_findings_at_their_boundaries),
		cmocka_unit_test(values_from_the_register_model),
		cmocka_unit_test(counts_of_a_ring),
	};
	return cmocka_run_group_tests(tests, setup_mem, teardown_mem);
}
