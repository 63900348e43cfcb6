/*
 * reporters/registry.c: formats found by name from one table, a run driven
 * through a reporter in order and under the C locale, a table of another
 * version refused.
 */
#include <criterion/criterion.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "cbench/reporter.h"
#include "reporters/registry.h"
#include "sample_run.h"
#include "support.h"

Test(reporters, finds_every_format_by_its_name)
{
	const char *names[] = { "console", "json", "markdown", "junit", "gbench", "html" };
	const struct cbench_reporter *tables[] = {
		&cbench_reporter_console, &cbench_reporter_json, &cbench_reporter_markdown,
		&cbench_reporter_junit, &cbench_reporter_gbench, &cbench_reporter_html
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct cbench_reporter *rep = NULL;

		cr_assert_eq(cbench_reporters__find(&rep, names[i], "--format", NULL), 0, "%s",
		             names[i]);
		cr_assert_eq(rep, tables[i], "%s", names[i]);
		cr_assert_str_eq(rep->name, names[i]);
		cr_assert_eq(rep->version, CBENCH_REPORTER_VERSION, "%s", names[i]);
	}
}

Test(reporters, unknown_name)
{
	const struct cbench_reporter *rep = &cbench_reporter_json;
	struct cbench_error err = { 0, "" };

	cr_assert_eq(cbench_reporters__find(&rep, "yaml", "--format", &err), CBENCH_EUSAGE);
	cr_assert_null(rep);
	cr_assert_str_eq(err.text, "--format: 'yaml' is not console, json, markdown, junit, "
	                 "gbench or html");
	/* Names are exact. */
	cr_assert_eq(cbench_reporters__find(&rep, "JSON", "--format", NULL), CBENCH_EUSAGE);
	cr_assert_eq(cbench_reporters__find(&rep, "", "--format", NULL), CBENCH_EUSAGE);
}

/* A reporter that writes down what it is called with, and how the locale
 * formats a number at each call. */
static struct cbench_buf calls;

static void note(const char *what)
{
	char num[32];

	snprintf(num, sizeof(num), "%.1f", 1.5);
	cbench_buf__addf(&calls, "%s(%s) ", what, num);
}

static int rec_open(void **out, const char *path, const struct cbench_report_config *config,
                    struct cbench_error *err)
{
	(void)config;
	(void)err;
	note(path);
	*out = &calls;
	return 0;
}

static int rec_context(void *self, const struct cbench_run *run, struct cbench_error *err)
{
	(void)self;
	(void)run;
	(void)err;
	note("context");
	return 0;
}

static int rec_result(void *self, const struct cbench_result *r, struct cbench_error *err)
{
	(void)self;
	note(r->id);
	/* A failing result stops the run; close still comes. */
	if (strcmp(r->id, "stop.here") == 0)
		return cbench_error__set(err, CBENCH_EIO, "cannot write %s", r->id);
	return 0;
}

static int rec_finish(void *self, const struct cbench_run *run, struct cbench_error *err)
{
	(void)self;
	(void)run;
	(void)err;
	note("finish");
	return 0;
}

static void rec_close(void *self)
{
	cr_assert_eq(self, &calls);
	note("close");
}

static const struct cbench_reporter recorder = {
	CBENCH_REPORTER_VERSION, "recorder", rec_open, rec_context, rec_result, rec_finish,
	rec_close
};

static void two_results(struct cbench_run *run, struct cbench_result r[2], const char *second)
{
	memset(run, 0, sizeof(*run));
	memset(r, 0, 2 * sizeof(*r));
	r[0].id = "a.one";
	r[1].id = second;
	run->results = r;
	run->nresults = 2;
}

Test(reporters, emits_in_order)
{
	struct cbench_report_config cfg = { false, false, 0 };
	struct cbench_result r[2];
	struct cbench_run run;
	struct cbench_error err = { 0, "" };

	two_results(&run, r, "a.two");
	cbench_buf__init(&calls, 4096);
	cr_assert_eq(cbench_reporters__emit(&recorder, "out", &cfg, &run, &err), 0, "%s",
	             err.text);
	cr_assert_str_eq(cbench_buf__str(&calls), "out(1.5) context(1.5) a.one(1.5) "
	                 "a.two(1.5) finish(1.5) close(1.5) ");
	cbench_buf__free(&calls);

	two_results(&run, r, "stop.here");
	cbench_buf__init(&calls, 4096);
	cr_assert_eq(cbench_reporters__emit(&recorder, "out", &cfg, &run, &err), CBENCH_EIO);
	cr_assert_str_eq(err.text, "cannot write stop.here");
	cr_assert_str_eq(cbench_buf__str(&calls), "out(1.5) context(1.5) a.one(1.5) "
	                 "stop.here(1.5) close(1.5) ");
	cbench_buf__free(&calls);
}

Test(reporters, version_mismatch_is_refused)
{
	struct cbench_reporter future = recorder;
	struct cbench_report_config cfg = { false, false, 0 };
	struct cbench_result r[2];
	struct cbench_run run;
	struct cbench_error err = { 0, "" };
	char want[128];

	future.version = CBENCH_REPORTER_VERSION + 1;
	two_results(&run, r, "a.two");
	cbench_buf__init(&calls, 4096);
	cr_assert_eq(cbench_reporters__emit(&future, "out", &cfg, &run, &err), CBENCH_EUSAGE);
	snprintf(want, sizeof(want), "reporter 'recorder': table version %d, this cbench "
	         "reads version %d", CBENCH_REPORTER_VERSION + 1, CBENCH_REPORTER_VERSION);
	cr_assert_str_eq(err.text, want);
	cr_assert_str_eq(cbench_buf__str(&calls), "", "a callback of a foreign table ran");
	cbench_buf__free(&calls);
}

/* The first locale installed here whose decimal point is a comma. */
static const char *comma_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8",
		"es_ES.UTF-8", "it_IT.UTF-8", "pt_BR.UTF-8", "ru_RU.UTF-8", "de_DE", "fr_FR"
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char num[16];

		if (!setlocale(LC_NUMERIC, names[i]))
			continue;
		snprintf(num, sizeof(num), "%.1f", 1.5);
		if (strcmp(num, "1,5") == 0)
			return names[i];
	}
	setlocale(LC_NUMERIC, "C");
	return NULL;
}

Test(reporters, numbers_in_the_c_locale)
{
	struct cbench_report_config cfg = { false, false, 0 };
	struct cbench_result r[2];
	struct cbench_run run;
	const char *name = comma_locale();
	char num[16];

	if (!name)
		cr_skip_test("no locale with a decimal comma is installed (e.g. "
		             "localedef -i de_DE -f UTF-8 de_DE.UTF-8)");
	two_results(&run, r, "a.two");
	cbench_buf__init(&calls, 4096);
	cr_assert_eq(cbench_reporters__emit(&recorder, "out", &cfg, &run, NULL), 0);
	cr_assert_str_eq(cbench_buf__str(&calls), "out(1.5) context(1.5) a.one(1.5) "
	                 "a.two(1.5) finish(1.5) close(1.5) ", "under %s", name);
	cbench_buf__free(&calls);
	/* ... and the caller's locale is back afterwards. */
	snprintf(num, sizeof(num), "%.1f", 1.5);
	cr_assert_str_eq(num, "1,5");
	setlocale(LC_NUMERIC, "C");
}

/* A real format under a comma locale (Markdown prints "12.30 ms"): the
 * same bytes as under C. */
Test(reporters, markdown_is_the_same_in_any_locale)
{
	struct cbench_report_config cfg = { false, false, 0 };
	const char *name = comma_locale();
	char *dir, *c, *comma, *a, *b;

	if (!name)
		cr_skip_test("no locale with a decimal comma is installed");
	dir = support_tmpdir();
	c = support_path(dir, "c.md");
	comma = support_path(dir, "comma.md");
	cr_assert_eq(cbench_reporters__emit(&cbench_reporter_markdown, comma, &cfg,
	                                    sample_run(SAMPLE_FULL), NULL), 0);
	setlocale(LC_NUMERIC, "C");
	cr_assert_eq(cbench_reporters__emit(&cbench_reporter_markdown, c, &cfg,
	                                    sample_run(SAMPLE_FULL), NULL), 0);
	a = support_slurp(c);
	b = support_slurp(comma);
	cr_assert_not_null(a);
	cr_assert_str_eq(a, b, "the Markdown differs under %s", name);
	free(a);
	free(b);
	free(c);
	free(comma);
	support_rmdir(dir);
}
