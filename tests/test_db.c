/*
 * test_db.c - suite "db": the results database (sim/sim_db.c).
 *
 * Each test writes a database in a private temporary directory through the
 * sim_db API, then reopens it with the plain SQLite API and checks what a
 * user of the file would see: schema version, runs row, config, stats,
 * histogram bins, the walk trace in each mode, the aggregated walk grid and
 * PRAGMA integrity_check.  Interrupted runs (closed without end_run, or a
 * process killed with SIGKILL mid-batch) must leave a valid file holding
 * every committed batch.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, fork, kill */
#endif

#include <CUnit/CUnit.h>
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/sim_cfg.h"
#include "sim/sim_db.h"
#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "sim/sim_trace.h"
#include "test_suites.h"

/* Reference sources, numbered as in cache-tlb/ptw_src.def. */
#define SRC_NONE 0
#define SRC_PWC  1
#define SRC_NTLB 2
#define SRC_L1D  3
#define SRC_L2   4
#define SRC_LLC  5
#define SRC_DRAM 6
#define NSRC     7

#define NVCPU 2

static char tmpdir[64];

/* ---- helpers ------------------------------------------------------------- */

static int db_suite_init(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/vtsim-test-db.XXXXXX");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int db_suite_clean(void)
{
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    char path[512];

    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    return rmdir(tmpdir);
}

static void tmp_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", tmpdir, name);
}

static sqlite3 *reopen(const char *path)
{
    sqlite3 *h = NULL;

    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

/* One integer from a query (-999999 and a failed assertion if none). */
static sqlite3_int64 q_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 v = -999999;

    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
                          SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
    } else {
        CU_FAIL("query returned no row");
    }
    sqlite3_finalize(st);
    return v;
}

static double q_double(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *st = NULL;
    double v = -999999.0;

    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
                          SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_double(st, 0);
    } else {
        CU_FAIL("query returned no row");
    }
    sqlite3_finalize(st);
    return v;
}

/* Text of a one-value query into buf ("<NULL>" for NULL). */
static const char *q_text(sqlite3 *h, const char *sql, char *buf,
                          size_t len)
{
    sqlite3_stmt *st = NULL;

    snprintf(buf, len, "<no row>");
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
                          SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);

        snprintf(buf, len, "%s", t != NULL ? (const char *)t : "<NULL>");
    } else {
        CU_FAIL("query returned no row");
    }
    sqlite3_finalize(st);
    return buf;
}

static void assert_integrity_ok(sqlite3 *h)
{
    char buf[128];

    CU_ASSERT_STRING_EQUAL(q_text(h, "PRAGMA integrity_check", buf,
                                  sizeof(buf)), "ok");
}

/* ---- walk events and what the database should hold ---------------------- */

struct expect {
    uint64_t nwalks[NVCPU];         /* walks sent per vcpu */
    uint64_t walk_rows;
    uint64_t ref_rows;
    uint64_t sum_refs;              /* over rows of `walks` */
    uint64_t sum_cycles;
    uint64_t sum_src[NSRC];
    uint64_t cells;                 /* every cell sent */
    uint64_t cell_cycles;
    uint64_t grid_n[NVCPU][6][6][16];
    uint64_t grid_c[NVCPU][6][6][16];
};

/* A deterministic walk: k-th event overall; a few refs of mixed sources,
 * including skipped cells (src NONE).  Event 0 walks a high-half address. */
static void make_walk(struct sim_walk_event *ev, unsigned vcpu, unsigned k)
{
    unsigned i;

    memset(ev, 0, sizeof(*ev));
    ev->cycle = 1000u * k + 7;
    ev->va = k == 0 ? 0xffff800000001000ull : 0x400000ull + 0x1000ull * k;
    ev->gpa = 0x10000000ull + k;
    ev->hpa = 0x20000000ull + k;
    ev->vcpu = (uint16_t)vcpu;
    ev->mode = 1;
    ev->glevels = 4;
    ev->hlevels = vcpu == 0 ? 4 : 0;
    ev->page_shift = k % 4 == 3 ? 21 : 12;
    ev->fault = k % 5 == 4;
    ev->write = k & 1;
    ev->nrefs = (uint16_t)(2 + k % 6);
    for (i = 0; i < ev->nrefs; i++) {
        struct sim_walk_ref *r = &ev->refs[i];

        r->glevel = (uint8_t)(4 - i % 5);
        r->hlevel = (uint8_t)((i + k) % 5);
        r->src = (uint8_t)((i * 3 + k) % NSRC);
        r->cycles = (uint16_t)(r->src == SRC_NONE ? 0 : 4 + 10 * r->src + k);
        ev->cycles += r->cycles;
    }
}

/* Account for one event as the sink should, given the trace options. */
static void expect_walk(struct expect *x, const struct sim_db_opts *o,
                        const struct sim_walk_event *ev)
{
    uint64_t seq = x->nwalks[ev->vcpu]++;
    int sampled = seq % o->sample_period == 0;
    unsigned i;

    for (i = 0; i < ev->nrefs; i++) {
        const struct sim_walk_ref *r = &ev->refs[i];

        x->cells++;
        x->cell_cycles += r->cycles;
        x->grid_n[ev->vcpu][r->glevel][r->hlevel][r->src]++;
        x->grid_c[ev->vcpu][r->glevel][r->hlevel][r->src] += r->cycles;
    }
    if (o->walks == SIM_DB_WALKS_ALL ||
        (o->walks == SIM_DB_WALKS_SAMPLED && sampled)) {
        x->walk_rows++;
        x->sum_cycles += ev->cycles;
        for (i = 0; i < ev->nrefs; i++) {
            x->sum_src[ev->refs[i].src]++;
            x->sum_refs += ev->refs[i].src >= 3;  /* memory refs: L1D.. */
        }
    }
    if (o->walks != SIM_DB_WALKS_NONE && sampled) {
        x->ref_rows += ev->nrefs;
    }
}

/* ---- stats and config used by the round trip ----------------------------- */

struct test_cache_cfg {
    uint64_t ways;
    unsigned repl;
    const char *name;
};

static const struct sim_cfg_key test_cache_keys[] = {
    SIM_CFG_KEY(struct test_cache_cfg, ways, U64, ways, "8", 1, 64, "",
                NULL, "associativity")
    SIM_CFG_KEY(struct test_cache_cfg, repl, ENUM, repl, "lru", 0, 0, "",
                "lru|random", "replacement policy")
    SIM_CFG_KEY(struct test_cache_cfg, name, STR, name, "cache", 0, 0, "",
                NULL, "display name")
    SIM_CFG_END
};

struct cfg_row {
    char section[32];
    char key[32];
    char value[32];
    char source[32];
};

struct cfg_rows {
    struct cfg_row r[16];
    unsigned n;
};

static void collect_cfg(void *ctx, const char *section, const char *key,
                        const char *value, const char *source)
{
    struct cfg_rows *c = ctx;

    if (c->n < 16) {
        struct cfg_row *r = &c->r[c->n++];

        snprintf(r->section, sizeof(r->section), "%s", section);
        snprintf(r->key, sizeof(r->key), "%s", key);
        snprintf(r->value, sizeof(r->value), "%s", value);
        snprintf(r->source, sizeof(r->source), "%s", source);
    }
}

static struct sim_cfg *make_cfg(void)
{
    static const char *const l1d_defaults[] = { "ways=12", NULL };
    struct sim_cfg *cfg = sim_cfg_new();

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "cache/l1d", "L1 data cache",
                                    test_cache_keys, l1d_defaults, NULL), 0);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "cache/l2", "L2 cache",
                                    test_cache_keys, NULL, NULL), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.repl=random", "-o #1"),
                    0);
    return cfg;
}

static const char *const src_names[NSRC] = {
    "NONE", "PWC", "NTLB", "L1D", "L2", "LLC", "DRAM",
};
static const char *const src_descs[NSRC] = {
    "skipped", "page-walk cache", "nested TLB", "L1D", "L2", "LLC", "DRAM",
};
static const char *const mode_names[3] = { "native", "ept", "npt" };

/* ---- the round trip ------------------------------------------------------ */

struct rt_stats {
    uint64_t misses;
    uint64_t accesses;
    struct sim_hist lat;
    struct sim_stats *s;
};

static void rt_stats_init(struct rt_stats *t)
{
    static const uint64_t samples[] = { 5, 10, 12, 17, 26, 24 };
    size_t i;

    memset(t, 0, sizeof(*t));
    t->misses = 30;
    t->accesses = 120;
    t->s = sim_stats_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(t->s);
    /* Bins [10,15) [15,20) [20,25); under < 10; over >= 25. */
    CU_ASSERT_EQUAL_FATAL(sim_hist_init(&t->lat, 10, 5, 3), 0);
    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        sim_hist_add(&t->lat, samples[i]);
    }
    CU_ASSERT_EQUAL(sim_stat_counter(t->s, "cpu0.l1d", "misses", "",
                                     "L1D misses", &t->misses), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(t->s, "cpu0.l1d", "accesses", "",
                                     "L1D accesses", &t->accesses), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(t->s, "cpu0.l1d", "miss_rate", "",
                                     "misses per access",
                                     "cpu0.l1d.misses / cpu0.l1d.accesses"),
                    0);
    CU_ASSERT_EQUAL(sim_stat_formula(t->s, "cpu0.l1d", "hits", "", NULL,
                                     "cpu0.l1d.accesses - cpu0.l1d.misses"),
                    0);
    CU_ASSERT_EQUAL(sim_stat_hist(t->s, "ptw", "latency", "cycles",
                                  "walk latency", &t->lat), 0);
}

static void rt_stats_fini(struct rt_stats *t)
{
    sim_stats_free(t->s);
    sim_hist_fini(&t->lat);
}

/* Value of stat `name` in snapshot `prefix`, through the stat_values view. */
static double stat_value(sqlite3 *h, const char *prefix, const char *name)
{
    char sql[256];

    snprintf(sql, sizeof(sql),
             "SELECT value FROM stat_values WHERE prefix = '%s'"
             " AND name = '%s'", prefix, name);
    return q_double(h, sql);
}

static void check_stats(sqlite3 *h)
{
    char sql[256];
    char buf[64];

    /* One names row per stat although there are two snapshots. */
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM names"), 5);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM prefixes"), 2);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM stats"), 10);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT kind FROM names WHERE"
                                  " metric = 'miss_rate'", buf, sizeof(buf)),
                           "formula");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT kind FROM names WHERE"
                                  " metric = 'latency'", buf, sizeof(buf)),
                           "histogram");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT description FROM names WHERE"
                                  " metric = 'misses'", buf, sizeof(buf)),
                           "L1D misses");
    CU_ASSERT_EQUAL(q_int(h, "SELECT cycle FROM prefixes WHERE"
                          " prefix = 'roi-end'"), 200);

    /* Counters exact (INTEGER), formulas evaluated at snapshot time. */
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT typeof(value) FROM stat_values"
                                  " WHERE prefix = 'roi-begin' AND"
                                  " name = 'cpu0.l1d.misses'", buf,
                                  sizeof(buf)), "integer");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT typeof(value) FROM stat_values"
                                  " WHERE prefix = 'roi-begin' AND"
                                  " name = 'cpu0.l1d.miss_rate'", buf,
                                  sizeof(buf)), "real");
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-begin", "cpu0.l1d.misses"),
                           30.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-end", "cpu0.l1d.misses"),
                           45.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-begin", "cpu0.l1d.miss_rate"),
                           0.25, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-end", "cpu0.l1d.miss_rate"),
                           0.375, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-end", "cpu0.l1d.hits"),
                           75.0, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(stat_value(h, "roi-end", "ptw.latency"), 6.0,
                           1e-9);

    /* Histogram bins of the last snapshot: under, 3 bins, over. */
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM stat_hist JOIN prefixes USING (prefix_id)"
             " WHERE prefix = 'roi-end'");
    CU_ASSERT_EQUAL(q_int(h, sql), 5);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM stat_hist"), 10);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count FROM stat_hist WHERE bin = -1"
                          " AND lo IS NULL AND hi = 10 AND prefix_id ="
                          " (SELECT max(prefix_id) FROM prefixes)"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count FROM stat_hist WHERE bin = 0"
                          " AND lo = 10 AND hi = 15 AND prefix_id ="
                          " (SELECT max(prefix_id) FROM prefixes)"), 2);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count FROM stat_hist WHERE bin = 1"
                          " AND lo = 15 AND hi = 20 AND prefix_id ="
                          " (SELECT max(prefix_id) FROM prefixes)"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count FROM stat_hist WHERE bin = 2"
                          " AND lo = 20 AND hi = 25 AND prefix_id ="
                          " (SELECT max(prefix_id) FROM prefixes)"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count FROM stat_hist WHERE bin = 3"
                          " AND lo = 25 AND hi IS NULL AND prefix_id ="
                          " (SELECT max(prefix_id) FROM prefixes)"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT sum(count) FROM stat_hist WHERE"
                          " prefix_id = (SELECT max(prefix_id) FROM"
                          " prefixes)"), 6);
}

static void check_config(sqlite3 *h, const struct sim_cfg *cfg)
{
    struct cfg_rows want = { .n = 0 };
    sqlite3_stmt *st = NULL;
    char sql[128];
    char buf[64];
    unsigned i;

    sim_cfg_foreach(cfg, collect_cfg, &want);
    CU_ASSERT_EQUAL(want.n, 6);         /* 2 sections x 3 keys */
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM config");
    CU_ASSERT_EQUAL(q_int(h, sql), want.n);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h,
        "SELECT count(*) FROM config WHERE run_id = 1 AND section = ?1"
        " AND key = ?2 AND value = ?3 AND source = ?4", -1, &st, NULL),
        SQLITE_OK);
    for (i = 0; i < want.n; i++) {
        sqlite3_bind_text(st, 1, want.r[i].section, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, want.r[i].key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, want.r[i].value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, want.r[i].source, -1, SQLITE_STATIC);
        CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_ROW);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 0), 1);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    /* Values are the resolved ones; never-set keys say "default". */
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT value FROM config WHERE"
                                  " section = 'cache/l1d' AND key = 'ways'",
                                  buf, sizeof(buf)),
                           sim_cfg_get(cfg, "cache/l1d", "ways"));
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT source FROM config WHERE"
                                  " section = 'cache/l1d' AND key = 'name'",
                                  buf, sizeof(buf)), "default");
}

static void check_walks(sqlite3 *h, const struct expect *x,
                        const struct sim_db_opts *o)
{
    static const char *const src_col[NSRC] = {
        NULL, "pwc", "ntlb", "l1d", "l2", "llc", "dram",
    };
    struct sim_walk_event ev;
    sqlite3_stmt *st = NULL;
    uint64_t cells = 0;
    uint64_t rows = 0;
    char sql[256];
    unsigned s;
    unsigned i;

    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walks"), x->walk_rows);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walk_refs"), x->ref_rows);
    if (o->walks == SIM_DB_WALKS_ALL) {
        CU_ASSERT_EQUAL(x->walk_rows, x->nwalks[0] + x->nwalks[1]);
    } else if (o->walks == SIM_DB_WALKS_SAMPLED) {
        uint64_t p = o->sample_period;

        CU_ASSERT_EQUAL(x->walk_rows, (x->nwalks[0] + p - 1) / p +
                                      (x->nwalks[1] + p - 1) / p);
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM walks"
                 " WHERE seq %% %u != 0", (unsigned)p);
        CU_ASSERT_EQUAL(q_int(h, sql), 0);
    } else {
        CU_ASSERT_EQUAL(x->walk_rows, 0);
        CU_ASSERT_EQUAL(x->ref_rows, 0);
    }

    if (x->walk_rows > 0) {
        CU_ASSERT_EQUAL(q_int(h, "SELECT sum(refs) FROM walks"), x->sum_refs);
        CU_ASSERT_EQUAL(q_int(h, "SELECT sum(cycles) FROM walks"),
                        x->sum_cycles);
        for (s = SRC_PWC; s < NSRC; s++) {
            snprintf(sql, sizeof(sql), "SELECT sum(%s) FROM walks",
                     src_col[s]);
            CU_ASSERT_EQUAL(q_int(h, sql), x->sum_src[s]);
        }
        /* The first walk of vcpu 0 is event 0: every column. */
        make_walk(&ev, 0, 0);
        CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h,
            "SELECT cycle, va, gpa, hpa, mode, glevels, hlevels, page_shift,"
            " write, fault, cycles, run_id FROM walks WHERE vcpu = 0"
            " AND seq = 0", -1, &st, NULL), SQLITE_OK);
        CU_ASSERT_EQUAL_FATAL(sqlite3_step(st), SQLITE_ROW);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 0), (int64_t)ev.cycle);
        CU_ASSERT_EQUAL((uint64_t)sqlite3_column_int64(st, 1), ev.va);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 2), (int64_t)ev.gpa);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 3), (int64_t)ev.hpa);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 4), ev.mode);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 5), ev.glevels);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 6), ev.hlevels);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 7), ev.page_shift);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 8), ev.write);
        CU_ASSERT_EQUAL(sqlite3_column_int(st, 9), ev.fault);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 10), ev.cycles);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 11), 1);
        sqlite3_finalize(st);
    }
    if (x->ref_rows > 0) {
        /* Cells of walk (vcpu 0, seq 0) in order. */
        make_walk(&ev, 0, 0);
        CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h,
            "SELECT idx, glevel, hlevel, src, cycles FROM walk_refs"
            " WHERE vcpu = 0 AND seq = 0 ORDER BY idx", -1, &st, NULL),
            SQLITE_OK);
        for (i = 0; i < ev.nrefs; i++) {
            CU_ASSERT_EQUAL_FATAL(sqlite3_step(st), SQLITE_ROW);
            CU_ASSERT_EQUAL(sqlite3_column_int(st, 0), (int)i);
            CU_ASSERT_EQUAL(sqlite3_column_int(st, 1), ev.refs[i].glevel);
            CU_ASSERT_EQUAL(sqlite3_column_int(st, 2), ev.refs[i].hlevel);
            CU_ASSERT_EQUAL(sqlite3_column_int(st, 3), ev.refs[i].src);
            CU_ASSERT_EQUAL(sqlite3_column_int(st, 4), ev.refs[i].cycles);
        }
        CU_ASSERT_EQUAL(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }

    /* The grid holds every cell of every walk, whatever the mode. */
    CU_ASSERT_EQUAL(q_int(h, "SELECT sum(count) FROM walk_grid"), x->cells);
    CU_ASSERT_EQUAL(q_int(h, "SELECT sum(cycles) FROM walk_grid"),
                    x->cell_cycles);
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h,
        "SELECT vcpu, glevel, hlevel, src, count, cycles FROM walk_grid",
        -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int v = sqlite3_column_int(st, 0);
        int g = sqlite3_column_int(st, 1);
        int hl = sqlite3_column_int(st, 2);
        int sr = sqlite3_column_int(st, 3);

        CU_ASSERT_FATAL(v >= 0 && v < NVCPU && g >= 0 && g < 6 &&
                        hl >= 0 && hl < 6 && sr >= 0 && sr < 16);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 4),
                        (int64_t)x->grid_n[v][g][hl][sr]);
        CU_ASSERT_EQUAL(sqlite3_column_int64(st, 5),
                        (int64_t)x->grid_c[v][g][hl][sr]);
        CU_ASSERT_NOT_EQUAL(sqlite3_column_int64(st, 4), 0);
        rows++;
    }
    sqlite3_finalize(st);
    for (i = 0; i < NVCPU * 6 * 6 * 16; i++) {
        cells += (&x->grid_n[0][0][0][0])[i] != 0;
    }
    CU_ASSERT_EQUAL(rows, cells);
}

static void round_trip(unsigned walks_mode, const char *file)
{
    struct sim_db_opts opts = { walks_mode, 3, 5, 0 };
    static struct expect x;
    struct sim_walk_event ev;
    struct rt_stats stats;
    struct sim_cfg *cfg;
    struct sim_db *db = NULL;
    char path[512];
    char err[256];
    char buf[128];
    sqlite3 *h;
    unsigned k;

    memset(&x, 0, sizeof(x));
    tmp_path(path, sizeof(path), file);
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(db);
    CU_ASSERT_EQUAL(sim_db_begin_run(db, "configs/test.ini",
                                     "vtsim run configs/test.ini",
                                     0x123456789ull), 0);
    cfg = make_cfg();
    CU_ASSERT_EQUAL(sim_db_write_config(db, cfg), 0);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "walk_srcs", NSRC, src_names,
                                      src_descs), 0);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "walk_modes", 3, mode_names, NULL),
                    0);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "test_new_table", 2, mode_names,
                                      NULL), 0);
    CU_ASSERT_EQUAL(sim_db_context(db, 0, "ept", 4, 4, "guest 0 under EPT"),
                    0);
    CU_ASSERT_EQUAL(sim_db_context(db, 1, "native", 4, 0, NULL), 0);

    rt_stats_init(&stats);
    CU_ASSERT_EQUAL(sim_db_snapshot(db, stats.s, "roi-begin", 100), 0);

    /* 23 walks over 2 vcpus (vcpu 0: 16, vcpu 1: 7), batches of 5 rows. */
    for (k = 0; k < 23; k++) {
        unsigned vcpu = k % 3 == 2 ? 1 : 0;

        make_walk(&ev, vcpu, k);
        sim_trace_walk(sim_db_trace(db), &ev);
        expect_walk(&x, &opts, &ev);
    }
    CU_ASSERT_EQUAL(x.nwalks[0], 16);
    CU_ASSERT_EQUAL(x.nwalks[1], 7);
    CU_ASSERT_EQUAL(sim_db_walk_rows(db), x.walk_rows);
    /* ALL: every walk; SAMPLED: ceil(16/3) + ceil(7/3); NONE: none. */
    CU_ASSERT_EQUAL(x.walk_rows, walks_mode == SIM_DB_WALKS_ALL ? 23 :
                                 walks_mode == SIM_DB_WALKS_SAMPLED ? 9 : 0);

    stats.misses = 45;
    CU_ASSERT_EQUAL(sim_db_snapshot(db, stats.s, "roi-end", 200), 0);
    CU_ASSERT_EQUAL(sim_db_end_run(db, "complete", 987654321), 0);
    sim_db_close(db);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(q_int(h, "PRAGMA user_version"), SIM_DB_SCHEMA_VERSION);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM runs"), 1);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT status FROM runs", buf,
                                  sizeof(buf)), "complete");
    CU_ASSERT_EQUAL(q_int(h, "SELECT seed FROM runs"), 0x123456789ll);
    CU_ASSERT_EQUAL(q_int(h, "SELECT sim_cycles FROM runs"), 987654321);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT config_file FROM runs", buf,
                                  sizeof(buf)), "configs/test.ini");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT command_line FROM runs", buf,
                                  sizeof(buf)),
                           "vtsim run configs/test.ini");
    CU_ASSERT_EQUAL(q_int(h, "SELECT started GLOB '[0-9][0-9][0-9][0-9]-"
                          "[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:"
                          "[0-9][0-9]Z' AND finished >= started FROM runs"),
                    1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT wall_seconds >= 0 AND wall_seconds < 600"
                          " AND typeof(wall_seconds) = 'real' FROM runs"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT length(vtsim_version) > 0 AND"
                          " length(host) > 0 FROM runs"), 1);

    check_config(h, cfg);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walk_srcs"), NSRC);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT name FROM walk_srcs WHERE"
                                  " id = 6", buf, sizeof(buf)), "DRAM");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT description FROM walk_srcs"
                                  " WHERE id = 2", buf, sizeof(buf)),
                           "nested TLB");
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT name FROM walk_modes WHERE"
                                  " id = 1 AND description IS NULL", buf,
                                  sizeof(buf)), "ept");
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM test_new_table"), 2);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM contexts"), 2);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT mode || glevels || hlevels FROM"
                                  " contexts WHERE vcpu = 0", buf,
                                  sizeof(buf)), "ept44");
    check_stats(h);
    check_walks(h, &x, &opts);
    assert_integrity_ok(h);
    sqlite3_close(h);

    rt_stats_fini(&stats);
    sim_cfg_free(cfg);
}

static void test_db_round_trip_all(void)
{
    round_trip(SIM_DB_WALKS_ALL, "all.db");
}

static void test_db_round_trip_sampled(void)
{
    round_trip(SIM_DB_WALKS_SAMPLED, "sampled.db");
}

static void test_db_round_trip_none(void)
{
    round_trip(SIM_DB_WALKS_NONE, "none.db");
}

/*
 * Enough walks that the writer's buffered multi-row INSERTs run many times,
 * with commits falling in the middle of a buffer.
 */
#define MANY_WALKS 3001

static void many_walks(unsigned walks_mode, const char *file)
{
    struct sim_db_opts opts = { walks_mode, 4, 333, 0 };
    static struct expect x;
    static unsigned kmap[NVCPU][MANY_WALKS];   /* (vcpu, seq) -> event */
    struct sim_walk_event ev;
    struct sim_db *db = NULL;
    sqlite3_stmt *st = NULL;
    uint64_t rows = 0;
    char path[512];
    char err[256];
    sqlite3 *h;
    unsigned k;

    memset(&x, 0, sizeof(x));
    tmp_path(path, sizeof(path), file);
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(sim_db_begin_run(db, NULL, NULL, 0), 0);
    for (k = 0; k < MANY_WALKS; k++) {
        unsigned v = k % 3 == 2 ? 1 : 0;

        kmap[v][x.nwalks[v]] = k;
        make_walk(&ev, v, k);
        sim_trace_walk(sim_db_trace(db), &ev);
        expect_walk(&x, &opts, &ev);
    }
    CU_ASSERT_EQUAL(sim_db_end_run(db, "complete", 1), 0);
    CU_ASSERT_EQUAL(sim_db_walk_rows(db), x.walk_rows);
    sim_db_close(db);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    check_walks(h, &x, &opts);
    /* Rows arrive in order: seq increases with rowid within a vcpu. */
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM (SELECT seq, lag(seq)"
                          " OVER (PARTITION BY vcpu ORDER BY rowid) AS prev"
                          " FROM walks) WHERE seq <= prev"), 0);
    /* Every row, column by column, is the event it stands for. */
    CU_ASSERT_EQUAL_FATAL(sqlite3_prepare_v2(h,
        "SELECT vcpu, seq, cycle, va, gpa, hpa, mode, glevels, hlevels,"
        " page_shift, write, fault, refs, cycles, pwc, ntlb, l1d, l2, llc,"
        " dram, run_id FROM walks", -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t got[21];
        int64_t want[21];
        unsigned by_src[NSRC] = { 0 };
        unsigned v = (unsigned)sqlite3_column_int(st, 0);
        uint64_t seq = (uint64_t)sqlite3_column_int64(st, 1);
        unsigned c;

        CU_ASSERT_FATAL(v < NVCPU && seq < x.nwalks[v]);
        make_walk(&ev, v, kmap[v][seq]);
        for (c = 0; c < ev.nrefs; c++) {
            by_src[ev.refs[c].src]++;
        }
        want[0] = v;
        want[1] = (int64_t)seq;
        want[2] = (int64_t)ev.cycle;
        want[3] = (int64_t)ev.va;
        want[4] = (int64_t)ev.gpa;
        want[5] = (int64_t)ev.hpa;
        want[6] = ev.mode;
        want[7] = ev.glevels;
        want[8] = ev.hlevels;
        want[9] = ev.page_shift;
        want[10] = ev.write;
        want[11] = ev.fault;
        /* memory references: cells served by L1D, L2, LLC or DRAM */
        want[12] = ev.nrefs - by_src[SRC_NONE] - by_src[SRC_PWC] -
                   by_src[SRC_NTLB];
        want[13] = ev.cycles;
        for (c = 0; c < 6; c++) {
            want[14 + c] = by_src[SRC_PWC + c];
        }
        want[20] = 1;
        for (c = 0; c < 21; c++) {
            got[c] = sqlite3_column_int64(st, (int)c);
        }
        CU_ASSERT_EQUAL(memcmp(got, want, sizeof(got)), 0);
        rows++;
    }
    sqlite3_finalize(st);
    CU_ASSERT_EQUAL(rows, x.walk_rows);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM (SELECT vcpu, seq,"
                          " count(*) AS n, min(idx) AS lo, max(idx) AS hi"
                          " FROM walk_refs GROUP BY vcpu, seq)"
                          " WHERE lo != 0 OR hi != n - 1"), 0);
    assert_integrity_ok(h);
    sqlite3_close(h);
}

static void test_db_many_walks_all(void)
{
    many_walks(SIM_DB_WALKS_ALL, "many-all.db");
}

static void test_db_many_walks_sampled(void)
{
    many_walks(SIM_DB_WALKS_SAMPLED, "many-sampled.db");
}

/* ---- interrupted runs ---------------------------------------------------- */

/* Closed without end_run: everything is there, status stays 'running'. */
static void test_db_close_without_end_run(void)
{
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 1000, 1000, 0 };
    struct sim_walk_event ev;
    struct sim_db *db = NULL;
    char path[512];
    char err[256];
    char buf[64];
    sqlite3 *h;
    unsigned k;

    tmp_path(path, sizeof(path), "noend.db");
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(sim_db_begin_run(db, NULL, "vtsim", 1), 0);
    for (k = 0; k < 10; k++) {
        make_walk(&ev, 0, k);
        sim_trace_walk(sim_db_trace(db), &ev);
    }
    sim_db_close(db);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    assert_integrity_ok(h);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT status FROM runs", buf,
                                  sizeof(buf)), "running");
    CU_ASSERT_EQUAL(q_int(h, "SELECT finished IS NULL FROM runs"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walks"), 10);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walk_grid"), 0);
    sqlite3_close(h);
}

/*
 * A child process writes 280 walks (one row each) in batches of 150 and is
 * killed with SIGKILL in the middle of the second batch, after part of it
 * has reached SQLite (a hot journal is left behind): the file must open,
 * pass integrity_check, hold exactly the committed batch and say
 * 'running'.
 */
static void test_db_killed_run(void)
{
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 1000000, 150, 0 };
    char path[512];
    char jpath[600];
    char buf[64];
    sqlite3 *h;
    pid_t pid;
    int status = 0;

    tmp_path(path, sizeof(path), "killed.db");
    fflush(NULL);
    pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        struct sim_walk_event ev;
        struct sim_db *db = NULL;
        char err[256];
        unsigned k;

        if (sim_db_open(&db, path, &opts, err, sizeof(err)) != 0 ||
            sim_db_begin_run(db, NULL, "vtsim", 7) != 0) {
            _exit(3);
        }
        for (k = 0; k < 280; k++) {
            make_walk(&ev, 0, k);
            ev.nrefs = 0;               /* exactly one row per walk */
            sim_trace_walk(sim_db_trace(db), &ev);
        }
        kill(getpid(), SIGKILL);
        _exit(4);
    }
    CU_ASSERT_EQUAL_FATAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    snprintf(jpath, sizeof(jpath), "%s-journal", path);
    CU_ASSERT_EQUAL(access(jpath, F_OK), 0);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    assert_integrity_ok(h);
    CU_ASSERT_EQUAL(q_int(h, "PRAGMA user_version"), SIM_DB_SCHEMA_VERSION);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT status FROM runs", buf,
                                  sizeof(buf)), "running");
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walks"), 150);
    CU_ASSERT_EQUAL(q_int(h, "SELECT max(seq) FROM walks"), 149);
    sqlite3_close(h);

    /* Opening the same path again replaces the file of the killed run. */
    {
        struct sim_db *db = NULL;
        char err[256];

        CU_ASSERT_EQUAL(sim_db_open(&db, path, &opts, err, sizeof(err)), 0);
        sim_db_close(db);
        h = reopen(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(h);
        CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walks"), 0);
        CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM runs"), 0);
        sqlite3_close(h);
    }
}

/* ---- errors -------------------------------------------------------------- */

static void test_db_open_errors(void)
{
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 1, 1, 0 };
    struct sim_db_opts bad = { SIM_DB_WALKS_ALL, 0, 1, 0 };
    struct sim_db *db = (struct sim_db *)&opts;
    char path[512];
    char err[256];
    char small[8];
    FILE *f;
    sqlite3 *h;

    err[0] = '\0';
    CU_ASSERT_EQUAL(sim_db_open(&db, "/nonexistent-vtsim-dir/x/run.db",
                                &opts, err, sizeof(err)), -SIM_EIO);
    CU_ASSERT_PTR_NULL(db);
    CU_ASSERT(strlen(err) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "/nonexistent-vtsim-dir/x/run.db"));

    /* A short buffer gets a truncated, terminated message. */
    memset(small, 'x', sizeof(small));
    CU_ASSERT_EQUAL(sim_db_open(&db, "/nonexistent-vtsim-dir/x/run.db",
                                &opts, small, sizeof(small)), -SIM_EIO);
    CU_ASSERT_EQUAL(small[sizeof(small) - 1], '\0');

    tmp_path(path, sizeof(path), "bad-opts.db");
    CU_ASSERT_EQUAL(sim_db_open(&db, path, &bad, err, sizeof(err)),
                    -SIM_EINVAL);
    CU_ASSERT_PTR_NULL(db);

    /* Whatever was at the path is replaced, even a non-database. */
    tmp_path(path, sizeof(path), "junk.db");
    f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("this is not an SQLite database, not even close\n", f);
    fclose(f);
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    sim_db_close(db);
    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(q_int(h, "PRAGMA user_version"), SIM_DB_SCHEMA_VERSION);
    assert_integrity_ok(h);
    sqlite3_close(h);

    sim_db_close(NULL);                 /* safe on NULL */
}

static void test_db_api_errors(void)
{
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 1, 100, 0 };
    struct sim_db *db = NULL;
    struct sim_stats *s;
    uint64_t one = 1;
    char path[512];
    char err[256];
    sqlite3 *h;

    tmp_path(path, sizeof(path), "api.db");
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(sim_db_begin_run(db, NULL, NULL, 0), 0);

    /* Table names are pasted into SQL: only [a-z_]+. */
    CU_ASSERT_EQUAL(sim_db_name_table(db, "Walk_srcs", 1, src_names, NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "walk-srcs", 1, src_names, NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "x; DROP TABLE runs", 1, src_names,
                                      NULL), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_db_name_table(db, "", 1, src_names, NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_db_name_table(db, NULL, 1, src_names, NULL),
                    -SIM_EINVAL);

    /* An SQL failure is -SIM_EIO with SQLite's message. */
    CU_ASSERT_EQUAL(sim_db_name_table(db, "runs", 1, src_names, NULL),
                    -SIM_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_db_errmsg(db), "no column"));

    CU_ASSERT_EQUAL(sim_db_end_run(db, "done", 1), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_db_end_run(db, NULL, 1), -SIM_EINVAL);
    /* Every stop status a runner can write is accepted (checked later on
     * the file: the last one wins). */
    CU_ASSERT_EQUAL(sim_db_end_run(db, "pal-undefined", 1), 0);
    CU_ASSERT_EQUAL(sim_db_end_run(db, "machine-check", 1), 0);

    /* A formula that cannot be evaluated is stored as NULL; the other
     * stats of the snapshot are written and the problem is reported. */
    s = sim_stats_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "a", "one", "", "", &one), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "a", "broken", "", "", "a.nope * 2"),
                    0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "a", "two", "", "", "a.one * 2"), 0);
    CU_ASSERT_EQUAL(sim_db_snapshot(db, s, "end", 5), -SIM_ENOENT);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_db_errmsg(db), "a.broken"));
    CU_ASSERT_EQUAL(sim_db_end_run(db, "interrupted", 5), 0);
    sim_db_close(db);
    sim_stats_free(s);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM runs WHERE status ="
                          " 'interrupted'"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT value IS NULL FROM stat_values WHERE"
                          " name = 'a.broken'"), 1);
    CU_ASSERT_EQUAL(q_int(h, "SELECT value FROM stat_values WHERE"
                          " name = 'a.two'"), 2);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM sqlite_master WHERE"
                          " name = 'runs'"), 1);
    assert_integrity_ok(h);
    sqlite3_close(h);
}

/*
 * The sink cannot return an error.  A reader holding the file's shared lock
 * makes the sink's batch COMMIT fail (SQLITE_BUSY): the sink must remember
 * that first error, stop writing, and end_run must report it (and mark the
 * run 'failed' rather than 'complete').
 */
static void test_db_trace_error_sticks(void)
{
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 1000, 5, 1 };
    struct sim_walk_event ev;
    struct sim_db *db = NULL;
    sqlite3 *reader = NULL;
    char path[512];
    char err[256];
    char buf[64];
    sqlite3 *h;
    unsigned k;

    tmp_path(path, sizeof(path), "busy.db");
    CU_ASSERT_EQUAL_FATAL(sim_db_open(&db, path, &opts, err, sizeof(err)),
                          0);
    CU_ASSERT_EQUAL(sim_db_begin_run(db, NULL, NULL, 0), 0);
    reader = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(reader);
    CU_ASSERT_EQUAL_FATAL(sqlite3_exec(reader,
        "BEGIN; SELECT count(*) FROM runs;", NULL, NULL, NULL), SQLITE_OK);

    for (k = 0; k < 12; k++) {
        make_walk(&ev, 0, k);
        ev.nrefs = 0;
        sim_trace_walk(sim_db_trace(db), &ev);
    }
    /* Rows 1-5 were written, their COMMIT failed, nothing after that. */
    CU_ASSERT_EQUAL(sim_db_walk_rows(db), 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_db_errmsg(db), "walk trace"));

    CU_ASSERT_EQUAL(sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL),
                    SQLITE_OK);
    sqlite3_close(reader);
    CU_ASSERT_EQUAL(sim_db_commit(db), -SIM_EIO);
    CU_ASSERT_EQUAL(sim_db_end_run(db, "complete", 1), -SIM_EIO);
    CU_ASSERT_PTR_NOT_NULL(strstr(sim_db_errmsg(db), "walk trace"));
    sim_db_close(db);

    h = reopen(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    assert_integrity_ok(h);
    CU_ASSERT_EQUAL(q_int(h, "SELECT count(*) FROM walks"), 5);
    CU_ASSERT_STRING_EQUAL(q_text(h, "SELECT status FROM runs", buf,
                                  sizeof(buf)), "failed");
    sqlite3_close(h);
}

int test_db_register(void)
{
    CU_pSuite s = CU_add_suite("db", db_suite_init, db_suite_clean);

    if (s == NULL) {
        return -1;
    }
    if (!CU_add_test(s, "round_trip_all", test_db_round_trip_all) ||
        !CU_add_test(s, "round_trip_sampled", test_db_round_trip_sampled) ||
        !CU_add_test(s, "round_trip_none", test_db_round_trip_none) ||
        !CU_add_test(s, "many_walks_all", test_db_many_walks_all) ||
        !CU_add_test(s, "many_walks_sampled", test_db_many_walks_sampled) ||
        !CU_add_test(s, "close_without_end_run",
                     test_db_close_without_end_run) ||
        !CU_add_test(s, "killed_run", test_db_killed_run) ||
        !CU_add_test(s, "open_errors", test_db_open_errors) ||
        !CU_add_test(s, "api_errors", test_db_api_errors) ||
        !CU_add_test(s, "trace_error_sticks", test_db_trace_error_sticks)) {
        return -1;
    }
    return 0;
}
