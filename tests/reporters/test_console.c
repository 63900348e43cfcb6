/*
 * The console table for a fixed run, compared with a golden file
 * (tests/reporters/expected/console.txt). CBENCH_UPDATE_GOLDEN=1 rewrites it.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "reporters/console.h"
#include "reporters/registry.h"
#include "sample_run.h"
#include "support.h"

static struct cbench_metric metric(const char *name, const char *unit,
                                   enum cbench_direction dir, bool timing, double median)
{
	struct cbench_metric m;

	memset(&m, 0, sizeof(m));
	m.name = name;
	m.unit = unit;
	m.direction = dir;
	m.timing = timing;
	m.value = median;
	m.stats.n = 100;
	m.stats.median = median;
	m.stats.min = median * 0.9;
	m.stats.p95 = median * 1.2;
	m.stats.ci_low = median * 0.99;
	m.stats.ci_high = median * 1.01;
	m.stats.mean = median;
	return m;
}

Test(console, golden_table)
{
	const char *markers[] = { "slow" };
	struct cbench_metric m1[2], m2[1];
	struct cbench_result r[4];
	struct cbench_run run;
	struct cbench_report_config cfg = { false, false, 0 };
	const char *warnings[] = { "CPU frequency governor is 'powersave', not 'performance'" };
	char *dir = support_tmpdir(), *path = support_path(dir, "console.txt");
	char *got, *want;
	struct cbench_error err;
	void *self;

	m1[0] = metric("vector_search_latency[10000]", "s", CBENCH_LOWER_IS_BETTER, true, 1.234e-6);
	m1[1] = metric("search_throughput[10000]", "queries/s", CBENCH_HIGHER_IS_BETTER, false, 810372.0);
	m2[0] = metric("sort.qsort", "s", CBENCH_LOWER_IS_BETTER, true, 0.0123);
	{
		static const double twice[2] = { 1.6e-6, 1.61e-6 }, once[1] = { 0.0124 };

		m1[0].cmp.verdict = CBENCH_VERDICT_REGRESSION;
		m1[0].cmp.change = 0.3;
		m1[0].cmp.threshold = 0.2;
		m1[0].cmp.confirm = twice;
		m1[0].cmp.nconfirm = 2;
		m1[0].cmp.baseline = 1.234e-6 / 1.3;
		m1[0].cmp.tested = true;
		m1[0].cmp.p = 0.00042;
		m1[0].cmp.ratio = 1.3;
		m1[0].cmp.ratio_lo = 1.25;
		m1[0].cmp.ratio_hi = 1.36;
		m1[0].cmp.baseline_n = 5;
		{
			static struct cbench_confirmation later[2] = {
				{ 1, "2026-11-30T14:05:03Z", 1.6e-6, CBENCH_VERDICT_REGRESSION, 0.001, 100 },
				{ 2, "2026-11-30T14:05:09Z", 1.61e-6, CBENCH_VERDICT_REGRESSION, 0.002, 100 },
			};

			m1[0].cmp.passes = later;
			m1[0].cmp.npasses = 2;
		}
		m1[1].cmp.verdict = CBENCH_VERDICT_IMPROVEMENT;
		m1[1].cmp.change = 0.25;
		m2[0].cmp.verdict = CBENCH_VERDICT_UNCHANGED;
		m2[0].cmp.change = 0.21;
		m2[0].cmp.unconfirmed = true;
		m2[0].cmp.confirm = once;
		m2[0].cmp.nconfirm = 1;
		m2[0].cmp.baseline = 0.0123 / 1.21;
		{
			static struct cbench_confirmation later[1] = {
				{ 1, "2026-11-30T14:05:12Z", 0.0124, CBENCH_VERDICT_UNCHANGED, NAN, 100 },
			};

			m2[0].cmp.passes = later;
			m2[0].cmp.npasses = 1;
		}
		m1[1].cmp.verdict = CBENCH_VERDICT_INCONCLUSIVE;
		snprintf(m1[1].cmp.reason, sizeof(m1[1].cmp.reason),
		         "the run changed level mid-way \x1b[31m");
		m2[0].target.set = true;
		m2[0].target.missed = true;
		m2[0].target.stat = "p95";
		m2[0].target.limit = 0.01;
		m2[0].target.actual = 0.01476;
		m2[0].target.ratio = 1.476;
	}
	memset(r, 0, sizeof(r));
	r[0].id = "vector_search.flat[10000]";
	r[0].markers = markers;
	r[0].nmarkers = 1;
	r[0].metrics = m1;
	r[0].nmetrics = 2;
	r[0].batch = 813;
	r[1].id = "sort.qsort";
	r[1].metrics = m2;
	r[1].nmetrics = 1;
	r[1].batch = 1;
	r[1].status = CBENCH_STATUS_TARGET;
	r[2].id = "gpu.matmul";
	r[2].status = CBENCH_STATUS_SKIPPED;
	r[2].message = "no GPU here";
	r[3].id = "bad.crash";
	r[3].status = CBENCH_STATUS_ERROR;
	r[3].message = "crashed: SIGSEGV (Segmentation fault)";
	memset(&run, 0, sizeof(run));
	run.duration = 2.5;
	run.selected = 4;
	run.results = r;
	run.nresults = 4;
	run.warnings = warnings;
	run.nwarnings = 1;
	{
		static const struct cbench_missing gone = { "old_metric", 3.5, "B",
		                                            CBENCH_LOWER_IS_BETTER };

		run.missing = &gone;
		run.nmissing = 1;
	}
	run.compared = true;
	snprintf(run.platform.id, sizeof(run.platform.id), "AMD_EPYC_24GB");
	run.baselines = "baselines/baselines.json";
	run.threshold = 0.2;
	run.compare_stat = "median";
	run.regressions = 1;
	run.improvements = 1;
	run.targets_missed = 1;

	cr_assert_eq(cbench_reporter_console.open(&self, path, &cfg, &err), 0);
	cr_assert_eq(cbench_reporter_console.context(self, &run, &err), 0);
	for (size_t i = 0; i < 4; i++)
		cr_assert_eq(cbench_reporter_console.result(self, &r[i], &err), 0);
	cr_assert_eq(cbench_reporter_console.finish(self, &run, &err), 0);
	cbench_reporter_console.close(self);
	got = support_slurp(path);
	if (getenv("CBENCH_UPDATE_GOLDEN")) {
		FILE *f = fopen("tests/reporters/expected/console.txt", "w");

		fputs(got, f);
		fclose(f);
	}
	want = support_slurp("tests/reporters/expected/console.txt");
	cr_assert_not_null(want, "no golden file");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	free(path);
	support_rmdir(dir);
}

static char *console_of(const struct cbench_run *run, int verbosity)
{
	struct cbench_report_config cfg = { false, false, verbosity };
	struct cbench_error err = { 0, "" };
	char *dir = support_tmpdir(), *path = support_path(dir, "console.txt"), *text;

	cr_assert_eq(cbench_reporters__emit(&cbench_reporter_console, path, &cfg, run, &err), 0,
	             "%s", err.text);
	text = support_slurp(path);
	cr_assert_not_null(text);
	free(path);
	support_rmdir(dir);
	return text;
}

Test(console, hostile_names_send_no_control_to_the_terminal)
{
	for (int verbosity = -1; verbosity <= 0; verbosity++) {
		char *text = console_of(sample_run(SAMPLE_HOSTILE), verbosity);
		const char *bad = support_terminal_control(text);

		cr_assert_null(bad, "a control character at byte %td of:\n%s", bad - text, text);
		cr_assert(support_valid_utf8(text));
		free(text);
	}
	{
		char *text = console_of(sample_run(SAMPLE_HOSTILE), 0);

		/* shown, escaped, where they were: the error's message, the
		 * warning, the missing metric, the multi-line id */
		cr_assert_not_null(strstr(text, "\\x1b[31mred\\x1b]0;title\\x07\\rback\\u009b2J\\u202eevil<!--"),
		                   "%s", text);
		cr_assert_not_null(strstr(text, "line1\\nline2\\r\\tend"), "%s", text);
		cr_assert_not_null(strstr(text, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8 \\x01\\x1b[31mred"));
		cr_assert_not_null(strstr(text, "warning: governor <b>powersave</b> | `x` \\x1b[31m"));
		cr_assert_not_null(strstr(text, "missing: bub|ble<script>\\x1b[31m"));
		free(text);
	}
}

Test(console, progress_lines_escape_the_id)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "progress.txt"), *text;
	struct cbench_result r;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	memset(&r, 0, sizeof(r));
	r.id = "s.x\x1b]0;pwned\x07";
	r.message = "m\r\x1b[2K";
	r.status = CBENCH_STATUS_SKIPPED;
	cbench_console__progress(f, true, 0, r.id, 0, 1);
	cbench_console__progress(f, false, 1, r.id, 0, 1);
	cbench_console__progress_done(f, false, 1, &r);
	fclose(f);
	text = support_slurp(path);
	/* the progress line's own \r and \033[K, nothing of the id's */
	cr_assert_str_eq(text, "\r[1/1] s.x\\x1b]0;pwned\\x07\033[K"
	                       "[1/1] s.x\\x1b]0;pwned\\x07\n"
	                       "s.x\\x1b]0;pwned\\x07 skipped -: m\\r\\x1b[2K\n");
	free(text);
	free(path);
	support_rmdir(dir);
}
