/*
 * Reports, as metrics, the CPUs its own process may run on, read from
 * /proc/self/status inside the benchmark: the runner test checks that
 * --cpu N pinned the child that measures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbench.h>

/* "Cpus_allowed_list:\t0-1,4" → how many CPUs, and the first. */
static void allowed(double *count, double *first)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "r");

	*count = 0;
	*first = -1;
	while (f && fgets(line, sizeof(line), f)) {
		char *p = line + strlen("Cpus_allowed_list:");

		if (strncmp(line, "Cpus_allowed_list:", strlen("Cpus_allowed_list:")) != 0)
			continue;
		while (*p) {
			char *end;
			long lo = strtol(p, &end, 10), hi = lo;

			if (end == p) {
				p++;
				continue;
			}
			if (*end == '-')
				hi = strtol(end + 1, &end, 10);
			if (*first < 0)
				*first = (double)lo;
			*count += (double)(hi - lo + 1);
			p = end;
		}
	}
	if (f)
		fclose(f);
}

CBENCH(pin, allowed_cpus, .iterations = 3, .min_time = 0.001)
{
	double count, first;

	allowed(&count, &first);
	cbench_metric("allowed_cpus", count, "cpus", CBENCH_LOWER_IS_BETTER);
	cbench_metric("first_allowed_cpu", first, "cpu", CBENCH_LOWER_IS_BETTER);
}
