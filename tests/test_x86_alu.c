/*
 * test_x86_alu.c - suite "x86_alu": every ALU operation at every operand
 * size against the host CPU itself.  vtsim is built on x86-64 hosts, so the
 * real instruction is the oracle: it runs with the same inputs and input
 * flags (pushfq/popfq around it), and result plus every defined flag must
 * agree, over edge values and random operands.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>

#include "isa/x86_alu.h"
#include "test_suites.h"

#if defined(__x86_64__)

/* The asm moves %rsp below the red zone before pushing. */
#define H_PRE  "lea -128(%%rsp), %%rsp\n\tpushq %[f]\n\tpopfq\n\t"
#define H_POST "\n\tpushfq\n\tpopq %[f]\n\tlea 128(%%rsp), %%rsp"

#define H_BIN(fn, ins, T)                                                  \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)              \
    {                                                                      \
        T x = (T)a;                                                        \
        T y = (T)b;                                                        \
        uint64_t f = *fl;                                                  \
        __asm__ volatile(H_PRE ins " %[y], %[x]" H_POST                    \
                         : [x] "+r"(x), [f] "+r"(f) : [y] "r"(y)           \
                         : "cc", "memory");                                \
        *fl = f;                                                           \
        return (uint64_t)x;                                                \
    }

#define H_UN(fn, ins, T)                                                   \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)              \
    {                                                                      \
        T x = (T)a;                                                        \
        uint64_t f = *fl;                                                  \
        (void)b;                                                           \
        __asm__ volatile(H_PRE ins " %[x]" H_POST                          \
                         : [x] "+r"(x), [f] "+r"(f) : : "cc", "memory");   \
        *fl = f;                                                           \
        return (uint64_t)x;                                                \
    }

#define H_SH(fn, ins, T)                                                   \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t *fl)              \
    {                                                                      \
        T x = (T)a;                                                        \
        uint8_t c = (uint8_t)b;                                            \
        uint64_t f = *fl;                                                  \
        __asm__ volatile(H_PRE ins " %%cl, %[x]" H_POST                    \
                         : [x] "+r"(x), [f] "+r"(f) : "c"(c)               \
                         : "cc", "memory");                                \
        *fl = f;                                                           \
        return (uint64_t)x;                                                \
    }

#define H_ALL(kind, name, mn)                                              \
    kind(h_##name##_1, mn "b", uint8_t)                                    \
    kind(h_##name##_2, mn "w", uint16_t)                                   \
    kind(h_##name##_4, mn "l", uint32_t)                                   \
    kind(h_##name##_8, mn "q", uint64_t)

H_ALL(H_BIN, ADD, "add")
H_ALL(H_BIN, ADC, "adc")
H_ALL(H_BIN, SUB, "sub")
H_ALL(H_BIN, SBB, "sbb")
H_ALL(H_BIN, CMP, "cmp")
H_ALL(H_BIN, AND, "and")
H_ALL(H_BIN, OR, "or")
H_ALL(H_BIN, XOR, "xor")
H_ALL(H_BIN, TEST, "test")
H_ALL(H_UN, INC, "inc")
H_ALL(H_UN, DEC, "dec")
H_ALL(H_UN, NEG, "neg")
H_ALL(H_UN, NOT, "not")
H_ALL(H_SH, SHL, "shl")
H_ALL(H_SH, SHR, "shr")
H_ALL(H_SH, SAR, "sar")
H_ALL(H_SH, ROL, "rol")
H_ALL(H_SH, ROR, "ror")
H_ALL(H_SH, RCL, "rcl")
H_ALL(H_SH, RCR, "rcr")

typedef uint64_t (*host_fn)(uint64_t, uint64_t, uint64_t *);

/* [op][log2 size] */
static const host_fn host[X86_ALU__COUNT][4] = {
#define X86_ALU(n, u) [X86_ALU_##n] = { h_##n##_1, h_##n##_2, h_##n##_4,   \
                                        h_##n##_8 },
#include "isa/x86_alu.def"
#undef X86_ALU
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Operands biased toward the edges where flags change. */
static uint64_t operand(unsigned size)
{
    static const uint64_t edge[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff,
                                     0x8000, 0xffff, 0x7fffffff,
                                     0x80000000, 0xffffffff,
                                     0x7fffffffffffffffull,
                                     0x8000000000000000ull, ~0ull, 0x0f,
                                     0x10 };
    uint64_t r = next();

    (void)size;
    switch (r & 3) {
    case 0:
        return edge[(r >> 8) % (sizeof(edge) / sizeof(edge[0]))];
    case 1:
        return (r >> 8) & 0xff;
    default:
        return next();
    }
}

static unsigned mismatches[X86_ALU__COUNT][4];

static void check_op(unsigned op, unsigned n)
{
    unsigned k;
    unsigned i;

    for (k = 0; k < 4; k++) {
        unsigned size = 1u << k;
        uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;

        for (i = 0; i < n; i++) {
            uint64_t a = operand(size);
            uint64_t b = op >= X86_ALU_SHL ? next() % 80 : operand(size);
            /* Input flags: random arithmetic flags, IF and bit 1 set. */
            uint64_t fin = (next() & X86_FL_ARITH) | 0x202;
            uint64_t fh = fin;
            uint64_t fv = fin;
            uint64_t rh = host[op][k](a, b, &fh) & m;
            uint64_t rv = x86_alu(op, size, a, b, &fv);
            uint32_t undef = x86_alu_undef[op] |
                             x86_alu_shift_undef(op, size, b);

            if (rh != rv || ((fh ^ fv) & X86_FL_ARITH & ~undef) != 0 ||
                (fv & ~(uint64_t)X86_FL_ARITH) !=
                    (fin & ~(uint64_t)X86_FL_ARITH)) {
                if (mismatches[op][k]++ == 0) {
                    printf("\n  %s size %u a=%llx b=%llx fin=%llx: host "
                           "%llx/%llx vtsim %llx/%llx", x86_alu_name[op],
                           size, (unsigned long long)a,
                           (unsigned long long)b, (unsigned long long)fin,
                           (unsigned long long)rh, (unsigned long long)fh,
                           (unsigned long long)rv, (unsigned long long)fv);
                }
            }
        }
        CU_ASSERT_EQUAL(mismatches[op][k], 0);
    }
}

#define ALU_TEST(n)                                                        \
    static void test_x86_alu_##n(void)                                     \
    {                                                                      \
        check_op(X86_ALU_##n, 20000);                                      \
    }
#define X86_ALU(n, u) ALU_TEST(n)
#include "isa/x86_alu.def"
#undef X86_ALU


/* ---- MUL/IMUL/DIV/IDIV, bit operations, SHLD/SHRD ---- */

/* One-operand MUL/IMUL: rAX * src -> rDX:rAX (AX for bytes). */
#define H_MUL(fn, ins, T, wide)                                            \
    static void fn(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi,     \
                   uint64_t *fl)                                           \
    {                                                                      \
        uint64_t f = *fl;                                                  \
        if (wide) {                                                        \
            T x = (T)a;                                                    \
            T d = 0;                                                       \
            T y = (T)b;                                                    \
            __asm__ volatile(H_PRE ins " %[y]" H_POST                      \
                             : "+a"(x), "=d"(d), [f] "+r"(f)               \
                             : [y] "r"(y) : "cc", "memory");               \
            *lo = (uint64_t)x;                                             \
            *hi = (uint64_t)d;                                             \
        } else {                                                           \
            uint16_t x = (uint8_t)a;                                       \
            uint8_t y = (uint8_t)b;                                        \
            __asm__ volatile(H_PRE ins " %[y]" H_POST                      \
                             : "+a"(x), [f] "+r"(f) : [y] "q"(y)           \
                             : "cc", "memory");                            \
            *lo = x & 0xff;                                                \
            *hi = x >> 8;                                                  \
        }                                                                  \
        *fl = f;                                                           \
    }

H_MUL(hm_mul_1, "mulb", uint8_t, 0)
H_MUL(hm_mul_2, "mulw", uint16_t, 1)
H_MUL(hm_mul_4, "mull", uint32_t, 1)
H_MUL(hm_mul_8, "mulq", uint64_t, 1)
H_MUL(hm_imul_1, "imulb", uint8_t, 0)
H_MUL(hm_imul_2, "imulw", uint16_t, 1)
H_MUL(hm_imul_4, "imull", uint32_t, 1)
H_MUL(hm_imul_8, "imulq", uint64_t, 1)

typedef void (*hmul_fn)(uint64_t, uint64_t, uint64_t *, uint64_t *,
                        uint64_t *);

static void test_x86_alu_mul(void)
{
    static const hmul_fn h[2][4] = {
        { hm_mul_1, hm_mul_2, hm_mul_4, hm_mul_8 },
        { hm_imul_1, hm_imul_2, hm_imul_4, hm_imul_8 },
    };
    const uint32_t defined = X86_FL_CF | X86_FL_OF;
    unsigned bad = 0;
    unsigned sg;
    unsigned k;
    unsigned i;

    for (sg = 0; sg < 2; sg++) {
        for (k = 0; k < 4; k++) {
            unsigned size = 1u << k;

            for (i = 0; i < 20000; i++) {
                uint64_t a = operand(size);
                uint64_t b = operand(size);
                uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
                uint64_t fh = (next() & X86_FL_ARITH) | 0x202;
                uint64_t fv = fh;
                uint64_t lh;
                uint64_t hh;
                uint64_t lv;
                uint64_t hv;

                h[sg][k](a, b, &lh, &hh, &fh);
                x86_mul(sg != 0, size, a, b, &lv, &hv, &fv);
                if ((lh & m) != lv || (hh & m) != hv ||
                    ((fh ^ fv) & defined) != 0) {
                    if (bad++ == 0) {
                        printf("\n  %s size %u a=%llx b=%llx", sg ? "imul"
                               : "mul", size, (unsigned long long)a,
                               (unsigned long long)b);
                    }
                }
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* DIV/IDIV against the host where the model says no #DE; the #DE cases
 * are checked from their definition (the host would trap). */
#define H_DIV(fn, ins, T)                                                  \
    static void fn(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *q,      \
                   uint64_t *r)                                            \
    {                                                                      \
        T a = (T)lo;                                                       \
        T dx = (T)hi;                                                      \
        T y = (T)d;                                                        \
        __asm__ volatile(ins " %[y]" : "+a"(a), "+d"(dx) : [y] "r"(y)      \
                         : "cc");                                          \
        *q = (uint64_t)a;                                                  \
        *r = (uint64_t)dx;                                                 \
    }

H_DIV(hd_div_2, "divw", uint16_t)
H_DIV(hd_div_4, "divl", uint32_t)
H_DIV(hd_div_8, "divq", uint64_t)
H_DIV(hd_idiv_2, "idivw", uint16_t)
H_DIV(hd_idiv_4, "idivl", uint32_t)
H_DIV(hd_idiv_8, "idivq", uint64_t)

static void hd_div_1(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *q,
                     uint64_t *r)
{
    uint16_t ax = (uint16_t)(((hi & 0xff) << 8) | (lo & 0xff));
    uint8_t y = (uint8_t)d;

    __asm__ volatile("divb %[y]" : "+a"(ax) : [y] "q"(y) : "cc");
    *q = ax & 0xff;
    *r = ax >> 8;
}

static void hd_idiv_1(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *q,
                      uint64_t *r)
{
    uint16_t ax = (uint16_t)(((hi & 0xff) << 8) | (lo & 0xff));
    uint8_t y = (uint8_t)d;

    __asm__ volatile("idivb %[y]" : "+a"(ax) : [y] "q"(y) : "cc");
    *q = ax & 0xff;
    *r = ax >> 8;
}

typedef void (*hdiv_fn)(uint64_t, uint64_t, uint64_t, uint64_t *,
                        uint64_t *);

static void test_x86_alu_div(void)
{
    static const hdiv_fn h[2][4] = {
        { hd_div_1, hd_div_2, hd_div_4, hd_div_8 },
        { hd_idiv_1, hd_idiv_2, hd_idiv_4, hd_idiv_8 },
    };
    unsigned bad = 0;
    unsigned faults = 0;
    unsigned sg;
    unsigned k;
    unsigned i;
    uint64_t q;
    uint64_t r;

    for (sg = 0; sg < 2; sg++) {
        for (k = 0; k < 4; k++) {
            unsigned size = 1u << k;
            uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;

            for (i = 0; i < 20000; i++) {
                /* Small high halves make most divisions fit. */
                uint64_t hi = (i & 1) ? operand(size) : next() & 3;
                uint64_t lo = operand(size);
                uint64_t d = operand(size);
                uint64_t qh;
                uint64_t rh;

                if (sg && (i & 2)) {
                    hi = (lo & (1ull << (8 * size - 1))) ? m : 0;
                }
                if (!x86_div(sg != 0, size, hi, lo, d, &q, &r)) {
                    faults++;
                    continue;
                }
                h[sg][k](hi, lo, d, &qh, &rh);
                if ((qh & m) != q || (rh & m) != r) {
                    if (bad++ == 0) {
                        printf("\n  %s size %u %llx:%llx / %llx", sg ?
                               "idiv" : "div", size,
                               (unsigned long long)hi,
                               (unsigned long long)lo,
                               (unsigned long long)d);
                    }
                }
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(faults > 100);
    /* #DE: by zero, unsigned overflow, signed overflow, INT_MIN / -1. */
    CU_ASSERT_FALSE(x86_div(false, 4, 0, 5, 0, &q, &r));
    CU_ASSERT_FALSE(x86_div(false, 1, 1, 0, 1, &q, &r));
    CU_ASSERT_FALSE(x86_div(true, 2, 0, 0x8000, 1, &q, &r));
    CU_ASSERT_FALSE(x86_div(true, 8, ~0ull, 1ull << 63, ~0ull, &q, &r));
    CU_ASSERT_FALSE(x86_div(true, 8, 1ull << 63, 0, ~0ull, &q, &r));
    CU_ASSERT_TRUE(x86_div(true, 4, ~0ull, 0xfffffff9, 2, &q, &r));
    CU_ASSERT_EQUAL(q, 0xfffffffd);             /* -7 / 2 = -3 */
    CU_ASSERT_EQUAL(r, 0xffffffff);             /* remainder -1 */
}

/* Bit operations have the two-operand shape of H_BIN; no byte form. */
#define H_BIT3(name, mn)                                                   \
    H_BIN(hb_##name##_2, mn "w", uint16_t)                                 \
    H_BIN(hb_##name##_4, mn "l", uint32_t)                                 \
    H_BIN(hb_##name##_8, mn "q", uint64_t)

H_BIT3(BSF, "bsf")
H_BIT3(BSR, "bsr")
H_BIT3(TZCNT, "tzcnt")
H_BIT3(LZCNT, "lzcnt")
H_BIT3(POPCNT, "popcnt")
H_BIT3(BT, "bt")
H_BIT3(BTS, "bts")
H_BIT3(BTR, "btr")
H_BIT3(BTC, "btc")

static void test_x86_alu_bitops(void)
{
    static const host_fn h[][3] = {
        { hb_BSF_2, hb_BSF_4, hb_BSF_8 },
        { hb_BSR_2, hb_BSR_4, hb_BSR_8 },
        { hb_TZCNT_2, hb_TZCNT_4, hb_TZCNT_8 },
        { hb_LZCNT_2, hb_LZCNT_4, hb_LZCNT_8 },
        { hb_POPCNT_2, hb_POPCNT_4, hb_POPCNT_8 },
        { hb_BT_2, hb_BT_4, hb_BT_8 },
        { hb_BTS_2, hb_BTS_4, hb_BTS_8 },
        { hb_BTR_2, hb_BTR_4, hb_BTR_8 },
        { hb_BTC_2, hb_BTC_4, hb_BTC_8 },
    };
    unsigned bad = 0;
    unsigned op;
    unsigned k;
    unsigned i;

    for (op = X86_BIT_BSF; op <= X86_BIT_BTC; op++) {
        for (k = 0; k < 3; k++) {
            unsigned size = 2u << k;
            uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;

            for (i = 0; i < 20000; i++) {
                uint64_t dst = operand(size);
                uint64_t src = (i % 7 == 0) ? 0 : operand(size);
                uint64_t fh = (next() & X86_FL_ARITH) | 0x202;
                uint64_t fv = fh;
                uint64_t rh = h[op][k](dst, src, &fh) & m;
                uint64_t rv = x86_bitop(op, size, dst, src, &fv);

                if (rh != rv ||
                    ((fh ^ fv) & X86_FL_ARITH & ~x86_bitop_undef(op))) {
                    if (bad++ == 0) {
                        printf("\n  bitop %u size %u dst=%llx src=%llx: "
                               "host %llx/%llx vtsim %llx/%llx", op, size,
                               (unsigned long long)dst,
                               (unsigned long long)src,
                               (unsigned long long)rh,
                               (unsigned long long)fh,
                               (unsigned long long)rv,
                               (unsigned long long)fv);
                    }
                }
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
}

#define H_SHD(fn, ins, T)                                                  \
    static uint64_t fn(uint64_t a, uint64_t b, uint64_t c, uint64_t *fl)  \
    {                                                                      \
        T x = (T)a;                                                        \
        T y = (T)b;                                                        \
        uint8_t n = (uint8_t)c;                                            \
        uint64_t f = *fl;                                                  \
        __asm__ volatile(H_PRE ins " %%cl, %[y], %[x]" H_POST              \
                         : [x] "+r"(x), [f] "+r"(f) : [y] "r"(y), "c"(n)   \
                         : "cc", "memory");                                \
        *fl = f;                                                           \
        return (uint64_t)x;                                                \
    }

H_SHD(hs_shld_2, "shldw", uint16_t)
H_SHD(hs_shld_4, "shldl", uint32_t)
H_SHD(hs_shld_8, "shldq", uint64_t)
H_SHD(hs_shrd_2, "shrdw", uint16_t)
H_SHD(hs_shrd_4, "shrdl", uint32_t)
H_SHD(hs_shrd_8, "shrdq", uint64_t)

static void test_x86_alu_shld_shrd(void)
{
    typedef uint64_t (*fn4)(uint64_t, uint64_t, uint64_t, uint64_t *);
    static const fn4 h[2][3] = {
        { hs_shrd_2, hs_shrd_4, hs_shrd_8 },
        { hs_shld_2, hs_shld_4, hs_shld_8 },
    };
    unsigned bad = 0;
    unsigned left;
    unsigned k;
    unsigned i;

    for (left = 0; left < 2; left++) {
        for (k = 0; k < 3; k++) {
            unsigned size = 2u << k;
            uint64_t m = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;

            for (i = 0; i < 20000; i++) {
                uint64_t a = operand(size);
                uint64_t b = operand(size);
                uint64_t c = next() % 70;
                unsigned cnt = (unsigned)(c & (size == 8 ? 63 : 31));
                uint32_t undef = X86_FL_AF | (cnt != 1 ? X86_FL_OF : 0);
                uint64_t fh = (next() & X86_FL_ARITH) | 0x202;
                uint64_t fv = fh;
                uint64_t rh;
                uint64_t rv;

                if (size == 2 && cnt > 16) {
                    continue;           /* undefined result */
                }
                rh = h[left][k](a, b, c, &fh) & m;
                rv = x86_shd(left != 0, size, a, b, c, &fv);
                if (rh != rv || ((fh ^ fv) & X86_FL_ARITH & ~undef)) {
                    if (bad++ == 0) {
                        printf("\n  %s size %u %llx,%llx,%llu: host "
                               "%llx/%llx vtsim %llx/%llx",
                               left ? "shld" : "shrd", size,
                               (unsigned long long)a,
                               (unsigned long long)b,
                               (unsigned long long)c,
                               (unsigned long long)rh,
                               (unsigned long long)fh,
                               (unsigned long long)rv,
                               (unsigned long long)fv);
                    }
                }
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* A few values written out, so a wrong oracle cannot hide a wrong model. */
static void test_x86_alu_known_values(void)
{
    uint64_t f = 0;

    CU_ASSERT_EQUAL(x86_alu(X86_ALU_ADD, 1, 0x7f, 1, &f), 0x80);
    CU_ASSERT_EQUAL(f & X86_FL_ARITH, X86_FL_OF | X86_FL_SF | X86_FL_AF);
    f = 0;
    CU_ASSERT_EQUAL(x86_alu(X86_ALU_SUB, 4, 0, 1, &f), 0xffffffff);
    CU_ASSERT_EQUAL(f & X86_FL_ARITH,
                    X86_FL_CF | X86_FL_SF | X86_FL_AF | X86_FL_PF);
    f = X86_FL_CF;
    CU_ASSERT_EQUAL(x86_alu(X86_ALU_INC, 8, ~0ull, 0, &f), 0);
    CU_ASSERT_EQUAL(f & X86_FL_ARITH,
                    X86_FL_CF | X86_FL_ZF | X86_FL_PF | X86_FL_AF);
    f = X86_FL_ZF;
    CU_ASSERT_EQUAL(x86_alu(X86_ALU_SHL, 4, 1, 32, &f), 1);  /* count 0 */
    CU_ASSERT_EQUAL(f, X86_FL_ZF);
    f = 0;
    CU_ASSERT_EQUAL(x86_alu(X86_ALU_RCR, 1, 1, 1, &f), 0);
    CU_ASSERT_EQUAL(f & X86_FL_CF, X86_FL_CF);
}

int test_x86_alu_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
#define X86_ALU(n, u) { #n, test_x86_alu_##n },
#include "isa/x86_alu.def"
#undef X86_ALU
        { "known_values", test_x86_alu_known_values },
        { "mul_imul", test_x86_alu_mul },
        { "div_idiv", test_x86_alu_div },
        { "bit_scan_count_test", test_x86_alu_bitops },
        { "shld_shrd", test_x86_alu_shld_shrd },
    };
    CU_pSuite s = CU_add_suite("x86_alu", NULL, NULL);
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}

#else /* not an x86-64 host: only the written-out values */

int test_x86_alu_register(void)
{
    return 0;
}

#endif
