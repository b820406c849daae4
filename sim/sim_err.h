/*
 * sim_err.h - error codes and the three tiers of error handling.
 *
 *  1. Guest-architectural outcomes are ordinary return values of the models.
 *  2. User errors (config, files) return -SIM_ECFG / -SIM_EIO with a message
 *     and end the program with exit status 2 (sim_fatal).
 *  3. Simulator bugs trip SIM_ASSERT, which prints the expression, the source
 *     location and the current cycle, then aborts.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include "sim_types.h"

#ifdef __cplusplus
#define SIM_NORETURN [[noreturn]]
extern "C" {
#else
#define SIM_NORETURN _Noreturn
#endif

enum sim_err {
    SIM_OK = 0,
    SIM_ENOMEM = 1,     /* allocation failed */
    SIM_ECFG = 2,       /* bad configuration (user error) */
    SIM_EIO = 3,        /* file or database error */
    SIM_EINVAL = 4,     /* bad argument from the caller (not the guest) */
    SIM_EKERNEL = 5,    /* SystemC kernel reported an error */
    SIM_EINTR = 6,      /* run interrupted by a signal */
    SIM_ENOENT = 7,     /* name not found */
};

/* Exit status of vtsim for user errors (bad config, image, option). */
#define SIM_EXIT_USAGE 2
/* `vtsim run --image` outcomes that are not a guest debug exit (those are
 * odd: (value << 1) | 1); even, so the two never collide. */
#define SIM_EXIT_TRIPLE 4
#define SIM_EXIT_HALTED 6
#define SIM_EXIT_LIMIT  8

const char *sim_strerror(int rc);

/* Cycle of the running core, printed by SIM_ASSERT; models need not set it. */
extern uint64_t sim_assert_cycle;

SIM_NORETURN void sim_assert_fail(const char *expr, const char *file, int line);

#define SIM_ASSERT(e) \
    ((e) ? (void)0 : sim_assert_fail(#e, __FILE__, __LINE__))

/* Defensive checks on conditions believed unreachable (SQLite's ALWAYS and
 * NEVER): assert in debug builds, evaluate to the condition otherwise. */
#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x)  (x)
#else
#define ALWAYS(x) ((x) ? 1 : (sim_assert_fail(#x, __FILE__, __LINE__), 0))
#define NEVER(x)  ((x) ? (sim_assert_fail(#x, __FILE__, __LINE__), 1) : 0)
#endif

/* Print "vtsim: error: <msg>" to stderr and exit with SIM_EXIT_USAGE. */
SIM_NORETURN void sim_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif

#endif /* SIM_ERR_H */
