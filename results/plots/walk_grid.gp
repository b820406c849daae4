# walk_grid.gp - heat map of one context's walk grid: memory references per
# walk in each (guest level x host level) cell, with PWC/NTLB hits per walk.
# Variables: file, out, fmt, title, glevels, hlevels.  Data columns: glevel,
# hlevel, refs per walk, hits per walk, cycles per walk (every cell present).
if (fmt eq "svg") { set terminal svg size 800,640 dynamic } \
else { if (fmt eq "pdf") { set terminal pdfcairo size 7in,5.6in } \
else { set terminal pngcairo size 800,640 } }
set output out
set title title
set xlabel "host level (0 = read of the guest entry)"
set ylabel "guest level (0 = final guest-physical address)"
set xrange [-0.5:hlevels + 0.5]
set yrange [-0.5:glevels + 0.5]
set xtics 1
set ytics 1
set cblabel "memory references per walk"
set cbrange [0:1]
set palette defined (0 "white", 0.5 "#fdae61", 1 "#d7191c")
unset key
plot file using 2:1:3 with image, \
     file using 2:1:(sprintf("%.2f refs\n%.2f hits\n%.1f cyc", $3, $4, $5)) \
     with labels font ",8"
