-- exit_latency: round-trip distribution of the exits of each (arch,
-- reason): round_trip = exit + handler + entry cycles.
-- Parameters: :run (runs.run_id).
-- Columns: arch, reason number, reason name, round trip in cycles, number
-- of exits with that round trip.
-- The name is reason_name, or REASON_<n> (ENTRY_FAIL_<n> for a failed
-- entry) in a row without one.  Failed entries (failed_entry = 1) are
-- groups of their own: they carry their own reason (VT-x 33, 34, 41:
-- ENTRY_FAIL_GUEST, ENTRY_FAIL_MSR_LOAD, ENTRY_FAIL_MCE).
-- Rows come by arch, ordinary exits before failed entries, by reason
-- number, then by round trip.  `vtsim plot` buckets each group into
-- <db>-data/exit_rtt_<arch>_<name>.dat with columns: bucket start, exits,
-- fraction of the group's exits, cumulative fraction.
SELECT arch,
       reason,
       coalesce(reason_name,
                CASE failed_entry WHEN 1 THEN 'ENTRY_FAIL_' ELSE 'REASON_'
                END || reason) AS name,
       round_trip,
       count(*) AS exits
FROM exits
WHERE run_id = :run
GROUP BY arch, failed_entry, reason, name, round_trip
ORDER BY arch, failed_entry, reason, name, round_trip;
