/* workloads/x86/compute.c: integer compute microbenchmark for vtsim's x86
 * images.  A register-resident loop of xorshift64 steps, 64-bit multiplies,
 * an FNV-1a hash, a data-dependent branch and a 64-bit division every 16th
 * iteration; the final state is printed as checksums (the same on any
 * correct x86-64 implementation).
 */
#include "rt.h"

#define ITERS 1000000u

struct compute_result {
    uint64_t x;                 /* xorshift64 state */
    uint64_t acc;               /* multiply/divide accumulator */
    uint32_t fnv;               /* FNV-1a over the low bytes of x */
    uint32_t odd;               /* branch taken count */
};

static void compute_kernel(uint32_t iters, struct compute_result *r)
{
    uint64_t x = 0x9E3779B97F4A7C15u, acc = 1;
    uint32_t fnv = 2166136261u, odd = 0;

    for (uint32_t i = 0; i < iters; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += x * 0x2545F4914F6CDD1Du;
        fnv = (fnv ^ (uint32_t)(x & 0xFF)) * 16777619u;
        if ((x & 3) == 1) {             /* taken about one time in four */
            acc ^= acc >> 29;
            odd++;
        }
        if ((i & 15) == 0)
            acc += x / ((i & 0xFFF) | 1);
    }
    r->x = x;
    r->acc = acc;
    r->fnv = fnv;
    r->odd = odd;
}

int main(void)
{
    struct compute_result r;
    uint64_t t0, t1;

    printf("compute: %u iterations of xorshift64/mul/fnv1a/div\n", ITERS);
    t0 = rt_rdtsc();
    compute_kernel(ITERS, &r);
    t1 = rt_rdtsc();
    printf("compute: xorshift state 0x%016lx\n", r.x);
    printf("compute: accumulator    0x%016lx\n", r.acc);
    printf("compute: fnv1a 0x%08x, branch taken %u times\n", r.fnv, r.odd);
    printf("# compute: %lu TSC ticks, %lu per iteration\n", t1 - t0,
           (t1 - t0) / ITERS);
    return 0;
}
