/* test_speech.c — the speakers list: requests in order, one speaker at a time, the floor to the first
 * waiting or to someone named, withdrawals, and what was said recorded when a speech ends. */
#include "testutil.h"

#include "yishi/speech.h"

#define OK TEST_OK
#define NO TEST_NO

/* A delegation meeting of 第2代表团 (D1, D3, D5 … of 20 delegates in 2 delegations), all but D19 present. */
static ys_session *deliberation(void)
{
    ys_session *s = test_session("prc-provincial");
    char *csv = test_delegates_csv(20, 2);
    assert_int_equal(test_import(s, YS_IMPORT_DELEGATES, csv, NULL), YS_OK);
    ys_free(csv);
    OK(ys_cmd_meeting_open(s, &test_ctx, YS_MEETING_DELEGATION, "审议政府工作报告", "第2代表团", &evs_, &err_));
    for (int i = 1; i < 19; i += 2) {
        char code[8];
        snprintf(code, sizeof code, "D%d", i);
        OK(ys_cmd_attendance(s, &test_ctx, 1, code, YS_PRESENT, NULL, &evs_, &err_));
    }
    return s;
}

static void speakers_in_turn(void **state)
{
    (void)state;
    ys_session *s = deliberation();
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "D5", "审议政府工作报告", &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "D1", NULL, &evs_, &err_));
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "D3", NULL, &evs_, &err_));
    NO(YS_CONFLICT, ys_cmd_speech_request(s, &test_ctx, 1, "D5", NULL, &evs_, &err_));   /* already waiting */
    NO(YS_CONFLICT, ys_cmd_speech_request(s, &test_ctx, 1, "D2", NULL, &evs_, &err_));   /* another delegation */
    NO(YS_STATE, ys_cmd_speech_request(s, &test_ctx, 1, "D19", NULL, &evs_, &err_));     /* not checked in */
    NO(YS_STATE, ys_cmd_speech_end(s, &test_ctx, 1, NULL, &evs_, &err_));                /* nobody speaking */
    OK(ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));
    assert_string_equal(s->delegates[ys_meeting_speaker(s, 1)->delegate - 1].code, "D5"); /* first to ask */
    NO(YS_STATE, ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));              /* one at a time */
    NO(YS_INVALID, ys_cmd_speech_end(s, &test_ctx, 1, "bell\a", &evs_, &err_));
    OK(ys_cmd_speech_end(s, &test_ctx, 1, "赞同报告。\n建议加强基层医疗。", &evs_, &err_));
    assert_string_equal(ys_speech_get(s, 1)->summary, "赞同报告。\n建议加强基层医疗。");
    assert_int_equal(ys_speech_get(s, 1)->state, YS_SPEECH_DONE);
    OK(ys_cmd_speech_withdraw(s, &test_ctx, 1, "D1", &evs_, &err_));
    NO(YS_STATE, ys_cmd_speech_withdraw(s, &test_ctx, 1, "D1", &evs_, &err_));
    OK(ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_));
    assert_string_equal(s->delegates[ys_meeting_speaker(s, 1)->delegate - 1].code, "D3"); /* D1 withdrew */
    OK(ys_cmd_speech_end(s, &test_ctx, 1, NULL, &evs_, &err_));
    /* the chair may give the floor to someone who did not ask: they join the list as they start */
    OK(ys_cmd_speech_start(s, &test_ctx, 1, "D9", &evs_, &err_));
    assert_int_equal(s->n_speeches, 4);
    assert_int_equal(ys_meeting_speaker(s, 1)->id, 4);
    NO(YS_STATE, ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_)); /* not while someone has the floor */
    OK(ys_cmd_speech_end(s, &test_ctx, 1, NULL, &evs_, &err_));
    NO(YS_STATE, ys_cmd_speech_start(s, &test_ctx, 1, NULL, &evs_, &err_)); /* nobody left waiting */
    /* a delegate may speak again once done */
    OK(ys_cmd_speech_request(s, &test_ctx, 1, "D5", NULL, &evs_, &err_));
    OK(ys_cmd_meeting_close(s, &test_ctx, 1, &evs_, &err_));
    NO(YS_STATE, ys_cmd_speech_request(s, &test_ctx, 1, "D7", NULL, &evs_, &err_)); /* meeting closed */
    ys_session_free(s);
}

/* One table in the core gives a speech's state its word, for the API and the command line alike. */
static void state_words(void **state)
{
    (void)state;
    assert_string_equal(ys_speech_state_word(YS_SPEECH_WAITING), "waiting");
    assert_string_equal(ys_speech_state_word(YS_SPEECH_SPEAKING), "speaking");
    assert_string_equal(ys_speech_state_word(YS_SPEECH_DONE), "spoke");
    assert_string_equal(ys_speech_state_word(YS_SPEECH_WITHDRAWN), "withdrawn");
    assert_string_equal(ys_speech_state_word((ys_speech_state)0), "?");
    assert_string_equal(ys_speech_state_word((ys_speech_state)(YS_SPEECH_WITHDRAWN + 1)), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(speakers_in_turn),
        cmocka_unit_test(state_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
