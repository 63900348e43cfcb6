/*
 * Is a change real? Two samples compared as distributions: the
 * Mann–Whitney U test and a bootstrap interval of the ratio of medians.
 * The method and its limits are in docs/design.md.
 */
#include "stats/mwu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "stats/stats.h"

/* Exact p-values while C(na + nb, na) stays an exact integer in a double:
 * C(50, 25) = 1.3e14 < 2^53. */
#define EXACT_MAX_N 50

struct tagged {
	double v;
	int from_a;
};

static int by_value(const void *pa, const void *pb)
{
	const struct tagged *a = pa, *b = pb;

	return (a->v > b->v) - (a->v < b->v);
}

/*
 * U of the first sample from midranks: U = R_a - na (na + 1) / 2. *ties
 * gets sum(t^3 - t) over the groups of tied values, for the variance.
 */
static int rank_u(double *u, double *ties, const double *a, size_t na, const double *b,
                  size_t nb)
{
	size_t n = na + nb;
	struct tagged *t = malloc(n * sizeof(*t));
	double ra = 0, tt = 0;

	if (!t)
		return CBENCH_ENOMEM;
	for (size_t i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], 1 };
	for (size_t i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], 0 };
	qsort(t, n, sizeof(*t), by_value);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && t[j].v == t[i].v)
			j++;
		/* ranks i+1 .. j share their mean */
		double mid = ((double)(i + 1) + (double)j) / 2, c = (double)(j - i);

		for (size_t k = i; k < j; k++)
			if (t[k].from_a)
				ra += mid;
		tt += c * c * c - c;
		i = j;
	}
	free(t);
	*u = ra - (double)na * (double)(na + 1) / 2;
	*ties = tt;
	return 0;
}

/*
 * The number of arrangements giving U = 0 .. m n, without ties: the
 * coefficients of the Gaussian binomial [m + n choose m]_q, built by
 * Harding's (1984) recursion, one factor (1 - q^(n+i)) / (1 - q^i) at a
 * time; each step leaves [n + i choose i]_q, so every value stays an
 * integer no larger than C(m + n, m).
 */
static double *u_counts(size_t m, size_t n)
{
	size_t len = m * n + m + 1;
	double *c = calloc(len, sizeof(*c));

	if (!c)
		return NULL;
	c[0] = 1;
	for (size_t i = 1; i <= m; i++) {
		size_t top = (i - 1) * n + n + i; /* degree after the product */

		for (size_t k = top; k >= n + i; k--)
			c[k] -= c[k - n - i];
		for (size_t k = i; k <= top; k++)
			c[k] += c[k - i];
	}
	return c;
}

/* Two-sided exact p: twice the smaller tail at u, at most 1. */
static int exact_p(double *p, double u, size_t na, size_t nb)
{
	double *c = u_counts(na, nb), total = 0, below = 0, above = 0;
	size_t mn = na * nb, k = (size_t)u;

	if (!c)
		return CBENCH_ENOMEM;
	for (size_t i = 0; i <= mn; i++) {
		total += c[i];
		if (i <= k)
			below += c[i];
		if (i >= k)
			above += c[i];
	}
	free(c);
	*p = fmin(1.0, 2 * fmin(below, above) / total);
	return 0;
}

double cbench_stats__normal_p(double z)
{
	return erfc(fabs(z) / sqrt(2.0));
}

/* SplitMix64 (Steele, Lea, Flood 2014): small, seedable, good enough to
 * pick resampling indices. */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/*
 * The median of n draws with replacement from sorted[0..n): counting how
 * often each index is drawn gives the resample in sorted order for free,
 * O(n) rather than a sort. (The modulo's bias, n / 2^64, is negligible.)
 */
static double resample_median(const double *sorted, size_t n, size_t *count, uint64_t *rng)
{
	size_t lo = (n - 1) / 2, hi = n / 2, seen = 0;
	double vlo = NAN, vhi = NAN;

	memset(count, 0, n * sizeof(*count));
	for (size_t i = 0; i < n; i++)
		count[next(rng) % n]++;
	for (size_t i = 0; i < n; i++) {
		if (!count[i])
			continue;
		if (seen <= lo && lo < seen + count[i])
			vlo = sorted[i];
		if (seen <= hi && hi < seen + count[i]) {
			vhi = sorted[i];
			break;
		}
		seen += count[i];
	}
	return (vlo + vhi) / 2;
}

static int bootstrap(struct cbench_stats_test *out, const double *sa, size_t na,
                     const double *sb, size_t nb, double confidence, unsigned resamples,
                     uint64_t seed)
{
	size_t *count = malloc((na > nb ? na : nb) * sizeof(*count));
	double *r = malloc(resamples * sizeof(*r));
	uint64_t rng = seed;

	if (!count || !r) {
		free(count);
		free(r);
		return CBENCH_ENOMEM;
	}
	for (unsigned i = 0; i < resamples; i++) {
		double ma = resample_median(sa, na, count, &rng);
		double mb = resample_median(sb, nb, count, &rng);

		r[i] = ma > 0 ? mb / ma : NAN;
	}
	cbench_stats__sort(r, resamples);
	out->ratio_lo = cbench_stats__quantile(r, resamples, (1 - confidence) / 2);
	out->ratio_hi = cbench_stats__quantile(r, resamples, (1 + confidence) / 2);
	free(count);
	free(r);
	return 0;
}

static int check_sample(const double *x, size_t n, const char *name, struct cbench_error *err)
{
	if (n < CBENCH_STATS_MIN_SAMPLE)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "sample %s has %zu value%s; the test needs at least %u",
		                         name, n, n == 1 ? "" : "s", CBENCH_STATS_MIN_SAMPLE);
	for (size_t i = 0; i < n; i++)
		if (isnan(x[i]))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "sample %s: value %zu is not a number", name, i);
	return 0;
}

int cbench_stats__compare_samples(struct cbench_stats_test *out, const double *a, size_t na,
                                  const double *b, size_t nb, double confidence,
                                  unsigned resamples, uint64_t seed,
                                  struct cbench_error *err)
{
	double *sa = NULL, *sb = NULL, ties, mean, var, d;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_sample(a, na, "a (baseline)", err)) ||
	    (rc = check_sample(b, nb, "b (current)", err)))
		return rc;
	if (!(confidence > 0 && confidence < 1))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "confidence %g is not between 0 and 1", confidence);
	out->na = na;
	out->nb = nb;
	rc = rank_u(&out->u, &ties, a, na, b, nb);
	if (rc)
		goto nomem;

	/* normal approximation: always reported, the p only for large or tied samples */
	double dn = (double)(na + nb);

	mean = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 * ((dn + 1) - ties / (dn * (dn - 1)));
	d = out->u - mean;
	d = fabs(d) <= 0.5 ? 0 : d - copysign(0.5, d);
	out->z = var > 0 ? d / sqrt(var) : 0;
	out->p = cbench_stats__normal_p(out->z);
	if (ties == 0 && na + nb <= EXACT_MAX_N) {
		rc = exact_p(&out->p, out->u, na, nb);
		if (rc)
			goto nomem;
		out->exact = 1;
	}

	sa = malloc(na * sizeof(*sa));
	sb = malloc(nb * sizeof(*sb));
	if (!sa || !sb) {
		rc = CBENCH_ENOMEM;
		goto nomem;
	}
	memcpy(sa, a, na * sizeof(*sa));
	memcpy(sb, b, nb * sizeof(*sb));
	cbench_stats__sort(sa, na);
	cbench_stats__sort(sb, nb);
	out->median_a = cbench_stats__quantile(sa, na, 0.5);
	out->median_b = cbench_stats__quantile(sb, nb, 0.5);
	out->ratio = out->median_a > 0 ? out->median_b / out->median_a : NAN;
	out->ratio_lo = out->ratio_hi = NAN;
	if (resamples > 0 && out->median_a > 0) {
		rc = bootstrap(out, sa, na, sb, nb, confidence, resamples, seed);
		if (rc)
			goto nomem;
	}
	free(sa);
	free(sb);
	return 0;
nomem:
	free(sa);
	free(sb);
	return cbench_error__set(err, rc, "out of memory comparing samples");
}
