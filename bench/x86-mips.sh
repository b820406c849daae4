#!/bin/sh
# bench/x86-mips.sh - simulated MIPS of the x86 core on the compute image
# (workloads/x86/compute.elf), with the in-order and the functional core
# model, and the same image on QEMU TCG measured in the same run.
#
# Usage: bench/x86-mips.sh [BUILDDIR]   (default: the current directory)
#
# vtsim's figure is its own: instructions retired / wall time of the
# simulation loop (the summary line of `vtsim run --image`), best of 3.
# QEMU does not count instructions, so its MIPS is vtsim's instruction count
# for the image divided by QEMU's net wall time: the time to boot compute
# minus the time to boot triple (an image that stops after a few thousand
# instructions), which removes QEMU's start-up and firmware; best of 3.
set -eu
b=${1:-.}
img=$b/workloads/x86/compute.elf
base=$b/workloads/x86/triple.elf
here=$(cd "$(dirname "$0")/.." && pwd)
qemu=${QEMU:-qemu-system-x86_64}

best_vtsim() {        # model -> "MIPS insns rss"
    best=0; insns=0; rss=0
    for _ in 1 2 3; do
        line=$("$b/vtsim" run --image "$img" -o core.model="$1" \
                   -o run.progress=off --db "$tmp/b.db" 2>&1 >/dev/null |
               grep 'exited after')
        m=$(echo "$line" | sed 's/.* \([0-9.]*\) MIPS.*/\1/')
        insns=$(echo "$line" | sed 's/.*exited after \([0-9]*\) instr.*/\1/')
        rss=$(echo "$line" | sed 's/.*peak RSS \([0-9.]*\) MiB.*/\1/')
        best=$(echo "if ($m > $best) $m else $best" | bc -l)
    done
    echo "$best $insns $rss"
}

wall() {              # image -> best wall seconds of 3 QEMU TCG boots
    best=1000
    for _ in 1 2 3; do
        t0=$(date +%s.%N)
        QEMU_EXTRA="-accel tcg" sh "$here/workloads/x86/run-qemu.sh" "$1" \
            >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        best=$(echo "t = $t1 - $t0; if (t < $best) t else $best" | bc -l)
    done
    echo "$best"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -- $(best_vtsim inorder)
ino=$1; insns=$2; rss_i=$3
set -- $(best_vtsim functional)
fun=$1; rss_f=$3
printf 'x86 compute (%s instructions): in-order %.1f MIPS (goal 30), functional %.1f MIPS (goal 100); peak RSS %s / %s MiB\n' \
    "$insns" "$ino" "$fun" "$rss_i" "$rss_f"
if command -v "$qemu" >/dev/null 2>&1; then
    tc=$(wall "$img")
    tt=$(wall "$base")
    net=$(echo "$tc - $tt" | bc -l)
    if [ "$(echo "$net > 0.001" | bc -l)" = 1 ]; then
        q=$(echo "$insns / $net / 1000000" | bc -l)
        printf 'qemu TCG: compute %.3f s, triple %.3f s, net %.3f s = %.0f MIPS; vtsim/QEMU: in-order %.3f, functional %.3f\n' \
            "$tc" "$tt" "$net" "$q" "$(echo "$ino / $q" | bc -l)" \
            "$(echo "$fun / $q" | bc -l)"
    else
        echo "qemu TCG: compute $tc s, triple $tt s: too close to separate from start-up"
    fi
else
    echo "qemu TCG: $qemu not found: no ratio"
fi
