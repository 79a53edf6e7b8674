/* test_sessions_api.c — two sessions on one service (`yishi serve -f A -f B`): each under its own path with
 * its own logins, cookies, writer and streams; the front lists them and answers its health; a path of the
 * front's or of a session not served is refused naming where to go; a login of one session never reaches the
 * other; a write to one leaves the other as it was; a stop drains both and both files verify. */
#include "apitest.h"

static api_server srv;
static api_server other; /* the second session's demo (a file or a database of its own), served by srv */
static const char *second = other.file;

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_make_demo(&other);
    const char *extra[] = {"-f", second, NULL};
    api_start(&srv, extra);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    api_cleanup(&other);
    return api_demo_down(&srv);
}

static char *login_at(const char *base, const char *name, const char *password)
{
    char path[64], body[160];
    snprintf(path, sizeof path, "%s/api/login", base);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
    api_resp r = api_call(&srv, "POST", path, NULL, body);
    api_expect(r, 200, NULL);
    char *token = ys_strdup(api_str(&r, "token"));
    char path_attr[48]; /* the session's cookie is its own */
    snprintf(path_attr, sizeof path_attr, "Path=%s/;", base);
    assert_non_null(strstr(r.headers, path_attr));
    api_free(&r);
    return token;
}

static void front_lists_the_sessions(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/sessions", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *list = json_object_get(r.json, "sessions");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "path")), "/s/1/");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "path")), "/s/2/");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "title")),
                        "山西省第十四届人民代表大会第二次会议");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/health", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    assert_int_equal(json_array_size(json_object_get(r.json, "sessions")), 2);
    api_free(&r);
    /* a session's pages under its path, the front page at the root */
    r = api_call(&srv, "GET", "/s/2/desk", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
}

static void elsewhere_is_refused_naming_where(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/status", NULL, NULL);
    api_expect(r, 404, "not_found");
    assert_non_null(strstr(api_str(&r, "message"), "/s/ID/api/"));
    api_free(&r);
    r = api_call(&srv, "GET", "/s/3/api/status", NULL, NULL);
    api_expect(r, 404, "not_found");
    assert_non_null(strstr(api_str(&r, "message"), "no session 3"));
    api_free(&r);
    r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"chair\",\"password\":\"demo-chair\"}");
    api_expect(r, 404, "not_found");
    api_free(&r);
}

static void a_login_stays_in_its_session(void **state)
{
    (void)state;
    char *one = login_at("/s/1", "secretariat", "demo-secretariat");
    api_resp r = api_call(&srv, "GET", "/s/1/api/me", one, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    /* the same account name in the other file is another account: this token is not its */
    r = api_call(&srv, "GET", "/s/2/api/me", one, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    r = api_call(&srv, "POST", "/s/2/api/meetings/6/close", one, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    ys_free(one);
}

static void a_write_changes_its_session_alone(void **state)
{
    (void)state;
    long long one = api_seq_at(&srv, "/s/1"), two = api_seq_at(&srv, "/s/2");
    char *chair = login_at("/s/2", "chair", "demo-chair");
    api_resp r = api_call(&srv, "POST", "/s/2/api/meetings/6/close", chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    assert_int_equal(api_seq_at(&srv, "/s/2"), two + 1);
    assert_int_equal(api_seq_at(&srv, "/s/1"), one);
    /* each session's stream carries its own events: session 1's last is the one it had */
    char *text = api_read_stream(&srv, "/s/2/api/stream/public", NULL, two, 1);
    assert_non_null(strstr(text, "meeting.close"));
    ys_free(text);
    text = api_read_stream(&srv, "/s/1/api/stream/public", NULL, one - 1, 1);
    assert_non_null(strstr(text, "poll.announce"));
    assert_null(strstr(text, "meeting.close"));
    ys_free(text);
    ys_free(chair);
}

static void a_stop_drains_both_and_both_verify(void **state)
{
    (void)state;
    char cmd[1024];
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    snprintf(cmd, sizeof cmd, "'%s' verify -f '%s' >/dev/null && '%s' verify -f '%s' >/dev/null", api_yishi, srv.file,
             api_yishi, second);
    assert_int_equal(system(cmd), 0);
    api_start(&srv, (const char *[]){"-f", second, NULL}); /* for the teardown's stop */
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(front_lists_the_sessions),
        cmocka_unit_test(elsewhere_is_refused_naming_where),
        cmocka_unit_test(a_login_stays_in_its_session),
        cmocka_unit_test(a_write_changes_its_session_alone),
        cmocka_unit_test(a_stop_drains_both_and_both_verify),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
