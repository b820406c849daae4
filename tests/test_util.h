/* test_util.h - shared helpers of the CUnit suites. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "sim/sim_trace.h"
#include "sim/sim_types.h"

/* A trace sink that keeps the last walk event and counts them. */
struct tu_trace {
    struct sim_trace sink;
    struct sim_walk_event last;
    uint64_t walks;
};

void tu_trace_init(struct tu_trace *t);

/* A fresh temporary directory (mkdtemp under $TMPDIR or /tmp); the path is
 * valid until the next call.  Returns NULL on failure. */
const char *tu_tmpdir(void);

/* Write `text` to dir/name; returns the full path (static buffer). */
const char *tu_write_file(const char *dir, const char *name,
                          const char *text);

#endif /* TEST_UTIL_H */
