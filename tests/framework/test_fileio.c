/* Atomic replacement of output files. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fileio.h"
#include "support.h"

Test(fileio, replaces_whole_and_leaves_no_temporary)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "out.txt");
	struct cbench_error err;
	char *text;
	struct stat st;

	cr_assert_eq(cbench_file__write_atomic(path, "first", 5, &err), 0, "%s", err.text);
	cr_assert_eq(cbench_file__write_atomic(path, "second!", 7, &err), 0, "%s", err.text);
	text = support_slurp(path);
	cr_assert_str_eq(text, "second!");
	free(text);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0002, 0, "world-writable");
	/* only the file itself is left in the folder */
	cr_assert_eq(rmdir(dir), -1);
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(rmdir(dir), 0);
	free(path);
	free(dir);
}

Test(fileio, failure_names_the_file_and_keeps_the_old_one)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "sub");
	struct cbench_error err;

	cr_assert_eq(mkdir(path, 0755), 0);
	/* a directory where the file should be */
	cr_assert_neq(cbench_file__write_atomic(path, "x", 1, &err), 0);
	cr_assert(strstr(err.text, path) != NULL, "%s", err.text);
	cr_assert_eq(cbench_file__check_writable(path, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "is a directory") != NULL, "%s", err.text);
	cr_assert_eq(cbench_file__check_writable("/no/such/folder/x.json", &err), CBENCH_EUSAGE);
	cr_assert_str_eq(err.text, "cannot write /no/such/folder/x.json: folder /no/such/folder does not exist");
	cr_assert_eq(cbench_file__check_writable("-", &err), 0);
	free(path);
	support_rmdir(dir);
}

/* The mode a new file gets under `mask`. */
static mode_t mode_under(const char *dir, const char *name, mode_t mask)
{
	char *path = support_path(dir, name);
	struct cbench_error err = { 0, "" };
	mode_t old = umask(mask);
	struct stat st;

	cr_assert_eq(cbench_file__write_atomic(path, "x\n", 2, &err), 0, "%s", err.text);
	umask(old);
	cr_assert_eq(stat(path, &st), 0);
	free(path);
	return st.st_mode & 07777;
}

Test(fileio, new_files_follow_the_umask_never_world_writable)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "kept");
	struct cbench_error err = { 0, "" };
	struct stat st;

	/* mkstemp makes 0600: a report must be readable as any file is */
	cr_expect_eq(mode_under(dir, "a", 022), 0644);
	cr_expect_eq(mode_under(dir, "b", 077), 0600);
	cr_expect_eq(mode_under(dir, "c", 002), 0664);
	cr_expect_eq(mode_under(dir, "d", 0), 0664, "a umask of 0 made it world-writable");
	/* a file replaced keeps its mode, but never world-writable */
	cr_assert_eq(cbench_file__write_atomic(path, "1", 1, &err), 0);
	cr_assert_eq(chmod(path, 0640), 0);
	cr_assert_eq(cbench_file__write_atomic(path, "2", 1, &err), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0640);
	cr_assert_eq(chmod(path, 0666), 0);
	cr_assert_eq(cbench_file__write_atomic(path, "3", 1, &err), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_expect_eq(st.st_mode & 07777, 0664);
	free(path);
	support_rmdir(dir);
}

/* A writer that dies in the middle of writing (here of SIGXFSZ, at a
 * file-size limit, which kills as surely as SIGKILL but at a known
 * point): the target keeps its old bytes; the temporary it left is
 * ignored by the next write, which replaces the target. */
Test(fileio, a_writer_killed_mid_write_leaves_the_old_file, .timeout = 60)
{
	char *dir = support_tmpdir(), *path = support_path(dir, "baselines.json"), *text;
	struct cbench_error err = { 0, "" };
	size_t big = 4 << 20;
	char *data = malloc(big);
	int status, left = 0;
	pid_t pid;
	DIR *d;
	struct dirent *e;

	cr_assert_not_null(data);
	memset(data, 'n', big);
	cr_assert_eq(cbench_file__write_atomic(path, "old\n", 4, &err), 0, "%s", err.text);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rlimit lim = { 1 << 20, 1 << 20 };

		signal(SIGXFSZ, SIG_DFL);
		setrlimit(RLIMIT_FSIZE, &lim);
		cbench_file__write_atomic(path, data, big, &err);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ, "status %#x", status);
	text = support_slurp(path);
	cr_assert_str_eq(text, "old\n");
	free(text);
	d = opendir(dir);
	while ((e = readdir(d)))
		left += strncmp(e->d_name, ".baselines.json.", 16) == 0;
	closedir(d);
	cr_assert_eq(left, 1, "the dead writer's temporary file");
	cr_assert_eq(cbench_file__write_atomic(path, "new\n", 4, &err), 0, "%s", err.text);
	text = support_slurp(path);
	cr_assert_str_eq(text, "new\n");
	free(text);
	free(data);
	free(path);
	support_rmdir(dir);
}
