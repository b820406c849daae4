/*
 * x86_pcache.c - predecode cache: decoded x86 instructions keyed by the
 * physical address of their first byte and the decode mode.
 *
 * Organisation: 2^n sets of two ways, one MRU bit per set (the other way is
 * the victim).  Set index: bits 32+ of a multiplicative hash of (pa, mode), so
 * the same bytes decoded in two modes are two independent entries.
 *
 * Invalidation is by generation, O(1) on the write path:
 *   - every entry records the global generation and the generation of its
 *     4 KiB page frame when it was filled;
 *   - x86_pcache_invalidate_page(pa) bumps the page generation (a table of
 *     2^m counters indexed by frame number modulo 2^m: frames 2^m apart
 *     share a counter and invalidate each other, which costs misses only);
 *   - x86_pcache_flush() bumps the global generation.
 * A counter that wraps to 0 clears every entry, so a stale entry can never
 * match a reused generation value.
 *
 * Instructions that cross a 4 KiB boundary are not cached (their second
 * page may be mapped to any frame, and a write to it would not be seen).
 *
 * Approximations: the cache has no timing of its own; it saves simulator
 * time, not guest cycles.
 */
#include "x86_pcache_int.h"

#include <stdlib.h>
#include <string.h>

static void x86_pcache_clear(struct x86_pcache *pc)
{
    size_t i;

    for (i = 0; i < pc->nsets * X86_PCACHE_WAYS; i++) {
        pc->ent[i].gen = 0;
    }
}

struct x86_pcache *x86_pcache_new(unsigned log2_sets, unsigned log2_page_gens)
{
    struct x86_pcache *pc;
    size_t i;

    if (log2_sets > 24 || log2_page_gens < 1 ||
        log2_page_gens > 24) {
        return NULL;
    }
    pc = calloc(1, sizeof(*pc));
    if (pc == NULL) {
        return NULL;
    }
    pc->nsets = (size_t)1 << log2_sets;
    pc->set_mask = pc->nsets - 1;
    pc->page_mask = ((uint64_t)1 << log2_page_gens) - 1;
    pc->ent = calloc(pc->nsets * X86_PCACHE_WAYS, sizeof(*pc->ent));
    pc->mru = calloc(pc->nsets, sizeof(*pc->mru));
    pc->page_gen = calloc((size_t)1 << log2_page_gens,
                          sizeof(*pc->page_gen));
    pc->page_code = calloc((size_t)1 << log2_page_gens,
                           sizeof(*pc->page_code));
    if (pc->ent == NULL || pc->mru == NULL || pc->page_gen == NULL ||
        pc->page_code == NULL) {
        x86_pcache_free(pc);
        return NULL;
    }
    for (i = 0; i < pc->nsets * X86_PCACHE_WAYS; i++) {
        pc->ent[i].idx = (uint32_t)i;
    }
    pc->gen = 1;
    pc->epoch = 1;          /* unset links hold epoch 0 */
    return pc;
}

void x86_pcache_free(struct x86_pcache *pc)
{
    if (pc == NULL) {
        return;
    }
    free(pc->ent);
    free(pc->mru);
    free(pc->page_gen);
    free(pc->page_code);
    free(pc);
}

const struct x86_insn *x86_pcache_lookup(struct x86_pcache *pc, uint64_t pa,
                                         enum x86_mode mode)
{
    struct x86_pcache_entry *e = x86_pcache_find(pc, pa, mode);

    return e != NULL ? &e->insn : NULL;
}

static int x86_pcache_crosses_page(uint64_t pa, unsigned length)
{
    uint64_t off = pa & (((uint64_t)1 << X86_PCACHE_PAGE_SHIFT) - 1);

    return off + length > ((uint64_t)1 << X86_PCACHE_PAGE_SHIFT);
}

const struct x86_insn *x86_pcache_fill(struct x86_pcache *pc, uint64_t pa,
                                       const struct x86_insn *insn)
{
    uint64_t key;
    size_t set;
    struct x86_pcache_entry *e;
    uint32_t pgen;
    unsigned victim;
    unsigned w;

    if (insn->mode >= X86_MODE__COUNT ||
        x86_pcache_crosses_page(pa, insn->length)) {
        pc->st.uncacheable++;
        return NULL;
    }
    key = x86_pcache_key(pa, insn->mode);
    set = x86_pcache_set(pc, key);
    e = &pc->ent[set * X86_PCACHE_WAYS];
    pgen = *x86_pcache_pgen(pc, pa);
    /* Prefer the way holding this key (stale or not), then a way that is
     * not live, then the way not used last. */
    victim = (pc->mru[set] + 1) % X86_PCACHE_WAYS;
    for (w = 0; w < X86_PCACHE_WAYS; w++) {
        uint64_t wpa = e[w].key & ((1ull << 61) - 1);

        if (e[w].gen != 0 && e[w].key == key) {
            victim = w;
            break;
        }
        if (!x86_pcache_match(pc, &e[w], e[w].key,
                              *x86_pcache_pgen(pc, wpa))) {
            victim = w;
        }
    }
    e[victim].key = key;
    e[victim].gen = pc->gen;
    e[victim].pgen = pgen;
    e[victim].insn = *insn;
    pc->mru[set] = (uint8_t)victim;
    pc->page_code[(pa >> X86_PCACHE_PAGE_SHIFT) & pc->page_mask] = 1;
    pc->st.fills++;
    pc->epoch++;
    return &e[victim].insn;
}

int x86_pcache_decode(struct x86_pcache *pc, uint64_t pa, enum x86_mode mode,
                      const uint8_t *bytes, size_t avail,
                      const struct x86_insn **out)
{
    const struct x86_insn *hit;
    int rc;

    if ((unsigned)mode >= X86_MODE__COUNT) {
        return -X86_DEC_EARG;
    }
    hit = x86_pcache_lookup(pc, pa, mode);
    if (hit != NULL) {
        *out = hit;
        return 0;
    }
    rc = x86_decode(bytes, avail, mode, &pc->scratch);
    if (rc != 0) {
        return rc;
    }
    hit = x86_pcache_fill(pc, pa, &pc->scratch);
    *out = hit != NULL ? hit : &pc->scratch;
    return 0;
}

void x86_pcache_invalidate_page(struct x86_pcache *pc, uint64_t pa)
{
    uint32_t *g = x86_pcache_pgen(pc, pa);

    pc->st.page_invals++;
    if (pc->page_code[(pa >> X86_PCACHE_PAGE_SHIFT) & pc->page_mask]) {
        pc->epoch++;
    }
    if (++*g == 0) {
        x86_pcache_flush(pc);
    }
}

void x86_pcache_flush(struct x86_pcache *pc)
{
    pc->st.flushes++;
    pc->epoch++;
    if (++pc->gen == 0) {
        x86_pcache_clear(pc);
        pc->gen = 1;
    }
}

uint32_t x86_pcache_generation(const struct x86_pcache *pc)
{
    return pc->gen;
}

const struct x86_pcache_stats *x86_pcache_stats(const struct x86_pcache *pc)
{
    return &pc->st;
}
