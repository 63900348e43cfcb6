#!/bin/sh
# The suite as a newcomer runs it: the committed HEAD cloned into a new empty
# temporary folder (nothing beside it, no ../shared, no build/ to reuse), then
# `make test` there. Exits with make's status; the folder is removed.
#
# Usage: ci/fresh-clone.sh   (make fresh-clone-test)
# Uncommitted changes are not in the clone: commit first.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
head=$(git -C "$repo" rev-parse HEAD)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cbench-fresh.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A worktree clones as its repository: check out this worktree's commit.
git clone --quiet --no-checkout "$repo" "$tmp/cbench"
git -C "$tmp/cbench" checkout --quiet --detach "$head"
echo "fresh-clone: $head in $tmp/cbench"
status=0
(cd "$tmp/cbench" && make test) || status=$?
echo "fresh-clone: make test exited $status"
exit "$status"
