#!/bin/sh
# e2e_images.sh - the x86 guest images as vtsim reads them: each loads as a
# Multiboot image and `vtsim disasm` decodes its entry code the way the
# boot code was written (cli; cld; ...; lgdt; far jmp to the 32-bit code
# selector).  Running them is the x86 core's job (next); check-qemu.sh
# boots them on QEMU.
. "$(dirname "$0")/e2e_lib.sh"
: "${top_builddir:=$top_srcdir}"

for img in compute stream chase syscall pagefault cpuid triple; do
    elf=$top_builddir/workloads/x86/$img.elf
    if [ ! -f "$elf" ]; then bad "$img.elf was not built"; continue; fi
    "$VTSIM" disasm "$elf" --bytes 32 > "$tmp/$img.dis" 2> "$tmp/$img.err"
    check "$img: disasm exit" $? 0
    first=$(head -n 1 "$tmp/$img.dis" | sed 's/.*  //')
    check "$img: first instruction" "$first" cli
    grep -q "lgdt" "$tmp/$img.dis" && ok "$img: lgdt" || bad "$img: no lgdt in $(cat "$tmp/$img.dis")"
    grep -q "jmp far 0x0030:" "$tmp/$img.dis" && ok "$img: far jump" || bad "$img: no far jmp"
done
# A file that is no image is refused with a message and status 2.
printf 'not an image\n' > "$tmp/bad.elf"
"$VTSIM" disasm "$tmp/bad.elf" 2> "$tmp/bad.err"
check "bad image: exit" $? 2
grep -q "bad.elf: not an ELF file" "$tmp/bad.err" && ok "bad image: message" || bad "bad image: $(cat "$tmp/bad.err")"
finish
