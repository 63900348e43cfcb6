/*
 * The commit a run measured, read with libgit2; docs/git.md gives the rules,
 * GitHub Actions' environment included.
 */
#include "env/gitinfo.h"

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "base/error.h"
#include "base/utf8.h"
#include "base/util.h"

#define SHORT_LEN 7

/*
 * Copies `src` into `dst` of `size` bytes. A value too long is cut, but not
 * inside a UTF-8 sequence: a subject in any language stays valid JSON text.
 */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	n = cbench_utf8__prefix(src, n, size - 1);
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *env_value(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static bool in_github_actions(void)
{
	const char *v = getenv("GITHUB_ACTIONS");

	return v && strcmp(v, "true") == 0;
}

/* Not 40 hex digits: GITHUB_SHA was set by hand, not by the runner. */
static bool is_full_hex_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 40;
}

/*
 * The part of the environment that applies after the repository (or its
 * absence) is known. `detached` is true on a detached HEAD and when there
 * is no repository: only then is the checkout's own branch name missing.
 */
static void apply_github(struct cbench_git *out, bool detached)
{
	const char *sha, *head_ref, *ref_name, *ref_type;

	if (!in_github_actions())
		return;
	sha = env_value("GITHUB_SHA");
	if (!out->present && sha && is_full_hex_id(sha)) {
		for (size_t i = 0; i < 40; i++)
			out->commit[i] = (char)tolower((unsigned char)sha[i]);
		out->commit[40] = '\0';
		copy_text(out->short_commit, SHORT_LEN + 1, out->commit);
		copy_text(out->source, sizeof(out->source), "GITHUB_SHA");
		out->present = true;
	}
	if (!out->present || !detached)
		return;
	/*
	 * pull_request checks out the merge commit detached; the branch under
	 * test is the PR's source branch. On a push the runner names the
	 * branch pushed to, unless the ref was a tag.
	 */
	head_ref = env_value("GITHUB_HEAD_REF");
	ref_name = env_value("GITHUB_REF_NAME");
	ref_type = getenv("GITHUB_REF_TYPE");
	if (head_ref)
		copy_text(out->branch, sizeof(out->branch), head_ref);
	else if (ref_name && ref_type && strcmp(ref_type, "branch") == 0)
		copy_text(out->branch, sizeof(out->branch), ref_name);
}

/* The one place libgit2's errors become ours. */
static int git_failure(struct cbench_error *err, const char *where)
{
	const git_error *e = git_error_last();

	return cbench_error__set(err, CBENCH_ERROR, "git: %s: %s", where,
	                         e && e->message ? e->message : "unknown libgit2 error");
}

/*
 * Git's own search stops at $GIT_CEILING_DIRECTORIES; libgit2 does only
 * when handed the list (GIT_REPOSITORY_OPEN_FROM_ENV would also read GIT_DIR
 * and ignore our path). Both use ':' between entries.
 */
static int open_repository(git_repository **out, const char *path)
{
	return git_repository_open_ext(out, path, 0,
	                               getenv("GIT_CEILING_DIRECTORIES"));
}

/* The branch an unborn HEAD names, from HEAD's symbolic target. */
static int read_unborn(struct cbench_git *out, git_repository *repo)
{
	git_reference *head = NULL;
	const char *target;
	int rc;

	rc = git_reference_lookup(&head, repo, "HEAD");
	if (rc < 0)
		return rc;
	target = git_reference_symbolic_target(head);
	if (target && strncmp(target, "refs/heads/", 11) == 0)
		copy_text(out->branch, sizeof(out->branch), target + 11);
	git_reference_free(head);
	return 0;
}

static int read_head(struct cbench_git *out, git_repository *repo,
                     bool *detached)
{
	git_reference *head = NULL;
	git_object *obj = NULL;
	git_commit *commit;
	const char *subject;
	int rc;

	*detached = git_repository_head_detached(repo) == 1;
	rc = git_repository_head(&head, repo);
	if (rc == GIT_EUNBORNBRANCH) {
		*detached = false;
		return read_unborn(out, repo);
	}
	if (rc < 0)
		return rc;
	if (git_reference_is_branch(head))
		copy_text(out->branch, sizeof(out->branch), git_reference_shorthand(head));
	/* Peeling, not git_reference_target: HEAD may name an annotated tag. */
	rc = git_reference_peel(&obj, head, GIT_OBJECT_COMMIT);
	if (rc < 0)
		goto out;
	commit = (git_commit *)obj;
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));
	copy_text(out->short_commit, SHORT_LEN + 1, out->commit);
	/* Committer time, as %ct: when this state of the tree was made. */
	out->commit_time = (int64_t)git_commit_time(commit);
	subject = git_commit_summary(commit);
	if (!subject) {
		rc = -1;
		goto out;
	}
	copy_text(out->subject, sizeof(out->subject), subject);
out:
	git_object_free(obj);
	git_reference_free(head);
	return rc;
}

/*
 * Dirty means a tracked file differs from HEAD, staged or not. Untracked
 * and ignored files are left out: build outputs and result files must not
 * mark every run dirty. So are submodules, whose scan costs more than it
 * tells.
 */
static int read_dirty(bool *out, git_repository *repo)
{
	git_status_options opts;
	git_status_list *list = NULL;
	int rc;

	*out = false;
	if (git_repository_is_bare(repo))
		return 0;
	/* Not GIT_STATUS_OPTIONS_INIT: it trips -Wmissing-field-initializers. */
	rc = git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	if (rc < 0)
		return rc;
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	rc = git_status_list_new(&list, repo, &opts);
	if (rc < 0)
		return rc;
	*out = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

/* Where the repository is, for messages: its working tree, or the .git. */
static void repo_where(char *buf, size_t size, git_repository *repo)
{
	const char *dir = git_repository_workdir(repo);
	size_t n;

	copy_text(buf, size, dir ? dir : git_repository_path(repo));
	n = strlen(buf);
	if (n > 1 && buf[n - 1] == '/')
		buf[n - 1] = '\0';
}

int cbench_gitinfo__read(struct cbench_git *out, const char *path,
                         struct cbench_error *err)
{
	git_repository *repo = NULL;
	char where[1024];
	bool detached = true;
	int rc;

	assert(out);
	memset(out, 0, sizeof(*out));
	if (!path)
		path = ".";
	copy_text(where, sizeof(where), path);
	rc = git_libgit2_init();
	if (rc < 0)
		return git_failure(err, where);
	rc = open_repository(&repo, path);
	if (rc == GIT_ENOTFOUND) {
		rc = 0;
		goto out;
	}
	if (rc < 0) {
		rc = git_failure(err, where);
		goto out;
	}
	repo_where(where, sizeof(where), repo);
	out->present = true;
	copy_text(out->source, sizeof(out->source), "libgit2");
	if (read_head(out, repo, &detached) < 0 ||
	    read_dirty(&out->dirty, repo) < 0) {
		rc = git_failure(err, where);
		/* Half-read values are worse than none: fall back as if absent. */
		memset(out, 0, sizeof(*out));
		detached = true;
	}
out:
	apply_github(out, detached);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
