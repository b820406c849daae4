/* workloads/x86/vmx.h: a small VMM runtime for the vtsim x86 images, in the
 * style of kvm-unit-tests' vmx tests.  It runs on top of the bare-metal
 * runtime (rt.h): the VMM is main() in VMX root operation, the guest is a C
 * function of the same image, run in VMX non-root operation as a 64-bit
 * guest that shares the host's GDT, IDT, TSS and identity page tables.
 * See docs/vmx-runtime.md.
 *
 * A student writes only the guest loop and the exit handler:
 *
 *     static struct vmx_vcpu vcpu;             // 4-KiB aligned, in .bss
 *
 *     static uint64_t guest(void *arg)         // runs in VMX non-root
 *     {
 *         for (int i = 0; i < 10; i++)
 *             x86_cpuid(0, 0);                 // each one is a VM exit
 *         return 0;                            // ends vmx_run()
 *     }
 *
 *     static enum vmx_action on_cpuid(struct vmx_vcpu *v)
 *     {
 *         vmx_emulate_cpuid(v);                // host CPUID into guest regs
 *         return VMX_SKIP;                     // RIP += instruction length
 *     }
 *
 *     int main(void)
 *     {
 *         vmx_on();                            // or exits with a message
 *         vmx_vcpu_init(&vcpu, guest, NULL);   // VMCLEAR, VMPTRLD, VMCS
 *         vmx_set_handler(&vcpu, VMX_EXIT_CPUID, on_cpuid);
 *         return vmx_run(&vcpu) == VMX_RUN_DONE ? 0 : 1;
 *     }
 *
 * vmx_run() enters the guest (VMLAUNCH the first time, VMRESUME after),
 * and on each VM exit reads the exit reason and the exit qualification into
 * the vcpu, saves the guest's general registers into vcpu->regs and calls
 * the handler installed for the basic exit reason.  The handler returns
 * VMX_RESUME (re-enter at the saved guest RIP: the exiting instruction runs
 * again, right for faults the handler fixed), VMX_SKIP (advance guest RIP
 * by the VM-exit instruction length, then re-enter: the handler emulated the
 * instruction) or VMX_STOP (vmx_run returns VMX_RUN_STOPPED).  When the
 * guest function returns, vmx_run returns VMX_RUN_DONE with the function's
 * return value in vcpu->result.
 *
 * Errors are reported, never ignored: a VMfail of any VMX instruction prints
 * the instruction, VMfailInvalid or VMfailValid with the VM-instruction
 * error number (field 0x4400) and its meaning, and exits with
 * VMX_EXIT_VMFAIL; an exit reason without a handler prints the reason,
 * qualification and guest RIP and exits with VMX_EXIT_UNEXPECTED; a
 * VM-entry failure (exit reason bit 31) without a handler exits with
 * VMX_EXIT_ENTRY_FAIL.  Images that provoke VMfail on purpose set
 * vcpu->vmfail_returns, or use the vmx_try_* instruction wrappers.
 *
 * Sources of the numbers: Intel SDM Vol. 3C (order number 326019), chapters
 * "VMX Non-Root Operation", "VM Entries", "VM Exits", "VMX Instruction
 * Reference", appendices A (capability MSRs), B (field encodings) and C
 * (exit reasons); restated in /work/shared/reference/hw-virt-facts.md
 * section A (keys KUT-vmx, BX-vmxh, LX-vmx).
 *
 * Approximations: one logical processor; no VPID (every VM entry and exit
 * flushes the guest's linear mappings); no interrupts (RFLAGS.IF = 0 in
 * host and guest, so "acknowledge interrupt on exit" never matters); guest
 * CR2, DR0-3, XCR0 and the FPU are not switched (the guest must not rely on
 * them); guest and host share EFER, PAT, STAR/LSTAR and the FS/GS/KERNEL_GS
 * bases (no MSR-load/store lists and no load/save-EFER/PAT controls).
 */
#ifndef WORKLOADS_X86_VMX_H
#define WORKLOADS_X86_VMX_H

#include "rt.h"
#ifndef __ASSEMBLER__
#include <stdbool.h>
#endif

/* ---- exit codes of the VMM runtime (QEMU status is (code << 1) | 1) ---- */
#define VMX_EXIT_NO_VMX         0x70    /* CPUID.1:ECX.VMX[bit 5] = 0 */
#define VMX_EXIT_DISABLED       0x71    /* IA32_FEATURE_CONTROL locked, VMXON
                                           outside SMX not allowed */
#define VMX_EXIT_VMFAIL         0x72    /* a VMX instruction failed */
#define VMX_EXIT_UNEXPECTED     0x73    /* exit reason without a handler */
#define VMX_EXIT_ENTRY_FAIL     0x74    /* VM-entry failure exit (bit 31) */
#define VMX_EXIT_NO_FEATURE     0x75    /* a needed VMX capability missing */

/* ---- CPUID, CR4, MSRs --------------------------------------------------- */
#define CPUID1_ECX_VMX          (1u << 5)
#define CR4_VMXE                0x00002000
#define MSR_FEATURE_CONTROL     0x0000003A
#define FEATURE_CONTROL_LOCK    0x1
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX 0x4
#define MSR_SYSENTER_CS         0x00000174
#define MSR_SYSENTER_ESP        0x00000175
#define MSR_SYSENTER_EIP        0x00000176
#define MSR_FS_BASE             0xC0000100
#define MSR_GS_BASE             0xC0000101
#define MSR_KERNEL_GS_BASE      0xC0000102
#define MSR_TSC_AUX             0xC0000103

#define MSR_VMX_BASIC           0x480
#define MSR_VMX_PINBASED_CTLS   0x481
#define MSR_VMX_PROCBASED_CTLS  0x482
#define MSR_VMX_EXIT_CTLS       0x483
#define MSR_VMX_ENTRY_CTLS      0x484
#define MSR_VMX_MISC            0x485
#define MSR_VMX_CR0_FIXED0      0x486
#define MSR_VMX_CR0_FIXED1      0x487
#define MSR_VMX_CR4_FIXED0      0x488
#define MSR_VMX_CR4_FIXED1      0x489
#define MSR_VMX_PROCBASED_CTLS2 0x48B
#define MSR_VMX_EPT_VPID_CAP    0x48C
#define MSR_VMX_TRUE_PINBASED   0x48D
#define MSR_VMX_TRUE_PROCBASED  0x48E
#define MSR_VMX_TRUE_EXIT       0x48F
#define MSR_VMX_TRUE_ENTRY      0x490

#define VMX_BASIC_REVISION      0x7FFFFFFFull
#define VMX_BASIC_TRUE_CTLS     (1ull << 55)

/* EPT_VPID_CAP (0x48C) bits used here */
#define EPT_CAP_WALK4           (1ull << 6)
#define EPT_CAP_UC              (1ull << 8)
#define EPT_CAP_WB              (1ull << 14)
#define EPT_CAP_2M              (1ull << 16)
#define EPT_CAP_INVEPT          (1ull << 20)
#define EPT_CAP_INVEPT_SINGLE   (1ull << 25)
#define EPT_CAP_INVEPT_ALL      (1ull << 26)

/* ---- VMCS field encodings (SDM Vol. 3C appendix B) ---------------------- */
/* 16-bit */
#define VMCS_VPID               0x0000
#define VMCS_GUEST_ES_SEL       0x0800  /* +2 per segment: ES CS SS DS FS GS
                                           LDTR TR */
#define VMCS_GUEST_CS_SEL       0x0802
#define VMCS_GUEST_SS_SEL       0x0804
#define VMCS_GUEST_DS_SEL       0x0806
#define VMCS_GUEST_FS_SEL       0x0808
#define VMCS_GUEST_GS_SEL       0x080A
#define VMCS_GUEST_LDTR_SEL     0x080C
#define VMCS_GUEST_TR_SEL       0x080E
#define VMCS_HOST_ES_SEL        0x0C00
#define VMCS_HOST_CS_SEL        0x0C02
#define VMCS_HOST_SS_SEL        0x0C04
#define VMCS_HOST_DS_SEL        0x0C06
#define VMCS_HOST_FS_SEL        0x0C08
#define VMCS_HOST_GS_SEL        0x0C0A
#define VMCS_HOST_TR_SEL        0x0C0C
/* 64-bit */
#define VMCS_IO_BITMAP_A        0x2000
#define VMCS_IO_BITMAP_B        0x2002
#define VMCS_MSR_BITMAP         0x2004
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR 0x2008
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200A
#define VMCS_TSC_OFFSET         0x2010
#define VMCS_EPT_POINTER        0x201A
#define VMCS_GUEST_PHYS_ADDR    0x2400
#define VMCS_LINK_POINTER       0x2800
#define VMCS_GUEST_DEBUGCTL     0x2802
/* 32-bit control */
#define VMCS_PIN_CTLS           0x4000
#define VMCS_PROC_CTLS          0x4002
#define VMCS_EXCEPTION_BITMAP   0x4004
#define VMCS_PF_ERRCODE_MASK    0x4006
#define VMCS_PF_ERRCODE_MATCH   0x4008
#define VMCS_CR3_TARGET_COUNT   0x400A
#define VMCS_EXIT_CTLS          0x400C
#define VMCS_EXIT_MSR_STORE_COUNT 0x400E
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010
#define VMCS_ENTRY_CTLS         0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014
#define VMCS_ENTRY_INTR_INFO    0x4016
#define VMCS_ENTRY_EXC_ERRCODE  0x4018
#define VMCS_ENTRY_INSN_LEN     0x401A
#define VMCS_TPR_THRESHOLD      0x401C
#define VMCS_PROC_CTLS2         0x401E
/* 32-bit read-only */
#define VMCS_INSN_ERROR         0x4400
#define VMCS_EXIT_REASON        0x4402
#define VMCS_EXIT_INTR_INFO     0x4404
#define VMCS_EXIT_INTR_ERRCODE  0x4406
#define VMCS_IDT_VECTORING_INFO 0x4408
#define VMCS_IDT_VECTORING_ERRCODE 0x440A
#define VMCS_EXIT_INSN_LEN      0x440C
#define VMCS_EXIT_INSN_INFO     0x440E
/* 32-bit guest / host */
#define VMCS_GUEST_ES_LIMIT     0x4800  /* +2 per segment, then GDTR, IDTR */
#define VMCS_GUEST_GDTR_LIMIT   0x4810
#define VMCS_GUEST_IDTR_LIMIT   0x4812
#define VMCS_GUEST_ES_AR        0x4814  /* +2 per segment */
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824
#define VMCS_GUEST_ACTIVITY     0x4826
#define VMCS_GUEST_SYSENTER_CS  0x482A
#define VMCS_HOST_SYSENTER_CS   0x4C00
/* natural width */
#define VMCS_CR0_MASK           0x6000
#define VMCS_CR4_MASK           0x6002
#define VMCS_CR0_SHADOW         0x6004
#define VMCS_CR4_SHADOW         0x6006
#define VMCS_EXIT_QUAL          0x6400
#define VMCS_GUEST_LINEAR_ADDR  0x640A
#define VMCS_GUEST_CR0          0x6800
#define VMCS_GUEST_CR3          0x6802
#define VMCS_GUEST_CR4          0x6804
#define VMCS_GUEST_ES_BASE      0x6806  /* +2 per segment, then GDTR, IDTR */
#define VMCS_GUEST_GDTR_BASE    0x6816
#define VMCS_GUEST_IDTR_BASE    0x6818
#define VMCS_GUEST_DR7          0x681A
#define VMCS_GUEST_RSP          0x681C
#define VMCS_GUEST_RIP          0x681E
#define VMCS_GUEST_RFLAGS       0x6820
#define VMCS_GUEST_PENDING_DBG  0x6822
#define VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMCS_HOST_CR0           0x6C00
#define VMCS_HOST_CR3           0x6C02
#define VMCS_HOST_CR4           0x6C04
#define VMCS_HOST_FS_BASE       0x6C06
#define VMCS_HOST_GS_BASE       0x6C08
#define VMCS_HOST_TR_BASE       0x6C0A
#define VMCS_HOST_GDTR_BASE     0x6C0C
#define VMCS_HOST_IDTR_BASE     0x6C0E
#define VMCS_HOST_SYSENTER_ESP  0x6C10
#define VMCS_HOST_SYSENTER_EIP  0x6C12
#define VMCS_HOST_RSP           0x6C14
#define VMCS_HOST_RIP           0x6C16

/* ---- control bits (SDM Vol. 3C "VM-Execution Control Fields" etc.) ------ */
#define PIN_EXTINT_EXITING      (1u << 0)
#define PIN_NMI_EXITING         (1u << 3)
#define PROC_HLT_EXITING        (1u << 7)
#define PROC_INVLPG_EXITING     (1u << 9)
#define PROC_RDTSC_EXITING      (1u << 12)
#define PROC_CR3_LOAD_EXITING   (1u << 15)
#define PROC_CR3_STORE_EXITING  (1u << 16)
#define PROC_CR8_LOAD_EXITING   (1u << 19)
#define PROC_CR8_STORE_EXITING  (1u << 20)
#define PROC_TPR_SHADOW         (1u << 21)
#define PROC_UNCOND_IO_EXITING  (1u << 24)
#define PROC_USE_IO_BITMAPS     (1u << 25)
#define PROC_USE_MSR_BITMAPS    (1u << 28)
#define PROC_SECONDARY          (1u << 31)
#define PROC2_EPT               (1u << 1)
#define PROC2_VPID              (1u << 5)
#define PROC2_UNRESTRICTED      (1u << 7)
#define EXIT_SAVE_DEBUG         (1u << 2)
#define EXIT_HOST_ADDR_SPACE    (1u << 9)
#define EXIT_ACK_INTR           (1u << 15)
#define ENTRY_LOAD_DEBUG        (1u << 2)
#define ENTRY_IA32E_GUEST       (1u << 9)

/* ---- basic exit reasons (SDM Vol. 3C appendix C) ------------------------ */
#define VMX_EXIT_EXCEPTION      0
#define VMX_EXIT_EXTINT         1
#define VMX_EXIT_TRIPLE_FAULT   2
#define VMX_EXIT_CPUID          10
#define VMX_EXIT_HLT            12
#define VMX_EXIT_INVLPG         14
#define VMX_EXIT_RDTSC          16
#define VMX_EXIT_VMCALL         18
#define VMX_EXIT_CR_ACCESS      28
#define VMX_EXIT_IO             30
#define VMX_EXIT_RDMSR          31
#define VMX_EXIT_WRMSR          32
#define VMX_EXIT_INVALID_GUEST  33      /* VM-entry failure */
#define VMX_EXIT_MSR_LOADING    34      /* VM-entry failure */
#define VMX_EXIT_MACHINE_CHECK  41      /* VM-entry failure */
#define VMX_EXIT_EPT_VIOLATION  48
#define VMX_EXIT_EPT_MISCONFIG  49
#define VMX_NR_EXIT_REASONS     96      /* handler table size */
#define VMX_EXIT_REASON_FAILED_ENTRY 0x80000000u

/* Exit-qualification fields */
#define VMX_QUAL_CR_NUM(q)      ((unsigned int)(q) & 0xF)
#define VMX_QUAL_CR_TYPE(q)     ((unsigned int)((q) >> 4) & 3) /* 0 to CR,
                                                     1 from CR, 2 CLTS, 3 LMSW */
#define VMX_QUAL_CR_GPR(q)      ((unsigned int)((q) >> 8) & 0xF)
#define VMX_QUAL_IO_SIZE(q)     ((unsigned int)((q) & 7) + 1)
#define VMX_QUAL_IO_IN          0x8
#define VMX_QUAL_IO_STRING      0x10
#define VMX_QUAL_IO_REP         0x20
#define VMX_QUAL_IO_IMM         0x40
#define VMX_QUAL_IO_PORT(q)     ((unsigned int)((q) >> 16) & 0xFFFF)
#define EPT_QUAL_READ           0x001
#define EPT_QUAL_WRITE          0x002
#define EPT_QUAL_FETCH          0x004
#define EPT_QUAL_ALLOWED_R      0x008
#define EPT_QUAL_ALLOWED_W      0x010
#define EPT_QUAL_ALLOWED_X      0x020
#define EPT_QUAL_GLA_VALID      0x080
#define EPT_QUAL_FINAL          0x100

/* Interruption information (exit 0x4404, entry 0x4016) */
#define VMX_INTR_VECTOR(i)      ((unsigned int)(i) & 0xFF)
#define VMX_INTR_TYPE(i)        (((unsigned int)(i) >> 8) & 7)
#define VMX_INTR_TYPE_HW_EXC    3
#define VMX_INTR_ERRCODE_VALID  (1u << 11)
#define VMX_INTR_VALID          (1u << 31)

/* EPT entries */
#define EPT_R                   0x1
#define EPT_W                   0x2
#define EPT_X                   0x4
#define EPT_RWX                 0x7
#define EPT_MT_WB               (6u << 3)
#define EPT_PS                  0x80
#define EPT_ADDR                0x000FFFFFFFFFF000ull

#ifndef __ASSEMBLER__

/* ---- capabilities, read by vmx_on() ------------------------------------- */
enum vmx_ctl_set {
    VMX_CTL_PIN,
    VMX_CTL_PROC,
    VMX_CTL_PROC2,
    VMX_CTL_EXIT,
    VMX_CTL_ENTRY,
    VMX_CTL__COUNT
};

struct vmx_caps {
    uint64_t basic;             /* IA32_VMX_BASIC */
    uint64_t misc;              /* IA32_VMX_MISC */
    uint64_t ept_vpid;          /* IA32_VMX_EPT_VPID_CAP, 0 if absent */
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    uint32_t revision;          /* BASIC[30:0] */
    bool     true_ctls;         /* BASIC[55]: TRUE MSRs 0x48D-0x490 used */
    uint32_t allowed0[VMX_CTL__COUNT];  /* bits that must be 1 */
    uint32_t allowed1[VMX_CTL__COUNT];  /* bits that may be 1 */
};

extern struct vmx_caps vmx_caps;

/* ---- the vcpu ------------------------------------------------------------
 * Guest general registers, in the order of the register numbers in exit
 * qualifications and instruction information (0 RAX, 1 RCX, 2 RDX, 3 RBX,
 * 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15).  The rsp slot is not used: the
 * guest RSP lives in the VMCS (vmx_gpr()/vmx_set_gpr() handle index 4). */
struct vmx_gprs {
    uint64_t rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

enum vmx_action {
    VMX_RESUME,                 /* re-enter at the guest RIP as saved */
    VMX_SKIP,                   /* guest RIP += exit instruction length */
    VMX_STOP                    /* vmx_run() returns VMX_RUN_STOPPED */
};

enum vmx_run_result {
    VMX_RUN_DONE,               /* the guest function returned */
    VMX_RUN_STOPPED,            /* a handler returned VMX_STOP */
    VMX_RUN_VMFAIL              /* VMLAUNCH/VMRESUME failed (only with
                                   vmfail_returns set) */
};

/* Status of a VMX instruction: RFLAGS.CF / RFLAGS.ZF after it. */
enum vmx_status {
    VMX_OK = 0,                 /* VMsucceed */
    VMX_FAIL_INVALID = 1,       /* CF = 1: no current VMCS / bad pointer */
    VMX_FAIL_VALID = 2          /* ZF = 1: error number in field 0x4400 */
};

struct vmx_vcpu;
typedef enum vmx_action (*vmx_handler_fn)(struct vmx_vcpu *v);
typedef uint64_t (*vmx_guest_fn)(void *arg);

#define VMX_GUEST_STACK 8192

struct vmx_vcpu {
    uint8_t  vmcs[4096];                /* VMCS region (4-KiB aligned) */
    uint8_t  msr_bitmap[4096];          /* see vmx_msr_bitmap_enable() */
    uint8_t  stack[VMX_GUEST_STACK];    /* the guest's stack */

    /* Guest state the runtime keeps outside the VMCS. */
    struct vmx_gprs regs;

    /* Filled on every VM exit before the handler runs. */
    uint32_t reason;            /* full exit-reason field (0x4402) */
    uint32_t basic;             /* reason & 0xFFFF */
    uint64_t qual;              /* exit qualification (0x6400) */

    /* Statistics: exits given to a handler, per basic reason (the VMCALL
     * that ends the guest function is not counted). */
    uint64_t count[VMX_NR_EXIT_REASONS];
    uint64_t exits;

    /* Outcome of vmx_run(). */
    uint64_t result;            /* guest function's return value */
    enum vmx_status vmfail;     /* for VMX_RUN_VMFAIL */
    uint32_t insn_error;        /* field 0x4400 when vmfail = VALID */

    /* Behaviour switches (set after vmx_vcpu_init). */
    bool vmfail_returns;        /* VMLAUNCH/VMRESUME VMfail: return
                                   VMX_RUN_VMFAIL instead of exiting */
    bool launched;              /* next entry uses VMRESUME */

    vmx_handler_fn handlers[VMX_NR_EXIT_REASONS];
    void    *user;              /* free for the image's own use */
    uint64_t host_rsp;          /* last value written to HOST_RSP */
    /* GDTR and IDTR as vmx_vcpu_init() found them: a VM exit sets both
     * limits to 0xFFFF, vmx_run() puts them back before it returns. */
    struct x86_desc_ptr host_gdtr, host_idtr;
} __attribute__((aligned(4096)));

/* ---- the API -------------------------------------------------------------- */

/* Enter VMX root operation: checks CPUID.1:ECX.VMX, sets and locks
 * IA32_FEATURE_CONTROL if it is unlocked, reads the capability MSRs into
 * vmx_caps, applies the CR0/CR4 fixed bits (which sets CR4.VMXE) and runs
 * VMXON.  Any failure prints why and exits (VMX_EXIT_*). */
void vmx_on(void);
/* VMXOFF; returns its status. */
enum vmx_status vmx_off(void);
/* Physical address of the VMXON region (for tests that misuse it). */
uint64_t vmx_vmxon_pa(void);

/* Make v's VMCS current and fill it for a 64-bit guest that starts in
 * fn(arg) on v->stack (VMCLEAR, VMPTRLD, then VMWRITEs; see
 * docs/vmx-runtime.md for every field).  Resets the handler table, the
 * counters, the MSR bitmap (all zero, not enabled) and the launch state.
 * Default controls: the allowed-0 bits of each capability MSR plus exit
 * "host address-space size" and "acknowledge interrupt on exit" and entry
 * "IA-32e mode guest"; exception bitmap 0xFFFFFFFF (every guest exception
 * exits, so nothing is delivered through the shared IDT). */
void vmx_vcpu_init(struct vmx_vcpu *v, vmx_guest_fn fn, void *arg);

/* VMPTRLD v's VMCS (when switching between vcpus after vmx_vcpu_init). */
void vmx_vcpu_load(struct vmx_vcpu *v);

/* Handler for basic exit reason `reason`; NULL restores the default, which
 * reports the exit and exits the image (VMX_EXIT_UNEXPECTED, or
 * VMX_EXIT_ENTRY_FAIL for reasons 33, 34 and 41). */
void vmx_set_handler(struct vmx_vcpu *v, unsigned int reason,
                     vmx_handler_fn fn);

/* Run the guest until its function returns or a handler stops it. */
enum vmx_run_result vmx_run(struct vmx_vcpu *v);

/* Controls of the current VMCS, checked against the capability MSRs.
 * vmx_ctl_set() returns -1 (and writes nothing) if a bit's allowed-1 is 0;
 * setting PROC2 bits also sets PROC "activate secondary controls".
 * vmx_ctl_clear() returns -1 if a bit is fixed to 1 by allowed-0. */
bool     vmx_ctl_supported(enum vmx_ctl_set s, uint32_t bits);
int      vmx_ctl_set(enum vmx_ctl_set s, uint32_t bits);
int      vmx_ctl_clear(enum vmx_ctl_set s, uint32_t bits);
uint32_t vmx_ctl_get(enum vmx_ctl_set s);
/* (want | allowed-0) & allowed-1 for the set. */
uint32_t vmx_ctl_adjust(enum vmx_ctl_set s, uint32_t want);

/* MSR bitmap of v (SDM: read-low 0x000, read-high 0x400, write-low 0x800,
 * write-high 0xC00; bit = 1 means exit).  vmx_vcpu_init() zeroes it;
 * enabling it writes its address and sets "use MSR bitmaps". */
void vmx_msr_bitmap_enable(struct vmx_vcpu *v);
void vmx_msr_intercept(struct vmx_vcpu *v, uint32_t msr, bool rd, bool wr);

/* Guest register by number (4 = RSP, from the VMCS). */
uint64_t vmx_gpr(struct vmx_vcpu *v, unsigned int n);
void     vmx_set_gpr(struct vmx_vcpu *v, unsigned int n, uint64_t val);

/* Helpers for handlers. */
void vmx_skip_insn(struct vmx_vcpu *v);     /* RIP += exit insn length */
void vmx_emulate_cpuid(struct vmx_vcpu *v); /* host CPUID(EAX, ECX) */
const char *vmx_exit_name(unsigned int basic);
const char *vmx_error_name(uint32_t err);
/* Print one line: reason, qualification, guest RIP (and exception
 * information for reason 0). */
void vmx_report_exit(const char *who, struct vmx_vcpu *v);

/* ---- EPT: an identity map of guest-physical [0, 4 GiB) with 2-MiB pages.
 * vmx_ept_pte() splits the 2-MiB page around gpa into 512 4-KiB pages
 * (identity kept) from a pool of VMX_EPT_PT_POOL tables and returns the
 * 4-KiB entry; NULL when the pool is empty. */
#define VMX_EPT_PT_POOL 4
struct vmx_ept {
    uint64_t pml4[512];
    uint64_t pdpt[512];
    uint64_t pd[4][512];
    uint64_t pt[VMX_EPT_PT_POOL][512];
    unsigned int pt_used;
    uint64_t eptp;
} __attribute__((aligned(4096)));

/* Build the map; returns -1 (nothing built) if the CPU lacks EPT, 4-level
 * walks, 2-MiB pages or a WB/UC paging-structure memory type. */
int       vmx_ept_init(struct vmx_ept *e);
uint64_t *vmx_ept_pte(struct vmx_ept *e, uint64_t gpa);
/* Write EPTP to the current VMCS, set "enable EPT" and INVEPT the EPTP
 * (single-context if supported, else all-context).  -1 if not allowed. */
int       vmx_ept_enable(struct vmx_ept *e);

/* ---- VMX instructions ------------------------------------------------------
 * vmx_try_*() return the status and never exit; vmx_read()/vmx_write()
 * report a failure (with the field encoding) and exit with VMX_EXIT_VMFAIL.
 * AT&T operand order: VMREAD field-register, destination; VMWRITE source,
 * field-register. */
static inline enum vmx_status vmx_status_of(bool cf, bool zf)
{
    return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

static inline enum vmx_status vmx_try_vmxon(uint64_t pa)
{
    bool cf, zf;

    __asm__ __volatile__("vmxon %2"
                         : "=@ccc"(cf), "=@ccz"(zf) : "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_vmxoff(void)
{
    bool cf, zf;

    __asm__ __volatile__("vmxoff" : "=@ccc"(cf), "=@ccz"(zf) : : "memory");
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_vmclear(uint64_t pa)
{
    bool cf, zf;

    __asm__ __volatile__("vmclear %2"
                         : "=@ccc"(cf), "=@ccz"(zf) : "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_vmptrld(uint64_t pa)
{
    bool cf, zf;

    __asm__ __volatile__("vmptrld %2"
                         : "=@ccc"(cf), "=@ccz"(zf) : "m"(pa) : "memory");
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_vmptrst(uint64_t *pa)
{
    bool cf, zf;

    __asm__ __volatile__("vmptrst %0"
                         : "=m"(*pa), "=@ccc"(cf), "=@ccz"(zf) : : "memory");
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_read(uint64_t field, uint64_t *val)
{
    bool cf, zf;
    uint64_t v = 0;

    __asm__ __volatile__("vmread %3, %0"
                         : "+r"(v), "=@ccc"(cf), "=@ccz"(zf)
                         : "r"(field) : "memory");
    *val = v;
    return vmx_status_of(cf, zf);
}

static inline enum vmx_status vmx_try_write(uint64_t field, uint64_t val)
{
    bool cf, zf;

    __asm__ __volatile__("vmwrite %2, %3"
                         : "=@ccc"(cf), "=@ccz"(zf)
                         : "r"(val), "r"(field) : "memory");
    return vmx_status_of(cf, zf);
}

/* INVEPT type 1 (single-context) or 2 (all-context); descriptor {EPTP, 0}. */
static inline enum vmx_status vmx_try_invept(uint64_t type, uint64_t eptp)
{
    struct { uint64_t eptp, rsvd; } desc = { eptp, 0 };
    bool cf, zf;

    __asm__ __volatile__("invept %2, %3"
                         : "=@ccc"(cf), "=@ccz"(zf)
                         : "m"(desc), "r"(type) : "memory");
    return vmx_status_of(cf, zf);
}

/* Report a failed VMX instruction (reading field 0x4400 for VMfailValid)
 * and exit with VMX_EXIT_VMFAIL. */
_Noreturn void vmx_die(const char *insn, uint64_t operand,
                       enum vmx_status st);

static inline uint64_t vmx_read(uint64_t field)
{
    uint64_t v;
    enum vmx_status st = vmx_try_read(field, &v);

    if (st != VMX_OK)
        vmx_die("VMREAD", field, st);
    return v;
}

static inline void vmx_write(uint64_t field, uint64_t val)
{
    enum vmx_status st = vmx_try_write(field, val);

    if (st != VMX_OK)
        vmx_die("VMWRITE", field, st);
}

/* Guest side: VMCALL with RAX in and out (other registers untouched
 * unless the handler changes them). */
static inline uint64_t vmx_vmcall(uint64_t rax)
{
    __asm__ __volatile__("vmcall" : "+a"(rax) : : "memory");
    return rax;
}

/* ---- internal: vmx_entry.S --------------------------------------------- */
/* Load regs, VMLAUNCH (launched = 0) or VMRESUME, and return 0 after the
 * VM exit (regs saved), or RFLAGS after a VMfail of VMLAUNCH/VMRESUME or
 * of the HOST_RSP VMWRITE (nonzero: bit 1 is always set). */
uint64_t vmx_enter(struct vmx_gprs *regs, uint64_t launched,
                   uint64_t *host_rsp);
extern char vmx_exit_point[];   /* HOST_RIP */
extern char vmx_guest_entry[];  /* first guest RIP: calls RSI(RDI) */
extern char vmx_guest_done[];   /* the VMCALL after the guest returns */

#endif /* !__ASSEMBLER__ */
#endif /* WORKLOADS_X86_VMX_H */
