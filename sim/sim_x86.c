/*
 * sim_x86.c - the x86 platform: memory callbacks over the MMU and caches,
 * the port bus, CPUID, MSRs, TLB flushes, the image entry states, and the
 * loop that feeds retired instructions to the core timing model.
 */
#include "sim_x86.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"
#include "sim_machine.h"

const struct sim_cfg_key sim_x86_cfg_keys[] = {
#define X86_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct sim_x86_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "sim_x86_cfg.def"
#undef X86_CFG
    SIM_CFG_END
};

const char *const sim_x86_stop_name[] = {
    "running", "exited", "triple-fault", "halted", "insn-limit", "waiting"
};

int sim_x86_cfg_validate(struct sim_cfg *cfg, const char *section,
                         const void *loaded)
{
    const struct sim_x86_cfg *c = loaded;

    if (c->vendor == NULL || strlen(c->vendor) != 12) {
        return sim_cfg_error(cfg, section, "vendor",
                             "the vendor string must have exactly 12 "
                             "characters (e.g. GenuineIntel)");
    }
    if (c->ram % SIM_MEM_PAGE_SIZE != 0) {
        return sim_cfg_error(cfg, section, "ram",
                             "RAM size must be a multiple of 4 KiB");
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Translation                                                         */
/* ------------------------------------------------------------------ */

/* The walker context for the core's current paging state (SDM Vol. 3A
 * "4-Level Paging and 5-Level Paging": CR3 bits M-1:12 locate the root,
 * CR3[11:0] is the PCID when CR4.PCIDE = 1). */
static void sx_sync_ctx(struct sim_x86 *s)
{
    const struct x86_cpu *c = &s->cpu;
    uint64_t pmask = ((1ull << s->maxphyaddr) - 1) & ~0xfffull;

    s->pctx.glevels = (c->cr4 & X86_CR4_LA57) ? 5 : 4;
    s->pctx.root = c->cr3 & pmask;
    s->pctx.nxe = (c->efer & X86_EFER_NXE) != 0;
    s->pctx.wp = (c->cr0 & X86_CR0_WP) != 0;
    s->pctx.tag.pcid = (c->cr4 & X86_CR4_PCIDE) ? (uint16_t)(c->cr3 & 0xfff)
                                                : 0;
}

static void sx_stlb_flush(struct sim_x86 *s)
{
    memset(s->stlb, 0xff, sizeof(s->stlb));
    x86_cpu_flush_fetch(&s->cpu);
}

/* Kinds of access, as indexes of the software TLB. */
enum { SX_READ, SX_WRITE, SX_FETCH };

/*
 * Translate `va` for an access of `kind` with the executor's `acc` bits.
 * Returns 0 with *pa, or the memory-callback fault value.  With timing,
 * the translation latency beyond an L1 TLB hit is added to cur_tlb.
 */
static int sx_translate(struct sim_x86 *s, uint64_t va, unsigned kind,
                        unsigned acc, uint64_t *pa)
{
    const struct x86_cpu *c = &s->cpu;
    struct ptw_access a;
    struct mmu_result r;

    if (!(c->cr0 & X86_CR0_PG)) {
        *pa = va & 0xffffffffull;
        return 0;
    }
    sx_sync_ctx(s);
    a.va = va;
    a.write = kind == SX_WRITE;
    a.user = (acc & X86_PFEC_U) != 0;
    a.fetch = kind == SX_FETCH;
    mmu_translate(kind == SX_FETCH ? &s->immu : &s->dmmu, &s->pctx, &a,
                  s->st.cycles, &r);
    if (r.fault && r.f.stage == PTW_STAGE_HOST) {
        /* EPT violation or misconfiguration: a VM exit (SDM Vol. 3C
         * "EPT Violations"), recorded for the VMX model. */
        s->vmx.ept.valid = true;
        s->vmx.ept.misconfig = r.f.kind == PTW_FAULT_EPT_MISCONFIG;
        s->vmx.ept.gpa = r.f.gpa;
        s->vmx.ept.gla = va;
        s->vmx.ept.qual = r.f.ept_qual;
        return X86_MEM_EXIT;
    }
    if (r.fault) {
        s->st.page_faults++;
        return X86_MEM_PFEC |
               (int)(r.f.pf_error & (X86_PFEC_P | X86_PFEC_RSVD));
    }
    if (s->timing && r.served != MMU_L1) {
        s->cur_tlb += r.cycles;
    }
    *pa = r.hpa;
    return 0;
}

/* Host pointer to the RAM frame of `pa`, or NULL above RAM. */
static uint8_t *sx_frame(struct sim_x86 *s, uint64_t pa)
{
    if (pa >= s->ram) {
        return NULL;
    }
    return sim_mem_frame(s->mem, pa, true);
}

/*
 * The host bytes for an access that stays inside one page: through the
 * software TLB (functional model) or the MMU and the caches (timing).
 * Returns 0 with *p (NULL: outside RAM) and *pa, or a fault value.
 */
static int sx_access(struct sim_x86 *s, uint64_t va, unsigned kind,
                     unsigned acc, uint8_t **p, uint64_t *pa)
{
    uint64_t tag = ((va >> 12) << 1) | ((acc & X86_PFEC_U) ? 1 : 0);
    struct sim_x86_stlb *e = &s->stlb[kind][(va >> 12) % SIM_X86_STLB];
    int rc;

    if (!s->timing && e->tag == tag) {
        *pa = (e->pfn << 12) | (va & 0xfff);
        *p = e->frame != NULL ? e->frame + (va & 0xfff) : NULL;
        return 0;
    }
    rc = sx_translate(s, va, kind, acc, pa);
    if (rc != 0) {
        return rc;
    }
    *p = sx_frame(s, *pa);
    if (*p == NULL && *pa < s->ram) {
        return X86_MEM_PFEC;        /* host out of memory: see sim_mem_oom */
    }
    if (!s->timing) {
        e->tag = tag;
        e->pfn = *pa >> 12;
        e->frame = *p;
    } else if (kind != SX_FETCH) {
        uint8_t src;
        uint32_t lat = cache_hier_access(&s->dh, *pa, kind == SX_WRITE,
                                         &src);

        if (lat > s->l1d_hit) {
            s->cur_data += lat - s->l1d_hit;
        }
    }
    if (*p != NULL) {
        *p += *pa & 0xfff;
    }
    return 0;
}

/* Bytes from RAM, or all ones above it (no device answers). */
static void sx_copy_in(void *buf, const uint8_t *p, unsigned len)
{
    if (p != NULL) {
        memcpy(buf, p, len);
    } else {
        memset(buf, 0xff, len);
    }
}

static int sx_read(void *ctx, uint64_t va, void *buf, unsigned len,
                   unsigned acc)
{
    struct sim_x86 *s = ctx;
    uint8_t *p;
    uint64_t pa;
    int rc = sx_access(s, va, SX_READ, acc, &p, &pa);

    if (rc != 0) {
        return rc;
    }
    s->st.loads++;
    sx_copy_in(buf, p, len);
    return 0;
}

static int sx_write(void *ctx, uint64_t va, const void *buf, unsigned len,
                    unsigned acc)
{
    struct sim_x86 *s = ctx;
    uint8_t *p;
    uint64_t pa;
    int rc = sx_access(s, va, SX_WRITE, acc, &p, &pa);

    if (rc != 0) {
        return rc;
    }
    s->st.stores++;
    if (p != NULL) {
        memcpy(p, buf, len);
        /* Self-modifying code: decoded instructions of this page go. */
        x86_pcache_invalidate_page(s->pcache, pa);
    }
    return 0;
}

/* Bytes of an instruction (the predecode cache missed). */
static int sx_fetch(void *ctx, uint64_t va, void *buf, unsigned len,
                    unsigned acc)
{
    struct sim_x86 *s = ctx;
    uint8_t *p;
    uint64_t pa;
    bool timing = s->timing;
    uint32_t tlb = s->cur_tlb;
    int rc;

    /* sx_fetch_pa charged the fetch; the bytes cost nothing more (the
     * second page of a page-crossing instruction is not charged). */
    rc = sx_access(s, va, SX_FETCH, acc, &p, &pa);
    if (timing) {
        s->cur_tlb = tlb;
    }
    if (rc != 0) {
        return rc;
    }
    sx_copy_in(buf, p, len);
    return 0;
}

/* Translation of RIP for the predecode cache; the fetch's timing: the
 * ITLB, and the L1I once per new 64-byte line. */
static int sx_fetch_pa(void *ctx, uint64_t va, uint64_t *pa, unsigned acc)
{
    struct sim_x86 *s = ctx;
    uint8_t *p;
    /* With timing only the translation matters here: sx_fetch finds the
     * bytes (and their frame) on a predecode miss. */
    int rc = s->timing ? sx_translate(s, va, SX_FETCH, acc, pa)
                       : sx_access(s, va, SX_FETCH, acc, &p, pa);

    if (rc != 0) {
        return rc;
    }
    if (s->timing && (*pa >> 6) != s->last_fetch_line) {
        uint8_t src;
        uint32_t lat = cache_hier_access(&s->ih, *pa, false, &src);

        s->last_fetch_line = *pa >> 6;
        s->st.fetch_lines++;
        if (lat > s->l1i_hit) {
            s->cur_ifetch += lat - s->l1i_hit;
        }
    }
    return 0;
}

static const struct x86_mem_ops sx_mem_ops = {
    sx_read, sx_write, sx_fetch, sx_fetch_pa
};

/* ------------------------------------------------------------------ */
/* Platform services                                                   */
/* ------------------------------------------------------------------ */

static int sx_io_in(void *ctx, uint16_t port, unsigned size, uint32_t *v)
{
    struct sim_x86 *s = ctx;

    *v = sim_io_in(&s->io, port, size);
    return 0;
}

static int sx_io_out(void *ctx, uint16_t port, unsigned size, uint32_t v)
{
    struct sim_x86 *s = ctx;

    sim_io_out(&s->io, port, size, v);
    return 0;
}

/*
 * CPUID (SDM Vol. 2 CPUID): leaf 0 vendor and maximum leaf 7; leaf 1
 * signature and features; leaf 5 MONITOR/MWAIT; leaf 7 structured
 * features; 0x80000000 maximum extended leaf 0x80000008; 0x80000001
 * extended features; 0x80000002-4 brand string; 0x80000008 address
 * sizes.  Other leaves read 0 (an Intel
 * CPU returns the highest basic leaf's data for leaves beyond the maximum;
 * vtsim returns zeros: assumption).
 */
static void sx_cpuid(void *ctx, uint32_t leaf, uint32_t sub, uint32_t o[4])
{
    static const char brand[48] = "vtsim x86-64 model";
    const struct sim_x86 *s = ctx;

    memset(o, 0, 4 * sizeof(o[0]));
    switch (leaf) {
    case 0:
        o[0] = 7;
        memcpy(&o[1], s->vendor, 4);
        memcpy(&o[3], s->vendor + 4, 4);
        memcpy(&o[2], s->vendor + 8, 4);
        break;
    case 1:
        o[0] = s->cpuid_sig;
        o[1] = 0x00010800u;     /* CLFLUSH line 8 qwords, 1 logical CPU,
                                   APIC ID 0 */
        o[2] = s->f1_ecx;
        o[3] = s->f1_edx;
        break;
    case 5:
        /* MONITOR/MWAIT leaf: smallest and largest monitor line 64 bytes;
         * ECX[0] MWAIT extensions enumerated, ECX[1] interrupts as break
         * events (SDM Vol. 2 CPUID, leaf 05H). */
        if (s->f1_ecx & (1u << 3)) {
            o[0] = 64;
            o[1] = 64;
            o[2] = 3;
        }
        break;
    case 7:
        if (sub == 0) {
            o[1] = s->f7_ebx;
            o[2] = s->f7_ecx;
        }
        break;
    case 0x80000000u:
        o[0] = 0x80000008u;
        break;
    case 0x80000001u:
        o[2] = s->e1_ecx;
        o[3] = s->e1_edx;
        break;
    case 0x80000002u:
    case 0x80000003u:
    case 0x80000004u:
        memcpy(o, brand + 16 * (leaf - 0x80000002u), 16);
        break;
    case 0x80000008u:
        o[0] = s->maxphyaddr | ((s->cpu.cr4_allowed & X86_CR4_LA57) ? 57u << 8
                                                                   : 48u << 8);
        break;
    default:
        break;
    }
}

static uint64_t sx_tsc(void *ctx)
{
    const struct sim_x86 *s = ctx;

    return s->st.cycles;
}

/* Platform MSRs: IA32_APIC_BASE and the x2APIC range 0x800-0x8FF (the
 * local APIC, sim_apic.c: SDM Vol. 3A "Local APIC Status and Location",
 * "x2APIC Register Address Space") and, with VT-x, the read-only VMX
 * capability MSRs 0x480-0x493 (WRMSR: #GP). */
static int sx_msr_read(void *ctx, uint32_t msr, uint64_t *v)
{
    struct sim_x86 *s = ctx;

    if (msr == X86_MSR_APIC_BASE) {
        *v = sim_apic_get_base(&s->apic);
        return 0;
    }
    if (sim_apic_is_msr(msr)) {
        return sim_apic_rdmsr(&s->apic, msr, s->st.cycles, v);
    }
    if (s->has_vmx && msr >= VMX_MSR_BASIC && msr <= VMX_MSR_EXIT_CTLS2) {
        return vmx_cpu_rdmsr(&s->vmx, msr, v);
    }
    return -1;
}

static int sx_msr_write(void *ctx, uint32_t msr, uint64_t v)
{
    struct sim_x86 *s = ctx;

    if (msr == X86_MSR_APIC_BASE) {
        s->apic_poll = true;
        return sim_apic_set_base(&s->apic, v, s->st.cycles);
    }
    if (sim_apic_is_msr(msr)) {
        s->apic_poll = true;        /* the timer or a vector may change */
        return sim_apic_wrmsr(&s->apic, msr, v, s->st.cycles);
    }
    return -1;
}

/* SDM Vol. 3A "Invalidation of TLBs and Paging-Structure Caches". */
static void sx_flush(void *ctx, unsigned kind, uint64_t va, uint16_t pcid)
{
    struct sim_x86 *s = ctx;
    struct tlb_flush f;

    if (kind == X86_FLUSH_SWITCH) {
        sx_stlb_flush(s);       /* the TLBs are tagged by PCID */
        return;
    }
    memset(&f, 0, sizeof(f));
    switch (kind) {
    case X86_FLUSH_ALL:
        f.scope = TLB_FLUSH_ALL;
        break;
    case X86_FLUSH_NONGLOBAL:
        f.scope = TLB_FLUSH_ALL;
        f.keep_global = true;
        break;
    case X86_FLUSH_PCID:
        f.scope = TLB_FLUSH_TAG;
        f.match = TLB_MATCH_PCID;
        f.tag.pcid = pcid;
        f.keep_global = true;
        break;
    default:
        /* INVLPG also drops global entries of the page, whatever their
         * PCID: match no tag. */
        f.scope = TLB_FLUSH_ADDR;
        f.va = va;
        break;
    }
    s->st.flushes++;
    mmu_flush(&s->dmmu, &f);
    mmu_flush(&s->immu, &f);
    sx_stlb_flush(s);
}

static const struct x86_sys_ops sx_sys_ops = {
    sx_io_in, sx_io_out, sx_cpuid, sx_tsc, sx_msr_read, sx_msr_write,
    sx_flush
};

/* ------------------------------------------------------------------ */
/* The VMX model's platform                                            */
/* ------------------------------------------------------------------ */

static int sx_phys(struct sim_x86 *s, uint64_t pa, void *rbuf,
                   const void *wbuf, unsigned len, uint64_t *cycles)
{
    if (s->timing && cycles != NULL) {
        uint8_t src;
        uint64_t line;

        for (line = pa >> 6; line <= (pa + (len ? len : 1) - 1) >> 6;
             line++) {
            *cycles += cache_hier_access(&s->dh, line << 6, wbuf != NULL,
                                         &src);
        }
    }
    if (len == 0) {
        return 0;
    }
    if (pa >= s->ram || len > s->ram - pa) {
        return -1;                      /* nothing answers */
    }
    if (wbuf != NULL) {
        uint64_t p;

        if (sim_mem_write(s->mem, pa, wbuf, len) != 0) {
            return -1;
        }
        for (p = pa & ~0xfffull; p < pa + len; p += 0x1000) {
            x86_pcache_invalidate_page(s->pcache, p);
        }
        return 0;
    }
    sim_mem_read(s->mem, pa, rbuf, len);
    return 0;
}

static int sx_vmx_read(void *ctx, uint64_t pa, void *buf, unsigned len,
                       uint64_t *cycles)
{
    return sx_phys(ctx, pa, buf, NULL, len, cycles);
}

static int sx_vmx_write(void *ctx, uint64_t pa, const void *buf,
                        unsigned len, uint64_t *cycles)
{
    return sx_phys(ctx, pa, NULL, buf, len, cycles);
}

/* Entry or exit: the walker context follows the world (EPT, VPID tag);
 * the software TLB is untagged and always goes. */
static void sx_vmx_world(void *ctx, bool nonroot, uint16_t vpid,
                         uint64_t eptp, bool flush)
{
    struct sim_x86 *s = ctx;
    uint64_t pmask = ((1ull << s->maxphyaddr) - 1) & ~0xfffull;

    s->pctx.tag.vpid = nonroot ? vpid : 0;
    s->pctx.tag.eptp = nonroot ? eptp : 0;
    if (nonroot && eptp != 0) {
        /* EPTP (reference A7): 5:3 walk length - 1, 6 A/D enable. */
        s->pctx.mode = PTW_MODE_EPT;
        s->pctx.hlevels = (uint8_t)(((eptp >> 3) & 7) + 1);
        s->pctx.nroot = eptp & pmask;
        s->pctx.ept_ad = (eptp >> 6) & 1;
        s->pctx.ept_xo = (s->vmx.m.ept_vpid_cap & 1) != 0;
    } else {
        s->pctx.mode = PTW_MODE_NATIVE;
        s->pctx.hlevels = 0;
        s->pctx.nroot = 0;
    }
    if (flush) {
        struct tlb_flush f;

        memset(&f, 0, sizeof(f));
        f.scope = TLB_FLUSH_ALL;
        mmu_flush(&s->dmmu, &f);
        mmu_flush(&s->immu, &f);
    }
    sx_stlb_flush(s);
}

static void sx_vmx_invalidate(void *ctx, unsigned kind, uint64_t eptp,
                              uint16_t vpid, uint64_t la)
{
    struct sim_x86 *s = ctx;
    struct tlb_flush f;

    memset(&f, 0, sizeof(f));
    switch (kind) {
    case 1:                             /* INVEPT single context */
        f.scope = TLB_FLUSH_TAG;
        f.match = TLB_MATCH_EPTP;
        f.tag.eptp = eptp;
        break;
    case 2:                             /* INVVPID single context */
    case 4:                             /* ... keeping globals */
        f.scope = TLB_FLUSH_TAG;
        f.match = TLB_MATCH_VPID;
        f.tag.vpid = vpid;
        f.keep_global = kind == 4;
        break;
    case 3:                             /* INVVPID one address */
        f.scope = TLB_FLUSH_ADDR;
        f.match = TLB_MATCH_VPID;
        f.tag.vpid = vpid;
        f.va = la;
        break;
    default:
        f.scope = TLB_FLUSH_ALL;
        break;
    }
    mmu_flush(&s->dmmu, &f);
    mmu_flush(&s->immu, &f);
    sx_stlb_flush(s);
}

static uint64_t sx_vmx_now(void *ctx)
{
    const struct sim_x86 *s = ctx;

    return s->st.cycles;
}

/* A world switch drains the pipeline: its depth in the in-order model. */
static uint64_t sx_vmx_drain(void *ctx)
{
    const struct sim_x86 *s = ctx;

    return s->timing ? s->core.cfg.depth : 0;
}

static void sx_vmx_charge(void *ctx, uint64_t cycles)
{
    struct sim_x86 *s = ctx;

    if (s->timing) {
        sim_core_charge(&s->core, SIM_CPI_VIRT, cycles);
        s->st.cycles += cycles;
    }
}

static void sx_vmx_log(void *ctx, const struct vmx_exit_record *rec)
{
    struct sim_x86 *s = ctx;
    struct sim_exit_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.seq = rec->seq;
    ev.cycle = rec->time;
    ev.arch = "vmx";
    ev.reason = rec->reason & VMX_EXIT_REASON_BASIC_MASK;
    ev.reason_name = vmx_exit_name(rec->reason);
    ev.failed_entry = (rec->reason & VMX_EXIT_REASON_ENTRY_FAIL) != 0;
    ev.qual = rec->qual;
    ev.guest_rip = rec->guest_rip;
    memcpy(ev.exit_cost, rec->exit_cost, sizeof(ev.exit_cost));
    memcpy(ev.entry_cost, rec->entry_cost, sizeof(ev.entry_cost));
    ev.exit_cycles = rec->exit_cycles;
    ev.handler_cycles = rec->handler_cycles;
    ev.entry_cycles = rec->entry_cycles;
    sim_trace_exit(s->trace, &ev);
}

_Static_assert((int)VMX_STEP__COUNT == (int)SIM_EXIT_STEPS,
               "the VMX steps are the exits table's step columns");

static int sx_vmx_init(struct sim_x86 *s, const struct sim_machine_cfg *mc,
                       char *err, size_t errlen)
{
    struct vmx_cpu_model m;
    struct vmx_platform p;
    const char *why = NULL;

    if (vmx_caps_build(&mc->vmx, &m, &why) != 0) {
        snprintf(err, errlen, "[vmx] %s", why != NULL ? why : "inconsistent");
        return -SIM_EINVAL;
    }
    memset(&p, 0, sizeof(p));
    p.ctx = s;
    p.phys_read = sx_vmx_read;
    p.phys_write = sx_vmx_write;
    p.world = sx_vmx_world;
    p.invalidate = sx_vmx_invalidate;
    p.now = sx_vmx_now;
    p.drain = sx_vmx_drain;
    p.charge = sx_vmx_charge;
    p.log = sx_vmx_log;
    vmx_cpu_init(&s->vmx, &s->cpu, &m, &mc->vmx_cost, &p);
    s->vmx.facts.maxphyaddr = s->maxphyaddr;
    s->vmx.facts.linear_bits = (s->cpu.cr4_allowed & X86_CR4_LA57) ? 57 : 48;
    s->has_vmx = true;
    return 0;
}

void sim_x86_finish(struct sim_x86 *s)
{
    if (s != NULL && s->has_vmx) {
        vmx_cpu_finish(&s->vmx);
    }
}

/* ------------------------------------------------------------------ */
/* Construction                                                        */
/* ------------------------------------------------------------------ */

/* CPUID feature bits (SDM Vol. 2 CPUID, "Feature Information" tables). */
static void sx_cpuid_model(struct sim_x86 *s, const struct sim_x86_cfg *x)
{
    uint32_t fam = (uint32_t)x->family, mod = (uint32_t)x->model;

    memcpy(s->vendor, x->vendor, 12);
    s->vendor[12] = '\0';
    s->cpuid_sig = (uint32_t)x->stepping | ((mod & 0xf) << 4) |
                   ((fam > 15 ? 15 : fam) << 8) | ((mod >> 4) << 16) |
                   ((fam > 15 ? fam - 15 : 0) << 20);
    /* EDX: TSC 4, MSR 5, PAE 6, APIC 9, SEP 11, PGE 13, CMOV 15, PAT 16,
     * CLFSH 19. */
    s->f1_edx = (1u << 4) | (1u << 5) | (1u << 6) | (1u << 9) | (1u << 11) |
                (1u << 13) | (1u << 15) | (1u << 16) | (1u << 19);
    /* ECX: MONITOR 3, VMX 5, PCID 17, x2APIC 21, POPCNT 23 (TSC-deadline,
     * bit 24, stays clear: sim_apic.c does not model that timer mode;
     * XSAVE 26 too, so CR4.OSXSAVE cannot be set and XSETBV/XGETBV #UD
     * outside a VMX guest whose VMM loads CR4.OSXSAVE). */
    s->f1_ecx = (1u << 23) | (1u << 21) | (x->vmx ? 1u << 5 : 0) |
                (x->pcid ? 1u << 17 : 0) | (x->monitor ? 1u << 3 : 0);
    s->cpu.monitor_ok = x->monitor;
    /* Leaf 7 EBX: BMI1 3 (TZCNT), SMEP 7, INVPCID 10; ECX: LA57 16. */
    s->f7_ebx = (1u << 3) | (x->invpcid ? 1u << 10 : 0);
    s->f7_ecx = x->la57 ? 1u << 16 : 0;
    /* 0x80000001 ECX: LAHF 0, ABM/LZCNT 5; EDX: SYSCALL 11, NX 20,
     * Page1GB 26, RDTSCP 27, LM 29. */
    s->e1_ecx = (1u << 0) | (1u << 5);
    s->e1_edx = (1u << 11) | (1u << 29) | (x->nx ? 1u << 20 : 0) |
                (x->gbpages ? 1u << 26 : 0) | (x->rdtscp ? 1u << 27 : 0);
    s->cpu.cr4_allowed = X86_CR4_TSD | X86_CR4_DE | X86_CR4_PSE |
                         X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PCE |
                         X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT |
                         X86_CR4_FSGSBASE |
                         (x->pcid ? X86_CR4_PCIDE : 0) |
                         (x->la57 ? X86_CR4_LA57 : 0) |
                         (x->vmx ? X86_CR4_VMXE : 0);
    s->cpu.efer_allowed = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA |
                          (x->nx ? X86_EFER_NXE : 0);
}

static struct cache *sx_cache(const char *what, const struct cache_cfg *cfg,
                              uint64_t seed)
{
    char name[32];

    if (!cfg->enabled) {
        return NULL;
    }
    snprintf(name, sizeof(name), "cpu0.%s", what);
    return cache_new(name, cfg, seed);
}

static int sx_register_stats(struct sim_x86 *s, struct sim_stats *st)
{
    static const char *const l1n[3] = { "dtlb_4k", "dtlb_2m", "dtlb_1g" };
    static const char *const il1n[2] = { "itlb_4k", "itlb_2m" };
    static const char *const pscn[6] = { NULL, NULL, "psc_pd", "psc_pdpt",
                                         "psc_pml4", "psc_pml5" };
    const struct x86_pcache_stats *ps = x86_pcache_stats(s->pcache);
    const struct sim_stat_decl counters[] = {
        { "cycles", "cycles", "core cycles (the guest's TSC)",
          &s->st.cycles },
        { "insns", "insns", "instructions retired", &s->st.insns },
        { "exceptions", "events", "instructions that raised an exception",
          &s->cpu.st.exceptions },
        { "delivered", "events", "events delivered through the IDT",
          &s->cpu.st.delivered },
        { "double_faults", "events", "double faults", &s->cpu.st.double_faults },
        { "unimpl", "insns", "instructions refused as unimplemented (#UD)",
          &s->cpu.st.unimpl },
        { "rep_iters", "iterations", "string-instruction iterations",
          &s->cpu.st.rep_iters },
        { "pcache_hits", "insns", "instructions found predecoded",
          &s->cpu.st.pcache_hits },
        { "pcache_misses", "insns", "predecode cache misses", &ps->misses },
        { "fetch_lines", "accesses", "L1I accesses (new fetch lines)",
          &s->st.fetch_lines },
        { "loads", "accesses", "data reads (per page piece)", &s->st.loads },
        { "stores", "accesses", "data writes (per page piece)",
          &s->st.stores },
        { "page_faults", "events", "translations that faulted",
          &s->st.page_faults },
        { "tlb_flushes", "events", "TLB flushes by the guest (MOV CR3, "
          "INVLPG, ...)", &s->st.flushes },
        { "exit_status", "", "exit status of the guest's debug-exit write",
          &s->st.exit_status },
        { "serial_bytes", "bytes", "bytes the guest sent to COM1",
          &s->uart.tx_bytes },
    };
    char obj[48];
    unsigned i;
    int rc = 0;

    rc |= sim_stat_counters(st, "cpu0", counters, SIM_ARRAY_SIZE(counters));
    rc |= sim_stat_ratio(st, "cpu0", "ipc", "insns/cycle",
                         "instructions per cycle", "insns", "cycles");
    rc |= sim_core_register_stats(&s->core, st, "cpu0.core");
    if (s->has_vmx) {
        rc |= vmx_cpu_register_stats(&s->vmx, st, "cpu0");
    }
    rc |= cache_hier_register_stats(st, "cpu0", s->l1i, s->l1d, s->l2,
                                    s->llc, s->dram);
#define OBJ(what) (snprintf(obj, sizeof(obj), "cpu0.%s", what), obj)
    for (i = 0; i < 3; i++) {
        if (s->dtlb[i] != NULL) {
            rc |= tlb_register_stats(s->dtlb[i], st, OBJ(l1n[i]));
        }
    }
    for (i = 0; i < 2; i++) {
        if (s->itlb[i] != NULL) {
            rc |= tlb_register_stats(s->itlb[i], st, OBJ(il1n[i]));
        }
    }
    if (s->tlb_l2 != NULL) {
        rc |= tlb_register_stats(s->tlb_l2, st, OBJ("tlb_l2"));
    }
    for (i = 2; i < 6; i++) {
        if (s->psc[i] != NULL) {
            rc |= pwc_register_stats(s->psc[i], st, OBJ(pscn[i]));
        }
    }
    rc |= mmu_register_stats(&s->dmmu, st, OBJ("dmmu"));
    rc |= mmu_register_stats(&s->immu, st, OBJ("immu"));
    rc |= ptw_register_stats(&s->dmmu.ptw, st, OBJ("ptw"));
    rc |= ptw_register_stats(&s->immu.ptw, st, OBJ("iptw"));
#undef OBJ
    return rc ? -SIM_EINVAL : 0;
}

static FILE *sx_open_serial(const char *spec, bool *owned)
{
    *owned = false;
    if (spec == NULL || strcmp(spec, "stdout") == 0) {
        return stdout;
    }
    if (strcmp(spec, "stderr") == 0) {
        return stderr;
    }
    if (strcmp(spec, "none") == 0) {
        return NULL;
    }
    *owned = true;
    return fopen(spec, "w");
}

int sim_x86_new(struct sim_x86 **out, const struct sim_machine_cfg *mc,
                struct sim_stats *stats, const struct sim_trace *trace,
                FILE *serial, char *err, size_t errlen)
{
    static const unsigned sizes[3] = { TLB_SZ_4K, TLB_SZ_2M, TLB_SZ_1G };
    struct sim_x86 *s;
    struct ptw_parts parts;
    unsigned i;
    int rc;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return -SIM_ENOMEM;
    }
    *out = s;
    s->ram = mc->x86.ram;
    s->max_insns = mc->x86.max_insns;
    s->maxphyaddr = (uint8_t)mc->mmu.maxphyaddr;
    s->timing = mc->core.model == SIM_CORE_INORDER;
    s->mem = sim_mem_new();
    s->dram = dram_new(&mc->dram);
    s->pcache = x86_pcache_new(12, 16);
    if (s->mem == NULL || s->dram == NULL || s->pcache == NULL ||
        sim_core_init(&s->core, &mc->core) != 0) {
        snprintf(err, errlen, "out of memory");
        return -SIM_ENOMEM;
    }
    s->l1i = sx_cache("l1i", &mc->l1i, mc->wl.seed);
    s->l1d = sx_cache("l1d", &mc->l1d, mc->wl.seed + 1);
    s->l2 = sx_cache("l2", &mc->l2, mc->wl.seed + 2);
    s->llc = sx_cache("llc", &mc->llc, mc->wl.seed + 3);
    if ((mc->l1i.enabled && s->l1i == NULL) ||
        (mc->l1d.enabled && s->l1d == NULL) ||
        (mc->l2.enabled && s->l2 == NULL) ||
        (mc->llc.enabled && s->llc == NULL)) {
        snprintf(err, errlen, "out of memory");
        return -SIM_ENOMEM;
    }
    s->l1d_hit = mc->l1d.enabled ? (uint32_t)mc->l1d.hit_latency : 0;
    s->l1i_hit = mc->l1i.enabled ? (uint32_t)mc->l1i.hit_latency : 0;
    s->dh.l1d = s->l1d;
    s->ih.l1d = s->l1i;
    s->dh.l2 = s->ih.l2 = s->l2;
    s->dh.llc = s->ih.llc = s->llc;
    s->dh.dram = s->ih.dram = s->dram;
    for (i = 0; i < 3; i++) {
        char name[32];

        if (mc->tlb_l1[i].entries != 0) {
            snprintf(name, sizeof(name), "cpu0.dtlb%u", i);
            s->dtlb[i] = tlb_new(name, &mc->tlb_l1[i], sizes[i]);
            if (s->dtlb[i] == NULL) {
                snprintf(err, errlen, "out of memory");
                return -SIM_ENOMEM;
            }
        }
        if (i < 2 && mc->tlb_i[i].entries != 0) {
            snprintf(name, sizeof(name), "cpu0.itlb%u", i);
            s->itlb[i] = tlb_new(name, &mc->tlb_i[i], sizes[i]);
            if (s->itlb[i] == NULL) {
                snprintf(err, errlen, "out of memory");
                return -SIM_ENOMEM;
            }
        }
    }
    if (mc->tlb_l2.entries != 0) {
        s->tlb_l2 = tlb_new("cpu0.tlb_l2", &mc->tlb_l2,
                            TLB_SZ_4K | TLB_SZ_2M);
        if (s->tlb_l2 == NULL) {
            snprintf(err, errlen, "out of memory");
            return -SIM_ENOMEM;
        }
    }
    memset(&parts, 0, sizeof(parts));
    if (mc->mmu.style != MMU_STYLE_NONE && mc->mmu.style != MMU_STYLE_AMD) {
        for (i = 2; i < 6; i++) {
            char name[32];

            if (mc->psc[i].entries == 0) {
                continue;
            }
            snprintf(name, sizeof(name), "cpu0.psc%u", i);
            s->psc[i] = pwc_new(name, &mc->psc[i]);
            if (s->psc[i] == NULL) {
                snprintf(err, errlen, "out of memory");
                return -SIM_ENOMEM;
            }
            parts.psc[i] = s->psc[i];
        }
    }
    if (mc->ntlb.entries != 0) {
        s->ntlb = pwc_new("cpu0.ntlb", &mc->ntlb);
        if (s->ntlb == NULL) {
            snprintf(err, errlen, "out of memory");
            return -SIM_ENOMEM;
        }
        parts.ntlb = s->ntlb;
    }
    parts.mem = s->mem;
    parts.caches = &s->dh;
    parts.trace = trace;
    s->trace = trace;
    rc = mmu_init(&s->dmmu, s->dtlb, s->tlb_l2, &parts, 0);
    if (rc == 0) {
        rc = mmu_init(&s->immu, s->itlb, s->tlb_l2, &parts, 0);
    }
    if (rc != 0) {
        snprintf(err, errlen, "building the MMU: %s", sim_strerror(rc));
        return rc;
    }
    s->pctx.mode = PTW_MODE_NATIVE;
    s->pctx.glevels = 4;
    s->pctx.maxphyaddr = s->maxphyaddr;

    x86_cpu_init(&s->cpu, &sx_mem_ops, s);
    s->cpu.sys = &sx_sys_ops;
    s->cpu.sys_ctx = s;
    s->cpu.pcache = s->pcache;
    s->cpu.deliver = true;
    s->cpu.fetch_each = s->timing;
    sx_cpuid_model(s, &mc->x86);
    if (mc->x86.vmx) {
        rc = sx_vmx_init(s, mc, err, errlen);
        if (rc != 0) {
            return rc;
        }
    }
    x86_cpu_set_pm32(&s->cpu, 0, 0, 0);
    sx_stlb_flush(s);
    s->last_fetch_line = ~0ull;
    if (sim_apic_init(&s->apic, 0, (uint32_t)mc->x86.apic_bus_ratio,
                      s->maxphyaddr, true) != 0) {
        snprintf(err, errlen, "[x86] apic_bus_ratio or [mmu] maxphyaddr "
                 "out of the local APIC's range");
        return -SIM_EINVAL;
    }
    s->apic_next = UINT64_MAX;

    sim_io_init(&s->io);
    if (serial == NULL) {
        serial = sx_open_serial(mc->x86.serial, &s->serial_owned);
        if (serial == NULL && s->serial_owned) {
            snprintf(err, errlen, "[x86] serial: cannot open %s: %s",
                     mc->x86.serial, strerror(errno));
            s->serial_owned = false;
            return -SIM_EIO;
        }
    }
    s->serial = serial;
    if (sim_uart_attach(&s->uart, &s->io, SIM_IO_COM1, serial) != 0 ||
        sim_debug_exit_attach(&s->dbg, &s->io, SIM_IO_DEBUG_EXIT) != 0) {
        snprintf(err, errlen, "cannot attach the devices");
        return -SIM_EINVAL;
    }
    if (stats != NULL && sx_register_stats(s, stats) != 0) {
        snprintf(err, errlen, "cannot register the statistics");
        return -SIM_EINVAL;
    }
    return 0;
}

void sim_x86_free(struct sim_x86 *s)
{
    unsigned i;

    if (s == NULL) {
        return;
    }
    if (s->serial != NULL) {
        fflush(s->serial);
    }
    if (s->serial_owned) {
        fclose(s->serial);
    }
    mmu_fini(&s->dmmu);
    mmu_fini(&s->immu);
    for (i = 0; i < 6; i++) {
        pwc_free(s->psc[i]);
    }
    pwc_free(s->ntlb);
    for (i = 0; i < 3; i++) {
        tlb_free(s->dtlb[i]);
        tlb_free(s->itlb[i]);
    }
    tlb_free(s->tlb_l2);
    cache_free(s->l1i);
    cache_free(s->l1d);
    cache_free(s->l2);
    cache_free(s->llc);
    dram_free(s->dram);
    sim_core_fini(&s->core);
    x86_pcache_free(s->pcache);
    sim_mem_free(s->mem);
    free(s);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

/*
 * ELF64 entry state (docs/x86-runtime.md, "ELF64 images"): the platform
 * builds, in the top 7 pages of RAM, a GDT (null, 64-bit kernel code 0x08,
 * data 0x10) and page tables mapping [0, 4 GiB) with 2-MiB pages
 * (P|W|U|PS); the stack starts just below them.
 */
int sim_x86_enter_long(struct sim_x86 *s, uint64_t entry)
{
    uint64_t top = s->ram - 7 * SIM_MEM_PAGE_SIZE;
    uint64_t gdt = top, pml4 = top + 0x1000, pdpt = top + 0x2000;
    uint64_t pd = top + 0x3000;
    unsigned i;
    int rc = 0;

    rc |= sim_mem_write64(s->mem, gdt + 8, 0x00af9b000000ffffull);
    rc |= sim_mem_write64(s->mem, gdt + 16, 0x00cf93000000ffffull);
    rc |= sim_mem_write64(s->mem, pml4, pdpt | 7);
    for (i = 0; i < 4; i++) {
        rc |= sim_mem_write64(s->mem, pdpt + 8 * i, (pd + 0x1000 * i) | 7);
    }
    for (i = 0; i < 2048; i++) {
        rc |= sim_mem_write64(s->mem, pd + 8 * i,
                              ((uint64_t)i << 21) | 0x87);
    }
    if (rc != 0) {
        return -SIM_ENOMEM;
    }
    x86_cpu_set_long64(&s->cpu, entry, pml4, top);
    s->cpu.gdtr.base = gdt;
    s->cpu.gdtr.limit = 23;
    s->cpu.seg[X86_SEG_SS].sel = 0x10;
    s->cpu.seg[X86_SEG_DS].sel = 0x10;
    s->cpu.seg[X86_SEG_ES].sel = 0x10;
    sx_stlb_flush(s);
    mmu_flush(&s->dmmu, &(struct tlb_flush){ .scope = TLB_FLUSH_ALL });
    mmu_flush(&s->immu, &(struct tlb_flush){ .scope = TLB_FLUSH_ALL });
    return 0;
}

static int sx_enter(struct sim_x86 *s, char *err, size_t errlen)
{
    if (s->image.kind == SIM_IMAGE_ELF64) {
        if (s->ram < 16 * SIM_MEM_PAGE_SIZE ||
            sim_x86_enter_long(s, s->image.entry) != 0) {
            snprintf(err, errlen, "cannot build the long-mode entry state");
            return -SIM_ENOMEM;
        }
    } else {
        x86_cpu_set_pm32(&s->cpu, s->image.entry, SIM_MB_BOOT_MAGIC,
                         (uint32_t)s->image.mb_info);
    }
    sx_stlb_flush(s);
    return 0;
}

int sim_x86_load(struct sim_x86 *s, const char *path, char *err,
                 size_t errlen)
{
    int rc = sim_load_image(s->mem, s->ram, path, &s->image, err, errlen);

    return rc != 0 ? rc : sx_enter(s, err, errlen);
}

int sim_x86_load_buf(struct sim_x86 *s, const uint8_t *buf, size_t len,
                     const char *name, char *err, size_t errlen)
{
    int rc = sim_load_image_buf(s->mem, s->ram, buf, len, name, &s->image,
                                err, errlen);

    return rc != 0 ? rc : sx_enter(s, err, errlen);
}

/* ------------------------------------------------------------------ */
/* Execution                                                           */
/* ------------------------------------------------------------------ */

static uint8_t sx_core_class(unsigned lat)
{
    switch (lat) {
    case X86_LAT_MUL:
        return SIM_CORE_MUL;
    case X86_LAT_DIV:
        return SIM_CORE_DIV;
    case X86_LAT_STRING:
        return SIM_CORE_STRING;
    case X86_LAT_MICRO:
    case X86_LAT_IO:
    case X86_LAT_PAUSE:
        return SIM_CORE_MICRO;
    case X86_LAT_SERIAL:
        return SIM_CORE_SERIAL;
    default:
        return SIM_CORE_INT;
    }
}

/* The retired instruction as the timing model sees it (x86_retire_fn):
 * true when the APIC's next event is due before the next instruction. */
static bool sx_retire(void *ctx, const struct x86_exec_result *r)
{
    struct sim_x86 *s = ctx;
    const struct x86_insn *i = r->insn;
    struct sim_core_insn in;

    in.ifetch_cycles = s->cur_ifetch;
    in.data_cycles = s->cur_data;
    in.tlb_cycles = s->cur_tlb;
    if (i != NULL && r->status == X86_EXEC_OK &&
        !(i->flags & X86_F_BRANCH) &&
        sx_core_class(i->lat) == SIM_CORE_INT) {
        /* Most instructions: one issue slot and their memory cycles. */
        s->st.cycles += sim_core_retire_int(&s->core, &in);
        s->cur_ifetch = s->cur_data = s->cur_tlb = 0;
        return s->st.cycles >= s->apic_next;
    }
    memset(&in, 0, sizeof(in));
    in.pc = r->rip;
    in.ifetch_cycles = s->cur_ifetch;
    in.data_cycles = s->cur_data;
    in.tlb_cycles = s->cur_tlb;
    if (i == NULL || r->status != X86_EXEC_OK) {
        /* A fault or an event: the pipeline is flushed. */
        in.cls = SIM_CORE_SERIAL;
        in.next_pc = r->rip;
    } else {
        in.next_pc = r->rip + i->length;
        in.cls = sx_core_class(i->lat);
        in.iterations = r->rep_iters;
        if ((i->flags & X86_F_BRANCH) && in.cls == SIM_CORE_INT) {
            bool direct = i->nops > 0 && i->opnd[0].kind == X86_OPND_IMM;

            in.target = s->cpu.rip;
            in.taken = s->cpu.rip != in.next_pc;
            switch (i->cls) {
            case X86_CLASS_JCC:
                in.branch = SIM_BR_COND;
                break;
            case X86_CLASS_CALL:
                in.branch = direct ? SIM_BR_CALL : SIM_BR_INDIRECT;
                in.indirect_call = !direct;
                break;
            case X86_CLASS_RET:
                in.branch = SIM_BR_RET;
                break;
            default:
                in.branch = direct ? SIM_BR_DIRECT : SIM_BR_INDIRECT;
                break;
            }
        }
    }
    s->st.cycles += sim_core_retire(&s->core, &in);
    s->cur_ifetch = s->cur_data = s->cur_tlb = 0;
    return s->st.cycles >= s->apic_next;
}

/* Bring the local APIC up to now and hand the core the highest vector it
 * can take (SDM Vol. 3A "Interrupt Acceptance for Fixed Interrupts": the
 * vector moves from IRR to ISR when the core takes it).  In VMX non-root
 * operation with external-interrupt exiting the core takes it whatever
 * RFLAGS.IF says, and the VM exit acknowledges it only with "acknowledge
 * interrupt on exit"; without it the vector stays requested in the IRR
 * for the host to take when it enables interrupts (SDM Vol. 3C
 * "External-Interrupt Exiting"). */
static void sx_apic_poll(struct sim_x86 *s)
{
    int v;

    sim_apic_advance(&s->apic, s->st.cycles);
    v = sim_apic_pending(&s->apic);
    if (v >= 0 && x86_interrupt_ready(&s->cpu)) {
        if (!s->has_vmx || vmx_cpu_intr_acked(&s->vmx, &s->cpu)) {
            sim_apic_ack(&s->apic, v);
        }
        (void)x86_interrupt(&s->cpu, (unsigned)v);   /* 1: triple fault */
        v = sim_apic_pending(&s->apic);
    }
    s->apic_poll = v >= 0;          /* keep looking while one waits */
    s->apic_next = sim_apic_next_event(&s->apic);
}

/* A halted core: the APIC timer, or a halted guest's VMX-preemption
 * timer, can wake it (no other interrupt source is modelled): wait for
 * the earlier, or stay halted. */
static unsigned sx_halted(struct sim_x86 *s)
{
    uint64_t next = UINT64_MAX;

    if (s->apic_next != UINT64_MAX &&
        (x86_interrupt_ready(&s->cpu) || s->apic_poll) &&
        !(s->apic_poll && s->apic_next <= s->st.cycles)) {
        next = s->apic_next;
    }
    if (s->cpu.nonroot && s->vmx.preempt_deadline < next) {
        next = s->vmx.preempt_deadline;
    }
    if (next == UINT64_MAX) {
        return SIM_X86_HALTED;
    }
    s->wake_at = next > s->st.cycles ? next : s->st.cycles;
    return SIM_X86_WAITING;
}

unsigned sim_x86_run(struct sim_x86 *s, uint64_t budget)
{
    struct x86_exec_result r;
    uint64_t n = 0;

    while (n < budget) {
        uint64_t lim = budget - n;
        uint64_t k;
        int st;

        if (s->max_insns != 0 && s->st.insns >= s->max_insns) {
            return SIM_X86_LIMIT;
        }
        /* VM exits between instructions (monitor trap flag, preemption
         * timer, windows) come before an external interrupt is taken
         * (SDM Vol. 3C, priorities of the events at an instruction
         * boundary). */
        if (s->vmx.boundary && s->cpu.nonroot &&
            vmx_cpu_boundary(&s->vmx, &s->cpu) == X86_VIRT_SWITCHED) {
            n++;
            continue;                   /* the host runs next */
        }
        if (s->apic_poll || s->st.cycles >= s->apic_next) {
            sx_apic_poll(s);
            if (s->cpu.halt == X86_SHUTDOWN) {
                return SIM_X86_SHUTDOWN;
            }
            /* a vector delivered to the guest may pend an MTF exit */
            if (s->vmx.boundary && s->cpu.nonroot &&
                vmx_cpu_boundary(&s->vmx, &s->cpu) == X86_VIRT_SWITCHED) {
                n++;
                continue;
            }
        }
        /* Instructions back to back (x86_run) up to the APIC's next
         * event (sx_retire ends the run there in the timing model, where
         * an instruction takes a variable number of cycles); one at a
         * time while a vector waits or VMX checks every boundary. */
        if (s->max_insns != 0 && s->max_insns - s->st.insns < lim) {
            lim = s->max_insns - s->st.insns;
        }
        if (s->apic_poll || (s->vmx.boundary && s->cpu.nonroot) ||
            s->apic_next <= s->st.cycles) {
            lim = 1;
        } else if (!s->timing && s->apic_next - s->st.cycles < lim) {
            lim = s->apic_next - s->st.cycles;
        }
        /* Each step is charged (timing) or counts one cycle. */
        k = x86_run(&s->cpu, lim, &r, s->timing ? NULL : &s->st.cycles,
                    s->timing ? sx_retire : NULL, s);
        if (k == 0) {
            return SIM_X86_SHUTDOWN;    /* no memory callbacks: no core */
        }
        n += k;
        s->st.insns += k - 1;   /* the steps before the last completed */
        st = r.status;
        if (st == X86_EXEC_HALTED) {
            return sx_halted(s);
        }
        if (st == X86_EXEC_OK) {
            s->st.insns++;
        }
        if (s->dbg.exited) {
            s->st.exit_status = (uint64_t)s->dbg.status;
            return SIM_X86_EXITED;
        }
        if (st == X86_EXEC_SHUTDOWN || s->cpu.halt == X86_SHUTDOWN) {
            return SIM_X86_SHUTDOWN;
        }
    }
    return SIM_X86_RUNNING;
}

void sim_x86_wake(struct sim_x86 *s)
{
    if (s->st.cycles < s->wake_at) {
        if (s->timing) {
            sim_core_charge(&s->core, SIM_CPI_IDLE,
                            s->wake_at - s->st.cycles);
        }
        s->st.cycles = s->wake_at;      /* the TSC ran while halted */
    }
    s->apic_poll = true;
}

void sim_x86_foreach_unimpl(const struct sim_x86 *s,
                            void (*fn)(void *ctx, const char *mnemonic,
                                       const uint64_t *count),
                            void *ctx)
{
    unsigned k;

    for (k = 0; k < X86_CPU_MNEMONIC_SLOTS; k++) {
        if (s->cpu.unimpl_by_mnemonic[k] != 0) {
            fn(ctx, x86_zydis_mnemonic_name(k), &s->cpu.unimpl_by_mnemonic[k]);
        }
    }
}
