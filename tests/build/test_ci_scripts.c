/* The scripts in ci/ are code too: each is run the way make runs it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "support.h"

Test(ci_scripts, install_deps_does_nothing_when_everything_is_there, .timeout = 60)
{
	char *argv[] = { "/bin/sh", "ci/install-deps.sh", "--if-missing", NULL };
	char *dir = support_tmpdir(), *out = support_path(dir, "out.txt"), *text;

	/* `make test` ran it first, so everything is installed by now */
	cr_assert_eq(support_run(argv, out, NULL), 0);
	text = support_slurp(out);
	cr_assert_str_eq(text, "", "it tried to install: %s", text);
	free(text);
	free(out);
	support_rmdir(dir);
}

Test(ci_scripts, check_source_passes_here_and_catches_a_banned_call)
{
	char *dir = support_tmpdir(), *ci = support_path(dir, "ci"), *fw = support_path(dir, "framework");
	char *rep = support_path(dir, "reporters"), *script = support_path(ci, "check-source.sh");
	char *bad = support_path(fw, "bad.c"), *ok = support_path(rep, "ok.c");
	char *out = support_path(dir, "out.txt"), *text, *copy = support_slurp("ci/check-source.sh");
	char *here[] = { "/bin/sh", "ci/check-source.sh", NULL };
	char *there[] = { "/bin/sh", script, NULL };
	FILE *f;

	cr_assert_eq(support_run(here, NULL, NULL), 0);
	cr_assert_not_null(copy);
	cr_assert_eq(mkdir(ci, 0755), 0);
	cr_assert_eq(mkdir(fw, 0755), 0);
	cr_assert_eq(mkdir(rep, 0755), 0);
	f = fopen(script, "w");
	fputs(copy, f);
	fclose(f);
	f = fopen(ok, "w");
	fputs("int ok(void) { return 0; }\n", f);
	fclose(f);
	for (int i = 0; i < 2; i++) {
		char *fine = support_path(i ? rep : fw, "fine.h");

		f = fopen(fine, "w");
		fputs("/* nothing */\n", f);
		fclose(f);
		free(fine);
	}
	f = fopen(bad, "w");
	fputs("#include <stdlib.h>\nint run(const char *c) { return system(c); }\n", f);
	fclose(f);
	cr_assert_eq(support_run(there, out, NULL), 1);
	text = support_slurp(out);
	cr_assert(strstr(text, "framework/bad.c:2:") != NULL, "%s", text);
	free(text);
	free(copy);
	free(out);
	free(bad);
	free(ok);
	free(script);
	free(ci);
	free(fw);
	free(rep);
	support_rmdir(dir);
}
