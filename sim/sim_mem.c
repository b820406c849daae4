/*
 * sim_mem.c - sparse physical memory: 4-KiB frames in an open-addressing
 * hash table keyed by frame number, allocated on first write.
 *
 * Approximations: none architectural; memory is byte-addressable storage
 * only (no MMIO here; devices are separate).
 */
#include "sim_mem.h"

#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

#define SIM_MEM_DM 256          /* frames in the direct-mapped cache */

struct sim_mem_slot {
    uint64_t pfn_plus1;     /* 0 = empty */
    uint8_t *frame;
};

struct sim_mem {
    struct sim_mem_slot *slots;
    uint64_t mask;          /* capacity - 1 (capacity a power of two) */
    uint64_t used;
    /* Direct-mapped cache of recent frames in front of the hash table:
     * page walks revisit a few table pages all the time.  Frames never
     * move, so entries stay valid across table growth. */
    uint64_t dm_pfn[SIM_MEM_DM];
    uint8_t *dm_frame[SIM_MEM_DM];
};

static uint64_t sim_mem_hash(uint64_t pfn)
{
    pfn ^= pfn >> 33;
    pfn *= 0xff51afd7ed558ccdull;
    pfn ^= pfn >> 33;
    return pfn;
}

struct sim_mem *sim_mem_new(void)
{
    struct sim_mem *m = calloc(1, sizeof(*m));

    if (m == NULL) {
        return NULL;
    }
    m->mask = 1024 - 1;
    m->slots = calloc(m->mask + 1, sizeof(*m->slots));
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    memset(m->dm_pfn, 0xff, sizeof(m->dm_pfn));
    return m;
}

void sim_mem_free(struct sim_mem *m)
{
    uint64_t i;

    if (m == NULL) {
        return;
    }
    for (i = 0; i <= m->mask; i++) {
        free(m->slots[i].frame);
    }
    free(m->slots);
    free(m);
}

static struct sim_mem_slot *sim_mem_find(struct sim_mem_slot *slots,
                                         uint64_t mask, uint64_t pfn)
{
    uint64_t i = sim_mem_hash(pfn) & mask;

    while (slots[i].pfn_plus1 != 0 && slots[i].pfn_plus1 != pfn + 1) {
        i = (i + 1) & mask;
    }
    return &slots[i];
}

static int sim_mem_grow(struct sim_mem *m)
{
    uint64_t newmask = m->mask * 2 + 1;
    struct sim_mem_slot *ns = calloc(newmask + 1, sizeof(*ns));
    uint64_t i;

    if (ns == NULL) {
        return -SIM_ENOMEM;
    }
    for (i = 0; i <= m->mask; i++) {
        if (m->slots[i].pfn_plus1 != 0) {
            *sim_mem_find(ns, newmask, m->slots[i].pfn_plus1 - 1) =
                m->slots[i];
        }
    }
    free(m->slots);
    m->slots = ns;
    m->mask = newmask;
    return 0;
}

uint8_t *sim_mem_frame(struct sim_mem *m, uint64_t pa, bool alloc)
{
    uint64_t pfn = pa >> SIM_MEM_PAGE_SHIFT;
    unsigned dm = (unsigned)(pfn ^ (pfn >> 8)) & (SIM_MEM_DM - 1);
    struct sim_mem_slot *s;

    if (m->dm_pfn[dm] == pfn) {
        return m->dm_frame[dm];
    }
    s = sim_mem_find(m->slots, m->mask, pfn);
    if (s->pfn_plus1 == 0) {
        if (!alloc) {
            return NULL;
        }
        if ((m->used + 1) * 4 > (m->mask + 1) * 3) {
            if (sim_mem_grow(m) != 0) {
                return NULL;
            }
            s = sim_mem_find(m->slots, m->mask, pfn);
        }
        s->frame = calloc(1, SIM_MEM_PAGE_SIZE);
        if (s->frame == NULL) {
            return NULL;
        }
        s->pfn_plus1 = pfn + 1;
        m->used++;
    }
    m->dm_pfn[dm] = pfn;
    m->dm_frame[dm] = s->frame;
    return s->frame;
}

uint64_t sim_mem_read64(struct sim_mem *m, uint64_t pa)
{
    const uint8_t *f = sim_mem_frame(m, pa, false);
    uint64_t v;

    if (f == NULL) {
        return 0;
    }
    memcpy(&v, f + (pa & (SIM_MEM_PAGE_SIZE - 8)), sizeof(v));
    return v;
}

int sim_mem_write64(struct sim_mem *m, uint64_t pa, uint64_t v)
{
    uint8_t *f = sim_mem_frame(m, pa, true);

    if (f == NULL) {
        return -SIM_ENOMEM;
    }
    memcpy(f + (pa & (SIM_MEM_PAGE_SIZE - 8)), &v, sizeof(v));
    return 0;
}

int sim_mem_write(struct sim_mem *m, uint64_t pa, const void *buf,
                  size_t len)
{
    const uint8_t *src = buf;

    while (len > 0) {
        size_t off = (size_t)(pa & (SIM_MEM_PAGE_SIZE - 1));
        size_t n = SIM_MEM_PAGE_SIZE - off;
        uint8_t *f = sim_mem_frame(m, pa, true);

        if (f == NULL) {
            return -SIM_ENOMEM;
        }
        if (n > len) {
            n = len;
        }
        memcpy(f + off, src, n);
        src += n;
        pa += n;
        len -= n;
    }
    return 0;
}

void sim_mem_read(struct sim_mem *m, uint64_t pa, void *buf, size_t len)
{
    uint8_t *dst = buf;

    while (len > 0) {
        size_t off = (size_t)(pa & (SIM_MEM_PAGE_SIZE - 1));
        size_t n = SIM_MEM_PAGE_SIZE - off;
        const uint8_t *f = sim_mem_frame(m, pa, false);

        if (n > len) {
            n = len;
        }
        if (f != NULL) {
            memcpy(dst, f + off, n);
        } else {
            memset(dst, 0, n);
        }
        dst += n;
        pa += n;
        len -= n;
    }
}

uint64_t sim_mem_frames(const struct sim_mem *m)
{
    return m->used;
}
