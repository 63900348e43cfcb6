/*
 * The regression gate around a run: which baselines apply, how each metric
 * compares, which crossings are confirmed by measuring again, which targets
 * were missed, and what that means for the exit status.
 */
#include "gate/gate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/time.h"
#include "measure/clock.h"
#include "measure/runner.h"
#include "base/util.h"

int cbench_gate__prepare(struct cbench_gate *g, const struct cbench_gate_config *cfg,
                         const char *platform, struct cbench_error *err)
{
	struct cbench_error e;
	char *platforms;
	int rc;

	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	rc = cbench_baseline__load(&g->file, cfg->baselines, &e);
	if (rc == CBENCH_ENOTFOUND && !cfg->baselines_given && !cfg->strict) {
		g->note = cbench__asprintf("no baselines file %s: every metric is new",
		                           cfg->baselines);
		return 0;
	}
	if (rc == CBENCH_ENOTFOUND)
		return cbench_error__set(err, CBENCH_EUSAGE, "baselines file %s does not exist",
		                         cfg->baselines);
	if (rc) {
		if (err)
			*err = e;
		return rc;
	}
	rc = cbench_baseline__section(&g->section, &g->nsection, g->file, platform);
	if (rc == CBENCH_ENOMEM)
		return cbench_error__set(err, rc, "out of memory");
	if (rc == CBENCH_ENOTFOUND) {
		platforms = cbench_baseline__platforms(g->file);
		g->note = cbench__asprintf(
			"no baselines for platform %s in %s (it has: %s); every metric is new. "
			"Add a \"%s\" section, or record runs and let `cbench baseline update "
			"--init` propose one", platform, cfg->baselines,
			platforms && *platforms ? platforms : "none", platform);
		free(platforms);
		if (cfg->strict)
			return cbench_error__set(err, CBENCH_EUSAGE, "%s (--strict)",
			                         g->note ? g->note : "no baselines for this platform");
	}
	return 0;
}

static const struct cbench_metric *metric_named(const struct cbench_result *r,
                                                const char *name)
{
	for (size_t i = 0; i < r->nmetrics; i++)
		if (strcmp(r->metrics[i].name, name) == 0)
			return &r->metrics[i];
	return NULL;
}

static const struct cbench_baseline_metric *baseline_named(const struct cbench_gate *g,
                                                           const char *name)
{
	for (size_t i = 0; i < g->nsection; i++)
		if (strcmp(g->section[i].name, name) == 0)
			return &g->section[i];
	return NULL;
}

/* Keeps `p` until the gate is freed; frees it and fails when it cannot. */
static int own(struct cbench_gate *g, void *p)
{
	void **list = p ? realloc(g->owned, (g->nowned + 1) * sizeof(*list)) : NULL;

	if (!list) {
		free(p);
		return CBENCH_ENOMEM;
	}
	g->owned = list;
	g->owned[g->nowned++] = p;
	return 0;
}

/* One benchmark with crossings, and which of its metrics are still open. */
struct pending {
	size_t index;
	bool *open;
	enum cbench_verdict *first;
};

/* Room for the later readings of every crossing metric of r. */
static int open_crossings(struct cbench_gate *g, struct pending *p, struct cbench_result *r)
{
	struct cbench_metric *metrics = (struct cbench_metric *)r->metrics;
	size_t nm = r->nmetrics ? r->nmetrics : 1;
	int rc;

	p->open = calloc(nm, sizeof(*p->open));
	p->first = calloc(nm, sizeof(*p->first));
	if ((rc = own(g, p->open)) || (rc = own(g, p->first)))
		return rc;
	for (size_t j = 0; j < r->nmetrics; j++) {
		struct cbench_comparison *c = &metrics[j].cmp;
		double *values;
		struct cbench_confirmation *passes;

		if (!cbench_compare__crossed(&metrics[j]))
			continue;
		values = calloc(g->cfg.confirm, sizeof(*values));
		if ((rc = own(g, values)))
			return rc;
		passes = calloc(g->cfg.confirm, sizeof(*passes));
		if ((rc = own(g, passes)))
			return rc;
		c->confirm = values;
		c->passes = passes;
		p->open[j] = true;
		p->first[j] = c->verdict;
	}
	return 0;
}

/*
 * What one later reading says of metric j, and what that does to its
 * verdict: a reading within the threshold (or under the noise floor)
 * undoes the crossing; one that cannot tell, or tells another story,
 * leaves the metric inconclusive; one that agrees keeps it open.
 */
static int read_again(struct cbench_gate *g, struct cbench_metric *m, enum cbench_verdict first,
                      const struct cbench_result *again, unsigned pass, bool *open)
{
	struct cbench_comparison *c = &m->cmp, t;
	struct cbench_confirmation *cf = (struct cbench_confirmation *)&c->passes[c->npasses];
	const struct cbench_baseline_metric *b = baseline_named(g, m->name);
	const struct cbench_metric *m2 = again && again->status == CBENCH_STATUS_PASSED ?
	                                 metric_named(again, m->name) : NULL;
	int rc;

	cf->pass = pass;
	cbench__iso8601(cf->at, cbench_clock__wall());
	cf->value = m2 ? cbench_compare__statistic(&m2->stats, g->cfg.compare.stat) : NAN;
	cf->p = NAN;
	cf->rounds = m2 ? m2->nsamples : 0;
	cf->verdict = CBENCH_VERDICT_INCONCLUSIVE;
	((double *)c->confirm)[c->nconfirm++] = cf->value;
	c->npasses++;
	if (!b || isnan(cf->value)) {
		c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
		snprintf(c->reason, sizeof(c->reason), "pass %u could not measure it again", pass);
		*open = false;
		return 0;
	}
	memset(&t, 0, sizeof(t));
	t.threshold = c->threshold;
	rc = cbench_compare__judge(&t, m2->samples, m2->nsamples, cf->value, b, m->direction,
	                           cbench_compare__floor(m2, again->batch, &g->cfg.compare),
	                           &g->cfg.compare);
	if (rc)
		return rc;
	cf->verdict = t.verdict;
	cf->p = t.p;
	if (t.verdict == CBENCH_VERDICT_UNCHANGED) {
		c->verdict = CBENCH_VERDICT_UNCHANGED;
		c->unconfirmed = true;
		snprintf(c->reason, sizeof(c->reason), "pass %u read %.4g (%+.1f%%): %s", pass,
		         cf->value, (cf->value - c->baseline) / c->baseline * 100,
		         t.reason[0] ? t.reason : "within the threshold");
		*open = false;
	} else if (t.verdict != first && first != CBENCH_VERDICT_INCONCLUSIVE) {
		c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
		snprintf(c->reason, sizeof(c->reason), "the first reading said %s, pass %u said "
		         "%s%s%s", cbench_verdict_name(first), pass, cbench_verdict_name(t.verdict),
		         t.reason[0] ? ": " : "", t.reason);
		*open = false;
	}
	return 0;
}

/* After the passes: a first reading that could not tell is settled by later
 * ones that all agree on a direction. */
static void settle(struct cbench_comparison *c, enum cbench_verdict first)
{
	enum cbench_verdict v = c->npasses ? c->passes[0].verdict : first;

	if (first != CBENCH_VERDICT_INCONCLUSIVE || c->npasses == 0 ||
	    v == CBENCH_VERDICT_INCONCLUSIVE)
		return;
	for (size_t k = 1; k < c->npasses; k++)
		if (c->passes[k].verdict != v)
			return;
	c->verdict = v;
	snprintf(c->reason, sizeof(c->reason), "the first reading could not tell; all %zu "
	         "later passes read %s", c->npasses, cbench_verdict_name(v));
}

/*
 * Every crossing, either way, is measured again after the whole run, in
 * cfg.confirm passes over all crossing benchmarks in turn (round-robin), so
 * a slow spell of the machine must last the whole run to confirm itself.
 */
static int confirm_passes(struct cbench_gate *g, struct cbench_result *results, size_t n,
                          cbench_gate_rerun_fn rerun, void *ctx)
{
	struct pending *list = calloc(n ? n : 1, sizeof(*list));
	size_t np = 0;
	int rc = own(g, list);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		bool crossed = false;

		for (size_t j = 0; j < results[i].nmetrics; j++)
			crossed = crossed || cbench_compare__crossed(&results[i].metrics[j]);
		if (results[i].status != CBENCH_STATUS_PASSED || !crossed)
			continue;
		list[np].index = i;
		if ((rc = open_crossings(g, &list[np], &results[i])))
			return rc;
		np++;
	}
	for (unsigned pass = 1; pass <= g->cfg.confirm && !cbench_runner__stop; pass++) {
		for (size_t k = 0; k < np && !cbench_runner__stop; k++) {
			struct cbench_result *r = &results[list[k].index], *again = NULL;
			struct cbench_metric *metrics = (struct cbench_metric *)r->metrics;
			bool any = false;

			for (size_t j = 0; j < r->nmetrics; j++)
				any = any || list[k].open[j];
			if (!any)
				continue;
			rc = rerun(ctx, list[k].index, &again);
			if (rc)
				return rc;
			for (size_t j = 0; j < r->nmetrics && !rc; j++)
				if (list[k].open[j])
					rc = read_again(g, &metrics[j], list[k].first[j], again, pass,
					                &list[k].open[j]);
			cbench_runner__results_free(again, 1);
			if (rc)
				return rc;
		}
	}
	for (size_t k = 0; k < np; k++) {
		struct cbench_result *r = &results[list[k].index];

		for (size_t j = 0; j < r->nmetrics; j++)
			if (list[k].open[j])
				settle((struct cbench_comparison *)&r->metrics[j].cmp, list[k].first[j]);
	}
	return 0;
}

static void check_target(struct cbench_result *r, const struct cbench_instance *in,
                         struct cbench_run *run)
{
	const struct cbench_options *o = &in->bench->opts;
	struct cbench_metric *m;

	if (!(o->target > 0) || r->nmetrics == 0 || !r->metrics[0].timing)
		return;
	m = (struct cbench_metric *)&r->metrics[0];
	m->target.set = true;
	m->target.stat = o->target_stat ? o->target_stat : "median";
	m->target.limit = o->target;
	m->target.actual = cbench_compare__statistic(&m->stats, m->target.stat);
	m->target.ratio = m->target.actual / m->target.limit;
	/* the timing metric: lower is better */
	m->target.missed = m->target.actual > m->target.limit;
	if (m->target.missed) {
		run->targets_missed++;
		if (r->status == CBENCH_STATUS_PASSED)
			r->status = CBENCH_STATUS_TARGET;
	}
}

int cbench_gate__apply(struct cbench_gate *g, struct cbench_result *results, size_t n,
                       const struct cbench_instance *v, cbench_gate_rerun_fn rerun,
                       void *ctx, struct cbench_run *run)
{
	double *decl = calloc(n ? n : 1, sizeof(double));
	int rc;

	if (!decl)
		return CBENCH_ENOMEM;
	for (size_t i = 0; i < n; i++)
		decl[i] = v[i].bench->opts.threshold;
	rc = cbench_compare__apply(results, n, decl, g->section, g->nsection,
	                           &g->cfg.compare, &g->missing, &g->nmissing);
	free(decl);
	if (rc)
		return rc;
	if (rerun && g->cfg.confirm > 0) {
		rc = confirm_passes(g, results, n, rerun, ctx);
		if (rc)
			return rc;
	}
	if (g->cfg.compare.alpha < 1) {
		double drift;
		size_t count;

		if ((rc = cbench_compare__drift(&drift, &count, results, n)))
			return rc;
		cbench_compare__apply_drift(results, n, drift, count);
	}
	run->compared = g->section != NULL;
	run->baselines = g->file ? g->file->path : NULL;
	run->baseline_note = g->note;
	run->threshold = g->cfg.compare.threshold;
	run->compare_stat = g->cfg.compare.stat;
	run->alpha = g->cfg.compare.alpha;
	run->min_samples = g->cfg.compare.min_samples;
	run->missing = g->missing;
	run->nmissing = g->nmissing;
	for (size_t i = 0; i < n; i++) {
		check_target(&results[i], &v[i], run);
		for (size_t j = 0; j < results[i].nmetrics; j++) {
			if (results[i].metrics[j].cmp.verdict == CBENCH_VERDICT_REGRESSION)
				run->regressions++;
			else if (results[i].metrics[j].cmp.verdict == CBENCH_VERDICT_IMPROVEMENT)
				run->improvements++;
			else if (results[i].metrics[j].cmp.verdict == CBENCH_VERDICT_INCONCLUSIVE)
				run->inconclusive++;
		}
	}
	return 0;
}

int cbench_gate__status(const struct cbench_run *run, enum cbench_fail_on fail_on)
{
	if (fail_on == CBENCH_FAIL_ON_NONE)
		return 0;
	if (run->regressions || run->targets_missed)
		return 1;
	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *r = &run->results[i];

		if (r->status == CBENCH_STATUS_FAILED || r->status == CBENCH_STATUS_ERROR)
			return 1;
		if (fail_on != CBENCH_FAIL_ON_ANY)
			continue;
		if (r->status == CBENCH_STATUS_SKIPPED)
			return 1;
		for (size_t j = 0; j < r->nmetrics; j++)
			if (r->metrics[j].cmp.unconfirmed ||
			    r->metrics[j].cmp.verdict == CBENCH_VERDICT_INCONCLUSIVE)
				return 1;
	}
	return fail_on == CBENCH_FAIL_ON_ANY && run->nmissing ? 1 : 0;
}

void cbench_gate__free(struct cbench_gate *g)
{
	for (size_t i = 0; i < g->nowned; i++)
		free(g->owned[i]);
	free(g->owned);
	free(g->missing);
	free(g->section);
	free(g->note);
	cbench_baseline__free(g->file);
	memset(g, 0, sizeof(*g));
}
