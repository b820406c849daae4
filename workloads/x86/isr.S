/* workloads/x86/isr.S: entry stubs for exception vectors 0-31 of the vtsim
 * x86 runtime.  Each stub makes the stack look the same (a zero is pushed
 * for vectors without a CPU error code, then the vector number), saves the
 * 15 general registers to form a struct rt_regs (rt.h) and calls
 * rt_exception(regs).  If that returns, the registers are restored from the
 * (possibly modified) frame and IRETQ resumes the interrupted code.
 */
#include "x86.h"

        .text
/* Vectors for which the CPU pushes an error code: #DF 8, #TS 10, #NP 11,
 * #SS 12, #GP 13, #PF 14, #AC 17, #CP 21, #VC 29, #SX 30. */
        .macro  isr_stub vec
        .balign 16
isr_\vec:
        .if     !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17 || \
                  \vec == 21 || \vec == 29 || \vec == 30)
        pushq   $0
        .endif
        pushq   $\vec
        jmp     isr_common
        .endm

        .irp    v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15, \
                   16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        isr_stub \v
        .endr

/* Stack on arrival: ss, rsp, rflags, cs, rip, error, vector (7 quadwords,
 * 16-byte aligned by the CPU before the push), then 15 registers: 22 quads,
 * 176 bytes, so RSP is 16-byte aligned at the call. */
isr_common:
        pushq   %rax
        pushq   %rbx
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %rbp
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        cld
        movq    %rsp, %rdi
        call    rt_exception
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rbp
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rbx
        popq    %rax
        addq    $16, %rsp               /* vector and error code */
        iretq

/* Addresses of the 32 stubs, read by rt_idt_init(). */
        .section .rodata
        .balign 8
        .globl  rt_isr_table
rt_isr_table:
        .irp    v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15, \
                   16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   isr_\v
        .endr

        .section .note.GNU-stack, "", @progbits
