#!/bin/sh
# e2e_run.sh - `vtsim run` of the quick example: the database is complete
# and its walks rows agree with its stats; runs are deterministic.
. "$(dirname "$0")/e2e_lib.sh"

db=$tmp/quick.db
"$VTSIM" run "$top_srcdir/configs/examples/quick.ini" --db "$db" -q
check "exit status" $? 0
check "integrity" "$(q "$db" 'PRAGMA integrity_check')" ok
check "schema version" "$(q "$db" 'PRAGMA user_version')" 2
check "status" "$(q "$db" 'SELECT status FROM runs')" complete
check "contexts" "$(q "$db" "SELECT group_concat(mode, ',') FROM (SELECT mode FROM contexts ORDER BY vcpu)")" "native,ept,npt"
check "config stored with its source" \
    "$(q "$db" "SELECT value || ' ' || (source LIKE '%quick.ini:%') FROM config WHERE section = 'workload' AND key = 'footprint'")" "64M 1"
check "config default source" \
    "$(q "$db" "SELECT source FROM config WHERE section = 'cache/l1d' AND key = 'write'")" default
check "walk_srcs name table" "$(q "$db" 'SELECT count(*) FROM walk_srcs')" 7
check "walk_modes name table" "$(q "$db" "SELECT name FROM walk_modes WHERE id = 1")" ept

for v in 0 1 2; do
    walks=$(stat "$db" "cpu$v.ptw.walks")
    refs=$(stat "$db" "cpu$v.ptw.refs")
    cycles=$(stat "$db" "cpu$v.ptw.cycles")
    [ "${walks:-0}" -gt 1000 ] && ok "cpu$v walked $walks times" || bad "cpu$v walks: '$walks'"
    check "cpu$v walks rows = ptw.walks" "$(q "$db" "SELECT count(*) FROM walks WHERE vcpu = $v")" "$walks"
    check "cpu$v sum(refs) = ptw.refs" "$(q "$db" "SELECT sum(refs) FROM walks WHERE vcpu = $v")" "$refs"
    check "cpu$v sum(cycles) = ptw.cycles" "$(q "$db" "SELECT sum(cycles) FROM walks WHERE vcpu = $v")" "$cycles"
    check "cpu$v walk_grid memory refs = ptw.refs" "$(q "$db" "SELECT sum(count) FROM walk_grid WHERE vcpu = $v AND src >= 3")" "$refs"
    check "cpu$v walk_refs every 16th walk" "$(q "$db" "SELECT count(DISTINCT seq) FROM walk_refs WHERE vcpu = $v")" \
        "$(q "$db" "SELECT count(*) FROM walks WHERE vcpu = $v AND seq % 16 = 0")"
    check "cpu$v no faults" "$(q "$db" "SELECT count(*) FROM walks WHERE vcpu = $v AND fault <> 0")" 0
done
# Nested walks make more references than native ones, and stay within the
# (n+1)(m+1)-1 = 24 bound.
check "native refs/walk < ept refs/walk" \
    "$(q "$db" "SELECT (SELECT avg(refs) FROM walks WHERE vcpu = 0) < (SELECT avg(refs) FROM walks WHERE vcpu = 1)")" 1
check "max cells per 2-D walk" "$(q "$db" "SELECT max(refs + pwc + ntlb) <= 24 FROM walks")" 1

# Same config and seed: identical results.
"$VTSIM" run "$top_srcdir/configs/examples/quick.ini" --db "$tmp/again.db" -q
sum="SELECT count(*), sum(cycles), sum(va % 100003), sum(hpa % 100003) FROM walks"
check "deterministic" "$(q "$tmp/again.db" "$sum")" "$(q "$db" "$sum")"
# A different seed: a different stream.
"$VTSIM" run "$top_srcdir/configs/examples/quick.ini" -o workload.seed=8 --db "$tmp/seed8.db" -q
[ "$(q "$tmp/seed8.db" "$sum")" != "$(q "$db" "$sum")" ] && ok "seed changes the stream" || bad "seed 8 gave seed 7's walks"

# report summarises it.
"$VTSIM" report "$db" > "$tmp/report.txt"
check "report exit" $? 0
grep -q "cpu1  ept" "$tmp/report.txt" && ok "report lists contexts" || bad "report: $(cat "$tmp/report.txt")"
finish
