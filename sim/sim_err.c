/* sim_err.c - error strings, assertion failure and fatal user errors. */
#include "sim_err.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t sim_assert_cycle;

const char *sim_strerror(int rc)
{
    switch (rc < 0 ? -rc : rc) {
    case SIM_OK:      return "success";
    case SIM_ENOMEM:  return "out of memory";
    case SIM_ECFG:    return "configuration error";
    case SIM_EIO:     return "I/O error";
    case SIM_EINVAL:  return "invalid argument";
    case SIM_EKERNEL: return "simulation kernel error";
    case SIM_EINTR:   return "interrupted";
    case SIM_ENOENT:  return "not found";
    default:          return "unknown error";
    }
}

void sim_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "vtsim: internal error at cycle %" PRIu64
            ": %s:%d: assertion '%s' failed\n",
            sim_assert_cycle, file, line, expr);
    abort();
}

void sim_fatal(const char *fmt, ...)
{
    va_list ap;

    fputs("vtsim: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(SIM_EXIT_USAGE);
}
