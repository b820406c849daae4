/* workloads/x86/cpuid.c: CPUID microbenchmark for vtsim's x86 images.
 * CPUID is unconditionally intercepted by VT-x (and usually by SVM), so in
 * a guest this loop is a loop of VM exits.  The loop alternates leaves 0,
 * 1 and 0x80000001 and checks that each leaf answers the same every time.
 * Vendor and signature differ between machines, so they are printed on
 * "# " lines only.
 */
#include <stdbool.h>
#include "rt.h"

#define ROUNDS  10000u

static const uint32_t leaves[3] = { 0x0, 0x1, 0x80000001 };

/* Leaf 1 EBX[31:24] is the initial APIC ID, fixed for one CPU; everything
 * else in these leaves is constant too, so compare all four registers. */
static bool same(const struct x86_cpuid *a, const struct x86_cpuid *b)
{
    return a->eax == b->eax && a->ebx == b->ebx && a->ecx == b->ecx &&
           a->edx == b->edx;
}

int main(void)
{
    struct x86_cpuid first[3], r;
    uint32_t vendor[4];
    uint64_t changed = 0, t0, t1;

    for (unsigned int l = 0; l < 3; l++)
        first[l] = x86_cpuid(leaves[l], 0);

    printf("cpuid: %u rounds of leaves 0x0, 0x1, 0x80000001\n", ROUNDS);
    t0 = rt_rdtsc();
    for (uint32_t i = 0; i < ROUNDS; i++) {
        for (unsigned int l = 0; l < 3; l++) {
            r = x86_cpuid(leaves[l], 0);
            if (!same(&r, &first[l]))
                changed++;
        }
    }
    t1 = rt_rdtsc();

    vendor[0] = first[0].ebx;
    vendor[1] = first[0].edx;
    vendor[2] = first[0].ecx;
    vendor[3] = 0;
    printf("cpuid: %u executions, %lu answers differed from the first\n",
           3u * ROUNDS, changed);
    printf("cpuid: long mode %s\n",
           (first[2].edx & CPUID_EXT_LM) ? "yes" : "no");
    printf("# cpuid: vendor \"%s\", max leaf 0x%x, signature 0x%08x\n",
           (const char *)vendor, first[0].eax, first[1].eax);
    printf("# cpuid: %lu TSC ticks, %lu per CPUID\n", t1 - t0,
           (t1 - t0) / (3u * ROUNDS));
    return changed == 0 ? 0 : 1;
}
