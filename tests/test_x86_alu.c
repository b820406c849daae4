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
