/*
 * The one-run HTML report: standalone, every name escaped (the hostile
 * sample), charts of the samples when the run kept them, and the page
 * loaded by headless Chromium (its self-check: charts drawn, none blank,
 * no script error, no injected script).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cbench/reporter.h"
#include "sample_run.h"
#include "chromium.h"
#include "support.h"

#define NSAMPLES 300

/* A copy of a sample run whose timing metrics kept NSAMPLES rounds. */
struct with_samples {
	struct cbench_run run;
	struct cbench_result results[16];
	struct cbench_metric metrics[16][4];
	double samples[NSAMPLES];
};

static const struct cbench_run *add_samples(struct with_samples *w, enum sample_kind kind)
{
	const struct cbench_run *s = sample_run(kind);

	cr_assert_leq(s->nresults, 16);
	w->run = *s;
	for (size_t i = 0; i < NSAMPLES; i++)
		w->samples[i] = 1e-6 * (1 + 0.1 * sin((double)i / 7) + (i % 50 == 0 ? 0.5 : 0));
	for (size_t i = 0; i < s->nresults; i++) {
		w->results[i] = s->results[i];
		cr_assert_leq(s->results[i].nmetrics, 4);
		for (size_t k = 0; k < s->results[i].nmetrics; k++) {
			w->metrics[i][k] = s->results[i].metrics[k];
			if (w->metrics[i][k].timing) {
				w->metrics[i][k].samples = w->samples;
				w->metrics[i][k].nsamples = NSAMPLES;
			}
		}
		w->results[i].metrics = w->metrics[i];
	}
	w->run.results = w->results;
	return &w->run;
}

static char *report(const struct cbench_run *run, const char *dir, char **path_out)
{
	char *path = support_path(dir, "report.html"), *text;

	cr_assert_eq(sample_report(&cbench_reporter_html, run, path), 0);
	text = support_slurp(path);
	cr_assert_not_null(text);
	if (path_out)
		*path_out = path;
	else
		free(path);
	return text;
}

/* Nothing loaded from elsewhere; `urls`: no URL but dygraphs' licence
 * comment (the hostile sample has one in a metric name, as text). */
static void check_standalone(char *page, bool urls)
{
	char *lic = strstr(page, "/*! @license"), *end;

	cr_assert(strncmp(page, "<!DOCTYPE html>", 15) == 0);
	cr_assert(strstr(page, "</body>\n</html>\n") != NULL);
	if (lic) {
		end = strstr(lic, "*/");
		cr_assert_not_null(end);
		memset(lic, ' ', (size_t)(end - lic));
	}
	cr_assert(urls || strstr(page, "http:") == NULL);
	cr_assert(urls || strstr(page, "https:") == NULL);
	cr_assert_null(strstr(page, " src="));
	cr_assert_null(strstr(page, " href="));
	cr_assert_null(strstr(page, "url("));
}

/* The dumped DOM (caller frees) and the self-check's counts. */
static char *dump(const char *dir, const char *page, size_t *charts, size_t *series,
                  size_t *blank, size_t *errors)
{
	char *dom, *line = support_chromium_selfcheck(page, &dom);

	(void)dir;
	cr_assert_eq(sscanf(line, "charts=%zu series=%zu blank=%zu errors=%zu", charts, series,
	                    blank, errors), 4, "the self-check did not run: %.80s", line);
	free(line);
	return dom;
}

/* ---- tests ------------------------------------------------------------------------- */

Test(html, standalone_report_of_the_full_sample)
{
	char *dir = support_tmpdir(), *page = report(sample_run(SAMPLE_FULL), dir, NULL);

	check_standalone(page, false);
	cr_assert(strstr(page, "<title>cbench report: GitHub_Actions_Linux @ 0123456</title>"));
	cr_assert(strstr(page, "Platform: <code>GitHub_Actions_Linux</code>") != NULL);
	cr_assert(strstr(page, "\xE2\x9D\x8C 2 regressions detected") != NULL);
	cr_assert(strstr(page, "<table id=\"comparison\">") != NULL);
	cr_assert(strstr(page, "<table id=\"statistics\">") != NULL);
	/* 9 metric rows, 3 incomplete benchmarks, 1 missing; 2 regressions */
	cr_assert_eq(support_count(page, "<tr class=\"regression\">"), 2);
	cr_assert_eq(support_count(page, "<tr class=\"improvement\">"), 2);
	cr_assert_eq(support_count(page, "<tr class=\"incomplete\">"), 4);
	cr_assert(strstr(page, "<li><strong>sort.qsort</strong>: 12.30 ms vs 10.00 ms baseline "
	                       "(+23.0%, threshold 20%, lower is better), confirmed by 2 re-runs "
	                       "(12.10 ms, 12.50 ms)</li>") != NULL);
	cr_assert(strstr(page, "sort.bubble") != NULL);
	/* no samples: no charts, no charting library */
	cr_assert_null(strstr(page, "@license"));
	cr_assert_null(strstr(page, "<h2>Samples</h2>"));
	free(page);
	support_rmdir(dir);
}

Test(html, clean_run_says_no_regression)
{
	char *dir = support_tmpdir(), *page = report(sample_run(SAMPLE_CLEAN), dir, NULL);

	cr_assert(strstr(page, "No regressions detected") != NULL);
	cr_assert_eq(support_count(page, "<tr class=\"regression\">"), 0);
	free(page);
	support_rmdir(dir);
}

Test(html, hostile_names_are_escaped)
{
	struct with_samples w;
	char *dir = support_tmpdir(), *page = report(add_samples(&w, SAMPLE_HOSTILE), dir, NULL);

	cr_assert(support_valid_utf8(page), "not UTF-8");
	/* our four script elements: errors, dygraphs, data, code */
	cr_assert_eq(support_count(page, "<script"), 4, "%zu", support_count(page, "<script"));
	cr_assert_eq(support_count(page, "</script"), 4);
	cr_assert_null(strstr(page, "<!--"));
	cr_assert_null(strstr(page, "<b>q|ps</b>"));
	cr_assert(strstr(page, "&lt;b&gt;q|ps&lt;/b&gt;") != NULL);
	cr_assert(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	cr_assert(strstr(page, "host&lt;&amp;&gt;&quot;&#39;") != NULL);
	cr_assert(strstr(page, sample_long_name()) == NULL, "the long name, unescaped");
	/* in the chart data, hostile units cannot close the script */
	cr_assert(strstr(page, "\\u003cb\\u003eq|ps") == NULL, "only timing metrics are charted");
	cr_assert(strstr(page, "[link](http://x)") != NULL);
	check_standalone(page, true);
	free(page);
	support_rmdir(dir);
}

Test(html, charts_when_samples_were_kept)
{
	struct with_samples w;
	char *dir = support_tmpdir(), *page = report(add_samples(&w, SAMPLE_FULL), dir, NULL);

	cr_assert(strstr(page, "<h2>Samples</h2>") != NULL);
	cr_assert_eq(support_count(page, "class=\"cbench-chart\""), 5);
	cr_assert(strstr(page, "/*! @license") != NULL);
	check_standalone(page, false);
	free(page);
	support_rmdir(dir);
}

Test(html, no_dygraphs_still_a_report)
{
	struct with_samples w;
	char *dir = support_tmpdir(), *page;
	char *saved = getenv("CBENCH_DYGRAPHS_DIR") ? strdup(getenv("CBENCH_DYGRAPHS_DIR")) : NULL;

	setenv("CBENCH_DYGRAPHS_DIR", "/nonexistent/dygraphs", 1);
	page = report(add_samples(&w, SAMPLE_FULL), dir, NULL);
	if (saved)
		setenv("CBENCH_DYGRAPHS_DIR", saved, 1);
	else
		unsetenv("CBENCH_DYGRAPHS_DIR");
	free(saved);
	cr_assert(strstr(page, "No charts of the samples: /nonexistent/dygraphs/dygraph.min.js")
	          != NULL);
	cr_assert(strstr(page, "libjs-dygraphs") != NULL);
	cr_assert(strstr(page, "<table id=\"comparison\">") != NULL);
	free(page);
	support_rmdir(dir);
}

Test(html, ten_thousand_benchmarks)
{
	struct cbench_run *run = sample_big(10000, 3);
	char *dir = support_tmpdir(), *page = report(run, dir, NULL);

	cr_assert_eq(support_count(page, "<tr class=\"regression\">"), 3);
	free(page);
	sample_big_free(run);
	support_rmdir(dir);
}

Test(html, chromium_loads_report_and_draws_samples, .timeout = 120)
{
	struct with_samples w;
	char *dir, *path, *page, *dom, *art, *png, *shot;
	size_t charts, series, blank, errors;
	struct stat st;

	support_need_chromium();
	dir = support_tmpdir();
	page = report(add_samples(&w, SAMPLE_FULL), dir, &path);
	dom = dump(dir, path, &charts, &series, &blank, &errors);
	cr_log_info("html report self-check: charts=%zu series=%zu blank=%zu errors=%zu", charts,
	            series, blank, errors);
	/* 5 timing metrics: the samples, the median, and a baseline for 4 */
	cr_expect_eq(charts, 5);
	cr_expect_eq(series, 14);
	cr_expect_eq(blank, 0);
	cr_expect_eq(errors, 0);
	cr_expect(strstr(dom, "<table id=\"comparison\">") != NULL);
	cr_expect(strstr(dom, "sort.qsort") != NULL);

	if (getenv("CBENCH_ARTIFACTS") && *getenv("CBENCH_ARTIFACTS"))
		art = strdup(getenv("CBENCH_ARTIFACTS"));
	else
		cr_assert(asprintf(&art, "%s/test-artifacts", CBENCH_TEST_BUILD) > 0);
	cr_assert(mkdir(art, 0755) == 0 || errno == EEXIST);
	png = support_path(art, "report.png");
	cr_assert(asprintf(&shot, "--screenshot=%s", png) > 0);
	unlink(png);
	support_chromium(path, shot, NULL);
	cr_assert_eq(stat(png, &st), 0, "no screenshot at %s", png);
	cr_assert_gt(st.st_size, 10000);
	free(shot);
	shot = support_path(art, "report.html");
	cr_assert_eq(rename(path, shot), 0, "%s: %s", shot, strerror(errno));
	free(shot);
	free(png);
	free(art);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
}

Test(html, chromium_hostile_report_runs_no_injected_script, .timeout = 120)
{
	struct with_samples w;
	char *dir, *path, *page, *dom;
	size_t charts, series, blank, errors;

	support_need_chromium();
	dir = support_tmpdir();
	page = report(add_samples(&w, SAMPLE_HOSTILE), dir, &path);
	dom = dump(dir, path, &charts, &series, &blank, &errors);
	cr_expect_eq(charts, 5);
	cr_expect_eq(blank, 0);
	cr_expect_eq(errors, 0);
	/* the injected <script>alert(1)</script> is text: no element holds it */
	cr_expect_null(strstr(dom, "<script>alert(1)</script>"));
	cr_expect(strstr(dom, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
}

Test(html, chromium_report_without_charts, .timeout = 120)
{
	char *dir, *path, *page, *dom;
	size_t charts, series, blank, errors;

	support_need_chromium();
	dir = support_tmpdir();
	page = report(sample_run(SAMPLE_NEW), dir, &path);
	dom = dump(dir, path, &charts, &series, &blank, &errors);
	cr_expect_eq(charts, 0);
	cr_expect_eq(errors, 0);
	cr_expect(strstr(dom, "<table id=\"comparison\">") != NULL);
	free(dom);
	free(page);
	free(path);
	support_rmdir(dir);
}
