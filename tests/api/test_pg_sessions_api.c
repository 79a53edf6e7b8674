/* test_pg_sessions_api.c — sessions of two congresses in one PostgreSQL database, served whole (`yishi serve
 * --store URL`): the front lists them by their ids; a staff account is its congress's, so a secretariat of one
 * congress is refused at the other's session, and one name added to both congresses is two accounts with two
 * passwords; a token names its session; a write changes its session alone; a second server on a session is
 * refused naming the holder; a new password waits until no session of its congress is served; a stop drains
 * both and both verify in place. The database is the test's own, made
 * in the cluster of the CTest fixture pg (YISHI_TEST_STORE), so that no other test's session is served. */
#include "apitest.h"

static api_server srv;
static char url[400];           /* the test's database */
static char admin[400];         /* the fixture's, to create and drop it in */
static char dbname[64];
static long long id_a, id_b;    /* congress A's session, congress B's */

/* Runs a shell command, its output (stdout and stderr) into out; returns its exit status. */
static int run_out(const char *cmd, char *out, size_t cap)
{
    char full[2048];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* `yishi init` of a new session of `congress`; its id, from the locator it prints. */
static long long new_session(const char *congress)
{
    char cmd[1024], out[2048];
    snprintf(cmd, sizeof cmd, "'%s' init -f '%s' --rules prc-county --congress '%s'", api_yishi, url, congress);
    assert_int_equal(run_out(cmd, out, sizeof out), 0);
    const char *at = strstr(out, "&session=");
    assert_non_null(at);
    assert_non_null(strstr(out, congress));
    return atoll(at + strlen("&session="));
}

static void add_account(long long session, const char *role, const char *name, const char *password)
{
    char cmd[1400], out[2048], pw[320];
    snprintf(pw, sizeof pw, "%s/pw", srv.dir);
    FILE *f = fopen(pw, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", password);
    fclose(f);
    snprintf(cmd, sizeof cmd, "'%s' user add -f '%s&session=%lld' --role %s --name '%s' --password-file '%s'",
             api_yishi, url, session, role, name, pw);
    assert_int_equal(run_out(cmd, out, sizeof out), 0);
}

static int setup(void **state)
{
    (void)state;
    char cmd[1400], out[2048];
    const char *fixture = getenv("YISHI_TEST_STORE");
    assert_non_null(fixture);
    snprintf(srv.dir, sizeof srv.dir, "/tmp/yishi-pgapi-XXXXXX");
    assert_non_null(mkdtemp(srv.dir));
    snprintf(dbname, sizeof dbname, "yishi_api_%ld", (long)getpid());
    snprintf(admin, sizeof admin, "%s", fixture);
    const char *q = strchr(fixture, '?');
    assert_non_null(q);
    snprintf(url, sizeof url, "postgresql:///%s%s", dbname, q);
    snprintf(cmd, sizeof cmd, "psql -q '%s' -c 'CREATE DATABASE %s'", admin, dbname);
    assert_int_equal(run_out(cmd, out, sizeof out), 0);
    id_a = new_session("甲县第十届人民代表大会");
    id_b = new_session("乙县第十届人民代表大会");
    add_account(id_a, "secretariat", "秘书长", "password-of-A");
    add_account(id_b, "secretariat", "秘书长", "password-of-B");
    add_account(id_a, "chair", "主席A", "chair-of-A-pw");
    snprintf(srv.store, sizeof srv.store, "%s", url);
    api_start(&srv, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1024], out[2048];
    api_stop(&srv, SIGTERM);
    snprintf(cmd, sizeof cmd, "psql -q '%s' -c 'DROP DATABASE %s WITH (FORCE)'", admin, dbname);
    run_out(cmd, out, sizeof out);
    api_cleanup(&srv);
    return 0;
}

static api_resp login_at(long long session, const char *name, const char *password)
{
    char path[64], body[200];
    snprintf(path, sizeof path, "/s/%lld/api/login", session);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
    return api_call(&srv, "POST", path, NULL, body);
}

static char *token_at(long long session, const char *name, const char *password)
{
    api_resp r = login_at(session, name, password);
    api_expect(r, 200, NULL);
    char *token = ys_strdup(api_str(&r, "token"));
    api_free(&r);
    return token;
}

static long long seq_at(long long session)
{
    char base[32];
    snprintf(base, sizeof base, "/s/%lld", session);
    return api_seq_at(&srv, base);
}

static void front_lists_both_by_their_ids(void **state)
{
    (void)state;
    char path[32];
    api_resp r = api_call(&srv, "GET", "/api/sessions", NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *list = json_object_get(r.json, "sessions");
    assert_int_equal(json_array_size(list), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "id")), id_a);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 1), "id")), id_b);
    snprintf(path, sizeof path, "/s/%lld/", id_b);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "path")), path);
    api_free(&r);
    /* each session's health names its backend and finds the database answering */
    snprintf(path, sizeof path, "/s/%lld/api/health", id_a);
    r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *store = json_object_get(r.json, "store");
    assert_string_equal(json_string_value(json_object_get(store, "backend")), "postgresql");
    assert_true(json_is_true(json_object_get(store, "reachable")));
    assert_true(json_is_true(json_object_get(store, "writable")));
    assert_int_equal(json_integer_value(json_object_get(store, "session")), id_a);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    api_free(&r);
}

static void an_account_is_its_congress(void **state)
{
    (void)state;
    /* congress A's secretariat logs in at A and not at B; B's account of the same name has its own password */
    char *a = token_at(id_a, "秘书长", "password-of-A");
    api_resp r = login_at(id_b, "秘书长", "password-of-A");
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    r = login_at(id_a, "秘书长", "password-of-B");
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    char *b = token_at(id_b, "秘书长", "password-of-B");
    /* an account of A alone is no account at B */
    r = login_at(id_b, "主席A", "chair-of-A-pw");
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    /* a token names its session */
    char path[64];
    snprintf(path, sizeof path, "/s/%lld/api/me", id_a);
    r = api_call(&srv, "GET", path, a, NULL);
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "role"), "secretariat");
    api_free(&r);
    r = api_call(&srv, "GET", path, b, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    snprintf(path, sizeof path, "/s/%lld/api/me", id_b);
    r = api_call(&srv, "GET", path, a, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    ys_free(a);
    ys_free(b);
}

static void a_write_changes_its_session_alone(void **state)
{
    (void)state;
    char path[64];
    long long a = seq_at(id_a), b = seq_at(id_b);
    char *chair = token_at(id_a, "主席A", "chair-of-A-pw");
    snprintf(path, sizeof path, "/s/%lld/api/meetings", id_a);
    api_resp r = api_call(&srv, "POST", path, chair, "{\"kind\":\"preparatory\",\"title\":\"预备会议\"}");
    api_expect(r, 201, NULL);
    api_free(&r);
    assert_int_equal(seq_at(id_a), a + 1);
    assert_int_equal(seq_at(id_b), b);
    ys_free(chair);
}

static void a_second_server_is_refused_naming_the_holder(void **state)
{
    (void)state;
    char cmd[1400], out[4096], holder[64];
    snprintf(cmd, sizeof cmd, "timeout 20 '%s' serve -f '%s&session=%lld' --listen 127.0.0.1:0", api_yishi, url, id_b);
    assert_int_not_equal(run_out(cmd, out, sizeof out), 0);
    snprintf(holder, sizeof holder, "open for writing by yishi pid %ld", (long)srv.pid);
    assert_non_null(strstr(out, holder));
}

/* A session made while the server runs waits for the next start; and a new password for congress A's account
 * is refused from it while A's session is served, which holds the account's tokens in memory. */
static void a_new_password_waits_for_the_congress_to_be_free(void **state)
{
    (void)state;
    char cmd[1400], out[4096], busy[64];
    long long later = new_session("甲县第十届人民代表大会");
    char path[64];
    snprintf(path, sizeof path, "/s/%lld/api/health", later);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 404, "not_found");
    api_free(&r);
    snprintf(cmd, sizeof cmd, "echo new-password-1 | '%s' user passwd -f '%s&session=%lld' --name 秘书长 "
             "--password-file -", api_yishi, url, later);
    assert_int_not_equal(run_out(cmd, out, sizeof out), 0);
    snprintf(busy, sizeof busy, "session %lld of the same congress is being served", id_a);
    assert_non_null(strstr(out, busy));
    ys_free(token_at(id_a, "秘书长", "password-of-A")); /* the old password stands */
}

static void a_stop_drains_both_and_both_verify(void **state)
{
    (void)state;
    char cmd[1400], out[4096];
    assert_int_equal(api_stop(&srv, SIGTERM), 0);
    for (int i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "'%s' verify --store '%s' --session %lld", api_yishi, url, i ? id_b : id_a);
        assert_int_equal(run_out(cmd, out, sizeof out), 0);
        assert_non_null(strstr(out, "verified"));
    }
    api_start(&srv, NULL); /* for the teardown's stop */
}

int main(int argc, char **argv)
{
    if (!getenv("YISHI_TEST_STORE")) {
        fprintf(stderr, "test_pg_sessions_api: YISHI_TEST_STORE names no PostgreSQL database; nothing tested\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(front_lists_both_by_their_ids),
        cmocka_unit_test(an_account_is_its_congress),
        cmocka_unit_test(a_write_changes_its_session_alone),
        cmocka_unit_test(a_second_server_is_refused_naming_the_holder),
        cmocka_unit_test(a_new_password_waits_for_the_congress_to_be_free),
        cmocka_unit_test(a_stop_drains_both_and_both_verify),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
