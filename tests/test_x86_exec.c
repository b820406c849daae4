/*
 * test_x86_exec.c - suite "x86_exec": the user-level 64-bit executor
 * (isa/x86_exec.c) instruction family by instruction family: results,
 * flags, operand sizes, 32-bit zero-extension, AH..BH, string
 * instructions with REP and DF, and the exceptions (#DE, #UD, #GP, #SS,
 * #PF, the single-step #DB trap) with the state a fault must leave.
 *
 * Expected values are worked out by hand from Intel SDM (325383-080,
 * June 2023) and, where the SDM leaves a choice, from what the host CPU
 * (AMD EPYC) does (noted at the test).  The Unicorn differential test
 * (test_x86_unicorn.c) covers random operands; this suite pins the cases
 * by name, including what Unicorn cannot check: TF, POPF at CPL 3,
 * canonical-address faults, privileged and unimplemented instructions,
 * rep_limit, and the #PF error code bits.
 *
 * Approximations: the memory here is flat test pages (no MMU, no timing);
 * LOCK atomicity and alignment checking are not observable in this model
 * and are not tested.
 *
 * Memory is a handful of 4 KiB test pages, each present or not, writable
 * or not; the callbacks check that every access stays in one page, and
 * count accesses so tests can assert that a fault wrote nothing.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/x86.h"
#include "isa/x86_alu.h"
#include "isa/x86_cpu.h"
#include "test_suites.h"

#define TX_CODE   0x400000ull           /* two code pages */
#define TX_DATA   0x600000ull           /* two data pages */
#define TX_STACK  0x7ff000ull           /* one stack page */
#define TX_SP     (TX_STACK + 0x800)
#define TX_HOLE   0x900000ull           /* never mapped */
#define TX_NPAGES 5

#define FL_CF X86_FL_CF
#define FL_PF X86_FL_PF
#define FL_AF X86_FL_AF
#define FL_ZF X86_FL_ZF
#define FL_SF X86_FL_SF
#define FL_OF X86_FL_OF

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13,
       R14, R15 };

struct tx_page {
    uint64_t base;
    bool present;
    bool writable;
    int fault_rc;                   /* returned when not present */
    uint8_t b[4096];
};

struct tx_mem {
    struct tx_page p[TX_NPAGES];
    unsigned reads;
    unsigned writes;
    unsigned fetches;
    bool straddled;                 /* a callback saw a page-crossing call */
};

static struct tx_mem tm;
static struct x86_cpu cpu;

static struct tx_page *tx_page_of(uint64_t va, unsigned len)
{
    unsigned k;

    if (((va & 0xfff) + len) > 4096) {
        tm.straddled = true;
        return NULL;
    }
    for (k = 0; k < TX_NPAGES; k++) {
        if (tm.p[k].base == (va & ~0xfffull)) {
            return &tm.p[k];
        }
    }
    return NULL;
}

static int tx_copy_in(uint64_t va, void *buf, unsigned len)
{
    struct tx_page *p = tx_page_of(va, len);

    if (p == NULL || !p->present) {
        return p ? p->fault_rc : 1;
    }
    memcpy(buf, p->b + (va & 0xfff), len);
    return 0;
}

static int tx_read(void *ctx, uint64_t va, void *buf, unsigned len,
                   unsigned acc)
{
    (void)acc;
    (void)ctx;
    tm.reads++;
    return tx_copy_in(va, buf, len);
}

static int tx_fetch(void *ctx, uint64_t va, void *buf, unsigned len,
                   unsigned acc)
{
    (void)acc;
    (void)ctx;
    tm.fetches++;
    return tx_copy_in(va, buf, len) ? 1 : 0;
}

static int tx_write(void *ctx, uint64_t va, const void *buf, unsigned len,
                   unsigned acc)
{
    struct tx_page *p = tx_page_of(va, len);

    (void)acc;
    (void)ctx;
    tm.writes++;
    if (p == NULL || !p->present) {
        return p ? p->fault_rc : 1;
    }
    if (!p->writable) {
        return X86_MEM_PFEC | X86_PFEC_P;   /* present, read-only */
    }
    memcpy(p->b + (va & 0xfff), buf, len);
    return 0;
}

static const struct x86_mem_ops tx_ops = { tx_read, tx_write, tx_fetch, NULL };

static void tx_reset(void)
{
    static const uint64_t base[TX_NPAGES] = {
        TX_CODE, TX_CODE + 0x1000, TX_DATA, TX_DATA + 0x1000, TX_STACK
    };
    unsigned k;

    memset(&tm, 0, sizeof(tm));
    for (k = 0; k < TX_NPAGES; k++) {
        tm.p[k].base = base[k];
        tm.p[k].present = true;
        tm.p[k].writable = true;
        tm.p[k].fault_rc = 1;
    }
    x86_cpu_init(&cpu, &tx_ops, &tm);
    cpu.rip = TX_CODE;
    cpu.gpr[RSP] = TX_SP;
}

static struct tx_page *tx_pg(uint64_t va)
{
    return tx_page_of(va, 1);
}

static uint8_t *tx_ptr(uint64_t va)
{
    return tx_pg(va)->b + (va & 0xfff);
}

static void tx_put(uint64_t va, uint64_t v, unsigned size)
{
    unsigned k;

    for (k = 0; k < size; k++) {
        *tx_ptr(va + k) = (uint8_t)(v >> (8 * k));
    }
}

static uint64_t tx_get(uint64_t va, unsigned size)
{
    uint64_t v = 0;
    unsigned k;

    for (k = size; k > 0; k--) {
        v = (v << 8) | *tx_ptr(va + k - 1);
    }
    return v;
}

/* Hex bytes ("48 89 c8") at `va`; returns the count. */
static unsigned tx_bytes_at(uint64_t va, const char *hex)
{
    unsigned n = 0;

    while (*hex) {
        char *end;
        unsigned long b;

        while (*hex == ' ') {
            hex++;
        }
        if (*hex == 0) {
            break;
        }
        b = strtoul(hex, &end, 16);
        *tx_ptr(va + n) = (uint8_t)b;
        n++;
        hex = end;
    }
    return n;
}

/* Place code at RIP and run one step. */
static int tx_run(const char *hex, struct x86_exec_result *r)
{
    tx_bytes_at(cpu.rip, hex);
    return x86_step(&cpu, r);
}

/* Run one instruction expected to complete; checks RIP moved by its
 * length. */
static void tx_ok(const char *hex)
{
    struct x86_exec_result r;
    uint64_t rip = cpu.rip;
    unsigned len = tx_bytes_at(rip, hex);

    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(r.status, X86_EXEC_OK);
    if (r.status == X86_EXEC_OK && r.rep_more == 0 && r.insn != NULL &&
        !(r.insn->flags & X86_F_BRANCH)) {
        CU_ASSERT_EQUAL(cpu.rip, rip + len);
    }
}

#define ARITH(f) ((f) & X86_FL_ARITH)

/* ------------------------------------------------------------------ */
/* Data movement                                                       */
/* ------------------------------------------------------------------ */

/* SDM Vol. 1 "General-Purpose Registers in 64-Bit Mode": 32-bit results
 * zero-extend, 16- and 8-bit merge; AH..BH are bits 15:8 of RAX..RBX;
 * with REX, SPL..DIL replace them. */
static void test_x86_exec_mov_sizes(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x1111111111111111ull;
    cpu.gpr[RCX] = 0x2222222233445566ull;
    tx_ok("89 c8");                                 /* mov eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x33445566ull);
    cpu.gpr[RAX] = 0x1111111111111111ull;
    tx_ok("66 89 c8");                              /* mov ax, cx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1111111111115566ull);
    tx_ok("88 c8");                                 /* mov al, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1111111111115566ull);
    tx_ok("88 ec");                                 /* mov ah, ch */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1111111111115566ull);
    cpu.gpr[RCX] = 0xabcd;
    tx_ok("88 ec");                                 /* mov ah, ch */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x111111111111ab66ull);
    tx_ok("88 cc");                                 /* mov ah, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x111111111111cd66ull);
    /* 40 88 cc: with REX, encoding 4 is SPL. */
    cpu.gpr[RSP] = 0x7ff800;
    tx_ok("40 88 cc");                              /* mov spl, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RSP], 0x7ff8cdull);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x111111111111cd66ull);
    tx_ok("41 88 c8");                              /* mov r8b, cl */
    CU_ASSERT_EQUAL(cpu.gpr[R8] & 0xff, 0xcd);
    /* movabs rax, imm64; mov rax, imm32 sign-extended; mov eax, imm32. */
    tx_ok("48 b8 88 77 66 55 44 33 22 11");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1122334455667788ull);
    tx_ok("48 c7 c0 00 00 00 80");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff80000000ull);
    tx_ok("b8 00 00 00 80");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x80000000ull);
    /* Memory forms and moffs. */
    cpu.gpr[RBX] = TX_DATA + 0x10;
    cpu.gpr[RDX] = 0x0102030405060708ull;
    tx_ok("48 89 13");                              /* mov [rbx], rdx */
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x10, 8), 0x0102030405060708ull);
    tx_ok("8a 73 02");                              /* mov dh, [rbx+2] */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0x0102030405060608ull);
    tx_ok("66 c7 43 02 cd ab");                     /* mov word [rbx+2] */
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x10, 8), 0x01020304abcd0708ull);
    tx_ok("48 a1 10 00 60 00 00 00 00 00");         /* mov rax, [moffs] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x01020304abcd0708ull);
    /* FS and GS overrides add their base; CS/DS/ES/SS overrides are
     * ignored in 64-bit mode (SDM Vol. 1 "Segmentation in IA-32e Mode"). */
    cpu.seg[X86_SEG_FS].base = TX_DATA;
    cpu.seg[X86_SEG_GS].base = TX_DATA + 0x100;
    tx_put(TX_DATA + 0x110, 0xfeedface, 4);
    tx_ok("64 8b 04 25 10 01 00 00");               /* mov eax, fs:[0x110] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xfeedface);
    cpu.gpr[RAX] = 0;
    tx_ok("65 8b 04 25 10 00 00 00");               /* mov eax, gs:[0x10] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xfeedface);
    cpu.gpr[RAX] = 0;
    cpu.gpr[RBX] = TX_DATA + 0x110;
    tx_ok("2e 8b 03");                              /* mov eax, cs:[rbx] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xfeedface);
    /* Flags untouched by MOV. */
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF | FL_ZF;
    tx_ok("89 c8");
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | FL_CF | FL_ZF);
}

static void test_x86_exec_movzx_movsx(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0xffffffffffff80f0ull;
    cpu.gpr[RCX] = 0x5555555555555555ull;
    tx_ok("0f b6 cc");                              /* movzx ecx, ah */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0x80ull);
    tx_ok("0f be cc");                              /* movsx ecx, ah */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffff80ull);
    tx_ok("48 0f be c8");                           /* movsx rcx, al */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xfffffffffffffff0ull);
    tx_ok("48 0f bf c8");                           /* movsx rcx, ax */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffffffffff80f0ull);
    tx_ok("66 0f b6 c8");                           /* movzx cx, al */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffffffffff00f0ull);
    cpu.gpr[RDX] = 0x00000000fffffffeull;
    tx_ok("48 63 ca");                              /* movsxd rcx, edx */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xfffffffffffffffeull);
    /* 63 without REX.W: a 32-bit move, zero-extended. */
    tx_ok("63 ca");
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xfffffffeull);
    tx_put(TX_DATA, 0x8001, 2);
    cpu.gpr[RBX] = TX_DATA;
    tx_ok("48 0f bf 0b");                           /* movsx rcx, [rbx] */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffffffffff8001ull);
}

/* LEA: offset only (no segment base), truncated to the address size, then
 * to the operand size; RIP-relative from the next instruction. */
static void test_x86_exec_lea(void)
{
    tx_reset();
    cpu.gpr[RBX] = 0xffffffff00001000ull;
    cpu.gpr[RSI] = 3;
    cpu.seg[X86_SEG_FS].base = 0x10000000;
    tx_ok("48 8d 44 b3 10");                    /* lea rax, [rbx+rsi*4+16] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff0000101cull);
    tx_ok("67 48 8d 44 b3 10");                 /* lea rax, [ebx+esi*4+16] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x101cull);
    tx_ok("66 8d 44 b3 10");                    /* lea ax, ... */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x101cull);
    tx_ok("64 48 8d 44 b3 10");                 /* fs: ignored by LEA */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff0000101cull);
    cpu.rip = TX_CODE + 0x100;
    tx_ok("48 8d 05 f9 ff ff ff");              /* lea rax, [rip-7] */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], TX_CODE + 0x100);
}

static void test_x86_exec_xchg(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0xaaaaaaaa11111111ull;
    cpu.gpr[RCX] = 0xbbbbbbbb22222222ull;
    tx_ok("87 c8");                             /* xchg eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x22222222ull);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0x11111111ull);
    /* 90 is NOP (RAX kept), 87 C0 is a real 32-bit XCHG (zero-extends). */
    cpu.gpr[RAX] = 0xaaaaaaaa11111111ull;
    tx_ok("90");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xaaaaaaaa11111111ull);
    tx_ok("87 c0");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x11111111ull);
    cpu.gpr[RAX] = 0x1234;
    tx_ok("86 e0");                             /* xchg al, ah */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x3412);
    cpu.gpr[R8] = 7;
    tx_ok("49 90");                             /* xchg rax, r8 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 7);
    CU_ASSERT_EQUAL(cpu.gpr[R8], 0x3412);
    cpu.gpr[RBX] = TX_DATA;
    tx_put(TX_DATA, 0x99, 8);
    tx_ok("f0 48 87 03");                       /* lock xchg [rbx], rax */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x99);
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 8), 7);
}

/* PUSH RSP stores the old RSP; POP RSP loads the popped value; POP to a
 * memory operand addressed through RSP uses the incremented RSP; PUSH imm8
 * is sign-extended; 66h pushes and pops 2 bytes. */
static void test_x86_exec_push_pop(void)
{
    tx_reset();
    tx_ok("54");                                /* push rsp */
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 8);
    CU_ASSERT_EQUAL(tx_get(TX_SP - 8, 8), TX_SP);
    tx_ok("6a 80");                             /* push -128 */
    CU_ASSERT_EQUAL(tx_get(TX_SP - 16, 8), 0xffffffffffffff80ull);
    tx_ok("66 6a 80");                          /* push word -128 */
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 18);
    CU_ASSERT_EQUAL(tx_get(TX_SP - 18, 2), 0xff80);
    cpu.gpr[RCX] = 0xffffffffffffffffull;
    tx_ok("66 59");                             /* pop cx */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffffffffffff80ull);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 16);
    /* pop qword [rsp+8]: stores at (RSP + 8) + 8 after the increment. */
    tx_ok("8f 44 24 08");
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 8);
    CU_ASSERT_EQUAL(tx_get(TX_SP, 8), 0xffffffffffffff80ull);
    /* push qword [rsp]: the source is read with the old RSP. */
    tx_ok("ff 34 24");
    CU_ASSERT_EQUAL(tx_get(TX_SP - 16, 8), TX_SP);
    tx_ok("41 5f");                             /* pop r15 */
    CU_ASSERT_EQUAL(cpu.gpr[R15], TX_SP);
    /* pop rsp: the popped value, not the incremented one. */
    tx_put(cpu.gpr[RSP], TX_SP - 0x100, 8);
    tx_ok("5c");
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 0x100);
}

/* CMOVcc with a false condition still writes a 32-bit destination (zero-
 * extension) and still reads a memory source (which may fault). */
static void test_x86_exec_cmov_setcc(void)
{
    struct x86_exec_result r;
    unsigned k;
    unsigned cc;

    tx_reset();
    cpu.rflags = X86_RFLAGS_FIXED;              /* ZF = 0: cmovz false */
    cpu.gpr[RAX] = 0xffffffff12345678ull;
    cpu.gpr[RCX] = 0x99;
    tx_ok("0f 44 c1");                          /* cmovz eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x12345678ull);
    tx_ok("0f 45 c1");                          /* cmovnz eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x99);
    cpu.gpr[RAX] = 0xffffffff12345678ull;
    tx_ok("66 0f 44 c1");                       /* 16-bit false: kept */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff12345678ull);
    /* A false CMOV from an unmapped address still faults. */
    cpu.gpr[RBX] = TX_HOLE;
    CU_ASSERT_EQUAL(tx_run("0f 44 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_HOLE);

    /* SETcc against a hand-written condition table for several flag
     * combinations: O NO B NB Z NZ BE NBE S NS P NP L NL LE NLE. */
    for (k = 0; k < 64; k++) {
        uint32_t fl = ((k & 1) ? FL_CF : 0) | ((k & 2) ? FL_ZF : 0) |
                      ((k & 4) ? FL_SF : 0) | ((k & 8) ? FL_OF : 0) |
                      ((k & 16) ? FL_PF : 0);
        bool cf = k & 1, zf = k & 2, sf = k & 4, of = k & 8, pf = k & 16;
        bool want[16] = { of, !of, cf, !cf, zf, !zf, cf || zf, !(cf || zf),
                          sf, !sf, pf, !pf, sf != of, sf == of,
                          zf || sf != of, !(zf || sf != of) };

        for (cc = 0; cc < 16; cc++) {
            char hex[16];

            tx_reset();
            cpu.rflags = X86_RFLAGS_FIXED | fl;
            cpu.gpr[RDX] = 0x5555;
            snprintf(hex, sizeof(hex), "0f %02x c6", 0x90 + cc); /* dh */
            tx_ok(hex);
            CU_ASSERT_EQUAL(cpu.gpr[RDX], want[cc] ? 0x0155 : 0x0055);
            CU_ASSERT_EQUAL(x86_cond_true(cc, cpu.rflags), want[cc]);
            CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | fl);
        }
    }
    tx_reset();
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF;
    cpu.gpr[RBX] = TX_DATA;
    tx_put(TX_DATA, 0xee, 1);
    tx_ok("0f 92 03");                          /* setb [rbx] */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 1), 1);
}

static void test_x86_exec_bswap_conv(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x1122334455667788ull;
    tx_ok("48 0f c8");                          /* bswap rax */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x8877665544332211ull);
    tx_ok("0f c8");                             /* bswap eax */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x11223344ull);
    cpu.gpr[R9] = 0xffffffff00000001ull;
    tx_ok("41 0f c9");                          /* bswap r9d */
    CU_ASSERT_EQUAL(cpu.gpr[R9], 0x01000000ull);
    /* 16-bit BSWAP is undefined (SDM); vtsim gives 0 like the hosts. */
    cpu.gpr[RAX] = 0xffffffff11223344ull;
    tx_ok("66 0f c8");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff11220000ull);

    cpu.gpr[RAX] = 0x12345678ffff0080ull;
    tx_ok("66 98");                             /* cbw */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x12345678ffffff80ull);
    tx_ok("98");                                /* cwde */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffff80ull);
    tx_ok("48 98");                             /* cdqe */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffffffffff80ull);
    cpu.gpr[RDX] = 0x1234567812345678ull;
    tx_ok("66 99");                             /* cwd */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0x123456781234ffffull);
    tx_ok("99");                                /* cdq */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0xffffffffull);
    cpu.gpr[RAX] = 0x7fffffffffffffffull;
    tx_ok("48 99");                             /* cqo */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0);
}

/* ------------------------------------------------------------------ */
/* Arithmetic                                                          */
/* ------------------------------------------------------------------ */

static void test_x86_exec_alu(void)
{
    tx_reset();
    /* add al, 0x80 with AL = 0x80: 0, CF, OF, ZF, PF (0 has even parity). */
    cpu.gpr[RAX] = 0xffffffffffffff80ull;
    tx_ok("04 80");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffffffffff00ull);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_CF | FL_OF | FL_ZF | FL_PF);
    /* adc eax, 0 with CF = 1: 0xffffff01 + 1, upper half cleared. */
    tx_ok("83 d0 00");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffff01ull);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_SF);
    /* sub rax, rax: 0 with ZF PF. */
    tx_ok("48 29 c0");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_ZF | FL_PF);
    /* sbb rax, 1 (83 d8 01) with CF = 0: -1, CF (borrow), SF, PF, AF. */
    tx_ok("48 83 d8 01");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], ~0ull);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_CF | FL_SF | FL_PF | FL_AF);
    /* cmp does not write: cmp eax, 1 keeps RAX's upper half. */
    tx_ok("83 f8 01");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], ~0ull);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags) & (FL_CF | FL_ZF | FL_SF),
                    FL_SF);
    /* and/or/xor clear CF and OF. */
    cpu.rflags |= FL_CF | FL_OF;
    tx_ok("48 25 f0 00 00 00");                 /* and rax, 0xf0 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xf0);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags) & ~FL_AF, FL_PF);
    tx_ok("0c 0f");                             /* or al, 0x0f */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xff);
    tx_ok("34 ff");                             /* xor al, 0xff */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags) & ~FL_AF, FL_ZF | FL_PF);
    /* test ah, 0x80 */
    cpu.gpr[RAX] = 0x8000;
    tx_ok("f6 c4 80");
    CU_ASSERT_EQUAL(ARITH(cpu.rflags) & ~FL_AF, FL_SF);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x8000);
    /* Memory destination with LOCK; 16-bit size. */
    cpu.gpr[RBX] = TX_DATA;
    tx_put(TX_DATA, 0x7fff, 2);
    tx_ok("f0 66 83 03 01");                    /* lock add word [rbx], 1 */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 2), 0x8000);
    CU_ASSERT(cpu.rflags & FL_OF);
    CU_ASSERT(cpu.rflags & FL_AF);
}

static void test_x86_exec_inc_dec_neg_not(void)
{
    tx_reset();
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF;
    cpu.gpr[RCX] = 0x7fffffff;
    tx_ok("ff c1");                             /* inc ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0x80000000ull);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_CF | FL_OF | FL_SF | FL_AF |
                                       FL_PF);
    tx_ok("ff c9");                             /* dec ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0x7fffffff);
    CU_ASSERT(cpu.rflags & FL_CF);              /* CF kept */
    CU_ASSERT(cpu.rflags & FL_OF);
    cpu.gpr[RCX] = 0;
    tx_ok("48 f7 d9");                          /* neg rcx (0): CF = 0 */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), FL_ZF | FL_PF);
    cpu.gpr[RCX] = 5;
    tx_ok("f6 d9");                             /* neg cl */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xfb);
    CU_ASSERT(cpu.rflags & FL_CF);
    cpu.rflags = X86_RFLAGS_FIXED;
    cpu.gpr[RCX] = 0xffffffff0000ffffull;
    tx_ok("f7 d1");                             /* not ecx: no flags */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffff0000ull);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    cpu.gpr[RBX] = TX_DATA;
    tx_put(TX_DATA, 0xff, 1);
    tx_ok("f0 fe 03");                          /* lock inc byte [rbx] */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 1), 0);
    CU_ASSERT(cpu.rflags & FL_ZF);
}

static void test_x86_exec_mul_imul(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x1122334455667780ull;
    cpu.gpr[RCX] = 2;
    tx_ok("f6 e1");                             /* mul cl: AX = 0x100 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1122334455660100ull);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), FL_CF | FL_OF);
    cpu.gpr[RAX] = 0xffffffffffffffffull;
    cpu.gpr[RDX] = 0x1234;
    tx_ok("48 f7 e1");                          /* mul rcx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xfffffffffffffffeull);
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 1);
    cpu.gpr[RAX] = 0xffffffff00000003ull;
    cpu.gpr[RDX] = 0xffffffffffffffffull;
    tx_ok("f7 e9");                             /* imul ecx: 6, EDX 0 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 6);
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), 0);
    cpu.gpr[RAX] = 0x8000;
    cpu.gpr[RCX] = 0xffff;                      /* -1 */
    tx_ok("66 f7 e9");                          /* imul cx: -32768*-1 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX] & 0xffff, 0x8000);
    CU_ASSERT_EQUAL(cpu.gpr[RDX] & 0xffff, 0);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), FL_CF | FL_OF);
    cpu.gpr[RBX] = 0xfffffffffffffffdull;       /* -3 */
    cpu.gpr[RCX] = 7;
    tx_ok("48 0f af d9");                       /* imul rbx, rcx */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], (uint64_t)-21);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), 0);
    tx_ok("6b d9 f0");                          /* imul ebx, ecx, -16 */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], (uint32_t)-112);
    tx_ok("69 d9 00 00 00 40");                 /* imul ebx, ecx, 2^30 */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 0xc0000000ull);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), FL_CF | FL_OF);
}

static void test_x86_exec_div(void)
{
    struct x86_exec_result r;

    tx_reset();
    cpu.gpr[RAX] = 0xffffffffffff0107ull;       /* AX = 263 */
    cpu.gpr[RCX] = 0x10;
    tx_ok("f6 f1");                             /* div cl: 16 r 7 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffffffff0710ull);
    cpu.gpr[RDX] = 1;
    cpu.gpr[RAX] = 0;
    cpu.gpr[RCX] = 0x10;
    tx_ok("48 f7 f1");                          /* div rcx: 2^64 / 16 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1000000000000000ull);
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0);
    cpu.gpr[RDX] = 0xffffffffffffffffull;       /* EDX:EAX = -7 */
    cpu.gpr[RAX] = 0xfffffffffffffff9ull;
    cpu.gpr[RCX] = 2;
    tx_ok("f7 f9");                             /* idiv ecx: -3 r -1 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xfffffffdull);
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0xffffffffull);

    /* #DE: divide by zero, and a quotient that does not fit; nothing
     * changes, RIP stays on the instruction. */
    cpu.gpr[RAX] = 0x1234;
    cpu.gpr[RDX] = 0x5678;
    cpu.gpr[RCX] = 0;
    cpu.rflags = X86_RFLAGS_FIXED | FL_ZF;
    CU_ASSERT_EQUAL(tx_run("f7 f1", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_DE);
    CU_ASSERT_EQUAL(r.has_error, 0);
    CU_ASSERT_EQUAL(r.trap, 0);
    CU_ASSERT_EQUAL(cpu.rip, r.rip);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1234);
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0x5678);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | FL_ZF);
    cpu.gpr[RCX] = 0x5678;                      /* quotient >= 2^32 */
    CU_ASSERT_EQUAL(tx_run("f7 f1", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_DE);
    cpu.gpr[RAX] = 0x8000;                      /* -32768 / -1 */
    cpu.gpr[RDX] = 0xffff;
    cpu.gpr[RCX] = 0xffff;
    CU_ASSERT_EQUAL(tx_run("66 f7 f9", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_DE);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x8000);
    CU_ASSERT_EQUAL(cpu.st.exceptions, 3);
}

/* ------------------------------------------------------------------ */
/* Shifts, rotates, bit operations                                     */
/* ------------------------------------------------------------------ */

static void test_x86_exec_shift_rotate(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x81;
    tx_ok("d0 e0");                             /* shl al, 1 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x02);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_OF), FL_CF | FL_OF);
    cpu.gpr[RAX] = 0x80000000;
    tx_ok("c1 f8 1f");                          /* sar eax, 31 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffffull);
    cpu.gpr[RAX] = 0xffffffff00000010ull;
    cpu.gpr[RCX] = 0x24;                        /* 36 & 31 = 4 */
    tx_ok("d3 e8");                             /* shr eax, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 1);
    /* A zero count changes no flag but still writes (zero-extends) a
     * 32-bit register (host behaviour; SDM "count is 0: flags
     * unaffected"). */
    cpu.gpr[RAX] = 0xffffffff12345678ull;
    cpu.gpr[RCX] = 0x20;
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF | FL_OF | FL_ZF;
    tx_ok("d3 e0");                             /* shl eax, cl (0) */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x12345678ull);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | FL_CF | FL_OF | FL_ZF);
    /* 64-bit counts use 6 bits. */
    cpu.gpr[RAX] = 1;
    cpu.gpr[RCX] = 0x3f;
    tx_ok("48 d3 e0");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x8000000000000000ull);
    /* ROL/ROR; RCL/RCR through CF (8-bit count mod 9). */
    cpu.gpr[RDX] = 0x80000001;
    tx_ok("d1 c2");                             /* rol edx, 1 */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 3);
    CU_ASSERT(cpu.rflags & FL_CF);
    tx_ok("c1 ca 02");                          /* ror edx, 2 */
    CU_ASSERT_EQUAL(cpu.gpr[RDX], 0xc0000000ull);
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF;
    cpu.gpr[RBX] = 0;
    tx_ok("d0 d3");                             /* rcl bl, 1 */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 1);
    CU_ASSERT_EQUAL(cpu.rflags & FL_CF, 0);
    cpu.rflags = X86_RFLAGS_FIXED | FL_CF;
    cpu.gpr[RBX] = 0x55;
    tx_ok("c0 d3 09");                          /* rcl bl, 9: identity */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 0x55);
    CU_ASSERT(cpu.rflags & FL_CF);
    tx_ok("d0 db");                             /* rcr bl, 1 */
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 0xaa);
    CU_ASSERT(cpu.rflags & FL_CF);
    /* Memory operand. */
    cpu.gpr[RSI] = TX_DATA;
    tx_put(TX_DATA, 0x4000, 2);
    tx_ok("66 c1 26 02");                       /* shl word [rsi], 2 */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 2), 0);
    CU_ASSERT(cpu.rflags & FL_CF);
    CU_ASSERT(cpu.rflags & FL_ZF);
}

static void test_x86_exec_shld_shrd(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x12345678;
    cpu.gpr[RBX] = 0x9abcdef0;
    tx_ok("0f a4 d8 08");                       /* shld eax, ebx, 8 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x3456789aull);
    CU_ASSERT_EQUAL(cpu.rflags & FL_CF, 0);
    cpu.gpr[RCX] = 4;
    tx_ok("0f ad d8");                          /* shrd eax, ebx, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x03456789ull);
    CU_ASSERT(cpu.rflags & FL_CF);              /* last bit out: 1 */
    cpu.gpr[RAX] = 0xffffffff00000001ull;
    cpu.gpr[RCX] = 0;
    tx_ok("0f a5 d8");                          /* count 0: zero-extend */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 1);
    cpu.gpr[RDI] = TX_DATA;
    tx_put(TX_DATA, 0x8000000000000000ull, 8);
    cpu.gpr[RDX] = 0x8000000000000000ull;       /* fills bit 0 */
    tx_ok("48 0f a4 17 01");                    /* shld [rdi], rdx, 1 */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 8), 1);
    CU_ASSERT(cpu.rflags & FL_CF);
    CU_ASSERT(cpu.rflags & FL_OF);              /* sign changed */
}

/* BT family: register forms take the offset modulo the width; a memory
 * operand with a register offset addresses the bit string, negative
 * offsets below the base (SDM BT, Vol. 1 "Bit Field Addressing"). */
static void test_x86_exec_bt(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0x10;
    cpu.gpr[RCX] = 0x24;                        /* 36 mod 32 = 4 */
    tx_ok("0f a3 c8");                          /* bt eax, ecx */
    CU_ASSERT(cpu.rflags & FL_CF);
    tx_ok("0f ba f8 04");                       /* btc eax, 4 */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0);
    CU_ASSERT(cpu.rflags & FL_CF);
    tx_ok("48 0f ab c8");                       /* bts rax, rcx (36) */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 1ull << 36);
    CU_ASSERT_EQUAL(cpu.rflags & FL_CF, 0);
    /* bts dword [rbx], ecx with ecx = 100: dword at +12, bit 4. */
    cpu.gpr[RBX] = TX_DATA + 0x100;
    cpu.gpr[RCX] = 100;
    tx_ok("0f ab 0b");
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x10c, 4), 0x10);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x100, 4), 0);
    /* btr with ecx = -1: bit 31 of the dword at -4. */
    tx_put(TX_DATA + 0xfc, 0xffffffff, 4);
    cpu.gpr[RCX] = 0xffffffff;
    tx_ok("0f b3 0b");
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0xfc, 4), 0x7fffffff);
    CU_ASSERT(cpu.rflags & FL_CF);
    /* 64-bit offset -65: qword at -16, bit 63. */
    cpu.gpr[RCX] = (uint64_t)-65;
    tx_ok("48 0f a3 0b");                       /* bt [rbx], rcx */
    CU_ASSERT_EQUAL(cpu.rflags & FL_CF, 0);
    tx_put(TX_DATA + 0xf0, 0x8000000000000000ull, 8);
    tx_ok("48 0f a3 0b");
    CU_ASSERT(cpu.rflags & FL_CF);
    /* Immediate offsets into memory stay in the operand (mod width). */
    tx_put(TX_DATA + 0x100, 0, 4);
    tx_ok("0f ba 2b 23");                       /* bts dword [rbx], 35 */
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x100, 4), 8);
}

static void test_x86_exec_bitscan(void)
{
    tx_reset();
    cpu.gpr[RCX] = 0x00f0;
    tx_ok("0f bc c1");                          /* bsf eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 4);
    CU_ASSERT_EQUAL(cpu.rflags & FL_ZF, 0);
    tx_ok("48 0f bd c1");                       /* bsr rax, rcx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 7);
    /* Zero source: ZF = 1, the destination is not written at all (no
     * zero-extension), as on the host. */
    cpu.gpr[RAX] = 0xffffffff11111111ull;
    cpu.gpr[RCX] = 0;
    tx_ok("0f bc c1");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff11111111ull);
    CU_ASSERT(cpu.rflags & FL_ZF);
    tx_ok("f3 0f bc c1");                       /* tzcnt eax, ecx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 32);
    CU_ASSERT(cpu.rflags & FL_CF);
    cpu.gpr[RCX] = 1;
    tx_ok("66 f3 0f bd c1");                    /* lzcnt ax, cx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 15);
    CU_ASSERT_EQUAL(cpu.rflags & (FL_CF | FL_ZF), 0);
    cpu.gpr[RCX] = 0xf0f0f0f0f0f0f0f0ull;
    tx_ok("f3 48 0f b8 c1");                    /* popcnt rax, rcx */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 32);
    CU_ASSERT_EQUAL(ARITH(cpu.rflags), 0);
}

/* ------------------------------------------------------------------ */
/* Control flow                                                        */
/* ------------------------------------------------------------------ */

static void test_x86_exec_jmp_jcc(void)
{
    struct x86_exec_result r;

    tx_reset();
    tx_ok("eb 10");                             /* jmp +16 */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x12);
    tx_ok("e9 00 01 00 00");
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x12 + 5 + 0x100);
    cpu.rip = TX_CODE + 0x40;
    cpu.rflags = X86_RFLAGS_FIXED | FL_ZF;
    tx_ok("75 10");                             /* jnz: not taken */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x42);
    tx_ok("0f 84 f0 ff ff ff");                 /* jz -16: taken */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x48 - 0x10);
    cpu.gpr[R11] = TX_CODE + 0x800;
    tx_ok("41 ff e3");                          /* jmp r11 */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x800);
    tx_put(TX_DATA, TX_CODE + 0x900, 8);
    tx_ok("ff 24 25 00 00 60 00");              /* jmp [0x600000] */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x900);
    /* A non-canonical target faults on the JMP itself: #GP(0). */
    cpu.gpr[RAX] = 0x0000800000000000ull;
    CU_ASSERT_EQUAL(tx_run("ff e0", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_EQUAL(r.has_error, 1);
    CU_ASSERT_EQUAL(r.error_code, 0);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x900);
}

static void test_x86_exec_call_ret(void)
{
    struct x86_exec_result r;

    tx_reset();
    tx_ok("e8 fb 00 00 00");                    /* call +0xfb */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x100);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 8);
    CU_ASSERT_EQUAL(tx_get(TX_SP - 8, 8), TX_CODE + 5);
    tx_ok("c2 10 00");                          /* ret 16 */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 5);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP + 16);
    /* call [rsp]: the target is read with the RSP before the push. */
    cpu.gpr[RSP] = TX_SP;
    tx_put(TX_SP, TX_CODE + 0x300, 8);
    tx_ok("ff 14 24");
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x300);
    CU_ASSERT_EQUAL(tx_get(TX_SP - 8, 8), TX_CODE + 5 + 3);
    cpu.gpr[RDX] = TX_CODE + 0x500;
    tx_ok("ff d2");                             /* call rdx */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x500);
    tx_ok("c3");
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x302);
    /* RET to a non-canonical address: #GP(0), RSP unchanged. */
    tx_put(cpu.gpr[RSP], 0xdead000000000000ull, 8);
    CU_ASSERT_EQUAL(tx_run("c3", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 8);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x302);
    /* CALL with the stack unmapped: #PF, nothing pushed, RIP kept. */
    cpu.gpr[RSP] = TX_HOLE + 8;
    CU_ASSERT_EQUAL(tx_run("e8 00 00 00 00", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_HOLE);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_W | X86_PFEC_U);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_HOLE + 8);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x302);
}

/* LOOPcc and JrCXZ: the address size picks RCX or ECX; LOOP writes ECX
 * (zero-extended) and never touches flags. */
static void test_x86_exec_loop_jrcxz(void)
{
    tx_reset();
    cpu.gpr[RCX] = 2;
    cpu.rflags = X86_RFLAGS_FIXED | FL_ZF;
    tx_ok("e2 10");                             /* loop: 1, taken */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x12);
    tx_ok("e2 10");                             /* loop: 0, not taken */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x14);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | FL_ZF);
    tx_ok("e3 10");                             /* jrcxz: taken */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x26);
    /* 67h: ECX, RCX bits 63:32 ignored and then cleared by LOOP. */
    cpu.gpr[RCX] = 0xffffffff00000000ull;
    tx_ok("67 e3 10");                          /* jecxz: ECX = 0 */
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x39);
    cpu.gpr[RCX] = 0xffffffff00000003ull;
    tx_ok("67 e1 10");                          /* loope ecx: ZF = 1 */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 2);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x4c);
    cpu.rflags = X86_RFLAGS_FIXED;
    tx_ok("e1 10");                             /* loope: ZF = 0 */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x4e);
    cpu.gpr[RCX] = 5;
    tx_ok("e0 10");                             /* loopne: taken */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 4);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x60);
}

/* ENTER 16, 3: push RBP, copy two frame pointers from [RBP-8], [RBP-16],
 * push FrameTemp, RBP = FrameTemp, RSP = FrameTemp - 24 - 16; LEAVE
 * undoes it. */
static void test_x86_exec_enter_leave(void)
{
    uint64_t frame = TX_SP - 8;

    tx_reset();
    cpu.gpr[RBP] = TX_DATA + 0x100;
    tx_put(TX_DATA + 0xf8, 0x1111, 8);
    tx_put(TX_DATA + 0xf0, 0x2222, 8);
    tx_ok("c8 10 00 03");
    CU_ASSERT_EQUAL(tx_get(frame, 8), TX_DATA + 0x100);
    CU_ASSERT_EQUAL(tx_get(frame - 8, 8), 0x1111);
    CU_ASSERT_EQUAL(tx_get(frame - 16, 8), 0x2222);
    CU_ASSERT_EQUAL(tx_get(frame - 24, 8), frame);
    CU_ASSERT_EQUAL(cpu.gpr[RBP], frame);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], frame - 24 - 16);
    tx_ok("c9");                                /* leave */
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP);
    CU_ASSERT_EQUAL(cpu.gpr[RBP], TX_DATA + 0x100);
    /* Level 0: push RBP, RBP = RSP, RSP -= alloc. */
    tx_ok("c8 20 00 00");
    CU_ASSERT_EQUAL(cpu.gpr[RBP], frame);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], frame - 0x20);
    /* 66h LEAVE pops only BP. */
    cpu.gpr[RBP] = TX_SP;
    tx_put(TX_SP, 0xbeef, 2);
    tx_ok("66 c9");
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP + 2);
    CU_ASSERT_EQUAL(cpu.gpr[RBP], (TX_SP & ~0xffffull) | 0xbeef);
}

/* ENTER whose lowest push hits an unmapped page: #PF, nothing written
 * (the frame is written lowest address first), registers unchanged. */
static void test_x86_exec_enter_fault(void)
{
    struct x86_exec_result r;

    tx_reset();
    cpu.gpr[RSP] = TX_STACK + 0x10;
    cpu.gpr[RBP] = TX_STACK + 0x100;
    tm.writes = 0;
    CU_ASSERT_EQUAL(tx_run("c8 00 00 04", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_STACK - 0x18);   /* frame - 32 */
    CU_ASSERT_EQUAL(tm.writes, 1);
    CU_ASSERT_EQUAL(tx_get(TX_STACK + 8, 8), 0);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_STACK + 0x10);
    CU_ASSERT_EQUAL(cpu.gpr[RBP], TX_STACK + 0x100);
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

static void test_x86_exec_string_movs_stos(void)
{
    unsigned k;

    tx_reset();
    for (k = 0; k < 16; k++) {
        *tx_ptr(TX_DATA + k) = (uint8_t)(0xa0 + k);
    }
    cpu.gpr[RSI] = TX_DATA;
    cpu.gpr[RDI] = TX_DATA + 0x100;
    cpu.gpr[RCX] = 16;
    tx_ok("f3 a4");                             /* rep movsb */
    CU_ASSERT_EQUAL(memcmp(tx_ptr(TX_DATA), tx_ptr(TX_DATA + 0x100), 16),
                    0);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    CU_ASSERT_EQUAL(cpu.gpr[RSI], TX_DATA + 16);
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x110);
    CU_ASSERT_EQUAL(cpu.st.rep_iters, 16);
    /* DF = 1: backwards, qwords. */
    cpu.rflags |= X86_RFLAGS_DF;
    cpu.gpr[RAX] = 0x0102030405060708ull;
    cpu.gpr[RDI] = TX_DATA + 0x218;
    cpu.gpr[RCX] = 3;
    tx_ok("f3 48 ab");                          /* rep stosq */
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x218, 8), 0x0102030405060708ull);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x208, 8), 0x0102030405060708ull);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x200, 8), 0);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x220, 8), 0);
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x200);
    /* No REP: one element, RCX untouched. */
    cpu.gpr[RCX] = 77;
    tx_ok("66 ab");                             /* stosw */
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x1fe);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 77);
    /* REP with RCX = 0: nothing. */
    cpu.gpr[RCX] = 0;
    tx_ok("f3 a4");
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x1fe);
    /* 67h: ESI/EDI/ECX, upper halves ignored and cleared on write. */
    cpu.rflags &= ~(uint64_t)X86_RFLAGS_DF;
    cpu.gpr[RSI] = 0xabcd000000000000ull | TX_DATA;
    cpu.gpr[RDI] = 0x1234000000000000ull | (TX_DATA + 0x300);
    cpu.gpr[RCX] = 0xffffffff00000002ull;
    tx_ok("67 f3 a5");                          /* rep movsd, a32 */
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x300, 8), tx_get(TX_DATA, 8));
    CU_ASSERT_EQUAL(cpu.gpr[RSI], TX_DATA + 8);
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x308);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    /* FS override on the source. */
    cpu.seg[X86_SEG_FS].base = TX_DATA;
    cpu.gpr[RSI] = 4;
    cpu.gpr[RDI] = TX_DATA + 0x400;
    tx_ok("64 a4");                             /* movsb fs:[rsi] */
    CU_ASSERT_EQUAL(*tx_ptr(TX_DATA + 0x400), 0xa4);
    /* LODS loads rAX (LODSD zero-extends). */
    cpu.gpr[RAX] = ~0ull;
    cpu.gpr[RSI] = TX_DATA;
    tx_ok("ad");
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xa3a2a1a0ull);
    CU_ASSERT_EQUAL(cpu.gpr[RSI], TX_DATA + 4);
}

static void test_x86_exec_string_cmps_scas(void)
{
    tx_reset();
    memcpy(tx_ptr(TX_DATA), "abcdefgh", 8);
    memcpy(tx_ptr(TX_DATA + 0x100), "abcXefgh", 8);
    cpu.gpr[RSI] = TX_DATA;
    cpu.gpr[RDI] = TX_DATA + 0x100;
    cpu.gpr[RCX] = 8;
    tx_ok("f3 a6");                             /* repe cmpsb */
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 4);           /* stopped after 'd'/'X' */
    CU_ASSERT_EQUAL(cpu.gpr[RSI], TX_DATA + 4);
    CU_ASSERT_EQUAL(cpu.rflags & FL_ZF, 0);
    CU_ASSERT_EQUAL(cpu.rflags & FL_CF, 0);     /* 'd' - 'X': no borrow */
    cpu.gpr[RAX] = 'f';
    cpu.gpr[RDI] = TX_DATA;
    cpu.gpr[RCX] = 8;
    tx_ok("f2 ae");                             /* repne scasb */
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 6);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 2);
    CU_ASSERT(cpu.rflags & FL_ZF);
    /* REPNE running out of RCX without a match. */
    cpu.gpr[RAX] = 'z';
    cpu.gpr[RDI] = TX_DATA;
    cpu.gpr[RCX] = 8;
    tx_ok("f2 ae");
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    CU_ASSERT_EQUAL(cpu.rflags & FL_ZF, 0);
}

/* rep_limit: a long REP stops with RIP on the instruction and goes on at
 * the next step; TF makes it one iteration per step with a #DB trap. */
static void test_x86_exec_string_rep_limit(void)
{
    struct x86_exec_result r;

    tx_reset();
    cpu.rep_limit = 10;
    cpu.gpr[RDI] = TX_DATA;
    cpu.gpr[RCX] = 25;
    cpu.gpr[RAX] = 0x5a;
    CU_ASSERT_EQUAL(tx_run("f3 aa", &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(r.rep_more, 1);
    CU_ASSERT_EQUAL(r.rep_iters, 10);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 15);
    CU_ASSERT_EQUAL(cpu.st.insns, 0);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(r.rep_more, 0);
    CU_ASSERT_EQUAL(r.rep_iters, 5);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 2);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0);
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 25);
    CU_ASSERT_EQUAL(*tx_ptr(TX_DATA + 24), 0x5a);
    CU_ASSERT_EQUAL(*tx_ptr(TX_DATA + 25), 0);
    CU_ASSERT_EQUAL(cpu.st.insns, 1);

    cpu.rip = TX_CODE;
    cpu.gpr[RCX] = 2;
    cpu.rflags |= X86_RFLAGS_TF;
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_DB);
    CU_ASSERT_EQUAL(r.trap, 1);
    CU_ASSERT_EQUAL(r.rep_iters, 1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 1);
}

/* A REP MOVS that runs into an unmapped page: #PF with the completed
 * iterations kept in RSI/RDI/RCX and memory, RIP on the instruction. */
static void test_x86_exec_string_fault(void)
{
    struct x86_exec_result r;

    tx_reset();
    cpu.gpr[RSI] = TX_DATA;
    cpu.gpr[RDI] = TX_DATA + 0x2000 - 16;       /* 2 qwords left */
    cpu.gpr[RCX] = 5;
    memset(tx_ptr(TX_DATA), 0x77, 40);
    CU_ASSERT_EQUAL(tx_run("f3 48 a5", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_DATA + 0x2000);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_W | X86_PFEC_U);
    CU_ASSERT_EQUAL(r.rep_iters, 2);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 3);
    CU_ASSERT_EQUAL(cpu.gpr[RSI], TX_DATA + 16);
    CU_ASSERT_EQUAL(cpu.gpr[RDI], TX_DATA + 0x2000);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0x2000 - 8, 8), 0x7777777777777777ull);
}

/* ------------------------------------------------------------------ */
/* Atomics, flags, hints                                               */
/* ------------------------------------------------------------------ */

/* CMPXCHG (SDM; host-checked for the 32-bit register cases): a match
 * writes the destination and leaves RAX whole; a mismatch loads EAX
 * (zero-extended) and leaves a register destination whole. */
static void test_x86_exec_cmpxchg_xadd(void)
{
    tx_reset();
    cpu.gpr[RAX] = 0xffffffff33333333ull;
    cpu.gpr[RBX] = 0xeeeeeeee33333333ull;
    cpu.gpr[RCX] = 0xdddddddd44444444ull;
    tx_ok("0f b1 cb");                          /* cmpxchg ebx, ecx */
    CU_ASSERT(cpu.rflags & FL_ZF);
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 0x44444444ull);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0xffffffff33333333ull);
    cpu.gpr[RBX] = 0xeeeeeeee55555555ull;
    tx_ok("0f b1 cb");
    CU_ASSERT_EQUAL(cpu.rflags & FL_ZF, 0);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x55555555ull);
    CU_ASSERT_EQUAL(cpu.gpr[RBX], 0xeeeeeeee55555555ull);
    /* Memory destination, LOCK: written back even on a mismatch. */
    cpu.gpr[RDI] = TX_DATA;
    tx_put(TX_DATA, 9, 8);
    cpu.gpr[RAX] = 9;
    tx_ok("f0 48 0f b1 0f");                    /* lock cmpxchg [rdi], rcx */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 8), 0xdddddddd44444444ull);
    tm.p[2].writable = false;
    {
        struct x86_exec_result r;

        cpu.gpr[RAX] = 1;                       /* mismatch */
        CU_ASSERT_EQUAL(tx_run("f0 48 0f b1 0f", &r), X86_EXEC_EXCEPTION);
        CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
        CU_ASSERT_EQUAL(r.error_code, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
        CU_ASSERT_EQUAL(cpu.gpr[RAX], 1);       /* not loaded */
    }
    tm.p[2].writable = true;
    cpu.gpr[RAX] = 0x12;
    cpu.gpr[RCX] = 0x34;
    tx_ok("0f c0 c8");                          /* xadd al, cl */
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x46);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0x12);
    tx_put(TX_DATA, 0xffffffff, 4);
    cpu.gpr[RCX] = 1;
    tx_ok("f0 0f c1 0f");                       /* lock xadd [rdi], ecx */
    CU_ASSERT_EQUAL(tx_get(TX_DATA, 4), 0);
    CU_ASSERT_EQUAL(cpu.gpr[RCX], 0xffffffffull);
    CU_ASSERT(cpu.rflags & FL_CF);
    CU_ASSERT(cpu.rflags & FL_ZF);
}

static void test_x86_exec_flag_ops_hints(void)
{
    static const char *const hints[] = {
        "90", "66 90", "0f 1f 40 00", "66 0f 1f 84 00 00 00 00 00",
        "f3 90", "f3 0f 1e fa", "0f ae e8", "0f ae f8", "0f ae f0",
    };
    size_t k;

    tx_reset();
    tx_ok("f9");                                /* stc */
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | FL_CF);
    tx_ok("f5");                                /* cmc */
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    tx_ok("f5");
    tx_ok("f8");                                /* clc */
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    tx_ok("fd");                                /* std */
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | X86_RFLAGS_DF);
    tx_ok("fc");                                /* cld */
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    /* NOPs, PAUSE, ENDBR64 and fences change nothing but RIP; the memory
     * form of NOP accesses nothing. */
    cpu.gpr[RAX] = TX_HOLE;
    for (k = 0; k < sizeof(hints) / sizeof(hints[0]); k++) {
        uint64_t before[16];

        memcpy(before, cpu.gpr, sizeof(before));
        tm.reads = 0;
        tm.writes = 0;
        tx_ok(hints[k]);
        CU_ASSERT_EQUAL(memcmp(before, cpu.gpr, sizeof(before)), 0);
        CU_ASSERT_EQUAL(tm.reads, 0);
        CU_ASSERT_EQUAL(tm.writes, 0);
        CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    }
}

/* PUSHF pushes RFLAGS without RF and VM; POPF at CPL 3 (SDM POPF table,
 * CPL > 0): IOPL never changes, IF only when IOPL = 3, RF is cleared,
 * the 16-bit form only touches bits 15:0. */
static void test_x86_exec_pushf_popf(void)
{
    uint64_t all = 0xffffffffffffffffull;

    tx_reset();
    cpu.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF | X86_RFLAGS_RF |
                 FL_CF | X86_RFLAGS_AC;
    tx_ok("9c");                                /* pushfq */
    CU_ASSERT_EQUAL(tx_get(TX_SP - 8, 8), X86_RFLAGS_FIXED | X86_RFLAGS_IF |
                                          FL_CF | X86_RFLAGS_AC);
    tx_put(TX_SP - 8, all & ~(uint64_t)X86_RFLAGS_TF, 8);
    tx_ok("9d");                                /* popfq */
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP);
    CU_ASSERT_EQUAL(cpu.rflags,
                    X86_RFLAGS_FIXED | X86_FL_ARITH | X86_RFLAGS_DF |
                    X86_RFLAGS_NT | X86_RFLAGS_AC | X86_RFLAGS_ID |
                    X86_RFLAGS_IF);             /* IF kept (was 1) */
    /* IF = 1 cannot be cleared at IOPL 0 either. */
    cpu.gpr[RSP] = TX_SP - 8;
    tx_put(TX_SP - 8, X86_RFLAGS_FIXED, 8);
    tx_ok("9d");
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | X86_RFLAGS_IF);
    /* With IOPL = 3 (CPL <= IOPL) IF follows the popped value; IOPL
     * itself still does not. */
    cpu.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF | X86_RFLAGS_IOPL;
    cpu.gpr[RSP] = TX_SP - 8;
    tx_put(TX_SP - 8, X86_RFLAGS_FIXED, 8);
    tx_ok("9d");
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED | X86_RFLAGS_IOPL);
    /* 66 9D: bits 15:0 only; AC (bit 18) kept, RF not cleared. */
    cpu.rflags = X86_RFLAGS_FIXED | X86_RFLAGS_AC | X86_RFLAGS_RF;
    cpu.gpr[RSP] = TX_SP - 2;
    tx_put(TX_SP - 2, 0xffff & ~X86_RFLAGS_TF, 2);
    tx_ok("66 9d");
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP);
    CU_ASSERT_EQUAL(cpu.rflags,
                    X86_RFLAGS_FIXED | X86_RFLAGS_AC | X86_RFLAGS_RF |
                    X86_FL_ARITH | X86_RFLAGS_DF | X86_RFLAGS_NT);
    /* 66 9C pushes the low 16 bits. */
    tx_ok("66 9c");
    CU_ASSERT_EQUAL(cpu.gpr[RSP], TX_SP - 2);
    CU_ASSERT_EQUAL(tx_get(TX_SP - 2, 2), (cpu.rflags & 0xffff));
}

/* TF at the start of an instruction traps after it (#DB, trap = 1, RIP
 * on the next instruction); POPF setting TF traps after the next one. */
static void test_x86_exec_single_step(void)
{
    struct x86_exec_result r;

    tx_reset();
    tx_put(TX_SP, X86_RFLAGS_FIXED | X86_RFLAGS_TF, 8);
    tx_bytes_at(TX_CODE, "9d 90 90");
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);   /* popfq */
    CU_ASSERT(cpu.rflags & X86_RFLAGS_TF);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_DB);
    CU_ASSERT_EQUAL(r.trap, 1);
    CU_ASSERT_EQUAL(r.has_error, 0);
    CU_ASSERT_EQUAL(r.rip, TX_CODE + 1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 2);
    CU_ASSERT_EQUAL(cpu.st.insns, 2);
    /* A faulting instruction does not also trap. */
    cpu.gpr[RBX] = TX_HOLE;
    CU_ASSERT_EQUAL(tx_run("8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.trap, 0);
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */
/* ------------------------------------------------------------------ */

static void test_x86_exec_ud(void)
{
    struct x86_exec_result r;
    unsigned pxor = 0;
    unsigned k;

    tx_reset();
    CU_ASSERT_EQUAL(tx_run("0f 0b", &r), X86_EXEC_EXCEPTION);  /* ud2 */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_EQUAL(r.unimpl, 0);
    CU_ASSERT_PTR_NOT_NULL(r.insn);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(tx_run("06", &r), X86_EXEC_EXCEPTION);  /* push es */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_PTR_NULL(r.insn);
    CU_ASSERT_EQUAL(tx_run("f0 01 c0", &r), X86_EXEC_EXCEPTION); /* lock */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_EQUAL(r.unimpl, 0);
    /* Decoded but not modelled (SSE2 PXOR): #UD flagged unimpl, counted
     * under its Zydis mnemonic. */
    CU_ASSERT_EQUAL(tx_run("66 0f ef c0", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_EQUAL(r.unimpl, 1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(tx_run("66 0f ef c0", &r), X86_EXEC_EXCEPTION);
    for (k = 0; k < X86_CPU_MNEMONIC_SLOTS; k++) {
        if (cpu.unimpl_by_mnemonic[k] != 0) {
            CU_ASSERT_STRING_EQUAL(x86_zydis_mnemonic_name(k), "pxor");
            pxor += (unsigned)cpu.unimpl_by_mnemonic[k];
        }
    }
    CU_ASSERT_EQUAL(pxor, 2);
    CU_ASSERT_EQUAL(cpu.st.unimpl, 2);
    /* CMPXCHG8B is in the table but not executed: unimpl too. */
    cpu.gpr[RSI] = TX_DATA;
    CU_ASSERT_EQUAL(tx_run("0f c7 0e", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.unimpl, 1);
    CU_ASSERT_EQUAL(cpu.st.unimpl, 3);
    /* VMX/SVM instructions outside VMX operation / with SVME = 0. */
    CU_ASSERT_EQUAL(tx_run("0f 01 c1", &r), X86_EXEC_EXCEPTION); /* vmcall */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_EQUAL(r.unimpl, 0);
}

/* CPL 3: privileged instructions #GP(0); IOPL-sensitive ones too unless
 * IOPL = 3; instructions longer than 15 bytes #GP(0). */
static void test_x86_exec_gp(void)
{
    static const char *const priv[] = {
        "f4",                   /* hlt */
        "0f 22 d8",             /* mov cr3, rax */
        "0f 20 c0",             /* mov rax, cr0 */
        "0f 32",                /* rdmsr */
        "0f 01 f8",             /* swapgs */
        "0f 01 38",             /* invlpg [rax] */
    };
    struct x86_exec_result r;
    size_t k;

    tx_reset();
    for (k = 0; k < sizeof(priv) / sizeof(priv[0]); k++) {
        CU_ASSERT_EQUAL(tx_run(priv[k], &r), X86_EXEC_EXCEPTION);
        CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
        CU_ASSERT_EQUAL(r.has_error, 1);
        CU_ASSERT_EQUAL(r.error_code, 0);
        CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    }
    CU_ASSERT_EQUAL(tx_run("fa", &r), X86_EXEC_EXCEPTION);  /* cli */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_EQUAL(tx_run("e4 60", &r), X86_EXEC_EXCEPTION);  /* in */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    cpu.rflags |= X86_RFLAGS_IOPL | X86_RFLAGS_IF;
    CU_ASSERT_EQUAL(tx_run("fa", &r), X86_EXEC_OK);  /* CPL 3 <= IOPL 3 */
    CU_ASSERT_EQUAL(cpu.rflags & X86_RFLAGS_IF, 0);
    /* 15 prefixes + opcode: too long. */
    CU_ASSERT_EQUAL(tx_run("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 "
                           "90", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* Non-canonical data address: #GP(0); through RSP/RBP: #SS(0). */
    cpu.gpr[RBX] = 0x0000800000000000ull;
    CU_ASSERT_EQUAL(tx_run("8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_EQUAL(r.error_code, 0);
    cpu.gpr[RBP] = 0xffff700000000000ull;
    CU_ASSERT_EQUAL(tx_run("8b 45 00", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_SS);
    CU_ASSERT_EQUAL(r.has_error, 1);
    cpu.gpr[RSP] = 0x8000000000000008ull;
    CU_ASSERT_EQUAL(tx_run("50", &r), X86_EXEC_EXCEPTION);   /* push */
    CU_ASSERT_EQUAL(r.vector, X86_VEC_SS);
    CU_ASSERT_EQUAL(cpu.gpr[RSP], 0x8000000000000008ull);
    /* An access whose last byte crosses into non-canonical space. */
    cpu.gpr[RBX] = 0x00007ffffffffffcull;
    CU_ASSERT_EQUAL(tx_run("48 8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* RIP itself non-canonical. */
    cpu.rip = 0x0000900000000000ull;
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_PTR_NULL(r.insn);
}

/* #PF: fault address, error code, no architectural change; loads, stores,
 * fetches, page-crossing stores undone, the callback's P bit. */
static void test_x86_exec_pf(void)
{
    struct x86_exec_result r;
    uint64_t before[16];

    tx_reset();
    cpu.gpr[RBX] = TX_HOLE + 0x10;
    cpu.gpr[RAX] = 0x1234;
    memcpy(before, cpu.gpr, sizeof(before));
    CU_ASSERT_EQUAL(tx_run("48 03 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.has_error, 1);
    CU_ASSERT_EQUAL(r.fault_addr, TX_HOLE + 0x10);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_U);
    CU_ASSERT_EQUAL(memcmp(before, cpu.gpr, sizeof(before)), 0);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    CU_ASSERT_EQUAL(cpu.st.insns, 0);
    /* Store to a read-only page: P | W | U. */
    tm.p[2].writable = false;
    cpu.gpr[RBX] = TX_DATA + 8;
    CU_ASSERT_EQUAL(tx_run("48 01 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_P | X86_PFEC_W | X86_PFEC_U);
    CU_ASSERT_EQUAL(r.fault_addr, TX_DATA + 8);
    tm.p[2].writable = true;
    /* A load straddling into an unmapped page faults at the page start;
     * the callbacks never see a page-crossing call. */
    tm.p[3].present = false;
    cpu.gpr[RBX] = TX_DATA + 0xffc;
    CU_ASSERT_EQUAL(tx_run("48 8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.fault_addr, TX_DATA + 0x1000);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x1234);
    /* The same for a store: the first page's bytes are put back. */
    tx_put(TX_DATA + 0xffc, 0xaabbccdd, 4);
    cpu.gpr[RAX] = 0x1122334455667788ull;
    CU_ASSERT_EQUAL(tx_run("48 89 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.fault_addr, TX_DATA + 0x1000);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_W | X86_PFEC_U);
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0xffc, 4), 0xaabbccdd);
    CU_ASSERT_FALSE(tm.straddled);
    /* ... and a straddling store that succeeds lands on both pages. */
    tm.p[3].present = true;
    tx_ok("48 89 03");
    CU_ASSERT_EQUAL(tx_get(TX_DATA + 0xffc, 8), 0x1122334455667788ull);
    CU_ASSERT_FALSE(tm.straddled);
    /* The callback's error-code bits (here RSVD) reach the result. */
    tm.p[3].present = false;
    tm.p[3].fault_rc = X86_MEM_PFEC | X86_PFEC_RSVD | X86_PFEC_P;
    cpu.gpr[RBX] = TX_DATA + 0x1000;
    CU_ASSERT_EQUAL(tx_run("8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_RSVD | X86_PFEC_P | X86_PFEC_U);
    /* Without X86_MEM_PFEC a value is a plain not-present fault. */
    tm.p[3].fault_rc = -1;
    CU_ASSERT_EQUAL(tx_run("8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_U);
    tm.p[3].fault_rc = X86_PFEC_P;
    CU_ASSERT_EQUAL(tx_run("8b 03", &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_U);
}

/* Instruction fetch: a fault on the first byte, on the second page of a
 * straddling instruction (fault at that page), and no fetch from the
 * next page for a short instruction ending a page. */
static void test_x86_exec_fetch_fault(void)
{
    struct x86_exec_result r;

    tx_reset();
    cpu.rip = TX_HOLE;
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_HOLE);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_I | X86_PFEC_U);
    CU_ASSERT_PTR_NULL(r.insn);
    tm.p[1].present = false;
    /* mov eax, imm32 whose last 3 bytes are on the missing page. */
    cpu.rip = TX_CODE + 0xffe;
    tx_bytes_at(TX_CODE + 0xffe, "b8 01");
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_PF);
    CU_ASSERT_EQUAL(r.fault_addr, TX_CODE + 0x1000);
    CU_ASSERT_EQUAL(r.error_code, X86_PFEC_I | X86_PFEC_U);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0xffe);
    /* nop; nop ending the page: runs without touching the next page. */
    tx_bytes_at(TX_CODE + 0xffe, "90 90");
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x1000);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.fault_addr, TX_CODE + 0x1000);
    /* With the page back, an instruction straddling pages runs. */
    tm.p[1].present = true;
    cpu.rip = TX_CODE + 0xffe;
    tx_bytes_at(TX_CODE + 0xffe, "b8 01");
    tx_bytes_at(TX_CODE + 0x1000, "02 03 04");
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(cpu.gpr[RAX], 0x04030201);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE + 0x1003);
    CU_ASSERT_FALSE(tm.straddled);
}

/* Caller errors and counters. */
static void test_x86_exec_api(void)
{
    struct x86_exec_result r;
    struct x86_mem_ops partial = { tx_read, NULL, tx_fetch, NULL };

    tx_reset();
    CU_ASSERT_EQUAL(x86_step(NULL, &r), -1);
    CU_ASSERT_EQUAL(x86_step(&cpu, NULL), -1);
    cpu.mem = &partial;
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), -1);
    CU_ASSERT_EQUAL(cpu.rip, TX_CODE);
    x86_cpu_init(NULL, &tx_ops, &tm);           /* no crash */
    x86_cpu_init(&cpu, &tx_ops, &tm);
    CU_ASSERT_EQUAL(cpu.rflags, X86_RFLAGS_FIXED);
    CU_ASSERT_EQUAL(cpu.rep_limit, X86_CPU_REP_LIMIT_DEFAULT);
    cpu.rip = TX_CODE;
    tx_bytes_at(TX_CODE, "90 90 0f 0b");
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(r.rip, TX_CODE);
    CU_ASSERT_PTR_EQUAL(r.insn, &cpu.insn);
    CU_ASSERT_EQUAL(r.insn->op, X86_OP_NOP);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(x86_step(&cpu, &r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(cpu.st.insns, 2);
    CU_ASSERT_EQUAL(cpu.st.exceptions, 1);
}

/* Hostile input: random bytes and registers, memory everywhere mapped
 * read-write in the test pages.  Every step returns OK or an exception
 * with a vector the executor can raise, never crashes (run under
 * -fsanitize=address,undefined too). */
static void test_x86_exec_fuzz(void)
{
    uint64_t s = 0x2545f4914f6cdd1dull;
    unsigned outcomes[32] = { 0 };
    unsigned ok = 0;
    unsigned n;
    unsigned k;

    tx_reset();
    /* With SYSCALL off, an empty GDT and IDT and SYSENTER_CS = 0, no
     * instruction can leave CPL 3: every way out faults. */
    cpu.efer &= ~X86_EFER_SCE;
    for (n = 0; n < 200000; n++) {
        struct x86_exec_result r;
        int rc;

        if (n % 16 == 0) {
            for (k = 0; k < 16; k++) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                /* Half the registers point into the data page. */
                cpu.gpr[k] = (k & 1) ? s : TX_DATA + (s & 0xff8);
                ((uint8_t *)tm.p[0].b)[(n / 16 * 16 + k) & 0xfff] =
                    (uint8_t)(s >> 24);
            }
            for (k = 0; k < 64; k++) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                tm.p[0].b[(s >> 8) & 0xfff] = (uint8_t)s;
            }
            cpu.rip = TX_CODE + ((s >> 32) & 0xff0);
            cpu.rflags = X86_RFLAGS_FIXED | (s & (X86_FL_ARITH |
                                                  X86_RFLAGS_DF));
            cpu.rep_limit = 64;
        }
        rc = x86_step(&cpu, &r);
        CU_ASSERT(rc == X86_EXEC_OK || rc == X86_EXEC_EXCEPTION);
        CU_ASSERT_EQUAL(cpu.cpl, 3);
        if (rc == X86_EXEC_OK) {
            ok++;
        } else {
            CU_ASSERT(r.vector == X86_VEC_DE || r.vector == X86_VEC_DB ||
                      r.vector == X86_VEC_UD || r.vector == X86_VEC_SS ||
                      r.vector == X86_VEC_GP || r.vector == X86_VEC_PF);
            cpu.rflags &= ~(uint64_t)X86_RFLAGS_TF;
            outcomes[r.vector & 31]++;
            cpu.rip = TX_CODE + ((n * 37) & 0xfff);
        }
    }
    CU_ASSERT(ok > 10000);
    CU_ASSERT(outcomes[X86_VEC_UD] > 0);
    CU_ASSERT(outcomes[X86_VEC_PF] > 0);
    CU_ASSERT(outcomes[X86_VEC_GP] > 0);
    CU_ASSERT_FALSE(tm.straddled);
}

int test_x86_exec_register(void)
{
    CU_pSuite s = CU_add_suite("x86_exec", NULL, NULL);

    if (s == NULL) {
        return -1;
    }
    if (!CU_add_test(s, "mov_sizes", test_x86_exec_mov_sizes) ||
        !CU_add_test(s, "movzx_movsx", test_x86_exec_movzx_movsx) ||
        !CU_add_test(s, "lea", test_x86_exec_lea) ||
        !CU_add_test(s, "xchg", test_x86_exec_xchg) ||
        !CU_add_test(s, "push_pop", test_x86_exec_push_pop) ||
        !CU_add_test(s, "cmov_setcc", test_x86_exec_cmov_setcc) ||
        !CU_add_test(s, "bswap_conv", test_x86_exec_bswap_conv) ||
        !CU_add_test(s, "alu", test_x86_exec_alu) ||
        !CU_add_test(s, "inc_dec_neg_not", test_x86_exec_inc_dec_neg_not) ||
        !CU_add_test(s, "mul_imul", test_x86_exec_mul_imul) ||
        !CU_add_test(s, "div", test_x86_exec_div) ||
        !CU_add_test(s, "shift_rotate", test_x86_exec_shift_rotate) ||
        !CU_add_test(s, "shld_shrd", test_x86_exec_shld_shrd) ||
        !CU_add_test(s, "bt", test_x86_exec_bt) ||
        !CU_add_test(s, "bitscan", test_x86_exec_bitscan) ||
        !CU_add_test(s, "jmp_jcc", test_x86_exec_jmp_jcc) ||
        !CU_add_test(s, "call_ret", test_x86_exec_call_ret) ||
        !CU_add_test(s, "loop_jrcxz", test_x86_exec_loop_jrcxz) ||
        !CU_add_test(s, "enter_leave", test_x86_exec_enter_leave) ||
        !CU_add_test(s, "enter_fault", test_x86_exec_enter_fault) ||
        !CU_add_test(s, "string_movs_stos",
                     test_x86_exec_string_movs_stos) ||
        !CU_add_test(s, "string_cmps_scas",
                     test_x86_exec_string_cmps_scas) ||
        !CU_add_test(s, "string_rep_limit",
                     test_x86_exec_string_rep_limit) ||
        !CU_add_test(s, "string_fault", test_x86_exec_string_fault) ||
        !CU_add_test(s, "cmpxchg_xadd", test_x86_exec_cmpxchg_xadd) ||
        !CU_add_test(s, "flag_ops_hints", test_x86_exec_flag_ops_hints) ||
        !CU_add_test(s, "pushf_popf", test_x86_exec_pushf_popf) ||
        !CU_add_test(s, "single_step", test_x86_exec_single_step) ||
        !CU_add_test(s, "ud", test_x86_exec_ud) ||
        !CU_add_test(s, "gp_ss", test_x86_exec_gp) ||
        !CU_add_test(s, "pf", test_x86_exec_pf) ||
        !CU_add_test(s, "fetch_fault", test_x86_exec_fetch_fault) ||
        !CU_add_test(s, "api", test_x86_exec_api) ||
        !CU_add_test(s, "fuzz_200k", test_x86_exec_fuzz)) {
        return -1;
    }
    return 0;
}
