/* workloads/x86/rt_cpu.c: 64-bit start-up of the vtsim x86 runtime: the TSS
 * (with an IST stack for #DF), the IDT for exception vectors 0-31 and their
 * default report, SYSCALL/SYSRET set-up, and the freestanding memory/string
 * helpers.  rt_start() is called by boot.S and ends in exit(main()).
 */
#include <stdbool.h>
#include "rt.h"

/* Provided by boot.S, isr.S and user.S. */
extern uint64_t rt_gdt[RT_GDT_ENTRIES];
extern const uint64_t rt_isr_table[32];
extern void rt_syscall_entry(void);
extern char rt_boot_stack_top[];

/* ---- TSS ---------------------------------------------------------------- */

struct x86_tss {                /* 64-bit TSS, SDM Vol. 3A 8.7 */
    uint32_t reserved0;
    uint64_t rsp[3];            /* stacks for CPL 0-2 */
    uint64_t reserved1;
    uint64_t ist[7];            /* IST1..IST7 */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct x86_tss) == 104, "64-bit TSS is 104 bytes");

#define RT_IST_DF 1             /* #DF runs on its own stack */

static struct x86_tss rt_tss __attribute__((aligned(16)));
static uint8_t rt_df_stack[4096] __attribute__((aligned(16)));

static void rt_tss_init(void)
{
    uint64_t base = (uint64_t)(uintptr_t)&rt_tss;
    uint64_t limit = sizeof(rt_tss) - 1;

    rt_tss.rsp[0] = (uint64_t)(uintptr_t)rt_boot_stack_top;
    rt_tss.ist[RT_IST_DF - 1] =
        (uint64_t)(uintptr_t)(rt_df_stack + sizeof(rt_df_stack));
    rt_tss.iomap_base = sizeof(rt_tss);         /* no I/O bitmap */

    /* System descriptor, type 9 (available 64-bit TSS), P=1, DPL 0. */
    rt_gdt[SEL_TSS / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
                          ((uint64_t)0x89 << 40) |
                          (((limit >> 16) & 0xF) << 48) |
                          (((base >> 24) & 0xFF) << 56);
    rt_gdt[SEL_TSS / 8 + 1] = base >> 32;
    x86_ltr(SEL_TSS);
}

/* ---- IDT ---------------------------------------------------------------- */

struct x86_gate {               /* 64-bit interrupt gate, SDM Vol. 3A 6.14.1 */
    uint16_t offset0;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type;              /* P | DPL | type (0xE interrupt gate) */
    uint16_t offset1;
    uint32_t offset2;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct x86_gate) == 16, "64-bit gate is 16 bytes");

static struct x86_gate rt_idt[256] __attribute__((aligned(16)));
static rt_handler_fn rt_handlers[32];

static void rt_idt_init(void)
{
    struct x86_desc_ptr p;

    for (unsigned int v = 0; v < 32; v++) {
        uint64_t a = rt_isr_table[v];

        rt_idt[v].offset0 = (uint16_t)a;
        rt_idt[v].selector = SEL_KCODE;
        rt_idt[v].ist = v == 8 ? RT_IST_DF : 0;
        rt_idt[v].type = 0x8E;
        rt_idt[v].offset1 = (uint16_t)(a >> 16);
        rt_idt[v].offset2 = (uint32_t)(a >> 32);
    }
    /* Vectors 32-255 stay not present: raising one gives #GP. */
    p.limit = sizeof(rt_idt) - 1;
    p.base = (uint64_t)(uintptr_t)rt_idt;
    x86_lidt(&p);
}

static const char *const rt_exc_names[32] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *rt_exception_name(unsigned int vector)
{
    return vector < 32 ? rt_exc_names[vector] : "#??";
}

void rt_set_handler(unsigned int vector, rt_handler_fn fn)
{
    if (vector < 32)
        rt_handlers[vector] = fn;
}

void rt_exception(struct rt_regs *r)
{
    rt_handler_fn fn = r->vector < 32 ? rt_handlers[r->vector] : NULL;

    if (fn != NULL) {
        fn(r);
        return;
    }
    printf("*** exception %lu %s err=0x%lx rip=0x%016lx cs=0x%lx "
           "rflags=0x%lx rsp=0x%016lx", r->vector,
           rt_exception_name((unsigned int)r->vector), r->error, r->rip,
           r->cs, r->rflags, r->rsp);
    if (r->vector == 14)
        printf(" cr2=0x%016lx", x86_read_cr2());
    printf("\n");
    exit(RT_EXIT_EXCEPTION);
}

/* ---- SYSCALL / SYSRET --------------------------------------------------- */

static uint64_t rt_syscall_default(uint64_t nr, uint64_t a1, uint64_t a2,
                                   uint64_t a3)
{
    (void)nr, (void)a1, (void)a2, (void)a3;
    return (uint64_t)-1;
}

/* Called by user.S through this pointer. */
rt_syscall_fn rt_syscall_handler = rt_syscall_default;

void rt_syscall_init(rt_syscall_fn handler)
{
    /* SYSCALL: CS = STAR[47:32], SS = +8.  SYSRET (64-bit): CS =
     * STAR[63:48] + 16, SS = STAR[63:48] + 8, both with RPL 3. */
    uint64_t star = ((uint64_t)SEL_UCODE32 << 48) | ((uint64_t)SEL_KCODE << 32);

    rt_syscall_handler = handler != NULL ? handler : rt_syscall_default;
    x86_wrmsr(MSR_STAR, star);
    x86_wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)rt_syscall_entry);
    x86_wrmsr(MSR_SFMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT |
                          RFLAGS_AC);
    x86_wrmsr(MSR_EFER, x86_rdmsr(MSR_EFER) | EFER_SCE);
}

/* ---- start-up ----------------------------------------------------------- */

_Noreturn void rt_start(void)
{
    rt_console_init();
    rt_tss_init();
    rt_idt_init();
    exit(main());
}

/* ---- freestanding helpers ----------------------------------------------- */

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;

    while (n-- != 0)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;

    while (n-- != 0)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;

    if (p < q) {
        while (n-- != 0)
            *p++ = *q++;
    } else {
        while (n-- != 0)
            p[n] = q[n];
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for (; n != 0; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n] != '\0')
        n++;
    return n;
}
