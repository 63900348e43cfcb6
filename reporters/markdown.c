/*
 * --markdown FILE: the pull-request comment. A hidden marker line (a CI
 * step finds and updates the comment by it), the platform and commit, a
 * table of every metric against its baseline, the verdict with the
 * regressions, missed targets and failures spelled out, and the full
 * statistics folded in a <details> block. Written at finish.
 *
 * GitHub refuses comments over 65,536 characters. When the full comment
 * would not fit in CBENCH_MARKDOWN_BUDGET bytes, a summary is written
 * instead: free text shortened, table rows in order of importance
 * (regressions, missed targets, failures, then the rest) for as long as
 * they fit, a count of the rows left out, and what fits of the details.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "reporters/document.h"
#include "cbench/reporter.h"
#include "reporters/units.h"
#include "base/error.h"
#include "reporters/escape.h"
#include "base/fileio.h"
#include "base/utf8.h"
#include "reporters/markdown.h"

/* Enough for the full report of any run we would still want to read; the
 * budget decides long before this. */
#define FULL_MAX ((size_t)64 << 20)
/* In a summary: at most this many bytes of each piece of free text. */
#define SHORT_NAME 160
#define SHORT_TEXT 240
#define SHORT_UNIT 24
/* In a summary: room kept for the verdict section, and for the line that
 * counts rows left out plus the opening of the details block. */
#define GATE_MAX 20000
#define TAIL_RESERVE 2000

#define DASH "\xE2\x80\x94"     /* — */
#define MINUS "\xE2\x88\x92"    /* − */
#define ELLIPSIS "\xE2\x80\xA6" /* … */

/* One rendering pass: everything is appended to `b` as items that must end
 * within `limit` bytes; an item that does not is taken back whole. */
struct render {
	struct cbench_buf *b;
	const struct cbench_run *run;
	bool summary;     /* shorten free text */
	size_t limit;
	bool section;     /* one platform's section of a merged comment */
	bool overflow;    /* an item did not fit */
};

/* ---- text ---------------------------------------------------------------------- */

static void text_n(struct render *r, const char *s, size_t max)
{
	size_t len, cut;

	if (!s)
		return;
	len = strlen(s);
	cut = r->summary ? cbench_utf8__prefix(s, len, max) : len;
	cbench_escape__markdown_cell_n(r->b, s, cut);
	if (cut < len)
		cbench_buf__adds(r->b, ELLIPSIS);
}

/* A name, message or unit: escaped so it cannot break a table cell,
 * shortened in a summary. */
static void name(struct render *r, const char *s)
{
	text_n(r, s, SHORT_NAME);
}

static void text(struct render *r, const char *s)
{
	text_n(r, s, SHORT_TEXT);
}

static void unit_text(struct render *r, const char *s)
{
	text_n(r, s, SHORT_UNIT);
}

/* A value in human units: durations for "s", else 1.23k + the unit. */
static void value(struct render *r, const char *unit, double v)
{
	char num[64];

	if (!isfinite(v)) {
		cbench_buf__adds(r->b, DASH);
	} else if (cbench_units__value(num, sizeof(num), unit, v)) {
		cbench_buf__adds(r->b, num);
		cbench_buf__adds(r->b, " ");
		unit_text(r, unit);
	} else {
		cbench_buf__adds(r->b, num);
	}
}

/* +4.2% / −4.0% / — */
static void change(struct render *r, double c)
{
	char num[64];

	if (!isfinite(c)) {
		cbench_buf__adds(r->b, DASH);
		return;
	}
	snprintf(num, sizeof(num), "%+.1f%%", c * 100);
	if (num[0] == '-') {
		cbench_buf__adds(r->b, MINUS);
		cbench_buf__adds(r->b, num + 1);
	} else {
		cbench_buf__adds(r->b, num);
	}
}

/* 0.2 → "20%" */
static void percent(struct render *r, double fraction)
{
	if (isfinite(fraction))
		cbench_buf__addf(r->b, "%.3g%%", fraction * 100);
	else
		cbench_buf__adds(r->b, DASH);
}

static const char *verdict_text(enum cbench_verdict v)
{
	switch (v) {
	case CBENCH_VERDICT_NEW: return "\xF0\x9F\x86\x95 new";                 /* 🆕 */
	case CBENCH_VERDICT_UNCHANGED: return "\xE2\x9C\x85 unchanged";         /* ✅ */
	case CBENCH_VERDICT_IMPROVEMENT: return "\xF0\x9F\x9A\x80 improvement"; /* 🚀 */
	case CBENCH_VERDICT_REGRESSION: return "\xE2\x9D\x8C regression";       /* ❌ */
	case CBENCH_VERDICT_MISSING: return "\xE2\x9A\xA0\xEF\xB8\x8F missing"; /* ⚠️ */
	case CBENCH_VERDICT_INCONCLUSIVE: return "\xE2\x9D\x94 inconclusive"; /* ❔ */
	}
	return "?";
}

static const char *status_text(enum cbench_status s)
{
	switch (s) {
	case CBENCH_STATUS_FAILED: return "\xF0\x9F\x9B\x91 failed";             /* 🛑 */
	case CBENCH_STATUS_ERROR: return "\xF0\x9F\x92\xA5 error";               /* 💥 */
	case CBENCH_STATUS_SKIPPED: return "\xE2\x8F\xAD\xEF\xB8\x8F skipped";   /* ⏭️ */
	case CBENCH_STATUS_TARGET: return "\xF0\x9F\x8E\xAF target missed";      /* 🎯 */
	case CBENCH_STATUS_PASSED: return "passed";
	}
	return "?";
}

static bool incomplete(const struct cbench_result *res)
{
	return res->status == CBENCH_STATUS_FAILED || res->status == CBENCH_STATUS_ERROR ||
	       res->status == CBENCH_STATUS_SKIPPED;
}

/* ---- items ---------------------------------------------------------------------- */

static size_t mark(const struct render *r)
{
	return cbench_buf__len(r->b);
}

/* Ends an item begun at `at`: kept when it fits, else taken back. False
 * when it did not fit or the buffer failed (the caller stops adding). */
static bool fits(struct render *r, size_t at)
{
	if (r->b->failed)
		return false;
	if (cbench_buf__len(r->b) > r->limit) {
		cbench_buf__truncate(r->b, at);
		r->overflow = true;
		return false;
	}
	return true;
}

/*
 * The rows of both tables, in the run's order: a benchmark that did not
 * complete has a status row (metric -1) before its metrics, each metric a
 * row, and each baseline metric the run did not produce a row at the end
 * (result == nresults, metric indexing run->missing).
 */
typedef int (*row_fn)(struct render *r, size_t result, long metric);

/* Importance, for a summary: 0 regressions, 1 missed targets, 2 failures and
 * missing metrics, 3 the rest. */
static int row_class(const struct cbench_run *run, size_t result, long metric)
{
	const struct cbench_result *res;
	const struct cbench_metric *m;

	if (result >= run->nresults)
		return 2;
	res = &run->results[result];
	if (metric < 0)
		return res->status == CBENCH_STATUS_SKIPPED ? 3 : 2;
	m = &res->metrics[metric];
	if (m->cmp.verdict == CBENCH_VERDICT_REGRESSION)
		return 0;
	if (m->target.missed)
		return 1;
	return 3;
}

static size_t count_rows(const struct cbench_run *run)
{
	size_t n = run->nmissing;

	for (size_t i = 0; i < run->nresults; i++)
		n += incomplete(&run->results[i]) + run->results[i].nmetrics;
	return n;
}

struct walk {
	struct render *r;
	row_fn fn;
	int pass;      /* -1: every row; else only rows of this class */
	size_t kept;
	bool stop;
};

static void visit(struct walk *w, size_t result, long metric)
{
	int rc;

	if (w->stop || (w->pass >= 0 && row_class(w->r->run, result, metric) != w->pass))
		return;
	rc = w->fn(w->r, result, metric);
	if (rc < 0)
		w->stop = true;
	else
		w->kept += (size_t)rc;
}

/*
 * Calls fn for each row, in the run's order or, in a summary, by
 * importance. fn returns 1 when it wrote the row, 0 when the row is not
 * for it, -1 when it did not fit: the walk stops there, so what is shown
 * is always the most important part. Returns the rows written.
 */
static size_t each_row(struct render *r, row_fn fn)
{
	const struct cbench_run *run = r->run;
	struct walk w = { r, fn, r->summary ? 0 : -1, 0, false };

	for (; !w.stop; w.pass++) {
		for (size_t i = 0; i < run->nresults && !w.stop; i++) {
			if (incomplete(&run->results[i]))
				visit(&w, i, -1);
			for (size_t k = 0; k < run->results[i].nmetrics; k++)
				visit(&w, i, (long)k);
		}
		for (size_t k = 0; k < run->nmissing; k++)
			visit(&w, run->nresults, (long)k);
		if (w.pass < 0 || w.pass == 3)
			break;
	}
	return w.kept;
}

/* ---- the comparison table ---------------------------------------------------- */

static int comparison_row(struct render *r, size_t result, long metric)
{
	const struct cbench_run *run = r->run;
	size_t start = mark(r);

	cbench_buf__adds(r->b, "| ");
	if (result >= run->nresults) {
		const struct cbench_missing *x = &run->missing[metric];

		name(r, x->name);
		cbench_buf__adds(r->b, " | " DASH " | ");
		value(r, x->unit, x->baseline);
		cbench_buf__addf(r->b, " | " DASH " | %s |\n",
		                 verdict_text(CBENCH_VERDICT_MISSING));
	} else if (metric < 0) {
		const struct cbench_result *res = &run->results[result];

		name(r, res->id);
		cbench_buf__addf(r->b, " | " DASH " | " DASH " | " DASH " | %s",
		                 status_text(res->status));
		if (res->message) {
			cbench_buf__adds(r->b, ": ");
			text(r, res->message);
		}
		cbench_buf__adds(r->b, " |\n");
	} else {
		const struct cbench_metric *m = &run->results[result].metrics[metric];

		name(r, m->name);
		cbench_buf__adds(r->b, " | ");
		value(r, m->unit, isfinite(m->cmp.current) ? m->cmp.current : m->value);
		cbench_buf__adds(r->b, " | ");
		value(r, m->unit, m->cmp.baseline);
		cbench_buf__adds(r->b, " | ");
		change(r, m->cmp.change);
		cbench_buf__addf(r->b, " | %s", verdict_text(m->cmp.verdict));
		if (m->cmp.unconfirmed)
			cbench_buf__adds(r->b, " (re-runs did not confirm a change)");
		if (m->target.missed)
			cbench_buf__addf(r->b, " \xC2\xB7 %s", status_text(CBENCH_STATUS_TARGET));
		cbench_buf__adds(r->b, " |\n");
	}
	return fits(r, start) ? 1 : -1;
}

/* The table; in a summary its rows end within `row_limit`. */
static void comparison_table(struct render *r, size_t row_limit)
{
	size_t total = count_rows(r->run), shown, start = mark(r), limit = r->limit;

	cbench_buf__adds(r->b, "\n### \xF0\x9F\x93\x88 Metrics Comparison\n\n");
	if (total == 0) {
		cbench_buf__adds(r->b, "_No benchmark ran._\n");
		fits(r, start);
		return;
	}
	cbench_buf__adds(r->b, "| Metric | Current | Baseline | Change | Status |\n"
	                       "|--------|---------|----------|--------|--------|\n");
	if (!fits(r, start))
		return;
	r->limit = row_limit < limit ? row_limit : limit;
	shown = each_row(r, comparison_row);
	r->limit = limit;
	if (shown < total) {
		start = mark(r);
		cbench_buf__addf(r->b, "\n" ELLIPSIS " %zu more metrics not shown "
		                 "(see the JSON/JUnit artifacts)\n", total - shown);
		fits(r, start);
	}
}

/* ---- the verdict --------------------------------------------------------------- */

static bool regression_item(struct render *r, const struct cbench_metric *m)
{
	char why[640];
	size_t start = mark(r);

	cbench_buf__adds(r->b, "- **");
	name(r, m->name);
	cbench_buf__adds(r->b, "**: ");
	value(r, m->unit, m->cmp.current);
	cbench_buf__adds(r->b, " vs ");
	value(r, m->unit, m->cmp.baseline);
	cbench_buf__adds(r->b, " baseline (");
	change(r, m->cmp.change);
	cbench_buf__adds(r->b, ", threshold ");
	percent(r, m->cmp.threshold);
	cbench_buf__addf(r->b, ", %s is better)",
	                 m->direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower");
	if (m->cmp.nconfirm > 0) {
		cbench_buf__addf(r->b, ", confirmed by %zu re-run%s", m->cmp.nconfirm,
		                 m->cmp.nconfirm == 1 ? "" : "s");
		if (m->cmp.confirm) {
			cbench_buf__adds(r->b, " (");
			for (size_t i = 0; i < m->cmp.nconfirm; i++) {
				if (i)
					cbench_buf__adds(r->b, ", ");
				value(r, m->unit, m->cmp.confirm[i]);
			}
			cbench_buf__adds(r->b, ")");
		}
	}
	cbench_units__evidence(why, sizeof(why), &m->cmp, m->unit);
	if (why[0]) {
		cbench_buf__adds(r->b, "; ");
		cbench_escape__markdown_cell(r->b, why);
	}
	cbench_buf__adds(r->b, "\n");
	return fits(r, start);
}

static bool target_item(struct render *r, const struct cbench_metric *m)
{
	size_t start = mark(r);

	cbench_buf__adds(r->b, "- **");
	name(r, m->name);
	cbench_buf__adds(r->b, "**: ");
	text(r, m->target.stat);
	cbench_buf__adds(r->b, " ");
	value(r, m->unit, m->target.actual);
	cbench_buf__addf(r->b, ", target %s ",
	                 m->direction == CBENCH_HIGHER_IS_BETTER ? "\xE2\x89\xA5" : "\xE2\x89\xA4");
	value(r, m->unit, m->target.limit);
	if (isfinite(m->target.ratio))
		cbench_buf__addf(r->b, " (%.2f\xC3\x97 the target)", m->target.ratio);
	cbench_buf__adds(r->b, "\n");
	return fits(r, start);
}

static bool failure_item(struct render *r, const struct cbench_result *res)
{
	size_t start = mark(r);

	cbench_buf__adds(r->b, "- **");
	name(r, res->id);
	cbench_buf__addf(r->b, "** %s", status_text(res->status));
	if (res->message) {
		cbench_buf__adds(r->b, ": ");
		text(r, res->message);
	}
	cbench_buf__adds(r->b, "\n");
	return fits(r, start);
}

enum gate_list { LIST_REGRESSIONS, LIST_TARGETS, LIST_FAILURES };

static bool in_list(enum gate_list list, const struct cbench_result *res,
                    const struct cbench_metric *m)
{
	switch (list) {
	case LIST_REGRESSIONS: return m && m->cmp.verdict == CBENCH_VERDICT_REGRESSION;
	case LIST_TARGETS: return m && m->target.missed;
	case LIST_FAILURES:
		return !m && (res->status == CBENCH_STATUS_FAILED ||
		              res->status == CBENCH_STATUS_ERROR);
	}
	return false;
}

/* One list of the verdict section under a bold count, when not empty;
 * items that do not fit are counted in an "and N more" line. */
static void gate_list(struct render *r, enum gate_list list)
{
	static const char *const what[][2] = {
		{ "regression", "regressions" },
		{ "target missed", "targets missed" },
		{ "benchmark did not complete", "benchmarks did not complete" },
	};
	const struct cbench_run *run = r->run;
	size_t n = 0, shown = 0, start;
	bool full = false;

	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *res = &run->results[i];

		n += in_list(list, res, NULL);
		for (size_t k = 0; k < res->nmetrics; k++)
			n += in_list(list, res, &res->metrics[k]);
	}
	if (n == 0)
		return;
	start = mark(r);
	cbench_buf__addf(r->b, "\n**%zu %s**:\n\n", n, what[list][n != 1]);
	if (!fits(r, start))
		return;
	for (size_t i = 0; i < run->nresults && !full; i++) {
		const struct cbench_result *res = &run->results[i];

		if (in_list(list, res, NULL)) {
			if (!failure_item(r, res))
				full = true;
			else
				shown++;
		}
		for (size_t k = 0; k < res->nmetrics && !full; k++) {
			const struct cbench_metric *m = &res->metrics[k];

			if (!in_list(list, res, m))
				continue;
			if (!(list == LIST_REGRESSIONS ? regression_item(r, m) : target_item(r, m)))
				full = true;
			else
				shown++;
		}
	}
	if (shown < n) {
		start = mark(r);
		cbench_buf__addf(r->b, "- " ELLIPSIS " and %zu more\n", n - shown);
		fits(r, start);
	}
}

static void gate(struct render *r)
{
	const struct cbench_run *run = r->run;
	size_t start = mark(r), limit = r->limit;

	if (run->regressions > 0)
		cbench_buf__adds(r->b, "\n" CBENCH_MARKDOWN_REGRESSED "\n");
	else
		cbench_buf__adds(r->b, "\n### \xE2\x9C\x85 No Regressions Detected\n");
	if (!fits(r, start))
		return;
	/* Each list leaves room for the "and N more" line of the next. */
	r->limit = limit > 300 ? limit - 300 : 0;
	gate_list(r, LIST_REGRESSIONS);
	gate_list(r, LIST_TARGETS);
	r->limit = limit;
	gate_list(r, LIST_FAILURES);
}

/* ---- the details --------------------------------------------------------------- */

static int stats_row(struct render *r, size_t result, long metric)
{
	const struct cbench_metric *m;
	const struct cbench_stats *s;
	size_t start = mark(r);

	if (result >= r->run->nresults || metric < 0)
		return 0;
	m = &r->run->results[result].metrics[metric];
	s = &m->stats;
	cbench_buf__adds(r->b, "| ");
	name(r, m->name);
	cbench_buf__addf(r->b, " | %zu | ", s->n);
	value(r, m->unit, s->min);
	cbench_buf__adds(r->b, " | ");
	value(r, m->unit, s->median);
	cbench_buf__adds(r->b, " [");
	value(r, m->unit, s->ci_low);
	cbench_buf__adds(r->b, ", ");
	value(r, m->unit, s->ci_high);
	cbench_buf__adds(r->b, "] | ");
	value(r, m->unit, s->mean);
	cbench_buf__adds(r->b, " | ");
	value(r, m->unit, s->stddev);
	cbench_buf__adds(r->b, " | ");
	value(r, m->unit, s->p95);
	cbench_buf__adds(r->b, " | ");
	value(r, m->unit, s->p99);
	cbench_buf__adds(r->b, " | ");
	percent(r, m->cmp.threshold);
	if (m->cmp.threshold_source) {
		cbench_buf__adds(r->b, " (");
		text(r, m->cmp.threshold_source);
		cbench_buf__adds(r->b, ")");
	}
	cbench_buf__addf(r->b, " | %s is better |\n",
	                 m->direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower");
	return fits(r, start) ? 1 : -1;
}

/* An item of the run's description; false when it did not fit. */
static bool info_end(struct render *r, size_t start)
{
	cbench_buf__adds(r->b, "\n");
	return fits(r, start);
}

static void run_info(struct render *r)
{
	const struct cbench_run *run = r->run;
	const struct cbench_git *g = &run->git;
	size_t start = mark(r);

	cbench_buf__adds(r->b, "\n- **Compared on**: ");
	text(r, run->compare_stat ? run->compare_stat : "median");
	cbench_buf__adds(r->b, ", default threshold ");
	percent(r, run->threshold);
	if (!info_end(r, start))
		return;
	start = mark(r);
	cbench_buf__adds(r->b, "- **Baselines**: ");
	if (run->baselines)
		text(r, run->baselines);
	else
		cbench_buf__adds(r->b, "none read");
	cbench_buf__addf(r->b, " (%s)", run->compared ? "compared" : "not compared");
	if (run->baseline_note) {
		cbench_buf__adds(r->b, ": ");
		text(r, run->baseline_note);
	}
	if (!info_end(r, start))
		return;
	if (g->present) {
		start = mark(r);
		cbench_buf__adds(r->b, "- **Commit**: ");
		text(r, g->commit);
		if (g->branch[0]) {
			cbench_buf__adds(r->b, " on ");
			text(r, g->branch);
		}
		if (g->dirty)
			cbench_buf__adds(r->b, " (dirty)");
		if (g->subject[0]) {
			cbench_buf__adds(r->b, ": ");
			text(r, g->subject);
		}
		if (!info_end(r, start))
			return;
	}
	start = mark(r);
	cbench_buf__adds(r->b, "- **Run**: ");
	text(r, run->started_at);
	cbench_buf__adds(r->b, ", ");
	text(r, run->mode ? run->mode : "?");
	cbench_buf__adds(r->b, " mode, ");
	text(r, run->clock ? run->clock : "?");
	cbench_buf__addf(r->b, " clock, %s, %zu of %zu benchmarks in ",
	                 run->forked ? "forked" : "in process", run->nresults, run->selected);
	value(r, "s", run->duration);
	if (!info_end(r, start))
		return;
	if (run->env.repetitions > 1) {
		start = mark(r);
		cbench_buf__addf(r->b, "- **Repetitions**: %u passes, each in a shuffled order "
		                 "(seed %llu); the spread of their medians:", run->env.repetitions,
		                 (unsigned long long)run->env.seed);
		if (!info_end(r, start))
			return;
		for (size_t i = 0; i < run->nresults; i++) {
			const struct cbench_metric *m = run->results[i].metrics;

			if (!run->results[i].nmetrics || m->reps.n < 2)
				continue;
			start = mark(r);
			cbench_buf__adds(r->b, "  - ");
			text(r, m->name);
			cbench_buf__adds(r->b, ": ");
			value(r, m->unit, m->reps.min);
			cbench_buf__adds(r->b, " to ");
			value(r, m->unit, m->reps.max);
			cbench_buf__addf(r->b, ", CV %.1f%%", m->reps.cv * 100);
			if (!info_end(r, start))
				return;
		}
	}
	start = mark(r);
	cbench_buf__adds(r->b, "- **cbench**: ");
	text(r, run->cbench_version ? run->cbench_version : "?");
	if (!info_end(r, start))
		return;
	for (size_t i = 0; i < run->nwarnings; i++) {
		start = mark(r);
		cbench_buf__adds(r->b, "- **Warning**: ");
		text(r, run->warnings[i]);
		if (!info_end(r, start))
			return;
	}
}

static void details(struct render *r)
{
	static const char close[] = "\n</details>\n";
	size_t start = mark(r), limit = r->limit, total = 0, shown;

	for (size_t i = 0; i < r->run->nresults; i++)
		total += r->run->results[i].nmetrics;
	/* Whatever is inside, the closing tag and the "N more" line are sure
	 * to fit. */
	r->limit = limit > 200 + sizeof(close) ? limit - 200 - sizeof(close) : 0;
	cbench_buf__adds(r->b, "\n<details><summary>Full statistics</summary>\n");
	if (!fits(r, start)) {
		r->limit = limit;
		return;
	}
	run_info(r);
	if (total > 0) {
		start = mark(r);
		cbench_buf__adds(r->b, "\n| Metric | n | min | median [95% CI] | mean | stddev "
		                       "| p95 | p99 | threshold | direction |\n"
		                       "|---|---:|---:|---|---:|---:|---:|---:|---|---|\n");
		shown = fits(r, start) ? each_row(r, stats_row) : 0;
		r->limit = limit - (sizeof(close) - 1);
		if (shown < total) {
			start = mark(r);
			cbench_buf__addf(r->b, "\n" ELLIPSIS " %zu more metrics not shown\n",
			                 total - shown);
			fits(r, start);
		}
	}
	r->limit = limit;
	start = mark(r);
	cbench_buf__adds(r->b, close);
	fits(r, start);
}

/* ---- the whole comment ----------------------------------------------------------- */

static void head(struct render *r)
{
	const struct cbench_run *run = r->run;
	const struct cbench_git *g = &run->git;

	if (r->section)
		cbench_buf__adds(r->b, "\n## \xF0\x9F\x96\xA5\xEF\xB8\x8F ");   /* 🖥️ */
	else
		cbench_buf__adds(r->b, CBENCH_MARKDOWN_MARKER "\n"
		                       "## \xF0\x9F\x93\x8A Performance Report\n"
		                       "**Platform**: ");
	if (run->platform.id[0])
		cbench_escape__markdown_code(r->b, run->platform.id);
	else
		cbench_buf__adds(r->b, "unknown");
	cbench_buf__adds(r->b, "\n");
	if (g->present) {
		cbench_buf__adds(r->b, "**Commit**: ");
		cbench_escape__markdown_code(r->b, g->short_commit[0] ? g->short_commit : g->commit);
		if (g->branch[0]) {
			cbench_buf__adds(r->b, " on ");
			cbench_escape__markdown_code(r->b, g->branch);
		}
		if (g->dirty)
			cbench_buf__adds(r->b, " (dirty)");
		if (g->subject[0]) {
			cbench_buf__adds(r->b, " " DASH " ");
			text(r, g->subject);
		}
		cbench_buf__adds(r->b, "\n");
	}
	if (!run->compared && run->baseline_note) {
		cbench_buf__adds(r->b, "\n> \xE2\x84\xB9\xEF\xB8\x8F Every metric is new: ");
		text(r, run->baseline_note);
		cbench_buf__adds(r->b, "\n");
	}
	if (run->interrupted)
		cbench_buf__addf(r->b, "\n> \xE2\x9A\xA0\xEF\xB8\x8F The run was interrupted: "
		                 "%zu of %zu benchmarks ran.\n", run->nresults, run->selected);
	if (r->summary)
		cbench_buf__adds(r->b, "\n> \xE2\x9C\x82\xEF\xB8\x8F Summarised: the full report "
		                 "is over GitHub's 65,536-character limit for a comment.\n");
	fits(r, 0);
}

/*
 * The comment into `b`: the full one when it fits the budget, else the
 * summary. 0 or CBENCH_ENOMEM.
 */
static int build_within(struct cbench_buf *b, const struct cbench_run *run, size_t budget,
                        bool section)
{
	struct render r = { b, run, false, budget, section, false };
	struct cbench_buf verdict = CBENCH_BUF_INIT(FULL_MAX);
	struct render g = { &verdict, run, true, GATE_MAX < budget / 2 ? GATE_MAX : budget / 2,
	                    section, false };
	size_t reserve, rows;

	head(&r);
	comparison_table(&r, SIZE_MAX);
	gate(&r);
	details(&r);
	if (b->failed)
		return CBENCH_ENOMEM;
	if (!r.overflow)
		return 0;

	/* The summary. The verdict is written first, on the side, so that the
	 * table knows how much room to leave it. */
	cbench_buf__free(b);
	r.summary = true;
	r.overflow = false;
	gate(&g);
	head(&r);
	reserve = cbench_buf__len(&verdict) + TAIL_RESERVE;
	rows = budget > cbench_buf__len(b) + reserve ? budget - reserve : cbench_buf__len(b);
	comparison_table(&r, rows);
	cbench_buf__add(b, cbench_buf__str(&verdict), cbench_buf__len(&verdict));
	cbench_buf__free(&verdict);
	details(&r);
	if (b->failed || verdict.failed)
		return CBENCH_ENOMEM;
	return 0;
}

static int build(struct cbench_buf *b, const struct cbench_run *run)
{
	return build_within(b, run, CBENCH_MARKDOWN_BUDGET, false);
}

int cbench_markdown__merge(struct cbench_buf *b, const struct cbench_run *const *runs,
                           size_t n)
{
	size_t regressed = 0, head, share;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		regressed += runs[i]->regressions > 0;
	cbench_buf__addf(b, CBENCH_MARKDOWN_MARKER "\n"
	                 "## \xF0\x9F\x93\x8A Performance Report\n"
	                 "**Platforms**: %zu, %zu with regressions\n\n"
	                 "| Platform | Verdict |\n|----------|---------|\n", n, regressed);
	for (size_t i = 0; i < n; i++) {
		cbench_buf__adds(b, "| ");
		if (runs[i]->platform.id[0])
			cbench_escape__markdown_code(b, runs[i]->platform.id);
		else
			cbench_buf__adds(b, "unknown");
		cbench_buf__addf(b, " | %s |\n", runs[i]->regressions > 0 ?
		                 "\xE2\x9D\x8C regressions" : "\xE2\x9C\x85 no regressions");
	}
	/* Each platform gets an equal share of what is left of the budget; a
	 * section over its share is summarised as a single report would be. */
	head = cbench_buf__len(b);
	share = n && CBENCH_MARKDOWN_BUDGET > head ? (CBENCH_MARKDOWN_BUDGET - head) / n : 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct cbench_buf part = CBENCH_BUF_INIT(FULL_MAX);

		rc = build_within(&part, runs[i], share, true);
		if (rc == 0)
			rc = cbench_buf__add(b, cbench_buf__str(&part), cbench_buf__len(&part));
		cbench_buf__free(&part);
	}
	return b->failed ? CBENCH_ENOMEM : rc;
}

static int open_markdown(void **out, const char *path,
                  const struct cbench_report_config *config,
                  struct cbench_error *err)
{
	(void)config;
	return cbench_document__open(out, path, build, FULL_MAX, err);
}

const struct cbench_reporter cbench_reporter_markdown = {
	CBENCH_REPORTER_VERSION, "markdown",
	open_markdown, cbench_document__context, cbench_document__result,
	cbench_document__finish, cbench_document__close
};
