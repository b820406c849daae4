/* workloads/x86/stream.c: memory-stream microbenchmark for vtsim's x86
 * images, an integer version of STREAM: copy, scale, add and triad over
 * three 256-KiB arrays of 64-bit words, repeated a few times, followed by
 * checksums of the arrays.
 */
#include "rt.h"

#define N       32768u          /* elements per array: 256 KiB each */
#define REPS    4u
#define SCALAR  3u

static uint64_t a[N] __attribute__((aligned(4096)));
static uint64_t b[N] __attribute__((aligned(4096)));
static uint64_t c[N] __attribute__((aligned(4096)));

static uint64_t sum(const uint64_t *v)
{
    uint64_t s = 0;

    for (uint32_t i = 0; i < N; i++)
        s += v[i] ^ i;
    return s;
}

int main(void)
{
    uint64_t t[4] = { 0, 0, 0, 0 }, t0;

    for (uint32_t i = 0; i < N; i++) {
        a[i] = i + 1;
        b[i] = 2;
        c[i] = 0;
    }
    printf("stream: 3 arrays x %u words (%u KiB each), %u repetitions\n",
           N, N * 8u / 1024u, REPS);

    for (uint32_t r = 0; r < REPS; r++) {
        t0 = rt_rdtsc();
        for (uint32_t i = 0; i < N; i++)        /* copy */
            c[i] = a[i];
        t[0] += rt_rdtsc() - t0;

        t0 = rt_rdtsc();
        for (uint32_t i = 0; i < N; i++)        /* scale */
            b[i] = SCALAR * c[i];
        t[1] += rt_rdtsc() - t0;

        t0 = rt_rdtsc();
        for (uint32_t i = 0; i < N; i++)        /* add */
            c[i] = a[i] + b[i];
        t[2] += rt_rdtsc() - t0;

        t0 = rt_rdtsc();
        for (uint32_t i = 0; i < N; i++)        /* triad */
            a[i] = b[i] + SCALAR * c[i];
        t[3] += rt_rdtsc() - t0;
    }

    printf("stream: bytes moved per repetition: copy %u, scale %u, add %u, "
           "triad %u\n", 2u * 8u * N, 2u * 8u * N, 3u * 8u * N, 3u * 8u * N);
    printf("stream: checksum a 0x%016lx\n", sum(a));
    printf("stream: checksum b 0x%016lx\n", sum(b));
    printf("stream: checksum c 0x%016lx\n", sum(c));
    printf("# stream: TSC ticks copy %lu scale %lu add %lu triad %lu\n",
           t[0], t[1], t[2], t[3]);
    return 0;
}
