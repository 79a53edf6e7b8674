/* test_exposure.c — bad input and exposure over HTTP: every integer field refused outside its range
 * (never cut to 32 bits), who sees a leave reason and what a speaker said on every stream and read route,
 * the Origin check with its scheme, and invisible formatting characters refused in names and titles. */
#include "apitest.h"

static api_server srv;
enum { CHAIR, SECRETARIAT, TAIYUAN, DELEGATE, N_LOGINS };
static char *login[N_LOGINS];
#define chair login[CHAIR]
#define secretariat login[SECRETARIAT]
#define taiyuan login[TAIYUAN]
static int show_poll; /* a show-of-hands poll, open, whose totals the secretariat enters */

static void post(const char *path, const char *token, const char *body, int status, const char *code)
{
    api_post_expect(&srv, path, token, body, status, code);
}

static int setup(void **state)
{
    (void)state;
    char path[64];
    api_make_demo(&srv);
    api_start(&srv, NULL);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    taiyuan = api_login_staff(&srv, "taiyuan", "demo-taiyuan"); /* 太原's delegation secretary */
    login[DELEGATE] = api_login_delegate(&srv, "140100002", "246813");
    api_resp r = api_call(&srv, "POST", "/api/polls", chair, "{\"title\":\"举手表决\",\"method\":\"show_of_hands\"}");
    api_expect(r, 201, NULL);
    show_poll = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload"), "id"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/open", show_poll);
    post(path, chair, NULL, 200, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < N_LOGINS; i++)
        ys_free(login[i]);
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

/* ---- integers ---- */

/* Every integer of a body at 2^32+k, negative, as a real, and beyond what the field may hold: each is
 * refused naming the field and its range, and the log does not move. 2^32+400 was logged as 400. */
static void integers_in_bodies(void **state)
{
    (void)state;
    static const char *const bad[] = {"4294967696", "4294967297", "-1", "1e3", "1.0", "9223372036854775807",
                                      "2147483648", "\"7\""};
    static const struct { const char *path, *token, *body, *field; } fields[] = {
        {"/api/polls/%d/totals", "secretariat", "{\"yes\":%s,\"no\":0,\"abstain\":0}", "yes"},
        {"/api/polls/%d/totals", "secretariat", "{\"yes\":0,\"no\":%s,\"abstain\":0}", "no"},
        {"/api/polls/%d/totals", "secretariat", "{\"yes\":0,\"no\":0,\"abstain\":%s}", "abstain"},
        {"/api/polls", "chair", "{\"title\":\"决议\",\"item\":%s}", "item"},
        {"/api/polls", "chair", "{\"title\":\"修正案\",\"amends\":%s}", "amends"},
        {"/api/elections", "chair", "{\"office\":\"governor\",\"seats\":%s}", "seats"},
        {"/api/elections", "chair", "{\"office\":\"governor\",\"seats\":1,\"item\":%s}", "item"},
        {"/api/elections", "chair", "{\"office\":\"governor\",\"seats\":1,\"kind\":\"preliminary\",\"office_seats\":%s}",
         "office_seats"},
    };
    long long seq = api_seq(&srv);
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            char path[64], body[256];
            snprintf(path, sizeof path, fields[f].path, show_poll);
            snprintf(body, sizeof body, fields[f].body, bad[b]);
            api_resp r = api_call(&srv, "POST", path, fields[f].token[0] == 's' ? secretariat : chair, body);
            if (r.status != 422 || !api_str(&r, "field") || strcmp(api_str(&r, "field"), fields[f].field) ||
                !strstr(api_str(&r, "message"), "whole number from"))
                fail_msg("%s %s: got %ld %s", path, body, r.status, r.body);
            api_free(&r);
        }
    /* Beyond 64 bits is not a number jansson reads: malformed, and refused as such. */
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%d/totals", show_poll);
    post(path, secretariat, "{\"yes\":99999999999999999999,\"no\":0,\"abstain\":0}", 400, "invalid");
    assert_int_equal(api_seq(&srv), seq);
    post(path, secretariat, "{\"yes\":400,\"no\":10,\"abstain\":5}", 201, NULL); /* the same route takes a good one */
}

/* Integers in queries and paths: no garbage after the digits, no sign, no wrap. */
static void integers_in_queries(void **state)
{
    (void)state;
    static const struct { const char *path, *field; } cases[] = {
        {"/api/delegates?delegation=4294967297", "delegation"}, {"/api/delegates?delegation=1abc", "delegation"},
        {"/api/delegates?delegation=-1", "delegation"},         {"/api/delegates?delegation=", "delegation"},
        {"/api/log?after=-1", "after"},                         {"/api/log?after=1e3", "after"},
        {"/api/log?after=99999999999999999999", "after"},       {"/api/log?limit=4294967297", "limit"},
        {"/api/log?limit=10x", "limit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        api_resp r = api_call(&srv, "GET", cases[i].path, secretariat, NULL);
        if (r.status != 400 || !api_str(&r, "field") || strcmp(api_str(&r, "field"), cases[i].field))
            fail_msg("%s: got %ld %s", cases[i].path, r.status, r.body);
        api_free(&r);
    }
    assert_int_equal(api_stream_status(&srv, "/api/stream/public?after=4294967296x", NULL), 400);
    assert_int_equal(api_stream_status(&srv, "/api/stream/public?after=-5", NULL), 400);
    api_resp r = api_call(&srv, "GET", "/api/delegates?delegation=1", NULL, NULL);
    api_expect(r, 200, NULL);
    api_free(&r);
    r = api_call(&srv, "POST", "/api/polls/4294967297/open", chair, NULL); /* ids are nine digits at most */
    api_expect(r, 404, "not_found");
    api_free(&r);
}

/* ---- who sees a leave reason and what a speaker said ---- */

/* The viewers: the public (no login), then each login. A bit per viewer in the tables below. */
enum { V_PUBLIC, V_SECRETARIAT, V_CHAIR, V_TAIYUAN, V_DELEGATE, N_VIEWERS };
#define B(v) (1u << (v))

static const char *viewer_token(int v)
{
    return v == V_SECRETARIAT ? secretariat : v == V_CHAIR ? chair : v == V_TAIYUAN ? taiyuan
           : v == V_DELEGATE ? login[DELEGATE] : NULL;
}

/* The first delegate of a delegation that the secretariat can put on leave at the plenary, with `reason`. */
static void leave_one_of(int delegation, const char *reason, char code[16])
{
    char path[64], body[160];
    snprintf(path, sizeof path, "/api/delegates?delegation=%d", delegation);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    json_t *list = json_object_get(r.json, "delegates");
    long status = 0;
    for (size_t i = 3; i < json_array_size(list) && status != 201; i++) {
        snprintf(code, 16, "%s", json_string_value(json_object_get(json_array_get(list, i), "code")));
        snprintf(body, sizeof body, "{\"delegate\":\"%s\",\"reason\":\"%s\"}", code, reason);
        api_resp l = api_call(&srv, "POST", "/api/meetings/6/leave", secretariat, body);
        status = l.status;
        api_free(&l);
    }
    api_free(&r);
    assert_int_equal(status, 201);
}

/* Cuts a stream's text after its n-th frame, so that only the events asked about are looked at. */
static void first_frames(char *text, int n)
{
    char *p = text;
    for (int i = 0; i < n && p; i++)
        if ((p = strstr(p, "id: ")) && (p = strstr(p, "\n\n")))
            p += 2;
    if (p)
        *p = '\0';
}

/* Whether each viewer finds `needle` on every route that may show it: the live streams (from `after`,
 * `frames` events), the log (staff only), and the read route `path`. */
static void expect_seen(const char *needle, unsigned sees, long long after, int frames, const char *path)
{
    char log[96];
    snprintf(log, sizeof log, "/api/log?after=%lld&limit=%d", after, frames);
    for (int v = 0; v < N_VIEWERS; v++) {
        const char *t = viewer_token(v);
        bool want = (sees & B(v)) != 0;
        char *own = api_read_stream(&srv, t ? "/api/stream" : "/api/stream/public", t, after, frames);
        char *board = api_read_stream(&srv, "/api/stream/public", t, after, frames);
        assert_true(api_count_ids(own) >= frames);
        first_frames(own, frames);
        first_frames(board, frames);
        if ((strstr(own, needle) != NULL) != want || (strstr(board, needle) && v != V_PUBLIC))
            fail_msg("viewer %d, stream: '%s' %s in %.600s", v, needle, want ? "missing" : "shown", own);
        ys_free(own);
        ys_free(board);
        api_resp r = api_call(&srv, "GET", path, t, NULL);
        api_expect(r, 200, NULL);
        if ((strstr(r.body, needle) != NULL) != want)
            fail_msg("viewer %d, %s: '%s' %s", v, path, needle, want ? "missing" : "shown");
        api_free(&r);
        if (v == V_PUBLIC || v == V_DELEGATE)
            continue; /* the log is staff's */
        r = api_call(&srv, "GET", log, t, NULL);
        api_expect(r, 200, NULL);
        if ((strstr(r.body, needle) != NULL) != want)
            fail_msg("viewer %d, %s: '%s' %s in %.600s", v, log, needle, want ? "missing" : "shown", r.body);
        api_free(&r);
    }
}

/* A leave reason: the secretariat, and the secretary of the delegate's own delegation (太原 is 1). */
static void who_sees_leave_reasons(void **state)
{
    (void)state;
    char taiyuan_code[16], other_code[16];
    long long before = api_seq(&srv);
    leave_one_of(1, "腿伤住院请假", taiyuan_code);
    long long mid = api_seq(&srv);
    leave_one_of(2, "赴京出差请假", other_code);
    expect_seen("腿伤住院请假", B(V_SECRETARIAT) | B(V_TAIYUAN), before, 1, "/api/meetings/6/attendance");
    expect_seen("赴京出差请假", B(V_SECRETARIAT), mid, 1, "/api/meetings/6/attendance");
    /* A reason is the leave's: once the delegate is back, the attendance shows none. */
    char body[64];
    snprintf(body, sizeof body, "{\"delegate\":\"%s\"}", taiyuan_code);
    post("/api/meetings/6/checkin", secretariat, body, 201, NULL);
    api_resp r = api_call(&srv, "GET", "/api/meetings/6/attendance", secretariat, NULL);
    assert_null(strstr(r.body, "腿伤住院请假"));
    assert_non_null(strstr(r.body, "赴京出差请假"));
    api_free(&r);
}

/* What a speaker said: at the whole assembly's meeting, staff; at 晋中's (meeting 3, the demo's), the
 * secretariat and the chair, not 太原's secretary; never the board or a delegate. */
static void who_sees_what_was_said(void **state)
{
    (void)state;
    long long before = api_seq(&srv);
    post("/api/meetings/6/speakers", login[DELEGATE], "{\"topic\":\"预算\"}", 201, NULL);
    post("/api/meetings/6/speakers/next", chair, NULL, 201, NULL);
    post("/api/meetings/6/speakers/end", chair, "{\"summary\":\"建议加大基层医疗投入。\"}", 201, NULL);
    expect_seen("建议加大基层医疗投入", B(V_SECRETARIAT) | B(V_CHAIR) | B(V_TAIYUAN), before + 2, 1,
                "/api/meetings/6/speakers");
    api_resp r = api_call(&srv, "GET", "/api/log?type=speech.end&limit=1", secretariat, NULL);
    json_t *first = json_array_get(json_object_get(r.json, "events"), 0);
    long long seq = json_integer_value(json_object_get(first, "seq"));
    char said[64];
    snprintf(said, sizeof said, "%.30s", json_string_value(json_object_get(json_object_get(first, "payload"), "summary")));
    api_free(&r);
    assert_true(strlen(said) > 0);
    expect_seen(said, B(V_SECRETARIAT) | B(V_CHAIR), seq - 1, 1, "/api/meetings/3/speakers");
}

/* ---- the Origin check ---- */

/* Over plain http only this server's own http origin may change anything: not its host under https, not
 * another port, not another host. The host is compared without regard to case, as URLs do. */
static void origin_with_scheme(void **state)
{
    (void)state;
    static const struct { const char *origin; int status; } cases[] = {
        {"https://127.0.0.1:%d", 403}, {"http://127.0.0.1:%d0", 403}, {"http://127.0.0.2:%d", 403},
        {"http://127.0.0.1", 403},     {"ws://127.0.0.1:%d", 403},    {"http://127.0.0.1:%d/", 403},
        {"http://127.0.0.1:%d", 201},
    };
    long long seq = api_seq(&srv);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char header[128], origin[96];
        snprintf(origin, sizeof origin, cases[i].origin, srv.port);
        snprintf(header, sizeof header, "Origin: %s", origin);
        const char *extra[] = {header, NULL};
        api_resp r = api_call_h(&srv, "POST", "/api/meetings/6/leave", secretariat, "{\"delegate\":\"140100021\"}",
                                extra);
        if (r.status != cases[i].status)
            fail_msg("Origin %s: got %ld %s", origin, r.status, r.body);
        api_free(&r);
    }
    assert_int_equal(api_seq(&srv), seq + 1);
}

/* ---- invisible characters in what ballots and reports print ---- */

/* U+202E in a title prints the rest reversed; a zero-width space makes a name that looks like another.
 * Each is refused naming the field and the code point, through a body and through a CSV import, and
 * nothing is logged; a name with the middle dot of minority names (U+00B7) is fine. */
static void invisible_characters(void **state)
{
    (void)state;
    static const struct { const char *path, *body, *field, *cp; } cases[] = {
        {"/api/polls", "{\"title\":\"关于\u202e案草议决\"}", "title", "U+202E"},
        {"/api/polls", "{\"title\":\"关于\u2067决议\u2069\"}", "title", "U+2067"},
        {"/api/meetings", "{\"kind\":\"delegation\",\"title\":\"太原\u200b代表团\",\"delegation\":\"太原代表团\"}",
         "title", "U+200B"},
        {"/api/meetings/6/leave", "{\"delegate\":\"140100022\",\"reason\":\"因病\u200f请假\"}", "reason", "U+200F"},
        {"/api/import/posts", "{\"csv\":\"rank,title\\n1,省\ufeff长\\n\"}", "csv", "U+FEFF"},
        {"/api/import/attendees", "{\"csv\":\"name,kind\\n王\u202a某,attendee\\n\"}", "csv", "U+202A"},
    };
    long long seq = api_seq(&srv);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        api_resp r = api_call(&srv, "POST", cases[i].path, secretariat, cases[i].body);
        const char *field = api_str(&r, "field");
        if (r.status != 400 || !field || strcmp(field, cases[i].field) || !strstr(r.body, cases[i].cp))
            fail_msg("%s %s: got %ld %s", cases[i].path, cases[i].body, r.status, r.body);
        api_free(&r);
    }
    char path[64];
    post("/api/elections", chair, "{\"office\":\"vice_governor\",\"seats\":1,\"by_election\":true}", 201, NULL);
    api_resp r = api_call(&srv, "GET", "/api/elections", NULL, NULL);
    int election = (int)json_array_size(json_object_get(r.json, "elections"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/nominations", election);
    seq = api_seq(&srv);
    post(path, chair, "{\"name\":\"王\u200d某某\"}", 400, "invalid");
    assert_int_equal(api_seq(&srv), seq);
    post(path, chair, "{\"name\":\"阿不都热合曼·库尔班\"}", 201, NULL);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(integers_in_bodies),
        cmocka_unit_test(integers_in_queries),
        cmocka_unit_test(origin_with_scheme),
        cmocka_unit_test(invisible_characters),
        cmocka_unit_test(who_sees_leave_reasons),
        cmocka_unit_test(who_sees_what_was_said),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
