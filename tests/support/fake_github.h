#ifndef CBENCH_TESTS_FAKE_GITHUB_H
#define CBENCH_TESTS_FAKE_GITHUB_H

/*
 * An HTTP server of the tests' own that behaves like the GitHub REST
 * endpoints cbench uses, on 127.0.0.1 and a free port, served by threads of
 * the test's process:
 *
 *   GET   /repos/O/R/issues/N/comments     paginated, Link: rel="next"/"last"
 *   POST  /repos/O/R/issues/N/comments     201
 *   PATCH /repos/O/R/issues/comments/ID    200
 *   GET   /repos/O/R/issues?state=open&labels=L   paginated
 *   POST  /repos/O/R/issues                201
 *   PATCH /repos/O/R/issues/N              200 (body, state)
 *   POST  /repos/O/R/check-runs            201
 *
 * Strict like GitHub: 400 without `Accept: application/vnd.github+json`,
 * `X-GitHub-Api-Version: 2022-11-28` or a User-Agent, 401 without
 * `Authorization: Bearer <the token>`, 404 for another repository or
 * path, 422 for a body over 65,536 characters. Faults on demand.
 */
#include <stdbool.h>
#include <stddef.h>

#define FAKE_GITHUB_REPO "octo/bench"
#define FAKE_GITHUB_MAX 64

enum fake_fault {
	FAKE_OK,          /* answer normally */
	FAKE_STATUS,      /* answer `status` with a GitHub error body */
	FAKE_RATE_LIMIT,  /* 403, x-ratelimit-remaining: 0, reset in 1 s */
	FAKE_SLOW,        /* answer normally after 2 s */
	FAKE_GARBAGE      /* 200 with a body that is not JSON */
};

struct fake_item {
	long long id;         /* comment id, issue number, check-run id */
	long long parent;     /* comments: the pull request or issue number */
	char *title;          /* issues */
	char *label;          /* issues */
	char *body;
	bool closed;          /* issues */
	char *extra;          /* check runs: the conclusion */
};

struct fake_github;

/* Starts the server: requests must carry `token`; the first id handed out
 * is `first_id`, lists are cut in pages of `page_size`. */
struct fake_github *fake_github_start(const char *token, long long first_id, int page_size);
/* Stops it and frees everything. */
void fake_github_stop(struct fake_github *fg);
/* "http://127.0.0.1:PORT" */
const char *fake_github_url(const struct fake_github *fg);

/* The next `count` requests with this method (NULL: any) get `fault`
 * (with `status` for FAKE_STATUS). */
void fake_github_fault(struct fake_github *fg, const char *method, enum fake_fault fault,
                       int status, int count);
/* Writes (POST, PATCH) answer 403 "Resource not accessible by
 * integration", as with a fork's read-only token. */
void fake_github_read_only(struct fake_github *fg, bool on);

/* Adds a comment of someone else's (or not) to pull request `pr`. */
void fake_github_add_comment(struct fake_github *fg, long long pr, const char *body);

/* A copy of the state, under the server's lock: comments, issues, check
 * runs and comments made on issues. Counts, and the item at an index. */
size_t fake_github_count(struct fake_github *fg, char kind);   /* 'c' 'i' 'k' */
/* The i-th item of a kind (valid until the next request: tests read it
 * after the clients have finished). */
const struct fake_item *fake_github_item(struct fake_github *fg, char kind, size_t i);

/* How many requests were answered, and with which statuses; the log of
 * "METHOD path status" lines, one per request. */
size_t fake_github_requests(struct fake_github *fg);
const char *fake_github_log(struct fake_github *fg);

#endif
