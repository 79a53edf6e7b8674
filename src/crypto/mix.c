/* mix.c — a shuffle of tuples of ciphertexts with its proof, made and checked (docs/verifiable.md §9):
 * Terelius and Wikström's proof in the form of Haenni et al., its equations checked as one batch. */
#include "crypto/mix.h"

#include "crypto/msm.h"
#include "yishi/alloc.h"

#include <string.h>

bool ysv_mix_alloc(ysv_mix *m, size_t N, size_t w)
{
    memset(m, 0, sizeof *m);
    m->N = N;
    m->w = w;
    m->out = ys_calloc(N * w, sizeof *m->out);
    m->c = ys_calloc(N, sizeof *m->c);
    m->c_hat = ys_calloc(N, sizeof *m->c_hat);
    m->t_hat = ys_calloc(N, sizeof *m->t_hat);
    m->t4 = ys_calloc(w, sizeof *m->t4);
    m->s4 = ys_calloc(w, sizeof *m->s4);
    m->s_hat = ys_calloc(N, sizeof *m->s_hat);
    m->s_prime = ys_calloc(N, sizeof *m->s_prime);
    if (m->out && m->c && m->c_hat && m->t_hat && m->t4 && m->s4 && m->s_hat && m->s_prime)
        return true;
    ysv_mix_free(m);
    return false;
}

void ysv_mix_free(ysv_mix *m)
{
    ys_free(m->out);
    ys_free(m->c);
    ys_free(m->c_hat);
    ys_free(m->t_hat);
    ys_free(m->t4);
    ys_free(m->s4);
    ys_free(m->s_hat);
    ys_free(m->s_prime);
    memset(m, 0, sizeof *m);
}

/* ---- the hashes both sides compute ---- */

/* h₀ … h_N: Hg("yishi-v1/mix-h"; Q, u64(i)). */
static ysv_point *generators(const uint8_t Q[YS_V_HASH], size_t N)
{
    ysv_point *h = ys_malloc((N + 1) * sizeof *h);
    for (size_t i = 0; h && i <= N; i++) {
        ysv_hash hh;
        ysv_hash_init(&hh, "yishi-v1/mix-h");
        ysv_hash_bytes(&hh, Q, YS_V_HASH);
        ysv_hash_u64(&hh, i);
        ysv_hash_final_point(&hh, &h[i]);
    }
    return h;
}

/* d, then u_j = Hq("yishi-v1/mix-u"; d, u64(j)) for the input tuples (u[j − 1]). */
static void digest(uint8_t d[YS_V_HASH], ysv_scalar *u, const uint8_t Q[YS_V_HASH], uint64_t num, const ysv_ct *in,
                   const ysv_mix *m)
{
    size_t N = m->N, n = N * m->w;
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/mix");
    ysv_hash_bytes(&h, Q, YS_V_HASH);
    ysv_hash_u64(&h, num);
    ysv_hash_u64(&h, N);
    ysv_hash_u64(&h, m->w);
    for (size_t i = 0; i < n; i++)
        ysv_hash_ct(&h, &in[i]);
    for (size_t i = 0; i < n; i++)
        ysv_hash_ct(&h, &m->out[i]);
    for (size_t i = 0; i < N; i++)
        ysv_hash_point(&h, &m->c[i]);
    ysv_hash_final(&h, d);
    for (size_t j = 0; j < N; j++) {
        ysv_hash_init(&h, "yishi-v1/mix-u");
        ysv_hash_bytes(&h, d, YS_V_HASH);
        ysv_hash_u64(&h, j + 1);
        ysv_hash_final_scalar(&h, &u[j]);
    }
}

static void challenge(ysv_scalar *c, const uint8_t d[YS_V_HASH], const ysv_mix *m)
{
    ysv_hash h;
    ysv_hash_init(&h, "yishi-v1/mix-c");
    ysv_hash_bytes(&h, d, YS_V_HASH);
    for (size_t i = 0; i < m->N; i++)
        ysv_hash_point(&h, &m->c_hat[i]);
    ysv_hash_point(&h, &m->t1);
    ysv_hash_point(&h, &m->t2);
    ysv_hash_point(&h, &m->t3);
    for (size_t l = 0; l < m->w; l++)
        ysv_hash_ct(&h, &m->t4[l]);
    for (size_t i = 0; i < m->N; i++)
        ysv_hash_point(&h, &m->t_hat[i]);
    ysv_hash_final_scalar(&h, c);
}

/* ---- the prover ---- */

/* The prover's secrets, wiped when it is done. rt[i·w + ℓ] re-encrypts output ciphertext (i, ℓ); r[j] and
 * u'… are as in §9, 0-based. */
typedef struct secrets {
    ysv_scalar *rt, *r, *rh, *up, *wh, *wp, *w4, *u, w1, w2, w3;
    size_t n;                        /* scalars in the one allocation */
    ysv_scalar *all;
} secrets;

static bool secrets_alloc(secrets *s, size_t N, size_t w)
{
    memset(s, 0, sizeof *s);
    s->n = N * w + 6 * N + w;
    if (!(s->all = ys_calloc(s->n, sizeof *s->all)))
        return false;
    s->rt = s->all;
    s->r = s->rt + N * w;
    s->rh = s->r + N;
    s->up = s->rh + N;
    s->wh = s->up + N;
    s->wp = s->wh + N;
    s->u = s->wp + N;
    s->w4 = s->u + N;
    return true;
}

static void secrets_free(secrets *s)
{
    if (s->all)
        sodium_memzero(s->all, s->n * sizeof *s->all);
    ys_free(s->all);
    sodium_memzero(s, sizeof *s);
}

/* Steps 1 and the re-encryption: the output and the commitment to the permutation. */
static void permute(ysv_mix *m, secrets *s, const ysv_point *K, const ysv_ct *in, const size_t *perm,
                    const ysv_point *h, ysv_rng *rng)
{
    size_t N = m->N, w = m->w;
    for (size_t i = 0; i < N; i++)
        for (size_t l = 0; l < w; l++) {
            ysv_ct zero;
            ysv_point O;
            ysv_point_identity(&O);
            ysv_rng_scalar(rng, &s->rt[i * w + l]);
            ysv_encrypt_point(&zero, K, &O, &s->rt[i * w + l]);
            ysv_ct_add(&m->out[i * w + l], &in[perm[i] * w + l], &zero);
        }
    for (size_t i = 0; i < N; i++) {
        ysv_point rg;
        ysv_rng_scalar(rng, &s->r[perm[i]]);
        ysv_mul_base(&rg, &s->r[perm[i]]);
        ysv_point_add(&m->c[perm[i]], &rg, &h[i + 1]);
    }
}

/* a·G + b·P in constant time (b is secret: u'ᵢ would tell the permutation). */
static void mul2(ysv_point *out, const ysv_scalar *a, const ysv_point *P, const ysv_scalar *b)
{
    ysv_point x, y;
    ysv_mul_base(&x, a);
    ysv_mul(&y, P, b);
    ysv_point_add(out, &x, &y);
}

/* Steps 3 and 4: the chain and the commitments t. */
static void commit(ysv_mix *m, secrets *s, const ysv_point *K, const ysv_point *h, ysv_rng *rng)
{
    size_t N = m->N, w = m->w;
    for (size_t i = 0; i < N; i++) {
        ysv_rng_scalar(rng, &s->rh[i]);
        mul2(&m->c_hat[i], &s->rh[i], i ? &m->c_hat[i - 1] : &h[0], &s->up[i]);
    }
    ysv_rng_scalar(rng, &s->w1);
    ysv_rng_scalar(rng, &s->w2);
    ysv_rng_scalar(rng, &s->w3);
    for (size_t l = 0; l < w; l++)
        ysv_rng_scalar(rng, &s->w4[l]);
    for (size_t i = 0; i < N; i++)
        ysv_rng_scalar(rng, &s->wh[i]);
    for (size_t i = 0; i < N; i++)
        ysv_rng_scalar(rng, &s->wp[i]);
    ysv_mul_base(&m->t1, &s->w1);
    ysv_mul_base(&m->t2, &s->w2);
    ysv_mul_base(&m->t3, &s->w3);
    for (size_t l = 0; l < w; l++) {
        ysv_scalar neg;
        ysv_scalar_neg(&neg, &s->w4[l]);
        ysv_mul_base(&m->t4[l].a, &neg);
        ysv_mul(&m->t4[l].b, K, &neg);
    }
    for (size_t i = 0; i < N; i++) {
        ysv_point x;
        ysv_mul(&x, &h[i + 1], &s->wp[i]);
        ysv_point_add(&m->t3, &m->t3, &x);
        for (size_t l = 0; l < w; l++) {
            ysv_ct e;
            ysv_ct_mul(&e, &m->out[i * w + l], &s->wp[i]);
            ysv_ct_add(&m->t4[l], &m->t4[l], &e);
        }
        mul2(&m->t_hat[i], &s->wh[i], i ? &m->c_hat[i - 1] : &h[0], &s->wp[i]);
    }
}

/* acc += a·b */
static void muladd(ysv_scalar *acc, const ysv_scalar *a, const ysv_scalar *b)
{
    ysv_scalar t;
    ysv_scalar_mul(&t, a, b);
    ysv_scalar_add(acc, acc, &t);
}

/* x = ω + c·sum */
static void respond(ysv_scalar *x, const ysv_scalar *omega, const ysv_scalar *c, const ysv_scalar *sum)
{
    ysv_scalar_zero(x);
    muladd(x, c, sum);
    ysv_scalar_add(x, x, omega);
}

/* Step 6. */
static void responses(ysv_mix *m, secrets *s, const ysv_scalar *c)
{
    size_t N = m->N, w = m->w;
    ysv_scalar sum1, sum2, sum3, v;
    ysv_scalar_zero(&sum1);
    ysv_scalar_zero(&sum2);
    ysv_scalar_zero(&sum3);
    ysv_scalar_u64(&v, 1);
    for (size_t i = N; i-- > 0;) { /* v_N = 1, v_i = u'_{i+1}·v_{i+1} */
        muladd(&sum2, &s->rh[i], &v);
        ysv_scalar_mul(&v, &v, &s->up[i]);
    }
    for (size_t j = 0; j < N; j++) {
        ysv_scalar_add(&sum1, &sum1, &s->r[j]);
        muladd(&sum3, &s->r[j], &s->u[j]);
    }
    respond(&m->s1, &s->w1, c, &sum1);
    respond(&m->s2, &s->w2, c, &sum2);
    respond(&m->s3, &s->w3, c, &sum3);
    for (size_t l = 0; l < w; l++) {
        ysv_scalar sum;
        ysv_scalar_zero(&sum);
        for (size_t i = 0; i < N; i++)
            muladd(&sum, &s->rt[i * w + l], &s->up[i]);
        respond(&m->s4[l], &s->w4[l], c, &sum);
        ysv_scalar_wipe(&sum);
    }
    for (size_t i = 0; i < N; i++) {
        respond(&m->s_hat[i], &s->wh[i], c, &s->rh[i]);
        respond(&m->s_prime[i], &s->wp[i], c, &s->up[i]);
    }
    ysv_scalar_wipe(&sum1);
    ysv_scalar_wipe(&sum2);
    ysv_scalar_wipe(&sum3);
    ysv_scalar_wipe(&v);
}

bool ysv_mix_prove(ysv_mix *m, const uint8_t Q[YS_V_HASH], uint64_t num, const ysv_point *K, const ysv_ct *in,
                   size_t N, size_t w, const size_t *perm, ysv_rng *rng)
{
    secrets s;
    ysv_point *h = NULL;
    bool ok = false;
    if (!ysv_mix_alloc(m, N, w))
        return false;
    if (!secrets_alloc(&s, N, w) || !(h = generators(Q, N)))
        goto out;
    permute(m, &s, K, in, perm, h, rng);
    uint8_t d[YS_V_HASH];
    digest(d, s.u, Q, num, in, m);
    for (size_t i = 0; i < N; i++)
        s.up[i] = s.u[perm[i]];
    commit(m, &s, K, h, rng);
    ysv_scalar c;
    challenge(&c, d, m);
    responses(m, &s, &c);
    ok = true;
out:
    secrets_free(&s);
    ys_free(h);
    if (!ok)
        ysv_mix_free(m);
    return ok;
}

/* ---- the verifier: the equations of §9 as one batch, each weighted by a random z ---- */

typedef struct eqs {
    ysv_batch b;
    int G, K;
    ysv_scalar z, zc;                 /* the current equation's weight, and z·c */
} eqs;

static void eq_begin(eqs *e, const ysv_scalar *c, const char *label)
{
    ysv_batch_weight(&e->z);
    ysv_scalar_mul(&e->zc, &e->z, c);
    ysv_batch_eq(&e->b, 0, label);
}

/* Adds w·k·P (k NULL: w·P). */
static void term(eqs *e, const ysv_scalar *w, const ysv_scalar *k, const ysv_point *P, bool negate)
{
    ysv_scalar x = *w;
    if (k)
        ysv_scalar_mul(&x, &x, k);
    if (negate)
        ysv_scalar_neg(&x, &x);
    ysv_batch_term(&e->b, &x, P);
}

static void base_term(eqs *e, int base, const ysv_scalar *k, bool negate)
{
    ysv_scalar x;
    ysv_scalar_mul(&x, &e->z, k);
    if (negate)
        ysv_scalar_neg(&x, &x);
    ysv_batch_base_term(&e->b, &x, base);
}

/* s₁·G = t₁ + c·(Σ c_i − Σ h_i);  s₂·G = t₂ + c·(ĉ_N − (Π u_i)·h₀);  s₃·G + Σ s'_i·h_i = t₃ + c·Σ u_i·c_i */
static void first_three(eqs *e, const ysv_mix *m, const ysv_point *h, const ysv_scalar *u, const ysv_scalar *c)
{
    size_t N = m->N;
    eq_begin(e, c, "s1");
    base_term(e, e->G, &m->s1, false);
    term(e, &e->z, NULL, &m->t1, true);
    for (size_t i = 0; i < N; i++) {
        term(e, &e->zc, NULL, &m->c[i], true);
        term(e, &e->zc, NULL, &h[i + 1], false);
    }
    ysv_scalar prod;
    ysv_scalar_u64(&prod, 1);
    for (size_t i = 0; i < N; i++)
        ysv_scalar_mul(&prod, &prod, &u[i]);
    eq_begin(e, c, "s2");
    base_term(e, e->G, &m->s2, false);
    term(e, &e->z, NULL, &m->t2, true);
    term(e, &e->zc, NULL, &m->c_hat[N - 1], true);
    term(e, &e->zc, &prod, &h[0], false);
    eq_begin(e, c, "s3");
    base_term(e, e->G, &m->s3, false);
    term(e, &e->z, NULL, &m->t3, true);
    for (size_t i = 0; i < N; i++) {
        term(e, &e->z, &m->s_prime[i], &h[i + 1], false);
        term(e, &e->zc, &u[i], &m->c[i], true);
    }
}

/* For each ℓ: Σ s'_i·α̃_i,ℓ − s₄,ℓ·G = t₄,ℓ,α + c·Σ u_i·α_i,ℓ, and the same for β with K. */
static void fourth(eqs *e, const ysv_mix *m, const ysv_ct *in, const ysv_scalar *u, const ysv_scalar *c)
{
    size_t N = m->N, w = m->w;
    for (size_t l = 0; l < w; l++)
        for (int beta = 0; beta < 2; beta++) {
            char label[YSV_BATCH_LABEL];
            snprintf(label, sizeof label, "s4/%zu (%s)", l + 1, beta ? "β" : "α");
            eq_begin(e, c, label);
            base_term(e, beta ? e->K : e->G, &m->s4[l], true);
            term(e, &e->z, NULL, beta ? &m->t4[l].b : &m->t4[l].a, true);
            for (size_t i = 0; i < N; i++) {
                const ysv_ct *o = &m->out[i * w + l], *x = &in[i * w + l];
                term(e, &e->z, &m->s_prime[i], beta ? &o->b : &o->a, false);
                term(e, &e->zc, &u[i], beta ? &x->b : &x->a, true);
            }
        }
}

/* For each i: ŝ_i·G + s'_i·ĉ_{i−1} = t̂_i + c·ĉ_i. */
static void chain(eqs *e, const ysv_mix *m, const ysv_point *h, const ysv_scalar *c)
{
    for (size_t i = 0; i < m->N; i++) {
        char label[YSV_BATCH_LABEL];
        snprintf(label, sizeof label, "s_hat/%zu", i + 1);
        eq_begin(e, c, label);
        base_term(e, e->G, &m->s_hat[i], false);
        term(e, &e->z, &m->s_prime[i], i ? &m->c_hat[i - 1] : &h[0], false);
        term(e, &e->z, NULL, &m->t_hat[i], true);
        term(e, &e->zc, NULL, &m->c_hat[i], true);
    }
}

ys_rc ysv_mix_verify(const ysv_mix *m, const uint8_t Q[YS_V_HASH], uint64_t num, const ysv_point *K,
                     const ysv_ct *in, ys_err *err)
{
    ys_rc rc = YS_NOMEM;
    eqs e;
    ysv_batch_init(&e.b);
    ysv_point *h = generators(Q, m->N), G;
    ysv_scalar *u = ys_malloc(m->N * sizeof *u), c;
    if (!h || !u)
        goto out;
    uint8_t d[YS_V_HASH];
    digest(d, u, Q, num, in, m);
    challenge(&c, d, m);
    ysv_point_base(&G);
    e.G = ysv_batch_base(&e.b, &G);
    e.K = ysv_batch_base(&e.b, K);
    first_three(&e, m, h, u, &c);
    fourth(&e, m, in, u, &c);
    chain(&e, m, h, &c);
    size_t bad = SIZE_MAX;
    int v = ysv_batch_verify(&e.b, &bad, 1);
    if (v < 0)
        goto out;
    rc = v ? YS_OK
           : ys_fail(err, YS_BAD_PROOF, "shuffle", "shuffle %llu's proof does not verify: its equation %s does not hold",
                     (unsigned long long)num, e.b.eqs[bad].label);
out:
    if (rc == YS_NOMEM)
        ys_fail(err, YS_NOMEM, NULL, "out of memory checking a shuffle");
    ysv_batch_free(&e.b);
    ys_free(h);
    ys_free(u);
    return rc;
}
