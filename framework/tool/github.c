/*
 * `cbench github comment|issue|check`: posts a Markdown report where a team
 * looks at it, configured from what GitHub Actions sets (GITHUB_TOKEN,
 * GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_PATH). Exit status 0
 * posted, 1 not posted (the reason printed), 2 usage or configuration
 * error. docs/ci.md shows how the workflows call it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app/cli.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/util.h"
#include "net/github.h"
#include "reporters/markdown.h"
#include "tool/tool.h"

#define REPORT_MAX ((size_t)64 << 20)
#define DEFAULT_LABEL "performance-regression"
#define DEFAULT_CHECK "cbench performance"

static void usage(FILE *out)
{
	fputs("usage: cbench github comment --file REPORT.md [--pr N] [--event FILE]\n"
	      "       cbench github issue --title TITLE --file REPORT.md [--label L]\n"
	      "                           [--close-if-clean]\n"
	      "       cbench github check --file REPORT.md --conclusion success|failure\n"
	      "                           [--name NAME] [--sha SHA] [--event FILE]\n"
	      "       (comment and check also take --expect-sha SHA)\n"
	      "\n"
	      "comment  updates the pull request's comment that carries the report's\n"
	      "         hidden marker (every page of comments is searched), or creates\n"
	      "         it; the pull request is --pr, else the event's (--event, else\n"
	      "         GITHUB_EVENT_PATH).\n"
	      "issue    a report with regressions updates the open issue with this\n"
	      "         title and label (default " DEFAULT_LABEL "), or opens it;\n"
	      "         a clean one closes it, with a comment, given --close-if-clean.\n"
	      "check    a completed check run (default name '" DEFAULT_CHECK "') on\n"
	      "         --sha, else the event's pull request head, else GITHUB_SHA.\n"
	      "--expect-sha SHA (comment, check): refuse an event whose pull request\n"
	      "head is another commit (an artifact naming someone else's pull request).\n"
	      "\n"
	      "Bodies over GitHub's 65,536 characters are cut at a line, with a note;\n"
	      "comment and issue append the whole report to $GITHUB_STEP_SUMMARY when\n"
	      "it is set (up to its 1 MiB).\n"
	      "Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_API_URL\n"
	      "(default https://api.github.com), GITHUB_EVENT_PATH, GITHUB_SHA;\n"
	      "CBENCH_GITHUB_TIMEOUT (seconds per request, 30), CBENCH_GITHUB_BACKOFF\n"
	      "(seconds before the first retry, 1), CBENCH_GITHUB_MAX_WAIT (longest\n"
	      "rate-limit wait, 60).\n"
	      "Exit status: 0 posted (or nothing to do), 1 not posted (reason printed),\n"
	      "2 usage or configuration error.\n", out);
}

struct args {
	const char *cmd, *file, *event, *title, *label, *conclusion, *name, *sha, *expect;
	long long pr;
	bool close_if_clean;
};

static int fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("cbench github: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return CBENCH_EXIT_USAGE;
}

static int parse(struct args *a, int argc, char **argv)
{
	static const struct option options[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "pr", required_argument, NULL, 'p' },
		{ "event", required_argument, NULL, 'e' },
		{ "title", required_argument, NULL, 't' },
		{ "label", required_argument, NULL, 'l' },
		{ "close-if-clean", no_argument, NULL, 'c' },
		{ "conclusion", required_argument, NULL, 'C' },
		{ "name", required_argument, NULL, 'n' },
		{ "sha", required_argument, NULL, 's' },
		{ "expect-sha", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (c) {
		case 'f': a->file = optarg; break;
		case 'e': a->event = optarg; break;
		case 't': a->title = optarg; break;
		case 'l': a->label = optarg; break;
		case 'c': a->close_if_clean = true; break;
		case 'C': a->conclusion = optarg; break;
		case 'n': a->name = optarg; break;
		case 's': a->sha = optarg; break;
		case 'x': a->expect = optarg; break;
		case 'p':
			errno = 0;
			a->pr = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || a->pr <= 0)
				return fail_usage("--pr: '%s' is not a pull request number", optarg);
			break;
		case 'h': usage(stdout); return -1;
		default:
			fprintf(stderr, "cbench github: error: %s %s\n",
			        optopt ? "option needs a value:" : "unknown option", argv[optind - 1]);
			usage(stderr);
			return CBENCH_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return fail_usage("unexpected argument '%s'", argv[optind]);
	if (!a->file)
		return fail_usage("%s: --file REPORT.md is required", a->cmd);
	if (strcmp(a->cmd, "issue") == 0 && (!a->title || !*a->title))
		return fail_usage("%s: --title is required", a->cmd);
	if (strcmp(a->cmd, "check") == 0 && (!a->conclusion ||
	    (strcmp(a->conclusion, "success") != 0 && strcmp(a->conclusion, "failure") != 0)))
		return fail_usage("check: --conclusion: '%s' is not success or failure",
		                  a->conclusion ? a->conclusion : "");
	if (!a->label)
		a->label = DEFAULT_LABEL;
	if (!a->name)
		a->name = DEFAULT_CHECK;
	return 0;
}

/* A positive number of seconds from the environment, or `dflt`. */
static int env_seconds(const char *var, double *out)
{
	const char *v = getenv(var);
	char *end;

	*out = 0;
	if (!v || !*v)
		return 0;
	errno = 0;
	*out = strtod(v, &end);
	if (errno || end == v || *end || !(*out >= 0) || *out > 86400) {
		fprintf(stderr, "cbench github: error: %s: '%.40s' is not a number of seconds "
		        "(0 to 86400)\n", var, v);
		return CBENCH_EXIT_USAGE;
	}
	if (*out == 0)
		*out = -1;   /* no wait at all, not the default */
	return 0;
}

/* The event file (--event, else GITHUB_EVENT_PATH): what it says of the
 * pull request, all empty when neither is given. Non-zero when one is given
 * and cannot be read (said on stderr). */
static int load_event(const struct args *a, struct cbench_github_event *out)
{
	const char *path = a->event ? a->event : getenv("GITHUB_EVENT_PATH");
	struct cbench_error err = { 0, "" };

	memset(out, 0, sizeof(*out));
	if (!path || !*path)
		return 0;
	if (cbench_github__event_load(out, path, &err) != 0) {
		fprintf(stderr, "cbench github: error: %s\n", err.text);
		return -1;
	}
	return 0;
}

static char *read_report(const char *path)
{
	struct cbench_buf b = CBENCH_BUF_INIT(REPORT_MAX);
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "cbench github: error: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cbench_buf__add(&b, chunk, n);
	if (ferror(f) || b.failed) {
		fprintf(stderr, "cbench github: error: %s: %s\n", path,
		        b.failed ? "over 64 MiB" : strerror(errno));
		fclose(f);
		cbench_buf__free(&b);
		return NULL;
	}
	fclose(f);
	return cbench_buf__take(&b, NULL);
}

/* GITHUB_STEP_SUMMARY gets the whole report, as much as its 1 MiB allows
 * after what earlier steps wrote. Appended, as GitHub reads it. */
static void step_summary(const char *text)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	struct cbench_buf b = CBENCH_BUF_INIT(CBENCH_GITHUB_SUMMARY_MAX + 1);
	struct stat st;
	size_t room;
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "cbench github: warning: GITHUB_STEP_SUMMARY %s: %s\n", path,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	room = (size_t)st.st_size + 2 < CBENCH_GITHUB_SUMMARY_MAX ?
	       CBENCH_GITHUB_SUMMARY_MAX - (size_t)st.st_size - 1 : 0;
	cbench_github__fit(&b, text, strlen(text), room,
	                   "> \xE2\x9C\x82\xEF\xB8\x8F Cut at the step summary's 1 MiB: "
	                   "the full report is in the artifacts.\n");
	if (room > 0 && !b.failed && cbench_buf__add(&b, "\n", 1) == 0 &&
	    write(fd, cbench_buf__str(&b), cbench_buf__len(&b)) != (ssize_t)cbench_buf__len(&b))
		fprintf(stderr, "cbench github: warning: GITHUB_STEP_SUMMARY %s: %s\n", path,
		        strerror(errno));
	close(fd);
	cbench_buf__free(&b);
}

static bool digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The body as posted: the marker first when the file lacks it (so it is
 * found next time), cut at GitHub's limit with a note that points to the
 * workflow run. NULL when out of memory. */
static char *body_of(const char *text, bool marker, bool *cut)
{
	struct cbench_buf b = CBENCH_BUF_INIT(CBENCH_GITHUB_BODY_MAX + 1);
	struct cbench_buf note = CBENCH_BUF_INIT(1024);
	const char *server = getenv("GITHUB_SERVER_URL"), *repo = getenv("GITHUB_REPOSITORY");
	const char *run = getenv("GITHUB_RUN_ID");
	size_t max = CBENCH_GITHUB_BODY_MAX;
	char *out;

	if (marker && !strstr(text, CBENCH_MARKDOWN_MARKER)) {
		cbench_buf__adds(&b, CBENCH_MARKDOWN_MARKER "\n");
		max -= strlen(CBENCH_MARKDOWN_MARKER) + 1;
	}
	cbench_buf__adds(&note, "> \xE2\x9C\x82\xEF\xB8\x8F Cut at GitHub's 65,536-character "
	                 "limit. The full report is in the workflow run's summary and its "
	                 "`performance-report` artifact");
	if (server && (strncmp(server, "https://", 8) == 0 || strncmp(server, "http://", 7) == 0) &&
	    !strpbrk(server, " ()<>[]\"'") && repo && !strpbrk(repo, " ()<>[]\"'") && digits(run))
		cbench_buf__addf(&note, ": [run %s](%s/%s/actions/runs/%s)", run, server, repo, run);
	cbench_buf__adds(&note, ".\n");
	*cut = cbench_github__fit(&b, text, strlen(text), max, cbench_buf__str(&note));
	cbench_buf__free(&note);
	out = cbench_buf__take(&b, NULL);
	return out;
}

static int not_posted(const char *what, const struct cbench_error *err)
{
	if (err->code == CBENCH_EFORBIDDEN_GITHUB)
		fprintf(stderr, "cbench github: warning: %s not posted: %s\n", what, err->text);
	else
		fprintf(stderr, "cbench github: error: %s not posted: %s\n", what, err->text);
	return CBENCH_EXIT_FAILED;
}

static int comment(struct cbench_github *gh, const struct args *a, const char *text,
                   const struct cbench_github_event *event)
{
	struct cbench_error err = { 0, "" };
	long long pr = a->pr ? a->pr : event->pr, id;
	bool created, cut;
	char *body;
	int rc;

	if (pr <= 0)
		return fail_usage("comment: no pull request number: give --pr N, or an event "
		                  "file of a pull request (--event, GITHUB_EVENT_PATH)");
	step_summary(text);
	if (!(body = body_of(text, true, &cut)))
		return fail_usage("out of memory");
	if (cut)
		fprintf(stderr, "cbench github: the report is over 65,536 characters: posting it "
		        "cut, the full report is in the step summary\n");
	rc = cbench_github__comment_upsert(gh, pr, CBENCH_MARKDOWN_MARKER, body, &id,
	                                   &created, &err);
	free(body);
	if (rc != 0)
		return not_posted("comment", &err);
	printf("cbench github: %s comment %lld on pull request #%lld\n",
	       created ? "created" : "updated", id, pr);
	return CBENCH_EXIT_OK;
}

static int issue(struct cbench_github *gh, const struct args *a, const char *text)
{
	struct cbench_error err = { 0, "" };
	bool clean = !strstr(text, CBENCH_MARKDOWN_REGRESSED), created, cut;
	long long number;
	char *body;
	int rc;

	step_summary(text);
	if (clean) {
		if (!a->close_if_clean) {
			printf("cbench github: no regression: no issue filed\n");
			return CBENCH_EXIT_OK;
		}
		rc = cbench_github__issue_close(gh, a->title, a->label,
		                                "\xE2\x9C\x85 A later run has no regression: "
		                                "closing. (cbench)", &number, &err);
		if (rc != 0)
			return not_posted("issue", &err);
		if (number)
			printf("cbench github: no regression: closed issue #%lld\n", number);
		else
			printf("cbench github: no regression, and no open issue to close\n");
		return CBENCH_EXIT_OK;
	}
	if (!(body = body_of(text, false, &cut)))
		return fail_usage("out of memory");
	rc = cbench_github__issue_upsert(gh, a->title, a->label, body, &number, &created, &err);
	free(body);
	if (rc != 0)
		return not_posted("issue", &err);
	printf("cbench github: %s issue #%lld\n", created ? "opened" : "updated", number);
	return CBENCH_EXIT_OK;
}

static int check(struct cbench_github *gh, const struct args *a, const char *text,
                 const struct cbench_github_event *event)
{
	struct cbench_error err = { 0, "" };
	const char *sha = a->sha ? a->sha : (event->head_sha[0] ? event->head_sha : NULL);
	bool failure = strcmp(a->conclusion, "failure") == 0, cut;
	long long id;
	char *body;
	int rc;

	if (!sha)
		sha = getenv("GITHUB_SHA");
	if (!sha || !*sha)
		return fail_usage("check: no commit: give --sha, an event file of a pull request, "
		                  "or GITHUB_SHA");
	if (!(body = body_of(text, false, &cut)))
		return fail_usage("out of memory");
	rc = cbench_github__check_create(gh, a->name, sha, a->conclusion,
	                                 failure ? "Performance regressions detected" :
	                                 "No performance regressions", body, &id, &err);
	free(body);
	if (rc != 0)
		return not_posted("check run", &err);
	printf("cbench github: check run %lld (%s) on %.40s\n", id, a->conclusion, sha);
	return CBENCH_EXIT_OK;
}

int cbench_tool_github(int argc, char **argv)
{
	struct args a = { 0 };
	struct cbench_github_config cfg = { 0 };
	struct cbench_error err = { 0, "" };
	struct cbench_github *gh = NULL;
	struct cbench_github_event event;
	char *text = NULL;
	int rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return CBENCH_EXIT_OK;
	}
	if (argc < 2 || (strcmp(argv[1], "comment") != 0 && strcmp(argv[1], "issue") != 0 &&
	                 strcmp(argv[1], "check") != 0)) {
		fprintf(stderr, "cbench github: error: %s%s%s\n",
		        argc < 2 ? "give comment, issue or check" : "unknown command '",
		        argc < 2 ? "" : argv[1], argc < 2 ? "" : "'");
		usage(stderr);
		return CBENCH_EXIT_USAGE;
	}
	a.cmd = argv[1];
	rc = parse(&a, argc - 1, argv + 1);
	if (rc != 0)
		return rc < 0 ? CBENCH_EXIT_OK : rc;
	if (env_seconds("CBENCH_GITHUB_TIMEOUT", &cfg.timeout) ||
	    env_seconds("CBENCH_GITHUB_BACKOFF", &cfg.backoff) ||
	    env_seconds("CBENCH_GITHUB_MAX_WAIT", &cfg.max_wait))
		return CBENCH_EXIT_USAGE;
	cfg.token = getenv("GITHUB_TOKEN");
	cfg.repository = getenv("GITHUB_REPOSITORY");
	cfg.api_url = getenv("GITHUB_API_URL");
	if (!(text = read_report(a.file)))
		return CBENCH_EXIT_USAGE;
	if (load_event(&a, &event) != 0) {
		rc = CBENCH_EXIT_USAGE;
		goto out;
	}
	if (a.expect && strcmp(event.head_sha, a.expect) != 0) {
		fprintf(stderr, "cbench github: error: the event's pull request head is %.40s, "
		        "not --expect-sha %.40s: not posted\n",
		        event.head_sha[0] ? event.head_sha : "missing", a.expect);
		rc = CBENCH_EXIT_USAGE;
		goto out;
	}
	if (cbench_github__new(&gh, &cfg, &err) != 0) {
		fprintf(stderr, "cbench github: error: %s\n", err.text);
		rc = err.code == CBENCH_EUSAGE ? CBENCH_EXIT_USAGE : CBENCH_EXIT_FAILED;
		goto out;
	}
	if (strcmp(a.cmd, "comment") == 0)
		rc = comment(gh, &a, text, &event);
	else if (strcmp(a.cmd, "issue") == 0)
		rc = issue(gh, &a, text);
	else
		rc = check(gh, &a, text, &event);
out:
	cbench_github__free(gh);
	free(text);
	return rc;
}
