/*
 * A benchmark that writes what a benchmark child can see of its process:
 * /proc/self/environ and /proc/self/cmdline, to $CBENCH_TEST_DUMP.environ
 * and $CBENCH_TEST_DUMP.cmdline. tests/framework/test_secrets.c checks
 * that no token or password is among them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbench.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

extern char **environ;

/* $CBENCH_TEST_DUMP.SUFFIX, opened for writing; NULL (the benchmark
 * failed, saying why) when it cannot be. */
static FILE *dump_file(const char *suffix)
{
	const char *base = getenv("CBENCH_TEST_DUMP");
	char path[4096];
	FILE *out;

	if (!base) {
		cbench_fail("CBENCH_TEST_DUMP is not set");
		return NULL;
	}
	snprintf(path, sizeof(path), "%s.%s", base, suffix);
	if (!(out = fopen(path, "wb")))
		cbench_fail("cannot write %s", path);
	return out;
}

static void copy(const char *from, const char *suffix)
{
	char buf[4096];
	FILE *in, *out = dump_file(suffix);
	size_t n;

	if (!out)
		return;
	if (!(in = fopen(from, "rb"))) {
		cbench_fail("cannot read %s", from);
	} else {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
	}
	fclose(out);
}

/* Under valgrind (make valgrind), /proc/self/environ is the block the
 * valgrind process started with, which the program cannot reach; what the
 * program has is its `environ`, written in the same NUL-separated form. */
static void copy_environ(const char *suffix)
{
	FILE *out = dump_file(suffix);

	if (!out)
		return;
	for (char **e = environ; e && *e; e++)
		fwrite(*e, 1, strlen(*e) + 1, out);
	fclose(out);
}

CBENCH_EX(env, dump, .iterations = 3, .batch = 1)
{
	CBENCH_MEASURE {
		cbench_keep(0);
	}
	if (RUNNING_ON_VALGRIND)
		copy_environ("environ");
	else
		copy("/proc/self/environ", "environ");
	copy("/proc/self/cmdline", "cmdline");
	if (getenv("GITHUB_TOKEN") || getenv("PGPASSWORD"))
		cbench_fail("a secret is in getenv()");
}
