#!/bin/sh
# tests/ia64-objdump.sh - differential test of vtsim's IA-64 decoder and
# disassembler against GNU objdump on whole object files.
#
# Assembles every workloads/ia64/*.S with ia64-linux-gnu-as, disassembles
# the object with `ia64-linux-gnu-objdump -d --no-show-raw-insn` and with
# tests/ia64_disasm_check (isa/ia64_disasm.c), normalizes objdump's
# output and compares the two line by line.  Every slot line of every
# bundle of every executable section is compared.
#
# Normal form (both sides): "section NAME" per code section, then per
# slot "ADDR:\tTEXT" with ADDR in lowercase hex without padding and TEXT
# the instruction part of objdump's line (template tag, predicate,
# mnemonic, operands, ";;").  From objdump's side the leading blanks of
# the address, the symbol label lines and the symbolic " <sym+off>"
# suffix of branch targets are dropped (vtsim prints targets as bare hex).
#
# Prints "MISMATCH" with section, bundle address and slot for every line
# that differs, then a summary per file.  Exit status: 0 all equal,
# 1 mismatches, 77 (automake SKIP) without ia64-linux-gnu-as/objdump,
# 99 (hard error) when the driver is missing or a source fails to
# assemble.
#
# Environment: top_srcdir, top_builddir (exported by `make check`);
# IA64_AS, IA64_OBJDUMP and IA64_DISASM_CHECK override the tools.
set -u

here=$(cd "$(dirname "$0")" && pwd)
srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
builddir=${top_builddir:-$srcdir}
as=${IA64_AS:-ia64-linux-gnu-as}
objdump=${IA64_OBJDUMP:-ia64-linux-gnu-objdump}
check=${IA64_DISASM_CHECK:-$builddir/tests/ia64_disasm_check}

if ! command -v "$as" >/dev/null 2>&1; then
    echo "SKIP: $as not found (Debian: apt-get install binutils-ia64-linux-gnu)"
    exit 77
fi
if ! command -v "$objdump" >/dev/null 2>&1; then
    echo "SKIP: $objdump not found"
    exit 77
fi
if [ ! -x "$check" ]; then
    echo "ERROR: $check not built (make tests/ia64_disasm_check)"
    exit 99
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ia64-objdump-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

total_bad=0
files=0
for src in "$srcdir"/workloads/ia64/*.S; do
    [ -f "$src" ] || continue
    name=$(basename "$src" .S)
    obj=$tmp/$name.o
    files=$((files + 1))
    # -xnone: no dependency-violation checking; the corpus lists
    # instructions for coverage, not as a runnable program.
    if ! "$as" -xnone -o "$obj" "$src" 2>"$tmp/$name.as.err"; then
        echo "ERROR: $src does not assemble:"
        sed 's/^/    /' "$tmp/$name.as.err"
        exit 99
    fi
    "$objdump" -d --no-show-raw-insn "$obj" | awk '
        /^Disassembly of section / {
            s = $4; sub(/:$/, "", s); print "section " s; next
        }
        /^ *[0-9a-f]+:\t/ {
            sub(/^ +/, ""); gsub(/ <[^>]*>/, ""); sub(/[ \t]+$/, "")
            print
        }' >"$tmp/$name.want"
    if ! "$check" "$obj" >"$tmp/$name.got"; then
        echo "ERROR: $check failed on $obj"
        exit 99
    fi
    awk -v file="$name" '
        function hex(s,    i, v) {
            v = 0; s = tolower(s)
            for (i = 1; i <= length(s); i++)
                v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
            return v
        }
        NR == FNR { want[FNR] = $0; nw = FNR; next }
        { got[FNR] = $0; ng = FNR }
        END {
            n = nw > ng ? nw : ng; bad = 0; sec = "?"; slots = 0
            bundles = 0; insns = 0
            for (i = 1; i <= n; i++) {
                w = (i in want) ? want[i] : "<missing line>"
                g = (i in got) ? got[i] : "<missing line>"
                if (w ~ /^section /) { sec = substr(w, 9); continue }
                slots++
                t = w; sub(/^[^\t]*\t/, "", t)
                if (substr(t, 1, 1) == "[") bundles++
                if (t !~ /(nop\.[mifbx]|data8) /) insns++
                if (w == g) continue
                bad++
                a = w; sub(/:.*/, "", a); v = hex(a)
                printf "MISMATCH %s %s bundle 0x%x slot %d\n", \
                    file, sec, v - v % 16, int((v % 16) / 6)
                printf "    objdump: %s\n    vtsim:   %s\n", w, g
            }
            printf "%s: %d bundles, %d slots, %d non-nop instructions, " \
                "%d mismatches\n", file, bundles, slots, insns, bad
            exit bad ? 1 : 0
        }' "$tmp/$name.want" "$tmp/$name.got"
    rc=$?
    if [ $rc -ne 0 ]; then
        total_bad=$((total_bad + 1))
    fi
done

if [ "$files" -eq 0 ]; then
    echo "ERROR: no sources in $srcdir/workloads/ia64"
    exit 99
fi
if [ "$total_bad" -ne 0 ]; then
    echo "FAIL: $total_bad of $files files disagree with objdump"
    exit 1
fi
echo "PASS: $files files, every slot identical to objdump"
exit 0
