/*
 * The work both runners of `make compare` time: deterministic, CPU-bound,
 * no system calls, no allocation. workload.c is compiled once into one
 * object that cbench_side and gbench_side both link, and every function is
 * noinline, so the two tools call byte-for-byte the same machine code.
 */
#ifndef CBENCH_COMPARE_WORKLOAD_H
#define CBENCH_COMPARE_WORKLOAD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The seed both sides pass; any value gives the same amount of work. */
#define COMPARE_SEED UINT64_C(0x9e3779b97f4a7c15)

/** About 1 µs: a dependent chain of integer hash steps (no branches in the
 *  loop body, no memory traffic). Returns the last hash. */
uint64_t compare_hash_chain(uint64_t seed);

/** About 100 µs: fills two 8 KiB arrays on the stack from a xorshift
 *  generator seeded with `seed`, then sums their dot product over many
 *  passes, in order (one floating-point dependency chain, L1-resident).
 *  Returns the sum. */
double compare_dot_product(uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif
