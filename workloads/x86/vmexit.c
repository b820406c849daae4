/* workloads/x86/vmexit.c: VM-exit microbenchmarks on the VMM runtime
 * (vmx.h), one image, in the spirit of kvm-unit-tests' vmexit test.  Each
 * test makes a fresh VMCS (vmx_vcpu_init), turns on the controls it needs,
 * installs one exit handler and runs a guest loop of N iterations around
 * one exiting instruction.  The guest times each iteration with RDTSC
 * (RDTSC exiting and TSC offsetting are off, so it reads the host TSC):
 * the figure is exit + the VMM's handler + entry, as on silicon.
 *
 * Output: per test one deterministic line, "NAME: K exits (reason R ...),
 * ok" (or "NAME: FAIL ..." with what differed), and one line starting with
 * "# " that holds the cycle figures and is ignored by the expected-output
 * comparison (run-qemu.sh, check-qemu.sh, tests/e2e_images.sh drop every
 * line that starts with "# ").  The image ends with exit(0) when every test
 * passed, exit(1) otherwise; the runtime's own failures (no VMX, VMfail,
 * unexpected exit) exit with the VMX_EXIT_* codes of vmx.h.
 *
 * Tests (basic exit reason; controls beyond the runtime's defaults):
 *   cpuid              10  none (CPUID always exits)
 *   vmcall             18  none
 *   hlt                12  HLT exiting
 *   io-out, io-in      30  unconditional I/O exiting (OUT imm8, IN DX)
 *   rdmsr, wrmsr       31/32  no MSR bitmap: every RDMSR/WRMSR exits
 *   rdmsr-bitmap-exit,
 *   wrmsr-bitmap-exit  31/32  MSR bitmap with IA32_TSC_AUX's bits set
 *   rdmsr-bitmap-pass,
 *   wrmsr-bitmap-pass  none   same bitmap: IA32_KERNEL_GS_BASE (the
 *                             neighbouring bit) passes through, 0 exits
 *   cr3-write          28  CR3-load exiting, CR3-target count 0
 *   cr8-write          28  CR8-load exiting, TPR shadow off
 *   cr8-read           28  CR8-store exiting, TPR shadow off
 *   pf                  0  exception bitmap bit 14 (the runtime sets all
 *                          32), PFEC mask = match = 0; the guest clears a
 *                          PTE's P bit, the handler sets it and resumes
 *   ept                48  EPT on (identity, 2-MiB pages), N 4-KiB pages
 *                          not present; the handler maps each one
 */
#include "vmx.h"

#define N               32u             /* iterations per test */
#define NONE            0xFFFFu         /* test expects no exit */
#define IO_PORT         0x80            /* POST diagnostic port */
#define MSR_EXIT        MSR_TSC_AUX     /* intercepted by the bitmap */
#define MSR_PASS        MSR_KERNEL_GS_BASE      /* passed through */
#define PF_VA           0x200000000ull  /* 8 GiB, outside the boot map */

/* Shared between guest and VMM (one address space). */
struct gstat {
    uint64_t cycles;            /* sum of RDTSC deltas */
    uint64_t bad;               /* guest-side check failures */
    uint64_t arg;               /* test input */
    struct x86_cpuid want;      /* cpuid: the host's answer to leaf 0 */
};

static struct vmx_vcpu vcpu;
static struct gstat gs;
static uint64_t hbad;           /* handler-side check failures */
static uint64_t hseen;          /* exits the handler has seen */
static uint64_t hfirst_bad_qual;

static uint64_t pf_frame[512] __attribute__((aligned(4096)));
static uint64_t *pf_pte;
static struct vmx_ept ept;
static uint8_t ept_pages[N][4096] __attribute__((aligned(4096)));

static void hcheck(bool ok, uint64_t qual)
{
    if (!ok) {
        if (hbad == 0)
            hfirst_bad_qual = qual;
        hbad++;
    }
}

/* ---- cpuid ---------------------------------------------------------------- */

static uint64_t g_cpuid(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        struct x86_cpuid r = x86_cpuid(0, 0);
        uint64_t t1 = rt_rdtsc();

        s->cycles += t1 - t0;
        if (r.eax != s->want.eax || r.ebx != s->want.ebx ||
            r.ecx != s->want.ecx || r.edx != s->want.edx)
            s->bad++;
    }
    return N;
}

static enum vmx_action h_cpuid(struct vmx_vcpu *v)
{
    hcheck(v->regs.rax == 0 && v->regs.rcx == 0, v->qual);
    hseen++;
    vmx_emulate_cpuid(v);
    return VMX_SKIP;
}

static int s_cpuid(struct vmx_vcpu *v)
{
    (void)v;
    gs.want = x86_cpuid(0, 0);
    return 0;
}

/* ---- vmcall --------------------------------------------------------------- */

static uint64_t g_vmcall(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        uint64_t r = vmx_vmcall(0x1000 + i);
        uint64_t t1 = rt_rdtsc();

        s->cycles += t1 - t0;
        if (r != 0x2000 + i)
            s->bad++;
    }
    return N;
}

static enum vmx_action h_vmcall(struct vmx_vcpu *v)
{
    hcheck(v->regs.rax == 0x1000 + hseen, v->qual);
    v->regs.rax = 0x2000 + hseen;
    hseen++;
    return VMX_SKIP;
}

/* ---- hlt ------------------------------------------------------------------ */

static uint64_t g_hlt(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        __asm__ __volatile__("hlt" : : : "memory");
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

static enum vmx_action h_skip(struct vmx_vcpu *v)
{
    (void)v;
    hseen++;
    return VMX_SKIP;
}

static int s_hlt(struct vmx_vcpu *v)
{
    (void)v;
    return vmx_ctl_set(VMX_CTL_PROC, PROC_HLT_EXITING);
}

/* ---- port I/O ------------------------------------------------------------- */

/* OUT imm8, AL: size 1 (bits 2:0 = 0), OUT (bit 3 = 0), immediate operand
 * (bit 6), port in bits 31:16.  IN AL, DX: IN (bit 3), DX operand. */
#define QUAL_OUT ((uint64_t)IO_PORT << 16 | VMX_QUAL_IO_IMM)
#define QUAL_IN  ((uint64_t)IO_PORT << 16 | VMX_QUAL_IO_IN)

static uint64_t g_io_out(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        __asm__ __volatile__("outb %%al, %1"
                             : : "a"((uint8_t)i), "i"(IO_PORT) : "memory");
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

static enum vmx_action h_io_out(struct vmx_vcpu *v)
{
    hcheck(v->qual == QUAL_OUT && (uint8_t)v->regs.rax == (uint8_t)hseen,
           v->qual);
    hseen++;
    return VMX_SKIP;
}

static uint64_t g_io_in(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        uint8_t val;

        __asm__ __volatile__("inb %%dx, %%al"
                             : "=a"(val) : "d"((uint16_t)IO_PORT)
                             : "memory");
        s->cycles += rt_rdtsc() - t0;
        if (val != (uint8_t)(0xA5 + i))
            s->bad++;
    }
    return N;
}

static enum vmx_action h_io_in(struct vmx_vcpu *v)
{
    hcheck(v->qual == QUAL_IN, v->qual);
    v->regs.rax = (v->regs.rax & ~(uint64_t)0xFF) |
                  (uint8_t)(0xA5 + hseen);     /* IN AL writes AL only */
    hseen++;
    return VMX_SKIP;
}

static int s_io(struct vmx_vcpu *v)
{
    (void)v;
    return vmx_ctl_set(VMX_CTL_PROC, PROC_UNCOND_IO_EXITING);
}

/* ---- MSRs ----------------------------------------------------------------- */

#define RDMSR_VALUE(i)  (0x5A5A000000000000ull | (i))
#define WRMSR_VALUE(i)  (((uint64_t)(i) << 32) | 0xC0DE0000u | (i))

static uint64_t g_rdmsr(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        uint64_t val = x86_rdmsr(MSR_EXIT);

        s->cycles += rt_rdtsc() - t0;
        if (val != RDMSR_VALUE(i))
            s->bad++;
    }
    return N;
}

static enum vmx_action h_rdmsr(struct vmx_vcpu *v)
{
    hcheck((uint32_t)v->regs.rcx == MSR_EXIT, v->qual);
    v->regs.rax = (uint32_t)RDMSR_VALUE(hseen);
    v->regs.rdx = (uint32_t)(RDMSR_VALUE(hseen) >> 32);
    hseen++;
    return VMX_SKIP;
}

static uint64_t g_wrmsr(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        x86_wrmsr(MSR_EXIT, WRMSR_VALUE(i));
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

static enum vmx_action h_wrmsr(struct vmx_vcpu *v)
{
    uint64_t val = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;

    hcheck((uint32_t)v->regs.rcx == MSR_EXIT && val == WRMSR_VALUE(hseen),
           v->qual);
    hseen++;
    return VMX_SKIP;
}

/* The bitmap marks MSR_EXIT for reads and writes; MSR_PASS, one bit away
 * in the same byte of the high-MSR halves, stays clear. */
static int s_msr_bitmap(struct vmx_vcpu *v)
{
    vmx_msr_bitmap_enable(v);
    vmx_msr_intercept(v, MSR_EXIT, true, true);
    vmx_msr_intercept(v, MSR_PASS, false, false);
    gs.arg = 0xFFFF800012345000ull;     /* canonical */
    x86_wrmsr(MSR_PASS, gs.arg);
    return 0;
}

static uint64_t g_rdmsr_pass(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        uint64_t val = x86_rdmsr(MSR_PASS);

        s->cycles += rt_rdtsc() - t0;
        if (val != s->arg)
            s->bad++;
    }
    return N;
}

#define PASS_VALUE(i)   (0x0000700000000000ull + ((uint64_t)(i) << 12))

static uint64_t g_wrmsr_pass(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        x86_wrmsr(MSR_PASS, PASS_VALUE(i));
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

/* The guest's writes reached the real MSR. */
static int c_wrmsr_pass(void)
{
    return x86_rdmsr(MSR_PASS) == PASS_VALUE(N - 1) ? 0 : -1;
}

/* ---- control registers ---------------------------------------------------- */

/* MOV to CR3 from RAX: CR 3, access type 0, GPR 0. */
#define QUAL_CR3_WRITE  0x3
/* MOV to CR8 from RAX: 0x8; MOV from CR8 to RAX: type 1, 0x18. */
#define QUAL_CR8_WRITE  0x8
#define QUAL_CR8_READ   0x18

static uint64_t g_cr3(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        __asm__ __volatile__("mov %%rax, %%cr3" : : "a"(s->arg) : "memory");
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

static enum vmx_action h_cr3(struct vmx_vcpu *v)
{
    uint64_t val = vmx_gpr(v, VMX_QUAL_CR_GPR(v->qual));

    hcheck(v->qual == QUAL_CR3_WRITE && val == gs.arg, v->qual);
    vmx_write(VMCS_GUEST_CR3, val);     /* emulate the load */
    hseen++;
    return VMX_SKIP;
}

static int s_cr3(struct vmx_vcpu *v)
{
    (void)v;
    gs.arg = x86_read_cr3();
    vmx_write(VMCS_CR3_TARGET_COUNT, 0);
    return vmx_ctl_set(VMX_CTL_PROC, PROC_CR3_LOAD_EXITING);
}

static uint64_t vtpr;           /* the guest's TPR as the VMM keeps it */

static uint64_t g_cr8_write(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();

        __asm__ __volatile__("mov %%rax, %%cr8"
                             : : "a"((uint64_t)(i & 15)) : "memory");
        s->cycles += rt_rdtsc() - t0;
    }
    return N;
}

static enum vmx_action h_cr8_write(struct vmx_vcpu *v)
{
    uint64_t val = vmx_gpr(v, VMX_QUAL_CR_GPR(v->qual));

    hcheck(v->qual == QUAL_CR8_WRITE && val == (hseen & 15), v->qual);
    vtpr = val & 15;
    hseen++;
    return VMX_SKIP;
}

static uint64_t g_cr8_read(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0 = rt_rdtsc();
        uint64_t val;

        __asm__ __volatile__("mov %%cr8, %%rax" : "=a"(val) : : "memory");
        s->cycles += rt_rdtsc() - t0;
        if (val != ((i * 7) & 15))
            s->bad++;
    }
    return N;
}

static enum vmx_action h_cr8_read(struct vmx_vcpu *v)
{
    hcheck(v->qual == QUAL_CR8_READ, v->qual);
    vtpr = (hseen * 7) & 15;
    vmx_set_gpr(v, VMX_QUAL_CR_GPR(v->qual), vtpr);
    hseen++;
    return VMX_SKIP;
}

static int s_cr8(struct vmx_vcpu *v, uint32_t ctl)
{
    (void)v;
    if (vmx_ctl_clear(VMX_CTL_PROC, PROC_TPR_SHADOW) != 0)
        return -1;
    return vmx_ctl_set(VMX_CTL_PROC, ctl);
}

static int s_cr8_write(struct vmx_vcpu *v)
{
    return s_cr8(v, PROC_CR8_LOAD_EXITING);
}

static int s_cr8_read(struct vmx_vcpu *v)
{
    return s_cr8(v, PROC_CR8_STORE_EXITING);
}

/* ---- #PF through the exception bitmap ------------------------------------- */

/* Valid, error code valid, type 3 (hardware exception), vector 14. */
#define PF_INTR_INFO    (VMX_INTR_VALID | VMX_INTR_ERRCODE_VALID | \
                         (VMX_INTR_TYPE_HW_EXC << 8) | 14)

static uint64_t g_pf(void *arg)
{
    struct gstat *s = arg;
    volatile uint64_t *page = (volatile uint64_t *)(uintptr_t)PF_VA;

    for (uint32_t i = 0; i < N; i++) {
        uint64_t t0, t1, val;

        *pf_pte &= ~(uint64_t)PTE_P;
        x86_invlpg(&page[i]);
        t0 = rt_rdtsc();
        val = page[i];                  /* #PF -> VM exit, then again */
        t1 = rt_rdtsc();
        s->cycles += t1 - t0;
        if (val != i * 3 + 1)
            s->bad++;
    }
    return N;
}

static enum vmx_action h_pf(struct vmx_vcpu *v)
{
    uint64_t info = vmx_read(VMCS_EXIT_INTR_INFO);
    uint64_t err = vmx_read(VMCS_EXIT_INTR_ERRCODE);

    /* Exit qualification of a #PF exit = the faulting linear address (CR2
     * is left alone); error code 0: read of a not-present page, CPL 0. */
    if ((uint32_t)info != PF_INTR_INFO) {
        vmx_report_exit("pf: unexpected exception exit", v);
        hcheck(false, v->qual);
        return VMX_STOP;
    }
    hcheck(err == 0 && v->qual == PF_VA + hseen * 8, v->qual);
    *pf_pte |= PTE_P;       /* not-present entries are not cached */
    hseen++;
    return VMX_RESUME;      /* re-execute the load */
}

static int s_pf(struct vmx_vcpu *v)
{
    (void)v;
    for (unsigned int k = 0; k < 512; k++)
        pf_frame[k] = (uint64_t)k * 3 + 1;
    if (pf_pte == NULL) {
        if (rt_map_page(PF_VA, (uint64_t)(uintptr_t)pf_frame,
                        PTE_P | PTE_W) != 0)
            return -1;
        pf_pte = rt_pte(PF_VA);
    }
    if (pf_pte == NULL)
        return -1;
    vmx_write(VMCS_PF_ERRCODE_MASK, 0);
    vmx_write(VMCS_PF_ERRCODE_MATCH, 0);
    vmx_write(VMCS_EXCEPTION_BITMAP,
              vmx_read(VMCS_EXCEPTION_BITMAP) | (1u << 14));
    return 0;
}

/* ---- EPT violation -------------------------------------------------------- */

/* Data read (bit 0), nothing allowed (bits 5:3 = 0: not present), guest-
 * linear address valid (bit 7), access to the final translation (bit 8).
 * Bits 11:9 (advanced EPT-violation information) vary by CPU: masked. */
#define EPT_QUAL_MASK   0x1FF
#define EPT_QUAL_WANT   (EPT_QUAL_READ | EPT_QUAL_GLA_VALID | EPT_QUAL_FINAL)

static uint64_t g_ept(void *arg)
{
    struct gstat *s = arg;

    for (uint32_t i = 0; i < N; i++) {
        volatile uint64_t *p = (volatile uint64_t *)(void *)ept_pages[i];
        uint64_t t0 = rt_rdtsc();
        uint64_t val = *p;              /* EPT violation, then again */
        uint64_t t1 = rt_rdtsc();

        s->cycles += t1 - t0;
        if (val != 0xE0E0E0E000000000ull + i)
            s->bad++;
    }
    return N;
}

static enum vmx_action h_ept(struct vmx_vcpu *v)
{
    uint64_t want = (uint64_t)(uintptr_t)ept_pages[hseen < N ? hseen : 0];
    uint64_t gpa = vmx_read(VMCS_GUEST_PHYS_ADDR);
    uint64_t gla = vmx_read(VMCS_GUEST_LINEAR_ADDR);
    uint64_t *pte = vmx_ept_pte(&ept, gpa);

    hcheck((v->qual & EPT_QUAL_MASK) == EPT_QUAL_WANT && gpa == want &&
           gla == want && pte != NULL, v->qual);
    if (pte == NULL || *pte != 0)
        return VMX_STOP;                /* not one of ours: give up */
    *pte = (gpa & EPT_ADDR) | EPT_MT_WB | EPT_RWX;
    hseen++;
    return VMX_RESUME;
}

static int s_ept(struct vmx_vcpu *v)
{
    (void)v;
    if (vmx_ept_init(&ept) != 0)
        return -1;
    for (unsigned int i = 0; i < N; i++) {
        uint64_t *pte = vmx_ept_pte(&ept, (uint64_t)(uintptr_t)ept_pages[i]);

        if (pte == NULL)
            return -1;
        *(uint64_t *)(void *)ept_pages[i] = 0xE0E0E0E000000000ull + i;
        *pte = 0;                       /* not present */
    }
    return vmx_ept_enable(&ept);
}

/* ---- the test table ------------------------------------------------------- */

struct test {
    const char     *name;
    unsigned int    reason;             /* the one exit reason, or NONE */
    const char     *detail;             /* printed after the reason */
    vmx_guest_fn    guest;
    vmx_handler_fn  handler;
    int           (*setup)(struct vmx_vcpu *v);
    int           (*check)(void);
};

static const struct test tests[] = {
    { "cpuid", VMX_EXIT_CPUID, "", g_cpuid, h_cpuid, s_cpuid, NULL },
    { "vmcall", VMX_EXIT_VMCALL, "", g_vmcall, h_vmcall, NULL, NULL },
    { "hlt", VMX_EXIT_HLT, "", g_hlt, h_skip, s_hlt, NULL },
    { "io-out", VMX_EXIT_IO, ", qualification 0x800040", g_io_out,
      h_io_out, s_io, NULL },
    { "io-in", VMX_EXIT_IO, ", qualification 0x800008", g_io_in, h_io_in,
      s_io, NULL },
    { "rdmsr", VMX_EXIT_RDMSR, "", g_rdmsr, h_rdmsr, NULL, NULL },
    { "wrmsr", VMX_EXIT_WRMSR, "", g_wrmsr, h_wrmsr, NULL, NULL },
    { "rdmsr-bitmap-exit", VMX_EXIT_RDMSR, "", g_rdmsr, h_rdmsr,
      s_msr_bitmap, NULL },
    { "wrmsr-bitmap-exit", VMX_EXIT_WRMSR, "", g_wrmsr, h_wrmsr,
      s_msr_bitmap, NULL },
    { "rdmsr-bitmap-pass", NONE, "", g_rdmsr_pass, NULL, s_msr_bitmap,
      NULL },
    { "wrmsr-bitmap-pass", NONE, "", g_wrmsr_pass, NULL, s_msr_bitmap,
      c_wrmsr_pass },
    { "cr3-write", VMX_EXIT_CR_ACCESS, ", qualification 0x3", g_cr3, h_cr3,
      s_cr3, NULL },
    { "cr8-write", VMX_EXIT_CR_ACCESS, ", qualification 0x8", g_cr8_write,
      h_cr8_write, s_cr8_write, NULL },
    { "cr8-read", VMX_EXIT_CR_ACCESS, ", qualification 0x18", g_cr8_read,
      h_cr8_read, s_cr8_read, NULL },
    { "pf", VMX_EXIT_EXCEPTION, ", vector 14, error code 0x0", g_pf, h_pf,
      s_pf, NULL },
    { "ept", VMX_EXIT_EPT_VIOLATION, ", qualification 0x181", g_ept, h_ept,
      s_ept, NULL },
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static bool run_test(const struct test *t)
{
    enum vmx_run_result r;
    uint64_t want = t->reason == NONE ? 0 : N;
    uint64_t got;
    bool ok;

    memset(&gs, 0, sizeof(gs));
    hbad = 0;
    hseen = 0;
    hfirst_bad_qual = 0;
    vmx_vcpu_init(&vcpu, t->guest, &gs);
    if (t->setup != NULL && t->setup(&vcpu) != 0) {
        printf("%s: FAIL: a control or capability it needs is missing\n",
               t->name);
        return false;
    }
    if (t->reason != NONE)
        vmx_set_handler(&vcpu, t->reason, t->handler);

    r = vmx_run(&vcpu);

    got = t->reason == NONE ? vcpu.exits : vcpu.count[t->reason];
    ok = r == VMX_RUN_DONE && vcpu.result == N && got == want &&
         vcpu.exits == got && hseen == want && gs.bad == 0 && hbad == 0 &&
         (t->check == NULL || t->check() == 0);
    if (ok && t->reason == NONE)
        printf("%s: 0 exits, ok\n", t->name);
    else if (ok)
        printf("%s: %lu exits (reason %u%s), ok\n", t->name, got,
               t->reason, t->detail);
    else
        printf("%s: FAIL: run %s, %lu exits of reason %u (want %lu), "
               "%lu in all, %lu guest and %lu handler check failures "
               "(first qualification 0x%lx)\n", t->name,
               r == VMX_RUN_DONE ? "done" : "stopped", got,
               t->reason == NONE ? 0 : t->reason, want, vcpu.exits, gs.bad,
               hbad, hfirst_bad_qual);
    printf("# %s: %u iterations, %lu exits, avg %lu cycles\n", t->name, N,
           got, gs.cycles / N);
    return ok;
}

int main(void)
{
    unsigned int failed = 0;

    vmx_on();
    printf("vmexit: in VMX root operation, %u iterations per test\n", N);
    printf("# vmexit: IA32_VMX_BASIC 0x%lx (revision 0x%x, TRUE controls "
           "%s), EPT/VPID capabilities 0x%lx, MISC 0x%lx\n", vmx_caps.basic,
           vmx_caps.revision, vmx_caps.true_ctls ? "yes" : "no",
           vmx_caps.ept_vpid, vmx_caps.misc);
    for (unsigned int i = 0; i < NTESTS; i++)
        if (!run_test(&tests[i]))
            failed++;
    if (vmx_off() != VMX_OK) {
        printf("vmexit: VMXOFF failed\n");
        failed++;
    }
    printf("vmexit: %u tests, %u failed\n", (unsigned int)NTESTS, failed);
    return failed == 0 ? 0 : 1;
}
