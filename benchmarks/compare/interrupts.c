/*
 * How much of the CPU a benchmark gets, for the header of `make compare`.
 *
 *     interrupts [SECONDS]      (default 1)
 *
 * Spins reading CLOCK_MONOTONIC for SECONDS and counts the gaps between two
 * consecutive reads longer than 1 µs (a read takes about 25 ns): the time
 * this thread did not run, whether the guest kernel took it (timer ticks,
 * other tasks) or the hypervisor did (the guest's clock keeps running while
 * the vCPU is descheduled). That share is what a mean over one long batch
 * adds to the true time per call; a median of short rounds can skip it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GAP_NS 1000u
#define MAX_GAPS 200000u

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	uint64_t *gaps, start, prev, end, lost = 0, big_lost = 0;
	size_t n = 0, big = 0;
	double total;

	if (!(seconds > 0 && seconds <= 60)) {
		fprintf(stderr, "usage: %s [SECONDS (0-60]]\n", argv[0]);
		return 2;
	}
	gaps = malloc(MAX_GAPS * sizeof(*gaps));
	if (!gaps) {
		fprintf(stderr, "interrupts: out of memory\n");
		return 1;
	}
	start = prev = now_ns();
	end = start + (uint64_t)(seconds * 1e9);
	while (prev < end) {
		uint64_t t = now_ns(), d = t - prev;

		if (d > GAP_NS) {
			lost += d;
			if (d >= 10000u) {
				big++;
				big_lost += d;
			}
			if (n < MAX_GAPS)
				gaps[n++] = d;
		}
		prev = t;
	}
	total = (double)(prev - start);
	qsort(gaps, n, sizeof(*gaps), cmp_u64);
	printf("%.2f%% of %.1f s lost in %zu gaps > 1 us (%.0f/s, median %.1f us, "
	       "longest %.0f us); gaps >= 10 us: %zu, %.2f%%\n",
	       (double)lost / total * 100, total * 1e-9, n, (double)n / (total * 1e-9),
	       n ? (double)gaps[n / 2] * 1e-3 : 0.0,
	       n ? (double)gaps[n - 1] * 1e-3 : 0.0, big,
	       (double)big_lost / total * 100);
	free(gaps);
	return 0;
}
