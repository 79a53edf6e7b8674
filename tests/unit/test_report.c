/* test_report.c — the bulletin (简报) of a deliberation: Beijing time, the delegation, the topic, the
 * attendance, the speakers in the order they spoke and what each said. */
#include "testutil.h"

#include "yishi/alloc.h"
#include "yishi/report.h"
#include "yishi/speech.h"

#define OK TEST_OK

static void bulletin_of_a_deliberation(void **state)
{
    (void)state;
    ys_session *s = test_session("prc-provincial");
    ys_err err = {0};
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, "code,name,gender,ethnicity,delegation\n"
                                 "J1,唐登杰,男,汉族,晋中\nJ2,常书铭,男,汉族,晋中\nJ3,刘星,女,汉族,晋中\n"
                                 "J4,王超,男,汉族,晋中\nT1,韦韬,男,汉族,太原\n", NULL), YS_OK);
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "晋中代表团全体会议", "晋中", &evs_, &err_));
    const char *here[] = {"J1", "J2", "J3"};
    for (int i = 0; i < 3; i++)
        OK(ys_cmd_attendance(s, &test_ctx, 1, here[i], YS_PRESENT, NULL, &evs_, &err_));
    OK(ys_cmd_attendance(s, &test_ctx, 1, "J4", YS_ON_LEAVE, "因公请假", &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "J2", "审议政府工作报告", &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "J3", NULL, &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "J1", NULL, &evs_, &err_));
    OK(ys_cmd_speech_withdraw(s, &test_ctx, 1, "J3", &evs_, &err_)); /* withdrew: not among the speakers */
    OK(ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, "完全赞同政府工作报告。", &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, "是一个求真务实的报告。", &evs_, &err_));
    char *text = ys_report_bulletin(s, 1, 3, true, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "测试省第一届人民代表大会第一次会议\n简  报\n（第3期）\n"));
    /* 07:00 UTC is 15:00 in Beijing: the afternoon */
    assert_non_null(strstr(text, "1月23日下午，晋中代表团举行全体会议，审议政府工作报告。应出席4人，出席3人，请假1人（王超）。"));
    assert_non_null(strstr(text, "审议中，常书铭、唐登杰等代表先后发言。"));
    assert_non_null(strstr(text, "常书铭代表说：完全赞同政府工作报告。\n\n唐登杰代表说：是一个求真务实的报告。"));
    assert_null(strstr(text, "刘星"));
    ys_free(text);
    /* Without what was said, the rest of the bulletin stays as it was: who spoke, in order. */
    text = ys_report_bulletin(s, 1, 3, false, &err);
    assert_non_null(text);
    assert_non_null(strstr(text, "审议中，常书铭、唐登杰等代表先后发言。"));
    assert_null(strstr(text, "代表说"));
    ys_free(text);
    /* Every allocation of the text may fail: then no bulletin, and the error says so. */
    for (long n = 1;; n++) {
        ys_alloc_fail_after(n);
        text = ys_report_bulletin(s, 1, 3, true, &err);
        ys_alloc_fail_after(0);
        if (text)
            break;
        assert_int_equal(err.rc, YS_NOMEM);
    }
    ys_free(text);
    assert_null(ys_report_bulletin(s, 9, 1, true, &err));
    assert_int_equal(err.rc, YS_NOT_FOUND);
    ys_session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bulletin_of_a_deliberation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
