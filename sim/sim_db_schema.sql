-- vtsim results database, schema version 1 (PRAGMA user_version = 1).
-- Documented in docs/results-schema.md.  One file per run.

CREATE TABLE runs (
    run_id        INTEGER PRIMARY KEY,
    status        TEXT NOT NULL,      -- running | complete | interrupted | failed | triple-fault | halted | insn-limit | machine-check | pal-undefined
    started       TEXT NOT NULL,      -- UTC, ISO 8601
    finished      TEXT,
    vtsim_version TEXT NOT NULL,
    config_file   TEXT,
    command_line  TEXT,
    host          TEXT,
    seed          INTEGER,
    sim_cycles    INTEGER,            -- largest core cycle reached
    wall_seconds  REAL
);

CREATE TABLE config (
    run_id  INTEGER NOT NULL,
    section TEXT NOT NULL,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    source  TEXT NOT NULL,            -- default | FILE:LINE | -o #N
    PRIMARY KEY (run_id, section, key)
);

-- Stats: one row per registered stat in `names`, one row per snapshot in
-- `prefixes`, values in `stats` (counters exact, formulas as REAL).
CREATE TABLE names (
    name_id     INTEGER PRIMARY KEY,
    object      TEXT NOT NULL,
    metric      TEXT NOT NULL,
    kind        TEXT NOT NULL,        -- counter | formula | histogram
    unit        TEXT,
    description TEXT,
    UNIQUE (object, metric)
);
CREATE TABLE prefixes (
    prefix_id INTEGER PRIMARY KEY,
    run_id    INTEGER NOT NULL,
    prefix    TEXT NOT NULL,
    cycle     INTEGER NOT NULL
);
CREATE TABLE stats (
    prefix_id INTEGER NOT NULL,
    name_id   INTEGER NOT NULL,
    value     NUMERIC,
    PRIMARY KEY (prefix_id, name_id)
);
-- Histogram bins: bin -1 = underflow (< lo), bin nbins = overflow.
CREATE TABLE stat_hist (
    prefix_id INTEGER NOT NULL,
    name_id   INTEGER NOT NULL,
    bin       INTEGER NOT NULL,
    lo        INTEGER,
    hi        INTEGER,               -- exclusive
    count     INTEGER NOT NULL,
    PRIMARY KEY (prefix_id, name_id, bin)
);

-- What each simulated context (vcpu) is.
CREATE TABLE contexts (
    run_id      INTEGER NOT NULL,
    vcpu        INTEGER NOT NULL,
    mode        TEXT NOT NULL,        -- native | ept | npt
    glevels     INTEGER NOT NULL,
    hlevels     INTEGER NOT NULL,
    description TEXT,
    PRIMARY KEY (run_id, vcpu)
);

-- One row per page walk (all, or sampled; see config key trace.walks).
CREATE TABLE walks (
    run_id     INTEGER NOT NULL,
    vcpu       INTEGER NOT NULL,
    seq        INTEGER NOT NULL,      -- walk number within the vcpu, from 0
    cycle      INTEGER NOT NULL,      -- core cycle at walk start
    va         INTEGER NOT NULL,
    gpa        INTEGER NOT NULL,
    hpa        INTEGER NOT NULL,
    mode       INTEGER NOT NULL,      -- walk_modes.id
    glevels    INTEGER NOT NULL,
    hlevels    INTEGER NOT NULL,
    page_shift INTEGER NOT NULL,
    write      INTEGER NOT NULL,
    fault      INTEGER NOT NULL,      -- walk_faults.id, 0 = none
    refs       INTEGER NOT NULL,      -- memory references (cells not skipped)
    cycles     INTEGER NOT NULL,      -- walk latency
    pwc        INTEGER NOT NULL,      -- cells served by a PWC / PSC
    ntlb       INTEGER NOT NULL,      -- cells served by the nested TLB
    l1d        INTEGER NOT NULL,
    l2         INTEGER NOT NULL,
    llc        INTEGER NOT NULL,
    dram       INTEGER NOT NULL
);

-- The grid cells of sampled walks.
CREATE TABLE walk_refs (
    run_id INTEGER NOT NULL,
    vcpu   INTEGER NOT NULL,
    seq    INTEGER NOT NULL,
    idx    INTEGER NOT NULL,          -- order within the walk
    glevel INTEGER NOT NULL,          -- guest level, 0 = final gPA
    hlevel INTEGER NOT NULL,          -- host level, 0 = the guest entry read
    src    INTEGER NOT NULL,          -- walk_srcs.id
    cycles INTEGER NOT NULL
);

-- Every walk's cells, aggregated per (vcpu, glevel, hlevel, src).
CREATE TABLE walk_grid (
    run_id INTEGER NOT NULL,
    vcpu   INTEGER NOT NULL,
    glevel INTEGER NOT NULL,
    hlevel INTEGER NOT NULL,
    src    INTEGER NOT NULL,
    count  INTEGER NOT NULL,
    cycles INTEGER NOT NULL,
    PRIMARY KEY (run_id, vcpu, glevel, hlevel, src)
);

-- One row per exit from a guest (VT-x VM exit, SVM #VMEXIT, VT-i
-- virtualization fault) and the entry that answered it.  The step
-- columns hold the exit's and the entry's cost of that step together;
-- exit_cycles + handler_cycles + entry_cycles = round_trip.
CREATE TABLE exits (
    run_id         INTEGER NOT NULL,
    vcpu           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,  -- exit number within the vcpu, from 0
    cycle          INTEGER NOT NULL,  -- core cycle of the exit
    arch           TEXT NOT NULL,     -- 'vmx', 'svm', 'vti'
    reason         INTEGER NOT NULL,  -- basic reason / exit code / cause
    reason_name    TEXT,              -- from the model's table
    failed_entry   INTEGER NOT NULL,  -- 1: the exit reports a failed entry
    qual           INTEGER NOT NULL,  -- exit qualification (or equivalent)
    guest_rip      INTEGER NOT NULL,
    exit_cycles    INTEGER NOT NULL,
    handler_cycles INTEGER NOT NULL,  -- VMM, first instruction to re-entry
    entry_cycles   INTEGER NOT NULL,  -- 0 when no entry followed
    round_trip     INTEGER NOT NULL,
    drain          INTEGER NOT NULL,
    ucode          INTEGER NOT NULL,
    checks         INTEGER NOT NULL,
    save           INTEGER NOT NULL,
    load           INTEGER NOT NULL,
    msr            INTEGER NOT NULL,
    tlb            INTEGER NOT NULL,
    refill         INTEGER NOT NULL
);

-- Name tables, filled from the models' own .def tables at start-up.
CREATE TABLE walk_modes  (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT);
CREATE TABLE walk_srcs   (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT);
CREATE TABLE walk_faults (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT);

CREATE VIEW stat_values AS
    SELECT p.run_id, p.prefix, n.object, n.metric, n.object || '.' || n.metric AS name,
           n.unit, s.value
    FROM stats s JOIN names n USING (name_id) JOIN prefixes p USING (prefix_id);
