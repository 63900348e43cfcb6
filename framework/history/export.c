/*
 * `cbench history export`: every run and its metrics as JSON or CSV,
 * formatted here from the rows any backend returns (history/backend.h),
 * so the files are the same whatever holds the history.
 */
#include "history/backend.h"

#include <assert.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/error.h"
#include "history/history.h"
#include "base/utf8.h"

static int no_memory(struct cbench_error *err)
{
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

/* ---- JSON -------------------------------------------------------------- */

static json_t *j_text(const char *s)
{
	return s ? cbench_utf8__json_string(s) : json_null();
}

static json_t *j_real(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *j_int(int64_t v)
{
	return v == CBENCH_HISTORY_NULL ? json_null() : json_integer((json_int_t)v);
}

static json_t *j_bool(int64_t v)
{
	return v == CBENCH_HISTORY_NULL ? json_null() : json_boolean(v != 0);
}

/* json_object_set_new that remembers a failure instead of returning it. */
static void set(json_t *o, const char *key, json_t *v, bool *bad)
{
	if (!v || json_object_set_new(o, key, v))
		*bad = true;
}

/* A run row as the export writes it: the columns by name, but the row id
 * (this file's business; run_id names the run), and the platform's
 * details as an object, not a string in a string. */
static json_t *run_json(const struct cbench_history_run_row *r)
{
	json_t *o = json_object(), *details;
	bool bad = !o;

	if (bad)
		return NULL;
	set(o, "run_id", j_text(r->run_id), &bad);
	set(o, "started_at", j_text(r->started_at), &bad);
	set(o, "t", j_real(r->t), &bad);
	set(o, "platform", j_text(r->platform), &bad);
	set(o, "run_type", j_text(r->run_type), &bad);
	set(o, "mode", j_text(r->mode), &bad);
	set(o, "clock", j_text(r->clock), &bad);
	set(o, "commit", j_text(r->commit), &bad);
	set(o, "short_commit", j_text(r->short_commit), &bad);
	set(o, "branch", j_text(r->branch), &bad);
	set(o, "dirty", j_bool(r->dirty), &bad);
	set(o, "commit_time", j_int(r->commit_time), &bad);
	set(o, "subject", j_text(r->subject), &bad);
	set(o, "hostname", j_text(r->hostname), &bad);
	set(o, "compiler", j_text(r->compiler), &bad);
	set(o, "cflags", j_text(r->cflags), &bad);
	set(o, "cbench_version", j_text(r->cbench_version), &bad);
	set(o, "duration", j_real(r->duration), &bad);
	set(o, "interrupted", j_text(r->interrupted), &bad);
	set(o, "selected", j_int(r->selected), &bad);
	set(o, "nmetrics", j_int(r->nmetrics), &bad);
	set(o, "regressions", j_int(r->regressions), &bad);
	set(o, "improvements", j_int(r->improvements), &bad);
	set(o, "targets_missed", j_int(r->targets_missed), &bad);
	set(o, "compare_stat", j_text(r->compare_stat), &bad);
	set(o, "threshold", j_real(r->threshold), &bad);
	set(o, "recorded_at", j_text(r->recorded_at), &bad);
	set(o, "governor", j_text(r->governor), &bad);
	set(o, "turbo", j_bool(r->turbo), &bad);
	set(o, "aslr", j_int(r->aslr), &bad);
	set(o, "load_avg", j_real(r->load_avg), &bad);
	set(o, "optimized", j_bool(r->optimized), &bad);
	set(o, "pinned_cpu", j_int(r->pinned_cpu), &bad);
	set(o, "repetitions", j_int(r->repetitions), &bad);
	set(o, "seed", j_int(r->seed), &bad);
	details = r->platform_json ? json_loads(r->platform_json, 0, NULL) : NULL;
	set(o, "platform_details", details ? details : json_null(), &bad);
	set(o, "metrics", json_array(), &bad);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *metric_json(const struct cbench_history_metric_row *m)
{
	json_t *o = json_object();
	bool bad = !o;

	if (bad)
		return NULL;
	set(o, "benchmark", j_text(m->benchmark), &bad);
	set(o, "name", j_text(m->name), &bad);
	set(o, "value", j_real(m->value), &bad);
	set(o, "unit", j_text(m->unit), &bad);
	set(o, "direction", j_text(m->direction), &bad);
	set(o, "timing", j_bool(m->timing), &bad);
	set(o, "bench_status", j_text(m->bench_status), &bad);
	set(o, "n", j_int(m->n), &bad);
	set(o, "min", j_real(m->min), &bad);
	set(o, "max", j_real(m->max), &bad);
	set(o, "mean", j_real(m->mean), &bad);
	set(o, "median", j_real(m->median), &bad);
	set(o, "stddev", j_real(m->stddev), &bad);
	set(o, "iqr", j_real(m->iqr), &bad);
	set(o, "p95", j_real(m->p95), &bad);
	set(o, "p99", j_real(m->p99), &bad);
	set(o, "ci_low", j_real(m->ci_low), &bad);
	set(o, "ci_high", j_real(m->ci_high), &bad);
	set(o, "status", j_text(m->status), &bad);
	set(o, "baseline", j_real(m->baseline), &bad);
	set(o, "change", j_real(m->change), &bad);
	set(o, "threshold", j_real(m->threshold), &bad);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * An array of runs, one per line. Each run's tree is formatted as soon as
 * its last metric is read and then freed: a million metric values are
 * never all jansson objects at once.
 */
struct json_export {
	struct cbench_buf *b;
	json_t *run;            /* the run being read */
	size_t nruns;
	struct cbench_error *err;
};

static int dump_to_buf(const char *data, size_t size, void *b)
{
	return cbench_buf__add(b, data, size) ? -1 : 0;
}

static int flush_run(struct json_export *x)
{
	int rc;

	if (!x->run)
		return 0;
	if (x->nruns++)
		cbench_buf__add(x->b, ",\n", 2);
	rc = json_dump_callback(x->run, dump_to_buf, x->b, JSON_COMPACT | JSON_PRESERVE_ORDER |
	                        JSON_REAL_PRECISION(17));
	json_decref(x->run);
	x->run = NULL;
	return rc ? no_memory(x->err) : 0;
}

static int json_on_run(void *ctx, const struct cbench_history_run_row *run)
{
	struct json_export *x = ctx;
	int rc = flush_run(x);

	if (rc)
		return rc;
	if (!(x->run = run_json(run)))
		return no_memory(x->err);
	return 0;
}

static int json_on_metric(void *ctx, const struct cbench_history_run_row *run,
                          const struct cbench_history_metric_row *metric)
{
	struct json_export *x = ctx;
	json_t *m = metric_json(metric);

	(void)run;
	if (!m || json_array_append_new(json_object_get(x->run, "metrics"), m))
		return no_memory(x->err);
	return 0;
}

static int export_json(struct cbench_history *h, const struct cbench_history_query *q,
                       struct cbench_buf *b, struct cbench_error *err)
{
	struct json_export x = { b, NULL, 0, err };
	int rc;

	cbench_buf__add(b, "[\n", 2);
	rc = cbench_history__rows(h, q, json_on_run, json_on_metric, &x, err);
	if (rc == 0)
		rc = flush_run(&x);
	json_decref(x.run);
	if (rc == 0 && cbench_buf__add(b, x.nruns ? "\n]\n" : "]\n", x.nruns ? 3 : 2))
		rc = no_memory(err);
	return rc;
}

/* ---- CSV --------------------------------------------------------------- */

static const char csv_header[] =
	"run_id,started_at,platform,run_type,mode,commit,branch,benchmark,metric,value,unit,"
	"direction,n,min,max,mean,median,stddev,iqr,p95,p99,ci_low,ci_high,status,baseline,"
	"change,threshold\r\n";

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. NULL is an empty field. Then the comma that ends it
 * (`last`: the line break). A text `formula` would be read as a formula
 * by a spreadsheet (it starts with = + - @, a tab or a carriage return:
 * OWASP's CSV injection) gets a leading apostrophe, which shows it as
 * text; numbers are written with formula = false. */
static void csv_field(struct cbench_buf *b, const char *s, bool formula, bool last)
{
	const char *guard = formula && s && *s && strchr("=+-@\t\r", *s) ? "'" : "";

	if (!s) {
		/* empty */
	} else if (!strpbrk(s, ",\"\r\n")) {
		cbench_buf__adds(b, guard);
		cbench_buf__adds(b, s);
	} else {
		cbench_buf__add(b, "\"", 1);
		cbench_buf__adds(b, guard);
		for (const char *q; (q = strchr(s, '"')); s = q + 1) {
			cbench_buf__add(b, s, (size_t)(q - s));
			cbench_buf__add(b, "\"\"", 2);
		}
		cbench_buf__adds(b, s);
		cbench_buf__add(b, "\"", 1);
	}
	cbench_buf__adds(b, last ? "\r\n" : ",");
}

static void csv_text(struct cbench_buf *b, const char *s, bool last)
{
	csv_field(b, s, true, last);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same
 * double: 0.1 stays 0.1, and nothing is lost. NAN is an empty field. The
 * caller set the C locale. */
static void csv_number(struct cbench_buf *b, double v, bool last)
{
	char s[40] = "";

	for (int prec = 15; isfinite(v) && prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	csv_field(b, s, false, last);
}

static void csv_int(struct cbench_buf *b, int64_t v)
{
	if (v != CBENCH_HISTORY_NULL)
		cbench_buf__addf(b, "%lld", (long long)v);
	cbench_buf__add(b, ",", 1);
}

struct csv_export {
	struct cbench_buf *b;
	struct cbench_error *err;
};

static int csv_on_run(void *ctx, const struct cbench_history_run_row *run)
{
	(void)ctx;
	(void)run;
	return 0;
}

/* One line per metric value, with its run's columns. */
static int csv_on_metric(void *ctx, const struct cbench_history_run_row *r,
                         const struct cbench_history_metric_row *m)
{
	struct csv_export *x = ctx;
	struct cbench_buf *b = x->b;

	csv_text(b, r->run_id, false);
	csv_text(b, r->started_at, false);
	csv_text(b, r->platform, false);
	csv_text(b, r->run_type, false);
	csv_text(b, r->mode, false);
	csv_text(b, r->commit, false);
	csv_text(b, r->branch, false);
	csv_text(b, m->benchmark, false);
	csv_text(b, m->name, false);
	csv_number(b, m->value, false);
	csv_text(b, m->unit, false);
	csv_text(b, m->direction, false);
	csv_int(b, m->n);
	csv_number(b, m->min, false);
	csv_number(b, m->max, false);
	csv_number(b, m->mean, false);
	csv_number(b, m->median, false);
	csv_number(b, m->stddev, false);
	csv_number(b, m->iqr, false);
	csv_number(b, m->p95, false);
	csv_number(b, m->p99, false);
	csv_number(b, m->ci_low, false);
	csv_number(b, m->ci_high, false);
	csv_text(b, m->status, false);
	csv_number(b, m->baseline, false);
	csv_number(b, m->change, false);
	csv_number(b, m->threshold, true);
	return b->failed ? no_memory(x->err) : 0;
}

static int export_csv(struct cbench_history *h, const struct cbench_history_query *q,
                      struct cbench_buf *b, struct cbench_error *err)
{
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0), saved = (locale_t)0;
	struct csv_export x = { b, err };
	int rc;

	if (cbench_buf__adds(b, csv_header)) {
		if (c_locale)
			freelocale(c_locale);
		return no_memory(err);
	}
	if (c_locale)
		saved = uselocale(c_locale);
	rc = cbench_history__rows(h, q, csv_on_run, csv_on_metric, &x, err);
	if (c_locale) {
		uselocale(saved);
		freelocale(c_locale);
	}
	if (rc == 0 && b->failed)
		rc = no_memory(err);
	return rc;
}

int cbench_history__export(struct cbench_history *h, const char *platform,
                           const char *format, struct cbench_buf *b,
                           struct cbench_error *err)
{
	struct cbench_history_query q = { platform, 0, true };

	assert(h && format && b);
	if (strcmp(format, "json") == 0)
		return export_json(h, &q, b, err);
	if (strcmp(format, "csv") == 0)
		return export_csv(h, &q, b, err);
	return cbench_error__set(err, CBENCH_EUSAGE, "export format '%s' is not json or csv",
	                         format);
}
