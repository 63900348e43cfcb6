#ifndef CBENCH_FRAMEWORK_COMPARE_H
#define CBENCH_FRAMEWORK_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gate/baseline.h"
#include "cbench/reporter.h"

#define CBENCH_DEFAULT_THRESHOLD 0.20
#define CBENCH_DEFAULT_ALPHA 0.05
#define CBENCH_DEFAULT_MIN_SAMPLES 5u
#define CBENCH_DEFAULT_RESAMPLES 2000u
#define CBENCH_NOISE_FLOOR_TICKS 3.0
/* A summary of this many run medians or more is also a prediction of the
 * next run (docs/design.md, "Is the change real?", step 5). */
#define CBENCH_MIN_BASELINE_RUNS 3u
/* At most this many points are drawn from a baseline's summary. */
#define CBENCH_SUMMARY_MAX_POINTS 2000u

/* The statistic a metric is compared on: "median", "mean", "min", "p95" or
 * "p99"; NAN for an unknown name. */
double cbench_compare__statistic(const struct cbench_stats *s, const char *stat);
bool cbench_compare__known_stat(const char *stat);

/*
 * The verdict of `current` against `baseline` (> 0) for a metric of
 * direction `dir` with threshold `t`; *change is set to (current - baseline) /
 * baseline. Lower is better: regression when current > baseline (1 + t),
 * improvement when current < baseline (1 - t). Higher is better: the
 * mirror. Exactly at the threshold is unchanged: the comparison allows one
 * part in 10^9 of rounding, so 120 against 100 at 20% is unchanged however
 * 100 x 1.2 rounds.
 */
enum cbench_verdict cbench_compare__verdict(double current, double baseline, double t,
                                            enum cbench_direction dir, double *change);

/* Where a run's thresholds come from. */
struct cbench_compare_config {
	double threshold;             /* the run's: --threshold, REGRESSION_THRESHOLD or 0.2 */
	const char *threshold_source;
	const char *stat;             /* compared statistic */
	double alpha;                 /* significance level; >= 1 turns the test off */
	unsigned min_samples;         /* rounds each side needs; 0: the default */
	double noise_floor;           /* seconds: a round's timing change under it
	                                 is unchanged (divided by the batch for a
	                                 call); 0: none */
	unsigned resamples;           /* bootstrap draws; 0: the default */
	uint64_t seed;                /* for the bootstrap */
	/* --threshold-instructions: counts' threshold (0: none given), before
	 * the declaration's; the baselines file's per metric still wins. */
	double count_threshold;
	bool count_threshold_given;
};

/* Whether a metric's unit is an event count (--measure instructions):
 * instructions, cycles or misses. */
bool cbench_compare__is_count(const char *unit);

/*
 * The baseline's sample for the test, rebuilt from its summary: n points
 * (at most CBENCH_SUMMARY_MAX_POINTS) at the plotting positions i / (n - 1)
 * of the piecewise-linear quantile function through min, q1, median, q3,
 * max at 0, 1/4, 1/2, 3/4, 1 (the positions type-7 quantiles use, so the
 * rebuilt sample has the stored quartiles). *out is freed with free().
 */
int cbench_compare__summary_sample(double **out, size_t *n,
                                   const struct cbench_baseline_summary *s);

/*
 * The verdict of one reading (`samples`, its rounds, and `current`, their
 * compared statistic) against the baseline `b` (c->threshold already set):
 * the percentage rule, then the noise floor `floor` (seconds per call, for
 * timing metrics; 0 for others), then the
 * statistical evidence (docs/design.md, "Is the change real?"). Fills
 * c->verdict, change, tested, p, ratio, ratio_lo/hi, baseline_n, reason.
 */
/* The noise floor of metric m in seconds per call: cfg->noise_floor over the
 * calls of a round (`batch`), for a timing metric; 0 otherwise. */
double cbench_compare__floor(const struct cbench_metric *m, uint64_t batch,
                             const struct cbench_compare_config *cfg);

/*
 * The same rules against a baseline given as a sample: `base` (nbase
 * points; NULL for a bare `baseline` value). `base_rounds`: the points are
 * the baseline's own rounds (cbench ab: BASE's side), so a single level is
 * required of them too; false for a sample rebuilt from a summary.
 */
int cbench_compare__judge_with(struct cbench_comparison *c, const double *samples, size_t n,
                               double current, double baseline, const double *base,
                               size_t nbase, bool base_rounds, enum cbench_direction dir,
                               double floor, const struct cbench_compare_config *cfg);

/*
 * Paired passes (cbench ab): pass i read `base[i]` and `head[i]`, next to
 * each other in time. Sets *agree to the passes where HEAD went the way the
 * pooled change went (`up`: higher) and returns how many must: at least
 * CBENCH_AGREE_NUM / CBENCH_AGREE_DEN of them, rounded up, so a slow spell
 * that caught one side of a pass or two cannot make a verdict.
 */
#define CBENCH_AGREE_NUM 4u
#define CBENCH_AGREE_DEN 5u
size_t cbench_compare__passes_agree(size_t *agree, const double *base, const double *head,
                                    size_t n, bool up);

/*
 * The run's drift: the median, over its timing metrics compared with a
 * baseline, of current / baseline (*count of them). NAN when none.
 */
int cbench_compare__drift(double *drift, size_t *count, const struct cbench_result *results,
                          size_t n);

/*
 * A machine that is slower for a whole run moves every timing at once; a
 * change to the code moves the ones it touches. With at least
 * CBENCH_DRIFT_MIN_METRICS timings and a drift beyond CBENCH_DRIFT_MIN
 * either way, a regression or improvement of a time (lower is better) or
 * a rate ("/s", higher is better) stands only when it still crosses its
 * threshold against the run's drift; otherwise it is inconclusive, with
 * both figures. Counts, sizes and scores are left alone. Returns how many
 * verdicts it changed.
 */
#define CBENCH_DRIFT_MIN_METRICS 8u
#define CBENCH_DRIFT_MIN 0.05
size_t cbench_compare__apply_drift(struct cbench_result *results, size_t n, double drift,
                                   size_t count);

int cbench_compare__judge(struct cbench_comparison *c, const double *samples, size_t n,
                          double current, const struct cbench_baseline_metric *b,
                          enum cbench_direction dir, double floor,
                          const struct cbench_compare_config *cfg);

/*
 * Fills metric->cmp for every metric of results[0..n) against the section's
 * metrics (NULL/0 when there is none: every metric is new), and lists the
 * section's metrics no result produced in *missing (freed with free(); its
 * names borrow from `base`). A metric's threshold is, first found: the
 * baselines file's for that metric, the declaration's (`decl_thresholds[i]`
 * for results[i], 0 for none), the run's.
 */
int cbench_compare__apply(struct cbench_result *results, size_t n,
                          const double *decl_thresholds,
                          const struct cbench_baseline_metric *base, size_t nbase,
                          const struct cbench_compare_config *cfg,
                          struct cbench_missing **missing, size_t *nmissing);

/* Whether a metric's first reading crossed its threshold, either way: a
 * regression, an improvement, or a crossing the evidence could not settle. */
bool cbench_compare__crossed(const struct cbench_metric *m);

/*
 * Parses a threshold as users write it: "0.2" or "20%". Returns 0, or
 * CBENCH_EUSAGE naming `what` (e.g. "--threshold") and the value.
 */
int cbench_compare__parse_threshold(double *out, const char *text, const char *what,
                                    struct cbench_error *err);

/*
 * REGRESSION_THRESHOLD, where it is set and not empty: *out and *source
 * ("REGRESSION_THRESHOLD"; `source` may be NULL) set. Untouched when it is
 * not set. A bad value is CBENCH_EUSAGE naming the variable.
 */
int cbench_compare__env_threshold(double *out, const char **source, struct cbench_error *err);

#endif
