/* workloads/x86/user.S: ring-3 support of the vtsim x86 runtime.
 * rt_enter_user() drops to CPL 3 with IRETQ and runs a C function there;
 * rt_syscall_entry is the 64-bit SYSCALL target (MSR_LSTAR): it switches to
 * a kernel stack, calls the C handler installed by rt_syscall_init() and
 * returns with SYSRETQ.  System call RT_SYS_EXIT ends the ring-3 episode and
 * makes rt_enter_user() return the value given to it.
 *
 * System-call convention (like the Linux x86-64 ABI): number in RAX,
 * arguments in RDI, RSI, RDX, result in RAX; RCX and R11 are clobbered by the
 * instruction itself, every other register is preserved.
 */
#include "x86.h"
#include "rt.h"

        .text

/* uint64_t rt_enter_user(uint64_t (*fn)(void *), void *arg, void *stack_top)
 * Callee-saved registers and RSP are kept in rt_user_ksp for the way back. */
        .globl  rt_enter_user
rt_enter_user:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, rt_user_ksp(%rip)
        movq    %rdi, %r12              /* fn, called by the trampoline */
        movq    %rsi, %rdi              /* its argument */
        andq    $-16, %rdx
        pushq   $(SEL_UDATA | 3)        /* SS */
        pushq   %rdx                    /* RSP */
        pushq   $RFLAGS_FIXED           /* RFLAGS: IF=0, IOPL=0 */
        pushq   $(SEL_UCODE | 3)        /* CS */
        leaq    rt_user_trampoline(%rip), %rax
        pushq   %rax                    /* RIP */
        iretq

/* First ring-3 instructions: call fn(arg), then leave with its result. */
rt_user_trampoline:
        call    *%r12
        movq    %rax, %rdi
        movl    $RT_SYS_EXIT, %eax
        syscall
        ud2                             /* RT_SYS_EXIT never returns */

/* SYSCALL lands here at CPL 0 with RCX = user RIP, R11 = user RFLAGS,
 * RFLAGS masked by MSR_SFMASK and RSP still the user's. */
        .globl  rt_syscall_entry
rt_syscall_entry:
        movq    %rsp, rt_user_rsp(%rip)
        leaq    rt_syscall_stack_top(%rip), %rsp
        cmpq    $RT_SYS_EXIT, %rax
        je      1f
        pushq   %rcx
        pushq   %r11
        pushq   %rdi
        pushq   %rsi
        pushq   %rdx
        pushq   %r8
        pushq   %r9
        pushq   %r10                    /* 8 pushes: RSP 16-byte aligned */
        movq    %rdx, %rcx              /* handler(nr, a1, a2, a3) */
        movq    %rsi, %rdx
        movq    %rdi, %rsi
        movq    %rax, %rdi
        call    *rt_syscall_handler(%rip)
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rdx
        popq    %rsi
        popq    %rdi
        popq    %r11
        popq    %rcx
        movq    rt_user_rsp(%rip), %rsp
        sysretq

1:      /* RT_SYS_EXIT: back to the kernel context saved by rt_enter_user.
         * DS/ES were nulled by the IRETQ to CPL 3; reload them. */
        movq    %rdi, %rax
        movw    $SEL_KDATA, %dx
        movw    %dx, %ds
        movw    %dx, %es
        movq    rt_user_ksp(%rip), %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret

        .bss
        .balign 8
rt_user_ksp:
        .skip   8
rt_user_rsp:
        .skip   8
        .balign 16
rt_syscall_stack:
        .skip   8192
rt_syscall_stack_top:

        .section .note.GNU-stack, "", @progbits
