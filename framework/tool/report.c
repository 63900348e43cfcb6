/*
 * `cbench report --from results.json --format FORMAT [--output FILE]`:
 * renders a saved run in any output format, exactly as the runner would
 * have written it.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cbench/reporter.h"
#include "cli.h"
#include "fileio.h"
#include "results.h"
#include "tool.h"

static const struct {
	const char *name;
	const struct cbench_reporter *rep;
} formats[] = {
	{ "markdown", &cbench_reporter_markdown },
	{ "junit", &cbench_reporter_junit },
	{ "json", &cbench_reporter_json },
	{ "gbench", &cbench_reporter_gbench },
	{ "console", &cbench_reporter_console },
	{ "html", &cbench_reporter_html },
};

#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

static void usage(FILE *out)
{
	fputs("usage: cbench report --from RESULTS.json --format FORMAT [--output FILE]\n"
	      "Renders a saved results file (written by a runner's --json).\n"
	      "FORMAT: markdown, junit, json, gbench, html or console. FILE defaults to\n"
	      "standard output ('-'); files are replaced atomically.\n"
	      "Exit status: 0 written, 2 bad option or unreadable results file.\n", out);
}

int cbench_tool_report(int argc, char **argv)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cbench_reporter *rep = NULL;
	const char *from = NULL, *format = NULL, *output = "-";
	struct cbench_report_config cfg = { true, false, 0 };
	struct cbench_error err = { 0, "" };
	struct cbench_results *results = NULL;
	const struct cbench_run *run;
	locale_t c_locale, saved = (locale_t)0;
	void *self = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': format = optarg; break;
		case 'o': output = optarg; break;
		case 'h': usage(stdout); return CBENCH_EXIT_OK;
		default:
			fprintf(stderr, "cbench report: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option",
			        argv[optind - 1]);
			usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	if (optind < argc || !from || !format) {
		fprintf(stderr, "cbench report: error: %s\n",
		        optind < argc ? "unexpected argument" :
		        !from ? "--from RESULTS.json is required" : "--format is required");
		usage(stderr);
		return CBENCH_EXIT_USAGE;
	}
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(format, formats[i].name) == 0)
			rep = formats[i].rep;
	if (!rep) {
		fprintf(stderr, "cbench report: error: --format: '%s' is not markdown, junit, "
		        "json, gbench, html or console\n", format);
		return CBENCH_EXIT_USAGE;
	}
	if (rep == &cbench_reporter_console && strcmp(output, "-") == 0)
		output = "stdout";
	if (cbench_file__check_writable(output, &err) != 0 ||
	    cbench_results__load(&results, from, &err) != 0) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	run = cbench_results__run(results);
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (c_locale)
		saved = uselocale(c_locale);
	rc = rep->open(&self, output, &cfg, &err);
	if (rc == 0)
		rc = rep->context(self, run, &err);
	for (size_t i = 0; rc == 0 && i < run->nresults; i++)
		rc = rep->result(self, &run->results[i], &err);
	if (rc == 0)
		rc = rep->finish(self, run, &err);
	if (self)
		rep->close(self);
	if (c_locale) {
		uselocale(saved);
		freelocale(c_locale);
	}
	cbench_results__free(results);
	if (rc) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	return CBENCH_EXIT_OK;
}
