/*
 * What machine this is, and the platform id its baselines are filed under.
 * The id rules are documented in docs/platforms.md; keep the two in step.
 * OS-specific reads live here and in clock.c only.
 */
#include "env/platform.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#ifdef __linux__
#include <sched.h>
#endif
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifdef __APPLE__
#include <sys/sysctl.h>
#endif

#include "base/error.h"
#include "base/locale.h"
#include "base/proc.h"
#include "base/util.h"
#include "model/context.h"

/* nvidia-smi answers in well under a second; a hung driver must not hang
 * the run with it. */
#define NVIDIA_SMI_TIMEOUT_MS 5000
/* Sixteen GPUs print about 1.5 KiB; anything near this is not its answer. */
#define NVIDIA_SMI_MAX_OUTPUT (64 * 1024)
/* /proc/cpuinfo of a 1024-CPU machine is about 2 MiB. */
#define CPUINFO_MAX (16 * 1024 * 1024)

/* Reading the machine */

static bool path_under(char *out, size_t size, const char *root, const char *path)
{
	int n = snprintf(out, size, "%s%s", root ? root : "", path);

	return n > 0 && (size_t)n < size;
}

/* The whole file, NUL-terminated, or NULL. /proc files report a size of 0,
 * so read until the end rather than trusting stat. */
static char *slurp_under(const char *root, const char *path, size_t max)
{
	char full[4096];
	char *buf = NULL, *grown;
	size_t len = 0, cap = 0;
	FILE *f;

	if (!path_under(full, sizeof(full), root, path) || !(f = fopen(full, "r")))
		return NULL;
	for (;;) {
		size_t got;

		if (cap - len < 4096 + 1) {
			cap = cap ? cap * 2 : 16384;
			if (cap > max + 1 || !(grown = realloc(buf, cap)))
				goto fail;
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[len] = '\0';
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* The first line of a one-value file (sysfs), trimmed; false when absent
 * or empty. */
static bool read_line_under(char *out, size_t size, const char *root, const char *path)
{
	char full[4096];
	FILE *f;
	bool ok;

	out[0] = '\0';
	if (!path_under(full, sizeof(full), root, path) || !(f = fopen(full, "r")))
		return false;
	ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	if (!ok) {
		out[0] = '\0';
		return false;
	}
	rtrim(out);
	return out[0] != '\0';
}

/*
 * Splits one "key<tabs> : value" line of /proc/cpuinfo. A line without a
 * colon gives an empty key (so blank lines end a processor's block).
 */
static void split_line(const char *line, size_t len, char *key, size_t ksize,
                       char *val, size_t vsize)
{
	const char *colon = memchr(line, ':', len);
	size_t klen, vstart;

	key[0] = val[0] = '\0';
	if (!colon)
		return;
	klen = (size_t)(colon - line);
	snprintf(key, ksize, "%.*s", (int)klen, line);
	rtrim(key);
	vstart = klen + 1;
	while (vstart < len && (line[vstart] == ' ' || line[vstart] == '\t'))
		vstart++;
	snprintf(val, vsize, "%.*s", (int)(len - vstart), line + vstart);
	rtrim(val);
}

/* Calls back for every line of `text`; stops when `fn` returns false. */
static void each_line(const char *text, bool (*fn)(const char *key, const char *val, void *ctx),
                      void *ctx)
{
	char key[64], val[512];

	while (text && *text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);

		split_line(text, len, key, sizeof(key), val, sizeof(val));
		if (!fn(key, val, ctx))
			return;
		if (!end)
			break;
		text = end + 1;
	}
	fn("", "", ctx); /* the last block may lack its blank line */
}

struct field_ctx {
	const char *key;
	char *out;
	size_t size;
};

static bool field_line(const char *key, const char *val, void *ctx)
{
	struct field_ctx *c = ctx;

	/* Exact and case-sensitive: x86's numeric "model" is not ARM's "Model". */
	if (c->out[0] || strcmp(key, c->key) != 0 || !val[0])
		return true;
	snprintf(c->out, c->size, "%s", val);
	return false;
}

/* The value of the first line of `text` whose key is `key`, or "". */
static void cpuinfo_field(char *out, size_t size, const char *text, const char *key)
{
	struct field_ctx c = { key, out, size };

	out[0] = '\0';
	each_line(text, field_line, &c);
}

struct core_ctx {
	long pkg, core;
	long (*seen)[2];
	size_t n, cap;
	bool oom;
};

static void end_block(struct core_ctx *c)
{
	size_t i;

	if (c->core >= 0 && !c->oom) {
		for (i = 0; i < c->n; i++)
			if (c->seen[i][0] == c->pkg && c->seen[i][1] == c->core)
				break;
		if (i == c->n) {
			if (c->n == c->cap) {
				size_t cap = c->cap ? c->cap * 2 : 64;
				long (*grown)[2] = realloc(c->seen, cap * sizeof(*grown));

				if (!grown) {
					c->oom = true;
					return;
				}
				c->seen = grown;
				c->cap = cap;
			}
			c->seen[c->n][0] = c->pkg;
			c->seen[c->n][1] = c->core;
			c->n++;
		}
	}
	c->pkg = c->core = -1;
}

static bool core_line(const char *key, const char *val, void *ctx)
{
	struct core_ctx *c = ctx;

	if (!key[0] || strcmp(key, "processor") == 0)
		end_block(c);
	else if (strcmp(key, "physical id") == 0)
		c->pkg = strtol(val, NULL, 10);
	else if (strcmp(key, "core id") == 0)
		c->core = strtol(val, NULL, 10);
	return true;
}

/* Distinct (physical id, core id) pairs; 0 when cpuinfo has no core ids
 * (most ARM kernels). */
static unsigned cpuinfo_cores(const char *text)
{
	struct core_ctx c = { .pkg = -1, .core = -1 };
	unsigned n;

	each_line(text, core_line, &c);
	n = c.oom ? 0 : (unsigned)c.n;
	free(c.seen);
	return n;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Distinct core_cpus_list (thread_siblings_list before Linux 5.7) values of
 * the online CPUs: one per physical core. 0 when sysfs has no topology. */
static unsigned sysfs_cores(const char *root)
{
	char dir[4096], path[512], list[256];
	char **seen = NULL, **grown;
	size_t n = 0, cap = 0;
	unsigned result = 0;
	struct dirent *e;
	DIR *d;

	if (!path_under(dir, sizeof(dir), root, "/sys/devices/system/cpu") || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		size_t i;

		if (strncmp(e->d_name, "cpu", 3) != 0 || !all_digits(e->d_name + 3))
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/core_cpus_list", e->d_name);
		if (!read_line_under(list, sizeof(list), root, path)) {
			snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/thread_siblings_list",
			         e->d_name);
			if (!read_line_under(list, sizeof(list), root, path))
				continue;
		}
		for (i = 0; i < n && strcmp(seen[i], list) != 0; i++)
			;
		if (i < n)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = realloc(seen, cap * sizeof(*seen))))
				goto out;
			seen = grown;
		}
		if (!(seen[n] = strdup(list)))
			goto out;
		n++;
	}
	result = (unsigned)n;
out:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	return result;
}

/* "CPU implementer" codes, as arch/arm64 and lscpu name them. */
static const struct {
	unsigned id;
	const char *name;
} implementers[] = {
	{ 0x41, "ARM" }, { 0x42, "Broadcom" }, { 0x43, "Cavium" }, { 0x44, "DEC" },
	{ 0x46, "Fujitsu" }, { 0x48, "HiSilicon" }, { 0x49, "Infineon" },
	{ 0x4d, "Freescale" }, { 0x4e, "NVIDIA" }, { 0x50, "APM" }, { 0x51, "Qualcomm" },
	{ 0x53, "Samsung" }, { 0x56, "Marvell" }, { 0x61, "Apple" }, { 0x66, "Faraday" },
	{ 0x69, "Intel" }, { 0x6d, "Microsoft" }, { 0x70, "Phytium" }, { 0xc0, "Ampere" },
};

/* Arm's own cores, for machines whose kernel names no model (Graviton,
 * Ampere Altra, most arm64 servers). */
static const struct {
	unsigned id;
	const char *name;
} arm_parts[] = {
	{ 0xd03, "Cortex-A53" }, { 0xd04, "Cortex-A35" }, { 0xd05, "Cortex-A55" },
	{ 0xd07, "Cortex-A57" }, { 0xd08, "Cortex-A72" }, { 0xd09, "Cortex-A73" },
	{ 0xd0a, "Cortex-A75" }, { 0xd0b, "Cortex-A76" }, { 0xd0c, "Neoverse-N1" },
	{ 0xd0d, "Cortex-A77" }, { 0xd40, "Neoverse-V1" }, { 0xd41, "Cortex-A78" },
	{ 0xd44, "Cortex-X1" }, { 0xd46, "Cortex-A510" }, { 0xd47, "Cortex-A710" },
	{ 0xd48, "Cortex-X2" }, { 0xd49, "Neoverse-N2" }, { 0xd4d, "Cortex-A715" },
	{ 0xd4e, "Cortex-X3" }, { 0xd4f, "Neoverse-V2" }, { 0xd80, "Cortex-A520" },
	{ 0xd81, "Cortex-A720" }, { 0xd82, "Cortex-X4" }, { 0xd84, "Neoverse-V3" },
	{ 0xd8e, "Neoverse-N3" },
};

static void read_cpu(struct cbench_platform *out, const char *root)
{
	char *text = slurp_under(root, "/proc/cpuinfo", CPUINFO_MAX);
	char impl[32], part[32];

	if (text) {
		cpuinfo_field(out->cpu_vendor, sizeof(out->cpu_vendor), text, "vendor_id");
		cpuinfo_field(impl, sizeof(impl), text, "CPU implementer");
		cpuinfo_field(part, sizeof(part), text, "CPU part");
		if (!out->cpu_vendor[0] && impl[0]) {
			unsigned long id = strtoul(impl, NULL, 0);

			snprintf(out->cpu_vendor, sizeof(out->cpu_vendor), "%s", impl);
			for (size_t i = 0; i < sizeof(implementers) / sizeof(implementers[0]); i++)
				if (implementers[i].id == id)
					snprintf(out->cpu_vendor, sizeof(out->cpu_vendor), "%s",
					         implementers[i].name);
		}
		cpuinfo_field(out->cpu_model, sizeof(out->cpu_model), text, "model name");
		/* ARM kernels name the board instead, when anything. */
		if (!out->cpu_model[0])
			cpuinfo_field(out->cpu_model, sizeof(out->cpu_model), text, "Model");
		if (!out->cpu_model[0])
			cpuinfo_field(out->cpu_model, sizeof(out->cpu_model), text, "Hardware");
		out->physical_cores = cpuinfo_cores(text);
		free(text);
	} else {
		impl[0] = part[0] = '\0';
	}
	/* Device-tree machines (Asahi Linux on Apple silicon, boards) name the
	 * machine here: "Apple MacBook Pro (14-inch, M1 Pro, 2021)". */
	if (!out->cpu_model[0])
		read_line_under(out->cpu_model, sizeof(out->cpu_model), root, "/proc/device-tree/model");
	if (!out->cpu_model[0] && impl[0] && strtoul(impl, NULL, 0) == 0x41 && part[0]) {
		unsigned long id = strtoul(part, NULL, 0);

		for (size_t i = 0; i < sizeof(arm_parts) / sizeof(arm_parts[0]); i++)
			if (arm_parts[i].id == id)
				snprintf(out->cpu_model, sizeof(out->cpu_model), "%s", arm_parts[i].name);
	}
	if (!out->physical_cores)
		out->physical_cores = sysfs_cores(root);
}

static uint64_t read_memtotal(const char *root)
{
	char *text = slurp_under(root, "/proc/meminfo", 1024 * 1024);
	unsigned long long kb = 0;

	for (const char *line = text; line && *line;) {
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
			break;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	free(text);
	return (uint64_t)kb * 1024u;
}

/* A shell-style os-release value: quotes removed, backslash escapes undone. */
static void unquote(char *out, size_t size, const char *v)
{
	char quote = 0;
	size_t n = 0;

	if (*v == '"' || *v == '\'')
		quote = *v++;
	for (; *v && *v != quote && n + 1 < size; v++) {
		if (*v == '\\' && quote != '\'' && v[1])
			v++;
		out[n++] = *v;
	}
	out[n] = '\0';
}

static void read_os_release(char *out, size_t size, const char *root)
{
	/* os-release(5): /etc first, /usr/lib when /etc has none. */
	char *text = slurp_under(root, "/etc/os-release", 65536);

	if (!text)
		text = slurp_under(root, "/usr/lib/os-release", 65536);
	out[0] = '\0';
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');

		if (end)
			*end = '\0';
		if (strncmp(line, "PRETTY_NAME=", 12) == 0) {
			rtrim(line);
			unquote(out, size, line + 12);
			break;
		}
		line = end ? end + 1 : NULL;
	}
	free(text);
}

#ifdef __APPLE__
/* macOS has no /proc: sysctl names the chip ("Apple M1 Pro") and memory. */
static void read_darwin(struct cbench_platform *out)
{
	size_t len = sizeof(out->cpu_model);
	uint64_t mem = 0;
	int cores = 0;

	if (sysctlbyname("machdep.cpu.brand_string", out->cpu_model, &len, NULL, 0) != 0)
		out->cpu_model[0] = '\0';
	out->cpu_model[sizeof(out->cpu_model) - 1] = '\0';
	len = sizeof(out->cpu_vendor);
	if (strncmp(out->cpu_model, "Apple", 5) == 0)
		snprintf(out->cpu_vendor, sizeof(out->cpu_vendor), "Apple");
	else if (sysctlbyname("machdep.cpu.vendor", out->cpu_vendor, &len, NULL, 0) != 0)
		out->cpu_vendor[0] = '\0';
	out->cpu_vendor[sizeof(out->cpu_vendor) - 1] = '\0';
	len = sizeof(mem);
	if (sysctlbyname("hw.memsize", &mem, &len, NULL, 0) == 0)
		out->ram_bytes = mem;
	len = sizeof(cores);
	if (sysctlbyname("hw.physicalcpu", &cores, &len, NULL, 0) == 0 && cores > 0)
		out->physical_cores = (unsigned)cores;
}
#endif

/* GPUs through nvidia-smi */

/*
 * Where execvp would find `name`. Empty PATH entries (the current folder)
 * are skipped: detection should not start whatever program the working
 * folder happens to hold.
 */
static bool find_in_path(char *out, size_t size, const char *name)
{
	const char *path = getenv("PATH");

	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		struct stat st;
		int n;

		if (len > 0) {
			n = snprintf(out, size, "%.*s/%s", (int)len, path, name);
			if (n > 0 && (size_t)n < size && stat(out, &st) == 0 && S_ISREG(st.st_mode) &&
			    access(out, X_OK) == 0)
				return true;
		}
		if (!end)
			break;
		path = end + 1;
	}
	return false;
}

static char *trim_span(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* "24564" MiB, or nvidia-smi's "[N/A]" / "[Not Supported]" (0: unknown). */
static bool parse_mib(uint64_t *bytes, const char *s)
{
	uint64_t mib = 0;

	if (s[0] == '[' && s[strlen(s) - 1] == ']') {
		*bytes = 0;
		return true;
	}
	if (!all_digits(s))
		return false;
	for (; *s; s++) {
		mib = mib * 10 + (uint64_t)(*s - '0');
		if (mib > (UINT64_C(1) << 40)) /* a yottabyte GPU is a misreading */
			return false;
	}
	*bytes = mib * 1024 * 1024;
	return true;
}

/* "name, memory MiB, driver" per line. `bad` receives the 1-based number
 * of the first unreadable line and `badtext` a copy of it. */
static int parse_gpus(struct cbench_gpu *gpus, size_t max, size_t *n, const char *text,
                      unsigned *bad, char *badtext, size_t badsize)
{
	unsigned lineno = 0;

	*n = 0;
	while (text && *text) {
		const char *start = text, *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		char line[512], *c1, *c2, *name, *mem, *driver;
		uint64_t bytes;

		lineno++;
		snprintf(line, sizeof(line), "%.*s", (int)len, text);
		text = end ? end + 1 : NULL;
		name = trim_span(line, line + strlen(line));
		if (!*name)
			continue;
		/* Driver and memory are the last two fields; a comma in a name
		 * stays in the name. */
		c2 = strrchr(name, ',');
		if (c2) {
			*c2 = '\0';
			c1 = strrchr(name, ',');
		} else {
			c1 = NULL;
		}
		if (c2)
			*c2 = ',';
		if (!c1 || !c2)
			goto bad_line;
		driver = trim_span(c2 + 1, c2 + 1 + strlen(c2 + 1));
		mem = trim_span(c1 + 1, c2);
		name = trim_span(name, c1);
		if (!*name || !parse_mib(&bytes, mem))
			goto bad_line;
		if (*n < max) {
			struct cbench_gpu *g = &gpus[(*n)++];

			memset(g, 0, sizeof(*g));
			snprintf(g->name, sizeof(g->name), "%s", name);
			g->memory_bytes = bytes;
			snprintf(g->driver, sizeof(g->driver), "%s", driver);
		}
		continue;
bad_line:
		if (bad)
			*bad = lineno;
		if (badtext) {
			/* One line, printable, short: it goes into a warning. */
			size_t k = 0;

			while (len > 0 && isspace((unsigned char)start[len - 1]))
				len--;
			for (size_t i = 0; i < len && k + 4 < badsize && k < 60; i++)
				badtext[k++] = isprint((unsigned char)start[i]) ? start[i] : '?';
			if (len > 60 && k + 4 < badsize) {
				memcpy(badtext + k, "...", 3);
				k += 3;
			}
			badtext[k] = '\0';
		}
		*n = 0;
		return CBENCH_EPARSE;
	}
	return 0;
}

int cbench_platform__parse_nvidia_smi(struct cbench_gpu *gpus, size_t max,
                                      size_t *n, const char *text)
{
	return parse_gpus(gpus, max, n, text, NULL, NULL, 0);
}

static void detect_gpus(struct cbench_platform *out, char *warning, size_t wsize)
{
	char exe[4096], *text = NULL, badtext[80];
	char *argv[] = {
		exe,
		"--query-gpu=name,memory.total,driver_version",
		"--format=csv,noheader,nounits",
		NULL
	};
	unsigned bad = 0;
	bool timed_out;

	if (!find_in_path(exe, sizeof(exe), "nvidia-smi"))
		return;
	if (cbench_proc__capture(&text, NULL, argv, NVIDIA_SMI_TIMEOUT_MS,
	                         NVIDIA_SMI_MAX_OUTPUT, &timed_out, NULL) != 0) {
		if (timed_out && warning && wsize)
			snprintf(warning, wsize, "nvidia-smi: no answer within %d s, stopped; no GPU recorded",
			         NVIDIA_SMI_TIMEOUT_MS / 1000);
		/* Otherwise no driver, no device: nvidia-smi exits non-zero. Not
		 * a GPU machine. */
		return;
	}
	if (parse_gpus(out->gpus, CBENCH_MAX_GPUS, &out->ngpus, text, &bad, badtext,
	               sizeof(badtext)) != 0 && warning && wsize)
		snprintf(warning, wsize, "nvidia-smi: cannot read output line %u: '%s'", bad, badtext);
	free(text);
}

/* Continuous integration */

static bool truthy(const char *v)
{
	return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
	       strcasecmp(v, "no") != 0 && strcasecmp(v, "off") != 0;
}

static void detect_ci(struct cbench_platform *out)
{
	const char *runpod = getenv("RUNPOD_POD_ID");

	if (truthy(getenv("GITHUB_ACTIONS"))) {
		const char *os = getenv("RUNNER_OS"), *arch = getenv("RUNNER_ARCH");

		snprintf(out->ci, sizeof(out->ci), "github_actions");
		snprintf(out->runner_os, sizeof(out->runner_os), "%s", os ? os : "");
		snprintf(out->runner_arch, sizeof(out->runner_arch), "%s", arch ? arch : "");
	} else if (runpod && *runpod) {
		snprintf(out->ci, sizeof(out->ci), "runpod");
	} else if (truthy(getenv("CI"))) {
		snprintf(out->ci, sizeof(out->ci), "ci");
	}
}

/* The id */

static bool id_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

/* Every byte outside [A-Za-z0-9_.-] becomes '_', and so does a leading '.'
 * (ids name files and folders; ".." must not be one). Never empty. */
static void sanitize(char *out, size_t size, const char *id)
{
	size_t n = 0;

	for (; *id && n + 1 < size; id++, n++)
		out[n] = id_char(*id) && !(n == 0 && *id == '.') ? *id : '_';
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "unknown");
}

/* Words joined with '_'; separators squeezed and trimmed, so an empty or
 * dropped part leaves no trace. */
struct idbuf {
	char s[512];
	size_t len;
};

static void add_word(struct idbuf *b, const char *word)
{
	for (; *word && b->len + 2 < sizeof(b->s); word++) {
		char c = id_char(*word) ? *word : '_';

		if (c == '_' && (b->len == 0 || b->s[b->len - 1] == '_'))
			continue;
		b->s[b->len++] = c;
	}
	if (b->len > 0 && b->s[b->len - 1] != '_')
		b->s[b->len++] = '_';
	b->s[b->len] = '\0';
}

static void finish_id(char *out, size_t size, struct idbuf *b)
{
	while (b->len > 0 && b->s[b->len - 1] == '_')
		b->s[--b->len] = '\0';
	sanitize(out, size, b->s);
}

/* Sizes GPUs are sold with; nvidia-smi reports a little less (ECC and
 * firmware reserve): a T4 shows 15360 MiB, an L4 23034 MiB. */
static const unsigned gpu_sizes[] = {
	1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 16, 20, 24, 32, 40, 48, 64, 80, 94, 96,
	128, 141, 144, 180, 192, 256, 288,
};

static unsigned gpu_gb(uint64_t bytes)
{
	/* 1/16 GiB of slack: 16.02 GiB is still a 16 GB card. */
	double gib = (double)bytes / (1024.0 * 1024 * 1024) - 1.0 / 16;

	if (bytes == 0)
		return 0;
	for (size_t i = 0; i < sizeof(gpu_sizes) / sizeof(gpu_sizes[0]); i++)
		if ((double)gpu_sizes[i] >= gib)
			return gpu_sizes[i];
	return (unsigned)(gib + 0.999999);
}

static bool ends_with_ci(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcasecmp(s + n - k, tail) == 0;
}

/* "80GB", "16GB": a memory size inside a name. */
static bool size_word(const char *w)
{
	size_t n = strlen(w);

	return n > 2 && ends_with_ci(w, "GB") && strspn(w, "0123456789") == n - 2;
}

/* Words of a GPU name that say nothing the id keeps: the brand, the bus,
 * the memory (the id gives its size). */
static bool gpu_noise(const char *w)
{
	static const char *const words[] = { "NVIDIA", "GeForce", "Tesla", "GPU", "PCIe", "Generation" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(w, words[i]) == 0)
			return true;
	return size_word(w) || strncasecmp(w, "HBM", 3) == 0 ||
	       (strncasecmp(w, "SXM", 3) == 0 && strspn(w + 3, "0123456789") == strlen(w + 3));
}

/* "NVIDIA A100-SXM4-80GB" -> "A100", "NVIDIA GeForce RTX 4090" -> "RTX 4090". */
static void gpu_short(struct idbuf *b, const char *name)
{
	char copy[128], *save = NULL, *w;
	size_t before = b->len;

	snprintf(copy, sizeof(copy), "%s", name);
	for (w = strtok_r(copy, " -\t", &save); w; w = strtok_r(NULL, " -\t", &save)) {
		if (strcasecmp(w, "with") == 0) /* "with Max-Q Design" */
			break;
		if (!gpu_noise(w))
			add_word(b, w);
	}
	if (b->len == before)
		add_word(b, name);
}

static void add_gb(struct idbuf *b, unsigned gb)
{
	char word[32];

	if (gb) {
		snprintf(word, sizeof(word), "%uGB", gb);
		add_word(b, word);
	}
}

/* "2x" when the first GPU has identical siblings. */
static void add_gpu_count(struct idbuf *b, const struct cbench_platform *p)
{
	char word[32];
	size_t same = 0;

	for (size_t i = 0; i < p->ngpus; i++)
		same += strcmp(p->gpus[i].name, p->gpus[0].name) == 0;
	if (same > 1) {
		snprintf(word, sizeof(word), "%zux", same);
		add_word(b, word);
	}
}

/* "M1 Pro" out of "Apple M1 Pro" or "Apple MacBook Pro (14-inch, M1 Pro, 2021)". */
static bool apple_chip(struct idbuf *b, const struct cbench_platform *p)
{
	char copy[256], *save = NULL, *w;

	if (strcmp(p->cpu_vendor, "Apple") != 0 && strncmp(p->cpu_model, "Apple", 5) != 0)
		return false;
	snprintf(copy, sizeof(copy), "%s", p->cpu_model);
	for (w = strtok_r(copy, " ,()", &save); w; w = strtok_r(NULL, " ,()", &save)) {
		if (w[0] != 'M' || !all_digits(w + 1))
			continue;
		add_word(b, w);
		w = strtok_r(NULL, " ,()", &save);
		if (w && (strcmp(w, "Pro") == 0 || strcmp(w, "Max") == 0 || strcmp(w, "Ultra") == 0))
			add_word(b, w);
		return true;
	}
	return false;
}

static const char *vendor_short(const char *vendor)
{
	static const struct {
		const char *id, *name;
	} names[] = {
		{ "GenuineIntel", "Intel" }, { "AuthenticAMD", "AMD" }, { "HygonGenuine", "Hygon" },
		{ "CentaurHauls", "Centaur" }, { "  Shanghai  ", "Zhaoxin" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(vendor, names[i].id) == 0)
			return names[i].name;
	/* An implementer code without a name says nothing to a reader. */
	return strncmp(vendor, "0x", 2) == 0 ? "" : vendor;
}

/* "13th" of "13th Gen Intel(R) Core(TM) i7-13700K". */
static bool ordinal(const char *w)
{
	size_t d = strspn(w, "0123456789");

	return d > 0 && (strcmp(w + d, "st") == 0 || strcmp(w + d, "nd") == 0 ||
	                 strcmp(w + d, "rd") == 0 || strcmp(w + d, "th") == 0);
}

static bool cpu_noise(const char *w)
{
	return strcasecmp(w, "CPU") == 0 || strcasecmp(w, "Processor") == 0 ||
	       ends_with_ci(w, "-Core") || ends_with_ci(w, "-Cores");
}

/* Removes every `mark` (case-insensitive) from s, in place. */
static void erase_all(char *s, const char *mark)
{
	size_t k = strlen(mark);
	char *at;

	while ((at = strcasestr(s, mark)))
		memmove(at, at + k, strlen(at + k) + 1);
}

/*
 * "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz" -> "Intel Core i7-9750H",
 * "AMD EPYC 7763 64-Core Processor" -> "AMD EPYC 7763"; the vendor is put
 * first unless the model already names it.
 */
static void cpu_short(struct idbuf *b, const struct cbench_platform *p)
{
	const char *vendor = vendor_short(p->cpu_vendor);
	char copy[256], *save = NULL, *w, *cut;
	char *words[64];
	size_t n = 0, first = 0;
	bool named = false;

	snprintf(copy, sizeof(copy), "%s", p->cpu_model);
	erase_all(copy, "(R)");
	erase_all(copy, "(TM)");
	if ((cut = strchr(copy, '@')))
		*cut = '\0';
	if ((cut = strcasestr(copy, " with ")) || (cut = strcasestr(copy, " w/ ")))
		*cut = '\0';
	for (w = strtok_r(copy, " \t", &save); w && n < 64; w = strtok_r(NULL, " \t", &save))
		if (!cpu_noise(w))
			words[n++] = w;
	/* "13th Gen": the model number says it again. */
	if (n >= 2 && ordinal(words[0]) && strcasecmp(words[1], "Gen") == 0)
		first = 2;
	for (size_t i = first; i < n; i++)
		named |= vendor[0] && strcasecmp(words[i], vendor) == 0;
	if (vendor[0] && !named)
		add_word(b, vendor);
	for (size_t i = first; i < n; i++)
		add_word(b, words[i]);
}

static const char *os_name(const char *os)
{
	return strcmp(os, "Darwin") == 0 ? "macOS" : os;
}

void cbench_platform__derive_id(char *out, size_t size, const struct cbench_platform *p)
{
	struct idbuf b = { .len = 0 };
	unsigned ram = cbench_context__ram_gb(p->ram_bytes);

	b.s[0] = '\0';
	if (strcmp(p->ci, "runpod") == 0 && p->ngpus > 0) {
		add_word(&b, "RunPod");
		add_gpu_count(&b, p);
		gpu_short(&b, p->gpus[0].name);
	} else if (p->ngpus > 0) {
		add_gpu_count(&b, p);
		gpu_short(&b, p->gpus[0].name);
		add_gb(&b, gpu_gb(p->gpus[0].memory_bytes));
	} else if (strcmp(p->ci, "github_actions") == 0) {
		add_word(&b, "GitHub_Actions");
		add_word(&b, p->runner_os[0] ? p->runner_os : os_name(p->os));
		if (p->runner_arch[0] && strcasecmp(p->runner_arch, "X64") != 0)
			add_word(&b, p->runner_arch);
	} else if (strcmp(p->ci, "ci") == 0) {
		add_word(&b, "CI");
		add_word(&b, os_name(p->os));
		add_word(&b, p->arch);
	} else if (apple_chip(&b, p)) {
		add_word(&b, "Mac");
		add_gb(&b, ram);
	} else if (p->cpu_model[0]) {
		cpu_short(&b, p);
		add_gb(&b, ram);
	} else {
		add_word(&b, vendor_short(p->cpu_vendor));
		add_word(&b, p->arch[0] ? p->arch : os_name(p->os));
		add_gb(&b, ram);
	}
	finish_id(out, size, &b);
}

/* Detection */

void cbench_platform__detect(struct cbench_platform *out, const char *root,
                             const char *override, char *warning, size_t wsize)
{
	const char *env = getenv("PERFORMANCE_PLATFORM");
	struct utsname u;
	long cpus;

	memset(out, 0, sizeof(*out));
	if (warning && wsize)
		warning[0] = '\0';
	if (gethostname(out->hostname, sizeof(out->hostname) - 1) != 0 || !out->hostname[0])
		snprintf(out->hostname, sizeof(out->hostname), "unknown");
	if (uname(&u) == 0) {
		snprintf(out->os, sizeof(out->os), "%s", u.sysname);
		snprintf(out->kernel, sizeof(out->kernel), "%s", u.release);
		snprintf(out->arch, sizeof(out->arch), "%s", u.machine);
	}
	read_cpu(out, root);
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	out->cpus = cpus > 0 ? (unsigned)cpus : 1;
	out->ram_bytes = read_memtotal(root);
	read_line_under(out->governor, sizeof(out->governor), root,
	                "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
	read_os_release(out->os_release, sizeof(out->os_release), root);
#ifdef __APPLE__
	if (!root || !*root)
		read_darwin(out);
#endif
	detect_gpus(out, warning, wsize);
	detect_ci(out);
	if (override && *override) {
		sanitize(out->id, sizeof(out->id), override);
		snprintf(out->id_source, sizeof(out->id_source), "--platform");
	} else if (env && *env) {
		sanitize(out->id, sizeof(out->id), env);
		snprintf(out->id_source, sizeof(out->id_source), "PERFORMANCE_PLATFORM");
	} else {
		cbench_platform__derive_id(out->id, sizeof(out->id), out);
		snprintf(out->id_source, sizeof(out->id_source), "detected");
	}
}

/* The run's environment */

/* A 0/1 sysfs switch: 1, 0, or -1 when absent or something else. */
static int read_switch(const char *root, const char *path)
{
	char v[16];

	if (!read_line_under(v, sizeof(v), root, path))
		return -1;
	return strcmp(v, "1") == 0 ? 1 : strcmp(v, "0") == 0 ? 0 : -1;
}

/*
 * Turbo (Intel) or boost (AMD, acpi-cpufreq): intel_pstate says it the
 * other way round (no_turbo); the cpufreq drivers have a global switch, and
 * amd-pstate one per policy.
 */
static int read_turbo(const char *root)
{
	static const char *const boost[] = {
		"/sys/devices/system/cpu/cpufreq/boost",
		"/sys/devices/system/cpu/cpufreq/policy0/boost",
	};
	int v = read_switch(root, "/sys/devices/system/cpu/intel_pstate/no_turbo");

	if (v >= 0)
		return !v;
	for (size_t i = 0; i < sizeof(boost) / sizeof(boost[0]); i++)
		if ((v = read_switch(root, boost[i])) >= 0)
			return v;
	return -1;
}

void cbench_platform__read_env(struct cbench_environment *out, const char *root)
{
	char line[128];
	char *end;
	double load;

	out->turbo = read_turbo(root);
	out->aslr = -1;
	if (read_line_under(line, sizeof(line), root, "/proc/sys/kernel/randomize_va_space") &&
	    line[0] >= '0' && line[0] <= '2' && line[1] == '\0')
		out->aslr = line[0] - '0';
	out->load_avg = -1;
	if (read_line_under(line, sizeof(line), root, "/proc/loadavg")) {
		struct cbench_locale l;

		cbench_locale__c_begin(&l); /* "0.52", whatever LC_NUMERIC says */
		load = strtod(line, &end);
		cbench_locale__c_end(&l);
		if (end != line && (*end == ' ' || *end == '\0') && load >= 0)
			out->load_avg = load;
	}
}

size_t cbench_platform__env_warnings(char *out[CBENCH_ENV_WARNINGS],
                                     const struct cbench_platform *p,
                                     const struct cbench_environment *e)
{
	size_t n = 0;

	if (p->governor[0] && strcmp(p->governor, "performance") != 0)
		out[n++] = cbench__asprintf("CPU frequency governor is '%s', not 'performance': "
		                            "clock speed may change during the run", p->governor);
	if (e->turbo == 1)
		out[n++] = cbench__strdup("turbo boost is on: the clock follows temperature and "
		                          "load, so readings drift between runs");
	if (e->load_avg >= 0 && e->load_avg > p->cpus / 2.0)
		out[n++] = cbench__asprintf("load average %.2f at start is over half of the %u "
		                            "CPUs: other work competes with the benchmarks",
		                            e->load_avg, p->cpus);
	return n;
}

/* Pinning */

#ifdef __linux__
bool cbench_platform__cpu_allowed(int cpu)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(set), &set) != 0)
		return false;
	return CPU_ISSET(cpu, &set);
}

int cbench_platform__pin(int cpu, struct cbench_platform_cpus *saved, struct cbench_error *err)
{
	cpu_set_t set;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return cbench_error__set(err, CBENCH_EUSAGE, "--cpu %d: no such CPU", cpu);
	if (saved) {
		_Static_assert(sizeof(saved->mask) >= sizeof(cpu_set_t), "mask too small");
		saved->valid = sched_getaffinity(0, sizeof(cpu_set_t), (cpu_set_t *)saved->mask) == 0;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		return cbench_error__set(err, CBENCH_ERROR, "--cpu %d: sched_setaffinity: %s", cpu,
		                         strerror(errno));
	return 0;
}

void cbench_platform__unpin(const struct cbench_platform_cpus *saved)
{
	if (saved && saved->valid)
		sched_setaffinity(0, sizeof(cpu_set_t), (const cpu_set_t *)saved->mask);
}
#else
bool cbench_platform__cpu_allowed(int cpu)
{
	(void)cpu;
	return false;
}

int cbench_platform__pin(int cpu, struct cbench_platform_cpus *saved, struct cbench_error *err)
{
	if (saved)
		saved->valid = false;
	return cbench_error__set(err, CBENCH_EUSAGE,
	                         "--cpu %d: pinning is not supported on this system", cpu);
}

void cbench_platform__unpin(const struct cbench_platform_cpus *saved)
{
	(void)saved;
}
#endif
