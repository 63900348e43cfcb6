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

CBENCH_EXPORT void cbench_register_(struct cbench_bench_ *bench);
CBENCH_EXPORT void cbench_fixture_register_(struct cbench_fixture_ *fixture);

/* Round protocol of CBENCH_MEASURE: begin starts the first round and returns
 * its batch; next ends the current round and starts the next one, returning
 * its batch, or returns 0 when the benchmark has measured enough. The clock
 * is read as the last thing of begin/next and the first thing of next. */
CBENCH_EXPORT uint64_t cbench_round_begin_(void);
CBENCH_EXPORT uint64_t cbench_round_next_(void);

/* The public macros take everything as `...` and append `.sentinel_ = 0`
 * (Criterion's Test(...) does the same), so `CBENCH(s, n)` with no option
 * still gives these a variadic argument under -pedantic before C23, and the
 * sentinel, the structs' last member, keeps C++20's declaration order. */
/* C++20 (g++ 12 -Wextra) warns of every member a designated initializer
 * leaves out; leaving them out is what the options are for. */
#if defined(__cplusplus) && (defined(__GNUC__) || defined(__clang__))
#define CBENCH_OPTIONS_BEGIN_                                                  \
	_Pragma("GCC diagnostic push")                                         \
	_Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"")
#define CBENCH_OPTIONS_END_ _Pragma("GCC diagnostic pop")
#else
#define CBENCH_OPTIONS_BEGIN_
#define CBENCH_OPTIONS_END_
#endif

#define CBENCH_PLAIN_(suite, name, ...)                                        \
	static inline void CBENCH_BODY_(suite, name)(void)                     \
		__attribute__((always_inline));                                \
	static void CBENCH_RUN_(suite, name)(void)                             \
	{                                                                      \
		CBENCH_MEASURE                                                 \
			CBENCH_BODY_(suite, name)();                           \
	}                                                                      \
	CBENCH_REGISTER_(suite, name, __VA_ARGS__)                             \
	static inline void CBENCH_BODY_(suite, name)(void)

#define CBENCH_EX_(suite, name, ...)                                           \
	static void CBENCH_RUN_(suite, name)(void);                            \
	CBENCH_REGISTER_(suite, name, __VA_ARGS__)                             \
	static void CBENCH_RUN_(suite, name)(void)

#define CBENCH_REGISTER_(suite, name, ...)                                     \
	CBENCH_OPTIONS_BEGIN_                                                  \
	static struct cbench_bench_ CBENCH_DESC_(suite, name) = {              \
		#suite, #name, __FILE__, __LINE__, CBENCH_OPTIMIZED_,          \
		CBENCH_COMPILER_, CBENCH_BUILD_FLAGS_,                         \
		CBENCH_RUN_(suite, name),                                      \
		{ __VA_ARGS__ }                                                \
	};                                                                     \
	CBENCH_OPTIONS_END_                                                    \
	static void CBENCH_REG_(suite, name)(void)                             \
		__attribute__((constructor));                                  \
	static void CBENCH_REG_(suite, name)(void)                             \
	{                                                                      \
		cbench_register_(&CBENCH_DESC_(suite, name));                  \
	}

#define CBENCH_FIXTURE_(fname, ...)                                            \
	CBENCH_OPTIONS_BEGIN_                                                  \
	static struct cbench_fixture_ CBENCH_CAT_(cbench_fixture_, fname) = {  \
		#fname, __FILE__, __LINE__, { __VA_ARGS__ }                    \
	};                                                                     \
	CBENCH_OPTIONS_END_                                                    \
	static void CBENCH_CAT_(cbench_fixture_register_, fname)(void)         \
		__attribute__((constructor));                                  \
	static void CBENCH_CAT_(cbench_fixture_register_, fname)(void)         \
	{                                                                      \
		cbench_fixture_register_(                                      \
			&CBENCH_CAT_(cbench_fixture_, fname));                 \
	}                                                                      \
	struct cbench_fixture_unused_

#if defined(__GNUC__) || defined(__clang__)
/* The value goes through an empty asm the compiler must assume reads it;
 * "r,m" lets it stay in a register when it fits (Google Benchmark's
 * DoNotOptimize). __auto_type (auto in C++) decays an array to a pointer, so keeping a
 * buffer makes it escape and cbench_clobber() then covers it. */
#ifdef __cplusplus
#define CBENCH_AUTO_ auto
#else
#define CBENCH_AUTO_ __extension__ __auto_type
#endif
#define cbench_keep_(value)                                                    \
	do {                                                                   \
		CBENCH_AUTO_ cbench_kept_ = (value);                           \
		__asm__ __volatile__("" : : "r,m"(cbench_kept_) : "memory");   \
	} while (0)
#else
CBENCH_EXPORT void cbench_keep_ptr_(const volatile void *p);
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
