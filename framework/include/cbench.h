/*
 * cbench: pytest-style benchmarks for C.
 *
 * A benchmark file includes this header only:
 *
 *     #include <cbench.h>
 *
 *     CBENCH(strings, copy_4k, .iterations = 200) {
 *         memcpy(dst, src, 4096);
 *         cbench_clobber();
 *     }
 *
 * and is linked with libcbench, which brings a ready main() (define your own
 * and call cbench_main() to take over). See README.md for every option.
 */
#ifndef CBENCH_H
#define CBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbench/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CBENCH_VERSION "0.1.0"
#define CBENCH_VERSION_MAJOR 0
#define CBENCH_VERSION_MINOR 1
#define CBENCH_VERSION_PATCH 0

/* What libcbench exports: it is built with -fvisibility=hidden, and only the
 * declarations of the public headers carry this. */
#if defined(__GNUC__) || defined(__clang__)
#define CBENCH_EXPORT __attribute__((visibility("default")))
#else
#define CBENCH_EXPORT
#endif

/** Which way is better for a metric. */
enum cbench_direction {
	CBENCH_LOWER_IS_BETTER = 0,  /**< latency, memory, instruction counts */
	CBENCH_HIGHER_IS_BETTER = 1  /**< throughput, hit rates, quality scores */
};

/** How long a shared fixture lives. */
enum cbench_scope {
	/** Built for each benchmark instance, inside its process (the default). */
	CBENCH_SCOPE_BENCHMARK = 0,
	/** Built once before the first benchmark of a suite that uses it, torn
	 *  down after the last one. */
	CBENCH_SCOPE_SUITE = 1,
	/** Built once before the first benchmark that uses it, torn down at the
	 *  end of the run. */
	CBENCH_SCOPE_RUN = 2
};

/**
 * Options of one benchmark, given as designated initializers after the
 * suite and name: `CBENCH(s, n, .warmup = 10, .iterations = 200)`.
 * Zero (or NULL) means "the runner's default"; the defaults are in README.md.
 * In C++ (from C++20) the options must come in the order of this struct.
 */
struct cbench_options {
	unsigned warmup;           /**< rounds run and thrown away (default: rounds/10; CBENCH_NONE for none) */
	unsigned iterations;       /**< measured rounds: the n of the statistics (default 100) */
	uint64_t batch;            /**< calls per round; 0 = calibrated */
	double min_time;           /**< seconds the measured rounds must last together (default 0.1) */
	double timeout;            /**< seconds before the benchmark is killed (default 60) */
	const char *markers;       /**< space- or comma-separated, e.g. "slow io" */
	const char *fixtures;      /**< shared fixtures used, by name, e.g. "corpus" */
	const char *metric;        /**< name of the timing metric (default: the id) */
	const char *const *params; /**< NULL-terminated; see CBENCH_PARAMS() */
	void (*setup)(void);       /**< run before the rounds, untimed */
	void (*teardown)(void);    /**< run after the rounds, untimed */
	double threshold;          /**< regression threshold of its metrics (0.05 = 5%); default: the run's */
	double target;             /**< absolute target of the time per call, in seconds: missing it fails */
	const char *target_stat;   /**< statistic the target applies to: "median" (default), "mean", "min", "p95", "p99" */
	int sentinel_;             /* the macros end every option list with it; last, as C++ wants */
};

/** `.warmup = CBENCH_NONE`: no warm-up rounds at all (0 means the default). */
#define CBENCH_NONE 0xFFFFFFFFu

/** Parameter list for `.params`: `.params = CBENCH_PARAMS("1000", "10000")`.
 *  C++ has no compound literals: name a NULL-terminated array instead. */
#ifndef __cplusplus
#define CBENCH_PARAMS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#endif

/** Options of a shared fixture; see CBENCH_FIXTURE(). */
struct cbench_fixture_options {
	enum cbench_scope scope;
	void *(*setup)(void);      /**< returns the value cbench_fixture() hands out */
	void (*teardown)(void *);  /**< receives that value */
	int sentinel_;             /* as in struct cbench_options */
};

/* ---- Inside a benchmark ------------------------------------------------ */

/**
 * Keeps the value of an expression alive, so the optimizer cannot delete the
 * computation that produced it. Costs nothing at run time.
 */
#define cbench_keep(value) cbench_keep_((value))

/** A compiler memory fence: pending stores are treated as observed. */
static inline void cbench_clobber(void)
{
#if defined(__GNUC__) || defined(__clang__)
	__asm__ __volatile__("" : : : "memory");
#endif
}

/** Stops the clock inside a round: what follows, until cbench_resume(), is
 *  not timed. Each pause/resume pair costs two clock reads. */
CBENCH_EXPORT void cbench_pause(void);
/** Restarts the clock stopped by cbench_pause(). */
CBENCH_EXPORT void cbench_resume(void);

/**
 * Records one sample of a custom metric of the running benchmark. Calls with
 * the same name add samples; the metric's value is their median. `unit` is
 * free text ("chunks/s", "ratio", "bytes"). In a parametrized instance the
 * name gets the instance's "[param]" suffix, as the id does.
 */
CBENCH_EXPORT void cbench_metric(const char *name, double value, const char *unit,
                                 enum cbench_direction direction);

/**
 * Declares a throughput metric derived from the timing: `per_call` units of
 * work per measured call, reported as `per_call / time per call` for every
 * round (e.g. `cbench_throughput("copy_throughput", 4096, "B/s")`), higher
 * is better. Call it anywhere in the body; the last call wins.
 */
CBENCH_EXPORT void cbench_throughput(const char *name, double per_call, const char *unit);

/** Ends the running benchmark as skipped, with a reason. Does not return. */
CBENCH_EXPORT void cbench_skip(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
/** Ends the running benchmark as failed, with a message. Does not return. */
CBENCH_EXPORT void cbench_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/** Fails the benchmark with the condition's text when it does not hold. */
#define cbench_assert(cond)                                                    \
	do {                                                                   \
		if (!(cond))                                                   \
			cbench_fail("%s:%d: assertion failed: %s", __FILE__,   \
			            __LINE__, #cond);                          \
	} while (0)

/** The running instance's parameter, or NULL when not parametrized. */
CBENCH_EXPORT const char *cbench_param(void);
/** The parameter as an integer (strtoll, base 10); 0 when there is none. */
CBENCH_EXPORT long long cbench_param_int(void);
/** The parameter's position in `.params`, from 0; 0 when there is none. */
CBENCH_EXPORT size_t cbench_param_index(void);

/** The value of the shared fixture `name` listed in `.fixtures`. A name the
 *  benchmark did not list fails the benchmark. */
CBENCH_EXPORT void *cbench_fixture(const char *name);

/**
 * Runs the benchmarks linked into the program, as the runner's main() does.
 * Returns the exit status documented in README.md (0, 1, 2, 130, 143).
 */
CBENCH_EXPORT int cbench_main(int argc, char **argv);

/* ---- Declaring benchmarks ---------------------------------------------- */

/**
 * Declares a benchmark whose body is one measured call:
 *
 *     CBENCH(suite, name, options...) { body }
 *
 * The body is inlined into the timing loop (no call per iteration).
 */
#define CBENCH(...) CBENCH_PLAIN_(__VA_ARGS__, .sentinel_ = 0)

/**
 * Declares a benchmark with code around the measured part, which is the
 * statement or block after CBENCH_MEASURE (Google Benchmark's
 * `for (auto _ : state)`):
 *
 *     CBENCH_EX(suite, name, options...) {
 *         prepare();
 *         CBENCH_MEASURE { work(); }
 *         release();
 *     }
 *
 * CBENCH_MEASURE must run exactly once per body.
 */
#define CBENCH_EX(...) CBENCH_EX_(__VA_ARGS__, .sentinel_ = 0)

/** Runs the statement after it for every round (warm-up, calibration and
 *  measured rounds), `batch` times per round, with the clock around it. */
#define CBENCH_MEASURE                                                         \
	for (uint64_t cbench_n_ = cbench_round_begin_(); cbench_n_ != 0;      \
	     cbench_n_ = cbench_round_next_())                                 \
		for (; cbench_n_ != 0; cbench_n_--)

/**
 * Declares a shared fixture, usable by name from `.fixtures`:
 *
 *     CBENCH_FIXTURE(corpus, .scope = CBENCH_SCOPE_RUN,
 *                    .setup = make_corpus, .teardown = free_corpus);
 *
 * Suite- and run-scoped fixtures are built in the runner's process, before
 * the benchmarks (each in its own child process) inherit them.
 */
#define CBENCH_FIXTURE(...) CBENCH_FIXTURE_(__VA_ARGS__, .sentinel_ = 0)

#include "cbench/internal/macros.h"

#ifdef __cplusplus
}
#endif

#endif
