/*
 * libFuzzer targets for every parser of outside input (docs/reliability.md).
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput. `make fuzz` builds each
 * one with clang's libFuzzer; the unit build compiles the same files with
 * LLVMFuzzerTestOneInput renamed to cbench_fuzz_<name> so `make test` runs
 * every committed input (seeds and past crashes, tests/fuzz/corpus/<name>/)
 * through them under gcc, and `make asan` under the sanitizers.
 */
#ifndef CBENCH_TESTS_FUZZ_H
#define CBENCH_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * CBENCH_FUZZ_TARGET(expr) { ... } defines libFuzzer's entry point under
 * `make fuzz` (CBENCH_LIBFUZZER) and cbench_fuzz_expr in the unit build.
 */
#ifdef CBENCH_LIBFUZZER
#define CBENCH_FUZZ_TARGET(name) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#else
#define CBENCH_FUZZ_TARGET(name) int cbench_fuzz_##name(const uint8_t *data, size_t size)
#endif

/* The targets, for the unit build's corpus test (tests/fuzz/test_corpus.c). */
#define CBENCH_FUZZ_TARGETS(X) X(expr) X(baselines) X(results) X(nvidia_smi) X(cpuinfo) \
	X(github) X(event)
#define CBENCH_FUZZ_DECLARE_(name) int cbench_fuzz_##name(const uint8_t *data, size_t size);
CBENCH_FUZZ_TARGETS(CBENCH_FUZZ_DECLARE_)

/* A NUL-terminated copy of data[0..size); aborts when out of memory. */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* A path naming a file that holds data[0..size): an anonymous in-memory
 * file (memfd) read through /proc/self/fd. Close *fd after use. */
const char *fuzz_file(const uint8_t *data, size_t size, int *fd, char path[64]);

#endif
