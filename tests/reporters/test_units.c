/*
 * reporters/units.c: the human units every format shows.
 */
#include <criterion/criterion.h>

#include "reporters/units.h"

Test(units, human_units)
{
	char b[32];

	cbench_units__duration(b, sizeof(b), 1.234e-9);
	cr_assert_str_eq(b, "1.234 ns");
	cbench_units__duration(b, sizeof(b), 12.34e-6);
	cr_assert_str_eq(b, "12.34 us");
	cbench_units__duration(b, sizeof(b), 123.4e-3);
	cr_assert_str_eq(b, "123.4 ms");
	cbench_units__duration(b, sizeof(b), 42.0);
	cr_assert_str_eq(b, "42.00 s");
	cbench_units__number(b, sizeof(b), 810372.0);
	cr_assert_str_eq(b, "810.4k");
	cbench_units__number(b, sizeof(b), 0.42);
	cr_assert_str_eq(b, "0.42");
	cbench_units__number(b, sizeof(b), 3.69e9);
	cr_assert_str_eq(b, "3.69G");
}

Test(units, value_says_whether_the_unit_follows)
{
	char b[32];

	/* Seconds carry their unit in the text. */
	cr_assert(!cbench_units__value(b, sizeof(b), "s", 0.0123));
	cr_assert_str_eq(b, "12.30 ms");
	cr_assert(cbench_units__value(b, sizeof(b), "req/s", 810372.0));
	cr_assert_str_eq(b, "810.4k");
	cr_assert(!cbench_units__value(b, sizeof(b), "", 2.5));
	cr_assert_str_eq(b, "2.5");
	cr_assert(!cbench_units__value(b, sizeof(b), NULL, -1500));
	cr_assert_str_eq(b, "-1.5k");
}
