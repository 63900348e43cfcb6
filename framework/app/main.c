/*
 * The ready main() of a benchmark program, as Criterion brings one. Weak, and
 * in its own object file: a program that defines main() and calls
 * cbench_main() itself gets its own. Exported: a program linked with
 * libcbench.so and no main() of its own takes this one.
 */
#include "cbench.h"

CBENCH_EXPORT __attribute__((weak)) int main(int argc, char **argv)
{
	return cbench_main(argc, argv);
}
