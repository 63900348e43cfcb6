#!/bin/sh
# The nightly job on one platform: a comprehensive run, recorded, with
# every report (Markdown, JUnit, JSON, Google Benchmark JSON, HTML, the
# dashboard) and the platform's id in OUT. ci/nightly-finish.sh then files
# the issue and moves the baselines, once for every platform.
#
# Usage: ci/nightly.sh OUT [RUNNER OPTIONS...]
#
# Environment: as ci/bench-pr.sh.
# Exit status: the runner's; writing reports never changes it.
set -u

out=${1:?usage: ci/nightly.sh OUT [RUNNER OPTIONS...]}
shift
bench=${CBENCH_BENCH:-build/bench}
tool=${CBENCH_TOOL:-build/cbench}
baselines=${CBENCH_BASELINES:-baselines/baselines.json}
mkdir -p "$out" || exit 2

warn() {
	echo "nightly: warning: $*" >&2
	[ -n "${GITHUB_ACTIONS:-}" ] && echo "::warning::$*"
	return 0
}

ENABLE_PERFORMANCE_RECORDING=1
PERFORMANCE_RUN_TYPE=nightly
export ENABLE_PERFORMANCE_RECORDING PERFORMANCE_RUN_TYPE

set -- --baselines "$baselines" "$@"
[ -f "$baselines" ] || shift 2   # no file: every metric is new

# Benchmarks are code under test: they never see the token.
status=0
(unset GITHUB_TOKEN GH_TOKEN; exec "$bench" --mode comprehensive --json "$out/results.json" \
	--markdown "$out/report.md" --junit "$out/junit.xml" \
	--gbench-json "$out/gbench.json" "$@") || status=$?
echo "$status" >"$out/status"

(unset GITHUB_TOKEN GH_TOKEN; exec "$tool" platform) | sed -n 1p >"$out/platform"
if [ -f "$out/results.json" ]; then
	"$tool" report --from "$out/results.json" --format html --output "$out/report.html" ||
		warn "no HTML report"
	"$tool" dashboard --days 90 --output "$out/dashboard.html" || warn "no dashboard"
fi

exit "$status"
