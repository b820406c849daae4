-- exit_cost: mean cost of the exits of each (arch, reason), by step.
-- Parameters: :run (runs.run_id).
-- Columns: arch, reason number, reason name (named and ordered as in
-- exit_latency.sql), exits, then means in cycles: the eight world-switch
-- steps drain, ucode, checks, save, load, msr, tlb, refill (the exit's
-- and the entry's cost of the step together), handler, round trip, exit,
-- entry.
-- The steps add up to exit + entry, so steps + handler = round trip: the
-- stacked bar of exit_cost.gp is as high as the mean round trip.
-- `vtsim plot` writes these rows to <db>-data/exit_cost.dat.
SELECT arch,
       reason,
       coalesce(reason_name,
                CASE failed_entry WHEN 1 THEN 'ENTRY_FAIL_' ELSE 'REASON_'
                END || reason) AS name,
       count(*) AS exits,
       avg(drain), avg(ucode), avg(checks), avg(save), avg(load), avg(msr),
       avg(tlb), avg(refill),
       avg(handler_cycles),
       avg(round_trip),
       avg(exit_cycles),
       avg(entry_cycles)
FROM exits
WHERE run_id = :run
GROUP BY arch, failed_entry, reason, name
ORDER BY arch, failed_entry, reason, name;
