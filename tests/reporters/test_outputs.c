/*
 * Every output of one real run at once: the runner's --markdown, --junit
 * and --gbench-json files, the JUnit one validated against Jenkins' schema,
 * and `cbench report` rendering the same files again from the JSON.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static const char *schemas(void)
{
	const char *dir = getenv("CBENCH_SCHEMAS");

	return dir && *dir ? dir : "../shared/schemas";
}

static void same_file(const char *a, const char *b)
{
	char *x = support_slurp(a), *y = support_slurp(b);

	cr_assert_not_null(x);
	cr_assert_not_null(y);
	cr_assert_str_eq(x, y, "%s and %s differ", a, b);
	free(x);
	free(y);
}

Test(outputs, runner_and_report_write_the_same_files, .timeout = 60)
{
	char *dir = support_tmpdir();
	char *json = support_path(dir, "r.json"), *md = support_path(dir, "r.md");
	char *xml = support_path(dir, "r.xml"), *gb = support_path(dir, "r.gbench.json");
	char *md2 = support_path(dir, "again.md"), *xml2 = support_path(dir, "again.xml");
	char *gb2 = support_path(dir, "again.gbench.json"), *base = support_path(dir, "b.json");
	char *xsd, *text;
	char *run[] = { (char *)support_program("fixture_bench"), "-k",
	                "ok or bad.skipped or bad.segfault or gate.target", "--platform", "Box",
	                "--baselines", base, "--json", json, "--markdown", md, "--junit", xml,
	                "--gbench-json", gb, NULL };
	FILE *f = fopen(base, "w");

	fputs("{\"Box\": {\"ok.fast\": 1e-15, \"hit_rate\": 0.5}}", f);
	fclose(f);
	cr_assert_eq(support_run(run, NULL, NULL), 1);
	text = support_slurp(md);
	cr_assert(strncmp(text, "<!-- cbench-report -->\n", 23) == 0);
	cr_assert(strstr(text, "**Platform**: `Box`") != NULL);
	cr_assert(strstr(text, "### ❌ Regressions Detected") != NULL, "%s", text);
	cr_assert(strstr(text, "ok.fast") != NULL);
	free(text);
	if (!support_exists(schemas()) || !support_exists("/usr/bin/xmllint")) {
		cr_log_info("JUnit not validated: %s or /usr/bin/xmllint missing", schemas());
	} else {
		char *argv[] = { "/usr/bin/xmllint", "--noout", "--schema", NULL, xml, NULL };

		xsd = support_path(schemas(), "junit-10.xsd");
		argv[3] = xsd;
		cr_assert_eq(support_run(argv, NULL, NULL), 0, "%s is not valid JUnit", xml);
		free(xsd);
	}
	{
		const char *formats[] = { "markdown", "junit", "gbench" };
		char *outs[] = { md2, xml2, gb2 };

		for (size_t i = 0; i < 3; i++) {
			char *argv[] = { (char *)support_program("../cbench"), "report", "--from", json,
			                 "--format", (char *)formats[i], "--output", outs[i], NULL };

			cr_assert_eq(support_run(argv, NULL, NULL), 0, "report --format %s", formats[i]);
		}
	}
	same_file(md, md2);
	same_file(xml, xml2);
	same_file(gb, gb2);
	free(json);
	free(md);
	free(xml);
	free(gb);
	free(md2);
	free(xml2);
	free(gb2);
	free(base);
	support_rmdir(dir);
}
