#ifndef CBENCH_FRAMEWORK_PLATFORM_H
#define CBENCH_FRAMEWORK_PLATFORM_H

#include "cbench/reporter.h"

/*
 * Fills `out` with what the core needs to know of the machine. `root`
 * prefixes every /proc and /sys path (NULL or "" for the real ones), so
 * tests can point it at a folder of their own.
 */
void cbench_platform__host(struct cbench_host *out, const char *root);

#endif
