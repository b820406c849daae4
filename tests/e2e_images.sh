#!/bin/sh
# e2e_images.sh - the x86 guest images on vtsim.  Each loads as a Multiboot
# image and `vtsim disasm` decodes its entry code the way the boot code was
# written (cli; cld; ...; lgdt; far jmp to the 32-bit code selector).  Then
# `vtsim run --image` boots it with the in-order and the functional core
# model: the serial output (without "# " lines) must equal expected/NAME.out
# -- what QEMU prints, checked by check-qemu.sh -- and the exit status the
# guest's debug-exit status.  triple ends in a triple fault: status 4 and
# runs.status 'triple-fault' (QEMU -no-reboot exits 0 there).
. "$(dirname "$0")/e2e_lib.sh"
: "${top_builddir:=$top_srcdir}"

for img in compute stream chase syscall pagefault cpuid triple apic; do
    elf=$top_builddir/workloads/x86/$img.elf
    if [ ! -f "$elf" ]; then bad "$img.elf was not built"; continue; fi
    "$VTSIM" disasm "$elf" --bytes 32 > "$tmp/$img.dis" 2> "$tmp/$img.err"
    check "$img: disasm exit" $? 0
    first=$(head -n 1 "$tmp/$img.dis" | sed 's/.*  //')
    check "$img: first instruction" "$first" cli
    grep -q "lgdt" "$tmp/$img.dis" && ok "$img: lgdt" || bad "$img: no lgdt in $(cat "$tmp/$img.dis")"
    grep -q "jmp far 0x0030:" "$tmp/$img.dis" && ok "$img: far jump" || bad "$img: no far jmp"
done
for img in compute stream chase syscall pagefault cpuid triple apic; do
    elf=$top_builddir/workloads/x86/$img.elf
    want=$(cat "$top_srcdir/workloads/x86/expected/$img.status")
    [ "$img" = triple ] && want=4
    for model in inorder functional; do
        "$VTSIM" run -q --image "$elf" -o core.model=$model \
            -o x86.max_insns=200000000 --db "$tmp/$img-$model.db" \
            > "$tmp/$img-$model.out" 2> "$tmp/$img-$model.err"
        check "$img ($model): exit status" $? "$want"
        grep -v '^# ' "$tmp/$img-$model.out" > "$tmp/$img-$model.cmp"
        if cmp -s "$tmp/$img-$model.cmp" "$top_srcdir/workloads/x86/expected/$img.out"; then
            ok "$img ($model): serial output as on QEMU"
        else
            bad "$img ($model): serial output differs:"
            diff -u "$top_srcdir/workloads/x86/expected/$img.out" "$tmp/$img-$model.cmp"
            cat "$tmp/$img-$model.err"
        fi
        [ -s "$tmp/$img-$model.err" ] && bad "$img ($model): stderr: $(cat "$tmp/$img-$model.err")"
    done
    # The database holds the run's outcome and its counters.
    db=$tmp/$img-inorder.db
    # Every level of the hierarchy registers its stats, and fetches reach
    # DRAM (cache_hier_register_stats).
    check "$img: hierarchy stats" \
        "$(q "$db" "SELECT count(*) FROM stat_values WHERE prefix = 'roi-end' AND value > 0 AND name IN ('cpu0.l1i.accesses', 'cpu0.l1d.accesses', 'cpu0.l2.accesses', 'cpu0.llc.accesses', 'cpu0.dram.accesses')")" 5
    if [ "$img" = triple ]; then
        check "$img: runs.status" "$(q "$db" "SELECT status FROM runs;")" triple-fault
    else
        check "$img: runs.status" "$(q "$db" "SELECT status FROM runs;")" complete
        check "$img: exit_status stat" "$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.exit_status' AND prefix = 'roi-end';")" "$want"
    fi
    insns=$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.insns' AND prefix = 'roi-end';")
    core=$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.core.insns' AND prefix = 'roi-end';")
    [ "${insns:-0}" -gt 1000 ] && ok "$img: $insns instructions" || bad "$img: insns '$insns'"
    # Every step reaches the timing model: retired instructions plus
    # faulting steps.
    exc=$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.exceptions' AND prefix = 'roi-end';")
    check "$img: core model saw every step" "$core" "$((insns + exc))"
    cpi=$(q "$db" "SELECT SUM(value) FROM stat_values WHERE name LIKE 'cpu0.core.cpi_%' AND prefix = 'roi-end';")
    cyc=$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.cycles' AND prefix = 'roi-end';")
    check "$img: CPI stack adds up to the cycles" "$cpi" "$cyc"
done
# pagefault takes 4000 #PF through the IDT.
q "$tmp/pagefault-inorder.db" "SELECT value FROM stat_values WHERE name = 'cpu0.delivered' AND prefix = 'roi-end';" > "$tmp/pf.n"
check "pagefault: events delivered" "$(cat "$tmp/pf.n")" 4000
# Every walk of the image run (data and instruction walkers) is a row of
# the walks table.
check "chase: walk rows = cpu0.ptw.walks + cpu0.iptw.walks" \
    "$(q "$tmp/chase-inorder.db" "SELECT COUNT(*) FROM walks;")" \
    "$(q "$tmp/chase-inorder.db" "SELECT SUM(value) FROM stat_values WHERE name IN ('cpu0.ptw.walks', 'cpu0.iptw.walks') AND prefix = 'roi-end';")"
# An image that cannot be loaded is a user error: status 2, the file named,
# no database written.
printf 'not an image\n' > "$tmp/junk.elf"
"$VTSIM" run --image "$tmp/junk.elf" --db "$tmp/junk.db" 2> "$tmp/junk.err"
check "run --image junk: exit" $? 2
grep -q "junk.elf: not an ELF file" "$tmp/junk.err" && ok "run --image junk: message" || bad "run --image junk: $(cat "$tmp/junk.err")"
[ -e "$tmp/junk.db" ] && bad "run --image junk: a database was written" || ok "run --image junk: no database"
# A file that is no image is refused with a message and status 2.
printf 'not an image\n' > "$tmp/bad.elf"
"$VTSIM" disasm "$tmp/bad.elf" 2> "$tmp/bad.err"
check "bad image: exit" $? 2
grep -q "bad.elf: not an ELF file" "$tmp/bad.err" && ok "bad image: message" || bad "bad image: $(cat "$tmp/bad.err")"
finish
