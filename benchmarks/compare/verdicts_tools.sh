#!/bin/sh
# `make compare-verdicts`: the false alarms and the power of three tools'
# regression verdicts, on the same machine code, in one run
# (docs/measurement.md, "Side by side: cbench, Google Benchmark's
# compare.py, pytest-benchmark"):
#
#   sh benchmarks/compare/verdicts_tools.sh BUILD_DIR
#
# verdict_workloads.c (about 1 us, 100 us, 1.5 ns per call, and a 32 MiB
# walk) is compiled once per variant, -fPIC, into one object linked into
# the three sides: verdict_cbench (with BUILD_DIR/libcbench.a),
# verdict_gbench (Google Benchmark) and libverdict.so, which
# test_verdicts_pytest.py calls through ctypes. Variants: normal,
# VERDICT_SLOWDOWN=10 and =3 (the ~100 us workload does that many percent
# more passes; nothing else changes).
#
# A "flag" is, per tool:
#   cbench          a `regression` or `improvement` status of the metric,
#                   at --threshold 5% (the U test and bootstrap at alpha
#                   0.05 and its 2 confirmation passes; --alpha 1 turns the
#                   test off); instruction counts at --threshold-instructions 1%
#   Google Benchmark compare.py (Debian's libbenchmark-tools) on two
#                   --benchmark_repetitions=9 JSON files: its U test on real
#                   time p < 0.05 AND |change of the median| > 5% (the sign
#                   says regression or improvement). compare.py itself gives
#                   p-values and changes, not verdicts: this rule is ours.
#   pytest-benchmark --benchmark-compare=NNNN --benchmark-compare-fail=median:5%
#                   (it flags regressions only). It times the ctypes call:
#                   0.2-0.3 us of overhead per call, measured here
#                   (test_verdicts_pytest.py), which dominates the 1.5 ns
#                   workload: its `call_1ns` reads ctypes, not the workload.
#
# Steps (every file in BUILD_DIR/verdicts-tools/, times in times.jsonl):
#  1. baselines: cbench VT_BASE (5) runs recorded, then `cbench baseline
#     update --init --yes --min-runs VT_BASE`; Google Benchmark one
#     9-repetition JSON; pytest-benchmark one --benchmark-save'd run;
#  2. A/A: VT_RUNS (10) runs of each tool, interleaved, against those
#     (cbench twice: test on and off), counting verdicts per workload;
#  3. A/A pairs: every pair i < j of those runs, run i as baseline, run j
#     as new. compare.py and pytest-benchmark's own check
#     (pytest_benchmark.utils.parse_compare_fail) judge the saved files.
#     cbench cannot judge a saved results file (`cbench report` renders,
#     and its gate re-measures to confirm), so a pair is run i's recorded
#     history -> `baseline update --init --yes --min-runs 1` -> the
#     "summary" removed (a one-run summary is too few readings to test:
#     every crossing would be inconclusive; a bare value is judged by the
#     interval of the new run's median) -> a new run of the normal build
#     against it: VT_RUNS*(VT_RUNS-1)/2 new cbench runs; and as many
#     against run i's file as the tool wrote it (a summary of 1 run, which
#     the test calls too few readings: inconclusive);
#  4. power: VT_POW (20) runs of the SLOWDOWN=10 build of each tool against
#     the baselines; and VT_POW `cbench ab normal slowdown10 --threshold 5%`;
#  5. instruction counts (cbench, --measure instructions; callgrind where
#     the kernel has no PMU): VT_RUNS runs of the normal build (their CV
#     per workload, and baselines from them), then VT_POW runs of the
#     SLOWDOWN=3 build at --threshold-instructions 1%;
#  6. verdicts_tools.py reads the JSON files and prints one Markdown table.
#
# Environment: VT_BASE (5), VT_RUNS (10), VT_POW (20): whole numbers;
# VT_QUICK=1 for a check of the harness (cbench --mode quick, Google
# Benchmark --benchmark_min_time=0.05, pytest-benchmark
# --benchmark-max-time=0.1); VT_PYTHON, the python3 with scipy and
# pytest_benchmark (default: /usr/bin/python3, else python3);
# VT_GBENCH_COMPARE, compare.py (default: Debian's). Needs what
# `sh ci/install-deps.sh --compare-verdicts` installs.
set -eu

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
BASE=${VT_BASE:-5}
RUNS=${VT_RUNS:-10}
POW=${VT_POW:-20}
QUICK=${VT_QUICK:-0}

count() { # NAME VALUE MINIMUM
	case $2 in
	'' | *[!0-9]* | 0?*)
		echo "verdicts-tools: $1 must be a whole number, not '$2'" >&2
		exit 2
		;;
	esac
	if [ "${#2}" -gt 4 ] || [ "$2" -lt "$3" ]; then
		echo "verdicts-tools: $1 must be from $3 to 9999, not $2" >&2
		exit 2
	fi
}
count VT_BASE "$BASE" 1
count VT_RUNS "$RUNS" 1
count VT_POW "$POW" 0
case $QUICK in
0) CB_MODE=standard GB_MIN_TIME=0.5 PT_MAX_TIME=1.0 ;;
1) CB_MODE=quick GB_MIN_TIME=0.05 PT_MAX_TIME=0.1 ;;
*)
	echo "verdicts-tools: VT_QUICK must be 0 or 1, not '$QUICK'" >&2
	exit 2
	;;
esac

HERE=$(dirname "$0")
ROOT=$HERE/../..
CC=${CC:-cc}
CXX=${CXX:-c++}
CBENCH=$BUILD/cbench
PLATFORM=VerdictTools
WORKLOADS="hash_1us dot_100us call_1ns walk_32mib"

for f in "$BUILD/libcbench.a" "$CBENCH"; do
	if [ ! -e "$f" ]; then
		echo "verdicts-tools: $f is missing; run 'make lib' first." >&2
		exit 1
	fi
done
PY=${VT_PYTHON:-}
if [ -z "$PY" ]; then
	for p in /usr/bin/python3 python3; do
		if command -v "$p" >/dev/null 2>&1 &&
			"$p" -c 'import scipy, pytest_benchmark' >/dev/null 2>&1; then
			PY=$p
			break
		fi
	done
fi
if [ -z "$PY" ] || ! "$PY" -c 'import scipy, pytest_benchmark' >/dev/null 2>&1; then
	echo "verdicts-tools: no python3 with scipy and pytest_benchmark;" \
		"run sh ci/install-deps.sh --compare-verdicts" >&2
	exit 1
fi
GB_COMPARE=${VT_GBENCH_COMPARE:-/usr/share/benchmark/compare.py}
if [ ! -f "$GB_COMPARE" ] && command -v dpkg >/dev/null 2>&1; then
	GB_COMPARE=$(dpkg -L libbenchmark-tools 2>/dev/null | grep '/compare\.py$' | head -n 1) || true
fi
if [ -z "$GB_COMPARE" ] || [ ! -f "$GB_COMPARE" ]; then
	echo "verdicts-tools: Google Benchmark's compare.py not found;" \
		"run sh ci/install-deps.sh --compare-verdicts (libbenchmark-tools)" >&2
	exit 1
fi
if ! pkg-config --exists benchmark 2>/dev/null; then
	echo "verdicts-tools: Google Benchmark not found by pkg-config (libbenchmark-dev)" >&2
	exit 1
fi

OUT=$BUILD/verdicts-tools
rm -rf "$OUT"
mkdir -p "$OUT/cbench" "$OUT/gbench" "$OUT/pytest"
ABS_OUT=$(cd "$OUT" && pwd)
TIMES=$OUT/times.jsonl
: >"$TIMES"
HELPER=$HERE/verdicts_tools.py
STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
T0=$(date +%s)

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "date:     $STARTED"
echo "system:   $(uname -sr)"
echo "cpu:      ${cpu:-unknown} ($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') online)"
echo "load:     $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "counts:   VT_BASE=$BASE VT_RUNS=$RUNS VT_POW=$POW VT_QUICK=$QUICK"
echo "tools:    gbench $(pkg-config --modversion benchmark), $GB_COMPARE," \
	"pytest-benchmark $("$PY" -c 'import pytest_benchmark; print(pytest_benchmark.__version__)')"

# ---- build: per variant one object, three sides -------------------------
WARN="-Wall -Wextra -Werror"
# shellcheck source=benchmarks/compare/libs.sh
. "$HERE/libs.sh"
GB_CFLAGS=$(pkg-config --cflags benchmark)
GB_LIBS=$(pkg-config --libs benchmark)
echo "verdicts-tools: building into $OUT/"
# shellcheck disable=SC2086 # the flag variables are word lists
{
	"$CC" -std=c11 -O2 $WARN -I"$ROOT/framework/include" -I"$HERE" \
		-c "$HERE/verdict_cbench.c" -o "$OUT/verdict_cbench.o"
	"$CXX" -std=c++17 -O2 $WARN -I"$HERE" $GB_CFLAGS \
		-c "$HERE/verdict_gbench.cc" -o "$OUT/verdict_gbench.o"
	"$CC" -std=c11 -O2 -fPIC $WARN -c "$HERE/hash_chain.c" -o "$OUT/hash_chain.o"
	for v in normal:0 slow10:10 slow3:3; do
		d=$OUT/${v%%:*}
		mkdir -p "$d"
		"$CC" -std=c11 -O2 -fPIC $WARN -DVERDICT_SLOWDOWN="${v#*:}" \
			-c "$HERE/verdict_workloads.c" -o "$d/verdict_workloads.o"
		"$CC" -o "$d/verdict_cbench" "$OUT/verdict_cbench.o" "$d/verdict_workloads.o" "$OUT/hash_chain.o" \
			"$BUILD/libcbench.a" $CBENCH_LIBS -lm -lpthread
		"$CXX" -o "$d/verdict_gbench" "$OUT/verdict_gbench.o" "$d/verdict_workloads.o" "$OUT/hash_chain.o" \
			$GB_LIBS -lpthread
		"$CC" -shared -o "$d/libverdict.so" "$d/verdict_workloads.o" "$OUT/hash_chain.o"
	done
}

# ---- one run of each tool ------------------------------------------------
timed() { # TOOL CASE INDEX LOG OK COMMAND...
	t_tool=$1 t_case=$2 t_index=$3 t_log=$4 t_ok=$5
	shift 5
	"$PY" "$HELPER" timed "$TIMES" "$t_tool" "$t_case" "$t_index" "$t_log" "$t_ok" -- "$@"
}

NONE=$OUT/cbench/none.json
printf '{}\n' >"$NONE"
BL=$OUT/cbench/baselines.json

# cb CASE INDEX VARIANT BASELINES ALPHA FILE [OPTION...]: one cbench run,
# its results in FILE.json; exit 1 is a regression (or a failed benchmark,
# which the table lists).
cb() {
	c_case=$1 c_index=$2 c_variant=$3 c_bl=$4 c_alpha=$5 c_file=$6
	shift 6
	timed cbench "$c_case" "$c_index" "$c_file.log" 0,1 \
		"$OUT/$c_variant/verdict_cbench" -q --platform "$PLATFORM" --mode "$CB_MODE" \
		--baselines "$c_bl" --threshold 5% --alpha "$c_alpha" --fail-on regression \
		--json "$c_file.json" "$@"
}

# gb CASE INDEX VARIANT FILE [BASELINE]: one Google Benchmark run of 9
# repetitions into FILE.json, then compare.py against BASELINE.
gb() {
	timed gbench "$1" "$2" "$4.log" 0 "$OUT/$3/verdict_gbench" \
		--benchmark_repetitions=9 --benchmark_min_time="$GB_MIN_TIME" \
		--benchmark_out="$4.json" --benchmark_out_format=json
	if [ "$#" -ge 5 ]; then
		gb_judge "$1" "$2" "$5" "$4.json" "$4"
	fi
}

gb_judge() { # CASE INDEX BASE.json NEW.json FILE: FILE.diff.json, FILE.txt
	timed gbench "$1" "$2" "$5.txt" 0 "$PY" "$GB_COMPARE" --no-color \
		-d "$5.diff.json" benchmarks "$3" "$4"
}

# pt CASE INDEX VARIANT FILE [pytest-benchmark options]: one pytest run,
# FILE.json its results, FILE.log what it said. A regression exits 4 (its
# PerformanceRegression is a pytest.UsageError): accepted with that message.
pt() {
	p_case=$1 p_index=$2 p_variant=$3 p_file=$4
	shift 4
	timed pytest "$p_case" "$p_index" "$p_file.log" "0,4:Performance has regressed." \
		env VERDICT_SO="$ABS_OUT/$p_variant/libverdict.so" PYTHONDONTWRITEBYTECODE=1 \
		"$PY" -m pytest "$HERE/test_verdicts_pytest.py" -q -p no:cacheprovider \
		--rootdir "$HERE" -c /dev/null \
		--benchmark-storage="file://$ABS_OUT/pytest/storage" \
		--benchmark-max-time="$PT_MAX_TIME" --benchmark-json="$p_file.json" "$@"
}

pt_live() { # CASE INDEX VARIANT FILE: against the saved baseline
	pt "$1" "$2" "$3" "$4" --benchmark-compare="$PT_ID" \
		--benchmark-compare-fail=median:5%
	"$PY" "$HELPER" pytest-judge "$PT_BASE" "$4.json" "$4.judged.json"
}

# ---- 1. baselines --------------------------------------------------------
echo "verdicts-tools: baselines"
i=1
while [ "$i" -le "$BASE" ]; do
	cb baseline "$i" normal "$NONE" 0.05 "$OUT/cbench/base-$i" \
		--record --db "$OUT/cbench/base.db" --run-type manual
	if [ "$i" -eq 1 ]; then
		gb baseline 1 normal "$OUT/gbench/base"
		pt baseline 1 normal "$OUT/pytest/base" --benchmark-save=base
	fi
	i=$((i + 1))
done
timed cbench baseline 0 "$OUT/cbench/update.txt" 0 "$CBENCH" baseline update --init --yes \
	--platform "$PLATFORM" --db "$OUT/cbench/base.db" --baselines "$BL" --min-runs "$BASE"
PT_ID=$("$PY" "$HELPER" pytest-saved "$OUT/pytest/storage" base)
PT_BASE=$OUT/pytest/base.json

# ---- 2. A/A --------------------------------------------------------------
echo "verdicts-tools: $RUNS A/A runs per tool"
j=1
while [ "$j" -le "$RUNS" ]; do
	printf 'verdicts-tools: A/A run %s/%s\n' "$j" "$RUNS"
	# Each run records into a history of its own: the pairs' baselines.
	cb aa "$j" normal "$BL" 0.05 "$OUT/cbench/aa-$j" \
		--record --db "$OUT/cbench/aa-$j.db" --run-type manual
	gb aa "$j" normal "$OUT/gbench/aa-$j" "$OUT/gbench/base.json"
	pt_live aa "$j" normal "$OUT/pytest/aa-$j"
	cb aa-notest "$j" normal "$BL" 1 "$OUT/cbench/aa-notest-$j"
	j=$((j + 1))
done

# ---- 3. A/A pairs --------------------------------------------------------
echo "verdicts-tools: A/A pairs ($((RUNS * (RUNS - 1) / 2)))"
i=1
while [ "$i" -lt "$RUNS" ]; do
	full=$OUT/cbench/pair-base-$i.summary.json
	"$CBENCH" baseline update --init --yes --platform "$PLATFORM" --db "$OUT/cbench/aa-$i.db" \
		--baselines "$full" --min-runs 1 >"$OUT/cbench/pair-base-$i.txt"
	"$PY" "$HELPER" strip-summary "$full" "$OUT/cbench/pair-base-$i.json"
	j=$((i + 1))
	while [ "$j" -le "$RUNS" ]; do
		n=$(((i - 1) * RUNS + j))
		cb pairs "$n" normal "$OUT/cbench/pair-base-$i.json" 0.05 "$OUT/cbench/pair-$i-$j"
		# and against run i's baselines as the update tool writes them: a
		# summary of one run, which the test calls too few readings
		cb pairs-summary "$n" normal "$full" 0.05 "$OUT/cbench/pair-summary-$i-$j"
		gb_judge pairs "$n" "$OUT/gbench/aa-$i.json" "$OUT/gbench/aa-$j.json" \
			"$OUT/gbench/pair-$i-$j"
		timed pytest pairs "$n" "$OUT/pytest/pair-$i-$j.log" 0 "$PY" "$HELPER" pytest-judge \
			"$OUT/pytest/aa-$i.json" "$OUT/pytest/aa-$j.json" "$OUT/pytest/pair-$i-$j.judged.json"
		j=$((j + 1))
	done
	i=$((i + 1))
done

# ---- 4. power ------------------------------------------------------------
echo "verdicts-tools: $POW runs of the SLOWDOWN=10 build per tool, and cbench ab"
k=1
while [ "$k" -le "$POW" ]; do
	printf 'verdicts-tools: power run %s/%s\n' "$k" "$POW"
	cb power "$k" slow10 "$BL" 0.05 "$OUT/cbench/pow-$k"
	gb power "$k" slow10 "$OUT/gbench/pow-$k" "$OUT/gbench/base.json"
	pt_live power "$k" slow10 "$OUT/pytest/power-$k"
	timed cbench ab "$k" "$OUT/cbench/ab-$k.log" 0,1 "$CBENCH" ab \
		"$OUT/normal/verdict_cbench" "$OUT/slow10/verdict_cbench" --threshold 5% \
		--mode "$CB_MODE" --fail-on regression --json "$OUT/cbench/ab-$k.json"
	k=$((k + 1))
done

# ---- 5. instruction counts -----------------------------------------------
echo "verdicts-tools: instruction counts ($RUNS normal runs, $POW of SLOWDOWN=3)"
j=1
while [ "$j" -le "$RUNS" ]; do
	cb ins "$j" normal "$NONE" 0.05 "$OUT/cbench/ins-$j" --measure instructions \
		--record --db "$OUT/cbench/ins.db" --run-type manual
	j=$((j + 1))
done
timed cbench ins 0 "$OUT/cbench/ins-update.txt" 0 "$CBENCH" baseline update --init --yes \
	--platform "$PLATFORM" --db "$OUT/cbench/ins.db" \
	--baselines "$OUT/cbench/ins-baselines.json" --min-runs "$RUNS"
k=1
while [ "$k" -le "$POW" ]; do
	cb ins-power "$k" slow3 "$OUT/cbench/ins-baselines.json" 0.05 "$OUT/cbench/ins-pow-$k" \
		--measure instructions --threshold-instructions 1%
	k=$((k + 1))
done

# ---- 6. the table --------------------------------------------------------
T1=$(date +%s)
echo "verdicts-tools: done in $((T1 - T0)) s (load now: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo '?'))"
echo
"$PY" "$HELPER" table "$OUT" "$BASE" "$RUNS" "$POW" \
	"VT_QUICK=$QUICK: cbench --mode $CB_MODE, gbench --benchmark_min_time=$GB_MIN_TIME, pytest-benchmark --benchmark-max-time=$PT_MAX_TIME; workloads $WORKLOADS; started $STARTED, $((T1 - T0)) s in all"
