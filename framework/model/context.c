/*
 * The run's context in the results JSON (schema cbench-results/1): the
 * platform (also what `cbench platform --json` prints and the history keeps
 * as platform_json) and the git commit, both ways. env/ detects them; what
 * they look like as JSON is decided here only.
 */
#include "model/context.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/error.h"
#include "base/time.h"
#include "base/utf8.h"

/* ---- RAM ------------------------------------------------------------------------ */

/* The sizes machines are sold with. */
static const unsigned ram_sizes[] = {
	1, 2, 3, 4, 6, 8, 12, 16, 18, 24, 32, 36, 48, 64, 96, 128, 192, 256, 384,
	512, 768, 1024, 1536, 2048,
};

unsigned cbench_context__ram_gb(uint64_t bytes)
{
	/* MemTotal leaves out what the firmware and kernel reserve, so it
	 * reads below the installed size: round up to the next size sold. The
	 * 1/16 GiB of slack keeps a machine reporting a hair above a size (a
	 * VM given exactly 16 GiB) on that size. */
	double gib = (double)bytes / (1024.0 * 1024 * 1024) - 1.0 / 16;
	unsigned gb;

	if (bytes == 0)
		return 0;
	for (size_t i = 0; i < sizeof(ram_sizes) / sizeof(ram_sizes[0]); i++)
		if ((double)ram_sizes[i] >= gib)
			return ram_sizes[i];
	gb = (unsigned)(gib + 0.999999);
	return (gb + 255) / 256 * 256;
}

/* ---- the platform ----------------------------------------------------------------- */

/* Fields read from the machine are bytes, not always UTF-8 (and a cut may
 * split a character): what is not valid becomes U+FFFD. */
static json_t *text(const char *s)
{
	return cbench_utf8__json_string(s);
}

static json_t *text_or_null(const char *s)
{
	return s[0] ? text(s) : json_null();
}

json_t *cbench_context__platform_to_json(const struct cbench_platform *p)
{
	json_t *o = json_object(), *gpus = json_array();
	int bad = !o || !gpus;

	for (size_t i = 0; !bad && i < p->ngpus && i < CBENCH_MAX_GPUS; i++) {
		json_t *g = json_pack("{s:o, s:I, s:o}", "name", text(p->gpus[i].name),
		                      "memory_bytes", (json_int_t)p->gpus[i].memory_bytes,
		                      "driver", text(p->gpus[i].driver));

		bad |= json_array_append_new(gpus, g);
	}
	if (bad) {
		json_decref(o);
		json_decref(gpus);
		return NULL;
	}
	/* json_object_set_new takes the value even when it fails. */
	bad |= json_object_set_new(o, "id", text(p->id));
	bad |= json_object_set_new(o, "id_source", text(p->id_source));
	bad |= json_object_set_new(o, "hostname", text(p->hostname));
	bad |= json_object_set_new(o, "os", text(p->os));
	bad |= json_object_set_new(o, "os_release", text(p->os_release));
	bad |= json_object_set_new(o, "kernel", text(p->kernel));
	bad |= json_object_set_new(o, "arch", text(p->arch));
	bad |= json_object_set_new(o, "cpu_vendor", text(p->cpu_vendor));
	bad |= json_object_set_new(o, "cpu_model", text(p->cpu_model));
	bad |= json_object_set_new(o, "cpus", json_integer(p->cpus));
	bad |= json_object_set_new(o, "physical_cores", json_integer(p->physical_cores));
	bad |= json_object_set_new(o, "ram_bytes", json_integer((json_int_t)p->ram_bytes));
	bad |= json_object_set_new(o, "ram_gb", json_integer(cbench_context__ram_gb(p->ram_bytes)));
	bad |= json_object_set_new(o, "governor", text_or_null(p->governor));
	bad |= json_object_set_new(o, "compiler", text(p->compiler));
	bad |= json_object_set_new(o, "cflags", text(p->cflags));
	bad |= json_object_set_new(o, "gpus", gpus);
	bad |= json_object_set_new(o, "ci", text_or_null(p->ci));
	bad |= json_object_set_new(o, "runner_os", text(p->runner_os));
	bad |= json_object_set_new(o, "runner_arch", text(p->runner_arch));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* A string member into a fixed field; absent or null leaves it empty. */
static int get_str(char *dst, size_t size, const json_t *obj, const char *key,
                   const char *where, struct cbench_error *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return cbench_error__set(err, CBENCH_EPARSE, "%s.%s: expected a string, got %s",
		                         where, key, type_name(v));
	snprintf(dst, size, "%s", json_string_value(v));
	return 0;
}

static int get_uint(uint64_t *dst, uint64_t max, const json_t *obj, const char *key,
                    const char *where, struct cbench_error *err)
{
	const json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return cbench_error__set(err, CBENCH_EPARSE, "%s.%s: expected an integer, got %s",
		                         where, key, type_name(v));
	if (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max)
		return cbench_error__set(err, CBENCH_EPARSE, "%s.%s: %" JSON_INTEGER_FORMAT " is out of range",
		                         where, key, json_integer_value(v));
	*dst = (uint64_t)json_integer_value(v);
	return 0;
}

int cbench_context__platform_from_json(struct cbench_platform *out, const json_t *obj,
                               struct cbench_error *err)
{
	static const struct {
		const char *key;
		size_t offset, size;
	} strings[] = {
#define FIELD_(name) { #name, offsetof(struct cbench_platform, name), \
	               sizeof(((struct cbench_platform *)0)->name) }
		FIELD_(id), FIELD_(id_source), FIELD_(hostname), FIELD_(os), FIELD_(os_release),
		FIELD_(kernel), FIELD_(arch), FIELD_(cpu_vendor), FIELD_(cpu_model), FIELD_(governor),
		FIELD_(compiler), FIELD_(cflags), FIELD_(ci), FIELD_(runner_os), FIELD_(runner_arch),
#undef FIELD_
	};
	const json_t *gpus, *g;
	uint64_t v;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj))
		return cbench_error__set(err, CBENCH_EPARSE, "platform: expected an object, got %s",
		                         obj ? type_name(obj) : "nothing");
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if ((rc = get_str((char *)out + strings[i].offset, strings[i].size, obj,
		                  strings[i].key, "platform", err)) != 0)
			return rc;
	v = 0;
	if ((rc = get_uint(&v, UINT32_MAX, obj, "cpus", "platform", err)) != 0)
		return rc;
	out->cpus = (unsigned)v;
	v = 0;
	if ((rc = get_uint(&v, UINT32_MAX, obj, "physical_cores", "platform", err)) != 0)
		return rc;
	out->physical_cores = (unsigned)v;
	if ((rc = get_uint(&out->ram_bytes, INT64_MAX, obj, "ram_bytes", "platform", err)) != 0)
		return rc;
	gpus = json_object_get(obj, "gpus");
	if (!gpus || json_is_null(gpus))
		return 0;
	if (!json_is_array(gpus))
		return cbench_error__set(err, CBENCH_EPARSE, "platform.gpus: expected an array, got %s",
		                         type_name(gpus));
	json_array_foreach(gpus, i, g) {
		struct cbench_gpu *gpu = &out->gpus[i];
		char where[48];

		if (i == CBENCH_MAX_GPUS)
			break;
		snprintf(where, sizeof(where), "platform.gpus[%zu]", i);
		if (!json_is_object(g))
			return cbench_error__set(err, CBENCH_EPARSE, "%s: expected an object, got %s",
			                         where, type_name(g));
		if ((rc = get_str(gpu->name, sizeof(gpu->name), g, "name", where, err)) != 0 ||
		    (rc = get_uint(&gpu->memory_bytes, INT64_MAX, g, "memory_bytes", where, err)) != 0 ||
		    (rc = get_str(gpu->driver, sizeof(gpu->driver), g, "driver", where, err)) != 0)
			return rc;
		out->ngpus = i + 1;
	}
	return 0;
}

/* ---- the commit ------------------------------------------------------------------- */

static json_t *string_or_null(const char *s)
{
	return *s ? cbench_utf8__json_string(s) : json_null();
}

/* json_object_set_new that remembers a failure instead of returning it. */
static void set(json_t *obj, const char *key, json_t *value, bool *ok)
{
	if (!value || json_object_set_new(obj, key, value) < 0)
		*ok = false;
}

json_t *cbench_context__git_to_json(const struct cbench_git *g)
{
	json_t *obj = json_object();
	bool ok = obj != NULL;
	char stamp[32];

	assert(g);
	if (!obj)
		return NULL;
	set(obj, "commit", string_or_null(g->commit), &ok);
	set(obj, "short_commit", string_or_null(g->short_commit), &ok);
	set(obj, "branch", string_or_null(g->branch), &ok);
	/* GITHUB_SHA names a commit; it cannot say whether files were changed. */
	if (g->present && strcmp(g->source, "GITHUB_SHA") != 0)
		set(obj, "dirty", json_boolean(g->dirty), &ok);
	else
		set(obj, "dirty", json_null(), &ok);
	/* 0 is "unknown": an unborn branch, or a commit from the environment. */
	if (g->present && g->commit_time != 0) {
		cbench__iso8601(stamp, (double)g->commit_time);
		set(obj, "commit_time", json_string(stamp), &ok);
	} else {
		set(obj, "commit_time", json_null(), &ok);
	}
	set(obj, "subject", string_or_null(g->subject), &ok);
	set(obj, "source", string_or_null(g->source), &ok);
	if (!ok) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* A string member into `dst`; null or absent leaves it empty. */
static int get_string(char *dst, size_t size, const json_t *obj,
                      const char *key, bool *seen, struct cbench_error *err)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return cbench_error__set(err, CBENCH_EPARSE,
		                         "git.%s: expected a string or null", key);
	s = json_string_value(v);
	if (strlen(s) >= size)
		return cbench_error__set(err, CBENCH_EPARSE,
		                         "git.%s: longer than %zu characters",
		                         key, size - 1);
	snprintf(dst, size, "%s", s);
	*seen = true;
	return 0;
}

/* Whole seconds of an ISO-8601 UTC time. */
static int parse_time(int64_t *out, const char *s)
{
	double t;

	if (!cbench__iso8601_parse(s, &t) || t != floor(t))
		return -1;
	*out = (int64_t)t;
	return 0;
}

int cbench_context__git_from_json(struct cbench_git *out, const json_t *obj,
                              struct cbench_error *err)
{
	struct cbench_git g;
	const json_t *v;
	bool seen = false;
	int rc;

	assert(out);
	memset(out, 0, sizeof(*out));
	if (!obj || json_is_null(obj))
		return 0;
	if (!json_is_object(obj))
		return cbench_error__set(err, CBENCH_EPARSE, "git: expected an object or null");
	memset(&g, 0, sizeof(g));
	if ((rc = get_string(g.commit, sizeof(g.commit), obj, "commit", &seen, err)) < 0 ||
	    (rc = get_string(g.short_commit, sizeof(g.short_commit), obj, "short_commit", &seen, err)) < 0 ||
	    (rc = get_string(g.branch, sizeof(g.branch), obj, "branch", &seen, err)) < 0 ||
	    (rc = get_string(g.subject, sizeof(g.subject), obj, "subject", &seen, err)) < 0 ||
	    (rc = get_string(g.source, sizeof(g.source), obj, "source", &seen, err)) < 0)
		return rc;
	v = json_object_get(obj, "dirty");
	if (v && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return cbench_error__set(err, CBENCH_EPARSE,
			                         "git.dirty: expected true, false or null");
		g.dirty = json_is_true(v);
		seen = true;
	}
	v = json_object_get(obj, "commit_time");
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || parse_time(&g.commit_time, json_string_value(v)) < 0)
			return cbench_error__set(err, CBENCH_EPARSE,
			                         "git.commit_time: expected an ISO-8601 UTC time "
			                         "like \"2026-01-31T12:00:00Z\" or null");
		seen = true;
	}
	/* to_json writes every field null when there was no repository. */
	g.present = seen;
	*out = g;
	return 0;
}
