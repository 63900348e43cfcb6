/*
 * Git metadata from real repositories, made with libgit2 in a temporary
 * folder. Each Test runs in its own process, so setenv() stays in it.
 */
#include <criterion/criterion.h>
#include <git2.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/gitinfo.h"
#include "model/context.h"
#include "support.h"

/* 2026-01-31T12:00:00Z and a day later. */
#define T1 ((git_time_t)1769860800)
#define T2 ((git_time_t)1769947200)

static char *tmp;

#define check_git(rc) cr_assert_geq((rc), 0, "libgit2: %s", \
	git_error_last() ? git_error_last()->message : "?")

/*
 * The tests must not depend on where they run: not on a repository around
 * the temporary folder (the ceiling stops the search there), not on the
 * user's git configuration, and not on GitHub Actions' variables when CI
 * runs them.
 */
static void setup(void)
{
	char parent[PATH_MAX], *copy;
	static const char *const github[] = {
		"GITHUB_ACTIONS", "GITHUB_SHA", "GITHUB_HEAD_REF",
		"GITHUB_REF_NAME", "GITHUB_REF_TYPE", "GITHUB_REF",
	};

	for (size_t i = 0; i < sizeof(github) / sizeof(github[0]); i++)
		unsetenv(github[i]);
	tmp = support_tmpdir();
	copy = strdup(tmp);
	cr_assert_not_null(realpath(dirname(copy), parent));
	free(copy);
	setenv("GIT_CEILING_DIRECTORIES", parent, 1);
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	check_git(git_libgit2_init());
	for (int level = GIT_CONFIG_LEVEL_PROGRAMDATA; level <= GIT_CONFIG_LEVEL_GLOBAL; level++)
		check_git(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, ""));
}

static void teardown(void)
{
	git_libgit2_shutdown();
	support_rmdir(tmp);
}

TestSuite(gitinfo, .init = setup, .fini = teardown);

static git_repository *new_repo(const char *path)
{
	git_repository_init_options opts;
	git_repository *repo;

	check_git(git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION));
	opts.flags = GIT_REPOSITORY_INIT_MKPATH;
	opts.initial_head = "main";
	check_git(git_repository_init_ext(&repo, path, &opts));
	return repo;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = support_path(dir, name);
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	free(path);
}

/* Stages every file of the working tree and commits it on HEAD. */
static git_oid commit_all(git_repository *repo, const char *message, git_time_t when)
{
	git_index *index;
	git_oid tree_id, id;
	git_tree *tree;
	git_signature *sig;
	git_object *parent = NULL;
	int rc;

	check_git(git_repository_index(&index, repo));
	check_git(git_index_add_all(index, NULL, 0, NULL, NULL));
	check_git(git_index_write(index));
	check_git(git_index_write_tree(&tree_id, index));
	git_index_free(index);
	check_git(git_tree_lookup(&tree, repo, &tree_id));
	check_git(git_signature_new(&sig, "Ada", "ada@example.com", when, 60));
	rc = git_revparse_single(&parent, repo, "HEAD^{commit}");
	cr_assert(rc == 0 || rc == GIT_ENOTFOUND);
	check_git(git_commit_create_v(&id, repo, "HEAD", sig, sig, NULL, message,
	                              tree, parent ? 1 : 0, parent));
	git_object_free(parent);
	git_signature_free(sig);
	git_tree_free(tree);
	return id;
}

static void oid_hex(char out[41], const git_oid *id)
{
	git_oid_tostr(out, 41, id);
}

/* A repository at tmp/repo with one file and one commit on "main". */
static git_repository *one_commit(git_oid *id)
{
	char *dir = support_path(tmp, "repo");
	git_repository *repo = new_repo(dir);

	write_file(dir, "a.txt", "one\n");
	*id = commit_all(repo, "Add a.txt\n\nThe body says why,\nover two lines.\n", T1);
	free(dir);
	return repo;
}

static struct cbench_git read_ok(const char *path)
{
	struct cbench_git g;
	struct cbench_error err = { 0 };

	memset(&g, 0x55, sizeof(g));
	cr_assert_eq(cbench_gitinfo__read(&g, path, &err), 0, "%s", err.text);
	return g;
}

static void assert_empty(const struct cbench_git *g)
{
	cr_assert_not(g->present);
	cr_assert_str_eq(g->commit, "");
	cr_assert_str_eq(g->short_commit, "");
	cr_assert_str_eq(g->branch, "");
	cr_assert_not(g->dirty);
	cr_assert_eq(g->commit_time, 0);
	cr_assert_str_eq(g->subject, "");
	cr_assert_str_eq(g->source, "");
}

Test(gitinfo, clean_repository_on_main)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo"), hex[41];
	struct cbench_git g = read_ok(dir);

	oid_hex(hex, &id);
	cr_assert(g.present);
	cr_assert_str_eq(g.commit, hex);
	cr_assert_eq(strlen(g.short_commit), 7);
	cr_assert_eq(strncmp(g.short_commit, hex, 7), 0);
	cr_assert_str_eq(g.subject, "Add a.txt");
	cr_assert_eq(g.commit_time, (int64_t)T1);
	cr_assert_str_eq(g.branch, "main");
	cr_assert_not(g.dirty);
	cr_assert_str_eq(g.source, "libgit2");
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, null_path_is_the_current_directory)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo"), hex[41];
	struct cbench_git g;

	cr_assert_eq(chdir(dir), 0);
	g = read_ok(NULL);
	oid_hex(hex, &id);
	cr_assert_str_eq(g.commit, hex);
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, modified_tracked_file_is_dirty)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	/* another size, so no same-second timestamp can hide the change */
	write_file(dir, "a.txt", "one, changed\n");
	cr_assert(read_ok(dir).dirty);
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, untracked_file_is_not_dirty)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	write_file(dir, "results.json", "{}\n");
	cr_assert_not(read_ok(dir).dirty);
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, staged_change_is_dirty)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");
	git_index *index;

	write_file(dir, "b.txt", "new\n");
	check_git(git_repository_index(&index, repo));
	check_git(git_index_add_bypath(index, "b.txt"));
	check_git(git_index_write(index));
	git_index_free(index);
	cr_assert(read_ok(dir).dirty);
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, detached_head_has_no_branch)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo"), hex[41];
	struct cbench_git g;

	check_git(git_repository_set_head_detached(repo, &id));
	g = read_ok(dir);
	oid_hex(hex, &id);
	cr_assert(g.present);
	cr_assert_str_eq(g.branch, "");
	cr_assert_str_eq(g.commit, hex);
	cr_assert_not(g.dirty);
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, subdirectory_finds_the_repository_above)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *src = support_path(tmp, "repo/src"), *dir = support_path(src, "deep"), hex[41];
	struct cbench_git g;

	cr_assert_eq(mkdir(src, 0700), 0);
	cr_assert_eq(mkdir(dir, 0700), 0);
	g = read_ok(dir);
	oid_hex(hex, &id);
	cr_assert(g.present);
	cr_assert_str_eq(g.commit, hex);
	cr_assert_str_eq(g.branch, "main");
	git_repository_free(repo);
	free(src);
	free(dir);
}

Test(gitinfo, no_repository_is_not_an_error)
{
	struct cbench_git g = read_ok(tmp);

	assert_empty(&g);
}

Test(gitinfo, repeated_reads_balance_init_and_shutdown)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	git_repository_free(repo);
	/* drop the suite's reference: each read now starts libgit2 afresh */
	git_libgit2_shutdown();
	for (int i = 0; i < 3; i++) {
		struct cbench_git none = read_ok(tmp);

		assert_empty(&none);
		cr_assert(read_ok(dir).present);
	}
	check_git(git_libgit2_init());
	free(dir);
}

Test(gitinfo, unborn_branch_has_a_name_and_no_commit)
{
	char *dir = support_path(tmp, "fresh");
	git_repository *repo = new_repo(dir);
	struct cbench_git g = read_ok(dir);

	cr_assert(g.present);
	cr_assert_str_eq(g.commit, "");
	cr_assert_str_eq(g.short_commit, "");
	cr_assert_str_eq(g.branch, "main");
	cr_assert_eq(g.commit_time, 0);
	cr_assert_not(g.dirty);
	cr_assert_str_eq(g.source, "libgit2");
	git_repository_free(repo);
	free(dir);
}

/*
 * What `git clone --depth 1` leaves: HEAD listed in .git/shallow, its
 * parent's object absent.
 */
Test(gitinfo, shallow_clone_reads_head)
{
	git_oid first, second;
	git_repository *repo = one_commit(&first);
	char *dir = support_path(tmp, "repo"), hex[41], line[42], name[128], *path;
	struct cbench_git g;

	write_file(dir, "a.txt", "two lines\nnow\n");
	second = commit_all(repo, "Second", T2);
	oid_hex(hex, &second);
	snprintf(line, sizeof(line), "%s\n", hex);
	write_file(dir, ".git/shallow", line);
	oid_hex(hex, &first);
	snprintf(name, sizeof(name), ".git/objects/%.2s/%s", hex, hex + 2);
	path = support_path(dir, name);
	cr_assert_eq(unlink(path), 0, "%s", path);
	free(path);
	cr_assert_eq(git_repository_is_shallow(repo), 1);

	g = read_ok(dir);
	oid_hex(hex, &second);
	cr_assert_str_eq(g.commit, hex);
	cr_assert_str_eq(g.subject, "Second");
	cr_assert_eq(g.commit_time, (int64_t)T2);
	cr_assert_str_eq(g.branch, "main");
	cr_assert_not(g.dirty);
	git_repository_free(repo);
	free(dir);
}

/* Reads `dir`, expecting "git: <dir>: <libgit2's reason>" and empty fields. */
static void assert_unreadable(const char *dir)
{
	struct cbench_git g;
	struct cbench_error err = { 0 };
	char prefix[PATH_MAX + 16];
	int rc;

	rc = cbench_gitinfo__read(&g, dir, &err);
	cr_assert_lt(rc, 0);
	cr_assert_eq(err.code, rc);
	snprintf(prefix, sizeof(prefix), "git: %s: ", dir);
	cr_assert_eq(strncmp(err.text, prefix, strlen(prefix)), 0, "%s", err.text);
	cr_assert_gt(strlen(err.text), strlen(prefix), "%s", err.text);
	assert_empty(&g);
}

Test(gitinfo, unreadable_repository_is_an_error)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	git_repository_free(repo);
	write_file(dir, ".git/refs/heads/main", "not an object id\n");
	assert_unreadable(dir);
	write_file(dir, ".git/HEAD", "garbage\n");
	assert_unreadable(dir);
	free(dir);
}

/* In Actions an unreadable checkout (say, owned by another user) still
 * has a commit: the runner's. */
Test(gitinfo, unreadable_repository_falls_back_to_github_sha)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");
	struct cbench_git g;
	struct cbench_error err = { 0 };

	git_repository_free(repo);
	write_file(dir, ".git/HEAD", "garbage\n");
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567", 1);
	cr_assert_lt(cbench_gitinfo__read(&g, dir, &err), 0);
	cr_assert(g.present);
	cr_assert_str_eq(g.commit, "0123456789abcdef0123456789abcdef01234567");
	cr_assert_str_eq(g.source, "GITHUB_SHA");
	free(dir);
}

Test(gitinfo, github_head_ref_names_a_detached_checkout)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo"), hex[41];
	struct cbench_git g;

	check_git(git_repository_set_head_detached(repo, &id));
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_HEAD_REF", "feature-x", 1);
	setenv("GITHUB_REF_NAME", "12/merge", 1);
	setenv("GITHUB_REF_TYPE", "branch", 1);
	/* the merge commit the workflow asked for; HEAD is what was built */
	setenv("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567", 1);
	g = read_ok(dir);
	oid_hex(hex, &id);
	cr_assert_str_eq(g.branch, "feature-x");
	cr_assert_str_eq(g.commit, hex);
	cr_assert_str_eq(g.source, "libgit2");
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, github_ref_name_when_pushed_to_a_branch)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	check_git(git_repository_set_head_detached(repo, &id));
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_HEAD_REF", "", 1);
	setenv("GITHUB_REF_NAME", "release-2", 1);
	setenv("GITHUB_REF_TYPE", "branch", 1);
	cr_assert_str_eq(read_ok(dir).branch, "release-2");
	setenv("GITHUB_REF_NAME", "v1.0", 1);
	setenv("GITHUB_REF_TYPE", "tag", 1);
	cr_assert_str_eq(read_ok(dir).branch, "");
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, local_branch_wins_over_github_names)
{
	git_oid id;
	git_repository *repo = one_commit(&id);
	char *dir = support_path(tmp, "repo");

	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_HEAD_REF", "feature-x", 1);
	cr_assert_str_eq(read_ok(dir).branch, "main");
	git_repository_free(repo);
	free(dir);
}

Test(gitinfo, github_sha_without_repository)
{
	struct cbench_git g;

	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_SHA", "ABC0123456789ABCDEF0123456789ABCDEF01234", 1);
	setenv("GITHUB_REF_NAME", "main", 1);
	setenv("GITHUB_REF_TYPE", "branch", 1);
	g = read_ok(tmp);
	cr_assert(g.present);
	cr_assert_str_eq(g.commit, "abc0123456789abcdef0123456789abcdef01234");
	cr_assert_str_eq(g.short_commit, "abc0123");
	cr_assert_str_eq(g.source, "GITHUB_SHA");
	cr_assert_str_eq(g.branch, "main");
	cr_assert_str_eq(g.subject, "");
	cr_assert_eq(g.commit_time, 0);
}

Test(gitinfo, github_variables_ignored_outside_actions)
{
	struct cbench_git g;

	setenv("GITHUB_SHA", "abc0123456789abcdef0123456789abcdef01234", 1);
	g = read_ok(tmp);
	assert_empty(&g);
	/* and a value the runner would never set */
	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("GITHUB_SHA", "HEAD", 1);
	g = read_ok(tmp);
	assert_empty(&g);
}

Test(gitinfo, json_round_trip)
{
	struct cbench_git g, back;
	struct cbench_error err = { 0 };
	json_t *obj;

	memset(&g, 0, sizeof(g));
	g.present = true;
	snprintf(g.commit, sizeof(g.commit), "%s", "0123456789abcdef0123456789abcdef01234567");
	snprintf(g.short_commit, sizeof(g.short_commit), "%s", "0123456");
	snprintf(g.branch, sizeof(g.branch), "%s", "feature/x");
	g.dirty = true;
	g.commit_time = (int64_t)T1;
	snprintf(g.subject, sizeof(g.subject), "%s", "Make \"it\" faster");
	snprintf(g.source, sizeof(g.source), "%s", "libgit2");
	obj = cbench_context__git_to_json(&g);
	cr_assert_not_null(obj);
	cr_assert_str_eq(json_string_value(json_object_get(obj, "commit_time")),
	                 "2026-01-31T12:00:00Z");
	cr_assert(json_is_true(json_object_get(obj, "dirty")));
	memset(&back, 0x55, sizeof(back));
	cr_assert_eq(cbench_context__git_from_json(&back, obj, &err), 0, "%s", err.text);
	cr_assert(back.present);
	cr_assert_str_eq(back.commit, g.commit);
	cr_assert_str_eq(back.short_commit, g.short_commit);
	cr_assert_str_eq(back.branch, g.branch);
	cr_assert(back.dirty);
	cr_assert_eq(back.commit_time, g.commit_time);
	cr_assert_str_eq(back.subject, g.subject);
	cr_assert_str_eq(back.source, g.source);
	json_decref(obj);
}

Test(gitinfo, json_of_no_repository_is_all_null)
{
	struct cbench_git g, back;
	const char *key;
	json_t *obj, *v;

	memset(&g, 0, sizeof(g));
	obj = cbench_context__git_to_json(&g);
	cr_assert_not_null(obj);
	cr_assert_eq(json_object_size(obj), 7);
	json_object_foreach(obj, key, v)
		cr_assert(json_is_null(v), "%s", key);
	cr_assert_eq(cbench_context__git_from_json(&back, obj, NULL), 0);
	assert_empty(&back);
	json_decref(obj);
}

Test(gitinfo, json_from_github_sha_has_unknown_dirty_and_time)
{
	struct cbench_git g, back;
	json_t *obj;

	memset(&g, 0, sizeof(g));
	g.present = true;
	snprintf(g.commit, sizeof(g.commit), "%s", "0123456789abcdef0123456789abcdef01234567");
	snprintf(g.short_commit, sizeof(g.short_commit), "%s", "0123456");
	snprintf(g.source, sizeof(g.source), "%s", "GITHUB_SHA");
	obj = cbench_context__git_to_json(&g);
	cr_assert(json_is_null(json_object_get(obj, "dirty")));
	cr_assert(json_is_null(json_object_get(obj, "commit_time")));
	cr_assert(json_is_null(json_object_get(obj, "branch")));
	cr_assert_eq(cbench_context__git_from_json(&back, obj, NULL), 0);
	cr_assert(back.present);
	cr_assert_str_eq(back.source, "GITHUB_SHA");
	json_decref(obj);
}

Test(gitinfo, json_type_errors_name_the_key)
{
	struct cbench_git g;
	struct cbench_error err = { 0 };
	json_t *obj;

	obj = json_pack("{s:i, s:b}", "commit", 42, "dirty", 0);
	cr_assert_eq(cbench_context__git_from_json(&g, obj, &err), CBENCH_EPARSE);
	cr_assert_not_null(strstr(err.text, "git.commit"), "%s", err.text);
	json_decref(obj);

	obj = json_pack("{s:s}", "dirty", "yes");
	cr_assert_eq(cbench_context__git_from_json(&g, obj, &err), CBENCH_EPARSE);
	cr_assert_not_null(strstr(err.text, "git.dirty"), "%s", err.text);
	json_decref(obj);

	obj = json_pack("{s:s}", "commit_time", "31/01/2026");
	cr_assert_eq(cbench_context__git_from_json(&g, obj, &err), CBENCH_EPARSE);
	cr_assert_not_null(strstr(err.text, "git.commit_time"), "%s", err.text);
	json_decref(obj);

	obj = json_string("abc");
	cr_assert_eq(cbench_context__git_from_json(&g, obj, &err), CBENCH_EPARSE);
	json_decref(obj);
}
