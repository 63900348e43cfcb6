#!/bin/sh
# The pull-request job in A/B mode (CBENCH_AB=1, docs/ci.md): builds the
# pull request's merge base in a git worktree and runs `cbench ab` with it
# as BASE and this checkout's build as HEAD, on the same runner, so the
# verdict does not depend on baselines recorded on another machine.
# Writes results.json, report.md, report.html and status into OUT, as
# ci/bench-pr.sh does, for ci/post-results.sh.
#
# Usage: ci/bench-ab.sh OUT [cbench ab OPTIONS...]
#
# Environment: CBENCH_BENCH (build/bench), CBENCH_TOOL (build/cbench),
# CBENCH_AB_BASE (the base commit; default: git merge-base HEAD
# origin/$GITHUB_BASE_REF, fetched as deep as needed), CBENCH_AB_MAKE (the
# arguments of the `make` that builds the base in its worktree, split at
# spaces and never read by a shell: -j2 lib build/bench),
# CBENCH_AB_BASE_BENCH (the runner it builds, in the worktree: build/bench),
# BENCHMARK_MODE (standard), CBENCH_AB_REPETITIONS (5).
# Exit status: cbench ab's (0 no regression, 1 a regression or a failed
# benchmark, 2 configuration error, also when the base cannot be built).
set -u

out=${1:?usage: ci/bench-ab.sh OUT [cbench ab OPTIONS...]}
shift
bench=${CBENCH_BENCH:-build/bench}
tool=${CBENCH_TOOL:-build/cbench}
make_args=${CBENCH_AB_MAKE:--j2 lib build/bench}
base_bench=${CBENCH_AB_BASE_BENCH:-build/bench}
mkdir -p "$out" || exit 2

# The merge base: what the pull request's head would be measured against
# once merged. A shallow checkout (actions/checkout's default) has no
# history to find it in, so deepen until it appears.
base=${CBENCH_AB_BASE:-}
if [ -z "$base" ]; then
	ref=${GITHUB_BASE_REF:-main}
	git fetch -q --no-tags origin "+refs/heads/$ref:refs/remotes/origin/$ref" 2>/dev/null
	base=$(git merge-base HEAD "origin/$ref" 2>/dev/null)
	if [ -z "$base" ] && [ "$(git rev-parse --is-shallow-repository)" = true ]; then
		git fetch -q --no-tags --unshallow origin 2>/dev/null
		base=$(git merge-base HEAD "origin/$ref" 2>/dev/null)
	fi
	if [ -z "$base" ]; then
		echo "bench-ab: error: no merge base of HEAD and origin/$ref" >&2
		echo 2 >"$out/status"
		exit 2
	fi
fi

tree=$(mktemp -d "${TMPDIR:-/tmp}/cbench-ab-base.XXXXXX") || exit 2
rmdir "$tree"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { git worktree remove --force "$tree" >/dev/null 2>&1; rm -rf "$tree"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! git worktree add -q --detach "$tree" "$base"; then
	echo "bench-ab: error: cannot check out $base in a worktree" >&2
	echo 2 >"$out/status"
	exit 2
fi
echo "bench-ab: building the merge base $base in $tree"
# The base is code of this repository's past, built without the token too.
# The arguments are split into words, globbing off, and given to make as
# they are: no shell reads them.
set -f
# shellcheck disable=SC2086 # word splitting of the make arguments is wanted
if ! (cd "$tree" && unset GITHUB_TOKEN GH_TOKEN && exec make $make_args) \
	>"$out/base-build.log" 2>&1; then
	echo "bench-ab: error: the merge base does not build (see $out/base-build.log)" >&2
	echo 2 >"$out/status"
	exit 2
fi
set +f

status=0
(unset GITHUB_TOKEN GH_TOKEN; exec "$tool" ab "$tree/$base_bench" "$bench" \
	--mode "${BENCHMARK_MODE:-standard}" --repetitions "${CBENCH_AB_REPETITIONS:-5}" \
	--json "$out/results.json" --markdown "$out/report.md" "$@") || status=$?
CBENCH_TOOL=$tool sh "$(dirname "$0")/finish-job.sh" "$out" "$status" bench-ab
