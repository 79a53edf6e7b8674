/* key.c — the public record of a key ceremony (docs/verifiable.md §3): Qk, each trustee's commitments with
 * their proofs, each public share checked against the commitments, and the joint key K. */
#include "crypto/keys.h"

#include "yishi/alloc.h"

#include <string.h>

static bool is_session_id(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

static ys_rc check_params(const ys_vkey_params *p, ys_err *err)
{
    if (!is_session_id(p->session_id))
        return ys_fail(err, YS_BAD_FIELD, "session_id", "a session id is 64 lowercase hex digits");
    if (p->k < 1 || p->k > p->n || p->n > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_BAD_FIELD, "k", "a ceremony needs 1 ≤ k ≤ n ≤ %d (n = %u, k = %u)",
                       YS_VKEY_MAX_TRUSTEES, p->n, p->k);
    for (unsigned i = 0; i < p->n; i++) {
        if (!p->logins || !p->logins[i] || !p->logins[i][0])
            return ys_fail(err, YS_BAD_FIELD, "logins", "trustee %u has no login", i + 1);
        for (unsigned j = 0; j < i; j++)
            if (strcmp(p->logins[i], p->logins[j]) == 0)
                return ys_fail(err, YS_BAD_FIELD, "logins", "%s is trustee %u and %u", p->logins[i], j + 1, i + 1);
    }
    return YS_OK;
}

static void compute_qk(ys_vkey *key)
{
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/key");
    ysv_hash_text(&h, key->session_id);
    ysv_hash_u64(&h, key->key_id);
    ysv_hash_u64(&h, key->n);
    ysv_hash_u64(&h, key->k);
    for (unsigned i = 0; i < key->n; i++)
        ysv_hash_text(&h, key->logins[i]);
    ysv_hash_final(&h, key->qk);
}

ys_rc ys_vkey_new(const ys_vkey_params *p, ys_vkey **out, ys_err *err)
{
    *out = NULL;
    ys_rc rc = check_params(p, err);
    if (rc)
        return rc;
    ys_vkey *key = ys_calloc(1, sizeof *key);
    if (!key)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for a key");
    key->n = p->n;
    key->k = p->k;
    key->key_id = p->key_id;
    memcpy(key->session_id, p->session_id, 65);
    key->logins = ys_calloc(p->n, sizeof *key->logins);
    key->A = ys_calloc((size_t)p->n * p->k, sizeof *key->A);
    key->box = ys_calloc(p->n, sizeof *key->box);
    key->X = ys_calloc(p->n, sizeof *key->X);
    if (!key->logins || !key->A || !key->box || !key->X)
        goto nomem;
    for (unsigned i = 0; i < p->n; i++)
        if (!(key->logins[i] = ys_strdup(p->logins[i])))
            goto nomem;
    compute_qk(key);
    *out = key;
    return YS_OK;
nomem:
    ys_vkey_free(key);
    return ys_fail(err, YS_NOMEM, NULL, "out of memory for a key");
}

void ys_vkey_free(ys_vkey *key)
{
    if (!key)
        return;
    for (unsigned i = 0; key->logins && i < key->n; i++)
        ys_free(key->logins[i]);
    ys_free(key->logins);
    ys_free(key->A);
    ys_free(key->box);
    ys_free(key->X);
    ys_free(key);
}

unsigned ys_vkey_n(const ys_vkey *key) { return key->n; }
unsigned ys_vkey_k(const ys_vkey *key) { return key->k; }
void ys_vkey_qk(const ys_vkey *key, uint8_t out[YS_VKEY_HASH]) { memcpy(out, key->qk, YS_VKEY_HASH); }
bool ys_vkey_committed(const ys_vkey *key) { return key->n_committed == key->n; }
bool ys_vkey_complete(const ys_vkey *key) { return key->n_shared == key->n; }

void ysv_coef_ctx(ysv_hash *h, const ys_vkey *key, unsigned i, unsigned m)
{
    ysv_hash_init(h, "yishi-v1/coef");
    ysv_hash_bytes(h, key->qk, YS_VKEY_HASH);
    ysv_hash_u64(h, i);
    ysv_hash_u64(h, m);
}

void ysv_share_ctx(ysv_hash *h, const ys_vkey *key, unsigned j)
{
    ysv_hash_init(h, "yishi-v1/share");
    ysv_hash_bytes(h, key->qk, YS_VKEY_HASH);
    ysv_hash_u64(h, j);
}

void ysv_vkey_eval(const ys_vkey *key, unsigned i, unsigned j, ysv_point *out)
{
    /* Horner from the top coefficient: ((A_{k−1}·j + A_{k−2})·j + …) */
    const ysv_point *A = key->A + (size_t)(i - 1) * key->k;
    ysv_scalar js, zero;
    ysv_scalar_u64(&js, j);
    ysv_scalar_zero(&zero);
    *out = A[key->k - 1];
    for (unsigned m = key->k - 1; m-- > 0;) {
        ysv_point t;
        ysv_mul_base_add(&t, &zero, out, &js);
        ysv_point_add(out, &t, &A[m]);
    }
}

static ys_rc check_index(const ys_vkey *key, unsigned i, ys_err *err)
{
    if (i < 1 || i > key->n)
        return ys_fail(err, YS_BAD_FIELD, "trustee", "no trustee %u in a ceremony of %u", i, key->n);
    return YS_OK;
}

/* An array of exactly n elements of the message; names it otherwise. */
static const json_t *array_of(const json_t *msg, const char *name, size_t n, ys_err *err)
{
    const json_t *a = json_object_get(msg, name);
    if (!json_is_array(a) || json_array_size(a) != n) {
        ys_fail(err, YS_BAD_FIELD, name, "%s must be an array of %zu", name, n);
        return NULL;
    }
    return a;
}

ys_rc ys_vkey_add_commitment(ys_vkey *key, unsigned i, const json_t *msg, ys_err *err)
{
    ys_rc rc = check_index(key, i, err);
    if (rc)
        return rc;
    if (key->committed[i - 1])
        return ys_fail(err, YS_STATE, "trustee", "trustee %u (%s) has already committed", i, key->logins[i - 1]);
    if (!json_is_object(msg) || json_object_size(msg) != 3)
        return ys_fail(err, YS_BAD_FIELD, "commitment", "a commitment is { commitments, proofs, box }");
    const json_t *ca = array_of(msg, "commitments", key->k, err), *pa = array_of(msg, "proofs", key->k, err);
    if (!ca || !pa)
        return YS_BAD_FIELD;
    uint8_t box[crypto_box_PUBLICKEYBYTES];
    const json_t *bj = json_object_get(msg, "box");
    if (!json_is_string(bj) || !ysv_unb64(box, json_string_value(bj)))
        return ys_fail(err, YS_BAD_FIELD, "box", "trustee %u's box key is not 32 bytes in base64", i);
    ysv_point A[YS_VKEY_MAX_TRUSTEES], base; /* recorded only once all are checked */
    ysv_point_base(&base);
    for (unsigned m = 0; m < key->k; m++) {
        char field[32];
        snprintf(field, sizeof field, "commitments/%u", m);
        if (!ysv_point_from_json(&A[m], json_array_get(ca, m)))
            return ys_fail(err, YS_BAD_FIELD, field, "trustee %u's commitment %u is not an element", i, m);
        ysv_schnorr pf;
        snprintf(field, sizeof field, "proofs/%u", m);
        if (!ysv_schnorr_from_json(&pf, json_array_get(pa, m)))
            return ys_fail(err, YS_BAD_FIELD, field, "trustee %u's proof %u is not a proof { a, s }", i, m);
        ysv_hash ctx;
        ysv_coef_ctx(&ctx, key, i, m);
        if (!ysv_schnorr_verify(&pf, &ctx, &base, &A[m]))
            return ys_fail(err, YS_BAD_PROOF, field, "trustee %u (%s): the proof of coefficient %u does not verify",
                           i, key->logins[i - 1], m);
    }
    memcpy(key->A + (size_t)(i - 1) * key->k, A, key->k * sizeof *A);
    memcpy(key->box[i - 1], box, sizeof box);
    key->committed[i - 1] = true;
    if (++key->n_committed == key->n) {
        ysv_point_identity(&key->K);
        for (unsigned t = 0; t < key->n; t++)
            ysv_point_add(&key->K, &key->K, &key->A[(size_t)t * key->k]);
    }
    return YS_OK;
}

ys_rc ys_vkey_add_public_share(ys_vkey *key, unsigned j, const json_t *msg, ys_err *err)
{
    ys_rc rc = check_index(key, j, err);
    if (rc)
        return rc;
    if (!ys_vkey_committed(key))
        return ys_fail(err, YS_STATE, "trustee", "a public share before every trustee has committed");
    if (key->shared[j - 1])
        return ys_fail(err, YS_STATE, "trustee", "trustee %u (%s) has already published its share", j,
                       key->logins[j - 1]);
    ysv_point X, want, base;
    ysv_schnorr pf;
    if (!json_is_object(msg) || json_object_size(msg) != 2)
        return ys_fail(err, YS_BAD_FIELD, "share", "a public share is { share, proof }");
    if (!ysv_point_from_json(&X, json_object_get(msg, "share")))
        return ys_fail(err, YS_BAD_FIELD, "share", "trustee %u's public share is not an element", j);
    if (!ysv_schnorr_from_json(&pf, json_object_get(msg, "proof")))
        return ys_fail(err, YS_BAD_FIELD, "proof", "trustee %u's proof is not a proof { a, s }", j);
    ysv_hash ctx;
    ysv_share_ctx(&ctx, key, j);
    ysv_point_base(&base);
    if (!ysv_schnorr_verify(&pf, &ctx, &base, &X))
        return ys_fail(err, YS_BAD_PROOF, "proof", "trustee %u (%s): the proof of its share does not verify", j,
                       key->logins[j - 1]);
    ysv_point_identity(&want);
    for (unsigned i = 1; i <= key->n; i++) {
        ysv_point f;
        ysv_vkey_eval(key, i, j, &f);
        ysv_point_add(&want, &want, &f);
    }
    if (!ysv_point_eq(&X, &want))
        return ys_fail(err, YS_BAD_PROOF, "share", "trustee %u (%s): its public share does not match the commitments",
                       j, key->logins[j - 1]);
    key->X[j - 1] = X;
    key->shared[j - 1] = true;
    key->n_shared++;
    return YS_OK;
}

ys_rc ys_vkey_joint_key(const ys_vkey *key, char out[45], ys_err *err)
{
    if (!ys_vkey_committed(key))
        return ys_fail(err, YS_STATE, "key", "the key is not known before every trustee has committed");
    uint8_t b[YS_V_BYTES];
    ysv_point_encode(b, &key->K);
    ysv_b64(out, b);
    return YS_OK;
}

ys_rc ys_vkey_public_share(const ys_vkey *key, unsigned j, char out[45], ys_err *err)
{
    ys_rc rc = check_index(key, j, err);
    if (rc)
        return rc;
    if (!key->shared[j - 1])
        return ys_fail(err, YS_STATE, "trustee", "trustee %u has not published its share", j);
    uint8_t b[YS_V_BYTES];
    ysv_point_encode(b, &key->X[j - 1]);
    ysv_b64(out, b);
    return YS_OK;
}
