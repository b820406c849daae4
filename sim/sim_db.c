/*
 * sim_db.c - the results database: one SQLite file per run (sim_db.h).
 *
 * The schema is sim/sim_db_schema.sql, compiled in as a string by the
 * build (sim/sim_db_schema.inc).  Every INSERT is prepared once at open;
 * rows are written inside a transaction that is committed every
 * `batch_rows` trace rows and at every begin_run, write_config, snapshot
 * and end_run.
 *
 * Durability: journal_mode=DELETE with synchronous=OFF.  A process that
 * dies at any point (SIGKILL included) leaves the database consistent: the
 * next connection rolls the hot journal back and sees every committed
 * transaction, because the kernel still holds the written pages.  An
 * operating-system crash or power loss may lose or corrupt recent
 * transactions, since nothing is fsync'ed; results databases are cheap to
 * regenerate, and a sync per batch would dominate the trace cost.
 *
 * The walk sink keeps, per vcpu, the walk sequence number and a dense grid
 * (glevel 0..5 x hlevel 0..5 x src 0..15) of reference counts and cycles;
 * the grid is written to walk_grid by end_run.  Trace rows are buffered in
 * fixed arrays and inserted 64 at a time by multi-row INSERTs (no
 * allocation or formatting per event).  The sink cannot return an error:
 * the first failure is remembered (sim_db_errmsg), later SQL writes are
 * skipped, and end_run reports it (turning a 'complete' status into
 * 'failed').
 *
 * Threads: the connection is opened SQLITE_OPEN_NOMUTEX; a struct sim_db
 * must be used by one thread at a time.
 *
 * Approximations: uint64_t values (addresses, counters, seed) are stored as
 * SQLite's signed 64-bit INTEGER, so values >= 2^63 (high-half kernel
 * addresses) read back negative: the bits are exact.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* gethostname, gmtime_r, clock_gettime */
#endif

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sim_db.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim_err.h"

#ifdef PACKAGE_VERSION
#define DB_VERSION_TEXT PACKAGE_VERSION
#else
#define DB_VERSION_TEXT "unknown"
#endif

static const char schema_sql[] =
#include "sim/sim_db_schema.inc"
;

/*
 * Reference sources counted in the walks columns.  The numbers are fixed by
 * the row order of cache-tlb/ptw_src.def (enum ptw_src); keep them in step.
 */
#define DB_SRC_NONE 0
#define DB_SRC_PWC  1
#define DB_SRC_NTLB 2
#define DB_SRC_L1D  3
#define DB_SRC_L2   4
#define DB_SRC_LLC  5
#define DB_SRC_DRAM 6

/* Dimensions of the per-vcpu walk grid. */
#define DB_GRID_LEVELS 6        /* glevel / hlevel 0..5 */
#define DB_GRID_SRCS   16       /* src 0..15 */

#define DB_MSG_LEN 512

struct db_cell {
    uint64_t count;
    uint64_t cycles;
};

struct db_vcpu {
    uint64_t seq;           /* walks seen so far */
    struct db_cell grid[DB_GRID_LEVELS][DB_GRID_LEVELS][DB_GRID_SRCS];
};

/*
 * Trace rows are buffered and written DB_MULTI_ROWS at a time by one
 * multi-row INSERT: executing a statement costs about as much as storing a
 * row, so this removes most of the per-row overhead.  Buffers are flushed
 * before every COMMIT, so a commit still covers every row handed over.
 */
#define DB_MULTI_ROWS 64

#define DB_WALK_COLS 21
#define DB_WALK_COLNAMES                                                    \
    "walks(run_id, vcpu, seq, cycle, va, gpa, hpa, mode, glevels, hlevels," \
    " page_shift, write, fault, refs, cycles, pwc, ntlb, l1d, l2, llc,"     \
    " dram)"
#define DB_REF_COLS 8
#define DB_REF_COLNAMES                                                     \
    "walk_refs(run_id, vcpu, seq, idx, glevel, hlevel, src, cycles)"

/* Statements prepared once at open; index into sim_db.stmt. */
enum db_stmt {
    DB_BEGIN,
    DB_COMMIT,
    DB_INS_RUN,
    DB_END_RUN,
    DB_INS_CONFIG,
    DB_INS_CONTEXT,
    DB_INS_NAME,
    DB_SEL_NAME,
    DB_INS_PREFIX,
    DB_INS_STAT,
    DB_INS_HIST,
    DB_INS_WALK,
    DB_INS_REF,
    DB_INS_WALK_MULTI,
    DB_INS_REF_MULTI,
    DB_INS_GRID,
    DB_INS_EXIT,
    DB_STMT__COUNT
};

static const char *const db_stmt_sql[DB_STMT__COUNT] = {
    [DB_BEGIN] = "BEGIN",
    [DB_COMMIT] = "COMMIT",
    [DB_INS_RUN] =
        "INSERT INTO runs(status, started, vtsim_version, config_file,"
        " command_line, host, seed) VALUES('running', ?1, ?2, ?3, ?4, ?5, ?6)",
    [DB_END_RUN] =
        "UPDATE runs SET status = ?1, finished = ?2, sim_cycles = ?3,"
        " wall_seconds = ?4 WHERE run_id = ?5",
    [DB_INS_CONFIG] =
        "INSERT OR REPLACE INTO config(run_id, section, key, value, source)"
        " VALUES(?1, ?2, ?3, ?4, ?5)",
    [DB_INS_CONTEXT] =
        "INSERT OR REPLACE INTO contexts(run_id, vcpu, mode, glevels,"
        " hlevels, description) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [DB_INS_NAME] =
        "INSERT OR IGNORE INTO names(object, metric, kind, unit, description)"
        " VALUES(?1, ?2, ?3, ?4, ?5)",
    [DB_SEL_NAME] =
        "SELECT name_id FROM names WHERE object = ?1 AND metric = ?2",
    [DB_INS_PREFIX] =
        "INSERT INTO prefixes(run_id, prefix, cycle) VALUES(?1, ?2, ?3)",
    [DB_INS_STAT] =
        "INSERT OR REPLACE INTO stats(prefix_id, name_id, value)"
        " VALUES(?1, ?2, ?3)",
    [DB_INS_HIST] =
        "INSERT OR REPLACE INTO stat_hist(prefix_id, name_id, bin, lo, hi,"
        " count) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    /* The trace INSERTs are completed at open (db_multi_sql). */
    [DB_INS_WALK] = "INSERT INTO " DB_WALK_COLNAMES " VALUES",
    [DB_INS_REF] = "INSERT INTO " DB_REF_COLNAMES " VALUES",
    [DB_INS_WALK_MULTI] = "INSERT INTO " DB_WALK_COLNAMES " VALUES",
    [DB_INS_REF_MULTI] = "INSERT INTO " DB_REF_COLNAMES " VALUES",
    [DB_INS_GRID] =
        "INSERT OR REPLACE INTO walk_grid(run_id, vcpu, glevel, hlevel, src,"
        " count, cycles) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [DB_INS_EXIT] =
        "INSERT INTO exits(run_id, vcpu, seq, cycle, arch, reason,"
        " reason_name, failed_entry, qual, guest_rip, exit_cycles,"
        " handler_cycles, entry_cycles, round_trip, drain, ucode, checks,"
        " save, load, msr, tlb, refill) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
        " ?21, ?22)",
};

struct sim_db {
    sqlite3 *h;
    sqlite3_stmt *stmt[DB_STMT__COUNT];
    struct sim_db_opts opts;
    struct sim_trace trace;
    int64_t run_id;             /* 0 until begin_run */
    struct timespec t0;         /* CLOCK_MONOTONIC at open */
    uint64_t pending;           /* trace rows since the last commit */
    uint64_t walk_rows;         /* rows inserted into walks */
    struct db_vcpu *vcpus;
    size_t nvcpus;
    int trace_err;              /* first error of the walk sink, 0 = none */
    unsigned nwalk_buf;         /* rows waiting in walk_buf */
    unsigned nref_buf;
    sqlite3_int64 walk_buf[DB_MULTI_ROWS][DB_WALK_COLS];
    sqlite3_int64 ref_buf[DB_MULTI_ROWS][DB_REF_COLS];
    char msg[DB_MSG_LEN];
};

/* ---- errors and statements ---------------------------------------------- */

static void db_set_msg(struct sim_db *db, const char *what, const char *why)
{
    /* A failure of the sink is the one worth reporting: keep it. */
    if (db->trace_err != 0) {
        return;
    }
    snprintf(db->msg, sizeof(db->msg), "%s: %s", what, why);
}

/* Record the current SQLite error; returns -SIM_EIO. */
static int db_sql_err(struct sim_db *db, const char *what)
{
    db_set_msg(db, what, sqlite3_errmsg(db->h));
    return -SIM_EIO;
}

/* Step an INSERT/UPDATE to completion and reset it (bindings stay). */
static int db_step(struct sim_db *db, enum db_stmt which)
{
    sqlite3_stmt *st = db->stmt[which];
    int rc = sqlite3_step(st);

    if (rc != SQLITE_DONE) {
        db_sql_err(db, db_stmt_sql[which]);
        sqlite3_reset(st);
        return -SIM_EIO;
    }
    sqlite3_reset(st);
    return 0;
}

static int db_bind_text(sqlite3_stmt *st, int col, const char *s)
{
    if (s == NULL) {
        return sqlite3_bind_null(st, col);
    }
    return sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
}

/* Drop text bindings that point into the caller's memory. */
static void db_unbind(sqlite3_stmt *st)
{
    sqlite3_clear_bindings(st);
}

static void db_flush(struct sim_db *db);

/*
 * Write the buffered trace rows, COMMIT the open transaction (if SQLite
 * has not already rolled it back after an I/O error) and, when `reopen`,
 * BEGIN the next one.
 */
static int db_commit_txn(struct sim_db *db, int reopen)
{
    int rc = 0;

    db_flush(db);
    if (!sqlite3_get_autocommit(db->h)) {
        rc = db_step(db, DB_COMMIT);
    }
    db->pending = 0;
    if (rc == 0 && reopen) {
        rc = db_step(db, DB_BEGIN);
    }
    return rc;
}

/* UTC now as ISO 8601, e.g. 2024-05-01T12:34:56Z. */
static void db_utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL ||
        strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        snprintf(buf, len, "1970-01-01T00:00:00Z");
    }
}

/* ---- open / close ------------------------------------------------------- */

static void db_free(struct sim_db *db)
{
    size_t i;

    for (i = 0; i < DB_STMT__COUNT; i++) {
        sqlite3_finalize(db->stmt[i]);      /* NULL is a no-op */
    }
    sqlite3_close(db->h);                   /* NULL is a no-op */
    free(db->vcpus);
    free(db);
}

static void db_walk(void *ctx, const struct sim_walk_event *ev);
static void db_exit(void *ctx, const struct sim_exit_event *ev);

/*
 * The trace INSERTs: db_stmt_sql[] holds "INSERT INTO t(cols) VALUES" and
 * the VALUES groups are generated, one "(?,...)" for the single-row forms,
 * DB_MULTI_ROWS of them for the multi-row forms.  Returns 0 for statements
 * whose text is complete.
 */
static int db_values_shape(size_t which, unsigned *rows, unsigned *cols)
{
    switch (which) {
    case DB_INS_WALK:
    case DB_INS_WALK_MULTI:
        *cols = DB_WALK_COLS;
        break;
    case DB_INS_REF:
    case DB_INS_REF_MULTI:
        *cols = DB_REF_COLS;
        break;
    default:
        return 0;
    }
    *rows = which == DB_INS_WALK_MULTI || which == DB_INS_REF_MULTI ?
            DB_MULTI_ROWS : 1;
    return 1;
}

/* head + rows x "(?,...,?)" separated by commas (at most 2 * cols + 2
 * characters a row); NULL if out of memory. */
static char *db_values_sql(const char *head, unsigned rows, unsigned cols)
{
    size_t hlen = strlen(head);
    char *sql = malloc(hlen + (size_t)rows * (2 * cols + 2) + 1);
    char *p = sql;
    unsigned r;
    unsigned c;

    if (sql == NULL) {
        return NULL;
    }
    memcpy(p, head, hlen);
    p += hlen;
    for (r = 0; r < rows; r++) {
        if (r > 0) {
            *p++ = ',';
        }
        *p++ = '(';
        for (c = 0; c < cols; c++) {
            *p++ = '?';
            *p++ = c + 1 < cols ? ',' : ')';
        }
    }
    *p = '\0';
    return sql;
}

/* Remove a journal left next to `path` by a killed run, so that it is not
 * rolled back into the new file. */
static void db_unlink_journal(const char *path)
{
    size_t plen = strlen(path);
    char *jpath = malloc(plen + sizeof("-journal"));

    if (jpath != NULL) {
        memcpy(jpath, path, plen);
        memcpy(jpath + plen, "-journal", sizeof("-journal"));
        unlink(jpath);
        free(jpath);
    }
}

/* Copy a message into the caller's buffer. */
static void db_open_err(char *err, size_t errlen, const char *path,
                        const char *why)
{
    if (err != NULL && errlen > 0) {
        snprintf(err, errlen, "%s: %s", path, why);
    }
}

int sim_db_open(struct sim_db **out, const char *path,
                const struct sim_db_opts *opts, char *err, size_t errlen)
{
    /* synchronous=OFF: see "Durability" at the top of the file.  16-KiB
     * pages cost the least CPU per appended row in bench/bench_db (64-KiB
     * pages about 25% more); the cache (16 MiB) holds the tree's interior
     * pages and a good part of a batch. */
    static const char pragmas[] =
        "PRAGMA page_size = 16384;"
        "PRAGMA journal_mode = DELETE;"
        "PRAGMA synchronous = OFF;"
        "PRAGMA cache_size = -16384;";
    struct sim_db *db;
    char sql[64];
    char *emsg = NULL;
    size_t i;
    int rc;

    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (out == NULL) {
        db_open_err(err, errlen, "sim_db_open", "no result pointer");
        return -SIM_EINVAL;
    }
    *out = NULL;
    if (path == NULL || opts == NULL || opts->sample_period == 0 ||
        opts->batch_rows == 0 || opts->walks > SIM_DB_WALKS_NONE) {
        db_open_err(err, errlen, path != NULL ? path : "sim_db_open",
                    "bad options (sample_period and batch_rows must be >= 1)");
        return -SIM_EINVAL;
    }
    db = calloc(1, sizeof(*db));
    if (db == NULL) {
        db_open_err(err, errlen, path, "out of memory");
        return -SIM_ENOMEM;
    }
    db->opts = *opts;
    db->trace.ctx = db;
    db->trace.walk = db_walk;
    db->trace.exit = db_exit;
    clock_gettime(CLOCK_MONOTONIC, &db->t0);

    /* Replace an existing file (and a journal left by a killed run). */
    if (unlink(path) != 0 && errno != ENOENT) {
        db_open_err(err, errlen, path, strerror(errno));
        free(db);
        return -SIM_EIO;
    }
    db_unlink_journal(path);

    /* NOMUTEX: the connection is used by one thread at a time (the
     * simulator's), so SQLite's per-call mutex is pure cost (~10%). */
    rc = sqlite3_open_v2(path, &db->h,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                         SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        if (db->h != NULL && sqlite3_system_errno(db->h) != 0) {
            char why[256];

            /* "unable to open database file" says little on its own. */
            snprintf(why, sizeof(why), "%s (%s)", sqlite3_errmsg(db->h),
                     strerror(sqlite3_system_errno(db->h)));
            db_open_err(err, errlen, path, why);
        } else {
            db_open_err(err, errlen, path,
                        db->h != NULL ? sqlite3_errmsg(db->h)
                                      : sqlite3_errstr(rc));
        }
        db_free(db);
        return rc == SQLITE_NOMEM ? -SIM_ENOMEM : -SIM_EIO;
    }
    /* Readers (`sqlite3` on a running run's file, `vtsim report`) may
     * hold a shared lock briefly: wait for it instead of failing. */
    sqlite3_busy_timeout(db->h, opts->busy_ms ? (int)opts->busy_ms : 10000);
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d;",
             SIM_DB_SCHEMA_VERSION);
    if (sqlite3_exec(db->h, pragmas, NULL, NULL, &emsg) != SQLITE_OK ||
        sqlite3_exec(db->h, schema_sql, NULL, NULL, &emsg) != SQLITE_OK ||
        sqlite3_exec(db->h, sql, NULL, NULL, &emsg) != SQLITE_OK) {
        db_open_err(err, errlen, path,
                    emsg != NULL ? emsg : sqlite3_errmsg(db->h));
        sqlite3_free(emsg);
        db_free(db);
        return -SIM_EIO;
    }
    for (i = 0; i < DB_STMT__COUNT; i++) {
        char *gen = NULL;
        unsigned rows;
        unsigned cols;

        if (db_values_shape(i, &rows, &cols)) {
            gen = db_values_sql(db_stmt_sql[i], rows, cols);
            if (gen == NULL) {
                db_open_err(err, errlen, path, "out of memory");
                db_free(db);
                return -SIM_ENOMEM;
            }
        }
        rc = sqlite3_prepare_v3(db->h, gen != NULL ? gen : db_stmt_sql[i],
                                -1, SQLITE_PREPARE_PERSISTENT, &db->stmt[i],
                                NULL);
        free(gen);
        if (rc != SQLITE_OK) {
            db_open_err(err, errlen, path, sqlite3_errmsg(db->h));
            db_free(db);
            return -SIM_EIO;
        }
    }
    if (db_step(db, DB_BEGIN) != 0) {
        db_open_err(err, errlen, path, db->msg);
        db_free(db);
        return -SIM_EIO;
    }
    *out = db;
    return 0;
}

void sim_db_close(struct sim_db *db)
{
    if (db == NULL) {
        return;
    }
    db_commit_txn(db, 0);
    db_free(db);
}

/* ---- run, config, names, contexts --------------------------------------- */

int sim_db_begin_run(struct sim_db *db, const char *config_path,
                     const char *command_line, uint64_t seed)
{
    sqlite3_stmt *st = db->stmt[DB_INS_RUN];
    char started[32];
    char host[256];
    int rc;

    db_utc_now(started, sizeof(started));
    if (gethostname(host, sizeof(host)) != 0) {
        snprintf(host, sizeof(host), "unknown");
    }
    host[sizeof(host) - 1] = '\0';
    db_bind_text(st, 1, started);
    db_bind_text(st, 2, DB_VERSION_TEXT);
    db_bind_text(st, 3, config_path);
    db_bind_text(st, 4, command_line);
    db_bind_text(st, 5, host);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)seed);
    rc = db_step(db, DB_INS_RUN);
    db_unbind(st);
    if (rc != 0) {
        return rc;
    }
    db->run_id = sqlite3_last_insert_rowid(db->h);
    /* A new run starts its walk numbering and grid afresh. */
    if (db->nvcpus > 0) {
        memset(db->vcpus, 0, db->nvcpus * sizeof(*db->vcpus));
    }
    return db_commit_txn(db, 1);
}

struct db_cfg_ctx {
    struct sim_db *db;
    int rc;
};

static void db_config_visit(void *ctx, const char *section, const char *key,
                            const char *value, const char *source)
{
    struct db_cfg_ctx *c = ctx;
    sqlite3_stmt *st = c->db->stmt[DB_INS_CONFIG];
    int rc;

    if (c->rc != 0) {
        return;
    }
    sqlite3_bind_int64(st, 1, c->db->run_id);
    db_bind_text(st, 2, section);
    db_bind_text(st, 3, key);
    /* The columns are NOT NULL; an unset value is the empty string. */
    db_bind_text(st, 4, value != NULL ? value : "");
    db_bind_text(st, 5, source != NULL ? source : "default");
    rc = db_step(c->db, DB_INS_CONFIG);
    db_unbind(st);
    if (rc != 0) {
        c->rc = rc;
    }
}

int sim_db_write_config(struct sim_db *db, const struct sim_cfg *cfg)
{
    struct db_cfg_ctx c = { db, 0 };

    if (cfg == NULL) {
        return -SIM_EINVAL;
    }
    sim_cfg_foreach(cfg, db_config_visit, &c);
    if (c.rc != 0) {
        return c.rc;
    }
    return db_commit_txn(db, 1);
}

/* A name-table identifier: [a-z_]+ (it is pasted into SQL). */
static int db_table_name_ok(const char *t)
{
    size_t i;

    if (t == NULL || t[0] == '\0') {
        return 0;
    }
    for (i = 0; t[i] != '\0'; i++) {
        if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '_') || i >= 64) {
            return 0;
        }
    }
    return 1;
}

int sim_db_name_table(struct sim_db *db, const char *table, unsigned n,
                      const char *const *names, const char *const *descs)
{
    char sql[192];
    sqlite3_stmt *st = NULL;
    unsigned i;
    int rc = 0;

    if (!db_table_name_ok(table)) {
        db_set_msg(db, "name table", "table name must match [a-z_]+");
        return -SIM_EINVAL;
    }
    if (n > 0 && names == NULL) {
        db_set_msg(db, table, "no names");
        return -SIM_EINVAL;
    }
    for (i = 0; i < n; i++) {
        if (names[i] == NULL) {
            db_set_msg(db, table, "NULL name");
            return -SIM_EINVAL;
        }
    }
    snprintf(sql, sizeof(sql),
             "CREATE TABLE IF NOT EXISTS %s(id INTEGER PRIMARY KEY,"
             " name TEXT NOT NULL, description TEXT)", table);
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK) {
        return db_sql_err(db, table);
    }
    snprintf(sql, sizeof(sql),
             "INSERT OR REPLACE INTO %s(id, name, description)"
             " VALUES(?1, ?2, ?3)", table);
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        return db_sql_err(db, table);
    }
    for (i = 0; i < n && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, i);
        db_bind_text(st, 2, names[i]);
        db_bind_text(st, 3, descs != NULL ? descs[i] : NULL);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = db_sql_err(db, table);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int sim_db_context(struct sim_db *db, unsigned vcpu, const char *mode,
                   unsigned glevels, unsigned hlevels,
                   const char *description)
{
    sqlite3_stmt *st = db->stmt[DB_INS_CONTEXT];
    int rc;

    if (mode == NULL) {
        db_set_msg(db, "context", "no mode");
        return -SIM_EINVAL;
    }
    sqlite3_bind_int64(st, 1, db->run_id);
    sqlite3_bind_int64(st, 2, vcpu);
    db_bind_text(st, 3, mode);
    sqlite3_bind_int64(st, 4, glevels);
    sqlite3_bind_int64(st, 5, hlevels);
    db_bind_text(st, 6, description);
    rc = db_step(db, DB_INS_CONTEXT);
    db_unbind(st);
    return rc;
}

/* ---- snapshots ---------------------------------------------------------- */

static const char *db_kind_name(enum sim_stat_kind k)
{
    switch (k) {
    case SIM_STAT_COUNTER:
        return "counter";
    case SIM_STAT_FORMULA:
        return "formula";
    case SIM_STAT_HIST:
        return "histogram";
    }
    return "counter";
}

/* name_id of a stat, inserting its `names` row the first time. */
static int db_name_id(struct sim_db *db, const struct sim_stat *st,
                      int64_t *id)
{
    sqlite3_stmt *ins = db->stmt[DB_INS_NAME];
    sqlite3_stmt *sel = db->stmt[DB_SEL_NAME];
    int rc;

    db_bind_text(ins, 1, st->object);
    db_bind_text(ins, 2, st->metric);
    db_bind_text(ins, 3, db_kind_name(st->kind));
    db_bind_text(ins, 4, st->unit);
    db_bind_text(ins, 5, st->desc);
    rc = db_step(db, DB_INS_NAME);
    db_unbind(ins);
    if (rc != 0) {
        return rc;
    }
    if (sqlite3_changes(db->h) > 0) {
        *id = sqlite3_last_insert_rowid(db->h);
        return 0;
    }
    db_bind_text(sel, 1, st->object);
    db_bind_text(sel, 2, st->metric);
    rc = sqlite3_step(sel);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(sel, 0);
        rc = 0;
    } else {
        rc = db_sql_err(db, "names lookup");
    }
    sqlite3_reset(sel);
    db_unbind(sel);
    return rc;
}

static int db_hist_row(struct sim_db *db, int64_t prefix_id, int64_t name_id,
                       int64_t bin, const uint64_t *lo, const uint64_t *hi,
                       uint64_t count)
{
    sqlite3_stmt *st = db->stmt[DB_INS_HIST];

    sqlite3_bind_int64(st, 1, prefix_id);
    sqlite3_bind_int64(st, 2, name_id);
    sqlite3_bind_int64(st, 3, bin);
    if (lo != NULL) {
        sqlite3_bind_int64(st, 4, (sqlite3_int64)*lo);
    } else {
        sqlite3_bind_null(st, 4);
    }
    if (hi != NULL) {
        sqlite3_bind_int64(st, 5, (sqlite3_int64)*hi);
    } else {
        sqlite3_bind_null(st, 5);
    }
    sqlite3_bind_int64(st, 6, (sqlite3_int64)count);
    return db_step(db, DB_INS_HIST);
}

static int db_hist_rows(struct sim_db *db, int64_t prefix_id,
                        int64_t name_id, const struct sim_hist *h)
{
    uint64_t hi_under = h->lo;
    uint64_t lo_over = h->lo + (uint64_t)h->nbins * h->width;
    unsigned b;
    int rc;

    rc = db_hist_row(db, prefix_id, name_id, -1, NULL, &hi_under, h->under);
    for (b = 0; b < h->nbins && rc == 0; b++) {
        uint64_t lo = h->lo + (uint64_t)b * h->width;
        uint64_t hi = lo + h->width;

        rc = db_hist_row(db, prefix_id, name_id, b, &lo, &hi, h->bins[b]);
    }
    if (rc == 0) {
        rc = db_hist_row(db, prefix_id, name_id, h->nbins, &lo_over, NULL,
                         h->over);
    }
    return rc;
}

/*
 * A formula that cannot be evaluated (unknown name, a cycle) gets a NULL
 * value; the snapshot is still completed and committed, and the first such
 * problem is returned afterwards.
 */
int sim_db_snapshot(struct sim_db *db, const struct sim_stats *stats,
                    const char *prefix, uint64_t cycle)
{
    sqlite3_stmt *pst = db->stmt[DB_INS_PREFIX];
    sqlite3_stmt *vst = db->stmt[DB_INS_STAT];
    size_t n = sim_stats_count(stats);
    int64_t prefix_id;
    int bad = 0;
    size_t i;
    int rc;

    if (stats == NULL || prefix == NULL) {
        db_set_msg(db, "snapshot", "no stats or prefix");
        return -SIM_EINVAL;
    }
    sqlite3_bind_int64(pst, 1, db->run_id);
    db_bind_text(pst, 2, prefix);
    sqlite3_bind_int64(pst, 3, (sqlite3_int64)cycle);
    rc = db_step(db, DB_INS_PREFIX);
    db_unbind(pst);
    if (rc != 0) {
        return rc;
    }
    prefix_id = sqlite3_last_insert_rowid(db->h);

    for (i = 0; i < n && rc == 0; i++) {
        const struct sim_stat *st = sim_stats_at(stats, i);
        int64_t name_id;

        rc = db_name_id(db, st, &name_id);
        if (rc != 0) {
            break;
        }
        sqlite3_bind_int64(vst, 1, prefix_id);
        sqlite3_bind_int64(vst, 2, name_id);
        switch (st->kind) {
        case SIM_STAT_COUNTER:
            sqlite3_bind_int64(vst, 3, (sqlite3_int64)*st->counter);
            break;
        case SIM_STAT_HIST:
            sqlite3_bind_int64(vst, 3, (sqlite3_int64)st->hist->count);
            break;
        case SIM_STAT_FORMULA: {
            double v;
            int erc = sim_stats_eval(stats, st->expr, &v);

            if (erc == 0) {
                sqlite3_bind_double(vst, 3, v);
            } else {
                sqlite3_bind_null(vst, 3);
                if (bad == 0 && db->trace_err == 0) {
                    snprintf(db->msg, sizeof(db->msg),
                             "formula %s.%s: %s", st->object, st->metric,
                             sim_strerror(erc));
                }
                if (bad == 0) {
                    bad = erc;
                }
            }
            break;
        }
        }
        rc = db_step(db, DB_INS_STAT);
        if (rc == 0 && st->kind == SIM_STAT_HIST) {
            rc = db_hist_rows(db, prefix_id, name_id, st->hist);
        }
    }
    if (rc == 0) {
        rc = db_commit_txn(db, 1);
    }
    return rc != 0 ? rc : bad;
}

/* ---- the walk trace sink ------------------------------------------------ */

const struct sim_trace *sim_db_trace(struct sim_db *db)
{
    return db != NULL ? &db->trace : NULL;
}

/* Make db->vcpus cover `vcpu`; only when a new vcpu shows up. */
static int db_grow_vcpus(struct sim_db *db, size_t vcpu)
{
    size_t n = db->nvcpus ? db->nvcpus : 4;
    struct db_vcpu *v;

    while (n <= vcpu) {
        n *= 2;
    }
    v = realloc(db->vcpus, n * sizeof(*v));
    if (v == NULL) {
        return -SIM_ENOMEM;
    }
    memset(v + db->nvcpus, 0, (n - db->nvcpus) * sizeof(*v));
    db->vcpus = v;
    db->nvcpus = n;
    return 0;
}

/* The sink failed: keep the first message, write nothing more. */
static void db_trace_fail(struct sim_db *db, int rc)
{
    if (db->trace_err == 0) {
        db->trace_err = rc;
        if (rc == -SIM_ENOMEM) {
            snprintf(db->msg, sizeof(db->msg), "walk trace: out of memory");
        } else {
            snprintf(db->msg, sizeof(db->msg), "walk trace: %s",
                     sqlite3_errmsg(db->h));
        }
    }
}

/*
 * Insert `nrows` buffered rows of `cols` values: one execution of the
 * multi-row statement for a full buffer, else row by row.  A failure is
 * the sink's failure.
 */
static int db_insert_rows(struct sim_db *db, enum db_stmt single,
                          enum db_stmt multi, const sqlite3_int64 *buf,
                          unsigned nrows, unsigned cols)
{
    sqlite3_stmt *st = db->stmt[nrows == DB_MULTI_ROWS ? multi : single];
    unsigned per = nrows == DB_MULTI_ROWS ? nrows : 1;
    unsigned done = 0;

    while (done < nrows) {
        unsigned k;
        int rc;

        for (k = 0; k < per * cols; k++) {
            sqlite3_bind_int64(st, (int)k + 1, buf[(size_t)done * cols + k]);
        }
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE) {
            db_trace_fail(db, -SIM_EIO);    /* message before the reset */
            sqlite3_reset(st);
            return -SIM_EIO;
        }
        sqlite3_reset(st);
        done += per;
    }
    return 0;
}

static int db_flush_walks(struct sim_db *db)
{
    unsigned n = db->nwalk_buf;

    db->nwalk_buf = 0;
    if (n == 0 || db->trace_err != 0) {
        return db->trace_err;
    }
    if (db_insert_rows(db, DB_INS_WALK, DB_INS_WALK_MULTI, &db->walk_buf[0][0],
                       n, DB_WALK_COLS) != 0) {
        return -SIM_EIO;
    }
    db->walk_rows += n;
    return 0;
}

static int db_flush_refs(struct sim_db *db)
{
    unsigned n = db->nref_buf;

    db->nref_buf = 0;
    if (n == 0 || db->trace_err != 0) {
        return db->trace_err;
    }
    return db_insert_rows(db, DB_INS_REF, DB_INS_REF_MULTI, &db->ref_buf[0][0],
                          n, DB_REF_COLS);
}

/* Write out every buffered trace row; failures are recorded in trace_err
 * (and discard the rest), so callers may go on and commit. */
static void db_flush(struct sim_db *db)
{
    db_flush_walks(db);
    db_flush_refs(db);
}

static void db_walk(void *ctx, const struct sim_walk_event *ev)
{
    struct sim_db *db = ctx;
    unsigned by_src[DB_GRID_SRCS] = { 0 };
    struct db_vcpu *vc;
    unsigned nrefs = ev->nrefs;
    unsigned refs = 0;
    uint64_t seq;
    int sampled;
    unsigned i;

    if (ev->vcpu >= db->nvcpus) {
        int rc = db_grow_vcpus(db, ev->vcpu);

        if (rc != 0) {
            db_trace_fail(db, rc);
            return;
        }
    }
    if (NEVER(nrefs > SIM_WALK_MAX_REFS)) {
        nrefs = SIM_WALK_MAX_REFS;
    }
    vc = &db->vcpus[ev->vcpu];
    seq = vc->seq++;

    /* The grid sees every cell of every walk, whatever the trace mode. */
    for (i = 0; i < nrefs; i++) {
        const struct sim_walk_ref *r = &ev->refs[i];
        struct db_cell *c;

        if (r->src >= DB_SRC_L1D) {
            refs++;                 /* memory references only */
        }
        if (NEVER(r->glevel >= DB_GRID_LEVELS ||
                  r->hlevel >= DB_GRID_LEVELS || r->src >= DB_GRID_SRCS)) {
            continue;
        }
        by_src[r->src]++;
        c = &vc->grid[r->glevel][r->hlevel][r->src];
        c->count++;
        c->cycles += r->cycles;
    }

    if (db->trace_err != 0 || db->opts.walks == SIM_DB_WALKS_NONE) {
        return;
    }
    sampled = seq % db->opts.sample_period == 0;
    if (db->opts.walks == SIM_DB_WALKS_ALL || sampled) {
        sqlite3_int64 *w = db->walk_buf[db->nwalk_buf];

        /* Same order as DB_WALK_COLNAMES. */
        w[0] = db->run_id;
        w[1] = ev->vcpu;
        w[2] = (sqlite3_int64)seq;
        w[3] = (sqlite3_int64)ev->cycle;
        w[4] = (sqlite3_int64)ev->va;
        w[5] = (sqlite3_int64)ev->gpa;
        w[6] = (sqlite3_int64)ev->hpa;
        w[7] = ev->mode;
        w[8] = ev->glevels;
        w[9] = ev->hlevels;
        w[10] = ev->page_shift;
        w[11] = ev->write;
        w[12] = ev->fault;
        w[13] = refs;
        w[14] = ev->cycles;
        w[15] = by_src[DB_SRC_PWC];
        w[16] = by_src[DB_SRC_NTLB];
        w[17] = by_src[DB_SRC_L1D];
        w[18] = by_src[DB_SRC_L2];
        w[19] = by_src[DB_SRC_LLC];
        w[20] = by_src[DB_SRC_DRAM];
        db->pending++;
        if (++db->nwalk_buf == DB_MULTI_ROWS && db_flush_walks(db) != 0) {
            return;
        }
    }
    if (sampled) {
        for (i = 0; i < nrefs; i++) {
            const struct sim_walk_ref *r = &ev->refs[i];
            sqlite3_int64 *x = db->ref_buf[db->nref_buf];

            /* Same order as DB_REF_COLNAMES. */
            x[0] = db->run_id;
            x[1] = ev->vcpu;
            x[2] = (sqlite3_int64)seq;
            x[3] = i;
            x[4] = r->glevel;
            x[5] = r->hlevel;
            x[6] = r->src;
            x[7] = r->cycles;
            if (++db->nref_buf == DB_MULTI_ROWS && db_flush_refs(db) != 0) {
                return;
            }
        }
        db->pending += nrefs;
    }
    if (db->pending >= db->opts.batch_rows) {
        if (db_commit_txn(db, 1) != 0) {
            db_trace_fail(db, -SIM_EIO);
        }
    }
}

/* An exit row goes straight in (exits are thousands of cycles apart, so
 * there is nothing to gain from buffering); committed with the walks. */
static void db_exit(void *ctx, const struct sim_exit_event *ev)
{
    struct sim_db *db = ctx;
    sqlite3_stmt *st = db->stmt[DB_INS_EXIT];
    int k, rc;

    if (db->trace_err != 0) {
        return;
    }
    sqlite3_bind_int64(st, 1, db->run_id);
    sqlite3_bind_int64(st, 2, ev->vcpu);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)ev->seq);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)ev->cycle);
    sqlite3_bind_text(st, 5, ev->arch != NULL ? ev->arch : "?", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, ev->reason);
    if (ev->reason_name != NULL) {
        sqlite3_bind_text(st, 7, ev->reason_name, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 7);
    }
    sqlite3_bind_int(st, 8, ev->failed_entry);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)ev->qual);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)ev->guest_rip);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)ev->exit_cycles);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)ev->handler_cycles);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)ev->entry_cycles);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)(ev->exit_cycles +
                                               ev->handler_cycles +
                                               ev->entry_cycles));
    for (k = 0; k < SIM_EXIT_STEPS; k++) {
        uint64_t v = ev->exit_cost[k] + ev->entry_cost[k];

        sqlite3_bind_int64(st, 15 + k, (sqlite3_int64)v);
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        db_trace_fail(db, -SIM_EIO);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE && ++db->pending >= db->opts.batch_rows &&
        db_commit_txn(db, 1) != 0) {
        db_trace_fail(db, -SIM_EIO);
    }
}

uint64_t sim_db_walk_rows(const struct sim_db *db)
{
    return db != NULL ? db->walk_rows : 0;
}

/* ---- end ---------------------------------------------------------------- */

int sim_db_commit(struct sim_db *db)
{
    int rc = db_commit_txn(db, 1);

    if (rc == 0 && db->trace_err != 0) {
        rc = db->trace_err;
    }
    return rc;
}

static int db_write_grid(struct sim_db *db)
{
    sqlite3_stmt *st = db->stmt[DB_INS_GRID];
    size_t v;
    unsigned g;
    unsigned h;
    unsigned s;
    int rc;

    sqlite3_bind_int64(st, 1, db->run_id);
    for (v = 0; v < db->nvcpus; v++) {
        const struct db_vcpu *vc = &db->vcpus[v];

        if (vc->seq == 0) {
            continue;
        }
        sqlite3_bind_int64(st, 2, (sqlite3_int64)v);
        for (g = 0; g < DB_GRID_LEVELS; g++) {
            for (h = 0; h < DB_GRID_LEVELS; h++) {
                for (s = 0; s < DB_GRID_SRCS; s++) {
                    const struct db_cell *c = &vc->grid[g][h][s];

                    if (c->count == 0) {
                        continue;
                    }
                    sqlite3_bind_int64(st, 3, g);
                    sqlite3_bind_int64(st, 4, h);
                    sqlite3_bind_int64(st, 5, s);
                    sqlite3_bind_int64(st, 6, (sqlite3_int64)c->count);
                    sqlite3_bind_int64(st, 7, (sqlite3_int64)c->cycles);
                    rc = db_step(db, DB_INS_GRID);
                    if (rc != 0) {
                        return rc;
                    }
                }
            }
        }
    }
    return 0;
}

int sim_db_end_run(struct sim_db *db, const char *status,
                   uint64_t sim_cycles)
{
    sqlite3_stmt *st = db->stmt[DB_END_RUN];
    char finished[32];
    struct timespec t1;
    double wall;
    int rc;

    static const char *const ok[] = { "complete", "interrupted", "failed",
                                      "triple-fault", "halted",
                                      "insn-limit", "machine-check",
                                      "pal-undefined" };
    size_t k;

    for (k = 0; status != NULL && k < SIM_ARRAY_SIZE(ok); k++) {
        if (strcmp(status, ok[k]) == 0) {
            break;
        }
    }
    if (status == NULL || k == SIM_ARRAY_SIZE(ok)) {
        db_set_msg(db, "end_run", "status must be complete, interrupted, "
                   "failed, triple-fault, halted, insn-limit, machine-check "
                   "or pal-undefined");
        return -SIM_EINVAL;
    }
    /* A run whose trace lost rows is not 'complete', whatever the caller
     * believes; the error is returned as well. */
    if (db->trace_err != 0 && strcmp(status, "complete") == 0) {
        status = "failed";
    }
    /* Whatever the sink managed to write is committed first. */
    rc = db_commit_txn(db, 1);
    if (rc == 0) {
        rc = db_write_grid(db);
    }
    if (rc == 0) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        wall = (double)(t1.tv_sec - db->t0.tv_sec) +
               (double)(t1.tv_nsec - db->t0.tv_nsec) * 1e-9;
        db_utc_now(finished, sizeof(finished));
        db_bind_text(st, 1, status);
        db_bind_text(st, 2, finished);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)sim_cycles);
        sqlite3_bind_double(st, 4, wall);
        sqlite3_bind_int64(st, 5, db->run_id);
        rc = db_step(db, DB_END_RUN);
        db_unbind(st);
    }
    if (rc == 0) {
        rc = db_commit_txn(db, 1);
    }
    if (rc == 0 && db->trace_err != 0) {
        rc = db->trace_err;             /* the trace is incomplete */
    }
    return rc;
}

const char *sim_db_errmsg(const struct sim_db *db)
{
    if (db == NULL) {
        return "no database";
    }
    return db->msg[0] != '\0' ? db->msg : "no error";
}
