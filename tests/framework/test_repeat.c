/*
 * --repetitions: the schedule (each pass a permutation, the same for the
 * same seed) and the pooling of the passes into one result per benchmark.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure/repeat.h"
#include "measure/runner.h"
#include "base/util.h"
#include "stats/stats.h"

static void assert_permutations(const size_t *order, size_t n, unsigned reps)
{
	for (unsigned r = 0; r < reps; r++) {
		char seen[64] = { 0 };

		for (size_t i = 0; i < n; i++) {
			size_t x = order[(size_t)r * n + i];

			cr_assert_lt(x, n, "pass %u: index %zu out of range", r, x);
			cr_assert_not(seen[x], "pass %u: %zu twice", r, x);
			seen[x] = 1;
		}
	}
}

Test(repeat, each_pass_is_a_permutation_and_the_seed_fixes_the_order)
{
	size_t *a, *b, *c;
	bool passes_differ = false, seeds_differ = false;

	cr_assert_eq(cbench_repeat__schedule(&a, 40, 5, 7, NULL), 0);
	cr_assert_eq(cbench_repeat__schedule(&b, 40, 5, 7, NULL), 0);
	cr_assert_eq(cbench_repeat__schedule(&c, 40, 5, 8, NULL), 0);
	assert_permutations(a, 40, 5);
	assert_permutations(c, 40, 5);
	cr_assert(memcmp(a, b, 40 * 5 * sizeof(*a)) == 0, "same seed, another order");
	for (size_t i = 0; i < 40; i++) {
		passes_differ |= a[i] != a[40 + i];
		seeds_differ |= a[i] != c[i];
	}
	/* 40! orders: equal by chance has probability ~1e-48 */
	cr_assert(passes_differ, "two passes in the same order");
	cr_assert(seeds_differ, "another seed, the same order");
	free(a);
	free(b);
	free(c);
}

Test(repeat, every_position_is_reached)
{
	/* over many passes each benchmark lands in each slot: no fixed point */
	size_t *o, count[4][4] = { { 0 } };

	cr_assert_eq(cbench_repeat__schedule(&o, 4, 400, 1, NULL), 0);
	for (size_t r = 0; r < 400; r++)
		for (size_t i = 0; i < 4; i++)
			count[o[r * 4 + i]][i]++;
	for (size_t b = 0; b < 4; b++)
		for (size_t i = 0; i < 4; i++)
			cr_expect_gt(count[b][i], 50, "benchmark %zu at %zu: %zu times of 400", b, i,
			             count[b][i]);
	free(o);
}

Test(repeat, default_seeds_fit_json_and_change)
{
	uint64_t s = cbench_repeat__default_seed(), t = cbench_repeat__default_seed();

	cr_assert_lt(s, UINT64_C(1) << 53);
	cr_assert_lt(t, UINT64_C(1) << 53);
	cr_assert_neq(s, t);
}

/* A result of one repetition: `n` samples around `median` (owned). */
static void fake(struct cbench_result *r, const char *id, double median, size_t n,
                 enum cbench_status status, const char *message)
{
	struct cbench_metric *m = calloc(2, sizeof(*m));
	double *s = malloc(n * sizeof(double)), *c = malloc(sizeof(double));

	for (size_t i = 0; i < n; i++)
		s[i] = median + ((double)i - (double)(n - 1) / 2) * 1e-3;
	c[0] = median * 10;
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->status = status;
	r->message = message ? cbench__strdup(message) : NULL;
	r->iterations = (unsigned)n;
	r->wall_time = 1;
	r->peak_rss = (uint64_t)(median * 1000);
	m[0] = (struct cbench_metric){ .name = cbench__strdup(id), .unit = cbench__strdup("s"),
	                               .timing = true, .samples = s, .nsamples = n };
	m[1] = (struct cbench_metric){ .name = cbench__strdup("bytes"), .unit = cbench__strdup("B"),
	                               .samples = c, .nsamples = 1 };
	cbench_stats__compute(&m[0].stats, s, n);
	cbench_stats__compute(&m[1].stats, c, 1);
	m[0].value = m[0].stats.median;
	m[1].value = m[1].stats.median;
	r->metrics = m;
	r->nmetrics = 2;
}

Test(repeat, pooling_takes_every_round_and_the_spread_of_the_passes)
{
	/* 2 benchmarks x 3 passes, as a shuffled schedule ran them */
	size_t order[] = { 1, 0, 0, 1, 1, 0 };
	double med[] = { 2.0, 1.0, 1.2, 2.2, 2.4, 1.1 };
	struct cbench_result runs[6], *pooled;
	size_t n;

	for (size_t i = 0; i < 6; i++)
		fake(&runs[i], order[i] ? "b" : "a", med[i], 5,
		     i == 3 ? CBENCH_STATUS_FAILED : CBENCH_STATUS_PASSED, i == 3 ? "boom" : NULL);
	cr_assert_eq(cbench_repeat__pool(&pooled, &n, runs, 6, order, 2, NULL), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(pooled[0].id, "a");
	cr_assert_str_eq(pooled[1].id, "b");
	cr_assert_eq(pooled[0].metrics[0].nsamples, 15);
	cr_assert_eq(pooled[0].metrics[0].stats.n, 15);
	cr_assert_eq(pooled[0].iterations, 15);
	cr_assert_float_eq(pooled[0].wall_time, 3, 1e-12);
	cr_assert_eq(pooled[1].peak_rss, 2400);
	cr_assert_float_eq(pooled[0].metrics[0].stats.median, 1.1, 1e-12);
	cr_assert_eq(pooled[0].metrics[0].reps.n, 3);
	cr_assert_float_eq(pooled[0].metrics[0].reps.min, 1.0, 1e-12);
	cr_assert_float_eq(pooled[0].metrics[0].reps.max, 1.2, 1e-12);
	/* medians 1.0, 1.2, 1.1: sd 0.1, mean 1.1 */
	cr_assert_float_eq(pooled[0].metrics[0].reps.cv, 0.1 / 1.1, 1e-9);
	cr_assert_str_eq(pooled[1].metrics[1].name, "bytes");
	cr_assert_eq(pooled[1].metrics[1].nsamples, 3);
	cr_assert_eq(pooled[0].status, CBENCH_STATUS_PASSED);
	cr_assert_null(pooled[0].message);
	cr_assert_eq(pooled[1].status, CBENCH_STATUS_FAILED);
	cr_assert_str_eq(pooled[1].message, "boom");
	cbench_runner__results_free(pooled, n);
	cbench_runner__results_free(memcpy(malloc(sizeof(runs)), runs, sizeof(runs)), 6);
}

Test(repeat, a_run_cut_short_pools_what_ran)
{
	size_t order[] = { 1, 0, 1, 0 };
	struct cbench_result runs[1], *pooled;
	size_t n;

	fake(&runs[0], "b", 1.0, 3, CBENCH_STATUS_PASSED, NULL);
	cr_assert_eq(cbench_repeat__pool(&pooled, &n, runs, 1, order, 2, NULL), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(pooled[0].id, "b");
	cr_assert_eq(pooled[0].metrics[0].reps.n, 1);
	cr_assert_eq(pooled[0].metrics[0].reps.cv, 0);
	cbench_runner__results_free(pooled, n);
	cbench_runner__results_free(memcpy(malloc(sizeof(runs)), runs, sizeof(runs)), 1);
}
