/* test_hall.c — the hall's layout: its import (order, bad rows, refused under a vote, replaced whole), its fold
 * and digest through a session file that replays and verifies (test_hall_pg: a PostgreSQL session), seat moves, and the
 * national demo's seating. */
#include "cli/demo_data.h"
#include "storeutil.h"

#include "yishi/hall.h"
#include "yishi/poll.h"

static const char HALL[] = "seat,tier,block,row,number,tier_name,delegation\n"
                           "3-1,2,楼座,1,1,二层,\n"        /* the balcony first in the file, drawn last */
                           "1-2,1,右区,1,1,一层,\n"
                           "01-01,1,左区,1,1,,第1代表团\n"  /* read as 1-1 */
                           "2-1,1,右区,2,1,,\n"
                           "1-3,1,右区,1,2,,\n";

static ys_session *seated(void)
{
    ys_session *s = test_session("prc-county");
    char *csv = test_delegates_csv(60, 3); /* D1 … D60, seats i/30+1 - i%30+1: D1 in 1-2, D2 in 1-3 … */
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    return s;
}

static void digest_kept(const ys_session *s)
{
    uint8_t a[YS_HASH_BYTES], b[YS_HASH_BYTES];
    ys_session_digest(s, a);
    ys_session_digest_full(s, b);
    assert_memory_equal(a, b, YS_HASH_BYTES);
}

static void layout_in_order(void **state)
{
    (void)state;
    ys_session *s = seated();
    assert_int_equal(test_import(s, YS_IMPORT_HALL, HALL, NULL), YS_OK);
    const ys_hall *h = s->hall;
    assert_non_null(h);
    assert_int_equal(h->generation, 1);
    assert_int_equal(h->n_tiers, 2);
    assert_int_equal(h->tiers[0].floor, 1);
    assert_string_equal(h->tiers[0].name, "一层");
    assert_string_equal(h->tiers[1].name, "二层");
    assert_int_equal(h->n_blocks, 3);
    assert_string_equal(h->blocks[0].name, "右区"); /* blocks of a tier keep the file's order */
    assert_string_equal(h->blocks[1].name, "左区");
    int first = ys_delegation_by_name(s, "第1代表团")->id; /* 3: delegations are numbered as the delegates name them */
    assert_int_equal(h->blocks[1].delegation, first);
    assert_int_equal(h->blocks[0].n, 3);
    assert_string_equal(h->seats[h->blocks[0].first + 2].code, "2-1"); /* row 2 after row 1 */
    assert_non_null(ys_hall_seat_of(s, "1-1"));
    assert_null(ys_hall_seat_of(s, "01-01"));
    bool reserved;
    assert_int_equal(ys_hall_block_delegation(s, &h->blocks[1], &reserved), first);
    assert_true(reserved);
    /* 右区 holds D1 (1-2, delegation 1), D2 (1-3, delegation 2) and D30 (2-1, delegation 3): a tie, the lower id */
    assert_int_equal(ys_hall_block_delegation(s, &h->blocks[0], &reserved), 1);
    assert_false(reserved);
    ys_hall_fit f = ys_hall_fit_of(s);
    assert_int_equal(f.placed, 4); /* 1-2, 1-3, 2-1 and 3-1 (D60); 1-1 is no one's */
    assert_int_equal(f.empty, 1);
    assert_int_equal(f.unplaced, 56);
    digest_kept(s);
    /* a second layout replaces the first, and says so */
    assert_int_equal(test_import(s, YS_IMPORT_HALL, "seat,tier,block,row,number\n9-9,1,中区,1,1\n", NULL), YS_OK);
    assert_int_equal(s->hall->generation, 2);
    assert_int_equal(s->hall->n_seats, 1);
    assert_int_equal(ys_hall_fit_of(s).unplaced, 60);
    digest_kept(s);
    ys_session_free(s);
}

static void expect_bad(ys_session *s, const char *csv, int line, const char *field, const char *words)
{
    ys_diags d;
    ys_diags_init(&d);
    assert_int_not_equal(test_import(s, YS_IMPORT_HALL, csv, &d), YS_OK);
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].line == line && strcmp(d.v[i].field, field) == 0 && strstr(d.v[i].msg, words)) {
            ys_diags_free(&d);
            return;
        }
    fail_msg("no problem on line %d in %s saying '%s' (%zu problems, the first: %s)", line, field, words, d.n,
             d.n ? d.v[0].msg : "");
}

static void bad_rows(void **state)
{
    (void)state;
    ys_session *s = seated();
    static const char head[] = "seat,tier,block,row,number,tier_name,delegation\n";
    char csv[1024];
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,1,,\n01-01,1,A,1,2,,\n", head);
    expect_bad(s, csv, 3, "seat", "seat '1-1' is also on line 2");
    snprintf(csv, sizeof csv, "%s1-1,一层,A,1,1,,\n1-2,10,A,1,2,,\n", head);
    expect_bad(s, csv, 2, "tier", "is not a floor from 1 to 9");
    expect_bad(s, csv, 3, "tier", "tier '10'");
    snprintf(csv, sizeof csv, "%s1-1,1,,1,1,,\n", head);
    expect_bad(s, csv, 2, "block", "block is empty");
    expect_bad(s, "seat,tier,row,number\n1-1,1,1,1\n", 1, "block", "required column 'block' is missing");
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,201,,\n", head);
    expect_bad(s, csv, 2, "number", "a row holds at most 200 seats");
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,1,,\n1-2,1,A,1,1,,\n", head);
    expect_bad(s, csv, 3, "number", "row 1, place 1 is also on line 2");
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,1,一层,\n1-2,1,A,1,2,底层,\n", head);
    expect_bad(s, csv, 3, "tier_name", "tier 1 is named '一层' on line 2");
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,1,,第1代表团\n1-2,1,A,1,2,,第2代表团\n1-3,1,B,1,1,,无此代表团\n", head);
    expect_bad(s, csv, 3, "delegation", "reserved for 第1代表团 on line 2");
    expect_bad(s, csv, 4, "delegation", "'无此代表团' is not in the session");
    snprintf(csv, sizeof csv, "%s1-1,1,A,1,1,%s,\n", head, "一二三四五六七八九十一二");
    expect_bad(s, csv, 2, "tier_name", "too long");
    assert_null(s->hall); /* nothing of any of them */
    ys_session_free(s);
}

static void refused_under_a_vote(void **state)
{
    (void)state;
    ys_session *s = seated();
    ys_poll_args a = {.title = "表决", .method = YS_METHOD_TERMINAL};
    TEST_OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= 60; i++) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        TEST_OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    TEST_OK(ys_cmd_poll_create(s, &test_ctx, &a, &evs_, &err_));
    TEST_OK(ys_cmd_poll_open(s, &test_ctx, 1, &evs_, &err_));
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(test_import(s, YS_IMPORT_HALL, HALL, &d), YS_STATE);
    assert_non_null(strstr(d.v[0].msg, "poll 1 (表决) is open"));
    ys_diags_free(&d);
    ys_session_free(s);
}

static ys_rc seat(ys_session *s, const char *code, const char *to, bool swap, ys_err *err)
{
    ys_events evs;
    ys_events_init(&evs);
    ys_rc rc = ys_cmd_delegate_seat(s, &test_ctx, code, to, swap, &evs, err);
    if (rc) {
        assert_int_equal(evs.n, 0);
        return rc;
    }
    return test_apply(s, &evs);
}

static void seat_moves(void **state)
{
    (void)state;
    ys_session *s = seated();
    ys_err err = {0};
    /* without a layout any seat code goes */
    assert_int_equal(seat(s, "D1", "40-1", false, &err), YS_OK);
    assert_string_equal(ys_delegate_by_code(s, "D1")->seat, "40-1");
    assert_int_equal(test_import(s, YS_IMPORT_HALL, HALL, NULL), YS_OK);
    assert_int_equal(seat(s, "D1", "7-7", false, &err), YS_NOT_FOUND);
    assert_non_null(strstr(err.msg, "not in the hall's layout"));
    assert_int_equal(seat(s, "D1", "seat", false, &err), YS_INVALID);
    assert_int_equal(seat(s, "D1", "1-3", false, &err), YS_CONFLICT);
    assert_non_null(strstr(err.msg, "taken by 代表2 (D2"));
    assert_int_equal(seat(s, "D1", "01-01", false, &err), YS_OK);
    assert_string_equal(ys_delegate_by_code(s, "D1")->seat, "1-1");
    assert_ptr_equal(ys_seat_holder(s, "1-1"), ys_delegate_by_code(s, "D1"));
    assert_null(ys_seat_holder(s, "40-1"));
    assert_int_equal(seat(s, "D1", "1-1", false, &err), YS_CONFLICT); /* already there */
    assert_int_equal(seat(s, "D1", "1-3", true, &err), YS_OK);       /* a swap */
    assert_string_equal(ys_delegate_by_code(s, "D1")->seat, "1-3");
    assert_string_equal(ys_delegate_by_code(s, "D2")->seat, "1-1");
    digest_kept(s);
    assert_int_equal(seat(s, "D2", NULL, false, &err), YS_OK); /* unseated */
    assert_null(ys_delegate_by_code(s, "D2")->seat);
    assert_null(ys_seat_holder(s, "1-1"));
    assert_int_equal(seat(s, "D2", NULL, false, &err), YS_CONFLICT);
    assert_int_equal(seat(s, "D2", "1-3", true, &err), YS_CONFLICT); /* no seat to give in a swap */
    assert_non_null(strstr(err.msg, "has no seat to give"));
    assert_int_equal(seat(s, "D99", "1-1", false, &err), YS_NOT_FOUND);
    TEST_OK(ys_cmd_delegate_end(s, &test_ctx, "D2", "辞职", &evs_, &err_));
    assert_int_equal(seat(s, "D2", "1-1", false, &err), YS_CONFLICT);
    assert_non_null(strstr(err.msg, "has ended"));
    /* a delegate imported with a seat the layout lacks is taken, and shown as not placed */
    size_t unplaced = ys_hall_fit_of(s).unplaced;
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation,seat\nE1,甲,男,汉族,X,8-8\n",
                                 NULL), YS_OK);
    assert_int_equal(ys_hall_fit_of(s).unplaced, unplaced + 1);
    digest_kept(s);
    ys_session_free(s);
}

/* A log whose move does not follow from the state is refused on replay, never applied. */
static void corrupt_events_refused(void **state)
{
    (void)state;
    ys_session *s = seated();
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_events_add(&evs, test_ctx.time, "t", "delegate.seat",
                                   json_pack("{s:i, s:s, s:s}", "delegate", 1, "seat", "9-1", "from", "5-5"), &err), YS_OK);
    assert_int_equal(ys_session_accept(s, evs.v, evs.n, NULL, &err), YS_CORRUPT);
    ys_events_free(&evs);
    ys_session_free(s);
    s = seated();
    assert_int_equal(ys_events_add(&evs, test_ctx.time, "t", "hall.layout",
                                   json_pack("{s:b, s:i, s:[{s:i, s:[{s:s, s:i, s:[{s:i, s:[[i, s]]}]}]}]}", "replaces", 1,
                                             "seats", 1, "tiers", "tier", 1, "blocks", "name", "A", "delegation", 0, "rows",
                                             "row", 1, "seats", 1, "1-1"), &err), YS_OK);
    assert_int_equal(ys_session_accept(s, evs.v, evs.n, NULL, &err), YS_CORRUPT); /* replaces nothing */
    assert_non_null(strstr(err.msg, "replaces"));
    ys_events_free(&evs);
    ys_session_free(s);
}

/* Through a file: the layout and the moves replay to the same state, and verify. */
static void replays_and_verifies(void **state)
{
    (void)state;
    char *path = test_store_new();
    ys_journal *j = NULL;
    ys_err err = {0};
    ys_rules *r = test_rules("prc-county");
    ys_init_args a = {"测试县人民代表大会", "第十八届", "第三次会议", r};
    ys_events evs;
    uint8_t live[YS_HASH_BYTES], replayed[YS_HASH_BYTES];
    assert_int_equal(ys_journal_open(path, YS_STORE_CREATE, &j, &err), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_init(j->session, &test_ctx, &a, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    static const ys_import_kind kinds[] = {YS_IMPORT_DELEGATES, YS_IMPORT_HALL, YS_IMPORT_HALL};
    char *delegates = test_delegates_csv(60, 3);
    const char *texts[] = {delegates, HALL, HALL};
    for (int k = 0; k < 3; k++) {
        ys_csv *csv = NULL;
        ys_diags d;
        ys_diags_init(&d);
        assert_int_equal(ys_csv_parse(texts[k], strlen(texts[k]), &csv, &d), YS_OK);
        assert_int_equal(ys_cmd_import(j->session, &test_ctx, kinds[k], csv, &evs, &d), YS_OK);
        assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
        ys_csv_free(csv);
        ys_diags_free(&d);
    }
    assert_int_equal(ys_cmd_delegate_seat(j->session, &test_ctx, "D1", "1-3", true, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    assert_int_equal(ys_cmd_delegate_seat(j->session, &test_ctx, "D60", NULL, false, &evs, &err), YS_OK);
    assert_int_equal(ys_journal_commit(j, &evs, &err), YS_OK);
    ys_session_digest(j->session, live);
    ys_journal_close(j);
    assert_int_equal(ys_journal_open(path, YS_STORE_READONLY, &j, &err), YS_OK);
    ys_session_digest(j->session, replayed);
    assert_memory_equal(live, replayed, YS_HASH_BYTES);
    assert_int_equal(j->session->hall->generation, 2);
    assert_string_equal(ys_delegate_by_code(j->session, "D2")->seat, "1-2");
    ys_journal_close(j);
    ys_verify_report rep;
    assert_int_equal(ys_journal_verify(path, &rep, &err), YS_OK);
    if (!rep.ok)
        fail_msg("verify: %s at %lld", rep.reason, (long long)rep.bad_seq);
    ys_free(delegates);
    ys_rules_free(r);
    test_store_remove(path);
    ys_free(path);
}

/* The national demo's tables: 2,977 delegates in 35 delegations, every one seated in the layout. */
static void national_demo_seats_everyone(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-npc");
    for (int t = 0; t < YS_NPC__TABLES; t++) {
        char *csv = ys_npc_csv((ys_npc_table)t, NULL);
        assert_non_null(csv);
        assert_int_equal(test_import(s, t == YS_NPC_DELEGATES ? YS_IMPORT_DELEGATES : YS_IMPORT_HALL, csv, NULL), YS_OK);
        ys_free(csv);
    }
    assert_int_equal(s->n_delegates, YS_NPC_DELEGATES_TOTAL);
    assert_int_equal(s->n_delegations, YS_NPC_DELEGATIONS);
    assert_int_equal(s->hall->n_tiers, 3);
    ys_hall_fit f = ys_hall_fit_of(s);
    assert_int_equal(f.placed, YS_NPC_DELEGATES_TOTAL);
    assert_int_equal(f.unplaced + f.unseated, 0);
    assert_true(f.empty > 0);
    digest_kept(s);
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_in_order),       cmocka_unit_test(bad_rows),
        cmocka_unit_test(refused_under_a_vote),  cmocka_unit_test(seat_moves),
        cmocka_unit_test(corrupt_events_refused), cmocka_unit_test(replays_and_verifies),
        cmocka_unit_test(national_demo_seats_everyone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
