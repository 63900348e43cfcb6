/*
 * The trend dashboard page. The reference framework drew it with Plotly at
 * 4-5 MB a page; this one inlines dygraphs (131 KB, Debian's
 * libjs-dygraphs) and one compact JSON blob, so 50 metrics x 10 platforms x
 * 90 days weigh 0.5 MB and the page opens from disk with no network.
 *
 * The blob is column-oriented. Every metric of a run shares the run's time
 * and commit, so each platform gets one table of runs (times in whole
 * seconds, delta-encoded; commits as indexes into one array of commit ids)
 * and a series is only its values, as integers of 6 significant digits
 * with a power of ten per series, plus run indexes (as differences) when
 * it does not cover every run of its platform. About 10 bytes a point; the
 * script rebuilds dygraphs' row matrix in the browser.
 */
#include "reporters/dashboard.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "reporters/escape.h"
#include "history/history.h"
#include "base/time.h"
#include "base/utf8.h"
#include "base/util.h"

#define REG_COLOR "#e41a1c" /* the threshold lines */
#define LIB_MAX ((size_t)4 << 20)

/* ---- the charting library ------------------------------------------------------ */

static const char *dygraphs_dir(void)
{
	const char *dir = getenv("CBENCH_DYGRAPHS_DIR");

	return dir && *dir ? dir : CBENCH_DYGRAPHS_DIR;
}

/* Reads dir/name whole into `b`. */
static int read_asset(struct cbench_buf *b, const char *dir, const char *name,
                      struct cbench_error *err)
{
	char *path = cbench__asprintf("%s/%s", dir, name), chunk[65536];
	FILE *f;
	size_t got;
	int rc = 0;

	if (!path)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	f = fopen(path, "rb");
	if (!f) {
		rc = cbench_error__set(err, CBENCH_EIO, "%s: %s (the charting library: install "
		                       "the package libjs-dygraphs, or set CBENCH_DYGRAPHS_DIR)",
		                       path, strerror(errno));
		free(path);
		return rc;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (cbench_buf__add(b, chunk, got) != 0)
			break;
	if (ferror(f))
		rc = cbench_error__set(err, CBENCH_EIO, "%s: read error", path);
	else if (b->failed)
		rc = cbench_error__set(err, CBENCH_ENOMEM, "%s: too large or out of memory", path);
	fclose(f);
	free(path);
	return rc;
}

static bool contains_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return true;
	return false;
}

/* Appends `text` but for its source-map comment lines, which would only
 * make developer tools look for a file that is not there. */
static void add_without_sourcemap(struct cbench_buf *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl + 1 : end;

		if (strncmp(p, "//# sourceMappingURL=", 21) != 0 &&
		    strncmp(p, "/*# sourceMappingURL=", 21) != 0)
			cbench_buf__add(out, p, (size_t)(stop - p));
		p = stop;
	}
}

int cbench_dashboard__add_dygraphs(struct cbench_buf *out, struct cbench_error *err)
{
	struct cbench_buf js = CBENCH_BUF_INIT(LIB_MAX), css = CBENCH_BUF_INIT(LIB_MAX);
	const char *dir = dygraphs_dir();
	int rc;

	if ((rc = read_asset(&js, dir, "dygraph.min.js", err)) != 0 ||
	    (rc = read_asset(&css, dir, "dygraph.min.css", err)) != 0)
		goto out;
	/* Inlined text must not end its element early, nor open an HTML
	 * comment that would hide the end tag. */
	if (contains_ci(js.data, js.len, "</script") || contains_ci(js.data, js.len, "<!--") ||
	    contains_ci(css.data, css.len, "</style")) {
		rc = cbench_error__set(err, CBENCH_EIO, "%s: dygraph.min.js or dygraph.min.css "
		                       "holds an HTML end tag and cannot be inlined", dir);
		goto out;
	}
	cbench_buf__adds(out, "<style>\n");
	add_without_sourcemap(out, css.data, css.len);
	cbench_buf__adds(out, "\n</style>\n<script>\n");
	add_without_sourcemap(out, js.data, js.len);
	cbench_buf__adds(out, "\n</script>\n");
	rc = out->failed ? cbench_error__set(err, CBENCH_ENOMEM, "out of memory") : 0;
out:
	cbench_buf__free(&js);
	cbench_buf__free(&css);
	return rc;
}

int cbench_dashboard__add_json(struct cbench_buf *out, const json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT | JSON_ESCAPE_SLASH | JSON_REAL_PRECISION(6));
	const char *p;

	if (!text)
		return CBENCH_ENOMEM;
	/* '<' and '>' only occur inside JSON strings, where \u003c means the
	 * same character. */
	for (p = text; *p;) {
		size_t span = strcspn(p, "<>");

		cbench_buf__add(out, p, span);
		p += span;
		if (*p) {
			cbench_buf__adds(out, *p == '<' ? "\\u003c" : "\\u003e");
			p++;
		}
	}
	free(text);
	return out->failed ? CBENCH_ENOMEM : 0;
}

/* ---- scripts ----------------------------------------------------------------------- */

const char cbench_dashboard__errors_js[] =
	"window.cbenchErrors=0;"
	"window.addEventListener(\"error\",function(){window.cbenchErrors++;});\n";

/* "Not blank" means a saturated pixel: the grid and axes are grey, every
 * series colour is saturated, so only drawn data counts. */
const char cbench_dashboard__selfcheck_js[] =
	"function cbenchSelfCheck(charts) {\n"
	"  var series = 0, blank = 0;\n"
	"  charts.forEach(function (g) {\n"
	"    var inked = false, cs = g.graphDiv.getElementsByTagName(\"canvas\");\n"
	"    series += g.numColumns() - 1;\n"
	"    for (var k = 0; k < cs.length && !inked; k++) {\n"
	"      var c = cs[k];\n"
	"      if (!c.width || !c.height) continue;\n"
	"      var d = c.getContext(\"2d\").getImageData(0, 0, c.width, c.height).data;\n"
	"      for (var i = 0; i < d.length; i += 4) {\n"
	"        var hi = Math.max(d[i], d[i + 1], d[i + 2]), lo = Math.min(d[i], d[i + 1], d[i + 2]);\n"
	"        if (d[i + 3] > 64 && hi - lo > 60) { inked = true; break; }\n"
	"      }\n"
	"    }\n"
	"    if (!inked) blank++;\n"
	"  });\n"
	"  var text = \"charts=\" + charts.length + \" series=\" + series + \" blank=\" + blank +\n"
	"             \" errors=\" + (window.cbenchErrors || 0) + (window.cbenchExtra || \"\");\n"
	"  var pre = document.getElementById(\"cbench-selfcheck\");\n"
	"  if (pre) pre.textContent = text;\n"
	"  document.title += \" [\" + text + \"]\";\n"
	"}\n";

/* Shared by the dashboard and the HTML report: formatting in human units
 * and HTML escaping for what dygraphs writes with innerHTML (axis labels). */
const char cbench_dashboard__common_js[] =
	"function cbenchEsc(s) {\n"
	"  return String(s).replace(/[&<>\"']/g, function (c) {\n"
	"    return \"&#\" + c.charCodeAt(0) + \";\";\n"
	"  });\n"
	"}\n"
	"function cbenchNum(v) {\n"
	"  if (v === null || v === undefined || !isFinite(v)) return \"\\u2014\";\n"
	"  var a = Math.abs(v), si = [[1e12, \"T\"], [1e9, \"G\"], [1e6, \"M\"], [1e3, \"k\"]];\n"
	"  if (a !== 0 && (a < 1e-3 || a >= 1e15)) return v.toExponential(2);\n"
	"  for (var i = 0; i < si.length; i++)\n"
	"    if (a >= si[i][0]) return String(+(v / si[i][0]).toPrecision(4)) + si[i][1];\n"
	"  return String(+v.toPrecision(4));\n"
	"}\n"
	"function cbenchDur(v) {\n"
	"  if (v === null || v === undefined || !isFinite(v)) return \"\\u2014\";\n"
	"  var a = Math.abs(v), u = [[1, \"s\"], [1e-3, \"ms\"], [1e-6, \"\\u00b5s\"], [1e-9, \"ns\"]];\n"
	"  for (var i = 0; i < u.length - 1; i++) if (a >= u[i][0]) break;\n"
	"  return String(+(v / u[i][0]).toPrecision(4)) + \" \" + u[i][1];\n"
	"}\n"
	"function cbenchFormatter(unit) {\n"
	"  if (unit === \"s\") return cbenchDur;\n"
	"  return function (v) { return cbenchNum(v) + (unit ? \" \" + unit : \"\"); };\n"
	"}\n";

static const char dashboard_js[] =
	"(function () {\n"
	"\"use strict\";\n"
	"var D = JSON.parse(document.getElementById(\"cbench-data\").textContent);\n"
	"var charts = [], NEAR = 12 * 3600 * 1000;\n"
	/* Runs: absolute milliseconds from the delta-encoded seconds. */
	"var runs = D.runs.map(function (r) {\n"
	"  var t = [], acc = 0;\n"
	"  for (var i = 0; i < r.t.length; i++) { acc += r.t[i]; t.push(acc * 1000); }\n"
	"  return { t: t, c: r.c };\n"
	"});\n"
	/* Below a minute dygraphs writes "39.500" (seconds of the minute): a
	 * time of day says more (with milliseconds below a second: MINUTELY - 5
	 * is SECONDLY). */
	"var MINUTELY = Dygraph.Granularity ? Dygraph.Granularity.MINUTELY : 12;\n"
	"function xLabel(d, granularity, opts) {\n"
	"  if (granularity < MINUTELY)\n"
	"    return d.toISOString().slice(11, granularity < MINUTELY - 5 ? 23 : 19);\n"
	"  return Dygraph.dateAxisLabelFormatter(d, granularity, opts);\n"
	"}\n"
	"function when(ms) {\n"
	"  return new Date(ms).toISOString().replace(\"T\", \" \").replace(\".000Z\", \" UTC\");\n"
	"}\n"
	"function swatch(color, kind, text, parent) {\n"
	"  var item = document.createElement(\"span\"), sw = document.createElement(\"span\");\n"
	"  item.className = \"cbench-key\";\n"
	"  sw.className = \"cbench-sw \" + kind;\n"
	"  sw.style.borderColor = color;\n"
	"  item.appendChild(sw);\n"
	"  item.appendChild(document.createTextNode(text));\n"
	"  parent.appendChild(item);\n"
	"}\n"
	"D.metrics.forEach(function (m, mi) {\n"
	"  var div = document.getElementById(\"cbench-chart-\" + mi);\n"
	"  var legend = document.getElementById(\"cbench-legend-\" + mi);\n"
	"  var fmt = cbenchFormatter(m.unit), higher = m.dir === \"higher\";\n"
	"  var xs = [], at = new Map(), cols = [];\n"
	"  m.series.forEach(function (s) {\n"
	"    var run = runs[s.p], pts = [], e = s.e || 0, p10 = Math.pow(10, Math.abs(e)), r = 0;\n"
	"    for (var i = 0; i < s.v.length; i++) {\n"
	"      r = s.r ? (i ? r + s.r[i] : s.r[0]) : i;\n"
	"      var x = run.t[r], y = e < 0 ? s.v[i] / p10 : s.v[i] * p10;\n"
	"      pts.push([x, y, run.c ? run.c[r] : -1]);\n"
	"      if (!at.has(x)) { at.set(x, 0); xs.push(x); }\n"
	"    }\n"
	"    cols.push({ kind: \"v\", s: s, pts: pts });\n"
	"  });\n"
	"  if (!div || xs.length === 0) return;\n"
	"  m.series.forEach(function (s) { if (s.b !== undefined) cols.push({ kind: \"b\", s: s }); });\n"
	"  m.series.forEach(function (s) {\n"
	"    if (s.b !== undefined && s.h !== undefined) cols.push({ kind: \"h\", s: s });\n"
	"  });\n"
	"  xs.sort(function (a, b) { return a - b; });\n"
	"  xs.forEach(function (x, i) { at.set(x, i); });\n"
	"  var rows = xs.map(function (x) {\n"
	"    var row = new Array(cols.length + 1).fill(null);\n"
	"    row[0] = new Date(x);\n"
	"    return row;\n"
	"  });\n"
	"  var commits = [], labels = [\"time\"], colors = [], opts = {};\n"
	"  cols.forEach(function (c, k) {\n"
	"    var label = c.kind + k;\n"
	"    var color = c.kind === \"h\" ? \"" REG_COLOR "\" : D.platforms[c.s.p].color;\n"
	"    labels.push(label);\n"
	"    colors.push(color);\n"
	"    if (c.kind === \"v\") {\n"
	"      var cm = new Int32Array(xs.length).fill(-1);\n"
	"      c.pts.forEach(function (p) {\n"
	"        var i = at.get(p[0]);\n"
	"        rows[i][k + 1] = p[1];\n"
	"        cm[i] = p[2];\n"
	"      });\n"
	"      commits.push(cm);\n"
	"      opts[label] = { drawPoints: true, pointSize: 2, strokeWidth: 1.5 };\n"
	"    } else {\n"
	"      var y = c.kind === \"b\" ? c.s.b : c.s.b * (higher ? 1 - c.s.h : 1 + c.s.h);\n"
	"      rows[0][k + 1] = y;\n"
	"      rows[rows.length - 1][k + 1] = y;\n"
	"      commits.push(null);\n"
	"      opts[label] = { strokePattern: c.kind === \"b\" ? Dygraph.DASHED_LINE : [2, 5],\n"
	"                      strokeWidth: c.kind === \"b\" ? 1.2 : 1.6, drawPoints: false,\n"
	"                      highlightCircleSize: 0 };\n"
	"    }\n"
	"  });\n"
	/* The legend: the key when nothing is hovered, else the time and each
	 * platform's value there with its commit. Platforms do not run at the
	 * same second: each shows its point nearest the hovered time, within
	 * NEAR (12 hours). Built from text nodes, never HTML. */
	"  function near(k, row) {\n"
	"    for (var d = 0; ; d++) {\n"
	"      var lo = row - d, hi = row + d, inside = false;\n"
	"      if (lo >= 0 && xs[row] - xs[lo] <= NEAR) {\n"
	"        inside = true;\n"
	"        if (rows[lo][k + 1] !== null) return lo;\n"
	"      }\n"
	"      if (hi < rows.length && xs[hi] - xs[row] <= NEAR) {\n"
	"        inside = true;\n"
	"        if (rows[hi][k + 1] !== null) return hi;\n"
	"      }\n"
	"      if (!inside) return -1;\n"
	"    }\n"
	"  }\n"
	"  function legendFormatter(data) {\n"
	"    var frag = document.createDocumentFragment();\n"
	"    var row = data.x === undefined || data.x === null ? -1 : data.dygraph.getSelection();\n"
	"    if (row < 0 || row >= rows.length) {\n"
	"      cols.forEach(function (c) {\n"
	"        if (c.kind !== \"v\") return;\n"
	"        var p = D.platforms[c.s.p], text = p.name;\n"
	"        if (c.s.b !== undefined) {\n"
	"          text += \" \\u2014 baseline \" + fmt(c.s.b);\n"
	"          if (c.s.h !== undefined)\n"
	"            text += \", threshold \" + (higher ? \"\\u2212\" : \"+\") +\n"
	"                    +(c.s.h * 100).toPrecision(3) +\n"
	"                    \"% (\" + fmt(c.s.b * (higher ? 1 - c.s.h : 1 + c.s.h)) + \")\";\n"
	"        }\n"
	"        swatch(p.color, \"line\", text, frag);\n"
	"      });\n"
	"      return frag;\n"
	"    }\n"
	"    var head = document.createElement(\"b\");\n"
	"    head.textContent = when(xs[row]);\n"
	"    frag.appendChild(head);\n"
	"    cols.forEach(function (c, k) {\n"
	"      if (c.kind !== \"v\") return;\n"
	"      var r = near(k, row);\n"
	"      if (r < 0) return;\n"
	"      var ci = commits[k][r], p = D.platforms[c.s.p];\n"
	"      swatch(p.color, \"line\", p.name + \": \" + fmt(rows[r][k + 1]) +\n"
	"             (ci >= 0 ? \" @ \" + D.commits[ci] : \"\"), frag);\n"
	"    });\n"
	"    return frag;\n"
	"  }\n"
	"  try {\n"
	"    charts.push(new Dygraph(div, rows, {\n"
	"      labels: labels, colors: colors, series: opts,\n"
	"      connectSeparatedPoints: true, labelsUTC: true,\n"
	"      labelsDiv: legend, legend: \"always\", legendFormatter: legendFormatter,\n"
	"      ylabel: cbenchEsc(m.unit || \"value\"),\n"
	"      axes: { x: { axisLabelWidth: 72, axisLabelFormatter: xLabel },\n"
	"              y: { valueFormatter: fmt, axisLabelWidth: 64,\n"
	"                   axisLabelFormatter: function (v) {\n"
	"                     return cbenchEsc(m.unit === \"s\" ? cbenchDur(v) : cbenchNum(v));\n"
	"                   } } },\n"
	"      highlightCircleSize: 4, animatedZooms: false, xRangePad: 12\n"
	"    }));\n"
	"  } catch (e) {\n"
	"    window.cbenchErrors = (window.cbenchErrors || 0) + 1;\n"
	"  }\n"
	"});\n"
	/* Hovering, simulated: the legend of the first chart must name the
	 * commit of the point selected. */
	"if (charts.length) {\n"
	"  var g = charts[0], last = g.numRows() - 1;\n"
	"  g.setSelection(last);\n"
	"  var text = g.getOption(\"labelsDiv\").textContent;\n"
	"  var shown = / @ \\S/.test(text) || !D.commits.length;\n"
	"  document.getElementById(\"cbench-hover\").textContent = text;\n"
	"  window.cbenchExtra = \" hover=\" + (shown ? \"ok\" : \"fail\");\n"
	"  g.clearSelection();\n"
	"}\n"
	"cbenchSelfCheck(charts);\n"
	"})();\n";

static const char page_css[] =
	"body{font:14px/1.4 system-ui,-apple-system,\"Segoe UI\",sans-serif;margin:0;"
	"color:#222;background:#fafafa}\n"
	"header{padding:16px 24px;background:#fff;border-bottom:1px solid #ddd}\n"
	"h1{font-size:22px;margin:0 0 4px}\n"
	"h2{font-size:16px;margin:0 0 2px;overflow-wrap:anywhere}\n"
	".cbench-sub{color:#555;margin:2px 0}\n"
	".cbench-help{color:#666;font-size:13px;margin:6px 0 0}\n"
	"main{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));"
	"gap:16px;padding:16px 24px}\n"
	".cbench-metric{background:#fff;border:1px solid #ddd;border-radius:6px;"
	"padding:12px;min-width:0}\n"
	".cbench-chart{height:300px;width:100%}\n"
	".cbench-legend{min-height:3em;font-size:12px;margin-top:6px;overflow-wrap:anywhere}\n"
	".cbench-legend b{margin-right:10px}\n"
	".cbench-key{display:inline-block;margin-right:14px;white-space:nowrap}\n"
	".cbench-sw{display:inline-block;width:18px;height:0;border-top:2px solid;"
	"vertical-align:middle;margin-right:4px}\n"
	".cbench-sw.dash{border-top-style:dashed}\n"
	".cbench-sw.dot{border-top-style:dotted}\n"
	".cbench-none{color:#888;padding:40px 0;text-align:center}\n"
	"ul.cbench-platforms{list-style:none;padding:0;margin:4px 0}\n"
	"ul.cbench-platforms li{display:inline-block;margin-right:16px}\n";

/* ---- data ------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts and removes duplicates; returns the new count. */
static size_t sort_unique(const char **v, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i], v[k]) != 0)
			v[++k] = v[i];
	return k + 1;
}

static long find_str(const char *const *v, size_t n, const char *s)
{
	const char *const *hit = bsearch(&s, v, n, sizeof(*v), cmp_str);

	return hit ? (long)(hit - v) : -1;
}

static const char *platform_name(const struct cbench_dashboard_series *s)
{
	return s->platform ? s->platform : "unknown";
}

static const char *commit_of(const struct cbench_dashboard_series *s, size_t i)
{
	return s->commit && s->commit[i] && s->commit[i][0] ? s->commit[i] : NULL;
}

static bool point_ok(const struct cbench_dashboard_series *s, size_t i)
{
	return isfinite(s->t[i]) && isfinite(s->value[i]);
}

/* A run of one platform: a time (whole seconds) and a commit index (-1:
 * unknown). */
struct run {
	long platform;
	long long t;
	long commit;
};

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->platform != y->platform)
		return x->platform < y->platform ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->commit > y->commit) - (x->commit < y->commit);
}

struct model {
	const char **platforms;
	size_t nplatforms;
	const char **commits;
	size_t ncommits;
	struct run *runs;       /* sorted by platform, time, commit; unique */
	size_t nruns;
	size_t *first;          /* first[p] .. first[p + 1]: platform p's runs */
	size_t points;
};

static void model_free(struct model *md)
{
	free(md->platforms);
	free(md->commits);
	free(md->runs);
	free(md->first);
}

static int model_build(struct model *md, const struct cbench_dashboard_metric *m, size_t n)
{
	size_t nseries = 0, npoints = 0, k;

	memset(md, 0, sizeof(*md));
	for (size_t i = 0; i < n; i++) {
		nseries += m[i].nseries;
		for (size_t j = 0; j < m[i].nseries; j++)
			npoints += m[i].series[j].n;
	}
	md->platforms = malloc((nseries + 1) * sizeof(*md->platforms));
	md->commits = malloc((npoints + 1) * sizeof(*md->commits));
	md->runs = malloc((npoints + 1) * sizeof(*md->runs));
	if (!md->platforms || !md->commits || !md->runs)
		return CBENCH_ENOMEM;
	k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m[i].nseries; j++)
			md->platforms[k++] = platform_name(&m[i].series[j]);
	md->nplatforms = sort_unique(md->platforms, k);
	k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m[i].nseries; j++)
			for (size_t p = 0; p < m[i].series[j].n; p++)
				if (point_ok(&m[i].series[j], p) && commit_of(&m[i].series[j], p))
					md->commits[k++] = commit_of(&m[i].series[j], p);
	md->ncommits = sort_unique(md->commits, k);
	k = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < m[i].nseries; j++) {
			const struct cbench_dashboard_series *s = &m[i].series[j];
			long plat = find_str(md->platforms, md->nplatforms, platform_name(s));

			for (size_t p = 0; p < s->n; p++) {
				const char *c = commit_of(s, p);

				if (!point_ok(s, p))
					continue;
				md->runs[k].platform = plat;
				md->runs[k].t = llround(s->t[p]);
				md->runs[k].commit = c ? find_str(md->commits, md->ncommits, c) : -1;
				k++;
			}
		}
	}
	md->points = k;
	if (k > 0) {
		size_t u = 0;

		qsort(md->runs, k, sizeof(*md->runs), cmp_run);
		for (size_t i = 1; i < k; i++)
			if (cmp_run(&md->runs[i], &md->runs[u]) != 0)
				md->runs[++u] = md->runs[i];
		md->nruns = u + 1;
	}
	md->first = calloc(md->nplatforms + 1, sizeof(*md->first));
	if (!md->first)
		return CBENCH_ENOMEM;
	for (size_t i = 0, p = 0; p <= md->nplatforms; p++) {
		while (i < md->nruns && md->runs[i].platform < (long)p)
			i++;
		md->first[p] = i;
	}
	return 0;
}

/* The index of run `key` within its platform's runs. */
static long run_index(const struct model *md, const struct run *key)
{
	size_t lo = md->first[key->platform], hi = md->first[key->platform + 1];
	const struct run *hit = bsearch(key, md->runs + lo, hi - lo, sizeof(*md->runs), cmp_run);

	return hit ? (long)(hit - (md->runs + lo)) : -1;
}

/* Distinct colours: a hand-picked set, then hues a golden angle apart.
 * Red is left to the threshold lines; every colour is saturated, which the
 * self-check relies on. */
static void platform_color(char out[8], size_t i)
{
	static const char *const palette[] = {
		"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
		"#e377c2", "#17becf", "#bcbd22", "#0b3d91", "#008080",
	};
	double h, c = 0.7 * 0.75, x, r = 0, g = 0, b = 0, mm;

	if (i < sizeof(palette) / sizeof(palette[0])) {
		memcpy(out, palette[i], 8);
		return;
	}
	/* HSL(h, 75%, 35%) */
	h = fmod(40.0 + 137.508 * (double)i, 360.0) / 60.0;
	x = c * (1 - fabs(fmod(h, 2.0) - 1));
	switch ((int)h) {
	case 0: r = c; g = x; break;
	case 1: r = x; g = c; break;
	case 2: g = c; b = x; break;
	case 3: g = x; b = c; break;
	case 4: r = x; b = c; break;
	default: r = c; b = x; break;
	}
	mm = 0.35 - c / 2;
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround((r + mm) * 255),
	         (unsigned)lround((g + mm) * 255), (unsigned)lround((b + mm) * 255));
}

static int set(json_t *obj, const char *key, json_t *value)
{
	return value ? json_object_set_new(obj, key, value) : -1;
}

static int push(json_t *arr, json_t *value)
{
	return value ? json_array_append_new(arr, value) : -1;
}

/*
 * Values travel as integers n with value = n x 10^e, e chosen per series so
 * that its largest magnitude keeps 6 significant digits: "104532" where
 * %.6g would write "1.04532e-06", nearly half the bytes of the page.
 */
static int series_exponent(const struct cbench_dashboard_series *s)
{
	double max = 0;
	int e;

	for (size_t i = 0; i < s->n; i++)
		if (point_ok(s, i) && fabs(s->value[i]) > max)
			max = fabs(s->value[i]);
	if (max == 0)
		return 0;
	e = (int)floor(log10(max)) - 5;
	return e < -300 ? -300 : e > 300 ? 300 : e;
}

static json_int_t scaled(double v, int e)
{
	return (json_int_t)llround(e < 0 ? v * pow(10, -e) : v / pow(10, e));
}

static json_t *series_json(const struct model *md, const struct cbench_dashboard_series *s)
{
	json_t *o = json_object(), *v = json_array(), *r = json_array();
	long plat = find_str(md->platforms, md->nplatforms, platform_name(s));
	size_t nruns = md->first[plat + 1] - md->first[plat];
	bool all = true;
	long expect = 0, prev = 0;
	int bad = 0, e = series_exponent(s);

	if (!o || !v || !r)
		goto fail;
	for (size_t i = 0; i < s->n; i++) {
		struct run key;
		const char *c = commit_of(s, i);
		long idx;

		if (!point_ok(s, i))
			continue;
		key.platform = plat;
		key.t = llround(s->t[i]);
		key.commit = c ? find_str(md->commits, md->ncommits, c) : -1;
		idx = run_index(md, &key);
		all = all && idx == expect;
		expect++;
		/* run indexes, when needed, as differences */
		bad |= push(r, json_integer(expect == 1 ? idx : idx - prev));
		prev = idx;
		bad |= push(v, json_integer(scaled(s->value[i], e)));
	}
	all = all && (size_t)expect == nruns;
	bad |= set(o, "p", json_integer(plat));
	if (!all)
		bad |= set(o, "r", json_incref(r));
	bad |= set(o, "v", json_incref(v));
	if (e != 0)
		bad |= set(o, "e", json_integer(e));
	if (isfinite(s->baseline)) {
		bad |= set(o, "b", json_real(s->baseline));
		if (isfinite(s->threshold))
			bad |= set(o, "h", json_real(s->threshold));
	}
	json_decref(r);
	json_decref(v);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	json_decref(o);
	json_decref(v);
	json_decref(r);
	return NULL;
}

static json_t *data_json(const struct model *md, const struct cbench_dashboard_metric *m,
                         size_t n)
{
	json_t *doc = json_object(), *plats = json_array(), *commits = json_array();
	json_t *runs = json_array(), *metrics = json_array();
	int bad = !doc || !plats || !commits || !runs || !metrics;

	bad |= set(doc, "platforms", plats);
	bad |= set(doc, "commits", commits);
	bad |= set(doc, "runs", runs);
	bad |= set(doc, "metrics", metrics);
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	for (size_t p = 0; p < md->nplatforms; p++) {
		json_t *o = json_object();
		char color[8];

		platform_color(color, p);
		bad |= push(plats, o);
		bad |= set(o, "name", cbench_utf8__json_string(md->platforms[p]));
		bad |= set(o, "color", json_string(color));
	}
	for (size_t c = 0; c < md->ncommits; c++)
		bad |= push(commits, cbench_utf8__json_string(md->commits[c]));
	for (size_t p = 0; p < md->nplatforms; p++) {
		json_t *o = json_object(), *t = json_array(), *c = json_array();
		long long prev = 0;
		bool any_commit = false;

		bad |= push(runs, o);
		bad |= set(o, "t", t);
		for (size_t i = md->first[p]; i < md->first[p + 1]; i++) {
			bad |= push(t, json_integer(md->runs[i].t - prev));
			prev = md->runs[i].t;
			bad |= push(c, json_integer(md->runs[i].commit));
			any_commit = any_commit || md->runs[i].commit >= 0;
		}
		if (any_commit)
			bad |= set(o, "c", c);
		else
			json_decref(c);
	}
	for (size_t i = 0; i < n && !bad; i++) {
		json_t *o = json_object(), *series = json_array();

		bad |= push(metrics, o);
		bad |= set(o, "name", cbench_utf8__json_string(m[i].name));
		bad |= set(o, "unit", cbench_utf8__json_string(m[i].unit));
		bad |= set(o, "dir", json_string(m[i].direction == CBENCH_HIGHER_IS_BETTER ?
		                                 "higher" : "lower"));
		bad |= set(o, "series", series);
		for (size_t j = 0; j < m[i].nseries; j++)
			bad |= push(series, series_json(md, &m[i].series[j]));
	}
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* ---- the page ----------------------------------------------------------------------- */

static void html(struct cbench_buf *b, const char *text)
{
	cbench_escape__html(b, text ? text : "");
}

static size_t metric_points(const struct cbench_dashboard_metric *m)
{
	size_t k = 0;

	for (size_t j = 0; j < m->nseries; j++)
		for (size_t i = 0; i < m->series[j].n; i++)
			k += point_ok(&m->series[j], i);
	return k;
}

static void metric_section(struct cbench_buf *b, const struct cbench_dashboard_metric *m,
                           size_t i)
{
	size_t points = metric_points(m);

	cbench_buf__adds(b, "<section class=\"cbench-metric\"><h2>");
	html(b, m->name);
	cbench_buf__adds(b, "</h2><p class=\"cbench-sub\">");
	if (m->unit && m->unit[0]) {
		html(b, m->unit);
		cbench_buf__adds(b, " \xC2\xB7 ");
	}
	cbench_buf__addf(b, "%s is better \xC2\xB7 %zu platform%s \xC2\xB7 %zu point%s</p>\n",
	                 m->direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower",
	                 m->nseries, m->nseries == 1 ? "" : "s", points, points == 1 ? "" : "s");
	if (points == 0)
		cbench_buf__adds(b, "<div class=\"cbench-none\">no values in this period</div>");
	else
		cbench_buf__addf(b, "<div class=\"cbench-chart\" id=\"cbench-chart-%zu\"></div>"
		                 "<div class=\"cbench-legend\" id=\"cbench-legend-%zu\"></div>", i, i);
	cbench_buf__adds(b, "</section>\n");
}

int cbench_dashboard__render(struct cbench_buf *out, const struct cbench_dashboard_metric *m,
                             size_t n, const char *title, double generated_at,
                             struct cbench_error *err)
{
	struct model md;
	json_t *doc = NULL;
	char when[32];
	int rc;

	if (!title || !title[0])
		title = "cbench performance dashboard";
	if (model_build(&md, m, n) != 0 || !(doc = data_json(&md, m, n))) {
		rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory building the dashboard");
		goto out;
	}
	cbench__iso8601(when, generated_at);

	cbench_buf__adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                      "<meta name=\"generator\" content=\"cbench " CBENCH_VERSION "\">\n"
	                      "<title>");
	html(out, title);
	cbench_buf__adds(out, "</title>\n<script>");
	cbench_buf__adds(out, cbench_dashboard__errors_js);
	cbench_buf__adds(out, "</script>\n");
	if ((rc = cbench_dashboard__add_dygraphs(out, err)) != 0)
		goto out;
	cbench_buf__adds(out, "<style>\n");
	cbench_buf__adds(out, page_css);
	cbench_buf__adds(out, "</style>\n</head>\n<body>\n<header><h1>");
	html(out, title);
	cbench_buf__addf(out, "</h1>\n<p class=\"cbench-sub\">Generated %s \xC2\xB7 %zu metric%s "
	                 "\xC2\xB7 %zu platform%s \xC2\xB7 %zu run%s \xC2\xB7 %zu point%s</p>\n",
	                 when, n, n == 1 ? "" : "s", md.nplatforms, md.nplatforms == 1 ? "" : "s",
	                 md.nruns, md.nruns == 1 ? "" : "s", md.points, md.points == 1 ? "" : "s");
	cbench_buf__adds(out, "<ul class=\"cbench-platforms\">");
	for (size_t p = 0; p < md.nplatforms; p++) {
		char color[8];

		platform_color(color, p);
		cbench_buf__addf(out, "<li><span class=\"cbench-sw\" style=\"border-color:%s\"></span>",
		                 color);
		html(out, md.platforms[p]);
		cbench_buf__adds(out, "</li>");
	}
	cbench_buf__adds(out, "</ul>\n<p class=\"cbench-help\">Drag across a chart to zoom, "
	                      "shift-drag to pan, double-click to reset the zoom; hover for the "
	                      "values and commits. Solid: the values of each platform; dashed: "
	                      "its baseline; dotted red: its regression threshold.</p>\n"
	                      "</header>\n<main>\n");
	if (n == 0)
		cbench_buf__adds(out, "<p class=\"cbench-none\">No metrics recorded in this period.</p>\n");
	for (size_t i = 0; i < n; i++)
		metric_section(out, &m[i], i);
	cbench_buf__adds(out, "</main>\n<pre id=\"cbench-selfcheck\" hidden>pending</pre>\n"
	                      "<pre id=\"cbench-hover\" hidden></pre>\n"
	                      "<script type=\"application/json\" id=\"cbench-data\">");
	cbench_dashboard__add_json(out, doc);
	cbench_buf__adds(out, "</script>\n<script>\n");
	cbench_buf__adds(out, cbench_dashboard__common_js);
	cbench_buf__adds(out, cbench_dashboard__selfcheck_js);
	cbench_buf__adds(out, dashboard_js);
	cbench_buf__adds(out, "</script>\n</body>\n</html>\n");
	rc = out->failed ? cbench_error__set(err, CBENCH_ENOMEM, "out of memory or over the "
	                                     "size limit writing the dashboard") : 0;
out:
	json_decref(doc);
	model_free(&md);
	return rc;
}

/* ---- from the history ------------------------------------------------------------- */

int cbench_dashboard__from_history(struct cbench_buf *out, struct cbench_history *h,
                                   double days, double now, const char *const *platforms,
                                   size_t nplatforms, const char *title, double generated_at,
                                   struct cbench_dashboard_summary *summary,
                                   struct cbench_error *err)
{
	struct cbench_history_trends tr;
	struct cbench_dashboard_metric *m = NULL;
	struct cbench_dashboard_series *series = NULL;
	size_t start = cbench_buf__len(out), nseries = 0, k = 0;
	int rc;

	rc = cbench_history__trends(h, days, now, platforms, nplatforms, &tr, err);
	if (rc)
		return rc;
	/* The history's series as the page's: the same fields, borrowed. */
	for (size_t i = 0; i < tr.nmetrics; i++)
		nseries += tr.metrics[i].nseries;
	m = calloc(tr.nmetrics + 1, sizeof(*m));
	series = calloc(nseries + 1, sizeof(*series));
	if (!m || !series) {
		rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < tr.nmetrics; i++) {
		const struct cbench_history_trend *t = &tr.metrics[i];

		m[i].name = t->name;
		m[i].unit = t->unit;
		m[i].direction = t->direction;
		m[i].series = series + k;
		m[i].nseries = t->nseries;
		for (size_t j = 0; j < t->nseries; j++, k++) {
			series[k].platform = t->series[j].platform;
			series[k].n = t->series[j].n;
			series[k].t = t->series[j].t;
			series[k].value = t->series[j].value;
			series[k].commit = t->series[j].commit;
			series[k].baseline = t->series[j].baseline;
			series[k].threshold = t->series[j].threshold;
		}
	}
	rc = cbench_dashboard__render(out, m, tr.nmetrics, title, generated_at, err);
	if (rc == 0 && summary) {
		summary->metrics = tr.nmetrics;
		summary->platforms = tr.nplatforms;
		summary->points = tr.npoints;
		summary->bytes = cbench_buf__len(out) - start;
	}
out:
	free(m);
	free(series);
	cbench_history__free_trends(&tr);
	return rc;
}
