/* test_velection_api.c — a verifiable election over HTTP, with this test as the trustees' devices and the
 * delegates' terminals: a key ceremony, an election on the key, ballots encrypted from the context the API
 * gives and cast (a tampered one and one made for another delegate refused, naming what failed), the close,
 * two trustees' decryptions, the count in GET /api/elections/{id}, the board's codes, and GET /api/verify
 * counting the ballots and decryptions whose proofs it checked. Then an election with names written in: the
 * trustees' shuffles through GET …/shuffle and POST …/shuffles (a changed one, one out of turn and one by the
 * chair refused), the mix and the blocks decrypted, and the count with the name written in. Last a verifiable
 * poll the same way, and its GET /api/polls/{id}/tally. */
#include "vtest.h"

static api_server srv;
static vt_key key;

static int group_setup(void **state)
{
    (void)state;
    return api_demo_up(&srv);
}

static int group_teardown(void **state)
{
    (void)state;
    api_stop(&srv, SIGTERM);
    api_cleanup(&srv);
    vt_key_free(&key);
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
}

/* ---- write-ins: shuffled by two trustees, then decrypted ---- */

static int create_open(const char *chair, const char *name)
{
    json_t *made = post_ok("/api/elections", chair,
                           json_pack("{s:s, s:i, s:b, s:i}", "office", "sc_chair", "seats", 1, "by_election", 1, "key", key.id),
                           201, NULL);
    int id = (int)json_integer_value(json_object_get(json_object_get(json_array_get(json_object_get(made, "events"), 0),
                                                                     "payload"), "id"));
    json_decref(made);
    char path[96], body[96];
    snprintf(path, sizeof path, "/api/elections/%d/nominations", id);
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    api_post_expect(&srv, path, chair, body, 201, NULL);
    snprintf(path, sizeof path, "/api/elections/%d/open", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    return id;
}

static void bytes_of(const json_t *b64, uint8_t *out, size_t n)
{
    size_t len = 0;
    const char *s = json_string_value(b64);
    assert_non_null(s);
    assert_int_equal(sodium_base642bin(out, n, s, strlen(s), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(len, n);
}

/* Trustee t (0-based) decrypts what GET …/decrypt asks for in `phase`, and posts it. */
static void decrypt_by(int id, int t, const char *phase)
{
    char path[96];
    uint8_t Q[YS_VHASH];
    snprintf(path, sizeof path, "/api/elections/%d/decrypt", id);
    json_t *job = get_json(path), *partials = NULL;
    assert_string_equal(json_string_value(json_object_get(job, "phase")), phase);
    bytes_of(json_object_get(job, "Q"), Q, sizeof Q);
    assert_int_equal(ys_vtrustee_decrypt(key.dev[t], Q, json_object_get(job, "ciphertexts"), &partials, NULL), YS_OK);
    json_decref(post_ok(path, key.tokens[t], json_pack("{s:o}", "partials", partials), 201, NULL));
    json_decref(job);
}

/* Trustee t's shuffle made from GET …/shuffle, as `yishi trustee` makes it: refused when changed, then taken. */
static void shuffle_by(int id, int t, int m, const char *chair)
{
    char path[96];
    uint8_t Q[YS_VHASH];
    snprintf(path, sizeof path, "/api/elections/%d/shuffle", id);
    api_resp r = api_call(&srv, "GET", path, key.tokens[t], NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(json_integer_value(json_object_get(r.json, "m")), m);
    assert_int_equal(json_integer_value(json_object_get(r.json, "trustee")), t + 1);
    bytes_of(json_object_get(r.json, "Q"), Q, sizeof Q);
    ys_vkey *k = vt_device_view(&srv, &key);
    char K[45];
    assert_int_equal(ys_vkey_joint_key(k, K, NULL), YS_OK);
    assert_string_equal(json_string_value(json_object_get(r.json, "K")), K);
    json_t *proof = NULL;
    assert_int_equal(ys_vmix_prove(k, Q, (uint64_t)m, json_object_get(r.json, "input"), &proof, NULL), YS_OK);
    ys_vkey_free(k);
    api_free(&r);
    json_t *output = json_incref(json_object_get(proof, "output"));
    json_object_del(proof, "output");
    snprintf(path, sizeof path, "/api/elections/%d/shuffles", id);
    json_t *body = json_pack("{s:i, s:O, s:O}", "m", m, "output", output, "proof", proof);
    char *text = json_dumps(body, JSON_COMPACT);
    api_post_expect(&srv, path, chair, text, 403, "forbidden"); /* not a trustee's role */
    free(text);
    json_t *bad = json_deep_copy(body); /* the output's first tuple given twice */
    json_array_set(json_object_get(bad, "output"), 1, json_array_get(json_object_get(bad, "output"), 0));
    json_decref(post_ok(path, key.tokens[t], bad, 422, "bad_proof"));
    json_decref(post_ok(path, key.tokens[t], json_pack("{s:i, s:O, s:O}", "m", 3 - m, "output", output, "proof", proof),
                        409, NULL));
    json_decref(post_ok(path, key.tokens[t], json_incref(body), 201, NULL));
    json_decref(post_ok(path, key.tokens[t], body, 409, NULL)); /* this trustee has shuffled */
    json_decref(output);
    json_decref(proof);
}

/* GET …/shuffles: the two made, by trustees 3 and 2; shuffle 2 whole, whose output's counts are what the mix
 * decrypts; one not made is 404. */
static void shuffles_listed(int id)
{
    char path[96];
    snprintf(path, sizeof path, "/api/elections/%d/shuffles", id);
    json_t *list = get_json(path);
    const json_t *made = json_object_get(list, "shuffles");
    assert_int_equal(json_integer_value(json_object_get(list, "k")), 2);
    assert_int_equal(json_array_size(made), 2);
    for (size_t m = 0; m < 2; m++) {
        assert_int_equal(json_integer_value(json_object_get(json_array_get(made, m), "m")), (json_int_t)m + 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(made, m), "trustee")), 3 - (json_int_t)m);
    }
    snprintf(path, sizeof path, "/api/elections/%d/shuffles?m=2", id);
    json_t *two = get_json(path), *job = NULL;
    assert_int_equal(json_integer_value(json_object_get(two, "seq")),
                     json_integer_value(json_object_get(json_array_get(made, 1), "seq")));
    assert_non_null(json_object_get(json_object_get(two, "proof"), "s"));
    assert_null(json_object_get(json_object_get(two, "proof"), "output"));
    snprintf(path, sizeof path, "/api/elections/%d/decrypt", id);
    job = get_json(path);
    const json_t *cts = json_object_get(job, "ciphertexts"), *out = json_object_get(two, "output");
    assert_int_equal(json_array_size(cts), json_array_size(out));
    for (size_t i = 0; i < json_array_size(cts); i++)
        assert_true(json_equal(json_object_get(json_array_get(cts, i), "ct"), json_array_get(json_array_get(out, i), 0)));
    snprintf(path, sizeof path, "/api/elections/%d/shuffles?m=3", id);
    api_expect_get(path, 404, "not_found");
    json_decref(job);
    json_decref(two);
    json_decref(list);
}

/* The view's decrypted_by is the phase under way's; shuffled_by the shufflers in order. */
static void progress_is(int id, const char *phase, int decrypted)
{
    char path[96];
    snprintf(path, sizeof path, "/api/elections/%d", id);
    json_t *el = get_json(path);
    const json_t *v = json_object_get(el, "verifiable"), *by = json_object_get(v, "decrypted_by");
    assert_string_equal(json_string_value(json_object_get(v, "phase")), phase);
    assert_int_equal(json_array_size(by), decrypted ? 1 : 0);
    if (decrypted)
        assert_int_equal(json_integer_value(json_array_get(by, 0)), decrypted);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "shuffled_by"), 0)), 3);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "shuffled_by"), 1)), 2);
    json_decref(el);
}

static void writeins_over_http(void **state)
{
    (void)state;
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    json_int_t before_ballots, before_decryptions;
    verified(chair, &before_ballots, &before_decryptions);
    int id = create_open(chair, "张三");
    const char *names[] = {"张三"};
    ys_vvote *v = vt_terminal_context(&srv, &key, false, id, names, 1, 1);
    static const ys_vmark yes[1] = {YS_VMARK_YES}, no[1] = {YS_VMARK_NO};
    static const char *const li[] = {"李四"};
    json_t *att = get_json("/api/meetings/6/attendance");
    char path[96];
    size_t k = 0, i;
    const json_t *d;
    snprintf(path, sizeof path, "/api/elections/%d/ballots", id);
    json_array_foreach(json_object_get(att, "delegates"), i, d) { /* one yes, two against with 李四 written in */
        if (k == 3 || strcmp(json_string_value(json_object_get(d, "presence")), "present"))
            continue;
        const char *code = json_string_value(json_object_get(d, "code"));
        char *token = api_login_delegate(&srv, code, "202401");
        json_t *ballot = NULL;
        assert_int_equal(ys_vballot_encrypt(v, code, k ? no : yes, li, k ? 1 : 0, NULL, &ballot, NULL, NULL), YS_OK);
        json_decref(post_ok(path, token, json_pack("{s:o}", "encrypted", ballot), 201, NULL));
        ys_free(token);
        k++;
    }
    json_decref(att);
    snprintf(path, sizeof path, "/api/elections/%d/shuffle", id);
    api_resp r = api_call(&srv, "GET", path, key.tokens[0], NULL);
    api_expect(r, 409, "wrong_state"); /* still open */
    api_free(&r);
    snprintf(path, sizeof path, "/api/elections/%d/close", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    decrypt_by(id, 0, "tally");
    decrypt_by(id, 2, "tally");
    snprintf(path, sizeof path, "/api/elections/%d/decrypt", id);
    api_expect_get(path, 409, "wrong_state"); /* the shuffles come first */
    shuffle_by(id, 2, 1, chair);
    shuffle_by(id, 1, 2, chair);
    progress_is(id, "mix", 0);
    shuffles_listed(id);
    decrypt_by(id, 1, "mix");
    progress_is(id, "mix", 2);
    decrypt_by(id, 0, "mix");
    decrypt_by(id, 2, "block");
    snprintf(path, sizeof path, "/api/elections/%d", id);
    json_t *el = get_json(path);
    assert_false(json_is_true(json_object_get(json_object_get(el, "verifiable"), "counted")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(el, "verifiable"), "phase")), "block");
    json_decref(el);
    decrypt_by(id, 1, "block");
    el = get_json(path);
    assert_true(json_is_true(json_object_get(json_object_get(el, "verifiable"), "counted")));
    const json_t *cands = json_object_get(json_object_get(el, "result"), "candidates");
    assert_int_equal(json_array_size(cands), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cands, 1), "name")), "李四");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cands, 1), "yes")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(cands, 0), "no")), 2);
    json_decref(el);
    api_resp vr = api_call(&srv, "GET", "/api/verify", chair, NULL);
    api_expect(vr, 200, NULL);
    assert_true(json_is_true(json_object_get(vr.json, "ok")));
    assert_int_equal(json_integer_value(json_object_get(vr.json, "verifiable_ballots")), before_ballots + 3);
    assert_int_equal(json_integer_value(json_object_get(vr.json, "decryptions")), before_decryptions + 6);
    assert_true(json_integer_value(json_object_get(vr.json, "shuffles")) >= 2); /* the demo's and these */
    api_free(&vr);
    ys_vvote_free(v);
    ys_free(chair);
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
    if (!key.id)
        vt_ceremony(&srv, &key);
    static const char TITLE[] = "关于可验证表决的决议";
    char *chair = api_login_staff(&srv, "chair", "demo-chair");
    json_t *made = post_ok("/api/polls", chair, json_pack("{s:s, s:i}", "title", TITLE, "key", key.id), 201, NULL);
    int id = vt_made_id(made);
    json_decref(made);
    char path[96], votes[96], tally[96];
    snprintf(path, sizeof path, "/api/polls/%d/open", id);
    api_post_expect(&srv, path, chair, "{}", 200, NULL);
    snprintf(tally, sizeof tally, "/api/polls/%d/tally", id);
    api_expect_get(tally, 409, "wrong_state");
    const char *names[] = {TITLE};
    ys_vvote *v = vt_terminal_context(&srv, &key, true, id, names, 1, 1);

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
        assert_int_equal(ys_vtrustee_decrypt(key.dev[by[t] - 1], Q, json_object_get(job, "ciphertexts"), &partials, NULL),
                         YS_OK);
        json_decref(post_ok(path, key.tokens[by[t] - 1], json_pack("{s:o}", "partials", partials), 201, NULL));
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
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(held_over_http), cmocka_unit_test(writeins_over_http),
                                       cmocka_unit_test(poll_over_http)};
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
