/* test_poll.c — votes in the session: polls (named, anonymous, changeable, show of hands,
 * amendments first, quorum to open) and elections (nominations under Art. 26, the ratio of Art. 27,
 * secret ballots, ties and further rounds under Art. 29), in memory and through a session file whose
 * ballot box verify recounts. */
#include "storeutil.h"

#include "yishi/alloc.h"
#include "yishi/poll.h"


/* A session of n delegates in 12 delegations with an open plenary at which the first `present` are
 * checked in; agenda item 1 is a vote, item 2 an election. */
static void plenary(ys_session *s, int n, int present)
{
    char *csv = test_delegates_csv(n, 12);
    ys_events evs;
    ys_err err = {0};
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    assert_int_equal(test_import(s, YS_IMPORT_AGENDA, "order,kind,title\n1,vote,表决决议\n2,elect,补选\n", NULL), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    ys_events_init(&evs);
    for (int i = 1; i <= present; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs, &err), YS_OK);
    }
    assert_int_equal(test_apply(s, &evs), YS_OK);
}

#define CMD(s, call)                                                                                                  \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        ys_rc rc_ = call;                                                                                             \
        if (rc_)                                                                                                      \
            fail_msg("%s: %s", #call, err_.msg);                                                                      \
        assert_int_equal(test_apply(s, &evs_), YS_OK);                                                                \
    } while (0)
#define REFUSED(s, want, call)                                                                                        \
    do {                                                                                                              \
        ys_events evs_;                                                                                               \
        ys_err err_ = {0};                                                                                            \
        ys_events_init(&evs_);                                                                                        \
        assert_int_equal(call, want);                                                                                 \
        assert_true(err_.msg[0] != '\0');                                                                             \
        ys_events_free(&evs_);                                                                                        \
    } while (0)

static void vote(ys_session *s, int poll, int from, int to, ys_choice c)
{
    for (int i = from; i <= to; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        CMD(s, ys_cmd_poll_vote(s, &test_ctx, poll, code, c, &evs_, &err_));
    }
}

/* 地方组织法 Art. 25: more than half of all 549 delegates, 275 yes, passes; the quorum (Art. 14) gates opening. */
static void named_poll(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 549, 365);
    ys_poll_args a = {.item = 1, .title = "关于政府工作报告的决议", .method = YS_METHOD_TERMINAL, .named = true};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &a, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_)); /* 365 < 366 */
    CMD(s, ys_cmd_attendance(s, &test_ctx, 1, "D366", YS_PRESENT, NULL, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_YES, &evs_, &err_)); /* not open */
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    vote(s, 1, 1, 275, YS_CHOICE_YES);
    vote(s, 1, 276, 300, YS_CHOICE_NO);
    vote(s, 1, 301, 310, YS_CHOICE_ABSTAIN);
    REFUSED(s, YS_CONFLICT, ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_NO, &evs_, &err_));
    REFUSED(s, YS_FORBIDDEN, ys_cmd_poll_vote(s, &test_ctx, 1, "D400", YS_CHOICE_YES, &evs_, &err_)); /* absent */
    REFUSED(s, YS_NOT_FOUND, ys_cmd_poll_vote(s, &test_ctx, 1, "X", YS_CHOICE_YES, &evs_, &err_));
    CMD(s, ys_cmd_poll_close(s, &test_ctx, 1, &evs_, &err_));
    const ys_poll *p = ys_poll_get(s, 1);
    assert_int_equal(p->state, YS_POLL_CLOSED);
    assert_int_equal(p->tally.present, 366);
    assert_int_equal(p->tally.yes, 275);
    assert_int_equal(p->tally.no, 25);
    assert_int_equal(p->tally.abstain, 10);
    assert_int_equal(p->tally.not_voted, 56);
    assert_int_equal(p->result.threshold, 275);
    assert_true(p->result.passed);
    char text[512];
    ys_poll_announcement(p, text, sizeof text);
    assert_non_null(strstr(text, "应出席代表549人，出席366人，缺席183人"));
    assert_non_null(strstr(text, "赞成275票，反对25票，弃权10票，未按表决器56人。通过。"));
    /* NPC rules Art. 59: the chair announces it, once, and the log keeps what was said */
    assert_null(p->announcement);
    CMD(s, ys_cmd_poll_announce(s, &test_ctx, 1, &evs_, &err_));
    assert_string_equal(ys_poll_get(s, 1)->announcement, text);
    REFUSED(s, YS_CONFLICT, ys_cmd_poll_announce(s, &test_ctx, 1, &evs_, &err_));
    ys_session_free(s);
}

/* 274 of 549 is exactly not more than half: not passed. */
static void anonymous_poll_keeps_only_totals(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 549, 400);
    ys_poll_args a = {.item = 1, .title = "决议", .method = YS_METHOD_TERMINAL};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &a, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_NO, &evs, &err), YS_OK);
    /* the chained event says who, the sealed one what, and nothing joins them */
    assert_int_equal(evs.n, 2);
    assert_string_equal(evs.v[0].type, "poll.cast");
    assert_false(evs.v[0].sealed);
    assert_null(json_object_get(evs.v[0].payload, "choice"));
    assert_true(evs.v[1].sealed);
    assert_null(json_object_get(evs.v[1].payload, "delegate"));
    assert_int_equal(test_apply(s, &evs), YS_OK);
    REFUSED(s, YS_INVALID, ys_cmd_poll_create(s, &test_ctx, &((ys_poll_args){.title = "x", .method = YS_METHOD_TERMINAL,
                                                                           .changeable = true}), &evs_, &err_));
    vote(s, 1, 2, 275, YS_CHOICE_YES); /* 274 yes */
    CMD(s, ys_cmd_poll_close(s, &test_ctx, 1, &evs_, &err_));
    const ys_poll *p = ys_poll_get(s, 1);
    assert_int_equal(p->tally.yes, 274);
    assert_int_equal(p->tally.no, 1);
    assert_int_equal(p->tally.not_voted, 125);
    assert_false(p->result.passed);
    ys_session_free(s);
}

static void changeable_and_show_of_hands(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-county");
    plenary(s, 30, 25);
    ys_poll_args a = {.item = 1, .title = "可改", .method = YS_METHOD_TERMINAL, .named = true, .changeable = true};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &a, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    vote(s, 1, 1, 10, YS_CHOICE_NO);
    vote(s, 1, 1, 16, YS_CHOICE_YES); /* ten change their minds */
    REFUSED(s, YS_CONFLICT, ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_YES, &evs_, &err_));
    CMD(s, ys_cmd_poll_close(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(ys_poll_get(s, 1)->tally.yes, 16);
    assert_int_equal(ys_poll_get(s, 1)->tally.no, 0);
    assert_true(ys_poll_get(s, 1)->result.passed); /* 16 > 30/2 */
    ys_poll_args h = {.item = 1, .title = "举手", .method = YS_METHOD_SHOW_OF_HANDS};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &h, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 2, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_poll_vote(s, &test_ctx, 2, "D1", YS_CHOICE_YES, &evs_, &err_));
    ys_totals_args over = {20, 5, 1, false, NULL}, first = {14, 8, 2, false, NULL}, again = {15, 8, 2, false, NULL};
    REFUSED(s, YS_INVALID, ys_cmd_poll_totals(s, &test_ctx, 2, &over, &evs_, &err_)); /* 26 > 25 present */
    ys_totals_args nothing_yet = {15, 8, 2, true, "点错"};
    REFUSED(s, YS_STATE, ys_cmd_poll_totals(s, &test_ctx, 2, &nothing_yet, &evs_, &err_));
    CMD(s, ys_cmd_poll_totals(s, &test_ctx, 2, &first, &evs_, &err_));
    /* A second entry does not silently replace the first: it is a correction, with its reason. */
    REFUSED(s, YS_CONFLICT, ys_cmd_poll_totals(s, &test_ctx, 2, &again, &evs_, &err_));
    ys_totals_args no_reason = {15, 8, 2, true, "  "}, same = {14, 8, 2, true, "重数"};
    REFUSED(s, YS_INVALID, ys_cmd_poll_totals(s, &test_ctx, 2, &no_reason, &evs_, &err_));
    REFUSED(s, YS_CONFLICT, ys_cmd_poll_totals(s, &test_ctx, 2, &same, &evs_, &err_));
    assert_int_equal(ys_poll_get(s, 2)->yes, 14);
    ys_totals_args fix = {15, 8, 2, true, "计票员漏计一票"};
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_poll_totals(s, &test_ctx, 2, &fix, &evs, &err), YS_OK);
    const json_t *pl = evs.v[0].payload;
    assert_string_equal(json_string_value(json_object_get(pl, "reason")), "计票员漏计一票");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pl, "replaces"), "yes")), 14);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    assert_int_equal(ys_poll_get(s, 2)->yes, 15);
    CMD(s, ys_cmd_poll_close(s, &test_ctx, 2, &evs_, &err_));
    assert_int_equal(ys_poll_get(s, 2)->tally.not_voted, 0);
    assert_false(ys_poll_get(s, 2)->result.passed); /* 15 is exactly half of 30 */
    ys_session_free(s);
}

/* The fold of tellers' totals from the log: a correction must name the totals in force, and a log
 * written before corrections existed, with a second entry and no correction, still replays. */
static ys_rc poll_event(ys_session *s, const char *type, const char *payload)
{
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_events_add(&evs, test_ctx.time, test_ctx.actor, type, json_loads(payload, 0, NULL), &err),
                     YS_OK);
    return test_apply(s, &evs);
}

static void totals_corrections_in_the_log(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-county");
    plenary(s, 30, 25);
    ys_poll_args h = {.item = 1, .title = "举手", .method = YS_METHOD_SHOW_OF_HANDS};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &h, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(poll_event(s, "poll.totals", "{\"poll\":1,\"yes\":10,\"no\":2,\"abstain\":1}"), YS_OK);
    assert_int_equal(poll_event(s, "poll.totals", "{\"poll\":1,\"yes\":11,\"no\":2,\"abstain\":1}"), YS_OK); /* an old log */
    assert_int_equal(ys_poll_get(s, 1)->yes, 11);
    assert_int_equal(poll_event(s, "poll.totals", "{\"poll\":1,\"yes\":12,\"no\":2,\"abstain\":1,\"correct\":true,"
                                     "\"reason\":\"漏计\",\"replaces\":{\"yes\":10,\"no\":2,\"abstain\":1}}"),
                     YS_CORRUPT);
    assert_int_equal(poll_event(s, "poll.totals", "{\"poll\":1,\"yes\":12,\"no\":2,\"abstain\":1,\"correct\":true,"
                                     "\"replaces\":{\"yes\":11,\"no\":2,\"abstain\":1}}"),
                     YS_CORRUPT); /* no reason */
    assert_int_equal(poll_event(s, "poll.totals", "{\"poll\":1,\"yes\":12,\"no\":2,\"abstain\":1,\"correct\":true,"
                                     "\"reason\":\"漏计\",\"replaces\":{\"yes\":11,\"no\":2,\"abstain\":1}}"),
                     YS_OK);
    assert_int_equal(ys_poll_get(s, 1)->yes, 12);
    ys_session_free(s);
}

/* 粤规 Art. 61: 「有书面修正案的，先表决修正案」. */
static void amendments_first(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 30, 30);
    ys_poll_args motion = {.item = 1, .title = "议案", .method = YS_METHOD_TERMINAL};
    ys_poll_args amendment = {.item = 1, .title = "修正案", .method = YS_METHOD_TERMINAL, .amends = 1};
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &motion, &evs_, &err_));
    CMD(s, ys_cmd_poll_create(s, &test_ctx, &amendment, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 2, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_)); /* one vote at a time */
    REFUSED(s, YS_STATE, ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_)); /* not under a vote */
    CMD(s, ys_cmd_poll_close(s, &test_ctx, 2, &evs_, &err_));
    CMD(s, ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    REFUSED(s, YS_INVALID, ys_cmd_poll_create(s, &test_ctx, &((ys_poll_args){.title = "宪", .method = YS_METHOD_TERMINAL,
                                                                           .majority = YS_MAJORITY_TWO_THIRDS}),
                                              &evs_, &err_)); /* no constitutional rule at provincial level */
    ys_session_free(s);
}

static void nominate(ys_session *s, int election, const char *name, int first, int n)
{
    const char *codes[64];
    char buf[64][16];
    for (int i = 0; i < n; i++) {
        snprintf(buf[i], sizeof buf[i], "D%d", first + i);
        codes[i] = buf[i];
    }
    CMD(s, ys_cmd_election_nominate(s, &test_ctx, election, name, n ? codes : NULL, (size_t)n, &evs_, &err_));
}

static void ballot(ys_session *s, int election, int voter, const char *const *yes, size_t n_yes)
{
    char code[16];
    ys_ballot b = {.yes = yes, .n_yes = n_yes};
    snprintf(code, sizeof code, "D%d", voter);
    CMD(s, ys_cmd_election_vote(s, &test_ctx, election, code, &b, &evs_, &err_));
}

/* Art. 26 nominations, Art. 27 ratio (vice-governors: seats + 1 to + 3), Art. 29 majority of all, ties. */
static void election_most_votes_win(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 100, 90);
    ys_election_args a = {.item = 2, .kind = YS_ELECTION, .office = "vice_governor", .seats = 2};
    CMD(s, ys_cmd_election_create(s, &test_ctx, &a, &evs_, &err_));
    nominate(s, 1, "甲", 0, 0);
    nominate(s, 1, "乙", 0, 0);
    ys_events e0;
    ys_err r0 = {0};
    ys_events_init(&e0);
    assert_int_equal(ys_cmd_election_nominate(s, &test_ctx, 1, "丙", NULL, 0, &e0, &r0), YS_CONFLICT); /* > seats */
    REFUSED(s, YS_STATE, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_)); /* 2 for 2: below seats + 1 */
    nominate(s, 1, "丙", 1, 30); /* thirty co-signers (Art. 26) */
    nominate(s, 1, "丁", 1, 30);
    const char *few[] = {"D31", "D32"};
    REFUSED(s, YS_INVALID, ys_cmd_election_nominate(s, &test_ctx, 1, "戊", few, 2, &evs_, &err_));
    REFUSED(s, YS_CONFLICT, ys_cmd_election_nominate(s, &test_ctx, 1, "戊", (const char *const[]){"D1"}, 1, &evs_, &err_));
    CMD(s, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(ys_session_election_get(s, 1)->issued, 90);
    /* a delegate who arrives after the ballots were issued has none to hand in (选举法 Art. 44) */
    CMD(s, ys_cmd_attendance(s, &test_ctx, 1, "D95", YS_PRESENT, NULL, &evs_, &err_));
    REFUSED(s, YS_FORBIDDEN, ys_cmd_election_vote(s, &test_ctx, 1, "D95", &((ys_ballot){0}), &evs_, &err_));
    const char *v1[] = {"甲", "乙"}, *v2[] = {"甲", "丙"}, *v3[] = {"乙", "丙"};
    for (int i = 1; i <= 60; i++)
        ballot(s, 1, i, v1, 2);
    for (int i = 61; i <= 85; i++)
        ballot(s, 1, i, i <= 73 ? v2 : v3, 2);
    REFUSED(s, YS_CONFLICT, ys_cmd_election_vote(s, &test_ctx, 1, "D1", &((ys_ballot){0}), &evs_, &err_));
    REFUSED(s, YS_INVALID, ys_cmd_election_vote(s, &test_ctx, 1, "D86", &((ys_ballot){.yes = (const char *[]){"己"},
                                                .n_yes = 1}), &evs_, &err_)); /* not a candidate: write it in */
    CMD(s, ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    const ys_session_election *el = ys_session_election_get(s, 1);
    assert_int_equal(el->state, YS_POLL_CLOSED);
    /* 甲 73, 乙 72 elected (> 50 of 100); 丙 25 */
    json_t *elected = json_object_get(el->result, "elected");
    assert_int_equal(json_array_size(elected), 2);
    assert_string_equal(json_string_value(json_array_get(elected, 0)), "甲");
    assert_int_equal(json_integer_value(json_object_get(el->result, "threshold")), 51);
    REFUSED(s, YS_STATE, ys_cmd_election_next_round(s, &test_ctx, 1, true, &evs_, &err_));
    REFUSED(s, YS_STATE, ys_cmd_election_next_round(s, &test_ctx, 1, false, &evs_, &err_));
    CMD(s, ys_cmd_election_announce(s, &test_ctx, 1, &evs_, &err_));
    assert_string_equal(ys_session_election_get(s, 1)->announcement,
                        "选举副省长：应到代表100人，发出选票90张，收回选票85张，其中有效票85张，无效票0张。"
                        "本次选举有效。甲得赞成票73张，当选。乙得赞成票72张，当选。");
    ys_session_free(s);
}

/* Art. 29: a shortfall goes to a further round with the not-elected in first-round order. */
static void shortfall_goes_to_a_further_round(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 100, 90);
    ys_election_args a = {.item = 2, .kind = YS_ELECTION, .office = "vice_governor", .seats = 3};
    CMD(s, ys_cmd_election_create(s, &test_ctx, &a, &evs_, &err_));
    nominate(s, 1, "甲", 0, 0), nominate(s, 1, "乙", 0, 0), nominate(s, 1, "丙", 0, 0);
    nominate(s, 1, "丁", 1, 30), nominate(s, 1, "戊", 31, 30);
    CMD(s, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    const char *v1[] = {"甲", "乙", "丁"}, *v2[] = {"丙", "戊"}, *v3[] = {"丁"};
    for (int i = 1; i <= 55; i++)
        ballot(s, 1, i, v1, 3); /* 甲 55, 乙 55, 丁 55 + … */
    for (int i = 56; i <= 80; i++)
        ballot(s, 1, i, v2, 2); /* 丙 25, 戊 25 */
    for (int i = 81; i <= 85; i++)
        ballot(s, 1, i, v3, 1); /* 丁 60 */
    CMD(s, ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    assert_int_equal(json_array_size(json_object_get(ys_session_election_get(s, 1)->result, "elected")), 3);
    ys_session_free(s);

    s = test_session("prc-provincial");
    plenary(s, 100, 90);
    CMD(s, ys_cmd_election_create(s, &test_ctx, &a, &evs_, &err_));
    nominate(s, 1, "甲", 0, 0), nominate(s, 1, "乙", 0, 0), nominate(s, 1, "丙", 0, 0);
    nominate(s, 1, "丁", 1, 30), nominate(s, 1, "戊", 31, 30);
    CMD(s, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    for (int i = 1; i <= 55; i++)
        ballot(s, 1, i, (const char *[]){"甲"}, 1);
    for (int i = 56; i <= 85; i++)
        ballot(s, 1, i, (const char *[]){"乙", "丙", "戊"}, 3); /* 乙 丙 戊 30 each: short of 51 */
    CMD(s, ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    const json_t *res = ys_session_election_get(s, 1)->result;
    assert_int_equal(json_integer_value(json_object_get(res, "unfilled")), 2);
    CMD(s, ys_cmd_election_next_round(s, &test_ctx, 1, false, &evs_, &err_));
    const ys_session_election *next = ys_session_election_get(s, 2);
    assert_int_equal(next->seats, 2);
    assert_int_equal(next->round, YS_ROUND_FURTHER);
    assert_int_equal(next->round_of, 1);
    assert_true(next->n_nominees >= 3);
    assert_string_equal(next->nominees[0].name, "乙"); /* first-round order: 乙 丙 戊 (30 each, list order), 丁 0 */
    assert_string_equal(next->nominees[0].by, "further_round");
    CMD(s, ys_cmd_election_open(s, &test_ctx, 2, &evs_, &err_));
    ys_session_free(s);
}

/* Art. 29: 「如遇票数相等不能确定当选人时，应当就票数相等的人再次投票，以得票多的当选」. */
static void tie_at_the_cut_goes_to_a_new_vote(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 100, 100);
    ys_election_args a = {.item = 2, .kind = YS_ELECTION, .office = "vice_governor", .seats = 2};
    CMD(s, ys_cmd_election_create(s, &test_ctx, &a, &evs_, &err_));
    nominate(s, 1, "甲", 0, 0), nominate(s, 1, "乙", 0, 0), nominate(s, 1, "丙", 1, 30);
    CMD(s, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    for (int i = 1; i <= 100; i++) { /* 甲 70, 乙 60, 丙 60: 甲 elected, 乙 and 丙 tied for the other seat */
        const char *a1 = i <= 60 || i > 90 ? "甲" : "乙", *a2 = i <= 30 ? "乙" : "丙";
        ballot(s, 1, i, (const char *[]){a1, a2}, i > 90 ? 1 : 2);
    }
    CMD(s, ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    const json_t *res = ys_session_election_get(s, 1)->result;
    assert_int_equal(json_integer_value(json_object_get(res, "tied_seats")), 1);
    CMD(s, ys_cmd_election_next_round(s, &test_ctx, 1, true, &evs_, &err_));
    const ys_session_election *again = ys_session_election_get(s, 2);
    assert_int_equal(again->round, YS_ROUND_RUNOFF);
    assert_int_equal(again->seats, 1);
    assert_int_equal(again->n_nominees, 2);
    CMD(s, ys_cmd_election_open(s, &test_ctx, 2, &evs_, &err_)); /* two for one seat: no ratio applies */
    for (int i = 1; i <= 50; i++)
        ballot(s, 2, i, (const char *[]){i <= 30 ? "乙" : "丙"}, 1);
    CMD(s, ys_cmd_election_close(s, &test_ctx, 2, &evs_, &err_));
    res = ys_session_election_get(s, 2)->result;
    /* 30 of 100 is no majority of all, but the new vote is decided by the most votes */
    assert_string_equal(json_string_value(json_array_get(json_object_get(res, "elected"), 0)), "乙");
    assert_int_equal(json_integer_value(json_object_get(res, "threshold")), 1);
    ys_session_free(s);
}

/* Art. 27: more nominees than the list allows → a preliminary ranks them; the top ones stand. */
static void preliminary_then_election(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    plenary(s, 100, 95);
    ys_election_args too_many = {.item = 2, .kind = YS_ELECTION, .office = "vice_governor", .seats = 3};
    CMD(s, ys_cmd_election_create(s, &test_ctx, &too_many, &evs_, &err_));
    nominate(s, 1, "甲", 0, 0), nominate(s, 1, "乙", 0, 0), nominate(s, 1, "丙", 0, 0);
    nominate(s, 1, "丁", 1, 30), nominate(s, 1, "戊", 31, 30), nominate(s, 1, "己", 61, 30), nominate(s, 1, "庚", 1, 30);
    REFUSED(s, YS_STATE, ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_)); /* 7 for 3: above seats + 3 */
    ys_election_args pre = {.item = 2, .kind = YS_PRELIMINARY, .office = "vice_governor", .seats = 4, .office_seats = 3};
    CMD(s, ys_cmd_election_create(s, &test_ctx, &pre, &evs_, &err_));
    const char *names[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚"};
    for (int i = 0; i < 7; i++)
        nominate(s, 2, names[i], i < 3 ? 0 : 1 + 30 * (i - 3) % 90, i < 3 ? 0 : 30);
    CMD(s, ys_cmd_election_open(s, &test_ctx, 2, &evs_, &err_));
    for (int i = 1; i <= 90; i++) /* 甲乙丙 90 each, 丁 60, 戊 30, 己 0, 庚 0 (rounds of 3 names) */
        ballot(s, 2, i, (const char *[]){"甲", "乙", "丙", i <= 60 ? "丁" : "戊"}, 4);
    CMD(s, ys_cmd_election_close(s, &test_ctx, 2, &evs_, &err_));
    json_t *formal = json_object_get(ys_session_election_get(s, 2)->result, "formal");
    assert_int_equal(json_array_size(formal), 4);
    CMD(s, ys_cmd_election_next_round(s, &test_ctx, 2, false, &evs_, &err_));
    const ys_session_election *el = ys_session_election_get(s, 3);
    assert_int_equal(el->kind, YS_ELECTION);
    assert_int_equal(el->seats, 3);
    assert_int_equal(el->n_nominees, 4);
    assert_string_equal(el->nominees[3].name, "丁");
    assert_string_equal(el->nominees[0].by, "preliminary");
    CMD(s, ys_cmd_election_open(s, &test_ctx, 3, &evs_, &err_)); /* 4 for 3: inside the ratio */
    ys_session_free(s);
}

/* The whole path through a session file: a reopened file resumes an open secret ballot from its box,
 * verify recounts every closed vote, and a changed ballot in the box is caught. */
static void ballot_box_on_disk(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    ys_rules *r = test_rules("prc-county");
    ys_init_args ia = {"某县人民代表大会", "第十八届", "第三次会议", r};
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
#define J(call)                                                                                                       \
    do {                                                                                                              \
        ys_events_init(&evs);                                                                                         \
        ys_rc rc_ = call;                                                                                             \
        if (rc_)                                                                                                      \
            fail_msg("%s: %s", #call, err.msg);                                                                       \
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);                                                    \
    } while (0)
    J(ys_cmd_init(j->session, &test_ctx, &ia, &evs, &err));
    ys_rules_free(r);
    char *csv = test_delegates_csv(40, 4);
    ys_csv *c = NULL;
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(ys_csv_parse(csv, strlen(csv), &c, &d), YS_OK);
    J(ys_cmd_import(j->session, &test_ctx, YS_IMPORT_DELEGATES, c, &evs, &d));
    ys_csv_free(c);
    ys_free(csv);
    J(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err));
    for (int i = 1; i <= 36; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        J(ys_cmd_attendance(j->session, &test_ctx, 1, code, YS_PRESENT, NULL, &evs, &err));
    }
    ys_poll_args pa = {.title = "决议", .method = YS_METHOD_TERMINAL};
    J(ys_cmd_poll_create(j->session, &test_ctx, &pa, &evs, &err));
    J(ys_cmd_poll_open(j->session, &test_ctx, 1, &evs, &err));
    for (int i = 1; i <= 30; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        J(ys_cmd_poll_vote(j->session, &test_ctx, 1, code, i <= 25 ? YS_CHOICE_YES : YS_CHOICE_NO, &evs, &err));
    }
    J(ys_cmd_poll_close(j->session, &test_ctx, 1, &evs, &err));
    assert_true(ys_poll_get(j->session, 1)->result.passed);
    ys_election_args ea = {.kind = YS_ELECTION, .office = "governor", .seats = 1};
    J(ys_cmd_election_create(j->session, &test_ctx, &ea, &evs, &err));
    J(ys_cmd_election_nominate(j->session, &test_ctx, 1, "张县长", NULL, 0, &evs, &err));
    const char *cos[10] = {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"};
    J(ys_cmd_election_nominate(j->session, &test_ctx, 1, "李县长", cos, 10, &evs, &err));
    J(ys_cmd_election_open(j->session, &test_ctx, 1, &evs, &err));
    for (int i = 1; i <= 20; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        ys_ballot b = {.yes = (const char *[]){i % 4 ? "张县长" : "李县长"}, .n_yes = 1};
        J(ys_cmd_election_vote(j->session, &test_ctx, 1, code, &b, &evs, &err));
    }
    /* the writer stops mid-ballot; a reopened file resumes the count from the box */
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    assert_int_equal(ys_session_election_get(j->session, 1)->n_box, 20);
    for (int i = 21; i <= 30; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        ys_ballot b = {.yes = (const char *[]){"张县长"}, .n_yes = 1, .write_in = (const char *[]){"王某"}, .n_write_in = i == 30};
        J(ys_cmd_election_vote(j->session, &test_ctx, 1, code, &b, &evs, &err));
    }
    J(ys_cmd_election_close(j->session, &test_ctx, 1, &evs, &err));
    const json_t *res = ys_session_election_get(j->session, 1)->result;
    assert_int_equal(json_integer_value(json_object_get(res, "ballots_void")), 1); /* two yes marks for one seat */
    assert_string_equal(json_string_value(json_array_get(json_object_get(res, "elected"), 0)), "张县长");
    ys_journal_close(j);

    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("verify: %s", rep.reason);

    /* nothing in the log or the projections says how anyone voted */
    char *v = NULL;
    assert_true(test_store_sql_value(path, "SELECT count(*) FROM events WHERE payload LIKE '%县长%' AND type <> "
                                     "'election.nominate' AND type <> 'election.close' AND type <> 'session.init'", NULL,
                                     &v));
    assert_string_equal(v, "0");
    ys_free(v);
    assert_true(test_store_sql_value(path, "SELECT count(*) FROM poll_votes WHERE choice IS NOT NULL", NULL, &v));
    assert_string_equal(v, "0");
    ys_free(v);
    /* one ballot in the box changed: verify names the close event of its election */
    assert_true(test_store_sql(path, "UPDATE ballot_box SET content = replace(content, '李县长', '张县长') WHERE id = "
                               "(SELECT id FROM ballot_box WHERE content LIKE '%李县长%' LIMIT 1)", NULL));
    assert_true(test_store_sql_value(path, "SELECT seq FROM events WHERE type = 'election.close'", NULL, &v));
    int64_t close_seq = strtoll(v, NULL, 10);
    ys_free(v);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_false(rep.ok);
    assert_int_equal(rep.bad_seq, close_seq);
    test_store_remove(path);
    ys_free(path);
}

/* A whole vote with the n-th allocation failing, for every n: each step either happens or is refused
 * with YS_NOMEM, and nothing leaks (ASan) or crashes. */
static ys_rc vote_under_pressure(long fail_at)
{
    ys_session *s = test_session("prc-county");
    ys_events evs;
    ys_err err = {0};
    ys_rc rc = YS_OK;
    plenary(s, 30, 30);
    ys_alloc_fail_after(fail_at); /* from here on: the set-up above is not what is tested */
    ys_poll_args pa = {.item = 1, .title = "决议", .method = YS_METHOD_TERMINAL};
    ys_election_args ea = {.item = 2, .kind = YS_ELECTION, .office = "governor", .seats = 1};
    const char *yes[] = {"甲"};
    ys_ballot b = {.yes = yes, .n_yes = 1};
#define STEP(call)                                                                                                    \
    do {                                                                                                              \
        ys_events_init(&evs);                                                                                         \
        if (!rc && !(rc = (call)))                                                                                    \
            rc = test_apply(s, &evs);                                                                                 \
        ys_events_free(&evs);                                                                                         \
    } while (0)
    STEP(ys_cmd_poll_create(s, &test_ctx, &pa, &evs, &err));
    STEP(ys_cmd_poll_open(s, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_poll_vote(s, &test_ctx, 1, "D1", YS_CHOICE_YES, &evs, &err));
    STEP(ys_cmd_poll_close(s, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_poll_announce(s, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_election_create(s, &test_ctx, &ea, &evs, &err));
    STEP(ys_cmd_election_nominate(s, &test_ctx, 1, "甲", NULL, 0, &evs, &err));
    STEP(ys_cmd_election_open(s, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_election_vote(s, &test_ctx, 1, "D2", &b, &evs, &err));
    STEP(ys_cmd_election_close(s, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_election_announce(s, &test_ctx, 1, &evs, &err));
#undef STEP
    ys_alloc_fail_after(0);
    if (!rc) { /* every step happened: the vote and the election are closed, counted and announced */
        const ys_poll *p = ys_poll_get(s, 1);
        const ys_session_election *el = ys_session_election_get(s, 1);
        assert_int_equal(p->state, YS_POLL_CLOSED);
        assert_int_equal(p->tally.yes, 1);
        assert_non_null(p->announcement);
        assert_int_equal(el->state, YS_POLL_CLOSED);
        assert_int_equal(el->returned, 1);
        assert_non_null(strstr(el->announcement, "甲得赞成票1张"));
    }
    ys_session_free(s);
    return rc;
}

static void votes_survive_allocation_failures(void **state)
{
    (void)state;
    test_json_count_faults();
    long in_json = test_json_faults.failed;
    for (long n = 1; n < 5000; n++) {
        long before = test_json_faults.failed;
        ys_rc rc = vote_under_pressure(n);
        if (rc == YS_OK) {
            assert_true(n > 10); /* the steps allocate, so failures were exercised before it got through */
            in_json = test_json_faults.failed - in_json;
            print_message("a vote and an election: %ld allocation points, %ld of them in jansson\n", n - 1, in_json);
            assert_true(in_json > n / 4); /* jansson builds every payload: most points are its */
            return;
        }
        assert_int_equal(rc, YS_NOMEM); /* also when the allocation that failed was jansson's */
        assert_true(test_json_faults.failed - before <= 1);
    }
    fail_msg("the vote never got through");
}

/* One table gives a state's word (API, command line) and its phrase (messages); both ways agree. */
static void state_and_majority_words(void **state)
{
    (void)state;
    assert_string_equal(ys_poll_state_word(YS_POLL_CREATED), "created");
    assert_string_equal(ys_poll_state_word(YS_POLL_OPEN), "open");
    assert_string_equal(ys_poll_state_word(YS_POLL_CLOSED), "closed");
    assert_string_equal(ys_poll_state_phrase(YS_POLL_CREATED), "not open yet");
    assert_string_equal(ys_poll_state_word((ys_poll_state)0), "?");
    assert_string_equal(ys_poll_state_phrase((ys_poll_state)(YS_POLL_CLOSED + 1)), "?");
    ys_majority m = YS_MAJORITY_SIMPLE;
    assert_true(ys_majority_parse("two_thirds", &m));
    assert_int_equal(m, YS_MAJORITY_TWO_THIRDS);
    assert_string_equal(ys_majority_word(m), "two_thirds");
    assert_true(ys_majority_parse("simple", &m));
    assert_int_equal(m, YS_MAJORITY_SIMPLE);
    assert_string_equal(ys_majority_word(m), "simple");
    assert_false(ys_majority_parse("Simple", &m));
    assert_false(ys_majority_parse(NULL, &m));
    assert_int_equal(m, YS_MAJORITY_SIMPLE);
    assert_string_equal(ys_majority_word((ys_majority)7), "?");
}

/* One table of methods (rules.c) and one of choices (poll.c) give the word both ways; a poll is never by
 * secret ballot, whether asked for or found in the log. */
static void method_and_choice_words(void **state)
{
    (void)state;
    static const char *const methods[] = {"terminal", "show_of_hands", "paper", "secret_ballot"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        assert_string_equal(ys_method_word(ys_method_parse(methods[i])), methods[i]);
    assert_int_equal(ys_method_parse("show_of_hands"), YS_METHOD_SHOW_OF_HANDS);
    assert_int_equal(ys_method_parse("vote"), 0);
    assert_int_equal(ys_method_parse(NULL), 0);
    assert_string_equal(ys_method_word((ys_method)0), "?");
    static const char *const choices[][2] = {{"yes", "赞成"}, {"no", "反对"}, {"abstain", "弃权"}};
    for (int i = 0; i < 3; i++) {
        ys_choice c = 0, z = 0;
        ys_err err = {0};
        assert_int_equal(ys_choice_parse(choices[i][0], &c, &err), YS_OK);
        assert_int_equal(ys_choice_parse(choices[i][1], &z, &err), YS_OK);
        assert_int_equal(c, YS_CHOICE_YES + i);
        assert_int_equal(z, c);
        assert_string_equal(ys_choice_word(c), choices[i][0]);
        assert_string_equal(ys_choice_zh(c), choices[i][1]);
    }
    assert_string_equal(ys_choice_word((ys_choice)0), "?");
    assert_string_equal(ys_choice_zh((ys_choice)(YS_CHOICE_ABSTAIN + 1)), "?");
    ys_session *s = test_session("prc-county");
    plenary(s, 30, 25);
    ys_poll_args secret = {.title = "决议", .method = YS_METHOD_SECRET_BALLOT};
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_poll_create(s, &test_ctx, &secret, &evs, &err), YS_INVALID);
    ys_events_free(&evs);
    assert_int_equal(poll_event(s, "poll.create", "{\"id\":1,\"item\":0,\"title\":\"决议\",\"majority\":\"simple\","
                                                  "\"method\":\"secret_ballot\",\"named\":false,\"changeable\":false,"
                                                  "\"amends\":0}"),
                     YS_CORRUPT);
    assert_int_equal(poll_event(s, "poll.create", "{\"id\":1,\"item\":0,\"title\":\"决议\",\"majority\":\"simple\","
                                                  "\"method\":\"paper\",\"named\":false,\"changeable\":false,"
                                                  "\"amends\":0}"),
                     YS_OK);
    assert_int_equal(ys_poll_get(s, 1)->method, YS_METHOD_PAPER);
    ys_session_free(s);
}

/* Commits what a command emitted; the test fails, naming the command, if it was refused. */
static void file_step(ys_journal *j, ys_rc rc, ys_events *evs, ys_err *err)
{
    if (rc)
        fail_msg("refused: %s", err->msg);
    assert_int_equal(ys_journal_commit(j, evs, err), YS_OK);
}

/* A session file with an election closed (its result is in the state digest) and a poll open; *digest
 * gets the state that verify replays from it. */
static char *file_with_open_poll(uint8_t digest[YS_HASH_BYTES])
{
    ys_verify_report rep;
    char *path = test_store_new(), *csv = test_delegates_csv(30, 3);
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    ys_csv *c = NULL;
    ys_diags d;
    ys_rules *r = test_rules("prc-county");
    ys_init_args ia = {"某县人民代表大会", "第十八届", "第三次会议", r};
    ys_election_args ea = {.kind = YS_ELECTION, .office = "governor", .seats = 1};
    ys_poll_args pa = {.title = "决议", .method = YS_METHOD_TERMINAL};
    ys_ballot b = {.yes = (const char *[]){"甲"}, .n_yes = 1};
    ys_diags_init(&d);
    assert_int_equal(ys_csv_parse(csv, strlen(csv), &c, &d), YS_OK);
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
#define STEP(call) (ys_events_init(&evs), file_step(j, (call), &evs, &err))
    STEP(ys_cmd_init(j->session, &test_ctx, &ia, &evs, &err));
    STEP(ys_cmd_import(j->session, &test_ctx, YS_IMPORT_DELEGATES, c, &evs, &d));
    STEP(ys_cmd_meeting_open(j->session, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs, &err));
    for (int i = 1; i <= 30; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        STEP(ys_cmd_attendance(j->session, &test_ctx, 1, code, YS_PRESENT, NULL, &evs, &err));
    }
    STEP(ys_cmd_election_create(j->session, &test_ctx, &ea, &evs, &err));
    STEP(ys_cmd_election_nominate(j->session, &test_ctx, 1, "甲", NULL, 0, &evs, &err));
    STEP(ys_cmd_election_open(j->session, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_election_vote(j->session, &test_ctx, 1, "D2", &b, &evs, &err));
    STEP(ys_cmd_election_close(j->session, &test_ctx, 1, &evs, &err));
    STEP(ys_cmd_poll_create(j->session, &test_ctx, &pa, &evs, &err));
    STEP(ys_cmd_poll_open(j->session, &test_ctx, 1, &evs, &err));
#undef STEP
    ys_journal_close(j);
    ys_rules_free(r);
    ys_csv_free(c);
    ys_diags_free(&d);
    ys_free(csv);
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    assert_true(rep.ok);
    memcpy(digest, rep.digest, YS_HASH_BYTES);
    return path;
}

/* One vote through the file with the n-th allocation failing, for every n: it is committed whole or
 * refused with YS_NOMEM leaving the file as it was, the file always verifies (its checkpoints were
 * written from a whole state digest), and the state in memory is the file's. */
static void votes_on_file_survive_allocation_failures(void **state)
{
    (void)state;
    uint8_t before[YS_HASH_BYTES];
    char *path = file_with_open_poll(before);
    ys_verify_report rep;
    ys_err err = {0};
    test_json_count_faults();
    long in_json = test_json_faults.failed, n;
    ys_rc rc = YS_NOMEM;
    for (n = 1; rc && n < 3000; n++) {
        ys_journal *j = NULL;
        ys_events evs;
        uint8_t live[YS_HASH_BYTES];
        ys_events_init(&evs);
        assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
        ys_alloc_fail_after(n);
        rc = ys_cmd_poll_vote(j->session, &test_ctx, 1, "D1", YS_CHOICE_YES, &evs, &err);
        if (!rc)
            rc = ys_journal_commit(j, &evs, &err);
        ys_alloc_fail_after(0);
        ys_events_free(&evs);
        if (rc != YS_OK && rc != YS_NOMEM)
            fail_msg("fail at %ld: %s", n, err.msg);
        bool stale = j->stale;
        ys_session_digest(j->session, live);
        ys_journal_close(j);
        assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
        if (!rep.ok)
            fail_msg("fail at %ld: the file does not verify: %s", n, rep.reason);
        if (!stale)
            assert_memory_equal(live, rep.digest, YS_HASH_BYTES);
        if (rc)
            assert_memory_equal(before, rep.digest, YS_HASH_BYTES); /* nothing of the vote was written */
    }
    assert_int_equal(rc, YS_OK);
    assert_true(test_json_faults.failed - in_json > 0);
    print_message("a vote through a file: %ld allocation points, %ld of them in jansson\n", n - 2,
                  test_json_faults.failed - in_json);
    test_store_remove(path);
    ys_free(path);
}

/* Opening replays every event and ballot from JSON: with the n-th allocation failing the file is refused
 * as out of memory, never called corrupt, and once it opens its state is the file's. */
static void replay_survives_allocation_failures(void **state)
{
    (void)state;
    uint8_t digest[YS_HASH_BYTES];
    char *path = file_with_open_poll(digest);
    ys_err err = {0};
    ys_rc rc = YS_NOMEM;
    long n;
    for (n = 1; rc && n < 20000; n++) {
        ys_journal *j = NULL;
        ys_alloc_fail_after(n);
        rc = ys_journal_open(path, YS_STORE_READONLY, &j, &err);
        ys_alloc_fail_after(0);
        if (rc != YS_OK && rc != YS_NOMEM)
            fail_msg("allocation %ld failed and opening answered %s: %s", n, ys_rc_code(rc), err.msg);
        if (!rc) {
            uint8_t live[YS_HASH_BYTES];
            ys_session_digest(j->session, live);
            assert_memory_equal(live, digest, YS_HASH_BYTES);
        }
        ys_journal_close(j);
    }
    assert_int_equal(rc, YS_OK);
    assert_true(n > 100); /* every event's JSON was parsed under failure on the way */
    test_store_remove(path);
    ys_free(path);
}

/* What the file has of the batch, event by event, must be what the journal kept of it in memory. */
static ys_rc same_as_kept(const ys_event *ev, void *ud, ys_err *err)
{
    const ys_events *kept = ud;
    const ys_event *k = &kept->v[ev->seq - kept->v[0].seq];
    (void)err;
    assert_true(ev->seq - kept->v[0].seq < (int64_t)kept->n);
    assert_int_equal(k->seq, ev->seq);
    assert_memory_equal(k->hash, ev->hash, YS_HASH_BYTES);
    assert_string_equal(k->type, ev->type);
    assert_string_equal(k->actor, ev->actor);
    assert_string_equal(k->payload_text, ev->payload_text);
    return YS_OK;
}

/* A committed batch stays in memory, as the file has it, for the receipts and the streams: the server
 * reads nothing back. Sealed ballots are not kept; the next batch forgets the last. */
static void committed_batch_stays_in_memory(void **state)
{
    (void)state;
    uint8_t digest[YS_HASH_BYTES];
    char *path = file_with_open_poll(digest);
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_events evs;
    assert_int_equal(ys_journal_open(path, 0, &j, &err), YS_OK);
    int64_t start = j->session->seq;
    assert_int_equal(ys_journal_begin(j, &err), YS_OK);
    for (int i = 3; i <= 5; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        ys_events_init(&evs);
        assert_int_equal(ys_cmd_poll_vote(j->session, &test_ctx, 1, code, YS_CHOICE_NO, &evs, &err), YS_OK);
        assert_int_equal(evs.n, 2); /* who voted, and the sealed ballot */
        assert_int_equal(ys_journal_add(j, &evs, &err), YS_OK);
    }
    assert_int_equal(ys_journal_end(j, &err), YS_OK);
    const ys_events *kept = ys_journal_batch(j);
    assert_int_equal(kept->n, 3);
    for (size_t i = 0; i < kept->n; i++) {
        assert_false(kept->v[i].sealed);
        assert_string_equal(kept->v[i].type, "poll.cast");
        assert_int_equal(kept->v[i].seq, start + 1 + (int64_t)i);
    }
    assert_memory_equal(kept->v[2].hash, j->session->head, YS_HASH_BYTES);
    assert_int_equal(ys_store_scan(j->store, start, same_as_kept, (void *)kept, &err), YS_OK);
    assert_int_equal(ys_journal_begin(j, &err), YS_OK);
    assert_int_equal(ys_journal_batch(j)->n, 0);
    ys_journal_abort(j);
    ys_journal_close(j);
    test_store_remove(path);
    ys_free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(named_poll),
        cmocka_unit_test(anonymous_poll_keeps_only_totals),
        cmocka_unit_test(changeable_and_show_of_hands),
        cmocka_unit_test(totals_corrections_in_the_log),
        cmocka_unit_test(amendments_first),
        cmocka_unit_test(election_most_votes_win),
        cmocka_unit_test(shortfall_goes_to_a_further_round),
        cmocka_unit_test(tie_at_the_cut_goes_to_a_new_vote),
        cmocka_unit_test(preliminary_then_election),
        cmocka_unit_test(ballot_box_on_disk),
        cmocka_unit_test(votes_survive_allocation_failures),
        cmocka_unit_test(state_and_majority_words),
        cmocka_unit_test(method_and_choice_words),
        cmocka_unit_test(votes_on_file_survive_allocation_failures),
        cmocka_unit_test(replay_survives_allocation_failures),
        cmocka_unit_test(committed_batch_stays_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
