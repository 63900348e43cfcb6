#!/bin/sh
# Posts the results of one or more benchmark jobs (the OUT folders of
# ci/bench-pr.sh, one per platform of a matrix) as one pull-request
# comment, a section per platform, and with --check as a check run.
#
# Usage: ci/post-results.sh [--check] [--expect-sha SHA] [--output FILE] DIR...
#
# --expect-sha: the commit the event's pull request head must be (the
# trusted workflow passes the head of the run it reports on, so an artifact
# cannot aim the comment at another pull request).
# Exit status: the benchmarks' (the worst of DIR/status; 1 when a job left
# none), never the posting's: a comment that could not be posted (a
# fork's read-only token, GitHub down) is a warning.
set -u

tool=${CBENCH_TOOL:-build/cbench}
check=no
sha=""
report=performance-report.md
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=yes ;;
	--expect-sha) sha=${2:?--expect-sha needs a value}; shift ;;
	--output) report=${2:?--output needs a value}; shift ;;
	--) shift; break ;;
	-*) echo "post-results: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || { echo "usage: ci/post-results.sh [--check] [--output FILE] DIR..." >&2; exit 2; }

status=0
event=""
for dir in "$@"; do
	s=$(cat "$dir/status" 2>/dev/null || echo 1)
	case $s in ''|*[!0-9]*) s=1 ;; esac
	[ "$s" -gt "$status" ] && status=$s
	[ -z "$event" ] && [ -f "$dir/event.json" ] && event=$dir/event.json
done

warn() {
	echo "post-results: warning: $*" >&2
	[ -n "${GITHUB_ACTIONS:-}" ] && echo "::warning::$*"
	return 0
}

# One results file: its own comment; several: merged, a section each.
set -- "$@"
if [ $# -eq 1 ]; then
	cp "$1/report.md" "$report" 2>/dev/null || warn "$1 has no report.md"
else
	files=""
	for dir in "$@"; do
		[ -f "$dir/results.json" ] && files="$files $dir/results.json"
	done
	# shellcheck disable=SC2086 # one word per results file; paths are ours
	"$tool" report --merge $files --format markdown --output "$report" ||
		warn "could not merge the results of $*"
fi

if [ -f "$report" ]; then
	set --
	[ -n "$event" ] && set -- --event "$event"
	[ -n "$sha" ] && set -- "$@" --expect-sha "$sha"
	"$tool" github comment --file "$report" "$@" ||
		warn "the performance comment was not posted (see above)"
	if [ "$check" = yes ]; then
		conclusion=success
		[ "$status" -eq 0 ] || conclusion=failure
		"$tool" github check --file "$report" --conclusion "$conclusion" "$@" ||
			warn "the check run was not created (see above)"
	fi
fi
exit "$status"
