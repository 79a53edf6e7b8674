/* test_reports.c — the reports and exports written from the log alone: results in the words announced (NPC rules
 * Art. 59), the session summary, roll calls only of named polls; Popolo JSON's shape with no secret ballot's content,
 * CSV quoting, the Akoma Ntoso debate well-formed and escaped. */
#include "testutil.h"

#include "yishi/meeting.h"
#include "yishi/motion.h"
#include "yishi/poll.h"
#include "yishi/reports.h"
#include "yishi/speech.h"

#include <sys/wait.h>

#define OK TEST_OK

/* 30 delegates in two delegations; a plenary with 25 present; poll 1 named (D1–D15 yes, D16–D18 no), poll 2
 * anonymous (D1–D20 yes), the by-election of the standing committee's chair (D1–D20 for 唐登杰, secretly); and
 * 晋中's meeting where D2 and then D1 spoke. */
static ys_session *held(void)
{
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(30, 2);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    assert_int_equal(test_import(s, YS_IMPORT_ATTENDEES, "name,kind,post,affiliation\n"
                                 "\"王, 五\",attendee,,\"省\"\"政府\"\"办公厅\"\n"
                                 "=1+2,attendee,,-2+3\n@cmd,attendee,,+省\n", NULL), YS_OK);
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_PLENARY, "第一次全体会议", NULL, &evs_, &err_));
    for (int i = 1; i <= 25; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    ys_poll_args named = {.title = "关于<甲>&\"乙\"的决议", .method = YS_METHOD_TERMINAL, .named = true};
    ys_poll_args anon = {.title = "表决关于丙的决议", .method = YS_METHOD_TERMINAL};
    OK(ys_cmd_poll_create(s, &test_ctx, &named, &evs_, &err_));
    OK(ys_cmd_poll_create(s, &test_ctx, &anon, &evs_, &err_));
    for (int poll = 1; poll <= 2; poll++) {
        OK(ys_cmd_poll_open(s, &test_ctx, poll, &evs_, &err_));
        for (int i = 1; i <= (poll == 1 ? 18 : 20); i++) {
            char code[16];
            snprintf(code, sizeof code, "D%d", i);
            OK(ys_cmd_poll_vote(s, &test_ctx, poll, code, i <= 15 || poll == 2 ? YS_CHOICE_YES : YS_CHOICE_NO, &evs_,
                                &err_));
        }
        OK(ys_cmd_poll_close(s, &test_ctx, poll, &evs_, &err_));
    }
    OK(ys_cmd_poll_announce(s, &test_ctx, 1, &evs_, &err_)); /* poll 2 is left unannounced */
    ys_election_args ea = {.kind = YS_ELECTION, .office = "sc_chair", .seats = 1, .by_election = true};
    OK(ys_cmd_election_create(s, &test_ctx, &ea, &evs_, &err_));
    OK(ys_cmd_election_nominate(s, &test_ctx, 1, "唐登杰", NULL, 0, &evs_, &err_));
    OK(ys_cmd_election_open(s, &test_ctx, 1, &evs_, &err_));
    for (int i = 1; i <= 20; i++) {
        char code[16];
        const char *yes[] = {"唐登杰"};
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_election_vote(s, &test_ctx, 1, code, &(ys_ballot){.yes = yes, .n_yes = 1}, &evs_, &err_));
    }
    OK(ys_cmd_election_close(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_election_announce(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "代表团全体会议", s->delegations[0].name, &evs_, &err_));
    OK(ys_cmd_attendance(s, &test_ctx, 2, "D1", YS_PRESENT, NULL, &evs_, &err_));
    OK(ys_cmd_attendance(s, &test_ctx, 2, "D3", YS_PRESENT, NULL, &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 2, "D3", &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 2, "赞同<报告>&建议", &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 2, "D1", &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 2, "完全赞同。", &evs_, &err_));
    return s;
}

static char *text_of(ys_rdoc *d)
{
    ys_err err = {0};
    assert_non_null(d);
    char *t = ys_rdoc_text(d, NULL, &err);
    assert_non_null(t);
    ys_rdoc_free(d);
    return t;
}

static void results_in_the_words_announced(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    char *t = text_of(ys_report_results(s, 0, 0, &err)), want[1024];
    /* the logged announcement, word for word, and the one not announced yet in the words it will use */
    assert_non_null(strstr(t, ys_poll_get(s, 1)->announcement));
    ys_poll_announcement(ys_poll_get(s, 2), want, sizeof want);
    strcat(want, "（尚未宣布）");
    assert_non_null(strstr(t, want));
    assert_non_null(strstr(t, "表决关于<甲>&\"乙\"的决议\n"));
    assert_non_null(strstr(t, "\n表决关于丙的决议\n")); /* not 表决表决 */
    assert_non_null(strstr(t, ys_session_election_get(s, 1)->announcement));
    assert_non_null(strstr(t, "唐登杰得赞成票20张，当选。"));
    /* in the order held: poll 1, poll 2, then the election */
    assert_true(strstr(t, "丙的决议") < strstr(t, "补选："));
    ys_free(t);
    t = text_of(ys_report_results(s, 0, 1, &err));
    assert_null(strstr(t, "决议"));
    ys_free(t);
    assert_null(ys_report_results(s, 9, 0, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    ys_session_free(s);
}

static void summary_of_the_session(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    char *t = text_of(ys_report_summary(s, &err));
    assert_non_null(strstr(t, "本次会议共举行会议2次，其中大会全体会议和预备会议1次，代表团全体会议和小组会议1次。"));
    assert_non_null(strstr(t, "第一次全体会议  2024年1月23日下午"));
    assert_non_null(strstr(t, "- 补选省人民代表大会常务委员会主任：唐登杰当选。"));
    assert_non_null(strstr(t, "- 表决关于丙的决议：赞成20票，反对0票，弃权0票，通过。"));
    assert_non_null(strstr(t, "三、议案及其处理情况"));
    ys_free(t);
    ys_session_free(s);
}

/* The motions and their fate, in the summary and in Popolo: who put each, its title, the presidium's decision,
 * the answer; the sponsors in the order they signed. */
static void motions_reported(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    ys_motion_draft m = {.kind = YS_MOTION, .by = YS_BY_DELEGATES, .lead = "D3", .title = "关于修建污水处理厂的议案"};
    ys_motion_draft sg = {.kind = YS_MOTION_SUGGESTION, .by = YS_BY_DELEGATES, .lead = "D4",
                          .title = "关于加强农村供水保障的建议", .addressee = "省水利厅"};
    ys_motion_draft rc = {.kind = YS_MOTION_RECALL, .by = YS_BY_PRESIDIUM, .title = "关于罢免张某某职务的议案",
                          .grounds = "严重违纪违法", .person = "张某某"};
    OK(ys_cmd_motion_draft(s, &test_ctx, &m, &evs_, &err_));
    for (int i = 1; i <= 10; i++) {
        char code[16];
        snprintf(code, sizeof code, "D%d", i);
        if (i != 3)
            OK(ys_cmd_motion_sign(s, &test_ctx, 1, code, &evs_, &err_));
    }
    OK(ys_cmd_motion_submit(s, &test_ctx, 1, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 1, YS_DECIDE_COMMITTEE, "交法制委员会审议", &evs_, &err_));
    OK(ys_cmd_motion_draft(s, &test_ctx, &sg, &evs_, &err_));
    OK(ys_cmd_motion_submit(s, &test_ctx, 2, &evs_, &err_));
    OK(ys_cmd_motion_decide(s, &test_ctx, 2, YS_DECIDE_REFER, NULL, &evs_, &err_));
    OK(ys_cmd_motion_answer(s, &test_ctx, 2, "省水利厅", "已列入供水工程。", &evs_, &err_));
    OK(ys_cmd_motion_rate(s, &test_ctx, 2, "D4", YS_BASICALLY_SATISFIED, &evs_, &err_));
    OK(ys_cmd_motion_draft(s, &test_ctx, &rc, &evs_, &err_));
    char *t = text_of(ys_report_summary(s, &err)), line[512];
    snprintf(line, sizeof line, "- %s等10名代表提出的关于修建污水处理厂的议案：主席团决定先交有关的专门委员会审议（交法制委员会审议）。",
             ys_delegate_by_code(s, "D3")->name);
    assert_non_null(strstr(t, "议案1件，其中已提出1件："));
    assert_non_null(strstr(t, line));
    snprintf(line, sizeof line, "- %s代表提出的关于加强农村供水保障的建议：主席团决定交有关机关办理；省水利厅已答复，代表表示基本满意。",
             ys_delegate_by_code(s, "D4")->name);
    assert_non_null(strstr(t, line));
    assert_non_null(strstr(t, "- 主席团提出的关于罢免张某某职务的议案：已提出，待主席团决定。"));
    ys_free(t);
    json_t *p = ys_export_popolo(s, &err);
    json_t *motions = json_object_get(p, "motions");
    assert_int_equal(json_array_size(motions), 3);
    json_t *first = json_array_get(motions, 0);
    assert_string_equal(json_string_value(json_object_get(first, "creator_id")), "person/D3");
    assert_int_equal(json_array_size(json_object_get(first, "sponsors")), 10);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(first, "sponsors"), 1), "person_id")),
                        "person/D1");
    assert_string_equal(json_string_value(json_object_get(json_object_get(first, "result"), "decision")), "committee");
    assert_string_equal(json_string_value(json_object_get(json_array_get(motions, 2), "creator")), "presidium");
    json_decref(p);
    ys_session_free(s);
}

static void rollcall_only_of_named_polls(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    char *t = text_of(ys_report_rollcall(s, 0, &err));
    const ys_delegate *d16 = ys_delegate_by_code(s, "D16"), *d30 = ys_delegate_by_code(s, "D30");
    char line[256];
    snprintf(line, sizeof line, "D16       %s", d16->name);
    assert_non_null(strstr(t, "关于<甲>&\"乙\"的决议"));
    assert_null(strstr(t, "丙的决议")); /* anonymous: no roll call */
    assert_non_null(strstr(t, "反对"));
    assert_non_null(strstr(t, "未按表决器")); /* D19–D25 present, did not vote */
    assert_non_null(strstr(t, "缺席"));
    assert_non_null(strstr(t, d30->name));
    assert_non_null(strstr(t, "应出席30人，出席25人，参加表决18人，未按表决器7人，缺席5人。"));
    ys_free(t);
    assert_null(ys_report_rollcall(s, 2, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    assert_non_null(strstr(err.msg, "anonymous"));
    ys_session_free(s);
}

static void popolo_shape(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    OK(ys_cmd_meeting_held(s, &test_ctx, 2, "2024-01-22", "晚上", &evs_, &err_)); /* entered from paper */
    json_t *p = ys_export_popolo(s, &err);
    assert_non_null(p);
    /* a meeting held on the day it opened starts at its opening; one recorded from paper on its own day */
    json_t *events = json_object_get(p, "events");
    const char *opened = json_string_value(json_object_get(json_array_get(events, 0), "start_date"));
    assert_string_equal(opened, s->meetings[0].opened_at);
    assert_string_equal(json_string_value(json_object_get(json_array_get(events, 1), "start_date")), "2024-01-22");
    assert_null(json_object_get(json_array_get(events, 1), "end_date"));
    assert_int_equal(json_array_size(json_object_get(p, "persons")), 33); /* 30 delegates and the three attendees */
    assert_int_equal(json_array_size(json_object_get(p, "organizations")), 3);
    assert_int_equal(json_array_size(json_object_get(p, "memberships")), 60);
    assert_int_equal(json_array_size(json_object_get(p, "events")), 2);
    json_t *ve = json_object_get(p, "vote_events");
    assert_int_equal(json_array_size(ve), 3);
    json_t *named = json_array_get(ve, 0), *anon = json_array_get(ve, 1), *el = json_array_get(ve, 2);
    assert_string_equal(json_string_value(json_object_get(named, "result")), "fail"); /* 15 of 30: not more than half of all */
    assert_int_equal(json_array_size(json_object_get(named, "votes")), 18);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(named, "votes"), 15), "option")),
                        "no");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(named, "counts"), 0), "value")), 15);
    assert_null(json_object_get(anon, "votes")); /* anonymous: totals only */
    assert_null(json_object_get(el, "votes"));   /* a secret ballot: the sums only */
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(el, "counts"), 0), "candidate")),
                        "唐登杰");
    char head[YS_HASH_HEX];
    ys_hash_hex(s->head, head);
    assert_string_equal(json_string_value(json_object_get(json_object_get(p, "meta"), "log_head")), head);
    /* nothing of why anyone was on leave, nor any ballot's id */
    char *text = ys_json_dumps(p, 0);
    assert_null(strstr(text, "reason"));
    ys_free(text);
    json_decref(p);
    ys_session_free(s);
}

static void csv_quoted(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    size_t len;
    char *t = ys_export_csv(s, "attendees", &len, &err);
    assert_non_null(t);
    /* a text a spreadsheet would run as a formula is led by an apostrophe (and so quoted); numbers never */
    assert_string_equal(t, "id,name,kind,post,affiliation\r\n1,\"王, 五\",attendee,\"\",\"省\"\"政府\"\"办公厅\"\r\n"
                           "2,\"'=1+2\",attendee,\"\",\"'-2+3\"\r\n3,\"'@cmd\",attendee,\"\",\"'+省\"\r\n");
    ys_free(t);
    t = ys_export_csv(s, "polls", &len, &err);
    assert_non_null(strstr(t, "1,\"关于<甲>&\"\"乙\"\"的决议\",1,0,terminal,true,simple,closed,"));
    assert_non_null(strstr(t, ",30,25,15,3,0,7,16,fail,true\r\n"));
    ys_free(t);
    t = ys_export_csv(s, "elections", &len, &err);
    assert_non_null(strstr(t, ",唐登杰,20,0,0,false,true\r\n"));
    ys_free(t);
    t = ys_export_csv(s, "attendance", &len, &err);
    assert_non_null(strstr(t, "\r\n1,D26,"));
    assert_non_null(strstr(t, ",absent\r\n"));
    ys_free(t);
    /* every list parses back with the reader of imports, and an unknown one is named */
    for (size_t i = 0; ys_export_csv_lists[i]; i++) {
        ys_csv *c = NULL;
        t = ys_export_csv(s, ys_export_csv_lists[i], &len, &err);
        assert_non_null(t);
        assert_int_equal(ys_csv_parse(t, len, &c, NULL), YS_OK);
        ys_csv_free(c);
        ys_free(t);
    }
    assert_null(ys_export_csv(s, "minutes", &len, &err));
    assert_int_equal(err.rc, YS_INVALID);
    assert_non_null(strstr(err.msg, "minutes"));
    ys_session_free(s);
}

static void akn_well_formed(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    size_t len;
    /* meeting 2 entered afterwards as held on a day of its own, and one of its delegates on leave */
    OK(ys_cmd_meeting_held(s, &test_ctx, 2, "2024-01-22", "晚上", &evs_, &err_));
    OK(ys_cmd_attendance(s, &test_ctx, 2, "D5", YS_ON_LEAVE, "因病", &evs_, &err_));
    for (int m = 1; m <= 2; m++) {
        char *x = ys_export_akn(s, m, true, &len, &err), *path = test_tmpfile(), cmd[600];
        assert_non_null(x);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(x, 1, len, f);
        fclose(f);
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
        int st = system(cmd);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        if (m == 1) {
            assert_non_null(strstr(x, "<quorum value=\"20\" refersTo=\"#quorum\"/>"));
            assert_non_null(strstr(x, "<count value=\"15\" refersTo=\"#yes\"/>"));
            assert_non_null(strstr(x, "<heading>关于&lt;甲&gt;&amp;&quot;乙&quot;的决议</heading>"));
        } else {
            const char *a = strstr(x, "<p>赞同&lt;报告&gt;&amp;建议</p>"), *b = strstr(x, "<p>完全赞同。</p>");
            assert_true(a && b && a < b); /* in the order they spoke */
            /* the day it was held, never the clock's; 缺席 without those on leave, as the bulletin counts */
            assert_non_null(strstr(x, "<FRBRdate date=\"2024-01-22\" name=\"meeting\"/>"));
            assert_non_null(strstr(x, "<docDate date=\"2024-01-22\">2024年1月22日晚上</docDate>"));
            assert_non_null(strstr(x, "，请假1人（代表5），缺席12人（代表7、"));
            assert_null(strstr(x, "<analysis")); /* no quorum and no vote: <parliamentary> would be empty */
            assert_non_null(strstr(x, "<p>会上没有表决。</p>"));
        }
        test_rmfile(path);
        ys_free(path);
        ys_free(x);
    }
    /* without `said`, what each said stays out */
    char *x = ys_export_akn(s, 2, false, &len, &err);
    assert_null(strstr(x, "完全赞同"));
    ys_free(x);
    assert_null(ys_export_akn(s, 7, true, &len, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    ys_session_free(s);
}

/* Every allocation of an export may fail: then nothing, and the error says so. */
static void exports_fail_clean(void **state)
{
    (void)state;
    ys_session *s = held();
    ys_err err = {0};
    for (long n = 1;; n++) {
        size_t len;
        ys_alloc_fail_after(n);
        char *c = ys_export_csv(s, "polls", &len, &err), *a = ys_export_akn(s, 1, true, &len, &err);
        ys_rdoc *d = ys_report_summary(s, &err);
        char *t = d ? ys_rdoc_text(d, NULL, &err) : NULL;
        ys_alloc_fail_after(0);
        bool done = c && a && t;
        ys_free(c);
        ys_free(a);
        ys_free(t);
        ys_rdoc_free(d);
        if (done)
            break;
    }
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_in_the_words_announced), cmocka_unit_test(summary_of_the_session), cmocka_unit_test(motions_reported),
        cmocka_unit_test(rollcall_only_of_named_polls),   cmocka_unit_test(popolo_shape),
        cmocka_unit_test(csv_quoted),                     cmocka_unit_test(akn_well_formed),
        cmocka_unit_test(exports_fail_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
