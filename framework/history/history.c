/*
 * The run history (docs/history.md): the functions the rest of cbench
 * calls, forwarded to the backend that holds the database (history/
 * backend.h; SQLite in sqlite.c). What a run becomes as rows, and what
 * rows become as listings, trends, series and results documents, is
 * decided here once for every backend: listings, trends and the series of
 * the last runs here; exports in export.c, the newest run in latest.c, the
 * dashboard's series in trends.c.
 */
#include "history/history.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/time.h"
#include "base/util.h"
#include "history/backend.h"
#include "measure/clock.h"
#include "model/context.h"
#include "model/run.h"

struct cbench_history {
	const struct cbench_history_backend *backend;
	void *self;
	char *location;
};

/* The backends, tried in order: the first that accepts a location opens
 * it. SQLite takes every path, so it comes last. */
static const struct cbench_history_backend *const backends[] = {
	&cbench_history_postgres,
	&cbench_history_sqlite,
};

#define NBACKENDS (sizeof(backends) / sizeof(backends[0]))

const char *cbench_history__default_path(void)
{
	const char *env = getenv("PERFORMANCE_DB_PATH");

	return env && *env ? env : CBENCH_DEFAULT_DB;
}

int cbench_history__schema_version(void)
{
	return cbench_history_sqlite.schema_version();
}

int cbench_history__backend_schema(const struct cbench_history *h)
{
	return h->backend->schema_version();
}

char *cbench_history__mask(const char *location)
{
	size_t size = strlen(location) + 64;
	char *out = malloc(size);

	/* one rule for every secret in a location: base/util.c */
	if (out)
		cbench__redact_location(out, size, location);
	return out;
}

static int no_memory(struct cbench_error *err)
{
	return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
}

static int open_at(struct cbench_history **out, const char *path, bool create,
                   struct cbench_error *err)
{
	const struct cbench_history_backend *be = NULL;
	struct cbench_history *h;
	int rc;

	assert(out && path);
	*out = NULL;
	if (!path[0])
		return cbench_error__set(err, CBENCH_EUSAGE, "the history database path is empty");
	for (size_t i = 0; i < NBACKENDS && !be; i++)
		if (backends[i]->accepts(path))
			be = backends[i];
	if (!be || be->version != CBENCH_HISTORY_BACKEND_VERSION) {
		char *shown = cbench_history__mask(path);

		rc = !be ? cbench_error__set(err, CBENCH_EUSAGE,
		                             "%s: no history backend for this location",
		                             shown ? shown : "?")
		         : cbench_error__set(err, CBENCH_ERROR,
		                             "%s: the %s backend is of version %u, not %d",
		                             shown ? shown : "?", be->name, be->version,
		                             CBENCH_HISTORY_BACKEND_VERSION);
		free(shown);
		return rc;
	}
	h = calloc(1, sizeof(*h));
	/* the location named in messages: never with its password */
	if (!h || !(h->location = cbench_history__mask(path))) {
		free(h);
		return no_memory(err);
	}
	h->backend = be;
	if ((rc = be->open(&h->self, path, create, err))) {
		free(h->location);
		free(h);
		return rc;
	}
	*out = h;
	return 0;
}

int cbench_history__open(struct cbench_history **out, const char *path,
                         struct cbench_error *err)
{
	return open_at(out, path, true, err);
}

int cbench_history__open_existing(struct cbench_history **out, const char *path,
                                  struct cbench_error *err)
{
	return open_at(out, path, false, err);
}

void cbench_history__close(struct cbench_history *h)
{
	if (!h)
		return;
	h->backend->close(h->self);
	free(h->location);
	free(h);
}

const char *cbench_history__location(const struct cbench_history *h)
{
	return h->location;
}

int cbench_history__rows(struct cbench_history *h, const struct cbench_history_query *q,
                         cbench_history_run_fn on_run, cbench_history_metric_fn on_metric,
                         void *ctx, struct cbench_error *err)
{
	return h->backend->runs(h->self, q, on_run, on_metric, ctx, err);
}


static double now_or(double now)
{
	return now != 0 ? now : cbench_clock__wall();
}

/* The start of a period of `days` before `now`; days <= 0: everything. */
static double since(double days, double now)
{
	return days > 0 ? now - days * 86400 : -1e300;
}

/* ---- Recording --------------------------------------------------------- */

/* A metric of a run as its row. */
static void metric_row(struct cbench_history_metric_row *row, const struct cbench_result *r,
                       const struct cbench_metric *m)
{
	const struct cbench_stats *s = &m->stats;
	bool compared = m->cmp.verdict != CBENCH_VERDICT_NEW && isfinite(m->cmp.baseline);

	row->benchmark = r->id ? r->id : "";
	row->name = m->name ? m->name : "";
	row->value = m->value;
	row->unit = m->unit;
	row->direction = cbench_run__direction_name(m->direction);
	row->timing = m->timing;
	row->bench_status = cbench_status_name(r->status);
	row->n = (int64_t)s->n;
	row->min = s->n ? s->min : NAN;
	row->max = s->n ? s->max : NAN;
	row->mean = s->n ? s->mean : NAN;
	row->median = s->n ? s->median : NAN;
	row->stddev = s->n > 1 ? s->stddev : NAN;
	row->iqr = s->n ? s->iqr : NAN;
	row->p95 = s->n ? s->p95 : NAN;
	row->p99 = s->n ? s->p99 : NAN;
	row->ci_low = s->n ? s->ci_low : NAN;
	row->ci_high = s->n ? s->ci_high : NAN;
	row->status = cbench_verdict_name(m->cmp.verdict);
	row->baseline = compared ? m->cmp.baseline : NAN;
	row->change = compared ? m->cmp.change : NAN;
	row->threshold = compared ? m->cmp.threshold : NAN;
}

/* The environment's columns; -1 (not known) is NULL. */
static void environment_row(struct cbench_history_run_row *row, const struct cbench_run *run)
{
	const struct cbench_environment *e = &run->env;

	row->governor = run->platform.governor[0] ? run->platform.governor : NULL;
	if (e->repetitions == 0) {
		/* not recorded (a file from before): nothing known */
		row->turbo = row->aslr = row->optimized = row->pinned_cpu = CBENCH_HISTORY_NULL;
		row->repetitions = row->seed = CBENCH_HISTORY_NULL;
		row->load_avg = NAN;
		return;
	}
	row->turbo = e->turbo < 0 ? CBENCH_HISTORY_NULL : e->turbo;
	row->aslr = e->aslr < 0 ? CBENCH_HISTORY_NULL : e->aslr;
	row->load_avg = e->load_avg < 0 ? NAN : e->load_avg;
	row->optimized = e->optimized < 0 ? CBENCH_HISTORY_NULL : e->optimized;
	row->pinned_cpu = e->cpu < 0 ? CBENCH_HISTORY_NULL : e->cpu;
	row->repetitions = e->repetitions;
	row->seed = e->repetitions > 1 ? (int64_t)e->seed : CBENCH_HISTORY_NULL;
}

int cbench_history__record(struct cbench_history *h, const struct cbench_run *run,
                           const char *run_type, bool *out_new,
                           struct cbench_error *err)
{
	const struct cbench_git *g = &run->git;
	struct cbench_history_run_row row;
	struct cbench_history_metric_row *metrics = NULL;
	char id[40], sig[16], now[32], *pjson;
	size_t nmetrics = 0, k = 0;
	bool is_new = false;
	json_t *pj;
	double t;
	int rc;

	assert(h && run);
	if (out_new)
		*out_new = false;
	if (!run_type || !run_type[0])
		run_type = run->run_type && run->run_type[0] ? run->run_type : "manual";
	if (!cbench_run__valid_type(run_type))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: run type '%s' is not ci, nightly or manual",
		                         h->location, run_type);
	if (!cbench__iso8601_parse(run->started_at, &t))
		return cbench_error__set(err, CBENCH_EPARSE,
		                         "%s: the run's started_at '%s' is not an ISO-8601 UTC time",
		                         h->location, run->started_at);
	cbench_run__id(id, run);
	for (size_t i = 0; i < run->nresults; i++)
		nmetrics += run->results[i].nmetrics;
	pj = cbench_context__platform_to_json(&run->platform);
	pjson = pj ? json_dumps(pj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(pj);
	metrics = malloc((nmetrics ? nmetrics : 1) * sizeof(*metrics));
	if (!pjson || !metrics) {
		free(pjson);
		free(metrics);
		return no_memory(err);
	}
	for (size_t i = 0; i < run->nresults; i++)
		for (size_t j = 0; j < run->results[i].nmetrics; j++)
			metric_row(&metrics[k++], &run->results[i], &run->results[i].metrics[j]);
	cbench_run__signal_name(sig, run->interrupted);
	cbench__iso8601(now, (double)time(NULL));
	memset(&row, 0, sizeof(row));
	row.run_id = id;
	row.started_at = run->started_at;
	row.t = t;
	row.platform = run->platform.id;
	row.platform_json = pjson;
	row.run_type = run_type;
	row.mode = run->mode;
	row.clock = run->clock;
	row.commit = g->present ? g->commit : NULL;
	row.short_commit = g->present ? g->short_commit : NULL;
	row.branch = g->present ? g->branch : NULL;
	row.dirty = g->present ? (int64_t)g->dirty : CBENCH_HISTORY_NULL;
	row.commit_time = g->present && g->commit_time ? g->commit_time : CBENCH_HISTORY_NULL;
	row.subject = g->present ? g->subject : NULL;
	row.hostname = run->platform.hostname;
	row.compiler = run->platform.compiler;
	row.cflags = run->platform.cflags;
	row.cbench_version = run->cbench_version;
	row.duration = run->duration;
	row.interrupted = sig[0] ? sig : NULL;
	row.selected = (int64_t)run->selected;
	row.nmetrics = (int64_t)nmetrics;
	row.regressions = (int64_t)run->regressions;
	row.improvements = (int64_t)run->improvements;
	row.targets_missed = (int64_t)run->targets_missed;
	row.compare_stat = run->compared ? run->compare_stat : NULL;
	row.threshold = run->compared ? run->threshold : NAN;
	row.recorded_at = now;
	environment_row(&row, run);
	rc = h->backend->record(h->self, &row, metrics, nmetrics, &is_new, err);
	free(pjson);
	free(metrics);
	if (rc == 0 && out_new)
		*out_new = is_new;
	return rc;
}

/* ---- Reading ----------------------------------------------------------- */

int cbench_history__stats(struct cbench_history *h, struct cbench_history_stats *out,
                          struct cbench_error *err)
{
	return h->backend->stats(h->self, out, err);
}

/* A run row as the listing's struct. */
static void list_run(struct cbench_history_run *r, const struct cbench_history_run_row *row)
{
#define COPY(field, value) snprintf(r->field, sizeof(r->field), "%s", (value) ? (value) : "")
	memset(r, 0, sizeof(*r));
	r->id = row->id;
	COPY(run_id, row->run_id);
	COPY(started_at, row->started_at);
	COPY(platform, row->platform);
	COPY(run_type, row->run_type);
	COPY(mode, row->mode);
	COPY(commit, row->commit);
	COPY(branch, row->branch);
	r->dirty = row->dirty != CBENCH_HISTORY_NULL && row->dirty != 0;
	COPY(hostname, row->hostname);
	COPY(compiler, row->compiler);
	COPY(cbench_version, row->cbench_version);
	r->nmetrics = row->nmetrics == CBENCH_HISTORY_NULL ? 0 : row->nmetrics;
	r->regressions = row->regressions == CBENCH_HISTORY_NULL ? 0 : row->regressions;
#undef COPY
}

struct run_list {
	struct cbench_history_run *runs;
	size_t n, cap;
	struct cbench_error *err;
};

static int list_on_run(void *ctx, const struct cbench_history_run_row *row)
{
	struct run_list *l = ctx;
	struct cbench_history_run *p = cbench__grow(l->runs, &l->cap, l->n, sizeof(*l->runs));

	if (!p)
		return no_memory(l->err);
	l->runs = p;
	list_run(&l->runs[l->n++], row);
	return 0;
}

int cbench_history__runs(struct cbench_history *h, const char *platform, size_t limit,
                         struct cbench_history_run **out, size_t *n,
                         struct cbench_error *err)
{
	struct cbench_history_query q = { platform, limit, false };
	struct run_list l = { NULL, 0, 0, err };
	int rc;

	*out = NULL;
	*n = 0;
	rc = cbench_history__rows(h, &q, list_on_run, NULL, &l, err);
	if (rc) {
		free(l.runs);
		return rc;
	}
	*out = l.runs;
	*n = l.n;
	return 0;
}

struct point_list {
	struct cbench_history_point *points;
	size_t n, cap;
	struct cbench_error *err;
};

static int on_point(void *ctx, const struct cbench_history_point *p)
{
	struct point_list *l = ctx;
	struct cbench_history_point *a = cbench__grow(l->points, &l->cap, l->n, sizeof(*a));

	if (!a)
		return no_memory(l->err);
	l->points = a;
	l->points[l->n++] = *p;
	return 0;
}

int cbench_history__trend(struct cbench_history *h, const char *metric,
                          const char *platform, double days, double now,
                          struct cbench_history_point **out, size_t *n,
                          struct cbench_error *err)
{
	struct point_list l = { NULL, 0, 0, err };
	int rc;

	assert(metric);
	*out = NULL;
	*n = 0;
	now = now_or(now);
	rc = h->backend->trend(h->self, metric, platform, since(days, now), now, on_point, &l,
	                       err);
	if (rc) {
		free(l.points);
		return rc;
	}
	*out = l.points;
	*n = l.n;
	return 0;
}

void cbench_history__free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

struct name_list {
	char **names;
	size_t n, cap;
	struct cbench_error *err;
};

static int on_name(void *ctx, const char *name)
{
	struct name_list *l = ctx;
	char **p = cbench__grow(l->names, &l->cap, l->n, sizeof(*p));

	if (p)
		l->names = p;
	if (!p || !(l->names[l->n] = cbench__strdup(name ? name : "")))
		return no_memory(l->err);
	l->n++;
	return 0;
}

int cbench_history__metric_names(struct cbench_history *h, double days, double now,
                                 const char *const *platforms, size_t nplatforms,
                                 char ***out, size_t *n, struct cbench_error *err)
{
	struct name_list l = { NULL, 0, 0, err };
	int rc;

	*out = NULL;
	*n = 0;
	now = now_or(now);
	rc = h->backend->metric_names(h->self, since(days, now), now, platforms,
	                              platforms ? nplatforms : 0, on_name, &l, err);
	if (rc) {
		cbench_history__free_names(l.names, l.n);
		return rc;
	}
	*out = l.names;
	*n = l.n;
	return 0;
}

/* ---- The last runs of a platform --------------------------------------- */

void cbench_history__free_series(struct cbench_history_series *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++) {
		free(s[i].name);
		free(s[i].unit);
		free(s[i].values);
	}
	free(s);
}

/* The series of `name`: runs usually list their metrics in the same order,
 * so the one after the last found is tried first. SIZE_MAX when new. */
static size_t find_series(const struct cbench_history_series *s, size_t n, size_t hint,
                          const char *name)
{
	if (hint < n && strcmp(s[hint].name, name) == 0)
		return hint;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

static int add_value(struct cbench_history_series *s, double v)
{
	/* values grow by doubling from 4: n is a power of two when full */
	if (s->n >= 4 && (s->n & (s->n - 1)) == 0) {
		double *p = realloc(s->values, 2 * s->n * sizeof(*p));

		if (!p)
			return CBENCH_ENOMEM;
		s->values = p;
	}
	s->values[s->n++] = v;
	return 0;
}

struct last_runs {
	struct cbench_history_series *series;
	size_t n, cap, hint, nruns;
	struct cbench_history_run *newest;
	struct cbench_error *err;
};

static int last_on_run(void *ctx, const struct cbench_history_run_row *row)
{
	struct last_runs *l = ctx;

	if (l->nruns++ == 0 && l->newest)
		list_run(l->newest, row);
	l->hint = 0;
	return 0;
}

static int last_on_metric(void *ctx, const struct cbench_history_run_row *row,
                          const struct cbench_history_metric_row *m)
{
	struct last_runs *l = ctx;
	const char *name = m->name ? m->name : "";
	size_t i;

	(void)row;
	if (isnan(m->value))
		return 0;
	i = find_series(l->series, l->n, l->hint, name);
	if (i == SIZE_MAX) {
		struct cbench_history_series *s = cbench__grow(l->series, &l->cap, l->n, sizeof(*s));

		if (!s)
			return no_memory(l->err);
		l->series = s;
		s = &l->series[l->n];
		memset(s, 0, sizeof(*s));
		s->name = cbench__strdup(name);
		s->unit = cbench__strdup(m->unit ? m->unit : "");
		s->direction = cbench_run__direction_of(m->direction);
		s->values = malloc(4 * sizeof(double));
		i = l->n++;
		if (!s->name || !s->unit || !s->values)
			return no_memory(l->err);
	}
	if (add_value(&l->series[i], m->value))
		return no_memory(l->err);
	l->hint = i + 1;
	return 0;
}

int cbench_history__last_runs(struct cbench_history *h, const char *platform, size_t n,
                              size_t *runs, struct cbench_history_series **out,
                              size_t *nseries, struct cbench_history_run *newest,
                              struct cbench_error *err)
{
	struct cbench_history_query q = { platform, n, false };
	struct last_runs l = { NULL, 0, 0, 0, 0, newest, err };
	int rc;

	*runs = 0;
	*out = NULL;
	*nseries = 0;
	if (newest)
		memset(newest, 0, sizeof(*newest));
	if (n == 0)
		return 0;
	rc = cbench_history__rows(h, &q, last_on_run, last_on_metric, &l, err);
	if (rc) {
		cbench_history__free_series(l.series, l.n);
		if (newest)
			memset(newest, 0, sizeof(*newest));
		return rc;
	}
	*runs = l.nruns;
	*out = l.series;
	*nseries = l.n;
	return 0;
}

/* ---- Copying between databases ----------------------------------------- */

/*
 * A run read from one database, held until its last metric has been read
 * and it can be recorded in the other: the source's strings live only
 * during its callbacks, so everything is copied.
 */
struct copy {
	struct cbench_history *dst;
	struct cbench_history_run_row run;
	struct cbench_history_metric_row *metrics;
	size_t n, cap;
	bool pending;
	size_t added, present;
	struct cbench_error *err;
};

/* The row's strings, each copied (NULL stays NULL); false when out of
 * memory. */
static bool dup_strings(const char **const *fields, size_t n)
{
	bool ok = true;

	for (size_t i = 0; i < n; i++) {
		const char **f = (const char **)fields[i];

		if (*f && !(*f = cbench__strdup(*f)))
			ok = false;
	}
	return ok;
}

static void free_strings(const char **const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char **f = (const char **)fields[i];

		free((char *)*f);
		*f = NULL;
	}
}

#define RUN_STRINGS CBENCH_HISTORY_RUN_STRINGS
#define METRIC_STRINGS CBENCH_HISTORY_METRIC_STRINGS
#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

static void copy_clear(struct copy *c)
{
	const char **const run[] = RUN_STRINGS(&c->run);

	for (size_t i = 0; i < c->n; i++) {
		const char **const m[] = METRIC_STRINGS(&c->metrics[i]);

		free_strings(m, NFIELDS(m));
	}
	free_strings(run, NFIELDS(run));
	c->n = 0;
	c->pending = false;
}

/* Records the run held, if any. */
static int copy_flush(struct copy *c)
{
	bool is_new = false;
	int rc;

	if (!c->pending)
		return 0;
	rc = c->dst->backend->record(c->dst->self, &c->run, c->metrics, c->n, &is_new, c->err);
	if (rc == 0 && is_new)
		c->added++;
	else if (rc == 0)
		c->present++;
	copy_clear(c);
	return rc;
}

static int copy_on_run(void *ctx, const struct cbench_history_run_row *row)
{
	struct copy *c = ctx;
	const char **const run[] = RUN_STRINGS(&c->run);
	int rc;

	if ((rc = copy_flush(c)))
		return rc;
	c->run = *row;
	c->pending = true;
	if (!dup_strings(run, NFIELDS(run)))
		return no_memory(c->err);
	return 0;
}

static int copy_on_metric(void *ctx, const struct cbench_history_run_row *row,
                          const struct cbench_history_metric_row *metric)
{
	struct copy *c = ctx;
	struct cbench_history_metric_row *p = cbench__grow(c->metrics, &c->cap, c->n, sizeof(*p));

	(void)row;
	if (!p)
		return no_memory(c->err);
	c->metrics = p;
	p[c->n] = *metric;
	{
		const char **const m[] = METRIC_STRINGS(&p[c->n]);

		c->n++;
		if (!dup_strings(m, NFIELDS(m)))
			return no_memory(c->err);
	}
	return 0;
}

int cbench_history__copy(struct cbench_history *dst, struct cbench_history *src,
                         size_t *added, size_t *present, struct cbench_error *err)
{
	struct cbench_history_query q = { NULL, 0, true };
	struct copy c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.dst = dst;
	c.err = err;
	rc = cbench_history__rows(src, &q, copy_on_run, copy_on_metric, &c, err);
	if (rc == 0)
		rc = copy_flush(&c);
	copy_clear(&c);
	free(c.metrics);
	*added = c.added;
	*present = c.present;
	return rc;
}
