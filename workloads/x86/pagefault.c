/* workloads/x86/pagefault.c: page-fault microbenchmark for vtsim's x86
 * images.  One 4-KiB page at virtual 8 GiB (outside the boot identity map)
 * is mapped by rt_map_page() onto a buffer in .bss.  Each round clears the
 * PTE's present bit, INVLPGs the page and touches it (writes in even rounds,
 * reads in odd ones): the access takes #PF, the handler checks CR2 and the
 * error code, sets the present bit again and returns, and IRETQ restarts the
 * access, which now succeeds.
 */
#include "rt.h"

#define ROUNDS  4000u
#define PF_VA   0x200000000ull  /* 8 GiB */

static uint8_t   frame[4096] __attribute__((aligned(4096)));
static uint64_t *pte;
static uint64_t  faults, faults_read, faults_write, bad_faults;

static void pf_handler(struct rt_regs *r)
{
    uint64_t cr2 = x86_read_cr2();

    if ((cr2 & ~(uint64_t)0xFFF) != PF_VA ||
        (r->error & (PFERR_P | PFERR_U)) != 0) {
        bad_faults++;                   /* not ours: report and stop */
        rt_set_handler(14, NULL);
        printf("pagefault: unexpected #PF cr2=0x%lx err=0x%lx rip=0x%lx\n",
               cr2, r->error, r->rip);
        exit(1);
    }
    faults++;
    if (r->error & PFERR_W)
        faults_write++;
    else
        faults_read++;
    *pte |= PTE_P;                      /* not-present entries are never
                                           cached: no INVLPG needed */
}

int main(void)
{
    volatile uint64_t *page = (volatile uint64_t *)(uintptr_t)PF_VA;
    uint64_t sum = 0, t0, t1;

    if (rt_map_page(PF_VA, (uint64_t)(uintptr_t)frame, PTE_P | PTE_W) != 0 ||
        (pte = rt_pte(PF_VA)) == NULL) {
        printf("pagefault: cannot map 0x%lx\n", (uint64_t)PF_VA);
        return 1;
    }
    rt_set_handler(14, pf_handler);
    printf("pagefault: page 0x%lx -> frame in .bss, %u rounds\n",
           (uint64_t)PF_VA, ROUNDS);

    t0 = rt_rdtsc();
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t slot = i & 511;

        *pte &= ~(uint64_t)PTE_P;
        x86_invlpg(&page[slot]);
        if ((i & 1) == 0)
            page[slot] = (uint64_t)i * 3 + 1;   /* #PF, error 0x2 */
        else
            sum += page[slot - 1];              /* #PF, error 0x0 */
    }
    t1 = rt_rdtsc();
    rt_set_handler(14, NULL);

    printf("pagefault: %lu faults (%lu on writes, %lu on reads), "
           "%lu unexpected\n", faults, faults_write, faults_read, bad_faults);
    printf("pagefault: sum of values read back %lu\n", sum);
    printf("# pagefault: %lu TSC ticks, %lu per fault\n", t1 - t0,
           faults != 0 ? (t1 - t0) / faults : 0);
    return faults == ROUNDS && faults_write == ROUNDS / 2 ? 0 : 1;
}
