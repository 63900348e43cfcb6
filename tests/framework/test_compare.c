/* Direction-aware verdicts, thresholds and their precedence. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "gate/compare.h"

static enum cbench_verdict v(double cur, double base, double t, enum cbench_direction d)
{
	return cbench_compare__verdict(cur, base, t, d, NULL);
}

Test(compare, lower_is_better_around_the_boundary)
{
	const enum cbench_direction L = CBENCH_LOWER_IS_BETTER;

	cr_assert_eq(v(120, 100, 0.2, L), CBENCH_VERDICT_UNCHANGED); /* exactly at: not a regression */
	cr_assert_eq(v(120.000001, 100, 0.2, L), CBENCH_VERDICT_REGRESSION);
	cr_assert_eq(v(119.999, 100, 0.2, L), CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(v(80, 100, 0.2, L), CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(v(79.999, 100, 0.2, L), CBENCH_VERDICT_IMPROVEMENT);
	cr_assert_eq(v(100, 100, 0.2, L), CBENCH_VERDICT_UNCHANGED);
	/* thresholds that do not round well */
	cr_assert_eq(v(0.011 * 1.2, 0.011, 0.2, L), CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(v(0.013, 0.011, 0.1, L), CBENCH_VERDICT_REGRESSION);
}

Test(compare, higher_is_better_mirrors)
{
	const enum cbench_direction H = CBENCH_HIGHER_IS_BETTER;

	cr_assert_eq(v(80, 100, 0.2, H), CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(v(79.999, 100, 0.2, H), CBENCH_VERDICT_REGRESSION);
	cr_assert_eq(v(120, 100, 0.2, H), CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(v(120.001, 100, 0.2, H), CBENCH_VERDICT_IMPROVEMENT);
	cr_assert_eq(v(0.42 * 0.8, 0.42, 0.2, H), CBENCH_VERDICT_UNCHANGED);
}

Test(compare, change_is_signed_fraction)
{
	double c;

	cbench_compare__verdict(125, 100, 0.2, CBENCH_LOWER_IS_BETTER, &c);
	cr_assert_float_eq(c, 0.25, 1e-15);
	cbench_compare__verdict(48, 50, 0.2, CBENCH_HIGHER_IS_BETTER, &c);
	cr_assert_float_eq(c, -0.04, 1e-15);
}

static struct cbench_metric metric(const char *name, enum cbench_direction d, double median)
{
	struct cbench_metric m;

	memset(&m, 0, sizeof(m));
	m.name = name;
	m.unit = "s";
	m.direction = d;
	m.stats.n = 10;
	m.stats.median = median;
	m.stats.mean = median * 1.5;
	m.stats.min = median * 0.5;
	m.stats.p95 = median * 2;
	m.value = median;
	return m;
}

Test(compare, every_status_and_threshold_precedence)
{
	struct cbench_metric m1[2] = { metric("lat", CBENCH_LOWER_IS_BETTER, 130),
	                               metric("tput", CBENCH_HIGHER_IS_BETTER, 70) };
	struct cbench_metric m2[2] = { metric("lat2", CBENCH_LOWER_IS_BETTER, 110),
	                               metric("fresh", CBENCH_LOWER_IS_BETTER, 1) };
	struct cbench_result r[2];
	struct cbench_baseline_metric base[4];
	struct cbench_compare_config cfg = { .threshold = 0.2, .threshold_source = "default",
	                                     .stat = "median" };
	double decl[2] = { 0, 0.05 };
	struct cbench_missing *miss;
	size_t nmiss;

	memset(r, 0, sizeof(r));
	r[0].metrics = m1;
	r[0].nmetrics = 2;
	r[1].metrics = m2;
	r[1].nmetrics = 2;
	memset(base, 0, sizeof(base));
	base[0].name = "lat";
	base[0].value = 100;
	base[1].name = "tput";
	base[1].value = 50;          /* +40%: improvement for higher-is-better */
	base[2].name = "lat2";
	base[2].value = 100;
	base[2].has_threshold = true;
	base[2].threshold = 0.15;    /* baselines' own threshold beats the declaration's 5% */
	base[3].name = "gone";
	base[3].value = 3;
	base[3].unit = "B";

	cr_assert_eq(cbench_compare__apply(r, 2, decl, base, 4, &cfg, &miss, &nmiss), 0);
	cr_assert_eq(m1[0].cmp.verdict, CBENCH_VERDICT_REGRESSION);
	cr_assert_float_eq(m1[0].cmp.change, 0.30, 1e-12);
	cr_assert_str_eq(m1[0].cmp.threshold_source, "default");
	cr_assert_eq(m1[1].cmp.verdict, CBENCH_VERDICT_IMPROVEMENT);
	cr_assert_eq(m2[0].cmp.verdict, CBENCH_VERDICT_UNCHANGED);
	cr_assert_eq(m2[0].cmp.threshold, 0.15);
	cr_assert_str_eq(m2[0].cmp.threshold_source, "baselines");
	cr_assert_eq(m2[1].cmp.verdict, CBENCH_VERDICT_NEW);
	cr_assert(isnan(m2[1].cmp.baseline));
	cr_assert_eq(m2[1].cmp.threshold, 0.05); /* the declaration's, with no baseline one */
	cr_assert_str_eq(m2[1].cmp.threshold_source, "declaration");
	cr_assert_eq(nmiss, 1);
	cr_assert_str_eq(miss[0].name, "gone");
	cr_assert_str_eq(miss[0].unit, "B");
	free(miss);

	/* the compared statistic is configurable */
	cfg.stat = "min";   /* lat: min 65 vs 100: improvement */
	cr_assert_eq(cbench_compare__apply(r, 2, NULL, base, 4, &cfg, &miss, &nmiss), 0);
	cr_assert_eq(m1[0].cmp.verdict, CBENCH_VERDICT_IMPROVEMENT);
	cr_assert_eq(m1[0].cmp.current, 65);
	free(miss);
	cfg.stat = "p95";
	cr_assert_eq(cbench_compare__apply(r, 2, NULL, base, 4, &cfg, &miss, &nmiss), 0);
	cr_assert_eq(m1[0].cmp.current, 260);
	free(miss);

	/* no section at all: everything new, nothing missing */
	cr_assert_eq(cbench_compare__apply(r, 2, NULL, NULL, 0, &cfg, &miss, &nmiss), 0);
	cr_assert_eq(m1[0].cmp.verdict, CBENCH_VERDICT_NEW);
	cr_assert_eq(nmiss, 0);
	free(miss);
}

Test(compare, thresholds_as_users_write_them)
{
	struct cbench_error err;
	double t;

	cr_assert_eq(cbench_compare__parse_threshold(&t, "0.2", "--threshold", &err), 0);
	cr_assert_eq(t, 0.2);
	cr_assert_eq(cbench_compare__parse_threshold(&t, "15%", "--threshold", &err), 0);
	cr_assert_float_eq(t, 0.15, 1e-15);
	cr_assert_eq(cbench_compare__parse_threshold(&t, "20", "REGRESSION_THRESHOLD", &err),
	             CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "REGRESSION_THRESHOLD: '20' is a fraction of 1 or more; "
	                           "for a percentage write 20%");
	cr_assert_eq(cbench_compare__parse_threshold(&t, "abc", "--threshold", &err), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--threshold: 'abc' is not a threshold (write 0.2 or 20%)");
	cr_assert_eq(cbench_compare__parse_threshold(&t, "-5%", "--threshold", &err), CBENCH_EUSAGE);
}
