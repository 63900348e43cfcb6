/*
 * The GitHub REST client: see github.h. One curl easy handle per client,
 * reused so the connection is kept; one request function that every call
 * goes through (headers, retries, rate limits, errors); one pagination
 * loop that follows Link: rel="next" to the end, however many pages.
 */
#include "net/github.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/error.h"
#include "base/util.h"
#include "cbench.h"

#define DEFAULT_API "https://api.github.com"
/* Bounds on what one answer and one listing may hold. */
#define BODY_MAX ((size_t)64 << 20)
#define MAX_PAGES 1000
#define PER_PAGE "100"

struct cbench_github {
	CURL *curl;
	char *api;          /* no trailing slash */
	char *repo;         /* owner/name */
	char *auth;         /* "Authorization: Bearer ...", zeroed when freed */
	long connect_ms, timeout_ms;
	int attempts;
	double backoff, max_wait;
	unsigned long long rng;
};

struct response {
	long status;
	struct cbench_buf body;
	char *next;               /* Link rel="next", or NULL */
	double retry_after;       /* seconds, or -1 */
	long long remaining;      /* x-ratelimit-remaining, or -1 */
	long long reset;          /* x-ratelimit-reset (epoch seconds), or -1 */
};

/* ---- setup ------------------------------------------------------------------------ */

static bool valid_repo(const char *r)
{
	const char *slash = strchr(r, '/');

	if (!slash || slash == r || !slash[1] || strchr(slash + 1, '/'))
		return false;
	for (const char *p = r; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-/", *p))
			return false;
	return true;
}

static long ms(double seconds, double dflt)
{
	if (!(seconds > 0))
		seconds = dflt;
	return (long)(seconds * 1000 + 0.5);
}

int cbench_github__new(struct cbench_github **out, const struct cbench_github_config *cfg,
                       struct cbench_error *err)
{
	struct cbench_github *gh;
	const char *api = cfg->api_url && *cfg->api_url ? cfg->api_url : DEFAULT_API;
	size_t n;
	struct timespec ts;

	*out = NULL;
	if (!cfg->token || !*cfg->token)
		return cbench_error__set(err, CBENCH_EUSAGE, "GITHUB_TOKEN is not set");
	if (strpbrk(cfg->token, "\r\n"))
		return cbench_error__set(err, CBENCH_EUSAGE, "GITHUB_TOKEN holds a line break");
	if (!cfg->repository || !*cfg->repository)
		return cbench_error__set(err, CBENCH_EUSAGE, "GITHUB_REPOSITORY is not set");
	if (!valid_repo(cfg->repository))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "GITHUB_REPOSITORY: '%.80s' is not owner/name",
		                         cfg->repository);
	if (strncmp(api, "https://", 8) != 0 && strncmp(api, "http://", 7) != 0)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "GITHUB_API_URL: '%.120s' is not an http(s) URL", api);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cbench_error__set(err, CBENCH_ERROR, "libcurl could not be initialised");
	gh = calloc(1, sizeof(*gh));
	if (!gh)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	gh->curl = curl_easy_init();
	gh->api = cbench__strdup(api);
	gh->repo = cbench__strdup(cfg->repository);
	gh->auth = cbench__asprintf("Authorization: Bearer %s", cfg->token);
	if (!gh->curl || !gh->api || !gh->repo || !gh->auth) {
		cbench_github__free(gh);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	n = strlen(gh->api);
	while (n > 0 && gh->api[n - 1] == '/')
		gh->api[--n] = '\0';
	gh->connect_ms = ms(cfg->connect_timeout, 10);
	gh->timeout_ms = ms(cfg->timeout, 30);
	gh->attempts = cfg->attempts > 0 ? cfg->attempts : 4;
	gh->backoff = cfg->backoff < 0 ? 0 : cfg->backoff > 0 ? cfg->backoff : 1;
	gh->max_wait = cfg->max_wait > 0 ? cfg->max_wait : 60;
	clock_gettime(CLOCK_REALTIME, &ts);
	gh->rng = ((unsigned long long)ts.tv_nsec << 20) ^ (unsigned long long)getpid() ^
	          (unsigned long long)ts.tv_sec;
	*out = gh;
	return 0;
}

void cbench_github__free(struct cbench_github *gh)
{
	if (!gh)
		return;
	if (gh->curl)
		curl_easy_cleanup(gh->curl);
	if (gh->auth) {
		explicit_bzero(gh->auth, strlen(gh->auth));
		free(gh->auth);
	}
	free(gh->api);
	free(gh->repo);
	free(gh);
}

/* ---- one request ------------------------------------------------------------------ */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct response *res = arg;

	if (cbench_buf__add(&res->body, data, size * n) != 0)
		return 0;   /* too big: curl stops with a write error */
	return size * n;
}

/* `value` of a header line "Name: value\r\n" when its name is `name`. */
static bool header_is(const char *line, size_t len, const char *name, char *value, size_t cap)
{
	size_t nl = strlen(name), v, e;

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return false;
	for (v = nl + 1; v < len && (line[v] == ' ' || line[v] == '\t'); v++)
		;
	for (e = len; e > v && isspace((unsigned char)line[e - 1]); e--)
		;
	if (e - v >= cap)
		e = v + cap - 1;
	memcpy(value, line + v, e - v);
	value[e - v] = '\0';
	return true;
}

char *cbench_github__link_next(const char *value)
{
	const char *p = value;

	while ((p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p, '>'), *stop;

		if (!end)
			return NULL;
		stop = strchr(end, ',');
		if (!stop)
			stop = end + strlen(end);
		for (const char *q = end; q + 10 <= stop; q++)
			if (strncmp(q, "rel=\"next\"", 10) == 0)
				return strndup(p + 1, (size_t)(end - p - 1));
		p = stop;
	}
	return NULL;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
	struct response *res = arg;
	size_t len = size * n;
	char value[4096];

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new answer (after 100 Continue, say): forget the last */
		free(res->next);
		res->next = NULL;
		res->retry_after = -1;
		res->remaining = res->reset = -1;
	} else if (header_is(data, len, "link", value, sizeof(value))) {
		free(res->next);
		res->next = cbench_github__link_next(value);
	} else if (header_is(data, len, "retry-after", value, sizeof(value))) {
		res->retry_after = atof(value);
	} else if (header_is(data, len, "x-ratelimit-remaining", value, sizeof(value))) {
		res->remaining = atoll(value);
	} else if (header_is(data, len, "x-ratelimit-reset", value, sizeof(value))) {
		res->reset = atoll(value);
	}
	return len;
}

static void response_init(struct response *res)
{
	memset(res, 0, sizeof(*res));
	cbench_buf__init(&res->body, BODY_MAX);
	res->retry_after = -1;
	res->remaining = res->reset = -1;
}

static void response_free(struct response *res)
{
	cbench_buf__free(&res->body);
	free(res->next);
	res->next = NULL;
}

static void pause_for(double seconds)
{
	struct timespec ts;

	if (!(seconds > 0))
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static double jitter(struct cbench_github *gh)
{
	gh->rng ^= gh->rng << 13;
	gh->rng ^= gh->rng >> 7;
	gh->rng ^= gh->rng << 17;
	return 0.5 + (double)(gh->rng % 1000) / 1000.0;   /* 0.5 .. 1.5 */
}

void cbench_github__error_message(const char *body, size_t len, char *out, size_t cap)
{
	json_t *doc = json_loadb(body, len, 0, NULL);
	const char *m = doc ? json_string_value(json_object_get(doc, "message")) : NULL;

	snprintf(out, cap, "%s", m ? m : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	json_decref(doc);
}

/* GitHub's "message" of an error answer, for the error text. */
static void github_message(const struct response *res, char *out, size_t cap)
{
	cbench_github__error_message(cbench_buf__str(&res->body), cbench_buf__len(&res->body),
	                             out, cap);
}

/*
 * The method and path of `url` for messages: the part after the API's base,
 * without the query string.
 */
static void describe(const struct cbench_github *gh, const char *method, const char *url,
                     char *out, size_t cap)
{
	size_t n = strlen(gh->api);
	const char *path = strncmp(url, gh->api, n) == 0 ? url + n : url;

	snprintf(out, cap, "%s %.*s", method, (int)strcspn(path, "?"), path);
}

static int setup(struct cbench_github *gh, const char *method, const char *url,
                 const char *payload, struct curl_slist *headers, struct response *res)
{
	CURL *c = gh->curl;
	CURLcode rc = CURLE_OK;

	curl_easy_reset(c);
#define SET(opt, val) if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, val)
	SET(CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500   /* 7.85: the string form */
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, gh->connect_ms);
	SET(CURLOPT_TIMEOUT_MS, gh->timeout_ms);
	SET(CURLOPT_USERAGENT, "cbench/" CBENCH_VERSION);
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, res);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, res);
	if (payload) {
		SET(CURLOPT_POSTFIELDS, payload);
		SET(CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
	}
	if (strcmp(method, "GET") != 0) {
		SET(CURLOPT_CUSTOMREQUEST, method);
	}
#undef SET
	return rc == CURLE_OK ? 0 : -1;
}

/* Seconds to wait before trying again after a rate-limit answer, or -1
 * when the answer is not a rate limit. */
static double rate_limit_wait(const struct response *res)
{
	if (res->status != 403 && res->status != 429)
		return -1;
	if (res->retry_after >= 0)
		return res->retry_after;
	if (res->remaining == 0 && res->reset >= 0) {
		double w = (double)res->reset - (double)time(NULL);
		return w > 0 ? w + 1 : 1;
	}
	return res->status == 429 ? 0 : -1;
}

/*
 * `method` on `url` (absolute, under the API's base) with `payload`
 * (JSON text or NULL). On success (2xx) *out gets the parsed answer (NULL
 * for an empty one) and *next the Link rel="next" URL (both the caller's).
 */
static int request(struct cbench_github *gh, const char *method, const char *url,
                   const char *payload, json_t **out, char **next, struct cbench_error *err)
{
	struct curl_slist *headers = NULL, *h;
	struct response res;
	char what[300], why[300] = "", message[200];
	int rc = CBENCH_ERROR;

	if (out)
		*out = NULL;
	if (next)
		*next = NULL;
	describe(gh, method, url, what, sizeof(what));
	response_init(&res);
	{
		const char *lines[] = { "Accept: application/vnd.github+json",
		                        "X-GitHub-Api-Version: 2022-11-28", gh->auth,
		                        payload ? "Content-Type: application/json" : NULL };

		for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]) && lines[i]; i++) {
			if (!(h = curl_slist_append(headers, lines[i]))) {
				curl_slist_free_all(headers);
				return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
			}
			headers = h;
		}
	}
	for (int attempt = 1; attempt <= gh->attempts; attempt++) {
		CURLcode cc;
		double wait;
		bool transient;

		response_free(&res);
		response_init(&res);
		if (setup(gh, method, url, payload, headers, &res) != 0) {
			rc = cbench_error__set(err, CBENCH_ERROR, "%s: libcurl refused an option", what);
			goto out;
		}
		cc = curl_easy_perform(gh->curl);
		if (cc != CURLE_OK) {
			snprintf(why, sizeof(why), "%s", res.body.failed ?
			         "the answer is too big" : curl_easy_strerror(cc));
			transient = !res.body.failed;
			wait = gh->backoff * pow(2, attempt - 1) * jitter(gh);
		} else {
			curl_easy_getinfo(gh->curl, CURLINFO_RESPONSE_CODE, &res.status);
			if (res.status >= 200 && res.status < 300)
				break;
			github_message(&res, message, sizeof(message));
			snprintf(why, sizeof(why), "status %ld%s%s", res.status,
			         message[0] ? ": " : "", message);
			wait = rate_limit_wait(&res);
			if (wait >= 0) {
				transient = true;
				if (wait > gh->max_wait) {
					rc = cbench_error__set(err, CBENCH_ERROR,
					        "%s: %s (rate limited for %.0f s more, over the %.0f s "
					        "cbench waits)", what, why, wait, gh->max_wait);
					goto out;
				}
				if (wait == 0)
					wait = gh->backoff * pow(2, attempt - 1) * jitter(gh);
			} else {
				transient = res.status >= 500;
				wait = gh->backoff * pow(2, attempt - 1) * jitter(gh);
			}
		}
		if (!transient || attempt == gh->attempts) {
			rc = cbench_error__set(err, res.status == 403 ? CBENCH_EFORBIDDEN_GITHUB :
			                       CBENCH_ERROR, "%s: %s%s", what, why,
			                       transient ? attempt > 1 ? " (gave up after retries)" : "" :
			                       res.status == 403 ? " (the token may not write here: "
			                       "a fork's pull request gets a read-only one)" : "");
			goto out;
		}
		fprintf(stderr, "cbench github: %s: %s; trying again in %.1f s\n", what, why, wait);
		pause_for(wait);
	}
	if (out && cbench_buf__len(&res.body) > 0) {
		json_error_t je;

		*out = json_loadb(cbench_buf__str(&res.body), cbench_buf__len(&res.body), 0, &je);
		if (!*out) {
			rc = cbench_error__set(err, CBENCH_EPARSE, "%s: the answer is not JSON: %s "
			                       "(line %d)", what, je.text, je.line);
			goto out;
		}
	}
	if (next && res.next) {
		size_t n = strlen(gh->api);

		/* The token goes to the API only. */
		if (strncmp(res.next, gh->api, n) != 0 || (res.next[n] != '/' && res.next[n] != '?')) {
			rc = cbench_error__set(err, CBENCH_ERROR, "%s: the next page is not under %s; "
			                       "not followed", what, gh->api);
			if (out) {
				json_decref(*out);
				*out = NULL;
			}
			goto out;
		}
		*next = res.next;
		res.next = NULL;
	}
	rc = 0;
out:
	curl_slist_free_all(headers);
	response_free(&res);
	return rc;
}

/* Like request(), with a JSON payload built by the caller (stolen). */
static int request_json(struct cbench_github *gh, const char *method, const char *url,
                        json_t *payload, json_t **out, struct cbench_error *err)
{
	char *text;
	int rc;

	if (!payload)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	text = json_dumps(payload, JSON_COMPACT);
	json_decref(payload);
	if (!text)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = request(gh, method, url, text, out, NULL, err);
	free(text);
	return rc;
}

static char *url_of(const struct cbench_github *gh, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The API's base + "/repos/owner/name" + the formatted rest. */
static char *url_of(const struct cbench_github *gh, const char *fmt, ...)
{
	struct cbench_buf b = CBENCH_BUF_INIT(1 << 16);
	va_list ap;

	cbench_buf__addf(&b, "%s/repos/%s", gh->api, gh->repo);
	va_start(ap, fmt);
	cbench_buf__vaddf(&b, fmt, ap);
	va_end(ap);
	return cbench_buf__take(&b, NULL);
}

/* ---- listings --------------------------------------------------------------------- */

/* Returns 1 (found: stop), 0 (go on). */
typedef int (*item_fn)(json_t *item, void *ctx);

/* Calls fn on every element of every page from `url` on, until it returns 1.
 * 1 when found, 0 when not, or an error code. */
static int each_item(struct cbench_github *gh, const char *first, item_fn fn, void *ctx,
                     struct cbench_error *err)
{
	char *url = strdup(first), *next = NULL;
	int rc = 0, pages = 0;

	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	while (url && rc == 0) {
		json_t *list = NULL, *item;
		size_t i;

		if (++pages > MAX_PAGES) {
			rc = cbench_error__set(err, CBENCH_ERROR, "GET %.200s: more than %d pages",
			                       first, MAX_PAGES);
			break;
		}
		rc = request(gh, "GET", url, NULL, &list, &next, err);
		free(url);
		url = next;
		next = NULL;
		if (rc != 0)
			break;
		if (!json_is_array(list)) {
			char what[300];

			describe(gh, "GET", first, what, sizeof(what));
			json_decref(list);
			rc = cbench_error__set(err, CBENCH_EPARSE, "%s: the answer is not a list", what);
			break;
		}
		json_array_foreach(list, i, item)
			if ((rc = fn(item, ctx)) != 0)
				break;
		json_decref(list);
	}
	free(url);
	return rc;
}

struct find {
	const char *marker;   /* comments: body contains it */
	const char *title;    /* issues: exact title, not a pull request */
	long long id;
};

bool cbench_github__is_comment(const json_t *item, const char *marker, long long *id)
{
	const char *body = json_string_value(json_object_get(item, "body"));
	json_t *v = json_object_get(item, "id");

	if (!body || !strstr(body, marker) || !json_is_integer(v))
		return false;
	*id = json_integer_value(v);
	return true;
}

bool cbench_github__is_issue(const json_t *item, const char *title, long long *number)
{
	const char *t = json_string_value(json_object_get(item, "title"));
	json_t *v = json_object_get(item, "number");

	if (!t || strcmp(t, title) != 0 || json_object_get(item, "pull_request") ||
	    !json_is_integer(v))
		return false;
	*number = json_integer_value(v);
	return true;
}

static int find_comment(json_t *item, void *ctx)
{
	struct find *f = ctx;

	return cbench_github__is_comment(item, f->marker, &f->id) ? 1 : 0;
}

static int find_issue(json_t *item, void *ctx)
{
	struct find *f = ctx;

	return cbench_github__is_issue(item, f->title, &f->id) ? 1 : 0;
}

int cbench_github__event_load(struct cbench_github_event *out, const char *path,
                              struct cbench_error *err)
{
	json_error_t je;
	json_t *doc, *pr, *n;
	const char *sha;

	memset(out, 0, sizeof(*out));
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return cbench_error__set(err, CBENCH_EUSAGE, "event file %s:%d:%d: %s", path,
		                         je.line, je.column, je.text);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return cbench_error__set(err, CBENCH_EUSAGE, "event file %s: not a JSON object",
		                         path);
	}
	pr = json_object_get(doc, "pull_request");
	n = json_object_get(pr, "number");
	if (!json_is_integer(n))
		n = json_object_get(doc, "number");
	if (json_is_integer(n) && json_integer_value(n) > 0)
		out->pr = json_integer_value(n);
	sha = json_string_value(json_object_get(json_object_get(pr, "head"), "sha"));
	if (sha && strlen(sha) < sizeof(out->head_sha) && strspn(sha, "0123456789abcdef") == strlen(sha))
		memcpy(out->head_sha, sha, strlen(sha) + 1);
	json_decref(doc);
	return 0;
}

/* The "id" (or "number") of a created object. */
static int created_id(json_t *doc, const char *key, long long *out, struct cbench_error *err)
{
	json_t *v = json_object_get(doc, key);

	if (!json_is_integer(v))
		return cbench_error__set(err, CBENCH_EPARSE, "GitHub's answer has no \"%s\"", key);
	*out = json_integer_value(v);
	return 0;
}

/* ---- comments, issues, checks ------------------------------------------------------- */

int cbench_github__comment_upsert(struct cbench_github *gh, long long pr, const char *marker,
                                  const char *body, long long *id, bool *created,
                                  struct cbench_error *err)
{
	struct find f = { marker, NULL, 0 };
	char *url = url_of(gh, "/issues/%lld/comments?per_page=" PER_PAGE, pr);
	json_t *doc = NULL;
	int rc;

	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = each_item(gh, url, find_comment, &f, err);
	free(url);
	if (rc < 0)
		return rc;
	*created = rc == 0;
	url = *created ? url_of(gh, "/issues/%lld/comments", pr) :
	      url_of(gh, "/issues/comments/%lld", f.id);
	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = request_json(gh, *created ? "POST" : "PATCH", url,
	                  json_pack("{s:s}", "body", body), &doc, err);
	free(url);
	if (rc == 0)
		rc = created_id(doc, "id", id, err);
	json_decref(doc);
	return rc;
}

/* The number of the open issue labelled `label` titled `title`: 1 and
 * *number when found, 0 when not, or an error code. */
static int find_open_issue(struct cbench_github *gh, const char *title, const char *label,
                           long long *number, struct cbench_error *err)
{
	struct find f = { NULL, title, 0 };
	char *escaped = curl_easy_escape(gh->curl, label, 0), *url;
	int rc;

	if (!escaped)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	url = url_of(gh, "/issues?state=open&labels=%s&per_page=" PER_PAGE, escaped);
	curl_free(escaped);
	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = each_item(gh, url, find_issue, &f, err);
	free(url);
	*number = f.id;
	return rc;
}

int cbench_github__issue_upsert(struct cbench_github *gh, const char *title,
                                const char *label, const char *body, long long *number,
                                bool *created, struct cbench_error *err)
{
	json_t *doc = NULL;
	char *url;
	int rc = find_open_issue(gh, title, label, number, err);

	if (rc < 0)
		return rc;
	*created = rc == 0;
	url = *created ? url_of(gh, "/issues") : url_of(gh, "/issues/%lld", *number);
	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	if (*created)
		rc = request_json(gh, "POST", url, json_pack("{s:s, s:s, s:[s]}", "title", title,
		                  "body", body, "labels", label), &doc, err);
	else
		rc = request_json(gh, "PATCH", url, json_pack("{s:s}", "body", body), &doc, err);
	free(url);
	if (rc == 0 && *created)
		rc = created_id(doc, "number", number, err);
	json_decref(doc);
	return rc;
}

int cbench_github__issue_close(struct cbench_github *gh, const char *title,
                               const char *label, const char *comment, long long *number,
                               struct cbench_error *err)
{
	char *url;
	int rc = find_open_issue(gh, title, label, number, err);

	if (rc <= 0) {
		*number = 0;
		return rc;
	}
	url = url_of(gh, "/issues/%lld/comments", *number);
	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = request_json(gh, "POST", url, json_pack("{s:s}", "body", comment), NULL, err);
	free(url);
	if (rc != 0)
		return rc;
	url = url_of(gh, "/issues/%lld", *number);
	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = request_json(gh, "PATCH", url, json_pack("{s:s, s:s}", "state", "closed",
	                  "state_reason", "completed"), NULL, err);
	free(url);
	return rc;
}

int cbench_github__check_create(struct cbench_github *gh, const char *name, const char *sha,
                                const char *conclusion, const char *title,
                                const char *summary, long long *id,
                                struct cbench_error *err)
{
	char *url = url_of(gh, "/check-runs");
	json_t *doc = NULL;
	int rc;

	if (!url)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	rc = request_json(gh, "POST", url,
	                  json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "name", name,
	                            "head_sha", sha, "status", "completed",
	                            "conclusion", conclusion, "output", "title", title,
	                            "summary", summary), &doc, err);
	free(url);
	if (rc == 0)
		rc = created_id(doc, "id", id, err);
	json_decref(doc);
	return rc;
}

/* ---- bodies over the limit ------------------------------------------------------------ */

static bool starts_fence(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && i < 3 && line[i] == ' ')
		i++;
	return len - i >= 3 && (strncmp(line + i, "```", 3) == 0 || strncmp(line + i, "~~~", 3) == 0);
}

bool cbench_github__fit(struct cbench_buf *out, const char *text, size_t len, size_t max,
                        const char *note)
{
	/* room for the closing of every block left open, and the note */
	size_t reserve = strlen(note) + 16, keep = 0, open_details = 0;
	bool fence = false;

	if (len <= max) {
		cbench_buf__add(out, text, len);
		return false;
	}
	/* Count what each kept line opens and closes; a line is kept whole or
	 * not at all, so the cut is at a '\n' (never inside a character or a
	 * table row), and the closing tags it needs are counted in. */
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		const char *line = text + at;
		size_t n = end - at, closing;
		size_t opens = open_details, i;
		bool f = fence;

		if (starts_fence(line, n))
			f = !f;
		if (!fence)
			for (i = 0; i + 8 <= n; i++) {
				if (strncmp(line + i, "<details", 8) == 0)
					opens++;
				else if (i + 10 <= n && strncmp(line + i, "</details>", 10) == 0 && opens)
					opens--;
			}
		closing = (f ? 4 : 0) + opens * 11;
		if (!nl || end + closing + reserve > max)
			break;
		keep = end;
		open_details = opens;
		fence = f;
		at = end;
	}
	cbench_buf__add(out, text, keep);
	if (fence)
		cbench_buf__adds(out, "```\n");
	while (open_details-- > 0)
		cbench_buf__adds(out, "</details>\n");
	cbench_buf__adds(out, "\n");
	cbench_buf__adds(out, note);
	return true;
}
