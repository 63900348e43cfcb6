#!/bin/sh
# The suite as cbench's own regression suite (docs/measurement.md, "The
# suite against its own baselines"): baselines made the way a user makes
# them, then runs of the unchanged build against them (every regression is
# a false alarm), then runs of a build with one workload made slower (every
# run should flag it).
#
#  1. RECORD (5) runs of `build/bench` (standard mode, `-m 'not slow'`)
#     recorded into a scratch history; `cbench baseline update --init
#     --yes --min-runs RECORD` writes OUT (a baselines file);
#  2. RUNS (10) runs of `build/bench --mode quick` against OUT: the
#     verdicts counted, and each benchmark's timing median kept;
#  3. `make bench-slowdown SLOWDOWN=PCT` (30), then DETECT (5) runs of its
#     `vector_search` benchmarks against OUT: how many flag a regression.
#
# Prints a summary (verdict counts, per-benchmark CV of the median over
# the RUNS runs, detection count); leaves the JSON files in WORK.
#
# Usage: benchmarks/compare/stability.sh OUT [WORK]
# Environment: RECORD, RUNS, DETECT, SLOWDOWN, BUILD (build).
set -eu
out=${1:?usage: benchmarks/compare/stability.sh OUT [WORK]}
work=${2:-$(mktemp -d "${TMPDIR:-/tmp}/cbench-stability.XXXXXX")}
build=${BUILD:-build}
record=${RECORD:-5}
runs=${RUNS:-10}
detect=${DETECT:-5}
slowdown=${SLOWDOWN:-30}
db="$work/history.db"
mkdir -p "$work"
printf "{}\n" >"$work/none.json"   # no baselines while recording

echo "stability: $record recorded runs into $db"
i=1
while [ "$i" -le "$record" ]; do
	"$build/bench" -q -m 'not slow' --record --db "$db" --run-type manual \
		--baselines "$work/none.json" --fail-on none >/dev/null 2>&1 || {
		echo "stability: recorded run $i failed" >&2; exit 1; }
	i=$((i + 1))
done
"$build/cbench" baseline update --init --yes --db "$db" --baselines "$out" \
	--min-runs "$record" >"$work/update.txt"
echo "stability: baselines written to $out"

i=1
while [ "$i" -le "$runs" ]; do
	"$build/bench" -q -m 'not slow' --mode quick --baselines "$out" --fail-on none \
		--json "$work/quick-$i.json" >/dev/null 2>&1 || true
	i=$((i + 1))
done

make --no-print-directory bench-slowdown SLOWDOWN="$slowdown" BUILD="$build" >/dev/null
i=1
while [ "$i" -le "$detect" ]; do
	"$build-slowdown/bench" -q -k vector_search --mode quick --baselines "$out" \
		--fail-on none --json "$work/slow-$i.json" >/dev/null 2>&1 || true
	i=$((i + 1))
done

python3 - "$work" "$runs" "$detect" "$slowdown" <<'PY'
import json, statistics, sys
work, runs, detect, slowdown = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
verdicts, medians = {}, {}
for i in range(1, runs + 1):
    doc = json.load(open(f"{work}/quick-{i}.json"))
    for b in doc["benchmarks"]:
        for m in b["metrics"]:
            verdicts.setdefault(m["status"], []).append(f'{m["name"]} (run {i})')
            if m["timing"] and m.get("value") is not None:
                medians.setdefault(b["id"], []).append(m["value"])
print(f"verdicts over {runs} quick runs:")
for v, where in sorted(verdicts.items()):
    shown = "" if v in ("unchanged", "new") else ": " + ", ".join(where[:12])
    print(f"  {v:13} {len(where)}{shown}")
print("CV of each benchmark's median over the runs:")
for bid, xs in sorted(medians.items()):
    cv = statistics.pstdev(xs) / statistics.mean(xs) if len(xs) > 1 else 0
    print(f"  {bid:52} {statistics.median(xs):.4g} s  CV {cv * 100:5.1f}%")
flagged = 0
for i in range(1, detect + 1):
    doc = json.load(open(f"{work}/slow-{i}.json"))
    hit = [m["name"] for b in doc["benchmarks"] for m in b["metrics"]
           if m["status"] == "regression"]
    flagged += bool(hit)
    print(f"slowdown run {i}: {', '.join(hit) or 'not flagged'}")
print(f"a {slowdown}% slower vector search flagged in {flagged} of {detect} runs")
PY
