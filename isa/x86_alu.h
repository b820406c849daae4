/*
 * x86_alu.h - integer results and RFLAGS of the x86 ALU operations.
 *
 * Operands and results are held in uint64_t, truncated to `size` bytes
 * (1, 2, 4 or 8).  x86_alu() reads CF from *rflags where the operation uses
 * it (ADC, SBB, RCL, RCR, and INC/DEC keep it) and writes the arithmetic
 * flags back; other RFLAGS bits are never touched.  For shifts and
 * rotates, `b` is the count before masking.
 */
#ifndef X86_ALU_H
#define X86_ALU_H

#include <stdint.h>

#define X86_FL_CF (1u << 0)
#define X86_FL_PF (1u << 2)
#define X86_FL_AF (1u << 4)
#define X86_FL_ZF (1u << 6)
#define X86_FL_SF (1u << 7)
#define X86_FL_OF (1u << 11)
#define X86_FL_ARITH (X86_FL_CF | X86_FL_PF | X86_FL_AF | X86_FL_ZF | \
                      X86_FL_SF | X86_FL_OF)

enum x86_alu_op {
#define X86_ALU(n, u) X86_ALU_##n,
#include "x86_alu.def"
#undef X86_ALU
    X86_ALU__COUNT
};

extern const char *const x86_alu_name[X86_ALU__COUNT];
/* Flags the SDM leaves undefined for each operation (see x86_alu.def). */
extern const uint32_t x86_alu_undef[X86_ALU__COUNT];

/* Result of `a op b` (CMP and TEST return a unchanged). */
uint64_t x86_alu(unsigned op, unsigned size, uint64_t a, uint64_t b,
                 uint64_t *rflags);

/* Flags left undefined by a shift/rotate of `size` bytes by `count`
 * (before masking), beyond the row's own. */
uint32_t x86_alu_shift_undef(unsigned op, unsigned size, uint64_t count);

#endif /* X86_ALU_H */
