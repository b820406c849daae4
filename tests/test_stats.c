/*
 * test_stats.c - suite "stats": the stats registry (sim/sim_stats.c).
 *
 * Counters read through their pointer, unique names, the formula
 * evaluator (precedence, unary minus, parentheses, errors, division by
 * zero, formulas of formulas, names containing '/'), and histograms.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <string.h>

#include "sim/sim_err.h"
#include "sim/sim_stats.h"
#include "test_suites.h"

#define EPS 1e-12

/* Evaluate `expr`, asserting success, and return the value. */
static double eval_ok(const struct sim_stats *s, const char *expr)
{
    double v = -12345.0;
    int rc = sim_stats_eval(s, expr, &v);

    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0) {
        fprintf(stderr, "\n  eval '%s' -> %d\n", expr, rc);
    }
    return v;
}

static int eval_rc(const struct sim_stats *s, const char *expr)
{
    double v = 0.0;

    return sim_stats_eval(s, expr, &v);
}

static void test_stats_counter_reads_live_value(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t misses = 5;
    const struct sim_stat *st;
    double v = 0.0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cpu0.l1d", "misses", "",
                                     "L1D misses", &misses), 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.misses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 5.0, EPS);
    misses = 1234567;       /* no re-registration: read through the pointer */
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.misses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1234567.0, EPS);

    CU_ASSERT_EQUAL(sim_stats_count(s), 1);
    st = sim_stats_at(s, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL(st->kind, SIM_STAT_COUNTER);
    CU_ASSERT_STRING_EQUAL(st->object, "cpu0.l1d");
    CU_ASSERT_STRING_EQUAL(st->metric, "misses");
    CU_ASSERT_STRING_EQUAL(st->desc, "L1D misses");
    CU_ASSERT_PTR_EQUAL(st->counter, &misses);
    CU_ASSERT_PTR_NULL(sim_stats_at(s, 1));

    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d.hits", &v), -SIM_ENOENT);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.l1d", &v), -SIM_ENOENT);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cpu0", "x", "", "", NULL),
                    -SIM_EINVAL);
    sim_stats_free(s);
}

static void test_stats_duplicate_rejected(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t a = 1;
    uint64_t b = 2;
    struct sim_hist h;
    double v = 0.0;
    size_t i;
    char obj[32];

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "tlb", "hits", "", "", &a), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "tlb", "hits", "", "", &b),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "tlb", "hits", "", "", "1"),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL_FATAL(sim_hist_init(&h, 0, 1, 4), 0);
    CU_ASSERT_EQUAL(sim_stat_hist(s, "tlb", "hits", "", "", &h),
                    -SIM_EINVAL);
    /* Same full name from a different object/metric split. */
    CU_ASSERT_EQUAL(sim_stat_counter(s, "tlb.hits", "x", "", "", &a), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "tlb", "hits.x", "", "", &b),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stats_count(s), 2);
    /* The first registration is the one that stays. */
    CU_ASSERT_EQUAL(sim_stats_value(s, "tlb.hits", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 1.0, EPS);

    /* Many names (the hash table grows) stay distinct and findable. */
    for (i = 0; i < 3000; i++) {
        snprintf(obj, sizeof(obj), "cpu%zu.l2", i);
        CU_ASSERT_EQUAL(sim_stat_counter(s, obj, "misses", "", "", &b), 0);
    }
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cpu1234.l2", "misses", "", "", &a),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stats_count(s), 3002);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu2999.l2.misses", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 2.0, EPS);
    CU_ASSERT_STRING_EQUAL(sim_stats_at(s, 3001)->object, "cpu2999.l2");

    /* Empty names cannot be referred to: rejected. */
    CU_ASSERT_EQUAL(sim_stat_counter(s, "", "m", "", "", &a), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "o", "", "", "", &a), -SIM_EINVAL);
    sim_hist_fini(&h);
    sim_stats_free(s);
}

static void test_stats_formula_arithmetic(void)
{
    struct sim_stats *s = sim_stats_new();

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "42"), 42.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "1 + 2 * 3"), 7.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "2 * 3 + 1"), 7.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "(1 + 2) * 3"), 9.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "10 - 4 - 3"), 3.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "8 / 4 / 2"), 1.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "7 / 2"), 3.5, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "1 - 6 / 3 * 2"), -3.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "0.5 + .25 + 1.125"), 1.875, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "  ( ( 3 ) )\t"), 3.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "2*(3+4)*(5-1)"), 56.0, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_unary_minus(void)
{
    struct sim_stats *s = sim_stats_new();

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "-3 + 5"), 2.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "--3"), 3.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "2 * -3"), -6.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "-(2 + 3) * 2"), -10.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "4 - -1"), 5.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "-2 * -2"), 4.0, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_names(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t misses = 30;
    uint64_t accesses = 120;
    uint64_t l1 = 3;
    uint64_t l2 = 4;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cpu0.l1d", "misses", "", "",
                                     &misses), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cpu0.l1d", "accesses", "", "",
                                     &accesses), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cache/l1d", "misses", "", "", &l1),
                    0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "cache/l2", "misses", "", "", &l2),
                    0);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "cpu0.l1d.misses / cpu0.l1d.accesses"),
                           0.25, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "cpu0.l1d.misses/cpu0.l1d.accesses"),
                           0.25, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "1 - cpu0.l1d.misses/cpu0.l1d.accesses"),
                           0.75, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "cache/l1d.misses + cache/l2.misses"),
                           7.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "cache/l2.misses/cache/l1d.misses"),
                           4.0 / 3.0, EPS);
    /* Live values again. */
    misses = 60;
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "cpu0.l1d.misses / cpu0.l1d.accesses"),
                           0.5, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_unknown_name(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t x = 1;
    double v = 0.0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "a", "x", "", "", &x), 0);
    CU_ASSERT_EQUAL(eval_rc(s, "a.y"), -SIM_ENOENT);
    CU_ASSERT_EQUAL(eval_rc(s, "a.x + a.y"), -SIM_ENOENT);
    CU_ASSERT_EQUAL(eval_rc(s, "a.x/b.y"), -SIM_ENOENT);
    CU_ASSERT_EQUAL(eval_rc(s, "a"), -SIM_ENOENT);
    /* A formula may be registered before its counters exist ... */
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "late", "", "", "a.x + b.z"),
                    0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "f.late", &v), -SIM_ENOENT);
    /* ... and works once they do. */
    CU_ASSERT_EQUAL(sim_stat_counter(s, "b", "z", "", "", &x), 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "f.late", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 2.0, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_syntax_error(void)
{
    static const char *const bad[] = {
        "", "   ", "1 +", "(1", "1)", "1 2", "* 3", "3 $ 4", "1..2",
        "2.", "a.x.", "()", "1 + (2 * 3", "a.x b", "1e5", "+1", "2 ** 3",
        "3 / ", "a.x . 1",
    };
    struct sim_stats *s = sim_stats_new();
    uint64_t x = 1;
    size_t i;
    char deep[300];

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "a", "x", "", "", &x), 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = eval_rc(s, bad[i]);

        CU_ASSERT_EQUAL(rc, -SIM_EINVAL);
        if (rc != -SIM_EINVAL) {
            fprintf(stderr, "\n  '%s' -> %d\n", bad[i], rc);
        }
    }
    /* Syntax beats an unknown name seen first. */
    CU_ASSERT_EQUAL(eval_rc(s, "nope.x +"), -SIM_EINVAL);
    /* Malformed formulas are refused at registration. */
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "bad", "", "", "a.x +"),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "bad", "", "", NULL),
                    -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stats_count(s), 1);
    /* Absurd nesting is an error, not a stack overflow. */
    memset(deep, '(', sizeof(deep) - 1);
    deep[sizeof(deep) - 1] = '\0';
    CU_ASSERT_EQUAL(eval_rc(s, deep), -SIM_EINVAL);
    memset(deep, '-', sizeof(deep) - 2);
    deep[sizeof(deep) - 2] = '1';
    CU_ASSERT_EQUAL(eval_rc(s, deep), -SIM_EINVAL);
    /* Moderate nesting is fine. */
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "((((((((((a.x))))))))))"), 1.0, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_div_zero(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t hits = 7;
    uint64_t zero = 0;
    double v = -1.0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "c", "hits", "", "", &hits), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "c", "accesses", "", "", &zero), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "c", "hit_rate", "", "",
                                     "c.hits / c.accesses"), 0);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "5 / 0"), 0.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "0 / 0"), 0.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "1 + 5 / (2 - 2)"), 1.0, EPS);
    CU_ASSERT_EQUAL(sim_stats_value(s, "c.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.0, EPS);
    CU_ASSERT_FALSE(isnan(v));
    zero = 14;
    CU_ASSERT_EQUAL(sim_stats_value(s, "c.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.5, EPS);
    sim_stats_free(s);
}

static void test_stats_formula_of_formula(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t a = 6;
    uint64_t b = 2;
    const struct sim_stat *st;
    double v = 0.0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "x", "a", "", "", &a), 0);
    CU_ASSERT_EQUAL(sim_stat_counter(s, "x", "b", "", "", &b), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "sum", "", "sum", "x.a + x.b"),
                    0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "avg", "", "", "f.sum / 2"), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "f", "neg", "", "", "-f.avg * x.b"),
                    0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "f.sum", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 8.0, EPS);
    CU_ASSERT_EQUAL(sim_stats_value(s, "f.avg", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 4.0, EPS);
    CU_ASSERT_EQUAL(sim_stats_value(s, "f.neg", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, -8.0, EPS);
    CU_ASSERT_DOUBLE_EQUAL(eval_ok(s, "f.avg + f.sum"), 12.0, EPS);
    st = sim_stats_at(s, 2);
    CU_ASSERT_EQUAL(st->kind, SIM_STAT_FORMULA);
    CU_ASSERT_STRING_EQUAL(st->expr, "x.a + x.b");

    /* Cycles (and self reference) end in an error, not a crash. */
    CU_ASSERT_EQUAL(sim_stat_formula(s, "loop", "p", "", "", "loop.q + 1"),
                    0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "loop", "q", "", "", "loop.p"), 0);
    CU_ASSERT_EQUAL(sim_stat_formula(s, "loop", "me", "", "", "loop.me"), 0);
    CU_ASSERT_EQUAL(sim_stats_value(s, "loop.p", &v), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_stats_value(s, "loop.me", &v), -SIM_EINVAL);
    CU_ASSERT_EQUAL(eval_rc(s, "1 + loop.q"), -SIM_EINVAL);
    sim_stats_free(s);
}

static void test_stats_hist_binning(void)
{
    static const uint64_t samples[] = { 9, 0, 10, 14, 15, 29, 30, 100, 12 };
    struct sim_hist h;
    struct sim_stats *s = sim_stats_new();
    uint64_t sum = 0;
    double v = 0.0;
    size_t i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    /* Bins [10,15) [15,20) [20,25) [25,30); under < 10; over >= 30. */
    CU_ASSERT_EQUAL_FATAL(sim_hist_init(&h, 10, 5, 4), 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(h.bins);
    CU_ASSERT_EQUAL(h.count, 0);
    CU_ASSERT_EQUAL(h.bins[3], 0);
    for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        sim_hist_add(&h, samples[i]);
        sum += samples[i];
    }
    CU_ASSERT_EQUAL(h.under, 2);        /* 9, 0 */
    CU_ASSERT_EQUAL(h.bins[0], 3);      /* 10, 14, 12 */
    CU_ASSERT_EQUAL(h.bins[1], 1);      /* 15 */
    CU_ASSERT_EQUAL(h.bins[2], 0);
    CU_ASSERT_EQUAL(h.bins[3], 1);      /* 29 */
    CU_ASSERT_EQUAL(h.over, 2);         /* 30, 100 */
    CU_ASSERT_EQUAL(h.count, 9);
    CU_ASSERT_EQUAL(h.sum, sum);

    /* A registered histogram's value is its sample count. */
    CU_ASSERT_EQUAL(sim_stat_hist(s, "ptw", "latency", "cycles", "", &h), 0);
    CU_ASSERT_EQUAL(sim_stats_at(s, 0)->kind, SIM_STAT_HIST);
    CU_ASSERT_PTR_EQUAL(sim_stats_at(s, 0)->hist, &h);
    CU_ASSERT_EQUAL(sim_stats_value(s, "ptw.latency", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 9.0, EPS);
    CU_ASSERT_EQUAL(sim_stat_hist(s, "ptw", "none", "", "", NULL),
                    -SIM_EINVAL);

    sim_hist_fini(&h);
    CU_ASSERT_PTR_NULL(h.bins);
    sim_hist_fini(&h);                  /* twice is harmless */

    /* Width 0 would divide by zero: refused. */
    CU_ASSERT_EQUAL(sim_hist_init(&h, 0, 0, 4), -SIM_EINVAL);
    CU_ASSERT_EQUAL(sim_hist_init(&h, 0, 1, 0), -SIM_EINVAL);
    sim_stats_free(s);
}

/* sim_stat_counters registers a table; sim_stat_ratio divides two of the
 * object's own stats. */
static void test_stats_table_and_ratio(void)
{
    struct sim_stats *s = sim_stats_new();
    uint64_t hits = 3;
    uint64_t lookups = 4;
    const struct sim_stat_decl d[] = {
        { "hits", "lookups", "hits", &hits },
        { "lookups", "lookups", "lookups", &lookups },
    };
    double v = -1;

    CU_ASSERT_FATAL(s != NULL);
    CU_ASSERT_EQUAL(sim_stat_counters(s, "cpu0.tlb", d, 2), 0);
    CU_ASSERT_EQUAL(sim_stat_ratio(s, "cpu0.tlb", "hit_rate", "", "rate",
                                   "hits", "lookups"), 0);
    CU_ASSERT_EQUAL(sim_stats_count(s), 3);
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.tlb.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.75, 1e-12);
    hits = 1;
    CU_ASSERT_EQUAL(sim_stats_value(s, "cpu0.tlb.hit_rate", &v), 0);
    CU_ASSERT_DOUBLE_EQUAL(v, 0.25, 1e-12);
    /* A table entry clashing with a registered name fails the call. */
    CU_ASSERT_EQUAL(sim_stat_counters(s, "cpu0.tlb", d, 1), -SIM_EINVAL);
    sim_stats_free(s);
}

int test_stats_register(void)
{
    CU_pSuite s = CU_add_suite("stats", NULL, NULL);

    if (s == NULL) {
        return -1;
    }
    if (!CU_add_test(s, "table_and_ratio", test_stats_table_and_ratio) ||
        !CU_add_test(s, "counter_reads_live_value",
                     test_stats_counter_reads_live_value) ||
        !CU_add_test(s, "duplicate_rejected", test_stats_duplicate_rejected) ||
        !CU_add_test(s, "formula_arithmetic", test_stats_formula_arithmetic) ||
        !CU_add_test(s, "formula_unary_minus",
                     test_stats_formula_unary_minus) ||
        !CU_add_test(s, "formula_names", test_stats_formula_names) ||
        !CU_add_test(s, "formula_unknown_name",
                     test_stats_formula_unknown_name) ||
        !CU_add_test(s, "formula_syntax_error",
                     test_stats_formula_syntax_error) ||
        !CU_add_test(s, "formula_div_zero", test_stats_formula_div_zero) ||
        !CU_add_test(s, "formula_of_formula",
                     test_stats_formula_of_formula) ||
        !CU_add_test(s, "hist_binning", test_stats_hist_binning)) {
        return -1;
    }
    return 0;
}
