# cbench: see README.md. The targets people use:
#   make            library, runner of the repo's benchmarks, the cbench tool
#   make bench      run benchmarks/ (ARGS='--mode quick --json out.json')
#   make test       the test suite (Criterion)
#   make asan       the test suite under AddressSanitizer + UBSan
#   make compare    cbench and Google Benchmark on the same machine code
#   make install    PREFIX=DIR
#   make check      banned functions, header compiled alone (C99 and C++)
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

TEST_SRCS := $(shell find tests/framework tests/reporters tests/build tests/support -name '*.c' | sort)
# The tests start PostgreSQL servers with the benchmarks' fixture.
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/fixtures/pgserver.o
PROG_SRCS := $(wildcard tests/programs/*.c)
PROGS := $(PROG_SRCS:tests/programs/%.c=$(BUILD)/tests/%)

.PHONY: all lib bench test asan compare install check clean deps unit tests-build
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

$(BUILD)/cbench: $(TOOL_OBJ) $(BUILD)/libcbench.a
	$(CC) $(SANITIZE) -o $@ $(TOOL_OBJ) $(BUILD)/libcbench.a $(LDLIBS)

$(BUILD)/bench: $(BENCH_OBJS) $(BUILD)/libcbench.a
	$(CC) $(SANITIZE) -o $@ $(BENCH_OBJS) $(BUILD)/libcbench.a $(LDLIBS) -lpthread

bench: deps
	@$(MAKE) --no-print-directory lib $(BUILD)/bench
	$(BUILD)/bench $(ARGS)

# Test programs are benchmark files as users write them, linked with the
# library's ready main().
$(BUILD)/tests/%: $(BUILD)/obj/tests/programs/%.o $(BUILD)/libcbench.a
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $< $(BUILD)/libcbench.a $(LDLIBS)

$(BUILD)/tests/unit: $(TEST_OBJS) $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SANITIZE) -o $@ $^ $(TEST_LIBS) $(LDLIBS) -lutil

tests-build: lib $(BUILD)/tests/unit $(PROGS)

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

compare: deps
	@$(MAKE) --no-print-directory lib
	@sh benchmarks/compare/run.sh $(BUILD)

check:
	@sh ci/check-source.sh
	@sh ci/check-includes.sh
	@mkdir -p $(BUILD)/headertest
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iframework/include \
		-fsyntax-only -x c tests/headertest/header.c
	$(CXX) -std=c++11 -pedantic -Wall -Wextra -Werror -Iframework/include \
		-fsyntax-only -x c++ tests/headertest/header.c

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
	rm -rf build build-asan

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)
