/* orproof.c — the proofs of a ballot (docs/verifiable.md §2): that a ciphertext encrypts one of m small
 * values (Cramer, Damgård and Schoenmakers), and that it encrypts a value in [0, R] by its bits. */
#include "crypto/msm.h"
#include "crypto/proof.h"

#include <stdio.h>
#include <string.h>

/* ---- the disjunctive proof ---- */

/* c = Hq("yishi-v1/or"; Q, voter, label, α, β, u64(m), u64(v₁)…, a₁, b₁, …, aₘ, bₘ) */
static void or_challenge(ysv_scalar *c, const ysv_bctx *x, const char *label, const ysv_ct *E,
                         const uint64_t *values, const ysv_or *p)
{
    size_t m = p->m;
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/or");
    ysv_hash_bytes(&h, x->Q, YS_V_HASH);
    ysv_hash_text(&h, x->voter);
    ysv_hash_text(&h, label);
    ysv_hash_ct(&h, E);
    ysv_hash_u64(&h, m);
    for (size_t j = 0; j < m; j++)
        ysv_hash_u64(&h, values[j]);
    for (size_t j = 0; j < m; j++) {
        if (p->enc) {
            ysv_hash_bytes(&h, p->ea[j], YS_V_BYTES);
            ysv_hash_bytes(&h, p->eb[j], YS_V_BYTES);
        } else {
            ysv_hash_point(&h, &p->a[j]);
            ysv_hash_point(&h, &p->b[j]);
        }
    }
    ysv_hash_final_scalar(&h, c);
}

/* β − v·G: what b's equation compares K's multiple with. */
static void beta_minus(ysv_point *out, const ysv_ct *E, uint64_t v)
{
    ysv_point vg;
    ysv_mul_base_u64(&vg, v);
    ysv_point_sub(out, &E->b, &vg);
}

void ysv_or_prove(ysv_or *out, const ysv_bctx *x, const char *label, const ysv_ct *E, const uint64_t *values,
                  size_t m, size_t t, const ysv_scalar *r, ysv_rng *rng)
{
    ysv_scalar u, c, sum, cr;
    ysv_point p, q, bm;
    out->m = m;
    ysv_scalar_zero(&sum);
    for (size_t j = 0; j < m; j++) {
        if (j == t) {
            ysv_rng_scalar(rng, &u);
            ysv_mul_base(&out->a[j], &u);
            ysv_mul(&out->b[j], x->K, &u);
            continue;
        }
        /* a simulated branch: constant-time products, so that timing does not tell which branch is real */
        ysv_rng_scalar(rng, &out->c[j]);
        ysv_rng_scalar(rng, &out->s[j]);
        ysv_scalar_add(&sum, &sum, &out->c[j]);
        ysv_mul_base(&p, &out->s[j]);
        ysv_mul(&q, &E->a, &out->c[j]);
        ysv_point_sub(&out->a[j], &p, &q);
        beta_minus(&bm, E, values[j]);
        ysv_mul(&p, x->K, &out->s[j]);
        ysv_mul(&q, &bm, &out->c[j]);
        ysv_point_sub(&out->b[j], &p, &q);
    }
    for (size_t j = 0; j < m; j++) {
        ysv_point_encode(out->ea[j], &out->a[j]);
        ysv_point_encode(out->eb[j], &out->b[j]);
    }
    out->enc = true;
    or_challenge(&c, x, label, E, values, out);
    ysv_scalar_sub(&out->c[t], &c, &sum);
    ysv_scalar_mul(&cr, &out->c[t], r);
    ysv_scalar_add(&out->s[t], &u, &cr);
    ysv_scalar_wipe(&u);
    ysv_scalar_wipe(&cr);
}

/* The last challenge, cₘ = c − Σ_{j<m} cⱼ, into p->c[m-1]. */
static void or_last_challenge(ysv_or *p, const ysv_bctx *x, const char *label, const ysv_ct *E,
                              const uint64_t *values)
{
    ysv_scalar c;
    or_challenge(&c, x, label, E, values, p);
    for (size_t j = 0; j + 1 < p->m; j++)
        ysv_scalar_sub(&c, &c, &p->c[j]);
    p->c[p->m - 1] = c;
}

bool ysv_or_verify(const ysv_or *proof, const ysv_bctx *x, const char *label, const ysv_ct *E,
                   const uint64_t *values, size_t m)
{
    if (proof->m != m)
        return false;
    ysv_or p = *proof;
    or_last_challenge(&p, x, label, E, values);
    for (size_t j = 0; j < m; j++) {
        ysv_point lhs, sk, cb, bm;
        ysv_scalar negc;
        ysv_scalar_neg(&negc, &p.c[j]);
        ysv_mul_base_add(&lhs, &p.s[j], &E->a, &negc); /* sⱼ·G − cⱼ·α = aⱼ */
        if (!ysv_point_eq(&lhs, &p.a[j]))
            return false;
        beta_minus(&bm, E, values[j]); /* sⱼ·K − cⱼ·(β − vⱼ·G) = bⱼ */
        ysv_mul(&sk, x->K, &p.s[j]);
        ysv_mul(&cb, &bm, &p.c[j]);
        ysv_point_sub(&lhs, &sk, &cb);
        if (!ysv_point_eq(&lhs, &p.b[j]))
            return false;
    }
    return true;
}

/* Σⱼ ρⱼ·(sⱼ·G − aⱼ − cⱼ·α) + ρ'ⱼ·(sⱼ·K − bⱼ − cⱼ·β + cⱼvⱼ·G), with α's and β's terms merged into one each. */
void ysv_or_batch(ysv_batch *b, size_t owner, const char *field, const ysv_or *proof, const ysv_bctx *x,
                  const char *label, const ysv_ct *E, const uint64_t *values, size_t m)
{
    ysv_point G;
    ysv_point_base(&G);
    int gi = ysv_batch_base(b, &G), ki = ysv_batch_base(b, x->K);
    ysv_batch_eq(b, owner, field);
    if (proof->m != m) { /* cannot hold: O ≠ 1·G */
        ysv_scalar one;
        ysv_scalar_u64(&one, 1);
        ysv_batch_base_term(b, &one, gi);
        return;
    }
    ysv_or p = *proof;
    or_last_challenge(&p, x, label, E, values);
    ysv_scalar kg, kk, ka, kb;
    ysv_scalar_zero(&kg);
    ysv_scalar_zero(&kk);
    ysv_scalar_zero(&ka);
    ysv_scalar_zero(&kb);
    for (size_t j = 0; j < m; j++) {
        ysv_scalar r1, r2, t, v, neg;
        ysv_batch_weight(&r1);
        ysv_batch_weight(&r2);
        ysv_scalar_mul(&t, &r1, &p.s[j]);
        ysv_scalar_add(&kg, &kg, &t);
        ysv_scalar_u64(&v, values[j]);
        ysv_scalar_mul(&t, &r2, &p.c[j]);
        ysv_scalar_add(&kb, &kb, &t);
        ysv_scalar_mul(&t, &t, &v);
        ysv_scalar_add(&kg, &kg, &t);
        ysv_scalar_mul(&t, &r2, &p.s[j]);
        ysv_scalar_add(&kk, &kk, &t);
        ysv_scalar_mul(&t, &r1, &p.c[j]);
        ysv_scalar_add(&ka, &ka, &t);
        ysv_scalar_neg(&neg, &r1);
        ysv_batch_term(b, &neg, &p.a[j]);
        ysv_scalar_neg(&neg, &r2);
        ysv_batch_term(b, &neg, &p.b[j]);
    }
    ysv_scalar_neg(&ka, &ka);
    ysv_scalar_neg(&kb, &kb);
    ysv_batch_term(b, &ka, &E->a);
    ysv_batch_term(b, &kb, &E->b);
    ysv_batch_base_term(b, &kg, gi);
    ysv_batch_base_term(b, &kk, ki);
}

static json_t *encoding_json(const uint8_t e[YS_V_BYTES])
{
    char s[YS_V_B64];
    ysv_b64(s, e);
    return json_string(s);
}

/* An array of n points (p, or their encodings e when not NULL) or of n scalars (s, when p is NULL). */
static json_t *values_json(const ysv_point *p, const uint8_t (*e)[YS_V_BYTES], const ysv_scalar *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        if (json_array_append_new(a, e ? encoding_json(e[i]) : p ? ysv_point_json(&p[i]) : ysv_scalar_json(&s[i]))) {
            json_decref(a);
            return NULL;
        }
    return a;
}

json_t *ysv_or_json(const ysv_or *p)
{
    return json_pack("{s:o, s:o, s:o, s:o}", "a", values_json(p->a, p->enc ? p->ea : NULL, NULL, p->m), "b",
                     values_json(p->b, p->enc ? p->eb : NULL, NULL, p->m), "c", values_json(NULL, NULL, p->c, p->m - 1),
                     "s", values_json(NULL, NULL, p->s, p->m));
}

/* A point and its encoding from base64. */
static bool read_point(ysv_point *p, uint8_t e[YS_V_BYTES], const json_t *j)
{
    return json_is_string(j) && ysv_unb64(e, json_string_value(j)) && ysv_point_decode(p, e);
}

/* An array of exactly n points (p, with their encodings into e) or scalars (s) under key in j; names the
 * bad one in what. */
static bool read_values(ysv_point *p, uint8_t (*e)[YS_V_BYTES], ysv_scalar *s, const json_t *j, const char *key,
                        size_t n, char what[YSV_WHAT])
{
    const json_t *a = json_object_get(j, key);
    snprintf(what, YSV_WHAT, "%s", key);
    if (!json_is_array(a) || json_array_size(a) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        if (p ? !read_point(&p[i], e[i], v) : !ysv_scalar_from_json(&s[i], v)) {
            snprintf(what, YSV_WHAT, "%s[%zu]", key, i);
            return false;
        }
    }
    return true;
}

bool ysv_or_from_json(ysv_or *out, const json_t *j, size_t m, char what[YSV_WHAT])
{
    what[0] = '\0';
    if (!json_is_object(j) || json_object_size(j) != 4 || m < 2 || m > YSV_OR_MAX)
        return false;
    out->m = m;
    ysv_scalar_zero(&out->c[m - 1]);
    out->enc = read_values(out->a, out->ea, NULL, j, "a", m, what) &&
               read_values(out->b, out->eb, NULL, j, "b", m, what);
    return out->enc && read_values(NULL, NULL, out->c, j, "c", m - 1, what) &&
           read_values(NULL, NULL, out->s, j, "s", m, what);
}

/* ---- the range proof ---- */

unsigned ysv_range_len(uint64_t R) { return R ? 64 - (unsigned)__builtin_clzll(R) : 0; }

uint64_t ysv_range_weight(uint64_t R, unsigned i)
{
    unsigned L = ysv_range_len(R);
    return i + 1 < L ? (uint64_t)1 << i : R - ((uint64_t)1 << (L - 1)) + 1;
}

/* The top bit is set when v ≥ 2^(L−1); the others are the binary digits of what remains. */
bool ysv_range_bit(uint64_t R, uint64_t v, unsigned i)
{
    unsigned L = ysv_range_len(R);
    bool top = v >= (uint64_t)1 << (L - 1);
    if (i + 1 == L)
        return top;
    uint64_t rest = top ? v - ysv_range_weight(R, L - 1) : v;
    return (rest >> i) & 1;
}

void ysv_range_last(ysv_ct *last, const ysv_range *p, const ysv_ct *E)
{
    *last = *E;
    for (unsigned i = 0; i + 1 < p->L; i++)
        ysv_ct_sub(last, last, &p->bits[i]);
}

static void bit_label(char out[YSV_WHAT * 2], const char *label, unsigned i)
{
    snprintf(out, YSV_WHAT * 2, "%s/%u", label, i);
}

void ysv_range_prove(ysv_range *out, const ysv_bctx *x, const char *label, const ysv_ct *E, uint64_t R, uint64_t v,
                     const ysv_scalar *r, ysv_rng *rng, ysv_scalar *bit_r)
{
    ysv_scalar rb[YSV_RANGE_BITS], last;
    out->R = R;
    out->L = ysv_range_len(R);
    last = *r;
    for (unsigned i = 0; i + 1 < out->L; i++) {
        ysv_rng_scalar(rng, &rb[i]);
        ysv_encrypt_u64(&out->bits[i], x->K, ysv_range_bit(R, v, i) ? ysv_range_weight(R, i) : 0, &rb[i]);
        ysv_scalar_sub(&last, &last, &rb[i]);
    }
    for (unsigned i = 0; i < out->L; i++) {
        ysv_ct Ei;
        char lab[YSV_WHAT * 2];
        uint64_t values[2] = { 0, ysv_range_weight(R, i) };
        if (i + 1 < out->L)
            Ei = out->bits[i];
        else
            ysv_range_last(&Ei, out, E);
        bit_label(lab, label, i);
        ysv_or_prove(&out->proofs[i], x, lab, &Ei, values, 2, ysv_range_bit(R, v, i),
                     i + 1 < out->L ? &rb[i] : &last, rng);
    }
    for (unsigned i = 0; i + 1 < out->L; i++) {
        if (bit_r)
            bit_r[i] = rb[i];
        ysv_scalar_wipe(&rb[i]);
    }
    ysv_scalar_wipe(&last);
}

/* What bit i's proof is about: its ciphertext, its label and its two values. */
static void bit_statement(ysv_ct *Ei, char lab[YSV_WHAT * 2], uint64_t values[2], const ysv_range *p,
                          const char *label, const ysv_ct *E, unsigned i)
{
    if (i + 1 < p->L)
        *Ei = p->bits[i];
    else
        ysv_range_last(Ei, p, E);
    bit_label(lab, label, i);
    values[0] = 0;
    values[1] = ysv_range_weight(p->R, i);
}

int ysv_range_first_bad(const ysv_range *p, const ysv_bctx *x, const char *label, const ysv_ct *E)
{
    for (unsigned i = 0; i < p->L; i++) {
        ysv_ct Ei;
        char lab[YSV_WHAT * 2];
        uint64_t values[2];
        bit_statement(&Ei, lab, values, p, label, E, i);
        if (!ysv_or_verify(&p->proofs[i], x, lab, &Ei, values, 2))
            return (int)i;
    }
    return p->L > 0 ? -1 : 0;
}

bool ysv_range_verify(const ysv_range *p, const ysv_bctx *x, const char *label, const ysv_ct *E)
{
    return ysv_range_first_bad(p, x, label, E) < 0;
}

void ysv_range_batch(ysv_batch *b, size_t owner, const char *field, const ysv_range *p, const ysv_bctx *x,
                     const char *label, const ysv_ct *E)
{
    for (unsigned i = 0; i < p->L; i++) {
        ysv_ct Ei;
        char lab[YSV_WHAT * 2], name[YSV_BATCH_LABEL];
        uint64_t values[2];
        bit_statement(&Ei, lab, values, p, label, E, i);
        snprintf(name, sizeof name, "%s.proofs[%u]", field, i);
        ysv_or_batch(b, owner, name, &p->proofs[i], x, lab, &Ei, values, 2);
    }
}

json_t *ysv_range_json(const ysv_range *p)
{
    json_t *bits = json_array(), *proofs = json_array();
    for (unsigned i = 0; bits && i + 1 < p->L; i++)
        if (json_array_append_new(bits, ysv_ct_json(&p->bits[i])))
            goto fail;
    for (unsigned i = 0; proofs && i < p->L; i++)
        if (json_array_append_new(proofs, ysv_or_json(&p->proofs[i])))
            goto fail;
    return json_pack("{s:o, s:o}", "bits", bits, "proofs", proofs);
fail:
    json_decref(bits);
    json_decref(proofs);
    return NULL;
}

bool ysv_range_from_json(ysv_range *out, const json_t *j, uint64_t R, char what[YSV_WHAT])
{
    out->R = R;
    out->L = ysv_range_len(R);
    snprintf(what, YSV_WHAT, "%s", "");
    if (!json_is_object(j) || json_object_size(j) != 2 || out->L == 0 || out->L > YSV_RANGE_BITS)
        return false;
    const json_t *bits = json_object_get(j, "bits"), *proofs = json_object_get(j, "proofs");
    snprintf(what, YSV_WHAT, "bits");
    if (!json_is_array(bits) || json_array_size(bits) != out->L - 1)
        return false;
    for (unsigned i = 0; i + 1 < out->L; i++)
        if (!ysv_ct_from_json(&out->bits[i], json_array_get(bits, i))) {
            snprintf(what, YSV_WHAT, "bits[%u]", i);
            return false;
        }
    snprintf(what, YSV_WHAT, "proofs");
    if (!json_is_array(proofs) || json_array_size(proofs) != out->L)
        return false;
    for (unsigned i = 0; i < out->L; i++) {
        char sub[YSV_WHAT];
        if (!ysv_or_from_json(&out->proofs[i], json_array_get(proofs, i), 2, sub)) {
            snprintf(what, YSV_WHAT, "proofs[%u]%s%.40s", i, sub[0] ? "." : "", sub);
            return false;
        }
    }
    return true;
}
