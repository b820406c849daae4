/*
 * sim_types.h - basic types shared by every vtsim module.
 *
 * Plain C11; included by models, which never see SystemC or SQLite.
 */
#ifndef SIM_TYPES_H
#define SIM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t  s64;

typedef uint64_t cycles_t;   /* core cycles, the unit of all model timing */
typedef uint64_t ps_t;       /* SystemC time in picoseconds */
typedef uint64_t gva_t;      /* guest-virtual (linear) address */
typedef uint64_t gpa_t;      /* guest-physical address */
typedef uint64_t hpa_t;      /* host-physical (system-physical) address */

#define SIM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SIM_IS_POW2(x)    ((x) != 0 && (((x) & ((x) - 1)) == 0))
#define SIM_BIT(n)        (1ull << (n))
#define SIM_MASK(hi, lo)  ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))

static inline unsigned sim_log2(uint64_t x)
{
    unsigned n = 0;

    while (x > 1) {
        x >>= 1;
        n++;
    }
    return n;
}

#endif /* SIM_TYPES_H */
