#!/bin/sh
# `make valgrind`: the whole unit suite under memcheck. Every process is
# followed: Criterion's runner and the worker it starts per test, and the
# programs the tests start (benchmark programs, the cbench tool), with their
# benchmark children; each writes its own log (%p: its pid) so that no
# report mixes into the output the tests read. Not followed (not ours, and
# slow under valgrind): anything under /usr, /bin and /sbin (git, nm,
# xmllint, chromium, nginx, the shell, the compiler).
#
# Fails when the suite fails or when any log holds an error or a definite or
# indirect leak; suppressions (third-party code only) in ci/valgrind.supp.
# Usage: ci/valgrind.sh BUILD_DIR
set -u
build=${1:-build}
logs=$(pwd)/$build/valgrind
rm -rf "$logs"
mkdir -p "$logs"
# One test per CPU: each process writes its own log, so nothing mixes
# (Criterion warns that its own report may look confused under valgrind
# with jobs set; it does not). VALGRIND_JOBS overrides.
jobs=${VALGRIND_JOBS:-$(nproc 2>/dev/null || echo 1)}
start=$(date +%s)
# shellcheck disable=SC2086 # CRITERION_ARGS holds several options
valgrind --tool=memcheck --error-exitcode=99 \
	--leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect \
	--track-origins=no --num-callers=30 \
	--suppressions="$(pwd)/ci/valgrind.supp" \
	--trace-children=yes \
	--trace-children-skip='/usr/*,/bin/*,/sbin/*' \
	--log-file="$logs/%p.log" \
	"$build/tests/unit" --jobs "$jobs" ${CRITERION_ARGS:-}
status=$?
end=$(date +%s)
# A process killed by SIGKILL (a benchmark past its timeout, what a
# forking benchmark left behind) ends without a summary: counted apart.
bad=$(grep -lE 'ERROR SUMMARY: [1-9]' "$logs"/*.log 2>/dev/null)
n=$(find "$logs" -name '*.log' | wc -l)
killed=$(grep -L 'ERROR SUMMARY' "$logs"/*.log 2>/dev/null | wc -l)
if [ -n "$bad" ]; then
	echo "valgrind: errors in:" >&2
	for f in $bad; do
		echo "== $f" >&2
		grep -v '^==[0-9]*== *$' "$f" | head -60 >&2
	done
	status=1
fi
echo "valgrind: $n processes checked ($killed killed before their summary) in $((end - start)) s, exit status $status"
exit $status
