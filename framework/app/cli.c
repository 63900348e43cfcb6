/*
 * The runner's command line: its options, environment variables, usage and
 * help. Everything is parsed before anything runs (a bad option writes
 * nothing); the run itself is app/run.c.
 */
#include "app/cli.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cbench.h"
#include "measure/clock.h"
#include "base/error.h"
#include "gate/gate.h"
#include "history/history.h"
#include "base/util.h"
#include "model/run.h"
#include "env/platform.h"
#include "measure/repeat.h"

enum {
	OPT_LIST = 256, OPT_MODE, OPT_NO_FORK, OPT_TIMEOUT, OPT_CLOCK, OPT_COLOR,
	OPT_JSON, OPT_JSON_SAMPLES, OPT_MARKDOWN, OPT_JUNIT, OPT_GBENCH, OPT_BASELINES,
	OPT_PLATFORM, OPT_THRESHOLD, OPT_COMPARE_STAT, OPT_CONFIRM, OPT_ALPHA, OPT_MIN_SAMPLES, OPT_FAIL_ON, OPT_STRICT,
	OPT_RECORD, OPT_DB, OPT_RUN_TYPE, OPT_REPETITIONS, OPT_SEED, OPT_CPU, OPT_ID,
	OPT_MEASURE, OPT_THRESHOLD_COUNTS
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
	{ "repetitions", required_argument, NULL, OPT_REPETITIONS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "cpu", required_argument, NULL, OPT_CPU },
	{ "id", required_argument, NULL, OPT_ID },
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
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "min-samples", required_argument, NULL, OPT_MIN_SAMPLES },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "record", no_argument, NULL, OPT_RECORD },
	{ "db", required_argument, NULL, OPT_DB },
	{ "run-type", required_argument, NULL, OPT_RUN_TYPE },
	{ "measure", required_argument, NULL, OPT_MEASURE },
	{ "threshold-instructions", required_argument, NULL, OPT_THRESHOLD_COUNTS },
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
	        "usage: %s [--list] [-k EXPR] [-m EXPR] [--id ID] [-x] [-v|-q]\n"
	        "       [--mode MODE] [--no-fork] [--timeout SEC] [--cpu N]\n"
	        "       [--repetitions N [--seed S]] [--json FILE [--json-samples]]\n"
	        "       [--markdown FILE] [--junit FILE] [--gbench-json FILE]\n"
	        "       [--baselines FILE] [--platform ID] [--threshold T] [--confirm N]\n"
	        "       [--compare-stat STAT] [--fail-on WHAT] [--strict]\n"
	        "       [--record] [--db PATH] [--run-type TYPE]\n"
	        "       [--measure time,instructions] [--threshold-instructions T]\n"
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
	        "  --id ID             exactly the benchmark ID (as --list prints it)\n"
	        "Running:\n"
	        "  --mode MODE         quick (x0.2), standard (x1), comprehensive (x5):\n"
	        "                      scales rounds and times; default $BENCHMARK_MODE\n"
	        "                      or standard\n"
	        "  -x, --exitfirst     stop after the first failure or error\n"
	        "  --no-fork           run in this process: no crash isolation, no\n"
	        "                      timeouts (for debuggers)\n"
	        "  --timeout SEC       default per-benchmark timeout (60)\n"
	        "  --clock NAME        auto, tsc or monotonic (auto)\n"
	        "  --repetitions N     run the selection N times, each pass in a shuffled\n"
	        "                      order; statistics over all passes (1)\n"
	        "  --seed S            the shuffle's seed (default: a fresh one, printed)\n"
	        "  --cpu N             pin each benchmark's process to CPU N\n"
	        "  --measure WHAT      time, instructions or time,instructions (time):\n"
	        "                      counts per call by perf_event_open, else under\n"
	        "                      valgrind's callgrind (CBENCH_COUNTERS=perf|callgrind)\n"
	        "Gate:\n"
	        "  --baselines FILE    baselines to compare with (baselines/baselines.json)\n"
	        "  --platform ID       this machine's platform id (default\n"
	        "                      $PERFORMANCE_PLATFORM, else detected)\n"
	        "  --threshold T       regression threshold, 0.2 or 20%% (default\n"
	        "                      $REGRESSION_THRESHOLD, else 20%%)\n"
	        "  --compare-stat STAT median, mean, min or p95 (median)\n"
	        "  --threshold-instructions T  threshold of the counts (instructions,\n"
	        "                      cycles, misses); default the run's threshold\n"
	        "  --confirm N         passes re-measuring every crossing after the run (2)\n"
	        "  --alpha A           significance level of the test (0.05; 1 turns it off)\n"
	        "  --min-samples N     rounds each side needs for the test (5)\n"
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

int cbench_cli__parse_count(unsigned long long *out, const char *opt, const char *text,
                            unsigned long long min, unsigned long long max,
                            struct cbench_error *err)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || text[0] == '+' || v < min || v > max)
		return cbench_error__set(err, CBENCH_EUSAGE, "%s: '%s' is not a count from %llu to %llu",
		                         opt, text, min, max);
	*out = v;
	return 0;
}

int cbench_cli__parse_fail_on(int *out, const char *text, struct cbench_error *err)
{
	if (strcmp(text, "regression") == 0)
		*out = CBENCH_FAIL_ON_REGRESSION;
	else if (strcmp(text, "none") == 0)
		*out = CBENCH_FAIL_ON_NONE;
	else if (strcmp(text, "any") == 0)
		*out = CBENCH_FAIL_ON_ANY;
	else
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "--fail-on: '%s' is not none, regression or any", text);
	return 0;
}

/* "time", "instructions", or both separated by a comma. */
static int parse_measure(struct cbench_cli *out, const char *text, struct cbench_error *err)
{
	const char *p = text;

	out->measure_time = out->measure_counts = false;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len == 4 && strncmp(p, "time", len) == 0)
			out->measure_time = true;
		else if (len == 12 && strncmp(p, "instructions", len) == 0)
			out->measure_counts = true;
		else
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "--measure: '%s' is not time, instructions or "
			                         "time,instructions", text);
		p += len;
		if (*p == ',')
			p++;
	}
	if (!out->measure_time && !out->measure_counts)
		return cbench_error__set(err, CBENCH_EUSAGE, "--measure: empty");
	return 0;
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

/*
 * --db postgresql://user:PASSWORD@host/db: the runner goes on with a copy,
 * and the password in the command line itself is overwritten with '*', so
 * neither ps, /proc/PID/cmdline nor a benchmark child (a fork shares the
 * command line) shows it, as mysql does with -p. The copy lives until the
 * next --db that holds a password.
 */
static const char *hide_password(char *arg)
{
	static char *copy;

	if (!strstr(arg, "://") && !strcasestr(arg, "password="))
		return arg;
	free(copy);
	if (!(copy = cbench__strdup(arg)))
		return arg;
	cbench__redact_in_place(arg);
	return copy;
}

int cbench_cli__parse(struct cbench_cli *out, int argc, char **argv,
                      struct cbench_error *err)
{
	const char *env_mode = getenv("BENCHMARK_MODE");
	int c;

	bool confirm_given = false;
	unsigned long long count;

	memset(out, 0, sizeof(*out));
	out->mode = env_mode && *env_mode ? env_mode : "standard";
	out->baselines = CBENCH_DEFAULT_BASELINES;
	out->threshold = CBENCH_DEFAULT_THRESHOLD;
	out->threshold_source = "default";
	out->alpha = CBENCH_DEFAULT_ALPHA;
	out->min_samples = CBENCH_DEFAULT_MIN_SAMPLES;
	out->compare_stat = "median";
	out->repetitions = 1;
	out->cpu = -1;
	out->measure_time = true;
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
		case OPT_ID: out->id = optarg; break;
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
		case OPT_MEASURE:
			if (parse_measure(out, optarg, err))
				return CBENCH_EUSAGE;
			break;
		case OPT_THRESHOLD_COUNTS:
			if (cbench_compare__parse_threshold(&out->threshold_counts, optarg,
			                                    "--threshold-instructions", err))
				return CBENCH_EUSAGE;
			out->threshold_counts_given = true;
			break;
		case OPT_COMPARE_STAT:
			if (strcmp(optarg, "median") && strcmp(optarg, "mean") &&
			    strcmp(optarg, "min") && strcmp(optarg, "p95"))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--compare-stat: '%s' is not median, mean, min or p95",
				                         optarg);
			out->compare_stat = optarg;
			break;
		case OPT_CONFIRM:
			if (cbench_cli__parse_count(&count, "--confirm", optarg, 0, 100, err))
				return CBENCH_EUSAGE;
			out->confirm = (unsigned)count;
			confirm_given = true;
			break;
		case OPT_REPETITIONS:
			if (cbench_cli__parse_count(&count, "--repetitions", optarg, 1,
			                            CBENCH_MAX_REPETITIONS, err))
				return CBENCH_EUSAGE;
			out->repetitions = (unsigned)count;
			break;
		case OPT_SEED:
			/* below 2^53: exact in JSON and in every dashboard */
			if (cbench_cli__parse_count(&count, "--seed", optarg, 0,
			                            (1ull << 53) - 1, err))
				return CBENCH_EUSAGE;
			out->seed = count;
			out->seed_given = true;
			break;
		case OPT_CPU:
			if (cbench_cli__parse_count(&count, "--cpu", optarg, 0, 1023, err))
				return CBENCH_EUSAGE;
			if (!cbench_platform__cpu_allowed((int)count))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--cpu: CPU %s is not one this process may run on",
				                         optarg);
			out->cpu = (int)count;
			break;
		case OPT_ALPHA: {
			char *end;
			double v;

			errno = 0;
			v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v > 0 && v <= 1))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--alpha: '%s' is not a level in (0, 1]", optarg);
			out->alpha = v;
			break;
		}
		case OPT_MIN_SAMPLES:
			if (cbench_cli__parse_count(&count, "--min-samples", optarg, 2, 1000000, err))
				return CBENCH_EUSAGE;
			out->min_samples = (unsigned)count;
			break;
		case OPT_FAIL_ON:
			if (cbench_cli__parse_fail_on(&out->fail_on, optarg, err))
				return CBENCH_EUSAGE;
			break;
		case OPT_STRICT: out->strict = true; break;
		case OPT_RECORD: out->record = true; break;
		case OPT_DB:
			if (!*optarg)
				return cbench_error__set(err, CBENCH_EUSAGE, "--db: empty path");
			out->db = hide_password(optarg);
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
	if (strcmp(out->threshold_source, "--threshold") != 0 &&
	    cbench_compare__env_threshold(&out->threshold, &out->threshold_source, err))
		return CBENCH_EUSAGE;
	out->factor = cbench_cli__mode_factor(out->mode);
	if (out->factor == 0)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: '%s' is not quick, standard or comprehensive",
		                         env_mode ? "BENCHMARK_MODE" : "--mode", out->mode);
	if (out->seed_given && out->repetitions < 2)
		return cbench_error__set(err, CBENCH_EUSAGE, "--seed needs --repetitions N (N > 1)");
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
