#!/bin/sh
# Proposes the baselines ci/nightly-finish.sh moved as a pull request:
# nothing when the baselines file is unchanged; else a branch with the
# change, pushed, and a pull request opened with the GitHub CLI (gh, on
# GitHub's runners; GH_TOKEN). Baselines never move without a review.
#
# Usage: ci/propose-baselines.sh
# Environment: CBENCH_BASELINES (baselines/baselines.json),
# CBENCH_BASE_BRANCH (main), CBENCH_HISTORY_REMOTE (origin).
# Exit status: 0 (nothing to propose, or proposed); 1 when the branch could
# not be pushed or the pull request opened.
set -u

baselines=${CBENCH_BASELINES:-baselines/baselines.json}
base=${CBENCH_BASE_BRANCH:-main}
remote=${CBENCH_HISTORY_REMOTE:-origin}

if git diff --quiet -- "$baselines" && ! git ls-files --others --exclude-standard -- "$baselines" | grep -q .; then
	echo "propose-baselines: no baseline moved"
	exit 0
fi
branch=cbench/baselines-$(date -u +%Y%m%d-%H%M%S)
title="Baselines: sustained improvements ($(date -u +%Y-%m-%d))"
if ! { git checkout -q -b "$branch" && git add -- "$baselines" &&
	git -c user.name=cbench -c user.email=cbench@users.noreply.github.com commit -qm "$title" \
		-m "Proposed by the nightly job: cbench baseline update --auto-approve-improvements --min-runs 5." &&
	git push -q "$remote" "HEAD:refs/heads/$branch"; }; then
	echo "propose-baselines: could not push $branch" >&2
	exit 1
fi
if ! command -v gh >/dev/null 2>&1; then
	echo "propose-baselines: pushed $branch; no gh here to open the pull request" >&2
	exit 1
fi
if ! gh pr create --base "$base" --head "$branch" --title "$title" --body "The nightly \
benchmarks saw these metrics beat their baselines over the last 5 runs \
(cbench baseline update --auto-approve-improvements --min-runs 5). Review the diff before merging."; then
	echo "propose-baselines: could not open the pull request for $branch" >&2
	exit 1
fi
