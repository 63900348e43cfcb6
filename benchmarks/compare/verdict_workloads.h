/*
 * The four workloads of `make compare-verdicts` (verdicts_tools.sh): about
 * 1 us, compare_hash_chain() of `make compare` (hash_chain.c, linked the
 * same way), and the three below,
 * deterministic, no system calls and no allocation while timed, every
 * function noinline. verdict_workloads.c is compiled once per variant, as
 * position-independent code, into one object that the cbench runner
 * (verdict_cbench.c), the Google Benchmark runner (verdict_gbench.cc) and
 * the shared object pytest-benchmark loads through ctypes
 * (test_verdicts_pytest.py) all link: the three tools time the same
 * machine code.
 *
 * -DVERDICT_SLOWDOWN=P makes verdict_dot_100us() do P% more passes over
 * its arrays (P% more work by construction); nothing else changes.
 */
#ifndef CBENCH_VERDICT_WORKLOADS_H
#define CBENCH_VERDICT_WORKLOADS_H

#include <stdint.h>

#include "workload.h" /* compare_hash_chain(): the ~1 us workload */

#ifdef __cplusplus
extern "C" {
#endif

/** The argument every side passes; any value gives the same work. */
#define VERDICT_SEED UINT64_C(0x9e3779b97f4a7c15)

/** About 100 us: the in-order dot product of two 8 KiB arrays (filled by
 *  verdict_prepare()) summed over 100 passes (100 + VERDICT_SLOWDOWN),
 *  one floating-point dependency chain, in L1. */
double verdict_dot_100us(void);

/** About 1.5 ns: a call and a few integer operations on the argument. */
uint64_t verdict_call_1ns(uint64_t x);

/** Sums a 32 MiB buffer of 64-bit words (filled by verdict_prepare()):
 *  memory-bound, a few milliseconds. */
uint64_t verdict_walk_32mib(void);

/** Fills the dot product's arrays and allocates and fills the 32 MiB
 *  buffer, once (later calls return at once). 0, or -1 when out of memory.
 *  Call it before timing verdict_dot_100us() or verdict_walk_32mib(). */
int verdict_prepare(void);

/** VERDICT_SLOWDOWN as compiled (0 for the normal build), so a runner can
 *  say which variant it is. */
int verdict_slowdown(void);

#ifdef __cplusplus
}
#endif

#endif
