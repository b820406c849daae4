/*
 * x86_exec_int.h - what the executor's two halves share: x86_exec.c (fetch,
 * decode, dispatch, the integer instructions) and x86_sys.c (system
 * instructions, segment loads, event delivery).  Not a public interface.
 */
#ifndef ISA_X86_EXEC_INT_H
#define ISA_X86_EXEC_INT_H

#include <string.h>

#include "x86_cpu.h"

#define XE_PAGE     4096u
#define XE_MAX_LEN  15u
#define XE_FAULT    1           /* the result holds an exception */
#define XE_DONE     2           /* completed by the virtualization hook:
                                   RIP is already set */

/* Per-step context. */
struct xe {
    struct x86_cpu *c;
    const struct x86_insn *i;
    struct x86_exec_result *r;
    uint64_t next;              /* RIP after the instruction */
    bool sup;                   /* implicit supervisor accesses (descriptor
                                   tables, TSS, event delivery stacks at
                                   the new CPL) */
};

typedef int (*xe_fn)(struct xe *x);

static inline uint64_t xe_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static inline uint64_t xe_sext(uint64_t v, unsigned size)
{
    unsigned sh;

    if (size >= 8 || size == 0) {
        return v;
    }
    sh = 64 - 8 * size;
    return (uint64_t)((int64_t)(v << sh) >> sh);
}

/* Canonical for 4-level paging: bits 63:47 equal (SDM Vol. 1 "Canonical
 * Addressing"); with CR4.LA57 bits 63:56. */
static inline bool xe_canonical_c(const struct x86_cpu *c, uint64_t la)
{
    unsigned sh = (c->cr4 & X86_CR4_LA57) ? 7 : 16;

    return (uint64_t)((int64_t)(la << sh) >> sh) == la;
}

static inline bool xe_mode64(const struct x86_cpu *c)
{
    return c->mode == X86_MODE_64;
}

/* Outside 64-bit mode a linear address is 32 bits wide. */
static inline uint64_t xe_wrap_la(const struct x86_cpu *c, uint64_t la)
{
    return xe_mode64(c) ? la : (la & 0xffffffffull);
}

/* x86_cond_true(): SDM Vol. 1 Appendix B "EFLAGS Condition Codes", in
 * pairs, the odd member negated. */
static inline bool xe_cond_true(unsigned cond, uint64_t rflags)
{
    bool t;

    switch ((cond & 0xf) >> 1) {
    case 0:
        t = (rflags & X86_FL_OF) != 0;
        break;
    case 1:
        t = (rflags & X86_FL_CF) != 0;
        break;
    case 2:
        t = (rflags & X86_FL_ZF) != 0;
        break;
    case 3:
        t = (rflags & (X86_FL_CF | X86_FL_ZF)) != 0;
        break;
    case 4:
        t = (rflags & X86_FL_SF) != 0;
        break;
    case 5:
        t = (rflags & X86_FL_PF) != 0;
        break;
    case 6:
        t = ((rflags & X86_FL_SF) != 0) != ((rflags & X86_FL_OF) != 0);
        break;
    default:
        t = (rflags & X86_FL_ZF) != 0 ||
            ((rflags & X86_FL_SF) != 0) != ((rflags & X86_FL_OF) != 0);
        break;
    }
    return (cond & 1) ? !t : t;
}

static inline uint64_t xe_reg_get(const struct x86_cpu *c, unsigned reg,
                                  bool high, unsigned size)
{
    if (high) {
        return (c->gpr[reg & 3] >> 8) & 0xff;
    }
    return c->gpr[reg & 15] & xe_mask(size);
}

/* SDM Vol. 1 "General-Purpose Registers in 64-Bit Mode": 32-bit results
 * are zero-extended, 8- and 16-bit results leave the other bits alone. */
static inline void xe_reg_set(struct x86_cpu *c, unsigned reg, bool high,
                              unsigned size, uint64_t v)
{
    uint64_t *p = &c->gpr[reg & 15];

    if (high) {
        p = &c->gpr[reg & 3];
        *p = (*p & ~0xff00ull) | ((v & 0xff) << 8);
        return;
    }
    switch (size) {
    case 1:
        *p = (*p & ~0xffull) | (v & 0xff);
        break;
    case 2:
        *p = (*p & ~0xffffull) | (v & 0xffff);
        break;
    case 4:
        *p = v & 0xffffffffull;
        break;
    default:
        *p = v;
        break;
    }
}

static inline uint64_t xe_le_get(const uint8_t *b, unsigned size)
{
    uint64_t v = 0;
    unsigned k;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (size <= 8) {
        memcpy(&v, b, size);
        return v;
    }
#endif
    for (k = size; k > 0; k--) {
        v = (v << 8) | b[k - 1];
    }
    return v;
}

static inline void xe_le_put(uint8_t *b, unsigned size, uint64_t v)
{
    unsigned k;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (size <= 8) {
        memcpy(b, &v, size);
        return;
    }
#endif
    for (k = 0; k < size; k++) {
        b[k] = (uint8_t)(v >> (8 * k));
    }
}

/* Stack-pointer width: 8 in 64-bit mode, else 4 or 2 by SS.B. */
static inline unsigned xe_stack_size(const struct x86_cpu *c)
{
    if (c->mode == X86_MODE_64) {
        return 8;
    }
    return (c->seg[X86_SEG_SS].attr & X86_SEG_ATTR_DB) ? 4 : 2;
}

/* Write RSP/ESP/SP keeping the bits above the stack width. */
static inline void xe_set_sp(struct x86_cpu *c, uint64_t sp)
{
    xe_reg_set(c, X86_REG_RSP, false, xe_stack_size(c), sp);
}

/* A flat segment: base 0, limit 4 GiB, present, accessed, G = 1, with
 * `type`, `dpl` and the extra attribute bits (L, D/B) given. */
static inline void xe_flat_seg(struct x86_seg *s, uint16_t sel,
                               unsigned type, unsigned dpl, uint32_t extra)
{
    s->sel = sel;
    s->base = 0;
    s->limit = 0xffffffffu;
    s->attr = type | X86_SEG_ATTR_S | (dpl << 5) | X86_SEG_ATTR_P |
              X86_SEG_ATTR_G | extra;
}

/* Exceptions and memory (x86_exec.c).  Each returns 0 or XE_FAULT with
 * the exception in x->r. */
int xe_raise(struct x86_exec_result *r, unsigned vec, bool has_error,
             uint32_t error_code);
int xe_read(struct xe *x, unsigned seg, uint64_t la, uint8_t *b,
            unsigned len);
int xe_write(struct xe *x, unsigned seg, uint64_t la, const uint8_t *b,
             unsigned len);
int xe_load(struct xe *x, unsigned seg, uint64_t la, unsigned size,
            uint64_t *v);
int xe_store(struct xe *x, unsigned seg, uint64_t la, unsigned size,
             uint64_t v);
uint64_t xe_seg_base(const struct x86_cpu *c, unsigned seg);
uint64_t xe_offset(const struct xe *x, const struct x86_mem *m);
uint64_t xe_linear(const struct xe *x, const struct x86_mem *m);
int xe_opnd_read(struct xe *x, const struct x86_operand *o, uint64_t *v);
int xe_opnd_write(struct xe *x, const struct x86_operand *o, uint64_t v);
int xe_branch_to(struct xe *x, uint64_t target);

/* x86_sys.c: handlers of the system rows of x86_ops.def (NULL where the
 * integer half handles the op), and event delivery.  `soft` is INT n /
 * INT3 / INTO (DPL check, EXT = 0); `ext` an external interrupt.  Returns
 * 0, XE_FAULT (x->r holds the fault the delivery raised), or -1 for a
 * triple fault. */
extern const xe_fn x86_sys_handler[X86_OP__COUNT];
/* Checks that come before the CPL check and before a VM exit (the #UD
 * conditions of MONITOR, MWAIT, XSETBV, XGETBV): 0, or XE_FAULT. */
extern const xe_fn x86_sys_precheck[X86_OP__COUNT];
int xs_deliver(struct xe *x, unsigned vec, bool has_error, uint32_t err,
               bool soft, bool ext, uint64_t ret_rip);
/* Hand instruction x->i to x86_cpu.virt (X86_VIRT_INSN).  Returns 0 (no
 * exit: execute it), XE_FAULT, or XE_DONE (x->r->switched tells a world
 * switch). */
int xs_virt_insn(struct xe *x);
/* Hand a non-instruction event to x86_cpu.virt; returns enum
 * x86_virt_outcome (PASS when there is no hook). */
int xs_virt_event(struct x86_cpu *c, unsigned kind, unsigned vec,
                  bool has_err, uint32_t err, bool soft, uint64_t rip,
                  uint64_t fault_addr, struct x86_exec_result *r);

#endif /* ISA_X86_EXEC_INT_H */
