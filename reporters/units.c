/*
 * Human units shared by every format that shows values to people
 * (reporters/units.h).
 */
#include "reporters/units.h"

#include <stdio.h>
#include <string.h>

void cbench_units__duration(char *out, size_t size, double seconds)
{
	static const struct { double scale; const char *unit; } units[] = {
		{ 1e-9, "ns" }, { 1e-6, "us" }, { 1e-3, "ms" }, { 1, "s" }
	};
	size_t u = 0;
	double v;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && seconds >= units[u + 1].scale)
		u++;
	v = seconds / units[u].scale;
	snprintf(out, size, v >= 100 ? "%.1f %s" : v >= 10 ? "%.2f %s" : "%.3f %s", v,
	         units[u].unit);
}

void cbench_units__number(char *out, size_t size, double v)
{
	static const char *suffix[] = { "", "k", "M", "G", "T" };
	size_t s = 0;

	while (s + 1 < sizeof(suffix) / sizeof(suffix[0]) && (v >= 1000 || v <= -1000)) {
		v /= 1000;
		s++;
	}
	snprintf(out, size, (v >= 100 || v <= -100) ? "%.1f%s" : "%.3g%s", v, suffix[s]);
}

bool cbench_units__value(char *out, size_t size, const char *unit, double v)
{
	if (unit && strcmp(unit, "s") == 0) {
		cbench_units__duration(out, size, v);
		return false;
	}
	cbench_units__number(out, size, v);
	return unit && unit[0];
}
