/* test_meeting.c — a meeting as held: its date and half-day (the clock's in Beijing by default, or entered
 * from paper), who presided, led, joined, attended and sat on the rostrum, the items taken up, a leader's
 * remarks, the order spoken, the bulletins' numbers and the plenary report; each bad input refused with
 * nothing emitted, and the digest kept as the fold changes all of it. */
#include "testutil.h"

#include "report/held.h"
#include "yishi/buf.h"
#include "yishi/meeting.h"
#include "yishi/report.h"
#include "yishi/speech.h"

#define OK TEST_OK
#define NO TEST_NO

/* The digest the fold keeps is the one the whole state gives. */
static void digest_kept(const ys_session *s)
{
    uint8_t a[YS_HASH_BYTES], b[YS_HASH_BYTES];
    ys_session_digest(s, a);
    ys_session_digest_full(s, b);
    assert_memory_equal(a, b, YS_HASH_BYTES);
}

static ys_session *afternoon(void)
{
    ys_session *s = test_session("prc-provincial");
    assert_int_equal(test_import(s, YS_IMPORT_POSTS, "rank,title\n1,省委书记\n7,省人大常委会副主任\n9,省政协副主席\n"
                                 "16,两院院士\n", NULL), YS_OK);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation,seat,roles,post\n"
                                 "J1,唐登杰,男,汉族,晋中,,presidium,省委书记\nJ2,常书铭,男,汉族,晋中,,,\n"
                                 "J3,刘星,女,汉族,晋中,,,\nJ4,王超,男,汉族,晋中,,,\n"
                                 "D1,吴俊清,男,汉族,大同,,presidium,省人大常委会副主任\n", NULL), YS_OK);
    assert_int_equal(test_import(s, YS_IMPORT_ATTENDEES, "name,kind,post,affiliation\n李正印,attendee,省政协副主席,省政协\n"
                                 "王一德,attendee,两院院士,两院院士\n赵文,attendee,,十三届省政协委员\n"
                                 "高文斌,attendee,,在晋十四届全国人大代表\n程国强,attendee,,在晋十四届全国政协委员\n", NULL), YS_OK);
    assert_int_equal(test_import(s, YS_IMPORT_AGENDA, "order,kind,title,presenter,document\n"
                                 "1,deliberate,审议政府工作报告,,政府工作报告\n2,hear,听取关于议事规则的说明,,关于议事规则的说明\n",
                                 NULL), YS_OK);
    return s;
}

static void date_and_half_day(void **state)
{
    (void)state;
    ys_session *s = afternoon();
    /* opened without a date: the ctx's time in Beijing (07:00 UTC is 15:00 there, the afternoon) */
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "晋中代表团全体会议", "晋中", &evs_, &err_));
    assert_string_equal(s->meetings[0].date, "2024-01-23");
    assert_int_equal(s->meetings[0].half_day, YS_HALF_AFTERNOON);
    ys_ctx late = {"2024-01-23T16:30:00.000Z", "test"}; /* 00:30 the next day in Beijing */
    OK(ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_meeting_open(s, &late, YS_MEETING_DELEGATION, "晋中代表团小组会议", "晋中", &evs_, &err_));
    assert_string_equal(s->meetings[1].date, "2024-01-24");
    assert_int_equal(s->meetings[1].half_day, YS_HALF_MORNING);
    /* entered afterwards, from paper, on a closed meeting as on an open one */
    OK(ys_cmd_meeting_held(s, &late, 1, "2024-01-22", "上午", &evs_, &err_));
    assert_string_equal(s->meetings[0].date, "2024-01-22");
    assert_int_equal(s->meetings[0].half_day, YS_HALF_MORNING);
    OK(ys_cmd_meeting_held(s, &late, 2, "2024-01-23", "evening", &evs_, &err_));
    assert_int_equal(s->meetings[1].half_day, YS_HALF_EVENING);
    NO(YS_CONFLICT, ys_cmd_meeting_held(s, &late, 2, "2024-01-23", "晚上", &evs_, &err_)); /* as it is */
    /* bad input: an unknown half-day word, dates that are not dates; nothing changes */
    ys_err err = {0};
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_held(s, &late, 2, "2024-01-23", "中午", &evs, &err), YS_INVALID);
    assert_string_equal(err.field, "half_day");
    assert_non_null(strstr(err.msg, "中午"));
    char text[1024];
    ys_err_text(err.rc, &err, text, sizeof text);
    assert_non_null(strstr(text, "输入无效 / invalid input")); /* both languages */
    static const char *const not_dates[] = {"2024-02-30", "2023-02-29", "2024-13-01", "24-01-23", "2024-1-23",
                                            "2024/01/23", "1月23日", "", "2024-01-23x", "1900-01-01"};
    for (size_t i = 0; i < sizeof not_dates / sizeof *not_dates; i++) {
        assert_int_equal(ys_cmd_meeting_held(s, &late, 2, not_dates[i], "下午", &evs, &err), YS_INVALID);
        assert_string_equal(err.field, "date");
    }
    assert_int_equal(ys_cmd_meeting_held(s, &late, 2, "2024-02-29", "下午", &evs, &err), YS_OK); /* a leap day */
    ys_events_free(&evs);
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_open_on(s, &late, YS_MEETING_PLENARY, "全体会议", NULL, "2024-01-32", NULL, &evs, &err),
                     YS_INVALID);
    assert_int_equal(ys_cmd_meeting_open_on(s, &late, YS_MEETING_PLENARY, "全体会议", NULL, NULL, "noon", &evs, &err),
                     YS_INVALID);
    NO(YS_NOT_FOUND, ys_cmd_meeting_held(s, &late, 9, "2024-01-23", "下午", &evs_, &err_));
    assert_int_equal(evs.n, 0);
    assert_int_equal(s->n_meetings, 2);
    assert_string_equal(s->meetings[1].date, "2024-01-23");
    digest_kept(s);
    ys_session_free(s);
}

static void people_in_their_roles(void **state)
{
    (void)state;
    ys_session *s = afternoon();
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "晋中代表团全体会议", "晋中", &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_LEADER, "唐登杰", NULL, false, &evs_, &err_));
    /* a delegate of another delegation joins without a check-in, and is not counted */
    NO(YS_CONFLICT, ys_cmd_attendance(s, &test_ctx, 1, "D1", YS_PRESENT, NULL, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_JOINED, "D1", NULL, false, &evs_, &err_));
    assert_int_equal(ys_meeting_attendance(s, &s->meetings[0]).entitled, 4);
    assert_true(ys_meeting_guest(s, &s->meetings[0], 5));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "attendee:1", NULL, false, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_JOINED, "吴俊清", NULL, false, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_JOINED, "J2", NULL, false, &evs_, &err_)); /* a member */
    NO(YS_INVALID, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "J2", NULL, false, &evs_, &err_));
    /* a presiding person who is neither a delegate nor an attendee */
    ys_err err = {0};
    ys_events evs;
    ys_events_init(&evs);
    assert_int_equal(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "张三", NULL, false, &evs, &err),
                     YS_NOT_FOUND);
    assert_string_equal(err.field, "person");
    assert_non_null(strstr(err.msg, "neither a delegate nor on the attendees list"));
    assert_int_equal(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "attendee:9", NULL, false, &evs, &err),
                     YS_NOT_FOUND);
    assert_int_equal(evs.n, 0);
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "attendee:1", NULL, true, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "attendee:1", NULL, true, &evs_, &err_));
    assert_int_equal(s->meetings[0].n_people, 2);
    digest_kept(s);
    ys_session_free(s);
}

/* The seed's deliberation: a guest's speech, the order spoken (not asked), a leader's remarks apart. */
static void bulletin_as_held(void **state)
{
    (void)state;
    ys_session *s = afternoon();
    ys_err err = {0};
    OK(ys_cmd_meeting_open_on(s, &test_ctx, YS_MEETING_DELEGATION, "晋中代表团全体会议", "晋中", "2024-01-23", "下午",
                              &evs_, &err_));
    for (int i = 1; i <= 3; i++) {
        char code[4];
        snprintf(code, sizeof code, "J%d", i);
        OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    ys_takeup_args tu = {.item = 1};
    OK(ys_cmd_meeting_takeup(s, &test_ctx, 1, &tu, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_meeting_takeup(s, &test_ctx, 1, &tu, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_LEADER, "唐登杰", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_JOINED, "吴俊清", NULL, false, &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "J3", NULL, &evs_, &err_)); /* asked first, spoke second */
    OK(ys_cmd_speech_start(s, &test_ctx, 1, "J2", &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, "赞同报告。", &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, NULL, &evs_, &err_));
    OK(ys_cmd_speech_start_as(s, &test_ctx, 1, "J1", YS_SPEECH_REMARKS, &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, "是一个求真务实的报告。", &evs_, &err_));
    digest_kept(s);
    char *text = ys_report_bulletin(s, 1, 0, true, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "（未编号）"));
    assert_non_null(strstr(text, "1月23日下午，省委书记唐登杰来到他所在的晋中代表团，与代表们一起审议政府工作报告。"));
    assert_non_null(strstr(text, "省人大常委会副主任吴俊清参加审议。"));
    assert_non_null(strstr(text, "应出席4人，出席3人，缺席1人（王超）。"));
    assert_non_null(strstr(text, "审议中，常书铭、刘星等代表先后发言。")); /* the leader is not among them */
    assert_non_null(strstr(text, "在认真听取大家发言后，唐登杰说，是一个求真务实的报告。"));
    ys_free(text);
    /* a single speaker: 「X代表发言」, never 「先后」 */
    OK(ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_));
    NO(YS_STATE, ys_cmd_speech_request(s, &test_ctx, 1, "J2", NULL, &evs_, &err_)); /* a speech at a closed meeting */
    NO(YS_STATE, ys_cmd_speech_start_as(s, &test_ctx, 1, "J1", YS_SPEECH_REMARKS, &evs_, &err_));
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "大同代表团全体会议", "大同", &evs_, &err_));
    OK(ys_cmd_attendance(s, &test_ctx, 2, "D1", YS_PRESENT, NULL, &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 2, "D1", &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 2, NULL, &evs_, &err_));
    /* bulletins get the session's numbers, one after another, never the same twice */
    OK(ys_cmd_bulletin_issue(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_bulletin_issue(s, &test_ctx, 2, &evs_, &err_));
    NO(YS_NOT_FOUND, ys_cmd_bulletin_issue(s, &test_ctx, 7, &evs_, &err_));
    assert_int_equal(ys_meeting_bulletin(s, 1), 1);
    assert_int_equal(ys_meeting_bulletin(s, 2), 2);
    text = ys_report_bulletin(s, 2, 0, true, &err);
    assert_non_null(strstr(text, "（第2期）"));
    assert_non_null(strstr(text, "审议中，吴俊清代表发言。"));
    assert_null(strstr(text, "先后"));
    ys_free(text);
    digest_kept(s);
    ys_session_free(s);
}

static void plenary_report(void **state)
{
    (void)state;
    ys_session *s = afternoon();
    ys_err err = {0};
    OK(ys_cmd_meeting_open_on(s, &test_ctx, YS_MEETING_PLENARY, "第二次全体会议", NULL, "2024-01-23", "afternoon", &evs_,
                              &err_));
    /* entered out of protocol order: the report sorts by the posts' ranks */
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "李正印", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "王超", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "吴俊清", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "唐登杰", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ROSTRUM, "王一德", "在晋两院院士", false, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_PRESIDING, "王一德", "在晋两院院士", false, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ATTENDING, "J2", NULL, false, &evs_, &err_));
    NO(YS_INVALID, ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_LEADER, "J2", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ATTENDING, "高文斌", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ATTENDING, "程国强", NULL, false, &evs_, &err_));
    OK(ys_cmd_meeting_person(s, &test_ctx, 1, YS_PERSON_ATTENDING, "赵文", NULL, false, &evs_, &err_));
    ys_takeup_args hear = {.item = 2, .presenter = "吴俊清", .presents = "作说明"};
    OK(ys_cmd_meeting_takeup(s, &test_ctx, 1, &hear, &evs_, &err_));
    ys_takeup_args bad = {.item = 1, .action = "讨论"};
    NO(YS_INVALID, ys_cmd_meeting_takeup(s, &test_ctx, 1, &bad, &evs_, &err_));
    bad = (ys_takeup_args){.item = 1, .presenter = "张三"};
    NO(YS_NOT_FOUND, ys_cmd_meeting_takeup(s, &test_ctx, 1, &bad, &evs_, &err_));
    bad = (ys_takeup_args){.item = 1, .document = "没有的文件"};
    NO(YS_NOT_FOUND, ys_cmd_meeting_takeup(s, &test_ctx, 1, &bad, &evs_, &err_));
    bad = (ys_takeup_args){.item = 9};
    NO(YS_NOT_FOUND, ys_cmd_meeting_takeup(s, &test_ctx, 1, &bad, &evs_, &err_));
    char *text = ys_report_plenary(s, 1, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "1月23日下午，测试省第一届人民代表大会第一次会议举行第二次全体会议。"));
    assert_non_null(strstr(text, "大会听取了省人大常委会副主任吴俊清作的关于议事规则的说明。"));
    assert_non_null(strstr(text, "在主席台就座的还有：唐登杰、吴俊清、李正印、王超等。在晋两院院士王一德也在主席台就座。"));
    /* the categories that begin alike one group (、), the groups apart (，) */
    assert_non_null(strstr(text, "在晋十四届全国人大代表、在晋十四届全国政协委员，十三届省政协委员等列席会议。"));
    ys_free(text);
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "晋中代表团全体会议", "晋中", &evs_, &err_));
    assert_null(ys_report_plenary(s, 2, &err));
    assert_int_equal(err.rc, YS_INVALID);
    assert_null(ys_report_plenary(s, 5, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    digest_kept(s);
    ys_session_free(s);
}

/* What ys__rep_deputy makes of the assembly's name, as a string to compare. */
static void deputy_of(ys_session *s, const char *assembly, const char *expected)
{
    char *kept = s->assembly;
    ys_buf t;
    ys_buf_init(&t, 256);
    s->assembly = (char *)assembly;
    ys__rep_deputy(&t, s);
    assert_string_equal(t.p, expected);
    s->assembly = kept;
    ys_buf_free(&t);
}

/* How a paper calls people: a delegate by the assembly's level, a presenter by name and the last title. */
static void how_people_are_called(void **state)
{
    (void)state;
    ys_session *s = afternoon();
    deputy_of(s, "山西省人民代表大会", "省人大代表");
    deputy_of(s, "全国人民代表大会", "全国人大代表");
    deputy_of(s, "北京市海淀区人民代表大会", "区人大代表");
    deputy_of(s, "太原市人民代表大会", "市人大代表");
    deputy_of(s, "某某协会会员代表大会", "代表");
    assert_int_equal(test_import(s, YS_IMPORT_POSTS, "rank,title\n2,省委副书记、省长\n", NULL), YS_OK);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation,seat,roles,post\n"
                                 "Y1,金湘军,男,汉族,运城,,,省委副书记、省长\n", NULL), YS_OK);
    ys_buf t;
    ys_buf_init(&t, 256);
    ys_person jin = {.delegate = 6}, tang = {.delegate = 1}, wang = {.delegate = 4};
    ys__rep_name_title(&t, s, jin);
    ys__rep_name_title(&t, s, tang);
    ys__rep_name_title(&t, s, wang);
    assert_string_equal(t.p, "金湘军省长唐登杰省委书记王超");
    ys_buf_free(&t);
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_and_half_day),
        cmocka_unit_test(people_in_their_roles),
        cmocka_unit_test(bulletin_as_held),
        cmocka_unit_test(plenary_report),
        cmocka_unit_test(how_people_are_called),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
