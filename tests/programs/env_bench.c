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

/* Under valgrind (make valgrind), /proc/self/environ is the block the
 * valgrind process started with, which the program cannot reach; what the
 * program has is its `environ`, written in the same NUL-separated form. */
static void copy_environ(const char *suffix)
{
	const char *base = getenv("CBENCH_TEST_DUMP");
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s.%s", base ? base : "", suffix);
	if (!base || !(out = fopen(path, "wb"))) {
		cbench_fail("cannot write %s", path);
		return;
	}
	for (char **e = environ; e && *e; e++)
		fwrite(*e, 1, strlen(*e) + 1, out);
	fclose(out);
}

static void copy(const char *from, const char *suffix)
{
	const char *base = getenv("CBENCH_TEST_DUMP");
	char path[4096], buf[4096];
	FILE *in, *out;
	size_t n;

	if (!base) {
		cbench_fail("CBENCH_TEST_DUMP is not set");
		return;
	}
	snprintf(path, sizeof(path), "%s.%s", base, suffix);
	in = fopen(from, "rb");
	out = fopen(path, "wb");
	if (!in || !out) {
		cbench_fail("cannot copy %s to %s", from, path);
	} else {
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
	}
	if (in)
		fclose(in);
	if (out)
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
