#!/bin/sh
# e2e_interrupt.sh - a run stopped by SIGINT, or killed outright, leaves a
# database that opens, passes integrity_check, keeps its committed rows and
# says the run is not complete.
. "$(dirname "$0")/e2e_lib.sh"

long="-o workload.accesses=1000000000 -o trace.batch_rows=2000 -q"

wait_rows() {   # wait until $1 has committed walks rows (max ~30 s)
    i=0
    while [ $i -lt 300 ]; do
        n=$(q "$1" "SELECT count(*) FROM walks" 2>/dev/null || echo 0)
        [ "${n:-0}" -gt 0 ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}

for sig in INT TERM KILL; do
    db=$tmp/$sig.db
    # shellcheck disable=SC2086
    "$VTSIM" run "$top_srcdir/configs/examples/quick.ini" $long --db "$db" 2> "$tmp/$sig.err" &
    pid=$!
    if ! wait_rows "$db"; then bad "$sig: no rows committed"; kill -9 $pid; continue; fi
    kill -$sig $pid
    wait $pid
    st=$?
    case $sig in
    KILL) check "$sig: killed" "$st" 137; want=running ;;
    *)    check "$sig: exit status" "$st" 130; want=interrupted ;;
    esac
    check "$sig: integrity" "$(q "$db" 'PRAGMA integrity_check')" ok
    check "$sig: status" "$(q "$db" 'SELECT status FROM runs')" "$want"
    n=$(q "$db" 'SELECT count(*) FROM walks')
    [ "$n" -gt 0 ] && ok "$sig: $n walks rows kept" || bad "$sig: walks lost"
    check "$sig: config kept" "$(q "$db" "SELECT count(*) > 50 FROM config")" 1
done
# The interrupted run has its final snapshot.
check "INT: final snapshot" "$(q "$tmp/INT.db" "SELECT count(*) FROM prefixes WHERE prefix = 'interrupted'")" 1
finish
