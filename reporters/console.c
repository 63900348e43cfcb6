/*
 * The display: a progress line while running (on a terminal), then a table
 * of results in human units, warnings and a summary line. Every text that
 * comes from outside (ids, metric names, units, messages, the platform,
 * the branch, warnings) goes through show(): escaped for the terminal
 * (reporters/escape.h), so a name cannot send the terminal a sequence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "reporters/console.h"
#include "reporters/escape.h"
#include "reporters/units.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/utf8.h"

/* Longest text shown of one name or message; a 10,000-character name is
 * cut in the table anyway. */
#define SHOW_MAX 4096

/* Scratch buffers for show(): as many as one line shows texts at once. */
#define NSHOW 4

struct console {
	FILE *out;
	struct cbench_report_config config;
	const struct cbench_result **results;
	size_t n, cap;
	bool owns;
	struct cbench_buf show[NSHOW];
};

/* `text` escaped for the terminal in `b` (valid until b is used again);
 * NULL shows as "". */
static const char *show_in(struct cbench_buf *b, const char *text)
{
	cbench_buf__free(b);
	if (text && cbench_escape__terminal(b, text) != 0) {
		/* Longer than SHOW_MAX: what fitted, cut at a character. */
		cbench_buf__free(b);
		cbench_escape__mem(b, CBENCH_ESCAPE_TERMINAL, text,
		                   cbench_utf8__prefix(text, strlen(text), SHOW_MAX / 5));
	}
	return cbench_buf__str(b);
}

/* The same in the console's scratch buffer `slot`. */
static const char *show(struct console *c, int slot, const char *text)
{
	return show_in(&c->show[slot], text);
}

/* Bytes of `text` that fit `w` columns without cutting a character. */
static int fit(const char *text, int w)
{
	return (int)cbench_utf8__prefix(text, strlen(text), (size_t)w);
}

#define RED "\033[31m"
#define GREEN "\033[32m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static const char *paint(const struct console *c, const char *code)
{
	return c->config.color ? code : "";
}

static void value_text(struct console *c, char *out, size_t size,
                       const struct cbench_metric *m, double v)
{
	char num[64];

	if (cbench_units__value(num, sizeof(num), m->unit, v))
		snprintf(out, size, "%s %s", num, show(c, 3, m->unit));
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
		/* the reason: on the evidence lines below the row */
		snprintf(out, size, "%+.1f%% inconclusive", k->change * 100);
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

/* Below a metric's row: the evidence behind its verdict, in the words of
 * every format (cbench_units__evidence), escaped for the terminal. */
static void evidence_line(struct console *c, int w, const struct cbench_metric *m)
{
	char why[640];

	cbench_units__evidence(why, sizeof(why), &m->cmp, m->unit);
	if (why[0])
		fprintf(c->out, "%-*s    %s\n", w, "", show(c, 1, why));
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
	for (int i = 0; i < NSHOW; i++)
		cbench_buf__init(&c->show[i], SHOW_MAX);
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

static int id_width(struct console *c)
{
	size_t w = 9;

	for (size_t i = 0; i < c->n; i++) {
		size_t l = strlen(show(c, 0, c->results[i]->id));

		for (size_t m = 1; m < c->results[i]->nmetrics; m++) {
			size_t k = strlen(show(c, 0, c->results[i]->metrics[m].name)) + 2;

			if (k > l)
				l = k;
		}
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
	const char *id = show(c, 0, r->id);

	if (r->status != CBENCH_STATUS_PASSED && r->status != CBENCH_STATUS_TARGET) {
		const char *color = r->status == CBENCH_STATUS_SKIPPED ? YELLOW : RED;
		const char *word = r->status == CBENCH_STATUS_SKIPPED ? "SKIPPED" :
		                   r->status == CBENCH_STATUS_FAILED ? "FAILED" : "ERROR";

		fprintf(c->out, "%-*.*s  %s%s%s: %s\n", w, fit(id, w), id, paint(c, color), word,
		        paint(c, RESET), show(c, 1, r->message));
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
		if (r->status != CBENCH_STATUS_PASSED && r->status != CBENCH_STATUS_TARGET)
			id = "";
		fprintf(c->out, "%-*.*s  %10s %-24s %10s %10s %9s  %-16s %s\n", w, fit(id, w),
		        id, med, interval, min, p95, ops, rb, vs);
		evidence_line(c, w, t);
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
			        paint(c, RED), paint(c, RESET), show(c, 1, t->target.stat), actual, limit,
			        t->target.ratio);
		}
	}
	for (size_t m = t ? 1 : 0; m < r->nmetrics; m++) {
		const struct cbench_metric *x = &r->metrics[m];
		const char *xn = show(c, 0, x->name);
		char name[80], v[64], vlo[64], vhi[64];

		snprintf(name, sizeof(name), "  %.*s", fit(xn, (int)sizeof(name) - 3), xn);
		value_text(c, v, sizeof(v), x, x->value);
		value_text(c, vlo, sizeof(vlo), x, x->stats.ci_low);
		value_text(c, vhi, sizeof(vhi), x, x->stats.ci_high);
		snprintf(interval, sizeof(interval),
		         x->stats.n > 1 && x->stats.ci_low != x->stats.ci_high ? "[%s, %s]" : "",
		         vlo, vhi);
		verdict_text(c, vs, sizeof(vs), x);
		fprintf(c->out, "%-*.*s  %10s %-24s %-39s  %s\n", w, fit(name, w), name, v, interval,
		        x->direction == CBENCH_HIGHER_IS_BETTER ? "(higher is better)" :
		        "(lower is better)", vs);
		evidence_line(c, w, x);
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
				fprintf(c->out, "%s: %s: %s\n", show(c, 0, c->results[i]->id),
				        cbench_status_name(c->results[i]->status),
				        show(c, 1, c->results[i]->message));
	}
	for (size_t i = 0; i < run->nmissing; i++)
		fprintf(c->out, "missing: %s (baseline %g%s%s) was not produced by this run\n",
		        show(c, 0, run->missing[i].name), run->missing[i].baseline,
		        run->missing[i].unit[0] ? " " : "", show(c, 1, run->missing[i].unit));
	if (run->platform.id[0] || run->git.present)
		fprintf(c->out, "platform %s%s%s%s%s%s\n",
		        run->platform.id[0] ? show(c, 0, run->platform.id) : "?",
		        run->git.present ? ", commit " : "", show(c, 1, run->git.short_commit),
		        run->git.branch[0] ? " on " : "", show(c, 2, run->git.branch),
		        run->git.dirty ? " (dirty)" : "");
	if (run->env.repetitions > 1)
		fprintf(c->out, "%u repetitions in shuffled order, seed %llu\n", run->env.repetitions,
		        (unsigned long long)run->env.seed);
	if (c->config.verbosity > 0)
		print_environment(c, run);
	if (run->baseline_note)
		fprintf(c->out, "note: %s\n", show(c, 0, run->baseline_note));
	else if (run->compared)
		fprintf(c->out, "%zu regression%s, %zu improvement%s against %s "
		        "(threshold %.0f%% on the %s)\n", run->regressions,
		        run->regressions == 1 ? "" : "s", run->improvements,
		        run->improvements == 1 ? "" : "s", show(c, 0, run->baselines),
		        run->threshold * 100, run->compare_stat ? show(c, 1, run->compare_stat) : "median");
	for (size_t i = 0; i < run->nwarnings; i++)
		fprintf(c->out, "%swarning:%s %s\n", paint(c, YELLOW), paint(c, RESET),
		        show(c, 0, run->warnings[i]));
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
	for (int i = 0; i < NSHOW; i++)
		cbench_buf__free(&c->show[i]);
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
	struct cbench_buf b = CBENCH_BUF_INIT(SHOW_MAX);

	if (verbosity < 0)
		return;
	if (tty) {
		/* \033[K: clear what a longer previous id left on the line. */
		fprintf(out, "\r[%zu/%zu] %s\033[K", i + 1, n, show_in(&b, id));
		fflush(out);
	} else if (verbosity > 0) {
		fprintf(out, "[%zu/%zu] %s\n", i + 1, n, show_in(&b, id));
		fflush(out);
	}
	cbench_buf__free(&b);
}

void cbench_console__progress_done(FILE *out, bool tty, int verbosity,
                                   const struct cbench_result *r)
{
	struct cbench_buf id = CBENCH_BUF_INIT(SHOW_MAX), msg = CBENCH_BUF_INIT(SHOW_MAX);
	char med[32];

	if (tty && verbosity >= 0) {
		fputs("\r\033[K", out);
	}
	if (verbosity > 0) {
		if (r->nmetrics && r->metrics[0].timing)
			cbench_units__duration(med, sizeof(med), r->metrics[0].value);
		else
			snprintf(med, sizeof(med), "-");
		fprintf(out, "%s %s %s%s%s\n", show_in(&id, r->id), cbench_status_name(r->status),
		        med, r->message ? ": " : "", show_in(&msg, r->message));
	}
	fflush(out);
	cbench_buf__free(&id);
	cbench_buf__free(&msg);
}
