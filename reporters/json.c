/*
 * --json FILE: the results as one JSON document (schema "cbench-results/1",
 * described in docs/results-json.md). Built with jansson, written atomically
 * at finish.
 */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "cbench/reporter.h"
#include "base/error.h"
#include "base/fileio.h"
#include "model/context.h"
#include "measure/runner.h"

#define SCHEMA "cbench-results/1"

/*
 * Each benchmark is formatted as soon as it arrives and its tree freed:
 * one tree for 10,000 benchmarks spent most of its time in malloc and free
 * (docs/measurement.md). The document around them is formatted at finish,
 * one benchmark per line inside "benchmarks".
 */
struct json_reporter {
	char *path;
	struct cbench_report_config config;
	json_t *doc;
	struct cbench_buf benchmarks;
	size_t nbenchmarks;
	size_t counts[5];
};

#define MAX_JSON_BYTES ((size_t)1 << 34)
#define DUMP_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

/* jansson refuses NaN and infinities; JSON has no spelling for them. */
static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int open_json(void **out, const char *path,
                     const struct cbench_report_config *config,
                     struct cbench_error *err)
{
	struct json_reporter *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path))) {
		free(r);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	r->config = *config;
	r->doc = json_object();
	cbench_buf__init(&r->benchmarks, MAX_JSON_BYTES);
	*out = r;
	return 0;
}

/* "host": the few facts of issue one's format, kept for readers of it. */
static json_t *host_json(const struct cbench_platform *h)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}",
	                 "hostname", h->hostname, "os", h->os, "kernel", h->kernel,
	                 "arch", h->arch, "cpu_model", h->cpu_model,
	                 "cpus", (json_int_t)h->cpus,
	                 "ram_bytes", (json_int_t)h->ram_bytes,
	                 "governor", h->governor[0] ? json_string(h->governor) : json_null());
}

static int context_json(void *self, const struct cbench_run *run,
                        struct cbench_error *err)
{
	struct json_reporter *r = self;

	(void)err;
	json_object_set_new(r->doc, "schema", json_string(SCHEMA));
	json_object_set_new(r->doc, "run_id", run->run_id[0] ? json_string(run->run_id) : json_null());
	json_object_set_new(r->doc, "run_type", string_or_null(run->run_type));
	json_object_set_new(r->doc, "cbench_version", json_string(run->cbench_version));
	json_object_set_new(r->doc, "started_at", json_string(run->started_at));
	json_object_set_new(r->doc, "mode", json_string(run->mode));
	json_object_set_new(r->doc, "clock", json_string(run->clock));
	json_object_set_new(r->doc, "forked", json_boolean(run->forked));
	json_object_set_new(r->doc, "host", host_json(&run->platform));
	json_object_set_new(r->doc, "platform", cbench_context__platform_to_json(&run->platform));
	json_object_set_new(r->doc, "git", cbench_context__git_to_json(&run->git));
	return 0;
}

static json_t *stats_json(const struct cbench_stats *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "n", json_integer((json_int_t)s->n));
	json_object_set_new(o, "min", number(s->min));
	json_object_set_new(o, "max", number(s->max));
	json_object_set_new(o, "mean", number(s->mean));
	json_object_set_new(o, "median", number(s->median));
	json_object_set_new(o, "stddev", number(s->stddev));
	json_object_set_new(o, "q1", number(s->q1));
	json_object_set_new(o, "q3", number(s->q3));
	json_object_set_new(o, "iqr", number(s->iqr));
	json_object_set_new(o, "p95", number(s->p95));
	json_object_set_new(o, "p99", number(s->p99));
	json_object_set_new(o, "ci_low", number(s->ci_low));
	json_object_set_new(o, "ci_high", number(s->ci_high));
	json_object_set_new(o, "outliers",
	                    json_pack("{s:I, s:I}", "mild", (json_int_t)s->outliers_mild,
	                              "severe", (json_int_t)s->outliers_severe));
	return o;
}

static json_t *metric_json(const struct cbench_metric *m, bool samples)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "unit", json_string(m->unit));
	json_object_set_new(o, "direction",
	                    json_string(m->direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower"));
	json_object_set_new(o, "timing", json_boolean(m->timing));
	json_object_set_new(o, "value", number(m->value));
	if (m->timing)
		json_object_set_new(o, "ops_per_sec",
		                    m->value > 0 ? number(1.0 / m->value) : json_null());
	json_object_set_new(o, "stats", stats_json(&m->stats));
	json_object_set_new(o, "baseline", number(m->cmp.baseline));
	json_object_set_new(o, "change", number(m->cmp.change));
	json_object_set_new(o, "threshold", number(m->cmp.threshold));
	json_object_set_new(o, "threshold_source",
	                    string_or_null(m->cmp.threshold_source));
	json_object_set_new(o, "compared_value", number(m->cmp.current));
	json_object_set_new(o, "status", json_string(cbench_verdict_name(m->cmp.verdict)));
	{
		json_t *runs = json_array();

		for (size_t i = 0; i < m->cmp.nconfirm; i++)
			json_array_append_new(runs, number(m->cmp.confirm[i]));
		json_object_set_new(o, "confirmation",
		                    json_pack("{s:o, s:b}", "runs", runs,
		                              "unconfirmed", m->cmp.unconfirmed));
	}
	if (m->target.set)
		json_object_set_new(o, "target",
		                    json_pack("{s:s, s:o, s:o, s:o, s:b}", "stat", m->target.stat,
		                              "limit", number(m->target.limit),
		                              "actual", number(m->target.actual),
		                              "ratio", number(m->target.ratio),
		                              "missed", m->target.missed));
	else
		json_object_set_new(o, "target", json_null());
	if (samples && m->samples) {
		json_t *a = json_array();

		for (size_t i = 0; i < m->nsamples; i++)
			json_array_append_new(a, number(m->samples[i]));
		json_object_set_new(o, "samples", a);
	}
	return o;
}

static int result_json(void *self, const struct cbench_result *res,
                       struct cbench_error *err)
{
	struct json_reporter *r = self;
	json_t *o = json_object(), *markers = json_array(), *params = json_array();
	json_t *metrics = json_array();
	char *text;

	for (size_t i = 0; i < res->nmarkers; i++)
		json_array_append_new(markers, json_string(res->markers[i]));
	if (res->param)
		json_array_append_new(params, json_string(res->param));
	for (size_t i = 0; i < res->nmetrics; i++)
		json_array_append_new(metrics, metric_json(&res->metrics[i], r->config.samples));
	json_object_set_new(o, "id", json_string(res->id));
	json_object_set_new(o, "suite", json_string(res->suite));
	json_object_set_new(o, "name", json_string(res->name));
	json_object_set_new(o, "params", params);
	json_object_set_new(o, "markers", markers);
	json_object_set_new(o, "status", json_string(cbench_status_name(res->status)));
	json_object_set_new(o, "message", string_or_null(res->message));
	json_object_set_new(o, "file", json_string(res->file));
	json_object_set_new(o, "line", json_integer(res->line));
	json_object_set_new(o, "optimized", json_boolean(res->optimized));
	json_object_set_new(o, "settings",
	                    json_pack("{s:I, s:I, s:I}", "warmup", (json_int_t)res->warmup,
	                              "iterations", (json_int_t)res->iterations,
	                              "batch", (json_int_t)res->batch));
	json_object_set_new(o, "resources",
	                    json_pack("{s:o, s:o, s:I}", "wall_time", number(res->wall_time),
	                              "cpu_time", number(res->cpu_time),
	                              "peak_rss", (json_int_t)res->peak_rss));
	json_object_set_new(o, "metrics", metrics);
	text = json_dumps(o, JSON_COMPACT | DUMP_FLAGS);
	json_decref(o);
	if (!text || cbench_buf__adds(&r->benchmarks, r->nbenchmarks ? ",\n    " : "\n    ") ||
	    cbench_buf__adds(&r->benchmarks, text)) {
		free(text);
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory formatting %s",
		                         r->path, res->id);
	}
	free(text);
	r->nbenchmarks++;
	if ((unsigned)res->status < 5)
		r->counts[res->status]++;
	return 0;
}

static json_t *gate_json(const struct cbench_run *run)
{
	json_t *missing = json_array();

	for (size_t i = 0; i < run->nmissing; i++)
		json_array_append_new(missing,
		                      json_pack("{s:s, s:o, s:s, s:s}", "name", run->missing[i].name,
		                                "baseline", number(run->missing[i].baseline),
		                                "unit", run->missing[i].unit,
		                                "direction",
		                                run->missing[i].direction == CBENCH_HIGHER_IS_BETTER ?
		                                "higher" : "lower"));
	return json_pack("{s:o, s:b, s:o, s:o, s:o, s:I, s:I, s:I, s:o}",
	                 "baselines", string_or_null(run->baselines),
	                 "compared", run->compared,
	                 "note", string_or_null(run->baseline_note),
	                 "threshold", number(run->threshold),
	                 "compare_stat", string_or_null(run->compare_stat),
	                 "regressions", (json_int_t)run->regressions,
	                 "improvements", (json_int_t)run->improvements,
	                 "targets_missed", (json_int_t)run->targets_missed,
	                 "missing", missing);
}

static int finish_json(void *self, const struct cbench_run *run,
                       struct cbench_error *err)
{
	struct json_reporter *r = self;
	json_t *warnings = json_array();
	struct cbench_buf out;
	char *text, name[96];
	size_t len;
	int rc;

	for (size_t i = 0; i < run->nwarnings; i++)
		json_array_append_new(warnings, json_string(run->warnings[i]));
	json_object_set_new(r->doc, "duration", number(run->duration));
	if (run->interrupted) {
		cbench_runner__signal_name(name, sizeof(name), run->interrupted);
		*strchr(name, ' ') = '\0';
		json_object_set_new(r->doc, "interrupted", json_string(name));
	} else {
		json_object_set_new(r->doc, "interrupted", json_null());
	}
	json_object_set_new(r->doc, "selected", json_integer((json_int_t)run->selected));
	json_object_set_new(r->doc, "runner",
	                    json_pack("{s:I}", "peak_rss", (json_int_t)run->runner_peak_rss));
	json_object_set_new(r->doc, "summary",
	                    json_pack("{s:I, s:I, s:I, s:I, s:I}",
	                              "passed", (json_int_t)r->counts[CBENCH_STATUS_PASSED],
	                              "failed", (json_int_t)r->counts[CBENCH_STATUS_FAILED],
	                              "error", (json_int_t)r->counts[CBENCH_STATUS_ERROR],
	                              "skipped", (json_int_t)r->counts[CBENCH_STATUS_SKIPPED],
	                              "target", (json_int_t)r->counts[CBENCH_STATUS_TARGET]));
	json_object_set_new(r->doc, "warnings", warnings);
	json_object_set_new(r->doc, "gate", gate_json(run));
	/* An empty array as a placeholder, then the formatted benchmarks
	 * spliced in its place: the document's last key. */
	json_object_set_new(r->doc, "benchmarks", json_array());
	text = json_dumps(r->doc, JSON_INDENT(2) | DUMP_FLAGS);
	if (!text)
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: cannot format JSON", r->path);
	len = strlen(text);
	if (len < 4 || strcmp(text + len - 4, "[]\n}") != 0) {
		free(text);
		return cbench_error__set(err, CBENCH_ERROR, "%s: unexpected JSON layout", r->path);
	}
	cbench_buf__init(&out, MAX_JSON_BYTES);
	cbench_buf__add(&out, text, len - 3);
	cbench_buf__add(&out, cbench_buf__str(&r->benchmarks), cbench_buf__len(&r->benchmarks));
	cbench_buf__adds(&out, r->nbenchmarks ? "\n  ]\n}\n" : "]\n}\n");
	free(text);
	text = cbench_buf__take(&out, &len);
	if (!text || r->benchmarks.failed)
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: out of memory formatting JSON",
		                         r->path);
	rc = cbench_file__write_atomic(r->path, text, len, err);
	free(text);
	return rc;
}

static void close_json(void *self)
{
	struct json_reporter *r = self;

	if (!r)
		return;
	cbench_buf__free(&r->benchmarks);
	json_decref(r->doc);
	free(r->path);
	free(r);
}

const struct cbench_reporter cbench_reporter_json = {
	CBENCH_REPORTER_VERSION, "json",
	open_json, context_json, result_json, finish_json, close_json
};
