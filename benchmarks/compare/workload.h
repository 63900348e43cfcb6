/*
 * The work both runners of `make compare` time: deterministic, CPU-bound,
 * no system calls and no allocation while timed. workload.c and the
 * suite's fixtures are compiled once into objects that cbench_side and
 * gbench_side both link, and every function is noinline, so the two tools
 * call byte-for-byte the same machine code.
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

/*
 * The CPU-bound workloads of the benchmark suite (fixtures/workloads.h),
 * the same code `make bench` times: one step each, on data built by
 * compare_prepare() before the timing starts.
 *
 *   vector_search_1k, vector_search_10k  one exact top-10 query
 *   embed_chunks                         64 chunks embedded
 *   lru_lookup                           one Zipf query through the LRU
 *   ivf_search                           one approximate top-10 query
 *   embed_threads_1                      512 chunks, embed_parallel, 1 thread
 */

/** Builds the data of `workload` (once; later calls return at once).
 *  0, or -1 for an unknown name or when out of memory. */
int compare_prepare(const char *workload);

/** The list above, for the runners to declare one benchmark each:
 *  X(name) for every workload whose step is compare_<name>(). */
#define COMPARE_SUITE_WORKLOADS(X)                                             \
	X(vector_search_1k)                                                    \
	X(vector_search_10k)                                                   \
	X(embed_chunks)                                                        \
	X(lru_lookup)                                                          \
	X(ivf_search)                                                          \
	X(embed_threads_1)

uint32_t compare_vector_search_1k(void);
uint32_t compare_vector_search_10k(void);
float compare_embed_chunks(void);
int compare_lru_lookup(void);
uint32_t compare_ivf_search(void);
int compare_embed_threads_1(void);

#ifdef __cplusplus
}
#endif

#endif
