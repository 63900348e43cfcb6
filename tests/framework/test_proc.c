/*
 * base/proc.c: a helper program's standard output, within a deadline and a
 * size cap; a program past its deadline is killed with its process group
 * and reaped.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/proc.h"
#include "support.h"

Test(proc, echo)
{
	char *argv[] = { "/bin/echo", "hello", "world", NULL };
	struct cbench_error err = { 0, "" };
	char *out;
	size_t len;
	bool timed_out = true;

	cr_assert_eq(cbench_proc__capture(&out, &len, argv, 10000, 1024, &timed_out, &err), 0,
	             "%s", err.text);
	cr_assert_str_eq(out, "hello world\n");
	cr_assert_eq(len, strlen("hello world\n"));
	cr_assert(!timed_out);
	free(out);
}

Test(proc, stdin_is_empty)
{
	char *argv[] = { "/bin/cat", NULL };
	char *out;

	cr_assert_eq(cbench_proc__capture(&out, NULL, argv, 10000, 16, NULL, NULL), 0);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(proc, output_is_capped)
{
	char *argv[] = { "/bin/sh", "-c",
	                 "i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done",
	                 NULL };
	char *out;
	size_t len;

	/* The rest is read and dropped: the program is not blocked on a
	 * full pipe, and exits 0. */
	cr_assert_eq(cbench_proc__capture(&out, &len, argv, 20000, 25, NULL, NULL), 0);
	cr_assert_eq(len, 25);
	cr_assert_str_eq(out, "0123456789\n0123456789\n012");
	free(out);
}

Test(proc, exit_status_is_an_error)
{
	char *argv[] = { "/bin/sh", "-c", "echo partial; exit 3", NULL };
	struct cbench_error err = { 0, "" };
	char *out = (char *)"unset";
	bool timed_out = true;

	cr_assert_eq(cbench_proc__capture(&out, NULL, argv, 10000, 1024, &timed_out, &err),
	             CBENCH_ERROR);
	cr_assert_null(out);
	cr_assert(!timed_out);
	cr_assert_str_eq(err.text, "/bin/sh: exited with status 3");
}

Test(proc, absent_program)
{
	char *argv[] = { "/nonexistent/cbench-no-such-program", NULL };
	struct cbench_error err = { 0, "" };
	char *out = (char *)"unset";

	cr_assert_eq(cbench_proc__capture(&out, NULL, argv, 10000, 1024, NULL, &err), CBENCH_EIO);
	cr_assert_null(out);
	cr_assert(strstr(err.text, "/nonexistent/cbench-no-such-program: ") == err.text,
	          "%s", err.text);
	cr_assert(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "a child is left");
}

/* Gone, or a zombie its new parent has not reaped yet. */
static bool dead(pid_t pid)
{
	char path[64], *stat;
	const char *state;
	bool gone;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (!(stat = support_slurp(path)))
		return true;
	state = strrchr(stat, ')');
	gone = state && state[1] == ' ' && state[2] == 'Z';
	free(stat);
	return gone;
}

Test(proc, past_the_deadline_killed_and_reaped, .timeout = 30)
{
	char *dir = support_tmpdir(), *pidfile = support_path(dir, "pid"), *text;
	/* A wrapper whose child holds standard output open: the whole group
	 * must go, or the pipe would never close. The file is an argument
	 * ($1), not text in the script: no shell sees interpolated text. */
	char *argv[] = { "/bin/sh", "-c", "sleep 60 & echo $! > \"$1\"; echo started; wait",
	                 "sh", pidfile, NULL };
	struct cbench_error err = { 0, "" };
	char *out = (char *)"unset";
	bool timed_out = false;
	long grandchild;

	cr_assert_eq(cbench_proc__capture(&out, NULL, argv, 300, 1024, &timed_out, &err),
	             CBENCH_ERROR);
	cr_assert_null(out);
	cr_assert(timed_out);
	cr_assert_str_eq(err.text, "/bin/sh: no answer within 300 ms, killed");
	cr_assert(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD, "not reaped");
	text = support_slurp(pidfile);
	cr_assert_not_null(text, "the wrapper did not start its child");
	grandchild = strtol(text, NULL, 10);
	cr_assert_gt(grandchild, 0);
	/* Its new parent reaps it in its own time: wait for that, or for
	 * Criterion's timeout. */
	while (!dead((pid_t)grandchild))
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	free(text);
	free(pidfile);
	support_rmdir(dir);
}
