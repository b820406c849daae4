/*
 * wl_synth.c - synthetic address streams over real page tables.
 *
 * Table formats: x86-64 4/5-level entries (SDM vol. 3A 4.5, reference D1),
 * EPT entries (SDM vol. 3C 29.3.2, reference A7), NPT = x86-64 format (APM
 * vol. 2 15.25.5).  The builder writes what a guest OS and a VMM would
 * write: non-leaf entries P|RW|US (EPT: R|W|X), leaves with PS for large
 * pages, EPT leaves with memory type WB; A/D clear.
 *
 * Approximations: data pages are placed contiguously in guest-physical
 * memory in virtual-address order; data contents are never stored (only
 * their cache timing matters).
 */
#include "wl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_err.h"

const struct sim_cfg_key wl_cfg_keys[] = {
#define WL_CFG(n, t, m, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct wl_cfg, n, t, m, d, lo, hi, u, ch, desc)
#include "wl_cfg.def"
#undef WL_CFG
    SIM_CFG_END
};

unsigned wl_page_shift(unsigned page_enum)
{
    return page_enum == 2 ? 30 : page_enum == 1 ? 21 : 12;
}

int wl_parse_modes(const char *text, int modes[WL_MAX_MODES],
                   const char **bad)
{
    static char word[64];
    const char *p = text;
    int n = 0;

    for (;;) {
        size_t len = 0;
        int m;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        while (p[len] != '\0' && p[len] != ',' && p[len] != ' ' &&
               p[len] != '\t') {
            len++;
        }
        if (len >= sizeof(word)) {
            len = sizeof(word) - 1;
        }
        memcpy(word, p, len);
        word[len] = '\0';
        p += len;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        m = ptw_mode_parse(word);
        if (m < 0 || n >= WL_MAX_MODES) {
            *bad = word;
            return -1;
        }
        modes[n++] = m;
        if (*p == '\0') {
            return n;
        }
        if (*p != ',') {
            *bad = word;
            return -1;
        }
        p++;
    }
}

int wl_cfg_validate(struct sim_cfg *cfg, const char *section,
                    const void *loaded)
{
    const struct wl_cfg *w = loaded;
    int modes[WL_MAX_MODES];
    const char *bad;
    uint64_t gpage = 1ull << wl_page_shift(w->guest_page);
    uint64_t canon_limit = w->levels == 5 ? (1ull << 56) : (1ull << 47);

    if (wl_parse_modes(w->mode, modes, &bad) < 0) {
        return sim_cfg_error(cfg, section, "mode",
                             "'%s' is not a translation mode (native, ept, "
                             "npt; at most %d, comma-separated)", bad,
                             WL_MAX_MODES);
    }
    if (w->footprint % gpage != 0) {
        return sim_cfg_error(cfg, section, "footprint",
                             "%llu is not a multiple of guest_page "
                             "(%llu bytes)",
                             (unsigned long long)w->footprint,
                             (unsigned long long)gpage);
    }
    if (w->va_base % gpage != 0) {
        return sim_cfg_error(cfg, section, "va_base",
                             "0x%llx is not aligned to guest_page",
                             (unsigned long long)w->va_base);
    }
    if (w->va_base + w->footprint > canon_limit) {
        return sim_cfg_error(cfg, section, "va_base",
                             "va_base + footprint exceeds the lower "
                             "canonical half of %u-level paging",
                             (unsigned)w->levels);
    }
    if (w->pattern == WL_PAT_CHASE && (w->footprint >> 12) > (1ull << 24)) {
        return sim_cfg_error(cfg, section, "footprint",
                             "the chase pattern supports at most 64 GiB");
    }
    return 0;
}

/* ---- page-table construction ---- */

struct wl_builder {
    struct sim_mem *mem;
    uint64_t next_table;        /* next free table page (its own space) */
    uint64_t store_offset;      /* where that space lives in host memory */
    uint64_t pages;
    bool ept;
};

static int wl_new_table(struct wl_builder *b, uint64_t *addr)
{
    uint64_t a = b->next_table;

    b->next_table += SIM_MEM_PAGE_SIZE;
    b->pages++;
    /* Touch the frame so the table exists (all entries not present). */
    if (sim_mem_frame(b->mem, a + b->store_offset, true) == NULL) {
        return -SIM_ENOMEM;
    }
    *addr = a;
    return 0;
}

/* Map one page of size 1 << shift at `in` -> `out` in the tree at `root`. */
static int wl_map(struct wl_builder *b, uint64_t root, unsigned levels,
                  uint64_t in, uint64_t out, unsigned shift)
{
    unsigned leaf_level = (shift - 12) / 9 + 1;
    uint64_t table = root;
    unsigned lvl;
    int rc;

    for (lvl = levels; lvl > leaf_level; lvl--) {
        uint64_t slot = table + 8 * ((in >> (12 + 9 * (lvl - 1))) & 511);
        uint64_t e = sim_mem_read64(b->mem, slot + b->store_offset);

        if (e == 0) {
            uint64_t t;

            rc = wl_new_table(b, &t);
            if (rc != 0) {
                return rc;
            }
            e = t | (b->ept ? (EPTE_R | EPTE_W | EPTE_X)
                            : (PTE_P | PTE_RW | PTE_US));
            rc = sim_mem_write64(b->mem, slot + b->store_offset, e);
            if (rc != 0) {
                return rc;
            }
        }
        table = e & SIM_MASK(51, 12);
    }
    {
        uint64_t slot = table + 8 * ((in >> (12 + 9 * (lvl - 1))) & 511);
        uint64_t e = out;

        if (b->ept) {
            e |= EPTE_R | EPTE_W | EPTE_X | EPTE_MT_WB;
            if (lvl > 1) {
                e |= EPTE_PS;
            }
        } else {
            e |= PTE_P | PTE_RW | PTE_US;
            if (lvl > 1) {
                e |= PTE_PS;
            }
        }
        return sim_mem_write64(b->mem, slot + b->store_offset, e);
    }
}

/* Map [start, end) of guest-physical memory with host pages. */
static int wl_map_host_range(struct wl_builder *hb, uint64_t root,
                             unsigned levels, uint64_t start, uint64_t end,
                             unsigned shift)
{
    uint64_t size = 1ull << shift;
    uint64_t a;
    int rc;

    for (a = start & ~(size - 1); a < end; a += size) {
        rc = wl_map(hb, root, levels, a, a + WL_HOST_GUEST_OFFSET, shift);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

int wl_build(struct sim_mem *mem, const struct wl_cfg *cfg, int mode,
             uint64_t maxphyaddr, struct ptw_ctx *ctx, struct wl_layout *out)
{
    bool nested = mode != PTW_MODE_NATIVE;
    unsigned gshift = wl_page_shift(cfg->guest_page);
    uint64_t gsize = 1ull << gshift;
    struct wl_builder gb = {
        .mem = mem,
        .next_table = WL_GUEST_TABLE_BASE,
        .store_offset = nested ? WL_HOST_GUEST_OFFSET : 0,
    };
    uint64_t root;
    uint64_t off;
    int rc;

    memset(ctx, 0, sizeof(*ctx));
    memset(out, 0, sizeof(*out));
    rc = wl_new_table(&gb, &root);
    for (off = 0; rc == 0 && off < cfg->footprint; off += gsize) {
        rc = wl_map(&gb, root, (unsigned)cfg->levels, cfg->va_base + off,
                    WL_GUEST_DATA_BASE + off, gshift);
    }
    if (rc != 0) {
        return rc;
    }
    out->guest_tables = gb.pages;
    ctx->mode = (uint8_t)mode;
    ctx->glevels = (uint8_t)cfg->levels;
    ctx->hlevels = (uint8_t)cfg->host_levels;
    ctx->maxphyaddr = (uint8_t)maxphyaddr;
    ctx->nxe = true;
    ctx->wp = true;
    ctx->root = root;
    ctx->tag.pcid = 0;
    if (nested) {
        struct wl_builder hb = {
            .mem = mem,
            .next_table = WL_HOST_TABLE_BASE,
            .store_offset = 0,
            .ept = mode == PTW_MODE_EPT,
        };
        unsigned hshift = wl_page_shift(cfg->host_page);
        uint64_t nroot;

        rc = wl_new_table(&hb, &nroot);
        if (rc == 0) {
            rc = wl_map_host_range(&hb, nroot, (unsigned)cfg->host_levels,
                                   WL_GUEST_TABLE_BASE, gb.next_table,
                                   hshift);
        }
        if (rc == 0) {
            rc = wl_map_host_range(&hb, nroot, (unsigned)cfg->host_levels,
                                   WL_GUEST_DATA_BASE,
                                   WL_GUEST_DATA_BASE + cfg->footprint,
                                   hshift);
        }
        if (rc != 0) {
            return rc;
        }
        out->host_tables = hb.pages;
        ctx->nroot = nroot;
        if (mode == PTW_MODE_EPT) {
            /* EPTP: WB (6) in 2:0, walk length - 1 in 5:3, A/D on (SDM
             * 25.6.11, reference A7). */
            ctx->nroot = nroot | 6 | ((cfg->host_levels - 1) << 3) | EPTP_AD;
            ctx->ept_ad = true;
            ctx->tag.vpid = 1;
            ctx->tag.eptp = ctx->nroot;
        } else {
            ctx->tag.asid = 1;
            ctx->tag.eptp = nroot;
        }
    }
    return 0;
}

/* ---- address streams ---- */

/* xorshift64* (Vigna): small, fast and good enough for address streams. */
static inline uint64_t wl_rand(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545f4914f6cdd1dull;
}

/* Unbiased enough for our sizes: 64-bit multiply-high range reduction. */
static inline uint64_t wl_below(uint64_t *s, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)wl_rand(s) * n) >> 64);
}

#define WL_ZIPF_MAX_RANKS (1ull << 20)
/* A prime above any page count we allow (2^36 pages), so that
 * rank -> rank * WL_SCATTER mod npages is a bijection on [0, npages). */
#define WL_SCATTER 1000000000039ull

int wl_gen_init(struct wl_gen *g, const struct wl_cfg *cfg)
{
    memset(g, 0, sizeof(*g));
    g->cfg = cfg;
    /* splitmix64 of the seed, so seed 0 is fine. */
    g->rng = cfg->seed + 0x9e3779b97f4a7c15ull;
    g->rng = (g->rng ^ (g->rng >> 30)) * 0xbf58476d1ce4e5b9ull;
    g->rng = (g->rng ^ (g->rng >> 27)) * 0x94d049bb133111ebull;
    g->rng ^= g->rng >> 31;
    if (g->rng == 0) {
        g->rng = 1;
    }
    g->nlines = cfg->footprint / 64;
    g->npages = cfg->footprint >> 12;
    g->wthresh = cfg->write_fraction >= 1.0 ? UINT64_MAX
                 : (uint64_t)(cfg->write_fraction * 18446744073709551616.0);
    if (cfg->pattern == WL_PAT_ZIPF) {
        uint64_t r;
        double sum = 0;

        g->zipf_ranks = g->npages < WL_ZIPF_MAX_RANKS ? g->npages
                                                       : WL_ZIPF_MAX_RANKS;
        g->zipf_cdf = malloc(g->zipf_ranks * sizeof(double));
        if (g->zipf_cdf == NULL) {
            return -SIM_ENOMEM;
        }
        for (r = 0; r < g->zipf_ranks; r++) {
            sum += 1.0 / pow((double)(r + 1), cfg->zipf_alpha);
            g->zipf_cdf[r] = sum;
        }
        for (r = 0; r < g->zipf_ranks; r++) {
            g->zipf_cdf[r] /= sum;
        }
    } else if (cfg->pattern == WL_PAT_CHASE) {
        uint64_t i;

        g->chase_next = malloc(g->npages * sizeof(uint32_t));
        if (g->chase_next == NULL) {
            return -SIM_ENOMEM;
        }
        /* Sattolo's algorithm: a random permutation with a single cycle,
         * so the chase visits every page before repeating. */
        for (i = 0; i < g->npages; i++) {
            g->chase_next[i] = (uint32_t)i;
        }
        for (i = g->npages - 1; i > 0; i--) {
            uint64_t j = wl_below(&g->rng, i);
            uint32_t t = g->chase_next[i];

            g->chase_next[i] = g->chase_next[j];
            g->chase_next[j] = t;
        }
    }
    return 0;
}

void wl_gen_fini(struct wl_gen *g)
{
    free(g->zipf_cdf);
    free(g->chase_next);
    g->zipf_cdf = NULL;
    g->chase_next = NULL;
}

void wl_gen_next(struct wl_gen *g, uint64_t *va, bool *write)
{
    const struct wl_cfg *c = g->cfg;
    uint64_t off;

    switch (c->pattern) {
    case WL_PAT_STRIDE:
        off = (g->i * c->stride) % c->footprint;
        break;
    case WL_PAT_ZIPF: {
        double u = (double)(wl_rand(&g->rng) >> 11) * 0x1.0p-53;
        uint64_t lo = 0;
        uint64_t hi = g->zipf_ranks - 1;
        uint64_t page;

        while (lo < hi) {
            uint64_t mid = (lo + hi) / 2;

            if (g->zipf_cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        page = (uint64_t)(((unsigned __int128)lo * WL_SCATTER) % g->npages);
        off = (page << 12) + 64 * wl_below(&g->rng, 64);
        break;
    }
    case WL_PAT_CHASE:
        g->chase_cur = g->chase_next[g->chase_cur];
        off = (g->chase_cur << 12) + 64 * wl_below(&g->rng, 64);
        break;
    case WL_PAT_RANDOM:
    default:
        off = 64 * wl_below(&g->rng, g->nlines);
        break;
    }
    g->i++;
    *va = c->va_base + off;
    *write = wl_rand(&g->rng) < g->wthresh;
}
