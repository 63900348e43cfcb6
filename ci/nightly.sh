#!/bin/sh
# The nightly job: a comprehensive run, recorded, with every report; one
# issue opened or updated when something regressed, closed when a night is
# clean; baselines moved on sustained improvements (the workflow proposes
# the change as a pull request).
#
# Usage: ci/nightly.sh OUT [RUNNER OPTIONS...]
#
# Environment: as ci/bench-pr.sh, plus CBENCH_ISSUE_TITLE ("Nightly
# performance regression"); the issue is posted when GITHUB_TOKEN is set.
# Exit status: the runner's; posting and updating baselines never change it.
set -u

out=${1:?usage: ci/nightly.sh OUT [RUNNER OPTIONS...]}
shift
bench=${CBENCH_BENCH:-build/bench}
tool=${CBENCH_TOOL:-build/cbench}
baselines=${CBENCH_BASELINES:-baselines/baselines.json}
title=${CBENCH_ISSUE_TITLE:-Nightly performance regression}
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

if [ -f "$out/results.json" ]; then
	"$tool" report --from "$out/results.json" --format html --output "$out/report.html" ||
		warn "no HTML report"
	"$tool" dashboard --days 90 --output "$out/dashboard.html" || warn "no dashboard"
fi

if [ -f "$out/report.md" ] && [ -n "${GITHUB_TOKEN:-}" ]; then
	"$tool" github issue --title "$title" --label performance-regression \
		--file "$out/report.md" --close-if-clean || warn "the issue was not updated (see above)"
fi

if [ "$status" -eq 0 ] || [ "$status" -eq 1 ]; then
	"$tool" baseline update --auto-approve-improvements --min-runs 5 \
		--baselines "$baselines" || warn "baselines not updated"
fi
exit "$status"
