/*
 * The verdict rules of docs/design.md ("Is the change real?"), driven by
 * given samples: no clock, no process.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "gate/compare.h"

static const struct cbench_compare_config cfg = { .threshold = 0.05,
	                                          .threshold_source = "default",
	                                          .stat = "median", .alpha = 0.05,
	                                          .min_samples = 5, .resamples = 500,
	                                          .seed = 7 };

/* n rounds around `centre`, spread +-`spread` (a fraction), in a shuffled
 * but fixed order. */
static void around(double *x, size_t n, double centre, double spread)
{
	for (size_t i = 0; i < n; i++) {
		double u = (double)((i * 7) % n) / (double)(n - 1); /* 0..1 */

		x[i] = centre * (1 + spread * (2 * u - 1));
	}
}

static struct cbench_baseline_metric summarised(double median, double spread, size_t n)
{
	struct cbench_baseline_metric b;

	memset(&b, 0, sizeof(b));
	b.name = "t";
	b.value = median;
	b.has_summary = true;
	b.summary.n = n;
	b.summary.runs = 5;
	b.summary.q[0] = median * (1 - spread);
	b.summary.q[1] = median * (1 - spread / 2);
	b.summary.q[2] = median;
	b.summary.q[3] = median * (1 + spread / 2);
	b.summary.q[4] = median * (1 + spread);
	return b;
}

static struct cbench_comparison judge(const double *x, size_t n, double current,
                                      const struct cbench_baseline_metric *b, double floor)
{
	struct cbench_comparison c;

	memset(&c, 0, sizeof(c));
	c.threshold = 0.05;
	cr_assert_eq(cbench_compare__judge(&c, x, n, current, b, CBENCH_LOWER_IS_BETTER, floor,
	                                   &cfg), 0);
	return c;
}

Test(verdict, tight_shift_is_a_regression)
{
	double x[60];
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 60);
	struct cbench_comparison c;

	around(x, 60, 110e-6, 0.01);
	c = judge(x, 60, 110e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);
	cr_assert(c.tested);
	cr_assert_lt(c.p, 0.05);
	cr_assert_gt(c.ratio_lo, 1.0);
	cr_assert_eq(c.baseline_n, 60);
}

Test(verdict, tight_improvement_is_an_improvement)
{
	double x[60];
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 60);
	struct cbench_comparison c;

	around(x, 60, 90e-6, 0.01);
	c = judge(x, 60, 90e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_IMPROVEMENT, "%s", c.reason);
	cr_assert_lt(c.ratio_hi, 1.0);
}

/* The same +10%, but both sides spread +-60%: cannot tell. */
Test(verdict, spread_wider_than_the_change_is_inconclusive)
{
	double x[12];
	struct cbench_baseline_metric b = summarised(100e-6, 0.6, 12);
	struct cbench_comparison c;

	around(x, 12, 110e-6, 0.6);
	c = judge(x, 12, 110e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_not_null(strstr(c.reason, "the spread is wider than the change: p = "), "%s",
	                   c.reason);
	cr_assert(c.tested);
	cr_assert_lt(c.ratio_lo, 1.0);
}

/* Rounds 1-30 at 100 us, 31-60 at 125 us: a level change mid-run. */
Test(verdict, a_run_at_two_levels_is_inconclusive)
{
	double x[60];
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 60);
	struct cbench_comparison c;

	around(x, 30, 100e-6, 0.01);
	around(x + 30, 30, 125e-6, 0.01);
	c = judge(x, 60, 112e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_not_null(strstr(c.reason, "changed level mid-way: rounds 1-30"), "%s", c.reason);
}

/* Two levels both far beyond the threshold still tell: +100% and +150%. */
Test(verdict, two_levels_both_beyond_still_tell)
{
	double x[60];
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 60);
	struct cbench_comparison c;

	around(x, 30, 200e-6, 0.01);
	around(x + 30, 30, 250e-6, 0.01);
	c = judge(x, 60, 225e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);
	cr_assert_str_eq(c.reason, "");
}

/* Two modes alternating round by round: no time trend, but a gap. */
Test(verdict, interleaved_modes_are_inconclusive)
{
	double x[40];
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 40);
	struct cbench_comparison c;

	for (size_t i = 0; i < 40; i++)
		x[i] = (i % 2 ? 130e-6 : 100e-6) * (1 + 0.001 * (double)(i % 5));
	c = judge(x, 40, 115e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_not_null(strstr(c.reason, "two groups: 20 at or below"), "%s", c.reason);
}

/* +50% of 1 ns is half a nanosecond: under a 3-tick floor of 1 ns a call. */
Test(verdict, sub_tick_change_is_unchanged)
{
	double x[20];
	struct cbench_baseline_metric b = summarised(1e-9, 0.01, 20);
	struct cbench_comparison c;

	around(x, 20, 1.5e-9, 0.01);
	c = judge(x, 20, 1.5e-9, &b, 1e-9);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_UNCHANGED);
	cr_assert_not_null(strstr(c.reason, "under the noise floor"), "%s", c.reason);
	/* the same change above the floor is a regression */
	c = judge(x, 20, 1.5e-9, &b, 1e-12);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);
}

Test(verdict, too_few_rounds_is_inconclusive)
{
	double x[3] = { 110e-6, 111e-6, 112e-6 };
	struct cbench_baseline_metric b = summarised(100e-6, 0.01, 60);
	struct cbench_comparison c = judge(x, 3, 111e-6, &b, 0);

	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_str_eq(c.reason, "too few rounds to test: 3 (at least 5, --min-samples)");
}

/* A hand-written bare value: the median's interval decides, no p. */
Test(verdict, bare_baseline_uses_the_median_interval)
{
	double x[40];
	struct cbench_baseline_metric b;
	struct cbench_comparison c;

	memset(&b, 0, sizeof(b));
	b.name = "t";
	b.value = 100e-6;
	around(x, 40, 110e-6, 0.01);
	c = judge(x, 40, 110e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);
	cr_assert(isnan(c.p));
	cr_assert_gt(c.ratio_lo, 1.0);
	cr_assert_eq(c.baseline_n, 0);
	around(x, 40, 110e-6, 0.5);
	c = judge(x, 40, 110e-6, &b, 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_not_null(strstr(c.reason, "interval is ["), "%s", c.reason);
}

/* The rebuilt sample has the stored quartiles at type-7 positions. */
Test(verdict, summary_sample_keeps_the_quartiles)
{
	struct cbench_baseline_summary s = { 9, 3, { 1, 2, 3, 5, 9 } };
	double *x;
	size_t n;

	cr_assert_eq(cbench_compare__summary_sample(&x, &n, &s), 0);
	cr_assert_eq(n, 9);
	cr_assert_eq(x[0], 1);
	cr_assert_eq(x[2], 2);
	cr_assert_eq(x[4], 3);
	cr_assert_eq(x[6], 5);
	cr_assert_eq(x[8], 9);
	cr_assert_eq(x[1], 1.5);
	free(x);
}

/* --alpha 1: the percentage decides alone, as before the test. */
Test(verdict, alpha_one_turns_the_test_off)
{
	struct cbench_compare_config off = cfg;
	struct cbench_baseline_metric b = summarised(100e-6, 0.6, 12);
	struct cbench_comparison c;
	double x[2] = { 110e-6, 110e-6 };

	off.alpha = 1;
	memset(&c, 0, sizeof(c));
	c.threshold = 0.05;
	cr_assert_eq(cbench_compare__judge(&c, x, 2, 110e-6, &b, CBENCH_LOWER_IS_BETTER, 0, &off), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION);
	cr_assert_not(c.tested);
}

/* A metric read once per run (bytes, a hit rate, a count) has no spread to
 * test: the percentage decides, and the later passes confirm it. */
Test(verdict, a_single_reading_is_judged_on_the_threshold)
{
	struct cbench_baseline_metric b = summarised(100, 0.0, 5);
	struct cbench_comparison c;
	double one[1] = { 130 }, same[6] = { 130, 130, 130, 130, 130, 130 };

	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	cr_assert_eq(cbench_compare__judge(&c, one, 1, 130, &b, CBENCH_LOWER_IS_BETTER, 0, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION);
	cr_assert_not(c.tested);
	cr_assert(strstr(c.reason, "single reading") != NULL, "%s", c.reason);
	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	cr_assert_eq(cbench_compare__judge(&c, same, 6, 130, &b, CBENCH_HIGHER_IS_BETTER, 0, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_IMPROVEMENT);
	cr_assert(strstr(c.reason, "without spread") != NULL, "%s", c.reason);
	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	one[0] = 110;
	cr_assert_eq(cbench_compare__judge(&c, one, 1, 110, &b, CBENCH_LOWER_IS_BETTER, 0, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_UNCHANGED);
}

/* cbench ab: the baseline is BASE's own rounds. A tight +10% is a
 * regression; BASE's rounds at two levels that disagree about it are not. */
Test(verdict, against_the_base_rounds_both_sides_must_be_of_one_level)
{
	double head[40], base[40];
	struct cbench_comparison c;

	around(head, 40, 110e-6, 0.01);
	around(base, 40, 100e-6, 0.01);
	memset(&c, 0, sizeof(c));
	c.threshold = 0.05;
	cr_assert_eq(cbench_compare__judge_with(&c, head, 40, 110e-6, 100e-6, base, 40, true,
	                                        CBENCH_LOWER_IS_BETTER, 0, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);
	cr_assert_eq(c.baseline_n, 40);
	cr_assert_lt(c.p, 0.05);

	/* BASE: rounds 1-20 at 100 us, 21-40 at 112 us (a spell mid-way); its
	 * median, 106 us, is within 5% of HEAD's 110 us, its first level not */
	around(base + 20, 20, 112e-6, 0.01);
	memset(&c, 0, sizeof(c));
	c.threshold = 0.03;
	cr_assert_eq(cbench_compare__judge_with(&c, head, 40, 110e-6, 100e-6, base, 40, true,
	                                        CBENCH_LOWER_IS_BETTER, 0, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE, "%s", c.reason);
	cr_assert_not_null(strstr(c.reason, "the baseline: the run changed level mid-way"), "%s",
	                   c.reason);

	/* under the clock's noise floor: unchanged whatever the percentage */
	memset(&c, 0, sizeof(c));
	c.threshold = 0.05;
	cr_assert_eq(cbench_compare__judge_with(&c, head, 40, 110e-6, 100e-6, base, 40, true,
	                                        CBENCH_LOWER_IS_BETTER, 20e-6, &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_UNCHANGED);
	cr_assert_not_null(strstr(c.reason, "noise floor"), "%s", c.reason);
}

/* Paired passes: 4 in 5 must go the way the change went. */
Test(verdict, paired_passes_must_agree)
{
	const double base[5] = { 100, 100, 100, 100, 100 };
	const double slow[5] = { 120, 130, 125, 90, 121 };   /* 4 of 5 higher */
	const double spell[5] = { 300, 310, 95, 98, 99 };    /* 2 of 5 higher */
	size_t agree;

	cr_assert_eq(cbench_compare__passes_agree(&agree, base, slow, 5, true), 4);
	cr_assert_eq(agree, 4);
	cr_assert_eq(cbench_compare__passes_agree(&agree, base, spell, 5, true), 4);
	cr_assert_eq(agree, 2);
	/* a lower reading is agreement when the change went down */
	cr_assert_eq(cbench_compare__passes_agree(&agree, base, spell, 5, false), 4);
	cr_assert_eq(agree, 3);
	/* 3 passes: all 3 needed; 2 passes: both */
	cr_assert_eq(cbench_compare__passes_agree(&agree, base, slow, 3, true), 3);
	cr_assert_eq(cbench_compare__passes_agree(&agree, base, slow, 2, true), 2);
}

/* A summary of 5 run medians (the update tool's) from 88 to 126 us (the
 * shipped threads.embed[2] read so) says the next run of the same code may
 * read up to +50%: a tight run at +30%, above every baseline run, which
 * the U test and the interval call a regression, is inconclusive, with the
 * interval. Run medians within 1% of each other leave it a regression. */
Test(verdict, a_run_within_the_spread_between_baseline_runs_is_inconclusive)
{
	double x[40];
	struct cbench_baseline_metric wide = summarised(100e-6, 0.01, 5);
	struct cbench_baseline_metric tight = summarised(100e-6, 0.01, 5);
	struct cbench_comparison c;
	const double q[] = { 88e-6, 99e-6, 100e-6, 104e-6, 126e-6 };

	memcpy(wide.summary.q, q, sizeof(q));
	around(x, 40, 130e-6, 0.01);
	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	cr_assert_eq(cbench_compare__judge(&c, x, 40, 130e-6, &wide, CBENCH_LOWER_IS_BETTER, 0,
	                                   &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_INCONCLUSIVE, "%s", c.reason);
	cr_assert_not_null(strstr(c.reason, "within the spread between the baseline's 5 runs"),
	                   "%s", c.reason);
	cr_assert(c.tested);
	cr_assert_lt(c.p, 0.05, "the rounds alone would have called it");
	cr_assert_gt(c.ratio_lo, 1);
	cr_assert_eq(c.baseline_n, 5);

	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	cr_assert_eq(cbench_compare__judge(&c, x, 40, 130e-6, &tight, CBENCH_LOWER_IS_BETTER, 0,
	                                   &cfg), 0);
	cr_assert_eq(c.verdict, CBENCH_VERDICT_REGRESSION, "%s", c.reason);

	/* a summary of rounds (n != runs) is not a prediction of runs */
	wide.summary.n = 60;
	memset(&c, 0, sizeof(c));
	c.threshold = 0.2;
	cr_assert_eq(cbench_compare__judge(&c, x, 40, 130e-6, &wide, CBENCH_LOWER_IS_BETTER, 0,
	                                   &cfg), 0);
	cr_assert_null(strstr(c.reason, "within the spread"), "%s", c.reason);
}

/* One metric judged against its baseline, as the gate leaves it. */
static struct cbench_metric judged(const char *unit, bool timing, enum cbench_direction dir,
                                   double baseline, double current)
{
	struct cbench_metric m;

	memset(&m, 0, sizeof(m));
	m.name = "m";
	m.unit = unit;
	m.timing = timing;
	m.direction = dir;
	m.cmp.baseline = baseline;
	m.cmp.current = current;
	m.cmp.threshold = 0.2;
	m.cmp.verdict = cbench_compare__verdict(current, baseline, 0.2, dir, &m.cmp.change);
	return m;
}

/* A run where every timing read +25% (a slower machine) but one that read
 * +60% (+28% against the run): the +25% ones and the throughput are
 * inconclusive, the +60% one stays a regression, a byte count is left
 * alone. */
Test(verdict, a_whole_run_slower_is_the_machine_not_each_benchmark)
{
	struct cbench_metric m[12];
	struct cbench_result r[12];
	double drift;
	size_t count;

	memset(r, 0, sizeof(r));
	for (size_t i = 0; i < 9; i++)
		m[i] = judged("s", true, CBENCH_LOWER_IS_BETTER, 1e-6, 1.25e-6);
	m[9] = judged("s", true, CBENCH_LOWER_IS_BETTER, 1e-6, 1.6e-6);
	m[10] = judged("queries/s", false, CBENCH_HIGHER_IS_BETTER, 1000, 780);
	m[11] = judged("bytes", false, CBENCH_LOWER_IS_BETTER, 1000, 1300);
	for (size_t i = 0; i < 12; i++) {
		r[i].metrics = &m[i];
		r[i].nmetrics = 1;
	}
	cr_assert_eq(cbench_compare__drift(&drift, &count, r, 12), 0);
	cr_assert_eq(count, 10);
	cr_assert_float_eq(drift, 1.25, 1e-12);
	cr_assert_eq(cbench_compare__apply_drift(r, 12, drift, count), 10);
	cr_assert_eq(m[0].cmp.verdict, CBENCH_VERDICT_INCONCLUSIVE);
	cr_assert_not_null(strstr(m[0].cmp.reason, "the whole run read +25% (median of its 10 "
	                                          "timings): against the run, +0.0%"), "%s",
	                   m[0].cmp.reason);
	cr_assert_eq(m[9].cmp.verdict, CBENCH_VERDICT_REGRESSION);
	cr_assert_eq(m[10].cmp.verdict, CBENCH_VERDICT_INCONCLUSIVE, "%s", m[10].cmp.reason);
	cr_assert_eq(m[11].cmp.verdict, CBENCH_VERDICT_REGRESSION);
}

/* Too few timings to call it the machine, or a drift under 5%: nothing
 * changes. */
Test(verdict, drift_needs_enough_timings_and_a_real_shift)
{
	struct cbench_metric m[9];
	struct cbench_result r[9];
	double drift;
	size_t count;

	memset(r, 0, sizeof(r));
	for (size_t i = 0; i < 9; i++) {
		m[i] = judged("s", true, CBENCH_LOWER_IS_BETTER, 1e-6, i < 5 ? 1.3e-6 : 1.0e-6);
		r[i].metrics = &m[i];
		r[i].nmetrics = 1;
	}
	/* 7 timings, all +30%: too few */
	cr_assert_eq(cbench_compare__apply_drift(r, 7, 1.3, 7), 0);
	cr_assert_eq(m[0].cmp.verdict, CBENCH_VERDICT_REGRESSION);
	/* 9 timings, 5 of them +30%: the median is +30% */
	cr_assert_eq(cbench_compare__drift(&drift, &count, r, 9), 0);
	cr_assert_float_eq(drift, 1.3, 1e-12);
	/* 4 in 9 moved: the median is 1, the regressions are real */
	m[4] = judged("s", true, CBENCH_LOWER_IS_BETTER, 1e-6, 1.0e-6);
	cr_assert_eq(cbench_compare__drift(&drift, &count, r, 9), 0);
	cr_assert_float_eq(drift, 1.0, 1e-12);
	cr_assert_eq(cbench_compare__apply_drift(r, 9, drift, count), 0);
	cr_assert_eq(m[0].cmp.verdict, CBENCH_VERDICT_REGRESSION);
}
