#!/bin/sh
# Fails when an #include in framework/ or reporters/ points the wrong way or
# when the includes form a cycle (docs/design.md, "The layout").
#
# Each folder has a rank; a file may include headers of its own folder and of
# folders of a lower rank, never of its rank or higher. Folders of one rank
# are siblings that know nothing of each other. The public headers
# (framework/include/) may be included from anywhere.
#
# Usage: ci/check-includes.sh [ROOT]   (ROOT defaults to the repository)
#
# ci/includes.allow (optional) lists "file include" pairs still to be fixed;
# each one is reported as a warning rather than an error.
set -eu
root=${1:-"$(dirname "$0")/.."}
cd "$root"

ranks='base 0
stats 1
model 2
env 3
net 3
measure 4
gate 5
history 6
reporters 7
app 8
tool 9'

files=$(find framework reporters -path framework/include -prune -o \
	\( -name '*.c' -o -name '*.h' \) -print | sort)
[ -n "$files" ] || { echo "check-includes: no sources found" >&2; exit 1; }

# One line per include: "file folder included"
allow=""
[ -f ci/includes.allow ] && allow=$(grep -v '^#' ci/includes.allow || true)
# shellcheck disable=SC2086 # one word per file; paths have no spaces
grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' $files |
awk -v ranks="$ranks" -v allow="$allow" '
BEGIN {
	n = split(ranks, lines, "\n")
	for (i = 1; i <= n; i++) { split(lines[i], kv, " "); rank[kv[1]] = kv[2] + 0 }
	bad = 0
	m = split(allow, al, "\n")
	for (i = 1; i <= m; i++) allowed[al[i]] = 1
}
function folder_of(path,   parts) {
	if (path ~ /^reporters\//) return "reporters"
	split(path, parts, "/")
	return parts[2]
}
{
	colon = index($0, ":"); file = substr($0, 1, colon - 1)
	rest = substr($0, colon + 1); colon = index(rest, ":"); line = substr(rest, 1, colon - 1)
	inc = rest; sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
	from = folder_of(file)
	if (!(from in rank)) { printf "%s:%s: folder \"%s\" has no rank in ci/check-includes.sh\n", file, line, from; bad = 1; next }
	if (inc ~ /^cbench[\/.]/ || inc ~ /^\.\.\/cbench\.h$/) next
	if (index(inc, "/") == 0) {
		printf "%s:%s: include \"%s\" must name its folder (\"base/buf.h\")\n", file, line, inc; bad = 1; next
	}
	split(inc, p, "/"); to = p[1]
	if (!(to in rank)) { printf "%s:%s: include \"%s\": unknown folder \"%s\"\n", file, line, inc, to; bad = 1; next }
	if (to != from && rank[to] >= rank[from]) {
		if ((file " " inc) in allowed) {
			printf "%s:%s: warning: wrong-way include \"%s\" (listed in ci/includes.allow)\n", file, line, inc
			next
		}
		printf "%s:%s: wrong-way include \"%s\": %s (rank %d) may not include %s (rank %d)\n", \
			file, line, inc, from, rank[from], to, rank[to]
		bad = 1
	}
	# A .c and its .h are one module; modules are the nodes of the graph.
	target = (to == "reporters") ? inc : "framework/" inc
	sub(/\.[ch]$/, "", target); mod = file; sub(/\.[ch]$/, "", mod)
	if (target != mod) edge[mod] = edge[mod] " " target
}
function visit(f,   m, i, list) {
	if (state[f] == 1) { printf "include cycle through %s\n", f; bad = 1; return }
	if (state[f] == 2) return
	state[f] = 1
	m = split(edge[f], list, " ")
	for (i = 1; i <= m; i++) {
		visit(list[i])
	}
	state[f] = 2
}
END {
	for (f in edge) visit(f)
	exit bad
}' || { echo "check-includes: fix the includes above (docs/design.md, \"The layout\")" >&2; exit 1; }
echo "check-includes: includes flow one way"
