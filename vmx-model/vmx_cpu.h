/*
 * vmx_cpu.h - VMX operation of one x86 core: the VMX instructions, VM
 * entry and VM exit, the exits of non-root operation, and the timing of
 * the world switch.  It plugs into the executor as its virtualization
 * hook (struct x86_virt_ops in isa/x86_cpu.h); the platform supplies
 * physical memory, TLB maintenance and the exit log (struct vmx_platform).
 *
 * Facts: /work/shared/reference/hw-virt-facts.md section A (keys A1-A9 and
 * the source keys there) and Intel SDM Vol. 3C (order no. 326019) by
 * chapter title: "VMX Instruction Reference", "VM Entries", "VM Exits",
 * "VMX Non-Root Operation" (instructions that cause VM exits
 * conditionally), "VM-Exit Information Fields".
 *
 * What is modelled (details next to the code in vmx_cpu.c):
 *   - VMXON/VMXOFF/VMCLEAR/VMPTRLD/VMPTRST/VMREAD/VMWRITE/VMLAUNCH/
 *     VMRESUME/VMCALL/INVEPT/INVVPID with VMsucceed, VMfailInvalid and
 *     VMfailValid(n), their #UD and #GP conditions; the VMCS lives in guest
 *     memory (vtsim's image layout, vmx.h) and is cached on chip while
 *     current; VMCLEAR writes it back.
 *   - VM entry: A8.0 pre-checks (VMfailValid 26 after MOV SS),
 *     vmx_entry_check() for A8.1-A8.5, guest state load, the MSR-load
 *     list (reason 34), event injection, activity state HLT, blocking by
 *     STI and by MOV SS (kept apart, saved on exits), TSC offsetting.
 *   - VM exits: exception bitmap with the #PF mask/match rule, external
 *     interrupt (acknowledged only with "acknowledge interrupt on exit":
 *     vmx_cpu_intr_acked), triple fault, CPUID, INVD, HLT,
 *     INVLPG, RDPMC, RDTSC, RDTSCP, VMX instructions, CR access (CR0/CR4
 *     masks and read shadows, CR3 load/store with CR3 targets, CR8; the
 *     TPR shadow with "TPR below threshold"),
 *     MOV DR, I/O (unconditional and bitmaps), RDMSR/WRMSR (MSR bitmaps),
 *     MONITOR/MWAIT/PAUSE, XSETBV, WBINVD, INVPCID, EPT violation and
 *     misconfiguration; qualification, guest-linear and guest-physical
 *     address, instruction length and information; guest-state save,
 *     MSR-store list, host-state load, MSR-load list, VMX abort.
 *   - The monitor trap flag, the VMX-preemption timer, NMI-window and
 *     interrupt-window exiting, checked between instructions
 *     (vmx_cpu_boundary); virtual NMIs (blocking set by NMI injection,
 *     removed by IRET, bit 12 "NMI unblocking due to IRET").
 *   - IDT-vectoring information for an exit during event delivery
 *     through the guest IDT (x86_cpu.vectoring).
 * Not modelled (documented in docs/vmx-timing.md): NMIs from the
 * platform, APIC virtualization beyond the TPR shadow, shadow VMCS, SMM,
 * PAE paging of a guest (PDPTEs).
 */
#ifndef VMX_CPU_H
#define VMX_CPU_H

#include "isa/x86_cpu.h"
#include "sim/sim_stats.h"
#include "vmx.h"

/* Config struct of section [vmx_cost] (vmx_cost_cfg.def). */
struct vmx_cost_cfg {
#define VMX_COST_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "vmx_cost_cfg.def"
#undef VMX_COST_CFG
};

extern const struct sim_cfg_key vmx_cost_cfg_keys[];

/* Steps of a world switch, each charged separately (the `exits` table
 * has one column per step). */
enum vmx_step {
    VMX_STEP_DRAIN,         /* pipeline drain before the switch */
    VMX_STEP_UCODE,         /* fixed microcode overhead */
    VMX_STEP_CHECKS,        /* VM-entry checks */
    VMX_STEP_SAVE,          /* state saved into the VMCS */
    VMX_STEP_LOAD,          /* state loaded from the VMCS */
    VMX_STEP_MSR,           /* MSR-load/store lists */
    VMX_STEP_TLB,           /* TLB flush (no VPID) */
    VMX_STEP_REFILL,        /* pipeline refill at the new RIP */
    VMX_STEP__COUNT
};

extern const char *const vmx_step_name[VMX_STEP__COUNT];

/* One VM exit and the entry that answered it, as logged. */
struct vmx_exit_record {
    uint64_t seq;           /* 0, 1, ... per core */
    uint64_t time;          /* core cycle of the exit */
    uint32_t reason;        /* exit-reason field (bit 31: failed entry) */
    uint64_t qual;
    uint64_t guest_rip;
    uint64_t exit_cost[VMX_STEP__COUNT];
    uint64_t entry_cost[VMX_STEP__COUNT];
    uint64_t exit_cycles;   /* sum of exit_cost */
    uint64_t handler_cycles;/* first host instruction to VMRESUME */
    uint64_t entry_cycles;  /* sum of entry_cost; 0 if no entry followed */
};

/* What the model needs from the machine.  Every member may be NULL
 * except phys_read/phys_write. */
struct vmx_platform {
    void *ctx;
    /* Host-physical memory.  0, or non-zero when nothing answers at `pa`
     * (reads then return all ones as the bus does).  *cycles (may be NULL)
     * grows by the access latency through the data caches. */
    int (*phys_read)(void *ctx, uint64_t pa, void *buf, unsigned len,
                     uint64_t *cycles);
    int (*phys_write)(void *ctx, uint64_t pa, const void *buf, unsigned len,
                      uint64_t *cycles);
    /* The translation context changed (entry or exit): non-root or not,
     * the VPID tag, the EPTP (0 without EPT).  `flush` when the switch
     * must invalidate linear translations (VPID off). */
    void (*world)(void *ctx, bool nonroot, uint16_t vpid, uint64_t eptp,
                  bool flush);
    /* INVEPT/INVVPID: kind 0 all, 1 by EPTP, 2 by VPID, 3 by VPID and
     * address, 4 by VPID keeping globals. */
    void (*invalidate)(void *ctx, unsigned kind, uint64_t eptp,
                       uint16_t vpid, uint64_t la);
    /* The core's cycle count now, and the cycles a drain costs now. */
    uint64_t (*now)(void *ctx);
    uint64_t (*drain)(void *ctx);
    /* Charge `cycles` of world-switch time to the core. */
    void (*charge)(void *ctx, uint64_t cycles);
    /* One record per exit, when its entry completes (or at the end). */
    void (*log)(void *ctx, const struct vmx_exit_record *rec);
};

/* Per-reason statistics. */
#define VMX_REASONS 96

struct vmx_stats {
    uint64_t exits;
    uint64_t entries;
    uint64_t entry_fail_valid;
    uint64_t entry_fail_exit;
    uint64_t vmfail_invalid;
    uint64_t vmfail_valid;
    uint64_t aborts;
    uint64_t by_reason[VMX_REASONS];
    uint64_t cycles_by_reason[VMX_REASONS];    /* exit + handler + entry */
    uint64_t step_cycles[VMX_STEP__COUNT];
};

/* A pending EPT exit, recorded by the platform's memory path before it
 * returns X86_MEM_EXIT. */
struct vmx_ept_exit {
    bool valid;
    bool misconfig;         /* reason 49, else 48 */
    uint64_t gpa;
    uint64_t gla;
    uint64_t qual;          /* violation: A6 bits (GLA valid etc.) */
};

struct vmx_cpu {
    struct vmx_cpu_model m;
    struct vmx_cpu_facts facts;
    struct vmx_cost_cfg cost;
    struct vmx_platform p;
    bool on;                /* in VMX operation (root or non-root) */
    uint64_t vmxon_ptr;
    uint64_t cur;           /* current-VMCS pointer, ~0: none */
    struct vmx_vmcs vmcs;   /* on-chip copy of the current VMCS */
    struct vmx_ept_exit ept;
    int64_t tsc_offset;     /* applied while in non-root operation */
    /* the record being built: exit done, waiting for the entry */
    struct vmx_exit_record rec;
    bool rec_open;
    uint64_t host_start;    /* cycle the VMM got control */
    uint64_t seq;
    struct vmx_stats st;
    /* x2APIC-less platform: the vector an "acknowledge interrupt on exit"
     * took, for the platform to retire (-1 none). */
    int acked_vector;
    /* Checks between instructions in non-root operation (interrupt
     * window, VMX-preemption timer); set by VM entry. */
    bool boundary;
    uint64_t preempt_deadline;  /* core cycle the timer reaches 0, or ~0 */
    /* Monitor trap flag: the core's instruction and delivery counts at VM
     * entry (an exit is pending once either moves), and a pending MTF
     * exit injected with interruption type 7. */
    uint64_t mtf_insns;
    uint64_t mtf_delivered;
    bool mtf_forced;
    /* Blocking by NMI (interruptibility bit 3): virtual-NMI blocking with
     * "virtual NMIs" = 1, else NMI blocking (no NMI source is modelled;
     * the bit is kept and saved).  iret_unblocked: a guest IRET removed
     * it, the IRET that began when c->st.insns was iret_insns. */
    bool tpr_pending;       /* TPR below threshold found at VM entry */
    bool nmi_blocked;
    bool iret_unblocked;
    uint64_t iret_insns;
};

/* The hook to install as x86_cpu.virt (ctx: the struct vmx_cpu). */
extern const struct x86_virt_ops vmx_virt_ops;

/* Set up `v` for core `c` with model `m` and costs `cost`: not in VMX
 * operation, no current VMCS; installs the hook on `c`.  The platform
 * struct is copied. */
void vmx_cpu_init(struct vmx_cpu *v, struct x86_cpu *c,
                  const struct vmx_cpu_model *m,
                  const struct vmx_cost_cfg *cost,
                  const struct vmx_platform *p);

/* RDMSR of a VMX capability MSR (0x480-0x493): 0, or -1 (#GP). */
int vmx_cpu_rdmsr(const struct vmx_cpu *v, uint32_t msr, uint64_t *val);

/* Whether EPT is in use now (non-root with "enable EPT"), and the EPTP. */
bool vmx_cpu_ept(const struct vmx_cpu *v, const struct x86_cpu *c,
                 uint64_t *eptp);

/*
 * Between two instructions in non-root operation (the platform calls it
 * before each step when v->boundary, and when a halted guest's
 * preempt_deadline comes, and after it delivered an external interrupt
 * to the guest): the monitor trap flag (exit 37), the VMX-preemption
 * timer (exit 52), NMI-window (exit 8) and interrupt-window exiting
 * (exit 7), in that order, SDM Vol. 3C "Monitor Trap Flag",
 * "VMX-Preemption Timer", "NMI-Window Exiting", "Interrupt-Window
 * Exiting".  Returns X86_VIRT_SWITCHED after an exit,
 * else X86_VIRT_PASS.
 */
int vmx_cpu_boundary(struct vmx_cpu *v, struct x86_cpu *c);

/* Whether an external interrupt that arrives now is acknowledged by the
 * core: always, except when it causes a VM exit with "acknowledge
 * interrupt on exit" = 0, which leaves it pending in the local APIC and
 * the exit's interruption information invalid (SDM Vol. 3C "Information
 * for VM Exits Due to Vectored Events"). */
bool vmx_cpu_intr_acked(const struct vmx_cpu *v, const struct x86_cpu *c);

/* Flush the open exit record (end of run: the VMM never resumed). */
void vmx_cpu_finish(struct vmx_cpu *v);

/* Register per-reason stats under "<obj>.vmx.*". */
int vmx_cpu_register_stats(struct vmx_cpu *v, struct sim_stats *s,
                           const char *obj);

#endif /* VMX_CPU_H */
