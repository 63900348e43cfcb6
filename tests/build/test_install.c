/*
 * `make install PREFIX=DIR`, then a benchmark file compiled the way the
 * README says: cc mybench.c $(pkg-config --cflags --libs cbench).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#if !defined(__SANITIZE_ADDRESS__)
static const char *user_file =
	"#include <cbench.h>\n"
	"#include <string.h>\n"
	"static char a[64], b[64];\n"
	"CBENCH(mine, copy, .iterations = 5, .min_time = 0.001) {\n"
	"    memcpy(a, b, sizeof(a));\n"
	"    cbench_keep(a);\n"
	"}\n";
#endif

Test(install, prefix_gives_header_libraries_pkgconfig_and_tool, .timeout = 120)
{
#if defined(__SANITIZE_ADDRESS__)
	cr_skip_test("installs the plain build; run by `make test`, not `make asan`");
#else
	char *dir = support_tmpdir(), *prefix = support_path(dir, "prefix");
	char *prefix_arg, *pc_path, *src = support_path(dir, "mybench.c");
	char *exe = support_path(dir, "mybench"), *flags_file = support_path(dir, "flags.txt");
	char *out = support_path(dir, "out.txt"), *log = support_path(dir, "log.txt");
	const char *expect[] = { "include/cbench.h", "include/cbench/reporter.h",
	                         "lib/libcbench.a", "lib/libcbench.so",
	                         "lib/pkgconfig/cbench.pc", "bin/cbench" };
	char *cc_argv[64] = { "/usr/bin/cc", "-std=c11", "-O2", src, "-o", exe };
	size_t cc_argc = 6;
	char *flags, *tok, *save = NULL, *text, *env[2];
	FILE *f;

	cr_assert(asprintf(&prefix_arg, "PREFIX=%s", prefix) > 0);
	{
		char *argv[] = { "/usr/bin/make", "-s", "--no-print-directory", "install",
		                 prefix_arg, "BUILD=" CBENCH_TEST_BUILD, NULL };

		cr_assert_eq(support_run(argv, log, log), 0, "make install failed: %s",
		             support_slurp(log));
	}
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		char *p = support_path(prefix, expect[i]);

		cr_assert(support_exists(p), "%s not installed", p);
		free(p);
	}
	f = fopen(src, "w");
	fputs(user_file, f);
	fclose(f);
	cr_assert(asprintf(&pc_path, "PKG_CONFIG_PATH=%s/lib/pkgconfig", prefix) > 0);
	env[0] = pc_path;
	env[1] = NULL;
	{
		char *argv[] = { "/usr/bin/pkg-config", "--cflags", "--libs", "cbench", NULL };

		cr_assert_eq(support_wait(support_spawn(argv, flags_file, log, env)), 0,
		             "pkg-config: %s", support_slurp(log));
	}
	flags = support_slurp(flags_file);
	for (tok = strtok_r(flags, " \n", &save); tok && cc_argc < 62;
	     tok = strtok_r(NULL, " \n", &save))
		cc_argv[cc_argc++] = tok;
	cc_argv[cc_argc] = NULL;
	cr_assert_eq(support_run(cc_argv, log, log), 0, "cc: %s", support_slurp(log));
	{
		char *argv[] = { exe, "--list", NULL };

		cr_assert_eq(support_run(argv, out, NULL), 0);
		text = support_slurp(out);
		cr_assert_str_eq(text, "mine.copy\n");
		free(text);
	}
	{
		char *argv[] = { exe, "-q", NULL };

		cr_assert_eq(support_run(argv, out, log), 0, "%s", support_slurp(log));
		text = support_slurp(out);
		cr_assert(strstr(text, "1 passed") != NULL, "%s", text);
		free(text);
	}
	free(flags);
	free(pc_path);
	free(prefix_arg);
	free(src);
	free(exe);
	free(flags_file);
	free(out);
	free(log);
	free(prefix);
	support_rmdir(dir);
#endif
}
