# exit_hist.gp - histogram of exit round trips (exit + handler + entry),
# one curve per (arch, reason).
# Variables set by `vtsim plot` (gnuplot -e): files, titles (space-separated
# lists, titles as arch:REASON), out, fmt (png|svg|pdf), xmin, xmax, bin.
# Data columns: bucket start, exits, fraction of the group's exits,
# cumulative fraction; every bucket from xmin to xmax is present.
if (fmt eq "svg") { set terminal svg size 960,600 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 8in,5in } \
else { set terminal pngcairo size 960,600 } }
set termoption noenhanced
set output out
set title sprintf("Exit round trip (bucket = %d cycles)", bin)
set xlabel "round trip: exit + handler + entry [cycles]"
set ylabel "fraction of the reason's exits"
set xrange [xmin:xmax]
set yrange [0:*]
set grid
set key top right
plot for [i=1:words(files)] word(files, i) using 1:3 with steps lw 2 \
     title word(titles, i)
