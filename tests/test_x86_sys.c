/*
 * test_x86_sys.c - the system half of the x86 core on the platform
 * (sim_x86): IDT delivery and its stack frame, #PF error codes and CR2,
 * #DF and triple fault, privilege and stack switches, control-register,
 * MSR and descriptor-table rules, SYSCALL/SYSRET, port I/O, CPUID from
 * the config, the in-order timing hooks, and random bytes executed at
 * CPL 0 with delivery on (run under -fsanitize=address,undefined too).
 *
 * Each test starts from the ELF64 entry state (sim_x86_enter_long): 64-bit
 * mode, CPL 0, identity map of [0, 4 GiB).  Code goes at TS_CODE; the IDT,
 * a GDT with user segments and a TSS are built by ts_tables().
 */
#include "config.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "test_suites.h"
#include "sim/sim_machine.h"
#include "sim/sim_x86.h"

#define TS_CODE   0x100000ull
#define TS_GDT    0x3000ull
#define TS_IDT    0x4000ull
#define TS_TSS    0x5000ull
#define TS_STACK0 0x8000ull     /* TSS.RSP0 */
#define TS_IST1   0x9000ull     /* TSS.IST1 */
#define TS_HANDLER 0x200000ull  /* every vector's handler: HLT */
#define TS_UNMAPPED 0x200000000ull  /* 8 GiB: outside the identity map */

static struct sim_machine_cfg ts_mc;
static struct sim_cfg *ts_cfg;
static struct sim_x86 *ts;

static int ts_open(const char *model)
{
    char o1[64];
    char o2[] = "x86.serial=none";
    char o3[] = "x86.ram=64M";
    char *ov[3] = { o1, o2, o3 };
    char err[256];

    int i;

    snprintf(o1, sizeof(o1), "core.model=%s", model);
    sim_x86_free(ts);
    ts = NULL;
    sim_cfg_free(ts_cfg);
    ts_cfg = sim_cfg_new();
    if (ts_cfg == NULL || sim_machine_declare(ts_cfg) != 0) {
        return -1;
    }
    for (i = 0; i < 3; i++) {
        if (sim_cfg_override(ts_cfg, ov[i], "test") != 0) {
            return -1;
        }
    }
    if (sim_machine_load(ts_cfg, &ts_mc) != 0 ||
        sim_x86_new(&ts, &ts_mc, NULL, NULL, NULL, err, sizeof(err)) != 0 ||
        sim_x86_enter_long(ts, TS_CODE) != 0) {
        return -1;
    }
    return 0;
}

/* Write guest memory behind the core's back, as a device would: the
 * predecode cache must hear of it. */
static void ts_poke(uint64_t pa, const void *b, size_t n)
{
    uint64_t p;

    CU_ASSERT_EQUAL_FATAL(sim_mem_write(ts->mem, pa, b, n), 0);
    for (p = pa & ~0xfffull; p < pa + n; p += 0x1000) {
        x86_pcache_invalidate_page(ts->pcache, p);
    }
}

static uint64_t ts_peek64(uint64_t pa)
{
    uint64_t v = 0;

    sim_mem_read(ts->mem, pa, &v, 8);
    return v;
}

/* Bytes from "48 a1 ..." */
static size_t ts_hex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    unsigned v;
    int k;

    while (sscanf(hex, " %2x%n", &v, &k) == 1) {
        out[n++] = (uint8_t)v;
        hex += k;
    }
    return n;
}

static void ts_code(uint64_t at, const char *hex)
{
    uint8_t b[256];

    ts_poke(at, b, ts_hex(hex, b));
}

/* 64-bit interrupt/trap gate (SDM Vol. 3A "64-Bit IDT Gate Descriptors"). */
static void ts_gate(unsigned vec, uint64_t target, unsigned type,
                    unsigned dpl, unsigned ist)
{
    uint64_t g[2];

    g[0] = (target & 0xffff) | (0x08ull << 16) | ((uint64_t)ist << 32) |
           ((uint64_t)(0x80 | (dpl << 5) | type) << 40) |
           (((target >> 16) & 0xffff) << 48);
    g[1] = target >> 32;
    ts_poke(TS_IDT + 16 * vec, g, 16);
}

/*
 * GDT: 0x08 kernel code 64, 0x10 kernel data, 0x18 user code 32 (SYSRET
 * base), 0x20 user data, 0x28 user code 64, 0x30 TSS (16 bytes).  IDT:
 * every vector an interrupt gate (DPL 0) to TS_HANDLER, vector 8 on IST1.
 * TSS: RSP0 = TS_STACK0, IST1 = TS_IST1.
 */
static void ts_tables(void)
{
    uint64_t gdt[8] = {
        0, 0x00af9b000000ffffull, 0x00cf93000000ffffull,
        0x00cffb000000ffffull, 0x00cff3000000ffffull,
        0x00affb000000ffffull, 0, 0
    };
    uint64_t tss_rsp0 = TS_STACK0, ist1 = TS_IST1;
    struct x86_cpu *c = &ts->cpu;
    unsigned v;

    gdt[6] = 0x67 | ((TS_TSS & 0xffffff) << 16) | (0x89ull << 40) |
             ((TS_TSS >> 24) << 56);
    ts_poke(TS_GDT, gdt, sizeof(gdt));
    ts_poke(TS_TSS + 4, &tss_rsp0, 8);
    ts_poke(TS_TSS + 0x24, &ist1, 8);
    for (v = 0; v < 256; v++) {
        ts_gate(v, TS_HANDLER, 0xe, 0, v == 8 ? 1 : 0);
    }
    ts_code(TS_HANDLER, "f4");              /* hlt */
    c->gdtr.base = TS_GDT;
    c->gdtr.limit = sizeof(gdt) - 1;
    c->idtr.base = TS_IDT;
    c->idtr.limit = 256 * 16 - 1;
    c->tr.sel = 0x30;
    c->tr.base = TS_TSS;
    c->tr.limit = 0x67;
    c->gpr[X86_REG_RSP] = 0x7000;
}

/* Step until the core halts (the handler) or `max` steps. */
static unsigned ts_run(unsigned max)
{
    return sim_x86_run(ts, max);
}

/* #PF on a read of an unmapped page: delivered through gate 14 with the
 * 64-bit frame SS, RSP, RFLAGS, CS, RIP, error code; CR2 = address. */
static void test_x86_sys_pf_frame(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    /* movabs rax, [0x200000000] */
    ts_code(TS_CODE, "48 a1 00 00 00 00 02 00 00 00");
    c->rflags |= X86_FL_CF;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->cr2, TS_UNMAPPED);
    CU_ASSERT_EQUAL(c->rip, TS_HANDLER + 1);
    CU_ASSERT_EQUAL(c->cpl, 0);
    /* RSP 0x7000 is 16-aligned: frame at 0x7000 - 48. */
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RSP], 0x7000 - 48);
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 8), 0x10);          /* SS */
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 16), 0x7000);       /* RSP */
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 24) & X86_FL_CF, X86_FL_CF);
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 32), 0x08);         /* CS */
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 40), TS_CODE);      /* faulting RIP */
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 48), 0);    /* read, not present, CPL 0 */
    CU_ASSERT_EQUAL(c->rflags & X86_RFLAGS_IF, 0);
    CU_ASSERT_EQUAL(c->st.delivered, 1);
    CU_ASSERT_EQUAL(ts->st.page_faults, 1);
}

/* Error codes: a write sets W; a user access sets U; a write to a
 * read-only page is a protection fault (P). */
static void test_x86_sys_pf_error_codes(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("inorder"), 0);
    c = &ts->cpu;
    ts_tables();
    /* movabs [0x200000000], rax: write, not present */
    ts_code(TS_CODE, "48 a3 00 00 00 00 02 00 00 00");
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 48), X86_PFEC_W);
    /* Make the 2-MiB page at 0x400000 read-only (clear PDE.W), then write
     * to it from CPL 0 with CR0.WP = 1: protection fault, P|W. */
    CU_ASSERT_EQUAL_FATAL(ts_open("inorder"), 0);
    c = &ts->cpu;
    ts_tables();
    {
        uint64_t pd = ts_peek64(ts_peek64(c->cr3) & ~0xfffull) & ~0xfffull;
        uint64_t e = ts_peek64(pd + 8 * 2);

        e &= ~2ull;
        ts_poke(pd + 8 * 2, &e, 8);
    }
    /* mov byte [0x400000], 1 */
    ts_code(TS_CODE, "c6 04 25 00 00 40 00 01");
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->cr2, 0x400000);
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 48), X86_PFEC_P | X86_PFEC_W);
}

/* A user-mode fault switches to TSS.RSP0 and pushes the user SS:RSP; the
 * error code has U. */
static void test_x86_sys_user_fault_stack_switch(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    /* At CPL 3: movabs rax, [0x200000000] */
    ts_code(TS_CODE, "48 a1 00 00 00 00 02 00 00 00");
    c->cpl = 3;
    c->seg[X86_SEG_CS].sel = 0x2b;
    c->seg[X86_SEG_CS].attr |= 3u << 5;
    c->seg[X86_SEG_SS].sel = 0x23;
    c->seg[X86_SEG_SS].attr |= 3u << 5;
    c->gpr[X86_REG_RSP] = 0x6ff8;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RSP], TS_STACK0 - 48);
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 8), 0x23);       /* user SS */
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 16), 0x6ff8);    /* user RSP */
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 32), 0x2b);      /* user CS */
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 48), X86_PFEC_U);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_SS].sel, 0);            /* null SS */
    /* IRETQ returns to CPL 3 and the faulting instruction. */
    ts_code(TS_HANDLER, "48 83 c4 08 48 cf");  /* add rsp, 8; iretq */
    c->rip = TS_HANDLER;
    c->halt = X86_RUNNING;
    CU_ASSERT_EQUAL(ts_run(2), SIM_X86_RUNNING);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->rip, TS_CODE);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RSP], 0x6ff8);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_CS].sel, 0x2b);
}

/* #PF while delivering #PF (the stack is unmapped) becomes #DF, delivered
 * on IST1; with no usable #DF gate the core shuts down. */
static void test_x86_sys_double_triple(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    ts_code(TS_CODE, "48 a1 00 00 00 00 02 00 00 00");
    c->gpr[X86_REG_RSP] = TS_UNMAPPED + 0x1000;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->st.double_faults, 1);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RSP], TS_IST1 - 48);
    CU_ASSERT_EQUAL(ts_peek64(TS_IST1 - 48), 0);       /* #DF error code */
    CU_ASSERT_EQUAL(ts_peek64(TS_IST1 - 40), TS_CODE);
    /* Same, with gate 8 not present: triple fault. */
    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    {
        uint64_t z[2] = { 0, 0 };

        ts_poke(TS_IDT + 16 * 8, z, 16);
    }
    ts_code(TS_CODE, "48 a1 00 00 00 00 02 00 00 00");
    c->gpr[X86_REG_RSP] = TS_UNMAPPED + 0x1000;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_SHUTDOWN);
    CU_ASSERT_EQUAL(c->halt, X86_SHUTDOWN);
    /* A shut-down core stays shut down. */
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_SHUTDOWN);
    /* UD2 with an empty IDT: #UD (benign) -> #GP -> #GP = #DF -> triple. */
    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_code(TS_CODE, "0f 0b");
    c->idtr.limit = 0;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_SHUTDOWN);
    CU_ASSERT_EQUAL(c->st.double_faults, 1);
}

/* INT n: a gate with DPL < CPL gives #GP(vector * 8 + 2); DPL 3 works
 * from CPL 3 and pushes the address after INT. */
static void test_x86_sys_int_n(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    ts_gate(0x80, TS_HANDLER + 0x10, 0xf, 3, 0);
    ts_code(TS_HANDLER + 0x10, "f4");
    ts_code(TS_CODE, "cd 80 cd 81");     /* int 0x80; int 0x81 */
    c->cpl = 3;
    c->seg[X86_SEG_CS].sel = 0x2b;
    c->seg[X86_SEG_SS].sel = 0x23;
    c->rflags |= X86_RFLAGS_IF;
    c->gpr[X86_REG_RSP] = 0x6000;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->rip, TS_HANDLER + 0x11);
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 40), TS_CODE + 2);  /* next RIP */
    /* Trap gate: IF stays set. */
    CU_ASSERT_NOT_EQUAL(c->rflags & X86_RFLAGS_IF, 0);
    /* Back at CPL 3 for INT 0x81 (gate DPL 0): #GP(0x81 * 8 + 2). */
    c->cpl = 3;
    c->seg[X86_SEG_CS].sel = 0x2b;
    c->rip = TS_CODE + 2;
    c->halt = X86_RUNNING;
    c->gpr[X86_REG_RSP] = 0x6000;
    CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 48), 0x81 * 8 + 2);
    CU_ASSERT_EQUAL(ts_peek64(TS_STACK0 - 40), TS_CODE + 2);  /* the INT */
}

/* MOV CR3 with CR4.PCIDE and bit 63 set switches address spaces without
 * invalidating: the next access must still use the new tables (a software
 * TLB that ignored the switch would return the old mapping). */
static void test_x86_sys_pcid_switch(void)
{
    static const char *const models[2] = { "functional", "inorder" };
    unsigned m;

    for (m = 0; m < 2; m++) {
        struct x86_cpu *c;
        uint8_t page[4096];
        uint64_t pml4, pdpt, pd, v, e;

        CU_ASSERT_EQUAL_FATAL(ts_open(models[m]), 0);
        c = &ts->cpu;
        pml4 = c->cr3 & ~0xfffull;
        pdpt = ts_peek64(pml4) & ~0xfffull;
        pd = ts_peek64(pdpt) & ~0xfffull;
        /* Space B: PML4 0x20000 -> PDPT 0x21000 -> PD 0x22000, a copy
         * of the identity map except 16 MiB -> 18 MiB. */
        sim_mem_read(ts->mem, pml4, page, sizeof(page));
        ts_poke(0x20000, page, sizeof(page));
        sim_mem_read(ts->mem, pdpt, page, sizeof(page));
        ts_poke(0x21000, page, sizeof(page));
        sim_mem_read(ts->mem, pd, page, sizeof(page));
        ts_poke(0x22000, page, sizeof(page));
        e = 0x21000 | 7;
        ts_poke(0x20000, &e, 8);
        e = 0x22000 | 7;
        ts_poke(0x21000, &e, 8);
        e = 0x1200000 | 0x87;
        ts_poke(0x22000 + 8 * 8, &e, 8);
        v = 0x1111;
        ts_poke(0x1000000, &v, 8);
        v = 0x2222;
        ts_poke(0x1200000, &v, 8);
        c->cr4 |= X86_CR4_PCIDE;
        c->gpr[X86_REG_RBX] = (1ull << 63) | 0x20000 | 1;     /* PCID 1 */
        /* mov rax, [0x1000000]; mov cr3, rbx; mov rcx, [0x1000000]; hlt */
        ts_code(TS_CODE, "48 8b 04 25 00 00 00 01 0f 22 db "
                         "48 8b 0c 25 00 00 00 01 f4");
        CU_ASSERT_EQUAL(ts_run(10), SIM_X86_HALTED);
        CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 0x1111);
        CU_ASSERT_EQUAL(c->gpr[X86_REG_RCX], 0x2222);
        CU_ASSERT_EQUAL(c->cr3, 0x20001);
    }
}

/* External interrupts: blocked while IF = 0 and for one instruction after
 * STI; delivered through the IDT with the address after HLT pushed; an
 * interrupt gate clears IF. */
static void test_x86_sys_interrupt(void)
{
    struct x86_exec_result r;
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    ts_code(TS_CODE, "fb f4");                 /* sti; hlt */
    CU_ASSERT_FALSE(x86_interrupt_ready(c));   /* IF = 0 */
    CU_ASSERT_EQUAL(x86_interrupt(c, 0x20), -1);
    CU_ASSERT_EQUAL(x86_step(c, &r), X86_EXEC_OK);
    CU_ASSERT_FALSE(x86_interrupt_ready(c));   /* STI shadow */
    CU_ASSERT_EQUAL(x86_step(c, &r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->halt, X86_HALTED);
    CU_ASSERT_TRUE(x86_interrupt_ready(c));
    CU_ASSERT_EQUAL(x86_interrupt(c, 0x20), 0);
    CU_ASSERT_EQUAL(c->halt, X86_RUNNING);
    CU_ASSERT_EQUAL(c->rip, TS_HANDLER);
    CU_ASSERT_EQUAL(ts_peek64(0x7000 - 40), TS_CODE + 2);   /* after HLT */
    CU_ASSERT_EQUAL(c->rflags & X86_RFLAGS_IF, 0);
    CU_ASSERT_EQUAL(c->st.interrupts, 1);
    CU_ASSERT_EQUAL(x86_interrupt(c, 0x21), -1);
}

/* Run one instruction at CPL 0 and return the vector it raised (or -1),
 * with exceptions reported rather than delivered. */
static int ts_one(const char *hex)
{
    struct x86_exec_result r;

    ts_code(TS_CODE, hex);
    ts->cpu.rip = TS_CODE;
    ts->cpu.deliver = false;
    (void)x86_step(&ts->cpu, &r);
    ts->cpu.deliver = true;
    return r.status == X86_EXEC_EXCEPTION ? r.vector : -1;
}

/* MOV to CR0/CR3/CR4 and WRMSR/RDMSR fault rules. */
static void test_x86_sys_cr_msr_rules(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    /* CR0: clearing PG in 64-bit mode, setting bits 63:32, NW without CD. */
    c->gpr[X86_REG_RAX] = c->cr0 & ~X86_CR0_PG;
    CU_ASSERT_EQUAL(ts_one("0f 22 c0"), X86_VEC_GP);
    c->gpr[X86_REG_RAX] = c->cr0 | (1ull << 32);
    CU_ASSERT_EQUAL(ts_one("0f 22 c0"), X86_VEC_GP);
    c->gpr[X86_REG_RAX] = c->cr0 | X86_CR0_NW;
    CU_ASSERT_EQUAL(ts_one("0f 22 c0"), X86_VEC_GP);
    c->gpr[X86_REG_RAX] = c->cr0 | X86_CR0_TS;
    CU_ASSERT_EQUAL(ts_one("0f 22 c0"), -1);
    CU_ASSERT_NOT_EQUAL(c->cr0 & X86_CR0_TS, 0);
    /* CR4: clearing PAE in long mode; a bit the model lacks (VMXE with
     * x86.vmx = false); PCIDE with CR3[11:0] != 0. */
    c->gpr[X86_REG_RAX] = c->cr4 & ~X86_CR4_PAE;
    CU_ASSERT_EQUAL(ts_one("0f 22 e0"), X86_VEC_GP);
    c->gpr[X86_REG_RAX] = c->cr4 | X86_CR4_VMXE;
    CU_ASSERT_EQUAL(ts_one("0f 22 e0"), X86_VEC_GP);
    c->cr3 |= 5;
    c->gpr[X86_REG_RAX] = c->cr4 | X86_CR4_PCIDE;
    CU_ASSERT_EQUAL(ts_one("0f 22 e0"), X86_VEC_GP);
    c->cr3 &= ~0xfffull;
    CU_ASSERT_EQUAL(ts_one("0f 22 e0"), -1);
    CU_ASSERT_NOT_EQUAL(c->cr4 & X86_CR4_PCIDE, 0);
    /* CR3 reserved bits 62:52. */
    c->gpr[X86_REG_RAX] = c->cr3 | (1ull << 60);
    CU_ASSERT_EQUAL(ts_one("0f 22 d8"), X86_VEC_GP);
    /* CR1, CR5: #UD. */
    CU_ASSERT_EQUAL(ts_one("0f 20 c8"), X86_VEC_UD);
    /* WRMSR: non-canonical LSTAR, reserved EFER bit, bad PAT type, an
     * unknown MSR; RDMSR of an unknown MSR. */
    c->gpr[X86_REG_RCX] = X86_MSR_LSTAR;
    c->gpr[X86_REG_RDX] = 0x00008000;
    c->gpr[X86_REG_RAX] = 0;
    CU_ASSERT_EQUAL(ts_one("0f 30"), X86_VEC_GP);
    c->gpr[X86_REG_RDX] = 0xffffffff;
    c->gpr[X86_REG_RAX] = 0x80001000;
    CU_ASSERT_EQUAL(ts_one("0f 30"), -1);
    CU_ASSERT_EQUAL(c->lstar, 0xffffffff80001000ull);
    c->gpr[X86_REG_RCX] = X86_MSR_EFER;
    c->gpr[X86_REG_RDX] = 0;
    c->gpr[X86_REG_RAX] = (uint32_t)(c->efer | (1u << 3));
    CU_ASSERT_EQUAL(ts_one("0f 30"), X86_VEC_GP);
    c->gpr[X86_REG_RCX] = X86_MSR_PAT;
    c->gpr[X86_REG_RAX] = 0x02;
    CU_ASSERT_EQUAL(ts_one("0f 30"), X86_VEC_GP);
    c->gpr[X86_REG_RCX] = 0x12345;
    CU_ASSERT_EQUAL(ts_one("0f 30"), X86_VEC_GP);
    CU_ASSERT_EQUAL(ts_one("0f 32"), X86_VEC_GP);
    /* RDMSR EFER: LME|LMA|NXE as entered. */
    c->gpr[X86_REG_RCX] = X86_MSR_EFER;
    CU_ASSERT_EQUAL(ts_one("0f 32"), -1);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX] &
                    (X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE),
                    X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE);
    /* At CPL 3 every one of them is #GP(0). */
    c->cpl = 3;
    CU_ASSERT_EQUAL(ts_one("0f 32"), X86_VEC_GP);
    CU_ASSERT_EQUAL(ts_one("0f 22 d8"), X86_VEC_GP);
    CU_ASSERT_EQUAL(ts_one("f4"), X86_VEC_GP);
}

/* CPUID answers come from [x86]; RDTSC counts core cycles. */
static void test_x86_sys_cpuid_tsc(void)
{
    struct x86_cpu *c;
    char vendor[13];

    CU_ASSERT_EQUAL_FATAL(ts_open("inorder"), 0);
    c = &ts->cpu;
    c->gpr[X86_REG_RAX] = 0;
    CU_ASSERT_EQUAL(ts_one("0f a2"), -1);
    memcpy(vendor, &c->gpr[X86_REG_RBX], 4);
    memcpy(vendor + 4, &c->gpr[X86_REG_RDX], 4);
    memcpy(vendor + 8, &c->gpr[X86_REG_RCX], 4);
    vendor[12] = '\0';
    CU_ASSERT_STRING_EQUAL(vendor, "GenuineIntel");
    c->gpr[X86_REG_RAX] = 1;
    CU_ASSERT_EQUAL(ts_one("0f a2"), -1);
    /* family 6, model 0x5e, stepping 3 */
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 0x506e3);
    c->gpr[X86_REG_RAX] = 0x80000001u;
    CU_ASSERT_EQUAL(ts_one("0f a2"), -1);
    CU_ASSERT_NOT_EQUAL(c->gpr[X86_REG_RDX] & (1u << 29), 0);     /* LM */
    /* A loop of 1000 instructions, then RDTSC: the TSC is the cycle
     * count, at least one per instruction. */
    ts_code(TS_CODE, "b9 f4 01 00 00 ff c9 75 fc 0f 31 f4");
    c->rip = TS_CODE;
    CU_ASSERT_EQUAL(ts_run(2000), SIM_X86_HALTED);
    CU_ASSERT(((c->gpr[X86_REG_RDX] << 32) | c->gpr[X86_REG_RAX]) >= 1000);
    CU_ASSERT(ts->core.st.insns >= 1000);
    CU_ASSERT_EQUAL(ts->core.st.cycles, ts->st.cycles);
}

/* SYSCALL and SYSRETQ load CS/SS from STAR, save RIP/RFLAGS in RCX/R11
 * and mask RFLAGS with SFMASK; SYSCALL with EFER.SCE = 0 is #UD. */
static void test_x86_sys_syscall(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    CU_ASSERT_EQUAL(ts_one("0f 05"), X86_VEC_UD);
    c->efer |= X86_EFER_SCE;
    c->star = 0x0018000800000000ull;
    c->lstar = TS_HANDLER;
    c->sfmask = X86_RFLAGS_IF | X86_RFLAGS_TF;
    c->cpl = 3;
    c->rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF | X86_FL_ZF;
    CU_ASSERT_EQUAL(ts_one("0f 05"), -1);
    CU_ASSERT_EQUAL(c->cpl, 0);
    CU_ASSERT_EQUAL(c->rip, TS_HANDLER);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RCX], TS_CODE + 2);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_R11] & X86_RFLAGS_IF, X86_RFLAGS_IF);
    CU_ASSERT_EQUAL(c->rflags & X86_RFLAGS_IF, 0);
    CU_ASSERT_NOT_EQUAL(c->rflags & X86_FL_ZF, 0);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_CS].sel, 0x08);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_SS].sel, 0x10);
    /* SYSRETQ to a non-canonical RCX: #GP(0) at CPL 0. */
    c->gpr[X86_REG_RCX] = 0x0000800000000000ull;
    CU_ASSERT_EQUAL(ts_one("48 0f 07"), X86_VEC_GP);
    c->gpr[X86_REG_RCX] = 0x1234;
    CU_ASSERT_EQUAL(ts_one("48 0f 07"), -1);
    CU_ASSERT_EQUAL(c->cpl, 3);
    CU_ASSERT_EQUAL(c->rip, 0x1234);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_CS].sel, 0x2b);
    CU_ASSERT_EQUAL(c->seg[X86_SEG_SS].sel, 0x23);
    CU_ASSERT_EQUAL(c->mode, X86_MODE_64);
    /* At CPL 3 SYSRET is #GP(0). */
    CU_ASSERT_EQUAL(ts_one("48 0f 07"), X86_VEC_GP);
}

/* LGDT/SGDT round trip; LTR loads TR and marks the descriptor busy; MOV
 * to DS checks the descriptor (a code segment that is not readable, or
 * beyond the limit, is #GP(selector)). */
static void test_x86_sys_descriptors(void)
{
    struct x86_cpu *c;
    uint8_t pd[10] = { 0x3f, 0x00, 0x00, 0x30, 0, 0, 0, 0, 0, 0 };
    uint64_t d;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    ts_tables();
    ts_poke(0x6000, pd, sizeof(pd));
    c->gpr[X86_REG_RAX] = 0x6000;
    c->gdtr.base = 0;
    c->gdtr.limit = 0;
    CU_ASSERT_EQUAL(ts_one("0f 01 10"), -1);               /* lgdt [rax] */
    CU_ASSERT_EQUAL(c->gdtr.base, TS_GDT);
    CU_ASSERT_EQUAL(c->gdtr.limit, 0x3f);
    c->gpr[X86_REG_RBX] = 0x6100;
    CU_ASSERT_EQUAL(ts_one("0f 01 03"), -1);               /* sgdt [rbx] */
    CU_ASSERT_EQUAL(ts_peek64(0x6100) & 0xffff, 0x3f);
    CU_ASSERT_EQUAL(ts_peek64(0x6102), TS_GDT);
    c->gpr[X86_REG_RAX] = 0x30;
    CU_ASSERT_EQUAL(ts_one("0f 00 d8"), -1);               /* ltr ax */
    CU_ASSERT_EQUAL(c->tr.sel, 0x30);
    CU_ASSERT_EQUAL(c->tr.base, TS_TSS);
    d = ts_peek64(TS_GDT + 0x30);
    CU_ASSERT_EQUAL((d >> 40) & 0xf, 0xb);                 /* busy */
    CU_ASSERT_EQUAL(ts_one("0f 00 d8"), X86_VEC_GP);       /* busy now */
    c->gpr[X86_REG_RAX] = 0x20;
    CU_ASSERT_EQUAL(ts_one("8e d8"), -1);                  /* mov ds, ax */
    CU_ASSERT_EQUAL(c->seg[X86_SEG_DS].sel, 0x20);
    CU_ASSERT_EQUAL(X86_SEG_DPL(c->seg[X86_SEG_DS].attr), 3);
    c->gpr[X86_REG_RAX] = 0x48;                            /* past limit */
    CU_ASSERT_EQUAL(ts_one("8e d8"), X86_VEC_GP);
    c->gpr[X86_REG_RAX] = 0x10;
    c->cpl = 3;                         /* DPL 0 data from CPL 3 */
    CU_ASSERT_EQUAL(ts_one("8e d8"), X86_VEC_GP);
}

/* Port I/O reaches the devices: COM1's LSR says the transmitter is empty,
 * and a write to port 0xF4 ends the run with (v << 1) | 1. */
static void test_x86_sys_port_io(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    /* mov dx, 0x3fd; in al, dx; mov eax, 0x21; out 0xf4, eax */
    ts_code(TS_CODE, "66 ba fd 03 ec 89 c3 b8 21 00 00 00 e7 f4 f4");
    CU_ASSERT_EQUAL(ts_run(100), SIM_X86_EXITED);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RBX] & 0x20, 0x20);     /* THRE */
    CU_ASSERT_EQUAL(ts->dbg.status, (0x21 << 1) | 1);
    CU_ASSERT_EQUAL(ts->st.exit_status, (0x21 << 1) | 1);
}

/* Self-modifying code: a store over an instruction already executed
 * (and predecoded) is seen the next time through. */
static void test_x86_sys_smc(void)
{
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
    c = &ts->cpu;
    /*  0: mov eax, 1              b8 01 00 00 00
     *  5: cmp ebx, 1              83 fb 01
     *  8: je 22                   74 0c
     * 10: mov byte [0x100001], 2  c6 04 25 01 00 10 00 02 (patches the
     *                             immediate at 1)
     * 18: inc ebx                 ff c3
     * 20: jmp 0                   eb ea
     * 22: hlt                     f4 */
    ts_code(TS_CODE, "b8 01 00 00 00 83 fb 01 74 0c c6 04 25 01 00 10 00 "
                     "02 ff c3 eb ea f4");
    CU_ASSERT_EQUAL(ts_run(100), SIM_X86_HALTED);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 2);
}

/* Random bytes as code at CPL 0, with the IDT live: every step ends in an
 * architectural outcome; the run never crashes (sanitizer builds check
 * memory safety).  Each round re-enters from a fresh random page. */
static void test_x86_sys_random_code(void)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    unsigned round, k;
    unsigned outcomes[5] = { 0 };

    CU_ASSERT_EQUAL_FATAL(ts_open("inorder"), 0);
    for (round = 0; round < 400; round++) {
        uint8_t page[4096];
        unsigned st;

        for (k = 0; k < sizeof(page); k++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            page[k] = (uint8_t)s;
        }
        if (round % 50 == 0) {
            CU_ASSERT_EQUAL_FATAL(ts_open(round % 100 ? "functional"
                                                      : "inorder"), 0);
            ts_tables();
        }
        ts_poke(TS_CODE, page, sizeof(page));
        ts->cpu.rip = TS_CODE + (s & 0x7ff);
        ts->cpu.halt = X86_RUNNING;
        ts->cpu.gpr[X86_REG_RSP] = 0x7000;
        for (k = 0; k < 16; k++) {
            if (k != X86_REG_RSP) {
                ts->cpu.gpr[k] = (k & 1) ? s * (k + 1) : 0x10000 + 8 * k;
            }
        }
        st = sim_x86_run(ts, 500);
        CU_ASSERT(st <= SIM_X86_LIMIT);
        outcomes[st]++;
        if (st == SIM_X86_SHUTDOWN || st == SIM_X86_EXITED) {
            CU_ASSERT_EQUAL_FATAL(ts_open("functional"), 0);
            ts_tables();
        }
    }
    /* The mix is not degenerate: some rounds ran their budget or halted. */
    CU_ASSERT(outcomes[SIM_X86_RUNNING] + outcomes[SIM_X86_HALTED] > 0);
}

static int ts_cleanup(void)
{
    sim_x86_free(ts);
    ts = NULL;
    sim_cfg_free(ts_cfg);
    ts_cfg = NULL;
    return 0;
}

int test_x86_sys_register(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        { "pf_frame", test_x86_sys_pf_frame },
        { "pf_error_codes", test_x86_sys_pf_error_codes },
        { "user_fault_stack_switch", test_x86_sys_user_fault_stack_switch },
        { "double_triple", test_x86_sys_double_triple },
        { "int_n", test_x86_sys_int_n },
        { "interrupt", test_x86_sys_interrupt },
        { "pcid_switch", test_x86_sys_pcid_switch },
        { "cr_msr_rules", test_x86_sys_cr_msr_rules },
        { "cpuid_tsc", test_x86_sys_cpuid_tsc },
        { "syscall", test_x86_sys_syscall },
        { "descriptors", test_x86_sys_descriptors },
        { "port_io", test_x86_sys_port_io },
        { "smc", test_x86_sys_smc },
        { "random_code", test_x86_sys_random_code },
    };
    CU_pSuite s = CU_add_suite("x86_sys", NULL, ts_cleanup);
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
