/* ci/history.sh: the run history kept on a data branch, against a bare
 * repository of the test's own standing in for origin. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static int sh(const char *script, char *const env[], const char *out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	return support_wait(support_spawn(argv, out, out, env));
}

Test(ci_history, save_keeps_runs_on_a_branch_and_restore_imports_them, .timeout = 120)
{
	char *dir = support_tmpdir(), cwd[4096], script[8192], tool[4600], db[4200], root[4200];
	char *out = support_path(dir, "out.txt"), *text;
	char *env[] = { tool, db, root, "PERFORMANCE_PLATFORM=CI_Test", "GIT_AUTHOR_NAME=t",
	                "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
	                "GIT_COMMITTER_EMAIL=t@example.com", NULL };

	if (access("/usr/bin/git", X_OK) != 0)
		cr_skip_test("git is not installed");
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(tool, sizeof(tool), "CBENCH_TOOL=%s/%s/cbench", cwd, CBENCH_TEST_BUILD);
	snprintf(db, sizeof(db), "PERFORMANCE_DB_PATH=%s/restored.db", dir);
	snprintf(root, sizeof(root), "ROOT=%s", cwd);
	snprintf(script, sizeof(script),
	         "set -e; cd '%s'; git init -q --bare remote.git; git init -q src; cd src;"
	         "git commit -q --allow-empty -m init; git remote add origin \"$PWD/../remote.git\";"
	         "mkdir -p ../a ../b; \"$ROOT\"/'%s' --json ../a/results.json -k work -q;"
	         "\"$ROOT\"/'%s' --json ../b/results.json -k work -q;"
	         "sh \"$ROOT/ci/history.sh\" restore;"
	         "sh \"$ROOT/ci/history.sh\" save ../a;"
	         "sh \"$ROOT/ci/history.sh\" save ../b;"
	         "git --git-dir=../remote.git ls-tree -r --name-only cbench-history;"
	         "sh \"$ROOT/ci/history.sh\" restore;"
	         "sh \"$ROOT/ci/history.sh\" restore;"
	         "\"${CBENCH_TOOL}\" history stats",
	         dir, support_program("ci_bench"), support_program("ci_bench"));
	cr_assert_eq(sh(script, env, out), 0, "%s", support_slurp(out));
	text = support_slurp(out);
	cr_assert(strstr(text, "history: no cbench-history branch yet"), "%s", text);
	cr_assert_eq(support_count(text, "history: 1 runs kept on cbench-history"), 2, "%s", text);
	cr_assert_eq(support_count(text, "-a-1.json\n"), 1, "%s", text);
	cr_assert_eq(support_count(text, "-b-1.json\n"), 1, "%s", text);
	cr_assert(strstr(text, "imported 2, already present 0\n"), "%s", text);
	cr_assert(strstr(text, "imported 0, already present 2\n"), "%s", text);
	cr_assert(strstr(text, "Total runs: 2\n"), "%s", text);
	free(text);
	free(out);
	support_rmdir(dir);
}

Test(ci_history, moved_baselines_are_proposed_as_a_pull_request, .timeout = 60)
{
	char *dir = support_tmpdir(), cwd[4096], script[8192], root[4200];
	char *out = support_path(dir, "out.txt"), *text;
	char *env[] = { root, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
	                "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", NULL };

	if (access("/usr/bin/git", X_OK) != 0)
		cr_skip_test("git is not installed");
	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(root, sizeof(root), "ROOT=%s", cwd);
	snprintf(script, sizeof(script),
	         /* a `gh` of the test's own records how it was called */
	         "set -e; cd '%s'; mkdir bin; export PATH=\"$PWD/bin:$PATH\"; printf '#!/bin/sh\\necho \"gh $*\" >>\"%s/gh.txt\"\\n'"
	         " >bin/gh; chmod +x bin/gh; git init -q --bare remote.git; git init -q -b main src;"
	         "cd src; mkdir baselines; echo '{ \"P\": { \"m\": 2 } }' >baselines/baselines.json;"
	         "git add .; git commit -qm init; git remote add origin \"$PWD/../remote.git\";"
	         "sh \"$ROOT/ci/propose-baselines.sh\";"
	         "echo '{ \"P\": { \"m\": 1 } }' >baselines/baselines.json;"
	         "sh \"$ROOT/ci/propose-baselines.sh\";"
	         "git --git-dir=../remote.git branch --list 'cbench/*' | wc -l;"
	         "git --git-dir=../remote.git for-each-ref --format='%%(refname)' | "
	         " while read -r r; do git --git-dir=../remote.git show \"$r:baselines/baselines.json\"; done;"
	         "cat ../gh.txt", dir, dir);
	cr_assert_eq(sh(script, env, out), 0, "%s", support_slurp(out));
	text = support_slurp(out);
	cr_assert(strstr(text, "propose-baselines: no baseline moved\n"), "%s", text);
	cr_assert(strstr(text, "{ \"P\": { \"m\": 1 } }"), "the change was not pushed: %s", text);
	cr_assert(strstr(text, "gh pr create --base main --head cbench/baselines-"), "%s", text);
	cr_assert_eq(support_count(text, "gh pr create"), 1, "%s", text);
	free(text);
	free(out);
	support_rmdir(dir);
}
