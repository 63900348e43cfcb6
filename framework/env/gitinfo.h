#ifndef CBENCH_FRAMEWORK_GITINFO_H
#define CBENCH_FRAMEWORK_GITINFO_H

#include "cbench/reporter.h"

/*
 * Reads the commit, branch, dirty flag, commit time and subject of the
 * repository containing `path` (NULL: the current directory), with libgit2.
 * Works on a detached HEAD and in a shallow clone. Outside any repository
 * out->present is false, every field empty, and 0 is returned. In GitHub
 * Actions GITHUB_SHA and GITHUB_HEAD_REF / GITHUB_REF_NAME name what is
 * being tested (docs/git.md says which wins when). Returns 0, or a negative
 * code with a message when a repository exists but cannot be read.
 */
int cbench_gitinfo__read(struct cbench_git *out, const char *path,
                         struct cbench_error *err);

#endif
