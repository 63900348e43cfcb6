/*
 * Where CBENCH and CBENCH_FIXTURE declarations land. Constructors call the
 * register functions before main(), in link order; the runner asks for a
 * sorted list so the order never depends on how files were linked.
 */
#include "measure/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/util.h"

static struct cbench_bench_ **benches;
static size_t nbenches, capbenches;
static struct cbench_fixture_ **fixtures;
static size_t nfixtures, capfixtures;

static void *grow(void *arr, size_t *cap, size_t n)
{
	void *p;
	size_t c;

	if (n < *cap)
		return arr;
	c = *cap ? *cap * 2 : 64;
	p = realloc(arr, c * sizeof(void *));
	if (!p) {
		/* Before main(): there is nobody to return an error to. */
		fputs("cbench: out of memory registering benchmarks\n", stderr);
		abort();
	}
	*cap = c;
	return p;
}

void cbench_register_(struct cbench_bench_ *bench)
{
	benches = grow(benches, &capbenches, nbenches);
	benches[nbenches++] = bench;
}

void cbench_fixture_register_(struct cbench_fixture_ *fixture)
{
	fixtures = grow(fixtures, &capfixtures, nfixtures);
	fixtures[nfixtures++] = fixture;
}

size_t cbench_registry__count(void)
{
	return nbenches;
}

const struct cbench_fixture_ *cbench_registry__fixture(const char *name)
{
	for (size_t i = 0; i < nfixtures; i++)
		if (strcmp(fixtures[i]->name, name) == 0)
			return fixtures[i];
	return NULL;
}

static int compare_instances(const void *pa, const void *pb)
{
	const struct cbench_instance *a = pa, *b = pb;
	int c = strcmp(a->bench->suite, b->bench->suite);

	if (c == 0)
		c = strcmp(a->bench->name, b->bench->name);
	if (c == 0 && a->bench != b->bench)
		/* Same id from two declarations: keep them adjacent, by file. */
		c = strcmp(a->bench->file, b->bench->file);
	if (c == 0)
		c = (a->param_index > b->param_index) - (a->param_index < b->param_index);
	return c;
}

static int fill(struct cbench_instance *in, const struct cbench_bench_ *b,
                const char *param, size_t index)
{
	long n;

	in->bench = b;
	in->param = param;
	in->param_index = index;
	if (param)
		in->id = cbench__asprintf("%s.%s[%s]", b->suite, b->name, param);
	else
		in->id = cbench__asprintf("%s.%s", b->suite, b->name);
	if (b->opts.metric && param)
		in->metric = cbench__asprintf("%s[%s]", b->opts.metric, param);
	else
		in->metric = cbench__strdup(b->opts.metric ? b->opts.metric : in->id);
	if (!in->id || !in->metric)
		return CBENCH_ENOMEM;
	n = cbench__split_words(&in->markers, b->opts.markers);
	if (n < 0)
		return CBENCH_ENOMEM;
	in->nmarkers = (size_t)n;
	n = cbench__split_words(&in->fixtures, b->opts.fixtures);
	if (n < 0)
		return CBENCH_ENOMEM;
	in->nfixtures = (size_t)n;
	return 0;
}

int cbench_registry__instances(struct cbench_instance **out, size_t *count,
                               struct cbench_error *err)
{
	struct cbench_instance *v;
	size_t total = 0, k = 0;
	int rc = 0;

	for (size_t i = 0; i < nbenches; i++) {
		const char *const *p = benches[i]->opts.params;
		size_t np = 0;

		while (p && p[np])
			np++;
		if (p && np == 0)
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "%s:%d: %s.%s: .params is empty",
			                         benches[i]->file, benches[i]->line,
			                         benches[i]->suite, benches[i]->name);
		total += np ? np : 1;
	}
	v = calloc(total ? total : 1, sizeof(*v));
	if (!v)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	for (size_t i = 0; i < nbenches && rc == 0; i++) {
		const char *const *p = benches[i]->opts.params;

		if (!p) {
			rc = fill(&v[k++], benches[i], NULL, 0);
			continue;
		}
		for (size_t j = 0; p[j] && rc == 0; j++)
			rc = fill(&v[k++], benches[i], p[j], j);
	}
	if (rc) {
		cbench_registry__instances_free(v, k);
		return cbench_error__set(err, rc, "out of memory");
	}
	qsort(v, total, sizeof(*v), compare_instances);
	for (size_t i = 0; i < total; i++) {
		if (i > 0 && strcmp(v[i].id, v[i - 1].id) == 0) {
			cbench_error__set(err, CBENCH_EUSAGE,
			                  "benchmark %s is declared twice: %s:%d and %s:%d",
			                  v[i].id, v[i - 1].bench->file,
			                  v[i - 1].bench->line, v[i].bench->file,
			                  v[i].bench->line);
			rc = CBENCH_EUSAGE;
			break;
		}
		for (size_t f = 0; f < v[i].nfixtures; f++) {
			if (!cbench_registry__fixture(v[i].fixtures[f])) {
				cbench_error__set(err, CBENCH_EUSAGE,
				                  "%s:%d: %s uses fixture \"%s\", which is not declared",
				                  v[i].bench->file, v[i].bench->line,
				                  v[i].id, v[i].fixtures[f]);
				rc = CBENCH_EUSAGE;
				break;
			}
		}
		if (rc)
			break;
	}
	if (rc) {
		cbench_registry__instances_free(v, total);
		return rc;
	}
	*out = v;
	*count = total;
	return 0;
}

void cbench_registry__instances_free(struct cbench_instance *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].metric);
		free(v[i].markers);
		free(v[i].fixtures);
	}
	free(v);
}
