/*
 * test_cfg.c - CUnit suite "cfg": the config registry (sim/sim_cfg.c).
 *
 * Covers defaults, INI files, include inheritance, command-line overrides,
 * value syntax (sizes, bools, enums, ranges), every error message shape
 * (unknown section / key with "did you mean", bad values, missing include,
 * include cycles and depth, syntax errors, validators), and that the output
 * of sim_cfg_dump() loads back to the same values.
 *
 * Most INI files are written by the tests into a fresh mkdtemp() directory,
 * so the suite runs from any directory and in a read-only source tree.  One
 * test reads the checked-in example under tests/fixtures/cfg/, found through
 * $top_srcdir, $srcdir/.., $srcdir, "." or ".." (the first that holds it).
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* mkdtemp, strdup, getcwd, chdir */
#endif

#include <CUnit/CUnit.h>

#include "test_suites.h"
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/sim_cfg.h"
#include "sim/sim_err.h"

/* ------------------------------------------------------------------ */
/* Key tables under test                                               */
/* ------------------------------------------------------------------ */

struct tcache_cfg {
    uint64_t size;
    uint64_t ways;
    uint64_t line;
    uint64_t hit_latency;
    unsigned repl;
    bool enabled;
    const char *name;
    double scale;
    uint64_t big;
};

#define TC(n, t, d, lo, hi, u, ch, desc) \
    SIM_CFG_KEY(struct tcache_cfg, n, t, n, d, lo, hi, u, ch, desc)

static const struct sim_cfg_key tcache_keys[] = {
    TC(size, U64, "32K", 256, 4294967296.0, "B", NULL, "capacity")
    TC(ways, U64, "8", 1, 64, "", NULL, "associativity")
    TC(line, U64, "64", 16, 4096, "B", NULL, "line size")
    TC(hit_latency, U64, "4", 0, 1000, "cycles", NULL, "hit latency")
    TC(repl, ENUM, "lru", 0, 0, "", "lru|srrip|random", "replacement policy")
    TC(enabled, BOOL, "true", 0, 0, "", NULL, "level present")
    TC(name, STR, "cache", 0, 0, "", NULL, "label in traces")
    TC(scale, F64, "1.5", 0, 10, "", NULL, "latency scale factor")
    TC(big, U64, "0", 0, 18446744073709551615.0, "B", NULL, "a large size")
    SIM_CFG_END
};

struct tdram_cfg {
    uint64_t latency;
};

static const struct sim_cfg_key tdram_keys[] = {
    SIM_CFG_KEY(struct tdram_cfg, latency, U64, latency, "100", 1, 100000,
                "cycles", NULL, "access latency")
    SIM_CFG_END
};

/* Geometry check, as cache_cfg_validate does it: sets must be 2^n. */
static int tcache_validate(struct sim_cfg *cfg, const char *section,
                           const void *loaded)
{
    const struct tcache_cfg *c = loaded;
    uint64_t per_set = c->ways * c->line;

    if (c->size % per_set != 0 || !SIM_IS_POW2(c->size / per_set)) {
        return sim_cfg_error(cfg, section, "size",
                             "%llu bytes are not a power-of-two number of "
                             "sets of %llu ways x %llu bytes",
                             (unsigned long long)c->size,
                             (unsigned long long)c->ways,
                             (unsigned long long)c->line);
    }
    return 0;
}

/* A validator that fails without saying why. */
static int tlazy_validate(struct sim_cfg *cfg, const char *section,
                          const void *loaded)
{
    (void)cfg;
    (void)section;
    (void)loaded;
    return -SIM_ECFG;
}

static const char *const l1d_defaults[] = { "size=32K", "ways=8", NULL };
static const char *const l2_defaults[] = { "size=1M", "ways=16",
                                           "hit_latency=12", NULL };

/* The registry most tests start from; "plain" has no validator. */
static struct sim_cfg *new_cfg(void)
{
    struct sim_cfg *cfg = sim_cfg_new();

    if (cfg == NULL) {
        return NULL;
    }
    if (sim_cfg_declare(cfg, "cache/l1d", "L1 data cache", tcache_keys,
                        l1d_defaults, tcache_validate) != 0 ||
        sim_cfg_declare(cfg, "cache/l2", "unified L2", tcache_keys,
                        l2_defaults, tcache_validate) != 0 ||
        sim_cfg_declare(cfg, "mem.ch0", "DRAM channel 0", tdram_keys, NULL,
                        NULL) != 0 ||
        sim_cfg_declare(cfg, "lazy", NULL, tdram_keys, NULL,
                        tlazy_validate) != 0 ||
        sim_cfg_declare(cfg, "plain", NULL, tcache_keys, NULL, NULL) != 0) {
        sim_cfg_free(cfg);
        return NULL;
    }
    return cfg;
}

/* ------------------------------------------------------------------ */
/* Temporary files                                                     */
/* ------------------------------------------------------------------ */

static char tdir[64];
static char **made;             /* created files and dirs, in order */
static size_t nmade;

static void remember(const char *path)
{
    char **p = realloc(made, (nmade + 1) * sizeof(*p));

    if (p != NULL) {
        made = p;
        made[nmade] = strdup(path);
        if (made[nmade] != NULL) {
            nmade++;
        }
    }
}

static int suite_init(void)
{
    strcpy(tdir, "/tmp/vtsim_test_cfg.XXXXXX");
    if (mkdtemp(tdir) == NULL) {
        return -1;
    }
    remember(tdir);
    return 0;
}

static int suite_clean(void)
{
    while (nmade > 0) {
        nmade--;
        if (remove(made[nmade]) != 0) {
            fprintf(stderr, "test_cfg: cannot remove %s: %s\n", made[nmade],
                    strerror(errno));
        }
        free(made[nmade]);
    }
    free(made);
    made = NULL;
    return 0;
}

/* Write tdir/rel (creating its directories); the path goes into out. */
static const char *tfile(char *out, size_t size, const char *rel,
                         const char *content)
{
    char *slash;
    FILE *fp;

    snprintf(out, size, "%s/%s", tdir, rel);
    for (slash = strchr(out + strlen(tdir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(out, 0700) == 0) {
            remember(out);
        }
        *slash = '/';
    }
    fp = fopen(out, "w");
    if (fp == NULL) {
        CU_FAIL("cannot create a temporary INI file");
        return out;
    }
    fputs(content, fp);
    fclose(fp);
    remember(out);
    return out;
}

/* The message of the last error equals printf(fmt, ...). */
static void check_msg(const struct sim_cfg *cfg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void check_msg(const struct sim_cfg *cfg, const char *fmt, ...)
{
    char want[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    if (strcmp(sim_cfg_errmsg(cfg), want) != 0) {
        fprintf(stderr, "\n  want: %s\n  got:  %s\n", want,
                sim_cfg_errmsg(cfg));
    }
    CU_ASSERT_STRING_EQUAL(sim_cfg_errmsg(cfg), want);
}

/* sim_cfg_get() that never returns NULL, for string assertions. */
static const char *get(const struct sim_cfg *cfg, const char *section,
                       const char *key)
{
    const char *v = sim_cfg_get(cfg, section, key);

    return v != NULL ? v : "(undeclared)";
}

/* Source of one key, found with sim_cfg_foreach(). */
struct find_src {
    const char *section;
    const char *key;
    char source[512];
    int hits;
};

static void find_src_visit(void *ctx, const char *section, const char *key,
                           const char *value, const char *source)
{
    struct find_src *f = ctx;

    (void)value;
    if (strcmp(section, f->section) == 0 && strcmp(key, f->key) == 0) {
        snprintf(f->source, sizeof(f->source), "%s", source);
        f->hits++;
    }
}

static const char *source_of(const struct sim_cfg *cfg, const char *section,
                             const char *key)
{
    static struct find_src f;

    memset(&f, 0, sizeof(f));
    f.section = section;
    f.key = key;
    sim_cfg_foreach(cfg, find_src_visit, &f);
    return f.hits == 1 ? f.source : "(not visited once)";
}

/* ------------------------------------------------------------------ */
/* Defaults, files, includes, overrides                                */
/* ------------------------------------------------------------------ */

static void test_cfg_defaults(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    memset(&c, 0xa5, sizeof(c));
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l2", &c), 0);
    CU_ASSERT_EQUAL(c.size, 1024 * 1024);       /* instance default */
    CU_ASSERT_EQUAL(c.ways, 16);
    CU_ASSERT_EQUAL(c.line, 64);                /* table default */
    CU_ASSERT_EQUAL(c.hit_latency, 12);
    CU_ASSERT_EQUAL(c.repl, 0);
    CU_ASSERT_TRUE(c.enabled);
    CU_ASSERT_STRING_EQUAL(c.name, "cache");
    CU_ASSERT_DOUBLE_EQUAL(c.scale, 1.5, 0.0);
    CU_ASSERT_EQUAL(c.big, 0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l2", "size"), "1M");
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "hit_latency"),
                           "4");
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l2", "size"), "default");
    CU_ASSERT_PTR_NULL(sim_cfg_get(cfg, "cache/l3", "size"));
    CU_ASSERT_PTR_NULL(sim_cfg_get(cfg, "cache/l2", "sise"));
    CU_ASSERT_STRING_EQUAL(sim_cfg_errmsg(cfg), "");
    sim_cfg_free(cfg);
}

static void test_cfg_file_overrides_defaults(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char p[512];
    char want[600];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "file.ini",
          "; a comment\n"
          "[cache/l1d]\n"
          "ways = 4     ; inline comment\n"
          "   repl=srrip\n"                 /* indented: not a continuation */
          "# another comment\r\n"
          "name = L1 data\r\n"
          "scale: 2.25\n"
          "\n"
          "[mem.ch0]\n"
          "latency = 0x20\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.ways, 4);
    CU_ASSERT_EQUAL(c.repl, 1);
    CU_ASSERT_STRING_EQUAL(c.name, "L1 data");
    CU_ASSERT_DOUBLE_EQUAL(c.scale, 2.25, 0.0);
    CU_ASSERT_EQUAL(c.size, 32768);             /* untouched default */
    CU_ASSERT_STRING_EQUAL(get(cfg, "mem.ch0", "latency"), "0x20");
    snprintf(want, sizeof(want), "%s:3", p);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "ways"), want);
    snprintf(want, sizeof(want), "%s:4", p);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "repl"), want);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "size"), "default");
    sim_cfg_free(cfg);
}

/* The same key twice: the last one wins and its line is remembered. */
static void test_cfg_last_assignment_wins(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "twice.ini",
          "[cache/l1d]\nways = 2\nways = 4\n[cache/l2]\n[cache/l1d]\n"
          "ways = 16\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "16");
    CU_ASSERT_EQUAL(sim_cfg_error(cfg, "cache/l1d", "ways", "too %s", "many"),
                    -SIM_ECFG);
    check_msg(cfg, "%s:6: [cache/l1d] ways: too many", p);
    CU_ASSERT_EQUAL(sim_cfg_error(cfg, "cache/l1d", "line", "bad"),
                    -SIM_ECFG);
    check_msg(cfg, "default: [cache/l1d] line: bad");
    sim_cfg_free(cfg);
}

/*
 * include: later assignments override earlier ones, in both directions,
 * and paths are relative to the including file, not to the cwd.
 */
static void test_cfg_include_inheritance(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char base[512];
    char common[512];
    char top[512];
    char want[600];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(common, sizeof(common), "inh/common/lat.ini",
          "[cache/l1d]\nhit_latency = 5\nline = 128\n");
    tfile(base, sizeof(base), "inh/base.ini",
          "include = common/lat.ini\n"
          "[cache/l1d]\n"
          "size = 64K\n"
          "ways = 2\n"
          "line = 32\n"
          "[cache/l2]\n"
          "repl = random\n");
    tfile(top, sizeof(top), "inh/machines/top.ini",
          "[cache/l1d]\n"
          "repl = srrip\n"
          "hit_latency = 9\n"
          "include = ../base.ini\n"
          "ways = 16\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, top), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.size, 65536);     /* inherited from base */
    CU_ASSERT_EQUAL(c.ways, 16);        /* top after the include wins */
    CU_ASSERT_EQUAL(c.line, 32);        /* base after its include wins */
    CU_ASSERT_EQUAL(c.hit_latency, 5);  /* include after top's line wins */
    CU_ASSERT_EQUAL(c.repl, 1);         /* only top sets it */
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l2", &c), 0);
    CU_ASSERT_EQUAL(c.repl, 2);
    /* Included files are named by the path joined to the includer's. */
    snprintf(want, sizeof(want), "%s/inh/machines/../common/lat.ini:2",
             tdir);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "hit_latency"), want);
    snprintf(want, sizeof(want), "%s/inh/machines/../base.ini:3", tdir);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "size"), want);
    snprintf(want, sizeof(want), "%s:5", top);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "ways"), want);
    sim_cfg_free(cfg);
}

/* A file named without a directory includes relative to the cwd. */
static void test_cfg_include_from_cwd(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];
    char old[4096];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "cwd/inner.ini", "[cache/l2]\nways = 4\n");
    tfile(p, sizeof(p), "cwd/outer.ini", "include = inner.ini\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(getcwd(old, sizeof(old)));
    snprintf(p, sizeof(p), "%s/cwd", tdir);
    CU_ASSERT_EQUAL_FATAL(chdir(p), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, "outer.ini"), 0);
    CU_ASSERT_EQUAL(chdir(old), 0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l2", "ways"), "4");
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l2", "ways"),
                           "inner.ini:2");
    sim_cfg_free(cfg);
}

static void test_cfg_override_beats_files(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tdram_cfg d;
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "ovr.ini", "[cache/l1d]\nways = 4\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, " cache/l1d.ways = 32 ", "-o #1"),
                    0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "32");
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l1d", "ways"), "-o #1");
    /* The section name holds a '.': the key is after the last one. */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "mem.ch0.latency=7", "-o #2"), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "mem.ch0", &d), 0);
    CU_ASSERT_EQUAL(d.latency, 7);
    /* The value may hold '=' and '.'. */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.name=a=b.c", NULL), 0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l2", "name"), "a=b.c");
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l2", "name"), "override");
    sim_cfg_free(cfg);
}

static void test_cfg_override_errors(void)
{
    struct sim_cfg *cfg = new_cfg();

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "nodot=3", "-o #1"), -SIM_ECFG);
    check_msg(cfg, "-o #1: 'nodot=3' is not of the form section.key=value");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.ways", "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg,
              "-o #1: 'cache/l1d.ways' is not of the form section.key=value");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.wayz=3", "-o #2"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #2: [cache/l1d] wayz: unknown key (did you mean "
                   "'ways'?)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cahce/l1d.ways=3", "-o #3"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #3: [cahce/l1d]: unknown section (did you mean "
                   "'cache/l1d'?)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.ways=99", "-o #4"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #4: [cache/l1d] ways: 99 is out of range [1, 64]");
    /* Values that an INI file could not hold are refused. */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.name=a ;b", "-o #5"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #5: [cache/l1d] name: 'a ;b' contains ';' after a "
                   "space, which an INI file reads as a comment");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.name=a\nb", "-o #6"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #6: [cache/l1d] name: value contains a control "
                   "character");
    /* Failed overrides leave the values alone. */
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "8");
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "name"), "cache");
    sim_cfg_free(cfg);
}

/* ------------------------------------------------------------------ */
/* Error messages of files                                             */
/* ------------------------------------------------------------------ */

static void test_cfg_unknown_key(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "ukey.ini",
          "[cache/l1d]\n; fine so far\nways = 4\nwayz = 4\nrepl = random\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:4: [cache/l1d] wayz: unknown key (did you mean "
                   "'ways'?)", p);
    /* Loading stopped at the error. */
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "repl"), "lru");

    /* A long name allows more edits; a far one gets no suggestion. */
    tfile(p, sizeof(p), "ukey2.ini", "[cache/l2]\nhit_lattenccyy = 3\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: [cache/l2] hit_lattenccyy: unknown key (did you "
                   "mean 'hit_latency'?)", p);
    tfile(p, sizeof(p), "ukey3.ini", "[cache/l2]\ncolour = 3\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: [cache/l2] colour: unknown key", p);

    /* Keys before any section. */
    tfile(p, sizeof(p), "ukey4.ini", "\nways = 3\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: ways: key outside of any section (only 'include' "
                   "may come before the first [section])", p);
    sim_cfg_free(cfg);
}

static void test_cfg_unknown_section(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "usec.ini",
          "[cache/l1d]\nways = 4\n\n[cahce/l1d]\nways = 2\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:4: [cahce/l1d]: unknown section (did you mean "
                   "'cache/l1d'?)", p);
    /* Also without any key in it, and without a near name. */
    tfile(p, sizeof(p), "usec2.ini", "[cache/l1d]\n[zzz] ; nothing\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: [zzz]: unknown section", p);
    sim_cfg_free(cfg);
}

static void test_cfg_bad_number(void)
{
    static const char *const bad[] = {
        "1x", "-3", "+3", "", "0x", "4 2", "1.0", "K", "4K",
    };
    struct sim_cfg *cfg = new_cfg();
    char p[512];
    char o[64];
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "num.ini", "[cache/l1d]\nline = 64\nways = 1x\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:3: [cache/l1d] ways: '1x' is not an unsigned integer",
              p);
    for (i = 0; i < SIM_ARRAY_SIZE(bad); i++) {
        snprintf(o, sizeof(o), "cache/l1d.ways=%s", bad[i]);
        CU_ASSERT_EQUAL(sim_cfg_override(cfg, o, "-o #1"), -SIM_ECFG);
        check_msg(cfg, "-o #1: [cache/l1d] ways: '%s' is not an unsigned "
                       "integer", bad[i]);
    }
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.ways="
                                     "18446744073709551616", "-o #2"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #2: [cache/l1d] ways: '18446744073709551616' does not "
                   "fit in 64 bits");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.scale=fast", "-o #3"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #3: [cache/l1d] scale: 'fast' is not a finite "
                   "number");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.scale=nan", "-o #3"),
                    -SIM_ECFG);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.scale=2.5x", "-o #3"),
                    -SIM_ECFG);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "8");
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "scale"), "1.5");
    sim_cfg_free(cfg);
}

static void test_cfg_out_of_range(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "range.ini", "[cache/l1d]\nways = 100\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: [cache/l1d] ways: 100 is out of range [1, 64]", p);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.ways=0", "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #1: [cache/l1d] ways: 0 is out of range [1, 64]");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.size=8G", "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #1: [cache/l1d] size: 8G is out of range [256, 4G]");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.scale=10.5", "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #1: [cache/l1d] scale: 10.5 is out of range [0, 10]");
    /* The bounds themselves are in range. */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.ways=64", "-o #1"), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.size=4G", "-o #1"), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.scale=0", "-o #1"), 0);
    sim_cfg_free(cfg);
}

static void test_cfg_bad_enum(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "enum.ini", "[cache/l1d]\nrepl = lur\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: [cache/l1d] repl: 'lur' is not one of "
                   "lru|srrip|random (did you mean 'lru'?)", p);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.repl=SRRIP", "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #1: [cache/l1d] repl: 'SRRIP' is not one of "
                   "lru|srrip|random (did you mean 'srrip'?)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.repl=plru-tree",
                                     "-o #1"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #1: [cache/l1d] repl: 'plru-tree' is not one of "
                   "lru|srrip|random");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.repl=random", "-o #1"),
                    0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.repl, 2);
    sim_cfg_free(cfg);
}

static void test_cfg_bool_forms(void)
{
    static const struct {
        const char *text;
        bool val;
    } forms[] = {
        { "true", true },  { "false", false }, { "yes", true },
        { "no", false },   { "on", true },     { "off", false },
        { "1", true },     { "0", false },     { "TRUE", true },
        { "Off", false },
    };
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char o[64];
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    for (i = 0; i < SIM_ARRAY_SIZE(forms); i++) {
        snprintf(o, sizeof(o), "cache/l1d.enabled=%s", forms[i].text);
        CU_ASSERT_EQUAL(sim_cfg_override(cfg, o, "-o #1"), 0);
        c.enabled = !forms[i].val;
        CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
        CU_ASSERT_EQUAL(c.enabled, forms[i].val);
    }
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.enabled=maybe", "-o #2"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #2: [cache/l1d] enabled: 'maybe' is not a boolean "
                   "(true|false|yes|no|on|off|1|0)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.enabled=ture", "-o #3"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #3: [cache/l1d] enabled: 'ture' is not a boolean "
                   "(true|false|yes|no|on|off|1|0) (did you mean 'true'?)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.enabled=2", "-o #4"),
                    -SIM_ECFG);
    sim_cfg_free(cfg);
}

static void test_cfg_size_suffixes(void)
{
    static const struct {
        const char *key;
        const char *text;
        uint64_t val;
    } ok[] = {
        { "size", "32K", 32768 },
        { "size", "2M", 2u << 20 },
        { "size", "1G", 1u << 30 },
        { "size", "4k", 4096 },
        { "size", "0x100", 256 },
        { "size", "0x10K", 16384 },
        { "size", "300", 300 },
        { "big", "1T", 1ull << 40 },
        { "big", "16383T", 16383ull << 40 },
        { "big", "18446744073709551615", UINT64_MAX },
        { "big", "0xffffffffffffffff", UINT64_MAX },
    };
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char o[96];
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    for (i = 0; i < SIM_ARRAY_SIZE(ok); i++) {
        snprintf(o, sizeof(o), "plain.%s=%s", ok[i].key, ok[i].text);
        CU_ASSERT_EQUAL(sim_cfg_override(cfg, o, "-o #1"), 0);
        memset(&c, 0, sizeof(c));
        CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "plain", &c), 0);
        CU_ASSERT_EQUAL(strcmp(ok[i].key, "big") == 0 ? c.big : c.size,
                        ok[i].val);
    }
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.size=16KB", "-o #2"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #2: [cache/l2] size: '16KB' is not a size (an "
                   "unsigned integer, optionally followed by K, M, G or T)");
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.size=1.5M", "-o #2"),
                    -SIM_ECFG);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.big=16777216T", "-o #3"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #3: [cache/l2] big: '16777216T' does not fit in 64 "
                   "bits");
    /* Suffixes only for byte counts. */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.ways=2K", "-o #4"),
                    -SIM_ECFG);
    check_msg(cfg, "-o #4: [cache/l2] ways: '2K' is not an unsigned "
                   "integer");
    sim_cfg_free(cfg);
}

static void test_cfg_missing_include(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];
    char missing[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "miss/top.ini",
          "[cache/l1d]\nways = 2\ninclude = nothere.ini\nways = 4\n");
    snprintf(missing, sizeof(missing), "%s/miss/nothere.ini", tdir);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:3: [cache/l1d] include: cannot open '%s': No such "
                   "file or directory", p, missing);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "2");

    /* At top level, and nested: the message names the including file. */
    tfile(p, sizeof(p), "miss/mid.ini", "\n\ninclude = sub/gone.ini\n");
    tfile(p, sizeof(p), "miss/top2.ini", "include = mid.ini\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s/miss/mid.ini:3: include: cannot open "
                   "'%s/miss/sub/gone.ini': No such file or directory",
              tdir, tdir);

    /* The file given to the loader itself. */
    snprintf(p, sizeof(p), "%s/miss/absent.ini", tdir);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s: cannot open: No such file or directory", p);
    sim_cfg_free(cfg);
}

static void test_cfg_include_cycle(void)
{
    struct sim_cfg *cfg = new_cfg();
    char a[512];
    char b[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(a, sizeof(a), "cyc/a.ini", "include = b.ini\n");
    tfile(b, sizeof(b), "cyc/b.ini",
          "[cache/l1d]\nways = 2\ninclude = ./a.ini\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, a), -SIM_ECFG);
    check_msg(cfg, "%s:3: [cache/l1d] include: include cycle: %s -> %s -> "
                   "%s/cyc/./a.ini", b, a, b, tdir);
    tfile(a, sizeof(a), "cyc/self.ini", "[cache/l2]\ninclude = self.ini\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, a), -SIM_ECFG);
    check_msg(cfg, "%s:2: [cache/l2] include: include cycle: %s -> %s", a,
              a, a);

    /* Including one file twice, not nested, is no cycle. */
    tfile(a, sizeof(a), "cyc/leaf.ini", "[cache/l2]\nways = 2\n");
    tfile(a, sizeof(a), "cyc/twice.ini",
          "include = leaf.ini\ninclude = leaf.ini\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, a), 0);
    sim_cfg_free(cfg);
}

/* Sixteen levels of includes load; the seventeenth is refused. */
static void test_cfg_include_depth(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];
    char rel[32];
    char body[64];
    int i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    for (i = 0; i <= 17; i++) {
        snprintf(rel, sizeof(rel), "deep/d%02d.ini", i);
        if (i < 17) {
            snprintf(body, sizeof(body), "include = d%02d.ini\n", i + 1);
        } else {
            snprintf(body, sizeof(body), "[cache/l2]\nways = 2\n");
        }
        tfile(p, sizeof(p), rel, body);
    }
    snprintf(p, sizeof(p), "%s/deep/d01.ini", tdir);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l2", "ways"), "2");
    snprintf(p, sizeof(p), "%s/deep/d00.ini", tdir);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s/deep/d16.ini:1: include: '%s/deep/d17.ini' would nest "
                   "includes deeper than 16 levels", tdir, tdir);
    sim_cfg_free(cfg);
}

static void test_cfg_syntax_error(void)
{
    struct sim_cfg *cfg = new_cfg();
    char p[512];
    char line[300];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "syn.ini",
          "[cache/l1d]\nways = 4\n\nthis line has no equals sign\n"
          "ways = 8\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:4: syntax error", p);
    /* An earlier syntax error wins over a later unknown key. */
    tfile(p, sizeof(p), "syn2.ini", "[cache/l1d\nwayz = 4\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:1: syntax error", p);
    /* A value without a key. */
    tfile(p, sizeof(p), "syn5.ini", "[cache/l1d]\n\n  = 4\n");
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:3: syntax error", p);
    /* Over-long lines are reported; over-long comments are not. */
    memset(line, 'x', sizeof(line));
    memcpy(line, "; ", 2);
    memcpy(line + sizeof(line) - 2, "\n", 2);
    tfile(p, sizeof(p), "syn3.ini", line);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), 0);
    memcpy(line, "[cache/l1d]\nname = ", 19);
    tfile(p, sizeof(p), "syn4.ini", line);
    CU_ASSERT_EQUAL(sim_cfg_load_file(cfg, p), -SIM_ECFG);
    check_msg(cfg, "%s:2: line too long (more than %d characters)", p,
              INI_MAX_LINE - 3);
    sim_cfg_free(cfg);
}

static void test_cfg_validator(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    struct tdram_cfg d;
    char p[512];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    tfile(p, sizeof(p), "val.ini", "[cache/l1d]\n\nsize = 48K\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), -SIM_ECFG);
    check_msg(cfg, "%s:3: [cache/l1d] size: 49152 bytes are not a "
                   "power-of-two number of sets of 8 ways x 64 bytes", p);
    /* The key named by the validator was never set: "default". */
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l2.ways=3", "-o #1"), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l2", &c), -SIM_ECFG);
    check_msg(cfg, "default: [cache/l2] size: 1048576 bytes are not a "
                   "power-of-two number of sets of 3 ways x 64 bytes");
    /* A validator that gives no reason still fails with a message. */
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "lazy", &d), -SIM_ECFG);
    check_msg(cfg, "default: [lazy]: invalid configuration");
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "nosuch", &d), -SIM_ECFG);
    sim_cfg_free(cfg);
}

static void test_cfg_declare_errors(void)
{
    static const struct sim_cfg_key bad_table[] = {
        SIM_CFG_KEY(struct tdram_cfg, latency, U64, latency, "fast", 1, 10,
                    "cycles", NULL, "bad default")
        SIM_CFG_END
    };
    static const struct sim_cfg_key bad_enum[] = {
        SIM_CFG_KEY(struct tcache_cfg, repl, ENUM, repl, "lru", 0, 0, "",
                    NULL, "no choices")
        SIM_CFG_END
    };
    static const char *const unknown_default[] = { "wayz=4", NULL };
    static const char *const range_default[] = { "ways=100", NULL };
    struct sim_cfg *cfg = new_cfg();

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "cache/l1d", "again", tcache_keys,
                                    NULL, NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "x1", "", tcache_keys,
                                    unknown_default, NULL),
                    -SIM_EINVAL);
    check_msg(cfg, "default: [x1] wayz: unknown key (did you mean 'ways'?)");
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "x2", "", tcache_keys,
                                    range_default, NULL),
                    -SIM_EINVAL);
    check_msg(cfg, "default: [x2] ways: 100 is out of range [1, 64]");
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "x3", "", bad_table, NULL, NULL),
                    -SIM_EINVAL);
    check_msg(cfg, "default: [x3] latency: 'fast' is not an unsigned "
                   "integer");
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "x4", "", bad_enum, NULL, NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_cfg_declare(cfg, "bad name", "", tdram_keys, NULL,
                                    NULL),
                    -SIM_EINVAL);
    /* None of them was added. */
    CU_ASSERT_PTR_NULL(sim_cfg_get(cfg, "x1", "ways"));
    CU_ASSERT_PTR_NULL(sim_cfg_get(cfg, "x3", "latency"));
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "ways"), "8");
    sim_cfg_free(cfg);
}

/* Strings from sim_cfg_load_struct() stay valid after reassignment. */
static void test_cfg_strings_stay_valid(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.name=first", "-o"), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(cfg, "cache/l1d.name=second", "-o"), 0);
    CU_ASSERT_STRING_EQUAL(c.name, "first");
    CU_ASSERT_STRING_EQUAL(get(cfg, "cache/l1d", "name"), "second");
    sim_cfg_free(cfg);
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */
/* ------------------------------------------------------------------ */

/* Everything written to a FILE, as one string (caller frees). */
static char *capture(void (*print)(const struct sim_cfg *, FILE *),
                     const struct sim_cfg *cfg)
{
    FILE *fp = tmpfile();
    char *text;
    long n;

    if (fp == NULL) {
        return NULL;
    }
    print(cfg, fp);
    n = ftell(fp);
    rewind(fp);
    text = calloc((size_t)n + 1, 1);
    if (text != NULL && fread(text, 1, (size_t)n, fp) != (size_t)n) {
        free(text);
        text = NULL;
    }
    fclose(fp);
    return text;
}

static void test_cfg_print_keys(void)
{
    struct sim_cfg *cfg = new_cfg();
    char *text;
    char want[128];
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    text = capture(sim_cfg_print_keys, cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    for (i = 0; tcache_keys[i].name != NULL; i++) {
        snprintf(want, sizeof(want), "\n  %s ", tcache_keys[i].name);
        CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
        CU_ASSERT_PTR_NOT_NULL(strstr(text, tcache_keys[i].desc));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "\n  latency "));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[cache/l1d]  L1 data cache\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[cache/l2]  unified L2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[mem.ch0]  DRAM channel 0\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[lazy]\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "[plain]\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "lru|srrip|random"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "256..4G"));
    CU_ASSERT_PTR_NOT_NULL(strstr(text, "cycles"));
    /* The section's own default: 1M for cache/l2. */
    CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(text, "[cache/l2]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(strstr(text, "[cache/l2]"), " 1M "));
    free(text);
    sim_cfg_free(cfg);
}

/* All values, "section\tkey\tvalue\n" each, in declaration order. */
static void collect_visit(void *ctx, const char *section, const char *key,
                          const char *value, const char *source)
{
    FILE *fp = ctx;

    (void)source;
    fprintf(fp, "%s\t%s\t%s\n", section, key, value);
}

static char *collect(const struct sim_cfg *cfg)
{
    FILE *fp = tmpfile();
    char *text;
    long n;

    if (fp == NULL) {
        return NULL;
    }
    sim_cfg_foreach(cfg, collect_visit, fp);
    n = ftell(fp);
    rewind(fp);
    text = calloc((size_t)n + 1, 1);
    if (text != NULL && fread(text, 1, (size_t)n, fp) != (size_t)n) {
        free(text);
        text = NULL;
    }
    fclose(fp);
    return text;
}

static void test_cfg_dump_round_trip(void)
{
    struct sim_cfg *a = new_cfg();
    struct sim_cfg *b = new_cfg();
    struct tcache_cfg ca;
    struct tcache_cfg cb;
    char p[512];
    char longname[200];
    char o[700];
    char *dump;
    char *va;
    char *vb;
    FILE *fp;

    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL_FATAL(sim_cfg_declare(a, "extra", NULL, tcache_keys,
                                          NULL, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(sim_cfg_declare(b, "extra", NULL, tcache_keys,
                                          NULL, NULL), 0);
    tfile(p, sizeof(p), "rt/src.ini",
          "[cache/l1d]\n"
          "size = 0x10K\n"
          "name =;starts with a semicolon\n"
          "scale = 2.50\n"
          "repl = random\n"
          "[cache/l2]\n"
          "name = tab\there # not a comment\n"
          "enabled = Off\n");
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(a, p), 0);
    CU_ASSERT_STRING_EQUAL(get(a, "cache/l1d", "name"),
                           ";starts with a semicolon");
    CU_ASSERT_EQUAL(sim_cfg_override(a, "cache/l2.big=1T", "-o #1"), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(a, "mem.ch0.latency=0x2a", "-o #2"), 0);
    CU_ASSERT_EQUAL(sim_cfg_override(a, "lazy.latency = 5", "-o #3"), 0);
    /* A value filling the line: written without padding on its own line. */
    memset(longname, 'n', sizeof(longname));
    longname[192] = '\0';
    snprintf(o, sizeof(o), "plain.name=%s", longname);
    CU_ASSERT_EQUAL(sim_cfg_override(a, o, "-o #4"), 0);
    /* An empty string. */
    CU_ASSERT_EQUAL(sim_cfg_override(a, "extra.name=", "-o #5"), 0);

    dump = capture(sim_cfg_dump, a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dump);
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "\n[cache/l1d]\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "; -o #2\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, "; default\n"));
    snprintf(o, sizeof(o), "; %s:2\n", p);
    CU_ASSERT_PTR_NOT_NULL(strstr(dump, o));
    fp = fopen(tfile(p, sizeof(p), "rt/dump.ini", dump), "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    fclose(fp);
    if (sim_cfg_load_file(b, p) != 0) {
        fprintf(stderr, "\n  %s\n%s", sim_cfg_errmsg(b), dump);
        CU_FAIL("the dump does not load");
    }
    va = collect(a);
    vb = collect(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(va);
    CU_ASSERT_PTR_NOT_NULL_FATAL(vb);
    CU_ASSERT_STRING_EQUAL(va, vb);
    CU_ASSERT_PTR_NOT_NULL(strstr(vb, "cache/l1d\tname\t;starts with a "
                                      "semicolon\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(vb, "cache/l2\tname\ttab\there # not a "
                                      "comment\n"));
    CU_ASSERT_PTR_NOT_NULL(strstr(vb, "extra\tname\t\n"));
    CU_ASSERT_EQUAL(sim_cfg_load_struct(a, "cache/l2", &ca), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(b, "cache/l2", &cb), 0);
    CU_ASSERT_EQUAL(ca.big, cb.big);
    CU_ASSERT_EQUAL(cb.big, 1ull << 40);
    CU_ASSERT_FALSE(cb.enabled);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(b, "plain", &cb), 0);
    CU_ASSERT_STRING_EQUAL(cb.name, longname);
    /* Values read back come from the dump file now. */
    CU_ASSERT_EQUAL(strncmp(source_of(b, "mem.ch0", "latency"), p,
                            strlen(p)), 0);
    free(va);
    free(vb);
    free(dump);
    sim_cfg_free(a);
    sim_cfg_free(b);
}

/* ------------------------------------------------------------------ */
/* Checked-in example                                                  */
/* ------------------------------------------------------------------ */

/* tests/fixtures/cfg under the source tree, or NULL. */
static const char *fixture_dir(char *buf, size_t size)
{
    const char *top = getenv("top_srcdir");
    const char *src = getenv("srcdir");
    const char *cand[5];
    const char *suffix[5];
    size_t n = 0;
    size_t i;
    struct stat st;

    if (top != NULL) {
        cand[n] = top;
        suffix[n++] = "";
    }
    if (src != NULL) {
        cand[n] = src;
        suffix[n++] = "/..";
        cand[n] = src;
        suffix[n++] = "";
    }
    cand[n] = ".";
    suffix[n++] = "";
    cand[n] = "..";
    suffix[n++] = "";
    for (i = 0; i < n; i++) {
        snprintf(buf, size, "%s%s/tests/fixtures/cfg", cand[i], suffix[i]);
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode)) {
            return buf;
        }
    }
    return NULL;
}

static void test_cfg_fixture_example(void)
{
    struct sim_cfg *cfg = new_cfg();
    struct tcache_cfg c;
    char dir[1024];
    char p[1100];
    char want[1200];

    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    if (fixture_dir(dir, sizeof(dir)) == NULL) {
        fprintf(stderr, "\n  test_cfg: tests/fixtures/cfg not found (set "
                        "top_srcdir or srcdir); fixture test skipped\n");
        CU_PASS("fixtures not found");
        sim_cfg_free(cfg);
        return;
    }
    snprintf(p, sizeof(p), "%s/variants/small.ini", dir);
    CU_ASSERT_EQUAL_FATAL(sim_cfg_load_file(cfg, p), 0);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l1d", &c), 0);
    CU_ASSERT_EQUAL(c.size, 16384);
    CU_ASSERT_EQUAL(c.ways, 4);
    CU_ASSERT_EQUAL(c.repl, 1);
    CU_ASSERT_EQUAL(sim_cfg_load_struct(cfg, "cache/l2", &c), 0);
    CU_ASSERT_EQUAL(c.size, 2u << 20);
    snprintf(want, sizeof(want), "%s/variants/../base.ini:10", dir);
    CU_ASSERT_STRING_EQUAL(source_of(cfg, "cache/l2", "size"), want);
    sim_cfg_free(cfg);
}

int test_cfg_register(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } tests[] = {
        { "defaults", test_cfg_defaults },
        { "file_overrides_defaults", test_cfg_file_overrides_defaults },
        { "last_assignment_wins", test_cfg_last_assignment_wins },
        { "include_inheritance", test_cfg_include_inheritance },
        { "include_from_cwd", test_cfg_include_from_cwd },
        { "override_beats_files", test_cfg_override_beats_files },
        { "override_errors", test_cfg_override_errors },
        { "unknown_key", test_cfg_unknown_key },
        { "unknown_section", test_cfg_unknown_section },
        { "bad_number", test_cfg_bad_number },
        { "out_of_range", test_cfg_out_of_range },
        { "bad_enum", test_cfg_bad_enum },
        { "bool_forms", test_cfg_bool_forms },
        { "size_suffixes", test_cfg_size_suffixes },
        { "missing_include", test_cfg_missing_include },
        { "include_cycle", test_cfg_include_cycle },
        { "include_depth", test_cfg_include_depth },
        { "syntax_error", test_cfg_syntax_error },
        { "validator", test_cfg_validator },
        { "declare_errors", test_cfg_declare_errors },
        { "strings_stay_valid", test_cfg_strings_stay_valid },
        { "print_keys", test_cfg_print_keys },
        { "dump_round_trip", test_cfg_dump_round_trip },
        { "fixture_example", test_cfg_fixture_example },
    };
    CU_pSuite s = CU_add_suite("cfg", suite_init, suite_clean);
    size_t i;

    if (s == NULL) {
        return -1;
    }
    for (i = 0; i < SIM_ARRAY_SIZE(tests); i++) {
        if (CU_add_test(s, tests[i].name, tests[i].fn) == NULL) {
            return -1;
        }
    }
    return 0;
}
