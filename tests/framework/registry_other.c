/* A second file of declarations for test_registry.c. */
#include "cbench.h"

CBENCH(aa_registry, alpha)
{
}
