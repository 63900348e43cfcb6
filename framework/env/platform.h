#ifndef CBENCH_FRAMEWORK_PLATFORM_H
#define CBENCH_FRAMEWORK_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "cbench/reporter.h"

/*
 * Detects the machine and derives its platform id (rules in
 * docs/platforms.md).
 *
 * `root` prefixes every /proc, /sys and /etc path read (NULL or "" for the
 * real ones), so tests can point it at a folder of their own. nvidia-smi is
 * looked up in PATH and started without a shell; absent or failing, it
 * means no GPU. `override` (from --platform) wins over PERFORMANCE_PLATFORM,
 * which wins over the derived id. `warning` (may be NULL) receives a
 * one-line warning, or "" when there is none (e.g. nvidia-smi printed
 * something unreadable).
 */
void cbench_platform__detect(struct cbench_platform *out, const char *root,
                             const char *override, char *warning, size_t wsize);

/*
 * The state of the machine that makes readings more or less trustworthy:
 * turbo/boost, ASLR and the 1-minute load average (each -1 when `root`'s
 * /proc and /sys do not say). Fills those three fields only.
 */
void cbench_platform__read_env(struct cbench_environment *out, const char *root);

#define CBENCH_ENV_WARNINGS 3

/*
 * What in the environment makes every reading less trustworthy: a governor
 * other than performance, turbo on, a load average over half the CPUs
 * (ASLR is not one: docs/reducing-variance.md says why). Fills out[] with
 * malloc'd one-line warnings and returns how many.
 */
size_t cbench_platform__env_warnings(char *out[CBENCH_ENV_WARNINGS],
                                     const struct cbench_platform *p,
                                     const struct cbench_environment *e);

/* A process's CPU mask, to restore after pinning. */
struct cbench_platform_cpus {
	bool valid;
	unsigned long mask[1024 / (8 * sizeof(unsigned long))];
};

/* Whether this process may run on CPU `cpu` (its affinity mask has it). */
bool cbench_platform__cpu_allowed(int cpu);

/*
 * Pins the calling process to CPU `cpu` (Linux: sched_setaffinity), saving
 * the mask it had in `saved` (may be NULL). Returns 0, or a negative code
 * with a one-line reason naming --cpu.
 */
int cbench_platform__pin(int cpu, struct cbench_platform_cpus *saved, struct cbench_error *err);

/* Gives the process back the mask `saved` holds (nothing when none). */
void cbench_platform__unpin(const struct cbench_platform_cpus *saved);

/* The id derived from a filled platform, ignoring overrides. */
void cbench_platform__derive_id(char *out, size_t size,
                                const struct cbench_platform *p);

/*
 * Parses the output of `nvidia-smi --query-gpu=name,memory.total,
 * driver_version --format=csv,noheader,nounits`. Returns 0 (with *n GPUs,
 * at most `max`) or CBENCH_EPARSE.
 */
int cbench_platform__parse_nvidia_smi(struct cbench_gpu *gpus, size_t max,
                                      size_t *n, const char *text);

#endif
