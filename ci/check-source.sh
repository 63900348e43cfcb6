#!/bin/sh
# Fails when library, reporter or tool code calls a function we ban: no shell
# ever sees interpolated text (system, popen), no unbounded string writes
# (sprintf, strcat, strcpy, strtok), no shared static time buffers
# (gmtime, localtime, ctime, asctime: use the _r forms).
set -eu
cd "$(dirname "$0")/.."
pattern='\b(sprintf|vsprintf|strcat|strcpy|strtok|gmtime|localtime|ctime|asctime|system|popen|gets)[[:space:]]*\('
# Every .c and .h below framework/ and reporters/, subfolders included.
if find framework reporters \( -name '*.c' -o -name '*.h' \) -print0 |
	xargs -0 grep -nE "$pattern"; then
	echo "check-source: banned function above (see ci/check-source.sh)" >&2
	exit 1
fi
echo "check-source: no banned functions"
