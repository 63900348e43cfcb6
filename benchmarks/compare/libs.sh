# shellcheck shell=sh disable=SC2034 # CBENCH_LIBS is for the sourcing script
# Sourced by run.sh and verdicts_tools.sh (with ROOT set): CBENCH_LIBS,
# the link flags of libcbench.a's dependencies. `make compare` and `make
# compare-verdicts` pass the Makefile's DEPS (libpq included where it was
# found); run by hand, the Makefile's first DEPS line, plus libpq where
# pkg-config knows it.
if [ -z "${DEPS:-}" ]; then
	DEPS=$(sed -n 's/^DEPS[[:space:]]*:=[[:space:]]*//p' "$ROOT/Makefile" | head -n 1)
	if pkg-config --exists libpq 2>/dev/null; then
		DEPS="$DEPS libpq"
	fi
fi
# shellcheck disable=SC2086 # a list of pkg-config names
CBENCH_LIBS=$(pkg-config --libs ${DEPS:-jansson})
