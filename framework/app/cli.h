#ifndef CBENCH_FRAMEWORK_CLI_H
#define CBENCH_FRAMEWORK_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cbench/error.h"

/* Exit statuses, documented in README.md. */
enum {
	CBENCH_EXIT_OK = 0,
	CBENCH_EXIT_FAILED = 1,   /* a benchmark failed or errored */
	CBENCH_EXIT_USAGE = 2,    /* bad option, value or configuration */
	CBENCH_EXIT_SIGINT = 130,
	CBENCH_EXIT_SIGTERM = 143
};

#define CBENCH_MAX_OUTPUTS 8

struct cbench_cli {
	bool help, version, list;
	const char *keyword;      /* -k */
	const char *id;           /* --id: exactly this benchmark */
	const char *markers;      /* -m */
	bool exitfirst;           /* -x */
	int verbosity;            /* -q: -1, -v: 1 */
	const char *mode;         /* quick, standard, comprehensive */
	double factor;            /* the mode's scale */
	bool no_fork;
	double timeout;           /* 0: built-in default */
	const char *clock;        /* NULL: auto */
	unsigned repetitions;     /* --repetitions N (1) */
	uint64_t seed;            /* --seed S, else a fresh one */
	bool seed_given;
	int cpu;                  /* --cpu N, -1: not pinned */
	bool measure_time;        /* --measure: time (the default) */
	bool measure_counts;      /* --measure: instructions */
	int color;                /* -1 never, 0 auto, 1 always */
	const char *json;         /* --json FILE */
	bool json_samples;
	const char *markdown;     /* --markdown FILE */
	const char *junit;        /* --junit FILE */
	const char *gbench;       /* --gbench-json FILE */
	/* the gate */
	const char *baselines;    /* --baselines FILE (default baselines/baselines.json) */
	bool baselines_given;
	const char *platform;     /* --platform, else PERFORMANCE_PLATFORM */
	double threshold;         /* --threshold, else REGRESSION_THRESHOLD, else 0.2 */
	const char *threshold_source;
	double threshold_counts;  /* --threshold-instructions */
	bool threshold_counts_given;
	const char *compare_stat; /* --compare-stat */
	unsigned confirm;         /* --confirm N */
	double alpha;             /* --alpha A */
	unsigned min_samples;     /* --min-samples N */
	int fail_on;              /* enum cbench_fail_on */
	bool strict;
	/* the history */
	bool record;              /* --record or ENABLE_PERFORMANCE_RECORDING=1 */
	const char *db;           /* --db, else PERFORMANCE_DB_PATH, else the default */
	const char *run_type;     /* --run-type, else PERFORMANCE_RUN_TYPE, else manual */
};

/* Whether an environment flag is set to a true value (1, true, yes, on). */
bool cbench_cli__env_flag(const char *name);

/*
 * Parses the runner's arguments (and BENCHMARK_MODE, NO_COLOR from the
 * environment). Returns 0, or CBENCH_EUSAGE with a one-line reason.
 */
int cbench_cli__parse(struct cbench_cli *out, int argc, char **argv,
                      struct cbench_error *err);

/* Parses a count of `opt` from `min` to `max`. Returns 0 or CBENCH_EUSAGE
 * with "OPT: 'TEXT' is not a count from MIN to MAX". */
int cbench_cli__parse_count(unsigned long long *out, const char *opt, const char *text,
                            unsigned long long min, unsigned long long max,
                            struct cbench_error *err);

/* --fail-on: none, regression or any, as enum cbench_fail_on. Returns 0 or
 * CBENCH_EUSAGE naming the value. */
int cbench_cli__parse_fail_on(int *out, const char *text, struct cbench_error *err);

/* The scale of a mode name, or 0 for an unknown one. */
double cbench_cli__mode_factor(const char *mode);

void cbench_cli__usage(FILE *out, const char *prog);
void cbench_cli__help(FILE *out, const char *prog);

#endif
