/*
 * x86_alu_inl.h - the frequent ALU operations of x86_alu.h as inline code,
 * for the executor's fast paths (x86_exec.c) and for x86_alu() itself, so
 * that both compute every result and flag with the same code.
 *
 * Follows the "Operation" and "Flags Affected" sections of ADD, ADC, SUB,
 * SBB, CMP, AND, OR, XOR, TEST, INC, DEC, NEG, NOT and SAL/SHL, SHR, SAR in
 * Intel SDM Vol. 2 (325383-080, June 2023), with the fixed values for
 * undefined flags documented in x86_alu.c.  Rotates stay out of line in
 * x86_alu.c.  Not a public interface: use x86_alu().
 */
#ifndef X86_ALU_INL_H
#define X86_ALU_INL_H

#include "x86_alu.h"

/* X86_FL_PF for an even number of 1s in a byte (index), else 0. */
extern const uint8_t x86_alu_pf_tab[256];

static inline uint64_t xa_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static inline uint64_t xa_sign(unsigned size)
{
    return 1ull << (8 * size - 1);
}

/* SF, ZF and PF of a masked result. */
static inline uint32_t xa_szp(uint64_t r, unsigned size)
{
    uint32_t f = x86_alu_pf_tab[r & 0xff];

    if (r == 0) {
        f |= X86_FL_ZF;
    }
    if (r & xa_sign(size)) {
        f |= X86_FL_SF;
    }
    return f;
}

/* SHL, SHR, SAR by `cnt`, already masked and non-zero; *f holds the old
 * arithmetic flags and receives the new ones. */
static inline uint64_t xa_shift(unsigned op, unsigned size, uint64_t a,
                                unsigned cnt, uint32_t *f)
{
    unsigned bits = 8 * size;
    uint64_t m = xa_mask(size);
    uint64_t s = xa_sign(size);
    uint64_t r;
    bool cf;
    bool of;

    if (op == X86_ALU_SHL) {
        r = cnt >= bits ? 0 : (a << cnt) & m;
        cf = cnt > bits ? false : (a >> (bits - cnt)) & 1;
        of = ((r & s) != 0) != cf;
        *f = xa_szp(r, size) | (cf ? X86_FL_CF : 0) | (of ? X86_FL_OF : 0);
        return r;
    }
    if (op == X86_ALU_SHR) {
        r = cnt >= bits ? 0 : a >> cnt;
        cf = cnt > bits ? false : (a >> (cnt - 1)) & 1;
        of = (a & s) != 0;
        *f = xa_szp(r, size) | (cf ? X86_FL_CF : 0) | (of ? X86_FL_OF : 0);
        return r;
    }
    {
        /* SAR: sign-extend to 64 bits, then an arithmetic shift. */
        int64_t v = (int64_t)(a << (64 - bits)) >> (64 - bits);
        unsigned c = cnt >= 64 ? 63 : cnt;

        r = (uint64_t)(v >> c) & m;
        cf = (uint64_t)(v >> (c - 1)) & 1;
        *f = xa_szp(r, size) | (cf ? X86_FL_CF : 0);
        return r;
    }
}

/*
 * x86_alu() for every operation up to SAR (x86_alu.def order); false for
 * the rotates, which the caller sends to x86_alu().  Same contract:
 * result of `a op b` truncated to `size`, arithmetic flags into *rflags.
 */
static inline __attribute__((always_inline)) bool
x86_alu_inl(unsigned op, unsigned size, uint64_t a, uint64_t b,
            uint64_t *rflags, uint64_t *res)
{
    uint64_t m = xa_mask(size);
    uint64_t s = xa_sign(size);
    uint32_t f = (uint32_t)(*rflags & X86_FL_ARITH);
    uint64_t c = f & X86_FL_CF;
    uint64_t r;

    a &= m;
    b &= m;
    switch (op) {
    case X86_ALU_ADD:
    case X86_ALU_ADC:
        if (op == X86_ALU_ADD) {
            c = 0;
        }
        r = (a + b + c) & m;
        f = xa_szp(r, size) | (uint32_t)((a ^ b ^ r) & X86_FL_AF);
        if (r < a || (c && r == a)) {
            f |= X86_FL_CF;
        }
        if ((a ^ r) & (b ^ r) & s) {
            f |= X86_FL_OF;
        }
        break;
    case X86_ALU_SUB:
    case X86_ALU_SBB:
    case X86_ALU_CMP:
        if (op != X86_ALU_SBB) {
            c = 0;
        }
        r = (a - b - c) & m;
        f = xa_szp(r, size) | (uint32_t)((a ^ b ^ r) & X86_FL_AF);
        if (a < b || (c && a == b)) {
            f |= X86_FL_CF;
        }
        if ((a ^ b) & (a ^ r) & s) {
            f |= X86_FL_OF;
        }
        if (op == X86_ALU_CMP) {
            r = a;
        }
        break;
    case X86_ALU_AND:
    case X86_ALU_TEST:
        r = a & b;
        f = xa_szp(r, size);
        if (op == X86_ALU_TEST) {
            r = a;
        }
        break;
    case X86_ALU_OR:
        r = a | b;
        f = xa_szp(r, size);
        break;
    case X86_ALU_XOR:
        r = a ^ b;
        f = xa_szp(r, size);
        break;
    case X86_ALU_INC:
    case X86_ALU_DEC:
        r = (op == X86_ALU_INC ? a + 1 : a - 1) & m;
        /* CF is kept. */
        f = (f & X86_FL_CF) | xa_szp(r, size) |
            (uint32_t)((a ^ 1 ^ r) & X86_FL_AF);
        if (op == X86_ALU_INC ? r == s : a == s) {
            f |= X86_FL_OF;
        }
        break;
    case X86_ALU_NEG:
        r = (0 - a) & m;
        f = xa_szp(r, size) | (uint32_t)((a ^ r) & X86_FL_AF);
        if (a != 0) {
            f |= X86_FL_CF;
        }
        if (a == s) {
            f |= X86_FL_OF;
        }
        break;
    case X86_ALU_NOT:
        *res = ~a & m;
        return true;
    case X86_ALU_SHL:
    case X86_ALU_SHR:
    case X86_ALU_SAR: {
        unsigned cnt = (unsigned)(b & (size == 8 ? 63 : 31));

        if (cnt == 0) {
            *res = a;           /* a masked count of 0 changes no flag */
            return true;
        }
        r = xa_shift(op, size, a, cnt, &f);
        break;
    }
    default:
        return false;
    }
    *rflags = (*rflags & ~(uint64_t)X86_FL_ARITH) | f;
    *res = r;
    return true;
}

#endif /* X86_ALU_INL_H */
