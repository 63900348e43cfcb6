/*
 * Writing a results JSON (schema cbench-results/1, docs/results-json.md):
 * the one encoder, for the runner's --json reporter and for runs rebuilt
 * from the history alike. decode.c reads back what this writes.
 *
 * Each benchmark is formatted as soon as it arrives and its tree freed:
 * one tree for 10,000 benchmarks spent most of its time in malloc and free
 * (docs/measurement.md). The document around them is formatted at the end,
 * one benchmark per line inside "benchmarks".
 */
#include "model/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/utf8.h"
#include "model/context.h"
#include "model/run.h"

#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

/* jansson refuses NaN and infinities; JSON has no spelling for them. */
static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *string(const char *s)
{
	return cbench_utf8__json_string(s);
}

static json_t *string_or_null(const char *s)
{
	return s ? cbench_utf8__json_string(s) : json_null();
}

static json_t *integer(uint64_t v)
{
	return json_integer((json_int_t)v);
}

/* json_object_set_new that remembers a failure instead of returning it. */
static void set(json_t *o, const char *key, json_t *v, bool *bad)
{
	if (!v || json_object_set_new(o, key, v))
		*bad = true;
}

static void push(json_t *a, json_t *v, bool *bad)
{
	if (!v || json_array_append_new(a, v))
		*bad = true;
}

static json_t *done(json_t *o, bool bad)
{
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* ---- One benchmark ----------------------------------------------------- */

static json_t *stats_json(const struct cbench_stats *s)
{
	json_t *o = json_object(), *out = json_object();
	bool bad = !o;

	set(o, "n", integer(s->n), &bad);
	set(o, "min", number(s->min), &bad);
	set(o, "max", number(s->max), &bad);
	set(o, "mean", number(s->mean), &bad);
	set(o, "median", number(s->median), &bad);
	set(o, "stddev", number(s->stddev), &bad);
	set(o, "q1", number(s->q1), &bad);
	set(o, "q3", number(s->q3), &bad);
	set(o, "iqr", number(s->iqr), &bad);
	set(o, "p95", number(s->p95), &bad);
	set(o, "p99", number(s->p99), &bad);
	set(o, "ci_low", number(s->ci_low), &bad);
	set(o, "ci_high", number(s->ci_high), &bad);
	if (out) {
		set(out, "mild", integer(s->outliers_mild), &bad);
		set(out, "severe", integer(s->outliers_severe), &bad);
	}
	set(o, "outliers", out, &bad);
	return done(o, bad);
}

static json_t *numbers(const double *v, size_t n)
{
	json_t *a = json_array();
	bool bad = !a;

	for (size_t i = 0; i < n && !bad; i++)
		push(a, number(v[i]), &bad);
	return done(a, bad);
}

/* The spread between --repetitions: of the repetitions' medians. */
static json_t *repetitions_json(const struct cbench_repetitions *r)
{
	json_t *o = json_object();
	bool bad = !o;

	set(o, "n", integer(r->n), &bad);
	set(o, "min_median", number(r->min), &bad);
	set(o, "max_median", number(r->max), &bad);
	set(o, "cv", number(r->cv), &bad);
	return done(o, bad);
}

/* The statistical test behind the verdict (null fields when untested). */
static json_t *evidence_json(const struct cbench_comparison *c)
{
	json_t *o = json_object();
	bool bad = false;

	if (!o)
		return NULL;
	set(o, "tested", json_boolean(c->tested), &bad);
	set(o, "p", number(c->p), &bad);
	set(o, "ratio", number(c->ratio), &bad);
	set(o, "ratio_low", number(c->ratio_lo), &bad);
	set(o, "ratio_high", number(c->ratio_hi), &bad);
	set(o, "baseline_n", integer(c->baseline_n), &bad);
	set(o, "reason", c->reason[0] ? json_string(c->reason) : json_null(), &bad);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The later readings of a crossing: pass, when, what it read. */
static json_t *passes_json(const struct cbench_comparison *c)
{
	json_t *a = json_array();
	bool bad = false;

	for (size_t i = 0; a && i < c->npasses; i++) {
		const struct cbench_confirmation *f = &c->passes[i];
		json_t *o = json_object();

		if (!o || json_array_append_new(a, o) != 0) {
			bad = true;
			break;
		}
		set(o, "pass", integer(f->pass), &bad);
		set(o, "at", json_string(f->at), &bad);
		set(o, "value", number(f->value), &bad);
		set(o, "status", json_string(cbench_verdict_name(f->verdict)), &bad);
		set(o, "p", number(f->p), &bad);
		if (f->rounds)
			set(o, "rounds", integer(f->rounds), &bad);
	}
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *metric_json(const struct cbench_metric *m, bool samples)
{
	json_t *o = json_object(), *conf = json_object(), *target;
	bool bad = !o;

	set(o, "name", string(m->name), &bad);
	set(o, "unit", string(m->unit), &bad);
	set(o, "direction", json_string(cbench_run__direction_name(m->direction)), &bad);
	set(o, "timing", json_boolean(m->timing), &bad);
	set(o, "value", number(m->value), &bad);
	if (m->timing)
		set(o, "ops_per_sec", m->value > 0 ? number(1.0 / m->value) : json_null(), &bad);
	set(o, "stats", stats_json(&m->stats), &bad);
	set(o, "baseline", number(m->cmp.baseline), &bad);
	set(o, "change", number(m->cmp.change), &bad);
	set(o, "threshold", number(m->cmp.threshold), &bad);
	set(o, "threshold_source", string_or_null(m->cmp.threshold_source), &bad);
	set(o, "compared_value", number(m->cmp.current), &bad);
	set(o, "status", json_string(cbench_verdict_name(m->cmp.verdict)), &bad);
	if (conf) {
		set(conf, "runs", numbers(m->cmp.confirm, m->cmp.nconfirm), &bad);
		set(conf, "unconfirmed", json_boolean(m->cmp.unconfirmed), &bad);
		set(conf, "passes", passes_json(&m->cmp), &bad);
	}
	set(o, "evidence", evidence_json(&m->cmp), &bad);
	set(o, "confirmation", conf, &bad);
	if (m->target.set) {
		target = json_object();
		if (target) {
			set(target, "stat", string(m->target.stat), &bad);
			set(target, "limit", number(m->target.limit), &bad);
			set(target, "actual", number(m->target.actual), &bad);
			set(target, "ratio", number(m->target.ratio), &bad);
			set(target, "missed", json_boolean(m->target.missed), &bad);
		}
		set(o, "target", target, &bad);
	} else {
		set(o, "target", json_null(), &bad);
	}
	set(o, "repetitions", m->reps.n > 1 ? repetitions_json(&m->reps) : json_null(), &bad);
	if (samples && m->samples)
		set(o, "samples", numbers(m->samples, m->nsamples), &bad);
	return done(o, bad);
}

json_t *cbench_results__result_to_json(const struct cbench_result *res, bool samples)
{
	json_t *o = json_object(), *markers = json_array(), *params = json_array();
	json_t *metrics = json_array(), *settings = json_object(), *resources = json_object();
	bool bad = !o;

	for (size_t i = 0; markers && i < res->nmarkers; i++)
		push(markers, string(res->markers[i]), &bad);
	if (params && res->param)
		push(params, string(res->param), &bad);
	for (size_t i = 0; metrics && i < res->nmetrics && !bad; i++)
		push(metrics, metric_json(&res->metrics[i], samples), &bad);
	set(o, "id", string(res->id), &bad);
	set(o, "suite", string(res->suite), &bad);
	set(o, "name", string(res->name), &bad);
	set(o, "params", params, &bad);
	set(o, "markers", markers, &bad);
	set(o, "status", json_string(cbench_status_name(res->status)), &bad);
	set(o, "message", string_or_null(res->message), &bad);
	set(o, "file", string_or_null(res->file), &bad);
	set(o, "line", json_integer(res->line), &bad);
	set(o, "optimized", json_boolean(res->optimized), &bad);
	if (settings) {
		set(settings, "warmup", integer(res->warmup), &bad);
		set(settings, "iterations", integer(res->iterations), &bad);
		set(settings, "batch", integer(res->batch), &bad);
	}
	set(o, "settings", settings, &bad);
	if (resources) {
		set(resources, "wall_time", number(res->wall_time), &bad);
		set(resources, "cpu_time", number(res->cpu_time), &bad);
		set(resources, "peak_rss", integer(res->peak_rss), &bad);
	}
	set(o, "resources", resources, &bad);
	set(o, "metrics", metrics, &bad);
	return done(o, bad);
}

/* ---- The run around them ----------------------------------------------- */

/* "host": the few facts of issue one's format, kept for readers of it. */
static json_t *host_json(const struct cbench_platform *h)
{
	json_t *o = json_object();
	bool bad = !o;

	set(o, "hostname", string(h->hostname), &bad);
	set(o, "os", string(h->os), &bad);
	set(o, "kernel", string(h->kernel), &bad);
	set(o, "arch", string(h->arch), &bad);
	set(o, "cpu_model", string(h->cpu_model), &bad);
	set(o, "cpus", integer(h->cpus), &bad);
	set(o, "ram_bytes", integer(h->ram_bytes), &bad);
	set(o, "governor", h->governor[0] ? string(h->governor) : json_null(), &bad);
	return done(o, bad);
}

/* -1 (not known) is null. */
static json_t *known_int(int v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *known_bool(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

/* How the run was made and the machine's state at its start. */
static json_t *environment_json(const struct cbench_run *run)
{
	const struct cbench_environment *e = &run->env;
	json_t *o = json_object();
	bool bad = !o;

	set(o, "governor", run->platform.governor[0] ? string(run->platform.governor) :
	                   json_null(), &bad);
	set(o, "turbo", known_bool(e->turbo), &bad);
	set(o, "aslr", known_int(e->aslr), &bad);
	set(o, "load_avg", e->load_avg < 0 ? json_null() : number(e->load_avg), &bad);
	set(o, "optimized", known_bool(e->optimized), &bad);
	set(o, "pinned_cpu", known_int(e->cpu), &bad);
	set(o, "repetitions", integer(e->repetitions), &bad);
	set(o, "seed", e->repetitions > 1 ? integer(e->seed) : json_null(), &bad);
	return done(o, bad);
}

/* The keys before the benchmarks that the run's start knows. */
static void head(json_t *doc, const struct cbench_run *run, bool *bad)
{
	set(doc, "schema", json_string(CBENCH_RESULTS_SCHEMA), bad);
	set(doc, "run_id", run->run_id[0] ? string(run->run_id) : json_null(), bad);
	set(doc, "run_type", string_or_null(run->run_type), bad);
	set(doc, "cbench_version", string_or_null(run->cbench_version), bad);
	set(doc, "started_at", string(run->started_at), bad);
	set(doc, "mode", string_or_null(run->mode), bad);
	set(doc, "clock", string_or_null(run->clock), bad);
	set(doc, "forked", json_boolean(run->forked), bad);
	set(doc, "host", host_json(&run->platform), bad);
	set(doc, "platform", cbench_context__platform_to_json(&run->platform), bad);
	set(doc, "git", cbench_context__git_to_json(&run->git), bad);
	set(doc, "environment", run->env.repetitions ? environment_json(run) : json_null(), bad);
}

static json_t *gate_json(const struct cbench_run *run)
{
	json_t *o = json_object(), *missing = json_array();
	bool bad = !o;

	for (size_t i = 0; missing && i < run->nmissing; i++) {
		const struct cbench_missing *m = &run->missing[i];
		json_t *x = json_object();

		if (x) {
			set(x, "name", string(m->name), &bad);
			set(x, "baseline", number(m->baseline), &bad);
			set(x, "unit", string(m->unit), &bad);
			set(x, "direction", json_string(cbench_run__direction_name(m->direction)),
			    &bad);
		}
		push(missing, x, &bad);
	}
	set(o, "baselines", string_or_null(run->baselines), &bad);
	set(o, "compared", json_boolean(run->compared), &bad);
	set(o, "note", string_or_null(run->baseline_note), &bad);
	set(o, "threshold", number(run->threshold), &bad);
	set(o, "compare_stat", string_or_null(run->compare_stat), &bad);
	set(o, "regressions", integer(run->regressions), &bad);
	set(o, "improvements", integer(run->improvements), &bad);
	set(o, "targets_missed", integer(run->targets_missed), &bad);
	set(o, "missing", missing, &bad);
	return done(o, bad);
}

/* The keys after the benchmarks' statuses are counted; `counts` by
 * status. */
static void tail(json_t *doc, const struct cbench_run *run, const size_t counts[5], bool *bad)
{
	json_t *warnings = json_array(), *runner = json_object(), *summary = json_object();
	char sig[16];

	for (size_t i = 0; warnings && i < run->nwarnings; i++)
		push(warnings, string(run->warnings[i]), bad);
	set(doc, "duration", number(run->duration), bad);
	cbench_run__signal_name(sig, run->interrupted);
	set(doc, "interrupted", sig[0] ? json_string(sig) : json_null(), bad);
	set(doc, "selected", integer(run->selected), bad);
	if (runner)
		set(runner, "peak_rss", integer(run->runner_peak_rss), bad);
	set(doc, "runner", runner, bad);
	if (summary) {
		set(summary, "passed", integer(counts[CBENCH_STATUS_PASSED]), bad);
		set(summary, "failed", integer(counts[CBENCH_STATUS_FAILED]), bad);
		set(summary, "error", integer(counts[CBENCH_STATUS_ERROR]), bad);
		set(summary, "skipped", integer(counts[CBENCH_STATUS_SKIPPED]), bad);
		set(summary, "target", integer(counts[CBENCH_STATUS_TARGET]), bad);
	}
	set(doc, "summary", summary, bad);
	set(doc, "warnings", warnings, bad);
	set(doc, "gate", gate_json(run), bad);
}

json_t *cbench_results__to_json(const struct cbench_run *run, bool samples)
{
	json_t *doc = json_object(), *benchmarks = json_array();
	size_t counts[5] = { 0 };
	bool bad = !doc;

	if (doc)
		head(doc, run, &bad);
	for (size_t i = 0; benchmarks && i < run->nresults && !bad; i++) {
		push(benchmarks, cbench_results__result_to_json(&run->results[i], samples), &bad);
		if ((unsigned)run->results[i].status < 5)
			counts[run->results[i].status]++;
	}
	if (doc)
		tail(doc, run, counts, &bad);
	set(doc, "benchmarks", benchmarks, &bad);
	return done(doc, bad);
}

/* ---- Streaming --------------------------------------------------------- */

struct cbench_results_writer {
	bool samples;
	size_t max;
	json_t *doc;                  /* the keys before "benchmarks" */
	struct cbench_buf benchmarks; /* formatted, one per line */
	size_t nbenchmarks;
	size_t counts[5];
};

int cbench_results__writer_new(struct cbench_results_writer **out, bool samples, size_t max)
{
	struct cbench_results_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w || !(w->doc = json_object())) {
		free(w);
		return CBENCH_ENOMEM;
	}
	w->samples = samples;
	w->max = max;
	cbench_buf__init(&w->benchmarks, max);
	*out = w;
	return 0;
}

int cbench_results__writer_begin(struct cbench_results_writer *w, const struct cbench_run *run)
{
	bool bad = false;

	head(w->doc, run, &bad);
	return bad ? CBENCH_ENOMEM : 0;
}

int cbench_results__writer_add(struct cbench_results_writer *w, const struct cbench_result *res)
{
	json_t *o = cbench_results__result_to_json(res, w->samples);
	char *text = o ? json_dumps(o, JSON_COMPACT | DUMP_FLAGS) : NULL;

	json_decref(o);
	if (!text || cbench_buf__adds(&w->benchmarks, w->nbenchmarks ? ",\n    " : "\n    ") ||
	    cbench_buf__adds(&w->benchmarks, text)) {
		free(text);
		return CBENCH_ENOMEM;
	}
	free(text);
	w->nbenchmarks++;
	if ((unsigned)res->status < 5)
		w->counts[res->status]++;
	return 0;
}

int cbench_results__writer_finish(struct cbench_results_writer *w, const struct cbench_run *run,
                                  char **out, size_t *outlen)
{
	struct cbench_buf doc;
	bool bad = false;
	char *text;
	size_t len;

	*out = NULL;
	tail(w->doc, run, w->counts, &bad);
	/* An empty array as a placeholder, then the formatted benchmarks
	 * spliced in its place: the document's last key. */
	set(w->doc, "benchmarks", json_array(), &bad);
	text = bad ? NULL : json_dumps(w->doc, JSON_INDENT(2) | DUMP_FLAGS);
	if (!text)
		return CBENCH_ENOMEM;
	len = strlen(text);
	if (len < 4 || strcmp(text + len - 4, "[]\n}") != 0) {
		free(text);
		return CBENCH_ERROR;
	}
	cbench_buf__init(&doc, w->max);
	cbench_buf__add(&doc, text, len - 3);
	cbench_buf__add(&doc, cbench_buf__str(&w->benchmarks), cbench_buf__len(&w->benchmarks));
	cbench_buf__adds(&doc, w->nbenchmarks ? "\n  ]\n}\n" : "]\n}\n");
	free(text);
	if (w->benchmarks.failed) {
		cbench_buf__free(&doc);
		return CBENCH_ENOMEM;
	}
	*out = cbench_buf__take(&doc, outlen);
	return *out ? 0 : CBENCH_ENOMEM;
}

void cbench_results__writer_free(struct cbench_results_writer *w)
{
	if (!w)
		return;
	cbench_buf__free(&w->benchmarks);
	json_decref(w->doc);
	free(w);
}
