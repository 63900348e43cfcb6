/*
 * The trend dashboard, rendered from data built here: its size for 90 days
 * x 10 platforms x 50 metrics, hostile names, no network reference, and the
 * page drawn by headless Chromium (the page's own self-check counts charts,
 * series and blank canvases; a screenshot is kept in the test artifacts).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "reporters/dashboard.h"
#include "chromium.h"
#include "support.h"

#define DAY 86400.0
#define T0 1790000000.0 /* 2026-09-21 */
#define HOSTILE "</script><script>alert(1)</script>"
#define HOSTILE2 "<!--<script>document.body.setAttribute('data-pwned','1')</script>"

/* ---- generated data ------------------------------------------------------------ */

struct gen {
	struct cbench_dashboard_metric *m;
	struct cbench_dashboard_series *s;
	double *t, *v;
	const char **commit;
	char (*commits)[8];
	char (*names)[32];
	char (*platforms)[32];
	size_t nmetrics, nplatforms, days;
};

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A nightly run per day and platform, every metric in every run; the same
 * commit on every platform that night. Values wander about +-5% with full
 * double precision, as measured values do. */
static void gen_make(struct gen *g, size_t nmetrics, size_t nplatforms, size_t days)
{
	static const char *const units[] = { "s", "items/s", "MB", "s", "" };
	size_t ns = nmetrics * nplatforms, np = ns * days;
	uint64_t seed = 42;

	memset(g, 0, sizeof(*g));
	g->nmetrics = nmetrics;
	g->nplatforms = nplatforms;
	g->days = days;
	g->m = calloc(nmetrics, sizeof(*g->m));
	g->s = calloc(ns, sizeof(*g->s));
	g->t = calloc(np, sizeof(*g->t));
	g->v = calloc(np, sizeof(*g->v));
	g->commit = calloc(np, sizeof(*g->commit));
	g->commits = calloc(days, sizeof(*g->commits));
	g->names = calloc(nmetrics, sizeof(*g->names));
	g->platforms = calloc(nplatforms, sizeof(*g->platforms));
	cr_assert(g->m && g->s && g->t && g->v && g->commit && g->commits && g->names &&
	          g->platforms);
	for (size_t d = 0; d < days; d++)
		snprintf(g->commits[d], sizeof(g->commits[d]), "%07llx",
		         (unsigned long long)(next_random(&seed) & 0xfffffff));
	for (size_t p = 0; p < nplatforms; p++)
		snprintf(g->platforms[p], sizeof(g->platforms[p]), "Platform_%02zu_%zuGB", p,
		         (p + 1) * 8);
	for (size_t i = 0; i < nmetrics; i++) {
		struct cbench_dashboard_metric *m = &g->m[i];
		const char *unit = units[i % 5];
		double base = strcmp(unit, "s") == 0 ? 1.2345e-6 * pow(10, (double)(i % 6)) :
		              1000.0 * (double)(i + 1);

		snprintf(g->names[i], sizeof(g->names[i]), "suite%zu.metric_%02zu", i / 10, i);
		m->name = g->names[i];
		m->unit = unit;
		m->direction = strcmp(unit, "items/s") == 0 ? CBENCH_HIGHER_IS_BETTER :
		               CBENCH_LOWER_IS_BETTER;
		m->series = &g->s[i * nplatforms];
		m->nseries = nplatforms;
		for (size_t p = 0; p < nplatforms; p++) {
			struct cbench_dashboard_series *s = &g->s[i * nplatforms + p];
			size_t at = (i * nplatforms + p) * days;
			double pbase = base * (1 + 0.15 * (double)p);

			s->platform = g->platforms[p];
			s->n = days;
			s->t = &g->t[at];
			s->value = &g->v[at];
			s->commit = &g->commit[at];
			s->baseline = p % 3 == 2 ? NAN : pbase;
			s->threshold = p % 3 == 1 ? NAN : 0.2;
			for (size_t d = 0; d < days; d++) {
				double noise = (double)(next_random(&seed) % 100001) / 100000.0 - 0.5;

				/* the same time for every metric of a run */
				g->t[at + d] = T0 + (double)d * DAY + (double)p * 600 + 0.25;
				g->v[at + d] = pbase * (1 + 0.1 * noise);
				g->commit[at + d] = g->commits[d];
			}
		}
	}
}

static void gen_free(struct gen *g)
{
	free(g->m);
	free(g->s);
	free(g->t);
	free(g->v);
	free(g->commit);
	free(g->commits);
	free(g->names);
	free(g->platforms);
}

static char *render(const struct cbench_dashboard_metric *m, size_t n, const char *title,
                    size_t *len)
{
	struct cbench_buf b = CBENCH_BUF_INIT((size_t)64 << 20);
	struct cbench_error err = { 0, "" };
	char *page;

	cr_assert_eq(cbench_dashboard__render(&b, m, n, title, T0 + 100 * DAY, &err), 0, "%s",
	             err.text);
	page = cbench_buf__take(&b, len);
	cr_assert_not_null(page);
	return page;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

struct selfcheck {
	size_t charts, series, blank, errors;
	bool hover_ok;   /* the legend named the commit of a selected point */
};

/* Loads the page and reads the line its self-check writes. `dom` gets the
 * dumped document (caller frees). */
static struct selfcheck check_page(const char *dir, const char *page, char **dom)
{
	char *line = support_chromium_selfcheck(page, dom);
	struct selfcheck c = { 0, 0, 0, 0, false };

	(void)dir;
	cr_assert_eq(sscanf(line, "charts=%zu series=%zu blank=%zu errors=%zu", &c.charts,
	                    &c.series, &c.blank, &c.errors), 4,
	             "the self-check did not run: %.80s", line);
	c.hover_ok = strstr(line, " hover=ok") != NULL;
	free(line);
	return c;
}

/* The text of the element with this id in a dumped document, malloc'd
 * (entities left as they are). */
static char *element_text(const char *dom, const char *id)
{
	char attr[64];
	const char *p, *end;

	snprintf(attr, sizeof(attr), "id=\"%s\"", id);
	p = strstr(dom, attr);
	cr_assert_not_null(p, "no element %s", id);
	p = strchr(p, '>');
	cr_assert_not_null(p);
	end = strchr(++p, '<');
	cr_assert_not_null(end);
	return strndup(p, (size_t)(end - p));
}

static char *artifacts_dir(void)
{
	const char *env = getenv("CBENCH_ARTIFACTS");
	char *dir;

	if (env && *env)
		dir = strdup(env);
	else
		cr_assert(asprintf(&dir, "%s/test-artifacts", CBENCH_TEST_BUILD) > 0);
	cr_assert_not_null(dir);
	cr_assert(mkdir(dir, 0755) == 0 || errno == EEXIST, "%s: %s", dir, strerror(errno));
	return dir;
}

/* ---- tests --------------------------------------------------------------------------- */

Test(dashboard, ninety_days_ten_platforms_fifty_metrics_under_1mb)
{
	struct gen g;
	size_t len;
	char *page;

	gen_make(&g, 50, 10, 90);
	page = render(g.m, g.nmetrics, NULL, &len);
	cr_log_info("dashboard, 50 metrics x 10 platforms x 90 days: %zu bytes", len);
	cr_assert_lt(len, (size_t)1000000, "the page is %zu bytes", len);
	cr_assert_eq(strlen(page), len);
	cr_assert(strstr(page, "50 metrics \xC2\xB7 10 platforms \xC2\xB7 900 runs "
	                       "\xC2\xB7 45000 points") != NULL);
	/* 90 distinct commits, each once in the shared table */
	cr_assert_eq(support_count(page, g.commits[17]), 1);
	cr_assert_eq(support_count(page, "class=\"cbench-chart\""), 50);
	free(page);
	gen_free(&g);
}

Test(dashboard, standalone_no_network_reference)
{
	struct gen g;
	size_t len;
	char *page, *lic, *end;

	gen_make(&g, 3, 2, 5);
	page = render(g.m, g.nmetrics, NULL, &len);
	cr_assert(strncmp(page, "<!DOCTYPE html>", 15) == 0);
	cr_assert(strstr(page, "</html>\n") != NULL);
	/* dygraphs, inlined, without its source map comment */
	cr_assert(strstr(page, "Dygraph") != NULL);
	cr_assert_null(strstr(page, "sourceMappingURL"));
	/* The only URL is the one in dygraphs' licence comment: blank it. */
	lic = strstr(page, "/*! @license");
	if (lic) {
		end = strstr(lic, "*/");
		cr_assert_not_null(end);
		memset(lic, ' ', (size_t)(end - lic));
	}
	cr_assert_null(strstr(page, "http:"));
	cr_assert_null(strstr(page, "https:"));
	cr_assert_null(strstr(page, "//cdn"));
	cr_assert_null(strstr(page, " src="));
	cr_assert_null(strstr(page, " href="));
	cr_assert_null(strstr(page, "url("));
	cr_assert_null(strstr(page, "@import"));
	free(page);
	gen_free(&g);
}

Test(dashboard, hostile_names_are_text)
{
	struct gen g;
	size_t len;
	char *page;

	gen_make(&g, 3, 3, 4);
	g.m[0].name = HOSTILE;
	g.m[1].name = HOSTILE2;
	g.m[1].unit = "<b>u</b>";
	snprintf(g.platforms[1], sizeof(g.platforms[1]), "</script><b>p</b>");
	for (size_t i = 0; i < g.nmetrics * g.nplatforms * g.days; i++)
		if (i % 4 == 1)
			g.commit[i] = "<!--x";
	page = render(g.m, g.nmetrics, "Title </script>&<!--", &len);
	/* Three script elements of our own, and the data block: no more. */
	cr_assert_eq(support_count(page, "<script"), 4, "%zu <script", support_count(page, "<script"));
	cr_assert_eq(support_count(page, "</script"), 4);
	cr_assert_null(strstr(page, "<!--"));
	cr_assert_null(strstr(page, "<b>u</b>"));
	cr_assert_null(strstr(page, "<b>p</b>"));
	cr_assert(strstr(page, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	cr_assert(strstr(page, "&lt;/script&gt;&lt;b&gt;p&lt;/b&gt;") != NULL);
	cr_assert(strstr(page, "<title>Title &lt;/script&gt;&amp;&lt;!--</title>") != NULL);
	/* in the data: escaped for JSON inside a script */
	cr_assert(strstr(page, "\\u003c\\/script\\u003e\\u003cscript\\u003ealert(1)") != NULL);
	free(page);
	gen_free(&g);
}

Test(dashboard, invalid_utf8_and_gaps)
{
	static const double t[] = { T0, T0 + DAY, T0 + 2 * DAY, NAN };
	static const double v[] = { 1, NAN, 3, 4 };
	struct cbench_dashboard_series s = { "bad\xff\xfe", 4, t, v, NULL, NAN, NAN };
	struct cbench_dashboard_metric m = { "m\xc3", "", CBENCH_LOWER_IS_BETTER, &s, 1 };
	size_t len;
	char *page = render(&m, 1, "x", &len);

	/* two points kept, names repaired (U+FFFD) */
	cr_assert(strstr(page, "2 points</p>") != NULL);
	cr_assert(strstr(page, "bad\xEF\xBF\xBD\xEF\xBF\xBD") != NULL);
	cr_assert(strstr(page, "\"r\":[0,1]") == NULL);
	free(page);
}

/* The embedded data decoded as the page's script does (delta times, run
 * indexes as differences, values as n x 10^e) gives back what went in. */
Test(dashboard, data_decodes_to_the_values)
{
	struct gen g;
	size_t len;
	char *page, *start, *end;
	json_t *doc, *runs, *metrics;
	json_error_t jerr;

	gen_make(&g, 4, 3, 12);
	for (size_t i = 0; i < g.nmetrics; i++)
		for (size_t k = 0; k < g.nplatforms * g.days; k++)
			g.t[i * g.nplatforms * g.days + k] += (double)i * 7;
	g.v[3] = NAN;
	page = render(g.m, g.nmetrics, NULL, &len);
	start = strstr(page, "id=\"cbench-data\">");
	cr_assert_not_null(start);
	start = strchr(start, '>') + 1;
	end = strstr(start, "</script>");
	cr_assert_not_null(end);
	doc = json_loadb(start, (size_t)(end - start), 0, &jerr);
	cr_assert_not_null(doc, "%s", jerr.text);
	runs = json_object_get(doc, "runs");
	metrics = json_object_get(doc, "metrics");
	cr_assert_eq(json_array_size(metrics), g.nmetrics);
	for (size_t i = 0; i < g.nmetrics; i++) {
		json_t *series = json_object_get(json_array_get(metrics, i), "series");

		cr_assert_eq(json_array_size(series), g.nplatforms);
		for (size_t p = 0; p < g.nplatforms; p++) {
			json_t *s = json_array_get(series, p), *v = json_object_get(s, "v");
			json_t *r = json_object_get(s, "r");
			size_t pi = (size_t)json_integer_value(json_object_get(s, "p"));
			json_t *run = json_array_get(runs, pi), *t = json_object_get(run, "t");
			json_t *plat = json_array_get(json_object_get(doc, "platforms"), pi);
			json_int_t e = json_integer_value(json_object_get(s, "e")), idx = 0;
			const struct cbench_dashboard_series *in = &g.m[i].series[p];
			size_t k = 0;

			cr_assert_str_eq(json_string_value(json_object_get(plat, "name")), in->platform);
			cr_assert_not_null(r, "metrics at their own times need run indexes");
			for (size_t d = 0; d < in->n; d++) {
				double value, when = 0;

				if (!isfinite(in->value[d]))
					continue;
				idx = k ? idx + json_integer_value(json_array_get(r, k)) :
				      json_integer_value(json_array_get(r, 0));
				for (json_int_t q = 0; q <= idx; q++)
					when += (double)json_integer_value(json_array_get(t, (size_t)q));
				value = (double)json_integer_value(json_array_get(v, k)) * pow(10, (double)e);
				cr_assert_eq(when, round(in->t[d]), "metric %zu platform %zu point %zu", i,
				             p, d);
				cr_assert(fabs(value - in->value[d]) <= 2e-5 * fabs(in->value[d]),
				          "%g decoded as %g", in->value[d], value);
				k++;
			}
			cr_assert_eq(json_array_size(v), k);
		}
	}
	json_decref(doc);
	free(page);
	gen_free(&g);
}

Test(dashboard, no_metrics_is_a_page_too)
{
	size_t len;
	char *page = render(NULL, 0, NULL, &len);

	cr_assert(strstr(page, "No metrics recorded") != NULL);
	cr_assert(strstr(page, "0 metrics") != NULL);
	free(page);
}

Test(dashboard, missing_dygraphs_names_path_and_package)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
	struct cbench_error err = { 0, "" };
	char *saved = getenv("CBENCH_DYGRAPHS_DIR") ? strdup(getenv("CBENCH_DYGRAPHS_DIR")) : NULL;

	setenv("CBENCH_DYGRAPHS_DIR", "/nonexistent/dygraphs", 1);
	cr_assert_eq(cbench_dashboard__render(&b, NULL, 0, NULL, T0, &err), CBENCH_EIO);
	cr_assert(strstr(err.text, "/nonexistent/dygraphs/dygraph.min.js") != NULL, "%s", err.text);
	cr_assert(strstr(err.text, "libjs-dygraphs") != NULL, "%s", err.text);
	if (saved)
		setenv("CBENCH_DYGRAPHS_DIR", saved, 1);
	else
		unsetenv("CBENCH_DYGRAPHS_DIR");
	free(saved);
	cbench_buf__free(&b);
}

Test(dashboard, chromium_draws_every_chart, .timeout = 120)
{
	struct gen g;
	struct selfcheck c;
	char *dir, *path, *page, *dom, *art, *png, *shot;
	size_t len, series = 0;
	struct stat st;

	support_need_chromium();
	dir = support_tmpdir();
	path = support_path(dir, "dashboard.html");
	gen_make(&g, 50, 10, 90);
	page = render(g.m, g.nmetrics, "cbench dashboard (test)", &len);
	write_file(path, page, len);
	for (size_t i = 0; i < g.nmetrics; i++)
		for (size_t p = 0; p < g.nplatforms; p++)
			series += 1 + isfinite(g.m[i].series[p].baseline) +
			          (isfinite(g.m[i].series[p].baseline) &&
			           isfinite(g.m[i].series[p].threshold));
	c = check_page(dir, path, &dom);
	cr_log_info("dashboard self-check: charts=%zu series=%zu blank=%zu errors=%zu%s",
	            c.charts, c.series, c.blank, c.errors, c.hover_ok ? " hover=ok" : "");
	cr_expect_eq(c.charts, 50);
	cr_expect_eq(c.series, series);
	cr_expect_eq(c.blank, 0);
	cr_expect_eq(c.errors, 0);
	cr_expect(c.hover_ok, "hovering did not show the commit");
	cr_expect(strstr(dom, "[charts=50 ") != NULL, "the title carries the self-check");

	art = artifacts_dir();
	png = support_path(art, "dashboard.png");
	cr_assert(asprintf(&shot, "--screenshot=%s", png) > 0);
	unlink(png);
	support_chromium(path, shot, NULL);
	cr_assert_eq(stat(png, &st), 0, "no screenshot at %s", png);
	cr_assert_gt(st.st_size, 20000, "screenshot of %lld bytes", (long long)st.st_size);
	cr_log_info("dashboard screenshot: %s (%lld bytes)", png, (long long)st.st_size);
	/* also keep the page itself beside it */
	free(shot);
	shot = support_path(art, "dashboard.html");
	write_file(shot, page, len);

	free(shot);
	free(png);
	free(art);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
	gen_free(&g);
}

Test(dashboard, chromium_hostile_names_stay_text, .timeout = 120)
{
	struct gen g;
	struct selfcheck c;
	char *dir, *path, *page, *dom;
	size_t len;

	support_need_chromium();
	dir = support_tmpdir();
	path = support_path(dir, "hostile.html");
	gen_make(&g, 3, 3, 10);
	g.m[0].name = HOSTILE;
	g.m[1].name = HOSTILE2;
	g.m[2].unit = "<img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">";
	snprintf(g.platforms[0], sizeof(g.platforms[0]), "<img src=x onerror=alert(2)>");
	for (size_t i = 0; i < g.nmetrics * g.nplatforms * g.days; i++)
		if (i % 3 == 1)
			g.commit[i] = "</script><!--";
	page = render(g.m, g.nmetrics, HOSTILE, &len);
	write_file(path, page, len);
	c = check_page(dir, path, &dom);
	cr_expect_eq(c.charts, 3);
	cr_expect_eq(c.blank, 0);
	cr_expect_eq(c.errors, 0);
	cr_expect_null(strstr(dom, "data-pwned=\""), "a name ran as script");
	cr_expect_null(strstr(dom, "<body data-"));
	/* the names are in the document as text */
	cr_expect(strstr(dom, "<h2>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h2>") != NULL);
	cr_expect(strstr(dom, "&lt;img src=x onerror=alert(2)&gt;") != NULL);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
	gen_free(&g);
}

/* Each metric at its own times (so series carry run indexes), gaps, and
 * values decoded back: the legend of a hovered point shows the value and
 * commit that went in. */
Test(dashboard, chromium_unshared_times_and_gaps, .timeout = 120)
{
	struct gen g;
	struct selfcheck c;
	char *dir, *path, *page, *dom, *hover, *at, *end, who[64];
	size_t len, last, series = 0;
	double shown, want;

	support_need_chromium();
	dir = support_tmpdir();
	path = support_path(dir, "unshared.html");
	gen_make(&g, 6, 4, 30);
	for (size_t i = 0; i < g.nmetrics; i++)
		for (size_t k = 0; k < g.nplatforms * g.days; k++)
			g.t[i * g.nplatforms * g.days + k] += (double)i * 7;
	g.v[5] = NAN;
	g.v[g.days + 7] = NAN;
	page = render(g.m, g.nmetrics, NULL, &len);
	cr_assert(strstr(page, "\"r\":[") != NULL, "no series with run indexes");
	write_file(path, page, len);
	for (size_t i = 0; i < g.nmetrics; i++)
		for (size_t p = 0; p < g.nplatforms; p++)
			series += 1 + isfinite(g.m[i].series[p].baseline) +
			          (isfinite(g.m[i].series[p].baseline) &&
			           isfinite(g.m[i].series[p].threshold));
	c = check_page(dir, path, &dom);
	cr_expect_eq(c.charts, 6);
	cr_expect_eq(c.series, series);
	cr_expect_eq(c.blank, 0);
	cr_expect_eq(c.errors, 0);
	cr_expect(c.hover_ok);
	/* metric 0's last row: the last platform's last night */
	hover = element_text(dom, "cbench-hover");
	last = (g.nplatforms - 1) * g.days + g.days - 1;
	snprintf(who, sizeof(who), "%s: ", g.platforms[g.nplatforms - 1]);
	at = strstr(hover, who);
	cr_assert_not_null(at, "%s", hover);
	shown = strtod(at + strlen(who), &end);
	want = g.v[last] * 1e6;
	cr_expect(fabs(shown - want) <= want * 1e-3, "legend %s, value %g us", hover, want);
	cr_expect(strncmp(end, " \xC2\xB5s @ ", 7) == 0, "%s", end);
	cr_expect(strstr(end, g.commit[last]) == end + 7, "%s", end);
	free(hover);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
	gen_free(&g);
}
