/* test_motion_api.c — motions over HTTP on the demo: on whose behalf each login acts (a delegate drafts,
 * signs, submits and withdraws only as themself; the presidium's consent and decisions come from staff),
 * signatures from paper to the threshold, a body's recall, bad bodies refused with nothing written, and
 * the events on the public stream. */
#include "apitest.h"

static api_server srv;
static char *chair, *secretariat, *delegate, *delegate2;

static int setup(void **state)
{
    (void)state;
    api_demo_up(&srv);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    delegate = api_login(&srv, "{\"code\":\"DEMO-0001-4010-0001\",\"pin\":\"135790\"}");  /* 韦韬, 140100001 */
    delegate2 = api_login(&srv, "{\"code\":\"DEMO-0001-4010-0034\",\"pin\":\"284613\"}"); /* 吴山, 140100034 */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ys_free(chair), ys_free(secretariat), ys_free(delegate), ys_free(delegate2);
    return api_demo_down(&srv);
}

static void post(const char *path, const char *token, const char *body, int status, const char *code)
{
    api_post_expect(&srv, path, token, body, status, code);
}

static json_t *motion(int id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/motions/%d", id);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *o = json_incref(r.json);
    api_free(&r);
    return o;
}

#define MOTION "{\"title\":\"关于制定山西省黄河流域生态保护条例的议案\",\"plan\":\"列入立法计划\"}"

/* A delegate drafts as themself; ten signatures (two from terminals, eight from paper) submit it. */
static void drafted_signed_submitted(void **state)
{
    (void)state;
    long long before = api_seq(&srv);
    post("/api/motions", delegate, "{\"title\":\"关于…的议案\",\"lead\":\"140100002\"}", 403, "forbidden");
    post("/api/motions", delegate, "{\"title\":\"关于…的议案\",\"by\":\"presidium\"}", 403, "forbidden");
    post("/api/motions", delegate, "{\"plan\":\"列入立法计划\"}", 422, "bad_field"); /* no 案由 */
    post("/api/motions", delegate, "{\"title\":\"\"}", 400, "invalid");
    post("/api/motions", delegate, "{\"title\":\"关于…的议案\",\"kind\":\"petition\"}", 400, "invalid");
    post("/api/motions", secretariat, "{\"title\":\"关于…的议案\"}", 422, "bad_field"); /* whose draft? */
    post("/api/motions", chair, MOTION, 403, "forbidden");
    assert_int_equal(api_seq(&srv), before); /* nothing written */
    post("/api/motions", delegate, MOTION, 201, NULL);
    post("/api/motions/1/signatures", delegate, NULL, 409, "conflict"); /* the lead signed as they drafted */
    post("/api/motions/1/signatures", delegate2, "{\"delegate\":\"140100003\"}", 403, "forbidden");
    post("/api/motions/1/signatures", delegate2, NULL, 201, NULL);
    post("/api/motions/1/signatures", secretariat, "{\"delegate\":\"省长\"}", 404, "not_found");
    post("/api/motions/1/signatures", secretariat, NULL, 422, "bad_field");
    post("/api/motions/1/submit", delegate2, NULL, 403, "forbidden"); /* not the lead */
    for (int i = 2; i <= 8; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"delegate\":\"14010000%d\"}", i);
        post("/api/motions/1/signatures", secretariat, body, 201, NULL);
    }
    post("/api/motions/1/submit", delegate, NULL, 400, "invalid"); /* nine */
    post("/api/motions/1/signatures", secretariat, "{\"delegate\":\"140100009\"}", 201, NULL);
    post("/api/motions/1/submit", delegate, NULL, 201, NULL);
    json_t *m = motion(1);
    assert_string_equal(json_string_value(json_object_get(m, "state")), "submitted");
    assert_int_equal(json_integer_value(json_object_get(m, "signatures")), 10);
    json_t *signers = json_object_get(m, "signers");
    assert_string_equal(json_string_value(json_object_get(json_array_get(signers, 0), "name")), "韦韬");
    assert_string_equal(json_string_value(json_object_get(json_array_get(signers, 1), "name")), "吴山");
    json_decref(m);
}

/* The presidium places it on the agenda; its lead withdraws it only with the presidium's consent, which
 * only staff give. */
static void decided_and_withdrawn(void **state)
{
    (void)state;
    post("/api/motions/1/decide", delegate, "{\"decision\":\"agenda\"}", 403, "forbidden");
    post("/api/motions/1/decide", chair, "{\"decision\":\"oral\"}", 400, "invalid");
    post("/api/motions/1/decide", chair, "{\"decision\":\"soon\"}", 400, "invalid");
    post("/api/motions/1/decide", chair, "{\"decision\":\"agenda\",\"note\":\"交法制委员会审议\"}", 201, NULL);
    post("/api/motions/1/decide", chair, "{\"decision\":\"agenda\"}", 409, "wrong_state");
    post("/api/motions/1/withdraw", delegate, NULL, 409, "wrong_state");
    post("/api/motions/1/withdraw", delegate, "{\"consent\":true}", 403, "forbidden");
    post("/api/motions/1/withdraw", chair, "{\"consent\":true}", 201, NULL);
    json_t *m = motion(1);
    assert_string_equal(json_string_value(json_object_get(m, "state")), "withdrawn");
    assert_true(json_is_true(json_object_get(m, "withdrawn_with_consent")));
    assert_string_equal(json_string_value(json_object_get(m, "decision_name")), "列入大会议程");
    json_decref(m);
}

/* The presidium's recall is submitted as it is made; the person's response is recorded. */
static void a_recall_by_the_presidium(void **state)
{
    (void)state;
    post("/api/motions", secretariat, "{\"kind\":\"recall\",\"by\":\"presidium\",\"title\":\"关于罢免张某某副省长职务的议案\"}",
         400, "invalid"); /* neither the person nor the reasons */
    post("/api/motions", secretariat,
         "{\"kind\":\"recall\",\"by\":\"presidium\",\"title\":\"关于罢免张某某副省长职务的议案\",\"person\":\"张某某\","
         "\"grounds\":\"严重违纪违法\"}", 201, NULL);
    json_t *m = motion(2);
    assert_string_equal(json_string_value(json_object_get(m, "state")), "submitted");
    assert_true(json_is_null(json_object_get(m, "needed")));
    json_decref(m);
    post("/api/motions/2/signatures", delegate, NULL, 409, "wrong_state");
    post("/api/motions/2/decide", chair, "{\"decision\":\"agenda\"}", 201, NULL);
    post("/api/motions/2/answer", secretariat, "{\"text\":\"本人对所列事实有不同意见。\"}", 201, NULL);
    post("/api/motions/2/answer", delegate, "{\"text\":\"…\"}", 403, "forbidden");
    api_resp r = api_call(&srv, "GET", "/api/motions?kind=recall", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "motions")), 1);
    api_free(&r);
    r = api_call(&srv, "GET", "/api/motions?kind=petition", NULL, NULL);
    api_expect(r, 400, "invalid");
    api_free(&r);
}

/* A deadline in the past closes drafting; the board's stream carries the motion events. */
static void the_deadline_and_the_stream(void **state)
{
    (void)state;
    long long before = api_seq(&srv);
    post("/api/motion-deadlines", delegate, "{\"kind\":\"motion\",\"until\":\"2000-01-01T00:00:00.000Z\"}", 403, "forbidden");
    post("/api/motion-deadlines", chair, "{\"kind\":\"motion\",\"until\":\"tomorrow\"}", 400, "invalid");
    post("/api/motion-deadlines", chair, "{\"kind\":\"motion\",\"until\":\"2000-01-01T00:00:00.000Z\"}", 201, NULL);
    post("/api/motions", delegate2, MOTION, 409, "wrong_state");
    post("/api/motion-deadlines", chair, "{\"kind\":\"motion\",\"until\":\"\"}", 201, NULL);
    post("/api/motions", delegate2, MOTION, 201, NULL);
    char *events = api_read_stream(&srv, "/api/stream/public", NULL, before, 3);
    assert_non_null(events);
    assert_non_null(strstr(events, "event: motion.deadline"));
    assert_non_null(strstr(events, "event: motion.draft"));
    ys_free(events);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drafted_signed_submitted),
        cmocka_unit_test(decided_and_withdrawn),
        cmocka_unit_test(a_recall_by_the_presidium),
        cmocka_unit_test(the_deadline_and_the_stream),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
