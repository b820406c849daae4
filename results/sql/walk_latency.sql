-- walk_latency: walk-latency distribution of one context (successful walks).
-- Parameters: :run (runs.run_id), :vcpu (contexts.vcpu).
-- Columns: latency in cycles, number of walks with that latency.
-- `vtsim plot` buckets these into <db>-data/walk_latency_cpuN.dat with
-- columns: bucket start, walks, fraction of walks, cumulative fraction.
SELECT cycles, count(*) AS walks
FROM walks
WHERE run_id = :run AND vcpu = :vcpu AND fault = 0
GROUP BY cycles
ORDER BY cycles;
