#!/bin/sh
# The common end of a benchmark job (ci/bench-pr.sh, ci/bench-ab.sh):
# writes STATUS to OUT/status, renders OUT/results.json as OUT/report.html
# and keeps the event file beside them, for ci/post-results.sh. Exits with
# STATUS, the benchmarks' status, whatever the HTML or the copy did.
#
# Usage: ci/finish-job.sh OUT STATUS NAME   (NAME: the caller, for messages)
# Environment: CBENCH_TOOL (build/cbench), GITHUB_EVENT_PATH.
set -u
out=${1:?usage: ci/finish-job.sh OUT STATUS NAME}
status=${2:?usage: ci/finish-job.sh OUT STATUS NAME}
name=${3:-finish-job}
tool=${CBENCH_TOOL:-build/cbench}

echo "$status" >"$out/status"
if [ -f "$out/results.json" ]; then
	"$tool" report --from "$out/results.json" --format html --output "$out/report.html" ||
		echo "$name: warning: no HTML report" >&2
fi
if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
	cp "$GITHUB_EVENT_PATH" "$out/event.json"
fi
exit "$status"
