/* test_held_api.c — a meeting as held over HTTP on the demo: the seed afternoon's record read back, its
 * bulletins numbered once each, the plenary report, whose behalf each login records for, and every bad input
 * (a speech at a closed meeting, a presiding person who is no one, an unknown half-day, a date that is not a
 * date) refused with its code and nothing logged. */
#include "apitest.h"

static api_server srv;
static char *chair, *secretariat, *taiyuan;

static int setup(void **state)
{
    (void)state;
    api_demo_up(&srv);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    taiyuan = api_login_staff(&srv, "taiyuan", "demo-taiyuan");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ys_free(chair), ys_free(secretariat), ys_free(taiyuan);
    return api_demo_down(&srv);
}

static void post(const char *path, const char *token, const char *body, int status, const char *code)
{
    api_post_expect(&srv, path, token, body, status, code);
}

static void the_afternoon_as_held(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/meetings/3/held", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "date"), "2024-01-23");
    assert_string_equal(api_str(&r, "half_day"), "afternoon");
    json_t *leader = json_array_get(json_object_get(r.json, "people"), 0);
    assert_string_equal(json_string_value(json_object_get(leader, "role")), "leader");
    assert_string_equal(json_string_value(json_object_get(leader, "name")), "唐登杰");
    assert_string_equal(json_string_value(json_object_get(leader, "post")), "省委书记");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=5", chair, NULL);
    api_expect(r, 200, NULL);
    assert_non_null(strstr(r.body, "1月23日下午"));
    assert_non_null(strstr(r.body, "大会听取了省人大常委会副主任贺天才作的关于《山西省人民代表大会议事规则（修订草案）》的说明。"));
    assert_non_null(strstr(r.body, "在晋两院院士王一德、黄庆学、徐明岗也在主席台就座。"));
    assert_non_null(strstr(r.headers, "text/plain; charset=utf-8"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=5&format=pdf", chair, NULL);
    api_expect(r, 200, NULL);
    assert_true(r.len > 5 && !memcmp(r.body, "%PDF-", 5));
    assert_non_null(strstr(r.headers, "application/pdf"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=5&format=html", chair, NULL);
    api_expect(r, 200, NULL);
    assert_non_null(strstr(r.body, "在晋两院院士王一德、黄庆学、徐明岗也在主席台就座。"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=5&format=doc", chair, NULL);
    api_expect(r, 400, "invalid");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=3", chair, NULL);
    api_expect(r, 400, "invalid");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/plenary?meeting=5", NULL, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    /* numbers per session, once each; the bulletin carries the one its meeting was given */
    post("/api/meetings/4/bulletin", taiyuan, NULL, 201, NULL);
    post("/api/meetings/3/bulletin", taiyuan, NULL, 403, "forbidden"); /* 晋中's, not 太原's */
    post("/api/meetings/3/bulletin", secretariat, NULL, 201, NULL);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3", secretariat, NULL);
    api_expect(r, 200, NULL);
    assert_non_null(strstr(r.body, "（第2期）"));
    assert_non_null(strstr(r.body, "审议中，常书铭、刘星、刘玉东、王慧琴、王超、原丽花等代表先后发言。"));
    assert_non_null(strstr(r.body, "在认真听取大家发言后，唐登杰说，"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=4", secretariat, NULL);
    assert_non_null(strstr(r.body, "（第1期）"));
    assert_non_null(strstr(r.body, "审议中，韦韬代表发言。"));
    api_free(&r);
}

/* Each refusal names its field and logs nothing. */
static void bad_input(void **state)
{
    (void)state;
    long long seq = api_seq(&srv);
    post("/api/meetings/3/speakers", secretariat, "{\"delegate\":\"140700003\"}", 409, "wrong_state"); /* closed */
    post("/api/meetings/5/people", chair, "{\"role\":\"presiding\",\"person\":\"张三\"}", 404, "not_found");
    post("/api/meetings/5/people", chair, "{\"role\":\"chairing\",\"person\":\"贺天才\"}", 400, "invalid");
    post("/api/meetings/5/people", chair, "{\"role\":\"presiding\"}", 422, "bad_field");
    post("/api/meetings/3/people", chair, "{\"role\":\"joined\",\"person\":\"韦韬\"}", 403, "forbidden");
    post("/api/meetings/5/held", chair, "{\"date\":\"2024-01-23\",\"half_day\":\"中午\"}", 400, "invalid");
    post("/api/meetings/5/held", chair, "{\"date\":\"2024-02-30\",\"half_day\":\"下午\"}", 400, "invalid");
    post("/api/meetings/5/held", chair, "{\"date\":20240123,\"half_day\":\"下午\"}", 422, "bad_field");
    post("/api/meetings", chair, "{\"kind\":\"plenary\",\"title\":\"第四次全体会议\",\"date\":\"2024-1-25\"}", 400, "invalid");
    post("/api/meetings/5/takeups", chair, "{\"item\":7}", 409, "conflict"); /* taken up already */
    post("/api/meetings/5/takeups", chair, "{\"item\":1,\"presenter\":\"张三\"}", 404, "not_found");
    post("/api/meetings/99/held", chair, "{\"date\":\"2024-01-23\",\"half_day\":\"下午\"}", 404, "not_found");
    assert_int_equal(api_seq(&srv), seq);
    /* and what is right is recorded: a delegate of 太原 joins 晋中's (the secretariat records it) */
    post("/api/meetings/3/people", secretariat, "{\"role\":\"joined\",\"person\":\"韦韬\"}", 201, NULL);
    post("/api/meetings/3/people", secretariat, "{\"role\":\"joined\",\"person\":\"韦韬\"}", 409, "conflict");
    post("/api/meetings/3/held", secretariat, "{\"date\":\"2024-01-23\",\"half_day\":\"evening\"}", 201, NULL);
    api_resp r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3", secretariat, NULL);
    assert_non_null(strstr(r.body, "1月23日晚上"));
    assert_non_null(strstr(r.body, "韦韬参加审议。"));
    api_free(&r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_afternoon_as_held),
        cmocka_unit_test(bad_input),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
