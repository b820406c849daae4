/* workloads/x86/vmx_rt.c: the VMM runtime of the vtsim x86 images (API and
 * usage in vmx.h, walk-through in docs/vmx-runtime.md): entering VMX root
 * operation, filling a VMCS for a 64-bit guest that shares the host's
 * descriptor tables and identity page tables, the exit loop with its
 * handler table, control and MSR-bitmap helpers, and an identity EPT.
 *
 * Follows Intel SDM Vol. 3C (order number 326019): "Enabling and Entering
 * VMX Operation" (VMXON prerequisites), "Checks on VMX Controls and Host-
 * State Area" and "Checks on the Guest State Area" (every value written
 * below is chosen to pass them), appendix A (capability MSRs: allowed-0 /
 * allowed-1 halves, TRUE MSRs when IA32_VMX_BASIC[55] = 1).  Numbers are
 * restated in /work/shared/reference/hw-virt-facts.md section A.
 *
 * Approximations: listed in vmx.h.
 */
#include "vmx.h"

struct vmx_caps vmx_caps;

static uint8_t vmxon_region[4096] __attribute__((aligned(4096)));

#define VMX_NO_OPERAND (~(uint64_t)0)

/* ---- CPU state accessors not in x86.h --------------------------------- */

static inline void write_cr0(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void read_gdtr(struct x86_desc_ptr *p)
{
    __asm__ __volatile__("sgdt %0" : "=m"(*p));
}

static inline void read_idtr(struct x86_desc_ptr *p)
{
    __asm__ __volatile__("sidt %0" : "=m"(*p));
}

static inline void load_gdtr(const struct x86_desc_ptr *p)
{
    __asm__ __volatile__("lgdt %0" : : "m"(*p) : "memory");
}

#define READ_SEL(name, insn)                                            \
    static inline uint16_t read_##name(void)                            \
    {                                                                   \
        uint16_t v;                                                     \
        __asm__ __volatile__(insn " %0" : "=r"(v));                     \
        return v;                                                       \
    }
READ_SEL(es, "mov %%es,")
READ_SEL(ss, "mov %%ss,")
READ_SEL(ds, "mov %%ds,")
READ_SEL(fs, "mov %%fs,")
READ_SEL(gs, "mov %%gs,")
READ_SEL(tr, "str")
READ_SEL(ldtr, "sldt")
#undef READ_SEL

static uint64_t pa_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;      /* identity map */
}

/* ---- names ------------------------------------------------------------- */

static const char *const exit_names[] = {
    [0] = "exception or NMI", [1] = "external interrupt",
    [2] = "triple fault", [3] = "INIT", [4] = "SIPI", [5] = "I/O SMI",
    [6] = "other SMI", [7] = "interrupt window", [8] = "NMI window",
    [9] = "task switch", [10] = "CPUID", [11] = "GETSEC", [12] = "HLT",
    [13] = "INVD", [14] = "INVLPG", [15] = "RDPMC", [16] = "RDTSC",
    [17] = "RSM", [18] = "VMCALL", [19] = "VMCLEAR", [20] = "VMLAUNCH",
    [21] = "VMPTRLD", [22] = "VMPTRST", [23] = "VMREAD", [24] = "VMRESUME",
    [25] = "VMWRITE", [26] = "VMXOFF", [27] = "VMXON",
    [28] = "control-register access", [29] = "MOV DR",
    [30] = "I/O instruction", [31] = "RDMSR", [32] = "WRMSR",
    [33] = "VM-entry failure: invalid guest state",
    [34] = "VM-entry failure: MSR loading", [36] = "MWAIT",
    [37] = "monitor trap flag", [39] = "MONITOR", [40] = "PAUSE",
    [41] = "VM-entry failure: machine check", [43] = "TPR below threshold",
    [44] = "APIC access", [45] = "virtualized EOI",
    [46] = "GDTR/IDTR access", [47] = "LDTR/TR access",
    [48] = "EPT violation", [49] = "EPT misconfiguration", [50] = "INVEPT",
    [51] = "RDTSCP", [52] = "VMX-preemption timer expired",
    [53] = "INVVPID", [54] = "WBINVD", [55] = "XSETBV", [56] = "APIC write",
    [57] = "RDRAND", [58] = "INVPCID", [59] = "VMFUNC", [60] = "ENCLS",
    [61] = "RDSEED", [62] = "page-modification log full", [63] = "XSAVES",
    [64] = "XRSTORS",
};

const char *vmx_exit_name(unsigned int basic)
{
    if (basic < sizeof(exit_names) / sizeof(exit_names[0]) &&
        exit_names[basic] != NULL)
        return exit_names[basic];
    return "unknown";
}

static const char *const error_names[] = {
    [1] = "VMCALL executed in VMX root operation",
    [2] = "VMCLEAR with invalid physical address",
    [3] = "VMCLEAR with VMXON pointer",
    [4] = "VMLAUNCH with non-clear VMCS",
    [5] = "VMRESUME with non-launched VMCS",
    [6] = "VMRESUME after VMXOFF",
    [7] = "VM entry with invalid control field(s)",
    [8] = "VM entry with invalid host-state field(s)",
    [9] = "VMPTRLD with invalid physical address",
    [10] = "VMPTRLD with VMXON pointer",
    [11] = "VMPTRLD with incorrect VMCS revision identifier",
    [12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
    [13] = "VMWRITE to read-only VMCS component",
    [15] = "VMXON executed in VMX root operation",
    [16] = "VM entry with invalid executive-VMCS pointer",
    [17] = "VM entry with non-launched executive VMCS",
    [18] = "VM entry with executive-VMCS pointer not VMXON pointer",
    [19] = "VMCALL with non-clear VMCS",
    [20] = "VMCALL with invalid VM-exit control fields",
    [22] = "VMCALL with incorrect MSEG revision identifier",
    [23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
    [24] = "VMCALL with invalid SMM-monitor features",
    [25] = "VM entry with invalid VM-execution control fields in "
           "executive VMCS",
    [26] = "VM entry with events blocked by MOV SS",
    [28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_error_name(uint32_t err)
{
    if (err < sizeof(error_names) / sizeof(error_names[0]) &&
        error_names[err] != NULL)
        return error_names[err];
    return "unknown error";
}

/* ---- failure reports ----------------------------------------------------- */

_Noreturn void vmx_die(const char *insn, uint64_t operand,
                       enum vmx_status st)
{
    uint64_t err;

    printf("vmx: %s", insn);
    if (operand != VMX_NO_OPERAND)
        printf(" 0x%lx", operand);
    if (st == VMX_FAIL_INVALID) {
        printf(" failed: VMfailInvalid\n");
    } else if (vmx_try_read(VMCS_INSN_ERROR, &err) == VMX_OK) {
        printf(" failed: VMfailValid, VM-instruction error %lu (%s)\n", err,
               vmx_error_name((uint32_t)err));
    } else {
        printf(" failed: VMfailValid, VM-instruction error unreadable\n");
    }
    exit(VMX_EXIT_VMFAIL);
}

static _Noreturn void vmx_need(const char *what)
{
    printf("vmx: the CPU does not support %s\n", what);
    exit(VMX_EXIT_NO_FEATURE);
}

void vmx_report_exit(const char *who, struct vmx_vcpu *v)
{
    uint64_t rip = 0;

    (void)vmx_try_read(VMCS_GUEST_RIP, &rip);
    printf("%s: exit reason 0x%x (%u, %s), qualification 0x%lx, "
           "guest RIP 0x%lx\n", who, v->reason, v->basic,
           vmx_exit_name(v->basic), v->qual, rip);
    if (v->basic == VMX_EXIT_EXCEPTION &&
        (v->reason & VMX_EXIT_REASON_FAILED_ENTRY) == 0) {
        uint64_t info = 0, code = 0;

        (void)vmx_try_read(VMCS_EXIT_INTR_INFO, &info);
        (void)vmx_try_read(VMCS_EXIT_INTR_ERRCODE, &code);
        printf("%s: interruption info 0x%lx (vector %u %s), error code "
               "0x%lx\n", who, info, VMX_INTR_VECTOR(info),
               rt_exception_name(VMX_INTR_VECTOR(info)), code);
    }
}

/* Every exit reason without a handler ends the image here. */
static enum vmx_action vmx_default_handler(struct vmx_vcpu *v)
{
    if ((v->reason & VMX_EXIT_REASON_FAILED_ENTRY) != 0 ||
        v->basic == VMX_EXIT_INVALID_GUEST ||
        v->basic == VMX_EXIT_MSR_LOADING ||
        v->basic == VMX_EXIT_MACHINE_CHECK) {
        vmx_report_exit("vmx: VM-entry failure", v);
        exit(VMX_EXIT_ENTRY_FAIL);
    }
    vmx_report_exit("vmx: unexpected VM exit", v);
    exit(VMX_EXIT_UNEXPECTED);
}

/* ---- capabilities and controls ------------------------------------------ */

static const uint32_t ctl_field[VMX_CTL__COUNT] = {
    [VMX_CTL_PIN] = VMCS_PIN_CTLS,
    [VMX_CTL_PROC] = VMCS_PROC_CTLS,
    [VMX_CTL_PROC2] = VMCS_PROC_CTLS2,
    [VMX_CTL_EXIT] = VMCS_EXIT_CTLS,
    [VMX_CTL_ENTRY] = VMCS_ENTRY_CTLS,
};

static void read_ctl_msr(enum vmx_ctl_set s, uint32_t msr)
{
    uint64_t v = x86_rdmsr(msr);

    vmx_caps.allowed0[s] = (uint32_t)v;
    vmx_caps.allowed1[s] = (uint32_t)(v >> 32);
}

static void read_caps(void)
{
    bool t;

    vmx_caps.basic = x86_rdmsr(MSR_VMX_BASIC);
    vmx_caps.revision = (uint32_t)(vmx_caps.basic & VMX_BASIC_REVISION);
    vmx_caps.true_ctls = (vmx_caps.basic & VMX_BASIC_TRUE_CTLS) != 0;
    t = vmx_caps.true_ctls;
    read_ctl_msr(VMX_CTL_PIN,
                 t ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED_CTLS);
    read_ctl_msr(VMX_CTL_PROC,
                 t ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED_CTLS);
    read_ctl_msr(VMX_CTL_EXIT, t ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT_CTLS);
    read_ctl_msr(VMX_CTL_ENTRY, t ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY_CTLS);
    /* 0x48B exists only if "activate secondary controls" may be 1, 0x48C
     * only if EPT or VPID may be enabled (SDM Vol. 3C A.3.3, A.10). */
    vmx_caps.allowed0[VMX_CTL_PROC2] = 0;
    vmx_caps.allowed1[VMX_CTL_PROC2] = 0;
    if (vmx_caps.allowed1[VMX_CTL_PROC] & PROC_SECONDARY)
        read_ctl_msr(VMX_CTL_PROC2, MSR_VMX_PROCBASED_CTLS2);
    vmx_caps.ept_vpid = 0;
    if (vmx_caps.allowed1[VMX_CTL_PROC2] & (PROC2_EPT | PROC2_VPID))
        vmx_caps.ept_vpid = x86_rdmsr(MSR_VMX_EPT_VPID_CAP);
    vmx_caps.misc = x86_rdmsr(MSR_VMX_MISC);
    vmx_caps.cr0_fixed0 = x86_rdmsr(MSR_VMX_CR0_FIXED0);
    vmx_caps.cr0_fixed1 = x86_rdmsr(MSR_VMX_CR0_FIXED1);
    vmx_caps.cr4_fixed0 = x86_rdmsr(MSR_VMX_CR4_FIXED0);
    vmx_caps.cr4_fixed1 = x86_rdmsr(MSR_VMX_CR4_FIXED1);
}

uint32_t vmx_ctl_adjust(enum vmx_ctl_set s, uint32_t want)
{
    return (want | vmx_caps.allowed0[s]) & vmx_caps.allowed1[s];
}

bool vmx_ctl_supported(enum vmx_ctl_set s, uint32_t bits)
{
    if (s == VMX_CTL_PROC2 &&
        (vmx_caps.allowed1[VMX_CTL_PROC] & PROC_SECONDARY) == 0)
        return false;
    return (bits & ~vmx_caps.allowed1[s]) == 0;
}

uint32_t vmx_ctl_get(enum vmx_ctl_set s)
{
    if (s == VMX_CTL_PROC2 &&
        (vmx_caps.allowed1[VMX_CTL_PROC] & PROC_SECONDARY) == 0)
        return 0;
    return (uint32_t)vmx_read(ctl_field[s]);
}

int vmx_ctl_set(enum vmx_ctl_set s, uint32_t bits)
{
    if (!vmx_ctl_supported(s, bits))
        return -1;
    vmx_write(ctl_field[s], vmx_ctl_get(s) | bits);
    if (s == VMX_CTL_PROC2 && bits != 0 &&
        (vmx_ctl_get(VMX_CTL_PROC) & PROC_SECONDARY) == 0)
        vmx_write(VMCS_PROC_CTLS, vmx_ctl_get(VMX_CTL_PROC) | PROC_SECONDARY);
    return 0;
}

int vmx_ctl_clear(enum vmx_ctl_set s, uint32_t bits)
{
    if ((bits & vmx_caps.allowed0[s]) != 0)
        return -1;
    if (s == VMX_CTL_PROC2 &&
        (vmx_caps.allowed1[VMX_CTL_PROC] & PROC_SECONDARY) == 0)
        return 0;
    vmx_write(ctl_field[s], vmx_ctl_get(s) & ~bits);
    return 0;
}

/* ---- VMXON / VMXOFF --------------------------------------------------- */

void vmx_on(void)
{
    uint64_t fc, cr0, cr4;
    enum vmx_status st;

    if ((x86_cpuid(1, 0).ecx & CPUID1_ECX_VMX) == 0) {
        printf("vmx: the CPU has no VMX (CPUID.1:ECX[5] = 0)\n");
        exit(VMX_EXIT_NO_VMX);
    }

    /* IA32_FEATURE_CONTROL: lock it with VMXON-outside-SMX allowed, unless
     * firmware locked it already (then VMXON needs bit 2 set). */
    fc = x86_rdmsr(MSR_FEATURE_CONTROL);
    if ((fc & FEATURE_CONTROL_LOCK) == 0) {
        fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_OUTSIDE_SMX;
        x86_wrmsr(MSR_FEATURE_CONTROL, fc);
    } else if ((fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX) == 0) {
        printf("vmx: IA32_FEATURE_CONTROL 0x%lx is locked with VMXON "
               "outside SMX disabled\n", fc);
        exit(VMX_EXIT_DISABLED);
    }

    /* Every VMX structure of the runtime lies in the image, below 4 GiB,
     * so IA32_VMX_BASIC[48] (32-bit physical addresses) never matters. */
    read_caps();

    /* CR0 and CR4: bits set in FIXED0 must be 1, bits clear in FIXED1
     * must be 0 (SDM Vol. 3C A.7, A.8); CR4.VMXE enables VMXON. */
    cr0 = x86_read_cr0();
    cr0 = (cr0 | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1;
    if (cr0 != x86_read_cr0())
        write_cr0(cr0);
    cr4 = (x86_read_cr4() | CR4_VMXE | vmx_caps.cr4_fixed0) &
          vmx_caps.cr4_fixed1;
    if ((cr4 & CR4_VMXE) == 0)
        vmx_need("CR4.VMXE (IA32_VMX_CR4_FIXED1[13] = 0)");
    write_cr4(cr4);

    *(volatile uint32_t *)vmxon_region = vmx_caps.revision;
    st = vmx_try_vmxon(pa_of(vmxon_region));
    if (st != VMX_OK)
        vmx_die("VMXON", pa_of(vmxon_region), st);
}

enum vmx_status vmx_off(void)
{
    return vmx_try_vmxoff();
}

uint64_t vmx_vmxon_pa(void)
{
    return pa_of(vmxon_region);
}

/* ---- VMCS set-up ----------------------------------------------------------- */

/* Segment i (0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS, 6 LDTR, 7 TR) of the
 * guest, copied from the descriptor that selector `sel` names in the
 * current GDT: base, limit (scaled by G), access rights = descriptor bits
 * 47:40 and 55:52.  A null selector gives an unusable segment (AR bit 16);
 * FS and GS keep their bases from the MSRs, as 64-bit mode uses them. */
static void guest_segment(unsigned int i, uint16_t sel,
                          const struct x86_desc_ptr *gdtr)
{
    const uint64_t *gdt = (const uint64_t *)(uintptr_t)gdtr->base;
    uint64_t base = 0, limit = 0, ar = 0x10000;

    if ((sel & ~7u) != 0) {
        uint64_t d = gdt[sel >> 3];

        base = ((d >> 16) & 0xFFFFFF) | (((d >> 56) & 0xFF) << 24);
        if (i == 7)                             /* 16-byte TSS descriptor */
            base |= (gdt[(sel >> 3) + 1] & 0xFFFFFFFF) << 32;
        limit = (d & 0xFFFF) | ((d >> 32) & 0xF0000);
        if (d & (1ull << 55))
            limit = (limit << 12) | 0xFFF;
        ar = (d >> 40) & 0xF0FF;
    }
    if (i == 4)
        base = x86_rdmsr(MSR_FS_BASE);
    else if (i == 5)
        base = x86_rdmsr(MSR_GS_BASE);
    vmx_write(VMCS_GUEST_ES_SEL + 2 * i, sel);
    vmx_write(VMCS_GUEST_ES_BASE + 2 * i, base);
    vmx_write(VMCS_GUEST_ES_LIMIT + 2 * i, limit);
    vmx_write(VMCS_GUEST_ES_AR + 2 * i, ar);
}

static uint64_t tss_base(uint16_t tr, const struct x86_desc_ptr *gdtr)
{
    const uint64_t *gdt = (const uint64_t *)(uintptr_t)gdtr->base;
    uint64_t d = gdt[tr >> 3];

    return ((d >> 16) & 0xFFFFFF) | (((d >> 56) & 0xFF) << 24) |
           ((gdt[(tr >> 3) + 1] & 0xFFFFFFFF) << 32);
}

static void setup_controls(void)
{
    uint32_t exit_ctls = EXIT_HOST_ADDR_SPACE | EXIT_ACK_INTR;
    uint32_t proc2;

    if (!vmx_ctl_supported(VMX_CTL_EXIT, EXIT_HOST_ADDR_SPACE))
        vmx_need("a 64-bit host (exit control 'host address-space size')");
    if (!vmx_ctl_supported(VMX_CTL_ENTRY, ENTRY_IA32E_GUEST))
        vmx_need("64-bit guests (entry control 'IA-32e mode guest')");
    if (!vmx_ctl_supported(VMX_CTL_EXIT, EXIT_ACK_INTR))
        exit_ctls &= ~EXIT_ACK_INTR;

    vmx_write(VMCS_PIN_CTLS, vmx_ctl_adjust(VMX_CTL_PIN, 0));
    vmx_write(VMCS_PROC_CTLS, vmx_ctl_adjust(VMX_CTL_PROC, 0));
    if (vmx_caps.allowed1[VMX_CTL_PROC] & PROC_SECONDARY) {
        proc2 = vmx_ctl_adjust(VMX_CTL_PROC2, 0);
        vmx_write(VMCS_PROC_CTLS2, proc2);
        if (proc2 != 0)
            vmx_write(VMCS_PROC_CTLS,
                      vmx_ctl_adjust(VMX_CTL_PROC, PROC_SECONDARY));
    }
    vmx_write(VMCS_EXIT_CTLS, vmx_ctl_adjust(VMX_CTL_EXIT, exit_ctls));
    vmx_write(VMCS_ENTRY_CTLS,
              vmx_ctl_adjust(VMX_CTL_ENTRY, ENTRY_IA32E_GUEST));

    vmx_write(VMCS_EXCEPTION_BITMAP, 0xFFFFFFFF);
    vmx_write(VMCS_PF_ERRCODE_MASK, 0);
    vmx_write(VMCS_PF_ERRCODE_MATCH, 0);
    vmx_write(VMCS_CR3_TARGET_COUNT, 0);
    vmx_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
    vmx_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
    vmx_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
    vmx_write(VMCS_ENTRY_INTR_INFO, 0);
    vmx_write(VMCS_TSC_OFFSET, 0);
    vmx_write(VMCS_CR0_MASK, 0);        /* the guest owns CR0 and CR4 */
    vmx_write(VMCS_CR4_MASK, 0);
    vmx_write(VMCS_CR0_SHADOW, x86_read_cr0());
    vmx_write(VMCS_CR4_SHADOW, x86_read_cr4());
}

static void setup_host(const struct x86_desc_ptr *gdtr,
                       const struct x86_desc_ptr *idtr)
{
    uint16_t tr = read_tr();

    vmx_write(VMCS_HOST_CR0, x86_read_cr0());
    vmx_write(VMCS_HOST_CR3, x86_read_cr3());
    vmx_write(VMCS_HOST_CR4, x86_read_cr4());
    vmx_write(VMCS_HOST_ES_SEL, read_es());
    vmx_write(VMCS_HOST_CS_SEL, x86_read_cs());
    vmx_write(VMCS_HOST_SS_SEL, read_ss());
    vmx_write(VMCS_HOST_DS_SEL, read_ds());
    vmx_write(VMCS_HOST_FS_SEL, read_fs());
    vmx_write(VMCS_HOST_GS_SEL, read_gs());
    vmx_write(VMCS_HOST_TR_SEL, tr);
    vmx_write(VMCS_HOST_FS_BASE, x86_rdmsr(MSR_FS_BASE));
    vmx_write(VMCS_HOST_GS_BASE, x86_rdmsr(MSR_GS_BASE));
    vmx_write(VMCS_HOST_TR_BASE, tss_base(tr, gdtr));
    vmx_write(VMCS_HOST_GDTR_BASE, gdtr->base);
    vmx_write(VMCS_HOST_IDTR_BASE, idtr->base);
    vmx_write(VMCS_HOST_SYSENTER_CS, x86_rdmsr(MSR_SYSENTER_CS));
    vmx_write(VMCS_HOST_SYSENTER_ESP, x86_rdmsr(MSR_SYSENTER_ESP));
    vmx_write(VMCS_HOST_SYSENTER_EIP, x86_rdmsr(MSR_SYSENTER_EIP));
    vmx_write(VMCS_HOST_RIP, pa_of(vmx_exit_point));
    /* HOST_RSP is written by vmx_enter(). */
}

static void setup_guest(struct vmx_vcpu *v, const struct x86_desc_ptr *gdtr,
                        const struct x86_desc_ptr *idtr)
{
    vmx_write(VMCS_GUEST_CR0, x86_read_cr0());
    vmx_write(VMCS_GUEST_CR3, x86_read_cr3());
    vmx_write(VMCS_GUEST_CR4, x86_read_cr4());
    vmx_write(VMCS_GUEST_DR7, 0x400);
    vmx_write(VMCS_GUEST_DEBUGCTL, 0);

    guest_segment(0, read_es(), gdtr);
    guest_segment(1, x86_read_cs(), gdtr);
    guest_segment(2, read_ss(), gdtr);
    guest_segment(3, read_ds(), gdtr);
    guest_segment(4, read_fs(), gdtr);
    guest_segment(5, read_gs(), gdtr);
    guest_segment(6, read_ldtr(), gdtr);
    guest_segment(7, read_tr(), gdtr);
    vmx_write(VMCS_GUEST_GDTR_BASE, gdtr->base);
    vmx_write(VMCS_GUEST_GDTR_LIMIT, gdtr->limit);
    vmx_write(VMCS_GUEST_IDTR_BASE, idtr->base);
    vmx_write(VMCS_GUEST_IDTR_LIMIT, idtr->limit);

    vmx_write(VMCS_GUEST_SYSENTER_CS, x86_rdmsr(MSR_SYSENTER_CS));
    vmx_write(VMCS_GUEST_SYSENTER_ESP, x86_rdmsr(MSR_SYSENTER_ESP));
    vmx_write(VMCS_GUEST_SYSENTER_EIP, x86_rdmsr(MSR_SYSENTER_EIP));

    vmx_write(VMCS_GUEST_RSP, pa_of(v->stack + sizeof(v->stack)));
    vmx_write(VMCS_GUEST_RIP, pa_of(vmx_guest_entry));
    vmx_write(VMCS_GUEST_RFLAGS, RFLAGS_FIXED);
    vmx_write(VMCS_GUEST_INTERRUPTIBILITY, 0);
    vmx_write(VMCS_GUEST_ACTIVITY, 0);
    vmx_write(VMCS_GUEST_PENDING_DBG, 0);
    vmx_write(VMCS_LINK_POINTER, ~(uint64_t)0);
}

void vmx_vcpu_load(struct vmx_vcpu *v)
{
    enum vmx_status st = vmx_try_vmptrld(pa_of(v->vmcs));

    if (st != VMX_OK)
        vmx_die("VMPTRLD", pa_of(v->vmcs), st);
}

void vmx_vcpu_init(struct vmx_vcpu *v, vmx_guest_fn fn, void *arg)
{
    struct x86_desc_ptr gdtr, idtr;
    void *user = v->user;
    enum vmx_status st;

    memset(v, 0, sizeof(*v));
    v->user = user;

    /* VMCS region: revision id in bits 30:0 of the first word, bit 31
     * (shadow VMCS) clear.  VMCLEAR makes the launch state "clear". */
    *(volatile uint32_t *)v->vmcs = vmx_caps.revision;
    st = vmx_try_vmclear(pa_of(v->vmcs));
    if (st != VMX_OK)
        vmx_die("VMCLEAR", pa_of(v->vmcs), st);
    vmx_vcpu_load(v);

    read_gdtr(&gdtr);
    read_idtr(&idtr);
    v->host_gdtr = gdtr;
    v->host_idtr = idtr;
    setup_controls();
    setup_host(&gdtr, &idtr);
    setup_guest(v, &gdtr, &idtr);

    v->regs.rdi = (uint64_t)(uintptr_t)arg;
    v->regs.rsi = (uint64_t)(uintptr_t)fn;
}

void vmx_set_handler(struct vmx_vcpu *v, unsigned int reason,
                     vmx_handler_fn fn)
{
    if (reason < VMX_NR_EXIT_REASONS)
        v->handlers[reason] = fn;
}

/* ---- the exit loop -------------------------------------------------------- */

/* VM exits leave GDTR.limit = IDTR.limit = 0xFFFF (SDM Vol. 3C "Loading
 * Host Segment and Descriptor-Table Registers"); restore the real limits
 * once per vmx_run() rather than on every exit, as KVM does. */
static enum vmx_run_result vmx_run_end(struct vmx_vcpu *v,
                                       enum vmx_run_result r)
{
    load_gdtr(&v->host_gdtr);
    x86_lidt(&v->host_idtr);
    return r;
}

enum vmx_run_result vmx_run(struct vmx_vcpu *v)
{
    for (;;) {
        uint64_t fl = vmx_enter(&v->regs, v->launched, &v->host_rsp);
        vmx_handler_fn fn = NULL;
        enum vmx_action act;

        if (fl != 0) {
            v->vmfail = vmx_status_of((fl & 0x01) != 0, (fl & 0x40) != 0);
            if (!v->vmfail_returns)
                vmx_die(v->launched ? "VMRESUME" : "VMLAUNCH",
                        VMX_NO_OPERAND, v->vmfail);
            v->insn_error = v->vmfail == VMX_FAIL_VALID
                            ? (uint32_t)vmx_read(VMCS_INSN_ERROR) : 0;
            return vmx_run_end(v, VMX_RUN_VMFAIL);
        }

        v->reason = (uint32_t)vmx_read(VMCS_EXIT_REASON);
        v->basic = v->reason & 0xFFFF;
        v->qual = vmx_read(VMCS_EXIT_QUAL);
        /* A failed VM entry leaves the launch state as it was. */
        if ((v->reason & VMX_EXIT_REASON_FAILED_ENTRY) == 0)
            v->launched = true;

        if (v->basic == VMX_EXIT_VMCALL &&
            (v->reason & VMX_EXIT_REASON_FAILED_ENTRY) == 0 &&
            vmx_read(VMCS_GUEST_RIP) == pa_of(vmx_guest_done)) {
            v->result = v->regs.rax;
            return vmx_run_end(v, VMX_RUN_DONE);
        }

        v->exits++;
        if (v->basic < VMX_NR_EXIT_REASONS) {
            v->count[v->basic]++;
            fn = v->handlers[v->basic];
        }
        act = fn != NULL ? fn(v) : vmx_default_handler(v);
        if (act == VMX_SKIP)
            vmx_skip_insn(v);
        else if (act == VMX_STOP)
            return vmx_run_end(v, VMX_RUN_STOPPED);
    }
}

/* ---- handler helpers ------------------------------------------------------ */

void vmx_skip_insn(struct vmx_vcpu *v)
{
    (void)v;
    vmx_write(VMCS_GUEST_RIP,
              vmx_read(VMCS_GUEST_RIP) + vmx_read(VMCS_EXIT_INSN_LEN));
}

void vmx_emulate_cpuid(struct vmx_vcpu *v)
{
    struct x86_cpuid r = x86_cpuid((uint32_t)v->regs.rax,
                                   (uint32_t)v->regs.rcx);

    v->regs.rax = r.eax;
    v->regs.rbx = r.ebx;
    v->regs.rcx = r.ecx;
    v->regs.rdx = r.edx;
}

uint64_t vmx_gpr(struct vmx_vcpu *v, unsigned int n)
{
    if (n == 4)
        return vmx_read(VMCS_GUEST_RSP);
    return n < 16 ? ((const uint64_t *)&v->regs)[n] : 0;
}

void vmx_set_gpr(struct vmx_vcpu *v, unsigned int n, uint64_t val)
{
    if (n == 4)
        vmx_write(VMCS_GUEST_RSP, val);
    else if (n < 16)
        ((uint64_t *)&v->regs)[n] = val;
}

/* ---- MSR bitmap ----------------------------------------------------------- */

void vmx_msr_bitmap_enable(struct vmx_vcpu *v)
{
    if (vmx_ctl_set(VMX_CTL_PROC, PROC_USE_MSR_BITMAPS) != 0)
        vmx_need("MSR bitmaps");
    vmx_write(VMCS_MSR_BITMAP, pa_of(v->msr_bitmap));
}

void vmx_msr_intercept(struct vmx_vcpu *v, uint32_t msr, bool rd, bool wr)
{
    uint32_t base, idx;

    if (msr <= 0x1FFF) {
        base = 0x000;
        idx = msr;
    } else if (msr >= 0xC0000000 && msr <= 0xC0001FFF) {
        base = 0x400;
        idx = msr - 0xC0000000;
    } else {
        return;                 /* outside both ranges: always exits */
    }
    if (rd)
        v->msr_bitmap[base + idx / 8] |= (uint8_t)(1u << (idx % 8));
    else
        v->msr_bitmap[base + idx / 8] &= (uint8_t)~(1u << (idx % 8));
    if (wr)
        v->msr_bitmap[0x800 + base + idx / 8] |= (uint8_t)(1u << (idx % 8));
    else
        v->msr_bitmap[0x800 + base + idx / 8] &= (uint8_t)~(1u << (idx % 8));
}

/* ---- EPT ------------------------------------------------------------------ */

int vmx_ept_init(struct vmx_ept *e)
{
    uint64_t cap = vmx_caps.ept_vpid, mt;

    if (!vmx_ctl_supported(VMX_CTL_PROC2, PROC2_EPT) ||
        (cap & EPT_CAP_WALK4) == 0 || (cap & EPT_CAP_2M) == 0 ||
        (cap & (EPT_CAP_WB | EPT_CAP_UC)) == 0)
        return -1;
    memset(e, 0, sizeof(*e));
    /* Non-leaf entries: RWX and the next table; bits 7:3 zero. */
    e->pml4[0] = pa_of(e->pdpt) | EPT_RWX;
    for (unsigned int i = 0; i < 4; i++) {
        e->pdpt[i] = pa_of(e->pd[i]) | EPT_RWX;
        for (unsigned int j = 0; j < 512; j++)
            e->pd[i][j] = ((uint64_t)(i * 512 + j) << 21) | EPT_PS |
                          EPT_MT_WB | EPT_RWX;
    }
    /* EPTP: memory type of the paging structures in bits 2:0 (WB 6 or
     * UC 0), page-walk length - 1 = 3 in bits 5:3, no A/D flags. */
    mt = (cap & EPT_CAP_WB) != 0 ? 6 : 0;
    e->eptp = pa_of(e->pml4) | (3u << 3) | mt;
    return 0;
}

uint64_t *vmx_ept_pte(struct vmx_ept *e, uint64_t gpa)
{
    uint64_t *pde, *pt;

    if (gpa >> 32 != 0)
        return NULL;
    pde = &e->pd[gpa >> 30][(gpa >> 21) & 511];
    if ((*pde & EPT_PS) != 0) {
        uint64_t base = *pde & EPT_ADDR & ~(uint64_t)0x1FFFFF;
        uint64_t flags = *pde & (EPT_RWX | (7u << 3) | 0x40);

        if (e->pt_used == VMX_EPT_PT_POOL)
            return NULL;
        pt = e->pt[e->pt_used++];
        for (unsigned int k = 0; k < 512; k++)
            pt[k] = (base + ((uint64_t)k << 12)) | flags;
        *pde = pa_of(pt) | EPT_RWX;
    }
    pt = (uint64_t *)(uintptr_t)(*pde & EPT_ADDR);
    return &pt[(gpa >> 12) & 511];
}

int vmx_ept_enable(struct vmx_ept *e)
{
    uint64_t cap = vmx_caps.ept_vpid;
    enum vmx_status st = VMX_OK;

    if (vmx_ctl_set(VMX_CTL_PROC2, PROC2_EPT) != 0)
        return -1;
    vmx_write(VMCS_EPT_POINTER, e->eptp);
    /* Drop any cached translations tagged with this EPTP. */
    if ((cap & EPT_CAP_INVEPT) != 0 && (cap & EPT_CAP_INVEPT_SINGLE) != 0)
        st = vmx_try_invept(1, e->eptp);
    else if ((cap & EPT_CAP_INVEPT) != 0 && (cap & EPT_CAP_INVEPT_ALL) != 0)
        st = vmx_try_invept(2, 0);
    if (st != VMX_OK)
        vmx_die("INVEPT", e->eptp, st);
    return 0;
}
