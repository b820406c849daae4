/* workloads/x86/x86.h: architectural constants (selectors, control-register
 * and EFER bits, MSR numbers, page-table bits) and inline-assembly helpers
 * for the vtsim x86 bare-metal runtime.  The constants are shared with the
 * assembly files (boot.S, isr.S, user.S); the C helpers are hidden from them.
 *
 * Sources of the numbers: Intel SDM Vol. 3A (descriptors, paging, control
 * registers) and Vol. 4 (MSRs); AMD APM Vol. 2 (SYSCALL/SYSRET, EFER).
 */
#ifndef WORKLOADS_X86_X86_H
#define WORKLOADS_X86_X86_H

/* ---- GDT selectors (layout fixed by boot.S; SYSCALL/SYSRET need the
 * kernel code/data pair and the user code32/data/code64 triple in this
 * order, see MSR_STAR below) ------------------------------------------- */
#define SEL_NULL        0x00
#define SEL_KCODE       0x08    /* 64-bit code, DPL 0 */
#define SEL_KDATA       0x10    /* flat data, DPL 0 */
#define SEL_UCODE32     0x18    /* 32-bit code, DPL 3 (SYSRET base) */
#define SEL_UDATA       0x20    /* flat data, DPL 3 */
#define SEL_UCODE       0x28    /* 64-bit code, DPL 3 */
#define SEL_BOOT32      0x30    /* 32-bit code, DPL 0 (boot path only) */
#define SEL_TSS         0x38    /* 64-bit TSS, 16 bytes (0x38 and 0x40) */
#define RT_GDT_ENTRIES  10

/* ---- control registers ------------------------------------------------ */
#define CR0_PE          0x00000001
#define CR0_MP          0x00000002
#define CR0_ET          0x00000010
#define CR0_NE          0x00000020
#define CR0_WP          0x00010000
#define CR0_PG          0x80000000
#define CR4_PAE         0x00000020
#define CR4_PGE         0x00000080

/* ---- RFLAGS ------------------------------------------------------------- */
#define RFLAGS_FIXED    0x00000002      /* bit 1 always reads as 1 */
#define RFLAGS_TF       0x00000100
#define RFLAGS_IF       0x00000200
#define RFLAGS_DF       0x00000400
#define RFLAGS_NT       0x00004000
#define RFLAGS_AC       0x00040000

/* ---- MSRs --------------------------------------------------------------- */
#define MSR_EFER        0xC0000080
#define MSR_STAR        0xC0000081      /* SYSCALL/SYSRET selectors */
#define MSR_LSTAR       0xC0000082      /* 64-bit SYSCALL entry RIP */
#define MSR_CSTAR       0xC0000083      /* compatibility-mode entry (unused) */
#define MSR_SFMASK      0xC0000084      /* RFLAGS bits cleared by SYSCALL */
#define EFER_SCE        0x00000001      /* SYSCALL enable */
#define EFER_LME        0x00000100      /* long mode enable */
#define EFER_LMA        0x00000400      /* long mode active (read-only) */
#define EFER_NXE        0x00000800      /* no-execute enable */

/* ---- CPUID bits the boot path tests (leaf 0x80000001, EDX) ------------ */
#define CPUID_EXT_NX    (1u << 20)
#define CPUID_EXT_LM    (1u << 29)

/* ---- page-table entry bits --------------------------------------------- */
#define PTE_P           0x001
#define PTE_W           0x002
#define PTE_U           0x004
#define PTE_PWT         0x008
#define PTE_PCD         0x010
#define PTE_A           0x020
#define PTE_D           0x040
#define PTE_PS          0x080           /* large page in a PDE/PDPTE */
#define PTE_G           0x100
#define PTE_NX          0x8000000000000000
#define PTE_ADDR        0x000FFFFFFFFFF000

/* #PF error-code bits */
#define PFERR_P         0x01            /* protection (else not present) */
#define PFERR_W         0x02            /* write access */
#define PFERR_U         0x04            /* CPL 3 access */
#define PFERR_RSVD      0x08
#define PFERR_I         0x10            /* instruction fetch */

/* ---- I/O ports ---------------------------------------------------------- */
#define PORT_COM1       0x3F8
#define PORT_DEBUG_EXIT 0xF4            /* QEMU isa-debug-exit */

#ifndef __ASSEMBLER__

#include <stdint.h>

static inline void x86_outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
    uint8_t v;

    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr"
                         : : "c"(msr), "a"((uint32_t)v),
                             "d"((uint32_t)(v >> 32))
                         : "memory");
}

/* Plain RDTSC: not ordered against surrounding instructions. */
static inline uint64_t x86_rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* RDTSC after LFENCE: earlier instructions have completed locally before
 * the counter is read (SDM Vol. 2B, RDTSC). */
static inline uint64_t x86_rdtsc_fenced(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

struct x86_cpuid {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct x86_cpuid x86_cpuid(uint32_t leaf, uint32_t subleaf)
{
    struct x86_cpuid r;

    __asm__ __volatile__("cpuid"
                         : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                         : "a"(leaf), "c"(subleaf));
    return r;
}

#define X86_READ_CR(n)                                                  \
    static inline uint64_t x86_read_cr##n(void)                         \
    {                                                                   \
        uint64_t v;                                                     \
        __asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));           \
        return v;                                                       \
    }
X86_READ_CR(0)
X86_READ_CR(2)
X86_READ_CR(3)
X86_READ_CR(4)
#undef X86_READ_CR

static inline void x86_write_cr3(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void x86_invlpg(const volatile void *va)
{
    __asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t x86_read_rflags(void)
{
    uint64_t v;

    __asm__ __volatile__("pushfq; popq %0" : "=r"(v));
    return v;
}

static inline uint16_t x86_read_cs(void)
{
    uint16_t v;

    __asm__ __volatile__("mov %%cs, %0" : "=r"(v));
    return v;
}

/* Pseudo-descriptor operand of LGDT/LIDT in 64-bit mode. */
struct x86_desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

static inline void x86_lidt(const struct x86_desc_ptr *p)
{
    __asm__ __volatile__("lidt %0" : : "m"(*p) : "memory");
}

static inline void x86_ltr(uint16_t sel)
{
    __asm__ __volatile__("ltr %0" : : "r"(sel));
}

static inline void x86_hlt(void)
{
    __asm__ __volatile__("hlt");
}

#endif /* !__ASSEMBLER__ */
#endif /* WORKLOADS_X86_X86_H */
