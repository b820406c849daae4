# e2e_lib.sh - sourced by the end-to-end tests.
# Environment (set by `make check`): VTSIM, SQLITE3, top_srcdir.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${VTSIM:=$top_srcdir/vtsim}"
: "${SQLITE3:=sqlite3}"
export VTSIM_DATADIR="$top_srcdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtsim-e2e-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

ok()   { echo "ok: $*"; }
bad()  { echo "FAIL: $*"; fails=$((fails + 1)); }
# check DESCRIPTION ACTUAL EXPECTED
check() { if [ "$2" = "$3" ]; then ok "$1 ($2)"; else bad "$1: got '$2', want '$3'"; fi; }
q()    { "$SQLITE3" "$1" "$2"; }
# Measured-region value of a stat: roi-end minus warmup-end.
stat() {
    q "$1" "SELECT (SELECT value FROM stat_values WHERE name = '$2' AND prefix = 'roi-end') - (SELECT value FROM stat_values WHERE name = '$2' AND prefix = 'warmup-end');"
}
finish() {
    if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed"; exit 1; fi
    exit 0
}
if ! command -v "$SQLITE3" >/dev/null 2>&1; then
    echo "sqlite3 command-line tool not found: skipped"; exit 77
fi
