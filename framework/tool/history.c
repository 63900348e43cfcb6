/*
 * `cbench history`: what the run history holds (stats, runs, trend), the
 * whole of it as JSON or CSV (export), and saved results files added to
 * it (import). The database is --db, else $PERFORMANCE_DB_PATH, else
 * benchmarks/history/performance.db, as for the runner's --record.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "app/cli.h"
#include "base/fileio.h"
#include "base/util.h"
#include "history/history.h"
#include "model/results.h"
#include "model/run.h"
#include "tool/tool.h"

/* An export is held whole before it is written atomically. */
#define MAX_EXPORT_BYTES ((size_t)1 << 34)
#define DEFAULT_LIMIT 20
#define DEFAULT_DAYS 30

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

/* The command being run, for its messages. */
static const struct command *current;

static void help_all(FILE *out)
{
	fputs("usage: cbench history COMMAND [--db PATH] [OPTIONS]\n"
	      "\n"
	      "The run history: every run recorded with --record (or imported),\n"
	      "with its metrics, in one SQLite file (docs/history.md).\n"
	      "\n"
	      "Commands:\n"
	      "  stats    how many runs, platforms and metric values, and their dates\n"
	      "  runs     the last runs, newest first\n"
	      "  trend    one metric's values over the last days\n"
	      "  export   every run and its metrics as JSON or CSV\n"
	      "  import   record saved results files (--json output)\n"
	      "\n"
	      "  --db PATH   the database: a SQLite file or a postgresql:// URL\n"
	      "              (default: $PERFORMANCE_DB_PATH, else\n"
	      "              " CBENCH_DEFAULT_DB ")\n"
	      "\n"
	      "`cbench history COMMAND --help` describes a command.\n"
	      "\n"
	      "Exit status: 0 success, 1 the database could not be written or the\n"
	      "output could not be written, 2 usage or configuration error (bad\n"
	      "option, missing or foreign database, unreadable results file).\n", out);
}

static void help_command(FILE *out)
{
	fprintf(out, "usage: %s\n\n%s", current->usage, current->help);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cbench history %s: error: ", current->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s\n", current->usage);
	return CBENCH_EXIT_USAGE;
}

/* A failure that is not the user's typing: no usage line. */
static int fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cbench history %s: error: ", current->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/* ---- Options ----------------------------------------------------------- */

struct opts {
	const char *db;
	const char *platform;
	const char *format;
	const char *output;
	const char *from;
	size_t limit;
	double days;
	int first;        /* index of the first operand in argv */
};

/*
 * Parses the options of the current command; `allowed` lists the short
 * codes it takes (--db and --help are everyone's). Returns -1 to go on,
 * else the exit status.
 */
static int parse(int argc, char **argv, const char *allowed, struct opts *o)
{
	static const struct option options[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "platform", required_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'l' },
		{ "days", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, index;

	o->db = cbench_history__default_path();
	o->limit = DEFAULT_LIMIT;
	o->days = DEFAULT_DAYS;
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, ":h", options, &index)) != -1) {
		char *end;

		if (c == '?')
			return usage_error("unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return usage_error("%s needs a value", argv[optind - 1]);
		if (c == 'h') {
			help_command(stdout);
			return CBENCH_EXIT_OK;
		}
		if (c != 'd' && !strchr(allowed, c))
			return usage_error("unknown option '--%s'", options[index].name);
		if (!optarg[0])
			return usage_error("--%s needs a value", options[index].name);
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'p': o->platform = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'F': o->from = optarg; break;
		case 'l': {
			long long v;

			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (errno || *end || v < 0)
				return usage_error("--limit: '%s' is not a count (0: all)", optarg);
			o->limit = (size_t)v;
			break;
		}
		case 'n':
			o->days = strtod(optarg, &end);
			if (*end || !(o->days > 0) || !isfinite(o->days))
				return usage_error("--days: '%s' is not a positive number", optarg);
			break;
		}
	}
	o->first = optind;
	return -1;
}

/*
 * Reading commands do not create a database (and its folders) where
 * there was none: they say where they looked.
 */
static int open_db(struct cbench_history **h, const char *path, bool create)
{
	struct cbench_error err = { 0, "" };
	int rc;

	rc = create ? cbench_history__open(h, path, &err)
	            : cbench_history__open_existing(h, path, &err);
	if (rc == CBENCH_ENOTFOUND)
		return fail(CBENCH_EXIT_USAGE, "%s (record a run with --record, or `cbench history "
		            "import`; --db names another)", err.text);
	if (rc)
		return fail(rc == CBENCH_EUSAGE || rc == CBENCH_EIO ? CBENCH_EXIT_USAGE
		                                                     : CBENCH_EXIT_FAILED,
		            "%s", err.text);
	return 0;
}

static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("cbench history: error: standard output");
		return CBENCH_EXIT_FAILED;
	}
	return CBENCH_EXIT_OK;
}

/* ---- Tables ------------------------------------------------------------ */

#define MAX_COLUMNS 8
#define MAX_CELL 48

/* A table printed with columns as wide as their widest cell. Text from the
 * database is shown, not obeyed: control characters become '?'. */
struct table {
	size_t ncol, nrows, cap;
	size_t width[MAX_COLUMNS];
	char (*cells)[MAX_COLUMNS][MAX_CELL];
};

static int table_row(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		void *p = realloc(t->cells, cap * sizeof(*t->cells));

		if (!p)
			return -1;
		t->cells = p;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncol; i++) {
		char *out = t->cells[t->nrows][i];
		const char *s = cells[i] && cells[i][0] ? cells[i] : "-";
		size_t n = 0;

		for (; s[n] && n < MAX_CELL - 1; n++)
			out[n] = (unsigned char)s[n] < 0x20 || s[n] == 0x7f ? '?' : s[n];
		out[n] = '\0';
		if (s[n])      /* cut: say so */
			out[n - 1] = '~';
		if (n > t->width[i])
			t->width[i] = n;
	}
	t->nrows++;
	return 0;
}

static void table_print(const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t i = 0; i < t->ncol; i++) {
			if (i + 1 == t->ncol)
				printf("%s\n", t->cells[r][i]);
			else
				printf("%-*s  ", (int)t->width[i], t->cells[r][i]);
		}
	}
}

/* ---- Commands ---------------------------------------------------------- */

static int stats(int argc, char **argv)
{
	struct cbench_history_stats s;
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;
	struct opts o = { 0 };
	int rc;

	if ((rc = parse(argc, argv, "", &o)) >= 0)
		return rc;
	if (o.first < argc)
		return usage_error("unexpected argument '%s'", argv[o.first]);
	if ((rc = open_db(&h, o.db, false)))
		return rc;
	rc = cbench_history__stats(h, &s, &err);
	if (rc) {
		cbench_history__close(h);
		return fail(CBENCH_EXIT_FAILED, "%s", err.text);
	}
	/* a URL's password is never printed */
	printf("Database: %s (schema %d)\n", cbench_history__location(h),
	       cbench_history__backend_schema(h));
	cbench_history__close(h);
	printf("Total runs: %lld\n", (long long)s.total_runs);
	printf("Platforms: %lld\n", (long long)s.platforms);
	if (s.total_runs)
		printf("Date range: %s to %s\n", s.first_run, s.last_run);
	else
		printf("Date range: (no runs)\n");
	printf("Metric rows: %lld\n", (long long)s.metrics);
	return finish_output();
}

static int runs(int argc, char **argv)
{
	static const char *const header[] = { "started_at", "platform", "type", "mode",
	                                      "commit", "branch", "metrics", "regressions" };
	struct cbench_error err = { 0, "" };
	struct cbench_history_run *list = NULL;
	struct cbench_history *h = NULL;
	struct table t = { .ncol = 8 };
	struct opts o = { 0 };
	size_t n = 0;
	int rc;

	if ((rc = parse(argc, argv, "pl", &o)) >= 0)
		return rc;
	if (o.first < argc)
		return usage_error("unexpected argument '%s'", argv[o.first]);
	if ((rc = open_db(&h, o.db, false)))
		return rc;
	rc = cbench_history__runs(h, o.platform, o.limit, &list, &n, &err);
	cbench_history__close(h);
	if (rc)
		return fail(CBENCH_EXIT_FAILED, "%s", err.text);
	if (n == 0) {
		printf("(no runs%s%s)\n", o.platform ? " of " : "", o.platform ? o.platform : "");
		free(list);
		return finish_output();
	}
	rc = table_row(&t, header);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct cbench_history_run *r = &list[i];
		char commit[32], metrics[24], regressions[24];
		const char *row[] = { r->started_at, r->platform, r->run_type, r->mode, commit,
		                      r->branch, metrics, regressions };

		snprintf(commit, sizeof(commit), "%.7s%s", r->commit,
		         r->commit[0] && r->dirty ? "-dirty" : "");
		snprintf(metrics, sizeof(metrics), "%lld", (long long)r->nmetrics);
		snprintf(regressions, sizeof(regressions), "%lld", (long long)r->regressions);
		rc = table_row(&t, row);
	}
	if (rc == 0)
		table_print(&t);
	free(t.cells);
	free(list);
	if (rc)
		return fail(CBENCH_EXIT_FAILED, "out of memory");
	return finish_output();
}

static int trend(int argc, char **argv)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history_point *p = NULL;
	struct cbench_history *h = NULL;
	struct table t = { .ncol = 4 };
	struct opts o = { 0 };
	const char *metric;
	char value_head[64];
	bool one_unit = true;
	size_t n = 0;
	int rc;

	if ((rc = parse(argc, argv, "pn", &o)) >= 0)
		return rc;
	if (o.first == argc)
		return usage_error("which METRIC?");
	if (o.first + 1 < argc)
		return usage_error("unexpected argument '%s'", argv[o.first + 1]);
	metric = argv[o.first];
	if ((rc = open_db(&h, o.db, false)))
		return rc;
	rc = cbench_history__trend(h, metric, o.platform, o.days, 0, &p, &n, &err);
	if (rc == 0 && n == 0) {
		/* Nothing in the period: tell an old metric from a typo. */
		struct cbench_history_point *all = NULL;
		size_t nall = 0;

		rc = cbench_history__trend(h, metric, NULL, 0, 0, &all, &nall, &err);
		free(all);
		if (rc == 0 && nall == 0)
			rc = fail(CBENCH_EXIT_FAILED, "%s: no metric '%s' was ever recorded",
			          cbench_history__location(h), metric);
		else if (rc)
			rc = fail(CBENCH_EXIT_FAILED, "%s", err.text);
		cbench_history__close(h);
		if (rc)
			return rc;
		printf("(no values of %s%s%s in the last %g days)\n", metric,
		       o.platform ? " on " : "", o.platform ? o.platform : "", o.days);
		return finish_output();
	}
	cbench_history__close(h);
	if (rc)
		return fail(CBENCH_EXIT_FAILED, "%s", err.text);
	for (size_t i = 1; i < n; i++)
		one_unit &= strcmp(p[i].unit, p[0].unit) == 0;
	if (one_unit && p[0].unit[0])
		snprintf(value_head, sizeof(value_head), "value (%s)", p[0].unit);
	else
		snprintf(value_head, sizeof(value_head), "value");
	{
		const char *header[] = { "time", "platform", value_head, "commit" };

		rc = table_row(&t, header);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char value[96];
		const char *row[] = { p[i].started_at, p[i].platform, value, p[i].commit };

		if (one_unit || !p[i].unit[0])
			snprintf(value, sizeof(value), "%.6g", p[i].value);
		else
			snprintf(value, sizeof(value), "%.6g %s", p[i].value, p[i].unit);
		rc = table_row(&t, row);
	}
	if (rc == 0)
		table_print(&t);
	free(t.cells);
	free(p);
	if (rc)
		return fail(CBENCH_EXIT_FAILED, "out of memory");
	return finish_output();
}

static int export(int argc, char **argv)
{
	struct cbench_buf b = CBENCH_BUF_INIT(MAX_EXPORT_BYTES);
	struct cbench_error err = { 0, "" };
	struct cbench_history *h = NULL;
	struct opts o = { 0 };
	int rc;

	if ((rc = parse(argc, argv, "pfo", &o)) >= 0)
		return rc;
	if (o.first < argc)
		return usage_error("unexpected argument '%s'", argv[o.first]);
	if (!o.format)
		return usage_error("--format json or --format csv is required");
	if (strcmp(o.format, "json") != 0 && strcmp(o.format, "csv") != 0)
		return usage_error("--format: '%s' is not json or csv", o.format);
	if (!o.output)
		o.output = "-";
	if (cbench_file__check_writable(o.output, &err))
		return fail(CBENCH_EXIT_USAGE, "%s", err.text);
	if ((rc = open_db(&h, o.db, false)))
		return rc;
	rc = cbench_history__export(h, o.platform, o.format, &b, &err);
	cbench_history__close(h);
	if (rc == 0)
		rc = cbench_file__write_atomic(o.output, cbench_buf__str(&b), cbench_buf__len(&b),
		                               &err);
	cbench_buf__free(&b);
	if (rc)
		return fail(CBENCH_EXIT_FAILED, "%s", err.text);
	return strcmp(o.output, "-") == 0 ? finish_output() : CBENCH_EXIT_OK;
}

/* Every run of another history database: SQLite to PostgreSQL, or back. */
static int import_database(const char *from, const char *db)
{
	struct cbench_error err = { 0, "" };
	struct cbench_history *src = NULL, *dst = NULL;
	size_t added = 0, present = 0;
	int rc;

	if ((rc = open_db(&src, from, false)) || (rc = open_db(&dst, db, true)))
		goto out;
	if (cbench_history__copy(dst, src, &added, &present, &err)) {
		printf("imported %zu, already present %zu\n", added, present);
		rc = fail(err.code == CBENCH_EUSAGE ? CBENCH_EXIT_USAGE : CBENCH_EXIT_FAILED, "%s",
		          err.text);
		goto out;
	}
	printf("imported %zu, already present %zu\n", added, present);
	rc = finish_output();
out:
	cbench_history__close(src);
	cbench_history__close(dst);
	return rc;
}

/*
 * Every file is read and checked before any is recorded, so a typo in the
 * fifth name records nothing. Each is then recorded in a transaction of
 * its own: should the database fail midway, the files before it stay
 * recorded, and importing them all again is safe, since a run already
 * present (same run_id) is skipped.
 */
static int import(int argc, char **argv)
{
	struct cbench_error err = { 0, "" };
	struct cbench_results **files = NULL;
	struct cbench_history *h = NULL;
	struct opts o = { 0 };
	size_t nfiles, added = 0, present = 0;
	int rc;

	if ((rc = parse(argc, argv, "F", &o)) >= 0)
		return rc;
	if (o.from && o.first < argc)
		return usage_error("--from or RESULTS.json files, not both");
	if (o.from)
		return import_database(o.from, o.db);
	if (o.first == argc)
		return usage_error("which RESULTS.json files (or --from DATABASE)?");
	nfiles = (size_t)(argc - o.first);
	files = calloc(nfiles, sizeof(*files));
	if (!files)
		return fail(CBENCH_EXIT_FAILED, "out of memory");
	for (size_t i = 0; i < nfiles; i++) {
		const char *path = argv[o.first + (int)i];
		const struct cbench_run *run;

		if (cbench_results__load(&files[i], path, &err)) {
			rc = fail(CBENCH_EXIT_USAGE, "%s", err.text);
			goto out;
		}
		run = cbench_results__run(files[i]);
		if (!run->started_at[0]) {
			rc = fail(CBENCH_EXIT_USAGE, "%s: no started_at: a run must say when it ran",
			          path);
			goto out;
		}
		if (run->run_type && run->run_type[0] && !cbench_run__valid_type(run->run_type)) {
			rc = fail(CBENCH_EXIT_USAGE, "%s: run_type '%s' is not ci, nightly or manual",
			          path, run->run_type);
			goto out;
		}
	}
	if ((rc = open_db(&h, o.db, true)))
		goto out;
	for (size_t i = 0; i < nfiles; i++) {
		const struct cbench_run *run = cbench_results__run(files[i]);
		bool is_new = false;

		if (cbench_history__record(h, run, NULL, &is_new, &err)) {
			printf("imported %zu, already present %zu\n", added, present);
			rc = fail(err.code == CBENCH_EUSAGE || err.code == CBENCH_EPARSE ?
			          CBENCH_EXIT_USAGE : CBENCH_EXIT_FAILED, "%s: %s",
			          argv[o.first + (int)i], err.text);
			goto out;
		}
		if (is_new)
			added++;
		else
			present++;
	}
	printf("imported %zu, already present %zu\n", added, present);
	rc = finish_output();
out:
	cbench_history__close(h);
	for (size_t i = 0; i < nfiles; i++)
		cbench_results__free(files[i]);
	free(files);
	return rc;
}

static const struct command commands[] = {
	{ "stats", stats, "cbench history stats [--db PATH]",
	  "How many runs the database holds, on how many platforms, from when to\n"
	  "when, and how many metric values.\n"
	  "\n"
	  "  --db PATH   the database (default: $PERFORMANCE_DB_PATH, else\n"
	  "              " CBENCH_DEFAULT_DB ")\n" },
	{ "runs", runs, "cbench history runs [--db PATH] [--platform P] [--limit N]",
	  "The last runs, newest first: when, platform, run type, mode, commit\n"
	  "(-dirty when the tree had changes), branch, metric values recorded and\n"
	  "confirmed regressions.\n"
	  "\n"
	  "  --platform P  only the runs of platform P\n"
	  "  --limit N     at most N runs (default 20; 0: all)\n"
	  "  --db PATH     the database\n" },
	{ "trend", trend, "cbench history trend METRIC [--db PATH] [--platform P] [--days N]",
	  "The values of METRIC over the last N days, oldest first, with the\n"
	  "platform and commit of each run.\n"
	  "\n"
	  "  --platform P  only the runs of platform P\n"
	  "  --days N      how far back (default 30)\n"
	  "  --db PATH     the database\n"
	  "\n"
	  "Exit status 1 when METRIC was never recorded.\n" },
	{ "export", export,
	  "cbench history export --format json|csv [--db PATH] [--platform P] [--output FILE]",
	  "Every run (of platform P) with its metrics: JSON, an array of runs each\n"
	  "holding its metrics; CSV (RFC 4180), a header and one row per metric\n"
	  "value. FILE defaults to standard output; a file is replaced atomically.\n"
	  "\n"
	  "  --format F    json or csv\n"
	  "  --platform P  only the runs of platform P\n"
	  "  --output FILE where to write ('-': standard output)\n"
	  "  --db PATH     the database\n" },
	{ "import", import, "cbench history import [--db PATH] RESULTS.json... | --from DATABASE",
	  "Records saved results files (a runner's --json output), each with the\n"
	  "run type it names (else manual). A run already recorded (same run_id)\n"
	  "is skipped, so importing a file twice records it once. Every file is\n"
	  "read first: one that cannot be read records nothing (exit 2). The\n"
	  "database and its folder are created when missing.\n"
	  "\n"
	  "  --from DATABASE  every run of another history instead (a SQLite file\n"
	  "                   or a postgresql:// URL): moving between the two\n"
	  "  --db PATH   the database (a file, or postgresql://USER@HOST/DB)\n" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int cbench_tool_history(int argc, char **argv)
{
	if (argc < 2) {
		fputs("cbench history: error: which command? (stats, runs, trend, export, "
		      "import)\n", stderr);
		fputs("usage: cbench history COMMAND [--db PATH] [OPTIONS]\n", stderr);
		return CBENCH_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_all(stdout);
		return CBENCH_EXIT_OK;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			current = &commands[i];
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "cbench history: error: unknown command '%s' (stats, runs, trend, "
	        "export, import)\n", argv[1]);
	fputs("usage: cbench history COMMAND [--db PATH] [OPTIONS]\n", stderr);
	return CBENCH_EXIT_USAGE;
}
