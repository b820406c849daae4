#!/bin/sh
# e2e_vmx.sh - the VMM images on vtsim's VT-x model, on both CPU configs
# (configs/cpu/skylake.ini, nehalem.ini).
#   - vmexit.elf: the VM-exit microbenchmarks pass (serial output without
#     its "# " cycle lines equals expected/vmx/vmexit.out), the vmcall
#     round trip the guest measures with RDTSC is within +-15% of the
#     published round trip of that part (calibration target, see
#     docs/vmx-timing.md), and the `exits` table holds every exit with
#     consistent cost columns;
#   - vmxcheck.elf: VMfail outcomes and VM-entry failures as the SDM says
#     (expected/vmx/vmxcheck.out);
#   - configs/examples/vmx-exit-latency.ini runs the benchmarks by itself.
# QEMU's TCG has no VMX, so these outputs are checked against the SDM's
# outcomes only, not against QEMU (check-qemu.sh skips expected/vmx).
. "$(dirname "$0")/e2e_lib.sh"
: "${top_builddir:=$top_srcdir}"

img=$top_builddir/workloads/x86
exp=$top_srcdir/workloads/x86/expected/vmx

# cpu  target-vmcall-cycles (published-numbers.md 2a)
for pair in skylake:1544 nehalem:2000; do
    cpu=${pair%%:*}
    target=${pair#*:}
    db=$tmp/vmexit-$cpu.db
    "$VTSIM" run -q "$top_srcdir/configs/cpu/$cpu.ini" --image "$img/vmexit.elf" \
        --db "$db" > "$tmp/vmexit-$cpu.out" 2> "$tmp/vmexit-$cpu.err"
    check "vmexit ($cpu): exit status" $? 1
    grep -v '^# ' "$tmp/vmexit-$cpu.out" > "$tmp/vmexit-$cpu.cmp"
    if cmp -s "$tmp/vmexit-$cpu.cmp" "$exp/vmexit.out"; then
        ok "vmexit ($cpu): every benchmark exits as the SDM says"
    else
        bad "vmexit ($cpu): output differs"
        diff -u "$exp/vmexit.out" "$tmp/vmexit-$cpu.cmp"
        cat "$tmp/vmexit-$cpu.err"
    fi
    vmcall=$(sed -n 's/^# vmcall: .* avg \([0-9]*\) cycles.*/\1/p' "$tmp/vmexit-$cpu.out")
    if [ -n "$vmcall" ] && [ $((vmcall * 100)) -ge $((target * 85)) ] &&
       [ $((vmcall * 100)) -le $((target * 115)) ]; then
        ok "vmexit ($cpu): vmcall round trip $vmcall cycles, target $target +-15%"
    else
        bad "vmexit ($cpu): vmcall round trip '$vmcall', target $target +-15%"
    fi
    check "vmexit ($cpu): run status" "$(q "$db" 'SELECT status FROM runs')" complete
    # Every exit is a row; the CPUID benchmark's 32 exits are named.
    check "vmexit ($cpu): rows = exits" \
        "$(q "$db" "SELECT (SELECT count(*) FROM exits) = (SELECT value FROM stat_values WHERE name = 'cpu0.vmx.exits' AND prefix = 'roi-end')")" 1
    check "vmexit ($cpu): CPUID rows" \
        "$(q "$db" "SELECT count(*) FROM exits WHERE arch = 'vmx' AND reason = 10 AND reason_name = 'CPUID'")" 32
    check "vmexit ($cpu): EPT violation rows" \
        "$(q "$db" "SELECT count(*) FROM exits WHERE reason_name = 'EPT_VIOLATION'")" 32
    check "vmexit ($cpu): round trip = exit + handler + entry" \
        "$(q "$db" "SELECT count(*) FROM exits WHERE round_trip != exit_cycles + handler_cycles + entry_cycles")" 0
    check "vmexit ($cpu): steps add up to exit + entry" \
        "$(q "$db" "SELECT count(*) FROM exits WHERE entry_cycles > 0 AND drain + ucode + checks + save + load + msr + tlb + refill != exit_cycles + entry_cycles")" 0
    check "vmexit ($cpu): CPI stack adds up, world switches included" \
        "$(q "$db" "SELECT sum(value) = (SELECT value FROM stat_values WHERE name = 'cpu0.cycles' AND prefix = 'roi-end') FROM stat_values WHERE name LIKE 'cpu0.core.cpi_%' AND prefix = 'roi-end'")" 1
    check "vmexit ($cpu): world-switch cycles charged" \
        "$(q "$db" "SELECT value > 0 FROM stat_values WHERE name = 'cpu0.core.cpi_virt' AND prefix = 'roi-end'")" 1
done
# The part matters: Nehalem's round trip is longer (no on-chip VMCS,
# larger fixed costs).
neh=$(q "$tmp/vmexit-nehalem.db" "SELECT CAST(avg(round_trip) AS INTEGER) FROM exits WHERE reason = 10")
sky=$(q "$tmp/vmexit-skylake.db" "SELECT CAST(avg(round_trip) AS INTEGER) FROM exits WHERE reason = 10")
if [ -n "$neh" ] && [ -n "$sky" ] && [ "$neh" -gt "$sky" ]; then
    ok "CPUID round trip: nehalem $neh > skylake $sky cycles"
else
    bad "CPUID round trip: nehalem '$neh' not above skylake '$sky'"
fi

"$VTSIM" run -q "$top_srcdir/configs/cpu/skylake.ini" --image "$img/vmxcheck.elf" \
    --db "$tmp/vmxcheck.db" > "$tmp/vmxcheck.out" 2> "$tmp/vmxcheck.err"
check "vmxcheck: exit status" $? 1
grep -v '^# ' "$tmp/vmxcheck.out" > "$tmp/vmxcheck.cmp"
if cmp -s "$tmp/vmxcheck.cmp" "$exp/vmxcheck.out"; then
    ok "vmxcheck: VMfail outcomes and entry failures"
else
    bad "vmxcheck: output differs"
    diff -u "$exp/vmxcheck.out" "$tmp/vmxcheck.cmp"
fi
check "vmxcheck: failed-entry rows" \
    "$(q "$tmp/vmxcheck.db" "SELECT count(*) FROM exits WHERE failed_entry = 1 AND reason = 33")" 2

# The experiment config names its image (x86.image).
(cd "$top_builddir" && "$VTSIM" run -q "$top_srcdir/configs/examples/vmx-exit-latency.ini" \
    --db "$tmp/exp.db" > "$tmp/exp.out" 2> "$tmp/exp.err")
check "vmx-exit-latency.ini: exit status" $? 1
check "vmx-exit-latency.ini: exits recorded" \
    "$(q "$tmp/exp.db" "SELECT count(*) > 400 FROM exits")" 1
finish
