/*
 * Every committed fuzz input (the seeds, and each crash a fuzzer found once,
 * kept as a regression test) run through its target in the normal build:
 * a parser that crashes, leaks or trips a sanitizer on one of them fails
 * here, under `make test` and `make asan`, without clang.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "support.h"

static size_t run_corpus(const char *name, int (*fn)(const uint8_t *, size_t))
{
	char dir[256];
	struct dirent *e;
	size_t ran = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
	d = opendir(dir);
	cr_assert_not_null(d, "%s: no seed corpus", dir);
	while ((e = readdir(d))) {
		char path[512];
		unsigned char *buf;
		long len;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)len + 1);
		cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len, "%s", path);
		fclose(f);
		cr_assert_eq(fn(buf, (size_t)len), 0, "%s", path);
		free(buf);
		ran++;
	}
	closedir(d);
	return ran;
}

#define CBENCH_FUZZ_TEST_(name) \
	Test(fuzz_corpus, name) \
	{ \
		size_t ran = run_corpus(#name, cbench_fuzz_##name); \
		cr_assert_geq(ran, 3, "tests/fuzz/corpus/" #name ": only %zu inputs", ran); \
	}
CBENCH_FUZZ_TARGETS(CBENCH_FUZZ_TEST_)
