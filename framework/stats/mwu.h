#ifndef CBENCH_FRAMEWORK_MWU_H
#define CBENCH_FRAMEWORK_MWU_H

#include <stddef.h>
#include <stdint.h>

#include "cbench/error.h"

/* The smallest sample cbench_stats__compare_samples accepts, on each side. */
#define CBENCH_STATS_MIN_SAMPLE 2u

/*
 * Two samples compared as distributions (docs/design.md, "Is the change
 * real?"): the Mann–Whitney U test (is one stochastically larger?) and a
 * percentile bootstrap interval of the ratio of their medians (by how much?).
 */
struct cbench_stats_test {
	double u;          /* Mann–Whitney U of the first sample */
	double z;          /* normal approximation, tie- and continuity-corrected */
	double p;          /* two-sided p-value */
	double ratio;      /* median(b) / median(a) */
	double ratio_lo, ratio_hi; /* bootstrap confidence interval of the ratio of medians */
	size_t na, nb;
	int exact;         /* 1 when p comes from the exact distribution of U */
	double median_a, median_b;
};

/*
 * Compares a (the baseline's, or A's, samples) with b (the current, or
 * B's). U counts the pairs (a_i, b_j) with a_i > b_j, ties counting one
 * half, so U > na nb / 2 means a tends to be larger. p is two-sided: exact
 * (the distribution of U by Harding's recursion) when there are no ties and
 * na + nb <= 50, otherwise the normal approximation with the tie correction
 * of the variance and a continuity correction of 1/2. `confidence` (e.g.
 * 0.95) and `resamples` (e.g. 2000; 0 skips the bootstrap: NAN bounds)
 * shape the percentile bootstrap of median(b*) / median(a*), whose random
 * draws are fixed by `seed`, so a result can be reproduced. ratio is NAN
 * when median(a) is not positive.
 *
 * Returns 0, or CBENCH_EUSAGE (with err naming the sample) when a sample
 * has fewer than CBENCH_STATS_MIN_SAMPLE values or a NaN, or confidence is
 * not in (0, 1); CBENCH_ENOMEM.
 */
int cbench_stats__compare_samples(struct cbench_stats_test *out, const double *a, size_t na,
                                  const double *b, size_t nb, double confidence,
                                  unsigned resamples, uint64_t seed,
                                  struct cbench_error *err);

/* The two-sided p-value of the normal approximation at z. */
double cbench_stats__normal_p(double z);

#endif
