#ifndef CBENCH_FRAMEWORK_GATE_H
#define CBENCH_FRAMEWORK_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "gate/baseline.h"
#include "cbench/reporter.h"
#include "gate/compare.h"
#include "measure/registry.h"

#define CBENCH_DEFAULT_BASELINES "baselines/baselines.json"
#define CBENCH_DEFAULT_CONFIRM 2u

enum cbench_fail_on {
	CBENCH_FAIL_ON_REGRESSION = 0, /* failed or errored benchmarks, missed targets,
	                                  confirmed regressions */
	CBENCH_FAIL_ON_NONE,           /* never: report only */
	CBENCH_FAIL_ON_ANY             /* also unconfirmed crossings, missing metrics,
	                                  skipped benchmarks */
};

struct cbench_gate_config {
	const char *baselines;     /* file to read */
	bool baselines_given;      /* named by --baselines: a missing file is an error */
	struct cbench_compare_config compare;
	unsigned confirm;          /* later passes over the benchmarks that crossed */
	bool strict;               /* no file or no section is an error */
};

/* The gate of one run: its baselines, and what it allocated for results. */
struct cbench_gate {
	struct cbench_gate_config cfg;
	struct cbench_baselines *file;
	struct cbench_baseline_metric *section;
	size_t nsection;
	char *note;                /* why metrics are new, or NULL */
	struct cbench_missing *missing;
	size_t nmissing;
	void **owned;              /* the later readings' arrays, freed with the gate */
	size_t nowned;
};

/*
 * Reads the baselines and finds `platform`'s section, before anything runs.
 * A malformed file, or under `strict` a missing file or section, is
 * CBENCH_EUSAGE (or CBENCH_EPARSE) with a one-line message; otherwise a
 * missing file or section only sets g->note.
 */
int cbench_gate__prepare(struct cbench_gate *g, const struct cbench_gate_config *cfg,
                         const char *platform, struct cbench_error *err);

/* Measures instance `index` again; fills *out (freed by the caller with
 * cbench_runner__results_free(out, 1)). Returns 0 or a negative code. */
typedef int (*cbench_gate_rerun_fn)(void *ctx, size_t index, struct cbench_result **out);

/*
 * Compares results[0..n) (results[i] from v[i]) with the section, with the
 * statistical test; then measures every benchmark with a metric that
 * crossed its threshold (either way) again, after the whole run, in
 * cfg.confirm passes over all of them in turn. A verdict stands only when
 * every later reading agrees (docs/design.md); checks declared targets;
 * fills the gate fields of `run`.
 */
int cbench_gate__apply(struct cbench_gate *g, struct cbench_result *results, size_t n,
                       const struct cbench_instance *v, cbench_gate_rerun_fn rerun,
                       void *ctx, struct cbench_run *run);

/* The exit status the verdicts call for under `fail_on`: 0 or 1. */
int cbench_gate__status(const struct cbench_run *run, enum cbench_fail_on fail_on);

void cbench_gate__free(struct cbench_gate *g);

#endif
