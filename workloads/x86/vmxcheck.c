/* workloads/x86/vmxcheck.c: deliberate VMX failures on the VMM runtime
 * (vmx.h), one per line, each compared with what the SDM says the CPU
 * must report: VMfailValid with its VM-instruction error number (field
 * 0x4400), or a VM-entry failure exit (exit reason bit 31 set, basic
 * reason 33, with its exit qualification).  After each failure the state
 * is put back and a normal VM entry shows the VMCS still works.
 *
 * Sources: Intel SDM Vol. 3C (order number 326019), "VM Instruction Error
 * Numbers", "VM Entries" (checks on controls, host state, guest state),
 * "VMX Instruction Reference" (VMXON, VMCLEAR, VMPTRLD, VMLAUNCH/VMRESUME);
 * restated in /work/shared/reference/hw-virt-facts.md A3, A8.
 *
 * Output: deterministic lines only, plus "# " lines with the bits chosen
 * (machine-dependent).  exit(0) when every check matched, exit(1)
 * otherwise.
 */
#include "vmx.h"

static struct vmx_vcpu vcpu;
static uint8_t other_vmcs[4096] __attribute__((aligned(4096)));
static unsigned int checks, failed;

static uint64_t g_answer(void *arg)
{
    (void)arg;
    return 42;
}

/* Reason 33 (and any failed entry): record and stop. */
static enum vmx_action h_entry_fail(struct vmx_vcpu *v)
{
    (void)v;
    return VMX_STOP;
}

static uint64_t pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

/* Ends the line the caller started. */
static void result(bool ok)
{
    checks++;
    if (!ok)
        failed++;
    printf("%s\n", ok ? ", ok" : ", FAIL");
}

/* A VMX instruction must give VMfailValid with error `want`. */
static void expect_vmfail(const char *name, enum vmx_status st,
                          uint32_t want)
{
    uint64_t err = 0;

    printf("%s: ", name);
    if (st == VMX_OK) {
        printf("VMsucceed (want VMfailValid, error %u)", want);
        result(false);
        return;
    }
    if (st == VMX_FAIL_INVALID) {
        printf("VMfailInvalid (want VMfailValid, error %u)", want);
        result(false);
        return;
    }
    if (vmx_try_read(VMCS_INSN_ERROR, &err) != VMX_OK)
        err = ~(uint64_t)0;
    printf("VMfailValid, error %lu", err);
    if (err != want)
        printf(" (want %u)", want);
    result(err == want);
}

/* vmx_run must give VMfailValid with error `want`. */
static void expect_run_vmfail(const char *name, uint32_t want)
{
    enum vmx_run_result r = vmx_run(&vcpu);

    printf("%s: ", name);
    if (r != VMX_RUN_VMFAIL) {
        printf("VM entry happened, exit reason 0x%x (want VMfailValid, "
               "error %u)", vcpu.reason, want);
        result(false);
        return;
    }
    if (vcpu.vmfail != VMX_FAIL_VALID) {
        printf("VMfailInvalid (want VMfailValid, error %u)", want);
        result(false);
        return;
    }
    printf("VMfailValid, error %u", vcpu.insn_error);
    if (vcpu.insn_error != want)
        printf(" (want %u)", want);
    result(vcpu.insn_error == want);
}

/* vmx_run must end in a VM-entry failure exit (reason 33 | bit 31) with
 * exit qualification `want_qual`. */
static void expect_entry_fail(const char *name, uint64_t want_qual)
{
    enum vmx_run_result r = vmx_run(&vcpu);
    uint32_t want = VMX_EXIT_REASON_FAILED_ENTRY | VMX_EXIT_INVALID_GUEST;

    printf("%s: ", name);
    if (r == VMX_RUN_VMFAIL) {
        printf("VMfail, error %u (want exit reason 0x%x)", vcpu.insn_error,
               want);
        result(false);
        return;
    }
    if (r == VMX_RUN_DONE) {
        printf("the guest ran (want exit reason 0x%x)", want);
        result(false);
        return;
    }
    printf("VM-entry failure, exit reason 0x%x, qualification 0x%lx",
           vcpu.reason, vcpu.qual);
    result(vcpu.reason == want && vcpu.qual == want_qual &&
                 !vcpu.launched);
}

static void expect_launch(const char *name)
{
    enum vmx_run_result r = vmx_run(&vcpu);

    printf("%s: ", name);
    if (r == VMX_RUN_DONE)
        printf("guest returned %lu", vcpu.result);
    else if (r == VMX_RUN_VMFAIL)
        printf("VMfail, error %u", vcpu.insn_error);
    else
        printf("stopped, exit reason 0x%x", vcpu.reason);
    result(r == VMX_RUN_DONE && vcpu.result == 42);
}

/* Index of the lowest set bit of x (x != 0); a loop rather than
 * __builtin_ctz, which gcc emits as TZCNT. */
static int lowest_bit(uint64_t x)
{
    int n = 0;

    while ((x & 1) == 0) {
        x >>= 1;
        n++;
    }
    return n;
}

/* A pin-based control value that breaks the capability MSR: clear a bit
 * that allowed-0 fixes to 1, else set a bit that allowed-1 fixes to 0. */
static uint32_t bad_pin(uint32_t pin, int *bit)
{
    uint32_t a0 = vmx_caps.allowed0[VMX_CTL_PIN];
    uint32_t no = ~vmx_caps.allowed1[VMX_CTL_PIN];

    if (a0 != 0) {
        *bit = lowest_bit(a0);
        return pin & ~(a0 & -a0);
    }
    *bit = lowest_bit(no);           /* no != 0: bit 31 is reserved */
    return pin | (no & -no);
}

int main(void)
{
    uint64_t cr0, cur = 0, fixed;
    uint32_t pin;
    int bit;

    vmx_on();
    printf("vmxcheck: in VMX root operation\n");
    vmx_vcpu_init(&vcpu, g_answer, NULL);
    vcpu.vmfail_returns = true;
    vmx_set_handler(&vcpu, VMX_EXIT_INVALID_GUEST, h_entry_fail);

    /* VMX instructions with bad operands, a current VMCS being loaded. */
    expect_vmfail("vmxon-in-root", vmx_try_vmxon(vmx_vmxon_pa()), 15);
    expect_vmfail("vmread-unsupported-field",
                  vmx_try_read(0x00010000, &cur), 12);
    expect_vmfail("vmwrite-unsupported-field",
                  vmx_try_write(0x00010000, 0), 12);

    /* VMRESUME of a VMCS whose launch state is clear. */
    vcpu.launched = true;
    expect_run_vmfail("vmresume-not-launched", 5);
    vcpu.launched = false;

    /* Checks on VM-execution control fields: VMfailValid(7). */
    pin = vmx_ctl_get(VMX_CTL_PIN);
    vmx_write(VMCS_PIN_CTLS, bad_pin(pin, &bit));
    printf("# bad-pin-control: pin-based controls 0x%x, bit %d flipped\n",
           pin, bit);
    expect_run_vmfail("bad-pin-control", 7);
    vmx_write(VMCS_PIN_CTLS, pin);

    /* Checks on host-state area: VMfailValid(8).  Host CR0 without a bit
     * IA32_VMX_CR0_FIXED0 requires. */
    cr0 = vmx_read(VMCS_HOST_CR0);
    fixed = vmx_caps.cr0_fixed0 & cr0;
    if (fixed == 0) {
        printf("bad-host-cr0: FAIL: IA32_VMX_CR0_FIXED0 0x%lx fixes no bit\n",
               vmx_caps.cr0_fixed0);
        checks++;
        failed++;
    } else {
        vmx_write(VMCS_HOST_CR0, cr0 & ~(fixed & -fixed));
        printf("# bad-host-cr0: host CR0 0x%lx, bit %d cleared\n", cr0,
               lowest_bit(fixed));
        expect_run_vmfail("bad-host-cr0", 8);
        vmx_write(VMCS_HOST_CR0, cr0);
    }

    /* Checks on guest state: VM-entry failure exits. */
    vmx_write(VMCS_GUEST_RFLAGS, 0);            /* bit 1 must be 1 */
    expect_entry_fail("bad-guest-rflags", 0);
    vmx_write(VMCS_GUEST_RFLAGS, RFLAGS_FIXED);

    vmx_write(VMCS_LINK_POINTER, pa(other_vmcs) + 0x10);   /* unaligned */
    expect_entry_fail("bad-vmcs-link-pointer", 4);
    vmx_write(VMCS_LINK_POINTER, ~(uint64_t)0);

    /* The same VMCS now launches, and then refuses a second VMLAUNCH. */
    expect_launch("launch-after-failures");
    vcpu.launched = false;
    expect_run_vmfail("vmlaunch-launched", 4);
    vcpu.launched = true;

    /* VMPTRLD and VMCLEAR operand checks (a current VMCS exists, so each
     * failure is VMfailValid). */
    *(volatile uint32_t *)other_vmcs = (vmx_caps.revision + 1) & 0x7FFFFFFF;
    expect_vmfail("vmptrld-bad-revision", vmx_try_vmptrld(pa(other_vmcs)),
                  11);
    expect_vmfail("vmptrld-vmxon-pointer", vmx_try_vmptrld(vmx_vmxon_pa()),
                  10);
    expect_vmfail("vmptrld-unaligned", vmx_try_vmptrld(pa(other_vmcs) + 8),
                  9);
    expect_vmfail("vmclear-vmxon-pointer", vmx_try_vmclear(vmx_vmxon_pa()),
                  3);
    expect_vmfail("vmclear-unaligned", vmx_try_vmclear(pa(other_vmcs) + 8),
                  2);

    /* None of that changed the current VMCS. */
    printf("vmptrst-current: ");
    cur = 0;
    if (vmx_try_vmptrst(&cur) != VMX_OK)
        printf("VMPTRST failed");
    else
        printf("%s", cur == pa(vcpu.vmcs) ? "current VMCS unchanged"
                                          : "current VMCS changed");
    result(cur == pa(vcpu.vmcs));

    printf("vmxoff: ");
    if (vmx_off() == VMX_OK) {
        printf("VMsucceed");
        result(true);
    } else {
        printf("VMfail");
        result(false);
    }

    printf("vmxcheck: %u checks, %u failed\n", checks, failed);
    return failed == 0 ? 0 : 1;
}
