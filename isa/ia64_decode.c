/*
 * ia64_decode.c - IA-64 bundle and slot decoding into struct ia64_insn,
 * the tables generated from ia64_ops.def, and AR/CR names.
 *
 * Follows the Intel Itanium Architecture SDM rev 2.3: Vol. 1 section 3.3
 * "Instruction Encoding Overview" (bundle layout: template bits 4:0,
 * slot 0 bits 45:5, slot 1 bits 86:46, slot 2 bits 127:87; "Template
 * Field Encoding and Instruction Slot Mapping") and Vol. 3 chapter 4
 * "Instruction Formats" (the field positions in the format switch below,
 * named after the formats).
 * Register names follow the Vol. 1 "Application Registers" and Vol. 2
 * "Control Registers" tables, spelled as binutils 2.40 prints
 * them.
 *
 * Guest bytes are untrusted: every field is masked to its width before
 * use, tables are indexed only by masked values, and nothing asserts.
 *
 * Approximations: see ia64.h.
 */
#include "ia64.h"

#include <string.h>
#include <threads.h>

_Static_assert(IA64_OP__COUNT < 0x10000, "op must fit uint16_t");
_Static_assert(IA64_FMT__COUNT < 0x100, "fmt must fit uint8_t");

/* ------------------------------------------------------------------ */
/* Templates (Vol. 1 "Template Field Encoding and Instruction Slot  */
/* Mapping")                                                          */
/* ------------------------------------------------------------------ */

#define U_M IA64_UNIT_M
#define U_I IA64_UNIT_I
#define U_F IA64_UNIT_F
#define U_B IA64_UNIT_B
#define U_L IA64_UNIT_L
#define U_X IA64_UNIT_X
#define U_0 IA64_UNIT_NONE
/* Stop bits: S0/S1 inside the bundle (after slot 0 or 1), S2 at its
 * end (template bit 0). */
#define S0 1u
#define S1 2u
#define S2 4u

const struct ia64_template ia64_templates[32] = {
    [0x00] = { "MII", { U_M, U_I, U_I }, 0,       0 },
    [0x01] = { "MII", { U_M, U_I, U_I }, S2,      0 },
    [0x02] = { "MII", { U_M, U_I, U_I }, S1,      0 },
    [0x03] = { "MII", { U_M, U_I, U_I }, S1 | S2, 0 },
    [0x04] = { "MLX", { U_M, U_L, U_X }, 0,       0 },
    [0x05] = { "MLX", { U_M, U_L, U_X }, S2,      0 },
    [0x06] = { "-3-", { U_0, U_0, U_0 }, 0,       1 },
    [0x07] = { "-3-", { U_0, U_0, U_0 }, 0,       1 },
    [0x08] = { "MMI", { U_M, U_M, U_I }, 0,       0 },
    [0x09] = { "MMI", { U_M, U_M, U_I }, S2,      0 },
    [0x0a] = { "MMI", { U_M, U_M, U_I }, S0,      0 },
    [0x0b] = { "MMI", { U_M, U_M, U_I }, S0 | S2, 0 },
    [0x0c] = { "MFI", { U_M, U_F, U_I }, 0,       0 },
    [0x0d] = { "MFI", { U_M, U_F, U_I }, S2,      0 },
    [0x0e] = { "MMF", { U_M, U_M, U_F }, 0,       0 },
    [0x0f] = { "MMF", { U_M, U_M, U_F }, S2,      0 },
    [0x10] = { "MIB", { U_M, U_I, U_B }, 0,       0 },
    [0x11] = { "MIB", { U_M, U_I, U_B }, S2,      0 },
    [0x12] = { "MBB", { U_M, U_B, U_B }, 0,       0 },
    [0x13] = { "MBB", { U_M, U_B, U_B }, S2,      0 },
    [0x14] = { "-a-", { U_0, U_0, U_0 }, 0,       1 },
    [0x15] = { "-a-", { U_0, U_0, U_0 }, 0,       1 },
    [0x16] = { "BBB", { U_B, U_B, U_B }, 0,       0 },
    [0x17] = { "BBB", { U_B, U_B, U_B }, S2,      0 },
    [0x18] = { "MMB", { U_M, U_M, U_B }, 0,       0 },
    [0x19] = { "MMB", { U_M, U_M, U_B }, S2,      0 },
    [0x1a] = { "-d-", { U_0, U_0, U_0 }, 0,       1 },
    [0x1b] = { "-d-", { U_0, U_0, U_0 }, 0,       1 },
    [0x1c] = { "MFB", { U_M, U_F, U_B }, 0,       0 },
    [0x1d] = { "MFB", { U_M, U_F, U_B }, S2,      0 },
    [0x1e] = { "-f-", { U_0, U_0, U_0 }, 0,       1 },
    [0x1f] = { "-f-", { U_0, U_0, U_0 }, 0,       1 },
};

#undef U_M
#undef U_I
#undef U_F
#undef U_B
#undef U_L
#undef U_X
#undef U_0
#undef S0
#undef S1
#undef S2

/* ------------------------------------------------------------------ */
/* Tables generated from ia64_ops.def                                  */
/* ------------------------------------------------------------------ */

#define IA64_OPC_MASK (UINT64_C(0xf) << IA64_OPC_SHIFT)

const struct ia64_op_info ia64_op_info[IA64_OP__COUNT] = {
    [IA64_OP_NONE] = { "NONE", "", "", 0, 0, 0, IA64_FMT_NONE, 0 },
    [IA64_OP_UNKNOWN] = { "UNKNOWN", "", "", 0, 0, 0, IA64_FMT_NONE, 0 },
    [IA64_OP_ILLEGAL] = { "ILLEGAL", "", "", 0, 0, 0, IA64_FMT_NONE, 0 },
#define E(f, v) IA64_E_BITS(f, v)
#define IA64_OP(n, mn, ty, opc, ext, fmt, opnd, vf, fl)                     \
    [IA64_OP_##n] = { #n, mn, opnd,                                         \
                      ((uint64_t)(opc) << IA64_OPC_SHIFT) | (ext), (fl),    \
                      IA64_TYPE_##ty, IA64_FMT_##fmt, (vf) },
#include "ia64_ops.def"
#undef IA64_OP
#undef E
};

/* The same `ext` expressions with E() giving field masks.  The special
 * ops have mask 0 and are never rows. */
const uint64_t ia64_op_mask[IA64_OP__COUNT] = {
#define E(f, v) IA64_E_MASK(f, v)
#define IA64_OP(n, mn, ty, opc, ext, fmt, opnd, vf, fl) \
    [IA64_OP_##n] = IA64_OPC_MASK | (ext),
#include "ia64_ops.def"
#undef IA64_OP
#undef E
};

const char *const ia64_fmt_name[IA64_FMT__COUNT] = {
#define IA64_FMT_NAME(n) [IA64_FMT_##n] = #n,
    IA64_FMT_LIST(IA64_FMT_NAME)
#undef IA64_FMT_NAME
};

/* ------------------------------------------------------------------ */
/* Row index by (type, major opcode), built once                       */
/* ------------------------------------------------------------------ */

/* Chains: first row per bucket, next row in table order; 0
 * (IA64_OP_NONE, never a row) ends a chain. */
static uint16_t ia64_row_first[IA64_TYPE__COUNT * 16];
static uint16_t ia64_row_next[IA64_OP__COUNT];
static once_flag ia64_once = ONCE_FLAG_INIT;

#define IA64_FIRST_ROW (IA64_OP_ILLEGAL + 1)

static void ia64_init_once(void)
{
    unsigned op;

    for (op = IA64_OP__COUNT - 1; op >= IA64_FIRST_ROW; op--) {
        unsigned opc = (unsigned)(ia64_op_info[op].match >> IA64_OPC_SHIFT) &
                       0xf;
        unsigned bucket = ia64_op_info[op].type * 16u + opc;

        ia64_row_next[op] = ia64_row_first[bucket];
        ia64_row_first[bucket] = (uint16_t)op;
    }
}

/* ------------------------------------------------------------------ */
/* Field helpers                                                       */
/* ------------------------------------------------------------------ */

static inline uint64_t fld(uint64_t s, unsigned lsb, unsigned width)
{
    return (s >> lsb) & ((UINT64_C(1) << width) - 1);
}

/* Sign-extend the low `bits` (1..63) of v without implementation-
 * defined conversions. */
static inline int64_t sext(uint64_t v, unsigned bits)
{
    uint64_t sign = UINT64_C(1) << (bits - 1);

    v &= (sign << 1) - 1;
    return (v & sign) ? (int64_t)(v & (sign - 1)) - (int64_t)sign
                      : (int64_t)v;
}

/* Reinterpret a 64-bit pattern as two's complement. */
static inline int64_t u2s(uint64_t v)
{
    return v <= (uint64_t)INT64_MAX ? (int64_t)v : -(int64_t)(~v) - 1;
}

#define R1(s)  ((uint8_t)fld((s), 6, 7))
#define R2(s)  ((uint8_t)fld((s), 13, 7))
#define R3(s)  ((uint8_t)fld((s), 20, 7))

/* imm21 of break/nop: i (36) : imm20a (25:6). */
static inline int64_t imm21(uint64_t s)
{
    return (int64_t)((fld(s, 36, 1) << 20) | fld(s, 6, 20));
}

/* imm8 of A3, A8, I27, M30: s (36) : imm7b (19:13). */
static inline int64_t imm8(uint64_t s)
{
    return sext((fld(s, 36, 1) << 7) | fld(s, 13, 7), 8);
}

/* IP-relative displacement of B1-B3: sign_ext(s:imm20b) << 4. */
static inline int64_t disp21(uint64_t s)
{
    return sext((fld(s, 36, 1) << 20) | fld(s, 13, 20), 21) * 16;
}

/* Branch whether hint of B1, B3, B4, X3, X4 (wh, bits 34:33). */
static const uint8_t ia64_wha[4] = {
    IA64_BWH_SPTK, IA64_BWH_SPNT, IA64_BWH_DPTK, IA64_BWH_DPNT
};

static void branch_hints(uint64_t s, struct ia64_insn *in)
{
    in->bwh = ia64_wha[fld(s, 33, 2)];
    if (fld(s, 12, 1)) {
        in->cflags |= IA64_C_MANY;
    }
    if (fld(s, 35, 1)) {
        in->cflags |= IA64_C_CLR;
    }
}

/* Compare relation/type of A6 and A8 (ta = 0: opcode gives the relation,
 * c gives unc; ta = 1: opcode gives the type, c gives eq/ne) and A7
 * (opcode gives the type, ta:c the relation against zero).  Vol. 3
 * "Integer Compare Opcode Extensions" tables. */
static void cmp_fields(uint64_t s, unsigned fmt, struct ia64_insn *in)
{
    static const uint8_t rel_by_opc[3] = {
        IA64_CREL_LT, IA64_CREL_LTU, IA64_CREL_EQ
    };
    static const uint8_t type_by_opc[3] = {
        IA64_CTYPE_AND, IA64_CTYPE_OR, IA64_CTYPE_OR_ANDCM
    };
    static const uint8_t rel_zero[4] = {
        IA64_CREL_GT, IA64_CREL_LE, IA64_CREL_GE, IA64_CREL_LT
    };
    unsigned opc = (unsigned)fld(s, 37, 4);
    unsigned k = (opc >= 0xc && opc <= 0xe) ? opc - 0xc : 0;
    unsigned ta = (unsigned)fld(s, 33, 1);
    unsigned c = (unsigned)fld(s, 12, 1);

    in->p1 = (uint8_t)fld(s, 6, 6);
    in->p2 = (uint8_t)fld(s, 27, 6);
    in->r3 = R3(s);
    if (fld(s, 34, 1)) {            /* x2 = 1 or 3: cmp4 */
        in->cflags |= IA64_C_CMP4;
    }
    if (fmt == IA64_FMT_A7) {
        in->r2 = 0;                 /* r2 field ignored */
        in->ctype = type_by_opc[k];
        in->crel = rel_zero[ta * 2 + c];
        return;
    }
    if (fmt == IA64_FMT_A6) {
        in->r2 = R2(s);
    } else {
        in->imm = imm8(s);
    }
    if (ta == 0) {
        in->crel = rel_by_opc[k];
        in->ctype = c ? IA64_CTYPE_UNC : IA64_CTYPE_NONE;
    } else {
        in->crel = c ? IA64_CREL_NE : IA64_CREL_EQ;
        in->ctype = type_by_opc[k];
    }
}

/* Load/store size and ordering from x6 (35:30), hint (29:28). */
static void mem_fields(uint64_t s, struct ia64_insn *in)
{
    unsigned x6 = (unsigned)fld(s, 30, 6);

    in->msize = (uint8_t)(1u << (x6 & 3));
    in->mhint = (uint8_t)fld(s, 28, 2);
    in->r3 = R3(s);
    if (x6 >= 0x14 && x6 <= 0x17) {
        in->cflags |= IA64_C_ACQ;
    } else if (x6 >= 0x34 && x6 <= 0x37) {
        in->cflags |= IA64_C_REL;
    }
}

/* ------------------------------------------------------------------ */
/* Slot decoding                                                       */
/* ------------------------------------------------------------------ */

/* Extract the operands of `in->op` from slot `s` (and L slot `l`).
 * Returns 0, or -1 for an encoding the format reserves, which binutils
 * also refuses (the slot then decodes as IA64_OP_UNKNOWN). */
static int ia64_extract(uint64_t s, uint64_t l, struct ia64_insn *in)
{
    switch ((enum ia64_fmt)in->fmt) {
    case IA64_FMT_A1:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->r3 = R3(s);
        break;
    case IA64_FMT_A2:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->r3 = R3(s);
        in->count = (uint8_t)(fld(s, 27, 2) + 1);
        break;
    case IA64_FMT_A3:
        in->r1 = R1(s);
        in->r3 = R3(s);
        in->imm = imm8(s);
        break;
    case IA64_FMT_A4:
        in->r1 = R1(s);
        in->r3 = R3(s);
        in->imm = sext((fld(s, 36, 1) << 13) | (fld(s, 27, 6) << 7) |
                       fld(s, 13, 7), 14);
        break;
    case IA64_FMT_A5:
        in->r1 = R1(s);
        in->r3 = (uint8_t)fld(s, 20, 2);
        in->imm = sext((fld(s, 36, 1) << 21) | (fld(s, 22, 5) << 16) |
                       (fld(s, 27, 9) << 7) | fld(s, 13, 7), 22);
        break;
    case IA64_FMT_A6:
    case IA64_FMT_A7:
    case IA64_FMT_A8:
        cmp_fields(s, in->fmt, in);
        break;

    case IA64_FMT_I5:
    case IA64_FMT_I7:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->r3 = R3(s);
        break;
    case IA64_FMT_I11:
        in->r1 = R1(s);
        in->r3 = R3(s);
        in->pos = (uint8_t)fld(s, 14, 6);
        in->len = (uint8_t)(fld(s, 27, 6) + 1);
        break;
    case IA64_FMT_I12:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->pos = (uint8_t)(63 - fld(s, 20, 6));
        in->len = (uint8_t)(fld(s, 27, 6) + 1);
        break;
    case IA64_FMT_I13:
        in->r1 = R1(s);
        in->imm = imm8(s);
        in->pos = (uint8_t)(63 - fld(s, 20, 6));
        in->len = (uint8_t)(fld(s, 27, 6) + 1);
        break;
    case IA64_FMT_I14:
        in->r1 = R1(s);
        in->r3 = R3(s);
        in->imm = fld(s, 36, 1) ? -1 : 0;
        in->pos = (uint8_t)(63 - fld(s, 14, 6));
        in->len = (uint8_t)(fld(s, 27, 6) + 1);
        break;
    case IA64_FMT_I15:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->r3 = R3(s);
        in->pos = (uint8_t)(63 - fld(s, 31, 6));
        in->len = (uint8_t)(fld(s, 27, 4) + 1);
        break;
    case IA64_FMT_I16: {
        /* Vol. 3 "Test Bit Opcode Extensions": ta = tb = 0 is the
         * normal/unc pair (c gives unc); otherwise ta:tb give the type
         * and c gives z/nz. */
        static const uint8_t type_by_tatb[4] = {
            IA64_CTYPE_NONE, IA64_CTYPE_AND, IA64_CTYPE_OR,
            IA64_CTYPE_OR_ANDCM
        };
        unsigned tatb = (unsigned)(fld(s, 33, 1) * 2 + fld(s, 36, 1));
        unsigned c = (unsigned)fld(s, 12, 1);

        in->p1 = (uint8_t)fld(s, 6, 6);
        in->p2 = (uint8_t)fld(s, 27, 6);
        in->r3 = R3(s);
        in->pos = (uint8_t)fld(s, 14, 6);
        if (tatb == 0) {
            in->crel = IA64_CREL_Z;
            in->ctype = c ? IA64_CTYPE_UNC : IA64_CTYPE_NONE;
        } else {
            in->crel = c ? IA64_CREL_NZ : IA64_CREL_Z;
            in->ctype = type_by_tatb[tatb];
        }
        break;
    }
    case IA64_FMT_I19:
    case IA64_FMT_M37:
    case IA64_FMT_B9:
    case IA64_FMT_F15:
    case IA64_FMT_F16:
        in->imm = imm21(s);
        break;
    case IA64_FMT_I21: {
        /* wh 21:20: 0 .sptk, 1 none, 2 .dptk, 3 reserved. */
        static const uint8_t wh[4] = {
            IA64_BWH_SPTK, IA64_BWH_NONE, IA64_BWH_DPTK, IA64_BWH_NONE
        };

        if (fld(s, 20, 2) == 3) {
            return -1;
        }
        in->b1 = (uint8_t)fld(s, 6, 3);
        in->r2 = R2(s);
        in->bwh = wh[fld(s, 20, 2)];
        if (fld(s, 22, 1)) {
            in->cflags |= IA64_C_RET;
        }
        if (fld(s, 23, 1)) {
            in->cflags |= IA64_C_IMP;
        }
        in->imm = sext(fld(s, 24, 9), 9) * 16;
        break;
    }
    case IA64_FMT_I22:
        in->r1 = R1(s);
        in->b2 = (uint8_t)fld(s, 13, 3);
        break;
    case IA64_FMT_I23:
        in->r2 = R2(s);
        in->imm = sext((fld(s, 36, 1) << 16) | (fld(s, 24, 8) << 8) |
                       (fld(s, 6, 7) << 1), 17);
        break;
    case IA64_FMT_I24:
        in->imm = sext((fld(s, 36, 1) << 43) | (fld(s, 6, 27) << 16), 44);
        break;
    case IA64_FMT_I25:
    case IA64_FMT_M36:
        in->r1 = R1(s);
        break;
    case IA64_FMT_I26:
    case IA64_FMT_M29:
        in->areg = R3(s);
        in->r2 = R2(s);
        break;
    case IA64_FMT_I27:
    case IA64_FMT_M30:
        in->areg = R3(s);
        in->imm = imm8(s);
        break;
    case IA64_FMT_I28:
    case IA64_FMT_M31:
        in->r1 = R1(s);
        in->areg = R3(s);
        break;
    case IA64_FMT_I29:
    case IA64_FMT_M43:
    case IA64_FMT_M46:
        in->r1 = R1(s);
        in->r3 = R3(s);
        break;

    case IA64_FMT_M1:
    case IA64_FMT_M2:
    case IA64_FMT_M3:
        /* Hints binutils 2.40 accepts: M1 eight, the unused bit 19 (top
         * of the r2 field) extending the hint field; M2/M3 only none,
         * nt1 and nta. */
        mem_fields(s, in);
        in->r1 = R1(s);
        if (in->fmt == IA64_FMT_M1) {
            in->minc = IA64_MINC_NONE;
            in->mhint = (uint8_t)(in->mhint | (fld(s, 19, 1) << 2));
        } else if (in->mhint == 2) {
            return -1;
        } else if (in->fmt == IA64_FMT_M2) {
            in->minc = IA64_MINC_REG;
            in->r2 = R2(s);
        } else {
            in->minc = IA64_MINC_IMM;
            in->imm = sext((fld(s, 36, 1) << 8) | (fld(s, 27, 1) << 7) |
                           fld(s, 13, 7), 9);
        }
        break;
    case IA64_FMT_M4:
    case IA64_FMT_M5:
        /* Store hints: M4 eight (bit 12, top of the unused r1 field,
         * extends the hint field), M5 only none and nta. */
        mem_fields(s, in);
        in->r2 = R2(s);
        if (in->fmt == IA64_FMT_M4) {
            in->mhint = (uint8_t)(in->mhint | (fld(s, 12, 1) << 2));
        } else {
            if (in->mhint == 1 || in->mhint == 2) {
                return -1;
            }
            in->minc = IA64_MINC_IMM;
            in->imm = sext((fld(s, 36, 1) << 8) | (fld(s, 27, 1) << 7) |
                           fld(s, 6, 7), 9);
        }
        break;
    case IA64_FMT_M24:
    case IA64_FMT_M25:
    case IA64_FMT_B8:
        break;
    case IA64_FMT_M32:
        in->areg = R3(s);
        in->r2 = R2(s);
        break;
    case IA64_FMT_M33:
        in->r1 = R1(s);
        in->areg = R3(s);
        break;
    case IA64_FMT_M34:
        in->r1 = R1(s);
        in->sof = (uint8_t)fld(s, 13, 7);
        in->sol = (uint8_t)fld(s, 20, 7);
        in->sor = (uint8_t)(fld(s, 27, 4) * 8);
        break;
    case IA64_FMT_M35:
    case IA64_FMT_M41:
        in->r2 = R2(s);
        break;
    case IA64_FMT_M38:
        in->r1 = R1(s);
        in->r2 = R2(s);
        in->r3 = R3(s);
        break;
    case IA64_FMT_M39:
        in->r1 = R1(s);
        in->r3 = R3(s);
        in->imm = (int64_t)fld(s, 13, 2);
        break;
    case IA64_FMT_M42:
    case IA64_FMT_M45:
        in->r2 = R2(s);
        in->r3 = R3(s);
        break;
    case IA64_FMT_M44:
        in->imm = (int64_t)((fld(s, 36, 1) << 23) | (fld(s, 31, 2) << 21) |
                            fld(s, 6, 21));
        break;
    case IA64_FMT_M47:
        in->r3 = R3(s);
        break;

    case IA64_FMT_B1:
        in->imm = disp21(s);
        branch_hints(s, in);
        break;
    case IA64_FMT_B3:
        in->b1 = (uint8_t)fld(s, 6, 3);
        in->imm = disp21(s);
        branch_hints(s, in);
        break;
    case IA64_FMT_B4:
        in->b2 = (uint8_t)fld(s, 13, 3);
        branch_hints(s, in);
        break;
    case IA64_FMT_B5: {
        /* wh 34:32: 1 sptk, 3 spnt, 5 dptk, 7 dpnt (Vol. 3, B5);
         * even values are reserved. */
        unsigned wh = (unsigned)fld(s, 32, 3);

        if ((wh & 1) == 0) {
            return -1;
        }
        in->b1 = (uint8_t)fld(s, 6, 3);
        in->b2 = (uint8_t)fld(s, 13, 3);
        branch_hints(s, in);
        in->bwh = ia64_wha[wh >> 1];
        break;
    }

    case IA64_FMT_X1:
    case IA64_FMT_X5:
        in->imm = (int64_t)(((l & IA64_SLOT_MASK) << 21) |
                            (fld(s, 36, 1) << 20) | fld(s, 6, 20));
        break;
    case IA64_FMT_X2:
        in->r1 = R1(s);
        in->imm = u2s((fld(s, 36, 1) << 63) | ((l & IA64_SLOT_MASK) << 22) |
                      (fld(s, 21, 1) << 21) | (fld(s, 22, 5) << 16) |
                      (fld(s, 27, 9) << 7) | fld(s, 13, 7));
        break;
    case IA64_FMT_X3:
    case IA64_FMT_X4:
        if (in->fmt == IA64_FMT_X4) {
            in->b1 = (uint8_t)fld(s, 6, 3);
        }
        /* imm60 = i:imm39:imm20b, imm39 = L bits 40:2; target offset is
         * imm60 << 4, so i lands in bit 63. */
        in->imm = u2s(((fld(s, 36, 1) << 59) | (fld(l, 2, 39) << 20) |
                       fld(s, 13, 20)) << 4);
        branch_hints(s, in);
        break;

    case IA64_FMT_NONE:
    case IA64_FMT__COUNT:
        return -1;
    }
    return 0;
}

static enum ia64_type ia64_slot_type(enum ia64_unit unit, unsigned opc)
{
    switch (unit) {
    case IA64_UNIT_M:
        return opc >= 8 ? IA64_TYPE_A : IA64_TYPE_M;
    case IA64_UNIT_I:
        return opc >= 8 ? IA64_TYPE_A : IA64_TYPE_I;
    case IA64_UNIT_F:
        return IA64_TYPE_F;
    case IA64_UNIT_B:
        return IA64_TYPE_B;
    case IA64_UNIT_X:
        return IA64_TYPE_X;
    case IA64_UNIT_NONE:
    case IA64_UNIT_L:
    case IA64_UNIT__COUNT:
        break;
    }
    return IA64_TYPE__COUNT;
}

void ia64_decode_slot(uint64_t slot, enum ia64_unit unit, uint64_t lslot,
                      struct ia64_insn *out)
{
    uint64_t s = slot & IA64_SLOT_MASK;
    unsigned opc = (unsigned)fld(s, 37, 4);
    enum ia64_type type = ia64_slot_type(unit, opc);
    unsigned op;

    memset(out, 0, sizeof(*out));
    out->raw = s;
    out->unit = (uint8_t)(unit < IA64_UNIT__COUNT ? unit : IA64_UNIT_NONE);
    out->qp = (uint8_t)fld(s, 0, 6);
    out->op = IA64_OP_UNKNOWN;
    if (type == IA64_TYPE__COUNT) {
        out->op = IA64_OP_ILLEGAL;
        return;
    }
    call_once(&ia64_once, ia64_init_once);
    for (op = ia64_row_first[type * 16u + opc]; op != IA64_OP_NONE;
         op = ia64_row_next[op]) {
        if ((s & ia64_op_mask[op]) == ia64_op_info[op].match) {
            break;
        }
    }
    if (op == IA64_OP_NONE) {
        return;
    }
    out->op = (uint16_t)op;
    out->fmt = ia64_op_info[op].fmt;
    if (ia64_extract(s, lslot, out) != 0) {
        uint8_t qp = out->qp;
        uint8_t u = out->unit;

        memset(out, 0, sizeof(*out));
        out->raw = s;
        out->unit = u;
        out->qp = qp;
        out->op = IA64_OP_UNKNOWN;
    }
}

static inline uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

void ia64_decode_bundle(const uint8_t b[IA64_BUNDLE_BYTES],
                        struct ia64_bundle *out)
{
    uint64_t lo = le64(b);
    uint64_t hi = le64(b + 8);
    const struct ia64_template *t;
    unsigned i;

    memset(out, 0, sizeof(*out));
    out->tmpl = (uint8_t)(lo & 0x1f);
    out->raw[0] = (lo >> 5) & IA64_SLOT_MASK;
    out->raw[1] = ((lo >> 46) | (hi << 18)) & IA64_SLOT_MASK;
    out->raw[2] = (hi >> 23) & IA64_SLOT_MASK;
    t = &ia64_templates[out->tmpl];
    out->stops = t->stops;
    out->reserved = t->reserved;
    out->nslots = 3;
    if (t->reserved) {
        for (i = 0; i < 3; i++) {
            ia64_decode_slot(out->raw[i], IA64_UNIT_NONE, 0, &out->slot[i]);
        }
        return;
    }
    if (t->unit[1] == IA64_UNIT_L) {
        /* MLX: the L+X instruction is reported in slot 1. */
        out->nslots = 2;
        ia64_decode_slot(out->raw[0], IA64_UNIT_M, 0, &out->slot[0]);
        ia64_decode_slot(out->raw[2], IA64_UNIT_X, out->raw[1],
                         &out->slot[1]);
        out->slot[2].raw = out->raw[2];
        out->slot[2].op = IA64_OP_NONE;
        out->slot[2].unit = IA64_UNIT_NONE;
        return;
    }
    for (i = 0; i < 3; i++) {
        ia64_decode_slot(out->raw[i], (enum ia64_unit)t->unit[i], 0,
                         &out->slot[i]);
    }
}

uint64_t ia64_branch_target(const struct ia64_insn *in, uint64_t bundle_addr)
{
    /* Unsigned wrap-around is the architectural behaviour of IP + disp. */
    return (bundle_addr & ~UINT64_C(0xf)) + (uint64_t)in->imm;
}

/* ------------------------------------------------------------------ */
/* Register names                                                      */
/* ------------------------------------------------------------------ */

/* Vol. 1 "Application Registers" (plus the IA-32 ARs 21, 24-30
 * and ar.ruc, named as binutils does). */
static const char *const ia64_ar_names[128] = {
    [0] = "ar.k0", [1] = "ar.k1", [2] = "ar.k2", [3] = "ar.k3",
    [4] = "ar.k4", [5] = "ar.k5", [6] = "ar.k6", [7] = "ar.k7",
    [16] = "ar.rsc", [17] = "ar.bsp", [18] = "ar.bspstore",
    [19] = "ar.rnat", [21] = "ar.fcr", [24] = "ar.eflag", [25] = "ar.csd",
    [26] = "ar.ssd", [27] = "ar.cflg", [28] = "ar.fsr", [29] = "ar.fir",
    [30] = "ar.fdr", [32] = "ar.ccv", [36] = "ar.unat", [40] = "ar.fpsr",
    [44] = "ar.itc", [45] = "ar.ruc", [64] = "ar.pfs", [65] = "ar.lc",
    [66] = "ar.ec",
};

/* Vol. 2 "Control Registers" (iib0/iib1 from later editions). */
static const char *const ia64_cr_names[128] = {
    [0] = "cr.dcr", [1] = "cr.itm", [2] = "cr.iva", [8] = "cr.pta",
    [16] = "cr.ipsr", [17] = "cr.isr", [19] = "cr.iip", [20] = "cr.ifa",
    [21] = "cr.itir", [22] = "cr.iipa", [23] = "cr.ifs", [24] = "cr.iim",
    [25] = "cr.iha", [26] = "cr.iib0", [27] = "cr.iib1", [64] = "cr.lid",
    [65] = "cr.ivr", [66] = "cr.tpr", [67] = "cr.eoi", [68] = "cr.irr0",
    [69] = "cr.irr1", [70] = "cr.irr2", [71] = "cr.irr3", [72] = "cr.itv",
    [73] = "cr.pmv", [74] = "cr.cmcv", [80] = "cr.lrr0", [81] = "cr.lrr1",
};

static const char *reg_name(const char *const *names, const char *prefix,
                            unsigned n, char buf[16])
{
    n &= 127;
    if (names[n] != NULL) {
        return names[n];
    }
    /* prefix is "ar" or "cr", n < 128: at most 5 characters + NUL. */
    buf[0] = prefix[0];
    buf[1] = prefix[1];
    if (n >= 100) {
        buf[2] = (char)('0' + n / 100);
        buf[3] = (char)('0' + n / 10 % 10);
        buf[4] = (char)('0' + n % 10);
        buf[5] = '\0';
    } else if (n >= 10) {
        buf[2] = (char)('0' + n / 10);
        buf[3] = (char)('0' + n % 10);
        buf[4] = '\0';
    } else {
        buf[2] = (char)('0' + n);
        buf[3] = '\0';
    }
    return buf;
}

const char *ia64_ar_name(unsigned ar, char buf[16])
{
    return reg_name(ia64_ar_names, "ar", ar, buf);
}

const char *ia64_cr_name(unsigned cr, char buf[16])
{
    return reg_name(ia64_cr_names, "cr", cr, buf);
}
