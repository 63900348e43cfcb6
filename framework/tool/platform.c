/* `cbench platform`: temporary minimal version, replaced by the full one. */
#include <stdio.h>

#include "platform.h"
#include "tool.h"

int cbench_tool_platform(int argc, char **argv)
{
	struct cbench_platform p;

	(void)argc;
	(void)argv;
	cbench_platform__detect(&p, NULL, NULL, NULL, 0);
	printf("%s\n", p.id);
	return 0;
}
