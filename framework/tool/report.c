/*
 * `cbench report --from results.json --format FORMAT [--output FILE]`:
 * renders a saved run in any output format, exactly as the runner would
 * have written it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cbench/reporter.h"
#include "app/cli.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/util.h"
#include "history/history.h"
#include "model/results.h"
#include "reporters/registry.h"
#include "tool/tool.h"

static void usage(FILE *out)
{
	fputs("usage: cbench report --from RESULTS.json --format FORMAT [--output FILE]\n"
	      "       cbench report --latest [--db PATH] [--platform ID] --format FORMAT ...\n"
	      "Renders a saved results file (written by a runner's --json), or the\n"
	      "newest run recorded in the history (--latest; its rounds are not kept,\n"
	      "so no samples).\n"
	      "FORMAT: markdown, junit, json, gbench, html or console. FILE defaults to\n"
	      "standard output ('-'); files are replaced atomically.\n"
	      "Exit status: 0 written, 2 bad option or unreadable results file.\n", out);
}

/* The newest run of the history, as the runner's JSON would have had it. */
static int latest_run(struct cbench_results **out, const char *db, const char *platform,
                      struct cbench_error *err)
{
	struct cbench_history *h;
	json_t *doc;
	int rc;

	if (!db)
		db = cbench_history__default_path();
	if (access(db, F_OK) != 0) {
		char shown[1024];

		cbench__redact_location(shown, sizeof(shown), db);
		return cbench_error__set(err, CBENCH_EUSAGE, "no history database %s", shown);
	}
	rc = cbench_history__open(&h, db, err);
	if (rc == 0)
		rc = cbench_history__latest_results(h, platform, &doc, err);
	if (rc == 0)
		rc = cbench_results__from_json(out, doc, db, err);
	if (h)
		cbench_history__close(h);
	return rc;
}

int cbench_tool_report(int argc, char **argv)
{
	static const struct option options[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "format", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "latest", no_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'D' },
		{ "platform", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cbench_reporter *rep = NULL;
	const char *from = NULL, *format = NULL, *output = "-", *db = NULL, *platform = NULL;
	bool latest = false;
	struct cbench_report_config cfg = { true, false, 0 };
	struct cbench_error err = { 0, "" };
	struct cbench_results *results = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': format = optarg; break;
		case 'o': output = optarg; break;
		case 'l': latest = true; break;
		case 'D': db = optarg; break;
		case 'p': platform = optarg; break;
		case 'h': usage(stdout); return CBENCH_EXIT_OK;
		default:
			fprintf(stderr, "cbench report: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option",
			        argv[optind - 1]);
			usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	if (optind < argc || !from == !latest || !format) {
		fprintf(stderr, "cbench report: error: %s\n",
		        optind < argc ? "unexpected argument" :
		        !from == !latest ? "give --from RESULTS.json or --latest, one of them" :
		        "--format is required");
		usage(stderr);
		return CBENCH_EXIT_USAGE;
	}
	if (cbench_reporters__find(&rep, format, "--format", &err) != 0) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	if (rep == &cbench_reporter_console && strcmp(output, "-") == 0)
		output = "stdout";
	if (cbench_file__check_writable(output, &err) != 0 ||
	    (from ? cbench_results__load(&results, from, &err) :
	     latest_run(&results, db, platform, &err)) != 0) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	rc = cbench_reporters__emit(rep, output, &cfg, cbench_results__run(results), &err);
	cbench_results__free(results);
	if (rc) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		return CBENCH_EXIT_USAGE;
	}
	return CBENCH_EXIT_OK;
}
