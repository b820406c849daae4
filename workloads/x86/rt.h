/* workloads/x86/rt.h: the API of the vtsim x86 bare-metal runtime.  A
 * workload image is the runtime (boot.S, isr.S, user.S, rt_*.c) plus one C
 * file that defines main(); see docs/x86-runtime.md.  When main() runs the
 * CPU is in 64-bit mode at CPL 0 with interrupts disabled, the first 4 GiB
 * identity-mapped, COM1 initialised and exception vectors 0-31 reporting on
 * the console.  main()'s return value is passed to exit().
 *
 * The constants below are also visible to assembly files.
 */
#ifndef WORKLOADS_X86_RT_H
#define WORKLOADS_X86_RT_H

/* Exit codes used by the runtime itself (the QEMU process status is
 * (code << 1) | 1, so these give 253 and 251). */
#define RT_EXIT_EXCEPTION       0x7e    /* unhandled exception */
#define RT_EXIT_NO_LONG_MODE    0x7d    /* CPU cannot run 64-bit code */

/* System-call number that ends a rt_enter_user() episode. */
#define RT_SYS_EXIT             0x7fffffff

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include "x86.h"

/* ---- the hook every workload implements --------------------------------- */
int main(void);

/* ---- console (COM1, 115200 8N1, polled) and exit --------------------------
 * printf understands %d %i %u %x %X %o %c %s %p %%, the length modifiers l,
 * ll and z, a field width and the flags '0' and '-'.  Output goes to COM1
 * byte by byte; "\n" is sent as is (no "\r"). */
int  printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int  vprintf(const char *fmt, va_list ap);
int  putchar(int c);
int  puts(const char *s);                   /* appends "\n", like C's puts */

/* Write code to the isa-debug-exit port (0xF4, 32-bit OUT); QEMU then exits
 * with status (code << 1) | 1.  If nothing listens, halt forever. */
_Noreturn void exit(int code);

/* ---- time --------------------------------------------------------------- */
static inline uint64_t rt_rdtsc(void)        { return x86_rdtsc_fenced(); }

/* ---- exceptions -----------------------------------------------------------
 * The frame built by isr.S; fields may be changed by a handler and are
 * restored by IRETQ (e.g. rip to skip an instruction). */
struct rt_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;          /* pushed by the CPU */
};

typedef void (*rt_handler_fn)(struct rt_regs *regs);

/* Install fn for vector (0-31); NULL restores the default, which prints
 * vector, mnemonic, error code, RIP (and CR2 for #PF) and exits with
 * RT_EXIT_EXCEPTION.  A handler that returns resumes the faulting context. */
void rt_set_handler(unsigned int vector, rt_handler_fn fn);
const char *rt_exception_name(unsigned int vector);   /* "#PF", ... */

/* ---- paging ---------------------------------------------------------------
 * The boot path identity-maps [0, 4 GiB) with 2-MiB pages, all entries
 * P|W|U.  rt_map_page() maps one 4-KiB page at any canonical va, creating
 * tables from a static pool of RT_PT_POOL pages and splitting a 2-MiB page
 * (keeping its identity mapping) when va lies inside one.  Returns 0, or -1
 * when the pool is exhausted or va is not canonical. */
#define RT_PT_POOL 16
int       rt_map_page(uint64_t va, uint64_t pa, uint64_t flags);
/* The 4-KiB PTE mapping va, or NULL if va is not mapped by a 4-KiB page.
 * After changing a present entry, x86_invlpg(va). */
uint64_t *rt_pte(uint64_t va);
void      rt_flush_tlb(void);                   /* reload CR3 */

/* ---- ring 3 and SYSCALL ---------------------------------------------------
 * rt_syscall_init() sets EFER.SCE, STAR (kernel CS 0x08, user base 0x18 so
 * SYSRET gives CS 0x2B / SS 0x23), LSTAR = rt_syscall_entry, SFMASK =
 * TF|IF|DF|NT|AC, and installs handler (called at CPL 0 for every SYSCALL
 * except RT_SYS_EXIT).  rt_enter_user() runs fn(arg) at CPL 3 on the given
 * stack and returns fn's result once fn returns (or calls rt_user_exit()). */
typedef uint64_t (*rt_syscall_fn)(uint64_t nr, uint64_t a1, uint64_t a2,
                                  uint64_t a3);
void     rt_syscall_init(rt_syscall_fn handler);
uint64_t rt_enter_user(uint64_t (*fn)(void *), void *arg, void *stack_top);

static inline uint64_t rt_syscall(uint64_t nr, uint64_t a1, uint64_t a2,
                                  uint64_t a3)
{
    uint64_t ret;

    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                         : "rcx", "r11", "memory");
    return ret;
}

static inline _Noreturn void rt_user_exit(uint64_t value)
{
    rt_syscall(RT_SYS_EXIT, value, 0, 0);
    __builtin_unreachable();
}

/* ---- boot information -------------------------------------------------- */
extern uint32_t rt_mb_magic;    /* EAX at entry: 0x2BADB002 under Multiboot */
extern uint32_t rt_mb_info;     /* EBX at entry: Multiboot info address */

/* ---- internal: called by boot.S and isr.S, not by workloads ---------- */
void rt_console_init(void);
_Noreturn void rt_start(void);
void rt_exception(struct rt_regs *regs);

/* ---- freestanding helpers (the compiler may emit calls to these) -------- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int   memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif /* !__ASSEMBLER__ */
#endif /* WORKLOADS_X86_RT_H */
