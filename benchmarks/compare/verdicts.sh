#!/bin/sh
# The A/A and power figures of docs/measurement.md ("Verdicts"): how often
# the gate calls unchanged code a regression or an improvement, with the
# statistical test on and off, and how often it catches a real slowdown.
#
#   sh benchmarks/compare/verdicts.sh BUILD_DIR
#
# 1. records VERDICTS_BASE runs (5) of the selected benchmarks and makes
#    baselines from them with `cbench baseline update --init --yes`;
# 2. runs the same build VERDICTS_RUNS times (10) against them at 5%, once
#    with the test (--alpha 0.05) and once without (--alpha 1), counting
#    regression / improvement / inconclusive verdicts;
# 3. runs BUILD_DIR-slowdown/bench (make bench-slowdown SLOWDOWN=10: vector
#    search made 10% slower) VERDICTS_SLOW_RUNS times (20), counting runs
#    where a slowed metric is flagged a regression.
# VERDICTS_K selects the benchmarks (-k; default vector_search). Keeps every
# file in BUILD_DIR/verdicts/ and prints one table. Needs python3.
set -eu

if [ "$#" -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
BUILD=$1
BASE=${VERDICTS_BASE:-5}
RUNS=${VERDICTS_RUNS:-10}
SLOW=${VERDICTS_SLOW_RUNS:-20}
K=${VERDICTS_K:-vector_search}
for n in "$BASE" "$RUNS" "$SLOW"; do
	case $n in
	'' | *[!0-9]*)
		echo "verdicts: run counts must be whole numbers, not '$n'" >&2
		exit 2
		;;
	esac
done
BENCH=$BUILD/bench
SLOWBENCH=$BUILD-slowdown/bench
CBENCH=$BUILD/cbench
for f in "$BENCH" "$CBENCH"; do
	if [ ! -x "$f" ]; then
		echo "verdicts: $f is missing: run make first" >&2
		exit 2
	fi
done
OUT=$BUILD/verdicts
rm -rf "$OUT"
mkdir -p "$OUT"
DB=$OUT/history.db
BL=$OUT/baselines.json
PLATFORM=VerdictBox
START=$(date -u +%Y-%m-%dT%H:%M:%SZ)

i=1
while [ "$i" -le "$BASE" ]; do
	"$BENCH" -k "$K" --platform "$PLATFORM" --record --db "$DB" --run-type manual \
		--fail-on none -q >/dev/null
	i=$((i + 1))
done
"$CBENCH" baseline update --init --yes --platform "$PLATFORM" --db "$DB" --baselines "$BL" \
	--min-runs "$BASE" >"$OUT/update.txt"

# gate NAME BENCH ALPHA N: N runs, one JSON each
gate() {
	j=1
	while [ "$j" -le "$4" ]; do
		"$2" -k "$K" --platform "$PLATFORM" --baselines "$BL" --threshold 5% \
			--alpha "$3" --fail-on none -q --json "$OUT/$1-$j.json" >/dev/null
		j=$((j + 1))
	done
}
T0=$(date +%s)
gate aa-test "$BENCH" 0.05 "$RUNS"
T1=$(date +%s)
gate aa-notest "$BENCH" 1 "$RUNS"
T2=$(date +%s)
HAVE_SLOW=no
if [ -x "$SLOWBENCH" ] && [ "$SLOW" -gt 0 ]; then
	HAVE_SLOW=yes
	gate slow-test "$SLOWBENCH" 0.05 "$SLOW"
fi
T3=$(date +%s)

python3 - "$OUT" "$RUNS" "$SLOW" "$HAVE_SLOW" "$START" "$K" \
	"$((T1 - T0))" "$((T2 - T1))" "$((T3 - T2))" <<'PY'
import glob, json, os, sys
out, runs, slow, have_slow, start, k, t_test, t_notest, t_slow = sys.argv[1:]

def count(prefix):
    verdicts = {"regression": 0, "improvement": 0, "inconclusive": 0}
    flagged = 0
    files = sorted(glob.glob(os.path.join(out, prefix + "-*.json")))
    for f in files:
        doc = json.load(open(f))
        hit = False
        for b in doc.get("benchmarks", []):
            for m in b.get("metrics", []):
                s = m.get("status")
                if s in verdicts:
                    verdicts[s] += 1
                hit = hit or s == "regression"
        flagged += hit
    return len(files), verdicts, flagged

print("verdicts: -k %s, 5%% threshold, started %s" % (k, start))
print("%-28s %5s %11s %12s %13s %8s" % ("case", "runs", "regressions", "improvements",
                                         "inconclusive", "time s"))
for name, prefix, t in (("A/A, test on (alpha 0.05)", "aa-test", t_test),
                        ("A/A, test off (alpha 1)", "aa-notest", t_notest)):
    n, v, _ = count(prefix)
    print("%-28s %5d %11d %12d %13d %8s" % (name, n, v["regression"], v["improvement"],
                                            v["inconclusive"], t))
if have_slow == "yes":
    n, v, flagged = count("slow-test")
    print("%-28s %5d %11d %12d %13d %8s" % ("slowdown build, test on", n, v["regression"],
                                            v["improvement"], v["inconclusive"], t_slow))
    print("slowdown flagged (a regression in the run): %d of %d runs" % (flagged, n))
else:
    print("no slowdown build (make bench-slowdown SLOWDOWN=10): power not measured")
PY
