/* test_key_api.c — the key ceremony over HTTP, with this test as the three trustees' devices: the
 * secretariat starts it, each trustee posts its commitment, its sealed shares and its public share from its
 * own login, and the board's GET /api/keys/{id} gives every device what it needs to check and open the
 * others'. Someone else's message, a forged proof and a login that is no trustee are refused. */
#include "apitest.h"

#include "yishi/vkey.h"

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

static int group_setup(void **state)
{
    (void)state;
    return api_demo_up(&srv);
}

static int group_teardown(void **state)
{
    (void)state;
    return api_demo_down(&srv);
}

static char *trustee_login(int i)
{
    char password[32];
    snprintf(password, sizeof password, "demo-%s", LOGINS[i]);
    return api_login_staff(&srv, LOGINS[i], password);
}

static json_t *get_key(int id)
{
    char path[64];
    snprintf(path, sizeof path, "/api/keys/%d", id);
    api_resp r = api_call(&srv, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *k = json_incref(r.json);
    api_free(&r);
    return k;
}

static const json_t *trustee_of(const json_t *key, int i)
{
    return json_array_get(json_object_get(key, "trustees"), (size_t)i);
}

/* The public side of key 1 as a trustee's device holds it: made from the session's id and the ceremony's
 * parameters, with every commitment the board shows so far. */
static ys_vkey *device_view(void)
{
    api_resp r = api_call(&srv, "GET", "/api/session", NULL, NULL);
    api_expect(r, 200, NULL);
    ys_vkey_params p = {.session_id = api_str(&r, "id"), .key_id = (uint64_t)key_id, .n = 3, .k = 2, .logins = LOGINS};
    ys_vkey *v = NULL;
    ys_err err = {0};
    if (ys_vkey_new(&p, &v, &err))
        fail_msg("ys_vkey_new: %s", err.msg);
    api_free(&r);
    json_t *key = get_key(key_id);
    for (int i = 0; i < 3; i++) {
        const json_t *c = json_object_get(trustee_of(key, i), "commitment");
        if (json_is_object(c) && ys_vkey_add_commitment(v, (unsigned)i + 1, c, &err))
            fail_msg("commitment %d from the board: %s", i + 1, err.msg);
    }
    json_decref(key);
    return v;
}

static void post_json(const char *path, const char *token, json_t *body, int status, const char *code)
{
    char *text = json_dumps(body, JSON_COMPACT);
    api_post_expect(&srv, path, token, text, status, code);
    free(text);
}

static void ceremony(void **state)
{
    (void)state;
    char *secretariat = api_login_staff(&srv, "secretariat", "demo-secretariat");
    char *delegate = api_login_delegate(&srv, "140100002", "246813");
    char *tokens[3];
    for (int i = 0; i < 3; i++)
        tokens[i] = trustee_login(i);
    api_post_expect(&srv, "/api/keys", tokens[0], "{\"trustees\":[\"trustee1\"],\"threshold\":1}", 403, "forbidden");
    api_post_expect(&srv, "/api/keys", secretariat, "{\"trustees\":[\"trustee1\",\"chair\"],\"threshold\":1}", 404,
                    "not_found");
    api_resp made = api_call(&srv, "POST", "/api/keys", secretariat,
                             "{\"trustees\":[\"trustee1\",\"trustee2\",\"trustee3\"],\"threshold\":2}");
    api_expect(made, 201, NULL);
    key_id = (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(made.json, "events"), 0), "payload"), "id"));
    api_free(&made);
    api_post_expect(&srv, "/api/keys", secretariat, "{\"trustees\":[\"trustee1\"],\"threshold\":1}", 409,
                    "wrong_state");

    /* commitments: each from its own device; another trustee's, or a delegate, is refused */
    ys_vkey *v = device_view();
    ys_vtrustee *dev[3];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ys_vtrustee_new(v, (unsigned)i + 1, &dev[i], NULL), YS_OK);
        json_t *c = ys_vtrustee_commitment(dev[i]);
        if (i == 0) {
            post_json(key_path("/commit"), tokens[1], c, 422, "bad_proof");
            post_json(key_path("/commit"), delegate, c, 403, "forbidden");
        }
        post_json(key_path("/commit"), tokens[i], c, 201, NULL);
        if (i == 0)
            post_json(key_path("/commit"), tokens[i], c, 409, "conflict");
        json_decref(c);
    }
    ys_vkey_free(v);
    json_t *key = get_key(key_id);
    assert_string_equal(json_string_value(json_object_get(key, "state")), "sharing");
    assert_true(json_is_string(json_object_get(key, "joint_key")));
    json_decref(key);

    /* shares, sealed to each other trustee's box key as the board shows it */
    v = device_view();
    for (int i = 0; i < 3; i++) {
        json_t *shares = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(dev[i], v, &shares, NULL), YS_OK);
        json_t *body = json_pack("{s:o}", "shares", shares);
        post_json(key_path("/shares"), tokens[i], body, 201, NULL);
        json_decref(body);
    }

    /* each opens what the others sent it, checks it, and publishes its share of the key */
    key = get_key(key_id);
    assert_string_equal(json_string_value(json_object_get(key, "state")), "publishing");
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++)
            if (i != j) {
                ys_err err = {0};
                const json_t *shares = json_object_get(trustee_of(key, i), "shares");
                if (ys_vtrustee_open_share(dev[j], v, (unsigned)i + 1, shares, &err))
                    fail_msg("trustee %d opening trustee %d's share: %s", j + 1, i + 1, err.msg);
            }
        json_t *msg = NULL;
        assert_int_equal(ys_vtrustee_public_share(dev[j], &msg, NULL), YS_OK);
        if (j == 0)
            post_json(key_path("/ready"), tokens[2], msg, 422, "bad_proof");
        post_json(key_path("/ready"), tokens[j], msg, 201, NULL);
        json_decref(msg);
    }
    json_decref(key);
    key = get_key(key_id);
    assert_string_equal(json_string_value(json_object_get(key, "state")), "complete");
    char joint[45];
    assert_int_equal(ys_vkey_joint_key(v, joint, NULL), YS_OK);
    assert_string_equal(json_string_value(json_object_get(key, "joint_key")), joint);
    json_decref(key);
    api_resp r = api_call(&srv, "GET", "/api/keys", NULL, NULL);
    api_expect(r, 200, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "keys")), (size_t)key_id);
    api_free(&r);
    for (int i = 0; i < 3; i++) {
        ys_vtrustee_free(dev[i]);
        ys_free(tokens[i]);
    }
    ys_vkey_free(v);
    ys_free(secretariat);
    ys_free(delegate);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(ceremony)};
    return api_run_tests(argc, argv, tests, group_setup, group_teardown);
}
