#!/bin/sh
# workloads/x86/check-qemu.sh: boot every x86 image on QEMU and compare its
# serial output (without "# " lines) with expected/NAME.out and its exit
# status with expected/NAME.status.  Prints "ok"/"FAIL" per image and a
# closing "N passed, N failed" line; exits 0 when all pass, 1 otherwise and
# 77 (automake's "skipped") when qemu-system-x86_64 is missing.
#
# Usage: check-qemu.sh [BUILDDIR [SRCDIR]]
# BUILDDIR holds workloads/x86/NAME.elf, SRCDIR workloads/x86/expected/.
# Defaults: $top_builddir and $top_srcdir (exported by `make check`), else
# the current directory and the tree this script is in.
set -u

here=$(cd "$(dirname "$0")" && pwd)
builddir=${1:-${top_builddir:-.}}
srcdir=${2:-${top_srcdir:-$(cd "$here/../.." && pwd)}}
x86src=$srcdir/workloads/x86
qemu=${QEMU:-qemu-system-x86_64}

if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "SKIP: $qemu not found (Debian: apt-get install qemu-system-x86)"
    exit 77
fi
if [ ! -d "$x86src/expected" ]; then
    echo "FAIL: $x86src/expected: no such directory"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-qemu-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
for exp in "$x86src"/expected/*.out; do
    name=$(basename "$exp" .out)
    img=$builddir/workloads/x86/$name.elf
    want=$(cat "$x86src/expected/$name.status" 2>/dev/null) || want=missing
    if [ ! -f "$img" ]; then
        echo "FAIL $name: $img not built"
        fail=$((fail + 1))
        continue
    fi
    sh "$x86src/run-qemu.sh" "$img" \
        >"$tmp/$name.out" 2>"$tmp/$name.err"
    got=$?
    if [ "$got" = "$want" ] && cmp -s "$exp" "$tmp/$name.out"; then
        echo "ok   $name (exit status $got)"
        pass=$((pass + 1))
    else
        echo "FAIL $name (exit status $got, expected $want)"
        diff -u "$exp" "$tmp/$name.out" | sed 's/^/    /'
        sed 's/^/    stderr: /' "$tmp/$name.err"
        fail=$((fail + 1))
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
