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

/*
 * The p quantile (0 < p < 1) of Student's t distribution with `df` >= 1
 * degrees of freedom: bisection on the closed-form distribution function
 * of an integer df (Abramowitz & Stegun 26.7.3-4), to a relative 1e-10.
 * t(0.975, 4) = 2.7764; with growing df it tends to the normal's 1.96.
 */
double cbench_stats__t_quantile(double p, unsigned df);

/*
 * The interval one more reading of a quantity is expected in, given
 * `n` >= 2 earlier readings x[0..n) (all > 0), at `confidence`: on the log
 * scale, mean +- t(1 - (1 - confidence) / 2, n - 1) * sd * sqrt(1 + 1/n)
 * (the normal prediction interval), taken back with exp. Used with the
 * medians of a baseline's runs: how far the next run's median may read
 * from the same code. Returns 0, or -1 when n < 2 or a reading is not > 0.
 */
int cbench_stats__prediction_interval(double *lo, double *hi, const double *x, size_t n,
                                      double confidence);

#endif
