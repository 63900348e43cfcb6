/*
 * See workload.h. The sizes below were tuned on the reference VM (AMD EPYC,
 * KVM) so that one call takes about 100 µs; compare_hash_chain(), about
 * 1 µs, is in hash_chain.c.
 */
#include "workload.h"

#include <stddef.h>
#include <string.h>

#include "workloads.h"

#define DOT_N 1024
#define DOT_PASSES 115

__attribute__((noinline)) double compare_dot_product(uint64_t seed)
{
	double x[DOT_N], y[DOT_N], sum = 0;
	uint64_t s = seed | 1;
	size_t i;
	unsigned pass;

	for (i = 0; i < DOT_N; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		x[i] = (double)(s >> 40) * 0x1p-24;
		y[i] = (double)(s & 0xffffff) * 0x1p-24;
	}
	/* Without -ffast-math the additions stay in order: one dependent
	 * chain, no vectorised reduction, the same speed on every run. */
	for (pass = 0; pass < DOT_PASSES; pass++)
		for (i = 0; i < DOT_N; i++)
			sum += x[i] * y[i];
	return sum;
}

/* ---- the suite's workloads ---- */

static struct search_workload search_1k, search_10k;
static struct retrieval_workload retrieval;
static struct embed_workload embed;
static struct cache_workload cache;

int compare_prepare(const char *workload)
{
	static char done[8];
	static const char *const names[] = {
		"vector_search_1k", "vector_search_10k", "embed_chunks",
		"lru_lookup", "ivf_search", "embed_threads_1"
	};
	size_t i;
	int rc = -1;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(workload, names[i]) == 0)
			break;
	if (i == sizeof(names) / sizeof(*names))
		return -1;
	if (done[i])
		return 0;
	switch (i) {
	case 0: rc = search_workload_init(&search_1k, 1000); break;
	case 1: rc = search_workload_init(&search_10k, 10000); break;
	case 2: /* fall through: the same corpus */
	case 5: rc = embed.out ? 0 : embed_workload_init(&embed); break;
	case 3: rc = cache_workload_init(&cache); break;
	case 4: rc = retrieval_workload_init(&retrieval); break;
	}
	done[i] = rc == 0;
	return rc;
}

__attribute__((noinline)) uint32_t compare_vector_search_1k(void)
{
	return search_workload_step(&search_1k);
}

__attribute__((noinline)) uint32_t compare_vector_search_10k(void)
{
	return search_workload_step(&search_10k);
}

__attribute__((noinline)) float compare_embed_chunks(void)
{
	return embed_workload_step(&embed);
}

__attribute__((noinline)) int compare_lru_lookup(void)
{
	return cache_workload_step(&cache);
}

__attribute__((noinline)) uint32_t compare_ivf_search(void)
{
	return retrieval_workload_step(&retrieval);
}

__attribute__((noinline)) int compare_embed_threads_1(void)
{
	return embed_workload_parallel(&embed, 1);
}
