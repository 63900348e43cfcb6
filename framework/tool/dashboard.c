/*
 * `cbench dashboard [--db PATH] [--days 30] [--platforms A B ...]
 * [--output benchmarks/dashboard.html]`: the trend page of every metric
 * the history recorded in the period, a line per platform with its latest
 * baseline and threshold (framework/dashboard.c draws it).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "app/cli.h"
#include "reporters/dashboard.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/locale.h"
#include "history/history.h"
#include "tool/tool.h"
#include "base/util.h"

#define DEFAULT_OUTPUT "benchmarks/dashboard.html"
#define DEFAULT_DAYS 30
#define PAGE_MAX ((size_t)256 << 20)

static void usage(FILE *out)
{
	fputs("usage: cbench dashboard [--db PATH] [--days N] [--platforms A B ...]\n"
	      "                        [--output FILE] [--title TEXT]\n"
	      "Writes one standalone HTML page (it needs no network) with a chart per\n"
	      "metric recorded in the last N days (default 30): a line per platform,\n"
	      "its baseline dashed and its regression threshold dotted red. Drag to\n"
	      "zoom, shift-drag to pan, double-click to reset; hover for values and\n"
	      "commits.\n"
	      "  --db PATH         the history (default $PERFORMANCE_DB_PATH, else\n"
	      "                    " CBENCH_DEFAULT_DB ")\n"
	      "  --days N          the period, in days (default 30; 0: everything)\n"
	      "  --platforms A B   only these platforms (also A,B)\n"
	      "  --output FILE     default " DEFAULT_OUTPUT "; '-' is standard output\n"
	      "  --title TEXT      the page's title\n"
	      "The charting library is read from " CBENCH_DYGRAPHS_DIR "\n"
	      "(package libjs-dygraphs; the CBENCH_DYGRAPHS_DIR variable overrides).\n"
	      "Exit status: 0 written, 2 bad option, unreadable history or library.\n", out);
}

/* --platforms A B C, or A,B,C: the words up to the next option. */
static int add_platforms(char ***only, size_t *nonly, int argc, char **argv)
{
	for (;;) {
		char **words;
		long n = cbench__split_words(&words, optarg);
		char **grown;

		if (n < 0)
			return CBENCH_ENOMEM;
		grown = realloc(*only, (*nonly + (size_t)n + 1) * sizeof(**only));
		if (!grown) {
			free(words);
			return CBENCH_ENOMEM;
		}
		*only = grown;
		for (long i = 0; i < n; i++)
			(*only)[(*nonly)++] = cbench__strdup(words[i]);
		free(words);
		for (size_t i = 0; i < *nonly; i++)
			if (!(*only)[i])
				return CBENCH_ENOMEM;
		if (optind >= argc || argv[optind][0] == '-')
			return 0;
		optarg = argv[optind++];
	}
}

static void free_platforms(char **only, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(only[i]);
	free(only);
}

int cbench_tool_dashboard(int argc, char **argv)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "days", required_argument, NULL, 'n' },
		{ "platforms", required_argument, NULL, 'p' },
		{ "platform", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "title", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *db = cbench_history__default_path(), *output = DEFAULT_OUTPUT, *title = NULL;
	struct cbench_buf page = CBENCH_BUF_INIT(PAGE_MAX);
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;
	struct cbench_dashboard_summary sum = { 0, 0, 0, 0 };
	char **only = NULL, *end, *default_title = NULL;
	size_t nonly = 0;
	double days = DEFAULT_DAYS;
	struct cbench_locale locale;
	int c, rc = CBENCH_EXIT_USAGE;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': output = optarg; break;
		case 't': title = optarg; break;
		case 'n':
			errno = 0;
			days = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(days) || days < 0) {
				fprintf(stderr, "cbench dashboard: error: --days: '%s' is not a number "
				        "of days (0 or more)\n", optarg);
				goto out;
			}
			break;
		case 'p':
			if (add_platforms(&only, &nonly, argc, argv) != 0) {
				fputs("cbench dashboard: error: out of memory\n", stderr);
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			rc = CBENCH_EXIT_OK;
			goto out;
		default:
			fprintf(stderr, "cbench dashboard: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option", argv[optind - 1]);
			usage(stderr);
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cbench dashboard: error: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		goto out;
	}
	if (!title) {
		default_title = days > 0 ?
			cbench__asprintf("cbench performance dashboard: the last %g days", days) :
			cbench__strdup("cbench performance dashboard");
		title = default_title;
	}
	/* Opening would create an empty history: a mistyped path should say so. */
	if (title && access(db, F_OK) != 0) {
		char shown[1024];

		cbench__redact_location(shown, sizeof(shown), db);
		fprintf(stderr, "cbench dashboard: error: %s: no history there (--db, "
		        "PERFORMANCE_DB_PATH; runs are recorded with --record)\n", shown);
		goto out;
	}
	if (!title || cbench_file__check_writable(output, &err) != 0 ||
	    cbench_history__open(&h, db, &err) != 0)
		goto fail;
	cbench_locale__c_begin(&locale);
	rc = cbench_dashboard__from_history(&page, h, days, 0, (const char *const *)only, nonly,
	                                    title, (double)time(NULL), &sum, &err);
	cbench_locale__c_end(&locale);
	if (rc || cbench_file__write_atomic(output, cbench_buf__str(&page), cbench_buf__len(&page),
	                                    &err) != 0)
		goto fail;
	fprintf(strcmp(output, "-") == 0 ? stderr : stdout,
	        "wrote %s: %zu metrics, %zu platforms, %zu points, %zu bytes\n",
	        output, sum.metrics, sum.platforms, sum.points, sum.bytes);
	if (sum.metrics == 0)
		fprintf(stderr, "cbench dashboard: note: %s has no metrics in the period "
		        "(record runs with --record, or import results with `cbench history "
		        "import`)\n", db);
	rc = CBENCH_EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "cbench dashboard: error: %s\n", err.text[0] ? err.text : "out of memory");
	rc = CBENCH_EXIT_USAGE;
out:
	cbench_history__close(h);
	free_platforms(only, nonly);
	free(default_title);
	cbench_buf__free(&page);
	return rc;
}
