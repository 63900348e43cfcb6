/* The scripts in ci/ are code too: each is run the way make runs it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "support.h"

/* dir/rel, with its folders, holding text. */
static void write_tree_file(const char *dir, const char *rel, const char *text)
{
	char *path = support_path(dir, rel), *slash = path + strlen(dir);
	FILE *f;

	while ((slash = strchr(slash + 1, '/')) != NULL) {
		*slash = '\0';
		cr_assert(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
		*slash = '/';
	}
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
	free(path);
}

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
	write_tree_file(dir, "framework/fine.h", "/* nothing */\n");
	write_tree_file(dir, "reporters/fine.h", "/* nothing */\n");
	f = fopen(bad, "w");
	/* split, so that this file does not hold the call it plants */
	fputs("#include <stdlib.h>\nint run(const char *c) { return sys" "tem(c); }\n", f);
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

static int script_in(const char *name, const char *const files[], char **out);

Test(ci_scripts, check_source_catches_a_shell_in_every_source)
{
	/* the calls are split in two strings so this file holds none */
	static const char *const cases[][2] = {
		{ "tests/programs/t.c", "int f(void) { return sys" "tem(\"ls\"); }\n" },
		{ "benchmarks/io/b.c", "void *f(void) { return po" "pen(\"ls\", \"r\"); }\n" },
		{ "fixtures/x.c", "void f(void) { ex" "ecl(\"/bin/sh\", \"sh\", \"-c\", 0); }\n" },
		{ "tests/support/s.h", "#define RUN(c) ex" "eclp(\"sh\", \"sh\", \"-c\", c, 0)\n" },
		{ "benchmarks/compare/c.cc", "int g() { return sys" "tem (\"x\"); }\n" },
		{ "ci/run.sh", "#!/bin/sh\nev" "al \"$CMD\"\n" },
		{ "ci/go.sh", "#!/bin/sh\nsh" " -c \"$1\"\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out;

		const char *const files[] = { cases[i][0], cases[i][1], NULL };

		cr_expect_eq(script_in("check-source.sh", files, &out), 1, "%s", cases[i][0]);
		cr_expect(out && strstr(out, cases[i][0]), "%s not named: %s", cases[i][0], out);
		free(out);
	}
	{
		/* an argv vector, and a shell script running its own constant
		 * text, are fine */
		const char *const files[] = { "tests/ok.c", "char *argv[] = { \"/bin/ls\", 0 };\n",
		                              NULL };
		char *out;

		cr_expect_eq(script_in("check-source.sh", files, &out), 0, "%s", out);
		free(out);
	}
}

/* ci/<script> copied into a new tree holding the files given as
 * NULL-terminated (path, text) pairs beside a well-behaved one; its exit
 * status, its standard output (the findings) in *out. */
static int script_in(const char *name, const char *const files[], char **out)
{
	char *dir = support_tmpdir(), *src = support_path("ci", name), *copy = support_slurp(src);
	char *rel = support_path("ci", name), *script = support_path(dir, rel);
	char *log = support_path(dir, "out.txt");
	char *argv[] = { "/bin/sh", script, NULL };
	int status;

	cr_assert_not_null(copy);
	write_tree_file(dir, rel, copy);
	write_tree_file(dir, "framework/stats/fine.c", "#include \"base/buf.h\"\n#include <cbench.h>\n");
	for (size_t i = 0; files[i]; i += 2)
		write_tree_file(dir, files[i], files[i + 1]);
	status = support_run(argv, log, NULL);
	*out = support_slurp(log);
	free(src);
	free(copy);
	free(rel);
	free(script);
	free(log);
	support_rmdir(dir);
	return status;
}

static int check_includes_in(const char *const files[], char **out)
{
	return script_in("check-includes.sh", files, out);
}

Test(ci_scripts, check_includes_passes_here_and_catches_wrong_way_and_cycles)
{
	char *here[] = { "/bin/sh", "ci/check-includes.sh", NULL };
	const char *wrong_way[] = { "framework/base/x.c", "#include <stdio.h>\n"
	                            "#include \"base/buf.h\"\n#include \"measure/engine.h\"\n", NULL };
	const char *one_way[] = { "framework/measure/a.c", "#include \"measure/b.h\"\n", NULL };
	/* a cycle inside one folder: each include alone points an allowed way */
	const char *cycle[] = { "framework/measure/a.c", "#include \"measure/b.h\"\n",
	                        "framework/measure/b.h", "#include \"measure/a.h\"\n", NULL };
	const char *unnamed[] = { "framework/gate/y.c", "#include \"compare.h\"\n", NULL };
	const char *unranked[] = { "framework/extra/z.c", "#include \"base/buf.h\"\n", NULL };
	char *text;

	cr_assert_eq(support_run(here, NULL, NULL), 0);

	cr_assert_eq(check_includes_in(wrong_way, &text), 1);
	cr_assert(strstr(text, "framework/base/x.c:3: wrong-way include \"measure/engine.h\"")
	          != NULL, "%s", text);
	cr_assert_null(strstr(text, "fine.c"), "%s", text);
	free(text);

	cr_assert_eq(check_includes_in(one_way, &text), 0, "%s", text);
	free(text);
	cr_assert_eq(check_includes_in(cycle, &text), 1);
	cr_assert(strstr(text, "include cycle through framework/measure/") != NULL, "%s", text);
	free(text);

	cr_assert_eq(check_includes_in(unnamed, &text), 1);
	cr_assert(strstr(text, "framework/gate/y.c:1: include \"compare.h\" must name its folder")
	          != NULL, "%s", text);
	free(text);
	cr_assert_eq(check_includes_in(unranked, &text), 1);
	cr_assert(strstr(text, "framework/extra/z.c:1: folder \"extra\" has no rank") != NULL,
	          "%s", text);
	free(text);
}

/*
 * ci/bench-ab.sh end to end in a repository of the test's own: the base
 * commit "builds" build/tests/ab_bench, the head is ab_bench_2x (twice the
 * work in ab.work), so the script must build the base in a worktree, find
 * the regression, write the reports and exit 1, and leave no worktree.
 */
Test(ci_scripts, bench_ab_builds_the_base_in_a_worktree_and_compares, .timeout = 300)
{
	char *dir = support_tmpdir(), *repo = support_path(dir, "repo");
	char *out = support_path(dir, "out"), *log = support_path(dir, "log.txt");
	char *cwd = getcwd(NULL, 0), *script, *text, *status, *mk;
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	char *json;
	json_t *doc;

	if (access("/usr/bin/git", X_OK) != 0)
		cr_skip_test("git is not installed");
	write_tree_file(dir, "repo/which", "ab_bench\n");
	/* the base "builds" by copying the program `which` names */
	mk = cbench__asprintf(".PHONY: build/bench\nbuild/bench:\n\tmkdir -p build && cp %s/%s/tests/"
	                      "$(shell cat which) build/bench\n", cwd, CBENCH_TEST_BUILD);
	write_tree_file(dir, "repo/Makefile", mk);
	free(mk);
	script = cbench__asprintf(
		"set -e; cd %s; git init -q; git -c user.name=t -c user.email=t@t add which Makefile;"
		" git -c user.name=t -c user.email=t@t commit -qm base;"
		" echo ab_bench_2x > which;"
		" git -c user.name=t -c user.email=t@t commit -qam head;"
		" mkdir -p build; cp %s/%s/tests/ab_bench_2x build/bench;"
		" set +e; CBENCH_AB_BASE=$(git rev-parse HEAD~1) CBENCH_TOOL=%s/%s/cbench"
		" CBENCH_AB_MAKE=build/bench"
		" BENCHMARK_MODE=quick CBENCH_AB_REPETITIONS=2 GITHUB_EVENT_PATH="
		" sh %s/ci/bench-ab.sh %s --seed 3 --threshold 30%%; rc=$?;"
		" git worktree list | wc -l > %s/worktrees; exit $rc",
		repo, cwd, CBENCH_TEST_BUILD, cwd, CBENCH_TEST_BUILD, cwd, out, dir);
	argv[2] = script;
	cr_assert_eq(support_run(argv, log, log), 1, "%s", support_slurp(log));
	status = support_path(out, "status");
	text = support_slurp(status);
	cr_assert_str_eq(text, "1\n");
	free(text);
	json = support_path(out, "results.json");
	doc = support_load_json(json);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(
	                 support_bench(doc, "ab.work"), "metrics"), 0), "status")), "regression");
	json_decref(doc);
	text = support_path(out, "report.md");
	cr_assert(support_exists(text));
	free(text);
	text = support_path(dir, "worktrees");
	free(status);
	status = support_slurp(text);
	cr_assert_str_eq(status, "1\n", "the base's worktree was not removed");
	free(status);
	free(text);
	free(json);
	free(script);
	free(cwd);
	free(log);
	free(out);
	free(repo);
	support_rmdir(dir);
}
