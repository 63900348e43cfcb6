/*
 * A benchmark that writes what a benchmark child can see of its process:
 * /proc/self/environ and /proc/self/cmdline, to $CBENCH_TEST_DUMP.environ
 * and $CBENCH_TEST_DUMP.cmdline. tests/framework/test_secrets.c checks
 * that no token or password is among them.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cbench.h>

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
	copy("/proc/self/environ", "environ");
	copy("/proc/self/cmdline", "cmdline");
	if (getenv("GITHUB_TOKEN") || getenv("PGPASSWORD"))
		cbench_fail("a secret is in getenv()");
}
