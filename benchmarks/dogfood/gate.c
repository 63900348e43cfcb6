/*
 * The gate at scale: comparison with a 30,000-metric baselines section and
 * every reporter, for 10,000 benchmarks x 3 metrics (goal: under 1 s
 * together).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cbench.h>

#include "cbench/reporter.h"
#include "gate/compare.h"
#include "data.h"

#define NBENCH 10000
#define NMETRIC 3

static struct cbench_result *results;
static struct cbench_metric *metrics;
static struct cbench_baseline_metric *base;
static char (*names)[48];
static char (*mnames)[64];
static struct cbench_run run;
static char folder[] = "/tmp/cbench-dogfood-XXXXXX";

static void make_run(void)
{
	uint64_t seed = 5;

	results = calloc(NBENCH, sizeof(*results));
	metrics = calloc(NBENCH * NMETRIC, sizeof(*metrics));
	base = calloc(NBENCH * NMETRIC, sizeof(*base));
	names = calloc(NBENCH, sizeof(*names));
	mnames = calloc(NBENCH * NMETRIC, sizeof(*mnames));
	if (!results || !metrics || !base || !names || !mnames || !mkdtemp(folder))
		cbench_skip("cannot prepare 10,000 results");
	for (size_t i = 0; i < NBENCH; i++) {
		struct cbench_result *r = &results[i];

		snprintf(names[i], sizeof(names[i]), "suite%02zu.bench%05zu", i / 500, i);
		r->id = names[i];
		r->suite = "suite";
		r->name = names[i] + 8;
		r->status = CBENCH_STATUS_PASSED;
		r->iterations = 100;
		r->batch = 1000;
		r->metrics = &metrics[i * NMETRIC];
		r->nmetrics = NMETRIC;
		for (size_t j = 0; j < NMETRIC; j++) {
			struct cbench_metric *m = &metrics[i * NMETRIC + j];
			double v = 1e-6 * (1 + (double)(cbench_data_next(&seed) % 1000) / 1000);

			snprintf(mnames[i * NMETRIC + j], sizeof(mnames[0]), "%s.m%zu", names[i], j);
			m->name = mnames[i * NMETRIC + j];
			m->unit = j == 0 ? "s" : "items/s";
			m->timing = j == 0;
			m->direction = j == 0 ? CBENCH_LOWER_IS_BETTER : CBENCH_HIGHER_IS_BETTER;
			m->value = v;
			m->stats.n = 100;
			m->stats.median = m->stats.mean = m->stats.min = m->stats.max = v;
			m->stats.p95 = m->stats.p99 = m->stats.ci_low = m->stats.ci_high = v;
			base[i * NMETRIC + j].name = m->name;
			/* one in ten regresses by about 30% */
			base[i * NMETRIC + j].value = i % 10 ? v : v / 1.3;
		}
	}
	run.cbench_version = CBENCH_VERSION;
	run.mode = "standard";
	run.clock = "tsc";
	run.compare_stat = "median";
	run.threshold = 0.2;
	run.compared = true;
	run.results = results;
	run.nresults = NBENCH;
	run.selected = NBENCH;
	snprintf(run.platform.id, sizeof(run.platform.id), "Dogfood_16GB");
}

static void drop_run(void)
{
	char path[128];
	const char *files[] = { "r.json", "r.md", "r.xml", "r.gbench.json", "console.txt" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", folder, files[i]);
		unlink(path);
	}
	rmdir(folder);
	free(results);
	free(metrics);
	free(base);
	free(names);
	free(mnames);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Renders one format and records how long it took, as a metric of its own. */
static void render(const struct cbench_reporter *rep, const char *file)
{
	double t0 = now();
	char metric[64];
	struct cbench_report_config cfg = { false, false, 0 };
	struct cbench_error err;
	char path[128];
	void *self;

	snprintf(path, sizeof(path), "%s/%s", folder, file);
	if (rep->open(&self, path, &cfg, &err) || rep->context(self, &run, &err))
		cbench_fail("%s: %s", rep->name, err.text);
	for (size_t i = 0; i < run.nresults; i++)
		if (rep->result(self, &run.results[i], &err))
			cbench_fail("%s: %s", rep->name, err.text);
	if (rep->finish(self, &run, &err))
		cbench_fail("%s: %s", rep->name, err.text);
	rep->close(self);
	snprintf(metric, sizeof(metric), "report_10k_%s", rep->name);
	cbench_metric(metric, now() - t0, "s", CBENCH_LOWER_IS_BETTER);
}

CBENCH(gate, compare_and_report_10k, .setup = make_run, .teardown = drop_run,
       .iterations = 10, .batch = 1, .markers = "dogfood slow")
{
	struct cbench_compare_config cfg = { .threshold = 0.2, .threshold_source = "default",
	                                     .stat = "median" };
	struct cbench_missing *missing;
	size_t nmissing;
	double t0 = now();

	if (cbench_compare__apply(results, NBENCH, NULL, base, NBENCH * NMETRIC, &cfg,
	                          &missing, &nmissing))
		cbench_fail("compare: out of memory");
	free(missing);
	cbench_metric("compare_10k", now() - t0, "s", CBENCH_LOWER_IS_BETTER);
	render(&cbench_reporter_console, "console.txt");
	render(&cbench_reporter_json, "r.json");
	render(&cbench_reporter_markdown, "r.md");
	render(&cbench_reporter_junit, "r.xml");
	render(&cbench_reporter_gbench, "r.gbench.json");
}
