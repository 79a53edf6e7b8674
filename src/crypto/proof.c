/* proof.c — ElGamal ciphertexts under the election key, the proofs of knowledge of a logarithm (Schnorr)
 * and of equal logarithms (Chaum–Pedersen) of docs/verifiable.md §2, and the board's JSON for all of them. */
#include "crypto/proof.h"

/* ---- ciphertexts ---- */

void ysv_ct_add(ysv_ct *out, const ysv_ct *x, const ysv_ct *y)
{
    ysv_point_add(&out->a, &x->a, &y->a);
    ysv_point_add(&out->b, &x->b, &y->b);
}

void ysv_ct_sub(ysv_ct *out, const ysv_ct *x, const ysv_ct *y)
{
    ysv_point_sub(&out->a, &x->a, &y->a);
    ysv_point_sub(&out->b, &x->b, &y->b);
}

void ysv_ct_mul(ysv_ct *out, const ysv_ct *e, const ysv_scalar *s)
{
    ysv_mul(&out->a, &e->a, s);
    ysv_mul(&out->b, &e->b, s);
}

void ysv_ct_zero(ysv_ct *out)
{
    ysv_point_identity(&out->a);
    ysv_point_identity(&out->b);
}

void ysv_encrypt_point(ysv_ct *out, const ysv_point *K, const ysv_point *M, const ysv_scalar *r)
{
    ysv_point rk;
    ysv_mul_base(&out->a, r);
    ysv_mul(&rk, K, r);
    ysv_point_add(&out->b, &rk, M);
}

void ysv_encrypt_u64(ysv_ct *out, const ysv_point *K, uint64_t v, const ysv_scalar *r)
{
    ysv_point m;
    ysv_mul_base_u64(&m, v);
    ysv_encrypt_point(out, K, &m, r);
}

void ysv_hash_ct(ysv_hash *h, const ysv_ct *e)
{
    ysv_hash_point(h, &e->a);
    ysv_hash_point(h, &e->b);
}

/* ---- Schnorr: c = Hq(tag; ctx…, B, X, a), s = u + c·x; checked as s·B = a + c·X ---- */

void ysv_schnorr_challenge(ysv_scalar *c, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X,
                           const ysv_point *a)
{
    ysv_hash h = *ctx;
    ysv_hash_point(&h, B);
    ysv_hash_point(&h, X);
    ysv_hash_point(&h, a);
    ysv_hash_final_scalar(&h, c);
}

void ysv_schnorr_prove(ysv_schnorr *out, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X,
                       const ysv_scalar *x, ysv_rng *rng)
{
    ysv_scalar u, c, cx;
    ysv_rng_scalar(rng, &u);
    ysv_mul(&out->a, B, &u);
    ysv_schnorr_challenge(&c, ctx, B, X, &out->a);
    ysv_scalar_mul(&cx, &c, x);
    ysv_scalar_add(&out->s, &u, &cx);
    ysv_scalar_wipe(&u);
    ysv_scalar_wipe(&cx);
}

/* s·B − c·X == a, with B the generator or any other base. */
static bool check_dlog(const ysv_scalar *s, const ysv_point *B, const ysv_scalar *c, const ysv_point *X,
                       const ysv_point *a)
{
    ysv_point sb, cx, lhs;
    ysv_point base;
    ysv_point_base(&base);
    ysv_scalar negc;
    ysv_scalar_neg(&negc, c);
    if (ysv_point_eq(B, &base)) {
        ysv_mul_base_add(&lhs, s, X, &negc);
    } else {
        ysv_mul(&sb, B, s);
        ysv_mul(&cx, X, c);
        ysv_point_sub(&lhs, &sb, &cx);
    }
    return ysv_point_eq(&lhs, a);
}

bool ysv_schnorr_verify(const ysv_schnorr *p, const ysv_hash *ctx, const ysv_point *B, const ysv_point *X)
{
    ysv_scalar c;
    ysv_schnorr_challenge(&c, ctx, B, X, &p->a);
    return check_dlog(&p->s, B, &c, X, &p->a);
}

/* ---- Chaum–Pedersen: c = Hq(tag; ctx…, X, α, D, a, b), s = u + c·x ---- */

static void cp_challenge(ysv_scalar *c, const ysv_hash *ctx, const ysv_point *X, const ysv_point *alpha,
                         const ysv_point *D, const ysv_point *a, const ysv_point *b)
{
    ysv_hash h = *ctx;
    ysv_hash_point(&h, X);
    ysv_hash_point(&h, alpha);
    ysv_hash_point(&h, D);
    ysv_hash_point(&h, a);
    ysv_hash_point(&h, b);
    ysv_hash_final_scalar(&h, c);
}

void ysv_cp_prove(ysv_cp *out, const ysv_hash *ctx, const ysv_point *X, const ysv_point *alpha, const ysv_point *D,
                  const ysv_scalar *x, ysv_rng *rng)
{
    ysv_scalar u, c, cx;
    ysv_rng_scalar(rng, &u);
    ysv_mul_base(&out->a, &u);
    ysv_mul(&out->b, alpha, &u);
    cp_challenge(&c, ctx, X, alpha, D, &out->a, &out->b);
    ysv_scalar_mul(&cx, &c, x);
    ysv_scalar_add(&out->s, &u, &cx);
    ysv_scalar_wipe(&u);
    ysv_scalar_wipe(&cx);
}

bool ysv_cp_verify(const ysv_cp *p, const ysv_hash *ctx, const ysv_point *X, const ysv_point *alpha,
                   const ysv_point *D)
{
    ysv_scalar c;
    ysv_point base;
    ysv_point_base(&base);
    cp_challenge(&c, ctx, X, alpha, D, &p->a, &p->b);
    return check_dlog(&p->s, &base, &c, X, &p->a) && check_dlog(&p->s, alpha, &c, D, &p->b);
}

/* ---- JSON ---- */

json_t *ysv_point_json(const ysv_point *p)
{
    uint8_t b[YS_V_BYTES];
    char s[YS_V_B64];
    ysv_point_encode(b, p);
    ysv_b64(s, b);
    return json_string(s);
}

json_t *ysv_scalar_json(const ysv_scalar *sc)
{
    uint8_t b[YS_V_BYTES];
    char s[YS_V_B64];
    ysv_scalar_encode(b, sc);
    ysv_b64(s, b);
    return json_string(s);
}

json_t *ysv_ct_json(const ysv_ct *e)
{
    return json_pack("[o, o]", ysv_point_json(&e->a), ysv_point_json(&e->b));
}

json_t *ysv_schnorr_json(const ysv_schnorr *p)
{
    return json_pack("{s:o, s:o}", "a", ysv_point_json(&p->a), "s", ysv_scalar_json(&p->s));
}

json_t *ysv_cp_json(const ysv_cp *p)
{
    return json_pack("{s:o, s:o, s:o}", "a", ysv_point_json(&p->a), "b", ysv_point_json(&p->b), "s",
                     ysv_scalar_json(&p->s));
}

bool ysv_point_from_json(ysv_point *out, const json_t *j)
{
    uint8_t b[YS_V_BYTES];
    return json_is_string(j) && ysv_unb64(b, json_string_value(j)) && ysv_point_decode(out, b);
}

bool ysv_scalar_from_json(ysv_scalar *out, const json_t *j)
{
    uint8_t b[YS_V_BYTES];
    return json_is_string(j) && ysv_unb64(b, json_string_value(j)) && ysv_scalar_decode(out, b);
}

bool ysv_ct_from_json(ysv_ct *out, const json_t *j)
{
    return json_is_array(j) && json_array_size(j) == 2 && ysv_point_from_json(&out->a, json_array_get(j, 0)) &&
           ysv_point_from_json(&out->b, json_array_get(j, 1));
}

/* An object with exactly the given keys: a proof with an extra field is not the proof the board holds. */
static bool has_only(const json_t *j, size_t n)
{
    return json_is_object(j) && json_object_size(j) == n;
}

bool ysv_schnorr_from_json(ysv_schnorr *out, const json_t *j)
{
    return has_only(j, 2) && ysv_point_from_json(&out->a, json_object_get(j, "a")) &&
           ysv_scalar_from_json(&out->s, json_object_get(j, "s"));
}

bool ysv_cp_from_json(ysv_cp *out, const json_t *j)
{
    return has_only(j, 3) && ysv_point_from_json(&out->a, json_object_get(j, "a")) &&
           ysv_point_from_json(&out->b, json_object_get(j, "b")) && ysv_scalar_from_json(&out->s, json_object_get(j, "s"));
}
