/*
 * sim_stats.h - the stats registry.
 *
 * Counters live in the component's own struct and are incremented there
 * (a plain uint64_t ++ on the hot path).  Each is registered once, by
 * pointer, with an object name, a metric name, a unit and a description.
 * Formulas ("misses / accesses") are derived from registered counters when a
 * snapshot is taken.  Histograms have linear bins plus underflow/overflow.
 *
 * Names: object "cpu0.l1d", metric "misses": the full name is
 * "cpu0.l1d.misses", which is what formulas refer to.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include "sim_types.h"

struct sim_hist {
    uint64_t lo;        /* lower bound of bin 0 */
    uint64_t width;     /* bin width (>= 1) */
    unsigned nbins;
    uint64_t *bins;     /* nbins counters */
    uint64_t under;     /* samples < lo */
    uint64_t over;      /* samples >= lo + nbins * width */
    uint64_t count;
    uint64_t sum;
};

/* Allocate bins; returns 0 or -SIM_ENOMEM. */
int sim_hist_init(struct sim_hist *h, uint64_t lo, uint64_t width,
                  unsigned nbins);
void sim_hist_fini(struct sim_hist *h);

static inline void sim_hist_add(struct sim_hist *h, uint64_t v)
{
    h->count++;
    h->sum += v;
    if (v < h->lo) {
        h->under++;
    } else {
        uint64_t b = (v - h->lo) / h->width;

        if (b >= h->nbins) {
            h->over++;
        } else {
            h->bins[b]++;
        }
    }
}

enum sim_stat_kind {
    SIM_STAT_COUNTER,
    SIM_STAT_FORMULA,
    SIM_STAT_HIST,
};

struct sim_stat {
    enum sim_stat_kind kind;
    char *object;
    char *metric;
    char *unit;
    char *desc;
    const uint64_t *counter;        /* COUNTER */
    char *expr;                     /* FORMULA */
    const struct sim_hist *hist;    /* HIST */
};

struct sim_stats;

struct sim_stats *sim_stats_new(void);
void sim_stats_free(struct sim_stats *s);

/* Register; names must be unique (duplicate -> -SIM_EINVAL). */
int sim_stat_counter(struct sim_stats *s, const char *obj, const char *metric,
                     const char *unit, const char *desc, const uint64_t *p);
int sim_stat_formula(struct sim_stats *s, const char *obj, const char *metric,
                     const char *unit, const char *desc, const char *expr);
int sim_stat_hist(struct sim_stats *s, const char *obj, const char *metric,
                  const char *unit, const char *desc,
                  const struct sim_hist *h);

/* Register "<obj>.<metric>" = "<obj>.<num> / <obj>.<den>". */
int sim_stat_ratio(struct sim_stats *s, const char *obj, const char *metric,
                   const char *unit, const char *desc, const char *num,
                   const char *den);

/* A component's counters as a table, registered in one call. */
struct sim_stat_decl {
    const char *metric;
    const char *unit;
    const char *desc;
    const uint64_t *p;
};

int sim_stat_counters(struct sim_stats *s, const char *obj,
                      const struct sim_stat_decl *d, size_t n);

size_t sim_stats_count(const struct sim_stats *s);
const struct sim_stat *sim_stats_at(const struct sim_stats *s, size_t i);

/* Current value of a counter or formula by full name "obj.metric".
 * Returns 0 or -SIM_ENOENT; formulas dividing by zero give 0. */
int sim_stats_value(const struct sim_stats *s, const char *fullname,
                    double *out);

/*
 * Evaluate an expression over counter names: + - * / unary minus,
 * parentheses, decimal numbers, names like cpu0.l1d.misses.  Returns 0,
 * -SIM_ENOENT for an unknown name, -SIM_EINVAL for a syntax error.
 */
int sim_stats_eval(const struct sim_stats *s, const char *expr, double *out);

#endif /* SIM_STATS_H */
