/*
 * x86_cpu.h - architectural state of one x86-64 core and the executor of
 * its instructions, one instruction per x86_step().
 *
 * Follows Intel SDM (325383-080, June 2023): Vol. 1 "Basic Execution
 * Environment" (general-purpose registers in 64-bit mode, 32-bit writes
 * zero-extended, RFLAGS), Vol. 2 for each instruction's Operation, Flags
 * Affected and Protected Mode / 64-Bit Mode Exceptions, Vol. 3A "Protected-
 * Mode Memory Management" (segment descriptors), "Interrupt and Exception
 * Handling" (IDT gates, 64-bit delivery, double fault), "Exception and
 * Interrupt Reference" (which exceptions are faults, the page-fault error
 * code) and "Debug Exceptions" (single-step trap).  Results and flags of
 * the ALU operations come from x86_alu.h; decoding from x86.h.
 *
 * The executor touches memory only through struct x86_mem_ops, and the
 * platform (ports, CPUID, TSC, platform MSRs, TLB flushes) only through
 * struct x86_sys_ops, so the same code runs on a flat test buffer, on
 * Unicorn-mirrored pages or on the MMU, cache and device models.
 *
 * x86_cpu_init() gives a core at CPL 3 in 64-bit mode with flat segments
 * and paging left to the memory callbacks: the user-level machine the
 * differential tests run.  A platform that boots images sets the reset or
 * loader state itself (x86_cpu_set_pm32() / x86_cpu_set_long64()) and
 * turns on exception delivery through the IDT.
 *
 * Approximations (also listed in x86_exec.c and x86_sys.c):
 *   - Segment limits are not checked (flat protected mode and long mode,
 *     the two modes vtsim runs, never rely on them); bases are applied
 *     outside 64-bit mode and for FS/GS in it.  Real mode, virtual-8086
 *     mode, 16-bit protected-mode code, task switches, call gates and the
 *     TSS I/O permission bitmap are not modelled: the instructions that
 *     would need them raise #GP, as listed in x86_sys.c.
 *   - Paging is the memory callbacks' business; legacy 32-bit and PAE
 *     paging outside long mode are refused by the platform.
 *   - Alignment checking (CR0.AM with RFLAGS.AC) is not modelled; debug
 *     registers hold values but breakpoints never fire; RFLAGS.RF is
 *     cleared by POPF and by event delivery only.
 */
#ifndef ISA_X86_CPU_H
#define ISA_X86_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"
#include "x86_alu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RFLAGS bits beyond the arithmetic ones (X86_FL_* in x86_alu.h). */
#define X86_RFLAGS_FIXED (1u << 1)      /* reads as 1 */
#define X86_RFLAGS_TF    (1u << 8)
#define X86_RFLAGS_IF    (1u << 9)
#define X86_RFLAGS_DF    (1u << 10)
#define X86_RFLAGS_IOPL  (3u << 12)
#define X86_RFLAGS_NT    (1u << 14)
#define X86_RFLAGS_RF    (1u << 16)
#define X86_RFLAGS_VM    (1u << 17)
#define X86_RFLAGS_AC    (1u << 18)
#define X86_RFLAGS_VIF   (1u << 19)
#define X86_RFLAGS_VIP   (1u << 20)
#define X86_RFLAGS_ID    (1u << 21)

/* Exception vectors (SDM Vol. 3A, Table "Protected-Mode Exceptions and
 * Interrupts"). */
enum x86_vector {
    X86_VEC_DE = 0,         /* divide error (fault) */
    X86_VEC_DB = 1,         /* debug: single step (trap) */
    X86_VEC_NMI = 2,
    X86_VEC_BP = 3,         /* INT3 (trap) */
    X86_VEC_OF = 4,         /* INTO (trap) */
    X86_VEC_BR = 5,
    X86_VEC_UD = 6,         /* invalid opcode (fault) */
    X86_VEC_NM = 7,         /* device not available */
    X86_VEC_DF = 8,         /* double fault (abort, error code 0) */
    X86_VEC_TS = 10,        /* invalid TSS */
    X86_VEC_NP = 11,        /* segment not present */
    X86_VEC_SS = 12,        /* stack fault */
    X86_VEC_GP = 13,        /* general protection (fault) */
    X86_VEC_PF = 14,        /* page fault (fault) */
    X86_VEC_MF = 16,
    X86_VEC_AC = 17,
    /* Not a vector: an x86_exec_result holding it reports a memory access
     * that returned X86_MEM_EXIT (handed to x86_cpu.virt). */
    X86_VEC_VIRT = 0xff
};

/* Control-register, EFER and selector bits (SDM Vol. 3A "Control
 * Registers", "Extended Feature Enable Register"). */
#define X86_CR0_PE  (1ull << 0)
#define X86_CR0_MP  (1ull << 1)
#define X86_CR0_EM  (1ull << 2)
#define X86_CR0_TS  (1ull << 3)
#define X86_CR0_ET  (1ull << 4)
#define X86_CR0_NE  (1ull << 5)
#define X86_CR0_WP  (1ull << 16)
#define X86_CR0_AM  (1ull << 18)
#define X86_CR0_NW  (1ull << 29)
#define X86_CR0_CD  (1ull << 30)
#define X86_CR0_PG  (1ull << 31)
#define X86_CR4_VME        (1ull << 0)
#define X86_CR4_PVI        (1ull << 1)
#define X86_CR4_TSD        (1ull << 2)
#define X86_CR4_DE         (1ull << 3)
#define X86_CR4_PSE        (1ull << 4)
#define X86_CR4_PAE        (1ull << 5)
#define X86_CR4_MCE        (1ull << 6)
#define X86_CR4_PGE        (1ull << 7)
#define X86_CR4_PCE        (1ull << 8)
#define X86_CR4_OSFXSR     (1ull << 9)
#define X86_CR4_OSXMMEXCPT (1ull << 10)
#define X86_CR4_UMIP       (1ull << 11)
#define X86_CR4_LA57       (1ull << 12)
#define X86_CR4_VMXE       (1ull << 13)
#define X86_CR4_SMXE       (1ull << 14)
#define X86_CR4_FSGSBASE   (1ull << 16)
#define X86_CR4_PCIDE      (1ull << 17)
#define X86_CR4_OSXSAVE    (1ull << 18)
#define X86_CR4_SMEP       (1ull << 20)
#define X86_CR4_SMAP       (1ull << 21)
#define X86_CR4_PKE        (1ull << 22)
#define X86_EFER_SCE  (1ull << 0)
#define X86_EFER_LME  (1ull << 8)
#define X86_EFER_LMA  (1ull << 10)
#define X86_EFER_NXE  (1ull << 11)
#define X86_EFER_SVME (1ull << 12)

/* MSR indexes (SDM Vol. 4 "Model-Specific Registers", architectural
 * MSRs). */
#define X86_MSR_TSC              0x10u
#define X86_MSR_APIC_BASE        0x1Bu
#define X86_MSR_FEATURE_CONTROL  0x3Au
#define X86_MSR_SYSENTER_CS      0x174u
#define X86_MSR_SYSENTER_ESP     0x175u
#define X86_MSR_SYSENTER_EIP     0x176u
#define X86_MSR_MISC_ENABLE      0x1A0u
#define X86_MSR_PAT              0x277u
#define X86_MSR_X2APIC_FIRST     0x800u
#define X86_MSR_X2APIC_LAST      0x8FFu
#define X86_MSR_EFER             0xC0000080u
#define X86_MSR_STAR             0xC0000081u
#define X86_MSR_LSTAR            0xC0000082u
#define X86_MSR_CSTAR            0xC0000083u
#define X86_MSR_SFMASK           0xC0000084u
#define X86_MSR_FS_BASE          0xC0000100u
#define X86_MSR_GS_BASE          0xC0000101u
#define X86_MSR_KERNEL_GS_BASE   0xC0000102u
#define X86_MSR_TSC_AUX          0xC0000103u

/*
 * A segment register with its hidden part.  `attr` uses the layout of the
 * VMCS access-rights fields (SDM Vol. 3C "Guest Register State"): bits 3:0
 * type, 4 S, 6:5 DPL, 7 P, 12 AVL, 13 L, 14 D/B, 15 G, 16 unusable (a null
 * selector was loaded).  `limit` is in bytes (G already applied).
 */
struct x86_seg {
    uint64_t base;
    uint32_t limit;
    uint32_t attr;
    uint16_t sel;
};

#define X86_SEG_ATTR_S        (1u << 4)
#define X86_SEG_ATTR_P        (1u << 7)
#define X86_SEG_ATTR_L        (1u << 13)
#define X86_SEG_ATTR_DB       (1u << 14)
#define X86_SEG_ATTR_G        (1u << 15)
#define X86_SEG_ATTR_UNUSABLE (1u << 16)
#define X86_SEG_DPL(attr)     (((attr) >> 5) & 3u)

/* Indexes of x86_cpu.seg[]: the Sreg encoding (ES = 0 ... GS = 5). */
enum x86_seg_index {
    X86_SEG_ES = 0, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS,
    X86_SEG_GS, X86_SEG__COUNT
};

/* GDTR / IDTR. */
struct x86_dtr {
    uint64_t base;
    uint16_t limit;
};

/* Page-fault error code (SDM Vol. 3A "Interrupt 14-Page-Fault Exception"). */
#define X86_PFEC_P    (1u << 0)     /* protection violation (1), not present */
#define X86_PFEC_W    (1u << 1)     /* write access */
#define X86_PFEC_U    (1u << 2)     /* user-mode access */
#define X86_PFEC_RSVD (1u << 3)     /* reserved bit set in a paging entry */
#define X86_PFEC_I    (1u << 4)     /* instruction fetch */
#define X86_PFEC_PK   (1u << 5)     /* protection key */
/* Bits of the error code a memory callback may report (below). */
#define X86_PFEC_FROM_MMU (X86_PFEC_P | X86_PFEC_RSVD | X86_PFEC_PK)
/* Marks a callback return value that carries X86_PFEC_FROM_MMU bits. */
#define X86_MEM_PFEC      (1 << 30)
/* A callback return value meaning "this access causes a VM exit" (an EPT
 * violation or misconfiguration the platform has recorded): the executor
 * abandons the instruction and hands the event to x86_cpu.virt. */
#define X86_MEM_EXIT      (1 << 29)

/*
 * Memory seen by the core, by linear address.  Each call covers bytes of
 * one 4 KiB page only (the executor splits accesses at page boundaries),
 * `len` is 1..15.  `acc` holds X86_PFEC_U when the access is a user-mode
 * access (CPL 3, and not an implicit supervisor access to a descriptor
 * table or the TSS), plus X86_PFEC_W for writes and X86_PFEC_I for
 * fetches.  Return 0 on success; non-zero is a page fault on that access.
 * A value with X86_MEM_PFEC set supplies the X86_PFEC_FROM_MMU bits of the
 * error code (X86_MEM_PFEC | X86_PFEC_P for a protection fault); any other
 * non-zero value is a not-present fault.  `fetch` reads instruction bytes
 * (it may share its implementation with `read`).
 *
 * `fetch_pa` is optional: it translates a fetch address (same return
 * values), so that a core with a predecode cache finds the instruction by
 * physical address without fetching its bytes.  A platform with a timing
 * model charges the instruction fetch there.
 */
struct x86_mem_ops {
    int (*read)(void *ctx, uint64_t va, void *buf, unsigned len,
                unsigned acc);
    int (*write)(void *ctx, uint64_t va, const void *buf, unsigned len,
                 unsigned acc);
    int (*fetch)(void *ctx, uint64_t va, void *buf, unsigned len,
                 unsigned acc);
    int (*fetch_pa)(void *ctx, uint64_t va, uint64_t *pa, unsigned acc);
};

/* What x86_sys_ops.flush invalidates. */
enum x86_flush_kind {
    X86_FLUSH_ALL,          /* everything, global entries too (CR4.PGE,
                               CR0.PG/WP changes, INVPCID type 2) */
    X86_FLUSH_NONGLOBAL,    /* every non-global entry (MOV CR3 without
                               PCIDs, INVPCID type 3) */
    X86_FLUSH_PCID,         /* non-global entries of `pcid` (MOV CR3 with
                               CR4.PCIDE, INVPCID type 1) */
    X86_FLUSH_PAGE,         /* one page: `va` in `pcid` (INVLPG, INVPCID
                               type 0) */
    X86_FLUSH_SWITCH        /* nothing architectural: MOV CR3 with PCIDs
                               and bit 63 set switched address spaces, so
                               a platform's untagged software caches of
                               translations must go */
};

/*
 * The platform around the core.  Every member may be NULL; the defaults
 * are: IN reads all ones and OUT is dropped (no device), CPUID returns
 * zeros, the TSC counts completed instructions, platform MSRs raise #GP,
 * flushes are ignored.  `io_*` and `msr_*` return 0, or non-zero to raise
 * #GP(0).  `flush` runs after the architectural change (the new CR3, CR4
 * or EFER is already in the core).
 */
struct x86_sys_ops {
    int (*io_in)(void *ctx, uint16_t port, unsigned size, uint32_t *val);
    int (*io_out)(void *ctx, uint16_t port, unsigned size, uint32_t val);
    void (*cpuid)(void *ctx, uint32_t leaf, uint32_t subleaf,
                  uint32_t out[4]);
    uint64_t (*tsc)(void *ctx);
    int (*msr_read)(void *ctx, uint32_t msr, uint64_t *val);
    int (*msr_write)(void *ctx, uint32_t msr, uint64_t val);
    void (*flush)(void *ctx, unsigned kind, uint64_t va, uint16_t pcid);
};

/*
 * A virtualization extension attached to the core (VMX: vmx-model/
 * vmx_cpu.h).  The executor stays ignorant of VMCS controls: it reports
 * events and the extension decides.  Events:
 *   INSN       a VMX-class instruction (any operation mode), or, in VMX
 *              non-root operation, an instruction that may exit (system
 *              rows, X86_F_VMEXIT rows, PAUSE), after the exceptions that
 *              have priority over VM exits (SDM Vol. 3C "Relative Priority
 *              of Faults and VM Exits": #UD, CPL and IOPL checks) except
 *              for VMX-class rows, which exit at any CPL.
 *   EXCEPTION  non-root: an exception about to be delivered (the exception
 *              bitmap decides); `soft` for INT3/INTO.
 *   EXTINT     non-root: external interrupt `vector` arrives.
 *   TRIPLE     non-root: a triple fault.
 *   MEM        non-root: a memory callback returned X86_MEM_EXIT.
 * The hook returns an enum x86_virt_outcome.
 */
struct x86_cpu;
struct x86_exec_result;

enum x86_virt_kind {
    X86_VIRT_INSN,
    X86_VIRT_EXCEPTION,
    X86_VIRT_EXTINT,
    X86_VIRT_TRIPLE,
    X86_VIRT_MEM
};

enum x86_virt_outcome {
    X86_VIRT_PASS = 0,      /* no exit: the instruction/event proceeds */
    X86_VIRT_DONE,          /* INSN completed by the extension (RIP and
                               RFLAGS already set; VMsucceed/VMfail) */
    X86_VIRT_FAULT,         /* INSN raised the exception held in r */
    X86_VIRT_SWITCHED       /* a VM exit or VM entry happened: the core now
                               holds the other world's state */
};

struct x86_virt_event {
    uint8_t kind;           /* enum x86_virt_kind */
    uint8_t vector;         /* EXCEPTION, EXTINT */
    bool has_error;         /* EXCEPTION */
    bool soft;              /* EXCEPTION raised by INT3 / INTO */
    uint32_t error_code;    /* EXCEPTION */
    uint64_t rip;           /* RIP of the instruction (or of the next one
                               for a trap-like event) */
    uint64_t next_rip;      /* INSN: RIP after the instruction */
    uint64_t fault_addr;    /* EXCEPTION #PF: the linear address */
    const struct x86_insn *insn;    /* INSN */
    void *xe;               /* INSN: executor context for x86_virt_opnd_* */
};

struct x86_virt_ops {
    int (*event)(void *ctx, struct x86_cpu *c,
                 const struct x86_virt_event *ev,
                 struct x86_exec_result *r);
};

/* Slots of the per-mnemonic "unimplemented" counters; x86_exec.c checks
 * at compile time that every Zydis mnemonic fits. */
#define X86_CPU_MNEMONIC_SLOTS 2048

/* Default for x86_cpu.rep_limit. */
#define X86_CPU_REP_LIMIT_DEFAULT 4096u

struct x86_cpu_stats {
    uint64_t insns;         /* instructions completed (REP: when done) */
    uint64_t exceptions;    /* steps that ended with an exception */
    uint64_t rep_iters;     /* string iterations (with or without REP) */
    uint64_t unimpl;        /* steps refused as unimplemented */
    uint64_t delivered;     /* events delivered through the IDT */
    uint64_t interrupts;    /* of which external interrupts */
    uint64_t double_faults;
    uint64_t pcache_hits;   /* instructions found in the predecode cache */
};

/* x86_cpu.shadow: the kind of blocking, numbered as the bits of the VMCS
 * interruptibility state (SDM Vol. 3C "Guest Non-Register State"). */
#define X86_SHADOW_STI   1u
#define X86_SHADOW_MOVSS 2u

/* Kinds of events delivered through the IDT, numbered as the
 * interruption types of the VMCS (SDM Vol. 3C "Format of the VM-Entry
 * Interruption-Information Field"). */
enum x86_event_type {
    X86_EVENT_EXT = 0,      /* external interrupt */
    X86_EVENT_NMI = 2,
    X86_EVENT_HW = 3,       /* hardware exception */
    X86_EVENT_SWINT = 4,    /* INT n */
    X86_EVENT_PRIV_SW = 5,  /* INT1 */
    X86_EVENT_SWEXC = 6     /* INT3, INTO */
};

/* The event whose delivery through the IDT is under way (valid only
 * while it is: an extension that exits during the delivery reports it as
 * IDT-vectoring information).  len: instruction length of a software
 * event. */
struct x86_event {
    bool valid;
    uint8_t vector;
    uint8_t type;           /* enum x86_event_type */
    bool has_error;
    uint8_t len;
    uint32_t error_code;
};

/* x86_cpu.halt: why the core is not executing. */
enum x86_halt {
    X86_RUNNING = 0,
    X86_HALTED,             /* HLT: an unmasked interrupt resumes it */
    X86_SHUTDOWN            /* triple fault: nothing resumes it */
};

struct x86_cpu {
    uint64_t gpr[16];       /* enum x86_reg order: RAX .. R15 */
    uint64_t rip;
    uint64_t rflags;        /* bit 1 reads as 1 */
    /* Iterations of a REP string instruction done per x86_step(); if more
     * remain, the step ends with RIP still on the instruction, as an
     * interrupt between iterations would leave it.  0 means the default. */
    uint32_t rep_limit;
    uint8_t cpl;            /* current privilege level (CS.RPL) */
    uint8_t mode;           /* enum x86_mode of the code: x86_cpu_sync_mode */
    uint8_t halt;           /* enum x86_halt */
    uint8_t shadow;         /* non-zero: interrupts blocked for one
                               instruction; X86_SHADOW_STI (STI) or
                               X86_SHADOW_MOVSS (MOV SS, POP SS) */
    uint8_t shadow_in;      /* the shadow the current instruction began
                               under (x86_step moves `shadow` here and
                               clears it before executing) */
    bool deliver;           /* exceptions go through the IDT (platforms);
                               false: x86_step() only reports them (tests) */

    /* System state (SDM Vol. 3A "System Architecture Overview"). */
    struct x86_seg seg[X86_SEG__COUNT];
    struct x86_seg ldtr;
    struct x86_seg tr;
    struct x86_dtr gdtr;
    struct x86_dtr idtr;
    uint64_t cr0, cr2, cr3, cr4, cr8;
    uint64_t dr[8];
    uint64_t efer;
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t tsc_aux, pat, feature_control, misc_enable;
    int64_t tsc_offset;     /* WRMSR to IA32_TSC: TSC = platform + offset */
    /* XCR0 (SDM Vol. 1 "Enabling the XSAVE Feature Set": bit 0 x87 is
     * always 1) and the bits XSETBV may set; the core keeps no state of
     * the components themselves. */
    uint64_t xcr0;
    uint64_t xcr0_allowed;
    /* MONITOR/MWAIT exist (CPUID.01H:ECX.MONITOR[bit 3]); a MONITOR armed
     * the address-monitoring hardware at linear address monitor_la. */
    bool monitor_ok;
    bool monitor_armed;
    uint64_t monitor_la;

    /* Bits of CR4 and EFER a guest may set (from the CPUID model; the
     * platform narrows them; x86_cpu_init allows every modelled bit). */
    uint64_t cr4_allowed;
    uint64_t efer_allowed;

    const struct x86_mem_ops *mem;
    void *mem_ctx;
    const struct x86_sys_ops *sys;
    void *sys_ctx;
    struct x86_pcache *pcache;  /* optional; needs mem->fetch_pa */
    /* The translation of the page RIP is on, reused while RIP stays there
     * (x86_cpu_flush_fetch() drops it; a platform must call it whenever
     * translations change).  fetch_each: call mem->fetch_pa for every
     * instruction anyway (a timing model charges fetches there). */
    uint64_t fetch_tag;
    uint64_t fetch_pfn;
    bool fetch_each;
    /* Virtualization extension (may be NULL: VMX instructions #UD). */
    const struct x86_virt_ops *virt;
    void *virt_ctx;
    bool nonroot;           /* VMX non-root operation: report events */
    bool vmx_fixed;         /* VMX operation: CR0/CR4 writes must keep
                               the FIXED0 bits set and FIXED1 bits clear */
    uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
    struct x86_event vectoring;     /* delivery under way */
    bool extint_exits;      /* non-root: external interrupts exit whatever
                               RFLAGS.IF and the shadow say (SDM Vol. 3C
                               "Changes to Instruction Behavior in VMX
                               Non-Root Operation") */
    struct x86_cpu_stats st;
    /* Instructions decoded but not executed (refused with #UD), by Zydis
     * mnemonic; x86_zydis_mnemonic_name() gives the names. */
    uint64_t unimpl_by_mnemonic[X86_CPU_MNEMONIC_SLOTS];
    struct x86_insn insn;   /* the last decoded instruction */
};

enum x86_exec_status {
    X86_EXEC_OK = 0,            /* instruction completed (see rep_more) */
    X86_EXEC_EXCEPTION = 1,     /* vector, error code in the result */
    X86_EXEC_HALTED = 2,        /* the core is halted (HLT): nothing ran */
    X86_EXEC_SHUTDOWN = 3       /* triple fault: the core is shut down */
};

struct x86_exec_result {
    uint8_t  status;        /* enum x86_exec_status */
    uint8_t  vector;        /* EXCEPTION: enum x86_vector */
    uint8_t  has_error;     /* EXCEPTION: error_code is pushed */
    uint8_t  trap;          /* EXCEPTION: 1 for a trap (#DB single step):
                               the instruction completed and RIP is the
                               next one; 0 for a fault: no state change
                               (REP: completed iterations kept) */
    uint8_t  unimpl;        /* #UD because vtsim does not implement the
                               instruction (counted), not the architecture */
    uint8_t  rep_more;      /* OK: a REP instruction stopped after
                               rep_limit iterations; RIP is unchanged */
    uint8_t  delivered;     /* EXCEPTION with x86_cpu.deliver: the event
                               (or the #DF it became) went through the IDT;
                               SHUTDOWN when it became a triple fault */
    uint8_t  switched;      /* a VM exit or entry happened in this step
                               (status OK; the core holds the new world) */
    uint32_t error_code;
    uint32_t rep_iters;     /* string iterations done by this step */
    uint64_t rip;           /* RIP of the instruction */
    uint64_t fault_addr;    /* #PF: faulting linear address (CR2) */
    /* The decoded instruction (valid until the next step), NULL when the
     * fetch faulted or the bytes did not decode. */
    const struct x86_insn *insn;
};

/* Zero all state and attach the memory callbacks: CPL 3, 64-bit mode
 * (EFER.LME/LMA, CR0.PE/PG, CR4.PAE set; flat segments, CS.L = 1),
 * RFLAGS = 2, default rep_limit, no platform (x86_cpu.sys NULL), exceptions
 * reported, not delivered. */
void x86_cpu_init(struct x86_cpu *c, const struct x86_mem_ops *mem,
                  void *mem_ctx);

/* The state `qemu -kernel` hands a Multiboot image (Multiboot v1 spec,
 * "Machine state"): 32-bit protected mode, CPL 0, paging off, flat 4 GiB
 * CS (read/execute, D = 1) and data segments, EFLAGS = 2, EAX = magic,
 * EBX = info address, RIP = entry; every other register zero. */
void x86_cpu_set_pm32(struct x86_cpu *c, uint64_t entry, uint32_t eax,
                      uint32_t ebx);

/* The documented ELF64 entry state (docs/x86-runtime.md): 64-bit mode at
 * CPL 0, paging on with the page tables at `cr3` (the platform builds an
 * identity map), flat segments, RSP = `rsp`, RIP = entry. */
void x86_cpu_set_long64(struct x86_cpu *c, uint64_t entry, uint64_t cr3,
                        uint64_t rsp);

/* Recompute x86_cpu.mode from EFER.LMA, CS.L and CS.D (after a platform
 * edits the state directly). */
void x86_cpu_sync_mode(struct x86_cpu *c);

/*
 * Fetch, decode and execute one instruction at RIP.  Returns the status
 * also stored in r->status, or -1 without touching anything when c, r or
 * the callbacks are NULL.  On a fault no architectural state changes (RIP
 * stays on the instruction), except that a REP string instruction keeps
 * its completed iterations; with x86_cpu.deliver the fault is then
 * delivered through the IDT (escalating to #DF and to a triple fault as
 * the SDM says).  A halted or shut-down core returns HALTED / SHUTDOWN.
 * Never aborts on any instruction bytes or register values.
 */
int x86_step(struct x86_cpu *c, struct x86_exec_result *r);

/*
 * x86_step() up to `max` times, for a platform with nothing to do between
 * plain instructions.  Stops after the first step that is HALTED or not
 * OK, leaves a REP instruction unfinished (rep_more), switched worlds
 * (switched), or ran an instruction that may reach the platform, depends
 * on privilege or may exit (every system instruction: port I/O, CPUID,
 * RDTSC, MSRs, control registers..., VMX instructions, PAUSE).  After
 * each step but a HALTED one, *ticks (if not NULL) is incremented, then
 * retire(ctx, r) (if not NULL) sees the step's result, as a platform
 * calling x86_step() would between steps; it returns true to end the run
 * there (the platform has something to do before the next step).
 * Returns the number of steps (0 when x86_step() would return -1); *r is
 * the last step's result.
 */
typedef bool (*x86_retire_fn)(void *ctx, const struct x86_exec_result *r);
uint64_t x86_run(struct x86_cpu *c, uint64_t max, struct x86_exec_result *r,
                 uint64_t *ticks, x86_retire_fn retire, void *ctx);

/* Whether an external interrupt can be taken now: RFLAGS.IF = 1, no
 * STI/MOV-SS shadow, not shut down. */
bool x86_interrupt_ready(const struct x86_cpu *c);

/* Deliver external interrupt `vector` through the IDT (wakes a halted
 * core).  Returns 0 when delivered, 1 when it became a triple fault, -1 if
 * the core cannot take it (x86_interrupt_ready() false). */
int x86_interrupt(struct x86_cpu *c, unsigned vector);

/* Forget the cached translation of the code page. */
static inline void x86_cpu_flush_fetch(struct x86_cpu *c)
{
    c->fetch_tag = ~0ull;
}

/* Operands of the instruction of an X86_VIRT_INSN event, for the
 * extension: read/write operand `n` (register, memory through the
 * segment, at the current CPL) and the linear address of a memory
 * operand.  Return 0, or XE-style 1 with the exception in `r`. */
int x86_virt_opnd_read(const struct x86_virt_event *ev, unsigned n,
                       uint64_t *v);
int x86_virt_opnd_write(const struct x86_virt_event *ev, unsigned n,
                        uint64_t v);
int x86_virt_opnd_la(const struct x86_virt_event *ev, unsigned n,
                     uint64_t *la);
/* Read/write `len` bytes at linear address `la` (through DS rules, CPL
 * of the instruction); 0 or 1 with the fault in the event's result. */
int x86_virt_read(const struct x86_virt_event *ev, uint64_t la, void *buf,
                  unsigned len);
int x86_virt_write(const struct x86_virt_event *ev, uint64_t la,
                   const void *buf, unsigned len);

/* MOV to CR0/CR3/CR4 with every check of the instruction, for the
 * extension completing a non-exiting guest write (0, or 1: fault in r). */
int x86_virt_write_cr(const struct x86_virt_event *ev, unsigned n,
                      uint64_t v);

/* RDMSR/WRMSR semantics without the instruction (MSR-load/store lists):
 * 0, or non-zero where the instruction would raise #GP. */
int x86_cpu_msr_read(struct x86_cpu *c, uint32_t msr, uint64_t *v);
int x86_cpu_msr_write(struct x86_cpu *c, uint32_t msr, uint64_t v);

/* Deliver an event of `type` (enum x86_event_type) through the IDT as if
 * it happened at `ret_rip` (VM-entry event injection); `len` is the
 * instruction length of a software event.  Injected software interrupts
 * skip the gate-DPL check (a simplification).  0, or 1: triple fault. */
int x86_cpu_inject(struct x86_cpu *c, unsigned vec, unsigned type,
                   bool has_err, uint32_t err, unsigned len,
                   uint64_t ret_rip);

/* Read the TSC as RDTSC would. */
uint64_t x86_cpu_tsc(const struct x86_cpu *c);

/* Whether condition `cond` (enum x86_cond) holds for `rflags`. */
bool x86_cond_true(unsigned cond, uint64_t rflags);

#ifdef __cplusplus
}
#endif

#endif /* ISA_X86_CPU_H */
