/* test_vkey.c — the key ceremony and decryption of the verifiable ballots (docs/verifiable.md §3, §8):
 * whole ceremonies that end in one K for every checker, each forgery refused and named, threshold decryption. */
#include "crypto/keys.h"
#include "yishi/alloc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define SID "5e55104d5e55104d5e55104d5e55104d5e55104d5e55104d5e55104d5e55104d"
static const char *const LOGINS[] = { "wang", "li", "zhang", "liu", "chen" };

/* A ceremony with every message: the board's key, each trustee's own view of the key, the trustees. */
typedef struct cer {
    unsigned n, k;
    ys_vkey *board;
    ys_vkey *view[5];
    ys_vtrustee *t[5];
    json_t *commit[5], *shares[5], *pub[5];
} cer;

static ys_vkey *new_key(unsigned n, unsigned k, uint64_t key_id)
{
    ys_vkey_params p = { SID, key_id, n, k, LOGINS };
    ys_vkey *key = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vkey_new(&p, &key, &err), YS_OK);
    return key;
}

static void all_views(cer *c, void (*each)(ys_vkey *key, unsigned i, const json_t *msg), json_t **msgs)
{
    for (unsigned i = 1; i <= c->n; i++) {
        each(c->board, i, msgs[i - 1]);
        for (unsigned v = 0; v < c->n; v++)
            each(c->view[v], i, msgs[i - 1]);
    }
}

static void add_commit(ys_vkey *key, unsigned i, const json_t *msg)
{
    ys_err err = { 0 };
    assert_int_equal(ys_vkey_add_commitment(key, i, msg, &err), YS_OK);
}

static void add_pub(ys_vkey *key, unsigned i, const json_t *msg)
{
    ys_err err = { 0 };
    assert_int_equal(ys_vkey_add_public_share(key, i, msg, &err), YS_OK);
}

/* Up to the sealed shares: each trustee made, committed and checked by all, shares sealed. */
static void commit_and_seal(cer *c, unsigned n, unsigned k, const char *seed)
{
    memset(c, 0, sizeof *c);
    c->n = n;
    c->k = k;
    c->board = new_key(n, k, 7);
    ys_err err = { 0 };
    for (unsigned i = 1; i <= n; i++) {
        c->view[i - 1] = new_key(n, k, 7);
        char s[64];
        snprintf(s, sizeof s, "%s/trustee/%u", seed, i);
        ysv_rng rng;
        ysv_rng_test(&rng, s);
        assert_int_equal(ysv_trustee_new(c->board, i, &rng, &c->t[i - 1], &err), YS_OK);
        assert_non_null(c->commit[i - 1] = ys_vtrustee_commitment(c->t[i - 1]));
    }
    all_views(c, add_commit, c->commit);
    for (unsigned i = 1; i <= n; i++)
        assert_int_equal(ys_vtrustee_seal_shares(c->t[i - 1], c->view[i - 1], &c->shares[i - 1], &err), YS_OK);
}

static void open_and_publish(cer *c)
{
    ys_err err = { 0 };
    for (unsigned j = 1; j <= c->n; j++) {
        for (unsigned i = 1; i <= c->n; i++)
            if (i != j)
                assert_int_equal(ys_vtrustee_open_share(c->t[j - 1], c->view[j - 1], i, c->shares[i - 1], &err), YS_OK);
        assert_int_equal(ys_vtrustee_public_share(c->t[j - 1], &c->pub[j - 1], &err), YS_OK);
    }
    all_views(c, add_pub, c->pub);
}

static void ceremony(cer *c, unsigned n, unsigned k, const char *seed)
{
    commit_and_seal(c, n, k, seed);
    open_and_publish(c);
}

static void cer_free(cer *c)
{
    ys_vkey_free(c->board);
    for (unsigned i = 0; i < c->n; i++) {
        ys_vkey_free(c->view[i]);
        ys_vtrustee_free(c->t[i]);
        json_decref(c->commit[i]);
        json_decref(c->shares[i]);
        json_decref(c->pub[i]);
    }
}

static void same_key_everywhere(unsigned n, unsigned k)
{
    cer c;
    ceremony(&c, n, k, "same");
    ys_err err = { 0 };
    char K[45], other[45];
    assert_true(ys_vkey_complete(c.board));
    assert_int_equal(ys_vkey_joint_key(c.board, K, &err), YS_OK);
    for (unsigned v = 0; v < n; v++) {
        assert_true(ys_vkey_complete(c.view[v]));
        assert_int_equal(ys_vkey_joint_key(c.view[v], other, &err), YS_OK);
        assert_string_equal(K, other);
    }
    /* a second ceremony with other randomness gives another key */
    cer d;
    ceremony(&d, n, k, "other");
    assert_int_equal(ys_vkey_joint_key(d.board, other, &err), YS_OK);
    assert_string_not_equal(K, other);
    cer_free(&c);
    cer_free(&d);
}

static void ceremony_3_of_2(void **state)
{
    (void)state;
    same_key_everywhere(3, 2);
}

static void ceremony_5_of_3(void **state)
{
    (void)state;
    same_key_everywhere(5, 3);
}

static void parameters_refused(void **state)
{
    (void)state;
    ys_vkey *key = NULL;
    ys_err err = { 0 };
    ys_vkey_params p = { SID, 1, 3, 4, LOGINS };
    assert_int_equal(ys_vkey_new(&p, &key, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "k");
    p.k = 2;
    p.session_id = "ABC";
    assert_int_equal(ys_vkey_new(&p, &key, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "session_id");
    const char *twice[] = { "wang", "li", "wang" };
    ys_vkey_params q = { SID, 1, 3, 2, twice };
    assert_int_equal(ys_vkey_new(&q, &key, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "logins");
    assert_null(key);
}

/* Each value of a commitment changed is refused and named, and the key records nothing of it. */
static void forged_commitment_refused(void **state)
{
    (void)state;
    cer c;
    commit_and_seal(&c, 3, 2, "forged");
    ys_vkey *key = new_key(3, 2, 7);
    ys_err err = { 0 };
    /* what changed, and the proof that then fails (a changed commitment fails its proof) */
    const char *paths[][3] = { { "proofs", "s", "proofs/1" }, { "proofs", "a", "proofs/0" },
                               { "commitments", NULL, "proofs/1" } };
    for (size_t p = 0; p < 3; p++) {
        json_t *m = json_deep_copy(c.commit[1]);
        json_t *arr = json_object_get(m, paths[p][0]);
        size_t at = paths[p][2][strlen(paths[p][2]) - 1] - '0';
        json_t *elt = json_array_get(arr, at);
        /* replace by the matching value of trustee 3: valid encodings, wrong proof */
        json_t *from = json_array_get(json_object_get(c.commit[2], paths[p][0]), at);
        if (paths[p][1])
            json_object_set(elt, paths[p][1], json_object_get(from, paths[p][1]));
        else
            json_array_set(arr, at, from);
        assert_int_equal(ys_vkey_add_commitment(key, 2, m, &err), YS_BAD_PROOF);
        assert_string_equal(err.field, paths[p][2]);
        assert_non_null(strstr(err.msg, "trustee 2 (li)"));
        json_decref(m);
    }
    assert_false(ys_vkey_committed(key));
    /* the message of trustee 2 under trustee 3's index: the context binds the index */
    assert_int_equal(ys_vkey_add_commitment(key, 3, c.commit[1], &err), YS_BAD_PROOF);
    json_t *m = json_deep_copy(c.commit[1]);
    json_object_set_new(m, "box", json_string("short"));
    assert_int_equal(ys_vkey_add_commitment(key, 2, m, &err), YS_BAD_FIELD);
    assert_string_equal(err.field, "box");
    json_decref(m);
    /* the genuine one passes, once */
    assert_int_equal(ys_vkey_add_commitment(key, 2, c.commit[1], &err), YS_OK);
    assert_int_equal(ys_vkey_add_commitment(key, 2, c.commit[1], &err), YS_STATE);
    ys_vkey_free(key);
    cer_free(&c);
}

/* Trustee 2 seals a wrong share to trustee 3: trustee 3's complaint names trustee 2. */
static void wrong_share_names_sender(void **state)
{
    (void)state;
    cer c;
    commit_and_seal(&c, 3, 2, "wrong");
    uint8_t plain[YSV_SHARE_PLAIN], sealed[YSV_SHARE_SEALED];
    ysv_trustee_share_plain(c.t[1], 3, plain);
    plain[YSV_SHARE_PLAIN - 32] ^= 1; /* another scalar (still < q) */
    assert_int_equal(crypto_box_seal(sealed, plain, sizeof plain, c.view[2]->box[2]), 0);
    char b64[256];
    sodium_bin2base64(b64, sizeof b64, sealed, sizeof sealed, sodium_base64_VARIANT_ORIGINAL);
    json_t *msg = json_deep_copy(c.shares[1]);
    json_object_set_new(json_array_get(msg, 1), "sealed", json_string(b64)); /* entries to 1 and 3 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(msg, 1), "to")), 3);
    ys_err err = { 0 };
    assert_int_equal(ys_vtrustee_open_share(c.t[2], c.view[2], 2, msg, &err), YS_BAD_PROOF);
    assert_string_equal(err.field, "from");
    assert_non_null(strstr(err.msg, "trustee 2 (li)"));
    /* a share sealed to someone else's box does not open, and is also the sender's fault */
    json_object_set(json_array_get(msg, 1), "sealed", json_object_get(json_array_get(c.shares[1], 0), "sealed"));
    assert_int_equal(ys_vtrustee_open_share(c.t[2], c.view[2], 2, msg, &err), YS_BAD_FIELD);
    assert_non_null(strstr(err.msg, "trustee 2 (li)"));
    /* the genuine one opens; trustee 3 has all it needs only then */
    json_t *pub = NULL;
    assert_int_equal(ys_vtrustee_public_share(c.t[2], &pub, &err), YS_STATE);
    assert_int_equal(ys_vtrustee_open_share(c.t[2], c.view[2], 2, c.shares[1], &err), YS_OK);
    assert_int_equal(ys_vtrustee_open_share(c.t[2], c.view[2], 1, c.shares[0], &err), YS_OK);
    assert_int_equal(ys_vtrustee_public_share(c.t[2], &pub, &err), YS_OK);
    json_decref(pub);
    json_decref(msg);
    cer_free(&c);
}

/* A public share with a valid proof of a wrong value, and a right value with a wrong proof. */
static void public_share_must_match(void **state)
{
    (void)state;
    cer c;
    ceremony(&c, 3, 2, "public");
    ys_vkey *key = new_key(3, 2, 7);
    ys_err err = { 0 };
    for (unsigned i = 1; i <= 3; i++)
        assert_int_equal(ys_vkey_add_commitment(key, i, c.commit[i - 1], &err), YS_OK);
    ysv_scalar x;
    ysv_point X, base;
    ysv_schnorr pf;
    ysv_rng rng;
    ysv_rng_test(&rng, "liar");
    ysv_rng_scalar(&rng, &x);
    ysv_mul_base(&X, &x);
    ysv_point_base(&base);
    ysv_hash ctx;
    ysv_share_ctx(&ctx, key, 2);
    ysv_schnorr_prove(&pf, &ctx, &base, &X, &x, &rng);
    json_t *lie = json_pack("{s:o, s:o}", "share", ysv_point_json(&X), "proof", ysv_schnorr_json(&pf));
    assert_int_equal(ys_vkey_add_public_share(key, 2, lie, &err), YS_BAD_PROOF);
    assert_string_equal(err.field, "share");
    assert_non_null(strstr(err.msg, "does not match the commitments"));
    json_t *m = json_deep_copy(c.pub[1]);
    json_object_set(m, "proof", json_object_get(c.pub[0], "proof"));
    assert_int_equal(ys_vkey_add_public_share(key, 2, m, &err), YS_BAD_PROOF);
    assert_string_equal(err.field, "proof");
    assert_int_equal(ys_vkey_add_public_share(key, 1, c.pub[1], &err), YS_BAD_PROOF);
    assert_false(ys_vkey_complete(key));
    json_decref(lie);
    json_decref(m);
    ys_vkey_free(key);
    cer_free(&c);
}

static void backup_round_trip(void **state)
{
    (void)state;
    cer c;
    ceremony(&c, 3, 2, "backup");
    ys_err err = { 0 };
    json_t *b = ys_vtrustee_backup(c.t[1]);
    assert_non_null(b);
    ys_vtrustee *back = NULL;
    assert_int_equal(ys_vtrustee_restore(c.board, 2, b, &back, &err), YS_OK);
    json_t *cm = ys_vtrustee_commitment(back), *pub = NULL;
    assert_true(json_equal(cm, c.commit[1]));
    assert_int_equal(ys_vtrustee_public_share(back, &pub, &err), YS_OK);
    assert_true(json_equal(pub, c.pub[1]));
    json_decref(cm);
    json_decref(pub);
    ys_vtrustee_free(back);
    /* another ceremony (another key id), another trustee */
    ys_vkey *other = new_key(3, 2, 8);
    assert_int_equal(ys_vtrustee_restore(other, 2, b, &back, &err), YS_CONFLICT);
    assert_string_equal(err.field, "backup");
    assert_non_null(strstr(err.msg, "another ceremony"));
    assert_int_equal(ys_vtrustee_restore(c.board, 3, b, &back, &err), YS_CONFLICT);
    assert_string_equal(err.field, "index");
    assert_null(back);
    /* a backup made before the shares were opened restores without a share */
    ys_vtrustee *fresh = NULL;
    assert_int_equal(ys_vtrustee_new(c.board, 1, &fresh, &err), YS_OK);
    json_t *fb = ys_vtrustee_backup(fresh);
    assert_int_equal(ys_vtrustee_restore(c.board, 1, fb, &back, &err), YS_OK);
    assert_int_equal(ys_vtrustee_public_share(back, &pub, &err), YS_STATE);
    json_decref(fb);
    ys_vtrustee_free(back);
    ys_vtrustee_free(fresh);
    ys_vkey_free(other);
    json_decref(b);
    cer_free(&c);
}

/* ---- decryption ---- */

static const uint8_t QV[YS_VKEY_HASH] = { 'v', 'o', 't', 'e' };

static ysv_point K_of(const cer *c) { return c->board->K; }

/* cts: label "tally/i" for sums of encryptions of values[i] over several ballots. */
static json_t *sums(const cer *c, const uint64_t *values, size_t n, unsigned ballots)
{
    ysv_point K = K_of(c);
    ysv_rng rng;
    ysv_rng_test(&rng, "ballots");
    json_t *cts = json_array();
    for (size_t i = 0; i < n; i++) {
        ysv_ct sum, e;
        ysv_ct_zero(&sum);
        for (unsigned b = 0; b < ballots; b++) {
            ysv_scalar r;
            ysv_rng_scalar(&rng, &r);
            ysv_encrypt_u64(&e, &K, b == 0 ? values[i] : 0, &r);
            ysv_ct_add(&sum, &sum, &e);
        }
        char label[32];
        snprintf(label, sizeof label, "tally/%zu", i + 1);
        json_array_append_new(cts, json_pack("{s:s, s:o}", "label", label, "ct", ysv_ct_json(&sum)));
    }
    return cts;
}

static void decrypt_with(cer *c, const json_t *cts, const unsigned *set, size_t count, json_t **partials)
{
    ys_err err = { 0 };
    for (size_t j = 0; j < count; j++) {
        assert_int_equal(ys_vtrustee_decrypt(c->t[set[j] - 1], QV, cts, &partials[j], &err), YS_OK);
        assert_int_equal(ys_vkey_check_partial(c->board, set[j], QV, cts, partials[j], &err), YS_OK);
    }
}

static void any_k_of_n_decrypt(void **state)
{
    (void)state;
    cer c;
    ceremony(&c, 5, 3, "decrypt");
    const uint64_t values[] = { 0, 1, 2999, 4096 * 3000 + 3000, 77 };
    json_t *cts = sums(&c, values, 5, 4);
    ys_vdlog *dl = ys_vdlog_new(4096 * 3000 + 3000);
    assert_non_null(dl);
    const unsigned sets[][3] = { { 1, 2, 3 }, { 5, 3, 1 }, { 2, 4, 5 }, { 4, 1, 5 } };
    ys_err err = { 0 };
    for (size_t s = 0; s < 4; s++) {
        json_t *partials[3], *plain = NULL;
        decrypt_with(&c, cts, sets[s], 3, partials);
        assert_int_equal(ys_vkey_combine(c.board, cts, 3, sets[s], (const json_t *const *)partials, &plain, &err),
                         YS_OK);
        for (size_t i = 0; i < 5; i++) {
            uint64_t v = 0;
            assert_int_equal(ys_vdlog_find(dl, json_string_value(json_array_get(plain, i)), &v, &err), YS_OK);
            assert_int_equal(v, values[i]);
        }
        json_decref(plain);
        /* k − 1 of them: the API refuses, and the arithmetic gives another element */
        assert_int_equal(ys_vkey_combine(c.board, cts, 2, sets[s], (const json_t *const *)partials, &plain, &err),
                         YS_STATE);
        for (size_t i = 0; i < 5; i++) {
            ysv_ct e;
            const char *label;
            ysv_point D[2], M, want;
            assert_int_equal(ysv_labelled_ct(cts, i, &e, &label, &err), YS_OK);
            for (size_t j = 0; j < 2; j++)
                assert_true(ysv_point_from_json(&D[j], json_object_get(json_array_get(partials[j], i), "d")));
            ysv_combine(&M, &e, sets[s], 2, D);
            ysv_mul_base_u64(&want, values[i]);
            assert_false(ysv_point_eq(&M, &want));
            uint64_t v;
            assert_false(ysv_dlog_find(dl, &M, &v));
        }
        for (size_t j = 0; j < 3; j++)
            json_decref(partials[j]);
    }
    ys_vdlog_free(dl);
    json_decref(cts);
    cer_free(&c);
}

/* Every D and every part of every proof changed in turn is refused and named. */
static void changed_partial_refused(void **state)
{
    (void)state;
    cer c;
    ceremony(&c, 3, 2, "partial");
    const uint64_t values[] = { 3, 5 };
    json_t *cts = sums(&c, values, 2, 2), *p = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vtrustee_decrypt(c.t[1], QV, cts, &p, &err), YS_OK);
    ysv_point other;
    ysv_mul_base_u64(&other, 12345);
    ysv_scalar one;
    ysv_scalar_u64(&one, 1);
    for (size_t i = 0; i < 2; i++)
        for (int part = 0; part < 4; part++) {
            json_t *q = json_deep_copy(p);
            json_t *it = json_array_get(q, i), *pf = json_object_get(it, "proof");
            if (part == 0)
                json_object_set_new(it, "d", ysv_point_json(&other));
            else if (part == 3)
                json_object_set_new(pf, "s", ysv_scalar_json(&one));
            else
                json_object_set_new(pf, part == 1 ? "a" : "b", ysv_point_json(&other));
            assert_int_equal(ys_vkey_check_partial(c.board, 2, QV, cts, q, &err), YS_BAD_PROOF);
            char want[16];
            snprintf(want, sizeof want, "partial/%zu", i);
            assert_string_equal(err.field, want);
            assert_non_null(strstr(err.msg, "trustee 2 (li)"));
            json_decref(q);
        }
    /* trustee 2's partials are not trustee 1's, nor those of another vote or label */
    assert_int_equal(ys_vkey_check_partial(c.board, 1, QV, cts, p, &err), YS_BAD_PROOF);
    uint8_t q2[YS_VKEY_HASH] = { 'x' };
    assert_int_equal(ys_vkey_check_partial(c.board, 2, q2, cts, p, &err), YS_BAD_PROOF);
    json_object_set_new(json_array_get(cts, 1), "label", json_string("tally/9"));
    assert_int_equal(ys_vkey_check_partial(c.board, 2, QV, cts, p, &err), YS_BAD_PROOF);
    assert_string_equal(err.field, "partial/1");
    json_decref(p);
    json_decref(cts);
    cer_free(&c);
}

/* The kept tables: one serves every smaller bound, a look-up stays within the bound it is asked for,
 * and a larger bound gets a table of its own without taking the first away. */
static void dlog_shared(void **state)
{
    (void)state;
    const ys_vdlog *t = ys_vdlog_shared(1000);
    assert_non_null(t);
    assert_ptr_equal(ys_vdlog_shared(500), t);
    ysv_point M;
    uint8_t b[32];
    char s[45];
    uint64_t v;
    ys_err err = { 0 };
    ysv_mul_base_u64(&M, 700);
    ysv_point_encode(b, &M);
    ysv_b64(s, b);
    assert_int_equal(ys_vdlog_find_upto(t, 1000, s, &v, &err), YS_OK);
    assert_int_equal(v, 700);
    assert_int_equal(ys_vdlog_find_upto(t, 500, s, &v, &err), YS_BAD_PROOF);
    assert_non_null(strstr(err.msg, "0 to 500"));
    const ys_vdlog *big = ys_vdlog_shared(5000);
    assert_non_null(big);
    assert_ptr_not_equal(big, t);
    ysv_mul_base_u64(&M, 4999);
    ysv_point_encode(b, &M);
    ysv_b64(s, b);
    assert_int_equal(ys_vdlog_find_upto(big, 5000, s, &v, &err), YS_OK);
    assert_int_equal(v, 4999);
    assert_int_equal(ys_vdlog_find_upto(t, 1000, s, &v, &err), YS_BAD_PROOF); /* the first still serves */
}

static void dlog_bounds(void **state)
{
    (void)state;
    ys_vdlog *dl = ys_vdlog_new(1000);
    ysv_point M;
    uint64_t v;
    for (uint64_t x = 0; x <= 1000; x += 37) {
        ysv_mul_base_u64(&M, x);
        assert_true(ysv_dlog_find(dl, &M, &v));
        assert_int_equal(v, x);
    }
    ysv_mul_base_u64(&M, 1000);
    assert_true(ysv_dlog_find(dl, &M, &v));
    ysv_mul_base_u64(&M, 1001);
    assert_false(ysv_dlog_find(dl, &M, &v));
    ys_err err = { 0 };
    uint8_t b[32];
    char s[45];
    ysv_point_encode(b, &M);
    ysv_b64(s, b);
    assert_int_equal(ys_vdlog_find(dl, s, &v, &err), YS_BAD_PROOF);
    assert_int_equal(ys_vdlog_find(dl, "nope", &v, &err), YS_BAD_FIELD);
    ys_vdlog_free(dl);
    dl = ys_vdlog_new(0);
    ysv_point_identity(&M);
    assert_true(ysv_dlog_find(dl, &M, &v));
    assert_int_equal(v, 0);
    ys_vdlog_free(dl);
}

/* tests/vectors/keys.json read as an independent checker would: every message of its ceremony is accepted,
 * its partial decryptions check and combine to its values, its shuffle verifies. */
static json_t *vectors(void)
{
    json_error_t je;
    json_t *v = json_load_file(YS_VECTORS_DIR "/keys.json", 0, &je);
    assert_non_null(v);
    return v;
}

static void vectors_verify(void **state)
{
    (void)state;
    json_t *v = vectors(), *c = json_object_get(v, "ceremony"), *d = json_object_get(v, "decryption");
    const char *logins[3];
    for (size_t i = 0; i < 3; i++)
        logins[i] = json_string_value(json_array_get(json_object_get(c, "logins"), i));
    ys_vkey_params p = { json_string_value(json_object_get(c, "session_id")), 1, 3, 2, logins };
    ys_vkey *key = NULL;
    ys_err err = { 0 };
    assert_int_equal(ys_vkey_new(&p, &key, &err), YS_OK);
    const json_t *tr = json_object_get(c, "trustees");
    for (unsigned i = 1; i <= 3; i++)
        assert_int_equal(ys_vkey_add_commitment(key, i, json_object_get(json_array_get(tr, i - 1), "commitment"), &err),
                         YS_OK);
    for (unsigned i = 1; i <= 3; i++)
        assert_int_equal(ys_vkey_add_public_share(key, i, json_object_get(json_array_get(tr, i - 1), "public_share"),
                                                  &err),
                         YS_OK);
    char K[45];
    assert_int_equal(ys_vkey_joint_key(key, K, &err), YS_OK);
    assert_string_equal(K, json_string_value(json_object_get(c, "key")));
    uint8_t Q[YS_VKEY_HASH];
    size_t qn = 0;
    const char *qs = json_string_value(json_object_get(d, "q"));
    assert_int_equal(sodium_base642bin(Q, sizeof Q, qs, strlen(qs), NULL, &qn, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    const json_t *cts = json_object_get(d, "cts"), *parts = json_object_get(d, "partials");
    const json_t *pp[2];
    unsigned set[2];
    for (size_t j = 0; j < 2; j++) {
        set[j] = (unsigned)json_integer_value(json_object_get(json_array_get(parts, j), "trustee"));
        pp[j] = json_object_get(json_array_get(parts, j), "partial");
        assert_int_equal(ys_vkey_check_partial(key, set[j], Q, cts, pp[j], &err), YS_OK);
    }
    json_t *plain = NULL;
    assert_int_equal(ys_vkey_combine(key, cts, 2, set, pp, &plain, &err), YS_OK);
    assert_true(json_equal(plain, json_object_get(d, "combined")));
    ys_vdlog *dl = ys_vdlog_new(12291000);
    for (size_t i = 0; i < json_array_size(plain); i++) {
        uint64_t x;
        assert_int_equal(ys_vdlog_find(dl, json_string_value(json_array_get(plain, i)), &x, &err), YS_OK);
        assert_int_equal(x, json_integer_value(json_array_get(json_object_get(d, "values"), i)));
    }
    const json_t *sh = json_object_get(v, "shuffle");
    assert_int_equal(ys_vmix_verify(key, Q, 1, json_object_get(sh, "input"), json_object_get(sh, "shuffle"), &err),
                     YS_OK);
    ys_vdlog_free(dl);
    json_decref(plain);
    ys_vkey_free(key);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ceremony_3_of_2),
        cmocka_unit_test(ceremony_5_of_3),
        cmocka_unit_test(parameters_refused),
        cmocka_unit_test(forged_commitment_refused),
        cmocka_unit_test(wrong_share_names_sender),
        cmocka_unit_test(public_share_must_match),
        cmocka_unit_test(backup_round_trip),
        cmocka_unit_test(any_k_of_n_decrypt),
        cmocka_unit_test(changed_partial_refused),
        cmocka_unit_test(dlog_bounds),
        cmocka_unit_test(dlog_shared),
        cmocka_unit_test(vectors_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
