/*
 * test_ia64_decode.c - suite "ia64_decode": the IA-64 bundle decoder and
 * disassembler (isa/ia64_decode.c, isa/ia64_disasm.c).
 *
 * Contents:
 *   - the template table: units and stops of all 32 templates, reserved
 *     templates decoding as IA64_OP_ILLEGAL;
 *   - properties of every ia64_ops.def row (match inside mask, no overlap
 *     within a (type, opcode) bucket, operand syntax, cause codes) and
 *     that every row decodes from its own pattern;
 *   - field extraction from bundles built field by field after the
 *     format diagrams of the Itanium SDM rev 2.3 Vol. 3 chapter 4 (the
 *     builders cite the format), plus a few bundles assembled by GNU as
 *     2.40 to tie the builders to a real encoder: immediate sign
 *     extension (adds, addl, movl, ld/st post-increment), branch
 *     displacements (imm21 << 4, imm60 << 4), the compare pseudo
 *     relations gas encodes by swapping operands;
 *   - 1,000,000 random bundles from a seeded PRNG, each at the end of a
 *     page followed by an inaccessible guard page, decoded and formatted
 *     (output NUL-terminated and non-empty, fields in range).
 * Exact agreement with objdump over the corpus is tests/ia64-objdump.sh.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "isa/ia64.h"
#include "test_suites.h"

/* Declared here until tests/test_suites.h lists it. */
int test_ia64_decode_register(void);

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* Value v placed at bit lsb of a slot. */
static uint64_t F(uint64_t v, unsigned lsb)
{
    return v << lsb;
}

/* Major opcode, bits 40:37. */
static uint64_t OPC(unsigned op)
{
    return F(op, 37);
}

#define NOP_M  F(1, 27)             /* M37: x3 = 0, x4 = 1, x2 = 0 */
#define NOP_I  F(1, 27)             /* I19: x3 = 0, x6 = 1 */
#define NOP_B  OPC(2)               /* B9: opcode 2, x6 = 0 */

/* Bundle from template t and three slots (Vol. 1 "Bundle Format"). */
static void mk(uint8_t b[16], unsigned t, uint64_t s0, uint64_t s1,
               uint64_t s2)
{
    uint64_t lo = (t & 0x1f) | ((s0 & IA64_SLOT_MASK) << 5) |
                  ((s1 & IA64_SLOT_MASK) << 46);
    uint64_t hi = ((s1 & IA64_SLOT_MASK) >> 18) |
                  ((s2 & IA64_SLOT_MASK) << 23);
    int i;

    for (i = 0; i < 8; i++) {
        b[i] = (uint8_t)(lo >> (8 * i));
        b[8 + i] = (uint8_t)(hi >> (8 * i));
    }
}

static void dec(unsigned t, uint64_t s0, uint64_t s1, uint64_t s2,
                struct ia64_bundle *out)
{
    uint8_t b[16];

    mk(b, t, s0, s1, s2);
    ia64_decode_bundle(b, out);
}

/* Text of slot s of a bundle at addr. */
static const char *text(const struct ia64_bundle *b, unsigned s,
                        uint64_t addr)
{
    static char buf[160];

    ia64_disasm_slot(b, s, addr, buf, sizeof(buf));
    return buf;
}

static unsigned op_by_name(const char *name)
{
    unsigned i;

    for (i = 0; i < IA64_OP__COUNT; i++) {
        if (strcmp(ia64_op_info[i].name, name) == 0) {
            return i;
        }
    }
    return IA64_OP__COUNT;
}

/* ------------------------------------------------------------------ */
/* Templates                                                           */
/* ------------------------------------------------------------------ */

/* Vol. 1 "Template Field Encoding and Instruction Slot
 * Mapping": units per template and where the stops are. */
static void test_ia64_templates(void)
{
    static const char *const units[32] = {
        "MII", "MII", "MII", "MII", "MLX", "MLX", NULL, NULL,
        "MMI", "MMI", "MMI", "MMI", "MFI", "MFI", "MMF", "MMF",
        "MIB", "MIB", "MBB", "MBB", NULL, NULL, "BBB", "BBB",
        "MMB", "MMB", NULL, NULL, "MFB", "MFB", NULL, NULL,
    };
    static const char letter[IA64_UNIT__COUNT] = {
        [IA64_UNIT_NONE] = '-', [IA64_UNIT_M] = 'M', [IA64_UNIT_I] = 'I',
        [IA64_UNIT_F] = 'F', [IA64_UNIT_B] = 'B', [IA64_UNIT_L] = 'L',
        [IA64_UNIT_X] = 'X',
    };
    unsigned t;

    for (t = 0; t < 32; t++) {
        const struct ia64_template *tp = &ia64_templates[t];
        unsigned want_stops;
        char got[4];
        unsigned s;

        for (s = 0; s < 3; s++) {
            CU_ASSERT_FATAL(tp->unit[s] < IA64_UNIT__COUNT);
            got[s] = letter[tp->unit[s]];
        }
        got[3] = '\0';
        if (units[t] == NULL) {
            CU_ASSERT_EQUAL(tp->reserved, 1);
            CU_ASSERT_STRING_EQUAL(got, "---");
            CU_ASSERT_EQUAL(tp->name[0], '-');
            CU_ASSERT_EQUAL(tp->stops, 0);
            continue;
        }
        CU_ASSERT_EQUAL(tp->reserved, 0);
        /* MLX shows as MLX in objdump and has units M, L, X. */
        CU_ASSERT_STRING_EQUAL(tp->name, units[t]);
        if (t == 4 || t == 5) {
            CU_ASSERT_STRING_EQUAL(got, "MLX");
        } else {
            CU_ASSERT_STRING_EQUAL(got, units[t]);
        }
        want_stops = (t & 1) ? 4u : 0u;
        if (t == 0x02 || t == 0x03) {
            want_stops |= 2u;           /* MI;;I */
        }
        if (t == 0x0a || t == 0x0b) {
            want_stops |= 1u;           /* M;;MI */
        }
        CU_ASSERT_EQUAL(tp->stops, want_stops);
    }
    /* The reserved names objdump uses. */
    CU_ASSERT_STRING_EQUAL(ia64_templates[0x06].name, "-3-");
    CU_ASSERT_STRING_EQUAL(ia64_templates[0x15].name, "-a-");
    CU_ASSERT_STRING_EQUAL(ia64_templates[0x1a].name, "-d-");
    CU_ASSERT_STRING_EQUAL(ia64_templates[0x1f].name, "-f-");
}

static void test_ia64_reserved_template(void)
{
    static const unsigned reserved[] = {
        0x06, 0x07, 0x14, 0x15, 0x1a, 0x1b, 0x1e, 0x1f
    };
    struct ia64_bundle b;
    size_t i;
    unsigned s;

    for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
        /* Perfectly good M/I slots do not rescue a reserved template. */
        dec(reserved[i], NOP_M, NOP_I, NOP_I, &b);
        CU_ASSERT_EQUAL(b.reserved, 1);
        CU_ASSERT_EQUAL(b.nslots, 3);
        for (s = 0; s < 3; s++) {
            CU_ASSERT_EQUAL(b.slot[s].op, IA64_OP_ILLEGAL);
            CU_ASSERT_EQUAL(b.slot[s].unit, IA64_UNIT_NONE);
        }
    }
    /* objdump: "[-3-]       data8 0x8888888888", no stop markers. */
    dec(0x07, 0x8888888888ull >> 0, 0x4444444444ull, 0x2222222222ull, &b);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[-3-]       data8 0x8888888888");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            data8 0x2222222222");
    /* %#011llx: zero has no 0x prefix. */
    dec(0x1e, 0, 5, 0, &b);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[-f-]       data8 00000000000");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            data8 0x000000005");
}

static void test_ia64_stops(void)
{
    struct ia64_bundle b;

    dec(0x03, NOP_M, NOP_I, NOP_I, &b);     /* MI;;I;; */
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MII]       nop.m 0x0");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            nop.i 0x0;;");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            nop.i 0x0;;");
    dec(0x0a, NOP_M, NOP_M, NOP_I, &b);     /* M;;MI */
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       nop.m 0x0;;");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            nop.i 0x0");
    dec(0x05, NOP_M, 0, 0, &b);             /* MLX;; : stop on the L+X line */
    CU_ASSERT_EQUAL(b.nslots, 2);
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_NONE);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            break.x 0x0;;");
    CU_ASSERT_EQUAL(ia64_disasm_slot(&b, 2, 0, NULL, 0), -1);
}

/* ------------------------------------------------------------------ */
/* The table                                                           */
/* ------------------------------------------------------------------ */

static int opnd_ok(const char *p)
{
    static const char *const tok[] = {
        "r1", "r2", "r3", "p1", "p2", "b1", "b2", "ar", "cr", "imm", "hex",
        "tgt", "pos", "len", "cnt", "sof", "sol", "sor",
    };

    while ((p = strchr(p, '%')) != NULL) {
        size_t i;
        int hit = 0;

        p++;
        for (i = 0; i < sizeof(tok) / sizeof(tok[0]); i++) {
            if (strncmp(p, tok[i], strlen(tok[i])) == 0) {
                hit = 1;
                break;
            }
        }
        if (!hit) {
            return 0;
        }
    }
    return 1;
}

static void test_ia64_table_rows(void)
{
    unsigned i;
    unsigned j;

    CU_ASSERT_STRING_EQUAL(ia64_op_info[IA64_OP_UNKNOWN].name, "UNKNOWN");
    CU_ASSERT_EQUAL(op_by_name("ADDS"), IA64_OP_ADDS);
    CU_ASSERT_EQUAL(op_by_name("VMSW_1"), IA64_OP_VMSW_1);
    for (i = IA64_OP_ILLEGAL + 1; i < IA64_OP__COUNT; i++) {
        const struct ia64_op_info *a = &ia64_op_info[i];
        uint64_t ma = ia64_op_mask[i];

        CU_ASSERT_PTR_NOT_NULL_FATAL(a->name);
        CU_ASSERT(a->mnem[0] != '\0');
        CU_ASSERT(a->type < IA64_TYPE__COUNT);
        CU_ASSERT(a->fmt != IA64_FMT_NONE && a->fmt < IA64_FMT__COUNT);
        /* Every E() value fits its field; the opcode is always matched. */
        if ((a->match & ~ma) != 0) {
            printf("\n%s: match outside mask\n", a->name);
        }
        CU_ASSERT_EQUAL(a->match & ~ma, 0);
        CU_ASSERT_EQUAL(ma >> 37, 0xf);
        CU_ASSERT_EQUAL(a->match >> 41, 0);
        CU_ASSERT(opnd_ok(a->opnd));
        /* hw-virt-facts C2: cause codes 1..41. */
        CU_ASSERT(a->vf <= 41);
        if (a->flags & (IA64_F_LOAD | IA64_F_STORE)) {
            CU_ASSERT_EQUAL(a->type, IA64_TYPE_M);
        }
        if (a->type == IA64_TYPE_A) {
            CU_ASSERT((a->match >> 37) >= 8);
        } else if (a->type == IA64_TYPE_I || a->type == IA64_TYPE_M) {
            CU_ASSERT((a->match >> 37) < 8);
        }
        /* Rows of one bucket must differ in some bit both constrain. */
        for (j = i + 1; j < IA64_OP__COUNT; j++) {
            const struct ia64_op_info *b = &ia64_op_info[j];
            uint64_t common = ma & ia64_op_mask[j];

            if (a->type != b->type) {
                continue;
            }
            if (((a->match ^ b->match) & common) == 0) {
                printf("\n%s overlaps %s\n", a->name, b->name);
                CU_FAIL("overlapping rows");
            }
        }
        for (j = 0; j < i; j++) {
            if (strcmp(ia64_op_info[j].name, a->name) == 0) {
                CU_FAIL("duplicate row name");
            }
        }
    }
    CU_ASSERT_STRING_EQUAL(ia64_fmt_name[IA64_FMT_M34], "M34");
}

/* xorshift64*: deterministic, seedable, no libc state. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state >> 12;
    rnd_state ^= rnd_state << 25;
    rnd_state ^= rnd_state >> 27;
    return rnd_state * 0x2545f4914f6cdd1dull;
}

/* Every row decodes from its own pattern with random free bits (only the
 * reserved values some formats reject may turn it into UNKNOWN). */
static void test_ia64_rows_self_decode(void)
{
    unsigned i;

    rnd_state = 42;
    for (i = IA64_OP_ILLEGAL + 1; i < IA64_OP__COUNT; i++) {
        const struct ia64_op_info *a = &ia64_op_info[i];
        enum ia64_unit u = IA64_UNIT_M;
        unsigned hits = 0;
        unsigned k;

        switch ((enum ia64_type)a->type) {
        case IA64_TYPE_A:
            u = (i & 1) ? IA64_UNIT_I : IA64_UNIT_M;
            break;
        case IA64_TYPE_I:
            u = IA64_UNIT_I;
            break;
        case IA64_TYPE_M:
            u = IA64_UNIT_M;
            break;
        case IA64_TYPE_B:
            u = IA64_UNIT_B;
            break;
        case IA64_TYPE_F:
            u = IA64_UNIT_F;
            break;
        case IA64_TYPE_X:
        case IA64_TYPE__COUNT:
            u = IA64_UNIT_X;
            break;
        }
        for (k = 0; k < 64; k++) {
            struct ia64_insn in;
            uint64_t s = (rnd() & ~ia64_op_mask[i] & IA64_SLOT_MASK) |
                         a->match;

            ia64_decode_slot(s, u, rnd(), &in);
            CU_ASSERT(in.op == i || in.op == IA64_OP_UNKNOWN);
            hits += in.op == i;
        }
        if (hits == 0) {
            printf("\n%s never decodes\n", a->name);
        }
        CU_ASSERT(hits > 0);
    }
}

/* ------------------------------------------------------------------ */
/* Bundles from GNU as 2.40 (source in the comments)                   */
/* ------------------------------------------------------------------ */

/* { .mii; adds r1=-5,r2; addl r3=-2097152,r2; cmp.gt p6,p7=r2,r3 }
 * { .mlx; nop.m 0; movl r5=0x123456789abcdef0;; }
 * { .mib; cmp.le.unc p8,p9=5,r7; nop.i 0; (p6) br.cond.dptk.few foo }
 * { .mmi; ld8 r1=[r2],-256; st4 [r2]=r1,-256; nop.i 0;; }  (foo = 0) */
static const uint8_t gas_code[4][16] = {
    { 0x00, 0x08, 0xec, 0x05, 0x3f, 0x23, 0x30, 0x00,
      0x08, 0x00, 0x4c, 0xc0, 0x30, 0x10, 0x1c, 0xc0 },
    { 0x05, 0x00, 0x00, 0x00, 0x01, 0x80, 0x9a, 0x78,
      0x56, 0x34, 0x12, 0xa0, 0x00, 0x97, 0xf7, 0x66 },
    { 0x10, 0x40, 0x12, 0x0e, 0x09, 0x31, 0x00, 0x00,
      0x00, 0x02, 0x00, 0x03, 0xe0, 0xff, 0xff, 0x4a },
    { 0x09, 0x08, 0x00, 0x04, 0x18, 0x16, 0x00, 0x08,
      0x08, 0x20, 0x2f, 0x00, 0x00, 0x00, 0x04, 0x00 },
};

static void test_ia64_gas_bundles(void)
{
    struct ia64_bundle b;
    char out[512];

    ia64_decode_bundle(gas_code[0], &b);
    CU_ASSERT_EQUAL(b.tmpl, 0x00);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_ADDS);
    CU_ASSERT_EQUAL(b.slot[0].r1, 1);
    CU_ASSERT_EQUAL(b.slot[0].r3, 2);
    CU_ASSERT_EQUAL(b.slot[0].imm, -5);
    CU_ASSERT_EQUAL(b.slot[0].unit, IA64_UNIT_M);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_ADDL);
    CU_ASSERT_EQUAL(b.slot[1].imm, -2097152);
    CU_ASSERT_EQUAL(b.slot[1].r1, 3);
    CU_ASSERT_EQUAL(b.slot[1].r3, 2);
    /* cmp.gt a,b is encoded as cmp.lt with the sources swapped. */
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_CMP_LT);
    CU_ASSERT_EQUAL(b.slot[2].crel, IA64_CREL_LT);
    CU_ASSERT_EQUAL(b.slot[2].ctype, IA64_CTYPE_NONE);
    CU_ASSERT_EQUAL(b.slot[2].p1, 6);
    CU_ASSERT_EQUAL(b.slot[2].p2, 7);
    CU_ASSERT_EQUAL(b.slot[2].r2, 3);
    CU_ASSERT_EQUAL(b.slot[2].r3, 2);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            cmp.lt p6,p7=r3,r2");

    ia64_decode_bundle(gas_code[1], &b);
    CU_ASSERT_EQUAL(b.tmpl, 0x05);
    CU_ASSERT_EQUAL(b.nslots, 2);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_MOVL);
    CU_ASSERT_EQUAL(b.slot[1].unit, IA64_UNIT_X);
    CU_ASSERT_EQUAL(b.slot[1].r1, 5);
    CU_ASSERT_EQUAL((uint64_t)b.slot[1].imm, 0x123456789abcdef0ull);

    ia64_decode_bundle(gas_code[2], &b);
    /* cmp.le.unc p8,p9=5,r7 is cmp.lt.unc p8,p9=4,r7. */
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_CMP_LT_IMM);
    CU_ASSERT_EQUAL(b.slot[0].imm, 4);
    CU_ASSERT_EQUAL(b.slot[0].ctype, IA64_CTYPE_UNC);
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_BR_COND);
    CU_ASSERT_EQUAL(b.slot[2].qp, 6);
    CU_ASSERT_EQUAL(b.slot[2].bwh, IA64_BWH_DPTK);
    CU_ASSERT_EQUAL(b.slot[2].imm, -0x20);
    CU_ASSERT_EQUAL(ia64_branch_target(&b.slot[2], 0x20), 0);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0x20),
                           "      (p06) br.cond.dptk.few 0");

    ia64_decode_bundle(gas_code[3], &b);
    CU_ASSERT_EQUAL(b.tmpl, 0x09);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_LD8_INC_IMM);
    CU_ASSERT_EQUAL(b.slot[0].minc, IA64_MINC_IMM);
    CU_ASSERT_EQUAL(b.slot[0].msize, 8);
    CU_ASSERT_EQUAL(b.slot[0].imm, -256);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_ST4_INC_IMM);
    CU_ASSERT_EQUAL(b.slot[1].msize, 4);
    CU_ASSERT_EQUAL(b.slot[1].imm, -256);
    CU_ASSERT_EQUAL(b.slot[1].r2, 1);
    CU_ASSERT_EQUAL(b.slot[1].r3, 2);

    /* The whole-bundle entry point, objdump's slot addressing. */
    CU_ASSERT(ia64_disasm_bundle(gas_code[3], 0x30, out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out,
        "30:\t[MMI]       ld8 r1=[r2],-256\n"
        "36:\t            st4 [r2]=r1,-256\n"
        "3c:\t            nop.i 0x0;;\n");
    CU_ASSERT(ia64_disasm_bundle(gas_code[1], 0x10, out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out,
        "10:\t[MLX]       nop.m 0x0\n"
        "16:\t            movl r5=0x123456789abcdef0;;\n");
}

/* ------------------------------------------------------------------ */
/* A unit                                                              */
/* ------------------------------------------------------------------ */

/* A4: opcode 8, s 36, x2a 35:34 = 2, ve 33, imm6d 32:27, r3 26:20,
 * imm7b 19:13, r1 12:6. */
static uint64_t adds(unsigned r1, int imm, unsigned r3)
{
    uint64_t v = (uint64_t)imm & 0x3fff;

    return OPC(8) | F(v >> 13, 36) | F(2, 34) | F((v >> 7) & 0x3f, 27) |
           F(r3, 20) | F(v & 0x7f, 13) | F(r1, 6);
}

/* A5: opcode 9, s 36, imm9d 35:27, imm5c 26:22, r3 21:20, imm7b, r1. */
static uint64_t addl(unsigned r1, int imm, unsigned r3)
{
    uint64_t v = (uint64_t)imm & 0x3fffff;

    return OPC(9) | F(v >> 21, 36) | F((v >> 7) & 0x1ff, 27) |
           F((v >> 16) & 0x1f, 22) | F(r3, 20) | F(v & 0x7f, 13) |
           F(r1, 6);
}

static void test_ia64_a_unit(void)
{
    struct ia64_bundle b;

    dec(0x00, adds(9, -8192, 10), adds(9, 8191, 10), adds(9, 0, 10), &b);
    CU_ASSERT_EQUAL(b.slot[0].imm, -8192);
    CU_ASSERT_EQUAL(b.slot[1].imm, 8191);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MII]       adds r9=-8192,r10");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            adds r9=8191,r10");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            mov r9=r10");

    dec(0x08, addl(1, -2097152, 3), addl(1, 2097151, 0),
        addl(127, -1, 1), &b);
    CU_ASSERT_EQUAL(b.slot[0].imm, -2097152);
    CU_ASSERT_EQUAL(b.slot[0].r3, 3);
    CU_ASSERT_EQUAL(b.slot[1].imm, 2097151);
    /* imm5c sits in the upper bits of the r3 field: r3 is two bits. */
    CU_ASSERT_EQUAL(b.slot[2].r3, 1);
    CU_ASSERT_EQUAL(b.slot[2].imm, -1);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       addl r1=-2097152,r3");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            mov r1=2097151");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            addl r127=-1,r1");

    /* A1 add r1=r2,r3,1 (x4 = 0, x2b = 1) and sub r1=r2,r3,1 (x4 = 1,
     * x2b = 0); A2 shladd count = ct2d + 1; A3 xor imm8. */
    dec(0x00, OPC(8) | F(0, 29) | F(1, 27) | F(3, 20) | F(2, 13) | F(1, 6),
        OPC(8) | F(1, 29) | F(0, 27) | F(3, 20) | F(2, 13) | F(1, 6),
        OPC(8) | F(4, 29) | F(3, 27) | F(3, 20) | F(2, 13) | F(1, 6), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_ADD_1);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_SUB_1);
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_SHLADD);
    CU_ASSERT_EQUAL(b.slot[2].count, 4);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MII]       add r1=r2,r3,1");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            sub r1=r2,r3,1");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            shladd r1=r2,4,r3");
    dec(0x00, OPC(8) | F(1, 36) | F(0xb, 29) | F(3, 27) | F(3, 20) |
        F(0, 13) | F(1, 6), NOP_I, NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_XOR_IMM);
    CU_ASSERT_EQUAL(b.slot[0].imm, -128);
    /* A1 with a reserved x4/x2b pair is unknown. */
    dec(0x00, OPC(8) | F(0, 29) | F(2, 27), NOP_I, NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_UNKNOWN);
}

/* A6: opcode, tb 36, x2 35:34, ta 33, p2 32:27, r3, r2, c 12, p1 11:6. */
static uint64_t cmp_rr(unsigned opc, unsigned x2, unsigned tb, unsigned ta,
                       unsigned c, unsigned p1, unsigned p2, unsigned r2,
                       unsigned r3)
{
    return OPC(opc) | F(tb, 36) | F(x2, 34) | F(ta, 33) | F(p2, 27) |
           F(r3, 20) | F(r2, 13) | F(c, 12) | F(p1, 6);
}

/* A8: imm8 = s 36 : imm7b. */
static uint64_t cmp_imm(unsigned opc, unsigned x2, unsigned ta, unsigned c,
                        unsigned p1, unsigned p2, int imm, unsigned r3)
{
    uint64_t v = (uint64_t)imm & 0xff;

    return OPC(opc) | F(v >> 7, 36) | F(x2, 34) | F(ta, 33) | F(p2, 27) |
           F(r3, 20) | F(v & 0x7f, 13) | F(c, 12) | F(p1, 6);
}

/* The assembler's pseudo relations: gt/le/ge swap sources or targets,
 * ne swaps targets, le/gt with an immediate use imm - 1 (Vol. 3, cmp,
 * "Comparison Relations").  The decoder reports the encoded relation. */
static void test_ia64_cmp_relations(void)
{
    struct ia64_bundle b;

    /* cmp.ne p6,p7=r2,r3 == cmp.eq p7,p6=r2,r3 */
    dec(0x00, cmp_rr(0xe, 0, 0, 0, 0, 7, 6, 2, 3),
        /* cmp.ge p6,p7=r2,r3 == cmp.lt p7,p6=r2,r3 */
        cmp_rr(0xc, 0, 0, 0, 0, 7, 6, 2, 3),
        /* cmp.leu p6,p7=r2,r3 == cmp.ltu p7,p6=r3,r2 */
        cmp_rr(0xd, 0, 0, 0, 0, 7, 6, 3, 2), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_CMP_EQ);
    CU_ASSERT_EQUAL(b.slot[0].crel, IA64_CREL_EQ);
    CU_ASSERT_EQUAL(b.slot[0].p1, 7);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MII]       cmp.eq p7,p6=r2,r3");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            cmp.lt p7,p6=r2,r3");
    CU_ASSERT_EQUAL(b.slot[2].crel, IA64_CREL_LTU);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            cmp.ltu p7,p6=r3,r2");

    /* Parallel types: ta = 1 selects the type by opcode and c gives
     * eq/ne; cmp.eq.andcm is cmp.ne.and. */
    dec(0x00, cmp_rr(0xc, 0, 0, 1, 1, 6, 7, 2, 3),
        cmp_rr(0xd, 1, 0, 1, 0, 6, 7, 2, 3),
        cmp_rr(0xe, 0, 0, 1, 1, 6, 7, 2, 3), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_CMP_AND);
    CU_ASSERT_EQUAL(b.slot[0].crel, IA64_CREL_NE);
    CU_ASSERT_EQUAL(b.slot[0].ctype, IA64_CTYPE_AND);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0),
                           "[MII]       cmp.ne.and p6,p7=r2,r3");
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_CMP4_OR);
    CU_ASSERT(b.slot[1].cflags & IA64_C_CMP4);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            cmp4.eq.or p6,p7=r2,r3");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0),
                           "            cmp.ne.or.andcm p6,p7=r2,r3");

    /* A7 against r0: ta:c give gt, le, ge, lt; r2 is ignored. */
    dec(0x00, cmp_rr(0xc, 0, 1, 0, 0, 6, 7, 5, 3),
        cmp_rr(0xd, 0, 1, 1, 1, 6, 7, 0, 3),
        cmp_rr(0xe, 1, 1, 1, 0, 6, 7, 0, 3), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_CMP_Z_AND);
    CU_ASSERT_EQUAL(b.slot[0].crel, IA64_CREL_GT);
    CU_ASSERT_EQUAL(b.slot[0].r2, 0);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0),
                           "[MII]       cmp.gt.and p6,p7=r0,r3");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            cmp.lt.or p6,p7=r0,r3");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0),
                           "            cmp4.ge.or.andcm p6,p7=r0,r3");

    /* A8: cmp.gtu p6,p7=5,r3 == cmp.ltu p7,p6=4,r3; immediates signed. */
    dec(0x00, cmp_imm(0xd, 2, 0, 0, 7, 6, 4, 3),
        cmp_imm(0xd, 3, 0, 1, 6, 7, -1, 3),
        cmp_imm(0xe, 2, 1, 1, 6, 7, -128, 3), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_CMP_LTU_IMM);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MII]       cmp.ltu p7,p6=4,r3");
    CU_ASSERT_EQUAL(b.slot[1].imm, -1);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            cmp4.ltu.unc p6,p7=-1,r3");
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_CMP_OR_ANDCM_IMM);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0),
                           "            cmp.ne.or.andcm p6,p7=-128,r3");
}

/* ------------------------------------------------------------------ */
/* I unit                                                              */
/* ------------------------------------------------------------------ */

static void test_ia64_i_unit(void)
{
    struct ia64_bundle b;

    /* I11 extr r1=r3,60,4 (pos 60 + len 4 = 64: "shr"); extr.u 5,7.
     * opcode 5, len6d 32:27, x2 35:34 = 1, pos6b 19:14, y 13. */
    dec(0x00, NOP_M,
        OPC(5) | F(1, 34) | F(3, 27) | F(3, 20) | F(60, 14) | F(1, 13) |
        F(1, 6),
        OPC(5) | F(1, 34) | F(6, 27) | F(2, 20) | F(5, 14) | F(1, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_EXTR);
    CU_ASSERT_EQUAL(b.slot[1].pos, 60);
    CU_ASSERT_EQUAL(b.slot[1].len, 4);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            shr r1=r3,60");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            extr.u r1=r2,5,7");

    /* I12 dep.z r1=r2,5,59 -> "shl r1=r2,5" (cpos6c = 63 - 5 at 25:20,
     * x 33 = 1); I15 dep r1=r2,r3,5,7 (cpos6d 36:31, len4d 30:27). */
    dec(0x00, NOP_M,
        OPC(5) | F(1, 34) | F(1, 33) | F(58, 27) | F(58, 20) | F(2, 13) |
        F(1, 6),
        OPC(4) | F(58, 31) | F(6, 27) | F(3, 20) | F(2, 13) | F(1, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_DEP_Z);
    CU_ASSERT_EQUAL(b.slot[1].pos, 5);
    CU_ASSERT_EQUAL(b.slot[1].len, 59);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            shl r1=r2,5");
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_DEP);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            dep r1=r2,r3,5,7");

    /* I16 tbit.nz.and p6,p7=r3,5: tb = 1, ta = 0, c = 1. */
    dec(0x00, NOP_M,
        OPC(5) | F(1, 36) | F(7, 27) | F(3, 20) | F(5, 14) | F(1, 12) |
        F(6, 6),
        OPC(5) | F(7, 27) | F(3, 20) | F(63, 14) | F(1, 12) | F(6, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_TBIT_AND);
    CU_ASSERT_EQUAL(b.slot[1].crel, IA64_CREL_NZ);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            tbit.nz.and p6,p7=r3,5");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0),
                           "            tbit.z.unc p6,p7=r3,63");

    /* I21 mov to BR: x3 = 7; no hint -> "mov b6=r2" even with a tag;
     * .ret.dptk.imp with tag -1 (timm9c 32:24, << 4). */
    dec(0x10, NOP_M,
        F(7, 33) | F(5, 24) | F(1, 20) | F(2, 13) | F(6, 6),
        NOP_B, &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_MOV_TO_BR);
    CU_ASSERT_EQUAL(b.slot[1].imm, 0x50);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            mov b6=r2");
    dec(0x10, NOP_M,
        F(7, 33) | F(0x1ff, 24) | F(1, 23) | F(1, 22) | F(2, 20) |
        F(2, 13) | F(1, 6),
        NOP_B, &b);
    CU_ASSERT_EQUAL(b.slot[1].imm, -16);
    CU_ASSERT_EQUAL(b.slot[1].bwh, IA64_BWH_DPTK);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0x100),
                           "            mov.ret.dptk.imp b1=r2,f0");
    /* wh = 3 is reserved. */
    dec(0x10, NOP_M, F(7, 33) | F(3, 20), NOP_B, &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_UNKNOWN);

    /* I23 mov pr=r2,mask: mask17 = s:mask8c:mask7a:0, sign extended;
     * I24 mov pr.rot=imm44. */
    dec(0x00, NOP_M,
        F(3, 33) | F(1, 36) | F(0xff, 24) | F(2, 13) | F(0x7f, 6),
        F(2, 33) | F(1, 36) | F(5, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_MOV_TO_PR);
    CU_ASSERT_EQUAL((uint64_t)b.slot[1].imm, 0xfffffffffffffffeull);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            mov pr=r2,0xfffffffffffffffe");
    CU_ASSERT_EQUAL((uint64_t)b.slot[2].imm, 0xfffff80000050000ull);

    /* I28 mov.i r1=ar.lc; I29 sxt1; I25 mov r1=ip. */
    dec(0x00, NOP_M, F(0x32, 27) | F(65, 20) | F(1, 6),
        F(0x14, 27) | F(9, 20) | F(8, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].areg, 65);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            mov.i r1=ar.lc");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            sxt1 r8=r9");
}

/* ------------------------------------------------------------------ */
/* M unit                                                              */
/* ------------------------------------------------------------------ */

static void test_ia64_m_unit(void)
{
    struct ia64_bundle b;
    char nm[16];

    /* M3 ld8.nta r1=[r2],255: opcode 5, s 36, x6 35:30, hint 29:28,
     * i 27, imm7b 19:13.  M5 st1.rel [r3]=r4,-1: imm7a 12:6. */
    dec(0x09,
        OPC(5) | F(3, 30) | F(3, 28) | F(1, 27) | F(2, 20) | F(0x7f, 13) |
        F(1, 6),
        OPC(5) | F(1, 36) | F(0x34, 30) | F(1, 27) | F(3, 20) | F(4, 13) |
        F(0x7f, 6),
        NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_LD8_INC_IMM);
    CU_ASSERT_EQUAL(b.slot[0].imm, 255);
    CU_ASSERT_EQUAL(b.slot[0].mhint, 3);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       ld8.nta r1=[r2],255");
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_ST1_REL_INC_IMM);
    CU_ASSERT(b.slot[1].cflags & IA64_C_REL);
    CU_ASSERT_EQUAL(b.slot[1].imm, -1);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            st1.rel [r3]=r4,-1");

    /* M2 ld4.acq r1=[r2],r3 (m = 1); M1 ld2 with the third hint bit. */
    dec(0x08, OPC(4) | F(1, 36) | F(0x16, 30) | F(2, 20) | F(3, 13) |
        F(1, 6),
        OPC(4) | F(1, 30) | F(2, 28) | F(2, 20) | F(1, 19) | F(1, 6),
        NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_LD4_ACQ_INC);
    CU_ASSERT_EQUAL(b.slot[0].minc, IA64_MINC_REG);
    CU_ASSERT(b.slot[0].cflags & IA64_C_ACQ);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       ld4.acq r1=[r2],r3");
    CU_ASSERT_EQUAL(b.slot[1].mhint, 6);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            ld2.d6 r1=[r2]");
    /* M2 with hint 2 is rejected (binutils shows data8). */
    dec(0x08, OPC(4) | F(1, 36) | F(2, 28), NOP_M, NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_UNKNOWN);

    /* M33/M32 CR names, M31/M29/M30 AR names. */
    dec(0x08, OPC(1) | F(0x24, 27) | F(2, 20) | F(1, 6),
        OPC(1) | F(0x2c, 27) | F(3, 20) | F(2, 13), NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_MOV_FROM_CR);
    CU_ASSERT_EQUAL(b.slot[0].areg, 2);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       mov r1=cr.iva");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            mov cr3=r2");
    CU_ASSERT_EQUAL(ia64_op_info[b.slot[1].op].vf, 4);
    CU_ASSERT(ia64_op_info[b.slot[1].op].flags & IA64_F_PRIV);
    CU_ASSERT_STRING_EQUAL(ia64_cr_name(66, nm), "cr.tpr");
    CU_ASSERT_STRING_EQUAL(ia64_cr_name(127, nm), "cr127");
    CU_ASSERT_STRING_EQUAL(ia64_ar_name(44, nm), "ar.itc");
    CU_ASSERT_STRING_EQUAL(ia64_ar_name(9, nm), "ar9");
    dec(0x08, OPC(1) | F(0x2a, 27) | F(5, 20) | F(2, 13),
        F(8, 27) | F(2, 31) | F(1, 36) | F(16, 20) | F(0x7f, 13),
        NOP_I, &b);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       mov.m ar.k5=r2");
    CU_ASSERT_EQUAL(b.slot[1].imm, -1);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            mov.m ar.rsc=-1");

    /* M34 alloc r34=ar.pfs,24,16,8 (sof 19:13, sol 26:20, sor 30:27 in
     * eights); not predicable, so qp 5 is not shown. */
    dec(0x08, OPC(1) | F(6, 33) | F(1, 27) | F(16, 20) | F(24, 13) |
        F(34, 6) | 5, NOP_M, NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_ALLOC);
    CU_ASSERT_EQUAL(b.slot[0].sor, 8);
    CU_ASSERT_EQUAL(b.slot[0].qp, 5);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0),
                           "[MMI]       alloc r34=ar.pfs,24,16,8");

    /* M44 ssm: imm24 = i 36 : i2d 32:31 : imm21a 26:6. */
    dec(0x08, F(6, 27) | F(1, 36) | F(3, 31) | F(0x4000, 6),
        OPC(1) | F(0x19, 27) | F(3, 20) | F(3, 13) | F(1, 6), NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_SSM);
    CU_ASSERT_EQUAL(b.slot[0].imm, 0xe04000);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[MMI]       ssm 0xe04000");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            probe.w r1=r3,3");

    /* Virtualized system instructions and their cause codes. */
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_MOV_FROM_CPUID].vf, 23);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_PTC_G].vf, 27);
    CU_ASSERT(ia64_op_info[IA64_OP_PTC_G].flags & IA64_F_LAST);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_THASH].vf, 31);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_THASH].flags & IA64_F_PRIV, 0);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_MOV_FROM_PMD].vf, 0);
}

/* ------------------------------------------------------------------ */
/* B unit, F unit and L+X                                              */
/* ------------------------------------------------------------------ */

/* B1: opcode 4, s 36, d 35, wh 34:33, imm20b 32:13, p 12, btype 8:6. */
static uint64_t br_ip(unsigned btype, unsigned wh, unsigned p, unsigned d,
                      int64_t disp, unsigned qp)
{
    uint64_t v = ((uint64_t)(disp / 16)) & 0x1fffff;

    return OPC(4) | F(v >> 20, 36) | F(d, 35) | F(wh, 33) |
           F(v & 0xfffff, 13) | F(p, 12) | F(btype, 6) | qp;
}

static void test_ia64_b_unit(void)
{
    struct ia64_bundle b;

    /* Displacement = sign_ext(imm21) << 4: extremes and qp = 0 .sptk
     * printed as "br". */
    dec(0x16, br_ip(0, 0, 0, 0, 0xfffff0, 0),
        br_ip(0, 0, 1, 1, -0x1000000, 0),
        br_ip(0, 3, 1, 0, -16, 9), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_BR_COND);
    CU_ASSERT_EQUAL(b.slot[0].imm, 0xfffff0);
    CU_ASSERT_EQUAL(b.slot[1].imm, -0x1000000);
    CU_ASSERT_EQUAL(ia64_branch_target(&b.slot[1], 0x2000000), 0x1000000);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0x1000), "[BBB]       br.few 1000ff0");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0x2000000),
                           "            br.many.clr 1000000");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0x100),
                           "      (p09) br.cond.dpnt.many f0");
    /* Counted branches are not predicable: qp not shown. */
    dec(0x16, br_ip(5, 0, 0, 0, 32, 4), br_ip(7, 2, 1, 0, 0, 0),
        NOP_B, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_BR_CLOOP);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[BBB]       br.cloop.sptk.few 20");
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            br.ctop.dptk.many 0");

    /* B3 br.call.sptk.many b0=; B4 br.ret.sptk.many b0 (x6 0x21, btype
     * 4); B5 br.call.dpnt.few.clr b1=b6 (wh 34:32 = 7). */
    dec(0x16, OPC(5) | F(0x10, 13) | F(1, 12),
        F(1, 12) | F(0x21, 27) | F(4, 6) | F(0, 13),
        OPC(1) | F(1, 35) | F(7, 32) | F(6, 13) | F(1, 6), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_BR_CALL);
    CU_ASSERT_EQUAL(b.slot[0].imm, 0x100);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0x40),
                           "[BBB]       br.call.sptk.many b0=140");
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_BR_RET);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            br.ret.sptk.many b0");
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_BR_CALL_IND);
    CU_ASSERT_EQUAL(b.slot[2].bwh, IA64_BWH_DPNT);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0),
                           "            br.call.dpnt.few.clr b1=b6");
    /* B5 even whether hints are reserved. */
    dec(0x16, OPC(1) | F(6, 32), NOP_B, NOP_B, &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_UNKNOWN);

    /* B8 system instructions: not predicable, privileged ones flagged. */
    dec(0x17, F(0x08, 27) | 3, F(0x19, 27), F(0x02, 27), &b);
    CU_ASSERT_EQUAL(b.slot[0].op, IA64_OP_RFI);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_VMSW_1);
    CU_ASSERT_EQUAL(b.slot[2].op, IA64_OP_COVER);
    CU_ASSERT_STRING_EQUAL(text(&b, 0, 0), "[BBB]       rfi");
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "            cover;;");
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_RFI].vf, 37);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_VMSW_0].vf, 40);
    CU_ASSERT(ia64_op_info[IA64_OP_VMSW_1].flags & IA64_F_PRIV);
    CU_ASSERT(ia64_op_info[IA64_OP_BSW_0].flags & IA64_F_NOPRED);
    CU_ASSERT_EQUAL(ia64_op_info[IA64_OP_BSW_1].vf, 39);

    /* F15/F16 in MFI; B9 break.b with predicate. */
    dec(0x0c, NOP_M, F(1, 36) | F(1, 27) | F(0x2345, 6),
        NOP_I, &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_NOP_F);
    CU_ASSERT_EQUAL(b.slot[1].imm, 0x102345);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            nop.f 0x102345");
    dec(0x10, NOP_M, NOP_I, F(0x12, 6) | 1, &b);
    CU_ASSERT_STRING_EQUAL(text(&b, 2, 0), "      (p01) break.b 0x12");
}

static void test_ia64_lx(void)
{
    struct ia64_bundle b;

    /* X2 movl r1=-1: i 36, imm9d 35:27, imm5c 26:22, ic 21, imm7b 19:13,
     * L = imm41. */
    dec(0x04, NOP_M, IA64_SLOT_MASK,
        OPC(6) | F(1, 36) | F(0x1ff, 27) | F(0x1f, 22) | F(1, 21) |
        F(0x7f, 13) | F(1, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_MOVL);
    CU_ASSERT_EQUAL(b.slot[1].imm, -1);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            movl r1=0xffffffffffffffff");
    /* Only i set: imm64 = 1 << 63. */
    dec(0x04, NOP_M, 0, OPC(6) | F(1, 36), &b);
    CU_ASSERT_EQUAL((uint64_t)b.slot[1].imm, 0x8000000000000000ull);
    /* vc = 1 is reserved. */
    dec(0x04, NOP_M, 0, OPC(6) | F(1, 20), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0), "            data8 0xc000100000");

    /* X4 brl.call.sptk.many b0: imm60 = i:imm39 (L bits 40:2):imm20b,
     * L bits 1:0 are ignored. */
    dec(0x05, NOP_M, F(1, 2) | 3, OPC(0xd) | F(1, 12) | F(2, 13), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_BRL_CALL);
    CU_ASSERT_EQUAL(b.slot[1].imm, (int64_t)((1u << 20 | 2u) << 4));
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0x10),
                           "            brl.call.sptk.many b0=1000030;;");
    dec(0x04, NOP_M, 0, OPC(0xc) | F(1, 36), &b);
    CU_ASSERT_EQUAL((uint64_t)b.slot[1].imm, 0x8000000000000000ull);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0x60),
                           "            brl.few 8000000000000060");

    /* X1/X5: imm62 = L:i:imm20a. */
    dec(0x04, NOP_M, 0x1ffffffffffull, F(1, 36) | F(0xfffff, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_BREAK_X);
    CU_ASSERT_EQUAL(b.slot[1].imm, 0x3fffffffffffffffll);
    CU_ASSERT_STRING_EQUAL(text(&b, 1, 0),
                           "            break.x 0x3fffffffffffffff");
    dec(0x04, NOP_M, 1, F(1, 27) | F(0x45, 6), &b);
    CU_ASSERT_EQUAL(b.slot[1].op, IA64_OP_NOP_X);
    CU_ASSERT_EQUAL(b.slot[1].imm, 0x200045);
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

static void test_ia64_disasm_truncation(void)
{
    char small[8];
    int full;
    int n;

    full = ia64_disasm_bundle(gas_code[0], 0, NULL, 0);
    CU_ASSERT(full > 40);
    memset(small, 'x', sizeof(small));
    n = ia64_disasm_bundle(gas_code[0], 0, small, sizeof(small));
    CU_ASSERT_EQUAL(n, full);
    CU_ASSERT_EQUAL(small[7], '\0');
    CU_ASSERT_NSTRING_EQUAL(small, "0:\t[MII]", 7);
    memset(small, 'x', sizeof(small));
    n = ia64_disasm_bundle(gas_code[0], 0, small, 1);
    CU_ASSERT_EQUAL(n, full);
    CU_ASSERT_EQUAL(small[0], '\0');
    CU_ASSERT_EQUAL(small[1], 'x');
    CU_ASSERT_EQUAL(ia64_disasm_bundle(NULL, 0, small, sizeof(small)), -1);
    CU_ASSERT_EQUAL(small[0], '\0');
}

#define RANDOM_BUNDLES 1000000

static void test_ia64_random_bundles(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *map;
    uint8_t *b;
    char out[512];
    char tiny[12];
    unsigned long i;
    unsigned long known = 0;

    CU_ASSERT_FATAL(pg > 0);
    map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(map != MAP_FAILED);
    CU_ASSERT_FATAL(mprotect(map + pg, (size_t)pg, PROT_NONE) == 0);
    b = map + pg - IA64_BUNDLE_BYTES;   /* last 16 bytes before the guard */
    rnd_state = 0x1a64;
    for (i = 0; i < RANDOM_BUNDLES; i++) {
        struct ia64_bundle d;
        uint64_t lo = rnd();
        uint64_t hi = rnd();
        unsigned s;
        int n;
        int k;

        for (k = 0; k < 8; k++) {
            b[k] = (uint8_t)(lo >> (8 * k));
            b[8 + k] = (uint8_t)(hi >> (8 * k));
        }
        ia64_decode_bundle(b, &d);
        if (d.nslots != (d.tmpl == 4 || d.tmpl == 5 ? 2 : 3) ||
            d.reserved != ia64_templates[d.tmpl].reserved) {
            CU_FAIL("bad bundle shape");
            break;
        }
        for (s = 0; s < 3; s++) {
            const struct ia64_insn *in = &d.slot[s];

            if (in->op >= IA64_OP__COUNT || in->r1 > 127 || in->r2 > 127 ||
                in->r3 > 127 || in->p1 > 63 || in->p2 > 63 || in->b1 > 7 ||
                in->b2 > 7 || in->qp > 63 || in->raw > IA64_SLOT_MASK ||
                in->mhint > 7 || in->len > 64 || in->pos > 63) {
                CU_FAIL("field out of range");
                i = RANDOM_BUNDLES;
                break;
            }
            known += in->op > IA64_OP_ILLEGAL;
        }
        n = ia64_disasm_bundle(b, (uint64_t)i * 16, out, sizeof(out));
        if (n <= 0 || (size_t)n >= sizeof(out) || out[n] != '\0' ||
            strlen(out) != (size_t)n) {
            CU_FAIL("bad disassembly length");
            break;
        }
        /* Truncating output must still terminate the buffer. */
        n = ia64_disasm_slot(&d, (unsigned)(i % 3), 0, tiny, sizeof(tiny));
        if (tiny[sizeof(tiny) - 1] != '\0' && strlen(tiny) >= sizeof(tiny)) {
            CU_FAIL("unterminated truncated slot");
            break;
        }
        if (n > 0 && strlen(tiny) == 0) {
            CU_FAIL("empty slot text");
            break;
        }
    }
    /* The generator is not degenerate: a fair share decodes to rows. */
    CU_ASSERT(known > RANDOM_BUNDLES / 10);
    munmap(map, (size_t)pg * 2);
}

int test_ia64_decode_register(void)
{
    CU_pSuite s = CU_add_suite("ia64_decode", NULL, NULL);

    if (s == NULL) {
        return -1;
    }
    if (!CU_add_test(s, "templates", test_ia64_templates) ||
        !CU_add_test(s, "reserved_template", test_ia64_reserved_template) ||
        !CU_add_test(s, "stops", test_ia64_stops) ||
        !CU_add_test(s, "table_rows", test_ia64_table_rows) ||
        !CU_add_test(s, "rows_self_decode", test_ia64_rows_self_decode) ||
        !CU_add_test(s, "gas_bundles", test_ia64_gas_bundles) ||
        !CU_add_test(s, "a_unit", test_ia64_a_unit) ||
        !CU_add_test(s, "cmp_relations", test_ia64_cmp_relations) ||
        !CU_add_test(s, "i_unit", test_ia64_i_unit) ||
        !CU_add_test(s, "m_unit", test_ia64_m_unit) ||
        !CU_add_test(s, "b_unit", test_ia64_b_unit) ||
        !CU_add_test(s, "lx", test_ia64_lx) ||
        !CU_add_test(s, "disasm_truncation", test_ia64_disasm_truncation) ||
        !CU_add_test(s, "random_bundles", test_ia64_random_bundles)) {
        return -1;
    }
    return 0;
}
