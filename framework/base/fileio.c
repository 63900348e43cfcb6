#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"

static int write_fd(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static void folder_of(char *out, size_t size, const char *path)
{
	char copy[4096];

	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(out, size, "%s", dirname(copy));
}

int cbench_file__check_not_readonly(const char *path, struct cbench_error *err)
{
	struct stat st;

	if (stat(path, &st) != 0 || S_ISDIR(st.st_mode))
		return 0;
	if (!(st.st_mode & 0222) || access(path, W_OK) != 0)
		return cbench_error__set(err, CBENCH_EUSAGE, "cannot write %s: the file is read-only",
		                         path);
	return 0;
}

int cbench_file__check_replaceable(const char *path, struct cbench_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISLNK(st.st_mode))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "cannot write %s: it is a symbolic link (files are "
		                         "replaced whole; name the file it points to)", path);
	if (S_ISDIR(st.st_mode))
		return cbench_error__set(err, CBENCH_EUSAGE, "%s is a directory", path);
	if (!S_ISREG(st.st_mode))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "cannot write %s: not a regular file", path);
	return cbench_file__check_not_readonly(path, err);
}

int cbench_file__write_atomic(const char *path, const char *data, size_t len,
                              struct cbench_error *err)
{
	char dir[4096], tmp[4200];
	int fd, dfd, saved;
	struct stat st;
	mode_t mode = 0666;

	if (strcmp(path, "-") == 0) {
		if (write_fd(STDOUT_FILENO, data, len) != 0)
			return cbench_error__errno(err, "standard output");
		return 0;
	}
	if ((fd = cbench_file__check_replaceable(path, err)) != 0)
		return fd;
	folder_of(dir, sizeof(dir), path);
	snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return cbench_error__set(err, CBENCH_EIO, "cannot write %s: %s", path,
		                         strerror(errno));
	/* mkstemp makes 0600; give the file what the umask allows (0644 under
	 * 022), or keep the mode of the file being replaced; never writable by
	 * others, whatever the umask or the old file said. */
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);

		umask(mask);
		mode &= ~mask;
	}
	mode &= ~(mode_t)S_IWOTH;
	if (fchmod(fd, mode) != 0 || write_fd(fd, data, len) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		return cbench_error__set(err, CBENCH_EIO, "cannot write %s: %s", path,
		                         strerror(saved));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		unlink(tmp);
		return cbench_error__set(err, CBENCH_EIO, "cannot write %s: %s", path,
		                         strerror(saved));
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int cbench_file__check_writable(const char *path, struct cbench_error *err)
{
	char dir[4096];
	struct stat st;

	if (strcmp(path, "-") == 0)
		return 0;
	if (!*path)
		return cbench_error__set(err, CBENCH_EUSAGE, "empty output file name");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return cbench_error__set(err, CBENCH_EUSAGE, "%s is a directory", path);
	if (cbench_file__check_replaceable(path, err) != 0)
		return CBENCH_EUSAGE;
	folder_of(dir, sizeof(dir), path);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "cannot write %s: folder %s does not exist", path, dir);
	if (access(dir, W_OK) != 0)
		return cbench_error__set(err, CBENCH_EUSAGE,
		                         "cannot write %s: folder %s is not writable", path, dir);
	return 0;
}

int cbench_file__make_parent(const char *path, char *created, size_t size,
                             struct cbench_error *err)
{
	char dir[4096];
	struct stat st;

	if (size)
		created[0] = '\0';
	folder_of(dir, sizeof(dir), path);
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return cbench_error__set(err, CBENCH_EUSAGE,
			                         "cannot create %s: %s is not a folder", path, dir);
		return 0;
	}
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return cbench_error__set(err, CBENCH_EIO, "cannot create folder %s for %s: %s", dir,
		                         path, strerror(errno));
	if (size)
		snprintf(created, size, "%s", dir);
	return 0;
}
