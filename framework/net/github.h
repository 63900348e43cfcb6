#ifndef CBENCH_NET_GITHUB_H
#define CBENCH_NET_GITHUB_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "cbench/error.h"

#include <jansson.h>

/*
 * A small GitHub REST client (libcurl's easy interface, jansson) for what
 * CI needs: one pull-request comment kept up to date, one issue per label
 * and title, a check run. Every request sends the headers GitHub documents
 * (Accept: application/vnd.github+json, Authorization: Bearer,
 * X-GitHub-Api-Version: 2022-11-28, a User-Agent); 5xx answers and network
 * errors are retried with exponential backoff and jitter, rate limits
 * (403/429 with Retry-After or x-ratelimit-reset) are waited out up to a
 * cap. The token is sent in a header only, to `api_url` only (a Link
 * pointing elsewhere is not followed), and never appears in a message.
 */

/* GitHub's limit on a comment, issue or check-run body, in characters. */
#define CBENCH_GITHUB_BODY_MAX 65536
/* GitHub's limit on what one step writes to $GITHUB_STEP_SUMMARY. */
#define CBENCH_GITHUB_SUMMARY_MAX ((size_t)1 << 20)

struct cbench_github_config {
	const char *api_url;     /* GITHUB_API_URL; NULL: https://api.github.com */
	const char *token;       /* GITHUB_TOKEN; required */
	const char *repository;  /* GITHUB_REPOSITORY, "owner/name"; required */
	double connect_timeout;  /* seconds; 0: 10 */
	double timeout;          /* seconds per request; 0: 30 */
	int attempts;            /* tries per request; 0: 4 */
	double backoff;          /* seconds before the first retry, doubling; <0: 0; 0: 1 */
	double max_wait;         /* longest rate-limit wait accepted, seconds; 0: 60 */
};

struct cbench_github;

/*
 * A client for `cfg` (strings copied). CBENCH_EUSAGE when the token or the
 * repository is missing or malformed, or the URL is not http(s).
 */
int cbench_github__new(struct cbench_github **out, const struct cbench_github_config *cfg,
                       struct cbench_error *err);
void cbench_github__free(struct cbench_github *gh);

/*
 * Errors of the calls below: CBENCH_ERROR with "METHOD /path: status N:
 * GitHub's message" (or the network error) once retries are spent. A 403
 * that is not a rate limit (a read-only token on a fork's pull request) is
 * CBENCH_EFORBIDDEN_GITHUB so callers can say why nothing was posted.
 */
#define CBENCH_EFORBIDDEN_GITHUB (-20)

/*
 * Finds the comment of pull request `pr` whose body contains `marker`,
 * reading every page of comments, and replaces its body; or creates one.
 * *id gets the comment's id, *created whether it is new.
 */
int cbench_github__comment_upsert(struct cbench_github *gh, long long pr, const char *marker,
                                  const char *body, long long *id, bool *created,
                                  struct cbench_error *err);

/*
 * The open issue labelled `label` with this exact title (every page read):
 * its body replaced; or a new issue with the label. *number gets its number.
 */
int cbench_github__issue_upsert(struct cbench_github *gh, const char *title,
                                const char *label, const char *body, long long *number,
                                bool *created, struct cbench_error *err);

/*
 * Closes the open issue labelled `label` with this title after adding
 * `comment`. *number gets its number, 0 when there was none to close.
 */
int cbench_github__issue_close(struct cbench_github *gh, const char *title,
                               const char *label, const char *comment, long long *number,
                               struct cbench_error *err);

/* A completed check run `name` on commit `sha`: conclusion "success" or
 * "failure", the title and the Markdown summary. *id gets its id. */
int cbench_github__check_create(struct cbench_github *gh, const char *name, const char *sha,
                                const char *conclusion, const char *title,
                                const char *summary, long long *id,
                                struct cbench_error *err);

/*
 * Appends text[0..len) to `out`, cut when it is longer than `max` bytes:
 * at the end of a line (so never inside a UTF-8 character or a table row),
 * with open <details> blocks and code fences closed, followed by `note`;
 * the whole stays within `max` bytes. Returns whether it was cut; with
 * out->failed set when out of memory.
 */
bool cbench_github__fit(struct cbench_buf *out, const char *text, size_t len, size_t max,
                        const char *note);

/*
 * The parsers of what GitHub sends, exposed for tests and fuzzing
 * (tests/fuzz/fuzz_github.c); they take whatever the network brought.
 */

/* The URL of rel="next" in a Link header's value, or NULL (caller frees). */
char *cbench_github__link_next(const char *value);

/* GitHub's "message" of an error answer body (any bytes), control
 * characters replaced by spaces; "" when there is none. */
void cbench_github__error_message(const char *body, size_t len, char *out, size_t cap);

/* Whether an element of a comment list is the comment carrying `marker`
 * (*id gets its id), or of an issue list the open issue titled `title`,
 * not a pull request (*number gets its number). */
bool cbench_github__is_comment(const json_t *item, const char *marker, long long *id);
bool cbench_github__is_issue(const json_t *item, const char *title, long long *number);

/* What cbench needs of the event file at GITHUB_EVENT_PATH. */
struct cbench_github_event {
	long long pr;            /* the pull request's number; 0 when none */
	char head_sha[41];       /* its head commit (hex); "" when none or malformed */
};

/* Reads the event file: CBENCH_EUSAGE with "event file PATH:LINE:COL: why"
 * when it is not a JSON object. */
int cbench_github__event_load(struct cbench_github_event *out, const char *path,
                              struct cbench_error *err);

#endif
