/*
 * test_vmx_exec.c - VMX operation on the x86 platform (vmx-model/
 * vmx_cpu.c through sim_x86): the VMX instructions' outcomes, VM entry
 * and its failures, VM exits with their information fields, guest and
 * host state, EPT violations, and the exit records.
 *
 * Each test starts from the ELF64 entry state (64-bit mode, CPL 0,
 * identity map of 4 GiB) with [x86] vmx = true and the Skylake-like
 * [vmx] defaults.  Host code runs at TV_HOST, guest code at TV_GUEST;
 * tv_vmcs_setup() makes the current VMCS describe a 64-bit guest that
 * shares the host's segments and page tables, as a minimal VMM does.
 */
#include "config.h"

#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "test_suites.h"
#include "sim/sim_machine.h"
#include "sim/sim_x86.h"

#define TV_HOST    0x100000ull
#define TV_GUEST   0x110000ull
#define TV_VMXON   0x120000ull
#define TV_VMCS    0x121000ull
#define TV_VMCS2   0x122000ull
#define TV_IOBM_A  0x123000ull
#define TV_IOBM_B  0x124000ull
#define TV_MSRBM   0x125000ull
#define TV_MSRLIST 0x126000ull
#define TV_EPT     0x130000ull  /* PML4, PDPT, PD x4: 0x130000-0x135fff */
#define TV_TSS     0x140000ull
#define TV_GSTACK  0x150000ull
#define TV_HSTACK  0x160000ull
#define TV_IDT     0x170000ull  /* a guest IDT (tv_gate) */
#define TV_VAPIC   0x171000ull  /* a virtual-APIC page */

static struct sim_machine_cfg tv_mc;
static struct sim_cfg *tv_cfg;
static struct sim_x86 *tv;

/* Exit records seen through the trace sink. */
static struct sim_exit_event tv_ex[16];
static unsigned tv_nex;

static void tv_on_exit(void *ctx, const struct sim_exit_event *ev)
{
    (void)ctx;
    if (tv_nex < 16) {
        tv_ex[tv_nex] = *ev;
    }
    tv_nex++;
}

static const struct sim_trace tv_trace = { NULL, NULL, tv_on_exit };

static int tv_open_with(const char *extra)
{
    char o[5][64] = { "x86.serial=none", "x86.ram=64M", "x86.vmx=true",
                      "core.model=inorder", "" };
    char err[256];
    int i;

    snprintf(o[4], sizeof(o[4]), "%s", extra != NULL ? extra : "");
    sim_x86_free(tv);
    tv = NULL;
    sim_cfg_free(tv_cfg);
    tv_cfg = sim_cfg_new();
    tv_nex = 0;
    if (tv_cfg == NULL || sim_machine_declare(tv_cfg) != 0) {
        return -1;
    }
    for (i = 0; i < 5; i++) {
        if (o[i][0] != '\0' && sim_cfg_override(tv_cfg, o[i], "test") != 0) {
            return -1;
        }
    }
    if (sim_machine_load(tv_cfg, &tv_mc) != 0 ||
        sim_x86_new(&tv, &tv_mc, NULL, &tv_trace, NULL, err,
                    sizeof(err)) != 0 ||
        sim_x86_enter_long(tv, TV_HOST) != 0) {
        return -1;
    }
    /* A busy 64-bit TSS in TR: VM entry wants a usable TR on both sides
     * (reference A8.4, A8.5). */
    tv->cpu.tr.sel = 0x18;
    tv->cpu.tr.base = TV_TSS;
    tv->cpu.tr.limit = 0x67;
    tv->cpu.tr.attr = 0xb | X86_SEG_ATTR_P;
    tv->cpu.ldtr.attr = X86_SEG_ATTR_UNUSABLE;
    tv->cpu.gpr[X86_REG_RSP] = TV_HSTACK;
    return 0;
}

static int tv_open(void)
{
    return tv_open_with(NULL);
}

static void tv_poke(uint64_t pa, const void *b, size_t n)
{
    uint64_t p;

    CU_ASSERT_EQUAL_FATAL(sim_mem_write(tv->mem, pa, b, n), 0);
    for (p = pa & ~0xfffull; p < pa + n; p += 0x1000) {
        x86_pcache_invalidate_page(tv->pcache, p);
    }
}

static void tv_poke32(uint64_t pa, uint32_t v)
{
    tv_poke(pa, &v, 4);
}

static void tv_poke64(uint64_t pa, uint64_t v)
{
    tv_poke(pa, &v, 8);
}

/* Code from "0f a2 f4 ..." */
static void tv_code(uint64_t at, const char *hex)
{
    uint8_t b[128];
    size_t n = 0;
    unsigned v;
    int k;

    while (n < sizeof(b) && sscanf(hex, " %2x%n", &v, &k) == 1) {
        b[n++] = (uint8_t)v;
        hex += k;
    }
    tv_poke(at, b, n);
}

/* One instruction; returns the step status. */
static int tv_step(struct x86_exec_result *r)
{
    return x86_step(&tv->cpu, r);
}

static uint64_t tv_fl(void)
{
    return tv->cpu.rflags & X86_FL_ARITH;
}

static uint64_t tv_get(enum vmx_field f)
{
    return vmx_vmcs_get(&tv->vmx.vmcs, f);
}

static void tv_set(enum vmx_field f, uint64_t v)
{
    vmx_vmcs_set(&tv->vmx.vmcs, f, v);
}

/* Enable VMX the way system software does: CR4.VMXE, FEATURE_CONTROL
 * lock + outside-SMX (done directly), then VMXON [rax]. */
static void tv_vmxon(void)
{
    struct x86_exec_result r;

    tv->cpu.cr4 |= X86_CR4_VMXE;
    tv->cpu.feature_control = 5;
    tv_poke32(TV_VMXON, tv->vmx.m.revision_id);
    tv_code(TV_HOST, "f3 0f c7 30");            /* vmxon [rax] */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 64;
    tv_poke64(TV_HSTACK - 64, TV_VMXON);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_TRUE(tv->vmx.on);
}

/* VMCLEAR + VMPTRLD of TV_VMCS. */
static void tv_vmptrld(void)
{
    struct x86_exec_result r;

    tv_poke32(TV_VMCS, tv->vmx.m.revision_id);
    tv_poke64(TV_HSTACK - 64, TV_VMCS);
    tv_code(TV_HOST, "66 0f c7 30 0f c7 30");   /* vmclear, vmptrld */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 64;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_EQUAL(tv->vmx.cur, TV_VMCS);
}

static uint32_t tv_ctls(enum vmx_ctlset set, uint32_t want)
{
    struct vmx_ctl_caps k = vmx_model_ctls(&tv->vmx.m, set);

    return (k.allowed0 | want) & k.allowed1;
}

/* A 64-bit guest at TV_GUEST sharing the host's state; the host resumes
 * at TV_HOST + 0x40 on every exit. */
static void tv_vmcs_setup(uint32_t proc, uint32_t proc2)
{
    const struct x86_cpu *c = &tv->cpu;
    unsigned i;
    static const enum vmx_field hsel[6] = {
        VMX_FIELD_HOST_ES_SELECTOR, VMX_FIELD_HOST_CS_SELECTOR,
        VMX_FIELD_HOST_SS_SELECTOR, VMX_FIELD_HOST_DS_SELECTOR,
        VMX_FIELD_HOST_FS_SELECTOR, VMX_FIELD_HOST_GS_SELECTOR
    };

    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, 0));
    tv_set(VMX_FIELD_PROC_CTLS,
           tv_ctls(VMX_CTLSET_PROC,
                   proc | (proc2 ? VMX_BIT(VMX_CTL_PROC_SECONDARY) : 0)));
    tv_set(VMX_FIELD_PROC2_CTLS, tv_ctls(VMX_CTLSET_PROC2, proc2));
    tv_set(VMX_FIELD_EXIT_CTLS,
           tv_ctls(VMX_CTLSET_EXIT, VMX_BIT(VMX_CTL_EXIT_HOST_ADDR_SPACE)));
    tv_set(VMX_FIELD_ENTRY_CTLS,
           tv_ctls(VMX_CTLSET_ENTRY, VMX_BIT(VMX_CTL_ENTRY_IA32E_GUEST)));
    tv_set(VMX_FIELD_CR3_TARGET_COUNT, 0);
    tv_set(VMX_FIELD_VMCS_LINK_POINTER, ~0ull);
    /* host */
    tv_set(VMX_FIELD_HOST_CR0, c->cr0);
    tv_set(VMX_FIELD_HOST_CR3, c->cr3);
    tv_set(VMX_FIELD_HOST_CR4, c->cr4);
    for (i = 0; i < 6; i++) {
        tv_set(hsel[i], c->seg[i].sel & 0xfff8);
    }
    tv_set(VMX_FIELD_HOST_TR_SELECTOR, c->tr.sel);
    tv_set(VMX_FIELD_HOST_TR_BASE, c->tr.base);
    tv_set(VMX_FIELD_HOST_GDTR_BASE, c->gdtr.base);
    tv_set(VMX_FIELD_HOST_IDTR_BASE, c->idtr.base);
    tv_set(VMX_FIELD_HOST_RSP, TV_HSTACK);
    tv_set(VMX_FIELD_HOST_RIP, TV_HOST + 0x40);
    /* guest */
    tv_set(VMX_FIELD_GUEST_CR0, c->cr0);
    tv_set(VMX_FIELD_GUEST_CR3, c->cr3);
    tv_set(VMX_FIELD_GUEST_CR4, c->cr4);
    tv_set(VMX_FIELD_GUEST_DR7, 0x400);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 2);
    tv_set(VMX_FIELD_GUEST_RSP, TV_GSTACK);
    tv_set(VMX_FIELD_GUEST_RIP, TV_GUEST);
    tv_set(VMX_FIELD_GUEST_EFER, c->efer);
    {
        static const enum vmx_field sel[8] = {
            VMX_FIELD_GUEST_ES_SELECTOR, VMX_FIELD_GUEST_CS_SELECTOR,
            VMX_FIELD_GUEST_SS_SELECTOR, VMX_FIELD_GUEST_DS_SELECTOR,
            VMX_FIELD_GUEST_FS_SELECTOR, VMX_FIELD_GUEST_GS_SELECTOR,
            VMX_FIELD_GUEST_LDTR_SELECTOR, VMX_FIELD_GUEST_TR_SELECTOR
        };
        static const enum vmx_field lim[8] = {
            VMX_FIELD_GUEST_ES_LIMIT, VMX_FIELD_GUEST_CS_LIMIT,
            VMX_FIELD_GUEST_SS_LIMIT, VMX_FIELD_GUEST_DS_LIMIT,
            VMX_FIELD_GUEST_FS_LIMIT, VMX_FIELD_GUEST_GS_LIMIT,
            VMX_FIELD_GUEST_LDTR_LIMIT, VMX_FIELD_GUEST_TR_LIMIT
        };
        static const enum vmx_field ar[8] = {
            VMX_FIELD_GUEST_ES_AR, VMX_FIELD_GUEST_CS_AR,
            VMX_FIELD_GUEST_SS_AR, VMX_FIELD_GUEST_DS_AR,
            VMX_FIELD_GUEST_FS_AR, VMX_FIELD_GUEST_GS_AR,
            VMX_FIELD_GUEST_LDTR_AR, VMX_FIELD_GUEST_TR_AR
        };
        static const enum vmx_field base[8] = {
            VMX_FIELD_GUEST_ES_BASE, VMX_FIELD_GUEST_CS_BASE,
            VMX_FIELD_GUEST_SS_BASE, VMX_FIELD_GUEST_DS_BASE,
            VMX_FIELD_GUEST_FS_BASE, VMX_FIELD_GUEST_GS_BASE,
            VMX_FIELD_GUEST_LDTR_BASE, VMX_FIELD_GUEST_TR_BASE
        };

        for (i = 0; i < 8; i++) {
            const struct x86_seg *s = i < 6 ? &c->seg[i]
                                    : i == 6 ? &c->ldtr : &c->tr;
            uint32_t a = s->attr | (s->sel == 0 && i != 1 && i != 7
                                        ? X86_SEG_ATTR_UNUSABLE : 0);

            if (i < 6 && s->sel != 0) {
                a |= 1;             /* accessed */
            }
            tv_set(sel[i], s->sel);
            tv_set(lim[i], s->limit);
            tv_set(ar[i], a);
            tv_set(base[i], s->base);
        }
    }
    tv_set(VMX_FIELD_GUEST_GDTR_BASE, c->gdtr.base);
    tv_set(VMX_FIELD_GUEST_GDTR_LIMIT, c->gdtr.limit);
    tv_set(VMX_FIELD_GUEST_IDTR_BASE, c->idtr.base);
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, c->idtr.limit);
    tv_set(VMX_FIELD_GUEST_ACTIVITY_STATE, 0);
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 0);
}

/* From VMX root at CPL 0: VMXON, VMPTRLD, the VMCS, then VMLAUNCH at
 * TV_HOST (the host's exit handler at TV_HOST + 0x40 is HLT). */
static void tv_launch(uint32_t proc, uint32_t proc2, const char *guest)
{
    struct x86_exec_result r;

    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(proc, proc2);
    tv_code(TV_GUEST, guest);
    tv_code(TV_HOST, "0f 01 c2");               /* vmlaunch */
    tv_code(TV_HOST + 0x40, "f4");              /* exit handler: hlt */
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(r.switched);
    if (!tv->cpu.nonroot) {
        enum vmx_entry_outcome o;
        struct vmx_entry_result res;

        o = vmx_entry_check(&tv->vmx.vmcs, &tv->vmx.m, &tv->vmx.facts,
                            &res);
        fprintf(stderr, "\nentry failed: outcome %d rule %s error %u\n", o,
                vmx_check_info[res.rule].id,
                (unsigned)tv_get(VMX_FIELD_VM_INSN_ERROR));
    }
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_GUEST);
}

/* A 64-bit interrupt gate (type 14, DPL 0, present, CS 0x08) for `vec`
 * in the IDT at TV_IDT, to `handler`; the guest uses that IDT. */
static void tv_gate(unsigned vec, uint64_t handler)
{
    uint64_t lo = (handler & 0xffff) | (0x08ull << 16) | (0x8eull << 40) |
                  ((handler >> 16 & 0xffff) << 48);

    tv_poke64(TV_IDT + 16ull * vec, lo);
    tv_poke64(TV_IDT + 16ull * vec + 8, handler >> 32);
    tv_set(VMX_FIELD_GUEST_IDTR_BASE, TV_IDT);
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, 0xfff);
}

/* VMXON, VMPTRLD and the VMCS of a guest running `guest`, without the
 * VMLAUNCH (the caller adjusts fields first, then tv_enter). */
static void tv_prepare(uint32_t proc, uint32_t proc2, const char *guest)
{
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(proc, proc2);
    tv_code(TV_GUEST, guest);
}

/* VMLAUNCH (launch) or VMRESUME at TV_HOST; the exit handler at
 * TV_HOST + 0x40 is VMRESUME, so each further tv_step after an exit
 * resumes the guest. */
static void tv_enter(bool launch)
{
    struct x86_exec_result r;

    tv_code(TV_HOST, launch ? "0f 01 c2" : "0f 01 c3");
    tv_code(TV_HOST + 0x40, "0f 01 c3");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(r.switched);
}

/* Step the guest until it exits (at most `n` steps). */
static void tv_run_to_exit(unsigned n)
{
    struct x86_exec_result r;

    while (n-- > 0 && tv->cpu.nonroot) {
        tv_step(&r);
    }
    CU_ASSERT_FALSE(tv->cpu.nonroot);
}

/* ---- VMX instructions in root operation ---------------------------- */

static void test_vmxon_rules(void)
{
    struct x86_exec_result r;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_code(TV_HOST, "f3 0f c7 30");
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 64;
    tv_poke64(TV_HSTACK - 64, TV_VMXON);
    tv_poke32(TV_VMXON, tv->vmx.m.revision_id);
    /* CR4.VMXE = 0: #UD */
    tv->cpu.deliver = false;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    /* FEATURE_CONTROL not locked: #GP(0) */
    tv->cpu.cr4 |= X86_CR4_VMXE;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* CR0.NE clear violates CR0_FIXED0: #GP */
    tv->cpu.feature_control = 5;
    tv->cpu.cr0 &= ~X86_CR0_NE;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    tv->cpu.cr0 |= X86_CR0_NE;
    /* wrong revision: VMfailInvalid */
    tv_poke32(TV_VMXON, tv->vmx.m.revision_id + 1);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    CU_ASSERT_FALSE(tv->vmx.on);
    /* unaligned region: VMfailInvalid */
    tv->cpu.rip = TV_HOST;
    tv_poke32(TV_VMXON, tv->vmx.m.revision_id);
    tv_poke64(TV_HSTACK - 64, TV_VMXON + 8);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    /* success, then CR4.VMXE cannot be cleared (CR4_FIXED0) */
    tv->cpu.rip = TV_HOST;
    tv_poke64(TV_HSTACK - 64, TV_VMXON);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_TRUE(tv->vmx.on);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 4);
    tv_code(TV_HOST + 4, "0f 22 e0");           /* mov cr4, rax */
    tv->cpu.gpr[X86_REG_RAX] = tv->cpu.cr4 & ~X86_CR4_VMXE;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* VMXON again with no current VMCS: VMfailInvalid */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 64;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    /* CPL 3: #GP */
    tv->cpu.rip = TV_HOST;
    tv->cpu.cpl = 3;
    tv_code(TV_HOST, "0f c7 30");
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
}

static void test_vmptrld_vmread_vmwrite(void)
{
    struct x86_exec_result r;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    /* VMREAD with no current VMCS: VMfailInvalid */
    tv_code(TV_HOST, "0f 78 c8");               /* vmread rax, rcx */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RCX] = 0x681e;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    /* VMPTRLD of the VMXON region: VMfailInvalid (no current VMCS) */
    tv_code(TV_HOST, "0f c7 30");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 64;
    tv_poke64(TV_HSTACK - 64, TV_VMXON);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    tv_vmptrld();
    /* VMWRITE guest RIP then VMREAD it back */
    tv_code(TV_HOST, "0f 79 c8 0f 78 da");      /* vmwrite rcx,rax; vmread rdx,rbx */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RCX] = 0x681e;
    tv->cpu.gpr[X86_REG_RAX] = 0x123456789ull;
    tv->cpu.gpr[X86_REG_RBX] = 0x681e;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv->cpu.gpr[X86_REG_RDX], 0x123456789ull);
    /* unsupported encoding: VMfailValid(12) */
    tv_code(TV_HOST, "0f 78 c8");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RCX] = 0x7ffe;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 12);
    /* write to a read-only field: allowed with IA32_VMX_MISC[29] (the
     * Skylake-like default), else VMfailValid(13) */
    tv_code(TV_HOST, "0f 79 c8");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RCX] = 0x4402;          /* exit reason */
    CU_ASSERT_TRUE(tv->vmx.m.vmwrite_any);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    tv->vmx.m.vmwrite_any = false;
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 13);
    /* VMPTRST stores the current pointer; VMCLEAR writes the VMCS back
     * to memory (launch state clear) and leaves no current VMCS */
    tv_code(TV_HOST, "0f c7 38 66 0f c7 38");   /* vmptrst [rax]; vmclear [rax] */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = TV_HSTACK - 128;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    {
        uint64_t p = 0;

        sim_mem_read(tv->mem, TV_HSTACK - 128, &p, 8);
        CU_ASSERT_EQUAL(p, TV_VMCS);
    }
    tv_code(TV_HOST + 3, "66 0f c7 30");
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
    CU_ASSERT_EQUAL(tv->vmx.cur, ~0ull);
    {
        struct vmx_vmcs back;
        uint8_t img[VMX_VMCS_IMAGE_SIZE];
        uint64_t rip = 0;

        sim_mem_read(tv->mem, TV_VMCS, img, sizeof(img));
        CU_ASSERT_EQUAL(vmx_vmcs_from_image(&back, img, sizeof(img)), 0);
        CU_ASSERT_EQUAL(vmx_vmcs_read(&back, NULL, 0x681e, &rip), 0);
        CU_ASSERT_EQUAL(rip, 0x123456789ull);
    }
    /* VMCALL in root operation: VMfailInvalid without a current VMCS */
    tv_code(TV_HOST, "0f 01 c1");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_CF);
    /* VMXOFF leaves VMX operation: VMPTRLD is #UD again */
    tv_code(TV_HOST, "0f 01 c4 0f c7 30");
    tv->cpu.rip = TV_HOST;
    tv->cpu.deliver = false;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->vmx.on);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
}

/* ---- VM entry -------------------------------------------------------- */

static void test_entry_failures(void)
{
    struct x86_exec_result r;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_code(TV_HOST, "0f 01 c3");               /* vmresume */
    tv->cpu.rip = TV_HOST;
    /* VMRESUME of a clear VMCS: VMfailValid(5) */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 5);
    /* a pin-based bit that must be 1 cleared: VMfailValid(7) */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv_set(VMX_FIELD_PIN_CTLS, 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 7);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    /* host RIP not canonical: VMfailValid(8) */
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_HOST_RIP, 0x0000800000000000ull);
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 8);
    /* bad guest state (RFLAGS bit 1 clear): exit 33 | 0x80000000 to the
     * host, RFLAGS 2, no guest state saved */
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0);
    tv_code(TV_HOST + 0x40, "f4");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(r.switched);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), 0x80000021u);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 0x40);
    CU_ASSERT_EQUAL(tv->cpu.rflags, 2);
    CU_ASSERT_EQUAL(tv->vmx.st.entry_fail_exit, 1);
    /* MSR-load list naming an x2APIC MSR: exit 34 | 0x80000000, qual 1 */
    tv_vmcs_setup(0, 0);
    tv_poke32(TV_MSRLIST, 0x808);
    tv_poke32(TV_MSRLIST + 4, 0);
    tv_poke64(TV_MSRLIST + 8, 0);
    tv_set(VMX_FIELD_ENTRY_MSR_LOAD_ADDR, TV_MSRLIST);
    tv_set(VMX_FIELD_ENTRY_MSR_LOAD_COUNT, 1);
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), 0x80000022u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 1);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
}

/* ---- VM exits -------------------------------------------------------- */

static void test_exit_cpuid_and_resume(void)
{
    struct x86_exec_result r;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    /* guest: mov eax, 7; cpuid; vmcall */
    tv_launch(0, 0, "b8 07 00 00 00 0f a2 0f 01 c1");
    tv_run_to_exit(4);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 2);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 5);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RSP), TV_GSTACK);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 0x40);
    CU_ASSERT_EQUAL(tv->cpu.gpr[X86_REG_RSP], TV_HSTACK);
    CU_ASSERT_EQUAL(tv->cpu.gpr[X86_REG_RAX], 7);   /* CPUID did not run */
    CU_ASSERT_EQUAL(tv->cpu.rflags, 2);
    CU_ASSERT_EQUAL(tv->cpu.dr[7], 0x400);
    CU_ASSERT_EQUAL(tv->cpu.gdtr.limit, 0xffff);
    CU_ASSERT_EQUAL(tv->cpu.tr.limit, 0x67);
    CU_ASSERT_EQUAL(tv->vmx.st.by_reason[VMX_EXIT_CPUID], 1);
    /* The VMM skips the instruction and resumes: the guest's VMCALL
     * exits next (reason 18). */
    tv_set(VMX_FIELD_GUEST_RIP, tv_get(VMX_FIELD_GUEST_RIP) +
                                tv_get(VMX_FIELD_EXIT_INSN_LEN));
    tv_code(TV_HOST + 0x40, "0f 01 c3");        /* vmresume */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_GUEST + 7);
    tv_run_to_exit(2);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_VMCALL);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 3);
    /* The first exit's record was logged at the resume, with every part
     * of its round trip. */
    CU_ASSERT_EQUAL_FATAL(tv_nex, 1);
    CU_ASSERT_EQUAL(tv_ex[0].reason, VMX_EXIT_CPUID);
    CU_ASSERT_STRING_EQUAL(tv_ex[0].arch, "vmx");
    CU_ASSERT_STRING_EQUAL(tv_ex[0].reason_name, "CPUID");
    CU_ASSERT_EQUAL(tv_ex[0].guest_rip, TV_GUEST + 5);
    CU_ASSERT_TRUE(tv_ex[0].exit_cycles > 0);
    CU_ASSERT_TRUE(tv_ex[0].entry_cycles > 0);
    CU_ASSERT_TRUE(tv_ex[0].exit_cost[SIM_EXIT_UCODE] ==
                   tv_mc.vmx_cost.exit_ucode);
    CU_ASSERT_TRUE(tv_ex[0].entry_cost[SIM_EXIT_CHECKS] ==
                   tv_mc.vmx_cost.entry_checks);
    /* no VPID: the TLBs are flushed both ways */
    CU_ASSERT_EQUAL(tv_ex[0].exit_cost[SIM_EXIT_TLB],
                    tv_mc.vmx_cost.tlb_flush);
    /* The world-switch cycles are in the CPI stack. */
    CU_ASSERT_TRUE(tv->core.st.cpi[SIM_CPI_VIRT] >=
                   tv_ex[0].exit_cycles + tv_ex[0].entry_cycles);
    /* VMLAUNCH of the launched VMCS: VMfailValid(4) */
    tv_code(TV_HOST + 0x40, "0f 01 c2");
    tv->cpu.rip = TV_HOST + 0x40;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 4);
}

static void test_exit_hlt_io_msr(void)
{
    uint8_t ones = 0xff;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    /* HLT exiting */
    tv_launch(VMX_BIT(VMX_CTL_PROC_HLT_EXITING), 0, "f4");
    tv_run_to_exit(2);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_HLT);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 1);

    /* I/O bitmaps: port 0x80 passes, port 0x3f8 exits (bitmap A) */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_poke(TV_IOBM_A + (0x3f8 >> 3), &ones, 1);
    tv_vmxon();
    tv_vmptrld();
    tv_set(VMX_FIELD_IO_BITMAP_A, TV_IOBM_A);
    tv_set(VMX_FIELD_IO_BITMAP_B, TV_IOBM_B);
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_IO_BITMAPS), 0);
    tv_code(TV_GUEST, "e6 80 66 ba f8 03 ee");  /* out 0x80,al; mov dx,0x3f8; out dx,al */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    }
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    tv_run_to_exit(4);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_IO_INSTRUCTION);
    /* size 1 (0), OUT (bit 3 = 0), DX (bit 6 = 0), port 0x3f8 */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0x3f80000ull);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 6);

    /* MSR bitmaps: RDMSR of 0x10 (TSC) passes, RDMSR of 0xC0000080
     * (EFER) exits via the high read bitmap */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_poke(TV_MSRBM + 0x400 + (0x80 >> 3), &ones, 1);
    tv_vmxon();
    tv_vmptrld();
    tv_set(VMX_FIELD_MSR_BITMAP, TV_MSRBM);
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_MSR_BITMAPS), 0);
    tv_code(TV_GUEST, "b9 10 00 00 00 0f 32 b9 80 00 00 c0 0f 32");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    }
    tv_run_to_exit(6);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_RDMSR);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 12);
}

static void test_exit_cr_access(void)
{
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_CR3_LOAD_EXITING), 0);
    /* The host owns CR0.TS with shadow 0: the guest reads TS = 0 though
     * it is set, and MOV to CR0 with TS = 1 exits. */
    tv_set(VMX_FIELD_CR0_GUEST_HOST_MASK, X86_CR0_TS);
    tv_set(VMX_FIELD_CR0_READ_SHADOW, 0);
    tv_set(VMX_FIELD_GUEST_CR0, tv->cpu.cr0 | X86_CR0_TS);
    /* mov rbx, cr0; mov cr3, rax (target 0 matches); mov cr0, rcx */
    tv_code(TV_GUEST, "0f 20 c3 0f 22 d8 0f 22 c1");
    tv_set(VMX_FIELD_CR3_TARGET_COUNT, 1);
    tv_set(VMX_FIELD_CR3_TARGET0, tv->cpu.cr3);
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RAX] = tv->cpu.cr3;
    tv->cpu.gpr[X86_REG_RCX] = tv->cpu.cr0 | X86_CR0_TS;
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    }
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_TRUE(tv->cpu.cr0 & X86_CR0_TS);
    tv_run_to_exit(5);
    CU_ASSERT_EQUAL(tv->cpu.gpr[X86_REG_RBX] & X86_CR0_TS, 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CR_ACCESS);
    /* CR0, MOV to CR (type 0), GPR 1 (RCX) */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0x100);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 6);
}

static void test_exit_exception_bitmap(void)
{
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_PF);
    tv_set(VMX_FIELD_PF_ERRCODE_MASK, 0);
    tv_set(VMX_FIELD_PF_ERRCODE_MATCH, 0);
    /* mov rax, [rbx] with rbx at 8 GiB: outside the identity map */
    tv_code(TV_GUEST, "48 8b 03");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RBX] = 0x200000000ull;
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
        tv->cpu.cr2 = 0x1234;
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE(r.switched);
    }
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    /* vector 14, hardware exception (3), error code valid, valid */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO),
                    0x80000000u | (1u << 11) | (3u << 8) | 14u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_ERRCODE), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0x200000000ull);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    CU_ASSERT_EQUAL(tv->cpu.cr2, 0x1234);      /* not written */
    /* with mask = match = 0 and bit 14 clear, #PF would not exit: the
     * rule XORs the bit with the match */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_PF);
    tv_set(VMX_FIELD_PF_ERRCODE_MASK, X86_PFEC_W);
    tv_set(VMX_FIELD_PF_ERRCODE_MATCH, X86_PFEC_W);   /* only writes */
    tv_code(TV_GUEST, "48 8b 03");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RBX] = 0x200000000ull;
    tv->cpu.idtr.limit = 0;                    /* guest #PF -> triple */
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        tv_step(&r);
    }
    /* a read fault did not match: delivered in the guest, whose empty
     * IDT escalates to a triple fault, which exits (reason 2) */
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_TRIPLE_FAULT);
}

/* Identity EPT of [0, 4 GiB) with 2-MiB pages, except the 2-MiB page at
 * `hole`, which is not present. */
static uint64_t tv_ept(uint64_t hole)
{
    unsigned i;

    tv_poke64(TV_EPT, (TV_EPT + 0x1000) | 7);
    for (i = 0; i < 4; i++) {
        tv_poke64(TV_EPT + 0x1000 + 8 * i, (TV_EPT + 0x2000 + 0x1000 * i) | 7);
    }
    for (i = 0; i < 2048; i++) {
        uint64_t pa = (uint64_t)i << 21;

        tv_poke64(TV_EPT + 0x2000 + 8 * i,
                  pa == hole ? 0 : pa | 7 | (6u << 3) | (1u << 7));
    }
    return TV_EPT | (3u << 3) | 6;     /* 4-level, WB */
}

static void test_exit_ept_violation(void)
{
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, VMX_BIT(VMX_CTL_PROC2_EPT) | VMX_BIT(VMX_CTL_PROC2_VPID));
    tv_set(VMX_FIELD_EPT_POINTER, tv_ept(0x800000));
    tv_set(VMX_FIELD_VPID, 1);
    /* mov [rbx], eax with rbx = 8 MiB + 0x10: the EPT hole */
    tv_code(TV_GUEST, "89 03 f4");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RBX] = 0x800010;
    {
        struct x86_exec_result r;

        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
        CU_ASSERT_EQUAL(tv->pctx.mode, PTW_MODE_EPT);
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE(r.switched);
    }
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EPT_VIOLATION);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_PHYSICAL_ADDR), 0x800010);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_LINEAR_ADDR), 0x800010);
    /* a data write (bit 1), final address (bit 8), GLA valid (bit 7) */
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_EXIT_QUALIFICATION) & (1u << 1));
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_EXIT_QUALIFICATION) & (1u << 7));
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_EXIT_QUALIFICATION) & (1u << 8));
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    CU_ASSERT_EQUAL(tv->pctx.mode, PTW_MODE_NATIVE);
    /* The VMM maps the page and resumes: the store completes, HLT runs
     * in the guest (no HLT exiting) and the guest halts. */
    tv_poke64(TV_EPT + 0x2000 + 8 * 4, 0x800000 | 7 | (6u << 3) | (1u << 7));
    tv_code(TV_HOST + 0x40, "0f 01 c3");
    tv->cpu.rip = TV_HOST + 0x40;
    tv->cpu.gpr[X86_REG_RAX] = 0xabcd;
    {
        struct x86_exec_result r;
        uint32_t v = 0;

        tv->vmx.vmcs.val[VMX_FIELD_GUEST_RIP] = TV_GUEST;
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE(tv->cpu.nonroot);
        /* VPID on: no flush was charged on this entry */
        CU_ASSERT_EQUAL(tv_ex[0].entry_cost[SIM_EXIT_TLB], 0);
        tv->cpu.gpr[X86_REG_RAX] = 0xabcd;
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        sim_mem_read(tv->mem, 0x800010, &v, 4);
        CU_ASSERT_EQUAL(v, 0xabcd);
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_EQUAL(tv->cpu.halt, X86_HALTED);
    }
}

/* Random VMCS contents never crash VM entry, and every entry either
 * enters, fails with VMfail, or exits with reason 33/34. */
static void test_entry_random_vmcs(void)
{
    unsigned round, entered = 0, failed = 0, exited = 0;

    srand(7);
    for (round = 0; round < 300; round++) {
        struct x86_exec_result r;
        unsigned k;

        CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
        tv_vmxon();
        tv_vmptrld();
        tv_vmcs_setup(0, 0);
        for (k = 0; k < 1 + (unsigned)(rand() % 4); k++) {
            unsigned f = (unsigned)rand() % VMX_FIELD__COUNT;
            uint64_t v = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 7) ^
                         (uint64_t)rand();

            tv_set((enum vmx_field)f, v);
        }
        tv_code(TV_GUEST, "0f a2 0f a2 f4");
        tv_code(TV_HOST, "0f 01 c2");
        tv_code(TV_HOST + 0x40, "f4");
        tv->cpu.rip = TV_HOST;
        (void)tv_step(&r);
        if (tv->cpu.nonroot) {
            entered++;
            for (k = 0; k < 4 && tv->cpu.nonroot; k++) {
                (void)tv_step(&r);
            }
        } else if (!r.switched) {
            /* VMfailValid / VMfailInvalid, RIP past VMLAUNCH */
            failed++;
            CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 3);
            CU_ASSERT_TRUE(tv_fl() == X86_FL_ZF || tv_fl() == X86_FL_CF);
        } else {
            /* failed entry: reason 33 or 34 with bit 31, host state */
            exited++;
            CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON) & 0x8000ffffu,
                            tv_get(VMX_FIELD_EXIT_REASON));
            CU_ASSERT_TRUE((tv_get(VMX_FIELD_EXIT_REASON) >> 31) == 1);
            CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 0x40);
        }
    }
    CU_ASSERT_EQUAL(entered + failed + exited, 300);
    CU_ASSERT_TRUE(entered > 0);
    CU_ASSERT_TRUE(failed > 0);
    CU_ASSERT_TRUE(exited > 0);
}

/* One row per exit reason the guest's instructions raise: the control
 * that enables it, the guest code, the reason, the qualification, the
 * instruction length and the instruction information expected (A2, A6;
 * ~0 where the field is not checked). */
struct tv_exit_row {
    const char *what;
    uint32_t proc;
    uint32_t proc2;
    const char *guest;
    uint32_t reason;
    uint64_t qual;
    uint32_t len;
    uint32_t info;
};

static const struct tv_exit_row tv_exit_rows[] = {
    { "rdtsc", VMX_BIT(VMX_CTL_PROC_RDTSC_EXITING), 0, "0f 31",
      VMX_EXIT_RDTSC, 0, 2, ~0u },
    { "rdtscp", VMX_BIT(VMX_CTL_PROC_RDTSC_EXITING),
      VMX_BIT(VMX_CTL_PROC2_RDTSCP), "0f 01 f9", VMX_EXIT_RDTSCP, 0, 3, ~0u },
    { "rdpmc", VMX_BIT(VMX_CTL_PROC_RDPMC_EXITING), 0, "0f 33",
      VMX_EXIT_RDPMC, 0, 2, ~0u },
    /* invlpg [rbx]: qualification = the linear address (0x5000) */
    { "invlpg", VMX_BIT(VMX_CTL_PROC_INVLPG_EXITING), 0, "0f 01 3b",
      VMX_EXIT_INVLPG, 0x5000, 3, ~0u },
    { "invd", 0, 0, "0f 08", VMX_EXIT_INVD, 0, 2, ~0u },
    { "wbinvd", 0, VMX_BIT(VMX_CTL_PROC2_WBINVD_EXITING), "0f 09",
      VMX_EXIT_WBINVD, 0, 2, ~0u },
    { "pause", VMX_BIT(VMX_CTL_PROC_PAUSE_EXITING), 0, "f3 90",
      VMX_EXIT_PAUSE, 0, 2, ~0u },
    /* MONITOR/MWAIT exiting (reasons 39, 36; A4 primary bits 29, 10):
     * the exit comes before the ECX check (ECX = 0xc0000080 here would be
     * #GP); MWAIT's qualification bit 0 is 0: VM entry disarmed the
     * monitor */
    { "monitor", VMX_BIT(VMX_CTL_PROC_MONITOR_EXITING), 0, "0f 01 c8",
      VMX_EXIT_MONITOR, 0, 3, ~0u },
    { "mwait", VMX_BIT(VMX_CTL_PROC_MWAIT_EXITING), 0, "0f 01 c9",
      VMX_EXIT_MWAIT, 0, 3, ~0u },
    /* mov rdx, dr7: DR 7, from DR (bit 4), GPR 2 */
    { "mov from dr7", VMX_BIT(VMX_CTL_PROC_MOV_DR_EXITING), 0, "0f 21 fa",
      VMX_EXIT_DR_ACCESS, 7 | (1u << 4) | (2u << 8), 3, ~0u },
    /* mov rax, cr3 with CR3-store exiting: CR 3, from CR, GPR 0 */
    { "mov from cr3", VMX_BIT(VMX_CTL_PROC_CR3_STORE_EXITING), 0, "0f 20 d8",
      VMX_EXIT_CR_ACCESS, 3 | (1u << 4), 3, ~0u },
    /* mov cr8, rsi: CR 8, to CR, GPR 6 */
    { "mov to cr8", VMX_BIT(VMX_CTL_PROC_CR8_LOAD_EXITING), 0, "44 0f 22 c6",
      VMX_EXIT_CR_ACCESS, 8 | (6u << 8), 4, ~0u },
    /* in al, 0x71: size 1, IN, immediate, port 0x71 */
    { "in imm", VMX_BIT(VMX_CTL_PROC_UNCOND_IO_EXITING), 0, "e4 71",
      VMX_EXIT_IO_INSTRUCTION, (1u << 3) | (1u << 6) | (0x71ull << 16), 2,
      ~0u },
    /* out dx, eax (dx = 0x3f8): size 4 */
    { "out dx", VMX_BIT(VMX_CTL_PROC_UNCOND_IO_EXITING), 0, "ef",
      VMX_EXIT_IO_INSTRUCTION, 3 | (0x3f8ull << 16), 1, ~0u },
    /* rep outsb: string, REP */
    { "rep outsb", VMX_BIT(VMX_CTL_PROC_UNCOND_IO_EXITING), 0, "f3 6e",
      VMX_EXIT_IO_INSTRUCTION, (1u << 4) | (1u << 5) | (0x3f8ull << 16), 2,
      ~0u },
    /* wrmsr without MSR bitmaps: always exits */
    { "wrmsr", 0, 0, "0f 30", VMX_EXIT_WRMSR, 0, 2, ~0u },
    /* VMX instructions exit in non-root operation whatever the CPL:
     * vmread rax, rcx: register form (bit 10), reg1 = RAX (0), reg2 = RCX
     * (1), 64-bit address size (2 << 7) */
    { "vmread", 0, 0, "0f 78 c8", VMX_EXIT_VMREAD, 0, 3,
      (1u << 10) | (2u << 7) | (1u << 28) },
    /* vmptrld [rbx + 0x10]: memory form, base RBX (3), no index (bit 22),
     * DS (3 << 15); qualification = displacement */
    { "vmptrld", 0, 0, "0f c7 73 10", VMX_EXIT_VMPTRLD, 0x10, 4,
      (2u << 7) | (3u << 15) | (1u << 22) | (3u << 23) },
    { "vmxon", 0, 0, "f3 0f c7 33", VMX_EXIT_VMXON, 0, 4,
      (2u << 7) | (3u << 15) | (1u << 22) | (3u << 23) },
    { "vmlaunch", 0, 0, "0f 01 c2", VMX_EXIT_VMLAUNCH, 0, 3, ~0u },
    { "vmresume", 0, 0, "0f 01 c3", VMX_EXIT_VMRESUME, 0, 3, ~0u },
    { "vmxoff", 0, 0, "0f 01 c4", VMX_EXIT_VMXOFF, 0, 3, ~0u },
    /* invept rdx, [rbx]: reg2 = RDX (2) */
    { "invept", 0, 0, "66 0f 38 80 13", VMX_EXIT_INVEPT, 0, 5,
      (2u << 7) | (3u << 15) | (1u << 22) | (3u << 23) | (2u << 28) },
    { "invvpid", 0, 0, "66 0f 38 81 13", VMX_EXIT_INVVPID, 0, 5,
      (2u << 7) | (3u << 15) | (1u << 22) | (3u << 23) | (2u << 28) },
};

static void test_exit_reasons(void)
{
    size_t k;

    for (k = 0; k < SIM_ARRAY_SIZE(tv_exit_rows); k++) {
        const struct tv_exit_row *e = &tv_exit_rows[k];
        struct x86_exec_result r;

        CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
        tv_vmxon();
        tv_vmptrld();
        tv_vmcs_setup(e->proc, e->proc2);
        tv_code(TV_GUEST, e->guest);
        tv_code(TV_HOST, "0f 01 c2");
        tv->cpu.rip = TV_HOST;
        tv->cpu.gpr[X86_REG_RBX] = 0x5000;
        tv->cpu.gpr[X86_REG_RDX] = 0x3f8;
        tv->cpu.gpr[X86_REG_RCX] = 0xc0000080u;
        tv->cpu.gpr[X86_REG_RSI] = 1;
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
        if (tv->cpu.nonroot || tv_get(VMX_FIELD_EXIT_REASON) != e->reason ||
            (e->qual != ~0ull &&
             tv_get(VMX_FIELD_EXIT_QUALIFICATION) != e->qual) ||
            tv_get(VMX_FIELD_EXIT_INSN_LEN) != e->len ||
            (e->info != ~0u && tv_get(VMX_FIELD_EXIT_INSN_INFO) != e->info)) {
            fprintf(stderr, "\n%s: nonroot %d reason %u qual %#llx len %u "
                    "info %#x\n", e->what, tv->cpu.nonroot,
                    (unsigned)tv_get(VMX_FIELD_EXIT_REASON),
                    (unsigned long long)tv_get(VMX_FIELD_EXIT_QUALIFICATION),
                    (unsigned)tv_get(VMX_FIELD_EXIT_INSN_LEN),
                    (unsigned)tv_get(VMX_FIELD_EXIT_INSN_INFO));
            CU_FAIL("exit fields");
        }
        CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    }
}

/* External interrupt (reason 1) with "acknowledge interrupt on exit", and
 * #BP from INT3 through the exception bitmap (software exception). */
static void test_exit_events(void)
{
    struct x86_exec_result r;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN,
           VMX_BIT(VMX_CTL_PIN_EXT_INTR_EXITING)));
    tv_set(VMX_FIELD_EXIT_CTLS, tv_get(VMX_FIELD_EXIT_CTLS) |
           VMX_BIT(VMX_CTL_EXIT_ACK_INTR));
    tv_code(TV_GUEST, "fa f4");                 /* cli; hlt */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv->cpu.halt, X86_HALTED);
    /* IF = 0 does not mask it: external-interrupt exiting */
    CU_ASSERT_TRUE(x86_interrupt_ready(&tv->cpu));
    CU_ASSERT_EQUAL(x86_interrupt(&tv->cpu, 0x31), 0);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON),
                    VMX_EXIT_EXTERNAL_INTERRUPT);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000031u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_ACTIVITY_STATE), 1);  /* HLT */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 2);

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_BP);
    tv_code(TV_GUEST, "90 cc");                 /* nop; int3 */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    /* vector 3, software exception (6), no error code, valid */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000603u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 1);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 1);
    /* Event injection: the VMM injects #UD (vector 6, hardware
     * exception) on resume; the guest's IDT limit 0 makes it a triple
     * fault, which exits with reason 2. */
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000306u);
    tv_code(TV_HOST + 0x40, "0f 01 c3");
    tv->cpu.idtr.limit = 0;
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_TRIPLE_FAULT);
    /* the injection's valid bit is cleared by the exit */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_ENTRY_INTR_INFO) >> 31, 0);
}

/* Between instructions: the VMX-preemption timer (52) and the interrupt
 * window (7), through vmx_cpu_boundary as the platform's loop calls it. */
static void test_exit_boundary(void)
{
    struct x86_exec_result r;
    unsigned k;

    /* Timer value 0: the exit comes before the first guest instruction,
     * and "save VMX-preemption timer value" stores 0. */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN,
           VMX_BIT(VMX_CTL_PIN_PREEMPTION_TIMER)));
    tv_set(VMX_FIELD_EXIT_CTLS, tv_get(VMX_FIELD_EXIT_CTLS) |
           VMX_BIT(VMX_CTL_EXIT_SAVE_PREEMPT));
    tv_set(VMX_FIELD_PREEMPTION_TIMER_VALUE, 0);
    tv_code(TV_GUEST, "90 90 90");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_PREEMPTION_TIMER);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_PREEMPTION_TIMER_VALUE), 0);

    /* Timer value 1000: the guest runs until 1000 << rate cycles pass;
     * the timer value left is saved on an earlier exit (CPUID). */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN,
           VMX_BIT(VMX_CTL_PIN_PREEMPTION_TIMER)));
    tv_set(VMX_FIELD_EXIT_CTLS, tv_get(VMX_FIELD_EXIT_CTLS) |
           VMX_BIT(VMX_CTL_EXIT_SAVE_PREEMPT));
    tv_set(VMX_FIELD_PREEMPTION_TIMER_VALUE, 1000);
    tv_code(TV_GUEST, "90 0f a2");              /* nop; cpuid */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);  /* nop */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);  /* cpuid exits */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_PREEMPTION_TIMER_VALUE) > 0);
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_PREEMPTION_TIMER_VALUE) <= 1000);
    /* resume with the saved value, then let the clock pass the deadline */
    tv_set(VMX_FIELD_GUEST_RIP, TV_GUEST);
    tv_code(TV_HOST + 0x40, "0f 01 c3");
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    tv->st.cycles += 1001ull << tv->vmx.m.preempt_rate;
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_PREEMPTION_TIMER);

    /* Interrupt window: blocked while IF = 0 and during the STI shadow,
     * open after the instruction that follows STI. */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_INTR_WINDOW), 0);
    tv_code(TV_GUEST, "fb 90 90");              /* sti; nop; nop */
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    for (k = 0; k < 2; k++) {                   /* IF = 0, then shadow */
        CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    }
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_INTERRUPT_WINDOW);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 2);
}

/* MONITOR, MWAIT, XSETBV, XGETBV executed by the core (SDM Vol. 2 for
 * each: #UD and #GP conditions, XCR0 rules), outside VMX operation. */
static void test_monitor_xsetbv_exec(void)
{
    struct x86_exec_result r;
    struct x86_cpu *c;

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    c = &tv->cpu;
    c->deliver = false;
    /* CPUID.1:ECX.MONITOR[3] and leaf 5 (64-byte lines, ECX[1:0]) */
    tv_code(TV_HOST, "0f a2");
    c->rip = TV_HOST;
    c->gpr[X86_REG_RAX] = 1;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE((c->gpr[X86_REG_RCX] >> 3) & 1);
    c->rip = TV_HOST;
    c->gpr[X86_REG_RAX] = 5;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 64);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RBX], 64);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RCX], 3);
    /* monitor; mwait at CPL 0: MONITOR arms at DS:RAX, MWAIT returns at
     * once and disarms */
    tv_code(TV_HOST, "0f 01 c8 0f 01 c9");
    c->rip = TV_HOST;
    c->gpr[X86_REG_RAX] = TV_HSTACK - 64;
    c->gpr[X86_REG_RCX] = 0;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(c->monitor_armed);
    CU_ASSERT_EQUAL(c->monitor_la, TV_HSTACK - 64);
    c->gpr[X86_REG_RCX] = 1;                    /* break on interrupt */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->rip, TV_HOST + 6);
    CU_ASSERT_FALSE(c->monitor_armed);
    /* MONITOR with an extension in ECX, MWAIT with ECX[1]: #GP(0) */
    c->rip = TV_HOST;
    c->gpr[X86_REG_RCX] = 1;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    CU_ASSERT_FALSE(c->monitor_armed);
    c->rip = TV_HOST + 3;
    c->gpr[X86_REG_RCX] = 2;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* a non-canonical monitor address: #GP */
    c->rip = TV_HOST;
    c->gpr[X86_REG_RCX] = 0;
    c->gpr[X86_REG_RAX] = 0x0000800000000000ull;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    /* CPL 3: #UD, not #GP; and #UD without the CPUID feature */
    c->rip = TV_HOST;
    c->gpr[X86_REG_RAX] = TV_HSTACK - 64;
    c->cpl = 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    c->rip = TV_HOST + 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    c->cpl = 0;
    c->monitor_ok = false;
    c->rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    CU_ASSERT_EQUAL(r.unimpl, 0);
    c->monitor_ok = true;

    /* xsetbv; xgetbv */
    tv_code(TV_HOST, "0f 01 d1 0f 01 d0");
    c->rip = TV_HOST;
    c->gpr[X86_REG_RCX] = 0;
    c->gpr[X86_REG_RDX] = 0;
    c->gpr[X86_REG_RAX] = 3;
    /* CR4.OSXSAVE = 0: #UD for both, even at CPL 3 */
    CU_ASSERT_EQUAL(c->cr4 & X86_CR4_OSXSAVE, 0);
    c->cpl = 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    c->rip = TV_HOST + 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_UD);
    c->cr4 |= X86_CR4_OSXSAVE;
    /* CPL 3: XSETBV #GP(0); XGETBV reads XCR0 = 1 (reset) */
    c->rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
    c->rip = TV_HOST + 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 1);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RDX], 0);
    c->cpl = 0;
    /* bad ECX, bit 0 clear, AVX without SSE, an unsupported bit: #GP */
    {
        static const struct { uint32_t ecx; uint64_t v; } bad[] = {
            { 1, 3 }, { 0, 2 }, { 0, 5 }, { 0, 7 }, { 0, 1ull << 32 | 1 },
        };
        size_t k;

        for (k = 0; k < SIM_ARRAY_SIZE(bad); k++) {
            c->rip = TV_HOST;
            c->gpr[X86_REG_RCX] = bad[k].ecx;
            c->gpr[X86_REG_RAX] = bad[k].v & 0xffffffffu;
            c->gpr[X86_REG_RDX] = bad[k].v >> 32;
            CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
            CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
            CU_ASSERT_EQUAL(c->xcr0, 1);
        }
    }
    /* XCR0 = x87 | SSE, read back; XGETBV with ECX = 1: #GP */
    c->rip = TV_HOST;
    c->gpr[X86_REG_RCX] = 0;
    c->gpr[X86_REG_RAX] = 3;
    c->gpr[X86_REG_RDX] = 0;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->xcr0, 3);
    c->gpr[X86_REG_RAX] = 0;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(c->gpr[X86_REG_RAX], 3);
    c->rip = TV_HOST + 3;
    c->gpr[X86_REG_RCX] = 1;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_EXCEPTION);
    CU_ASSERT_EQUAL(r.vector, X86_VEC_GP);
}

/* The VM exits of MWAIT (36, qualification bit 0 = monitor armed),
 * MONITOR (39) and XSETBV (55, unconditional), and the faults that come
 * before them (A2, A4; SDM Vol. 3C "Relative Priority of Faults and VM
 * Exits"). */
static void test_exit_monitor_xsetbv(void)
{
    struct x86_exec_result r;

    /* monitor; mwait with MWAIT exiting only: MONITOR runs in the guest,
     * MWAIT exits with qualification 1, length 3 */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_launch(VMX_BIT(VMX_CTL_PROC_MWAIT_EXITING), 0,
              "48 89 e0 0f 01 c8 0f 01 c9");    /* mov rax, rsp */
    tv->cpu.gpr[X86_REG_RCX] = 0;
    tv_run_to_exit(4);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MWAIT);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 1);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 3);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 6);
    /* without the controls both run in the guest (MWAIT returns) */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_launch(0, 0, "48 89 e0 0f 01 c8 0f 01 c9 0f a2");
    tv->cpu.gpr[X86_REG_RCX] = 0;
    tv_run_to_exit(5);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 9);

    /* XSETBV: guest CR4.OSXSAVE = 1 (CR4_FIXED1 allows it): exit 55,
     * length 3, whatever ECX and EDX:EAX hold */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_set(VMX_FIELD_GUEST_CR4, tv->cpu.cr4 | X86_CR4_OSXSAVE);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_UD);
    tv_code(TV_GUEST, "0f 01 d1");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RCX] = 5;
    tv->cpu.gpr[X86_REG_RAX] = 0;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_XSETBV);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 3);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    /* guest CR4.OSXSAVE = 0: #UD comes first (the exception bitmap makes
     * it exit as reason 0, vector 6, hardware exception) */
    tv_set(VMX_FIELD_GUEST_CR4, tv_get(VMX_FIELD_GUEST_CR4) &
                                ~X86_CR4_OSXSAVE);
    tv_code(TV_HOST + 0x40, "0f 01 c3");
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000306u);
    /* MONITOR at guest CPL 3 (SS.DPL 3, CS.DPL 3): #UD, no exit 39 */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_MONITOR_EXITING), 0);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_UD);
    tv_set(VMX_FIELD_GUEST_CS_AR, tv_get(VMX_FIELD_GUEST_CS_AR) | (3u << 5));
    tv_set(VMX_FIELD_GUEST_SS_AR, tv_get(VMX_FIELD_GUEST_SS_AR) | (3u << 5));
    tv_set(VMX_FIELD_GUEST_CS_SELECTOR, 0x2b);
    tv_set(VMX_FIELD_GUEST_SS_SELECTOR, 0x23);
    tv_code(TV_GUEST, "0f 01 c8");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.cpl, 3);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000306u);
}

/* Blocking by STI vs by MOV SS (interruptibility bits 0 and 1): saved
 * apart on exits, restored apart by VM entry, and VMLAUNCH right after
 * MOV SS fails with VMfailValid(26) (A8.0 0.5, A3). */
static void test_movss_sti_blocking(void)
{
    struct x86_exec_result r;
    unsigned k;

    /* root: mov eax, ss; mov ss, eax; vmlaunch */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(0, 0);
    tv_code(TV_HOST, "8c d0 8e d0 0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv->cpu.shadow, X86_SHADOW_MOVSS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 26);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_HOST + 7);
    /* STI blocking does not stop it: cli; sti; vmlaunch enters */
    tv_code(TV_HOST, "fa fb 0f 01 c2");
    tv_code(TV_GUEST, "0f a2");
    tv->cpu.rip = TV_HOST;
    for (k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    }
    CU_ASSERT_TRUE(tv->cpu.nonroot);

    /* guest: mov eax, ss; mov ss, eax; cpuid -> interruptibility 2 */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_launch(0, 0, "8c d0 8e d0 0f a2");
    tv_run_to_exit(3);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 2);
    /* guest: sti (IF was 0); cpuid -> interruptibility 1 */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_launch(0, 0, "fb 0f a2");
    tv_run_to_exit(2);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 1);
    /* nop; cpuid: no blocking left */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_launch(0, 0, "fb 90 0f a2");
    tv_run_to_exit(3);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 0);

    /* VM entry with MOV-SS blocking (IF = 1, interrupt-window exiting):
     * no window before the first guest instruction, one after it */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_vmcs_setup(VMX_BIT(VMX_CTL_PROC_INTR_WINDOW), 0);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0x202);
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 2);
    tv_code(TV_GUEST, "90 90");
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.shadow, X86_SHADOW_MOVSS);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_INTERRUPT_WINDOW);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 1);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 0);
}

/* Monitor trap flag (reason 37, A4 primary bit 27): a trap-like exit
 * after each guest instruction, after HLT (activity state HLT), after
 * delivery of an injected event (before the handler's first
 * instruction), and for an injected pending MTF exit (type 7); none when
 * the instruction exits itself. */
static void test_exit_mtf(void)
{
    struct x86_exec_result r;
    const uint32_t mtf = VMX_BIT(VMX_CTL_PROC_MTF);

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(mtf, 0, "90 48 83 c0 01 0f a2 f4");  /* nop; add rax,1 */
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    /* nothing ran yet: no exit before the first instruction */
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* nop */
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MTF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 1);
    /* resume: one more instruction (4 bytes), then exit again */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MTF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 5);
    /* CPUID exits itself: reason 10, no MTF exit after it */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    /* skip CPUID; HLT completes, then MTF exits with activity HLT */
    tv_set(VMX_FIELD_GUEST_RIP, TV_GUEST + 7);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv->cpu.halt, X86_HALTED);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MTF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 8);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_ACTIVITY_STATE), 1);
    CU_ASSERT_EQUAL(tv->cpu.halt, X86_RUNNING);

    /* injected external interrupt 0x30 (RFLAGS.IF = 1): MTF exit after
     * its delivery, at the handler's first instruction */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(mtf, 0, "90");
    tv_code(TV_GUEST + 0x80, "90");
    tv_gate(0x30, TV_GUEST + 0x80);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0x202);
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000030u);
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_GUEST + 0x80);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MTF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 0x80);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RSP), TV_GSTACK - 40);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RFLAGS) & X86_RFLAGS_IF, 0);

    /* pending MTF exit injected (type 7, vector 0) with the control 0:
     * exit before the first guest instruction, nothing delivered */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(0, 0, "90");
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000700u);
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.st.delivered, 0);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_MTF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    /* and only once: after resuming without it, no MTF exit */
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
}

/* An IRETQ frame at guest RSP = TV_GSTACK - 40 returning to `rip` at
 * CPL 0 with RFLAGS `fl`, and the guest RSP pointing at it. */
static void tv_iret_frame(uint64_t rip, uint16_t cs, uint64_t fl)
{
    const uint64_t f = TV_GSTACK - 40;

    tv_poke64(f, rip);
    tv_poke64(f + 8, cs);
    tv_poke64(f + 16, fl);
    tv_poke64(f + 24, TV_GSTACK);
    tv_poke64(f + 32, tv->cpu.seg[X86_SEG_SS].sel);
    tv_set(VMX_FIELD_GUEST_RSP, f);
}

/* Virtual NMIs (pin bit 5) and NMI-window exiting (primary bit 22, reason
 * 8): virtual-NMI blocking from the VMCS (interruptibility bit 3), set by
 * injecting an NMI, removed by IRET; the window opens at the boundary
 * with no virtual-NMI blocking and no MOV-SS blocking; an IRET that
 * faults into an exit reports "NMI unblocking due to IRET" (bit 12). */
static void test_exit_nmi_window(void)
{
    struct x86_exec_result r;
    const uint32_t pin = VMX_BIT(VMX_CTL_PIN_NMI_EXITING) |
                         VMX_BIT(VMX_CTL_PIN_VIRTUAL_NMIS);
    const uint32_t win = VMX_BIT(VMX_CTL_PROC_NMI_WINDOW);
    uint16_t cs;

    /* blocked at entry; iretq unblocks; the window exit follows it */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    cs = tv->cpu.seg[X86_SEG_CS].sel;
    tv_prepare(win, 0, "48 cf");
    tv_code(TV_GUEST + 0x20, "90");
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, pin));
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 8);
    tv_iret_frame(TV_GUEST + 0x20, cs, 2);
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* iretq */
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_GUEST + 0x20);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_NMI_WINDOW);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 0x20);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 0);
    /* no window control: no exit, blocking saved as it is */
    tv_set(VMX_FIELD_PROC_CTLS, tv_get(VMX_FIELD_PROC_CTLS) & ~win);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);

    /* injecting an NMI (type 2) sets virtual-NMI blocking: no window at
     * the handler; a CPUID there saves bit 3; the handler's iretq
     * unblocks and the window exit follows */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(win, 0, "90");
    tv_code(TV_GUEST + 0x80, "0f a2 48 cf");
    tv_gate(2, TV_GUEST + 0x80);
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, pin));
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000202u);
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv->cpu.rip, TV_GUEST + 0x80);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* cpuid exits */
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 8);
    tv_set(VMX_FIELD_GUEST_RIP, TV_GUEST + 0x82);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* iretq */
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_NMI_WINDOW);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);

    /* MOV-SS blocking holds the window for one instruction, STI
     * blocking does not */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(win, 0, "90 90");
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, pin));
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 2);
    tv_enter(true);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_NMI_WINDOW);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 1);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0x202);
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 1);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_SWITCHED);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_NMI_WINDOW);

    /* an iretq whose frame has CS = 0 faults (#GP(0), exception bitmap):
     * exit 0 with bit 12 set; blocking is saved as removed */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(0, 0, "48 cf");
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, pin));
    tv_set(VMX_FIELD_GUEST_INTERRUPTIBILITY, 8);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_GP);
    tv_iret_frame(TV_GUEST + 0x20, 0, 2);
    tv_enter(true);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80001b0du);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_INTERRUPTIBILITY), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);

    /* entry checks: NMI-window exiting needs virtual NMIs (A8.1 C6) */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(win, 0, "90");
    tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN, 0));
    tv_code(TV_HOST, "0f 01 c2");
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 7);
}

/* TPR shadow (primary bit 21): CR8 is VTPR[7:4] at byte 0x80 of the
 * virtual-APIC page; a MOV to CR8 that drops it below TPR threshold[3:0]
 * exits with reason 43 after completing (trap-like); CR8-load exiting
 * takes precedence; the entry check C9 (A8.1) refuses threshold > VTPR. */
static void test_exit_tpr_shadow(void)
{
    struct x86_exec_result r;
    const uint32_t tpr = VMX_BIT(VMX_CTL_PROC_TPR_SHADOW);
    uint8_t page[4];

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    /* mov rax, cr8; mov cr8, rsi; mov cr8, rdx; nop */
    tv_prepare(tpr, 0, "44 0f 20 c0 44 0f 22 c6 44 0f 22 c2 90");
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_PROC_CTLS) &
                    (VMX_BIT(VMX_CTL_PROC_CR8_LOAD_EXITING) |
                     VMX_BIT(VMX_CTL_PROC_CR8_STORE_EXITING)), 0);
    tv_poke32(TV_VAPIC + 0x80, 0xffffff50u);    /* VTPR 0x50 */
    tv_set(VMX_FIELD_VIRTUAL_APIC_ADDR, TV_VAPIC);
    tv_set(VMX_FIELD_TPR_THRESHOLD, 3);
    tv_enter(true);
    CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(vmx_cpu_boundary(&tv->vmx, &tv->cpu), X86_VIRT_PASS);
    tv->cpu.gpr[X86_REG_RAX] = ~0ull;
    tv->cpu.gpr[X86_REG_RSI] = 4;
    tv->cpu.gpr[X86_REG_RDX] = 2;
    tv->cpu.cr8 = 9;                            /* not what the guest sees */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv->cpu.gpr[X86_REG_RAX], 5);
    /* 4 >= 3: VTPR 0x40 and bytes 0x81-0x83 cleared, no exit */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(tv->cpu.nonroot);
    sim_mem_read(tv->mem, TV_VAPIC + 0x80, page, 4);
    CU_ASSERT_EQUAL(page[0], 0x40);
    CU_ASSERT_EQUAL(page[1] | page[2] | page[3], 0);
    CU_ASSERT_EQUAL(tv->cpu.cr8, 9);
    /* 2 < 3: the write completes, then exit 43 with RIP after it */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON),
                    VMX_EXIT_TPR_BELOW_THRESHOLD);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST + 12);
    sim_mem_read(tv->mem, TV_VAPIC + 0x80, page, 1);
    CU_ASSERT_EQUAL(page[0], 0x20);
    /* a threshold above VTPR[7:4] now fails the entry (C9): VMfailValid */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 7);
    tv_set(VMX_FIELD_TPR_THRESHOLD, 2);
    tv->cpu.rip = TV_HOST + 0x40;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_TRUE(tv->cpu.nonroot);
    /* CR8 with bits 63:4 set: #GP(0) (exception bitmap), VTPR kept */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(tpr, 0, "44 0f 22 c6");
    tv_poke32(TV_VAPIC + 0x80, 0x50);
    tv_set(VMX_FIELD_VIRTUAL_APIC_ADDR, TV_VAPIC);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_GP);
    tv_enter(true);
    tv->cpu.gpr[X86_REG_RSI] = 0x10;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000b0du);
    sim_mem_read(tv->mem, TV_VAPIC + 0x80, page, 1);
    CU_ASSERT_EQUAL(page[0], 0x50);
    /* CR8-load / CR8-store exiting take precedence over the shadow */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(tpr | VMX_BIT(VMX_CTL_PROC_CR8_LOAD_EXITING) |
               VMX_BIT(VMX_CTL_PROC_CR8_STORE_EXITING), 0,
               "44 0f 22 c6");
    tv_set(VMX_FIELD_VIRTUAL_APIC_ADDR, TV_VAPIC);
    tv_enter(true);
    tv->cpu.gpr[X86_REG_RSI] = 0;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CR_ACCESS);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 8 | (6u << 8));
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 4);
    tv_code(TV_GUEST, "44 0f 20 c0");
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CR_ACCESS);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_QUALIFICATION), 8 | (1u << 4));
}

/* IDT-vectoring information (0x4408/0x440A): an exit during delivery of
 * an event through the guest IDT reports that event; the exit's own
 * information is the second event (SDM Vol. 3C "Information for VM Exits
 * That Occur During Event Delivery"). */
static void test_exit_idt_vectoring(void)
{
    struct x86_exec_result r;

    /* injected external interrupt 0x30, IDT limit too small: #GP with
     * error 0x30 * 8 + 2 (IDT) + 1 (EXT) exits through the bitmap */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(0, 0, "0f a2");
    tv_gate(0x30, TV_GUEST + 0x80);
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, 0x2ff);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0x202);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_GP);
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000030u);
    tv_enter(true);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EXCEPTION_NMI);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000b0du);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_ERRCODE), 0x183);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0x80000030u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_ERRCODE), 0);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    /* injected #GP(0x1234) (hardware exception with error code): the
     * same fault; vectoring reports type 3, error-code valid, its code */
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000b0du);
    tv_set(VMX_FIELD_ENTRY_EXCEPTION_ERRCODE, 0x1234);
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, 0x7f);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_DF);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* vmresume */
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    /* #GP during #GP delivery is a double fault: #DF exits */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000b08u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0x80000b0du);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_ERRCODE), 0x1234);
    /* injected software interrupt INT 0x40 (type 4, length 2): the exit
     * during its delivery reports the instruction length */
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000440u);
    tv_set(VMX_FIELD_ENTRY_INSN_LEN, 2);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_GP);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000b0du);
    /* (EXT set: x86_cpu_inject delivers every injected event as
     * hardware would an external one; see docs/vmx-timing.md) */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_ERRCODE), 0x40 * 8 + 3);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0x80000440u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 2);
    /* no injection: an exit that is not during delivery reports none */
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);          /* cpuid */
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_CPUID);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0);

    /* the guest's own INT 0x40 faulting in delivery: exit 0 (#GP),
     * vectoring = software interrupt 0x40, length 2, RIP at the INT */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(0, 0, "cd 40");
    tv_gate(0x30, TV_GUEST + 0x80);
    tv_set(VMX_FIELD_GUEST_IDTR_LIMIT, 0x2ff);
    tv_set(VMX_FIELD_EXCEPTION_BITMAP, 1u << X86_VEC_GP);
    tv_enter(true);
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO), 0x80000b0du);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0x80000440u);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INSN_LEN), 2);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    CU_ASSERT_FALSE(tv->cpu.vectoring.valid);

    /* EPT violation while pushing the frame of an injected interrupt
     * (guest stack in the EPT hole at 8 MiB): reason 48 with vectoring */
    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_prepare(0, VMX_BIT(VMX_CTL_PROC2_EPT), "90");
    tv_set(VMX_FIELD_EPT_POINTER, tv_ept(0x800000));
    tv_gate(0x30, TV_GUEST + 0x80);
    tv_set(VMX_FIELD_GUEST_RSP, 0x801000);
    tv_set(VMX_FIELD_GUEST_RFLAGS, 0x202);
    tv_set(VMX_FIELD_ENTRY_INTR_INFO, 0x80000030u);
    tv_enter(true);
    CU_ASSERT_FALSE(tv->cpu.nonroot);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON), VMX_EXIT_EPT_VIOLATION);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_IDT_VECTORING_INFO), 0x80000030u);
    CU_ASSERT_TRUE(tv_get(VMX_FIELD_EXIT_QUALIFICATION) & (1u << 1));
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RSP), 0x801000);
}

/* External-interrupt exiting through the platform's local APIC: with
 * "acknowledge interrupt on exit" = 1 the exit takes the vector (IRR ->
 * ISR) and reports it in 0x4404; with 0 the vector stays requested in
 * the IRR (for the host to take once it enables interrupts) and 0x4404
 * is not valid. */
static void test_exit_intr_ack(void)
{
    unsigned ack;

    for (ack = 0; ack < 2; ack++) {
        uint64_t isr = 0, irr = 0;

        CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
        CU_ASSERT_FATAL(sim_apic_set_base(&tv->apic, SIM_APIC_BASE_DEFAULT |
                                          SIM_APIC_BASE_BSP |
                                          SIM_APIC_BASE_EN |
                                          SIM_APIC_BASE_EXTD, 0) == 0);
        CU_ASSERT_FATAL(sim_apic_wrmsr(&tv->apic, 0x80f, 0x1ff, 0) == 0);
        tv_prepare(0, 0, "90 90 90 90");
        tv_set(VMX_FIELD_PIN_CTLS, tv_ctls(VMX_CTLSET_PIN,
               VMX_BIT(VMX_CTL_PIN_EXT_INTR_EXITING)));
        if (ack) {
            tv_set(VMX_FIELD_EXIT_CTLS, tv_get(VMX_FIELD_EXIT_CTLS) |
                   VMX_BIT(VMX_CTL_EXIT_ACK_INTR));
        }
        CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_CTLS) >> 15 & 1, ack);
        tv_enter(true);
        CU_ASSERT_TRUE_FATAL(tv->cpu.nonroot);
        /* host after the exit: hlt, with IF = 0 */
        tv_code(TV_HOST + 0x40, "f4");
        CU_ASSERT_EQUAL(sim_apic_raise(&tv->apic, 0x40, false,
                                       tv->st.cycles), 0);
        tv->apic_poll = true;
        (void)sim_x86_run(tv, 1);
        CU_ASSERT_FALSE_FATAL(tv->cpu.nonroot);
        CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_REASON),
                        VMX_EXIT_EXTERNAL_INTERRUPT);
        CU_ASSERT_EQUAL(tv_get(VMX_FIELD_EXIT_INTR_INFO),
                        ack ? 0x80000040u : 0);
        CU_ASSERT_EQUAL(tv_get(VMX_FIELD_GUEST_RIP), TV_GUEST);
        (void)sim_apic_rdmsr(&tv->apic, 0x810 + 0x40 / 32, tv->st.cycles,
                             &isr);
        (void)sim_apic_rdmsr(&tv->apic, 0x820 + 0x40 / 32, tv->st.cycles,
                             &irr);
        CU_ASSERT_EQUAL((isr >> (0x40 % 32)) & 1, ack);
        CU_ASSERT_EQUAL((irr >> (0x40 % 32)) & 1, !ack);
        CU_ASSERT_EQUAL(sim_apic_pending(&tv->apic), ack ? -1 : 0x40);
    }
}

/* VM-instruction errors 1 and 28 (the others: the tests above and
 * workloads/x86/vmxcheck.elf). */
static void test_insn_errors(void)
{
    struct x86_exec_result r;
    uint64_t desc[2] = { 0, 0 };

    CU_ASSERT_EQUAL_FATAL(tv_open(), 0);
    tv_vmxon();
    tv_vmptrld();
    tv_code(TV_HOST, "0f 01 c1");               /* vmcall in root */
    tv->cpu.rip = TV_HOST;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 1);
    /* invvpid type 1 with VPID 0 in the descriptor: error 28 */
    tv_poke(TV_HSTACK - 256, desc, 16);
    tv_code(TV_HOST, "66 0f 38 81 13");         /* invvpid rdx, [rbx] */
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RBX] = TV_HSTACK - 256;
    tv->cpu.gpr[X86_REG_RDX] = 1;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), X86_FL_ZF);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 28);
    /* invept type 3 (undefined): error 28; type 2 (global) succeeds */
    tv_code(TV_HOST, "66 0f 38 80 13");
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RDX] = 3;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_get(VMX_FIELD_VM_INSN_ERROR), 28);
    tv->cpu.rip = TV_HOST;
    tv->cpu.gpr[X86_REG_RDX] = 2;
    CU_ASSERT_EQUAL(tv_step(&r), X86_EXEC_OK);
    CU_ASSERT_EQUAL(tv_fl(), 0);
}

static int tv_cleanup(void)
{
    sim_x86_free(tv);
    tv = NULL;
    sim_cfg_free(tv_cfg);
    tv_cfg = NULL;
    return 0;
}

int test_vmx_exec_register(void)
{
    CU_pSuite s = CU_add_suite("vmx_exec", NULL, tv_cleanup);

    if (s == NULL ||
        CU_add_test(s, "VMXON: #UD, #GP, VMfailInvalid, CR4.VMXE fixed",
                    test_vmxon_rules) == NULL ||
        CU_add_test(s, "VMPTRLD/VMREAD/VMWRITE/VMPTRST/VMCLEAR/VMXOFF",
                    test_vmptrld_vmread_vmwrite) == NULL ||
        CU_add_test(s, "VM entry: VMfailValid 5/7/8, exits 33 and 34",
                    test_entry_failures) == NULL ||
        CU_add_test(s, "CPUID exit, host state, VMRESUME, VMCALL, record",
                    test_exit_cpuid_and_resume) == NULL ||
        CU_add_test(s, "HLT exit, I/O bitmap, MSR bitmap",
                    test_exit_hlt_io_msr) == NULL ||
        CU_add_test(s, "CR access: shadow read, CR3 target, CR0 mask exit",
                    test_exit_cr_access) == NULL ||
        CU_add_test(s, "exception bitmap, #PF mask/match, triple fault",
                    test_exit_exception_bitmap) == NULL ||
        CU_add_test(s, "EPT violation with VPID, map and resume",
                    test_exit_ept_violation) == NULL ||
        CU_add_test(s, "every instruction exit: reason, qualification, "
                    "length, instruction information",
                    test_exit_reasons) == NULL ||
        CU_add_test(s, "external interrupt (ack), INT3 exit, injection",
                    test_exit_events) == NULL ||
        CU_add_test(s, "preemption timer (52) and interrupt window (7)",
                    test_exit_boundary) == NULL ||
        CU_add_test(s, "MONITOR/MWAIT/XSETBV/XGETBV: #UD, #GP, XCR0",
                    test_monitor_xsetbv_exec) == NULL ||
        CU_add_test(s, "MWAIT (36), MONITOR (39), XSETBV (55) exits",
                    test_exit_monitor_xsetbv) == NULL ||
        CU_add_test(s, "blocking by MOV SS vs STI; VMfailValid 26",
                    test_movss_sti_blocking) == NULL ||
        CU_add_test(s, "monitor trap flag (37): instruction, HLT, "
                    "injection, type 7", test_exit_mtf) == NULL ||
        CU_add_test(s, "virtual NMIs and the NMI window (8)",
                    test_exit_nmi_window) == NULL ||
        CU_add_test(s, "TPR shadow, TPR below threshold (43)",
                    test_exit_tpr_shadow) == NULL ||
        CU_add_test(s, "IDT-vectoring information", test_exit_idt_vectoring)
            == NULL ||
        CU_add_test(s, "acknowledge interrupt on exit 0 and 1",
                    test_exit_intr_ack) == NULL ||
        CU_add_test(s, "VM-instruction errors 1 and 28",
                    test_insn_errors) == NULL ||
        CU_add_test(s, "random VMCS fields at VM entry",
                    test_entry_random_vmcs) == NULL) {
        return -1;
    }
    return 0;
}
