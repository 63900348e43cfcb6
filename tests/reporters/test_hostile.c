/*
 * Hostile text end to end: tests/programs/hostile_bench (markup, </script>,
 * <!--, ]]>, terminal escape sequences, invalid UTF-8, a 10,000-character
 * metric name, spreadsheet formulas) through the runner's console and
 * every file it writes, `cbench report --from` in every format, `cbench
 * history import` and `export --format csv`, and `cbench dashboard`. Every
 * output must stay valid for its format, with the text escaped.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/buf.h"
#include "chromium.h"
#include "support.h"

#define MARKUP "<b>&amp;\"'</b>|`x`]]><!--</script><script>alert(1)</script>"
#define PLATFORM "P</script>|\x1b[31mx"
#define XMLLINT "/usr/bin/xmllint"

static const char *const formats[][2] = {
	{ "markdown", "again.md" }, { "junit", "again.xml" }, { "json", "again.json" },
	{ "gbench", "again.gbench.json" }, { "html", "again.html" }, { "console", "again.txt" },
};

static void run_ok(char *const argv[], const char *out, const char *err, int want)
{
	int rc = support_run(argv, out, err);
	char *msg = err ? support_slurp(err) : NULL;

	cr_assert_eq(rc, want, "%s %s: exit %d: %s", argv[0], argv[1], rc, msg ? msg : "");
	free(msg);
}

/* Everything in dir: the runner's outputs, the reports rendered again,
 * the history (recorded and imported) as CSV, and with `dashboard` the
 * dashboard. */
static void produce(const char *dir, bool dashboard)
{
	char *p[16];
	const char *names[] = { "b.json", "r.json", "r.md", "r.xml", "r.gbench.json",
	                        "rec.sqlite", "imp.sqlite", "console.out", "console.err",
	                        "rec.csv", "imp.csv", "dashboard.html", "report.err" };
	FILE *f;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		p[i] = support_path(dir, names[i]);
	f = fopen(p[0], "w");
	cr_assert_not_null(f);
	fputs("{}\n", f);
	fclose(f);
	{
		char *argv[] = { (char *)support_program("hostile_bench"), "--platform", PLATFORM,
		                 "--baselines", p[0], "--json", p[1], "--markdown", p[2], "--junit",
		                 p[3], "--gbench-json", p[4], "--record", "--db", p[5], NULL };

		/* 1: hostile.failed failed */
		run_ok(argv, p[7], p[8], 1);
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *out = support_path(dir, formats[i][1]);
		char *argv[] = { (char *)support_program("../cbench"), "report", "--from", p[1],
		                 "--format", (char *)formats[i][0], "--output", out, NULL };

		run_ok(argv, NULL, p[12], 0);
		free(out);
	}
	{
		char *imp[] = { (char *)support_program("../cbench"), "history", "import", "--db",
		                p[6], p[1], NULL };
		char *rec[] = { (char *)support_program("../cbench"), "history", "export", "--db",
		                p[5], "--format", "csv", "--output", p[9], NULL };
		char *exp[] = { (char *)support_program("../cbench"), "history", "export", "--db",
		                p[6], "--format", "csv", "--output", p[10], NULL };

		run_ok(imp, NULL, p[12], 0);
		run_ok(rec, NULL, p[12], 0);
		run_ok(exp, NULL, p[12], 0);
	}
	if (dashboard) {
		char *argv[] = { (char *)support_program("../cbench"), "dashboard", "--db", p[5],
		                 "--days", "0", "--title", "T " MARKUP, "--output", p[11], NULL };

		run_ok(argv, NULL, p[12], 0);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		free(p[i]);
}

static char *slurp_in(const char *dir, const char *name)
{
	char *path = support_path(dir, name), *text = support_slurp(path);

	cr_assert_not_null(text, "%s was not written", path);
	cr_assert(support_valid_utf8(text), "%s is not UTF-8", path);
	free(path);
	return text;
}

static void check_terminal(const char *dir, const char *name)
{
	char *text = slurp_in(dir, name);
	const char *bad = support_terminal_control(text);

	cr_assert_null(bad, "%s: a control character at byte %td", name, bad - text);
	free(text);
}

static void check_json(const char *dir, const char *name, bool results)
{
	char *path = support_path(dir, name);
	json_t *doc = support_load_json(path);

	/* the hostile id came through as text, not mangled */
	if (results)
		cr_assert_not_null(support_bench(doc, "hostile.metrics[" MARKUP "]"), "%s", name);
	json_decref(doc);
	free(path);
}

static void check_markdown(const char *dir, const char *name)
{
	char *text = slurp_in(dir, name);

	cr_assert(strncmp(text, "<!-- cbench-report -->\n", 23) == 0, "%s", name);
	cr_assert_null(support_terminal_control(text), "%s: a control character", name);
	support_blank_code_spans(text);
	/* outside code spans: the report's own marker is the only comment,
	 * no tag of the names survives */
	cr_assert_eq(support_count(text, "<!--"), 1, "%s: an HTML comment opened", name);
	cr_assert_null(strcasestr(text, "<script"), "%s: raw <script>", name);
	cr_assert_null(strcasestr(text, "</script"), "%s: raw </script>", name);
	cr_assert_null(strstr(text, "<b>"), "%s: raw <b>", name);
	free(text);
}

/* An HTML page: no injected tag, and the JSON inlined in its data
 * <script> still parses (a </script> in the data would have cut it). */
static void check_html(const char *dir, const char *name)
{
	static const char open[] = "<script type=\"application/json\" id=\"cbench-data\">";
	char *text = slurp_in(dir, name), *start, *end;
	json_error_t je;
	json_t *doc;

	cr_assert_null(strcasestr(text, "<script>alert(1)"), "%s: an injected script", name);
	cr_assert_null(strstr(text, "<!--</script>"), "%s: raw hostile text", name);
	cr_assert_null(strstr(text, "\x1b"), "%s: an escape character", name);
	start = strstr(text, open);
	cr_assert_not_null(start, "%s: no data script", name);
	start += strlen(open);
	end = strcasestr(start, "</script");
	cr_assert_not_null(end);
	doc = json_loadb(start, (size_t)(end - start), 0, &je);
	cr_assert_not_null(doc, "%s: the inlined JSON does not parse: %s", name, je.text);
	json_decref(doc);
	free(text);
}

/* RFC 4180 read strictly: every record has the header's field count; no
 * text field a spreadsheet would run as a formula. Returns the fields of
 * all records joined by \n, for searching. */
static char *check_csv(const char *dir, const char *name)
{
	char *text = slurp_in(dir, name), *p = text;
	struct cbench_buf all = CBENCH_BUF_INIT(1 << 26), field = CBENCH_BUF_INIT(1 << 20);
	size_t want = 0, n = 0, records = 0;

	while (*p) {
		bool quoted = *p == '"';

		cbench_buf__free(&field);
		if (quoted) {
			for (p++;; p++) {
				cr_assert(*p, "%s: unterminated quoted field", name);
				if (*p == '"' && p[1] == '"')
					cbench_buf__add(&field, p++, 1);
				else if (*p == '"')
					break;
				else
					cbench_buf__add(&field, p, 1);
			}
			p++;
		} else {
			size_t len = strcspn(p, ",\r\n\"");

			cr_assert_neq(p[len], '"', "%s: a quote inside an unquoted field", name);
			cbench_buf__add(&field, p, len);
			p += len;
		}
		{
			const char *s = cbench_buf__str(&field);
			char *num_end;

			if (*s && strchr("=+-@\t\r", *s)) {
				strtod(s, &num_end);
				cr_assert_eq(*num_end, '\0', "%s: a formula field: %s", name, s);
			}
			cbench_buf__adds(&all, s);
			cbench_buf__adds(&all, "\n");
		}
		n++;
		if (*p == ',') {
			p++;
		} else {
			cr_assert(strncmp(p, "\r\n", 2) == 0, "%s: a field ends in %.10s", name, p);
			p += 2;
			if (records++ == 0)
				want = n;
			cr_assert_eq(n, want, "%s: record %zu has %zu fields, not %zu", name, records,
			             n, want);
			n = 0;
		}
	}
	cr_assert_gt(records, 10, "%s", name);
	cbench_buf__free(&field);
	free(text);
	return cbench_buf__take(&all, NULL);
}

Test(hostile, every_output_stays_valid_and_escaped, .timeout = 180)
{
	char *dir = support_tmpdir(), *csv;

	produce(dir, false);
	check_terminal(dir, "console.out");
	check_terminal(dir, "console.err");
	check_terminal(dir, "again.txt");
	check_json(dir, "r.json", true);
	check_json(dir, "again.json", true);
	check_json(dir, "r.gbench.json", false);
	check_json(dir, "again.gbench.json", false);
	check_markdown(dir, "r.md");
	check_markdown(dir, "again.md");
	check_html(dir, "again.html");
	for (int i = 0; i < 2; i++) {
		csv = check_csv(dir, i ? "imp.csv" : "rec.csv");
		/* the text is there, quoted, not lost */
		cr_assert_not_null(strstr(csv, "\nm " MARKUP "[" MARKUP "]\n"), "%.3000s", csv);
		cr_assert_not_null(strstr(csv, "\n'=HYPERLINK(\"http://x\")[" MARKUP "]\n"));
		free(csv);
	}
	support_rmdir(dir);
}

Test(hostile, xml_and_html_parse, .timeout = 180)
{
	char *dir;

	if (access(XMLLINT, X_OK) != 0)
		cr_skip_test("no " XMLLINT " (package libxml2-utils)");
	dir = support_tmpdir();
	produce(dir, false);
	{
		char *xml = support_path(dir, "r.xml"), *again = support_path(dir, "again.xml");
		char *xsd = support_path(support_schemas(), "junit-10.xsd");

		support_xmllint(dir, xml, NULL);
		support_xmllint(dir, again, NULL);
		/* Jenkins' schema, where ../shared/schemas is there */
		if (support_exists(xsd))
			support_xmllint(dir, xml, "junit-10.xsd");
		free(xml);
		free(again);
		free(xsd);
	}
	{
		char *page = support_path(dir, "again.html"), *log = support_path(dir, "html.log");
		char *argv[] = { XMLLINT, "--html", "--noout", page, NULL };
		char *msg;

		cr_expect_eq(support_run(argv, NULL, log), 0);
		msg = support_slurp(log);
		/* libxml2's HTML parser knows HTML 4 only: its complaints about
		 * HTML5 tags are not ours; a parse error is */
		cr_expect_null(strstr(msg, "parser error"), "%s", msg);
		free(msg);
		free(page);
		free(log);
	}
	support_rmdir(dir);
}

/* Whether the dashboard's charting library is installed. */
static bool have_dygraphs(void)
{
	const char *dir = getenv("CBENCH_DYGRAPHS_DIR");
	char *js = support_path(dir ? dir : "/usr/share/javascript/dygraphs", "dygraph.js");
	bool yes = support_exists(js);

	free(js);
	return yes;
}

Test(hostile, dashboard_keeps_its_script_closed, .timeout = 180)
{
	char *dir;

	if (!have_dygraphs())
		cr_skip_test("no dygraphs (package libjs-dygraphs)");
	dir = support_tmpdir();
	produce(dir, true);
	check_html(dir, "dashboard.html");
	support_rmdir(dir);
}

/* The pages in a browser: their own scripts run to the end (the self-check
 * line) with no error, and no injected script became an element. */
Test(hostile, chromium_runs_no_injected_script, .timeout = 240)
{
	const char *pages[] = { "again.html", "dashboard.html" };
	char *dir;

	support_need_chromium();
	if (!have_dygraphs())
		cr_skip_test("no dygraphs (package libjs-dygraphs)");
	dir = support_tmpdir();
	produce(dir, true);
	for (size_t i = 0; i < 2; i++) {
		char *page = support_path(dir, pages[i]), *dom = NULL;
		char *line = support_chromium_selfcheck(page, &dom);

		cr_expect_not_null(strstr(line, "errors=0"), "%s: %s", pages[i], line);
		cr_expect_null(strstr(dom, "<script>alert(1)</script>"), "%s", pages[i]);
		free(line);
		free(dom);
		free(page);
	}
	support_rmdir(dir);
}
