/*
 * What the CBENCH macros expand to. Not for use in benchmark files: names
 * and layouts here may change between versions.
 */
#ifndef CBENCH_INTERNAL_MACROS_H
#define CBENCH_INTERNAL_MACROS_H

#ifdef __cplusplus
extern "C" {
#endif

#define CBENCH_CAT2_(a, b) a##b
#define CBENCH_CAT_(a, b) CBENCH_CAT2_(a, b)
#define CBENCH_BODY_(suite, name) cbench_body_##suite##__##name
#define CBENCH_RUN_(suite, name) cbench_run_##suite##__##name
#define CBENCH_DESC_(suite, name) cbench_desc_##suite##__##name
#define CBENCH_REG_(suite, name) cbench_reg_##suite##__##name

#ifdef __OPTIMIZE__
#define CBENCH_OPTIMIZED_ 1
#else
#define CBENCH_OPTIMIZED_ 0
#endif

#if defined(__clang__)
#define CBENCH_COMPILER_ "clang " __clang_version__
#elif defined(__GNUC__)
#define CBENCH_COMPILER_ "gcc " __VERSION__
#else
#define CBENCH_COMPILER_ ""
#endif

/* A build may say how it compiled the benchmarks: -DCBENCH_BUILD_FLAGS='"-O2"'. */
#ifdef CBENCH_BUILD_FLAGS
#define CBENCH_BUILD_FLAGS_ CBENCH_BUILD_FLAGS
#else
#define CBENCH_BUILD_FLAGS_ ""
#endif

/* One declaration, as the macro saw it; the registry keeps a pointer. */
struct cbench_bench_ {
	const char *suite;
	const char *name;
	const char *file;
	int line;
	int optimized;     /* the declaring file was compiled with optimization */
	const char *compiler;
	const char *build_flags;
	void (*run)(void); /* runs CBENCH_MEASURE once */
	struct cbench_options opts;
};

struct cbench_fixture_ {
	const char *name;
	const char *file;
	int line;
	struct cbench_fixture_options opts;
};

void cbench_register_(struct cbench_bench_ *bench);
void cbench_fixture_register_(struct cbench_fixture_ *fixture);

/* Round protocol of CBENCH_MEASURE: begin starts the first round and returns
 * its batch; next ends the current round and starts the next one, returning
 * its batch, or returns 0 when the benchmark has measured enough. The clock
 * is read as the last thing of begin/next and the first thing of next. */
uint64_t cbench_round_begin_(void);
uint64_t cbench_round_next_(void);

#define CBENCH_REGISTER_(suite, name, ...)                                     \
	static struct cbench_bench_ CBENCH_DESC_(suite, name) = {              \
		#suite, #name, __FILE__, __LINE__, CBENCH_OPTIMIZED_,          \
		CBENCH_COMPILER_, CBENCH_BUILD_FLAGS_,                         \
		CBENCH_RUN_(suite, name),                                      \
		{ .sentinel_ = 0, __VA_ARGS__ }                                \
	};                                                                     \
	static void CBENCH_REG_(suite, name)(void)                             \
		__attribute__((constructor));                                  \
	static void CBENCH_REG_(suite, name)(void)                             \
	{                                                                      \
		cbench_register_(&CBENCH_DESC_(suite, name));                  \
	}

#if defined(__GNUC__) || defined(__clang__)
/* The value goes through an empty asm the compiler must assume reads it;
 * "r,m" lets it stay in a register when it fits (Google Benchmark's
 * DoNotOptimize). __auto_type decays an array to a pointer, so keeping a
 * buffer makes it escape and cbench_clobber() then covers it. */
#define cbench_keep_(value)                                                    \
	do {                                                                   \
		__auto_type cbench_kept_ = (value);                            \
		__asm__ __volatile__("" : : "r,m"(cbench_kept_) : "memory");   \
	} while (0)
#else
void cbench_keep_ptr_(const volatile void *p);
#define cbench_keep_(value)                                                    \
	do {                                                                   \
		volatile int cbench_kept_ = (int)(value);                      \
		cbench_keep_ptr_(&cbench_kept_);                               \
	} while (0)
#endif

#ifdef __cplusplus
}
#endif

#endif
