/*
 * Option parsing, and what a bad command line does to a real runner: a
 * one-line reason, the short usage, exit 2, and no file written.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cbench.h"
#include "app/cli.h"
#include "support.h"

static int parse(struct cbench_cli *cli, struct cbench_error *err, int argc, ...)
{
	char *argv[16];
	va_list ap;

	va_start(ap, argc);
	argv[0] = "bench";
	for (int i = 1; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	argv[argc] = NULL;
	va_end(ap);
	return cbench_cli__parse(cli, argc, argv, err);
}

Test(cli, defaults)
{
	struct cbench_cli cli;
	struct cbench_error err;

	unsetenv("BENCHMARK_MODE");
	unsetenv("NO_COLOR");
	cr_assert_eq(parse(&cli, &err, 1), 0);
	cr_assert_str_eq(cli.mode, "standard");
	cr_assert_eq(cli.factor, 1.0);
	cr_assert_eq(cli.verbosity, 0);
	cr_assert_eq(cli.color, 0);
	cr_assert_not(cli.no_fork);
	cr_assert_null(cli.json);
}

Test(cli, every_option)
{
	struct cbench_cli cli;
	struct cbench_error err;

	unsetenv("NO_COLOR");
	cr_assert_eq(parse(&cli, &err, 14, "-k", "a and b", "-m", "not slow", "-x", "-v",
	                   "--mode=quick", "--no-fork", "--timeout", "2.5", "--json", "o.json",
	                   "--json-samples"), 0, "%s", err.text);
	cr_assert_str_eq(cli.keyword, "a and b");
	cr_assert_str_eq(cli.markers, "not slow");
	cr_assert(cli.exitfirst);
	cr_assert_eq(cli.verbosity, 1);
	cr_assert_eq(cli.factor, 0.2);
	cr_assert(cli.no_fork);
	cr_assert_eq(cli.timeout, 2.5);
	cr_assert_str_eq(cli.json, "o.json");
	cr_assert(cli.json_samples);
	cr_assert_eq(parse(&cli, &err, 4, "--mode", "comprehensive", "-q"), 0);
	cr_assert_eq(cli.factor, 5.0);
	cr_assert_eq(cli.verbosity, -1);
}

Test(cli, mode_from_environment_and_option_wins)
{
	struct cbench_cli cli;
	struct cbench_error err;

	setenv("BENCHMARK_MODE", "quick", 1);
	cr_assert_eq(parse(&cli, &err, 1), 0);
	cr_assert_str_eq(cli.mode, "quick");
	cr_assert_eq(parse(&cli, &err, 3, "--mode", "standard"), 0);
	cr_assert_str_eq(cli.mode, "standard");
	setenv("BENCHMARK_MODE", "fast", 1);
	cr_assert_eq(parse(&cli, &err, 1), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text,
	                 "BENCHMARK_MODE: 'fast' is not quick, standard or comprehensive");
	unsetenv("BENCHMARK_MODE");
}

Test(cli, no_color_wins)
{
	struct cbench_cli cli;
	struct cbench_error err;

	setenv("NO_COLOR", "1", 1);
	cr_assert_eq(parse(&cli, &err, 3, "--color", "always"), 0);
	cr_assert_eq(cli.color, -1);
	unsetenv("NO_COLOR");
	cr_assert_eq(parse(&cli, &err, 3, "--color", "always"), 0);
	cr_assert_eq(cli.color, 1);
}

Test(cli, bad_options_name_the_culprit)
{
	struct cbench_cli cli;
	struct cbench_error err;

	unsetenv("BENCHMARK_MODE");
	cr_assert_eq(parse(&cli, &err, 2, "--frobnicate"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "unknown option --frobnicate");
	cr_assert_eq(parse(&cli, &err, 2, "-z"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "unknown option -z");
	cr_assert_eq(parse(&cli, &err, 2, "-k"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "-k needs a value");
	cr_assert_eq(parse(&cli, &err, 2, "--json"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--json needs a value");
	cr_assert_eq(parse(&cli, &err, 3, "--timeout", "soon"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--timeout: 'soon' is not a positive number of seconds");
	cr_assert_eq(parse(&cli, &err, 3, "--timeout", "-1"), CBENCH_EUSAGE);
	cr_assert_eq(parse(&cli, &err, 3, "--mode", "turbo"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--mode: 'turbo' is not quick, standard or comprehensive");
	cr_assert_eq(parse(&cli, &err, 3, "--color", "sometimes"), CBENCH_EUSAGE);
	cr_assert_eq(parse(&cli, &err, 3, "--clock", "sundial"), CBENCH_EUSAGE);
	cr_assert_eq(parse(&cli, &err, 2, "--json-samples"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "--json-samples needs --json FILE");
	cr_assert_eq(parse(&cli, &err, 2, "stray"), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "unexpected argument 'stray' (select with -k)");
}

/* A real runner given a bad command line. */
static void refused(const char *expected, char *a1, char *a2, char *a3)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *err = support_path(dir, "err.txt"), *out = support_path(dir, "out.txt");
	char *argv[] = { (char *)support_program("fixture_bench"), "--json", json, a1, a2, a3, NULL };
	char *text, *first_newline;

	cr_assert_eq(support_run(argv, out, err), 2);
	cr_assert_not(support_exists(json), "a refused run wrote %s", json);
	text = support_slurp(err);
	first_newline = strchr(text, '\n');
	cr_assert_not_null(first_newline);
	*first_newline = '\0';
	cr_assert(strstr(text, expected) != NULL, "stderr line: %s", text);
	cr_assert(strstr(first_newline + 1, "usage:") != NULL);
	free(text);
	text = support_slurp(out);
	cr_assert_str_eq(text, "");
	free(text);
	free(err);
	free(out);
	free(json);
	support_rmdir(dir);
}

Test(cli, malformed_k_expression_exits_2_and_writes_nothing)
{
	refused("error: -k \"ok and\": expected a name", "-k", "ok and", NULL);
}

Test(cli, malformed_m_expression_exits_2_and_writes_nothing)
{
	refused("error: -m \"(slow\": unclosed '('", "-m", "(slow", NULL);
}

Test(cli, unknown_option_exits_2_and_writes_nothing)
{
	refused("error: unknown option --warmup", "--warmup", "3", NULL);
}

Test(cli, missing_output_folder_is_refused_before_running)
{
	char *argv[] = { (char *)support_program("fixture_bench"), "--json",
	                 "/nonexistent-cbench-dir/r.json", NULL };
	char *dir = support_tmpdir(), *err = support_path(dir, "err.txt");
	char *text;

	cr_assert_eq(support_run(argv, NULL, err), 2);
	text = support_slurp(err);
	cr_assert(strstr(text, "cannot write /nonexistent-cbench-dir/r.json: folder "
	                       "/nonexistent-cbench-dir does not exist") != NULL, "%s", text);
	free(text);
	free(err);
	support_rmdir(dir);
}

Test(cli, help_and_version)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out.txt");
	char *help[] = { (char *)support_program("fixture_bench"), "--help", NULL };
	char *version[] = { (char *)support_program("fixture_bench"), "--version", NULL };
	char *tool[] = { (char *)support_program("../cbench"), "--version", NULL };
	char *text;

	cr_assert_eq(support_run(help, out, NULL), 0);
	text = support_slurp(out);
	/* every option the parser knows is documented */
	const char *options[] = { "--list", "-k EXPR", "-m EXPR", "--mode MODE", "--exitfirst",
	                          "--no-fork", "--timeout", "--clock", "--json FILE",
	                          "--json-samples", "--verbose", "--quiet", "--color",
	                          "--help", "--version", "Exit status" };
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		cr_assert(strstr(text, options[i]) != NULL, "--help lacks %s", options[i]);
	free(text);
	cr_assert_eq(support_run(version, out, NULL), 0);
	text = support_slurp(out);
	cr_assert_str_eq(text, "cbench " CBENCH_VERSION "\n");
	free(text);
	cr_assert_eq(support_run(tool, out, NULL), 0);
	text = support_slurp(out);
	cr_assert_str_eq(text, "cbench " CBENCH_VERSION "\n");
	free(text);
	free(out);
	support_rmdir(dir);
}

Test(cli, list_and_selection)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out.txt");
	char *argv[] = { (char *)support_program("fixture_bench"), "--list", "-k",
	                 "ok and not custom", "-m", "not io", NULL };
	char *text;

	cr_assert_eq(support_run(argv, out, NULL), 0);
	text = support_slurp(out);
	cr_assert_str_eq(text,
	                 "ok.fast\n"
	                 "ok.param_metric[a]\n"
	                 "ok.param_metric[b]\n"
	                 "ok.params[10]\n"
	                 "ok.params[20]\n");
	free(text);
	free(out);
	support_rmdir(dir);
}
