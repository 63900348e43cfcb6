#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

const char *fuzz_file(const uint8_t *data, size_t size, int *fd, char path[64])
{
	size_t done = 0;

	*fd = memfd_create("cbench-fuzz", MFD_CLOEXEC);
	if (*fd < 0)
		abort();
	while (done < size) {
		ssize_t w = write(*fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", *fd);
	return path;
}
