/*
 * `cbench report --latest`: the newest recorded run rebuilt from its rows
 * as the model's objects (struct cbench_run and its results), then written
 * by the model's encoder, the one that writes --json: the document is the
 * runner's, but for what the history does not keep (rounds, markers,
 * files, settings, resources, warnings).
 */
#include "history/backend.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "base/util.h"
#include "history/history.h"
#include "model/context.h"
#include "model/results.h"
#include "model/run.h"

/* Results are built in growing arrays; pointers between them are set once
 * every row is read. */
struct rebuild {
	struct cbench_run run;
	bool found;
	struct cbench_result *results;
	size_t *first;                  /* per result: its first metric */
	size_t nresults, cap;
	struct cbench_metric *metrics;
	size_t nmetrics, mcap;
	char **strings;                 /* every copy made, to free */
	size_t nstrings, scap;
	int rc;
	struct cbench_error *err;
};

static int no_memory(struct rebuild *rb)
{
	if (rb->rc == 0)
		rb->rc = cbench_error__set(rb->err, CBENCH_ENOMEM, "out of memory");
	return rb->rc;
}


/* A copy of `s` that lives as long as the rebuild (NULL stays NULL). */
static char *keep(struct rebuild *rb, const char *s)
{
	char **p, *copy;

	if (!s)
		return NULL;
	p = cbench__grow(rb->strings, &rb->scap, rb->nstrings, sizeof(*p));
	copy = p ? cbench__strdup(s) : NULL;
	if (p)
		rb->strings = p;
	if (!copy) {
		no_memory(rb);
		return NULL;
	}
	rb->strings[rb->nstrings++] = copy;
	return copy;
}

static uint64_t count(int64_t v)
{
	return v == CBENCH_HISTORY_NULL || v < 0 ? 0 : (uint64_t)v;
}

static int on_run(void *ctx, const struct cbench_history_run_row *row)
{
	struct rebuild *rb = ctx;
	struct cbench_run *run = &rb->run;
	struct cbench_git *g = &run->git;
	json_t *pj = row->platform_json ? json_loads(row->platform_json, 0, NULL) : NULL;

	rb->found = true;
	snprintf(run->run_id, sizeof(run->run_id), "%s", row->run_id ? row->run_id : "");
	run->run_type = keep(rb, row->run_type);
	run->cbench_version = keep(rb, row->cbench_version);
	snprintf(run->started_at, sizeof(run->started_at), "%s",
	         row->started_at ? row->started_at : "");
	run->duration = row->duration;
	run->mode = keep(rb, row->mode);
	run->clock = keep(rb, row->clock);
	/* A platform_json the model cannot read leaves only the id. */
	if (!pj || cbench_context__platform_from_json(&run->platform, pj, NULL) != 0)
		memset(&run->platform, 0, sizeof(run->platform));
	json_decref(pj);
	if (!run->platform.id[0])
		snprintf(run->platform.id, sizeof(run->platform.id), "%s",
		         row->platform ? row->platform : "");
	g->present = row->commit != NULL;
	snprintf(g->commit, sizeof(g->commit), "%s", row->commit ? row->commit : "");
	snprintf(g->short_commit, sizeof(g->short_commit), "%s",
	         row->short_commit ? row->short_commit : "");
	snprintf(g->branch, sizeof(g->branch), "%s", row->branch ? row->branch : "");
	g->dirty = row->dirty != CBENCH_HISTORY_NULL && row->dirty != 0;
	g->commit_time = row->commit_time == CBENCH_HISTORY_NULL ? 0 : row->commit_time;
	snprintf(g->subject, sizeof(g->subject), "%s", row->subject ? row->subject : "");
	run->interrupted = cbench_run__signal_of(row->interrupted);
	run->selected = (size_t)count(row->selected);
	run->compare_stat = keep(rb, row->compare_stat);
	run->threshold = row->threshold;
	run->regressions = (size_t)count(row->regressions);
	run->improvements = (size_t)count(row->improvements);
	run->targets_missed = (size_t)count(row->targets_missed);
	return rb->rc;
}

/* A benchmark from its id, suite.name[param]; its status. */
static int add_result(struct rebuild *rb, const char *id, const char *status)
{
	struct cbench_result *r = cbench__grow(rb->results, &rb->cap, rb->nresults, sizeof(*r));
	size_t *first = r ? realloc(rb->first, rb->cap * sizeof(*first)) : NULL;
	const char *dot = strchr(id, '.');
	char *suite, *name, *bracket;
	int st = cbench_run__status_of(status);

	if (r)
		rb->results = r;
	if (!r || !first)
		return no_memory(rb);
	rb->first = first;
	r = &rb->results[rb->nresults];
	memset(r, 0, sizeof(*r));
	rb->first[rb->nresults++] = rb->nmetrics;
	r->id = keep(rb, id);
	suite = keep(rb, id);
	name = keep(rb, dot ? dot + 1 : id);
	if (!suite || !name)
		return no_memory(rb);
	if (dot)
		suite[dot - id] = '\0';
	r->suite = suite;
	if ((bracket = strchr(name, '['))) {
		size_t len = strlen(bracket + 1);
		char *param = keep(rb, bracket + 1);

		if (!param)
			return no_memory(rb);
		param[len ? len - 1 : 0] = '\0';
		r->param = param;
		*bracket = '\0';
	}
	r->name = name;
	r->status = st < 0 ? CBENCH_STATUS_ERROR : (enum cbench_status)st;
	return rb->rc;
}

static int on_metric(void *ctx, const struct cbench_history_run_row *run,
                     const struct cbench_history_metric_row *row)
{
	struct rebuild *rb = ctx;
	const char *id = row->benchmark ? row->benchmark : "";
	struct cbench_metric *m;
	struct cbench_stats *s;
	int verdict = cbench_run__verdict_of(row->status);

	(void)run;
	if ((rb->nresults == 0 || strcmp(rb->results[rb->nresults - 1].id, id) != 0) &&
	    add_result(rb, id, row->bench_status))
		return rb->rc;
	m = cbench__grow(rb->metrics, &rb->mcap, rb->nmetrics, sizeof(*m));
	if (!m)
		return no_memory(rb);
	rb->metrics = m;
	m = &rb->metrics[rb->nmetrics++];
	memset(m, 0, sizeof(*m));
	m->name = keep(rb, row->name ? row->name : "");
	m->unit = keep(rb, row->unit ? row->unit : "");
	m->direction = cbench_run__direction_of(row->direction);
	m->timing = row->timing != CBENCH_HISTORY_NULL && row->timing != 0;
	m->value = row->value;
	s = &m->stats;
	s->n = (size_t)count(row->n);
	s->min = row->min;
	s->max = row->max;
	s->mean = row->mean;
	s->median = row->median;
	s->stddev = row->stddev;
	s->q1 = NAN;
	s->q3 = NAN;
	s->iqr = row->iqr;
	s->p95 = row->p95;
	s->p99 = row->p99;
	s->ci_low = row->ci_low;
	s->ci_high = row->ci_high;
	m->cmp.verdict = verdict < 0 ? CBENCH_VERDICT_NEW : (enum cbench_verdict)verdict;
	m->cmp.current = row->value;
	m->cmp.baseline = row->baseline;
	m->cmp.change = row->change;
	m->cmp.threshold = row->threshold;
	/* Compared when any metric had a baseline. */
	if (isfinite(row->baseline))
		rb->run.compared = true;
	return rb->rc;
}

static void rebuild_free(struct rebuild *rb)
{
	for (size_t i = 0; i < rb->nstrings; i++)
		free(rb->strings[i]);
	free(rb->strings);
	free(rb->results);
	free(rb->first);
	free(rb->metrics);
}

int cbench_history__latest_results(struct cbench_history *h, const char *platform,
                                   json_t **out, struct cbench_error *err)
{
	struct cbench_history_query q = { platform, 1, false };
	struct rebuild rb;
	int rc;

	assert(h && out);
	*out = NULL;
	memset(&rb, 0, sizeof(rb));
	rb.err = err;
	rb.run.duration = NAN;
	rb.run.threshold = NAN;
	rc = cbench_history__rows(h, &q, on_run, on_metric, &rb, err);
	if (rc == 0 && !rb.found)
		rc = cbench_error__set(err, CBENCH_ENOTFOUND, "%s: no recorded run%s%s",
		                       cbench_history__location(h), platform ? " of " : "",
		                       platform ? platform : "");
	if (rc == 0) {
		for (size_t i = 0; i < rb.nresults; i++) {
			size_t end = i + 1 < rb.nresults ? rb.first[i + 1] : rb.nmetrics;

			rb.results[i].metrics = rb.metrics + rb.first[i];
			rb.results[i].nmetrics = end - rb.first[i];
		}
		rb.run.results = rb.results;
		rb.run.nresults = rb.nresults;
		if (!(*out = cbench_results__to_json(&rb.run, false)))
			rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	rebuild_free(&rb);
	return rc;
}
