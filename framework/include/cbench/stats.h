/*
 * Summary statistics of one metric's samples, as every reporter sees them.
 * See docs/design.md for the conventions (percentiles, interval, outliers).
 */
#ifndef CBENCH_STATS_H
#define CBENCH_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cbench_stats {
	size_t n;               /**< number of samples (measured rounds) */
	double min, max;
	double mean;
	double median;
	double stddev;          /**< sample standard deviation (n - 1) */
	double q1, q3;          /**< 25th and 75th percentiles */
	double iqr;             /**< q3 - q1 */
	double p95, p99;
	double ci_low, ci_high; /**< 95% confidence interval of the median */
	size_t outliers_mild;   /**< beyond 1.5 IQR of the quartiles, within 3 */
	size_t outliers_severe; /**< beyond 3 IQR of the quartiles */
};

#ifdef __cplusplus
}
#endif

#endif
