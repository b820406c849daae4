/*
 * sim_stats.c - the stats registry: counters registered by pointer,
 * formulas evaluated on demand, linear histograms.
 *
 * Entries are kept in registration order (snapshots list them that way) and
 * indexed by full name "object.metric" in an open-addressing hash table.
 *
 * Formula grammar (recursive descent, evaluated in double precision):
 *
 *   expr    := term   { ('+' | '-') term }
 *   term    := unary  { ('*' | '/') unary }
 *   unary   := '-' unary | primary
 *   primary := number | name | '(' expr ')'
 *   number  := digits [ '.' digits ] | '.' digits
 *   name    := [A-Za-z_][A-Za-z0-9_./]*, not ending with '.'
 *
 * Because '/' may appear inside a name (objects such as "cache/l1d"), a
 * name token is matched greedily and, if that text is not a registered
 * stat, cut back at its last '/' (then the one before, ...) until a
 * registered prefix is found; the rest is lexed again, so "a.x/a.y" means
 * a division when "a.x/a.y" itself is not a stat.  Division by zero gives
 * 0.  A formula may reference another formula; references deeper than
 * STATS_MAX_DEPTH (which includes every cycle) are -SIM_EINVAL.
 *
 * Approximations: none; values are doubles, so counters above 2^53 lose
 * their low bits inside formulas (sim_stats_value of a counter too).
 */
#include "sim_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_err.h"

/* Formula nesting limit (formula -> formula -> ...). */
#define STATS_MAX_DEPTH 16

/* Parenthesis / unary-minus nesting limit within one expression, so a
 * hostile expression cannot exhaust the C stack. */
#define STATS_MAX_NEST 64

struct stats_entry {
    struct sim_stat st;
    char *full;             /* "object.metric" */
    uint64_t hash;
};

struct sim_stats {
    struct stats_entry **v; /* registration order */
    size_t n;
    size_t cap;
    size_t *slots;          /* index + 1 into v, 0 = empty */
    size_t nslots;          /* power of two, or 0 */
};

/* ---- registry ------------------------------------------------------------ */

/* FNV-1a over len bytes. */
static uint64_t stats_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static struct stats_entry *stats_find(const struct sim_stats *s,
                                      const char *name, size_t len)
{
    uint64_t h;
    size_t mask;
    size_t i;

    if (s->nslots == 0) {
        return NULL;
    }
    h = stats_hash(name, len);
    mask = s->nslots - 1;
    for (i = (size_t)h & mask; s->slots[i] != 0; i = (i + 1) & mask) {
        struct stats_entry *e = s->v[s->slots[i] - 1];

        if (e->hash == h && strncmp(e->full, name, len) == 0 &&
            e->full[len] == '\0') {
            return e;
        }
    }
    return NULL;
}

static void stats_slot_put(size_t *slots, size_t nslots, uint64_t h,
                           size_t idx)
{
    size_t mask = nslots - 1;
    size_t i;

    for (i = (size_t)h & mask; slots[i] != 0; i = (i + 1) & mask) {
        /* probe */
    }
    slots[i] = idx + 1;
}

/* Make room for one more entry (array and hash table at most half full). */
static int stats_reserve(struct sim_stats *s)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct stats_entry **v = realloc(s->v, cap * sizeof(*v));

        if (v == NULL) {
            return -SIM_ENOMEM;
        }
        s->v = v;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->nslots) {
        size_t nslots = s->nslots ? s->nslots * 2 : 128;
        size_t *slots = calloc(nslots, sizeof(*slots));
        size_t i;

        if (slots == NULL) {
            return -SIM_ENOMEM;
        }
        for (i = 0; i < s->n; i++) {
            stats_slot_put(slots, nslots, s->v[i]->hash, i);
        }
        free(s->slots);
        s->slots = slots;
        s->nslots = nslots;
    }
    return 0;
}

static char *stats_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = malloc(len);

    if (p != NULL) {
        memcpy(p, s, len);
    }
    return p;
}

static void stats_entry_free(struct stats_entry *e)
{
    if (e == NULL) {
        return;
    }
    free(e->st.object);
    free(e->st.metric);
    free(e->st.unit);
    free(e->st.desc);
    free(e->st.expr);
    free(e->full);
    free(e);
}

/* Optional text: NULL stays NULL. */
static int stats_dup_opt(char **out, const char *s)
{
    *out = NULL;
    if (s != NULL) {
        *out = stats_strdup(s);
        if (*out == NULL) {
            return -SIM_ENOMEM;
        }
    }
    return 0;
}

static int stats_add(struct sim_stats *s, const struct sim_stat *tmpl,
                     const char *obj, const char *metric, const char *unit,
                     const char *desc, const char *expr)
{
    struct stats_entry *e;
    size_t olen;
    size_t mlen;
    int rc;

    if (s == NULL || obj == NULL || metric == NULL || obj[0] == '\0' ||
        metric[0] == '\0') {
        return -SIM_EINVAL;
    }
    olen = strlen(obj);
    mlen = strlen(metric);
    rc = stats_reserve(s);
    if (rc != 0) {
        return rc;
    }
    e = calloc(1, sizeof(*e));
    if (e == NULL) {
        return -SIM_ENOMEM;
    }
    e->full = malloc(olen + 1 + mlen + 1);
    if (e->full == NULL) {
        free(e);
        return -SIM_ENOMEM;
    }
    memcpy(e->full, obj, olen);
    e->full[olen] = '.';
    memcpy(e->full + olen + 1, metric, mlen + 1);
    if (stats_find(s, e->full, olen + 1 + mlen) != NULL) {
        stats_entry_free(e);
        return -SIM_EINVAL;
    }
    e->hash = stats_hash(e->full, olen + 1 + mlen);
    e->st = *tmpl;
    e->st.object = NULL;
    e->st.metric = NULL;
    e->st.unit = NULL;
    e->st.desc = NULL;
    e->st.expr = NULL;
    if (stats_dup_opt(&e->st.object, obj) != 0 ||
        stats_dup_opt(&e->st.metric, metric) != 0 ||
        stats_dup_opt(&e->st.unit, unit) != 0 ||
        stats_dup_opt(&e->st.desc, desc) != 0 ||
        stats_dup_opt(&e->st.expr, expr) != 0) {
        stats_entry_free(e);
        return -SIM_ENOMEM;
    }
    s->v[s->n] = e;
    stats_slot_put(s->slots, s->nslots, e->hash, s->n);
    s->n++;
    return 0;
}

struct sim_stats *sim_stats_new(void)
{
    return calloc(1, sizeof(struct sim_stats));
}

void sim_stats_free(struct sim_stats *s)
{
    size_t i;

    if (s == NULL) {
        return;
    }
    for (i = 0; i < s->n; i++) {
        stats_entry_free(s->v[i]);
    }
    free(s->v);
    free(s->slots);
    free(s);
}

int sim_stat_counter(struct sim_stats *s, const char *obj, const char *metric,
                     const char *unit, const char *desc, const uint64_t *p)
{
    struct sim_stat t = { .kind = SIM_STAT_COUNTER, .counter = p };

    if (p == NULL) {
        return -SIM_EINVAL;
    }
    return stats_add(s, &t, obj, metric, unit, desc, NULL);
}

static int stats_check_syntax(const char *expr);

int sim_stat_formula(struct sim_stats *s, const char *obj, const char *metric,
                     const char *unit, const char *desc, const char *expr)
{
    struct sim_stat t = { .kind = SIM_STAT_FORMULA };

    /* Names are resolved when evaluated (a formula may be registered before
     * the counters it uses); the syntax is checked now. */
    if (expr == NULL || stats_check_syntax(expr) != 0) {
        return -SIM_EINVAL;
    }
    return stats_add(s, &t, obj, metric, unit, desc, expr);
}

int sim_stat_hist(struct sim_stats *s, const char *obj, const char *metric,
                  const char *unit, const char *desc,
                  const struct sim_hist *h)
{
    struct sim_stat t = { .kind = SIM_STAT_HIST, .hist = h };

    if (h == NULL) {
        return -SIM_EINVAL;
    }
    return stats_add(s, &t, obj, metric, unit, desc, NULL);
}

int sim_stat_ratio(struct sim_stats *s, const char *obj, const char *metric,
                   const char *unit, const char *desc, const char *num,
                   const char *den)
{
    size_t n = 2 * strlen(obj) + strlen(num) + strlen(den) + 8;
    char *expr = malloc(n);
    int rc;

    if (expr == NULL) {
        return -SIM_ENOMEM;
    }
    snprintf(expr, n, "%s.%s / %s.%s", obj, num, obj, den);
    rc = sim_stat_formula(s, obj, metric, unit, desc, expr);
    free(expr);
    return rc;
}

int sim_stat_counters(struct sim_stats *s, const char *obj,
                      const struct sim_stat_decl *d, size_t n)
{
    size_t i;
    int rc;

    for (i = 0; i < n; i++) {
        rc = sim_stat_counter(s, obj, d[i].metric, d[i].unit, d[i].desc,
                              d[i].p);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

size_t sim_stats_count(const struct sim_stats *s)
{
    return s != NULL ? s->n : 0;
}

const struct sim_stat *sim_stats_at(const struct sim_stats *s, size_t i)
{
    if (s == NULL || i >= s->n) {
        return NULL;
    }
    return &s->v[i]->st;
}

/* ---- histograms ---------------------------------------------------------- */

int sim_hist_init(struct sim_hist *h, uint64_t lo, uint64_t width,
                  unsigned nbins)
{
    memset(h, 0, sizeof(*h));
    if (width == 0 || nbins == 0) {
        return -SIM_EINVAL;
    }
    h->bins = calloc(nbins, sizeof(*h->bins));
    if (h->bins == NULL) {
        return -SIM_ENOMEM;
    }
    h->lo = lo;
    h->width = width;
    h->nbins = nbins;
    return 0;
}

void sim_hist_fini(struct sim_hist *h)
{
    if (h == NULL) {
        return;
    }
    free(h->bins);
    h->bins = NULL;
    h->nbins = 0;
}

/* ---- expression evaluator ------------------------------------------------ */

struct stats_parser {
    const struct sim_stats *s;  /* NULL: syntax check only */
    const char *p;              /* next character */
    unsigned depth;             /* formula nesting */
    unsigned nest;              /* parentheses / unary nesting */
    int err;                    /* first error, 0 = none */
};

static int stats_eval_depth(const struct sim_stats *s, const char *expr,
                            unsigned depth, double *out);

static double stats_parse_expr(struct stats_parser *ps);

static void stats_skip_space(struct stats_parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
           *ps->p == '\r') {
        ps->p++;
    }
}

static int stats_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int stats_is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int stats_is_name_char(char c)
{
    return stats_is_name_start(c) || stats_is_digit(c) || c == '.' ||
           c == '/';
}

/* Record an error; the parse goes on harmlessly after it.  A syntax error
 * replaces an unknown name found earlier (a malformed expression is
 * reported as such). */
static void stats_fail(struct stats_parser *ps, int rc)
{
    if (ps->err == 0 || rc == -SIM_EINVAL) {
        ps->err = rc;
    }
}

static double stats_parse_number(struct stats_parser *ps)
{
    double mant = 0.0;
    double scale = 1.0;
    int digits = 0;

    while (stats_is_digit(*ps->p)) {
        mant = mant * 10.0 + (*ps->p - '0');
        ps->p++;
        digits++;
    }
    if (*ps->p == '.') {
        int frac = 0;

        ps->p++;
        while (stats_is_digit(*ps->p)) {
            mant = mant * 10.0 + (*ps->p - '0');
            scale *= 10.0;
            ps->p++;
            frac++;
        }
        if (frac == 0) {
            stats_fail(ps, -SIM_EINVAL);    /* "2." */
            return 0.0;
        }
        digits += frac;
    }
    if (digits == 0) {
        stats_fail(ps, -SIM_EINVAL);
        return 0.0;
    }
    return mant / scale;
}

/* Value of a registered stat for a formula. */
static double stats_entry_value(struct stats_parser *ps,
                                const struct stats_entry *e)
{
    double v = 0.0;
    int rc;

    switch (e->st.kind) {
    case SIM_STAT_COUNTER:
        return (double)*e->st.counter;
    case SIM_STAT_HIST:
        return (double)e->st.hist->count;
    case SIM_STAT_FORMULA:
        rc = stats_eval_depth(ps->s, e->st.expr, ps->depth + 1, &v);
        if (rc != 0) {
            stats_fail(ps, rc);
            return 0.0;
        }
        return v;
    }
    stats_fail(ps, -SIM_EINVAL);
    return 0.0;
}

static double stats_parse_name(struct stats_parser *ps)
{
    const char *start = ps->p;
    size_t len = 0;
    size_t cut;
    const struct stats_entry *e = NULL;

    while (stats_is_name_char(start[len])) {
        len++;
    }
    while (start[len - 1] == '.') {     /* a name never ends with '.' */
        len--;
    }
    if (ps->s == NULL) {                /* syntax check: any name is fine */
        ps->p = start + len;
        return 0.0;
    }
    /* Longest registered prefix ending at the whole token or before a
     * '/' of it (see the grammar note at the top of the file). */
    cut = len;
    for (;;) {
        if (start[cut - 1] != '.') {
            e = stats_find(ps->s, start, cut);
            if (e != NULL) {
                break;
            }
        }
        /* Next candidate: the text before the last '/' of start[0, cut). */
        while (cut > 0 && start[cut - 1] != '/') {
            cut--;
        }
        if (cut == 0) {
            break;                      /* no '/' left */
        }
        cut--;                          /* drop the '/' itself */
    }
    if (e == NULL) {
        ps->p = start + len;
        stats_fail(ps, -SIM_ENOENT);
        return 0.0;
    }
    ps->p = start + cut;
    return stats_entry_value(ps, e);
}

static double stats_parse_primary(struct stats_parser *ps)
{
    double v;

    stats_skip_space(ps);
    if (stats_is_digit(*ps->p) || *ps->p == '.') {
        return stats_parse_number(ps);
    }
    if (stats_is_name_start(*ps->p)) {
        return stats_parse_name(ps);
    }
    if (*ps->p == '(') {
        ps->p++;
        v = stats_parse_expr(ps);
        stats_skip_space(ps);
        if (*ps->p != ')') {
            stats_fail(ps, -SIM_EINVAL);
            return 0.0;
        }
        ps->p++;
        return v;
    }
    stats_fail(ps, -SIM_EINVAL);
    return 0.0;
}

static double stats_parse_unary(struct stats_parser *ps)
{
    double v;

    stats_skip_space(ps);
    if (++ps->nest > STATS_MAX_NEST) {
        stats_fail(ps, -SIM_EINVAL);
        return 0.0;
    }
    if (*ps->p == '-') {
        ps->p++;
        v = -stats_parse_unary(ps);
    } else {
        v = stats_parse_primary(ps);
    }
    ps->nest--;
    return v;
}

static double stats_parse_term(struct stats_parser *ps)
{
    double v = stats_parse_unary(ps);

    for (;;) {
        char op;
        double r;

        stats_skip_space(ps);
        op = *ps->p;
        if (ps->err == -SIM_EINVAL || (op != '*' && op != '/')) {
            return v;
        }
        ps->p++;
        r = stats_parse_unary(ps);
        if (op == '*') {
            v *= r;
        } else {
            v = r == 0.0 ? 0.0 : v / r;
        }
    }
}

static double stats_parse_expr(struct stats_parser *ps)
{
    double v = stats_parse_term(ps);

    for (;;) {
        char op;
        double r;

        stats_skip_space(ps);
        op = *ps->p;
        if (ps->err == -SIM_EINVAL || (op != '+' && op != '-')) {
            return v;
        }
        ps->p++;
        r = stats_parse_term(ps);
        v = op == '+' ? v + r : v - r;
    }
}

/* Parse and evaluate the whole of `expr`. */
static int stats_run(struct stats_parser *ps, double *out)
{
    double v = stats_parse_expr(ps);

    if (ps->err != -SIM_EINVAL) {
        stats_skip_space(ps);
        if (*ps->p != '\0') {
            ps->err = -SIM_EINVAL;      /* trailing text, e.g. "1 2" or ")" */
        }
    }
    if (ps->err != 0) {
        return ps->err;
    }
    *out = v;
    return 0;
}

static int stats_check_syntax(const char *expr)
{
    struct stats_parser ps = { .s = NULL, .p = expr };
    double v;

    return stats_run(&ps, &v);
}

static int stats_eval_depth(const struct sim_stats *s, const char *expr,
                            unsigned depth, double *out)
{
    struct stats_parser ps = { .s = s, .p = expr, .depth = depth };

    if (depth > STATS_MAX_DEPTH) {
        return -SIM_EINVAL;             /* too deep, or a cycle */
    }
    return stats_run(&ps, out);
}

int sim_stats_eval(const struct sim_stats *s, const char *expr, double *out)
{
    if (s == NULL || expr == NULL || out == NULL) {
        return -SIM_EINVAL;
    }
    return stats_eval_depth(s, expr, 0, out);
}

int sim_stats_value(const struct sim_stats *s, const char *fullname,
                    double *out)
{
    const struct stats_entry *e;

    if (s == NULL || fullname == NULL || out == NULL) {
        return -SIM_EINVAL;
    }
    e = stats_find(s, fullname, strlen(fullname));
    if (e == NULL) {
        return -SIM_ENOENT;
    }
    switch (e->st.kind) {
    case SIM_STAT_COUNTER:
        *out = (double)*e->st.counter;
        return 0;
    case SIM_STAT_HIST:
        *out = (double)e->st.hist->count;
        return 0;
    case SIM_STAT_FORMULA:
        return stats_eval_depth(s, e->st.expr, 0, out);
    }
    return -SIM_EINVAL;
}
