/* test_velection_api.c — a verifiable election over HTTP, with this test as the trustees' devices and the
 * delegates' terminals: a key ceremony, an election on the key, ballots encrypted from the context the API
 * gives and cast (a tampered one and one made for another delegate refused, naming what failed), the close,
 * two trustees' decryptions, the count in GET /api/elections/{id}, the board's codes, and GET /api/verify
 * counting the ballots and decryptions whose proofs it checked; then a verifiable poll the same way, and its
 * GET /api/polls/{id}/tally. */
#include "apitest.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

#include <sodium.h>

static api_server srv;
static const char *const LOGINS[] = {"trustee1", "trustee2", "trustee3"};
static int key_id; /* the ceremony this test holds (the demo's own key comes first) */

/* "/api/keys/ID" and what follows, for the test's key. */
static const char *key_path(const char *rest)
{
    static char path[64];
    snprintf(path, sizeof path, "/api/keys/%d%s", key_id, rest);
    return path;
}
static char *tokens[3];
static ys_vtrustee *dev[3];

static int group_setup(void **state)
{
    (void)state;
    api_make_demo(&srv);
    api_start(&srv, NULL);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    for (int t = 0; t < 3; t++) {
        ys_vtrustee_free(dev[t]);
        ys_free(tokens[t]);
    }
    return 0;
}

static json_t *get_json(const char *path)
{
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

/* POSTs body (taking it: the caller's reference is released) and returns the answer's JSON. */
static json_t *post_ok(const char *path, const char *token, json_t *body, int status, const char *code)
{
    char *text = json_dumps(body, JSON_COMPACT);
    api_resp r = api_call(&srv, "POST", path, token, text);
    free(text);
    json_decref(body); /* the caller's, taken: bodies are made in the call */
    api_expect(r, status, code);
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

static char *session_id(void)
{
    json_t *s = get_json("/api/session");
    char *id = ys_strdup(json_string_value(json_object_get(s, "id")));
    json_decref(s);
    return id;
}

/* The key's public side as a device builds it from GET /api/keys/{id} (its commitments, then public shares). */
static ys_vkey *device_view(void)
{
    char *sid = session_id();
    ys_vkey_params p = {.session_id = sid, .key_id = (uint64_t)key_id, .n = 3, .k = 2, .logins = LOGINS};
    ys_vkey *v = NULL;
    assert_int_equal(ys_vkey_new(&p, &v, NULL), YS_OK);
    ys_free(sid);
    json_t *key = get_json(key_path(""));
    for (int i = 0; i < 3; i++) {
        const json_t *t = json_array_get(json_object_get(key, "trustees"), (size_t)i);
        if (json_is_object(json_object_get(t, "commitment")))
            assert_int_equal(ys_vkey_add_commitment(v, (unsigned)i + 1, json_object_get(t, "commitment"), NULL), YS_OK);
    }
    for (int i = 0; i < 3; i++) {
        const json_t *t = json_array_get(json_object_get(key, "trustees"), (size_t)i);
        if (json_is_object(json_object_get(t, "public_share")))
            assert_int_equal(ys_vkey_add_public_share(v, (unsigned)i + 1, json_object_get(t, "public_share"), NULL),
                             YS_OK);
    }
    json_decref(key);
    return v;
}

static void ceremony(void)
{
    char *secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    api_resp made = api_call(&srv, "POST", "/api/keys", secretariat,
                             "{\"trustees\":[\"trustee1\",\"trustee2\",\"trustee3\"],\"threshold\":2}");
    api_expect(made, 201, NULL);
    key_id = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(made.json, "events"), 0), "payload"), "id"));
    api_free(&made);
    ys_free(secretariat);
    ys_vkey *v = device_view();
    for (int i = 0; i < 3; i++) {
        char password[32];
        snprintf(password, sizeof password, "demo-%s", LOGINS[i]);
        tokens[i] = api_login_staff(&srv, LOGINS[i], password);
        assert_int_equal(ys_vtrustee_new(v, (unsigned)i + 1, &dev[i], NULL), YS_OK);
        json_t *c = ys_vtrustee_commitment(dev[i]);
        json_decref(post_ok(key_path("/commit"), tokens[i], c, 201, NULL));
    }
    ys_vkey_free(v);
    v = device_view();
    for (int i = 0; i < 3; i++) {
        json_t *shares = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(dev[i], v, &shares, NULL), YS_OK);
        json_t *body = json_pack("{s:o}", "shares", shares);
        json_decref(post_ok(key_path("/shares"), tokens[i], body, 201, NULL));
    }
    json_t *key = get_json(key_path(""));
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++)
            if (i != j) {
                const json_t *t = json_array_get(json_object_get(key, "trustees"), (size_t)i);
                assert_int_equal(ys_vtrustee_open_share(dev[j], v, (unsigned)i + 1, json_object_get(t, "shares"), NULL),
                                 YS_OK);
            }
        json_t *msg = NULL;
        assert_int_equal(ys_vtrustee_public_share(dev[j], &msg, NULL), YS_OK);
        json_decref(post_ok(key_path("/ready"), tokens[j], msg, 201, NULL));
    }
    json_decref(key);
    ys_vkey_free(v);
}

/* The context a terminal encrypts under, made from what the API says (the key's shares, the session's id,
 * the election's list or the poll's question), and checked against the Q the election or poll shows. */
static ys_vvote *vote_context(bool poll, int id, const char *const *names, size_t n, int seats)
{
    ys_vkey *k = device_view();
    char path[64], b64[45];
    snprintf(path, sizeof path, "/api/%s/%d", poll ? "polls" : "elections", id);
    json_t *el = get_json(path);
    const json_t *ctx = json_object_get(json_object_get(el, "verifiable"), "context");
    assert_non_null(ctx);
    uint8_t shares[3][YS_VPOINT];
    ys_vvote_spec spec = {.shares = (const uint8_t(*)[YS_VPOINT])shares, .nshares = 3,
                          .session_id = json_string_value(json_object_get(ctx, "session")), .poll = poll,
                          .id = (uint64_t)id, .entitled = (uint64_t)json_integer_value(json_object_get(ctx, "V")),
                          .seats = (uint64_t)seats, .names = names, .ncandidates = n, .writeins = !poll};
    size_t len;
    ys_vkey_qk(k, spec.key_hash);
    assert_int_equal(ys_vkey_joint_key(k, b64, NULL), YS_OK);
    assert_int_equal(sodium_base642bin(spec.key, 32, b64, strlen(b64), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    for (unsigned j = 1; j <= 3; j++) {
        assert_int_equal(ys_vkey_public_share(k, j, b64, NULL), YS_OK);
        assert_int_equal(sodium_base642bin(shares[j - 1], 32, b64, strlen(b64), NULL, &len, NULL,
                                           sodium_base64_VARIANT_ORIGINAL), 0);
    }
    ys_vvote *v = NULL;
    assert_int_equal(ys_vvote_new(&v, &spec, NULL), YS_OK);
    char q[2 * YS_VHASH];
    sodium_bin2base64(q, sizeof q, ys_vvote_Q(v), YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
    assert_string_equal(q, json_string_value(json_object_get(ctx, "Q")));
    json_decref(el);
    ys_vkey_free(k);
    return v;
}

static void api_expect_get(const char *path, long status, const char *code)
{
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, status, code);
    api_free(&r);
}

/* GET …/tally once counted: the aggregates that were decrypted, and both trustees' partials as posted. */
static void tally_holds_partials(int id, const json_t *decrypted, json_t *const *posted)
{
    char path[96];
    snprintf(path, sizeof path, "/api/elections/%d/tally", id);
    json_t *tally = get_json(path);
    assert_true(json_is_true(json_object_get(tally, "counted")));
    const json_t *cts = json_object_get(tally, "ciphertexts"), *parts = json_object_get(tally, "partials");
    assert_true(json_equal(cts, decrypted));
    assert_int_equal(json_array_size(parts), 2);
    for (size_t i = 0; i < 2; i++) {
        const json_t *p = json_array_get(parts, i);
        assert_int_equal(json_integer_value(json_object_get(p, "trustee")), (json_int_t)i + 2);
        assert_true(json_equal(json_object_get(p, "partial"), posted[i]));
    }
    json_decref(tally);
}

/* GET /api/verify: the log verifies; how many verifiable ballots and decryptions it checked. */
static void verified(const char *token, json_int_t *ballots, json_int_t *decryptions)
{
    api_resp r = api_call(&srv, "GET", "/api/verify", token, NULL);
    api_expect(r, 200, NULL);
    assert_true(json_is_true(json_object_get(r.json, "ok")));
    *ballots = json_integer_value(json_object_get(r.json, "verifiable_ballots"));
    *decryptions = json_integer_value(json_object_get(r.json, "decryptions"));
    api_free(&r);
}

static void held_over_http(void **state)
{
    (void)state;
    if (!key_id)
        ceremony();
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    json_int_t before_ballots, before_decryptions; /* the demo's own */
    verified(chair, &before_ballots, &before_decryptions);
    assert_true(before_ballots > 0);
    json_t *made = post_ok("/api/elections", chair,
                           json_pack("{s:s, s:i, s:b, s:i}", "office", "sc_chair", "seats", 1, "by_election", 1, "key", key_id),
                           201, NULL);
    int id = (int)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(made, "events"), 0),
                                                                     "payload"), "id"));
    json_decref(made);
    char path[96];
    snprintf(path, sizeof path, "/api/elections/%d/nominations", id);
    api_post_expect(&srv, path, chair, "{\"name\":\"张三\"}", 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/open", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    const char *names[] = {"张三"};
    ys_vvote *v = vote_context(false, id, names, 1, 1);

    /* five delegates present cast; marks: yes, yes, no, abstain, yes */
    json_t *att = get_json("/api/meetings/6/attendance");
    static const ys_vmark marks[5] = {YS_VMARK_YES, YS_VMARK_YES, YS_VMARK_NO, YS_VMARK_ABSTAIN, YS_VMARK_YES};
    char ballots_path[96], codes[5][2 * YS_VHASH], spare[32] = "";
    snprintf(ballots_path, sizeof ballots_path, "/api/elections/%d/ballots", id);
    size_t k = 0, i;
    const json_t *d;
    json_array_foreach(json_object_get(att, "delegates"), i, d) {
        if (strcmp(json_string_value(json_object_get(d, "presence")), "present"))
            continue;
        if (k == 5) { /* a sixth present delegate, who casts only once the election is closed */
            if (!spare[0])
                snprintf(spare, sizeof spare, "%s", json_string_value(json_object_get(d, "code")));
            continue;
        }
        const char *code = json_string_value(json_object_get(d, "code"));
        char *token = api_login_delegate(&srv, code, "202401");
        json_t *ballot = NULL;
        assert_int_equal(ys_vballot_encrypt(v, code, &marks[k], NULL, 0, NULL, &ballot, NULL, NULL), YS_OK);
        if (k == 0) { /* a ballot made for someone else, and a tampered one: refused, naming what failed */
            json_t *other = NULL;
            assert_int_equal(ys_vballot_encrypt(v, "140100999", &marks[k], NULL, 0, NULL, &other, NULL, NULL), YS_OK);
            json_t *r = post_ok(ballots_path, token, json_pack("{s:o}", "encrypted", other), 422, "bad_proof");
            json_decref(r);
            json_t *bad = json_deep_copy(ballot);
            json_array_set_new(json_object_get(json_array_get(json_object_get(bad, "marks"), 0), "ct"), 1,
                               json_string("4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY="));
            r = post_ok(ballots_path, token, json_pack("{s:o}", "encrypted", bad), 422, "bad_proof");
            assert_string_equal(json_string_value(json_object_get(r, "field")), "marks[0].proof");
            json_decref(r);
            api_post_expect(&srv, ballots_path, token, "{\"yes\":[\"张三\"]}", 409, "wrong_state"); /* no marks in the clear */
        }
        json_t *receipt = post_ok(ballots_path, token, json_pack("{s:O}", "encrypted", ballot), 201, NULL);
        json_decref(receipt);
        uint8_t h[YS_VHASH];
        ys_vcast *cast = NULL;
        assert_int_equal(ys_vballot_read(v, code, ballot, &cast, NULL), YS_OK);
        memcpy(h, ys_vcast_code(cast), YS_VHASH);
        sodium_bin2base64(codes[k], sizeof codes[k], h, YS_VHASH, sodium_base64_VARIANT_ORIGINAL);
        ys_vcast_free(cast);
        json_decref(ballot);
        ys_free(token);
        k++;
    }
    json_decref(att);
    /* the board has every code, in order: each delegate finds their own */
    snprintf(path, sizeof path, "/api/elections/%d/codes", id);
    json_t *board = get_json(path);
    assert_int_equal(json_array_size(json_object_get(board, "codes")), 5);
    for (k = 0; k < 5; k++)
        assert_string_equal(json_string_value(json_array_get(json_object_get(board, "codes"), k)), codes[k]);
    json_decref(board);
    snprintf(path, sizeof path, "/api/elections/%d/tally", id);
    api_expect_get(path, 409, "wrong_state");

    snprintf(path, sizeof path, "/api/elections/%d/close", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    { /* a ballot that verifies, sent after the close: refused as before it, the context kept or not */
        json_t *late = NULL;
        char *token = api_login_delegate(&srv, spare, "202401");
        assert_int_equal(ys_vballot_encrypt(v, spare, marks, NULL, 0, NULL, &late, NULL, NULL), YS_OK);
        json_decref(post_ok(ballots_path, token, json_pack("{s:o}", "encrypted", late), 409, "wrong_state"));
        ys_free(token);
    }
    snprintf(path, sizeof path, "/api/elections/%d/decrypt", id);
    json_t *posted[2] = { NULL }, *decrypted = NULL;
    for (int t = 0; t < 2; t++) {
        json_t *job = get_json(path), *partials = NULL;
        uint8_t Q[YS_VHASH];
        size_t len;
        const char *q = json_string_value(json_object_get(job, "Q"));
        assert_int_equal(sodium_base642bin(Q, sizeof Q, q, strlen(q), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
        assert_int_equal(ys_vtrustee_decrypt(dev[t + 1], Q, json_object_get(job, "ciphertexts"), &partials, NULL), YS_OK);
        if (t == 0)
            api_post_expect(&srv, path, chair, "{\"partials\":[]}", 403, "forbidden");
        posted[t] = json_incref(partials);
        if (!decrypted)
            decrypted = json_incref(json_object_get(job, "ciphertexts"));
        json_decref(post_ok(path, tokens[t + 1], json_pack("{s:o}", "partials", partials), 201, NULL));
        json_decref(job);
    }
    tally_holds_partials(id, decrypted, posted);
    json_decref(decrypted);
    json_decref(posted[0]);
    json_decref(posted[1]);
    snprintf(path, sizeof path, "/api/elections/%d", id);
    json_t *el = get_json(path);
    const json_t *cand = json_array_get(json_object_get(json_object_get(el, "result"), "candidates"), 0);
    assert_int_equal(json_integer_value(json_object_get(cand, "yes")), 3);
    assert_int_equal(json_integer_value(json_object_get(cand, "no")), 1);
    assert_int_equal(json_integer_value(json_object_get(cand, "abstain")), 1);
    assert_true(json_is_true(json_object_get(json_object_get(el, "verifiable"), "counted")));
    json_decref(el);
    snprintf(path, sizeof path, "/api/elections/%d/announce", id);
    api_post_expect(&srv, path, chair, "{}", 201, NULL);
    /* the whole log verifies, every proof of the five ballots and the two decryptions checked with the demo's */
    json_int_t ballots, decryptions;
    verified(chair, &ballots, &decryptions);
    assert_int_equal(ballots, before_ballots + 5);
    assert_int_equal(decryptions, before_decryptions + 2);
    ys_vvote_free(v);
    ys_free(chair);
}

/* The id of the object the answer's first event made. */
static int made_id(json_t *made)
{
    int id = (int)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(made, "events"), 0),
                                                                     "payload"), "id"));
    json_decref(made);
    return id;
}

/* GET /api/polls/{id}/tally: its one aggregate, as GET …/decrypt gave it, and the trustees who decrypted. */
static void poll_tally_is(int id, const json_t *decrypted, const int *trustees, size_t n, bool counted)
{
    char path[96];
    snprintf(path, sizeof path, "/api/polls/%d/tally", id);
    json_t *tally = get_json(path);
    assert_int_equal(json_integer_value(json_object_get(tally, "poll")), id);
    assert_int_equal(json_is_true(json_object_get(tally, "counted")), counted);
    assert_true(json_equal(json_object_get(tally, "ciphertexts"), decrypted));
    const json_t *parts = json_object_get(tally, "partials");
    assert_int_equal(json_array_size(parts), n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(json_integer_value(json_object_get(json_array_get(parts, i), "trustee")), trustees[i]);
    json_decref(tally);
}

/* A verifiable poll (表决) over HTTP: ballots of one mark encrypted from the poll's context, a vote in the
 * clear refused, GET …/tally refused before the close and then holding each partial decryption as it comes,
 * and the totals the second trustee's brings. */
static void poll_over_http(void **state)
{
    (void)state;
    if (!key_id)
        ceremony();
    static const char TITLE[] = "关于可验证表决的决议";
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    int id = made_id(post_ok("/api/polls", chair, json_pack("{s:s, s:i}", "title", TITLE, "key", key_id), 201, NULL));
    char path[96], votes[96], tally[96];
    snprintf(path, sizeof path, "/api/polls/%d/open", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    snprintf(tally, sizeof tally, "/api/polls/%d/tally", id);
    api_expect_get(tally, 409, "wrong_state");
    const char *names[] = {TITLE};
    ys_vvote *v = vote_context(true, id, names, 1, 1);

    /* three delegates present cast: yes, no, yes */
    static const ys_vmark marks[3] = {YS_VMARK_YES, YS_VMARK_NO, YS_VMARK_YES};
    json_t *att = get_json("/api/meetings/6/attendance");
    snprintf(votes, sizeof votes, "/api/polls/%d/votes", id);
    size_t k = 0, i;
    const json_t *d;
    json_array_foreach(json_object_get(att, "delegates"), i, d) {
        if (k == 3 || strcmp(json_string_value(json_object_get(d, "presence")), "present"))
            continue;
        const char *code = json_string_value(json_object_get(d, "code"));
        char *token = api_login_delegate(&srv, code, "202401");
        if (k == 0)
            api_post_expect(&srv, votes, token, "{\"choice\":\"yes\"}", 409, "wrong_state"); /* no vote in the clear */
        json_t *ballot = NULL;
        assert_int_equal(ys_vballot_encrypt(v, code, &marks[k], NULL, 0, NULL, &ballot, NULL, NULL), YS_OK);
        json_decref(post_ok(votes, token, json_pack("{s:o}", "encrypted", ballot), 201, NULL));
        ys_free(token);
        k++;
    }
    json_decref(att);
    snprintf(path, sizeof path, "/api/polls/%d/codes", id);
    json_t *board = get_json(path);
    assert_int_equal(json_array_size(json_object_get(board, "codes")), 3);
    json_decref(board);
    api_expect_get(tally, 409, "wrong_state");

    snprintf(path, sizeof path, "/api/polls/%d/close", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    snprintf(path, sizeof path, "/api/polls/%d/decrypt", id);
    json_t *decrypted = NULL;
    static const int by[2] = {3, 1}, listed[2] = {1, 3}; /* the tally lists them by index, not as posted */
    for (size_t t = 0; t < 2; t++) {
        json_t *job = get_json(path), *partials = NULL;
        uint8_t Q[YS_VHASH];
        size_t len;
        const char *q = json_string_value(json_object_get(job, "Q"));
        assert_int_equal(sodium_base642bin(Q, sizeof Q, q, strlen(q), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
        if (!decrypted)
            decrypted = json_incref(json_object_get(job, "ciphertexts"));
        poll_tally_is(id, decrypted, by, t, false);
        assert_int_equal(ys_vtrustee_decrypt(dev[by[t] - 1], Q, json_object_get(job, "ciphertexts"), &partials, NULL),
                         YS_OK);
        json_decref(post_ok(path, tokens[by[t] - 1], json_pack("{s:o}", "partials", partials), 201, NULL));
        json_decref(job);
    }
    poll_tally_is(id, decrypted, listed, 2, true);
    json_decref(decrypted);
    snprintf(path, sizeof path, "/api/polls/%d", id);
    json_t *p = get_json(path);
    assert_int_equal(json_integer_value(json_object_get(p, "yes")), 2);
    assert_int_equal(json_integer_value(json_object_get(p, "no")), 1);
    assert_int_equal(json_integer_value(json_object_get(p, "abstain")), 0);
    json_decref(p);
    ys_vvote_free(v);
    ys_free(chair);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_velection_api PATH-TO-YISHI\n");
        return 2;
    }
    api_yishi = argv[1];
    curl_global_init(CURL_GLOBAL_ALL);
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(held_over_http), cmocka_unit_test(poll_over_http)};
    int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return failed;
}
