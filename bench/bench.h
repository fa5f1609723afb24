/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pasidtool's benchmark (`make bench`): what each part of it offers the
 * others. Every figure the benchmark prints is measured in the same run;
 * nothing here holds a constant result. */
#ifndef PT_BENCH_H
#define PT_BENCH_H

#include <stddef.h>
#include <stdint.h>

struct pt_image;
struct pt_source;
struct pt_table_cfg;

/* ---- clock.c ---- */
uint64_t bench_now_ns(void);
/* CPU time of the calling thread: what in-process figures use, so that
 * other work on a shared machine does not count against the code measured. */
uint64_t bench_cpu_ns(void);

/* ---- child.c: one run of the real pasidtool binary ---- */
struct bench_child {
	double seconds;          /* wall time from fork to exit */
	double cpu_seconds;      /* its user + system CPU time */
	double maxrss_mib;       /* peak RSS (getrusage RUSAGE_CHILDREN, ru_maxrss) */
	uint64_t out_bytes;      /* bytes it wrote to standard output */
	int status;              /* exit status, or 128 + signal */
};
/* Run argv[0] with argv; its stdout is counted and thrown away. 0 when it
 * could be run (whatever its exit status), -1 otherwise. */
int bench_child_run(const char *const argv[], struct bench_child *res);
/* The same with its standard output written to out_path (out_bytes 0):
 * "/dev/null", or a file. */
int bench_child_run_to(const char *const argv[], const char *out_path, struct bench_child *res);
/* Best of `reps` runs: least time, and the largest peak RSS seen. */
int bench_child_best(const char *const argv[], int reps, struct bench_child *res);

/* ---- spec.c: the hand-written JSON description of a full table ---- */
#define BENCH_TABLE_BASE UINT64_C(0x80000000)
/* Every SSID gets a valid CD; ASID = SSID mod 2^16 and TTB0 follows the ASID,
 * so CDs sharing an ASID agree on what the TLB caches: a clean table. */
int bench_spec_write(const char *path, const char *layout, unsigned ssid_bits);
uint64_t bench_spec_asid(uint32_t ssid);
uint64_t bench_spec_ttb0(uint32_t ssid);

/* ---- floor.c: the memory-read floor ---- */
/* Read every byte the walk of cfg reads (L1 descriptors, then the CDs of each
 * leaf a valid descriptor reaches), in the same order, straight from the
 * source's mapping, folding them into a checksum the compiler must keep. */
uint64_t bench_floor_read(const struct pt_source *src, const struct pt_table_cfg *cfg,
			  uint64_t *bytes);

/* ---- inproc.c: validate through the library, next to the floor ---- */
struct bench_validate {
	uint64_t entries;        /* CDs the walk read */
	uint64_t bytes;          /* CD and L1 bytes read */
	double walk_ns;          /* best pt_walk_run (validate = 1), thread CPU ns */
	double floor_ns;         /* best floor loop over the same mapping, thread CPU ns */
	uint64_t findings;       /* errors + warnings + notes of the last walk */
	int reps;
};
int bench_validate_inproc(const char *image, const char *layout, unsigned ssid_bits,
			  double min_seconds, struct bench_validate *res);

/* ---- sparse.c: an 8 GiB ELF core that is mostly holes ---- */
struct bench_sparse {
	uint64_t apparent;       /* st_size */
	uint64_t allocated;      /* st_blocks * 512 */
	uint64_t table;          /* address of the L1 table */
	unsigned ssid_bits;
	const char *layout;
	unsigned leaves, valid_cds;
};
int bench_sparse_create(const char *path, struct bench_sparse *res);
/* The sparse dumps' 2^20-SSID 2lvl-64k table at `table`: one valid L1
 * descriptor in 128, its leaf at leaf_addr(k), one valid CD in 16, built
 * into img; res says what was built. */
int bench_sparse_table(struct bench_sparse *res, uint64_t table, uint64_t (*leaf_addr)(unsigned k),
		       struct pt_image *img);
/* An ELF core of nsegs 1 GiB PT_LOADs from ram_base, holes but for img's
 * regions (which must lie in them). */
int bench_sparse_core(const char *path, uint64_t ram_base, unsigned nsegs,
		      const struct pt_image *img);

/* ---- kdump.c: a 4 GiB guest as a kdump-compressed vmcore ----
 * apparent: guest RAM bytes; allocated: the vmcore's size. */
int bench_kdump_create(const char *path, struct bench_sparse *res);

/* ---- queue.c: a full command queue ---- */
#define BENCH_QUEUE_BASE UINT64_C(0x40000000)
/* Write 2^log2 commands to path; args gets the CMDQ_BASE value. */
int bench_queue_write(const char *path, unsigned log2, char *args, size_t len);

/* ---- ptw.c: page-table walks at scale ---- */
struct bench_ptw {
	struct bench_child run;
	int ok;
};
/* maps of 2^20 mapped 4K pages: merged (one range) or not (2^20 ranges). */
int bench_ptw_maps(const char *tool, const char *dir, int merged, struct bench_ptw *res);
/* translate of one IOVA whose tables sit in a sparse 4 GiB ELF core. */
int bench_ptw_translate(const char *tool, const char *dir, struct bench_ptw *res);

/* ---- yardstick.c: whole-process yardsticks (the benchmark run as them) ---- */
int bench_floor_main(const char *image);
int bench_qemu_cd_main(const char *image, uint64_t base, unsigned leaf_bits, unsigned ssid_bits);
int bench_qemu_cd_self_check(void);

/* ---- headline.c: issue 15's figures on the 2^20 table ---- */
struct bench_headline_args {
	const char *tool, *self, *pydecode, *dir, *image, *layout;
	unsigned bits, leaf_bits;
	unsigned py_bits;        /* the Python decoder's table size; 0: not run */
};
struct bench_headline {
	int ok;
	const char *layout;
	unsigned bits, py_bits;
	double validate_cpu, floor_cpu, qemu_cpu, validate_rss;
	uint64_t json_bytes, text_bytes, py_bytes;
	double json_cpu, json_wall, json_rss, text_cpu, text_wall, text_rss, py_cpu;
	double pipe_cpu, pipe_wall, pipe_rss, decode_pipe_cpu, decode_pipe_wall;
	int pipe_same;
};
struct bench_report;
int bench_headline_measure(const struct bench_headline_args *a, struct bench_headline *h);
void bench_headline_report(struct bench_report *rep, const struct bench_headline *h);

/* ---- attach.c: attach build of many requests ---- */
struct bench_attach {
	int ok;
	unsigned nreq;
	uint64_t spec_bytes, out_bytes;
	double cpu, wall, rss, py_cpu, py_rss;
};
/* The requests of the attach row at 2^20 (bench/attach.c says why not 10^6). */
#define BENCH_ATTACH_MANY 900000u
int bench_attach_measure(const char *tool, const char *dir, unsigned nreq, struct bench_attach *r);
void bench_attach_report(struct bench_report *rep, const struct bench_attach *r);

/* ---- machine.c ---- */
/* One line per item ("CPU: ..."), written into buf. */
void bench_machine(char *buf, size_t len);

/* ---- report.c: the table, printed and written to docs ---- */
struct bench_report;
struct bench_report *bench_report_new(void);
void bench_report_free(struct bench_report *r);
/* A row: group, case, figure, value (already formatted), target and verdict
 * ("" when the figure has no target). */
void bench_report_row(struct bench_report *r, const char *group, const char *what,
		      const char *figure, const char *value, const char *target,
		      const char *verdict);
void bench_report_note(struct bench_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bench_report_print(const struct bench_report *r);
/* Replace the measured part of the markdown file (between its markers). */
int bench_report_markdown(const struct bench_report *r, const char *path,
			  const char *machine);

#endif
