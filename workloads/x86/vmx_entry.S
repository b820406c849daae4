/* workloads/x86/vmx_entry.S: the world-switch glue of the VMM runtime
 * (vmx.h): VM entry with the guest's general registers, the host re-entry
 * point named by HOST_RIP, and the guest trampoline.
 *
 * VM entry and VM exit load and save RIP, RSP and RFLAGS but no other
 * general register (SDM Vol. 3C "Loading Guest State", "Saving Guest
 * State"), so the runtime moves RAX-R15 itself: vmx_enter() loads them from
 * a struct vmx_gprs just before VMLAUNCH/VMRESUME, and vmx_exit_point
 * stores them back.  HOST_RSP points at the word that holds the struct's
 * address, below the host's callee-saved registers; on a VM exit the CPU
 * loads RSP from HOST_RSP and RIP from HOST_RIP (= vmx_exit_point) with
 * RFLAGS = 0x2, so vmx_exit_point finds the struct and returns from
 * vmx_enter() as if the call had just completed.
 */
#include "vmx.h"

/* Offsets in struct vmx_gprs (register-number order). */
#define G_RAX   0
#define G_RCX   8
#define G_RDX   16
#define G_RBX   24
#define G_RBP   40
#define G_RSI   48
#define G_RDI   56
#define G_R8    64
#define G_R9    72
#define G_R10   80
#define G_R11   88
#define G_R12   96
#define G_R13   104
#define G_R14   112
#define G_R15   120

        .text
/* uint64_t vmx_enter(struct vmx_gprs *regs (RDI), uint64_t launched (RSI),
 *                    uint64_t *host_rsp (RDX))
 * Returns 0 after a VM exit, or RFLAGS (CF/ZF tell VMfailInvalid from
 * VMfailValid) when VMLAUNCH, VMRESUME or the VMWRITE of HOST_RSP failed. */
        .globl  vmx_enter
        .type   vmx_enter, @function
vmx_enter:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        pushq   %rdi                    /* regs: at HOST_RSP on exit */

        /* HOST_RSP changes only when the caller's stack depth does. */
        cmpq    %rsp, (%rdx)
        je      1f
        movl    $VMCS_HOST_RSP, %eax
        vmwrite %rsp, %rax
        jbe     vmx_enter_failed        /* CF or ZF: VMfail */
        movq    %rsp, (%rdx)
1:
        /* ZF = (launched == 0).  The MOVs below leave RFLAGS alone. */
        testq   %rsi, %rsi
        movq    G_RAX(%rdi), %rax
        movq    G_RCX(%rdi), %rcx
        movq    G_RDX(%rdi), %rdx
        movq    G_RBX(%rdi), %rbx
        movq    G_RBP(%rdi), %rbp
        movq    G_RSI(%rdi), %rsi
        movq    G_R8(%rdi), %r8
        movq    G_R9(%rdi), %r9
        movq    G_R10(%rdi), %r10
        movq    G_R11(%rdi), %r11
        movq    G_R12(%rdi), %r12
        movq    G_R13(%rdi), %r13
        movq    G_R14(%rdi), %r14
        movq    G_R15(%rdi), %r15
        movq    G_RDI(%rdi), %rdi
        jnz     2f
        vmlaunch
        jmp     vmx_enter_failed
2:      vmresume
        /* Falling through VMLAUNCH/VMRESUME means VMfail: the guest values
         * loaded above are dropped, the host's are on the stack. */
vmx_enter_failed:
        pushfq
        popq    %rax
        addq    $8, %rsp                /* regs */
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   vmx_enter, . - vmx_enter

/* HOST_RIP.  RSP = HOST_RSP, RFLAGS = 0x2, every GPR but RSP the guest's. */
        .globl  vmx_exit_point
        .type   vmx_exit_point, @function
vmx_exit_point:
        pushq   %rdi                    /* guest RDI */
        movq    8(%rsp), %rdi           /* regs */
        movq    %rax, G_RAX(%rdi)
        movq    %rcx, G_RCX(%rdi)
        movq    %rdx, G_RDX(%rdi)
        movq    %rbx, G_RBX(%rdi)
        movq    %rbp, G_RBP(%rdi)
        movq    %rsi, G_RSI(%rdi)
        movq    %r8, G_R8(%rdi)
        movq    %r9, G_R9(%rdi)
        movq    %r10, G_R10(%rdi)
        movq    %r11, G_R11(%rdi)
        movq    %r12, G_R12(%rdi)
        movq    %r13, G_R13(%rdi)
        movq    %r14, G_R14(%rdi)
        movq    %r15, G_R15(%rdi)
        popq    G_RDI(%rdi)
        addq    $8, %rsp                /* regs */
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        xorl    %eax, %eax
        ret
        .size   vmx_exit_point, . - vmx_exit_point

/* First guest RIP.  RDI = arg, RSI = the guest function, RSP = the top of
 * the vcpu's stack (16-byte aligned, so the callee sees the ABI's RSP+8
 * alignment).  When the function returns, RAX holds its result and the
 * VMCALL at vmx_guest_done tells vmx_run() the guest is finished. */
        .globl  vmx_guest_entry, vmx_guest_done
        .type   vmx_guest_entry, @function
vmx_guest_entry:
        cld
        call    *%rsi
vmx_guest_done:
        vmcall
        ud2                             /* never resumed */
        .size   vmx_guest_entry, . - vmx_guest_entry

        .section .note.GNU-stack, "", @progbits
