/*
 * sim_mem.h - sparse physical memory.
 *
 * 4-KiB frames allocated on first write, found through a hash table keyed by
 * frame number.  Reads of never-written memory return zeros (so a page-table
 * entry there is "not present").  Addresses are 64-bit; callers keep them
 * below 2^52 (the architectural MAXPHYADDR limit).
 */
#ifndef SIM_MEM_H
#define SIM_MEM_H

#include "sim_types.h"

#define SIM_MEM_PAGE_SHIFT 12
#define SIM_MEM_PAGE_SIZE  (1u << SIM_MEM_PAGE_SHIFT)

struct sim_mem;

struct sim_mem *sim_mem_new(void);
void sim_mem_free(struct sim_mem *m);

/* The frame holding `pa`, or NULL if it was never written and !alloc.
 * Returns NULL on allocation failure too (check sim_mem_oom()). */
uint8_t *sim_mem_frame(struct sim_mem *m, uint64_t pa, bool alloc);

/* Naturally aligned 64-bit accesses (pa & 7 == 0). A write that cannot
 * allocate a frame returns -SIM_ENOMEM. */
uint64_t sim_mem_read64(struct sim_mem *m, uint64_t pa);
int sim_mem_write64(struct sim_mem *m, uint64_t pa, uint64_t v);

/* Byte-granular copies of any length and alignment.  sim_mem_write returns
 * 0 or -SIM_ENOMEM; sim_mem_read reads zeros where nothing was written. */
int sim_mem_write(struct sim_mem *m, uint64_t pa, const void *buf,
                  size_t len);
void sim_mem_read(struct sim_mem *m, uint64_t pa, void *buf, size_t len);

/* Number of frames allocated (for RSS accounting in stats). */
uint64_t sim_mem_frames(const struct sim_mem *m);

#endif /* SIM_MEM_H */
