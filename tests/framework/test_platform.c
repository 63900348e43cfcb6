/*
 * Platform detection: fake /proc, /sys and /etc trees under
 * tests/data/platform/<case>/, fake nvidia-smi programs on PATH, and the id
 * rules of docs/platforms.md. Criterion runs each test in its own process,
 * so setenv() here touches one test only.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "env/platform.h"
#include "model/context.h"
#include "support.h"

#define GIB(x) ((uint64_t)((x) * 1024.0 * 1024.0 * 1024.0))
#define MIB(x) ((uint64_t)(x) * 1024 * 1024)

/* Whatever CI or GPU runs the tests must not leak into them. */
static void isolate(void)
{
	unsetenv("PERFORMANCE_PLATFORM");
	unsetenv("GITHUB_ACTIONS");
	unsetenv("RUNNER_OS");
	unsetenv("RUNNER_ARCH");
	unsetenv("RUNPOD_POD_ID");
	unsetenv("CI");
	setenv("PATH", "/nonexistent/cbench-test-no-nvidia-smi", 1);
}

TestSuite(platform, .init = isolate);

/* Reading a fake root */

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
	cr_assert_str_eq(h.cpu_vendor, "");
	cr_assert_str_eq(h.os_release, "");
	cr_assert_eq(h.physical_cores, 0);
	cr_assert_eq(h.ngpus, 0);
	cr_assert_str_eq(h.id_source, "detected");
	cr_assert_str_eq(h.id, h.arch, "no CPU, no RAM: the id is the arch, got %s", h.id);
}

Test(platform, intel_laptop)
{
	struct cbench_platform p;
	char warning[256] = "stale";

	cbench_platform__detect(&p, "tests/data/platform/intel-laptop", NULL, warning, sizeof(warning));
	cr_assert_str_eq(warning, "");
	cr_assert_str_eq(p.cpu_vendor, "GenuineIntel");
	cr_assert_str_eq(p.cpu_model, "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz");
	cr_assert_eq(p.physical_cores, 6, "12 threads on 6 cores, got %u", p.physical_cores);
	cr_assert_eq(p.ram_bytes, 32657840ull * 1024);
	cr_assert_str_eq(p.governor, "powersave");
	cr_assert_str_eq(p.os_release, "Ubuntu 22.04.4 LTS");
	cr_assert_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
	cr_assert_str_eq(p.id_source, "detected");
	cr_assert_str_eq(p.ci, "");
	cr_assert_str_eq(p.compiler, "");
	cr_assert_str_eq(p.cflags, "");
}

Test(platform, amd_epyc_server)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, "tests/data/platform/amd-epyc", NULL, NULL, 0);
	cr_assert_str_eq(p.cpu_vendor, "AuthenticAMD");
	cr_assert_str_eq(p.cpu_model, "AMD EPYC 7763 64-Core Processor");
	/* core ids repeat on the second socket: pairs count 4, ids alone 2 */
	cr_assert_eq(p.physical_cores, 4, "got %u", p.physical_cores);
	cr_assert_str_eq(p.governor, "performance");
	/* /usr/lib/os-release when /etc has none; escapes undone */
	cr_assert_str_eq(p.os_release, "Rocky Linux 9.3 \"Blue Onyx\"");
	cr_assert_str_eq(p.id, "AMD_EPYC_7763_256GB");
}

Test(platform, apple_silicon_under_asahi_linux)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, "tests/data/platform/apple-asahi", NULL, NULL, 0);
	cr_assert_str_eq(p.cpu_vendor, "Apple");
	cr_assert_str_eq(p.cpu_model, "Apple MacBook Pro (14-inch, M1 Pro, 2021)");
	cr_assert_eq(p.physical_cores, 8);
	cr_assert_str_eq(p.os_release, "Fedora Linux Asahi Remix 39");
	cr_assert_str_eq(p.governor, "");
	cr_assert_str_eq(p.id, "M1_Pro_Mac_16GB");
}

Test(platform, raspberry_pi_model_and_old_sysfs)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, "tests/data/platform/raspberry-pi", NULL, NULL, 0);
	cr_assert_str_eq(p.cpu_vendor, "ARM");
	cr_assert_str_eq(p.cpu_model, "Raspberry Pi 4 Model B Rev 1.4", "\"Model\" before \"Hardware\"");
	cr_assert_eq(p.physical_cores, 4, "thread_siblings_list, got %u", p.physical_cores);
	cr_assert_str_eq(p.id, "ARM_Raspberry_Pi_4_Model_B_Rev_1.4_4GB");
}

Test(platform, arm_server_named_by_its_core)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, "tests/data/platform/graviton", NULL, NULL, 0);
	cr_assert_str_eq(p.cpu_vendor, "ARM");
	cr_assert_str_eq(p.cpu_model, "Neoverse-N1");
	/* cpu4 is offline (no topology); cpufreq and cpuidle are no CPUs */
	cr_assert_eq(p.physical_cores, 4, "got %u", p.physical_cores);
	cr_assert_str_eq(p.id, "ARM_Neoverse-N1_16GB");
}

Test(platform, smt_cores_from_sysfs)
{
	struct cbench_platform p;

	/* thread_siblings_list disagrees on purpose: core_cpus_list is read first */
	cbench_platform__detect(&p, "tests/data/platform/sysfs-smt", NULL, NULL, 0);
	cr_assert_eq(p.physical_cores, 4, "8 CPUs in pairs, got %u", p.physical_cores);
	cr_assert_str_eq(p.id, "Intel_Xeon_Gold_6248_64GB");
}

Test(platform, cores_unknown_without_topology)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, "tests/data/platform/no-topology", NULL, NULL, 0);
	cr_assert_eq(p.physical_cores, 0);
	cr_assert_str_eq(p.id, "Intel_QEMU_Virtual_version_2.5_8GB");
}

/* RAM as people name it */

Test(platform, ram_gb_table)
{
	static const struct {
		double gib;
		unsigned gb;
	} cases[] = {
		{ 0, 0 }, { 0.3, 1 }, { 0.95, 1 }, { 1.9, 2 }, { 3.7, 4 }, { 5.8, 6 },
		{ 7.7, 8 }, { 11.6, 12 }, { 15.6, 16 }, { 16.0, 16 }, { 16.02, 16 },
		{ 16.5, 18 }, { 17.5, 18 }, { 23.4, 24 }, { 31.3, 32 }, { 35.2, 36 },
		{ 40.0, 48 }, { 62.8, 64 }, { 94.0, 96 }, { 125.5, 128 }, { 188.0, 192 },
		{ 251.7, 256 }, { 377.0, 384 }, { 503.0, 512 }, { 755.0, 768 },
		{ 1007.0, 1024 }, { 1510.0, 1536 }, { 2015.0, 2048 }, { 2100.0, 2304 },
		{ 3000.0, 3072 },
	};

	cr_assert_eq(cbench_context__ram_gb(0), 0);
	cr_assert_eq(cbench_context__ram_gb(1), 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(cbench_context__ram_gb(GIB(cases[i].gib)), cases[i].gb,
		             "%.2f GiB: expected %u, got %u", cases[i].gib, cases[i].gb,
		             cbench_context__ram_gb(GIB(cases[i].gib)));
}

/* derive_id, one rule at a time, on platforms filled by hand */

static struct cbench_platform machine(const char *vendor, const char *model, double ram_gib)
{
	struct cbench_platform p;

	memset(&p, 0, sizeof(p));
	snprintf(p.os, sizeof(p.os), "Linux");
	snprintf(p.arch, sizeof(p.arch), "x86_64");
	snprintf(p.cpu_vendor, sizeof(p.cpu_vendor), "%s", vendor);
	snprintf(p.cpu_model, sizeof(p.cpu_model), "%s", model);
	p.ram_bytes = GIB(ram_gib);
	return p;
}

static void add_gpu(struct cbench_platform *p, const char *name, uint64_t mib)
{
	struct cbench_gpu *g = &p->gpus[p->ngpus++];

	snprintf(g->name, sizeof(g->name), "%s", name);
	g->memory_bytes = MIB(mib);
	snprintf(g->driver, sizeof(g->driver), "535.104.05");
}

static void expect_id(const struct cbench_platform *p, const char *expected)
{
	char id[128];

	cbench_platform__derive_id(id, sizeof(id), p);
	cr_expect_str_eq(id, expected, "%s / %s: expected %s, got %s", p->cpu_model,
	                 p->ngpus ? p->gpus[0].name : "no GPU", expected, id);
}

Test(platform, derive_cpu_and_ram)
{
	static const struct {
		const char *vendor, *model;
		double gib;
		const char *id;
	} cases[] = {
		{ "GenuineIntel", "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz", 31.1, "Intel_Core_i7-9750H_32GB" },
		{ "AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 251.7, "AMD_EPYC_7763_256GB" },
		{ "AuthenticAMD", "AMD EPYC", 23.5, "AMD_EPYC_24GB" },
		{ "GenuineIntel", "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz", 15.5, "Intel_Xeon_Platinum_8375C_16GB" },
		{ "GenuineIntel", "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", 60.0, "Intel_Xeon_E5-2686_v4_64GB" },
		{ "GenuineIntel", "13th Gen Intel(R) Core(TM) i9-13900K", 62.8, "Intel_Core_i9-13900K_64GB" },
		{ "GenuineIntel", "Intel(R) Core(TM) Ultra 7 155H", 31.0, "Intel_Core_Ultra_7_155H_32GB" },
		{ "AuthenticAMD", "AMD Ryzen 5 PRO 4650U with Radeon Graphics", 15.0, "AMD_Ryzen_5_PRO_4650U_16GB" },
		{ "AuthenticAMD", "AMD Ryzen 7 7840U w/ Radeon 780M Graphics", 30.0, "AMD_Ryzen_7_7840U_32GB" },
		{ "AuthenticAMD", "AMD Ryzen 7 1700 Eight-Core Processor", 15.6, "AMD_Ryzen_7_1700_16GB" },
		{ "AuthenticAMD", "AMD Ryzen Threadripper PRO 5995WX 64-Cores", 503.0, "AMD_Ryzen_Threadripper_PRO_5995WX_512GB" },
		{ "GenuineIntel", "Common KVM processor", 7.7, "Intel_Common_KVM_8GB" },
		{ "ARM", "Neoverse-N1", 15.3, "ARM_Neoverse-N1_16GB" },
		{ "Ampere", "", 62.0, "Ampere_x86_64_64GB" },
		{ "0x99", "Mystery Board", 3.8, "Mystery_Board_4GB" },
		{ "", "", 7.7, "x86_64_8GB" },
		{ "GenuineIntel", "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", 0, "Intel_Core_i5-8250U" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cbench_platform p = machine(cases[i].vendor, cases[i].model, cases[i].gib);

		expect_id(&p, cases[i].id);
	}
}

Test(platform, derive_apple_silicon)
{
	static const struct {
		const char *vendor, *model;
		double gib;
		const char *id;
	} cases[] = {
		{ "Apple", "Apple M1", 16.0, "M1_Mac_16GB" },
		{ "Apple", "Apple M1 Pro", 16.0, "M1_Pro_Mac_16GB" },
		{ "Apple", "Apple M2", 8.0, "M2_Mac_8GB" },
		{ "Apple", "Apple M3 Max", 36.0, "M3_Max_Mac_36GB" },
		{ "", "Apple M2 Ultra", 192.0, "M2_Ultra_Mac_192GB" },
		{ "Apple", "Apple MacBook Air (M2, 2022)", 24.0, "M2_Mac_24GB" },
		{ "Apple", "Apple MacBook Pro (16-inch, M1 Max, 2021)", 62.5, "M1_Max_Mac_64GB" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cbench_platform p = machine(cases[i].vendor, cases[i].model, cases[i].gib);

		snprintf(p.arch, sizeof(p.arch), "arm64");
		expect_id(&p, cases[i].id);
	}
}

Test(platform, derive_gpu_machines)
{
	static const struct {
		const char *name;
		uint64_t mib;
		const char *id;
	} cases[] = {
		{ "NVIDIA GeForce RTX 4090", 24564, "RTX_4090_24GB" },
		{ "NVIDIA A100-SXM4-80GB", 81920, "A100_80GB" },
		{ "NVIDIA A100-PCIE-40GB", 40960, "A100_40GB" },
		{ "Tesla V100-PCIE-16GB", 16160, "V100_16GB" },
		{ "NVIDIA H100 80GB HBM3", 81559, "H100_80GB" },
		{ "NVIDIA H100 NVL", 95830, "H100_NVL_94GB" },
		{ "Tesla T4", 15360, "T4_16GB" },
		{ "NVIDIA L4", 23034, "L4_24GB" },
		{ "NVIDIA A10G", 23028, "A10G_24GB" },
		{ "NVIDIA GeForce RTX 3080", 10240, "RTX_3080_10GB" },
		{ "NVIDIA GeForce GTX 1080 Ti", 11264, "GTX_1080_Ti_11GB" },
		{ "NVIDIA RTX 6000 Ada Generation", 49140, "RTX_6000_Ada_48GB" },
		{ "NVIDIA RTX A6000", 49140, "RTX_A6000_48GB" },
		{ "NVIDIA GeForce RTX 2080 with Max-Q Design", 8192, "RTX_2080_8GB" },
		{ "NVIDIA GeForce RTX 4090 Laptop GPU", 16376, "RTX_4090_Laptop_16GB" },
		{ "NVIDIA GH200 480GB", 0, "GH200" }, /* memory "[N/A]" */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cbench_platform p = machine("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 503);

		add_gpu(&p, cases[i].name, cases[i].mib);
		expect_id(&p, cases[i].id);
	}
}

Test(platform, derive_several_gpus)
{
	struct cbench_platform p = machine("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 503);

	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	expect_id(&p, "2x_A100_80GB");
	for (int i = 0; i < 6; i++)
		add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	expect_id(&p, "8x_A100_80GB");

	/* mixed: the first GPU names the machine, its twins are counted */
	p = machine("AuthenticAMD", "AMD Ryzen 9 7950X 16-Core Processor", 62.5);
	add_gpu(&p, "NVIDIA GeForce RTX 4090", 24564);
	add_gpu(&p, "NVIDIA GeForce RTX 3090", 24576);
	expect_id(&p, "RTX_4090_24GB");
}

Test(platform, derive_runpod)
{
	struct cbench_platform p = machine("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 251.7);

	snprintf(p.ci, sizeof(p.ci), "runpod");
	/* a CPU pod has no GPU to name: the CPU rule */
	expect_id(&p, "AMD_EPYC_7763_256GB");
	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	expect_id(&p, "RunPod_A100");
	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	expect_id(&p, "RunPod_2x_A100");
}

Test(platform, derive_github_actions)
{
	static const struct {
		const char *os, *runner_os, *runner_arch, *id;
	} cases[] = {
		{ "Linux", "Linux", "X64", "GitHub_Actions_Linux" },
		{ "Darwin", "macOS", "X64", "GitHub_Actions_macOS" },
		{ "Darwin", "macOS", "ARM64", "GitHub_Actions_macOS_ARM64" },
		{ "Linux", "Linux", "ARM64", "GitHub_Actions_Linux_ARM64" },
		{ "Windows", "Windows", "X64", "GitHub_Actions_Windows" },
		{ "Darwin", "", "", "GitHub_Actions_macOS" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* the CI rule comes before the Apple one */
		struct cbench_platform p = machine("Apple", "Apple M1", 7.0);

		snprintf(p.os, sizeof(p.os), "%s", cases[i].os);
		snprintf(p.ci, sizeof(p.ci), "github_actions");
		snprintf(p.runner_os, sizeof(p.runner_os), "%s", cases[i].runner_os);
		snprintf(p.runner_arch, sizeof(p.runner_arch), "%s", cases[i].runner_arch);
		expect_id(&p, cases[i].id);
	}
}

Test(platform, derive_gpu_runner_in_github_actions_is_a_gpu_machine)
{
	struct cbench_platform p = machine("AuthenticAMD", "AMD EPYC 7V12 64-Core Processor", 27.5);

	snprintf(p.ci, sizeof(p.ci), "github_actions");
	snprintf(p.runner_os, sizeof(p.runner_os), "Linux");
	snprintf(p.runner_arch, sizeof(p.runner_arch), "X64");
	add_gpu(&p, "Tesla T4", 15360);
	expect_id(&p, "T4_16GB");
}

Test(platform, derive_other_ci)
{
	struct cbench_platform p = machine("GenuineIntel", "Intel(R) Xeon(R) CPU @ 2.20GHz", 7.7);

	snprintf(p.ci, sizeof(p.ci), "ci");
	expect_id(&p, "CI_Linux_x86_64");
	snprintf(p.os, sizeof(p.os), "Darwin");
	snprintf(p.arch, sizeof(p.arch), "arm64");
	expect_id(&p, "CI_macOS_arm64");
}

Test(platform, derived_id_fits_small_buffers)
{
	struct cbench_platform p = machine("GenuineIntel", "Intel(R) Core(TM) i7-9750H CPU @ 2.60GHz", 31.1);
	char id[8];

	cbench_platform__derive_id(id, sizeof(id), &p);
	cr_assert_str_eq(id, "Intel_C");
}

/* nvidia-smi output */

Test(platform, parse_one_gpu)
{
	struct cbench_gpu g[4];
	size_t n = 99;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n,
	             "NVIDIA GeForce RTX 4090, 24564, 535.104.05\n"), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(g[0].name, "NVIDIA GeForce RTX 4090");
	cr_assert_eq(g[0].memory_bytes, MIB(24564));
	cr_assert_str_eq(g[0].driver, "535.104.05");
}

Test(platform, parse_two_gpus_crlf_and_blank_lines)
{
	struct cbench_gpu g[4];
	size_t n = 0;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n,
	             "NVIDIA A100-SXM4-80GB, 81920, 550.54.15\r\n"
	             "\r\n"
	             "  NVIDIA H100 80GB HBM3 ,81559,550.54.15  \n\n"), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(g[0].name, "NVIDIA A100-SXM4-80GB");
	cr_assert_eq(g[0].memory_bytes, MIB(81920));
	cr_assert_str_eq(g[0].driver, "550.54.15");
	cr_assert_str_eq(g[1].name, "NVIDIA H100 80GB HBM3");
	cr_assert_eq(g[1].memory_bytes, MIB(81559));
	cr_assert_str_eq(g[1].driver, "550.54.15");
}

Test(platform, parse_memory_not_available)
{
	struct cbench_gpu g[1];
	size_t n = 0;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 1, &n, "NVIDIA GH200 480GB, [N/A], 560.28.03\n"), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(g[0].memory_bytes, 0);
}

Test(platform, parse_keeps_at_most_max)
{
	struct cbench_gpu g[1];
	size_t n = 0;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 1, &n, "A, 1, d\nB, 2, d\n"), 0);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(g[0].name, "A");
}

Test(platform, parse_garbage)
{
	struct cbench_gpu g[4];
	size_t n = 5;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, "garbage\n"), CBENCH_EPARSE);
	cr_assert_eq(n, 0);
	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, "Tesla T4, lots, 1\n"), CBENCH_EPARSE);
	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, ", 15360, 535\n"), CBENCH_EPARSE);
	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, "Tesla T4, 15360\n"), CBENCH_EPARSE);
	/* a good line then a bad one: nothing is kept */
	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, "Tesla T4, 15360, 535\nbad\n"),
	             CBENCH_EPARSE);
	cr_assert_eq(n, 0);
}

Test(platform, parse_empty)
{
	struct cbench_gpu g[4];
	size_t n = 5;

	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, ""), 0);
	cr_assert_eq(n, 0);
	cr_assert_eq(cbench_platform__parse_nvidia_smi(g, 4, &n, "\n \n"), 0);
	cr_assert_eq(n, 0);
}

/* Real fake nvidia-smi programs on PATH */

/* A folder holding an executable `nvidia-smi` running `body` under
 * /bin/sh, put first on PATH. It answers only the query cbench makes. */
static char *fake_nvidia_smi(const char *body)
{
	char *dir = support_tmpdir();
	char *path = support_path(dir, "nvidia-smi");
	char *newpath;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\n"
	           "[ \"$1\" = --query-gpu=name,memory.total,driver_version ] || exit 3\n"
	           "[ \"$2\" = --format=csv,noheader,nounits ] || exit 3\n"
	           "[ $# -eq 2 ] || exit 3\n"
	           "echo 'this goes to stderr, not into the answer' >&2\n"
	           "%s\n", body);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(path, 0755), 0);
	cr_assert_geq(asprintf(&newpath, "%s:/usr/bin:/bin", dir), 0);
	setenv("PATH", newpath, 1);
	free(newpath);
	free(path);
	return dir;
}

static const char laptop[] = "tests/data/platform/intel-laptop";

Test(platform, no_nvidia_smi_on_path)
{
	char *dir = support_tmpdir();
	struct cbench_platform p;
	char warning[256] = "stale";

	setenv("PATH", dir, 1);
	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	cr_expect_eq(p.ngpus, 0);
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
	support_rmdir(dir);
}

Test(platform, fake_nvidia_smi_one_gpu)
{
	char *dir = fake_nvidia_smi("echo 'NVIDIA GeForce RTX 4090, 24564, 535.104.05'");
	struct cbench_platform p;
	char warning[256];

	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	cr_expect_eq(p.ngpus, 1);
	cr_expect_str_eq(p.gpus[0].name, "NVIDIA GeForce RTX 4090");
	cr_expect_eq(p.gpus[0].memory_bytes, MIB(24564));
	cr_expect_str_eq(p.gpus[0].driver, "535.104.05");
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(p.id, "RTX_4090_24GB");
	cr_expect_str_eq(p.id_source, "detected");
	support_rmdir(dir);
}

Test(platform, fake_nvidia_smi_two_gpus)
{
	char *dir = fake_nvidia_smi("printf 'NVIDIA A100-SXM4-80GB, 81920, 550.54.15\\n"
	                            "NVIDIA A100-SXM4-80GB, 81920, 550.54.15\\n'");
	struct cbench_platform p;
	char warning[256];

	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	cr_expect_eq(p.ngpus, 2);
	cr_expect_str_eq(p.gpus[0].name, "NVIDIA A100-SXM4-80GB");
	cr_expect_str_eq(p.gpus[1].name, "NVIDIA A100-SXM4-80GB");
	cr_expect_eq(p.gpus[1].memory_bytes, MIB(81920));
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(p.id, "2x_A100_80GB");
	support_rmdir(dir);
}

Test(platform, fake_nvidia_smi_failing_means_no_gpu)
{
	/* what it prints on a machine whose driver is not loaded */
	char *dir = fake_nvidia_smi("echo \"NVIDIA-SMI has failed because it couldn't communicate "
	                            "with the NVIDIA driver.\"\n"
	                            "echo 'NVIDIA GeForce RTX 4090, 24564, 535.104.05'\n"
	                            "exit 9");
	struct cbench_platform p;
	char warning[256] = "stale";

	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	cr_expect_eq(p.ngpus, 0);
	cr_expect_str_eq(warning, "");
	cr_expect_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
	support_rmdir(dir);
}

Test(platform, fake_nvidia_smi_garbage_warns)
{
	char *dir = fake_nvidia_smi("echo garbage");
	struct cbench_platform p;
	char warning[256];

	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	cr_expect_eq(p.ngpus, 0);
	cr_expect_str_eq(warning, "nvidia-smi: cannot read output line 1: 'garbage'");
	cr_expect_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
	support_rmdir(dir);
}

Test(platform, fake_nvidia_smi_garbage_without_warning_buffer)
{
	char *dir = fake_nvidia_smi("echo garbage");
	struct cbench_platform p;

	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_eq(p.ngpus, 0);
	support_rmdir(dir);
}

Test(platform, non_executable_nvidia_smi_is_passed_over)
{
	char *dir = fake_nvidia_smi("echo 'Tesla T4, 15360, 535.104.05'");
	char *first = support_tmpdir();
	char *decoy = support_path(first, "nvidia-smi");
	char *newpath;
	struct cbench_platform p;
	FILE *f = fopen(decoy, "w");

	cr_assert_not_null(f);
	fputs("#!/bin/sh\necho 'NVIDIA GeForce RTX 4090, 24564, 1'\n", f);
	fclose(f);
	chmod(decoy, 0644);
	cr_assert_geq(asprintf(&newpath, "%s:%s", first, getenv("PATH")), 0);
	setenv("PATH", newpath, 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_eq(p.ngpus, 1);
	cr_expect_str_eq(p.gpus[0].name, "Tesla T4");
	free(newpath);
	free(decoy);
	support_rmdir(first);
	support_rmdir(dir);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Takes the whole timeout (5 s): the one test of the kill path. */
Test(platform, hung_nvidia_smi_is_killed, .timeout = 30)
{
	char *dir = fake_nvidia_smi("echo 'Tesla T4, 15360, 535.104.05'\nsleep 60\necho done");
	struct cbench_platform p;
	char warning[256];
	double t0 = seconds(), took;

	cbench_platform__detect(&p, laptop, NULL, warning, sizeof(warning));
	took = seconds() - t0;
	cr_expect_eq(p.ngpus, 0);
	cr_expect(strstr(warning, "nvidia-smi: no answer within 5 s") == warning, "warning: %s", warning);
	cr_expect(took > 4.5 && took < 10, "took %.1f s", took);
	support_rmdir(dir);
}

/* The id's sources */

Test(platform, performance_platform_overrides_detection)
{
	struct cbench_platform p;

	setenv("PERFORMANCE_PLATFORM", "M1_Mac_16GB", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_assert_str_eq(p.id, "M1_Mac_16GB");
	cr_assert_str_eq(p.id_source, "PERFORMANCE_PLATFORM");
}

Test(platform, override_wins_over_performance_platform)
{
	struct cbench_platform p;

	setenv("PERFORMANCE_PLATFORM", "M1_Mac_16GB", 1);
	cbench_platform__detect(&p, laptop, "RTX_4090_24GB", NULL, 0);
	cr_assert_str_eq(p.id, "RTX_4090_24GB");
	cr_assert_str_eq(p.id_source, "--platform");
}

Test(platform, empty_sources_are_ignored)
{
	struct cbench_platform p;

	setenv("PERFORMANCE_PLATFORM", "", 1);
	cbench_platform__detect(&p, laptop, "", NULL, 0);
	cr_assert_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
	cr_assert_str_eq(p.id_source, "detected");
}

Test(platform, ids_are_sanitized)
{
	struct cbench_platform p;

	cbench_platform__detect(&p, laptop, "my box/2 (fast)", NULL, 0);
	cr_expect_str_eq(p.id, "my_box_2__fast_");
	cbench_platform__detect(&p, laptop, "..", NULL, 0);
	cr_expect_str_eq(p.id, "_.");
	cbench_platform__detect(&p, laptop, "A100_80GB.v2-x", NULL, 0);
	cr_expect_str_eq(p.id, "A100_80GB.v2-x");
	setenv("PERFORMANCE_PLATFORM", "caf\xc3\xa9 $HOME", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.id, "caf____HOME");
	cr_expect_str_eq(p.id_source, "PERFORMANCE_PLATFORM");
}

Test(platform, github_actions_environment)
{
	struct cbench_platform p;

	setenv("GITHUB_ACTIONS", "true", 1);
	setenv("CI", "true", 1);
	setenv("RUNNER_OS", "macOS", 1);
	setenv("RUNNER_ARCH", "ARM64", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.ci, "github_actions");
	cr_expect_str_eq(p.runner_os, "macOS");
	cr_expect_str_eq(p.runner_arch, "ARM64");
	cr_expect_str_eq(p.id, "GitHub_Actions_macOS_ARM64");

	setenv("RUNNER_OS", "Linux", 1);
	setenv("RUNNER_ARCH", "X64", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.id, "GitHub_Actions_Linux");
}

Test(platform, runpod_environment)
{
	char *dir = fake_nvidia_smi("echo 'NVIDIA A100-SXM4-80GB, 81920, 550.54.15'");
	struct cbench_platform p;

	setenv("RUNPOD_POD_ID", "x1y2z3", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.ci, "runpod");
	cr_expect_str_eq(p.runner_os, "");
	cr_expect_str_eq(p.id, "RunPod_A100");
	support_rmdir(dir);
}

Test(platform, generic_ci_environment)
{
	struct cbench_platform p;
	char expected[160];
	struct utsname u;

	cr_assert_eq(uname(&u), 0);
	snprintf(expected, sizeof(expected), "CI_%s_%s", u.sysname, u.machine);
	setenv("CI", "1", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.ci, "ci");
	cr_expect_str_eq(p.id, expected);

	setenv("CI", "false", 1);
	cbench_platform__detect(&p, laptop, NULL, NULL, 0);
	cr_expect_str_eq(p.ci, "");
	cr_expect_str_eq(p.id, "Intel_Core_i7-9750H_32GB");
}

/* JSON */

static struct cbench_platform full_platform(void)
{
	struct cbench_platform p = machine("AuthenticAMD", "AMD EPYC 7763 64-Core Processor", 251.7);

	snprintf(p.id, sizeof(p.id), "2x_A100_80GB");
	snprintf(p.id_source, sizeof(p.id_source), "detected");
	snprintf(p.hostname, sizeof(p.hostname), "gpu-node-7");
	snprintf(p.os_release, sizeof(p.os_release), "Ubuntu 22.04.4 LTS");
	snprintf(p.kernel, sizeof(p.kernel), "6.1.0-18-amd64");
	p.cpus = 256;
	p.physical_cores = 128;
	snprintf(p.compiler, sizeof(p.compiler), "gcc 12.2.0");
	snprintf(p.cflags, sizeof(p.cflags), "-O2 -march=native");
	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	add_gpu(&p, "NVIDIA A100-SXM4-80GB", 81920);
	snprintf(p.ci, sizeof(p.ci), "github_actions");
	snprintf(p.runner_os, sizeof(p.runner_os), "Linux");
	snprintf(p.runner_arch, sizeof(p.runner_arch), "X64");
	return p;
}

static void expect_same(const struct cbench_platform *a, const struct cbench_platform *b)
{
	cr_expect_str_eq(a->id, b->id);
	cr_expect_str_eq(a->id_source, b->id_source);
	cr_expect_str_eq(a->hostname, b->hostname);
	cr_expect_str_eq(a->os, b->os);
	cr_expect_str_eq(a->os_release, b->os_release);
	cr_expect_str_eq(a->kernel, b->kernel);
	cr_expect_str_eq(a->arch, b->arch);
	cr_expect_str_eq(a->cpu_vendor, b->cpu_vendor);
	cr_expect_str_eq(a->cpu_model, b->cpu_model);
	cr_expect_eq(a->cpus, b->cpus);
	cr_expect_eq(a->physical_cores, b->physical_cores);
	cr_expect_eq(a->ram_bytes, b->ram_bytes);
	cr_expect_str_eq(a->governor, b->governor);
	cr_expect_str_eq(a->compiler, b->compiler);
	cr_expect_str_eq(a->cflags, b->cflags);
	cr_expect_eq(a->ngpus, b->ngpus);
	for (size_t i = 0; i < a->ngpus && i < b->ngpus; i++) {
		cr_expect_str_eq(a->gpus[i].name, b->gpus[i].name);
		cr_expect_eq(a->gpus[i].memory_bytes, b->gpus[i].memory_bytes);
		cr_expect_str_eq(a->gpus[i].driver, b->gpus[i].driver);
	}
	cr_expect_str_eq(a->ci, b->ci);
	cr_expect_str_eq(a->runner_os, b->runner_os);
	cr_expect_str_eq(a->runner_arch, b->runner_arch);
}

Test(platform, json_round_trip)
{
	struct cbench_platform p = full_platform(), back;
	struct cbench_error err = { 0 };
	json_error_t jerr;
	json_t *obj = cbench_context__platform_to_json(&p), *again;
	char *text;

	cr_assert_not_null(obj);
	cr_expect(json_is_null(json_object_get(obj, "governor")), "empty governor is null");
	cr_expect_eq(json_integer_value(json_object_get(obj, "ram_gb")), 256);
	cr_expect_eq(json_array_size(json_object_get(obj, "gpus")), 2);
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(json_object_get(obj, "gpus"), 0),
	                                                "memory_bytes")), (json_int_t)MIB(81920));
	/* through text, as a results file would carry it */
	text = json_dumps(obj, JSON_INDENT(2));
	again = json_loads(text, 0, &jerr);
	cr_assert_not_null(again, "%s", jerr.text);
	cr_assert_eq(cbench_context__platform_from_json(&back, again, &err), 0, "%s", err.text);
	expect_same(&p, &back);
	free(text);
	json_decref(obj);
	json_decref(again);
}

Test(platform, json_keys_in_order_and_nulls)
{
	static const char *const keys[] = {
		"id", "id_source", "hostname", "os", "os_release", "kernel", "arch",
		"cpu_vendor", "cpu_model", "cpus", "physical_cores", "ram_bytes", "ram_gb",
		"governor", "compiler", "cflags", "gpus", "ci", "runner_os", "runner_arch",
	};
	struct cbench_platform p = machine("GenuineIntel", "x", 8);
	json_t *obj = cbench_context__platform_to_json(&p);
	const char *key;
	json_t *v;
	size_t i = 0;

	cr_assert_not_null(obj);
	json_object_foreach(obj, key, v) {
		cr_assert_lt(i, sizeof(keys) / sizeof(keys[0]));
		cr_expect_str_eq(key, keys[i]);
		i++;
	}
	cr_expect_eq(i, sizeof(keys) / sizeof(keys[0]));
	cr_expect(json_is_null(json_object_get(obj, "ci")));
	cr_expect(json_is_null(json_object_get(obj, "governor")));
	cr_expect(json_is_array(json_object_get(obj, "gpus")));
	json_decref(obj);
}

Test(platform, json_of_invalid_utf8_still_made)
{
	struct cbench_platform p = machine("GenuineIntel", "Caf\xe9 CPU", 8);
	json_t *obj = cbench_context__platform_to_json(&p);

	cr_assert_not_null(obj);
	cr_expect_str_eq(json_string_value(json_object_get(obj, "cpu_model")), "Caf\xEF\xBF\xBD CPU");
	json_decref(obj);
}

Test(platform, from_json_missing_keys_left_empty)
{
	struct cbench_platform p;
	json_t *obj = json_pack("{s:s, s:n, s:s}", "id", "X", "governor", "unknown_key", "y");

	memset(&p, 0x55, sizeof(p));
	cr_assert_eq(cbench_context__platform_from_json(&p, obj, NULL), 0);
	cr_expect_str_eq(p.id, "X");
	cr_expect_str_eq(p.hostname, "");
	cr_expect_str_eq(p.governor, "");
	cr_expect_eq(p.cpus, 0);
	cr_expect_eq(p.ngpus, 0);
	json_decref(obj);
}

static void expect_parse_error(const char *json, const char *message)
{
	struct cbench_platform p;
	struct cbench_error err = { 0 };
	json_t *obj = json_loads(json, 0, NULL);

	cr_assert_not_null(obj, "%s", json);
	cr_expect_eq(cbench_context__platform_from_json(&p, obj, &err), CBENCH_EPARSE, "%s", json);
	cr_expect_eq(err.code, CBENCH_EPARSE);
	cr_expect_str_eq(err.text, message);
	/* and without an error buffer */
	cr_expect_eq(cbench_context__platform_from_json(&p, obj, NULL), CBENCH_EPARSE);
	json_decref(obj);
}

Test(platform, from_json_type_errors_name_the_key)
{
	expect_parse_error("{\"cpus\": \"four\"}", "platform.cpus: expected an integer, got a string");
	expect_parse_error("{\"hostname\": 7}", "platform.hostname: expected a string, got an integer");
	expect_parse_error("{\"ram_bytes\": -1}", "platform.ram_bytes: -1 is out of range");
	expect_parse_error("{\"gpus\": {}}", "platform.gpus: expected an array, got an object");
	expect_parse_error("{\"gpus\": [{\"name\": \"A\"}, 3]}", "platform.gpus[1]: expected an object, got an integer");
	expect_parse_error("{\"gpus\": [{\"name\": \"A\", \"memory_bytes\": 1.5}]}",
	                   "platform.gpus[0].memory_bytes: expected an integer, got a number");
	expect_parse_error("[]", "platform: expected an object, got an array");
}

/* The tool */

static const char cbench_tool[] = CBENCH_TEST_BUILD "/cbench";

Test(platform, tool_json_with_override)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out"), *err = support_path(dir, "err");
	char *argv[] = { (char *)cbench_tool, "platform", "--json", "--platform", "X", NULL };
	json_t *doc;

	cr_assert(support_exists(cbench_tool), "%s not built", cbench_tool);
	cr_assert_eq(support_run(argv, out, err), 0, "stderr: %s", support_slurp(err));
	doc = support_load_json(out);
	cr_expect_str_eq(json_string_value(json_object_get(doc, "id")), "X");
	cr_expect_str_eq(json_string_value(json_object_get(doc, "id_source")), "--platform");
	cr_expect(json_is_integer(json_object_get(doc, "cpus")));
	json_decref(doc);
	free(out);
	free(err);
	support_rmdir(dir);
}

Test(platform, tool_text_first_line_is_the_id)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out"), *err = support_path(dir, "err");
	char *argv[] = { (char *)cbench_tool, "platform", NULL };
	char *env[] = { "PERFORMANCE_PLATFORM=From_Env", NULL };
	char *text;

	cr_assert_eq(support_wait(support_spawn(argv, out, err, env)), 0);
	text = support_slurp(out);
	cr_assert_not_null(text);
	cr_expect(strncmp(text, "From_Env\n", 9) == 0, "got: %s", text);
	cr_expect(strstr(text, "\nid_source:      PERFORMANCE_PLATFORM\n"), "got: %s", text);
	cr_expect(strstr(text, "\ngpus:           (none)\n"), "got: %s", text);
	free(text);
	free(out);
	free(err);
	support_rmdir(dir);
}

Test(platform, tool_warns_about_garbled_nvidia_smi)
{
	char *fake = fake_nvidia_smi("echo garbage");
	char *dir = support_tmpdir(), *out = support_path(dir, "out"), *err = support_path(dir, "err");
	char *argv[] = { (char *)cbench_tool, "platform", "--json", NULL };
	char *text;

	cr_assert_eq(support_run(argv, out, err), 0);
	text = support_slurp(err);
	cr_expect_str_eq(text, "cbench: warning: nvidia-smi: cannot read output line 1: 'garbage'\n");
	free(text);
	free(out);
	free(err);
	support_rmdir(dir);
	support_rmdir(fake);
}

Test(platform, tool_rejects_unknown_options)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out"), *err = support_path(dir, "err");
	char *bogus[] = { (char *)cbench_tool, "platform", "--bogus", NULL };
	char *missing[] = { (char *)cbench_tool, "platform", "--platform", NULL };
	char *text;

	cr_assert_eq(support_run(bogus, out, err), 2);
	text = support_slurp(err);
	cr_expect(strstr(text, "cbench platform: error: unknown option '--bogus'\n"), "got: %s", text);
	cr_expect(strstr(text, "usage: cbench platform"), "got: %s", text);
	free(text);
	text = support_slurp(out);
	cr_expect_str_eq(text, "");
	free(text);
	cr_expect_eq(support_run(missing, out, err), 2);
	free(out);
	free(err);
	support_rmdir(dir);
}

Test(platform, tool_help)
{
	char *dir = support_tmpdir(), *out = support_path(dir, "out");
	char *argv[] = { (char *)cbench_tool, "platform", "--help", NULL };
	char *text;

	cr_assert_eq(support_run(argv, out, NULL), 0);
	text = support_slurp(out);
	cr_expect(strncmp(text, "usage: cbench platform", 22) == 0, "got: %s", text);
	cr_expect(strstr(text, "PERFORMANCE_PLATFORM"));
	free(text);
	free(out);
	support_rmdir(dir);
}

/* The run's environment, from fake /proc and /sys trees */

Test(platform, environment_turbo_aslr_and_load_from_each_tree)
{
	static const struct {
		const char *tree;
		int turbo, aslr;
		double load;
	} cases[] = {
		/* intel_pstate's no_turbo=0 wins over cpufreq/boost=0 */
		{ "env-intel", 1, 2, 3.5 },
		/* amd-pstate: the policy's boost */
		{ "env-amd", 0, 0, 0.02 },
		/* acpi-cpufreq's boost; 'banana' is no ASLR level, 'n/a' no load */
		{ "env-acpi", 1, -1, -1 },
		{ "does-not-exist", -1, -1, -1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cbench_environment e;
		char root[128];

		snprintf(root, sizeof(root), "tests/data/platform/%s", cases[i].tree);
		cbench_platform__read_env(&e, root);
		cr_expect_eq(e.turbo, cases[i].turbo, "%s: turbo %d", cases[i].tree, e.turbo);
		cr_expect_eq(e.aslr, cases[i].aslr, "%s: aslr %d", cases[i].tree, e.aslr);
		cr_expect_float_eq(e.load_avg, cases[i].load, 1e-12, "%s: load %g", cases[i].tree,
		                   e.load_avg);
	}
}

Test(platform, environment_warnings_name_what_spoils_readings)
{
	struct cbench_platform p;
	struct cbench_environment e;
	char *w[CBENCH_ENV_WARNINGS];
	size_t n;

	cbench_platform__detect(&p, "tests/data/platform/intel-laptop", NULL, NULL, 0);
	cbench_platform__read_env(&e, "tests/data/platform/env-intel");
	p.cpus = 4;
	n = cbench_platform__env_warnings(w, &p, &e);
	cr_assert_eq(n, 3, "governor %s, turbo, load 3.5 of 4 CPUs", p.governor);
	cr_expect(strstr(w[0], "governor is 'powersave'"), "%s", w[0]);
	cr_expect(strstr(w[1], "turbo boost is on"), "%s", w[1]);
	cr_expect(strstr(w[2], "load average 3.50") && strstr(w[2], "4 CPUs"), "%s", w[2]);
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	/* performance, boost off, idle, ASLR off or on: nothing to say */
	cbench_platform__detect(&p, "tests/data/platform/amd-epyc", NULL, NULL, 0);
	cbench_platform__read_env(&e, "tests/data/platform/env-amd");
	snprintf(p.governor, sizeof(p.governor), "performance");
	cr_assert_eq(cbench_platform__env_warnings(w, &p, &e), 0);
	e.aslr = 2;
	cr_assert_eq(cbench_platform__env_warnings(w, &p, &e), 0);
}

Test(platform, pinning_this_process_and_back)
{
	struct cbench_platform_cpus saved;
	struct cbench_error err;
	char line[256] = "", want[64];
	FILE *f;

	if (!cbench_platform__cpu_allowed(0))
		cr_skip_test("CPU 0 is not in this process's mask");
	cr_assert_not(cbench_platform__cpu_allowed(-1));
	cr_assert_not(cbench_platform__cpu_allowed(100000));
	cr_assert_eq(cbench_platform__pin(0, &saved, &err), 0, "%s", err.text);
	f = fopen("/proc/self/status", "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f) && strncmp(line, "Cpus_allowed_list:", 18) != 0)
		;
	fclose(f);
	snprintf(want, sizeof(want), "Cpus_allowed_list:\t0\n");
	cbench_platform__unpin(&saved);
	cr_assert_str_eq(line, want);
	cr_assert_eq(cbench_platform__pin(5000, NULL, &err), CBENCH_EUSAGE);
	cr_assert(strstr(err.text, "--cpu 5000"), "%s", err.text);
}
