#include <criterion/criterion.h>

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "stats/stats.h"

/*
 * Certified values against which an implementation is judged by its "log
 * relative error", the number of correct significant digits (the measure
 * NIST's StRD uses).
 */
static double lre(double computed, double certified)
{
	if (computed == certified)
		return INFINITY;
	return -log10(fabs(computed - certified) / fabs(certified));
}

/*
 * One NIST StRD univariate data set and what we demand of it.
 *
 * `mean_digits` and `sd_digits` are checked against NIST's certified values,
 * which are exact for the decimal data. A double cannot hold 1000000.1 or
 * 299.85 exactly, and those input roundings alone bound the digits any
 * double-precision implementation can reach: about 9.5 for NumAcc3's
 * standard deviation, 8.3 for NumAcc4's, 13.8 for Michelso's and 13.1 for
 * Mavro's. So each data set also carries `exact_*`: the mean and standard
 * deviation of the binary inputs, computed in rational arithmetic and
 * rounded once. Against those we allow two ulps, whatever the data set.
 */
struct strd {
	const char *name;
	size_t n;
	double mean, sd;             /* NIST certified */
	double mean_digits, sd_digits;
	double exact_mean, exact_sd; /* over the doubles actually summed */
};

static void check_strd(const struct strd *c, const double *x, size_t n)
{
	struct cbench_stats st;

	cr_assert_eq(n, c->n, "%s: read %zu values, expected %zu", c->name, n,
	             c->n);
	cr_assert_eq(cbench_stats__compute(&st, x, n), 0);
	cr_assert_eq(st.n, c->n);
	cr_expect_geq(lre(st.mean, c->mean), c->mean_digits,
	              "%s mean %.17g vs certified %.17g: %.2f digits, want %.1f",
	              c->name, st.mean, c->mean, lre(st.mean, c->mean),
	              c->mean_digits);
	cr_expect_geq(lre(st.stddev, c->sd), c->sd_digits,
	              "%s stddev %.17g vs certified %.17g: %.2f digits, want %.1f",
	              c->name, st.stddev, c->sd, lre(st.stddev, c->sd),
	              c->sd_digits);
	cr_expect_leq(fabs(st.mean - c->exact_mean),
	              2 * DBL_EPSILON * fabs(c->exact_mean),
	              "%s mean %.17g vs exact %.17g", c->name, st.mean,
	              c->exact_mean);
	cr_expect_leq(fabs(st.stddev - c->exact_sd),
	              2 * DBL_EPSILON * c->exact_sd,
	              "%s stddev %.17g vs exact %.17g", c->name, st.stddev,
	              c->exact_sd);
}

/*
 * Reads tests/data/stats/<name>.dat, or $CBENCH_TEST_DATA/<name>.dat: one
 * number per line, '#' starting a comment line.
 */
static size_t load(double **out, const char *name)
{
	const char *dir = getenv("CBENCH_TEST_DATA");
	char path[4096], line[256];
	size_t n = 0, cap = 256;
	double *x = malloc(cap * sizeof(*x));
	FILE *f;

	cr_assert_not_null(x);
	if (!dir || !*dir)
		dir = "tests/data/stats";
	snprintf(path, sizeof(path), "%s/%s.dat", dir, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s (run from the repository root or "
	                      "set CBENCH_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *end;
		double v;

		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		v = strtod(line, &end);
		cr_assert_neq(end, line, "%s: not a number: %s", path, line);
		if (n == cap) {
			cap *= 2;
			x = realloc(x, cap * sizeof(*x));
			cr_assert_not_null(x);
		}
		x[n++] = v;
	}
	fclose(f);
	*out = x;
	return n;
}

static void check_strd_file(const struct strd *c)
{
	double *x;
	size_t n = load(&x, c->name);

	check_strd(c, x, n);
	free(x);
}

/* NumAcc2-4: the first value, then 500 pairs of `lo`, `hi`. */
static void check_numacc(const struct strd *c, double first, double lo,
                         double hi)
{
	double x[1001];

	x[0] = first;
	for (size_t i = 0; i < 500; i++) {
		x[1 + 2 * i] = lo;
		x[2 + 2 * i] = hi;
	}
	check_strd(c, x, 1001);
}

Test(stats, nist_numacc1)
{
	const double x[] = { 10000001, 10000003, 10000002 };
	struct cbench_stats st;

	/* Integers well inside 2^53: anything short of exact is a bug. */
	cr_assert_eq(cbench_stats__compute(&st, x, 3), 0);
	cr_assert_eq(st.mean, 10000002.0);
	cr_assert_eq(st.stddev, 1.0);
	cr_assert_eq(st.median, 10000002.0);
}

Test(stats, nist_numacc2)
{
	const struct strd c = { "NumAcc2", 1001, 1.2, 0.1, 15.0, 15.0,
	                        1.2, 0.099999999999999978 };

	check_numacc(&c, 1.2, 1.1, 1.3);
}

Test(stats, nist_numacc3)
{
	const struct strd c = { "NumAcc3", 1001, 1000000.2, 0.1, 15.0, 9.4,
	                        1000000.2, 0.1000000000349246 };

	check_numacc(&c, 1000000.2, 1000000.1, 1000000.3);
}

Test(stats, nist_numacc4)
{
	const struct strd c = { "NumAcc4", 1001, 10000000.2, 0.1, 15.0, 8.2,
	                        10000000.199999999, 0.10000000055879354 };

	check_numacc(&c, 10000000.2, 10000000.1, 10000000.3);
}

Test(stats, nist_michelso)
{
	const struct strd c = { "Michelso", 100, 299.852400000000,
	                        0.0790105478190518, 15.0, 13.8,
	                        299.85239999999999, 0.079010547819050661 };

	check_strd_file(&c);
}

Test(stats, nist_mavro)
{
	const struct strd c = { "Mavro", 50, 2.00185600000000,
	                        0.000429123454003053, 15.0, 13.1,
	                        2.0018560000000001, 0.0004291234540030854 };

	check_strd_file(&c);
}

Test(stats, nist_lew)
{
	const struct strd c = { "Lew", 200, -177.435000000000, 277.332168044316,
	                        15.0, 15.0, -177.435, 277.33216804431612 };

	check_strd_file(&c);
}

Test(stats, nist_lottery)
{
	const struct strd c = { "Lottery", 218, 518.958715596330,
	                        291.699727470969, 15.0, 15.0,
	                        518.95871559633031, 291.69972747096909 };

	check_strd_file(&c);
}

Test(stats, nist_pidigits)
{
	const struct strd c = { "PiDigits", 5000, 4.53480000000000,
	                        2.86733906028871, 15.0, 15.0,
	                        4.5347999999999997, 2.8673390602887081 };

	check_strd_file(&c);
}

Test(stats, variance_when_the_mean_is_not_representable)
{
	/*
	 * Around 2^53 doubles are 2 apart, so the mean 2^53 + 3 rounds, to
	 * 2^53 + 2 or + 4. Deviations from that are {-2, 0, 2, 4} (or mirrored):
	 * squares sum to 24 where the truth is 20, and only the correction term
	 * (sum of deviations)^2 / n = 16 / 4 gets it back.
	 */
	const double b = 9007199254740992.0; /* 2^53 */
	const double x[] = { b, b + 2, b + 4, b + 6 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, x, 4), 0);
	cr_assert_float_eq(st.stddev, sqrt(20.0 / 3.0), 1e-15);
	cr_assert_float_eq(st.mean, b + 3, 2.0);
}

Test(stats, quantile_type7_small)
{
	const double x[] = { 1, 2, 3, 4 };
	const double eps = 1e-12;

	/* h = 3p: 0.75, 1.5, 2.25, 2.85, 2.97 */
	cr_assert_float_eq(cbench_stats__quantile(x, 4, 0.25), 1.75, eps);
	cr_assert_float_eq(cbench_stats__quantile(x, 4, 0.5), 2.5, eps);
	cr_assert_float_eq(cbench_stats__quantile(x, 4, 0.75), 3.25, eps);
	cr_assert_float_eq(cbench_stats__quantile(x, 4, 0.95), 3.85, eps);
	cr_assert_float_eq(cbench_stats__quantile(x, 4, 0.99), 3.97, eps);
	cr_assert_eq(cbench_stats__quantile(x, 4, 0.0), 1.0);
	cr_assert_eq(cbench_stats__quantile(x, 4, 1.0), 4.0);
	/* h = 1 exactly: no interpolation. */
	cr_assert_eq(cbench_stats__quantile(x, 4, 1.0 / 3.0), 2.0);
}

Test(stats, quantile_single_value)
{
	const double x[] = { 7.5 };

	cr_assert_eq(cbench_stats__quantile(x, 1, 0.0), 7.5);
	cr_assert_eq(cbench_stats__quantile(x, 1, 0.37), 7.5);
	cr_assert_eq(cbench_stats__quantile(x, 1, 1.0), 7.5);
}

Test(stats, percentiles_of_1_to_101)
{
	double x[101];
	struct cbench_stats st;

	/* n - 1 = 100, so every percentile lands on an order statistic. */
	for (size_t i = 0; i < 101; i++)
		x[i] = (double)(101 - i);
	cr_assert_eq(cbench_stats__compute(&st, x, 101), 0);
	cr_assert_eq(st.min, 1.0);
	cr_assert_eq(st.max, 101.0);
	cr_assert_eq(st.mean, 51.0);
	cr_assert_eq(st.median, 51.0);
	cr_assert_eq(st.q1, 26.0);
	cr_assert_eq(st.q3, 76.0);
	cr_assert_eq(st.iqr, 50.0);
	cr_assert_eq(st.p95, 96.0);
	cr_assert_eq(st.p99, 100.0);
	/* var of 1..m is m(m+1)/12 */
	cr_assert_float_eq(st.stddev, sqrt(101.0 * 102.0 / 12.0), 1e-13);
	cr_assert_eq(st.outliers_mild + st.outliers_severe, 0);
}

Test(stats, outliers_mild_and_severe)
{
	/*
	 * Sorted: -10 0 10 11 12 13 14 15 16 17 30 60. h = 11p:
	 * q1 = x[2] + .75 (x[3] - x[2]) = 10.75, q3 = x[8] + .25 = 16.25,
	 * iqr = 5.5. Inner fences 2.5 and 24.5, outer -5.75 and 32.75:
	 * 0 and 30 are mild, -10 and 60 severe.
	 */
	const double x[] = { 14, 60, 10, -10, 16, 11, 30, 12, 0, 17, 13, 15 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, x, 12), 0);
	cr_assert_float_eq(st.q1, 10.75, 1e-12);
	cr_assert_float_eq(st.q3, 16.25, 1e-12);
	cr_assert_float_eq(st.iqr, 5.5, 1e-12);
	cr_assert_eq(st.outliers_mild, 2);
	cr_assert_eq(st.outliers_severe, 2);
}

Test(stats, outliers_on_the_fences)
{
	/* Quartiles 2 and 4 in both (h = 1.5 and 4.5), iqr 2. */
	const double inner[] = { -1, 2, 2, 3, 4, 4, 7 };
	const double outer[] = { -4, 2, 2, 3, 4, 4, 10 };
	struct cbench_stats st;

	/* On the inner fences (-1, 7): not outliers. */
	cr_assert_eq(cbench_stats__compute(&st, inner, 7), 0);
	cr_assert_eq(st.q1, 2.0);
	cr_assert_eq(st.q3, 4.0);
	cr_assert_eq(st.outliers_mild, 0);
	cr_assert_eq(st.outliers_severe, 0);

	/* On the outer fences (-4, 10): mild, not severe. */
	cr_assert_eq(cbench_stats__compute(&st, outer, 7), 0);
	cr_assert_eq(st.q1, 2.0);
	cr_assert_eq(st.q3, 4.0);
	cr_assert_eq(st.outliers_mild, 2);
	cr_assert_eq(st.outliers_severe, 0);
}

Test(stats, empty)
{
	struct cbench_stats st, zero;

	memset(&st, 0xa5, sizeof(st));
	memset(&zero, 0, sizeof(zero));
	cr_assert_eq(cbench_stats__compute(&st, NULL, 0), 0);
	cr_assert_eq(memcmp(&st, &zero, sizeof(st)), 0);

	memset(&st, 0xa5, sizeof(st));
	cbench_stats__compute_sorted(&st, NULL, 0);
	cr_assert_eq(memcmp(&st, &zero, sizeof(st)), 0);
}

Test(stats, one_sample)
{
	const double x[] = { 42.5 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, x, 1), 0);
	cr_assert_eq(st.n, 1);
	cr_assert_eq(st.min, 42.5);
	cr_assert_eq(st.max, 42.5);
	cr_assert_eq(st.mean, 42.5);
	cr_assert_eq(st.median, 42.5);
	cr_assert_eq(st.stddev, 0.0);
	cr_assert_eq(st.q1, 42.5);
	cr_assert_eq(st.q3, 42.5);
	cr_assert_eq(st.iqr, 0.0);
	cr_assert_eq(st.p95, 42.5);
	cr_assert_eq(st.p99, 42.5);
	cr_assert_eq(st.ci_low, 42.5);
	cr_assert_eq(st.ci_high, 42.5);
	cr_assert_eq(st.outliers_mild, 0);
	cr_assert_eq(st.outliers_severe, 0);
}

Test(stats, two_samples)
{
	const double x[] = { 3, 1 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, x, 2), 0);
	cr_assert_eq(st.n, 2);
	cr_assert_eq(st.min, 1.0);
	cr_assert_eq(st.max, 3.0);
	cr_assert_eq(st.mean, 2.0);
	cr_assert_eq(st.median, 2.0);
	cr_assert_float_eq(st.stddev, sqrt(2.0), 1e-15);
	cr_assert_eq(st.q1, 1.5);
	cr_assert_eq(st.q3, 2.5);
	cr_assert_eq(st.iqr, 1.0);
	cr_assert_float_eq(st.p95, 2.9, 1e-14);
	cr_assert_float_eq(st.p99, 2.98, 1e-14);
	cr_assert_eq(st.ci_low, 1.0);
	cr_assert_eq(st.ci_high, 3.0);
	cr_assert_eq(st.outliers_mild, 0);
	cr_assert_eq(st.outliers_severe, 0);
}

Test(stats, input_left_untouched)
{
	const double orig[] = { 5, -1, 3.25, 9, 0, 3.25, 2, 8, -7, 4 };
	double x[10], sorted[10];
	struct cbench_stats a, b;

	memcpy(x, orig, sizeof(x));
	cr_assert_eq(cbench_stats__compute(&a, x, 10), 0);
	cr_assert_eq(memcmp(x, orig, sizeof(x)), 0);

	/* And it is the same as sorting first. */
	const double s[] = { -7, -1, 0, 2, 3.25, 3.25, 4, 5, 8, 9 };

	memcpy(sorted, s, sizeof(sorted));
	cbench_stats__compute_sorted(&b, sorted, 10);
	cr_assert_eq(memcmp(&a, &b, sizeof(a)), 0);
	cr_assert_eq(a.min, -7.0);
	cr_assert_eq(a.max, 9.0);
	cr_assert_float_eq(a.median, 3.25, 1e-15);
}

/* Data 1..n, so that a value is its own 1-based rank. */
static double *ranks(size_t n)
{
	double *x = malloc(n * sizeof(*x));

	cr_assert_not_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)(i + 1);
	return x;
}

/* Asserts the 95% interval of 1..n is the lo-th and hi-th (1-based). */
static void check_ci(size_t n, double confidence, size_t lo, size_t hi)
{
	double *x = ranks(n), l, h;

	cbench_stats__median_ci(&l, &h, x, n, confidence);
	cr_assert_eq(l, (double)lo, "n = %zu: low end is x(%g), want x(%zu)", n,
	             l, lo);
	cr_assert_eq(h, (double)hi, "n = %zu: high end is x(%g), want x(%zu)",
	             n, h, hi);
	free(x);
}

Test(stats, median_ci_known_n)
{
	/*
	 * 1-based (k, n-k+1) covers the median with 1 - 2 P(B <= k-1):
	 * n = 9:   P(B <= 1) = 10/512 = .0195, P(B <= 2) = .0898  -> k = 2
	 * n = 10:  P(B <= 1) = 11/1024 = .0107, P(B <= 2) = .0547 -> k = 2
	 * n = 20:  P(B <= 5) = .0207, P(B <= 6) = .0577           -> k = 6
	 * n = 100: P(B <= 39) = .0176, P(B <= 40) = .0284         -> k = 40
	 * n = 1000: P(B <= 468) = .0231, P(B <= 469) = .0268     -> k = 469
	 */
	check_ci(9, 0.95, 2, 8);
	check_ci(10, 0.95, 2, 9);
	check_ci(20, 0.95, 6, 15);
	check_ci(100, 0.95, 40, 61);
	check_ci(1000, 0.95, 469, 532);
	/* n = 100 at 99%: P(B <= 36) = .0033, P(B <= 37) = .0060 -> k = 37. */
	check_ci(100, 0.99, 37, 64);
}

Test(stats, median_ci_small_n_is_min_max)
{
	/*
	 * Up to n = 5, even [min, max] covers less than 95% (1 - 2/2^n); from
	 * 6 to 8 it is the only interval that covers enough.
	 */
	for (size_t n = 1; n <= 8; n++)
		check_ci(n, 0.95, 1, n);
}

Test(stats, median_ci_matches_exact_binomial)
{
	/*
	 * For n <= 57, 40 sum C(n, i) fits in 64 bits, so P(B <= j) <= 1/40 is
	 * decided in integers: an independent check of every index.
	 */
	for (size_t n = 1; n <= 57; n++) {
		uint64_t c = 1, cum = 0;
		size_t k = 0; /* how many j qualify */

		for (size_t j = 0; 2 * j + 1 <= n; j++) {
			cum += c;
			if (40 * cum > (UINT64_C(1) << n))
				break;
			k = j + 1;
			c = c * (n - j) / (j + 1);
		}
		if (k == 0)
			check_ci(n, 0.95, 1, n);
		else
			check_ci(n, 0.95, k, n + 1 - k);
	}
}

/*
 * The tests above leave the binomial CDF a lot of slack: their confidence
 * is never within half a percent of an exact coverage. Here it is set just
 * either side of one, `margin` apart in relative terms, so that an error in
 * P(B <= j) larger than that moves the interval.
 */
static void check_ci_boundary(size_t n, size_t j, double cdf, double margin)
{
	/* P(B <= j) fits: x(j+1), x(n-j) (1-based). */
	check_ci(n, 1.0 - 2.0 * cdf * (1.0 + margin), j + 1, n - j);
	/* It just misses: one step wider. */
	if (j == 0)
		check_ci(n, 1.0 - 2.0 * cdf * (1.0 - margin), 1, n);
	else
		check_ci(n, 1.0 - 2.0 * cdf * (1.0 - margin), j, n + 1 - j);
}

Test(stats, median_ci_boundary_exact)
{
	/*
	 * For n <= 53, P(B <= j) = sum C(n, i) / 2^n is exact in a double.
	 * Tails below 1e-6 are skipped: there 1 - confidence is too close to
	 * 0 to carry a 1e-7 margin.
	 */
	for (size_t n = 6; n <= 53; n++) {
		uint64_t c = 1, cum = 0;

		for (size_t j = 0; 2 * j + 1 <= n; j++) {
			double cdf;

			cum += c;
			c = c * (n - j) / (j + 1);
			cdf = ldexp((double)cum, -(int)n);
			if (cdf >= 1e-6)
				check_ci_boundary(n, j, cdf, 1e-7);
		}
	}
}

Test(stats, median_ci_boundary_large_n)
{
	/* Summed at 40 significant digits. */
	check_ci_boundary(1000, 468, 0.02314559868024907621726371, 1e-7);
	check_ci_boundary(1000000, 499019, 0.0249394843261840635812369, 1e-7);
	check_ci_boundary(1000000, 499020, 0.02505636626639312134668711, 1e-7);
}

Test(stats, median_ci_million)
{
	const size_t n = 1000000;
	double *x = malloc(n * sizeof(*x));
	struct cbench_stats st;
	uint64_t s = 0x9e3779b97f4a7c15u;
	double approx;
	size_t k;

	/* 1..n, shuffled (xorshift64, Fisher-Yates) so that compute sorts. */
	cr_assert_not_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = (double)(i + 1);
	for (size_t i = n - 1; i > 0; i--) {
		size_t j;
		double t;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		j = (size_t)(s % (i + 1));
		t = x[i];
		x[i] = x[j];
		x[j] = t;
	}
	cr_assert_eq(cbench_stats__compute(&st, x, n), 0);
	free(x);

	cr_assert_eq(st.median, 500000.5);
	k = (size_t)st.ci_low;
	cr_assert_eq(st.ci_high, (double)(n + 1 - k));
	/*
	 * Normal approximation with continuity correction: the largest j
	 * (0-based) with (j + 0.5 - n/2) / (sqrt(n)/2) <= -1.959964, i.e. 499019.5.
	 */
	approx = n / 2.0 - 0.5 - 1.959963984540054 * sqrt((double)n) / 2.0;
	cr_assert_leq(fabs((double)(k - 1) - floor(approx)), 1.0,
	              "j = %zu, normal approximation %.2f", k - 1, approx);
	/*
	 * Exactly (summed at 40 digits): P(B <= 499019) = .024939,
	 * P(B <= 499020) = .025056.
	 */
	cr_assert_eq(k, 499020);
}

Test(stats, all_equal_but_one)
{
	/* iqr 0 puts all four fences on the quartiles: 9 is severe. */
	const double x[] = { 5, 5, 5, 5, 5, 5, 5, 9 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, x, 8), 0);
	cr_assert_eq(st.iqr, 0.0);
	cr_assert_eq(st.median, 5.0);
	cr_assert_eq(st.outliers_severe, 1);
	cr_assert_eq(st.outliers_mild, 0);
	cr_assert_eq(st.ci_low, 5.0);
	cr_assert_eq(st.ci_high, 9.0);
}

Test(stats, robust_cv_small_sample)
{
	const double x[] = { 5, 1, 4, 2, 3 };
	struct cbench_stats st;

	/* Type-7 quartiles of 1..5 are 2 and 4: IQR 2, median 3. */
	cr_assert_eq(cbench_stats__compute(&st, x, 5), 0);
	cr_assert_float_eq(cbench_stats__robust_cv(&st), 0.7413 * 2 / 3, 1e-12);
}

/* For normal data the robust CV estimates sigma / mu, as stddev / mean
 * does, but one wild round barely moves it. */
Test(stats, robust_cv_normal_data_and_outlier)
{
	enum { N = 20001 };
	double *x = malloc(N * sizeof(*x));
	uint64_t state = 42;
	struct cbench_stats st;
	double cv;

	cr_assert_not_null(x);
	for (size_t i = 0; i < N; i += 2) {
		double u[2], r;

		for (int k = 0; k < 2; k++) {
			state = state * 6364136223846793005u + 1442695040888963407u;
			u[k] = ((double)(state >> 11) + 0.5) / 9007199254740992.0;
		}
		r = sqrt(-2 * log(u[0]));
		x[i] = 100 + 10 * r * cos(2 * M_PI * u[1]);
		if (i + 1 < N)
			x[i + 1] = 100 + 10 * r * sin(2 * M_PI * u[1]);
	}
	cr_assert_eq(cbench_stats__compute(&st, x, N), 0);
	cv = cbench_stats__robust_cv(&st);
	cr_expect(fabs(cv - 0.1) < 0.005, "robust cv %.4f, sigma/mu 0.1", cv);
	x[0] = 1e6; /* an interrupted round */
	cr_assert_eq(cbench_stats__compute(&st, x, N), 0);
	cr_expect(fabs(cbench_stats__robust_cv(&st) - cv) < 0.001);
	cr_expect_gt(st.stddev / st.mean, 0.5, "the plain CV follows the outlier");
	free(x);
}

Test(stats, robust_cv_undefined)
{
	const double one[] = { 3 }, zeros[] = { 0, 0, 0 }, neg[] = { -3, -2, -1 };
	struct cbench_stats st;

	cr_assert_eq(cbench_stats__compute(&st, one, 1), 0);
	cr_expect(isnan(cbench_stats__robust_cv(&st)), "one value");
	cr_assert_eq(cbench_stats__compute(&st, zeros, 3), 0);
	cr_expect(isnan(cbench_stats__robust_cv(&st)), "median 0");
	cr_assert_eq(cbench_stats__compute(&st, neg, 3), 0);
	cr_expect(isnan(cbench_stats__robust_cv(&st)), "negative median");
}

/* Student's t quantiles against published tables (to 4 decimals). */
Test(stats, t_quantiles_match_the_tables)
{
	const struct { double p; unsigned df; double t; } known[] = {
		{ 0.975, 1, 12.7062 }, { 0.975, 2, 4.3027 }, { 0.975, 4, 2.7764 },
		{ 0.975, 10, 2.2281 }, { 0.975, 30, 2.0423 }, { 0.95, 2, 2.9200 },
		{ 0.95, 5, 2.0150 }, { 0.995, 9, 3.2498 }, { 0.975, 1000, 1.9623 },
		{ 0.025, 4, -2.7764 }, { 0.5, 7, 0 },
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		cr_expect_float_eq(cbench_stats__t_quantile(known[i].p, known[i].df), known[i].t,
		                   6e-5, "t(%g, %u)", known[i].p, known[i].df);
	cr_expect(isnan(cbench_stats__t_quantile(0, 3)));
	cr_expect(isnan(cbench_stats__t_quantile(0.9, 0)));
}

/* Logs -1, 0, 1: mean 0, sd 1; t(0.975, 2) sqrt(1 + 1/3) = 4.96828. */
Test(stats, prediction_interval_on_the_log_scale)
{
	const double x[] = { exp(-1), 1, exp(1) };
	const double bad[] = { 1, 0, 2 };
	double lo, hi;

	cr_assert_eq(cbench_stats__prediction_interval(&lo, &hi, x, 3, 0.95), 0);
	cr_expect_float_eq(log(lo), -4.96828, 1e-4);
	cr_expect_float_eq(log(hi), 4.96828, 1e-4);
	cr_expect_eq(cbench_stats__prediction_interval(&lo, &hi, x, 1, 0.95), -1);
	cr_expect_eq(cbench_stats__prediction_interval(&lo, &hi, bad, 3, 0.95), -1);
}
