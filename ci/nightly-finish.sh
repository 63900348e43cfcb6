#!/bin/sh
# The nightly workflow's last job, the only one that writes: records the
# platforms' runs (the OUT folders of ci/nightly.sh) in the history, files
# one issue for all of them (a section per platform; opened or updated on a
# regression, closed when every platform is clean), and moves each
# platform's baselines on sustained improvements, in one baselines file
# the workflow proposes as a pull request.
#
# Usage: ci/nightly-finish.sh DIR...
#
# Environment: CBENCH_TOOL (build/cbench), CBENCH_BASELINES
# (baselines/baselines.json), PERFORMANCE_DB_PATH (the history, restored by
# ci/history.sh), CBENCH_ISSUE_TITLE ("Nightly performance regression"),
# CBENCH_REPORT (where the merged report goes: nightly-report.md);
# the issue is posted when GITHUB_TOKEN is set.
# Exit status: 0, or 2 when no DIR has results; failures to post or to
# update baselines are warnings.
set -u

tool=${CBENCH_TOOL:-build/cbench}
baselines=${CBENCH_BASELINES:-baselines/baselines.json}
title=${CBENCH_ISSUE_TITLE:-Nightly performance regression}
here=$(dirname "$0")

warn() {
	echo "nightly-finish: warning: $*" >&2
	[ -n "${GITHUB_ACTIONS:-}" ] && echo "::warning::$*"
	return 0
}

found=no
for dir in "$@"; do
	[ -f "$dir/results.json" ] || { warn "$dir has no results"; continue; }
	found=yes
	"$tool" history import "$dir/results.json" || warn "$dir not recorded"
done
[ "$found" = yes ] || { echo "nightly-finish: no results in $*" >&2; exit 2; }

if [ -n "${GITHUB_TOKEN:-}" ]; then
	# its status is the benchmarks', already the matrix jobs' outcome
	sh "$here/post-results.sh" --issue "$title" \
		--output "${CBENCH_REPORT:-nightly-report.md}" "$@" || true
fi

for dir in "$@"; do
	platform=$(cat "$dir/platform" 2>/dev/null) || continue
	[ -n "$platform" ] || continue
	"$tool" baseline update --platform "$platform" --auto-approve-improvements \
		--min-runs 5 --baselines "$baselines" || warn "$platform: baselines not updated"
done
exit 0
