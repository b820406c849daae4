-- walk_grid: the (guest level x host level) reference grid of one context,
-- aggregated over every walk of the measured region.
-- Parameters: :run, :vcpu, :walks (number of walks, to normalise).
-- glevel: guest level whose entry is located (0 = the final guest-physical
-- address); hlevel: host level read while translating it (0 = the read of
-- the guest entry itself).
-- Columns: glevel, hlevel, memory references per walk, PWC/NTLB hits per
-- walk, mean cycles per walk spent in the cell.
SELECT g.glevel,
       g.hlevel,
       sum(CASE WHEN s.name IN ('L1D', 'L2', 'LLC', 'DRAM')
                THEN g.count ELSE 0 END) * 1.0 / :walks AS refs,
       sum(CASE WHEN s.name IN ('PWC', 'NTLB')
                THEN g.count ELSE 0 END) * 1.0 / :walks AS hits,
       sum(g.cycles) * 1.0 / :walks AS cycles
FROM walk_grid g JOIN walk_srcs s ON s.id = g.src
WHERE g.run_id = :run AND g.vcpu = :vcpu
GROUP BY g.glevel, g.hlevel
ORDER BY g.glevel, g.hlevel;
