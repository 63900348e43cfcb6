/*
 * `cbench baseline update` moves a platform's baselines only on sustained
 * evidence: the median of the last N recorded runs, only where it is better
 * than the baseline by more than a margin, never worse, and only after a
 * `yes` (the rule itself is gate/update.c). `cbench baseline show` prints
 * a platform's section.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate/baseline.h"
#include "cbench.h"
#include "app/cli.h"
#include "measure/clock.h"
#include "gate/compare.h"
#include "base/error.h"
#include "gate/gate.h"
#include "gate/update.h"
#include "history/history.h"
#include "env/platform.h"
#include "tool/tool.h"
#include "base/fileio.h"
#include "base/time.h"
#include "base/util.h"

#define DEFAULT_MIN_RUNS 5
#define DEFAULT_MIN_IMPROVEMENT 0.05
#define RULE "======================================================================"
#define THIN "----------------------------------------------------------------------"

struct options {
	const char *platform;
	const char *db;
	const char *baselines;
	size_t min_runs;
	double min_improvement;
	bool dry_run, auto_approve, yes, init;
};

static void update_usage(FILE *out)
{
	fputs("usage: cbench baseline update [--platform ID] [--min-runs N]\n"
	      "                              [--min-improvement F] [--dry-run] [--init]\n"
	      "                              [--auto-approve-improvements] [--yes]\n"
	      "                              [--db PATH] [--baselines FILE]\n"
	      "Proposes, per metric, the median of the platform's last N recorded runs\n"
	      "(--min-runs, default 5) where it beats the baseline by more than\n"
	      "--min-improvement (default 5%), and asks before writing.\n"
	      "  --dry-run                    show the proposals, change nothing\n"
	      "  --init                       also propose metrics (or a platform) with\n"
	      "                               no baseline yet\n"
	      "  --auto-approve-improvements  apply the improvements without asking\n"
	      "                               (--init proposals still need --yes)\n"
	      "  --yes                        answer yes to everything\n"
	      "Exit status: 0 updated or nothing to do (also: too few runs, --dry-run,\n"
	      "answered no); 1 proposals not applied because standard input is not a\n"
	      "terminal and neither --yes nor --auto-approve-improvements was given;\n"
	      "2 usage or configuration error.\n", out);
}

static void show_usage(FILE *out)
{
	fputs("usage: cbench baseline show [--platform ID] [--baselines FILE]\n"
	      "Prints a platform's baselines with units, directions and thresholds.\n"
	      "Exit status: 0 shown, 1 no section for the platform, 2 usage or\n"
	      "configuration error.\n", out);
}

static int parse_count(size_t *out, const char *text)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < 1 || v > 100000)
		return -1;
	*out = (size_t)v;
	return 0;
}

static void platform_id(char *out, size_t size, const char *given)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, NULL, given, NULL, 0);
	snprintf(out, size, "%s", p.id);
}

/* Number formatting for the table, as the reference's tool shows it. */
static void number(char *out, size_t size, double v)
{
	if (isnan(v))
		snprintf(out, size, "-");
	else if (v != 0 && (fabs(v) < 0.001 || fabs(v) >= 1e6))
		snprintf(out, size, "%.4g", v);
	else
		snprintf(out, size, "%.3f", v);
}

static void print_proposals(const char *platform, const struct cbench_update_proposal *p,
                            size_t n, double threshold)
{
	printf("%s\nBaseline Update Proposals for %s\n%s\n", RULE, platform, RULE);
	printf("%-30s %-12s %-12s %10s  %s\n%s\n", "Metric", "Current", "Proposed", "Change",
	       "95% CI of proposed (runs), spread q1-q3, next run", THIN);
	for (size_t i = 0; i < n; i++) {
		char cur[32], prop[32], change[32], lo[32], hi[32], q1[32], q3[32], next[48];

		number(cur, sizeof(cur), p[i].current);
		number(prop, sizeof(prop), p[i].proposed);
		if (isnan(p[i].better))
			snprintf(change, sizeof(change), "new");
		else
			snprintf(change, sizeof(change), "%.1f%%", p[i].better * 100);
		number(lo, sizeof(lo), p[i].ci_lo);
		number(hi, sizeof(hi), p[i].ci_hi);
		number(q1, sizeof(q1), p[i].summary.q[1]);
		number(q3, sizeof(q3), p[i].summary.q[3]);
		if (isnan(p[i].next_lo))
			snprintf(next, sizeof(next), "-");
		else
			snprintf(next, sizeof(next), "%+.1f%% to %+.1f%%",
			         (p[i].next_lo / p[i].proposed - 1) * 100,
			         (p[i].next_hi / p[i].proposed - 1) * 100);
		printf("%-30s %-12s %-12s %10s  [%s, %s] (%zu), %s-%s, %s\n", p[i].name, cur, prop,
		       change, lo, hi, p[i].summary.runs, q1, q3, next);
		if (!isnan(p[i].next_lo) && (p[i].next_hi / p[i].proposed - 1 > threshold ||
		                             1 - p[i].next_lo / p[i].proposed > threshold))
			printf("  note: %s: one more run of this code may read beyond the %.0f%% "
			       "threshold; the gate will call such a reading inconclusive, not a "
			       "regression (record more runs, on a quieter machine, to narrow it)\n",
			       p[i].name, threshold * 100);
	}
	putchar('\n');
}

/* "yes" from a terminal. */
static bool ask(void)
{
	char line[64];

	fputs("Apply these updates? (yes/no): ", stdout);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return strcmp(line, "yes") == 0;
}

static int apply(struct cbench_baselines *file, const char *platform,
                 const struct cbench_update_proposal *p, size_t n, bool include_new,
                 const struct cbench_history_run *newest, size_t runs,
                 struct cbench_error *err)
{
	char now[32];
	size_t applied = 0;

	for (size_t i = 0; i < n; i++) {
		if (isnan(p[i].better) && !include_new)
			continue;
		if (cbench_baseline__set(file, platform, p[i].name, p[i].proposed,
		                         isnan(p[i].current) ? p[i].unit : NULL,
		                         isnan(p[i].current) ?
		                         (p[i].direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower") :
		                         NULL) != 0 ||
		    cbench_baseline__set_summary(file, platform, p[i].name, &p[i].summary) != 0)
			return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		applied++;
	}
	if (applied == 0)
		return 0;
	cbench__iso8601(now, cbench_clock__wall());
	cbench_baseline__set_metadata(file, platform, "last_updated", json_string(now));
	cbench_baseline__set_metadata(file, platform, "git_commit",
	                              newest->commit[0] ? json_string(newest->commit) : json_null());
	cbench_baseline__set_metadata(file, platform, "branch",
	                              newest->branch[0] ? json_string(newest->branch) : json_null());
	cbench_baseline__set_metadata(file, platform, "compiler",
	                              newest->compiler[0] ? json_string(newest->compiler) : json_null());
	cbench_baseline__set_metadata(file, platform, "cbench_version", json_string(CBENCH_VERSION));
	cbench_baseline__set_metadata(file, platform, "runs_used", json_integer((json_int_t)runs));
	return cbench_baseline__save(file, err);
}

static int update(int argc, char **argv)
{
	static const struct option options[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "min-runs", required_argument, NULL, 'n' },
		{ "min-improvement", required_argument, NULL, 'i' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "auto-approve-improvements", no_argument, NULL, 'a' },
		{ "yes", no_argument, NULL, 'y' },
		{ "init", no_argument, NULL, 'I' },
		{ "db", required_argument, NULL, 'D' },
		{ "baselines", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { NULL, NULL, NULL, DEFAULT_MIN_RUNS, DEFAULT_MIN_IMPROVEMENT,
	                     false, false, false, false };
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;
	struct cbench_history_series *series = NULL;
	struct cbench_history_run newest;
	struct cbench_baselines *file = NULL;
	struct cbench_baseline_metric *section = NULL;
	struct cbench_update_series *recent = NULL;
	struct cbench_update_rule rule;
	struct cbench_update_proposal *props = NULL;
	size_t nseries = 0, runs = 0, nsection = 0, n = 0, nbetter = 0;
	char platform[128];
	int c, lock = -1, status = CBENCH_EXIT_USAGE, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+hy", options, NULL)) != -1) {
		switch (c) {
		case 'p': o.platform = optarg; break;
		case 'n':
			if (parse_count(&o.min_runs, optarg) != 0) {
				fprintf(stderr, "cbench baseline update: error: --min-runs: '%s' is not "
				        "a count from 1\n", optarg);
				return CBENCH_EXIT_USAGE;
			}
			break;
		case 'i':
			if (cbench_compare__parse_threshold(&o.min_improvement, optarg,
			                                    "--min-improvement", &err) != 0) {
				fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
				return CBENCH_EXIT_USAGE;
			}
			break;
		case 'd': o.dry_run = true; break;
		case 'a': o.auto_approve = true; break;
		case 'y': o.yes = true; break;
		case 'I': o.init = true; break;
		case 'D': o.db = optarg; break;
		case 'b': o.baselines = optarg; break;
		case 'h': update_usage(stdout); return CBENCH_EXIT_OK;
		default:
			fprintf(stderr, "cbench baseline update: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option", argv[optind - 1]);
			update_usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cbench baseline update: error: unexpected argument '%s'\n",
		        argv[optind]);
		update_usage(stderr);
		return CBENCH_EXIT_USAGE;
	}
	if (!o.db)
		o.db = cbench_history__default_path();
	if (!o.baselines)
		o.baselines = CBENCH_DEFAULT_BASELINES;
	platform_id(platform, sizeof(platform), o.platform);

	rc = cbench_history__open_existing(&h, o.db, &err);
	if (rc == CBENCH_ENOTFOUND) {
		char *shown = cbench_history__mask(o.db);

		fprintf(stderr, "cbench baseline update: error: no history database %s: record "
		        "runs first (--record or ENABLE_PERFORMANCE_RECORDING=1)\n",
		        shown ? shown : "");
		free(shown);
		return CBENCH_EXIT_USAGE;
	}
	if (rc != 0 ||
	    cbench_history__last_runs(h, platform, o.min_runs, &runs, &series, &nseries,
	                              &newest, &err) != 0) {
		fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
		goto out;
	}
	if (runs < o.min_runs) {
		printf("%zu run%s of %s recorded in %s; %zu are needed (--min-runs). "
		       "Nothing changed.\n", runs, runs == 1 ? "" : "s", platform,
		       cbench_history__location(h), o.min_runs);
		status = CBENCH_EXIT_OK;
		goto out;
	}

	/* --init in a project of its own: the baselines' folder may not exist
	 * yet (the lock lives in it). A dry run creates nothing. */
	if (o.init && !o.dry_run) {
		char made[4096];

		if (cbench_file__make_parent(o.baselines, made, sizeof(made), &err) != 0) {
			fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
			goto out;
		}
		if (*made)
			printf("Created folder %s/ for %s\n", made, o.baselines);
	}
	/* From here to the write, another update waits: neither can lose
	 * the other's changes. A dry run where the lock cannot be made (no
	 * folder yet) writes nothing and needs none. */
	if (o.dry_run && cbench_file__check_writable(o.baselines, NULL) != 0)
		lock = -1;
	else if (!o.dry_run && cbench_file__check_replaceable(o.baselines, &err) != 0) {
		fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
		goto out;
	} else if ((lock = cbench_baseline__lock(o.baselines, &err)) < 0) {
		fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
		goto out;
	}
	rc = cbench_baseline__load(&file, o.baselines, &err);
	if (rc == CBENCH_ENOTFOUND && o.init)
		rc = cbench_baseline__new(&file, o.baselines, &err);
	if (rc == CBENCH_ENOTFOUND) {
		fprintf(stderr, "cbench baseline update: error: %s does not exist; --init "
		        "creates it\n", o.baselines);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
		goto out;
	}
	rc = cbench_baseline__section(&section, &nsection, file, platform);
	if (rc == CBENCH_ENOTFOUND && !o.init) {
		printf("No baseline for platform %s in %s. Run with --init to propose one from "
		       "the last %zu runs. Nothing changed.\n", platform, o.baselines, o.min_runs);
		status = CBENCH_EXIT_OK;
		goto out;
	}

	/* The history's series, as the rule reads them. */
	recent = calloc(nseries ? nseries : 1, sizeof(*recent));
	if (!recent) {
		fputs("cbench baseline update: error: out of memory\n", stderr);
		goto out;
	}
	for (size_t i = 0; i < nseries; i++)
		recent[i] = (struct cbench_update_series){ series[i].name, series[i].unit,
		                                           series[i].direction, series[i].values,
		                                           series[i].n };
	rule = (struct cbench_update_rule){ o.min_runs, o.min_improvement, o.init };
	if (cbench_update__propose(&props, &n, recent, nseries, section, nsection, &rule) != 0) {
		fputs("cbench baseline update: error: out of memory\n", stderr);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!isnan(props[i].better))
			nbetter++;
	if (n == 0) {
		printf("No updates proposed for %s: no metric beats its baseline by more than "
		       "%.1f%% over the last %zu runs%s.\n", platform, o.min_improvement * 100,
		       o.min_runs, o.init ? ", and every metric has a baseline" : "");
		status = CBENCH_EXIT_OK;
		goto out;
	}
	{
		/* the run's threshold the gate will apply: REGRESSION_THRESHOLD, else
		 * 20% (a bad value is the runner's error to report, not this one's) */
		double t = CBENCH_DEFAULT_THRESHOLD;
		struct cbench_error terr;

		if (cbench_compare__env_threshold(&t, NULL, &terr) != 0)
			t = CBENCH_DEFAULT_THRESHOLD;
		print_proposals(platform, props, n, t);
	}
	if (o.dry_run) {
		puts("Dry run: nothing changed.");
		status = CBENCH_EXIT_OK;
		goto out;
	}
	if (o.yes || (o.auto_approve && nbetter > 0)) {
		/* --auto-approve-improvements takes improvements only */
		rc = apply(file, platform, props, n, o.yes, &newest, runs, &err);
	} else if (o.auto_approve) {
		puts("No improvements to approve automatically (--init proposals need --yes). "
		     "Nothing changed.");
		status = CBENCH_EXIT_OK;
		goto out;
	} else if (!isatty(STDIN_FILENO)) {
		puts("Standard input is not a terminal: nothing changed. Answer with --yes, or "
		     "--auto-approve-improvements for improvements only.");
		status = CBENCH_EXIT_FAILED;
		goto out;
	} else if (!ask()) {
		puts("Not applied: nothing changed.");
		status = CBENCH_EXIT_OK;
		goto out;
	} else {
		rc = apply(file, platform, props, n, true, &newest, runs, &err);
	}
	if (rc) {
		fprintf(stderr, "cbench baseline update: error: %s\n", err.text);
		goto out;
	}
	printf("Updated %s in %s from the last %zu runs.\n", platform, o.baselines, runs);
	status = CBENCH_EXIT_OK;
out:
	cbench_baseline__unlock(lock);
	free(props);
	free(recent);
	free(section);
	cbench_baseline__free(file);
	cbench_history__free_series(series, nseries);
	cbench_history__close(h);
	return status;
}

static int show(int argc, char **argv)
{
	static const struct option options[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "baselines", required_argument, NULL, 'b' },
		{ "db", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *given = NULL, *path = CBENCH_DEFAULT_BASELINES;
	struct cbench_error err = { 0, "" };
	struct cbench_baselines *file = NULL;
	struct cbench_baseline_metric *m = NULL;
	char platform[128], *platforms;
	size_t n = 0;
	json_t *meta;
	const char *key;
	json_t *value;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'p': given = optarg; break;
		case 'b': path = optarg; break;
		case 'D': break; /* accepted for symmetry with update */
		case 'h': show_usage(stdout); return CBENCH_EXIT_OK;
		default:
			fprintf(stderr, "cbench baseline show: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option", argv[optind - 1]);
			show_usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	platform_id(platform, sizeof(platform), given);
	if (cbench_baseline__load(&file, path, &err) != 0) {
		fprintf(stderr, "cbench baseline show: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	if (cbench_baseline__section(&m, &n, file, platform) != 0) {
		platforms = cbench_baseline__platforms(file);
		printf("No baseline for platform %s in %s (it has: %s).\n", platform, path,
		       platforms && *platforms ? platforms : "none");
		free(platforms);
		cbench_baseline__free(file);
		return CBENCH_EXIT_FAILED;
	}
	printf("Baselines for %s in %s\n\n%-32s %-14s %-10s %-8s %s\n", platform, path, "Metric",
	       "Value", "Unit", "Better", "Threshold");
	for (size_t i = 0; i < n; i++) {
		char v[32], t[32];

		number(v, sizeof(v), m[i].value);
		if (m[i].has_threshold)
			snprintf(t, sizeof(t), "%.1f%%", m[i].threshold * 100);
		else
			snprintf(t, sizeof(t), "(run's)");
		printf("%-32s %-14s %-10s %-8s %s\n", m[i].name, v, m[i].unit ? m[i].unit : "-",
		       !m[i].has_direction ? "(decl.)" :
		       m[i].direction == CBENCH_HIGHER_IS_BETTER ? "higher" : "lower", t);
	}
	meta = json_object_get(json_object_get(file->doc, platform), "metadata");
	if (json_is_object(meta)) {
		puts("\nmetadata:");
		json_object_foreach(meta, key, value) {
			char *text = json_dumps(value, JSON_ENCODE_ANY);

			printf("  %s: %s\n", key, text ? text : "?");
			free(text);
		}
	}
	free(m);
	cbench_baseline__free(file);
	return CBENCH_EXIT_OK;
}

int cbench_tool_baseline(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "update") == 0)
		return update(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return show(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		update_usage(stdout);
		show_usage(stdout);
		return CBENCH_EXIT_OK;
	}
	fprintf(stderr, "cbench baseline: error: %s\n",
	        argc < 2 ? "update or show expected" : "unknown subcommand");
	fputs("usage: cbench baseline update|show [OPTIONS]\n", stderr);
	return CBENCH_EXIT_USAGE;
}
