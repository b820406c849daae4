/*
 * x86_cpu.h - architectural state of one x86-64 core running user-level
 * (CPL 3) code in 64-bit mode, and the executor of its integer
 * instructions, one instruction per x86_step().
 *
 * Follows Intel SDM (325383-080, June 2023): Vol. 1 "Basic Execution
 * Environment" (general-purpose registers in 64-bit mode, 32-bit writes
 * zero-extended, RFLAGS), Vol. 2 for each instruction's Operation, Flags
 * Affected and 64-Bit Mode Exceptions, Vol. 3A "Exception and Interrupt
 * Reference" (which exceptions are faults, the page-fault error code) and
 * "Debug Exceptions" (single-step trap).  Results and flags of the ALU
 * operations come from x86_alu.h; decoding from x86.h.
 *
 * The executor touches memory only through struct x86_mem_ops, so the
 * same code runs on a flat test buffer, on Unicorn-mirrored pages or on the
 * MMU and cache models.
 *
 * Approximations (also listed in x86_exec.c):
 *   - CPL is always 3, CS is a 64-bit code segment, IOPL is read from
 *     RFLAGS; segment bases are 0 except FS and GS.  No segment selectors,
 *     control registers, MSRs or descriptor tables: instructions that need
 *     them (MOV Sreg, PUSH/POP FS/GS, SYSCALL, CPUID, INT n, ...) are
 *     reported as unimplemented (#UD with x86_exec_result.unimpl set).
 *   - Linear addresses are canonical when bits 63:47 are equal (4-level
 *     paging); LA57 is not modelled.  Alignment checking (CR0.AM with
 *     RFLAGS.AC) is not modelled.
 *   - RFLAGS.RF is cleared only by POPF; instruction breakpoints and DR6
 *     are not modelled (a single-step #DB is reported as a trap result).
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

/* Exception vectors the executor raises (SDM Vol. 3A, Table "Protected-
 * Mode Exceptions and Interrupts"). */
enum x86_vector {
    X86_VEC_DE = 0,         /* divide error (fault) */
    X86_VEC_DB = 1,         /* debug: single step (trap) */
    X86_VEC_UD = 6,         /* invalid opcode (fault) */
    X86_VEC_SS = 12,        /* stack fault: non-canonical SS reference */
    X86_VEC_GP = 13,        /* general protection (fault) */
    X86_VEC_PF = 14         /* page fault (fault) */
};

/* Page-fault error code (SDM Vol. 3A "Interrupt 14-Page-Fault Exception"). */
#define X86_PFEC_P    (1u << 0)     /* protection violation (1), not present */
#define X86_PFEC_W    (1u << 1)     /* write access */
#define X86_PFEC_U    (1u << 2)     /* user-mode access: always, CPL 3 */
#define X86_PFEC_RSVD (1u << 3)     /* reserved bit set in a paging entry */
#define X86_PFEC_I    (1u << 4)     /* instruction fetch */
#define X86_PFEC_PK   (1u << 5)     /* protection key */
/* Bits of the error code a memory callback may report (below). */
#define X86_PFEC_FROM_MMU (X86_PFEC_P | X86_PFEC_RSVD | X86_PFEC_PK)
/* Marks a callback return value that carries X86_PFEC_FROM_MMU bits. */
#define X86_MEM_PFEC      (1 << 30)

/*
 * Memory seen by the core, by linear address.  Each call covers bytes of
 * one 4 KiB page only (the executor splits accesses at page boundaries),
 * `len` is 1..15.  Return 0 on success; non-zero is a page fault on that
 * access.  A value with X86_MEM_PFEC set supplies the X86_PFEC_FROM_MMU
 * bits of the error code (X86_MEM_PFEC | X86_PFEC_P for a protection
 * fault); any other non-zero value is a not-present fault.  The executor
 * adds W, U and I itself.  `fetch` reads instruction bytes (it may share
 * its implementation with `read`).
 */
struct x86_mem_ops {
    int (*read)(void *ctx, uint64_t va, void *buf, unsigned len);
    int (*write)(void *ctx, uint64_t va, const void *buf, unsigned len);
    int (*fetch)(void *ctx, uint64_t va, void *buf, unsigned len);
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
};

struct x86_cpu {
    uint64_t gpr[16];       /* enum x86_reg order: RAX .. R15 */
    uint64_t rip;
    uint64_t rflags;        /* bit 1 reads as 1 */
    uint64_t fs_base;
    uint64_t gs_base;
    /* Iterations of a REP string instruction done per x86_step(); if more
     * remain, the step ends with RIP still on the instruction, as an
     * interrupt between iterations would leave it.  0 means the default. */
    uint32_t rep_limit;
    const struct x86_mem_ops *mem;
    void *mem_ctx;
    struct x86_cpu_stats st;
    /* Instructions decoded but not executed (refused with #UD), by Zydis
     * mnemonic; x86_zydis_mnemonic_name() gives the names. */
    uint64_t unimpl_by_mnemonic[X86_CPU_MNEMONIC_SLOTS];
    struct x86_insn insn;   /* the last decoded instruction */
};

enum x86_exec_status {
    X86_EXEC_OK = 0,            /* instruction completed (see rep_more) */
    X86_EXEC_EXCEPTION = 1      /* vector, error code in the result */
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
    uint16_t pad;
    uint32_t error_code;
    uint32_t rep_iters;     /* string iterations done by this step */
    uint64_t rip;           /* RIP of the instruction */
    uint64_t fault_addr;    /* #PF: faulting linear address (CR2) */
    /* The decoded instruction (valid until the next step), NULL when the
     * fetch faulted or the bytes did not decode. */
    const struct x86_insn *insn;
};

/* Zero all state, RFLAGS = 2 (only the fixed bit), default rep_limit, and
 * attach the memory callbacks. */
void x86_cpu_init(struct x86_cpu *c, const struct x86_mem_ops *mem,
                  void *mem_ctx);

/*
 * Fetch, decode and execute one instruction at RIP.  Returns the status
 * also stored in r->status (X86_EXEC_OK or X86_EXEC_EXCEPTION), or -1
 * without touching anything when c, r or the callbacks are NULL.  On a
 * fault no architectural state changes (RIP stays on the instruction),
 * except that a REP string instruction keeps its completed iterations.
 * Never aborts on any instruction bytes or register values.
 */
int x86_step(struct x86_cpu *c, struct x86_exec_result *r);

/* Whether condition `cond` (enum x86_cond) holds for `rflags`. */
bool x86_cond_true(unsigned cond, uint64_t rflags);

#ifdef __cplusplus
}
#endif

#endif /* ISA_X86_CPU_H */
