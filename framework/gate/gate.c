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

static bool any_crossed(const struct cbench_result *r)
{
	for (size_t i = 0; i < r->nmetrics; i++)
		if (cbench_compare__crossed(&r->metrics[i]))
			return true;
	return false;
}

/* Re-runs result i while its crossed metrics keep crossing. */
static int confirm(struct cbench_gate *g, struct cbench_result *r, size_t index,
                   cbench_gate_rerun_fn rerun, void *ctx)
{
	struct cbench_metric *metrics = (struct cbench_metric *)r->metrics;
	size_t nm = r->nmetrics;
	bool *open = calloc(nm ? nm : 1, sizeof(*open)), pending = false;
	int rc = 0;

	if (!open)
		return CBENCH_ENOMEM;
	for (size_t j = 0; j < nm; j++) {
		if (!cbench_compare__crossed(&metrics[j]))
			continue;
		double *arr = calloc(g->cfg.confirm ? g->cfg.confirm : 1, sizeof(double));
		double **list = realloc(g->confirm, (g->nconfirm + 1) * sizeof(*list));

		if (!arr || !list) {
			free(arr);
			if (list)
				g->confirm = list;
			free(open);
			return CBENCH_ENOMEM;
		}
		g->confirm = list;
		g->confirm[g->nconfirm++] = arr;
		metrics[j].cmp.confirm = arr;
		open[j] = true;
		pending = true;
	}
	for (unsigned k = 0; k < g->cfg.confirm && pending && !cbench_runner__stop; k++) {
		struct cbench_result *again = NULL;

		rc = rerun(ctx, index, &again);
		if (rc)
			break;
		pending = false;
		for (size_t j = 0; j < nm; j++) {
			struct cbench_comparison *c = &metrics[j].cmp;
			const struct cbench_metric *m2;
			double value;

			if (!open[j])
				continue;
			m2 = again->status == CBENCH_STATUS_PASSED ?
			     metric_named(again, metrics[j].name) : NULL;
			value = m2 ? cbench_compare__statistic(&m2->stats, g->cfg.compare.stat) : NAN;
			((double *)c->confirm)[c->nconfirm++] = value;
			if (isnan(value) ||
			    cbench_compare__verdict(value, c->baseline, c->threshold,
			                            metrics[j].direction, NULL) !=
			    CBENCH_VERDICT_REGRESSION) {
				/* Not confirmed: the first reading was noise (or the
				 * re-run could not tell). */
				c->verdict = CBENCH_VERDICT_UNCHANGED;
				c->unconfirmed = true;
				open[j] = false;
			} else {
				pending = true;
			}
		}
		cbench_runner__results_free(again, 1);
	}
	free(open);
	return rc;
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
	for (size_t i = 0; i < n && rerun; i++) {
		if (results[i].status != CBENCH_STATUS_PASSED || !any_crossed(&results[i]))
			continue;
		rc = confirm(g, &results[i], i, rerun, ctx);
		if (rc)
			return rc;
	}
	run->compared = g->section != NULL;
	run->baselines = g->file ? g->file->path : NULL;
	run->baseline_note = g->note;
	run->threshold = g->cfg.compare.threshold;
	run->compare_stat = g->cfg.compare.stat;
	run->missing = g->missing;
	run->nmissing = g->nmissing;
	for (size_t i = 0; i < n; i++) {
		check_target(&results[i], &v[i], run);
		for (size_t j = 0; j < results[i].nmetrics; j++) {
			if (results[i].metrics[j].cmp.verdict == CBENCH_VERDICT_REGRESSION)
				run->regressions++;
			else if (results[i].metrics[j].cmp.verdict == CBENCH_VERDICT_IMPROVEMENT)
				run->improvements++;
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
			if (r->metrics[j].cmp.unconfirmed)
				return 1;
	}
	return fail_on == CBENCH_FAIL_ON_ANY && run->nmissing ? 1 : 0;
}

void cbench_gate__free(struct cbench_gate *g)
{
	for (size_t i = 0; i < g->nconfirm; i++)
		free(g->confirm[i]);
	free(g->confirm);
	free(g->missing);
	free(g->section);
	free(g->note);
	cbench_baseline__free(g->file);
	memset(g, 0, sizeof(*g));
}
