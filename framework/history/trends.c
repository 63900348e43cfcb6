/*
 * The series the trend dashboard draws, read from any backend: every
 * metric recorded in a period, a series per platform. reporters/dashboard.c
 * only formats them.
 */
#include "history/history.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

void cbench_history__free_trends(struct cbench_history_trends *d)
{
	for (size_t i = 0; d->metrics && i < d->nmetrics; i++) {
		for (size_t j = 0; j < d->metrics[i].nseries; j++) {
			const struct cbench_history_trend_series *s = &d->metrics[i].series[j];

			free((void *)s->t);
			free((void *)s->value);
			free((void *)s->commit);
		}
		free((void *)d->metrics[i].series);
	}
	for (size_t i = 0; d->points && i < d->nnames; i++)
		free(d->points[i]);
	free(d->points);
	free(d->metrics);
	free(d->platforms);
	cbench_history__free_names(d->names, d->nnames);
	memset(d, 0, sizeof(*d));
}

static bool wanted(const char *platform, const char *const *only, size_t nonly)
{
	for (size_t i = 0; i < nonly; i++)
		if (strcmp(platform, only[i]) == 0)
			return true;
	return nonly == 0;
}

static void count_platform(struct cbench_history_trends *d, const char *p)
{
	for (size_t i = 0; i < d->nplatforms; i++)
		if (strcmp(d->platforms[i], p) == 0)
			return;
	d->platforms[d->nplatforms++] = p;
}

/*
 * One metric's points (oldest first) into a series per platform, in order
 * of first appearance. A platform's baseline and threshold are those of
 * its most recent point; the metric's unit and direction those of the most
 * recent point of all.
 */
static int group(struct cbench_history_trends *d, struct cbench_history_trend *m,
                 const struct cbench_history_point *pts, size_t n, const char *const *only,
                 size_t nonly)
{
	struct cbench_history_trend_series *series = calloc(n ? n : 1, sizeof(*series));
	size_t ns = 0;

	if (!series)
		return CBENCH_ENOMEM;
	m->series = series;
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (!wanted(pts[i].platform, only, nonly))
			continue;
		for (k = 0; k < ns && strcmp(series[k].platform, pts[i].platform) != 0; k++)
			;
		if (k == ns)
			series[ns++].platform = pts[i].platform;
		series[k].n++;
		m->unit = pts[i].unit;
		m->direction = pts[i].direction;
	}
	m->nseries = ns;
	for (size_t k = 0; k < ns; k++) {
		struct cbench_history_trend_series *s = &series[k];
		double *t = malloc(s->n * sizeof(*t)), *v = malloc(s->n * sizeof(*v));
		const char **c = malloc(s->n * sizeof(*c));
		size_t j = 0;

		s->t = t;
		s->value = v;
		s->commit = c;
		if (!t || !v || !c)
			return CBENCH_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(pts[i].platform, s->platform) != 0)
				continue;
			t[j] = pts[i].t;
			v[j] = pts[i].value;
			c[j] = pts[i].commit;
			s->baseline = pts[i].baseline;
			s->threshold = pts[i].threshold;
			j++;
		}
		count_platform(d, s->platform);
		d->npoints += s->n;
	}
	return 0;
}

int cbench_history__trends(struct cbench_history *h, double days, double now,
                            const char *const *only, size_t nonly,
                            struct cbench_history_trends *d, struct cbench_error *err)
{
	size_t *counts, total = 0;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!only)
		nonly = 0;

	rc = cbench_history__metric_names(h, days, now, nonly ? only : NULL,
	                                  nonly, &d->names, &d->nnames, err);
	if (rc)
		return rc;
	d->points = calloc(d->nnames + 1, sizeof(*d->points));
	d->metrics = calloc(d->nnames + 1, sizeof(*d->metrics));
	counts = calloc(d->nnames + 1, sizeof(*counts));
	if (!d->points || !d->metrics || !counts) {
		rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		goto out;
	}
	/* With one platform the history filters; with several, group() does. */
	for (size_t i = 0; i < d->nnames; i++) {
		rc = cbench_history__trend(h, d->names[i], nonly == 1 ? only[0] : NULL, days, now,
		                           &d->points[i], &counts[i], err);
		if (rc)
			goto out;
		total += counts[i];
	}
	d->platforms = calloc(total + 1, sizeof(*d->platforms));
	if (!d->platforms) {
		rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->nnames; i++) {
		struct cbench_history_trend *m = &d->metrics[d->nmetrics];

		m->name = d->names[i];
		d->nmetrics++;
		if (group(d, m, d->points[i], counts[i], only, nonly) != 0) {
			rc = cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
			goto out;
		}
		/* a metric only other platforms recorded */
		if (m->nseries == 0) {
			free((void *)m->series);
			memset(m, 0, sizeof(*m));
			d->nmetrics--;
		}
	}
out:
	free(counts);
	if (rc)
		cbench_history__free_trends(d);
	return rc;
}

