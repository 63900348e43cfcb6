/*
 * Which baselines `cbench baseline update` proposes to move, and to what
 * (gate/update.h): a pure function of the history's values and the
 * baselines, so the rule is tested without a database or a process.
 */
#include "gate/update.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/error.h"
#include "gate/compare.h"
#include "stats/stats.h"

static const struct cbench_baseline_metric *find(const struct cbench_baseline_metric *m,
                                                 size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

static void propose(struct cbench_update_proposal *p, const struct cbench_update_series *s,
                    enum cbench_direction dir, double current, const struct cbench_stats *st,
                    double better)
{
	*p = (struct cbench_update_proposal){ s->name, s->unit, dir, current, st->median, better,
	                                      { st->n, s->n, { st->min, st->q1, st->median,
	                                                       st->q3, st->max } },
	                                      st->ci_low, st->ci_high, NAN, NAN };
	/* the interval the gate uses (gate/compare.c, between_runs) */
	if (s->n < CBENCH_MIN_BASELINE_RUNS ||
	    cbench_stats__prediction_interval(&p->next_lo, &p->next_hi, s->values, s->n,
	                                      1 - CBENCH_DEFAULT_ALPHA) != 0)
		p->next_lo = p->next_hi = NAN;
}

int cbench_update__propose(struct cbench_update_proposal **out, size_t *n,
                           const struct cbench_update_series *series, size_t nseries,
                           const struct cbench_baseline_metric *section, size_t nsection,
                           const struct cbench_update_rule *rule)
{
	struct cbench_update_proposal *p;

	assert(out && n && rule && (series || nseries == 0) && (section || nsection == 0));
	*out = NULL;
	*n = 0;
	if (!(p = calloc(nseries ? nseries : 1, sizeof(*p))))
		return CBENCH_ENOMEM;
	for (size_t i = 0; i < nseries; i++) {
		const struct cbench_update_series *s = &series[i];
		const struct cbench_baseline_metric *b = find(section, nsection, s->name);
		enum cbench_direction dir = b && b->has_direction ? b->direction : s->direction;
		struct cbench_stats st;
		double better;

		/* Sustained evidence: the metric in every one of the runs. */
		if (s->n < rule->min_runs || s->n == 0)
			continue;
		if (cbench_stats__compute(&st, s->values, s->n) != 0) {
			free(p);
			return CBENCH_ENOMEM;
		}
		if (!(st.median > 0) || !isfinite(st.median))
			continue;
		if (!b) {
			if (rule->init)
				propose(&p[(*n)++], s, dir, NAN, &st, NAN);
			continue;
		}
		better = dir == CBENCH_HIGHER_IS_BETTER ? (st.median - b->value) / b->value :
		         (b->value - st.median) / b->value;
		if (better > rule->min_improvement)
			propose(&p[(*n)++], s, dir, b->value, &st, better);
	}
	*out = p;
	return 0;
}
