/*
 * Every C example in README.md compiles against the real header (with
 * tests/data/readme/prelude.h declaring the functions they only call), so
 * the README cannot drift from the API.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

Test(readme, c_examples_compile, .timeout = 60)
{
	char *readme = support_slurp("README.md"), *p, *dir = support_tmpdir();
	int examples = 0;

	cr_assert_not_null(readme, "README.md not found (run from the repository root)");
	for (p = strstr(readme, "```c\n"); p; p = strstr(p, "```c\n")) {
		char *start = p + 5, *end = strstr(start, "```\n"), name[32], *src, *log;
		char *argv[] = { "/usr/bin/cc", "-std=gnu11", "-Wall", "-Wextra", "-Werror",
		                 "-Wno-unused-function", "-Wno-unused-variable", "-Iframework/include",
		                 "-include", "tests/data/readme/prelude.h", "-fsyntax-only", NULL, NULL };
		FILE *f;

		cr_assert_not_null(end);
		snprintf(name, sizeof(name), "example%d.c", examples);
		src = support_path(dir, name);
		log = support_path(dir, "log.txt");
		f = fopen(src, "w");
		/* Later examples continue the first one's file, as readers do. */
		if (!memmem(start, (size_t)(end - start), "#include <cbench.h>", 19))
			fputs("#include <cbench.h>\n", f);
		fwrite(start, 1, (size_t)(end - start), f);
		fclose(f);
		argv[11] = src;
		cr_assert_eq(support_run(argv, log, log), 0, "README example %d:\n%.*s\n%s",
		             examples, (int)(end - start), start, support_slurp(log));
		free(src);
		free(log);
		examples++;
		p = end;
	}
	cr_assert_geq(examples, 3, "only %d C examples found", examples);
	free(readme);
	support_rmdir(dir);
}
