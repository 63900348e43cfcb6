/*
 * The `cbench` command-line tool. Each subcommand lives in its own file in
 * this folder and reads and writes the same files as the runner.
 */
#include <stdio.h>
#include <string.h>

#include "cbench.h"
#include "app/cli.h"
#include "tool/tool.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "platform", cbench_tool_platform, "print this machine's platform id and details" },
	{ "report", cbench_tool_report, "render a saved results file as Markdown, JUnit, JSON, ..." },
	{ "history", cbench_tool_history, "recorded runs: stats, runs, trend, export, import" },
	{ "dashboard", cbench_tool_dashboard, "an HTML page of metric trends, from the history" },
	{ "baseline", cbench_tool_baseline, "show a platform's baselines, or update them from the history" },
	{ "github", cbench_tool_github, "post a report: pull-request comment, issue, check run" },
	{ "ab", cbench_tool_ab, "compare two builds' benchmarks on this machine, interleaved" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs("usage: cbench [--help] [--version] <command> [ARGS]\n"
	      "\n"
	      "cbench " CBENCH_VERSION ": benchmarks for C, and the regression gate\n"
	      "around them. Benchmarks themselves run from the program they are\n"
	      "linked into (see README.md: `make bench`, or `PROGRAM --help`).\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n`cbench COMMAND --help` describes a command.\n"
	      "\n"
	      "Exit status: 0 success, 1 a failure the command reports, 2 usage or\n"
	      "configuration error.\n", out);
}

int main(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("cbench %s\n", CBENCH_VERSION);
		return CBENCH_EXIT_OK;
	}
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return CBENCH_EXIT_OK;
	}
	for (size_t i = 0; argc >= 2 && i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	if (argc < 2)
		fputs("cbench: error: no command given\n", stderr);
	else
		fprintf(stderr, "cbench: error: unknown command or option '%s'\n", argv[1]);
	fputs("usage: cbench [--help] [--version] <command> [ARGS]\n", stderr);
	return CBENCH_EXIT_USAGE;
}
