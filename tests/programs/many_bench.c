/* A second program: its own main(), calling cbench_main() itself. */
#include <stdio.h>

#include <cbench.h>

CBENCH(own_main, noop, .iterations = 3, .min_time = 0.001)
{
	cbench_keep(0);
}

int main(int argc, char **argv)
{
	puts("own main");
	return cbench_main(argc, argv);
}
