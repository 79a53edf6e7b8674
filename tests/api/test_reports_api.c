/* test_reports_api.c — the reports and exports over HTTP: the same documents as `yishi report` and `yishi export`,
 * in each format with its type, a roll call only of a named poll, a meeting's record with what was said only for
 * those who may read it, and every bad query refused. */
#include "apitest.h"

static api_server srv;
static char *chair, *taiyuan, *weitao, *tang;

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    taiyuan = api_login_staff(&srv, "taiyuan", "demo-taiyuan");
    weitao = api_login_delegate(&srv, "140100001", "135790"); /* 韦韬 */
    tang = api_login_delegate(&srv, "140100002", "271828");   /* 汤志平 */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ys_free(chair), ys_free(taiyuan), ys_free(weitao), ys_free(tang);
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

/* The line of the roll call that names `code` ends with how they voted. */
static void voted(const char *body, const char *code, const char *how)
{
    const char *at = strstr(body, code), *end = at ? strchr(at, '\n') : NULL;
    assert_non_null(end);
    size_t n = strlen(how);
    assert_true((size_t)(end - at) > n && memcmp(end - n, how, n) == 0);
}

static void expect_type(const api_resp *r, const char *type)
{
    if (!strstr(r->headers, type))
        fail_msg("wanted %s in %s", type, r->headers);
}

/* A named poll voted by two delegates: its roll call says who voted how; an anonymous poll of the demo has none. */
static void rollcall_of_a_named_poll(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/polls", NULL, NULL);
    int poll = (int)json_array_size(json_object_get(r.json, "polls")) + 1;
    api_free(&r);
    char path[128];
    assert_int_equal(api_open_poll(&srv, chair, "{\"title\":\"关于<测试>的决定\",\"named\":true}"), poll);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    api_post_expect(&srv, path, weitao, "{\"choice\":\"yes\"}", 201, NULL);
    api_post_expect(&srv, path, tang, "{\"choice\":\"no\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/reports/rollcall?poll=%d", poll);
    r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 409, "wrong_state"); /* still open */
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    snprintf(path, sizeof path, "/api/reports/rollcall?poll=%d", poll);
    r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "text/plain; charset=utf-8");
    voted(r.body, "140100001", "赞成"); /* 韦韬 */
    voted(r.body, "140100002", "反对"); /* 汤志平 */
    voted(r.body, "140100003", "未按表决器");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/rollcall?poll=1", NULL, NULL);
    api_expect(r, 404, "not_found"); /* anonymous */
    api_free(&r);
}

static void formats(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/reports/results?format=pdf", NULL, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "application/pdf");
    assert_memory_equal(r.body, "%PDF-", 5);
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/summary?format=html", NULL, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "text/html; charset=utf-8");
    assert_non_null(strstr(r.body, "<h2>一、会议和出席情况</h2>"));
    assert_non_null(strstr(r.body, "yishi-log-head"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/results?election=1", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_non_null(strstr(r.body, "唐登杰得赞成票"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3&format=pdf", chair, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "application/pdf");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3&format=html", chair, NULL);
    api_expect(r, 200, NULL);
    assert_non_null(strstr(r.body, "代表先后发言"));
    api_free(&r);
    static const struct { const char *path; long status; const char *code; } bad[] = {
        {"/api/reports/results?format=docx", 400, "invalid"},  {"/api/reports/results?poll=x", 400, "invalid"},
        {"/api/reports/results?poll=99999", 404, "not_found"}, {"/api/reports/bulletin?meeting=3&format=rtf", 400, "invalid"},
        {"/api/exports/csv", 400, "invalid"},                  {"/api/exports/csv?list=minutes", 400, "invalid"},
        {"/api/exports/akn", 400, "invalid"},                  {"/api/exports/akn?meeting=99999", 404, "not_found"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = api_call(&srv, "GET", bad[i].path, chair, NULL);
        if (r.status != bad[i].status)
            fail_msg("%s: %ld %s", bad[i].path, r.status, r.body);
        api_expect(r, bad[i].status, bad[i].code);
        api_free(&r);
    }
}

static void exports(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/exports/popolo", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "organizations")), 13);
    json_t *ve = json_object_get(r.json, "vote_events");
    assert_true(json_array_size(ve) >= 8);
    assert_null(json_object_get(json_array_get(ve, 0), "votes")); /* the demo's polls are anonymous */
    api_free(&r);
    r = api_call(&srv, "GET", "/api/exports/csv?list=delegations", NULL, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "text/csv; charset=utf-8");
    assert_memory_equal(r.body, "id,name,members\r\n1,", 19);
    api_free(&r);
    /* what 晋中's delegates said: for the chair, not for the public nor 太原's secretary */
    r = api_call(&srv, "GET", "/api/exports/akn?meeting=3", chair, NULL);
    api_expect(r, 200, NULL);
    expect_type(&r, "application/akn+xml");
    assert_non_null(strstr(r.body, "求真务实"));
    api_free(&r);
    const char *others[] = {NULL, taiyuan};
    for (int i = 0; i < 2; i++) {
        r = api_call(&srv, "GET", "/api/exports/akn?meeting=3", others[i], NULL);
        api_expect(r, 200, NULL);
        assert_null(strstr(r.body, "求真务实"));
        assert_non_null(strstr(r.body, "<from>唐登杰</from>"));
        api_free(&r);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_reports_api PATH-TO-YISHI\n");
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rollcall_of_a_named_poll), cmocka_unit_test(formats), cmocka_unit_test(exports),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return failed;
}
