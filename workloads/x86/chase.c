/* workloads/x86/chase.c: pointer-chase microbenchmark for vtsim's x86
 * images.  32768 nodes of one 64-byte line each (2 MiB) are linked into a
 * single ring in a pseudo-random order (Sattolo's algorithm driven by a
 * fixed-seed xorshift64*), so every load depends on the previous one and
 * the next line is unpredictable.  Prints the ring length and a checksum of
 * the visiting order.
 */
#include "rt.h"

#define NODES   32768u
#define LAPS    4u

struct node {
    struct node *next;
    uint64_t     id;
    uint64_t     pad[6];        /* one node per 64-byte line */
};

_Static_assert(sizeof(struct node) == 64, "a node fills one cache line");

static struct node nodes[NODES] __attribute__((aligned(4096)));
static uint32_t perm[NODES];

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint64_t rng_next(void)          /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

/* Sattolo's shuffle: perm becomes one cycle through all NODES entries. */
static void build_ring(void)
{
    for (uint32_t i = 0; i < NODES; i++)
        perm[i] = i;
    for (uint32_t i = NODES - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(rng_next() % i);
        uint32_t t = perm[i];

        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint32_t i = 0; i < NODES; i++) {
        nodes[i].next = &nodes[perm[i]];
        nodes[i].id = i;
    }
}

int main(void)
{
    const struct node *p = &nodes[0];
    uint64_t check = 0, t0, t1;
    uint32_t len = 0;

    build_ring();
    printf("chase: %u nodes of %u bytes, %u laps\n", NODES,
           (unsigned int)sizeof(struct node), LAPS);

    do {                                /* ring length: must be NODES */
        p = p->next;
        len++;
    } while (p != &nodes[0] && len <= NODES);
    printf("chase: ring length %u (%s)\n", len,
           len == NODES ? "single cycle" : "BROKEN");

    t0 = rt_rdtsc();
    for (uint32_t s = 0; s < LAPS * NODES; s++) {
        p = p->next;
        check = check * 31 + p->id;
    }
    t1 = rt_rdtsc();
    printf("chase: %u dependent loads, checksum 0x%016lx, end at node %lu\n",
           LAPS * NODES, check, p->id);
    printf("# chase: %lu TSC ticks, %lu per load\n", t1 - t0,
           (t1 - t0) / (LAPS * NODES));
    return len == NODES ? 0 : 1;
}
