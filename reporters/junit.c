/*
 * --junit FILE: JUnit XML, for Jenkins, GitLab and the GitHub test-report
 * actions. One <testsuite> per suite, one <testcase> per benchmark; a
 * confirmed regression, a missed target and a failed benchmark are
 * <failure>s, a crash or timeout an <error>, a skip <skipped>. Written at
 * finish.
 *
 * The file satisfies both schemas in ../shared/schemas: Jenkins' xunit
 * junit-10.xsd and the stricter Ant one. Ant's decides the shape: a
 * <testsuites> root without attributes (Ant allows none; the totals are on
 * each suite), on each <testsuite> the attributes id, package, hostname and
 * a timestamp without zone, then exactly <properties>, the test cases,
 * <system-out> and <system-err>, in that order; at most one child per
 * <testcase>, so the metric lines go to the suite's <system-out>; and
 * <skipped> carries no type.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "reporters/document.h"
#include "cbench/reporter.h"
#include "reporters/units.h"
#include "base/error.h"
#include "reporters/escape.h"
#include "base/fileio.h"

#define XML_MAX ((size_t)512 << 20)

enum outcome {
	OUTCOME_PASSED,
	OUTCOME_FAILED,      /* <failure type="failed"> */
	OUTCOME_REGRESSION,  /* <failure type="regression"> */
	OUTCOME_TARGET,      /* <failure type="target"> */
	OUTCOME_ERROR,       /* <error> */
	OUTCOME_SKIPPED      /* <skipped> */
};

static enum outcome outcome(const struct cbench_result *res)
{
	bool target = res->status == CBENCH_STATUS_TARGET;

	switch (res->status) {
	case CBENCH_STATUS_FAILED: return OUTCOME_FAILED;
	case CBENCH_STATUS_ERROR: return OUTCOME_ERROR;
	case CBENCH_STATUS_SKIPPED: return OUTCOME_SKIPPED;
	case CBENCH_STATUS_PASSED:
	case CBENCH_STATUS_TARGET:
		break;
	}
	for (size_t i = 0; i < res->nmetrics; i++) {
		if (res->metrics[i].cmp.verdict == CBENCH_VERDICT_REGRESSION)
			return OUTCOME_REGRESSION;
		target = target || res->metrics[i].target.missed;
	}
	return target ? OUTCOME_TARGET : OUTCOME_PASSED;
}

/* The time a test case measured: rounds x batch x the median per call, or
 * the benchmark's wall time when it has no timing. */
static double case_time(const struct cbench_result *res)
{
	double t = res->wall_time;

	if (res->nmetrics > 0 && res->metrics[0].timing)
		t = res->metrics[0].stats.median * (double)res->metrics[0].stats.n *
		    (double)res->batch;
	return isfinite(t) && t > 0 ? t : 0;
}

/* Seconds with 3 decimals: Jenkins' schema allows no more. */
static void seconds(struct cbench_buf *b, double t)
{
	cbench_buf__addf(b, "%.3f", isfinite(t) && t > 0 ? t : 0.0);
}

/* A value in human units, for messages. */
static void value(struct cbench_buf *b, const char *unit, double v)
{
	char num[64];

	if (!isfinite(v)) {
		cbench_buf__adds(b, "n/a");
	} else if (cbench_units__value(num, sizeof(num), unit, v)) {
		cbench_buf__adds(b, num);
		cbench_buf__adds(b, " ");
		cbench_buf__adds(b, unit);
	} else {
		cbench_buf__adds(b, num);
	}
}

static void change(struct cbench_buf *b, double c)
{
	if (isfinite(c))
		cbench_buf__addf(b, "%+.1f%%", c * 100);
	else
		cbench_buf__adds(b, "new");
}

/*
 * The failure text for a regression or a missed target, built raw (escaped
 * when written): one line per metric at fault, or only the first clause of
 * each when `brief` (the message attribute).
 */
static void fault_text(struct cbench_buf *b, const struct cbench_result *res, bool brief)
{
	bool first = true;

	for (size_t i = 0; i < res->nmetrics; i++) {
		const struct cbench_metric *m = &res->metrics[i];

		if (m->cmp.verdict == CBENCH_VERDICT_REGRESSION) {
			cbench_buf__adds(b, first ? "" : brief ? "; " : "\n");
			cbench_buf__addf(b, "%s: ", m->name);
			value(b, m->unit, m->cmp.current);
			cbench_buf__adds(b, " vs baseline ");
			value(b, m->unit, m->cmp.baseline);
			cbench_buf__adds(b, " (");
			change(b, m->cmp.change);
			cbench_buf__addf(b, ", threshold %.3g%%)", m->cmp.threshold * 100);
			if (!brief && m->cmp.nconfirm > 0) {
				cbench_buf__addf(b, ", confirmed by %zu re-run%s", m->cmp.nconfirm,
				                 m->cmp.nconfirm == 1 ? "" : "s");
				for (size_t k = 0; m->cmp.confirm && k < m->cmp.nconfirm; k++) {
					cbench_buf__adds(b, k ? ", " : ": ");
					value(b, m->unit, m->cmp.confirm[k]);
				}
			}
			if (!brief) {
				char why[640];

				cbench_units__evidence(why, sizeof(why), &m->cmp, m->unit);
				if (why[0])
					cbench_buf__addf(b, "; %s", why);
			}
			first = false;
		}
		if (m->target.missed) {
			cbench_buf__adds(b, first ? "" : brief ? "; " : "\n");
			cbench_buf__addf(b, "%s: %s ", m->name, m->target.stat ? m->target.stat : "");
			value(b, m->unit, m->target.actual);
			cbench_buf__addf(b, ", target %s ",
			                 m->direction == CBENCH_HIGHER_IS_BETTER ? "at least" : "at most");
			value(b, m->unit, m->target.limit);
			if (isfinite(m->target.ratio))
				cbench_buf__addf(b, " (%.2fx the target)", m->target.ratio);
			first = false;
		}
	}
}

/* <tag message="brief" type="type">text</tag> */
static void fault(struct cbench_buf *b, const char *tag, const char *type,
                  const char *message, const char *text)
{
	cbench_buf__addf(b, "      <%s message=\"", tag);
	cbench_escape__xml_attr(b, message ? message : "");
	cbench_buf__adds(b, "\"");
	if (type)
		cbench_buf__addf(b, " type=\"%s\"", type);
	if (text && text[0]) {
		cbench_buf__adds(b, ">");
		cbench_escape__xml(b, text);
		cbench_buf__addf(b, "</%s>\n", tag);
	} else {
		cbench_buf__adds(b, "/>\n");
	}
}

static int testcase(struct cbench_buf *b, const struct cbench_result *res)
{
	struct cbench_buf brief = CBENCH_BUF_INIT(XML_MAX), full = CBENCH_BUF_INIT(XML_MAX);
	enum outcome o = outcome(res);
	int rc = 0;

	cbench_buf__adds(b, "    <testcase classname=\"");
	cbench_escape__xml_attr(b, res->suite ? res->suite : "");
	cbench_buf__adds(b, "\" name=\"");
	cbench_escape__xml_attr(b, res->name ? res->name : res->id);
	if (res->param) {
		cbench_buf__adds(b, "[");
		cbench_escape__xml_attr(b, res->param);
		cbench_buf__adds(b, "]");
	}
	cbench_buf__adds(b, "\" time=\"");
	seconds(b, case_time(res));
	cbench_buf__adds(b, "\"");
	switch (o) {
	case OUTCOME_PASSED:
		cbench_buf__adds(b, "/>\n");
		return 0;
	case OUTCOME_FAILED:
		cbench_buf__adds(b, ">\n");
		fault(b, "failure", "failed", res->message, res->message);
		break;
	case OUTCOME_ERROR:
		cbench_buf__adds(b, ">\n");
		fault(b, "error", "error", res->message, res->message);
		break;
	case OUTCOME_SKIPPED:
		cbench_buf__adds(b, ">\n");
		/* Ant's schema allows no type on <skipped>. */
		fault(b, "skipped", NULL, res->message, NULL);
		break;
	case OUTCOME_REGRESSION:
	case OUTCOME_TARGET:
		cbench_buf__adds(b, ">\n");
		fault_text(&brief, res, true);
		fault_text(&full, res, false);
		if (brief.failed || full.failed)
			rc = CBENCH_ENOMEM;
		fault(b, "failure", o == OUTCOME_REGRESSION ? "regression" : "target",
		      cbench_buf__str(&brief), cbench_buf__str(&full));
		cbench_buf__free(&brief);
		cbench_buf__free(&full);
		break;
	}
	cbench_buf__adds(b, "    </testcase>\n");
	return rc;
}

static void property(struct cbench_buf *b, const char *name, const char *value_)
{
	cbench_buf__adds(b, "      <property name=\"");
	cbench_escape__xml_attr(b, name);
	cbench_buf__adds(b, "\" value=\"");
	cbench_escape__xml_attr(b, value_ ? value_ : "");
	cbench_buf__adds(b, "\"/>\n");
}

static void properties(struct cbench_buf *b, const struct cbench_run *run,
                       const struct cbench_result *res, size_t n)
{
	const struct cbench_git *g = &run->git;
	char num[64];

	cbench_buf__adds(b, "    <properties>\n");
	property(b, "platform", run->platform.id);
	if (g->present) {
		property(b, "commit", g->commit);
		property(b, "branch", g->branch);
		property(b, "dirty", g->dirty ? "true" : "false");
	}
	property(b, "cbench.version", run->cbench_version);
	property(b, "mode", run->mode);
	snprintf(num, sizeof(num), "%.6g", run->threshold);
	property(b, "threshold", num);
	property(b, "compare_stat", run->compare_stat);
	if (run->baselines)
		property(b, "baselines", run->baselines);
	if (run->baseline_note)
		property(b, "baseline_note", run->baseline_note);
	/* metric.<name> = "<median> <unit>", numbers exact enough to re-read. */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < res[i].nmetrics; k++) {
			const struct cbench_metric *m = &res[i].metrics[k];

			cbench_buf__adds(b, "      <property name=\"metric.");
			cbench_escape__xml_attr(b, m->name);
			cbench_buf__addf(b, "\" value=\"%.9g", isfinite(m->value) ? m->value : 0.0);
			if (m->unit && m->unit[0]) {
				cbench_buf__adds(b, " ");
				cbench_escape__xml_attr(b, m->unit);
			}
			cbench_buf__adds(b, "\"/>\n");
		}
	}
	cbench_buf__adds(b, "    </properties>\n");
}

/* The metric lines of a suite, raw (escaped when written). */
static void metric_lines(struct cbench_buf *b, const struct cbench_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cbench_result *r = &res[i];

		if (r->status != CBENCH_STATUS_PASSED && r->status != CBENCH_STATUS_TARGET)
			cbench_buf__addf(b, "%s: %s%s%s\n", r->id, cbench_status_name(r->status),
			                 r->message ? ": " : "", r->message ? r->message : "");
		for (size_t k = 0; k < r->nmetrics; k++) {
			const struct cbench_metric *m = &r->metrics[k];

			cbench_buf__addf(b, "%s: %s = ", r->id, m->name);
			value(b, m->unit, m->value);
			cbench_buf__addf(b, " (median of %zu, 95%% CI ", m->stats.n);
			value(b, m->unit, m->stats.ci_low);
			cbench_buf__adds(b, " to ");
			value(b, m->unit, m->stats.ci_high);
			cbench_buf__addf(b, "; %s", cbench_verdict_name(m->cmp.verdict));
			if (isfinite(m->cmp.baseline)) {
				cbench_buf__adds(b, " ");
				change(b, m->cmp.change);
				cbench_buf__adds(b, " vs ");
				value(b, m->unit, m->cmp.baseline);
			}
			cbench_buf__adds(b, ")\n");
		}
	}
}

/* A name Ant accepts (a token of at least one character). */
static const char *nonblank(const char *s, const char *otherwise)
{
	for (const char *p = s; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return s;
	return otherwise;
}

/* started_at without its zone: Ant's timestamp is an xs:dateTime matching
 * YYYY-MM-DDTHH:MM:SS exactly. */
static void timestamp(char out[20], const char *iso)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";

	for (size_t i = 0; i < 19; i++) {
		char c = iso[i], want = shape[i];

		if (want == 'd' ? (c < '0' || c > '9') : c != want) {
			memcpy(out, "1970-01-01T00:00:00", 20);
			return;
		}
		out[i] = c;
	}
	out[19] = '\0';
}

static int testsuite(struct cbench_buf *b, const struct cbench_run *run,
                     const struct cbench_result *res, size_t n, size_t id)
{
	struct cbench_buf out = CBENCH_BUF_INIT(XML_MAX);
	size_t counts[OUTCOME_SKIPPED + 1] = { 0 };
	const char *name = nonblank(res[0].suite, "cbench");
	char when[20];
	double time = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		counts[outcome(&res[i])]++;
		time += case_time(&res[i]);
	}
	timestamp(when, run->started_at);
	cbench_buf__adds(b, "  <testsuite name=\"");
	cbench_escape__xml_attr(b, name);
	cbench_buf__addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"",
	                 n, counts[OUTCOME_FAILED] + counts[OUTCOME_REGRESSION] +
	                 counts[OUTCOME_TARGET], counts[OUTCOME_ERROR], counts[OUTCOME_SKIPPED]);
	seconds(b, time);
	cbench_buf__addf(b, "\" timestamp=\"%s\" hostname=\"", when);
	cbench_escape__xml_attr(b, nonblank(run->platform.hostname, "localhost"));
	cbench_buf__addf(b, "\" id=\"%zu\" package=\"", id);
	cbench_escape__xml_attr(b, name);
	cbench_buf__adds(b, "\">\n");
	properties(b, run, res, n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = testcase(b, &res[i]);
	metric_lines(&out, res, n);
	if (out.failed)
		rc = CBENCH_ENOMEM;
	cbench_buf__adds(b, "    <system-out>");
	cbench_escape__xml(b, cbench_buf__str(&out));
	cbench_buf__adds(b, "</system-out>\n"
	                    "    <system-err></system-err>\n"
	                    "  </testsuite>\n");
	cbench_buf__free(&out);
	return rc;
}

static bool same_suite(const struct cbench_result *a, const struct cbench_result *b)
{
	return strcmp(a->suite ? a->suite : "", b->suite ? b->suite : "") == 0;
}

static int build(struct cbench_buf *b, const struct cbench_run *run)
{
	size_t id = 0;
	int rc = 0;

	cbench_buf__adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
	/* Results come sorted by suite: a suite is a run of equal names. */
	for (size_t i = 0, j; i < run->nresults && rc == 0; i = j) {
		for (j = i + 1; j < run->nresults && same_suite(&run->results[i], &run->results[j]); j++)
			;
		rc = testsuite(b, run, &run->results[i], j - i, id++);
	}
	cbench_buf__adds(b, "</testsuites>\n");
	return b->failed ? CBENCH_ENOMEM : rc;
}

static int open_junit(void **out, const char *path,
                  const struct cbench_report_config *config,
                  struct cbench_error *err)
{
	(void)config;
	return cbench_document__open(out, path, build, XML_MAX, err);
}

const struct cbench_reporter cbench_reporter_junit = {
	CBENCH_REPORTER_VERSION, "junit",
	open_junit, cbench_document__context, cbench_document__result,
	cbench_document__finish, cbench_document__close
};
