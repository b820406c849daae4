/*
 * bench_db.c - throughput of the walk trace writer (sim/sim_db.c).
 *
 * Writes N walk events (default 2,000,000) through the database's trace
 * sink into a fresh file in a temporary directory, with the settings of a
 * full trace: mode all, sample_period 64, batch_rows 100000.  Every event
 * is a 4-level guest over 4-level host walk with 24 references, so the run
 * also writes the walk_refs rows of every 64th walk and the walk grid.
 * Prints
 *
 *   walk rows: N in S s = R rows/s
 *
 * where S runs from the first event to the end of sim_db_end_run (the last
 * commit included).  The project's goal is R >= 1,000,000.
 *
 * Usage: bench_db [N]   (TMPDIR chooses where the temporary file goes)
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, clock_gettime */
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim_db.h"
#include "sim/sim_trace.h"

/* Reference sources, numbered as in cache-tlb/ptw_src.def. */
#define SRC_PWC  1
#define SRC_NTLB 2
#define SRC_L1D  3
#define SRC_L2   4
#define SRC_LLC  5
#define SRC_DRAM 6

#define DEFAULT_WALKS 2000000ull

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The 24 cells of a 4-over-4 walk: for each guest level 4..1, the host walk
 * of the guest table's gPA (host levels 4..1) then the read of the guest
 * entry (hlevel 0); finally the host walk of the final gPA (glevel 0).
 * Upper host levels mostly hit the PWC, the rest spread over the caches.
 */
static void make_template(struct sim_walk_event *ev)
{
    unsigned n = 0;
    int g;
    int h;

    memset(ev, 0, sizeof(*ev));
    ev->mode = 1;
    ev->glevels = 4;
    ev->hlevels = 4;
    ev->page_shift = 12;
    for (g = 4; g >= 0; g--) {
        for (h = 4; h >= (g == 0 ? 1 : 0); h--) {
            struct sim_walk_ref *r = &ev->refs[n++];

            r->glevel = (uint8_t)g;
            r->hlevel = (uint8_t)h;
            r->src = h >= 3 ? SRC_PWC : h == 0 ? SRC_L2 : SRC_L1D;
            r->cycles = r->src == SRC_PWC ? 1 : r->src == SRC_L1D ? 4 : 14;
        }
    }
    ev->nrefs = (uint16_t)n;
}

int main(int argc, char **argv)
{
    static const uint8_t vary_src[4] = { SRC_L1D, SRC_LLC, SRC_DRAM,
                                         SRC_NTLB };
    static const uint16_t vary_cycles[4] = { 4, 40, 200, 2 };
    struct sim_db_opts opts = { SIM_DB_WALKS_ALL, 64, 100000, 0 };
    struct sim_walk_event ev;
    const struct sim_trace *trace;
    struct sim_db *db = NULL;
    const char *tmp = getenv("TMPDIR");
    uint64_t nwalks = DEFAULT_WALKS;
    uint32_t base_cycles = 0;
    uint64_t rows;
    uint64_t i;
    char dir[512];
    char path[600];
    char jpath[640];
    char err[512];
    double t0;
    double t1;
    int rc;

    if (argc > 2 || (argc == 2 && (argv[1][0] < '0' || argv[1][0] > '9'))) {
        fprintf(stderr, "usage: bench_db [N]\n");
        return 2;
    }
    if (argc == 2) {
        nwalks = strtoull(argv[1], NULL, 10);
    }
    snprintf(dir, sizeof(dir), "%s/vtsim-bench-db.XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("bench_db: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/bench.db", dir);
    snprintf(jpath, sizeof(jpath), "%s-journal", path);

    rc = sim_db_open(&db, path, &opts, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "bench_db: %s\n", err);
        rmdir(dir);
        return 1;
    }
    rc = sim_db_begin_run(db, NULL, "bench_db", 1);
    trace = sim_db_trace(db);
    make_template(&ev);
    for (i = 0; i < 23; i++) {
        base_cycles += ev.refs[i].cycles;
    }

    t0 = now_seconds();
    for (i = 0; i < nwalks && rc == 0; i++) {
        /* Vary what a real trace varies: time, addresses, one source. */
        unsigned v = (unsigned)(i & 3);

        ev.cycle = i * 37;
        ev.va = 0x7f0000000000ull + (i << 12);
        ev.gpa = 0x100000000ull + ((i * 0x9e3779b1ull) & 0xfffff000ull);
        ev.hpa = ev.gpa + 0x40000000ull;
        ev.write = (uint8_t)(i & 1);
        ev.refs[23].src = vary_src[v];
        ev.refs[23].cycles = vary_cycles[v];
        ev.cycles = base_cycles + vary_cycles[v];
        sim_trace_walk(trace, &ev);
    }
    if (rc == 0) {
        rc = sim_db_end_run(db, "complete", nwalks * 37);
    }
    t1 = now_seconds();
    if (rc != 0) {
        fprintf(stderr, "bench_db: %s\n", sim_db_errmsg(db));
    }
    rows = sim_db_walk_rows(db);
    sim_db_close(db);
    unlink(path);
    unlink(jpath);
    rmdir(dir);
    if (rc != 0) {
        return 1;
    }
    printf("walk rows: %" PRIu64 " in %.3f s = %.0f rows/s\n", rows,
           t1 - t0, t1 > t0 ? (double)rows / (t1 - t0) : 0.0);
    return 0;
}
