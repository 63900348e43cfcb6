#include "chromium.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

void support_need_chromium(void)
{
	if (access(SUPPORT_CHROMIUM, X_OK) != 0)
		cr_skip_test("chromium not installed: apt-get install chromium");
}

void support_chromium(const char *page, const char *what, const char *out)
{
	char *profile = support_tmpdir(), *udd, *url, *log = support_path(profile, "stderr.txt");
	/* The flags this workplace's probe found necessary: without the
	 * background-networking ones Chromium keeps dialling out. */
	char *argv[] = {
		SUPPORT_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", NULL, "--virtual-time-budget=15000", "--window-size=1400,2400",
		(char *)what, NULL, NULL
	};
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int status = 0;
	double waited = 0;
	pid_t pid;

	cr_assert(asprintf(&udd, "--user-data-dir=%s/profile", profile) > 0);
	cr_assert(asprintf(&url, "file://%s", page) > 0);
	argv[9] = udd;
	argv[13] = url;
	pid = support_spawn(argv, out, log, NULL);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (waited > 45) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			cr_assert_fail("chromium did not finish in 45 s (%s)", page);
		}
		nanosleep(&pause, NULL);
		waited += 0.05;
	}
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	          "chromium failed on %s (status %d)", page, status);
	free(udd);
	free(url);
	free(log);
	support_rmdir(profile);
}

char *support_chromium_selfcheck(const char *page, char **dom)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "dom.html"), *text, *pre, *end;
	char *line;

	support_chromium(page, "--dump-dom", out);
	text = support_slurp(out);
	cr_assert_not_null(text);
	pre = strstr(text, "id=\"cbench-selfcheck\"");
	cr_assert_not_null(pre, "no self-check element in the dumped page");
	pre = strchr(pre, '>');
	cr_assert_not_null(pre);
	end = strstr(++pre, "</pre>");
	cr_assert_not_null(end);
	line = strndup(pre, (size_t)(end - pre));
	if (dom)
		*dom = text;
	else
		free(text);
	free(out);
	support_rmdir(dir);
	return line;
}
