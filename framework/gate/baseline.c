/*
 * Loading and validating baselines/baselines.json. A malformed file is a
 * configuration error found before anything runs: the message names the
 * file and the key's path, and nothing is written.
 */
#include "gate/baseline.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/util.h"

#define METADATA "metadata"

static int bad(struct cbench_error *err, const char *path, const char *platform,
               const char *metric, const char *what)
{
	return cbench_error__set(err, CBENCH_EUSAGE, "%s: \"%s\".\"%s\": %s", path,
	                         platform, metric, what);
}

static const char *const summary_keys[CBENCH_SUMMARY_QUANTILES] = {
	"min", "q1", "median", "q3", "max"
};

static bool is_count(json_t *x, json_int_t min)
{
	return json_is_integer(x) && json_integer_value(x) >= min;
}

/* Checks a metric's "summary" object and fills *out. */
static int read_summary(struct cbench_baseline_summary *out, const char *path,
                        const char *platform, const char *name, json_t *o,
                        struct cbench_error *err)
{
	json_t *n = json_object_get(o, "n"), *runs = json_object_get(o, "runs");
	char what[160];

	if (!json_is_object(o))
		return bad(err, path, platform, name, "\"summary\" must be an object");
	if (!is_count(n, 1))
		return bad(err, path, platform, name,
		           "\"summary\".\"n\" must be a whole number >= 1");
	if (runs && !is_count(runs, 1))
		return bad(err, path, platform, name,
		           "\"summary\".\"runs\" must be a whole number >= 1");
	out->n = (size_t)json_integer_value(n);
	out->runs = runs ? (size_t)json_integer_value(runs) : 0;
	for (size_t i = 0; i < CBENCH_SUMMARY_QUANTILES; i++) {
		json_t *x = json_object_get(o, summary_keys[i]);

		if (!json_is_number(x) || !isfinite(json_number_value(x))) {
			snprintf(what, sizeof(what), "\"summary\".\"%s\" must be a number",
			         summary_keys[i]);
			return bad(err, path, platform, name, what);
		}
		out->q[i] = json_number_value(x);
		if (i > 0 && out->q[i] < out->q[i - 1]) {
			snprintf(what, sizeof(what),
			         "\"summary\": \"%s\" %g is below \"%s\" %g (min <= q1 <= "
			         "median <= q3 <= max)", summary_keys[i], out->q[i],
			         summary_keys[i - 1], out->q[i - 1]);
			return bad(err, path, platform, name, what);
		}
	}
	return 0;
}

/* Checks one metric's entry and, when `out` is not NULL, fills it. */
static int read_metric(struct cbench_baseline_metric *out, const char *path,
                       const char *platform, const char *name, json_t *v,
                       struct cbench_error *err)
{
	struct cbench_baseline_metric m;
	char what[160];
	json_t *x;


	memset(&m, 0, sizeof(m));
	m.name = name;
	if (json_is_number(v)) {
		m.value = json_number_value(v);
	} else if (json_is_object(v)) {
		/* Other keys (a description, a later version's fields) are kept
		 * by the update tool and ignored here. */
		x = json_object_get(v, "value");
		if (!json_is_number(x))
			return bad(err, path, platform, name, "\"value\" must be a number");
		m.value = json_number_value(x);
		x = json_object_get(v, "unit");
		if (x && !json_is_string(x))
			return bad(err, path, platform, name, "\"unit\" must be a string");
		m.unit = x ? json_string_value(x) : NULL;
		x = json_object_get(v, "direction");
		if (x) {
			const char *d = json_is_string(x) ? json_string_value(x) : "";

			if (strcmp(d, "lower") == 0)
				m.direction = CBENCH_LOWER_IS_BETTER;
			else if (strcmp(d, "higher") == 0)
				m.direction = CBENCH_HIGHER_IS_BETTER;
			else
				return bad(err, path, platform, name,
				           "\"direction\" must be \"lower\" or \"higher\"");
			m.has_direction = true;
		}
		x = json_object_get(v, "threshold");
		if (x) {
			if (!json_is_number(x) || !(json_number_value(x) >= 0) ||
			    !isfinite(json_number_value(x)))
				return bad(err, path, platform, name,
				           "\"threshold\" must be a number >= 0 (a fraction: 0.2 is 20%)");
			m.has_threshold = true;
			m.threshold = json_number_value(x);
		}
		x = json_object_get(v, "summary");
		if (x) {
			int rc = read_summary(&m.summary, path, platform, name, x, err);

			if (rc)
				return rc;
			m.has_summary = true;
		}
	} else {
		return bad(err, path, platform, name, "expected a number or an object with \"value\"");
	}
	if (!(m.value > 0) || !isfinite(m.value)) {
		snprintf(what, sizeof(what), "a baseline must be a positive number, not %g", m.value);
		return bad(err, path, platform, name, what);
	}
	if (out)
		*out = m;
	return 0;
}

static int validate(const char *path, json_t *doc, struct cbench_error *err)
{
	const char *platform, *name;
	json_t *section, *v;
	int rc;

	if (!json_is_object(doc))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "%s: expected an object of platforms at the top level",
		                         path);
	json_object_foreach(doc, platform, section) {
		if (!json_is_object(section))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "%s: \"%s\": expected an object of metrics",
			                         path, platform);
		json_object_foreach(section, name, v) {
			if (strcmp(name, METADATA) == 0) {
				if (!json_is_object(v))
					return bad(err, path, platform, name, "expected an object");
				continue;
			}
			rc = read_metric(NULL, path, platform, name, v, err);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int cbench_baseline__load(struct cbench_baselines **out, const char *path,
                          struct cbench_error *err)
{
	struct cbench_baselines *b;
	json_error_t je;
	json_t *doc;
	FILE *f = fopen(path, "rb");
	int rc;

	if (!f) {
		if (errno == ENOENT)
			return cbench_error__set(err, CBENCH_ENOTFOUND, "%s: no such file", path);
		return cbench_error__set(err, CBENCH_EUSAGE, "%s: %s", path, strerror(errno));
	}
	/* JSON_REJECT_DUPLICATES: two values for one metric is a mistake to
	 * show, not to resolve silently. */
	doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!doc)
		return cbench_error__set(err, CBENCH_EPARSE, "%s:%d:%d: %s", path, je.line,
		                         je.column, je.text);
	rc = validate(path, doc, err);
	if (rc) {
		json_decref(doc);
		return rc;
	}
	b = calloc(1, sizeof(*b));
	if (!b || !(b->path = cbench__strdup(path))) {
		free(b);
		json_decref(doc);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	b->doc = doc;
	*out = b;
	return 0;
}

void cbench_baseline__free(struct cbench_baselines *b)
{
	if (!b)
		return;
	json_decref(b->doc);
	free(b->path);
	free(b);
}

int cbench_baseline__section(struct cbench_baseline_metric **out, size_t *n,
                             const struct cbench_baselines *b, const char *platform)
{
	json_t *section = json_object_get(b->doc, platform), *v;
	struct cbench_baseline_metric *v_out;
	const char *name;
	size_t k = 0;

	if (!section)
		return CBENCH_ENOTFOUND;
	v_out = calloc(json_object_size(section) + 1, sizeof(*v_out));
	if (!v_out)
		return CBENCH_ENOMEM;
	json_object_foreach(section, name, v) {
		if (strcmp(name, METADATA) == 0)
			continue;
		/* validated at load time: cannot fail */
		read_metric(&v_out[k++], b->path, platform, name, v, NULL);
	}
	*out = v_out;
	*n = k;
	return 0;
}

char *cbench_baseline__platforms(const struct cbench_baselines *b)
{
	const char *platform;
	json_t *section;
	size_t len = 1;
	char *s;

	json_object_foreach(b->doc, platform, section)
		len += strlen(platform) + 2;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	json_object_foreach(b->doc, platform, section) {
		if (s[0])
			strncat(s, ", ", len - strlen(s) - 1);
		strncat(s, platform, len - strlen(s) - 1);
	}
	return s;
}

int cbench_baseline__new(struct cbench_baselines **out, const char *path,
                         struct cbench_error *err)
{
	struct cbench_baselines *b = calloc(1, sizeof(*b));

	if (!b || !(b->path = cbench__strdup(path)) || !(b->doc = json_object())) {
		if (b)
			free(b->path);
		free(b);
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	}
	*out = b;
	return 0;
}

static json_t *section_of(struct cbench_baselines *b, const char *platform)
{
	json_t *section = json_object_get(b->doc, platform);

	if (!section) {
		section = json_object();
		if (!section || json_object_set_new(b->doc, platform, section) != 0)
			return NULL;
	}
	return section;
}

int cbench_baseline__set(struct cbench_baselines *b, const char *platform,
                         const char *metric, double value, const char *unit,
                         const char *direction)
{
	json_t *section = section_of(b, platform), *entry, *v;

	if (!section || !(v = json_real(value)))
		return CBENCH_ENOMEM;
	entry = json_object_get(section, metric);
	if (json_is_object(entry))
		return json_object_set_new(entry, "value", v) == 0 ? 0 : CBENCH_ENOMEM;
	if (!entry && ((unit && *unit) || direction)) {
		entry = json_object();
		if (!entry) {
			json_decref(v);
			return CBENCH_ENOMEM;
		}
		json_object_set_new(entry, "value", v);
		if (unit && *unit)
			json_object_set_new(entry, "unit", json_string(unit));
		if (direction)
			json_object_set_new(entry, "direction", json_string(direction));
		v = entry;
	}
	return json_object_set_new(section, metric, v) == 0 ? 0 : CBENCH_ENOMEM;
}

int cbench_baseline__set_summary(struct cbench_baselines *b, const char *platform,
                                 const char *metric,
                                 const struct cbench_baseline_summary *sum)
{
	json_t *section = section_of(b, platform), *entry, *o = json_object();
	int bad_set = 0;

	if (!section || !o)
		goto nomem;
	entry = json_object_get(section, metric);
	if (!json_is_object(entry)) {
		json_t *obj = json_object();

		if (!obj)
			goto nomem;
		if (entry)
			json_object_set(obj, "value", entry);
		else
			json_object_set_new(obj, "value", json_real(sum->q[2]));
		if (json_object_set_new(section, metric, obj) != 0)
			goto nomem;
		entry = obj;
	}
	bad_set |= json_object_set_new(o, "n", json_integer((json_int_t)sum->n));
	if (sum->runs)
		bad_set |= json_object_set_new(o, "runs", json_integer((json_int_t)sum->runs));
	for (size_t i = 0; i < CBENCH_SUMMARY_QUANTILES; i++)
		bad_set |= json_object_set_new(o, summary_keys[i], json_real(sum->q[i]));
	if (bad_set)
		goto nomem;
	return json_object_set_new(entry, "summary", o) == 0 ? 0 : CBENCH_ENOMEM;
nomem:
	json_decref(o);
	return CBENCH_ENOMEM;
}

int cbench_baseline__set_metadata(struct cbench_baselines *b, const char *platform,
                                  const char *key, json_t *value)
{
	json_t *section = section_of(b, platform), *meta;

	if (!section || !value) {
		json_decref(value);
		return CBENCH_ENOMEM;
	}
	meta = json_object_get(section, METADATA);
	if (!json_is_object(meta)) {
		meta = json_object();
		if (!meta || json_object_set_new(section, METADATA, meta) != 0) {
			json_decref(value);
			return CBENCH_ENOMEM;
		}
	}
	return json_object_set_new(meta, key, value) == 0 ? 0 : CBENCH_ENOMEM;
}

int cbench_baseline__save(const struct cbench_baselines *b, struct cbench_error *err)
{
	char *text = json_dumps(b->doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	size_t len;
	int rc;

	if (!text)
		return cbench_error__set(err, CBENCH_ENOMEM, "%s: cannot format JSON", b->path);
	len = strlen(text);
	/* json_dumps leaves no final newline; editors and git want one. */
	{
		char *with = realloc(text, len + 2);

		if (!with) {
			free(text);
			return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
		}
		text = with;
		text[len++] = '\n';
		text[len] = '\0';
	}
	rc = cbench_file__write_atomic(b->path, text, len, err);
	free(text);
	return rc;
}

int cbench_baseline__lock(const char *path, struct cbench_error *err)
{
	char *lock = cbench__asprintf("%s.lock", path);
	int fd;

	if (!lock)
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		cbench_error__set(err, CBENCH_EIO, "cannot lock %s: %s", lock, strerror(errno));
		free(lock);
		return CBENCH_EIO;
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			cbench_error__set(err, CBENCH_EIO, "cannot lock %s: %s", lock, strerror(errno));
			close(fd);
			free(lock);
			return CBENCH_EIO;
		}
	}
	free(lock);
	return fd;
}

void cbench_baseline__unlock(int fd)
{
	if (fd >= 0) {
		flock(fd, LOCK_UN);
		close(fd);
	}
}
