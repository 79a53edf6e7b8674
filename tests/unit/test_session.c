/* test_session.c — the session core: imports (all or nothing, every bad row with its line),
 * meetings, attendance and the quorum arithmetic of the local organic law, Art. 14. */
#include "testutil.h"

#include "yishi/alloc.h"

static int checkin_first(ys_session *s, int meeting, int n)
{
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    for (int i = 1; i <= n; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        if (ys_cmd_attendance(s, &test_ctx, meeting, code, YS_PRESENT, NULL, &evs, &err)) {
            ys_events_free(&evs);
            return -1;
        }
    }
    return test_apply(s, &evs);
}

static ys_session *plenary_of(int delegates)
{
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(delegates, 12);
    ys_events evs;
    ys_err err = {0};
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第一次全体会议", NULL, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    return s;
}

/* 地方组织法 Art. 14: 「三分之二以上的代表出席，始得举行」— 以上 includes the number. */
static void quorum_549_is_366(void **state)
{
    (void)state;
    ys_session *s = plenary_of(549);
    assert_int_equal(s->entitled, 549);
    assert_int_equal(s->n_delegations, 12);
    assert_int_equal(checkin_first(s, 1, 365), 0);
    ys_attendance a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.quorum, 366);
    assert_int_equal(a.present, 365);
    assert_int_equal(a.absent, 184);
    assert_false(a.quorate);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, "D366", YS_PRESENT, NULL, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.present, 366);
    assert_true(a.quorate);
    ys_session_free(s);
}

/* 550 × 2/3 = 366.67: 366 is short, 367 is the quorum. */
static void quorum_550_is_367(void **state)
{
    (void)state;
    ys_session *s = plenary_of(550);
    assert_int_equal(checkin_first(s, 1, 366), 0);
    ys_attendance a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.quorum, 367);
    assert_false(a.quorate);
    ys_session_free(s);
}

static void leave_counts_as_absent(void **state)
{
    (void)state;
    ys_session *s = plenary_of(30);
    ys_events evs;
    ys_err err = {0};
    assert_int_equal(checkin_first(s, 1, 20), 0);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, "D25", YS_ON_LEAVE, "因病请假", &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    ys_attendance a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.present, 20);
    assert_int_equal(a.on_leave, 1);
    assert_int_equal(a.absent, 10);
    assert_int_equal(a.quorum, 20);
    assert_true(a.quorate);
    /* a second check-in of the same delegate is refused, naming who */
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, "D3", YS_PRESENT, NULL, &evs, &err), YS_CONFLICT);
    assert_non_null(strstr(err.msg, "D3"));
    assert_int_equal(evs.n, 0);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, "NOPE", YS_PRESENT, NULL, &evs, &err), YS_NOT_FOUND);
    ys_session_free(s);
}

static void bad_rows_are_all_reported(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_diags d;
    ys_diags_init(&d);
    const char *csv = "\xEF\xBB\xBF"
                      "code,name,gender,ethnicity,delegation,seat,roles,post\n"
                      "A1,张三,男,汉族,太原,1-1,,\n"          /* line 2: fine */
                      "A2,李四,X,汉族,太原,1-2,,\n"           /* line 3: gender */
                      "A1,王五,女,汉族,太原,1-3,,\n"          /* line 4: duplicate code */
                      "A4,赵六,女,汉族,太原,01-01,,\n"        /* line 5: seat 1-1 again, written otherwise */
                      "A5,钱七,男,汉族,太原,1-5,chief,\n"     /* line 6: unknown role */
                      "A6,孙八,男,汉族,太原,1-6,,省长\n"      /* line 7: unknown post */
                      "A7,,男,汉族,太原,1-7,,\n"              /* line 8: empty name */
                      "A8,周九,男,汉族,太原,seat,,\n";        /* line 9: malformed seat */
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, &d), YS_INVALID);
    int lines[] = {3, 4, 5, 6, 7, 8, 9};
    assert_int_equal(d.n, sizeof lines / sizeof lines[0]);
    for (size_t i = 0; i < d.n; i++)
        assert_int_equal(d.v[i].line, lines[i]);
    assert_string_equal(d.v[0].field, "gender");
    assert_non_null(strstr(d.v[1].msg, "line 2"));
    assert_int_equal(s->n_delegates, 0); /* nothing imported */
    assert_int_equal(s->n_delegations, 0);
    ys_diags_free(&d);
    ys_session_free(s);
}

static void header_problems(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_diags d;
    ys_diags_init(&d);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,sex,delegation\nA,B,男,C\n", &d), YS_INVALID);
    assert_int_equal(d.n, 3); /* gender and ethnicity missing, sex unknown */
    assert_int_equal(d.v[0].line, 1);
    ys_diags_free(&d);
    ys_diags_init(&d);
    assert_int_equal(test_import(s, YS_IMPORT_AGENDA, "order,kind,title\n", &d), YS_INVALID);
    assert_non_null(strstr(d.v[0].msg, "no rows"));
    ys_diags_free(&d);
    ys_session_free(s);
}

static void seats_and_codes_against_the_session(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_diags d;
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES,
                                 "code,name,gender,ethnicity,delegation,seat\nA1,甲,男,汉族,大同,3-7\n", NULL), YS_OK);
    ys_diags_init(&d);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES,
                                 "code,name,gender,ethnicity,delegation,seat\nA1,乙,男,汉族,大同,3-8\n"
                                 "A2,丙,女,回族,大同,03-07\n", &d), YS_INVALID);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.v[0].field, "code");
    assert_string_equal(d.v[1].field, "seat");
    assert_string_equal(s->delegates[0].seat, "3-7");
    ys_diags_free(&d);
    ys_session_free(s);
}

static void posts_agenda_and_documents(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    assert_int_equal(test_import(s, YS_IMPORT_POSTS, "rank,title\n1,省委书记\n2,省长\n2,省人大常委会主任\n", NULL), YS_OK);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation,roles,post\n"
                                 "A1,甲,男,汉族,太原,presidium;delegation_head,省委书记\n", NULL), YS_OK);
    assert_int_equal(s->delegates[0].post, 1);
    assert_int_equal(s->delegates[0].roles, YS_ROLE_PRESIDIUM | YS_ROLE_DELEGATION_HEAD);
    assert_int_equal(test_import(s, YS_IMPORT_AGENDA, "order,kind,title,presenter,document\n"
                                 "1,deliberate,审议政府工作报告,省长,政府工作报告\n"
                                 "2,vote,表决关于政府工作报告的决议,,关于政府工作报告的决议（草案）\n"
                                 "3,hear,听取说明,,政府工作报告\n", NULL), YS_OK);
    assert_int_equal(s->n_items, 3);
    assert_int_equal(s->n_documents, 2); /* 政府工作报告 once */
    assert_int_equal(s->items[2].document, 1);
    assert_int_equal(s->items[1].kind, YS_ITEM_VOTE);
    ys_events evs;
    ys_err err = {0};
    const char *h1 = "0000000000000000000000000000000000000000000000000000000000000001";
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_document(s, &test_ctx, "政府工作报告", h1, 100, "初稿", &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_document(s, &test_ctx, "政府工作报告", h1, 100, NULL, &evs, &err), YS_CONFLICT);
    ys_events_free(&evs);
    assert_int_equal(s->documents[0].n_versions, 1);
    ys_session_free(s);
}

static void meetings(void **state)
{
    (void)state;
    ys_session *s = plenary_of(24);
    ys_events evs;
    ys_err err = {0};
    ys_events_init(&evs);
    /* one plenary at a time */
    assert_int_equal(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第二次全体会议", NULL, &evs, &err), YS_STATE);
    /* a delegation meeting runs beside it, and counts only its delegation */
    assert_int_equal(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "代表团全体会议", "第2代表团", &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    const ys_meeting *m = ys_current_meeting(s);
    ys_attendance a = ys_meeting_attendance(s, m);
    assert_int_equal(a.entitled, 2);
    assert_false(a.has_quorum);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, m->id, "D2", YS_PRESENT, NULL, &evs, &err), YS_CONFLICT);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, m->id, "D1", YS_PRESENT, NULL, &evs, &err), YS_OK);
    assert_int_equal(ys_cmd_meeting_close(s, &test_ctx, m->id, &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    assert_int_equal(s->current_meeting, 1); /* back to the plenary */
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 2, "D1", YS_ON_LEAVE, NULL, &evs, &err), YS_STATE);
    assert_int_equal(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_GROUP, "小组会议", "没有这个团", &evs, &err), YS_NOT_FOUND);
    assert_int_equal(evs.n, 0);
    ys_session_free(s);
}

/* 代表资格终止: the base of 「全体代表」 shrinks, and the delegate no longer counts at open meetings. */
static void mandate_ends(void **state)
{
    (void)state;
    ys_session *s = plenary_of(550);
    ys_events evs;
    ys_err err = {0};
    assert_int_equal(checkin_first(s, 1, 366), 0);
    assert_false(ys_meeting_attendance(s, ys_current_meeting(s)).quorate); /* 367 of 550 needed */
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_delegate_end(s, &test_ctx, "D500", "辞职", &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    ys_attendance a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.entitled, 549);
    assert_int_equal(a.quorum, 366);
    assert_true(a.quorate); /* the same 366 present now meet 2/3 of 549 */
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_delegate_end(s, &test_ctx, "D1", "", &evs, &err), YS_INVALID); /* a reason is needed */
    assert_int_equal(ys_cmd_delegate_end(s, &test_ctx, "D500", "辞职", &evs, &err), YS_CONFLICT);
    assert_int_equal(ys_cmd_delegate_end(s, &test_ctx, "D1", "辞职", &evs, &err), YS_OK);
    assert_int_equal(test_apply(s, &evs), YS_OK);
    a = ys_meeting_attendance(s, ys_current_meeting(s));
    assert_int_equal(a.entitled, 548);
    assert_int_equal(a.present, 365); /* D1 was present: no longer counted */
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_attendance(s, &test_ctx, 1, "D1", YS_PRESENT, NULL, &evs, &err), YS_STATE);
    ys_session_free(s);
}

/* Every allocation an import makes may fail, reading the CSV, checking the rows or applying the events;
 * each failure is reported as out of memory and leaks nothing (ASan). A refused import changes nothing
 * (a failure while applying is the journal's to undo: it rebuilds the state from the file). Once enough
 * allocations succeed, every row is in. */
static void import_survives_allocation_failures(void **state)
{
    (void)state;
    char *csv = test_delegates_csv(40, 3);
    ys_rc rc = YS_NOMEM;
    long n;
    for (n = 1; rc && n < 4000; n++) {
        ys_session *s = test_session("prc-provincial");
        ys_csv *c = NULL;
        ys_events evs;
        ys_diags d;
        ys_events_init(&evs);
        ys_diags_init(&d);
        ys_alloc_fail_after(n);
        rc = ys_csv_parse(csv, strlen(csv), &c, &d);
        if (!rc && (rc = ys_cmd_import(s, &test_ctx, YS_IMPORT_DELEGATES, c, &evs, &d))) {
            assert_int_equal(evs.n, 0);
            assert_int_equal(s->n_delegates, 0);
            assert_int_equal(s->n_delegations, 0);
        } else if (!rc) {
            rc = test_apply(s, &evs);
        }
        ys_alloc_fail_after(0);
        if (rc)
            assert_int_equal(rc, YS_NOMEM);
        else
            assert_int_equal(s->n_delegates, 40);
        ys_events_free(&evs);
        ys_diags_free(&d);
        ys_csv_free(c);
        ys_session_free(s);
    }
    assert_int_equal(rc, YS_OK);
    assert_true(n > 20); /* the import allocates, so failures were exercised before it succeeded */
    ys_free(csv);
}

/* The one writer of an event's time, for the server's and the command line's clocks alike. */
static void event_time_text(void **state)
{
    (void)state;
    char t[32];
    ys_event_time(1706022000, 123456789, t); /* 2024-01-23 15:00 UTC */
    assert_string_equal(t, "2024-01-23T15:00:00.123Z");
    ys_event_time(0, 999999999, t);
    assert_string_equal(t, "1970-01-01T00:00:00.999Z");
    ys_event_time(1706022059, 0, t);
    assert_string_equal(t, "2024-01-23T15:00:59.000Z");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quorum_549_is_366),
        cmocka_unit_test(quorum_550_is_367),
        cmocka_unit_test(leave_counts_as_absent),
        cmocka_unit_test(bad_rows_are_all_reported),
        cmocka_unit_test(header_problems),
        cmocka_unit_test(seats_and_codes_against_the_session),
        cmocka_unit_test(posts_agenda_and_documents),
        cmocka_unit_test(meetings),
        cmocka_unit_test(mandate_ends),
        cmocka_unit_test(import_survives_allocation_failures),
        cmocka_unit_test(event_time_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
