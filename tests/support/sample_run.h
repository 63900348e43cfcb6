#ifndef CBENCH_TESTS_SAMPLE_RUN_H
#define CBENCH_TESTS_SAMPLE_RUN_H

/*
 * Runs built by hand for the reporter tests: every number is fixed, so the
 * reports are the same on every machine and can be compared with golden
 * files.
 */
#include <stddef.h>

#include "cbench/reporter.h"

enum sample_kind {
	/* Two suites; every verdict (unchanged, improvement, a regression with
	 * 2 confirmations in each direction, new, missing, an unconfirmed
	 * crossing), every status (passed, failed, error, skipped, target),
	 * custom metrics higher and lower is better, git present. */
	SAMPLE_FULL,
	/* The same benchmarks without a regression (a target still missed). */
	SAMPLE_CLEAN,
	/* No baselines file: every metric new, nothing compared. */
	SAMPLE_NEW,
	/* SAMPLE_FULL with hostile text in every name, id, unit, message, the
	 * platform id, hostname, GPU, markers, branch and commit subject:
	 * | ` * _ [ ] < > & " ', <script>, </script>, <!--, ]]>, newlines,
	 * control characters, terminal escape sequences (CSI, OSC, \r, C1,
	 * U+202E), invalid UTF-8, and a 10,000-character benchmark name. */
	SAMPLE_HOSTILE
};

/* The run, in static storage: valid until the next call. */
const struct cbench_run *sample_run(enum sample_kind kind);

/* The 10,000-character name SAMPLE_HOSTILE uses. */
const char *sample_long_name(void);

/*
 * n benchmarks in suites of 100, three metrics each (time, a throughput, a
 * memory size), all unchanged but the last `nregress` benchmarks, whose
 * time regresses. Free with sample_big_free.
 */
struct cbench_run *sample_big(size_t n, size_t nregress);
void sample_big_free(struct cbench_run *run);

/* Runs a reporter as the runner does (reporters/registry.c: open, context,
 * result for each benchmark, finish, close, in the C locale). Returns the
 * first non-zero code. */
int sample_report(const struct cbench_reporter *rep, const struct cbench_run *run,
                  const char *path);

/*
 * Compares the file at `path` with tests/reporters/expected/<golden>
 * (fails the test when they differ); with CBENCH_UPDATE_GOLDEN=1 in the
 * environment, rewrites the golden file first.
 */
void sample_check_golden(const char *path, const char *golden);

#endif
