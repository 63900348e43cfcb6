/*
 * The runner's command line and cbench_main(): parse everything first (a bad
 * option writes nothing), select, run, report, and turn the outcome into an
 * exit status.
 */
#include "app/cli.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cbench.h"
#include "cbench/reporter.h"
#include "measure/clock.h"
#include "reporters/console.h"
#include "base/error.h"
#include "measure/expr.h"
#include "base/fileio.h"
#include "gate/gate.h"
#include "env/gitinfo.h"
#include "history/history.h"
#include "env/platform.h"
#include "measure/registry.h"
#include "measure/runner.h"
#include "base/time.h"
#include "base/util.h"
#include "model/run.h"

enum {
	OPT_LIST = 256, OPT_MODE, OPT_NO_FORK, OPT_TIMEOUT, OPT_CLOCK, OPT_COLOR,
	OPT_JSON, OPT_JSON_SAMPLES, OPT_MARKDOWN, OPT_JUNIT, OPT_GBENCH, OPT_BASELINES,
	OPT_PLATFORM, OPT_THRESHOLD, OPT_COMPARE_STAT, OPT_CONFIRM, OPT_FAIL_ON, OPT_STRICT,
	OPT_RECORD, OPT_DB, OPT_RUN_TYPE
};

static const struct option long_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "exitfirst", no_argument, NULL, 'x' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "no-fork", no_argument, NULL, OPT_NO_FORK },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "clock", required_argument, NULL, OPT_CLOCK },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "json-samples", no_argument, NULL, OPT_JSON_SAMPLES },
	{ "markdown", required_argument, NULL, OPT_MARKDOWN },
	{ "junit", required_argument, NULL, OPT_JUNIT },
	{ "gbench-json", required_argument, NULL, OPT_GBENCH },
	{ "baselines", required_argument, NULL, OPT_BASELINES },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "compare-stat", required_argument, NULL, OPT_COMPARE_STAT },
	{ "confirm", required_argument, NULL, OPT_CONFIRM },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "record", no_argument, NULL, OPT_RECORD },
	{ "db", required_argument, NULL, OPT_DB },
	{ "run-type", required_argument, NULL, OPT_RUN_TYPE },
	{ NULL, 0, NULL, 0 }
};

bool cbench_cli__env_flag(const char *name)
{
	const char *v = getenv(name);

	return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
	             strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0);
}

double cbench_cli__mode_factor(const char *mode)
{
	if (strcmp(mode, "quick") == 0)
		return 0.2;
	if (strcmp(mode, "standard") == 0)
		return 1.0;
	if (strcmp(mode, "comprehensive") == 0)
		return 5.0;
	return 0;
}

void cbench_cli__usage(FILE *out, const char *prog)
{
	fprintf(out,
	        "usage: %s [--list] [-k EXPR] [-m EXPR] [-x] [-v|-q] [--mode MODE]\n"
	        "       [--no-fork] [--timeout SEC] [--json FILE [--json-samples]]\n"
	        "       [--markdown FILE] [--junit FILE] [--gbench-json FILE]\n"
	        "       [--baselines FILE] [--platform ID] [--threshold T] [--confirm N]\n"
	        "       [--compare-stat STAT] [--fail-on WHAT] [--strict]\n"
	        "       [--record] [--db PATH] [--run-type TYPE]\n"
	        "Try '%s --help' for more.\n", prog, prog);
}

void cbench_cli__help(FILE *out, const char *prog)
{
	fprintf(out,
	        "usage: %s [OPTIONS]\n"
	        "Runs the benchmarks linked into this program (cbench " CBENCH_VERSION ").\n"
	        "\n"
	        "Selection:\n"
	        "  --list              print the selected ids, one per line, and exit\n"
	        "  -k EXPR             ids containing names: -k 'flat and not 1000'\n"
	        "  -m EXPR             markers: -m 'not slow'\n"
	        "Running:\n"
	        "  --mode MODE         quick (x0.2), standard (x1), comprehensive (x5):\n"
	        "                      scales rounds and times; default $BENCHMARK_MODE\n"
	        "                      or standard\n"
	        "  -x, --exitfirst     stop after the first failure or error\n"
	        "  --no-fork           run in this process: no crash isolation, no\n"
	        "                      timeouts (for debuggers)\n"
	        "  --timeout SEC       default per-benchmark timeout (60)\n"
	        "  --clock NAME        auto, tsc or monotonic (auto)\n"
	        "Gate:\n"
	        "  --baselines FILE    baselines to compare with (baselines/baselines.json)\n"
	        "  --platform ID       this machine's platform id (default\n"
	        "                      $PERFORMANCE_PLATFORM, else detected)\n"
	        "  --threshold T       regression threshold, 0.2 or 20%% (default\n"
	        "                      $REGRESSION_THRESHOLD, else 20%%)\n"
	        "  --compare-stat STAT median, mean, min or p95 (median)\n"
	        "  --confirm N         re-runs confirming a regression (2)\n"
	        "  --fail-on WHAT      none, regression or any (regression)\n"
	        "  --strict            no baselines for this platform is an error\n"
	        "History:\n"
	        "  --record            record the run in the history database (also\n"
	        "                      ENABLE_PERFORMANCE_RECORDING=1)\n"
	        "  --db PATH           the database (default $PERFORMANCE_DB_PATH, else\n"
	        "                      benchmarks/history/performance.db)\n"
	        "  --run-type TYPE     ci, nightly or manual (default\n"
	        "                      $PERFORMANCE_RUN_TYPE, else manual)\n"
	        "Output:\n"
	        "  --json FILE         write the results as JSON ('-': standard output)\n"
	        "  --json-samples      include every round in the JSON\n"
	        "  --markdown FILE     the pull-request comment\n"
	        "  --junit FILE        JUnit XML for CI test reports\n"
	        "  --gbench-json FILE  Google Benchmark's JSON format\n"
	        "  -v, --verbose       a line per benchmark as it finishes\n"
	        "  -q, --quiet         only failures, warnings and the summary\n"
	        "  --color WHEN        auto, always or never (NO_COLOR set: never)\n"
	        "  -h, --help          this help\n"
	        "  -V, --version       the version\n"
	        "\n"
	        "Exit status: 0 all passed (or skipped), 1 a benchmark failed or\n"
	        "errored, missed its target or regressed (confirmed), 2 usage or\n"
	        "configuration error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).\n",
	        prog);
}

static int parse_seconds(double *out, const char *opt, const char *text,
                         struct cbench_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || *end || !(v > 0) || !isfinite(v))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' is not a positive number of seconds",
		                         opt, text);
	*out = v;
	return 0;
}

int cbench_cli__parse(struct cbench_cli *out, int argc, char **argv,
                      struct cbench_error *err)
{
	const char *env_mode = getenv("BENCHMARK_MODE");
	int c;

	const char *env_threshold = getenv("REGRESSION_THRESHOLD");
	bool confirm_given = false;

	memset(out, 0, sizeof(*out));
	out->mode = env_mode && *env_mode ? env_mode : "standard";
	out->baselines = CBENCH_DEFAULT_BASELINES;
	out->threshold = CBENCH_DEFAULT_THRESHOLD;
	out->threshold_source = "default";
	out->compare_stat = "median";
	opterr = 0;
	optind = 0; /* glibc: full re-initialisation, so tests can parse twice */
	while ((c = getopt_long(argc, argv, "+hVxvqk:m:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h': out->help = true; break;
		case 'V': out->version = true; break;
		case 'x': out->exitfirst = true; break;
		case 'v': out->verbosity = 1; break;
		case 'q': out->verbosity = -1; break;
		case 'k': out->keyword = optarg; break;
		case 'm': out->markers = optarg; break;
		case OPT_LIST: out->list = true; break;
		case OPT_MODE: out->mode = optarg; env_mode = NULL; break;
		case OPT_NO_FORK: out->no_fork = true; break;
		case OPT_TIMEOUT:
			if (parse_seconds(&out->timeout, "--timeout", optarg, err))
				return CBENCH_EUSAGE;
			break;
		case OPT_CLOCK:
			if (!cbench_clock__get(optarg))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--clock: '%s' is not auto, tsc or monotonic"
				                         " (or is not available here)", optarg);
			out->clock = optarg;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				out->color = 0;
			else if (strcmp(optarg, "always") == 0)
				out->color = 1;
			else if (strcmp(optarg, "never") == 0)
				out->color = -1;
			else
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--color: '%s' is not auto, always or never",
				                         optarg);
			break;
		case OPT_JSON: out->json = optarg; break;
		case OPT_JSON_SAMPLES: out->json_samples = true; break;
		case OPT_MARKDOWN: out->markdown = optarg; break;
		case OPT_JUNIT: out->junit = optarg; break;
		case OPT_GBENCH: out->gbench = optarg; break;
		case OPT_BASELINES:
			out->baselines = optarg;
			out->baselines_given = true;
			break;
		case OPT_PLATFORM:
			if (!*optarg)
				return cbench_error__set(err, CBENCH_EUSAGE, "--platform: empty id");
			out->platform = optarg;
			break;
		case OPT_THRESHOLD:
			if (cbench_compare__parse_threshold(&out->threshold, optarg, "--threshold", err))
				return CBENCH_EUSAGE;
			out->threshold_source = "--threshold";
			break;
		case OPT_COMPARE_STAT:
			if (strcmp(optarg, "median") && strcmp(optarg, "mean") &&
			    strcmp(optarg, "min") && strcmp(optarg, "p95"))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--compare-stat: '%s' is not median, mean, min or p95",
				                         optarg);
			out->compare_stat = optarg;
			break;
		case OPT_CONFIRM: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 100)
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--confirm: '%s' is not a count from 0 to 100",
				                         optarg);
			out->confirm = (unsigned)v;
			confirm_given = true;
			break;
		}
		case OPT_FAIL_ON:
			if (strcmp(optarg, "regression") == 0)
				out->fail_on = CBENCH_FAIL_ON_REGRESSION;
			else if (strcmp(optarg, "none") == 0)
				out->fail_on = CBENCH_FAIL_ON_NONE;
			else if (strcmp(optarg, "any") == 0)
				out->fail_on = CBENCH_FAIL_ON_ANY;
			else
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--fail-on: '%s' is not none, regression or any",
				                         optarg);
			break;
		case OPT_STRICT: out->strict = true; break;
		case OPT_RECORD: out->record = true; break;
		case OPT_DB:
			if (!*optarg)
				return cbench_error__set(err, CBENCH_EUSAGE, "--db: empty path");
			out->db = optarg;
			break;
		case OPT_RUN_TYPE:
			if (!cbench_run__valid_type(optarg))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--run-type: '%s' is not ci, nightly or manual",
				                         optarg);
			out->run_type = optarg;
			break;
		case ':':
			return cbench_error__set(err, CBENCH_EUSAGE, "%s needs a value",
			                         argv[optind - 1]);
		default:
			if (optopt && optopt < 256 && strchr("km", optopt))
				return cbench_error__set(err, CBENCH_EUSAGE, "-%c needs a value",
				                         optopt);
			if (optopt && optopt < 256)
				return cbench_error__set(err, CBENCH_EUSAGE, "unknown option -%c",
				                         optopt);
			/* A long option: unknown, or missing its value. */
			if (optopt)
				return cbench_error__set(err, CBENCH_EUSAGE, "%s needs a value",
				                         argv[optind - 1]);
			return cbench_error__set(err, CBENCH_EUSAGE, "unknown option %s",
			                         argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "unexpected argument '%s' (select with -k)",
		                         argv[optind]);
	if (!confirm_given)
		out->confirm = CBENCH_DEFAULT_CONFIRM;
	if (cbench_cli__env_flag("ENABLE_PERFORMANCE_RECORDING"))
		out->record = true;
	if (!out->db)
		out->db = cbench_history__default_path();
	if (!out->run_type) {
		const char *type = getenv("PERFORMANCE_RUN_TYPE");

		if (type && *type && !cbench_run__valid_type(type))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "PERFORMANCE_RUN_TYPE: '%s' is not ci, nightly or manual",
			                         type);
		out->run_type = type && *type ? type : "manual";
	}
	if (strcmp(out->threshold_source, "--threshold") != 0 && env_threshold && *env_threshold) {
		if (cbench_compare__parse_threshold(&out->threshold, env_threshold,
		                                    "REGRESSION_THRESHOLD", err))
			return CBENCH_EUSAGE;
		out->threshold_source = "REGRESSION_THRESHOLD";
	}
	out->factor = cbench_cli__mode_factor(out->mode);
	if (out->factor == 0)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' is not quick, standard or comprehensive",
		                         env_mode ? "BENCHMARK_MODE" : "--mode", out->mode);
	if (out->json_samples && !out->json)
		return cbench_error__set(err, CBENCH_EUSAGE, "--json-samples needs --json FILE");
	{
		const char *nc = getenv("NO_COLOR");

		/* no-color.org: set and not empty disables colour, even "always". */
		if (nc && *nc)
			out->color = -1;
	}
	return 0;
}

/* ---- cbench_main ---------------------------------------------------------------- */

struct progress {
	FILE *out;
	bool tty;
	int verbosity;
};

static void on_start(void *ctx, const struct cbench_instance *in, size_t i, size_t n)
{
	struct progress *p = ctx;

	cbench_console__progress(p->out, p->tty, p->verbosity, in->id, i, n);
}

static void on_result(void *ctx, const struct cbench_result *r, size_t i, size_t n)
{
	struct progress *p = ctx;

	(void)i;
	(void)n;
	cbench_console__progress_done(p->out, p->tty, p->verbosity, r);
}

struct warnings {
	char **v;
	size_t n;
};

static void warn(struct warnings *w, char *text)
{
	char **p;

	if (!text)
		return;
	p = realloc(w->v, (w->n + 1) * sizeof(*p));
	if (!p) {
		free(text);
		return;
	}
	w->v = p;
	w->v[w->n++] = text;
}

/* Readings that cannot be trusted, said once each. */
static void collect_warnings(struct warnings *w, const struct cbench_run *run)
{
	const char *unoptimized = NULL;

	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *r = &run->results[i];

		if (!r->optimized && !unoptimized)
			unoptimized = r->file;
		if (r->nmetrics && r->metrics[0].timing && r->metrics[0].stats.n > 1 &&
		    r->metrics[0].stats.median > 0) {
			/* The robust coefficient of variation (IQR / 1.349 over the
			 * median: the CV for normal data). The plain stddev / mean
			 * is dominated by the odd interrupted round, which the median
			 * we compare ignores (docs/design.md). */
			double cv = 0.7413 * r->metrics[0].stats.iqr / r->metrics[0].stats.median;

			if (cv > 0.05)
				warn(w, cbench__asprintf("%s: coefficient of variation %.1f%% "
				                         "(over 5%%): a noisy reading", r->id, cv * 100));
		}
	}
	if (unoptimized)
		warn(w, cbench__asprintf("%s (and maybe others) was compiled without "
		                         "optimization: timings describe a debug build",
		                         unoptimized));
	if (run->platform.governor[0] && strcmp(run->platform.governor, "performance") != 0)
		warn(w, cbench__asprintf("CPU frequency governor is '%s', not 'performance': "
		                         "clock speed may change during the run",
		                         run->platform.governor));
}

static bool selected(const struct cbench_instance *in, const struct cbench_expr *k,
                     const struct cbench_expr *m)
{
	if (k && !cbench_expr__match(k, (const char *const *)&in->id, 1))
		return false;
	if (m && !cbench_expr__match(m, (const char *const *)in->markers, in->nmarkers))
		return false;
	return true;
}

static int report(const struct cbench_reporter *rep, const char *path,
                  const struct cbench_report_config *cfg, const struct cbench_run *run,
                  struct cbench_error *err)
{
	void *self = NULL;
	int rc = rep->open(&self, path, cfg, err);

	if (rc == 0)
		rc = rep->context(self, run, err);
	for (size_t i = 0; rc == 0 && i < run->nresults; i++)
		rc = rep->result(self, &run->results[i], err);
	if (rc == 0)
		rc = rep->finish(self, run, err);
	if (self)
		rep->close(self);
	return rc;
}

/* Every requested output, the display first. Returns 0 or the first
 * failure's code (the others are still written). */
static int report_all(const struct cbench_cli *cli, const char *display,
                      const struct cbench_report_config *cfg,
                      const struct cbench_run *run, const char *prog)
{
	const struct {
		const struct cbench_reporter *rep;
		const char *path;
	} outputs[] = {
		{ &cbench_reporter_console, display },
		{ &cbench_reporter_json, cli->json },
		{ &cbench_reporter_markdown, cli->markdown },
		{ &cbench_reporter_junit, cli->junit },
		{ &cbench_reporter_gbench, cli->gbench },
	};
	struct cbench_error err = { 0, "" };
	locale_t c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0), saved = (locale_t)0;
	int status = 0;

	/* Numbers in reports never follow the user's locale. */
	if (c_locale)
		saved = uselocale(c_locale);
	for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++) {
		if (!outputs[i].path)
			continue;
		if (report(outputs[i].rep, outputs[i].path, cfg, run, &err) != 0) {
			fprintf(stderr, "%s: error: %s\n", prog, err.text);
			status = err.code ? err.code : CBENCH_ERROR;
		}
	}
	if (c_locale) {
		uselocale(saved);
		freelocale(c_locale);
	}
	return status;
}

/* The compiler the benchmarks were built with, as their files recorded it. */
static void fill_build(struct cbench_platform *p, const struct cbench_instance *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].bench->compiler && v[i].bench->compiler[0]) {
			snprintf(p->compiler, sizeof(p->compiler), "%s", v[i].bench->compiler);
			snprintf(p->cflags, sizeof(p->cflags), "%s",
			         v[i].bench->build_flags ? v[i].bench->build_flags : "");
			return;
		}
	}
}

struct rerun_ctx {
	const struct cbench_runner_config *rcfg;
	const struct cbench_instance *v;
};

static int rerun(void *ctx, size_t index, struct cbench_result **out)
{
	struct rerun_ctx *c = ctx;
	struct cbench_runner_config cfg = *c->rcfg;
	size_t n;

	/* re-runs are quiet: the progress line is the first run's */
	cfg.on_start = NULL;
	cfg.on_result = NULL;
	return cbench_runner__run(out, &n, &cfg, &c->v[index], 1, NULL);
}

int cbench_main(int argc, char **argv)
{
	const char *prog = argc > 0 && argv[0] ? argv[0] : "cbench";
	struct cbench_error err = { 0, "" };
	struct cbench_cli cli;
	struct cbench_instance *all = NULL, *v = NULL;
	struct cbench_expr *kexpr = NULL, *mexpr = NULL;
	struct cbench_result *results = NULL;
	struct cbench_runner_config rcfg;
	struct cbench_report_config repcfg;
	struct cbench_gate_config gcfg;
	struct cbench_gate gate;
	struct cbench_run run;
	struct warnings warnings = { NULL, 0 };
	struct progress progress;
	struct rerun_ctx rctx;
	struct cbench_history *history = NULL;
	size_t nall = 0, n = 0, nresults = 0;
	const char *display, *outputs[4];
	char platform_warning[256] = "";
	double t0;
	int status = CBENCH_EXIT_USAGE;

	memset(&gate, 0, sizeof(gate));
	memset(&run, 0, sizeof(run));
	if (cbench_cli__parse(&cli, argc, argv, &err) != 0) {
		fprintf(stderr, "%s: error: %s\n", prog, err.text);
		cbench_cli__usage(stderr, prog);
		return CBENCH_EXIT_USAGE;
	}
	if (cli.help) {
		cbench_cli__help(stdout, prog);
		return CBENCH_EXIT_OK;
	}
	if (cli.version) {
		printf("cbench %s\n", CBENCH_VERSION);
		return CBENCH_EXIT_OK;
	}
	outputs[0] = cli.json;
	outputs[1] = cli.markdown;
	outputs[2] = cli.junit;
	outputs[3] = cli.gbench;
	if (cbench_registry__instances(&all, &nall, &err) != 0 ||
	    (cli.keyword && cbench_expr__parse(&kexpr, cli.keyword, CBENCH_EXPR_KEYWORD,
	                                       "-k", &err) != 0) ||
	    (cli.markers && cbench_expr__parse(&mexpr, cli.markers, CBENCH_EXPR_MARKER,
	                                       "-m", &err) != 0)) {
		fprintf(stderr, "%s: error: %s\n", prog, err.text);
		if (err.code == CBENCH_EPARSE)
			cbench_cli__usage(stderr, prog);
		goto out;
	}
	for (size_t i = 0; i < 4; i++) {
		if (outputs[i] && cbench_file__check_writable(outputs[i], &err) != 0) {
			fprintf(stderr, "%s: error: %s\n", prog, err.text);
			goto out;
		}
	}
	v = malloc((nall ? nall : 1) * sizeof(*v));
	if (!v) {
		fprintf(stderr, "%s: error: out of memory\n", prog);
		goto out;
	}
	for (size_t i = 0; i < nall; i++)
		if (selected(&all[i], kexpr, mexpr))
			v[n++] = all[i];
	if (cli.list) {
		for (size_t i = 0; i < n; i++)
			puts(v[i].id);
		status = fflush(stdout) == 0 ? CBENCH_EXIT_OK : CBENCH_EXIT_FAILED;
		goto out;
	}

	/* Which machine, which baselines: settled before anything runs, so a
	 * bad baselines file costs a second, not a run. */
	cbench_platform__detect(&run.platform, NULL, cli.platform, platform_warning,
	                        sizeof(platform_warning));
	fill_build(&run.platform, v, n);
	memset(&gcfg, 0, sizeof(gcfg));
	gcfg.baselines = cli.baselines;
	gcfg.baselines_given = cli.baselines_given;
	gcfg.compare.threshold = cli.threshold;
	gcfg.compare.threshold_source = cli.threshold_source;
	gcfg.compare.stat = cli.compare_stat;
	gcfg.confirm = cli.confirm;
	gcfg.strict = cli.strict;
	if (cbench_gate__prepare(&gate, &gcfg, run.platform.id, &err) != 0) {
		fprintf(stderr, "%s: error: %s\n", prog, err.text);
		goto out;
	}
	/* A database that cannot be used is found before a run, not after. */
	if (cli.record && cbench_history__open(&history, cli.db, &err) != 0) {
		fprintf(stderr, "%s: error: %s\n", prog, err.text);
		goto out;
	}
	if (cbench_gitinfo__read(&run.git, NULL, &err) != 0)
		warn(&warnings, cbench__strdup(err.text));
	if (platform_warning[0])
		warn(&warnings, cbench__strdup(platform_warning));

	/* The display moves to stderr when stdout carries a report. */
	display = "stdout";
	for (size_t i = 0; i < 4; i++)
		if (outputs[i] && strcmp(outputs[i], "-") == 0)
			display = "stderr";
	progress.out = strcmp(display, "stderr") == 0 ? stderr : stdout;
	progress.tty = isatty(fileno(progress.out)) && getenv("TERM") &&
	               strcmp(getenv("TERM"), "dumb") != 0;
	progress.verbosity = cli.verbosity;
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.clock = cbench_clock__get(cli.clock);
	rcfg.factor = cli.factor;
	rcfg.timeout = cli.timeout;
	rcfg.fork = !cli.no_fork;
	rcfg.exitfirst = cli.exitfirst;
	rcfg.on_start = on_start;
	rcfg.on_result = on_result;
	rcfg.ctx = &progress;

	cbench_run__new_id(run.run_id);
	run.run_type = cli.run_type;
	run.cbench_version = CBENCH_VERSION;
	run.mode = cli.mode;
	run.clock = rcfg.clock->name;
	run.forked = rcfg.fork;
	run.selected = n;
	cbench__iso8601(run.started_at, cbench_clock__wall());

	cbench_runner__stop = 0;
	cbench_runner__handle_signals();
	t0 = (double)cbench_clock__monotonic_ns() * 1e-9;
	if (cbench_runner__run(&results, &nresults, &rcfg, v, n, &err) != 0) {
		cbench_runner__restore_signals();
		fprintf(stderr, "%s: error: %s\n", prog, err.text);
		status = CBENCH_EXIT_FAILED;
		goto out;
	}
	rctx.rcfg = &rcfg;
	rctx.v = v;
	if (cbench_gate__apply(&gate, results, nresults, v, rerun, &rctx, &run) != 0) {
		cbench_runner__restore_signals();
		fprintf(stderr, "%s: error: out of memory comparing with baselines\n", prog);
		status = CBENCH_EXIT_FAILED;
		goto out;
	}
	run.duration = (double)cbench_clock__monotonic_ns() * 1e-9 - t0;
	run.interrupted = (int)cbench_runner__stop;
	{
		struct rusage self;

		if (getrusage(RUSAGE_SELF, &self) == 0)
			run.runner_peak_rss = (uint64_t)self.ru_maxrss * 1024u;
	}
	run.results = results;
	run.nresults = nresults;
	collect_warnings(&warnings, &run);
	run.warnings = (const char *const *)warnings.v;
	run.nwarnings = warnings.n;

	memset(&repcfg, 0, sizeof(repcfg));
	repcfg.samples = cli.json_samples;
	repcfg.verbosity = cli.verbosity;
	repcfg.color = cli.color > 0 || (cli.color == 0 && progress.tty);
	status = cbench_gate__status(&run, (enum cbench_fail_on)cli.fail_on);
	if (report_all(&cli, display, &repcfg, &run, prog) != 0)
		status = CBENCH_EXIT_USAGE;
	if (history && run.interrupted) {
		/* Half a run would pass for a whole one in every trend. */
		fprintf(progress.out, "not recorded: the run was interrupted\n");
	} else if (history) {
		bool added;

		if (cbench_history__record(history, &run, cli.run_type, &added, &err) != 0) {
			fprintf(stderr, "%s: error: %s\n", prog, err.text);
			status = CBENCH_EXIT_USAGE;
		} else if (cli.verbosity >= 0) {
			fprintf(progress.out, "recorded run %s (%s) in %s\n", run.run_id,
			        cli.run_type, cbench_history__location(history));
		}
	}
	cbench_runner__restore_signals();
	if (run.interrupted)
		status = run.interrupted == SIGTERM ? CBENCH_EXIT_SIGTERM : CBENCH_EXIT_SIGINT;
out:
	for (size_t i = 0; i < warnings.n; i++)
		free(warnings.v[i]);
	free(warnings.v);
	cbench_history__close(history);
	cbench_gate__free(&gate);
	cbench_runner__results_free(results, nresults);
	cbench_expr__free(kexpr);
	cbench_expr__free(mexpr);
	free(v);
	cbench_registry__instances_free(all, nall);
	return status;
}
