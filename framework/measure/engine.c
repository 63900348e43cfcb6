/*
 * The round protocol behind CBENCH_MEASURE.
 *
 * A benchmark's body runs in a loop of rounds; each round calls the
 * measured code `batch` times between two clock reads. Rounds go through
 * three phases: calibration (find the batch, when it is not given), warm-up
 * (rounds thrown away) and measurement (the samples). Only the measured
 * phase's hot path matters for overhead: it stores one tick count and
 * compares two integers.
 */
#include "measure/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/clock.h"
#include "base/util.h"

enum phase { PHASE_IDLE, PHASE_CALIBRATE, PHASE_WARMUP, PHASE_MEASURE, PHASE_DONE };

struct guard {
	jmp_buf env;
	enum cbench_status status;
	char *message;
	struct guard *prev;
};

struct engine {
	const struct cbench_engine_config *cfg;
	const struct cbench_engine_job *job;
	struct cbench_outcome *out;
	const struct cbench_clock *clock;
	uint64_t (*now)(void *);
	void *ctx;
	double tick_estimate;    /* seconds per tick, for calibration */
	enum phase phase;
	uint64_t batch;
	uint64_t start;          /* clock at the start of the current round */
	uint64_t paused;         /* ticks paused in the current round */
	uint64_t pause_at;       /* 0 when not paused */
	unsigned rounds;         /* measured rounds wanted */
	unsigned warmup_left;
	uint64_t *ticks;         /* measured rounds, pauses excluded */
	size_t nticks, cap;
	uint64_t measure_start;  /* clock at the first measured round */
	uint64_t measure_mono;   /* CLOCK_MONOTONIC then */
	uint64_t measured_total; /* sum of ticks */
	double target;           /* seconds a calibrated round should last */
	double cal_min;          /* fastest calibration round at the current batch */
	unsigned cal_n;          /* calibration rounds run at the current batch */
	char *tp_name, *tp_unit; /* cbench_throughput() */
	double tp_per_call;
	bool used;               /* CBENCH_MEASURE already ran */
	struct cbench_counters *counters; /* NULL: not counting */
	bool counting;           /* the counters' region is open */
	uint64_t *counts[CBENCH_COUNTERS_MAX]; /* per measured round, like ticks */
};

static struct engine *current;
static struct guard *guards;

static void fail_internal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void leave(enum cbench_status status, const char *fmt, va_list ap)
	__attribute__((noreturn));

static void leave(enum cbench_status status, const char *fmt, va_list ap)
{
	char text[1024];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (!guards) {
		/* Outside any benchmark or fixture: nothing to return to. */
		fprintf(stderr, "cbench: %s outside a benchmark: %s\n",
		        status == CBENCH_STATUS_SKIPPED ? "skip" : "failure", text);
		abort();
	}
	guards->status = status;
	guards->message = cbench__strdup(text);
	longjmp(guards->env, 1);
}

void cbench_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	leave(CBENCH_STATUS_SKIPPED, fmt, ap);
}

void cbench_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	leave(CBENCH_STATUS_FAILED, fmt, ap);
}

static void fail_internal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	leave(CBENCH_STATUS_ERROR, fmt, ap);
}

bool cbench_engine__guard(void (*fn)(void *), void *arg,
                          enum cbench_status *status, char **message)
{
	/* volatile: read after longjmp */
	struct guard g;
	volatile bool ok = true;

	g.status = CBENCH_STATUS_PASSED;
	g.message = NULL;
	g.prev = guards;
	guards = &g;
	if (setjmp(g.env) == 0)
		fn(arg);
	else
		ok = false;
	guards = g.prev;
	*status = ok ? CBENCH_STATUS_PASSED : g.status;
	*message = g.message;
	return ok;
}

#if !defined(__GNUC__) && !defined(__clang__)
void cbench_keep_ptr_(const volatile void *p)
{
	(void)p;
}
#endif

/* ---- rounds ------------------------------------------------------------ */

/* Makes room for `cap` rounds of ticks and of each counted event. */
static bool reserve(struct engine *e, size_t cap)
{
	size_t nc = e->counters ? cbench_counters__count(e->counters) : 0;
	uint64_t *p = realloc(e->ticks, cap * sizeof(*p));

	if (!p)
		return false;
	e->ticks = p;
	for (size_t i = 0; i < nc; i++) {
		p = realloc(e->counts[i], cap * sizeof(*p));
		if (!p)
			return false;
		e->counts[i] = p;
	}
	e->cap = cap;
	return true;
}

static void push_tick(struct engine *e, uint64_t t)
{
	if (e->nticks == e->cap && !reserve(e, e->cap ? e->cap * 2 : 128))
		fail_internal("out of memory recording round %zu", e->nticks);
	e->ticks[e->nticks++] = t;
}

/* The counters' region opens around the clock's in measured rounds only;
 * their reads stay outside the timed interval. */
static void counters_start(struct engine *e)
{
	if (e->counters && e->phase == PHASE_MEASURE) {
		cbench_counters__start(e->counters);
		e->counting = true;
	}
}

static void counters_stop(struct engine *e)
{
	uint64_t v[CBENCH_COUNTERS_MAX];

	if (!e->counting)
		return;
	e->counting = false;
	cbench_counters__stop(e->counters, v);
	/* Stored at the index push_tick is about to fill for this round. */
	if (e->nticks == e->cap && !reserve(e, e->cap ? e->cap * 2 : 128))
		fail_internal("out of memory recording round %zu", e->nticks);
	for (size_t i = 0; i < cbench_counters__count(e->counters); i++)
		e->counts[i][e->nticks] = v[i];
}

static void start_measuring(struct engine *e)
{
	e->phase = PHASE_MEASURE;
	e->measure_mono = cbench_clock__monotonic_ns();
	e->measure_start = e->now(e->ctx);
	if (e->rounds <= CBENCH_MAX_ROUNDS && e->cap < e->rounds && !reserve(e, e->rounds))
		fail_internal("out of memory reserving %u rounds", e->rounds);
}

static void after_calibration(struct engine *e)
{
	e->out->batch = e->batch;
	if (e->warmup_left > 0)
		e->phase = PHASE_WARMUP;
	else
		start_measuring(e);
}

/*
 * Chooses the next batch from a calibration round that took `busy` seconds
 * of measured time and `real` seconds with pauses. The first round only
 * primes (lazy symbol binding, page faults and cold caches can make it 1000
 * times slower than the rest). While a round is under a tenth of the target
 * the batch grows tenfold; within reach, two rounds are run at one batch
 * and the faster one is extrapolated from, so one interrupted round cannot
 * shrink the batch.
 */
static void calibrate(struct engine *e, double busy, double real)
{
	double factor;

	if (++e->out->calibration_rounds == 1)
		return;
	if (e->batch >= CBENCH_MAX_BATCH ||
	    e->out->calibration_rounds >= CBENCH_CALIBRATION_MAX_ROUNDS) {
		after_calibration(e);
		return;
	}
	if (busy < e->target / 10 && e->cal_n == 0) {
		/* Too short to extrapolate from: clock overhead dominates. */
		factor = 10;
	} else {
		if (e->cal_n == 0 || busy < e->cal_min)
			e->cal_min = busy;
		if (++e->cal_n < 2)
			return;
		factor = e->cal_min > 0 ? e->target / e->cal_min * 1.05 : 10;
	}
	/* A body that pauses most of the time must not get a batch whose
	 * real duration explodes: keep a round under 10 targets of real time. */
	if (real * factor > 10 * e->target)
		factor = fmax(1.0, 10 * e->target / real);
	if (factor > 1.0) {
		e->batch = (uint64_t)ceil((double)e->batch * factor);
		if (e->batch > CBENCH_MAX_BATCH)
			e->batch = CBENCH_MAX_BATCH;
	}
	if (e->cal_n >= 2 || factor <= 1.0)
		after_calibration(e);
}

static bool measured_enough(struct engine *e, uint64_t now)
{
	const struct cbench_engine_config *cfg = e->cfg;
	double elapsed;

	if (e->nticks >= CBENCH_MAX_ROUNDS)
		return true;
	if (e->nticks < e->rounds) {
		if (!cfg->rounds_default || e->nticks < cfg->min_rounds)
			return false;
		/* Default round count: stop early when over the time budget. */
		elapsed = (double)(now - e->measure_start) * e->tick_estimate;
		return elapsed >= cfg->max_time;
	}
	/* With a batch and a min_time given, min_time is reached by measuring
	 * more rounds; a calibrated batch reaches it by construction. */
	if (cfg->batch != 0 && cfg->min_time_given) {
		elapsed = (double)e->measured_total * e->tick_estimate;
		return elapsed >= cfg->min_time || e->nticks >= 100u * (size_t)e->rounds;
	}
	return true;
}

/* Ends the current round; returns whether another round follows. */
static bool end_round(struct engine *e, uint64_t t)
{
	uint64_t real = t - e->start;
	uint64_t busy = real - e->paused;

	if (e->pause_at) {
		fail_internal("cbench_pause() without cbench_resume() in a round");
	}
	switch (e->phase) {
	case PHASE_MEASURE:
		push_tick(e, busy);
		e->measured_total += busy;
		if (measured_enough(e, t))
			e->phase = PHASE_DONE;
		break;
	case PHASE_WARMUP:
		e->out->warmup++;
		if (--e->warmup_left == 0)
			start_measuring(e);
		break;
	case PHASE_CALIBRATE:
		calibrate(e, (double)busy * e->tick_estimate,
		          (double)real * e->tick_estimate);
		break;
	default:
		break;
	}
	if (e->cfg->stop && *e->cfg->stop) {
		e->out->interrupted = true;
		e->phase = PHASE_DONE;
	}
	return e->phase != PHASE_DONE;
}

uint64_t cbench_round_begin_(void)
{
	struct engine *e = current;

	if (!e) {
		fprintf(stderr, "cbench: CBENCH_MEASURE outside a benchmark\n");
		abort();
	}
	if (e->used)
		fail_internal("CBENCH_MEASURE ran twice in one benchmark");
	e->used = true;
	if (e->cfg->batch) {
		e->batch = e->cfg->batch;
		after_calibration(e);
	} else {
		e->batch = 1;
		e->phase = PHASE_CALIBRATE;
	}
	if (e->phase == PHASE_MEASURE && e->rounds == 0) {
		e->phase = PHASE_DONE;
		return 0;
	}
	e->paused = 0;
	counters_start(e);
	e->start = e->now(e->ctx);
	return e->batch;
}

uint64_t cbench_round_next_(void)
{
	struct engine *e = current;
	uint64_t t = e->now(e->ctx);

	counters_stop(e);
	if (!end_round(e, t))
		return 0;
	e->paused = 0;
	counters_start(e);
	e->start = e->now(e->ctx);
	return e->batch;
}

void cbench_pause(void)
{
	struct engine *e = current;

	if (e && e->phase != PHASE_IDLE && e->phase != PHASE_DONE && !e->pause_at) {
		e->pause_at = e->now(e->ctx);
		if (e->counting)
			cbench_counters__pause(e->counters);
	}
}

void cbench_resume(void)
{
	struct engine *e = current;

	if (e && e->pause_at) {
		if (e->counting)
			cbench_counters__resume(e->counters);
		e->paused += e->now(e->ctx) - e->pause_at;
		e->pause_at = 0;
	}
}

/* ---- context for the body ---------------------------------------------- */

const char *cbench_param(void)
{
	return current ? current->job->param : NULL;
}

long long cbench_param_int(void)
{
	const char *p = cbench_param();

	return p ? strtoll(p, NULL, 10) : 0;
}

size_t cbench_param_index(void)
{
	return current ? current->job->param_index : 0;
}

void *cbench_fixture(const char *name)
{
	const struct cbench_engine_job *job;

	if (!current)
		fail_internal("cbench_fixture(\"%s\") outside a benchmark", name);
	job = current->job;
	for (size_t i = 0; i < job->nfixtures; i++)
		if (strcmp(job->fixture_names[i], name) == 0)
			return job->fixture_values[i];
	cbench_fail("fixture \"%s\" is not listed in .fixtures", name);
}

void cbench_metric(const char *name, double value, const char *unit,
                   enum cbench_direction direction)
{
	struct engine *e = current;
	struct cbench_outcome *out;
	struct cbench_custom *m = NULL;
	char *full;

	if (!e)
		fail_internal("cbench_metric(\"%s\") outside a benchmark", name);
	if (!name || !*name)
		cbench_fail("cbench_metric() needs a name");
	out = e->out;
	if (e->job->param && !strchr(name, '['))
		full = cbench__asprintf("%s[%s]", name, e->job->param);
	else
		full = cbench__strdup(name);
	if (!full)
		fail_internal("out of memory");
	for (size_t i = 0; i < out->ncustom; i++)
		if (strcmp(out->custom[i].name, full) == 0)
			m = &out->custom[i];
	if (m) {
		free(full);
		if (m->direction != direction)
			cbench_fail("metric \"%s\" recorded with both directions", m->name);
	} else {
		struct cbench_custom *p = realloc(out->custom,
		                                  (out->ncustom + 1) * sizeof(*p));

		if (!p)
			fail_internal("out of memory");
		out->custom = p;
		m = &p[out->ncustom++];
		memset(m, 0, sizeof(*m));
		m->name = full;
		m->unit = cbench__strdup(unit ? unit : "");
		m->direction = direction;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		double *v = realloc(m->values, cap * sizeof(*v));

		if (!v)
			fail_internal("out of memory");
		m->values = v;
		m->cap = cap;
	}
	m->values[m->n++] = value;
}

void cbench_throughput(const char *name, double per_call, const char *unit)
{
	struct engine *e = current;

	if (!e)
		fail_internal("cbench_throughput(\"%s\") outside a benchmark", name);
	if (!name || !*name || !(per_call > 0))
		cbench_fail("cbench_throughput() needs a name and a positive amount");
	free(e->tp_name);
	free(e->tp_unit);
	if (e->job->param && !strchr(name, '['))
		e->tp_name = cbench__asprintf("%s[%s]", name, e->job->param);
	else
		e->tp_name = cbench__strdup(name);
	e->tp_unit = cbench__strdup(unit ? unit : "/s");
	e->tp_per_call = per_call;
	if (!e->tp_name || !e->tp_unit)
		fail_internal("out of memory");
}

/* The throughput metric, one value per measured round. */
static void add_throughput(struct engine *e)
{
	struct cbench_outcome *out = e->out;
	struct cbench_custom *p, *m;

	if (!e->tp_name || out->nsamples == 0)
		return;
	p = realloc(out->custom, (out->ncustom + 1) * sizeof(*p));
	if (!p)
		return;
	out->custom = p;
	m = &p[out->ncustom];
	memset(m, 0, sizeof(*m));
	m->values = malloc(out->nsamples * sizeof(double));
	if (!m->values)
		return;
	for (size_t i = 0; i < out->nsamples; i++)
		m->values[i] = out->samples[i] > 0 ? e->tp_per_call / out->samples[i] : 0;
	m->n = m->cap = out->nsamples;
	m->name = e->tp_name;
	m->unit = e->tp_unit;
	m->direction = CBENCH_HIGHER_IS_BETTER;
	e->tp_name = e->tp_unit = NULL;
	out->ncustom++;
}

/* One metric per counted event, per call, one value per measured round. */
static void add_counts(struct engine *e)
{
	struct cbench_outcome *out = e->out;
	size_t nc = e->counters ? cbench_counters__count(e->counters) : 0;
	struct cbench_custom *p, *m;

	if (nc == 0 || e->nticks == 0 || e->batch == 0)
		return;
	p = realloc(out->custom, (out->ncustom + nc) * sizeof(*p));
	if (!p)
		return;
	out->custom = p;
	for (size_t i = 0; i < nc; i++) {
		m = &p[out->ncustom];
		memset(m, 0, sizeof(*m));
		m->values = malloc(e->nticks * sizeof(double));
		m->name = cbench__asprintf("%s.%s", e->job->metric ? e->job->metric : "",
		                           cbench_counters__event(e->counters, i));
		m->unit = cbench__strdup(cbench_counters__unit(e->counters, i));
		if (!m->values || !m->name || !m->unit) {
			free(m->values);
			free(m->name);
			free(m->unit);
			return;
		}
		for (size_t r = 0; r < e->nticks; r++)
			m->values[r] = (double)e->counts[i][r] / (double)e->batch;
		m->n = m->cap = e->nticks;
		m->direction = CBENCH_LOWER_IS_BETTER;
		out->ncustom++;
	}
}

/* ---- one job ------------------------------------------------------------ */

static void call_void(void *fn)
{
	void (*f)(void);

	memcpy(&f, &fn, sizeof(f));
	f();
}

static bool guarded(struct engine *e, void (*f)(void))
{
	enum cbench_status status;
	char *message;
	void *p;

	memcpy(&p, &f, sizeof(p));
	if (cbench_engine__guard(call_void, p, &status, &message))
		return true;
	if (e->out->status == CBENCH_STATUS_PASSED) {
		e->out->status = status;
		e->out->message = message;
	} else {
		free(message);
	}
	return false;
}

static void finish_samples(struct engine *e)
{
	struct cbench_outcome *out = e->out;
	double tick;
	uint64_t mono, ticks;

	if (e->nticks == 0)
		return;
	tick = e->tick_estimate;
	if (e->clock->tick_seconds <= 0) {
		/* Rate over this benchmark's own duration: more precise than the
		 * process-wide estimate, and immune to its drift. */
		mono = cbench_clock__monotonic_ns() - e->measure_mono;
		ticks = e->now(e->ctx) - e->measure_start;
		if (mono >= 1000000u && ticks > 0)
			tick = (double)mono * 1e-9 / (double)ticks;
	}
	out->samples = malloc(e->nticks * sizeof(double));
	if (!out->samples) {
		out->status = CBENCH_STATUS_ERROR;
		out->message = cbench__strdup("out of memory converting samples");
		return;
	}
	for (size_t i = 0; i < e->nticks; i++)
		out->samples[i] = (double)e->ticks[i] * tick / (double)e->batch;
	out->nsamples = e->nticks;
	out->measure_seconds = (double)(e->now(e->ctx) - e->measure_start) * tick;
}

void cbench_engine__run(struct cbench_outcome *out,
                        const struct cbench_engine_config *cfg,
                        const struct cbench_engine_job *job)
{
	struct engine e;
	struct engine *saved = current;

	memset(out, 0, sizeof(*out));
	memset(&e, 0, sizeof(e));
	e.cfg = cfg;
	e.job = job;
	e.out = out;
	e.clock = cfg->clock;
	e.now = cfg->clock->now;
	e.ctx = cfg->clock->ctx;
	e.tick_estimate = cbench_clock__tick_seconds(cfg->clock);
	e.rounds = cfg->rounds;
	e.warmup_left = cfg->warmup;
	e.target = cfg->rounds ? cfg->min_time / cfg->rounds : cfg->min_time;
	if (e.target < CBENCH_MIN_ROUND_SECONDS)
		e.target = CBENCH_MIN_ROUND_SECONDS;
	out->batch = cfg->batch;
	if (cfg->counters != CBENCH_COUNTERS_NONE) {
		struct cbench_error err;

		if (cbench_counters__new(&e.counters, cfg->counters, &err) != 0) {
			out->status = CBENCH_STATUS_ERROR;
			out->message = cbench__strdup(err.text);
			return;
		}
	}

	current = &e;
	if (!job->setup || guarded(&e, job->setup)) {
		if (guarded(&e, job->run) && !e.used) {
			out->status = CBENCH_STATUS_ERROR;
			out->message = cbench__strdup("the body never ran CBENCH_MEASURE");
		}
		if (job->teardown)
			guarded(&e, job->teardown);
	}
	current = saved;

	finish_samples(&e);
	if (!cfg->no_time)
		add_throughput(&e);
	add_counts(&e);
	cbench_counters__free(e.counters);
	for (size_t i = 0; i < CBENCH_COUNTERS_MAX; i++)
		free(e.counts[i]);
	free(e.ticks);
	free(e.tp_name);
	free(e.tp_unit);
	if (out->interrupted && out->status == CBENCH_STATUS_PASSED) {
		out->status = CBENCH_STATUS_ERROR;
		out->message = cbench__asprintf("interrupted after %zu of %u rounds",
		                                out->nsamples, cfg->rounds);
	}
}

void cbench_outcome__clear(struct cbench_outcome *out)
{
	if (!out)
		return;
	free(out->message);
	free(out->samples);
	for (size_t i = 0; i < out->ncustom; i++) {
		free(out->custom[i].name);
		free(out->custom[i].unit);
		free(out->custom[i].values);
	}
	free(out->custom);
	memset(out, 0, sizeof(*out));
}
