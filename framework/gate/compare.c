/*
 * Direction-aware comparison of metrics with their baselines. Pure
 * functions: the runner decides what to re-run, reporters what to print.
 */
#include "gate/compare.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "stats/mwu.h"
#include "stats/stats.h"

/* Rounding allowance of "exactly at the threshold". */
#define EPS 1e-9

double cbench_compare__statistic(const struct cbench_stats *s, const char *stat)
{
	if (strcmp(stat, "median") == 0)
		return s->median;
	if (strcmp(stat, "mean") == 0)
		return s->mean;
	if (strcmp(stat, "min") == 0)
		return s->min;
	if (strcmp(stat, "p95") == 0)
		return s->p95;
	if (strcmp(stat, "p99") == 0)
		return s->p99;
	return NAN;
}

bool cbench_compare__known_stat(const char *stat)
{
	struct cbench_stats s;

	memset(&s, 0, sizeof(s));
	return !isnan(cbench_compare__statistic(&s, stat));
}

enum cbench_verdict cbench_compare__verdict(double current, double baseline, double t,
                                            enum cbench_direction dir, double *change)
{
	double c = (current - baseline) / baseline;
	/* positive when worse, whatever the direction */
	double worse = dir == CBENCH_HIGHER_IS_BETTER ? -c : c;

	if (change)
		*change = c;
	if (worse > t + EPS)
		return CBENCH_VERDICT_REGRESSION;
	if (worse < -t - EPS)
		return CBENCH_VERDICT_IMPROVEMENT;
	return CBENCH_VERDICT_UNCHANGED;
}

bool cbench_compare__is_count(const char *unit)
{
	return unit && (strcmp(unit, "instructions") == 0 || strcmp(unit, "cycles") == 0 ||
	                strcmp(unit, "misses") == 0);
}

bool cbench_compare__crossed(const struct cbench_metric *m)
{
	return m->cmp.verdict == CBENCH_VERDICT_REGRESSION ||
	       m->cmp.verdict == CBENCH_VERDICT_IMPROVEMENT ||
	       m->cmp.verdict == CBENCH_VERDICT_INCONCLUSIVE;
}

int cbench_compare__summary_sample(double **out, size_t *n,
                                   const struct cbench_baseline_summary *s)
{
	size_t k = s->n < CBENCH_SUMMARY_MAX_POINTS ? s->n : CBENCH_SUMMARY_MAX_POINTS;
	double *x = malloc((k ? k : 1) * sizeof(*x));

	if (!x)
		return CBENCH_ENOMEM;
	for (size_t i = 0; i < k; i++) {
		/* position in [0, 4]: which quarter, and how far into it */
		double pos = k > 1 ? 4.0 * (double)i / (double)(k - 1) : 2.0;
		size_t j = pos >= 4 ? 3 : (size_t)pos;
		double f = pos - (double)j;

		x[i] = s->q[j] + f * (s->q[j + 1] - s->q[j]);
	}
	*out = x;
	*n = k;
	return 0;
}

/*
 * A run whose rounds come at two levels cannot be summarised by one
 * median, so no verdict rests on it. Two signs, either enough: the two
 * halves of the run, in time order, differ (a level that changed mid-run),
 * or the sorted rounds split at a gap wider than the threshold, and than
 * four typical gaps, with at least a quarter of them on each side (two
 * interleaved modes).
 */
static int bimodal(char *why, size_t size, double level[2], const double *x, size_t n,
                   double t, const struct cbench_compare_config *cfg)
{
	struct cbench_stats_test h;
	double *sorted, med;
	size_t half = n / 2;
	int rc = 0;

	if (half >= CBENCH_STATS_MIN_SAMPLE &&
	    cbench_stats__compare_samples(&h, x, half, x + half, n - half, 0.95, 0, 0, NULL) == 0 &&
	    h.p < cfg->alpha && fabs(h.ratio - 1) > t / 2) {
		snprintf(why, size, "the run changed level mid-way: rounds 1-%zu median %.4g, "
		         "rounds %zu-%zu median %.4g (p = %.2g)", half, h.median_a, half + 1, n,
		         h.median_b, h.p);
		level[0] = h.median_a;
		level[1] = h.median_b;
		return 1;
	}
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted)
		return CBENCH_ENOMEM;
	memcpy(sorted, x, n * sizeof(*sorted));
	cbench_stats__sort(sorted, n);
	med = cbench_stats__quantile(sorted, n, 0.5);
	/* the typical gap between neighbours (their median), so an evenly wide
	 * spread is not mistaken for two groups */
	double *gaps = malloc(n * sizeof(*gaps)), typical;

	if (!gaps) {
		free(sorted);
		return CBENCH_ENOMEM;
	}
	for (size_t i = 1; i < n; i++)
		gaps[i - 1] = sorted[i] - sorted[i - 1];
	cbench_stats__sort(gaps, n - 1);
	typical = n > 1 ? cbench_stats__quantile(gaps, n - 1, 0.5) : 0;
	free(gaps);
	for (size_t i = n / 4; i > 0 && i + n / 4 <= n; i++) {
		double gap = sorted[i] - sorted[i - 1];

		if (gap > t * fabs(med) && gap > 4 * typical) {
			snprintf(why, size, "the rounds form two groups: %zu at or below %.4g, "
			         "%zu at or above %.4g", i, sorted[i - 1], n - i, sorted[i]);
			level[0] = cbench_stats__quantile(sorted, i, 0.5);
			level[1] = cbench_stats__quantile(sorted + i, n - i, 0.5);
			rc = 1;
			break;
		}
	}
	free(sorted);
	return rc;
}

/* Against a bare value: the distribution-free interval of the median over
 * the baseline. No p-value: there is no second sample. */
static int test_value(struct cbench_comparison *c, const double *x, size_t n,
                      double baseline, const struct cbench_compare_config *cfg)
{
	double *sorted = malloc(n * sizeof(*sorted)), lo, hi;

	if (!sorted)
		return CBENCH_ENOMEM;
	memcpy(sorted, x, n * sizeof(*sorted));
	cbench_stats__sort(sorted, n);
	cbench_stats__median_ci(&lo, &hi, sorted, n, 1 - cfg->alpha);
	c->ratio = cbench_stats__quantile(sorted, n, 0.5) / baseline;
	c->ratio_lo = lo / baseline;
	c->ratio_hi = hi / baseline;
	free(sorted);
	return 0;
}

/* One reading, or readings that are all the same value (deterministic
 * metrics: bytes, counts, quality scores). */
static bool without_spread(const double *x, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return false;
	return true;
}

/* Against the baseline's own rounds (cbench ab: BASE's side): U test and
 * bootstrap over both samples as they are. */
static int test_sample(struct cbench_comparison *c, const double *x, size_t n,
                       const double *a, size_t na, const struct cbench_compare_config *cfg)
{
	struct cbench_stats_test t;
	int rc = cbench_stats__compare_samples(&t, a, na, x, n, 1 - cfg->alpha,
	                                       cfg->resamples ? cfg->resamples :
	                                       CBENCH_DEFAULT_RESAMPLES, cfg->seed, NULL);

	if (rc)
		return rc;
	c->p = t.p;
	c->ratio = t.ratio;
	c->ratio_lo = t.ratio_lo;
	c->ratio_hi = t.ratio_hi;
	return 0;
}

/* Whether a sample's two levels (bimodal() above) disagree about the
 * verdict `pct` against `baseline`: 1 (c->reason says why), 0, or < 0. */
static int split_verdict(struct cbench_comparison *c, const char *whose, const double *x,
                         size_t n, double baseline, enum cbench_verdict pct,
                         enum cbench_direction dir, const struct cbench_compare_config *cfg)
{
	char why[sizeof(c->reason)];
	double level[2];
	int rc = bimodal(why, sizeof(why), level, x, n, c->threshold, cfg);

	if (rc <= 0)
		return rc;
	/* Two levels matter only when they disagree about the verdict: a run
	 * whose both levels are far beyond the threshold the same way still
	 * tells. */
	if (cbench_compare__verdict(level[0], baseline, c->threshold, dir, NULL) == pct &&
	    cbench_compare__verdict(level[1], baseline, c->threshold, dir, NULL) == pct)
		return 0;
	snprintf(c->reason, sizeof(c->reason), "%s%s", whose, why);
	return 1;
}

int cbench_compare__judge_with(struct cbench_comparison *c, const double *samples, size_t n,
                               double current, double baseline, const double *base,
                               size_t nbase, bool base_rounds, enum cbench_direction dir,
                               double floor, const struct cbench_compare_config *cfg)
{
	unsigned min_n = cfg->min_samples ? cfg->min_samples : CBENCH_DEFAULT_MIN_SAMPLES;
	enum cbench_verdict pct;
	bool evidence;
	int rc;

	c->current = current;
	c->baseline = baseline;
	c->tested = false;
	c->p = c->ratio = c->ratio_lo = c->ratio_hi = NAN;
	c->baseline_n = base ? nbase : 0;
	c->reason[0] = '\0';
	pct = cbench_compare__verdict(current, baseline, c->threshold, dir, &c->change);
	c->verdict = pct;
	if (pct == CBENCH_VERDICT_UNCHANGED)
		return 0;
	if (floor > 0 && fabs(current - baseline) < floor) {
		c->verdict = CBENCH_VERDICT_UNCHANGED;
		snprintf(c->reason, sizeof(c->reason), "a change of %.3g ns per call is under "
		         "the noise floor of %.3g ns (%.0f clock ticks a round)",
		         fabs(current - baseline) * 1e9, floor * 1e9, CBENCH_NOISE_FLOOR_TICKS);
		return 0;
	}
	if (!(cfg->alpha < 1))
		return 0; /* the test is off: the percentage decides alone */
	if (without_spread(samples, n) && (!base_rounds || without_spread(base, nbase))) {
		/* A count, a byte size, a quality score: one reading per run, or
		 * readings that do not vary. There is no spread to be wider than
		 * the change, so the percentage decides and the later passes
		 * (gate.c) confirm it. */
		snprintf(c->reason, sizeof(c->reason), "%s: the threshold decides, the "
		         "re-measurements confirm", n <= 1 ? "a single reading" :
		         "readings without spread");
		return 0;
	}
	c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
	if (n < min_n) {
		snprintf(c->reason, sizeof(c->reason), "too few rounds to test: %zu (at least %u, "
		         "--min-samples)", n, min_n);
		return 0;
	}
	if (base && nbase < min_n) {
		snprintf(c->reason, sizeof(c->reason), "the baseline %s too few readings "
		         "to test: %zu (at least %u, --min-samples)",
		         base_rounds ? "has" : "summarises", nbase, min_n);
		return 0;
	}
	rc = split_verdict(c, "", samples, n, baseline, pct, dir, cfg);
	/* the baseline's rounds, when it has them, must be of one level too */
	if (rc == 0 && base_rounds)
		rc = split_verdict(c, "the baseline: ", base, nbase, baseline, pct, dir, cfg);
	if (rc)
		return rc < 0 ? rc : 0;
	rc = base ? test_sample(c, samples, n, base, nbase, cfg) :
	     test_value(c, samples, n, baseline, cfg);
	if (rc)
		return rc;
	c->tested = true;
	/* the interval must lie wholly on the side the change went */
	evidence = current > baseline ? c->ratio_lo > 1 : c->ratio_hi < 1;
	if (base)
		evidence = evidence && c->p < cfg->alpha;
	if (evidence) {
		c->verdict = pct;
		return 0;
	}
	if (base)
		snprintf(c->reason, sizeof(c->reason), "the spread is wider than the change: "
		         "p = %.2g (alpha %.2g), ratio %.3f in [%.3f, %.3f]", c->p, cfg->alpha,
		         c->ratio, c->ratio_lo, c->ratio_hi);
	else
		snprintf(c->reason, sizeof(c->reason), "the spread is wider than the change: "
		         "the median's %.0f%% interval is [%.3f, %.3f] of the baseline",
		         (1 - cfg->alpha) * 100, c->ratio_lo, c->ratio_hi);
	return 0;
}

/*
 * A summary of run medians (the update tool's: one reading a run, n ==
 * runs) also says how far one run reads from the next on the same code.
 * The rounds of one run cannot see that: a machine that is slower for a
 * whole run moves every round. So a verdict also needs the run's reading
 * outside the interval the next run of the baseline's own code is expected
 * in (cbench_stats__prediction_interval, at the test's confidence), from
 * CBENCH_MIN_BASELINE_RUNS runs up; inside it, the verdict is inconclusive.
 */
static void between_runs(struct cbench_comparison *c, const double *base, size_t nbase,
                         const struct cbench_baseline_metric *b,
                         const struct cbench_compare_config *cfg)
{
	double lo, hi, conf = 1 - cfg->alpha;

	if (!(cfg->alpha < 1) || !b->has_summary || b->summary.runs < CBENCH_MIN_BASELINE_RUNS ||
	    b->summary.n != b->summary.runs || nbase != b->summary.n)
		return;
	if (cbench_stats__prediction_interval(&lo, &hi, base, nbase, conf) != 0)
		return;
	if (c->current < lo || c->current > hi)
		return;
	c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
	snprintf(c->reason, sizeof(c->reason), "within the spread between the baseline's %zu "
	         "runs: the next run of its code may read %+.1f%% to %+.1f%% (%.0f%% "
	         "prediction interval)", b->summary.runs, (lo / b->value - 1) * 100,
	         (hi / b->value - 1) * 100, conf * 100);
}

int cbench_compare__judge(struct cbench_comparison *c, const double *samples, size_t n,
                          double current, const struct cbench_baseline_metric *b,
                          enum cbench_direction dir, double floor,
                          const struct cbench_compare_config *cfg)
{
	double *base = NULL;
	size_t nbase = 0;
	int rc;

	/* the sample is drawn only for a reading that crossed: most do not */
	if (b->has_summary &&
	    cbench_compare__verdict(current, b->value, c->threshold, dir, NULL) !=
	    CBENCH_VERDICT_UNCHANGED &&
	    (rc = cbench_compare__summary_sample(&base, &nbase, &b->summary)))
		return rc;
	rc = cbench_compare__judge_with(c, samples, n, current, b->value, base, nbase, false, dir,
	                                floor, cfg);
	/* what the summary says, not how many points were drawn from it */
	c->baseline_n = b->has_summary ? b->summary.n : 0;
	if (rc == 0 && (c->verdict == CBENCH_VERDICT_REGRESSION ||
	                c->verdict == CBENCH_VERDICT_IMPROVEMENT))
		between_runs(c, base, nbase, b, cfg);
	free(base);
	return rc;
}

size_t cbench_compare__passes_agree(size_t *agree, const double *base, const double *head,
                                    size_t n, bool up)
{
	*agree = 0;
	for (size_t i = 0; i < n; i++)
		if (up ? head[i] > base[i] : head[i] < base[i])
			(*agree)++;
	return (n * CBENCH_AGREE_NUM + CBENCH_AGREE_DEN - 1) / CBENCH_AGREE_DEN;
}

/* A rate: the unit of a throughput (queries/s, B/s, chunks/s). */
static bool is_rate(const char *unit)
{
	size_t n = unit ? strlen(unit) : 0;

	return n > 2 && strcmp(unit + n - 2, "/s") == 0;
}

int cbench_compare__drift(double *drift, size_t *count, const struct cbench_result *results,
                          size_t n)
{
	size_t k = 0, cap = 0;
	double *r;

	for (size_t i = 0; i < n; i++)
		cap += results[i].nmetrics;
	*drift = NAN;
	*count = 0;
	if (!(r = malloc((cap ? cap : 1) * sizeof(*r))))
		return CBENCH_ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < results[i].nmetrics; j++) {
			const struct cbench_metric *m = &results[i].metrics[j];
			const struct cbench_comparison *c = &m->cmp;

			if (m->timing && c->verdict != CBENCH_VERDICT_NEW && c->baseline > 0 &&
			    c->current > 0 && isfinite(c->current))
				r[k++] = c->current / c->baseline;
		}
	if (k) {
		cbench_stats__sort(r, k);
		*drift = cbench_stats__quantile(r, k, 0.5);
	}
	*count = k;
	free(r);
	return 0;
}

size_t cbench_compare__apply_drift(struct cbench_result *results, size_t n, double drift,
                                   size_t count)
{
	size_t changed = 0;

	if (count < CBENCH_DRIFT_MIN_METRICS || !(drift > 0) ||
	    fabs(log(drift)) < log(1 + CBENCH_DRIFT_MIN))
		return 0;
	for (size_t i = 0; i < n; i++) {
		/* const in the reporters' view; the runner owns the storage */
		struct cbench_metric *metrics = (struct cbench_metric *)results[i].metrics;

		for (size_t j = 0; j < results[i].nmetrics; j++) {
			struct cbench_metric *m = &metrics[j];
			struct cbench_comparison *c = &m->cmp;
			double against, rel;

			if (c->verdict != CBENCH_VERDICT_REGRESSION &&
			    c->verdict != CBENCH_VERDICT_IMPROVEMENT)
				continue;
			if (m->timing && m->direction == CBENCH_LOWER_IS_BETTER)
				against = c->current / drift;
			else if (is_rate(m->unit) && m->direction == CBENCH_HIGHER_IS_BETTER)
				against = c->current * drift;
			else
				continue; /* a count, a size, a score: the machine's speed
				             does not move it */
			if (cbench_compare__verdict(against, c->baseline, c->threshold, m->direction,
			                            &rel) == c->verdict)
				continue;
			c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
			snprintf(c->reason, sizeof(c->reason), "the whole run read %+.0f%% (median "
			         "of its %zu timings): against the run, %+.1f%%; a slower machine, or "
			         "a change that slows everything (cbench ab tells them apart)",
			         (drift - 1) * 100, count, rel * 100);
			changed++;
		}
	}
	return changed;
}

static int by_name(const void *a, const void *b)
{
	const struct cbench_baseline_metric *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* The section's metric called `name`, by binary search over `sorted`. */
static const struct cbench_baseline_metric *find(const struct cbench_baseline_metric **sorted,
                                                 size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid]->name, name);

		if (c == 0)
			return sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

double cbench_compare__floor(const struct cbench_metric *m, uint64_t batch,
                             const struct cbench_compare_config *cfg)
{
	return m->timing ? cfg->noise_floor / (double)(batch ? batch : 1) : 0;
}

static void untested(struct cbench_comparison *c)
{
	c->p = c->ratio = c->ratio_lo = c->ratio_hi = NAN;
}

int cbench_compare__apply(struct cbench_result *results, size_t n,
                          const double *decl_thresholds,
                          const struct cbench_baseline_metric *base, size_t nbase,
                          const struct cbench_compare_config *cfg,
                          struct cbench_missing **missing, size_t *nmissing)
{
	bool *seen = calloc(nbase ? nbase : 1, sizeof(*seen));
	const struct cbench_baseline_metric **sorted = malloc((nbase ? nbase : 1) * sizeof(*sorted));
	struct cbench_missing *miss;
	size_t k = 0;

	if (!seen || !sorted) {
		free(seen);
		free(sorted);
		return CBENCH_ENOMEM;
	}
	/* 10,000 benchmarks against 30,000 baselines: a linear search per
	 * metric was 900 million comparisons. */
	for (size_t i = 0; i < nbase; i++)
		sorted[i] = &base[i];
	qsort(sorted, nbase, sizeof(*sorted), by_name);
	for (size_t i = 0; i < n; i++) {
		/* const in the reporters' view; the runner owns the storage */
		struct cbench_metric *metrics = (struct cbench_metric *)results[i].metrics;

		for (size_t j = 0; j < results[i].nmetrics; j++) {
			struct cbench_metric *m = &metrics[j];
			const struct cbench_baseline_metric *b = find(sorted, nbase, m->name);
			struct cbench_comparison *c = &m->cmp;

			memset(c, 0, sizeof(*c));
			c->current = cbench_compare__statistic(&m->stats, cfg->stat);
			c->threshold = cfg->threshold;
			c->threshold_source = cfg->threshold_source;
			if (decl_thresholds && decl_thresholds[i] > 0) {
				c->threshold = decl_thresholds[i];
				c->threshold_source = "declaration";
			}
			if (cfg->count_threshold_given && cbench_compare__is_count(m->unit)) {
				c->threshold = cfg->count_threshold;
				c->threshold_source = "--threshold-instructions";
			}
			c->baseline = NAN;
			c->change = NAN;
			c->verdict = CBENCH_VERDICT_NEW;
			untested(c);
			if (!b || m->stats.n == 0)
				continue;
			seen[b - base] = true;
			if (b->has_threshold) {
				c->threshold = b->threshold;
				c->threshold_source = "baselines";
			}
			if (cbench_compare__judge(c, m->samples, m->nsamples, c->current, b,
			                          m->direction,
			                          cbench_compare__floor(m, results[i].batch, cfg),
			                          cfg) != 0) {
				free(seen);
				free(sorted);
				return CBENCH_ENOMEM;
			}
		}
	}
	free(sorted);
	miss = calloc(nbase ? nbase : 1, sizeof(*miss));
	if (!miss) {
		free(seen);
		return CBENCH_ENOMEM;
	}
	for (size_t i = 0; i < nbase; i++) {
		if (seen[i])
			continue;
		miss[k].name = base[i].name;
		miss[k].baseline = base[i].value;
		miss[k].unit = base[i].unit ? base[i].unit : "";
		miss[k].direction = base[i].has_direction ? base[i].direction : CBENCH_LOWER_IS_BETTER;
		k++;
	}
	free(seen);
	*missing = miss;
	*nmissing = k;
	return 0;
}

int cbench_compare__env_threshold(double *out, const char **source, struct cbench_error *err)
{
	const char *env = getenv("REGRESSION_THRESHOLD");

	if (!env || !*env)
		return 0;
	if (cbench_compare__parse_threshold(out, env, "REGRESSION_THRESHOLD", err))
		return CBENCH_EUSAGE;
	if (source)
		*source = "REGRESSION_THRESHOLD";
	return 0;
}

int cbench_compare__parse_threshold(double *out, const char *text, const char *what,
                                    struct cbench_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (end != text && *end == '%' && end[1] == '\0') {
		v /= 100;
	} else if (errno || end == text || *end) {
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' is not a threshold (write 0.2 or 20%%)", what,
		                         text);
	} else if (v >= 1) {
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' is a fraction of 1 or more; for a percentage "
		                         "write %s%%", what, text, text);
	}
	if (!(v >= 0) || !isfinite(v))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' must not be negative", what, text);
	*out = v;
	return 0;
}
