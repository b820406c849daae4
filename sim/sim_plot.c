/*
 * sim_plot.c - `vtsim report` and `vtsim plot`: read a results database,
 * run the named queries of results/sql/, write .dat files and draw them with
 * the gnuplot templates of results/plots/.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "config.h"
#include "sim_cli.h"
#include "sim_db.h"
#include "sim_err.h"

#define MAX_CTX 64

struct plot_ctx {
    int vcpu;
    char mode[16];
    int glevels;
    int hlevels;
    double walks;               /* walks of the measured region */
};

struct plot_db {
    sqlite3 *db;
    sqlite3_int64 run;
    char status[32];
    int nctx;
    struct plot_ctx ctx[MAX_CTX];
};

static int plot_open(struct plot_db *p, const char *path)
{
    sqlite3_stmt *st;
    int version = -1;

    memset(p, 0, sizeof(*p));
    if (access(path, R_OK) != 0) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (sqlite3_open_v2(path, &p->db, SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path,
                sqlite3_errmsg(p->db));
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, "PRAGMA user_version", -1, &st, NULL) ==
        SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        version = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    if (version != SIM_DB_SCHEMA_VERSION) {
        fprintf(stderr, "vtsim: error: %s: not a vtsim results database "
                "of schema version %d (found %d)\n", path,
                SIM_DB_SCHEMA_VERSION, version);
        return -1;
    }
    if (sqlite3_prepare_v2(p->db, "SELECT run_id, status FROM runs "
                           "ORDER BY run_id DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK || sqlite3_step(st) !=
        SQLITE_ROW) {
        sqlite3_finalize(st);
        fprintf(stderr, "vtsim: error: %s: holds no run\n", path);
        return -1;
    }
    p->run = sqlite3_column_int64(st, 0);
    snprintf(p->status, sizeof(p->status), "%s",
             (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);

    /* Contexts, and the walks of their measured region from the stats:
     * last snapshot minus warmup-end. */
    if (sqlite3_prepare_v2(p->db,
            "SELECT c.vcpu, c.mode, c.glevels, c.hlevels, coalesce("
            " (SELECT s.value FROM stats s JOIN names n USING (name_id)"
            "  JOIN prefixes p USING (prefix_id) WHERE p.run_id = c.run_id"
            "  AND n.object = 'cpu' || c.vcpu || '.ptw' AND n.metric ="
            "  'walks' AND p.prefix <> 'warmup-end'"
            "  ORDER BY p.prefix_id DESC LIMIT 1) -"
            " (SELECT s.value FROM stats s JOIN names n USING (name_id)"
            "  JOIN prefixes p USING (prefix_id) WHERE p.run_id = c.run_id"
            "  AND n.object = 'cpu' || c.vcpu || '.ptw' AND n.metric ="
            "  'walks' AND p.prefix = 'warmup-end'), 0) "
            "FROM contexts c WHERE c.run_id = ?1 ORDER BY c.vcpu",
            -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path,
                sqlite3_errmsg(p->db));
        return -1;
    }
    sqlite3_bind_int64(st, 1, p->run);
    while (sqlite3_step(st) == SQLITE_ROW && p->nctx < MAX_CTX) {
        struct plot_ctx *c = &p->ctx[p->nctx++];

        c->vcpu = sqlite3_column_int(st, 0);
        snprintf(c->mode, sizeof(c->mode), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        c->glevels = sqlite3_column_int(st, 2);
        c->hlevels = sqlite3_column_int(st, 3);
        c->walks = sqlite3_column_double(st, 4);
    }
    sqlite3_finalize(st);
    return 0;
}

static char *plot_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf != NULL) {
        buf[n] = '\0';
    }
    fclose(f);
    return buf;
}

/* Prepare the named query results/sql/<name>.sql and bind :run, :vcpu,
 * :walks where the query uses them. */
static sqlite3_stmt *plot_query(struct plot_db *p, const char *name,
                                int vcpu, double walks)
{
    char path[4096];
    char *sql;
    sqlite3_stmt *st = NULL;
    int idx;

    snprintf(path, sizeof(path), "%s/results/sql/%s.sql", sim_cli_datadir(),
             name);
    sql = plot_read_file(path);
    if (sql == NULL) {
        fprintf(stderr, "vtsim: error: cannot read query %s\n", path);
        return NULL;
    }
    if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path,
                sqlite3_errmsg(p->db));
        free(sql);
        return NULL;
    }
    free(sql);
    if ((idx = sqlite3_bind_parameter_index(st, ":run")) > 0) {
        sqlite3_bind_int64(st, idx, p->run);
    }
    if ((idx = sqlite3_bind_parameter_index(st, ":vcpu")) > 0) {
        sqlite3_bind_int(st, idx, vcpu);
    }
    if ((idx = sqlite3_bind_parameter_index(st, ":walks")) > 0) {
        sqlite3_bind_double(st, idx, walks > 0 ? walks : 1);
    }
    return st;
}

/* A latency distribution, counts by latency value: the walks of one
 * context, or the round trips of one exit reason. */
struct plot_dist {
    uint64_t *lat;
    uint64_t *cnt;
    size_t n;
    size_t cap;
    uint64_t total;
};

/* Append one (latency, count) row; rows come sorted by latency. */
static int plot_dist_add(struct plot_dist *d, uint64_t lat, uint64_t cnt)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        uint64_t *l = realloc(d->lat, cap * sizeof(uint64_t));

        if (l == NULL) {
            return -1;
        }
        d->lat = l;
        l = realloc(d->cnt, cap * sizeof(uint64_t));
        if (l == NULL) {
            return -1;
        }
        d->cnt = l;
        d->cap = cap;
    }
    d->lat[d->n] = lat;
    d->cnt[d->n] = cnt;
    d->total += cnt;
    d->n++;
    return 0;
}

static int plot_load_dist(struct plot_db *p, int vcpu, struct plot_dist *d)
{
    sqlite3_stmt *st = plot_query(p, "walk_latency", vcpu, 0);

    memset(d, 0, sizeof(*d));
    if (st == NULL) {
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (plot_dist_add(d, (uint64_t)sqlite3_column_int64(st, 0),
                          (uint64_t)sqlite3_column_int64(st, 1)) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return 0;
}

static uint64_t plot_percentile(const struct plot_dist *d, double q)
{
    uint64_t want = (uint64_t)ceil(q * (double)d->total);
    uint64_t acc = 0;
    size_t i;

    for (i = 0; i < d->n; i++) {
        acc += d->cnt[i];
        if (acc >= want) {
            return d->lat[i];
        }
    }
    return d->n ? d->lat[d->n - 1] : 0;
}

static double plot_mean(const struct plot_dist *d)
{
    double s = 0;
    size_t i;

    for (i = 0; i < d->n; i++) {
        s += (double)d->lat[i] * (double)d->cnt[i];
    }
    return d->total ? s / (double)d->total : 0;
}

static void plot_free_dist(struct plot_dist *d)
{
    free(d->lat);
    free(d->cnt);
}

/* ---- exits ---- */

/* The step columns: drain ucode checks save load msr tlb refill. */
#define PLOT_EXIT_STEPS 8

/* The exits of one (arch, reason): the round-trip distribution of
 * exit_latency.sql and the means of exit_cost.sql.  arch and name are
 * reduced to [A-Za-z0-9_.+-] so that they make gnuplot words and file
 * names. */
struct plot_exit {
    char arch[16];
    char name[64];
    int64_t reason;
    struct plot_dist rt;
    uint64_t count;
    double step[PLOT_EXIT_STEPS];
    double handler;
    double round_trip;
    double exit;
    double entry;
};

struct plot_exits {
    struct plot_exit *g;
    size_t n;
};

static void plot_word(char *dst, size_t size, const unsigned char *src)
{
    size_t i = 0;

    if (src == NULL) {
        src = (const unsigned char *)"?";
    }
    for (; src[i] != '\0' && i + 1 < size; i++) {
        unsigned char c = src[i];

        dst[i] = (char)((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                        c == '+' || c == '-' ? c : '_');
    }
    dst[i] = '\0';
}

static struct plot_exit *plot_exit_find(struct plot_exits *ex,
                                        const char *arch, int64_t reason,
                                        const char *name)
{
    size_t i;

    for (i = ex->n; i-- > 0;) {
        struct plot_exit *g = &ex->g[i];

        if (g->reason == reason && strcmp(g->arch, arch) == 0 &&
            strcmp(g->name, name) == 0) {
            return g;
        }
    }
    return NULL;
}

static void plot_free_exits(struct plot_exits *ex)
{
    size_t i;

    for (i = 0; i < ex->n; i++) {
        plot_free_dist(&ex->g[i].rt);
    }
    free(ex->g);
    memset(ex, 0, sizeof(*ex));
}

/* Read the exits of the run, grouped by (arch, reason).  A database
 * without exit rows gives ex->n = 0. */
static int plot_load_exits(struct plot_db *p, struct plot_exits *ex)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int k;

    memset(ex, 0, sizeof(*ex));
    /* One read transaction: both queries see the same rows, even of a run
     * that is still writing. */
    sqlite3_exec(p->db, "BEGIN", NULL, NULL, NULL);
    st = plot_query(p, "exit_latency", 0, 0);
    if (st == NULL) {
        sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        char arch[sizeof(ex->g->arch)];
        char name[sizeof(ex->g->name)];
        int64_t reason = sqlite3_column_int64(st, 1);
        struct plot_exit *g = ex->n ? &ex->g[ex->n - 1] : NULL;

        plot_word(arch, sizeof(arch), sqlite3_column_text(st, 0));
        plot_word(name, sizeof(name), sqlite3_column_text(st, 2));
        if (g == NULL || g->reason != reason || strcmp(g->arch, arch) != 0 ||
            strcmp(g->name, name) != 0) {
            if (ex->n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                struct plot_exit *ng = realloc(ex->g, ncap * sizeof(*ng));

                if (ng == NULL) {
                    goto fail;
                }
                ex->g = ng;
                cap = ncap;
            }
            g = &ex->g[ex->n++];
            memset(g, 0, sizeof(*g));
            memcpy(g->arch, arch, sizeof(arch));
            memcpy(g->name, name, sizeof(name));
            g->reason = reason;
        }
        if (plot_dist_add(&g->rt, (uint64_t)sqlite3_column_int64(st, 3),
                          (uint64_t)sqlite3_column_int64(st, 4)) != 0) {
            goto fail;
        }
    }
    sqlite3_finalize(st);
    if (ex->n == 0) {
        sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
        return 0;
    }

    st = plot_query(p, "exit_cost", 0, 0);
    if (st == NULL) {
        sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
        plot_free_exits(ex);
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        char arch[sizeof(ex->g->arch)];
        char name[sizeof(ex->g->name)];
        struct plot_exit *g;

        plot_word(arch, sizeof(arch), sqlite3_column_text(st, 0));
        plot_word(name, sizeof(name), sqlite3_column_text(st, 2));
        g = plot_exit_find(ex, arch, sqlite3_column_int64(st, 1), name);
        if (g == NULL) {
            continue;           /* same rows, same groups: cannot happen */
        }
        g->count = (uint64_t)sqlite3_column_int64(st, 3);
        for (k = 0; k < PLOT_EXIT_STEPS; k++) {
            g->step[k] = sqlite3_column_double(st, 4 + k);
        }
        g->handler = sqlite3_column_double(st, 12);
        g->round_trip = sqlite3_column_double(st, 13);
        g->exit = sqlite3_column_double(st, 14);
        g->entry = sqlite3_column_double(st, 15);
    }
    sqlite3_finalize(st);
    sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
    return 0;

fail:
    fprintf(stderr, "vtsim: error: out of memory reading the exits\n");
    sqlite3_finalize(st);
    sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL);
    plot_free_exits(ex);
    return -1;
}

/* ---- report ---- */

static const char report_usage[] =
    "usage: vtsim report DB\n"
    "\n"
    "Summarise the last run of a results database: status, and per context\n"
    "the walk-latency distribution (from the walks table) and the\n"
    "translation statistics of the measured region.  When the exits table\n"
    "has rows, also per (arch, reason): exits, mean, median and 99th\n"
    "percentile round trip, and mean exit, handler and entry cycles.\n";

/* The exits section: nothing at all without exit rows. */
static int plot_report_exits(struct plot_db *p)
{
    struct plot_exits ex;
    size_t i;

    if (plot_load_exits(p, &ex) != 0) {
        return -1;
    }
    if (ex.n == 0) {
        return 0;
    }
    printf("\n%-4s %-24s %8s %9s %7s %7s %9s %9s %9s\n", "arch", "reason",
           "exits", "mean", "p50", "p99", "exit", "handler", "entry");
    for (i = 0; i < ex.n; i++) {
        const struct plot_exit *g = &ex.g[i];

        printf("%-4s %-24s %8" PRIu64 " %9.1f %7" PRIu64 " %7" PRIu64
               " %9.1f %9.1f %9.1f\n", g->arch, g->name, g->count,
               g->round_trip, plot_percentile(&g->rt, 0.5),
               plot_percentile(&g->rt, 0.99), g->exit, g->handler,
               g->entry);
    }
    printf("\n(cycles over the exits table; mean, p50, p99: round trip = "
           "exit + handler + entry)\n");
    plot_free_exits(&ex);
    return 0;
}

int sim_cmd_report(int argc, char **argv)
{
    struct plot_db p;
    sqlite3_stmt *st;
    int i;

    if (argc != 2 || argv[1][0] == '-') {
        bool help = argc == 2 && (strcmp(argv[1], "--help") == 0 ||
                                  strcmp(argv[1], "-h") == 0);

        fputs(report_usage, help ? stdout : stderr);
        return help ? 0 : SIM_EXIT_USAGE;
    }
    if (plot_open(&p, argv[1]) != 0) {
        sqlite3_close(p.db);
        return SIM_EXIT_USAGE;
    }
    if (sqlite3_prepare_v2(p.db, "SELECT started, coalesce(finished, '-'), "
                           "coalesce(config_file, '(defaults)'), seed, "
                           "coalesce(sim_cycles, 0), "
                           "coalesce(wall_seconds, 0), vtsim_version "
                           "FROM runs WHERE run_id = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, p.run);
        if (sqlite3_step(st) == SQLITE_ROW) {
            printf("run %lld: %s\n  config   %s (seed %lld)\n"
                   "  started  %s, finished %s\n"
                   "  simulated %lld cycles in %.1f s wall (vtsim %s)\n",
                   (long long)p.run, p.status, sqlite3_column_text(st, 2),
                   (long long)sqlite3_column_int64(st, 3),
                   sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                   (long long)sqlite3_column_int64(st, 4),
                   sqlite3_column_double(st, 5), sqlite3_column_text(st, 6));
        }
        sqlite3_finalize(st);
    }
    printf("\n%-5s %-7s %-6s %10s %8s %6s %6s %6s %6s %9s %8s %8s\n", "ctx",
           "mode", "levels", "walks", "mean", "p50", "p90", "p99", "max",
           "refs/walk", "pwc/walk", "ntlb/walk");
    for (i = 0; i < p.nctx; i++) {
        struct plot_ctx *c = &p.ctx[i];
        struct plot_dist d;
        double refs = 0;
        double pwc = 0;
        double ntlb = 0;
        char lv[16];

        if (plot_load_dist(&p, c->vcpu, &d) != 0) {
            sqlite3_close(p.db);
            return 1;
        }
        if (sqlite3_prepare_v2(p.db, "SELECT sum(refs), sum(pwc), "
                               "sum(ntlb), count(*) FROM walks WHERE "
                               "run_id = ?1 AND vcpu = ?2", -1, &st, NULL)
            == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, p.run);
            sqlite3_bind_int(st, 2, c->vcpu);
            if (sqlite3_step(st) == SQLITE_ROW &&
                sqlite3_column_int64(st, 3) > 0) {
                double n = (double)sqlite3_column_int64(st, 3);

                refs = sqlite3_column_double(st, 0) / n;
                pwc = sqlite3_column_double(st, 1) / n;
                ntlb = sqlite3_column_double(st, 2) / n;
            }
            sqlite3_finalize(st);
        }
        if (c->hlevels) {
            snprintf(lv, sizeof(lv), "%dx%d", c->glevels, c->hlevels);
        } else {
            snprintf(lv, sizeof(lv), "%d", c->glevels);
        }
        printf("cpu%-2d %-7s %-6s %10" PRIu64 " %8.1f %6" PRIu64 " %6" PRIu64
               " %6" PRIu64 " %6" PRIu64 " %9.2f %8.2f %8.2f\n", c->vcpu,
               c->mode, lv, d.total, plot_mean(&d),
               plot_percentile(&d, 0.5), plot_percentile(&d, 0.9),
               plot_percentile(&d, 0.99), plot_percentile(&d, 1.0), refs,
               pwc, ntlb);
        plot_free_dist(&d);
    }
    printf("\n(latencies in cycles over the walks table; refs = memory "
           "references, L1D..DRAM)\n");
    if (plot_report_exits(&p) != 0) {
        sqlite3_close(p.db);
        return 1;
    }
    sqlite3_close(p.db);
    return 0;
}

/* ---- plot ---- */

static const char plot_usage[] =
    "usage: vtsim plot DB [--out DIR] [--format png|svg|pdf]\n"
    "\n"
    "Draw, with gnuplot and the templates of results/plots/:\n"
    "  <db>.walk_hist.<fmt>       walk-latency histogram, one curve per "
    "context\n"
    "  <db>.walk_cdf.<fmt>        walk-latency CDF, one curve per context\n"
    "  <db>.walk_grid.cpuN.<fmt>  reference grid heat map of each context\n"
    "and, when the exits table has rows, one curve or bar per (arch, reason):\n"
    "  <db>.exit_hist.<fmt>       exit round-trip histogram\n"
    "  <db>.exit_cdf.<fmt>        exit round-trip CDF\n"
    "  <db>.exit_cost.<fmt>       mean round trip stacked by step and handler\n"
    "into DIR (default: the directory of DB); the data files gnuplot reads\n"
    "are kept in DIR/<db>-data/.  Templates are plain gnuplot files: edit\n"
    "them, or point VTSIM_DATADIR at a copy.\n";

static int plot_gnuplot(const char *assign, const char *template)
{
    char tpath[4096];
    pid_t pid;
    int status;

    snprintf(tpath, sizeof(tpath), "%s/results/plots/%s", sim_cli_datadir(),
             template);
    pid = fork();
    if (pid < 0) {
        perror("vtsim: fork");
        return -1;
    }
    if (pid == 0) {
        execlp(VTSIM_GNUPLOT, VTSIM_GNUPLOT, "-e", assign, tpath,
               (char *)NULL);
        execlp("gnuplot", "gnuplot", "-e", assign, tpath, (char *)NULL);
        fprintf(stderr, "vtsim: error: cannot run gnuplot (%s): install "
                "gnuplot-nox (see README)\n", strerror(errno));
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "vtsim: error: gnuplot failed on %s\n", tpath);
        return -1;
    }
    return 0;
}

/* A bucket width of 1, 2 or 5 x 10^k giving about 100 buckets. */
static uint64_t plot_bin(uint64_t xmax)
{
    uint64_t b = 1;

    for (;;) {
        if (xmax / b <= 100) {
            return b;
        }
        if (xmax / (b * 2) <= 100) {
            return b * 2;
        }
        if (xmax / (b * 5) <= 100) {
            return b * 5;
        }
        b *= 10;
    }
}

static bool plot_path_ok(const char *s)
{
    return strchr(s, '\'') == NULL && strchr(s, '"') == NULL &&
           strchr(s, ' ') == NULL;
}

/* The three exit figures; nothing without exit rows.  One x range for the
 * round trips of every reason: from just below the fastest exit to just
 * above the 99.5th percentile of the slowest reason.  Every bucket of the
 * range is written, empty ones too, so that `with steps` draws each
 * bucket at its own height. */
static int plot_exit_figures(const struct plot_exits *ex, const char *out,
                             const char *base, const char *datadir,
                             const char *fmt)
{
    uint64_t lo = UINT64_MAX;
    uint64_t hi = 0;
    uint64_t span;
    uint64_t pad;
    uint64_t bin;
    uint64_t xmin;
    uint64_t xmax;
    size_t fcap = ex->n * (strlen(datadir) + 128) + 1;
    size_t tcap = ex->n * 128 + 1;
    size_t acap = fcap + tcap + strlen(out) + strlen(base) + 256;
    char *files = malloc(fcap);
    char *titles = malloc(tcap);
    char *assign = malloc(acap);
    char path[1600];
    FILE *f;
    size_t i;
    int w;
    int k;
    int rc = -1;

    if (files == NULL || titles == NULL || assign == NULL) {
        fprintf(stderr, "vtsim: error: out of memory\n");
        goto done;
    }
    files[0] = '\0';
    titles[0] = '\0';
    for (i = 0; i < ex->n; i++) {
        const struct plot_dist *d = &ex->g[i].rt;

        if (d->total == 0) {
            continue;
        }
        if (d->lat[0] < lo) {
            lo = d->lat[0];
        }
        if (plot_percentile(d, 0.995) > hi) {
            hi = plot_percentile(d, 0.995);
        }
    }
    if (hi < lo) {
        rc = 0;                 /* no group with exits */
        goto done;
    }
    span = hi - lo;
    if (span < hi / 10) {
        span = hi / 10;
    }
    if (span == 0) {
        span = 1;
    }
    bin = plot_bin(span);
    pad = span / 10;
    xmin = lo > pad ? (lo - pad) / bin * bin : 0;
    xmax = ((hi + pad) / bin + 1) * bin;

    for (i = 0; i < ex->n; i++) {
        const struct plot_exit *g = &ex->g[i];
        const struct plot_dist *d = &g->rt;
        uint64_t acc = 0;
        uint64_t b;
        size_t j = 0;

        if (d->total == 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/exit_rtt_%s_%s.dat", datadir,
                 g->arch, g->name);
        f = fopen(path, "w");
        if (f == NULL) {
            fprintf(stderr, "vtsim: error: %s: %s\n", path, strerror(errno));
            goto done;
        }
        fprintf(f, "# %s %s (reason %" PRId64 ", %" PRIu64 " exits): "
                "bucket_start exits fraction cumulative\n", g->arch,
                g->name, g->reason, d->total);
        for (b = xmin; b < xmax; b += bin) {
            uint64_t c = 0;

            while (j < d->n && d->lat[j] < b + bin) {
                c += d->cnt[j++];
            }
            acc += c;
            fprintf(f, "%" PRIu64 " %" PRIu64 " %.6f %.6f\n", b, c,
                    (double)c / (double)d->total,
                    (double)acc / (double)d->total);
        }
        fclose(f);
        snprintf(files + strlen(files), fcap - strlen(files), "%s%s",
                 files[0] ? " " : "", path);
        snprintf(titles + strlen(titles), tcap - strlen(titles), "%s%s:%s",
                 titles[0] ? " " : "", g->arch, g->name);
    }
    for (w = 0; w < 2; w++) {
        static const char *const which[2] = { "exit_hist", "exit_cdf" };

        snprintf(assign, acap,
                 "files='%s'; titles='%s'; out='%s/%s.%s.%s'; fmt='%s'; "
                 "xmin=%" PRIu64 "; xmax=%" PRIu64 "; bin=%" PRIu64, files,
                 titles, out, base, which[w], fmt, fmt, xmin, xmax, bin);
        if (plot_gnuplot(assign, w == 0 ? "exit_hist.gp"
                                        : "exit_cdf.gp") != 0) {
            goto done;
        }
        printf("%s/%s.%s.%s\n", out, base, which[w], fmt);
    }

    /* The cost breakdown: one row per reason, the columns of
     * exit_cost.sql after an index and an arch:REASON label. */
    snprintf(path, sizeof(path), "%s/exit_cost.dat", datadir);
    f = fopen(path, "w");
    if (f == NULL) {
        fprintf(stderr, "vtsim: error: %s: %s\n", path, strerror(errno));
        goto done;
    }
    fprintf(f, "# mean cycles per exit; the steps are the exit's and the "
            "entry's together\n# index reason exits drain ucode checks "
            "save load msr tlb refill handler round_trip exit entry\n");
    for (i = 0; i < ex->n; i++) {
        const struct plot_exit *g = &ex->g[i];

        fprintf(f, "%zu %s:%s %" PRIu64, i, g->arch, g->name, g->count);
        for (k = 0; k < PLOT_EXIT_STEPS; k++) {
            fprintf(f, " %.3f", g->step[k]);
        }
        fprintf(f, " %.3f %.3f %.3f %.3f\n", g->handler, g->round_trip,
                g->exit, g->entry);
    }
    fclose(f);
    snprintf(assign, acap, "file='%s'; out='%s/%s.exit_cost.%s'; fmt='%s'",
             path, out, base, fmt, fmt);
    if (plot_gnuplot(assign, "exit_cost.gp") != 0) {
        goto done;
    }
    printf("%s/%s.exit_cost.%s\n", out, base, fmt);
    rc = 0;
done:
    free(files);
    free(titles);
    free(assign);
    return rc;
}

int sim_cmd_plot(int argc, char **argv)
{
    const char *dbpath = NULL;
    const char *out = NULL;
    const char *fmt = "png";
    char outbuf[1024];
    char base[256];
    char datadir[1400];
    char files[8192] = "";
    char titles[1024] = "";
    char assign[16384];
    struct plot_db p;
    struct plot_dist dist[MAX_CTX];
    struct plot_exits ex = { NULL, 0 };
    uint64_t xmax = 0;
    uint64_t bin;
    int ndrawn = 0;
    int i;
    int rc = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(plot_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            fmt = argv[++i];
        } else if (argv[i][0] != '-' && dbpath == NULL) {
            dbpath = argv[i];
        } else {
            fprintf(stderr, "vtsim plot: unexpected argument '%s'\n%s",
                    argv[i], plot_usage);
            return SIM_EXIT_USAGE;
        }
    }
    if (dbpath == NULL) {
        fputs(plot_usage, stderr);
        return SIM_EXIT_USAGE;
    }
    if (strcmp(fmt, "png") != 0 && strcmp(fmt, "svg") != 0 &&
        strcmp(fmt, "pdf") != 0) {
        fprintf(stderr, "vtsim plot: --format must be png, svg or pdf\n");
        return SIM_EXIT_USAGE;
    }
    {
        const char *slash = strrchr(dbpath, '/');
        const char *b = slash ? slash + 1 : dbpath;
        size_t n = strlen(b);

        if (n > 3 && strcmp(b + n - 3, ".db") == 0) {
            n -= 3;
        }
        snprintf(base, sizeof(base), "%.*s", (int)n, b);
        if (out == NULL) {
            snprintf(outbuf, sizeof(outbuf), "%.*s",
                     slash ? (int)(slash - dbpath) : 1,
                     slash ? dbpath : ".");
            out = outbuf;
        }
    }
    if (!plot_path_ok(out) || !plot_path_ok(base)) {
        fprintf(stderr, "vtsim plot: output paths may not contain quotes "
                "or spaces\n");
        return SIM_EXIT_USAGE;
    }
    if (plot_open(&p, dbpath) != 0) {
        sqlite3_close(p.db);
        return SIM_EXIT_USAGE;
    }
    snprintf(datadir, sizeof(datadir), "%s/%s-data", out, base);
    if ((mkdir(out, 0777) != 0 && errno != EEXIST) ||
        (mkdir(datadir, 0777) != 0 && errno != EEXIST)) {
        fprintf(stderr, "vtsim: error: cannot create %s: %s\n", datadir,
                strerror(errno));
        sqlite3_close(p.db);
        return SIM_EXIT_USAGE;
    }
    if (strcmp(p.status, "complete") != 0) {
        fprintf(stderr, "vtsim plot: warning: run status is '%s'; plotting "
                "what it committed\n", p.status);
    }

    if (plot_load_exits(&p, &ex) != 0) {
        rc = 1;
        p.nctx = 0;
        goto done;
    }

    /* Latency distributions: one x range for all, to the 99.5th
     * percentile of the slowest context. */
    for (i = 0; i < p.nctx; i++) {
        if (plot_load_dist(&p, p.ctx[i].vcpu, &dist[i]) != 0) {
            rc = 1;
            p.nctx = i;
            goto done;
        }
        if (plot_percentile(&dist[i], 0.995) > xmax) {
            xmax = plot_percentile(&dist[i], 0.995);
        }
    }
    bin = plot_bin(xmax ? xmax : 1);
    xmax = (xmax / bin + 2) * bin;
    for (i = 0; i < p.nctx; i++) {
        char path[1600];
        FILE *f;
        size_t k = 0;
        uint64_t acc = 0;

        if (dist[i].total == 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/walk_latency_cpu%d.dat", datadir,
                 p.ctx[i].vcpu);
        f = fopen(path, "w");
        if (f == NULL) {
            fprintf(stderr, "vtsim: error: %s: %s\n", path, strerror(errno));
            rc = 1;
            goto done;
        }
        fprintf(f, "# cpu%d %s: bucket_start walks fraction cumulative\n",
                p.ctx[i].vcpu, p.ctx[i].mode);
        while (k < dist[i].n) {
            uint64_t b = dist[i].lat[k] / bin * bin;
            uint64_t c = 0;

            while (k < dist[i].n && dist[i].lat[k] / bin * bin == b) {
                c += dist[i].cnt[k++];
            }
            acc += c;
            fprintf(f, "%" PRIu64 " %" PRIu64 " %.6f %.6f\n", b, c,
                    (double)c / (double)dist[i].total,
                    (double)acc / (double)dist[i].total);
        }
        fclose(f);
        snprintf(files + strlen(files), sizeof(files) - strlen(files),
                 "%s%s", files[0] ? " " : "", path);
        snprintf(titles + strlen(titles), sizeof(titles) - strlen(titles),
                 "%s%s", titles[0] ? " " : "", p.ctx[i].mode);
        ndrawn++;
    }
    if (ndrawn == 0 && ex.n == 0) {
        fprintf(stderr, "vtsim plot: %s has no walk or exit rows to plot "
                "(was trace.walks = none?)\n", dbpath);
    } else if (ndrawn > 0) {
        static const char *const which[2] = { "walk_hist", "walk_cdf" };
        int w;

        for (w = 0; w < 2; w++) {
            snprintf(assign, sizeof(assign),
                     "files='%s'; titles='%s'; out='%s/%s.%s.%s'; "
                     "fmt='%s'; xmax=%" PRIu64 "; bin=%" PRIu64, files,
                     titles, out, base, which[w], fmt, fmt, xmax, bin);
            if (plot_gnuplot(assign, w == 0 ? "walk_hist.gp"
                                            : "walk_cdf.gp") != 0) {
                rc = 1;
                goto done;
            }
            printf("%s/%s.%s.%s\n", out, base, which[w], fmt);
        }
    }

    /* Grid heat maps: every cell of the (glevels+1) x (hlevels+1) grid. */
    for (i = 0; i < p.nctx; i++) {
        struct plot_ctx *c = &p.ctx[i];
        double cell[6][6][3];
        sqlite3_stmt *st = plot_query(&p, "walk_grid", c->vcpu, c->walks);
        char path[1600];
        char title[256];
        FILE *f;
        int g;
        int h;

        if (st == NULL) {
            rc = 1;
            goto done;
        }
        memset(cell, 0, sizeof(cell));
        while (sqlite3_step(st) == SQLITE_ROW) {
            g = sqlite3_column_int(st, 0);
            h = sqlite3_column_int(st, 1);
            if (g >= 0 && g < 6 && h >= 0 && h < 6) {
                cell[g][h][0] = sqlite3_column_double(st, 2);
                cell[g][h][1] = sqlite3_column_double(st, 3);
                cell[g][h][2] = sqlite3_column_double(st, 4);
            }
        }
        sqlite3_finalize(st);
        if (c->walks <= 0) {
            continue;
        }
        snprintf(path, sizeof(path), "%s/walk_grid_cpu%d.dat", datadir,
                 c->vcpu);
        f = fopen(path, "w");
        if (f == NULL) {
            fprintf(stderr, "vtsim: error: %s: %s\n", path, strerror(errno));
            rc = 1;
            goto done;
        }
        fprintf(f, "# cpu%d %s: glevel hlevel refs/walk hits/walk "
                "cycles/walk\n", c->vcpu, c->mode);
        for (g = 0; g <= c->glevels && g < 6; g++) {
            for (h = 0; h <= c->hlevels && h < 6; h++) {
                fprintf(f, "%d %d %.4f %.4f %.3f\n", g, h, cell[g][h][0],
                        cell[g][h][1], cell[g][h][2]);
            }
        }
        fclose(f);
        snprintf(title, sizeof(title), "cpu%d %s: references per walk "
                 "(%.0f walks)", c->vcpu, c->mode, c->walks);
        snprintf(assign, sizeof(assign),
                 "file='%s'; out='%s/%s.walk_grid.cpu%d.%s'; fmt='%s'; "
                 "title='%s'; glevels=%d; hlevels=%d", path, out, base,
                 c->vcpu, fmt, fmt, title, c->glevels, c->hlevels);
        if (plot_gnuplot(assign, "walk_grid.gp") != 0) {
            rc = 1;
            goto done;
        }
        printf("%s/%s.walk_grid.cpu%d.%s\n", out, base, c->vcpu, fmt);
    }

    /* Exit figures: a VMX image run may have exits and no walks. */
    if (plot_exit_figures(&ex, out, base, datadir, fmt) != 0) {
        rc = 1;
    }
done:
    for (i = 0; i < p.nctx; i++) {
        plot_free_dist(&dist[i]);
    }
    plot_free_exits(&ex);
    sqlite3_close(p.db);
    return rc;
}
