#!/bin/sh
# workloads/x86/run-qemu.sh: boot one vtsim x86 image on QEMU the way
# `vtsim run --image` boots it: Multiboot through -kernel, COM1 on stdout,
# isa-debug-exit at port 0xF4, no reboot after a triple fault.
#
# Usage: run-qemu.sh [-r] IMAGE
#   -r   raw: keep the lines starting with "# " (cycle figures)
# Environment: QEMU (default qemu-system-x86_64), QEMU_TIMEOUT in seconds
# (default 30), QEMU_EXTRA (more QEMU options, e.g. "-d int,cpu_reset").
#
# stdout: the serial output without lines starting with "# ".
# stderr: QEMU's own messages, then "run-qemu: IMAGE: exit status N".
# Exit status: QEMU's.  exit(code) in the image gives (code << 1) | 1; a
# triple fault gives 0 (QEMU resets, -no-reboot turns that into an exit);
# 124 is a timeout, 127 a missing QEMU, 2 a usage error.
set -u

raw=no
if [ "${1:-}" = "-r" ]; then
    raw=yes
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: $0 [-r] IMAGE" >&2
    exit 2
fi
img=$1
if [ ! -f "$img" ]; then
    echo "run-qemu: $img: no such file" >&2
    exit 2
fi
qemu=${QEMU:-qemu-system-x86_64}
if ! command -v "$qemu" >/dev/null 2>&1; then
    echo "run-qemu: $qemu not found (Debian: apt-get install qemu-system-x86)" >&2
    exit 127
fi

out=$(mktemp "${TMPDIR:-/tmp}/run-qemu-XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT

# shellcheck disable=SC2086  # QEMU_EXTRA is a list of options
timeout "${QEMU_TIMEOUT:-30}" "$qemu" -kernel "$img" \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -serial stdio -display none -no-reboot ${QEMU_EXTRA:-} \
    </dev/null >"$out"
status=$?

if [ "$raw" = yes ]; then
    cat "$out"
else
    grep -v '^# ' "$out"
fi
echo "run-qemu: $img: exit status $status" >&2
exit $status
