/* workloads/x86/syscall.c: SYSCALL/SYSRET microbenchmark for vtsim's x86
 * images.  The kernel programs EFER.SCE, STAR, LSTAR and SFMASK through
 * rt_syscall_init(), drops to ring 3 with IRETQ (rt_enter_user) and the
 * ring-3 loop makes ROUNDS system calls; each is SYSCALL -> rt_syscall_entry
 * (stack switch, C handler at CPL 0) -> SYSRETQ.  Both sides keep checksums
 * and the handler checks its CPL and that SFMASK cleared TF/IF/DF/NT/AC.
 */
#include "rt.h"

#define ROUNDS  10000u
#define SYS_ADD 1               /* returns a1 + a2 */
#define SYS_CPL 2               /* returns the handler's CPL */

static uint64_t kernel_sum;     /* handler side */
static uint64_t kernel_calls;
static uint64_t bad_rflags;     /* handler entries with a masked flag set */
static uint64_t user_cpl;       /* written at CPL 3 */
static uint8_t  user_stack[16384] __attribute__((aligned(16)));

static uint64_t handler(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3)
{
    const uint64_t masked = RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_NT |
                            RFLAGS_AC;

    (void)a3;
    kernel_calls++;
    if ((x86_read_rflags() & masked) != 0)
        bad_rflags++;
    switch (nr) {
    case SYS_ADD:
        kernel_sum = kernel_sum * 7 + (a1 ^ a2);
        return a1 + a2;
    case SYS_CPL:
        return x86_read_cs() & 3;
    default:
        return (uint64_t)-1;
    }
}

static uint64_t user_main(void *arg)
{
    uint64_t n = *(const uint64_t *)arg, sum = 0;

    user_cpl = x86_read_cs() & 3;
    for (uint64_t i = 0; i < n; i++)
        sum += rt_syscall(SYS_ADD, i, 7, 0);
    /* The handler's CPL travels back in bits 1:0 of the result. */
    return sum * 4 + rt_syscall(SYS_CPL, 0, 0, 0);
}

int main(void)
{
    uint64_t rounds = ROUNDS, ret, t0, t1;
    uint64_t want = ROUNDS * (uint64_t)(ROUNDS - 1) / 2 + 7u * ROUNDS;

    rt_syscall_init(handler);
    printf("syscall: EFER.SCE=%lu STAR=0x%016lx SFMASK=0x%lx\n",
           x86_rdmsr(MSR_EFER) & EFER_SCE, x86_rdmsr(MSR_STAR),
           x86_rdmsr(MSR_SFMASK));

    t0 = rt_rdtsc();
    ret = rt_enter_user(user_main, &rounds, user_stack + sizeof(user_stack));
    t1 = rt_rdtsc();

    printf("syscall: back at CPL %u after %lu system calls\n",
           x86_read_cs() & 3u, kernel_calls);
    printf("syscall: user CPL %lu, handler CPL %lu\n", user_cpl, ret & 3);
    printf("syscall: user sum %lu (%s)\n", ret / 4,
           ret / 4 == want ? "ok" : "WRONG");
    printf("syscall: kernel checksum 0x%016lx\n", kernel_sum);
    printf("syscall: handler entries with TF/IF/DF/NT/AC set: %lu\n",
           bad_rflags);
    printf("# syscall: %lu TSC ticks, %lu per round trip\n", t1 - t0,
           (t1 - t0) / (ROUNDS + 1));
    return (ret / 4 == want && user_cpl == 3 && (ret & 3) == 0 &&
            bad_rflags == 0) ? 0 : 1;
}
