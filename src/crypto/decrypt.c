/* decrypt.c — partial decryptions and their checks, and their combination by Lagrange coefficients into
 * the plaintext elements (docs/verifiable.md §8). */
#include "crypto/keys.h"

#include "yishi/alloc.h"

#include <string.h>

void ysv_decrypt_ctx(ysv_hash *h, const uint8_t Q[YS_VKEY_HASH], unsigned j, const char *label)
{
    ysv_hash_init(h, "yishi-v1/decrypt");
    ysv_hash_bytes(h, Q, YS_VKEY_HASH);
    ysv_hash_u64(h, j);
    ysv_hash_text(h, label);
}

ys_rc ysv_labelled_ct(const json_t *cts, size_t i, ysv_ct *e, const char **label, ys_err *err)
{
    const json_t *it = json_array_get(cts, i);
    *label = json_string_value(json_object_get(it, "label"));
    if (!json_is_object(it) || json_object_size(it) != 2 || !*label || !ysv_ct_from_json(e, json_object_get(it, "ct"))) {
        char field[32];
        snprintf(field, sizeof field, "cts/%zu", i);
        return ys_fail(err, YS_BAD_FIELD, field, "ciphertext %zu is not { label, ct: [α, β] }", i);
    }
    return YS_OK;
}

static ys_rc check_list(const json_t *cts, ys_err *err)
{
    if (!json_is_array(cts))
        return ys_fail(err, YS_BAD_FIELD, "cts", "what is decrypted is an array of { label, ct }");
    return YS_OK;
}

/* Entry i of trustee j's partial decryptions: { d, proof }. */
static ys_rc partial_at(const json_t *partial, size_t i, unsigned j, ysv_point *D, ysv_cp *pf, ys_err *err)
{
    const json_t *it = json_array_get(partial, i);
    if (!json_is_object(it) || json_object_size(it) != 2 || !ysv_point_from_json(D, json_object_get(it, "d")) ||
        (pf && !ysv_cp_from_json(pf, json_object_get(it, "proof")))) {
        char field[32];
        snprintf(field, sizeof field, "partial/%zu", i);
        return ys_fail(err, YS_BAD_FIELD, field, "trustee %u's partial decryption %zu is not { d, proof: { a, b, s } }",
                       j, i);
    }
    return YS_OK;
}

ys_rc ys_vkey_check_partial(const ys_vkey *key, unsigned j, const uint8_t Q[YS_VKEY_HASH], const json_t *cts,
                            const json_t *partial, ys_err *err)
{
    ys_rc rc = check_list(cts, err);
    if (rc)
        return rc;
    if (j < 1 || j > key->n || !key->shared[j - 1])
        return ys_fail(err, YS_STATE, "trustee", "trustee %u has no public share to check against", j);
    size_t n = json_array_size(cts);
    if (!json_is_array(partial) || json_array_size(partial) != n)
        return ys_fail(err, YS_BAD_FIELD, "partial", "trustee %u's partial decryptions must be an array of %zu", j, n);
    for (size_t i = 0; i < n; i++) {
        ysv_ct e;
        ysv_point D;
        ysv_cp pf;
        const char *label;
        if ((rc = ysv_labelled_ct(cts, i, &e, &label, err)) || (rc = partial_at(partial, i, j, &D, &pf, err)))
            return rc;
        ysv_hash ctx;
        ysv_decrypt_ctx(&ctx, Q, j, label);
        if (!ysv_cp_verify(&pf, &ctx, &key->X[j - 1], &e.a, &D)) {
            char field[32];
            snprintf(field, sizeof field, "partial/%zu", i);
            return ys_fail(err, YS_BAD_PROOF, field, "trustee %u (%s): the partial decryption of %s does not verify", j,
                           key->logins[j - 1], label);
        }
    }
    return YS_OK;
}

void ysv_lagrange(ysv_scalar *out, const unsigned *trustees, size_t count, size_t at)
{
    ysv_scalar num, den, t;
    ysv_scalar_u64(&num, 1);
    ysv_scalar_u64(&den, 1);
    for (size_t m = 0; m < count; m++) {
        if (m == at)
            continue;
        ysv_scalar_u64(&t, trustees[m]);
        ysv_scalar_mul(&num, &num, &t);
        ysv_scalar a, b;
        ysv_scalar_u64(&a, trustees[m]);
        ysv_scalar_u64(&b, trustees[at]);
        ysv_scalar_sub(&t, &a, &b);
        ysv_scalar_mul(&den, &den, &t);
    }
    ysv_scalar_invert(&den, &den); /* distinct indices: never zero */
    ysv_scalar_mul(out, &num, &den);
}

void ysv_combine(ysv_point *M, const ysv_ct *e, const unsigned *trustees, size_t count, const ysv_point *D)
{
    ysv_scalar zero;
    ysv_scalar_zero(&zero);
    *M = e->b;
    for (size_t j = 0; j < count; j++) {
        ysv_scalar lambda;
        ysv_point t;
        ysv_lagrange(&lambda, trustees, count, j);
        ysv_mul_base_add(&t, &zero, &D[j], &lambda);
        ysv_point_sub(M, M, &t);
    }
}

static ys_rc check_set(const ys_vkey *key, size_t count, const unsigned *trustees, ys_err *err)
{
    if (count != key->k)
        return ys_fail(err, YS_STATE, "trustees", "a decryption takes exactly %u trustees' partials, not %zu", key->k,
                       count);
    for (size_t a = 0; a < count; a++) {
        if (trustees[a] < 1 || trustees[a] > key->n)
            return ys_fail(err, YS_BAD_FIELD, "trustees", "no trustee %u in a ceremony of %u", trustees[a], key->n);
        for (size_t b = 0; b < a; b++)
            if (trustees[a] == trustees[b])
                return ys_fail(err, YS_BAD_FIELD, "trustees", "trustee %u is in the set twice", trustees[a]);
    }
    return YS_OK;
}

ys_rc ys_vkey_combine(const ys_vkey *key, const json_t *cts, size_t count, const unsigned *trustees,
                      const json_t *const *partials, json_t **out, ys_err *err)
{
    *out = NULL;
    ys_rc rc = check_list(cts, err);
    if (rc || (rc = check_set(key, count, trustees, err)))
        return rc;
    size_t n = json_array_size(cts);
    for (size_t j = 0; j < count; j++)
        if (json_array_size(partials[j]) != n)
            return ys_fail(err, YS_BAD_FIELD, "partial", "trustee %u's partial decryptions must be an array of %zu",
                           trustees[j], n);
    json_t *res = json_array();
    if (!res)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory combining partial decryptions");
    for (size_t i = 0; i < n; i++) {
        ysv_ct e;
        ysv_point D[YS_VKEY_MAX_TRUSTEES], M;
        const char *label;
        if ((rc = ysv_labelled_ct(cts, i, &e, &label, err)))
            goto fail;
        for (size_t j = 0; j < count; j++)
            if ((rc = partial_at(partials[j], i, trustees[j], &D[j], NULL, err)))
                goto fail;
        ysv_combine(&M, &e, trustees, count, D);
        if (json_array_append_new(res, ysv_point_json(&M)) != 0) {
            rc = ys_fail(err, YS_NOMEM, NULL, "out of memory combining partial decryptions");
            goto fail;
        }
    }
    *out = res;
    return YS_OK;
fail:
    json_decref(res);
    return rc;
}
