#!/bin/sh
# e2e_vti.sh - the VT-i VMM of workloads/ia64/vti (vmm.S) running its guest
# (guest.S) with accelerations off, then on (skipped when the image was not
# built: it needs ia64-linux-gnu-as/ld, Debian binutils-ia64-linux-gnu).
#   - the guest's checks of the emulated and of the accelerated
#     instructions all pass: stdout (timing lines "# " aside) equals
#     workloads/ia64/vti/vti-faults.expected, exit status 1 (the guest
#     wrote 0), runs.status complete;
#   - the exits table holds one row per Virtualization fault, per cause as
#     the guest's program implies (derivation below), so an acceleration
#     that faults, or a fault that is skipped, changes a count;
#   - round trip = exit + handler + entry for every row;
#   - the guest's own timing (AR.ITC through the VMM's vmsw gate) shows the
#     accelerations: an accelerated mov from psr is cheaper than a trap,
#     and a trapped one costs what its exits rows say;
#   - configs/examples/vti-fault-latency.ini runs the same image, and its
#     [vti] costs reach the figures: accel = 7 makes an accelerated mov
#     from psr cost 7 cycles, fault = 100 adds 70 to every trap.
. "$(dirname "$0")/e2e_lib.sh"
: "${top_builddir:=$top_srcdir}"

img=$top_builddir/workloads/ia64/vti/vti-faults.elf
exp=$top_srcdir/workloads/ia64/vti/vti-faults.expected
if [ ! -f "$img" ]; then
    echo "$img not built (no ia64-linux-gnu-as/ld): skipped"; exit 77
fi

db=$tmp/vti.db
"$VTSIM" run -q --image "$img" --db "$db" > "$tmp/vti.out" 2> "$tmp/vti.err"
check "exit status" $? 1
grep -v '^# ' "$tmp/vti.out" > "$tmp/vti.cmp"
if cmp -s "$tmp/vti.cmp" "$exp"; then
    ok "every check passes with accelerations off and on"
else
    bad "output differs"
    diff -u "$exp" "$tmp/vti.cmp"
    cat "$tmp/vti.err"
fi
check "run status" "$(q "$db" 'SELECT status FROM runs')" complete
check "every row is a vti exit" \
    "$(q "$db" "SELECT count(*) FROM exits WHERE arch != 'vti'")" 0

# Faults per cause (hw-virt-facts C2 codes).  Phase 1 (vac 0): every
# virtualized instruction faults; phase 2 (vac 0x1f): mov from psr,
# mov from cpuid, TPR and the interruption CRs with vpsr.ic = 0 complete
# from the VPD, ssm/rsm/itc.d/rfi still fault.  Per phase, checks + loops:
#   rsm 25: checks 4 (psr.i, 3 x psr.ic) + bench 5 (set-up, 4 ic-off loops)
#   ssm 24: checks 2 + bench 1 + 4 + 64 (the ssm loop)
#   mov from psr 7: checks 2 + loop 64           (phase 1 only)
#   mov from cpuid 23: checks 1 + loop 64        (phase 1 only)
#   mov to cr 4: checks 8 + set-up 5 + 2 loops   (phase 1 only)
#   mov from cr 5: checks 2 + 2 loops            (phase 1 only)
#   itc.d 8, rfi 37: checks 1 + loop 64
for pair in 25:18 24:142 7:66 23:65 4:141 5:130 8:130 37:130; do
    cause=${pair%%:*}
    want=${pair#*:}
    check "faults with cause $cause" \
        "$(q "$db" "SELECT count(*) FROM exits WHERE reason = $cause")" "$want"
done
# Phase 2's accelerated instructions: mov from psr 2 + 64, cpuid 1 + 64,
# TPR 3 + 2 x 64, interruption CRs with vpsr.ic = 0 7 + 5 + 2 x 64.
check "accelerated instructions" \
    "$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.vti.accel.done' AND prefix = 'roi-end'")" 402
# The vmsw gate: 23 calls per phase (10 timed loops x 2, the round trip
# x 2 after one warm-up call), two vmsw each.
check "vmsw that switched PSR.vm" \
    "$(q "$db" "SELECT value FROM stat_values WHERE name = 'cpu0.vmsw' AND prefix = 'roi-end'")" 92
check "hierarchy stats of the IA-64 platform" \
    "$(q "$db" "SELECT count(*) FROM stat_values WHERE prefix = 'roi-end' AND value > 0 AND name IN ('cpu0.l1i.accesses', 'cpu0.l1d.accesses', 'cpu0.l2.accesses', 'cpu0.llc.accesses', 'cpu0.dram.accesses')")" 5
check "no other cause" \
    "$(q "$db" "SELECT count(*) FROM exits WHERE reason NOT IN (4, 5, 7, 8, 23, 24, 25, 37)")" 0
check "cause names from the model's table" \
    "$(q "$db" "SELECT reason_name FROM exits WHERE reason = 7 LIMIT 1")" MOV_FROM_PSR
check "round trip = exit + handler + entry" \
    "$(q "$db" "SELECT count(*) FROM exits WHERE round_trip != exit_cycles + handler_cycles + entry_cycles")" 0
check "every fault resumed through PAL" \
    "$(q "$db" "SELECT count(*) FROM exits WHERE entry_cycles = 0")" 0

# The guest's table: "# mov r9 = psr   (7)   TRAP   ACCEL".
row=$(grep '^# mov r9 = psr' "$tmp/vti.out")
trap_c=$(echo "$row" | awk '{ print $(NF - 1) }')
accel_c=$(echo "$row" | awk '{ print $NF }')
if [ -n "$trap_c" ] && [ -n "$accel_c" ] && [ "$accel_c" -lt "$trap_c" ]; then
    ok "mov from psr: trap $trap_c cycles, accelerated $accel_c"
else
    bad "mov from psr: trap '$trap_c', accelerated '$accel_c'"
fi
# The guest's figure is a steady-state mean over its loop, less the empty
# loop: within 5 cycles of the most common round trip of the rows (the
# first fault of a phase also pays cold cache misses).
rtt=$(q "$db" "SELECT round_trip FROM exits WHERE reason = 7 GROUP BY round_trip ORDER BY count(*) DESC LIMIT 1")
d=$((trap_c - ${rtt:-0}))
if [ -n "$rtt" ] && [ "$d" -ge -5 ] && [ "$d" -le 5 ]; then
    ok "mov from psr: guest-measured trap $trap_c, exits rows $rtt"
else
    bad "mov from psr: guest-measured trap '$trap_c', exits rows '$rtt'"
fi

cfg=$top_srcdir/configs/examples/vti-fault-latency.ini
(cd "$top_builddir" && "$VTSIM" run -q "$cfg" -o vti.accel=7 -o vti.fault=100 \
    --db "$tmp/cfg.db") > "$tmp/cfg.out" 2> "$tmp/cfg.err"
check "vti-fault-latency.ini: exit status" $? 1
row=$(grep '^# mov r9 = psr' "$tmp/cfg.out")
check "vti-fault-latency.ini: accel = 7 reaches the guest's figure" \
    "$(echo "$row" | awk '{ print $NF }')" 7
check "vti-fault-latency.ini: fault = 100 adds 70 to a trap" \
    "$(echo "$row" | awk '{ print $(NF - 1) }')" $((trap_c + 70))
check "vti-fault-latency.ini: exit cycles = fault + drain in every row" \
    "$(q "$tmp/cfg.db" "SELECT count(*) FROM exits WHERE exit_cycles != 108")" 0
finish
