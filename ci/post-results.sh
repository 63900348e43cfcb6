#!/bin/sh
# Posts the results of one or more benchmark jobs (the OUT folders of
# ci/bench-pr.sh or ci/nightly.sh, one per platform of a matrix) as one
# report, a section per platform: a pull-request comment, with --check also
# a check run; with --issue TITLE the nightly issue instead of a comment
# (opened or updated on a regression, closed when clean).
#
# Usage: ci/post-results.sh [--check] [--no-comment] [--issue TITLE]
#                           [--expect-sha SHA] [--output FILE] DIR...
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
comment=yes
issue=""
sha=""
report=performance-report.md
while [ $# -gt 0 ]; do
	case $1 in
	--check) check=yes ;;
	--no-comment) comment=no ;;
	--issue) issue=${2:?--issue needs a title}; comment=no; shift ;;
	--expect-sha) sha=${2:?--expect-sha needs a value}; shift ;;
	--output) report=${2:?--output needs a value}; shift ;;
	--) shift; break ;;
	-*) echo "post-results: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || { echo "usage: ci/post-results.sh [--check] [--no-comment] [--issue TITLE] [--expect-sha SHA] [--output FILE] DIR..." >&2; exit 2; }

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
	if [ "$comment" = yes ]; then
		"$tool" github comment --file "$report" "$@" ||
			warn "the performance comment was not posted (see above)"
	fi
	if [ -n "$issue" ]; then
		"$tool" github issue --title "$issue" --label performance-regression \
			--file "$report" --close-if-clean || warn "the issue was not updated (see above)"
	fi
	if [ "$check" = yes ]; then
		conclusion=success
		[ "$status" -eq 0 ] || conclusion=failure
		"$tool" github check --file "$report" --conclusion "$conclusion" "$@" ||
			warn "the check run was not created (see above)"
	fi
fi
exit "$status"
