#ifndef CBENCH_FRAMEWORK_RUNNER_H
#define CBENCH_FRAMEWORK_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "cbench/reporter.h"
#include "measure/clock.h"
#include "measure/counters.h"
#include "measure/registry.h"

#define CBENCH_DEFAULT_ROUNDS 100u
#define CBENCH_DEFAULT_MIN_ROUNDS 10u
#define CBENCH_DEFAULT_MIN_TIME 0.2
#define CBENCH_DEFAULT_MAX_TIME 1.0
#define CBENCH_DEFAULT_TIMEOUT 60.0
/* Seconds a benchmark gets to stop after SIGINT/SIGTERM before SIGKILL. */
#define CBENCH_STOP_GRACE 5.0

struct cbench_runner_config {
	const struct cbench_clock *clock;
	double factor;          /* the mode's scale: 0.2, 1 or 5 */
	double timeout;         /* default timeout in seconds; 0 = built in */
	bool fork;              /* each benchmark in its own process */
	bool exitfirst;         /* stop after the first failure or error */
	bool pin;               /* pin each benchmark's process to `cpu` */
	int cpu;
	bool no_time;           /* --measure without time: no timing metric */
	/* --measure instructions: event counts as metrics "<metric>.<event>".
	 * Callgrind runs each benchmark in `valgrind ... /proc/self/exe
	 * --cbench-child ...` (a program whose main is cbench_main), after the
	 * timed run when time is measured too: valgrind's clock is not the
	 * machine's. */
	enum cbench_counters_backend counters;
	/* Called before and after each benchmark, for progress display. */
	void (*on_start)(void *ctx, const struct cbench_instance *in, size_t i,
	                 size_t n);
	void (*on_result)(void *ctx, const struct cbench_result *r, size_t i,
	                  size_t n);
	void *ctx;
};

/* Set by the runner's SIGINT/SIGTERM handler to the signal's number. */
extern volatile sig_atomic_t cbench_runner__stop;

/* Installs the SIGINT/SIGTERM handlers that set cbench_runner__stop. */
void cbench_runner__handle_signals(void);
void cbench_runner__restore_signals(void);

/*
 * Runs v[0..n) in order. With cfg->pin, each child is pinned to cfg->cpu
 * before it measures (without fork, this process is, and given its mask
 * back at the end); a child that cannot be pinned is that benchmark's
 * error. *out gets one result per benchmark that ran
 * (fewer than n after a stop or -x); release it with
 * cbench_runner__results_free. Results borrow strings from `v`, which must
 * outlive them.
 */
int cbench_runner__run(struct cbench_result **out, size_t *nout,
                       const struct cbench_runner_config *cfg,
                       const struct cbench_instance *v, size_t n,
                       struct cbench_error *err);

void cbench_runner__results_free(struct cbench_result *r, size_t n);

/*
 * The argument that starts a callgrind child: `PROG --cbench-child FD
 * FACTOR CLOCK ID` measures the instance ID (exact id) in this process with
 * callgrind's client requests toggling collection around its measured
 * rounds, writes the outcome to the pipe FD and returns the exit status.
 * cbench_main() hands such a command line here before parsing options.
 */
#define CBENCH_CHILD_OPTION "--cbench-child"
int cbench_runner__child(int argc, char **argv);

/* SIGSEGV → "SIGSEGV (Segmentation fault)". */
void cbench_runner__signal_name(char *out, size_t size, int sig);

#endif
