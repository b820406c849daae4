/*
 * tlb.h - TLBs and the small tagged caches of translation information built
 * on the same idea (paging-structure caches, page-walk caches, nested TLB).
 *
 * Entries are tagged with (PCID, VPID, ASID, EPTP): a lookup hits only an
 * entry whose whole tag equals the requester's (a field a design does not
 * use stays 0).  Flushes select entries by scope, by any subset of the tag
 * fields, and may spare global entries; this covers MOV CR3, INVLPG,
 * INVPCID, INVVPID types 0-3, INVEPT, VM entry/exit without VPID, and SVM
 * TLB_CONTROL/ASID changes.
 *
 * Approximations: LRU replacement only; one cycle count per hit.
 */
#ifndef TLB_H
#define TLB_H

#include "sim/sim_cfg.h"
#include "sim/sim_stats.h"
#include "sim/sim_types.h"

struct tlb_tag {
    uint16_t pcid;
    uint16_t vpid;
    uint32_t asid;
    uint64_t eptp;
};

enum tlb_match {
    TLB_MATCH_PCID = 1u << 0,
    TLB_MATCH_VPID = 1u << 1,
    TLB_MATCH_ASID = 1u << 2,
    TLB_MATCH_EPTP = 1u << 3,
};

enum tlb_flush_scope {
    TLB_FLUSH_ALL,      /* every entry (see keep_global) */
    TLB_FLUSH_TAG,      /* entries whose `match` fields equal f->tag */
    TLB_FLUSH_ADDR,     /* like TAG, and the page contains f->va */
};

struct tlb_flush {
    enum tlb_flush_scope scope;
    unsigned match;         /* enum tlb_match bits, for TAG and ADDR */
    struct tlb_tag tag;
    uint64_t va;            /* ADDR */
    bool keep_global;       /* spare entries with global set */
};

struct tlb_cfg {
#define TLB_CFG(n, t, m, d, lo, hi, u, ch, desc) SIM_CFG_CTYPE_##t m;
#include "tlb_cfg.def"
#undef TLB_CFG
};

extern const struct sim_cfg_key tlb_cfg_keys[];
/* entries == 0, or entries % ways == 0 with entries / ways a power of 2. */
int tlb_cfg_validate(struct sim_cfg *cfg, const char *section,
                     const void *loaded);

/* Page sizes a TLB holds. */
enum tlb_size {
    TLB_SZ_4K = 1u << 0,
    TLB_SZ_2M = 1u << 1,
    TLB_SZ_1G = 1u << 2,
};

/* Cumulative permissions of a translation. */
enum tlb_perm {
    TLB_PERM_W = 1u << 0,   /* writable at every level */
    TLB_PERM_U = 1u << 1,   /* user-accessible at every level */
    TLB_PERM_X = 1u << 2,   /* executable (no XD at any level) */
};

struct tlb_entry {
    uint64_t va;            /* page-aligned linear address */
    uint64_t pa;            /* page-aligned host-physical address */
    uint64_t gpa;           /* page-aligned guest-physical (== pa if native) */
    struct tlb_tag tag;
    uint8_t page_shift;     /* 12, 21 or 30 */
    uint8_t perms;          /* enum tlb_perm */
    bool global;
    bool dirty;             /* leaf D bit already set: writes need no walk */
};

struct tlb_stats {
    uint64_t lookups;
    uint64_t hits;
    uint64_t misses;
    uint64_t inserts;
    uint64_t evictions;
    uint64_t flushed;       /* entries invalidated by flushes */
};

struct tlb;

/* `sizes`: enum tlb_size mask of the page sizes this TLB holds.
 * cfg->entries == 0 gives a disabled TLB: lookups miss, inserts drop. */
struct tlb *tlb_new(const char *name, const struct tlb_cfg *cfg,
                    unsigned sizes);
void tlb_free(struct tlb *t);

/* Hit: copy the entry to *out (may be NULL), update recency, return true. */
bool tlb_lookup(struct tlb *t, const struct tlb_tag *tag, uint64_t va,
                struct tlb_entry *out);
/* tlb_lookup() returning the hit's slot for tlb_lookup_again(), or NULL
 * on a miss. */
void *tlb_lookup_slot(struct tlb *t, const struct tlb_tag *tag, uint64_t va,
                      struct tlb_entry *out);
/* Repeat a lookup whose outcome cannot have changed (same tag and page,
 * tlb_version() unchanged): the counters and the recency update of
 * tlb_lookup(), nothing else.  `slot` is what tlb_lookup_slot() gave. */
void tlb_lookup_again(struct tlb *t, void *slot);
/* Changes to the contents so far (inserts and flushes); lookups of a page
 * give the same outcome while it stays the same.  The counter lives as
 * long as the TLB. */
const uint64_t *tlb_version(const struct tlb *t);
/* Insert (replacing a same-page same-tag entry, else the LRU way).  Returns
 * false if the TLB is disabled or does not hold e->page_shift. */
bool tlb_insert(struct tlb *t, const struct tlb_entry *e);
/* Returns the number of entries invalidated. */
unsigned tlb_flush(struct tlb *t, const struct tlb_flush *f);

bool tlb_enabled(const struct tlb *t);
unsigned tlb_sizes(const struct tlb *t);
uint32_t tlb_hit_latency(const struct tlb *t);
const struct tlb_stats *tlb_get_stats(const struct tlb *t);
int tlb_register_stats(struct tlb *t, struct sim_stats *s, const char *obj);

/* ---- pwc: a tagged key -> value cache ----
 *
 * One structure serves three designs:
 *   Intel paging-structure caches (one per level): key = linear-address
 *     bits above that level's index, value = next table address + perms;
 *   AMD page-walk cache: key = host-physical address of an entry,
 *     value = the entry;
 *   nested TLB: key = guest-physical frame, value = host-physical frame +
 *     perms.
 * Uses the same config keys as a TLB (tlb_cfg.def).
 */
struct pwc;

struct pwc *pwc_new(const char *name, const struct tlb_cfg *cfg);
void pwc_free(struct pwc *p);
bool pwc_lookup(struct pwc *p, const struct tlb_tag *tag, uint64_t key,
                uint64_t *val);
void pwc_insert(struct pwc *p, const struct tlb_tag *tag, uint64_t key,
                uint64_t val);
/* ALL and TAG as for TLBs; ADDR is treated as TAG (every entry of the
 * matching context goes), a conservative reading of INVLPG's effect on
 * paging-structure caches.  keep_global is ignored. */
unsigned pwc_flush(struct pwc *p, const struct tlb_flush *f);
bool pwc_enabled(const struct pwc *p);
uint32_t pwc_hit_latency(const struct pwc *p);
const struct tlb_stats *pwc_get_stats(const struct pwc *p);
int pwc_register_stats(struct pwc *p, struct sim_stats *s, const char *obj);

#endif /* TLB_H */
