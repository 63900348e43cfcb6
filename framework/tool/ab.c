/*
 * `cbench ab BASE HEAD [OPTIONS]`: two builds of the same benchmarks (a
 * pull request's merge base and its head) measured on one machine, each
 * benchmark alternately from A and B in shuffled passes (A B, then B A, ...),
 * and a verdict per metric from the same test as the gate's
 * (docs/design.md, "A/B mode"). This is the verdict that holds when the
 * baselines come from another machine.
 *
 * The steps: parse, list (the ids both programs have), measure (one child
 * per slot: `PROG --id ID --json FILE --json-samples`), pool (each side's
 * rounds over the passes), compare, report.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbench.h"
#include "cbench/reporter.h"
#include "app/cli.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/proc.h"
#include "base/time.h"
#include "base/util.h"
#include "env/platform.h"
#include "gate/compare.h"
#include "gate/gate.h"
#include "measure/clock.h"
#include "measure/repeat.h"
#include "measure/runner.h"
#include "model/results.h"
#include "model/run.h"
#include "reporters/registry.h"
#include "stats/mwu.h"
#include "tool/tool.h"

#define AB_DEFAULT_PASSES 5u
#define AB_DEFAULT_CONFIDENCE 0.95
/* One slot is one benchmark of one build: an hour is a hung program. */
#define AB_SLOT_TIMEOUT_MS (3600 * 1000)
#define AB_MAX_FORWARDED 32

enum side { SIDE_A, SIDE_B };

struct ab_options {
	const char *prog[2];      /* as given */
	char path[2][PATH_MAX];   /* resolved */
	unsigned passes;
	uint64_t seed;
	bool seed_given;
	double threshold;
	const char *threshold_source;
	double confidence;
	int fail_on;
	const char *json, *markdown;
	int verbosity;
	int cpu;
	const char *clock;        /* --clock, as both programs get it */
	char *forward[AB_MAX_FORWARDED + 1]; /* runner options for both programs */
	size_t nforward;
};

/* One side's readings of every benchmark: the runs (borrowed from the
 * loaded documents), which benchmark each is, and the pooled results. */
struct side_runs {
	struct cbench_result *runs;
	size_t *order;
	size_t n, cap;
	struct cbench_result *pooled;
	size_t npooled;
};

struct ab {
	struct ab_options o;
	char **ids;               /* benchmarks both programs have */
	size_t nids;
	char *tmpdir;
	struct cbench_results **docs; /* every slot's document, kept for its strings */
	size_t ndocs;
	struct side_runs side[2];
	struct cbench_missing *missing;
	size_t nmissing;
	struct cbench_run run;
	char **warnings;
	size_t nwarnings;
	struct cbench_error err;
};

static void usage(FILE *out)
{
	fputs("usage: cbench ab BASE HEAD [--repetitions N] [--seed S] [--threshold T]\n"
	      "       [--confidence C] [--fail-on WHAT] [--json FILE] [--markdown FILE]\n"
	      "       [-q|-v] [-k EXPR] [-m EXPR] [--id ID] [--mode MODE] [--clock NAME]\n"
	      "       [--cpu N] [--timeout SEC]\n"
	      "Runs two builds of the same benchmarks (e.g. a pull request's merge base\n"
	      "and its head) on this machine, each benchmark alternately from BASE and\n"
	      "HEAD in N shuffled passes (A B, B A, ...), and compares HEAD with BASE\n"
	      "per metric: a change beyond the threshold is a regression or improvement\n"
	      "only when it is over the clock's noise floor, each side's rounds are of\n"
	      "one level, the Mann-Whitney U test and the bootstrap interval of the\n"
	      "ratio of medians agree it is real, and 4 in 5 of the passes, each HEAD\n"
	      "against the BASE reading next to it, went the same way; otherwise it is\n"
	      "inconclusive, with the reason.\n"
	      "  --repetitions N   passes (5); each runs every benchmark once per build\n"
	      "  --seed S          the shuffle's seed (default: a fresh one, printed)\n"
	      "  --threshold T     0.05 or 5% (default $REGRESSION_THRESHOLD, else 20%)\n"
	      "  --confidence C    of the test and interval (0.95: significance 0.05)\n"
	      "  --fail-on WHAT    none, regression or any (regression)\n"
	      "  --json FILE       the comparison as the runner's JSON ('-': stdout)\n"
	      "  --markdown FILE   as the pull-request comment\n"
	      "-k, -m, --id, --mode, --clock, --cpu and --timeout go to both programs.\n"
	      "Exit status: 0 no regression, 1 a regression (or failure), 2 usage or\n"
	      "configuration error.\n", out);
}

/* ---- parse ----------------------------------------------------------------------- */

static int forward(struct ab_options *o, const char *opt, const char *value,
                   struct cbench_error *err)
{
	if (o->nforward + 2 > AB_MAX_FORWARDED)
		return cbench_error__set(err, CBENCH_EUSAGE, "too many runner options");
	o->forward[o->nforward++] = (char *)opt;
	if (value)
		o->forward[o->nforward++] = (char *)value;
	o->forward[o->nforward] = NULL;
	return 0;
}

/* An executable file, as an absolute path (argv[0] is never searched in PATH). */
static int resolve(char out[PATH_MAX], const char *what, const char *prog,
                   struct cbench_error *err)
{
	if (!realpath(prog, out))
		return cbench_error__set(err, CBENCH_EUSAGE, "%s %s: %s", what, prog, strerror(errno));
	if (access(out, X_OK) != 0)
		return cbench_error__set(err, CBENCH_EUSAGE, "%s %s: not an executable program",
		                         what, prog);
	return 0;
}

enum {
	OPT_REPETITIONS = 256, OPT_SEED, OPT_THRESHOLD, OPT_CONFIDENCE, OPT_FAIL_ON, OPT_JSON,
	OPT_MARKDOWN, OPT_MODE, OPT_CLOCK, OPT_CPU, OPT_TIMEOUT, OPT_ID
};

static int parse(struct ab_options *o, int argc, char **argv, bool *help,
                 struct cbench_error *err)
{
	static const struct option options[] = {
		{ "repetitions", required_argument, NULL, OPT_REPETITIONS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "confidence", required_argument, NULL, OPT_CONFIDENCE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "markdown", required_argument, NULL, OPT_MARKDOWN },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "clock", required_argument, NULL, OPT_CLOCK },
		{ "cpu", required_argument, NULL, OPT_CPU },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "id", required_argument, NULL, OPT_ID },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *positional[2];
	size_t npos = 0;
	unsigned long long count;
	char *end;
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->passes = AB_DEFAULT_PASSES;
	o->threshold = CBENCH_DEFAULT_THRESHOLD;
	o->threshold_source = "default";
	o->confidence = AB_DEFAULT_CONFIDENCE;
	o->cpu = -1;
	opterr = 0;
	optind = 0;
	/* "-": options and the two programs in any order */
	while (rc == 0 && (c = getopt_long(argc, argv, "-hqvk:m:", options, NULL)) != -1) {
		switch (c) {
		case 1:
			if (npos == 2)
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "unexpected argument '%s'", optarg);
			positional[npos++] = optarg;
			break;
		case 'h': *help = true; return 0;
		case 'q': o->verbosity = -1; break;
		case 'v': o->verbosity = 1; break;
		case 'k': rc = forward(o, "-k", optarg, err); break;
		case 'm': rc = forward(o, "-m", optarg, err); break;
		case OPT_ID: rc = forward(o, "--id", optarg, err); break;
		case OPT_MODE:
			if (cbench_cli__mode_factor(optarg) == 0)
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--mode: '%s' is not quick, standard or comprehensive",
				                         optarg);
			rc = forward(o, "--mode", optarg, err);
			break;
		case OPT_CLOCK:
			o->clock = optarg;
			rc = forward(o, "--clock", optarg, err);
			break;
		case OPT_TIMEOUT: rc = forward(o, "--timeout", optarg, err); break;
		case OPT_CPU:
			if (cbench_cli__parse_count(&count, "--cpu", optarg, 0, 1023, err))
				return CBENCH_EUSAGE;
			o->cpu = (int)count;
			rc = forward(o, "--cpu", optarg, err);
			break;
		case OPT_REPETITIONS:
			if (cbench_cli__parse_count(&count, "--repetitions", optarg, 2,
			                            CBENCH_MAX_REPETITIONS, err))
				return CBENCH_EUSAGE;
			o->passes = (unsigned)count;
			break;
		case OPT_SEED:
			if (cbench_cli__parse_count(&count, "--seed", optarg, 0, (1ull << 53) - 1, err))
				return CBENCH_EUSAGE;
			o->seed = count;
			o->seed_given = true;
			break;
		case OPT_THRESHOLD:
			if (cbench_compare__parse_threshold(&o->threshold, optarg, "--threshold", err))
				return CBENCH_EUSAGE;
			o->threshold_source = "--threshold";
			break;
		case OPT_CONFIDENCE:
			errno = 0;
			o->confidence = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->confidence >= 0.5) ||
			    !(o->confidence < 1))
				return cbench_error__set(err, CBENCH_EUSAGE,
				                         "--confidence: '%s' is not a level from 0.5 to "
				                         "below 1, e.g. 0.95", optarg);
			break;
		case OPT_FAIL_ON:
			if (cbench_cli__parse_fail_on(&o->fail_on, optarg, err))
				return CBENCH_EUSAGE;
			break;
		case OPT_JSON: o->json = optarg; break;
		case OPT_MARKDOWN: o->markdown = optarg; break;
		case ':':
			return cbench_error__set(err, CBENCH_EUSAGE, "%s needs a value",
			                         argv[optind - 1]);
		default:
			if (optopt && optopt < 256 && strchr("km", optopt))
				return cbench_error__set(err, CBENCH_EUSAGE, "-%c needs a value", optopt);
			if (optopt)
				return cbench_error__set(err, CBENCH_EUSAGE, "%s needs a value",
				                         argv[optind - 1]);
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "'%s' is not an option of cbench ab",
			                         argv[optind - 1]);
		}
	}
	if (rc)
		return rc;
	if (npos < 2)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         npos ? "no HEAD program given" : "no BASE program given");
	o->prog[SIDE_A] = positional[0];
	o->prog[SIDE_B] = positional[1];
	if (strcmp(o->threshold_source, "--threshold") != 0 &&
	    cbench_compare__env_threshold(&o->threshold, &o->threshold_source, err))
		return CBENCH_EUSAGE;
	if ((rc = resolve(o->path[SIDE_A], "BASE", o->prog[SIDE_A], err)) ||
	    (rc = resolve(o->path[SIDE_B], "HEAD", o->prog[SIDE_B], err)))
		return rc;
	for (size_t i = 0; i < 2; i++) {
		const char *path[] = { o->json, o->markdown };

		if (path[i] && cbench_file__check_writable(path[i], err) != 0)
			return CBENCH_EUSAGE;
	}
	if (!o->seed_given)
		o->seed = cbench_repeat__default_seed();
	return 0;
}

/* ---- list ------------------------------------------------------------------------ */

/* argv: PROG EXTRA... FORWARDED... NULL, borrowed; free the array only. */
static char **command(const struct ab *ab, enum side s, char *const extra[], size_t nextra)
{
	char **argv = calloc(1 + nextra + ab->o.nforward + 1, sizeof(char *));
	size_t k = 0;

	if (!argv)
		return NULL;
	argv[k++] = (char *)ab->o.path[s];
	for (size_t i = 0; i < nextra; i++)
		argv[k++] = extra[i];
	for (size_t i = 0; i < ab->o.nforward; i++)
		argv[k++] = ab->o.forward[i];
	argv[k] = NULL;
	return argv;
}

/* The ids `--list` prints, one per line; *text owns them. */
static int list_ids(char **text, char ***ids, size_t *n, const struct ab *ab, enum side s,
                    struct cbench_error *err)
{
	char *extra[] = { "--list" };
	char **argv = command(ab, s, extra, 1), *line, *save = NULL;
	size_t cap = 16;
	int rc;

	*ids = NULL;
	*n = 0;
	if (!argv)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = cbench_proc__capture(text, NULL, argv, AB_SLOT_TIMEOUT_MS, 64u << 20, NULL, err);
	free(argv);
	if (rc)
		return rc;
	*ids = malloc(cap * sizeof(char *));
	for (line = strtok_r(*text, "\n", &save); *ids && line; line = strtok_r(NULL, "\n", &save)) {
		if (*n == cap) {
			char **p = realloc(*ids, (cap *= 2) * sizeof(char *));

			if (!p)
				break;
			*ids = p;
		}
		(*ids)[(*n)++] = line;
	}
	if (!*ids || line)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	return 0;
}

static bool has_id(char *const *ids, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return false;
}

/* The index of benchmark `id` in ab->ids (the slots' `bench`). */
static size_t bench_index(const struct ab *ab, const char *id)
{
	for (size_t i = 0; i < ab->nids; i++)
		if (strcmp(ab->ids[i], id) == 0)
			return i;
	return ab->nids;
}

static void note(struct ab *ab, char *text)
{
	char **p;

	if (!text)
		return;
	p = realloc(ab->warnings, (ab->nwarnings + 1) * sizeof(*p));
	if (!p) {
		free(text);
		return;
	}
	ab->warnings = p;
	ab->warnings[ab->nwarnings++] = text;
}

/* The benchmarks both programs select, in BASE's order; the others noted. */
static int select_common(struct ab *ab)
{
	char *text[2] = { NULL, NULL }, **ids[2] = { NULL, NULL };
	size_t n[2] = { 0, 0 };
	int rc;

	if ((rc = list_ids(&text[0], &ids[0], &n[0], ab, SIDE_A, &ab->err)) ||
	    (rc = list_ids(&text[1], &ids[1], &n[1], ab, SIDE_B, &ab->err)))
		goto out;
	ab->ids = calloc(n[0] ? n[0] : 1, sizeof(char *));
	if (!ab->ids) {
		rc = cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n[0]; i++) {
		if (has_id(ids[1], n[1], ids[0][i])) {
			if (!(ab->ids[ab->nids++] = cbench__strdup(ids[0][i]))) {
				rc = cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
				goto out;
			}
		} else {
			note(ab, cbench__asprintf("%s is only in BASE: not compared", ids[0][i]));
		}
	}
	for (size_t i = 0; i < n[1]; i++)
		if (!has_id(ids[0], n[0], ids[1][i]))
			note(ab, cbench__asprintf("%s is only in HEAD: not compared", ids[1][i]));
out:
	for (size_t s = 0; s < 2; s++) {
		free(text[s]);
		free(ids[s]);
	}
	return rc;
}

/* ---- measure --------------------------------------------------------------------- */

static int add_run(struct side_runs *sr, const struct cbench_result *r, size_t bench)
{
	if (sr->n == sr->cap) {
		size_t cap = sr->cap ? sr->cap * 2 : 16;
		struct cbench_result *runs = realloc(sr->runs, cap * sizeof(*runs));
		size_t *order;

		if (!runs)
			return CBENCH_ENOMEM;
		sr->runs = runs;
		if (!(order = realloc(sr->order, cap * sizeof(*order))))
			return CBENCH_ENOMEM;
		sr->order = order;
		sr->cap = cap;
	}
	sr->runs[sr->n] = *r;
	sr->order[sr->n++] = bench;
	return 0;
}

/*
 * One slot: benchmark `bench` from side `s`, in a program of its own
 * writing its JSON with every round. A program that exits 1 (its benchmark
 * failed) still wrote the file: the failure is in it.
 */
static int run_slot(struct ab *ab, enum side s, size_t bench, size_t slot)
{
	char file[32], *path, *out = NULL;
	char *extra[] = { "--id", ab->ids[bench], "--json", NULL, "--json-samples", "-q",
	                  "--fail-on", "none", "--confirm", "0", "--color", "never" };
	char **argv;
	struct cbench_results *doc = NULL, **docs;
	struct cbench_error perr;
	const struct cbench_run *run;
	int rc;

	snprintf(file, sizeof(file), "slot-%zu.json", slot);
	if (!(path = cbench__asprintf("%s/%s", ab->tmpdir, file)))
		return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	extra[3] = path;
	argv = command(ab, s, extra, sizeof(extra) / sizeof(extra[0]));
	if (!argv) {
		free(path);
		return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	}
	rc = cbench_proc__capture(&out, NULL, argv, AB_SLOT_TIMEOUT_MS, 1u << 20, NULL, &perr);
	free(argv);
	free(out);
	if (access(path, F_OK) != 0) {
		free(path);
		return cbench_error__set(&ab->err, CBENCH_ERROR, "%s --id %s: %s",
		                         ab->o.prog[s], ab->ids[bench],
		                         rc ? perr.text : "wrote no results");
	}
	rc = cbench_results__load(&doc, path, &ab->err);
	unlink(path);
	free(path);
	if (rc)
		return rc;
	docs = realloc(ab->docs, (ab->ndocs + 1) * sizeof(*docs));
	if (!docs) {
		cbench_results__free(doc);
		return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	}
	ab->docs = docs;
	ab->docs[ab->ndocs++] = doc;
	run = cbench_results__run(doc);
	for (size_t i = 0; i < run->nresults; i++)
		if (strcmp(run->results[i].id, ab->ids[bench]) == 0 &&
		    add_run(&ab->side[s], &run->results[i], bench) != 0)
			return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	return 0;
}

static void progress(const struct ab *ab, size_t slot, size_t total, enum side s, size_t bench)
{
	if (ab->o.verbosity > 0)
		fprintf(stderr, "[%zu/%zu] %s %s\n", slot + 1, total, s == SIDE_A ? "A" : "B",
		        ab->ids[bench]);
}

/* Every pass: the benchmarks in a shuffled order, each from A then B or B
 * then A, alternating by pass (A B, B A, ...) so neither side always
 * goes first. */
static int measure(struct ab *ab)
{
	size_t *order = NULL, total = ab->nids * ab->o.passes * 2, slot = 0;
	int rc;

	if (ab->o.verbosity >= 0)
		fprintf(stderr, "cbench ab: %zu benchmark%s, %u passes in shuffled order, seed %llu "
		        "(--seed %llu repeats it)\n", ab->nids, ab->nids == 1 ? "" : "s",
		        ab->o.passes, (unsigned long long)ab->o.seed,
		        (unsigned long long)ab->o.seed);
	if ((rc = cbench_repeat__schedule(&order, ab->nids, ab->o.passes, ab->o.seed, &ab->err)))
		return rc;
	for (unsigned p = 0; p < ab->o.passes && rc == 0; p++) {
		for (size_t i = 0; i < ab->nids && rc == 0; i++) {
			size_t bench = order[(size_t)p * ab->nids + i];
			enum side first = p % 2 == 0 ? SIDE_A : SIDE_B;

			for (int k = 0; k < 2 && rc == 0; k++) {
				enum side s = k == 0 ? first : (enum side)!first;

				progress(ab, slot, total, s, bench);
				rc = run_slot(ab, s, bench, slot++);
			}
		}
	}
	free(order);
	for (int s = 0; s < 2 && rc == 0; s++)
		rc = cbench_repeat__pool(&ab->side[s].pooled, &ab->side[s].npooled, ab->side[s].runs,
		                         ab->side[s].n, ab->side[s].order, ab->nids, &ab->err);
	return rc;
}

/* ---- compare --------------------------------------------------------------------- */

static const struct cbench_result *find_result(const struct cbench_result *v, size_t n,
                                               const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i];
	return NULL;
}

static const struct cbench_metric *find_metric(const struct cbench_result *r, const char *name)
{
	for (size_t i = 0; r && i < r->nmetrics; i++)
		if (strcmp(r->metrics[i].name, name) == 0)
			return &r->metrics[i];
	return NULL;
}

/* The median of metric `name` in each pass of benchmark `bench` on one
 * side, in pass order; how many were found. */
static size_t pass_medians(double *out, size_t max, const struct side_runs *sr, size_t bench,
                           const char *name)
{
	size_t k = 0;

	for (size_t i = 0; i < sr->n && k < max; i++) {
		const struct cbench_metric *m;

		if (sr->order[i] != bench || !(m = find_metric(&sr->runs[i], name)))
			continue;
		out[k++] = m->stats.median;
	}
	return k;
}

/* The passes must agree with the pooled verdict
 * (cbench_compare__passes_agree), or it is inconclusive. */
static void paired(struct ab *ab, struct cbench_metric *m, size_t bench)
{
	struct cbench_comparison *c = &m->cmp;
	double *a, *b;
	size_t na, nb, n, agree = 0, need;
	bool up = c->current > c->baseline;

	if (c->verdict != CBENCH_VERDICT_REGRESSION && c->verdict != CBENCH_VERDICT_IMPROVEMENT)
		return;
	a = malloc(ab->o.passes * sizeof(*a));
	b = malloc(ab->o.passes * sizeof(*b));
	if (!a || !b) {
		free(a);
		free(b);
		c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
		snprintf(c->reason, sizeof(c->reason), "out of memory pairing the passes");
		return;
	}
	na = pass_medians(a, ab->o.passes, &ab->side[SIDE_A], bench, m->name);
	nb = pass_medians(b, ab->o.passes, &ab->side[SIDE_B], bench, m->name);
	n = na < nb ? na : nb;
	need = cbench_compare__passes_agree(&agree, a, b, n, up);
	free(a);
	free(b);
	if (agree >= need)
		return;
	c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
	snprintf(c->reason, sizeof(c->reason), "the passes disagree: HEAD read %s than BASE "
	         "in %zu of %zu passes (at least %zu needed)", up ? "higher" : "lower", agree, n,
	         need);
}

/*
 * HEAD's metric against BASE's, by the gate's rules
 * (cbench_compare__judge_with): the percentage first, then the noise floor
 * of the clock, a single level on each side, and the U test over both
 * sides' rounds with the bootstrap interval of the ratio of medians; then
 * the passes, paired in time, must agree (paired()). Otherwise the verdict
 * is inconclusive, with the reason.
 */
static void compare_metric(struct ab *ab, struct cbench_metric *m, const struct cbench_metric *a,
                           uint64_t batch, size_t bench)
{
	struct cbench_comparison *c = &m->cmp;
	struct cbench_compare_config cfg;
	const struct cbench_clock *clock = cbench_clock__get(ab->o.clock);

	memset(&cfg, 0, sizeof(cfg));
	cfg.threshold = c->threshold;
	cfg.alpha = 1 - ab->o.confidence;
	cfg.min_samples = CBENCH_STATS_MIN_SAMPLE;
	cfg.seed = ab->o.seed;
	if (clock)
		cfg.noise_floor = CBENCH_NOISE_FLOOR_TICKS * cbench_clock__tick_seconds(clock);
	c->current = m->stats.median;
	c->baseline = a->stats.median;
	c->p = c->ratio = c->ratio_lo = c->ratio_hi = NAN;
	if (!(a->stats.median > 0)) {
		c->verdict = CBENCH_VERDICT_NEW;
		return;
	}
	if (cbench_compare__judge_with(c, m->samples, m->nsamples, m->stats.median,
	                               a->stats.median, a->samples, a->nsamples, true,
	                               m->direction, cbench_compare__floor(m, batch, &cfg),
	                               &cfg) != 0) {
		c->verdict = CBENCH_VERDICT_INCONCLUSIVE;
		snprintf(c->reason, sizeof(c->reason), "out of memory testing the change");
		return;
	}
	paired(ab, m, bench);
}

/* HEAD's pooled results, each metric compared with BASE's; BASE's metrics
 * HEAD lacks are missing. */
static int compare(struct ab *ab)
{
	struct side_runs *a = &ab->side[SIDE_A], *b = &ab->side[SIDE_B];
	size_t nmissing = 0;

	for (size_t i = 0; i < a->npooled; i++)
		nmissing += a->pooled[i].nmetrics;
	ab->missing = calloc(nmissing ? nmissing : 1, sizeof(*ab->missing));
	if (!ab->missing)
		return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	for (size_t i = 0; i < b->npooled; i++) {
		struct cbench_result *r = &b->pooled[i];
		const struct cbench_result *base = find_result(a->pooled, a->npooled, r->id);

		for (size_t k = 0; k < r->nmetrics; k++) {
			struct cbench_metric *m = (struct cbench_metric *)&r->metrics[k];
			const struct cbench_metric *am = find_metric(base, m->name);

			m->cmp.threshold = ab->o.threshold;
			m->cmp.threshold_source = ab->o.threshold_source;
			m->cmp.current = m->value;
			m->cmp.baseline = m->cmp.change = NAN;
			if (am && am->nsamples && m->nsamples)
				compare_metric(ab, m, am, r->batch, bench_index(ab, r->id));
			if (m->cmp.verdict == CBENCH_VERDICT_REGRESSION)
				ab->run.regressions++;
			else if (m->cmp.verdict == CBENCH_VERDICT_IMPROVEMENT)
				ab->run.improvements++;
			else if (m->cmp.verdict == CBENCH_VERDICT_INCONCLUSIVE)
				ab->run.inconclusive++;
		}
	}
	for (size_t i = 0; i < a->npooled; i++) {
		const struct cbench_result *r = &a->pooled[i];
		const struct cbench_result *head = find_result(b->pooled, b->npooled, r->id);

		for (size_t k = 0; k < r->nmetrics; k++) {
			if (find_metric(head, r->metrics[k].name))
				continue;
			ab->missing[ab->nmissing++] = (struct cbench_missing){
				r->metrics[k].name, r->metrics[k].value, r->metrics[k].unit,
				r->metrics[k].direction };
		}
	}
	return 0;
}

/* ---- report ---------------------------------------------------------------------- */

/* The run the reporters see: HEAD's results against BASE's, on this machine. */
static void describe(struct ab *ab)
{
	struct cbench_run *run = &ab->run;
	char *env[CBENCH_ENV_WARNINGS];
	size_t nenv;

	cbench_run__new_id(run->run_id);
	run->run_type = "manual";
	run->cbench_version = CBENCH_VERSION;
	run->mode = "ab";
	run->clock = ab->o.clock ? ab->o.clock : "auto";
	run->forked = true;
	cbench_platform__detect(&run->platform, NULL, NULL, NULL, 0);
	cbench_platform__read_env(&run->env, NULL);
	run->env.cpu = ab->o.cpu;
	run->env.optimized = -1;
	run->env.repetitions = ab->o.passes;
	run->env.seed = ab->o.seed;
	nenv = cbench_platform__env_warnings(env, &run->platform, &run->env);
	for (size_t i = 0; i < nenv; i++)
		note(ab, env[i]);
	run->selected = ab->nids;
	run->compared = true;
	run->baselines = ab->o.prog[SIDE_A];
	run->threshold = ab->o.threshold;
	run->compare_stat = "median";
	run->alpha = 1 - ab->o.confidence;
	run->min_samples = CBENCH_STATS_MIN_SAMPLE;
	run->missing = ab->missing;
	run->nmissing = ab->nmissing;
}

static int report(struct ab *ab)
{
	struct output { const char *reporter, *path; } outs[] = {
		{ "console", "stdout" }, { "json", ab->o.json }, { "markdown", ab->o.markdown }
	};
	struct cbench_report_config cfg = { false, false, ab->o.verbosity };
	int status = CBENCH_EXIT_OK;

	if ((ab->o.json && strcmp(ab->o.json, "-") == 0) ||
	    (ab->o.markdown && strcmp(ab->o.markdown, "-") == 0))
		outs[0].path = "stderr";
	ab->run.results = ab->side[SIDE_B].pooled;
	ab->run.nresults = ab->side[SIDE_B].npooled;
	ab->run.warnings = (const char *const *)ab->warnings;
	ab->run.nwarnings = ab->nwarnings;
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		const struct cbench_reporter *rep;

		if (!outs[i].path)
			continue;
		if (cbench_reporters__find(&rep, outs[i].reporter, "output", &ab->err) != 0 ||
		    cbench_reporters__emit(rep, outs[i].path, &cfg, &ab->run, &ab->err) != 0) {
			fprintf(stderr, "cbench ab: error: %s\n", ab->err.text);
			status = CBENCH_EXIT_USAGE;
		}
	}
	return status;
}

static void ab_free(struct ab *ab)
{
	for (size_t i = 0; i < ab->nids; i++)
		free(ab->ids[i]);
	free(ab->ids);
	for (int s = 0; s < 2; s++) {
		free(ab->side[s].runs);
		free(ab->side[s].order);
		cbench_runner__results_free(ab->side[s].pooled, ab->side[s].npooled);
	}
	for (size_t i = 0; i < ab->ndocs; i++)
		cbench_results__free(ab->docs[i]);
	free(ab->docs);
	free(ab->missing);
	for (size_t i = 0; i < ab->nwarnings; i++)
		free(ab->warnings[i]);
	free(ab->warnings);
	if (ab->tmpdir) {
		rmdir(ab->tmpdir);
		free(ab->tmpdir);
	}
}

static int make_tmpdir(struct ab *ab)
{
	const char *base = getenv("TMPDIR");

	ab->tmpdir = cbench__asprintf("%s/cbench-ab-XXXXXX", base && *base ? base : "/tmp");
	if (!ab->tmpdir)
		return cbench_error__set(&ab->err, CBENCH_ENOMEM, "out of memory");
	if (!mkdtemp(ab->tmpdir)) {
		int rc = cbench_error__set(&ab->err, CBENCH_EIO, "%s: %s", ab->tmpdir,
		                           strerror(errno));

		free(ab->tmpdir);
		ab->tmpdir = NULL;
		return rc;
	}
	return 0;
}

int cbench_tool_ab(int argc, char **argv)
{
	struct ab ab;
	bool help = false;
	double t0 = (double)cbench_clock__monotonic_ns() * 1e-9;
	int status;

	memset(&ab, 0, sizeof(ab));
	if (parse(&ab.o, argc, argv, &help, &ab.err) != 0) {
		fprintf(stderr, "cbench ab: error: %s\n", ab.err.text);
		fputs("usage: cbench ab BASE HEAD [OPTIONS] (cbench ab --help)\n", stderr);
		return CBENCH_EXIT_USAGE;
	}
	if (help) {
		usage(stdout);
		return CBENCH_EXIT_OK;
	}
	cbench__iso8601(ab.run.started_at, cbench_clock__wall());
	if (select_common(&ab) != 0 || make_tmpdir(&ab) != 0 || measure(&ab) != 0 ||
	    compare(&ab) != 0) {
		fprintf(stderr, "cbench ab: error: %s\n", ab.err.text);
		ab_free(&ab);
		return CBENCH_EXIT_USAGE;
	}
	describe(&ab);
	if (ab.nids == 0)
		note(&ab, cbench__strdup("BASE and HEAD have no benchmark in common"));
	ab.run.duration = (double)cbench_clock__monotonic_ns() * 1e-9 - t0;
	status = report(&ab);
	if (status == CBENCH_EXIT_OK)
		status = cbench_gate__status(&ab.run, (enum cbench_fail_on)ab.o.fail_on);
	ab_free(&ab);
	return status;
}
