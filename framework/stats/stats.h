#ifndef CBENCH_FRAMEWORK_STATS_H
#define CBENCH_FRAMEWORK_STATS_H

#include <stddef.h>

#include "cbench/stats.h"

/*
 * Computes every field of `out` over x[0..n). `x` is not modified (a sorted
 * copy is made). n == 0 gives all zeros. Returns 0 or CBENCH_ENOMEM.
 */
int cbench_stats__compute(struct cbench_stats *out, const double *x, size_t n);

/* Same, over data the caller has already sorted ascending: no allocation. */
void cbench_stats__compute_sorted(struct cbench_stats *out, const double *sorted,
                                  size_t n);

/* Sorts x[0..n) ascending, NaNs last. */
void cbench_stats__sort(double *x, size_t n);

/*
 * Quantile p in [0, 1] of sorted[0..n), n >= 1, by linear interpolation
 * between order statistics (Hyndman & Fan type 7: R's default, numpy's
 * "linear"): h = (n - 1) p, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
double cbench_stats__quantile(const double *sorted, size_t n, double p);

/*
 * Distribution-free confidence interval of the median from order statistics:
 * the narrowest symmetric pair (x[j], x[n-1-j]) whose binomial(n, 1/2)
 * coverage is at least `confidence`. For n too small to reach it, the
 * interval is [min, max].
 */
void cbench_stats__median_ci(double *lo, double *hi, const double *sorted,
                             size_t n, double confidence);

/*
 * The robust coefficient of variation: the IQR scaled to a standard
 * deviation (IQR / 1.349 for normal data) over the median. NAN when it is
 * not defined: fewer than two values, or a median that is not positive.
 */
double cbench_stats__robust_cv(const struct cbench_stats *s);

#endif
