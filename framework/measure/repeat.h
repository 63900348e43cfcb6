#ifndef CBENCH_FRAMEWORK_REPEAT_H
#define CBENCH_FRAMEWORK_REPEAT_H

#include <stddef.h>
#include <stdint.h>

#include "cbench/reporter.h"
#include "base/error.h"

/* The largest --repetitions: a thousand passes over the selection. */
#define CBENCH_MAX_REPETITIONS 1000u

/*
 * A seed for the shuffle when none was given: from the clock and the pid,
 * below 2^53 so that it prints, parses and survives JSON exactly.
 */
uint64_t cbench_repeat__default_seed(void);

/*
 * The order of `reps` passes over n benchmarks: *out gets reps x n indexes
 * into them, each pass a permutation of 0..n-1 of its own, shuffled by a
 * generator seeded with `seed` (the same seed, the same order). Free with
 * free(). Returns 0 or CBENCH_ENOMEM.
 */
int cbench_repeat__schedule(size_t **out, size_t n, unsigned reps, uint64_t seed,
                            struct cbench_error *err);

/*
 * Pools the results of a schedule: runs[i] is the result of benchmark
 * order[i] (nruns may be short of the schedule when the run stopped). *out
 * gets one result per benchmark that ran at least once, in the order of
 * 0..n-1: its samples are those of all its repetitions, its statistics over
 * them, `reps` the spread of the repetitions' medians; its status the worst
 * of its repetitions (with that one's message). Strings and samples are
 * copied; names (id, suite, file) still borrow from the instances, as the
 * runs did. Release with cbench_runner__results_free.
 */
int cbench_repeat__pool(struct cbench_result **out, size_t *nout,
                        const struct cbench_result *runs, size_t nruns, const size_t *order,
                        size_t n, struct cbench_error *err);

#endif
