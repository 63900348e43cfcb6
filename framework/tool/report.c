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
#include "history/history.h"
#include "model/results.h"
#include "reporters/registry.h"
#include "reporters/markdown.h"
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
	      "       cbench report --merge A.json B.json ... --format markdown [--output FILE]\n"
	      "--merge: one pull-request comment for several platforms' results (a CI\n"
	      "matrix), a section per file.\n"
	      "Exit status: 0 written, 2 bad option or unreadable results file.\n", out);
}

/* --merge: the Markdown comment of several results files, a section each. */
static int merge(char **paths, int n, const char *output)
{
	struct cbench_results **all = calloc((size_t)n, sizeof(*all));
	const struct cbench_run **runs = calloc((size_t)n, sizeof(*runs));
	struct cbench_buf b = CBENCH_BUF_INIT((size_t)64 << 20);
	struct cbench_error err = { 0, "" };
	int rc = CBENCH_EXIT_USAGE, i;

	if (!all || !runs) {
		fputs("cbench report: error: out of memory\n", stderr);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (cbench_results__load(&all[i], paths[i], &err) != 0) {
			fprintf(stderr, "cbench report: error: %s\n", err.text);
			goto out;
		}
		runs[i] = cbench_results__run(all[i]);
	}
	if (cbench_markdown__merge(&b, runs, (size_t)n) != 0) {
		fputs("cbench report: error: out of memory formatting the report\n", stderr);
		goto out;
	}
	if (cbench_file__write_atomic(output, cbench_buf__str(&b), cbench_buf__len(&b), &err) != 0) {
		fprintf(stderr, "cbench report: error: %s\n", err.text);
		goto out;
	}
	rc = CBENCH_EXIT_OK;
out:
	for (i = 0; all && i < n; i++)
		cbench_results__free(all[i]);
	free(all);
	free(runs);
	cbench_buf__free(&b);
	return rc;
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
	if (access(db, F_OK) != 0)
		return cbench_error__set(err, CBENCH_EUSAGE, "no history database %s", db);
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
		{ "merge", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cbench_reporter *rep = NULL;
	bool merging = false;
	const char *from = NULL, *format = NULL, *output = "-", *db = NULL, *platform = NULL;
	bool latest = false;
	struct cbench_report_config cfg = { true, false, 0 };
	struct cbench_error err = { 0, "" };
	struct cbench_results *results = NULL;
	int c, rc;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': format = optarg; break;
		case 'o': output = optarg; break;
		case 'l': latest = true; break;
		case 'D': db = optarg; break;
		case 'p': platform = optarg; break;
		case 'm': merging = true; break;
		case 'h': usage(stdout); return CBENCH_EXIT_OK;
		default:
			fprintf(stderr, "cbench report: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option",
			        argv[optind - 1]);
			usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	if (merging) {
		if (from || latest || optind >= argc || !format || strcmp(format, "markdown") != 0) {
			fprintf(stderr, "cbench report: error: --merge takes results files and "
			        "--format markdown, without --from or --latest\n");
			usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
		if (cbench_file__check_writable(output, &err) != 0) {
			fprintf(stderr, "cbench report: error: %s\n", err.text);
			return CBENCH_EXIT_USAGE;
		}
		return merge(argv + optind, argc - optind, output);
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
