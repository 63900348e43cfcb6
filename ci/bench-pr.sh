#!/bin/sh
# The pull-request job: runs the benchmarks in CI mode and writes every
# report into OUT, with the event that started the job, for
# ci/post-results.sh (here or, for a fork, in the trusted workflow).
#
# Usage: ci/bench-pr.sh OUT [RUNNER OPTIONS...]
#
# Compares with the baselines of the branch the pull request merges into
# (GITHUB_BASE_REF), not with whatever the pull request's tree holds.
# Environment: CBENCH_BENCH (build/bench), CBENCH_TOOL (build/cbench),
# CBENCH_BASELINES (baselines/baselines.json), BENCHMARK_MODE (standard),
# PERFORMANCE_* as the runner reads them; CBENCH_AB=1 hands over to
# ci/bench-ab.sh (A/B mode against the merge base).
# Exit status: the runner's (0 passed, 1 a confirmed regression or a failed
# benchmark, 2 configuration error); writing reports never changes it.
set -u

out=${1:?usage: ci/bench-pr.sh OUT [RUNNER OPTIONS...]}
shift
# A/B mode: the merge base and the head measured side by side on this
# runner instead of against committed baselines (ci/bench-ab.sh).
if [ "${CBENCH_AB:-0}" = 1 ]; then
	exec sh "$(dirname "$0")/bench-ab.sh" "$out" "$@"
fi
bench=${CBENCH_BENCH:-build/bench}
tool=${CBENCH_TOOL:-build/cbench}
baselines=${CBENCH_BASELINES:-baselines/baselines.json}
mkdir -p "$out" || exit 2

# The base branch's baselines: a pull request that edits baselines.json
# cannot move its own goalposts (the edit shows in its diff instead).
if [ -n "${GITHUB_BASE_REF:-}" ] &&
	git fetch -q --depth=1 origin "refs/heads/$GITHUB_BASE_REF" 2>/dev/null &&
	git show "FETCH_HEAD:$baselines" >"$out/baselines.base.json" 2>/dev/null; then
	baselines=$out/baselines.base.json
	echo "bench-pr: comparing with $GITHUB_BASE_REF's $baselines"
fi
set -- --baselines "$baselines" "$@"
[ -f "$baselines" ] || shift 2   # no file: every metric is new

ENABLE_PERFORMANCE_RECORDING=${ENABLE_PERFORMANCE_RECORDING:-1}
PERFORMANCE_RUN_TYPE=${PERFORMANCE_RUN_TYPE:-ci}
export ENABLE_PERFORMANCE_RECORDING PERFORMANCE_RUN_TYPE

# The benchmarks are the pull request's code: they never see the token.
status=0
(unset GITHUB_TOKEN GH_TOKEN; exec "$bench" --mode "${BENCHMARK_MODE:-standard}" --json "$out/results.json" \
	--markdown "$out/report.md" --junit "$out/junit.xml" "$@") || status=$?
CBENCH_TOOL=$tool sh "$(dirname "$0")/finish-job.sh" "$out" "$status" bench-pr
