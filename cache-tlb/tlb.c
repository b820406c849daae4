/*
 * tlb.c - TLBs and the tagged key -> value caches of translation
 * information (paging-structure caches, AMD page-walk cache, nested TLB).
 *
 * TLB: sets = entries / ways, LRU within a set.  A translation of page
 * size 2^s is indexed by its own VPN, set = (va >> s) & (sets - 1); a TLB
 * that holds several page sizes probes one set per size it holds (4K,
 * then 2M, then 1G) and hits an entry of that size whose VPN and whole tag
 * (PCID, VPID, ASID, EPTP) equal the request's.  Insertions replace a
 * same-size, same-page, same-tag entry, else fill an invalid way, else
 * evict the least recently used way.  Flushes follow the scopes of tlb.h;
 * `keep_global` spares global entries under every scope.  The scopes cover
 * the invalidations of Intel SDM Vol. 3A sec. 4.10 "Caching Translation
 * Information" and Vol. 3C "VMX Support for Address Translation" (VPIDs,
 * EPT), and of AMD APM Vol. 2 sec. 15.16 "TLB Control" (section titles are
 * stable across editions; the callers pick the scope).
 *
 * pwc: the same organisation for an opaque 64-bit key with a 64-bit
 * value; the set index is a hash of the key (splitmix64 finaliser) so that
 * keys with regular strides spread over the sets.
 *
 * A disabled structure (entries = 0) holds nothing: lookups miss, inserts
 * are dropped and flushes find nothing, and none of them is counted in the
 * stats (like an absent structure).
 *
 * Approximations: LRU only; one fixed hit latency; a global entry hits
 * only with an identical tag like any other (on x86 it would match any
 * PCID), `global` matters to flushes only; no splintering of large
 * pages into a TLB that does not hold their size (insert refuses them);
 * no separate instruction/data or per-size capacity beyond what the
 * caller builds from several instances.
 */
#include "tlb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"

const struct sim_cfg_key tlb_cfg_keys[] = {
#define TLB_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct tlb_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "tlb_cfg.def"
#undef TLB_CFG
    SIM_CFG_END
};

int tlb_cfg_validate(struct sim_cfg *cfg, const char *section,
                     const void *loaded)
{
    const struct tlb_cfg *c = loaded;
    uint64_t sets;

    if (c->entries == 0) {
        return 0;
    }
    if (c->ways == 0 || c->entries % c->ways != 0) {
        return sim_cfg_error(cfg, section, "ways",
                             "%llu entries cannot be split into sets of "
                             "%llu ways",
                             (unsigned long long)c->entries,
                             (unsigned long long)c->ways);
    }
    sets = c->entries / c->ways;
    if (!SIM_IS_POW2(sets)) {
        return sim_cfg_error(cfg, section, "entries",
                             "sets = entries / ways = %llu is not a power "
                             "of two",
                             (unsigned long long)sets);
    }
    return 0;
}

static bool tlb_tag_equal(const struct tlb_tag *a, const struct tlb_tag *b)
{
    return a->pcid == b->pcid && a->vpid == b->vpid && a->asid == b->asid &&
           a->eptp == b->eptp;
}

/* Do the fields of `a` selected by `match` (enum tlb_match) equal `b`'s? */
static bool tlb_tag_match(const struct tlb_tag *a, const struct tlb_tag *b,
                          unsigned match)
{
    if ((match & TLB_MATCH_PCID) && a->pcid != b->pcid) {
        return false;
    }
    if ((match & TLB_MATCH_VPID) && a->vpid != b->vpid) {
        return false;
    }
    if ((match & TLB_MATCH_ASID) && a->asid != b->asid) {
        return false;
    }
    if ((match & TLB_MATCH_EPTP) && a->eptp != b->eptp) {
        return false;
    }
    return true;
}

/* Geometry shared by TLBs and pwcs; cfg must be validated. */
static void tlb_geometry(const struct tlb_cfg *cfg, uint64_t *sets,
                         unsigned *ways)
{
    if (cfg->entries == 0) {
        *sets = 0;
        *ways = 0;
        return;
    }
    SIM_ASSERT(cfg->ways >= 1 && cfg->entries % cfg->ways == 0);
    *sets = cfg->entries / cfg->ways;
    SIM_ASSERT(SIM_IS_POW2(*sets));
    *ways = (unsigned)cfg->ways;
}

/* ---- TLB ---- */

struct tlb_slot {
    struct tlb_entry e;
    uint64_t stamp;         /* LRU: clock value of the last touch */
    bool valid;
};

/* Page sizes in probe order. */
static const struct {
    unsigned size;          /* enum tlb_size */
    uint8_t shift;
} tlb_page[] = {
    { TLB_SZ_4K, 12 },
    { TLB_SZ_2M, 21 },
    { TLB_SZ_1G, 30 },
};

#define TLB_NPAGE SIM_ARRAY_SIZE(tlb_page)

struct tlb {
    char *name;             /* for debuggers */
    unsigned sizes;
    uint64_t set_mask;
    unsigned ways;
    uint32_t hit_lat;
    unsigned nshift;                /* page sizes held, in probe order */
    uint8_t shift[TLB_NPAGE];
    struct tlb_slot *slots;         /* sets * ways; NULL when disabled */
    uint64_t nslots;
    uint64_t clock;
    uint64_t version;               /* inserts and flushes so far */
    struct tlb_stats stats;
};

struct tlb *tlb_new(const char *name, const struct tlb_cfg *cfg,
                    unsigned sizes)
{
    struct tlb *t = calloc(1, sizeof(*t));
    uint64_t sets;
    unsigned i;

    if (t == NULL) {
        return NULL;
    }
    t->name = strdup(name != NULL ? name : "tlb");
    if (t->name == NULL) {
        free(t);
        return NULL;
    }
    t->sizes = sizes;
    t->hit_lat = (uint32_t)cfg->hit_latency;
    for (i = 0; i < TLB_NPAGE; i++) {
        if (sizes & tlb_page[i].size) {
            t->shift[t->nshift++] = tlb_page[i].shift;
        }
    }
    tlb_geometry(cfg, &sets, &t->ways);
    if (sets == 0) {
        return t;
    }
    t->set_mask = sets - 1;
    t->nslots = sets * t->ways;
    t->slots = calloc(t->nslots, sizeof(*t->slots));
    if (t->slots == NULL) {
        free(t->name);
        free(t);
        return NULL;
    }
    return t;
}

void tlb_free(struct tlb *t)
{
    if (t == NULL) {
        return;
    }
    free(t->slots);
    free(t->name);
    free(t);
}

static struct tlb_slot *tlb_set(const struct tlb *t, uint64_t vpn)
{
    return &t->slots[(vpn & t->set_mask) * t->ways];
}

static bool tlb_slot_is(const struct tlb_slot *s, uint8_t sh, uint64_t vpn,
                        const struct tlb_tag *tag)
{
    return s->valid && s->e.page_shift == sh && (s->e.va >> sh) == vpn &&
           tlb_tag_equal(&s->e.tag, tag);
}

static inline struct tlb_slot *tlb_lookup_in(struct tlb *t,
                                             const struct tlb_tag *tag,
                                             uint64_t va,
                                             struct tlb_entry *out)
{
    unsigned i;
    unsigned w;

    if (t->slots == NULL) {
        return NULL;
    }
    t->stats.lookups++;
    for (i = 0; i < t->nshift; i++) {
        uint8_t sh = t->shift[i];
        uint64_t vpn = va >> sh;
        struct tlb_slot *set = tlb_set(t, vpn);

        for (w = 0; w < t->ways; w++) {
            struct tlb_slot *s = &set[w];

            if (tlb_slot_is(s, sh, vpn, tag)) {
                s->stamp = ++t->clock;
                t->stats.hits++;
                if (out != NULL) {
                    *out = s->e;
                }
                return s;
            }
        }
    }
    t->stats.misses++;
    return NULL;
}

bool tlb_lookup(struct tlb *t, const struct tlb_tag *tag, uint64_t va,
                struct tlb_entry *out)
{
    return tlb_lookup_in(t, tag, va, out) != NULL;
}

void *tlb_lookup_slot(struct tlb *t, const struct tlb_tag *tag, uint64_t va,
                      struct tlb_entry *out)
{
    return tlb_lookup_in(t, tag, va, out);
}

void tlb_lookup_again(struct tlb *t, void *slot)
{
    t->stats.lookups++;
    if (slot != NULL) {
        ((struct tlb_slot *)slot)->stamp = ++t->clock;
        t->stats.hits++;
    } else {
        t->stats.misses++;
    }
}

const uint64_t *tlb_version(const struct tlb *t)
{
    return &t->version;
}

static bool tlb_holds_shift(const struct tlb *t, uint8_t sh)
{
    unsigned i;

    for (i = 0; i < t->nshift; i++) {
        if (t->shift[i] == sh) {
            return true;
        }
    }
    return false;
}

bool tlb_insert(struct tlb *t, const struct tlb_entry *e)
{
    uint8_t sh = e->page_shift;
    uint64_t vpn;
    struct tlb_slot *set;
    struct tlb_slot *victim = NULL;
    unsigned w;

    if (t->slots == NULL || !tlb_holds_shift(t, sh)) {
        return false;
    }
    vpn = e->va >> sh;
    set = tlb_set(t, vpn);
    for (w = 0; w < t->ways && victim == NULL; w++) {
        if (tlb_slot_is(&set[w], sh, vpn, &e->tag)) {
            victim = &set[w];       /* refresh the same translation */
        }
    }
    for (w = 0; w < t->ways && victim == NULL; w++) {
        if (!set[w].valid) {
            victim = &set[w];
        }
    }
    if (victim == NULL) {
        victim = &set[0];
        for (w = 1; w < t->ways; w++) {
            if (set[w].stamp < victim->stamp) {
                victim = &set[w];
            }
        }
        t->stats.evictions++;
    }
    victim->e = *e;
    victim->valid = true;
    victim->stamp = ++t->clock;
    t->version++;
    t->stats.inserts++;
    return true;
}

unsigned tlb_flush(struct tlb *t, const struct tlb_flush *f)
{
    unsigned n = 0;
    uint64_t i;

    t->version++;
    for (i = 0; i < t->nslots; i++) {
        struct tlb_slot *s = &t->slots[i];

        if (!s->valid) {
            continue;
        }
        if (f->keep_global && s->e.global) {
            continue;
        }
        if (f->scope != TLB_FLUSH_ALL &&
            !tlb_tag_match(&s->e.tag, &f->tag, f->match)) {
            continue;
        }
        if (f->scope == TLB_FLUSH_ADDR &&
            (s->e.va >> s->e.page_shift) != (f->va >> s->e.page_shift)) {
            continue;
        }
        s->valid = false;
        n++;
    }
    t->stats.flushed += n;
    return n;
}

bool tlb_enabled(const struct tlb *t)
{
    return t->slots != NULL;
}

unsigned tlb_sizes(const struct tlb *t)
{
    return t->sizes;
}

uint32_t tlb_hit_latency(const struct tlb *t)
{
    return t->hit_lat;
}

const struct tlb_stats *tlb_get_stats(const struct tlb *t)
{
    return &t->stats;
}

/* Counters and hit_rate of a struct tlb_stats under `obj`. */
static int tlb_stats_register(const struct tlb_stats *st,
                              struct sim_stats *s, const char *obj)
{
    const struct sim_stat_decl counters[] = {
        { "lookups", "lookups", "lookups (a disabled structure counts "
          "none)", &st->lookups },
        { "hits", "lookups", "lookups that found an entry", &st->hits },
        { "misses", "lookups", "lookups that found no entry", &st->misses },
        { "inserts", "entries", "entries written", &st->inserts },
        { "evictions", "entries", "valid entries replaced by an insert",
          &st->evictions },
        { "flushed", "entries", "entries invalidated by flushes",
          &st->flushed },
    };
    int rc = sim_stat_counters(s, obj, counters, SIM_ARRAY_SIZE(counters));

    if (rc != 0) {
        return rc;
    }
    return sim_stat_ratio(s, obj, "hit_rate", "", "hits per lookup", "hits",
                          "lookups");
}

int tlb_register_stats(struct tlb *t, struct sim_stats *s, const char *obj)
{
    return tlb_stats_register(&t->stats, s, obj);
}

/* ---- pwc ---- */

struct pwc_slot {
    uint64_t key;
    uint64_t val;
    struct tlb_tag tag;
    uint64_t stamp;
    bool valid;
};

/* Never a key: keys are addresses shifted right by at least 3. */
#define PWC_NOKEY UINT64_MAX

struct pwc {
    char *name;             /* for debuggers */
    uint64_t set_mask;
    unsigned ways;
    uint32_t hit_lat;
    struct pwc_slot *slots;         /* sets * ways; NULL when disabled */
    uint64_t *keys;                 /* key of each slot, PWC_NOKEY if
                                     * invalid: lookups scan this dense
                                     * array, not the slots */
    uint64_t nslots;
    uint64_t clock;
    struct tlb_stats stats;
};

struct pwc *pwc_new(const char *name, const struct tlb_cfg *cfg)
{
    struct pwc *p = calloc(1, sizeof(*p));
    uint64_t sets;

    if (p == NULL) {
        return NULL;
    }
    p->name = strdup(name != NULL ? name : "pwc");
    if (p->name == NULL) {
        free(p);
        return NULL;
    }
    p->hit_lat = (uint32_t)cfg->hit_latency;
    tlb_geometry(cfg, &sets, &p->ways);
    if (sets == 0) {
        return p;
    }
    p->set_mask = sets - 1;
    p->nslots = sets * p->ways;
    p->slots = calloc(p->nslots, sizeof(*p->slots));
    p->keys = malloc(p->nslots * sizeof(*p->keys));
    if (p->slots == NULL || p->keys == NULL) {
        free(p->slots);
        free(p->keys);
        free(p->name);
        free(p);
        return NULL;
    }
    memset(p->keys, 0xff, p->nslots * sizeof(*p->keys));
    return p;
}

void pwc_free(struct pwc *p)
{
    if (p == NULL) {
        return;
    }
    free(p->slots);
    free(p->keys);
    free(p->name);
    free(p);
}

/* splitmix64's finaliser: every key bit affects the set index.  Returns
 * the index of the set's first slot. */
static uint64_t pwc_set(const struct pwc *p, uint64_t key)
{
    uint64_t h = key;

    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (h & p->set_mask) * p->ways;
}

bool pwc_lookup(struct pwc *p, const struct tlb_tag *tag, uint64_t key,
                uint64_t *val)
{
    const uint64_t *keys;
    uint64_t base;
    unsigned w;

    if (p->slots == NULL) {
        return false;
    }
    p->stats.lookups++;
    base = pwc_set(p, key);
    keys = &p->keys[base];
    for (w = 0; w < p->ways; w++) {
        struct pwc_slot *s;

        if (keys[w] != key) {
            continue;
        }
        s = &p->slots[base + w];
        if (s->valid && tlb_tag_equal(&s->tag, tag)) {
            s->stamp = ++p->clock;
            p->stats.hits++;
            if (val != NULL) {
                *val = s->val;
            }
            return true;
        }
    }
    p->stats.misses++;
    return false;
}

void pwc_insert(struct pwc *p, const struct tlb_tag *tag, uint64_t key,
                uint64_t val)
{
    struct pwc_slot *set;
    struct pwc_slot *victim = NULL;
    unsigned w;

    if (p->slots == NULL) {
        return;
    }
    set = &p->slots[pwc_set(p, key)];
    /* One pass: the same entry (update in place), else the first invalid
     * way, else the least recently used one. */
    {
        struct pwc_slot *inv = NULL;
        struct pwc_slot *lru = NULL;

        for (w = 0; w < p->ways; w++) {
            struct pwc_slot *sl = &set[w];

            if (!sl->valid) {
                if (inv == NULL) {
                    inv = sl;
                }
            } else if (sl->key == key && tlb_tag_equal(&sl->tag, tag)) {
                victim = sl;
                break;
            } else if (lru == NULL || sl->stamp < lru->stamp) {
                lru = sl;
            }
        }
        if (victim == NULL) {
            victim = inv;
        }
        if (victim == NULL) {
            victim = lru;
            p->stats.evictions++;
        }
    }
    victim->key = key;
    victim->val = val;
    victim->tag = *tag;
    victim->valid = true;
    p->keys[victim - p->slots] = key;
    victim->stamp = ++p->clock;
    p->stats.inserts++;
}

unsigned pwc_flush(struct pwc *p, const struct tlb_flush *f)
{
    unsigned n = 0;
    uint64_t i;

    for (i = 0; i < p->nslots; i++) {
        struct pwc_slot *s = &p->slots[i];

        if (!s->valid) {
            continue;
        }
        if (f->scope != TLB_FLUSH_ALL &&
            !tlb_tag_match(&s->tag, &f->tag, f->match)) {
            continue;
        }
        s->valid = false;
        p->keys[i] = PWC_NOKEY;
        n++;
    }
    p->stats.flushed += n;
    return n;
}

bool pwc_enabled(const struct pwc *p)
{
    return p->slots != NULL;
}

uint32_t pwc_hit_latency(const struct pwc *p)
{
    return p->hit_lat;
}

const struct tlb_stats *pwc_get_stats(const struct pwc *p)
{
    return &p->stats;
}

int pwc_register_stats(struct pwc *p, struct sim_stats *s, const char *obj)
{
    return tlb_stats_register(&p->stats, s, obj);
}
