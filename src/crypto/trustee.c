/* trustee.c — one trustee's side of the key ceremony (docs/verifiable.md §3): its polynomial and box key,
 * its commitment, the shares it seals to the others and opens from them, its share xⱼ, and its backup. */
#include "crypto/keys.h"
#include "crypto/mix.h"

#include "yishi/alloc.h"

#include <string.h>

struct ys_vtrustee {
    ys_vkey *ceremony;           /* its own copy of the parameters (no commitments): Qk, n, k, logins */
    unsigned index;
    ysv_rng rng;
    ysv_scalar a[YS_VKEY_MAX_TRUSTEES];          /* the coefficients aᵢ,ₘ */
    ysv_point A[YS_VKEY_MAX_TRUSTEES];
    ysv_schnorr proofs[YS_VKEY_MAX_TRUSTEES];
    uint8_t box_pk[crypto_box_PUBLICKEYBYTES], box_sk[crypto_box_SECRETKEYBYTES];
    ysv_scalar got[YS_VKEY_MAX_TRUSTEES];        /* fₘ(index) from each trustee m, its own included */
    bool have[YS_VKEY_MAX_TRUSTEES];
    bool has_x;
    ysv_scalar x;
    ysv_point X;
    ysv_schnorr x_proof;
};

/* fᵢ(j) = Σ_m aᵢ,ₘ·jᵐ (Horner), in scalar arithmetic, which does not branch on the secret. */
static void poly_eval(const ys_vtrustee *t, unsigned j, ysv_scalar *out)
{
    ysv_scalar js;
    ysv_scalar_u64(&js, j);
    *out = t->a[t->ceremony->k - 1];
    for (unsigned m = t->ceremony->k - 1; m-- > 0;) {
        ysv_scalar_mul(out, out, &js);
        ysv_scalar_add(out, out, &t->a[m]);
    }
}

static ys_rc copy_ceremony(const ys_vkey *key, ys_vkey **out, ys_err *err)
{
    ys_vkey_params p = { key->session_id, key->key_id, key->n, key->k, (const char *const *)key->logins };
    return ys_vkey_new(&p, out, err);
}

static ys_rc trustee_alloc(const ys_vkey *key, unsigned index, ys_vtrustee **out, ys_err *err)
{
    *out = NULL;
    if (index < 1 || index > key->n)
        return ys_fail(err, YS_BAD_FIELD, "index", "no trustee %u in a ceremony of %u", index, key->n);
    ys_vtrustee *t = ys_calloc(1, sizeof *t);
    if (!t)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for a trustee");
    ys_rc rc = copy_ceremony(key, &t->ceremony, err);
    if (rc) {
        ys_free(t);
        return rc;
    }
    t->index = index;
    ysv_rng_system(&t->rng);
    *out = t;
    return YS_OK;
}

/* A and the own share, from the coefficients. */
static void derive(ys_vtrustee *t)
{
    for (unsigned m = 0; m < t->ceremony->k; m++)
        ysv_mul_base(&t->A[m], &t->a[m]);
    poly_eval(t, t->index, &t->got[t->index - 1]);
    t->have[t->index - 1] = true;
}

ys_rc ysv_trustee_new(const ys_vkey *key, unsigned index, const ysv_rng *rng, ys_vtrustee **out, ys_err *err)
{
    ys_vtrustee *t = NULL;
    ys_rc rc = trustee_alloc(key, index, &t, err);
    if (rc)
        return rc;
    t->rng = *rng;
    if (rng->test) {
        uint8_t seed[YS_V_HASH];
        ysv_hash h;
        ysv_hash_init(&h, "yishi-test/box");
        ysv_hash_bytes(&h, rng->seed, sizeof rng->seed);
        ysv_hash_final(&h, seed);
        crypto_box_seed_keypair(t->box_pk, t->box_sk, seed);
        sodium_memzero(seed, sizeof seed);
    } else {
        crypto_box_keypair(t->box_pk, t->box_sk);
    }
    unsigned k = key->k;
    for (unsigned m = 0; m < k; m++)
        ysv_rng_scalar(&t->rng, &t->a[m]);
    derive(t);
    for (unsigned m = 0; m < k; m++) {
        ysv_hash ctx;
        ysv_point base;
        ysv_point_base(&base);
        ysv_coef_ctx(&ctx, key, index, m);
        ysv_schnorr_prove(&t->proofs[m], &ctx, &base, &t->A[m], &t->a[m], &t->rng);
    }
    *out = t;
    return YS_OK;
}

ys_rc ys_vtrustee_new(const ys_vkey *key, unsigned index, ys_vtrustee **out, ys_err *err)
{
    ysv_rng rng;
    ysv_rng_system(&rng);
    return ysv_trustee_new(key, index, &rng, out, err);
}

void ys_vtrustee_free(ys_vtrustee *t)
{
    if (!t)
        return;
    ys_vkey_free(t->ceremony);
    sodium_memzero(t, sizeof *t);
    ys_free(t);
}

unsigned ys_vtrustee_index(const ys_vtrustee *t) { return t->index; }

json_t *ys_vtrustee_commitment(const ys_vtrustee *t)
{
    char box[YS_V_B64];
    ysv_b64(box, t->box_pk);
    json_t *proofs = json_array();
    for (unsigned m = 0; proofs && m < t->ceremony->k; m++)
        if (json_array_append_new(proofs, ysv_schnorr_json(&t->proofs[m])) != 0) {
            json_decref(proofs);
            proofs = NULL;
        }
    return json_pack("{s:o, s:o, s:s}", "commitments", ysv_points_json(t->A, t->ceremony->k), "proofs", proofs, "box",
                     box);
}

static ys_rc same_ceremony(const ys_vtrustee *t, const ys_vkey *key, ys_err *err)
{
    if (memcmp(t->ceremony->qk, key->qk, YS_VKEY_HASH) != 0)
        return ys_fail(err, YS_CONFLICT, "key", "trustee %u belongs to another ceremony", t->index);
    return YS_OK;
}

static void put_u64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

static uint64_t get_u64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | b[i];
    return v;
}

void ysv_trustee_share_plain(const ys_vtrustee *t, unsigned j, uint8_t out[YSV_SHARE_PLAIN])
{
    ysv_scalar f;
    put_u64(out, t->index);
    put_u64(out + 8, j);
    memcpy(out + 16, t->ceremony->qk, YS_VKEY_HASH);
    poly_eval(t, j, &f);
    ysv_scalar_encode(out + 16 + YS_VKEY_HASH, &f);
    ysv_scalar_wipe(&f);
}

static json_t *sealed_share(const ys_vtrustee *t, const ys_vkey *key, unsigned j)
{
    uint8_t plain[YSV_SHARE_PLAIN], sealed[YSV_SHARE_SEALED];
    char b64[sodium_base64_ENCODED_LEN(YSV_SHARE_SEALED, sodium_base64_VARIANT_ORIGINAL)];
    ysv_trustee_share_plain(t, j, plain);
    int bad = crypto_box_seal(sealed, plain, sizeof plain, key->box[j - 1]);
    sodium_memzero(plain, sizeof plain);
    if (bad)
        return NULL;
    sodium_bin2base64(b64, sizeof b64, sealed, sizeof sealed, sodium_base64_VARIANT_ORIGINAL);
    return json_pack("{s:I, s:s}", "to", (json_int_t)j, "sealed", b64);
}

ys_rc ys_vtrustee_seal_shares(const ys_vtrustee *t, const ys_vkey *key, json_t **out, ys_err *err)
{
    *out = NULL;
    ys_rc rc = same_ceremony(t, key, err);
    if (rc)
        return rc;
    if (!ys_vkey_committed(key))
        return ys_fail(err, YS_STATE, "key", "shares are sealed once every trustee has committed");
    json_t *a = json_array();
    for (unsigned j = 1; a && j <= key->n; j++)
        if (j != t->index && json_array_append_new(a, sealed_share(t, key, j)) != 0) {
            json_decref(a);
            a = NULL;
        }
    if (!a)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory sealing shares");
    *out = a;
    return YS_OK;
}

/* The entry of `shares` sealed to trustee `to`, opened into plain. */
static ys_rc open_entry(const ys_vtrustee *t, const json_t *shares, const char *who, uint8_t plain[YSV_SHARE_PLAIN],
                        ys_err *err)
{
    const json_t *e = NULL, *it;
    size_t i;
    json_array_foreach(shares, i, it) if (json_integer_value(json_object_get(it, "to")) == (json_int_t)t->index) e = it;
    if (!e)
        return ys_fail(err, YS_BAD_FIELD, "shares", "%s sent no share to trustee %u", who, t->index);
    const char *b64 = json_string_value(json_object_get(e, "sealed"));
    uint8_t sealed[YSV_SHARE_SEALED];
    size_t n = 0;
    const char *end = NULL;
    if (!b64 || sodium_base642bin(sealed, sizeof sealed, b64, strlen(b64), NULL, &n, &end,
                                  sodium_base64_VARIANT_ORIGINAL) != 0 || n != sizeof sealed || *end)
        return ys_fail(err, YS_BAD_FIELD, "sealed", "%s's share to trustee %u is not %d bytes in base64", who,
                       t->index, YSV_SHARE_SEALED);
    if (crypto_box_seal_open(plain, sealed, sizeof sealed, t->box_pk, t->box_sk) != 0)
        return ys_fail(err, YS_BAD_FIELD, "sealed", "%s's share does not open with trustee %u's box key", who,
                       t->index);
    return YS_OK;
}

ys_rc ys_vtrustee_open_share(ys_vtrustee *t, const ys_vkey *key, unsigned from, const json_t *shares, ys_err *err)
{
    ys_rc rc = same_ceremony(t, key, err);
    if (rc)
        return rc;
    if (from < 1 || from > key->n || from == t->index || !key->committed[from - 1])
        return ys_fail(err, YS_STATE, "from", "no share is expected from trustee %u", from);
    char who[96];
    snprintf(who, sizeof who, "trustee %u (%s)", from, key->logins[from - 1]);
    uint8_t plain[YSV_SHARE_PLAIN];
    if (!json_is_array(shares))
        return ys_fail(err, YS_BAD_FIELD, "shares", "%s's shares are not an array", who);
    if ((rc = open_entry(t, shares, who, plain, err)))
        return rc;
    ysv_scalar f;
    ysv_point fG, want;
    if (get_u64(plain) != from || get_u64(plain + 8) != t->index || memcmp(plain + 16, key->qk, YS_VKEY_HASH) != 0 ||
        !ysv_scalar_decode(&f, plain + 16 + YS_VKEY_HASH)) {
        rc = ys_fail(err, YS_BAD_FIELD, "sealed", "%s's share is not u64(%u) ‖ u64(%u) ‖ Qk ‖ a scalar", who, from,
                     t->index);
        goto done;
    }
    ysv_mul_base(&fG, &f);
    ysv_vkey_eval(key, from, t->index, &want);
    if (!ysv_point_eq(&fG, &want)) {
        rc = ys_fail(err, YS_BAD_PROOF, "from", "complaint: %s's share to trustee %u does not match its commitments",
                     who, t->index);
        goto done;
    }
    t->got[from - 1] = f;
    t->have[from - 1] = true;
done:
    sodium_memzero(plain, sizeof plain);
    ysv_scalar_wipe(&f);
    return rc;
}

ys_rc ys_vtrustee_public_share(ys_vtrustee *t, json_t **out, ys_err *err)
{
    *out = NULL;
    if (!t->has_x) {
        for (unsigned m = 0; m < t->ceremony->n; m++)
            if (!t->have[m])
                return ys_fail(err, YS_STATE, "shares", "trustee %u has no share from trustee %u yet", t->index, m + 1);
        ysv_scalar_zero(&t->x);
        for (unsigned m = 0; m < t->ceremony->n; m++)
            ysv_scalar_add(&t->x, &t->x, &t->got[m]);
        ysv_mul_base(&t->X, &t->x);
        ysv_hash ctx;
        ysv_point base;
        ysv_point_base(&base);
        ysv_share_ctx(&ctx, t->ceremony, t->index);
        ysv_schnorr_prove(&t->x_proof, &ctx, &base, &t->X, &t->x, &t->rng);
        t->has_x = true;
    }
    *out = json_pack("{s:o, s:o}", "share", ysv_point_json(&t->X), "proof", ysv_schnorr_json(&t->x_proof));
    return *out ? YS_OK : ys_fail(err, YS_NOMEM, NULL, "out of memory for a public share");
}

/* ---- the backup ---- */

json_t *ys_vtrustee_backup(const ys_vtrustee *t)
{
    const ys_vkey *c = t->ceremony;
    char box[YS_V_B64];
    ysv_b64(box, t->box_sk);
    json_t *logins = json_array(), *commitment = ys_vtrustee_commitment(t);
    for (unsigned i = 0; logins && i < c->n; i++)
        if (json_array_append_new(logins, json_string(c->logins[i])) != 0) {
            json_decref(logins);
            logins = NULL;
        }
    json_t *b = json_pack("{s:s, s:I, s:I, s:I, s:o, s:I, s:o, s:o, s:s, s:o, s:o}", "session_id", c->session_id,
                          "key_id", (json_int_t)c->key_id, "n", (json_int_t)c->n, "k", (json_int_t)c->k, "logins",
                          logins, "index", (json_int_t)t->index, "coefficients", ysv_scalars_json(t->a, NULL, c->k),
                          "proofs", commitment ? json_incref(json_object_get(commitment, "proofs")) : NULL,
                          "box_secret", box, "received", ysv_scalars_json(t->got, t->have, c->n), "share_proof",
                          t->has_x ? ysv_schnorr_json(&t->x_proof) : json_null());
    sodium_memzero(box, sizeof box);
    json_decref(commitment);
    return b;
}

/* The backup's ceremony as a key of its own, to compare its Qk with the one expected. */
static ys_rc backup_ceremony(const json_t *b, ys_vkey **out, ys_err *err)
{
    const json_t *lj = json_object_get(b, "logins");
    const char *logins[YS_VKEY_MAX_TRUSTEES];
    size_t n = json_array_size(lj);
    if (!json_is_array(lj) || n > YS_VKEY_MAX_TRUSTEES)
        return ys_fail(err, YS_BAD_FIELD, "logins", "the backup's logins are not an array of at most %d",
                       YS_VKEY_MAX_TRUSTEES);
    for (size_t i = 0; i < n; i++)
        logins[i] = json_string_value(json_array_get(lj, i));
    json_int_t kid = json_integer_value(json_object_get(b, "key_id"));
    json_int_t bn = json_integer_value(json_object_get(b, "n")), bk = json_integer_value(json_object_get(b, "k"));
    if (kid < 0 || bn != (json_int_t)n || bk < 1 || bk > bn)
        return ys_fail(err, YS_BAD_FIELD, "backup", "the backup's key_id, n or k is not valid");
    ys_vkey_params p = { json_string_value(json_object_get(b, "session_id")), (uint64_t)kid, (unsigned)bn,
                         (unsigned)bk, logins };
    return ys_vkey_new(&p, out, err);
}

static ys_rc restore_secrets(ys_vtrustee *t, const json_t *b, ys_err *err)
{
    unsigned n = t->ceremony->n, k = t->ceremony->k;
    const json_t *co = json_object_get(b, "coefficients"), *pr = json_object_get(b, "proofs"),
                 *rc_ = json_object_get(b, "received"), *sp = json_object_get(b, "share_proof");
    if (json_array_size(co) != k || json_array_size(pr) != k || json_array_size(rc_) != n)
        return ys_fail(err, YS_BAD_FIELD, "backup", "the backup's coefficients, proofs or received shares are missing");
    for (unsigned m = 0; m < k; m++)
        if (!ysv_scalar_from_json(&t->a[m], json_array_get(co, m)) ||
            !ysv_schnorr_from_json(&t->proofs[m], json_array_get(pr, m)))
            return ys_fail(err, YS_BAD_FIELD, "coefficients", "the backup's coefficient %u is not valid", m);
    const char *box = json_string_value(json_object_get(b, "box_secret"));
    if (!ysv_unb64(t->box_sk, box) || crypto_scalarmult_base(t->box_pk, t->box_sk) != 0)
        return ys_fail(err, YS_BAD_FIELD, "box_secret", "the backup's box key is not valid");
    derive(t);
    for (unsigned m = 0; m < n; m++) {
        const json_t *g = json_array_get(rc_, m);
        if (json_is_null(g) || m + 1 == t->index)
            continue;
        if (!ysv_scalar_from_json(&t->got[m], g))
            return ys_fail(err, YS_BAD_FIELD, "received", "the backup's share from trustee %u is not valid", m + 1);
        t->have[m] = true;
    }
    if (json_is_null(sp))
        return YS_OK;
    if (!ysv_schnorr_from_json(&t->x_proof, sp))
        return ys_fail(err, YS_BAD_FIELD, "share_proof", "the backup's proof of its share is not valid");
    json_t *msg = NULL;
    ysv_schnorr keep = t->x_proof;
    ys_rc rc = ys_vtrustee_public_share(t, &msg, err); /* recomputes xⱼ; its proof is then the one kept */
    t->x_proof = keep;
    json_decref(msg);
    return rc;
}

ys_rc ys_vtrustee_restore(const ys_vkey *key, unsigned index, const json_t *backup, ys_vtrustee **out, ys_err *err)
{
    *out = NULL;
    if (!json_is_object(backup))
        return ys_fail(err, YS_BAD_FIELD, "backup", "a trustee's backup is a JSON object");
    ys_vkey *theirs = NULL;
    ys_vtrustee *t = NULL;
    ys_rc rc = backup_ceremony(backup, &theirs, err);
    if (rc)
        goto done;
    if (memcmp(theirs->qk, key->qk, YS_VKEY_HASH) != 0) {
        rc = ys_fail(err, YS_CONFLICT, "backup", "the backup is of another ceremony (session %.12s…, key %llu)",
                     theirs->session_id, (unsigned long long)theirs->key_id);
        goto done;
    }
    json_int_t bi = json_integer_value(json_object_get(backup, "index"));
    if (bi != (json_int_t)index) {
        rc = ys_fail(err, YS_CONFLICT, "index", "the backup is trustee %lld's, not trustee %u's", (long long)bi, index);
        goto done;
    }
    if ((rc = trustee_alloc(key, index, &t, err)) || (rc = restore_secrets(t, backup, err)))
        goto done;
    *out = t;
    t = NULL;
done:
    ys_vkey_free(theirs);
    ys_vtrustee_free(t);
    return rc;
}

/* ---- partial decryption (§8): Dⱼ = xⱼ·α with a proof of equal logarithms, in constant time ---- */

static json_t *partial_one(ys_vtrustee *t, const uint8_t Q[YS_VKEY_HASH], const ysv_ct *e, const char *label)
{
    ysv_point D;
    ysv_cp pf;
    ysv_hash ctx;
    ysv_mul(&D, &e->a, &t->x);
    ysv_decrypt_ctx(&ctx, Q, t->index, label);
    ysv_cp_prove(&pf, &ctx, &t->X, &e->a, &D, &t->x, &t->rng);
    return json_pack("{s:o, s:o}", "d", ysv_point_json(&D), "proof", ysv_cp_json(&pf));
}

ys_rc ys_vtrustee_decrypt(ys_vtrustee *t, const uint8_t Q[YS_VKEY_HASH], const json_t *cts, json_t **out, ys_err *err)
{
    *out = NULL;
    if (!t->has_x)
        return ys_fail(err, YS_STATE, "share", "trustee %u has no share of the key yet", t->index);
    if (!json_is_array(cts))
        return ys_fail(err, YS_BAD_FIELD, "cts", "what is decrypted is an array of { label, ct }");
    json_t *res = json_array();
    if (!res)
        return ys_fail(err, YS_NOMEM, NULL, "out of memory for partial decryptions");
    for (size_t i = 0; i < json_array_size(cts); i++) {
        ysv_ct e;
        const char *label;
        ys_rc rc = ysv_labelled_ct(cts, i, &e, &label, err);
        if (rc) {
            json_decref(res);
            return rc;
        }
        if (json_array_append_new(res, partial_one(t, Q, &e, label)) != 0) {
            json_decref(res);
            return ys_fail(err, YS_NOMEM, NULL, "out of memory for partial decryptions");
        }
    }
    *out = res;
    return YS_OK;
}
