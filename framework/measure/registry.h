#ifndef CBENCH_FRAMEWORK_REGISTRY_H
#define CBENCH_FRAMEWORK_REGISTRY_H

#include <stddef.h>

#include "cbench.h"

/* One runnable benchmark: a declaration, and its parameter if any. */
struct cbench_instance {
	const struct cbench_bench_ *bench;
	const char *param;      /* borrowed from the declaration */
	size_t param_index;
	char *id;               /* suite.name or suite.name[param] */
	char *metric;           /* name of the timing metric */
	char **markers;         /* from cbench__split_words */
	size_t nmarkers;
	char **fixtures;
	size_t nfixtures;
};

/*
 * Every registered benchmark, parameters expanded, sorted by suite, then
 * name, then parameter position. Fails (CBENCH_EUSAGE, naming the file and
 * line) on two declarations with one id or a fixture name nobody declared.
 */
int cbench_registry__instances(struct cbench_instance **out, size_t *n,
                               struct cbench_error *err);
void cbench_registry__instances_free(struct cbench_instance *v, size_t n);

/* The fixture declared with `name`, or NULL. */
const struct cbench_fixture_ *cbench_registry__fixture(const char *name);

/* Number of declarations (not instances). */
size_t cbench_registry__count(void);

#endif
