/*
 * The fake GitHub of fake_github.h: an acceptor thread and a thread per
 * connection (so a slow answer does not hold up the next one), one request
 * per connection (Connection: close), state under one mutex. Every loop is
 * bounded: the acceptor polls its stop flag every 50 ms and gives up after
 * 10 minutes, a connection is read for at most 5 s and 8 MiB, a slow
 * answer waits 2 s, and stopping waits at most 5 s for connections.
 */
#include "fake_github.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define HEAD_MAX (64 << 10)
#define BODY_MAX (8 << 20)
#define LOG_MAX (1 << 20)
#define READ_MS 5000
#define SLOW_MS 2000
#define ACCEPT_LIFETIME_S 600

struct list {
	struct fake_item items[FAKE_GITHUB_MAX];
	size_t n;
};

struct fake_github {
	int fd;
	char url[64];
	char *token;
	int page_size;
	long long next_id, next_number;
	pthread_t acceptor;
	pthread_mutex_t lock;
	volatile int stop;
	int active;             /* connection threads running */
	enum fake_fault fault;
	int fault_status, fault_count;
	char fault_method[16];
	bool read_only;
	struct list comments, issues, checks;
	char log[LOG_MAX];
	size_t log_len, requests;
};

struct request {
	char method[16], path[2048];
	char *accept, *version, *agent, *auth;
	char *body;
	size_t body_len;
};

struct conn {
	struct fake_github *fg;
	int fd;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- reading a request --------------------------------------------------------- */

static char *header(const char *head, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2, *end = strstr(line, "\r\n");

		if (!end)
			break;
		if ((size_t)(end - line) > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
			line += n + 1;
			while (*line == ' ')
				line++;
			return strndup(line, (size_t)(end - line));
		}
	}
	return NULL;
}

/* Reads at most `cap` bytes within the deadline; returns what it read. */
static ssize_t read_some(int fd, char *buf, size_t cap, long long deadline)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long long left = deadline - now_ms();

	if (left <= 0 || poll(&p, 1, (int)left) <= 0)
		return -1;
	return read(fd, buf, cap);
}

static int read_request(int fd, struct request *rq)
{
	char *buf = malloc(HEAD_MAX + 1), *end = NULL, *cl;
	size_t len = 0, head_len, want;
	long long deadline = now_ms() + READ_MS;
	int rc = -1;

	memset(rq, 0, sizeof(*rq));
	if (!buf)
		return -1;
	while (!end && len < HEAD_MAX) {
		ssize_t n = read_some(fd, buf + len, HEAD_MAX - len, deadline);

		if (n <= 0)
			goto out;
		len += (size_t)n;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	if (!end || sscanf(buf, "%15s %2047s", rq->method, rq->path) != 2)
		goto out;
	head_len = (size_t)(end - buf) + 4;
	end[2] = '\0';
	rq->accept = header(buf, "Accept");
	rq->version = header(buf, "X-GitHub-Api-Version");
	rq->agent = header(buf, "User-Agent");
	rq->auth = header(buf, "Authorization");
	cl = header(buf, "Content-Length");
	want = cl ? strtoul(cl, NULL, 10) : 0;
	free(cl);
	if (want > BODY_MAX)
		goto out;
	rq->body = malloc(want + 1);
	if (!rq->body)
		goto out;
	rq->body_len = len - head_len < want ? len - head_len : want;
	memcpy(rq->body, buf + head_len, rq->body_len);
	while (rq->body_len < want) {
		ssize_t n = read_some(fd, rq->body + rq->body_len, want - rq->body_len, deadline);

		if (n <= 0)
			goto out;
		rq->body_len += (size_t)n;
	}
	rq->body[rq->body_len] = '\0';
	rc = 0;
out:
	free(buf);
	return rc;
}

static void request_free(struct request *rq)
{
	free(rq->accept);
	free(rq->version);
	free(rq->agent);
	free(rq->auth);
	free(rq->body);
}

/* ---- answering ------------------------------------------------------------------ */

static void send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void answer(int fd, int status, const char *extra_headers, const char *body)
{
	char head[4096];
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d X\r\nContent-Type: application/json; charset=utf-8\r\n"
	                 "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
	                 status, strlen(body), extra_headers ? extra_headers : "");

	send_all(fd, head, (size_t)n);
	send_all(fd, body, strlen(body));
}

static void answer_error(int fd, int status, const char *message, const char *extra)
{
	json_t *doc = json_pack("{s:s, s:s}", "message", message, "documentation_url",
	                        "https://docs.github.com/rest");
	char *text = json_dumps(doc, JSON_COMPACT);

	answer(fd, status, extra, text);
	free(text);
	json_decref(doc);
}

static void answer_json(int fd, int status, json_t *doc, const char *extra)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	answer(fd, status, extra, text);
	free(text);
	json_decref(doc);
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static json_t *item_json(const struct fake_item *it, char kind)
{
	if (kind == 'c')
		return json_pack("{s:I, s:s, s:{s:s}}", "id", (json_int_t)it->id, "body", it->body,
		                 "user", "login", "github-actions[bot]");
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:[{s:s}]}", "id", (json_int_t)it->id + 1000,
	                 "number", (json_int_t)it->id, "title", it->title, "body", it->body,
	                 "state", it->closed ? "closed" : "open", "labels", "name", it->label);
}

/* One page of the matching items, with a Link header. Called locked. */
static void answer_page(struct fake_github *fg, int fd, const char *path, const struct list *l,
                        char kind, long long parent, const char *label)
{
	const char *q = strstr(path, "page="), *p = q;
	long page = 1, last, count = 0, k = 0;
	json_t *arr = json_array();
	char link[4096] = "", base[2048];

	/* "page=" inside "per_page=" is not the page */
	while (p && p > path && p[-1] == '_')
		p = strstr(p + 1, "page=");
	if (p)
		page = strtol(p + 5, NULL, 10);
	if (page < 1)
		page = 1;
	for (size_t i = 0; i < l->n; i++)
		count += kind == 'c' ? l->items[i].parent == parent :
		         !l->items[i].closed && strcmp(l->items[i].label, label) == 0;
	last = count ? (count + fg->page_size - 1) / fg->page_size : 1;
	for (size_t i = 0; i < l->n; i++) {
		bool match = kind == 'c' ? l->items[i].parent == parent :
		             !l->items[i].closed && strcmp(l->items[i].label, label) == 0;

		if (!match)
			continue;
		if (k >= (page - 1) * fg->page_size && k < page * fg->page_size)
			json_array_append_new(arr, item_json(&l->items[i], kind));
		k++;
	}
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(path, "?"), path);
	if (page < last)
		snprintf(link, sizeof(link), "Link: <%s%s?per_page=%d&page=%ld>; rel=\"next\", "
		         "<%s%s?per_page=%d&page=%ld>; rel=\"last\"\r\n", fg->url, base,
		         fg->page_size, page + 1, fg->url, base, fg->page_size, last);
	answer_json(fd, 200, arr, link);
}

static struct fake_item *add(struct list *l)
{
	cr_assert_lt(l->n, FAKE_GITHUB_MAX, "the fake GitHub is full");
	memset(&l->items[l->n], 0, sizeof(l->items[0]));
	return &l->items[l->n++];
}

static struct fake_item *find(struct list *l, long long id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].id == id)
			return &l->items[i];
	return NULL;
}

static void replace(char **field, const char *value)
{
	if (!value)
		return;
	free(*field);
	*field = strdup(value);
}

/* Routes a request that passed the header checks. Called locked. */
static void route(struct fake_github *fg, int fd, const struct request *rq)
{
	static const char prefix[] = "/repos/" FAKE_GITHUB_REPO "/";
	const char *rest = rq->path + sizeof(prefix) - 1;
	bool get = strcmp(rq->method, "GET") == 0, post = strcmp(rq->method, "POST") == 0;
	bool patch = strcmp(rq->method, "PATCH") == 0;
	json_t *in = NULL;
	const char *body = NULL;
	long long n = 0;
	char tail[64] = "";
	int used = 0, end = 0;
	struct fake_item *it;

	if (strncmp(rq->path, prefix, sizeof(prefix) - 1) != 0) {
		answer_error(fd, 404, "Not Found", NULL);
		return;
	}
	if (!get) {
		in = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
		if (!json_is_object(in)) {
			answer_error(fd, 400, "Problems parsing JSON", NULL);
			goto out;
		}
		body = json_string_value(json_object_get(in, "body"));
		if (!body)
			body = json_string_value(json_object_get(json_object_get(in, "output"), "summary"));
		if (body && utf8_chars(body) > 65536) {
			answer_error(fd, 422, "Validation Failed: body is too long (maximum is 65536 "
			             "characters)", NULL);
			goto out;
		}
		if (fg->read_only) {
			answer_error(fd, 403, "Resource not accessible by integration", NULL);
			goto out;
		}
	}
	if (sscanf(rest, "issues/comments/%lld%63s", &n, tail) >= 1 && !tail[0] && patch) {
		if (!(it = find(&fg->comments, n)) || !body) {
			answer_error(fd, it ? 422 : 404, it ? "Validation Failed" : "Not Found", NULL);
			goto out;
		}
		replace(&it->body, body);
		answer_json(fd, 200, item_json(it, 'c'), NULL);
	} else if (sscanf(rest, "issues/%lld/comments%n", &n, &used) >= 1 && used &&
	           (!rest[used] || rest[used] == '?')) {
		if (get) {
			answer_page(fg, fd, rq->path, &fg->comments, 'c', n, NULL);
		} else if (post && body) {
			it = add(&fg->comments);
			it->id = fg->next_id++;
			it->parent = n;
			it->body = strdup(body);
			answer_json(fd, 201, item_json(it, 'c'), NULL);
		} else {
			answer_error(fd, 422, "Validation Failed", NULL);
		}
	} else if (strncmp(rest, "issues?", 7) == 0 && get) {
		const char *l = strstr(rest, "labels=");
		char label[256] = "";

		if (l)
			sscanf(l + 7, "%255[^&]", label);
		for (char *p = label; *p; p++)   /* enough unescaping for the tests' labels */
			if (*p == '+')
				*p = ' ';
		answer_page(fg, fd, rq->path, &fg->issues, 'i', 0, label);
	} else if (strcmp(rest, "issues") == 0 && post) {
		const char *title = json_string_value(json_object_get(in, "title"));
		const char *label = json_string_value(json_array_get(json_object_get(in, "labels"), 0));

		if (!title || !body) {
			answer_error(fd, 422, "Validation Failed", NULL);
			goto out;
		}
		it = add(&fg->issues);
		it->id = fg->next_number++;
		it->title = strdup(title);
		it->label = strdup(label ? label : "");
		it->body = strdup(body);
		answer_json(fd, 201, item_json(it, 'i'), NULL);
	} else if (sscanf(rest, "issues/%lld%n", &n, &end) == 1 && !rest[end] && patch) {
		const char *state = json_string_value(json_object_get(in, "state"));

		if (!(it = find(&fg->issues, n))) {
			answer_error(fd, 404, "Not Found", NULL);
			goto out;
		}
		replace(&it->body, body);
		if (state)
			it->closed = strcmp(state, "closed") == 0;
		answer_json(fd, 200, item_json(it, 'i'), NULL);
	} else if (strcmp(rest, "check-runs") == 0 && post) {
		const char *sha = json_string_value(json_object_get(in, "head_sha"));
		const char *conclusion = json_string_value(json_object_get(in, "conclusion"));
		const char *name = json_string_value(json_object_get(in, "name"));

		if (!sha || !conclusion || !name || !body) {
			answer_error(fd, 422, "Validation Failed", NULL);
			goto out;
		}
		it = add(&fg->checks);
		it->id = fg->next_id++;
		it->title = strdup(sha);
		it->label = strdup(name);
		it->body = strdup(body);
		it->extra = strdup(conclusion);
		answer_json(fd, 201, json_pack("{s:I}", "id", (json_int_t)it->id), NULL);
	} else {
		answer_error(fd, 404, "Not Found", NULL);
	}
out:
	json_decref(in);
}

static void log_line(struct fake_github *fg, const struct request *rq, int status)
{
	int n = snprintf(fg->log + fg->log_len, LOG_MAX - fg->log_len, "%s %s %d\n",
	                 rq->method, rq->path, status);

	if (n > 0 && fg->log_len + (size_t)n < LOG_MAX)
		fg->log_len += (size_t)n;
	fg->requests++;
}

static void serve(struct fake_github *fg, int fd)
{
	struct request rq;
	enum fake_fault fault = FAKE_OK;
	int status = 0;
	char bearer[512];

	if (read_request(fd, &rq) != 0) {
		request_free(&rq);
		return;
	}
	pthread_mutex_lock(&fg->lock);
	if (fg->fault_count > 0 && (!fg->fault_method[0] ||
	                            strcmp(fg->fault_method, rq.method) == 0)) {
		fault = fg->fault;
		status = fg->fault_status;
		fg->fault_count--;
	}
	pthread_mutex_unlock(&fg->lock);
	if (fault == FAKE_SLOW) {
		for (long long end = now_ms() + SLOW_MS; now_ms() < end && !fg->stop;)
			usleep(20000);
	}
	snprintf(bearer, sizeof(bearer), "Bearer %s", fg->token);
	pthread_mutex_lock(&fg->lock);
	if (!rq.accept || strcmp(rq.accept, "application/vnd.github+json") != 0) {
		answer_error(fd, status = 400, "Accept: application/vnd.github+json expected", NULL);
	} else if (!rq.version || strcmp(rq.version, "2022-11-28") != 0) {
		answer_error(fd, status = 400, "X-GitHub-Api-Version: 2022-11-28 expected", NULL);
	} else if (!rq.agent || !*rq.agent) {
		answer_error(fd, status = 400, "Request forbidden by administrative rules. "
		             "Please make sure your request has a User-Agent header", NULL);
	} else if (!rq.auth || strcmp(rq.auth, bearer) != 0) {
		answer_error(fd, status = 401, "Bad credentials", NULL);
	} else if (fault == FAKE_STATUS) {
		answer_error(fd, status, status >= 500 ? "Server Error" : "Injected", NULL);
	} else if (fault == FAKE_GARBAGE) {
		answer(fd, status = 200, NULL, "<html><body>502 Bad Gateway</body>\x01\xff");
	} else if (fault == FAKE_RATE_LIMIT) {
		char extra[256];

		snprintf(extra, sizeof(extra), "x-ratelimit-limit: 1000\r\nx-ratelimit-remaining: 0\r\n"
		         "x-ratelimit-used: 1000\r\nx-ratelimit-reset: %lld\r\n",
		         (long long)time(NULL) + 1);
		answer_error(fd, status = 403, "API rate limit exceeded", extra);
	} else {
		status = 200;
		route(fg, fd, &rq);
	}
	log_line(fg, &rq, status);
	pthread_mutex_unlock(&fg->lock);
	request_free(&rq);
}

static void *connection(void *arg)
{
	struct conn *c = arg;
	struct fake_github *fg = c->fg;

	serve(fg, c->fd);
	close(c->fd);
	free(c);
	pthread_mutex_lock(&fg->lock);
	fg->active--;
	pthread_mutex_unlock(&fg->lock);
	return NULL;
}

static void *acceptor(void *arg)
{
	struct fake_github *fg = arg;
	long long end = now_ms() + ACCEPT_LIFETIME_S * 1000LL;

	while (!fg->stop && now_ms() < end) {
		struct pollfd p = { fg->fd, POLLIN, 0 };
		struct conn *c;
		pthread_t t;
		int fd;

		if (poll(&p, 1, 50) <= 0)
			continue;
		fd = accept(fg->fd, NULL, NULL);
		if (fd < 0)
			continue;
		c = malloc(sizeof(*c));
		cr_assert_not_null(c);
		c->fg = fg;
		c->fd = fd;
		pthread_mutex_lock(&fg->lock);
		fg->active++;
		pthread_mutex_unlock(&fg->lock);
		if (pthread_create(&t, NULL, connection, c) != 0) {
			close(fd);
			free(c);
			pthread_mutex_lock(&fg->lock);
			fg->active--;
			pthread_mutex_unlock(&fg->lock);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

struct fake_github *fake_github_start(const char *token, long long first_id, int page_size)
{
	struct fake_github *fg = calloc(1, sizeof(*fg));
	struct sockaddr_in addr = { 0 };
	socklen_t len = sizeof(addr);

	cr_assert_not_null(fg);
	fg->token = strdup(token);
	fg->next_id = first_id;
	fg->next_number = 1;
	fg->page_size = page_size > 0 ? page_size : 30;
	pthread_mutex_init(&fg->lock, NULL);
	fg->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(fg->fd, 0, "socket: %s", strerror(errno));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	cr_assert_eq(bind(fg->fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "bind: %s",
	             strerror(errno));
	cr_assert_eq(listen(fg->fd, 64), 0);
	cr_assert_eq(getsockname(fg->fd, (struct sockaddr *)&addr, &len), 0);
	snprintf(fg->url, sizeof(fg->url), "http://127.0.0.1:%d", ntohs(addr.sin_port));
	cr_assert_eq(pthread_create(&fg->acceptor, NULL, acceptor, fg), 0);
	return fg;
}

static void free_list(struct list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].title);
		free(l->items[i].label);
		free(l->items[i].body);
		free(l->items[i].extra);
	}
}

void fake_github_stop(struct fake_github *fg)
{
	long long end = now_ms() + 5000;
	int active = 1;

	if (!fg)
		return;
	fg->stop = 1;
	pthread_join(fg->acceptor, NULL);
	close(fg->fd);
	while (active > 0 && now_ms() < end) {
		pthread_mutex_lock(&fg->lock);
		active = fg->active;
		pthread_mutex_unlock(&fg->lock);
		if (active > 0)
			usleep(10000);
	}
	if (active > 0)
		return;   /* a connection is still being served: leak rather than race */
	free_list(&fg->comments);
	free_list(&fg->issues);
	free_list(&fg->checks);
	pthread_mutex_destroy(&fg->lock);
	free(fg->token);
	free(fg);
}

const char *fake_github_url(const struct fake_github *fg)
{
	return fg->url;
}

void fake_github_fault(struct fake_github *fg, const char *method, enum fake_fault fault,
                       int status, int count)
{
	pthread_mutex_lock(&fg->lock);
	snprintf(fg->fault_method, sizeof(fg->fault_method), "%s", method ? method : "");
	fg->fault = fault;
	fg->fault_status = status;
	fg->fault_count = count;
	pthread_mutex_unlock(&fg->lock);
}

void fake_github_read_only(struct fake_github *fg, bool on)
{
	pthread_mutex_lock(&fg->lock);
	fg->read_only = on;
	pthread_mutex_unlock(&fg->lock);
}

void fake_github_add_comment(struct fake_github *fg, long long pr, const char *body)
{
	struct fake_item *it;

	pthread_mutex_lock(&fg->lock);
	it = add(&fg->comments);
	it->id = fg->next_id++;
	it->parent = pr;
	it->body = strdup(body);
	pthread_mutex_unlock(&fg->lock);
}

static struct list *list_of(struct fake_github *fg, char kind)
{
	return kind == 'c' ? &fg->comments : kind == 'i' ? &fg->issues : &fg->checks;
}

size_t fake_github_count(struct fake_github *fg, char kind)
{
	size_t n;

	pthread_mutex_lock(&fg->lock);
	n = list_of(fg, kind)->n;
	pthread_mutex_unlock(&fg->lock);
	return n;
}

const struct fake_item *fake_github_item(struct fake_github *fg, char kind, size_t i)
{
	const struct fake_item *it;

	pthread_mutex_lock(&fg->lock);
	it = i < list_of(fg, kind)->n ? &list_of(fg, kind)->items[i] : NULL;
	pthread_mutex_unlock(&fg->lock);
	return it;
}

size_t fake_github_requests(struct fake_github *fg)
{
	size_t n;

	pthread_mutex_lock(&fg->lock);
	n = fg->requests;
	pthread_mutex_unlock(&fg->lock);
	return n;
}

const char *fake_github_log(struct fake_github *fg)
{
	return fg->log;
}
