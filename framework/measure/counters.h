#ifndef CBENCH_FRAMEWORK_COUNTERS_H
#define CBENCH_FRAMEWORK_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbench/error.h"

/*
 * Hardware event counts around the timed region (`--measure instructions`).
 * Two backends, all OS-specific code here:
 *
 *  - perf: perf_event_open(2) on this thread, user space only, a group of
 *    instructions (the leader), cycles, branch misses and cache misses
 *    (those the CPU has). Read at the region's edges: one read(2) each.
 *  - callgrind: the process runs under `valgrind --tool=callgrind
 *    --collect-atstart=no`; the region toggles collection with client
 *    requests and each measured round ends with a dump (FILE.1, FILE.2, ...)
 *    whose `totals:` line the parent reads. Instructions only, exact.
 *
 * Built without <linux/perf_event.h> or <valgrind/callgrind.h>, the backend
 * says so when asked for, and nothing else changes.
 */

enum cbench_counters_backend {
	CBENCH_COUNTERS_NONE = 0,
	CBENCH_COUNTERS_PERF,
	CBENCH_COUNTERS_CALLGRIND
};

#define CBENCH_COUNTERS_MAX 4

struct cbench_counters;

/*
 * Chooses the backend for this machine: perf when the kernel lets this
 * process count its own instructions, else callgrind when valgrind is on
 * PATH (and the build has callgrind.h). CBENCH_COUNTERS=perf|callgrind in
 * the environment forces one. `note` gets the one line to print when perf
 * was refused ("" otherwise). Returns 0, or CBENCH_EUSAGE with the reason
 * neither works.
 */
int cbench_counters__probe(enum cbench_counters_backend *out, char *note,
                           size_t note_size, struct cbench_error *err);

/* "perf", "callgrind" or "none". */
const char *cbench_counters__backend_name(enum cbench_counters_backend b);

/*
 * Opens the counters of this thread. For callgrind the process must be
 * running under it. *out is freed with cbench_counters__free.
 */
int cbench_counters__new(struct cbench_counters **out, enum cbench_counters_backend b,
                         struct cbench_error *err);
void cbench_counters__free(struct cbench_counters *c);

/* Events read in the process itself (0 for callgrind: the dumps carry
 * them), their metric suffixes ("instructions") and units. */
size_t cbench_counters__count(const struct cbench_counters *c);
const char *cbench_counters__event(const struct cbench_counters *c, size_t i);
const char *cbench_counters__unit(const struct cbench_counters *c, size_t i);

/* The region's edges: start, pause and resume (cbench_pause/resume), and
 * stop, which writes the counts of the region, pauses excluded, to
 * out[0..count). For callgrind, stop dumps the round. */
void cbench_counters__start(struct cbench_counters *c);
void cbench_counters__pause(struct cbench_counters *c);
void cbench_counters__resume(struct cbench_counters *c);
void cbench_counters__stop(struct cbench_counters *c, uint64_t *out);

/* The full path of valgrind found on PATH, written to out; false if none. */
bool cbench_counters__valgrind_path(char *out, size_t size);

/*
 * Reads the instruction totals of the dumps `outfile`.1 .. `outfile`.n
 * into out[0..n) (the caller's array). CBENCH_EIO naming the file when one
 * is missing, CBENCH_EPARSE when it has no `totals:`/`summary:` line.
 */
int cbench_counters__callgrind_read(uint64_t *out, size_t n, const char *outfile,
                                    struct cbench_error *err);

#endif
