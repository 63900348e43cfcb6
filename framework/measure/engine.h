#ifndef CBENCH_FRAMEWORK_ENGINE_H
#define CBENCH_FRAMEWORK_ENGINE_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbench.h"
#include "cbench/reporter.h"
#include "measure/clock.h"
#include "measure/counters.h"

/*
 * The measurement engine: one benchmark instance's rounds (calibration,
 * warm-up, measured rounds), pause/resume, custom metrics, skip and fail.
 * It knows nothing of processes or reports; the runner gives it a clock and
 * settings and gets an outcome back.
 */

#define CBENCH_MAX_BATCH 1000000000ull
#define CBENCH_MAX_ROUNDS 10000000u
#define CBENCH_CALIBRATION_MAX_ROUNDS 40
/* A calibrated round lasts at least this long, whatever min_time says. */
#define CBENCH_MIN_ROUND_SECONDS 10e-6

struct cbench_engine_config {
	const struct cbench_clock *clock;
	unsigned warmup;         /* rounds thrown away after calibration */
	unsigned rounds;         /* measured rounds wanted */
	bool rounds_default;     /* rounds may be cut to keep within max_time */
	unsigned min_rounds;     /* never cut below this */
	uint64_t batch;          /* calls per round; 0 = calibrate */
	double min_time;         /* seconds: the measured rounds together */
	bool min_time_given;     /* with a batch given, add rounds to reach it */
	double max_time;         /* seconds: budget when rounds_default */
	volatile sig_atomic_t *stop; /* set from a signal handler: stop now */
	/* Event counts around the measured rounds' region (not calibration
	 * or warm-up): each event read in-process becomes a metric
	 * "<job metric>.<event>", per call, one value per measured round. */
	enum cbench_counters_backend counters;
	bool no_time;            /* times not reported: no throughput from them */
};

/* A custom metric's samples as the benchmark recorded them. */
struct cbench_custom {
	char *name;
	char *unit;
	enum cbench_direction direction;
	double *values;
	size_t n, cap;
};

struct cbench_outcome {
	enum cbench_status status;
	char *message;            /* NULL or owned */
	uint64_t batch;
	unsigned warmup;          /* warm-up rounds run */
	unsigned calibration_rounds;
	double *samples;          /* seconds per call, one per measured round */
	size_t nsamples;
	struct cbench_custom *custom;
	size_t ncustom;
	double measure_seconds;   /* wall time of the measured rounds, pauses included */
	bool interrupted;         /* the stop flag ended the rounds early */
};

/* What to run: the declaration's functions and the instance's context. */
struct cbench_engine_job {
	void (*run)(void);
	void (*setup)(void);
	void (*teardown)(void);
	const char *param;        /* NULL when not parametrized */
	size_t param_index;
	const char *const *fixture_names; /* the fixtures this benchmark listed */
	void *const *fixture_values;
	size_t nfixtures;
	const char *metric;       /* the timing metric's name: counts' prefix */
};

/*
 * Runs setup, the rounds and teardown of one job with `cfg`, filling `out`
 * (which the caller releases with cbench_outcome__clear). A skip or failure
 * anywhere ends the job with that status; teardown runs when setup finished.
 */
void cbench_engine__run(struct cbench_outcome *out,
                        const struct cbench_engine_config *cfg,
                        const struct cbench_engine_job *job);

void cbench_outcome__clear(struct cbench_outcome *out);

/*
 * Calls fn(arg) so that a cbench_skip()/cbench_fail() inside it returns here
 * instead of unwinding further: *status gets CBENCH_STATUS_SKIPPED or
 * CBENCH_STATUS_FAILED and *message the text (owned by the caller). Returns
 * true when fn returned normally.
 */
bool cbench_engine__guard(void (*fn)(void *), void *arg,
                          enum cbench_status *status, char **message);

#endif
