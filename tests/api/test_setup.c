/* test_setup.c — a session created from the desk: `yishi serve --setup` on a file not there yet serves only
 * the setup API (every other route 503), a wrong code is 403 and slowed down per address, a refused setup
 * leaves no file, and the right one creates the session and its first account and serves it at once. */
#define _GNU_SOURCE /* strcasestr */
#include "apitest.h"

#include <sys/stat.h>

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void a_new_dir(api_server *s)
{
    snprintf(s->dir, sizeof s->dir, "/tmp/yishi-setup-XXXXXX");
    assert_non_null(mkdtemp(s->dir));
    snprintf(s->file, sizeof s->file, "%s/county.db", s->dir);
}

static const char *const setup_args[] = {"--setup", NULL};

static char *setup_body(const char *code, const char *rules, const char *password)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", code, "rules", rules, "assembly",
                          "某县人民代表大会", "term", "第十八届", "session", "第三次会议", "name", "desk", "password",
                          password);
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

static void an_existing_file_is_refused(void **state)
{
    api_server s = {0};
    char cmd[1200], out[1024] = "";
    (void)state;
    api_make_demo(&s);
    snprintf(cmd, sizeof cmd, "'%s' serve -f '%s' --setup --listen 127.0.0.1:0 2>&1", api_yishi, s.file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    assert_int_equal(WEXITSTATUS(status), 1);
    if (!strstr(out, s.file) || !strstr(out, "exists already"))
        fail_msg("the refusal does not name the file: %s", out);
    api_cleanup(&s);
}

static void before_setup_only_setup_answers(void **state)
{
    api_server s = {0};
    (void)state;
    a_new_dir(&s);
    api_start(&s, setup_args);
    assert_int_equal(strlen(s.setup_code), 32 + 7); /* 128 bits in hex, in eight groups */
    api_resp r = api_call(&s, "GET", "/api/setup", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "pending")));
    json_t *rules = json_object_get(r.json, "rules"), *e;
    size_t i;
    bool county = false;
    json_array_foreach(rules, i, e)
        county |= !strcmp(json_string_value(json_object_get(e, "id")), "prc-county") &&
                  !strcmp(json_string_value(json_object_get(e, "level")), "county") &&
                  json_is_string(json_object_get(e, "name"));
    assert_true(county);
    api_free(&r);
    /* Every other route, whoever asks: no session, no logins, and no memory mode's test logins either. */
    static const char *const routes[][2] = {{"GET", "/api/session"}, {"GET", "/api/health"}, {"GET", "/api/status"},
                                            {"POST", "/api/login"}, {"GET", "/api/log"}, {"POST", "/api/import/posts"}};
    for (size_t k = 0; k < sizeof routes / sizeof routes[0]; k++) {
        r = api_call(&s, routes[k][0], routes[k][1], "test-secretariat", !strcmp(routes[k][0], "POST") ? "{}" : NULL);
        api_expect(r, 503, "not_set_up");
        api_free(&r);
    }
    assert_int_equal(api_stream_status(&s, "/api/stream/public", NULL), 503);
    assert_false(exists(s.file));
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    assert_false(exists(s.file));
    api_cleanup(&s);
}

static void wrong_codes_are_refused_and_slowed(void **state)
{
    api_server s = {0};
    (void)state;
    a_new_dir(&s);
    api_start(&s, setup_args);
    char *wrong = setup_body("0000-0000-0000-0000-0000-0000-0000-0000", "prc-county", "desk-password-1");
    api_resp r = api_call(&s, "POST", "/api/setup", NULL, wrong);
    api_expect(r, 403, "forbidden");
    assert_string_equal(api_str(&r, "field"), "code");
    api_free(&r);
    int refused = 0;
    for (int k = 0; k < 40 && !refused; k++) { /* the address's bucket holds 30 */
        r = api_call(&s, "POST", "/api/setup", NULL, wrong);
        if (r.status == 429) {
            refused = k + 2;
            assert_non_null(strcasestr(r.headers, "Retry-After: "));
        } else {
            api_expect(r, 403, "forbidden");
        }
        api_free(&r);
    }
    assert_int_equal(refused, 30 + 1);
    /* Even the right code waits from that address; another address gets in. */
    char *right = setup_body(s.setup_code, "prc-county", "desk-password-1");
    r = api_call(&s, "POST", "/api/setup", NULL, right);
    api_expect(r, 429, "too_many_attempts");
    api_free(&r);
    r = api_call_from(&s, "127.0.0.2", "POST", "/api/setup", NULL, right, NULL);
    api_expect(r, 201, NULL);
    api_free(&r);
    free(wrong);
    free(right);
    api_stop(&s, SIGTERM);
    api_cleanup(&s);
}

static void setup_creates_the_session_and_serves_it(void **state)
{
    api_server s = {0};
    char cmd[1200];
    (void)state;
    a_new_dir(&s);
    api_start(&s, setup_args);
    /* Refused setups leave nothing behind: an unknown rule set, a password too short, a missing field. */
    char *bad = setup_body(s.setup_code, "prc-nowhere", "desk-password-1");
    api_post_expect(&s, "/api/setup", NULL, bad, 404, "unknown_rules");
    free(bad);
    bad = setup_body(s.setup_code, "prc-county", "short");
    api_post_expect(&s, "/api/setup", NULL, bad, 400, "invalid");
    free(bad);
    api_post_expect(&s, "/api/setup", NULL, "{\"code\":\"x\"}", 422, "bad_field");
    assert_false(exists(s.file));
    /* The code as printed, or without its dashes in capitals, as an operator may type it. */
    char typed[64];
    size_t k = 0;
    for (const char *p = s.setup_code; *p; p++)
        if (*p != '-')
            typed[k++] = (char)(*p >= 'a' && *p <= 'f' ? *p - 'a' + 'A' : *p);
    typed[k] = '\0';
    char *good = setup_body(typed, "prc-county", "desk-password-1");
    api_resp r = api_call(&s, "POST", "/api/setup", NULL, good);
    api_expect(r, 201, NULL);
    json_t *session = json_object_get(r.json, "session");
    assert_string_equal(json_string_value(json_object_get(session, "title")), "某县第十八届人民代表大会第三次会议");
    assert_string_equal(json_string_value(json_object_get(session, "rules")), "prc-county");
    api_free(&r);
    assert_true(exists(s.file));
    /* Served at once, without a restart: the account logs in and works; setup is over. */
    char *desk = api_login_staff(&s, "desk", "desk-password-1");
    api_post_expect(&s, "/api/import/posts", desk, "{\"csv\":\"rank,title\\n1,县委书记\\n\"}", 201, NULL);
    api_post_expect(&s, "/api/users", desk, "{\"name\":\"chair\",\"role\":\"chair\",\"password\":\"chair-password\"}",
                    201, NULL);
    r = api_call(&s, "GET", "/api/setup", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_true(json_is_false(json_object_get(r.json, "pending")));
    assert_null(json_object_get(r.json, "rules"));
    api_free(&r);
    api_post_expect(&s, "/api/setup", NULL, good, 409, "conflict");
    r = api_call(&s, "GET", "/api/log?limit=1", desk, NULL);
    api_expect(r, 200, NULL);
    json_t *first = json_array_get(json_object_get(r.json, "events"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "type")), "session.init");
    assert_string_equal(json_string_value(json_object_get(first, "actor")), "secretariat:desk");
    api_free(&r);
    free(good);
    ys_free(desk);
    assert_int_equal(api_stop(&s, SIGTERM), 0);
    /* The file is a session as `yishi init` makes one: it verifies, and serves again without --setup. */
    snprintf(cmd, sizeof cmd, "'%s' verify -f '%s' >/dev/null", api_yishi, s.file);
    assert_int_equal(system(cmd), 0);
    api_start(&s, NULL);
    desk = api_login_staff(&s, "desk", "desk-password-1");
    assert_non_null(desk);
    ys_free(desk);
    api_stop(&s, SIGTERM);
    api_cleanup(&s);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_existing_file_is_refused),
        cmocka_unit_test(before_setup_only_setup_answers),
        cmocka_unit_test(wrong_codes_are_refused_and_slowed),
        cmocka_unit_test(setup_creates_the_session_and_serves_it),
    };
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH/TO/yishi\n", argv[0]);
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
