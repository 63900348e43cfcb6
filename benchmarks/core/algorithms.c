/*
 * Everyday CPU-bound work with both metric directions: time per call
 * (lower is better) and throughput as a custom metric (higher is better).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cbench.h>

#include "data.h"

static uint32_t *keys;
static size_t nkeys;

static void make_keys(void)
{
	nkeys = (size_t)cbench_param_int();
	keys = cbench_data_u32(nkeys, 42);
	if (!keys)
		cbench_skip("out of memory for %zu keys", nkeys);
}

static void free_keys(void)
{
	free(keys);
	keys = NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Sorting a fresh copy each round: the copy is per-round setup, paused. */
CBENCH_EX(sort, qsort_u32, .params = CBENCH_PARAMS("1000", "100000"),
          .setup = make_keys, .teardown = free_keys, .batch = 1,
          .metric = "sort_latency")
{
	uint32_t *work = malloc(nkeys * sizeof(*work));

	if (!work)
		cbench_skip("out of memory");
	CBENCH_MEASURE {
		cbench_pause();
		memcpy(work, keys, nkeys * sizeof(*work));
		cbench_resume();
		qsort(work, nkeys, sizeof(*work), cmp_u32);
		cbench_clobber();
	}
	cbench_assert(work[0] <= work[nkeys - 1]);
	free(work);
}

/* FNV-1a over 4 KiB, with bytes/s reported as a higher-is-better metric. */
static unsigned char block[4096];

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void fill_block(void)
{
	for (size_t i = 0; i < sizeof(block); i++)
		block[i] = (unsigned char)(i * 131u + 7u);
}

CBENCH(hash, fnv1a_4k, .setup = fill_block, .metric = "fnv1a_4k_latency")
{
	/* Bytes per second, derived from every round's time per call. */
	cbench_throughput("fnv1a_throughput", sizeof(block), "B/s");
	cbench_keep(fnv1a(block, sizeof(block)));
}

CBENCH(strings, memcpy_4k, .iterations = 200)
{
	static unsigned char src[4096], dst[4096];

	memcpy(dst, src, sizeof(dst));
	cbench_keep(dst);
	cbench_clobber();
}

/* 8 ns a call: rounds of the default 2 ms read 10-40% robust CV on a
 * shared machine; 10 ms rounds average over the interruptions. */
CBENCH(strings, strlen_1k, .min_time = 1.0, .iterations = 100)
{
	static char text[1025];

	if (!text[0])
		memset(text, 'x', 1024);
	cbench_keep(strlen(text));
}
