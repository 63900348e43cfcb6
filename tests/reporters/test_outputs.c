/*
 * Every output of one real run at once: the runner's --markdown, --junit
 * and --gbench-json files, the JUnit one validated against Jenkins' schema,
 * and `cbench report` rendering the same files again from the JSON.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void same_file(const char *a, const char *b)
{
	char *x = support_slurp(a), *y = support_slurp(b);

	cr_assert_not_null(x);
	cr_assert_not_null(y);
	cr_assert_str_eq(x, y, "%s and %s differ", a, b);
	free(x);
	free(y);
}

/* The runner's --json, --markdown, --junit and --gbench-json files of one
 * run of fixture_bench, in dir; returns the paths (caller frees). */
struct outputs {
	char *json, *md, *xml, *gb;
};

static struct outputs run_once(const char *dir)
{
	struct outputs o = { support_path(dir, "r.json"), support_path(dir, "r.md"),
	                     support_path(dir, "r.xml"), support_path(dir, "r.gbench.json") };
	char *base = support_path(dir, "b.json");
	char *run[] = { (char *)support_program("fixture_bench"), "-k",
	                "ok or bad.skipped or bad.segfault or gate.target", "--platform", "Box",
	                "--baselines", base, "--json", o.json, "--markdown", o.md, "--junit",
	                o.xml, "--gbench-json", o.gb, NULL };
	FILE *f = fopen(base, "w");

	fputs("{\"Box\": {\"ok.fast\": 1e-15, \"hit_rate\": 0.5}}", f);
	fclose(f);
	cr_assert_eq(support_run(run, NULL, NULL), 1);
	free(base);
	return o;
}

static void outputs_free(struct outputs *o)
{
	free(o->json);
	free(o->md);
	free(o->xml);
	free(o->gb);
}

Test(outputs, runner_and_report_write_the_same_files, .timeout = 60)
{
	char *dir = support_tmpdir();
	char *md2 = support_path(dir, "again.md"), *xml2 = support_path(dir, "again.xml");
	char *gb2 = support_path(dir, "again.gbench.json"), *text;
	struct outputs o = run_once(dir);

	text = support_slurp(o.md);
	cr_assert(strncmp(text, "<!-- cbench-report -->\n", 23) == 0);
	cr_assert(strstr(text, "**Platform**: `Box`") != NULL);
	cr_assert(strstr(text, "### ❌ Regressions Detected") != NULL, "%s", text);
	cr_assert(strstr(text, "ok.fast") != NULL);
	free(text);
	{
		const char *formats[] = { "markdown", "junit", "gbench" };
		char *outs[] = { md2, xml2, gb2 };

		for (size_t i = 0; i < 3; i++) {
			char *argv[] = { (char *)support_program("../cbench"), "report", "--from",
			                 o.json, "--format", (char *)formats[i], "--output", outs[i],
			                 NULL };

			cr_assert_eq(support_run(argv, NULL, NULL), 0, "report --format %s", formats[i]);
		}
	}
	same_file(o.md, md2);
	same_file(o.xml, xml2);
	same_file(o.gb, gb2);
	outputs_free(&o);
	free(md2);
	free(xml2);
	free(gb2);
	support_rmdir(dir);
}

Test(outputs, runner_junit_is_valid_against_jenkins_schema, .timeout = 60)
{
	char *dir;
	struct outputs o;

	support_need_junit_schemas();
	dir = support_tmpdir();
	o = run_once(dir);
	support_xmllint(dir, o.xml, "junit-10.xsd");
	outputs_free(&o);
	support_rmdir(dir);
}
