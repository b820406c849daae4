/*
 * sim_machine.c - declares the machine's config sections with their
 * defaults and assembles the parts of a context.
 *
 * The built-in defaults describe a Skylake-like client core (the same values
 * as configs/machine.ini, which carries the source of each number), so a run
 * without a machine config still models a plausible part.
 */
#include "sim_machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

static const struct sim_cfg_key cpu_keys[] = {
#define CPU_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_cpu_cfg, n, t, m, d, lo, hi, u, ch, desc)
#define TRACE_CFG(...)
#define RUN_CFG(...)
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
    SIM_CFG_END
};

static const struct sim_cfg_key trace_keys[] = {
#define CPU_CFG(...)
#define TRACE_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_trace_cfg, n, t, m, d, lo, hi, u, ch, desc)
#define RUN_CFG(...)
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
    SIM_CFG_END
};

static const struct sim_cfg_key run_keys[] = {
#define CPU_CFG(...)
#define TRACE_CFG(...)
#define RUN_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_run_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "sim_machine_cfg.def"
#undef CPU_CFG
#undef TRACE_CFG
#undef RUN_CFG
    SIM_CFG_END
};

/* Instance defaults; sources in configs/machine.ini. */
static const char *const l1d_def[] = { "size=32K", "ways=8",
                                       "hit_latency=4", NULL };
static const char *const l1i_def[] = { "size=32K", "ways=8",
                                       "hit_latency=4", NULL };
static const char *const itlb4k_def[] = { "entries=128", "ways=8",
                                          "hit_latency=1", NULL };
static const char *const itlb2m_def[] = { "entries=8", "ways=8",
                                          "hit_latency=1", NULL };
static const char *const l2_def[] = { "size=256K", "ways=4",
                                      "hit_latency=8", NULL };
static const char *const llc_def[] = { "size=8M", "ways=16",
                                       "hit_latency=30", NULL };
static const char *const tlb4k_def[] = { "entries=64", "ways=4",
                                         "hit_latency=1", NULL };
static const char *const tlb2m_def[] = { "entries=32", "ways=4",
                                         "hit_latency=1", NULL };
static const char *const tlb1g_def[] = { "entries=4", "ways=4",
                                         "hit_latency=1", NULL };
static const char *const tlbl2_def[] = { "entries=1536", "ways=12",
                                         "hit_latency=9", NULL };
static const char *const psc_small_def[] = { "entries=2", "ways=2",
                                             "hit_latency=2", NULL };
static const char *const psc_pdpt_def[] = { "entries=4", "ways=4",
                                            "hit_latency=2", NULL };
static const char *const psc_pd_def[] = { "entries=32", "ways=4",
                                          "hit_latency=2", NULL };
static const char *const pwc_def[] = { "entries=24", "ways=24",
                                       "hit_latency=2", NULL };
static const char *const ntlb_def[] = { "entries=16", "ways=16",
                                        "hit_latency=2", NULL };

struct sim_section {
    const char *name;
    const char *desc;
    const struct sim_cfg_key *keys;
    const char *const *defaults;
    sim_cfg_validate_fn validate;
    size_t offset;              /* in struct sim_machine_cfg */
};

#define MC(m) offsetof(struct sim_machine_cfg, m)

static const struct sim_section sections[] = {
    { "cpu", "the core", cpu_keys, NULL, NULL, MC(cpu) },
    { "cache/l1i", "L1 instruction cache (x86 and IA-64 images)",
      cache_cfg_keys, l1i_def, cache_cfg_validate, MC(l1i) },
    { "cache/l1d", "L1 data cache (walks and image data references)",
      cache_cfg_keys, l1d_def, cache_cfg_validate, MC(l1d) },
    { "cache/l2", "L2 cache", cache_cfg_keys, l2_def, cache_cfg_validate,
      MC(l2) },
    { "cache/llc", "last-level cache", cache_cfg_keys, llc_def,
      cache_cfg_validate, MC(llc) },
    { "dram", "main memory", dram_cfg_keys, NULL, dram_cfg_validate,
      MC(dram) },
    { "tlb/l1_4k", "L1 data TLB for 4-KiB pages", tlb_cfg_keys, tlb4k_def,
      tlb_cfg_validate, MC(tlb_l1[0]) },
    { "tlb/l1_2m", "L1 data TLB for 2-MiB pages", tlb_cfg_keys, tlb2m_def,
      tlb_cfg_validate, MC(tlb_l1[1]) },
    { "tlb/l1_1g", "L1 data TLB for 1-GiB pages", tlb_cfg_keys, tlb1g_def,
      tlb_cfg_validate, MC(tlb_l1[2]) },
    { "tlb/l1i_4k", "L1 instruction TLB for 4-KiB pages (x86 images)",
      tlb_cfg_keys, itlb4k_def, tlb_cfg_validate, MC(tlb_i[0]) },
    { "tlb/l1i_2m", "L1 instruction TLB for 2-MiB pages (x86 images)",
      tlb_cfg_keys, itlb2m_def, tlb_cfg_validate, MC(tlb_i[1]) },
    { "tlb/l2", "unified L2 TLB (4-KiB and 2-MiB pages)", tlb_cfg_keys,
      tlbl2_def, tlb_cfg_validate, MC(tlb_l2) },
    { "psc/pml5", "Intel paging-structure cache of PML5 entries",
      tlb_cfg_keys, psc_small_def, tlb_cfg_validate, MC(psc[5]) },
    { "psc/pml4", "Intel paging-structure cache of PML4 entries",
      tlb_cfg_keys, psc_small_def, tlb_cfg_validate, MC(psc[4]) },
    { "psc/pdpt", "Intel paging-structure cache of PDPT entries",
      tlb_cfg_keys, psc_pdpt_def, tlb_cfg_validate, MC(psc[3]) },
    { "psc/pd", "Intel paging-structure cache of PD entries", tlb_cfg_keys,
      psc_pd_def, tlb_cfg_validate, MC(psc[2]) },
    { "pwc", "AMD-style page-walk cache of non-leaf entries",
      tlb_cfg_keys, pwc_def, tlb_cfg_validate, MC(pwc) },
    { "ntlb", "nested TLB (guest-physical to host-physical)", tlb_cfg_keys,
      ntlb_def, tlb_cfg_validate, MC(ntlb) },
    { "mmu", "walker organisation", mmu_cfg_keys, NULL, NULL, MC(mmu) },
    { "workload", "synthetic address-stream workload", wl_cfg_keys, NULL,
      wl_cfg_validate, MC(wl) },
    { "core", "x86 core timing (x86 images)", sim_core_cfg_keys, NULL, NULL,
      MC(core) },
    { "x86", "x86 platform and CPUID model (x86 images)", sim_x86_cfg_keys,
      NULL, sim_x86_cfg_validate, MC(x86) },
    { VMX_CAPS_CFG_SECTION, VMX_CAPS_CFG_DESC " (with x86.vmx = true)",
      vmx_caps_cfg_keys, NULL, vmx_caps_cfg_validate, MC(vmx) },
    { "vmx_cost", "timing of the VMX world switch (with x86.vmx = true)",
      vmx_cost_cfg_keys, NULL, NULL, MC(vmx_cost) },
    { "ia64", "IA-64 platform (IA-64 images)", sim_ia64_cfg_keys, NULL,
      sim_ia64_cfg_validate, MC(ia64) },
    { VTI_CFG_SECTION, VTI_CFG_DESC, vti_cfg_keys, NULL, vti_cfg_validate,
      MC(vti) },
    { "trace", "what the results database records", trace_keys, NULL, NULL,
      MC(trace) },
    { "run", "run control", run_keys, NULL, NULL, MC(run) },
};

int sim_machine_declare(struct sim_cfg *cfg)
{
    size_t i;
    int rc;

    for (i = 0; i < SIM_ARRAY_SIZE(sections); i++) {
        const struct sim_section *s = &sections[i];

        rc = sim_cfg_declare(cfg, s->name, s->desc, s->keys, s->defaults,
                             s->validate);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int sim_machine_load(struct sim_cfg *cfg, struct sim_machine_cfg *mc)
{
    size_t i;
    int rc;

    memset(mc, 0, sizeof(*mc));
    for (i = 0; i < SIM_ARRAY_SIZE(sections); i++) {
        rc = sim_cfg_load_struct(cfg, sections[i].name,
                                 (char *)mc + sections[i].offset);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* ---- contexts ---- */

static struct pwc *sim_pwc_new(const char *ctxname, const char *what,
                               const struct tlb_cfg *cfg)
{
    char name[64];

    if (cfg->entries == 0) {
        return NULL;
    }
    snprintf(name, sizeof(name), "%s.%s", ctxname, what);
    return pwc_new(name, cfg);
}

static int sim_context_stats(struct sim_context *c, struct sim_stats *s)
{
    static const char *const l1n[3] = { "tlb_l1_4k", "tlb_l1_2m",
                                        "tlb_l1_1g" };
    static const char *const pscn[6] = { NULL, NULL, "psc_pd", "psc_pdpt",
                                         "psc_pml4", "psc_pml5" };
    char obj[96];
    unsigned i;
    int rc = 0;

#define OBJ(what) (snprintf(obj, sizeof(obj), "%s.%s", c->name, what), obj)
    {
        const struct sim_stat_decl counters[] = {
            { "accesses", "accesses", "workload accesses (warm-up "
              "included: subtract snapshot warmup-end)", &c->st.accesses },
            { "writes", "accesses", "of which writes", &c->st.writes },
            { "cycles", "cycles", "core cycles (warm-up included)",
              &c->st.cycles },
            { "data_cycles", "cycles", "cycles of data accesses",
              &c->st.data_cycles },
            { "faults", "accesses", "accesses whose translation faulted",
              &c->st.faults },
        };

        rc |= sim_stat_counters(s, c->name, counters,
                                SIM_ARRAY_SIZE(counters));
        rc |= sim_stat_ratio(s, c->name, "cycles_per_access", "cycles",
                             "mean cycles per access", "cycles", "accesses");
    }
    if (c->l1d != NULL) {
        rc |= cache_register_stats(c->l1d, s, OBJ("l1d"));
    }
    if (c->l2 != NULL) {
        rc |= cache_register_stats(c->l2, s, OBJ("l2"));
    }
    if (c->llc != NULL) {
        rc |= cache_register_stats(c->llc, s, OBJ("llc"));
    }
    rc |= dram_register_stats(c->dram, s, OBJ("dram"));
    for (i = 0; i < 3; i++) {
        if (c->tlb_l1[i] != NULL) {
            rc |= tlb_register_stats(c->tlb_l1[i], s, OBJ(l1n[i]));
        }
    }
    if (c->tlb_l2 != NULL) {
        rc |= tlb_register_stats(c->tlb_l2, s, OBJ("tlb_l2"));
    }
    for (i = 2; i < 6; i++) {
        if (c->psc[i] != NULL) {
            rc |= pwc_register_stats(c->psc[i], s, OBJ(pscn[i]));
        }
        if (c->epsc[i] != NULL) {
            char w[32];

            snprintf(w, sizeof(w), "e%s", pscn[i]);
            rc |= pwc_register_stats(c->epsc[i], s, OBJ(w));
        }
    }
    if (c->pwc != NULL) {
        rc |= pwc_register_stats(c->pwc, s, OBJ("pwc"));
    }
    if (c->ntlb != NULL) {
        rc |= pwc_register_stats(c->ntlb, s, OBJ("ntlb"));
    }
    rc |= mmu_register_stats(&c->mmu, s, OBJ("mmu"));
    rc |= ptw_register_stats(&c->mmu.ptw, s, OBJ("ptw"));
#undef OBJ
    return rc ? -SIM_EINVAL : 0;
}

int sim_context_build(struct sim_context *c, const struct sim_machine_cfg *mc,
                      unsigned vcpu, int mode, struct sim_stats *stats,
                      const struct sim_trace *trace)
{
    static const unsigned sizes[3] = { TLB_SZ_4K, TLB_SZ_2M, TLB_SZ_1G };
    struct ptw_parts parts;
    unsigned style = mc->mmu.style;
    char name[64];
    unsigned i;
    int rc;

    memset(c, 0, sizeof(*c));
    c->vcpu = vcpu;
    c->mode = mode;
    snprintf(c->name, sizeof(c->name), "cpu%u", vcpu);
    if (style == MMU_STYLE_AUTO) {
        style = mode == PTW_MODE_NPT ? MMU_STYLE_AMD : MMU_STYLE_INTEL;
    }

    c->mem = sim_mem_new();
    c->dram = dram_new(&mc->dram);
    if (c->mem == NULL || c->dram == NULL) {
        return -SIM_ENOMEM;
    }
#define MKCACHE(field, cfgm, what)                                          \
    if (mc->cfgm.enabled) {                                                 \
        snprintf(name, sizeof(name), "%s.%s", c->name, what);               \
        c->field = cache_new(name, &mc->cfgm, mc->wl.seed + vcpu);          \
        if (c->field == NULL) {                                             \
            return -SIM_ENOMEM;                                             \
        }                                                                   \
    }
    MKCACHE(l1d, l1d, "l1d")
    MKCACHE(l2, l2, "l2")
    MKCACHE(llc, llc, "llc")
#undef MKCACHE
    c->hier.l1d = c->l1d;
    c->hier.l2 = c->l2;
    c->hier.llc = c->llc;
    c->hier.dram = c->dram;

    for (i = 0; i < 3; i++) {
        if (mc->tlb_l1[i].entries != 0) {
            snprintf(name, sizeof(name), "%s.tlb_l1_%u", c->name, i);
            c->tlb_l1[i] = tlb_new(name, &mc->tlb_l1[i], sizes[i]);
            if (c->tlb_l1[i] == NULL) {
                return -SIM_ENOMEM;
            }
        }
    }
    if (mc->tlb_l2.entries != 0) {
        snprintf(name, sizeof(name), "%s.tlb_l2", c->name);
        c->tlb_l2 = tlb_new(name, &mc->tlb_l2, TLB_SZ_4K | TLB_SZ_2M);
        if (c->tlb_l2 == NULL) {
            return -SIM_ENOMEM;
        }
    }
    if (style == MMU_STYLE_INTEL) {
        for (i = 2; i < 6; i++) {
            char w[16];

            snprintf(w, sizeof(w), "psc%u", i);
            c->psc[i] = sim_pwc_new(c->name, w, &mc->psc[i]);
            if (mode == PTW_MODE_EPT) {
                snprintf(w, sizeof(w), "epsc%u", i);
                c->epsc[i] = sim_pwc_new(c->name, w, &mc->psc[i]);
            }
        }
    } else if (style == MMU_STYLE_AMD) {
        c->pwc = sim_pwc_new(c->name, "pwc", &mc->pwc);
    }
    if (mode != PTW_MODE_NATIVE && mc->mmu.nested_tlb) {
        c->ntlb = sim_pwc_new(c->name, "ntlb", &mc->ntlb);
    }

    memset(&parts, 0, sizeof(parts));
    parts.mem = c->mem;
    parts.caches = &c->hier;
    for (i = 0; i < 6; i++) {
        parts.psc[i] = c->psc[i];
        parts.epsc[i] = c->epsc[i];
    }
    parts.pwc = c->pwc;
    parts.ntlb = c->ntlb;
    parts.trace = trace;
    rc = mmu_init(&c->mmu, c->tlb_l1, c->tlb_l2, &parts, (uint16_t)vcpu);
    if (rc != 0) {
        return rc;
    }
    rc = wl_build(c->mem, &mc->wl, mode, mc->mmu.maxphyaddr, &c->ctx,
                  &c->layout);
    if (rc != 0) {
        return rc;
    }
    rc = wl_gen_init(&c->gen, &mc->wl);
    if (rc != 0) {
        return rc;
    }
    return stats != NULL ? sim_context_stats(c, stats) : 0;
}

void sim_context_free(struct sim_context *c)
{
    unsigned i;

    wl_gen_fini(&c->gen);
    mmu_fini(&c->mmu);
    for (i = 0; i < 6; i++) {
        pwc_free(c->psc[i]);
        pwc_free(c->epsc[i]);
    }
    pwc_free(c->pwc);
    pwc_free(c->ntlb);
    for (i = 0; i < 3; i++) {
        tlb_free(c->tlb_l1[i]);
    }
    tlb_free(c->tlb_l2);
    cache_free(c->l1d);
    cache_free(c->l2);
    cache_free(c->llc);
    dram_free(c->dram);
    sim_mem_free(c->mem);
    memset(c, 0, sizeof(*c));
}

uint64_t sim_context_step(struct sim_context *c, const struct wl_cfg *wl)
{
    struct ptw_access a;
    struct mmu_result r;
    uint64_t cyc;
    bool write;

    wl_gen_next(&c->gen, &a.va, &write);
    a.write = write;
    a.user = true;
    a.fetch = false;
    mmu_translate(&c->mmu, &c->ctx, &a, c->st.cycles, &r);
    cyc = r.cycles + wl->think_cycles;
    if (r.fault) {
        c->st.faults++;
    } else if (wl->data_access) {
        uint8_t src;
        uint32_t d = cache_hier_access(&c->hier, r.hpa, write, &src);

        c->st.data_cycles += d;
        cyc += d;
    }
    c->st.accesses++;
    c->st.writes += write;
    c->st.cycles += cyc;
    return cyc;
}
