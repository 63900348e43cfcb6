/*
 * Reading a results JSON back (encode.c writes it). Strings borrow from the parsed document,
 * which lives as long as the results object; numbers that were not finite
 * were written as null and come back as NAN.
 */
#include "model/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "model/context.h"
#include "model/run.h"
#include "base/util.h"

#define SCHEMA CBENCH_RESULTS_SCHEMA

struct cbench_results {
	json_t *doc;
	struct cbench_run run;
	struct cbench_result *results;
	struct cbench_metric **metrics;  /* one array per result */
	void **samples;                  /* every samples/confirm/passes array, to free */
	size_t nsamples;
	const char ***markers;           /* one array per result */
	struct cbench_missing *missing;
	const char **warnings;
	size_t n;                        /* entries of results/metrics/markers */
};

/* The parse context: file name and the key path being read, for messages. */
struct ctx {
	const char *file;
	struct cbench_error *err;
	int rc;
};

static bool fail(struct ctx *c, const char *path, const char *what)
{
	if (c->rc == 0)
		c->rc = cbench_error__set(c->err, CBENCH_EPARSE, "%s: %s: %s", c->file, path, what);
	return false;
}

static const char *str(struct ctx *c, json_t *o, const char *key, const char *path,
                       bool required)
{
	json_t *v = json_object_get(o, key);
	char where[256];

	if (!v || json_is_null(v)) {
		if (required) {
			snprintf(where, sizeof(where), "%s%s%s", path, *path ? "." : "", key);
			fail(c, where, "missing");
		}
		return NULL;
	}
	if (!json_is_string(v)) {
		snprintf(where, sizeof(where), "%s%s%s", path, *path ? "." : "", key);
		fail(c, where, "expected a string");
		return NULL;
	}
	return json_string_value(v);
}

static double num(struct ctx *c, json_t *o, const char *key, const char *path)
{
	json_t *v = json_object_get(o, key);
	char where[256];

	if (!v || json_is_null(v))
		return NAN;
	if (!json_is_number(v)) {
		snprintf(where, sizeof(where), "%s%s%s", path, *path ? "." : "", key);
		fail(c, where, "expected a number");
		return NAN;
	}
	return json_number_value(v);
}

static uint64_t count(struct ctx *c, json_t *o, const char *key, const char *path)
{
	double v = num(c, o, key, path);

	return isnan(v) || v < 0 ? 0 : (uint64_t)v;
}

static bool boolean(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static json_t *array(struct ctx *c, json_t *o, const char *key, const char *path)
{
	json_t *v = json_object_get(o, key);
	char where[256];

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		snprintf(where, sizeof(where), "%s%s%s", path, *path ? "." : "", key);
		fail(c, where, "expected an array");
		return NULL;
	}
	return v;
}

/* Keeps `p` (freed with the results), or frees it and records ENOMEM. */
static void *keep(struct cbench_results *r, struct ctx *c, void *p)
{
	void **list = p ? realloc(r->samples, (r->nsamples + 1) * sizeof(*list)) : NULL;

	if (!list) {
		free(p);
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return NULL;
	}
	r->samples = list;
	r->samples[r->nsamples++] = p;
	return p;
}

static double *numbers(struct cbench_results *r, struct ctx *c, json_t *a,
                       const char *path, size_t *n)
{
	double *v;
	size_t i;
	json_t *x;

	*n = 0;
	if (!a)
		return NULL;
	v = keep(r, c, calloc(json_array_size(a) + 1, sizeof(double)));
	if (!v)
		return NULL;
	json_array_foreach(a, i, x) {
		if (json_is_null(x)) {
			v[i] = NAN;
		} else if (json_is_number(x)) {
			v[i] = json_number_value(x);
		} else {
			char where[256];

			snprintf(where, sizeof(where), "%s[%zu]", path, i);
			fail(c, where, "expected a number");
			return NULL;
		}
	}
	*n = json_array_size(a);
	return v;
}

static int status_of(const char *s)
{
	return cbench_run__status_of(s);
}

static int verdict_of(const char *s)
{
	return cbench_run__verdict_of(s);
}

static void read_stats(struct ctx *c, struct cbench_stats *s, json_t *o, const char *path)
{
	json_t *out = json_object_get(o, "outliers");

	s->n = (size_t)count(c, o, "n", path);
	s->min = num(c, o, "min", path);
	s->max = num(c, o, "max", path);
	s->mean = num(c, o, "mean", path);
	s->median = num(c, o, "median", path);
	s->stddev = num(c, o, "stddev", path);
	s->q1 = num(c, o, "q1", path);
	s->q3 = num(c, o, "q3", path);
	s->iqr = num(c, o, "iqr", path);
	s->p95 = num(c, o, "p95", path);
	s->p99 = num(c, o, "p99", path);
	s->ci_low = num(c, o, "ci_low", path);
	s->ci_high = num(c, o, "ci_high", path);
	if (json_is_object(out)) {
		s->outliers_mild = (size_t)count(c, out, "mild", path);
		s->outliers_severe = (size_t)count(c, out, "severe", path);
	}
}

/* The "evidence" object of a metric (absent in files from before it). */
static void decode_evidence(struct cbench_comparison *k, struct ctx *c, json_t *e,
                            const char *path)
{
	char where[256];
	const char *reason;

	k->p = k->ratio = k->ratio_lo = k->ratio_hi = NAN;
	if (!json_is_object(e))
		return;
	snprintf(where, sizeof(where), "%s.evidence", path);
	k->tested = boolean(e, "tested");
	k->p = num(c, e, "p", where);
	k->ratio = num(c, e, "ratio", where);
	k->ratio_lo = num(c, e, "ratio_low", where);
	k->ratio_hi = num(c, e, "ratio_high", where);
	k->baseline_n = (size_t)count(c, e, "baseline_n", where);
	reason = str(c, e, "reason", where, false);
	if (reason)
		snprintf(k->reason, sizeof(k->reason), "%s", reason);
}

/* The later readings of a crossing ("confirmation"."passes"). */
static void decode_passes(struct cbench_results *r, struct cbench_comparison *k,
                          struct ctx *c, json_t *a, const char *path)
{
	struct cbench_confirmation *f;
	char where[256];
	size_t i;
	json_t *x;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return;
	f = keep(r, c, calloc(json_array_size(a), sizeof(*f)));
	if (!f)
		return;
	json_array_foreach(a, i, x) {
		const char *at, *status;
		int v;

		snprintf(where, sizeof(where), "%s.confirmation.passes[%zu]", path, i);
		f[i].pass = (unsigned)count(c, x, "pass", where);
		at = str(c, x, "at", where, false);
		snprintf(f[i].at, sizeof(f[i].at), "%s", at ? at : "");
		f[i].value = num(c, x, "value", where);
		f[i].p = num(c, x, "p", where);
		{
			json_t *n = json_object_get(x, "rounds"); /* optional */

			f[i].rounds = json_is_integer(n) && json_integer_value(n) > 0 ?
			              (size_t)json_integer_value(n) : 0;
		}
		status = str(c, x, "status", where, false);
		v = cbench_run__verdict_of(status);
		f[i].verdict = v < 0 ? CBENCH_VERDICT_INCONCLUSIVE : (enum cbench_verdict)v;
	}
	k->passes = f;
	k->npasses = json_array_size(a);
}

static void read_metric(struct cbench_results *r, struct ctx *c, struct cbench_metric *m,
                        json_t *o, const char *path)
{
	char where[300];
	const char *dir;
	json_t *conf, *target, *reps;
	int verdict;

	if (!json_is_object(o)) {
		fail(c, path, "expected an object");
		return;
	}
	m->name = str(c, o, "name", path, true);
	m->unit = str(c, o, "unit", path, false);
	if (!m->unit)
		m->unit = "";
	dir = str(c, o, "direction", path, false);
	if (dir && strcmp(dir, "lower") && strcmp(dir, "higher")) {
		snprintf(where, sizeof(where), "%s.direction", path);
		fail(c, where, "expected \"lower\" or \"higher\"");
	}
	m->direction = cbench_run__direction_of(dir);
	m->timing = boolean(o, "timing");
	m->value = num(c, o, "value", path);
	if (json_is_object(json_object_get(o, "stats"))) {
		snprintf(where, sizeof(where), "%s.stats", path);
		read_stats(c, &m->stats, json_object_get(o, "stats"), where);
	}
	snprintf(where, sizeof(where), "%s.samples", path);
	m->samples = numbers(r, c, array(c, o, "samples", path), where, &m->nsamples);
	verdict = verdict_of(str(c, o, "status", path, false));
	if (verdict < 0) {
		snprintf(where, sizeof(where), "%s.status", path);
		fail(c, where, "not a known verdict");
		verdict = 0;
	}
	m->cmp.verdict = (enum cbench_verdict)verdict;
	m->cmp.baseline = num(c, o, "baseline", path);
	m->cmp.change = num(c, o, "change", path);
	m->cmp.threshold = num(c, o, "threshold", path);
	m->cmp.threshold_source = str(c, o, "threshold_source", path, false);
	m->cmp.current = num(c, o, "compared_value", path);
	if (isnan(m->cmp.current))
		m->cmp.current = m->value;
	conf = json_object_get(o, "confirmation");
	if (json_is_object(conf)) {
		snprintf(where, sizeof(where), "%s.confirmation.runs", path);
		m->cmp.confirm = numbers(r, c, array(c, conf, "runs", where), where, &m->cmp.nconfirm);
		m->cmp.unconfirmed = boolean(conf, "unconfirmed");
	}
	decode_evidence(&m->cmp, c, json_object_get(o, "evidence"), path);
	if (json_is_object(conf))
		decode_passes(r, &m->cmp, c, json_object_get(conf, "passes"), path);
	reps = json_object_get(o, "repetitions");
	if (json_is_object(reps)) {
		snprintf(where, sizeof(where), "%s.repetitions", path);
		m->reps.n = (size_t)count(c, reps, "n", where);
		m->reps.min = num(c, reps, "min_median", where);
		m->reps.max = num(c, reps, "max_median", where);
		m->reps.cv = num(c, reps, "cv", where);
	}
	target = json_object_get(o, "target");
	if (json_is_object(target)) {
		snprintf(where, sizeof(where), "%s.target", path);
		m->target.set = true;
		m->target.stat = str(c, target, "stat", where, false);
		m->target.limit = num(c, target, "limit", where);
		m->target.actual = num(c, target, "actual", where);
		m->target.ratio = num(c, target, "ratio", where);
		m->target.missed = boolean(target, "missed");
	}
}

/* -1 when absent or null */
static int known(struct ctx *c, json_t *o, const char *key, const char *path, double max)
{
	json_t *v = json_object_get(o, key);
	char where[96];

	if (json_is_boolean(v))
		return json_is_true(v);
	if (!v || json_is_null(v))
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
		snprintf(where, sizeof(where), "%s.%s", path, key);
		fail(c, where, "expected a count, true, false or null");
		return -1;
	}
	return (int)json_integer_value(v);
}

/* A file from before the environment was recorded: nothing known. */
static void read_environment(struct cbench_run *run, struct ctx *c, json_t *o)
{
	struct cbench_environment *e = &run->env;
	double load;

	e->turbo = e->aslr = e->optimized = e->cpu = -1;
	e->load_avg = -1;
	e->repetitions = 0;
	if (!json_is_object(o))
		return;
	e->turbo = known(c, o, "turbo", "environment", 1);
	e->aslr = known(c, o, "aslr", "environment", 2);
	e->optimized = known(c, o, "optimized", "environment", 1);
	e->cpu = known(c, o, "pinned_cpu", "environment", 1 << 20);
	load = num(c, o, "load_avg", "environment");
	e->load_avg = isnan(load) ? -1 : load;
	e->repetitions = (unsigned)count(c, o, "repetitions", "environment");
	if (e->repetitions == 0)
		e->repetitions = 1;
	e->seed = count(c, o, "seed", "environment");
}

static void read_result(struct cbench_results *r, struct ctx *c, size_t i, json_t *o)
{
	struct cbench_result *res = &r->results[i];
	char path[64], where[96];
	json_t *a, *x, *settings, *resources;
	size_t k;
	int status;

	snprintf(path, sizeof(path), "benchmarks[%zu]", i);
	if (!json_is_object(o)) {
		fail(c, path, "expected an object");
		return;
	}
	res->id = str(c, o, "id", path, true);
	res->suite = str(c, o, "suite", path, true);
	res->name = str(c, o, "name", path, true);
	res->file = str(c, o, "file", path, false);
	res->line = (int)count(c, o, "line", path);
	res->message = str(c, o, "message", path, false);
	res->optimized = boolean(o, "optimized");
	status = status_of(str(c, o, "status", path, true));
	if (status < 0 && c->rc == 0) {
		snprintf(where, sizeof(where), "%s.status", path);
		fail(c, where, "expected passed, failed, error, skipped or target");
	}
	res->status = status < 0 ? CBENCH_STATUS_ERROR : (enum cbench_status)status;
	a = array(c, o, "params", path);
	if (a && json_array_size(a) > 0) {
		snprintf(where, sizeof(where), "%s.params", path);
		res->param = json_string_value(json_array_get(a, 0));
		if (!res->param)
			fail(c, where, "expected strings");
	}
	a = array(c, o, "markers", path);
	r->markers[i] = calloc((a ? json_array_size(a) : 0) + 1, sizeof(char *));
	if (!r->markers[i]) {
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return;
	}
	json_array_foreach(a, k, x) {
		if (!json_is_string(x)) {
			snprintf(where, sizeof(where), "%s.markers[%zu]", path, k);
			fail(c, where, "expected a string");
			return;
		}
		r->markers[i][k] = json_string_value(x);
	}
	res->markers = r->markers[i];
	res->nmarkers = a ? json_array_size(a) : 0;
	settings = json_object_get(o, "settings");
	if (json_is_object(settings)) {
		snprintf(where, sizeof(where), "%s.settings", path);
		res->warmup = (unsigned)count(c, settings, "warmup", where);
		res->iterations = (unsigned)count(c, settings, "iterations", where);
		res->batch = count(c, settings, "batch", where);
	}
	resources = json_object_get(o, "resources");
	if (json_is_object(resources)) {
		snprintf(where, sizeof(where), "%s.resources", path);
		res->wall_time = num(c, resources, "wall_time", where);
		res->cpu_time = num(c, resources, "cpu_time", where);
		res->peak_rss = count(c, resources, "peak_rss", where);
	}
	a = array(c, o, "metrics", path);
	r->metrics[i] = calloc((a ? json_array_size(a) : 0) + 1, sizeof(struct cbench_metric));
	if (!r->metrics[i]) {
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return;
	}
	json_array_foreach(a, k, x) {
		snprintf(where, sizeof(where), "%s.metrics[%zu]", path, k);
		read_metric(r, c, &r->metrics[i][k], x, where);
		if (c->rc)
			return;
	}
	res->metrics = r->metrics[i];
	res->nmetrics = a ? json_array_size(a) : 0;
}

static void read_gate(struct cbench_results *r, struct ctx *c, json_t *gate)
{
	struct cbench_run *run = &r->run;
	json_t *a, *x;
	size_t k;

	if (!json_is_object(gate))
		return;
	run->baselines = str(c, gate, "baselines", "gate", false);
	run->compared = boolean(gate, "compared");
	run->baseline_note = str(c, gate, "note", "gate", false);
	run->threshold = num(c, gate, "threshold", "gate");
	run->compare_stat = str(c, gate, "compare_stat", "gate", false);
	run->regressions = (size_t)count(c, gate, "regressions", "gate");
	run->improvements = (size_t)count(c, gate, "improvements", "gate");
	run->targets_missed = (size_t)count(c, gate, "targets_missed", "gate");
	a = array(c, gate, "missing", "gate");
	r->missing = calloc((a ? json_array_size(a) : 0) + 1, sizeof(*r->missing));
	if (!r->missing) {
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return;
	}
	json_array_foreach(a, k, x) {
		char where[64];
		const char *dir;

		snprintf(where, sizeof(where), "gate.missing[%zu]", k);
		r->missing[k].name = str(c, x, "name", where, true);
		r->missing[k].baseline = num(c, x, "baseline", where);
		r->missing[k].unit = str(c, x, "unit", where, false);
		if (!r->missing[k].unit)
			r->missing[k].unit = "";
		dir = str(c, x, "direction", where, false);
		r->missing[k].direction = cbench_run__direction_of(dir);
	}
	run->missing = r->missing;
	run->nmissing = a ? json_array_size(a) : 0;
}

static void read_run(struct cbench_results *r, struct ctx *c)
{
	struct cbench_run *run = &r->run;
	const char *schema = str(c, r->doc, "schema", "", true), *s;
	json_t *a, *x, *platform, *git;
	size_t n, k;

	if (c->rc)
		return;
	if (strcmp(schema, SCHEMA) != 0) {
		c->rc = cbench_error__set(c->err, CBENCH_EPARSE,
		                          "%s: schema \"%s\" is not " SCHEMA, c->file, schema);
		return;
	}
	s = str(c, r->doc, "run_id", "", false);
	snprintf(run->run_id, sizeof(run->run_id), "%s", s ? s : "");
	run->run_type = str(c, r->doc, "run_type", "", false);
	run->cbench_version = str(c, r->doc, "cbench_version", "", false);
	s = str(c, r->doc, "started_at", "", false);
	snprintf(run->started_at, sizeof(run->started_at), "%s", s ? s : "");
	run->duration = num(c, r->doc, "duration", "");
	run->mode = str(c, r->doc, "mode", "", false);
	run->clock = str(c, r->doc, "clock", "", false);
	run->forked = boolean(r->doc, "forked");
	s = str(c, r->doc, "interrupted", "", false);
	run->interrupted = cbench_run__signal_of(s);
	run->selected = (size_t)count(c, r->doc, "selected", "");
	if (json_is_object(json_object_get(r->doc, "runner")))
		run->runner_peak_rss = count(c, json_object_get(r->doc, "runner"), "peak_rss",
		                             "runner");
	platform = json_object_get(r->doc, "platform");
	if (json_is_object(platform) && c->rc == 0)
		c->rc = cbench_context__platform_from_json(&run->platform, platform, c->err);
	else if (json_is_object(json_object_get(r->doc, "host")) && c->rc == 0)
		/* a file from before platform detection: its host facts */
		c->rc = cbench_context__platform_from_json(&run->platform, json_object_get(r->doc, "host"),
		                                   c->err);
	git = json_object_get(r->doc, "git");
	if (json_is_object(git) && c->rc == 0)
		c->rc = cbench_context__git_from_json(&run->git, git, c->err);
	read_environment(run, c, json_object_get(r->doc, "environment"));
	a = array(c, r->doc, "warnings", "");
	r->warnings = calloc((a ? json_array_size(a) : 0) + 1, sizeof(char *));
	if (!r->warnings) {
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return;
	}
	json_array_foreach(a, k, x) {
		r->warnings[k] = json_is_string(x) ? json_string_value(x) : "";
	}
	run->warnings = r->warnings;
	run->nwarnings = a ? json_array_size(a) : 0;
	read_gate(r, c, json_object_get(r->doc, "gate"));
	a = array(c, r->doc, "benchmarks", "");
	n = a ? json_array_size(a) : 0;
	r->results = calloc(n + 1, sizeof(*r->results));
	r->metrics = calloc(n + 1, sizeof(*r->metrics));
	r->markers = calloc(n + 1, sizeof(*r->markers));
	if (!r->results || !r->metrics || !r->markers) {
		c->rc = cbench_error__set(c->err, CBENCH_ENOMEM, "out of memory");
		return;
	}
	r->n = n + 1;
	for (k = 0; k < n && c->rc == 0; k++)
		read_result(r, c, k, json_array_get(a, k));
	run->results = r->results;
	run->nresults = n;
}

int cbench_results__from_json(struct cbench_results **out, json_t *doc, const char *label,
                              struct cbench_error *err)
{
	struct cbench_results *r = calloc(1, sizeof(*r));
	struct ctx c = { label, err, 0 };

	if (!r) {
		json_decref(doc);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	r->doc = doc;
	if (!json_is_object(r->doc))
		c.rc = cbench_error__set(err, CBENCH_EPARSE, "%s: expected a cbench results object",
		                         label);
	else
		read_run(r, &c);
	if (c.rc) {
		cbench_results__free(r);
		return c.rc;
	}
	*out = r;
	return 0;
}

int cbench_results__load(struct cbench_results **out, const char *path,
                         struct cbench_error *err)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);

	if (!doc)
		return cbench_error__set(err, CBENCH_EPARSE, "%s:%d:%d: %s", path, je.line,
		                         je.column, je.text);
	return cbench_results__from_json(out, doc, path, err);
}

const struct cbench_run *cbench_results__run(const struct cbench_results *r)
{
	return &r->run;
}

void cbench_results__free(struct cbench_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->metrics && i < r->n; i++)
		free(r->metrics[i]);
	for (size_t i = 0; r->markers && i < r->n; i++)
		free((void *)r->markers[i]);
	for (size_t i = 0; i < r->nsamples; i++)
		free(r->samples[i]);
	free(r->samples);
	free(r->metrics);
	free(r->markers);
	free(r->results);
	free(r->missing);
	free(r->warnings);
	json_decref(r->doc);
	free(r);
}
