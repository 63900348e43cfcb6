/*
 * --repetitions N: the selection runs N times, each pass in an order of its
 * own, so that a slow spell of the machine lands on different benchmarks
 * in each pass instead of on every repetition of one (docs/design.md,
 * "Repetitions"). The schedule is reproducible from its seed; the pooled
 * result of a benchmark takes the rounds of all its repetitions.
 */
#include "measure/repeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "measure/clock.h"
#include "measure/runner.h"
#include "stats/stats.h"

/* splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, every seed good. */
static uint64_t next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound), without modulo bias (Lemire's rejection). */
static size_t below(uint64_t *state, size_t bound)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound, x;

	do
		x = next(state);
	while (x >= limit);
	return (size_t)(x % bound);
}

uint64_t cbench_repeat__default_seed(void)
{
	uint64_t state = cbench_clock__monotonic_ns() ^ ((uint64_t)getpid() << 32) ^
	                 (uint64_t)time(NULL);

	return next(&state) & ((UINT64_C(1) << 53) - 1);
}

int cbench_repeat__schedule(size_t **out, size_t n, unsigned reps, uint64_t seed,
                            struct cbench_error *err)
{
	size_t total = n * reps, *order = malloc((total ? total : 1) * sizeof(*order));
	uint64_t state = seed;

	if (!order)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	for (unsigned r = 0; r < reps; r++) {
		size_t *pass = order + (size_t)r * n;

		for (size_t i = 0; i < n; i++)
			pass[i] = i;
		/* Fisher-Yates */
		for (size_t i = n; i > 1; i--) {
			size_t j = below(&state, i), t = pass[i - 1];

			pass[i - 1] = pass[j];
			pass[j] = t;
		}
	}
	*out = order;
	return 0;
}

/* How bad a status is: the pooled result keeps its worst repetition's. */
static int severity(enum cbench_status s)
{
	switch (s) {
	case CBENCH_STATUS_PASSED: return 0;
	case CBENCH_STATUS_SKIPPED: return 1;
	case CBENCH_STATUS_TARGET: return 2;
	case CBENCH_STATUS_FAILED: return 3;
	case CBENCH_STATUS_ERROR: return 4;
	}
	return 4;
}

/* The spread of the repetitions' medians. */
static void spread(struct cbench_repetitions *out, const double *medians, size_t n)
{
	double sum = 0, ss = 0, mean;

	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n == 0)
		return;
	out->min = out->max = medians[0];
	for (size_t i = 0; i < n; i++) {
		sum += medians[i];
		out->min = fmin(out->min, medians[i]);
		out->max = fmax(out->max, medians[i]);
	}
	mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (medians[i] - mean) * (medians[i] - mean);
	out->cv = n > 1 && mean != 0 ? sqrt(ss / (double)(n - 1)) / fabs(mean) : 0;
}

/* The repetitions of one benchmark, as pointers into the runs. */
struct reps {
	const struct cbench_result **v;
	size_t n;
};

/* Metric `name` pooled over the repetitions into *m (which owns its copies). */
static int pool_metric(struct cbench_metric *m, const struct cbench_metric *first,
                       const struct reps *r)
{
	size_t total = 0, k = 0, nmed = 0;
	double *samples, *medians = malloc((r->n ? r->n : 1) * sizeof(double));

	for (size_t i = 0; i < r->n; i++)
		for (size_t j = 0; j < r->v[i]->nmetrics; j++)
			if (strcmp(r->v[i]->metrics[j].name, first->name) == 0)
				total += r->v[i]->metrics[j].nsamples;
	samples = malloc((total ? total : 1) * sizeof(double));
	memset(m, 0, sizeof(*m));
	m->name = cbench__strdup(first->name);
	m->unit = cbench__strdup(first->unit);
	m->samples = samples;
	if (!samples || !medians || !m->name || !m->unit) {
		free(medians);
		return CBENCH_ENOMEM;
	}
	for (size_t i = 0; i < r->n; i++) {
		for (size_t j = 0; j < r->v[i]->nmetrics; j++) {
			const struct cbench_metric *x = &r->v[i]->metrics[j];

			if (strcmp(x->name, first->name) != 0 || x->nsamples == 0)
				continue;
			memcpy(samples + k, x->samples, x->nsamples * sizeof(double));
			k += x->nsamples;
			medians[nmed++] = x->stats.median;
		}
	}
	m->direction = first->direction;
	m->timing = first->timing;
	m->nsamples = k;
	if (cbench_stats__compute(&m->stats, samples, k) != 0) {
		free(medians);
		return CBENCH_ENOMEM;
	}
	m->value = m->stats.median;
	spread(&m->reps, medians, nmed);
	free(medians);
	return 0;
}

static bool has_metric(const struct cbench_metric *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

/* One benchmark's repetitions into *out. */
static int pool_one(struct cbench_result *out, const struct reps *r)
{
	const struct cbench_result *worst = r->v[0];
	struct cbench_metric *metrics;
	size_t cap = 0, nm = 0;
	int rc = 0;

	*out = *r->v[0];
	out->message = NULL;
	out->metrics = NULL;
	out->nmetrics = 0;
	out->iterations = 0;
	out->wall_time = out->cpu_time = 0;
	out->peak_rss = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct cbench_result *x = r->v[i];

		if (severity(x->status) > severity(worst->status))
			worst = x;
		cap += x->nmetrics;
		out->iterations += x->iterations;
		out->wall_time += x->wall_time;
		out->cpu_time += x->cpu_time;
		if (x->peak_rss > out->peak_rss)
			out->peak_rss = x->peak_rss;
	}
	out->status = worst->status;
	if (worst->message && !(out->message = cbench__strdup(worst->message)))
		return CBENCH_ENOMEM;
	metrics = calloc(cap ? cap : 1, sizeof(*metrics));
	if (!metrics)
		return CBENCH_ENOMEM;
	out->metrics = metrics;
	/* every name any repetition produced, in the order first seen */
	for (size_t i = 0; i < r->n && rc == 0; i++)
		for (size_t j = 0; j < r->v[i]->nmetrics && rc == 0; j++)
			if (!has_metric(metrics, nm, r->v[i]->metrics[j].name)) {
				rc = pool_metric(&metrics[nm], &r->v[i]->metrics[j], r);
				nm++;
			}
	out->nmetrics = nm;
	return rc;
}

int cbench_repeat__pool(struct cbench_result **out, size_t *nout,
                        const struct cbench_result *runs, size_t nruns, const size_t *order,
                        size_t n, struct cbench_error *err)
{
	struct cbench_result *pooled = calloc(n ? n : 1, sizeof(*pooled));
	struct reps r = { malloc((nruns ? nruns : 1) * sizeof(*r.v)), 0 };
	size_t done = 0;
	int rc = 0;

	if (!pooled || !r.v) {
		free(pooled);
		free(r.v);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	for (size_t b = 0; b < n && rc == 0; b++) {
		r.n = 0;
		for (size_t i = 0; i < nruns; i++)
			if (order[i] == b)
				r.v[r.n++] = &runs[i];
		if (r.n == 0)
			continue;
		rc = pool_one(&pooled[done++], &r);
	}
	free(r.v);
	if (rc) {
		cbench_runner__results_free(pooled, done);
		return cbench_error__set(err, rc, "out of memory");
	}
	*out = pooled;
	*nout = done;
	return 0;
}
