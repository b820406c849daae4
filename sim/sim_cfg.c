/*
 * sim_cfg.c - the config registry: sections declared from *_cfg.def key
 * tables, the INI loader (inih) with "include =", "section.key=value"
 * overrides, typed parsing into component structs, and the printers behind
 * `vtsim config --keys` and `vtsim config --dump`.  sim_cfg.h is the
 * specification; this comment only adds how it is done.
 *
 * A section owns one value slot per key of its table; a slot holds the
 * resolved text (as written, e.g. "32K") and its source ("default",
 * "FILE:LINE" or an override origin).  Every text a slot ever held, and
 * every source string, lives in a pool freed only by sim_cfg_free(), so
 * strings handed out by sim_cfg_get() and sim_cfg_load_struct() never
 * dangle when a later assignment replaces them.  A value is checked (type,
 * range) when it is assigned, so a load fails at the offending line; it is
 * parsed again, without failing, by sim_cfg_load_struct().  Lookups are
 * linear scans: configs have a few hundred keys.
 *
 * Lines reach inih through our own reader, which counts lines, removes
 * leading whitespace (so an indented line is an ordinary line, never one of
 * inih's "continuation" lines), passes comment lines of any length as blank
 * lines, rejects section headers that name no declared section (also when
 * the section holds no key), and stops at the first error found by the
 * reader or by the handler.
 *
 * Approximations and limits:
 *  - inih reads a line into a fixed buffer of INI_MAX_LINE bytes, so a
 *    non-comment line may hold at most INI_MAX_LINE - 3 characters after its
 *    leading whitespace; a longer one is an error ("line too long").
 *  - inih goes on after a syntax error, so assignments after the first
 *    syntax error of a file may be applied before the load reports it; a
 *    failed load leaves the registry partially updated (callers stop).
 *  - A value cannot contain a line break, nor a ';' after whitespace (inih
 *    reads it as a comment), nor be longer than one INI line: overrides and
 *    defaults that break these rules are rejected, so that the output of
 *    sim_cfg_dump() always loads back to the same values.
 *  - "Did you mean" compares names of at most 64 characters.
 *  - U64 and F64 keys declared with min == max == 0 have no range.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* fileno, fstat */
#endif

#include "sim_cfg.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim_err.h"

#define CFG_INCLUDE_MAX 16                  /* nesting depth of includes */
#define CFG_LINE_MAX    (INI_MAX_LINE - 3)  /* characters inih accepts */
#define CFG_NEAR_MAXLEN 64                  /* longest name compared */

/* One key of one section: resolved text and where it came from. */
struct cfg_val {
    const char *text;       /* pool */
    const char *source;     /* pool, or CFG_SRC_DEFAULT */
};

/* Source of values never assigned; compared by address. */
static const char cfg_src_default[] = "default";
#define CFG_SRC_DEFAULT cfg_src_default

struct cfg_section {
    char *name;
    char *desc;
    const struct sim_cfg_key *keys;
    size_t nkeys;
    sim_cfg_validate_fn validate;
    const char **defs;      /* instance default of each key (pool) */
    struct cfg_val *vals;   /* nkeys slots */
};

struct sim_cfg {
    struct cfg_section *secs;
    size_t nsecs;
    size_t secs_cap;
    char **pool;            /* every string handed out; freed at the end */
    size_t npool;
    size_t pool_cap;
    char *errmsg;           /* last error, NULL if none */
    bool err_oom;           /* the last error could not be formatted */
    unsigned long nerrors;  /* errors recorded so far */
};

/* One INI file being parsed; `parent` is the file that included it. */
struct cfg_file {
    struct sim_cfg *cfg;
    const struct cfg_file *parent;
    const char *path;       /* as used in messages (pool) */
    FILE *fp;
    dev_t dev;
    ino_t ino;
    unsigned depth;         /* 0 for the file given to sim_cfg_load_file */
    int lineno;             /* lines read so far */
    int err_line;           /* line of the first error found, 0 if none */
    int rc;                 /* its return code */
    bool read_error;
    char *buf;              /* current physical line */
    size_t buf_cap;
};

/* ------------------------------------------------------------------ */
/* Strings                                                             */
/* ------------------------------------------------------------------ */

static char *cfg_vasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    char *s;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        return NULL;
    }
    s = malloc((size_t)n + 1);
    if (s == NULL) {
        return NULL;
    }
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static char *cfg_asprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static char *cfg_asprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = cfg_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

static char *cfg_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);

    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static char *cfg_strdup(const char *s)
{
    return cfg_strndup(s, strlen(s));
}

static bool cfg_isspace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

static char cfg_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool cfg_strieq(const char *a, const char *b)
{
    while (*a != '\0' && cfg_lower(*a) == cfg_lower(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* Narrow [*s, *s + *len) to exclude surrounding whitespace. */
static void cfg_trim(const char **s, size_t *len)
{
    while (*len > 0 && cfg_isspace(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && cfg_isspace((*s)[*len - 1])) {
        (*len)--;
    }
}

/* Record `s` in the pool (taking ownership; freed now on failure). */
static const char *cfg_pool_keep(struct sim_cfg *cfg, char *s)
{
    if (s == NULL) {
        return NULL;
    }
    if (cfg->npool == cfg->pool_cap) {
        size_t cap = cfg->pool_cap != 0 ? 2 * cfg->pool_cap : 64;
        char **p = realloc(cfg->pool, cap * sizeof(*p));

        if (p == NULL) {
            free(s);
            return NULL;
        }
        cfg->pool = p;
        cfg->pool_cap = cap;
    }
    cfg->pool[cfg->npool++] = s;
    return s;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Format "LOC: [SECTION] KEY: MESSAGE" (parts omitted when NULL or empty)
 * as the last error. */
static int cfg_verror_at(struct sim_cfg *cfg, const char *loc,
                         const char *section, const char *key,
                         const char *fmt, va_list ap)
{
    char *msg = cfg_vasprintf(fmt, ap);
    char *full = NULL;

    if (msg != NULL) {
        bool has_sec = section != NULL && section[0] != '\0';

        if (has_sec && key != NULL) {
            full = cfg_asprintf("%s: [%s] %s: %s", loc, section, key, msg);
        } else if (has_sec) {
            full = cfg_asprintf("%s: [%s]: %s", loc, section, msg);
        } else if (key != NULL) {
            full = cfg_asprintf("%s: %s: %s", loc, key, msg);
        } else {
            full = cfg_asprintf("%s: %s", loc, msg);
        }
        free(msg);
    }
    free(cfg->errmsg);
    cfg->errmsg = full;
    cfg->err_oom = full == NULL;
    cfg->nerrors++;
    return -SIM_ECFG;
}

static int cfg_error_at(struct sim_cfg *cfg, const char *loc,
                        const char *section, const char *key,
                        const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int cfg_error_at(struct sim_cfg *cfg, const char *loc,
                        const char *section, const char *key,
                        const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cfg_verror_at(cfg, loc, section, key, fmt, ap);
    va_end(ap);
    return rc;
}

static int cfg_nomem(struct sim_cfg *cfg)
{
    free(cfg->errmsg);
    cfg->errmsg = NULL;
    cfg->err_oom = true;
    cfg->nerrors++;
    return -SIM_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* "Did you mean"                                                      */
/* ------------------------------------------------------------------ */

struct cfg_near {
    const char *word;
    size_t wlen;
    size_t limit;           /* largest distance worth suggesting */
    size_t best_d;
    const char *best;
    size_t best_len;
};

/* Case-insensitive Levenshtein distance; both lengths <= CFG_NEAR_MAXLEN. */
static size_t cfg_levenshtein(const char *a, size_t la, const char *b,
                              size_t lb)
{
    size_t row[CFG_NEAR_MAXLEN + 1];
    size_t i;
    size_t j;

    for (j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (cfg_lower(a[i - 1]) != cfg_lower(b[j - 1]));

            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static void cfg_near_init(struct cfg_near *n, const char *word, size_t wlen)
{
    n->word = word;
    n->wlen = wlen;
    n->limit = wlen / 3 > 2 ? wlen / 3 : 2;
    n->best_d = SIZE_MAX;
    n->best = NULL;
    n->best_len = 0;
}

/* Consider candidate `cand`; the first of equally close ones is kept.  A
 * candidate must share something with the word (distance < its length). */
static void cfg_near_try(struct cfg_near *n, const char *cand, size_t clen)
{
    size_t d;

    if (n->wlen > CFG_NEAR_MAXLEN || clen > CFG_NEAR_MAXLEN) {
        return;
    }
    d = cfg_levenshtein(n->word, n->wlen, cand, clen);
    if (d <= n->limit && d < n->wlen && d < n->best_d) {
        n->best_d = d;
        n->best = cand;
        n->best_len = clen;
    }
}

/* " (did you mean 'x'?)" or "". */
static const char *cfg_near_hint(const struct cfg_near *n, char *buf,
                                 size_t size)
{
    if (n->best == NULL) {
        return "";
    }
    snprintf(buf, size, " (did you mean '%.*s'?)", (int)n->best_len, n->best);
    return buf;
}

#define CFG_HINT_SIZE (CFG_NEAR_MAXLEN + 32)

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

static struct cfg_section *cfg_find_section_n(const struct sim_cfg *cfg,
                                              const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < cfg->nsecs; i++) {
        const char *s = cfg->secs[i].name;

        if (strlen(s) == len && memcmp(s, name, len) == 0) {
            return &cfg->secs[i];
        }
    }
    return NULL;
}

static struct cfg_section *cfg_find_section(const struct sim_cfg *cfg,
                                            const char *name)
{
    if (name == NULL) {
        return NULL;
    }
    return cfg_find_section_n(cfg, name, strlen(name));
}

/* Index of key `name` in `sec`, or -1. */
static long cfg_find_key(const struct cfg_section *sec, const char *name)
{
    size_t i;

    for (i = 0; i < sec->nkeys; i++) {
        if (strcmp(sec->keys[i].name, name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

static void cfg_near_sections(const struct sim_cfg *cfg, struct cfg_near *n)
{
    size_t i;

    for (i = 0; i < cfg->nsecs; i++) {
        cfg_near_try(n, cfg->secs[i].name, strlen(cfg->secs[i].name));
    }
}

static void cfg_near_keys(const struct cfg_section *sec, struct cfg_near *n)
{
    size_t i;

    for (i = 0; i < sec->nkeys; i++) {
        cfg_near_try(n, sec->keys[i].name, strlen(sec->keys[i].name));
    }
}

static int cfg_unknown_section(struct sim_cfg *cfg, const char *loc,
                               const char *name, size_t len)
{
    struct cfg_near n;
    char hint[CFG_HINT_SIZE];
    char *copy = cfg_strndup(name, len);
    int rc;

    if (copy == NULL) {
        return cfg_nomem(cfg);
    }
    cfg_near_init(&n, copy, len);
    cfg_near_sections(cfg, &n);
    rc = cfg_error_at(cfg, loc, copy, NULL, "unknown section%s",
                      cfg_near_hint(&n, hint, sizeof(hint)));
    free(copy);
    return rc;
}

static int cfg_unknown_key(struct sim_cfg *cfg, const char *loc,
                           const struct cfg_section *sec, const char *key)
{
    struct cfg_near n;
    char hint[CFG_HINT_SIZE];

    cfg_near_init(&n, key, strlen(key));
    cfg_near_keys(sec, &n);
    return cfg_error_at(cfg, loc, sec->name, key, "unknown key%s",
                        cfg_near_hint(&n, hint, sizeof(hint)));
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/* A parsed value of any type. */
union cfg_bin {
    uint64_t u;
    double f;
    bool b;
    unsigned e;
};

enum cfg_u64_status {
    CFG_U64_OK,
    CFG_U64_SYNTAX,
    CFG_U64_OVERFLOW,
};

static const struct {
    const char *word;
    bool val;
} cfg_bools[] = {
    { "true", true }, { "false", false }, { "yes", true }, { "no", false },
    { "on", true },   { "off", false },   { "1", true },   { "0", false },
};

static const char *const cfg_type_names[] = {
    [SIM_CFG_U64] = "u64",
    [SIM_CFG_F64] = "f64",
    [SIM_CFG_BOOL] = "bool",
    [SIM_CFG_ENUM] = "enum",
    [SIM_CFG_STR] = "str",
};

static bool cfg_is_size(const struct sim_cfg_key *k)
{
    return k->unit != NULL && strcmp(k->unit, "B") == 0;
}

static bool cfg_unbounded(const struct sim_cfg_key *k)
{
    return k->min == 0 && k->max == 0;
}

/* Decimal or 0x hex digits, then (sizes only) one of K, M, G, T. */
static enum cfg_u64_status cfg_parse_u64(const char *s, bool size,
                                         uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    bool overflow = false;
    size_t ndig = 0;
    const char *p = s;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (;; p++) {
        unsigned d;

        if (*p >= '0' && *p <= '9') {
            d = (unsigned)(*p - '0');
        } else if (base == 16 && cfg_lower(*p) >= 'a' &&
                   cfg_lower(*p) <= 'f') {
            d = (unsigned)(cfg_lower(*p) - 'a' + 10);
        } else {
            break;
        }
        if (v > (UINT64_MAX - d) / base) {
            overflow = true;
        } else {
            v = v * base + d;
        }
        ndig++;
    }
    if (ndig == 0) {
        return CFG_U64_SYNTAX;
    }
    if (*p != '\0' && size) {
        static const char units[] = "kmgt";
        const char *u = strchr(units, cfg_lower(*p));
        unsigned shift;

        if (u == NULL) {
            return CFG_U64_SYNTAX;
        }
        shift = 10 * (unsigned)(u - units + 1);
        if (v > (UINT64_MAX >> shift)) {
            overflow = true;
        }
        v <<= shift;
        p++;
    }
    if (*p != '\0') {
        return CFG_U64_SYNTAX;
    }
    if (overflow) {
        return CFG_U64_OVERFLOW;
    }
    *out = v;
    return CFG_U64_OK;
}

/* The declared range of a U64 key as integers. */
static void cfg_u64_bounds(const struct sim_cfg_key *k, uint64_t *lo,
                           uint64_t *hi)
{
    const double two64 = 18446744073709551616.0;

    if (cfg_unbounded(k)) {
        *lo = 0;
        *hi = UINT64_MAX;
        return;
    }
    if (k->min <= 0) {
        *lo = 0;
    } else if (k->min >= two64) {
        *lo = UINT64_MAX;
    } else {
        *lo = (uint64_t)k->min;
        if ((double)*lo < k->min) {
            (*lo)++;
        }
    }
    if (k->max >= two64) {
        *hi = UINT64_MAX;
    } else if (k->max <= 0) {
        *hi = 0;
    } else {
        *hi = (uint64_t)k->max;
    }
}

/* A U64 for people: sizes that are multiples of 1024 get K, M, G, T. */
static void cfg_fmt_u64(char *buf, size_t size, uint64_t v, bool is_size)
{
    static const char units[] = "KMGT";
    int i = -1;

    while (is_size && i < 3 && v != 0 && v % 1024 == 0) {
        v /= 1024;
        i++;
    }
    if (i >= 0) {
        snprintf(buf, size, "%" PRIu64 "%c", v, units[i]);
    } else {
        snprintf(buf, size, "%" PRIu64, v);
    }
}

/* Find `text` among the '|'-separated choices; returns its index or -1. */
static long cfg_choice_index(const char *choices, const char *text)
{
    size_t tlen = strlen(text);
    const char *p = choices;
    long idx = 0;

    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

        if (len == tlen && memcmp(p, text, len) == 0) {
            return idx;
        }
        if (bar == NULL) {
            return -1;
        }
        p = bar + 1;
        idx++;
    }
}

static void cfg_near_choices(const char *choices, struct cfg_near *n)
{
    const char *p = choices;

    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar != NULL ? (size_t)(bar - p) : strlen(p);

        cfg_near_try(n, p, len);
        if (bar == NULL) {
            return;
        }
        p = bar + 1;
    }
}

/*
 * Check `text` for key `k` of section `secname` and parse it into *out.
 * Errors name `loc` (where the text came from).  Returns 0 or -SIM_ECFG.
 */
static int cfg_parse_value(struct sim_cfg *cfg, const char *loc,
                           const char *secname, const struct sim_cfg_key *k,
                           const char *text, union cfg_bin *out)
{
    const char *name = k->name;
    size_t len = strlen(text);
    size_t i;

    if (strlen(name) + 1 + len > CFG_LINE_MAX) {
        return cfg_error_at(cfg, loc, secname, name,
                            "value is too long (%zu characters; a line of an "
                            "INI file holds at most %d)",
                            len, CFG_LINE_MAX);
    }
    for (i = 0; i < len; i++) {
        if ((unsigned char)text[i] < 0x20 && text[i] != '\t') {
            return cfg_error_at(cfg, loc, secname, name,
                                "value contains a control character");
        }
        if (text[i] == ';' && i > 0 && cfg_isspace(text[i - 1])) {
            return cfg_error_at(cfg, loc, secname, name,
                                "'%s' contains ';' after a space, which an "
                                "INI file reads as a comment",
                                text);
        }
    }
    if (len > 0 && (cfg_isspace(text[0]) || cfg_isspace(text[len - 1]))) {
        return cfg_error_at(cfg, loc, secname, name,
                            "'%s' begins or ends with whitespace", text);
    }

    switch (k->type) {
    case SIM_CFG_U64: {
        bool size = cfg_is_size(k);
        uint64_t lo;
        uint64_t hi;
        char los[32];
        char his[32];

        switch (cfg_parse_u64(text, size, &out->u)) {
        case CFG_U64_OK:
            break;
        case CFG_U64_SYNTAX:
            if (size) {
                return cfg_error_at(cfg, loc, secname, name,
                                    "'%s' is not a size (an unsigned "
                                    "integer, optionally followed by K, M, "
                                    "G or T)",
                                    text);
            }
            return cfg_error_at(cfg, loc, secname, name,
                                "'%s' is not an unsigned integer", text);
        case CFG_U64_OVERFLOW:
            return cfg_error_at(cfg, loc, secname, name,
                                "'%s' does not fit in 64 bits", text);
        }
        cfg_u64_bounds(k, &lo, &hi);
        if (out->u < lo || out->u > hi) {
            cfg_fmt_u64(los, sizeof(los), lo, size);
            cfg_fmt_u64(his, sizeof(his), hi, size);
            return cfg_error_at(cfg, loc, secname, name,
                                "%s is out of range [%s, %s]", text, los, his);
        }
        return 0;
    }
    case SIM_CFG_F64: {
        char *end;

        out->f = strtod(text, &end);
        if (len == 0 || *end != '\0' || !isfinite(out->f)) {
            return cfg_error_at(cfg, loc, secname, name,
                                "'%s' is not a finite number", text);
        }
        if (!cfg_unbounded(k) && (out->f < k->min || out->f > k->max)) {
            return cfg_error_at(cfg, loc, secname, name,
                                "%s is out of range [%g, %g]", text, k->min,
                                k->max);
        }
        return 0;
    }
    case SIM_CFG_BOOL: {
        struct cfg_near n;
        char hint[CFG_HINT_SIZE];

        for (i = 0; i < SIM_ARRAY_SIZE(cfg_bools); i++) {
            if (cfg_strieq(text, cfg_bools[i].word)) {
                out->b = cfg_bools[i].val;
                return 0;
            }
        }
        cfg_near_init(&n, text, len);
        for (i = 0; i < SIM_ARRAY_SIZE(cfg_bools); i++) {
            cfg_near_try(&n, cfg_bools[i].word, strlen(cfg_bools[i].word));
        }
        return cfg_error_at(cfg, loc, secname, name,
                            "'%s' is not a boolean "
                            "(true|false|yes|no|on|off|1|0)%s",
                            text, cfg_near_hint(&n, hint, sizeof(hint)));
    }
    case SIM_CFG_ENUM: {
        struct cfg_near n;
        char hint[CFG_HINT_SIZE];
        long idx = cfg_choice_index(k->choices, text);

        if (idx >= 0) {
            out->e = (unsigned)idx;
            return 0;
        }
        cfg_near_init(&n, text, len);
        cfg_near_choices(k->choices, &n);
        return cfg_error_at(cfg, loc, secname, name,
                            "'%s' is not one of %s%s", text, k->choices,
                            cfg_near_hint(&n, hint, sizeof(hint)));
    }
    case SIM_CFG_STR:
        return 0;
    }
    return cfg_error_at(cfg, loc, secname, name, "key has no valid type");
}

/*
 * Assign `text` (len bytes, already trimmed) to key `idx` of `sec`, coming
 * from `source` (a pool string or CFG_SRC_DEFAULT).  Checked first.
 */
static int cfg_assign(struct sim_cfg *cfg, struct cfg_section *sec,
                      size_t idx, const char *text, size_t len,
                      const char *source)
{
    union cfg_bin bin;
    char *copy = cfg_strndup(text, len);
    const char *kept;
    int rc;

    if (copy == NULL) {
        return cfg_nomem(cfg);
    }
    rc = cfg_parse_value(cfg, source, sec->name, &sec->keys[idx], copy, &bin);
    if (rc != 0) {
        free(copy);
        return rc;
    }
    kept = cfg_pool_keep(cfg, copy);
    if (kept == NULL) {
        return cfg_nomem(cfg);
    }
    sec->vals[idx].text = kept;
    sec->vals[idx].source = source;
    return 0;
}

/* "FILE:LINE" as a pool string, NULL when out of memory. */
static const char *cfg_loc(struct sim_cfg *cfg, const char *path, int line)
{
    return cfg_pool_keep(cfg, cfg_asprintf("%s:%d", path, line));
}

/* ------------------------------------------------------------------ */
/* Declaration                                                         */
/* ------------------------------------------------------------------ */

struct sim_cfg *sim_cfg_new(void)
{
    return calloc(1, sizeof(struct sim_cfg));
}

static void cfg_section_fini(struct cfg_section *sec)
{
    free(sec->name);
    free(sec->desc);
    free(sec->defs);
    free(sec->vals);
}

void sim_cfg_free(struct sim_cfg *cfg)
{
    size_t i;

    if (cfg == NULL) {
        return;
    }
    for (i = 0; i < cfg->nsecs; i++) {
        cfg_section_fini(&cfg->secs[i]);
    }
    free(cfg->secs);
    for (i = 0; i < cfg->npool; i++) {
        free(cfg->pool[i]);
    }
    free(cfg->pool);
    free(cfg->errmsg);
    free(cfg);
}

/* Section names: letters, digits and "_-./", e.g. "cache/l1d". */
static bool cfg_valid_name(const char *s, const char *extra)
{
    const char *p;

    if (s == NULL || s[0] == '\0' || strlen(s) > CFG_LINE_MAX - 2) {
        return false;
    }
    for (p = s; *p != '\0'; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
                  strchr(extra, *p) != NULL;

        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Programming errors in a key table.  Returns 0 or -SIM_EINVAL. */
static int cfg_check_table(struct sim_cfg *cfg, const char *section,
                           const struct sim_cfg_key *keys, size_t nkeys)
{
    size_t i;
    size_t j;

    for (i = 0; i < nkeys; i++) {
        const struct sim_cfg_key *k = &keys[i];
        const char *why = NULL;

        if (!cfg_valid_name(k->name, "") || strcmp(k->name, "include") == 0) {
            why = "invalid key name";
        } else if ((unsigned)k->type > SIM_CFG_STR) {
            why = "invalid type";
        } else if (k->type == SIM_CFG_ENUM &&
                   (k->choices == NULL || k->choices[0] == '\0')) {
            why = "enum without choices";
        } else if ((k->type == SIM_CFG_U64 || k->type == SIM_CFG_F64) &&
                   (isnan(k->min) || isnan(k->max) || k->min > k->max ||
                    (k->type == SIM_CFG_U64 && k->max < 0))) {
            why = "empty range";
        }
        for (j = 0; why == NULL && j < i; j++) {
            if (strcmp(keys[j].name, k->name) == 0) {
                why = "key declared twice";
            }
        }
        if (why != NULL) {
            cfg_error_at(cfg, "sim_cfg_declare", section,
                         k->name != NULL ? k->name : "(null)", "%s", why);
            return -SIM_EINVAL;
        }
    }
    return 0;
}

int sim_cfg_declare(struct sim_cfg *cfg, const char *section,
                    const char *desc, const struct sim_cfg_key *keys,
                    const char *const *defaults,
                    sim_cfg_validate_fn validate)
{
    struct cfg_section sec;
    size_t nkeys = 0;
    size_t i;
    int rc;

    if (cfg == NULL || keys == NULL || !cfg_valid_name(section, "./")) {
        if (cfg != NULL) {
            cfg_error_at(cfg, "sim_cfg_declare", NULL, NULL,
                         "invalid section name or key table");
        }
        return -SIM_EINVAL;
    }
    if (cfg_find_section(cfg, section) != NULL) {
        cfg_error_at(cfg, "sim_cfg_declare", section, NULL,
                     "section declared twice");
        return -SIM_EINVAL;
    }
    while (keys[nkeys].name != NULL) {
        nkeys++;
    }
    rc = cfg_check_table(cfg, section, keys, nkeys);
    if (rc != 0) {
        return rc;
    }
    if (cfg->nsecs == cfg->secs_cap) {
        size_t cap = cfg->secs_cap != 0 ? 2 * cfg->secs_cap : 16;
        struct cfg_section *p = realloc(cfg->secs, cap * sizeof(*p));

        if (p == NULL) {
            return cfg_nomem(cfg);
        }
        cfg->secs = p;
        cfg->secs_cap = cap;
    }

    memset(&sec, 0, sizeof(sec));
    sec.name = cfg_strdup(section);
    sec.desc = cfg_strdup(desc != NULL ? desc : "");
    sec.keys = keys;
    sec.nkeys = nkeys;
    sec.validate = validate;
    sec.defs = calloc(nkeys + 1, sizeof(*sec.defs));
    sec.vals = calloc(nkeys + 1, sizeof(*sec.vals));
    if (sec.name == NULL || sec.desc == NULL || sec.defs == NULL ||
        sec.vals == NULL) {
        cfg_section_fini(&sec);
        return cfg_nomem(cfg);
    }

    /* Table defaults, then this instance's "key=value" defaults. */
    for (i = 0; i < nkeys; i++) {
        const char *d = keys[i].def != NULL ? keys[i].def : "";

        rc = cfg_assign(cfg, &sec, i, d, strlen(d), CFG_SRC_DEFAULT);
        if (rc != 0) {
            goto fail;
        }
    }
    for (i = 0; defaults != NULL && defaults[i] != NULL; i++) {
        const char *eq = strchr(defaults[i], '=');
        const char *k = defaults[i];
        size_t klen;
        const char *v;
        size_t vlen;
        char *kname;
        long idx;

        if (eq == NULL) {
            rc = cfg_error_at(cfg, CFG_SRC_DEFAULT, section, NULL,
                              "'%s' is not of the form key=value",
                              defaults[i]);
            goto fail;
        }
        klen = (size_t)(eq - k);
        cfg_trim(&k, &klen);
        v = eq + 1;
        vlen = strlen(v);
        cfg_trim(&v, &vlen);
        kname = cfg_strndup(k, klen);
        if (kname == NULL) {
            cfg_section_fini(&sec);
            return cfg_nomem(cfg);
        }
        idx = cfg_find_key(&sec, kname);
        if (idx < 0) {
            rc = cfg_unknown_key(cfg, CFG_SRC_DEFAULT, &sec, kname);
        } else {
            rc = cfg_assign(cfg, &sec, (size_t)idx, v, vlen,
                            CFG_SRC_DEFAULT);
        }
        free(kname);
        if (rc != 0) {
            goto fail;
        }
    }
    for (i = 0; i < nkeys; i++) {
        sec.defs[i] = sec.vals[i].text;
    }
    cfg->secs[cfg->nsecs++] = sec;
    return 0;

fail:
    cfg_section_fini(&sec);
    return rc == -SIM_ENOMEM ? rc : -SIM_EINVAL;
}

/* ------------------------------------------------------------------ */
/* INI files                                                           */
/* ------------------------------------------------------------------ */

static int cfg_parse_file(struct cfg_file *f);

/* Error at the current line of `f`. */
static int cfg_file_error(struct cfg_file *f, const char *section,
                          const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int cfg_file_error(struct cfg_file *f, const char *section,
                          const char *key, const char *fmt, ...)
{
    char *loc = cfg_asprintf("%s:%d", f->path, f->lineno);
    va_list ap;
    int rc;

    if (loc == NULL) {
        return cfg_nomem(f->cfg);
    }
    va_start(ap, fmt);
    rc = cfg_verror_at(f->cfg, loc, section, key, fmt, ap);
    va_end(ap);
    free(loc);
    return rc;
}

/* Remember the first error of this file; the reader then stops. */
static void cfg_file_fail(struct cfg_file *f, int rc)
{
    if (f->err_line == 0) {
        f->err_line = f->lineno > 0 ? f->lineno : 1;
        f->rc = rc;
    }
}

/* Read one physical line of any length into f->buf; false at EOF. */
static bool cfg_read_line(struct cfg_file *f, size_t *lenp)
{
    size_t len = 0;

    for (;;) {
        if (f->buf_cap - len < 128) {
            size_t cap = f->buf_cap != 0 ? 2 * f->buf_cap : 256;
            char *p = realloc(f->buf, cap);

            if (p == NULL) {
                cfg_file_fail(f, cfg_nomem(f->cfg));
                return false;
            }
            f->buf = p;
            f->buf_cap = cap;
        }
        if (fgets(f->buf + len, (int)(f->buf_cap - len), f->fp) == NULL) {
            break;
        }
        len += strlen(f->buf + len);
        if (len > 0 && f->buf[len - 1] == '\n') {
            break;
        }
    }
    if (ferror(f->fp)) {
        f->read_error = true;
        return false;
    }
    *lenp = len;
    return len > 0;
}

/*
 * Check a "[name]" header line: the name must be declared.  The name ends
 * at the first ']', as inih reads it; without one, inih reports the line.
 */
static int cfg_check_header(struct cfg_file *f, const char *line)
{
    const char *name = line + 1;
    const char *p;
    size_t len;

    for (p = name; *p != '\0' && *p != ']'; p++) {
        if (*p == ';' && p > name && cfg_isspace(p[-1])) {
            return 0;
        }
    }
    if (*p != ']') {
        return 0;
    }
    len = (size_t)(p - name);
    cfg_trim(&name, &len);
    if (cfg_find_section_n(f->cfg, name, len) != NULL) {
        return 0;
    }
    {
        char *loc = cfg_asprintf("%s:%d", f->path, f->lineno);
        int rc;

        if (loc == NULL) {
            return cfg_nomem(f->cfg);
        }
        rc = cfg_unknown_section(f->cfg, loc, name, len);
        free(loc);
        return rc;
    }
}

/* inih reader: one line per call, see the comment at the top. */
static char *cfg_reader(char *str, int num, void *stream)
{
    struct cfg_file *f = stream;
    size_t len;
    char *p;
    int rc;

    if (f->err_line != 0 || !cfg_read_line(f, &len)) {
        return NULL;
    }
    f->lineno++;
    while (len > 0 && (f->buf[len - 1] == '\n' || f->buf[len - 1] == '\r')) {
        f->buf[--len] = '\0';
    }
    p = f->buf;
    if (f->lineno == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        len -= 3;
    }
    while (len > 0 && cfg_isspace(*p)) {
        p++;
        len--;
    }
    if (*p == ';' || *p == '#') {
        len = 0;                    /* a comment: inih sees a blank line */
    } else if ((long)len > (long)num - 3) {
        cfg_file_fail(f, cfg_file_error(f, NULL, NULL,
                                        "line too long (more than %d "
                                        "characters)",
                                        num - 3));
        return NULL;
    } else if (*p == '[') {
        rc = cfg_check_header(f, p);
        if (rc != 0) {
            cfg_file_fail(f, rc);
            return NULL;
        }
    }
    memcpy(str, p, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

static int cfg_include(struct cfg_file *f, const char *section,
                       const char *value)
{
    struct sim_cfg *cfg = f->cfg;
    struct cfg_file child;
    const struct cfg_file *anc;
    const char *slash = strrchr(f->path, '/');
    const char *path;
    struct stat st;
    int rc;

    if (value[0] == '\0') {
        return cfg_file_error(f, section, "include", "no file named");
    }
    if (value[0] == '/' || slash == NULL) {
        path = cfg_pool_keep(cfg, cfg_strdup(value));
    } else {
        path = cfg_pool_keep(cfg, cfg_asprintf("%.*s/%s",
                                               (int)(slash - f->path),
                                               f->path, value));
    }
    if (path == NULL) {
        return cfg_nomem(cfg);
    }

    memset(&child, 0, sizeof(child));
    child.cfg = cfg;
    child.parent = f;
    child.path = path;
    child.depth = f->depth + 1;
    child.fp = fopen(path, "r");
    if (child.fp == NULL) {
        return cfg_file_error(f, section, "include", "cannot open '%s': %s",
                              path, strerror(errno));
    }
    if (fstat(fileno(child.fp), &st) != 0) {
        rc = cfg_file_error(f, section, "include", "cannot read '%s': %s",
                            path, strerror(errno));
        fclose(child.fp);
        return rc;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = cfg_file_error(f, section, "include",
                            "cannot read '%s': is a directory", path);
        fclose(child.fp);
        return rc;
    }
    child.dev = st.st_dev;
    child.ino = st.st_ino;

    for (anc = f; anc != NULL; anc = anc->parent) {
        if (anc->dev == child.dev && anc->ino == child.ino) {
            break;
        }
    }
    if (anc != NULL) {
        /* Chain from the file included again down to this one. */
        const struct cfg_file *chain[CFG_INCLUDE_MAX + 2];
        const struct cfg_file *c;
        size_t n = 0;
        size_t i;
        size_t total = strlen(path) + 1;
        char *msg;
        char *q;

        for (c = f; n < SIM_ARRAY_SIZE(chain); c = c->parent) {
            chain[n++] = c;
            total += strlen(c->path) + 4;
            if (c == anc) {
                break;
            }
        }
        msg = malloc(total);
        if (msg == NULL) {
            fclose(child.fp);
            return cfg_nomem(cfg);
        }
        q = msg;
        for (i = n; i-- > 0;) {
            q += sprintf(q, "%s -> ", chain[i]->path);
        }
        strcpy(q, path);
        rc = cfg_file_error(f, section, "include", "include cycle: %s", msg);
        free(msg);
        fclose(child.fp);
        return rc;
    }
    if (child.depth > CFG_INCLUDE_MAX) {
        fclose(child.fp);
        return cfg_file_error(f, section, "include",
                              "'%s' would nest includes deeper than %d "
                              "levels",
                              path, CFG_INCLUDE_MAX);
    }
    rc = cfg_parse_file(&child);
    fclose(child.fp);
    return rc;
}

/* inih handler: one "name = value" of the current file. */
static int cfg_handler(void *user, const char *section, const char *name,
                       const char *value)
{
    struct cfg_file *f = user;
    struct sim_cfg *cfg = f->cfg;
    const char *sname = section;
    size_t slen = strlen(section);
    struct cfg_section *sec;
    const char *loc;
    long idx;
    int rc;

    if (f->err_line != 0) {
        return 0;
    }
    cfg_trim(&sname, &slen);
    if (name[0] == '\0') {
        rc = cfg_file_error(f, NULL, NULL, "syntax error");  /* "= x" */
    } else if (strcmp(name, "include") == 0) {
        rc = cfg_include(f, section, value);
    } else if (slen == 0) {
        rc = cfg_file_error(f, NULL, name,
                            "key outside of any section (only 'include' may "
                            "come before the first [section])");
    } else if ((sec = cfg_find_section_n(cfg, sname, slen)) == NULL) {
        loc = cfg_loc(cfg, f->path, f->lineno);
        rc = loc != NULL ? cfg_unknown_section(cfg, loc, sname, slen)
                         : cfg_nomem(cfg);
    } else if ((loc = cfg_loc(cfg, f->path, f->lineno)) == NULL) {
        rc = cfg_nomem(cfg);
    } else if ((idx = cfg_find_key(sec, name)) < 0) {
        rc = cfg_unknown_key(cfg, loc, sec, name);
    } else {
        rc = cfg_assign(cfg, sec, (size_t)idx, value, strlen(value), loc);
    }
    if (rc != 0) {
        cfg_file_fail(f, rc);
        return 0;
    }
    return 1;
}

/* Parse the open file f->fp; the earliest error of the file wins. */
static int cfg_parse_file(struct cfg_file *f)
{
    int line = ini_parse_stream(cfg_reader, f, cfg_handler, f);
    int rc = 0;

    if (line > 0 && (f->err_line == 0 || line < f->err_line)) {
        char *loc = cfg_asprintf("%s:%d", f->path, line);

        if (loc == NULL) {
            rc = cfg_nomem(f->cfg);
        } else {
            rc = cfg_error_at(f->cfg, loc, NULL, NULL, "syntax error");
            free(loc);
        }
    } else if (f->err_line != 0) {
        rc = f->rc;
    } else if (f->read_error) {
        rc = cfg_error_at(f->cfg, f->path, NULL, NULL, "read error: %s",
                          strerror(errno));
    } else if (line < 0) {
        rc = cfg_nomem(f->cfg);
    }
    free(f->buf);
    f->buf = NULL;
    f->buf_cap = 0;
    return rc;
}

int sim_cfg_load_file(struct sim_cfg *cfg, const char *path)
{
    struct cfg_file f;
    struct stat st;
    int rc;

    if (cfg == NULL || path == NULL) {
        return -SIM_EINVAL;
    }
    memset(&f, 0, sizeof(f));
    f.cfg = cfg;
    f.path = cfg_pool_keep(cfg, cfg_strdup(path));
    if (f.path == NULL) {
        return cfg_nomem(cfg);
    }
    f.fp = fopen(path, "r");
    if (f.fp == NULL) {
        return cfg_error_at(cfg, path, NULL, NULL, "cannot open: %s",
                            strerror(errno));
    }
    if (fstat(fileno(f.fp), &st) != 0) {
        rc = cfg_error_at(cfg, path, NULL, NULL, "cannot read: %s",
                          strerror(errno));
        fclose(f.fp);
        return rc;
    }
    if (S_ISDIR(st.st_mode)) {
        fclose(f.fp);
        return cfg_error_at(cfg, path, NULL, NULL,
                            "cannot read: is a directory");
    }
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    rc = cfg_parse_file(&f);
    fclose(f.fp);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Overrides                                                           */
/* ------------------------------------------------------------------ */

int sim_cfg_override(struct sim_cfg *cfg, const char *assignment,
                     const char *origin)
{
    const char *eq;
    const char *dot = NULL;
    const char *lhs = assignment;
    size_t lhs_len;
    const char *sname;
    size_t slen;
    const char *kname;
    size_t klen;
    const char *val;
    size_t vlen;
    const char *src;
    struct cfg_section *sec;
    char *key;
    long idx;
    int rc;
    size_t i;

    if (cfg == NULL || assignment == NULL) {
        return -SIM_EINVAL;
    }
    if (origin == NULL) {
        origin = "override";
    }
    eq = strchr(assignment, '=');
    lhs_len = eq != NULL ? (size_t)(eq - assignment) : 0;
    for (i = 0; i < lhs_len; i++) {
        if (lhs[i] == '.') {
            dot = lhs + i;
        }
    }
    if (dot == NULL) {
        return cfg_error_at(cfg, origin, NULL, NULL,
                            "'%s' is not of the form section.key=value",
                            assignment);
    }
    sname = lhs;
    slen = (size_t)(dot - lhs);
    cfg_trim(&sname, &slen);
    kname = dot + 1;
    klen = (size_t)(eq - kname);
    cfg_trim(&kname, &klen);
    val = eq + 1;
    vlen = strlen(val);
    cfg_trim(&val, &vlen);
    if (slen == 0 || klen == 0) {
        return cfg_error_at(cfg, origin, NULL, NULL,
                            "'%s' is not of the form section.key=value",
                            assignment);
    }
    src = cfg_pool_keep(cfg, cfg_strdup(origin));
    if (src == NULL) {
        return cfg_nomem(cfg);
    }
    sec = cfg_find_section_n(cfg, sname, slen);
    if (sec == NULL) {
        return cfg_unknown_section(cfg, src, sname, slen);
    }
    key = cfg_strndup(kname, klen);
    if (key == NULL) {
        return cfg_nomem(cfg);
    }
    idx = cfg_find_key(sec, key);
    if (idx < 0) {
        rc = cfg_unknown_key(cfg, src, sec, key);
    } else {
        rc = cfg_assign(cfg, sec, (size_t)idx, val, vlen, src);
    }
    free(key);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Access                                                              */
/* ------------------------------------------------------------------ */

int sim_cfg_load_struct(struct sim_cfg *cfg, const char *section, void *out)
{
    struct cfg_section *sec = cfg_find_section(cfg, section);
    unsigned long nerrors;
    size_t i;
    int rc;

    if (sec == NULL) {
        return cfg_error_at(cfg, "sim_cfg_load_struct", section, NULL,
                            "section is not declared");
    }
    for (i = 0; i < sec->nkeys; i++) {
        const struct sim_cfg_key *k = &sec->keys[i];
        char *dst = (char *)out + k->offset;
        union cfg_bin bin;

        rc = cfg_parse_value(cfg, sec->vals[i].source, sec->name, k,
                             sec->vals[i].text, &bin);
        if (rc != 0) {
            return rc;
        }
        switch (k->type) {
        case SIM_CFG_U64:
            memcpy(dst, &bin.u, sizeof(bin.u));
            break;
        case SIM_CFG_F64:
            memcpy(dst, &bin.f, sizeof(bin.f));
            break;
        case SIM_CFG_BOOL:
            memcpy(dst, &bin.b, sizeof(bin.b));
            break;
        case SIM_CFG_ENUM:
            memcpy(dst, &bin.e, sizeof(bin.e));
            break;
        case SIM_CFG_STR:
            memcpy(dst, &sec->vals[i].text, sizeof(sec->vals[i].text));
            break;
        }
    }
    if (sec->validate == NULL) {
        return 0;
    }
    nerrors = cfg->nerrors;
    rc = sec->validate(cfg, sec->name, out);
    if (rc == 0) {
        return 0;
    }
    if (cfg->nerrors == nerrors) {
        sim_cfg_error(cfg, sec->name, NULL, "invalid configuration");
    }
    return -SIM_ECFG;
}

const char *sim_cfg_get(const struct sim_cfg *cfg, const char *section,
                        const char *key)
{
    const struct cfg_section *sec = cfg_find_section(cfg, section);
    long idx;

    if (sec == NULL || key == NULL) {
        return NULL;
    }
    idx = cfg_find_key(sec, key);
    return idx >= 0 ? sec->vals[idx].text : NULL;
}

/*
 * The location of an error about section.key: where the value was set.
 * Without a key, the first key of the section set outside the defaults.
 */
int sim_cfg_error(struct sim_cfg *cfg, const char *section, const char *key,
                  const char *fmt, ...)
{
    const struct cfg_section *sec = cfg_find_section(cfg, section);
    const char *loc = CFG_SRC_DEFAULT;
    va_list ap;
    size_t i;

    if (sec != NULL && key != NULL) {
        long idx = cfg_find_key(sec, key);

        if (idx >= 0) {
            loc = sec->vals[idx].source;
        }
    } else if (sec != NULL) {
        for (i = 0; i < sec->nkeys; i++) {
            if (sec->vals[i].source != CFG_SRC_DEFAULT) {
                loc = sec->vals[i].source;
                break;
            }
        }
    }
    va_start(ap, fmt);
    cfg_verror_at(cfg, loc, section, key, fmt, ap);
    va_end(ap);
    return -SIM_ECFG;
}

const char *sim_cfg_errmsg(const struct sim_cfg *cfg)
{
    if (cfg->err_oom) {
        return "out of memory";
    }
    return cfg->errmsg != NULL ? cfg->errmsg : "";
}

void sim_cfg_foreach(const struct sim_cfg *cfg, sim_cfg_visit_fn fn,
                     void *ctx)
{
    size_t s;
    size_t i;

    for (s = 0; s < cfg->nsecs; s++) {
        const struct cfg_section *sec = &cfg->secs[s];

        for (i = 0; i < sec->nkeys; i++) {
            fn(ctx, sec->name, sec->keys[i].name, sec->vals[i].text,
               sec->vals[i].source);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Printing                                                            */
/* ------------------------------------------------------------------ */

/* "256..4G", "any", "true|false", the choices, or "text". */
static const char *cfg_range_text(const struct sim_cfg_key *k, char *buf,
                                  size_t size)
{
    switch (k->type) {
    case SIM_CFG_U64: {
        uint64_t lo;
        uint64_t hi;
        char los[32];
        char his[32];

        if (cfg_unbounded(k)) {
            return "any";
        }
        cfg_u64_bounds(k, &lo, &hi);
        cfg_fmt_u64(los, sizeof(los), lo, cfg_is_size(k));
        cfg_fmt_u64(his, sizeof(his), hi, cfg_is_size(k));
        snprintf(buf, size, "%s..%s", los, his);
        return buf;
    }
    case SIM_CFG_F64:
        if (cfg_unbounded(k)) {
            return "any";
        }
        snprintf(buf, size, "%g..%g", k->min, k->max);
        return buf;
    case SIM_CFG_BOOL:
        return "true|false";
    case SIM_CFG_ENUM:
        return k->choices;
    case SIM_CFG_STR:
        return "text";
    }
    return "?";
}

static const char *cfg_unit_text(const struct sim_cfg_key *k)
{
    return k->unit != NULL && k->unit[0] != '\0' ? k->unit : "-";
}

static const char *cfg_default_text(const char *def)
{
    return def[0] != '\0' ? def : "\"\"";
}

static int cfg_width(size_t w, size_t cap)
{
    return (int)(w < cap ? w : cap);
}

void sim_cfg_print_keys(const struct sim_cfg *cfg, FILE *out)
{
    size_t wkey = strlen("key");
    size_t wtype = strlen("type");
    size_t wunit = strlen("unit");
    size_t wrange = strlen("values");
    size_t wdef = strlen("default");
    char buf[96];
    size_t s;
    size_t i;

    /* One set of column widths for every section, so tables line up. */
    for (s = 0; s < cfg->nsecs; s++) {
        const struct cfg_section *sec = &cfg->secs[s];

        for (i = 0; i < sec->nkeys; i++) {
            const struct sim_cfg_key *k = &sec->keys[i];
            size_t w;

            if ((w = strlen(k->name)) > wkey) {
                wkey = w;
            }
            if ((w = strlen(cfg_unit_text(k))) > wunit) {
                wunit = w;
            }
            if ((w = strlen(cfg_range_text(k, buf, sizeof(buf)))) > wrange) {
                wrange = w;
            }
            if ((w = strlen(cfg_default_text(sec->defs[i]))) > wdef) {
                wdef = w;
            }
        }
    }

    fprintf(out, "# Every configuration key: its type, unit, accepted "
                 "range or choices,\n# default of the section, and "
                 "description.\n");
    for (s = 0; s < cfg->nsecs; s++) {
        const struct cfg_section *sec = &cfg->secs[s];

        fprintf(out, "\n[%s]", sec->name);
        if (sec->desc[0] != '\0') {
            fprintf(out, "  %s", sec->desc);
        }
        fprintf(out, "\n  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n",
                cfg_width(wkey, 24), "key", (int)wtype, "type",
                cfg_width(wunit, 10), "unit", cfg_width(wrange, 24), "values",
                cfg_width(wdef, 16), "default", "description");
        for (i = 0; i < sec->nkeys; i++) {
            const struct sim_cfg_key *k = &sec->keys[i];

            fprintf(out, "  %-*s  %-*s  %-*s  %-*s  %-*s  %s\n",
                    cfg_width(wkey, 24), k->name, (int)wtype,
                    cfg_type_names[k->type], cfg_width(wunit, 10),
                    cfg_unit_text(k), cfg_width(wrange, 24),
                    cfg_range_text(k, buf, sizeof(buf)), cfg_width(wdef, 16),
                    cfg_default_text(sec->defs[i]),
                    k->desc != NULL ? k->desc : "");
        }
    }
}

/*
 * One "key = value   ; source" line.  A value starting with ';' is written
 * right after '=' (inih only takes "; " after whitespace as a comment);
 * when the line would be too long for inih, the source goes on a comment
 * line above and the padding is dropped.
 */
static void cfg_dump_line(FILE *out, const char *key, int wkey,
                          const char *val, int wval, const char *src)
{
    const char *sep = val[0] == ';' ? "=" : "= ";
    size_t klen = strlen(key);
    size_t vlen = strlen(val);
    size_t kpad = (size_t)wkey > klen ? (size_t)wkey - klen : 0;
    size_t vpad = (size_t)wval > vlen ? (size_t)wval - vlen : 0;
    size_t full = klen + kpad + 1 + strlen(sep) + vlen + vpad + 5 +
                  strlen(src);

    if (full <= CFG_LINE_MAX) {
        fprintf(out, "%-*s %s%-*s   ; %s\n", wkey, key, sep, wval, val, src);
        return;
    }
    fprintf(out, "; %s\n", src);
    if (klen + kpad + 1 + strlen(sep) + vlen <= CFG_LINE_MAX) {
        fprintf(out, "%-*s %s%s\n", wkey, key, sep, val);
    } else {
        fprintf(out, "%s=%s\n", key, val);
    }
}

void sim_cfg_dump(const struct sim_cfg *cfg, FILE *out)
{
    size_t s;
    size_t i;

    fprintf(out, "; vtsim resolved configuration: every declared key with "
                 "the value in\n; force and where it was set (FILE:LINE, "
                 "an override, or \"default\").\n");
    for (s = 0; s < cfg->nsecs; s++) {
        const struct cfg_section *sec = &cfg->secs[s];
        size_t wkey = 0;
        size_t wval = 0;

        for (i = 0; i < sec->nkeys; i++) {
            size_t kl = strlen(sec->keys[i].name);
            size_t vl = strlen(sec->vals[i].text);

            if (kl > wkey) {
                wkey = kl;
            }
            if (vl > wval && vl <= 24) {
                wval = vl;
            }
        }
        fprintf(out, "\n[%s]\n", sec->name);
        for (i = 0; i < sec->nkeys; i++) {
            cfg_dump_line(out, sec->keys[i].name, (int)wkey,
                          sec->vals[i].text, (int)wval, sec->vals[i].source);
        }
    }
}
