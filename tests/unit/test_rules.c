/* test_rules.c — unit tests of the rule sets: the law's arithmetic at its boundaries, each office's
 * candidate range, every shipped rule file with its numbers, and broken files refused line by line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli/rules_file.h"
#include "yishi/alloc.h"
#include "yishi/rules.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Helpers ---- */

static ys_rules *load(const char *name)
{
    ys_rules *r = NULL;
    ys_diags d;
    ys_err err;
    ys_diags_init(&d);
    ys_rc rc = ys_rules_load(name, &r, &d, &err);
    if (rc != YS_OK) {
        ys_diags_print(&d, stderr, name);
        fprintf(stderr, "%s\n", err.msg);
    }
    assert_int_equal(rc, YS_OK);
    assert_int_equal(ys_diags_count(&d), 0);
    ys_diags_free(&d);
    return r;
}

static const ys_office *office(const ys_rules *r, const char *key)
{
    const ys_office *o = ys_rules_office(r, key);
    if (!o)
        fail_msg("%s has no office %s", r->id, key);
    return o;
}

static ys_threshold share(int num, int den, ys_cmp cmp)
{
    ys_threshold t = {.defined = true, .num = num, .den = den, .cmp = cmp, .base = YS_BASE_ALL};
    return t;
}

static ys_threshold count(int n)
{
    ys_threshold t = {.defined = true, .count = n, .cmp = YS_CMP_AT_LEAST};
    return t;
}

static void expect_share(const ys_threshold *t, int num, int den, ys_cmp cmp, ys_base base)
{
    assert_true(t->defined);
    assert_int_equal(t->num, num);
    assert_int_equal(t->den, den);
    assert_int_equal(t->cmp, cmp);
    assert_int_equal(t->base, base);
    assert_true(strlen(t->article) > 0);
}

static void expect_count(const ys_threshold *t, int n, int delegations)
{
    assert_true(t->defined);
    assert_int_equal(t->den, 0);
    assert_int_equal(t->count, n);
    assert_int_equal(t->delegations, delegations);
    assert_true(strlen(t->article) > 0);
}

/* ---- The law's arithmetic: 「以上」 includes the number, 「过半数」 is strictly more than half ---- */

static const struct threshold_case {
    const char *article;
    int num, den; /* den == 0: a count of num */
    ys_cmp cmp;
    int base;
    int min;      /* ys_threshold_min */
    int below;    /* min - 1, which must not meet the rule */
} threshold_cases[] = {
    {"地方组织法第十四条 quorum 三分之二以上, 549 delegates", 2, 3, YS_CMP_AT_LEAST, 549, 366, 365},
    {"地方组织法第十四条 quorum 三分之二以上, 550 delegates", 2, 3, YS_CMP_AT_LEAST, 550, 367, 366},
    {"地方组织法第十四条 quorum, exactly two thirds of 552 present", 2, 3, YS_CMP_AT_LEAST, 552, 368, 367},
    {"地方组织法第二十五条 过半数 of 549 delegates", 1, 2, YS_CMP_MORE_THAN, 549, 275, 274},
    {"地方组织法第二十五条 过半数 of 550: exactly half (275) is not more than half", 1, 2, YS_CMP_MORE_THAN,
     550, 276, 275},
    {"地方组织法第十四条 五分之一以上 of 549 ask for an extra session", 1, 5, YS_CMP_AT_LEAST, 549, 110, 109},
    {"地方组织法第十四条 五分之一以上 of 550, exactly a fifth", 1, 5, YS_CMP_AT_LEAST, 550, 110, 109},
    {"地方组织法第三十一条 recall 十分之一以上 of 549", 1, 10, YS_CMP_AT_LEAST, 549, 55, 54},
    {"地方组织法第三十一条 township recall 五分之一以上 of 60", 1, 5, YS_CMP_AT_LEAST, 60, 12, 11},
    {"宪法第六十四条 三分之二以上 of 2977 NPC deputies", 2, 3, YS_CMP_AT_LEAST, 2977, 1985, 1984},
    {"全国人大议事规则第四十条 超过全体代表的半数 of 2977", 1, 2, YS_CMP_MORE_THAN, 2977, 1489, 1488},
    {"粤规第十一条 presidium decides by 过半数 of 100 members", 1, 2, YS_CMP_MORE_THAN, 100, 51, 50},
    {"粤规第十一条 presidium meets with 三分之二以上 of 100 members", 2, 3, YS_CMP_AT_LEAST, 100, 67, 66},
    {"地方组织法第二十二条 十人以上联名: exactly 10 co-signers", 10, 0, YS_CMP_AT_LEAST, 549, 10, 9},
    {"地方组织法第二十二条 township 五人以上联名", 5, 0, YS_CMP_AT_LEAST, 40, 5, 4},
    {"地方组织法第二十六条 三十人以上书面联名", 30, 0, YS_CMP_AT_LEAST, 549, 30, 29},
};

static void test_threshold_boundaries(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof threshold_cases / sizeof threshold_cases[0]; i++) {
        const struct threshold_case *c = &threshold_cases[i];
        ys_threshold t = c->den ? share(c->num, c->den, c->cmp) : count(c->num);
        print_message("%s\n", c->article);
        assert_int_equal(ys_threshold_min(&t, c->base), c->min);
        assert_true(ys_threshold_met(&t, c->min, c->base));
        assert_true(ys_threshold_met(&t, c->min + 1, c->base));
        assert_false(ys_threshold_met(&t, c->below, c->base));
    }
}

static void test_threshold_edges(void **state)
{
    (void)state;
    ys_threshold none = {0};
    assert_int_equal(ys_threshold_min(&none, 549), -1);
    assert_false(ys_threshold_met(&none, 549, 549)); /* a rule the set lacks is never met */
    assert_int_equal(ys_threshold_min(NULL, 549), -1);

    ys_threshold half = share(1, 2, YS_CMP_MORE_THAN);
    assert_int_equal(ys_threshold_min(&half, 0), 1); /* more than half of nobody: one, unmeetable */
    assert_false(ys_threshold_met(&half, 0, 0));
    assert_int_equal(ys_threshold_min(&half, INT_MAX), INT_MAX / 2 + 1); /* no overflow */
    assert_true(ys_threshold_met(&half, INT_MAX / 2 + 1, INT_MAX));
    assert_false(ys_threshold_met(&half, INT_MAX / 2, INT_MAX));

    ys_threshold all = share(1, 1, YS_CMP_AT_LEAST);
    assert_int_equal(ys_threshold_min(&all, 549), 549);
    assert_false(ys_threshold_met(&all, 548, 549));
}

/* ---- Competitive ratios (地方组织法第二十七条, 选举法第三十一条) ---- */

enum { FIRST, BY, FURTHER };
static const struct range_case {
    const char *rules, *office, *article;
    int seats, round;
    int min, max; /* max INT_MAX: unbounded */
} range_cases[] = {
    {"prc-provincial", "governor", "第二十七条 正职: 多一人, or one nominee uncontested", 1, FIRST, 1, 2},
    {"prc-provincial", "sc_chair", "第二十七条 主任", 1, FIRST, 1, 2},
    {"prc-provincial", "sc_secretary_general", "第二十七条 秘书长", 1, FIRST, 1, 2},
    {"prc-provincial", "supervision_director", "第二十七条 监察委员会主任", 1, FIRST, 1, 2},
    {"prc-provincial", "court_president", "第二十七条 法院院长", 1, FIRST, 1, 2},
    {"prc-provincial", "chief_procurator", "第二十七条 检察长", 1, FIRST, 1, 2},
    {"prc-provincial", "governor", "第二十九条第二款: further round of a chief office is unconstrained", 1,
     FURTHER, 1, 2},
    {"prc-provincial", "governor", "第三十条 补选: may be contested or uncontested", 1, BY, 1, INT_MAX},
    {"prc-provincial", "vice_governor", "第二十七条 副职: 多一人至三人", 1, FIRST, 2, 4},
    {"prc-provincial", "vice_governor", "第二十七条 副职: 多一人至三人", 3, FIRST, 4, 6},
    {"prc-provincial", "vice_governor", "第二十七条 副职: 多一人至三人", 8, FIRST, 9, 11},
    {"prc-provincial", "vice_governor", "第二十九条第三款: further round contested at the ratio", 2, FURTHER, 3, 5},
    {"prc-provincial", "vice_governor", "第三十条 补选", 2, BY, 2, INT_MAX},
    {"prc-provincial", "sc_vice_chair", "第二十七条 副主任: 多一人至三人", 7, FIRST, 8, 10},
    {"prc-provincial", "sc_member", "第二十七条 委员: 多十分之一至五分之一", 50, FIRST, 55, 60},
    {"prc-provincial", "sc_member", "第二十七条 委员: 5.5 rounds up, 11 is exact", 55, FIRST, 61, 66},
    {"prc-provincial", "sc_member", "第二十七条 委员: 5.7 up to 6, 11.4 down to 11", 57, FIRST, 63, 68},
    {"prc-provincial", "sc_member", "第二十七条 委员: 10 seats, 1 to 2 extra", 10, FIRST, 11, 12},
    {"prc-provincial", "sc_member", "第二十七条 委员: 4 seats, no integer list inside the range", 4, FIRST, 5, 4},
    {"prc-provincial", "sc_member", "第二十九条第三款: 3 unfilled seats, still no list in range", 3, FURTHER, 4,
     3},
    {"prc-provincial", "sc_member", "第二十九条第三款: 20 unfilled seats", 20, FURTHER, 22, 24},
    {"prc-provincial", "npc_deputy", "选举法第三十一条: 多五分之一至二分之一", 20, FIRST, 24, 30},
    {"prc-provincial", "npc_deputy", "选举法第三十一条: 6.6 up to 7, 16.5 down to 16", 33, FIRST, 40, 49},
    {"prc-provincial", "npc_deputy", "选举法第四十五条: 只选一人，候选人应为二人", 1, FURTHER, 2, 2},
    {"prc-provincial", "npc_deputy", "选举法第四十五条: further round at the ratio", 5, FURTHER, 6, 7},
    {"prc-provincial", "governor", "no seats: no list", 0, FIRST, 1, 0},
    {"prc-municipal", "governor", "第二十七条 市长", 1, FIRST, 1, 2},
    {"prc-municipal", "vice_governor", "第二十七条 副市长", 6, FIRST, 7, 9},
    {"prc-county", "sc_member", "第二十七条 县委员: 15 seats", 15, FIRST, 17, 18},
    {"prc-township", "congress_chair", "第二十七条 乡镇人大主席", 1, FIRST, 1, 2},
    {"prc-township", "congress_vice_chair", "第二十七条, 第十八条: 副主席一人至二人, 多一人至三人", 2, FIRST, 3,
     5},
    {"prc-township", "vice_governor", "第二十七条 副乡长", 2, FIRST, 3, 5},
    {"prc-npc", "sc_member", "全国人大组织法第十八条: no statutory ratio", 150, FIRST, 150, INT_MAX},
    {"prc-npc", "president", "全国人大组织法第十八条: no statutory ratio", 1, FIRST, 1, INT_MAX},
    {"gd-provincial", "vice_governor", "粤规第三十九条 with 地方组织法第二十七条", 4, FIRST, 5, 7},
};

static void test_office_ranges(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
        const struct range_case *c = &range_cases[i];
        ys_rules *r = load(c->rules);
        const ys_office *o = office(r, c->office);
        ys_candidate_range got = c->round == FURTHER ? ys_office_further_range(r, o, c->seats)
                                                     : ys_office_range(r, o, c->seats, c->round == BY);
        print_message("%s %s %d seats: %s\n", c->rules, c->office, c->seats, c->article);
        assert_int_equal(got.min, c->min);
        assert_int_equal(got.max, c->max);
        ys_rules_free(r);
    }
}

static void test_extra_of(void **state)
{
    (void)state;
    ys_extra tenth = {.num = 1, .den = 10, .round = YS_ROUND_CEIL};
    ys_extra fifth = {.num = 1, .den = 5, .round = YS_ROUND_FLOOR};
    ys_extra one = {.count = 1};
    ys_extra open = {.open = true};
    assert_int_equal(ys_extra_of(&tenth, 50), 5);
    assert_int_equal(ys_extra_of(&tenth, 51), 6);
    assert_int_equal(ys_extra_of(&fifth, 54), 10);
    assert_int_equal(ys_extra_of(&fifth, 55), 11);
    assert_int_equal(ys_extra_of(&one, 7), 1);
    assert_int_equal(ys_extra_of(&open, 7), -1);
    assert_int_equal(ys_extra_of(&tenth, INT_MAX), INT_MAX / 10 + 1);
}

/* ---- The shipped rule files ---- */

static void expect_common_local(const ys_rules *r)
{
    expect_share(&r->quorum, 2, 3, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_share(&r->extra_session, 1, 5, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_share(&r->adoption, 1, 2, YS_CMP_MORE_THAN, YS_BASE_ALL);
    expect_share(&r->election, 1, 2, YS_CMP_MORE_THAN, YS_BASE_ALL);
    expect_count(&r->inquiry, 10, 0);
    assert_false(r->constitutional.defined);
    assert_int_equal(r->election_methods, YS_METHOD_SECRET_BALLOT);
    assert_true(r->resolution_methods & YS_METHOD_TERMINAL);
    assert_true(r->by_election_uncontested);
    assert_true(strstr(r->quorum.article, "第十四条") || strstr(r->quorum.article, "第六条"));
    assert_true(strstr(r->by_election_article, "第三十条") || strstr(r->by_election_article, "第四十条"));
}

static void expect_offices(const ys_rules *r, const char *const *keys)
{
    size_t n = 0;
    for (; keys[n]; n++) {
        const ys_office *o = office(r, keys[n]);
        assert_true(strlen(o->name) > 0);
        assert_true(strlen(o->article) > 0);
    }
    assert_int_equal(r->n_offices, n);
}

static const char *const provincial_offices[] = {"sc_chair", "sc_secretary_general", "sc_vice_chair", "sc_member",
                                                 "governor", "vice_governor", "supervision_director",
                                                 "court_president", "chief_procurator", "npc_deputy", NULL};

static void expect_provincial_offices(const ys_rules *r)
{
    expect_offices(r, provincial_offices);
    const ys_office *g = office(r, "governor"), *v = office(r, "vice_governor"), *m = office(r, "sc_member");
    const ys_office *d = office(r, "npc_deputy");
    assert_true(g->uncontested_single);
    assert_false(g->further_contested);
    assert_int_equal(g->extra_min.count, 1);
    assert_int_equal(g->extra_max.count, 1);
    assert_false(v->uncontested_single);
    assert_true(v->further_contested);
    assert_int_equal(v->extra_max.count, 3);
    assert_int_equal(m->extra_min.den, 10);
    assert_int_equal(m->extra_min.round, YS_ROUND_CEIL);
    assert_int_equal(m->extra_max.den, 5);
    assert_int_equal(m->extra_max.round, YS_ROUND_FLOOR);
    assert_int_equal(d->extra_min.den, 5);
    assert_int_equal(d->extra_max.num, 1);
    assert_int_equal(d->extra_max.den, 2);
    assert_int_equal(d->further_single, 2);
    assert_non_null(strstr(d->article, "第三十一条"));
    assert_non_null(strstr(g->article, "第二十七条"));
    /* 选举法第三十条: ten deputies may nominate a deputy, whatever the set's nomination rule is. */
    expect_count(ys_office_nomination(r, d), 10, 0);
    expect_count(ys_office_nomination(r, g), 30, 0);
}

static void test_file_provincial(void **state)
{
    (void)state;
    ys_rules *r = load("prc-provincial");
    assert_string_equal(r->id, "prc-provincial");
    assert_string_equal(r->level, "provincial");
    expect_common_local(r);
    expect_count(&r->motion, 10, 0);
    expect_share(&r->recall, 1, 10, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_count(&r->nomination, 30, 0);
    assert_false(r->turnout.defined); /* national law has no turnout rule */
    assert_false(r->amendment.defined);
    assert_false(r->presidium_quorum.defined);
    expect_provincial_offices(r);
    assert_int_equal(ys_threshold_min(&r->quorum, 549), 366);
    assert_int_equal(ys_threshold_min(&r->adoption, 550), 276);
    ys_rules_free(r);
}

static void test_file_guangdong(void **state)
{
    (void)state;
    ys_rules *r = load("gd-provincial");
    assert_string_equal(r->level, "provincial");
    expect_common_local(r);
    expect_share(&r->turnout, 1, 2, YS_CMP_MORE_THAN, YS_BASE_ALL);
    assert_non_null(strstr(r->turnout.article, "第六十条"));
    expect_count(&r->amendment, 10, 0);
    assert_non_null(strstr(r->amendment.article, "第二十五条"));
    expect_share(&r->presidium_quorum, 2, 3, YS_CMP_AT_LEAST, YS_BASE_MEMBERS);
    expect_share(&r->presidium_adoption, 1, 2, YS_CMP_MORE_THAN, YS_BASE_MEMBERS);
    assert_non_null(strstr(r->presidium_quorum.article, "第十一条"));
    expect_count(&r->nomination, 30, 0);
    assert_int_equal(r->resolution_methods, YS_METHOD_TERMINAL | YS_METHOD_SHOW_OF_HANDS | YS_METHOD_PAPER);
    expect_provincial_offices(r);
    assert_int_equal(ys_threshold_min(&r->turnout, 549), 275);
    ys_rules_free(r);
}

static void test_file_municipal(void **state)
{
    (void)state;
    ys_rules *r = load("prc-municipal");
    assert_string_equal(r->level, "municipal");
    expect_common_local(r);
    expect_count(&r->motion, 10, 0);
    expect_share(&r->recall, 1, 10, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_count(&r->nomination, 20, 0); /* 地方组织法第二十六条: 设区的市 二十人以上 */
    expect_offices(r, provincial_offices);
    assert_string_equal(office(r, "governor")->name, "市长");
    assert_string_equal(office(r, "vice_governor")->name, "副市长");
    ys_rules_free(r);
}

static void test_file_county(void **state)
{
    (void)state;
    static const char *const keys[] = {"sc_chair", "sc_vice_chair", "sc_member", "governor", "vice_governor",
                                       "supervision_director", "court_president", "chief_procurator",
                                       "npc_deputy", NULL};
    ys_rules *r = load("prc-county");
    assert_string_equal(r->level, "county");
    expect_common_local(r);
    expect_count(&r->motion, 10, 0);
    expect_share(&r->recall, 1, 10, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_count(&r->nomination, 10, 0); /* 县级 十人以上 */
    expect_offices(r, keys);             /* 第四十七条: no secretary-general at county level */
    assert_string_equal(office(r, "governor")->name, "县长");
    ys_rules_free(r);
}

static void test_file_township(void **state)
{
    (void)state;
    static const char *const keys[] = {"congress_chair", "congress_vice_chair", "governor", "vice_governor",
                                       NULL};
    ys_rules *r = load("prc-township");
    assert_string_equal(r->level, "township");
    expect_common_local(r);
    expect_count(&r->motion, 5, 0);                                   /* 第二十二条: 五人以上 */
    expect_share(&r->recall, 1, 5, YS_CMP_AT_LEAST, YS_BASE_ALL);    /* 第三十一条: 五分之一以上 */
    expect_count(&r->nomination, 10, 0);                              /* 第二十六条 */
    expect_offices(r, keys);
    assert_true(office(r, "congress_chair")->uncontested_single);
    assert_true(office(r, "congress_vice_chair")->further_contested);
    ys_rules_free(r);
}

static void test_file_npc(void **state)
{
    (void)state;
    static const char *const keys[] = {"sc_chair", "sc_vice_chair", "sc_secretary_general", "sc_member",
                                       "president", "vice_president", "cmc_chair", "supervision_director",
                                       "court_president", "chief_procurator", NULL};
    ys_rules *r = load("prc-npc");
    assert_string_equal(r->level, "npc");
    expect_share(&r->quorum, 2, 3, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_share(&r->adoption, 1, 2, YS_CMP_MORE_THAN, YS_BASE_ALL);
    expect_share(&r->constitutional, 2, 3, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_share(&r->election, 1, 2, YS_CMP_MORE_THAN, YS_BASE_ALL);
    expect_count(&r->motion, 30, 1);   /* 组织法第十七条: 一个代表团或者三十名以上 */
    expect_count(&r->inquiry, 30, 1);  /* 组织法第二十一条 */
    expect_share(&r->recall, 1, 10, YS_CMP_AT_LEAST, YS_BASE_ALL);
    assert_int_equal(r->recall.delegations, 3); /* 组织法第二十条: 三个以上的代表团 */
    expect_share(&r->delegation_motion, 1, 2, YS_CMP_MORE_THAN, YS_BASE_MEMBERS);
    expect_share(&r->presidium_adoption, 1, 2, YS_CMP_MORE_THAN, YS_BASE_MEMBERS);
    assert_false(r->nomination.defined); /* 组织法第十八条: the presidium nominates */
    assert_false(r->turnout.defined);
    assert_int_equal(r->resolution_methods, YS_METHOD_TERMINAL | YS_METHOD_SHOW_OF_HANDS);
    assert_int_equal(r->constitutional_methods, YS_METHOD_SECRET_BALLOT);
    expect_offices(r, keys);
    assert_true(office(r, "sc_member")->extra_max.open);
    assert_int_equal(ys_threshold_min(&r->constitutional, 2977), 1985);
    ys_rules_free(r);
}

/* The source kept in the rule set is the file byte for byte: it is what the session log records. */
static void test_source_is_exact(void **state)
{
    (void)state;
    char path[4096];
    const char *dir = getenv("YISHI_RULES_DIR");
    snprintf(path, sizeof path, "%s/prc-provincial.rules", dir ? dir : YS_SOURCE_RULES_DIR);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ys_rules *r = load("prc-provincial");
    assert_int_equal(r->source_len, n);
    assert_memory_equal(r->source, buf, n);
    ys_rules_free(r);
    /* and reading a path gives the same set */
    ys_err err;
    assert_int_equal(ys_rules_load(path, &r, NULL, &err), YS_OK);
    assert_string_equal(r->id, "prc-provincial");
    ys_rules_free(r);
}

/* ---- Broken files, each refused with every problem on its line ---- */

/* A small valid set; the broken cases below edit it line by line. */
static const char *const base_lines[] = {
    "[rules]",                 /* 1 */
    "id = test-set",           /* 2 */
    "level = county",          /* 3 */
    "name = 测试",             /* 4 */
    "statute = 测试法",        /* 5 */
    "[quorum]",                /* 6 */
    "share = 2/3 at_least",    /* 7 */
    "article = 第十四条",      /* 8 */
    "[extra_session]",         /* 9 */
    "share = 1/5 at_least",    /* 10 */
    "article = 第十四条",      /* 11 */
    "[adoption]",              /* 12 */
    "share = 1/2 more_than",   /* 13 */
    "article = 第二十五条",    /* 14 */
    "[election]",              /* 15 */
    "share = 1/2 more_than",   /* 16 */
    "article = 第二十五条",    /* 17 */
    "[motion]",                /* 18 */
    "count = 10",              /* 19 */
    "article = 第二十二条",    /* 20 */
    "[inquiry]",               /* 21 */
    "count = 10",              /* 22 */
    "article = 第二十四条",    /* 23 */
    "[recall]",                /* 24 */
    "share = 1/10 at_least",   /* 25 */
    "article = 第三十一条",    /* 26 */
    "[methods]",               /* 27 */
    "resolution = terminal",   /* 28 */
    "election = secret_ballot",/* 29 */
    "article = 第二十八条",    /* 30 */
    "[by_election]",           /* 31 */
    "uncontested = yes",       /* 32 */
    "max = open",              /* 33 */
    "article = 第三十条",      /* 34 */
    "[office.governor]",       /* 35 */
    "name = 县长",             /* 36 */
    "extra_min = 1",           /* 37 */
    "extra_max = 1",           /* 38 */
    "uncontested = single",    /* 39 */
    "further_round = any",     /* 40 */
    "article = 第二十七条",    /* 41 */
};
#define N_BASE (sizeof base_lines / sizeof base_lines[0])

typedef struct edit {
    int line;          /* 1-based line of base_lines to replace; N_BASE + 1 appends */
    const char *text;  /* may hold several lines; "#" blanks the line and keeps the numbering */
} edit;

/* Builds base_lines with the edits applied, into a buffer to ys_free(). */
static char *build(const edit *edits, size_t n_edits, size_t *len)
{
    size_t cap = 1 << 14, at = 0;
    char *s = ys_malloc(cap);
    assert_non_null(s);
    for (size_t i = 1; i <= N_BASE + 1; i++) {
        const char *line = i <= N_BASE ? base_lines[i - 1] : NULL;
        for (size_t e = 0; e < n_edits; e++)
            if ((size_t)edits[e].line == i)
                line = edits[e].text;
        if (line)
            at += (size_t)snprintf(s + at, cap - at, "%s\n", line);
    }
    *len = at;
    return s;
}

#define MAX_EXPECT 12
static const struct broken_case {
    const char *what;
    edit edits[8];
    int lines[MAX_EXPECT]; /* the line of each problem, in the order reported; -1 ends */
    const char *word;      /* the first problem's message contains this */
} broken_cases[] = {
    {"unknown section", {{6, "[quorom]"}}, {6, 0, -1}, "unknown section [quorom]"},
    {"unknown key, and so no share", {{7, "shares = 2/3 at_least"}}, {7, 6, -1}, "unknown key 'shares'"},
    {"duplicate key", {{19, "article = 第二十二条"}}, {20, 18, -1}, "duplicate key 'article' (first at line 19)"},
    {"duplicate section", {{21, "[motion]"}}, {21, 0, -1}, "duplicate section [motion] (first at line 18)"},
    {"malformed share", {{7, "share = 2/3 atleast"}}, {7, -1}, "neither at_least"},
    {"share without rounding word", {{7, "share = 2/3"}}, {7, -1}, "malformed share"},
    {"denominator 0", {{7, "share = 2/0 at_least"}}, {7, -1}, "denominator is 0"},
    {"num > den", {{10, "share = 6/5 at_least"}}, {10, -1}, "more than the whole"},
    {"more than the whole can never be met", {{13, "share = 1/1 more_than"}}, {13, -1}, "never be met"},
    {"malformed count", {{19, "count = ten"}}, {19, -1}, "whole number"},
    {"count of zero", {{19, "count = 0"}}, {19, -1}, "whole number"},
    {"extra share without rounding", {{37, "extra_min = 1/10"}}, {37, -1}, "ceil or floor"},
    {"extra with an unknown rounding", {{37, "extra_min = 1/10 round"}}, {37, -1}, "neither ceil nor floor"},
    {"extra with den 0", {{38, "extra_max = 1/0 floor"}}, {38, -1}, "denominator is 0"},
    {"extra_min = open", {{37, "extra_min = open"}}, {37, -1}, "malformed"},
    {"extra_min > extra_max", {{37, "extra_min = 3"}}, {37, -1}, "extra_min is more than extra_max"},
    {"extra share min > max", {{37, "extra_min = 1/5 ceil"}, {38, "extra_max = 1/10 floor"}}, {37, -1},
     "extra_min is more than extra_max"},
    {"numeric section without article", {{17, "# no article"}}, {15, -1}, "section [election] has no 'article'"},
    {"office without name", {{36, "#"}}, {35, -1}, "section [office.governor] has no 'name'"},
    {"threshold without number", {{7, "#"}}, {6, -1}, "needs 'share"},
    {"share and count both", {{19, "count = 10\nshare = 1/2 more_than"}}, {19, -1}, "both a share and a count"},
    {"base with a count", {{19, "count = 10\nbase = all"}}, {20, -1}, "a base belongs to a share"},
    {"unknown base", {{7, "share = 2/3 at_least\nbase = everyone"}}, {8, -1}, "not one of: all, present"},
    {"level not in the list", {{3, "level = city"}}, {3, -1}, "'city' is not one of"},
    {"id with capitals", {{2, "id = Test"}}, {2, -1}, "lowercase"},
    {"invalid UTF-8, and so no name", {{4, "name = \xff\xfe"}}, {4, 1, -1}, "invalid UTF-8 at byte 8"},
    {"truncated UTF-8 sequence", {{36, "name = \xe5\x8e"}}, {36, 35, -1}, "invalid UTF-8"},
    {"UTF-8 surrogate", {{8, "article = \xed\xa0\x80"}}, {8, 6, -1}, "invalid UTF-8"},
    {"missing section", {{24, "#"}, {25, "#"}, {26, "#"}}, {0, -1}, "missing section [recall]"},
    {"no office", {{35, "#"}, {36, "#"}, {37, "#"}, {38, "#"}, {39, "#"}, {40, "#"}, {41, "#"}}, {0, -1},
     "no [office.KEY]"},
    {"key before any section", {{1, "#"}}, {2, 3, 4, 5, 0, -1}, "before any [section]"},
    {"line that is no key = value", {{28, "resolution terminal"}}, {28, 27, -1}, "expected 'key = value'"},
    {"unknown method", {{28, "resolution = terminal, vote"}}, {28, -1}, "unknown method 'vote'"},
    {"empty value", {{29, "election ="}}, {29, -1}, "has no value"},
    {"bad office key", {{35, "[office.Governor]"}}, {35, 0, -1}, "office key"},
    {"malformed header", {{35, "[office.governor"}}, {35, 0, -1}, "malformed section header"},
    {"duplicate office", {{N_BASE + 1, "[office.governor]\nname = 县长\nextra_min = 1\nextra_max = 1\n"
                                       "further_round = any\narticle = 第二十七条"}},
     {42, -1}, "duplicate section [office.governor] (first at line 35)"},
    {"several problems at once", {{3, "level = city"}, {7, "share = 2/0 at_least"}, {37, "extra_min = x"}},
     {3, 7, 37, -1}, "'city'"},
    {"bad further_round and uncontested", {{39, "uncontested = maybe"}, {40, "further_round = never"}},
     {39, 40, -1}, "'maybe' is not one of: single"},
    {"nomination without its article", {{41, "article = 第二十七条\nnomination = 10"}}, {42, -1},
     "needs its nomination_article"},
};

static void expect_problems(const ys_diags *d, const struct broken_case *c)
{
    size_t n = 0;
    while (n < MAX_EXPECT && c->lines[n] >= 0)
        n++;
    if (d->n != n) {
        ys_diags_print(d, stderr, c->what);
        fail_msg("%s: %zu problems, expected %zu", c->what, d->n, n);
    }
    for (size_t i = 0; i < n; i++)
        assert_int_equal(d->v[i].line, c->lines[i]);
    if (!strstr(d->v[0].msg, c->word))
        fail_msg("%s: '%s' does not say '%s'", c->what, d->v[0].msg, c->word);
}

static void test_base_is_valid(void **state)
{
    (void)state;
    size_t len;
    char *text = build(NULL, 0, &len);
    ys_rules *r = NULL;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_parse(text, len, &r, &d), YS_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(r->id, "test-set");
    expect_count(&r->motion, 10, 0);
    assert_int_equal(r->n_offices, 1);
    ys_rules_free(r);
    ys_free(text);
}

static void test_broken_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof broken_cases / sizeof broken_cases[0]; i++) {
        const struct broken_case *c = &broken_cases[i];
        size_t n_edits = 0, len;
        while (n_edits < 8 && c->edits[n_edits].text)
            n_edits++;
        char *text = build(c->edits, n_edits, &len);
        ys_rules *r = (ys_rules *)&r; /* must come back NULL */
        ys_diags d;
        ys_diags_init(&d);
        print_message("broken: %s\n", c->what);
        assert_int_equal(ys_rules_parse(text, len, &r, &d), YS_RULES);
        assert_null(r);
        expect_problems(&d, c);
        ys_diags_free(&d);
        ys_free(text);
    }
}

/* A quote longer than the field is refused, never cut in the middle of a character. */
static void test_article_too_long(void **state)
{
    (void)state;
    char line[2 * YS_ARTICLE_MAX] = "article = ";
    while (strlen(line) < YS_ARTICLE_MAX + 10)
        strcat(line, "第十四条");
    size_t len;
    char *text = build((edit[]){{8, line}}, 1, &len);
    ys_rules *r;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_parse(text, len, &r, &d), YS_RULES);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 8);
    assert_non_null(strstr(d.v[0].msg, "too long"));
    ys_diags_free(&d);
    ys_free(text);
}

/* UTF-8 allows NUL, a rule line does not: it would end the line early for the parser. */
static void test_nul_in_line(void **state)
{
    (void)state;
    size_t len;
    char *text = build((edit[]){{36, "name = 县长"}}, 1, &len);
    char *at = strstr(text, "县长");
    assert_non_null(at);
    at[3] = '\0';                                     /* 县\0\x95\xbf: a NUL, then bad bytes */
    at[4] = 'x', at[5] = 'x';
    ys_rules *r;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_parse(text, len, &r, &d), YS_RULES);
    assert_true(d.n >= 1);
    assert_int_equal(d.v[0].line, 36);
    assert_non_null(strstr(d.v[0].msg, "invalid UTF-8 at byte 11"));
    ys_diags_free(&d);
    ys_free(text);
}

static void test_empty_file(void **state)
{
    (void)state;
    ys_rules *r;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_parse("", 0, &r, &d), YS_RULES);
    assert_null(r);
    assert_int_equal(d.n, 11); /* ten required sections and no office */
    for (size_t i = 0; i < d.n; i++)
        assert_int_equal(d.v[i].line, 0);
    ys_diags_free(&d);
    /* and with no diags to fill, still refused */
    assert_int_equal(ys_rules_parse("[rules]\n", 8, &r, NULL), YS_RULES);
}

/* Windows line ends, a BOM, comments at the end of lines and blank lines are all accepted. */
static void test_crlf_bom_comments(void **state)
{
    (void)state;
    size_t len;
    char *text = build((edit[]){{7, "  share = 2/3 at_least   # 三分之二以上"}, {19, "\tcount = 10\t"}}, 2, &len);
    char *crlf = ys_malloc(2 * len + 4);
    size_t n = 0;
    memcpy(crlf, "\xEF\xBB\xBF", 3);
    n = 3;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            crlf[n++] = '\r';
        crlf[n++] = text[i];
    }
    ys_rules *r;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_parse(crlf, n, &r, &d), YS_OK);
    expect_share(&r->quorum, 2, 3, YS_CMP_AT_LEAST, YS_BASE_ALL);
    expect_count(&r->motion, 10, 0);
    assert_int_equal(r->source_len, n);
    ys_rules_free(r);
    ys_diags_free(&d);
    ys_free(crlf);
    ys_free(text);
}

/* Every allocation may fail: the parser reports it and leaks nothing (the sanitizer build checks). */
static void test_allocation_failures(void **state)
{
    (void)state;
    size_t len;
    char *text = build(NULL, 0, &len);
    ys_rc rc = YS_NOMEM;
    for (long n = 1; rc == YS_NOMEM && n < 1000; n++) {
        ys_rules *r = NULL;
        ys_alloc_fail_after(n);
        rc = ys_rules_parse(text, len, &r, NULL);
        ys_alloc_fail_after(0);
        assert_true(rc == YS_OK || rc == YS_NOMEM);
        assert_true((rc == YS_OK) == (r != NULL));
        ys_rules_free(r);
    }
    assert_int_equal(rc, YS_OK);
    ys_free(text);
}

/* ---- Finding rule files ---- */

static void test_load_unknown_name(void **state)
{
    (void)state;
    ys_rules *r;
    ys_err err;
    assert_int_equal(ys_rules_load("prc-galactic", &r, NULL, &err), YS_NOT_FOUND);
    assert_null(r);
    assert_non_null(strstr(err.msg, "prc-galactic"));
    assert_non_null(strstr(err.msg, "prc-provincial"));
    assert_non_null(strstr(err.msg, "gd-provincial"));
    assert_int_equal(ys_rules_load("../etc", &r, NULL, &err), YS_NOT_FOUND);
    assert_int_equal(ys_rules_load("/nonexistent/x.rules", &r, NULL, &err), YS_NOT_FOUND);

    char **names;
    size_t n;
    assert_int_equal(ys_rules_names(&names, &n, &err), YS_OK);
    assert_true(n >= 6);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0); /* sorted, each once */
    ys_rules_names_free(names, n);
}

/* A directory of one's own comes first; a file whose id is not its name is refused. */
static void test_load_own_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/yishi-rules-XXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    size_t len;
    char *text = build(NULL, 0, &len);
    snprintf(path, sizeof path, "%s/test-set.rules", dir);
    FILE *f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/prc-renamed.rules", dir);
    f = fopen(path, "wb");
    fwrite(text, 1, len, f);
    fclose(f);

    const char *old = getenv("YISHI_RULES_DIR");
    char *saved = old ? ys_strdup(old) : NULL;
    setenv("YISHI_RULES_DIR", dir, 1);
    ys_rules *r;
    ys_err err;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_rules_load("test-set", &r, &d, &err), YS_OK);
    assert_string_equal(r->level, "county");
    ys_rules_free(r);
    assert_int_equal(ys_rules_load("prc-renamed", &r, &d, &err), YS_RULES);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "its id is 'test-set'"));
    assert_int_equal(ys_rules_load("prc-provincial", &r, NULL, &err), YS_OK); /* still found in the tree */
    ys_rules_free(r);
    if (saved)
        setenv("YISHI_RULES_DIR", saved, 1);
    else
        unsetenv("YISHI_RULES_DIR");
    ys_free(saved);
    unlink(path);
    snprintf(path, sizeof path, "%s/test-set.rules", dir);
    unlink(path);
    rmdir(dir);
    ys_diags_free(&d);
    ys_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threshold_boundaries),
        cmocka_unit_test(test_threshold_edges),
        cmocka_unit_test(test_extra_of),
        cmocka_unit_test(test_office_ranges),
        cmocka_unit_test(test_file_provincial),
        cmocka_unit_test(test_file_guangdong),
        cmocka_unit_test(test_file_municipal),
        cmocka_unit_test(test_file_county),
        cmocka_unit_test(test_file_township),
        cmocka_unit_test(test_file_npc),
        cmocka_unit_test(test_source_is_exact),
        cmocka_unit_test(test_base_is_valid),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_article_too_long),
        cmocka_unit_test(test_nul_in_line),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_crlf_bom_comments),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_load_unknown_name),
        cmocka_unit_test(test_load_own_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
