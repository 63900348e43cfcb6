/*
 * base/time.c: ISO-8601 UTC written and read in one place.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "base/time.h"

Test(time, format_and_parse_round_trip)
{
	static const double times[] = { 0, 951782400 /* 2000-02-29 */, 1795488105,
	                                4102444799 /* 2099-12-31T23:59:59Z */ };

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		char s[32];
		double back = -1;

		cbench__iso8601(s, times[i]);
		cr_assert(cbench__iso8601_parse(s, &back), "%s", s);
		cr_expect_eq(back, times[i], "%s: %.0f", s, back);
	}
}

Test(time, format)
{
	char s[32];

	cbench__iso8601(s, 1795488105.9);
	cr_expect_str_eq(s, "2026-11-24T02:41:45Z");
	cbench__iso8601(s, 0);
	cr_expect_str_eq(s, "1970-01-01T00:00:00Z");
}

Test(time, parse_accepts_the_usual_spellings)
{
	double t;

	cr_assert(cbench__iso8601_parse("2026-11-24T02:41:45Z", &t));
	cr_expect_eq(t, 1795488105);
	cr_assert(cbench__iso8601_parse("2026-11-24 02:41:45", &t));
	cr_expect_eq(t, 1795488105);
	cr_assert(cbench__iso8601_parse("2026-11-24T02:41:45+00:00", &t));
	cr_expect_eq(t, 1795488105);
	cr_assert(cbench__iso8601_parse("2026-11-24T02:41:45.25Z", &t));
	cr_expect_float_eq(t, 1795488105.25, 1e-6);
	cr_assert(cbench__iso8601_parse("1969-12-31T23:59:59Z", &t));
	cr_expect_eq(t, -1);
}

Test(time, parse_refuses_what_is_not_a_utc_time)
{
	static const char *const bad[] = { "", "yesterday", "31/01/2026", "2026-13-01T00:00:00Z",
	                                   "2026-01-32T00:00:00Z", "2026-01-01T24:00:00Z",
	                                   "2026-01-01T00:00:00+02:00", "2026-01-01T00:00:00Zx",
	                                   "2026-01-01" };
	double t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_not(cbench__iso8601_parse(bad[i], &t), "\"%s\"", bad[i]);
	cr_expect_not(cbench__iso8601_parse(NULL, &t));
}
