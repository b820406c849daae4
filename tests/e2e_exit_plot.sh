#!/bin/sh
# e2e_exit_plot.sh - `vtsim plot` draws the exit round-trip histogram, CDF
# and cost breakdown when the exits table has rows, and `vtsim report`
# summarises them; a database without exits gets neither.  The exits are
# synthetic rows with known values, inserted into a quick.ini database.
. "$(dirname "$0")/e2e_lib.sh"
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "gnuplot not found: skipped"; exit 77
fi

is_png() {
    [ -s "$1" ] && [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "211PNG" ]
}

db=$tmp/q.db
"$VTSIM" run "$top_srcdir/configs/examples/quick.ini" --db "$db" -q
check "run exit" $? 0
cp "$db" "$tmp/none.db"

# Two reasons.  CPUID: four exits, round trips 1000..1300 (mean 1150,
# p50 1100, p99 1300); every exit costs 260 cycles and every entry 240,
# split as drain 10, ucode 100, save 150 | load 200, refill 40; the handler
# takes the rest (500..800, mean 650).  ENTRY_FAIL_GUEST: two failed
# entries of 900 cycles (ucode 200, checks 700), no handler, no entry.
cols="run_id, vcpu, seq, cycle, arch, reason, reason_name, failed_entry,
      qual, guest_rip, exit_cycles, handler_cycles, entry_cycles, round_trip,
      drain, ucode, checks, save, load, msr, tlb, refill"
q "$db" "INSERT INTO exits ($cols) VALUES
  (1, 0, 0, 1000, 'vmx', 10, 'CPUID', 0, 0, 4096, 260, 500, 240, 1000,
   10, 100, 0, 150, 200, 0, 0, 40),
  (1, 0, 1, 3000, 'vmx', 10, 'CPUID', 0, 0, 4096, 260, 600, 240, 1100,
   10, 100, 0, 150, 200, 0, 0, 40),
  (1, 0, 2, 5000, 'vmx', 10, 'CPUID', 0, 0, 4096, 260, 700, 240, 1200,
   10, 100, 0, 150, 200, 0, 0, 40),
  (1, 0, 3, 7000, 'vmx', 10, 'CPUID', 0, 0, 4096, 260, 800, 240, 1300,
   10, 100, 0, 150, 200, 0, 0, 40),
  (1, 0, 4, 9000, 'vmx', 33, 'ENTRY_FAIL_GUEST', 1, 0, 0, 900, 0, 0, 900,
   0, 200, 700, 0, 0, 0, 0, 0),
  (1, 0, 5, 11000, 'vmx', 33, 'ENTRY_FAIL_GUEST', 1, 0, 0, 900, 0, 0, 900,
   0, 200, 700, 0, 0, 0, 0, 0);"
check "synthetic exits" "$(q "$db" "SELECT count(*) FROM exits")" 6

# ---- plot, with exits --------------------------------------------------
out=$tmp/plots
"$VTSIM" plot "$db" --out "$out" > "$tmp/plot.out" 2> "$tmp/plot.err"
check "plot exit" $? 0
for f in q.exit_hist.png q.exit_cdf.png q.exit_cost.png q.walk_hist.png; do
    if is_png "$out/$f"; then ok "$f is a PNG"; else bad "$f missing or not a PNG"; fi
    grep -qx "$out/$f" "$tmp/plot.out" || bad "$f not listed on stdout"
done
check "plot stderr" "$(cat "$tmp/plot.err")" ""

# The cost breakdown: the mean of each step, the handler and the round
# trip of each reason are what was inserted, and the bar (steps + handler)
# is as high as the mean round trip.
dat=$out/q-data
row() {
    awk -v r="$1" '!/^#/ && $2 == r { $1 = ""; print substr($0, 2) }' \
        "$dat/exit_cost.dat"
}
check "cost rows" "$(grep -vc '^#' "$dat/exit_cost.dat")" 2
check "CPUID breakdown" "$(row vmx:CPUID)" \
    "vmx:CPUID 4 10.000 100.000 0.000 150.000 200.000 0.000 0.000 40.000 \
650.000 1150.000 260.000 240.000"
check "ENTRY_FAIL_GUEST breakdown" "$(row vmx:ENTRY_FAIL_GUEST)" \
    "vmx:ENTRY_FAIL_GUEST 2 0.000 200.000 700.000 0.000 0.000 0.000 0.000 \
0.000 0.000 900.000 900.000 0.000"
bars=$(awk '!/^#/ { s = 0; for (c = 4; c <= 12; c++) s += $c;
                    printf "%s%.3f=%.3f", n++ ? " " : "", s, $13 }' "$dat/exit_cost.dat")
check "bar height = mean round trip" "$bars" "1150.000=1150.000 900.000=900.000"

# The round-trip distributions: every exit in one bucket, the CDF ends at
# 1, and the failed entries (one round trip) fill a single bucket.
for r in CPUID:4 ENTRY_FAIL_GUEST:2; do
    f=$dat/exit_rtt_vmx_${r%:*}.dat
    got=$(awk '!/^#/ { n += $2; c = $4 }
               END { printf "%d %.6f", n, c }' "$f" 2>/dev/null)
    check "exit_rtt_vmx_${r%:*}.dat exits, last cumulative" "$got" "${r#*:} 1.000000"
done
one=$(awk '!/^#/ && $2 > 0 { print $2, $3 }' "$dat/exit_rtt_vmx_ENTRY_FAIL_GUEST.dat")
check "failed entries in one bucket" "$one" "2 1.000000"
first=$(awk '!/^#/ && $2 > 0 { print $1; exit }' "$dat/exit_rtt_vmx_CPUID.dat")
bin=$(awk '!/^#/ { if (p != "") { print $1 - p; exit } p = $1 }' "$dat/exit_rtt_vmx_CPUID.dat")
if [ -n "$first" ] && [ -n "$bin" ] && [ "$first" -le 1000 ] &&
   [ $((first + bin)) -gt 1000 ]; then
    ok "fastest CPUID exit in bucket $first+$bin"
else
    bad "fastest CPUID exit (1000) not in the first non-empty bucket ($first+$bin)"
fi

# Other formats go through the same templates.
"$VTSIM" plot "$db" --out "$tmp/svg" --format svg > /dev/null 2>&1
check "plot --format svg" $? 0
if grep -q '<svg' "$tmp/svg/q.exit_cost.svg" 2>/dev/null; then
    ok "q.exit_cost.svg is an SVG"
else
    bad "q.exit_cost.svg missing or not an SVG"
fi

# ---- report, with exits ------------------------------------------------
"$VTSIM" report "$db" > "$tmp/report.out"
check "report exit" $? 0
rep() {
    awk -v r="$1" '$1 == "vmx" && $2 == r { $1 = $2 = ""; print substr($0, 3) }' \
        "$tmp/report.out"
}
# exits, mean, p50, p99, exit, handler, entry
check "report CPUID" "$(rep CPUID)" "4 1150.0 1100 1300 260.0 650.0 240.0"
check "report ENTRY_FAIL_GUEST" "$(rep ENTRY_FAIL_GUEST)" "2 900.0 900 900 900.0 0.0 0.0"

# ---- exits but no walk rows: exit figures, no complaint ----------------
cp "$db" "$tmp/nowalks.db"
q "$tmp/nowalks.db" "DELETE FROM walks"
"$VTSIM" plot "$tmp/nowalks.db" --out "$tmp/nw" > /dev/null 2> "$tmp/nw.err"
check "plot without walks exit" $? 0
check "plot without walks stderr" "$(cat "$tmp/nw.err")" ""
if is_png "$tmp/nw/nowalks.exit_cost.png" && [ ! -e "$tmp/nw/nowalks.walk_hist.png" ]; then
    ok "without walks: exit figures, no walk histogram"
else
    bad "without walks: want exit figures and no walk histogram"
fi

# ---- no exits: walk figures as before, nothing about exits -------------
"$VTSIM" plot "$tmp/none.db" --out "$tmp/none" > "$tmp/none.out" 2> "$tmp/none.err"
check "plot without exits exit" $? 0
check "plot without exits stderr" "$(cat "$tmp/none.err")" ""
check "exit figures without exits" "$(ls "$tmp/none" | grep -c exit_)" 0
check "exit data without exits" "$(ls "$tmp/none/none-data" | grep -c exit_)" 0
is_png "$tmp/none/none.walk_hist.png" && ok "walk histogram still drawn" ||
    bad "walk histogram missing without exits"
"$VTSIM" report "$tmp/none.db" > "$tmp/none.rep"
check "report without exits exit" $? 0
check "report without exits: no exits section" "$(grep -c handler "$tmp/none.rep")" 0
finish
