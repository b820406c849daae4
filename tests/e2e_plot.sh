#!/bin/sh
# e2e_plot.sh - `vtsim plot` draws the histogram, the CDF and one grid heat
# map per context as PNG files.
. "$(dirname "$0")/e2e_lib.sh"
if ! command -v gnuplot >/dev/null 2>&1; then
    echo "gnuplot not found: skipped"; exit 77
fi

db=$tmp/q.db
"$VTSIM" run "$top_srcdir/configs/examples/quick.ini" --db "$db" -q
"$VTSIM" plot "$db" --out "$tmp/plots" > "$tmp/plot.out"
check "plot exit" $? 0
for f in q.walk_hist.png q.walk_cdf.png q.walk_grid.cpu0.png q.walk_grid.cpu1.png q.walk_grid.cpu2.png; do
    if [ -s "$tmp/plots/$f" ] && [ "$(head -c 4 "$tmp/plots/$f" | od -An -c | tr -d ' ')" = "211PNG" ]; then
        ok "$f is a PNG"
    else
        bad "$f missing or not a PNG"
    fi
done
# The data behind the grid: a 4-over-4 context has 5 x 5 cells and its
# memory references per walk add up to the stats' refs per walk.
cells=$(grep -vc '^#' "$tmp/plots/q-data/walk_grid_cpu1.dat")
check "ept grid cells" "$cells" 25
sumrefs=$(awk '!/^#/ { s += $3 } END { printf "%.2f", s }' "$tmp/plots/q-data/walk_grid_cpu1.dat")
want=$(q "$db" "SELECT printf('%.2f', avg(refs)) FROM walks WHERE vcpu = 1")
check "grid refs/walk = walks avg(refs)" "$sumrefs" "$want"
"$VTSIM" plot "$tmp/nonexistent.db" 2> /dev/null
check "plot of a missing db" $? 2
finish
