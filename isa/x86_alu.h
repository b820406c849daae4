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

#include <stdbool.h>
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

/*
 * MUL / IMUL (one-operand form): the double-width product of a and b
 * (unsigned or signed), low half in *lo, high half in *hi.  CF = OF = 1
 * when the high half is significant (MUL: non-zero; IMUL: not the sign
 * extension of the low half).  The two- and three-operand IMUL forms keep
 * *lo and the same flags.  SF, ZF, AF, PF: undefined (vtsim: SF and ZF from
 * the low half, AF = 0, PF from the low byte).
 */
void x86_mul(bool sign, unsigned size, uint64_t a, uint64_t b, uint64_t *lo,
             uint64_t *hi, uint64_t *rflags);

/*
 * DIV / IDIV: divide hi:lo (double width) by d.  Returns false, leaving the
 * outputs alone, when the instruction raises #DE (d = 0, or the quotient
 * does not fit `size` bytes).  Flags are undefined and left unchanged.
 */
bool x86_div(bool sign, unsigned size, uint64_t hi, uint64_t lo, uint64_t d,
             uint64_t *quot, uint64_t *rem);

enum x86_bitop {
    X86_BIT_BSF, X86_BIT_BSR, X86_BIT_TZCNT, X86_BIT_LZCNT, X86_BIT_POPCNT,
    X86_BIT_BT, X86_BIT_BTS, X86_BIT_BTR, X86_BIT_BTC,
};

/*
 * Bit scans and counts (dst = old destination, src = source): BSF/BSR set
 * ZF when src = 0 and then leave the destination unchanged (as AMD
 * documents and Intel parts do); TZCNT/LZCNT set CF when src = 0 and ZF
 * when the count is 0; POPCNT sets ZF when src = 0 and clears the others.
 * BT/BTS/BTR/BTC: CF = bit (src mod width) of dst; the result is dst with
 * that bit kept, set, cleared or complemented.
 */
uint64_t x86_bitop(unsigned op, unsigned size, uint64_t dst, uint64_t src,
                   uint64_t *rflags);

/* Flags each bit operation leaves undefined (for tests). */
uint32_t x86_bitop_undef(unsigned op);

/*
 * SHLD / SHRD: shift dst by count (masked to 5 or 6 bits), filling from
 * src.  A masked count of 0 changes nothing; a count above the operand
 * width (16-bit only) gives an undefined result (vtsim: shifts through the
 * 32-bit concatenation as Intel parts do).  OF is defined for a count of 1.
 */
uint64_t x86_shd(bool left, unsigned size, uint64_t dst, uint64_t src,
                 uint64_t count, uint64_t *rflags);

#endif /* X86_ALU_H */
