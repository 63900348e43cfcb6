/*
 * What a reporter sees: the results of a run, and the table of callbacks a
 * reporter provides. Include this to write an output format of your own.
 *
 * Reporters format; they never compute: statistics and statuses are final
 * before a reporter is called. Everything passed in is const and valid only
 * during the call.
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
	CBENCH_STATUS_SKIPPED  /**< cbench_skip() */
};

/** "passed", "failed", "error" or "skipped". */
const char *cbench_status_name(enum cbench_status status);

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

/** The machine, as far as the core detects it. */
struct cbench_host {
	char hostname[256];
	char os[65];            /**< "Linux" */
	char kernel[65];     /**< release, e.g. "6.1.0-18-amd64" */
	char arch[65];        /**< "x86_64" */
	char cpu_model[256];
	unsigned cpus;        /**< logical CPUs online */
	uint64_t ram_bytes;
	char governor[32];    /**< cpufreq governor of cpu0, "" when not exposed */
};

struct cbench_run {
	const char *cbench_version;
	char started_at[32];     /**< ISO-8601 UTC, e.g. 2026-11-24T02:41:45Z */
	double duration;         /**< seconds */
	const char *mode;        /**< quick, standard or comprehensive */
	const char *clock;       /**< clock source: tsc or monotonic */
	bool forked;             /**< each benchmark ran in its own process */
	struct cbench_host host;
	int interrupted;         /**< 0, or the signal that stopped the run */
	size_t selected;         /**< benchmarks selected to run */
	const struct cbench_result *results;
	size_t nresults;         /**< may be < selected when interrupted or -x */
	uint64_t runner_peak_rss;  /**< bytes: the runner process's own peak */
	const char *const *warnings; /**< readings that cannot be trusted */
	size_t nwarnings;
};

/** Settings every reporter receives. */
struct cbench_report_config {
	bool samples;     /**< include raw rounds (--json-samples) */
	bool color;       /**< the console may use colours */
	int verbosity;    /**< -1 quiet, 0 normal, 1 verbose */
};

#define CBENCH_REPORTER_VERSION 1

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

extern const struct cbench_reporter cbench_reporter_console;
extern const struct cbench_reporter cbench_reporter_json;

#ifdef __cplusplus
}
#endif

#endif
