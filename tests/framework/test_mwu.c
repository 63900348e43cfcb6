#include <criterion/criterion.h>

#include <math.h>
#include <stdint.h>

#include "base/error.h"
#include "stats/mwu.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

static struct cbench_stats_test run(const double *a, size_t na, const double *b, size_t nb)
{
	struct cbench_stats_test t;
	struct cbench_error err;

	cr_assert_eq(cbench_stats__compare_samples(&t, a, na, b, nb, 0.95, 2000, 42, &err), 0,
	             "%s", err.text);
	return t;
}

/* 2 + 2 values, fully separated: of the C(4, 2) = 6 equally likely
 * arrangements U takes 0, 1, 2, 2, 3, 4, so P(U <= 0) = 1/6 and the
 * two-sided p is 1/3. */
Test(mwu, two_by_two_by_hand)
{
	double a[] = { 1, 2 }, b[] = { 3, 4 };
	struct cbench_stats_test t = run(a, 2, b, 2);

	cr_assert_eq(t.u, 0);
	cr_assert(t.exact);
	cr_assert_float_eq(t.p, 1.0 / 3, 1e-15);
	cr_assert_eq(t.na, 2);
	cr_assert_eq(t.nb, 2);
}

/* 5 + 5, fully separated: 2 / C(10, 5) = 2 / 252; and U counts the pairs
 * with a > b, so the mirror case gives U = 25 and the same p. */
Test(mwu, separated_five_by_five)
{
	double lo[] = { 1, 2, 3, 4, 5 }, hi[] = { 6, 7, 8, 9, 10 };
	struct cbench_stats_test t = run(lo, 5, hi, 5), m = run(hi, 5, lo, 5);

	cr_assert_eq(t.u, 0);
	cr_assert_float_eq(t.p, 2.0 / 252, 1e-15);
	cr_assert_eq(m.u, 25);
	cr_assert_float_eq(m.p, t.p, 1e-15);
	cr_assert_float_eq(t.ratio, 8.0 / 3, 1e-15);
}

/*
 * R's ?wilcox.test example (Hollander & Wolfe 1973, p. 69):
 * wilcox.test(x, y, alternative = "g") gives W = 35, p-value = 0.1272;
 * two-sided twice that, 0.2544 (by enumerating the 3003 arrangements:
 * 764 / 3003 = 0.254412...).
 */
Test(mwu, textbook_hollander_wolfe)
{
	double x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
	double y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
	struct cbench_stats_test t = run(x, N(x), y, N(y));

	cr_assert_eq(t.u, 35);
	cr_assert(t.exact);
	cr_assert_float_eq(t.p, 764.0 / 3003, 1e-12);
	/* the normal approximation, for the record: (35 - 25 - 0.5) / sqrt(50 * 16 / 12) */
	cr_assert_float_eq(t.z, 9.5 / sqrt(50.0 * 16 / 12), 1e-12);
}

/*
 * Ties: a = {1,2,2,3,3,3,4}, b = {3,4,4,5,5,6}. Midranks 1, 2.5, 5.5, 9,
 * 11.5, 13; R_a = 1 + 2(2.5) + 3(5.5) + 9 = 31.5, U = 31.5 - 28 = 3.5.
 * Tie groups of 2, 4, 3, 2: sum(t^3 - t) = 6 + 60 + 24 + 6 = 96;
 * var = 42/12 (14 - 96/156); z = (3.5 - 21 + 0.5) / sqrt(var).
 */
Test(mwu, ties_normal_approximation)
{
	double a[] = { 1, 2, 2, 3, 3, 3, 4 }, b[] = { 3, 4, 4, 5, 5, 6 };
	struct cbench_stats_test t = run(a, N(a), b, N(b));
	double z = -17.0 / sqrt(42.0 / 12 * (14 - 96.0 / 156));

	cr_assert_eq(t.u, 3.5);
	cr_assert_not(t.exact);
	cr_assert_float_eq(t.z, z, 1e-12);
	cr_assert_float_eq(t.p, erfc(-z / sqrt(2.0)), 1e-12);
	cr_assert(t.p > 0.0129 && t.p < 0.0131);
}

/* Everything tied: no evidence at all, p = 1, ratio 1 exactly. */
Test(mwu, all_tied)
{
	double a[] = { 5, 5, 5, 5 }, b[] = { 5, 5, 5 };
	struct cbench_stats_test t = run(a, N(a), b, N(b));

	cr_assert_eq(t.u, 6);
	cr_assert_eq(t.z, 0);
	cr_assert_eq(t.p, 1);
	cr_assert_eq(t.ratio, 1);
	cr_assert_eq(t.ratio_lo, 1);
	cr_assert_eq(t.ratio_hi, 1);
}

/* Identical samples: U at its mean, p = 1 exactly (the continuity
 * correction keeps |U - mean| <= 1/2 at zero). */
Test(mwu, identical_samples)
{
	double a[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct cbench_stats_test t = run(a, N(a), a, N(a));

	cr_assert_eq(t.u, 32);
	cr_assert_eq(t.z, 0);
	cr_assert_eq(t.p, 1);
}

/* Two constant samples twice apart: every resample has the same medians,
 * so the interval is the point. */
Test(mwu, bootstrap_degenerate)
{
	double a[] = { 10, 10, 10 }, b[] = { 20, 20, 20, 20 };
	struct cbench_stats_test t = run(a, N(a), b, N(b));

	cr_assert_eq(t.ratio, 2);
	cr_assert_eq(t.ratio_lo, 2);
	cr_assert_eq(t.ratio_hi, 2);
}

/*
 * A tight 10% shift over 60 + 60 values: the interval holds the ratio, lies
 * within the range of the samples' possible ratios, excludes 1, and the
 * same seed draws the same interval while another seed may not.
 */
Test(mwu, bootstrap_shift_and_seed)
{
	double a[60], b[60];
	struct cbench_stats_test t, u, w;
	struct cbench_error err;

	for (size_t i = 0; i < 60; i++) {
		a[i] = 100 + (double)((i * 37) % 60) / 10;  /* 100 .. 105.9 */
		b[i] = 110 + (double)((i * 23) % 60) / 10;  /* 110 .. 115.9 */
	}
	t = run(a, 60, b, 60);
	cr_assert_eq(t.u, 0);
	cr_assert(t.p < 1e-15);
	cr_assert(t.ratio_lo <= t.ratio && t.ratio <= t.ratio_hi);
	cr_assert(t.ratio_lo > 110.0 / 105.9 && t.ratio_hi < 115.9 / 100);
	cr_assert_eq(cbench_stats__compare_samples(&u, a, 60, b, 60, 0.95, 2000, 42, &err), 0);
	cr_assert_eq(u.ratio_lo, t.ratio_lo);
	cr_assert_eq(u.ratio_hi, t.ratio_hi);
	cr_assert_eq(cbench_stats__compare_samples(&w, a, 60, b, 60, 0.5, 2000, 42, &err), 0);
	cr_assert(w.ratio_hi - w.ratio_lo < t.ratio_hi - t.ratio_lo,
	          "a 50%% interval is narrower than a 95%% one");
}

/* Without resamples there is no interval. */
Test(mwu, no_resamples)
{
	double a[] = { 1, 2, 3 }, b[] = { 2, 3, 4 };
	struct cbench_stats_test t;

	cr_assert_eq(cbench_stats__compare_samples(&t, a, 3, b, 3, 0.95, 0, 1, NULL), 0);
	cr_assert(isnan(t.ratio_lo) && isnan(t.ratio_hi));
	cr_assert_float_eq(t.ratio, 1.5, 1e-15);
}

Test(mwu, too_small_and_bad_input)
{
	double a[] = { 1, 2, 3 }, one[] = { 4 }, bad[] = { 1, NAN };
	struct cbench_stats_test t;
	struct cbench_error err;

	cr_assert_eq(cbench_stats__compare_samples(&t, a, 3, one, 1, 0.95, 10, 1, &err),
	             CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "sample b (current) has 1 value; the test needs at least 2");
	cr_assert_eq(cbench_stats__compare_samples(&t, a, 0, a, 3, 0.95, 10, 1, &err),
	             CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "sample a (baseline) has 0 values; the test needs at least 2");
	cr_assert_eq(cbench_stats__compare_samples(&t, a, 3, bad, 2, 0.95, 10, 1, &err),
	             CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "sample b (current): value 1 is not a number");
	cr_assert_eq(cbench_stats__compare_samples(&t, a, 3, a, 3, 1.0, 10, 1, &err),
	             CBENCH_EUSAGE);
}

/* The exact and normal p agree closely at the exact method's largest size. */
Test(mwu, exact_meets_normal)
{
	double a[25], b[25];
	struct cbench_stats_test t;

	for (size_t i = 0; i < 25; i++) {
		a[i] = (double)i;
		b[i] = (double)i + 7.5; /* U = 17 + 16 + ... + 1 = 153 */
	}
	t = run(a, 25, b, 25);
	cr_assert(t.exact);
	cr_assert_eq(t.u, 153);
	cr_assert(fabs(t.p - cbench_stats__normal_p(t.z)) < 0.01, "exact %g normal %g", t.p,
	          cbench_stats__normal_p(t.z));
}
