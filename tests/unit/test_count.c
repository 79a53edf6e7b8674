/* test_count.c — the counting engine: the law's boundaries on hand-made rule sets, failure paths,
 * and property tests over random ballots (fixed seeds) that hold for every count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "yishi/alloc.h"
#include "yishi/count.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a provincial rule set, filled by hand as the prc-provincial file says ---- */

static ys_threshold share(int num, int den, ys_cmp cmp, const char *article)
{
    ys_threshold t = {.defined = true, .num = num, .den = den, .cmp = cmp, .base = YS_BASE_ALL};
    snprintf(t.article, sizeof t.article, "%s", article);
    return t;
}

static ys_office offices[] = {
    {.key = "governor", .extra_min = {.count = 1}, .extra_max = {.count = 1},
     .uncontested_single = true, .article = "地方组织法第二十七条"},
    {.key = "vice_governor", .extra_min = {.count = 1}, .extra_max = {.count = 3},
     .further_contested = true, .article = "地方组织法第二十七条"},
    {.key = "sc_member", .extra_min = {.num = 1, .den = 10, .round = YS_ROUND_CEIL},
     .extra_max = {.num = 1, .den = 5, .round = YS_ROUND_FLOOR}, .further_contested = true,
     .article = "地方组织法第二十七条"},
};

static ys_rules provincial(void)
{
    ys_rules r = {.id = "test-provincial", .level = "provincial"};
    r.quorum = share(2, 3, YS_CMP_AT_LEAST, "地方组织法第十四条");
    r.adoption = share(1, 2, YS_CMP_MORE_THAN, "地方组织法第二十五条");
    r.election = share(1, 2, YS_CMP_MORE_THAN, "地方组织法第二十五条");
    r.by_election_uncontested = true;
    r.offices = offices;
    r.n_offices = sizeof offices / sizeof offices[0];
    return r;
}

static ys_rules guangdong(void)
{
    ys_rules r = provincial();
    r.turnout = share(1, 2, YS_CMP_MORE_THAN, "广东省人民代表大会议事规则第六十条");
    return r;
}

static ys_rules national(void)
{
    ys_rules r = provincial();
    r.constitutional = share(2, 3, YS_CMP_AT_LEAST, "宪法第六十四条");
    return r;
}

/* ---- votes ---- */

static ys_vote_result vote(const ys_rules *r, ys_vote_tally t)
{
    ys_vote_result res;
    ys_err err;
    assert_int_equal(ys_count_vote(r, &t, &res, &err), YS_OK);
    return res;
}

static void test_vote_549(void **state)
{
    (void)state;
    ys_rules r = provincial();
    /* Art. 14: 366 of 549 is exactly two thirds, 「以上」 includes it; Art. 25: 275 > 274.5. */
    ys_vote_result a = vote(&r, (ys_vote_tally){549, 366, 275, 0, 0, 91});
    assert_true(a.quorate);
    assert_int_equal(a.quorum, 366);
    assert_int_equal(a.threshold, 275);
    assert_true(a.passed);
    ys_vote_result b = vote(&r, (ys_vote_tally){549, 365, 300, 0, 0, 65});
    assert_false(b.quorate);
    assert_false(b.passed);
    ys_vote_result c = vote(&r, (ys_vote_tally){549, 366, 274, 0, 0, 92});
    assert_false(c.passed);
}

static void test_vote_550(void **state)
{
    (void)state;
    ys_rules r = provincial();
    /* 275 of 550 is exactly half: 「过半数」 excludes it. */
    ys_vote_result a = vote(&r, (ys_vote_tally){550, 400, 275, 125, 0, 0});
    assert_int_equal(a.quorum, 367);
    assert_int_equal(a.threshold, 276);
    assert_false(a.passed);
    assert_true(vote(&r, (ys_vote_tally){550, 400, 276, 124, 0, 0}).passed);
}

static void test_announcement(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_vote_tally t = {549, 533, 500, 10, 13, 10};
    ys_vote_result res = vote(&r, t);
    char buf[512];
    size_t n = ys_vote_announcement(&t, &res, buf, sizeof buf);
    assert_string_equal(buf, "应出席代表549人，出席533人，缺席16人，出席人数符合法定人数。"
                             "赞成500票，反对10票，弃权13票，未按表决器10人。通过。");
    assert_int_equal(n, strlen(buf));
    char small[8];
    assert_int_equal(ys_vote_announcement(&t, &res, small, sizeof small), n);
    assert_int_equal(strlen(small), 7);
}

static void test_vote_refusals(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_vote_result res;
    ys_err err;
    ys_vote_tally sum = {549, 533, 500, 10, 13, 9};
    assert_int_equal(ys_count_vote(&r, &sum, &res, &err), YS_TOTALS_MISMATCH);
    assert_int_equal(err.rc, YS_TOTALS_MISMATCH);
    assert_string_equal(ys_rc_code(err.rc), "totals_mismatch");
    assert_int_equal(ys_rc_http(err.rc), 422);
    ys_vote_tally over = {549, 550, 550, 0, 0, 0};
    assert_int_equal(ys_count_vote(&r, &over, &res, &err), YS_PRESENT_EXCEEDS_ENTITLED);
    ys_vote_tally neg = {549, 533, -1, 10, 14, 10};
    assert_int_equal(ys_count_vote(&r, &neg, &res, &err), YS_BAD_VALUE);
    ys_vote_tally two = {549, 533, 500, 10, 13, 10, YS_MAJORITY_TWO_THIRDS};
    assert_int_equal(ys_count_vote(&r, &two, &res, &err), YS_MAJORITY_NOT_IN_RULES);
}

static void test_two_thirds(void **state)
{
    (void)state;
    ys_rules r = national();
    /* Constitution Art. 64: 「三分之二以上」 of 2979 is 1986 (1986 × 3 = 5958 = 2 × 2979). */
    ys_vote_result a = vote(&r, (ys_vote_tally){2979, 2900, 1986, 900, 14, 0, YS_MAJORITY_TWO_THIRDS});
    assert_int_equal(a.threshold, 1986);
    assert_true(a.passed);
    ys_vote_result b = vote(&r, (ys_vote_tally){2979, 2900, 1985, 901, 14, 0, YS_MAJORITY_TWO_THIRDS});
    assert_false(b.passed);
}

static void test_turnout(void **state)
{
    (void)state;
    ys_rules r = guangdong();
    /* 粤规 Art. 60: quorate, 280 yes of 549, but only 280 took part of the 400 present... */
    ys_vote_result a = vote(&r, (ys_vote_tally){549, 400, 280, 0, 0, 120});
    assert_true(a.has_turnout);
    assert_int_equal(a.turnout_min, 275);
    assert_true(a.turnout_met);
    assert_true(a.passed);
    /* ...a vote with 274 taking part is not valid, even before yes votes are looked at. */
    ys_vote_tally t = {549, 400, 274, 0, 0, 126};
    ys_vote_result b = vote(&r, t);
    assert_false(b.turnout_met);
    assert_false(b.passed);
    char buf[512];
    ys_vote_announcement(&t, &b, buf, sizeof buf);
    assert_non_null(strstr(buf, "参加表决274人，不足表决有效所需的275人。未通过。"));
}

/* ---- elections ---- */

#define L(...) ((const char *const[]){__VA_ARGS__})
#define N(...) (sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static ys_ballot ballot(const char *const *yes, size_t ny, const char *const *no, size_t nn,
                        const char *const *w, size_t nw)
{
    return (ys_ballot){yes, ny, no, nn, w, nw};
}

static ys_election *start(const ys_rules *r, const char *office, int seats, int entitled,
                          const char *const *cands, size_t n)
{
    ys_election_spec s = {.kind = YS_ELECTION, .office = office, .seats = seats,
                          .entitled = entitled, .ballots_issued = entitled,
                          .candidates = cands, .n_candidates = n};
    ys_election *e = NULL;
    ys_err err;
    assert_int_equal(ys_election_new(r, &s, &e, &err), YS_OK);
    return e;
}

static void add_n(ys_election *e, ys_ballot b, int times)
{
    for (int i = 0; i < times; i++)
        assert_int_equal(ys_election_add(e, &b, NULL, NULL), YS_OK);
}

static ys_election_result *finish(ys_election *e)
{
    ys_election_result *res = NULL;
    assert_int_equal(ys_election_result_get(e, &res, NULL), YS_OK);
    ys_election_free(e);
    return res;
}

static const char *name_at(const ys_election_result *res, const size_t *v, size_t i)
{
    return res->candidates[v[i]].name;
}

static void test_election_basic(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election *e = start(&r, "vice_governor", 2, 9, L("甲", "乙", "丙"), 3);
    add_n(e, ballot(L("甲", "乙"), 2, NULL, 0, NULL, 0), 4);
    add_n(e, ballot(L("乙", "丙"), 2, L("甲"), 1, NULL, 0), 1);
    add_n(e, ballot(L("甲"), 1, NULL, 0, NULL, 0), 1);
    ys_election_result *res = finish(e);
    assert_true(res->valid);
    assert_int_equal(res->threshold, 5);
    assert_int_equal(res->ballots_valid, 6);
    assert_int_equal(res->candidates[0].yes, 5);
    assert_int_equal(res->candidates[0].no, 1);
    assert_int_equal(res->candidates[0].abstain, 0);
    assert_int_equal(res->candidates[2].abstain, 5);
    assert_int_equal(res->n_elected, 2);
    assert_string_equal(name_at(res, res->elected, 0), "甲"); /* 5 = 5: list order */
    assert_string_equal(name_at(res, res->elected, 1), "乙");
    assert_int_equal(res->unfilled, 0);
    assert_false(res->has_further);
    ys_election_result_free(res);
}

static void test_void_ballots(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election *e = start(&r, "vice_governor", 2, 9, L("甲", "乙", "丙"), 3);
    bool was_void = false;
    ys_ballot three = ballot(L("甲", "乙", "丙"), 3, NULL, 0, NULL, 0);
    ys_ballot two_plus_write = ballot(L("甲", "乙"), 2, NULL, 0, L("戊"), 1);
    ys_ballot twice = ballot(L("甲"), 1, L("甲"), 1, NULL, 0);
    ys_ballot write_listed = ballot(L("甲"), 1, NULL, 0, L("甲"), 1);
    ys_ballot blank = ballot(NULL, 0, NULL, 0, NULL, 0);
    ys_ballot *all[] = {&three, &two_plus_write, &twice, &write_listed, &blank};
    bool expect[] = {true, true, true, true, false};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(ys_election_add(e, all[i], &was_void, NULL), YS_OK);
        assert_int_equal(was_void, expect[i]);
    }
    ys_election_result *res = finish(e);
    assert_int_equal(res->ballots_void, 4);
    assert_int_equal(res->ballots_valid, 1);
    assert_int_equal(res->n_candidates, 3); /* 戊 was only on a void ballot */
    assert_int_equal(res->candidates[0].abstain, 1);
    ys_election_result_free(res);
}

static void test_unknown_candidate(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election *e = start(&r, "vice_governor", 2, 9, L("甲", "乙", "丙"), 3);
    ys_ballot b = ballot(L("己"), 1, NULL, 0, NULL, 0);
    ys_err err;
    assert_int_equal(ys_election_add(e, &b, NULL, &err), YS_UNKNOWN_CANDIDATE);
    assert_string_equal(err.field, "yes");
    ys_election_free(e);
}

static void test_void_election(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election_spec s = {.kind = YS_ELECTION, .office = "governor", .seats = 1, .entitled = 5,
                          .ballots_issued = 2, .candidates = L("甲", "乙"), .n_candidates = 2};
    ys_election *e = NULL;
    assert_int_equal(ys_election_new(&r, &s, &e, NULL), YS_OK);
    add_n(e, ballot(L("甲"), 1, NULL, 0, NULL, 0), 3);
    ys_election_result *res = finish(e);
    assert_false(res->valid);
    assert_string_equal(res->reason, "more_ballots_than_issued");
    assert_int_equal(res->n_elected, 0);
    assert_int_equal(res->unfilled, 1);
    assert_false(res->has_further);
    assert_int_equal(res->candidates[0].yes, 3);
    ys_election_result_free(res);
}

static void test_write_in_wins(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election *e = start(&r, "governor", 1, 5, L("甲", "乙"), 2);
    add_n(e, ballot(NULL, 0, L("甲", "乙"), 2, L("戊"), 1), 3);
    add_n(e, ballot(L("甲"), 1, NULL, 0, NULL, 0), 1);
    ys_election_result *res = finish(e);
    assert_int_equal(res->n_candidates, 3);
    assert_string_equal(res->candidates[2].name, "戊");
    assert_true(res->candidates[2].write_in);
    assert_int_equal(res->candidates[2].yes, 3);
    assert_int_equal(res->n_elected, 1);
    assert_string_equal(name_at(res, res->elected, 0), "戊");
    ys_election_result_free(res);
}

/* A thousand write-ins grow the name index many times over; each name is still found again, so a
 * write-in of a listed name and a repeated write-in land on the candidate already there. */
static void test_many_write_ins(void **state)
{
    (void)state;
    ys_rules r = provincial();
    enum { N = 1000 };
    ys_election *e = start(&r, "governor", 1, 2 * N + 2, L("甲", "乙"), 2);
    char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "另选%d", i);
        const char *w = names[i];
        add_n(e, ballot(NULL, 0, NULL, 0, &w, 1), 1);
    }
    for (int i = 0; i < N; i += 100) {
        const char *w = names[i];
        add_n(e, ballot(NULL, 0, NULL, 0, &w, 1), 1);
        add_n(e, ballot(NULL, 0, NULL, 0, L("甲"), 1), 1);
    }
    ys_election_result *res = finish(e);
    assert_int_equal(res->n_candidates, N + 2);
    assert_int_equal(res->candidates[0].yes, N / 100);
    static bool seen[N];
    for (size_t k = 2; k < res->n_candidates; k++) {
        int i = -1;
        assert_int_equal(sscanf(res->candidates[k].name, "另选%d", &i), 1);
        assert_true(i >= 0 && i < N && !seen[i]);
        seen[i] = true;
        assert_int_equal(res->candidates[k].yes, i % 100 == 0 ? 2 : 1);
    }
    ys_election_result_free(res);
}

static void test_tie_at_cut(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election *e = start(&r, "vice_governor", 2, 9, L("甲", "乙", "丙", "丁"), 4);
    add_n(e, ballot(L("甲", "乙"), 2, NULL, 0, NULL, 0), 3);
    add_n(e, ballot(L("甲", "丙"), 2, NULL, 0, NULL, 0), 3);
    add_n(e, ballot(L("甲"), 1, NULL, 0, NULL, 0), 1);
    ys_election_result *res = finish(e);
    /* threshold 5: 甲 7; 乙 3, 丙 3 fail — a shortfall, not a tie. */
    assert_int_equal(res->n_elected, 1);
    assert_int_equal(res->n_tied, 0);
    assert_true(res->has_further);
    ys_election_result_free(res);

    e = start(&r, "vice_governor", 2, 9, L("甲", "乙", "丙", "丁"), 4);
    add_n(e, ballot(L("甲", "乙"), 2, NULL, 0, NULL, 0), 3);
    add_n(e, ballot(L("甲", "丙"), 2, NULL, 0, NULL, 0), 3);
    add_n(e, ballot(L("乙", "丙"), 2, NULL, 0, NULL, 0), 3);
    res = finish(e);
    /* 甲 乙 丙 all 6 ≥ 5 for 2 seats: three tied for two seats. */
    assert_int_equal(res->n_elected, 0);
    assert_int_equal(res->n_tied, 3);
    assert_int_equal(res->tied_seats, 2);
    assert_int_equal(res->unfilled, 0);
    ys_election_result_free(res);
}

static void test_shortfall(void **state)
{
    (void)state;
    ys_rules r = provincial();
    const char *const *list = L("甲", "乙", "丙", "丁", "戊", "己");
    ys_election *e = start(&r, "vice_governor", 4, 9, list, 6);
    add_n(e, ballot(L("甲", "乙"), 2, NULL, 0, NULL, 0), 5);
    add_n(e, ballot(L("丁", "丙"), 2, NULL, 0, NULL, 0), 2);
    add_n(e, ballot(L("戊"), 1, NULL, 0, NULL, 0), 1);
    ys_election_result *res = finish(e);
    assert_int_equal(res->n_elected, 2);
    assert_int_equal(res->unfilled, 2);
    assert_true(res->has_further);
    assert_int_equal(res->further.seats, 2);
    assert_int_equal(res->further.min_candidates, 3);
    assert_int_equal(res->further.max_candidates, 5);
    assert_int_equal(res->further.n_ranked, 4);
    const char *want[] = {"丙", "丁", "戊", "己"}; /* 丙 丁 2 each: list order */
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(name_at(res, res->further.ranked, i), want[i]);
    ys_election_result_free(res);
}

static void expect_new(const ys_rules *r, ys_election_spec s, ys_rc want)
{
    ys_election *e = NULL;
    ys_err err = {0};
    assert_int_equal(ys_election_new(r, &s, &e, &err), want);
    assert_int_equal(err.rc, want);
    ys_election_free(e);
}

static void test_ratio(void **state)
{
    (void)state;
    ys_rules r = provincial();
    const char *names[80];
    char buf[80][16];
    for (int i = 0; i < 80; i++) {
        snprintf(buf[i], sizeof buf[i], "c%d", i);
        names[i] = buf[i];
    }
    ys_election_spec s = {.kind = YS_ELECTION, .office = "sc_member", .seats = 60, .entitled = 549,
                          .ballots_issued = 533, .candidates = names};
    /* 60 seats: at least 60 + 6, at most 60 + 12 (Art. 27). */
    size_t counts[] = {65, 66, 67, 71, 72, 73};
    ys_rc want[] = {YS_CANDIDATES_OUTSIDE_RATIO, 0, 0, 0, 0, YS_CANDIDATES_OUTSIDE_RATIO};
    for (size_t i = 0; i < 6; i++) {
        s.n_candidates = counts[i];
        expect_new(&r, s, want[i]);
    }
    s.office = "mayor";
    expect_new(&r, s, YS_UNKNOWN_OFFICE);
    s = (ys_election_spec){.kind = YS_ELECTION, .office = "governor", .seats = 1, .entitled = 5,
                           .ballots_issued = 6, .candidates = names, .n_candidates = 1};
    expect_new(&r, s, YS_ISSUED_EXCEEDS_ENTITLED);
    s.ballots_issued = 5;
    expect_new(&r, s, 0); /* one nominee: uncontested */
    s.candidates = L("甲", "甲");
    s.n_candidates = 2;
    expect_new(&r, s, YS_DUPLICATE_CANDIDATE);
}

static void test_preliminary(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election_spec s = {.kind = YS_PRELIMINARY, .seats = 3, .entitled = 9, .ballots_issued = 9,
                          .candidates = L("甲", "乙", "丙", "丁", "戊"), .n_candidates = 5};
    ys_election *e = NULL;
    assert_int_equal(ys_election_new(&r, &s, &e, NULL), YS_OK);
    add_n(e, ballot(L("甲", "乙", "丙"), 3, NULL, 0, NULL, 0), 2);
    add_n(e, ballot(L("甲", "丁"), 2, NULL, 0, NULL, 0), 2);
    add_n(e, ballot(L("甲", "乙", "丙", "丁"), 4, NULL, 0, NULL, 0), 1); /* void: 4 > 3 */
    ys_election_result *res = finish(e);
    /* 甲 4; 乙 丙 丁 2 each for the last two places: tied. */
    assert_int_equal(res->threshold, 0);
    assert_int_equal(res->n_elected, 1);
    assert_int_equal(res->n_tied, 3);
    assert_int_equal(res->tied_seats, 2);
    assert_false(res->has_further);
    ys_election_result_free(res);

    /* A preliminary ranks the nominees; nobody can be written in. */
    assert_int_equal(ys_election_new(&r, &s, &e, NULL), YS_OK);
    ys_ballot w = ballot(NULL, 0, NULL, 0, L("己"), 1);
    assert_int_equal(ys_election_add(e, &w, NULL, NULL), YS_WRITE_IN_NOT_ALLOWED);
    ys_election_free(e);
    s.n_candidates = 3;
    expect_new(&r, s, YS_TOO_FEW_NOMINEES);
}

/* Every allocation the engine makes can fail without a leak or a crash. */
static void test_out_of_memory(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election_spec s = {.kind = YS_ELECTION, .office = "vice_governor", .seats = 2, .entitled = 9,
                          .ballots_issued = 9, .candidates = L("甲", "乙", "丙"), .n_candidates = 3};
    ys_ballot b = ballot(L("甲"), 1, NULL, 0, L("戊"), 1);
    for (long n = 1; n < 200; n++) {
        ys_election *e = NULL;
        ys_election_result *res = NULL;
        ys_alloc_fail_after(n);
        ys_rc rc = ys_election_new(&r, &s, &e, NULL);
        if (!rc)
            rc = ys_election_add(e, &b, NULL, NULL);
        if (!rc)
            rc = ys_election_result_get(e, &res, NULL);
        ys_alloc_fail_after(0);
        if (!rc) { /* the whole count, the write-in included */
            assert_int_equal(res->ballots_valid, 1);
            assert_int_equal(res->n_candidates, 4);
            assert_int_equal(res->candidates[0].yes, 1);
            assert_true(res->candidates[3].write_in);
            assert_int_equal(res->candidates[3].yes, 1);
        }
        ys_election_result_free(res);
        ys_election_free(e);
        if (!rc) {
            assert_true(n > 1); /* the count allocates, so at least one failure was exercised */
            return;
        }
        assert_int_equal(rc, YS_NOMEM);
    }
    fail_msg("the count never finished");
}

/* ---- properties over random ballots ---- */

static uint64_t rng_state;
static uint64_t rnd(void) /* xorshift64*: our own, so every platform draws the same ballots */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}
static unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }

static const char *const pool[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸",
                                   "子", "丑", "寅", "卯"};
#define MAX_MARKS 16

typedef struct rballot {
    const char *yes[MAX_MARKS], *no[MAX_MARKS], *w[MAX_MARKS];
    size_t ny, nn, nw;
} rballot;

/* A ballot over the first n of pool: mostly well formed, sometimes over-marked or marked twice,
 * sometimes with write-ins from the rest of the pool. */
static void random_ballot(rballot *b, size_t n, int seats)
{
    memset(b, 0, sizeof *b);
    for (size_t i = 0; i < n; i++) {
        unsigned k = rnd_below(10);
        if (k < 4 && b->ny < MAX_MARKS)
            b->yes[b->ny++] = pool[i];
        else if (k < 6 && b->nn < MAX_MARKS)
            b->no[b->nn++] = pool[i];
    }
    while (b->ny > (size_t)seats && rnd_below(4))
        b->ny--;
    if (rnd_below(6) == 0 && b->nw < MAX_MARKS)
        b->w[b->nw++] = pool[n + rnd_below((unsigned)(14 - n))];
    if (rnd_below(20) == 0 && b->ny && b->nn < MAX_MARKS)
        b->no[b->nn++] = b->yes[0];
}

static ys_election_result *count_all(const ys_rules *r, const ys_election_spec *s, rballot *v,
                                     size_t nb)
{
    ys_election *e = NULL;
    assert_int_equal(ys_election_new(r, s, &e, NULL), YS_OK);
    for (size_t i = 0; i < nb; i++) {
        ys_ballot b = ballot(v[i].yes, v[i].ny, v[i].no, v[i].nn, v[i].w, v[i].nw);
        assert_int_equal(ys_election_add(e, &b, NULL, NULL), YS_OK);
    }
    return finish(e);
}

static void check_invariants(const ys_election_result *res, int entitled)
{
    assert_int_equal(res->ballots_valid + res->ballots_void, res->ballots_returned);
    assert_true(res->n_elected + (size_t)res->tied_seats <= (size_t)res->seats);
    assert_int_equal(res->unfilled, res->seats - (int)res->n_elected - res->tied_seats);
    for (size_t i = 0; i < res->n_candidates; i++) {
        const ys_candidate_count *c = &res->candidates[i];
        if (!c->write_in)
            assert_int_equal(c->yes + c->no + c->abstain, res->ballots_valid);
        if (c->elected || c->tied)
            assert_true(2 * c->yes > entitled); /* nobody below the threshold */
        assert_true(c->yes <= res->ballots_valid);
    }
    for (size_t i = 0; i + 1 < res->n_elected; i++)
        assert_true(res->candidates[res->elected[i]].yes >= res->candidates[res->elected[i + 1]].yes);
    for (size_t i = 0; i < res->n_elected; i++) /* no one left out had more votes */
        for (size_t j = 0; j < res->n_candidates; j++)
            if (!res->candidates[j].elected)
                assert_true(res->candidates[j].yes < res->candidates[res->elected[i]].yes ||
                            !res->valid);
}

static void assert_same(const ys_election_result *a, const ys_election_result *b)
{
    assert_int_equal(a->n_candidates, b->n_candidates);
    assert_int_equal(a->ballots_void, b->ballots_void);
    for (size_t i = 0; i < a->n_candidates; i++) {
        assert_string_equal(a->candidates[i].name, b->candidates[i].name);
        assert_int_equal(a->candidates[i].yes, b->candidates[i].yes);
        assert_int_equal(a->candidates[i].no, b->candidates[i].no);
        assert_int_equal(a->candidates[i].elected, b->candidates[i].elected);
        assert_int_equal(a->candidates[i].tied, b->candidates[i].tied);
    }
    assert_int_equal(a->n_elected, b->n_elected);
    assert_memory_equal(a->elected, b->elected, a->n_elected * sizeof *a->elected);
    assert_int_equal(a->n_tied, b->n_tied);
    assert_memory_equal(a->tied, b->tied, a->n_tied * sizeof *a->tied);
    assert_int_equal(a->further.n_ranked, b->further.n_ranked);
    assert_memory_equal(a->further.ranked, b->further.ranked,
                        a->further.n_ranked * sizeof *a->further.ranked);
}

static void shuffle(rballot *v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd_below((unsigned)i);
        rballot t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

static void test_properties(void **state)
{
    (void)state;
    ys_rules r = provincial();
    enum { ROUNDS = 300, MAX_BALLOTS = 120 };
    static rballot v[MAX_BALLOTS];
    for (uint64_t seed = 1; seed <= ROUNDS; seed++) {
        rng_state = seed * 0x9E3779B97F4A7C15ULL;
        int seats = 1 + (int)rnd_below(4);
        size_t n = (size_t)seats + 1 + rnd_below(3); /* vice_governor: seats + 1 to + 3 */
        int entitled = 1 + (int)rnd_below(MAX_BALLOTS);
        size_t nb = rnd_below((unsigned)entitled + 3); /* sometimes more back than issued */
        for (size_t i = 0; i < nb; i++)
            random_ballot(&v[i], n, seats);
        ys_election_spec s = {.kind = YS_ELECTION, .office = "vice_governor", .seats = seats,
                              .entitled = entitled, .ballots_issued = entitled,
                              .candidates = pool, .n_candidates = n};
        ys_election_result *a = count_all(&r, &s, v, nb);
        check_invariants(a, entitled);
        shuffle(v, nb);
        ys_election_result *b = count_all(&r, &s, v, nb);
        assert_same(a, b);
        ys_election_result_free(a);
        ys_election_result_free(b);
    }
}

/* Adds the sums of ballots v[from..to) to e, as a decryption would give them. */
static void add_sums(ys_election *e, const rballot *v, size_t from, size_t to, size_t n)
{
    int yes[16] = {0}, no[16] = {0}, wvotes[16] = {0};
    const char *wnames[16];
    size_t nw = 0;
    for (size_t i = from; i < to; i++) {
        for (size_t k = 0; k < v[i].ny; k++)
            for (size_t c = 0; c < n; c++)
                yes[c] += v[i].yes[k] == pool[c];
        for (size_t k = 0; k < v[i].nn; k++)
            for (size_t c = 0; c < n; c++)
                no[c] += v[i].no[k] == pool[c];
        for (size_t k = 0; k < v[i].nw; k++) {
            size_t at = 0;
            while (at < nw && wnames[at] != v[i].w[k])
                at++;
            if (at == nw)
                wnames[nw++] = v[i].w[k];
            wvotes[at]++;
        }
    }
    ys_election_totals t = {.ballots = (int)(to - from), .yes = yes, .no = no, .n_listed = n,
                            .write_in = wnames, .write_in_votes = wvotes, .n_write_in = nw};
    assert_int_equal(ys_election_add_totals(e, &t, NULL), YS_OK);
}

/* An encrypted election is counted from its sums (docs/verifiable.md §8): the same valid ballots, counted
 * one by one or given as sums per candidate and per write-in, give the same result. */
static void test_totals_agree(void **state)
{
    (void)state;
    ys_rules r = provincial();
    enum { ROUNDS = 200, MAX_BALLOTS = 120 };
    static rballot v[MAX_BALLOTS];
    for (uint64_t seed = 1; seed <= ROUNDS; seed++) {
        rng_state = seed * 0x2545F4914F6CDD1DULL;
        int seats = 1 + (int)rnd_below(4);
        size_t n = (size_t)seats + 1 + rnd_below(3);
        int entitled = 1 + (int)rnd_below(MAX_BALLOTS);
        size_t nb = 0;
        while (nb < (size_t)entitled) { /* valid ballots only: an encrypted ballot is never void */
            random_ballot(&v[nb], n, seats);
            bool twice = v[nb].nn && v[nb].ny && v[nb].no[v[nb].nn - 1] == v[nb].yes[0];
            if (v[nb].ny + v[nb].nw <= (size_t)seats && !twice)
                nb++;
        }
        ys_election_spec s = {.kind = YS_ELECTION, .office = "vice_governor", .seats = seats,
                              .entitled = entitled, .ballots_issued = entitled,
                              .candidates = pool, .n_candidates = n};
        ys_election_result *a = count_all(&r, &s, v, nb);
        ys_election *e = NULL;
        assert_int_equal(ys_election_new(&r, &s, &e, NULL), YS_OK);
        add_sums(e, v, 0, nb / 2, n); /* in two parts, to show that sums add up */
        add_sums(e, v, nb / 2, nb, n);
        ys_election_result *b = finish(e);
        assert_same(a, b);
        assert_int_equal(a->ballots_returned, b->ballots_returned);
        ys_election_result_free(a);
        ys_election_result_free(b);
    }
}

/* Sums that no set of valid ballots gives are refused, naming what is wrong. */
static void test_totals_refused(void **state)
{
    (void)state;
    ys_rules r = provincial();
    ys_election_spec s = {.kind = YS_ELECTION, .office = "vice_governor", .seats = 1, .entitled = 10,
                          .ballots_issued = 10, .candidates = pool, .n_candidates = 2};
    ys_election *e = NULL;
    ys_err err = {0};
    assert_int_equal(ys_election_new(&r, &s, &e, NULL), YS_OK);
    int yes[2] = {6, 5}, no[2] = {0, 0};
    ys_election_totals t = {.ballots = 10, .yes = yes, .no = no, .n_listed = 2};
    assert_int_equal(ys_election_add_totals(e, &t, &err), YS_BAD_VALUE); /* 11 yes marks for 1 seat on 10 */
    yes[1] = 4, no[1] = 7;
    assert_int_equal(ys_election_add_totals(e, &t, &err), YS_BAD_VALUE); /* 11 marks for one name on 10 */
    assert_string_equal(err.field, "yes");
    no[1] = 0;
    t.n_listed = 1;
    assert_int_equal(ys_election_add_totals(e, &t, &err), YS_BAD_VALUE);
    t.n_listed = 2;
    const char *w[1] = {pool[0]};
    int wv[1] = {0};
    t.write_in = w, t.write_in_votes = wv, t.n_write_in = 1;
    assert_int_equal(ys_election_add_totals(e, &t, &err), YS_BAD_VALUE); /* a listed name written in */
    assert_string_equal(err.field, "write_in");
    ys_election_free(e);
}

/* Resolutions: for every tally of a small assembly, passed agrees with the statute's words. */
static void test_vote_properties(void **state)
{
    (void)state;
    ys_rules r = guangdong();
    for (int all = 1; all <= 30; all++)
        for (int present = 0; present <= all; present++)
            for (int yes = 0; yes <= present; yes++) {
                int no = (present - yes) / 2, not_voted = (present - yes - no) / 3;
                ys_vote_tally t = {all, present, yes, no, present - yes - no - not_voted, not_voted};
                ys_vote_result res = vote(&r, t);
                bool quorate = 3 * present >= 2 * all;
                bool turnout = 2 * (present - not_voted) > all;
                assert_int_equal(res.quorate, quorate);
                assert_int_equal(res.passed, quorate && turnout && 2 * yes > all);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vote_549),        cmocka_unit_test(test_vote_550),
        cmocka_unit_test(test_announcement),    cmocka_unit_test(test_vote_refusals),
        cmocka_unit_test(test_two_thirds),      cmocka_unit_test(test_turnout),
        cmocka_unit_test(test_election_basic),  cmocka_unit_test(test_void_ballots),
        cmocka_unit_test(test_unknown_candidate), cmocka_unit_test(test_void_election),
        cmocka_unit_test(test_write_in_wins),   cmocka_unit_test(test_tie_at_cut),
        cmocka_unit_test(test_many_write_ins),
        cmocka_unit_test(test_shortfall),       cmocka_unit_test(test_ratio),
        cmocka_unit_test(test_preliminary),     cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_properties),      cmocka_unit_test(test_vote_properties),
        cmocka_unit_test(test_totals_agree),    cmocka_unit_test(test_totals_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
