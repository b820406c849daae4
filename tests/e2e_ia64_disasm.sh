#!/bin/sh
# tests/e2e_ia64_disasm.sh - `vtsim disasm --isa ia64 OBJECT` against GNU
# objdump, end to end through the real vtsim binary.
#
# Assembles every workloads/ia64/*.S with ia64-linux-gnu-as, runs
# `vtsim disasm --isa ia64` and `ia64-linux-gnu-objdump -d
# --no-show-raw-insn` on the object, brings both outputs to the normal
# form of tests/ia64-objdump.sh ("section NAME" per code section, then
# "ADDR:\tTEXT" per slot: leading blanks, symbol label lines and the
# " <sym+off>" suffix of branch targets dropped) and requires them to be
# identical.  The file-format and section header lines must match
# verbatim too.  Then the error paths: a missing file, a file that is not
# ELF and an ELF file of another machine all exit with status 2 and a
# message naming the file.
#
# Exit status: 0 pass, 1 fail, 77 (automake SKIP) without
# ia64-linux-gnu-as/objdump (Debian: binutils-ia64-linux-gnu), 99 when
# vtsim is missing or a source does not assemble.
# Environment: VTSIM, top_srcdir (exported by `make check`); IA64_AS and
# IA64_OBJDUMP override the tools.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
vtsim=${VTSIM:-$srcdir/vtsim}
as=${IA64_AS:-ia64-linux-gnu-as}
objdump=${IA64_OBJDUMP:-ia64-linux-gnu-objdump}

if ! command -v "$as" >/dev/null 2>&1; then
    echo "SKIP: $as not found (Debian: apt-get install binutils-ia64-linux-gnu)"
    exit 77
fi
if ! command -v "$objdump" >/dev/null 2>&1; then
    echo "SKIP: $objdump not found"
    exit 77
fi
if [ ! -x "$vtsim" ]; then
    echo "ERROR: $vtsim not built"
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/e2e-ia64-disasm-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0

# The normal form of tests/ia64-objdump.sh, applied to both sides.
normal() {
    awk '
        /^Disassembly of section / {
            s = $4; sub(/:$/, "", s); print "section " s; next
        }
        /^ *[0-9a-f]+:\t/ {
            sub(/^ +/, ""); gsub(/ <[^>]*>/, ""); sub(/[ \t]+$/, "")
            print
        }' "$1"
}

files=0
for src in "$srcdir"/workloads/ia64/*.S; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .S)
    obj=$tmp/$name.o
    files=$((files + 1))
    # -xnone: the corpus lists instruction forms, not a runnable program.
    if ! "$as" -xnone -o "$obj" "$src" 2>"$tmp/$name.as.err"; then
        echo "ERROR: $src does not assemble:"
        sed 's/^/    /' "$tmp/$name.as.err"
        exit 99
    fi
    "$objdump" -d --no-show-raw-insn "$obj" >"$tmp/$name.objdump"
    if ! "$vtsim" disasm --isa ia64 "$obj" >"$tmp/$name.vtsim" \
            2>"$tmp/$name.err"; then
        echo "FAIL: $name: vtsim disasm --isa ia64 failed: $(cat "$tmp/$name.err")"
        fails=$((fails + 1))
        continue
    fi
    normal "$tmp/$name.objdump" >"$tmp/$name.want"
    normal "$tmp/$name.vtsim" >"$tmp/$name.got"
    slots=$(grep -vc '^section ' "$tmp/$name.want")
    if [ "$slots" -eq 0 ]; then
        echo "FAIL: $name: objdump printed no instructions"
        fails=$((fails + 1))
    elif diff -u "$tmp/$name.want" "$tmp/$name.got" >"$tmp/$name.diff"; then
        echo "ok: $name: $slots slots identical to objdump"
    else
        echo "FAIL: $name: vtsim and objdump disagree (- objdump, + vtsim):"
        head -40 "$tmp/$name.diff" | sed 's/^/    /'
        fails=$((fails + 1))
    fi
    grep -e 'file format' -e '^Disassembly of section' \
        "$tmp/$name.objdump" >"$tmp/$name.hwant"
    grep -e 'file format' -e '^Disassembly of section' \
        "$tmp/$name.vtsim" >"$tmp/$name.hgot"
    if cmp -s "$tmp/$name.hwant" "$tmp/$name.hgot"; then
        echo "ok: $name: header and section lines as objdump"
    else
        echo "FAIL: $name: header or section lines differ from objdump"
        fails=$((fails + 1))
    fi
done
if [ "$files" -eq 0 ]; then
    echo "ERROR: no sources in $srcdir/workloads/ia64"
    exit 99
fi

# expect_bad FILE PATTERN: exit status 2, a message naming FILE.
expect_bad() {
    "$vtsim" disasm --isa ia64 "$1" >"$tmp/bad.out" 2>"$tmp/bad.err"
    st=$?
    if [ "$st" -ne 2 ]; then
        echo "FAIL: $1: exit status $st, want 2"
        fails=$((fails + 1))
    elif ! grep -q -- "$1.*$2" "$tmp/bad.err"; then
        echo "FAIL: $1: message '$(cat "$tmp/bad.err")' lacks the file name or '$2'"
        fails=$((fails + 1))
    elif [ -s "$tmp/bad.out" ]; then
        echo "FAIL: $1: printed a listing"
        fails=$((fails + 1))
    else
        echo "ok: $1 rejected: $(cat "$tmp/bad.err")"
    fi
}

expect_bad "$tmp/no-such.o" "No such file"
printf 'not an object\n' >"$tmp/text.o"
expect_bad "$tmp/text.o" "not an ELF file"
expect_bad "$vtsim" "not an IA-64 object"
head -c 200 "$obj" >"$tmp/short.o"
expect_bad "$tmp/short.o" "section"

if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "PASS: $files objects"
exit 0
