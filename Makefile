# cbench: see README.md. The targets people use:
#   make            library, runner of the repo's benchmarks, the cbench tool
#   make bench      run benchmarks/ but the `slow` ones (ARGS='--mode quick --json out.json';
#                   BENCH_MARKERS= runs them all, ARGS='-m slow' only the slow ones)
#   make bench-slowdown  build-slowdown/bench: vector search 30% slower
#   make test       the test suite (Criterion)
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind's memcheck (ci/valgrind.sh)
#   make compare    cbench and Google Benchmark on the same machine code
#   make compare-verdicts  false alarms and power: cbench, gbench's compare.py, pytest-benchmark
#   make compare-http  the HTTP load helper and wrk on the same nginx
#   make install    PREFIX=DIR
#   make check      banned functions, includes, header compiled alone (C99/C11, C++11/20)
#   make fresh-clone-test   `make test` in a clone of HEAD with nothing beside it
#   make lint       workflows (actionlint, yamllint) and ci/*.sh (shellcheck)
# `bench`, `test`, `asan` and `compare` install missing dependencies first
# (ci/install-deps.sh), so a fresh Debian or Ubuntu machine needs nothing else.

BUILD ?= build
PREFIX ?= /usr/local
CC ?= cc
CXX ?= c++
WERROR ?= -Werror
OPT ?= -O2
SANITIZE ?=
ARGS ?=
# -m of `make bench`; a -m in ARGS comes later and wins. Empty: everything.
BENCH_MARKERS ?= not slow

DEPS := jansson libgit2 sqlite3 libcurl
# PostgreSQL's client is optional: without it the history's PostgreSQL
# backend says this cbench was built without it (framework/history/postgres.c).
HAVE_LIBPQ := $(shell pkg-config --exists libpq 2>/dev/null && echo yes)
ifeq ($(HAVE_LIBPQ),yes)
DEPS += libpq
PQ_DEFINE := -DCBENCH_HAVE_LIBPQ
endif
TEST_DEPS := criterion

PKG_CFLAGS = $(shell pkg-config --cflags $(DEPS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(DEPS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_DEPS) 2>/dev/null)
TEST_LIBS = $(shell pkg-config --libs $(TEST_DEPS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla -Wno-format-truncation $(WERROR)
# -Wno-format-truncation: display fields are cut to width on purpose.
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -fPIC $(WARN) $(CFLAGS) $(SANITIZE) \
              -Iframework/include -Iframework -I. $(PKG_CFLAGS) $(PQ_DEFINE)
LDLIBS := $(PKG_LIBS) -lm

# One folder per concern (framework/README.md); every .c in them is the
# library, but the ready main() and the cbench tool.
LIB_SRCS := $(shell find framework -name '*.c' -not -path 'framework/tool/*' \
              -not -path 'framework/app/main.c' | sort) $(wildcard reporters/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/framework/app/main.o
TOOL_SRCS := $(wildcard framework/tool/*.c)
TOOL_OBJ := $(TOOL_SRCS:%.c=$(BUILD)/obj/%.o)

# pytest-style discovery: every .c under benchmarks/ (but the side-by-side
# harness, which builds with Google Benchmark) and every helper in fixtures/.
BENCH_SRCS := $(shell find benchmarks -name '*.c' -not -path 'benchmarks/compare/*' | sort) \
              $(wildcard fixtures/*.c)
BENCH_OBJS := $(BENCH_SRCS:%.c=$(BUILD)/obj/%.o)

TEST_SRCS := $(shell find tests/framework tests/reporters tests/build tests/support tests/fuzz \
               tests/fixtures tests/net -name '*.c' | sort)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o)
PROG_SRCS := $(wildcard tests/programs/*.c)
PROGS := $(PROG_SRCS:tests/programs/%.c=$(BUILD)/tests/%)
# The same programs, the benchmarks users could write (benchmarks/core: the
# dogfood ones measure internals) and a C++20 file, against libcbench.so:
# they link only if the library exports what the macros need.
SHARED_PROGS := $(PROG_SRCS:tests/programs/%.c=$(BUILD)/tests/shared/%) \
                $(BUILD)/tests/shared/bench_core $(BUILD)/tests/shared/cxx_bench
CORE_BENCH_OBJS := $(filter $(BUILD)/obj/benchmarks/core/% $(BUILD)/obj/fixtures/%,$(BENCH_OBJS))

.PHONY: all lib bench bench-slowdown test asan valgrind compare compare-verdicts compare-http \
        install check clean deps unit tests-build fresh-clone-test fuzz fuzz-build lint
.DELETE_ON_ERROR:
.SECONDARY:

all: deps
	@$(MAKE) --no-print-directory lib $(BUILD)/bench

lib: $(BUILD)/libcbench.a $(BUILD)/libcbench.so $(BUILD)/cbench

deps:
	@sh ci/install-deps.sh --if-missing

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The library exports only what framework/include/ marks CBENCH_EXPORT.
$(LIB_OBJS) $(MAIN_OBJ): ALL_CFLAGS += -fvisibility=hidden

# Benchmarks are what users write: compiled as a user would, optimized.
$(BUILD)/obj/benchmarks/%.o $(BUILD)/obj/fixtures/%.o: ALL_CFLAGS += -Ifixtures \
	-DCBENCH_BUILD_FLAGS='"$(strip $(CFLAGS) $(SANITIZE))"'

$(BUILD)/obj/tests/%.o: ALL_CFLAGS += $(TEST_CFLAGS) -Ifixtures -Itests/support \
	-DCBENCH_TEST_BUILD='"$(BUILD)"'

$(BUILD)/libcbench.a: $(LIB_OBJS) $(MAIN_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libcbench.so: $(LIB_OBJS) $(MAIN_OBJ)
	$(CC) -shared -Wl,-soname,libcbench.so.0 $(SANITIZE) -o $@ $^ $(LDLIBS)

$(BUILD)/libcbench.so.0: $(BUILD)/libcbench.so
	ln -sf libcbench.so $@

$(BUILD)/cbench: $(TOOL_OBJ) $(BUILD)/libcbench.a
	$(CC) $(SANITIZE) -o $@ $(TOOL_OBJ) $(BUILD)/libcbench.a $(LDLIBS)

$(BUILD)/bench: $(BENCH_OBJS) $(BUILD)/libcbench.a
	$(CC) $(SANITIZE) -o $@ $(BENCH_OBJS) $(BUILD)/libcbench.a $(LDLIBS) -lpthread

bench: deps
	@$(MAKE) --no-print-directory lib $(BUILD)/bench
	$(BUILD)/bench $(if $(BENCH_MARKERS),-m '$(BENCH_MARKERS)') $(ARGS)

# The regression gate's detection check (docs/measurement.md): the same
# runner with vector search made SLOWDOWN% slower, in its own build folder
# so build/ keeps the real one: $(BUILD)-slowdown/bench.
SLOWDOWN ?= 30
bench-slowdown: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)-slowdown \
		CFLAGS='$(CFLAGS) -DCBENCH_INJECT_SLOWDOWN=$(SLOWDOWN)' \
		$(BUILD)-slowdown/libcbench.a $(BUILD)-slowdown/bench

# Test programs are benchmark files as users write them, linked with the
# library's ready main().
$(BUILD)/tests/%: $(BUILD)/obj/tests/programs/%.o $(BUILD)/libcbench.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $< $(BUILD)/libcbench.a $(LDLIBS)

# Found at run time beside them: rpath $ORIGIN/../.. is $(BUILD).
SHARED_LINK = $(SANITIZE) -o $@ $(filter %.o,$^) -L$(BUILD) -lcbench -Wl,-rpath,'$$ORIGIN/../..'

$(BUILD)/tests/shared/%: $(BUILD)/obj/tests/programs/%.o $(BUILD)/libcbench.so.0
	@mkdir -p $(dir $@)
	$(CC) $(SHARED_LINK)

$(BUILD)/tests/shared/bench_core: $(CORE_BENCH_OBJS) $(BUILD)/libcbench.so.0
	@mkdir -p $(dir $@)
	$(CC) $(SHARED_LINK) $(LDLIBS) -lpthread

$(BUILD)/tests/shared/cxx_bench: $(BUILD)/obj/tests/programs/cxx_bench.o $(BUILD)/libcbench.so.0
	@mkdir -p $(dir $@)
	$(CXX) $(SHARED_LINK)

$(BUILD)/obj/tests/programs/cxx_bench.o: tests/programs/cxx_bench.cc
	@mkdir -p $(dir $@)
	$(CXX) -std=c++20 -pedantic -Wall -Wextra -Wshadow $(WERROR) $(CFLAGS) $(SANITIZE) \
		-Iframework/include -c $< -o $@

# The workloads' code (fixtures/) is tested too: tests/fixtures/.
FIXTURE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard fixtures/*.c))

$(BUILD)/tests/unit: $(TEST_OBJS) $(LIB_OBJS) $(FIXTURE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(TEST_LIBS) $(LDLIBS) -lutil -lpthread

# `cbench ab`'s end-to-end test: the same program, `ab.work` doing twice the work.
$(BUILD)/tests/ab_bench_2x: tests/programs/ab_bench.c $(BUILD)/libcbench.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DAB_WORK=2 $(SANITIZE) -o $@ $< $(BUILD)/libcbench.a $(LDLIBS)

tests-build: lib $(BUILD)/tests/unit $(PROGS) $(SHARED_PROGS) $(BUILD)/tests/ab_bench_2x

unit: tests-build check
	$(BUILD)/tests/unit $(TEST_ARGS)

test: deps
	@$(MAKE) --no-print-directory unit

# handle_segv=0: a benchmark that crashes must die of its signal, as it does
# in a normal build, for the runner to report it. Criterion's nanomsg leaks
# a string at exit: ci/lsan.supp.
asan: deps
	@ASAN_OPTIONS=handle_segv=0:handle_sigbus=0:handle_sigfpe=0:detect_leaks=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/ci/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory unit BUILD=build-asan OPT=-O1 \
		SANITIZE='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'

# Every process of the suite under memcheck, leaks as errors; third-party
# noise in ci/valgrind.supp; timing in docs/reliability.md.
valgrind: deps
	@sh ci/install-deps.sh --valgrind
	@$(MAKE) --no-print-directory tests-build check
	@sh ci/valgrind.sh $(BUILD)

fresh-clone-test:
	@sh ci/fresh-clone.sh

# libFuzzer targets (tests/fuzz/fuzz_*.c) built with clang and the
# sanitizers, each run FUZZ_SECONDS from its committed corpus; what they
# find lands in build-fuzz/crashes/ (docs/reliability.md).
FUZZ_SECONDS ?= 60
FUZZ_SRCS := $(filter-out tests/fuzz/fuzz_support.c,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_DEFS ?=
$(BUILD)/obj/tests/fuzz/%.o: ALL_CFLAGS += $(FUZZ_DEFS)

fuzz: deps
	@sh ci/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory fuzz-build BUILD=build-fuzz CC=clang CFLAGS='-O1 -g -Wno-unknown-warning-option' WERROR= \
		SANITIZE='-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer' \
		FUZZ_DEFS=-DCBENCH_LIBFUZZER
	@sh ci/fuzz.sh build-fuzz/fuzz $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/fuzz_support.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

compare: deps
	@$(MAKE) --no-print-directory lib
	@DEPS='$(DEPS)' sh benchmarks/compare/run.sh $(BUILD)

# The verdicts of three tools on the same machine code (docs/measurement.md,
# "Side by side: cbench, Google Benchmark's compare.py, pytest-benchmark"):
# everything in $(BUILD)/verdicts-tools/, one table.
compare-verdicts: deps
	@sh ci/install-deps.sh --compare-verdicts
	@$(MAKE) --no-print-directory lib
	@DEPS='$(DEPS)' sh benchmarks/compare/verdicts_tools.sh $(BUILD)

# HTTP_ARGS: runs, seconds per run, concurrency (default 3 3 50).
$(BUILD)/compare/http_load: $(BUILD)/obj/benchmarks/compare/http_load.o \
		$(BUILD)/obj/fixtures/nginx.o $(BUILD)/libcbench.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(LDLIBS)

compare-http: deps
	@$(MAKE) --no-print-directory lib $(BUILD)/compare/http_load
	$(BUILD)/compare/http_load $(HTTP_ARGS)

check:
	@sh ci/check-source.sh
	@sh ci/check-includes.sh
	@mkdir -p $(BUILD)/headertest
	for std in c99 c11; do $(CC) -std=$$std -pedantic -Wall -Wextra -Werror \
		-Iframework/include -fsyntax-only -x c tests/headertest/header.c || exit 1; \
		$(CC) -std=$$std -pedantic -Wall -Wextra -Werror -Iframework/include \
		-fsyntax-only -x c tests/headertest/http.c || exit 1; done
	for std in c++11 c++20; do $(CXX) -std=$$std -pedantic -Wall -Wextra -Werror \
		-Iframework/include -fsyntax-only -x c++ tests/headertest/header.c || exit 1; \
		$(CXX) -std=$$std -pedantic -Wall -Wextra -Werror -Iframework/include \
		-fsyntax-only -x c++ tests/headertest/http.c || exit 1; done

# Linters that are missing are skipped, saying why: sh ci/install-deps.sh --lint
lint:
	@sh ci/lint.sh

install: lib
	install -d $(DESTDIR)$(PREFIX)/include/cbench/internal $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/bin
	install -m 644 framework/include/cbench.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 framework/include/cbench/*.h $(DESTDIR)$(PREFIX)/include/cbench/
	install -m 644 framework/include/cbench/internal/*.h $(DESTDIR)$(PREFIX)/include/cbench/internal/
	install -m 644 $(BUILD)/libcbench.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libcbench.so $(DESTDIR)$(PREFIX)/lib/libcbench.so.0
	ln -sf libcbench.so.0 $(DESTDIR)$(PREFIX)/lib/libcbench.so
	install -m 755 $(BUILD)/cbench $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define CBENCH_VERSION "\(.*\)"/\1/p' framework/include/cbench.h)|' \
		-e 's|@REQUIRES@|$(DEPS)|' framework/cbench.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/cbench.pc

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)
