#!/bin/sh
# Runs every libFuzzer target in DIR for SECONDS each, from its committed
# seeds (tests/fuzz/corpus/NAME/, never written to: what the fuzzer finds
# goes to a scratch corpus), and prints one line per target: executions,
# seconds, the corpus it grew to, and whether it found a crash (saved under
# build-fuzz/crashes/). Exits 1 when any target crashed.
#
# Usage: ci/fuzz.sh DIR SECONDS
set -eu
dir=${1:?usage: ci/fuzz.sh DIR SECONDS}
secs=${2:?usage: ci/fuzz.sh DIR SECONDS}
case $secs in *[!0-9]*|'') echo "fuzz: SECONDS must be a whole number, not '$secs'" >&2; exit 2 ;; esac
root=$(dirname "$dir")
mkdir -p "$root/crashes" "$root/scratch"
status=0
printf '%-12s %12s %8s %8s  %s\n' target executions seconds corpus result
for bin in "$dir"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	scratch="$root/scratch/$name"
	log="$root/$name.log"
	mkdir -p "$scratch"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$root/crashes/$name-" "$scratch" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
		result=ok
	else
		result="CRASH (see $log)"
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	files=$(find "$scratch" "tests/fuzz/corpus/$name" -type f | wc -l)
	printf '%-12s %12s %8s %8s  %s\n' "$name" "${execs:-?}" "${took:-$secs}" "$files" "$result"
done
exit $status
