/*
 * Running a helper program (nvidia-smi, ...) and reading its answer, with a
 * deadline: a hung driver or tool must never hang the run with it.
 */
#include "base/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/util.h"

extern char **environ;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pipe end at 3 or above, so the child's dup2 onto 0-2 cannot meet it. */
static int high_fd(int fd)
{
	int moved;

	if (fd > 2)
		return fd;
	moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return moved;
}

static void kill_child(pid_t pid)
{
	/* Its own process group: a wrapper script's children die with it and
	 * cannot keep the pipe open. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int open_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	fds[0] = high_fd(fds[0]);
	fds[1] = high_fd(fds[1]);
	if (fds[0] >= 0 && fds[1] >= 0)
		return 0;
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return -1;
}

/* posix_spawn with stdout on `fd`, and our environment without its
 * secrets (base/util.h); errno-style result. */
static int spawn(pid_t *pid, char *const argv[], int fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, reset;
	size_t n = 0, k = 0;
	char **env;
	int rc;

	/* A program that cannot be run is said before spawning: posix_spawn
	 * reports a failed exec only where the child shares our memory until
	 * it execs (glibc's clone(CLONE_VFORK)); elsewhere (under valgrind,
	 * which runs it as a fork) the child would just exit 127. */
	if (strchr(argv[0], '/') && access(argv[0], X_OK) != 0)
		return errno;
	while (environ && environ[n])
		n++;
	if (!(env = malloc((n + 1) * sizeof(*env))))
		return ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!cbench__secret_env(environ[i]))
			env[k++] = environ[i];
	env[k] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Signals the caller blocks or ignores would be inherited through exec;
	 * the program starts with the defaults instead. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&reset);
	sigaddset(&reset, SIGPIPE);
	sigaddset(&reset, SIGINT);
	sigaddset(&reset, SIGTERM);
	sigaddset(&reset, SIGQUIT);
	sigaddset(&reset, SIGHUP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &reset);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	                                POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(pid, argv[0], &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free(env);
	return rc;
}

/* Reads `fd` to its end or the deadline; keeps the first `max` bytes.
 * 0 at end of output, 1 at the deadline, -1 on a read error. */
static int drain(int fd, char *buf, size_t max, size_t *len, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		char chunk[4096];
		ssize_t got;
		int rc;

		if (left <= 0 || (rc = poll(&p, 1, (int)left)) == 0)
			return 1;
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		if (*len < max) {
			size_t take = (size_t)got < max - *len ? (size_t)got : max - *len;

			memcpy(buf + *len, chunk, take);
			*len += take;
		}
	}
}

/* Output closed: the rest of its time to exit. 0 reaped (*wstatus), 1 the
 * deadline passed, -1 reaped elsewhere (status unknown). */
static int reap(pid_t pid, int *wstatus, int64_t deadline)
{
	for (;;) {
		pid_t w = waitpid(pid, wstatus, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			return 1;
		nanosleep(&(struct timespec){ .tv_nsec = 5 * 1000 * 1000 }, NULL);
	}
}

int cbench_proc__capture(char **out, size_t *len, char *const argv[], int timeout_ms,
                         size_t max_output, bool *timed_out, struct cbench_error *err)
{
	int fds[2], rc, wstatus = 0, state, read_errno;
	int64_t deadline;
	size_t n = 0;
	char *buf;
	pid_t pid;

	*out = NULL;
	if (len)
		*len = 0;
	if (timed_out)
		*timed_out = false;
	if (!(buf = malloc(max_output + 1)))
		return cbench_error__set(err, CBENCH_ENOMEM, "out of memory");
	if (open_pipe(fds) != 0) {
		free(buf);
		return cbench_error__errno(err, argv[0]);
	}
	rc = spawn(&pid, argv, fds[1]);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		free(buf);
		return cbench_error__set(err, CBENCH_EIO, "%s: %s", argv[0], strerror(rc));
	}
	deadline = now_ms() + timeout_ms;
	state = drain(fds[0], buf, max_output, &n, deadline);
	read_errno = errno;
	close(fds[0]);
	if (state == 0)
		state = reap(pid, &wstatus, deadline);
	else
		state = state > 0 ? 1 : 2;
	switch (state) {
	case 0:
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
			buf[n] = '\0';
			*out = buf;
			if (len)
				*len = n;
			return 0;
		}
		rc = WIFEXITED(wstatus) ?
		     cbench_error__set(err, CBENCH_ERROR, "%s: exited with status %d", argv[0],
		                       WEXITSTATUS(wstatus)) :
		     cbench_error__set(err, CBENCH_ERROR, "%s: killed by signal %d", argv[0],
		                       WTERMSIG(wstatus));
		break;
	case -1:
		rc = cbench_error__set(err, CBENCH_ERROR, "%s: reaped elsewhere, exit status "
		                       "unknown", argv[0]);
		break;
	case 1:
		kill_child(pid);
		if (timed_out)
			*timed_out = true;
		rc = cbench_error__set(err, CBENCH_ERROR, "%s: no answer within %d ms, killed",
		                       argv[0], timeout_ms);
		break;
	default:
		kill_child(pid);
		rc = cbench_error__set(err, CBENCH_EIO, "%s: reading its output: %s", argv[0],
		                       strerror(read_errno));
		break;
	}
	free(buf);
	return rc;
}
