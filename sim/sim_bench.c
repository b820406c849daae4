/*
 * sim_bench.c - `vtsim bench`: speed of the simulator's hot paths, measured
 * on the machine it runs on.  Figures go into issue notes and docs; rerun
 * them rather than trusting old ones.
 *
 *   mmu   translations per second through the MMU with a warm TLB
 *         (footprint inside the L1 TLB reach; every lookup hits)
 *   walk  full 2-D walks per second (4-level guest over 4-level EPT) with
 *         the cache hierarchy modelled; TLBs bypassed so every translation
 *         walks, walk caches on as configured
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sim_cli.h"
#include "sim_err.h"
#include "sim_machine.h"

static double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Build a context; *mc must outlive it (the context keeps pointers). */
static int bench_context(struct sim_context *c, struct sim_machine_cfg *mc,
                         const char *mode, const char *footprint,
                         const char *pattern, struct sim_cfg **cfgp)
{
    char o1[64];
    char o2[64];
    char o3[64];
    char *ov[3] = { o1, o2, o3 };
    struct sim_cfg *cfg;

    snprintf(o1, sizeof(o1), "workload.mode=%s", mode);
    snprintf(o2, sizeof(o2), "workload.footprint=%s", footprint);
    snprintf(o3, sizeof(o3), "workload.pattern=%s", pattern);
    cfg = sim_cli_load_config(NULL, 3, ov, mc);
    if (cfg == NULL) {
        return -SIM_ECFG;
    }
    *cfgp = cfg;
    return sim_context_build(c, mc, 0, ptw_mode_parse(mode), NULL, NULL);
}

static int bench_mmu(uint64_t n)
{
    struct sim_context c;
    struct sim_machine_cfg mc;
    struct sim_cfg *cfg = NULL;
    struct mmu_result r;
    struct ptw_access a = { 0, false, true, false };
    uint64_t base;
    uint64_t i;
    uint64_t sink = 0;
    double t0;
    double dt;

    /* 32 pages of 4 KiB: well inside a 64-entry L1 TLB. */
    if (bench_context(&c, &mc, "native", "128K", "random", &cfg) != 0) {
        return 1;
    }
    base = c.gen.cfg->va_base;
    for (i = 0; i < 32; i++) {
        a.va = base + (i << 12);
        mmu_translate(&c.mmu, &c.ctx, &a, 0, &r);
    }
    t0 = bench_now();
    for (i = 0; i < n; i++) {
        a.va = base + ((i * 0x9e37) & 0x1ffc0);
        mmu_translate(&c.mmu, &c.ctx, &a, i, &r);
        sink += r.hpa;
    }
    dt = bench_now() - t0;
    printf("mmu:  %" PRIu64 " warm-TLB translations in %.3f s = %.1f M/s "
           "(L1 hits %" PRIu64 "; checksum %" PRIx64 ")\n", n, dt,
           (double)n / dt / 1e6, c.mmu.st.l1_hits, sink & 0xffff);
    sim_context_free(&c);
    sim_cfg_free(cfg);
    return 0;
}

static int bench_walk(uint64_t n, const char *footprint)
{
    struct sim_context c;
    struct sim_machine_cfg mc;
    struct sim_cfg *cfg = NULL;
    struct ptw_result r;
    struct ptw_access a = { 0, false, true, false };
    uint64_t i;
    uint64_t refs;
    double t0;
    double dt;

    if (bench_context(&c, &mc, "ept", footprint, "random", &cfg) != 0) {
        return 1;
    }
    t0 = bench_now();
    for (i = 0; i < n; i++) {
        uint64_t va;
        bool w;

        wl_gen_next(&c.gen, &va, &w);
        a.va = va;
        ptw_walk(&c.mmu.ptw, &c.ctx, &a, i, &r);
    }
    dt = bench_now() - t0;
    refs = c.mmu.ptw.st.refs;
    printf("walk: %" PRIu64 " 2-D walks (4 over 4, EPT, caches modelled, "
           "random over %s) in %.3f s = %.2f M/s (%.2f memory refs/walk, "
           "%.1f cycles/walk)\n", n, footprint, dt, (double)n / dt / 1e6, (double)refs / (double)n,
           (double)c.mmu.ptw.st.cycles / (double)n);
    sim_context_free(&c);
    sim_cfg_free(cfg);
    return 0;
}

static const char bench_usage[] =
    "usage: vtsim bench [mmu] [walk] [-n COUNT] [-f FOOTPRINT]\n"
    "\n"
    "Measure the speed of the simulator itself (default: all).\n"
    "  mmu   warm-TLB translations per second (goal >= 50 M/s)\n"
    "  walk  full 2-D walks per second with caches (goal >= 5 M/s)\n"
    "  -n    operations per benchmark (default 20000000 / 2000000)\n"
    "  -f    footprint of the walk benchmark's random stream (default 1G;\n"
    "        a large one measures the host's memory latency as much as\n"
    "        vtsim: the model's tag arrays and tables do not fit its caches)\n"
    "The SQLite row rate is measured by bench/bench_db (`make bench`).\n";

int sim_cmd_bench(int argc, char **argv)
{
    bool mmu = false;
    bool walk = false;
    uint64_t n = 0;
    const char *footprint = "1G";
    struct rusage ru;
    int i;
    int rc = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(bench_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "mmu") == 0) {
            mmu = true;
        } else if (strcmp(argv[i], "walk") == 0) {
            walk = true;
        } else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            footprint = argv[++i];
        } else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            n = strtoull(argv[++i], NULL, 0);
        } else {
            fprintf(stderr, "vtsim bench: unexpected argument '%s'\n%s",
                    argv[i], bench_usage);
            return SIM_EXIT_USAGE;
        }
    }
    if (!mmu && !walk) {
        mmu = walk = true;
    }
    if (mmu) {
        rc |= bench_mmu(n ? n : 20000000);
    }
    if (walk) {
        rc |= bench_walk(n ? n : 2000000, footprint);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    return rc;
}
