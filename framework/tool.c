/*
 * The `cbench` command-line tool. Its subcommands (report, platform,
 * history, baseline, dashboard, github) arrive one issue at a time; each
 * reads and writes the same files as the runner.
 */
#include <stdio.h>
#include <string.h>

#include "cbench.h"
#include "cli.h"

static void usage(FILE *out)
{
	fputs("usage: cbench [--help] [--version] <command> [ARGS]\n"
	      "\n"
	      "cbench " CBENCH_VERSION ": benchmarks for C, and the regression gate\n"
	      "around them. Benchmarks themselves run from the program they are\n"
	      "linked into (see README.md: `make bench`, or `PROGRAM --help`).\n"
	      "\n"
	      "Commands: none yet in this version.\n"
	      "\n"
	      "Exit status: 0 success, 2 usage error.\n", out);
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
	if (argc < 2)
		fputs("cbench: error: no command given\n", stderr);
	else
		fprintf(stderr, "cbench: error: unknown command or option '%s'\n", argv[1]);
	fputs("usage: cbench [--help] [--version] <command> [ARGS]\n", stderr);
	return CBENCH_EXIT_USAGE;
}
