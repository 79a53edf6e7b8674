/* test_velection_api.c — a verifiable election over HTTP, with this test as the trustees' devices and the
 * delegates' terminals: a key ceremony, an election on the key, ballots encrypted from the context the API
 * gives and cast (a tampered one and one made for another delegate refused, naming what failed), the close,
 * two trustees' decryptions, the count in GET /api/elections/{id}, the board's codes, and GET /api/verify
 * counting the ballots and decryptions whose proofs it checked. */
#include "vtest.h"

static api_server srv;
static vt_key key;

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
    return 0;
}

static json_t *get_json(const char *path) { return vt_get(&srv, path); }

static json_t *post_ok(const char *path, const char *token, json_t *body, int status, const char *code)
{
    return vt_post(&srv, path, token, body, status, code);
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
    vt_ceremony(&srv, &key);
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    json_int_t before_ballots, before_decryptions; /* the demo's own */
    verified(chair, &before_ballots, &before_decryptions);
    assert_true(before_ballots > 0);
    json_t *made = post_ok("/api/elections", chair,
                           json_pack("{s:s, s:i, s:b, s:i}", "office", "sc_chair", "seats", 1, "by_election", 1, "key", key.id),
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
    ys_vvote *v = vt_terminal_context(&srv, &key, false, id, names, 1, 1);

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
        assert_int_equal(ys_vtrustee_decrypt(key.dev[t + 1], Q, json_object_get(job, "ciphertexts"), &partials, NULL), YS_OK);
        if (t == 0)
            api_post_expect(&srv, path, chair, "{\"partials\":[]}", 403, "forbidden");
        posted[t] = json_incref(partials);
        if (!decrypted)
            decrypted = json_incref(json_object_get(job, "ciphertexts"));
        json_decref(post_ok(path, key.tokens[t + 1], json_pack("{s:o}", "partials", partials), 201, NULL));
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
    vt_key_free(&key);
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
    const struct CMUnitTest tests[] = {cmocka_unit_test(held_over_http)};
    int failed = cmocka_run_group_tests(tests, group_setup, group_teardown);
    curl_global_cleanup();
    return failed;
}
