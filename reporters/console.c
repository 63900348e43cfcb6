/*
 * The display: a progress line while running (on a terminal), then a table
 * of results in human units, warnings and a summary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "reporters/console.h"
#include "reporters/units.h"
#include "base/error.h"

struct console {
	FILE *out;
	struct cbench_report_config config;
	const struct cbench_result **results;
	size_t n, cap;
	bool owns;
};

#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *paint(const struct console *c, const char *code)
{
	return c->config.color ? code : "";
}

static void value_text(char *out, size_t size, const struct cbench_metric *m, double v)
{
	char num[64];

	if (cbench_units__value(num, sizeof(num), m->unit, v))
		snprintf(out, size, "%s %s", num, m->unit);
	else
		snprintf(out, size, "%s", num);
}

/* "+4.2%", "-25.0% improvement", "+30.0% REGRESSION", "new": the metric
 * against its baseline, for the table's last column. */
static void verdict_text(const struct console *c, char *out, size_t size,
                         const struct cbench_metric *m)
{
	const struct cbench_comparison *k = &m->cmp;

	switch (k->verdict) {
	case CBENCH_VERDICT_NEW:
		snprintf(out, size, "new");
		break;
	case CBENCH_VERDICT_REGRESSION:
		snprintf(out, size, "%s%+.1f%% REGRESSION%s (threshold %.0f%%, confirmed %zu/%zu)",
		         paint(c, RED), k->change * 100, paint(c, RESET), k->threshold * 100,
		         k->nconfirm, k->nconfirm);
		break;
	case CBENCH_VERDICT_IMPROVEMENT:
		if (k->nconfirm)
			snprintf(out, size, "%s%+.1f%% improvement%s (threshold %.0f%%, confirmed "
			         "%zu/%zu)", paint(c, GREEN), k->change * 100, paint(c, RESET),
			         k->threshold * 100, k->nconfirm, k->nconfirm);
		else
			snprintf(out, size, "%s%+.1f%% improvement%s", paint(c, GREEN),
			         k->change * 100, paint(c, RESET));
		break;
	case CBENCH_VERDICT_INCONCLUSIVE:
		snprintf(out, size, "%+.1f%% inconclusive: %s", k->change * 100, k->reason);
		break;
	default:
		if (k->unconfirmed)
			snprintf(out, size, "%+.1f%% (crossed, not confirmed by %zu re-run%s)",
			         k->change * 100, k->nconfirm, k->nconfirm == 1 ? "" : "s");
		else
			snprintf(out, size, "%+.1f%%", k->change * 100);
		break;
	}
}

static int open_console(void **out, const char *path,
                        const struct cbench_report_config *config,
                        struct cbench_error *err)
{
	struct console *c = calloc(1, sizeof(*c));

	if (!c)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	/* "stdout" or "stderr" (the display moves to stderr when stdout carries
	 * a report); any other path is a file, for tests and logs. */
	if (strcmp(path, "stderr") == 0) {
		c->out = stderr;
	} else if (strcmp(path, "stdout") == 0 || strcmp(path, "-") == 0) {
		c->out = stdout;
	} else if (!(c->out = fopen(path, "w"))) {
		free(c);
		return cbench_error__errno(err, path);
	} else {
		c->owns = true;
	}
	c->config = *config;
	*out = c;
	return 0;
}

static int context_console(void *self, const struct cbench_run *run,
                           struct cbench_error *err)
{
	(void)self;
	(void)run;
	(void)err;
	return 0;
}

static int result_console(void *self, const struct cbench_result *res,
                          struct cbench_error *err)
{
	struct console *c = self;

	(void)err;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		const struct cbench_result **p = realloc(c->results, cap * sizeof(*p));

		if (!p)
			return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		c->results = p;
		c->cap = cap;
	}
	c->results[c->n++] = res;
	return 0;
}

static int id_width(const struct console *c)
{
	size_t w = 9;

	for (size_t i = 0; i < c->n; i++) {
		size_t l = strlen(c->results[i]->id);

		for (size_t m = 1; m < c->results[i]->nmetrics; m++)
			if (strlen(c->results[i]->metrics[m].name) + 2 > l)
				l = strlen(c->results[i]->metrics[m].name) + 2;
		if (l > w)
			w = l;
	}
	return (int)(w > 60 ? 60 : w);
}

static void print_row(struct console *c, int w, const struct cbench_result *r)
{
	const struct cbench_metric *t = r->nmetrics && r->metrics[0].timing ? &r->metrics[0] : NULL;
	char med[32], lo[32], hi[32], min[32], p95[32], ops[32], rb[48], interval[80];
	char vs[160];

	if (r->status != CBENCH_STATUS_PASSED && r->status != CBENCH_STATUS_TARGET) {
		const char *color = r->status == CBENCH_STATUS_SKIPPED ? YELLOW : RED;
		const char *word = r->status == CBENCH_STATUS_SKIPPED ? "SKIPPED" :
		                   r->status == CBENCH_STATUS_FAILED ? "FAILED" : "ERROR";

		fprintf(c->out, "%-*.*s  %s%s%s: %s\n", w, w, r->id, paint(c, color), word,
		        paint(c, RESET), r->message ? r->message : "");
		if (!t)
			return;
	}
	if (t) {
		cbench_units__duration(med, sizeof(med), t->stats.median);
		cbench_units__duration(lo, sizeof(lo), t->stats.ci_low);
		cbench_units__duration(hi, sizeof(hi), t->stats.ci_high);
		cbench_units__duration(min, sizeof(min), t->stats.min);
		cbench_units__duration(p95, sizeof(p95), t->stats.p95);
		/* Below a picosecond a call is the empty loop the optimizer left. */
		if (t->stats.median >= 1e-12)
			cbench_units__number(ops, sizeof(ops), 1.0 / t->stats.median);
		else
			snprintf(ops, sizeof(ops), "-");
		snprintf(rb, sizeof(rb), "%zu x %llu", t->stats.n, (unsigned long long)r->batch);
		snprintf(interval, sizeof(interval), "[%s, %s]", lo, hi);
		verdict_text(c, vs, sizeof(vs), t);
		fprintf(c->out, "%-*.*s  %10s %-24s %10s %10s %9s  %-16s %s\n", w, w,
		        r->status == CBENCH_STATUS_PASSED || r->status == CBENCH_STATUS_TARGET ?
		        r->id : "", med, interval, min, p95, ops, rb, vs);
		if (t->reps.n > 1) {
			char rmin[32], rmax[32];

			cbench_units__duration(rmin, sizeof(rmin), t->reps.min);
			cbench_units__duration(rmax, sizeof(rmax), t->reps.max);
			fprintf(c->out, "%-*s  %zu repetitions: medians %s to %s, CV %.1f%%\n", w, "",
			        t->reps.n, rmin, rmax, t->reps.cv * 100);
		}
		if (t->target.set && t->target.missed) {
			char actual[32], limit[32];

			cbench_units__duration(actual, sizeof(actual), t->target.actual);
			cbench_units__duration(limit, sizeof(limit), t->target.limit);
			fprintf(c->out, "%-*s  %sTARGET MISSED%s: %s %s over %s (%.2fx)\n", w, "",
			        paint(c, RED), paint(c, RESET), t->target.stat, actual, limit,
			        t->target.ratio);
		}
	}
	for (size_t m = t ? 1 : 0; m < r->nmetrics; m++) {
		const struct cbench_metric *x = &r->metrics[m];
		char name[80], v[64], vlo[64], vhi[64];

		snprintf(name, sizeof(name), "  %s", x->name);
		value_text(v, sizeof(v), x, x->value);
		value_text(vlo, sizeof(vlo), x, x->stats.ci_low);
		value_text(vhi, sizeof(vhi), x, x->stats.ci_high);
		snprintf(interval, sizeof(interval),
		         x->stats.n > 1 && x->stats.ci_low != x->stats.ci_high ? "[%s, %s]" : "",
		         vlo, vhi);
		verdict_text(c, vs, sizeof(vs), x);
		fprintf(c->out, "%-*.*s  %10s %-24s %-39s  %s\n", w, w, name, v, interval,
		        x->direction == CBENCH_HIGHER_IS_BETTER ? "(higher is better)" :
		        "(lower is better)", vs);
	}
}

static const char *known_word(int v, const char *yes, const char *no)
{
	return v < 0 ? "unknown" : v ? yes : no;
}

/* -v: the machine's state at the start, the bad and the fine. */
static void print_environment(struct console *c, const struct cbench_run *run)
{
	const struct cbench_environment *e = &run->env;
	char load[32] = "unknown", aslr[32] = "unknown", pin[32] = "not pinned";

	if (e->load_avg >= 0)
		snprintf(load, sizeof(load), "%.2f", e->load_avg);
	if (e->aslr >= 0)
		snprintf(aslr, sizeof(aslr), "%s", e->aslr ? "on" : "off");
	if (e->cpu >= 0)
		snprintf(pin, sizeof(pin), "pinned to CPU %d", e->cpu);
	fprintf(c->out, "environment: governor %s, turbo %s, ASLR %s, load %s, %s, build %s\n",
	        run->platform.governor[0] ? run->platform.governor : "unknown",
	        known_word(e->turbo, "on", "off"), aslr, load, pin,
	        known_word(e->optimized, "optimized", "NOT optimized"));
}

static int finish_console(void *self, const struct cbench_run *run,
                          struct cbench_error *err)
{
	struct console *c = self;
	size_t counts[5] = { 0 };
	int w = id_width(c);
	char took[32];

	(void)err;
	for (size_t i = 0; i < c->n; i++)
		counts[c->results[i]->status < 5 ? c->results[i]->status : CBENCH_STATUS_ERROR]++;
	if (c->config.verbosity >= 0 && c->n > 0) {
		fprintf(c->out, "%s%-*s  %10s %-24s %10s %10s %9s  %-16s %s%s\n", paint(c, BOLD), w,
		        "benchmark", "median", "[95% CI]", "min", "p95", "ops/s",
		        "rounds x batch", "vs baseline", paint(c, RESET));
		for (size_t i = 0; i < c->n; i++)
			print_row(c, w, c->results[i]);
	} else {
		for (size_t i = 0; i < c->n; i++)
			if (c->results[i]->status == CBENCH_STATUS_FAILED ||
			    c->results[i]->status == CBENCH_STATUS_ERROR)
				fprintf(c->out, "%s: %s: %s\n", c->results[i]->id,
				        cbench_status_name(c->results[i]->status),
				        c->results[i]->message ? c->results[i]->message : "");
	}
	for (size_t i = 0; i < run->nmissing; i++)
		fprintf(c->out, "missing: %s (baseline %g%s%s) was not produced by this run\n",
		        run->missing[i].name, run->missing[i].baseline,
		        run->missing[i].unit[0] ? " " : "", run->missing[i].unit);
	if (run->platform.id[0] || run->git.present)
		fprintf(c->out, "platform %s%s%s%s%s%s\n", run->platform.id[0] ? run->platform.id : "?",
		        run->git.present ? ", commit " : "", run->git.short_commit,
		        run->git.branch[0] ? " on " : "", run->git.branch,
		        run->git.dirty ? " (dirty)" : "");
	if (run->env.repetitions > 1)
		fprintf(c->out, "%u repetitions in shuffled order, seed %llu\n", run->env.repetitions,
		        (unsigned long long)run->env.seed);
	if (c->config.verbosity > 0)
		print_environment(c, run);
	if (run->baseline_note)
		fprintf(c->out, "note: %s\n", run->baseline_note);
	else if (run->compared)
		fprintf(c->out, "%zu regression%s, %zu improvement%s against %s "
		        "(threshold %.0f%% on the %s)\n", run->regressions,
		        run->regressions == 1 ? "" : "s", run->improvements,
		        run->improvements == 1 ? "" : "s", run->baselines, run->threshold * 100,
		        run->compare_stat ? run->compare_stat : "median");
	for (size_t i = 0; i < run->nwarnings; i++)
		fprintf(c->out, "%swarning:%s %s\n", paint(c, YELLOW), paint(c, RESET),
		        run->warnings[i]);
	if (run->selected == 0)
		fputs("no benchmark selected\n", c->out);
	cbench_units__duration(took, sizeof(took), run->duration);
	fprintf(c->out, "%s%zu passed%s, %s%zu failed%s, %s%zu errors%s, %zu skipped",
	        paint(c, counts[0] ? GREEN : ""), counts[0], paint(c, counts[0] ? RESET : ""),
	        paint(c, counts[1] ? RED : ""), counts[1], paint(c, counts[1] ? RESET : ""),
	        paint(c, counts[2] ? RED : ""), counts[2], paint(c, counts[2] ? RESET : ""),
	        counts[3]);
	if (counts[4])
		fprintf(c->out, ", %s%zu missed targets%s", paint(c, RED), counts[4], paint(c, RESET));
	if (run->regressions)
		fprintf(c->out, ", %s%zu regressions%s", paint(c, RED), run->regressions,
		        paint(c, RESET));
	fprintf(c->out, " in %s", took);
	if (run->interrupted)
		fprintf(c->out, " (interrupted: %zu of %zu benchmarks ran)", c->n, run->selected);
	fputc('\n', c->out);
	fflush(c->out);
	return 0;
}

static void close_console(void *self)
{
	struct console *c = self;

	if (!c)
		return;
	if (c->owns)
		fclose(c->out);
	free(c->results);
	free(c);
}

const struct cbench_reporter cbench_reporter_console = {
	CBENCH_REPORTER_VERSION, "console",
	open_console, context_console, result_console, finish_console, close_console
};

/* ---- progress, while running ------------------------------------------------ */

void cbench_console__progress(FILE *out, bool tty, int verbosity, const char *id,
                              size_t i, size_t n)
{
	if (verbosity < 0)
		return;
	if (tty) {
		/* \033[K: clear what a longer previous id left on the line. */
		fprintf(out, "\r[%zu/%zu] %s\033[K", i + 1, n, id);
		fflush(out);
	} else if (verbosity > 0) {
		fprintf(out, "[%zu/%zu] %s\n", i + 1, n, id);
		fflush(out);
	}
}

void cbench_console__progress_done(FILE *out, bool tty, int verbosity,
                                   const struct cbench_result *r)
{
	char med[32];

	if (tty && verbosity >= 0) {
		fputs("\r\033[K", out);
	}
	if (verbosity > 0) {
		if (r->nmetrics && r->metrics[0].timing)
			cbench_units__duration(med, sizeof(med), r->metrics[0].value);
		else
			snprintf(med, sizeof(med), "-");
		fprintf(out, "%s %s %s%s%s\n", r->id, cbench_status_name(r->status), med,
		        r->message ? ": " : "", r->message ? r->message : "");
	}
	fflush(out);
}
