/*
 * test_x86_decode.c - suite "x86_decode": the x86 decode layer.
 *
 * Hand-assembled encodings (SDM Vol. 2 "Instruction Format", ModRM/SIB
 * tables) checked field by field; properties of every x86_ops.def row; the
 * Popek-Goldberg set; the predecode cache; and 1,000,000 random byte
 * strings decoded from the end of a page followed by an inaccessible guard
 * page, so any read beyond `avail` faults even without a sanitizer.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "isa/x86.h"
#include "test_suites.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* "48 8b 05" -> bytes; returns the count. */
static size_t hex(const char *s, uint8_t *b, size_t cap)
{
    size_t n = 0;

    while (*s != '\0' && n < cap) {
        unsigned v;

        if (*s == ' ') {
            s++;
            continue;
        }
        if (sscanf(s, "%2x", &v) != 1) {
            break;
        }
        b[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* Decode `h` in `mode` with exactly its bytes available. */
static int dec(enum x86_mode mode, const char *h, struct x86_insn *out)
{
    uint8_t b[32];
    size_t n = hex(h, b, sizeof(b));

    return x86_decode(b, n, mode, out);
}

static enum x86_op op_by_name(const char *name)
{
    unsigned i;

    for (i = 0; i < X86_OP__COUNT; i++) {
        if (strcmp(x86_op_name[i], name) == 0) {
            return (enum x86_op)i;
        }
    }
    return X86_OP_UNKNOWN;
}

static void check_reg(const struct x86_operand *o, unsigned reg,
                      unsigned size, unsigned high)
{
    CU_ASSERT_EQUAL(o->kind, X86_OPND_REG);
    CU_ASSERT_EQUAL(o->reg, reg);
    CU_ASSERT_EQUAL(o->size, size);
    CU_ASSERT_EQUAL(o->reg_high, high);
}

static void check_mem(const struct x86_operand *o, unsigned base,
                      unsigned index, unsigned scale, int64_t disp,
                      unsigned seg, unsigned size)
{
    CU_ASSERT_EQUAL(o->kind, X86_OPND_MEM);
    CU_ASSERT_EQUAL(o->u.mem.base, base);
    CU_ASSERT_EQUAL(o->u.mem.index, index);
    CU_ASSERT_EQUAL(o->u.mem.scale, scale);
    CU_ASSERT_EQUAL(o->u.mem.disp, disp);
    CU_ASSERT_EQUAL(o->u.mem.seg, seg);
    CU_ASSERT_EQUAL(o->size, size);
}

/* ------------------------------------------------------------------ */
/* Known encodings                                                     */
/* ------------------------------------------------------------------ */

/* 48 8B 44 8B 10: REX.W, ModRM mod=01 reg=RAX rm=SIB, SIB scale=4
 * index=RCX base=RBX, disp8 0x10 -> mov rax, [rbx+rcx*4+0x10]. */
static void test_x86_decode_mov_sib_disp8(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 8b 44 8b 10", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV);
    CU_ASSERT_STRING_EQUAL(x86_zydis_mnemonic_name(i.zmnemonic), "mov");
    CU_ASSERT_EQUAL(i.length, 5);
    CU_ASSERT_EQUAL(i.mode, X86_MODE_64);
    CU_ASSERT_EQUAL(i.osize, 64);
    CU_ASSERT_EQUAL(i.asize, 64);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_MOV);
    CU_ASSERT_EQUAL(i.lat, X86_LAT_INT);
    CU_ASSERT_EQUAL(i.prefixes, 0);
    CU_ASSERT_EQUAL(i.seg_override, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.cond, X86_COND_NONE);
    CU_ASSERT_EQUAL(i.nops, 2);
    check_reg(&i.opnd[0], X86_REG_RAX, 8, 0);
    CU_ASSERT_EQUAL(i.opnd[0].access, X86_ACC_W);
    check_mem(&i.opnd[1], X86_REG_RBX, X86_REG_RCX, 4, 0x10, X86_REG_DS, 8);
    CU_ASSERT_EQUAL(i.opnd[1].access, X86_ACC_R);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.rip_rel, 0);
    CU_ASSERT_EQUAL(i.opnd[2].kind, X86_OPND_NONE);
    CU_ASSERT(i.flags & X86_F_MEM);
    CU_ASSERT_FALSE(i.flags & (X86_F_SENSITIVE | X86_F_PRIV));

    /* 89 C8: register form, no memory access. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV);
    check_reg(&i.opnd[0], X86_REG_RAX, 4, 0);
    check_reg(&i.opnd[1], X86_REG_RCX, 4, 0);
    CU_ASSERT_FALSE(i.flags & X86_F_MEM);

    /* 8B 45 F8 (32-bit): mov eax, [ebp-8]: SS is the default segment. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "8b 45 f8", &i), 0);
    check_mem(&i.opnd[1], X86_REG_RBP, X86_REG_NONE, 0, -8, X86_REG_SS, 4);
    CU_ASSERT_EQUAL(i.asize, 32);

    /* 8B 00 (16-bit): mov ax, [bx+si]. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_16, "8b 00", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 16);
    CU_ASSERT_EQUAL(i.asize, 16);
    check_reg(&i.opnd[0], X86_REG_RAX, 2, 0);
    check_mem(&i.opnd[1], X86_REG_RBX, X86_REG_RSI, 1, 0, X86_REG_DS, 2);

    /* 64 48 8B 04 25 28 00 00 00: mov rax, fs:[0x28] (SIB, no base). */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "64 48 8b 04 25 28 00 00 00",
                              &i), 0);
    CU_ASSERT_EQUAL(i.length, 9);
    CU_ASSERT_EQUAL(i.seg_override, X86_REG_FS);
    check_mem(&i.opnd[1], X86_REG_NONE, X86_REG_NONE, 0, 0x28, X86_REG_FS,
              8);

    /* 2E 8B 00 in 64-bit mode: the CS override is ignored. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "2e 8b 00", &i), 0);
    CU_ASSERT_EQUAL(i.seg_override, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.seg, X86_REG_DS);
    /* ... but honoured in 32-bit mode. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "2e 8b 00", &i), 0);
    CU_ASSERT_EQUAL(i.seg_override, X86_REG_CS);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.seg, X86_REG_CS);
}

/* LEA with SIB and disp32; LEA computes an address and accesses nothing. */
static void test_x86_decode_lea(void)
{
    struct x86_insn i;

    /* 8D 84 24 00 01 00 00: lea eax, [rsp+0x100]. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "8d 84 24 00 01 00 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_LEA);
    CU_ASSERT_EQUAL(i.length, 7);
    CU_ASSERT_EQUAL(i.osize, 32);
    check_reg(&i.opnd[0], X86_REG_RAX, 4, 0);
    CU_ASSERT_EQUAL(i.opnd[1].kind, X86_OPND_MEM);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.base, X86_REG_RSP);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.index, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.disp, 0x100);
    CU_ASSERT_EQUAL(i.opnd[1].access, 0);
    CU_ASSERT_FALSE(i.flags & X86_F_MEM);

    /* 4A 8D 04 C5 F8 FF FF FF: lea rax, [r8*8-8] (SIB base=101, mod=00:
     * no base, disp32; REX.X extends the index). */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "4a 8d 04 c5 f8 ff ff ff", &i),
                          0);
    CU_ASSERT_EQUAL(i.op, X86_OP_LEA);
    CU_ASSERT_EQUAL(i.osize, 64);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.base, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.index, X86_REG_R8);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.scale, 8);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.disp, -8);

    /* 0F 1F 44 00 00: the 5-byte NOP has a ModRM memory operand that is
     * never accessed. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 1f 44 00 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_NOP);
    CU_ASSERT_EQUAL(i.length, 5);
    CU_ASSERT_EQUAL(i.opnd[0].access, 0);
    CU_ASSERT_FALSE(i.flags & X86_F_MEM);
}

/* ModRM mod=00 rm=101: RIP-relative in 64-bit mode, disp32 absolute in
 * 32-bit mode. */
static void test_x86_decode_rip_relative(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 8b 05 10 00 00 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV);
    CU_ASSERT_EQUAL(i.length, 7);
    CU_ASSERT_EQUAL(i.opnd[1].kind, X86_OPND_MEM);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.base, X86_REG_RIP);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.rip_rel, 1);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.index, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.disp, 0x10);

    /* Negative displacement: lea rdi, [rip-0x20]. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 8d 3d e0 ff ff ff", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_LEA);
    check_reg(&i.opnd[0], X86_REG_RDI, 8, 0);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.rip_rel, 1);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.disp, -0x20);

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "8b 05 10 00 00 00", &i), 0);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.base, X86_REG_NONE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.rip_rel, 0);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.disp, 0x10);
}

/* Immediates: imm8 sign-extended (83 /0), imm32 sign-extended to 64 bits
 * with REX.W (C7), imm64 (B8+r), unsigned imm8 of IN/INT. */
static void test_x86_decode_immediates(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 83 c0 ff", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_ADD);
    CU_ASSERT_EQUAL(i.osize, 64);
    check_reg(&i.opnd[0], X86_REG_RAX, 8, 0);
    CU_ASSERT_EQUAL(i.opnd[0].access, X86_ACC_R | X86_ACC_W);
    CU_ASSERT_EQUAL(i.opnd[1].kind, X86_OPND_IMM);
    CU_ASSERT_EQUAL(i.opnd[1].size, 1);
    CU_ASSERT_EQUAL(i.opnd[1].rel, 0);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, UINT64_MAX);

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "83 c0 80", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_ADD);
    CU_ASSERT_EQUAL(i.osize, 32);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, (uint64_t)-128);

    /* 83 /1 ib with a positive imm8 stays positive. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "83 c8 7f", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_OR);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, 0x7f);

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 c7 c0 00 00 00 80", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV);
    CU_ASSERT_EQUAL(i.opnd[1].size, 4);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, 0xffffffff80000000ull);

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 b8 88 77 66 55 44 33 22 11",
                              &i), 0);
    CU_ASSERT_EQUAL(i.length, 10);
    CU_ASSERT_EQUAL(i.opnd[1].size, 8);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, 0x1122334455667788ull);

    /* 6A 80: push imm8, sign-extended. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "6a 80", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSH);
    CU_ASSERT_EQUAL(i.osize, 64);
    CU_ASSERT_EQUAL(i.opnd[0].u.imm, (uint64_t)-128);
    CU_ASSERT(i.flags & X86_F_MEM);

    /* 6B C1 F0: imul eax, ecx, -16 (three-operand IMUL). */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "6b c1 f0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_IMUL);
    CU_ASSERT_EQUAL(i.nops, 3);
    CU_ASSERT_EQUAL(i.lat, X86_LAT_MUL);
    check_reg(&i.opnd[0], X86_REG_RAX, 4, 0);
    check_reg(&i.opnd[1], X86_REG_RCX, 4, 0);
    CU_ASSERT_EQUAL(i.opnd[2].u.imm, (uint64_t)-16);

    /* CD 80: int 0x80, unsigned imm8. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "cd 80", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_INT);
    CU_ASSERT_EQUAL(i.opnd[0].u.imm, 0x80);
}

/* Operand size from the mode, 66h and REX.W; byte registers. */
static void test_x86_decode_operand_sizes(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "66 89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 16);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_OPSIZE);
    check_reg(&i.opnd[0], X86_REG_RAX, 2, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 64);
    CU_ASSERT_EQUAL(i.prefixes, 0);
    check_reg(&i.opnd[1], X86_REG_RCX, 8, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 32);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_16, "89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 16);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_16, "66 89 c8", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 32);
    check_reg(&i.opnd[0], X86_REG_RAX, 4, 0);
    /* 67h: 32-bit addressing in 64-bit mode. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "67 8b 00", &i), 0);
    CU_ASSERT_EQUAL(i.asize, 32);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_ADSIZE);
    CU_ASSERT_EQUAL(i.opnd[1].u.mem.base, X86_REG_RAX);

    /* 88 E0: mov al, ah; 40 88 E0: mov al, spl (REX turns AH into SPL);
     * 41 88 C0: mov r8b, al. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "88 e0", &i), 0);
    CU_ASSERT_EQUAL(i.osize, 8);
    check_reg(&i.opnd[0], X86_REG_RAX, 1, 0);
    check_reg(&i.opnd[1], X86_REG_RAX, 1, 1);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "40 88 e0", &i), 0);
    check_reg(&i.opnd[1], X86_REG_RSP, 1, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "41 88 c0", &i), 0);
    check_reg(&i.opnd[0], X86_REG_R8, 1, 0);
    /* 0F B7 C1: movzx eax, cx; 48 63 C1: movsxd rax, ecx. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f b7 c1", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOVZX);
    check_reg(&i.opnd[1], X86_REG_RCX, 2, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 63 c1", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOVSXD);
    check_reg(&i.opnd[0], X86_REG_RAX, 8, 0);
    check_reg(&i.opnd[1], X86_REG_RCX, 4, 0);
    /* 98 is CBW/CWDE/CDQE by operand size. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "98", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CWDE);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 98", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CDQE);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "66 98", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CBW);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 99", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CQO);
    /* 48 0F C8: bswap rax. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 0f c8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_BSWAP);
    check_reg(&i.opnd[0], X86_REG_RAX, 8, 0);
}

/* String instructions and their repeat prefixes. */
static void test_x86_decode_string_rep(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f3 a4", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOVSB);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_STRING);
    CU_ASSERT_EQUAL(i.lat, X86_LAT_STRING);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REP);
    CU_ASSERT_EQUAL(i.nops, 0);
    CU_ASSERT_EQUAL(i.length, 2);
    CU_ASSERT(i.flags & X86_F_MEM);
    /* F2 on MOVS repeats like F3. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f2 a4", &i), 0);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REP);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "a4", &i), 0);
    CU_ASSERT_EQUAL(i.prefixes, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f3 48 ab", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_STOSQ);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REP);
    CU_ASSERT_EQUAL(i.osize, 64);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "f3 a6", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CMPSB);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REPE);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "f2 ae", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_SCASB);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REPNE);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "66 ad", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_LODSW);
    /* FS override on the source of MOVS. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "64 f3 a5", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOVSD);
    CU_ASSERT_EQUAL(i.seg_override, X86_REG_FS);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REP);
    /* F2 0F 10: SSE2 MOVSD has the same Zydis mnemonic; it is not ours. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f2 0f 10 c1", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(x86_zydis_mnemonic_name(i.zmnemonic), "movsd");
    CU_ASSERT_EQUAL(i.flags, 0);
    /* Any other unmodelled instruction keeps its Zydis mnemonic. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "66 0f ef c0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(x86_zydis_mnemonic_name(i.zmnemonic), "pxor");
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_NONE);
}

/* LOCK CMPXCHG, XADD; LOCK on a register destination is #UD. */
static void test_x86_decode_lock(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f0 48 0f b1 0f", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CMPXCHG);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_ATOMIC);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_LOCK);
    CU_ASSERT_EQUAL(i.length, 5);
    CU_ASSERT_EQUAL(i.osize, 64);
    check_mem(&i.opnd[0], X86_REG_RDI, X86_REG_NONE, 0, 0, X86_REG_DS, 8);
    CU_ASSERT_EQUAL(i.opnd[0].access, X86_ACC_R | X86_ACC_W);
    check_reg(&i.opnd[1], X86_REG_RCX, 8, 0);
    CU_ASSERT(i.flags & X86_F_MEM);

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "f0 0f c1 03", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_XADD);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_LOCK);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f0 48 0f c7 0e", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CMPXCHG16B);

    CU_ASSERT_EQUAL(dec(X86_MODE_64, "f0 01 c0", &i), -X86_DEC_EUD);
    CU_ASSERT_EQUAL(i.op, X86_OP_UNKNOWN);
    CU_ASSERT_EQUAL(i.length, 0);
}

/* Jcc rel8/rel32 targets, condition codes for Jcc/SETcc/CMOVcc, 16-bit
 * wrap, LOOP/JRCXZ. */
static void test_x86_decode_jcc(void)
{
    static const char *const cc[16] = {
        "O", "NO", "B", "NB", "Z", "NZ", "BE", "NBE",
        "S", "NS", "P", "NP", "L", "NL", "LE", "NLE",
    };
    struct x86_insn i;
    uint8_t b[8];
    unsigned n;
    char name[16];

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "74 10", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JZ);
    CU_ASSERT_EQUAL(i.cond, X86_COND_Z);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_JCC);
    CU_ASSERT(i.flags & X86_F_BRANCH);
    CU_ASSERT(i.flags & X86_F_COND);
    CU_ASSERT_EQUAL(i.opnd[0].kind, X86_OPND_IMM);
    CU_ASSERT_EQUAL(i.opnd[0].rel, 1);
    CU_ASSERT_EQUAL(i.opnd[0].size, 1);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x1000), 0x1012);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "74 f0", &i), 0);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x1000), 0xff2);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 84 10 00 00 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JZ);
    CU_ASSERT_EQUAL(i.length, 6);
    CU_ASSERT_EQUAL(i.opnd[0].size, 4);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x1000), 0x1016);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 8c 00 f0 ff ff", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JL);
    CU_ASSERT_EQUAL(i.cond, X86_COND_L);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0xffffffff80001000ull),
                    0xffffffff80000006ull);
    /* 32-bit mode: the target wraps at 4 GiB. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "0f 85 00 00 00 80", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JNZ);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x80000000u), 6);
    /* 16-bit mode: jmp rel16 wraps at 64 KiB. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_16, "e9 20 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP);
    CU_ASSERT_EQUAL(i.cond, X86_COND_NONE);
    CU_ASSERT_FALSE(i.flags & X86_F_COND);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0xfff0), 0x13);
    /* call rel32 and an indirect jump. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "e8 fb ff ff ff", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CALL);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x2000), 0x2000);
    CU_ASSERT(i.flags & X86_F_MEM);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "ff e0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP);
    check_reg(&i.opnd[0], X86_REG_RAX, 8, 0);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x2000), 0x2002);
    /* LOOP and JRCXZ are conditional branches without a flags cc. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "e2 fe", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_LOOP);
    CU_ASSERT_EQUAL(i.cond, X86_COND_NONE);
    CU_ASSERT_EQUAL(x86_insn_branch_target(&i, 0x3000), 0x3000);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "e3 05", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JRCXZ);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "e3 05", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JECXZ);

    for (n = 0; n < 16; n++) {
        b[0] = (uint8_t)(0x70 + n);
        b[1] = 0;
        CU_ASSERT_EQUAL_FATAL(x86_decode(b, 2, X86_MODE_64, &i), 0);
        snprintf(name, sizeof(name), "J%s", cc[n]);
        CU_ASSERT_STRING_EQUAL(x86_op_name[i.op], name);
        CU_ASSERT_EQUAL(i.cond, n);
        b[0] = 0x0f;
        b[1] = (uint8_t)(0x90 + n);
        b[2] = 0xc0;
        CU_ASSERT_EQUAL_FATAL(x86_decode(b, 3, X86_MODE_64, &i), 0);
        snprintf(name, sizeof(name), "SET%s", cc[n]);
        CU_ASSERT_STRING_EQUAL(x86_op_name[i.op], name);
        CU_ASSERT_EQUAL(i.cond, n);
        check_reg(&i.opnd[0], X86_REG_RAX, 1, 0);
        b[1] = (uint8_t)(0x40 + n);
        b[2] = 0xc1;
        CU_ASSERT_EQUAL_FATAL(x86_decode(b, 3, X86_MODE_64, &i), 0);
        snprintf(name, sizeof(name), "CMOV%s", cc[n]);
        CU_ASSERT_STRING_EQUAL(x86_op_name[i.op], name);
        CU_ASSERT_EQUAL(i.cond, n);
    }
}

/* Far transfers, segment registers: the forms Robin & Irvine flag. */
static void test_x86_decode_far_and_sreg(void)
{
    struct x86_insn i;
    const uint32_t ri = X86_F_SENS_BEHAV | X86_F_RI2000;

    /* EA 78 56 34 12 08 00 (32-bit): jmp far 0x0008:0x12345678. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "ea 78 56 34 12 08 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP_FAR);
    CU_ASSERT_EQUAL(i.length, 7);
    CU_ASSERT_EQUAL(i.nops, 1);
    CU_ASSERT_EQUAL(i.opnd[0].kind, X86_OPND_PTR);
    CU_ASSERT_EQUAL(i.opnd[0].size, 6);
    CU_ASSERT_EQUAL(i.opnd[0].u.ptr.sel, 8);
    CU_ASSERT_EQUAL(i.opnd[0].u.ptr.offset, 0x12345678);
    CU_ASSERT_EQUAL(i.flags & ri, ri);
    CU_ASSERT(i.flags & X86_F_BRANCH);
    CU_ASSERT_FALSE(i.flags & X86_F_PRIV);
    /* 66 EA: ptr16:16. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "66 ea 34 12 10 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP_FAR);
    CU_ASSERT_EQUAL(i.opnd[0].size, 4);
    CU_ASSERT_EQUAL(i.opnd[0].u.ptr.sel, 0x10);
    CU_ASSERT_EQUAL(i.opnd[0].u.ptr.offset, 0x1234);
    /* FF /5: jmp far [eax]; FF /4: near. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "ff 28", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP_FAR);
    CU_ASSERT_EQUAL(i.opnd[0].kind, X86_OPND_MEM);
    CU_ASSERT_EQUAL(i.opnd[0].size, 6);
    CU_ASSERT(i.flags & X86_F_MEM);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "ff 20", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_JMP);
    /* EA is invalid in 64-bit mode. */
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "ea 78 56 34 12 08 00", &i),
                    -X86_DEC_EUD);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "9a 00 10 00 00 08 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CALL_FAR);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "cb", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_RET_FAR);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "c3", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_RET);
    CU_ASSERT_FALSE(i.flags & X86_F_SENSITIVE);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "c2 08 00", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_RET);
    CU_ASSERT_EQUAL(i.opnd[0].u.imm, 8);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "48 cf", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_IRETQ);
    CU_ASSERT(i.flags & X86_F_SERIAL);

    /* 8E D8: mov ds, ax; 8C C8: mov eax, cs; 8E C8 (mov cs) is #UD. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "8e d8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_TO_SREG);
    check_reg(&i.opnd[0], X86_REG_DS, 2, 0);
    check_reg(&i.opnd[1], X86_REG_RAX, 2, 0);
    CU_ASSERT_EQUAL(i.flags & ri, ri);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "8c c8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_FROM_SREG);
    check_reg(&i.opnd[1], X86_REG_CS, 2, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "8c 18", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_FROM_SREG);
    CU_ASSERT_EQUAL(i.opnd[0].kind, X86_OPND_MEM);
    CU_ASSERT(i.flags & X86_F_MEM);
    CU_ASSERT_EQUAL(dec(X86_MODE_32, "8e c8", &i), -X86_DEC_EUD);
    /* 0E: push cs; 16: push ss; 1F: pop ds; 0F A1: pop fs; 50: push eax. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "0e", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSH_SREG);
    check_reg(&i.opnd[0], X86_REG_CS, 2, 0);
    CU_ASSERT_EQUAL(i.flags & ri, ri);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "16", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSH_SREG);
    CU_ASSERT_EQUAL(i.opnd[0].reg, X86_REG_SS);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "1f", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_POP_SREG);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f a1", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_POP_SREG);
    CU_ASSERT_EQUAL(i.opnd[0].reg, X86_REG_FS);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "50", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSH);
    CU_ASSERT_FALSE(i.flags & X86_F_SENSITIVE);
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "0e", &i), -X86_DEC_EUD);
    /* 9C/9D: pushf/popf by operand size. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "9c", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSHFQ);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "9d", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_POPFD);
    CU_ASSERT_EQUAL(i.flags & (X86_F_SENS_CTRL | X86_F_RI2000),
                    X86_F_SENS_CTRL | X86_F_RI2000);
}

/* Control and debug registers: privileged, serialising on writes except
 * MOV to CR8. */
static void test_x86_decode_cr_dr(void)
{
    struct x86_insn i;

    /* 0F 22 D8: mov cr3, rax. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 22 d8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_TO_CR);
    CU_ASSERT_EQUAL(i.length, 3);
    CU_ASSERT_EQUAL(i.nops, 2);
    check_reg(&i.opnd[0], X86_REG_CR0 + 3, 8, 0);
    check_reg(&i.opnd[1], X86_REG_RAX, 8, 0);
    CU_ASSERT_EQUAL(i.opnd[0].access, X86_ACC_W);
    CU_ASSERT_EQUAL(i.flags & (X86_F_PRIV | X86_F_SENS_CTRL | X86_F_SERIAL),
                    X86_F_PRIV | X86_F_SENS_CTRL | X86_F_SERIAL);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_SYSTEM);
    CU_ASSERT_EQUAL(i.lat, X86_LAT_SERIAL);
    /* 32-bit mode: mov cr0, eax. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "0f 22 c0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_TO_CR);
    check_reg(&i.opnd[0], X86_REG_CR0, 4, 0);
    /* 44 0F 22 C0: mov cr8, rax is not serialising. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "44 0f 22 c0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_TO_CR);
    CU_ASSERT_EQUAL(i.opnd[0].reg, X86_REG_CR0 + 8);
    CU_ASSERT_FALSE(i.flags & X86_F_SERIAL);
    CU_ASSERT(i.flags & X86_F_PRIV);
    /* 0F 20 E0: mov rax, cr4. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 20 e0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_FROM_CR);
    check_reg(&i.opnd[1], X86_REG_CR0 + 4, 8, 0);
    CU_ASSERT_FALSE(i.flags & X86_F_SERIAL);
    /* CR5 does not exist. */
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "0f 20 e8", &i), -X86_DEC_EUD);
    /* 0F 23 F8: mov dr7, rax; 0F 21 C0: mov rax, dr0. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 23 f8", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_TO_DR);
    check_reg(&i.opnd[0], X86_REG_DR0 + 7, 8, 0);
    CU_ASSERT(i.flags & X86_F_SERIAL);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 21 c0", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_MOV_FROM_DR);
    check_reg(&i.opnd[1], X86_REG_DR0, 8, 0);
}

/* Port I/O: implicit-but-visible AL/DX operands, immediate ports. */
static void test_x86_decode_io(void)
{
    struct x86_insn i;

    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "e4 60", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_IN);
    CU_ASSERT_EQUAL(i.cls, X86_CLASS_IO);
    CU_ASSERT_EQUAL(i.osize, 8);
    CU_ASSERT_EQUAL(i.nops, 2);
    check_reg(&i.opnd[0], X86_REG_RAX, 1, 0);
    CU_ASSERT_EQUAL(i.opnd[1].kind, X86_OPND_IMM);
    CU_ASSERT_EQUAL(i.opnd[1].u.imm, 0x60);
    CU_ASSERT(i.flags & X86_F_IOPL);
    CU_ASSERT_FALSE(i.flags & X86_F_PRIV);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "ec", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_IN);
    check_reg(&i.opnd[0], X86_REG_RAX, 1, 0);
    check_reg(&i.opnd[1], X86_REG_RDX, 2, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "ef", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_OUT);
    check_reg(&i.opnd[0], X86_REG_RDX, 2, 0);
    check_reg(&i.opnd[1], X86_REG_RAX, 4, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "e6 f4", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_OUT);
    CU_ASSERT_EQUAL(i.opnd[0].u.imm, 0xf4);
    check_reg(&i.opnd[1], X86_REG_RAX, 1, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "66 e5 40", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_IN);
    check_reg(&i.opnd[0], X86_REG_RAX, 2, 0);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "f3 6c", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_INSB);
    CU_ASSERT_EQUAL(i.prefixes, X86_PFX_REP);
    CU_ASSERT(i.flags & X86_F_MEM);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "6f", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_OUTSD);
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_32, "fa", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_CLI);
    CU_ASSERT(i.flags & X86_F_IOPL);
}

/* System and VMX/SVM instructions by encoding. */
static void test_x86_decode_system(void)
{
    static const struct {
        enum x86_mode mode;
        const char *bytes;
        enum x86_op op;
        unsigned len;
        uint32_t must;      /* flags that must be set */
        uint32_t mustnot;   /* flags that must be clear */
    } t[] = {
        { X86_MODE_64, "0f 05", X86_OP_SYSCALL, 2, X86_F_BRANCH,
          X86_F_PRIV | X86_F_SENSITIVE },
        { X86_MODE_64, "48 0f 07", X86_OP_SYSRET, 3, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 34", X86_OP_SYSENTER, 2, X86_F_BRANCH,
          X86_F_PRIV },
        { X86_MODE_32, "0f 35", X86_OP_SYSEXIT, 2, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 c1", X86_OP_VMCALL, 3,
          X86_F_VMEXIT | X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 c2", X86_OP_VMLAUNCH, 3,
          X86_F_VMEXIT | X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 c3", X86_OP_VMRESUME, 3, X86_F_VMEXIT, 0 },
        { X86_MODE_64, "0f 01 c4", X86_OP_VMXOFF, 3, X86_F_VMEXIT, 0 },
        { X86_MODE_64, "f3 0f c7 34 24", X86_OP_VMXON, 5,
          X86_F_VMEXIT | X86_F_MEM, 0 },
        { X86_MODE_64, "66 0f c7 34 24", X86_OP_VMCLEAR, 5, X86_F_MEM, 0 },
        { X86_MODE_64, "0f c7 34 24", X86_OP_VMPTRLD, 4, X86_F_MEM, 0 },
        { X86_MODE_64, "0f c7 3c 24", X86_OP_VMPTRST, 4, X86_F_MEM, 0 },
        { X86_MODE_64, "0f 78 c1", X86_OP_VMREAD, 3, X86_F_VMEXIT,
          X86_F_MEM },
        { X86_MODE_64, "0f 79 c8", X86_OP_VMWRITE, 3, X86_F_VMEXIT, 0 },
        { X86_MODE_64, "66 0f 38 80 08", X86_OP_INVEPT, 5,
          X86_F_SERIAL | X86_F_MEM, 0 },
        { X86_MODE_64, "66 0f 38 81 08", X86_OP_INVVPID, 5, X86_F_SERIAL,
          0 },
        { X86_MODE_64, "0f 01 d8", X86_OP_VMRUN, 3, X86_F_PRIV,
          X86_F_VMEXIT },
        { X86_MODE_64, "0f 01 d9", X86_OP_VMMCALL, 3, 0, X86_F_PRIV },
        { X86_MODE_64, "0f 01 da", X86_OP_VMLOAD, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 db", X86_OP_VMSAVE, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 dc", X86_OP_STGI, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 dd", X86_OP_CLGI, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 de", X86_OP_SKINIT, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 01 df", X86_OP_INVLPGA, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f a2", X86_OP_CPUID, 2,
          X86_F_VMEXIT | X86_F_SERIAL | X86_F_SENS_BEHAV, X86_F_PRIV },
        { X86_MODE_64, "0f 31", X86_OP_RDTSC, 2, X86_F_PRIV_COND,
          X86_F_PRIV },
        { X86_MODE_64, "0f 01 f9", X86_OP_RDTSCP, 3, X86_F_PRIV_COND, 0 },
        { X86_MODE_64, "0f 33", X86_OP_RDPMC, 2, X86_F_PRIV_COND, 0 },
        { X86_MODE_64, "0f 32", X86_OP_RDMSR, 2, X86_F_PRIV, X86_F_SERIAL },
        { X86_MODE_64, "0f 30", X86_OP_WRMSR, 2, X86_F_PRIV | X86_F_SERIAL,
          0 },
        { X86_MODE_64, "f4", X86_OP_HLT, 1, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 01 10", X86_OP_LGDT, 3,
          X86_F_PRIV | X86_F_SERIAL | X86_F_MEM, 0 },
        { X86_MODE_32, "0f 01 18", X86_OP_LIDT, 3, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 00 d0", X86_OP_LLDT, 3, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 00 d8", X86_OP_LTR, 3, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 01 00", X86_OP_SGDT, 3,
          X86_F_UMIP | X86_F_RI2000 | X86_F_MEM, X86_F_PRIV },
        { X86_MODE_32, "0f 01 08", X86_OP_SIDT, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 00 c0", X86_OP_SLDT, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 00 c8", X86_OP_STR, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 01 e0", X86_OP_SMSW, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 01 f0", X86_OP_LMSW, 3, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 06", X86_OP_CLTS, 2, X86_F_PRIV, 0 },
        { X86_MODE_32, "0f 02 c0", X86_OP_LAR, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 03 c0", X86_OP_LSL, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 00 e0", X86_OP_VERR, 3, X86_F_RI2000, 0 },
        { X86_MODE_32, "0f 00 e8", X86_OP_VERW, 3, X86_F_RI2000, 0 },
        { X86_MODE_64, "0f 01 38", X86_OP_INVLPG, 3,
          X86_F_PRIV | X86_F_SERIAL, X86_F_MEM },
        { X86_MODE_64, "66 0f 38 82 08", X86_OP_INVPCID, 5, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 09", X86_OP_WBINVD, 2, X86_F_PRIV, 0 },
        { X86_MODE_64, "0f 08", X86_OP_INVD, 2, X86_F_VMEXIT, 0 },
        { X86_MODE_64, "0f 01 f8", X86_OP_SWAPGS, 3, X86_F_PRIV, 0 },
        { X86_MODE_64, "cc", X86_OP_INT3, 1, X86_F_BRANCH, X86_F_RI2000 },
        { X86_MODE_32, "ce", X86_OP_INTO, 1, X86_F_BRANCH, 0 },
        { X86_MODE_64, "f3 90", X86_OP_PAUSE, 2, 0, X86_F_MEM },
        { X86_MODE_64, "f3 0f 1e fa", X86_OP_ENDBR64, 4, 0, 0 },
        { X86_MODE_64, "0f ae e8", X86_OP_LFENCE, 3, 0, 0 },
        { X86_MODE_64, "0f ae f0", X86_OP_MFENCE, 3, 0, 0 },
        { X86_MODE_64, "0f ae f8", X86_OP_SFENCE, 3, 0, 0 },
        { X86_MODE_64, "0f ae 38", X86_OP_CLFLUSH, 3, X86_F_MEM, 0 },
        { X86_MODE_64, "0f 0b", X86_OP_UD2, 2, 0, 0 },
        { X86_MODE_64, "c8 10 00 01", X86_OP_ENTER, 4, X86_F_MEM, 0 },
        { X86_MODE_64, "c9", X86_OP_LEAVE, 1, X86_F_MEM, 0 },
        { X86_MODE_64, "f3 48 0f b8 c1", X86_OP_POPCNT, 5, 0, 0 },
        { X86_MODE_64, "f3 0f bc c1", X86_OP_TZCNT, 4, 0, 0 },
        { X86_MODE_64, "f3 0f bd c1", X86_OP_LZCNT, 4, 0, 0 },
        { X86_MODE_64, "0f bc c1", X86_OP_BSF, 3, 0, 0 },
        { X86_MODE_64, "0f a3 c8", X86_OP_BT, 3, 0, 0 },
        { X86_MODE_64, "0f a4 c8 04", X86_OP_SHLD, 4, 0, 0 },
        { X86_MODE_64, "d1 e0", X86_OP_SHL, 2, 0, 0 },
        { X86_MODE_64, "d1 f0", X86_OP_SHL, 2, 0, 0 },   /* SAL alias */
        { X86_MODE_64, "d3 f8", X86_OP_SAR, 2, 0, 0 },
        { X86_MODE_64, "48 f7 f1", X86_OP_DIV, 3, 0, 0 },
        { X86_MODE_64, "48 f7 f9", X86_OP_IDIV, 3, 0, 0 },
        { X86_MODE_64, "48 87 07", X86_OP_XCHG, 3, X86_F_MEM, 0 },
    };
    struct x86_insn i;
    size_t k;

    for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
        int rc = dec(t[k].mode, t[k].bytes, &i);

        CU_ASSERT_EQUAL(rc, 0);
        if (rc != 0 || i.op != t[k].op || i.length != t[k].len ||
            (i.flags & t[k].must) != t[k].must ||
            (i.flags & t[k].mustnot) != 0) {
            fprintf(stderr, "\n  [%s]: rc %d op %s len %u flags %#x, "
                    "want %s len %u\n", t[k].bytes, rc, x86_op_name[i.op],
                    i.length, i.flags, x86_op_name[t[k].op], t[k].len);
            CU_FAIL("system instruction decoded wrongly");
        }
        CU_ASSERT_EQUAL(i.cls, x86_op_info[t[k].op].cls);
        CU_ASSERT_EQUAL(i.lat, x86_op_info[t[k].op].lat);
    }
    /* VMXON's memory operand: the VMXON region pointer at [rsp]. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "f3 0f c7 34 24", &i), 0);
    check_mem(&i.opnd[0], X86_REG_RSP, X86_REG_NONE, 0, 0, X86_REG_SS, 8);
    /* VMREAD rcx, rax: destination first. */
    CU_ASSERT_EQUAL_FATAL(dec(X86_MODE_64, "0f 78 c1", &i), 0);
    check_reg(&i.opnd[0], X86_REG_RCX, 8, 0);
    check_reg(&i.opnd[1], X86_REG_RAX, 8, 0);
    /* SWAPGS does not exist outside 64-bit mode. */
    CU_ASSERT_EQUAL(dec(X86_MODE_32, "0f 01 f8", &i), -X86_DEC_EUD);
}

/* Errors: truncated, too long, invalid, bad arguments; avail is honoured. */
static void test_x86_decode_errors(void)
{
    struct x86_insn i;
    uint8_t b[32];

    memset(&i, 0xa5, sizeof(i));
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "48 8b", &i), -X86_DEC_ETRUNC);
    CU_ASSERT_EQUAL(i.op, X86_OP_UNKNOWN);
    CU_ASSERT_EQUAL(i.length, 0);
    CU_ASSERT_EQUAL(i.flags, 0);
    CU_ASSERT_EQUAL(x86_decode(b, 0, X86_MODE_64, &i), -X86_DEC_ETRUNC);
    /* 0F 84 needs 4 more bytes. */
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "0f 84 00 00 00", &i), -X86_DEC_ETRUNC);
    /* 15 prefixes + opcode = 16 bytes. */
    memset(b, 0x66, 15);
    b[15] = 0x90;
    CU_ASSERT_EQUAL(x86_decode(b, 16, X86_MODE_64, &i), -X86_DEC_ETOOLONG);
    /* 14 prefixes + 90 = 15 bytes is fine. */
    CU_ASSERT_EQUAL(x86_decode(b + 1, 15, X86_MODE_64, &i), 0);
    CU_ASSERT_EQUAL(i.length, 15);
    CU_ASSERT_EQUAL(i.op, X86_OP_NOP);
    /* Invalid opcodes. */
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "0f 04", &i), -X86_DEC_EUD);
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "06", &i), -X86_DEC_EUD);
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "ff ff", &i), -X86_DEC_EUD);
    /* 06 is push es outside 64-bit mode. */
    CU_ASSERT_EQUAL(dec(X86_MODE_32, "06", &i), 0);
    CU_ASSERT_EQUAL(i.op, X86_OP_PUSH_SREG);
    /* Decoding stops at the instruction's end. */
    CU_ASSERT_EQUAL(dec(X86_MODE_64, "90 0f 0b", &i), 0);
    CU_ASSERT_EQUAL(i.length, 1);
    /* Caller errors. */
    CU_ASSERT_EQUAL(x86_decode(NULL, 4, X86_MODE_64, &i), -X86_DEC_EARG);
    CU_ASSERT_EQUAL(x86_decode(b, 4, (enum x86_mode)7, &i), -X86_DEC_EARG);
    CU_ASSERT_EQUAL(x86_decode(b, 4, X86_MODE_64, NULL), -X86_DEC_EARG);
}

/* ------------------------------------------------------------------ */
/* Table properties                                                    */
/* ------------------------------------------------------------------ */

static void test_x86_decode_table_rows(void)
{
    unsigned op;
    unsigned j;

    CU_ASSERT_STRING_EQUAL(x86_op_name[X86_OP_UNKNOWN], "UNKNOWN");
    CU_ASSERT_EQUAL(x86_op_info[X86_OP_UNKNOWN].flags, 0);
    CU_ASSERT_EQUAL(x86_op_lookup(0, X86_FORM_ANY), X86_OP_UNKNOWN);
    CU_ASSERT_EQUAL(x86_op_lookup(x86_zydis_mnemonic_count(), X86_FORM_ANY),
                    X86_OP_UNKNOWN);
    CU_ASSERT_EQUAL(x86_op_lookup(~0u, X86_FORM_FAR), X86_OP_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(x86_zydis_mnemonic_name(~0u), "invalid");
    for (op = 1; op < X86_OP__COUNT; op++) {
        const struct x86_op_info *in = &x86_op_info[op];
        enum x86_form form = x86_flags_form(in->flags);
        const char *zn = x86_zydis_mnemonic_name(in->zmnemonic);
        char upper[32];
        size_t k;

        CU_ASSERT_PTR_NOT_NULL_FATAL(x86_op_name[op]);
        CU_ASSERT(x86_op_name[op][0] != '\0');
        for (j = 1; j < op; j++) {
            if (strcmp(x86_op_name[op], x86_op_name[j]) == 0) {
                fprintf(stderr, "\n  duplicate name %s\n", x86_op_name[op]);
                CU_FAIL("op names are not unique");
            }
        }
        /* The row's Zydis mnemonic maps back to the row. */
        if (x86_op_lookup(in->zmnemonic, form) != op) {
            fprintf(stderr, "\n  %s does not map back\n", x86_op_name[op]);
            CU_FAIL("zydis mnemonic + form does not map back to its row");
        }
        CU_ASSERT(in->zmnemonic != 0);
        CU_ASSERT(in->zmnemonic < x86_zydis_mnemonic_count());
        CU_ASSERT(in->cls != X86_CLASS_NONE && in->cls < X86_CLASS__COUNT);
        CU_ASSERT(in->lat != X86_LAT_NONE && in->lat < X86_LAT__COUNT);
        CU_ASSERT(form < X86_FORM__COUNT);
        /* The name spells the mnemonic: "MOVSXD" for movsxd, and a form
         * row starts with it ("MOV_TO_CR"); catches a wrong column. */
        for (k = 0; zn[k] != '\0' && k + 1 < sizeof(upper); k++) {
            upper[k] = (char)(zn[k] >= 'a' && zn[k] <= 'z' ?
                              zn[k] - 'a' + 'A' : zn[k]);
        }
        upper[k] = '\0';
        if (form == X86_FORM_ANY) {
            CU_ASSERT_STRING_EQUAL(x86_op_name[op], upper);
        } else {
            CU_ASSERT(strncmp(x86_op_name[op], upper, k) == 0 &&
                      x86_op_name[op][k] == '_');
            /* A form row has a plain row for the same mnemonic. */
            CU_ASSERT(x86_op_lookup(in->zmnemonic, X86_FORM_ANY) !=
                      X86_OP_UNKNOWN);
        }
        /* Flag consistency. */
        CU_ASSERT(__builtin_popcount(in->flags & (X86_F_PRIV | X86_F_IOPL |
                                                  X86_F_PRIV_COND |
                                                  X86_F_UMIP)) <= 1);
        if (in->flags & X86_F_COND) {
            CU_ASSERT(in->flags & X86_F_BRANCH);
        }
        if (in->flags & X86_F_SERIAL) {
            CU_ASSERT_EQUAL(in->lat, X86_LAT_SERIAL);
        }
        if (in->flags & X86_F_RI2000) {
            CU_ASSERT(x86_flags_sens_unpriv(in->flags));
        }
        if (in->cls == X86_CLASS_JCC) {
            CU_ASSERT(in->flags & X86_F_COND);
        }
    }
    for (j = 0; j < X86_CLASS__COUNT; j++) {
        CU_ASSERT_PTR_NOT_NULL(x86_class_name[j]);
    }
    for (j = 0; j < X86_LAT__COUNT; j++) {
        CU_ASSERT_PTR_NOT_NULL(x86_lat_name[j]);
    }
    for (j = 0; j < X86_FORM__COUNT; j++) {
        CU_ASSERT_PTR_NOT_NULL(x86_form_name[j]);
    }
}

/* Every instruction named by the issue that scoped the table has a row. */
static void test_x86_decode_table_coverage(void)
{
    static const char *const need[] = {
        "MOV", "MOVZX", "MOVSX", "MOVSXD", "LEA", "XCHG", "PUSH", "POP",
        "CMOVZ", "SETNZ", "BSWAP", "ADD", "ADC", "SUB", "SBB", "INC", "DEC",
        "NEG", "CMP", "AND", "OR", "XOR", "NOT", "TEST", "MUL", "IMUL",
        "DIV", "IDIV", "CBW", "CWDE", "CDQE", "CWD", "CDQ", "CQO", "SHL",
        "SHR", "SAR", "ROL", "ROR", "RCL", "RCR", "SHLD", "SHRD", "BT",
        "BTS", "BTR", "BTC", "BSF", "BSR", "TZCNT", "LZCNT", "POPCNT", "JMP",
        "JZ", "CALL", "RET", "LOOP", "JRCXZ", "ENTER", "LEAVE", "MOVSB",
        "STOSQ", "CMPSW", "SCASD", "LODSB", "CMPXCHG", "XADD", "NOP",
        "PAUSE", "ENDBR64", "LFENCE", "SFENCE", "MFENCE", "CLFLUSH", "LGDT",
        "LIDT", "LLDT", "LTR", "SGDT", "SIDT", "SLDT", "STR", "SMSW", "LMSW",
        "MOV_TO_CR", "MOV_FROM_CR", "MOV_TO_DR", "MOV_FROM_DR", "RDMSR",
        "WRMSR", "CPUID", "RDTSC", "RDTSCP", "RDPMC", "HLT", "IN", "OUT",
        "INSB", "OUTSB", "CLI", "STI", "PUSHF", "POPF", "IRETQ", "SYSCALL",
        "SYSRET", "SYSENTER", "SYSEXIT", "INT", "INT3", "INTO", "INVLPG",
        "INVPCID", "WBINVD", "INVD", "SWAPGS", "LAR", "LSL", "VERR", "VERW",
        "MOV_TO_SREG", "MOV_FROM_SREG", "VMXON", "VMXOFF", "VMCLEAR",
        "VMPTRLD", "VMPTRST", "VMREAD", "VMWRITE", "VMLAUNCH", "VMRESUME",
        "VMCALL", "INVEPT", "INVVPID", "VMRUN", "VMLOAD", "VMSAVE",
        "VMMCALL", "STGI", "CLGI", "SKINIT", "INVLPGA", "PUSH_SREG",
        "POP_SREG", "CALL_FAR", "JMP_FAR", "RET_FAR",
    };
    size_t k;

    for (k = 0; k < sizeof(need) / sizeof(need[0]); k++) {
        if (op_by_name(need[k]) == X86_OP_UNKNOWN) {
            fprintf(stderr, "\n  missing row %s\n", need[k]);
            CU_FAIL("instruction in scope has no row");
        }
    }
}

/* The sensitive-but-unprivileged set is exactly the expected one:
 * Robin & Irvine's instructions (their MOV, PUSH, POP, CALL, JMP, RET are
 * the segment/far forms; PUSHF/POPF in all three sizes) plus IRET, INT3,
 * INTO and CPUID.  Privileged and IOPL/CR4-trappable rows are not in it. */
static void test_x86_decode_table_popek_goldberg(void)
{
    static const char *const ri[] = {
        "SGDT", "SIDT", "SLDT", "SMSW", "PUSHF", "PUSHFD", "PUSHFQ", "POPF",
        "POPFD", "POPFQ", "LAR", "LSL", "VERR", "VERW", "POP_SREG",
        "PUSH_SREG", "CALL_FAR", "JMP_FAR", "INT", "RET_FAR", "STR",
        "MOV_TO_SREG", "MOV_FROM_SREG",
    };
    static const char *const added[] = {
        "IRET", "IRETD", "IRETQ", "INT3", "INTO", "CPUID",
    };
    static const char *const trappable[] = {
        "CLI", "STI", "IN", "OUT", "RDTSC", "RDPMC", "LGDT", "MOV_TO_CR",
        "HLT", "POPCNT", "MOV", "PUSH", "CALL", "RET", "JMP", "SYSCALL",
    };
    unsigned char want[X86_OP__COUNT];
    unsigned char want_ri[X86_OP__COUNT];
    unsigned op;
    size_t k;

    memset(want, 0, sizeof(want));
    memset(want_ri, 0, sizeof(want_ri));
    for (k = 0; k < sizeof(ri) / sizeof(ri[0]); k++) {
        op = op_by_name(ri[k]);
        CU_ASSERT_FATAL(op != X86_OP_UNKNOWN);
        want[op] = 1;
        want_ri[op] = 1;
    }
    for (k = 0; k < sizeof(added) / sizeof(added[0]); k++) {
        op = op_by_name(added[k]);
        CU_ASSERT_FATAL(op != X86_OP_UNKNOWN);
        want[op] = 1;
    }
    for (op = 1; op < X86_OP__COUNT; op++) {
        uint32_t f = x86_op_info[op].flags;
        int bad = x86_flags_sens_unpriv(f);

        if (bad != want[op] || ((f & X86_F_RI2000) != 0) != want_ri[op]) {
            fprintf(stderr, "\n  %s: sens-unpriv %d (want %d), RI %d "
                    "(want %d)\n", x86_op_name[op], bad, want[op],
                    (f & X86_F_RI2000) != 0, want_ri[op]);
            CU_FAIL("sensitive-unprivileged set differs");
        }
        /* A reason exactly for the rows that need one. */
        CU_ASSERT_EQUAL(x86_classify_reason((enum x86_op)op) != NULL, bad);
    }
    for (k = 0; k < sizeof(trappable) / sizeof(trappable[0]); k++) {
        op = op_by_name(trappable[k]);
        CU_ASSERT_FATAL(op != X86_OP_UNKNOWN);
        CU_ASSERT_FALSE(x86_flags_sens_unpriv(x86_op_info[op].flags));
    }
    CU_ASSERT_PTR_NULL(x86_classify_reason(X86_OP__COUNT));
}

static void test_x86_decode_classify_print(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    unsigned op;
    unsigned nbad = 0;
    const char *list;
    char line[128];

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(x86_classify_print(f), 0);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    list = strstr(buf, "Sensitive but not privileged");
    CU_ASSERT_PTR_NOT_NULL_FATAL(list);
    for (op = 1; op < X86_OP__COUNT; op++) {
        const char *row;

        /* Every row appears in the table part as a line of its own. */
        snprintf(line, sizeof(line), "\n%-14s %s", x86_op_name[op],
                 x86_zydis_mnemonic_name(x86_op_info[op].zmnemonic));
        row = strstr(buf, line);
        CU_ASSERT(row != NULL && row < list);
        /* The list part names exactly the sensitive-unprivileged rows. */
        snprintf(line, sizeof(line), "\n%-14s [", x86_op_name[op]);
        row = strstr(list, line);
        CU_ASSERT_EQUAL(row != NULL,
                        x86_flags_sens_unpriv(x86_op_info[op].flags));
        nbad += x86_flags_sens_unpriv(x86_op_info[op].flags) != 0;
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nSGDT           [RI] stores the "
                                       "real GDTR"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nCPUID          [+]  "));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nLGDT           lgdt                 "
                                       "SYSTEM   yes       control\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nCLI            cli                  "
                                       "SYSTEM   IOPL      control\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "\nCPUID          cpuid                "
                                       "SYSTEM   no        behaviour         "
                                       "exit\n"));
    snprintf(line, sizeof(line), "%u sensitive but unprivileged (23 from "
             "Robin & Irvine)", nbad);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, line));
    CU_ASSERT_EQUAL(nbad, 29);
    CU_ASSERT_PTR_NULL(strstr(buf, " \n"));     /* no trailing blanks */
    free(buf);
    CU_ASSERT_EQUAL(x86_classify_print(NULL), -1);
}

/* ------------------------------------------------------------------ */
/* Disassembly                                                         */
/* ------------------------------------------------------------------ */

static void test_x86_decode_disasm(void)
{
    static const uint8_t code64[] = {
        0x55,                   /* push rbp */
        0x48, 0x89, 0xe5,       /* mov rbp, rsp */
        0x0f, 0x0b,             /* ud2 */
        0x06,                   /* invalid in 64-bit mode */
        0x74, 0xf7,             /* jz 0x401000 */
        0xe8, 0x00,             /* truncated call */
    };
    static const char want64[] =
        "0000000000401000:  55                             push rbp\n"
        "0000000000401001:  48 89 e5                       mov rbp, rsp\n"
        "0000000000401004:  0f 0b                          ud2\n"
        "0000000000401006:  06                             (bad)\n"
        "0000000000401007:  74 f7                          jz 0x401000\n"
        "0000000000401009:  e8                             (bad)\n"
        "000000000040100a:  00                             (bad)\n";
    static const uint8_t code32[] = {
        0xe8, 0xfb, 0xff, 0xff, 0xff,   /* call 0x1000 */
        0x0f, 0x22, 0xd8,               /* mov cr3, eax */
    };
    static const char want32[] =
        "00001000:  e8 fb ff ff ff                 call 0x1000\n"
        "00001005:  0f 22 d8                       mov cr3, eax\n";
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(x86_disasm_buffer(f, code64, sizeof(code64), 0x401000,
                                      X86_MODE_64), 0);
    fflush(f);
    CU_ASSERT_STRING_EQUAL(buf, want64);
    fclose(f);
    free(buf);

    buf = NULL;
    f = open_memstream(&buf, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(x86_disasm_buffer(f, code32, sizeof(code32), 0x1000,
                                      X86_MODE_32), 0);
    fflush(f);
    CU_ASSERT_STRING_EQUAL(buf, want32);
    fclose(f);
    free(buf);

    CU_ASSERT_EQUAL(x86_disasm_buffer(NULL, code32, 1, 0, X86_MODE_32), -1);
    CU_ASSERT_EQUAL(x86_disasm_buffer(stderr, NULL, 1, 0, X86_MODE_32), -1);
    CU_ASSERT_EQUAL(x86_disasm_buffer(stderr, code32, 1, 0,
                                      (enum x86_mode)3), -1);
}

/* ------------------------------------------------------------------ */
/* Predecode cache                                                     */
/* ------------------------------------------------------------------ */

static void test_x86_decode_pcache_hit(void)
{
    static const uint8_t mov[] = { 0x48, 0x8b, 0x44, 0x8b, 0x10 };
    struct x86_pcache *pc = x86_pcache_new(6, 8);
    const struct x86_pcache_stats *st;
    const struct x86_insn *a;
    const struct x86_insn *b;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    st = x86_pcache_stats(pc);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x1000, X86_MODE_64));
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x1000, X86_MODE_64, mov,
                                      sizeof(mov), &a), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_EQUAL(a->op, X86_OP_MOV);
    CU_ASSERT_EQUAL(a->length, 5);
    CU_ASSERT_EQUAL(st->misses, 2);
    CU_ASSERT_EQUAL(st->fills, 1);
    CU_ASSERT_EQUAL(st->hits, 0);
    /* A hit returns the same entry without reading the bytes. */
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x1000, X86_MODE_64, NULL, 0, &b),
                    0);
    CU_ASSERT_PTR_EQUAL(a, b);
    CU_ASSERT_EQUAL(st->hits, 1);
    CU_ASSERT_PTR_EQUAL(x86_pcache_lookup(pc, 0x1000, X86_MODE_64), a);
    CU_ASSERT_EQUAL(st->hits, 2);
    /* Neighbouring addresses are other keys. */
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x1001, X86_MODE_64));
    /* Decode errors are returned and not cached. */
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x1100, X86_MODE_64, mov, 2, &b),
                    -X86_DEC_ETRUNC);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x1100, X86_MODE_64));
    CU_ASSERT_EQUAL(st->fills, 1);
    /* Flush: new generation, everything misses. */
    CU_ASSERT_EQUAL(x86_pcache_generation(pc), 1);
    x86_pcache_flush(pc);
    CU_ASSERT_EQUAL(x86_pcache_generation(pc), 2);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x1000, X86_MODE_64));
    CU_ASSERT_EQUAL(st->flushes, 1);
    x86_pcache_free(pc);

    CU_ASSERT_PTR_NULL(x86_pcache_new(25, 8));
    CU_ASSERT_PTR_NULL(x86_pcache_new(6, 0));
    CU_ASSERT_PTR_NULL(x86_pcache_new(6, 25));
    x86_pcache_free(NULL);
}

/* 48 89 C8 is mov rax, rcx in 64-bit mode but dec eax; mov eax, ecx in
 * 32-bit mode: the mode is part of the key.  One set of two ways, so both
 * entries share the set and only the mode tells them apart. */
static void test_x86_decode_pcache_mode_key(void)
{
    static const uint8_t bytes[] = { 0x48, 0x89, 0xc8 };
    struct x86_pcache *pc = x86_pcache_new(0, 4);
    const struct x86_insn *a;
    const struct x86_insn *b;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x2000, X86_MODE_64, bytes,
                                      sizeof(bytes), &a), 0);
    CU_ASSERT_EQUAL(a->op, X86_OP_MOV);
    CU_ASSERT_EQUAL(a->length, 3);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x2000, X86_MODE_32));
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x2000, X86_MODE_32, bytes,
                                      sizeof(bytes), &b), 0);
    CU_ASSERT_EQUAL(b->op, X86_OP_DEC);
    CU_ASSERT_EQUAL(b->length, 1);
    /* Both stay cached, each under its mode. */
    a = x86_pcache_lookup(pc, 0x2000, X86_MODE_64);
    b = x86_pcache_lookup(pc, 0x2000, X86_MODE_32);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(a->op, X86_OP_MOV);
    CU_ASSERT_EQUAL(b->op, X86_OP_DEC);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x2000, X86_MODE_16));
    x86_pcache_free(pc);
}

static void test_x86_decode_pcache_invalidate_page(void)
{
    static const uint8_t nop[] = { 0x90 };
    static const uint8_t jmp[] = { 0xe9, 0x00, 0x00, 0x00, 0x00 };
    struct x86_pcache *pc = x86_pcache_new(8, 4);
    const struct x86_pcache_stats *st;
    struct x86_insn in;
    const struct x86_insn *p;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    st = x86_pcache_stats(pc);
    CU_ASSERT_EQUAL_FATAL(x86_decode(nop, 1, X86_MODE_64, &in), 0);
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_fill(pc, 0x3000, &in));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_fill(pc, 0x3ffc, &in));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_fill(pc, 0x4000, &in));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0x3000, X86_MODE_64));
    /* A write anywhere in frame 3 invalidates its entries only. */
    x86_pcache_invalidate_page(pc, 0x3abc);
    CU_ASSERT_EQUAL(st->page_invals, 1);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x3000, X86_MODE_64));
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x3ffc, X86_MODE_64));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0x4000, X86_MODE_64));
    /* Refill after the write hits again. */
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_fill(pc, 0x3000, &in));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0x3000, X86_MODE_64));
    /* Frames 2^4 apart share a generation: an alias costs a miss only. */
    x86_pcache_invalidate_page(pc, 0x4000 + (16u << 12));
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x4000, X86_MODE_64));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0x3000, X86_MODE_64));

    /* An instruction crossing into the next frame is never cached: it is
     * decoded into the scratch slot each time. */
    CU_ASSERT_EQUAL(x86_pcache_decode(pc, 0x5ffe, X86_MODE_64, jmp,
                                      sizeof(jmp), &p), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    CU_ASSERT_EQUAL(p->op, X86_OP_JMP);
    CU_ASSERT_EQUAL(st->uncacheable, 1);
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0x5ffe, X86_MODE_64));
    CU_ASSERT_EQUAL_FATAL(x86_decode(jmp, sizeof(jmp), X86_MODE_64, &in), 0);
    CU_ASSERT_PTR_NULL(x86_pcache_fill(pc, 0x6ffc, &in));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_fill(pc, 0x6ffb, &in));   /* fits */
    x86_pcache_free(pc);
}

/* More instructions than ways in a set: the cache keeps working and every
 * lookup result is the instruction filled at that address. */
static void test_x86_decode_pcache_conflicts(void)
{
    struct x86_pcache *pc = x86_pcache_new(2, 2);    /* 4 sets x 2 ways */
    struct x86_insn in;
    uint8_t b[2];
    unsigned k;
    unsigned hits = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    for (k = 0; k < 64; k++) {
        const struct x86_insn *p;

        b[0] = 0xb0;                    /* mov al, imm8 = k */
        b[1] = (uint8_t)k;
        CU_ASSERT_EQUAL_FATAL(x86_decode(b, 2, X86_MODE_32, &in), 0);
        x86_pcache_fill(pc, 0x8000 + 2 * k, &in);
        p = x86_pcache_lookup(pc, 0x8000 + 2 * k, X86_MODE_32);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);        /* just filled */
        CU_ASSERT_EQUAL(p->opnd[1].u.imm, k);
    }
    for (k = 0; k < 64; k++) {
        const struct x86_insn *p =
            x86_pcache_lookup(pc, 0x8000 + 2 * k, X86_MODE_32);

        if (p != NULL) {
            hits++;
            CU_ASSERT_EQUAL(p->opnd[1].u.imm, k);
        }
    }
    CU_ASSERT(hits >= 1 && hits <= 8);
    x86_pcache_free(pc);

    /* One set: the way not used last is the victim. */
    pc = x86_pcache_new(0, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pc);
    b[0] = 0x90;
    CU_ASSERT_EQUAL_FATAL(x86_decode(b, 1, X86_MODE_64, &in), 0);
    x86_pcache_fill(pc, 0xa000, &in);                   /* A */
    x86_pcache_fill(pc, 0xa001, &in);                   /* B */
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0xa000, X86_MODE_64));
    x86_pcache_fill(pc, 0xa002, &in);                   /* C evicts B */
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0xa000, X86_MODE_64));
    CU_ASSERT_PTR_NULL(x86_pcache_lookup(pc, 0xa001, X86_MODE_64));
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0xa002, X86_MODE_64));
    /* A stale way (page written) is reused before the LRU live way. */
    x86_pcache_invalidate_page(pc, 0xa000);
    x86_pcache_fill(pc, 0xb000, &in);
    CU_ASSERT_PTR_NOT_NULL(x86_pcache_lookup(pc, 0xb000, X86_MODE_64));
    CU_ASSERT_EQUAL(x86_pcache_stats(pc)->fills, 4);
    x86_pcache_free(pc);
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    /* xorshift64*: deterministic, so failures reproduce. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

/* Bytes biased toward prefixes, REX, escapes and VEX/EVEX leaders so the
 * long and odd paths of the decoder are exercised. */
static uint8_t rand_byte(void)
{
    static const uint8_t special[] = {
        0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65,
        0x40, 0x44, 0x48, 0x4c, 0x4f, 0x0f, 0x38, 0x3a, 0xc4, 0xc5, 0x62,
        0x8f, 0x01, 0xc7, 0xff, 0x00,
    };
    uint64_t r = rng();

    if ((r & 3) == 0) {
        return special[(r >> 8) % sizeof(special)];
    }
    return (uint8_t)(r >> 16);
}

static void check_fuzz_insn(const struct x86_insn *i, size_t avail,
                            enum x86_mode mode, unsigned *bad)
{
    uint32_t diff;
    unsigned k;

    if (i->op >= X86_OP__COUNT) {
        (*bad)++;
        return;
    }
    /* Flags are the row's, plus X86_F_MEM for a memory operand, minus
     * X86_F_SERIAL for MOV to CR8 only. */
    diff = i->flags ^ x86_op_info[i->op].flags;
    if ((diff & ~(X86_F_MEM | X86_F_SERIAL)) != 0 ||
        ((diff & X86_F_MEM) && !(i->flags & X86_F_MEM)) ||
        ((diff & X86_F_SERIAL) &&
         (i->op != X86_OP_MOV_TO_CR || (i->flags & X86_F_SERIAL)))) {
        (*bad)++;
        return;
    }
    if (i->length == 0 || i->length > 15 || i->length > avail ||
        i->op >= X86_OP__COUNT || i->nops > 3 || i->mode != mode ||
        i->zmnemonic >= x86_zydis_mnemonic_count() ||
        i->cls != x86_op_info[i->op].cls ||
        i->lat != x86_op_info[i->op].lat ||
        (i->op != X86_OP_UNKNOWN &&
         i->zmnemonic != x86_op_info[i->op].zmnemonic) ||
        (i->osize != 8 && i->osize != 16 && i->osize != 32 &&
         i->osize != 64 && i->op != X86_OP_UNKNOWN) ||
        (i->cond != X86_COND_NONE && i->cond > X86_COND_NLE)) {
        (*bad)++;
        return;
    }
    for (k = 0; k < 3; k++) {
        const struct x86_operand *o = &i->opnd[k];

        if (k >= i->nops) {
            if (o->kind != X86_OPND_NONE) {
                (*bad)++;
            }
            continue;
        }
        if (o->kind > X86_OPND_PTR || o->reg > X86_REG_NONE ||
            (o->kind == X86_OPND_MEM &&
             (o->u.mem.base > X86_REG_NONE || o->u.mem.index > X86_REG_NONE ||
              !(X86_REG_IS_SREG(o->u.mem.seg) ||
                o->u.mem.seg == X86_REG_NONE)))) {
            (*bad)++;
        }
    }
}

static void test_x86_decode_fuzz(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *map;
    unsigned n;
    unsigned ok = 0;
    unsigned known = 0;
    unsigned bad = 0;
    unsigned bad_err = 0;
    unsigned bad_prefix = 0;
    unsigned prefix_checks = 0;

    CU_ASSERT_FATAL(pg > 0);
    map = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CU_ASSERT_FATAL(map != MAP_FAILED);
    /* Guard page: any read past the end of the bytes faults. */
    CU_ASSERT_FATAL(mprotect(map + pg, (size_t)pg, PROT_NONE) == 0);

    for (n = 0; n < 1000000; n++) {
        size_t avail = (size_t)(rng() % 18);        /* 0..17 */
        uint8_t *bytes = map + pg - avail;
        enum x86_mode mode = (enum x86_mode)(n % X86_MODE__COUNT);
        struct x86_insn in;
        size_t k;
        int rc;

        for (k = 0; k < avail; k++) {
            bytes[k] = rand_byte();
        }
        rc = x86_decode(bytes, avail, mode, &in);
        if (rc == 0) {
            ok++;
            known += in.op != X86_OP_UNKNOWN;
            check_fuzz_insn(&in, avail, mode, &bad);
            /* Every 16th: the same bytes with exactly `length` available
             * decode the same; one byte fewer is truncated. */
            if ((n & 15) == 0) {
                struct x86_insn again;
                uint8_t *tail = map + pg - in.length;

                memmove(tail, bytes, in.length);
                prefix_checks++;
                if (x86_decode(tail, in.length, mode, &again) != 0 ||
                    memcmp(&again, &in, sizeof(in)) != 0) {
                    bad_prefix++;
                }
                if (x86_decode(tail, in.length - 1u, mode, &again) !=
                    -X86_DEC_ETRUNC) {
                    bad_prefix++;
                }
            }
        } else if ((rc != -X86_DEC_EUD && rc != -X86_DEC_ETRUNC &&
                    rc != -X86_DEC_ETOOLONG) ||
                   in.length != 0 || in.op != X86_OP_UNKNOWN ||
                   (rc == -X86_DEC_ETOOLONG && avail < 16)) {
            bad_err++;
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(bad_err, 0);
    CU_ASSERT_EQUAL(bad_prefix, 0);
    CU_ASSERT(prefix_checks > 1000);
    /* The generator reaches real instructions, and ones in the table. */
    CU_ASSERT(ok > 100000);
    CU_ASSERT(known > 10000);

    /* The disassembler survives random buffers too. */
    {
        FILE *devnull = fopen("/dev/null", "w");

        CU_ASSERT_PTR_NOT_NULL_FATAL(devnull);
        for (n = 0; n < 2000; n++) {
            size_t len = (size_t)(rng() % 64);
            size_t k;

            for (k = 0; k < len; k++) {
                map[pg - len + k] = rand_byte();
            }
            CU_ASSERT_EQUAL(x86_disasm_buffer(devnull, map + pg - len, len,
                                              rng(), (enum x86_mode)(n % 3)),
                            0);
        }
        fclose(devnull);
    }
    munmap(map, (size_t)pg * 2);
}

int test_x86_decode_register(void)
{
    CU_pSuite s = CU_add_suite("x86_decode", NULL, NULL);

    if (s == NULL) {
        return -1;
    }
    if (!CU_add_test(s, "mov_sib_disp8", test_x86_decode_mov_sib_disp8) ||
        !CU_add_test(s, "lea", test_x86_decode_lea) ||
        !CU_add_test(s, "rip_relative", test_x86_decode_rip_relative) ||
        !CU_add_test(s, "immediates", test_x86_decode_immediates) ||
        !CU_add_test(s, "operand_sizes", test_x86_decode_operand_sizes) ||
        !CU_add_test(s, "string_rep", test_x86_decode_string_rep) ||
        !CU_add_test(s, "lock", test_x86_decode_lock) ||
        !CU_add_test(s, "jcc", test_x86_decode_jcc) ||
        !CU_add_test(s, "far_and_sreg", test_x86_decode_far_and_sreg) ||
        !CU_add_test(s, "cr_dr", test_x86_decode_cr_dr) ||
        !CU_add_test(s, "io", test_x86_decode_io) ||
        !CU_add_test(s, "system", test_x86_decode_system) ||
        !CU_add_test(s, "errors", test_x86_decode_errors) ||
        !CU_add_test(s, "table_rows", test_x86_decode_table_rows) ||
        !CU_add_test(s, "table_coverage", test_x86_decode_table_coverage) ||
        !CU_add_test(s, "table_popek_goldberg",
                     test_x86_decode_table_popek_goldberg) ||
        !CU_add_test(s, "classify_print", test_x86_decode_classify_print) ||
        !CU_add_test(s, "disasm", test_x86_decode_disasm) ||
        !CU_add_test(s, "pcache_hit", test_x86_decode_pcache_hit) ||
        !CU_add_test(s, "pcache_mode_key", test_x86_decode_pcache_mode_key) ||
        !CU_add_test(s, "pcache_invalidate_page",
                     test_x86_decode_pcache_invalidate_page) ||
        !CU_add_test(s, "pcache_conflicts",
                     test_x86_decode_pcache_conflicts) ||
        !CU_add_test(s, "fuzz_1M", test_x86_decode_fuzz)) {
        return -1;
    }
    return 0;
}
