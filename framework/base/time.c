/*
 * ISO-8601 UTC, both ways (docs/history.md: runs are kept by their
 * started_at, as text and as seconds).
 */
#include "base/time.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void cbench__iso8601(char out[32], double t)
{
	time_t secs = (time_t)t;
	struct tm tm;

	gmtime_r(&secs, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	/* Howard Hinnant's algorithm: no timegm (not POSIX), no TZ. */
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool cbench__iso8601_parse(const char *s, double *out)
{
	int y, mo, d, hh, mm, ss, n = 0;
	double frac = 0, scale = 0.1;

	if (!s || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d, &hh, &mm, &ss, &n) != 6 ||
	    n == 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    hh < 0 || mm < 0 || ss < 0)
		return false;
	s += n;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			frac += (*s - '0') * scale;
	if (*s == 'Z')
		s++;
	else if (strcmp(s, "+00:00") == 0)
		s += 6;
	if (*s)
		return false;
	*out = (double)(days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss) + frac;
	return true;
}
