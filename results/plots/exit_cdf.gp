# exit_cdf.gp - cumulative distribution of exit round trips, one curve per
# (arch, reason).  Variables and data as in exit_hist.gp.
if (fmt eq "svg") { set terminal svg size 960,600 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 8in,5in } \
else { set terminal pngcairo size 960,600 } }
set termoption noenhanced
set output out
set title "Exit round trip, cumulative distribution"
set xlabel "round trip: exit + handler + entry [cycles]"
set ylabel "fraction of the reason's exits <= round trip"
set xrange [xmin:xmax]
set yrange [0:1.02]
set grid
set key bottom right
plot for [i=1:words(files)] word(files, i) using ($1 + bin):4 \
     with lines lw 2 title word(titles, i)
