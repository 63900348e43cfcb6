/* `cbench report`: renders a saved results file (being written). */
#include <stdio.h>

#include "cli.h"
#include "tool.h"

int cbench_tool_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("cbench report: not available in this build\n", stderr);
	return CBENCH_EXIT_USAGE;
}
