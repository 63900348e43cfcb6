#ifndef CBENCH_FRAMEWORK_FILEIO_H
#define CBENCH_FRAMEWORK_FILEIO_H

#include <stddef.h>

#include "cbench/error.h"

/*
 * Replaces `path` with data[0..len) so that readers see the old file or the
 * new one, never a mix: a temporary file in the same folder, fsync, rename,
 * then fsync of the folder. The file gets the mode the umask allows (or
 * the replaced file's), never writable by others. "-" writes to standard
 * output. On failure the old file is untouched and the message names
 * `path`; a writer that dies leaves at most its temporary file (.NAME.*),
 * which later writes ignore.
 */
int cbench_file__write_atomic(const char *path, const char *data, size_t len,
                              struct cbench_error *err);

/* Whether the file at `path` (links followed) may be written: nothing or
 * a folder there, or a file with write permission. A file without any
 * write permission stays read-only for root too. */
int cbench_file__check_not_readonly(const char *path, struct cbench_error *err);

/* Whether what is at `path` may be replaced by cbench_file__write_atomic:
 * nothing yet, or a regular file that is not read-only. A symbolic link is
 * refused (the rename would replace the link, not the file it points to,
 * and the two would part silently); so are folders and devices. */
int cbench_file__check_replaceable(const char *path, struct cbench_error *err);

/* Whether `path` could be written: "-", or a replaceable file
 * (cbench_file__check_replaceable) in a folder that exists and is
 * writable. Checked before a run, so a typo fails in a second, not after
 * an hour of measuring. */
int cbench_file__check_writable(const char *path, struct cbench_error *err);

/* Creates the folder `path` is in (that folder only, mode 0755) when it does
 * not exist, as `git init` creates .git/. Writes the folder's name to
 * created[0..size) when it made it, "" when it was there. */
int cbench_file__make_parent(const char *path, char *created, size_t size,
                             struct cbench_error *err);

#endif
