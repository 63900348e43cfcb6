#include "stats/stats.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* M_PI and M_LN2 are POSIX, not C11. */
#define LN2 0.69314718055994530942
#define LN_2PI 1.83787706640934548356

/*
 * NaN sorts last so that qsort sees a total order: with the usual
 * (a > b) - (a < b) a NaN compares equal to everything, which breaks
 * transitivity and leaves the order (and every quantile) unspecified.
 */
static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a > b) - (a < b);
}

void cbench_stats__sort(double *x, size_t n)
{
	if (n > 1)
		qsort(x, n, sizeof(*x), cmp_double);
}

/*
 * Neumaier's variant of Kahan summation: it stays exact-ish when a term is
 * larger than the running sum, which Kahan's original does not. It matters
 * here because the data arrive sorted, the worst order for a plain sum: the
 * deviations from the mean run all negative, then all positive, so the
 * partial sums grow to n/2 times the spread before cancelling.
 */
struct ksum {
	double sum, comp;
};

static void ksum_add(struct ksum *k, double v)
{
	double t = k->sum + v;

	if (fabs(k->sum) >= fabs(v))
		k->comp += (k->sum - t) + v;
	else
		k->comp += (v - t) + k->sum;
	k->sum = t;
}

static double ksum_value(const struct ksum *k)
{
	return k->sum + k->comp;
}

/*
 * ln(k!). Our own rather than lgamma(), which writes the global `signgam`
 * and so is not thread-safe (glibc documents it MT-Unsafe). Below 16 the
 * product is exact in a double; above, Stirling's series is truncated after
 * the k^-5 term, leaving an error under 1/(1680 k^7) < 3e-12.
 */
static double log_factorial(double k)
{
	if (k < 16.0) {
		double f = 1.0;

		for (double i = 2.0; i <= k; i += 1.0)
			f *= i;
		return log(f);
	}
	double r = 1.0 / k, r2 = r * r;

	return (k + 0.5) * log(k) - k + 0.5 * LN_2PI +
	       r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 / 1260.0));
}

/*
 * ln P(B <= j) for B ~ Binomial(n, 1/2), j <= (n - 1) / 2.
 *
 * The largest term, P(B = j), is taken in log space so that nothing
 * underflows for large n; the rest of the sum is relative to it,
 * walking down with C(n, i-1) = C(n, i) i / (n - i + 1). Below the centre
 * the ratio r shrinks as i does, so the tail left after a term t is at most
 * t r / (1 - r): we stop once that cannot change the sum. The terms fall off
 * like a Gaussian of width sqrt(n)/2, so this is O(sqrt n), not O(n).
 *
 * Accuracy is set by the log-factorials: rounding near ln(n!) leaves a
 * relative error of about 1e-9 at n = 10^6 (tests/framework/test_stats.c
 * checks 1e-7 from n = 6 to 10^6), which can only move the interval when
 * the coverage lies that close to the requested confidence.
 */
static double log_binom_half_cdf(size_t n, size_t j)
{
	double dn = (double)n, dj = (double)j;
	double log_pj = log_factorial(dn) - log_factorial(dj) -
	                log_factorial(dn - dj) - dn * LN2;
	double sum = 1.0, t = 1.0;

	for (size_t i = j; i > 0; i--) {
		double r = (double)i / (double)(n - i + 1);

		t *= r;
		sum += t;
		if (t * r < sum * (1.0 - r) * (DBL_EPSILON / 4))
			break;
	}
	return log_pj + log(sum);
}

double cbench_stats__quantile(const double *sorted, size_t n, double p)
{
	double h, frac;
	size_t lo;

	assert(sorted && n > 0);
	if (!(p > 0.0))
		return sorted[0];
	if (p >= 1.0)
		return sorted[n - 1];
	h = (double)(n - 1) * p;
	lo = (size_t)h;
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

/*
 * With 0-based order statistics, [x(j), x(n-1-j)] misses the population
 * median only when at most j samples fall below it, or at most j above; by
 * symmetry its coverage is 1 - 2 P(B <= j), B ~ Binomial(n, 1/2). We want
 * the largest j with P(B <= j) <= (1 - confidence) / 2. The CDF grows with j,
 * so a binary search finds it in O(log n) evaluations of O(sqrt n) each.
 * This is the exact binomial at every n: no normal approximation is used.
 */
void cbench_stats__median_ci(double *lo, double *hi, const double *sorted,
                             size_t n, double confidence)
{
	double log_half_alpha;
	size_t ok = 0, bad;

	assert(lo && hi);
	if (n == 0) {
		*lo = *hi = 0.0;
		return;
	}
	assert(sorted);
	/* `!(<)` so that NaN, like 1 or more, asks for more than any j gives. */
	if (!(confidence < 1.0)) {
		*lo = sorted[0];
		*hi = sorted[n - 1];
		return;
	}
	log_half_alpha = log((1.0 - confidence) / 2.0);

	/* Invariant: every j < ok qualifies, no j >= bad does. */
	bad = (n - 1) / 2 + 1;
	while (ok < bad) {
		size_t mid = ok + (bad - ok) / 2;

		if (log_binom_half_cdf(n, mid) <= log_half_alpha)
			ok = mid + 1;
		else
			bad = mid;
	}
	if (ok == 0) {
		/* Even [min, max] covers less than asked: it is the best we have. */
		*lo = sorted[0];
		*hi = sorted[n - 1];
		return;
	}
	*lo = sorted[ok - 1];
	*hi = sorted[n - ok];
}

void cbench_stats__compute_sorted(struct cbench_stats *out, const double *sorted,
                                  size_t n)
{
	struct ksum sum = { 0 }, dev = { 0 }, sq = { 0 };
	double mean0, dev_sum, dn = (double)n;
	double inner_lo, inner_hi, outer_lo, outer_hi;

	assert(out);
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	assert(sorted);

	out->n = n;
	out->min = sorted[0];
	out->max = sorted[n - 1];

	/*
	 * Two passes. The second sums deviations from a first, compensated
	 * estimate of the mean: their sum corrects that estimate, and the
	 * "corrected two-pass" variance subtracts its square, which removes the
	 * error the first estimate left in the sum of squares (Chan, Golub and
	 * LeVeque 1983).
	 */
	for (size_t i = 0; i < n; i++)
		ksum_add(&sum, sorted[i]);
	mean0 = ksum_value(&sum) / dn;
	for (size_t i = 0; i < n; i++) {
		double d = sorted[i] - mean0;

		ksum_add(&dev, d);
		ksum_add(&sq, d * d);
	}
	dev_sum = ksum_value(&dev);
	out->mean = mean0 + dev_sum / dn;
	if (n > 1) {
		double ss = ksum_value(&sq) - dev_sum * dev_sum / dn;

		out->stddev = ss > 0.0 ? sqrt(ss / (dn - 1.0)) : 0.0;
	}

	out->median = cbench_stats__quantile(sorted, n, 0.5);
	out->q1 = cbench_stats__quantile(sorted, n, 0.25);
	out->q3 = cbench_stats__quantile(sorted, n, 0.75);
	out->iqr = out->q3 - out->q1;
	out->p95 = cbench_stats__quantile(sorted, n, 0.95);
	out->p99 = cbench_stats__quantile(sorted, n, 0.99);
	cbench_stats__median_ci(&out->ci_low, &out->ci_high, sorted, n, 0.95);

	/* Tukey's fences; a sample exactly on a fence is inside it. */
	inner_lo = out->q1 - 1.5 * out->iqr;
	inner_hi = out->q3 + 1.5 * out->iqr;
	outer_lo = out->q1 - 3.0 * out->iqr;
	outer_hi = out->q3 + 3.0 * out->iqr;
	for (size_t i = 0; i < n; i++) {
		double v = sorted[i];

		if (v < outer_lo || v > outer_hi)
			out->outliers_severe++;
		else if (v < inner_lo || v > inner_hi)
			out->outliers_mild++;
	}
}

int cbench_stats__compute(struct cbench_stats *out, const double *x, size_t n)
{
	double *copy;

	assert(out);
	if (n == 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	assert(x);
	if (n > SIZE_MAX / sizeof(*copy))
		return CBENCH_ENOMEM;
	copy = malloc(n * sizeof(*copy));
	if (!copy)
		return CBENCH_ENOMEM;
	memcpy(copy, x, n * sizeof(*copy));
	cbench_stats__sort(copy, n);
	cbench_stats__compute_sorted(out, copy, n);
	free(copy);
	return 0;
}

double cbench_stats__robust_cv(const struct cbench_stats *s)
{
	assert(s);
	/* Not stddev / mean: that is dominated by the odd interrupted round,
	 * which the median we compare ignores (docs/design.md). 0.7413 is
	 * 1 / 1.349, the IQR of the standard normal distribution. */
	if (s->n < 2 || !(s->median > 0))
		return NAN;
	return 0.7413 * s->iqr / s->median;
}

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* P(|T| <= t) for Student's t with integer df (Abramowitz & Stegun
 * 26.7.3 for odd df, 26.7.4 for even), t >= 0. */
static double t_central(double t, unsigned df)
{
	double theta = atan(t / sqrt((double)df)), c = cos(theta), s = sin(theta);
	double c2 = c * c, term, sum;

	if (df % 2 == 1) {
		if (df == 1)
			return 2 * theta / M_PI;
		/* cos + 2/3 cos^3 + (2*4)/(3*5) cos^5 + ... up to cos^(df-2) */
		term = c;
		sum = c;
		for (unsigned k = 3; k <= df - 2; k += 2) {
			term *= c2 * (double)(k - 1) / (double)k;
			sum += term;
		}
		return 2 / M_PI * (theta + s * sum);
	}
	/* 1 + 1/2 cos^2 + (1*3)/(2*4) cos^4 + ... up to cos^(df-2) */
	term = 1;
	sum = 1;
	for (unsigned k = 2; k <= df - 2; k += 2) {
		term *= c2 * (double)(k - 1) / (double)k;
		sum += term;
	}
	return s * sum;
}

double cbench_stats__t_quantile(double p, unsigned df)
{
	double target, lo = 0, hi = 1, mid;

	if (!(p > 0 && p < 1) || df == 0)
		return NAN;
	if (p == 0.5)
		return 0;
	/* P(|T| <= t) = 2p - 1 for the upper quantile; symmetric below */
	target = fabs(2 * p - 1);
	while (t_central(hi, df) < target && hi < 1e12)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-10 * hi; i++) {
		mid = (lo + hi) / 2;
		if (t_central(mid, df) < target)
			lo = mid;
		else
			hi = mid;
	}
	return p > 0.5 ? (lo + hi) / 2 : -(lo + hi) / 2;
}

int cbench_stats__prediction_interval(double *lo, double *hi, const double *x, size_t n,
                                      double confidence)
{
	double mean = 0, ss = 0, sd, k;

	if (n < 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0) || !isfinite(x[i]))
			return -1;
		mean += log(x[i]);
	}
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (log(x[i]) - mean) * (log(x[i]) - mean);
	sd = sqrt(ss / (double)(n - 1));
	k = cbench_stats__t_quantile(1 - (1 - confidence) / 2, (unsigned)(n - 1)) *
	    sqrt(1 + 1 / (double)n);
	*lo = exp(mean - k * sd);
	*hi = exp(mean + k * sd);
	return 0;
}
