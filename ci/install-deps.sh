#!/bin/sh
# Installs what cbench needs to build, test and benchmark on Debian or
# Ubuntu. With --if-missing it does nothing when pkg-config already finds
# every library and the tools and files are there (that is how `make` calls
# it). Not root: uses sudo; without sudo, prints the exact command to run.
#
# Chromium is optional: the browser tests of the dashboard skip, saying
# why, where it cannot be installed, so failing to install it is a warning.
# So is the PostgreSQL server, which the history's PostgreSQL tests start
# on their own (its binaries are in /usr/lib/postgresql/VERSION/bin).
set -eu

PACKAGES="build-essential pkg-config libjansson-dev libcriterion-dev \
libcurl4-openssl-dev libgit2-dev libsqlite3-dev libxml2-utils \
libbenchmark-dev libjs-dygraphs libpq-dev"
OPTIONAL="chromium postgresql"
PKGCONFIG_MODULES="jansson criterion libgit2 libcurl sqlite3 benchmark libpq"
TOOLS="cc c++ make pkg-config xmllint"
# Files of packages pkg-config does not know about.
FILES="/usr/share/javascript/dygraphs/dygraph.min.js"
OPTIONAL_FILES="/usr/bin/chromium /usr/lib/postgresql/*/bin/pg_ctl"

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
	echo "install-deps: installing $OPTIONAL (optional: for the dashboard's browser tests" \
		"and the PostgreSQL history tests)"
	[ "$updated" = yes ] || apt update -qq || true
	for p in $OPTIONAL; do
		apt install -y -qq --no-install-recommends "$p" ||
			echo "install-deps: warning: could not install $p; the tests that need it will skip" >&2
	done
fi
