/* The event file GitHub Actions writes at GITHUB_EVENT_PATH. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/github.h"
#include "fuzz.h"

CBENCH_FUZZ_TARGET(event)
{
	struct cbench_github_event ev;
	struct cbench_error err;
	char path[64];
	int fd;

	fuzz_file(data, size, &fd, path);
	if (cbench_github__event_load(&ev, path, &err) == 0) {
		if (ev.pr < 0 || !memchr(ev.head_sha, '\0', sizeof(ev.head_sha)))
			abort();
		if (strspn(ev.head_sha, "0123456789abcdef") != strlen(ev.head_sha))
			abort();   /* only a hex commit id may be used as one */
	} else if (!memchr(err.text, '\0', sizeof(err.text))) {
		abort();
	}
	close(fd);
	return 0;
}
