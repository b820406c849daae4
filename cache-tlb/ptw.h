/*
 * ptw.h - page-table walkers: native x86-64 (4- and 5-level), and the
 * two-dimensional walk of x86-64 guest tables over Intel EPT or AMD NPT.
 *
 * One loop walks a table of any format, described by its level count and
 * entry format; the 2-D walk calls it for the guest CR3, for every guest
 * table pointer and for the final guest-physical address
 * (reference D2: n*m + n + m references with nothing cached).  Every entry
 * read goes through the data-cache hierarchy, unless a cache of
 * translations serves it:
 *   Intel style: paging-structure caches per level, keyed by linear-address
 *     bits (guest dimension, combined with the nested translation under EPT:
 *     a hit yields the host-physical address of the next guest table) and,
 *     for the host dimension, keyed by guest-physical bits and the EPTP;
 *   AMD style: one page-walk cache of entries keyed by their host-physical
 *     address (serves guest and nested entries);
 *   both: a nested TLB of guest-physical -> host-physical frames used for
 *     guest table pointers and the final address.
 * Each walk records its grid of references (struct sim_walk_event).
 *
 * A/D: guest (and native) entries get A on every level used and D on the
 * leaf of a write.  EPT with EPTP[6] and NPT: host entries get A on every
 * level used and D on the leaf when the access is a write; accesses to guest
 * paging structures count as writes for this (reference D2).  A/D updates
 * are issued to the caches as writes but not charged to the walk latency.
 *
 * Approximations: no PAE or 32-bit guest formats; no protection keys,
 * SMEP/SMAP, MBEC or memory types beyond the EPT misconfiguration check;
 * walks are sequential (no overlap between references).
 */
#ifndef PTW_H
#define PTW_H

#include "sim/sim_mem.h"
#include "sim/sim_stats.h"
#include "sim/sim_trace.h"
#include "sim/sim_types.h"
#include "cache.h"
#include "tlb.h"

enum ptw_mode {
#define PTW_MODE(n, t, d) PTW_MODE_##n,
#include "ptw_modes.def"
#undef PTW_MODE
    PTW_MODE__COUNT
};

enum ptw_fault_kind {
#define PTW_FAULT(n, d) PTW_FAULT_##n,
#include "ptw_faults.def"
#undef PTW_FAULT
    PTW_FAULT__COUNT
};

extern const char *const ptw_mode_name[PTW_MODE__COUNT];
extern const char *const ptw_mode_desc[PTW_MODE__COUNT];
extern const char *const ptw_fault_name[PTW_FAULT__COUNT];
extern const char *const ptw_fault_desc[PTW_FAULT__COUNT];

/* Mode from its config text; -1 if unknown. */
int ptw_mode_parse(const char *text);

/* ---- entry formats (reference D1, A7) ---- */
#define PTE_P        SIM_BIT(0)
#define PTE_RW       SIM_BIT(1)
#define PTE_US       SIM_BIT(2)
#define PTE_A        SIM_BIT(5)
#define PTE_D        SIM_BIT(6)
#define PTE_PS       SIM_BIT(7)
#define PTE_G        SIM_BIT(8)
#define PTE_XD       SIM_BIT(63)
#define EPTE_R       SIM_BIT(0)
#define EPTE_W       SIM_BIT(1)
#define EPTE_X       SIM_BIT(2)
#define EPTE_MT_WB   (6ull << 3)
#define EPTE_PS      SIM_BIT(7)
#define EPTE_A       SIM_BIT(8)
#define EPTE_D       SIM_BIT(9)
#define EPTP_AD      SIM_BIT(6)

/* #PF error code bits (reference D1). */
#define PF_ERR_P     SIM_BIT(0)
#define PF_ERR_W     SIM_BIT(1)
#define PF_ERR_U     SIM_BIT(2)
#define PF_ERR_RSVD  SIM_BIT(3)
#define PF_ERR_ID    SIM_BIT(4)

/* EPT-violation qualification bits (reference A6, "EPT violation"). */
#define EPT_QUAL_R        SIM_BIT(0)
#define EPT_QUAL_W        SIM_BIT(1)
#define EPT_QUAL_X        SIM_BIT(2)
#define EPT_QUAL_READABLE SIM_BIT(3)
#define EPT_QUAL_WRITABLE SIM_BIT(4)
#define EPT_QUAL_EXEC     SIM_BIT(5)
#define EPT_QUAL_GLA      SIM_BIT(7)
#define EPT_QUAL_FINAL    SIM_BIT(8)

/* #NPF EXITINFO1 bits above the error code (reference D2). */
#define NPF_INFO_FINAL    SIM_BIT(32)
#define NPF_INFO_TABLE    SIM_BIT(33)

enum ptw_stage {
    PTW_STAGE_GUEST,    /* guest (or native) tables: becomes #PF */
    PTW_STAGE_HOST,     /* EPT/NPT: EPT violation/misconfig, #NPF */
};

struct ptw_fault {
    uint8_t kind;           /* enum ptw_fault_kind */
    uint8_t stage;          /* enum ptw_stage */
    uint8_t level;          /* level of the faulting entry */
    bool final;             /* host stage: translating the final gPA */
    uint64_t va;
    uint64_t gpa;           /* host stage: the gPA being translated */
    uint64_t entry;         /* the faulting entry */
    uint64_t pf_error;      /* guest stage: #PF error code */
    uint64_t ept_qual;      /* EPT: exit qualification */
    uint64_t npf_info1;     /* NPT: EXITINFO1 */
};

/* What is being translated, and with which tables. */
struct ptw_ctx {
    uint8_t mode;           /* enum ptw_mode */
    uint8_t glevels;        /* guest (native) levels: 4 or 5 */
    uint8_t hlevels;        /* EPT / NPT levels: 4 or 5 */
    uint8_t maxphyaddr;     /* physical-address width M (reserved 51:M) */
    bool nxe;               /* EFER.NXE: bit 63 is XD, else reserved */
    bool wp;                /* CR0.WP */
    bool ept_ad;            /* EPTP[6]: EPT accessed/dirty flags */
    bool ept_xo;            /* execute-only EPT entries supported */
    uint64_t root;          /* CR3 (native: physical; else guest-physical) */
    uint64_t nroot;         /* EPTP / nCR3 (host-physical) */
    struct tlb_tag tag;     /* tags PSC / PWC / NTLB entries */
};

struct ptw_access {
    uint64_t va;
    bool write;
    bool user;
    bool fetch;
};

struct ptw_result {
    uint64_t hpa;           /* translated address (0 on fault) */
    uint64_t gpa;           /* guest-physical (== hpa when native) */
    uint8_t page_shift;     /* effective page: min(guest, host) size */
    uint8_t perms;          /* enum tlb_perm, cumulative */
    bool global;
    struct ptw_fault fault; /* kind == PTW_FAULT_NONE on success */
    struct sim_walk_event ev;   /* the grid; ev.cycles is the latency */
};

enum ptw_style { PTW_STYLE_NONE, PTW_STYLE_INTEL, PTW_STYLE_AMD };

/* The structures a walker uses.  Any pointer may be NULL (absent). */
struct ptw_parts {
    struct sim_mem *mem;            /* contents of host-physical memory */
    struct cache_hier *caches;      /* timing of every entry read */
    struct pwc *psc[6];             /* Intel, guest/native dim: [2..5] */
    struct pwc *epsc[6];            /* Intel, host dim (EPT): [2..5] */
    struct pwc *pwc;                /* AMD: entries by host-physical addr */
    struct pwc *ntlb;               /* nested TLB */
    const struct sim_trace *trace;  /* receives every walk event */
};

struct ptw_stats {
    uint64_t walks;
    uint64_t faults;
    uint64_t refs;          /* memory references (L1D..DRAM) */
    uint64_t cycles;
    uint64_t pwc_hits;
    uint64_t ntlb_hits;
    uint64_t src[8];        /* per enum ptw_src */
    struct sim_hist latency;
};

struct ptw {
    struct ptw_parts p;
    uint16_t vcpu;
    struct ptw_stats st;
};

int ptw_init(struct ptw *w, const struct ptw_parts *parts, uint16_t vcpu);
void ptw_fini(struct ptw *w);
int ptw_register_stats(struct ptw *w, struct sim_stats *s, const char *obj);

/*
 * Walk the tables for `a` at core cycle `now`.  Returns 0 with r->fault.kind
 * = PTW_FAULT_NONE, or 0 with the fault described (the architectural
 * outcome; never an error for any table contents).  r->ev holds the grid
 * and latency and is also sent to the trace sink.
 */
int ptw_walk(struct ptw *w, const struct ptw_ctx *ctx,
             const struct ptw_access *a, uint64_t now,
             struct ptw_result *r);

/* Drop every cached translation of the walker's structures for the
 * context tag (or all). */
void ptw_flush(struct ptw *w, const struct tlb_flush *f);

#endif /* PTW_H */
