/*
 * ia64_cpu.h - architectural state of one IA-64 (Itanium) processor and
 * the functional executor of its instructions (isa/ia64_exec.c), with
 * the processor side of VT-i: PSR.vm, virtualization faults and vmsw.
 *
 * References (edition pinned: Intel Itanium Architecture Software
 * Developer's Manual, revision 2.3, May 2010; "Vol. n" below):
 *   - Vol. 1, 3.1 "Application Register State": GR0-127 with NaT bits,
 *     PR0-63, BR0-7, the application registers, CFM (sof 6:0, sol 13:7,
 *     sor 17:14, rrb.gr 24:18, rrb.fr 31:25, rrb.pr 37:32) and AR.PFS
 *     (pfm 37:0, pec 57:52, ppl 63:62); 6.1 "Register Stack".
 *   - Vol. 2, 3.3 "Processor Status Register" (bit positions below),
 *     3.3.3 "Control Registers" (the CR numbers of ia64_decode.c's name
 *     table), 3.3.5.x interruption registers (ISR fields below), 3.4
 *     "Processor Virtualization" (PSR.vm), 4.1 "Virtual Addressing"
 *     (region registers: ve 0, ps 7:2, rid 31:8), 4.1.1 TLB (insertion
 *     format: p 0, ma 4:2, a 5, d 6, pl 8:7, ar 11:9, ppn 49:12, ed 52;
 *     ITIR ps 7:2, key 31:8), 4.1.6 "Page Access Rights", chapter 5
 *     "Interruptions" and 5.7 "IVA-based Interruption Vectors", 6
 *     "Register Stack Engine", 11.7 "Virtualization" for VT-i.
 *   - VT-i facts: /work/shared/reference/hw-virt-facts.md section C, by
 *     source key ([LX-vti], [LX-ivt], [IA64-SDM]); see vti-model/vti.h.
 *
 * The executor reaches memory only through struct ia64_mem_ops (physical
 * addresses, a ctx pointer), so the platform can route accesses through
 * its caches.  Two optional hooks connect the VT-i firmware models:
 *   - pal_call(ctx, cpu): called when the IP (bundle address, compared
 *     as is, i.e. virtual when PSR.it = 1) enters [pal_lo, pal_hi); the
 *     PAL model runs the procedure and sets the state, including the IP
 *     to continue at, and returns 0.  A non-zero return lets the executor
 *     fetch and execute the bytes at the IP as usual.
 *   - virt_accel(ctx, cpu, cause, insn): called before a virtualization
 *     fault is raised; returning true means the VPD model completed the
 *     instruction (it updated the state), and execution continues with
 *     the next slot without a fault.
 *
 * Granularity: ia64_step() executes ONE instruction slot (PSR.ri names
 * the slot within the bundle at IP), so a fault reports the exact slot
 * in ISR.ei and IPSR.ri, as the architecture does.
 *
 * Approximations are listed at the top of ia64_exec.c.
 */
#ifndef ISA_IA64_CPU_H
#define ISA_IA64_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "ia64.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* PSR (Vol. 2, 3.3.2 "Processor Status Register Fields")             */
/* ------------------------------------------------------------------ */
#define IA64_PSR_BE   (1ull << 1)
#define IA64_PSR_UP   (1ull << 2)
#define IA64_PSR_AC   (1ull << 3)
#define IA64_PSR_MFL  (1ull << 4)
#define IA64_PSR_MFH  (1ull << 5)
#define IA64_PSR_IC   (1ull << 13)
#define IA64_PSR_I    (1ull << 14)
#define IA64_PSR_PK   (1ull << 15)
#define IA64_PSR_DT   (1ull << 17)
#define IA64_PSR_DFL  (1ull << 18)
#define IA64_PSR_DFH  (1ull << 19)
#define IA64_PSR_SP   (1ull << 20)
#define IA64_PSR_PP   (1ull << 21)
#define IA64_PSR_DI   (1ull << 22)
#define IA64_PSR_SI   (1ull << 23)
#define IA64_PSR_DB   (1ull << 24)
#define IA64_PSR_LP   (1ull << 25)
#define IA64_PSR_TB   (1ull << 26)
#define IA64_PSR_RT   (1ull << 27)
#define IA64_PSR_CPL_SHIFT 32
#define IA64_PSR_CPL  (3ull << 32)
#define IA64_PSR_IS   (1ull << 34)
#define IA64_PSR_MC   (1ull << 35)
#define IA64_PSR_IT   (1ull << 36)
#define IA64_PSR_ID   (1ull << 37)
#define IA64_PSR_DA   (1ull << 38)
#define IA64_PSR_DD   (1ull << 39)
#define IA64_PSR_SS   (1ull << 40)
#define IA64_PSR_RI_SHIFT 41
#define IA64_PSR_RI   (3ull << 41)
#define IA64_PSR_ED   (1ull << 43)
#define IA64_PSR_BN   (1ull << 44)
#define IA64_PSR_IA   (1ull << 45)
#define IA64_PSR_VM   (1ull << 46)  /* hw-virt-facts C1 */
/* Reserved PSR bits: 0, 12:6, 16, 31:28, 63:47. */
#define IA64_PSR_RESERVED  (1ull | (0x7full << 6) | (1ull << 16) | \
                            (0xfull << 28) | (~0ull << 47))

/* ------------------------------------------------------------------ */
/* ISR (Vol. 2, 3.3.5.3 "Interruption Status Register")               */
/* ------------------------------------------------------------------ */
#define IA64_ISR_CODE_MASK 0xffffull  /* 15:0 */
#define IA64_ISR_X   (1ull << 32)
#define IA64_ISR_W   (1ull << 33)
#define IA64_ISR_R   (1ull << 34)
#define IA64_ISR_NA  (1ull << 35)
#define IA64_ISR_SP  (1ull << 36)
#define IA64_ISR_RS  (1ull << 37)
#define IA64_ISR_IR  (1ull << 38)
#define IA64_ISR_NI  (1ull << 39)
#define IA64_ISR_SO  (1ull << 40)
#define IA64_ISR_EI_SHIFT 41           /* 42:41 slot */
#define IA64_ISR_ED  (1ull << 43)

/* General Exception ISR.code{7:4} (linux arch/ia64/kernel/traps.c
 * ia64_fault() reason table, indexed by (isr >> 4) & 0xf). */
#define IA64_GE_ILLEGAL_OP    (0u << 4)
#define IA64_GE_PRIV_OP       (1u << 4)
#define IA64_GE_PRIV_REG      (2u << 4)
#define IA64_GE_RESERVED_REG  (3u << 4)
#define IA64_GE_DISABLED_ISA  (4u << 4)

/* IFS valid bit; CFM/PFS/IFS fields (Vol. 1, 3.1.7 / 3.1.8.x). */
#define IA64_IFS_V   (1ull << 63)
#define IA64_CFM_MASK ((1ull << 38) - 1)

/* ------------------------------------------------------------------ */
/* IVT offsets (Vol. 2, 5.7 "IVA-based Interruption Vectors"; [LX-ivt])*/
/* ------------------------------------------------------------------ */
/* IA64_VECTOR(name, offset) */
#define IA64_VECTOR_LIST(X)                                                \
    X(VHPT_TRANSLATION,     0x0000)                                        \
    X(INST_TLB,             0x0400)                                        \
    X(DATA_TLB,             0x0800)                                        \
    X(ALT_INST_TLB,         0x0c00)                                        \
    X(ALT_DATA_TLB,         0x1000)                                        \
    X(DATA_NESTED_TLB,      0x1400)                                        \
    X(INST_KEY_MISS,        0x1800)                                        \
    X(DATA_KEY_MISS,        0x1c00)                                        \
    X(DIRTY_BIT,            0x2000)                                        \
    X(INST_ACCESS_BIT,      0x2400)                                        \
    X(DATA_ACCESS_BIT,      0x2800)                                        \
    X(BREAK,                0x2c00)                                        \
    X(EXTERNAL_INTERRUPT,   0x3000)                                        \
    X(VIRT_EXTERNAL_INT,    0x3400)  /* VT-i, hw-virt-facts C1 */          \
    X(PAGE_NOT_PRESENT,     0x5000)                                        \
    X(KEY_PERMISSION,       0x5100)                                        \
    X(INST_ACCESS_RIGHTS,   0x5200)                                        \
    X(DATA_ACCESS_RIGHTS,   0x5300)                                        \
    X(GENERAL_EXCEPTION,    0x5400)                                        \
    X(DISABLED_FP,          0x5500)                                        \
    X(NAT_CONSUMPTION,      0x5600)                                        \
    X(SPECULATION,          0x5700)                                        \
    X(DEBUG,                0x5900)                                        \
    X(UNALIGNED_REFERENCE,  0x5a00)                                        \
    X(UNSUPPORTED_DATA_REF, 0x5b00)                                        \
    X(FP_FAULT,             0x5c00)                                        \
    X(FP_TRAP,              0x5d00)                                        \
    X(LOWER_PRIV_TRANSFER,  0x5e00)                                        \
    X(TAKEN_BRANCH,         0x5f00)                                        \
    X(SINGLE_STEP,          0x6000)                                        \
    X(VIRTUALIZATION,       0x6100)  /* VT-i, hw-virt-facts C1 */

enum ia64_vector {
#define IA64_VECTOR_ENUM(n, off) IA64_VEC_##n = (off),
    IA64_VECTOR_LIST(IA64_VECTOR_ENUM)
#undef IA64_VECTOR_ENUM
};

/* ------------------------------------------------------------------ */
/* Register numbers                                                    */
/* ------------------------------------------------------------------ */
/* Application registers (Vol. 1, 3.1.8 "Application Registers"). */
enum {
    IA64_AR_K0 = 0, IA64_AR_K7 = 7, IA64_AR_RSC = 16, IA64_AR_BSP = 17,
    IA64_AR_BSPSTORE = 18, IA64_AR_RNAT = 19, IA64_AR_CCV = 32,
    IA64_AR_UNAT = 36, IA64_AR_FPSR = 40, IA64_AR_ITC = 44,
    IA64_AR_PFS = 64, IA64_AR_LC = 65, IA64_AR_EC = 66
};
/* Control registers (Vol. 2, 3.3.3 "Control Registers"). */
enum {
    IA64_CR_DCR = 0, IA64_CR_ITM = 1, IA64_CR_IVA = 2, IA64_CR_PTA = 8,
    IA64_CR_IPSR = 16, IA64_CR_ISR = 17, IA64_CR_IIP = 19,
    IA64_CR_IFA = 20, IA64_CR_ITIR = 21, IA64_CR_IIPA = 22,
    IA64_CR_IFS = 23, IA64_CR_IIM = 24, IA64_CR_IHA = 25,
    IA64_CR_LID = 64, IA64_CR_IVR = 65, IA64_CR_TPR = 66,
    IA64_CR_EOI = 67, IA64_CR_IRR0 = 68, IA64_CR_IRR3 = 71,
    IA64_CR_ITV = 72, IA64_CR_PMV = 73, IA64_CR_CMCV = 74,
    IA64_CR_LRR0 = 80, IA64_CR_LRR1 = 81
};

/* ------------------------------------------------------------------ */
/* State                                                               */
/* ------------------------------------------------------------------ */

/* Memory interface: physical addresses (bit 63, the uncacheable
 * attribute of physical addressing, already removed).  Return 0, or
 * non-zero when nothing answers at `pa` (the executor then stops with
 * IA64_STOP_BUS_ERROR: a machine check, which ends the run). */
struct ia64_mem_ops {
    int (*read)(void *ctx, uint64_t pa, void *buf, unsigned len);
    int (*write)(void *ctx, uint64_t pa, const void *buf, unsigned len);
};

/* One translation (Vol. 2, 4.1.1.x "Translation Cache/Registers"). */
struct ia64_tlb_entry {
    uint64_t vpn;       /* virtual address bits 60:ps (region bits cleared) */
    uint64_t ppn;       /* physical address bits 49:ps (aligned) */
    uint32_t rid;       /* region identifier it was inserted with */
    uint32_t key;       /* protection key (ITIR.key) */
    uint8_t  ps;        /* log2 page size */
    uint8_t  ar;        /* access rights 0..7 */
    uint8_t  pl;        /* privilege level 0..3 */
    uint8_t  ma;        /* memory attribute */
    uint8_t  p, a, d, ed;
    uint8_t  valid;
};

#define IA64_NTC 64         /* translation cache entries per side */
#define IA64_NTR 8          /* translation registers per side */
#define IA64_RSE_PHYS 256   /* physical stacked registers (ring) */
#define IA64_NCPUID 5       /* CPUID[0..4] (Vol. 1, 3.1.11) */

enum ia64_tlb_side { IA64_TLB_I = 0, IA64_TLB_D = 1 };

/* Why ia64_step() stopped making progress. */
enum ia64_stop {
    IA64_STOP_NONE = 0,
    IA64_STOP_BUS_ERROR     /* memory callback failed: machine check */
};

struct ia64_cpu;

typedef int (*ia64_pal_hook)(void *ctx, struct ia64_cpu *cpu);
typedef bool (*ia64_virt_accel_hook)(void *ctx, struct ia64_cpu *cpu,
                                     unsigned cause,
                                     const struct ia64_insn *insn);

struct ia64_cpu {
    /* ---- application state (Vol. 1, 3.1) ---- */
    uint64_t ip;            /* bundle address; PSR.ri gives the slot */
    uint64_t gr[32];        /* GR0-31 (GR16-31 of the bank PSR.bn) */
    uint8_t  nat[32];
    uint64_t bank[16];      /* the other bank of GR16-31 */
    uint8_t  bank_nat[16];
    uint64_t pr;            /* PR0-63, bit n = PRn (PR0 reads 1) */
    uint64_t br[8];
    uint64_t ar[128];       /* ar[17] BSP and ar[18] BSPSTORE are kept
                               current by the register stack engine */
    uint64_t cfm;           /* current frame marker */
    /* stacked registers GR32-127: a ring of physical registers indexed by
     * a register sequence number (see ia64_exec.c "Register stack"). */
    uint64_t stk[IA64_RSE_PHYS];
    uint8_t  stk_nat[IA64_RSE_PHYS];
    uint64_t bof;           /* sequence number of the frame's GR32 */

    /* ---- system state (Vol. 2, 3.3) ---- */
    uint64_t psr;
    uint64_t cr[128];
    uint64_t rr[8];
    uint64_t pkr[16];
    uint64_t dbr[16];
    uint64_t ibr[16];
    uint64_t pmc[16];
    uint64_t pmd[16];
    uint64_t cpuid[IA64_NCPUID];
    struct ia64_tlb_entry tc[2][IA64_NTC];  /* [enum ia64_tlb_side] */
    struct ia64_tlb_entry tr[2][IA64_NTR];
    unsigned tc_next[2];    /* round-robin replacement pointer */
    uint64_t iipa_next;     /* bundle of the last completed instruction */

    /* ---- implementation parameters (ia64_cpu_init defaults) ---- */
    unsigned impl_va_msb;   /* IMPL_VA_MSB: 50 */
    unsigned impl_pa_msb;   /* IMPL_PA_MSB: 49 */
    bool     vm_implemented;   /* VT-i present (PAL_PROC_GET_FEATURES
                                  bit 40, hw-virt-facts C1) */

    /* ---- VT-i controls, set by the PAL / VPD models ---- */
    bool     vti_cause_handoff;  /* GR24 = cause (PAL_VP_INIT_ENV bit 9) */
    bool     vti_opcode_handoff; /* GR25 = opcode (PAL_VP_INIT_ENV bit 8) */
    bool     vmsw_disabled;      /* vdc.d_vmsw (hw-virt-facts C3, C6) */

    /* ---- platform hooks ---- */
    const struct ia64_mem_ops *mem;
    void    *mem_ctx;
    ia64_pal_hook pal_call;      /* optional */
    void    *pal_ctx;
    uint64_t pal_lo, pal_hi;     /* PAL entry region [lo, hi) */
    ia64_virt_accel_hook virt_accel;  /* optional */
    void    *accel_ctx;
    /* optional: reads the bundle of an instruction fetch (physical, 16
     * bytes, ctx = mem_ctx) instead of mem->read, so that a platform can
     * time fetches apart from data references */
    int    (*fetch)(void *ctx, uint64_t pa, void *buf, unsigned len);
    bool     itc_by_platform;    /* the platform advances AR.ITC by the
                                    cycles it charges; ia64_step() then
                                    leaves it alone (default: +1 per
                                    step) */

    /* ---- status and counters the platform reads ---- */
    enum ia64_stop stop;
    uint64_t insns;              /* slots completed (incl. predicated off) */
    uint64_t interruptions;      /* interruptions delivered */
    uint32_t last_vector;        /* IVT offset of the last interruption */
    uint64_t pal_calls;
    uint64_t virt_faults;
    uint64_t virt_accels;
    /* translations with PSR.it / dt / rt = 1 (fetches, data references,
     * RSE, probe/tpa/tak), per side [enum ia64_tlb_side]: found in a TR
     * or TC (tlb_tr_hits: of which in a TR) or not found, which raised a
     * TLB fault the guest handles (Vol. 2 4.1) */
    uint64_t tlb_hits[2];
    uint64_t tlb_tr_hits[2];
    uint64_t tlb_misses[2];
    uint64_t op_count[IA64_OP__COUNT];      /* executed slots per op */
    uint64_t unimpl_count[IA64_OP__COUNT];  /* Illegal Operation faults for
                                               ops outside the subset
                                               (incl. UNKNOWN, ILLEGAL) */
    uint64_t virt_cause_count[42];          /* per cause code 1..41 */
};

/* Reset state: PSR = 0 (physical addressing, CPL 0, bank 0), IP = ip,
 * an empty frame, BSP = BSPSTORE = 0, empty TLBs, RR ps = 13 (8 KiB),
 * CPUID[3] with number = 4, VT-i implemented, hand-offs off. */
void ia64_cpu_init(struct ia64_cpu *cpu, const struct ia64_mem_ops *mem,
                   void *mem_ctx, uint64_t ip);

/* Execute one instruction slot (or deliver the interruption it raises,
 * or run the PAL hook).  Returns the stop reason, IA64_STOP_NONE while
 * the processor can go on.  Never aborts on guest input. */
enum ia64_stop ia64_step(struct ia64_cpu *cpu);

/* General registers of the current frame as an instruction sees them
 * (GR0-127, with rotation).  Return -1 for a register outside the
 * current frame (GR32+sof and up) or a write to GR0; 0 otherwise. */
int ia64_gr_get(const struct ia64_cpu *cpu, unsigned r, uint64_t *val,
                bool *nat);
int ia64_gr_set(struct ia64_cpu *cpu, unsigned r, uint64_t val, bool nat);
/* GR16-31 of a given bank (0 or 1) regardless of PSR.bn. */
uint64_t ia64_gr_bank_get(const struct ia64_cpu *cpu, unsigned bank,
                          unsigned r);
void ia64_gr_bank_set(struct ia64_cpu *cpu, unsigned bank, unsigned r,
                      uint64_t val);
bool ia64_pr_get(const struct ia64_cpu *cpu, unsigned p);

/* Deliver interruption `vector` (IVT offset) for the instruction in the
 * current slot, as Vol. 2 5.4/5.5 prescribe; `isr` is written to ISR
 * (ISR.ei and ISR.ni are filled in here), `ifa` to IFA when has_ifa.
 * Used by the executor and by platform models (external interrupts). */
void ia64_interrupt(struct ia64_cpu *cpu, uint32_t vector, uint64_t isr,
                    bool has_ifa, uint64_t ifa);

/* IVT offset -> name ("VIRTUALIZATION"), NULL for unknown offsets. */
const char *ia64_vector_name(uint32_t vector);

#ifdef __cplusplus
}
#endif

#endif /* ISA_IA64_CPU_H */
