/* Host detection from a redirected /proc and /sys (tests/data/platform/). */
#include <criterion/criterion.h>
#include <string.h>

#include "platform.h"

Test(platform, reads_cpu_memory_and_governor_under_a_root)
{
	struct cbench_platform h;

	cbench_platform__detect(&h, "tests/data/platform/fake", NULL, NULL, 0);
	cr_assert_str_eq(h.cpu_model, "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz");
	cr_assert_eq(h.ram_bytes, 16303724ull * 1024);
	cr_assert_str_eq(h.governor, "powersave");
	cr_assert_str_eq(h.os, "Linux");
	cr_assert_gt(strlen(h.hostname), 0);
	cr_assert_geq(h.cpus, 1);
}

Test(platform, missing_files_leave_fields_empty)
{
	struct cbench_platform h;

	cbench_platform__detect(&h, "tests/data/platform/does-not-exist", NULL, NULL, 0);
	cr_assert_str_eq(h.cpu_model, "");
	cr_assert_eq(h.ram_bytes, 0);
	cr_assert_str_eq(h.governor, "");
}
