/*
 * `cbench dashboard` end to end: a history with ten nights of two
 * platforms, recorded through the history API, rendered by the tool, and
 * drawn by headless Chromium; and its errors (exit 2, one line).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "history/history.h"
#include "sample_run.h"
#include "chromium.h"
#include "support.h"
#include "base/time.h"
#include "base/util.h"
#include "model/run.h"

#define CBENCH_TOOL CBENCH_TEST_BUILD "/cbench"
#define NIGHTS 10

static const char *const platforms[] = { "Linux_x86_64_16GB", "RTX_4090_24GB" };

/* Ten nights of both platforms, from SAMPLE_FULL with values that drift,
 * each night its own commit. Returns the number of metric values. */
static size_t make_history(const char *db)
{
	const struct cbench_run *sample = sample_run(SAMPLE_FULL);
	struct cbench_result results[16];
	struct cbench_metric metrics[16][4];
	struct cbench_history *h;
	struct cbench_error err = { 0, "" };
	double now = (double)time(NULL);
	size_t values = 0;

	cr_assert_leq(sample->nresults, 16);
	cr_assert_eq(cbench_history__open(&h, db, &err), 0, "%s", err.text);
	for (size_t night = 0; night < NIGHTS; night++) {
		for (size_t p = 0; p < 2; p++) {
			struct cbench_run run = *sample;
			bool fresh;

			for (size_t i = 0; i < sample->nresults; i++) {
				results[i] = sample->results[i];
				cr_assert_leq(results[i].nmetrics, 4);
				for (size_t k = 0; k < results[i].nmetrics; k++) {
					metrics[i][k] = sample->results[i].metrics[k];
					metrics[i][k].value *= 1 + 0.02 * (double)night + 0.3 * (double)p;
					values++;
				}
				results[i].metrics = metrics[i];
			}
			run.results = results;
			cbench_run__new_id(run.run_id);
			cbench__iso8601(run.started_at,
			                now - (double)(NIGHTS - night) * 86400 + (double)p * 300);
			snprintf(run.platform.id, sizeof(run.platform.id), "%s", platforms[p]);
			snprintf(run.git.commit, sizeof(run.git.commit),
			         "%07zx0000000000000000000000000000000", 0xabc000 + night);
			snprintf(run.git.short_commit, sizeof(run.git.short_commit), "%07zx",
			         0xabc000 + night);
			cr_assert_eq(cbench_history__record(h, &run, "nightly", &fresh, &err), 0, "%s",
			             err.text);
			cr_assert(fresh);
		}
	}
	cbench_history__close(h);
	return values;
}

/* cbench dashboard ARGS...; its exit status, standard output and error
 * in *out and *errtext (caller frees). */
static int dashboard(const char *dir, char **out, char **errtext, char *const *env,
                     const char *a1, const char *a2, const char *a3, const char *a4,
                     const char *a5, const char *a6)
{
	char *o = support_path(dir, "stdout.txt"), *e = support_path(dir, "stderr.txt");
	char *argv[] = { CBENCH_TOOL, "dashboard", (char *)a1, (char *)a2, (char *)a3, (char *)a4,
	                 (char *)a5, (char *)a6, NULL };
	int status = support_wait(support_spawn(argv, o, e, env));

	*out = support_slurp(o);
	*errtext = support_slurp(e);
	cr_assert(*out && *errtext);
	free(o);
	free(e);
	return status;
}

Test(dashboard_tool, history_to_page, .timeout = 120)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "perf.db");
	char *page = support_path(dir, "dash.html"), *out, *err, *html, *expect;
	size_t values = make_history(db);

	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output", page, "--days",
	                       "30"), 0, "%s", err);
	/* 9 metrics in SAMPLE_FULL */
	cr_assert(asprintf(&expect, "wrote %s: 9 metrics, 2 platforms, %zu points, ", page,
	                   values) > 0);
	cr_assert(strncmp(out, expect, strlen(expect)) == 0, "%s", out);
	cr_assert_str_eq(err, "");
	html = support_slurp(page);
	cr_assert_not_null(html);
	cr_assert(strstr(out, " bytes\n") != NULL);
	cr_assert_eq(support_count(html, "class=\"cbench-chart\""), 9);
	cr_assert(strstr(html, "<title>cbench performance dashboard: the last 30 days</title>"));
	cr_assert(strstr(html, "<h2>search.flat[10000]</h2>") != NULL);
	cr_assert(strstr(html, ">RTX_4090_24GB</li>") != NULL);
	/* the commits, each once in the data */
	cr_assert_eq(support_count(html, "\"abc009\""), 0);
	cr_assert_eq(support_count(html, "\"0abc009\""), 1);
	/* baselines of the compared metrics: qsort's is 0.01 on both */
	cr_assert(strstr(html, "\"b\":0.01,\"h\":0.2") != NULL);
	free(out);
	free(err);
	free(expect);

	/* one platform: the same metrics, half the points */
	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output", page, "--platforms",
	                       "RTX_4090_24GB"), 0, "%s", err);
	cr_assert(strstr(out, ": 9 metrics, 1 platforms, ") != NULL, "%s", out);
	free(out);
	free(err);
	free(html);
	html = support_slurp(page);
	cr_assert_null(strstr(html, "Linux_x86_64_16GB"));
	free(html);
	free(page);
	free(db);
	support_rmdir(dir);
}

Test(dashboard_tool, history_page_is_drawn, .timeout = 120)
{
	char *dir, *db, *page, *out, *err, *check;

	support_need_chromium();
	dir = support_tmpdir();
	db = support_path(dir, "perf.db");
	page = support_path(dir, "dash.html");
	make_history(db);
	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output", page, NULL, NULL),
	             0, "%s", err);
	check = support_chromium_selfcheck(page, NULL);
	cr_log_info("dashboard_tool self-check: %s", check);
	cr_expect(strncmp(check, "charts=9 ", 9) == 0, "%s", check);
	cr_expect(strstr(check, " blank=0 errors=0 hover=ok") != NULL, "%s", check);
	free(check);
	free(out);
	free(err);
	free(page);
	free(db);
	support_rmdir(dir);
}

Test(dashboard_tool, errors_are_one_line_and_exit_2)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "perf.db");
	char *page = support_path(dir, "dash.html"), *out, *err;
	char *nolib[] = { "CBENCH_DYGRAPHS_DIR=/nonexistent/dygraphs", NULL };

	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output", page, NULL, NULL), 2);
	cr_assert(strstr(err, "no history there") != NULL, "%s", err);
	cr_assert_eq(support_count(err, "\n"), 1, "%s", err);
	cr_assert(access(db, F_OK) != 0, "the missing history was created");
	free(out);
	free(err);

	make_history(db);
	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--days", "soon", NULL, NULL), 2);
	cr_assert(strstr(err, "--days: 'soon'") != NULL, "%s", err);
	free(out);
	free(err);

	cr_assert_eq(dashboard(dir, &out, &err, nolib, "--db", db, "--output", page, NULL, NULL),
	             2);
	cr_assert(strstr(err, "/nonexistent/dygraphs/dygraph.min.js") != NULL, "%s", err);
	cr_assert(strstr(err, "libjs-dygraphs") != NULL, "%s", err);
	cr_assert_eq(support_count(err, "\n"), 1, "%s", err);
	cr_assert(access(page, F_OK) != 0, "a page was written");
	free(out);
	free(err);

	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output",
	                       "/nonexistent/folder/d.html", NULL, NULL), 2);
	cr_assert(strstr(err, "/nonexistent/folder") != NULL, "%s", err);
	free(out);
	free(err);

	/* a platform never recorded: no metrics, still a page, and a note */
	cr_assert_eq(dashboard(dir, &out, &err, NULL, "--db", db, "--output", page, "--platforms",
	                       "Nowhere"), 0, "%s", err);
	cr_assert(strstr(out, ": 0 metrics, 0 platforms, 0 points, ") != NULL, "%s", out);
	cr_assert(strstr(err, "no metrics in the period") != NULL, "%s", err);
	free(out);
	free(err);
	free(page);
	free(db);
	support_rmdir(dir);
}
