#!/bin/sh
# `make compare`: cbench and Google Benchmark side by side, timing the same
# machine code (workload.o, compiled once, linked into both runners).
#
#   sh benchmarks/compare/run.sh BUILD_DIR      (make compare does this)
#
# Builds into BUILD_DIR/compare/ and keeps every file there. Each tool runs
# COMPARE_RUNS times (5 by default), alternating, one process per workload
# and run, at its default settings; then Google Benchmark runs once more
# with 10 repetitions, for its median of repetitions. interrupts.c measures,
# before and after, how much time the machine takes from a spinning thread.
# compare.py times the processes, reads the JSON and prints the tables.
# Needs python3, a C and a C++ compiler, and Google Benchmark (pkg-config
# name `benchmark`; ci/install-deps.sh installs it).
set -eu

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
RUNS=${COMPARE_RUNS:-5}
case $RUNS in
'' | *[!0-9]* | 0*)
	echo "compare: COMPARE_RUNS must be a positive integer, not '$RUNS'" >&2
	exit 2
	;;
esac

HERE=$(dirname "$0")
ROOT=$HERE/../..
OUT=$BUILD/compare
RUNDIR=$OUT/runs
CC=${CC:-cc}
CXX=${CXX:-c++}
WORKLOADS="hash_chain dot_product vector_search_1k vector_search_10k embed_chunks
lru_lookup ivf_search embed_threads_1"
# The suite's workloads live in fixtures/ (workload.c calls them); the
# objects below are compiled once and linked into both runners.
FIXTURES="data vectors ivf memcount ranking cache embed workloads"

if ! command -v python3 >/dev/null 2>&1; then
	echo "compare: python3 is needed to read the runners' JSON and time them;" >&2
	echo "  install it (Debian/Ubuntu: apt-get install python3) and rerun." >&2
	exit 1
fi
if ! pkg-config --exists benchmark 2>/dev/null; then
	echo "compare: Google Benchmark not found by pkg-config (name 'benchmark');" >&2
	echo "  run ci/install-deps.sh (Debian/Ubuntu: libbenchmark-dev)." >&2
	exit 1
fi
if [ ! -f "$BUILD/libcbench.a" ]; then
	echo "compare: $BUILD/libcbench.a is missing; run 'make lib' first." >&2
	exit 1
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo \
	2>/dev/null | head -n 1)
echo "date:   $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "system: $(uname -sr)"
echo "cpu:    ${cpu:-unknown} ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') online)"
echo "runs:   $RUNS per tool (COMPARE_RUNS), alternating; gbench $(pkg-config --modversion benchmark)"
echo

mkdir -p "$OUT"

# ---- build: one workload object, two runners ------------------------------
WARN="-Wall -Wextra -Werror"
# shellcheck source=benchmarks/compare/libs.sh
. "$HERE/libs.sh"
GB_CFLAGS=$(pkg-config --cflags benchmark)
GB_LIBS=$(pkg-config --libs benchmark)
echo "compare: building into $OUT/"
# shellcheck disable=SC2086 # the flag variables are word lists
{
	FIXTURE_OBJS=
	for f in $FIXTURES; do
		"$CC" -std=c11 -D_GNU_SOURCE -O2 $WARN -I"$ROOT/fixtures" \
			-c "$ROOT/fixtures/$f.c" -o "$OUT/fixture-$f.o"
		FIXTURE_OBJS="$FIXTURE_OBJS $OUT/fixture-$f.o"
	done
	"$CC" -std=c11 -O2 $WARN -I"$ROOT/fixtures" -c "$HERE/workload.c" \
		-o "$OUT/workload.o"
	"$CC" -std=c11 -O2 $WARN -c "$HERE/hash_chain.c" -o "$OUT/hash_chain.o"
	"$CC" -std=c11 -O2 $WARN -I"$ROOT/framework/include" -I"$HERE" \
		-c "$HERE/cbench_side.c" -o "$OUT/cbench_side.o"
	"$CC" -o "$OUT/cbench_side" "$OUT/cbench_side.o" "$OUT/workload.o" "$OUT/hash_chain.o" \
		$FIXTURE_OBJS "$BUILD/libcbench.a" $CBENCH_LIBS -lm -lpthread
	"$CXX" -std=c++17 -O2 $WARN -I"$HERE" $GB_CFLAGS \
		-c "$HERE/gbench_side.cc" -o "$OUT/gbench_side.o"
	"$CXX" -o "$OUT/gbench_side" "$OUT/gbench_side.o" "$OUT/workload.o" "$OUT/hash_chain.o" \
		$FIXTURE_OBJS $GB_LIBS -lm -lpthread
	"$CC" -std=c11 -O2 $WARN "$HERE/interrupts.c" -o "$OUT/interrupts"
}

# ---- runs --------------------------------------------------------------
rm -rf "$RUNDIR"
mkdir -p "$RUNDIR"
TIMES=$RUNDIR/times
: >"$TIMES"

cbench_one() { # workload run
	python3 "$HERE/compare.py" run "$RUNDIR/cbench-$1-$2.out" "$TIMES" \
		"cbench-$1-$2" -- \
		"$OUT/cbench_side" -q -k "$1" --json "$RUNDIR/cbench-$1-$2.json"
}

gbench_one() { # workload run
	python3 "$HERE/compare.py" run "$RUNDIR/gbench-$1-$2.json" "$TIMES" \
		"gbench-$1-$2" -- \
		"$OUT/gbench_side" "--benchmark_filter=^$1\$" \
		--benchmark_format=json
}

# The share of time this machine takes away from a spinning thread, before
# and after the runs: what separates a mean over a long batch from a median.
printf 'interruptions before: '
"$OUT/interrupts" 1

r=1
while [ "$r" -le "$RUNS" ]; do
	printf 'compare: run %s/%s\n' "$r" "$RUNS"
	for w in $WORKLOADS; do
		# Swap which tool goes first each run, so neither always gets
		# the machine in the state the other left it in.
		if [ $((r % 2)) -eq 1 ]; then
			cbench_one "$w" "$r"
			gbench_one "$w" "$r"
		else
			gbench_one "$w" "$r"
			cbench_one "$w" "$r"
		fi
	done
	r=$((r + 1))
done

echo "compare: gbench with --benchmark_repetitions=10"
for w in $WORKLOADS; do
	python3 "$HERE/compare.py" run "$RUNDIR/gbench-reps-$w.json" "$TIMES" \
		"gbench-reps-$w" -- \
		"$OUT/gbench_side" "--benchmark_filter=^$w\$" \
		--benchmark_format=json --benchmark_repetitions=10 \
		--benchmark_report_aggregates_only=true
done
printf 'interruptions after:  '
"$OUT/interrupts" 1
echo

# shellcheck disable=SC2086 # one argument per workload
python3 "$HERE/compare.py" table "$RUNDIR" "$RUNS" $WORKLOADS
