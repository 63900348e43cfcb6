/*
 * The GitHub client end to end: the real ci/ scripts and build/cbench
 * against a fake GitHub of the tests' own (tests/support/fake_github.c) on
 * 127.0.0.1. Backoff is shortened by CBENCH_GITHUB_BACKOFF so no test
 * sleeps long; nothing asserts a time.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "fake_github.h"
#include "net/github.h"
#include "reporters/markdown.h"
#include "support.h"

#define TOKEN "ghs_cbenchSECRETtoken_4f1d9b"
#define FIRST_ID 5000000000LL   /* above 2^31, as GitHub's ids are */
#define HEAD_SHA "0123456789abcdef0123456789abcdef01234567"

struct ctx {
	struct fake_github *fg;
	char *dir, *baselines, *event, *db, *summary;
	char env[24][512];
	int nenv;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static void ctx_start(struct ctx *c, int page_size)
{
	memset(c, 0, sizeof(*c));
	c->fg = fake_github_start(TOKEN, FIRST_ID, page_size);
	c->dir = support_tmpdir();
	c->baselines = support_path(c->dir, "baselines.json");
	c->event = support_path(c->dir, "event.json");
	c->db = support_path(c->dir, "history.db");
	c->summary = support_path(c->dir, "step-summary.md");
	write_file(c->baselines, "{ \"CI_Test\": { \"work_units\": 100 },\n"
	                         "  \"CI_Other\": { \"work_units\": 100 } }\n");
	write_file(c->event, "{ \"number\": 7, \"pull_request\": { \"number\": 7, \"head\": "
	                     "{ \"sha\": \"" HEAD_SHA "\" } } }\n");
}

static void ctx_stop(struct ctx *c)
{
	fake_github_stop(c->fg);
	free(c->baselines);
	free(c->event);
	free(c->db);
	free(c->summary);
	support_rmdir(c->dir);
}

static bool overridden(const char *const extra[], const char *entry)
{
	size_t len = strcspn(entry, "=") + 1;

	for (size_t i = 0; extra && extra[i]; i++)
		if (strncmp(extra[i], entry, len) == 0)
			return true;
	return false;
}

/* Runs argv with the environment GitHub Actions would give, plus `extra`
 * (entries first win); output in DIR/<tag>.out and .err. */
static int run(struct ctx *c, char *const argv[], const char *tag, const char *const extra[])
{
	char *out = support_path(c->dir, tag), *o, *e, *env[48];
	int n = 0, rc;

	for (size_t i = 0; extra && extra[i]; i++)
		env[n++] = (char *)extra[i];
	c->nenv = 0;
	/* one entry per name: a shell keeps the last of two, getenv() the first */
#define ENV(...) (snprintf(c->env[c->nenv], sizeof(c->env[0]), __VA_ARGS__), \
                  overridden(extra, c->env[c->nenv]) ? 0 : (env[n++] = c->env[c->nenv++], 0))
	ENV("GITHUB_TOKEN=%s", TOKEN);
	ENV("GITHUB_REPOSITORY=%s", FAKE_GITHUB_REPO);
	ENV("GITHUB_API_URL=%s", fake_github_url(c->fg));
	ENV("GITHUB_EVENT_PATH=%s", c->event);
	ENV("GITHUB_STEP_SUMMARY=%s", c->summary);
	ENV("GITHUB_SERVER_URL=https://github.example");
	ENV("GITHUB_RUN_ID=42");
	ENV("PERFORMANCE_DB_PATH=%s", c->db);
	ENV("PERFORMANCE_PLATFORM=CI_Test");
	ENV("CBENCH_BENCH=%s", support_program("ci_bench"));
	ENV("CBENCH_TOOL=%s/cbench", CBENCH_TEST_BUILD);
	ENV("CBENCH_BASELINES=%s", c->baselines);
	ENV("CBENCH_GITHUB_BACKOFF=0.01");
	ENV("BENCHMARK_MODE=quick");
	ENV("NO_COLOR=1");
	ENV("no_proxy=127.0.0.1");
	ENV("NO_PROXY=127.0.0.1");
#undef ENV
	env[n] = NULL;
	if (asprintf(&o, "%s.out", out) < 0 || asprintf(&e, "%s.err", out) < 0)
		cr_assert_fail("out of memory");
	rc = support_wait(support_spawn(argv, o, e, env));
	free(o);
	free(e);
	free(out);
	return rc;
}

/* The text of DIR/<name> (the test frees it). */
static char *output(struct ctx *c, const char *name)
{
	char *p = support_path(c->dir, name), *t = support_slurp(p);

	cr_assert_not_null(t, "%s", p);
	free(p);
	return t;
}

static int bench_pr(struct ctx *c, const char *out, const char *units, const char *platform)
{
	char *dir = support_path(c->dir, out), units_env[64], platform_env[64];
	char *argv[] = { "/bin/sh", "ci/bench-pr.sh", dir, "-k", "work", NULL };
	const char *extra[] = { units_env, platform_env, NULL };
	int rc;

	snprintf(units_env, sizeof(units_env), "CI_BENCH_UNITS=%s", units);
	snprintf(platform_env, sizeof(platform_env), "PERFORMANCE_PLATFORM=%s", platform);
	rc = run(c, argv, out, extra);
	free(dir);
	return rc;
}

static int post(struct ctx *c, const char *tag, const char *const extra[], const char *dir1,
                const char *dir2)
{
	char *a = support_path(c->dir, dir1), *b = dir2 ? support_path(c->dir, dir2) : NULL;
	char *argv[] = { "/bin/sh", "ci/post-results.sh", "--output", NULL, a, b, NULL };
	char *report = support_path(c->dir, "merged.md");
	int rc;

	argv[3] = report;
	rc = run(c, argv, tag, extra);
	free(a);
	free(b);
	free(report);
	return rc;
}

static const struct fake_item *only_comment(struct ctx *c)
{
	size_t n = 0;
	const struct fake_item *found = NULL;

	for (size_t i = 0; i < fake_github_count(c->fg, 'c'); i++) {
		const struct fake_item *it = fake_github_item(c->fg, 'c', i);

		if (strstr(it->body, CBENCH_MARKDOWN_MARKER)) {
			n++;
			found = it;
		}
	}
	cr_assert_eq(n, 1, "%zu comments carry the marker", n);
	return found;
}

/* ---- the token -------------------------------------------------------------------- */

static const char *scan_needle;
static int scan_hits;
static char scan_where[1024];

static int scan_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	FILE *f;
	char *data;

	(void)ftw;
	if (flag != FTW_F)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	data = malloc((size_t)st->st_size + 1);
	cr_assert_not_null(data);
	if (fread(data, 1, (size_t)st->st_size, f) == (size_t)st->st_size &&
	    memmem(data, (size_t)st->st_size, scan_needle, strlen(scan_needle))) {
		scan_hits++;
		snprintf(scan_where, sizeof(scan_where), "%s", path);
	}
	free(data);
	fclose(f);
	return 0;
}

Test(github, first_run_creates_one_comment_second_updates_it_and_the_token_leaks_nowhere,
     .timeout = 120)
{
	struct ctx c;
	const struct fake_item *it;
	char *text, *dump;
	const char *extra[2] = { NULL, NULL };

	ctx_start(&c, 30);
	dump = support_path(c.dir, "benchmark-environment.txt");
	{
		char env[600], *dir = support_path(c.dir, "a");
		char *argv[] = { "/bin/sh", "ci/bench-pr.sh", dir, NULL };

		snprintf(env, sizeof(env), "CI_BENCH_ENV_DUMP=%s", dump);
		extra[0] = env;
		cr_assert_eq(run(&c, argv, "a", extra), 0);
		free(dir);
	}
	cr_assert(support_exists(dump), "the benchmarks did not run");
	cr_assert_eq(post(&c, "post1", NULL, "a", NULL), 0);
	it = only_comment(&c);
	cr_assert_eq(it->id, FIRST_ID);
	cr_assert_eq(it->parent, 7);
	text = output(&c, "post1.out");
	cr_assert(strstr(text, "created comment 5000000000 on pull request #7"), "%s", text);
	free(text);

	cr_assert_eq(bench_pr(&c, "b", "90", "CI_Test"), 0);
	cr_assert_eq(post(&c, "post2", NULL, "b", NULL), 0);
	it = only_comment(&c);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 1);
	cr_assert(strstr(it->body, "90"), "the comment was not updated: %s", it->body);
	text = output(&c, "post2.out");
	cr_assert(strstr(text, "updated comment 5000000000"), "%s", text);
	free(text);
	cr_assert(strstr(fake_github_log(c.fg), "PATCH /repos/octo/bench/issues/comments/5000000000"),
	          "%s", fake_github_log(c.fg));
	/* every report was written, and the step summary got the Markdown */
	for (const char *const *f = (const char *const[]){ "a/results.json", "a/report.md",
	     "a/junit.xml", "a/report.html", "a/event.json", "a/status", NULL }; *f; f++) {
		char *p = support_path(c.dir, *f);

		cr_assert(support_exists(p), "%s missing", *f);
		free(p);
	}
	text = support_slurp(c.summary);
	cr_assert(text && support_count(text, CBENCH_MARKDOWN_MARKER) == 2, "%s", text);
	free(text);

	/* The token: in no file the run wrote (outputs, reports, history,
	 * step summary, the benchmarks' environment), not in what GitHub was
	 * sent but the header. */
	scan_needle = TOKEN;
	scan_hits = 0;
	nftw(c.dir, scan_file, 16, FTW_PHYS);
	cr_assert_eq(scan_hits, 0, "the token is in %s", scan_where);
	cr_assert_null(strstr(fake_github_log(c.fg), TOKEN));
	free(dump);
	ctx_stop(&c);
}

Test(github, the_comment_is_found_on_page_three, .timeout = 120)
{
	struct ctx c;
	const struct fake_item *it;

	ctx_start(&c, 2);
	for (int i = 0; i < 4; i++)
		fake_github_add_comment(c.fg, 7, "LGTM, someone else's comment");
	fake_github_add_comment(c.fg, 8, CBENCH_MARKDOWN_MARKER "\nanother pull request's");
	fake_github_add_comment(c.fg, 7, CBENCH_MARKDOWN_MARKER "\nthe old report");
	cr_assert_eq(bench_pr(&c, "a", "100", "CI_Test"), 0);
	cr_assert_eq(post(&c, "post", NULL, "a", NULL), 0);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 6, "a comment was added");
	it = fake_github_item(c.fg, 'c', 5);
	cr_assert_null(strstr(it->body, "the old report"), "page 3's comment was not updated");
	cr_assert(strstr(it->body, "Performance Report"));
	cr_assert(strstr(fake_github_log(c.fg), "page=3"), "%s", fake_github_log(c.fg));
	it = fake_github_item(c.fg, 'c', 4);
	cr_assert(strstr(it->body, "another pull request's"), "another PR's comment was touched");
	ctx_stop(&c);
}

Test(github, a_thirty_percent_regression_fails_the_job_and_is_listed, .timeout = 120)
{
	struct ctx c;
	const struct fake_item *it;

	ctx_start(&c, 30);
	cr_assert_eq(bench_pr(&c, "a", "130", "CI_Test"), 1);
	cr_assert_eq(post(&c, "post", NULL, "a", NULL), 1, "the job must fail on the regression");
	it = only_comment(&c);
	cr_assert(strstr(it->body, CBENCH_MARKDOWN_REGRESSED), "%s", it->body);
	cr_assert(strstr(it->body, "**work&#95;units**") || strstr(it->body, "**work_units**"),
	          "%s", it->body);
	cr_assert(strstr(it->body, "+30.0%"), "%s", it->body);
	ctx_stop(&c);
}

Test(github, a_matrix_of_two_platforms_is_one_comment, .timeout = 120)
{
	struct ctx c;
	const struct fake_item *it;

	ctx_start(&c, 30);
	cr_assert_eq(bench_pr(&c, "linux", "100", "CI_Test"), 0);
	cr_assert_eq(bench_pr(&c, "other", "130", "CI_Other"), 1);
	cr_assert_eq(post(&c, "post", NULL, "linux", "other"), 1);
	it = only_comment(&c);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 1);
	cr_assert_eq(support_count(it->body, CBENCH_MARKDOWN_MARKER), 1);
	cr_assert(strstr(it->body, "**Platforms**: 2, 1 with regressions"), "%s", it->body);
	cr_assert(strstr(it->body, "## \xF0\x9F\x96\xA5\xEF\xB8\x8F `CI_Test`"), "%s", it->body);
	cr_assert(strstr(it->body, "## \xF0\x9F\x96\xA5\xEF\xB8\x8F `CI_Other`"), "%s", it->body);
	cr_assert_eq(support_count(it->body, CBENCH_MARKDOWN_REGRESSED), 1);
	ctx_stop(&c);
}

/* One night: ci/nightly.sh on this platform, then the last job's script. */
static int nightly(struct ctx *c, const char *out, const char *units)
{
	char *dir = support_path(c->dir, out), env[64], *report = support_path(c->dir, "night.md");
	char report_env[600], tag[64];
	char *argv[] = { "/bin/sh", "ci/nightly.sh", dir, "-k", "work", NULL };
	char *finish[] = { "/bin/sh", "ci/nightly-finish.sh", dir, NULL };
	const char *extra[] = { env, report_env, NULL };
	int rc;

	snprintf(env, sizeof(env), "CI_BENCH_UNITS=%s", units);
	snprintf(report_env, sizeof(report_env), "CBENCH_REPORT=%s", report);
	rc = run(c, argv, out, extra);
	snprintf(tag, sizeof(tag), "%s-finish", out);
	cr_assert_eq(run(c, finish, tag, extra), 0, "nightly-finish failed");
	free(dir);
	free(report);
	return rc;
}

Test(github, nightly_opens_one_issue_updates_it_and_closes_it_when_clean, .timeout = 240)
{
	struct ctx c;
	const struct fake_item *issue;
	char *text;

	ctx_start(&c, 30);
	cr_assert_eq(nightly(&c, "n1", "130"), 1);
	cr_assert_eq(fake_github_count(c.fg, 'i'), 1);
	issue = fake_github_item(c.fg, 'i', 0);
	cr_assert_str_eq(issue->label, "performance-regression");
	cr_assert_str_eq(issue->title, "Nightly performance regression");
	cr_assert(strstr(issue->body, "+30.0%"), "%s", issue->body);
	cr_assert_not(issue->closed);
	for (const char *const *f = (const char *const[]){ "n1/results.json", "n1/report.md",
	     "n1/junit.xml", "n1/gbench.json", "n1/report.html", "n1/dashboard.html",
	     "n1/platform", NULL }; *f; f++) {
		char *p = support_path(c.dir, *f);

		cr_assert(support_exists(p), "%s missing", *f);
		free(p);
	}

	cr_assert_eq(nightly(&c, "n2", "140"), 1);
	cr_assert_eq(fake_github_count(c.fg, 'i'), 1, "a second issue was opened");
	issue = fake_github_item(c.fg, 'i', 0);
	cr_assert(strstr(issue->body, "+40.0%"), "not updated: %s", issue->body);

	cr_assert_eq(nightly(&c, "n3", "100"), 0);
	cr_assert_eq(fake_github_count(c.fg, 'i'), 1);
	issue = fake_github_item(c.fg, 'i', 0);
	cr_assert(issue->closed, "a clean night did not close the issue");
	cr_assert_eq(fake_github_count(c.fg, 'c'), 1);
	cr_assert_eq(fake_github_item(c.fg, 'c', 0)->parent, issue->id);
	text = output(&c, "n3-finish.out");
	cr_assert(strstr(text, "closed issue #1"), "%s", text);
	free(text);
	ctx_stop(&c);
}

/* A baseline's value: a bare number, or the "value" of an object (with the
 * summary the update tool writes beside it). */
static double baseline_value(json_t *doc, const char *platform, const char *metric)
{
	json_t *v = json_object_get(json_object_get(doc, platform), metric);

	return json_is_object(v) ? json_number_value(json_object_get(v, "value")) :
	       json_number_value(v);
}

Test(github, five_better_nights_move_the_baseline, .timeout = 240)
{
	struct ctx c;
	char name[16], *text;
	json_t *doc;

	ctx_start(&c, 30);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		cr_assert_eq(nightly(&c, name, "80"), 0);
		text = support_slurp(c.baselines);
		cr_assert(i == 4 || strstr(text, "\"work_units\": 100"),
		          "moved after %d nights: %s", i + 1, text);
		free(text);
	}
	doc = support_load_json(c.baselines);
	cr_assert_float_eq(baseline_value(doc, "CI_Test", "work_units"), 80.0, 1e-9);
	cr_assert_float_eq(baseline_value(doc, "CI_Other", "work_units"), 100.0, 1e-9,
	                   "another platform's baseline moved");
	json_decref(doc);
	cr_assert_eq(fake_github_count(c.fg, 'i'), 0, "a clean night opened an issue");
	ctx_stop(&c);
}

/* ---- cbench github alone ---------------------------------------------------------- */

static int github(struct ctx *c, const char *tag, const char *const extra[], const char *cmd,
                  const char *file)
{
	char tool[4096];
	char *argv[] = { tool, "github", (char *)cmd, "--file", (char *)file, NULL };

	snprintf(tool, sizeof(tool), "%s/cbench", CBENCH_TEST_BUILD);
	return run(c, argv, tag, extra);
}

static char *small_report(struct ctx *c)
{
	char *p = support_path(c->dir, "small.md");

	write_file(p, CBENCH_MARKDOWN_MARKER "\n## Report\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
	return p;
}

Test(github, a_500_then_201_succeeds_after_a_retry, .timeout = 60)
{
	struct ctx c;
	char *report, *text;

	ctx_start(&c, 30);
	report = small_report(&c);
	fake_github_fault(c.fg, "POST", FAKE_STATUS, 500, 1);
	cr_assert_eq(github(&c, "gh", NULL, "comment", report), 0);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 1);
	text = output(&c, "gh.err");
	cr_assert(strstr(text, "POST /repos/octo/bench/issues/7/comments: status 500"), "%s", text);
	cr_assert(strstr(text, "trying again"), "%s", text);
	free(text);
	free(report);
	ctx_stop(&c);
}

Test(github, rate_limits_and_slow_answers_are_waited_out, .timeout = 60)
{
	struct ctx c;
	char *report, *text;
	const char *slow[] = { "CBENCH_GITHUB_TIMEOUT=0.5", NULL };

	ctx_start(&c, 30);
	report = small_report(&c);
	fake_github_fault(c.fg, "GET", FAKE_RATE_LIMIT, 0, 1);
	cr_assert_eq(github(&c, "limited", NULL, "comment", report), 0);
	text = output(&c, "limited.err");
	cr_assert(strstr(text, "status 403: API rate limit exceeded; trying again"), "%s", text);
	free(text);
	fake_github_fault(c.fg, "PATCH", FAKE_SLOW, 0, 1);
	cr_assert_eq(github(&c, "slow", slow, "comment", report), 0);
	text = output(&c, "slow.err");
	cr_assert(strstr(text, "PATCH /repos/octo/bench/issues/comments/5000000000: Timeout"),
	          "%s", text);
	free(text);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 1);
	free(report);
	ctx_stop(&c);
}

Test(github, a_forks_read_only_token_is_a_warning_and_the_job_keeps_its_status,
     .timeout = 120)
{
	struct ctx c;
	char *report, *text;

	ctx_start(&c, 30);
	fake_github_read_only(c.fg, true);
	cr_assert_eq(bench_pr(&c, "a", "100", "CI_Test"), 0);
	cr_assert_eq(post(&c, "post", NULL, "a", NULL), 0);
	text = output(&c, "post.err");
	cr_assert(strstr(text, "cbench github: warning: comment not posted: POST "
	                       "/repos/octo/bench/issues/7/comments: status 403: Resource not "
	                       "accessible by integration"), "%s", text);
	free(text);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 0);
	report = support_path(c.dir, "a/report.md");
	cr_assert_eq(github(&c, "gh", NULL, "comment", report), 1, "not posted is exit 1");
	free(report);
	ctx_stop(&c);
}

/*
 * GitHub out of reach, too slow or answering garbage: the posting fails
 * with a line saying why, the merged report is still written, and
 * post-results.sh exits with the benchmarks' status (1 after a 30%
 * regression, 0 after a clean run), never the posting's.
 */
static void unavailable(const char *what, const char *const extra[], enum fake_fault fault,
                        const char *says)
{
	struct ctx c;
	char *text, *merged;

	for (int regressed = 0; regressed < 2; regressed++) {
		ctx_start(&c, 30);
		cr_assert_eq(bench_pr(&c, "a", regressed ? "130" : "100", "CI_Test"), regressed);
		if (fault != FAKE_OK)
			fake_github_fault(c.fg, NULL, fault, 0, 1000);
		cr_assert_eq(post(&c, "post", extra, "a", NULL), regressed,
		             "%s: the job's status must be the benchmarks'", what);
		text = output(&c, "post.err");
		cr_assert(strstr(text, "not posted") && strstr(text, says), "%s: %s", what, text);
		free(text);
		merged = support_path(c.dir, "merged.md");
		text = support_slurp(merged);
		cr_assert(text && strstr(text, CBENCH_MARKDOWN_MARKER) && strstr(text, "work&#95;units"),
		          "%s: no local report: %s", what, text ? text : "(none)");
		free(text);
		free(merged);
		cr_assert_eq(fake_github_count(c.fg, 'c'), 0);
		ctx_stop(&c);
	}
}

Test(github, unreachable_slow_or_garbage_github_keeps_the_reports_and_the_status,
     .timeout = 240)
{
	/* port 1 of the loopback: nothing listens there */
	const char *const refused[] = { "GITHUB_API_URL=http://127.0.0.1:1", NULL };
	const char *const hurried[] = { "CBENCH_GITHUB_TIMEOUT=0.5", NULL };

	unavailable("unreachable", refused, FAKE_OK, "connect");
	unavailable("slow", hurried, FAKE_SLOW, "Timeout");
	unavailable("garbage", NULL, FAKE_GARBAGE, "the answer is not JSON");
}

Test(github, errors_name_the_method_endpoint_and_status_and_never_the_token, .timeout = 60)
{
	struct ctx c;
	char *report, *text;
	const char *wrong[] = { "GITHUB_TOKEN=ghs_wrong_token_xyz", NULL };
	const char *missing[] = { "GITHUB_REPOSITORY=octo/missing", NULL };
	const char *none[] = { "GITHUB_TOKEN=", NULL };
	const char *bad[] = { "GITHUB_REPOSITORY=not a repo", NULL };

	ctx_start(&c, 30);
	report = small_report(&c);
	cr_assert_eq(github(&c, "wrong", wrong, "comment", report), 1);
	text = output(&c, "wrong.err");
	cr_assert(strstr(text, "comment not posted: GET /repos/octo/bench/issues/7/comments: "
	                       "status 401: Bad credentials"), "%s", text);
	cr_assert_null(strstr(text, "ghs_wrong_token_xyz"));
	cr_assert_null(strstr(text, "trying again"), "a 401 is not retried: %s", text);
	free(text);
	cr_assert_eq(github(&c, "missing", missing, "comment", report), 1);
	text = output(&c, "missing.err");
	cr_assert(strstr(text, "GET /repos/octo/missing/issues/7/comments: status 404: Not Found"),
	          "%s", text);
	free(text);
	cr_assert_eq(github(&c, "none", none, "comment", report), 2);
	text = output(&c, "none.err");
	cr_assert_str_eq(text, "cbench github: error: GITHUB_TOKEN is not set\n");
	free(text);
	cr_assert_eq(github(&c, "bad", bad, "comment", report), 2);
	text = output(&c, "bad.err");
	cr_assert_str_eq(text, "cbench github: error: GITHUB_REPOSITORY: 'not a repo' is not "
	                       "owner/name\n");
	free(text);
	fake_github_fault(c.fg, "POST", FAKE_STATUS, 422, 1);
	cr_assert_eq(github(&c, "invalid", NULL, "comment", report), 1);
	text = output(&c, "invalid.err");
	cr_assert(strstr(text, "POST /repos/octo/bench/issues/7/comments: status 422"), "%s", text);
	free(text);
	cr_assert_eq(fake_github_count(c.fg, 'c'), 0);
	free(report);
	ctx_stop(&c);
}

Test(github, the_fake_is_strict_about_headers)
{
	struct fake_github *fg = fake_github_start(TOKEN, 1, 30);
	char url[256];
	long status = 0;
	CURL *curl = curl_easy_init();
	struct curl_slist *h = NULL;

	snprintf(url, sizeof(url), "%s/repos/octo/bench/issues/7/comments", fake_github_url(fg));
	cr_assert_not_null(curl);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, fopen("/dev/null", "w"));
	cr_assert_eq(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	cr_assert_eq(status, 400, "no Accept header: %ld", status);
	h = curl_slist_append(h, "Accept: application/vnd.github+json");
	h = curl_slist_append(h, "X-GitHub-Api-Version: 2022-11-28");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "test");
	cr_assert_eq(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	cr_assert_eq(status, 401, "no Authorization: %ld", status);
	h = curl_slist_append(h, "Authorization: Bearer " TOKEN);
	cr_assert_eq(curl_easy_perform(curl), CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	cr_assert_eq(status, 200);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	fake_github_stop(fg);
}

/* ---- a report over the limit ------------------------------------------------------ */

Test(github, a_70000_character_report_is_cut_at_a_row_and_still_renders, .timeout = 60)
{
	struct ctx c;
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 20);
	const struct fake_item *it;
	char *report, *text, *line, *save = NULL, *html, *md, *hp;
	size_t rows = 0, chars = 0;

	ctx_start(&c, 30);
	cbench_buf__adds(&b, CBENCH_MARKDOWN_MARKER "\n## Performance Report\n\n"
	                     "<details><summary>All metrics</summary>\n\n"
	                     "| Metric | Current | Change |\n|---|---|---|\n");
	for (int i = 0; cbench_buf__len(&b) < 70000; i++)
		cbench_buf__addf(&b, "| métrique_%04d · naïve | %d.5 µs | −%d.0%% |\n", i, i, i % 50);
	cbench_buf__adds(&b, "\n</details>\n");
	report = support_path(c.dir, "big.md");
	write_file(report, cbench_buf__str(&b));
	cr_assert_eq(github(&c, "gh", NULL, "comment", report), 0);
	it = only_comment(&c);
	for (const char *p = it->body; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	cr_assert_leq(chars, 65536);
	cr_assert(support_valid_utf8(it->body));
	cr_assert(strstr(it->body, "Cut at GitHub's 65,536-character limit"));
	cr_assert(strstr(it->body, "[run 42](https://github.example/octo/bench/actions/runs/42)"));
	cr_assert_eq(support_count(it->body, "</details>"), 1, "the details block is closed");
	text = strdup(it->body);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '|')
			continue;
		cr_assert_eq(line[strlen(line) - 1], '|', "a cut row: %s", line);
		rows++;
	}
	free(text);
	cr_assert_gt(rows, 500);
	/* the step summary has the whole report */
	text = support_slurp(c.summary);
	cr_assert(text && strstr(text, cbench_buf__str(&b)), "the step summary lacks the report");
	free(text);
	/* GitHub's renderer, where installed: every kept row is a table row */
	if (support_exists("/usr/bin/cmark-gfm")) {
		char *argv[] = { "/usr/bin/cmark-gfm", "-e", "table", NULL, NULL };

		md = support_path(c.dir, "comment.md");
		html = support_path(c.dir, "comment.html");
		write_file(md, it->body);
		argv[3] = md;
		cr_assert_eq(support_run(argv, html, NULL), 0);
		hp = support_slurp(html);
		cr_assert_eq(support_count(hp, "<tr>"), rows - 1, "%zu rows rendered of %zu",
		             support_count(hp, "<tr>"), rows - 1);
		cr_assert(strstr(hp, "</table>"));
		free(hp);
		free(md);
		free(html);
	}
	cbench_buf__free(&b);
	free(report);
	ctx_stop(&c);
}

Test(github, fit_cuts_at_a_line_and_closes_open_blocks)
{
	struct cbench_buf out = CBENCH_BUF_INIT(1 << 16);
	const char *text = "a\n```\ncode é\nmore\n```\na tail that makes it long enough\n";

	cr_assert_not(cbench_github__fit(&out, text, strlen(text), 100, "NOTE\n"));
	cr_assert_str_eq(cbench_buf__str(&out), text);
	cbench_buf__free(&out);
	cr_assert(cbench_github__fit(&out, text, strlen(text), 40, "NOTE\n"));
	cr_assert_str_eq(cbench_buf__str(&out), "a\n```\ncode é\n```\n\nNOTE\n");
	cr_assert_leq(cbench_buf__len(&out), 40);
	cbench_buf__free(&out);
}

Test(github, the_fork_workflow_posts_a_check_for_the_expected_commit_only, .timeout = 120)
{
	struct ctx c;
	const struct fake_item *check;
	const char *right[] = { NULL };
	char *text;

	ctx_start(&c, 30);
	cr_assert_eq(bench_pr(&c, "a", "130", "CI_Test"), 1);
	{
		char *a = support_path(c.dir, "a"), *report = support_path(c.dir, "merged.md");
		char *argv[] = { "/bin/sh", "ci/post-results.sh", "--check", "--expect-sha", HEAD_SHA,
		                 "--output", report, a, NULL };
		char *wrong[] = { "/bin/sh", "ci/post-results.sh", "--check", "--expect-sha",
		                  "ffffffffffffffffffffffffffffffffffffffff", "--output", report, a, NULL };

		cr_assert_eq(run(&c, wrong, "wrong", right), 1, "the status is the benchmarks'");
		cr_assert_eq(fake_github_requests(c.fg), 0, "an unexpected event was posted");
		text = output(&c, "wrong.err");
		cr_assert(strstr(text, "the event's pull request head is " HEAD_SHA ", not "
		                       "--expect-sha ffff"), "%s", text);
		free(text);
		cr_assert_eq(run(&c, argv, "right", right), 1);
		free(a);
		free(report);
	}
	cr_assert_eq(fake_github_count(c.fg, 'k'), 1);
	check = fake_github_item(c.fg, 'k', 0);
	cr_assert_str_eq(check->extra, "failure");
	cr_assert_str_eq(check->title, HEAD_SHA);
	cr_assert_str_eq(check->label, "cbench performance");
	cr_assert(strstr(check->body, "+30.0%"), "%s", check->body);
	only_comment(&c);
	ctx_stop(&c);
}
