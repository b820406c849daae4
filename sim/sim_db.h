/*
 * sim_db.h - the results database: one SQLite file per run.
 *
 * Schema version (PRAGMA user_version) SIM_DB_SCHEMA_VERSION; the schema
 * text is sim/sim_db_schema.sql and is documented in docs/results-schema.md.
 *
 * Writes go through prepared statements inside a transaction that is
 * committed every `batch_rows` rows and at every snapshot/end, so an
 * interrupted process (SIGINT handled by the caller, or even SIGKILL)
 * leaves a database that opens, passes PRAGMA integrity_check and holds
 * everything committed so far; runs.status stays 'running' (or becomes
 * 'interrupted') and only a finished run says 'complete'.
 *
 * The walk trace: every walk event reaches the sink.  `walks` gets a row for
 * every walk (mode all) or every sample_period-th walk (mode sampled) or
 * none; `walk_refs` gets the grid cells of every sample_period-th walk;
 * `walk_grid` aggregates every walk's cells and is written at the end.
 */
#ifndef SIM_DB_H
#define SIM_DB_H

#include "sim_cfg.h"
#include "sim_stats.h"
#include "sim_trace.h"
#include "sim_types.h"

#define SIM_DB_SCHEMA_VERSION 2

enum sim_db_walks { SIM_DB_WALKS_ALL, SIM_DB_WALKS_SAMPLED,
                    SIM_DB_WALKS_NONE };

struct sim_db_opts {
    unsigned walks;             /* enum sim_db_walks */
    uint64_t sample_period;     /* >= 1 */
    uint64_t batch_rows;        /* rows per transaction, >= 1 */
    uint32_t busy_ms;           /* wait for readers' locks; 0 = 10 s */
};

struct sim_db;

/*
 * Create `path` (an existing file there is replaced), create the schema and
 * start a transaction.  On failure returns -SIM_EIO with a message in
 * err[0..errlen).
 */
int sim_db_open(struct sim_db **out, const char *path,
                const struct sim_db_opts *opts, char *err, size_t errlen);

/* Row in `runs` with status 'running'; committed at once. */
int sim_db_begin_run(struct sim_db *db, const char *config_path,
                     const char *command_line, uint64_t seed);

/* Every resolved key into `config` (section, key, value, source). */
int sim_db_write_config(struct sim_db *db, const struct sim_cfg *cfg);

/* Fill a name table `table`(id INTEGER PRIMARY KEY, name TEXT,
 * description TEXT) from a model's table; descs may be NULL. */
int sim_db_name_table(struct sim_db *db, const char *table, unsigned n,
                      const char *const *names, const char *const *descs);

/* One row of `contexts`: what simulated context `vcpu` is. */
int sim_db_context(struct sim_db *db, unsigned vcpu, const char *mode,
                   unsigned glevels, unsigned hlevels,
                   const char *description);

/* Write every registered stat under `prefix` ("roi-end"), at `cycle`. */
int sim_db_snapshot(struct sim_db *db, const struct sim_stats *stats,
                    const char *prefix, uint64_t cycle);

/* The trace sink for models; valid until sim_db_close(). */
const struct sim_trace *sim_db_trace(struct sim_db *db);

/* Commit what is pending and start a new transaction. */
int sim_db_commit(struct sim_db *db);

/* Write walk_grid, set runs.status ('complete', 'interrupted', 'failed',
 * or how an image run stopped: 'triple-fault', 'halted', 'insn-limit',
 * 'machine-check', 'pal-undefined'), finish time, simulated cycles and wall
 * seconds; commit.  Any other status: -SIM_EINVAL. */
int sim_db_end_run(struct sim_db *db, const char *status,
                   uint64_t sim_cycles);

/* Commit and close; safe on NULL. */
void sim_db_close(struct sim_db *db);

/* Rows written to walks so far (for benchmarks and progress). */
uint64_t sim_db_walk_rows(const struct sim_db *db);

/* First error message (after a -SIM_EIO return). */
const char *sim_db_errmsg(const struct sim_db *db);

#endif /* SIM_DB_H */
