/* Atomic replacement of output files. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>
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
