/*
 * The pull-request comment (--markdown): a golden file for the sample run,
 * the two verdict headings, hostile names that must not break the table or
 * inject HTML, and GitHub's 65,536-character limit.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cbench/reporter.h"
#include "reporters/markdown.h"
#include "sample_run.h"
#include "support.h"

/* The comment for `run`, malloc'd. */
static char *comment(const struct cbench_run *run)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "report.md"), *text;

	cr_assert_eq(sample_report(&cbench_reporter_markdown, run, path), 0);
	text = support_slurp(path);
	cr_assert_not_null(text);
	free(path);
	support_rmdir(dir);
	return text;
}

static size_t count_char(const char *s, size_t len, char c)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* Every line of a table (a line starting with "|") has exactly `pipes`
 * pipe characters and no backtick: no cell was split, no code span began. */
static void check_tables(const char *text)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (line[0] == '|') {
			size_t pipes = count_char(line, len, '|');

			cr_expect(pipes == 6 || pipes == 11, "table row with %zu pipes: %.*s", pipes,
			          (int)(len > 300 ? 300 : len), line);
			cr_expect_eq(count_char(line, len, '`'), 0, "backtick in a row: %.*s",
			             (int)(len > 300 ? 300 : len), line);
		}
		line += len + (end != NULL);
	}
}

Test(markdown, golden)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "report.md");

	cr_assert_eq(sample_report(&cbench_reporter_markdown, sample_run(SAMPLE_FULL), path), 0);
	sample_check_golden(path, "report.md");
	free(path);
	support_rmdir(dir);
}

Test(markdown, marker_first)
{
	char *text = comment(sample_run(SAMPLE_FULL));

	cr_assert_str_eq(CBENCH_MARKDOWN_MARKER, "<!-- cbench-report -->");
	cr_assert_eq(strncmp(text, CBENCH_MARKDOWN_MARKER "\n", strlen(CBENCH_MARKDOWN_MARKER) + 1), 0);
	cr_assert_not_null(strstr(text, "\n## \xF0\x9F\x93\x8A Performance Report\n"));
	cr_assert_not_null(strstr(text, "**Platform**: `GitHub_Actions_Linux`\n"));
	free(text);
}

Test(markdown, regressions_heading)
{
	char *text = comment(sample_run(SAMPLE_FULL));

	cr_assert_not_null(strstr(text, "### \xE2\x9D\x8C Regressions Detected"));
	cr_assert_null(strstr(text, "No Regressions Detected"));
	cr_assert_not_null(strstr(text, "**2 regressions**"));
	cr_assert_not_null(strstr(text, "confirmed by 2 re-runs"));
	cr_assert_not_null(strstr(text, "**1 target missed**"));
	cr_assert_not_null(strstr(text, "**2 benchmarks did not complete**"));
	/* a Change column value in each direction */
	cr_assert_not_null(strstr(text, "| +23.0% |"));
	cr_assert_not_null(strstr(text, "| \xE2\x88\x92" "13.5% |"));
	free(text);
}

Test(markdown, no_regressions_heading)
{
	char *text = comment(sample_run(SAMPLE_CLEAN));

	cr_assert_not_null(strstr(text, "### \xE2\x9C\x85 No Regressions Detected"));
	cr_assert_null(strstr(text, "Regressions Detected\n**"));
	cr_assert_null(strstr(text, "\xE2\x9D\x8C regression"));
	free(text);
}

Test(markdown, no_baseline)
{
	char *text = comment(sample_run(SAMPLE_NEW));

	cr_assert_not_null(strstr(text, "### \xE2\x9C\x85 No Regressions Detected"));
	cr_assert_not_null(strstr(text, "Every metric is new: no baselines file"));
	cr_assert_null(strstr(text, "unchanged"));
	cr_assert_not_null(strstr(text, "\xF0\x9F\x86\x95 new"));
	free(text);
}

Test(markdown, hostile_names)
{
	char *text = comment(sample_run(SAMPLE_HOSTILE));

	cr_assert(support_valid_utf8(text), "the comment is not UTF-8");
	cr_assert_lt(strlen(text), 65536);
	check_tables(text);
	/* the platform id and the branch are each one code span, in which
	 * <script> is text */
	cr_assert_not_null(strstr(text, "**Platform**: ``Plat|`form`<script>\xEF\xBF\xBD``\n"));
	cr_assert_not_null(strstr(text, " on ```feat/``x``|<y>``` (dirty)"));
	/* outside code spans, no markup from the names survives */
	support_blank_code_spans(text);
	cr_assert_null(strstr(text, "<script"), "raw <script> in the comment");
	cr_assert_null(strstr(text, "<b>"), "raw HTML in the comment");
	cr_assert_null(strstr(text, "<y>"), "raw HTML in the comment");
	cr_assert_null(strstr(text, "`"), "a backtick outside the code spans");
	/* a newline in the subject did not start a heading */
	cr_assert_null(strstr(text, "\n## not a heading"));
	free(text);
}

Test(markdown, hostile_summary_shortens_names)
{
	/* The 10,000-character name is in the run; with it the full comment
	 * is too long, so it is summarised, with names shortened. */
	char *text = comment(sample_run(SAMPLE_HOSTILE));

	cr_assert_not_null(strstr(text, "Summarised"));
	cr_assert_null(strstr(text, sample_long_name()));
	free(text);
}

Test(markdown, github_limit)
{
	struct cbench_run *run = sample_big(10000, 10);
	char *text = comment(run);
	const char *table, *first_row, *more;

	cr_assert_lt(strlen(text), 65536, "%zu characters", strlen(text));
	cr_assert_leq(strlen(text), CBENCH_MARKDOWN_BUDGET);
	cr_assert(support_valid_utf8(text));
	check_tables(text);
	cr_assert_eq(strncmp(text, CBENCH_MARKDOWN_MARKER "\n", strlen(CBENCH_MARKDOWN_MARKER) + 1), 0);
	/* regressions first: the first row is the first regression */
	table = strstr(text, "|--------|");
	cr_assert_not_null(table);
	first_row = strchr(table, '\n') + 1;
	cr_assert_eq(strncmp(first_row, "| suite099.bench&#95;09990 |", 28), 0, "%.80s", first_row);
	cr_assert_not_null(strstr(first_row, "\xE2\x9D\x8C regression"));
	more = strstr(text, " more metrics not shown (see the JSON/JUnit artifacts)");
	cr_assert_not_null(more);
	cr_assert_not_null(strstr(text, "### \xE2\x9D\x8C Regressions Detected"));
	cr_assert_not_null(strstr(text, "**10 regressions**"));
	/* every regression is listed in the verdict */
	cr_assert_not_null(strstr(text, "- **suite099.bench&#95;09999**"));
	/* the details block is closed */
	if (strstr(text, "<details>"))
		cr_assert_not_null(strstr(text, "</details>\n"));
	free(text);
	sample_big_free(run);
}

Test(markdown, github_limit_everything_regresses)
{
	/* 10,000 regressions: even the verdict list must be cut. */
	struct cbench_run *run = sample_big(10000, 10000);
	char *text = comment(run);

	cr_assert_lt(strlen(text), 65536, "%zu characters", strlen(text));
	cr_assert_not_null(strstr(text, "more metrics not shown"));
	cr_assert_not_null(strstr(text, "**10000 regressions**"));
	cr_assert_not_null(strstr(text, " and "));
	check_tables(text);
	free(text);
	sample_big_free(run);
}

Test(markdown, small_run_is_not_summarised)
{
	struct cbench_run *run = sample_big(20, 1);
	char *text = comment(run);

	cr_assert_null(strstr(text, "Summarised"));
	cr_assert_null(strstr(text, "not shown"));
	cr_assert_not_null(strstr(text, "</details>\n"));
	free(text);
	sample_big_free(run);
}


Test(markdown, empty_run)
{
	struct cbench_run run;
	char *text;

	memset(&run, 0, sizeof(run));
	text = comment(&run);
	cr_assert_eq(strncmp(text, CBENCH_MARKDOWN_MARKER "\n", strlen(CBENCH_MARKDOWN_MARKER) + 1), 0);
	cr_assert_not_null(strstr(text, "**Platform**: unknown\n"));
	cr_assert_not_null(strstr(text, "_No benchmark ran._"));
	cr_assert_not_null(strstr(text, "No Regressions Detected"));
	cr_assert_not_null(strstr(text, "</details>\n"));
	free(text);
}
