/* test_api.c — the real `yishi serve` on a demo session, over HTTP: logins (password, card and PIN,
 * logout, expiry), CSRF, every route with every role, bad input that changes nothing, the
 * body limit, and live streams that resume with Last-Event-ID and never show a vote's choice. */
#include "apitest.h"


#include "server/server.h"

static api_server srv;

static int group_setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    static const char *const extra[] = {"--sse-ring", "8", NULL};
    api_start(&srv, extra);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

static void login_staff(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"chair\",\"password\":\"demo-chair\"}");
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "role"), "chair");
    assert_int_equal(strlen(api_str(&r, "token")), 43);
    assert_non_null(strstr(r.headers, "HttpOnly; SameSite=Strict"));
    api_free(&r);
    r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"chair\",\"password\":\"wrong-password\"}");
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"nobody\",\"password\":\"whatever-it-is\"}");
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"chair\"}");
    api_expect(r, 422, "bad_field");
    api_free(&r);
}

static void login_delegate_pin(void **state)
{
    (void)state;
    const char *card = "{\"code\":\"DEMO-0001-4010-0010\",\"pin\":\"%s\"}";
    char body[128];
    snprintf(body, sizeof body, card, "4321"); /* too short to be set */
    api_resp r = api_call(&srv, "POST", "/api/login", NULL, body);
    api_expect(r, 400, "invalid");
    assert_string_equal(api_str(&r, "field"), "pin");
    api_free(&r);
    snprintf(body, sizeof body, card, "432187");
    r = api_call(&srv, "POST", "/api/login", NULL, body);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "pin_set")));
    assert_string_equal(api_str(&r, "role"), "delegate");
    assert_string_equal(api_str(&r, "name"), "140100010");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/login", NULL, body); /* a later login with the PIN that was set */
    api_expect(r, 200, NULL);
    assert_true(json_is_false(json_object_get(r.json, "pin_set")));
    api_free(&r);
    snprintf(body, sizeof body, card, "000000");
    r = api_call(&srv, "POST", "/api/login", NULL, body);
    api_expect(r, 401, "unauthorized");
    char *wrong_pin = ys_strdup(r.body);
    api_free(&r);
    /* An unknown card answers exactly as a wrong PIN does (test_auth holds the rest of the slowdown). */
    r = api_call(&srv, "POST", "/api/login", NULL, "{\"code\":\"AAAA-AAAA-AAAA-AAAA\",\"pin\":\"000000\"}");
    api_expect(r, 401, "unauthorized");
    assert_string_equal(r.body, wrong_pin);
    api_free(&r);
    ys_free(wrong_pin);
}

static void logout_ends_token(void **state)
{
    (void)state;
    char *t = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp r = api_call(&srv, "GET", "/api/me", t, NULL);
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "actor"), "secretariat:secretariat");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/logout", t, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    r = api_call(&srv, "GET", "/api/me", t, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    ys_free(t);
}

static void token_expires(void **state)
{
    (void)state;
    api_server s2 = {0};
    static const char *const extra[] = {"--token-ttl", "3", NULL};
    api_make_demo(&s2); /* one server per session: this one's own demo */
    api_start(&s2, extra);
    time_t before = time(NULL);
    api_resp r = api_call(&s2, "POST", "/api/login", NULL, "{\"name\":\"chair\",\"password\":\"demo-chair\"}");
    api_expect(r, 200, NULL);
    time_t after = time(NULL);
    long long expires = api_int(&r, "expires");
    char *t = ys_strdup(api_str(&r, "token"));
    api_free(&r);
    /* The expiry is the login's time plus the lifetime asked for, whatever the machine's load. */
    assert_true(expires >= before + 3 && expires <= after + 3);
    r = api_call(&s2, "GET", "/api/me", t, NULL);
    if (time(NULL) < expires) /* on a machine so loaded that 3 s went by, only the expiry can be checked */
        api_expect(r, 200, NULL);
    api_free(&r);
    while (time(NULL) <= expires)
        usleep(100 * 1000);
    r = api_call(&s2, "GET", "/api/me", t, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    ys_free(t);
    assert_int_equal(api_stop(&s2, SIGTERM), 0);
    api_cleanup(&s2);
}

static void csrf_guard(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "POST", "/api/login", NULL, "{\"name\":\"secretariat\",\"password\":\"demo-secretariat\"}");
    char cookie[128], csrf[96];
    snprintf(cookie, sizeof cookie, "Cookie: yishi_token=%s", api_str(&r, "token"));
    snprintf(csrf, sizeof csrf, "X-Yishi-CSRF: %s", api_str(&r, "csrf"));
    api_free(&r);
    const char *plain[] = {cookie, NULL}, *guarded[] = {cookie, csrf, NULL};
    const char *wrong[] = {cookie, "X-Yishi-CSRF: 00000000000000000000000000000000", NULL};
    long long seq = api_seq(&srv);
    r = api_call_h(&srv, "POST", "/api/meetings/6/leave", NULL, "{\"delegate\":\"140100020\"}", plain);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    r = api_call_h(&srv, "POST", "/api/meetings/6/leave", NULL, "{\"delegate\":\"140100020\"}", wrong);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    assert_int_equal(api_seq(&srv), seq);
    r = api_call_h(&srv, "GET", "/api/me", NULL, NULL, plain); /* reads need no guard */
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "csrf"), csrf + strlen("X-Yishi-CSRF: ")); /* a reloaded page gets it back */
    api_free(&r);
    r = api_call_h(&srv, "POST", "/api/meetings/6/leave", NULL, "{\"delegate\":\"140100020\",\"reason\":\"因病\"}", guarded);
    api_expect(r, 201, NULL);
    api_free(&r);
    char *t = api_login_staff(&srv, "secretariat", "demo-secretariat");
    const char *evil[] = {"Origin: http://evil.example", NULL};
    r = api_call_h(&srv, "POST", "/api/meetings/6/checkin", t, "{\"delegate\":\"140100020\"}", evil);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    ys_free(t);
}

/* ---- every route with every role ---- */

static char *role_token(int role)
{
    switch (role) {
    case YS_AUTH_SECRETARIAT: return api_login_staff(&srv, "secretariat", "demo-secretariat");
    case YS_AUTH_CHAIR: return api_login_staff(&srv, "chair", "demo-chair");
    case YS_AUTH_DELEGATION_SECRETARY: return api_login_staff(&srv, "taiyuan", "demo-taiyuan");
    case YS_AUTH_DELEGATE: return api_login_delegate(&srv, "140100002", "246813");
    case YS_AUTH_TRUSTEE: return api_login_staff(&srv, "trustee1", "demo-trustee1");
    default: return NULL;
    }
}

/* The path with its {…} parts filled: ids 1, a hash of zeros, the import "posts". */
static void fill_path(const char *pattern, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = pattern; *p && k + 70 < n;) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *v = !strncmp(p, "{hash}", 6) ? "0000000000000000000000000000000000000000000000000000000000000000"
                            : !strncmp(p, "{name}", 6) ? "posts" : "1";
            k += (size_t)snprintf(out + k, n - k, "%s", v);
            p = close + 1;
        } else {
            out[k++] = *p++;
        }
    }
    out[k] = '\0';
}

static void role_table(void **state)
{
    (void)state;
    char *tokens[YS_AUTH_N_ROLES] = {0};
    int checked = 0;
    for (int role = 0; role < YS_AUTH_N_ROLES; role++)
        tokens[role] = role_token(role);
    for (size_t i = 0; i < ys_srv_n_routes; i++) {
        const ys_srv_route *rt = &ys_srv_routes[i];
        char path[256];
        fill_path(rt->pattern, path, sizeof path);
        for (int role = 0; role < YS_AUTH_N_ROLES; role++) {
            bool allowed = rt->roles & (1u << role);
            bool logout = !strcmp(rt->pattern, "/api/logout");
            char *token = logout && role ? role_token(role) : tokens[role];
            long status;
            bool by_role = false; /* a 403 from the table, not from whose behalf a handler allows */
            if (!strncmp(rt->pattern, "/api/stream", 11)) {
                status = api_stream_status(&srv, path, token);
                by_role = status == 403;
            } else {
                api_resp r = api_call(&srv, rt->method, path, token, !strcmp(rt->method, "POST") ? "{}" : NULL);
                status = r.status;
                by_role = status == 403 && api_str(&r, "field") && !strcmp(api_str(&r, "field"), "role");
                api_free(&r);
            }
            if (logout && role)
                ys_free(token);
            long want = allowed ? 0 : role == YS_AUTH_OBSERVER ? 401 : 403;
            if (allowed ? (status == 401 || by_role || status == 0) : (status != want || (want == 403 && !by_role)))
                fail_msg("%s %s as %s: got %ld, wanted %s", rt->method, path, ys_auth_role_key((ys_auth_role)role),
                         status, allowed ? "neither 401 nor 403" : want == 401 ? "401" : "403");
            checked++;
        }
    }
    for (int role = 0; role < YS_AUTH_N_ROLES; role++)
        ys_free(tokens[role]);
    assert_int_equal(checked, (int)ys_srv_n_routes * YS_AUTH_N_ROLES);
    /* Nobody can edit the log: there is no route to do it with, for any role. */
    char *t = role_token(YS_AUTH_SECRETARIAT);
    static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE"};
    for (size_t i = 0; i < 4; i++) {
        api_resp r = api_call(&srv, methods[i], "/api/log", t, "{}");
        api_expect(r, 405, "method_not_allowed");
        api_free(&r);
    }
    ys_free(t);
}

/* ---- bad input changes nothing ---- */

static void bad_input(void **state)
{
    (void)state;
    char *t = role_token(YS_AUTH_SECRETARIAT);
    long long seq = api_seq(&srv);
    static const struct { const char *method, *path, *body; int status; const char *code, *field; } cases[] = {
        {"POST", "/api/meetings/6/checkin", "{\"delegate\":", 400, "invalid", "body"},
        {"POST", "/api/meetings/6/checkin", "[1,2]", 422, "bad_field", "body"},
        {"POST", "/api/meetings/6/checkin", "{\"delegate\":140100001}", 422, "bad_field", "delegate"},
        {"POST", "/api/meetings/6/checkin", "{\"delegate\":\"140100001\",\"extra\":1}", 422, "bad_field", "extra"},
        {"POST", "/api/meetings/6/checkin", "{\"delegates\":[\"140100001\",\"140100001\"]}", 422, "bad_field", "delegates"},
        {"POST", "/api/meetings/6/checkin", "{\"delegate\":\"999999999\"}", 404, "not_found", "delegate"},
        {"POST", "/api/meetings/999/checkin", "{\"delegate\":\"140100001\"}", 404, "not_found", "meeting"},
        {"POST", "/api/meetings/6/checkin", "{\"delegate\":\"140100001\"}", 409, "conflict", "delegate"},
        {"POST", "/api/meetings/1/close", NULL, 409, "wrong_state", "meeting"},
        {"POST", "/api/meetings", "{\"kind\":\"plenary\",\"title\":\"又一次\"}", 409, "wrong_state", "kind"},
        {"POST", "/api/meetings", "{\"kind\":\"banquet\",\"title\":\"宴会\"}", 400, "invalid", "kind"},
        {"POST", "/api/polls/99/open", NULL, 403, "forbidden", "role"},
        {"POST", "/api/polls", "{\"title\":\"\"}", 400, "invalid", "title"},
        {"POST", "/api/import/speeches", "{\"csv\":\"a,b\\n\"}", 404, "not_found", "kind"},
        {"POST", "/api/import/posts", "{\"csv\":\"rank,title\\nx,\\n\"}", 400, "invalid", "csv"},
        {"GET", "/api/delegates/100000", NULL, 404, "not_found", "id"},
        {"GET", "/api/nowhere", NULL, 404, "not_found", "path"},
        {"GET", "/api/%FF", NULL, 404, "not_found", "path"}, /* not UTF-8: still the error, not "out of memory" */
        {"GET", "/api/log?limit=0", NULL, 400, "invalid", "limit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        api_resp r = api_call(&srv, cases[i].method, cases[i].path, t, cases[i].body);
        if (r.status != cases[i].status || !api_str(&r, "error") || strcmp(api_str(&r, "error"), cases[i].code) ||
            !api_str(&r, "field") || strcmp(api_str(&r, "field"), cases[i].field) || !api_str(&r, "message"))
            fail_msg("case %zu %s %s: got %ld %s", i, cases[i].method, cases[i].path, r.status, r.body);
        api_free(&r);
    }
    assert_int_equal(api_seq(&srv), seq);
    ys_free(t);
}

static void body_limit(void **state)
{
    (void)state;
    char *t = role_token(YS_AUTH_SECRETARIAT);
    size_t n = (2u << 20) + 100;
    char *body = ys_malloc(n + 1);
    memset(body, ' ', n);
    memcpy(body, "{\"title\":\"大文件\",\"content\":\"", 30);
    body[n - 2] = '"';
    body[n - 1] = '}';
    body[n] = '\0';
    long long seq = api_seq(&srv);
    /* Refused from its headers, before it is read. The client waits for that word (Expect:
     * 100-continue, as libcurl sends for bodies over 1 MiB): a body already on its way when the server
     * answers and closes can reset the connection before the client reads the 413. */
    api_resp r = api_call_h(&srv, "POST", "/api/documents", t, body, (const char *const[]){"Expect: 100-continue", NULL});
    api_expect(r, 413, "too_large");
    api_free(&r);
    assert_int_equal(api_seq(&srv), seq);
    /* Sent in chunks, with no length announced: refused before any of it is read (libmicrohttpd would
     * parse the chunks itself and answer a bad one with HTML). */
    r = api_call_h(&srv, "POST", "/api/documents", t, body, (const char *const[]){"Transfer-Encoding: chunked", NULL});
    api_expect(r, 411, "length_required");
    api_free(&r);
    assert_int_equal(api_seq(&srv), seq);
    ys_free(body);
    ys_free(t);
}

/* ---- live streams ---- */

/* The ids of a stream's frames, in order, must be exactly from+1 … from+n. */
static void expect_ids(const char *text, long long from, int n)
{
    const char *p = text;
    for (int i = 1; i <= n; i++) {
        p = strstr(p, "id: ");
        if (!p || atoll(p + 4) != from + i)
            fail_msg("frame %d: wanted id %lld in %.400s", i, from + i, text);
        p += 4;
    }
}

static void sse_resume(void **state)
{
    (void)state;
    char *t = role_token(YS_AUTH_SECRETARIAT);
    long long start = api_seq(&srv);
    static const char *const codes[] = {"140100031", "140100032", "140100033"};
    for (int i = 0; i < 3; i++) {
        char body[96];
        snprintf(body, sizeof body, "{\"delegate\":\"%s\",\"reason\":\"因公\"}", codes[i]);
        api_resp r = api_call(&srv, "POST", "/api/meetings/6/leave", t, body);
        api_expect(r, 201, NULL);
        assert_int_equal(api_int(&r, "seq"), start + i + 1);
        api_free(&r);
    }
    /* From the ring: exactly the three it missed. */
    char *text = api_read_stream(&srv, "/api/stream/public", NULL, start, 3);
    expect_ids(text, start, 3);
    assert_int_equal(api_count_ids(text), 3);
    assert_non_null(strstr(text, "event: attendance.leave"));
    ys_free(text);
    /* Older than the ring (8 events here): read back from the file, then the ring, in order, none twice. */
    text = api_read_stream(&srv, "/api/stream", t, start - 40, 43);
    expect_ids(text, start - 40, 43);
    ys_free(text);
    ys_free(t);
}

static void close_poll(const char *chair, int poll)
{
    char path[96];
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_resp r = api_call(&srv, "POST", path, chair, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
}

static void sse_hides_choices(void **state)
{
    (void)state;
    char *chair = role_token(YS_AUTH_CHAIR), *sec = role_token(YS_AUTH_SECRETARIAT);
    char *del = api_login_delegate(&srv, "140100005", "135792");
    int poll = api_open_poll(&srv, chair, "{\"title\":\"关于记名表决的测试\",\"named\":true}");
    char path[96];
    long long before = api_seq(&srv);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    api_resp r = api_call(&srv, "POST", path, del, "{\"choice\":\"no\"}");
    api_expect(r, 201, NULL);
    assert_int_equal(api_int(&r, "seq"), before + 1);
    assert_int_equal(strlen(api_str(&r, "hash")), 64);
    api_free(&r);
    r = api_call(&srv, "POST", path, chair, "{\"choice\":\"yes\"}"); /* a chair votes for no one */
    api_expect(r, 403, "forbidden");
    api_free(&r);
    char *pub = api_read_stream(&srv, "/api/stream/public", NULL, before, 1), *staff = api_read_stream(&srv, "/api/stream", sec, before, 1);
    /* The board sees turnout, under the vote's id, and — the poll being named — who voted, never how; staff
     * see each vote, without its choice. */
    char want[96];
    snprintf(want, sizeof want, "id: %lld\nevent: poll.turnout\n", before + 1);
    assert_non_null(strstr(pub, want));
    snprintf(want, sizeof want, "\"payload\":{\"poll\":%d,\"voted\":1,\"delegates\":[5]}", poll);
    assert_non_null(strstr(pub, want));
    assert_null(strstr(pub, "choice"));
    assert_non_null(strstr(staff, "event: poll.vote"));
    assert_non_null(strstr(staff, "\"delegate\":"));
    assert_null(strstr(staff, "choice"));
    ys_free(pub);
    ys_free(staff);
    snprintf(path, sizeof path, "/api/polls/%d", poll);
    r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    assert_null(json_object_get(r.json, "no")); /* no totals while open */
    assert_int_equal(api_int(&r, "voted"), 1);
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    r = api_call(&srv, "GET", path, NULL, NULL); /* the record waits for the close */
    api_expect(r, 409, "wrong_state");
    api_free(&r);
    close_poll(chair, poll);
    snprintf(path, sizeof path, "/api/polls/%d", poll);
    r = api_call(&srv, "GET", path, NULL, NULL); /* closed: the totals are where they were hidden */
    api_expect(r, 200, NULL);
    assert_int_equal(api_int(&r, "no"), 1);
    assert_int_equal(api_int(&r, "yes"), 0);
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    r = api_call(&srv, "GET", path, NULL, NULL); /* and a named poll's record: who voted how */
    api_expect(r, 200, NULL);
    json_t *votes = json_object_get(r.json, "votes");
    assert_int_equal(json_array_size(votes), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(votes, 0), "code")), "140100005");
    assert_string_equal(json_string_value(json_object_get(json_array_get(votes, 0), "choice")), "no");
    api_free(&r);
    ys_free(chair);
    ys_free(sec);
    ys_free(del);
}

/* An anonymous vote and a secret ballot stream to the board as turnout (`board_type`, the count under the
 * cast's id): that someone voted, not who, and never what; staff see the cast (`type`) and who voted. */
static void expect_turnout(const char *pub, const char *staff, const char *type, const char *board_type,
                           long long delegate)
{
    char who[32], event[64];
    snprintf(who, sizeof who, "\"delegate\":%lld", delegate);
    snprintf(event, sizeof event, "event: %s\n", board_type);
    assert_non_null(strstr(pub, event));
    assert_null(strstr(pub, type));
    assert_null(strstr(pub, "delegate"));
    snprintf(event, sizeof event, "event: %s\n", type);
    assert_non_null(strstr(staff, event));
    assert_non_null(strstr(staff, who));
    assert_null(strstr(pub, "choice"));
    assert_null(strstr(staff, "choice"));
}

static long long cast(const char *path, const char *token, const char *body)
{
    api_resp r = api_call(&srv, "POST", path, token, body);
    api_expect(r, 201, NULL);
    json_t *pl = json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload");
    long long delegate = json_integer_value(json_object_get(pl, "delegate"));
    assert_true(delegate > 0);
    api_free(&r);
    return delegate;
}

static void sse_board_sees_turnout(void **state)
{
    (void)state;
    char *chair = role_token(YS_AUTH_CHAIR), *sec = role_token(YS_AUTH_SECRETARIAT), path[96];
    char *del = api_login_delegate(&srv, "140100009", "135794");
    int poll = api_open_poll(&srv, chair, "{\"title\":\"关于无记名表决的测试\"}");
    long long before = api_seq(&srv);
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    long long who = cast(path, del, "{\"choice\":\"yes\"}");
    char *pub = api_read_stream(&srv, "/api/stream/public", NULL, before, 1);
    char *staff = api_read_stream(&srv, "/api/stream", sec, before, 1);
    expect_turnout(pub, staff, "poll.cast", "poll.turnout", who);
    ys_free(pub);
    ys_free(staff);
    close_poll(chair, poll);

    api_post_expect(&srv, "/api/elections", chair, "{\"office\":\"vice_governor\",\"seats\":1,\"by_election\":true}",
                    201, NULL);
    api_resp r = api_call(&srv, "GET", "/api/elections", NULL, NULL);
    int election = (int)json_array_size(json_object_get(r.json, "elections"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/nominations", election);
    api_post_expect(&srv, path, chair, "{\"name\":\"王某某\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/open", election);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    before = api_seq(&srv);
    snprintf(path, sizeof path, "/api/elections/%d/ballots", election);
    who = cast(path, del, "{\"yes\":[\"王某某\"],\"no\":[],\"write_in\":[]}");
    pub = api_read_stream(&srv, "/api/stream/public", NULL, before, 1);
    staff = api_read_stream(&srv, "/api/stream", sec, before, 1);
    expect_turnout(pub, staff, "election.cast", "election.turnout", who);
    assert_null(strstr(pub, "王某某"));
    assert_null(strstr(staff, "王某某"));
    ys_free(pub);
    ys_free(staff);
    snprintf(path, sizeof path, "/api/elections/%d/close", election);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    ys_free(chair);
    ys_free(sec);
    ys_free(del);
}

/* Tellers' totals are entered once; a second entry is refused unless it is a correction with a reason,
 * which the log keeps with the totals it replaced. */
static void totals_entered_once(void **state)
{
    (void)state;
    char *chair = role_token(YS_AUTH_CHAIR), *sec = role_token(YS_AUTH_SECRETARIAT), path[96];
    int poll = api_open_poll(&srv, chair, "{\"title\":\"举手表决的测试\",\"method\":\"show_of_hands\"}");
    snprintf(path, sizeof path, "/api/polls/%d/totals", poll);
    api_resp r = api_call(&srv, "POST", path, sec, "{\"yes\":400,\"no\":10,\"abstain\":5}");
    api_expect(r, 201, NULL);
    api_free(&r);
    r = api_call(&srv, "POST", path, sec, "{\"yes\":401,\"no\":10,\"abstain\":5}");
    api_expect(r, 409, "conflict");
    assert_non_null(strstr(api_str(&r, "message"), "already entered (yes 400, no 10, abstain 5)"));
    api_free(&r);
    r = api_call(&srv, "POST", path, sec, "{\"yes\":401,\"no\":10,\"abstain\":5,\"correct\":true}");
    api_expect(r, 400, "invalid");
    assert_string_equal(api_str(&r, "field"), "reason");
    api_free(&r);
    r = api_call(&srv, "POST", path, sec,
                 "{\"yes\":401,\"no\":10,\"abstain\":5,\"correct\":true,\"reason\":\"计票员漏计一票\"}");
    api_expect(r, 201, NULL);
    json_t *pl = json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload");
    assert_string_equal(json_string_value(json_object_get(pl, "reason")), "计票员漏计一票");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(pl, "replaces"), "yes")), 400);
    api_free(&r);
    close_poll(chair, poll);
    snprintf(path, sizeof path, "/api/polls/%d", poll);
    r = api_call(&srv, "GET", path, NULL, NULL);
    assert_int_equal(api_int(&r, "yes"), 401);
    api_free(&r);

    /* A choice in Chinese counts; a wrong word is named. */
    char *del = api_login_delegate(&srv, "140100007", "864209");
    poll = api_open_poll(&srv, chair, "{\"title\":\"记名表决的测试\",\"named\":true}");
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    r = api_call(&srv, "POST", path, del, "{\"choice\":\"yse\"}");
    api_expect(r, 400, "invalid");
    assert_non_null(strstr(api_str(&r, "message"), "'yse' is not a choice"));
    api_free(&r);
    r = api_call(&srv, "POST", path, del, "{\"choice\":\"弃权\"}");
    api_expect(r, 201, NULL);
    pl = json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload");
    assert_string_equal(json_string_value(json_object_get(pl, "choice")), "abstain");
    api_free(&r);
    close_poll(chair, poll);
    ys_free(chair);
    ys_free(sec);
    ys_free(del);
}

/* The one staff test, YS_R_STAFF: the secretariat, the chair and delegation secretaries; never a
 * delegate or an observer. */
/* The chair moves the plenary to an agenda item: the meeting's views carry it, and the same item twice, an
 * unknown item, a delegation secretary or a delegate are refused with nothing written. */
static void meeting_item(void **state)
{
    (void)state;
    char *chair = role_token(YS_AUTH_CHAIR), *taiyuan = role_token(YS_AUTH_DELEGATION_SECRETARY);
    api_resp r = api_call(&srv, "POST", "/api/meetings/6/item", chair, "{\"item\":10}");
    api_expect(r, 201, NULL);
    api_free(&r);
    long long seq = api_seq(&srv);
    r = api_call(&srv, "POST", "/api/meetings/6/item", chair, "{\"item\":10}");
    api_expect(r, 409, "conflict");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/meetings/6/item", chair, "{\"item\":999}");
    api_expect(r, 404, "not_found");
    assert_string_equal(api_str(&r, "field"), "item");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/meetings/6/item", chair, "{\"item\":\"10\"}");
    api_expect(r, 422, "bad_field");
    api_free(&r);
    r = api_call(&srv, "POST", "/api/meetings/6/item", taiyuan, "{\"item\":11}");
    api_expect(r, 403, "forbidden");
    api_free(&r);
    assert_int_equal(api_seq(&srv), seq);
    r = api_call(&srv, "GET", "/api/status", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json, "meeting"), "item")), 10);
    api_free(&r);
    ys_free(chair);
    ys_free(taiyuan);
}

static void staff_roles(void **state)
{
    (void)state;
    for (int role = 0; role < YS_AUTH_N_ROLES; role++) {
        ys_viewer v = {.role = (ys_auth_role)role};
        bool staff = role == YS_AUTH_SECRETARIAT || role == YS_AUTH_CHAIR || role == YS_AUTH_DELEGATION_SECRETARY;
        assert_int_equal(ys_srv_viewer_is_staff(&v), staff);
        assert_int_equal((YS_R_STAFF & (1u << role)) != 0, staff);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(login_staff),     cmocka_unit_test(login_delegate_pin), cmocka_unit_test(logout_ends_token),
        cmocka_unit_test(token_expires),   cmocka_unit_test(csrf_guard),         cmocka_unit_test(role_table),
        cmocka_unit_test(bad_input),       cmocka_unit_test(body_limit),         cmocka_unit_test(sse_resume),
        cmocka_unit_test(sse_hides_choices), cmocka_unit_test(sse_board_sees_turnout), cmocka_unit_test(totals_entered_once),
        cmocka_unit_test(staff_roles),     cmocka_unit_test(meeting_item),
    };
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
