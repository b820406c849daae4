/* workloads/x86/boot.S: Multiboot v1 header and boot path of the vtsim x86
 * runtime.  A Multiboot loader (QEMU -kernel, GRUB, vtsim's loader) enters
 * rt_entry32 in 32-bit protected mode with paging off, EAX = 0x2BADB002 and
 * EBX = physical address of the Multiboot information structure.  This file
 * loads its own GDT, clears .bss, identity-maps the first 4 GiB with 2-MiB
 * pages, enables PAE, EFER.LME (and EFER.NXE when the CPU has NX) and paging,
 * far-jumps to 64-bit code and calls rt_start() on the boot stack.
 */
#include "x86.h"
#include "rt.h"

#define MB_MAGIC        0x1BADB002
#define MB_FLAGS        0x00000003      /* bit 0: page-align modules,
                                           bit 1: want memory information */

/* ---- the Multiboot header: first thing in the image (see x86.ld) ------- */
        .section .multiboot, "a"
        .balign 4
mb_header:
        .long   MB_MAGIC
        .long   MB_FLAGS
        .long   -(MB_MAGIC + MB_FLAGS)

/* ---- 32-bit protected-mode entry ---------------------------------------- */
        .section .text.boot, "ax"
        .code32
        .globl  rt_entry32
rt_entry32:
        cli
        cld
        movl    %eax, %edx              /* EDX = Multiboot magic, EBX = info */

        /* The loader's GDT may be gone: load ours and reload every segment. */
        lgdt    rt_gdt_ptr
        ljmp    $SEL_BOOT32, $1f
1:      movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %fs
        movw    %ax, %gs
        movw    %ax, %ss
        movl    $rt_boot_stack_top, %esp

        /* Clear .bss (page tables and stacks live there).  EDX/EBX survive. */
        movl    $__bss_start, %edi
        movl    $__bss_end, %ecx
        subl    %edi, %ecx
        xorl    %eax, %eax
        rep stosb
        movl    %edx, rt_mb_magic
        movl    %ebx, rt_mb_info

        /* Long mode is required; NX is used when present. */
        movl    $0x80000000, %eax
        cpuid
        cmpl    $0x80000001, %eax
        jb      no_long_mode
        movl    $0x80000001, %eax
        cpuid
        testl   $CPUID_EXT_LM, %edx
        jz      no_long_mode
        movl    %edx, %esi              /* ESI = CPUID.80000001H:EDX */

        /* PML4[0] -> PDPT; PDPT[0..3] -> the four PDs. */
        movl    $rt_pdpt + (PTE_P | PTE_W | PTE_U), rt_pml4
        movl    $rt_pd + (PTE_P | PTE_W | PTE_U), %eax
        movl    $rt_pdpt, %edi
        movl    $4, %ecx
2:      movl    %eax, (%edi)
        addl    $4096, %eax
        addl    $8, %edi
        decl    %ecx
        jnz     2b

        /* 2048 PDEs, each a 2-MiB page: identity map of [0, 4 GiB). */
        movl    $(PTE_P | PTE_W | PTE_U | PTE_PS), %eax
        movl    $rt_pd, %edi
        movl    $2048, %ecx
3:      movl    %eax, (%edi)
        addl    $0x200000, %eax
        addl    $8, %edi
        decl    %ecx
        jnz     3b

        movl    %cr4, %eax
        orl     $CR4_PAE, %eax
        movl    %eax, %cr4
        movl    $rt_pml4, %eax
        movl    %eax, %cr3

        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        testl   $CPUID_EXT_NX, %esi
        jz      4f
        orl     $EFER_NXE, %eax
4:      wrmsr

        movl    %cr0, %eax
        orl     $(CR0_PG | CR0_WP | CR0_NE | CR0_PE), %eax
        movl    %eax, %cr0              /* EFER.LMA becomes 1 here */
        ljmp    $SEL_KCODE, $rt_entry64

/* No long mode: say so on COM1 (unpolled, enough for a 16550 with FIFO or
 * QEMU) and leave through the debug-exit port. */
no_long_mode:
        movl    $msg_no_lm, %esi
        movw    $PORT_COM1, %dx
5:      movb    (%esi), %al
        testb   %al, %al
        jz      6f
        outb    %al, %dx
        incl    %esi
        jmp     5b
6:      movl    $RT_EXIT_NO_LONG_MODE, %eax
        outl    %eax, $PORT_DEBUG_EXIT
7:      hlt
        jmp     7b

/* ---- 64-bit entry ------------------------------------------------------- */
        .code64
rt_entry64:
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        xorl    %eax, %eax
        movw    %ax, %fs
        movw    %ax, %gs
        movq    $rt_boot_stack_top, %rsp
        xorl    %ebp, %ebp
        call    rt_start                /* does not return */
8:      hlt
        jmp     8b

        .section .rodata
msg_no_lm:
        .asciz  "vtsim-x86: CPU has no long mode\n"

/* ---- GDT (selectors in x86.h) --------------------------------------------
 * Descriptor quadwords: limit 0xFFFFF with G=1, base 0; access byte at bits
 * 40-47 (accessed bit preset so the CPU never writes the table), flags at
 * 52-55 (0xA = G|L for 64-bit code, 0xC = G|D/B for 32-bit code and data). */
        .data
        .balign 16
        .globl  rt_gdt
rt_gdt:
        .quad   0                       /* 0x00 null */
        .quad   0x00AF9B000000FFFF      /* 0x08 kernel code, 64-bit */
        .quad   0x00CF93000000FFFF      /* 0x10 kernel data */
        .quad   0x00CFFB000000FFFF      /* 0x18 user code, 32-bit */
        .quad   0x00CFF3000000FFFF      /* 0x20 user data */
        .quad   0x00AFFB000000FFFF      /* 0x28 user code, 64-bit */
        .quad   0x00CF9B000000FFFF      /* 0x30 boot code, 32-bit */
        .quad   0, 0                    /* 0x38 TSS, filled by rt_start() */
rt_gdt_end:

/* One pseudo-descriptor serves both modes: 32-bit LGDT reads the limit and
 * the low 4 bytes of the base, 64-bit LGDT all 8 (the base is below 4 GiB). */
        .balign 8
        .globl  rt_gdt_ptr
        .word   0, 0, 0                 /* pad so the base is 8-aligned */
rt_gdt_ptr:
        .word   rt_gdt_end - rt_gdt - 1
        .quad   rt_gdt

        .balign 8
        .globl  rt_mb_magic, rt_mb_info
rt_mb_magic:
        .long   0
rt_mb_info:
        .long   0

/* ---- page tables and boot stack (.bss, cleared above) ------------------- */
        .bss
        .balign 4096
        .globl  rt_pml4, rt_pdpt, rt_pd
rt_pml4:
        .skip   4096
rt_pdpt:
        .skip   4096
rt_pd:
        .skip   4 * 4096
        .balign 16
        .globl  rt_boot_stack_top
rt_boot_stack:
        .skip   16384
rt_boot_stack_top:

        .section .note.GNU-stack, "", @progbits
