#include "sample_run.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reporters/registry.h"
#include "support.h"

#define NRESULTS 8

static struct cbench_metric metrics[NRESULTS][2];
static struct cbench_result results[NRESULTS];
static struct cbench_missing missing[1];
static struct cbench_run the_run;
static char ids[NRESULTS][10300];
static char long_name[10001];

static const double confirm_qsort[] = { 0.0121, 0.0125 };
static const double confirm_merge[] = { 455, 448 };
static const double confirm_radix[] = { 0.0049, 0.0048 };
static const char *const markers[] = { "slow" };

/* Hostile text, one per place it goes. */
#define H_SCRIPT "<script>alert(1)</script>"
#define H_SUITE1 "sea|rch" H_SCRIPT
#define H_SUITE2 "so`rt \"quotes\" & 'apos'"
#define H_MARKDOWN "`code` *bold* _it_ [link](http://x) ~~s~~ $x$ \\ #1 @someone"
#define H_CDATA "fl]]>at"
#define H_LINES "line1\nline2\r\tend"
#define H_BYTES "bad\xff\xfeutf8 \x01\x1b[31mred"
#define H_MESSAGE H_SCRIPT "\n| a | b |\n```\n]]> & \xff"
/* What a terminal acts on: CSI and OSC sequences, a carriage return, a C1
 * CSI (U+009B), a right-to-left override (U+202E); and an HTML comment. */
#define H_TERMINAL "\x1b[31mred\x1b]0;title\x07\rback\xc2\x9b" "2J\xe2\x80\xae" "evil<!--"
static const char *const hostile_markers[] = { "slow", "m<!--|`x`&\"" H_TERMINAL };

static struct cbench_metric metric(const char *name, const char *unit,
                                   enum cbench_direction dir, bool timing, double median,
                                   size_t n)
{
	struct cbench_metric m;

	memset(&m, 0, sizeof(m));
	m.name = name;
	m.unit = unit;
	m.direction = dir;
	m.timing = timing;
	m.value = median;
	m.stats.n = n;
	m.stats.min = median * 0.9;
	m.stats.max = median * 1.3;
	m.stats.mean = median * 1.01;
	m.stats.median = median;
	m.stats.stddev = median * 0.05;
	m.stats.q1 = median * 0.97;
	m.stats.q3 = median * 1.03;
	m.stats.iqr = m.stats.q3 - m.stats.q1;
	m.stats.p95 = median * 1.2;
	m.stats.p99 = median * 1.25;
	m.stats.ci_low = median * 0.99;
	m.stats.ci_high = median * 1.01;
	m.cmp.verdict = CBENCH_VERDICT_NEW;
	m.cmp.current = median;
	m.cmp.baseline = NAN;
	m.cmp.change = NAN;
	m.cmp.threshold = 0.2;
	m.cmp.threshold_source = "default";
	return m;
}

static void compare(struct cbench_metric *m, enum cbench_verdict v, double baseline,
                    double threshold, const char *source)
{
	m->cmp.verdict = v;
	m->cmp.baseline = baseline;
	m->cmp.change = (m->cmp.current - baseline) / baseline;
	m->cmp.threshold = threshold;
	m->cmp.threshold_source = source;
}

static void confirm(struct cbench_metric *m, const double *v, size_t n)
{
	m->cmp.confirm = v;
	m->cmp.nconfirm = n;
}

static struct cbench_result *result(size_t i, const char *suite, const char *name,
                                    const char *param, enum cbench_status status,
                                    const char *message, size_t nmetrics)
{
	struct cbench_result *r = &results[i];

	memset(r, 0, sizeof(*r));
	if (param)
		snprintf(ids[i], sizeof(ids[i]), "%s.%s[%s]", suite, name, param);
	else
		snprintf(ids[i], sizeof(ids[i]), "%s.%s", suite, name);
	r->id = ids[i];
	r->suite = suite;
	r->name = name;
	r->param = param;
	r->file = "benchmarks/sample.c";
	r->line = (int)(10 + i * 10);
	r->status = status;
	r->message = message;
	r->warmup = 10;
	r->iterations = 100;
	r->batch = 1;
	r->optimized = true;
	r->wall_time = 0.5 + (double)i * 0.25;
	r->cpu_time = 0;
	r->peak_rss = 8u << 20;
	r->metrics = metrics[i];
	r->nmetrics = nmetrics;
	return r;
}

const char *sample_long_name(void)
{
	static const char piece[] = "long|<script>`&_*";

	for (size_t i = 0; i < sizeof(long_name) - 1; i++)
		long_name[i] = piece[i % (sizeof(piece) - 1)];
	long_name[sizeof(long_name) - 1] = '\0';
	return long_name;
}

const struct cbench_run *sample_run(enum sample_kind kind)
{
	static const char *warnings[1];
	bool h = kind == SAMPLE_HOSTILE;
	const char *s1 = h ? H_SUITE1 : "search", *s2 = h ? H_SUITE2 : "sort";
	struct cbench_result *r;

	memset(metrics, 0, sizeof(metrics));

	/* search: a measured benchmark with a throughput, one that missed its
	 * target. */
	r = result(0, s1, h ? H_CDATA : "flat", h ? "a|b" : "10000", CBENCH_STATUS_PASSED, NULL, 2);
	r->markers = h ? hostile_markers : markers;
	r->nmarkers = h ? 2 : 1;
	r->batch = 813;
	r->cpu_time = 0.1;
	metrics[0][0] = metric(h ? H_MARKDOWN : ids[0], "s", CBENCH_LOWER_IS_BETTER, true,
	                       1.234e-6, 100);
	compare(&metrics[0][0], CBENCH_VERDICT_UNCHANGED, 1.2e-6, 0.2, "default");
	metrics[0][1] = metric(h ? H_BYTES : "search_throughput[10000]",
	                       h ? "<b>q|ps</b>" : "queries/s", CBENCH_HIGHER_IS_BETTER, false,
	                       810372, 100);
	compare(&metrics[0][1], CBENCH_VERDICT_IMPROVEMENT, 700000, 0.1, "declaration");

	r = result(1, s1, h ? sample_long_name() : "hnsw", NULL, CBENCH_STATUS_TARGET, NULL, 2);
	r->batch = 1000;
	r->iterations = 50;
	metrics[1][0] = metric(ids[1], "s", CBENCH_LOWER_IS_BETTER, true, 2.1e-6, 50);
	metrics[1][0].target.set = true;
	metrics[1][0].target.stat = "p95";
	metrics[1][0].target.limit = 2e-6;
	metrics[1][0].target.actual = metrics[1][0].stats.p95;
	metrics[1][0].target.ratio = metrics[1][0].stats.p95 / 2e-6;
	metrics[1][0].target.missed = true;
	metrics[1][1] = metric(h ? H_SCRIPT : "recall_at_10", h ? "\xff" : "",
	                       CBENCH_HIGHER_IS_BETTER, false, 0.91, 50);

	/* sort: two regressions, one each way, confirmed twice; an improvement;
	 * a crossing the re-runs did not confirm; failed, error, skipped. */
	r = result(2, s2, h ? H_LINES : "qsort", NULL, CBENCH_STATUS_PASSED, NULL, 2);
	metrics[2][0] = metric(h ? H_SCRIPT "|x" : ids[2], "s", CBENCH_LOWER_IS_BETTER, true,
	                       0.0123, 100);
	compare(&metrics[2][0], CBENCH_VERDICT_REGRESSION, 0.0100, 0.2, "REGRESSION_THRESHOLD");
	confirm(&metrics[2][0], confirm_qsort, 2);
	metrics[2][1] = metric(h ? "mem\"'&<>" : "sort_peak_memory", h ? "M|B" : "MB",
	                       CBENCH_LOWER_IS_BETTER, false, 64, 100);
	compare(&metrics[2][1], CBENCH_VERDICT_UNCHANGED, 64.5, 0.2, "default");

	r = result(3, s2, h ? H_BYTES : "merge", NULL, CBENCH_STATUS_PASSED, NULL, 2);
	r->batch = 2;
	r->cpu_time = 2.5;
	metrics[3][0] = metric(ids[3], "s", CBENCH_LOWER_IS_BETTER, true, 0.008, 100);
	compare(&metrics[3][0], CBENCH_VERDICT_IMPROVEMENT, 0.010, 0.15, "baselines");
	metrics[3][1] = metric(h ? H_MESSAGE : "merge_throughput", "MB/s",
	                       CBENCH_HIGHER_IS_BETTER, false, 450, 100);
	compare(&metrics[3][1], CBENCH_VERDICT_REGRESSION, 520, 0.1, "declaration");
	confirm(&metrics[3][1], confirm_merge, 2);

	r = result(4, s2, "radix", h ? "]]>" : NULL, CBENCH_STATUS_PASSED, NULL, 1);
	metrics[4][0] = metric(ids[4], "s", CBENCH_LOWER_IS_BETTER, true, 0.005, 100);
	compare(&metrics[4][0], CBENCH_VERDICT_UNCHANGED, 0.0048, 0.2, "default");
	metrics[4][0].cmp.unconfirmed = true;
	confirm(&metrics[4][0], confirm_radix, 2);

	result(5, s2, "broken", NULL, CBENCH_STATUS_FAILED,
	       h ? H_MESSAGE : "assertion failed: is_sorted(v, n) (benchmarks/sort.c:42)", 0);
	result(6, s2, "crash", NULL, CBENCH_STATUS_ERROR,
	       h ? H_BYTES "\n" H_SCRIPT : "crashed: SIGSEGV (Segmentation fault)", 0);
	result(7, s2, h ? H_MARKDOWN : "gpu", NULL, CBENCH_STATUS_SKIPPED,
	       h ? "no <GPU> | here ]]> " H_TERMINAL : "no GPU here", 0);

	missing[0].name = h ? "bub|ble<script>" H_TERMINAL : "sort.bubble";
	missing[0].baseline = 0.5;
	missing[0].unit = "s";
	missing[0].direction = CBENCH_LOWER_IS_BETTER;

	memset(&the_run, 0, sizeof(the_run));
	the_run.cbench_version = "0.0.0-test";
	snprintf(the_run.started_at, sizeof(the_run.started_at), "2026-11-24T02:41:45Z");
	the_run.duration = 42.5;
	the_run.mode = "standard";
	the_run.clock = "tsc";
	the_run.forked = true;
	snprintf(the_run.platform.id, sizeof(the_run.platform.id), "%s",
	         h ? "Plat|`form`<script>\xff" : "GitHub_Actions_Linux");
	snprintf(the_run.platform.id_source, sizeof(the_run.platform.id_source), "PERFORMANCE_PLATFORM");
	snprintf(the_run.platform.hostname, sizeof(the_run.platform.hostname), "%s",
	         h ? "host<&>\"'\n" : "runner-1");
	snprintf(the_run.platform.os, sizeof(the_run.platform.os), "Linux");
	snprintf(the_run.platform.kernel, sizeof(the_run.platform.kernel), "6.1.0-18-amd64");
	snprintf(the_run.platform.arch, sizeof(the_run.platform.arch), "x86_64");
	snprintf(the_run.platform.cpu_model, sizeof(the_run.platform.cpu_model), "AMD EPYC 7763");
	the_run.platform.cpus = 4;
	the_run.platform.ram_bytes = 16ull << 30;
	snprintf(the_run.platform.governor, sizeof(the_run.platform.governor), "powersave");
	if (h) {
		snprintf(the_run.platform.gpus[0].name, sizeof(the_run.platform.gpus[0].name),
		         "%s", "GPU</script><!--|`x`&\"" H_TERMINAL);
		snprintf(the_run.platform.gpus[0].driver, sizeof(the_run.platform.gpus[0].driver),
		         "%s", "535]]>\xff");
		the_run.platform.gpus[0].memory_bytes = 24ull << 30;
		the_run.platform.ngpus = 1;
	}
	the_run.git.present = true;
	snprintf(the_run.git.commit, sizeof(the_run.git.commit), "0123456789abcdef0123456789abcdef01234567");
	snprintf(the_run.git.short_commit, sizeof(the_run.git.short_commit), "0123456");
	snprintf(the_run.git.branch, sizeof(the_run.git.branch), "%s",
	         h ? "feat/``x``|<y>" : "feature/introsort");
	the_run.git.dirty = true;
	the_run.git.commit_time = 1795000000;
	snprintf(the_run.git.subject, sizeof(the_run.git.subject), "%s",
	         h ? "Fix `x` | " H_SCRIPT " ]]> \xff\xfe\n## not a heading"
	           : "Sort: switch to introsort");
	snprintf(the_run.git.source, sizeof(the_run.git.source), "libgit2");
	the_run.selected = NRESULTS;
	the_run.results = results;
	the_run.nresults = NRESULTS;
	warnings[0] = h ? "governor <b>powersave</b> | `x` " H_TERMINAL
	                : "CPU frequency governor is 'powersave', not 'performance': "
	                  "clock speed may change during the run";
	the_run.warnings = warnings;
	the_run.nwarnings = 1;
	the_run.compared = true;
	the_run.baselines = h ? "bench/<base>|lines.json" : "benchmarks/baselines.json";
	the_run.baseline_note = NULL;
	the_run.threshold = 0.2;
	the_run.compare_stat = "median";
	the_run.missing = missing;
	the_run.nmissing = 1;
	the_run.regressions = 2;
	the_run.improvements = 2;
	the_run.targets_missed = 1;

	if (kind == SAMPLE_CLEAN) {
		compare(&metrics[2][0], CBENCH_VERDICT_UNCHANGED, 0.0120, 0.2, "REGRESSION_THRESHOLD");
		confirm(&metrics[2][0], NULL, 0);
		compare(&metrics[3][1], CBENCH_VERDICT_UNCHANGED, 455, 0.1, "declaration");
		confirm(&metrics[3][1], NULL, 0);
		the_run.regressions = 0;
	} else if (kind == SAMPLE_NEW) {
		for (size_t i = 0; i < NRESULTS; i++) {
			for (size_t k = 0; k < results[i].nmetrics; k++) {
				struct cbench_metric *m = &metrics[i][k];

				m->cmp.verdict = CBENCH_VERDICT_NEW;
				m->cmp.baseline = NAN;
				m->cmp.change = NAN;
				m->cmp.unconfirmed = false;
				confirm(m, NULL, 0);
			}
		}
		the_run.compared = false;
		the_run.baselines = NULL;
		the_run.baseline_note = "no baselines file: benchmarks/baselines.json does not exist";
		the_run.nmissing = 0;
		the_run.regressions = 0;
		the_run.improvements = 0;
	}
	return &the_run;
}

/* ---- a big run ------------------------------------------------------------------- */

struct big {
	struct cbench_run run;
	struct cbench_result *results;
	struct cbench_metric *metrics;
	char **strings;
	size_t nstrings;
};

static char *keep(struct big *b, char *s)
{
	cr_assert_not_null(s);
	b->strings[b->nstrings++] = s;
	return s;
}

struct cbench_run *sample_big(size_t n, size_t nregress)
{
	struct big *b = calloc(1, sizeof(*b));
	char *s;

	cr_assert_not_null(b);
	b->results = calloc(n, sizeof(*b->results));
	b->metrics = calloc(n * 3, sizeof(*b->metrics));
	b->strings = calloc(n * 6, sizeof(*b->strings));
	cr_assert(b->results && b->metrics && b->strings);
	for (size_t i = 0; i < n; i++) {
		struct cbench_result *r = &b->results[i];
		struct cbench_metric *m = &b->metrics[i * 3];
		bool regress = i >= n - nregress;

		r->suite = keep(b, (asprintf(&s, "suite%03zu", i / 100) < 0 ? NULL : s));
		r->name = keep(b, (asprintf(&s, "bench_%05zu", i) < 0 ? NULL : s));
		r->id = keep(b, (asprintf(&s, "%s.%s", r->suite, r->name) < 0 ? NULL : s));
		r->file = "benchmarks/big.c";
		r->line = (int)i;
		r->iterations = 20;
		r->batch = 10;
		r->wall_time = 0.01;
		r->metrics = m;
		r->nmetrics = 3;
		m[0] = metric(r->id, "s", CBENCH_LOWER_IS_BETTER, true, 1e-6 * (double)(1 + i % 7), 20);
		compare(&m[0], regress ? CBENCH_VERDICT_REGRESSION : CBENCH_VERDICT_UNCHANGED,
		        m[0].value / (regress ? 1.3 : 1.01), 0.2, "default");
		m[1] = metric(keep(b, (asprintf(&s, "throughput_%05zu", i) < 0 ? NULL : s)),
		              "ops/s", CBENCH_HIGHER_IS_BETTER, false, 1e6, 20);
		compare(&m[1], CBENCH_VERDICT_UNCHANGED, 1.01e6, 0.2, "default");
		m[2] = metric(keep(b, (asprintf(&s, "memory_%05zu", i) < 0 ? NULL : s)),
		              "MB", CBENCH_LOWER_IS_BETTER, false, 12.5, 20);
		compare(&m[2], CBENCH_VERDICT_UNCHANGED, 12.5, 0.2, "default");
	}
	b->run.cbench_version = "0.0.0-test";
	snprintf(b->run.started_at, sizeof(b->run.started_at), "2026-11-24T02:41:45Z");
	b->run.duration = 600;
	b->run.mode = "quick";
	b->run.clock = "monotonic";
	snprintf(b->run.platform.id, sizeof(b->run.platform.id), "Big_Machine");
	snprintf(b->run.platform.hostname, sizeof(b->run.platform.hostname), "big");
	b->run.platform.cpus = 64;
	b->run.selected = n;
	b->run.results = b->results;
	b->run.nresults = n;
	b->run.compared = true;
	b->run.baselines = "baselines.json";
	b->run.threshold = 0.2;
	b->run.compare_stat = "median";
	b->run.regressions = nregress;
	return &b->run;
}

void sample_big_free(struct cbench_run *run)
{
	/* run is the first member of struct big. */
	struct big *b = (struct big *)run;

	if (!b)
		return;
	for (size_t i = 0; i < b->nstrings; i++)
		free(b->strings[i]);
	free(b->strings);
	free(b->metrics);
	free(b->results);
	free(b);
}

/* ---- running a reporter ------------------------------------------------------------ */

int sample_report(const struct cbench_reporter *rep, const struct cbench_run *r,
                  const char *path)
{
	struct cbench_report_config cfg = { false, false, 0 };
	struct cbench_error err = { 0, "" };
	int rc = cbench_reporters__emit(rep, path, &cfg, r, &err);

	/* Said on stderr: the callers assert rc. A Criterion error log would
	 * make the whole run exit 1 even for a test that expects a failure. */
	if (rc != 0)
		fprintf(stderr, "%s reporter: %s\n", rep->name, err.text);
	return rc;
}

void sample_check_golden(const char *path, const char *golden)
{
	char *want_path = support_path("tests/reporters/expected", golden);
	char *got = support_slurp(path), *want;

	cr_assert_not_null(got, "%s was not written", path);
	if (getenv("CBENCH_UPDATE_GOLDEN")) {
		FILE *f = fopen(want_path, "wb");

		cr_assert_not_null(f, "cannot write %s", want_path);
		fputs(got, f);
		fclose(f);
	}
	want = support_slurp(want_path);
	cr_assert_not_null(want, "no golden file %s (CBENCH_UPDATE_GOLDEN=1 writes it)", want_path);
	cr_assert_str_eq(got, want, "%s differs from %s", path, want_path);
	free(got);
	free(want);
	free(want_path);
}
