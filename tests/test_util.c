/* test_util.c - shared helpers of the CUnit suites. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void tu_trace_walk(void *ctx, const struct sim_walk_event *ev)
{
    struct tu_trace *t = ctx;

    t->last = *ev;
    t->walks++;
}

void tu_trace_init(struct tu_trace *t)
{
    memset(t, 0, sizeof(*t));
    t->sink.ctx = t;
    t->sink.walk = tu_trace_walk;
}

const char *tu_tmpdir(void)
{
    static char path[4096];
    const char *base = getenv("TMPDIR");

    snprintf(path, sizeof(path), "%s/vtsim-test-XXXXXX",
             base != NULL && base[0] != '\0' ? base : "/tmp");
    return mkdtemp(path);
}

const char *tu_write_file(const char *dir, const char *name,
                          const char *text)
{
    static char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (f == NULL) {
        return NULL;
    }
    fputs(text, f);
    fclose(f);
    return path;
}
