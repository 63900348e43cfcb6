/*
 * Faults injected into real runs (docs/reliability.md): benchmarks that
 * misbehave in every way a child process can (tests/programs/
 * fixture_bench.c, suite "rogue"), every output and the history written
 * under a file-size limit and on a full file system, read-only, missing,
 * wrong-kind and symlinked files, four processes recording into one
 * history, and damaged databases. Each checks what must survive: the other
 * benchmarks' results, the previous file byte for byte, one error line
 * naming the file, the exit status, and nothing left behind.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static const char *tool(void)
{
	return support_program("../cbench");
}

/* ---- files compared byte for byte --------------------------------------- */

struct bytes {
	char *p;
	size_t n;
};

static struct bytes bytes_of(const char *path)
{
	struct bytes b;

	b.p = support_read_bytes(path, &b.n);
	return b;
}

static void same_bytes(const char *path, const struct bytes *before)
{
	struct bytes now = bytes_of(path);

	cr_assert(now.n == before->n && memcmp(now.p, before->p, now.n) == 0,
	          "%s changed: %zu bytes before, %zu after", path, before->n, now.n);
	free(now.p);
}

/* The names in dir, sorted and joined by newlines (malloc'd). Not
 * "baselines.json.lock": `cbench baseline update` keeps it between updates,
 * failed or not (its flock lives on it). */
static char *listing(const char *dir)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);
	size_t len = 0;
	char *out = NULL;
	FILE *f = open_memstream(&out, &len);

	cr_assert_geq(n, 0, "scandir %s: %s", dir, strerror(errno));
	cr_assert_not_null(f);
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, "baselines.json.lock") != 0)
			fprintf(f, "%s\n", v[i]->d_name);
		free(v[i]);
	}
	free(v);
	fclose(f);
	return out;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* Standard error in `err` is one line that names `file` (and says `why`
 * when not NULL). */
static void one_error_naming(const char *err, const char *file, const char *why)
{
	char *text = support_slurp(err);

	cr_assert_not_null(text);
	cr_assert(support_count(text, "\n") == 1 && strstr(text, "error: "),
	          "not one error line:\n%s", text);
	cr_assert(strstr(text, file) != NULL, "the error does not name %s:\n%s", file, text);
	if (why)
		cr_assert(strstr(text, why) != NULL, "no \"%s\" in:\n%s", why, text);
	free(text);
}

/* ---- benchmarks that misbehave --------------------------------------------- */

/*
 * The runner against benchmarks that fork a child and leave it running,
 * close their standard output, write 8 MB to each of standard output and
 * error, and exit(0) in the middle of their rounds. This test process is
 * the subreaper of everything they start, so a process they leave behind
 * is still ours to find: the one the forking benchmark started must be
 * dead (a zombie reaped here) by the time the runner exits.
 */
Test(faults, rogue_benchmarks_are_their_own_errors_and_leave_no_process, .timeout = 60)
{
	char *dir = support_tmpdir(), *json = support_path(dir, "r.json");
	char *pids = support_path(dir, "pids.txt"), *out = support_path(dir, "out.txt");
	char *err = support_path(dir, "err.txt"), *env_pids, *text;
	char *argv[] = { (char *)support_program("fixture_bench"), "-k", "rogue or ok.fast",
	                 "--json", json, NULL };
	char *env[] = { NULL, NULL };
	struct stat st;
	json_t *doc;
	int npids = 0;
	FILE *f;

	cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	cr_assert(asprintf(&env_pids, "CBENCH_TEST_PID_FILE=%s", pids) > 0);
	env[0] = env_pids;
	cr_assert_eq(support_wait(support_spawn(argv, out, err, env)), 1);

	f = fopen(pids, "r");
	cr_assert_not_null(f, "the forking benchmark wrote no pid");
	for (int pid; fscanf(f, "%d", &pid) == 1; npids++) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == 0)
			kill(pid, SIGKILL);
		cr_assert_neq(r, 0, "process %d the benchmark forked is still running", pid);
	}
	fclose(f);
	cr_assert_eq(npids, 1);
	/* and nothing else of the run is left for us to reap */
	cr_assert_eq(waitpid(-1, NULL, WNOHANG), -1);
	cr_assert_eq(errno, ECHILD);
	prctl(PR_SET_CHILD_SUBREAPER, 0);

	doc = support_load_json(json);
	cr_assert_str_eq(support_bench_status(doc, "rogue.forks"), "error");
	cr_assert_str_eq(support_bench_message(doc, "rogue.forks"),
	                 "left processes running after it finished (killed)");
	cr_assert_str_eq(support_bench_status(doc, "rogue.exits_mid_round"), "error");
	cr_assert_str_eq(support_bench_message(doc, "rogue.exits_mid_round"),
	                 "exited with status 0 before the benchmark finished");
	/* closing its own standard output or flooding both is not an error
	 * of the measurement: measured, and the runner's output goes on */
	cr_assert_str_eq(support_bench_status(doc, "rogue.closes_stdout"), "passed");
	cr_assert_str_eq(support_bench_status(doc, "rogue.floods"), "passed");
	cr_assert_str_eq(support_bench_status(doc, "ok.fast"), "passed");
	cr_assert_eq(json_array_size(json_object_get(support_bench(doc, "ok.fast"), "metrics")), 1);
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(doc, "summary"), "error")), 2);
	json_decref(doc);
	cr_assert_eq(stat(out, &st), 0);
	cr_assert_geq(st.st_size, 8000000);
	cr_assert_eq(stat(err, &st), 0);
	cr_assert_geq(st.st_size, 8000000);
	text = support_slurp(out);
	cr_assert(strstr(text, "3 passed, 0 failed, 2 errors") != NULL,
	          "no summary line after the flood");
	free(text);
	free(env_pids);
	free(err);
	free(out);
	free(pids);
	free(json);
	support_rmdir(dir);
}

/* ---- a full disk, a file-size limit ------------------------------------------ */

/* Every output is made bigger than this; the one error line is shorter. */
#define FSIZE_LIMIT 1024

/* One output: the command that writes `target`, run once freely (the
 * previous file, unless `seed` gives it) and once under the fault. */
struct output_case {
	const char *what;
	char *target;
	const char *seed;
	rlim_t limit;          /* the file-size limit that makes it fail */
	bool sqlite;           /* the target is a history */
	char *argv[20];
};

#define NCASES 8

struct cases {
	char *indir, *outdir;  /* the inputs; every target */
	char *db, *results;    /* the inputs: a history, a results file */
	struct output_case c[NCASES];
	size_t n;
	char *seed_text;
};

/* A baselines file of 3,000 other metrics (80 kB: bigger than every limit);
 * `cbench baseline update --init` adds the platform "Box" to it. */
static char *baselines_seed(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	fputs("{\n  \"Other_Box\": {\n", f);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "    \"metric_%04d\": %d.5%s\n", i, i + 1, i < 2999 ? "," : "");
	fputs("  }\n}\n", f);
	fclose(f);
	return text;
}

static void add_case(struct cases *cs, const char *what, const char *file, const char *seed,
                     char *const argv[])
{
	struct output_case *c = &cs->c[cs->n++];
	size_t i = 0;

	c->what = what;
	c->limit = FSIZE_LIMIT;
	c->target = support_path(cs->outdir, file);
	c->seed = seed;
	for (; argv[i]; i++)
		c->argv[i] = strcmp(argv[i], "TARGET") == 0 ? c->target : argv[i];
	c->argv[i] = NULL;
}

/* The inputs, in indir: a history with one run of platform Box, its
 * results file. */
static void inputs_make(struct cases *cs, char *indir)
{
	char *argv[] = { (char *)support_program("fixture_bench"), "-q", "-k", "ok", "--platform",
	                 "Box", "--record", "--db", NULL, "--json", NULL, NULL };

	memset(cs, 0, sizeof(*cs));
	cs->indir = indir;
	cs->db = argv[8] = support_path(indir, "history.db");
	cs->results = argv[10] = support_path(indir, "results.json");
	cs->seed_text = baselines_seed();
	cr_assert_eq(support_run(argv, NULL, NULL), 0);
}

/* Every output, its file in outdir. */
static void cases_make(struct cases *cs, char *outdir)
{
	char *bench = (char *)support_program("fixture_bench"), *cb = (char *)tool();

	cs->outdir = outdir;
	cs->n = 0;
#define RUNNER(opt, file) \
	{ \
		char *argv[] = { bench, "-q", "-k", "ok", "--platform", "Box", opt, "TARGET", NULL }; \
		add_case(cs, "the runner's " opt, file, NULL, argv); \
	}
	RUNNER("--json", "out.json");
	RUNNER("--markdown", "out.md");
	RUNNER("--junit", "out.xml");
	RUNNER("--gbench-json", "out.gbench.json");
#undef RUNNER
	{
		char *argv[] = { cb, "report", "--from", cs->results, "--format", "markdown",
		                 "--output", "TARGET", NULL };

		add_case(cs, "cbench report --output", "report.md", NULL, argv);
	}
	{
		char *argv[] = { cb, "dashboard", "--db", cs->db, "--days", "0", "--output",
		                 "TARGET", NULL };

		add_case(cs, "cbench dashboard --output", "dashboard.html", NULL, argv);
	}
	{
		char *argv[] = { cb, "baseline", "update", "--platform", "Box", "--db", cs->db,
		                 "--baselines", "TARGET", "--min-runs", "1", "--init", "--yes",
		                 NULL };

		add_case(cs, "cbench baseline update", "baselines.json", cs->seed_text, argv);
	}
	/* reading the history (WAL) needs its 32 kB shared-memory file */
	cs->c[cs->n - 2].limit = cs->c[cs->n - 1].limit = 65536;
	{
		char *argv[] = { bench, "-q", "-k", "ok", "--platform", "Box", "--record", "--db",
		                 "TARGET", NULL };

		add_case(cs, "recording in the history", "history.db", NULL, argv);
		cs->c[cs->n - 1].sqlite = true;
	}
}

static void cases_clear(struct cases *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->c[i].target);
	cs->n = 0;
}

static void cases_free(struct cases *cs)
{
	cases_clear(cs);
	free(cs->db);
	free(cs->results);
	free(cs->seed_text);
}

/* The previous file of a case: written by the command itself, or seeded. */
static struct bytes previous(const struct output_case *c)
{
	struct bytes b;

	if (c->seed)
		write_text(c->target, c->seed);
	else if (!support_exists(c->target))
		cr_assert_eq(support_run(c->argv, NULL, NULL), 0, "%s", c->what);
	b = bytes_of(c->target);
	cr_assert_gt(b.n, c->limit, "%s: %s is too small to test", c->what, c->target);
	return b;
}

/*
 * Runs argv with the soft file-size limit at `limit` bytes and SIGXFSZ
 * ignored (so a write past it fails with EFBIG instead of killing): both
 * are inherited by the spawned program and put back here at once.
 */
static int run_limited(char *const argv[], const char *err, rlim_t limit)
{
	struct rlimit saved, lim;
	struct sigaction ign, old;
	pid_t pid;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &saved), 0);
	lim = saved;
	lim.rlim_cur = limit;
	cr_assert_eq(sigaction(SIGXFSZ, &ign, &old), 0);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	pid = support_spawn(argv, NULL, err, NULL);
	setrlimit(RLIMIT_FSIZE, &saved);
	sigaction(SIGXFSZ, &old, NULL);
	return support_wait(pid);
}

/*
 * A history that could not be opened may keep the -wal and -shm files
 * SQLite made while trying: the log must be empty (nothing of the failed
 * run in it), and the next connection that closes removes both (they are
 * removed here, as it would).
 */
static void sqlite_leftovers_are_empty(const char *db)
{
	char *wal, *shm;
	struct stat st;

	cr_assert(asprintf(&wal, "%s-wal", db) > 0 && asprintf(&shm, "%s-shm", db) > 0);
	if (stat(wal, &st) == 0)
		cr_assert_eq(st.st_size, 0, "%s holds %lld bytes", wal, (long long)st.st_size);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
}

/* The fault for every case: `run` runs it; checked: a non-zero exit, one
 * error line naming the file (with `why`), the previous file as it was,
 * no file added or removed. */
static void every_output_survives(struct cases *cs, const char *errdir, const char *why,
                                  int (*run)(const struct output_case *c, const char *err))
{
	char *err = support_path(errdir, "err.txt");

	for (size_t i = 0; i < cs->n; i++) {
		struct output_case *c = &cs->c[i];
		struct bytes before = previous(c);
		char *names = listing(cs->outdir), *after;
		int status = run(c, err);

		cr_assert_neq(status, 0, "%s: exit status 0 under the fault", c->what);
		cr_assert_lt(status, 128, "%s: killed by signal %d", c->what, status - 128);
		one_error_naming(err, c->target, why);
		same_bytes(c->target, &before);
		if (c->sqlite)
			sqlite_leftovers_are_empty(c->target);
		after = listing(cs->outdir);
		cr_assert_str_eq(after, names, "%s: files before:\n%s\nafter:\n%s", c->what, names,
		                 after);
		free(after);
		free(names);
		free(before.p);
	}
	free(err);
}

static int run_fsize(const struct output_case *c, const char *err)
{
	return run_limited(c->argv, err, c->limit);
}

Test(faults, file_size_limit_on_every_output_keeps_the_previous_file, .timeout = 120)
{
	char *dir = support_tmpdir(), *errdir = support_tmpdir();
	struct cases cs;

	inputs_make(&cs, dir);
	cases_make(&cs, dir);
	every_output_survives(&cs, errdir, "File too large", run_fsize);
	cases_free(&cs);
	support_rmdir(errdir);
	support_rmdir(dir);
}

/* The tmpfs mounted, for unmount_tmpfs to take away even when an
 * assertion ended the test early. */
static char *mounted;

static void unmount_tmpfs(void)
{
	if (mounted)
		umount(mounted);
	mounted = NULL;
}

/* A tmpfs of 512 kB (a history, its WAL and the outputs fit) mounted on a folder of ours, or why not. */
static const char *mount_small_tmpfs(const char *at)
{
	if (geteuid() != 0)
		return "mounting a tmpfs needs root";
	if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "size=512k,mode=0700") != 0)
		return "mount -t tmpfs is not permitted here";
	mounted = (char *)at;
	return NULL;
}

/* Fills the file system of dir with a file `name` until no byte fits. */
static void fill(const char *dir, const char *name)
{
	char *path = support_path(dir, name), block[4096];
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	memset(block, 'f', sizeof(block));
	setvbuf(f, NULL, _IONBF, 0);
	while (fwrite(block, 1, sizeof(block), f) == sizeof(block))
		;
	while (fwrite(block, 1, 1, f) == 1)
		;
	fclose(f);
	free(path);
}

static int run_plain(const struct output_case *c, const char *err)
{
	return support_wait(support_spawn(c->argv, NULL, err, NULL));
}

/*
 * The same outputs on a real full file system: each case gets a fresh
 * small tmpfs for its previous file (the inputs stay outside), then filled
 * up. The error names the file and says "No space left on device".
 */
Test(faults, full_file_system_on_every_output_keeps_the_previous_file, .timeout = 120,
     .fini = unmount_tmpfs)
{
	char *top = support_tmpdir(), *errdir = support_tmpdir();
	char *mnt = support_path(top, "mnt");
	const char *why;
	struct cases cs;
	size_t n;

	cr_assert_eq(mkdir(mnt, 0700), 0);
	if ((why = mount_small_tmpfs(mnt))) {
		free(mnt);
		support_rmdir(top);
		support_rmdir(errdir);
		cr_skip_test("%s", why);
	}
	unmount_tmpfs();
	inputs_make(&cs, top);
	cases_make(&cs, mnt);
	n = cs.n;
	for (size_t i = 0; i < n; i++) {
		struct cases one = cs;

		cr_assert_null(mount_small_tmpfs(mnt));
		/* only case i, on a file system filled once its file is there */
		one.c[0] = cs.c[i];
		one.n = 1;
		free(previous(&one.c[0]).p);
		fill(mnt, "filler");
		every_output_survives(&one, errdir, "No space left on device", run_plain);
		mounted = NULL;
		cr_assert_eq(umount(mnt), 0, "umount %s: %s", mnt, strerror(errno));
	}
	cases_free(&cs);
	free(mnt);
	support_rmdir(top);
	support_rmdir(errdir);
}

/* ---- read-only, missing, wrong-kind and symlinked files ----------------------- */

/*
 * Runs argv (stdout and stderr to files outside dir): a non-zero exit, one
 * error line naming `named` and saying `why`, and nothing in dir added,
 * removed or changed (`keep`, when not NULL, byte for byte).
 */
static void refused_and_nothing_written(const char *dir, char *const argv[], const char *named,
                                        const char *why, const char *keep)
{
	char *errdir = support_tmpdir(), *err = support_path(errdir, "err.txt");
	char *before = listing(dir), *after;
	struct bytes kept = { NULL, 0 };
	int status;

	if (keep)
		kept = bytes_of(keep);
	status = support_run(argv, NULL, err);
	cr_assert(status == 2, "%s %s: exit status %d, not 2", argv[0], argv[1], status);
	one_error_naming(err, named, why);
	after = listing(dir);
	cr_assert_str_eq(after, before, "files before:\n%s\nafter:\n%s", before, after);
	if (keep)
		same_bytes(keep, &kept);
	free(kept.p);
	free(after);
	free(before);
	free(err);
	support_rmdir(errdir);
}

Test(faults, read_only_baselines_file_and_database_are_left_alone, .timeout = 60)
{
	char *dir = support_tmpdir(), *errdir = support_tmpdir();
	struct cases cs;

	inputs_make(&cs, dir);
	{
		char *base = support_path(dir, "baselines.json");
		char *argv[] = { (char *)tool(), "baseline", "update", "--platform", "Box", "--db",
		                 cs.db, "--baselines", base, "--min-runs", "1", "--init", "--yes",
		                 NULL };

		write_text(base, cs.seed_text);
		cr_assert_eq(chmod(base, 0444), 0);
		refused_and_nothing_written(dir, argv, base, "read-only", base);
		free(base);
	}
	{
		char *argv[] = { (char *)support_program("fixture_bench"), "-q", "-k", "ok.fast",
		                 "--record", "--db", cs.db, NULL };
		char *imp[] = { (char *)tool(), "history", "import", "--db", cs.db, cs.results,
		                NULL };

		cr_assert_eq(chmod(cs.db, 0444), 0);
		refused_and_nothing_written(dir, argv, cs.db, "read-only", cs.db);
		refused_and_nothing_written(dir, imp, cs.db, "read-only", cs.db);
	}
	cases_free(&cs);
	support_rmdir(errdir);
	support_rmdir(dir);
}

Test(faults, missing_folder_or_a_folder_where_a_file_goes_is_refused, .timeout = 60)
{
	char *dir = support_tmpdir(), *folder = support_path(dir, "a-folder");
	char *missing = support_path(dir, "no-such-folder/out.md");
	char *json = support_path(dir, "r.json");
	char *bench = (char *)support_program("fixture_bench"), *cb = (char *)tool();
	char *runs[][12] = {
		{ bench, "-q", "-k", "ok.fast", "--markdown", missing, NULL },
		{ bench, "-q", "-k", "ok.fast", "--json", folder, NULL },
		{ bench, "-q", "-k", "ok.fast", "--junit", folder, NULL },
		{ bench, "-q", "-k", "ok.fast", "--record", "--db", folder, NULL },
		{ bench, "-q", "-k", "ok.fast", "--baselines", folder, NULL },
		{ cb, "report", "--from", json, "--format", "markdown", "--output", missing, NULL },
		{ cb, "report", "--from", json, "--format", "junit", "--output", folder, NULL },
		{ cb, "report", "--from", folder, "--format", "json", NULL },
		{ cb, "baseline", "update", "--db", json, "--baselines", folder, "--yes", NULL },
	};
	const char *named[] = { missing, folder, folder, folder, folder, missing, folder, folder,
	                        json };

	cr_assert_eq(mkdir(folder, 0755), 0);
	{
		char *argv[] = { bench, "-q", "-k", "ok.fast", "--json", json, NULL };

		cr_assert_eq(support_run(argv, NULL, NULL), 0);
	}
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++)
		refused_and_nothing_written(dir, runs[i], named[i], NULL, NULL);
	free(json);
	free(missing);
	free(folder);
	support_rmdir(dir);
}

/* A baselines file that is a symbolic link: read through (the gate), never
 * replaced, neither the link nor what it points to. */
Test(faults, symlinked_baselines_file_is_read_but_not_replaced, .timeout = 60)
{
	char *dir = support_tmpdir(), *real = support_path(dir, "real.json");
	char *link = support_path(dir, "baselines.json"), *json = support_path(dir, "r.json");
	struct cases cs;

	inputs_make(&cs, dir);
	write_text(real, cs.seed_text);
	cr_assert_eq(symlink("real.json", link), 0);
	{
		char *argv[] = { (char *)tool(), "baseline", "update", "--platform", "Box", "--db",
		                 cs.db, "--baselines", link, "--min-runs", "1", "--init", "--yes",
		                 NULL };

		refused_and_nothing_written(dir, argv, link, "symbolic link", real);
	}
	{
		char target[64];
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		char *argv[] = { (char *)support_program("fixture_bench"), "-q", "-k", "ok.fast",
		                 "--baselines", link, "--json", json, NULL };

		cr_assert_eq(n, 9);
		target[n] = '\0';
		cr_assert_str_eq(target, "real.json");
		/* the gate reads through it */
		cr_assert_eq(support_run(argv, NULL, NULL), 0);
	}
	free(json);
	free(link);
	free(real);
	cases_free(&cs);
	support_rmdir(dir);
}

/* ---- concurrent writers, damaged databases ------------------------------------- */

/* A results file of one run: `id`, platform W<writer>, 10 metrics. */
static void write_results(const char *path, int writer, int run)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "{\"schema\": \"cbench-results/1\", \"run_id\": \"w%d-r%02d\", "
	        "\"run_type\": \"ci\", \"started_at\": \"2026-11-%02dT%02d:%02d:00Z\", "
	        "\"platform\": {\"id\": \"W%d\"}, \"benchmarks\": [", writer, run,
	        1 + run % 28, writer, run % 60, writer);
	for (int m = 0; m < 10; m++)
		fprintf(f, "%s{\"id\": \"s.b%d\", \"suite\": \"s\", \"name\": \"b%d\", "
		        "\"status\": \"passed\", \"metrics\": [{\"name\": \"m%d\", \"unit\": \"s\", "
		        "\"direction\": \"lower\", \"value\": %d.25, "
		        "\"stats\": {\"n\": 10, \"median\": %d.25}}]}",
		        m ? ", " : "", m, m, m, run + m, run + m);
	fputs("]}\n", f);
	fclose(f);
}

#define WRITERS 4
#define RUNS_EACH 50

/* Four `cbench history import` processes, started together, each
 * recording 50 runs one transaction at a time into the same file. */
Test(faults, four_processes_recording_at_once_lose_nothing, .timeout = 120)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db");
	char *errs[WRITERS];
	pid_t pid[WRITERS];

	for (int w = 0; w < WRITERS; w++) {
		char *argv[RUNS_EACH + 6] = { (char *)tool(), "history", "import", "--db", db };
		char name[32];

		for (int r = 0; r < RUNS_EACH; r++) {
			snprintf(name, sizeof(name), "w%d-r%02d.json", w, r);
			argv[5 + r] = support_path(dir, name);
			write_results(argv[5 + r], w, r);
		}
		argv[5 + RUNS_EACH] = NULL;
		snprintf(name, sizeof(name), "err%d.txt", w);
		errs[w] = support_path(dir, name);
		pid[w] = support_spawn(argv, NULL, errs[w], NULL);
		for (int r = 0; r < RUNS_EACH; r++)
			free(argv[5 + r]);
	}
	for (int w = 0; w < WRITERS; w++) {
		char *text;

		cr_assert_eq(support_wait(pid[w]), 0, "writer %d failed", w);
		text = support_slurp(errs[w]);
		cr_assert_str_eq(text, "", "writer %d: %s", w, text);
		free(text);
		free(errs[w]);
	}
	cr_assert_eq(support_sql_int(db, "SELECT COUNT(*) FROM runs"), WRITERS * RUNS_EACH);
	cr_assert_eq(support_sql_int(db, "SELECT COUNT(DISTINCT platform) FROM runs"), WRITERS);
	cr_assert_eq(support_sql_int(db, "SELECT COUNT(*) FROM metrics"), WRITERS * RUNS_EACH * 10);
	free(db);
	support_rmdir(dir);
}

/* A history with one run, then damaged by `damage`: recording into it and
 * reading it are refused with one line naming it, the file byte for byte
 * as it was, and no file added beside it. */
static void damaged(void (*damage)(const char *db), const char *why)
{
	char *dir = support_tmpdir(), *db = support_path(dir, "h.db");
	char *rec[] = { (char *)support_program("fixture_bench"), "-q", "-k", "ok.fast",
	                "--record", "--db", db, NULL };
	char *stats[] = { (char *)tool(), "history", "stats", "--db", db, NULL };
	char *dash = support_path(dir, "d.html");
	char *page[] = { (char *)tool(), "dashboard", "--db", db, "--output", dash, NULL };

	cr_assert_eq(support_run(rec, NULL, NULL), 0);
	damage(db);
	refused_and_nothing_written(dir, rec, db, why, db);
	refused_and_nothing_written(dir, stats, db, why, db);
	refused_and_nothing_written(dir, page, db, why, db);
	free(dash);
	free(db);
	support_rmdir(dir);
}

static void truncate_half(const char *db)
{
	struct stat st;

	cr_assert_eq(stat(db, &st), 0);
	cr_assert_eq(truncate(db, st.st_size / 2), 0);
}

/* Pages 2 and on overwritten with noise; the 100-byte header kept. */
static void scribble(const char *db)
{
	struct bytes b = bytes_of(db);
	unsigned seed = 17;
	FILE *f;

	for (size_t i = 4096; i < b.n; i++) {
		seed = seed * 1103515245u + 12345u;
		b.p[i] = (char)(seed >> 16);
	}
	f = fopen(db, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(b.p, 1, b.n, f), b.n);
	fclose(f);
	free(b.p);
}

static void newer_schema(const char *db)
{
	support_sql(db, "PRAGMA user_version = 99");
}

Test(faults, truncated_database_is_refused_and_untouched, .timeout = 60)
{
	damaged(truncate_half, NULL);
}

Test(faults, corrupt_database_is_refused_and_untouched, .timeout = 60)
{
	damaged(scribble, NULL);
}

Test(faults, newer_schema_database_is_refused_and_untouched, .timeout = 60)
{
	damaged(newer_schema, "newer cbench");
}
