/*
 * test_vmx_check.c - suite "vmx_check": the VM-entry checks of
 * vmx-model/vmx_checks.def.
 *
 * One test per check, generated from the table: start from a VMCS that
 * passes every check (tv_valid(), a 64-bit guest under a 64-bit host on
 * the Skylake-SP-like model), break exactly that rule with brk_<sym>(),
 * and assert that the entry fails with that rule and its architectural
 * outcome (VMfailValid 7 / 8, or exit 33 with the row's qualification).
 * A rule without a breaker is a compile error.  Plus: the valid VMCS
 * passes on both presets, table properties, memory-reading paths, and
 * 100,000 random VMCS contents that must never crash the checker.
 *
 * Rules cite hw-virt-facts A8.x (see vmx_checks.def for each row).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"
#include "test_suites.h"
#include "vmx-model/vmx.h"

/* Declared in test_suites.h once the suite is registered there. */
int test_vmx_check_register(void);

#define TV_MEM_SIZE   0x20000u          /* guest-physical 0 .. 128 KiB */
#define TV_IO_A       0x10000u
#define TV_IO_B       0x11000u
#define TV_MSR_BITMAP 0x12000u
#define TV_VAPIC      0x13000u
#define TV_EPT_PML4   0x14000u
#define TV_LINK_VMCS  0x15000u
#define TV_CUR_VMCS   0x16000u
#define TV_VMXON      0x17000u

/* The test bench: a model, CPU facts, a VMCS and a little guest memory. */
struct tv {
    struct vmx_cpu_model m;
    struct vmx_cpu_facts f;
    struct vmx_vmcs v;
    uint8_t mem[TV_MEM_SIZE];
};

static struct tv g_tv;

static int tv_read_phys(void *ctx, uint64_t pa, void *buf, size_t len)
{
    struct tv *t = ctx;

    if (pa > TV_MEM_SIZE || len > TV_MEM_SIZE - pa) {
        return -1;
    }
    memcpy(buf, t->mem + pa, len);
    return 0;
}

static void tv_put32(struct tv *t, uint64_t pa, uint32_t x)
{
    unsigned i;

    for (i = 0; i < 4; i++) {
        t->mem[pa + i] = (uint8_t)(x >> (8 * i));
    }
}

#define SETF(t, name, val) vmx_vmcs_set(&(t)->v, VMX_FIELD_##name, (val))
#define GETF(t, name) vmx_vmcs_get(&(t)->v, VMX_FIELD_##name)
#define ORF(t, name, bits) SETF(t, name, GETF(t, name) | (bits))
#define ANDF(t, name, bits) SETF(t, name, GETF(t, name) & (bits))
#define CTL(set, bit) VMX_BIT(VMX_CTL_##set##_##bit)

/*
 * A VMCS that passes every check on model t->m: a 64-bit guest with paging,
 * EPT, VPID, I/O and MSR bitmaps, TPR shadow, loading EFER and PAT, under a
 * 64-bit host.  Controls start from the model's must-be-1 bits.
 */
static void tv_valid(struct tv *t)
{
    struct vmx_ctl_caps pin = vmx_model_ctls(&t->m, VMX_CTLSET_PIN);
    struct vmx_ctl_caps proc = vmx_model_ctls(&t->m, VMX_CTLSET_PROC);
    struct vmx_ctl_caps exit = vmx_model_ctls(&t->m, VMX_CTLSET_EXIT);
    struct vmx_ctl_caps entry = vmx_model_ctls(&t->m, VMX_CTLSET_ENTRY);
    unsigned s;

    vmx_vmcs_init(&t->v, t->m.revision_id);
    /* controls */
    SETF(t, PIN_CTLS, pin.allowed0 | CTL(PIN, EXT_INTR_EXITING) |
         CTL(PIN, NMI_EXITING) | CTL(PIN, VIRTUAL_NMIS));
    SETF(t, PROC_CTLS, proc.allowed0 | CTL(PROC, HLT_EXITING) |
         CTL(PROC, IO_BITMAPS) | CTL(PROC, MSR_BITMAPS) |
         CTL(PROC, TPR_SHADOW) | CTL(PROC, SECONDARY));
    SETF(t, PROC2_CTLS, CTL(PROC2, EPT) | CTL(PROC2, VPID) |
         CTL(PROC2, RDTSCP));
    SETF(t, EXIT_CTLS, exit.allowed0 | CTL(EXIT, HOST_ADDR_SPACE) |
         CTL(EXIT, ACK_INTR) | CTL(EXIT, SAVE_EFER) | CTL(EXIT, LOAD_EFER) |
         CTL(EXIT, LOAD_PAT));
    SETF(t, ENTRY_CTLS, entry.allowed0 | CTL(ENTRY, IA32E_GUEST) |
         CTL(ENTRY, LOAD_EFER) | CTL(ENTRY, LOAD_PAT) |
         CTL(ENTRY, LOAD_DEBUG));
    SETF(t, IO_BITMAP_A, TV_IO_A);
    SETF(t, IO_BITMAP_B, TV_IO_B);
    SETF(t, MSR_BITMAP, TV_MSR_BITMAP);
    SETF(t, VIRTUAL_APIC_ADDR, TV_VAPIC);
    SETF(t, TPR_THRESHOLD, 0);
    SETF(t, VPID, 1);
    SETF(t, EPT_POINTER, TV_EPT_PML4 | (3u << 3) | 6u);
    SETF(t, CR3_TARGET_COUNT, 0);
    /* host: 64-bit, flat segments (A8.4) */
    SETF(t, HOST_CR0, 0x80010033u);         /* PG WP NE ET MP PE */
    SETF(t, HOST_CR3, 0x1000);
    SETF(t, HOST_CR4, 0x20A0);              /* VMXE PGE PAE */
    SETF(t, HOST_CS_SELECTOR, 0x08);
    SETF(t, HOST_SS_SELECTOR, 0x10);
    SETF(t, HOST_DS_SELECTOR, 0x10);
    SETF(t, HOST_ES_SELECTOR, 0x10);
    SETF(t, HOST_FS_SELECTOR, 0);
    SETF(t, HOST_GS_SELECTOR, 0);
    SETF(t, HOST_TR_SELECTOR, 0x18);
    SETF(t, HOST_FS_BASE, 0);
    SETF(t, HOST_GS_BASE, 0xFFFF888000000000ull);
    SETF(t, HOST_TR_BASE, 0xFFFFFE0000001000ull);
    SETF(t, HOST_GDTR_BASE, 0xFFFFFE0000000000ull);
    SETF(t, HOST_IDTR_BASE, 0xFFFFFE0000002000ull);
    SETF(t, HOST_RIP, 0xFFFFFFFF81000000ull);
    SETF(t, HOST_RSP, 0xFFFFC90000004000ull);
    SETF(t, HOST_PAT, 0x0007040600070406ull);
    SETF(t, HOST_EFER, 0xD01);              /* NXE LMA LME SCE */
    /* guest: 64-bit mode, flat segments (A8.5) */
    SETF(t, GUEST_CR0, 0x80010031u);        /* PG WP NE ET PE */
    SETF(t, GUEST_CR3, 0x2000);
    SETF(t, GUEST_CR4, 0x2020);             /* VMXE PAE */
    SETF(t, GUEST_DR7, 0x400);
    SETF(t, GUEST_RFLAGS, 0x2);
    SETF(t, GUEST_RIP, 0x1000);
    SETF(t, GUEST_RSP, 0x8000);
    SETF(t, GUEST_PAT, 0x0007040600070406ull);
    SETF(t, GUEST_EFER, 0xD01);
    for (s = 0; s < 6; s++) {
        /* ES CS SS DS FS GS: stride 2 in each group (A1) */
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_SELECTOR + s, 0x10);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_LIMIT + s, 0xFFFFFFFFu);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_AR + s, 0xC093);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_BASE + s, 0);
    }
    SETF(t, GUEST_CS_SELECTOR, 0x08);
    SETF(t, GUEST_CS_AR, 0xA09B);           /* G L P S type 11 */
    SETF(t, GUEST_LDTR_SELECTOR, 0);
    SETF(t, GUEST_LDTR_AR, 0x10000);        /* unusable */
    SETF(t, GUEST_TR_SELECTOR, 0x18);
    SETF(t, GUEST_TR_BASE, 0x3000);
    SETF(t, GUEST_TR_LIMIT, 0x67);
    SETF(t, GUEST_TR_AR, 0x8B);             /* P, busy 64-bit TSS */
    SETF(t, GUEST_GDTR_BASE, 0x4000);
    SETF(t, GUEST_GDTR_LIMIT, 0xFF);
    SETF(t, GUEST_IDTR_BASE, 0x5000);
    SETF(t, GUEST_IDTR_LIMIT, 0xFFF);
    SETF(t, VMCS_LINK_POINTER, ~0ull);
    SETF(t, GUEST_ACTIVITY_STATE, 0);
    SETF(t, GUEST_INTERRUPTIBILITY, 0);
    SETF(t, GUEST_PENDING_DBG, 0);
}

static struct tv *tv_setup(enum vmx_preset p)
{
    struct tv *t = &g_tv;
    struct vmx_caps_cfg c;

    memset(t, 0, sizeof(*t));
    if (vmx_caps_preset(p, &c) != 0 || vmx_caps_build(&c, &t->m, NULL) != 0) {
        return NULL;
    }
    vmx_cpu_facts_default(&t->f);
    t->f.current_vmcs = TV_CUR_VMCS;
    t->f.vmxon_ptr = TV_VMXON;
    t->f.read_phys = tv_read_phys;
    t->f.read_ctx = t;
    tv_put32(t, TV_CUR_VMCS, t->m.revision_id);
    tv_valid(t);
    return t;
}

/* The valid VMCS passes every check on both presets. */
static void test_vmx_check_valid_passes(void)
{
    enum vmx_preset p;

    for (p = 0; p < VMX_PRESET__COUNT; p++) {
        struct tv *t = tv_setup(p);
        struct vmx_entry_result r;
        uint8_t failed[VMX_CHECK__COUNT];
        unsigned i;

        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r),
                        VMX_ENTRY_OK);
        CU_ASSERT_EQUAL(r.rule, VMX_CHECK_NONE);
        CU_ASSERT_EQUAL(r.insn_error, 0);
        CU_ASSERT_EQUAL(r.exit_reason, 0);
        CU_ASSERT_EQUAL(vmx_entry_check_all(&t->v, &t->m, &t->f, failed), 0);
        for (i = 0; i < VMX_CHECK__COUNT; i++) {
            if (failed[i]) {
                fprintf(stderr, "\n  %s: %s fails on the valid VMCS\n",
                        vmx_preset_name(p), vmx_check_info[i].id);
            }
        }
    }
}

/* ---- breakers: each makes exactly its rule the first to fail ---- */

static void host32(struct tv *t)
{
    t->f.host_lma = false;
    ANDF(t, EXIT_CTLS, ~CTL(EXIT, HOST_ADDR_SPACE));
    ANDF(t, ENTRY_CTLS, ~CTL(ENTRY, IA32E_GUEST));
    SETF(t, HOST_EFER, 0x801);              /* LMA = LME = 0 */
    SETF(t, HOST_RIP, 0x00101000);
}

static void inject(struct tv *t, unsigned type, unsigned vector,
                   uint32_t extra)
{
    SETF(t, ENTRY_INTR_INFO, 0x80000000u | type << 8 | vector | extra);
}

static void allow(struct tv *t, enum vmx_ctlset set, unsigned bit)
{
    switch (set) {
    case VMX_CTLSET_PROC2:
        t->m.proc2.allowed1 |= 1u << bit;
        break;
    case VMX_CTLSET_EXIT:
        t->m.exit.allowed1 |= 1u << bit;
        break;
    case VMX_CTLSET_ENTRY:
        t->m.entry.allowed1 |= 1u << bit;
        break;
    case VMX_CTLSET_PROC:
        t->m.proc.allowed1 |= 1u << bit;
        break;
    default:
        break;
    }
}

static void v86_segments(struct tv *t)
{
    unsigned s;

    for (s = 0; s < 6; s++) {
        uint64_t sel = vmx_vmcs_get(&t->v, VMX_FIELD_GUEST_ES_SELECTOR + s);

        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_BASE + s, sel << 4);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_LIMIT + s, 0xFFFF);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_AR + s, 0xF3);
    }
}

/* A8.1 */
static void brk_ctl_pin_allowed(struct tv *t)
{
    ORF(t, PIN_CTLS, VMX_BIT(31));
}

static void brk_ctl_proc_allowed(struct tv *t)
{
    ORF(t, PROC_CTLS, VMX_BIT(0));
}

static void brk_ctl_proc2_allowed(struct tv *t)
{
    ORF(t, PROC2_CTLS, VMX_BIT(21));        /* reserved bit */
}

static void brk_ctl_proc3_allowed(struct tv *t)
{
    allow(t, VMX_CTLSET_PROC, VMX_CTL_PROC_TERTIARY);
    t->m.proc3_allowed1 = 0x1;
    ORF(t, PROC_CTLS, CTL(PROC, TERTIARY));
    SETF(t, PROC3_CTLS, 0x2);
}

static void brk_ctl_cr3_target_count(struct tv *t)
{
    SETF(t, CR3_TARGET_COUNT, 5);
}

static void brk_ctl_io_bitmap_addr(struct tv *t)
{
    SETF(t, IO_BITMAP_B, TV_IO_B + 1);
}

static void brk_ctl_msr_bitmap_addr(struct tv *t)
{
    SETF(t, MSR_BITMAP, 1ull << 50);
}

static void brk_ctl_vnmi_needs_nmi_exit(struct tv *t)
{
    ANDF(t, PIN_CTLS, ~CTL(PIN, NMI_EXITING));
}

static void brk_ctl_nmi_window_needs_vnmi(struct tv *t)
{
    ANDF(t, PIN_CTLS, ~CTL(PIN, VIRTUAL_NMIS));
    ORF(t, PROC_CTLS, CTL(PROC, NMI_WINDOW));
}

static void brk_ctl_vapic_addr(struct tv *t)
{
    SETF(t, VIRTUAL_APIC_ADDR, TV_VAPIC + 4);
}

static void brk_ctl_tpr_threshold_high(struct tv *t)
{
    SETF(t, TPR_THRESHOLD, 0x10);
}

static void brk_ctl_tpr_threshold_vtpr(struct tv *t)
{
    SETF(t, TPR_THRESHOLD, 5);
    t->mem[TV_VAPIC + 0x80] = 0x40;         /* VTPR[7:4] = 4 < 5 */
}

static void brk_ctl_apicv_needs_tpr_shadow(struct tv *t)
{
    ANDF(t, PROC_CTLS, ~CTL(PROC, TPR_SHADOW));
    ORF(t, PROC2_CTLS, CTL(PROC2, APIC_REG_VIRT));
}

static void brk_ctl_x2apic_vs_apic_access(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, VIRT_X2APIC) | CTL(PROC2, APIC_ACCESS));
}

static void brk_ctl_vid_needs_ext_intr(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, VINTR_DELIVERY));
    ANDF(t, PIN_CTLS, ~CTL(PIN, EXT_INTR_EXITING));
}

static void posted(struct tv *t)
{
    ORF(t, PIN_CTLS, CTL(PIN, POSTED_INTR));
    ORF(t, PROC2_CTLS, CTL(PROC2, VINTR_DELIVERY));
    SETF(t, POSTED_INTR_NV, 0xF2);
    SETF(t, POSTED_INTR_DESC_ADDR, 0x6040);
}

static void brk_ctl_posted_needs_vid(struct tv *t)
{
    posted(t);
    ANDF(t, PROC2_CTLS, ~CTL(PROC2, VINTR_DELIVERY));
}

static void brk_ctl_posted_needs_ack(struct tv *t)
{
    posted(t);
    ANDF(t, EXIT_CTLS, ~CTL(EXIT, ACK_INTR));
}

static void brk_ctl_posted_vector(struct tv *t)
{
    posted(t);
    SETF(t, POSTED_INTR_NV, 0x1F2);
}

static void brk_ctl_posted_desc_addr(struct tv *t)
{
    posted(t);
    SETF(t, POSTED_INTR_DESC_ADDR, 0x6020);
}

static void brk_ctl_apic_access_addr(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, APIC_ACCESS));
    SETF(t, APIC_ACCESS_ADDR, 0xFEE00800u);
}

static void brk_ctl_vpid_nonzero(struct tv *t)
{
    SETF(t, VPID, 0);
}

static void brk_ctl_eptp_memtype(struct tv *t)
{
    SETF(t, EPT_POINTER, (GETF(t, EPT_POINTER) & ~7ull) | 1);  /* WC */
}

static void brk_ctl_eptp_walk_length(struct tv *t)
{
    /* 5-level walks are not supported by the model */
    SETF(t, EPT_POINTER, (GETF(t, EPT_POINTER) & ~0x38ull) | (4u << 3));
}

static void brk_ctl_eptp_ad(struct tv *t)
{
    t->m.ept_vpid_cap &= ~VMX_BIT(VMX_EPTCAP_AD);
    ORF(t, EPT_POINTER, 0x40);
}

static void brk_ctl_eptp_reserved(struct tv *t)
{
    ORF(t, EPT_POINTER, 0x100);
}

static void brk_ctl_ug_needs_ept(struct tv *t)
{
    SETF(t, PROC2_CTLS, (GETF(t, PROC2_CTLS) | CTL(PROC2, UNRESTRICTED_GUEST))
         & ~CTL(PROC2, EPT));
}

static void brk_ctl_mbec_needs_ept(struct tv *t)
{
    allow(t, VMX_CTLSET_PROC2, VMX_CTL_PROC2_MBEC);
    SETF(t, PROC2_CTLS, (GETF(t, PROC2_CTLS) | CTL(PROC2, MBEC)) &
         ~CTL(PROC2, EPT));
}

static void brk_ctl_pml_needs_ept(struct tv *t)
{
    SETF(t, PROC2_CTLS, (GETF(t, PROC2_CTLS) | CTL(PROC2, PML)) &
         ~CTL(PROC2, EPT));
}

static void brk_ctl_pml_addr(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, PML));
    SETF(t, PML_ADDRESS, 0x7123);
}

static void brk_ctl_spp_needs_ept(struct tv *t)
{
    allow(t, VMX_CTLSET_PROC2, VMX_CTL_PROC2_SPP);
    SETF(t, PROC2_CTLS, (GETF(t, PROC2_CTLS) | CTL(PROC2, SPP)) &
         ~CTL(PROC2, EPT));
}

static void brk_ctl_spp_sppt(struct tv *t)
{
    allow(t, VMX_CTLSET_PROC2, VMX_CTL_PROC2_SPP);
    ORF(t, PROC2_CTLS, CTL(PROC2, SPP));
    SETF(t, SPPT_POINTER, 0x8008);
}

static void brk_ctl_vmfunc_allowed(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, VMFUNC));
    SETF(t, VMFUNC_CTLS, 0x2);
}

static void brk_ctl_vmfunc_eptp_needs_ept(struct tv *t)
{
    SETF(t, PROC2_CTLS, (GETF(t, PROC2_CTLS) | CTL(PROC2, VMFUNC)) &
         ~CTL(PROC2, EPT));
    SETF(t, VMFUNC_CTLS, 0x1);
}

static void brk_ctl_vmfunc_eptp_list(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, VMFUNC));
    SETF(t, VMFUNC_CTLS, 0x1);
    SETF(t, EPTP_LIST_ADDR, 0x9010);
}

static void brk_ctl_shadow_bitmaps(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, VMCS_SHADOWING));
    SETF(t, VMREAD_BITMAP, 0xA000);
    SETF(t, VMWRITE_BITMAP, 0xB001);
}

static void brk_ctl_ve_info_addr(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, EPT_VE));
    SETF(t, VE_INFO_ADDR, 0xC004);
}

static void brk_ctl_tsc_multiplier(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, TSC_SCALING));
    SETF(t, TSC_MULTIPLIER, 0);
}

static void brk_ctl_save_preempt_needs_timer(struct tv *t)
{
    ORF(t, EXIT_CTLS, CTL(EXIT, SAVE_PREEMPT));
}

/* A8.2 */
static void brk_exit_allowed(struct tv *t)
{
    ORF(t, EXIT_CTLS, CTL(EXIT, CLEAR_LBR));
}

static void brk_exit2_allowed(struct tv *t)
{
    allow(t, VMX_CTLSET_EXIT, VMX_CTL_EXIT_SECONDARY);
    t->m.exit2_allowed1 = 0x1;
    ORF(t, EXIT_CTLS, CTL(EXIT, SECONDARY));
    SETF(t, EXIT2_CTLS, 0x2);
}

static void brk_exit_msr_store_addr(struct tv *t)
{
    SETF(t, EXIT_MSR_STORE_COUNT, 1);
    SETF(t, EXIT_MSR_STORE_ADDR, 0xD008);
}

static void brk_exit_msr_load_addr(struct tv *t)
{
    /* first byte valid, last byte (addr + 16 * 2 - 1) beyond 2^46 */
    SETF(t, EXIT_MSR_LOAD_COUNT, 2);
    SETF(t, EXIT_MSR_LOAD_ADDR, (1ull << 46) - 16);
}

/* A8.3 */
static void brk_entry_allowed(struct tv *t)
{
    ORF(t, ENTRY_CTLS, CTL(ENTRY, SMM));
}

static void brk_entry_smm_outside_smm(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_DEACT_DUAL_MONITOR);
    ORF(t, ENTRY_CTLS, CTL(ENTRY, DEACT_DUAL_MONITOR));
}

static void brk_entry_msr_load_addr(struct tv *t)
{
    SETF(t, ENTRY_MSR_LOAD_COUNT, 1);
    SETF(t, ENTRY_MSR_LOAD_ADDR, 1ull << 47);
}

static void brk_entry_intr_type(struct tv *t)
{
    inject(t, 1, 0x20, 0);
}

static void brk_entry_intr_vector(struct tv *t)
{
    inject(t, 2, 3, 0);
}

static void brk_entry_intr_errcode(struct tv *t)
{
    inject(t, 3, 13, 0);                    /* #GP without its error code */
}

static void brk_entry_intr_errcode_rsvd(struct tv *t)
{
    inject(t, 3, 13, 0x800);
    SETF(t, ENTRY_EXCEPTION_ERRCODE, 0x10000);
}

static void brk_entry_intr_reserved(struct tv *t)
{
    inject(t, 3, 6, 0x1000);
}

static void brk_entry_intr_insn_len(struct tv *t)
{
    inject(t, 4, 0x80, 0);
    SETF(t, ENTRY_INSN_LEN, 16);
}

static void brk_entry_ia32e_needs_lm(struct tv *t)
{
    t->f.lm = false;
}

/* A8.4 */
static void brk_host_addr_space_64(struct tv *t)
{
    ANDF(t, EXIT_CTLS, ~CTL(EXIT, HOST_ADDR_SPACE));
}

static void brk_host_addr_space_32(struct tv *t)
{
    t->f.host_lma = false;
}

static void brk_host_cr0_fixed(struct tv *t)
{
    ANDF(t, HOST_CR0, ~0x20ull);
}

static void brk_host_cr4_fixed(struct tv *t)
{
    ANDF(t, HOST_CR4, ~0x2000ull);
}

static void brk_host_cr3_maxphyaddr(struct tv *t)
{
    SETF(t, HOST_CR3, 1ull << 46);
}

static void brk_host_sysenter_canonical(struct tv *t)
{
    SETF(t, HOST_SYSENTER_EIP, 0x0000800000000000ull);
}

static void brk_host_pat_valid(struct tv *t)
{
    SETF(t, HOST_PAT, 0x0007040600070402ull);
}

static void brk_host_perf_global_rsvd(struct tv *t)
{
    ORF(t, EXIT_CTLS, CTL(EXIT, LOAD_PERF_GLOBAL));
    SETF(t, HOST_PERF_GLOBAL_CTRL, VMX_BIT(40));
}

static void brk_host_efer_reserved(struct tv *t)
{
    ORF(t, HOST_EFER, VMX_BIT(12));
}

static void brk_host_efer_lma_lme(struct tv *t)
{
    ANDF(t, HOST_EFER, ~0x100ull);
}

static void brk_host64_cr4_pae(struct tv *t)
{
    ANDF(t, HOST_CR4, ~0x20ull);
}

static void brk_host64_rip_canonical(struct tv *t)
{
    SETF(t, HOST_RIP, 0x0000800000000000ull);
}

static void brk_host32_cr4_pcide(struct tv *t)
{
    host32(t);
    ORF(t, HOST_CR4, VMX_BIT(17));
}

static void brk_host32_rip_high(struct tv *t)
{
    host32(t);
    SETF(t, HOST_RIP, 0x100001000ull);
}

static void brk_host_sel_rpl_ti(struct tv *t)
{
    SETF(t, HOST_DS_SELECTOR, 0x13);
}

static void brk_host_cs_null(struct tv *t)
{
    SETF(t, HOST_CS_SELECTOR, 0);
}

static void brk_host_tr_null(struct tv *t)
{
    SETF(t, HOST_TR_SELECTOR, 0);
}

static void brk_host_ss_null(struct tv *t)
{
    host32(t);
    SETF(t, HOST_SS_SELECTOR, 0);
}

static void brk_host_base_canonical(struct tv *t)
{
    SETF(t, HOST_GS_BASE, 0x00F0000000000000ull);
}

static void brk_host_cet_wp(struct tv *t)
{
    t->m.cr4_fixed1 |= VMX_BIT(23);
    ORF(t, HOST_CR4, VMX_BIT(23));
    ANDF(t, HOST_CR0, ~VMX_BIT(16));
}

static void brk_host_cet_canonical(struct tv *t)
{
    allow(t, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_CET);
    ORF(t, EXIT_CTLS, CTL(EXIT, LOAD_CET));
    SETF(t, HOST_SSP, 0x0000800000000000ull);
}

static void brk_host_cet_ssp_align(struct tv *t)
{
    allow(t, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_CET);
    ORF(t, EXIT_CTLS, CTL(EXIT, LOAD_CET));
    SETF(t, HOST_SSP, 0xFFFFC90000003002ull);
}

static void brk_host_pkrs_reserved(struct tv *t)
{
    allow(t, VMX_CTLSET_EXIT, VMX_CTL_EXIT_LOAD_PKRS);
    ORF(t, EXIT_CTLS, CTL(EXIT, LOAD_PKRS));
    SETF(t, HOST_PKRS, 1ull << 32);
}

/* A8.5 control registers and MSRs */
static void brk_guest_cr0_fixed(struct tv *t)
{
    ANDF(t, GUEST_CR0, ~0x20ull);
}

static void brk_guest_cr0_pg_pe(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, UNRESTRICTED_GUEST));
    ANDF(t, GUEST_CR0, ~1ull);
}

static void brk_guest_cr4_fixed(struct tv *t)
{
    ANDF(t, GUEST_CR4, ~0x2000ull);
}

static void brk_guest_cr3_maxphyaddr(struct tv *t)
{
    SETF(t, GUEST_CR3, 1ull << 50);
}

static void brk_guest_ia32e_pae(struct tv *t)
{
    ANDF(t, GUEST_CR4, ~0x20ull);
}

static void brk_guest_ia32e_pg(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, UNRESTRICTED_GUEST));
    ANDF(t, GUEST_CR0, ~VMX_BIT(31));
}

static void brk_guest_cr4_pcide(struct tv *t)
{
    ANDF(t, ENTRY_CTLS, ~CTL(ENTRY, IA32E_GUEST));
    ORF(t, GUEST_CR4, VMX_BIT(17));
}

static void brk_guest_dr7_high(struct tv *t)
{
    SETF(t, GUEST_DR7, (1ull << 32) | 0x400);
}

static void brk_guest_debugctl_rsvd(struct tv *t)
{
    SETF(t, GUEST_DEBUGCTL, VMX_BIT(2));
}

static void brk_guest_cet_wp(struct tv *t)
{
    t->m.cr4_fixed1 |= VMX_BIT(23);
    ORF(t, GUEST_CR4, VMX_BIT(23));
    ANDF(t, GUEST_CR0, ~VMX_BIT(16));
}

static void brk_guest_cet_canonical(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_CET);
    ORF(t, ENTRY_CTLS, CTL(ENTRY, LOAD_CET));
    SETF(t, GUEST_ISST_ADDR, 0x8000000000000000ull);
}

static void brk_guest_cet_ssp_align(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_CET);
    ORF(t, ENTRY_CTLS, CTL(ENTRY, LOAD_CET));
    SETF(t, GUEST_SSP, 0x7001);
}

static void brk_guest_sysenter_canonical(struct tv *t)
{
    SETF(t, GUEST_SYSENTER_ESP, 0x0001000000000000ull);
}

static void brk_guest_pat_valid(struct tv *t)
{
    SETF(t, GUEST_PAT, 0x08);
}

static void brk_guest_perf_global_rsvd(struct tv *t)
{
    ORF(t, ENTRY_CTLS, CTL(ENTRY, LOAD_PERF_GLOBAL));
    SETF(t, GUEST_PERF_GLOBAL_CTRL, VMX_BIT(4));
}

static void brk_guest_bndcfgs_valid(struct tv *t)
{
    ORF(t, ENTRY_CTLS, CTL(ENTRY, LOAD_BNDCFGS));
    SETF(t, GUEST_BNDCFGS, 0x4);
}

static void brk_guest_efer_reserved(struct tv *t)
{
    ORF(t, GUEST_EFER, VMX_BIT(14));
}

static void brk_guest_efer_lma(struct tv *t)
{
    ANDF(t, GUEST_EFER, ~0x400ull);
}

static void brk_guest_efer_lme(struct tv *t)
{
    ANDF(t, GUEST_EFER, ~0x100ull);
}

static void brk_guest_pkrs_reserved(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_LOAD_PKRS);
    ORF(t, ENTRY_CTLS, CTL(ENTRY, LOAD_PKRS));
    SETF(t, GUEST_PKRS, 1ull << 33);
}

/* A8.5 segment registers */
static void brk_guest_v86_base(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(17));
}

static void brk_guest_v86_limit(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(17));
    v86_segments(t);
    SETF(t, GUEST_FS_LIMIT, 0xFFFFF);
}

static void brk_guest_v86_ar(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(17));
    v86_segments(t);
    SETF(t, GUEST_GS_AR, 0xF1);
}

static void brk_guest_tr_ti(struct tv *t)
{
    SETF(t, GUEST_TR_SELECTOR, 0x1C);
}

static void brk_guest_ldtr_ti(struct tv *t)
{
    SETF(t, GUEST_LDTR_SELECTOR, 0x24);
    SETF(t, GUEST_LDTR_AR, 0x82);
}

static void brk_guest_ss_cs_rpl(struct tv *t)
{
    SETF(t, GUEST_SS_SELECTOR, 0x13);
}

static void brk_guest_base_canonical(struct tv *t)
{
    SETF(t, GUEST_FS_BASE, 0x0000900000000000ull);
}

static void brk_guest_base_high(struct tv *t)
{
    SETF(t, GUEST_DS_BASE, 1ull << 32);
}

static void brk_guest_cs_type(struct tv *t)
{
    SETF(t, GUEST_CS_AR, (GETF(t, GUEST_CS_AR) & ~0xFull) | 3);
}

static void brk_guest_ss_type(struct tv *t)
{
    SETF(t, GUEST_SS_AR, 0xC09B);
}

static void brk_guest_seg_accessed(struct tv *t)
{
    SETF(t, GUEST_DS_AR, 0xC092);
}

static void brk_guest_seg_readable(struct tv *t)
{
    SETF(t, GUEST_ES_AR, 0xC099);
}

static void brk_guest_seg_s(struct tv *t)
{
    ANDF(t, GUEST_FS_AR, ~0x10ull);
}

static void brk_guest_seg_p(struct tv *t)
{
    ANDF(t, GUEST_GS_AR, ~0x80ull);
}

static void brk_guest_seg_ar_reserved(struct tv *t)
{
    ORF(t, GUEST_DS_AR, 0x100);
}

static void brk_guest_seg_limit_g(struct tv *t)
{
    SETF(t, GUEST_DS_LIMIT, 0xFFFFF000u);
}

static void brk_guest_cs_dpl(struct tv *t)
{
    ORF(t, GUEST_CS_AR, 0x60);
}

static void brk_guest_ss_dpl_rpl(struct tv *t)
{
    ORF(t, GUEST_CS_AR, 0xF);               /* conforming: DPL 0 <= SS.DPL */
    ORF(t, GUEST_SS_AR, 0x60);
}

static void brk_guest_ss_dpl_zero(struct tv *t)
{
    ORF(t, PROC2_CTLS, CTL(PROC2, UNRESTRICTED_GUEST));
    SETF(t, GUEST_CS_AR, (GETF(t, GUEST_CS_AR) & ~0xFull) | 3);
    ORF(t, GUEST_SS_AR, 0x60);
}

static void brk_guest_seg_dpl_rpl(struct tv *t)
{
    SETF(t, GUEST_DS_SELECTOR, 0x13);
}

static void brk_guest_cs_l_and_d(struct tv *t)
{
    ORF(t, GUEST_CS_AR, 0x4000);
}

static void brk_guest_tr_usable(struct tv *t)
{
    ORF(t, GUEST_TR_AR, 0x10000);
}

static void brk_guest_tr_type(struct tv *t)
{
    SETF(t, GUEST_TR_AR, 0x83);
}

static void brk_guest_tr_ar(struct tv *t)
{
    ORF(t, GUEST_TR_AR, 0x10);
}

static void brk_guest_tr_limit_g(struct tv *t)
{
    SETF(t, GUEST_TR_LIMIT, 0x100000);
}

static void brk_guest_ldtr_ar(struct tv *t)
{
    SETF(t, GUEST_LDTR_AR, 0x83);
}

static void brk_guest_ldtr_limit_g(struct tv *t)
{
    SETF(t, GUEST_LDTR_AR, 0x82);
    SETF(t, GUEST_LDTR_LIMIT, 0xFFFFF000u);
}

static void brk_guest_dtr_base(struct tv *t)
{
    SETF(t, GUEST_GDTR_BASE, 0x0000800000000000ull);
}

static void brk_guest_dtr_limit(struct tv *t)
{
    SETF(t, GUEST_IDTR_LIMIT, 0x10000);
}

/* A8.5 RIP and RFLAGS */
static void brk_guest_rip_high(struct tv *t)
{
    ANDF(t, GUEST_CS_AR, ~0x2000ull);       /* compatibility mode */
    SETF(t, GUEST_RIP, 1ull << 32);
}

static void brk_guest_rip_canonical(struct tv *t)
{
    SETF(t, GUEST_RIP, 0x0000800000000000ull);
}

static void brk_guest_rflags_reserved(struct tv *t)
{
    SETF(t, GUEST_RFLAGS, 0);
}

static void brk_guest_rflags_vm(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(17));      /* VM in an IA-32e guest */
    v86_segments(t);
}

static void brk_guest_rflags_if_inject(struct tv *t)
{
    inject(t, 0, 0x20, 0);
}

/* A8.5 non-register state */
static void brk_guest_activity_valid(struct tv *t)
{
    SETF(t, GUEST_ACTIVITY_STATE, 4);
}

static void brk_guest_activity_hlt_dpl(struct tv *t)
{
    SETF(t, GUEST_CS_SELECTOR, 0x0B);
    ORF(t, GUEST_CS_AR, 0xF);               /* conforming */
    SETF(t, GUEST_SS_SELECTOR, 0x13);
    ORF(t, GUEST_SS_AR, 0x60);              /* CPL 3 */
    SETF(t, GUEST_ACTIVITY_STATE, 1);
}

static void brk_guest_intr_reserved(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 0x20);
}

static void brk_guest_intr_sti_movss(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(9));
    SETF(t, GUEST_INTERRUPTIBILITY, 3);
}

static void brk_guest_intr_sti_if(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 1);
}

static void brk_guest_intr_blocking_active(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 2);
    SETF(t, GUEST_ACTIVITY_STATE, 1);
}

static void brk_guest_intr_ext_inject(struct tv *t)
{
    ORF(t, GUEST_RFLAGS, VMX_BIT(9));
    SETF(t, GUEST_INTERRUPTIBILITY, 1);
    inject(t, 0, 0x20, 0);
}

static void brk_guest_intr_nmi_movss(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 2);
    inject(t, 2, 2, 0);
}

static void brk_guest_intr_vnmi_inject(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 8);
    inject(t, 2, 2, 0);
}

static void brk_guest_activity_sipi_inject(struct tv *t)
{
    SETF(t, GUEST_ACTIVITY_STATE, 3);
    inject(t, 2, 2, 0);
}

static void brk_guest_activity_shutdown_inject(struct tv *t)
{
    SETF(t, GUEST_ACTIVITY_STATE, 2);
    inject(t, 3, 6, 0);                     /* #UD: neither NMI nor #MC */
}

static void brk_guest_intr_smi_outside_smm(struct tv *t)
{
    SETF(t, GUEST_INTERRUPTIBILITY, 4);
}

static void brk_guest_smm_entry_smi(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_SMM);
    t->f.in_smm = true;
    ORF(t, ENTRY_CTLS, CTL(ENTRY, SMM));
}

static void brk_guest_smm_entry_sipi(struct tv *t)
{
    allow(t, VMX_CTLSET_ENTRY, VMX_CTL_ENTRY_SMM);
    t->f.in_smm = true;
    ORF(t, ENTRY_CTLS, CTL(ENTRY, SMM));
    SETF(t, GUEST_INTERRUPTIBILITY, 4);
    SETF(t, GUEST_ACTIVITY_STATE, 3);
}

static void brk_guest_pending_dbg_rsvd(struct tv *t)
{
    SETF(t, GUEST_PENDING_DBG, VMX_BIT(4));
}

static void brk_guest_pending_dbg_bs(struct tv *t)
{
    SETF(t, GUEST_RFLAGS, 0x302);           /* IF TF, BS not pending */
    SETF(t, GUEST_INTERRUPTIBILITY, 1);
}

static void brk_guest_link_addr(struct tv *t)
{
    SETF(t, VMCS_LINK_POINTER, 0x1234);
}

static void brk_guest_link_revision(struct tv *t)
{
    SETF(t, VMCS_LINK_POINTER, TV_LINK_VMCS);
    tv_put32(t, TV_LINK_VMCS, t->m.revision_id + 1);
}

static void brk_guest_link_shadow(struct tv *t)
{
    SETF(t, VMCS_LINK_POINTER, TV_LINK_VMCS);
    tv_put32(t, TV_LINK_VMCS, t->m.revision_id | 0x80000000u);
}

static void brk_guest_link_self(struct tv *t)
{
    SETF(t, VMCS_LINK_POINTER, TV_CUR_VMCS);
}

static void brk_guest_pdpte_reserved(struct tv *t)
{
    /* 32-bit PAE guest: PDPTEs come from the VMCS (EPT on) */
    ANDF(t, ENTRY_CTLS, ~CTL(ENTRY, IA32E_GUEST));
    SETF(t, GUEST_EFER, 0x801);
    SETF(t, GUEST_CS_AR, 0xC09B);
    SETF(t, GUEST_PDPTE0, 0x3001);
    SETF(t, GUEST_PDPTE2, 0x4003);          /* bit 1 reserved */
}

/* ---- the generated tests ---- */

static void run_break(enum vmx_check rule, void (*brk)(struct tv *))
{
    struct tv *t = tv_setup(VMX_PRESET_SKYLAKE);
    struct vmx_entry_result r;
    const struct vmx_check_info *ci = &vmx_check_info[rule];

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    brk(t);
    vmx_entry_check(&t->v, &t->m, &t->f, &r);
    CU_ASSERT_STRING_EQUAL(vmx_check_info[r.rule].id, ci->id);
    CU_ASSERT_EQUAL(r.rule, rule);
    switch (ci->cls) {
    case VMX_CC_CTL:
        CU_ASSERT_EQUAL(r.outcome, VMX_ENTRY_FAIL_VALID);
        CU_ASSERT_EQUAL(r.insn_error, 7);
        CU_ASSERT_EQUAL(r.exit_reason, 0);
        break;
    case VMX_CC_HOST:
        CU_ASSERT_EQUAL(r.outcome, VMX_ENTRY_FAIL_VALID);
        CU_ASSERT_EQUAL(r.insn_error, 8);
        CU_ASSERT_EQUAL(r.exit_reason, 0);
        break;
    case VMX_CC_GUEST:
        CU_ASSERT_EQUAL(r.outcome, VMX_ENTRY_FAIL_EXIT);
        CU_ASSERT_EQUAL(r.insn_error, 0);
        CU_ASSERT_EQUAL(r.exit_reason, 0x80000021u);
        CU_ASSERT_EQUAL(r.qual, ci->qual);
        break;
    default:
        CU_FAIL("check without an outcome class");
        break;
    }
}

#define VMX_CHECK(sym, id, sec, cls, q, ref, desc)                         \
    static void test_vmx_check_##sym(void)                                 \
    {                                                                      \
        run_break(VMX_CHECK_##sym, brk_##sym);                             \
    }
#include "vmx-model/vmx_checks.def"
#undef VMX_CHECK

/* ---- table properties and the paths the breakers do not cover ---- */

/* Ids unique and findable; outcome class follows the section (A8.1-A8.3
 * -> 7, A8.4 -> 8, A8.5 -> exit 33); qualifications 0, 2, 4; sections in
 * the reference's order. */
static void test_vmx_check_table(void)
{
    unsigned i;
    unsigned j;

    CU_ASSERT_EQUAL(vmx_check_by_id("none"), VMX_CHECK_NONE);
    CU_ASSERT_EQUAL(vmx_check_by_id("no.such.rule"), VMX_CHECK_NONE);
    for (i = 1; i < VMX_CHECK__COUNT; i++) {
        const struct vmx_check_info *ci = &vmx_check_info[i];

        CU_ASSERT_EQUAL(vmx_check_by_id(ci->id), i);
        CU_ASSERT(ci->desc[0] != '\0' && ci->ref[0] != '\0');
        for (j = 1; j < i; j++) {
            CU_ASSERT(strcmp(vmx_check_info[j].id, ci->id) != 0);
        }
        if (i > 1) {
            CU_ASSERT(strcmp(vmx_check_info[i - 1].section, ci->section) <= 0);
        }
        if (strcmp(ci->section, "A8.4") < 0) {
            CU_ASSERT_EQUAL(ci->cls, VMX_CC_CTL);
        } else if (strcmp(ci->section, "A8.4") == 0) {
            CU_ASSERT_EQUAL(ci->cls, VMX_CC_HOST);
        } else {
            CU_ASSERT_EQUAL(ci->cls, VMX_CC_GUEST);
        }
        CU_ASSERT(ci->qual == 0 || ci->qual == 2 || ci->qual == 4);
        CU_ASSERT(ci->qual == 0 || ci->cls == VMX_CC_GUEST);
    }
}

/* N8 without EPT: the PDPTEs are read from guest memory at CR3. */
static void test_vmx_check_pdpte_from_memory(void)
{
    struct tv *t = tv_setup(VMX_PRESET_NEHALEM);
    struct vmx_entry_result r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    brk_guest_pdpte_reserved(t);
    ANDF(t, PROC2_CTLS, ~CTL(PROC2, EPT));
    SETF(t, GUEST_CR3, 0x6020);             /* PDPT at 0x6020 */
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    t->mem[0x6020 + 8] = 0x01;
    t->mem[0x6020 + 9] = 0x70;              /* PDPTE1 = 0x7001, fine */
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    t->mem[0x6020 + 8] = 0x21;              /* bit 5 reserved */
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r),
                    VMX_ENTRY_FAIL_EXIT);
    CU_ASSERT_EQUAL(r.rule, VMX_CHECK_guest_pdpte_reserved);
    CU_ASSERT_EQUAL(r.qual, 2);
    /* Without a memory reader the check cannot look and passes. */
    t->f.read_phys = NULL;
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
}

/* Memory-reading checks pass without a reader; the TRUE-less model
 * enforces the default-1 class; BASIC[56] relaxes E6. */
static void test_vmx_check_model_variants(void)
{
    struct tv *t = tv_setup(VMX_PRESET_SKYLAKE);
    struct vmx_entry_result r;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    brk_guest_link_revision(t);
    brk_ctl_tpr_threshold_vtpr(t);
    t->f.read_phys = NULL;
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);

    t = tv_setup(VMX_PRESET_NEHALEM);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    ANDF(t, PROC_CTLS, ~CTL(PROC, CR3_LOAD_EXITING));   /* TRUE: 0-able */
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    t->m.true_ctls = false;
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r),
                    VMX_ENTRY_FAIL_VALID);
    CU_ASSERT_EQUAL(r.rule, VMX_CHECK_ctl_proc_allowed);

    t = tv_setup(VMX_PRESET_SKYLAKE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    inject(t, 3, 13, 0);                    /* #GP without error code */
    t->m.hw_exc_no_errcode = true;
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    inject(t, 4, 0x80, 0x800);              /* software int with one */
    SETF(t, ENTRY_INSN_LEN, 2);
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r),
                    VMX_ENTRY_FAIL_VALID);
    CU_ASSERT_EQUAL(r.rule, VMX_CHECK_entry_intr_errcode);
    /* MISC[30]: length 0 allowed on Skylake, not on Nehalem */
    inject(t, 4, 0x80, 0);
    SETF(t, ENTRY_INSN_LEN, 0);
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    t->m.inject_len0 = false;
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r),
                    VMX_ENTRY_FAIL_VALID);
    CU_ASSERT_EQUAL(r.rule, VMX_CHECK_entry_intr_insn_len);
}

/* A valid unrestricted real-mode guest and a valid virtual-8086 guest. */
static void test_vmx_check_other_guests(void)
{
    struct tv *t = tv_setup(VMX_PRESET_SKYLAKE);
    struct vmx_entry_result r;
    unsigned s;

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    ORF(t, PROC2_CTLS, CTL(PROC2, UNRESTRICTED_GUEST));
    ANDF(t, ENTRY_CTLS, ~CTL(ENTRY, IA32E_GUEST));
    SETF(t, GUEST_CR0, 0x30);               /* NE ET, PE = PG = 0 */
    SETF(t, GUEST_EFER, 0);
    for (s = 0; s < 6; s++) {
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_SELECTOR + s, 0xF000);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_BASE + s, 0xF0000);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_LIMIT + s, 0xFFFF);
        vmx_vmcs_set(&t->v, VMX_FIELD_GUEST_ES_AR + s, 0x93);
    }
    SETF(t, GUEST_CS_AR, 0x9B);
    SETF(t, GUEST_RIP, 0xFFF0);
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    CU_ASSERT_STRING_EQUAL(vmx_check_info[r.rule].id, "none");

    t = tv_setup(VMX_PRESET_NEHALEM);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    ANDF(t, ENTRY_CTLS, ~CTL(ENTRY, IA32E_GUEST));
    SETF(t, GUEST_EFER, 0x801);
    ORF(t, GUEST_RFLAGS, VMX_BIT(17));
    v86_segments(t);
    SETF(t, GUEST_TR_AR, 0x8B);
    CU_ASSERT_EQUAL(vmx_entry_check(&t->v, &t->m, &t->f, &r), VMX_ENTRY_OK);
    CU_ASSERT_STRING_EQUAL(vmx_check_info[r.rule].id, "none");
}

/* ---- hostile input ---- */

static uint64_t fz_state;

static uint64_t fz(void)
{
    fz_state ^= fz_state >> 12;
    fz_state ^= fz_state << 25;
    fz_state ^= fz_state >> 27;
    return fz_state * 0x2545F4914F6CDD1Dull;
}

/* A value a guest might plausibly write: random, small, a single bit, or
 * all ones. */
static uint64_t fz_value(void)
{
    switch (fz() % 6) {
    case 0:
        return fz();
    case 1:
        return fz() & 0xFF;
    case 2:
        return VMX_BIT(fz() % 64);
    case 3:
        return ~0ull;
    case 4:
        return fz() & 0xFFFFFFFFu;
    default:
        return 0;
    }
}

/* Random VMCS contents, facts and capabilities never crash the checker
 * and always give a consistent outcome (run it under ASan/UBSan). */
static void test_vmx_check_random_vmcs(void)
{
    static uint8_t failed[VMX_CHECK__COUNT];
    unsigned seen[VMX_CHECK__COUNT];
    unsigned distinct = 0;
    unsigned iter;
    unsigned i;

    struct vmx_cpu_model models[VMX_PRESET__COUNT];
    struct vmx_cpu_facts facts;
    struct tv *t = tv_setup(VMX_PRESET_NEHALEM);

    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    models[VMX_PRESET_NEHALEM] = t->m;
    t = tv_setup(VMX_PRESET_SKYLAKE);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    models[VMX_PRESET_SKYLAKE] = t->m;
    facts = t->f;
    memset(seen, 0, sizeof(seen));
    fz_state = 0x5EED5EED12345678ull;
    for (iter = 0; iter < 100000; iter++) {
        struct vmx_entry_result r;
        unsigned n;
        unsigned k;
        uint64_t x;

        /* tv_setup() without clearing the 128 KiB of memory each time */
        t->m = models[iter & 1 ? VMX_PRESET_NEHALEM : VMX_PRESET_SKYLAKE];
        t->f = facts;
        tv_put32(t, TV_CUR_VMCS, t->m.revision_id);
        tv_valid(t);
        switch (iter % 4) {
        case 0:             /* a few fields of a valid VMCS */
            n = 1 + (unsigned)(fz() % 4);
            for (k = 0; k < n; k++) {
                vmx_vmcs_set(&t->v, (enum vmx_field)(fz() % VMX_FIELD__COUNT),
                             fz_value());
            }
            break;
        case 1:             /* many fields */
            for (k = 0; k < 40; k++) {
                vmx_vmcs_set(&t->v, (enum vmx_field)(fz() % VMX_FIELD__COUNT),
                             fz_value());
            }
            break;
        case 2:             /* everything random, through the image */
            for (k = 0; k < VMX_VMCS_IMAGE_SIZE; k += 8) {
                x = fz();
                memcpy(t->mem + 0x8000 + k, &x, 8);
            }
            vmx_vmcs_from_image(&t->v, t->mem + 0x8000, VMX_VMCS_IMAGE_SIZE);
            break;
        default:            /* random facts, capabilities and memory */
            vmx_vmcs_set(&t->v, (enum vmx_field)(fz() % VMX_FIELD__COUNT),
                         fz_value());
            t->f.maxphyaddr = (unsigned)(fz() % 70);
            t->f.linear_bits = (unsigned)(fz() % 70);
            t->f.lm = fz() & 1;
            t->f.host_lma = fz() & 1;
            t->f.in_smm = fz() & 1;
            t->f.rtm = fz() & 1;
            t->m.cr3_targets = (uint16_t)fz();
            t->m.ept_vpid_cap = fz();
            t->m.proc2.allowed1 = (uint32_t)fz();
            t->m.vmfunc = fz();
            SETF(t, VMCS_LINK_POINTER, fz() % TV_MEM_SIZE);
            SETF(t, VIRTUAL_APIC_ADDR, fz() % (TV_MEM_SIZE + 0x100));
            SETF(t, GUEST_CR3, fz() | 0xFFFFFFF0u);
            tv_put32(t, GETF(t, VMCS_LINK_POINTER) & 0x1FFF0, (uint32_t)fz());
            break;
        }
        vmx_entry_check(&t->v, &t->m, &t->f, &r);
        CU_ASSERT_FATAL((unsigned)r.rule < VMX_CHECK__COUNT);
        if (r.rule == VMX_CHECK_NONE) {
            CU_ASSERT(r.outcome == VMX_ENTRY_OK);
        } else {
            CU_ASSERT(r.outcome != VMX_ENTRY_OK);
            CU_ASSERT(vmx_check_info[r.rule].cls != VMX_CC_GUEST ||
                      r.exit_reason == 0x80000021u);
        }
        n = vmx_entry_check_all(&t->v, &t->m, &t->f, failed);
        CU_ASSERT((n == 0) == (r.rule == VMX_CHECK_NONE));
        if (r.rule != VMX_CHECK_NONE) {
            CU_ASSERT(failed[r.rule]);
            for (i = 1; i < r.rule; i++) {
                CU_ASSERT(!failed[i]);  /* first failure in table order */
            }
        }
        if (seen[r.rule]++ == 0) {
            distinct++;
        }
        /* VMREAD/VMWRITE with hostile encodings */
        for (k = 0; k < 4; k++) {
            uint64_t enc = k & 1 ? fz() : fz() & 0x7FFF;

            i = (unsigned)vmx_vmcs_write(&t->v, &t->m, enc, fz());
            CU_ASSERT(i == 0 || i == 12 || i == 13);
            i = (unsigned)vmx_vmcs_read(&t->v, &t->m, enc, &x);
            CU_ASSERT(i == 0 || i == 12);
        }
    }
    CU_ASSERT(distinct > 40);
}

int test_vmx_check_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } rules[] = {
#define VMX_CHECK(sym, id, sec, cls, q, ref, desc) \
        { id, test_vmx_check_##sym },
#include "vmx-model/vmx_checks.def"
#undef VMX_CHECK
    };
    CU_pSuite s = CU_add_suite("vmx_check", NULL, NULL);
    size_t i;

    if (s == NULL ||
        CU_add_test(s, "valid_passes", test_vmx_check_valid_passes) == NULL ||
        CU_add_test(s, "table", test_vmx_check_table) == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(rules); i++) {
        if (CU_add_test(s, rules[i].name, rules[i].fn) == NULL) {
            return -1;
        }
    }
    if (CU_add_test(s, "pdpte_from_memory",
                    test_vmx_check_pdpte_from_memory) == NULL ||
        CU_add_test(s, "model_variants",
                    test_vmx_check_model_variants) == NULL ||
        CU_add_test(s, "other_guests", test_vmx_check_other_guests) == NULL ||
        CU_add_test(s, "random_vmcs", test_vmx_check_random_vmcs) == NULL) {
        return -1;
    }
    return 0;
}
