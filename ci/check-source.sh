#!/bin/sh
# Fails when our code calls a function we ban.
# - Every C source (framework, reporters, benchmarks, fixtures, tests): no
#   shell ever sees interpolated text, so no system(), popen() or
#   execl*("sh"/"/bin/sh"); programs are started from argv vectors.
# - ci/*.sh: no eval, no sh -c "$var" (a variable's text run as a script).
# - framework/ and reporters/ also: no unbounded string writes (sprintf,
#   strcat, strcpy, strtok), no shared static time buffers (gmtime,
#   localtime, ctime, asctime: use the _r forms), no gets.
set -eu
cd "$(dirname "$0")/.."
status=0
shell='\b(system|popen)[[:space:]]*\(|\bexecl[pe]?[[:space:]]*\([[:space:]]*"(/bin/)?sh"'
banned='\b(sprintf|vsprintf|strcat|strcpy|strtok|gmtime|localtime|ctime|asctime|gets)[[:space:]]*\('
dirs=
for d in framework reporters benchmarks fixtures tests; do
	[ -d "$d" ] && dirs="$dirs $d"
done
# shellcheck disable=SC2086 # $dirs: folder names, no spaces
if [ -n "$dirs" ] && find $dirs \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print0 |
	xargs -0 -r grep -HnE "$shell"; then
	echo "check-source: a shell call above: start programs from an argv vector" >&2
	status=1
fi
# This script names what it looks for: it is not searched.
scripts=$(find ci -name '*.sh' ! -name check-source.sh | sort)
# shellcheck disable=SC2086 # $scripts: file names, no spaces
if [ -n "$scripts" ] &&
	grep -HnE '(^|[;&|[:space:]])eval[[:space:]]|sh[[:space:]]+-c[[:space:]]+"?\$' $scripts; then
	echo "check-source: eval or sh -c \"\$var\" above, in ci/" >&2
	status=1
fi
if find framework reporters \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null |
	xargs -0 -r grep -HnE "$banned"; then
	echo "check-source: banned function above (see ci/check-source.sh)" >&2
	status=1
fi
[ "$status" -eq 0 ] && echo "check-source: no banned functions"
exit "$status"
