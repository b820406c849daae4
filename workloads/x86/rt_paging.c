/* workloads/x86/rt_paging.c: 4-level page-table helpers of the vtsim x86
 * runtime.  boot.S builds the identity map of [0, 4 GiB) from 2-MiB pages;
 * rt_map_page() adds 4-KiB mappings anywhere, taking table pages from a
 * static pool and splitting a large page (identity kept) when needed.
 * Tables live below 4 GiB, so a table's physical address is its pointer.
 */
#include <stdbool.h>
#include "rt.h"

#define LEVELS          4       /* PML4, PDPT, PD, PT */
#define ENTRIES         512
#define TABLE_FLAGS     (PTE_P | PTE_W | PTE_U)
/* Flags a 4-KiB PTE inherits from a split large page (PAT/PS bit 7 and the
 * large-page PAT bit 12 are dropped: the runtime uses neither). */
#define INHERIT_FLAGS   (PTE_P | PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_A | \
                         PTE_D | PTE_G | PTE_NX)

static uint64_t rt_pt_pool[RT_PT_POOL][ENTRIES] __attribute__((aligned(4096)));
static unsigned int rt_pt_used;

static uint64_t *table_of(uint64_t entry)
{
    return (uint64_t *)(uintptr_t)(entry & PTE_ADDR);
}

static unsigned int index_of(uint64_t va, int level)   /* level 3 = PML4 */
{
    return (unsigned int)(va >> (12 + 9 * level)) & (ENTRIES - 1);
}

static bool canonical(uint64_t va)
{
    uint64_t top = va >> 47;

    return top == 0 || top == 0x1FFFF;
}

static uint64_t *table_alloc(void)
{
    uint64_t *t;

    if (rt_pt_used == RT_PT_POOL)
        return NULL;
    t = rt_pt_pool[rt_pt_used++];
    memset(t, 0, sizeof(rt_pt_pool[0]));
    return t;
}

void rt_flush_tlb(void)
{
    x86_write_cr3(x86_read_cr3());
}

/* The PT entry (level 0) for va, or NULL.  Levels: 3 PML4, 2 PDPT, 1 PD,
 * 0 PT.  With create set, missing tables are allocated and a 1-GiB or 2-MiB
 * page on the way is split into a table of the next smaller pages that map
 * the same addresses with the same attributes. */
static uint64_t *pte_walk(uint64_t va, bool create)
{
    uint64_t *table = table_of(x86_read_cr3());

    for (int level = LEVELS - 1; level > 0; level--) {
        uint64_t *e = &table[index_of(va, level)];
        uint64_t *t;

        if ((*e & PTE_P) == 0) {
            if (!create || (t = table_alloc()) == NULL)
                return NULL;
            *e = (uint64_t)(uintptr_t)t | TABLE_FLAGS;
        } else if ((*e & PTE_PS) != 0) {
            uint64_t size = (uint64_t)1 << (12 + 9 * level);
            uint64_t step = size >> 9;
            uint64_t base = *e & PTE_ADDR & ~(size - 1);
            uint64_t flags = *e & INHERIT_FLAGS;

            if (!create || (t = table_alloc()) == NULL)
                return NULL;
            if (level > 1)
                flags |= PTE_PS;                /* 1 GiB -> 2-MiB pages */
            for (unsigned int i = 0; i < ENTRIES; i++)
                t[i] = (base + i * step) | flags;
            *e = (uint64_t)(uintptr_t)t | TABLE_FLAGS;
            rt_flush_tlb();
        }
        table = table_of(*e);
    }
    return &table[index_of(va, 0)];
}

uint64_t *rt_pte(uint64_t va)
{
    return canonical(va) ? pte_walk(va, false) : NULL;
}

int rt_map_page(uint64_t va, uint64_t pa, uint64_t flags)
{
    uint64_t *e, old;

    if (!canonical(va) || (e = pte_walk(va, true)) == NULL)
        return -1;
    old = *e;
    *e = (pa & PTE_ADDR) | (flags & ~PTE_ADDR);
    if ((old & PTE_P) != 0)
        x86_invlpg((const volatile void *)(uintptr_t)va);
    return 0;
}
