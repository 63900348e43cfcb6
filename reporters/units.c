/*
 * Human units shared by every format that shows values to people
 * (reporters/units.h).
 */
#include "reporters/units.h"

#include "cbench/reporter.h"

#include <math.h>
#include <stdarg.h>
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

/* Appends to out[0..size) at *len, truncating quietly. */
static void add(char *out, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void add(char *out, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	k = vsnprintf(out + *len, size - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len = *len + (size_t)k < size ? *len + (size_t)k : size - 1;
}

void cbench_units__evidence(char *out, size_t size, const struct cbench_comparison *c,
                            const char *unit)
{
	size_t len = 0;
	char v[64];

	out[0] = '\0';
	if (c->tested && !isnan(c->p))
		add(out, size, &len, "p = %.2g, ", c->p);
	if (c->tested && !isnan(c->ratio_lo))
		add(out, size, &len, "median ratio %.3f [%.3f, %.3f]", c->ratio, c->ratio_lo,
		    c->ratio_hi);
	for (size_t i = 0; i < c->npasses; i++) {
		const struct cbench_confirmation *f = &c->passes[i];
		bool unit_text = false;

		if (isfinite(f->value))
			unit_text = cbench_units__value(v, sizeof(v), unit, f->value);
		else
			snprintf(v, sizeof(v), "no reading");
		add(out, size, &len, "%s pass %u (%s) read %s%s%s %s", i ? "," :
		    len ? "; re-measured:" : "re-measured:", f->pass, f->at, v,
		    unit_text ? " " : "", unit_text && unit ? unit : "",
		    cbench_verdict_name(f->verdict));
		if (f->rounds)
			add(out, size, &len, " (%zu rounds)", f->rounds);
	}
	if (c->reason[0])
		add(out, size, &len, "%swhy: %s", len ? "; " : "", c->reason);
}
