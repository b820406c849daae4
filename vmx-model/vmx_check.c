/*
 * vmx_check.c - VM-entry checks on the VMX controls, the host-state area
 * and the guest-state area (VMLAUNCH/VMRESUME after the A8.0 pre-checks).
 *
 * Follows hw-virt-facts A8.1-A8.5 [BX-vmxc VMenterLoadCheckVmControls,
 * VMenterLoadCheckHostState, VMenterLoadCheckGuestState; LX-nvmx
 * nested_check_vm_execution_controls, nested_vmx_check_host_state,
 * nested_vmx_check_guest_state] and SDM Vol. 3C chapter "VM Entries",
 * sections "Checks on VMX Controls and Host-State Area" and "Checks on the
 * Guest State Area".  Every rule is a row of vmx_checks.def (id, section,
 * outcome, citation) and a function chk_<sym>() here returning true when
 * the rule is violated; vmx_entry_check() runs them in table order.
 *
 * Pure: the inputs are the VMCS, the CPU model and struct vmx_cpu_facts;
 * the only side effect is reading guest memory through facts->read_phys.
 * All VMCS values are untrusted: every shift amount is bounded, every sum
 * is overflow-checked, nothing asserts.
 *
 * Approximations (see also vmx.h):
 *   - Memory-dependent parts (ctl.tpr_threshold.vtpr, guest.link.revision,
 *     guest.link.shadow, guest.pdpte.reserved without EPT) pass when
 *     facts->read_phys is NULL or the read fails.
 *   - "usable" is AR bit 16 = 0; CS is checked as usable whatever its bit
 *     16 says (as [BX-vmxc] does).
 *   - Canonical means "bits 63:N-1 equal" for N = facts->linear_bits, for
 *     host and guest alike.
 *   - Executive-VMCS (dual-monitor) checks and the checks of features the
 *     reference does not list (FRED, LBR, UINV, RTIT_CTL, SPEC_CTRL, HLAT,
 *     IPI virtualization, notify window) are not implemented.
 */
#include "vmx.h"

#include <string.h>

/* Architectural bits used below (SDM Vol. 3A ch. 2 "Control Registers",
 * "EFLAGS Register"; A1 sub-formats). */
#define CR0_PE      VMX_BIT(0)
#define CR0_WP      VMX_BIT(16)
#define CR0_PG      VMX_BIT(31)
#define CR4_PAE     VMX_BIT(5)
#define CR4_PCIDE   VMX_BIT(17)
#define CR4_CET     VMX_BIT(23)
#define RFLAGS_TF   VMX_BIT(8)
#define RFLAGS_IF   VMX_BIT(9)
#define RFLAGS_VM   VMX_BIT(17)
#define EFER_LME    VMX_BIT(8)
#define EFER_LMA    VMX_BIT(10)
#define AR_S        0x10u
#define AR_P        0x80u
#define AR_L        0x2000u
#define AR_DB       0x4000u
#define AR_G        0x8000u
#define AR_UNUSABLE 0x10000u
#define AR_RESERVED 0xFFFE0F00u         /* A1 "Access rights" */

#define INTR_STI    0x1u                /* A1 "Interruptibility state" */
#define INTR_MOVSS  0x2u
#define INTR_SMI    0x4u
#define INTR_NMI    0x8u

enum { ACT_ACTIVE, ACT_HLT, ACT_SHUTDOWN, ACT_WAIT_SIPI };  /* A1 */
enum { EV_EXT_INTR = 0, EV_NMI = 2, EV_HW_EXC = 3, EV_SW_INTR = 4,
       EV_PRIV_SW_EXC = 5, EV_SW_EXC = 6, EV_OTHER = 7 };   /* A1 */

/* Segment order of the guest fields (A1 "Regular strides"). */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_LDTR, S_TR, S__COUNT };

static const enum vmx_field seg_sel[S__COUNT] = {
    VMX_FIELD_GUEST_ES_SELECTOR, VMX_FIELD_GUEST_CS_SELECTOR,
    VMX_FIELD_GUEST_SS_SELECTOR, VMX_FIELD_GUEST_DS_SELECTOR,
    VMX_FIELD_GUEST_FS_SELECTOR, VMX_FIELD_GUEST_GS_SELECTOR,
    VMX_FIELD_GUEST_LDTR_SELECTOR, VMX_FIELD_GUEST_TR_SELECTOR,
};
static const enum vmx_field seg_base[S__COUNT] = {
    VMX_FIELD_GUEST_ES_BASE, VMX_FIELD_GUEST_CS_BASE,
    VMX_FIELD_GUEST_SS_BASE, VMX_FIELD_GUEST_DS_BASE,
    VMX_FIELD_GUEST_FS_BASE, VMX_FIELD_GUEST_GS_BASE,
    VMX_FIELD_GUEST_LDTR_BASE, VMX_FIELD_GUEST_TR_BASE,
};
static const enum vmx_field seg_limit[S__COUNT] = {
    VMX_FIELD_GUEST_ES_LIMIT, VMX_FIELD_GUEST_CS_LIMIT,
    VMX_FIELD_GUEST_SS_LIMIT, VMX_FIELD_GUEST_DS_LIMIT,
    VMX_FIELD_GUEST_FS_LIMIT, VMX_FIELD_GUEST_GS_LIMIT,
    VMX_FIELD_GUEST_LDTR_LIMIT, VMX_FIELD_GUEST_TR_LIMIT,
};
static const enum vmx_field seg_ar[S__COUNT] = {
    VMX_FIELD_GUEST_ES_AR, VMX_FIELD_GUEST_CS_AR,
    VMX_FIELD_GUEST_SS_AR, VMX_FIELD_GUEST_DS_AR,
    VMX_FIELD_GUEST_FS_AR, VMX_FIELD_GUEST_GS_AR,
    VMX_FIELD_GUEST_LDTR_AR, VMX_FIELD_GUEST_TR_AR,
};

/* The data segments checked together (DS, ES, FS, GS). */
static const unsigned data_segs[4] = { S_DS, S_ES, S_FS, S_GS };

/* Everything a check reads, decoded once per entry. */
struct ck {
    const struct vmx_vmcs *v;
    const struct vmx_cpu_model *m;
    const struct vmx_cpu_facts *f;
    uint32_t pin;
    uint32_t proc;
    uint32_t proc2;         /* 0 unless "activate secondary controls" */
    uint64_t proc3;         /* 0 unless "activate tertiary controls" */
    uint32_t exit;
    uint64_t exit2;         /* 0 unless "activate secondary exit ctls" */
    uint32_t entry;
    bool ia32e;             /* entry control "IA-32e mode guest" */
    bool host64;            /* exit control "host address-space size" */
    bool ug;                /* unrestricted guest (effective) */
    bool v86;               /* guest RFLAGS.VM */
    uint64_t cr0;
    uint64_t cr4;
    uint64_t rflags;
    uint32_t intr_info;
    bool inject;            /* interruption info valid (bit 31) */
    unsigned ev_type;
    unsigned ev_vector;
    uint32_t sel[S__COUNT];
    uint64_t base[S__COUNT];
    uint32_t limit[S__COUNT];
    uint32_t ar[S__COUNT];
};

#define F(c, name) ((c)->v->val[VMX_FIELD_##name])
#define HAS(x, set, bit) (((x) & VMX_BIT(VMX_CTL_##set##_##bit)) != 0)

static bool usable(const struct ck *c, unsigned s)
{
    return (c->ar[s] & AR_UNUSABLE) == 0;
}

static unsigned seg_type(const struct ck *c, unsigned s)
{
    return c->ar[s] & 0xFu;
}

static unsigned seg_dpl(const struct ck *c, unsigned s)
{
    return (c->ar[s] >> 5) & 3u;
}

static unsigned seg_rpl(const struct ck *c, unsigned s)
{
    return c->sel[s] & 3u;
}

/* Below 2^MAXPHYADDR. */
static bool pa_valid(const struct ck *c, uint64_t pa)
{
    unsigned w = c->f->maxphyaddr;

    if (w == 0 || w >= 64) {
        return w != 0 || pa == 0;
    }
    return (pa >> w) == 0;
}

/* 4-KiB aligned and below 2^MAXPHYADDR ("valid address" in A8.1). */
static bool page_bad(const struct ck *c, uint64_t pa)
{
    return (pa & 0xFFFu) != 0 || !pa_valid(c, pa);
}

static bool canonical(const struct ck *c, uint64_t la)
{
    unsigned n = c->f->linear_bits;
    uint64_t hi;

    if (n < 32 || n > 64) {
        n = 48;
    }
    hi = la >> (n - 1);
    return hi == 0 || hi == (~0ull >> (n - 1));
}

/* A8.2 X2/X3, A8.3 E3: `count` 16-byte entries at `addr`. */
static bool msr_area_bad(const struct ck *c, uint64_t addr, uint64_t count)
{
    uint64_t last;

    if (count == 0) {
        return false;
    }
    if ((addr & 0xFu) != 0 || !pa_valid(c, addr)) {
        return true;
    }
    last = addr + 16u * count - 1u;     /* count < 2^32: no overflow of the
                                           product, the sum is checked */
    return last < addr || !pa_valid(c, last);
}

/* Every byte a memory type 0, 1, 4, 5, 6 or 7 ([BX-vmxc isValidMSR_PAT]). */
static bool pat_valid(uint64_t pat)
{
    unsigned i;

    for (i = 0; i < 8; i++) {
        unsigned t = (unsigned)(pat >> (8 * i)) & 0xFFu;

        if (t > 7 || t == 2 || t == 3) {
            return false;
        }
    }
    return true;
}

/* A8.5 S7: limit[11:0] != 0xFFF => G = 0; limit[31:20] != 0 => G = 1. */
static bool limit_g_bad(uint32_t limit, uint32_t ar)
{
    if ((limit & 0xFFFu) != 0xFFFu && (ar & AR_G) != 0) {
        return true;
    }
    return (limit & 0xFFF00000u) != 0 && (ar & AR_G) == 0;
}

static bool ctl_caps_bad(const struct ck *c, enum vmx_ctlset set,
                         uint32_t val)
{
    struct vmx_ctl_caps caps = vmx_model_ctls(c->m, set);

    return (val & ~caps.allowed1) != 0 || (~val & caps.allowed0) != 0;
}

static bool read_phys(const struct ck *c, uint64_t pa, void *buf,
                      size_t len)
{
    if (c->f->read_phys == NULL) {
        return false;
    }
    return c->f->read_phys(c->f->read_ctx, pa, buf, len) == 0;
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t x = 0;
    unsigned i;

    for (i = 0; i < 8; i++) {
        x |= (uint64_t)p[i] << (8 * i);
    }
    return x;
}

/* ==== A8.1 VM-execution control fields ================================ */

static bool chk_ctl_pin_allowed(const struct ck *c)
{
    return ctl_caps_bad(c, VMX_CTLSET_PIN, c->pin);
}

static bool chk_ctl_proc_allowed(const struct ck *c)
{
    return ctl_caps_bad(c, VMX_CTLSET_PROC, c->proc);
}

static bool chk_ctl_proc2_allowed(const struct ck *c)
{
    return HAS(c->proc, PROC, SECONDARY) &&
           ctl_caps_bad(c, VMX_CTLSET_PROC2, c->proc2);
}

static bool chk_ctl_proc3_allowed(const struct ck *c)
{
    return HAS(c->proc, PROC, TERTIARY) &&
           (c->proc3 & ~c->m->proc3_allowed1) != 0;
}

static bool chk_ctl_cr3_target_count(const struct ck *c)
{
    return F(c, CR3_TARGET_COUNT) > c->m->cr3_targets;
}

static bool chk_ctl_io_bitmap_addr(const struct ck *c)
{
    return HAS(c->proc, PROC, IO_BITMAPS) &&
           (page_bad(c, F(c, IO_BITMAP_A)) || page_bad(c, F(c, IO_BITMAP_B)));
}

static bool chk_ctl_msr_bitmap_addr(const struct ck *c)
{
    return HAS(c->proc, PROC, MSR_BITMAPS) && page_bad(c, F(c, MSR_BITMAP));
}

static bool chk_ctl_vnmi_needs_nmi_exit(const struct ck *c)
{
    return HAS(c->pin, PIN, VIRTUAL_NMIS) && !HAS(c->pin, PIN, NMI_EXITING);
}

static bool chk_ctl_nmi_window_needs_vnmi(const struct ck *c)
{
    return HAS(c->proc, PROC, NMI_WINDOW) && !HAS(c->pin, PIN, VIRTUAL_NMIS);
}

static bool chk_ctl_vapic_addr(const struct ck *c)
{
    return HAS(c->proc, PROC, TPR_SHADOW) &&
           page_bad(c, F(c, VIRTUAL_APIC_ADDR));
}

static bool chk_ctl_tpr_threshold_high(const struct ck *c)
{
    return HAS(c->proc, PROC, TPR_SHADOW) &&
           !HAS(c->proc2, PROC2, VINTR_DELIVERY) &&
           (F(c, TPR_THRESHOLD) & 0xFFFFFFF0u) != 0;
}

static bool chk_ctl_tpr_threshold_vtpr(const struct ck *c)
{
    uint8_t vtpr;

    if (!HAS(c->proc, PROC, TPR_SHADOW) ||
        HAS(c->proc2, PROC2, VINTR_DELIVERY) ||
        HAS(c->proc2, PROC2, APIC_ACCESS)) {
        return false;
    }
    /* VTPR is byte 0x80 of the virtual-APIC page. */
    if (!read_phys(c, F(c, VIRTUAL_APIC_ADDR) + 0x80u, &vtpr, 1)) {
        return false;
    }
    return (F(c, TPR_THRESHOLD) & 0xFu) > (unsigned)(vtpr >> 4);
}

static bool chk_ctl_apicv_needs_tpr_shadow(const struct ck *c)
{
    return !HAS(c->proc, PROC, TPR_SHADOW) &&
           (HAS(c->proc2, PROC2, VIRT_X2APIC) ||
            HAS(c->proc2, PROC2, APIC_REG_VIRT) ||
            HAS(c->proc2, PROC2, VINTR_DELIVERY));
}

static bool chk_ctl_x2apic_vs_apic_access(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VIRT_X2APIC) &&
           HAS(c->proc2, PROC2, APIC_ACCESS);
}

static bool chk_ctl_vid_needs_ext_intr(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VINTR_DELIVERY) &&
           !HAS(c->pin, PIN, EXT_INTR_EXITING);
}

static bool chk_ctl_posted_needs_vid(const struct ck *c)
{
    return HAS(c->pin, PIN, POSTED_INTR) &&
           !HAS(c->proc2, PROC2, VINTR_DELIVERY);
}

static bool chk_ctl_posted_needs_ack(const struct ck *c)
{
    return HAS(c->pin, PIN, POSTED_INTR) && !HAS(c->exit, EXIT, ACK_INTR);
}

static bool chk_ctl_posted_vector(const struct ck *c)
{
    return HAS(c->pin, PIN, POSTED_INTR) &&
           (F(c, POSTED_INTR_NV) & 0xFF00u) != 0;
}

static bool chk_ctl_posted_desc_addr(const struct ck *c)
{
    uint64_t a = F(c, POSTED_INTR_DESC_ADDR);

    return HAS(c->pin, PIN, POSTED_INTR) &&
           ((a & 0x3Fu) != 0 || !pa_valid(c, a));
}

static bool chk_ctl_apic_access_addr(const struct ck *c)
{
    return HAS(c->proc2, PROC2, APIC_ACCESS) &&
           page_bad(c, F(c, APIC_ACCESS_ADDR));
}

static bool chk_ctl_vpid_nonzero(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VPID) && F(c, VPID) == 0;
}

static bool eptcap(const struct ck *c, unsigned bit)
{
    return ((c->m->ept_vpid_cap >> bit) & 1u) != 0;
}

/* A7 "EPTP": 2:0 memory type, 5:3 walk length - 1, 6 A/D, 7 SSS. */
static bool chk_ctl_eptp_memtype(const struct ck *c)
{
    unsigned mt = (unsigned)F(c, EPT_POINTER) & 7u;

    if (!HAS(c->proc2, PROC2, EPT)) {
        return false;
    }
    return !((mt == 0 && eptcap(c, VMX_EPTCAP_UC)) ||
             (mt == 6 && eptcap(c, VMX_EPTCAP_WB)));
}

static bool chk_ctl_eptp_walk_length(const struct ck *c)
{
    unsigned wl = (unsigned)(F(c, EPT_POINTER) >> 3) & 7u;

    if (!HAS(c->proc2, PROC2, EPT)) {
        return false;
    }
    return !((wl == 3 && eptcap(c, VMX_EPTCAP_WALK4)) ||
             (wl == 4 && eptcap(c, VMX_EPTCAP_WALK5)));
}

static bool chk_ctl_eptp_ad(const struct ck *c)
{
    return HAS(c->proc2, PROC2, EPT) && (F(c, EPT_POINTER) & 0x40u) != 0 &&
           !eptcap(c, VMX_EPTCAP_AD);
}

static bool chk_ctl_eptp_reserved(const struct ck *c)
{
    uint64_t eptp = F(c, EPT_POINTER);
    uint64_t rsvd = eptcap(c, VMX_EPTCAP_SSS) ? 0xF00u : 0xF80u;

    return HAS(c->proc2, PROC2, EPT) &&
           ((eptp & rsvd) != 0 || !pa_valid(c, eptp));
}

static bool chk_ctl_ug_needs_ept(const struct ck *c)
{
    return HAS(c->proc2, PROC2, UNRESTRICTED_GUEST) &&
           !HAS(c->proc2, PROC2, EPT);
}

static bool chk_ctl_mbec_needs_ept(const struct ck *c)
{
    return HAS(c->proc2, PROC2, MBEC) && !HAS(c->proc2, PROC2, EPT);
}

static bool chk_ctl_pml_needs_ept(const struct ck *c)
{
    return HAS(c->proc2, PROC2, PML) && !HAS(c->proc2, PROC2, EPT);
}

static bool chk_ctl_pml_addr(const struct ck *c)
{
    return HAS(c->proc2, PROC2, PML) && page_bad(c, F(c, PML_ADDRESS));
}

static bool chk_ctl_spp_needs_ept(const struct ck *c)
{
    return HAS(c->proc2, PROC2, SPP) && !HAS(c->proc2, PROC2, EPT);
}

static bool chk_ctl_spp_sppt(const struct ck *c)
{
    return HAS(c->proc2, PROC2, SPP) && page_bad(c, F(c, SPPT_POINTER));
}

static bool chk_ctl_vmfunc_allowed(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VMFUNC) &&
           (F(c, VMFUNC_CTLS) & ~c->m->vmfunc) != 0;
}

static bool eptp_switching(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VMFUNC) &&
           HAS(F(c, VMFUNC_CTLS), VMFUNC, EPTP_SWITCHING);
}

static bool chk_ctl_vmfunc_eptp_needs_ept(const struct ck *c)
{
    return eptp_switching(c) && !HAS(c->proc2, PROC2, EPT);
}

static bool chk_ctl_vmfunc_eptp_list(const struct ck *c)
{
    return eptp_switching(c) && page_bad(c, F(c, EPTP_LIST_ADDR));
}

static bool chk_ctl_shadow_bitmaps(const struct ck *c)
{
    return HAS(c->proc2, PROC2, VMCS_SHADOWING) &&
           (page_bad(c, F(c, VMREAD_BITMAP)) ||
            page_bad(c, F(c, VMWRITE_BITMAP)));
}

static bool chk_ctl_ve_info_addr(const struct ck *c)
{
    return HAS(c->proc2, PROC2, EPT_VE) && page_bad(c, F(c, VE_INFO_ADDR));
}

static bool chk_ctl_tsc_multiplier(const struct ck *c)
{
    return HAS(c->proc2, PROC2, TSC_SCALING) && F(c, TSC_MULTIPLIER) == 0;
}

static bool chk_ctl_save_preempt_needs_timer(const struct ck *c)
{
    return HAS(c->exit, EXIT, SAVE_PREEMPT) &&
           !HAS(c->pin, PIN, PREEMPTION_TIMER);
}

/* ==== A8.2 VM-exit control fields ===================================== */

static bool chk_exit_allowed(const struct ck *c)
{
    return ctl_caps_bad(c, VMX_CTLSET_EXIT, c->exit);
}

static bool chk_exit2_allowed(const struct ck *c)
{
    return HAS(c->exit, EXIT, SECONDARY) &&
           (c->exit2 & ~c->m->exit2_allowed1) != 0;
}

static bool chk_exit_msr_store_addr(const struct ck *c)
{
    return msr_area_bad(c, F(c, EXIT_MSR_STORE_ADDR),
                        F(c, EXIT_MSR_STORE_COUNT));
}

static bool chk_exit_msr_load_addr(const struct ck *c)
{
    return msr_area_bad(c, F(c, EXIT_MSR_LOAD_ADDR),
                        F(c, EXIT_MSR_LOAD_COUNT));
}

/* ==== A8.3 VM-entry control fields ==================================== */

static bool chk_entry_allowed(const struct ck *c)
{
    return ctl_caps_bad(c, VMX_CTLSET_ENTRY, c->entry);
}

static bool chk_entry_smm_outside_smm(const struct ck *c)
{
    return !c->f->in_smm && (HAS(c->entry, ENTRY, SMM) ||
                             HAS(c->entry, ENTRY, DEACT_DUAL_MONITOR));
}

static bool chk_entry_msr_load_addr(const struct ck *c)
{
    return msr_area_bad(c, F(c, ENTRY_MSR_LOAD_ADDR),
                        F(c, ENTRY_MSR_LOAD_COUNT));
}

static bool chk_entry_intr_type(const struct ck *c)
{
    if (!c->inject) {
        return false;
    }
    return c->ev_type == 1 ||
           (c->ev_type == EV_OTHER &&
            !vmx_model_allows(c->m, VMX_CTLSET_PROC, VMX_CTL_PROC_MTF));
}

static bool chk_entry_intr_vector(const struct ck *c)
{
    if (!c->inject) {
        return false;
    }
    return (c->ev_type == EV_NMI && c->ev_vector != 2) ||
           (c->ev_type == EV_HW_EXC && c->ev_vector > 31) ||
           (c->ev_type == EV_OTHER && c->ev_vector != 0);
}

/* Exceptions that push an error code: #DF, #TS, #NP, #SS, #GP, #PF, #AC,
 * #CP (A8.3 E6). */
static bool vector_has_errcode(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

static bool chk_entry_intr_errcode(const struct ck *c)
{
    bool has = (c->intr_info & 0x800u) != 0;
    bool prot = !c->ug || (c->cr0 & CR0_PE) != 0;
    bool hw = c->ev_type == EV_HW_EXC;

    if (!c->inject) {
        return false;
    }
    /* BASIC[56]: a hardware exception in protected mode may deliver an
     * error code or not, whatever its vector (SDM recalled). */
    if (c->m->hw_exc_no_errcode && hw && prot) {
        return false;
    }
    return has != (hw && prot && vector_has_errcode(c->ev_vector));
}

static bool chk_entry_intr_errcode_rsvd(const struct ck *c)
{
    return c->inject && (c->intr_info & 0x800u) != 0 &&
           (F(c, ENTRY_EXCEPTION_ERRCODE) & 0xFFFF0000u) != 0;
}

static bool chk_entry_intr_reserved(const struct ck *c)
{
    return c->inject && (c->intr_info & 0x7FFFF000u) != 0;
}

static bool chk_entry_intr_insn_len(const struct ck *c)
{
    uint64_t len = F(c, ENTRY_INSN_LEN);

    if (!c->inject || (c->ev_type != EV_SW_INTR &&
                       c->ev_type != EV_PRIV_SW_EXC &&
                       c->ev_type != EV_SW_EXC)) {
        return false;
    }
    return len > 15 || (len == 0 && !c->m->inject_len0);
}

static bool chk_entry_ia32e_needs_lm(const struct ck *c)
{
    return c->ia32e && !c->f->lm;
}

/* ==== A8.4 host-state area ============================================ */

static bool chk_host_addr_space_64(const struct ck *c)
{
    return c->f->host_lma && !c->host64;
}

static bool chk_host_addr_space_32(const struct ck *c)
{
    return !c->f->host_lma && (c->host64 || c->ia32e);
}

static bool fixed_bad(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
    return (~v & fixed0) != 0 || (v & ~fixed1) != 0;
}

static bool chk_host_cr0_fixed(const struct ck *c)
{
    return fixed_bad(F(c, HOST_CR0), c->m->cr0_fixed0, c->m->cr0_fixed1);
}

static bool chk_host_cr4_fixed(const struct ck *c)
{
    return fixed_bad(F(c, HOST_CR4), c->m->cr4_fixed0, c->m->cr4_fixed1);
}

static bool chk_host_cr3_maxphyaddr(const struct ck *c)
{
    return !pa_valid(c, F(c, HOST_CR3));
}

static bool chk_host_sysenter_canonical(const struct ck *c)
{
    return c->f->lm && (!canonical(c, F(c, HOST_SYSENTER_ESP)) ||
                        !canonical(c, F(c, HOST_SYSENTER_EIP)));
}

static bool chk_host_pat_valid(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_PAT) && !pat_valid(F(c, HOST_PAT));
}

static bool chk_host_perf_global_rsvd(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_PERF_GLOBAL) &&
           (F(c, HOST_PERF_GLOBAL_CTRL) & ~c->f->perf_global_valid) != 0;
}

static bool chk_host_efer_reserved(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_EFER) &&
           (F(c, HOST_EFER) & ~c->f->efer_valid) != 0;
}

static bool chk_host_efer_lma_lme(const struct ck *c)
{
    uint64_t efer = F(c, HOST_EFER);

    return HAS(c->exit, EXIT, LOAD_EFER) &&
           (((efer & EFER_LMA) != 0) != c->host64 ||
            ((efer & EFER_LME) != 0) != c->host64);
}

static bool chk_host64_cr4_pae(const struct ck *c)
{
    return c->host64 && (F(c, HOST_CR4) & CR4_PAE) == 0;
}

static bool chk_host64_rip_canonical(const struct ck *c)
{
    return c->host64 && !canonical(c, F(c, HOST_RIP));
}

static bool chk_host32_cr4_pcide(const struct ck *c)
{
    return !c->host64 && (F(c, HOST_CR4) & CR4_PCIDE) != 0;
}

static bool chk_host32_rip_high(const struct ck *c)
{
    return !c->host64 && (F(c, HOST_RIP) >> 32) != 0;
}

static bool chk_host_sel_rpl_ti(const struct ck *c)
{
    return ((F(c, HOST_ES_SELECTOR) | F(c, HOST_CS_SELECTOR) |
             F(c, HOST_SS_SELECTOR) | F(c, HOST_DS_SELECTOR) |
             F(c, HOST_FS_SELECTOR) | F(c, HOST_GS_SELECTOR) |
             F(c, HOST_TR_SELECTOR)) & 7u) != 0;
}

static bool chk_host_cs_null(const struct ck *c)
{
    return F(c, HOST_CS_SELECTOR) == 0;
}

static bool chk_host_tr_null(const struct ck *c)
{
    return F(c, HOST_TR_SELECTOR) == 0;
}

static bool chk_host_ss_null(const struct ck *c)
{
    return !c->host64 && F(c, HOST_SS_SELECTOR) == 0;
}

static bool chk_host_base_canonical(const struct ck *c)
{
    return c->f->lm && (!canonical(c, F(c, HOST_FS_BASE)) ||
                        !canonical(c, F(c, HOST_GS_BASE)) ||
                        !canonical(c, F(c, HOST_GDTR_BASE)) ||
                        !canonical(c, F(c, HOST_IDTR_BASE)) ||
                        !canonical(c, F(c, HOST_TR_BASE)));
}

static bool chk_host_cet_wp(const struct ck *c)
{
    return (F(c, HOST_CR4) & CR4_CET) != 0 && (F(c, HOST_CR0) & CR0_WP) == 0;
}

static bool chk_host_cet_canonical(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_CET) &&
           (!canonical(c, F(c, HOST_S_CET)) || !canonical(c, F(c, HOST_SSP)) ||
            !canonical(c, F(c, HOST_ISST_ADDR)));
}

static bool chk_host_cet_ssp_align(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_CET) && (F(c, HOST_SSP) & 3u) != 0;
}

static bool chk_host_pkrs_reserved(const struct ck *c)
{
    return HAS(c->exit, EXIT, LOAD_PKRS) && (F(c, HOST_PKRS) >> 32) != 0;
}

/* ==== A8.5 guest-state area: control registers and MSRs =============== */

static bool chk_guest_cr0_fixed(const struct ck *c)
{
    uint64_t fixed0 = c->m->cr0_fixed0;

    if (c->ug) {
        fixed0 &= ~(CR0_PE | CR0_PG);
    }
    return fixed_bad(c->cr0, fixed0, c->m->cr0_fixed1);
}

static bool chk_guest_cr0_pg_pe(const struct ck *c)
{
    return (c->cr0 & CR0_PG) != 0 && (c->cr0 & CR0_PE) == 0;
}

static bool chk_guest_cr4_fixed(const struct ck *c)
{
    return fixed_bad(c->cr4, c->m->cr4_fixed0, c->m->cr4_fixed1);
}

static bool chk_guest_cr3_maxphyaddr(const struct ck *c)
{
    return !pa_valid(c, F(c, GUEST_CR3));
}

static bool chk_guest_ia32e_pae(const struct ck *c)
{
    return c->ia32e && (c->cr4 & CR4_PAE) == 0;
}

static bool chk_guest_ia32e_pg(const struct ck *c)
{
    return c->ia32e && (c->cr0 & CR0_PG) == 0;
}

static bool chk_guest_cr4_pcide(const struct ck *c)
{
    return !c->ia32e && (c->cr4 & CR4_PCIDE) != 0;
}

static bool chk_guest_dr7_high(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_DEBUG) && (F(c, GUEST_DR7) >> 32) != 0;
}

static bool chk_guest_debugctl_rsvd(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_DEBUG) &&
           (F(c, GUEST_DEBUGCTL) & ~c->f->debugctl_valid) != 0;
}

static bool chk_guest_cet_wp(const struct ck *c)
{
    return (c->cr4 & CR4_CET) != 0 && (c->cr0 & CR0_WP) == 0;
}

static bool chk_guest_cet_canonical(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_CET) &&
           (!canonical(c, F(c, GUEST_S_CET)) ||
            !canonical(c, F(c, GUEST_SSP)) ||
            !canonical(c, F(c, GUEST_ISST_ADDR)));
}

static bool chk_guest_cet_ssp_align(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_CET) && (F(c, GUEST_SSP) & 3u) != 0;
}

static bool chk_guest_sysenter_canonical(const struct ck *c)
{
    return c->f->lm && (!canonical(c, F(c, GUEST_SYSENTER_ESP)) ||
                        !canonical(c, F(c, GUEST_SYSENTER_EIP)));
}

static bool chk_guest_pat_valid(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_PAT) && !pat_valid(F(c, GUEST_PAT));
}

static bool chk_guest_perf_global_rsvd(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_PERF_GLOBAL) &&
           (F(c, GUEST_PERF_GLOBAL_CTRL) & ~c->f->perf_global_valid) != 0;
}

static bool chk_guest_bndcfgs_valid(const struct ck *c)
{
    uint64_t b = F(c, GUEST_BNDCFGS);

    return HAS(c->entry, ENTRY, LOAD_BNDCFGS) &&
           (!canonical(c, b & ~0xFFFull) || (b & 0xFFCu) != 0);
}

static bool chk_guest_efer_reserved(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_EFER) &&
           (F(c, GUEST_EFER) & ~c->f->efer_valid) != 0;
}

static bool chk_guest_efer_lma(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_EFER) &&
           ((F(c, GUEST_EFER) & EFER_LMA) != 0) != c->ia32e;
}

static bool chk_guest_efer_lme(const struct ck *c)
{
    uint64_t efer = F(c, GUEST_EFER);

    return HAS(c->entry, ENTRY, LOAD_EFER) && (c->cr0 & CR0_PG) != 0 &&
           ((efer & EFER_LME) != 0) != ((efer & EFER_LMA) != 0);
}

static bool chk_guest_pkrs_reserved(const struct ck *c)
{
    return HAS(c->entry, ENTRY, LOAD_PKRS) && (F(c, GUEST_PKRS) >> 32) != 0;
}

/* ==== A8.5 guest-state area: segment registers ======================== */

static bool chk_guest_v86_base(const struct ck *c)
{
    unsigned s;

    if (!c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (c->base[s] != (uint64_t)c->sel[s] << 4) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_v86_limit(const struct ck *c)
{
    unsigned s;

    if (!c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (c->limit[s] != 0xFFFFu) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_v86_ar(const struct ck *c)
{
    unsigned s;

    if (!c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (c->ar[s] != 0xF3u) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_tr_ti(const struct ck *c)
{
    return (c->sel[S_TR] & 4u) != 0;
}

static bool chk_guest_ldtr_ti(const struct ck *c)
{
    return usable(c, S_LDTR) && (c->sel[S_LDTR] & 4u) != 0;
}

static bool chk_guest_ss_cs_rpl(const struct ck *c)
{
    return !c->v86 && !c->ug && seg_rpl(c, S_SS) != seg_rpl(c, S_CS);
}

static bool chk_guest_base_canonical(const struct ck *c)
{
    return c->f->lm &&
           (!canonical(c, c->base[S_FS]) || !canonical(c, c->base[S_GS]) ||
            !canonical(c, c->base[S_TR]) ||
            (usable(c, S_LDTR) && !canonical(c, c->base[S_LDTR])));
}

static bool chk_guest_base_high(const struct ck *c)
{
    static const unsigned segs[3] = { S_SS, S_DS, S_ES };
    unsigned i;

    if (!c->f->lm) {
        return false;
    }
    if ((c->base[S_CS] >> 32) != 0) {
        return true;
    }
    for (i = 0; i < 3; i++) {
        if (usable(c, segs[i]) && (c->base[segs[i]] >> 32) != 0) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_cs_type(const struct ck *c)
{
    unsigned t = seg_type(c, S_CS);

    if (c->v86) {
        return false;
    }
    return !(t == 9 || t == 11 || t == 13 || t == 15 || (c->ug && t == 3));
}

static bool chk_guest_ss_type(const struct ck *c)
{
    unsigned t = seg_type(c, S_SS);

    return !c->v86 && usable(c, S_SS) && t != 3 && t != 7;
}

static bool chk_guest_seg_accessed(const struct ck *c)
{
    unsigned i;

    if (c->v86) {
        return false;
    }
    for (i = 0; i < 4; i++) {
        unsigned s = data_segs[i];

        if (usable(c, s) && (seg_type(c, s) & 1u) == 0) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_seg_readable(const struct ck *c)
{
    unsigned i;

    if (c->v86) {
        return false;
    }
    for (i = 0; i < 4; i++) {
        unsigned s = data_segs[i];
        unsigned t = seg_type(c, s);

        if (usable(c, s) && (t & 8u) != 0 && (t & 2u) == 0) {
            return true;
        }
    }
    return false;
}

/* CS (always) and the usable SS, DS, ES, FS, GS. */
static bool seg_checked(const struct ck *c, unsigned s)
{
    return s == S_CS || usable(c, s);
}

static bool chk_guest_seg_s(const struct ck *c)
{
    unsigned s;

    if (c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (seg_checked(c, s) && (c->ar[s] & AR_S) == 0) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_seg_p(const struct ck *c)
{
    unsigned s;

    if (c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (seg_checked(c, s) && (c->ar[s] & AR_P) == 0) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_seg_ar_reserved(const struct ck *c)
{
    unsigned s;

    if (c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (seg_checked(c, s) && (c->ar[s] & AR_RESERVED) != 0) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_seg_limit_g(const struct ck *c)
{
    unsigned s;

    if (c->v86) {
        return false;
    }
    for (s = S_ES; s <= S_GS; s++) {
        if (seg_checked(c, s) && limit_g_bad(c->limit[s], c->ar[s])) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_cs_dpl(const struct ck *c)
{
    unsigned t = seg_type(c, S_CS);
    unsigned dpl = seg_dpl(c, S_CS);
    unsigned ss_dpl = seg_dpl(c, S_SS);

    if (c->v86) {
        return false;
    }
    switch (t) {
    case 3:
        return dpl != 0;
    case 9:
    case 11:
        return dpl != ss_dpl;
    case 13:
    case 15:
        return dpl > ss_dpl;
    default:
        return false;       /* bad types are guest.cs.type */
    }
}

static bool chk_guest_ss_dpl_rpl(const struct ck *c)
{
    return !c->v86 && !c->ug && seg_dpl(c, S_SS) != seg_rpl(c, S_SS);
}

static bool chk_guest_ss_dpl_zero(const struct ck *c)
{
    return !c->v86 &&
           (seg_type(c, S_CS) == 3 || (c->cr0 & CR0_PE) == 0) &&
           seg_dpl(c, S_SS) != 0;
}

static bool chk_guest_seg_dpl_rpl(const struct ck *c)
{
    unsigned i;

    if (c->v86 || c->ug) {
        return false;
    }
    for (i = 0; i < 4; i++) {
        unsigned s = data_segs[i];

        /* Types 0-11: data or non-conforming code. */
        if (usable(c, s) && seg_type(c, s) <= 11 &&
            seg_dpl(c, s) < seg_rpl(c, s)) {
            return true;
        }
    }
    return false;
}

static bool chk_guest_cs_l_and_d(const struct ck *c)
{
    return c->ia32e && (c->ar[S_CS] & AR_L) != 0 &&
           (c->ar[S_CS] & AR_DB) != 0;
}

static bool chk_guest_tr_usable(const struct ck *c)
{
    return !usable(c, S_TR);
}

static bool chk_guest_tr_type(const struct ck *c)
{
    unsigned t = seg_type(c, S_TR);

    return c->ia32e ? t != 11 : (t != 3 && t != 11);
}

static bool chk_guest_tr_ar(const struct ck *c)
{
    uint32_t ar = c->ar[S_TR];

    return (ar & AR_S) != 0 || (ar & AR_P) == 0 || (ar & AR_RESERVED) != 0;
}

static bool chk_guest_tr_limit_g(const struct ck *c)
{
    return limit_g_bad(c->limit[S_TR], c->ar[S_TR]);
}

static bool chk_guest_ldtr_ar(const struct ck *c)
{
    uint32_t ar = c->ar[S_LDTR];

    if (!usable(c, S_LDTR)) {
        return false;
    }
    return (ar & 0xFu) != 2 || (ar & AR_S) != 0 || (ar & AR_P) == 0 ||
           (ar & AR_RESERVED) != 0;
}

static bool chk_guest_ldtr_limit_g(const struct ck *c)
{
    return usable(c, S_LDTR) && limit_g_bad(c->limit[S_LDTR], c->ar[S_LDTR]);
}

static bool chk_guest_dtr_base(const struct ck *c)
{
    return c->f->lm && (!canonical(c, F(c, GUEST_GDTR_BASE)) ||
                        !canonical(c, F(c, GUEST_IDTR_BASE)));
}

static bool chk_guest_dtr_limit(const struct ck *c)
{
    return F(c, GUEST_GDTR_LIMIT) > 0xFFFFu ||
           F(c, GUEST_IDTR_LIMIT) > 0xFFFFu;
}

/* ==== A8.5 guest-state area: RIP and RFLAGS =========================== */

static bool cs_l64(const struct ck *c)
{
    return c->ia32e && (c->ar[S_CS] & AR_L) != 0;
}

static bool chk_guest_rip_high(const struct ck *c)
{
    return !cs_l64(c) && (F(c, GUEST_RIP) >> 32) != 0;
}

static bool chk_guest_rip_canonical(const struct ck *c)
{
    return cs_l64(c) && !canonical(c, F(c, GUEST_RIP));
}

static bool chk_guest_rflags_reserved(const struct ck *c)
{
    /* Reserved: 63:22, 15, 5, 3; bit 1 must be 1 ([BX-vmxc]). */
    return (c->rflags & 0xFFFFFFFFFFC08028ull) != 0 ||
           (c->rflags & 0x2u) == 0;
}

static bool chk_guest_rflags_vm(const struct ck *c)
{
    return c->v86 && (c->ia32e || (c->cr0 & CR0_PE) == 0);
}

static bool chk_guest_rflags_if_inject(const struct ck *c)
{
    return c->inject && c->ev_type == EV_EXT_INTR &&
           (c->rflags & RFLAGS_IF) == 0;
}

/* ==== A8.5 guest-state area: non-register state ======================= */

static uint64_t activity(const struct ck *c)
{
    return F(c, GUEST_ACTIVITY_STATE);
}

static uint64_t intr_state(const struct ck *c)
{
    return F(c, GUEST_INTERRUPTIBILITY);
}

static bool chk_guest_activity_valid(const struct ck *c)
{
    switch (activity(c)) {
    case ACT_ACTIVE:
        return false;
    case ACT_HLT:
        return !c->m->act_hlt;
    case ACT_SHUTDOWN:
        return !c->m->act_shutdown;
    case ACT_WAIT_SIPI:
        return !c->m->act_wait_sipi;
    default:
        return true;
    }
}

static bool chk_guest_activity_hlt_dpl(const struct ck *c)
{
    return activity(c) == ACT_HLT && seg_dpl(c, S_SS) != 0;
}

static bool chk_guest_intr_reserved(const struct ck *c)
{
    return (intr_state(c) & ~0x1Full) != 0;
}

static bool chk_guest_intr_sti_movss(const struct ck *c)
{
    return (intr_state(c) & (INTR_STI | INTR_MOVSS)) ==
           (INTR_STI | INTR_MOVSS);
}

static bool chk_guest_intr_sti_if(const struct ck *c)
{
    return (intr_state(c) & INTR_STI) != 0 && (c->rflags & RFLAGS_IF) == 0;
}

static bool chk_guest_intr_blocking_active(const struct ck *c)
{
    return (intr_state(c) & (INTR_STI | INTR_MOVSS)) != 0 &&
           activity(c) != ACT_ACTIVE;
}

static bool chk_guest_intr_ext_inject(const struct ck *c)
{
    return c->inject && c->ev_type == EV_EXT_INTR &&
           (intr_state(c) & (INTR_STI | INTR_MOVSS)) != 0;
}

static bool chk_guest_intr_nmi_movss(const struct ck *c)
{
    return c->inject && c->ev_type == EV_NMI &&
           (intr_state(c) & INTR_MOVSS) != 0;
}

static bool chk_guest_intr_vnmi_inject(const struct ck *c)
{
    return c->inject && c->ev_type == EV_NMI &&
           HAS(c->pin, PIN, VIRTUAL_NMIS) && (intr_state(c) & INTR_NMI) != 0;
}

static bool chk_guest_activity_sipi_inject(const struct ck *c)
{
    return activity(c) == ACT_WAIT_SIPI && c->inject;
}

static bool chk_guest_activity_shutdown_inject(const struct ck *c)
{
    return activity(c) == ACT_SHUTDOWN && c->inject &&
           !(c->ev_type == EV_NMI ||
             (c->ev_type == EV_HW_EXC && c->ev_vector == 18));
}

static bool chk_guest_intr_smi_outside_smm(const struct ck *c)
{
    return (intr_state(c) & INTR_SMI) != 0 && !c->f->in_smm;
}

static bool chk_guest_smm_entry_smi(const struct ck *c)
{
    return HAS(c->entry, ENTRY, SMM) && (intr_state(c) & INTR_SMI) == 0;
}

static bool chk_guest_smm_entry_sipi(const struct ck *c)
{
    return HAS(c->entry, ENTRY, SMM) && activity(c) == ACT_WAIT_SIPI;
}

static bool chk_guest_pending_dbg_rsvd(const struct ck *c)
{
    /* Defined: B3:0, enabled breakpoint (12), BS (14), RTM (16). */
    uint64_t ok = 0xFull | VMX_BIT(12) | VMX_BIT(14) |
                  (c->f->rtm ? VMX_BIT(16) : 0);

    return (F(c, GUEST_PENDING_DBG) & ~ok) != 0;
}

static bool chk_guest_pending_dbg_bs(const struct ck *c)
{
    bool tf = (c->rflags & RFLAGS_TF) != 0;
    bool btf = (F(c, GUEST_DEBUGCTL) & 0x2u) != 0;
    bool bs = (F(c, GUEST_PENDING_DBG) & VMX_BIT(14)) != 0;

    if ((intr_state(c) & (INTR_STI | INTR_MOVSS)) == 0 &&
        activity(c) != ACT_HLT) {
        return false;
    }
    return bs != (tf && !btf);
}

static bool link_used(const struct ck *c)
{
    return F(c, VMCS_LINK_POINTER) != ~0ull;
}

static bool chk_guest_link_addr(const struct ck *c)
{
    return link_used(c) && page_bad(c, F(c, VMCS_LINK_POINTER));
}

/* First 4 bytes of the VMCS the link pointer names. */
static bool link_header(const struct ck *c, uint32_t *hdr)
{
    uint8_t b[4];

    if (!read_phys(c, F(c, VMCS_LINK_POINTER), b, sizeof(b))) {
        return false;
    }
    *hdr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
           (uint32_t)b[3] << 24;
    return true;
}

static bool chk_guest_link_revision(const struct ck *c)
{
    uint32_t hdr;

    return link_used(c) && link_header(c, &hdr) &&
           (hdr & 0x7FFFFFFFu) != c->m->revision_id;
}

static bool chk_guest_link_shadow(const struct ck *c)
{
    uint32_t hdr;

    return link_used(c) && link_header(c, &hdr) &&
           ((hdr >> 31) != 0) != HAS(c->proc2, PROC2, VMCS_SHADOWING);
}

static bool chk_guest_link_self(const struct ck *c)
{
    uint64_t link = F(c, VMCS_LINK_POINTER);

    if (!link_used(c)) {
        return false;
    }
    if (!c->f->in_smm || HAS(c->entry, ENTRY, SMM)) {
        return link == c->f->current_vmcs;
    }
    return link == c->f->vmxon_ptr;
}

static bool chk_guest_pdpte_reserved(const struct ck *c)
{
    static const enum vmx_field pdpte[4] = {
        VMX_FIELD_GUEST_PDPTE0, VMX_FIELD_GUEST_PDPTE1,
        VMX_FIELD_GUEST_PDPTE2, VMX_FIELD_GUEST_PDPTE3,
    };
    uint64_t e[4];
    unsigned i;

    /* PAE paging outside IA-32e mode. */
    if ((c->cr0 & CR0_PG) == 0 || (c->cr4 & CR4_PAE) == 0 || c->ia32e) {
        return false;
    }
    if (HAS(c->proc2, PROC2, EPT)) {
        for (i = 0; i < 4; i++) {
            e[i] = c->v->val[pdpte[i]];
        }
    } else {
        uint8_t b[32];

        /* The PDPT is 32-byte aligned at CR3[31:5]. */
        if (!read_phys(c, F(c, GUEST_CR3) & 0xFFFFFFE0u, b, sizeof(b))) {
            return false;
        }
        for (i = 0; i < 4; i++) {
            e[i] = le64(b + 8 * i);
        }
    }
    for (i = 0; i < 4; i++) {
        /* Present entries: 2:1, 8:5 and 63:MAXPHYADDR reserved. */
        if ((e[i] & 1u) != 0 &&
            ((e[i] & 0x1E6u) != 0 || !pa_valid(c, e[i]))) {
            return true;
        }
    }
    return false;
}

/* ==== the table ======================================================= */

#define CTL   VMX_CC_CTL
#define HOST  VMX_CC_HOST
#define GUEST VMX_CC_GUEST

const struct vmx_check_info vmx_check_info[VMX_CHECK__COUNT] = {
    [VMX_CHECK_NONE] = { "none", "", VMX_CC_NONE, 0, "", "no failure" },
#define VMX_CHECK(sym, id, sec, cls, q, ref, desc) \
    [VMX_CHECK_##sym] = { id, sec, cls, q, ref, desc },
#include "vmx_checks.def"
#undef VMX_CHECK
};

#undef CTL
#undef HOST
#undef GUEST

/* A row without a chk_ function is a compile error. */
static bool (*const vmx_check_fn[VMX_CHECK__COUNT])(const struct ck *) = {
#define VMX_CHECK(sym, id, sec, cls, q, ref, desc) \
    [VMX_CHECK_##sym] = chk_##sym,
#include "vmx_checks.def"
#undef VMX_CHECK
};

enum vmx_check vmx_check_by_id(const char *id)
{
    unsigned i;

    for (i = 1; i < VMX_CHECK__COUNT; i++) {
        if (strcmp(vmx_check_info[i].id, id) == 0) {
            return (enum vmx_check)i;
        }
    }
    return VMX_CHECK_NONE;
}

void vmx_cpu_facts_default(struct vmx_cpu_facts *f)
{
    memset(f, 0, sizeof(*f));
    f->maxphyaddr = 46;             /* mmu.maxphyaddr default */
    f->linear_bits = 48;
    f->lm = true;
    f->host_lma = true;
    f->in_smm = false;
    f->rtm = true;
    f->efer_valid = VMX_BIT(0) | EFER_LME | EFER_LMA | VMX_BIT(11);
    /* DEBUGCTL: LBR, BTF, TR, BTS, BTINT, BTS_OFF_OS/USR, FREEZE_LBRS,
     * FREEZE_PERFMON, UNCORE_PMI, FREEZE_WHILE_SMM, RTM_DEBUG
     * (SDM Vol. 3B "IA32_DEBUGCTL MSR", recalled). */
    f->debugctl_valid = 0x3u | 0xFFC0u;
    /* 4 general-purpose + 3 fixed counters (architectural PMU v3). */
    f->perf_global_valid = 0xFull | (0x7ull << 32);
    f->current_vmcs = ~0ull;
    f->vmxon_ptr = ~0ull;
}

static void ck_init(struct ck *c, const struct vmx_vmcs *v,
                    const struct vmx_cpu_model *m,
                    const struct vmx_cpu_facts *f)
{
    unsigned s;

    memset(c, 0, sizeof(*c));
    c->v = v;
    c->m = m;
    c->f = f;
    c->pin = (uint32_t)F(c, PIN_CTLS);
    c->proc = (uint32_t)F(c, PROC_CTLS);
    /* SDM: with the activating control 0, VM entry acts as if all
     * secondary (tertiary) controls were 0. */
    c->proc2 = HAS(c->proc, PROC, SECONDARY) ? (uint32_t)F(c, PROC2_CTLS)
                                             : 0;
    c->proc3 = HAS(c->proc, PROC, TERTIARY) ? F(c, PROC3_CTLS) : 0;
    c->exit = (uint32_t)F(c, EXIT_CTLS);
    c->exit2 = HAS(c->exit, EXIT, SECONDARY) ? F(c, EXIT2_CTLS) : 0;
    c->entry = (uint32_t)F(c, ENTRY_CTLS);
    c->ia32e = HAS(c->entry, ENTRY, IA32E_GUEST);
    c->host64 = HAS(c->exit, EXIT, HOST_ADDR_SPACE);
    c->ug = HAS(c->proc2, PROC2, UNRESTRICTED_GUEST);
    c->cr0 = F(c, GUEST_CR0);
    c->cr4 = F(c, GUEST_CR4);
    c->rflags = F(c, GUEST_RFLAGS);
    c->v86 = (c->rflags & RFLAGS_VM) != 0;
    c->intr_info = (uint32_t)F(c, ENTRY_INTR_INFO);
    c->inject = (c->intr_info & 0x80000000u) != 0;
    c->ev_type = (c->intr_info >> 8) & 7u;
    c->ev_vector = c->intr_info & 0xFFu;
    for (s = 0; s < S__COUNT; s++) {
        c->sel[s] = (uint32_t)v->val[seg_sel[s]];
        c->base[s] = v->val[seg_base[s]];
        c->limit[s] = (uint32_t)v->val[seg_limit[s]];
        c->ar[s] = (uint32_t)v->val[seg_ar[s]];
    }
}

static void result_for(enum vmx_check rule, struct vmx_entry_result *r)
{
    memset(r, 0, sizeof(*r));
    r->rule = rule;
    switch (vmx_check_info[rule].cls) {
    case VMX_CC_CTL:
        r->outcome = VMX_ENTRY_FAIL_VALID;
        r->insn_error = VMX_ERR_ENTRY_INVALID_CTL;
        break;
    case VMX_CC_HOST:
        r->outcome = VMX_ENTRY_FAIL_VALID;
        r->insn_error = VMX_ERR_ENTRY_INVALID_HOST;
        break;
    case VMX_CC_GUEST:
        r->outcome = VMX_ENTRY_FAIL_EXIT;
        r->exit_reason = VMX_EXIT_ENTRY_FAIL_GUEST |
                         VMX_EXIT_REASON_ENTRY_FAIL;
        r->qual = vmx_check_info[rule].qual;
        break;
    default:
        r->outcome = VMX_ENTRY_OK;
        r->rule = VMX_CHECK_NONE;
        break;
    }
}

enum vmx_entry_outcome vmx_entry_check(const struct vmx_vmcs *v,
                                       const struct vmx_cpu_model *m,
                                       const struct vmx_cpu_facts *f,
                                       struct vmx_entry_result *r)
{
    struct ck c;
    unsigned i;

    ck_init(&c, v, m, f);
    for (i = 1; i < VMX_CHECK__COUNT; i++) {
        if (vmx_check_fn[i](&c)) {
            result_for((enum vmx_check)i, r);
            return r->outcome;
        }
    }
    result_for(VMX_CHECK_NONE, r);
    return VMX_ENTRY_OK;
}

unsigned vmx_entry_check_all(const struct vmx_vmcs *v,
                             const struct vmx_cpu_model *m,
                             const struct vmx_cpu_facts *f, uint8_t *failed)
{
    struct ck c;
    unsigned n = 0;
    unsigned i;

    ck_init(&c, v, m, f);
    if (failed != NULL) {
        failed[VMX_CHECK_NONE] = 0;
    }
    for (i = 1; i < VMX_CHECK__COUNT; i++) {
        bool bad = vmx_check_fn[i](&c);

        if (failed != NULL) {
            failed[i] = bad;
        }
        n += bad;
    }
    return n;
}
