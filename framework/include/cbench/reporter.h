/*
 * What a reporter sees: the results of a run, and the table of callbacks a
 * reporter provides. Include this to write an output format of your own.
 *
 * Reporters format; they never compute: statistics and statuses are final
 * before a reporter is called. Everything passed in is const and valid only
 * during the call; the run (with all its results) stays valid from open to
 * close, so a format that needs every result first (Markdown, JUnit) reads
 * run->results in finish.
 */
#ifndef CBENCH_REPORTER_H
#define CBENCH_REPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../cbench.h"
#include "error.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cbench_status {
	CBENCH_STATUS_PASSED = 0,
	CBENCH_STATUS_FAILED,  /**< cbench_fail() or cbench_assert() */
	CBENCH_STATUS_ERROR,   /**< crashed, timed out, exited, interrupted */
	CBENCH_STATUS_SKIPPED, /**< cbench_skip() */
	CBENCH_STATUS_TARGET   /**< measured, but missed an absolute target */
};

/** "passed", "failed", "error", "skipped" or "target". */
CBENCH_EXPORT const char *cbench_status_name(enum cbench_status status);

/** How a metric compares with its baseline. */
enum cbench_verdict {
	CBENCH_VERDICT_NEW = 0,     /**< no baseline for it */
	CBENCH_VERDICT_UNCHANGED,   /**< within the threshold (or exactly at it) */
	CBENCH_VERDICT_IMPROVEMENT, /**< better by more than the threshold */
	CBENCH_VERDICT_REGRESSION,  /**< worse by more than the threshold, confirmed */
	CBENCH_VERDICT_MISSING,     /**< in the baselines, not produced by the run */
	CBENCH_VERDICT_INCONCLUSIVE /**< crossed, but the evidence cannot tell (see reason) */
};

/** "new", "unchanged", "improvement", "regression", "missing" or "inconclusive". */
CBENCH_EXPORT const char *cbench_verdict_name(enum cbench_verdict verdict);

/** One later measurement of a metric that crossed its threshold. */
struct cbench_confirmation {
	unsigned pass;           /**< 1 for the first pass after the whole run, ... */
	char at[32];             /**< when it was measured, ISO-8601 UTC */
	double value;            /**< its compared statistic; NAN when it failed */
	enum cbench_verdict verdict; /**< what that reading alone said */
	double p;                /**< its test's p-value; NAN when untested */
	size_t rounds;           /**< the rounds it measured (0: not known) */
};

/**
 * A metric against its baseline. Lower-is-better regresses when
 * current > baseline x (1 + threshold); higher-is-better when
 * current < baseline x (1 - threshold); improvements mirror this.
 */
struct cbench_comparison {
	enum cbench_verdict verdict;
	double current;          /**< the compared statistic of this run */
	double baseline;         /**< NAN when new */
	double change;           /**< (current - baseline) / baseline; NAN when new */
	double threshold;        /**< the fraction that applied, e.g. 0.2 */
	const char *threshold_source; /**< "default", "REGRESSION_THRESHOLD", "--threshold", "baselines", "declaration" */
	size_t nconfirm;         /**< re-runs made because the first reading crossed */
	const double *confirm;   /**< their values of the compared statistic */
	bool unconfirmed;        /**< crossed at first, the re-runs did not confirm */
	/* The statistical evidence (docs/design.md, "Is the change real?"). */
	bool tested;             /**< a test was made: p and/or the interval are set */
	double p;                /**< Mann–Whitney two-sided p; NAN when untested */
	double ratio;            /**< median / baseline median */
	double ratio_lo, ratio_hi; /**< its confidence interval; NAN when untested */
	size_t baseline_n;       /**< size of the baseline's sample (0: a bare value) */
	char reason[160];        /**< why inconclusive or unchanged despite crossing; "" */
	const struct cbench_confirmation *passes; /**< the later measurements */
	size_t npasses;
};

/** An absolute target from the declaration, e.g. P95 under 300 ms. */
struct cbench_target {
	bool set;
	const char *stat;        /**< "median", "mean", "min", "p95" or "p99" */
	double limit;            /**< in the metric's unit */
	double actual;
	double ratio;            /**< actual / limit */
	bool missed;             /**< direction-aware */
};

/**
 * How far apart the repetitions of a benchmark (--repetitions N) read: the
 * median of each repetition's rounds, their min, max and coefficient of
 * variation. `n` is 0 or 1 when the benchmark ran once.
 */
struct cbench_repetitions {
	size_t n;
	double min, max;         /**< of the repetitions' medians */
	double cv;               /**< their stddev / mean; 0 when n < 2 */
};

/** One metric of one benchmark, with the statistics over its samples. */
struct cbench_metric {
	const char *name;
	const char *unit;                /**< "s" for the timing metric */
	enum cbench_direction direction;
	bool timing;                     /**< the benchmark's primary time per call */
	double value;                    /**< the compared statistic: the median */
	struct cbench_stats stats;
	const double *samples;           /**< one per round (seconds per call) */
	size_t nsamples;
	struct cbench_comparison cmp;    /**< filled when the run was compared */
	struct cbench_target target;
	struct cbench_repetitions reps;  /**< the spread between --repetitions */
};

struct cbench_result {
	const char *id;          /**< suite.name or suite.name[param] */
	const char *suite;
	const char *name;
	const char *param;       /**< NULL when not parametrized */
	const char *file;
	int line;
	const char *const *markers;
	size_t nmarkers;
	enum cbench_status status;
	const char *message;     /**< NULL when passed */
	unsigned warmup;         /**< effective settings */
	unsigned iterations;
	uint64_t batch;
	bool optimized;          /**< the declaring file was compiled with -O */
	double wall_time;        /**< seconds the whole benchmark took */
	double cpu_time;         /**< user + system seconds of its process */
	uint64_t peak_rss;       /**< bytes, of its process */
	const struct cbench_metric *metrics; /**< [0] is the timing metric when measured */
	size_t nmetrics;
};

/** One GPU, as nvidia-smi describes it. */
struct cbench_gpu {
	char name[128];          /**< "NVIDIA GeForce RTX 4090" */
	uint64_t memory_bytes;
	char driver[64];
};

#define CBENCH_MAX_GPUS 16

/** The machine a run measured on, and the platform id its baselines use. */
struct cbench_platform {
	char id[128];            /**< e.g. "RTX_4090_24GB", "GitHub_Actions_Linux" */
	char id_source[32];      /**< "detected", "PERFORMANCE_PLATFORM" or "--platform" */
	char hostname[256];
	char os[65];             /**< "Linux" */
	char os_release[128];    /**< PRETTY_NAME of /etc/os-release, "" if none */
	char kernel[65];         /**< release, e.g. "6.1.0-18-amd64" */
	char arch[65];           /**< "x86_64" */
	char cpu_vendor[64];     /**< "AuthenticAMD", "GenuineIntel", "Apple" */
	char cpu_model[256];
	unsigned cpus;           /**< logical CPUs online */
	unsigned physical_cores; /**< 0 when unknown */
	uint64_t ram_bytes;
	char governor[32];       /**< cpufreq governor of cpu0, "" when not exposed */
	char compiler[128];      /**< what compiled the benchmarks, e.g. "gcc 12.2.0" */
	char cflags[256];        /**< as the build declared them (CBENCH_BUILD_FLAGS), "" if not */
	struct cbench_gpu gpus[CBENCH_MAX_GPUS];
	size_t ngpus;
	char ci[32];             /**< "github_actions", "runpod", "ci" or "" */
	char runner_os[32];      /**< RUNNER_OS in GitHub Actions */
	char runner_arch[32];    /**< RUNNER_ARCH in GitHub Actions */
};

/**
 * The state of the machine when the run started, and how the run was made:
 * what makes readings trustworthy or not (docs/reducing-variance.md). The
 * governor is the platform's. -1 means "not known here"; `repetitions` 0
 * means the whole struct was never filled (a run from an older file).
 */
struct cbench_environment {
	int turbo;               /**< 1 turbo/boost on, 0 off, -1 not exposed */
	int aslr;                /**< /proc/sys/kernel/randomize_va_space: 0, 1, 2; -1 */
	double load_avg;         /**< 1-minute load average at start; -1 unknown */
	int optimized;           /**< 1 every benchmark that ran was built with -O, 0 not, -1 none ran */
	int cpu;                 /**< --cpu: the CPU each benchmark ran pinned to; -1 not pinned */
	unsigned repetitions;    /**< --repetitions: 1 unless asked; 0: not recorded */
	uint64_t seed;           /**< the repetitions' shuffle seed; 0 when repetitions is 1 */
};

/** The code measured. Fields are empty (and `present` false) outside a
 *  repository, unless GitHub Actions' GITHUB_SHA supplies the commit
 *  (docs/git.md). */
struct cbench_git {
	bool present;
	char commit[41];         /**< full hex id */
	char short_commit[16];   /**< first 7 characters */
	char branch[256];        /**< "" on a detached HEAD */
	bool dirty;              /**< tracked files differ from HEAD */
	int64_t commit_time;     /**< seconds since the epoch */
	char subject[512];       /**< first line of the message */
	char source[32];         /**< "libgit2" or "GITHUB_SHA" (see docs) */
};

/** A metric the baselines name and the run did not produce. */
struct cbench_missing {
	const char *name;
	double baseline;
	const char *unit;        /**< "" when the baseline gives none */
	enum cbench_direction direction;
};

struct cbench_run {
	char run_id[40];         /**< a random UUID: the same run imported twice is one run */
	const char *run_type;    /**< "ci", "nightly" or "manual" (PERFORMANCE_RUN_TYPE) */
	const char *cbench_version;
	char started_at[32];     /**< ISO-8601 UTC, e.g. 2026-11-24T02:41:45Z */
	double duration;         /**< seconds */
	const char *mode;        /**< quick, standard or comprehensive */
	const char *clock;       /**< clock source: tsc or monotonic */
	bool forked;             /**< each benchmark ran in its own process */
	struct cbench_platform platform;
	struct cbench_git git;
	int interrupted;         /**< 0, or the signal that stopped the run */
	size_t selected;         /**< benchmarks selected to run */
	const struct cbench_result *results;
	size_t nresults;         /**< may be < selected when interrupted or -x */
	uint64_t runner_peak_rss;  /**< bytes: the runner process's own peak */
	const char *const *warnings; /**< readings that cannot be trusted */
	size_t nwarnings;
	/* The gate. */
	bool compared;           /**< a baselines section for this platform was used */
	const char *baselines;   /**< the baselines file, NULL when none was read */
	const char *baseline_note; /**< why metrics are new (no file, no section), or NULL */
	double threshold;        /**< the run's default threshold, e.g. 0.2 */
	const char *compare_stat; /**< "median", "mean", "min" or "p95" */
	const struct cbench_missing *missing;
	size_t nmissing;
	size_t regressions;      /**< confirmed regressions */
	size_t improvements;
	size_t targets_missed;
	size_t inconclusive;     /**< metrics whose evidence could not tell */
	double alpha;            /**< significance level of the test; 1 when off */
	unsigned min_samples;    /**< rounds a side needs for the test */
	struct cbench_environment env;
};

/** Settings every reporter receives. */
struct cbench_report_config {
	bool samples;     /**< include raw rounds (--json-samples) */
	bool color;       /**< the console may use colours */
	int verbosity;    /**< -1 quiet, 0 normal, 1 verbose */
};

/* 2: struct cbench_confirmation gained `rounds` */
#define CBENCH_REPORTER_VERSION 2

/**
 * An output format. `version` comes first so a table built against another
 * cbench is recognised. Calls come in this order: open, context, result
 * (once per benchmark), finish, close. Callbacks return 0 or a negative
 * CBENCH_E* code and fill `err`.
 */
struct cbench_reporter {
	unsigned version;  /**< CBENCH_REPORTER_VERSION */
	const char *name;  /**< "console", "json", ... */
	/** `path` is a file to write, or "-" for standard output. Nothing may
	 *  be written to `path` before finish (files are replaced atomically). */
	int (*open)(void **out, const char *path,
	            const struct cbench_report_config *config,
	            struct cbench_error *err);
	int (*context)(void *self, const struct cbench_run *run,
	               struct cbench_error *err);
	int (*result)(void *self, const struct cbench_result *result,
	              struct cbench_error *err);
	int (*finish)(void *self, const struct cbench_run *run,
	              struct cbench_error *err);
	void (*close)(void *self);
};

CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_console;
CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_json;
CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_markdown;
CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_junit;
CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_gbench;
CBENCH_EXPORT extern const struct cbench_reporter cbench_reporter_html;

#ifdef __cplusplus
}
#endif

#endif
