/*
 * `cbench baseline update` on every path, against a real history database
 * filled through `cbench history import`, with the baselines file compared
 * byte for byte before and after. The interactive prompt is answered
 * through a pseudo-terminal.
 */
#include <criterion/criterion.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gate/baseline.h"
#include "support.h"

#define BASELINES_TEXT \
	"{\n" \
	"  \"Other_Box\": {\n" \
	"    \"latency\": 2.0,\n" \
	"    \"metadata\": {\n" \
	"      \"notes\": \"keep me\"\n" \
	"    }\n" \
	"  },\n" \
	"  \"UpdBox\": {\n" \
	"    \"latency\": 1.0,\n" \
	"    \"throughput\": {\n" \
	"      \"value\": 100.0,\n" \
	"      \"direction\": \"higher\",\n" \
	"      \"note\": \"unknown keys stay\"\n" \
	"    },\n" \
	"    \"worse\": 1.0\n" \
	"  }\n" \
	"}\n"

struct env {
	char *dir, *db, *baselines, *out;
};

static const char *tool(void)
{
	return support_program("../cbench");
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* A results file of one run of `platform` with three metrics. */
static void write_run(const struct env *e, const char *platform, int i, double latency,
                      double throughput, double worse, double fresh)
{
	char *path, name[32], text[4096];

	snprintf(name, sizeof(name), "run%s%d.json", platform, i);
	path = support_path(e->dir, name);
	snprintf(text, sizeof(text),
	         "{\"schema\": \"cbench-results/1\", \"run_id\": \"%s-%d\", \"run_type\": \"ci\","
	         " \"started_at\": \"2026-11-%02dT10:00:00Z\", \"mode\": \"standard\","
	         " \"platform\": {\"id\": \"%s\"},"
	         " \"git\": {\"commit\": \"0123456789abcdef0123456789abcdef01234567\","
	         " \"short_commit\": \"0123456\", \"branch\": \"main\"},"
	         " \"benchmarks\": [{\"id\": \"s.b\", \"suite\": \"s\", \"name\": \"b\","
	         " \"status\": \"passed\", \"metrics\": ["
	         "{\"name\": \"latency\", \"unit\": \"s\", \"direction\": \"lower\", \"value\": %g,"
	         " \"stats\": {\"n\": 10, \"median\": %g}},"
	         "{\"name\": \"throughput\", \"unit\": \"items/s\", \"direction\": \"higher\","
	         " \"value\": %g, \"stats\": {\"n\": 10, \"median\": %g}},"
	         "{\"name\": \"worse\", \"unit\": \"s\", \"direction\": \"lower\", \"value\": %g,"
	         " \"stats\": {\"n\": 10, \"median\": %g}},"
	         "{\"name\": \"fresh\", \"unit\": \"B\", \"direction\": \"lower\", \"value\": %g,"
	         " \"stats\": {\"n\": 10, \"median\": %g}}]}]}\n",
	         platform, i, 1 + i, platform, latency, latency, throughput, throughput, worse,
	         worse, fresh, fresh);
	write_text(path, text);
	{
		char *argv[] = { (char *)tool(), "history", "import", "--db", e->db, path, NULL };

		cr_assert_eq(support_run(argv, NULL, NULL), 0, "import %s", path);
	}
	free(path);
}

static void setup_env(struct env *e, const char *platform, int runs, double latency_base)
{
	e->dir = support_tmpdir();
	e->db = support_path(e->dir, "history.db");
	e->baselines = support_path(e->dir, "baselines.json");
	e->out = support_path(e->dir, "out.txt");
	write_text(e->baselines, BASELINES_TEXT);
	for (int i = 0; i < runs; i++)
		write_run(e, platform, i, latency_base + 0.01 * (i % 3), 100 + (i % 2), 1.5, 4096);
}

static void teardown_env(struct env *e)
{
	free(e->db);
	free(e->baselines);
	free(e->out);
	support_rmdir(e->dir);
}

static int update(const struct env *e, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { (char *)tool(), "baseline", "update", "--platform", "UpdBox", "--db",
	                 e->db, "--baselines", e->baselines, (char *)a1, (char *)a2, (char *)a3,
	                 NULL };

	return support_run(argv, e->out, e->out);
}

static void unchanged(const struct env *e)
{
	char *text = support_slurp(e->baselines);

	cr_assert_str_eq(text, BASELINES_TEXT);
	free(text);
}

static void output_has(const struct env *e, const char *what)
{
	char *text = support_slurp(e->out);

	cr_assert(strstr(text, what) != NULL, "no \"%s\" in:\n%s", what, text);
	free(text);
}

Test(baseline_update, too_few_runs_changes_nothing, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 3, 0.8);
	cr_assert_eq(update(&e, "--yes", NULL, NULL), 0);
	output_has(&e, "3 runs of UpdBox recorded");
	output_has(&e, "5 are needed");
	unchanged(&e);
	teardown_env(&e);
}

Test(baseline_update, no_improvement_changes_nothing, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 5, 0.97); /* median 0.98: 2% better, under the 5% margin */
	cr_assert_eq(update(&e, "--yes", NULL, NULL), 0);
	output_has(&e, "No updates proposed for UpdBox");
	unchanged(&e);
	teardown_env(&e);
}

Test(baseline_update, dry_run_shows_and_changes_nothing, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(update(&e, "--dry-run", NULL, NULL), 0);
	output_has(&e, "Baseline Update Proposals for UpdBox");
	output_has(&e, "Metric                         Current      Proposed         Change");
	output_has(&e, "latency                        1.000        0.810             19.0%");
	/* how sure: runs 0.80 to 0.82 predict the next within a few percent */
	output_has(&e, "spread q1-q3, next run");
	{
		char *text = support_slurp(e.out);

		cr_assert_null(strstr(text, "note: latency"), "%s", text);
		cr_assert(strstr(text, "0.800-0.820, -") == NULL, "no interval: %s", text);
		free(text);
	}
	output_has(&e, "Dry run: nothing changed.");
	unchanged(&e);
	teardown_env(&e);
}

Test(baseline_update, no_terminal_changes_nothing_and_exits_1, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(update(&e, NULL, NULL, NULL), 1);
	output_has(&e, "Standard input is not a terminal: nothing changed.");
	unchanged(&e);
	teardown_env(&e);
}

/* A baseline's value, in the plain or the object form. */
static double value_of(const struct cbench_baselines *b, const char *platform,
                       const char *metric)
{
	json_t *v = json_object_get(json_object_get(b->doc, platform), metric);

	return json_real_value(json_is_object(v) ? json_object_get(v, "value") : v);
}

/* The expected file after applying the latency improvement only. */
static void check_updated(const struct env *e, bool with_fresh)
{
	struct cbench_baselines *b;
	struct cbench_error err;
	char *text = support_slurp(e->baselines), *meta;
	json_t *section, *m;

	/* everything before UpdBox's section is byte for byte the same */
	cr_assert(strncmp(text, BASELINES_TEXT, strstr(BASELINES_TEXT, "\"UpdBox\"") -
	                  BASELINES_TEXT) == 0, "%s", text);
	/* the proposal carries the summary the test compares with */
	cr_assert(strstr(text, "    \"latency\": {\n      \"value\": 0.81,\n      \"summary\": {\n"
	                       "        \"n\": 5,\n        \"runs\": 5,\n        \"min\": 0.8,\n"
	                       "        \"q1\": 0.8,\n        \"median\": 0.81,\n"
	                       "        \"q3\": 0.81,\n        \"max\": 0.82\n      }\n    },\n")
	          != NULL, "%s", text);
	/* the object form and its unknown key stay; the unimproved value too */
	cr_assert(strstr(text, "    \"throughput\": {\n      \"value\": 100.0,\n"
	                       "      \"direction\": \"higher\",\n"
	                       "      \"note\": \"unknown keys stay\"\n    },\n") != NULL,
	          "%s", text);
	/* never a worse value */
	cr_assert(strstr(text, "    \"worse\": 1.0,\n") != NULL, "%s", text);
	cr_assert_eq(strstr(text, "\"fresh\"") != NULL, with_fresh, "%s", text);
	free(text);
	cr_assert_eq(cbench_baseline__load(&b, e->baselines, &err), 0, "%s", err.text);
	section = json_object_get(b->doc, "UpdBox");
	m = json_object_get(section, "metadata");
	cr_assert(json_is_string(json_object_get(m, "last_updated")));
	meta = (char *)json_string_value(json_object_get(m, "last_updated"));
	cr_assert_eq(strlen(meta), 20);
	cr_assert_str_eq(json_string_value(json_object_get(m, "git_commit")),
	                 "0123456789abcdef0123456789abcdef01234567");
	cr_assert_str_eq(json_string_value(json_object_get(m, "branch")), "main");
	cr_assert_eq(json_integer_value(json_object_get(m, "runs_used")), 5);
	cr_assert_str_eq(json_string_value(json_object_get(m, "cbench_version")), CBENCH_VERSION);
	cbench_baseline__free(b);
}

Test(baseline_update, yes_applies_improvements_only, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(update(&e, "--yes", NULL, NULL), 0);
	output_has(&e, "Updated UpdBox in");
	check_updated(&e, false);
	teardown_env(&e);
}

Test(baseline_update, init_proposes_new_metrics_and_auto_approve_skips_them, .timeout = 60)
{
	struct env e;

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(update(&e, "--init", "--auto-approve-improvements", NULL), 0);
	output_has(&e, "fresh");
	check_updated(&e, false);
	cr_assert_eq(update(&e, "--init", "--yes", NULL), 0);
	{
		char *text = support_slurp(e.baselines);

		cr_assert(strstr(text, "\"fresh\": {\n      \"value\": 4096.0,\n      \"unit\": \"B\",\n"
		                       "      \"direction\": \"lower\",\n      \"summary\": {\n"
		                       "        \"n\": 5,") != NULL, "%s", text);
		free(text);
	}
	teardown_env(&e);
}

Test(baseline_update, init_creates_a_platform_and_a_file, .timeout = 60)
{
	struct env e;
	struct cbench_baselines *b;
	struct cbench_error err;

	setup_env(&e, "UpdBox", 5, 0.8);
	unlink(e.baselines);
	cr_assert_eq(update(&e, "--yes", NULL, NULL), 2);
	output_has(&e, "does not exist; --init creates it");
	cr_assert_eq(update(&e, "--init", "--yes", NULL), 0);
	cr_assert_eq(cbench_baseline__load(&b, e.baselines, &err), 0, "%s", err.text);
	/* a new entry carries its unit and direction */
	cr_assert_eq(value_of(b, "UpdBox", "latency"), 0.81);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
		b->doc, "UpdBox"), "throughput"), "direction")), "higher");
	cbench_baseline__free(b);
	teardown_env(&e);
}

/* In a project of one's own: no baselines/ folder yet, the default path. */
Test(baseline_update, init_creates_the_baselines_folder, .timeout = 60)
{
	struct env e;
	struct stat st;
	char *cbench = realpath(tool(), NULL), *text;
	char *argv[] = { cbench, "baseline", "update", "--platform", "UpdBox", "--db", NULL,
	                 "--init", "--yes", NULL };
	mode_t mask = umask(022);

	umask(mask);
	cr_assert_not_null(cbench);
	setup_env(&e, "UpdBox", 5, 0.8);
	argv[6] = e.db;
	cr_assert_eq(chdir(e.dir), 0);
	argv[8] = "--dry-run";
	cr_assert_eq(support_run(argv, e.out, e.out), 0, "%s", support_slurp(e.out));
	cr_assert(!support_exists("baselines"), "a dry run created baselines/");
	argv[8] = "--yes";
	cr_assert_eq(support_run(argv, e.out, e.out), 0, "%s", support_slurp(e.out));
	output_has(&e, "Created folder baselines/ for baselines/baselines.json\n");
	output_has(&e, "Updated UpdBox in baselines/baselines.json");
	cr_assert_eq(stat("baselines", &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0755 & ~mask);
	cr_assert(support_exists("baselines/baselines.json"));
	/* once it is there, nothing is said about it */
	cr_assert_eq(support_run(argv, e.out, e.out), 0);
	text = support_slurp(e.out);
	cr_assert_null(strstr(text, "Created folder"), "%s", text);
	free(text);
	free(cbench);
	teardown_env(&e);
}

Test(baseline_update, a_concurrent_second_update_loses_nothing, .timeout = 60)
{
	struct env e;
	struct cbench_error err;
	struct cbench_baselines *b;
	pid_t first, second;
	int lock;

	setup_env(&e, "UpdBox", 5, 0.8);
	for (int i = 0; i < 5; i++)
		write_run(&e, "Other_Box", 10 + i, 1.0, 100, 1.0, 1);
	/* both start while the file is locked: they must take turns */
	lock = cbench_baseline__lock(e.baselines, &err);
	cr_assert_geq(lock, 0, "%s", err.text);
	{
		char *a[] = { (char *)tool(), "baseline", "update", "--platform", "UpdBox", "--db", e.db,
		              "--baselines", e.baselines, "--yes", NULL };
		char *b2[] = { (char *)tool(), "baseline", "update", "--platform", "Other_Box", "--db",
		               e.db, "--baselines", e.baselines, "--yes", NULL };

		first = support_spawn(a, NULL, NULL, NULL);
		second = support_spawn(b2, NULL, NULL, NULL);
	}
	usleep(300000);
	cbench_baseline__unlock(lock);
	cr_assert_eq(support_wait(first), 0);
	cr_assert_eq(support_wait(second), 0);
	cr_assert_eq(cbench_baseline__load(&b, e.baselines, &err), 0, "%s", err.text);
	cr_assert_eq(value_of(b, "UpdBox", "latency"), 0.81);
	cr_assert_eq(value_of(b, "Other_Box", "latency"), 1.0);
	/* Other_Box's 2.0 improved to 1.0, and its notes stayed */
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(
		b->doc, "Other_Box"), "metadata"), "notes")), "keep me");
	cbench_baseline__free(b);
	teardown_env(&e);
}

/* Runs the update on a pseudo-terminal and answers the prompt. */
static int answer_prompt(const struct env *e, const char *answer, char *seen, size_t size)
{
	int master, status;
	size_t len = 0;
	pid_t pid = forkpty(&master, NULL, NULL, NULL);

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		char *argv[] = { (char *)tool(), "baseline", "update", "--platform", "UpdBox", "--db",
		                 e->db, "--baselines", e->baselines, NULL };

		execv(argv[0], argv);
		_exit(127);
	}
	while (len + 1 < size) {
		ssize_t got = read(master, seen + len, size - 1 - len);

		if (got <= 0)
			break;
		len += (size_t)got;
		seen[len] = '\0';
		if (strstr(seen, "Apply these updates? (yes/no): ")) {
			cr_assert_eq(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
			break;
		}
	}
	/* drain what follows, until the child closes the terminal */
	while (len + 1 < size) {
		ssize_t got = read(master, seen + len, size - 1 - len);

		if (got <= 0)
			break;
		len += (size_t)got;
		seen[len] = '\0';
	}
	close(master);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

Test(baseline_update, prompt_yes_applies_through_a_terminal, .timeout = 60)
{
	struct env e;
	char seen[8192] = "";

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(answer_prompt(&e, "yes\n", seen, sizeof(seen)), 0, "%s", seen);
	cr_assert(strstr(seen, "Apply these updates? (yes/no): ") != NULL, "%s", seen);
	cr_assert(strstr(seen, "Updated UpdBox") != NULL, "%s", seen);
	check_updated(&e, false);
	teardown_env(&e);
}

Test(baseline_update, prompt_anything_but_yes_changes_nothing, .timeout = 60)
{
	struct env e;
	char seen[8192] = "";

	setup_env(&e, "UpdBox", 5, 0.8);
	cr_assert_eq(answer_prompt(&e, "y\n", seen, sizeof(seen)), 0, "%s", seen);
	cr_assert(strstr(seen, "Not applied: nothing changed.") != NULL, "%s", seen);
	unchanged(&e);
	teardown_env(&e);
}

Test(baseline_update, show_prints_units_and_directions, .timeout = 30)
{
	struct env e;
	char *argv[] = { (char *)tool(), "baseline", "show", "--platform", "UpdBox", "--baselines",
	                 NULL, NULL };
	char *text;

	setup_env(&e, "UpdBox", 0, 0.8);
	argv[6] = e.baselines;
	cr_assert_eq(support_run(argv, e.out, NULL), 0);
	text = support_slurp(e.out);
	cr_assert(strstr(text, "Baselines for UpdBox in") != NULL, "%s", text);
	cr_assert(strstr(text, "throughput") != NULL && strstr(text, "higher") != NULL, "%s", text);
	free(text);
	argv[4] = "Nowhere";
	cr_assert_eq(support_run(argv, e.out, NULL), 1);
	output_has(&e, "No baseline for platform Nowhere");
	output_has(&e, "(it has: Other_Box, UpdBox)");
	teardown_env(&e);
}
