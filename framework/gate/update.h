#ifndef CBENCH_FRAMEWORK_UPDATE_H
#define CBENCH_FRAMEWORK_UPDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cbench.h"
#include "gate/baseline.h"

/*
 * The rule `cbench baseline update` applies (docs/design.md): baselines
 * move only on sustained evidence. For each metric, the median of its
 * values over the last N runs is proposed where it beats the baseline by
 * more than a margin in the metric's direction; a worse value never is.
 * With `init`, metrics that have no baseline are proposed too.
 */

/* One metric's values over the last runs, as the history gives them. */
struct cbench_update_series {
	const char *name;
	const char *unit;
	enum cbench_direction direction; /* as recorded; a baseline's own wins */
	const double *values;
	size_t n;                        /* < the runs when the metric is missing from some */
};

struct cbench_update_rule {
	size_t min_runs;        /* a metric needs a value in this many runs */
	double min_improvement; /* a fraction: 0.05 is 5% */
	bool init;              /* also propose metrics with no baseline */
};

struct cbench_update_proposal {
	const char *name;       /* borrowed from the series */
	const char *unit;
	enum cbench_direction direction;
	double current;         /* the baseline; NAN for a new metric */
	double proposed;        /* the median of the values */
	double better;          /* the improvement as a fraction; NAN for a new metric */
	struct cbench_baseline_summary summary; /* of the runs' values: what the test
	                                           compares with, and how sure it is */
	double ci_lo, ci_hi;    /* 95% interval of the proposed median */
	double next_lo, next_hi; /* 95% prediction interval of one more run's value
	                            (NAN with fewer than 3 runs): how far the gate
	                            will let a run of the same code read */
};

/*
 * The proposals for `series` against a platform's baselines `section`
 * (NULL and 0 for a platform that has none), in the order of `series`.
 * *out is freed with free(). Returns 0 or CBENCH_ENOMEM.
 */
int cbench_update__propose(struct cbench_update_proposal **out, size_t *n,
                           const struct cbench_update_series *series, size_t nseries,
                           const struct cbench_baseline_metric *section, size_t nsection,
                           const struct cbench_update_rule *rule);

#endif
