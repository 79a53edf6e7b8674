/* test_console.c — the routes the hall's pages read beside the votes themselves: who has voted (never a
 * choice), a delegate's receipt checked against the chain, cards for printing, staff accounts, bulletins. */
#include "apitest.h"

#include <sqlite3.h>

static api_server srv;
static char *chair, *secretariat, *taiyuan, *weitao, *tang;

static int setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    chair = api_login_staff(&srv, "chair", "demo-chair");
    secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    taiyuan = api_login_staff(&srv, "taiyuan", "demo-taiyuan");
    weitao = api_login_delegate(&srv, "140100001", "135790"); /* 韦韬, 太原 */
    tang = api_login_delegate(&srv, "140100002", "271828");   /* 汤志平, 太原 */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ys_free(chair), ys_free(secretariat), ys_free(taiyuan), ys_free(weitao), ys_free(tang);
    int code = api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    return code;
}

/* Checks a delegate in at the open plenary (6), whether or not the demo had. */
static void here(const char *code)
{
    char body[64];
    snprintf(body, sizeof body, "{\"delegate\":\"%s\"}", code);
    api_resp r = api_call(&srv, "POST", "/api/meetings/6/checkin", secretariat, body);
    if (r.status != 201 && r.status != 409)
        fail_msg("check-in of %s: %ld %s", code, r.status, r.body);
    api_free(&r);
}

static long long counted(const api_resp *r, const char *key)
{
    return json_integer_value(json_object_get(json_object_get(r->json, "counts"), key));
}

static bool listed(const json_t *list, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
        if (!strcmp(json_string_value(json_object_get(v, "code")), code))
            return true;
    return false;
}

/* The id of what a create answered (its first event's payload), as `token` posts `body` to `path`. */
static int create(const char *path, const char *token, const char *body)
{
    api_resp r = api_call(&srv, "POST", path, token, body);
    api_expect(r, 201, NULL);
    int id = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload"), "id"));
    api_free(&r);
    return id;
}

/* Refusals, each with its status, code and field; `path` with "%s" for each case's part of it. */
typedef struct refusal {
    const char *part;
    int status;
    const char *code, *field;
} refusal;

static void expect_refusals(const char *method, const char *path, const refusal *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char p[160];
        bool post = !strcmp(method, "POST");
        snprintf(p, sizeof p, path, post ? "" : cases[i].part);
        api_resp r = api_call(&srv, method, p, secretariat, post ? cases[i].part : NULL);
        api_expect(r, cases[i].status, cases[i].code);
        assert_string_equal(api_str(&r, "field"), cases[i].field);
        api_free(&r);
    }
}

/* The receipt of a vote, as the vote's answer gives it: its seq and hash. */
typedef struct receipt {
    long long seq;
    char hash[72];
} receipt;

static receipt vote(const char *token, int poll, const char *choice)
{
    char path[64], body[64];
    receipt rc = {0};
    snprintf(path, sizeof path, "/api/polls/%d/votes", poll);
    snprintf(body, sizeof body, "{\"choice\":\"%s\"}", choice);
    api_resp r = api_call(&srv, "POST", path, token, body);
    api_expect(r, 201, NULL);
    rc.seq = api_int(&r, "seq");
    snprintf(rc.hash, sizeof rc.hash, "%s", api_str(&r, "hash"));
    api_free(&r);
    return rc;
}

/* A named poll: the entitled split into voted, not voted and absent, each list as long as its count and
 * together all of them; no choice anywhere. An anonymous one: the counts only. */
static void who_has_voted(void **state)
{
    (void)state;
    here("140100001"), here("140100002");
    int named = api_open_poll(&srv, chair, "{\"title\":\"具名表决\",\"named\":true}");
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%d/voters", named);
    api_resp r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(counted(&r, "voted"), 0);
    long long present = counted(&r, "present");
    api_free(&r);
    vote(weitao, named, "yes");
    vote(tang, named, "no");
    r = api_call(&srv, "GET", path, secretariat, NULL);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "named")));
    json_t *voted = json_object_get(r.json, "voted"), *not_voted = json_object_get(r.json, "not_voted"),
           *absent = json_object_get(r.json, "absent");
    assert_int_equal(counted(&r, "voted"), 2);
    assert_int_equal(json_array_size(voted), 2);
    assert_true(listed(voted, "140100001") && listed(voted, "140100002"));
    assert_false(listed(not_voted, "140100001"));
    assert_int_equal(counted(&r, "present"), present);
    assert_int_equal(json_array_size(not_voted), counted(&r, "not_voted"));
    assert_int_equal(json_array_size(absent), counted(&r, "absent"));
    assert_int_equal(counted(&r, "voted") + counted(&r, "not_voted"), present);
    assert_int_equal(present + counted(&r, "absent"), counted(&r, "entitled"));
    assert_null(strstr(r.body, "choice"));
    assert_null(strstr(r.body, "\"yes\""));
    json_t *first = json_array_get(voted, 0);
    assert_string_equal(json_string_value(json_object_get(first, "name")), "韦韬");
    assert_string_equal(json_string_value(json_object_get(first, "delegation")), "太原");
    assert_non_null(json_object_get(first, "seat"));
    api_free(&r);
    /* Roles: the desk and the chair; no one else. */
    r = api_call(&srv, "GET", path, weitao, NULL);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 401, "unauthorized");
    api_free(&r);
    /* Closed: the counts are the close's own. */
    snprintf(path, sizeof path, "/api/polls/%d/close", named);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    snprintf(path, sizeof path, "/api/polls/%d", named);
    api_resp closed = api_call(&srv, "GET", path, NULL, NULL);
    snprintf(path, sizeof path, "/api/polls/%d/voters", named);
    r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(counted(&r, "present"), api_int(&closed, "present"));
    assert_int_equal(counted(&r, "not_voted"), api_int(&closed, "not_voted"));
    assert_int_equal(counted(&r, "entitled"), api_int(&closed, "entitled"));
    api_free(&r);
    api_free(&closed);

    /* Anonymous: how many, never who. */
    int anon = api_open_poll(&srv, chair, "{\"title\":\"无记名表决\"}");
    vote(weitao, anon, "abstain");
    snprintf(path, sizeof path, "/api/polls/%d/voters", anon);
    r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(counted(&r, "voted"), 1);
    assert_null(json_object_get(r.json, "voted"));
    assert_null(strstr(r.body, "140100001"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/polls/%d/close", anon);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
}

static void voters_refused(void **state)
{
    (void)state;
    api_resp r = api_call(&srv, "GET", "/api/polls/9999/voters", chair, NULL);
    api_expect(r, 404, "not_found");
    assert_string_equal(api_str(&r, "field"), "id");
    assert_non_null(strstr(api_str(&r, "message"), "9999"));
    api_free(&r);
    r = api_call(&srv, "GET", "/api/elections/9999/voters", chair, NULL);
    api_expect(r, 404, "not_found");
    api_free(&r);
    /* Not opened yet: of no meeting, with no voters. */
    int poll = create("/api/polls", chair, "{\"title\":\"未开始的表决\"}");
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%d/voters", poll);
    r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 409, "wrong_state");
    assert_string_equal(api_str(&r, "field"), "poll");
    api_free(&r);
    /* A show of hands: no one is known to have voted. */
    poll = create("/api/polls", chair, "{\"title\":\"举手表决\",\"method\":\"show_of_hands\"}");
    snprintf(path, sizeof path, "/api/polls/%d/voters", poll);
    r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 409, "wrong_state");
    api_free(&r);
}

/* An election: the ballots handed in, counted; never who handed them in. */
static void election_turnout(void **state)
{
    (void)state;
    int el = create("/api/elections", secretariat, "{\"office\":\"vice_governor\",\"seats\":1,\"by_election\":true}");
    char path[64];
    snprintf(path, sizeof path, "/api/elections/%d/voters", el);
    api_resp r = api_call(&srv, "GET", path, chair, NULL);
    api_expect(r, 409, "wrong_state");
    assert_string_equal(api_str(&r, "field"), "election");
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/nominations", el);
    api_post_expect(&srv, path, secretariat, "{\"name\":\"王某某\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/open", el);
    r = api_call(&srv, "POST", path, chair, NULL);
    api_expect(r, 200, NULL);
    long long issued = json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(r.json, "events"), 0), "payload"), "issued"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/ballots", el);
    api_post_expect(&srv, path, weitao, "{\"yes\":[\"王某某\"]}", 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/voters", el);
    r = api_call(&srv, "GET", path, secretariat, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(counted(&r, "present"), issued);
    assert_int_equal(counted(&r, "voted"), 1);
    assert_int_equal(counted(&r, "not_voted"), issued - 1);
    assert_null(strstr(r.body, "140100001"));
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/close", el);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
}

static api_resp get_receipt(const char *token, long long seq, const char *hash)
{
    char path[160];
    snprintf(path, sizeof path, "/api/receipts/%lld?hash=%s", seq, hash);
    return api_call(&srv, "GET", path, token, NULL);
}

/* The voter checks their receipt: bound to the head, without the choice. Anyone else learns nothing: the
 * answer to them is the answer to a receipt that does not exist. */
static void a_receipt_checked(void **state)
{
    (void)state;
    here("140100001");
    int poll = api_open_poll(&srv, chair, "{\"title\":\"回执核验\"}");
    receipt mine = vote(weitao, poll, "yes");
    api_resp r = get_receipt(weitao, mine.seq, mine.hash);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "in_chain")));
    assert_string_equal(api_str(&r, "type"), "poll.cast");
    assert_string_equal(api_str(&r, "hash"), mine.hash);
    assert_true(json_integer_value(json_object_get(json_object_get(r.json, "head"), "seq")) >= mine.seq);
    assert_null(strstr(r.body, "choice"));
    api_free(&r);
    r = get_receipt(secretariat, mine.seq, mine.hash);
    api_expect(r, 200, NULL);
    api_free(&r);
    char wrong[72];
    snprintf(wrong, sizeof wrong, "%s", mine.hash);
    wrong[0] = wrong[0] == '0' ? '1' : '0';
    api_resp unknown = get_receipt(weitao, 999999999, mine.hash);
    api_expect(unknown, 404, "not_found");
    api_resp others[] = {get_receipt(tang, mine.seq, mine.hash), get_receipt(weitao, mine.seq, wrong)};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(others[i].status, 404);
        assert_string_equal(others[i].body, unknown.body);
        api_free(&others[i]);
    }
    api_free(&unknown);
    r = get_receipt(chair, mine.seq, mine.hash);
    api_expect(r, 403, "forbidden");
    api_free(&r);
    r = api_call(&srv, "GET", "/api/receipts/12", weitao, NULL);
    api_expect(r, 400, "invalid");
    assert_string_equal(api_str(&r, "field"), "hash");
    api_free(&r);
    r = get_receipt(weitao, 0, mine.hash);
    api_expect(r, 400, "invalid");
    assert_string_equal(api_str(&r, "field"), "seq");
    api_free(&r);
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);

    /* A staff-only event about a delegate (a card replaced) stays the staff's. */
    r = api_call(&srv, "POST", "/api/delegates/5/card", secretariat, "{\"reissue\":true}");
    api_expect(r, 201, NULL);
    receipt reissue = {api_int(&r, "seq"), ""};
    snprintf(reissue.hash, sizeof reissue.hash, "%s", api_str(&r, "hash"));
    const char *card = api_str(&r, "card");
    char body[128];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"pin\":\"602214\"}", card);
    char *fifth = api_login(&srv, body);
    api_free(&r);
    r = get_receipt(fifth, reissue.seq, reissue.hash);
    api_expect(r, 404, "not_found");
    api_free(&r);
    r = get_receipt(secretariat, reissue.seq, reissue.hash);
    api_expect(r, 200, NULL);
    assert_string_equal(api_str(&r, "type"), "card.reissue");
    api_free(&r);
    ys_free(fifth);
}

/* Cards for a delegation's new members, in one go: the new ones only, each printable, and they log in. */
static void cards_for_printing(void **state)
{
    (void)state;
    api_post_expect(&srv, "/api/import/delegates", secretariat,
                    "{\"csv\":\"code,name,gender,ethnicity,delegation,seat\\n149900001,新代表甲,男,汉族,太原,30-1\\n"
                    "149900002,新代表乙,女,汉族,太原,30-2\\n\"}", 201, NULL);
    api_resp r = api_call(&srv, "POST", "/api/cards", secretariat, "{\"delegation\":1}");
    api_expect(r, 201, NULL);
    assert_int_equal(api_int(&r, "issued"), 2);
    json_t *cards = json_object_get(r.json, "cards");
    assert_int_equal(json_array_size(cards), 2);
    assert_true(json_array_size(json_object_get(r.json, "skipped")) > 0);
    json_t *one = json_array_get(cards, 0);
    const char *card = json_string_value(json_object_get(one, "card"));
    assert_string_equal(json_string_value(json_object_get(one, "qr")), card);
    assert_non_null(strstr(json_string_value(json_object_get(one, "svg")), "<svg"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(one, "delegate"), "code")), "149900001");
    char body[128], code[32];
    snprintf(code, sizeof code, "%s", card);
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"pin\":\"602214\"}", code);
    api_free(&r);
    char *t = api_login(&srv, body);
    ys_free(t);
    /* Again: nobody without a card is left, so nothing is issued and nothing replaced. */
    r = api_call(&srv, "POST", "/api/cards", secretariat, "{\"delegates\":[\"149900001\"]}");
    api_expect(r, 200, NULL);
    assert_int_equal(api_int(&r, "issued"), 0);
    assert_true(listed(json_object_get(r.json, "skipped"), "149900001"));
    api_free(&r);
    t = api_login(&srv, body); /* the card printed first still works */
    ys_free(t);
    /* Who holds a card, and whether the PIN is set; never a card's code. */
    r = api_call(&srv, "GET", "/api/cards", secretariat, NULL);
    api_expect(r, 200, NULL);
    assert_null(strstr(r.body, code));
    size_t i;
    json_t *v;
    int seen = 0;
    json_array_foreach(json_object_get(r.json, "delegates"), i, v) {
        const char *c = json_string_value(json_object_get(v, "code"));
        if (!strcmp(c, "149900001") || !strcmp(c, "149900002")) {
            assert_true(json_is_true(json_object_get(v, "card")));
            assert_int_equal(json_is_true(json_object_get(v, "pin_set")), !strcmp(c, "149900001"));
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    assert_int_equal(api_int(&r, "with_card"), api_int(&r, "entitled"));
    api_free(&r);
    /* Bad input, and nothing issued. */
    static const refusal bad[] = {
        {"{\"delegation\":\"太原\"}", 422, "bad_field", "delegation"},
        {"{\"delegation\":999}", 404, "not_found", "delegation"},
        {"{\"delegates\":[\"nobody\"]}", 404, "not_found", "delegates"},
        {"{\"delegates\":\"149900001\"}", 422, "bad_field", "delegates"},
        {"{\"delegation\":1,\"delegates\":[]}", 422, "bad_field", "delegates"},
        {"{\"everyone\":true}", 422, "bad_field", "everyone"},
        {"[1]", 422, "bad_field", "body"},
    };
    expect_refusals("POST", "/api/cards", bad, sizeof bad / sizeof bad[0]);
    r = api_call(&srv, "GET", "/api/cards", secretariat, NULL);
    assert_int_equal(api_int(&r, "with_card"), api_int(&r, "entitled")); /* and nothing issued */
    api_free(&r);
    r = api_call(&srv, "POST", "/api/cards", chair, "{}");
    api_expect(r, 403, "forbidden");
    api_free(&r);
}

static void staff_accounts(void **state)
{
    (void)state;
    api_post_expect(&srv, "/api/users", secretariat,
                    "{\"name\":\"jinzhong\",\"role\":\"delegation_secretary\",\"password\":\"jinzhong-desk-1\","
                    "\"delegation\":\"晋中\"}", 201, NULL);
    api_resp r = api_call(&srv, "GET", "/api/users", secretariat, NULL);
    api_expect(r, 200, NULL);
    assert_null(strstr(r.body, "argon2"));
    assert_null(strstr(r.body, "jinzhong-desk-1"));
    size_t i;
    json_t *u;
    bool found = false;
    json_array_foreach(json_object_get(r.json, "users"), i, u) {
        if (strcmp(json_string_value(json_object_get(u, "name")), "jinzhong"))
            continue;
        found = true;
        assert_string_equal(json_string_value(json_object_get(u, "role")), "delegation_secretary");
        assert_string_equal(json_string_value(json_object_get(u, "delegation")), "晋中");
        assert_non_null(json_string_value(json_object_get(u, "created")));
    }
    assert_true(found);
    api_free(&r);
    r = api_call(&srv, "GET", "/api/users", chair, NULL);
    api_expect(r, 403, "forbidden");
    api_free(&r);
}

/* The bulletin of 晋中's meeting (3) is what `yishi report bulletin` prints; what was said there only
 * for those who may read it: the chair, not 太原's secretary. */
static void bulletins(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' report bulletin --meeting 3 --issue 2 -f '%s'", api_yishi, srv.file);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    api_buf cli = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        api_write(chunk, 1, n, &cli);
    assert_int_equal(pclose(p), 0);
    api_resp r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3&issue=2", chair, NULL);
    api_expect(r, 200, NULL);
    assert_string_equal(r.body, cli.p);
    assert_non_null(strstr(r.body, "代表说"));
    assert_non_null(strstr(r.headers, "text/plain; charset=utf-8"));
    api_free(&r);
    ys_free(cli.p);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3&issue=2", taiyuan, NULL);
    api_expect(r, 200, NULL);
    assert_null(strstr(r.body, "代表说"));
    assert_non_null(strstr(r.body, "代表先后发言"));
    api_free(&r);
    static const refusal bad[] = {
        {"?meeting=99999", 404, "not_found", "meeting"},
        {"?meeting=three", 400, "invalid", "meeting"},
        {"?meeting=3&issue=0", 400, "invalid", "issue"},
    };
    expect_refusals("GET", "/api/reports/bulletin%s", bad, sizeof bad / sizeof bad[0]);
    r = api_call(&srv, "GET", "/api/reports/bulletin?meeting=3", weitao, NULL);
    api_expect(r, 403, "forbidden");
    api_free(&r);
}

/* A log changed behind the server's back after the receipt: the receipt is no longer bound to the head, and
 * says where. (A change before it leaves the receipt's own chain to the head whole: finding that is the
 * whole log's check, GET /api/verify and `yishi verify`.) */
/* The count of the poll closed after event `seq` changed in the store behind the server's back, as the one who
 * holds the file or the database can: the append-only trigger dropped first. */
static void change_a_close_after(long long seq)
{
    if (api_on_postgresql(&srv)) {
        char url[400], id[16], cmd[1400], out[64] = "";
        api_store_and_session(&srv, url, sizeof url, id);
        snprintf(cmd, sizeof cmd, "psql -qtA '%s' -c 'ALTER TABLE events DISABLE TRIGGER events_append_only' -c "
                 "\"WITH changed AS (UPDATE events SET payload = replace(payload, '\\\"no\\\":1', '\\\"no\\\":0') "
                 "WHERE session_id = %s AND seq > %lld AND type = 'poll.close' RETURNING 1) SELECT count(*) FROM changed\"",
                 url, id, seq);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        assert_non_null(fgets(out, sizeof out, p));
        assert_int_equal(pclose(p), 0);
        assert_true(atoi(out) > 0);
        return;
    }
    sqlite3 *db;
    char sql[200];
    assert_int_equal(sqlite3_open(srv.file, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER events_append_only_update", NULL, NULL, NULL), SQLITE_OK);
    snprintf(sql, sizeof sql, "UPDATE events SET payload = replace(payload, '\"no\":1', '\"no\":0') WHERE seq > %lld "
             "AND type = 'poll.close'", seq);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_true(sqlite3_changes(db) > 0);
    sqlite3_close(db);
}

static void a_receipt_on_a_changed_log(void **state)
{
    (void)state;
    here("140100002");
    int poll = api_open_poll(&srv, chair, "{\"title\":\"篡改之后\"}");
    receipt mine = vote(tang, poll, "no");
    char path[64];
    snprintf(path, sizeof path, "/api/polls/%d/close", poll);
    api_post_expect(&srv, path, chair, NULL, 200, NULL);
    change_a_close_after(mine.seq);
    api_resp r = get_receipt(tang, mine.seq, mine.hash);
    api_expect(r, 200, NULL);
    assert_true(json_is_false(json_object_get(r.json, "in_chain")));
    assert_true(api_int(&r, "bad_event") > mine.seq);
    assert_non_null(api_str(&r, "reason"));
    api_free(&r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(who_has_voted),     cmocka_unit_test(voters_refused),
        cmocka_unit_test(election_turnout),  cmocka_unit_test(a_receipt_checked),
        cmocka_unit_test(cards_for_printing), cmocka_unit_test(staff_accounts),
        cmocka_unit_test(bulletins),         cmocka_unit_test(a_receipt_on_a_changed_log),
    };
    return api_run_tests(argc, argv, tests, setup, teardown);
}
