/*
 * gate/update.c: the rule `cbench baseline update` proposes by, called
 * directly (tests/framework/test_baseline_update.c runs the tool).
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include "cbench/error.h"
#include "gate/update.h"

static const struct cbench_update_rule rule5 = { 5, 0.05, false };

static struct cbench_baseline_metric base(const char *name, double value)
{
	return (struct cbench_baseline_metric){ .name = name, .value = value,
	                                        .direction = CBENCH_LOWER_IS_BETTER };
}

static struct cbench_update_series lower(const char *name, const double *v, size_t n)
{
	return (struct cbench_update_series){ name, "s", CBENCH_LOWER_IS_BETTER, v, n };
}

Test(update, median_of_the_runs_where_better_by_more_than_the_margin)
{
	/* Median 9.0 despite a slow outlier: 10% better than 10. */
	const double v[] = { 9.0, 30.0, 8.9, 9.1, 8.0 };
	struct cbench_update_series s = lower("t", v, 5);
	struct cbench_baseline_metric b = base("t", 10.0);
	struct cbench_update_proposal *p;
	size_t n;

	cr_assert_eq(cbench_update__propose(&p, &n, &s, 1, &b, 1, &rule5), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0].name, "t");
	cr_assert_str_eq(p[0].unit, "s");
	cr_assert_float_eq(p[0].proposed, 9.0, 1e-12);
	cr_assert_float_eq(p[0].current, 10.0, 1e-12);
	cr_assert_float_eq(p[0].better, (10.0 - 9.0) / 10.0, 1e-12);
	cr_assert_eq(p[0].direction, CBENCH_LOWER_IS_BETTER);
	free(p);
}

Test(update, within_the_margin_or_worse_is_never_proposed)
{
	/* 5% better is not more than 5%; 4% better; 20% worse. */
	const double at[] = { 9.5, 9.5, 9.5, 9.5, 9.5 }, near[] = { 9.6, 9.6, 9.6, 9.6, 9.6 };
	const double worse[] = { 12, 12, 12, 12, 12 };
	struct cbench_update_series s[] = { lower("a", at, 5), lower("b", near, 5),
	                                    lower("c", worse, 5) };
	struct cbench_baseline_metric b[] = { base("a", 10), base("b", 10), base("c", 10) };
	struct cbench_update_proposal *p;
	size_t n = 99;

	cr_assert_eq(cbench_update__propose(&p, &n, s, 3, b, 3, &rule5), 0);
	cr_assert_eq(n, 0);
	free(p);
}

Test(update, higher_is_better)
{
	const double up[] = { 130, 120, 125, 121, 119 }, down[] = { 50, 50, 50, 50, 50 };
	struct cbench_update_series s[] = {
		{ "rate", "req/s", CBENCH_HIGHER_IS_BETTER, up, 5 },
		{ "hits", "", CBENCH_HIGHER_IS_BETTER, down, 5 },
	};
	struct cbench_baseline_metric b[] = { base("hits", 100), base("rate", 100) };
	struct cbench_update_proposal *p;
	size_t n;

	b[0].has_direction = b[1].has_direction = true;
	b[0].direction = b[1].direction = CBENCH_HIGHER_IS_BETTER;
	cr_assert_eq(cbench_update__propose(&p, &n, s, 2, b, 2, &rule5), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0].name, "rate");
	cr_assert_float_eq(p[0].proposed, 121, 1e-12);
	cr_assert_float_eq(p[0].better, 0.21, 1e-12);
	free(p);
}

/* The baselines file's direction wins over the one recorded with a run. */
Test(update, the_baseline_direction_wins)
{
	const double v[] = { 200, 200, 200, 200, 200 };
	struct cbench_update_series s = lower("score", v, 5);
	struct cbench_baseline_metric b = base("score", 100);
	struct cbench_update_proposal *p;
	size_t n;

	cr_assert_eq(cbench_update__propose(&p, &n, &s, 1, &b, 1, &rule5), 0);
	cr_assert_eq(n, 0, "lower is better: 200 is worse");
	free(p);
	b.has_direction = true;
	b.direction = CBENCH_HIGHER_IS_BETTER;
	cr_assert_eq(cbench_update__propose(&p, &n, &s, 1, &b, 1, &rule5), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(p[0].direction, CBENCH_HIGHER_IS_BETTER);
	cr_assert_float_eq(p[0].better, 1.0, 1e-12);
	free(p);
}

Test(update, a_metric_missing_from_some_runs_waits)
{
	const double v[] = { 1, 1, 1, 1 };
	struct cbench_update_series s = lower("t", v, 4);
	struct cbench_baseline_metric b = base("t", 10);
	struct cbench_update_proposal *p;
	size_t n;

	cr_assert_eq(cbench_update__propose(&p, &n, &s, 1, &b, 1, &rule5), 0);
	cr_assert_eq(n, 0);
	free(p);
}

Test(update, init_proposes_new_metrics_and_platforms)
{
	const double v[] = { 3, 1, 2 }, zero[] = { 0, 0, 0 };
	struct cbench_update_series s[] = { lower("new", v, 3), lower("old", v, 3),
	                                    lower("zero", zero, 3) };
	struct cbench_baseline_metric b = base("old", 2.5);
	struct cbench_update_rule rule = { 3, 0.05, false };
	struct cbench_update_proposal *p;
	size_t n;

	/* Without --init only the improvement on "old". */
	cr_assert_eq(cbench_update__propose(&p, &n, s, 3, &b, 1, &rule), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0].name, "old");
	free(p);
	rule.init = true;
	cr_assert_eq(cbench_update__propose(&p, &n, s, 3, &b, 1, &rule), 0);
	cr_assert_eq(n, 2, "a median of 0 is never a baseline");
	cr_assert_str_eq(p[0].name, "new");
	cr_assert(isnan(p[0].current) && isnan(p[0].better));
	cr_assert_float_eq(p[0].proposed, 2, 1e-12);
	cr_assert_str_eq(p[1].name, "old");
	free(p);
	/* A platform with no section at all. */
	cr_assert_eq(cbench_update__propose(&p, &n, s, 3, NULL, 0, &rule), 0);
	cr_assert_eq(n, 2);
	cr_assert(isnan(p[1].current));
	free(p);
}

Test(update, nothing_recorded)
{
	struct cbench_update_proposal *p;
	size_t n = 7;

	cr_assert_eq(cbench_update__propose(&p, &n, NULL, 0, NULL, 0, &rule5), 0);
	cr_assert_eq(n, 0);
	free(p);
}

/* How sure the proposal is: the interval one more run is expected in, the
 * one the gate applies; none from fewer than 3 runs. */
Test(update, proposals_say_where_the_next_run_may_read)
{
	const double tight[] = { 9.9, 10.0, 10.1, 10.0, 10.0 };
	const double wide[] = { 8.8, 9.9, 10.0, 10.4, 12.6 };
	const double two[] = { 10.0, 10.2 };
	const struct cbench_update_rule init = { 2, 0.05, true };
	struct cbench_update_series s[] = { lower("tight", tight, 5), lower("wide", wide, 5),
	                                    lower("two", two, 2) };
	struct cbench_update_proposal *p;
	size_t n;

	cr_assert_eq(cbench_update__propose(&p, &n, s, 3, NULL, 0, &init), 0);
	cr_assert_eq(n, 3);
	/* tight: +-1% runs give a few percent either way */
	cr_assert(p[0].next_lo < 10.0 && p[0].next_lo > 9.6, "%g", p[0].next_lo);
	cr_assert(p[0].next_hi > 10.0 && p[0].next_hi < 10.4, "%g", p[0].next_hi);
	/* wide: past +20% */
	cr_assert_gt(p[1].next_hi / p[1].proposed, 1.2);
	cr_assert(isnan(p[2].next_lo) && isnan(p[2].next_hi));
	free(p);
}
