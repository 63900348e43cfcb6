/*
 * One run as a standalone HTML page (`cbench report --format html`): the
 * platform and commit, the verdict, a table of every metric against its
 * baseline, the regressions, missed targets and failures spelled out, the
 * full statistics, and, when the run kept its samples, a chart of each
 * timing metric's rounds (dygraphs, inlined as on the dashboard; without
 * libjs-dygraphs the page says so and keeps everything else). Written at
 * finish; every name goes through cbench_escape__html, the chart data
 * through cbench_dashboard__add_json.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "cbench/reporter.h"
#include "reporters/units.h"
#include "reporters/dashboard.h"
#include "reporters/document.h"
#include "base/error.h"
#include "reporters/escape.h"
#include "base/utf8.h"

#define HTML_MAX ((size_t)256 << 20)
/* Charts kept for a page that still opens quickly: at most this many, of
 * at most this many rounds each (more rounds: evenly thinned). */
#define MAX_CHARTS 200
#define MAX_CHART_SAMPLES 5000

#define DASH "\xE2\x80\x94"     /* — */
#define MINUS "\xE2\x88\x92"    /* − */
#define DOT " \xC2\xB7 "        /* · */

static const char css[] =
	"body{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",sans-serif;margin:0 auto;"
	"max-width:1200px;padding:0 24px 40px;color:#222}\n"
	"h1{font-size:24px;margin:20px 0 6px}\n"
	"h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}\n"
	"h3{font-size:14px;margin:16px 0 4px;overflow-wrap:anywhere}\n"
	"code{background:#f3f3f3;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	".scroll{overflow-x:auto}\n"
	"th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\n"
	"td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"td.name{overflow-wrap:anywhere;max-width:420px}\n"
	"th{background:#f6f6f6}\n"
	"tr.regression td{background:#fdecea}\n"
	"tr.improvement td{background:#eaf7ea}\n"
	"tr.incomplete td{background:#fff6e0}\n"
	".verdict{padding:10px 14px;border-radius:6px;font-weight:600;margin:12px 0}\n"
	".verdict.bad{background:#fdecea;color:#a11}\n"
	".verdict.good{background:#eaf7ea;color:#164}\n"
	".note{background:#f3f6fb;border-left:4px solid #7a9cc6;padding:6px 10px;margin:8px 0}\n"
	".sub{color:#555}\n"
	".cbench-chart{height:240px;width:100%}\n"
	".cbench-legend{font-size:12px;min-height:1.5em}\n"
	"dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}\n"
	"dt{color:#555}dd{margin:0;overflow-wrap:anywhere}\n"
	"li{overflow-wrap:anywhere}\n";

/* One chart per timing metric with samples: rounds on x, seconds per call
 * on y, the median and the baseline as dashed lines. */
static const char report_js[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var D = JSON.parse(document.getElementById(\"cbench-data\").textContent);\n"
	"var charts = [];\n"
	"if (typeof Dygraph === \"undefined\") { cbenchSelfCheck(charts); return; }\n"
	"D.charts.forEach(function (c, ci) {\n"
	"  var div = document.getElementById(\"cbench-chart-\" + ci);\n"
	"  var legend = document.getElementById(\"cbench-legend-\" + ci);\n"
	"  var fmt = cbenchFormatter(c.unit), labels = [\"round\", \"value\"], rows = [];\n"
	"  var hasBase = c.baseline !== undefined;\n"
	"  labels.push(\"median\");\n"
	"  if (hasBase) labels.push(\"baseline\");\n"
	"  for (var i = 0; i < c.v.length; i++) {\n"
	"    var row = [c.r[i], c.v[i], null];\n"
	"    if (hasBase) row.push(null);\n"
	"    rows.push(row);\n"
	"  }\n"
	"  if (!div || !rows.length) return;\n"
	"  rows[0][2] = rows[rows.length - 1][2] = c.median === undefined ? null : c.median;\n"
	"  if (hasBase) rows[0][3] = rows[rows.length - 1][3] = c.baseline;\n"
	"  function legendFormatter(data) {\n"
	"    var frag = document.createDocumentFragment(), text;\n"
	"    if (data.x === undefined || data.x === null)\n"
	"      text = c.v.length + \" rounds \\u00b7 median \" + fmt(c.median) +\n"
	"             (hasBase ? \" \\u00b7 baseline \" + fmt(c.baseline) : \"\");\n"
	"    else\n"
	"      text = \"round \" + data.x + \": \" + fmt(data.series[0].y);\n"
	"    frag.appendChild(document.createTextNode(text));\n"
	"    return frag;\n"
	"  }\n"
	"  try {\n"
	"    charts.push(new Dygraph(div, rows, {\n"
	"      labels: labels, colors: [\"#1f77b4\", \"#2ca02c\", \"#ff7f0e\"],\n"
	"      series: { value: { drawPoints: true, pointSize: 1.5, strokeWidth: 1 },\n"
	"                median: { strokePattern: Dygraph.DASHED_LINE, highlightCircleSize: 0 },\n"
	"                baseline: { strokePattern: Dygraph.DASHED_LINE, highlightCircleSize: 0 } },\n"
	"      connectSeparatedPoints: true, labelsDiv: legend, legend: \"always\",\n"
	"      legendFormatter: legendFormatter, xlabel: \"round\",\n"
	"      ylabel: cbenchEsc(c.unit === \"s\" ? \"time per call\" : c.unit),\n"
	"      axes: { y: { valueFormatter: fmt, axisLabelWidth: 64,\n"
	"                   axisLabelFormatter: function (v) { return cbenchEsc(fmt(v)); } } },\n"
	"      animatedZooms: false\n"
	"    }));\n"
	"  } catch (e) {\n"
	"    window.cbenchErrors = (window.cbenchErrors || 0) + 1;\n"
	"  }\n"
	"});\n"
	"cbenchSelfCheck(charts);\n"
	"})();\n";

/* ---- text ------------------------------------------------------------------------- */

static void text(struct cbench_buf *b, const char *s)
{
	cbench_escape__html(b, s ? s : "");
}

static void code(struct cbench_buf *b, const char *s)
{
	cbench_buf__adds(b, "<code>");
	text(b, s);
	cbench_buf__adds(b, "</code>");
}

static void value(struct cbench_buf *b, const char *unit, double v)
{
	char num[64];

	if (!isfinite(v)) {
		cbench_buf__adds(b, DASH);
	} else if (cbench_units__value(num, sizeof(num), unit, v)) {
		cbench_buf__adds(b, num);
		cbench_buf__adds(b, " ");
		text(b, unit);
	} else {
		cbench_buf__adds(b, num);
	}
}

static void change(struct cbench_buf *b, double c)
{
	char num[64];

	if (!isfinite(c)) {
		cbench_buf__adds(b, DASH);
		return;
	}
	snprintf(num, sizeof(num), "%+.1f%%", c * 100);
	if (num[0] == '-') {
		cbench_buf__adds(b, MINUS);
		cbench_buf__adds(b, num + 1);
	} else {
		cbench_buf__adds(b, num);
	}
}

static void percent(struct cbench_buf *b, double fraction)
{
	if (isfinite(fraction))
		cbench_buf__addf(b, "%.3g%%", fraction * 100);
	else
		cbench_buf__adds(b, DASH);
}

static const char *verdict_text(enum cbench_verdict v)
{
	switch (v) {
	case CBENCH_VERDICT_NEW: return "\xF0\x9F\x86\x95 new";
	case CBENCH_VERDICT_UNCHANGED: return "\xE2\x9C\x85 unchanged";
	case CBENCH_VERDICT_IMPROVEMENT: return "\xF0\x9F\x9A\x80 improvement";
	case CBENCH_VERDICT_REGRESSION: return "\xE2\x9D\x8C regression";
	case CBENCH_VERDICT_MISSING: return "\xE2\x9A\xA0\xEF\xB8\x8F missing";
	case CBENCH_VERDICT_INCONCLUSIVE: return "\xE2\x9D\x94 inconclusive";
	}
	return "?";
}

static const char *status_text(enum cbench_status s)
{
	switch (s) {
	case CBENCH_STATUS_FAILED: return "\xF0\x9F\x9B\x91 failed";
	case CBENCH_STATUS_ERROR: return "\xF0\x9F\x92\xA5 error";
	case CBENCH_STATUS_SKIPPED: return "\xE2\x8F\xAD\xEF\xB8\x8F skipped";
	case CBENCH_STATUS_TARGET: return "\xF0\x9F\x8E\xAF target missed";
	case CBENCH_STATUS_PASSED: return "passed";
	}
	return "?";
}

static const char *direction_text(enum cbench_direction d)
{
	return d == CBENCH_HIGHER_IS_BETTER ? "higher is better" : "lower is better";
}

static bool incomplete(const struct cbench_result *res)
{
	return res->status == CBENCH_STATUS_FAILED || res->status == CBENCH_STATUS_ERROR ||
	       res->status == CBENCH_STATUS_SKIPPED;
}

/* ---- sections ------------------------------------------------------------------------ */

static void head(struct cbench_buf *b, const struct cbench_run *run)
{
	const struct cbench_git *g = &run->git;

	cbench_buf__adds(b, "<h1>\xF0\x9F\x93\x8A Performance Report</h1>\n<p>Platform: ");
	if (run->platform.id[0])
		code(b, run->platform.id);
	else
		cbench_buf__adds(b, "unknown");
	if (g->present) {
		cbench_buf__adds(b, DOT "Commit: ");
		code(b, g->short_commit[0] ? g->short_commit : g->commit);
		if (g->branch[0]) {
			cbench_buf__adds(b, " on ");
			code(b, g->branch);
		}
		if (g->dirty)
			cbench_buf__adds(b, " (dirty)");
		if (g->subject[0]) {
			cbench_buf__adds(b, " " DASH " ");
			text(b, g->subject);
		}
	}
	cbench_buf__adds(b, "</p>\n<p class=\"sub\">");
	text(b, run->started_at);
	cbench_buf__adds(b, DOT);
	text(b, run->mode ? run->mode : "?");
	cbench_buf__addf(b, " mode" DOT "%zu of %zu benchmarks" DOT, run->nresults, run->selected);
	value(b, "s", run->duration);
	cbench_buf__adds(b, "</p>\n");
	if (run->regressions > 0)
		cbench_buf__addf(b, "<div class=\"verdict bad\">\xE2\x9D\x8C %zu regression%s "
		                 "detected</div>\n", run->regressions, run->regressions == 1 ? "" : "s");
	else
		cbench_buf__adds(b, "<div class=\"verdict good\">\xE2\x9C\x85 No regressions "
		                    "detected</div>\n");
	if (!run->compared && run->baseline_note) {
		cbench_buf__adds(b, "<p class=\"note\">Every metric is new: ");
		text(b, run->baseline_note);
		cbench_buf__adds(b, "</p>\n");
	}
	if (run->interrupted)
		cbench_buf__addf(b, "<p class=\"note\">The run was interrupted: %zu of %zu "
		                 "benchmarks ran.</p>\n", run->nresults, run->selected);
}

static void comparison_row(struct cbench_buf *b, const struct cbench_result *res,
                           const struct cbench_metric *m)
{
	const char *cls = m->cmp.verdict == CBENCH_VERDICT_REGRESSION ? " class=\"regression\"" :
	                  m->cmp.verdict == CBENCH_VERDICT_IMPROVEMENT ? " class=\"improvement\"" :
	                  "";

	cbench_buf__addf(b, "<tr%s><td class=\"name\">", cls);
	text(b, m->name);
	if (res->id && m->name && strcmp(res->id, m->name) != 0) {
		cbench_buf__adds(b, "<br><span class=\"sub\">");
		text(b, res->id);
		cbench_buf__adds(b, "</span>");
	}
	cbench_buf__adds(b, "</td><td class=\"num\">");
	value(b, m->unit, isfinite(m->cmp.current) ? m->cmp.current : m->value);
	cbench_buf__adds(b, "</td><td class=\"num\">");
	value(b, m->unit, m->cmp.baseline);
	cbench_buf__adds(b, "</td><td class=\"num\">");
	change(b, m->cmp.change);
	cbench_buf__addf(b, "</td><td>%s", verdict_text(m->cmp.verdict));
	if (m->cmp.unconfirmed)
		cbench_buf__adds(b, " (re-runs did not confirm a change)");
	if (m->target.missed)
		cbench_buf__addf(b, DOT "%s", status_text(CBENCH_STATUS_TARGET));
	cbench_buf__adds(b, "</td></tr>\n");
}

static void comparison_table(struct cbench_buf *b, const struct cbench_run *run)
{
	cbench_buf__adds(b, "<h2>\xF0\x9F\x93\x88 Metrics comparison</h2>\n");
	if (run->nresults == 0 && run->nmissing == 0) {
		cbench_buf__adds(b, "<p>No benchmark ran.</p>\n");
		return;
	}
	cbench_buf__adds(b, "<div class=\"scroll\"><table id=\"comparison\">\n<thead><tr>"
	                    "<th>Metric</th><th>Current</th><th>Baseline</th><th>Change</th>"
	                    "<th>Status</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *res = &run->results[i];

		if (incomplete(res)) {
			cbench_buf__adds(b, "<tr class=\"incomplete\"><td class=\"name\">");
			text(b, res->id);
			cbench_buf__addf(b, "</td><td class=\"num\">" DASH "</td><td class=\"num\">"
			                 DASH "</td><td class=\"num\">" DASH "</td><td>%s",
			                 status_text(res->status));
			if (res->message) {
				cbench_buf__adds(b, ": ");
				text(b, res->message);
			}
			cbench_buf__adds(b, "</td></tr>\n");
		}
		for (size_t k = 0; k < res->nmetrics; k++)
			comparison_row(b, res, &res->metrics[k]);
	}
	for (size_t k = 0; k < run->nmissing; k++) {
		const struct cbench_missing *x = &run->missing[k];

		cbench_buf__adds(b, "<tr class=\"incomplete\"><td class=\"name\">");
		text(b, x->name);
		cbench_buf__adds(b, "</td><td class=\"num\">" DASH "</td><td class=\"num\">");
		value(b, x->unit, x->baseline);
		cbench_buf__addf(b, "</td><td class=\"num\">" DASH "</td><td>%s</td></tr>\n",
		                 verdict_text(CBENCH_VERDICT_MISSING));
	}
	cbench_buf__adds(b, "</tbody>\n</table></div>\n");
}

static void regression_item(struct cbench_buf *b, const struct cbench_metric *m)
{
	char why[640];
	cbench_buf__adds(b, "<li><strong>");
	text(b, m->name);
	cbench_buf__adds(b, "</strong>: ");
	value(b, m->unit, m->cmp.current);
	cbench_buf__adds(b, " vs ");
	value(b, m->unit, m->cmp.baseline);
	cbench_buf__adds(b, " baseline (");
	change(b, m->cmp.change);
	cbench_buf__adds(b, ", threshold ");
	percent(b, m->cmp.threshold);
	cbench_buf__addf(b, ", %s)", direction_text(m->direction));
	if (m->cmp.nconfirm > 0) {
		cbench_buf__addf(b, ", confirmed by %zu re-run%s", m->cmp.nconfirm,
		                 m->cmp.nconfirm == 1 ? "" : "s");
		if (m->cmp.confirm) {
			cbench_buf__adds(b, " (");
			for (size_t i = 0; i < m->cmp.nconfirm; i++) {
				if (i)
					cbench_buf__adds(b, ", ");
				value(b, m->unit, m->cmp.confirm[i]);
			}
			cbench_buf__adds(b, ")");
		}
	}
	cbench_units__evidence(why, sizeof(why), &m->cmp, m->unit);
	if (why[0]) {
		cbench_buf__adds(b, "; ");
		cbench_escape__html(b, why);
	}
	cbench_buf__adds(b, "</li>\n");
}

static void target_item(struct cbench_buf *b, const struct cbench_metric *m)
{
	cbench_buf__adds(b, "<li><strong>");
	text(b, m->name);
	cbench_buf__adds(b, "</strong>: ");
	text(b, m->target.stat);
	cbench_buf__adds(b, " ");
	value(b, m->unit, m->target.actual);
	cbench_buf__addf(b, ", target %s ", m->direction == CBENCH_HIGHER_IS_BETTER ?
	                 "\xE2\x89\xA5" : "\xE2\x89\xA4");
	value(b, m->unit, m->target.limit);
	if (isfinite(m->target.ratio))
		cbench_buf__addf(b, " (%.2f\xC3\x97 the target)", m->target.ratio);
	cbench_buf__adds(b, "</li>\n");
}

static void gate(struct cbench_buf *b, const struct cbench_run *run)
{
	size_t nreg = 0, ntarget = 0, nfail = 0;

	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *res = &run->results[i];

		nfail += res->status == CBENCH_STATUS_FAILED || res->status == CBENCH_STATUS_ERROR;
		for (size_t k = 0; k < res->nmetrics; k++) {
			nreg += res->metrics[k].cmp.verdict == CBENCH_VERDICT_REGRESSION;
			ntarget += res->metrics[k].target.missed;
		}
	}
	if (nreg) {
		cbench_buf__addf(b, "<h2 id=\"regressions\">\xE2\x9D\x8C %zu regression%s</h2>\n<ul>\n",
		                 nreg, nreg == 1 ? "" : "s");
		for (size_t i = 0; i < run->nresults; i++)
			for (size_t k = 0; k < run->results[i].nmetrics; k++)
				if (run->results[i].metrics[k].cmp.verdict == CBENCH_VERDICT_REGRESSION)
					regression_item(b, &run->results[i].metrics[k]);
		cbench_buf__adds(b, "</ul>\n");
	}
	if (ntarget) {
		cbench_buf__addf(b, "<h2>\xF0\x9F\x8E\xAF %zu target%s missed</h2>\n<ul>\n", ntarget,
		                 ntarget == 1 ? "" : "s");
		for (size_t i = 0; i < run->nresults; i++)
			for (size_t k = 0; k < run->results[i].nmetrics; k++)
				if (run->results[i].metrics[k].target.missed)
					target_item(b, &run->results[i].metrics[k]);
		cbench_buf__adds(b, "</ul>\n");
	}
	if (nfail) {
		cbench_buf__addf(b, "<h2>\xF0\x9F\x9B\x91 %zu benchmark%s did not complete</h2>\n<ul>\n",
		                 nfail, nfail == 1 ? "" : "s");
		for (size_t i = 0; i < run->nresults; i++) {
			const struct cbench_result *res = &run->results[i];

			if (res->status != CBENCH_STATUS_FAILED && res->status != CBENCH_STATUS_ERROR)
				continue;
			cbench_buf__adds(b, "<li><strong>");
			text(b, res->id);
			cbench_buf__addf(b, "</strong> %s", status_text(res->status));
			if (res->message) {
				cbench_buf__adds(b, ": <pre>");
				text(b, res->message);
				cbench_buf__adds(b, "</pre>");
			}
			cbench_buf__adds(b, "</li>\n");
		}
		cbench_buf__adds(b, "</ul>\n");
	}
}

static void stats_table(struct cbench_buf *b, const struct cbench_run *run)
{
	size_t total = 0;

	for (size_t i = 0; i < run->nresults; i++)
		total += run->results[i].nmetrics;
	if (total == 0)
		return;
	cbench_buf__adds(b, "<h2>Statistics</h2>\n<div class=\"scroll\"><table id=\"statistics\">\n"
	                    "<thead><tr><th>Metric</th><th>n</th><th>min</th><th>median [95% CI]</th>"
	                    "<th>mean</th><th>stddev</th><th>p95</th><th>p99</th><th>outliers</th>"
	                    "<th>threshold</th><th>direction</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < run->nresults; i++) {
		for (size_t k = 0; k < run->results[i].nmetrics; k++) {
			const struct cbench_metric *m = &run->results[i].metrics[k];
			const struct cbench_stats *s = &m->stats;

			cbench_buf__adds(b, "<tr><td class=\"name\">");
			text(b, m->name);
			cbench_buf__addf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">", s->n);
			value(b, m->unit, s->min);
			cbench_buf__adds(b, "</td><td class=\"num\">");
			value(b, m->unit, s->median);
			cbench_buf__adds(b, " [");
			value(b, m->unit, s->ci_low);
			cbench_buf__adds(b, ", ");
			value(b, m->unit, s->ci_high);
			cbench_buf__adds(b, "]</td><td class=\"num\">");
			value(b, m->unit, s->mean);
			cbench_buf__adds(b, "</td><td class=\"num\">");
			value(b, m->unit, s->stddev);
			cbench_buf__adds(b, "</td><td class=\"num\">");
			value(b, m->unit, s->p95);
			cbench_buf__adds(b, "</td><td class=\"num\">");
			value(b, m->unit, s->p99);
			cbench_buf__addf(b, "</td><td class=\"num\">%zu + %zu</td><td>",
			                 s->outliers_mild, s->outliers_severe);
			percent(b, m->cmp.threshold);
			if (m->cmp.threshold_source) {
				cbench_buf__adds(b, " (");
				text(b, m->cmp.threshold_source);
				cbench_buf__adds(b, ")");
			}
			cbench_buf__addf(b, "</td><td>%s</td></tr>\n", direction_text(m->direction));
		}
	}
	cbench_buf__adds(b, "</tbody>\n</table></div>\n");
}

static void item(struct cbench_buf *b, const char *term, const char *desc)
{
	if (!desc || !desc[0])
		return;
	cbench_buf__addf(b, "<dt>%s</dt><dd>", term);
	text(b, desc);
	cbench_buf__adds(b, "</dd>\n");
}

static void run_info(struct cbench_buf *b, const struct cbench_run *run)
{
	const struct cbench_platform *p = &run->platform;

	cbench_buf__adds(b, "<h2>Run</h2>\n<dl>\n");
	item(b, "Started", run->started_at);
	item(b, "Run id", run->run_id);
	item(b, "Run type", run->run_type);
	item(b, "Mode", run->mode);
	item(b, "Clock", run->clock);
	item(b, "Processes", run->forked ? "one per benchmark (forked)" : "in process");
	item(b, "cbench", run->cbench_version);
	cbench_buf__adds(b, "<dt>Compared on</dt><dd>");
	text(b, run->compare_stat ? run->compare_stat : "median");
	cbench_buf__adds(b, ", default threshold ");
	percent(b, run->threshold);
	cbench_buf__adds(b, "</dd>\n<dt>Baselines</dt><dd>");
	if (run->baselines)
		code(b, run->baselines);
	else
		cbench_buf__adds(b, "none read");
	cbench_buf__addf(b, " (%s)", run->compared ? "compared" : "not compared");
	if (run->baseline_note) {
		cbench_buf__adds(b, ": ");
		text(b, run->baseline_note);
	}
	cbench_buf__adds(b, "</dd>\n");
	if (run->git.present) {
		item(b, "Commit", run->git.commit);
		item(b, "Branch", run->git.branch);
	}
	item(b, "Platform id", p->id);
	item(b, "Platform id from", p->id_source);
	item(b, "Host", p->hostname);
	item(b, "OS", p->os_release[0] ? p->os_release : p->os);
	item(b, "Kernel", p->kernel);
	item(b, "Architecture", p->arch);
	item(b, "CPU", p->cpu_model);
	if (p->cpus) {
		cbench_buf__addf(b, "<dt>CPUs</dt><dd>%u logical", p->cpus);
		if (p->physical_cores)
			cbench_buf__addf(b, ", %u physical cores", p->physical_cores);
		cbench_buf__adds(b, "</dd>\n");
	}
	if (p->ram_bytes)
		cbench_buf__addf(b, "<dt>Memory</dt><dd>%.1f GiB</dd>\n",
		                 (double)p->ram_bytes / (1024.0 * 1024 * 1024));
	item(b, "Governor", p->governor);
	item(b, "Compiler", p->compiler);
	item(b, "Flags", p->cflags);
	for (size_t i = 0; i < p->ngpus && i < CBENCH_MAX_GPUS; i++)
		item(b, "GPU", p->gpus[i].name);
	item(b, "CI", p->ci);
	cbench_buf__adds(b, "</dl>\n");
	if (run->nwarnings) {
		cbench_buf__adds(b, "<h3>Warnings</h3>\n<ul>\n");
		for (size_t i = 0; i < run->nwarnings; i++) {
			cbench_buf__adds(b, "<li>");
			text(b, run->warnings[i]);
			cbench_buf__adds(b, "</li>\n");
		}
		cbench_buf__adds(b, "</ul>\n");
	}
}

/* ---- charts ----------------------------------------------------------------------- */

static bool chartable(const struct cbench_metric *m)
{
	return m->timing && m->samples && m->nsamples > 0;
}

static size_t count_charts(const struct cbench_run *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->nresults; i++)
		for (size_t k = 0; k < run->results[i].nmetrics; k++)
			n += chartable(&run->results[i].metrics[k]);
	return n;
}

static int jset(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

/* One chart's data: the rounds kept (r) and their values (v). */
static json_t *chart_json(const struct cbench_metric *m)
{
	json_t *o = json_object(), *r = json_array(), *v = json_array();
	size_t step = (m->nsamples + MAX_CHART_SAMPLES - 1) / MAX_CHART_SAMPLES;
	int bad = !o || !r || !v;

	bad |= jset(o, "unit", cbench_utf8__json_string(m->unit));
	bad |= jset(o, "r", r);
	bad |= jset(o, "v", v);
	if (isfinite(m->stats.median))
		bad |= jset(o, "median", json_real(m->stats.median));
	if (isfinite(m->cmp.baseline))
		bad |= jset(o, "baseline", json_real(m->cmp.baseline));
	for (size_t i = 0; i < m->nsamples && !bad; i += step) {
		if (!isfinite(m->samples[i]))
			continue;
		bad |= json_array_append_new(r, json_integer((json_int_t)i + 1));
		bad |= json_array_append_new(v, json_real(m->samples[i]));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The charts' section; their data goes into `doc`. */
static int charts(struct cbench_buf *b, const struct cbench_run *run, json_t *list)
{
	size_t n = count_charts(run), shown = 0;

	if (n == 0)
		return 0;
	cbench_buf__adds(b, "<h2>Samples</h2>\n<p class=\"sub\">Each round's time per call; "
	                    "dashed: the median and the baseline. Drag to zoom, double-click to "
	                    "reset.</p>\n");
	for (size_t i = 0; i < run->nresults && shown < MAX_CHARTS; i++) {
		for (size_t k = 0; k < run->results[i].nmetrics && shown < MAX_CHARTS; k++) {
			const struct cbench_metric *m = &run->results[i].metrics[k];

			if (!chartable(m))
				continue;
			if (json_array_append_new(list, chart_json(m)) != 0)
				return CBENCH_ENOMEM;
			cbench_buf__adds(b, "<h3>");
			text(b, m->name);
			cbench_buf__addf(b, "</h3>\n<div class=\"cbench-chart\" id=\"cbench-chart-%zu\">"
			                 "</div><div class=\"cbench-legend\" id=\"cbench-legend-%zu\">"
			                 "</div>\n", shown, shown);
			shown++;
		}
	}
	if (shown < n)
		cbench_buf__addf(b, "<p class=\"note\">%zu more timing metrics have samples; the "
		                 "first %d are charted.</p>\n", n - shown, MAX_CHARTS);
	return 0;
}

/* ---- the page ----------------------------------------------------------------------- */

static int build(struct cbench_buf *b, const struct cbench_run *run)
{
	struct cbench_buf lib = CBENCH_BUF_INIT((size_t)8 << 20);
	struct cbench_error err = { 0, "" };
	json_t *doc = json_object(), *list = json_array();
	bool want = count_charts(run) > 0, have = false;
	int rc = 0;

	if (!doc || !list || json_object_set_new(doc, "charts", list) != 0) {
		json_decref(doc);
		return CBENCH_ENOMEM;
	}
	if (want)
		have = cbench_dashboard__add_dygraphs(&lib, &err) == 0;
	cbench_buf__adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                    "<meta name=\"generator\" content=\"cbench\">\n<title>cbench report: ");
	text(b, run->platform.id[0] ? run->platform.id : "unknown platform");
	if (run->git.present) {
		cbench_buf__adds(b, " @ ");
		text(b, run->git.short_commit[0] ? run->git.short_commit : run->git.commit);
	}
	cbench_buf__adds(b, "</title>\n<script>");
	cbench_buf__adds(b, cbench_dashboard__errors_js);
	cbench_buf__adds(b, "</script>\n");
	if (have)
		cbench_buf__add(b, cbench_buf__str(&lib), cbench_buf__len(&lib));
	cbench_buf__free(&lib);
	cbench_buf__adds(b, "<style>\n");
	cbench_buf__adds(b, css);
	cbench_buf__adds(b, "</style>\n</head>\n<body>\n");
	head(b, run);
	comparison_table(b, run);
	gate(b, run);
	if (want && !have) {
		cbench_buf__adds(b, "<p class=\"note\">No charts of the samples: ");
		text(b, err.text);
		cbench_buf__adds(b, "</p>\n");
	} else if (have) {
		rc = charts(b, run, list);
	}
	stats_table(b, run);
	run_info(b, run);
	cbench_buf__adds(b, "<pre id=\"cbench-selfcheck\" hidden>pending</pre>\n"
	                    "<script type=\"application/json\" id=\"cbench-data\">");
	if (rc == 0)
		rc = cbench_dashboard__add_json(b, doc);
	cbench_buf__adds(b, "</script>\n<script>\n");
	cbench_buf__adds(b, cbench_dashboard__common_js);
	cbench_buf__adds(b, cbench_dashboard__selfcheck_js);
	cbench_buf__adds(b, report_js);
	cbench_buf__adds(b, "</script>\n</body>\n</html>\n");
	json_decref(doc);
	if (rc == 0 && b->failed)
		rc = CBENCH_ENOMEM;
	return rc;
}

static int open_html(void **out, const char *path, const struct cbench_report_config *config,
                     struct cbench_error *err)
{
	(void)config;
	return cbench_document__open(out, path, build, HTML_MAX, err);
}

const struct cbench_reporter cbench_reporter_html = {
	CBENCH_REPORTER_VERSION, "html",
	open_html, cbench_document__context, cbench_document__result,
	cbench_document__finish, cbench_document__close
};
