/*
 * JUnit XML (--junit): a golden file for the sample run, and the written
 * file validated by xmllint against both published schemas (Jenkins'
 * junit-10.xsd and Ant's), also with hostile names everywhere.
 *
 * The schemas are read from ../shared/schemas (relative to the repository
 * root, where the tests run) or $CBENCH_SCHEMAS; the tests that need them
 * or xmllint are skipped, saying why, where they are absent
 * (support_need_junit_schemas).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "sample_run.h"
#include "support.h"

static char *write_report(const char *dir, const struct cbench_run *run)
{
	char *path = support_path(dir, "report.xml");

	cr_assert_eq(sample_report(&cbench_reporter_junit, run, path), 0);
	return path;
}

Test(junit, golden)
{
	char *dir = support_tmpdir(), *path = write_report(dir, sample_run(SAMPLE_FULL));

	sample_check_golden(path, "report.xml");
	free(path);
	support_rmdir(dir);
}

Test(junit, counts_and_outcomes)
{
	char *dir = support_tmpdir(), *path = write_report(dir, sample_run(SAMPLE_FULL));
	char *xml = support_slurp(path);

	cr_assert_eq(strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", 51), 0);
	cr_assert_not_null(strstr(xml, "<testsuite name=\"search\" tests=\"2\" failures=\"1\" "
	                               "errors=\"0\" skipped=\"0\" time=\"0.205\" "
	                               "timestamp=\"2026-11-24T02:41:45\" hostname=\"runner-1\" "
	                               "id=\"0\" package=\"search\">"));
	cr_assert_not_null(strstr(xml, "<testsuite name=\"sort\" tests=\"6\" failures=\"3\" "
	                               "errors=\"1\" skipped=\"1\""));
	cr_assert_not_null(strstr(xml, "type=\"regression\">sort.qsort: 12.30 ms vs baseline "
	                               "10.00 ms (+23.0%, threshold 20%), confirmed by 2 re-runs"));
	cr_assert_not_null(strstr(xml, "type=\"target\""));
	cr_assert_not_null(strstr(xml, "type=\"failed\""));
	cr_assert_not_null(strstr(xml, "<error message=\"crashed: SIGSEGV (Segmentation fault)\""));
	cr_assert_not_null(strstr(xml, "<skipped message=\"no GPU here\"/>"));
	cr_assert_not_null(strstr(xml, "<testcase classname=\"search\" name=\"flat[10000]\" time=\"0.100\"/>"));
	cr_assert_not_null(strstr(xml, "<property name=\"metric.sort.qsort\" value=\"0.0123 s\"/>"));
	/* an unconfirmed crossing is not a failure */
	cr_assert_not_null(strstr(xml, "<testcase classname=\"sort\" name=\"radix\" time=\"0.500\"/>"));
	free(xml);
	free(path);
	support_rmdir(dir);
}

Test(junit, valid_against_jenkins_schema)
{
	char *dir, *path;

	support_need_junit_schemas();
	dir = support_tmpdir();
	path = write_report(dir, sample_run(SAMPLE_FULL));
	support_xmllint(dir, path, "junit-10.xsd");
	free(path);
	support_rmdir(dir);
}

Test(junit, valid_against_ant_schema)
{
	char *dir, *path;

	support_need_junit_schemas();
	dir = support_tmpdir();
	path = write_report(dir, sample_run(SAMPLE_FULL));
	support_xmllint(dir, path, "junit-ant.xsd");
	free(path);
	support_rmdir(dir);
}

Test(junit, new_run_valid)
{
	char *dir, *path;

	support_need_junit_schemas();
	dir = support_tmpdir();
	path = write_report(dir, sample_run(SAMPLE_NEW));
	support_xmllint(dir, path, "junit-10.xsd");
	support_xmllint(dir, path, "junit-ant.xsd");
	free(path);
	support_rmdir(dir);
}

Test(junit, hostile_names)
{
	char *dir, *path, *xml;

	support_need_junit_schemas();
	dir = support_tmpdir();
	path = write_report(dir, sample_run(SAMPLE_HOSTILE));
	support_xmllint(dir, path, NULL);
	support_xmllint(dir, path, "junit-10.xsd");
	support_xmllint(dir, path, "junit-ant.xsd");
	xml = support_slurp(path);
	cr_assert_null(strstr(xml, "<script"));
	cr_assert_null(strstr(xml, "]]>"));
	/* the 10,000-character name is there whole */
	cr_assert_not_null(strstr(xml, "long|&lt;script&gt;`&amp;_*long"));
	/* a blank-free hostname stays, escaped */
	cr_assert_not_null(strstr(xml, "hostname=\"host&lt;&amp;&gt;&quot;&apos;&#10;\""));
	free(xml);
	free(path);
	support_rmdir(dir);
}

Test(junit, empty_run)
{
	struct cbench_run run;
	char *dir = support_tmpdir(), *path, *xml;

	memset(&run, 0, sizeof(run));
	path = write_report(dir, &run);
	xml = support_slurp(path);
	cr_assert_str_eq(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n</testsuites>\n");
	free(xml);
	free(path);
	support_rmdir(dir);
}
