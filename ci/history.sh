#!/bin/sh
# The run history between CI runs, without a server: every nightly run's
# results JSON is kept as a file on a data branch (CBENCH_HISTORY_BRANCH,
# default cbench-history) of the repository itself.
#
# Usage: ci/history.sh restore       imports every kept run into the history
#                                    (PERFORMANCE_DB_PATH): any job may
#        ci/history.sh save DIR...   adds DIR/results.json to the branch and
#                                    pushes: the nightly's last job only,
#                                    never a matrix job (one writer, no race)
#
# Environment: CBENCH_TOOL (build/cbench), CBENCH_HISTORY_REMOTE (origin).
# Exit status: 0; 1 when save could not push after 3 tries; a missing
# branch is an empty history.
set -u

tool=${CBENCH_TOOL:-build/cbench}
branch=${CBENCH_HISTORY_BRANCH:-cbench-history}
remote=${CBENCH_HISTORY_REMOTE:-origin}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

restore() {
	if ! git fetch -q --depth=1 "$remote" "refs/heads/$branch" 2>/dev/null; then
		echo "history: no $branch branch yet: starting without history"
		return 0
	fi
	mkdir -p "$tmp/kept"
	git archive FETCH_HEAD runs 2>/dev/null | tar -x -C "$tmp/kept" 2>/dev/null || true
	set -- "$tmp"/kept/runs/*.json
	if [ -e "$1" ]; then
		"$tool" history import "$@"
	else
		echo "history: $branch holds no runs yet"
	fi
}

save() {
	work=$tmp/work
	if git fetch -q "$remote" "refs/heads/$branch" 2>/dev/null; then
		git worktree add -q --detach "$work" FETCH_HEAD || return 1
	else
		git worktree add -q --detach "$work" HEAD || return 1
		git -C "$work" checkout -q --orphan "$branch-new" &&
			git -C "$work" rm -rqf --ignore-unmatch . || return 1
	fi
	mkdir -p "$work/runs"
	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	n=0
	for dir in "$@"; do
		[ -f "$dir/results.json" ] || continue
		n=$((n + 1))
		cp "$dir/results.json" "$work/runs/$stamp-$(basename "$dir")-$n.json"
	done
	git -C "$work" add runs &&
		git -C "$work" -c user.name=cbench -c user.email=cbench@users.noreply.github.com \
			commit -qm "history: $n runs of $stamp" || return 1
	for try in 1 2 3; do
		if git -C "$work" push -q "$remote" "HEAD:refs/heads/$branch"; then
			echo "history: $n runs kept on $branch"
			git worktree remove --force "$work"
			return 0
		fi
		# another run pushed first: the files are new, so a rebase never conflicts
		echo "history: push $try rejected; rebasing" >&2
		if ! git -C "$work" fetch -q "$remote" "refs/heads/$branch" ||
			! git -C "$work" rebase -q FETCH_HEAD; then
			break
		fi
	done
	git worktree remove --force "$work"
	echo "history: could not push $branch" >&2
	return 1
}

case ${1:-} in
restore) restore ;;
save) shift; save "$@" ;;
*) echo "usage: ci/history.sh restore | save DIR..." >&2; exit 2 ;;
esac
