/*
 * vmx_caps.c - the VMX capabilities of the simulated CPU: config keys and
 * presets (vmx_caps_cfg.def), the decoded model (struct vmx_cpu_model) and
 * the capability MSRs IA32_VMX_BASIC .. IA32_VMX_EXIT_CTLS2 (0x480-0x493).
 *
 * Follows hw-virt-facts A4 (default-1 classes), A5 (MSR indexes and
 * layouts, control-MSR rule), A7 (EPT_VPID_CAP) [KUT-msr, BX-vmxh, LX-vmx];
 * SDM Vol. 3C App. A "VMX Capability Reporting Facility".
 *
 * Design: the [vmx] section holds named feature booleans and a few numbers
 * (not raw MSR values), so a config reads like a CPU's feature list and
 * cannot describe an impossible CPU (vmx_caps_cfg_validate).  The MSRs are
 * computed from the decoded model in vmx_cap_msr().  A preset is one
 * column of vmx_caps_cfg.def: the Skylake-SP-like part is the key
 * defaults, the Nehalem-like part a list of "key=value" defaults for
 * sim_cfg_declare().
 *
 * Approximations: memory type is always WB (6) and BASIC[48] is 0 (an Intel
 * 64 part); the MSR-list size (MISC[27:25]), the preemption-timer rate and
 * the MSEG revision are reported but not used by anything here.
 */
#include "vmx.h"

#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"

const struct sim_cfg_key vmx_caps_cfg_keys[] = {
#define VMX_CAPS_CFG(n, t, m, sky, neh, lo, hi, u, map, desc) \
    SIM_CFG_KEY(struct vmx_caps_cfg, n, t, m, sky, lo, hi, u, NULL, desc)
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
    SIM_CFG_END
};

/* ---- presets ---- */

static const char *const vmx_preset_names[VMX_PRESET__COUNT] = {
    [VMX_PRESET_SKYLAKE] = "skylake",
    [VMX_PRESET_NEHALEM] = "nehalem",
};

static const char *const vmx_preset_skylake[] = {
#define VMX_CAPS_CFG(n, t, m, sky, neh, lo, hi, u, map, desc) #n "=" sky,
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
    NULL
};

static const char *const vmx_preset_nehalem[] = {
#define VMX_CAPS_CFG(n, t, m, sky, neh, lo, hi, u, map, desc) #n "=" neh,
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
    NULL
};

const char *vmx_preset_name(enum vmx_preset p)
{
    if ((unsigned)p >= VMX_PRESET__COUNT) {
        return NULL;
    }
    return vmx_preset_names[p];
}

const char *const *vmx_caps_preset_defaults(enum vmx_preset p)
{
    switch (p) {
    case VMX_PRESET_SKYLAKE:
        return vmx_preset_skylake;
    case VMX_PRESET_NEHALEM:
        return vmx_preset_nehalem;
    default:
        return NULL;
    }
}

/* The preset columns hold plain numbers (C syntax) and true/false. */
static int parse_U64(const char *s, uint64_t *out)
{
    char *end;

    *out = strtoull(s, &end, 0);
    return (end != s && *end == '\0') ? 0 : -SIM_EINVAL;
}

static int parse_BOOL(const char *s, bool *out)
{
    if (strcmp(s, "true") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(s, "false") == 0) {
        *out = false;
        return 0;
    }
    return -SIM_EINVAL;
}

int vmx_caps_preset(enum vmx_preset p, struct vmx_caps_cfg *out)
{
    bool neh = (p == VMX_PRESET_NEHALEM);
    int rc = 0;

    if ((unsigned)p >= VMX_PRESET__COUNT) {
        return -SIM_EINVAL;
    }
    memset(out, 0, sizeof(*out));
#define VMX_CAPS_CFG(n, t, m, sky, neh_v, lo, hi, u, map, desc)           \
    if (parse_##t(neh ? neh_v : sky, &out->m) != 0) {                      \
        rc = -SIM_EINVAL;                                                  \
    }
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
    return rc;
}

/* ---- consistency of a configuration ---- */

/* First inconsistency of `c`: message, and the key it is reported on. */
static const char *caps_problem(const struct vmx_caps_cfg *c,
                                const char **key)
{
    static const struct {
        size_t need_off;        /* this feature ... */
        size_t dep_off;         /* ... requires this one */
        const char *key;
        const char *msg;
    } deps[] = {
#define DEP(a, b, msg) \
    { offsetof(struct vmx_caps_cfg, a), offsetof(struct vmx_caps_cfg, b), \
      #a, msg }
        DEP(unrestricted_guest, ept, "unrestricted guest requires ept"),
        DEP(ept_exec_only, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_5level, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_uc, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_2m, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_1g, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_ad, ept, "the ept_* capabilities require ept = true"),
        DEP(ept_adv_info, ept, "the ept_* capabilities require ept = true"),
        DEP(pml, ept, "PML requires ept"),
        DEP(ept_ve, ept, "EPT-violation #VE requires ept"),
        DEP(mbec, ept, "mode-based execute control requires ept"),
        DEP(spp, ept, "sub-page write permissions require ept"),
        DEP(vmfunc_eptp_switch, vmfunc, "EPTP switching requires vmfunc"),
        DEP(vmfunc_eptp_switch, ept, "EPTP switching requires ept"),
        DEP(virt_x2apic, tpr_shadow, "x2APIC virtualization requires "
            "tpr_shadow"),
        DEP(apic_reg_virt, tpr_shadow, "APIC-register virtualization "
            "requires tpr_shadow"),
        DEP(virt_intr_delivery, tpr_shadow, "virtual-interrupt delivery "
            "requires tpr_shadow"),
        DEP(posted_intr, virt_intr_delivery, "posted interrupts require "
            "virt_intr_delivery"),
#undef DEP
    };
    const char *base = (const char *)c;
    size_t i;

    for (i = 0; i < SIM_ARRAY_SIZE(deps); i++) {
        bool need = *(const bool *)(base + deps[i].need_off);
        bool dep = *(const bool *)(base + deps[i].dep_off);

        if (need && !dep) {
            *key = deps[i].key;
            return deps[i].msg;
        }
    }
    if (c->vmcs_size < VMX_VMCS_IMAGE_SIZE || c->vmcs_size > 4096) {
        *key = "vmcs_size";
        return "must lie between the model's VMCS image size and 4096";
    }
    if (c->revision_id > 0x7FFFFFFFu) {
        *key = "revision_id";
        return "bit 31 of the revision id is always 0 (A5)";
    }
    if (!c->tertiary && c->proc3_allowed1 != 0) {
        *key = "proc3_allowed1";
        return "tertiary controls need tertiary = true";
    }
    if (c->preempt_rate > 31 || c->cr3_targets > 4 || c->msr_list_n > 7 ||
        c->mseg_rev > 0xFFFFFFFFu) {
        *key = "preempt_rate";
        return "an IA32_VMX_MISC field is out of range";
    }
    if ((c->cr0_fixed0 & ~c->cr0_fixed1) != 0) {
        *key = "cr0_fixed0";
        return "CR0 bits fixed to 1 must be allowed to be 1 (cr0_fixed1)";
    }
    if (c->cr0_fixed1 > 0xFFFFFFFFu) {
        *key = "cr0_fixed1";
        return "CR0 bits 63:32 are reserved";
    }
    if ((c->cr4_fixed0 & ~c->cr4_fixed1) != 0) {
        *key = "cr4_fixed0";
        return "CR4 bits fixed to 1 must be allowed to be 1 (cr4_fixed1)";
    }
    if ((c->cr4_fixed0 & VMX_BIT(13)) == 0) {
        *key = "cr4_fixed0";
        return "CR4.VMXE (bit 13) must be fixed to 1 (A5)";
    }
    return NULL;
}

int vmx_caps_cfg_validate(struct sim_cfg *cfg, const char *section,
                          const void *loaded)
{
    const char *key = NULL;
    const char *msg = caps_problem(loaded, &key);

    if (msg != NULL) {
        return sim_cfg_error(cfg, section, key, "%s", msg);
    }
    return 0;
}

/* ---- the decoded model ---- */

static void allow(struct vmx_cpu_model *m, enum vmx_ctlset set,
                  unsigned bit)
{
    uint32_t b = (uint32_t)1u << (bit & 31u);

    switch (set) {
    case VMX_CTLSET_PIN:
        m->pin.allowed1 |= b;
        break;
    case VMX_CTLSET_PROC:
        m->proc.allowed1 |= b;
        break;
    case VMX_CTLSET_PROC2:
        m->proc2.allowed1 |= b;
        break;
    case VMX_CTLSET_EXIT:
        m->exit.allowed1 |= b;
        break;
    case VMX_CTLSET_ENTRY:
        m->entry.allowed1 |= b;
        break;
    default:
        break;
    }
}

int vmx_caps_build(const struct vmx_caps_cfg *c, struct vmx_cpu_model *m,
                   const char **why)
{
    const char *key = NULL;
    const char *msg = caps_problem(c, &key);

    if (msg != NULL) {
        if (why != NULL) {
            *why = msg;
        }
        return -SIM_EINVAL;
    }
    memset(m, 0, sizeof(*m));
    m->revision_id = (uint32_t)c->revision_id;
    m->vmcs_size = (uint32_t)c->vmcs_size;
    m->mem_type = 6;                    /* WB, A5 BASIC[53:50] */
    m->dual_monitor = c->dual_monitor;
    m->ins_outs_info = c->ins_outs_info;
    m->true_ctls = c->true_ctls;
    m->hw_exc_no_errcode = c->hw_exc_no_errcode;

    /* Controls every modelled VMX implementation has (no key). */
    m->pin.allowed0 = VMX_TRUE_ALLOWED0_PIN;
    m->pin.allowed1 = VMX_DEFAULT1_PIN |
                      (uint32_t)VMX_BIT(VMX_CTL_PIN_EXT_INTR_EXITING) |
                      (uint32_t)VMX_BIT(VMX_CTL_PIN_NMI_EXITING);
    m->proc.allowed0 = VMX_TRUE_ALLOWED0_PROC;
    m->proc.allowed1 = VMX_DEFAULT1_PROC;
    {
        static const uint8_t base[] = {
            VMX_CTL_PROC_INTR_WINDOW, VMX_CTL_PROC_TSC_OFFSETTING,
            VMX_CTL_PROC_HLT_EXITING, VMX_CTL_PROC_INVLPG_EXITING,
            VMX_CTL_PROC_MWAIT_EXITING, VMX_CTL_PROC_RDPMC_EXITING,
            VMX_CTL_PROC_RDTSC_EXITING, VMX_CTL_PROC_CR3_LOAD_EXITING,
            VMX_CTL_PROC_CR3_STORE_EXITING, VMX_CTL_PROC_CR8_LOAD_EXITING,
            VMX_CTL_PROC_CR8_STORE_EXITING, VMX_CTL_PROC_MOV_DR_EXITING,
            VMX_CTL_PROC_UNCOND_IO_EXITING, VMX_CTL_PROC_IO_BITMAPS,
            VMX_CTL_PROC_MSR_BITMAPS, VMX_CTL_PROC_MONITOR_EXITING,
            VMX_CTL_PROC_PAUSE_EXITING, VMX_CTL_PROC_SECONDARY,
        };
        size_t i;

        for (i = 0; i < SIM_ARRAY_SIZE(base); i++) {
            allow(m, VMX_CTLSET_PROC, base[i]);
        }
    }
    m->exit.allowed0 = VMX_TRUE_ALLOWED0_EXIT;
    m->exit.allowed1 = VMX_DEFAULT1_EXIT;
    allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_HOST_ADDR_SPACE);
    allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_ACK_INTR);
    m->entry.allowed0 = VMX_TRUE_ALLOWED0_ENTRY;
    m->entry.allowed1 = VMX_DEFAULT1_ENTRY;
    allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_IA32E_GUEST);

    /* Single-bit features: the `map` column. */
#define CTL(set, bit) allow(m, VMX_CTLSET_##set, VMX_CTL_##set##_##bit);
#define EPTCAP(bit) m->ept_vpid_cap |= VMX_BIT(bit);
#define NONE
#define VMX_CAPS_CFG(n, t, mem, sky, neh, lo, hi, u, map, desc)           \
    if (c->mem) {                                                          \
        map                                                                \
    }
#include "vmx_caps_cfg.def"
#undef VMX_CAPS_CFG
#undef NONE
#undef EPTCAP
#undef CTL

    /* Features that allow several controls. */
    if (c->virtual_nmi) {
        allow(m, VMX_CTLSET_PROC, VMX_CTL_PROC_NMI_WINDOW);
    }
    if (c->preemption_timer) {
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SAVE_PREEMPT);
    }
    if (c->pt_conceal) {
        allow(m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_PT_CONCEAL);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_PT_CONCEAL);
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_PT_CONCEAL);
    }
    if (c->pat) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_PAT);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SAVE_PAT);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_PAT);
    }
    if (c->efer) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_EFER);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SAVE_EFER);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_EFER);
    }
    if (c->perf_global_ctrl) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_PERF_GLOBAL);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_PERF_GLOBAL);
    }
    if (c->bndcfgs) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_BNDCFGS);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_CLEAR_BNDCFGS);
    }
    if (c->rtit) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_RTIT);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_CLEAR_RTIT);
    }
    if (c->cet) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_CET);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_CET);
    }
    if (c->pkrs) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_PKRS);
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_PKRS);
    }
    if (c->dual_monitor) {
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_SMM);
        allow(m, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_DEACT_DUAL_MONITOR);
    }
    m->proc3_allowed1 = c->tertiary ? c->proc3_allowed1 : 0;
    m->exit2_allowed1 = c->exit2_allowed1;
    if (c->exit2_allowed1 != 0) {
        allow(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SECONDARY);
    }

    /* EPT_VPID_CAP bits implied by the features (A7). */
    if (c->ept) {
        m->ept_vpid_cap |= VMX_BIT(VMX_EPTCAP_WALK4) |
                           VMX_BIT(VMX_EPTCAP_WB) |
                           VMX_BIT(VMX_EPTCAP_INVEPT) |
                           VMX_BIT(VMX_EPTCAP_INVEPT_SINGLE) |
                           VMX_BIT(VMX_EPTCAP_INVEPT_ALL);
    }
    if (c->vpid) {
        m->ept_vpid_cap |= VMX_BIT(VMX_EPTCAP_INVVPID) |
                           VMX_BIT(VMX_EPTCAP_INVVPID_ADDR) |
                           VMX_BIT(VMX_EPTCAP_INVVPID_SINGLE) |
                           VMX_BIT(VMX_EPTCAP_INVVPID_ALL) |
                           VMX_BIT(VMX_EPTCAP_INVVPID_SINGLE_GLOBALS);
    }
    if (c->vmfunc_eptp_switch) {
        m->vmfunc |= VMX_BIT(VMX_CTL_VMFUNC_EPTP_SWITCHING);
    }

    m->preempt_rate = (uint8_t)c->preempt_rate;
    m->lma_store = c->lma_store;
    m->act_hlt = c->act_hlt;
    m->act_shutdown = c->act_shutdown;
    m->act_wait_sipi = c->act_wait_sipi;
    m->pt_in_vmx = c->pt_in_vmx;
    m->smbase_rdmsr = c->smbase_rdmsr;
    m->cr3_targets = (uint16_t)c->cr3_targets;
    m->msr_list_n = (uint8_t)c->msr_list_n;
    m->smm_monitor_ctl = c->smm_monitor_ctl;
    m->vmwrite_any = c->vmwrite_any;
    m->inject_len0 = c->inject_len0;
    m->mseg_rev = (uint32_t)c->mseg_rev;
    m->cr0_fixed0 = c->cr0_fixed0;
    m->cr0_fixed1 = c->cr0_fixed1;
    m->cr4_fixed0 = c->cr4_fixed0;
    m->cr4_fixed1 = c->cr4_fixed1;
    return 0;
}

struct vmx_ctl_caps vmx_model_ctls(const struct vmx_cpu_model *m,
                                   enum vmx_ctlset set)
{
    struct vmx_ctl_caps r = { 0, 0 };
    uint32_t default1 = 0;

    switch (set) {
    case VMX_CTLSET_PIN:
        r = m->pin;
        default1 = VMX_DEFAULT1_PIN;
        break;
    case VMX_CTLSET_PROC:
        r = m->proc;
        default1 = VMX_DEFAULT1_PROC;
        break;
    case VMX_CTLSET_PROC2:
        return m->proc2;
    case VMX_CTLSET_EXIT:
        r = m->exit;
        default1 = VMX_DEFAULT1_EXIT;
        break;
    case VMX_CTLSET_ENTRY:
        r = m->entry;
        default1 = VMX_DEFAULT1_ENTRY;
        break;
    default:
        return r;
    }
    /* A5: without BASIC[55] the default-1 class must be 1. */
    if (!m->true_ctls) {
        r.allowed0 |= default1;
    }
    return r;
}

bool vmx_model_allows(const struct vmx_cpu_model *m, enum vmx_ctlset set,
                      unsigned bit)
{
    if (bit >= 64) {
        return false;
    }
    switch (set) {
    case VMX_CTLSET_ALWAYS:
        return true;
    case VMX_CTLSET_PIN:
        return bit < 32 && (m->pin.allowed1 >> bit) & 1u;
    case VMX_CTLSET_PROC:
        return bit < 32 && (m->proc.allowed1 >> bit) & 1u;
    case VMX_CTLSET_PROC2:
        return bit < 32 &&
               vmx_model_allows(m, VMX_CTLSET_PROC, VMX_CTL_PROC_SECONDARY) &&
               (m->proc2.allowed1 >> bit) & 1u;
    case VMX_CTLSET_PROC3:
        return vmx_model_allows(m, VMX_CTLSET_PROC, VMX_CTL_PROC_TERTIARY) &&
               (m->proc3_allowed1 >> bit) & 1u;
    case VMX_CTLSET_EXIT:
        return bit < 32 && (m->exit.allowed1 >> bit) & 1u;
    case VMX_CTLSET_ENTRY:
        return bit < 32 && (m->entry.allowed1 >> bit) & 1u;
    case VMX_CTLSET_VMFUNC:
        return vmx_model_allows(m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_VMFUNC) &&
               (m->vmfunc >> bit) & 1u;
    default:
        return false;
    }
}

unsigned vmx_vmcs_enum_max_index(const struct vmx_cpu_model *m)
{
    unsigned max = 0;
    unsigned i;

    for (i = 0; i < VMX_FIELD__COUNT; i++) {
        unsigned idx = (vmx_field_info[i].encoding >> 1) & 0x1FFu;

        if (idx > max && vmx_field_supported(m, (enum vmx_field)i)) {
            max = idx;
        }
    }
    return max;
}

static uint64_t ctl_msr(struct vmx_ctl_caps c)
{
    return (uint64_t)c.allowed0 | ((uint64_t)c.allowed1 << 32);
}

static uint64_t b(bool x, unsigned pos)
{
    return (uint64_t)x << pos;
}

int vmx_cap_msr(const struct vmx_cpu_model *m, uint32_t index,
                uint64_t *value)
{
    struct vmx_ctl_caps c;

    switch (index) {
    case VMX_MSR_BASIC:     /* A5 "IA32_VMX_BASIC layout" */
        *value = (m->revision_id & 0x7FFFFFFFull) |
                 ((uint64_t)(m->vmcs_size & 0x1FFFu) << 32) |
                 b(m->addr32, 48) | b(m->dual_monitor, 49) |
                 ((uint64_t)(m->mem_type & 0xFu) << 50) |
                 b(m->ins_outs_info, 54) | b(m->true_ctls, 55) |
                 b(m->hw_exc_no_errcode, 56);
        return 0;
    /* Non-TRUE control MSRs always report the default-1 class as 1. */
    case VMX_MSR_PINBASED_CTLS:
        c = m->pin;
        c.allowed0 |= VMX_DEFAULT1_PIN;
        *value = ctl_msr(c);
        return 0;
    case VMX_MSR_PROCBASED_CTLS:
        c = m->proc;
        c.allowed0 |= VMX_DEFAULT1_PROC;
        *value = ctl_msr(c);
        return 0;
    case VMX_MSR_EXIT_CTLS:
        c = m->exit;
        c.allowed0 |= VMX_DEFAULT1_EXIT;
        *value = ctl_msr(c);
        return 0;
    case VMX_MSR_ENTRY_CTLS:
        c = m->entry;
        c.allowed0 |= VMX_DEFAULT1_ENTRY;
        *value = ctl_msr(c);
        return 0;
    case VMX_MSR_MISC:      /* A5 "IA32_VMX_MISC" */
        *value = (m->preempt_rate & 0x1Full) | b(m->lma_store, 5) |
                 b(m->act_hlt, 6) | b(m->act_shutdown, 7) |
                 b(m->act_wait_sipi, 8) | b(m->pt_in_vmx, 14) |
                 b(m->smbase_rdmsr, 15) |
                 ((uint64_t)(m->cr3_targets & 0x1FFu) << 16) |
                 ((uint64_t)(m->msr_list_n & 0x7u) << 25) |
                 b(m->smm_monitor_ctl, 28) | b(m->vmwrite_any, 29) |
                 b(m->inject_len0, 30) | ((uint64_t)m->mseg_rev << 32);
        return 0;
    case VMX_MSR_CR0_FIXED0:
        *value = m->cr0_fixed0;
        return 0;
    case VMX_MSR_CR0_FIXED1:
        *value = m->cr0_fixed1;
        return 0;
    case VMX_MSR_CR4_FIXED0:
        *value = m->cr4_fixed0;
        return 0;
    case VMX_MSR_CR4_FIXED1:
        *value = m->cr4_fixed1;
        return 0;
    case VMX_MSR_VMCS_ENUM:     /* A1: bits 9:1 highest index */
        *value = (uint64_t)vmx_vmcs_enum_max_index(m) << 1;
        return 0;
    case VMX_MSR_PROCBASED_CTLS2:
        if (!vmx_model_allows(m, VMX_CTLSET_PROC, VMX_CTL_PROC_SECONDARY)) {
            return -SIM_ENOENT;
        }
        *value = ctl_msr(m->proc2);
        return 0;
    case VMX_MSR_EPT_VPID_CAP:
        if (!vmx_model_allows(m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_EPT) &&
            !vmx_model_allows(m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_VPID)) {
            return -SIM_ENOENT;
        }
        *value = m->ept_vpid_cap;
        return 0;
    case VMX_MSR_TRUE_PINBASED_CTLS:
    case VMX_MSR_TRUE_PROCBASED_CTLS:
    case VMX_MSR_TRUE_EXIT_CTLS:
    case VMX_MSR_TRUE_ENTRY_CTLS:
        if (!m->true_ctls) {
            return -SIM_ENOENT;
        }
        c = index == VMX_MSR_TRUE_PINBASED_CTLS ? m->pin
            : index == VMX_MSR_TRUE_PROCBASED_CTLS ? m->proc
            : index == VMX_MSR_TRUE_EXIT_CTLS ? m->exit : m->entry;
        *value = ctl_msr(c);
        return 0;
    case VMX_MSR_VMFUNC:
        if (!vmx_model_allows(m, VMX_CTLSET_PROC2, VMX_CTL_PROC2_VMFUNC)) {
            return -SIM_ENOENT;
        }
        *value = m->vmfunc;
        return 0;
    case VMX_MSR_PROCBASED_CTLS3:
        if (!vmx_model_allows(m, VMX_CTLSET_PROC, VMX_CTL_PROC_TERTIARY)) {
            return -SIM_ENOENT;
        }
        *value = m->proc3_allowed1;
        return 0;
    case VMX_MSR_EXIT_CTLS2:
        if (!vmx_model_allows(m, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SECONDARY)) {
            return -SIM_ENOENT;
        }
        *value = m->exit2_allowed1;
        return 0;
    default:
        return -SIM_ENOENT;
    }
}
