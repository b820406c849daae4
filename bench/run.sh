#!/bin/sh
# bench/run.sh - the simulator's speed and memory benchmarks (`make bench`).
# Run from the build directory.  Prints one line per figure.
set -eu
srcdir=$(cd "$(dirname "$0")/.." && pwd)
./vtsim bench
./bench/bench_db
# Peak RSS and wall time of the default experiment.
db=$(mktemp -d)/nested-walk.db
start=$(date +%s.%N)
./vtsim run "$srcdir/configs/examples/nested-walk.ini" --db "$db" -q \
    -o run.progress=off
end=$(date +%s.%N)
echo "default experiment: $(echo "$end - $start" | bc) s wall; $(du -h "$db" | cut -f1) database"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "default experiment peak RSS: %M KiB" ./vtsim run \
        "$srcdir/configs/examples/nested-walk.ini" --db "$db" -q
fi
rm -rf "$(dirname "$db")"
# x86 core speed on the compute image, and QEMU TCG for comparison.
sh "$srcdir/bench/x86-mips.sh" .
