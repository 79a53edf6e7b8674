/* test_speech_api.c — the speakers list and the announcements over HTTP: whose behalf each login may act
 * on (a delegate only for themself, a chair only in the whole assembly's meetings, a delegation secretary
 * only in theirs), what was said shown to staff only, and announcements logged once. */
#include "apitest.h"

static api_server srv;
static char *chair, *secretariat, *taiyuan, *delegate;

#define MEETING_PLENARY "/api/meetings/6"   /* the demo's open closing plenary */
#define MEETING_TAIYUAN "/api/meetings/4"   /* 太原's delegation meeting, closed */
#define MEETING_JINZHONG "/api/meetings/3"  /* 晋中's, closed, with the seed page's seven speakers */

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    taiyuan = api_login_staff(&srv, "taiyuan", "demo-taiyuan");
    delegate = api_login(&srv, "{\"code\":\"DEMO-0001-4010-0001\",\"pin\":\"135790\"}"); /* 韦韬, 太原, 140100001 */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ys_free(chair), ys_free(secretariat), ys_free(taiyuan), ys_free(delegate);
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

static void post(const char *path, const char *token, const char *body, int status, const char *code)
{
    api_post_expect(&srv, path, token, body, status, code);
}

/* 韦韬 asks, the chair gives him the floor, ends the speech with what he said; only staff read it. */
static void the_floor_in_turn(void **state)
{
    (void)state;
    post(MEETING_PLENARY "/speakers", delegate, "{\"delegate\":\"140100002\"}", 403, "forbidden");
    post(MEETING_PLENARY "/speakers", delegate, "{\"topic\":\"预算报告\"}", 201, NULL);
    post(MEETING_PLENARY "/speakers", delegate, "{}", 409, "conflict");
    post(MEETING_PLENARY "/speakers", secretariat, "{}", 422, "bad_field"); /* staff name the delegate */
    post(MEETING_PLENARY "/speakers", secretariat, "{\"delegate\":\"140100002\"}", 201, NULL);
    post(MEETING_PLENARY "/speakers/next", delegate, NULL, 403, "forbidden");
    post(MEETING_PLENARY "/speakers/next", taiyuan, NULL, 403, "forbidden"); /* not 太原's meeting */
    post(MEETING_PLENARY "/speakers/next", chair, NULL, 201, NULL);
    post(MEETING_PLENARY "/speakers/next", chair, NULL, 409, "wrong_state"); /* one at a time */
    post(MEETING_PLENARY "/speakers/end", chair, "{\"summary\":\"赞同预算报告。\\n建议加大基层医疗投入。\"}", 201, NULL);
    post(MEETING_PLENARY "/speakers/withdraw", delegate, "{\"delegate\":\"140100002\"}", 403, "forbidden");
    post(MEETING_PLENARY "/speakers/withdraw", secretariat, "{\"delegate\":\"140100002\"}", 201, NULL);

    api_resp pub = api_call(&srv, "GET", MEETING_PLENARY "/speakers", NULL, NULL);
    api_expect(pub, 200, NULL);
    json_t *first = json_array_get(json_object_get(pub.json, "speakers"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "韦韬");
    assert_string_equal(json_string_value(json_object_get(first, "state")), "spoke");
    assert_null(json_object_get(first, "summary")); /* the secretary's notes are not for the board */
    api_free(&pub);
    api_resp staff = api_call(&srv, "GET", MEETING_PLENARY "/speakers", secretariat, NULL);
    first = json_array_get(json_object_get(staff.json, "speakers"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "summary")), "赞同预算报告。\n建议加大基层医疗投入。");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(staff.json, "speakers"), 1),
                                                          "state")), "withdrawn");
    api_free(&staff);
}

/* The seed page's order of speakers in 晋中's deliberation; a chair does not preside there. */
static void a_delegation_meeting(void **state)
{
    (void)state;
    static const char *const order[] = {"常书铭", "刘星", "刘玉东", "王慧琴", "王超", "原丽花", "唐登杰"};
    api_resp r = api_call(&srv, "GET", MEETING_JINZHONG "/speakers", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *list = json_object_get(r.json, "speakers");
    assert_int_equal(json_array_size(list), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "name")), order[i]);
    api_free(&r);
    post(MEETING_TAIYUAN "/speakers/next", chair, NULL, 403, "forbidden");
    post(MEETING_TAIYUAN "/speakers/next", taiyuan, NULL, 409, "wrong_state"); /* its own, but closed */
    r = api_call(&srv, "GET", "/api/meetings/99/speakers", NULL, NULL);
    api_expect(r, 404, "not_found");
    api_free(&r);
}

/* The demo's closing plenary has announced its votes; a poll closed now is announced once, by the chair. */
static void announcements(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "POST", "/api/polls", chair, "{\"title\":\"临时动议\"}");
    api_expect(r, 201, NULL);
    api_free(&r);
    post("/api/polls/8/announce", chair, NULL, 409, "wrong_state"); /* not closed yet */
    post("/api/polls/8/open", chair, NULL, 200, NULL);
    post("/api/polls/8/close", chair, NULL, 200, NULL);
    post("/api/polls/8/announce", secretariat, NULL, 403, "forbidden");
    post("/api/polls/8/announce", chair, NULL, 201, NULL);
    post("/api/polls/8/announce", chair, NULL, 409, "conflict");
    r = api_call(&srv, "GET", "/api/polls/8", NULL, NULL);
    assert_true(json_is_true(json_object_get(r.json, "announced")));
    assert_non_null(strstr(api_str(&r, "announcement"), "未通过。"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/elections/1", NULL, NULL);
    assert_non_null(strstr(api_str(&r, "announcement"), "唐登杰得赞成票"));
    api_free(&r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_floor_in_turn),
        cmocka_unit_test(a_delegation_meeting),
        cmocka_unit_test(announcements),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
