/* vtest.h — what the API tests of verifiable votes share: the test as the three trustees' devices (a key
 * ceremony over HTTP, 2 of 3) and as a delegate's terminal (the context it encrypts under, from the API).
 * Header-only, beside apitest.h. */
#ifndef YS_VTEST_H
#define YS_VTEST_H

#include "apitest.h"

#include "yishi/vballot.h"
#include "yishi/vkey.h"

#include <sodium.h>

static const char *const VT_LOGINS[] = {"trustee1", "trustee2", "trustee3"};

/* A key the test made: its id, and each trustee's login and device (its secrets). */
typedef struct vt_key {
    int id;
    char *tokens[3];
    ys_vtrustee *dev[3];
} vt_key;

static inline json_t *vt_get(const api_server *s, const char *path)
{
    api_resp r = api_call(s, "GET", path, NULL, NULL);
    api_expect(r, 200, NULL);
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

/* POSTs body (taking it: the caller's reference is released) and returns the answer's JSON. */
static inline json_t *vt_post(const api_server *s, const char *path, const char *token, json_t *body, int status,
                              const char *code)
{
    char *text = json_dumps(body, JSON_COMPACT);
    api_resp r = api_call(s, "POST", path, token, text);
    free(text);
    json_decref(body); /* the caller's, taken: bodies are made in the call */
    api_expect(r, status, code);
    json_t *j = json_incref(r.json);
    api_free(&r);
    return j;
}

/* The id of what the first event of a 201 answer made (a key, an election, a poll). */
static inline int vt_made_id(const json_t *answer)
{
    return (int)json_integer_value(
        json_object_get(json_object_get(json_array_get(json_object_get(answer, "events"), 0), "payload"), "id"));
}

static inline char *vt_session_id(const api_server *s)
{
    json_t *j = vt_get(s, "/api/session");
    char *id = ys_strdup(json_string_value(json_object_get(j, "id")));
    json_decref(j);
    return id;
}

static inline const char *vt_key_path(const vt_key *k, const char *rest)
{
    static char path[64];
    snprintf(path, sizeof path, "/api/keys/%d%s", k->id, rest);
    return path;
}

/* The key's public side as a device builds it from GET /api/keys/{id} (its commitments, then public shares). */
static inline ys_vkey *vt_device_view(const api_server *s, const vt_key *k)
{
    char *sid = vt_session_id(s);
    ys_vkey_params p = {.session_id = sid, .key_id = (uint64_t)k->id, .n = 3, .k = 2, .logins = VT_LOGINS};
    ys_vkey *v = NULL;
    assert_int_equal(ys_vkey_new(&p, &v, NULL), YS_OK);
    ys_free(sid);
    json_t *key = vt_get(s, vt_key_path(k, ""));
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

/* The secretariat starts a ceremony of trustee1 … trustee3, threshold 2, and the test's devices hold it. */
static inline void vt_ceremony(const api_server *s, vt_key *k)
{
    char *secretariat = api_login_staff(s, "secretariat", "demo-secretariat");
    json_t *made = vt_post(s, "/api/keys", secretariat,
                           json_pack("{s:[sss], s:i}", "trustees", "trustee1", "trustee2", "trustee3", "threshold", 2),
                           201, NULL);
    k->id = vt_made_id(made);
    json_decref(made);
    ys_free(secretariat);
    ys_vkey *v = vt_device_view(s, k);
    for (int i = 0; i < 3; i++) {
        char password[32];
        snprintf(password, sizeof password, "demo-%s", VT_LOGINS[i]);
        k->tokens[i] = api_login_staff(s, VT_LOGINS[i], password);
        assert_int_equal(ys_vtrustee_new(v, (unsigned)i + 1, &k->dev[i], NULL), YS_OK);
        json_decref(vt_post(s, vt_key_path(k, "/commit"), k->tokens[i], ys_vtrustee_commitment(k->dev[i]), 201, NULL));
    }
    ys_vkey_free(v);
    v = vt_device_view(s, k);
    for (int i = 0; i < 3; i++) {
        json_t *shares = NULL;
        assert_int_equal(ys_vtrustee_seal_shares(k->dev[i], v, &shares, NULL), YS_OK);
        json_decref(vt_post(s, vt_key_path(k, "/shares"), k->tokens[i], json_pack("{s:o}", "shares", shares), 201, NULL));
    }
    json_t *key = vt_get(s, vt_key_path(k, ""));
    for (int j = 0; j < 3; j++) {
        for (int i = 0; i < 3; i++)
            if (i != j) {
                const json_t *t = json_array_get(json_object_get(key, "trustees"), (size_t)i);
                assert_int_equal(ys_vtrustee_open_share(k->dev[j], v, (unsigned)i + 1, json_object_get(t, "shares"), NULL),
                                 YS_OK);
            }
        json_t *msg = NULL;
        assert_int_equal(ys_vtrustee_public_share(k->dev[j], &msg, NULL), YS_OK);
        json_decref(vt_post(s, vt_key_path(k, "/ready"), k->tokens[j], msg, 201, NULL));
    }
    json_decref(key);
    ys_vkey_free(v);
}

static inline void vt_key_free(vt_key *k)
{
    for (int t = 0; t < 3; t++) {
        ys_vtrustee_free(k->dev[t]);
        ys_free(k->tokens[t]);
    }
}

/* The context a terminal encrypts under, made from what the API says (the key's shares, the session's id,
 * the vote's list), and checked against the Q the vote shows: GET /api/elections/{id} or /api/polls/{id}. */
static inline ys_vvote *vt_terminal_context(const api_server *s, const vt_key *key, bool poll, int id,
                                            const char *const *names, size_t n, int seats)
{
    ys_vkey *k = vt_device_view(s, key);
    char path[64], b64[45];
    snprintf(path, sizeof path, "/api/%s/%d", poll ? "polls" : "elections", id);
    json_t *el = vt_get(s, path);
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

/* Trustees t0 and t1 (0-based) decrypt what GET {base}/decrypt gives, each POSTing its partials; both
 * partials, as posted (the caller's). */
static inline json_t *vt_decrypt(const api_server *s, const vt_key *k, const char *base, int t0, int t1)
{
    char path[96];
    json_t *posted = json_array();
    snprintf(path, sizeof path, "%s/decrypt", base);
    for (int i = 0; i < 2; i++) {
        int t = i ? t1 : t0;
        json_t *job = vt_get(s, path), *partials = NULL;
        uint8_t Q[YS_VHASH];
        size_t len;
        const char *q = json_string_value(json_object_get(job, "Q"));
        assert_int_equal(sodium_base642bin(Q, sizeof Q, q, strlen(q), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
        assert_int_equal(ys_vtrustee_decrypt(k->dev[t], Q, json_object_get(job, "ciphertexts"), &partials, NULL), YS_OK);
        json_array_append(posted, partials);
        json_decref(vt_post(s, path, k->tokens[t], json_pack("{s:o}", "partials", partials), 201, NULL));
        json_decref(job);
    }
    return posted;
}

#endif
