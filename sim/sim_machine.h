/*
 * sim_machine.h - the simulated machine: every config section it declares,
 * and the parts of one context (a core with its private caches, TLBs, walk
 * caches, memory and workload stream).
 *
 * Each context of a run is an independent instance of the configured
 * machine running one translation mode, so native, EPT and NPT walks are
 * measured on identical hardware in one run.
 */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include "sim_cfg.h"
#include "sim_mem.h"
#include "sim_stats.h"
#include "sim_trace.h"
#include "sim_core.h"
#include "sim_x86.h"
#include "sim_ia64.h"
#include "cache-tlb/cache.h"
#include "cache-tlb/mmu.h"
#include "cache-tlb/tlb.h"
#include "workloads/wl.h"

struct sim_cpu_cfg {
#define CPU_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#define TRACE_CFG(...)
#define RUN_CFG(...)
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
};

struct sim_trace_cfg {
#define CPU_CFG(...)
#define TRACE_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#define RUN_CFG(...)
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
};

struct sim_run_cfg {
#define CPU_CFG(...)
#define TRACE_CFG(...)
#define RUN_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
};

enum sim_psc_level { SIM_PSC_PD = 2, SIM_PSC_PDPT = 3, SIM_PSC_PML4 = 4,
                     SIM_PSC_PML5 = 5 };

struct sim_machine_cfg {
    struct sim_cpu_cfg cpu;
    struct cache_cfg l1i;
    struct cache_cfg l1d;
    struct cache_cfg l2;
    struct cache_cfg llc;
    struct dram_cfg dram;
    struct tlb_cfg tlb_l1[3];       /* 4K, 2M, 1G */
    struct tlb_cfg tlb_i[2];        /* instruction side: 4K, 2M */
    struct tlb_cfg tlb_l2;
    struct tlb_cfg psc[6];          /* [2..5] */
    struct tlb_cfg pwc;
    struct tlb_cfg ntlb;
    struct mmu_cfg mmu;
    struct wl_cfg wl;
    struct sim_core_cfg core;
    struct sim_x86_cfg x86;
    struct vmx_caps_cfg vmx;
    struct vmx_cost_cfg vmx_cost;
    struct sim_ia64_cfg ia64;
    struct vti_cfg vti;
    struct sim_trace_cfg trace;
    struct sim_run_cfg run;
};

/* Declare every section of the machine (for loading and --keys). */
int sim_machine_declare(struct sim_cfg *cfg);
/* Parse and validate every section. 0 or -SIM_ECFG (see sim_cfg_errmsg). */
int sim_machine_load(struct sim_cfg *cfg, struct sim_machine_cfg *mc);

struct sim_context_stats {
    uint64_t accesses;
    uint64_t writes;
    uint64_t cycles;            /* core cycles of this context */
    uint64_t data_cycles;       /* data accesses through the caches */
    uint64_t faults;
};

struct sim_context {
    unsigned vcpu;
    int mode;                   /* enum ptw_mode */
    char name[32];              /* "cpu0" */
    struct sim_mem *mem;
    struct cache *l1d, *l2, *llc;
    struct dram *dram;
    struct cache_hier hier;
    struct tlb *tlb_l1[3];
    struct tlb *tlb_l2;
    struct pwc *psc[6];
    struct pwc *epsc[6];
    struct pwc *pwc;
    struct pwc *ntlb;
    struct mmu mmu;
    struct ptw_ctx ctx;
    struct wl_layout layout;
    struct wl_gen gen;
    struct sim_context_stats st;
};

/*
 * Build context `vcpu` running `mode`: its structures, its page tables and
 * its stream; register its stats under "cpuN.*".  `trace` receives walks
 * (may be NULL).  Returns 0, -SIM_ENOMEM.
 */
int sim_context_build(struct sim_context *c, const struct sim_machine_cfg *mc,
                      unsigned vcpu, int mode, struct sim_stats *stats,
                      const struct sim_trace *trace);
void sim_context_free(struct sim_context *c);

/* One access of the stream: translate, access the data, think.  Returns the
 * cycles it took (the context's clock advances by that much). */
uint64_t sim_context_step(struct sim_context *c, const struct wl_cfg *wl);

#endif /* SIM_MACHINE_H */
