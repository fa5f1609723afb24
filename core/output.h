/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one writer of every file a run produces (images, requests, saved
 * pages, and "-" for stdout), and the run's list of inputs and outputs that
 * keeps an output from landing on an input or on another output.
 *
 * Rules, in the order they are applied to an output PATH:
 *  - "-" is stdout;
 *  - symbolic links are followed: the file they lead to is written and the
 *    links stay;
 *  - an existing file that is not a regular file (character or block
 *    device, FIFO) is written through in place, never replaced;
 *  - anything else is replaced atomically: written to a temporary file in
 *    the target's directory, synced, renamed over the target. The temporary
 *    file is removed on every error path, at exit(), and when INT, TERM,
 *    HUP or PIPE arrive (pt_output_init installs the handlers);
 *  - zero blocks of a replaced file become holes (sparse file).
 *
 * A command that writes files, in this order:
 *   pt_run_input(path) for every input it reads (FILE@ADDR may be given whole);
 *   pt_run_output(path, ...) for every output, before writing any of them;
 *   pt_output_open / _write / _zeros / _commit (or _abort) for each.
 * Messages in err never repeat the path: callers print "PATH: err". */
#ifndef PT_OUTPUT_H
#define PT_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "rule.h"

enum pt_output_kind {
	PT_OUT_STDOUT,   /* "-" */
	PT_OUT_THROUGH,  /* an existing device or FIFO, written in place */
	PT_OUT_REPLACE,  /* a regular file, replaced atomically */
};

struct pt_output {
	enum pt_output_kind kind;
	int fd;
	int slot;              /* cleanup slot of the temporary file, -1: none */
	char *target;          /* the path written, symbolic links followed */
	uint64_t size;         /* bytes of output so far, holes included */
	uint64_t data;         /* bytes actually written (size - data are holes) */
};

/* Install the INT/TERM/HUP/PIPE handlers and the exit hook that remove
 * unfinished temporary files. Signals the parent ignored stay ignored. */
void pt_output_init(void);

/* Record an input of the run. A FILE@ADDR that names no file is recorded
 * as FILE. Files that do not exist are skipped: the reader reports them. */
void pt_run_input(const char *path);
/* Record an input given inside another input (a spec's recorded image
 * paths): relative paths are taken both from the current directory and
 * from the directory of `from`, so either reading is protected. */
void pt_run_input_near(const char *path, const char *from);
/* An input learnt after the outputs were claimed (a streamed spec that
 * names its source after the part already written): recorded as
 * pt_run_input_near does, or -1 with err set when it is a claimed output
 * (the caller then abandons that output before committing it). */
int pt_run_input_late(const char *path, const char *from, char *err, size_t errlen);
/* Claim an output: -1 with err set when it is an input of the run or an
 * output already claimed (the same file after following links). */
int pt_run_output(const char *path, char *err, size_t errlen);
/* Forget every recorded file (for tests and library users running twice). */
void pt_run_reset(void);

int pt_output_open(struct pt_output *o, const char *path, char *err, size_t errlen);
int pt_output_write(struct pt_output *o, const void *buf, uint64_t len, char *err,
		    size_t errlen);
/* len zero bytes: holes in a replaced file, plain zeros elsewhere. */
int pt_output_zeros(struct pt_output *o, uint64_t len, char *err, size_t errlen);
/* Finish: sync and rename a replacement, close a device. 0 or -1. */
int pt_output_commit(struct pt_output *o, char *err, size_t errlen);
/* Give up: remove the temporary file; a device keeps what it was sent. */
void pt_output_abort(struct pt_output *o);

/* The whole of a small output in one call: open, write, commit (or abort).
 * For commands whose output is one buffer (requests, records). */
int pt_output_buffer(const char *path, const void *buf, uint64_t len, char *err,
		     size_t errlen);

/* Flush and check stdout at the end of a run, like gnulib's close_stdout:
 * 0 when everything written reached it, 1 when the reader went away (EPIPE:
 * end quietly), -1 with err set for any other write error. */
int pt_output_close_stdout(char *err, size_t errlen);

/* Rule ids of output failures reported as findings (core/output_rules.c). */
enum { PT_R_OUT_WRITE, PT_R_OUT_COUNT };
extern const struct pt_rule pt_output_rule_list[PT_R_OUT_COUNT];
extern const struct pt_rule_set pt_output_rules;

/* True when both paths name the same existing file. */
int pt_same_file(const char *a, const char *b);

#endif
