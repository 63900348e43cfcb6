/*
 * cbench_main(): a run as named steps over one struct, in the order they
 * happen (Google Benchmark's benchmark_runner.cc): parse the options,
 * select, prepare (platform, baselines, database, git), execute (the
 * benchmarks, confirmation re-runs, resource usage), report, record. A
 * step that stops the run leaves its exit status in the state.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cbench.h"
#include "cbench/reporter.h"
#include "app/cli.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/time.h"
#include "base/util.h"
#include "env/gitinfo.h"
#include "env/platform.h"
#include "gate/gate.h"
#include "history/history.h"
#include "measure/clock.h"
#include "measure/counters.h"
#include "measure/expr.h"
#include "measure/registry.h"
#include "measure/repeat.h"
#include "measure/runner.h"
#include "model/run.h"
#include "reporters/console.h"
#include "reporters/registry.h"
#include "stats/stats.h"

/* The file outputs a run can write, by reporter name. */
#define NFILE_OUTPUTS 4

struct output {
	const char *reporter;
	const char *path;        /* NULL: not requested */
};

struct progress {
	FILE *out;
	bool tty;
	int verbosity;
};

struct warnings {
	char **v;
	size_t n;
};

/* Everything one run holds, from the options to the recorded run. */
struct run_state {
	const char *prog;
	struct cbench_cli cli;
	struct cbench_error err;
	int status;              /* the exit status so far */
	struct output files[NFILE_OUTPUTS];
	/* select */
	struct cbench_instance *all, *selected;
	size_t nall, nselected;
	struct cbench_expr *kexpr, *mexpr;
	/* prepare */
	struct cbench_gate gate;
	struct cbench_history *history;
	struct warnings warnings;
	enum cbench_counters_backend counters; /* --measure instructions */
	/* execute */
	const char *display;     /* "stdout", or "stderr" when stdout carries a report */
	struct progress progress;
	struct cbench_runner_config rcfg;
	bool signals;            /* our handlers are installed */
	struct cbench_result *results;
	size_t nresults;
	struct cbench_run run;
};

/* One-line error of a step: "PROG: error: TEXT". */
static void say_error(const struct run_state *s, const char *text)
{
	fprintf(stderr, "%s: error: %s\n", s->prog, text);
}

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

/* ---- parse ---------------------------------------------------------------------- */

/* Returns 0 to go on; otherwise the run is over (--help, --version, a bad
 * option) and s->status says how. */
static int parse_options(struct run_state *s, int argc, char **argv)
{
	if (cbench_cli__parse(&s->cli, argc, argv, &s->err) != 0) {
		say_error(s, s->err.text);
		cbench_cli__usage(stderr, s->prog);
		return -1;
	}
	if (s->cli.help) {
		cbench_cli__help(stdout, s->prog);
		s->status = CBENCH_EXIT_OK;
		return -1;
	}
	if (s->cli.version) {
		printf("cbench %s\n", CBENCH_VERSION);
		s->status = CBENCH_EXIT_OK;
		return -1;
	}
	s->files[0] = (struct output){ "json", s->cli.json };
	s->files[1] = (struct output){ "markdown", s->cli.markdown };
	s->files[2] = (struct output){ "junit", s->cli.junit };
	s->files[3] = (struct output){ "gbench", s->cli.gbench };
	return 0;
}

/* ---- select --------------------------------------------------------------------- */

static bool selected(const struct cbench_instance *in, const char *id,
                     const struct cbench_expr *k, const struct cbench_expr *m)
{
	if (id && strcmp(in->id, id) != 0)
		return false;
	if (k && !cbench_expr__match(k, (const char *const *)&in->id, 1))
		return false;
	if (m && !cbench_expr__match(m, (const char *const *)in->markers, in->nmarkers))
		return false;
	return true;
}

/* The instances -k and -m select, every output checked writable first (a
 * bad path costs nothing). --list ends the run here. */
static int select_benchmarks(struct run_state *s)
{
	const struct cbench_cli *cli = &s->cli;

	if (cbench_registry__instances(&s->all, &s->nall, &s->err) != 0 ||
	    (cli->keyword && cbench_expr__parse(&s->kexpr, cli->keyword, CBENCH_EXPR_KEYWORD,
	                                        "-k", &s->err) != 0) ||
	    (cli->markers && cbench_expr__parse(&s->mexpr, cli->markers, CBENCH_EXPR_MARKER,
	                                        "-m", &s->err) != 0)) {
		say_error(s, s->err.text);
		if (s->err.code == CBENCH_EPARSE)
			cbench_cli__usage(stderr, s->prog);
		return -1;
	}
	for (size_t i = 0; i < NFILE_OUTPUTS; i++) {
		if (s->files[i].path &&
		    cbench_file__check_writable(s->files[i].path, &s->err) != 0) {
			say_error(s, s->err.text);
			return -1;
		}
	}
	s->selected = malloc((s->nall ? s->nall : 1) * sizeof(*s->selected));
	if (!s->selected) {
		say_error(s, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->nall; i++)
		if (selected(&s->all[i], cli->id, s->kexpr, s->mexpr))
			s->selected[s->nselected++] = s->all[i];
	if (cli->list) {
		for (size_t i = 0; i < s->nselected; i++)
			puts(s->selected[i].id);
		s->status = fflush(stdout) == 0 ? CBENCH_EXIT_OK : CBENCH_EXIT_FAILED;
		return -1;
	}
	return 0;
}

/* ---- prepare -------------------------------------------------------------------- */

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

/* Whether every selected benchmark was built optimised: 1, 0, or -1 when
 * none is selected. */
static int all_optimized(const struct cbench_instance *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].bench->optimized)
			return 0;
	return n ? 1 : -1;
}

/* Which machine, which baselines, which database: settled before anything
 * runs, so a bad baselines file or database costs a second, not a run. */
static int prepare(struct run_state *s)
{
	const struct cbench_cli *cli = &s->cli;
	struct cbench_gate_config gcfg;
	char platform_warning[256] = "";

	cbench_platform__detect(&s->run.platform, NULL, cli->platform, platform_warning,
	                        sizeof(platform_warning));
	fill_build(&s->run.platform, s->selected, s->nselected);
	cbench_platform__read_env(&s->run.env, NULL);
	s->run.env.cpu = cli->cpu;
	s->run.env.optimized = all_optimized(s->selected, s->nselected);
	s->run.env.repetitions = cli->repetitions;
	s->run.env.seed = cli->repetitions > 1 ?
	                  (cli->seed_given ? cli->seed : cbench_repeat__default_seed()) : 0;
	memset(&gcfg, 0, sizeof(gcfg));
	gcfg.baselines = cli->baselines;
	gcfg.baselines_given = cli->baselines_given;
	gcfg.compare.threshold = cli->threshold;
	gcfg.compare.threshold_source = cli->threshold_source;
	gcfg.compare.stat = cli->compare_stat;
	gcfg.compare.count_threshold = cli->threshold_counts;
	gcfg.compare.count_threshold_given = cli->threshold_counts_given;
	gcfg.confirm = cli->confirm;
	gcfg.compare.alpha = cli->alpha;
	gcfg.compare.min_samples = cli->min_samples;
	/* a fixed seed: the same readings give the same interval */
	gcfg.compare.seed = 0x5eedu;
	if (cbench_clock__get(cli->clock))
		gcfg.compare.noise_floor = CBENCH_NOISE_FLOOR_TICKS *
			cbench_clock__tick_seconds(cbench_clock__get(cli->clock));
	gcfg.strict = cli->strict;
	if (cbench_gate__prepare(&s->gate, &gcfg, s->run.platform.id, &s->err) != 0 ||
	    (cli->record && cbench_history__open(&s->history, cli->db, &s->err) != 0)) {
		say_error(s, s->err.text);
		return -1;
	}
	if (cli->measure_counts) {
		char note[CBENCH_ERROR_TEXT_MAX + 64];

		if (cbench_counters__probe(&s->counters, note, sizeof(note), &s->err) != 0) {
			say_error(s, s->err.text);
			return -1;
		}
		if (note[0])
			fprintf(stderr, "%s: %s\n", s->prog, note);
	}
	if (cbench_gitinfo__read(&s->run.git, NULL, &s->err) != 0)
		warn(&s->warnings, cbench__strdup(s->err.text));
	if (platform_warning[0])
		warn(&s->warnings, cbench__strdup(platform_warning));
	return 0;
}

/* ---- execute -------------------------------------------------------------------- */

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

/* A confirmation re-run of one instance, for the gate. */
static int rerun(void *ctx, size_t index, struct cbench_result **out)
{
	const struct run_state *s = ctx;
	struct cbench_runner_config cfg = s->rcfg;
	size_t n;

	/* A verdict rests on full-length readings: in --mode quick the
	 * confirmation passes measure at the standard length, so a spell of a
	 * second, which can fill a quick run's 0.2 s, cannot confirm itself. */
	if (cfg.factor < 1.0)
		cfg.factor = 1.0;
	/* re-runs are quiet: the progress line is the first run's */
	cfg.on_start = NULL;
	cfg.on_result = NULL;
	return cbench_runner__run(out, &n, &cfg, &s->selected[index], 1, NULL);
}

/* Where the display and the progress lines go; the runner's settings. */
static void configure(struct run_state *s)
{
	const struct cbench_cli *cli = &s->cli;
	const char *term = getenv("TERM");

	/* The display moves to stderr when stdout carries a report. */
	s->display = "stdout";
	for (size_t i = 0; i < NFILE_OUTPUTS; i++)
		if (s->files[i].path && strcmp(s->files[i].path, "-") == 0)
			s->display = "stderr";
	s->progress.out = strcmp(s->display, "stderr") == 0 ? stderr : stdout;
	s->progress.tty = isatty(fileno(s->progress.out)) && term && strcmp(term, "dumb") != 0;
	s->progress.verbosity = cli->verbosity;
	memset(&s->rcfg, 0, sizeof(s->rcfg));
	s->rcfg.clock = cbench_clock__get(cli->clock);
	s->rcfg.factor = cli->factor;
	s->rcfg.timeout = cli->timeout;
	s->rcfg.fork = !cli->no_fork;
	s->rcfg.exitfirst = cli->exitfirst;
	s->rcfg.pin = cli->cpu >= 0;
	s->rcfg.cpu = cli->cpu;
	s->rcfg.no_time = !cli->measure_time;
	s->rcfg.counters = s->counters;
	s->rcfg.on_start = on_start;
	s->rcfg.on_result = on_result;
	s->rcfg.ctx = &s->progress;

	cbench_run__new_id(s->run.run_id);
	s->run.run_type = cli->run_type;
	s->run.cbench_version = CBENCH_VERSION;
	s->run.mode = cli->mode;
	s->run.clock = s->rcfg.clock->name;
	s->run.forked = s->rcfg.fork;
	s->run.selected = s->nselected;
	cbench__iso8601(s->run.started_at, cbench_clock__wall());
}

/* Readings that cannot be trusted, said once each. */
static void collect_warnings(struct warnings *w, const struct cbench_run *run)
{
	const char *unoptimized = NULL;

	char *env[CBENCH_ENV_WARNINGS];
	size_t nenv = cbench_platform__env_warnings(env, &run->platform, &run->env);

	for (size_t i = 0; i < nenv; i++)
		warn(w, env[i]);
	for (size_t i = 0; i < run->nresults; i++) {
		const struct cbench_result *r = &run->results[i];

		if (!r->optimized && !unoptimized)
			unoptimized = r->file;
		if (r->nmetrics && r->metrics[0].timing) {
			double cv = cbench_stats__robust_cv(&r->metrics[0].stats);

			if (cv > 0.05)
				warn(w, cbench__asprintf("%s: coefficient of variation %.1f%% "
				                         "(over 5%%): a noisy reading", r->id, cv * 100));
		}
	}
	if (unoptimized)
		warn(w, cbench__asprintf("%s (and maybe others) was compiled without "
		                         "optimization: timings describe a debug build",
		                         unoptimized));
}

/*
 * The benchmarks, once each in the order selected, or --repetitions passes
 * each in a shuffled order of its own, pooled into one result per
 * benchmark (measure/repeat.c).
 */
static int measure(struct run_state *s)
{
	unsigned reps = s->cli.repetitions;
	struct cbench_instance *schedule = NULL;
	struct cbench_result *runs = NULL;
	size_t *order = NULL, nruns = 0, total = s->nselected * reps;
	int rc;

	if (reps <= 1)
		return cbench_runner__run(&s->results, &s->nresults, &s->rcfg, s->selected,
		                          s->nselected, &s->err);
	if (s->cli.verbosity >= 0)
		fprintf(s->progress.out, "%u repetitions in shuffled order, seed %llu "
		        "(--seed %llu repeats it)\n", reps, (unsigned long long)s->run.env.seed,
		        (unsigned long long)s->run.env.seed);
	if ((rc = cbench_repeat__schedule(&order, s->nselected, reps, s->run.env.seed,
	                                  &s->err)) != 0)
		return rc;
	schedule = malloc((total ? total : 1) * sizeof(*schedule));
	if (!schedule) {
		rc = cbench_error__set(&s->err, CBENCH_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < total; i++)
		schedule[i] = s->selected[order[i]];
	if ((rc = cbench_runner__run(&runs, &nruns, &s->rcfg, schedule, total,
	                             &s->err)) != 0)
		goto out;
	rc = cbench_repeat__pool(&s->results, &s->nresults, runs, nruns, order, s->nselected,
	                         &s->err);
out:
	cbench_runner__results_free(runs, nruns);
	free(schedule);
	free(order);
	return rc;
}

/* The benchmarks, the gate's confirmation re-runs, and what they cost. */
static int execute(struct run_state *s)
{
	struct rusage self;
	double t0;

	configure(s);
	cbench_runner__stop = 0;
	cbench_runner__handle_signals();
	s->signals = true;
	t0 = (double)cbench_clock__monotonic_ns() * 1e-9;
	if (measure(s) != 0) {
		say_error(s, s->err.text);
		s->status = CBENCH_EXIT_FAILED;
		return -1;
	}
	if (cbench_gate__apply(&s->gate, s->results, s->nresults, s->selected, rerun, s,
	                       &s->run) != 0) {
		say_error(s, "out of memory comparing with baselines");
		s->status = CBENCH_EXIT_FAILED;
		return -1;
	}
	s->run.duration = (double)cbench_clock__monotonic_ns() * 1e-9 - t0;
	s->run.interrupted = (int)cbench_runner__stop;
	if (getrusage(RUSAGE_SELF, &self) == 0)
		s->run.runner_peak_rss = (uint64_t)self.ru_maxrss * 1024u;
	s->run.results = s->results;
	s->run.nresults = s->nresults;
	collect_warnings(&s->warnings, &s->run);
	s->run.warnings = (const char *const *)s->warnings.v;
	s->run.nwarnings = s->warnings.n;
	return 0;
}

/* ---- report --------------------------------------------------------------------- */

/* The gate's verdict, then every requested output, the display first. An
 * output that cannot be written makes the status 2 (the others are still
 * written). */
static void report(struct run_state *s)
{
	const struct cbench_cli *cli = &s->cli;
	struct cbench_report_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.samples = cli->json_samples;
	cfg.verbosity = cli->verbosity;
	cfg.color = cli->color > 0 || (cli->color == 0 && s->progress.tty);
	s->status = cbench_gate__status(&s->run, (enum cbench_fail_on)cli->fail_on);
	for (size_t i = 0; i <= NFILE_OUTPUTS; i++) {
		const struct output out = i == 0 ? (struct output){ "console", s->display } :
		                          s->files[i - 1];
		const struct cbench_reporter *rep;

		if (!out.path)
			continue;
		if (cbench_reporters__find(&rep, out.reporter, "output", &s->err) != 0 ||
		    cbench_reporters__emit(rep, out.path, &cfg, &s->run, &s->err) != 0) {
			say_error(s, s->err.text);
			s->status = CBENCH_EXIT_USAGE;
		}
	}
}

/* ---- record --------------------------------------------------------------------- */

static void record(struct run_state *s)
{
	bool added;

	if (!s->history)
		return;
	if (s->run.interrupted) {
		/* Half a run would pass for a whole one in every trend. */
		fprintf(s->progress.out, "not recorded: the run was interrupted\n");
		return;
	}
	if (cbench_history__record(s->history, &s->run, s->cli.run_type, &added, &s->err) != 0) {
		say_error(s, s->err.text);
		s->status = CBENCH_EXIT_USAGE;
	} else if (s->cli.verbosity >= 0) {
		fprintf(s->progress.out, "recorded run %s (%s) in %s\n", s->run.run_id,
		        s->cli.run_type, cbench_history__location(s->history));
	}
}

/* An interrupted run exits as the signal asked, whatever it found. */
static void finish(struct run_state *s)
{
	if (s->run.interrupted)
		s->status = s->run.interrupted == SIGTERM ? CBENCH_EXIT_SIGTERM : CBENCH_EXIT_SIGINT;
}

static void run_free(struct run_state *s)
{
	if (s->signals)
		cbench_runner__restore_signals();
	for (size_t i = 0; i < s->warnings.n; i++)
		free(s->warnings.v[i]);
	free(s->warnings.v);
	cbench_history__close(s->history);
	cbench_gate__free(&s->gate);
	cbench_runner__results_free(s->results, s->nresults);
	cbench_expr__free(s->kexpr);
	cbench_expr__free(s->mexpr);
	free(s->selected);
	cbench_registry__instances_free(s->all, s->nall);
}

int cbench_main(int argc, char **argv)
{
	struct run_state s;
	int status;

	if (argc > 1 && strcmp(argv[1], CBENCH_CHILD_OPTION) == 0)
		return cbench_runner__child(argc, argv);
	memset(&s, 0, sizeof(s));
	s.prog = argc > 0 && argv[0] ? argv[0] : "cbench";
	s.status = CBENCH_EXIT_USAGE;
	if (parse_options(&s, argc, argv) == 0 &&
	    select_benchmarks(&s) == 0 &&
	    prepare(&s) == 0 &&
	    execute(&s) == 0) {
		report(&s);
		record(&s);
		finish(&s);
	}
	status = s.status;
	run_free(&s);
	return status;
}
