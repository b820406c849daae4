# walk_cdf.gp - cumulative distribution of walk latency, one curve per
# context.  Variables as in walk_hist.gp.
if (fmt eq "svg") { set terminal svg size 960,600 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 8in,5in } \
else { set terminal pngcairo size 960,600 } }
set output out
set title "Page-walk latency, cumulative distribution"
set xlabel "walk latency [cycles]"
set ylabel "fraction of walks <= latency"
set xrange [0:xmax]
set yrange [0:1.02]
set grid
set key bottom right
plot for [i=1:words(files)] word(files, i) using ($1 + bin):4 \
     with lines lw 2 title word(titles, i)
