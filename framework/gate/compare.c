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
	return m->cmp.verdict == CBENCH_VERDICT_REGRESSION;
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
			if (!b || m->stats.n == 0)
				continue;
			seen[b - base] = true;
			if (b->has_threshold) {
				c->threshold = b->threshold;
				c->threshold_source = "baselines";
			}
			c->baseline = b->value;
			c->verdict = cbench_compare__verdict(c->current, b->value, c->threshold,
			                                     m->direction, &c->change);
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
