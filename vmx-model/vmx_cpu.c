/*
 * vmx_cpu.c - VMX operation of one core (see vmx_cpu.h for what is and
 * is not modelled, and the sources).
 *
 * Layout: outcomes and VMCS memory; the exit path (record, save guest,
 * load host); the entry path (pre-checks, vmx_entry_check, load guest,
 * MSR list, injection); the VMX instructions in root operation; the
 * exit decisions of non-root operation; the hook.
 *
 * Timing: every step of a switch is charged through vmx_platform.charge
 * and recorded in the exit record; the memory a switch touches (VMCS
 * image when there is no on-chip VMCS cache, MSR lists, bitmaps) goes
 * through vmx_platform.phys_* and is charged its cache latency.
 */
#include "vmx_cpu.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define F(name) VMX_FIELD_##name
#define VB(set, name) VMX_BIT(VMX_CTL_##set##_##name)

const struct sim_cfg_key vmx_cost_cfg_keys[] = {
#define VMX_COST_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct vmx_cost_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "vmx_cost_cfg.def"
#undef VMX_COST_CFG
    SIM_CFG_END
};

const char *const vmx_step_name[VMX_STEP__COUNT] = {
    "drain", "ucode", "checks", "save", "load", "msr", "tlb", "refill"
};

/* Interruption-information types (A1 "Sub-formats"). */
enum { IT_EXT = 0, IT_NMI = 2, IT_HW = 3, IT_SWINT = 4, IT_PRIV_SW = 5,
       IT_SWEXC = 6, IT_OTHER = 7 };
#define INFO_VALID   (1u << 31)
#define INFO_ERR     (1u << 11)
#define INFO_NMI_UNBLOCK (1u << 12)     /* exit info: IRET unblocked NMIs */
/* Interruptibility state bit 3: blocking by NMI (A1 "Sub-formats"). */
#define INTR_NMI     (1u << 3)

/* CR0 bits a VM exit leaves alone (A9 "VM exit" step 5). */
#define HOST_CR0_KEEP (X86_CR0_ET | X86_CR0_CD | X86_CR0_NW | \
                       (0x3ffull << 19) | (1ull << 17) | (0x3ffull << 6))

/* Fields saved or loaded per group in the timing model (8 per group: one
 * 64-byte line of vtsim's VMCS image). */
#define GROUP_FIELDS 8u

static inline uint64_t vr(const struct vmx_cpu *v, enum vmx_field f)
{
    return vmx_vmcs_get(&v->vmcs, f);
}

static inline void vw(struct vmx_cpu *v, enum vmx_field f, uint64_t x)
{
    vmx_vmcs_set(&v->vmcs, f, x);
}

static bool ctl(const struct vmx_cpu *v, enum vmx_field f, uint64_t bit)
{
    return (vr(v, f) & bit) != 0;
}

/* Secondary controls count only when the primary activates them. */
static bool ctl2(const struct vmx_cpu *v, uint64_t bit)
{
    return ctl(v, F(PROC_CTLS), VB(PROC, SECONDARY)) &&
           ctl(v, F(PROC2_CTLS), bit);
}

static uint64_t now(const struct vmx_cpu *v)
{
    return v->p.now != NULL ? v->p.now(v->p.ctx) : 0;
}

static int pread(const struct vmx_cpu *v, uint64_t pa, void *buf,
                 unsigned len, uint64_t *cyc)
{
    int rc = v->p.phys_read(v->p.ctx, pa, buf, len, cyc);

    if (rc != 0) {
        memset(buf, 0xff, len);
    }
    return rc;
}

static int pwrite(const struct vmx_cpu *v, uint64_t pa, const void *buf,
                  unsigned len, uint64_t *cyc)
{
    return v->p.phys_write(v->p.ctx, pa, buf, len, cyc);
}

/* A physical address operand is valid when 4-KiB aligned and below
 * MAXPHYADDR (32 bits with BASIC[48]) (SDM "VMXON", "VMPTRLD", "VMCLEAR"). */
static bool pa_ok(const struct vmx_cpu *v, uint64_t pa)
{
    unsigned w = v->m.addr32 ? 32 : v->facts.maxphyaddr;

    return (pa & 0xfff) == 0 && (w >= 64 || (pa >> w) == 0);
}

/* ------------------------------------------------------------------ */
/* Outcomes (A3 "RFLAGS conventions")                                  */
/* ------------------------------------------------------------------ */

static int vm_succeed(struct x86_cpu *c, const struct x86_virt_event *ev)
{
    c->rflags &= ~(uint64_t)X86_FL_ARITH;
    c->rip = ev->next_rip;
    return X86_VIRT_DONE;
}

static int vm_fail_invalid(struct vmx_cpu *v, struct x86_cpu *c,
                           const struct x86_virt_event *ev)
{
    v->st.vmfail_invalid++;
    c->rflags = (c->rflags & ~(uint64_t)X86_FL_ARITH) | X86_FL_CF;
    c->rip = ev->next_rip;
    return X86_VIRT_DONE;
}

static int vm_fail_valid(struct vmx_cpu *v, struct x86_cpu *c,
                         const struct x86_virt_event *ev, uint32_t err)
{
    if (v->cur == ~0ull) {
        return vm_fail_invalid(v, c, ev);
    }
    v->st.vmfail_valid++;
    vw(v, F(VM_INSN_ERROR), err);
    c->rflags = (c->rflags & ~(uint64_t)X86_FL_ARITH) | X86_FL_ZF;
    c->rip = ev->next_rip;
    return X86_VIRT_DONE;
}

static int fault(struct x86_exec_result *r, unsigned vec, bool err)
{
    memset(r, 0, offsetof(struct x86_exec_result, rip));
    r->status = X86_EXEC_EXCEPTION;
    r->vector = (uint8_t)vec;
    r->has_error = err;
    r->error_code = 0;
    return X86_VIRT_FAULT;
}

/* ------------------------------------------------------------------ */
/* Timing                                                              */
/* ------------------------------------------------------------------ */

static void charge(struct vmx_cpu *v, uint64_t *steps, unsigned step,
                   uint64_t cycles)
{
    steps[step] += cycles;
    v->st.step_cycles[step] += cycles;
    if (v->p.charge != NULL && cycles != 0) {
        v->p.charge(v->p.ctx, cycles);
    }
}

/* The cost of moving `nfields` VMCS fields between the core and the
 * VMCS: on chip, or the lines of the image in memory. */
static uint64_t vmcs_cost(struct vmx_cpu *v, unsigned nfields, bool write)
{
    uint64_t cyc = 0;
    unsigned groups = (nfields + GROUP_FIELDS - 1) / GROUP_FIELDS;
    unsigned g;

    if (v->cost.vmcs_cache || v->cur == ~0ull) {
        return (uint64_t)groups * v->cost.vmcs_group;
    }
    /* One access per 64-byte line of the image; a store costs what a
     * load of the line costs (write-allocate caches), so the timing
     * probe reads and the image in memory is brought up to date only by
     * VMCLEAR, as the SDM allows. */
    (void)write;
    for (g = 0; g < groups; g++) {
        uint64_t word;

        (void)v->p.phys_read(v->p.ctx, v->cur + VMX_VMCS_OFF_FIELDS +
                             64ull * g, &word, 8, &cyc);
    }
    return cyc;
}

static void log_record(struct vmx_cpu *v)
{
    if (!v->rec_open) {
        return;
    }
    v->rec_open = false;
    if (v->p.log != NULL) {
        v->p.log(v->p.ctx, &v->rec);
    }
}

void vmx_cpu_finish(struct vmx_cpu *v)
{
    if (v->rec_open) {
        v->rec.handler_cycles = now(v) - v->host_start;
        log_record(v);
    }
}

/* ------------------------------------------------------------------ */
/* VMCS memory                                                         */
/* ------------------------------------------------------------------ */

static void vmcs_writeback(struct vmx_cpu *v, uint64_t *cyc)
{
    uint8_t img[VMX_VMCS_IMAGE_SIZE];

    if (v->cur == ~0ull) {
        return;
    }
    (void)vmx_vmcs_to_image(&v->vmcs, img, sizeof(img));
    (void)pwrite(v, v->cur, img, sizeof(img), cyc);
}

static void vmcs_fetch(struct vmx_cpu *v, uint64_t pa, uint64_t *cyc)
{
    uint8_t img[VMX_VMCS_IMAGE_SIZE];

    (void)pread(v, pa, img, sizeof(img), cyc);
    (void)vmx_vmcs_from_image(&v->vmcs, img, sizeof(img));
}

static int read_phys_fact(void *ctx, uint64_t pa, void *buf, size_t len)
{
    const struct vmx_cpu *v = ctx;

    return v->p.phys_read(v->p.ctx, pa, buf, (unsigned)len, NULL);
}

/* ------------------------------------------------------------------ */
/* Segments                                                            */
/* ------------------------------------------------------------------ */

/* Guest segment fields of x86_cpu.seg[i] (ES..GS), LDTR (6), TR (7);
 * vtsim's attribute layout is the access-rights layout (x86_cpu.h). */
static const enum vmx_field seg_sel[8] = {
    F(GUEST_ES_SELECTOR), F(GUEST_CS_SELECTOR), F(GUEST_SS_SELECTOR),
    F(GUEST_DS_SELECTOR), F(GUEST_FS_SELECTOR), F(GUEST_GS_SELECTOR),
    F(GUEST_LDTR_SELECTOR), F(GUEST_TR_SELECTOR)
};
static const enum vmx_field seg_base[8] = {
    F(GUEST_ES_BASE), F(GUEST_CS_BASE), F(GUEST_SS_BASE), F(GUEST_DS_BASE),
    F(GUEST_FS_BASE), F(GUEST_GS_BASE), F(GUEST_LDTR_BASE), F(GUEST_TR_BASE)
};
static const enum vmx_field seg_limit[8] = {
    F(GUEST_ES_LIMIT), F(GUEST_CS_LIMIT), F(GUEST_SS_LIMIT),
    F(GUEST_DS_LIMIT), F(GUEST_FS_LIMIT), F(GUEST_GS_LIMIT),
    F(GUEST_LDTR_LIMIT), F(GUEST_TR_LIMIT)
};
static const enum vmx_field seg_ar[8] = {
    F(GUEST_ES_AR), F(GUEST_CS_AR), F(GUEST_SS_AR), F(GUEST_DS_AR),
    F(GUEST_FS_AR), F(GUEST_GS_AR), F(GUEST_LDTR_AR), F(GUEST_TR_AR)
};

static struct x86_seg *seg_of(struct x86_cpu *c, unsigned i)
{
    return i < 6 ? &c->seg[i] : i == 6 ? &c->ldtr : &c->tr;
}

/* ------------------------------------------------------------------ */
/* VM exit (A9 "VM exit")                                              */
/* ------------------------------------------------------------------ */

struct exit_info {
    uint32_t reason;
    uint64_t qual;
    uint32_t intr_info;
    uint32_t intr_err;
    uint32_t insn_len;
    uint32_t insn_info;
    uint64_t gla;
    uint64_t gpa;
    bool failed_entry;      /* reason 33/34: guest state not saved */
};

static void save_guest(struct vmx_cpu *v, struct x86_cpu *c)
{
    unsigned i;

    vw(v, F(GUEST_CR0), c->cr0);
    vw(v, F(GUEST_CR3), c->cr3);
    vw(v, F(GUEST_CR4), c->cr4);
    if (ctl(v, F(EXIT_CTLS), VB(EXIT, SAVE_DEBUG))) {
        vw(v, F(GUEST_DR7), c->dr[7]);
    }
    vw(v, F(GUEST_RSP), c->gpr[X86_REG_RSP]);
    vw(v, F(GUEST_RIP), c->rip);
    vw(v, F(GUEST_RFLAGS), c->rflags);
    for (i = 0; i < 8; i++) {
        const struct x86_seg *s = seg_of(c, i);

        vw(v, seg_sel[i], s->sel);
        vw(v, seg_base[i], s->base);
        vw(v, seg_limit[i], s->limit);
        vw(v, seg_ar[i], s->attr & 0x1f0ffu);
    }
    vw(v, F(GUEST_GDTR_BASE), c->gdtr.base);
    vw(v, F(GUEST_GDTR_LIMIT), c->gdtr.limit);
    vw(v, F(GUEST_IDTR_BASE), c->idtr.base);
    vw(v, F(GUEST_IDTR_LIMIT), c->idtr.limit);
    vw(v, F(GUEST_SYSENTER_CS), c->sysenter_cs);
    vw(v, F(GUEST_SYSENTER_ESP), c->sysenter_esp);
    vw(v, F(GUEST_SYSENTER_EIP), c->sysenter_eip);
    if (ctl(v, F(EXIT_CTLS), VB(EXIT, SAVE_PAT))) {
        vw(v, F(GUEST_PAT), c->pat);
    }
    if (ctl(v, F(EXIT_CTLS), VB(EXIT, SAVE_EFER))) {
        vw(v, F(GUEST_EFER), c->efer);
    }
    vw(v, F(GUEST_ACTIVITY_STATE), c->halt == X86_HALTED ? 1 : 0);
    /* Blocking by STI (bit 0) or MOV SS (bit 1) in effect at the
     * instruction the guest resumes at: the shadow that instruction began
     * under (exits between instructions first copy the current shadow to
     * shadow_in). */
    vw(v, F(GUEST_INTERRUPTIBILITY),
       (c->shadow_in & (X86_SHADOW_STI | X86_SHADOW_MOVSS)) |
       (v->nmi_blocked ? INTR_NMI : 0));
    vw(v, F(GUEST_PENDING_DBG), 0);
    if (v->m.lma_store) {
        uint64_t e = vr(v, F(ENTRY_CTLS)) & ~VB(ENTRY, IA32E_GUEST);

        if (c->efer & X86_EFER_LMA) {
            e |= VB(ENTRY, IA32E_GUEST);
        }
        vw(v, F(ENTRY_CTLS), e);
    }
}

/* Walk an MSR list of `count` entries at `pa`: store (MSR-store list) or
 * load.  Returns 0, or the 1-based index of the failing entry. */
static uint32_t msr_list(struct vmx_cpu *v, struct x86_cpu *c, uint64_t pa,
                         uint32_t count, bool store, bool entry,
                         uint64_t *cyc)
{
    uint32_t i;

    for (i = 0; i < count; i++) {
        uint8_t e[16];
        uint32_t idx, rsvd;
        uint64_t val;

        *cyc += v->cost.msr_entry;
        if (pread(v, pa + 16ull * i, e, 16, cyc) != 0) {
            return i + 1;
        }
        memcpy(&idx, e, 4);
        memcpy(&rsvd, e + 4, 4);
        memcpy(&val, e + 8, 8);
        /* SDM Vol. 3C "VM-Entry Failures During or After Loading Guest
         * State" / "Loading MSRs": reserved bytes must be 0; x2APIC MSRs
         * (31:8 = 0x8) may not be loaded or stored; IA32_FS_BASE and
         * IA32_GS_BASE may not be loaded; IA32_SMM_MONITOR_CTL (0x9B) may
         * not be loaded or stored. */
        if (rsvd != 0 || (idx >> 8) == 0x8 || idx == 0x9b ||
            (!store && entry &&
             (idx == X86_MSR_FS_BASE || idx == X86_MSR_GS_BASE))) {
            return i + 1;
        }
        if (store) {
            if (x86_cpu_msr_read(c, idx, &val) != 0) {
                return i + 1;
            }
            memcpy(e + 8, &val, 8);
            if (pwrite(v, pa + 16ull * i + 8, e + 8, 8, cyc) != 0) {
                return i + 1;
            }
        } else if (x86_cpu_msr_write(c, idx, val) != 0) {
            return i + 1;
        }
    }
    return 0;
}

static void vmx_abort(struct vmx_cpu *v, struct x86_cpu *c, uint32_t code)
{
    /* A9: the indicator goes to bytes 4-7 of the VMCS region and the
     * logical processor shuts down. */
    v->st.aborts++;
    v->vmcs.abort = code;
    if (v->cur != ~0ull) {
        (void)pwrite(v, v->cur + VMX_VMCS_OFF_ABORT, &code, 4, NULL);
    }
    c->halt = X86_SHUTDOWN;
}

static void load_host(struct vmx_cpu *v, struct x86_cpu *c)
{
    bool host64 = ctl(v, F(EXIT_CTLS), VB(EXIT, HOST_ADDR_SPACE));
    static const enum vmx_field hsel[6] = {
        F(HOST_ES_SELECTOR), F(HOST_CS_SELECTOR), F(HOST_SS_SELECTOR),
        F(HOST_DS_SELECTOR), F(HOST_FS_SELECTOR), F(HOST_GS_SELECTOR)
    };
    unsigned i;

    c->cr0 = (vr(v, F(HOST_CR0)) & ~HOST_CR0_KEEP) | (c->cr0 & HOST_CR0_KEEP);
    c->cr3 = vr(v, F(HOST_CR3));
    c->cr4 = vr(v, F(HOST_CR4));
    if (ctl(v, F(EXIT_CTLS), VB(EXIT, LOAD_EFER))) {
        c->efer = vr(v, F(HOST_EFER));
    } else if (host64) {
        c->efer |= X86_EFER_LMA | X86_EFER_LME;
    } else {
        c->efer &= ~(X86_EFER_LMA | X86_EFER_LME);
    }
    c->dr[7] = 0x400;
    c->sysenter_cs = vr(v, F(HOST_SYSENTER_CS));
    c->sysenter_esp = vr(v, F(HOST_SYSENTER_ESP));
    c->sysenter_eip = vr(v, F(HOST_SYSENTER_EIP));
    if (ctl(v, F(EXIT_CTLS), VB(EXIT, LOAD_PAT))) {
        c->pat = vr(v, F(HOST_PAT));
    }
    c->rflags = X86_RFLAGS_FIXED;
    c->rip = vr(v, F(HOST_RIP));
    c->gpr[X86_REG_RSP] = vr(v, F(HOST_RSP));
    for (i = 0; i < 6; i++) {
        struct x86_seg *s = &c->seg[i];
        uint16_t sel = (uint16_t)vr(v, hsel[i]);

        if (i == X86_SEG_CS) {
            /* type 11 (execute/read, accessed), S, DPL 0, P, G; L from
             * the host address-space size, D its inverse. */
            s->sel = sel;
            s->base = 0;
            s->limit = 0xffffffffu;
            s->attr = 11u | X86_SEG_ATTR_S | X86_SEG_ATTR_P |
                      X86_SEG_ATTR_G |
                      (host64 ? X86_SEG_ATTR_L : X86_SEG_ATTR_DB);
            continue;
        }
        s->sel = sel;
        s->base = i == X86_SEG_FS ? vr(v, F(HOST_FS_BASE))
                : i == X86_SEG_GS ? vr(v, F(HOST_GS_BASE)) : 0;
        s->limit = 0xffffffffu;
        s->attr = 3u | X86_SEG_ATTR_S | X86_SEG_ATTR_P | X86_SEG_ATTR_G |
                  X86_SEG_ATTR_DB;
        if (sel == 0) {
            s->attr |= X86_SEG_ATTR_UNUSABLE;
        }
    }
    c->tr.sel = (uint16_t)vr(v, F(HOST_TR_SELECTOR));
    c->tr.base = vr(v, F(HOST_TR_BASE));
    c->tr.limit = 0x67;
    c->tr.attr = 11u | X86_SEG_ATTR_P;
    c->ldtr.sel = 0;
    c->ldtr.base = 0;
    c->ldtr.limit = 0;
    c->ldtr.attr = X86_SEG_ATTR_UNUSABLE;
    c->gdtr.base = vr(v, F(HOST_GDTR_BASE));
    c->gdtr.limit = 0xffff;
    c->idtr.base = vr(v, F(HOST_IDTR_BASE));
    c->idtr.limit = 0xffff;
    c->cpl = 0;
    x86_cpu_sync_mode(c);
}

/*
 * Perform a VM exit with `e` from non-root operation (or a failed entry
 * from root operation).  The core holds the guest state on entry and the
 * host state on return.
 */
static int vm_exit(struct vmx_cpu *v, struct x86_cpu *c,
                   const struct exit_info *e)
{
    uint64_t steps[VMX_STEP__COUNT];
    uint64_t cyc = 0;
    uint32_t bad;
    unsigned basic = e->reason & 0xffff;
    uint16_t vpid;

    memset(steps, 0, sizeof(steps));
    charge(v, steps, VMX_STEP_DRAIN,
           v->p.drain != NULL ? v->p.drain(v->p.ctx) : 0);
    charge(v, steps, VMX_STEP_UCODE, v->cost.exit_ucode);

    /* Step 1: exit information. */
    vw(v, F(EXIT_REASON), e->reason);
    vw(v, F(EXIT_QUALIFICATION), e->qual);
    vw(v, F(EXIT_INTR_INFO), e->intr_info);
    vw(v, F(EXIT_INTR_ERRCODE), e->intr_err);
    vw(v, F(EXIT_INSN_LEN), e->insn_len);
    vw(v, F(EXIT_INSN_INFO), e->insn_info);
    vw(v, F(GUEST_LINEAR_ADDR), e->gla);
    vw(v, F(GUEST_PHYSICAL_ADDR), e->gpa);
    /* IDT-vectoring information: the event whose delivery through the
     * guest IDT this exit interrupted (an injected event, an exception or
     * interrupt, INT n/INT3/INTO), with its error code and, for a
     * software event, its instruction length (SDM Vol. 3C "Information
     * for VM Exits That Occur During Event Delivery").  Not for a triple
     * fault, whose information is the fault itself. */
    if (!e->failed_entry && c->nonroot && c->vectoring.valid &&
        basic != VMX_EXIT_TRIPLE_FAULT) {
        const struct x86_event *d = &c->vectoring;

        vw(v, F(IDT_VECTORING_INFO),
           d->vector | ((uint32_t)(d->type & 7) << 8) | INFO_VALID |
               (d->has_error ? INFO_ERR : 0));
        vw(v, F(IDT_VECTORING_ERRCODE), d->error_code);
        if (d->type == IT_SWINT || d->type == IT_PRIV_SW ||
            d->type == IT_SWEXC) {
            vw(v, F(EXIT_INSN_LEN), d->len);
        }
    } else {
        vw(v, F(IDT_VECTORING_INFO), 0);
    }
    vw(v, F(ENTRY_INTR_INFO), vr(v, F(ENTRY_INTR_INFO)) & ~(uint64_t)
                                                          INFO_VALID);
    if (!e->failed_entry) {
        /* Steps 2-4: guest state, MSR-store list. */
        save_guest(v, c);
        charge(v, steps, VMX_STEP_SAVE, vmcs_cost(v, 48, true));
        cyc = 0;
        bad = msr_list(v, c, vr(v, F(EXIT_MSR_STORE_ADDR)),
                       (uint32_t)vr(v, F(EXIT_MSR_STORE_COUNT)), true, false,
                       &cyc);
        charge(v, steps, VMX_STEP_MSR, cyc);
        if (bad != 0) {
            vmx_abort(v, c, 1);
            return X86_VIRT_SWITCHED;
        }
    }
    if (c->nonroot && v->preempt_deadline != ~0ull &&
        ctl(v, F(EXIT_CTLS), VB(EXIT, SAVE_PREEMPT))) {
        /* "save VMX-preemption timer value": what is left of it */
        uint64_t t = now(v);

        vw(v, F(PREEMPTION_TIMER_VALUE),
           t >= v->preempt_deadline
               ? 0 : (v->preempt_deadline - t) >> v->m.preempt_rate);
    }
    v->preempt_deadline = ~0ull;
    v->boundary = false;
    v->mtf_forced = false;
    v->tpr_pending = false;
    if (c->nonroot && ctl(v, F(PROC_CTLS), VB(PROC, TSC_OFFSETTING))) {
        c->tsc_offset -= v->tsc_offset;
    }
    v->tsc_offset = 0;
    /* Steps 5-6: host state, MSR-load list. */
    c->nonroot = false;
    c->extint_exits = false;
    c->halt = X86_RUNNING;
    c->shadow = 0;
    load_host(v, c);
    charge(v, steps, VMX_STEP_LOAD, vmcs_cost(v, 28, false));
    cyc = 0;
    bad = msr_list(v, c, vr(v, F(EXIT_MSR_LOAD_ADDR)),
                   (uint32_t)vr(v, F(EXIT_MSR_LOAD_COUNT)), false, false,
                   &cyc);
    charge(v, steps, VMX_STEP_MSR, cyc);
    if (bad != 0) {
        vmx_abort(v, c, 4);
    }
    vpid = ctl2(v, VB(PROC2, VPID)) ? (uint16_t)vr(v, F(VPID)) : 0;
    if (v->p.world != NULL) {
        v->p.world(v->p.ctx, false, 0, 0, vpid == 0);
    }
    if (vpid == 0) {
        charge(v, steps, VMX_STEP_TLB, v->cost.tlb_flush);
    }
    charge(v, steps, VMX_STEP_REFILL, v->cost.refill);

    /* Statistics and the record (completed at the next entry). */
    log_record(v);
    v->st.exits++;
    if (basic < VMX_REASONS) {
        v->st.by_reason[basic]++;
    }
    memset(&v->rec, 0, sizeof(v->rec));
    v->rec.seq = v->seq++;
    v->rec.time = now(v);
    v->rec.reason = e->reason;
    v->rec.qual = e->qual;
    v->rec.guest_rip = e->failed_entry ? 0 : vr(v, F(GUEST_RIP));
    memcpy(v->rec.exit_cost, steps, sizeof(steps));
    {
        unsigned k;

        for (k = 0; k < VMX_STEP__COUNT; k++) {
            v->rec.exit_cycles += steps[k];
        }
    }
    v->rec_open = true;
    v->host_start = now(v);
    return X86_VIRT_SWITCHED;
}

/* Exit of an instruction: fault-like, RIP at the instruction. */
static int insn_exit(struct vmx_cpu *v, struct x86_cpu *c,
                     const struct x86_virt_event *ev, uint32_t reason,
                     uint64_t qual, uint32_t info, uint64_t gla)
{
    struct exit_info e;

    memset(&e, 0, sizeof(e));
    e.reason = reason;
    e.qual = qual;
    e.insn_len = (uint32_t)(ev->next_rip - ev->rip);
    e.insn_info = info;
    e.gla = gla;
    return vm_exit(v, c, &e);
}

/* ---- TPR shadow (SDM Vol. 3C "Virtualizing CR8-Based TPR Accesses",
 * "TPR Virtualization"): with "use TPR shadow" and without the CR8
 * load/store exiting controls (which take precedence), CR8 is bits 7:4
 * of VTPR, byte 0x80 of the virtual-APIC page (A8.1 C9). ---- */

#define VAPIC_VTPR 0x80u

static uint8_t vtpr(const struct vmx_cpu *v)
{
    uint8_t b = 0;
    uint64_t cyc = 0;

    (void)pread(v, vr(v, F(VIRTUAL_APIC_ADDR)) + VAPIC_VTPR, &b, 1, &cyc);
    if (v->p.charge != NULL && cyc != 0) {
        v->p.charge(v->p.ctx, cyc);
    }
    return b;
}

/* "TPR below threshold" applies without virtual-interrupt delivery (not
 * modelled): VTPR[7:4] < TPR threshold[3:0]. */
static bool tpr_below(const struct vmx_cpu *v)
{
    return ctl(v, F(PROC_CTLS), VB(PROC, TPR_SHADOW)) &&
           !ctl2(v, VB(PROC2, VINTR_DELIVERY)) &&
           (unsigned)(vtpr(v) >> 4) < (vr(v, F(TPR_THRESHOLD)) & 0xfu);
}

/* ------------------------------------------------------------------ */
/* VM entry                                                            */
/* ------------------------------------------------------------------ */

static void load_guest(struct vmx_cpu *v, struct x86_cpu *c)
{
    unsigned i;

    if (ctl(v, F(ENTRY_CTLS), VB(ENTRY, LOAD_EFER))) {
        c->efer = vr(v, F(GUEST_EFER));
    } else if (vr(v, F(GUEST_CR0)) & X86_CR0_PG) {
        if (ctl(v, F(ENTRY_CTLS), VB(ENTRY, IA32E_GUEST))) {
            c->efer |= X86_EFER_LMA | X86_EFER_LME;
        } else {
            c->efer &= ~(X86_EFER_LMA | X86_EFER_LME);
        }
    }
    c->cr0 = vr(v, F(GUEST_CR0)) | X86_CR0_ET;
    c->cr4 = vr(v, F(GUEST_CR4));
    c->cr3 = vr(v, F(GUEST_CR3));
    if (ctl(v, F(ENTRY_CTLS), VB(ENTRY, LOAD_DEBUG))) {
        c->dr[7] = vr(v, F(GUEST_DR7));
    }
    c->sysenter_cs = vr(v, F(GUEST_SYSENTER_CS));
    c->sysenter_esp = vr(v, F(GUEST_SYSENTER_ESP));
    c->sysenter_eip = vr(v, F(GUEST_SYSENTER_EIP));
    if (ctl(v, F(ENTRY_CTLS), VB(ENTRY, LOAD_PAT))) {
        c->pat = vr(v, F(GUEST_PAT));
    }
    for (i = 0; i < 8; i++) {
        struct x86_seg *s = seg_of(c, i);

        s->sel = (uint16_t)vr(v, seg_sel[i]);
        s->base = vr(v, seg_base[i]);
        s->limit = (uint32_t)vr(v, seg_limit[i]);
        s->attr = (uint32_t)vr(v, seg_ar[i]) & 0x1f0ffu;
    }
    c->gdtr.base = vr(v, F(GUEST_GDTR_BASE));
    c->gdtr.limit = (uint16_t)vr(v, F(GUEST_GDTR_LIMIT));
    c->idtr.base = vr(v, F(GUEST_IDTR_BASE));
    c->idtr.limit = (uint16_t)vr(v, F(GUEST_IDTR_LIMIT));
    c->gpr[X86_REG_RSP] = vr(v, F(GUEST_RSP));
    c->rip = vr(v, F(GUEST_RIP));
    c->rflags = vr(v, F(GUEST_RFLAGS)) | X86_RFLAGS_FIXED;
    c->cpl = (uint8_t)X86_SEG_DPL(c->seg[X86_SEG_SS].attr);
    x86_cpu_sync_mode(c);
    /* Interruptibility: blocking by STI (bit 0) or MOV SS (bit 1). */
    c->shadow = (uint8_t)(vr(v, F(GUEST_INTERRUPTIBILITY)) &
                          (X86_SHADOW_STI | X86_SHADOW_MOVSS));
    c->shadow_in = c->shadow;
    c->halt = vr(v, F(GUEST_ACTIVITY_STATE)) == 1 ? X86_HALTED
                                                  : X86_RUNNING;
}

static int vm_entry(struct vmx_cpu *v, struct x86_cpu *c,
                    const struct x86_virt_event *ev, bool launch)
{
    struct vmx_entry_result res;
    uint64_t steps[VMX_STEP__COUNT];
    uint64_t cyc = 0;
    uint32_t bad, info;
    uint16_t vpid;
    uint64_t eptp = 0;
    unsigned k;

    /* A8.0 pre-checks 0.4-0.7 (0.1-0.3 done by the caller). */
    if (v->cur == ~0ull) {
        return vm_fail_invalid(v, c, ev);
    }
    /* 0.5: VMLAUNCH/VMRESUME right after MOV SS or POP SS. */
    if (c->shadow_in & X86_SHADOW_MOVSS) {
        return vm_fail_valid(v, c, ev, VMX_ERR_ENTRY_MOV_SS_BLOCKING);
    }
    if (launch && v->vmcs.launch != VMX_LAUNCH_CLEAR) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMLAUNCH_NOT_CLEAR);
    }
    if (!launch && v->vmcs.launch != VMX_LAUNCH_LAUNCHED) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMRESUME_NOT_LAUNCHED);
    }
    memset(steps, 0, sizeof(steps));
    if (v->rec_open) {
        v->rec.handler_cycles = now(v) - v->host_start;
    }
    charge(v, steps, VMX_STEP_DRAIN,
           v->p.drain != NULL ? v->p.drain(v->p.ctx) : 0);
    charge(v, steps, VMX_STEP_UCODE, v->cost.entry_ucode);
    charge(v, steps, VMX_STEP_CHECKS, v->cost.entry_checks);
    v->facts.host_lma = (c->efer & X86_EFER_LMA) != 0;
    v->facts.current_vmcs = v->cur;
    v->facts.vmxon_ptr = v->vmxon_ptr;
    (void)vmx_entry_check(&v->vmcs, &v->m, &v->facts, &res);
    if (res.outcome == VMX_ENTRY_FAIL_VALID) {
        v->st.entry_fail_valid++;
        return vm_fail_valid(v, c, ev, res.insn_error);
    }
    if (res.outcome == VMX_ENTRY_FAIL_EXIT) {
        struct exit_info e;

        v->st.entry_fail_exit++;
        memset(&e, 0, sizeof(e));
        e.reason = res.exit_reason;
        e.qual = res.qual;
        e.failed_entry = true;
        c->rip = ev->next_rip;
        return vm_exit(v, c, &e);
    }
    /* A9 "VM entry" steps 2-5. */
    if (c->halt == X86_HALTED) {
        c->halt = X86_RUNNING;
    }
    load_guest(v, c);
    /* Blocking by NMI, or virtual-NMI blocking with "virtual NMIs". */
    v->nmi_blocked = (vr(v, F(GUEST_INTERRUPTIBILITY)) & INTR_NMI) != 0;
    v->iret_unblocked = false;
    /* A9 "VM entry" step 3: address-range monitoring is cleared. */
    c->monitor_armed = false;
    charge(v, steps, VMX_STEP_LOAD, vmcs_cost(v, 48, false));
    bad = msr_list(v, c, vr(v, F(ENTRY_MSR_LOAD_ADDR)),
                   (uint32_t)vr(v, F(ENTRY_MSR_LOAD_COUNT)), false, true,
                   &cyc);
    charge(v, steps, VMX_STEP_MSR, cyc);
    if (bad != 0) {
        struct exit_info e;

        v->st.entry_fail_exit++;
        memset(&e, 0, sizeof(e));
        e.reason = VMX_EXIT_ENTRY_FAIL_MSR_LOAD | VMX_EXIT_REASON_ENTRY_FAIL;
        e.qual = bad;
        e.failed_entry = true;
        return vm_exit(v, c, &e);
    }
    if (launch) {
        v->vmcs.launch = VMX_LAUNCH_LAUNCHED;
    }
    c->nonroot = true;
    c->extint_exits = ctl(v, F(PIN_CTLS), VB(PIN, EXT_INTR_EXITING));
    if (ctl(v, F(PROC_CTLS), VB(PROC, TSC_OFFSETTING))) {
        v->tsc_offset = (int64_t)vr(v, F(TSC_OFFSET));
        c->tsc_offset += v->tsc_offset;
    }
    /* The VMX-preemption timer counts down by 1 every 2^rate TSC ticks
     * (A5 "IA32_VMX_MISC" bits 4:0); 0 exits before the first guest
     * instruction. */
    v->preempt_deadline = ~0ull;
    if (ctl(v, F(PIN_CTLS), VB(PIN, PREEMPTION_TIMER))) {
        v->preempt_deadline = now(v) + (vr(v, F(PREEMPTION_TIMER_VALUE))
                                        << v->m.preempt_rate);
    }
    v->boundary = v->preempt_deadline != ~0ull ||
                  ctl(v, F(PROC_CTLS), VB(PROC, INTR_WINDOW)) ||
                  ctl(v, F(PROC_CTLS), VB(PROC, NMI_WINDOW)) ||
                  ctl(v, F(PROC_CTLS), VB(PROC, MTF));
    /* Monitor trap flag: an MTF exit becomes pending once the guest
     * completes an instruction or an event is delivered through its IDT
     * (counted from here; the VMLAUNCH/VMRESUME step itself retires one
     * instruction after this returns). */
    v->mtf_insns = c->st.insns + 1;
    v->mtf_delivered = c->st.delivered;
    v->mtf_forced = false;
    /* A9 "VM entry" step 8: TPR virtualization; with the entry check
     * C9 this can only exit when APIC accesses are virtualized. */
    v->tpr_pending = tpr_below(v);
    v->boundary = v->boundary || v->tpr_pending;
    vpid = ctl2(v, VB(PROC2, VPID)) ? (uint16_t)vr(v, F(VPID)) : 0;
    (void)vmx_cpu_ept(v, c, &eptp);
    if (v->p.world != NULL) {
        v->p.world(v->p.ctx, true, vpid, eptp, vpid == 0);
    }
    if (vpid == 0) {
        charge(v, steps, VMX_STEP_TLB, v->cost.tlb_flush);
    }
    charge(v, steps, VMX_STEP_REFILL, v->cost.refill);
    v->st.entries++;
    if (v->rec_open) {
        unsigned basic = v->rec.reason & 0xffff;

        memcpy(v->rec.entry_cost, steps, sizeof(steps));
        for (k = 0; k < VMX_STEP__COUNT; k++) {
            v->rec.entry_cycles += steps[k];
        }
        if (basic < VMX_REASONS) {
            v->st.cycles_by_reason[basic] += v->rec.exit_cycles +
                                             v->rec.handler_cycles +
                                             v->rec.entry_cycles;
        }
        log_record(v);
    }
    /* Step 7: event injection (A1 interruption-information format). */
    info = (uint32_t)vr(v, F(ENTRY_INTR_INFO));
    if ((info & INFO_VALID) && ((info >> 8) & 7) == IT_OTHER) {
        /* Type 7, vector 0: a pending MTF VM exit, before the first guest
         * instruction even with the control 0 (SDM Vol. 3C "Event
         * Injection"); nothing is delivered. */
        v->mtf_forced = true;
        v->boundary = true;
    } else if (info & INFO_VALID) {
        unsigned type = (info >> 8) & 7;

        /* Injecting an NMI blocks NMIs, or with "virtual NMIs" sets
         * virtual-NMI blocking (SDM Vol. 3C "Event Injection"). */
        if (type == IT_NMI) {
            v->nmi_blocked = true;
        }
        uint64_t ret = c->rip;

        if (type == IT_SWINT || type == IT_PRIV_SW || type == IT_SWEXC) {
            ret += vr(v, F(ENTRY_INSN_LEN));
        }
        if (x86_cpu_inject(c, info & 0xff, type, (info & INFO_ERR) != 0,
                           (uint32_t)vr(v, F(ENTRY_EXCEPTION_ERRCODE)),
                           (unsigned)vr(v, F(ENTRY_INSN_LEN)), ret) != 0 &&
            c->nonroot) {
            /* The injected event became a triple fault that did not
             * exit: nothing runs any more. */
            c->halt = X86_SHUTDOWN;
        }
    }
    return X86_VIRT_SWITCHED;
}

/* ------------------------------------------------------------------ */
/* VMX instructions in root operation (SDM "VMX Instruction Reference")*/
/* ------------------------------------------------------------------ */

/* The m64 operand of VMXON/VMCLEAR/VMPTRLD. */
static int read_m64(const struct x86_virt_event *ev, uint64_t *pa)
{
    return x86_virt_opnd_read(ev, 0, pa);
}

static int do_vmxon(struct vmx_cpu *v, struct x86_cpu *c,
                    const struct x86_virt_event *ev, struct x86_exec_result *r)
{
    uint64_t pa, cyc = 0;
    uint32_t rev;

    if (c->cpl > 0) {
        return fault(r, X86_VEC_GP, true);
    }
    if (v->on) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMXON_IN_ROOT);
    }
    /* IA32_FEATURE_CONTROL: lock (bit 0) and VMXON outside SMX (bit 2);
     * CR0/CR4 fixed bits (A5 "Enabling prerequisites"). */
    if ((c->feature_control & 5) != 5 ||
        ((c->cr0 | X86_CR0_ET) & v->m.cr0_fixed0) != v->m.cr0_fixed0 ||
        (c->cr0 & ~v->m.cr0_fixed1) != 0 ||
        (c->cr4 & v->m.cr4_fixed0) != v->m.cr4_fixed0 ||
        (c->cr4 & ~v->m.cr4_fixed1) != 0) {
        return fault(r, X86_VEC_GP, true);
    }
    if (read_m64(ev, &pa) != 0) {
        return X86_VIRT_FAULT;
    }
    if (!pa_ok(v, pa)) {
        return vm_fail_invalid(v, c, ev);
    }
    (void)pread(v, pa, &rev, 4, &cyc);
    if ((rev & 0x7fffffffu) != v->m.revision_id || (rev >> 31) != 0) {
        return vm_fail_invalid(v, c, ev);
    }
    if (v->p.charge != NULL) {
        v->p.charge(v->p.ctx, cyc + v->cost.ptr_op);
    }
    v->on = true;
    v->vmxon_ptr = pa;
    v->cur = ~0ull;
    c->vmx_fixed = true;
    c->cr0_fixed0 = v->m.cr0_fixed0;
    c->cr0_fixed1 = v->m.cr0_fixed1;
    c->cr4_fixed0 = v->m.cr4_fixed0;
    c->cr4_fixed1 = v->m.cr4_fixed1;
    return vm_succeed(c, ev);
}

static int do_vmclear(struct vmx_cpu *v, struct x86_cpu *c,
                      const struct x86_virt_event *ev)
{
    uint64_t pa, cyc = 0;
    uint32_t clear = VMX_LAUNCH_CLEAR;

    if (read_m64(ev, &pa) != 0) {
        return X86_VIRT_FAULT;
    }
    if (!pa_ok(v, pa)) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMCLEAR_INVALID_ADDR);
    }
    if (pa == v->vmxon_ptr) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMCLEAR_VMXON_PTR);
    }
    if (pa == v->cur) {
        v->vmcs.launch = VMX_LAUNCH_CLEAR;
        vmcs_writeback(v, &cyc);
        v->cur = ~0ull;
    } else {
        (void)pwrite(v, pa + VMX_VMCS_OFF_LAUNCH, &clear, 4, &cyc);
    }
    if (v->p.charge != NULL) {
        v->p.charge(v->p.ctx, cyc + v->cost.ptr_op);
    }
    return vm_succeed(c, ev);
}

static int do_vmptrld(struct vmx_cpu *v, struct x86_cpu *c,
                      const struct x86_virt_event *ev)
{
    uint64_t pa, cyc = 0;
    uint32_t rev;

    if (read_m64(ev, &pa) != 0) {
        return X86_VIRT_FAULT;
    }
    if (!pa_ok(v, pa)) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMPTRLD_INVALID_ADDR);
    }
    if (pa == v->vmxon_ptr) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMPTRLD_VMXON_PTR);
    }
    (void)pread(v, pa, &rev, 4, &cyc);
    /* Bit 31 (shadow VMCS) needs VMCS shadowing, not modelled. */
    if ((rev & 0x7fffffffu) != v->m.revision_id || (rev >> 31) != 0) {
        return vm_fail_valid(v, c, ev, VMX_ERR_VMPTRLD_BAD_REVISION);
    }
    if (pa != v->cur) {
        vmcs_writeback(v, &cyc);
        vmcs_fetch(v, pa, &cyc);
        v->cur = pa;
    }
    if (v->p.charge != NULL) {
        v->p.charge(v->p.ctx, cyc + v->cost.ptr_op);
    }
    return vm_succeed(c, ev);
}

static int do_vmptrst(struct vmx_cpu *v, struct x86_cpu *c,
                      const struct x86_virt_event *ev)
{
    if (x86_virt_opnd_write(ev, 0, v->cur) != 0) {
        return X86_VIRT_FAULT;
    }
    return vm_succeed(c, ev);
}

static int do_vmread_write(struct vmx_cpu *v, struct x86_cpu *c,
                           const struct x86_virt_event *ev, bool write)
{
    bool m64 = c->mode == X86_MODE_64;
    uint64_t enc, val = 0;
    int err;

    if (v->cur == ~0ull) {
        return vm_fail_invalid(v, c, ev);
    }
    /* VMREAD r/m, r (encoding in the register); VMWRITE r, r/m. */
    if (x86_virt_opnd_read(ev, write ? 0 : 1, &enc) != 0) {
        return X86_VIRT_FAULT;
    }
    if (!m64) {
        enc &= 0xffffffffull;
    }
    if (write) {
        if (x86_virt_opnd_read(ev, 1, &val) != 0) {
            return X86_VIRT_FAULT;
        }
        if (!m64) {
            val &= 0xffffffffull;
        }
        err = vmx_vmcs_write(&v->vmcs, &v->m, enc, val);
    } else {
        err = vmx_vmcs_read(&v->vmcs, &v->m, enc, &val);
        if (err == 0 && x86_virt_opnd_write(ev, 0, m64 ? val
                                              : val & 0xffffffffull) != 0) {
            return X86_VIRT_FAULT;
        }
    }
    if (v->p.charge != NULL) {
        v->p.charge(v->p.ctx, v->cost.vmread);
    }
    if (err != 0) {
        return vm_fail_valid(v, c, ev, (uint32_t)err);
    }
    return vm_succeed(c, ev);
}

/* INVEPT / INVVPID (A7 "INVEPT / INVVPID"). */
static int do_invept_vpid(struct vmx_cpu *v, struct x86_cpu *c,
                          const struct x86_virt_event *ev,
                          struct x86_exec_result *r, bool ept)
{
    uint64_t type, la, d[2];
    uint64_t cap = v->m.ept_vpid_cap;
    bool ok;

    if (ept ? !(cap & VMX_BIT(VMX_EPTCAP_INVEPT)) ||
              !vmx_model_allows(&v->m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_EPT)
            : !(cap & VMX_BIT(VMX_EPTCAP_INVVPID)) ||
              !vmx_model_allows(&v->m, VMX_CTLSET_PROC2,
                                VMX_CTL_PROC2_VPID)) {
        return fault(r, X86_VEC_UD, false);
    }
    if (x86_virt_opnd_read(ev, 0, &type) != 0 ||
        x86_virt_opnd_la(ev, 1, &la) != 0 ||
        x86_virt_read(ev, la, d, 16) != 0) {
        return X86_VIRT_FAULT;
    }
    if (c->mode != X86_MODE_64) {
        type &= 0xffffffffull;
    }
    if (ept) {
        ok = (type == 1 && (cap & VMX_BIT(VMX_EPTCAP_INVEPT_SINGLE))) ||
             (type == 2 && (cap & VMX_BIT(VMX_EPTCAP_INVEPT_ALL)));
        if (!ok) {
            return vm_fail_valid(v, c, ev, VMX_ERR_INVALID_INVEPT_INVVPID);
        }
        if (v->p.invalidate != NULL) {
            v->p.invalidate(v->p.ctx, type == 1 ? 1 : 0,
                            d[0] & ~0xfffull, 0, 0);
        }
        return vm_succeed(c, ev);
    }
    ok = type <= 3 && (cap & VMX_BIT(VMX_EPTCAP_INVVPID_ADDR + type));
    if (!ok || (d[0] >> 16) != 0 || (type != 2 && (d[0] & 0xffff) == 0) ||
        (type == 0 && (uint64_t)((int64_t)(d[1] << 16) >> 16) != d[1])) {
        return vm_fail_valid(v, c, ev, VMX_ERR_INVALID_INVEPT_INVVPID);
    }
    if (v->p.invalidate != NULL) {
        static const unsigned kind[4] = { 3, 2, 0, 4 };

        v->p.invalidate(v->p.ctx, kind[type], 0, (uint16_t)d[0], d[1]);
    }
    return vm_succeed(c, ev);
}

/* ------------------------------------------------------------------ */
/* Exit decisions in non-root operation                                */
/* ------------------------------------------------------------------ */

/* VM-exit instruction information for a memory or register operand
 * (A6 "VM-exit instruction-information"); `reg2` is the other register
 * operand (bits 31:28), `opnd` the r/m operand. */
static uint32_t insn_info(const struct x86_insn *i, unsigned opnd,
                          unsigned reg2)
{
    const struct x86_operand *o = &i->opnd[opnd];
    uint32_t info = (uint32_t)(reg2 & 15) << 28;
    unsigned as = i->asize == 64 ? 2 : i->asize == 32 ? 1 : 0;

    info |= (uint32_t)as << 7;
    if (o->kind != X86_OPND_MEM) {
        return info | (1u << 10) | ((uint32_t)(o->reg & 15) << 3);
    }
    switch (o->u.mem.scale) {
    case 2: info |= 1; break;
    case 4: info |= 2; break;
    case 8: info |= 3; break;
    default: break;
    }
    if (X86_REG_IS_SREG(o->u.mem.seg)) {
        info |= (uint32_t)(o->u.mem.seg - X86_REG_ES) << 15;
    }
    info |= X86_REG_IS_GPR(o->u.mem.index)
                ? (uint32_t)o->u.mem.index << 18 : 1u << 22;
    info |= X86_REG_IS_GPR(o->u.mem.base)
                ? (uint32_t)o->u.mem.base << 23 : 1u << 27;
    return info;
}

/* Exit qualification of a VMX-instruction exit: the displacement. */
static uint64_t insn_disp(const struct x86_insn *i, unsigned opnd)
{
    const struct x86_operand *o = &i->opnd[opnd];

    return o->kind == X86_OPND_MEM ? (uint64_t)o->u.mem.disp : 0;
}

static unsigned gpr_of(const struct x86_operand *o)
{
    return X86_REG_IS_GPR(o->reg) ? o->reg : 0;
}

/* I/O bitmap test for `size` bytes at `port` (A6 "I/O instruction"). */
static bool io_exits(struct vmx_cpu *v, unsigned port, unsigned size,
                     uint64_t *cyc)
{
    unsigned p;

    if (ctl(v, F(PROC_CTLS), VB(PROC, UNCOND_IO_EXITING)) &&
        !ctl(v, F(PROC_CTLS), VB(PROC, IO_BITMAPS))) {
        return true;
    }
    if (!ctl(v, F(PROC_CTLS), VB(PROC, IO_BITMAPS))) {
        return false;
    }
    for (p = port; p < port + size; p++) {
        uint64_t base;
        uint8_t b;

        if (p > 0xffff) {
            return true;            /* wraps around: exits */
        }
        base = vr(v, p < 0x8000 ? F(IO_BITMAP_A) : F(IO_BITMAP_B));
        (void)pread(v, base + ((p & 0x7fff) >> 3), &b, 1, cyc);
        if (b & (1u << (p & 7))) {
            return true;
        }
    }
    return false;
}

/* MSR bitmap test (A6 "MSR bitmap"). */
static bool msr_exits(struct vmx_cpu *v, uint32_t msr, bool write,
                      uint64_t *cyc)
{
    uint64_t off;
    uint8_t b;

    if (!ctl(v, F(PROC_CTLS), VB(PROC, MSR_BITMAPS))) {
        return true;
    }
    if (msr <= 0x1fff) {
        off = msr >> 3;
    } else if (msr >= 0xc0000000u && msr <= 0xc0001fffu) {
        off = 0x400 + ((msr - 0xc0000000u) >> 3);
    } else {
        return true;
    }
    off += write ? 0x800 : 0;
    (void)pread(v, vr(v, F(MSR_BITMAP)) + off, &b, 1, cyc);
    return (b >> (msr & 7)) & 1;
}

/* MOV to CR8: #GP(0) for bits 63:4 (the instruction's own check), else
 * the 32 bits at VTPR become (source[3:0] << 4); then TPR virtualization
 * may exit (reason 43, trap-like: the instruction has completed, RIP is
 * the next one, no qualification, A2). */
static int tpr_write(struct vmx_cpu *v, struct x86_cpu *c,
                     const struct x86_virt_event *ev,
                     struct x86_exec_result *r, uint64_t val)
{
    uint32_t w = (uint32_t)(val & 0xf) << 4;
    uint64_t cyc = 0;
    struct exit_info e;

    if (val >> 4) {
        return fault(r, X86_VEC_GP, true);
    }
    (void)pwrite(v, vr(v, F(VIRTUAL_APIC_ADDR)) + VAPIC_VTPR, &w, 4, &cyc);
    if (v->p.charge != NULL && cyc != 0) {
        v->p.charge(v->p.ctx, cyc);
    }
    c->rip = ev->next_rip;
    if (!tpr_below(v)) {
        return X86_VIRT_DONE;
    }
    c->shadow_in = c->shadow;       /* the state after the instruction */
    memset(&e, 0, sizeof(e));
    e.reason = VMX_EXIT_TPR_BELOW_THRESHOLD;
    return vm_exit(v, c, &e);
}

/* MOV CR, CLTS, LMSW (A6 "Control-register access"; SDM Vol. 3C
 * "Instructions That Cause VM Exits Conditionally"). */
static int cr_access(struct vmx_cpu *v, struct x86_cpu *c,
                     const struct x86_virt_event *ev,
                     struct x86_exec_result *r)
{
    const struct x86_insn *i = ev->insn;
    uint64_t val;

    (void)r;
    if (i->op == X86_OP_CLTS) {
        uint64_t mask = vr(v, F(CR0_GUEST_HOST_MASK));
        uint64_t shadow = vr(v, F(CR0_READ_SHADOW));

        if (mask & shadow & X86_CR0_TS) {
            return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, 2u << 4, 0, 0);
        }
        if (mask & X86_CR0_TS) {
            c->rip = ev->next_rip;  /* the host owns TS: CLTS leaves it */
            return X86_VIRT_DONE;
        }
        return X86_VIRT_PASS;
    }
    if (i->op == X86_OP_LMSW) {
        uint64_t mask = vr(v, F(CR0_GUEST_HOST_MASK)) & 0xf;
        uint64_t shadow = vr(v, F(CR0_READ_SHADOW)) & 0xf;
        uint64_t nv;

        if (x86_virt_opnd_read(ev, 0, &val) != 0) {
            return X86_VIRT_FAULT;
        }
        val &= 0xffff;
        if (((mask & 1) && !(shadow & 1) && (val & 1)) ||
            ((mask & 0xe) & (val ^ shadow)) != 0) {
            uint64_t la = 0;
            uint64_t q = (3u << 4) | ((uint64_t)val << 16);

            if (i->opnd[0].kind == X86_OPND_MEM) {
                q |= 1u << 6;
                (void)x86_virt_opnd_la(ev, 0, &la);
            }
            return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, q, 0, la);
        }
        if (mask == 0) {
            return X86_VIRT_PASS;
        }
        /* LMSW changes only the bits the guest owns (and never clears
         * PE). */
        nv = (c->cr0 & ~(0xfull & ~mask)) | (val & 0xf & ~mask) |
             (c->cr0 & X86_CR0_PE);
        if (x86_virt_write_cr(ev, 0, nv) != 0) {
            return X86_VIRT_FAULT;
        }
        c->rip = ev->next_rip;
        return X86_VIRT_DONE;
    }
    if (i->op == X86_OP_MOV_TO_CR) {
        unsigned n = i->opnd[0].reg - X86_REG_CR0;
        uint64_t q = n | ((uint64_t)gpr_of(&i->opnd[1]) << 8);

        if (x86_virt_opnd_read(ev, 1, &val) != 0) {
            return X86_VIRT_FAULT;
        }
        if (n == 0 || n == 4) {
            uint64_t mask = vr(v, n == 0 ? F(CR0_GUEST_HOST_MASK)
                                         : F(CR4_GUEST_HOST_MASK));
            uint64_t shadow = vr(v, n == 0 ? F(CR0_READ_SHADOW)
                                           : F(CR4_READ_SHADOW));
            uint64_t cur = n == 0 ? c->cr0 : c->cr4;

            if ((val ^ shadow) & mask) {
                return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, q, 0, 0);
            }
            if (mask == 0) {
                return X86_VIRT_PASS;
            }
            if (x86_virt_write_cr(ev, n, (val & ~mask) | (cur & mask)) != 0) {
                return X86_VIRT_FAULT;
            }
            c->rip = ev->next_rip;
            return X86_VIRT_DONE;
        }
        if (n == 3 && ctl(v, F(PROC_CTLS), VB(PROC, CR3_LOAD_EXITING))) {
            uint64_t cnt = vr(v, F(CR3_TARGET_COUNT));
            static const enum vmx_field tgt[4] = {
                F(CR3_TARGET0), F(CR3_TARGET1), F(CR3_TARGET2),
                F(CR3_TARGET3)
            };
            unsigned k;

            for (k = 0; k < cnt && k < 4; k++) {
                if (vr(v, tgt[k]) == val) {
                    return X86_VIRT_PASS;
                }
            }
            return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, q, 0, 0);
        }
        if (n == 8 && ctl(v, F(PROC_CTLS), VB(PROC, CR8_LOAD_EXITING))) {
            return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, q, 0, 0);
        }
        if (n == 8 && ctl(v, F(PROC_CTLS), VB(PROC, TPR_SHADOW))) {
            return tpr_write(v, c, ev, r, val);
        }
        return X86_VIRT_PASS;
    }
    /* MOV from CR */
    {
        unsigned n = i->opnd[1].reg - X86_REG_CR0;
        uint64_t q = n | (1u << 4) | ((uint64_t)gpr_of(&i->opnd[0]) << 8);

        if ((n == 3 && ctl(v, F(PROC_CTLS), VB(PROC, CR3_STORE_EXITING))) ||
            (n == 8 && ctl(v, F(PROC_CTLS), VB(PROC, CR8_STORE_EXITING)))) {
            return insn_exit(v, c, ev, VMX_EXIT_CR_ACCESS, q, 0, 0);
        }
        if (n == 8 && ctl(v, F(PROC_CTLS), VB(PROC, TPR_SHADOW))) {
            /* CR8 reads VTPR[7:4], zero-extended. */
            if (x86_virt_opnd_write(ev, 0, vtpr(v) >> 4) != 0) {
                return X86_VIRT_FAULT;
            }
            c->rip = ev->next_rip;
            return X86_VIRT_DONE;
        }
        if (n == 0 || n == 4) {
            /* Reads see the read shadow in the bits the host owns. */
            uint64_t mask = vr(v, n == 0 ? F(CR0_GUEST_HOST_MASK)
                                         : F(CR4_GUEST_HOST_MASK));
            uint64_t shadow = vr(v, n == 0 ? F(CR0_READ_SHADOW)
                                           : F(CR4_READ_SHADOW));
            uint64_t cur = n == 0 ? c->cr0 : c->cr4;

            if (mask == 0) {
                return X86_VIRT_PASS;
            }
            if (x86_virt_opnd_write(ev, 0, (cur & ~mask) | (shadow & mask))
                != 0) {
                return X86_VIRT_FAULT;
            }
            c->rip = ev->next_rip;
            return X86_VIRT_DONE;
        }
        return X86_VIRT_PASS;
    }
}

static int io_access(struct vmx_cpu *v, struct x86_cpu *c,
                     const struct x86_virt_event *ev)
{
    const struct x86_insn *i = ev->insn;
    unsigned port, size;
    bool in, str = false, imm = false;
    uint64_t q, cyc = 0;
    int rc;

    switch (i->op) {
    case X86_OP_IN:
    case X86_OP_OUT:
        in = i->op == X86_OP_IN;
        {
            const struct x86_operand *po = &i->opnd[in ? 1 : 0];
            const struct x86_operand *ro = &i->opnd[in ? 0 : 1];

            imm = po->kind == X86_OPND_IMM;
            port = imm ? (unsigned)(po->u.imm & 0xff)
                       : (unsigned)(c->gpr[X86_REG_RDX] & 0xffff);
            size = ro->size;
        }
        break;
    default:
        in = i->op == X86_OP_INSB || i->op == X86_OP_INSW ||
             i->op == X86_OP_INSD;
        str = true;
        port = (unsigned)(c->gpr[X86_REG_RDX] & 0xffff);
        size = (i->op == X86_OP_INSB || i->op == X86_OP_OUTSB) ? 1
             : (i->op == X86_OP_INSW || i->op == X86_OP_OUTSW) ? 2 : 4;
        break;
    }
    rc = io_exits(v, port, size, &cyc);
    if (v->p.charge != NULL && cyc != 0) {
        v->p.charge(v->p.ctx, cyc);
    }
    if (!rc) {
        return X86_VIRT_PASS;
    }
    q = (uint64_t)(size - 1) | ((uint64_t)in << 3) | ((uint64_t)str << 4) |
        ((uint64_t)((i->prefixes & X86_PFX_REP) != 0) << 5) |
        ((uint64_t)imm << 6) | ((uint64_t)port << 16);
    return insn_exit(v, c, ev, VMX_EXIT_IO_INSTRUCTION, q,
                     str && v->m.ins_outs_info
                         ? ((uint32_t)(i->asize == 64 ? 2 : i->asize == 32)
                            << 7) : 0, 0);
}

static int nonroot_insn(struct vmx_cpu *v, struct x86_cpu *c,
                        const struct x86_virt_event *ev,
                        struct x86_exec_result *r)
{
    const struct x86_insn *i = ev->insn;
    uint64_t cyc = 0, la = 0;
    uint32_t ecx = (uint32_t)c->gpr[X86_REG_RCX];

    switch (i->op) {
    case X86_OP_CPUID:
        return insn_exit(v, c, ev, VMX_EXIT_CPUID, 0, 0, 0);
    case X86_OP_INVD:
        return insn_exit(v, c, ev, VMX_EXIT_INVD, 0, 0, 0);
    case X86_OP_HLT:
        return ctl(v, F(PROC_CTLS), VB(PROC, HLT_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_HLT, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_INVLPG:
        if (!ctl(v, F(PROC_CTLS), VB(PROC, INVLPG_EXITING))) {
            return X86_VIRT_PASS;
        }
        (void)x86_virt_opnd_la(ev, 0, &la);
        return insn_exit(v, c, ev, VMX_EXIT_INVLPG, la, 0, 0);
    case X86_OP_INVPCID:
        if (!ctl(v, F(PROC_CTLS), VB(PROC, INVLPG_EXITING)) ||
            !ctl2(v, VB(PROC2, INVPCID))) {
            return X86_VIRT_PASS;
        }
        return insn_exit(v, c, ev, VMX_EXIT_INVPCID, insn_disp(i, 1),
                         insn_info(i, 1, gpr_of(&i->opnd[0])), 0);
    case X86_OP_RDPMC:
        return ctl(v, F(PROC_CTLS), VB(PROC, RDPMC_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_RDPMC, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_RDTSC:
        return ctl(v, F(PROC_CTLS), VB(PROC, RDTSC_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_RDTSC, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_RDTSCP:
        return ctl(v, F(PROC_CTLS), VB(PROC, RDTSC_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_RDTSCP, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_PAUSE:
        return ctl(v, F(PROC_CTLS), VB(PROC, PAUSE_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_PAUSE, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_MONITOR:
        /* SDM Vol. 3C "Instructions That Cause VM Exits Conditionally":
         * MONITOR exiting; no qualification (A2 reason 39). */
        return ctl(v, F(PROC_CTLS), VB(PROC, MONITOR_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_MONITOR, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_MWAIT:
        /* MWAIT exiting (reason 36); qualification bit 0: the address-
         * monitoring hardware was armed (SDM Vol. 3C "Exit Qualification
         * for ... MWAIT"). */
        return ctl(v, F(PROC_CTLS), VB(PROC, MWAIT_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_MWAIT,
                               c->monitor_armed ? 1 : 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_XSETBV:
        /* Unconditional (reason 55), after the #UD (CR4.OSXSAVE) and
         * CPL checks, before the ECX and value checks. */
        return insn_exit(v, c, ev, VMX_EXIT_XSETBV, 0, 0, 0);
    case X86_OP_WBINVD:
        return ctl2(v, VB(PROC2, WBINVD_EXITING))
                   ? insn_exit(v, c, ev, VMX_EXIT_WBINVD, 0, 0, 0)
                   : X86_VIRT_PASS;
    case X86_OP_MOV_TO_CR:
    case X86_OP_MOV_FROM_CR:
    case X86_OP_CLTS:
    case X86_OP_LMSW:
        return cr_access(v, c, ev, r);
    case X86_OP_MOV_TO_DR:
    case X86_OP_MOV_FROM_DR:
        if (!ctl(v, F(PROC_CTLS), VB(PROC, MOV_DR_EXITING))) {
            return X86_VIRT_PASS;
        }
        {
            bool from = i->op == X86_OP_MOV_FROM_DR;
            const struct x86_operand *dr = &i->opnd[from ? 1 : 0];
            const struct x86_operand *g = &i->opnd[from ? 0 : 1];

            return insn_exit(v, c, ev, VMX_EXIT_DR_ACCESS,
                             ((dr->reg - X86_REG_DR0) & 7) |
                                 ((uint64_t)from << 4) |
                                 ((uint64_t)gpr_of(g) << 8), 0, 0);
        }
    case X86_OP_IN:
    case X86_OP_OUT:
    case X86_OP_INSB:
    case X86_OP_INSW:
    case X86_OP_INSD:
    case X86_OP_OUTSB:
    case X86_OP_OUTSW:
    case X86_OP_OUTSD:
        return io_access(v, c, ev);
    case X86_OP_RDMSR:
    case X86_OP_WRMSR: {
        bool wr = i->op == X86_OP_WRMSR;
        bool ex = msr_exits(v, ecx, wr, &cyc);

        if (v->p.charge != NULL && cyc != 0) {
            v->p.charge(v->p.ctx, cyc);
        }
        return ex ? insn_exit(v, c, ev, wr ? VMX_EXIT_WRMSR : VMX_EXIT_RDMSR,
                              0, 0, 0)
                  : X86_VIRT_PASS;
    }
    case X86_OP_VMCALL:
        return insn_exit(v, c, ev, VMX_EXIT_VMCALL, 0, 0, 0);
    case X86_OP_VMLAUNCH:
        return insn_exit(v, c, ev, VMX_EXIT_VMLAUNCH, 0, 0, 0);
    case X86_OP_VMRESUME:
        return insn_exit(v, c, ev, VMX_EXIT_VMRESUME, 0, 0, 0);
    case X86_OP_VMXOFF:
        return insn_exit(v, c, ev, VMX_EXIT_VMXOFF, 0, 0, 0);
    case X86_OP_VMXON:
        return insn_exit(v, c, ev, VMX_EXIT_VMXON, insn_disp(i, 0),
                         insn_info(i, 0, 0), 0);
    case X86_OP_VMCLEAR:
        return insn_exit(v, c, ev, VMX_EXIT_VMCLEAR, insn_disp(i, 0),
                         insn_info(i, 0, 0), 0);
    case X86_OP_VMPTRLD:
        return insn_exit(v, c, ev, VMX_EXIT_VMPTRLD, insn_disp(i, 0),
                         insn_info(i, 0, 0), 0);
    case X86_OP_VMPTRST:
        return insn_exit(v, c, ev, VMX_EXIT_VMPTRST, insn_disp(i, 0),
                         insn_info(i, 0, 0), 0);
    case X86_OP_VMREAD:
        return insn_exit(v, c, ev, VMX_EXIT_VMREAD, insn_disp(i, 0),
                         insn_info(i, 0, gpr_of(&i->opnd[1])), 0);
    case X86_OP_VMWRITE:
        return insn_exit(v, c, ev, VMX_EXIT_VMWRITE, insn_disp(i, 1),
                         insn_info(i, 1, gpr_of(&i->opnd[0])), 0);
    case X86_OP_INVEPT:
        return insn_exit(v, c, ev, VMX_EXIT_INVEPT, insn_disp(i, 1),
                         insn_info(i, 1, gpr_of(&i->opnd[0])), 0);
    case X86_OP_INVVPID:
        return insn_exit(v, c, ev, VMX_EXIT_INVVPID, insn_disp(i, 1),
                         insn_info(i, 1, gpr_of(&i->opnd[0])), 0);
    case X86_OP_IRET:
    case X86_OP_IRETD:
    case X86_OP_IRETQ:
        /* IRET removes (virtual-)NMI blocking (SDM Vol. 3C "Changes to
         * Instruction Behavior in VMX Non-Root Operation"), even when it
         * then faults; an exit during it reports bit 12. */
        if (v->nmi_blocked) {
            v->nmi_blocked = false;
            v->iret_unblocked = true;
            v->iret_insns = c->st.insns;
        }
        return X86_VIRT_PASS;
    default:
        return X86_VIRT_PASS;
    }
}

/* Whether the exit being taken happens during an IRET that removed NMI
 * blocking (the IRET did not retire): "NMI unblocking due to IRET". */
static bool iret_unblocked(const struct vmx_cpu *v, const struct x86_cpu *c)
{
    return v->iret_unblocked && c->st.insns == v->iret_insns;
}

/* Root operation (or outside VMX operation): execute a VMX instruction. */
static int root_insn(struct vmx_cpu *v, struct x86_cpu *c,
                     const struct x86_virt_event *ev,
                     struct x86_exec_result *r)
{
    const struct x86_insn *i = ev->insn;
    bool compat = (c->efer & X86_EFER_LMA) &&
                  !(c->seg[X86_SEG_CS].attr & X86_SEG_ATTR_L);

    /* #UD: VMXON with CR4.VMXE = 0; any other outside VMX operation;
     * compatibility mode; RFLAGS.VM (SDM "VMX Instruction Reference",
     * each instruction's Operation). */
    if ((c->rflags & X86_RFLAGS_VM) || compat ||
        (i->op == X86_OP_VMXON ? !(c->cr4 & X86_CR4_VMXE) : !v->on)) {
        return fault(r, X86_VEC_UD, false);
    }
    if (i->op == X86_OP_VMXON) {
        return do_vmxon(v, c, ev, r);
    }
    if (c->cpl > 0) {
        return fault(r, X86_VEC_GP, true);
    }
    switch (i->op) {
    case X86_OP_VMXOFF:
        v->on = false;
        v->cur = ~0ull;
        c->vmx_fixed = false;
        return vm_succeed(c, ev);
    case X86_OP_VMCLEAR:
        return do_vmclear(v, c, ev);
    case X86_OP_VMPTRLD:
        return do_vmptrld(v, c, ev);
    case X86_OP_VMPTRST:
        return do_vmptrst(v, c, ev);
    case X86_OP_VMREAD:
        return do_vmread_write(v, c, ev, false);
    case X86_OP_VMWRITE:
        return do_vmread_write(v, c, ev, true);
    case X86_OP_VMLAUNCH:
        return vm_entry(v, c, ev, true);
    case X86_OP_VMRESUME:
        return vm_entry(v, c, ev, false);
    case X86_OP_VMCALL:
        /* No dual-monitor treatment: VMfailValid(1). */
        return vm_fail_valid(v, c, ev, VMX_ERR_VMCALL_IN_ROOT);
    case X86_OP_INVEPT:
        return do_invept_vpid(v, c, ev, r, true);
    case X86_OP_INVVPID:
        return do_invept_vpid(v, c, ev, r, false);
    default:
        return fault(r, X86_VEC_UD, false);
    }
}

/* Exception or NMI (A2 reason 0): the exception bitmap, with bit 14
 * qualified by the #PF error-code mask and match (SDM Vol. 3C
 * "Exception Bitmap"). */
static int exception_event(struct vmx_cpu *v, struct x86_cpu *c,
                           const struct x86_virt_event *ev)
{
    uint32_t bm = (uint32_t)vr(v, F(EXCEPTION_BITMAP));
    unsigned vec = ev->vector;
    bool ex;
    struct exit_info e;

    if (vec >= 32) {
        return X86_VIRT_PASS;
    }
    if (vec == X86_VEC_PF) {
        uint32_t mask = (uint32_t)vr(v, F(PF_ERRCODE_MASK));
        uint32_t match = (uint32_t)vr(v, F(PF_ERRCODE_MATCH));

        ex = (((bm >> 14) & 1) != 0) == ((ev->error_code & mask) == match);
    } else {
        ex = (bm >> vec) & 1;
    }
    if (!ex) {
        return X86_VIRT_PASS;
    }
    memset(&e, 0, sizeof(e));
    e.reason = VMX_EXIT_EXCEPTION_NMI;
    e.intr_info = vec | ((uint32_t)(ev->soft ? IT_SWEXC : IT_HW) << 8) |
                  INFO_VALID | (ev->has_error ? INFO_ERR : 0);
    if (vec != X86_VEC_DF && iret_unblocked(v, c)) {
        e.intr_info |= INFO_NMI_UNBLOCK;
    }
    e.intr_err = ev->has_error ? ev->error_code : 0;
    e.qual = vec == X86_VEC_PF ? ev->fault_addr : 0;
    if (ev->soft) {
        e.insn_len = (uint32_t)(ev->next_rip - c->rip);
    }
    return vm_exit(v, c, &e);
}

static int vmx_event(void *ctx, struct x86_cpu *c,
                     const struct x86_virt_event *ev,
                     struct x86_exec_result *r)
{
    struct vmx_cpu *v = ctx;
    struct exit_info e;

    switch (ev->kind) {
    case X86_VIRT_INSN:
        if (c->nonroot) {
            return nonroot_insn(v, c, ev, r);
        }
        if (ev->insn->cls == X86_CLASS_VMX) {
            return root_insn(v, c, ev, r);
        }
        return X86_VIRT_PASS;
    case X86_VIRT_EXCEPTION:
        return c->nonroot ? exception_event(v, c, ev) : X86_VIRT_PASS;
    case X86_VIRT_EXTINT:
        if (!c->nonroot || !c->extint_exits) {
            return X86_VIRT_PASS;
        }
        memset(&e, 0, sizeof(e));
        e.reason = VMX_EXIT_EXTERNAL_INTERRUPT;
        if (ctl(v, F(EXIT_CTLS), VB(EXIT, ACK_INTR))) {
            e.intr_info = ev->vector | ((uint32_t)IT_EXT << 8) | INFO_VALID;
            v->acked_vector = ev->vector;
        }
        return vm_exit(v, c, &e);
    case X86_VIRT_TRIPLE:
        if (!c->nonroot) {
            return X86_VIRT_PASS;
        }
        memset(&e, 0, sizeof(e));
        e.reason = VMX_EXIT_TRIPLE_FAULT;
        return vm_exit(v, c, &e);
    case X86_VIRT_MEM:
        if (!c->nonroot || !v->ept.valid) {
            return X86_VIRT_PASS;
        }
        memset(&e, 0, sizeof(e));
        e.reason = v->ept.misconfig ? VMX_EXIT_EPT_MISCONFIG
                                    : VMX_EXIT_EPT_VIOLATION;
        e.qual = v->ept.misconfig ? 0 : v->ept.qual;
        if (!v->ept.misconfig && iret_unblocked(v, c)) {
            e.qual |= INFO_NMI_UNBLOCK;     /* A6 EPT violation bit 12 */
        }
        e.gpa = v->ept.gpa;
        e.gla = v->ept.gla;
        v->ept.valid = false;
        return vm_exit(v, c, &e);
    default:
        return X86_VIRT_PASS;
    }
}

const struct x86_virt_ops vmx_virt_ops = { vmx_event };

int vmx_cpu_boundary(struct vmx_cpu *v, struct x86_cpu *c)
{
    struct exit_info e;

    if (!c->nonroot || !v->boundary || c->halt == X86_SHUTDOWN) {
        return X86_VIRT_PASS;
    }
    c->shadow_in = c->shadow;       /* between instructions */
    memset(&e, 0, sizeof(e));
    if (v->tpr_pending) {
        v->tpr_pending = false;
        e.reason = VMX_EXIT_TPR_BELOW_THRESHOLD;
        return vm_exit(v, c, &e);
    }
    /* Monitor trap flag (reason 37, trap-like, no qualification): after
     * the guest completed an instruction (a REP string instruction: once
     * the whole instruction has completed, an approximation: the SDM
     * pends one after each iteration) or an event was delivered through
     * its IDT (a fault or trap raised by an instruction, an injected
     * event, an external interrupt), before the next instruction, with
     * priority over the preemption timer and the windows (SDM Vol. 3C
     * "Monitor Trap Flag"). */
    if (v->mtf_forced ||
        (ctl(v, F(PROC_CTLS), VB(PROC, MTF)) &&
         (c->st.insns > v->mtf_insns ||
          c->st.delivered != v->mtf_delivered))) {
        e.reason = VMX_EXIT_MTF;
        return vm_exit(v, c, &e);
    }
    if (v->preempt_deadline != ~0ull && now(v) >= v->preempt_deadline) {
        e.reason = VMX_EXIT_PREEMPTION_TIMER;
        return vm_exit(v, c, &e);
    }
    /* NMI window (reason 8): no virtual-NMI blocking and no blocking by
     * MOV SS (the SDM lets a processor also wait out STI blocking; vtsim
     * does not); the entry checks tie it to "virtual NMIs" (A8.1 C6).
     * Like the interrupt window it ends a HLT (SDM Vol. 3C "NMI-Window
     * Exiting"). */
    if (ctl(v, F(PROC_CTLS), VB(PROC, NMI_WINDOW)) && !v->nmi_blocked &&
        !(c->shadow & X86_SHADOW_MOVSS)) {
        e.reason = VMX_EXIT_NMI_WINDOW;
        return vm_exit(v, c, &e);
    }
    /* Interrupt window: RFLAGS.IF = 1 and no blocking by STI or MOV SS;
     * it also ends a HLT (SDM Vol. 3C "Interrupt-Window Exiting"). */
    if (ctl(v, F(PROC_CTLS), VB(PROC, INTR_WINDOW)) &&
        (c->rflags & X86_RFLAGS_IF) && !c->shadow) {
        e.reason = VMX_EXIT_INTERRUPT_WINDOW;
        return vm_exit(v, c, &e);
    }
    return X86_VIRT_PASS;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

void vmx_cpu_init(struct vmx_cpu *v, struct x86_cpu *c,
                  const struct vmx_cpu_model *m,
                  const struct vmx_cost_cfg *cost,
                  const struct vmx_platform *p)
{
    memset(v, 0, sizeof(*v));
    v->m = *m;
    v->cost = *cost;
    v->p = *p;
    v->cur = ~0ull;
    v->vmxon_ptr = ~0ull;
    v->acked_vector = -1;
    v->preempt_deadline = ~0ull;
    vmx_cpu_facts_default(&v->facts);
    v->facts.read_phys = read_phys_fact;
    v->facts.read_ctx = v;
    vmx_vmcs_init(&v->vmcs, m->revision_id);
    c->virt = &vmx_virt_ops;
    c->virt_ctx = v;
}

int vmx_cpu_rdmsr(const struct vmx_cpu *v, uint32_t msr, uint64_t *val)
{
    return vmx_cap_msr(&v->m, msr, val) == 0 ? 0 : -1;
}

bool vmx_cpu_intr_acked(const struct vmx_cpu *v, const struct x86_cpu *c)
{
    return !c->nonroot || !c->extint_exits ||
           ctl(v, F(EXIT_CTLS), VB(EXIT, ACK_INTR));
}

bool vmx_cpu_ept(const struct vmx_cpu *v, const struct x86_cpu *c,
                 uint64_t *eptp)
{
    if (!c->nonroot || !ctl2(v, VB(PROC2, EPT))) {
        *eptp = 0;
        return false;
    }
    *eptp = vr(v, F(EPT_POINTER));
    return true;
}

int vmx_cpu_register_stats(struct vmx_cpu *v, struct sim_stats *s,
                           const char *obj)
{
    const struct sim_stat_decl d[] = {
        { "exits", "", "VM exits", &v->st.exits },
        { "entries", "", "successful VM entries", &v->st.entries },
        { "entry_fail_valid", "",
          "VM entries that failed with VMfailValid (7 or 8)",
          &v->st.entry_fail_valid },
        { "entry_fail_exit", "",
          "VM entries that failed with an exit (reason 33 or 34)",
          &v->st.entry_fail_exit },
        { "vmfail_invalid", "", "VMX instructions ending in VMfailInvalid",
          &v->st.vmfail_invalid },
        { "vmfail_valid", "", "VMX instructions ending in VMfailValid",
          &v->st.vmfail_valid },
        { "aborts", "", "VMX aborts", &v->st.aborts },
    };
    char o[64], metric[64];
    unsigned k;
    int rc;

    if (s == NULL) {
        return 0;
    }
    snprintf(o, sizeof(o), "%s.vmx", obj);
    rc = sim_stat_counters(s, o, d, SIM_ARRAY_SIZE(d));
    for (k = 0; k < VMX_STEP__COUNT && rc == 0; k++) {
        snprintf(metric, sizeof(metric), "step.%s", vmx_step_name[k]);
        rc = sim_stat_counter(s, o, metric, "cycles",
                              "world-switch cycles of this step",
                              &v->st.step_cycles[k]);
    }
    for (k = 0; k < VMX_REASONS && rc == 0; k++) {
        const char *n = vmx_exit_name(k);

        if (n == NULL) {
            continue;
        }
        snprintf(metric, sizeof(metric), "exit.%s", n);
        rc = sim_stat_counter(s, o, metric, "", "VM exits of this basic "
                              "reason", &v->st.by_reason[k]);
        if (rc == 0) {
            snprintf(metric, sizeof(metric), "cycles.%s", n);
            rc = sim_stat_counter(s, o, metric, "cycles",
                                  "round-trip cycles (exit, handler, entry) "
                                  "of this reason",
                                  &v->st.cycles_by_reason[k]);
        }
    }
    return rc;
}
