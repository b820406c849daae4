# walk_hist.gp - walk-latency histogram, one curve per context.
# Variables set by `vtsim plot` (gnuplot -e): files, titles (space-separated
# lists), out, fmt (png|svg|pdf), xmax, bin.  Data columns: bucket start,
# walks, fraction of walks, cumulative fraction.
if (fmt eq "svg") { set terminal svg size 960,600 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 8in,5in } \
else { set terminal pngcairo size 960,600 } }
set output out
set title sprintf("Page-walk latency (bucket = %d cycles)", bin)
set xlabel "walk latency [cycles]"
set ylabel "fraction of walks"
set xrange [0:xmax]
set yrange [0:*]
set grid
set key top right
plot for [i=1:words(files)] word(files, i) using 1:3 with steps lw 2 \
     title word(titles, i)
