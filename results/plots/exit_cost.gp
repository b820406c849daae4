# exit_cost.gp - mean cost of an exit round trip per (arch, reason): one
# stacked bar each, the eight world-switch steps (exit and entry together)
# and the handler, so the bar is as high as the mean round trip.
# Variables set by `vtsim plot`: file, out, fmt (png|svg|pdf).
# Data columns (one row per reason, from exit_cost.sql): index, arch:REASON,
# exits, mean drain, ucode, checks, save, load, msr, tlb, refill, handler,
# round trip, exit, entry cycles.
if (fmt eq "svg") { set terminal svg size 960,600 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 8in,5in } \
else { set terminal pngcairo size 960,600 } }
set termoption noenhanced
set output out
set title "Exit round trip: mean cost by step"
set ylabel "mean cycles per exit"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb "#404040"
set boxwidth 0.7 relative
set grid ytics
set xtics rotate by -30 nomirror
set key outside right top reverse Left
steps = "drain ucode checks save load msr tlb refill handler"
colors = "#1f78b4 #a6cee3 #33a02c #b2df8a #e31a1c #fb9a99 #ff7f00 #fdbf6f" \
         . " #7f7f7f"
plot for [c=4:12] file using c:xtic(2) lc rgb word(colors, c - 3) \
     title word(steps, c - 3), \
     file using 0:13:(sprintf("%.0f\nn=%d", $13, $3)) with labels \
     offset 0,1.6 notitle
