#!/bin/sh
# Installs what cbench needs to build, test and benchmark on Debian or
# Ubuntu. With --if-missing it does nothing when pkg-config already finds
# every library and the tools are on PATH (that is how `make` calls it).
# Not root: uses sudo; without sudo, prints the exact command to run.
set -eu

PACKAGES="build-essential pkg-config libjansson-dev libcriterion-dev \
libcurl4-openssl-dev libgit2-dev libsqlite3-dev libxml2-utils \
libbenchmark-dev libjs-dygraphs chromium"
PKGCONFIG_MODULES="jansson criterion libgit2 libcurl sqlite3 benchmark"
TOOLS="cc c++ make pkg-config xmllint"
# Files of packages pkg-config does not know about.
FILES="/usr/share/javascript/dygraphs/dygraph.min.js /usr/bin/chromium"

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

if [ "${1:-}" = "--if-missing" ] && ! missing; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here; install the equivalents of:" >&2
	echo "  $PACKAGES" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: not root and no sudo; as root, run:" >&2
	echo "  apt-get update && apt-get install -y $PACKAGES" >&2
	exit 1
fi

echo "install-deps: installing $PACKAGES"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is wanted
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
