/*
 * x86_pcache_int.h - the layout of the predecode cache (x86_pcache.c),
 * shared with the executor so that the lookup of every instruction is
 * inlined into x86_step().  Not a public interface: x86.h documents the
 * cache and its functions.
 */
#ifndef ISA_X86_PCACHE_INT_H
#define ISA_X86_PCACHE_INT_H

#include <stddef.h>

#include "x86.h"

#define X86_PCACHE_WAYS 2

/*
 * Links let the executor find the instruction that followed this one
 * without a set lookup: link[0] after falling through, link[1] after a
 * branch.  A link is valid while the cache's epoch (bumped by every fill,
 * flush and invalidation of a page that may hold instructions, so nothing
 * it points to changed) still equals link_epoch; the executor also checks the target's key, so a link
 * left in an entry that was refilled is only a miss.
 */
struct x86_pcache_entry {
    uint64_t key;           /* x86_pcache_key(pa, mode) */
    uint32_t gen;           /* global generation at fill; 0: invalid (the
                               global generation is never 0) */
    uint32_t pgen;          /* page generation at fill */
    uint32_t idx;           /* set * X86_PCACHE_WAYS + way */
    struct x86_pcache_entry *link[2];
    uint64_t link_epoch[2];
    struct x86_insn insn;
};

struct x86_pcache {
    struct x86_pcache_entry *ent;   /* sets * X86_PCACHE_WAYS */
    uint8_t *mru;                   /* per set: way used last */
    uint32_t *page_gen;
    uint8_t *page_code;             /* per page generation: 1 once an
                                       instruction of its frames was
                                       filled (links need a new epoch
                                       only when such a page changes) */
    uint64_t set_mask;              /* sets - 1 */
    uint64_t page_mask;             /* page_gens - 1 */
    size_t nsets;
    uint32_t gen;
    uint64_t epoch;                 /* changes of any entry's validity */
    struct x86_pcache_stats st;
    struct x86_insn scratch;        /* page-crossing decodes */
};

/* Physical addresses have at most 52 bits: the mode goes above them. */
static inline uint64_t x86_pcache_key(uint64_t pa, unsigned mode)
{
    return pa ^ ((uint64_t)mode << 61);
}

static inline size_t x86_pcache_set(const struct x86_pcache *pc, uint64_t key)
{
    return (size_t)(((key * 0x9e3779b97f4a7c15ull) >> 32) & pc->set_mask);
}

static inline uint32_t *x86_pcache_pgen(const struct x86_pcache *pc,
                                        uint64_t pa)
{
    return &pc->page_gen[(pa >> X86_PCACHE_PAGE_SHIFT) & pc->page_mask];
}

static inline int x86_pcache_match(const struct x86_pcache *pc,
                                   const struct x86_pcache_entry *e,
                                   uint64_t key, uint32_t pgen)
{
    return e->key == key && e->gen == pc->gen && e->pgen == pgen;
}

/* x86_pcache_lookup(): the cached decode of (pa, mode) or NULL, counted,
 * the hit way made MRU. */
static inline struct x86_pcache_entry *x86_pcache_find(struct x86_pcache *pc,
                                                       uint64_t pa,
                                                       unsigned mode)
{
    uint64_t key = x86_pcache_key(pa, mode);
    size_t set = x86_pcache_set(pc, key);
    struct x86_pcache_entry *e = &pc->ent[set * X86_PCACHE_WAYS];
    uint32_t pgen = *x86_pcache_pgen(pc, pa);
    unsigned w;

    for (w = 0; w < X86_PCACHE_WAYS; w++) {
        if (x86_pcache_match(pc, &e[w], key, pgen)) {
            pc->mru[set] = (uint8_t)w;
            pc->st.hits++;
            return &e[w];
        }
    }
    pc->st.misses++;
    return NULL;
}

/* x86_pcache_find() through `from`'s link `k` when it is valid and leads
 * to (pa, mode): the same hit, counted and made MRU; else NULL, nothing
 * counted. */
static inline struct x86_pcache_entry *
x86_pcache_follow(struct x86_pcache *pc, struct x86_pcache_entry *from,
                  unsigned k, uint64_t pa, unsigned mode)
{
    struct x86_pcache_entry *e = from->link[k];
    size_t idx;

    if (from->link_epoch[k] != pc->epoch ||
        e->key != x86_pcache_key(pa, mode)) {
        return NULL;
    }
    idx = e->idx;
    pc->mru[idx / X86_PCACHE_WAYS] = (uint8_t)(idx % X86_PCACHE_WAYS);
    pc->st.hits++;
    return e;
}

static inline void x86_pcache_link(struct x86_pcache *pc,
                                   struct x86_pcache_entry *from, unsigned k,
                                   struct x86_pcache_entry *to)
{
    from->link[k] = to;
    from->link_epoch[k] = pc->epoch;
}

/* The entry holding a decode the cache returned. */
static inline struct x86_pcache_entry *
x86_pcache_entry_of(const struct x86_insn *insn)
{
    return (struct x86_pcache_entry *)((const char *)insn -
                                       offsetof(struct x86_pcache_entry,
                                                insn));
}

#endif /* ISA_X86_PCACHE_INT_H */
